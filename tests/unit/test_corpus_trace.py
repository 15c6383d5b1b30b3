"""``newsift trace`` on hand-built tiny corpora: copies always found, an index never stale, junk
left out, bad input refused clearly. Fake (hashing) encoders keep these fast; the real MiniLM and
e5 encoders run in test_corpus_trace_gold.py (slow)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsift.cli import cli
from newsift.corpus.ingest import ingest
from newsift.corpus.narratives import NarrativeConfig, build_narratives
from newsift.corpus.runner import run
from newsift.corpus.similarity import HashingEncoder, junk_reason
from newsift.corpus.store import open_store
from newsift.corpus.trace import trace_search
from newsift.corpus.trace_index import TraceIndex, index_dir, trace_unit
from newsift.errors import InputError

FAKE = {"minilm": HashingEncoder(dim=384), "e5": HashingEncoder(dim=384)}
CLAIM = (
    "The harbour authority of Velmar said on Monday that 340 cargo ships had been diverted to "
    "the port of Ostrava because of a strike by crane operators."
)
ARTICLES = [
    ("a1", "2024-03-01", CLAIM + " Unions said the strike would last a week."),
    ("a2", "2024-03-02", "Shipping news. " + CLAIM),
    ("a3", "2024-03-03", "Crane operators in Velmar went back to work on Friday after a pay deal."),
    ("a4", None, "The mayor of Ostrava opened a new tram line with 12 stations on Sunday."),
    ("a5", "2024-03-02", "By Anna Kowalska and Peter Schmidt, Reuters. Editing by Mark Heinrich."),
]


def _write(path: Path, rows: list[tuple[str, str | None, str]]) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        for aid, date, text in rows:
            rec = {"id": aid, "url": f"https://{aid}.example/{aid}", "date": date, "text": text}
            fh.write(json.dumps(rec) + "\n")
    return path


def _corpus(tmp: Path, rows=ARTICLES, name: str = "c") -> Path:
    db = tmp / f"{name}.duckdb"
    with open_store(db) as store:
        ingest(store, [_write(tmp / f"{name}.jsonl", rows)])
        run(store, stages=[])
    return db


def _ext(store, matches):
    ids = dict(store.query("SELECT id, ext_id FROM articles"))
    return [ids[m["article_id"]] for m in matches]


def test_verbatim_copies_found_earliest_first(tmp_path):
    db = _corpus(tmp_path)
    with open_store(db) as store:
        res = trace_search(store, CLAIM, encoders=FAKE)
        found = _ext(store, res.matches)
    assert found[:2] == ["a1", "a2"]
    assert [m["match"] for m in res.matches[:2]] == ["copy", "copy"]
    assert res.matches[0]["origin"] and not res.matches[1]["origin"]
    assert "a5" not in found  # a byline is not a claim


def test_copies_found_after_narratives_built_their_index(tmp_path):
    """The bug of issue 21: once `newsift narratives` saved its index, trace missed copies."""
    db = _corpus(tmp_path)
    with open_store(db) as store:
        build_narratives(store, NarrativeConfig(encoder="hashing"))
        res = trace_search(
            store, "340 cargo ships had been diverted to the port of Ostrava", encoders=FAKE
        )
        assert _ext(store, res.matches)[:2] == ["a1", "a2"]


def test_index_is_never_stale(tmp_path):
    db = _corpus(tmp_path)
    with open_store(db) as store:
        first = trace_search(store, CLAIM, encoders=FAKE)
        assert [m["match"] for m in first.matches].count("copy") == 2
        again = trace_search(store, CLAIM, encoders=FAKE)
        assert not any("built" in n for n in again.notes)  # the same corpus: the index is reused
        ingest(
            store, [_write(tmp_path / "more.jsonl", [("a6", "2024-02-28", "Earlier: " + CLAIM)])]
        )
        run(store, stages=[])
        later = trace_search(store, CLAIM, encoders=FAKE)
        assert any("built" in n for n in later.notes)
        assert _ext(store, later.matches)[0] == "a6"


def test_older_database_without_vectors_is_encoded_or_reported(tmp_path):
    db = _corpus(tmp_path)
    with open_store(db) as store:
        assert store.query("SELECT count(*) FROM claim_vectors")[0][0] == 0
        index, built = TraceIndex.ensure(store, max_encode=1, encoders=FAKE)
        assert built.not_searched > 0
        res = trace_search(store, CLAIM, index=index, encoders=FAKE)
        assert any("not searched" in n for n in res.notes)
        _, built = TraceIndex.ensure(store, encoders=FAKE)  # encodes the rest, stores them
        assert built.not_searched == 0
        assert store.query("SELECT count(*) FROM claim_vectors")[0][0] > 0


def test_no_dates_and_identical_articles(tmp_path):
    undated = [(a, None, CLAIM + f" Report {a}.") for a in ("b1", "b2", "b3")]
    db = _corpus(tmp_path, undated, "u")
    with open_store(db) as store:
        res = trace_search(store, CLAIM, encoders=FAKE)
    assert len(res.matches) == 3 and not any(m["origin"] for m in res.matches)
    assert [m["date"] for m in res.matches] == [None] * 3
    assert any("no match has a date" in n for n in res.notes)
    same = [(a, "2024-01-01", CLAIM) for a in ("c1", "c2", "c3")]
    db = _corpus(tmp_path, same, "s")  # identical content is stored once (ingest dedup)
    with open_store(db) as store:
        res = trace_search(store, CLAIM, encoders=FAKE)
    assert len(res.matches) == 1 and res.matches[0]["match"] == "copy"


def test_empty_corpus_says_so(tmp_path):
    with open_store(tmp_path / "e.duckdb") as store:
        res = trace_search(store, CLAIM, encoders=FAKE)
    assert res.matches == [] and any("no analysed claims" in n for n in res.notes)


@pytest.mark.parametrize(
    ("query", "code"),
    [("", "empty"), ("   ", "empty"), ("biolabs", "too_short"), ("word " * 2500, "too_long")],
)
def test_bad_queries_are_refused(tmp_path, query, code):
    with open_store(tmp_path / "q.duckdb") as store, pytest.raises(InputError) as err:
        trace_search(store, query, encoders=FAKE)
    assert err.value.code == code


@pytest.mark.parametrize(
    "query", ["", "biolabs", "word " * 2500], ids=["empty", "one-word", "10k-chars"]
)
def test_cli_bad_queries_one_line_no_traceback(tmp_path, query):
    db = _corpus(tmp_path)
    r = CliRunner().invoke(cli, ["trace", query, "--db", str(db)])
    assert r.exit_code != 0 and "Traceback" not in r.output
    assert "trace:" in r.output


def test_cli_missing_database_is_not_created(tmp_path):
    db = tmp_path / "none.duckdb"
    r = CliRunner().invoke(cli, ["trace", "the US is protecting ISIS fighters", "--db", str(db)])
    assert r.exit_code != 0 and not db.exists()


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("By Anna Kowalska and Peter Schmidt, Reuters.", "byline"),
        ("Reporting by Pavel Polityuk; editing by Andrew Osborn.", "byline"),
        ("MOSCOW, March 4. /TASS/.", "dateline"),
        ("KALININGRAD, July 8 (Reuters) -", "dateline"),
        (
            "Participants: Sergei Lavrov, Maria Zakharova, Antony Blinken, Josep Borrell, "
            "Dmitry Peskov.",
            "name_list",
        ),
        ("We use cookies to improve your experience. Subscribe to our newsletter.", "boilerplate"),
        ("Теги: Сирія, США, ІДІЛ, Росія, Міноборони, новини.", "boilerplate"),
        (CLAIM, None),
        ("Sergei Lavrov met Antony Blinken in Geneva on Friday to discuss a prisoner swap.", None),
    ],
)
def test_junk_is_not_a_claim(text, reason):
    assert junk_reason(text) == reason
    assert trace_unit(text) is (reason is None)


def test_index_lives_beside_the_database(tmp_path):
    db = _corpus(tmp_path)
    with open_store(db) as store:
        TraceIndex.ensure(store, encoders=FAKE)
    assert (index_dir(str(db)) / "meta.json").exists()


def test_thresholds_grow_with_the_corpus():
    """The z-score thresholds rise like the expected largest of N unrelated scores,
    sqrt(2 ln N), above the reference size; a small corpus keeps the tuned values."""
    import math

    from newsift.corpus import trace

    base = {"minilm": 3.0, "e5_same": 2.5, "e5_cross": 1.75, "scale": 1.0, "minilm_cos": 0.5}
    n_ref = trace.REFERENCE_UNITS
    assert trace.scaled_thresholds(base, 10) == base
    assert trace.scaled_thresholds(base, n_ref) == base
    big = trace.scaled_thresholds(base, 234_000)
    lift = math.sqrt(2 * math.log(234_000)) - math.sqrt(2 * math.log(n_ref))
    for key in ("minilm", "e5_same", "e5_cross"):
        assert big[key] == pytest.approx(base[key] + lift)
    assert big["scale"] == 1.0 and big["minilm_cos"] == 0.5  # cosine floors do not move
    half = trace.scaled_thresholds({**base, "scale": 0.5}, 234_000)
    assert half["minilm"] == pytest.approx(3.0 + lift / 2)
    assert trace.scaled_thresholds({**base, "scale": 0.0}, 10**7) == {**base, "scale": 0.0}
    sizes = [n_ref, 1_000, 10_000, 100_000, 1_000_000]
    lifted = [trace.scaled_thresholds(base, n)["minilm"] for n in sizes]
    steps = [b - a for a, b in zip(lifted[1:], lifted[2:], strict=False)]
    assert lifted == sorted(lifted) and steps == sorted(steps, reverse=True)  # slower per decade


def test_a_larger_corpus_asks_more_of_a_reword_never_of_a_copy(tmp_path, monkeypatch):
    """With every z-score let through, a small corpus returns rewordings; once the corpus
    counts as large (the reference size made tiny), the lifted thresholds drop them while the
    verbatim copies stay."""
    from newsift.corpus import trace

    db = _corpus(tmp_path)
    loose = {"minilm": -5.0, "e5_same": -5.0, "e5_cross": -5.0}
    loose |= {"minilm_cos": -1.0, "e5_same_cos": -1.0, "e5_cross_cos": -1.0}
    with open_store(db) as store:
        small = trace_search(store, CLAIM, encoders=FAKE, thresholds={**loose, "scale": 1.0})
        monkeypatch.setattr(trace, "REFERENCE_UNITS", 1)
        large = trace_search(store, CLAIM, encoders=FAKE, thresholds={**loose, "scale": 20.0})
        assert _ext(store, large.matches) == ["a1", "a2"]
    assert {m["match"] for m in small.matches} >= {"copy", "reword"}
    assert [m["match"] for m in large.matches] == ["copy", "copy"]
