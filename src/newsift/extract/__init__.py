"""Turn raw input (HTML or text pasted from a page) into a clean :class:`Article`.

The trafilatura adapter lives only in :mod:`newsift.extract.html`; plain text goes through
:mod:`newsift.extract.text`, which removes web boilerplate and keeps a map from clean-text offsets
back to the input.
"""

from __future__ import annotations

import hashlib

from ..article import Article
from ..errors import ExtractionError
from ..ingest.source import RawInput
from ..lang import count_words
from .urls import domain_of

MIN_WORDS = 5


def extract(raw: RawInput, *, url: str | None = None) -> Article:
    """Extract the article in ``raw``.

    Args:
        raw: the decoded input.
        url: the article's original URL when known (``--url``); otherwise taken from the
            fetch or the page's metadata.

    Raises:
        ExtractionError: there is no article in the input.
    """
    from .mojibake import repair

    text, repaired = raw.text, repair(raw.text)
    if repaired:
        text = repaired[0]
    if raw.is_html:
        from .html import extract_html

        article = extract_html(text, url=url or raw.url, name=raw.name)
    else:
        from .text import extract_text

        article = extract_text(text, name=raw.name)
        article.url = url or raw.url
    if url:
        article.url = url
    words = count_words(article.text)  # Chinese, Japanese, Thai... have no spaces to count
    if words == 0:
        raise ExtractionError(
            f"{raw.name}: no article text was found in it; give the article's page or its text",
            code="no_article",
        )
    if words < MIN_WORDS and raw.is_html:
        raise ExtractionError(
            f"{raw.name}: the HTML page holds only {words} word(s) of text, no article; give the "
            "article's own page, or paste its text",
            code="no_article",
        )
    if words < MIN_WORDS:
        article.add_problem(
            "extract", "too_short", f"{raw.name}: only {words} words of article text were found"
        )
    note = getattr(raw.encoding, "note", None)
    if note:
        article.add_problem("input", "encoding_guessed", note)
    if repaired:
        article.add_problem(
            "input",
            "mojibake_repaired",
            f"{raw.name}: the text was garbled ({repaired[1]}) and was decoded again; offsets "
            "point into the repaired text",
        )
    article.source = {
        "kind": raw.kind,
        "name": raw.name,
        "format": "html" if raw.is_html else "text",
        "encoding": str(raw.encoding) if raw.encoding is not None else None,
        **({"site_name": article.source["site_name"]} if article.source.get("site_name") else {}),
    }
    domain = domain_of(article.url) if article.url else None
    if domain:
        article.outlet.setdefault("domain", domain)
    if not article.id:
        article.id = content_id(article)
    return article


def content_id(article: Article) -> str:
    """A stable id from the URL (when known) or the text."""
    basis = article.url or ((article.title or "") + "\n" + article.text)
    return hashlib.sha1(basis.encode("utf-8")).hexdigest()[:16]
