"""``factchecks.v1``: has a check-worthy claim been fact-checked, or catalogued, already?

For each claim of class ``check-worthy factual`` in the ``claims`` layer, fills ``matches`` with
the closest records of the local fact-check collections (``newsift factchecks import``) and of the
built-in EUvsDisinfo known-narrative collection, each ``{id, claim, url, rating, date, score,
collection}``. Only matches scoring at least ``min_score`` are kept (default: the high-precision
threshold of the committed re-ranker); the score is always shown.

It also writes ``factcheck_collections``: ``{name: {attribution, disclaimer}}`` for every
collection that produced a match, so reports can credit the source and show its disclaimer.
"""

from __future__ import annotations

import copy
from typing import Any

from ..article import Article
from ..pipeline import Stage, register_stage
from .checkworthy import CHECK_WORTHY, CLASSES


@register_stage("factchecks.v1")
class FactchecksStage(Stage):
    """Matches check-worthy claims against fact-check collections.

    Params:
        collections: names of imported collections to use (default: all imported ones).
        builtin: also use the packaged EUvsDisinfo collection (default True).
        data_dir: where imported collections live (default: see ``newsift.factchecks.store``).
        min_score: keep matches scoring at least this (default: the re-ranker's threshold).
        k: at most this many matches per claim (default 3).
        min_class: the lowest claim class that is matched (default ``check-worthy factual``).
    """

    settings = ("collections", "data_dir", "builtin", "min_score", "k", "min_class")
    requires = ("claims",)
    assigns = ("claims", "factcheck_collections")

    def setup(self) -> None:
        from ..factchecks import euvsdisinfo
        from ..factchecks.search import Searcher
        from ..factchecks.store import load_collections

        colls = load_collections(self.params.get("collections"), self.params.get("data_dir"))
        if self.params.get("builtin", True) and euvsdisinfo.available():
            colls.append(euvsdisinfo.load())
        self.collections_ = [c for c in colls if len(c)]
        self.searcher_ = Searcher(self.collections_)
        threshold = self.params.get("min_score")
        self.min_score_ = "default" if threshold is None else float(threshold)
        self.k_ = int(self.params.get("k", 3))
        self.min_class_ = CLASSES.index(self.params.get("min_class", CHECK_WORTHY))

    def predict(self, batch: list[Article]) -> list[list[dict[str, Any]]]:
        # One search per article: the int8 encoder quantises its activations per call, so
        # searching articles together would let one article's matches depend on its neighbours.
        return [self._match(article) for article in batch]

    def _match(self, article: Article) -> list[dict[str, Any]]:
        claims = copy.deepcopy(article.layers.get("claims") or [])
        todo = [c for c in claims
                if c.get("class") in CLASSES and CLASSES.index(c["class"]) >= self.min_class_]
        if todo and self.collections_:
            unique = list(dict.fromkeys(c["text"] for c in todo))  # repeated sentences: once
            from ..embed import article_vectors

            found = dict(zip(unique, self.searcher_.search(
                unique, k=self.k_, min_score=self.min_score_,
                encode=lambda ts: article_vectors(article, ts)), strict=True))
            for claim in todo:
                claim["matches"] = copy.deepcopy(found[claim["text"]])
        return claims

    def annotate(self, batch: list[Article], predictions: list[list[dict[str, Any]]]) -> None:
        by_name = {c.name: c.meta for c in self.collections_}
        for article, claims in zip(batch, predictions, strict=True):
            article.layers["claims"] = claims
            used = sorted({m["collection"] for c in claims for m in c.get("matches", [])})
            article.layers["factcheck_collections"] = {
                n: {"attribution": by_name[n].get("attribution", ""),
                    "disclaimer": by_name[n].get("disclaimer", "")} for n in used
            }
            if not self.collections_:
                article.add_problem(
                    self.name, "no_factchecks",
                    "no fact-check collection to match against; import one with "
                    "`newsift factchecks import FILE`",
                )
