"""Quality gate (issue 20): the SHIPPED matcher and thresholds on the held-out scoring part of
``tests/fixtures/claim-matching-euvsdisinfo.jsonl`` (never used to fit or calibrate anything).
Floors sit a little under what was measured (docs/factchecks.md). The dataset references need
../shared; without it the set's own sentences are still scored."""

from __future__ import annotations

import pytest

from newsift.eval.claim_matching import (
    CROSSLANG_SET,
    catalogue_metrics,
    item_languages,
    read_catalogue_set,
)
from newsift.factchecks import euvsdisinfo
from newsift.factchecks.search import Searcher, describe
from tests.conftest import SHARED

pytestmark = [pytest.mark.slow, pytest.mark.integration]  # loads the MiniLM and e5 encoders


def _run(path=None, english_e5=True):
    kwargs = {"path": path} if path else {}
    items = read_catalogue_set(shared=SHARED, split="scoring", **kwargs)
    searcher = Searcher([euvsdisinfo.load(shipped=True)], english_e5=english_e5)
    found = searcher.search(
        [it["text"] for it in items], k=3, min_score="default", langs=item_languages(items)
    )
    described = [
        [describe(m, it["text"], it.get("date")) for m in ms]
        for it, ms in zip(items, found, strict=True)
    ]
    return catalogue_metrics(items, described), found


@pytest.fixture(scope="module")
def scoring():
    return _run()[0]


@pytest.fixture(scope="module")
def scoring_minilm():
    return _run(english_e5=False)[0]


@pytest.fixture(scope="module")
def crosslang():
    return _run(CROSSLANG_SET)


def test_precision_first(scoring):
    assert scoring["precision"] >= PRECISION_FLOOR, scoring


def test_recall_of_rewordings(scoring):
    assert scoring["recall_rewording"] >= RECALL_FLOOR, scoring


def test_critical_reporting_is_not_shown_as_asserted(scoring):
    assert scoring["false_alarm_critical"] <= CRITICAL_CEILING, scoring


def test_topic_opposite_and_furniture_rarely_match(scoring):
    for kind in ("same_topic", "opposite", "furniture"):
        assert scoring[f"false_alarm_{kind}"] <= NEGATIVE_CEILING, (kind, scoring)


def test_minilm_path_keeps_its_floors(scoring_minilm):
    assert scoring_minilm["precision"] >= 0.80, scoring_minilm
    assert scoring_minilm["recall_rewording"] >= 0.40, scoring_minilm
    assert scoring_minilm["false_alarm_critical"] <= CRITICAL_CEILING, scoring_minilm


def test_cross_language_rewordings_find_their_case(crosslang):
    metrics, found = crosslang
    assert metrics["recall_rewording"] >= CROSS_RECALL_FLOOR, metrics
    assert metrics["precision"] >= CROSS_PRECISION_FLOOR, metrics
    assert metrics["false_alarm_critical"] <= CRITICAL_CEILING, metrics
    shown = [m for ms in found for m in ms]
    assert shown and all(m["cross_language"] for m in shown)
    assert {m["languages"]["record"] for m in shown} == {"en"}
    assert {m["languages"]["sentence"] for m in shown} <= {"ru", "uk", "de", "fr", "es", "pl"}


# Measured on the scoring part (matching.json "catalogue_e5_scoring", English sentences by the
# default e5 path): precision 0.90, recall of rewordings 0.783, real dataset sentences 0.0,
# critical 0.0, same-topic 0.067, opposite 0.2, furniture 0.0 (the MiniLM path, "catalogue_
# scoring": 0.84 / 0.435 / 0.2; critical 0.0, same-topic 0.133, opposite 0.1). Cross-language
# ("crosslang_scoring", tests/fixtures/claim-matching-crosslang.jsonl; threshold for
# precision 0.95 on the calibration part): precision 0.962, recall 0.806, critical 0.0.
PRECISION_FLOOR = 0.86
RECALL_FLOOR = 0.74
CRITICAL_CEILING = 0.10
NEGATIVE_CEILING = 0.25
CROSS_PRECISION_FLOOR = 0.92
CROSS_RECALL_FLOOR = 0.74
