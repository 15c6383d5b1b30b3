"""A fake corpus for the web tests: the Corpus interface over a few hand-built articles."""

from __future__ import annotations

from typing import Any

from newsift.article import Article
from newsift.web.corpus import ArticleFilters
from tests.unit.report_samples import XSS, full_article, hostile_article, matched_article


def _summary(article_id: str, a: Article, date: str, domain: str) -> dict[str, Any]:
    return {
        "id": article_id,
        "title": a.title,
        "url": a.url,
        "domain": domain,
        "date": date,
        "rating": a.outlet.get("rating"),
        "techniques": ["Loaded_Language"],
        "narratives": ["n1"],
    }


class FakeCorpus:
    """Two articles (one hostile), one narrative; answers like the real store would."""

    def __init__(self) -> None:
        self.store = {"a1": full_article(), "evil": hostile_article(), "m1": matched_article()}
        self.rows = [
            _summary("a1", self.store["a1"], "2018-06-10", "example.com"),
            _summary("evil", self.store["evil"], "2018-06-11", "evil.example"),
        ]

    def articles(self, filters: ArticleFilters) -> dict[str, Any]:
        rows = [r for r in self.rows if not filters.outlet or r["domain"] == filters.outlet]
        return {"total": len(rows), "items": rows[filters.offset : filters.offset + filters.limit]}

    def article(self, article_id: str) -> Article | None:
        return self.store.get(article_id)

    def outlet(self, domain: str) -> dict[str, Any] | None:
        rows = [r for r in self.rows if r["domain"] == domain]
        if not rows:
            return None
        return {
            "domain": domain,
            "rating": 0.42,
            "rating_source": "Lin et al. 2023",
            "articles": rows,
            "narratives": [{"id": "n1", "claim": XSS, "articles": 2}],
            "techniques": [{"technique": "Loaded_Language", "spans": 3, "articles": 1}],
            "euvsdisinfo": {
                "note": f"Publications on this domain appear in 2 EUvsDisinfo cases {XSS}",
                "source": "EUvsDisinfo (EEAS East StratCom Task Force)",
                "disclaimer": "A case does not necessarily mean...",
            },
        }

    def narratives(self, limit: int = 50, offset: int = 0) -> dict[str, Any]:
        item = {
            "id": "n1",
            "claim": f"250 people killed {XSS}",
            "articles": 2,
            "outlets": 2,
            "first_date": "2018-06-10",
            "origin": {"article_id": "a1", "domain": "example.com"},
        }
        return {"total": 1, "items": [item][offset : offset + limit]}

    def narrative(self, narrative_id: str) -> dict[str, Any] | None:
        if narrative_id != "n1":
            return None
        members = [
            {
                "article_id": "a1",
                "domain": "example.com",
                "date": "2018-06-10",
                "rating": 0.42,
                "match": "origin",
                "similarity": 1.0,
                "text": "250 people were killed",
            },
            {
                "article_id": "evil",
                "domain": "evil.example",
                "date": "2018-06-12",
                "rating": None,
                "match": "rewording",
                "similarity": 0.83,
                "text": XSS,
            },
        ]
        return {
            "id": "n1",
            "claim": f"250 people killed {XSS}",
            "members": members,
            "origin": {
                "article_id": "a1",
                "title": XSS,
                "domain": "example.com",
                "date": "2018-06-10",
            },
            "timeline": [{"date": "2018-06-10", "count": 1}, {"date": "2018-06-12", "count": 3}],
        }

    def trace(
        self, *, text: str | None = None, article_id: str | None = None, limit: int = 50
    ) -> dict[str, Any]:
        matches = [
            {
                "article_id": "a1",
                "url": "https://news.example.com/a/1",
                "domain": "example.com",
                "date": "2018-06-10",
                "similarity": 0.9,
                "match": "copy",
                "text": "250 people",
            }
        ]
        out: dict[str, Any] = {"query": {"text": text, "article": article_id}}
        if article_id and not text:
            out["narratives"] = [{"id": "n1", "kind": "copy", "articles": 2, "claim": XSS}]
        return {**out, "matches": matches[:limit] if text != "nothing like it" else []}
