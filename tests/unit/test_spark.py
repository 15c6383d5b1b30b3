"""newsift spark: the run of `newsift run` on Spark, same tables, nothing lost (local Spark)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow  # loads spaCy or an ONNX model (scripts/test.sh --fast skips it)

pytest.importorskip("pyspark")
if shutil.which("java") is None:  # pragma: no cover - depends on the machine
    pytest.skip("Spark needs Java 17+, not found on PATH", allow_module_level=True)

duckdb = pytest.importorskip("duckdb")

GOOD = [
    {
        "id": "a1",
        "url": "https://a.example/1",
        "date": "2024-03-01",
        "title": "Bridge closes",
        "text": "The bridge will close for two years, officials familiar with the plan said on "
        "Tuesday. Repairs would cost $310 million, according to a report by the transport "
        "department.",
    },
    {
        "id": "a2",
        "url": "https://b.example/2",
        "date": "Mon, 04 Mar 2024 10:00:00 GMT",
        "text": "A source in the ministry said 300 trucks crossed the border. Experts say the "
        "situation is grave.",
    },
    {
        "id": "a3",
        "url": "https://c.example/3",
        "date": "not a date",
        "html": "<html><head><title>Flood</title></head><body><article><h1>Flood</h1><p>Officials "
        "said 40 homes flooded in the valley on Friday, and the council will vote on a repair fund "
        "next week, the mayor told reporters at City Hall.</p></article></body></html>",
    },
]


@pytest.fixture(scope="module")
def spark_run(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("spark")
    src = folder / "in.jsonl"
    lines = [json.dumps(r) for r in GOOD]
    lines.append(json.dumps({"id": "a4", "url": "https://d.example/4", "text": "   "}))
    lines.append('{"id": "broken", "text": "unterminated')
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = folder / "out"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "newsift",
            "spark",
            str(src),
            "-o",
            str(out),
            "--master",
            "local[2]",
            "--stages",
            "nlp.v1,outlet.v1,attribution.v1,claims.v1",
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return out, proc.stdout


def _table(out, name: str):
    return duckdb.sql(f"select * from read_parquet('{out}/{name}/*.parquet')")


def test_every_record_is_accounted_for(spark_run) -> None:
    out, stdout = spark_run
    assert "analysed 3 of 5 articles" in stdout
    rows = dict(_table(out, "analyses").select("article_id, status").fetchall())
    assert {k: v for k, v in rows.items() if v == "ok"} == {"a1": "ok", "a2": "ok", "a3": "ok"}
    assert rows["a4"] == "failed"
    assert sum(1 for k, v in rows.items() if k.startswith("corrupt-") and v == "failed") == 1
    problems = _table(out, "problems").select("article_id, code").fetchall()
    codes = {code for _, code in problems}
    assert {"empty_record", "malformed_record", "bad_date"} <= codes
    assert ("a3", "bad_date") in problems


def test_same_analysis_as_the_api(spark_run) -> None:
    from newsift.api import analyze_text

    out, _ = spark_run
    stored = dict(_table(out, "analyses").select("article_id, json").fetchall())
    mine = analyze_text(
        GOOD[1]["text"],
        url=GOOD[1]["url"],
        stages=["nlp.v1", "outlet.v1", "attribution.v1", "claims.v1"],
    ).to_dict()
    theirs = json.loads(stored["a2"])
    assert theirs["attributions"] == mine["attributions"]
    assert [c["score"] for c in theirs["claims"]] == [c["score"] for c in mine["claims"]]
    kinds = {k for (k,) in _table(out, "attributions").select("kind").fetchall()}
    assert "anonymous" in kinds
    dates = dict(_table(out, "analyses").select("article_id, date").fetchall())
    assert str(dates["a1"]).startswith("2024-03-01")


def test_missing_pyspark_is_a_clear_error(monkeypatch) -> None:
    from newsift.corpus import spark as spark_mod
    from newsift.errors import ConfigError

    monkeypatch.setitem(sys.modules, "pyspark", None)
    with pytest.raises(ConfigError, match=r"newsift\[spark\]"):
        spark_mod.require_pyspark()
