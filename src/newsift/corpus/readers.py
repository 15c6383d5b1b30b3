"""Read corpus files into records: JSONL, CSV, WARC, folders of .html/.txt, RSS/Atom.

Every reader yields :class:`Record` (one article's raw fields) or :class:`Bad` (something that
could not be read, with its file, position, a stable code and a message); a reader never stops at
a bad record, and a truncated file yields every record before the damage and then one ``Bad``.
Each record is read inside a guard (:func:`guarded`): whatever goes wrong with one record (deep
nesting, invalid Unicode, a field of the wrong type, a bug) becomes a ``Bad`` naming its file and
position, never an exception that would stop the ingest.

Input is bounded: a record (a JSONL line, a CSV field, a WARC response body, a page file) over
:data:`MAX_RECORD_BYTES` and a feed file over :data:`MAX_FEED_BYTES` are refused as ``too_large``.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import IO, Any

from ..ingest.source import binary_kind, decode_bytes, looks_like_html

_SURROGATES = re.compile("[\udc80-\udcff]+")
_LONE_SURROGATES = re.compile("[\ud800-\udfff]+")  # e.g. a JSON "\\ud800" escape: not encodable

#: The largest record read (a JSONL line, a CSV field, a WARC response body, a page file): 10 MB.
MAX_RECORD_BYTES = 10_000_000
#: The largest RSS/Atom file read (feedparser holds a whole feed in memory): 50 MB.
MAX_FEED_BYTES = 50_000_000


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


def _open(path: Path) -> IO[bytes]:
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


def clean_text(value: str) -> tuple[str, int]:
    """``value`` with lone surrogates (invalid Unicode, e.g. from a JSON ``\\ud800`` escape)
    replaced by U+FFFD, and how many were replaced."""
    if not _LONE_SURROGATES.search(value):
        return value, 0
    n = sum(len(m) for m in _LONE_SURROGATES.findall(value))
    return _LONE_SURROGATES.sub("\ufffd", value), n


def _type_name(value: Any) -> str:
    names = {
        dict: "an object",
        list: "a list",
        bool: "a boolean",
        int: "a number",
        float: "a number",
    }
    return names.get(type(value), type(value).__name__)


def field_text(value: Any) -> str | None:
    """A record field as stripped text (numbers as text, ``{"name": ...}`` as its name), or None."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, dict):  # e.g. {"name": "Outlet"}
        return field_text(value.get("name") or value.get("domain"))
    return None


def _meta_field(
    obj: dict[str, Any], key: str, where: str, warnings: list[tuple[str, str]]
) -> str | None:
    """A metadata field (url, title, date, ...) as text; a value of the wrong type is dropped with a
    ``wrong_type`` warning that says what came."""
    value = obj.get(key)
    text = field_text(value)
    if text is None and value is not None and not (isinstance(value, str)):
        warnings.append(
            (
                "wrong_type",
                f"the {key!r} field is {_type_name(value)}, expected a string; it was left out",
            )
        )
    if text is not None:
        text, n = clean_text(text)
        if n:
            warnings.append(
                (
                    "invalid_unicode",
                    f"the {key!r} field held {n} invalid character(s), replaced by U+FFFD",
                )
            )
    return text


def record_from_fields(
    obj: dict[str, Any], fields: FieldMap, file: str, position: str, warnings: list[tuple[str, str]]
) -> Record | Bad:
    """Map a JSON object or CSV row to a :class:`Record` with the configured field names."""
    where = f"{file} {position}"
    html, text = obj.get(fields.html), obj.get(fields.text)
    for key, value in ((fields.html, html), (fields.text, text)):
        if value is not None and not isinstance(value, str):
            other = html if key == fields.text else text
            if not (isinstance(other, str) and other.strip()):
                return Bad(
                    file,
                    position,
                    "wrong_type",
                    f"{where}: the {key!r} field is {_type_name(value)}, expected a string of text",
                )
    if not (isinstance(html, str) and html.strip()) and not (
        isinstance(text, str) and text.strip()
    ):
        if fields.text in obj or fields.html in obj:
            return Bad(file, position, "empty_record", f"{where}: the record's text is empty")
        keys = sorted(str(k) for k in obj)[:12]
        return Bad(
            file,
            position,
            "no_text",
            f"{where}: expected a {fields.text!r} or {fields.html!r} field, got {keys}; "
            "name the field with --text-key or --html-key",
        )
    is_html = isinstance(html, str) and bool(html.strip())
    content, n = clean_text((html if is_html else text) or "")
    warnings = list(warnings)
    if n:
        warnings.append(
            ("invalid_unicode", f"the text held {n} invalid character(s), replaced by U+FFFD")
        )
    meta = {
        key: _meta_field(obj, getattr(fields, key), where, warnings)
        for key in ("url", "title", "date", "outlet", "id", "author")
    }
    return Record(
        file=file,
        position=position,
        content=content,
        is_html=is_html,
        url=meta["url"],
        title=meta["title"],
        date=meta["date"],
        outlet=meta["outlet"],
        ext_id=meta["id"],
        author=meta["author"],
        warnings=warnings,
    )


def guarded(file: str, position: str, read: Callable[[], Item]) -> Item:
    """``read()``, with any failure turned into a :class:`Bad` that names the file and position.

    A record nested too deeply, holding invalid Unicode or a value no reader expected must not stop
    an ingest: what went wrong is recorded and the next record is read.
    """
    try:
        return read()
    except RecursionError:
        return Bad(
            file,
            position,
            "too_deep",
            f"{file} {position}: the record is nested too deeply to read; skipped",
        )
    except MemoryError:
        return Bad(
            file,
            position,
            "too_large",
            f"{file} {position}: the record is too large to read; skipped",
        )
    except Exception as err:  # noqa: BLE001 - one bad record never stops an ingest
        return Bad(
            file,
            position,
            "unreadable_record",
            f"{file} {position}: the record could not be read ({type(err).__name__}: {str(err)[:200]}); skipped",
        )


def _lines(fh: IO[bytes], limit: int) -> Iterator[tuple[bytes, bool]]:
    """Lines of ``fh`` as (line, too_long); a line over ``limit`` bytes is skipped to its end, not
    held in memory."""
    while True:
        line = fh.readline(limit + 1)
        if not line:
            return
        if len(line) <= limit or line.endswith(b"\n"):
            yield line, False
            continue
        while line and not line.endswith(b"\n"):
            line = fh.readline(1 << 20)
        yield b"", True


def _json_item(raw: bytes, fields: FieldMap, name: str, pos: str, first: bool) -> Item:
    text, warnings = _decode(raw)
    if first:
        text = text.removeprefix("\ufeff")  # a UTF-8 byte order mark
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as err:
        return Bad(
            name,
            pos,
            "malformed_json",
            f"{name} {pos}: not valid JSON ({err.msg} at column {err.colno})",
        )
    if not isinstance(obj, dict):
        return Bad(
            name,
            pos,
            "not_an_object",
            f"{name} {pos}: expected a JSON object, got {type(obj).__name__}",
        )
    return record_from_fields(obj, fields, name, pos, warnings)


def read_jsonl(path: Path, fields: FieldMap) -> Iterator[Item]:
    """One JSON object per line (``.jsonl``, ``.ndjson``, optionally ``.gz``)."""
    name = str(path)
    n = 0
    try:
        with _open(path) as fh:
            for n, (line, too_long) in enumerate(_lines(fh, MAX_RECORD_BYTES), 1):
                pos = f"line {n}"
                if too_long:
                    yield _too_large(name, pos)
                elif line.strip():
                    yield guarded(
                        name,
                        pos,
                        partial(_json_item, line, fields, name, pos, n == 1),
                    )
    except _GZIP_ERRORS as err:
        yield Bad(
            name,
            f"after line {n}",
            "truncated",
            f"{name}: the file is truncated or corrupt after line {n} ({err}); the lines before were read",
        )


def _too_large(name: str, pos: str) -> Bad:
    return Bad(
        name,
        pos,
        "too_large",
        f"{name} {pos}: the record is over {MAX_RECORD_BYTES // 1_000_000} MB, the most newsift reads; skipped",
    )


def read_csv(path: Path, fields: FieldMap) -> Iterator[Item]:
    """A CSV (or .tsv) file with a header row; a UTF-8 byte order mark (as Excel writes) is read."""
    name = str(path)
    csv.field_size_limit(MAX_RECORD_BYTES)
    row_no = 0
    try:
        with _open(path) as raw:
            stream = io.TextIOWrapper(
                raw, encoding="utf-8-sig", errors="surrogateescape", newline=""
            )
            delimiter = "\t" if ".tsv" in path.name.lower() else ","
            reader = csv.DictReader(stream, delimiter=delimiter)
            rows = iter(reader)
            while True:
                try:
                    row = next(rows)
                except StopIteration:
                    return
                except csv.Error as err:
                    row_no += 1
                    yield Bad(
                        name,
                        f"row {row_no}",
                        "malformed_csv",
                        f"{name} row {row_no}: {err}; skipped",
                    )
                    continue
                row_no += 1
                pos = f"row {row_no}"
                yield guarded(name, pos, partial(_csv_item, row, fields, name, pos))
    except _GZIP_ERRORS as err:
        yield Bad(
            name,
            f"after row {row_no}",
            "truncated",
            f"{name}: the file is truncated or corrupt after row {row_no} ({err})",
        )


def _csv_item(row: dict[Any, Any], fields: FieldMap, name: str, pos: str) -> Item:
    warnings: list[tuple[str, str]] = []
    clean: dict[str, Any] = {}
    for key, value in row.items():
        if key is None:  # more cells than header names
            continue
        if isinstance(value, str) and _SURROGATES.search(value):
            value, w = _decode(value.encode("utf-8", errors="surrogateescape"))
            warnings = warnings or w
        if isinstance(key, str) and _SURROGATES.search(key):
            key = _decode(key.encode("utf-8", errors="surrogateescape"))[0]
        clean[key.strip() if isinstance(key, str) else key] = value
    return record_from_fields(clean, fields, name, pos, warnings)


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
                item = guarded(name, pos, partial(_warc_item, rec, name, pos))
                if isinstance(item, Bad) and item.code == "too_large":  # unread on purpose, not cut
                    yield item
                    continue
                if getattr(rec.raw_stream, "limit", 0) and not isinstance(item, Skipped):
                    yield Bad(
                        name, pos, "truncated", cut.format(n=n - 1, err="the record is cut short")
                    )
                    return
                yield item
    except (ArchiveLoadFailed, *_GZIP_ERRORS, ValueError, AttributeError) as err:
        yield Bad(name, f"after record {n}", "truncated", cut.format(n=n, err=err))
        return
    if path.name.endswith(".gz") and not _gzip_whole(path):
        yield Bad(
            name,
            f"after record {n}",
            "truncated",
            cut.format(n=n, err="the gzip stream ends early"),
        )


def _warc_item(rec: Any, name: str, pos: str) -> Item:
    if rec.rec_type != "response":
        return Skipped(name, pos, f"warc_{rec.rec_type}")
    ctype = (rec.http_headers.get_header("Content-Type") if rec.http_headers else "") or ""
    if not ctype.lower().startswith(("text/html", "application/xhtml")):
        return Skipped(name, pos, "not_html")
    return _warc_record(rec, name, pos, ctype)


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
    data = rec.content_stream().read(MAX_RECORD_BYTES + 1)
    if len(data) > MAX_RECORD_BYTES:
        return _too_large(name, pos)
    if not data.strip():
        return Bad(name, pos, "empty_record", f"{name} {pos}: the response body is empty")
    declared = None
    if "charset=" in ctype.lower():
        declared = ctype.lower().split("charset=")[-1].split(";")[0].strip() or None
    try:
        text, encoding = decode_bytes(data, f"{name} {pos}", declared)
    except Exception as err:  # noqa: BLE001 - decode_bytes raises InputError
        return Bad(name, pos, "undecodable", str(err))
    return Record(
        file=name,
        position=pos,
        content=clean_text(text)[0],
        is_html=True,
        url=_meta(rec.rec_headers.get_header("WARC-Target-URI")),
        date=_meta(rec.rec_headers.get_header("WARC-Date")),
        warnings=_encoding_warning(encoding),
    )


def _encoding_warning(encoding: str) -> list[tuple[str, str]]:
    """An ``encoding_guessed`` warning when ``decode_bytes`` had to guess the encoding."""
    note = getattr(encoding, "note", None)
    return [("encoding_guessed", note)] if note else []


def _meta(value: Any) -> str | None:
    """A header or feed field as clean text, or None."""
    text = field_text(value)
    return clean_text(text)[0] if text else None


def read_feed(path: Path) -> Iterator[Item]:
    """Entries of an RSS or Atom file; each entry's content (or summary) is its text."""
    import feedparser

    name = str(path)
    if path.stat().st_size > MAX_FEED_BYTES:
        yield Bad(
            name,
            "file",
            "too_large",
            f"{name}: the feed is over {MAX_FEED_BYTES // 1_000_000} MB, the most newsift reads; split it",
        )
        return
    try:
        parsed = feedparser.parse(path.read_bytes())
    except RecursionError:
        yield Bad(name, "file", "malformed_feed", f"{name}: the feed is nested too deeply to read")
        return
    except Exception as err:  # noqa: BLE001 - feedparser is lenient, but a parser bug must not stop an ingest
        yield Bad(
            name,
            "file",
            "malformed_feed",
            f"{name}: the feed could not be read ({type(err).__name__}: {str(err)[:200]})",
        )
        return
    if not parsed.entries:
        why = getattr(parsed, "bozo_exception", None) or "no entries"
        yield Bad(name, "file", "malformed_feed", f"{name}: no feed entries could be read ({why})")
        return
    try:
        outlet = _meta(parsed.feed.get("title"))
    except Exception:  # noqa: BLE001 - an odd feed title costs the outlet name, nothing else
        outlet = None
    for n, entry in enumerate(parsed.entries, 1):
        pos = f"entry {n}"
        yield guarded(name, pos, partial(_feed_item, entry, name, pos, outlet))


def _feed_item(entry: Any, name: str, pos: str, outlet: str | None) -> Item:
    content = ""
    if entry.get("content"):
        content = entry["content"][0].get("value", "") or ""
    content = content or entry.get("summary", "") or ""
    if not isinstance(content, str) or not content.strip():
        return Bad(name, pos, "empty_record", f"{name} {pos}: the entry has no content or summary")
    if len(content) > MAX_RECORD_BYTES:
        return _too_large(name, pos)
    content = clean_text(content)[0]
    return Record(
        file=name,
        position=pos,
        content=content,
        is_html=looks_like_html(content) or "<p" in content,
        url=_meta(entry.get("link")),
        title=_meta(entry.get("title")),
        date=_meta(entry.get("published") or entry.get("updated")),
        outlet=outlet,
        ext_id=_meta(entry.get("id")),
        author=_meta(entry.get("author")),
    )


def read_page(path: Path) -> Iterator[Item]:
    """One saved page or text file is one article."""
    name = str(path)
    if path.stat().st_size > MAX_RECORD_BYTES:
        yield _too_large(name, "file")
        return
    data = path.read_bytes()
    yield guarded(name, "file", lambda: _page_item(data, name, path))


def _page_item(data: bytes, name: str, path: Path) -> Item:
    if not data.strip():
        return Bad(name, "file", "empty_record", f"{name}: the file is empty")
    what = binary_kind(data)
    if what:
        return Bad(name, "file", "binary", f"{name}: this is {what}, not HTML or text")
    try:
        text, encoding = decode_bytes(data, name)
    except Exception as err:  # noqa: BLE001 - decode_bytes raises InputError
        return Bad(name, "file", "undecodable", str(err))
    text = clean_text(text)[0]
    return Record(
        file=name,
        position="file",
        content=text,
        is_html=looks_like_html(text) or path.suffix.lower() in (".html", ".htm"),
        warnings=_encoding_warning(encoding),
    )


_SUFFIXES = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "jsonl",
    ".csv": "csv",
    ".tsv": "csv",
    ".warc": "warc",
    ".arc": "warc",
    ".html": "page",
    ".htm": "page",
    ".txt": "page",
    ".rss": "feed",
    ".atom": "feed",
    ".xml": "feed",
}


def format_of(path: Path) -> str | None:
    """The reader for ``path`` from its extension (``.gz`` looked through)."""
    name = path.name.lower().removesuffix(".gz")
    dot = name.rfind(".")
    # By the name's ending, so that "..html" or ".html" (no stem for pathlib) is a page too.
    return _SUFFIXES.get(name[dot:]) if dot >= 0 else None


def read_path(path: str | Path, fields: FieldMap | None = None) -> Iterator[Item]:
    """Every record under ``path``: a file of a known format or a folder (walked, sorted).

    Never raises for bad input: a file that cannot be read at all is one ``Bad``.
    """
    fields = fields or FieldMap()
    p = Path(path)
    try:
        exists, is_dir = p.exists(), p.is_dir()
    except (OSError, ValueError) as err:
        yield Bad(str(p), "file", "unreadable", f"{p}: could not be read ({err}); check the path")
        return
    if not exists:
        yield Bad(str(p), "file", "not_found", f"{p}: no such file or folder; check the path")
        return
    if is_dir:
        try:
            children = sorted(c for c in p.rglob("*") if c.is_file())
        except OSError as err:
            yield Bad(
                str(p),
                "file",
                "unreadable",
                f"{p}: the folder could not be listed ({err.strerror or err})",
            )
            return
        for child in children:
            if format_of(child) is not None:
                yield from read_path(child, fields)
            else:  # images, stylesheets...: counted as skipped, so that the summary shows them
                yield Skipped(str(child), "file", "unknown_format")
        return
    kind = format_of(p)
    readers = {
        "jsonl": lambda: read_jsonl(p, fields),
        "csv": lambda: read_csv(p, fields),
        "warc": lambda: read_warc(p),
        "page": lambda: read_page(p),
        "feed": lambda: read_feed(p),
    }
    if kind is None:
        yield Bad(
            str(p),
            "file",
            "unknown_format",
            f"{p}: unknown file type; give .jsonl, .csv, .tsv, .warc(.gz), .html, .txt, .rss/.atom/.xml or a folder",
        )
        return
    try:
        yield from readers[kind]()
    except OSError as err:
        yield Bad(str(p), "file", "unreadable", f"{p}: could not be read ({err.strerror or err})")
    except Exception as err:  # noqa: BLE001 - a reader bug must cost one file, not the ingest
        yield Bad(
            str(p),
            "file",
            "unreadable",
            f"{p}: reading stopped ({type(err).__name__}: {str(err)[:200]}); the records before were read",
        )
