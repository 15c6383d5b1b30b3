"""Map clean-text paragraphs back to character offsets in the HTML source.

trafilatura returns text, not positions. To point from a clean-text offset back into the page (for
highlighting, or for an analyst checking a quote against the original), the page's text is laid
out once as a stream of visible characters, each with the source offset it came from: tags,
comments, ``<script>``/``<style>`` are skipped, entities decoded (``&amp;`` becomes ``&`` at the
ampersand's position) and whitespace runs collapsed to one space. Each paragraph is found in that
stream (whole, or word by word when trafilatura changed it), and every run of characters whose
source positions are consecutive and identical becomes one :class:`~newsift.article.OffsetMap`
segment. A clean-text offset that maps gives the exact source character; text the extractor made
up itself (paragraph joins, normalised characters) maps to nothing.
"""

from __future__ import annotations

import html as html_lib
import re
from array import array
from collections.abc import Iterator

from ..article import OffsetMap

# Elements whose content is not visible text: skipped whole, up to their closing tag.
SKIPPED = ("script", "style", "noscript", "template", "textarea")
_TAG = re.compile(r"<(!--|!\[CDATA\[|/?[A-Za-z][A-Za-z0-9:-]*)?[^>]*>")
_ENDS = {name: re.compile(rf"</{name}\s*>", re.I) for name in SKIPPED}
_ENDS.update({"!--": re.compile("-->"), "![CDATA[": re.compile(r"\]\]>")})
_ENTITY = re.compile(r"&(?:#\d+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);?")
_RUN = re.compile(r"\s+|\S+")
_WORDS = re.compile(r"\S+")


class SourceText:
    """The visible text of an HTML page with a source offset for every character.

    ``text[i]`` came from ``source[pos[i]]`` (entities decode to the position of their ``&``;
    a collapsed whitespace run to the position of its first character).
    """

    def __init__(self, source: str) -> None:
        raw_chars: list[str] = []
        raw_pos = array("l")
        body = re.search(r"<body\b", source, re.I)
        start = body.start() if body else 0
        for a, b in _text_runs(source, start):
            _append_run(source, a, b, raw_chars, raw_pos)
        self._collapse("".join(raw_chars), raw_pos)

    def _collapse(self, stream: str, pos: array) -> None:
        out: list[str] = []
        out_pos = array("l")
        for m in _RUN.finditer(stream):
            if m.group(0)[0].isspace():
                out.append(" ")
                out_pos.append(pos[m.start()])
            else:
                out.append(m.group(0))
                out_pos.extend(pos[m.start() : m.end()])
        self.text = "".join(out)
        self.pos = out_pos


def markup(source: str, start: int = 0) -> Iterator[tuple[int, int, str]]:
    """``(start, end, name)`` of each piece of markup after ``start``, in document order.

    A tag runs from ``<`` to the next ``>``; ``name`` is its lower-cased element name, with a
    leading ``/`` for an end tag, ``""`` for anything else (doctype, stray ``<``). A comment,
    CDATA section or :data:`SKIPPED` element comes as one piece up to its end (``!--``,
    ``![CDATA[`` or the element's name); one that is never closed is an ordinary tag. Linear in
    the length of ``source`` whatever it holds: an end that was not found once is not searched
    for again.
    """
    missing: set[str] = set()
    skip_to = start
    # No tag ends after the last ">": bounding the scan there keeps the regex linear.
    for m in _TAG.finditer(source, start, source.rfind(">") + 1):
        lt = m.start()
        if lt < skip_to:
            continue  # inside a comment or skipped element (a match never crosses its end)
        name = m.group(1) or ""
        if name[:1] != "!":
            name = name.lower()
        end = m.end()
        if name in _ENDS and name not in missing:
            after = lt + 1 + len(name) if name[:1] == "!" else end
            found = _ENDS[name].search(source, after)
            if found:
                end = found.end()
            else:
                missing.add(name)
        yield lt, end, name
        skip_to = end


def _text_runs(source: str, start: int) -> list[tuple[int, int]]:
    """``(start, end)`` of each stretch of text between tags, after ``start``."""
    runs: list[tuple[int, int]] = []
    cursor = start
    for a, b, _name in markup(source, start):
        if a > cursor:
            runs.append((cursor, a))
        cursor = b
    if cursor < len(source):
        runs.append((cursor, len(source)))
    return runs


def _append_run(source: str, a: int, b: int, chars: list[str], pos: array) -> None:
    run = source[a:b]
    if "&" not in run:
        chars.append(run)
        pos.extend(range(a, b))
        return
    last = 0
    for m in _ENTITY.finditer(run):
        chars.append(run[last : m.start()])
        pos.extend(range(a + last, a + m.start()))
        decoded = html_lib.unescape(m.group(0))
        chars.append(decoded)
        pos.extend([a + m.start()] * len(decoded))
        last = m.end()
    chars.append(run[last:])
    pos.extend(range(a + last, b))


def _segments(
    source: str, st: SourceText, at: int, clean_start: int, text: str, offsets: OffsetMap
) -> None:
    """Add segments for ``text`` found at stream index ``at`` (clean offset ``clean_start``)."""
    run_clean = run_src = -1  # -1: no run open
    length = 0
    for i, ch in enumerate(text):
        src = st.pos[at + i]
        exact = src < len(source) and source[src] == ch
        if exact and run_src >= 0 and src == run_src + length:
            length += 1
            continue
        if run_src >= 0:
            offsets.add(run_clean, run_src, length)
        run_clean, run_src, length = (clean_start + i, src, 1) if exact else (-1, -1, 0)
    if run_src >= 0:
        offsets.add(run_clean, run_src, length)


def map_paragraphs(source: str, paragraphs: list[str], sep: str = "\n\n") -> OffsetMap:
    """Segments mapping ``sep.join(paragraphs)`` back into ``source`` wherever it can be found."""
    st = SourceText(source)
    offsets = OffsetMap()
    cursor = 0
    clean = 0
    for para in paragraphs:
        cursor = _map_paragraph(source, st, para, clean, cursor, offsets)
        clean += len(para) + len(sep)
    return offsets


def _map_paragraph(
    source: str, st: SourceText, para: str, clean: int, cursor: int, offsets: OffsetMap
) -> int:
    """Map one paragraph; returns the stream cursor after it."""
    skip = 2 if para[:2] in {"- ", "* "} else 0  # trafilatura's list-item marker
    body = para[skip:]
    at = st.text.find(body, cursor)
    if at < 0 and len(body) >= 20:
        at = st.text.find(body)  # out of document order (trafilatura's fallbacks reorder)
    if at >= 0:
        _segments(source, st, at, clean + skip, body, offsets)
        return max(cursor, at + len(body))
    return _map_chunks(source, st, para, clean, cursor, offsets)


def _map_chunks(
    source: str,
    st: SourceText,
    para: str,
    clean: int,
    cursor: int,
    offsets: OffsetMap,
    size: int = 6,
) -> int:
    """Map a paragraph trafilatura changed (spacing, joined cells) in chunks of ``size`` words.

    Chunks shorter than 12 characters are not searched: short strings match anywhere.
    """
    words = list(_WORDS.finditer(para))
    for i in range(0, len(words), size):
        chunk = words[i : i + size]
        start, end = chunk[0].start(), chunk[-1].end()
        piece = para[start:end]
        if len(piece) < 12:
            continue
        at = st.text.find(piece, cursor, cursor + 4 * len(para) + 2000)
        if at < 0:
            continue
        _segments(source, st, at, clean + start, piece, offsets)
        cursor = at + len(piece)
    return cursor
