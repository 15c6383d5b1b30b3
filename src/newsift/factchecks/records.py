"""Reading fact-check collections: JSONL records and schema.org ClaimReview JSON-LD.

A fact-check record is a plain dict with the keys of :data:`FIELDS`::

    {"id", "claim", "title", "url", "rating", "date", "speaker"}

``claim`` is required; a missing ``id`` is made from the URL or the claim text. Files can be

- JSONL, one record per line (``{id, claim, title, url, rating, date, speaker}``; the CheckThat!
  layout ``{vclaim_id, vclaim, title, truth_label, ...}`` is read too), or
- schema.org ``ClaimReview`` JSON-LD, the markup fact-checkers publish: one object, a list, a
  ``@graph``, or one object per line.

Bad lines are never dropped silently: each becomes an :class:`ImportIssue` naming the file and line
(and the item, inside a JSON-LD document), and the good records around it are read. Whatever goes
wrong with one record (deep nesting, invalid Unicode, odd types) is an issue for that record only.

Input is bounded: a JSONL line over :data:`MAX_LINE_BYTES` is an issue, a whole JSON document over
:data:`MAX_DOCUMENT_BYTES` is refused, and each field is cut to :data:`MAX_CHARS` characters (a
claim to 2,000) at a word boundary, the record kept and counted in ``ReadResult.truncated``.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import DataError

FIELDS = ("id", "claim", "title", "url", "rating", "date", "speaker")

#: The most characters kept of each field; a longer value is cut at a word boundary (with "…").
#: A claim a fact-checker reviews is a sentence or two; a 10 MB "claim" would slow every search.
MAX_CHARS = {
    "id": 200,
    "claim": 2000,
    "title": 1000,
    "url": 2000,
    "rating": 200,
    "date": 100,
    "speaker": 500,
}
#: The longest JSONL line read (10 MB); a longer one is skipped with an issue.
MAX_LINE_BYTES = 10_000_000
#: The largest JSON (not JSONL) document read whole (200 MB); split a bigger one into JSONL.
MAX_DOCUMENT_BYTES = 200_000_000
_LONE_SURROGATES = re.compile("[\ud800-\udfff]+")

# Other spellings of our fields found in public collections (CheckThat! vclaims, exports).
_ALIASES = {
    "id": ("vclaim_id", "claim_id", "_id"),
    "claim": ("vclaim", "text", "claimReviewed", "claim_text"),
    "rating": ("truth_label", "verdict", "label", "textualRating"),
    "speaker": ("author", "claimant"),
    "url": ("link", "review_url"),
}


@dataclass(frozen=True)
class ImportIssue:
    """One problem found while reading a collection file: at a ``line`` of a JSONL file, or at
    the ``item``-th object of a JSON-LD document (``line`` 0: JSON has no per-object lines)."""

    file: str
    line: int
    message: str
    item: int = 0

    def __str__(self) -> str:
        where = f"line {self.line}" if self.line else f"ClaimReview item {self.item}"
        if self.line and self.item:
            where += f", ClaimReview item {self.item}"
        return f"{self.file} {where}: {self.message}"


@dataclass
class ReadResult:
    """Records read from one file, with what was skipped and why."""

    records: list[dict[str, Any]] = field(default_factory=list)
    issues: list[ImportIssue] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    truncated: list[str] = field(
        default_factory=list
    )  # ids of records with a field cut to MAX_CHARS


def _text(value: Any) -> str:
    if value is None or isinstance(value, bool):
        return ""
    if isinstance(value, dict):
        return _text(value.get("name") or value.get("@id") or "")
    if isinstance(value, list):
        return ", ".join(t for t in (_text(v) for v in value[:50]) if t)
    text = str(value).strip()
    return _LONE_SURROGATES.sub("\ufffd", text) if _LONE_SURROGATES.search(text) else text


def cap_fields(rec: dict[str, Any]) -> list[str]:
    """Cut each field of ``rec`` to :data:`MAX_CHARS` at a word boundary; returns the fields cut."""
    cut = []
    for key, limit in MAX_CHARS.items():
        value = rec.get(key)
        if isinstance(value, str) and len(value) > limit:
            head = value[: limit - 1]
            space = head.rfind(" ")
            rec[key] = (head[:space] if space > limit // 2 else head).rstrip() + "…"
            cut.append(key)
    return cut


def make_id(record: dict[str, Any]) -> str:
    """A stable id for a record without one: from its URL, else its claim text."""
    basis = record.get("url") or record.get("claim") or ""
    return "fc-" + hashlib.sha1(basis.encode("utf-8")).hexdigest()[:16]


def normalize(raw: dict[str, Any]) -> dict[str, Any]:
    """Map a JSONL object to a record with exactly :data:`FIELDS` (strings, '' when absent).

    Raises:
        ValueError: when the object has no claim text.
    """
    if raw.get("@type") == "ClaimReview" or "claimReviewed" in raw:
        return from_claimreview(raw)
    rec: dict[str, Any] = {}
    for key in FIELDS:
        value = raw.get(key)
        for alias in _ALIASES.get(key, ()):
            if value in (None, "") and alias in raw:
                value = raw[alias]
        rec[key] = _text(value)
    if not rec["claim"]:
        rec["claim"] = rec["title"]
    if not rec["claim"]:
        got = sorted(raw)[:8]
        raise ValueError(f"expected a 'claim' (or 'title') field, got {got}")
    rec["id"] = rec["id"] or make_id(rec)
    return rec


def from_claimreview(obj: dict[str, Any]) -> dict[str, Any]:
    """Map one schema.org ClaimReview object to a record.

    Raises:
        ValueError: when it has no ``claimReviewed`` text.
    """
    claim = _text(obj.get("claimReviewed"))
    if not claim:
        raise ValueError("ClaimReview without 'claimReviewed' text")
    rating = obj.get("reviewRating") or {}
    if isinstance(rating, list):
        rating = rating[0] if rating else {}
    rating_text = (
        _text(rating.get("alternateName") or rating.get("ratingValue"))
        if isinstance(rating, dict)
        else _text(rating)
    )
    item = obj.get("itemReviewed") or {}
    if isinstance(item, list):
        item = item[0] if item else {}
    speaker = _text(item.get("author")) if isinstance(item, dict) else ""
    rec = {
        "id": _text(obj.get("identifier") or obj.get("@id") or ""),
        "claim": claim,
        "title": _text(obj.get("headline") or obj.get("name") or ""),
        "url": _text(obj.get("url") or ""),
        "rating": rating_text,
        "date": _text(obj.get("datePublished") or ""),
        "speaker": speaker,
    }
    rec["id"] = rec["id"] or make_id(rec)
    return rec


def _claimreviews(obj: Any) -> Iterator[dict[str, Any]]:
    """ClaimReview objects inside a parsed JSON-LD value (object, list or @graph)."""
    if isinstance(obj, list):
        for item in obj:
            yield from _claimreviews(item)
    elif isinstance(obj, dict):
        kind = obj.get("@type")
        kinds = kind if isinstance(kind, list) else [kind]
        if "ClaimReview" in kinds:
            yield obj
        elif "@graph" in obj:
            yield from _claimreviews(obj["@graph"])
        elif "itemListElement" in obj:
            yield from _claimreviews(obj["itemListElement"])
        elif "item" in obj:
            yield from _claimreviews(obj["item"])


def _add(result: ReadResult, seen: set[str], rec: dict[str, Any]) -> None:
    if cap_fields(rec):
        result.truncated.append(rec["id"])
    if rec["id"] in seen:
        result.duplicates.append(rec["id"])
        return
    seen.add(rec["id"])
    result.records.append(rec)


def _why(err: BaseException) -> str:
    """What went wrong with one record, for its issue."""
    if isinstance(err, RecursionError):
        return "nested too deeply to read"
    if isinstance(err, ValueError) and not isinstance(err, UnicodeError):
        return str(err)
    return f"could not be read ({type(err).__name__}: {str(err)[:200]})"


def read_file(path: str | Path) -> ReadResult:
    """Read a JSONL or JSON-LD collection file; bad lines become issues, duplicates are counted.

    Raises:
        DataError: when the file cannot be read at all (missing, not a file, not UTF-8, not
            JSON, a document nested too deeply or over :data:`MAX_DOCUMENT_BYTES`).
    """
    p = Path(path)
    try:
        if not p.is_file():
            what = "no such file" if not p.exists() else "not a regular file"
            raise DataError(f"{p}: {what}; give a JSONL or ClaimReview JSON-LD file")
        fh = p.open("rb")
    except OSError as err:
        raise DataError(f"{p}: cannot be read ({err.strerror or err}); give a JSONL file") from err
    with fh:
        first = _first_line(fh)
        fh.seek(0)
        if (
            first is None
            or first.startswith(b"[")
            or (first.startswith(b"{") and not _parses(first))
        ):
            return _read_json_document(p, fh)
        return _read_jsonl(p, fh)


def _first_line(fh: Any) -> bytes | None:
    """The first non-blank line (BOM and spaces stripped), or None when it is over the limit."""
    while True:
        line = fh.readline(MAX_LINE_BYTES + 1)
        if not line:
            return b""
        if len(line) > MAX_LINE_BYTES:
            return None
        line = line.removeprefix(b"\xef\xbb\xbf").strip()
        if line:
            return line


def _parses(line: bytes) -> bool:
    try:
        json.loads(line.decode("utf-8"))
    except (ValueError, RecursionError):
        return False
    return True


def _read_json_document(p: Path, fh: Any) -> ReadResult:
    data = fh.read(MAX_DOCUMENT_BYTES + 1)
    if len(data) > MAX_DOCUMENT_BYTES:
        raise DataError(
            f"{p}: the JSON document is over {MAX_DOCUMENT_BYTES // 1_000_000} MB, the most "
            "newsift reads whole; write it as JSONL (one record per line)"
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise DataError(
            f"{p} line {line}: not UTF-8 text ({err.reason}); save the file as UTF-8"
        ) from err
    try:
        doc = json.loads(text)
    except ValueError as err:
        raise DataError(
            f"{p} line {getattr(err, 'lineno', '?')}: not valid JSON ({err}); "
            "give JSONL (one object per line) or a ClaimReview JSON-LD document"
        ) from err
    except RecursionError as err:
        raise DataError(
            f"{p}: the JSON document is nested too deeply to read; give JSONL or "
            "a flatter ClaimReview document"
        ) from err
    result, seen = ReadResult(), set[str]()
    try:
        items = list(_claimreviews(doc))
    except RecursionError as err:
        raise DataError(f"{p}: the ClaimReview items are nested too deeply to read") from err
    if not items and isinstance(doc, list):
        items = [d for d in doc if isinstance(d, dict)]
    for i, obj in enumerate(items, 1):
        try:
            _add(result, seen, normalize(obj))
        except Exception as err:  # noqa: BLE001 - one bad item never costs the others
            result.issues.append(ImportIssue(str(p), 0, _why(err), item=i))
    if not items:
        result.issues.append(ImportIssue(str(p), 1, "no ClaimReview objects found in the document"))
    return result


def _read_jsonl(p: Path, fh: Any) -> ReadResult:
    result, seen = ReadResult(), set[str]()
    lineno = 0
    while line := fh.readline(MAX_LINE_BYTES + 1):
        lineno += 1
        if len(line) > MAX_LINE_BYTES and not line.endswith(b"\n"):
            while line and not line.endswith(b"\n"):
                line = fh.readline(1 << 20)
            result.issues.append(
                ImportIssue(
                    str(p),
                    lineno,
                    f"the line is over {MAX_LINE_BYTES // 1_000_000} MB, the most newsift reads",
                )
            )
            continue
        if lineno == 1:
            line = line.removeprefix(b"\xef\xbb\xbf")
        if line.strip():
            _read_line(result, seen, p, lineno, line)
    return result


def _read_line(result: ReadResult, seen: set[str], p: Path, lineno: int, line: bytes) -> None:
    """One JSONL line into ``result``: its record(s), or an issue naming the line."""
    try:
        obj = json.loads(line.decode("utf-8"))
    except UnicodeDecodeError as err:
        result.issues.append(
            ImportIssue(str(p), lineno, f"not UTF-8 text ({err.reason}); save the file as UTF-8")
        )
        return
    except ValueError as err:
        result.issues.append(ImportIssue(str(p), lineno, f"not valid JSON ({err})"))
        return
    except RecursionError:
        result.issues.append(ImportIssue(str(p), lineno, "nested too deeply to read"))
        return
    if not isinstance(obj, dict):
        result.issues.append(
            ImportIssue(str(p), lineno, f"expected a JSON object, got {type(obj).__name__}")
        )
        return
    if obj.get("@type") != "ClaimReview" and "@graph" in obj:
        try:
            items = list(_claimreviews(obj))
        except RecursionError:
            result.issues.append(ImportIssue(str(p), lineno, "nested too deeply to read"))
            return
        if not items:
            result.issues.append(
                ImportIssue(str(p), lineno, "no ClaimReview objects found in the @graph")
            )
        for i, item in enumerate(items, 1):  # one by one: a bad item costs itself only
            try:
                _add(result, seen, from_claimreview(item))
            except Exception as err:  # noqa: BLE001 - recorded as the item's issue
                result.issues.append(ImportIssue(str(p), lineno, _why(err), item=i))
        return
    try:
        _add(result, seen, normalize(obj))
    except Exception as err:  # noqa: BLE001 - recorded as the line's issue
        result.issues.append(ImportIssue(str(p), lineno, _why(err)))
