"""The web's read-only view of a DuckDB corpus written by ``newsift ingest``/``run``/``narratives``.

Reads the tables documented in ``docs/corpus.md`` (``articles``, ``analyses``, ``spans``,
``narratives``, ``narrative_members``) through :func:`newsift.corpus.store.open_store`, with
parameterised SQL only. One DuckDB connection is shared by the server's threads, so queries are
serialised with a lock. Tracing is delegated to :mod:`newsift.corpus` when it offers it.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from typing import Any

from ..article import Article
from ..corpus.store import open_store
from .corpus import ArticleFilters
from .errors import WebError

_DATE = "coalesce(an.date, a.date)"
_DOMAIN = "coalesce(an.domain, a.domain)"


def _iso(value: Any) -> str | None:
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return None if value is None else str(value)


def _day(value: str | None, name: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError as err:
        raise WebError(
            f"{name}: expected a date as YYYY-MM-DD, got {value[:40]!r}", code="bad_request"
        ) from err


MAX_MEMBERS = 1000  # appearances listed on a narrative page; the timeline counts them all


def _outlet_record(domain: str) -> dict[str, Any]:
    """What ``outlet.v1`` knows of a domain (rating source, EUvsDisinfo cases), or ``{}``."""
    try:
        from ..stages.outlet import lookup
    except ImportError:
        return {}
    return lookup(domain)


def _int_id(value: str) -> int | None:
    """A stored id from a URL: ASCII digits that fit a BIGINT, else None (an unknown id).

    ``str.isdigit`` alone is not enough: ``"²"`` and other Unicode digits pass it and fail ``int``.
    """
    return int(value) if value.isascii() and value.isdigit() and len(value) < 19 else None


class StoreCorpus:
    """:class:`newsift.web.corpus.Corpus` over a DuckDB corpus file (opened read-only)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.store = open_store(path, read_only=True)
        self._lock = threading.Lock()

    def _rows(self, sql: str, params: list[Any] | tuple[Any, ...] = ()) -> list[tuple]:
        with self._lock:
            return self.store.query(sql, list(params))

    # -- articles ----------------------------------------------------------------------------
    def _where(self, f: ArticleFilters) -> tuple[str, list[Any]]:
        clauses: list[str] = ["TRUE"]
        params: list[Any] = []
        if f.outlet:
            clauses.append(f"{_DOMAIN} = ?")
            params.append(f.outlet.lower())
        start, end = _day(f.date_from, "date_from"), _day(f.date_to, "date_to")
        if start:
            clauses.append(f"{_DATE} >= ?")
            params.append(dt.datetime.combine(start, dt.time()))
        if end and end < dt.date.max:  # the day after 9999-12-31 does not exist: no bound
            clauses.append(f"{_DATE} < ?")
            params.append(dt.datetime.combine(end + dt.timedelta(days=1), dt.time()))
        if f.min_rating is not None:
            clauses.append("an.outlet_rating >= ?")
            params.append(f.min_rating)
        if f.max_rating is not None:
            clauses.append("an.outlet_rating <= ?")
            params.append(f.max_rating)
        if f.technique:
            clauses.append(
                "EXISTS (SELECT 1 FROM spans s WHERE s.article_id = a.id "
                "AND s.layer = 'persuasion' AND s.label = ?)"
            )
            params.append(f.technique)
        if f.narrative:
            nid = _int_id(f.narrative)
            clauses.append(
                "EXISTS (SELECT 1 FROM narrative_members m WHERE m.article_id = a.id "
                "AND m.narrative_id = ?)"
            )
            params.append(nid if nid is not None else -1)
        return " AND ".join(clauses), params

    def articles(self, filters: ArticleFilters) -> dict[str, Any]:
        where, params = self._where(filters)
        base = f"FROM articles a LEFT JOIN analyses an ON an.article_id = a.id WHERE {where}"
        total = self._rows(f"SELECT count(*) {base}", params)[0][0]
        rows = self._rows(
            f"SELECT a.id, a.title, a.url, {_DOMAIN}, {_DATE}, an.outlet_rating, an.status, "
            f"an.language {base} "
            f"ORDER BY {_DATE} DESC NULLS LAST, a.id LIMIT ? OFFSET ?",
            [*params, filters.limit, filters.offset],
        )
        ids = [r[0] for r in rows]
        techniques = self._grouped(
            "SELECT article_id, list(DISTINCT label ORDER BY label) FROM spans "
            "WHERE layer = 'persuasion' AND article_id IN (SELECT unnest(?)) GROUP BY article_id",
            ids,
        )
        narratives = self._grouped(
            "SELECT article_id, list(DISTINCT narrative_id ORDER BY narrative_id) FROM "
            "narrative_members WHERE article_id IN (SELECT unnest(?)) GROUP BY article_id",
            ids,
        )
        items = [
            {
                "id": str(r[0]),
                "title": r[1],
                "url": r[2],
                "domain": r[3],
                "date": _iso(r[4]),
                "rating": r[5],
                "status": r[6] or "pending",
                "language": r[7],
                "techniques": techniques.get(r[0], []),
                "narratives": [str(n) for n in narratives.get(r[0], [])],
            }
            for r in rows
        ]
        return {"total": total, "items": items}

    def _grouped(self, sql: str, ids: list[int]) -> dict[int, list[Any]]:
        if not ids:
            return {}
        return {aid: list(values or []) for aid, values in self._rows(sql, [ids])}

    def article(self, article_id: str) -> Article | None:
        aid = _int_id(article_id)
        if aid is None:
            return None
        rows = self._rows(
            "SELECT json FROM analyses WHERE article_id = ? AND json IS NOT NULL", [aid]
        )
        if not rows:
            return None
        article = Article.from_dict(json.loads(rows[0][0]))
        article.id = article.id or str(aid)
        return article

    # -- outlets -----------------------------------------------------------------------------
    def outlet(self, domain: str) -> dict[str, Any] | None:
        domain = domain.lower()
        rows = self._rows(
            f"SELECT a.id, a.title, {_DATE}, an.outlet_rating, an.outlet_label FROM articles a "
            f"LEFT JOIN analyses an ON an.article_id = a.id WHERE {_DOMAIN} = ? "
            f"ORDER BY {_DATE} DESC NULLS LAST LIMIT 200",
            [domain],
        )
        if not rows:
            return None
        rating = next((r[3] for r in rows if r[3] is not None), None)
        label = next((r[4] for r in rows if r[4]), None)
        narratives = self._rows(
            "SELECT n.id, n.text, n.n_articles FROM narratives n WHERE n.id IN "
            "(SELECT narrative_id FROM narrative_members WHERE domain = ?) "
            "ORDER BY n.n_articles DESC, n.id LIMIT 50",
            [domain],
        )
        techniques = self._rows(
            f"SELECT s.label, count(*) AS n, count(DISTINCT s.article_id) FROM spans s "
            f"JOIN articles a ON a.id = s.article_id LEFT JOIN analyses an ON an.article_id = a.id "
            f"WHERE s.layer = 'persuasion' AND {_DOMAIN} = ? GROUP BY s.label ORDER BY n DESC, 1",
            [domain],
        )
        known = _outlet_record(domain)
        return {
            "domain": domain,
            "rating": rating,
            "rating_label": label or known.get("rating_label"),
            "rating_source": known.get("rating_source")
            or ("Lin et al. 2023" if rating is not None else None),
            "euvsdisinfo": known.get("euvsdisinfo"),
            "techniques": [
                {"technique": t[0], "spans": t[1], "articles": t[2]} for t in techniques
            ],
            "articles": [{"id": str(r[0]), "title": r[1], "date": _iso(r[2])} for r in rows],
            "narratives": [{"id": str(n[0]), "claim": n[1], "articles": n[2]} for n in narratives],
        }

    # -- narratives --------------------------------------------------------------------------
    _NARRATIVE_COLS = (
        "id, kind, n_articles, n_outlets, first_date, last_date, origin_article_id, "
        "origin_url, origin_domain, text"
    )

    @staticmethod
    def _narrative_row(r: tuple) -> dict[str, Any]:
        return {
            "id": str(r[0]),
            "kind": r[1],
            "articles": r[2],
            "outlets": r[3],
            "first_date": _iso(r[4]),
            "last_date": _iso(r[5]),
            "claim": r[9],
            "origin": {
                "article_id": None if r[6] is None else str(r[6]),
                "url": r[7],
                "domain": r[8],
                "date": _iso(r[4]),
            },
        }

    def narratives(self, limit: int = 50, offset: int = 0) -> dict[str, Any]:
        total = self._rows("SELECT count(*) FROM narratives")[0][0]
        rows = self._rows(
            f"SELECT {self._NARRATIVE_COLS} FROM narratives "
            "ORDER BY n_articles DESC, first_date NULLS LAST, id LIMIT ? OFFSET ?",
            [limit, offset],
        )
        return {"total": total, "items": [self._narrative_row(r) for r in rows]}

    def narrative(self, narrative_id: str) -> dict[str, Any] | None:
        from ..corpus.narrative_rows import origin_status, unit_language_of

        nid = _int_id(narrative_id)
        rows = (
            []
            if nid is None
            else self._rows(f"SELECT {self._NARRATIVE_COLS} FROM narratives WHERE id = ?", [nid])
        )
        if not rows:
            return None
        out = self._narrative_row(rows[0])
        members = self._rows(
            "SELECT m.article_id, m.claim_idx, m.match, m.similarity, m.date, m.domain, "
            "m.outlet_rating, m.text, a.url, a.title, n.language FROM narrative_members m "
            "LEFT JOIN articles a ON a.id = m.article_id "
            "LEFT JOIN analyses n ON n.article_id = m.article_id WHERE m.narrative_id = ? "
            "ORDER BY m.date NULLS LAST, m.article_id LIMIT ?",
            [nid, MAX_MEMBERS],
        )
        out["n_members"] = self._rows(
            "SELECT count(*) FROM narrative_members WHERE narrative_id = ?", [nid]
        )[0][0]
        out["members"] = [
            {
                "article_id": str(m[0]),
                "claim_idx": m[1],
                "match": m[2],
                "similarity": m[3],
                "date": _iso(m[4]),
                "domain": m[5],
                "rating": m[6],
                "text": m[7],
                "url": m[8],
                "title": m[9],
                "language": unit_language_of(m[7] or "", m[10]),
            }
            for m in members
        ]
        status = origin_status(
            [{"article_id": m[0], "date": m[4]} for m in members]
        )  # ties with the origin and undated members are shown, not hidden (issue 21)
        out["origin_tied"] = [str(a) for a in status["tied"]]
        out["undated"] = status["no_date"]
        out["origin_unknown"] = status["unknown"]
        out["languages"] = sorted({m["language"] for m in out["members"]})
        timeline = self._rows(
            "SELECT CAST(date AS DATE) AS day, count(*) FROM narrative_members "
            "WHERE narrative_id = ? AND date IS NOT NULL GROUP BY day ORDER BY day",
            [nid],
        )
        out["timeline"] = [{"date": _iso(d), "count": c} for d, c in timeline]
        origin = out["origin"]
        if origin["article_id"]:
            title = self._rows(
                "SELECT title FROM articles WHERE id = ?", [int(origin["article_id"])]
            )
            origin["title"] = title[0][0] if title else None
        return out

    # -- trace -------------------------------------------------------------------------------
    def trace(
        self, *, text: str | None = None, article_id: str | None = None, limit: int = 50
    ) -> dict[str, Any]:
        """Where a claim text appeared (``trace_text``), or the narratives of an article's claims
        (``trace_article``): the functions behind ``newsift trace``, with dates as ISO strings."""
        from ..corpus import trace as tracing

        query = {"text": text, "article": article_id}
        if text and text.strip():
            with self._lock:
                found = tracing.trace_text(self.store, text, limit=limit)
            return {"query": query, "matches": [_match_json(m) for m in found]}
        aid = _int_id(article_id or "")
        if aid is None:
            raise WebError(f"article {article_id!r} is not in the corpus", code="not_found")
        with self._lock:
            groups = tracing.trace_article(self.store, aid)
        narratives = [
            {
                "id": str(g["narrative"].get("id")),
                "kind": g["narrative"].get("kind"),
                "articles": g["narrative"].get("n_articles"),
                "claim": g["narrative"].get("text"),
                "members": [_match_json(m) for m in g["members"]],
            }
            for g in groups
        ]
        matches = [{**m, "narrative_id": n["id"]} for n in narratives for m in n["members"]][:limit]
        return {"query": query, "narratives": narratives, "matches": matches}


def _match_json(match: dict[str, Any]) -> dict[str, Any]:
    """A trace match with JSON-able values: ISO dates, string ids."""
    out = {k: _iso(v) if isinstance(v, dt.date) else v for k, v in match.items()}
    for key in ("article_id", "narrative_id"):
        if out.get(key) is not None:
            out[key] = str(out[key])
    if "outlet_rating" in out and "rating" not in out:
        out["rating"] = out["outlet_rating"]
    return out
