"""Group claims across articles into narratives: copies (MinHash LSH) and rewordings (ANN).

The corpus is processed in time windows (``--window-days``): each window's claim units are
compared with themselves and with the previous window's, so memory is bounded by two windows and
time grows linearly with the corpus. Identical units are collapsed first; MinHash LSH finds
near-verbatim copies; an approximate nearest-neighbour index (usearch) over sentence vectors finds
rewordings. Candidate pairs must keep their anchors (figures, names; see
:func:`~newsift.corpus.similarity.anchors_agree`). Linked units are joined with union-find; each
group spanning two or more articles is a narrative, whose earliest unit is its origin candidate.
Each window's index is saved beside the database for ``newsift trace``.
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
    get_encoder,
    jaccard,
    lsh_candidates,
    normalize,
    shingles,
    signatures,
)
from .store import DuckDBStore

MAX_IDX = 4096  # unit id = article_id * MAX_IDX + claim index


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
    min_words: int = 6
    neighbours: int = 10


@dataclass
class NarrativeSummary:
    units: int = 0
    compared: int = 0
    windows: int = 0
    narratives: int = 0
    articles: int = 0
    encoder: str = ""
    seconds: dict[str, float] = field(default_factory=lambda: defaultdict(float))

    def to_dict(self) -> dict[str, Any]:
        return {"units": self.units, "compared": self.compared, "windows": self.windows,
                "narratives": self.narratives, "articles_in_narratives": self.articles,
                "encoder": self.encoder, "seconds": {k: round(v, 2) for k, v in self.seconds.items()}}


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
    """The representative units of one window: ids, texts, anchors, MinHash signatures, vectors."""

    uids: list[int]
    texts: list[str]
    anchors: list[frozenset[str]]
    sig: np.ndarray
    vectors: np.ndarray
    check: np.ndarray


def index_dir(db_path: str) -> Path:
    """Where the per-window ANN indexes of a database live."""
    return Path(str(db_path) + ".ann")


def eligible(text: str, min_words: int) -> bool:
    """A unit worth comparing: long enough and with something checkable (a figure or a name)."""
    return len(text.split()) >= min_words and bool(anchors(text))


class NarrativeBuilder:
    """Builds narratives window by window (see the module docstring)."""

    def __init__(self, store: DuckDBStore, config: NarrativeConfig | None = None,
                 progress: Callable[[int, int], None] | None = None) -> None:
        self.store = store
        self.config = config or NarrativeConfig()
        self.encoder = get_encoder(self.config.encoder)
        self.reword = self.config.reword_threshold or REWORD_THRESHOLDS[self.encoder.name]
        self.uf = UnionFind()
        self.summary = NarrativeSummary(encoder=self.encoder.name)
        self.progress = progress
        self.index_path = index_dir(store.path) if store.path != ":memory:" else None

    def build(self) -> NarrativeSummary:
        import time

        windows = self.store.unit_windows(self.config.window_days)
        if self.index_path:
            shutil.rmtree(self.index_path, ignore_errors=True)
            self.index_path.mkdir(parents=True)
        prev: Window | None = None
        for n, (start, end) in enumerate(windows, 1):
            t0 = time.perf_counter()
            rows = self.store.units(start, end)
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
        uids, texts = [], []
        for article_id, idx, text, _date, _domain in rows:
            self.summary.units += 1
            if idx >= MAX_IDX or not text or not eligible(text, self.config.min_words):
                continue
            uid = article_id * MAX_IDX + idx
            key = normalize(text)
            if key in reps:
                self.uf.union(reps[key], uid)
                continue
            reps[key] = uid
            uids.append(uid)
            texts.append(text)
        self.summary.compared += len(uids)
        anchor_sets = [anchors(t) for t in texts]
        self.summary.seconds["prepare"] += time.perf_counter() - t0
        t0 = time.perf_counter()
        sig = signatures(texts)
        self.summary.seconds["minhash"] += time.perf_counter() - t0
        t0 = time.perf_counter()
        if texts:
            vectors, check = self.encoder.encode_both(texts)
        else:
            vectors = check = np.zeros((0, self.encoder.dim), np.float32)
        self.summary.seconds["encode"] += time.perf_counter() - t0
        return Window(uids, texts, anchor_sets, sig, vectors, check)

    def link(self, prev: Window | None, cur: Window) -> None:
        """Link copies (LSH) and rewordings (ANN) among ``cur`` and between ``cur`` and ``prev``."""
        import time

        if not cur.uids:
            return
        both = _concat(prev, cur)
        offset = len(prev.uids) if prev else 0
        t0 = time.perf_counter()
        self._link_copies(both, offset)
        self.summary.seconds["lsh"] += time.perf_counter() - t0
        t0 = time.perf_counter()
        self._link_rewordings(both, offset)
        self.summary.seconds["ann"] += time.perf_counter() - t0

    def _link_copies(self, w: Window, offset: int) -> None:
        """Pairs that share a MinHash LSH band and whose estimated Jaccard reaches the threshold."""
        threshold = self.config.copy_threshold
        for i, j in lsh_candidates(w.sig, threshold, offset):
            if float(np.mean(w.sig[i] == w.sig[j])) >= threshold and self._agree(w, i, j):
                self.uf.union(w.uids[i], w.uids[j])

    def _link_rewordings(self, w: Window, offset: int) -> None:
        from usearch.index import Index

        index = Index(ndim=w.vectors.shape[1], metric="cos", dtype="i8", connectivity=8,
                      expansion_add=32, expansion_search=48)
        index.add(np.arange(len(w.uids)), w.vectors, threads=2)
        k = min(self.config.neighbours + 1, len(w.uids))
        found = index.search(w.vectors[offset:], k, threads=2)
        keys = np.atleast_2d(found.keys)
        for row in range(keys.shape[0]):
            i = offset + row
            for key in keys[row]:
                j = int(key)
                if j == i or j >= len(w.uids):
                    continue
                if self._agree(w, i, j) and float(w.check[i] @ w.check[j]) >= self.reword:
                    self.uf.union(w.uids[i], w.uids[j])

    @staticmethod
    def _agree(w: Window, i: int, j: int) -> bool:
        return w.uids[i] // MAX_IDX != w.uids[j] // MAX_IDX and anchors_agree(w.anchors[i], w.anchors[j])

    def save_index(self, w: Window, start: dt.datetime | None) -> None:
        """Keep the window's vectors in an ANN index file for ``newsift trace``."""
        if not self.index_path or not w.uids:
            return
        from usearch.index import Index

        index = Index(ndim=w.vectors.shape[1], metric="cos", dtype="i8", connectivity=8, expansion_add=32)
        index.add(np.asarray(w.uids, dtype=np.uint64), w.vectors, threads=2)
        name = f"w{start:%Y%m%d}" if start else "undated"
        index.save(str(self.index_path / f"{name}.usearch"))

    def save(self) -> None:
        """Turn linked groups into narratives and members, and store them."""
        from .narrative_rows import narrative_rows

        groups: dict[int, list[int]] = defaultdict(list)
        for uid in list(self.uf.parent):
            groups[self.uf.find(uid)].append(uid)
        narratives, members = narrative_rows(self.store, groups.values(), self.encoder,
                                             self.config.copy_threshold)
        self.store.save_narratives(narratives, members)
        self.store.set_meta("narratives_encoder", self.encoder.name)
        self.store.set_meta("narratives_config", repr(self.config))
        self.summary.narratives = len(narratives)
        self.summary.articles = len({m["article_id"] for m in members})


def _concat(prev: Window | None, cur: Window) -> Window:
    if prev is None or not prev.uids:
        return cur
    return Window(prev.uids + cur.uids, prev.texts + cur.texts, prev.anchors + cur.anchors,
                  np.vstack([prev.sig, cur.sig]), np.vstack([prev.vectors, cur.vectors]),
                  np.vstack([prev.check, cur.check]))


def build_narratives(store: DuckDBStore, config: NarrativeConfig | None = None,
                     progress: Callable[[int, int], None] | None = None) -> NarrativeSummary:
    """Group the claims of every analysed article into narratives and store them.

    Args:
        store: the corpus store (narratives are replaced).
        config: thresholds, window length and encoder.
        progress: called with (windows done, windows in all).
    """
    return NarrativeBuilder(store, config, progress).build()


def classify(query_text: str, query_vec: np.ndarray, texts: list[str], vecs: np.ndarray,
             copy_threshold: float) -> list[tuple[str, float]]:
    """``(match, similarity)`` of each text against a query: copy (Jaccard) or reword (cosine)."""
    q = shingles(query_text)
    out = []
    sims = vecs @ query_vec if len(texts) else np.zeros(0)
    for text, cos in zip(texts, sims, strict=True):
        j = jaccard(q, shingles(text))
        out.append(("copy", round(j, 3)) if j >= copy_threshold else ("reword", round(float(cos), 3)))
    return out
