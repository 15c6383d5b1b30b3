"""Quality gate for attribution beyond English (issue 24): the per-language gold
(tests/fixtures/attribution-gold-languages.jsonl) and held-out German Wikinews articles
(../shared/data/attribution/german-news-quotation-attribution-2024, read in place; the German
test skips without it). See docs/attribution-languages.md.

Floors are the figures the shipped rules reach, rounded down a little; they only go up.
"""

from __future__ import annotations

import pytest

from newsift.eval.attribution_languages import (
    WIKINEWS,
    read_language_gold,
    read_wikinews,
    score_languages,
    score_wikinews,
)
from newsift.eval.gold import default_shared

pytestmark = pytest.mark.slow  # runs nlp.v1 on every text

# source found per language and part; score2 was never tuned on
FLOORS = {
    "tune": dict.fromkeys(("ru", "uk", "de", "fr", "es", "pl"), 0.92),
    "score": {"ru": 0.9, "uk": 0.9, "de": 0.9, "fr": 0.9, "es": 0.9, "pl": 0.9},
    "score2": {"ru": 0.85, "uk": 0.85, "de": 0.85, "fr": 0.85, "es": 0.85, "pl": 0.85},
}


@pytest.mark.parametrize("split", sorted(FLOORS))
def test_language_gold_floors(split: str) -> None:
    results = score_languages(read_language_gold(), split)
    assert set(results) == set(FLOORS[split])
    for lang, floor in FLOORS[split].items():
        r = results[lang]
        assert r["source_found"] >= floor, (lang, split, r["source_found"])
        assert r["precision"] >= 0.9, (lang, split, r["precision"])


def test_german_wikinews_held_out() -> None:
    folder = default_shared() / "data" / WIKINEWS
    if not folder.is_dir():
        pytest.skip(f"{folder} is not here")
    result = score_wikinews(read_wikinews(folder, "score"))
    assert result["documents"] > 200
    # rules alone: 0.458 / 0.553 / 0.144; with the learned detector and ranker
    # (models/attribution/de-attribution.npz): 0.610 / 0.794 / 0.253 (target 0.70 not reached)
    assert result["source_right"] >= 0.59
    assert result["found"] >= 0.77
    assert result["spurious"] <= 0.27
