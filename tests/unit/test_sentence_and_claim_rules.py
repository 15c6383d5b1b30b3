"""Rules around the models: sentence ends before a number, counted facts are factual."""

from __future__ import annotations

import pytest

from newsift.api import analyze_text

pytestmark = pytest.mark.slow  # loads spaCy or an ONNX model (scripts/test.sh --fast skips it)


def _sentences(text: str) -> list[str]:
    article = analyze_text(text, stages=["nlp.v1"])
    return [article.text[s.start : s.end] for s in article.sentences]


def test_a_sentence_may_start_with_a_number() -> None:
    got = _sentences(
        "The meeting left many questions unanswered. 7408 troops from Danel Union arrived. "
        "Prices rose 5%. 12 people died."
    )
    assert got == [
        "The meeting left many questions unanswered.",
        "7408 troops from Danel Union arrived.",
        "Prices rose 5%.",
        "12 people died.",
    ]


def test_abbreviations_before_numbers_do_not_end_a_sentence() -> None:
    assert _sentences("He lives at No. 5 Quay Street, near the harbour.") == [
        "He lives at No. 5 Quay Street, near the harbour."
    ]


def test_a_sentence_that_counts_something_is_a_factual_claim() -> None:
    article = analyze_text(
        "Belhol Group will close 2396 offices in Belfenton by 2030. What a shame!",
        stages=["nlp.v1", "attribution.v1", "claims.v1"],
    )
    by_text = {c["text"]: c for c in article.layers["claims"]}
    claim = by_text["Belhol Group will close 2396 offices in Belfenton by 2030."]
    assert claim["class"] in ("unimportant factual", "check-worthy factual")
    assert "What a shame!" not in by_text
