"""Spark parity of `newsift trace` (issue 21): the same matches as the DuckDB path on the same
corpus, in Spark local mode. Fake (hashing) encoders stand in for MiniLM and e5, as in
test_corpus_trace.py; the vectors are the ones the DuckDB index stored."""

from __future__ import annotations

import json
import shutil

import pytest

pytestmark = pytest.mark.slow  # starts a JVM (about 10-20 s)

pytest.importorskip("pyspark")
if shutil.which("java") is None:  # pragma: no cover - depends on the machine
    pytest.skip("Spark needs Java 17+, not found on PATH", allow_module_level=True)

from newsift.corpus.ingest import ingest  # noqa: E402
from newsift.corpus.runner import run  # noqa: E402
from newsift.corpus.spark import trace_dataframe  # noqa: E402
from newsift.corpus.store import open_store  # noqa: E402
from newsift.corpus.trace import trace_search  # noqa: E402
from newsift.errors import InputError  # noqa: E402
from tests.conftest import local_spark  # noqa: E402

from .test_corpus_trace import ARTICLES, CLAIM, FAKE  # noqa: E402

PLACES = ["Velmar", "Ostrava", "Kelden", "Marrow", "Tiesto", "Brannik", "Olsk", "Pereda"]
THINGS = ["tram line", "bridge", "harbour crane", "grain silo", "water plant", "school"]
# Enough articles for the background sample (100 units or more) and more units than the
# candidates each way keeps (k = 100): hand-written templates, dated over three weeks.
FILLER = [
    (
        f"f{i}",
        f"2024-03-{1 + i % 21:02d}" if i % 9 else None,
        f"The council of {PLACES[i % 8]} approved {i + 3} million for a new "
        f"{THINGS[i % 6]} on {['Monday', 'Tuesday', 'Friday'][i % 3]}. "
        f"Work in {PLACES[(i + 3) % 8]} is to start in {2025 + i % 3} after a vote of "
        f"{i % 40 + 5} members.",
    )
    for i in range(70)
]
REWORD = (
    "f-rw",
    "2024-03-05",
    "Because crane operators went on strike, 340 cargo ships were sent on to Ostrava instead of "
    "Velmar, the harbour authority said.",
)
QUERIES = [
    CLAIM,
    "340 cargo ships had been diverted to the port of Ostrava",
    "crane operators strike diverted 340 cargo ships to Ostrava",
    "The council of Kelden approved 9 million for a new grain silo",
    "A tram line with 12 stations opened in Ostrava",
    "Nothing here matches this sentence about penguins at all",
]


@pytest.fixture(scope="module")
def spark():
    yield from local_spark("newsift-trace-parity", 2)


def _corpus(tmp_path, rows):
    src = tmp_path / "c.jsonl"
    with src.open("w", encoding="utf-8") as fh:
        for aid, date, text in rows:
            rec = {"id": aid, "url": f"https://{aid}.example/{aid}", "date": date, "text": text}
            fh.write(json.dumps(rec) + "\n")
    return src


def _key(m):
    return (
        m["article_id"],
        m["match"],
        round(m["score"], 2),
        round(m["similarity"], 2),
        m["origin"],
        m["tied"],
        m["language"],
        m["text"],
        str(m["date"]),
        m["url"],
    )


@pytest.mark.parametrize("size", ["tiny", "filler"])
def test_spark_trace_equals_duckdb(spark, tmp_path, size):
    rows = ARTICLES if size == "tiny" else ARTICLES + FILLER + [REWORD]
    with open_store(tmp_path / "c.duckdb") as store:
        ingest(store, [_corpus(tmp_path, rows)])
        run(store, stages=[])
        duck = [trace_search(store, q, encoders=FAKE, limit=20) for q in QUERIES]
        for t in ("claims", "analyses", "articles", "claim_vectors"):  # as `newsift export` does
            store.export(t, str(tmp_path / f"{t}.parquet"), "parquet")
    frames = {
        t: spark.read.parquet(str(tmp_path / f"{t}.parquet"))
        for t in ("claims", "analyses", "articles", "claim_vectors")
    }
    got = trace_dataframe(
        frames["claims"],
        frames["analyses"].drop("json"),
        frames["claim_vectors"],
        QUERIES,
        articles=frames["articles"].select("id", "url"),
        limit=20,
        encoders=FAKE,
    )
    assert len(got) == len(QUERIES)
    assert sum(len(d.matches) for d in duck) >= len(QUERIES) - 1  # something to compare
    for d, s in zip(duck, got, strict=True):
        assert (s.searched, s.not_searched, s.language) == (d.searched, d.not_searched, d.language)
        assert [_key(m) for m in s.matches] == [_key(m) for m in d.matches]
    if size == "filler":
        assert duck[0].searched > 100  # the background sample and k both matter here


def test_spark_trace_refuses_bad_queries(spark, tmp_path):
    with open_store(tmp_path / "c.duckdb") as store:
        ingest(store, [_corpus(tmp_path, ARTICLES)])
        run(store, stages=[])
        for t in ("claims", "analyses", "claim_vectors"):
            store.export(t, str(tmp_path / f"{t}.parquet"), "parquet")
    frames = {
        t: spark.read.parquet(str(tmp_path / f"{t}.parquet"))
        for t in ("claims", "analyses", "claim_vectors")
    }
    with pytest.raises(InputError):
        trace_dataframe(frames["claims"], frames["analyses"], frames["claim_vectors"], [""])
    # no vectors stored (`newsift run --no-vectors`): nothing searched, and said so
    [res] = trace_dataframe(
        frames["claims"],
        frames["analyses"],
        frames["claim_vectors"].limit(0),
        [CLAIM],
        encoders=FAKE,
    )
    assert res.matches == [] and res.searched == 0 and res.not_searched > 0
    assert any("no vectors" in n for n in res.notes)
