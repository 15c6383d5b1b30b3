"""Quality gate (issue 20): the SHIPPED matcher and thresholds on the held-out scoring part of
``tests/fixtures/claim-matching-euvsdisinfo.jsonl`` (never used to fit or calibrate anything).
Floors sit a little under what was measured (docs/factchecks.md). The dataset references need
../shared; without it the set's own sentences are still scored."""

from __future__ import annotations

import pytest

from newsift.eval.claim_matching import catalogue_metrics, read_catalogue_set
from newsift.factchecks import euvsdisinfo
from newsift.factchecks.search import Searcher, describe
from tests.conftest import SHARED

pytestmark = [pytest.mark.slow, pytest.mark.integration]  # loads the MiniLM encoder


@pytest.fixture(scope="module")
def scoring():
    items = read_catalogue_set(shared=SHARED, split="scoring")
    searcher = Searcher([euvsdisinfo.load(shipped=True)])
    found = searcher.search([it["text"] for it in items], k=3, min_score="default")
    described = [
        [describe(m, it["text"], it.get("date")) for m in ms]
        for it, ms in zip(items, found, strict=True)
    ]
    return catalogue_metrics(items, described)


def test_precision_first(scoring):
    assert scoring["precision"] >= PRECISION_FLOOR, scoring


def test_recall_of_rewordings(scoring):
    assert scoring["recall_rewording"] >= RECALL_FLOOR, scoring


def test_critical_reporting_is_not_shown_as_asserted(scoring):
    assert scoring["false_alarm_critical"] <= CRITICAL_CEILING, scoring


def test_topic_opposite_and_furniture_rarely_match(scoring):
    for kind in ("same_topic", "opposite", "furniture"):
        assert scoring[f"false_alarm_{kind}"] <= NEGATIVE_CEILING, (kind, scoring)


# Measured on the scoring part (matching.json "catalogue_scoring"): precision 0.84, recall of
# rewordings 0.435, critical reporting shown as asserted 0.0, same-topic 0.133, opposite 0.1,
# furniture 0.0. Issue 20's targets (precision >= 0.90, recall >= 0.70) are not reached yet;
# these floors keep what was reached.
PRECISION_FLOOR = 0.80
RECALL_FLOOR = 0.40
CRITICAL_CEILING = 0.10
NEGATIVE_CEILING = 0.15
