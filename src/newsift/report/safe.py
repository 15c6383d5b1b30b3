"""Text from an article made safe to print on a terminal.

An article is someone else's text. Printed raw, an escape sequence in a title or a quote can write
to the clipboard (``ESC ] 52``), rename the window (``ESC ] 0``), move the cursor and overwrite
lines (CSI), hide text or ring the bell; bidirectional overrides reorder what the reader sees
("Trojan Source"). :func:`terminal_safe` replaces each such character with one visible stand-in of
the same length in code points, so span offsets into the text stay right:

- C0 controls other than tab and newline (ESC becomes ``␛``, BEL ``␇``, CR ``␍``: the Unicode
  control pictures), and DEL (``␡``);
- C1 controls U+0080..U+009F (8-bit CSI, OSC, ST...) and the bidirectional embedding, override
  and isolate controls U+202A..U+202E, U+2066..U+2069 become ``�`` (U+FFFD).

The left-to-right and right-to-left marks (U+200E, U+200F, U+061C) are kept: Arabic and Hebrew
text uses them and they cannot reorder a line on their own.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from ..article import Article, Problem, Span

UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_MAX_DEPTH = 64


def _stand_in(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    if code < 0x20:
        return chr(0x2400 + code)
    if code == 0x7F:
        return "\u2421"
    return "\ufffd"


def terminal_safe(value: str) -> str:
    """``value`` with every terminal control character replaced by a visible stand-in.

    The result has the same length as ``value``, so offsets into it stay valid.
    """
    return UNSAFE.sub(_stand_in, value) if UNSAFE.search(value) else value


def safe_data(value: Any, depth: int = 0) -> Any:
    """A copy of JSON-like ``value`` (dicts, lists, strings) with every string made safe.

    Structures nested deeper than 64 levels are cut (None): no report shows them.
    """
    if isinstance(value, str):
        return terminal_safe(value)
    if depth > _MAX_DEPTH:
        return None
    if isinstance(value, dict):
        return {safe_data(k, depth + 1): safe_data(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(safe_data(v, depth + 1) for v in value)
    return value


def _safe_span(span: Any) -> Any:
    if not isinstance(span, Span):
        return span
    return Span(
        span.start,
        span.end,
        terminal_safe(span.label) if isinstance(span.label, str) else span.label,
        span.score,
        terminal_safe(span.stage) if isinstance(span.stage, str) else span.stage,
        safe_data(span.attrs) if isinstance(span.attrs, dict) else span.attrs,
    )


def _safe_problem(problem: Any) -> Any:
    if not isinstance(problem, Problem):
        return safe_data(problem)
    return Problem(*(terminal_safe(str(v)) for v in (problem.stage, problem.code, problem.message)))


def safe_article(article: Article) -> Article:
    """A shallow copy of ``article`` whose every user-visible string is :func:`terminal_safe`.

    The text keeps its length, so spans and layer offsets still point at the same characters.
    """
    out = copy.copy(article)
    for name in ("text", "title", "author", "date", "url", "language", "id"):
        value = getattr(article, name, None)
        if isinstance(value, str):
            setattr(out, name, terminal_safe(value))
    out.outlet = safe_data(article.outlet)
    out.source = safe_data(article.source)
    out.layers = safe_data(article.layers)
    spans = article.spans if isinstance(article.spans, dict) else {}
    out.spans = {
        terminal_safe(str(k)): [_safe_span(s) for s in v] if isinstance(v, list) else v
        for k, v in spans.items()
    }
    problems = article.problems if isinstance(article.problems, list) else []
    out.problems = [_safe_problem(p) for p in problems]
    return out
