"""Plain text pasted from a web page: headline, body, and web boilerplate removed.

Text copied from a browser carries the page's furniture: share/view counters ("4 6,157"), ad
markers ("- Advertisement -"), newsletter and subscribe blocks, "read more" and related links,
cookie notices, social buttons. Each line is classified; kept lines become the clean body (joined
by blank lines) with an offset map back to the input, and removed lines are listed with the reason,
so the evidence for every removal is there to inspect.
"""

from __future__ import annotations

import re
import unicodedata

from ..article import Article, OffsetMap
from ..lang import count_words
from .cues import OTHER_LANGUAGE_RULES

# Each rule: (reason, compiled pattern matched against the stripped line).
_RULES: list[tuple[str, re.Pattern[str]]] = [
    # Share/view/comment counters: lines of numbers and separators only ("4 6,157", "1.2K | 34").
    ("counter", re.compile(r"^[\d\s.,:|·•/kKmM+\-–—]+$")),
    (
        "counter",
        re.compile(
            r"^(?:[\d.,]+[kKmM]?\s*)?(?:shares?|views?|comments?|likes?|reads?|reactions?|retweets?)"
            r"(?:\s*[\d.,]+[kKmM]?)?$",
            re.I,
        ),
    ),
    (
        "ad",
        re.compile(
            r"^[-–—_*\s\[(]*(?:advertisement|advertising|advert|ads?|sponsored(?: content| links?)?|"
            r"promoted(?: content)?|paid (?:content|post)|story continues below(?: advertisement)?|"
            r"continue reading below|ad feedback|report this ad|skip ad)[-–—_*\s\])]*$",
            re.I,
        ),
    ),
    (
        "newsletter",
        re.compile(
            r"(?:subscribe (?:to|now|today|for)|sign up (?:here|now|for|to)|newsletter|"
            r"delivered (?:directly )?to your inbox|real[- ]time updates|get (?:the|our) latest|"
            r"enter your e-?mail|join (?:our|the) mailing list|push notifications)",
            re.I,
        ),
    ),
    (
        "related",
        re.compile(
            r"^(?:read more|read also|also read|related(?: articles?| stories| posts?| content)?|"
            r"see also|more from|more on this|recommended(?: for you)?|you (?:may|might) also like|"
            r"trending(?: now)?|most (?:read|popular)|what to read next|click here)\b",
            re.I,
        ),
    ),
    ("cookie", re.compile(r"\b(?:cookies?|cookie policy|accept all|privacy settings)\b", re.I)),
    (
        "social",
        re.compile(
            r"^(?:share(?: this(?: article| story| post| page)?| on \w+| via \w+)?|tweet|pin it|email|print|whatsapp|telegram|"
            r"facebook|twitter|linkedin|reddit|copy link|follow us(?: on .*)?|like us on .*|"
            r"click to (?:share|print|email).*)[:!.]?$",
            re.I,
        ),
    ),
    ("copyright", re.compile(r"^(?:©|\(c\)|copyright\b).{0,120}$|all rights reserved", re.I)),
    ("tags", re.compile(r"^(?:tags?|filed under|categories|topics?)\s*:", re.I)),
]

# A line longer than this is article prose even if a rule word appears in it (a body sentence may
# mention a newsletter or cookies); boilerplate lines are short.
_MAX_BOILERPLATE_WORDS = {"newsletter": 30, "cookie": 40, "copyright": 25, "related": 20}
# The same reasons in ru, uk, de, fr, es and pl (extract/cues.py), tried after the English ones.
_RULES = _RULES + OTHER_LANGUAGE_RULES
_HEADLINE_MAX_WORDS = 30


def classify_line(line: str) -> str | None:
    """The boilerplate reason for one stripped line, or None when it is article text."""
    s = unicodedata.normalize("NFKC", line).strip()
    if not s:
        return None
    words = count_words(s)
    for reason, pattern in _RULES:
        if pattern.search(s):
            limit = _MAX_BOILERPLATE_WORDS.get(reason, 12)
            if words <= limit:
                return reason
    return None


def _lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of each line's stripped content; empty lines give (pos, pos)."""
    out = []
    for m in re.finditer(r"[^\n]*", text):
        if m.start() > 0 and m.start() == m.end() and text[m.start() - 1 : m.start()] != "\n":
            continue
        raw = m.group(0)
        lead = len(raw) - len(raw.lstrip())
        stripped = raw.strip()
        start = m.start() + lead
        out.append((start, start + len(stripped)))
    return out


def _is_headline(line: str, rest_words: int) -> bool:
    words = count_words(line)
    return 0 < words <= _HEADLINE_MAX_WORDS and rest_words > words and not line.endswith((":", ","))


def extract_text(text: str, *, name: str = "<text>") -> Article:
    """Split pasted text into headline and clean body, dropping web boilerplate.

    Returns:
        An :class:`Article` whose ``text`` is the clean body, ``title`` the headline (first
        non-boilerplate line when it looks like one), with ``offsets`` mapping back into ``text``
        as given and ``layers["extraction"]["removed"]`` listing what was dropped and why.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = [(s, e) for s, e in _lines(text) if e > s]
    removed: list[dict[str, object]] = []
    kept: list[tuple[int, int]] = []
    for s, e in lines:
        reason = classify_line(text[s:e])
        if reason:
            removed.append(
                {"text": text[s:e], "source_start": s, "source_end": e, "reason": reason}
            )
        else:
            kept.append((s, e))

    title = None
    if len(kept) > 1:
        first_s, first_e = kept[0]
        rest_words = sum(count_words(text[s:e]) for s, e in kept[1:])
        first = text[first_s:first_e]
        # A headline is a short first line with no sentence-final full stop, or a short line
        # standing alone above the body.
        if _is_headline(first, rest_words) and not re.search(r"[.!?][\"'”’)]*$", first):
            title = first.strip("#* ").strip()
            kept = kept[1:]

    offsets = OffsetMap()
    parts: list[str] = []
    pos = 0
    for s, e in kept:
        if parts:
            parts.append("\n\n")
            pos += 2
        offsets.add(pos, s, e - s)
        parts.append(text[s:e])
        pos += e - s
    article = Article(text="".join(parts), title=title, offsets=offsets)
    article.layers["extraction"] = {"method": "text", "removed": removed}
    return article
