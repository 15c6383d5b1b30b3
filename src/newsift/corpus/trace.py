"""``newsift trace``: where a claim appeared, earliest first, and how close each match is.

A claim text is encoded with the encoder the narratives were built with and looked up in every
window's nearest-neighbour index (or, when there is none, compared with every claim unit). Each
candidate is a ``copy`` when its word 3-gram Jaccard with the claim reaches the copy threshold, a
``reword`` when its cosine reaches the rewording threshold and it keeps the claim's figures and
names; the narratives of the matches add their other members.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from ..errors import InputError
from .narrative_rows import MAX_IDX, outlet_rating, unit_info
from .narratives import NarrativeConfig, index_dir
from .similarity import REWORD_THRESHOLDS, anchors, anchors_agree, get_encoder, jaccard, shingles
from .store import DuckDBStore


def _encoder_of(store: DuckDBStore) -> Any:
    name = store.get_meta("narratives_encoder")
    return get_encoder(name or "auto")


def _index_candidates(path: Path, vec: np.ndarray, k: int) -> list[int]:
    from usearch.index import Index

    uids: list[int] = []
    for file in sorted(path.glob("*.usearch")):
        index = Index.restore(str(file), view=True)
        if index is None or len(index) == 0:
            continue
        found = index.search(vec, min(k, len(index)))
        uids.extend(int(u) for u in np.atleast_1d(found.keys))
    return uids


def _scan_candidates(store: DuckDBStore, encoder: Any, vec: np.ndarray, k: int) -> list[int]:
    """Every claim unit compared with the claim (small corpora, or no index yet)."""
    best: list[tuple[float, int]] = []
    sql = "SELECT article_id, idx, text FROM claims WHERE text IS NOT NULL"
    rows = store.iter_query(sql, size=5000)
    batch: list[tuple] = []
    for row in [*rows, None]:
        if row is not None:
            batch.append(row)
            if len(batch) < 5000:
                continue
        if batch:
            sims = encoder.encode([r[2] for r in batch]) @ vec
            best.extend((float(s), r[0] * MAX_IDX + r[1]) for s, r in zip(sims, batch, strict=True))
            best = sorted(best, reverse=True)[:k]
            batch = []
    return [uid for _, uid in best]


def trace_text(
    store: DuckDBStore, text: str, *, limit: int = 50, config: NarrativeConfig | None = None
) -> list[dict[str, Any]]:
    """Appearances of the claim ``text`` in the corpus, earliest first.

    Returns:
        dicts with date, article_id, url, domain, outlet_rating, match (copy|reword), similarity,
        text and narrative_id (None when the match is in no narrative).
    """
    if not text or not text.strip():
        raise InputError(
            "trace: the claim text is empty; give a sentence to look for", code="empty"
        )
    config = config or NarrativeConfig()
    encoder = _encoder_of(store)
    reword = config.reword_threshold or REWORD_THRESHOLDS[encoder.name]
    vec = encoder.encode([text])[0]
    path = index_dir(store.path)
    k = max(limit, 20)
    uids = (
        _index_candidates(path, vec, k)
        if path.exists()
        else _scan_candidates(store, encoder, vec, k)
    )
    query = (
        shingles(text),
        anchors(text),
        encoder.encode_content([text])[0],
        reword,
        config.copy_threshold,
    )
    direct = _classify(store, encoder, sorted(set(uids)), query, None)
    mates = _narrative_mates(store, [m["uid"] for m in direct]) - {m["uid"] for m in direct}
    out = direct + _classify(store, encoder, sorted(mates), query, "same narrative")
    member_of = _narratives_of(store, [m["uid"] for m in out])
    for m in out:
        m["narrative_id"] = member_of.get(m.pop("uid"))
    out.sort(key=lambda m: (m["date"] is None, m["date"] or 0, m["article_id"]))
    return out[:limit]


def _classify(
    store: DuckDBStore, encoder: Any, uids: list[int], query: tuple, fallback: str | None
) -> list[dict[str, Any]]:
    """Units that are copies or rewordings of the query (or ``fallback`` for the others)."""
    q_sh, q_anchors, q_vec, reword, copy = query
    info = unit_info(store, uids)
    found = [u for u in uids if u in info]
    vecs = encoder.encode_content([info[u]["text"] for u in found]) if found else []
    out = []
    for u, v in zip(found, vecs, strict=True):
        unit = info[u]
        j, cos = jaccard(q_sh, shingles(unit["text"])), float(v @ q_vec)
        if j >= copy:
            match, sim = "copy", j
        elif cos >= reword and anchors_agree(q_anchors, anchors(unit["text"])):
            match, sim = "reword", cos
        elif fallback:
            match, sim = fallback, max(cos, 0.0)
        else:
            continue
        rating = unit["rating"] if unit["rating"] is not None else outlet_rating(unit["domain"])
        out.append(
            {
                "uid": u,
                "date": unit["date"],
                "article_id": unit["article_id"],
                "url": unit["url"],
                "domain": unit["domain"],
                "outlet_rating": rating,
                "match": match,
                "similarity": round(sim, 3),
                "text": unit["text"],
            }
        )
    return out


def _narrative_mates(store: DuckDBStore, uids: list[int]) -> set[int]:
    """Units in the same narratives as ``uids``."""
    if not uids:
        return set()
    rows = store.query(
        f"""SELECT m2.article_id * {MAX_IDX} + m2.claim_idx FROM narrative_members m1
            JOIN narrative_members m2 ON m1.narrative_id = m2.narrative_id
            WHERE m1.article_id * {MAX_IDX} + m1.claim_idx IN (SELECT unnest(?))""",
        [uids],
    )
    return {int(r[0]) for r in rows}


def _narratives_of(store: DuckDBStore, uids: list[int]) -> dict[int, int]:
    if not uids:
        return {}
    rows = store.query(
        f"""SELECT article_id * {MAX_IDX} + claim_idx, narrative_id FROM narrative_members
            WHERE article_id * {MAX_IDX} + claim_idx IN (SELECT unnest(?))""",
        [uids],
    )
    return {int(a): int(b) for a, b in rows}


def trace_article(store: DuckDBStore, article_id: int) -> list[dict[str, Any]]:
    """The narratives an article's claims belong to, each with its members earliest first.

    Raises:
        InputError: there is no article with this id.
    """
    if not store.query("SELECT 1 FROM articles WHERE id = ?", [article_id]):
        raise InputError(
            f"trace: there is no article {article_id} in {store.path}; see `newsift status`",
            code="not_found",
        )
    out = []
    ids = [
        r[0]
        for r in store.query(
            "SELECT DISTINCT narrative_id FROM narrative_members WHERE article_id = ? ORDER BY 1",
            [article_id],
        )
    ]
    for nid in ids:
        out.append({"narrative": narrative(store, nid), "members": members(store, nid)})
    return out


def narrative(store: DuckDBStore, nid: int) -> dict[str, Any]:
    from .store import NARRATIVE_COLUMNS

    row = store.query(f"SELECT {', '.join(NARRATIVE_COLUMNS)} FROM narratives WHERE id = ?", [nid])
    return dict(zip(NARRATIVE_COLUMNS, row[0], strict=True)) if row else {}


def members(store: DuckDBStore, nid: int) -> list[dict[str, Any]]:
    """A narrative's members with their URLs, earliest first."""
    rows = store.query(
        """SELECT m.date, m.article_id, a.url, m.domain, m.outlet_rating, m.match, m.similarity,
                  m.text FROM narrative_members m JOIN articles a ON a.id = m.article_id
           WHERE m.narrative_id = ? ORDER BY m.date NULLS LAST, m.article_id""",
        [nid],
    )
    keys = ("date", "article_id", "url", "domain", "outlet_rating", "match", "similarity", "text")
    return [dict(zip(keys, r, strict=True)) for r in rows]
