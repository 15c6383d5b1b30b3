"""The FastAPI application: the analyst's pages and the REST API under ``/api``.

:func:`create_app` builds the app; :mod:`newsift.web.cli` serves it with uvicorn. Routes live in
:mod:`newsift.web.api_routes` (JSON) and :mod:`newsift.web.pages` (HTML); both call the same
:class:`~newsift.web.service.Analyzer` and :class:`~newsift.web.corpus.Corpus`. Errors are mapped to
statuses in one place (:mod:`newsift.web.errors`) and answered by the handlers here.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from importlib.resources import files

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..errors import NewsiftError
from ..pipeline import StageSpec
from .corpus import Corpus, open_corpus
from .errors import INTERNAL_MESSAGE, status_for
from .middleware import (
    LOCAL_HOSTS,
    AllowedHosts,
    BodyLimitMiddleware,
    HostCheckMiddleware,
    SecurityHeadersMiddleware,
)
from .rendering import error_response
from .service import Analyzer, Limits

log = logging.getLogger("newsift.web")
_BODY_PARSE_ERROR = "There was an error parsing the body"


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(NewsiftError)
    async def newsift_error(request: Request, err: NewsiftError) -> Response:
        return error_response(request, status_for(err), err.code, err.message)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, err: RequestValidationError) -> Response:
        parts = []
        for e in err.errors()[:5]:
            loc = ".".join(str(p) for p in e.get("loc", ()) if p != "body") or "body"
            parts.append(f"{loc}: {e.get('msg', 'invalid')}")
        message = "the request is not valid: " + "; ".join(parts) + " (see /openapi.json)"
        return error_response(request, 422, "invalid_request", message)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, err: StarletteHTTPException) -> Response:
        if err.status_code == 404:
            code, message = "unknown_route", f"{request.url.path}: no such page or endpoint"
        elif err.status_code == 405:
            code = "method_not_allowed"
            message = f"{request.method} is not allowed on {request.url.path}"
        elif err.status_code == 400 and err.detail == _BODY_PARSE_ERROR:
            # FastAPI's answer to a body that is not UTF-8, or nested too deep to decode.
            message = (
                "the request body could not be read: send one JSON object in UTF-8, e.g. "
                '{"text": "..."} (see /openapi.json), or the form'
            )
            return error_response(request, 422, "invalid_request", message)
        else:
            code, message = f"http_{err.status_code}", str(err.detail)
        return error_response(request, err.status_code, code, message)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, err: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return error_response(request, 500, "internal_error", INTERNAL_MESSAGE)


def create_app(
    db: str | None = None,
    allow_private_urls: bool = False,
    *,
    limits: Limits | None = None,
    analyzer: Analyzer | None = None,
    corpus: Corpus | None = None,
    warm: bool = False,
    stages: Sequence[StageSpec] | None = None,
    allowed_hosts: Sequence[str] | None = None,
) -> FastAPI:
    """Build the newsift web application.

    Args:
        db: a corpus database (DuckDB) to browse; corpus pages and routes answer 503 without one.
        allow_private_urls: let the server fetch loopback, private and link-local addresses.
        limits: request size and fetch limits.
        analyzer: what analyses submissions (tests pass one with a fake HTTP client).
        corpus: a corpus object, instead of opening ``db``.
        warm: load the pipeline's models at start-up instead of on the first request.
        stages: the stage names to run (default pipeline when None); ignored with ``analyzer``.
        allowed_hosts: the ``Host`` values answered: ``name`` (any port), ``name:port`` or ``*``
            (any; unsafe); by default the loopback names (localhost, 127.0.0.1, [::1]) on any
            port. ``newsift serve`` passes the served host and port and ``--allowed-host``;
            in-process tests pass ``["testserver"]``, the name FastAPI's TestClient sends.

    Returns:
        The FastAPI app (serve it with uvicorn, or test it with ``fastapi.testclient``).
    """
    limits = limits or (analyzer.limits if analyzer else Limits())
    analyzer = analyzer or Analyzer(
        allow_private_urls=allow_private_urls, limits=limits, stages=stages
    )
    if corpus is None and db:
        corpus = open_corpus(db)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if warm:
            analyzer.warm_up()
        yield

    app = FastAPI(
        title="newsift",
        version=_version(),
        description="Read news articles the way a careful fact-checker does. Every error is "
        '`{"error": {"code", "message"}}` with a stable code.',
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.analyzer = analyzer
    app.state.corpus = corpus
    app.state.limits = limits
    _install_error_handlers(app)

    from . import api_routes, pages

    app.include_router(api_routes.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=str(files("newsift.web") / "static")), name="static")
    # The last added runs first: headers on every answer, then the Host/origin check, then size.
    app.add_middleware(BodyLimitMiddleware, max_body=limits.max_body)
    app.add_middleware(HostCheckMiddleware, allowed=AllowedHosts(allowed_hosts or LOCAL_HOSTS))
    app.add_middleware(SecurityHeadersMiddleware)
    return app


def _env_stages(raw: str) -> list | None:
    """``NEWSIFT_WEB_STAGES``: a JSON list of stage specs (what ``newsift serve`` writes) or
    comma-separated stage names; empty for the default pipeline."""
    raw = raw.strip()
    if raw.startswith("["):
        return json.loads(raw) or None
    return [s for s in raw.split(",") if s.strip()] or None


def create_app_from_env() -> FastAPI:
    """App factory for ``uvicorn --factory`` with several workers (settings from the env)."""
    return create_app(
        db=os.environ.get("NEWSIFT_WEB_DB") or None,
        allow_private_urls=os.environ.get("NEWSIFT_WEB_ALLOW_PRIVATE_URLS") == "1",
        warm=True,
        stages=_env_stages(os.environ.get("NEWSIFT_WEB_STAGES", "")),
        allowed_hosts=[
            h for h in os.environ.get("NEWSIFT_WEB_ALLOWED_HOSTS", "").split(",") if h.strip()
        ]
        or None,
    )


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("newsift")
    except Exception:  # noqa: BLE001 - a missing distribution must not stop the server
        return "0"
