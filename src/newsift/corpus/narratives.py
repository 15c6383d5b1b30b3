"""Group claims across articles into narratives: copies (MinHash LSH) and rewordings (ANN).

The corpus is processed in time windows (``--window-days``): each window's claim units are
compared with themselves and with the previous window's, so memory is bounded by two windows and
time grows linearly with the corpus. Identical units are collapsed first; MinHash LSH finds
near-verbatim copies; an approximate nearest-neighbour index (usearch) over sentence vectors finds
rewordings; the MiniLM vectors that ``newsift run`` stored in ``claim_vectors`` are used as they
are, so grouping encodes nothing that was already encoded. Candidate pairs must keep their anchors
(figures, names; see :func:`~newsift.corpus.similarity.anchors_agree`). Linked units are joined
with union-find; each group spanning two or more articles is a narrative, whose earliest unit is
its origin candidate. Each window's index is saved beside the database for ``newsift trace``.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from .similarity import (
    REWORD_THRESHOLDS,
    anchors,
    anchors_agree,
    from_int8,
    get_encoder,
    jaccard,
    lsh_candidates,
    normalize,
    shingles,
    signatures,
)
from .store import DuckDBStore

MAX_IDX = 4096  # unit id = article_id * MAX_IDX + claim index
MIN_WORDS = 6


@dataclass
class NarrativeConfig:
    """Parameters of narrative grouping.

    Args:
        window_days: length of a time window; pairs up to this far apart are always compared.
        encoder: ``auto``, ``minilm`` or ``hashing`` (see :mod:`newsift.corpus.similarity`).
        copy_threshold: Jaccard of word 3-grams at or above which two units are copies.
        reword_threshold: cosine for a rewording (None: the encoder's tuned default).
        min_words: shorter units are not compared.
        neighbours: nearest neighbours looked up per unit.
    """

    window_days: int = 14
    encoder: str = "auto"
    copy_threshold: float = 0.5
    reword_threshold: float | None = None
    min_words: int = MIN_WORDS
    neighbours: int = 10


@dataclass
class NarrativeSummary:
    units: int = 0
    compared: int = 0
    windows: int = 0
    narratives: int = 0
    articles: int = 0
    encoder: str = ""
    stored_vectors: int = 0
    seconds: dict[str, float] = field(default_factory=lambda: defaultdict(float))

    def to_dict(self) -> dict[str, Any]:
        return {
            "units": self.units,
            "compared": self.compared,
            "windows": self.windows,
            "narratives": self.narratives,
            "articles_in_narratives": self.articles,
            "encoder": self.encoder,
            "stored_vectors": self.stored_vectors,
            "seconds": {k: round(v, 2) for k, v in self.seconds.items()},
        }


class UnionFind:
    """Union-find over the unit ids that were ever linked (others stay implicit singletons)."""

    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    def find(self, x: int) -> int:
        parent = self.parent
        root = x
        while parent.get(root, root) != root:
            root = parent[root]
        while parent.get(x, x) != root:
            parent[x], x = root, parent[x]
        return root

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)
            self.parent.setdefault(min(ra, rb), min(ra, rb))


@dataclass
class Window:
    """The representative units of one window: ids, texts, anchors, MinHash signatures, vectors,
    and the window's nearest-neighbour index (keys are unit ids)."""

    uids: np.ndarray
    texts: list[str]
    anchors: list[frozenset[str]]
    sig: np.ndarray
    vectors: np.ndarray
    check: np.ndarray
    index: Any = None


def index_dir(db_path: str) -> Path:
    """Where the per-window ANN indexes of a database live."""
    return Path(str(db_path) + ".ann")


def eligible(text: str, min_words: int) -> bool:
    """A unit worth comparing: long enough and with something checkable (a figure or a name)."""
    return len(text.split()) >= min_words and bool(anchors(text))


class NarrativeBuilder:
    """Builds narratives window by window (see the module docstring)."""

    def __init__(
        self,
        store: DuckDBStore,
        config: NarrativeConfig | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> None:
        self.store = store
        self.config = config or NarrativeConfig()
        self.encoder = get_encoder(self.config.encoder)
        self.reword = self.config.reword_threshold or REWORD_THRESHOLDS[self.encoder.name]
        self.uf = UnionFind()
        self.summary = NarrativeSummary(encoder=self.encoder.name)
        self.progress = progress
        self.index_path = index_dir(store.path) if store.path != ":memory:" else None
        # MiniLM vectors that `newsift run` stored are used as they are; others are computed here.
        self.stored_vectors = self.encoder.name if self.encoder.name == "minilm" else ""

    def build(self) -> NarrativeSummary:
        import time

        windows = self.store.unit_windows(self.config.window_days)
        if self.index_path:
            shutil.rmtree(self.index_path, ignore_errors=True)
            self.index_path.mkdir(parents=True)
        prev: Window | None = None
        for n, (start, end) in enumerate(windows, 1):
            t0 = time.perf_counter()
            rows = self.store.units(start, end, self.stored_vectors)
            self.summary.seconds["load"] += time.perf_counter() - t0
            cur = self.window(rows)
            if start is None:
                prev = None  # undated units are compared among themselves only
            self.link(prev, cur)
            self.save_index(cur, start)
            prev = cur
            self.summary.windows += 1
            if self.progress:
                self.progress(n, len(windows))
        t0 = time.perf_counter()
        self.save()
        self.summary.seconds["save"] += time.perf_counter() - t0
        return self.summary

    def window(self, rows: list[tuple]) -> Window:
        """Collapse identical units (linking them as copies) and prepare the representatives."""
        import time

        t0 = time.perf_counter()
        reps: dict[str, int] = {}
        uids, texts, blobs, anchor_sets = [], [], [], []
        min_words = self.config.min_words
        for article_id, idx, text, _date, _domain, blob in rows:
            self.summary.units += 1
            if idx >= MAX_IDX or not text or len(text.split()) < min_words:
                continue
            uid = article_id * MAX_IDX + idx
            key = normalize(text)
            if key in reps:
                self.uf.union(reps[key], uid)
                continue
            found = anchors(text)
            if not found:
                continue
            reps[key] = uid
            uids.append(uid)
            texts.append(text)
            blobs.append(blob)
            anchor_sets.append(found)
        self.summary.compared += len(uids)
        self.summary.seconds["prepare"] += time.perf_counter() - t0
        t0 = time.perf_counter()
        sig = signatures(texts)
        self.summary.seconds["minhash"] += time.perf_counter() - t0
        t0 = time.perf_counter()
        vectors, check = self.vectors(texts, blobs)
        self.summary.seconds["encode"] += time.perf_counter() - t0
        t0 = time.perf_counter()
        ids = np.asarray(uids, dtype=np.int64)
        index = _ann_index(ids, vectors) if uids else None
        self.summary.seconds["ann"] += time.perf_counter() - t0
        return Window(ids, texts, anchor_sets, sig, vectors, check, index)

    def vectors(self, texts: list[str], blobs: list[bytes | None]) -> tuple[np.ndarray, np.ndarray]:
        """Search and check vectors of the units: the stored ones, the others encoded now."""
        dim = self.encoder.dim
        if not texts:
            empty = np.zeros((0, dim), np.float32)
            return empty, empty
        missing = [i for i, b in enumerate(blobs) if b is None or len(b) != dim]
        if len(missing) == len(texts):
            return self.encoder.encode_both(texts)
        vectors = np.zeros((len(texts), dim), np.float32)
        have = [i for i, b in enumerate(blobs) if b is not None and len(b) == dim]
        vectors[have] = from_int8([b for i in have if (b := blobs[i]) is not None], dim)
        self.summary.stored_vectors += len(have)
        if missing:
            vectors[missing] = self.encoder.encode_both([texts[i] for i in missing])[0]
        return vectors, vectors

    def link(self, prev: Window | None, cur: Window) -> None:
        """Link copies (LSH) and rewordings (ANN) among ``cur`` and between ``cur`` and ``prev``."""
        import time

        if not len(cur.uids):
            return
        both = _concat(prev, cur)
        offset = len(both.uids) - len(cur.uids)
        t0 = time.perf_counter()
        pairs = lsh_candidates(both.sig, self.config.copy_threshold, offset)
        for lo in range(0, len(pairs), 65536):  # estimated Jaccard, a block of pairs at a time
            arr = pairs[lo : lo + 65536]
            est = (both.sig[arr[:, 0]] == both.sig[arr[:, 1]]).mean(axis=1)
            self._link_pairs(both, arr[est >= self.config.copy_threshold])
        self.summary.seconds["lsh"] += time.perf_counter() - t0
        t0 = time.perf_counter()
        for window in (prev, cur):
            if window is not None and window.index is not None and len(window.uids):
                self._link_rewordings(both, offset, window)
        self.summary.seconds["ann"] += time.perf_counter() - t0

    def _link_pairs(self, w: Window, pairs: np.ndarray) -> None:
        """Union the pairs ``(i, j)`` of positions in ``w`` that are in two articles and keep their
        anchors."""
        uids, art = w.uids, w.uids // MAX_IDX
        pairs = pairs[art[pairs[:, 0]] != art[pairs[:, 1]]]
        for i, j in pairs.tolist():
            if anchors_agree(w.anchors[i], w.anchors[j]):
                self.uf.union(int(uids[i]), int(uids[j]))

    def _link_rewordings(
        self, both: Window, offset: int, target: Window, chunk: int = 1024
    ) -> None:
        """Look up ``both``'s units from ``offset`` on in ``target``'s index; link those close enough."""
        k = min(self.config.neighbours + 1, len(target.uids))
        order = np.argsort(both.uids, kind="stable")
        for lo in range(offset, len(both.uids), chunk):
            hi = min(lo + chunk, len(both.uids))
            found = target.index.search(both.vectors[lo:hi], k, threads=2)
            keys = np.atleast_2d(found.keys).astype(np.int64)
            pos = order[np.clip(np.searchsorted(both.uids, keys, sorter=order), 0, len(order) - 1)]
            cos = np.einsum("id,ikd->ik", both.check[lo:hi], both.check[pos])
            rows = np.arange(lo, hi)[:, None]
            keep = (both.uids[pos] == keys) & (cos >= self.reword) & (pos != rows)
            r, c = np.nonzero(keep)
            self._link_pairs(both, np.stack([r + lo, pos[r, c]], axis=1))

    def save_index(self, w: Window, start: dt.datetime | None) -> None:
        """Keep the window's index (vectors by unit id) in a file for ``newsift trace``."""
        if not self.index_path or w.index is None:
            return
        name = f"w{start:%Y%m%d}" if start else "undated"
        w.index.save(str(self.index_path / f"{name}.usearch"))

    def save(self) -> None:
        """Turn linked groups into narratives and members, and store them."""
        from .narrative_rows import narrative_rows

        groups: dict[int, list[int]] = defaultdict(list)
        for uid in list(self.uf.parent):
            groups[self.uf.find(uid)].append(uid)
        narratives, members = narrative_rows(
            self.store,
            groups.values(),
            self.encoder,
            self.config.copy_threshold,
            self.stored_vectors,
        )
        self.store.save_narratives(narratives, members)
        self.store.set_meta("narratives_encoder", self.encoder.name)
        self.store.set_meta("narratives_config", repr(self.config))
        self.summary.narratives = len(narratives)
        self.summary.articles = len({m["article_id"] for m in members})


def _ann_index(uids: np.ndarray, vectors: np.ndarray) -> Any:
    """A usearch HNSW index (cosine, int8) of ``vectors`` keyed by unit id."""
    from usearch.index import Index

    index = Index(
        ndim=vectors.shape[1],
        metric="cos",
        dtype="i8",
        connectivity=8,
        expansion_add=32,
        expansion_search=48,
    )
    index.add(uids.astype(np.uint64), vectors, threads=2)
    return index


def _concat(prev: Window | None, cur: Window) -> Window:
    if prev is None or not len(prev.uids):
        return cur
    vectors = np.vstack([prev.vectors, cur.vectors])
    same = prev.check is prev.vectors and cur.check is cur.vectors  # one array for MiniLM
    check = vectors if same else np.vstack([prev.check, cur.check])
    return Window(
        np.concatenate([prev.uids, cur.uids]),
        prev.texts + cur.texts,
        prev.anchors + cur.anchors,
        np.vstack([prev.sig, cur.sig]),
        vectors,
        check,
    )


def build_narratives(
    store: DuckDBStore,
    config: NarrativeConfig | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> NarrativeSummary:
    """Group the claims of every analysed article into narratives and store them.

    Args:
        store: the corpus store (narratives are replaced).
        config: thresholds, window length and encoder.
        progress: called with (windows done, windows in all).
    """
    return NarrativeBuilder(store, config, progress).build()


def classify(
    query_text: str,
    query_vec: np.ndarray,
    texts: list[str],
    vecs: np.ndarray,
    copy_threshold: float,
) -> list[tuple[str, float]]:
    """``(match, similarity)`` of each text against a query: copy (Jaccard) or reword (cosine)."""
    q = shingles(query_text)
    out = []
    sims = vecs @ query_vec if len(texts) else np.zeros(0)
    for text, cos in zip(texts, sims, strict=True):
        j = jaccard(q, shingles(text))
        out.append(
            ("copy", round(j, 3)) if j >= copy_threshold else ("reword", round(float(cos), 3))
        )
    return out
