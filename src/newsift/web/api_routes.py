"""The REST API under ``/api``: the same versioned article JSON as ``newsift analyze``."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from .corpus import ArticleFilters, Corpus
from .errors import WebError

router = APIRouter(prefix="/api")

MAX_OFFSET = 1_000_000_000  # far past any corpus; larger numbers overflow the database's integers


class AnalyzeRequest(BaseModel):
    """One article: ``text`` or ``html`` (then ``url`` names its origin), or a ``url``."""

    model_config = ConfigDict(extra="forbid")

    text: str | None = Field(None, description="Plain text pasted from a page.")
    html: str | None = Field(None, description="The page's HTML.")
    url: str | None = Field(
        None,
        description="Fetched when neither text nor html is given; otherwise the article's original "
        "address (sets the outlet). Private, loopback and link-local addresses are refused unless "
        "the server runs with --allow-private-urls.",
    )


class ErrorDetail(BaseModel):
    code: str
    message: str


class ErrorResponse(BaseModel):
    """Every error the API answers."""

    error: ErrorDetail


_ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorResponse, "description": what}
    for status, what in {
        400: "empty or malformed submission, refused URL scheme, unknown Host",
        403: "a URL (or a redirect) to an address that is not public; a cross-site request",
        404: "unknown id",
        413: "request or page over the size limit",
        415: "binary or undecodable upload",
        422: "no article in the input, or an invalid request body",
        502: "the URL could not be fetched",
        503: "no corpus database was given to the server; too many fetches running (busy)",
        504: "the URL's fetch ran past its deadline",
    }.items()
}


def corpus_of(request: Request) -> Corpus:
    corpus = request.app.state.corpus
    if corpus is None:
        raise WebError(
            "no corpus database is open; start the server with `newsift serve --db newsift.duckdb`",
            code="corpus_unavailable",
        )
    return corpus


def not_found(what: str, key: str) -> WebError:
    return WebError(
        f"{what} {key!r} is not in the corpus; list them at /api/{what}s", code="not_found"
    )


@router.get("/health", summary="Liveness and what this server offers")
async def health(request: Request) -> dict[str, Any]:
    return {"status": "ok", "corpus": request.app.state.corpus is not None}


@router.post("/analyze", summary="Analyse one article", responses=_ERRORS)
async def analyze(body: AnalyzeRequest, request: Request) -> dict[str, Any]:
    """Analyse text, HTML or a URL and return the article JSON (docs/schema.md)."""
    analyzer = request.app.state.analyzer
    article = await analyzer.run(
        analyzer.analyze_submission, text=body.text, html=body.html, url=body.url
    )
    return article.to_dict()


@router.get("/articles", summary="Articles in the corpus, filtered", responses=_ERRORS)
def list_articles(
    request: Request,
    outlet: str | None = Query(None, description="domain, e.g. example.com"),
    date_from: str | None = Query(None, description="ISO date, inclusive"),
    date_to: str | None = Query(None, description="ISO date, inclusive"),
    min_rating: float | None = Query(None, ge=0, le=1),
    max_rating: float | None = Query(None, ge=0, le=1),
    technique: str | None = Query(None, description="persuasion technique label"),
    narrative: str | None = Query(None, description="narrative id"),
    limit: int = Query(50, ge=1, le=500),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> dict[str, Any]:
    filters = ArticleFilters(
        outlet, date_from, date_to, min_rating, max_rating, technique, narrative, limit, offset
    )
    result = corpus_of(request).articles(filters)
    return {"filters": filters.to_dict(), **result}


@router.get("/articles/{article_id}", summary="One stored article's JSON", responses=_ERRORS)
def get_article(article_id: str, request: Request) -> dict[str, Any]:
    article = corpus_of(request).article(article_id)
    if article is None:
        raise not_found("article", article_id)
    return article.to_dict()


@router.get(
    "/outlets/{domain}", summary="One outlet: rating, articles, narratives", responses=_ERRORS
)
def get_outlet(domain: str, request: Request) -> dict[str, Any]:
    outlet = corpus_of(request).outlet(domain)
    if outlet is None:
        raise not_found("outlet", domain)
    return outlet


@router.get("/narratives", summary="Narratives found across the corpus", responses=_ERRORS)
def list_narratives(
    request: Request,
    limit: int = Query(50, ge=1, le=500),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> dict[str, Any]:
    return corpus_of(request).narratives(limit=limit, offset=offset)


@router.get(
    "/narratives/{narrative_id}", summary="One narrative with its timeline", responses=_ERRORS
)
def get_narrative(narrative_id: str, request: Request) -> dict[str, Any]:
    narrative = corpus_of(request).narrative(narrative_id)
    if narrative is None:
        raise not_found("narrative", narrative_id)
    return narrative


@router.get("/trace", summary="Where a claim appeared, earliest first", responses=_ERRORS)
def trace(
    request: Request,
    text: str | None = Query(None, max_length=5000, description="the claim's text"),
    article: str | None = Query(None, description="or an article id: trace its claims"),
    limit: int = Query(50, ge=1, le=500),
) -> dict[str, Any]:
    corpus = corpus_of(request)
    if not (text and text.strip()) and not article:
        raise WebError("give `text` (a claim) or `article` (an article id) to trace", code="empty")
    if article and not text and corpus.article(article) is None:
        raise not_found("article", article)
    return corpus.trace(text=text, article_id=article, limit=limit)
