"""Quality gate (issue 24): German sentence splitting on held-out German Wikinews articles (dev +
test splits of ../shared/data/attribution/german-news-quotation-attribution-2024; train tuned).
Floors a little under what was measured (recall 0.884, precision 0.925)."""

from __future__ import annotations

import pytest

from newsift.eval.gold import default_shared
from newsift.eval.sentences import WIKINEWS, wikinews

FOLDER = default_shared() / WIKINEWS


@pytest.mark.skipif(not FOLDER.is_dir(), reason="German Wikinews corpus not in ../shared")
def test_german_wikinews_sentences() -> None:
    right, gold, pred, _cpu = wikinews(FOLDER, ("dev", "test"), ("newsift",))["newsift"]
    assert right / gold >= 0.87
    assert right / pred >= 0.91


@pytest.mark.skipif(not FOLDER.is_dir(), reason="German Wikinews corpus not in ../shared")
def test_german_wikinews_articles_are_german() -> None:
    import gzip
    import json

    from newsift.lang import identify

    files = sorted(FOLDER.glob("*/*.json.gz"))
    codes = [
        identify(json.load(gzip.open(f, "rt", encoding="utf-8"))["originalText"])[0] for f in files
    ]
    assert sum(c == "de" for c in codes) / len(codes) >= 0.99  # measured 748/748


PTC = default_shared() / "data" / "ptc" / "train" / "articles"


@pytest.mark.skipif(not PTC.is_dir(), reason="PTC articles not in ../shared")
def test_english_news_is_english_with_no_sentence_called_foreign() -> None:
    from newsift.lang import identify, sentence_language
    from newsift.sentences import split_sentences

    texts = [p.read_text("utf-8") for p in sorted(PTC.glob("*.txt"))[:100]]
    assert all(identify(t)[0] == "en" for t in texts)  # measured 296/296
    flagged = sum(
        sentence_language(t[s:e], "en") is not None
        for t in texts
        for s, e in split_sentences(t, "en")
    )
    assert flagged <= 3  # measured 0 of 6,139 sentences (150 articles)
