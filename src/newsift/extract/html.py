"""HTML pages: the body through trafilatura (the only module that imports it), the metadata ours.

trafilatura finds the article body well (ScrapingHub benchmark F1 about 0.96) but its title,
author and date are weak (WCXB exact match 54 / 66 / 85 %). So the body comes from
``trafilatura.bare_extraction`` and the title, author and date are chosen by
:mod:`newsift.extract.choose` among everything the page declares (:mod:`newsift.extract.metadata`),
with trafilatura's own guesses as one more voter. ``newsift eval extraction`` scores both side by
side (docs/RESULTS.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ..article import Article
from ..errors import ExtractionError
from . import choose, metadata
from .offsets import map_paragraphs


@dataclass(frozen=True)
class HtmlOptions:
    """How trafilatura extracts the body (one small dataclass rather than keyword sprawl).

    Args:
        favor_precision: leave out more doubtful blocks (less boilerplate, may lose text).
        favor_recall: keep more doubtful blocks.
        include_tables: keep table text.
        include_comments: keep reader comments (off: they are not the article).
    """

    favor_precision: bool = False
    favor_recall: bool = False
    include_tables: bool = True
    include_comments: bool = False


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
        ExtractionError: the page holds no article text (code ``no_article``).
    """
    data = _trafilatura(html, url, options)
    if data is None:
        raise ExtractionError(
            f"{name}: no article was found in this HTML page; give the article's own page, "
            "or paste its text",
            code="no_article",
        )
    body = (data.get("text") or "").strip()
    if not body:
        raise ExtractionError(
            f"{name}: the HTML page has no article text in it; give the article's own page, "
            "or paste its text",
            code="no_article",
        )
    paragraphs = [" ".join(p.split()) for p in body.split("\n") if p.strip()]
    text = "\n\n".join(paragraphs)
    offsets = map_paragraphs(html, paragraphs)

    page_url = url or data.get("url") or None
    cands = metadata.collect(metadata.parse(html))
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
        "removed": [],
        "paragraphs": len(paragraphs),
        "mapped_share": round(mapped / len(text), 4) if text else 0.0,
    }
    return article


def _trafilatura(html: str, url: str | None, options: HtmlOptions) -> dict | None:
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
        with_metadata=True,
        date_extraction_params=dates,
        include_comments=options.include_comments,
        include_tables=options.include_tables,
        favor_precision=options.favor_precision,
        favor_recall=options.favor_recall,
    )
    if doc is None:
        return None
    return doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
