"""The search index of ``newsift trace``: every analysed claim unit, found four ways.

Kept in ``<db>.trace/`` beside the database and rebuilt whenever the corpus changed (a fingerprint
of the analysed articles is checked before every search, so the index is never stale):

- ``rows.npz``: the unit ids (``article_id * MAX_IDX + idx``), languages and dates, row-aligned
  with everything below;
- ``minilm.npy`` / ``e5.npy``: int8 vectors of each unit (MiniLM for English, multilingual e5 for
  every language), read from ``claim_vectors`` (``newsift run --vectors`` writes them) or encoded
  once here for units that have none (a database from an older newsift);
- ``minilm.usearch`` / ``e5.usearch``: HNSW indexes over those vectors (keys are row numbers);
- ``words/`` and ``shingles/``: BM25 indexes (bm25s) over word stems and word 3-grams, so a verbatim
  or near copy is always a candidate whatever the vectors say;
- ``meta.json``: the fingerprint, counts, build time, and how many units could not be searched.

A unit is a ``claims`` row of five words or more that is not junk (:func:`similarity.junk_reason`:
name lists, datelines, bylines, boilerplate).
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from .narrative_rows import MAX_IDX
from .similarity import STOPWORDS, junk_reason, shingles, to_int8, tokens
from .store import DuckDBStore

ENCODERS = ("minilm", "e5")
MIN_WORDS = 5
# Units encoded now when they have no stored vectors; the rest are reported as not searched.
MAX_ENCODE = 20_000
DIM = 384  # both encoders' width
FORMAT = 1


def trace_unit(text: str | None) -> bool:
    """A unit worth tracing: five words or more and not junk."""
    if not text:
        return False
    return len(text.split()) >= MIN_WORDS and junk_reason(text) is None


def index_dir(db_path: str) -> Path:
    """``<db>.trace/`` beside the database."""
    return Path(str(db_path) + ".trace")


def word_terms(text: str) -> list[str]:
    """BM25 terms: content-word stems (first 6 letters) and figures."""
    return [t[:6] for t in tokens(text) if t not in STOPWORDS and len(t) > 1]


def shingle_terms(text: str) -> list[str]:
    return sorted(shingles(text))


def get_trace_encoder(name: str, encoders: Mapping[str, Any] | None = None) -> Any:
    """The encoder object of ``name`` (``minilm`` or ``e5``): from ``encoders`` when given (tests
    pass fakes), else the model, loaded once per process."""
    if encoders is not None:
        return encoders[name]
    if name == "e5":
        from ..embed import get_multilingual_encoder

        return get_multilingual_encoder()
    from ..embed import get_encoder

    return get_encoder()


def fingerprint(store: DuckDBStore) -> list[Any]:
    """What changes when articles are analysed again or added: counts and the last analysis."""
    row = store.query(
        "SELECT count(*), max(analyzed_at)::VARCHAR, (SELECT count(*) FROM claims), "
        "(SELECT count(*) FROM claim_vectors) FROM analyses WHERE status = 'ok'"
    )[0]
    return [int(row[0]), row[1], int(row[2]), int(row[3])]


@dataclass
class Built:
    """What an index build did."""

    units: int = 0
    encoded: int = 0
    not_searched: int = 0
    seconds: float = 0.0
    rebuilt: bool = False
    skipped_junk: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


class TraceIndex:
    """The loaded index (see the module docstring); :meth:`ensure` opens or rebuilds it."""

    def __init__(self, path: Path, meta: dict[str, Any]) -> None:
        self.path = path
        self.meta = meta
        rows = np.load(path / "rows.npz", allow_pickle=False)
        self.uids: np.ndarray = rows["uids"]
        self.langs: np.ndarray = rows["langs"]
        self.vectors = {e: np.load(path / f"{e}.npy", mmap_mode="r") for e in ENCODERS}
        self._ann: dict[str, Any] = {}
        self._bm25: dict[str, Any] = {}
        self._vocab: dict[str, dict[str, int]] = {}

    def __len__(self) -> int:
        return len(self.uids)

    @classmethod
    def ensure(
        cls,
        store: DuckDBStore,
        *,
        max_encode: int = MAX_ENCODE,
        progress: Any = None,
        encoders: Mapping[str, Any] | None = None,
    ) -> tuple[TraceIndex, Built]:
        """The up-to-date index of ``store``: loaded when its fingerprint matches, else rebuilt
        (units without stored vectors are encoded and stored, up to ``max_encode``)."""
        path = index_dir(store.path)
        fp = fingerprint(store)
        meta_file = path / "meta.json"
        if meta_file.exists():
            try:
                meta = json.loads(meta_file.read_text(encoding="utf-8"))
            except ValueError:
                meta = {}
            fresh = meta.get("fingerprint") == fp and meta.get("format") == FORMAT
            if fresh and not meta.get("not_searched"):
                return cls(path, meta), Built(
                    units=meta["units"], not_searched=meta["not_searched"]
                )
        built = build(store, path, max_encode=max_encode, progress=progress, encoders=encoders)
        meta = json.loads(meta_file.read_text(encoding="utf-8"))
        return cls(path, meta), built

    def ann(self, encoder: str, vec: np.ndarray, k: int) -> np.ndarray:
        """Rows of the ``k`` nearest units to ``vec`` in the ``encoder`` index."""
        if len(self) == 0:
            return np.zeros(0, dtype=np.int64)
        if encoder not in self._ann:
            from usearch.index import Index

            self._ann[encoder] = Index.restore(str(self.path / f"{encoder}.usearch"), view=True)
        index = self._ann[encoder]
        found = index.search(vec.astype(np.float32), min(k, len(index)))
        return np.atleast_1d(found.keys).astype(np.int64)

    def bm25(self, kind: str, terms: list[str], k: int) -> np.ndarray:
        """Rows with the best BM25 scores for ``terms`` (``kind``: words or shingles)."""
        if kind not in self._bm25:
            import bm25s

            self._bm25[kind] = bm25s.BM25.load(str(self.path / kind))
            self._vocab[kind] = json.loads((self.path / f"{kind}.vocab.json").read_text("utf-8"))
        vocab = self._vocab[kind]
        ids = [vocab[t] for t in dict.fromkeys(terms) if t in vocab]
        if not ids or len(self) == 0:
            return np.zeros(0, dtype=np.int64)
        docs, scores = self._bm25[kind].retrieve(
            [ids], k=min(k, len(self)), show_progress=False, n_threads=1
        )
        return docs[0][scores[0] > 0].astype(np.int64)

    def unit_vectors(self, encoder: str, rows: np.ndarray) -> np.ndarray:
        """L2-normalised float vectors of ``rows`` (no encoding: read from the index files)."""
        m = np.asarray(self.vectors[encoder][rows], dtype=np.float32)
        return m / np.clip(np.linalg.norm(m, axis=1, keepdims=True), 1e-9, None)

    def background(self, encoder: str) -> np.ndarray:
        """A fixed sample of up to 2,000 unit vectors: what an unrelated unit scores."""
        n = len(self)
        rows = np.random.default_rng(0).choice(n, size=min(n, 2000), replace=False)
        return self.unit_vectors(encoder, np.sort(rows))


def _units(store: DuckDBStore) -> tuple[list[tuple[int, str, str]], int]:
    """(uid, text, language) of every trace unit of an analysed article, and the junk count."""
    from ..lang import guess_language

    rows = store.query(
        f"""SELECT c.article_id * {MAX_IDX} + c.idx, c.text, n.language
            FROM claims c JOIN analyses n ON n.article_id = c.article_id
            WHERE n.status = 'ok' AND c.text IS NOT NULL AND c.idx < {MAX_IDX}
            ORDER BY 1"""
    )
    # Articles analysed without a language (extraction only): told from the article's text.
    unknown = sorted({int(u) // MAX_IDX for u, _, lang in rows if not lang})
    found: dict[int, str] = {}
    for part in range(0, len(unknown), 10_000):
        ids = unknown[part : part + 10_000]
        for aid, text in store.query(
            "SELECT article_id, text FROM analyses WHERE article_id IN (SELECT unnest(?))", [ids]
        ):
            found[int(aid)] = guess_language(text or "") or ""
    keep = [
        (int(u), t, lang or found.get(int(u) // MAX_IDX, ""))
        for u, t, lang in rows
        if trace_unit(t)
    ]
    junk = sum(1 for _, t, _ in rows if t and len(t.split()) >= MIN_WORDS and junk_reason(t))
    return keep, junk


def _stored_vectors(store: DuckDBStore, encoder: str) -> dict[int, bytes]:
    rows = store.query(
        f"SELECT article_id * {MAX_IDX} + idx, vec FROM claim_vectors WHERE encoder = ?", [encoder]
    )
    return {int(u): v for u, v in rows}


def _vectors_for(
    store: DuckDBStore,
    encoder: str,
    units: list[tuple[int, str, str]],
    budget: int,
    encoders: Mapping[str, Any] | None,
) -> tuple[np.ndarray, np.ndarray, int]:
    """int8 vectors of ``units`` (stored, or encoded and stored now) and a mask of those that
    have one; returns how many were encoded."""
    if not units:
        return np.zeros((0, DIM), dtype=np.int8), np.zeros(0, dtype=bool), 0
    enc = get_trace_encoder(encoder, encoders)
    stored = _stored_vectors(store, encoder)
    out = np.zeros((len(units), enc.dim), dtype=np.int8)
    have = np.zeros(len(units), dtype=bool)
    todo: list[int] = []
    for i, (uid, _, _) in enumerate(units):
        blob = stored.get(uid)
        if blob is not None and len(blob) == enc.dim:
            out[i] = np.frombuffer(blob, dtype=np.int8)
            have[i] = True
        elif len(todo) < budget:
            todo.append(i)
    if todo:
        vecs = enc.encode([units[i][1] for i in todo])
        blobs = to_int8(np.asarray(vecs, dtype=np.float32))
        rows = []
        for i, blob in zip(todo, blobs, strict=True):
            out[i] = np.frombuffer(blob, dtype=np.int8)
            have[i] = True
            uid = units[i][0]
            rows.append(
                {
                    "article_id": uid // MAX_IDX,
                    "idx": uid % MAX_IDX,
                    "encoder": encoder,
                    "vec": blob,
                }
            )
        try:
            store.add_claim_vectors(rows)
        except Exception:  # noqa: BLE001 - a read-only database: the index still has them
            pass
    return out, have, len(todo)


def _bm25(path: Path, kind: str, docs: list[list[str]]) -> None:
    import bm25s
    from bm25s.tokenization import Tokenized

    vocab: dict[str, int] = {}
    ids = [
        [vocab.setdefault(t, len(vocab)) for t in doc] or [vocab.setdefault("", len(vocab))]
        for doc in docs
    ]
    retriever = bm25s.BM25()
    if docs:
        retriever.index(Tokenized(ids=ids, vocab=vocab), show_progress=False)
        retriever.save(str(path / kind))
    (path / f"{kind}.vocab.json").write_text(json.dumps(vocab), encoding="utf-8")


def build(
    store: DuckDBStore,
    path: Path,
    *,
    max_encode: int = MAX_ENCODE,
    progress: Any = None,
    encoders: Mapping[str, Any] | None = None,
) -> Built:
    """Write the index of every trace unit of ``store`` into ``path`` (see the module docstring)."""
    from usearch.index import Index

    from ..embed import default_threads

    t0 = time.perf_counter()
    units, junk = _units(store)
    path.mkdir(parents=True, exist_ok=True)
    keep = np.ones(len(units), dtype=bool)
    encoded = 0
    vecs = {}
    for encoder in ENCODERS:
        if progress:
            progress(f"trace index: {encoder} vectors of {len(units):,} units")
        vecs[encoder], have, n = _vectors_for(store, encoder, units, max_encode, encoders)
        encoded += n
        keep &= have
    not_searched = int((~keep).sum())
    units = [u for u, k in zip(units, keep, strict=True) if k]
    for encoder in ENCODERS:
        v = vecs[encoder][keep]
        np.save(path / f"{encoder}.npy", v)
        # A sparser graph than usearch's defaults (16, 128) builds 5x faster (0.11 against 0.6
        # CPU s per 1,000 vectors here); copies do not depend on it (BM25 finds them).
        index = Index(ndim=v.shape[1], metric="cos", dtype="i8", connectivity=8, expansion_add=40)
        if len(v):
            m = v.astype(np.float32)
            m /= np.clip(np.linalg.norm(m, axis=1, keepdims=True), 1e-9, None)
            index.add(np.arange(len(v), dtype=np.int64), m, threads=default_threads())
        index.save(str(path / f"{encoder}.usearch"))
    np.savez(
        path / "rows.npz",
        uids=np.asarray([u for u, _, _ in units], dtype=np.int64),
        langs=np.asarray([lang or "" for _, _, lang in units], dtype="U8"),
    )
    _bm25(path, "words", [word_terms(t) for _, t, _ in units])
    _bm25(path, "shingles", [shingle_terms(t) for _, t, _ in units])
    seconds = time.perf_counter() - t0
    # The fingerprint after the vectors encoded here were stored.
    meta = {
        "format": FORMAT,
        "fingerprint": fingerprint(store),
        "units": len(units),
        "not_searched": not_searched,
        "junk_units": junk,
        "encoded": encoded,
        "build_seconds": round(seconds, 2),
    }
    (path / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    return Built(len(units), encoded, not_searched, seconds, True, junk)
