"""Quality gate for HTML extraction on a fixed subset of ../shared/data/extraction-benchmark.

Floors sit just under what newsift measured on this subset (docs/RESULTS.md has the full runs);
they only go up. The subset (first pages by id of each benchmark) keeps the test under a minute.
"""

from __future__ import annotations

import pytest

from newsift.eval.extraction import evaluate, load_pages, run_newsift
from tests.conftest import shared_path

pytestmark = [pytest.mark.slow, pytest.mark.integration]  # ~20 s: scored on 100 pages

SCRAPINGHUB_PAGES = 30
WCXB_PAGES = 70

# measured on this subset: scrapinghub body F1 0.977; WCXB body F1 0.914, title 60/70,
# author 48/56, date 56/61. Floors about two pages (or one bootstrap sd) below.
FLOORS = {
    "scrapinghub": {"f1": 0.965},
    "wcxb": {"f1": 0.90, "title": 0.82, "author": 0.82, "date": 0.88},
}


@pytest.fixture(scope="module")
def scores() -> dict:
    root = shared_path("data", "extraction-benchmark")
    pages = load_pages(root / "scrapinghub")[:SCRAPINGHUB_PAGES]
    pages += load_pages(root / "wcxb-articles")[:WCXB_PAGES]
    return evaluate(pages, {"newsift": run_newsift})


@pytest.mark.parametrize("dataset", sorted(FLOORS))
def test_body_f1_floor(scores: dict, dataset: str) -> None:
    assert scores[dataset]["newsift"]["f1"] >= FLOORS[dataset]["f1"]


@pytest.mark.parametrize("field", ["title", "author", "date"])
def test_wcxb_metadata_floor(scores: dict, field: str) -> None:
    assert scores["wcxb"]["newsift"][field]["share"] >= FLOORS["wcxb"][field]
