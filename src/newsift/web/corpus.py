"""The corpus as the web sees it: a small read-only interface over a newsift database.

The routes talk to a :class:`Corpus`; :func:`open_corpus` builds one over the DuckDB store that
``newsift ingest``/``run``/``narratives`` write (:mod:`newsift.corpus`). Tests pass a fake with
the same methods. Every method returns plain JSON-able dicts (or an :class:`Article`), so the
REST API returns them as they are.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Protocol

from ..article import Article
from .errors import WebError


@dataclass(frozen=True)
class ArticleFilters:
    """Filters of the article list; None means "any"."""

    outlet: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    min_rating: float | None = None
    max_rating: float | None = None
    technique: str | None = None
    narrative: str | None = None
    limit: int = 50
    offset: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}


class Corpus(Protocol):
    """What the web reads from a corpus database."""

    def articles(self, filters: ArticleFilters) -> dict[str, Any]:
        """``{total, items: [{id, title, url, domain, date, rating, techniques, narratives}]}``."""
        ...

    def article(self, article_id: str) -> Article | None:
        """The stored, analysed article, or None when the id is unknown."""
        ...

    def outlet(self, domain: str) -> dict[str, Any] | None:
        """``{domain, rating, rating_source, articles, narratives}`` or None when unknown."""
        ...

    def narratives(self, limit: int = 50, offset: int = 0) -> dict[str, Any]:
        """``{"total": n, "items": [{id, claim, articles, outlets, first_date, origin}]}``."""
        ...

    def narrative(self, narrative_id: str) -> dict[str, Any] | None:
        """``{id, claim, origin, members: [...], timeline: [{date, count}], outlets: [...]}``."""
        ...

    def trace(
        self, *, text: str | None = None, article_id: str | None = None, limit: int = 50
    ) -> dict[str, Any]:
        """``{query, matches: [{article_id, url, domain, date, similarity, match, text}]}``."""
        ...


def open_corpus(db: str) -> Corpus:
    """Open the corpus database at ``db`` for reading.

    Raises:
        WebError: (``corpus_unavailable``) the corpus module or the database is not available.
    """
    try:
        from .corpus_store import StoreCorpus
    except ImportError as err:
        raise WebError(
            f"{db}: corpus support is not available in this installation ({err}); "
            "analyse single articles, or install newsift with corpus mode",
            code="corpus_unavailable",
        ) from err
    return StoreCorpus(db)
