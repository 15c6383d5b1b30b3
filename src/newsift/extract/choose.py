"""Pick a page's title, author and date among the candidates :mod:`.metadata` gathered.

The rules come from failure categories on the development part of WCXB (never single pages):

- Title: the visible headline (an ``<h1>``) when it agrees with what the metadata says the title
  is; otherwise ``<title>`` with the site name cut off (``"Headline | Site"``,
  ``"Site - Headline"``),
  then ``og:title``/JSON-LD ``headline``. Nav and site-name ``<h1>`` elements are skipped by that
  agreement test.
- Author: names are cleaned ("By ", "Written by:", roles, dates and "Updated ..." glued on after
  the name), then voted on across JSON-LD, ``<meta name=author>``, ``rel=author`` links, byline
  elements and trafilatura's own guess; URLs, handles and the site's own name lose.
- Date: a visible or declared publication date, parsed from ISO or written forms ("Dec 3, 2025"),
  voted on across itemprop, a date written near the headline, JSON-LD, htmldate (through
  trafilatura), ``article:published_time`` and ``<time>``.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date

from .metadata import Candidates, clean

_SEPARATORS = re.compile(r"\s+(?:\||-|–|—|•|·|::|»|/)\s+|\s*\|\s*")
_WORD = re.compile(r"\w+")


def norm(value: str | None) -> str:
    """Lower-cased word tokens joined by one space: how two strings are compared."""
    return " ".join(_WORD.findall((value or "").casefold()))


def _squash(value: str) -> str:
    return "".join(_WORD.findall(value.casefold()))


# -- site name -----------------------------------------------------------------------------------
def site_names(c: Candidates, url: str | None, extra: str | None = None) -> list[str]:
    """Names the site calls itself: ``og:site_name``, JSON-LD organisations, the domain."""
    names = [c.first_meta("og:site_name"), c.first_meta("application-name"), extra or ""]
    names += c.ld_site_names
    if url:
        host = re.sub(r"^https?://(www\d?\.)?", "", url).split("/")[0].split(":")[0]
        names.append(host)
        names.append(host.rsplit(".", 1)[0])
    return [n for n in names if n and len(n) < 80]


def _is_site_part(part: str, names: list[str]) -> bool:
    sq = _squash(part)
    if not sq:
        return True
    for name in names:
        nsq = _squash(name)
        if nsq and (
            sq == nsq
            or (len(sq) >= 3 and sq in nsq)
            or (len(nsq) >= 4 and nsq in sq and len(sq) <= len(nsq) + 12)
        ):
            return True
    return False


def strip_site(title: str, names: list[str]) -> str:
    """``title`` without a leading or trailing part that names the site."""
    parts = [p for p in _SEPARATORS.split(title) if p.strip()]
    if len(parts) < 2:
        return title.strip()
    while len(parts) > 1 and _is_site_part(parts[-1], names):
        parts.pop()
    while len(parts) > 1 and _is_site_part(parts[0], names):
        parts.pop(0)
    if len(parts) == len(_SEPARATORS.split(title)):
        return title.strip()
    # rebuild from the original string so inner punctuation survives
    first, last = parts[0], parts[-1]
    start = title.find(first)
    end = title.rfind(last) + len(last)
    return title[start:end].strip() if 0 <= start < end else " ".join(parts)


# -- title ---------------------------------------------------------------------------------------
def choose_title(c: Candidates, names: list[str], fallback: str | None = None) -> str | None:
    """The article's headline (see the module docstring for the order)."""
    declared = [
        strip_site(t, names)
        for t in (
            c.title_tag,
            c.first_meta("og:title"),
            c.first_meta("twitter:title"),
            *c.ld_headlines[:2],
        )
        if t
    ]
    declared_norm = {norm(t) for t in declared if norm(t)}
    for h in c.h1:
        if norm(h) in declared_norm:
            return h
    for h in c.h1:
        stripped = strip_site(h, names)
        if norm(stripped) in declared_norm:
            return stripped
    for title in declared:
        if norm(title):
            # trafilatura's title heuristics sometimes cut a site part we did not recognise
            nf, nt = norm(fallback), norm(title)
            if fallback and nf != nt and len(nf) > 10 and (nt.startswith(nf) or nt.endswith(nf)):
                return fallback
            return title
    if c.h1:
        return c.h1[0]
    return fallback or None


# -- author --------------------------------------------------------------------------------------
_BY_PREFIX = re.compile(
    r"^\s*(?:(?:written|posted|published|reviewed|edited|authored|words|story|article)\s*)?"
    r"(?:by|from|author|authors|written by)\s*[:\-]?\s*",
    re.I,
)
_MONTH_NAMES = (
    r"January|February|March|April|June|July|August|September|October|November"
    r"|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
)  # "May" is a name too
_CUT_AFTER = re.compile(
    r"(?:\s*[|•·]\s*|\s+(?i:on|updated|last updated|published|posted|reviewed|read more)\b"
    r"|\s+(?:" + _MONTH_NAMES + r")\.?$|,\s*(?:" + _MONTH_NAMES + r")\b"
    r"|(?<=[a-z])(?=(?:" + _MONTH_NAMES + r"|May|Updated|Last|Published"
    r"|Author|Head|Founder|Senior|Chief|Director|Editor|Writer|Contributor|Staff|Tech)\b)"
    r"|\s+\d{1,2}[\s/.-]|\s+(?:January|February|March|April|June|July|August|September"
    r"|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?\s+\d"
    r"|\s+May\s+\d{1,2},?\s+\d{4}"
    r"|\s+\d+\s*(?:min|m)\b|(?<=[a-z])\d).*$",
    re.S,
)
_ROLE_TAIL = re.compile(
    r"\s+(?:Author|Writer|Editor|Contributor|Founder|Reporter|Tech Reporter|Staff Writer"
    r"|Senior \w+|Head of .*|Contributing \w+)$",
    re.I,
)
_NOT_NAME = re.compile(r"https?://|www\.|@|\.com\b|\.net\b|\.org\b|^\W*$|\d{3,}|©", re.I)
_NOT_NAME_WORDS = {m.lower() for m in _MONTH_NAMES.split("|")} | {
    "may",
    "read",
    "min",
    "minutes",
    "share",
    "updated",
    "home",
    "blog",
    "news",
}
_LABELS = {
    "author",
    "authors",
    "by",
    "written by",
    "posted by",
    "contributors",
    "contributor",
    "admin",
    "staff",
    "name",
    "guest",
    "editor",
    "about the author",
}


def clean_author(value: str) -> str:
    """One author string cleaned of "By"-prefixes, glued dates and trailing roles ("" if none)."""
    text = clean(value)
    for _ in range(2):
        text = _BY_PREFIX.sub("", text)
    text = _CUT_AFTER.sub("", text).strip(" ,;:-|")
    text = _ROLE_TAIL.sub("", text).strip(" ,;:-|")
    if not text or _NOT_NAME.search(text) or norm(text) in _LABELS or norm(text) in _NOT_NAME_WORDS:
        return ""
    if len(text.split()) > 8 or len(text) > 70:
        return ""
    return text


_CONNECTORS = {
    "and",
    "&",
    "de",
    "van",
    "von",
    "der",
    "den",
    "da",
    "di",
    "la",
    "le",
    "du",
    "bin",
    "al",
    "del",
    "dos",
    "das",
    "y",
}


def looks_like_name(text: str, min_tokens: int = 2) -> bool:
    """Capitalised words (initials, particles and "and" allowed), as a byline in running text."""
    tokens = [t for t in re.split(r"[\s,]+", text) if t and t.lower() not in _CONNECTORS]
    if not min_tokens <= len(tokens) <= 8:
        return False
    return all(
        t[0].isupper() and not t.isdigit() and t.lower() not in _NOT_NAME_WORDS for t in tokens
    )


def join_authors(names: list[str]) -> str:
    """Several authors the way the ground truth writes them: "A and B", "A, B, and C"."""
    unique: list[str] = []
    for n in names:
        if n and norm(n) not in {norm(u) for u in unique}:
            unique.append(n)
    if len(unique) <= 2:
        return " and ".join(unique)
    return ", ".join(unique[:-1]) + ", and " + unique[-1]


def _trafilatura_authors(value: str | None) -> str:
    """trafilatura joins authors with "; " and splits roles off as extra "authors": keep names."""
    parts = [clean_author(p) for p in (value or "").split(";")]
    names = [p for p in parts if p and (len(p.split()) >= 2 or len(parts) == 1)]
    return join_authors(names)


def choose_author(
    c: Candidates, names: list[str], trafilatura_author: str | None = None
) -> str | None:
    """The article's author(s), by vote among the sources (JSON-LD first on ties)."""
    site = {norm(n) for n in names} | {_squash(n) for n in names}
    ld = [a for a in (clean_author(x) for x in c.ld_authors) if a]
    sources: list[list[str]] = [
        [join_authors(ld)] if ld else [],
        [
            clean_author(
                c.first_meta(
                    "author",
                    "article:author",
                    "parsely-author",
                    "dc.creator",
                    "sailthru.author",
                    "byl",
                )
            )
        ],
        [clean_author(x) for x in c.meta.get("itemprop:author", [])[:1]],
        [clean_author(x) for x in c.rel_authors[:1]],
        [a for a in (clean_author(x) for x in c.text_bylines[:2]) if looks_like_name(a)],
        [a for a in (clean_author(x) for x in c.byline_authors[:4]) if looks_like_name(a, 1)],
        [_trafilatura_authors(trafilatura_author)],
    ]
    votes: Counter[str] = Counter()
    first_seen: dict[str, tuple[int, str]] = {}
    for rank, cands in enumerate(sources):
        for name in dict.fromkeys(a for a in cands if a):
            key = norm(name)
            votes[key] += 1
            first_seen.setdefault(key, (rank, name))
    if not votes:
        return None

    def score(k: str) -> tuple[int, bool, int]:  # the site's own name loses to a person's
        return votes[k], not (k in site or k.replace(" ", "") in site), -first_seen[k][0]

    best = max(votes, key=score)
    return first_seen[best][1]


# -- date ----------------------------------------------------------------------------------------
_MONTHS = {
    m: i + 1
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    )
}
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_MDY = re.compile(r"([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})")
_DMY = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]{3,9})\.?,?\s+(\d{4})")
_SLASH = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


def parse_date(value: str | None) -> str | None:
    """An ISO ``YYYY-MM-DD`` from ISO, "Dec 3, 2025", "3 December 2025" or "12/3/2025" (M/D),
    else from the forms of ru, uk, de, fr, es and pl (:mod:`newsift.extract.dates`)."""
    text = clean(value)
    if not text:
        return None
    found: tuple[int, int, int] | None = None
    if m := _ISO.search(text):
        found = (int(m[1]), int(m[2]), int(m[3]))
    elif (m := _MDY.search(text)) and m[1][:3].lower() in _MONTHS:
        found = (int(m[3]), _MONTHS[m[1][:3].lower()], int(m[2]))
    elif (m := _DMY.search(text)) and m[2][:3].lower() in _MONTHS:
        found = (int(m[3]), _MONTHS[m[2][:3].lower()], int(m[1]))
    elif m := _SLASH.search(text):
        found = (int(m[3]), int(m[1]), int(m[2]))
    if not found:
        from .dates import parse_written_date

        return parse_written_date(text)  # ru, uk, de, fr, es, pl forms (issue 24)
    try:
        return date(*found).isoformat()
    except ValueError:
        return None


def choose_date(c: Candidates, htmldate_date: str | None = None) -> str | None:
    """The publication date by vote; ties go to what a reader sees (itemprop, then a date written
    near the headline), then what the page declares (JSON-LD), then htmldate's heuristics."""
    sources = [
        c.meta.get("itemprop:datepublished", [])[:1],
        c.visible_dates[:1],
        c.ld_dates[:1],
        [htmldate_date or ""],
        [
            c.first_meta(
                "article:published_time",
                "og:article:published_time",
                "datepublished",
                "publishdate",
                "pubdate",
                "date",
                "dc.date",
                "dc.date.issued",
                "sailthru.date",
                "parsely-pub-date",
            )
        ],
        c.time_dates[:1],
    ]
    votes: Counter[str] = Counter()
    first_rank: dict[str, int] = {}
    for rank, cands in enumerate(sources):
        for d in {p for x in cands if (p := parse_date(x)) is not None}:
            votes[d] += 1
            first_rank.setdefault(d, rank)
    if not votes:
        return None
    return max(votes, key=lambda d: (votes[d], -first_rank[d]))
