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
from ..errors import ConfigError, ExtractionError
from . import choose, metadata
from .offsets import map_paragraphs


@dataclass(frozen=True)
class HtmlOptions:
    """How trafilatura extracts the body (one small dataclass rather than keyword sprawl).

    Args:
        body: ``"ensemble"`` (default) runs trafilatura's default, ``favor_recall`` and
            ``favor_precision`` modes and keeps one by a length rule (below); ``"default"``,
            ``"precision"`` or ``"recall"`` run that one mode only (faster).
        include_tables: keep table text.
        include_comments: keep reader comments (off: they are not the article).

    The ensemble rule, set on the development part of the benchmark: the recall output when it
    has at least 1.3 times the default's words (the default dropped real text), else the
    precision output unless it lost more than 70 % of them (it cut the article), else the default.
    """

    body: str = "ensemble"
    include_tables: bool = True
    include_comments: bool = False

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
        ExtractionError: the page holds no article text (code ``no_article``).
    """
    data = _trafilatura(html, url, options, with_metadata=True, mode=_first_mode(options))
    body = (data or {}).get("text") or ""
    if not body.strip():
        raise ExtractionError(
            f"{name}: no article text was found in this HTML page; give the article's own "
            "page, or paste its text",
            code="no_article",
        )
    body, body_mode = _choose_body(html, url, options, body)
    paragraphs = [" ".join(p.split()) for p in body.strip().split("\n") if p.strip()]
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
        "body_mode": body_mode,
        "removed": [],
        "paragraphs": len(paragraphs),
        "mapped_share": round(mapped / len(text), 4) if text else 0.0,
    }
    return article


def _first_mode(options: HtmlOptions) -> str:
    return "default" if options.body == "ensemble" else options.body


def _choose_body(html: str, url: str | None, options: HtmlOptions, default: str) -> tuple[str, str]:
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
    html: str, url: str | None, options: HtmlOptions, *, mode: str, with_metadata: bool = False
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
