"""``newsift trace``: where a claim appeared, earliest first, in any language, and how close.

Trace is retrieval over :class:`~newsift.corpus.trace_index.TraceIndex` (every analysed claim
unit, checked up to date before each search). The query is encoded once with each encoder; its
candidates are the union of the nearest units in the MiniLM and e5 HNSW indexes and the best BM25
units over word stems and over word 3-grams (so a verbatim or near copy is a candidate whatever
the vectors say). Each candidate is scored from its stored vectors (nothing is re-encoded):

- ``copy``: at least 60% of the query's word 3-grams occur in the unit (or a 3-gram Jaccard of
  0.5 or more);
- ``reword``: same language, and the cosine, standardised against what 2,000 unrelated units of
  the corpus score for this query (a z-score), reaches the threshold: MiniLM for English (better
  on English rewordings, see docs/corpus.md), e5 for other languages;
- ``translation``: another language than the query's, and the e5 z-score reaches its threshold.

The z thresholds grow with the number N of units searched, by ``scale * (sqrt(2 ln N) -
sqrt(2 ln 250))`` (the expected largest of N unrelated scores), and the cosine itself must also
reach a floor per label (:data:`THRESHOLDS`): precision holds in a large corpus.

One match per article (its best unit); matches are listed earliest first, undated ones last, and
the earliest date is the origin candidate (``origin``), with ties shown (``tied``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..errors import InputError
from .narrative_rows import MAX_IDX, outlet_rating
from .narratives import NarrativeConfig
from .similarity import jaccard, shingles
from .store import DuckDBStore
from .trace_index import TraceIndex, get_trace_encoder, shingle_terms, word_terms

MAX_QUERY_CHARS = 2_000
# z-score thresholds (chosen on the tune part of tests/fixtures/narratives-gold.jsonl with
# `newsift eval trace --sweep`; see docs/corpus.md).
THRESHOLDS = {
    "minilm": 3.0,
    "e5_same": 2.5,
    "e5_cross": 1.75,
    "scale": 2.0,
    # Cosine floors (about the lowest true matches of the tune part; e5_cross chosen on the tune
    # part inside filler): a z-score is relative to the corpus, and in a large corpus of
    # unrelated text the background is far lower than in a small topical one, so z alone would
    # take sentences that merely share a topic word.
    "minilm_cos": 0.55,
    "e5_same_cos": 0.88,
    "e5_cross_cos": 0.84,
}
Z_KEYS = ("minilm", "e5_same", "e5_cross")
# The z thresholds hold for a corpus of about REFERENCE_UNITS units (the gold corpus). The
# largest of N unrelated scores grows like sqrt(2 ln N) z-units, so the thresholds rise by
# ``scale`` * (sqrt(2 ln N) - sqrt(2 ln REFERENCE_UNITS)) for a corpus of N > REFERENCE_UNITS units
# (``scale`` 2: the largest that keeps the tune part's recall inside 5,000 and 10,000 synthetic
# filler articles, bench/tune_trace_scale.py; the Gaussian value 1 is too low for real
# background tails; see docs/corpus.md).
REFERENCE_UNITS = 250
COPY_CONTAINMENT = 0.6
# What an unrelated unit scores (mean, std of cosines) when the corpus is too small to say.
DEFAULT_BACKGROUND = {"minilm": (0.08, 0.08), "e5": (0.78, 0.025)}
MIN_BACKGROUND = 100
# Content-word stems an English rewording shares with an English query at least: a z-score
# alone lets through the far tail of a large corpus (bench/bench_trace.py).
MIN_SHARED_TERMS = 1


@dataclass
class TraceResult:
    """The matches of one query and what the search covered."""

    matches: list[dict[str, Any]]
    searched: int = 0
    not_searched: int = 0
    language: str | None = None
    notes: list[str] = field(default_factory=list)


def check_query(text: str | None) -> str:
    """The query with white space collapsed, or InputError saying what a claim should be."""
    if not text or not text.strip():
        raise InputError(
            "trace: the claim text is empty; give a sentence to look for", code="empty"
        )
    text = " ".join(text.split())
    if len(text) > MAX_QUERY_CHARS:
        raise InputError(
            f"trace: the claim is {len(text):,} characters long; trace looks for one claim "
            f"(at most {MAX_QUERY_CHARS:,} characters): give its sentence, or trace a stored "
            "article's claims with --article ID",
            code="too_long",
        )
    if len(re.findall(r"\w+", text)) < 2:
        raise InputError(
            f"trace: {text!r} is one word, not a claim; give the claim as a sentence, e.g. "
            "'the US is protecting ISIS fighters'",
            code="too_short",
        )
    return text


def query_language(text: str) -> str | None:
    """The query's language, None when it cannot be told (then every unit is compared across
    languages, with e5)."""
    from ..lang import guess_language

    return guess_language(text)


def scaled_thresholds(thresholds: Mapping[str, float], units: int) -> dict[str, float]:
    """The z-score thresholds for a corpus of ``units`` units: each rises by ``scale`` times how
    much further the expected largest of ``units`` unrelated (Gaussian) scores lies than that of
    :data:`REFERENCE_UNITS` scores, ``sqrt(2 ln N) - sqrt(2 ln N_ref)``; unchanged for a corpus
    of :data:`REFERENCE_UNITS` units or fewer."""
    lift = float(thresholds.get("scale", 0.0)) * max(
        0.0, np.sqrt(2 * np.log(max(units, 1))) - np.sqrt(2 * np.log(REFERENCE_UNITS))
    )
    return {k: (v + lift if k in Z_KEYS else v) for k, v in thresholds.items()}


def background_of(
    units: int, sample: Mapping[str, np.ndarray] | None, q: Mapping[str, np.ndarray]
) -> dict[str, tuple[float, float]]:
    """(mean, std) of the cosines of the query to the background ``sample`` of a corpus of
    ``units`` units (:meth:`TraceIndex.background`), per encoder; fixed defaults for a corpus of
    fewer than :data:`MIN_BACKGROUND` units."""
    out = {}
    for encoder in ("e5", "minilm"):
        if units >= MIN_BACKGROUND and sample is not None:
            bg = sample[encoder] @ q[encoder]
            out[encoder] = (float(bg.mean()), float(bg.std()))
        else:
            out[encoder] = DEFAULT_BACKGROUND[encoder]
    return out


@dataclass
class Candidates:
    """The candidate units of a query, whatever found them: unit ids, languages ("" unknown),
    L2-normalised vectors per encoder (row-aligned), and each unit's row (article_id, text, date,
    domain, rating, url) by unit id (a unit without a row is skipped)."""

    uids: list[int]
    langs: list[str]
    vectors: dict[str, np.ndarray]
    info: dict[int, dict[str, Any]]


def trace_search(
    store: DuckDBStore,
    text: str,
    *,
    limit: int = 50,
    index: TraceIndex | None = None,
    thresholds: dict[str, float] | None = None,
    progress: Any = None,
    encoders: Mapping[str, Any] | None = None,
) -> TraceResult:
    """Appearances of the claim ``text`` in the corpus (see the module docstring).

    Args:
        store: the corpus.
        text: the claim, in any language.
        limit: at most this many matches (articles).
        index: an index already loaded (else :meth:`TraceIndex.ensure`).
        thresholds: z-score thresholds (and ``scale``) overriding :data:`THRESHOLDS`
            (evaluation sweeps); they rise with the corpus size (:func:`scaled_thresholds`).
        progress: called with a line when the index has to be (re)built.
        encoders: ``{"minilm": ..., "e5": ...}`` objects with ``encode(texts)`` (tests pass
            fakes); default the models.

    Raises:
        InputError: the query is empty, one word, or longer than a claim.
    """
    text = check_query(text)
    result = TraceResult([])
    if index is None:
        index, built = TraceIndex.ensure(store, progress=progress, encoders=encoders)
        if built.rebuilt:
            result.notes.append(
                f"trace index built: {built.units:,} units in {built.seconds:.1f} s"
                + (f" ({built.encoded:,} encoded now)" if built.encoded else "")
            )
    result.searched = len(index)
    result.not_searched = int(index.meta.get("not_searched", 0))
    if result.not_searched:
        result.notes.append(
            f"{result.not_searched:,} claim units have no vectors and were not searched; "
            "run `newsift trace` again to encode the next batch"
        )
    if len(index) == 0:
        result.notes.append("no analysed claims to search; run `newsift run` first")
        return result
    lang = result.language = query_language(text)
    th = scaled_thresholds({**THRESHOLDS, **(thresholds or {})}, len(index))
    q = {e: get_trace_encoder(e, encoders).encode([text])[0] for e in ("e5", "minilm")}
    k = max(100, 2 * limit)
    cands = np.unique(
        np.concatenate(
            [
                index.ann("e5", q["e5"], k),
                index.ann("minilm", q["minilm"], k) if lang == "en" else np.zeros(0, np.int64),
                index.bm25("words", word_terms(text), k),
                index.bm25("shingles", shingle_terms(text), k),
            ]
        )
    )
    uids = [int(u) for u in index.uids[cands]]
    cand = Candidates(
        uids,
        [str(x) for x in index.langs[cands]],
        {e: index.unit_vectors(e, cands) for e in ("e5", "minilm")},
        _unit_rows(store, uids),
    )
    sample = (
        {e: index.background(e) for e in ("e5", "minilm")} if len(index) >= MIN_BACKGROUND else None
    )
    scored = score_candidates(text, lang, q, cand, background_of(len(index), sample, q), th)
    # The ``limit`` best (copies first, then by score), shown earliest first.
    scored.sort(key=lambda m: m["_rank"], reverse=True)
    result.matches = order_matches(scored[:limit])
    result.notes.extend(date_notes(result.matches))
    return result


def date_notes(matches: list[dict[str, Any]]) -> list[str]:
    """What the dates cannot say: no dates at all, undated matches, a tie for the earliest."""
    if not matches:
        return []
    undated = sum(1 for m in matches if m["date"] is None)
    if undated == len(matches):
        return ["no match has a date: they are listed by article id and no origin can be named"]
    notes = []
    if undated:
        notes.append(f"{undated} matches have no date and are listed last")
    first = sum(1 for m in matches if m["origin"])
    if first > 1:
        notes.append(f"{first} matches share the earliest date: the origin is one of them")
    return notes


def score_candidates(
    text: str,
    lang: str | None,
    q: Mapping[str, np.ndarray],
    cand: Candidates,
    background: Mapping[str, tuple[float, float]],
    th: Mapping[str, float],
) -> list[dict[str, Any]]:
    """The candidates that match the query ``text`` (language ``lang``, vectors ``q``), one per
    article (its best unit), unordered; ``background``: :func:`background_of`. The DuckDB and
    the Spark engines both score with this function."""
    if not len(cand.uids):
        return []
    cos = {e: cand.vectors[e] @ q[e] for e in ("e5", "minilm")}
    z = {e: (cos[e] - background[e][0]) / max(background[e][1], 1e-3) for e in ("e5", "minilm")}
    info = cand.info
    q_sh = shingles(text)
    q_terms = set(word_terms(text))
    best: dict[int, dict[str, Any]] = {}
    for i, uid in enumerate(cand.uids):
        unit = info.get(uid)
        if unit is None:
            continue
        u_lang = cand.langs[i] or None
        u_sh = shingles(unit["text"])
        contain = len(q_sh & u_sh) / len(q_sh) if len(q_sh) >= 3 else 0.0
        same = lang is not None and (u_lang is None or u_lang == lang)
        if contain >= COPY_CONTAINMENT or jaccard(q_sh, u_sh) >= 0.5:
            match, score, sim = "copy", contain, max(contain, jaccard(q_sh, u_sh))
        elif (
            lang == "en"
            and same
            and len(q_terms & set(word_terms(unit["text"]))) < MIN_SHARED_TERMS
        ):
            continue  # an English rewording keeps some of the claim's words
        elif same and lang == "en" and _passes(z["minilm"][i], cos["minilm"][i], "minilm", th):
            match, score, sim = "reword", z["minilm"][i], cos["minilm"][i]
        elif same and lang != "en" and _passes(z["e5"][i], cos["e5"][i], "e5_same", th):
            match, score, sim = "reword", z["e5"][i], cos["e5"][i]
        elif not same and _passes(z["e5"][i], cos["e5"][i], "e5_cross", th):
            match, score, sim = "translation", z["e5"][i], cos["e5"][i]
        else:
            continue
        rank = (match == "copy", float(score))
        old = best.get(unit["article_id"])
        if old is not None and old["_rank"] >= rank:
            continue
        rating = unit["rating"] if unit["rating"] is not None else outlet_rating(unit["domain"])
        best[unit["article_id"]] = {
            "_rank": rank,
            "date": unit["date"],
            "article_id": unit["article_id"],
            "url": unit["url"],
            "domain": unit["domain"],
            "outlet_rating": rating,
            "language": u_lang,
            "match": match,
            "score": round(float(score), 3),
            "similarity": round(float(sim), 3),
            "text": unit["text"],
            "uid": uid,
        }
    return list(best.values())


def _passes(z: float, cos: float, key: str, th: Mapping[str, float]) -> bool:
    """A candidate reaches both the z-score threshold ``key`` and its cosine floor."""
    return bool(z >= th[key] and cos >= th.get(f"{key}_cos", -1.0))


def order_matches(matches: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Earliest first (undated last); the earliest date is the origin candidate, ties marked."""
    for m in matches:
        m.pop("_rank", None)
    matches.sort(key=lambda m: (m["date"] is None, m["date"] or 0, -m["score"], m["article_id"]))
    dates = [m["date"] for m in matches if m["date"] is not None]
    first = dates[0] if dates else None
    for m in matches:
        m["origin"] = first is not None and m["date"] == first
        m["tied"] = m["date"] is not None and dates.count(m["date"]) > 1
        m["narrative_id"] = None
    return matches


def _unit_rows(store: DuckDBStore, uids: list[int]) -> dict[int, dict[str, Any]]:
    """Text, date, domain, rating and URL of each unit id."""
    import pyarrow as pa

    ids = pa.table({"uid": pa.array(uids, pa.int64())})  # noqa: F841 - read by DuckDB
    rows = store.con.execute(
        f"""SELECT ids.uid, c.article_id, c.text, n.date, n.domain, n.outlet_rating, a.url
            FROM ids JOIN claims c ON c.article_id = ids.uid // {MAX_IDX}
                 AND c.idx = ids.uid % {MAX_IDX}
            JOIN analyses n ON n.article_id = c.article_id JOIN articles a ON a.id = c.article_id"""
    ).fetchall()
    keys = ("article_id", "text", "date", "domain", "rating", "url")
    return {r[0]: dict(zip(keys, r[1:], strict=True)) for r in rows}


def trace_text(
    store: DuckDBStore,
    text: str,
    *,
    limit: int = 50,
    config: NarrativeConfig | None = None,
    encoders: Mapping[str, Any] | None = None,
) -> list[dict[str, Any]]:
    """Appearances of the claim ``text`` in the corpus, earliest first (:func:`trace_search`).

    Returns:
        dicts with date, article_id, url, domain, outlet_rating, language, match
        (copy|reword|translation), score, similarity, text, origin, tied and narrative_id (the
        narrative of the matched unit, None when it is in none or narratives were not built).
    """
    del config  # grouping settings do not change what trace finds
    matches = trace_search(store, text, limit=limit, encoders=encoders).matches
    member_of = narratives_of(store, [m["uid"] for m in matches])
    for m in matches:
        m["narrative_id"] = member_of.get(m.pop("uid"))
    return matches


def narratives_of(store: DuckDBStore, uids: list[int]) -> dict[int, int]:
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
