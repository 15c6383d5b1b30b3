"""A cheap, bounded extractor for pages too complex for the full one.

trafilatura builds and walks an lxml tree several times per page; its time grows faster than the
page (a 4.8 MB page of 600,000 tags held a worker for 94 s), and libxml2 cannot build a tree
nested more than 2,048 levels deep at all. :func:`extract_stripped` reads such a page in one
linear pass over its markup (:func:`newsift.extract.offsets.markup`): the visible text of the
body, cut into paragraphs at block elements, without ``<nav>``, ``<aside>``, ``<footer>``,
``<form>``, scripts and styles, lines of web boilerplate dropped
(:func:`newsift.extract.text.classify_line`) and paragraphs under :data:`MIN_PARAGRAPH_WORDS`
words left out as menus and captions. Title, author and date come from the page's ``<head>``
metadata as usual. The article carries the problem ``extract/too_complex`` saying why it was
read this way: the body may keep some boilerplate the full extractor would have removed.
"""

from __future__ import annotations

import html as html_lib
import re
from collections.abc import Iterator

from ..article import Article, OffsetMap
from ..lang import count_words
from . import choose, metadata
from .offsets import map_paragraphs, markup
from .text import classify_line

MIN_PARAGRAPH_WORDS = 4
# Elements that end a paragraph (their start and end tags both break the text).
_BLOCKS = frozenset(
    "address article aside blockquote br dd details dialog div dl dt fieldset figcaption figure "
    "footer form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section summary table tbody "
    "td tfoot th thead tr ul title body html".split()
)
# Elements whose whole content is page furniture, not the article.
_FURNITURE = ("nav", "aside", "footer", "form", "select", "button", "svg")
_FURNITURE_END = {name: re.compile(rf"</{name}\s*>", re.I) for name in _FURNITURE}
_BODY = re.compile(r"<body\b", re.I)
_H1 = re.compile(r"<h1\b", re.I)
_H1_END = re.compile(r"</h1\s*>", re.I)


def _paragraphs(html: str, start: int) -> Iterator[str]:
    """The visible paragraphs of ``html`` after ``start``, whitespace collapsed."""
    parts: list[str] = []
    cursor = start
    skip_to = -1
    missing: set[str] = set()
    for a, b, name in markup(html, start):
        if a < skip_to:
            continue
        if a > cursor:
            parts.append(html[cursor:a])
        cursor = max(cursor, b)
        if name in _FURNITURE_END and name not in missing:
            end = _FURNITURE_END[name].search(html, b)
            if end:
                skip_to = cursor = end.end()
            else:
                missing.add(name)  # never closed: keep its text rather than drop the page
        if name.lstrip("/") in _BLOCKS or name in _FURNITURE_END:
            if parts:
                yield " ".join(html_lib.unescape("".join(parts)).split())
                parts = []
    if cursor < len(html):
        parts.append(html[cursor:])
    if parts:
        yield " ".join(html_lib.unescape("".join(parts)).split())


def _first_h1(html: str, start: int) -> str:
    """The text of the first ``<h1>`` after ``start`` (when it closes within 2,000 chars)."""
    m = _H1.search(html, start)
    gt = html.find(">", m.end(), m.end() + 2000) if m else -1
    end = _H1_END.search(html, gt, gt + 2000) if gt >= 0 else None
    if end is None:
        return ""
    inner = re.sub(r"<[^<>]*>", " ", html[gt + 1 : end.start()])
    return " ".join(html_lib.unescape(inner).split())


def extract_stripped(html: str, *, url: str | None, name: str, why: str) -> Article:
    """The article in ``html`` read by the cheap extractor (see the module docstring).

    Args:
        html: the page.
        url: the page's address when known.
        name: how to name the input in messages.
        why: why the full extractor was not used (goes into the ``too_complex`` problem).

    Returns:
        An :class:`Article` with offsets back into ``html`` and the problem
        ``extract/too_complex``; its text may be empty (the caller refuses empty articles).
    """
    body = _BODY.search(html)
    start = body.start() if body else 0
    paragraphs = [
        p
        for p in _paragraphs(html, start)
        if count_words(p) >= MIN_PARAGRAPH_WORDS and not classify_line(p)
    ]
    text = "\n\n".join(paragraphs)
    cands = metadata.collect(metadata.parse(html[:start])) if start else metadata.Candidates()
    names = choose.site_names(cands, url)
    h1 = _first_h1(html, start)
    cands.h1 = [h1] if h1 else []  # the head-only tree has none; the title rules weigh it
    title = choose.choose_title(cands, names)
    if h1 and title and h1 != title and h1 in title:
        title = h1  # "Headline | Site" with a site name the page does not declare
    article = Article(
        text=text,
        title=title,
        author=choose.choose_author(cands, names),
        date=choose.choose_date(cands),
        url=url,
        offsets=map_paragraphs(html, paragraphs) if paragraphs else OffsetMap(),
    )
    site_name = cands.first_meta("og:site_name") or (
        cands.ld_site_names[0] if cands.ld_site_names else None
    )
    article.source = {"site_name": site_name} if site_name else {}
    mapped = sum(length for _, _, length in article.offsets.segments)
    article.layers["extraction"] = {
        "method": "html",
        "extractor": "newsift tag stripper (page too complex for trafilatura)",
        "body_mode": "stripped",
        "removed": [],
        "paragraphs": len(paragraphs),
        "mapped_share": round(mapped / len(text), 4) if text else 0.0,
    }
    article.add_problem(
        "extract",
        "too_complex",
        f"{name}: {why}; its text was read by a simple tag stripper instead, which may keep "
        "some menus or other page text around the article",
    )
    return article
