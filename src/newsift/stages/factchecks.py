"""``factchecks.v1``: has a check-worthy claim been fact-checked, or catalogued, already?

For each claim of class ``check-worthy factual`` in the ``claims`` layer (which stays as
``claims.v1`` wrote it), the ``matches`` layer lists the records of the local fact-check
collections (``newsift factchecks import``) and of the EUvsDisinfo catalogue that restate the
claim itself, not only its topic: ``{claim_index, start, end, id, claim, url, rating, date, score,
collection, summary, disproof, truncated, relation, voice, headline, cross_language, languages}``,
by claim then best first. A claim in another language than English is matched across languages
(multilingual-e5; ``cross_language: true``, ``languages: {sentence, record}``).
Only matches at or above the calibrated threshold of their collection are kept (``min_score``
overrides it); the score is always shown.

- ``relation``: ``catalogued_before`` (the record is dated on or before the article),
  ``catalogued_later`` (after it: never "already catalogued") or ``date_unknown``;
- ``voice``: ``asserted`` (the outlet states it), ``reported`` (attributed to a speaker or
  quoted) or ``critical`` (reported to reject it: "claimed, without evidence", "falsely",
  "so-called", "debunked");
- ``headline``: whether the match belongs in the headline findings (not catalogued later, not
  critical).

It also writes ``factcheck_collections``: ``{name: {attribution, disclaimer, note}}`` for every
collection that produced a match, so reports can credit the source, show its disclaimer, and
say what it holds (``note``: e.g. that the shipped EUvsDisinfo list has titles only).
"""

from __future__ import annotations

from typing import Any

from ..article import Article
from ..pipeline import Stage, register_stage
from .checkworthy import CHECK_WORTHY, CLASSES


def claim_matches(article: Article) -> list[list[dict[str, Any]]]:
    """The matches of each claim of ``article`` (one list per ``claims`` entry): from the
    ``matches`` layer, or for articles analysed before it existed, from ``claims[i].matches``."""
    claims = article.layers.get("claims") or []
    out: list[list[dict[str, Any]]] = [[] for _ in claims]
    layer = article.layers.get("matches")
    if isinstance(layer, list):
        for m in layer:
            i = m.get("claim_index") if isinstance(m, dict) else None
            if isinstance(i, int) and 0 <= i < len(out):
                out[i].append(m)
        return out
    for i, c in enumerate(claims):
        old = c.get("matches") if isinstance(c, dict) else None
        out[i] = [m for m in old or [] if isinstance(m, dict)]
    return out


@register_stage("factchecks.v1")
class FactchecksStage(Stage):
    """Matches check-worthy claims against fact-check collections.

    Params:
        collections: names of imported collections to use (default: all imported ones).
        builtin: also use the EUvsDisinfo catalogue (default True): the copy updated with
            ``newsift factchecks update euvsdisinfo FILE`` when there is one, else the packaged one.
        data_dir: where imported collections live (default: see ``newsift.factchecks.store``).
        min_score: keep matches scoring at least this (default: each collection's calibrated
            threshold).
        k: at most this many matches per claim (default 3).
        min_class: the lowest claim class that is matched (default ``check-worthy factual``).
        catalogue_encoder: how English claims are matched against the EUvsDisinfo catalogue:
            ``e5`` (default; multilingual-e5, the better matcher, see ``docs/factchecks.md``)
            or ``minilm`` (the re-scored BM25 + MiniLM path: faster, lower recall). Claims in
            other languages always go by e5.
    """

    settings = {
        "collections": None,
        "data_dir": None,
        "builtin": True,
        "min_score": None,
        "k": 3,
        "min_class": CHECK_WORTHY,
        "catalogue_encoder": "e5",
    }
    requires = ("claims",)
    assigns = ("matches", "factcheck_collections")
    # English by the English models, ru/uk/de/fr/es/pl by the multilingual-e5 ones (measured on
    # the team's gold sets; docs/claims.md, docs/factchecks.md): the pipeline's language gate
    # (issue 24) runs the stage on these only
    languages = frozenset({"en", "ru", "uk", "de", "fr", "es", "pl"})

    def setup(self) -> None:
        from ..factchecks import euvsdisinfo
        from ..factchecks.search import Searcher
        from ..factchecks.store import load_collections

        names = self.setting("collections")
        colls = [
            c
            for c in load_collections(names, self.setting("data_dir"))
            if c.name != euvsdisinfo.NAME  # the updated catalogue is loaded below, once
        ]
        if self.setting("builtin") and euvsdisinfo.available(self.setting("data_dir")):
            colls.append(euvsdisinfo.load(self.setting("data_dir")))
        self.collections_ = [c for c in colls if len(c)]
        self.searcher_ = Searcher(
            self.collections_, english_e5=self.setting("catalogue_encoder") == "e5"
        )
        threshold = self.setting("min_score")
        self.min_score_ = "default" if threshold is None else float(threshold)
        self.k_ = int(self.setting("k"))
        self.min_class_ = CLASSES.index(self.setting("min_class"))

    def check_settings(self) -> None:
        from ..errors import ConfigError

        if self.setting("catalogue_encoder") not in ("e5", "minilm"):
            raise ConfigError(
                f"catalogue_encoder {self.setting('catalogue_encoder')!r} is unknown; use e5 or "
                "minilm"
            )

    def predict(self, batch: list[Article]) -> list[list[dict[str, Any]]]:
        # One search per article: the int8 encoder quantises its activations per call, so
        # searching articles together would let one article's matches depend on its neighbours.
        return [self._match(article) for article in batch]

    def _match(self, article: Article) -> list[dict[str, Any]]:
        from ..factchecks.search import describe

        claims = article.layers.get("claims") or []
        todo = [
            (i, c)
            for i, c in enumerate(claims)
            if c.get("class") in CLASSES and CLASSES.index(c["class"]) >= self.min_class_
        ]
        if not todo or not self.collections_:
            return []
        from ..embed import article_vectors, article_vectors_multilingual
        from ..factchecks.multilingual import sentence_language

        unique = list(dict.fromkeys(c["text"] for _, c in todo))  # repeated sentences: once
        told = article.cache.get("sentence_language") or {}  # by claims.v1, for its sentences
        langs = [told.get(t) or sentence_language(t, article.language) for t in unique]
        found = dict(
            zip(
                unique,
                self.searcher_.search(
                    unique,
                    k=self.k_,
                    min_score=self.min_score_,
                    encode=lambda ts: article_vectors(article, ts),
                    langs=langs,
                    encode_e5=lambda ts: article_vectors_multilingual(article, ts),
                ),
                strict=True,
            )
        )
        out = []
        for i, claim in todo:
            attributed = claim.get("attribution") is not None
            for m in found[claim["text"]]:
                out.append(
                    {
                        "claim_index": i,
                        **({"part": claim["part"]} if claim.get("part") else {}),
                        "start": claim["start"],
                        "end": claim["end"],
                        **describe(m, claim["text"], article.date, attributed),
                    }
                )
        return out

    def annotate(self, batch: list[Article], predictions: list[list[dict[str, Any]]]) -> None:
        by_name = {c.name: c.meta for c in self.collections_}
        for article, matches in zip(batch, predictions, strict=True):
            article.layers["matches"] = matches
            used = sorted({m["collection"] for m in matches})
            article.layers["factcheck_collections"] = {
                n: {
                    "attribution": by_name[n].get("attribution", ""),
                    "disclaimer": by_name[n].get("disclaimer", ""),
                    "note": by_name[n].get("note", ""),
                }
                for n in used
            }
            if not self.collections_:
                article.add_problem(
                    self.name,
                    "no_factchecks",
                    "no fact-check collection to match against; import one with "
                    "`newsift factchecks import FILE`",
                )
