"""What the cold start of ``newsift analyze`` skips or reads back from the cache (issue 22): the
same numbers, bit for bit, as computing them again; nothing heavy imported on the way."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from newsift import cache
from newsift.errors import DataError

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSIFT_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def _same(a: dict, b: dict) -> bool:
    return sorted(a) == sorted(b) and all(
        a[k].dtype == b[k].dtype and a[k].shape == b[k].shape and a[k].tobytes() == b[k].tobytes()
        for k in a
    )


# -- newsift.cache ----------------------------------------------------------------------------
def test_cached_arrays_are_built_once_then_mapped(cache_dir, tmp_path):
    source = tmp_path / "source.bin"
    source.write_bytes(b"v1")
    calls = []

    def build():
        calls.append(1)
        return {"a": np.arange(10, dtype=np.float32) / 3, "b": np.array([[1, 2], [3, 4]])}

    first = cache.cached_arrays("demo", [source], build)
    second = cache.cached_arrays("demo", [source], build)
    assert len(calls) == 1
    assert _same(first, second)
    assert isinstance(second["a"], np.memmap)
    for arr in (*first.values(), *second.values()):  # read-only in both runs alike
        assert not arr.flags.writeable
    source.write_bytes(b"v2 changed")  # another size: another entry, built again
    cache.cached_arrays("demo", [source], build)
    assert len(calls) == 2
    assert len([p for p in cache_dir.iterdir() if p.name.startswith("demo-")]) == 2


def test_cached_arrays_without_a_writable_cache(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("NEWSIFT_CACHE_DIR", str(blocker / "cache"))
    calls = []

    def build():
        calls.append(1)
        return {"a": np.ones(3)}

    for _ in range(2):
        assert cache.cached_arrays("demo", [blocker], build)["a"].tolist() == [1.0, 1.0, 1.0]
    assert len(calls) == 2


def test_damaged_cache_entry_is_built_again(cache_dir, tmp_path):
    source = tmp_path / "s"
    source.write_text("x")
    cache.cached_arrays("demo", [source], lambda: {"a": np.arange(4)})
    (folder,) = [p for p in cache_dir.iterdir() if p.name.startswith("demo-")]
    (folder / "a.npy").write_bytes(b"garbage")
    assert cache.cached_arrays("demo", [source], lambda: {"a": np.arange(4)})["a"].tolist() == [
        0,
        1,
        2,
        3,
    ]


# -- claims.v1: TF-IDF and its products without scipy --------------------------------------------
TEXTS = [
    "The council approved a budget of 40 million euros for the new ferry terminal.",
    "“We cannot keep paying for this out of reserves,” she said on Tuesday.",
    "",
    "Unemployment fell to 4.1% in March, the lowest since 2019 — officials said.",
    "a a a a a",
    "Москва, 14 марта 2019 года.",
    "COVID-19 vaccines contain microchips, the post claimed without evidence!!!",
]


def _scipy_reference(featurizer, texts):
    """The features as claims.v1 computed them with scipy before issue 22."""
    from scipy import sparse

    from newsift.hashing import l2_normalize_rows

    blocks = []
    for h, idf in zip(featurizer.hashers, featurizer.idf, strict=True):
        rows = np.repeat(np.arange(len(texts)), [len(h.ngrams(t)) for t in texts])
        cols = (
            np.concatenate([h.columns(h.ngrams(t)) for t in texts])
            if any(h.ngrams(t) for t in texts)
            else np.zeros(0, np.int64)
        )
        m = sparse.csr_matrix((np.ones(len(cols)), (rows, cols)), shape=(len(texts), h.n_features))
        m.sum_duplicates()
        m = m.tocsr().astype(np.float32)
        m.data = 1 + np.log(m.data)
        blocks.append(l2_normalize_rows(m.multiply(idf).tocsr()))
    return sparse.hstack(blocks).tocsr()


def test_tfidf_arrays_equal_scipy_features(cache_dir):
    pytest.importorskip("scipy")
    from newsift.stages.checkworthy import CheckworthyModel

    model = CheckworthyModel(mode="fast")
    indptr, indices, data = model.featurizer.arrays(TEXTS)
    ref = _scipy_reference(model.featurizer, TEXTS)
    assert indptr.tolist() == ref.indptr.tolist()
    assert indices.tolist() == ref.indices.tolist()
    assert data.dtype == ref.dtype and data.tobytes() == ref.data.tobytes()
    # the products as scipy computes them, to the last bit
    from newsift.hashing import csr_dot

    assert csr_dot(indptr, indices, data, model.coef_bin).tobytes() == (
        (ref @ model.coef_bin).tobytes()
    )
    assert csr_dot(indptr, indices, data, model.coef3.T).tobytes() == (
        (ref @ model.coef3.T).tobytes()
    )
    # a second model reads its dense weights back from the cache: the same scores
    again = CheckworthyModel(mode="fast")
    assert isinstance(again.coef_bin, np.memmap)
    counts = np.zeros(len(TEXTS), dtype=bool)
    for a, b in zip(model.raw(TEXTS, counts=counts), again.raw(TEXTS, counts=counts), strict=True):
        assert a.tobytes() == b.tobytes()


def test_csr_dot_equals_scipy_on_random_matrices():
    sparse = pytest.importorskip("scipy.sparse")
    from newsift.hashing import csr_dot

    rng = np.random.default_rng(7)
    for dtype in (np.float32, np.float64):
        m = sparse.random(40, 300, density=0.08, format="csr", random_state=3, dtype=dtype)
        m.data[::7] = 0.0  # explicit zeros, as an IDF of 0 leaves them
        for w in (rng.normal(size=300).astype(dtype), rng.normal(size=(300, 3)).astype(dtype)):
            got = csr_dot(m.indptr, m.indices, m.data, w)
            assert got.dtype == (m @ w).dtype and got.tobytes() == (m @ w).tobytes()


# -- factchecks: the catalogue -------------------------------------------------------------------
def test_catalogue_arrays_from_the_cache_equal_a_rebuild(cache_dir, monkeypatch):
    from newsift.factchecks import euvsdisinfo, search

    if not euvsdisinfo.available():
        pytest.skip("the packaged catalogue is absent")
    built = euvsdisinfo._build_arrays()
    monkeypatch.setattr(euvsdisinfo, "_build_arrays", lambda: built)  # one build for the test
    first = euvsdisinfo.load(shipped=True)  # writes the cache
    second = euvsdisinfo.load(shipped=True)  # memory-mapped from it
    assert isinstance(second.embeddings, np.memmap)
    for coll in (first, second):
        assert len(coll.embeddings) == len(coll.records)
        assert coll.embeddings.tobytes() == built["emb"].tobytes()
        assert coll.embeddings_e5.tobytes() == built["e5"].tobytes()
        sk = search.sketch(coll)
        for name in ("basis", "low", "rest"):
            assert getattr(sk, name).tobytes() == built[f"sketch_{name}"].tobytes()
    # the packaged files decoded as before: int8 times the row scale, L2-normalised
    with np.load(euvsdisinfo.EMB_PATH) as z:
        emb = z["q"].astype(np.float32) * z["scale"]
    emb /= np.linalg.norm(emb, axis=1, keepdims=True)
    assert emb.tobytes() == built["emb"].tobytes()


def test_lazy_bm25_scores_as_the_built_index(tmp_path):
    from newsift.factchecks.store import LazyBM25, build_bm25, tokenize

    records = [
        {"id": str(i), "claim": c, "title": ""}
        for i, c in enumerate(
            [
                "NATO is preparing to attack Russia",
                "The US develops biological weapons in Ukraine",
                "Vaccines contain microchips",
                "The council approved the ferry budget",
            ]
        )
    ]
    lazy, built = LazyBM25(records), build_bm25(records)
    for q in ("NATO attack", "biological weapons labs in Ukraine", "nothing matches zzz"):
        assert lazy.get_scores(tokenize(q)).tolist() == built.get_scores(tokenize(q)).tolist()
    assert lazy.vocab_dict == built.vocab_dict  # other attributes are the index's


def test_lazily_read_bm25_folder_says_damaged(tmp_path):
    from newsift.factchecks.store import LazyBM25

    (tmp_path / "bm25").mkdir()
    with pytest.raises(DataError, match="damaged"):
        LazyBM25(folder=tmp_path).get_scores(["x"])


def test_stopwords_are_bm25s_english_list():
    stopwords = pytest.importorskip("bm25s.stopwords")
    from newsift.factchecks.store import catalogue_stopwords

    assert catalogue_stopwords() == frozenset(stopwords.STOPWORDS_EN)


def test_match_prep_idf_is_computed_when_read():
    from newsift.factchecks import search
    from newsift.factchecks.store import Collection

    records = [{"id": "1", "claim": "Russians attacked"}, {"id": "2", "claim": "Russia wins"}]
    prep = search.prep(Collection("c", {}, records, None, None))
    assert prep._idf is None
    # n = 2 cases; "russ" ("Russians") in one, "russia" in the other
    assert prep.idf == {
        s: pytest.approx(np.log(1 + (2 - 1 + 0.5) / (1 + 0.5)))
        for s in ("russ", "attack", "russia", "win")
    }


# -- other tables read back from the cache --------------------------------------------------------
def test_ratings_table_from_the_cache_equals_the_csv(cache_dir):
    from newsift.stages import outlet

    from_csv = {
        r["domain"]: {k: float(v) for k, v in r.items() if k != "domain"}
        for r in outlet._read_gz("domain_ratings.csv.gz")
    }
    for _ in range(2):  # built, then read back
        outlet.ratings_table.cache_clear()
        assert outlet.ratings_table() == from_csv
    outlet.ratings_table.cache_clear()


def test_persuasion_lexical_weights_from_the_cache(cache_dir):
    from newsift.persuasion.model import DEFAULT_DIR, MODEL_FILE, PersuasionModel

    with np.load(DEFAULT_DIR / MODEL_FILE) as z:
        ref = {k: z[k].astype(np.float32) for k in ("sent_w", "tok_w", "tc_w", "tc_b")}
    for _ in range(2):
        model = PersuasionModel.load()
        for k, v in ref.items():
            assert getattr(model, k).tobytes() == v.tobytes()


# -- spaCy's registries --------------------------------------------------------------------------
def test_grouped_entry_points_find_what_select_finds(monkeypatch):
    catalogue = pytest.importorskip("catalogue")
    from importlib.metadata import entry_points

    from newsift.stages.nlp import _group_entry_points

    eps = entry_points()
    monkeypatch.setattr(catalogue, "AVAILABLE_ENTRY_POINTS", eps)
    _group_entry_points()
    grouped = catalogue.AVAILABLE_ENTRY_POINTS
    assert isinstance(grouped, dict) and not hasattr(grouped, "select")
    for group in {"spacy_factories", "spacy_languages", "thinc_backends", "console_scripts"}:
        assert [e.value for e in grouped.get(group, [])] == [
            e.value for e in eps.select(group=group)
        ]


# -- what the analyze path imports ---------------------------------------------------------------
def test_analyze_path_imports_no_heavy_library():
    """Building the default pipeline, loading the catalogue and scoring sentences with the
    TF-IDF model import none of scipy, bm25s, scikit-learn, pandas, DuckDB or FastAPI."""
    code = """
import sys
import newsift.api as api
from newsift.factchecks import euvsdisinfo
from newsift.factchecks.search import Searcher, prep
from newsift.stages.checkworthy import CheckworthyModel
from newsift.stages.outlet import ratings_table
api.get_pipeline(None)
coll = euvsdisinfo.load()
Searcher([coll]); prep(coll)
CheckworthyModel(mode="fast").raw(["The budget rose by 12 percent in 2019."])
ratings_table()
heavy = ("scipy", "bm25s", "sklearn", "pandas", "duckdb", "fastapi", "pyarrow", "torch")
print([m for m in heavy if m in sys.modules])
"""
    env = dict(os.environ, PYTHONPATH=str(REPO / "src"))  # the user's cache, as newsift uses
    env.pop("NEWSIFT_FAST", None)
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert json.loads(out.stdout.strip().splitlines()[-1].replace("'", '"')) == []
