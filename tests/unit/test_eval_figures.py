"""``newsift eval figures`` on a tiny hand-written article laid out like ../shared's PTC folder."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from newsift.cli import cli
from newsift.errors import DataError
from newsift.eval.figures import GoldFigure, evaluate, match, read_gold

ARTICLE = "Title line\n\nThe port moved 1.5 million tons in 2019.\nNo one was hurt on Feb. 14.\n"


def _shared(tmp_path, text: str = ARTICLE):
    folder = tmp_path / "shared" / "data" / "ptc" / "train" / "articles"
    folder.mkdir(parents=True)
    (folder / "article1.txt").write_text(text, encoding="utf-8")
    return tmp_path / "shared"


def _gold(tmp_path, figures, regions=None):
    path = tmp_path / "gold.jsonl"
    row = {"dataset": "ptc", "doc": "1", "part": "score", "regions": regions, "figures": figures}
    path.write_text(json.dumps(row) + "\n", encoding="utf-8")
    return path


def _figure(text: str, kind: str, value, start_after: int = 0) -> list:
    start = ARTICLE.index(text, start_after)
    return [start, start + len(text), kind, value, text]


def test_exact_relaxed_and_span_scores(tmp_path):
    gold = _gold(
        tmp_path,
        [
            _figure("1.5 million", "quantity", 1_500_000),  # predicted "1.5 million tons"
            _figure("2019", "year", 2019),
            _figure("Feb. 14", "date", "--02-14"),
        ],
    )
    result = evaluate(gold, _shared(tmp_path), "score")
    assert result["gold"] == 3 and result["predicted"] == 3
    assert result["relaxed"]["recall"] == 1.0 and result["relaxed"]["precision"] == 1.0
    assert result["exact"]["matched"] == 2  # the quantity's span is longer than the gold's
    assert result["exact"]["recall_by_kind"] == {"quantity": 0.0, "date": 1.0, "year": 1.0}
    assert result["relaxed"]["kind_accuracy"] == 1.0


def test_a_wrong_value_is_a_miss_except_in_span_mode(tmp_path):
    gold = _gold(tmp_path, [_figure("1.5 million", "quantity", 1.5)])
    result = evaluate(gold, _shared(tmp_path), "score")
    assert result["relaxed"]["matched"] == 0 and result["span"]["matched"] == 1
    missed = [e for e in result["errors"] if "missed" in e]
    assert missed[0]["predicted"][0][2] == 1_500_000


def test_regions_limit_the_scored_predictions(tmp_path):
    start = ARTICLE.index("No one")
    gold = _gold(tmp_path, [_figure("Feb. 14", "date", "--02-14")], regions=[[start, len(ARTICLE)]])
    result = evaluate(gold, _shared(tmp_path), "score")
    assert result["predicted"] == 1 and result["relaxed"]["precision"] == 1.0


def test_one_to_one_matching_prefers_the_exact_span():
    gold = [GoldFigure(0, 3, "number", 5, "abc"), GoldFigure(4, 6, "number", 5, "de")]
    pred = [{"start": 0, "end": 6, "kind": "number", "value": 5},
            {"start": 4, "end": 6, "kind": "number", "value": 5}]  # fmt: skip
    assert sorted(match(gold, pred, "relaxed")) == [(0, 0), (1, 1)]
    assert match(gold, pred, "exact") == [(1, 1)]


def test_changed_article_text_is_reported(tmp_path):
    gold = _gold(tmp_path, [_figure("2019", "year", 2019)])
    shared = _shared(tmp_path, ARTICLE.replace("2019", "2020"))
    with pytest.raises(DataError, match="has changed"):
        evaluate(gold, shared, "score")


def test_missing_dataset_and_bad_gold_lines_say_what_to_do(tmp_path):
    gold = _gold(tmp_path, [_figure("2019", "year", 2019)])
    with pytest.raises(DataError, match="--shared"):
        evaluate(gold, tmp_path / "nowhere", "score")
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"dataset": "ptc", "doc": "1", "part": "dev", "figures": []}\n')
    with pytest.raises(DataError, match="line 1: part must be one of"):
        read_gold(bad)
    bad.write_text('{"dataset": "ptc", "doc": "1", "part": "tune", "figures": [[0, 1, "x", 1]]}\n')
    with pytest.raises(DataError, match=r"\[start, end, kind, value, text\]"):
        read_gold(bad)


def test_cli_json_and_text(tmp_path):
    gold = _gold(tmp_path, [_figure("2019", "year", 2019)])
    shared = str(_shared(tmp_path))
    runner = CliRunner()
    res = runner.invoke(cli, ["eval", "figures", str(gold), "--shared", shared, "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    assert out["relaxed"]["recall"] == 1.0 and "errors" not in out
    res = runner.invoke(cli, ["eval", "figures", str(gold), "--shared", shared, "--show-errors"])
    assert res.exit_code == 0 and "relaxed" in res.output and "spurious" in res.output
