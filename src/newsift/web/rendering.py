"""Page rendering and the one way errors are answered (JSON under /api, a page elsewhere)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from .errors import error_body


@lru_cache(maxsize=1)
def templates() -> jinja2.Environment:
    """Page templates (autoescaping always on); the report fragment comes from newsift.report."""
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(
            [
                jinja2.PackageLoader("newsift.web", "templates"),
                jinja2.PackageLoader("newsift.report", "templates"),
            ]
        ),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.ChainableUndefined,
    )
    env.filters["when"] = when
    return env


def when(value: object) -> str:
    """An ISO date or date-time as ``YYYY-MM-DD`` or ``YYYY-MM-DD HH:MM`` (midnight dropped)."""
    text = str(value or "")[:16].replace("T", " ")
    return text[:10] if text.endswith(" 00:00") else text


def render_page(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    """Render template ``name`` with the app's common context."""
    ctx = {"has_corpus": request.app.state.corpus is not None, "path": request.url.path, **context}
    return HTMLResponse(templates().get_template(name).render(**ctx), status_code=status)


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api") or request.url.path == "/openapi.json"


def error_response(request: Request, status: int, code: str, message: str) -> Response:
    """The one way errors are answered: JSON under /api, a page elsewhere."""
    if wants_json(request):
        return JSONResponse(error_body(code, message), status_code=status)
    return render_page(request, "error.html.j2", status=status, code=code, message=message)
