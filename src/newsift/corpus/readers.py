"""Read corpus files into records: JSONL, CSV, WARC, folders of .html/.txt, RSS/Atom.

Every reader yields :class:`Record` (one article's raw fields) or :class:`Bad` (something that
could not be read, with its file, position, a stable code and a message); a reader never stops at
a bad record, and a truncated file yields every record before the damage and then one ``Bad``.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..ingest.source import binary_kind, decode_bytes, looks_like_html

_SURROGATES = re.compile("[\udc80-\udcff]+")


@dataclass(frozen=True)
class FieldMap:
    """Which record fields hold what (``--text-key`` etc. on the CLI)."""

    text: str = "text"
    html: str = "html"
    url: str = "url"
    title: str = "title"
    date: str = "date"
    outlet: str = "outlet"
    id: str = "id"
    author: str = "author"


@dataclass
class Record:
    """One article's raw fields as read: ``content`` is text or HTML (``is_html``)."""

    file: str
    position: str
    content: str
    is_html: bool
    url: str | None = None
    title: str | None = None
    date: str | None = None
    outlet: str | None = None
    ext_id: str | None = None
    author: str | None = None
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (code, message)


@dataclass
class Bad:
    """A record or file that could not be read."""

    file: str
    position: str
    code: str
    message: str


@dataclass
class Skipped:
    """A record that is not an article by design (a WARC request, an image response)."""

    file: str
    position: str
    reason: str


Item = Record | Bad | Skipped

_GZIP_ERRORS = (EOFError, zlib.error, gzip.BadGzipFile, OSError)


def _open(path: Path) -> io.BufferedIOBase:
    if path.name.endswith(".gz"):
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return path.open("rb")


def _decode(data: bytes) -> tuple[str, list[tuple[str, str]]]:
    """UTF-8 text, with undecodable bytes replaced by U+FFFD and reported as a warning."""
    text = data.decode("utf-8", errors="surrogateescape")
    if not _SURROGATES.search(text):
        return text, []
    n = sum(len(m) for m in _SURROGATES.findall(text))
    return _SURROGATES.sub("\ufffd", text), [
        ("undecodable_bytes", f"{n} byte(s) were not valid UTF-8 and were replaced by U+FFFD")
    ]


def field_text(value: Any) -> str | None:
    """A record field as stripped text (numbers as text, ``{"name": ...}`` as its name), or None."""
    if value is None:
        return None
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, dict):  # e.g. {"name": "Outlet"}
        return field_text(value.get("name") or value.get("domain"))
    return None


def record_from_fields(
    obj: dict[str, Any], fields: FieldMap, file: str, position: str, warnings: list[tuple[str, str]]
) -> Record | Bad:
    """Map a JSON object or CSV row to a :class:`Record` with the configured field names."""
    html, text = obj.get(fields.html), obj.get(fields.text)
    if not (isinstance(html, str) and html.strip()) and not (isinstance(text, str) and text.strip()):
        if fields.text in obj or fields.html in obj:
            return Bad(file, position, "empty_record", f"{file} {position}: the record's text is empty")
        keys = sorted(obj)[:12]
        return Bad(
            file, position, "no_text",
            f"{file} {position}: expected a {fields.text!r} or {fields.html!r} field, got {keys}; "
            "name the field with --text-key or --html-key",
        )
    is_html = isinstance(html, str) and bool(html.strip())
    return Record(
        file=file, position=position, content=html if is_html else text, is_html=is_html,
        url=field_text(obj.get(fields.url)), title=field_text(obj.get(fields.title)),
        date=field_text(obj.get(fields.date)), outlet=field_text(obj.get(fields.outlet)),
        ext_id=field_text(obj.get(fields.id)), author=field_text(obj.get(fields.author)), warnings=warnings,
    )


def read_jsonl(path: Path, fields: FieldMap) -> Iterator[Item]:
    """One JSON object per line (``.jsonl``, ``.ndjson``, optionally ``.gz``)."""
    name = str(path)
    n = 0
    try:
        with _open(path) as fh:
            for n, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                text, warnings = _decode(line)
                pos = f"line {n}"
                try:
                    obj = json.loads(text)
                except json.JSONDecodeError as err:
                    yield Bad(name, pos, "malformed_json", f"{name} {pos}: not valid JSON ({err.msg} at column {err.colno})")
                    continue
                if not isinstance(obj, dict):
                    yield Bad(name, pos, "not_an_object", f"{name} {pos}: expected a JSON object, got {type(obj).__name__}")
                    continue
                yield record_from_fields(obj, fields, name, pos, warnings)
    except _GZIP_ERRORS as err:
        yield Bad(name, f"after line {n}", "truncated", f"{name}: the file is truncated or corrupt after line {n} ({err}); the lines before were read")


def read_csv(path: Path, fields: FieldMap) -> Iterator[Item]:
    """A CSV (or .tsv) file with a header row."""
    name = str(path)
    csv.field_size_limit(1 << 30)
    row_no = 0
    try:
        with _open(path) as raw:
            stream = io.TextIOWrapper(raw, encoding="utf-8", errors="surrogateescape", newline="")
            delimiter = "\t" if ".tsv" in path.name else ","
            reader = csv.DictReader(stream, delimiter=delimiter)
            for row_no, row in enumerate(reader, 1):
                pos = f"row {row_no}"
                warnings: list[tuple[str, str]] = []
                clean: dict[str, Any] = {}
                for key, value in row.items():
                    if isinstance(value, str) and _SURROGATES.search(value):
                        value, w = _decode(value.encode("utf-8", errors="surrogateescape"))
                        warnings = warnings or w
                    clean[key] = value
                yield record_from_fields(clean, fields, name, pos, warnings)
    except csv.Error as err:
        yield Bad(name, f"row {row_no + 1}", "malformed_csv", f"{name} row {row_no + 1}: {err}; the rows before were read")
    except _GZIP_ERRORS as err:
        yield Bad(name, f"after row {row_no}", "truncated", f"{name}: the file is truncated or corrupt after row {row_no} ({err})")


def read_warc(path: Path) -> Iterator[Item]:
    """HTML responses from a WARC or WARC.gz file (other records are skipped).

    A file cut short is reported once, after the last whole record: warcio stops quietly at a
    cut gzip member, so a ``.gz`` file's integrity is checked after reading it.
    """
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    name = str(path)
    n = 0
    cut = f"{name}: the WARC is truncated or corrupt after record {{n}} ({{err}}); the records before were read"
    try:
        with path.open("rb") as fh:
            for n, rec in enumerate(ArchiveIterator(fh), 1):
                pos = f"record {n}"
                if rec.rec_type != "response":
                    yield Skipped(name, pos, f"warc_{rec.rec_type}")
                    continue
                ctype = (rec.http_headers.get_header("Content-Type") if rec.http_headers else "") or ""
                if not ctype.lower().startswith(("text/html", "application/xhtml")):
                    yield Skipped(name, pos, "not_html")
                    continue
                item = _warc_record(rec, name, pos, ctype)
                if getattr(rec.raw_stream, "limit", 0):
                    yield Bad(name, pos, "truncated", cut.format(n=n - 1, err="the record is cut short"))
                    return
                yield item
    except (ArchiveLoadFailed, *_GZIP_ERRORS, ValueError, AttributeError) as err:
        yield Bad(name, f"after record {n}", "truncated", cut.format(n=n, err=err))
        return
    if path.name.endswith(".gz") and not _gzip_whole(path):
        yield Bad(name, f"after record {n}", "truncated", cut.format(n=n, err="the gzip stream ends early"))


def _gzip_whole(path: Path) -> bool:
    """Whether a gzip file decompresses to its end."""
    try:
        with gzip.open(path, "rb") as fh:
            while fh.read(1 << 20):
                pass
    except _GZIP_ERRORS:
        return False
    return True


def _warc_record(rec: Any, name: str, pos: str, ctype: str) -> Record | Bad:
    data = rec.content_stream().read()
    if not data.strip():
        return Bad(name, pos, "empty_record", f"{name} {pos}: the response body is empty")
    declared = None
    if "charset=" in ctype.lower():
        declared = ctype.lower().split("charset=")[-1].split(";")[0].strip() or None
    try:
        text, _ = decode_bytes(data, f"{name} {pos}", declared)
    except Exception as err:  # noqa: BLE001 - decode_bytes raises InputError
        return Bad(name, pos, "undecodable", str(err))
    return Record(
        file=name, position=pos, content=text, is_html=True,
        url=rec.rec_headers.get_header("WARC-Target-URI"),
        date=rec.rec_headers.get_header("WARC-Date"),
    )


def read_feed(path: Path) -> Iterator[Item]:
    """Entries of an RSS or Atom file; each entry's content (or summary) is its text."""
    import feedparser

    name = str(path)
    parsed = feedparser.parse(path.read_bytes())
    if not parsed.entries:
        why = getattr(parsed, "bozo_exception", None) or "no entries"
        yield Bad(name, "file", "malformed_feed", f"{name}: no feed entries could be read ({why})")
        return
    for n, entry in enumerate(parsed.entries, 1):
        pos = f"entry {n}"
        content = ""
        if entry.get("content"):
            content = entry["content"][0].get("value", "")
        content = content or entry.get("summary", "")
        if not content.strip():
            yield Bad(name, pos, "empty_record", f"{name} {pos}: the entry has no content or summary")
            continue
        yield Record(
            file=name, position=pos, content=content, is_html=looks_like_html(content) or "<p" in content,
            url=entry.get("link"), title=entry.get("title"),
            date=entry.get("published") or entry.get("updated"),
            outlet=parsed.feed.get("title"), ext_id=entry.get("id"), author=entry.get("author"),
        )


def read_page(path: Path) -> Iterator[Item]:
    """One saved page or text file is one article."""
    name = str(path)
    data = path.read_bytes()
    if not data.strip():
        yield Bad(name, "file", "empty_record", f"{name}: the file is empty")
        return
    what = binary_kind(data)
    if what:
        yield Bad(name, "file", "binary", f"{name}: this is {what}, not HTML or text")
        return
    try:
        text, _ = decode_bytes(data, name)
    except Exception as err:  # noqa: BLE001 - decode_bytes raises InputError
        yield Bad(name, "file", "undecodable", str(err))
        return
    yield Record(file=name, position="file", content=text, is_html=looks_like_html(text) or path.suffix.lower() in (".html", ".htm"))


_SUFFIXES = {
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl", ".csv": "csv", ".tsv": "csv",
    ".warc": "warc", ".arc": "warc", ".html": "page", ".htm": "page", ".txt": "page",
    ".rss": "feed", ".atom": "feed", ".xml": "feed",
}


def format_of(path: Path) -> str | None:
    """The reader for ``path`` from its extension (``.gz`` looked through)."""
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    return _SUFFIXES.get(suffixes[-1]) if suffixes else None


def read_path(path: str | Path, fields: FieldMap | None = None) -> Iterator[Item]:
    """Every record under ``path``: a file of a known format or a folder (walked, sorted)."""
    fields = fields or FieldMap()
    p = Path(path)
    if not p.exists():
        yield Bad(str(p), "file", "not_found", f"{p}: no such file or folder; check the path")
        return
    if p.is_dir():
        for child in sorted(c for c in p.rglob("*") if c.is_file()):
            if format_of(child) is not None:
                yield from read_path(child, fields)
        return
    kind = format_of(p)
    readers = {
        "jsonl": lambda: read_jsonl(p, fields), "csv": lambda: read_csv(p, fields),
        "warc": lambda: read_warc(p), "page": lambda: read_page(p), "feed": lambda: read_feed(p),
    }
    if kind is None:
        yield Bad(
            str(p), "file", "unknown_format",
            f"{p}: unknown file type; give .jsonl, .csv, .warc(.gz), .html, .txt, .rss/.atom/.xml or a folder",
        )
        return
    try:
        yield from readers[kind]()
    except OSError as err:
        yield Bad(str(p), "file", "unreadable", f"{p}: could not be read ({err.strerror or err})")
