"""Property tests for the persuasion readers: PTC label files and the team's JSONL gold.

Whatever a file holds, a reader gives spans inside the article or a DataError naming the file and
the line; never another exception, never a span that points outside the text.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsift.errors import DataError
from newsift.eval.persuasion import load_team_gold
from newsift.persuasion.data import load_dir, read_label_file
from newsift.persuasion.techniques import LABELS as _LABELS

LABELS = list(_LABELS)

pytestmark = pytest.mark.fuzz

cells = st.one_of(
    st.integers(-5, 400).map(str),
    st.sampled_from(LABELS + ["Nope", "", " 3", "1e3"]),
    st.text(max_size=6),
)
label_lines = st.lists(
    st.lists(cells, min_size=0, max_size=5).map(lambda c: "\t".join(c)), max_size=8
)


def _write(tmp: Path, name: str, data: str | bytes) -> Path:
    path = tmp / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


@given(label_lines, st.booleans(), st.integers(1, 300))
def test_a_label_file_gives_spans_inside_the_article_or_a_data_error(
    tmp_path_factory, lines, with_technique, length
):
    path = _write(tmp_path_factory.mktemp("labels"), "a.labels", "\n".join(lines))
    try:
        spans = read_label_file(path, with_technique=with_technique, article_id="1", length=length)
    except DataError as err:
        assert str(path) in str(err)
        return
    for span in spans:
        assert 0 <= span[0] < span[1] <= length
        if with_technique:
            assert span[2] in LABELS


@given(st.binary(max_size=60))
def test_label_bytes_that_are_not_utf8_are_a_data_error(tmp_path_factory, data):
    path = _write(tmp_path_factory.mktemp("labels"), "a.labels", data)
    try:
        read_label_file(path, with_technique=False)
    except DataError:
        pass


@st.composite
def gold_lines(draw):
    """A valid gold line: quotes drawn from the text itself, with their occurrence."""
    text = draw(st.text(min_size=1, max_size=120))
    spans, expected = [], []
    for _ in range(draw(st.integers(0, 4))):
        s = draw(st.integers(0, len(text) - 1))
        e = draw(st.integers(s + 1, len(text)))
        quote = text[s:e]
        # the occurrence of this quote that starts at s, counted as the reader counts it
        starts, at = [], text.find(quote)
        while at >= 0:
            starts.append(at)
            at = text.find(quote, at + 1)
        technique = draw(st.sampled_from(LABELS))
        spans.append({"text": quote, "technique": technique, "occurrence": starts.index(s)})
        expected.append((s, e, technique))
    return json.dumps({"id": "g1", "text": text, "spans": spans}), text, expected


@given(gold_lines())
def test_team_gold_resolves_quotes_to_their_offsets(tmp_path_factory, line):
    raw, text, expected = line
    path = _write(tmp_path_factory.mktemp("gold"), "gold.jsonl", raw + "\n")
    (art,) = load_team_gold(path)
    assert art.text == text and art.tc == expected
    assert art.gold_spans() == [(s, e) for s, e, _ in expected]


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 3) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner),
    max_leaves=12,
)
broken = st.one_of(
    st.text(max_size=40),
    json_values.map(json.dumps),
    st.fixed_dictionaries({"id": json_values, "text": json_values, "spans": json_values}).map(
        json.dumps
    ),
    st.fixed_dictionaries(
        {
            "id": st.just("x"),
            "text": st.text(max_size=30),
            "spans": st.lists(
                st.fixed_dictionaries(
                    {
                        "text": json_values,
                        "technique": st.sampled_from(LABELS + ["Nope"]) | json_values,
                        "occurrence": json_values,
                    }
                ),
                max_size=3,
            ),
        }
    ).map(json.dumps),
)


@given(st.lists(broken, max_size=4))
def test_team_gold_gives_spans_inside_the_text_or_a_data_error(tmp_path_factory, lines):
    path = _write(tmp_path_factory.mktemp("gold"), "gold.jsonl", "\n".join(lines))
    try:
        arts = load_team_gold(path)
    except DataError as err:
        assert str(path) in str(err)
        return
    for art in arts:
        for s, e, technique in art.tc or []:
            assert 0 <= s < e <= len(art.text) and technique in LABELS


def test_load_dir_refuses_a_folder_without_articles(tmp_path):
    with pytest.raises(DataError, match="no 'articles/' folder"):
        load_dir(tmp_path)
    (tmp_path / "articles").mkdir()
    with pytest.raises(DataError, match="no article<ID>.txt files"):
        load_dir(tmp_path)
