"""Read one input at the edge: a file, stdin, an http(s) URL, or a string.

Everything is checked here, once: a missing path, a directory, a special file (FIFO, device,
socket), an empty or binary file, undecodable bytes, an oversized input, a refused scheme or
address, an unreachable URL, an HTTP error or a fetch past its deadline each raise an
:class:`~newsift.errors.InputError` that names the input, says what was wrong and what to do.
Every reader counts the bytes it reads and stops at its cap; URL fetching lives in
:mod:`newsift.ingest.fetch`.
"""

from __future__ import annotations

import os
import re
import stat
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO
from urllib.parse import urlsplit

from ..errors import ExtractionError, FetchError, InputError

if TYPE_CHECKING:
    from ..api import Options
    from .fetch import Resolver

# Magic numbers of binary formats people drop on us by mistake.
_BINARY_MAGIC = {
    b"%PDF": "a PDF",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"PK\x03\x04": "a ZIP archive (or .docx/.xlsx)",
    b"\x1f\x8b": "a gzip archive",
    b"\x7fELF": "an executable",
    b"RIFF": "a RIFF media file",
    b"\xd0\xcf\x11\xe0": "an old Office document",
}
_HTML_CONTENT_TYPES = ("text/html", "application/xhtml+xml")
_TEXT_CONTENT_TYPES = ("text/plain", "text/markdown")


@dataclass
class RawInput:
    """Decoded input and where it came from.

    Args:
        text: the decoded input.
        name: how to name it in messages (a path, a URL, ``<stdin>``).
        kind: ``file``, ``url``, ``stdin`` or ``text``.
        is_html: whether the content is HTML (detected from the content, not the extension).
        encoding: the detected or declared encoding.
        url: the final URL after redirects, for URL inputs.
    """

    text: str
    name: str
    kind: str
    is_html: bool
    encoding: str | None = None
    url: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_text(cls, text: str, *, name: str = "<text>", html: bool | None = None) -> RawInput:
        if not text or not text.strip():
            raise ExtractionError(
                f"{name}: the text is empty; paste an article or give a file or URL", code="empty"
            )
        is_html = looks_like_html(text) if html is None else html
        return cls(text=text, name=name, kind="text", is_html=is_html, encoding="utf-8")


def looks_like_html(text: str) -> bool:
    """Decide HTML vs plain text from the content: a doctype, or structural tags early on."""
    head = text[:5000].lower()
    if head.lstrip().startswith(("<!doctype html", "<html", "<?xml")) and "<html" in head:
        return True
    markers = ("<html", "<body", "<head", "<div", "<p>", "<p ", "<article", "<meta ", "<title>")
    hits = sum(head.count(m) for m in markers)
    return hits >= 2


def binary_kind(data: bytes) -> str | None:
    """Name the binary format of ``data``, or None when it looks like text."""
    for magic, what in _BINARY_MAGIC.items():
        if data.startswith(magic):
            return what
    sample = data[:4096]
    if b"\x00" in sample and not (sample.startswith((b"\xff\xfe", b"\xfe\xff"))):
        return "binary data (it contains NUL bytes)"
    return None


class GuessedEncoding(str):
    """An encoding name :func:`decode_bytes` had to guess; ``note`` says how and why.

    A ``str`` (it compares, prints and serialises as the plain name), so callers that store the
    encoding keep working, and :func:`newsift.extract.extract` turns ``note`` into the problem
    ``input/encoding_guessed``.
    """

    note: str

    def __new__(cls, name: str, note: str) -> GuessedEncoding:
        obj = super().__new__(cls, name)
        obj.note = note
        return obj


# Byte-order marks, longest first (a UTF-32-LE mark starts with the UTF-16-LE one).
_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig", "UTF-8"),
    (b"\xff\xfe\x00\x00", "utf-32", "UTF-32"),
    (b"\x00\x00\xfe\xff", "utf-32", "UTF-32"),
    (b"\xff\xfe", "utf-16", "UTF-16"),
    (b"\xfe\xff", "utf-16", "UTF-16"),
)
# Non-ASCII characters that windows-1252 text in Western languages is made of.
_WESTERN_MARKS = set("\u00a0’‘“”–—…€£¥©®°«»·•¡¿§¶±×÷ºª½¼¾™")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")  # C0 controls but tab, newlines, form feed
_SURE = 0.1  # charset_normalizer coherence (language fit) above which its choice is trusted
_JUNK = 0.05  # share of control/unassigned characters above which decoded bytes are not text


def decode_bytes(data: bytes, name: str, declared: str | None = None) -> tuple[str, str]:
    """Decode bytes: a BOM, else the declared charset, else UTF-8, else a recorded guess.

    Windows-1252 is the web's fallback for undeclared pages (WHATWG Encoding), and the
    detector (charset_normalizer) alone picks cp1250, mac_latin2, big5 or even UTF-16 for short
    Western text; so windows-1252 wins for text that reads as Western unless the detector is sure
    of another language (coherence 0.1 or more, windows-1252 not as good).

    A guess (no BOM, nothing declared or the declaration wrong, not valid UTF-8) returns a
    :class:`GuessedEncoding` whose ``note`` says what was chosen and why: UTF-8 with the few
    invalid bytes replaced when the rest is UTF-8; windows-1252 for Western text (the web's own
    fallback); otherwise charset_normalizer's pick.

    Returns:
        (text, encoding).

    Raises:
        InputError: the bytes are not text in any encoding (code ``undecodable``), or a BOM
            promises an encoding the bytes break.
    """
    for bom, enc, label in _BOMS:
        if data.startswith(bom):
            try:
                return _checked(data.decode(enc), name), enc
            except UnicodeDecodeError as err:
                raise InputError(
                    f"{name}: starts with a {label} byte-order mark but is not valid {label} "
                    f"(byte {err.start:,}: {err.reason}); save the article as UTF-8 text or HTML",
                    code="undecodable",
                ) from err
    wrong = ""
    if declared:
        try:
            return _checked(data.decode(declared), name), declared
        except (LookupError, UnicodeDecodeError):
            wrong = f"the declared charset {declared!r} does not decode it, so "
    try:
        return _checked(data.decode("utf-8"), name), "utf-8"
    except UnicodeDecodeError:
        pass
    text, encoding, why = _guess(data, name)
    note = (
        f"{name}: {wrong}the encoding was guessed as {encoding} ({why}); if accented letters or "
        "quotes look wrong, save the input as UTF-8 (or declare its charset) and try again"
    )
    return _checked(text, name), GuessedEncoding(encoding, note)


def _guess(data: bytes, name: str) -> tuple[str, str, str]:
    """(text, encoding, why) for bytes that are not UTF-8 and declare nothing usable."""
    mostly_utf8 = data.decode("utf-8", errors="replace")
    bad = mostly_utf8.count("\ufffd") - data.count("\ufffd".encode())
    multibyte = len(_NON_ASCII.findall(mostly_utf8)) - bad
    if multibyte > bad:
        return mostly_utf8, "utf-8", f"UTF-8 with {bad:,} invalid byte(s) replaced by U+FFFD"
    from charset_normalizer import from_bytes

    results = from_bytes(data)
    best = results.best()
    western = _western(data)
    if best is not None and best.encoding and best.coherence >= _SURE:
        cp1252_ties = any(
            m.encoding == "cp1252" and m.coherence >= best.coherence - 0.01 for m in results
        )
        if western is None or not cp1252_ties:
            return str(best), best.encoding, f"detected: {best.language or 'language unknown'}"
    if western is not None:
        return western, "cp1252", "Western text, the web's default for undeclared pages"
    if best is None or best.encoding is None:
        raise InputError(
            f"{name}: the bytes could not be decoded as text in any known encoding; "
            "save the page as UTF-8 text or HTML and try again",
            code="undecodable",
        )
    return str(best), best.encoding, "detected; an uncertain guess"


def _western(data: bytes) -> str | None:
    """``data`` as windows-1252 when it reads as Western text (few, letter-like non-ASCII
    characters), else None."""
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    sample = text[:1_000_000]
    letters = sum(map(str.isalpha, sample))
    high = _NON_ASCII.findall(sample)
    high_letters = sum(map(str.isalpha, high))
    odd = len(high) - high_letters - sum(ch in _WESTERN_MARKS for ch in high)
    if odd > max(1, len(high) // 10) or high_letters > 0.3 * max(letters, 1):
        return None
    return text


def _checked(text: str, name: str) -> str:
    """``text``, unless it is mostly control or unassigned characters (decoded junk)."""
    sample = text[:100_000]
    if not sample:
        return text
    junk = len(_CONTROL.findall(sample)) + sum(
        1 for ch in _NON_ASCII.findall(sample) if unicodedata.category(ch) in ("Cn", "Co", "Cs")
    )
    if junk > _JUNK * len(sample):
        raise InputError(
            f"{name}: decodes to {junk:,} control or unassigned characters in "
            f"{len(sample):,}: binary data, not text; save the article as HTML or plain text",
            code="binary",
        )
    return text


def _check_bytes(data: bytes, name: str, max_bytes: int) -> None:
    """Refuse input over ``max_bytes``, empty input (a byte-order mark and whitespace, in any
    of the encodings a mark names, count as empty) and binary formats, before decoding."""
    if len(data) > max_bytes:
        raise InputError(
            f"{name}: the input is {len(data):,} bytes, over the {max_bytes:,}-byte limit; "
            "split it, or use `newsift ingest` for corpora",
            code="too_large",
        )
    body = next((data[len(bom) :] for bom, _, _ in _BOMS if data.startswith(bom)), data)
    if not body.strip(b" \t\r\n\x0b\x0c\x00"):
        raise ExtractionError(
            f"{name}: the input is empty; give a file with an article in it", code="empty"
        )
    what = binary_kind(data)
    if what:
        raise InputError(
            f"{name}: this is {what}, not HTML or text; save the article as HTML or plain text",
            code="binary",
        )


_SPECIAL_KINDS = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def _too_large(name: str, max_bytes: int, what: str = "input") -> InputError:
    return InputError(
        f"{name}: the {what} is over the {max_bytes:,}-byte limit; "
        "split it, or use `newsift ingest` for corpora",
        code="too_large",
    )


def _read_capped(stream: BinaryIO, name: str, max_bytes: int, what: str) -> bytes:
    """Read ``stream`` to its end, counting bytes; stop with ``too_large`` past ``max_bytes``."""
    chunks: list[bytes] = []
    total = 0
    while True:
        chunk = stream.read(min(1 << 16, max_bytes + 1 - total))
        if not chunk:
            return b"".join(chunks)
        total += len(chunk)
        if total > max_bytes:
            raise _too_large(name, max_bytes, what)
        chunks.append(chunk)


def read_file(path: str, max_bytes: int) -> RawInput:
    """Read one regular file, at most ``max_bytes`` of it.

    Special files (named pipes, devices such as ``/dev/zero``, sockets) are refused: they have no
    size to check and may never end. Save their content to a file, or pipe it on stdin (``-``).
    """
    p = Path(path)
    if not p.exists():
        raise InputError(
            f"{path}: no such file; check the path (or give an http(s) URL)", code="not_found"
        )
    if p.is_dir():
        raise InputError(
            f"{path}: is a directory; give one article file, or use `newsift ingest {path}` for a folder",
            code="is_directory",
        )
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer; the type is checked on the open
        # descriptor, so the file cannot be swapped between the check and the read.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as f:
            mode = os.fstat(f.fileno()).st_mode
            for is_kind, what in _SPECIAL_KINDS:
                if is_kind(mode):
                    raise InputError(
                        f"{path}: is {what}, not a regular file, and is not read (it may never "
                        "end); save the content to a file and give that, or pipe it on stdin: "
                        f"`... | newsift analyze -`",
                        code="special_file",
                    )
            size = os.fstat(f.fileno()).st_size
            if size > max_bytes:
                raise InputError(
                    f"{path}: the file is {size:,} bytes, over the {max_bytes:,}-byte limit; "
                    "split it, or use `newsift ingest` for corpora",
                    code="too_large",
                )
            data = _read_capped(f, path, max_bytes, "file")  # /proc files say 0 bytes, and grow
    except PermissionError as err:
        raise InputError(
            f"{path}: permission denied; check the file's permissions", code="unreadable"
        ) from err
    except OSError as err:
        raise InputError(
            f"{path}: could not be read ({err.strerror}); check the file", code="unreadable"
        ) from err
    _check_bytes(data, path, max_bytes)
    text, encoding = decode_bytes(data, path)
    return RawInput(
        text=text, name=path, kind="file", is_html=looks_like_html(text), encoding=encoding
    )


def read_stdin(max_bytes: int, stream: BinaryIO | None = None) -> RawInput:
    """Read stdin (or ``stream``) to its end, counting bytes; over ``max_bytes`` is refused."""
    source = stream if stream is not None else getattr(sys.stdin, "buffer", None)
    if source is None:
        raise InputError("<stdin>: there is no standard input to read; give a file or a URL")
    data = _read_capped(source, "<stdin>", max_bytes, "input on stdin")
    _check_bytes(data, "<stdin>", max_bytes)
    text, encoding = decode_bytes(data, "<stdin>")
    return RawInput(
        text=text, name="<stdin>", kind="stdin", is_html=looks_like_html(text), encoding=encoding
    )


def check_url(url: str, *, allow_private: bool, resolver: Resolver | None = None) -> None:
    """Refuse non-http(s) schemes, URLs without a host and, unless ``allow_private``, hosts that
    are not public internet addresses (:func:`newsift.ingest.fetch.is_public_address`).

    :func:`fetch_url` checks every hop the same way, and connects only to the checked address.
    """
    from .fetch import check_url_target  # httpx loads only when a URL is involved

    check_url_target(url, allow_private=allow_private, resolver=resolver)


def fetch_url(url: str, options: Options, client: Any = None) -> RawInput:
    """Fetch an http(s) URL: every hop checked and pinned, one deadline, a size cap and a
    content-type check (:mod:`newsift.ingest.fetch`).

    Args:
        url: the http(s) URL.
        options: ``timeout`` (the whole fetch), ``max_redirects``, ``max_bytes``,
            ``allow_private_urls``.
        client: a :class:`~newsift.ingest.fetch.Fetcher` (a fake resolver or network backend), or
            an ``httpx.Client`` that sends every hop (tests pass one with a mock transport).
    """
    from .fetch import Fetcher  # httpx loads only when a URL is involved

    fetcher = client if isinstance(client, Fetcher) else Fetcher(client=client)

    def accept(url: str, ctype: str) -> None:
        if ctype and not ctype.startswith(_HTML_CONTENT_TYPES + _TEXT_CONTENT_TYPES):
            raise FetchError(
                f"{url}: the server sent {ctype}, not an HTML page or text; give the article's web page",
                code="bad_content_type",
            )

    fetched = fetcher.fetch(
        url,
        timeout=options.timeout,
        max_redirects=options.max_redirects,
        max_bytes=options.max_bytes,
        allow_private=options.allow_private_urls,
        accept=accept,
    )
    _check_bytes(fetched.data, url, options.max_bytes)
    text, encoding = decode_bytes(fetched.data, url, fetched.charset)
    ctype = fetched.content_type
    is_html = ctype.startswith(_HTML_CONTENT_TYPES) if ctype else looks_like_html(text)
    return RawInput(
        text=text,
        name=url,
        kind="url",
        is_html=is_html or looks_like_html(text),
        encoding=encoding,
        url=fetched.url,
    )


def read_source(source: str, *, options: Options, client: Any = None) -> RawInput:
    """Read a path, ``-`` (stdin) or an URL into a :class:`RawInput`."""
    if source == "-":
        return read_stdin(options.max_bytes)
    scheme = urlsplit(source).scheme.lower()
    if scheme in ("http", "https"):
        return fetch_url(source, options, client)
    if scheme and len(scheme) > 1 and "://" in source:
        raise FetchError(
            f"{source}: the scheme {scheme!r} is not supported; give an http(s) URL, a file path or -",
            code="bad_scheme",
        )
    return read_file(source, options.max_bytes)
