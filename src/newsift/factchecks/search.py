"""Hybrid retrieval of previously fact-checked (or catalogued) claims.

For each query sentence and each collection: BM25 (bm25s) scores and dense MiniLM cosines over the
whole collection; the union of the top ``depth`` of each list is re-scored by a small logistic
model over four absolute features (:data:`FEATURES`: cosine, log(1 + BM25 / the collection's
largest IDF), the share of the query's content words found in the fact-check's claim, and the
share of the claim's content words found in the query), trained on CheckThat! 2021 task 2A + 2B train qrels
(``newsift train claims --part matching``). Absolute features (no ranks, nothing relative to the
query's best hit) keep the ``score`` a calibrated match probability in [0, 1], comparable across
queries and collections, so one high-precision threshold serves them all.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ConfigError
from .store import Collection, _stopwords, tokenize

FEATURES = ("cosine", "log_bm25_idf", "overlap", "coverage")
METHODS = ("hybrid", "bm25", "dense", "rrf")
RERANK_PATH = Path(__file__).resolve().parents[1] / "models" / "claims" / "matching.json"
RRF_K = 60


@dataclass
class Reranker:
    """Logistic combination of :data:`FEATURES`; ``threshold`` is the high-precision default.

    ``lexical_coef``/``lexical_intercept`` score collections imported without embeddings, from
    the three lexical features alone.
    """

    coef: list[float]
    intercept: float
    threshold: float
    lexical_coef: list[float]
    lexical_intercept: float
    lexical_threshold: float
    narrative_threshold: float = 0.08
    narrative_min_cases: int = 2

    @classmethod
    def load(cls, path: Path = RERANK_PATH) -> Reranker:
        """The committed re-scorer (``newsift train claims --part matching`` writes it).

        Raises:
            ConfigError: when the file is missing or was written for other features.
        """
        if not path.exists():
            raise ConfigError(f"matching model {path} is missing; run "
                              "`newsift train claims --part matching` or reinstall newsift")
        d = json.loads(path.read_text(encoding="utf-8"))
        if tuple(d.get("features", ())) != FEATURES:
            raise ConfigError(f"matching model {path} was trained on features {d.get('features')}, "
                              f"this newsift computes {list(FEATURES)}; retrain it with "
                              "`newsift train claims --part matching`")
        return cls(list(d["coef"]), float(d["intercept"]), float(d["threshold"]),
                   list(d["lexical_coef"]), float(d["lexical_intercept"]),
                   float(d.get("lexical_threshold", d["threshold"])),
                   float(d.get("narrative_threshold", 0.08)),
                   int(d.get("narrative_min_cases", 2)))

    def score(self, feats: np.ndarray, lexical: bool = False) -> np.ndarray:
        """Match probabilities for feature rows (``lexical``: the collection has no vectors)."""
        if lexical:
            z = feats[:, 1:] @ np.asarray(self.lexical_coef) + self.lexical_intercept
        else:
            z = feats @ np.asarray(self.coef) + self.intercept
        return 1.0 / (1.0 + np.exp(-z))


def _top(values: np.ndarray, d: int) -> np.ndarray:
    """Indices of the ``d`` largest values, best first."""
    idx = np.argpartition(-values, d - 1)[:d] if d < len(values) else np.arange(len(values))
    return idx[np.argsort(-values[idx], kind="stable")]


def max_idf(n: int) -> float:
    """The largest BM25 IDF in a collection of ``n`` records (a term in one record): BM25 scores
    divided by it no longer grow with the collection's size, so one model fits any collection."""
    return float(np.log(1 + (n - 0.5) / 1.5))


def candidate_features(q_tokens: list[str], cos: np.ndarray | None, coll: Collection,
                       depth: int) -> tuple[np.ndarray, np.ndarray]:
    """Candidate record indices and their :data:`FEATURES` rows, plus an ``rrf`` column.

    Args:
        q_tokens: the query's BM25 tokens (:func:`~newsift.factchecks.store.tokenize`).
        cos: the query's cosine with every record of ``coll`` (``None``: no dense vectors).
        coll: the collection.
        depth: candidates taken from the top of each of BM25 and dense.

    Returns:
        ``(indices, features)``, features ``[n, 5]``: the four of :data:`FEATURES` then the
        reciprocal-rank fusion of the two lists (for the ``rrf`` ablation only).
    """
    n = len(coll)
    d = min(depth, n)
    bm = coll.bm25.get_scores(q_tokens) if (q_tokens and coll.bm25 is not None) else None
    lists = [_top(x, d) for x in (bm, cos) if x is not None]
    if not lists:
        return np.zeros(0, dtype=np.int64), np.zeros((0, len(FEATURES) + 1))
    cand = np.unique(np.concatenate(lists))
    rrf = np.zeros(len(cand))
    for ranked in lists:
        pos = {int(j): r for r, j in enumerate(ranked, 1)}
        rrf += np.array([1.0 / (RRF_K + pos.get(int(j), 2 * depth)) for j in cand])
    q_set = set(q_tokens)
    stop = _stopwords()
    shared, claim_len = np.zeros(len(cand)), np.ones(len(cand))
    for row, i in enumerate(cand):
        c_set = set(tokenize(coll.records[i]["claim"], stop))
        shared[row], claim_len[row] = len(q_set & c_set), max(len(c_set), 1)
    feats = np.stack([
        cos[cand] if cos is not None else np.zeros(len(cand)),
        np.log1p(bm[cand] / max_idf(n)) if bm is not None else np.zeros(len(cand)),
        shared / max(len(q_set), 1),
        shared / claim_len,
        rrf,
    ], axis=1)
    return cand, feats


class Searcher:
    """Search loaded collections for sentences.

    Args:
        collections: loaded :class:`Collection` objects.
        encoder: a :class:`newsift.embed.Encoder` (default: the committed MiniLM).
        reranker: the score model (default: the committed one).
        depth: candidates taken from each of BM25 and dense per collection.
        method: ``hybrid`` (re-scored, default), or for ablations ``bm25``, ``dense``, ``rrf``
            (candidates ranked by that feature alone; ``score`` is then that feature).
    """

    def __init__(self, collections: list[Collection], encoder: Any = None,
                 reranker: Reranker | None = None, depth: int = 20,
                 method: str = "hybrid") -> None:
        if method not in METHODS:
            raise ConfigError(f"retrieval method {method!r} is unknown; use one of {METHODS}")
        self.method = method
        self.collections = collections
        self.encoder = encoder
        self.reranker = reranker or (Reranker.load() if method == "hybrid" else None)
        self.depth = depth

    def _encode(self, texts: list[str],
                encode: Callable[[list[str]], np.ndarray] | None = None) -> np.ndarray | None:
        if not any(c.embeddings is not None for c in self.collections) or self.method == "bm25":
            return None
        if encode is not None:
            return encode(texts)
        if self.encoder is None:
            from ..embed import get_encoder

            self.encoder = get_encoder()
        return self.encoder.encode(texts)

    def cut(self, coll: Collection) -> tuple[float, int]:
        """The default threshold for matches from ``coll``, and how many of its records must
        reach it for any to count.

        Fact-check collections: the high-precision threshold, one record suffices. Known-narrative
        collections (``meta["kind"] == "narratives"``, e.g. EUvsDisinfo) catalogue the same story
        in other words, so their cases score lower as *same-claim* matches: a lower threshold
        (calibrated on unrelated sentences) and at least ``narrative_min_cases`` cases.
        """
        r = self.reranker
        if r is None:
            return 0.0, 1
        if coll.meta.get("kind") == "narratives":
            return r.narrative_threshold, r.narrative_min_cases
        return (r.lexical_threshold if coll.embeddings is None else r.threshold), 1

    def search(self, queries: list[str], k: int = 5,
               min_score: float | str | None = None,
               encode: Callable[[list[str]], np.ndarray] | None = None) -> list[list[dict[str, Any]]]:
        """Top ``k`` matches per query, best first, each ``{id, claim, url, rating, date, score,
        collection}``.

        Args:
            queries: claim sentences.
            k: at most this many matches per query.
            min_score: keep matches scoring at least this; ``"default"``: the re-scorer's
                high-precision threshold (:meth:`cut`); ``None``: keep all ``k``.
            encode: how to get the queries' MiniLM vectors (default: the shared encoder); the
                stage passes :func:`newsift.embed.article_vectors` to reuse those of ``claims.v1``.
        """
        if not queries:
            return []
        vecs = self._encode(queries, encode)
        stop = _stopwords()
        q_tokens = [tokenize(q, stop) for q in queries]
        hits: list[list[tuple[float, Collection, int]]] = [[] for _ in queries]
        for coll in self.collections:
            if not len(coll):
                continue
            dense = vecs is not None and coll.embeddings is not None
            floor, support = self.cut(coll) if min_score == "default" else (min_score, 1)
            for b in range(0, len(queries), 64):
                # one matrix product per block of queries: much cheaper than one per query
                cos = coll.embeddings @ vecs[b : b + 64].T if dense else None
                for j in range(b, min(b + 64, len(queries))):
                    cand, feats = candidate_features(
                        q_tokens[j], None if cos is None else cos[:, j - b], coll, self.depth
                    )
                    scores = self._score(feats, lexical=not dense)
                    keep = scores >= float(floor) if floor is not None else scores > -np.inf
                    if keep.sum() >= support:
                        hits[j].extend((float(sc), coll, int(i))
                                       for i, sc in zip(cand[keep], scores[keep], strict=True))
        out = []
        for found in hits:
            found.sort(key=lambda h: -h[0])
            out.append([_match(coll, i, sc) for sc, coll, i in found[:k]])
        return out

    def _score(self, feats: np.ndarray, lexical: bool) -> np.ndarray:
        if self.method == "hybrid":
            return self.reranker.score(feats[:, : len(FEATURES)], lexical)
        return feats[:, {"dense": 0, "bm25": 1, "rrf": len(FEATURES)}[self.method]]


def _match(coll: Collection, i: int, score: float) -> dict[str, Any]:
    rec = coll.records[i]
    return {
        "id": rec["id"], "claim": rec["claim"], "url": rec.get("url", ""),
        "rating": rec.get("rating", ""), "date": rec.get("date", ""), "score": round(score, 3),
        "collection": coll.name,
    }
