"""Reading fact-check collections: JSONL records and schema.org ClaimReview JSON-LD.

A fact-check record is a plain dict with the keys of :data:`FIELDS`::

    {"id", "claim", "title", "url", "rating", "date", "speaker"}

``claim`` is required; a missing ``id`` is made from the URL or the claim text. Files can be

- JSONL, one record per line (``{id, claim, title, url, rating, date, speaker}``; the CheckThat!
  layout ``{vclaim_id, vclaim, title, truth_label, ...}`` is read too), or
- schema.org ``ClaimReview`` JSON-LD, the markup fact-checkers publish: one object, a list, a
  ``@graph``, or one object per line.

Bad lines are never dropped silently: each becomes an :class:`ImportIssue` naming the file and line.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import DataError

FIELDS = ("id", "claim", "title", "url", "rating", "date", "speaker")

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
        return f"{self.file} {where}: {self.message}"


@dataclass
class ReadResult:
    """Records read from one file, with what was skipped and why."""

    records: list[dict[str, Any]] = field(default_factory=list)
    issues: list[ImportIssue] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dict):
        return _text(value.get("name") or value.get("@id") or "")
    if isinstance(value, list):
        return ", ".join(t for t in (_text(v) for v in value) if t)
    return str(value).strip()


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
    rating_text = _text(rating.get("alternateName") or rating.get("ratingValue")) if isinstance(
        rating, dict
    ) else _text(rating)
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
    if rec["id"] in seen:
        result.duplicates.append(rec["id"])
        return
    seen.add(rec["id"])
    result.records.append(rec)


def read_file(path: str | Path) -> ReadResult:
    """Read a JSONL or JSON-LD collection file; bad lines become issues, duplicates are counted.

    Raises:
        DataError: when the file cannot be read at all (missing, not UTF-8, not JSON).
    """
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise DataError(f"{p}: no such file; give a JSONL or ClaimReview JSON-LD file") from None
    except (UnicodeDecodeError, IsADirectoryError) as err:
        raise DataError(f"{p}: cannot read it as UTF-8 text ({err}); give a JSONL file") from err
    stripped = text.lstrip()
    if stripped.startswith("[") or (stripped.startswith("{") and not _looks_like_jsonl(stripped)):
        return _read_json_document(p, text)
    return _read_jsonl(p, text)


def _looks_like_jsonl(text: str) -> bool:
    first = text.split("\n", 1)[0].strip()
    try:
        json.loads(first)
    except ValueError:
        return False
    return True


def _read_json_document(p: Path, text: str) -> ReadResult:
    try:
        doc = json.loads(text)
    except ValueError as err:
        raise DataError(
            f"{p} line {getattr(err, 'lineno', '?')}: not valid JSON ({err}); "
            "give JSONL (one object per line) or a ClaimReview JSON-LD document"
        ) from err
    result, seen = ReadResult(), set()
    items = list(_claimreviews(doc))
    if not items and isinstance(doc, list):
        items = [d for d in doc if isinstance(d, dict)]
    for i, obj in enumerate(items, 1):
        try:
            _add(result, seen, normalize(obj))
        except ValueError as err:
            result.issues.append(ImportIssue(str(p), 0, str(err), item=i))
    if not items:
        result.issues.append(ImportIssue(str(p), 1, "no ClaimReview objects found in the document"))
    return result


def _read_jsonl(p: Path, text: str) -> ReadResult:
    result, seen = ReadResult(), set()
    loads = json.loads
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            obj = loads(line)
        except ValueError as err:
            result.issues.append(ImportIssue(str(p), lineno, f"not valid JSON ({err})"))
            continue
        if not isinstance(obj, dict):
            result.issues.append(
                ImportIssue(str(p), lineno, f"expected a JSON object, got {type(obj).__name__}")
            )
            continue
        try:
            if obj.get("@type") != "ClaimReview" and "@graph" in obj:
                for item in _claimreviews(obj):
                    _add(result, seen, from_claimreview(item))
            else:
                _add(result, seen, normalize(obj))
        except ValueError as err:
            result.issues.append(ImportIssue(str(p), lineno, str(err)))
    return result
