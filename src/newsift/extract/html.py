"""HTML pages through trafilatura: the only module that imports it.

(First version: trafilatura's ``bare_extraction`` for body and metadata; the extraction issue
improves metadata and scores it with ``newsift eval extraction``.)
"""

from __future__ import annotations

from ..article import Article, OffsetMap
from ..errors import ExtractionError


def extract_html(html: str, *, url: str | None = None, name: str = "<html>") -> Article:
    """Extract title, author, date, site name and clean body from an HTML page.

    Raises:
        ExtractionError: the page holds no article text.
    """
    import trafilatura

    doc = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False)
    if doc is None:
        raise ExtractionError(
            f"{name}: no article was found in this HTML page; give the article's own page, "
            "or paste its text",
            code="no_article",
        )
    data = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    body = (data.get("text") or "").strip()
    if not body:
        raise ExtractionError(f"{name}: the HTML page has no article text in it", code="no_article")
    paragraphs = [p.strip() for p in body.split("\n") if p.strip()]
    text = "\n\n".join(paragraphs)
    offsets = OffsetMap()
    pos = 0
    cursor = 0
    for p in paragraphs:
        found = html.find(p[:60], cursor) if len(p) >= 20 else -1
        if found >= 0 and html[found : found + len(p)] == p:
            offsets.add(pos, found, len(p))
            cursor = found + len(p)
        pos += len(p) + 2
    date = data.get("date")
    article = Article(
        text=text,
        title=data.get("title") or None,
        author=data.get("author") or None,
        date=date[:10] if date else None,
        url=url or data.get("url") or None,
        offsets=offsets,
    )
    article.source = {"site_name": data.get("sitename")} if data.get("sitename") else {}
    article.layers["extraction"] = {"method": "html", "removed": []}
    return article
