"""``newsift run``: extract and analyse every stored article not analysed yet.

Worker processes (``--workers``) extract and analyse batches of articles and turn them into table
rows; the main process is the only writer and commits each batch's rows in one transaction. Work
is claimed by article id: the pending ids are those with no ``analyses`` row, so a run killed at
any moment (``kill -9`` included) loses at most the uncommitted batches, which the next run does.
``--limit N`` reads N pending ids (a top-N query) and loads and analyses only their batches, so it
costs O(N) whatever the size of the corpus. On SIGINT/SIGTERM the workers are ended and
:class:`~newsift.corpus.workers.Interrupted` is raised (see :mod:`newsift.corpus.workers`).
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import signal
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from ..article import Article, Problem
from ..errors import NewsiftError
from .store import CorpusStore, chunks
from .workers import Interrupted, Terminated, run_pool

if TYPE_CHECKING:
    from ..pipeline import StageSpec


@dataclass
class RunSummary:
    """Counts of one run: articles analysed, failed (no article could be extracted), problems."""

    analysed: int = 0
    failed: int = 0
    problems: Counter = field(default_factory=Counter)
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "analysed": self.analysed,
            "failed": self.failed,
            "problems": dict(self.problems),
            "seconds": round(self.seconds, 2),
        }


def split_sentences(text: str, language: str | None = None) -> list[tuple[int, int]]:
    """Sentence offsets for articles no sentence stage has split (an extraction-only run): the
    splitter ``nlp.v1`` uses for every language it does not parse (:mod:`newsift.sentences`,
    sentencex with each language's abbreviations), so there is one segmentation without spaCy."""
    from ..sentences import split_sentences as split

    return [(s, e) for s, e in split(text, language or "en") if text[s:e].strip()]


class Analyzer:
    """Turns stored article rows into result rows (runs in each worker process).

    Args:
        stages: stage names or {"name": ..., **settings} dicts; an empty list runs extraction only.
        vectors: ``minilm`` to store each comparable claim's MiniLM vector (``claim_vectors``)
            for ``newsift narratives``; ``""`` for none.
    """

    def __init__(self, stages: Sequence[StageSpec], vectors: str = "") -> None:
        from .. import api
        from ..pipeline import spec_label

        self.vectors = vectors
        self._encoder: Any = None
        self.stages = list(stages)
        if self.stages:
            api.get_pipeline(self.stages).setup()  # a bad stage fails here, before any article
        self.pipeline_name = ",".join(spec_label(s) for s in self.stages) or "extract-only"

    def __call__(self, rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
        from .. import api

        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        results, articles = [], []
        analysed: dict[Any, Article] = {}
        for row in rows:
            try:
                articles.append((row, self.extract(row)))
            except NewsiftError as err:
                results.append(self.failed(row, Problem("extract", err.code, err.message), now))
            except Exception as err:  # noqa: BLE001 - one bad page never stops a run
                results.append(
                    self.failed(
                        row,
                        Problem("extract", "extract_crashed", f"{type(err).__name__}: {err}"),
                        now,
                    )
                )
        if articles:
            done = list(api.analyze_many((a for _, a in articles), self.stages))
            for (row, _), article in zip(articles, done, strict=True):
                results.append(self.result(row, article, now))
                analysed[row["id"]] = article
        if self.vectors:
            self.add_vectors(results, analysed)
            self.add_trace_vectors(results, analysed)
        return results

    def add_trace_vectors(
        self, results: list[dict[str, Any]], analysed: dict[Any, Article]
    ) -> None:
        """Store what ``newsift trace`` searches: for each trace unit (a claim of five words or
        more that is not junk, :func:`newsift.corpus.trace_index.trace_unit`), its e5 vector
        and its MiniLM vector (unless the narratives pass stored it already). Each article's
        units are encoded with that article alone, sharing the vectors its stages computed."""
        from ..embed import article_vectors, article_vectors_multilingual
        from .similarity import to_int8
        from .trace_index import trace_unit

        for r in results:
            article = analysed.get(r["analysis"]["article_id"])
            claims = [c for c in r.get("claims", ()) if trace_unit(c["text"])]
            if article is None or not claims:
                continue
            have = {(v["idx"], v["encoder"]) for v in r.get("claim_vectors", ())}
            texts = [c["text"] for c in claims]
            for name, encode in (("e5", article_vectors_multilingual), ("minilm", article_vectors)):
                todo = [i for i, c in enumerate(claims) if (c["idx"], name) not in have]
                if not todo:
                    continue
                vecs = encode(article, [texts[i] for i in todo])
                for i, blob in zip(todo, to_int8(np.asarray(vecs, np.float32)), strict=True):
                    r.setdefault("claim_vectors", []).append(
                        {
                            "article_id": claims[i]["article_id"],
                            "idx": claims[i]["idx"],
                            "encoder": name,
                            "vec": blob,
                        }
                    )

    def add_vectors(
        self, results: list[dict[str, Any]], analysed: dict[Any, Article] | None = None
    ) -> None:
        """Encode the claims that narratives compare into ``claim_vectors`` rows.

        With MiniLM, each article's claims are encoded with that article alone, reusing the
        vectors its stages already computed (``newsift.embed.article_vectors``); other encoders
        take the batch at once.
        """
        from .narratives import MIN_WORDS, eligible
        from .similarity import MiniLMEncoder, get_encoder, to_int8

        todo = [
            (r, c)
            for r in results
            for c in r.get("claims", ())
            if eligible(c["text"] or "", MIN_WORDS)
        ]
        if not todo:
            return
        if self._encoder is None:
            self._encoder = get_encoder(self.vectors)
        if isinstance(self._encoder, MiniLMEncoder) and analysed is not None:
            from ..embed import article_vectors

            vecs = np.concatenate(
                [
                    article_vectors(analysed[aid], [c["text"] for _, c in group])
                    for aid, group in itertools.groupby(todo, key=lambda rc: rc[1]["article_id"])
                ]
            )
        else:
            vecs = self._encoder.encode([c["text"] for _, c in todo])
        blobs = to_int8(vecs)
        for (r, c), blob in zip(todo, blobs, strict=True):
            r.setdefault("claim_vectors", []).append(
                {
                    "article_id": c["article_id"],
                    "idx": c["idx"],
                    "encoder": self.vectors,
                    "vec": blob,
                }
            )

    @staticmethod
    def extract(row: dict[str, Any]) -> Article:
        from .. import api

        name = f"{row['source_file']} {row['source_pos']}"
        article = api.load_record(
            row["raw"], name=name, html=row["format"] == "html", url=row["url"]
        )
        article.id = str(row["id"])
        if row.get("title") and not article.title:
            article.title = row["title"]
        if row.get("author") and not article.author:
            article.author = row["author"]
        if row.get("date"):
            article.date = row["date"].isoformat()
        if row.get("outlet"):
            article.outlet.setdefault("name", row["outlet"])
        return article

    def failed(self, row: dict[str, Any], problem: Problem, now: dt.datetime) -> dict[str, Any]:
        analysis = {
            "article_id": row["id"],
            "status": "failed",
            "pipeline": self.pipeline_name,
            "analyzed_at": now,
            "date": row.get("date"),
            "domain": row.get("domain"),
            "n_problems": 1,
        }
        return {"analysis": analysis, "problems": [problem_row(row, problem, now)]}

    def result(self, row: dict[str, Any], article: Article, now: dt.datetime) -> dict[str, Any]:
        aid = row["id"]
        outlet = article.outlet or {}
        date = row.get("date") or _date_of(article.date)
        analysis = {
            "article_id": aid,
            "status": "ok",
            "pipeline": self.pipeline_name,
            "analyzed_at": now,
            "text": article.text,
            "language": article.language,
            "date": date,
            "domain": outlet.get("domain") or row.get("domain"),
            "outlet_rating": outlet.get("rating"),
            "outlet_label": outlet.get("rating_label"),
            "n_problems": len(article.problems),
            "json": json.dumps(article.to_dict(), ensure_ascii=False),
        }
        return {
            "analysis": analysis,
            "claims": claim_rows(aid, article),
            "attributions": attribution_rows(aid, article),
            "spans": span_rows(aid, article),
            "problems": [problem_row(row, p, now) for p in article.problems],
        }


def _date_of(value: str | None) -> dt.datetime | None:
    from .ingest import parse_date

    try:
        return parse_date(value)
    except (ValueError, OverflowError, OSError):
        return None


def problem_row(row: dict[str, Any], p: Problem, now: dt.datetime) -> dict[str, Any]:
    return {
        "article_id": row["id"],
        "file": row["source_file"],
        "position": row["source_pos"],
        "stage": p.stage,
        "code": p.code,
        "message": p.message,
        "recorded_at": now,
    }


def claim_rows(aid: int, article: Article) -> list[dict[str, Any]]:
    """Claims from the ``claims`` layer (``kind`` ``title`` for the headline's, ``claim`` for the
    body's); else the sentences; else punctuation-split sentences."""
    claims = article.layers.get("claims")
    if isinstance(claims, list) and claims:
        return [
            {
                "article_id": aid,
                "idx": i,
                "start": c.get("start"),
                "end": c.get("end"),
                "text": c.get("text") or article.text[c["start"] : c["end"]],
                "score": c.get("score"),
                "class": c.get("class"),
                # the headline's claim: offsets into the title, not the text
                "kind": "title" if c.get("part") == "title" else "claim",
            }
            for i, c in enumerate(claims)
        ]
    if article.sentences:
        spans, kind = [(s.start, s.end) for s in article.sentences], "sentence"
    else:
        spans, kind = split_sentences(article.text, article.language), "sentence_split"
    return [
        {
            "article_id": aid,
            "idx": i,
            "start": s,
            "end": e,
            "text": article.text[s:e].strip(),
            "score": None,
            "class": None,
            "kind": kind,
        }
        for i, (s, e) in enumerate(spans)
    ]


def attribution_rows(aid: int, article: Article) -> list[dict[str, Any]]:
    rows = []
    for i, a in enumerate(article.layers.get("attributions") or []):
        source, cue, content = a.get("source") or {}, a.get("cue") or {}, a.get("content") or {}
        rows.append(
            {
                "article_id": aid,
                "idx": i,
                "kind": a.get("kind"),
                "source_text": source.get("text"),
                "cue_text": cue.get("text"),
                "content_text": content.get("text"),
                "content_start": content.get("start"),
                "content_end": content.get("end"),
            }
        )
    return rows


def span_rows(aid: int, article: Article) -> list[dict[str, Any]]:
    """Every span layer but sentences and tokens (persuasion, entities, ...)."""
    return [
        {
            "article_id": aid,
            "layer": layer,
            "start": s.start,
            "end": s.end,
            "label": s.label,
            "score": s.score,
            "stage": s.stage,
        }
        for layer, spans in article.spans.items()
        if layer not in ("sentences", "tokens")
        for s in spans
    ]


def run(
    store: CorpusStore,
    *,
    stages: Sequence[StageSpec],
    workers: int = 1,
    batch: int = 16,
    limit: int | None = None,
    vectors: str = "",
    on_start: Callable[[int], None] | None = None,
    on_batch: Callable[[int], None] | None = None,
) -> RunSummary:
    """Analyse the pending articles of ``store``.

    Args:
        store: the corpus store (this process is its only writer).
        stages: stage names to run; empty for extraction only.
        workers: worker processes; 1 analyses in this process.
        batch: articles per task and per committed transaction.
        limit: analyse at most this many articles.
        vectors: ``minilm`` to store claim vectors for narratives (see :class:`Analyzer`).
        on_start: called with the number of pending articles.
        on_batch: called with the size of each committed batch.
    """
    import time

    t0 = time.perf_counter()
    summary = RunSummary()
    ids = store.pending_ids(limit)
    if on_start:
        on_start(len(ids))

    def commit(results: list[dict[str, Any]]) -> None:
        store.save_results(results)
        for r in results:
            if r["analysis"]["status"] == "ok":
                summary.analysed += 1
            else:
                summary.failed += 1
            summary.problems.update(p["code"] for p in r.get("problems", ()))
        if on_batch:
            on_batch(len(results))

    batches = chunks(ids, batch)
    try:
        if workers <= 1:
            analyzer = Analyzer(stages, vectors)
            for ids_batch in batches:
                commit(analyzer(store.load_articles(ids_batch)))
        else:
            run_pool(store.load_articles, stages, workers, batches, commit, vectors)
    except KeyboardInterrupt as err:
        summary.seconds = time.perf_counter() - t0
        raise Interrupted(signal.SIGINT, summary) from err
    except Terminated as err:
        summary.seconds = time.perf_counter() - t0
        raise Interrupted(err.signum, summary) from err
    summary.seconds = time.perf_counter() - t0
    return summary
