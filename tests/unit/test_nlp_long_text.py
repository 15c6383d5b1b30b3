"""Long texts (issue 23): nlp.v1 reads a text over spaCy's 1,000,000-character limit in pieces,
so no stage is lost, and its sentence offsets stay those of the whole text."""

from __future__ import annotations

import pytest

from newsift.article import Article
from newsift.errors import ConfigError
from newsift.pipeline import Pipeline
from newsift.stages.nlp import _pieces

SENTENCE = "The harbour board met on Tuesday and approved the budget for the coming year. "


def test_pieces_cut_after_sentence_ends_and_cover_the_text() -> None:
    text = SENTENCE * 50 + "x" * 300 + " tail"
    pieces = _pieces(text, 0, len(text), 500)
    assert pieces[0][0] == 0 and pieces[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in zip(pieces, pieces[1:], strict=False))
    assert all(e - s <= 500 for s, e in pieces)
    assert all(text[e - 2 : e] == ". " for _s, e in pieces[:-3])


@pytest.fixture(scope="module")
def nlp_pipeline() -> Pipeline:
    pytest.importorskip("spacy")
    try:
        return Pipeline([{"name": "nlp.v1", "chunk_chars": 50_000}])
    except ConfigError as err:  # no spaCy model installed here
        pytest.skip(f"nlp.v1 cannot load: {err}")


@pytest.mark.slow
def test_a_text_over_spacys_limit_keeps_nlp(nlp_pipeline: Pipeline) -> None:
    text = SENTENCE * (1_200_000 // len(SENTENCE) + 1)  # one paragraph of 1.2M characters
    assert len(text) > 1_000_000
    a = nlp_pipeline(Article(text=text))
    assert not a.problems, a.problems
    sents = a.sentences
    assert len(sents) == text.count(". ")
    assert sents[-1].end == len(text.rstrip())
    for s in sents[:: max(1, len(sents) // 500)]:
        assert text[s.start : s.end] == SENTENCE.strip()


@pytest.mark.slow
def test_text_beyond_max_chars_is_a_problem_not_a_crash() -> None:
    pytest.importorskip("spacy")
    try:
        pipe = Pipeline([{"name": "nlp.v1", "max_chars": 1_000}])
    except ConfigError as err:
        pytest.skip(f"nlp.v1 cannot load: {err}")
    text = SENTENCE * 40
    a = pipe(Article(text=text))
    assert [p.code for p in a.problems] == ["too_long"]
    assert a.sentences and a.sentences[-1].end <= 1_000
