"""Title, author, date and site name from an HTML page's own metadata.

trafilatura's metadata is the weak part of its output (on WCXB: title 54 %, author 66 %, date
85 % exact). Pages mostly state these fields explicitly, in several places that disagree in
predictable ways: ``<title>`` carries a site-name suffix, ``og:title`` sometimes too, JSON-LD
``headline`` and the article's ``<h1>`` usually not; authors come as JSON-LD objects, meta tags,
``rel=author`` links or "By ..." bylines. This module gathers every candidate once
(:class:`Candidates`) and :mod:`newsift.extract.choose` picks among them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal, overload

from lxml import html as lxml_html

ARTICLE_TYPES = {
    "article",
    "newsarticle",
    "blogposting",
    "reportage",
    "analysisnewsarticle",
    "opinionnewsarticle",
    "reviewnewsarticle",
    "backgroundnewsarticle",
    "techarticle",
    "scholarlyarticle",
    "report",
    "posting",
    "socialmediaposting",
    "liveblogposting",
    "medicalwebpage",
    "howto",
    "recipe",
    "review",
    "creativework",
    "webpage",
    "itempage",
    "aboutpage",
    "qapage",
    "faqpage",
}
# Strongest first: a JSON-LD object of these types is the page's own article.
_TYPE_RANK = [
    "newsarticle",
    "article",
    "blogposting",
    "reportage",
    "analysisnewsarticle",
    "opinionnewsarticle",
    "techarticle",
    "scholarlyarticle",
    "liveblogposting",
    "posting",
    "socialmediaposting",
    "report",
    "review",
    "howto",
    "recipe",
    "medicalwebpage",
    "creativework",
    "qapage",
    "faqpage",
    "itempage",
    "aboutpage",
    "webpage",
]

_WS = re.compile(r"\s+")
_BYLINE_CLASS = re.compile(
    r"(?:^|[\s_-])(?:author|byline|writer|contributor|posted-by|entry-author)", re.I
)


# No title, byline or date runs longer; a longer value is cut, so a page cannot make the
# metadata rules (regular expressions over each candidate) work on megabytes.
MAX_FIELD_CHARS = 1_000


def clean(value: Any) -> str:
    """A metadata string with whitespace collapsed, at most :data:`MAX_FIELD_CHARS` long
    ("" for anything that is not text)."""
    if not isinstance(value, str):
        return ""
    return _WS.sub(" ", value[: 4 * MAX_FIELD_CHARS]).strip()[:MAX_FIELD_CHARS]


@dataclass
class Candidates:
    """Every place a page states its title, author, date and site name."""

    title_tag: str = ""
    h1: list[str] = field(default_factory=list)
    meta: dict[str, list[str]] = field(default_factory=dict)
    ld_articles: list[dict[str, Any]] = field(default_factory=list)
    ld_site_names: list[str] = field(default_factory=list)
    ld_authors: list[str] = field(default_factory=list)
    ld_dates: list[str] = field(default_factory=list)
    ld_headlines: list[str] = field(default_factory=list)
    byline_authors: list[str] = field(default_factory=list)
    rel_authors: list[str] = field(default_factory=list)
    text_bylines: list[str] = field(default_factory=list)
    time_dates: list[str] = field(default_factory=list)
    visible_dates: list[str] = field(default_factory=list)

    def first_meta(self, *keys: str) -> str:
        for key in keys:
            for value in self.meta.get(key, []):
                if value:
                    return value
        return ""


def without_xml_declaration(html: str) -> str:
    """``html`` without a leading ``<?xml ...?>`` (lxml refuses str with an encoding decl)."""
    return re.sub(r"^\s*<\?xml[^>]{0,500}\?>", "", html)


@overload
def parse(html: str) -> Any: ...
@overload
def parse(html: str, *, huge: Literal[True]) -> tuple[Any, bool]: ...


def parse(html: str, *, huge: bool = False) -> Any:
    """An lxml tree of ``html``, or None when it cannot be parsed.

    With ``huge``, libxml2's "huge" option lifts its limits (nesting 256 levels, text nodes of
    10 MB) and the result is ``(tree, stopped)``: ``stopped`` when it still hit its depth limit
    of 2,048 and left out what was deeper.
    """
    parser = lxml_html.HTMLParser(huge_tree=True) if huge else None
    try:
        tree = lxml_html.document_fromstring(without_xml_declaration(html), parser=parser)
    except (ValueError, TypeError, lxml_html.etree.ParserError):
        tree = None
    if not huge:
        return tree
    stopped = parser is not None and any("Excessive depth" in e.message for e in parser.error_log)
    return tree, stopped


def collect(tree: Any) -> Candidates:
    """Gather the metadata candidates of a parsed page."""
    c = Candidates()
    if tree is None:
        return c
    title = tree.find(".//title")
    c.title_tag = clean(title.text_content()) if title is not None else ""
    c.h1 = [t for t in (clean(h.text_content()) for h in tree.iter("h1")) if t][:5]
    _collect_meta(tree, c)
    _collect_json_ld(tree, c)
    _collect_bylines(tree, c)
    c.visible_dates = _visible_dates(tree)
    return c


def _collect_meta(tree: Any, c: Candidates) -> None:
    for el in tree.iter("meta"):
        content = clean(el.get("content"))
        if not content:
            continue
        for attr in ("property", "name", "itemprop"):
            key = (el.get(attr) or "").strip().lower()
            if key:
                c.meta.setdefault(key, []).append(content)
    for el in tree.xpath("//*[@itemprop and not(self::meta)]"):
        prop = (el.get("itemprop") or "").lower()
        if (
            prop in {"headline", "datepublished", "author", "name"}
            and len(c.meta.get("itemprop:" + prop, [])) < 5
        ):
            value = clean(el.get("datetime") or el.get("content") or el.text_content())
            if value and len(value) < 200:
                c.meta.setdefault("itemprop:" + prop, []).append(value)


def _json_objects(data: Any) -> Iterator[dict[str, Any]]:
    """Every JSON-LD object, flattening lists and ``@graph``."""
    if isinstance(data, list):
        for item in data:
            yield from _json_objects(item)
    elif isinstance(data, dict):
        yield data
        if "@graph" in data:
            yield from _json_objects(data["@graph"])
        if isinstance(data.get("mainEntity"), dict | list):
            yield from _json_objects(data["mainEntity"])


def _types(obj: dict[str, Any]) -> list[str]:
    t = obj.get("@type")
    values = t if isinstance(t, list) else [t]
    return [v.lower() for v in values if isinstance(v, str)]


def _collect_json_ld(tree: Any, c: Candidates) -> None:
    objects: list[dict[str, Any]] = []
    for script in tree.xpath('//script[contains(translate(@type, "JSONLD", "jsonld"), "ld+json")]'):
        raw = (script.text or "").strip()
        try:
            data = json.loads(raw, strict=False)
        except ValueError:
            try:  # trailing commas and stray control characters are common
                data = json.loads(re.sub(r",\s*([}\]])", r"\1", raw), strict=False)
            except ValueError:
                continue
        objects.extend(_json_objects(data))
    ranked = [o for o in objects if set(_types(o)) & ARTICLE_TYPES]
    ranked.sort(
        key=lambda o: min(_TYPE_RANK.index(t) if t in _TYPE_RANK else 99 for t in _types(o))
    )
    c.ld_articles = ranked
    for obj in objects:
        if set(_types(obj)) & {"website", "organization", "newsmediaorganization"}:
            name = clean(obj.get("name"))
            if name:
                c.ld_site_names.append(name)
    for obj in ranked:
        c.ld_headlines.extend(h for h in (clean(obj.get("headline")), clean(obj.get("name"))) if h)
        c.ld_authors.extend(_person_names(obj.get("author"), objects))
        c.ld_dates.extend(
            d for d in (clean(obj.get("datePublished")), clean(obj.get("dateCreated"))) if d
        )


def _person_names(value: Any, objects: list[dict[str, Any]]) -> list[str]:
    """Names from a JSON-LD ``author`` value: string, object, ``@id`` reference or list."""
    if isinstance(value, list):
        return [n for item in value for n in _person_names(item, objects)]
    if isinstance(value, str):
        return [clean(value)] if clean(value) else []
    if isinstance(value, dict):
        name = value.get("name")
        if isinstance(name, list):
            name = " ".join(n for n in name if isinstance(n, str))
        if clean(name):
            return [clean(name)]
        ref = value.get("@id")
        for obj in objects:
            if ref and obj.get("@id") == ref and obj is not value and clean(obj.get("name")):
                return [clean(obj["name"])]
    return []


def _collect_bylines(tree: Any, c: Candidates) -> None:
    for a in tree.xpath('//a[@rel="author" or contains(@href, "/author/")]')[:6]:
        name = clean(a.text_content())
        if 2 < len(name) < 60:
            c.rel_authors.append(name)
    for el in tree.xpath("//*[@class or @id]")[:20000]:
        if el.tag in {"body", "html", "article", "main", "section"}:
            continue
        marker = f"{el.get('class') or ''} {el.get('id') or ''}"
        if not _BYLINE_CLASS.search(marker) or re.search(
            r"(avatar|image|img|bio|desc|box|comment)", marker, re.I
        ):
            continue
        text = clean(el.text_content())
        if 2 < len(text) < 80:
            c.byline_authors.append(text)
        if len(c.byline_authors) >= 8:
            break
    _collect_text_bylines(tree, c)
    for t in tree.xpath("//time[@datetime]")[:5]:
        c.time_dates.append(clean(t.get("datetime")))


_BYLINE_TEXT = re.compile(
    r"^(?:by|written by|posted by|words by|author|authors|contributors?)\b\s*:?\s*(.*)$",
    re.I | re.S,
)


def _collect_text_bylines(tree: Any, c: Candidates) -> None:
    """Bylines written out in the page: "By Jane Doe", or a "Written by" label + next element."""
    label = c.first_meta("twitter:label1").lower()
    if label in {"written by", "author", "by"} and c.first_meta("twitter:data1"):
        c.text_bylines.append(c.first_meta("twitter:data1"))
    for el in tree.xpath(
        "//body//*[self::p or self::span or self::div or self::li or self::address"
        " or self::strong or self::em or self::small]"
    ):
        text = clean(el.text_content())
        if not text or len(text) > 90:
            continue
        m = _BYLINE_TEXT.match(text)
        if not m:
            continue
        rest = m.group(1).strip()
        if not rest:  # a bare label: the name is in the next element
            nxt = el.getnext()
            rest = clean(nxt.text_content()) if nxt is not None else ""
        if rest and len(rest) < 90:
            c.text_bylines.append(rest)
        if len(c.text_bylines) >= 4:
            break


_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)"
)
WRITTEN_DATE = re.compile(
    rf"{_MONTH}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}\.?,?\s+\d{{4}}|\b\d{{4}}-\d{{2}}-\d{{2}}\b"
)


def _visible_dates(tree: Any, before: int = 400, after: int = 3000) -> list[str]:
    """Dates written in the page's text around the first ``<h1>`` (where bylines sit)."""
    body = tree.find("body")
    if body is None:
        return []
    h1 = next(body.iter("h1"), None)
    pieces: list[str] = []
    size = 0
    anchor = 0 if h1 is None else -1
    for el in body.iter():
        if el is h1:
            anchor = size
        if not isinstance(el.tag, str):
            continue
        if el.tag not in {"script", "style", "noscript", "template"} and el.text:
            pieces.append(el.text)
            size += len(el.text) + 1
        if el.tail:
            pieces.append(el.tail)
            size += len(el.tail) + 1
        if anchor >= 0 and size > anchor + after:
            break
    text = " ".join(pieces)[max(0, anchor - before) : max(0, anchor) + after]
    from .dates import WRITTEN_DATE_OTHER, month_number

    found = [(m.start(), m.group(0)) for m in WRITTEN_DATE.finditer(text)]
    found += [  # dates in ru, uk, de, fr, es and pl (issue 24)
        (m.start(), m.group(0))
        for m in WRITTEN_DATE_OTHER.finditer(text)
        if not m.group("m") or month_number(m.group("m"))
    ]
    return [d for _, d in sorted(found)][:3]
