"""HTML pages: the body through trafilatura (the only module that imports it), the metadata ours.

trafilatura finds the article body well (ScrapingHub benchmark F1 about 0.96) but its title,
author and date are weak (WCXB exact match 54 / 66 / 85 %). So the body comes from
``trafilatura.bare_extraction`` and the title, author and date are chosen by
:mod:`newsift.extract.choose` among everything the page declares (:mod:`newsift.extract.metadata`),
with trafilatura's own guesses as one more voter. ``newsift eval extraction`` scores both side by
side (docs/RESULTS.md).
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ..article import Article
from ..errors import ConfigError, ExtractionError
from . import choose, metadata
from .fallback import extract_stripped
from .offsets import map_paragraphs

# libxml2 stops building a tree at this depth (256 without its "huge" option, 2,048 with it):
# deeper content is silently dropped, which made deeply nested pages come out empty.
LIBXML2_DEPTH = 256
LIBXML2_HUGE_DEPTH = 2048
_START_TAG = re.compile(r"<[A-Za-z]")


@dataclass(frozen=True)
class HtmlOptions:
    """How trafilatura extracts the body (one small dataclass rather than keyword sprawl).

    Args:
        body: ``"ensemble"`` (default) runs trafilatura's default, ``favor_recall`` and
            ``favor_precision`` modes and keeps one by a length rule (below); ``"default"``,
            ``"precision"`` or ``"recall"`` run that one mode only (faster).
        include_tables: keep table text.
        include_comments: keep reader comments (off: they are not the article).
        max_elements: a page with more elements (start tags) than this is not given to
            trafilatura, whose time grows faster than the page, but read by the linear
            :func:`newsift.extract.fallback.extract_stripped` with the problem
            ``extract/too_complex``. The default, 50,000, is 12 times the largest page of the
            extraction benchmarks (WCXB, ScrapingHub: at most 4,000).
        refuse_elements: a page with more elements than this is refused (ExtractionError,
            code ``too_complex``): even the linear reader takes about 4 s a million elements,
            and no article page has one.
        ensemble_seconds: when trafilatura's first pass over a page took longer than this, the
            ensemble's two further passes are skipped and the first kept (``body_mode``
            ``"default"``, ``layers["extraction"]["budget"]`` says so).

    The ensemble rule, set on the development part of the benchmark: the recall output when it
    has at least 1.3 times the default's words (the default dropped real text), else the
    precision output unless it lost more than 70 % of them (it cut the article), else the default.
    """

    body: str = "ensemble"
    include_tables: bool = True
    include_comments: bool = False
    max_elements: int = 50_000
    refuse_elements: int = 1_000_000
    ensemble_seconds: float = 1.0

    def __post_init__(self) -> None:
        if self.body not in BODY_MODES:
            raise ConfigError(
                f"HtmlOptions.body is {self.body!r}; use one of {', '.join(BODY_MODES)}"
            )


BODY_MODES = ("ensemble", "default", "precision", "recall")


RECALL_GAIN = 1.3
PRECISION_KEEP = 0.3
DEFAULT_OPTIONS = HtmlOptions()


def extract_html(
    html: str,
    *,
    url: str | None = None,
    name: str = "<html>",
    options: HtmlOptions = DEFAULT_OPTIONS,
) -> Article:
    """Extract title, author, date, site name and clean body from an HTML page.

    Args:
        html: the page's markup.
        url: the page's address when known (helps site-name stripping and the outlet).
        name: how to name the input in error messages.
        options: body-extraction options.

    Returns:
        An :class:`Article` whose ``offsets`` map clean-text offsets back into ``html``, with
        ``source["site_name"]`` when the page names its site and ``layers["extraction"]``
        describing how it was extracted.

    Raises:
        ExtractionError: the page holds no article text (code ``no_article``), or has more
            elements than ``options.refuse_elements`` (code ``too_complex``).
    """
    elements, tree, depth, why = _page_shape(html, name, options)
    if why:
        return extract_stripped(html, url=url, name=name, why=why)
    # Below libxml2's normal depth limit trafilatura parses the string itself, as it always
    # has; deeper pages get a tree parsed with the "huge" option, which trafilatura accepts.
    page: Any = html if depth < LIBXML2_DEPTH - 1 else _huge_tree(html)
    started = time.perf_counter()
    data = _trafilatura(page, url, options, with_metadata=True, mode=_first_mode(options))
    seconds = time.perf_counter() - started
    data = data or {}
    body = data.get("text") or ""
    if not body.strip():
        raise ExtractionError(
            f"{name}: no article text was found in this HTML page; give the article's own "
            "page, or paste its text",
            code="no_article",
        )
    budget = None
    if options.body == "ensemble" and seconds > options.ensemble_seconds:
        body_mode = "default"
        budget = (
            f"ensemble skipped: the first pass took {seconds:.1f} s, over the "
            f"{options.ensemble_seconds:g} s budget"
        )
    else:
        body, body_mode = _choose_body(page, url, options, body)
    paragraphs = [" ".join(p.split()) for p in body.strip().split("\n") if p.strip()]
    text = "\n\n".join(paragraphs)
    offsets = map_paragraphs(html, paragraphs)

    page_url = url or data.get("url") or None
    cands = metadata.collect(tree)
    site_name = (
        cands.first_meta("og:site_name")
        or data.get("sitename")
        or (cands.ld_site_names[0] if cands.ld_site_names else None)
    )
    names = choose.site_names(cands, page_url, data.get("sitename"))
    article = Article(
        text=text,
        title=choose.choose_title(cands, names, data.get("title")),
        author=choose.choose_author(cands, names, data.get("author")),
        date=choose.choose_date(cands, data.get("date")),
        url=page_url,
        offsets=offsets,
    )
    article.source = {"site_name": site_name} if site_name else {}
    mapped = sum(length for _, _, length in offsets.segments)
    article.layers["extraction"] = {
        "method": "html",
        "extractor": "trafilatura body + newsift metadata",
        "body_mode": body_mode,
        "removed": [],
        "paragraphs": len(paragraphs),
        "mapped_share": round(mapped / len(text), 4) if text else 0.0,
        "elements": elements,
        "depth": depth,
        **({"budget": budget} if budget else {}),
    }
    return article


def _page_shape(html: str, name: str, options: HtmlOptions) -> tuple[int, Any, int, str | None]:
    """``(elements, tree, depth, why)``: ``why`` says why the page goes to the stripper (None:
    it does not; tree and depth are then filled).

    Raises:
        ExtractionError: the page has more than ``options.refuse_elements`` elements.
    """
    elements = count_elements(html)
    if elements > options.refuse_elements:
        raise ExtractionError(
            f"{name}: the page has {elements:,} elements, over the {options.refuse_elements:,} "
            "that newsift reads; no article page has that many. Save the article's text and "
            "give that, or raise HtmlOptions.refuse_elements",
            code="too_complex",
        )
    if elements > options.max_elements:
        why = (
            f"the page has {elements:,} elements, over the {options.max_elements:,}-element "
            "budget of the full extractor"
        )
        return elements, None, 0, why
    tree, depth = parse_page(html)
    if depth >= LIBXML2_HUGE_DEPTH:
        why = (
            f"the page nests its elements over {LIBXML2_HUGE_DEPTH:,} levels deep, more than "
            "the HTML parser (libxml2) can build"
        )
        return elements, tree, depth, why
    return elements, tree, depth, None


def count_elements(html: str) -> int:
    """How many elements (start tags) ``html`` has: one C-speed regex pass, before any parse."""
    return len(_START_TAG.findall(html))


def parse_page(html: str) -> tuple[Any, int]:
    """The page's lxml tree (parsed with libxml2's "huge" option) and its nesting depth.

    The depth is :data:`LIBXML2_HUGE_DEPTH` when libxml2 stopped at its limit (the tree then
    lacks what was deeper). The tree is None when the page cannot be parsed.
    """
    from lxml import etree

    tree, stopped = metadata.parse(html, huge=True)
    if tree is None:
        return None, 0
    depth = deepest = 0
    for event, _el in etree.iterwalk(tree, events=("start", "end")):
        depth += 1 if event == "start" else -1
        deepest = max(deepest, depth)
    return tree, LIBXML2_HUGE_DEPTH if stopped else deepest


def _huge_tree(html: str) -> Any:
    """The page parsed the way trafilatura parses it, but without libxml2's depth limit of 256."""
    from lxml.html import HTMLParser, fromstring

    parser = HTMLParser(
        collect_ids=False,
        default_doctype=False,
        remove_comments=True,
        remove_pis=True,
        huge_tree=True,
    )
    return fromstring(metadata.without_xml_declaration(html), parser=parser)


def _first_mode(options: HtmlOptions) -> str:
    return "default" if options.body == "ensemble" else options.body


def _choose_body(html: Any, url: str | None, options: HtmlOptions, default: str) -> tuple[str, str]:
    """The body text and the trafilatura mode it came from (see :class:`HtmlOptions`)."""
    if options.body != "ensemble":
        return default, options.body
    words = len(default.split())
    recall = (_trafilatura(html, url, options, mode="recall") or {}).get("text") or ""
    if len(recall.split()) >= RECALL_GAIN * words:
        return recall, "recall"
    precision = (_trafilatura(html, url, options, mode="precision") or {}).get("text") or ""
    if len(precision.split()) >= PRECISION_KEEP * words:
        return precision, "precision"
    return default, "default"


def _trafilatura(
    html: Any, url: str | None, options: HtmlOptions, *, mode: str, with_metadata: bool = False
) -> dict | None:
    import trafilatura

    # htmldate's extensive search hands odd strings to dateparser, whose locale set-up costs
    # seconds on first use; newsift's own date voters (choose.choose_date) make up for it.
    dates = {
        "original_date": True,
        "extensive_search": False,
        "max_date": datetime.now().astimezone().strftime("%Y-%m-%d"),
    }
    doc = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=with_metadata,
        date_extraction_params=dates,
        include_comments=options.include_comments,
        include_tables=options.include_tables,
        favor_precision=mode == "precision",
        favor_recall=mode == "recall",
    )
    if doc is None:
        return None
    return doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
