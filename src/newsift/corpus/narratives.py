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
import json
import shutil
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from .narrative_link import (
    PairScorer,
    comparable_text,
    figures_agree,
    junk_reason,
    link_pairs_exact,
    rewording_anchors_agree,
    text_infos,
    unit_language,
)
from .similarity import (
    REWORD_THRESHOLDS,
    anchor_masks,
    anchors,
    anchors_agree,
    from_int8,
    get_encoder,
    jaccard,
    lsh_candidates,
    may_share_anchor,
    shingles,
    signatures_of_shingles,
    token_shingles,
    tokens,
)
from .store import DuckDBStore

MAX_IDX = 4096  # unit id = article_id * MAX_IDX + claim index
MIN_WORDS = 6
# Chosen on the tune part of tests/fixtures/narratives-gold.jsonl (bench/eval_narratives.py).
VERIFY_THRESHOLD = 0.3
CROSS_THRESHOLD = 0.85
FOREIGN_THRESHOLD = 0.92
# Cosine a candidate needs before the claim model scores it, per encoder.
CANDIDATE_FLOOR = {"minilm": 0.5, "hashing": 0.2}
NARRATIVES_VERSION = "2"


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
        verify_threshold: claim-model probability for a rewording of two English units
            (:class:`~newsift.corpus.narrative_link.PairScorer`); ``reword_threshold`` is then the
            cosine a candidate needs before it is scored.
        cross_language: ``auto`` (link across languages when the corpus has non-English units),
            ``all`` (also encode every English unit with e5, not only the cascade's), ``off``.
        cross_threshold: e5 cosine for a rewording between an English and a non-English unit.
        foreign_threshold: e5 cosine for two non-English units (e5's cosines run higher
            between them: generic sentences of two fact-checks meet at 0.87).
        exact_below: windows (with the previous one) of fewer units are searched exactly, not
            with the approximate index: the groups then do not depend on how an index was built.
        workers: processes that prepare windows ahead (junk test, anchors, MinHash, vectors:
            most of the work, and independent per window) while the main process links; used
            when the corpus has at least ``parallel_units`` claim units. The groups are the same
            with any number (each window is prepared by the same code, wherever it runs).
        parallel_units: fewer claim units are grouped in one process (starting workers costs
            about a second each).
    """

    window_days: int = 14
    encoder: str = "auto"
    copy_threshold: float = 0.5
    reword_threshold: float | None = None
    min_words: int = MIN_WORDS
    neighbours: int = 10
    verify_threshold: float = VERIFY_THRESHOLD
    cross_language: str = "auto"
    cross_threshold: float = CROSS_THRESHOLD
    foreign_threshold: float = FOREIGN_THRESHOLD
    exact_below: int = 2000
    workers: int = 2
    parallel_units: int = 20_000


@dataclass
class NarrativeSummary:
    units: int = 0
    compared: int = 0
    junk: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    languages: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    e5_encoded: int = 0
    verified: int = 0
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
            "not_claims": dict(self.junk),
            "languages": dict(self.languages),
            "e5_encoded": self.e5_encoded,
            "pairs_verified": self.verified,
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
    languages, e5 vectors (zero rows where the cascade did not encode a unit), and the window's
    nearest-neighbour index (keys are unit ids)."""

    uids: np.ndarray
    texts: list[str]
    anchors: list[frozenset[str]]
    sig: np.ndarray
    vectors: np.ndarray
    check: np.ndarray
    index: Any = None
    langs: list[str] = field(default_factory=list)
    xvec: np.ndarray | None = None
    infos: list | None = None  # the claim model's view of each text, computed when first needed
    masks: np.ndarray | None = None  # similarity.anchor_masks of the anchors


def index_dir(db_path: str) -> Path:
    """Where the per-window ANN indexes of a database live."""
    return Path(str(db_path) + ".ann")


def eligible(text: str, min_words: int) -> bool:
    """A unit worth comparing: long enough, with something checkable (a figure or a name), and a
    claim rather than a name list, boilerplate, a dateline or a byline."""
    return len(text.split()) >= min_words and bool(anchors(text)) and junk_reason(text) is None


class NarrativeBuilder:
    """Builds narratives window by window (see the module docstring).

    With ``store=None`` the builder only links (``window`` and ``link`` add edges to its
    union-find): what a Spark task does with the rows of its window.
    """

    def __init__(
        self,
        store: DuckDBStore | None,
        config: NarrativeConfig | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> None:
        self.store = store
        self.config = config or NarrativeConfig()
        if self.config.cross_language not in ("auto", "all", "off"):
            from ..errors import ConfigError

            raise ConfigError(
                f"cross_language must be auto, all or off, not {self.config.cross_language!r}"
            )
        self.encoder = get_encoder(self.config.encoder)
        self.reword = self.config.reword_threshold or CANDIDATE_FLOOR.get(
            self.encoder.name, REWORD_THRESHOLDS[self.encoder.name]
        )
        self.scorer = PairScorer(self.config.verify_threshold, self.config.cross_threshold)
        self.uf = UnionFind()
        self.summary = NarrativeSummary(encoder=self.encoder.name)
        self.progress = progress
        path = store.path if store is not None else ":memory:"
        self.index_path = index_dir(path) if path != ":memory:" else None
        # MiniLM vectors that `newsift run` stored are used as they are; others are computed here.
        self.stored_vectors = self.encoder.name if self.encoder.name == "minilm" else ""
        self._e5: Any = None

    def build(self) -> NarrativeSummary:
        import time

        assert self.store is not None  # build() is the DuckDB path; Spark tasks call link()
        windows = self.store.unit_windows(self.config.window_days)
        if self.index_path:
            shutil.rmtree(self.index_path, ignore_errors=True)
            self.index_path.mkdir(parents=True)
        prev: Window | None = None
        for n, (start, _end), cur in self._prepared(windows):
            if start is None:
                prev = None  # undated units: among themselves, then with each dated window
            self.link(prev, cur)
            if start is None:
                counted = self.summary
                self.summary = NarrativeSummary()  # windows read again are not counted again
                for dated in windows[:-1]:
                    self.link(self._load(*dated), cur)
                for key, value in self.summary.seconds.items():
                    counted.seconds[key] += value
                counted.e5_encoded += self.summary.e5_encoded
                counted.verified += self.summary.verified
                self.summary = counted
            self.save_index(cur, start)
            prev = cur
            self.summary.windows += 1
            if self.progress:
                self.progress(n, len(windows))
        t0 = time.perf_counter()
        self.save()
        self.summary.seconds["save"] += time.perf_counter() - t0
        return self.summary

    def _load(self, start: dt.datetime | None, end: dt.datetime | None) -> Window:
        """The window ``[start, end)`` (``None``: the undated units) read from the store."""
        import time

        assert self.store is not None
        t0 = time.perf_counter()
        rows = self.store.units(start, end, self.stored_vectors)
        langs = article_languages(self.store, sorted({r[0] for r in rows}))
        self.summary.seconds["load"] += time.perf_counter() - t0
        return self.window(rows, langs)

    def _prepared(
        self, windows: list[tuple[dt.datetime | None, dt.datetime | None]]
    ) -> Iterator[tuple[int, tuple[dt.datetime | None, dt.datetime | None], Window]]:
        """``(n, window, prepared window)`` in order: prepared here, or by ``workers`` processes
        ahead of the linking when the corpus is large enough (the undated window, which is
        linked with every dated one, is always prepared here)."""
        import time
        from collections import deque
        from concurrent.futures import Future, ProcessPoolExecutor
        from multiprocessing import get_context

        assert self.store is not None
        workers = self.config.workers
        if workers > 1:
            total = self.store.query("SELECT count(*) FROM claims")[0][0]
            workers = workers if total >= self.config.parallel_units else 1
        if workers <= 1:
            for n, (start, end) in enumerate(windows, 1):
                yield n, (start, end), self._load(start, end)
            return
        config_json = json.dumps(asdict(self.config))
        pending: deque[tuple[int, tuple, Future]] = deque()
        with ProcessPoolExecutor(workers, mp_context=get_context("spawn")) as pool:
            todo = iter(enumerate(windows, 1))
            while True:
                while len(pending) <= workers:  # keep the workers busy, memory bounded
                    nxt = next(todo, None)
                    if nxt is None or nxt[1][0] is None:
                        break
                    n, (start, end) = nxt
                    t0 = time.perf_counter()
                    rows = self.store.units(start, end, self.stored_vectors)
                    langs = article_languages(self.store, sorted({r[0] for r in rows}))
                    self.summary.seconds["load"] += time.perf_counter() - t0
                    pending.append(
                        (n, (start, end), pool.submit(_prepare, config_json, rows, langs))
                    )
                if not pending:
                    break
                n, span, future = pending.popleft()
                yield n, span, self._adopt(*future.result())
        if windows and windows[-1][0] is None:
            yield len(windows), windows[-1], self._load(None, None)

    def _adopt(self, w: Window, same: list[tuple[int, int]], summary: NarrativeSummary) -> Window:
        """A window prepared by a worker: its copies joined here, its counts added, its index
        built."""
        import time

        for a, b in same:
            self.uf.union(a, b)
        self.summary.units += summary.units
        self.summary.compared += summary.compared
        self.summary.stored_vectors += summary.stored_vectors
        for name in ("junk", "languages", "seconds"):
            for key, value in getattr(summary, name).items():
                getattr(self.summary, name)[key] += value
        t0 = time.perf_counter()
        w.index = _ann_index(w.uids, w.vectors) if len(w.uids) else None
        self.summary.seconds["ann"] += time.perf_counter() - t0
        return w

    def window(
        self, rows: list[tuple], langs: dict[int, str | None] | None = None, index: bool = True
    ) -> Window:
        """Collapse identical units (linking them as copies), drop what is not a claim, and
        prepare the representatives. ``langs``: the article languages (None: unknown);
        ``index``: also build the nearest-neighbour index."""
        import time

        t0 = time.perf_counter()
        langs = langs or {}
        reps: dict[str, int] = {}
        uids, texts, blobs, anchor_sets, unit_langs = [], [], [], [], []
        shingle_sets: list[set[str]] = []
        min_words = self.config.min_words
        lang_cache: dict[int, str] = {}
        for article_id, idx, text, _date, _domain, blob in rows:
            self.summary.units += 1
            if idx >= MAX_IDX or not text or len(text.split()) < min_words:
                continue
            uid = article_id * MAX_IDX + idx
            text = comparable_text(text)
            toks = tokens(text)
            key = " ".join(toks)  # = normalize(text)
            if not key:
                continue
            if key in reps:
                self.uf.union(reps[key], uid)
                continue
            found = anchors(text)
            if not found:
                continue
            reason = junk_reason(text)
            if reason:
                self.summary.junk[reason] += 1
                continue
            lang = lang_cache.get(article_id)
            if lang is None:
                lang = lang_cache[article_id] = unit_language(text, langs.get(article_id))
            self.summary.languages[lang] += 1
            reps[key] = uid
            uids.append(uid)
            texts.append(text)
            shingle_sets.append(token_shingles(toks))
            blobs.append(blob)
            anchor_sets.append(found)
            unit_langs.append(lang)
        self.summary.compared += len(uids)
        self.summary.seconds["prepare"] += time.perf_counter() - t0
        t0 = time.perf_counter()
        sig = signatures_of_shingles(shingle_sets)
        del shingle_sets
        self.summary.seconds["minhash"] += time.perf_counter() - t0
        t0 = time.perf_counter()
        vectors, check = self.vectors(texts, blobs, anchor_sets)
        self.summary.seconds["encode"] += time.perf_counter() - t0
        t0 = time.perf_counter()
        ids = np.asarray(uids, dtype=np.int64)
        ann = _ann_index(ids, vectors) if uids and index else None
        self.summary.seconds["ann"] += time.perf_counter() - t0
        masks = anchor_masks(anchor_sets)
        return Window(ids, texts, anchor_sets, sig, vectors, check, ann, unit_langs, masks=masks)

    def vectors(
        self,
        texts: list[str],
        blobs: list[bytes | None],
        anchor_sets: list[frozenset[str]] | None = None,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Search and check vectors of the units: the stored ones, the others encoded now
        (``anchor_sets``: the texts' :func:`anchors`, when known)."""
        dim = self.encoder.dim
        if not texts:
            empty = np.zeros((0, dim), np.float32)
            return empty, empty
        missing = [i for i, b in enumerate(blobs) if b is None or len(b) != dim]
        if len(missing) == len(texts):
            return self.encoder.encode_both(texts, anchor_sets)
        vectors = np.zeros((len(texts), dim), np.float32)
        have = [i for i, b in enumerate(blobs) if b is not None and len(b) == dim]
        vectors[have] = from_int8([b for i in have if (b := blobs[i]) is not None], dim)
        self.summary.stored_vectors += len(have)
        if missing:
            vectors[missing] = self.encoder.encode_both([texts[i] for i in missing])[0]
        return vectors, vectors

    def link(self, prev: Window | None, cur: Window) -> None:
        """Link copies (LSH), rewordings (nearest neighbours, verified by the claim model) and
        versions in other languages (e5) among ``cur`` and between ``cur`` and ``prev``."""
        import time

        if not len(cur.uids):
            return
        self._linked_now: set[int] = set()  # what this call linked (the e5 cascade reads it)
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
        cand = self._reword_candidates(both, offset, prev, cur)
        self.summary.seconds["ann"] += time.perf_counter() - t0
        t0 = time.perf_counter()
        self._verify(both, cand, prev, cur)
        self.summary.seconds["verify"] += time.perf_counter() - t0
        if self.config.cross_language != "off":
            t0 = time.perf_counter()
            self._link_languages(prev, cur, both, offset)
            self.summary.seconds["cross_language"] += time.perf_counter() - t0

    def _link_pairs(self, w: Window, pairs: np.ndarray) -> None:
        """Union the pairs ``(i, j)`` of positions in ``w`` that are in two articles and keep their
        anchors."""
        uids, art = w.uids, w.uids // MAX_IDX
        pairs = pairs[art[pairs[:, 0]] != art[pairs[:, 1]]]
        if w.masks is not None:
            pairs = pairs[may_share_anchor(w.masks, pairs)]
        for i, j in pairs.tolist():
            if anchors_agree(w.anchors[i], w.anchors[j]):
                self._union(int(uids[i]), int(uids[j]))

    def _union(self, a: int, b: int) -> None:
        self.uf.union(a, b)
        self._linked_now.update((a, b))

    def _reword_candidates(
        self, both: Window, offset: int, prev: Window | None, cur: Window
    ) -> tuple[np.ndarray, np.ndarray]:
        """Pairs ``(i, j)`` of positions in ``both`` (``i`` in ``cur``) whose vectors are
        neighbours with at least the candidate cosine, and that cosine."""
        k = self.config.neighbours + 1
        if len(both.uids) < self.config.exact_below:
            q, t, _ = link_pairs_exact(both.vectors[offset:], both.vectors, k, self.reword)
            pairs = np.stack([q + offset, t], axis=1)
        else:
            found = [
                self._ann_pairs(both, offset, w, k)
                for w in (prev, cur)
                if w is not None and w.index is not None and len(w.uids)
            ]
            pairs = np.vstack(found) if found else np.zeros((0, 2), np.int64)
        pairs = pairs[pairs[:, 0] != pairs[:, 1]]
        n = max(len(both.uids), 1)  # each unordered pair once (found from both sides, or twice)
        codes = np.unique(
            np.minimum(pairs[:, 0], pairs[:, 1]) * n + np.maximum(pairs[:, 0], pairs[:, 1])
        )
        pairs = np.stack([codes // n, codes % n], axis=1)
        cos = np.empty(len(pairs), np.float32)
        for lo in range(0, len(pairs), 16384):  # in blocks: no gigabyte of gathered rows at once
            blk = pairs[lo : lo + 16384]
            cos[lo : lo + 16384] = np.einsum(
                "id,id->i", both.check[blk[:, 0]], both.check[blk[:, 1]]
            )
        keep = cos >= self.reword
        return pairs[keep], cos[keep]

    def _ann_pairs(
        self, both: Window, offset: int, target: Window, k: int, chunk: int = 1024
    ) -> np.ndarray:
        """Look up ``both``'s units from ``offset`` on in ``target``'s index."""
        k = min(k, len(target.uids))
        order = np.argsort(both.uids, kind="stable")
        out = []
        for lo in range(offset, len(both.uids), chunk):
            hi = min(lo + chunk, len(both.uids))
            found = target.index.search(both.vectors[lo:hi], k, threads=2)
            keys = np.atleast_2d(found.keys).astype(np.int64)
            pos = order[np.clip(np.searchsorted(both.uids, keys, sorter=order), 0, len(order) - 1)]
            r, c = np.nonzero(both.uids[pos] == keys)
            out.append(np.stack([r + lo, pos[r, c]], axis=1))
        return np.vstack(out) if out else np.zeros((0, 2), np.int64)

    def _verify(
        self,
        both: Window,
        cand: tuple[np.ndarray, np.ndarray],
        prev: Window | None,
        cur: Window,
    ) -> None:
        """Link the candidate pairs of English units that the claim model verifies (pairs with a
        non-English side are left to :meth:`_link_languages`)."""
        pairs, cos = cand
        if not len(pairs):
            return
        art = both.uids // MAX_IDX
        english = np.array([lang == "en" for lang in both.langs], dtype=bool)
        # the claim model judges MiniLM pairs, so their anchors may be reworded ("Russia" for
        # "the Russian Defence Ministry"); the lexical fallback has no such judge: strict anchors
        agree = rewording_anchors_agree if self.encoder.name == "minilm" else anchors_agree
        keep = (art[pairs[:, 0]] != art[pairs[:, 1]]) & english[pairs[:, 0]] & english[pairs[:, 1]]
        pairs, cos = pairs[keep], cos[keep]
        if agree is anchors_agree and both.masks is not None:  # most pairs share no anchor
            keep = may_share_anchor(both.masks, pairs)
            pairs, cos = pairs[keep], cos[keep]
        keep = np.array([agree(both.anchors[i], both.anchors[j]) for i, j in pairs.tolist()], bool)
        pairs, cos = pairs[keep], cos[keep]
        if not len(pairs):
            return
        if self.encoder.name != "minilm":  # the claim model was trained on MiniLM cosines
            ok = cos >= REWORD_THRESHOLDS[self.encoder.name]
        else:
            self.scorer.fit(both.texts, np.unique(pairs).tolist(), self._infos(prev, cur))
            ok = self.scorer.score(pairs, cos) >= self.config.verify_threshold
        self.summary.verified += len(pairs)
        for i, j in pairs[ok].tolist():
            self._union(int(both.uids[i]), int(both.uids[j]))

    def _infos(self, prev: Window | None, cur: Window) -> list:
        """The :func:`text_infos` of ``prev`` + ``cur``, each window's computed once."""
        out: list = []
        for w in (prev, cur):
            if w is None or not len(w.uids):
                continue
            if w.infos is None:
                w.infos = text_infos(w.texts)
            out.extend(w.infos)
        return out

    def _link_languages(self, prev: Window | None, cur: Window, both: Window, offset: int) -> None:
        """Link versions of a claim in two languages (or two non-English units) by e5 cosine and
        agreeing figures. The cascade encodes every non-English unit and, in windows that hold
        some, the English units that share a figure with one (``all``: every English unit)."""
        langs = both.langs
        foreign = np.array([lang != "en" for lang in langs], dtype=bool)
        if not foreign[offset:].any() and not (prev is not None and foreign[:offset].any()):
            return
        figures = {x for i in np.nonzero(foreign)[0] for x in both.anchors[i] if x[0].isdigit()}
        linked = self._linked_now
        want = foreign | np.array(
            [
                self.config.cross_language == "all" or bool(figures & a) or int(u) in linked
                for a, u in zip(both.anchors, both.uids, strict=True)
            ],
            bool,
        )
        xvec = self._e5_vectors(prev, cur, want)
        idx = np.nonzero(want)[0]
        q_idx = idx[idx >= offset]
        low = min(self.config.cross_threshold, self.config.foreign_threshold)
        q, t, cos = link_pairs_exact(xvec[q_idx], xvec[idx], self.config.neighbours + 1, low)
        art = both.uids // MAX_IDX
        for a, b, c in zip(q_idx[q].tolist(), idx[t].tolist(), cos.tolist(), strict=True):
            if art[a] == art[b] or not (foreign[a] or foreign[b]):
                continue
            both_foreign = foreign[a] and foreign[b]
            if c < (self.config.foreign_threshold if both_foreign else self.config.cross_threshold):
                continue
            if figures_agree(both.texts[a], both.texts[b]):
                self._union(int(both.uids[a]), int(both.uids[b]))

    def _e5_vectors(self, prev: Window | None, cur: Window, want: np.ndarray) -> np.ndarray:
        """e5 vectors of the wanted units of ``prev`` + ``cur`` (kept on each window, so that
        a unit is encoded once)."""
        out = []
        start = 0
        for w in (prev, cur):
            if w is None or not len(w.uids):
                continue
            n = len(w.uids)
            if w.xvec is None:
                w.xvec = np.zeros((n, 384), np.float32)
            part = want[start : start + n]
            todo = [i for i in np.nonzero(part)[0].tolist() if not w.xvec[i].any()]
            if todo:
                if self._e5 is None:
                    from ..embed import get_multilingual_encoder

                    self._e5 = get_multilingual_encoder()
                w.xvec[todo] = self._e5.encode([w.texts[i] for i in todo])
                self.summary.e5_encoded += len(todo)
            out.append(w.xvec)
            start += n
        return np.vstack(out)

    def save_index(self, w: Window, start: dt.datetime | None) -> None:
        """Keep the window's index (vectors by unit id) in a file for ``newsift trace``."""
        if not self.index_path or w.index is None:
            return
        name = f"w{start:%Y%m%d}" if start else "undated"
        w.index.save(str(self.index_path / f"{name}.usearch"))

    def groups(self) -> list[list[int]]:
        """The linked groups of unit ids (each sorted; in order of their smallest id)."""
        groups: dict[int, list[int]] = defaultdict(list)
        for uid in list(self.uf.parent):
            groups[self.uf.find(uid)].append(uid)
        return sorted((sorted(g) for g in groups.values()), key=lambda g: g[0])

    def save(self) -> None:
        """Turn linked groups into narratives and members, and store them."""
        from .narrative_rows import narrative_rows

        assert self.store is not None
        narratives, members = narrative_rows(
            self.store,
            self.groups(),
            self.encoder,
            self.config.copy_threshold,
            self.stored_vectors,
        )
        self.store.save_narratives(narratives, members)
        self.store.set_meta("narratives_encoder", self.encoder.name)
        self.store.set_meta("narratives_config", repr(self.config))
        self.store.set_meta("narratives_version", NARRATIVES_VERSION)
        self.summary.narratives = len(narratives)
        self.summary.articles = len({m["article_id"] for m in members})


def article_languages(store: DuckDBStore, ids: list[int]) -> dict[int, str | None]:
    """``analyses.language`` of the articles ``ids`` (None where it was not detected)."""
    if not ids:
        return {}
    rows = store.con.execute(
        "SELECT article_id, language FROM analyses WHERE article_id IN (SELECT unnest(?))", [ids]
    ).fetchall()
    return {int(a): lang for a, lang in rows}


@lru_cache(maxsize=2)
def _worker_builder(config_json: str) -> NarrativeBuilder:
    """The builder of a worker process (one per configuration, kept between windows)."""
    return NarrativeBuilder(None, NarrativeConfig(**json.loads(config_json)))


def _prepare(
    config_json: str, rows: list[tuple], langs: dict[int, str | None]
) -> tuple[Window, list[tuple[int, int]], NarrativeSummary]:
    """A worker's task: one window prepared by :meth:`NarrativeBuilder.window` (without its
    index), the unions of its identical units, and its counts."""
    builder = _worker_builder(config_json)
    builder.uf, builder.summary = UnionFind(), NarrativeSummary()
    w = builder.window(rows, langs, index=False)
    same = [(u, builder.uf.find(u)) for u in builder.uf.parent]
    summary = builder.summary
    summary.junk, summary.languages, summary.seconds = (
        dict(summary.junk),
        dict(summary.languages),
        dict(summary.seconds),
    )
    return w, same, summary


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
        None,
        prev.langs + cur.langs,
        masks=None
        if prev.masks is None or cur.masks is None
        else np.concatenate([prev.masks, cur.masks]),
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
