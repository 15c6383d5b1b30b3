"""The extraction scorer: shingle metrics, field matching, dataset layouts and the command."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsift.errors import DataError
from newsift.eval import extraction as ev

ARTICLE = (
    "The river authority opened the new lock gates on Monday after three years of work. "
    "Engineers said the gates would let larger barges reach the inland port for the first time. "
    "Shipping firms expect traffic on the canal to double within five years, the authority said."
)


def test_shingles_are_four_token_windows_with_counts() -> None:
    s = ev.shingles("a b c d a b c d")
    assert s[("a", "b", "c", "d")] == 2
    assert sum(s.values()) == 5
    assert ev.shingles("just three words") == {("just", "three", "words"): 1}
    assert not ev.shingles("")


def test_shingle_counts_are_normalised_per_page() -> None:
    assert ev.shingle_counts("a b c d e", "a b c d e") == (1.0, 0.0, 0.0)
    tp, fp, fn = ev.shingle_counts("a b c d e", "a b c d x")
    assert (tp, fp, fn) == pytest.approx((1 / 3, 1 / 3, 1 / 3))
    assert ev.shingle_counts("a b c d", "") == (0.0, 0.0, 1.0)


def test_body_scores_macro_average_and_skip_empty_predictions() -> None:
    rows = [(1.0, 0.0, 0.0), (0.5, 0.0, 0.5), (0.0, 0.0, 1.0)]  # last: empty prediction
    scores = ev.body_scores(rows)
    assert scores["precision"] == pytest.approx(1.0)  # the empty prediction is skipped
    assert scores["recall"] == pytest.approx(0.5)
    assert scores["f1"] == pytest.approx(2 * 1.0 * 0.5 / 1.5)
    assert scores["f1_sd"] >= 0


@pytest.mark.parametrize(
    ("kind", "truth", "pred", "ok"),
    [
        ("title", "Why Rivers Flood – A Guide", "why rivers flood: a guide", True),
        ("title", "Why Rivers Flood", "Why Rivers Flood | Site", False),
        ("author", "Jane O'Neil", "jane o’neil", True),  # apostrophe style is ignored
        ("author", "Jane Doe", None, False),
        ("date", "2024-06-03", "2024-06-03T10:00:00Z", True),
        ("date", "2024-06-03", "2024-06-04", False),
    ],
)
def test_field_match(kind: str, truth: str, pred: str | None, ok: bool) -> None:
    assert ev.field_match(kind, truth, pred) is ok


def test_splits_partition_the_pages() -> None:
    ids = [f"{i:04d}" for i in range(400)]
    dev = {i for i in ids if ev.in_split(i, "dev")}
    holdout = {i for i in ids if ev.in_split(i, "holdout")}
    assert dev.isdisjoint(holdout) and dev | holdout == set(ids)
    assert 0.15 < len(holdout) / len(ids) < 0.35


def test_a_folder_with_no_benchmark_is_a_data_error(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="ground-truth"):
        ev.load_pages(tmp_path)


def _page(title: str) -> str:
    paras = "".join(f"<p>{ARTICLE} ({i})</p>" for i in range(3))
    return (
        f"<html><head><title>{title} | River News</title>"
        '<meta name="author" content="Jo Lind"></head>'
        f"<body><article><h1>{title}</h1>{paras}</article></body></html>"
    )


def _benchmark(root: Path) -> Path:
    sh = root / "scrapinghub"
    (sh / "html").mkdir(parents=True)
    (sh / "html" / "p1.html.gz").write_bytes(gzip.compress(_page("Lock gates open").encode()))
    truth = {"p1": {"articleBody": "\n".join(f"{ARTICLE} ({i})" for i in range(3)), "url": None}}
    (sh / "ground-truth.json").write_text(json.dumps(truth))
    wc = root / "wcxb-articles"
    (wc / "html").mkdir(parents=True)
    (wc / "ground-truth").mkdir()
    (wc / "html" / "0001.html.gz").write_bytes(gzip.compress(_page("Barges return").encode()))
    gt = {
        "url": "https://rivernews.example/barges",
        "ground_truth": {
            "title": "Barges return",
            "author": "Jo Lind",
            "publish_date": None,
            "main_content": "\n\n".join(f"{ARTICLE} ({i})" for i in range(3)),
            "with": ["lock gates"],
            "without": ["River News"],
        },
    }
    (wc / "ground-truth" / "0001.json").write_text(json.dumps(gt))
    return root


def test_command_scores_both_extractors_side_by_side(tmp_path: Path) -> None:
    root = _benchmark(tmp_path)
    result = CliRunner().invoke(ev.command, [str(root), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)["results"]
    assert set(data) == {"scrapinghub", "wcxb"}
    for dataset in data.values():
        assert set(dataset) == {"newsift", "trafilatura"}
    assert data["scrapinghub"]["newsift"]["f1"] > 0.9
    assert data["wcxb"]["newsift"]["title"]["correct"] == 1
    assert data["wcxb"]["newsift"]["author"]["correct"] == 1
    assert "date" not in data["wcxb"]["newsift"]  # no date in the ground truth


def test_command_text_report_and_limit(tmp_path: Path) -> None:
    root = _benchmark(tmp_path)
    result = CliRunner().invoke(ev.command, [str(root / "wcxb-articles"), "--limit", "1"])
    assert result.exit_code == 0, result.output
    assert "body F1" in result.output and "trafilatura" in result.output
