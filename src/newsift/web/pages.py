"""The HTML pages: analyse a submission, browse a corpus by article, outlet and narrative.

The analysed article is drawn by the same fragment as the HTML report
(:func:`newsift.report.html.article_context` and ``_article.html.j2``).
"""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import UploadFile

from ..errors import NewsiftError
from ..report import view
from ..report.html import article_context, render_css
from .api_routes import MAX_OFFSET, corpus_of, not_found
from .corpus import ArticleFilters
from .errors import status_for
from .rendering import render_page
from .timeline import timeline_chart

router = APIRouter()

_FORM_OPENAPI = {
    "requestBody": {
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "text": {"type": "string"},
                        "url": {"type": "string"},
                        "file": {"type": "string", "format": "binary"},
                    },
                }
            }
        }
    }
}


@lru_cache(maxsize=1)
def _report_css() -> str:
    return render_css()


@router.get("/static/report.css", include_in_schema=False)
def report_css() -> Response:
    return Response(_report_css(), media_type="text/css", headers={"cache-control": "max-age=3600"})


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
async def index(request: Request) -> HTMLResponse:
    return render_page(request, "index.html.j2")


async def _read_form(request: Request) -> tuple[str, str, UploadFile | None]:
    limit = request.app.state.limits.max_body
    form = await request.form(max_files=1, max_fields=10, max_part_size=limit)
    text = form.get("text")
    url = form.get("url")
    upload = form.get("file")
    return (
        text if isinstance(text, str) else "",
        url.strip() if isinstance(url, str) else "",
        upload if isinstance(upload, UploadFile) and upload.filename else None,
    )


@router.post(
    "/analyze",
    response_class=HTMLResponse,
    summary="Analyse a form submission and show the result page",
    openapi_extra=_FORM_OPENAPI,
)
async def analyze_form(request: Request) -> HTMLResponse:
    """Form fields: ``text`` (pasted text or HTML), ``url``, ``file`` (an uploaded HTML/text file).

    Text or a file is analysed with ``url`` as its original address; a ``url`` alone is fetched.
    """
    text, url, upload = await _read_form(request)
    analyzer = request.app.state.analyzer
    try:
        if upload is not None:
            data = await upload.read(request.app.state.limits.max_body + 1)
            article = await analyzer.run(
                analyzer.analyze_upload, data, filename=upload.filename or "upload", url=url or None
            )
        else:
            article = await analyzer.run(analyzer.analyze_submission, text=text, url=url)
    except NewsiftError as err:
        return render_page(
            request,
            "index.html.j2",
            status=status_for(err),
            error=err.message,
            error_code=err.code,
            text=text,
            url=url,
        )
    return render_page(request, "result.html.j2", a=article_context(article), article_id=None)


@router.get("/corpus", response_class=HTMLResponse, include_in_schema=False)
def corpus_page(
    request: Request,
    outlet: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    min_rating: str | None = None,
    max_rating: str | None = None,
    technique: str | None = None,
    narrative: str | None = None,
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> HTMLResponse:
    corpus = corpus_of(request)
    filters = ArticleFilters(
        outlet or None,
        date_from or None,
        date_to or None,
        _float(min_rating, "min_rating"),
        _float(max_rating, "max_rating"),
        technique or None,
        narrative or None,
        50,
        offset,
    )
    result = corpus.articles(filters)
    return render_page(
        request,
        "corpus.html.j2",
        result=result,
        filters=filters,
        techniques=_technique_choices(filters.technique),
        narratives=corpus.narratives(limit=200)["items"],
        next_query=urlencode(
            {**filters.to_dict(), "offset": filters.offset + filters.limit}, doseq=False
        ),
    )


def _technique_choices(current: str | None) -> list[str]:
    """The techniques the filter offers: the 14 known ones, plus the current one if it is new."""
    known = list(view.technique_order())
    return known + ([current] if current and current not in known else [])


@router.get("/articles/{article_id}", response_class=HTMLResponse, include_in_schema=False)
def article_page(article_id: str, request: Request) -> HTMLResponse:
    article = corpus_of(request).article(article_id)
    if article is None:
        raise not_found("article", article_id)
    return render_page(request, "result.html.j2", a=article_context(article), article_id=article_id)


@router.get("/outlets/{domain}", response_class=HTMLResponse, include_in_schema=False)
def outlet_page(domain: str, request: Request) -> HTMLResponse:
    outlet = corpus_of(request).outlet(domain)
    if outlet is None:
        raise not_found("outlet", domain)
    return render_page(
        request, "outlet.html.j2", outlet=outlet, explain=view.technique_explanations()
    )


@router.get("/narratives", response_class=HTMLResponse, include_in_schema=False)
def narratives_page(request: Request, offset: int = Query(0, ge=0, le=MAX_OFFSET)) -> HTMLResponse:
    result = corpus_of(request).narratives(limit=50, offset=offset)
    return render_page(request, "narratives.html.j2", result=result, offset=offset)


@router.get("/narratives/{narrative_id}", response_class=HTMLResponse, include_in_schema=False)
def narrative_page(narrative_id: str, request: Request) -> HTMLResponse:
    narrative = corpus_of(request).narrative(narrative_id)
    if narrative is None:
        raise not_found("narrative", narrative_id)
    chart = timeline_chart(narrative.get("timeline") or [])
    return render_page(request, "narrative.html.j2", n=narrative, chart=chart)


@router.get("/trace", response_class=HTMLResponse, include_in_schema=False)
def trace_page(
    request: Request, text: str | None = None, article: str | None = None
) -> HTMLResponse:
    """Where a claim appeared (``text``), or the narratives of an article's claims (``article``)."""
    corpus = corpus_of(request)
    result = None
    if (text and text.strip()) or article:
        if article and not text and corpus.article(article) is None:
            raise not_found("article", article)
        result = corpus.trace(text=text or None, article_id=article or None, limit=100)
    return render_page(request, "trace.html.j2", text=text or "", article=article, result=result)


def _float(value: str | None, name: str) -> float | None:
    from .errors import WebError

    if value is None or not value.strip():
        return None
    try:
        number = float(value)
    except ValueError:
        number = -1.0
    if not 0.0 <= number <= 1.0:  # also NaN and infinities
        raise WebError(
            f"{name}: expected a number between 0 and 1, got {value[:40]!r}", code="bad_request"
        )
    return number
