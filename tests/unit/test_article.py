from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsift.article import Article, OffsetMap, Problem, Span


def test_round_trip_through_json() -> None:
    a = Article(text="Hello world. Bye.", title="T", url="https://x.example/a", id="abc")
    a.spans["sentences"] = [Span(0, 12, "sentence", stage="nlp.v1"), Span(13, 17, "sentence")]
    a.spans["persuasion"] = [Span(6, 11, "Loaded_Language", 0.91, "persuasion.v1", {"why": "x"})]
    a.layers["attributions"] = [
        {
            "source": None,
            "kind": "anonymous",
            "cue": {"text": "x", "start": 0, "end": 1},
            "content": {"text": "y", "start": 1, "end": 2},
        }
    ]
    a.problems.append(Problem("extract", "too_short", "short"))
    a.offsets = OffsetMap([(0, 10, 17)])
    b = Article.from_dict(json.loads(json.dumps(a.to_dict())))
    assert b == a
    assert b.to_dict()["persuasion"][0]["label"] == "Loaded_Language"


def test_newer_major_schema_is_refused() -> None:
    d = Article(text="x").to_dict()
    d["schema_version"] = "2.0"
    with pytest.raises(ValueError, match="schema_version"):
        Article.from_dict(d)


def test_layer_name_collision_is_refused() -> None:
    a = Article(text="x")
    a.layers["title"] = "bad"
    with pytest.raises(ValueError):
        a.to_dict()


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=200), st.data())
def test_span_round_trip(text: str, data) -> None:
    spans = []
    for _ in range(data.draw(st.integers(0, 5))):
        s = data.draw(st.integers(0, len(text)))
        e = data.draw(st.integers(s, len(text)))
        spans.append(
            Span(
                s, e, data.draw(st.sampled_from(["a", "b"])), data.draw(st.none() | st.floats(0, 1))
            )
        )
    a = Article(text=text)
    a.spans["x"] = spans
    b = Article.from_dict(json.loads(json.dumps(a.to_dict())))
    assert [(s.start, s.end, s.label) for s in b.spans["x"]] == [
        (s.start, s.end, s.label) for s in spans
    ]


def test_offset_map_lookup() -> None:
    m = OffsetMap([(0, 100, 10), (12, 150, 5)])
    assert m.to_source(0) == 100
    assert m.to_source(9) == 109
    assert m.to_source(13) == 151
    assert m.to_source(11) is None
