"""Ingest corpus files into a store: dedupe by URL and content hash, record every problem.

Re-ingesting the same input changes nothing: a record whose file and position are already stored
is skipped, and an ingest problem already recorded for a file, position and code is not recorded
again. Articles are committed in batches, each in one transaction; the open batch is committed
even when the ingest is interrupted (Ctrl-C), so a rerun goes on where it stopped.

No record can stop an ingest: whatever goes wrong while one is read, checked, hashed or stored
becomes a ``problems`` row naming its file and position, and the next record is read.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from ..errors import NewsiftError
from ..extract.urls import domain_of
from .readers import Bad, FieldMap, Record, Skipped, read_path
from .store import CorpusStore

BATCH = 2000
_WS = re.compile(r"\s+")
_TRACKING = re.compile(r"^(utm_[a-z]+|fbclid|gclid|mc_[a-z]+|ref|cmpid)=", re.I)


@dataclass
class IngestSummary:
    """Counts of one ingest: ``added``, ``unchanged`` (already stored), ``skipped`` (not
    articles, e.g. WARC requests), and problem counts by code."""

    added: int = 0
    unchanged: int = 0
    skipped: int = 0
    records: int = 0
    problems: Counter = field(default_factory=Counter)

    def to_dict(self) -> dict[str, Any]:
        return {
            "records": self.records,
            "added": self.added,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
            "problems": dict(self.problems),
        }


def normalize_url(url: str | None) -> str | None:
    """A URL key for deduplication: lower-case scheme and host, no fragment, no tracking
    parameters, no trailing slash, ``www.`` dropped, http and https alike."""
    if not url or not url.strip():
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:  # e.g. "http://[::1": kept as given, so that it still deduplicates
        return url.strip().lower()
    if not parts.netloc:
        return url.strip().lower()
    host = parts.netloc.lower().removeprefix("www.")
    query = "&".join(sorted(q for q in parts.query.split("&") if q and not _TRACKING.match(q)))
    path = parts.path.rstrip("/") or "/"
    return urlunsplit(("http", host, path, query, ""))


def content_hash(content: str) -> str:
    """Hash of the content with case and white space normalised."""
    return hashlib.sha1(_WS.sub(" ", content).strip().lower().encode("utf-8")).hexdigest()[:20]


_FORMATS = (
    "%Y-%m-%d",
    "%Y/%m/%d",
    "%d.%m.%Y",
    "%B %d, %Y",
    "%b %d, %Y",
    "%d %B %Y",
    "%d %b %Y",
    "%Y%m%d",
    "%m/%d/%Y",
    "%d/%m/%Y",
)


def parse_date(value: str | None) -> dt.datetime | None:
    """Parse a date in ISO 8601, RFC 2822, Unix seconds or a common written form; naive UTC.

    Returns None for an empty value; raises ValueError for one that cannot be read.
    """
    if value is None or not str(value).strip():
        return None
    s = str(value).strip()
    if re.fullmatch(r"\d{9,11}(\.\d+)?", s):
        return dt.datetime.fromtimestamp(float(s), dt.UTC).replace(tzinfo=None)
    try:
        d = dt.datetime.fromisoformat(s.replace("Z", "+00:00"))
    except ValueError:
        d = _parse_other(s)
    if d.tzinfo is not None:
        d = d.astimezone(dt.UTC).replace(tzinfo=None)
    if not 1900 <= d.year <= 2100:
        raise ValueError(f"year {d.year} is out of range")
    return d


def _parse_other(s: str) -> dt.datetime:
    from email.utils import parsedate_to_datetime

    try:
        return parsedate_to_datetime(s)
    except (TypeError, ValueError, IndexError):
        pass
    for fmt in _FORMATS:
        try:
            return dt.datetime.strptime(s, fmt)
        except ValueError:
            continue
    from dateutil import parser as du

    try:
        return du.parse(s, fuzzy=False)
    except (ValueError, OverflowError, TypeError) as err:
        from ..extract.dates import parse_written_date

        other = parse_written_date(s)  # "3 декабря 2026 г.", "3. Dezember 2026" (issue 24)
        if other:
            return dt.datetime.fromisoformat(other)
        raise ValueError(f"unreadable date {s[:40]!r}") from err


class Ingester:
    """Stores records from readers, deduplicating against what the store already holds."""

    def __init__(self, store: CorpusStore, *, batch: int = BATCH) -> None:
        self.store = store
        self.batch = batch
        self.state = store.ingest_state()
        self.summary = IngestSummary()
        self._articles: list[dict[str, Any]] = []
        self._problems: list[dict[str, Any]] = []
        self._now = dt.datetime.now(dt.UTC).replace(tzinfo=None)

    def problem(
        self, file: str, position: str, code: str, message: str, article_id: int | None = None
    ) -> None:
        self.summary.problems[code] += 1
        key = (file, position, code)
        if key in self.state["problems"]:
            return
        self.state["problems"].add(key)
        self._problems.append(
            {
                "article_id": article_id,
                "file": file,
                "position": position,
                "stage": "ingest",
                "code": code,
                "message": message,
                "recorded_at": self._now,
            }
        )

    def add(self, item: Record | Bad | Skipped) -> None:
        if isinstance(item, Skipped):
            self.summary.skipped += 1
            return
        self.summary.records += 1
        if isinstance(item, Bad):
            self.problem(item.file, item.position, item.code, item.message)
        elif (item.file, item.position) in self.state["positions"]:
            self.summary.unchanged += 1
        else:
            try:
                self._add_record(item)
            except Exception as err:  # noqa: BLE001 - one record never stops an ingest
                self.problem(
                    item.file,
                    item.position,
                    "unreadable_record",
                    f"{item.file} {item.position}: the record could not be stored "
                    f"({type(err).__name__}: {str(err)[:200]}); skipped",
                )
        if len(self._articles) + len(self._problems) >= self.batch:
            self.flush()

    def _add_record(self, rec: Record) -> None:
        # Everything that can fail on odd input is computed before the ingest state changes.
        where = f"{rec.file} {rec.position}"
        url_key = normalize_url(rec.url)
        chash = content_hash(rec.content)
        date, date_problem = read_date(rec)
        dup = self.state["urls"].get(url_key) if url_key else None
        if dup is not None:
            self.problem(
                rec.file,
                rec.position,
                "duplicate_url",
                f"{where}: the URL {rec.url} is already stored as article {dup}; skipped",
            )
            return
        dup = self.state["hashes"].get(chash)
        if dup is not None:
            self.problem(
                rec.file,
                rec.position,
                "duplicate_content",
                f"{where}: the same text is already stored as article {dup}; skipped",
            )
            return
        aid = self.state["next_id"]
        self.state["next_id"] += 1
        for code, message in rec.warnings:
            self.problem(rec.file, rec.position, code, f"{where}: {message}", aid)
        if rec.ext_id and rec.ext_id in self.state["ext_ids"]:
            other = self.state["ext_ids"][rec.ext_id]
            self.problem(
                rec.file,
                rec.position,
                "duplicate_id",
                f"{where}: id {rec.ext_id!r} is also article {other}'s, with other text; stored as article {aid}",
                aid,
            )
        if date_problem:
            self.problem(rec.file, rec.position, "bad_date", f"{where}: {date_problem}", aid)
        self._register(rec, aid, url_key, chash, date)

    def _register(
        self, rec: Record, aid: int, url_key: str | None, chash: str, date: dt.datetime | None
    ) -> None:
        if url_key:
            self.state["urls"][url_key] = aid
        self.state["hashes"][chash] = aid
        if rec.ext_id:
            self.state["ext_ids"].setdefault(rec.ext_id, aid)
        self.state["positions"].add((rec.file, rec.position))
        self._articles.append(article_row(rec, aid, date, self._now, url_key=url_key, chash=chash))
        self.summary.added += 1

    def flush(self) -> None:
        """Commit the open batch. Should the store refuse it (a value it cannot hold), each
        article is stored alone and one that is refused again becomes a problem."""
        articles, problems = self._articles, self._problems
        self._articles, self._problems = [], []
        if not (articles or problems):
            return
        try:
            self.store.add_batch(articles, problems)
        except NewsiftError:
            raise
        except Exception:  # noqa: BLE001 - find the one row the store refuses, keep the others
            self._flush_one_by_one(articles, problems)

    def _flush_one_by_one(
        self, articles: list[dict[str, Any]], problems: list[dict[str, Any]]
    ) -> None:
        refused: list[dict[str, Any]] = []
        refused_ids: set[int] = set()
        for row in articles:
            try:
                self.store.add_batch([row], [])
            except NewsiftError:
                raise
            except Exception as err:  # noqa: BLE001 - recorded as the record's problem
                refused_ids.add(row["id"])
                self.summary.added -= 1
                self.summary.problems["unstorable_record"] += 1
                refused.append(
                    {
                        "article_id": None,
                        "file": row["source_file"],
                        "position": row["source_pos"],
                        "stage": "ingest",
                        "code": "unstorable_record",
                        "message": f"{row['source_file']} {row['source_pos']}: the store refused the record "
                        f"({type(err).__name__}: {str(err).splitlines()[0][:200]}); skipped",
                        "recorded_at": self._now,
                    }
                )
        kept = [p for p in problems if p["article_id"] not in refused_ids]
        self.store.add_batch([], kept + refused)


def read_date(rec: Record) -> tuple[dt.datetime | None, str | None]:
    """The record's date, and what was wrong with it when it could not be read."""
    if rec.date is not None and len(rec.date) > 200:
        return (
            None,
            f"the date field is {len(rec.date):,} characters long, not a date; stored without a date",
        )
    try:
        return parse_date(rec.date), None
    except Exception as err:  # noqa: BLE001 - dateutil raises more than ValueError on odd input
        return None, f"the date {rec.date!r} could not be read ({err}); stored without a date"


def article_row(
    rec: Record,
    aid: Any,
    date: dt.datetime | None,
    now: dt.datetime,
    *,
    url_key: str | None = None,
    chash: str | None = None,
) -> dict[str, Any]:
    """A row of the ``articles`` table (what :class:`~newsift.corpus.runner.Analyzer` reads)."""
    return {
        "id": aid,
        "ext_id": rec.ext_id,
        "url": rec.url,
        "url_key": url_key if url_key is not None else normalize_url(rec.url),
        "content_hash": chash or content_hash(rec.content),
        "title": rec.title,
        "author": rec.author,
        "date": date,
        "date_raw": rec.date,
        "domain": domain_of(rec.url) if rec.url else None,
        "outlet": rec.outlet,
        "format": "html" if rec.is_html else "text",
        "raw": rec.content,
        "source_file": rec.file,
        "source_pos": rec.position,
        "ingested_at": now,
    }


def ingest(
    store: CorpusStore,
    paths: Iterable[str | Path],
    *,
    fields: FieldMap | None = None,
    on_record: Callable[[], None] | None = None,
) -> IngestSummary:
    """Read ``paths`` (files or folders) into ``store``.

    Args:
        store: the corpus store.
        paths: corpus files or folders.
        fields: field names of JSONL/CSV records.
        on_record: called after each record (progress display).

    Returns:
        The counts: added, unchanged, skipped, and problems by code.
    """
    ing = Ingester(store)
    try:
        for path in paths:
            for item in read_path(_canonical(path), fields):
                ing.add(item)
                if on_record:
                    on_record()
    finally:
        ing.flush()  # the open batch is kept, on Ctrl-C too
    return ing.summary


def _canonical(path: str | Path) -> Path:
    """The absolute path, so that re-ingesting from another folder is still recognised."""
    p = Path(path)
    try:
        return p.resolve()
    except OSError:
        return p
