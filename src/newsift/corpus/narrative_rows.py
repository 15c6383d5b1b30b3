"""Turn groups of linked claim units into ``narratives`` and ``narrative_members`` rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from .store import DuckDBStore

MAX_IDX = 4096


@lru_cache(maxsize=100_000)
def outlet_rating(domain: str | None) -> float | None:
    """The outlet rating of a domain (``outlet.v1``'s table), for articles analysed without it."""
    if not domain:
        return None
    try:
        from ..stages.outlet import lookup
    except ImportError:
        return None
    try:
        return lookup(domain).get("rating")
    except Exception:  # noqa: BLE001 - a missing ratings table leaves the rating empty
        return None


def unit_info(store: DuckDBStore, uids: list[int], encoder: str = "") -> dict[int, dict[str, Any]]:
    """Text, date, domain, rating, URL (and stored vector of ``encoder``, or None) of each unit id."""
    import pyarrow as pa

    ids = pa.table({"uid": pa.array(uids, pa.int64())})  # noqa: F841 - read by DuckDB
    rows = store.con.execute(
        f"""SELECT ids.uid, c.article_id, c.idx, c.text, n.date, n.domain, n.outlet_rating, a.url, v.vec,
                   n.language
            FROM ids JOIN claims c ON c.article_id = ids.uid // {MAX_IDX} AND c.idx = ids.uid % {MAX_IDX}
            JOIN analyses n ON n.article_id = c.article_id JOIN articles a ON a.id = c.article_id
            LEFT JOIN claim_vectors v ON v.article_id = c.article_id AND v.idx = c.idx AND v.encoder = ?""",
        [encoder],
    ).fetchall()
    keys = ("article_id", "idx", "text", "date", "domain", "rating", "url", "vec", "language")
    return {r[0]: dict(zip(keys, r[1:], strict=True)) for r in rows}


def _sort_key(u: dict[str, Any]) -> tuple:
    return (u["date"] is None, u["date"] or dt.datetime.max, u["article_id"], u["idx"])


def content_vectors(units: list[dict[str, Any]], encoder: Any) -> Any:
    """The units' check vectors: stored MiniLM vectors when every unit has one, else encoded."""
    from .similarity import from_int8

    blobs = [b for u in units if (b := u.get("vec")) is not None and len(b) == encoder.dim]
    if len(blobs) == len(units):
        return from_int8(blobs, encoder.dim)
    return encoder.encode_content([u["text"] for u in units])


def narrative_rows(
    store: DuckDBStore | None,
    groups: Iterable[list[int]],
    encoder: Any,
    copy_threshold: float,
    stored: str = "",
    info: dict[int, dict[str, Any]] | None = None,
) -> tuple[list[dict], list[dict]]:
    """Rows for every group that spans two or more articles, numbered by origin date.

    ``stored`` names the encoder whose stored vectors (``claim_vectors``) may be used; ``info``
    (the :func:`unit_info` of every unit) is read from ``store`` when not given (Spark gives it).
    """
    from .narratives import classify

    groups = [g for g in groups if len({u // MAX_IDX for u in g}) >= 2]
    if info is None:
        assert store is not None
        info = unit_info(store, [u for g in groups for u in g], stored)
    ordered = []
    for g in groups:
        units = sorted((info[u] for u in g if u in info), key=_sort_key)
        if len({u["article_id"] for u in units}) >= 2:
            ordered.append(units)
    ordered.sort(key=lambda units: _sort_key(units[0]))
    narratives, members = [], []
    for nid, units in enumerate(ordered, 1):
        origin = units[0]
        texts = [u["text"] for u in units]
        vecs = content_vectors(units, encoder)
        matches = classify(origin["text"], vecs[0], texts, vecs, copy_threshold)
        matches[0] = ("origin", 1.0)
        _translations(units, matches)
        for u, (match, sim) in zip(units, matches, strict=True):
            rating = u["rating"] if u["rating"] is not None else outlet_rating(u["domain"])
            members.append(
                {
                    "narrative_id": nid,
                    "article_id": u["article_id"],
                    "claim_idx": u["idx"],
                    "match": match,
                    "similarity": float(sim),
                    "date": u["date"],
                    "domain": u["domain"],
                    "outlet_rating": rating,
                    "text": u["text"],
                }
            )
        kinds = {m for m, _ in matches[1:]}
        dates = [u["date"] for u in units if u["date"] is not None]
        narratives.append(
            {
                "id": nid,
                "kind": kinds.pop() if len(kinds) == 1 else "mixed",
                "n_articles": len({u["article_id"] for u in units}),
                "n_outlets": len({u["domain"] for u in units if u["domain"]}),
                "first_date": min(dates) if dates else None,
                "last_date": max(dates) if dates else None,
                "origin_article_id": origin["article_id"],
                "origin_url": origin["url"],
                "origin_domain": origin["domain"],
                "text": origin["text"],
            }
        )
    return narratives, members


def _language(unit: dict[str, Any]) -> str:
    from .narrative_link import unit_language

    return unit_language(unit["text"], unit.get("language"))


def _translations(units: list[dict[str, Any]], matches: list[tuple[str, float]]) -> None:
    """Members in another language than the origin are ``translation`` matches, with their e5
    cosine to the origin (MiniLM's and the shingles' say nothing across languages)."""
    langs = [_language(u) for u in units]
    other = [i for i, lang in enumerate(langs) if lang != langs[0]]
    if not other:
        return
    from ..embed import get_multilingual_encoder

    vecs = get_multilingual_encoder().encode([units[0]["text"]] + [units[i]["text"] for i in other])
    for i, v in zip(other, vecs[1:], strict=True):
        matches[i] = ("translation", round(float(v @ vecs[0]), 3))


def origin_status(members: list[dict[str, Any]]) -> dict[str, Any]:
    """What can be said of a narrative's origin: ``dated`` members, those with ``no_date``, the
    articles ``tied`` with the earliest (same date and time), and whether the origin is
    ``unknown`` (no member is dated). Members are dicts with ``date`` and ``article_id``."""
    dated = [m for m in members if m.get("date") is not None]
    first = min((m["date"] for m in dated), default=None)
    tied = sorted({m["article_id"] for m in dated if m["date"] == first})
    return {
        "dated": len({m["article_id"] for m in dated}),
        "no_date": len({m["article_id"] for m in members if m.get("date") is None}),
        "first_date": first,
        "tied": tied if len(tied) > 1 else [],
        "unknown": first is None,
    }


def spread(members: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Day by day: the day, how many articles, and which outlets carried it for the first time
    (``new_outlets``) or again; undated members last, as one ``no date`` row."""
    days: dict[Any, dict[str, Any]] = {}
    seen: set[str] = set()
    for m in sorted(members, key=lambda m: (m.get("date") is None, m.get("date") or 0)):
        d = m.get("date")
        key = d.strftime("%Y-%m-%d") if d is not None else "no date"
        row = days.setdefault(
            key, {"day": key, "articles": set(), "outlets": [], "new_outlets": []}
        )
        row["articles"].add(m["article_id"])
        domain = m.get("domain") or "-"
        if domain not in row["outlets"]:
            row["outlets"].append(domain)
        if domain not in seen:
            seen.add(domain)
            row["new_outlets"].append(domain)
    return [{**r, "articles": len(r["articles"])} for r in days.values()]


def timeline(members: list[dict[str, Any]], *, by: str = "day") -> list[tuple[str, int]]:
    """Articles per day (or week) of a narrative's members, in date order."""
    counts: dict[str, int] = {}
    for m in members:
        d = m.get("date")
        if d is None:
            continue
        key = d.strftime("%Y-%m-%d") if by == "day" else f"{d:%G}-W{d:%V}"
        counts[key] = counts.get(key, 0) + 1
    return sorted(counts.items())


def member_view(store: DuckDBStore, nid: int) -> list[dict[str, Any]]:
    """A narrative's members earliest first (undated last), each with its URL and language."""
    rows = store.query(
        """SELECT m.date, m.article_id, a.url, m.domain, m.outlet_rating, m.match, m.similarity,
                  m.text, n.language FROM narrative_members m JOIN articles a ON a.id = m.article_id
           LEFT JOIN analyses n ON n.article_id = m.article_id
           WHERE m.narrative_id = ? ORDER BY m.date NULLS LAST, m.article_id, m.claim_idx""",
        [nid],
    )
    keys = ("date", "article_id", "url", "domain", "outlet_rating", "match", "similarity", "text")
    out = []
    for r in rows:
        m = dict(zip(keys, r[:-1], strict=True))
        m["language"] = unit_language_of(m["text"], r[-1])
        out.append(m)
    return out


def unit_language_of(text: str, article_language: str | None) -> str:
    """The language shown for a member (:func:`~newsift.corpus.narrative_link.unit_language`)."""
    from .narrative_link import unit_language

    return unit_language(text or "", article_language)
