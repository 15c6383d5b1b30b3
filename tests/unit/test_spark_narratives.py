"""Spark parity of `newsift narratives` (issue 21): the same groups as the DuckDB path on the
same corpus, in Spark local mode."""

from __future__ import annotations

import json
import shutil

import pytest

pytestmark = pytest.mark.slow  # starts a JVM (about 10-20 s)

pytest.importorskip("pyspark")
if shutil.which("java") is None:  # pragma: no cover - depends on the machine
    pytest.skip("Spark needs Java 17+, not found on PATH", allow_module_level=True)

from newsift.corpus.ingest import ingest  # noqa: E402
from newsift.corpus.narratives import NarrativeConfig, build_narratives  # noqa: E402
from newsift.corpus.runner import run  # noqa: E402
from newsift.corpus.spark import narratives_dataframe  # noqa: E402
from newsift.corpus.store import open_store  # noqa: E402
from tests.conftest import local_spark  # noqa: E402

from .test_corpus_narratives_claims import ARTICLES  # noqa: E402

EXTRA = [
    {
        "id": f"w{i}",
        "url": f"https://w{i}.example/a",
        "date": f"2024-05-{d:02d}",
        "text": text,
    }
    for i, (d, text) in enumerate(
        [
            (10, "Mayor Ilse Varn said the Korfen bridge will close for 18 months from June."),
            (
                11,
                "The Korfen bridge is to shut for 18 months starting in June, Mayor Ilse Varn said.",
            ),
            # not word for word: `newsift ingest` drops an identical text, Spark does not
            (
                25,
                "Mayor Ilse Varn said the Korfen bridge will close for 18 months from June, again.",
            ),
            (26, "Crime in Pelis rose by 5 percent in 2023, the Pelis police chief said."),
            (27, "Pelis saw a 5 percent increase in crime during 2023, its police chief said."),
        ]
    )
]


def _groups(members):
    out: dict[int, set] = {}
    for m in members:
        out.setdefault(m["narrative_id"], set()).add((m["article_id"], m["claim_idx"]))
    return sorted(sorted(g) for g in out.values())


@pytest.fixture(scope="module")
def spark():
    yield from local_spark("newsift-narratives-parity", 1)


@pytest.mark.parametrize("window_days", [14, 3])
def test_spark_narratives_equal_duckdb(spark, tmp_path, window_days):
    src = tmp_path / "c.jsonl"
    src.write_text("".join(json.dumps(a) + "\n" for a in ARTICLES + EXTRA), encoding="utf-8")
    config = NarrativeConfig(encoder="hashing", window_days=window_days)
    with open_store(tmp_path / "c.duckdb") as store:
        ingest(store, [src])
        run(store, stages=[], batch=16)
        build_narratives(store, config)
        duck = store.query(
            "SELECT narrative_id, article_id, claim_idx, match FROM narrative_members"
        )
        origins = store.query("SELECT origin_article_id, n_articles FROM narratives ORDER BY id")
        for t in ("claims", "analyses", "articles"):  # as `newsift export` writes them
            store.export(t, str(tmp_path / f"{t}.parquet"), "parquet")
    frames = {
        t: spark.read.parquet(str(tmp_path / f"{t}.parquet"))
        for t in ("claims", "analyses", "articles")
    }
    narratives, members = narratives_dataframe(
        frames["claims"].drop("start", "end"),
        frames["analyses"].drop("json", "text"),
        articles=frames["articles"].select("id", "url"),
        config=config,
    )
    keys = ("narrative_id", "article_id", "claim_idx", "match")
    duck_members = [dict(zip(keys, r, strict=True)) for r in duck]
    assert _groups(members) == _groups(duck_members) and len(narratives) >= 2
    assert [(n["origin_article_id"], n["n_articles"]) for n in narratives] == origins
    assert sorted((m["article_id"], m["match"]) for m in members) == sorted(
        (m["article_id"], m["match"]) for m in duck_members
    )


def test_newsift_spark_narratives_cli_equals_newsift_narratives(tmp_path):
    """`newsift spark --narratives` writes narratives whose groups (by record id and claim
    index) are those `newsift narratives` stores for the same records."""
    import subprocess
    import sys

    import duckdb

    src = tmp_path / "c.jsonl"
    src.write_text("".join(json.dumps(a) + "\n" for a in ARTICLES + EXTRA), encoding="utf-8")
    out = tmp_path / "out"
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
            "local[1]",
            "--stages",
            "nlp.v1",
            "--narratives",
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    spark_rows = duckdb.sql(
        f"SELECT narrative_id, article_id, claim_idx FROM '{out}/narrative_members/*.parquet'"
    ).fetchall()
    with open_store(tmp_path / "c.duckdb") as store:
        ingest(store, [src])
        run(store, stages=["nlp.v1"], batch=16)
        build_narratives(store, NarrativeConfig())
        duck_rows = store.query(
            "SELECT m.narrative_id, a.ext_id, m.claim_idx FROM narrative_members m "
            "JOIN articles a ON a.id = m.article_id"
        )
    as_members = lambda rows: [  # noqa: E731
        {"narrative_id": n, "article_id": a, "claim_idx": i} for n, a, i in rows
    ]
    assert _groups(as_members(spark_rows)) == _groups(as_members(duck_rows))
    assert len(duck_rows) >= 4
