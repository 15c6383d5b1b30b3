"""Quality gate for attribution.v1 on real articles: the parts of the article gold
(tests/fixtures/attribution-articles-gold.jsonl, see docs/attribution-gold.md); ``score2`` and
``score3`` are the parts the rules were never tuned on; ``tune2`` is a second tuning part. The article texts are read from ../shared/data; the test skips without them.

Floors are the figures reached when the rules were frozen, rounded down a little; they only go up.
"""

from __future__ import annotations

import pytest

from newsift.eval.attribution import (
    ARTICLE_GOLD,
    predict_attributions,
    read_article_gold,
    score_articles,
)

pytestmark = pytest.mark.slow  # loads spaCy or an ONNX model (scripts/test.sh --fast skips it)

FLOORS = {
    # the second tuning part (helper H26): floors a little under its score after the layout
    # rules of helper H27 (docs/attribution-gold.md, "Layout constructions (H27)")
    "tune2": {
        "recall": 0.91,  # 0.929 after H27's layout rules
        "speaker_accuracy": 0.90,  # 0.917 with H27's layout rules
        "kind_accuracy": 0.90,  # 0.915 after H29's kinds (0.825 before)
        "content_f1": 0.93,
    },
    # the third held-out part (helper H20): annotated before any rule was scored on it; floors a
    # little under its first score, with the rules of main at 48f5f81 (docs/attribution-gold.md)
    "score3": {
        "recall": 0.84,  # 0.856 with the rules of the fourth session (0.835 at its baseline)
        "speaker_accuracy": 0.78,  # 0.797 (0.787)
        "kind_accuracy": 0.80,  # 0.817 (0.817)
        "content_f1": 0.935,  # 0.943 (0.941)
    },
    # the second held-out part: annotated after the first scoring, never tuned on
    "score2": {
        "recall": 0.86,  # 0.870 with the rules of the fourth session (0.855 before it)
        "speaker_accuracy": 0.93,  # 0.942 (0.932)
        "kind_accuracy": 0.88,  # 0.892 (0.873)
        "content_f1": 0.915,  # 0.922
    },
    # the first scoring part (scored once with the frozen rules, then used for tuning too)
    "score": {
        "recall": 0.845,
        "speaker_accuracy": 0.955,
        "kind_accuracy": 0.965,
        "content_f1": 0.93,
    },
    "tune": {
        "recall": 0.885,
        "speaker_accuracy": 0.97,
        "kind_accuracy": 0.97,
        "content_f1": 0.915,
    },
}
# score2: 7 spurious before the fourth round, 8 of 130 predictions after it, 8 of 133 with the
# layout rules of H27 alone, 0.068 (9 of about 133) with both merged (docs/attribution-gold.md;
# score2 is held out: summaries only, its errors not read)
MAX_SPURIOUS = {"tune2": 0.055, "score3": 0.085, "score2": 0.07, "score": 0.03, "tune": 0.025}
CONSTRUCTION_FLOORS = {
    "tune2": {
        "pronoun": ("speaker_accuracy", 0.88),  # 0.905 after H29 (0.833 before)
        "multi-paragraph": ("recall", 0.95),
        "tweet": ("recall", 0.95),
        "interview": ("recall", 0.95),
    },
    "score3": {
        "pronoun": ("speaker_accuracy", 0.84),  # 0.861 (0.837 at its baseline)
        "multi-paragraph": ("recall", 0.95),  # 1.000 (0.844)
        "tweet": ("recall", 0.95),
        "interview": ("recall", 0.95),
    },
    "score2": {"multi-paragraph": ("recall", 0.95), "pronoun": ("speaker_accuracy", 0.86)},
    "score": {
        "interview": ("recall", 0.95),
        "pronoun": ("speaker_accuracy", 0.97),
        "multi-paragraph": ("recall", 0.84),
    },
    "tune": {"interview": ("recall", 0.95), "pronoun": ("speaker_accuracy", 0.98)},
}


@pytest.fixture(scope="module")
def data_dir():
    from tests.conftest import shared_path

    return shared_path("data", "ptc", "train", "articles").parents[2]


@pytest.mark.parametrize("split", ["tune2", "score3", "score2", "score", "tune"])
def test_attribution_on_real_articles(data_dir, split: str) -> None:
    result = score_articles(read_article_gold(ARTICLE_GOLD), predict_attributions, data_dir, split)
    if result["skipped"]:
        pytest.skip(f"articles missing or changed under {data_dir}: {result['skipped'][:3]}")
    for metric, floor in FLOORS[split].items():
        assert result[metric] >= floor, (split, metric, result[metric])
    assert result["spurious_rate"] <= MAX_SPURIOUS[split], result["spurious_rate"]
    for tag, (metric, floor) in CONSTRUCTION_FLOORS[split].items():
        assert result["by_construction"][tag][metric] >= floor, (split, tag, metric)
