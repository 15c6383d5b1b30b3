"""ASGI middleware: request body size limit and security headers.

The size limit is enforced twice: a ``Content-Length`` over the limit is refused before the body
is read, and a body sent without one (chunked) is counted as it arrives and cut off at the limit.
"""

from __future__ import annotations

import json
from typing import Any

from .errors import error_body

Scope = dict[str, Any]

# No inline script, no external asset; styles only from our own static files.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
]


# The message is ours (no user content), so plain formatting is safe here.
_ERROR_PAGE = (
    "<!DOCTYPE html><html lang=en><head><meta charset=utf-8><title>newsift: too large</title>"
    '<link rel=stylesheet href="/static/app.css"></head><body><main class=page>'
    "<h1>Request too large</h1>"
    '<p class="error" id="error" data-code="request_too_large">{message}</p>'
    '<p><a href="/">Back to the analyser</a></p></main></body></html>'
)


class _TooLarge(Exception):
    pass


class BodyLimitMiddleware:
    """Refuse request bodies over ``max_body`` bytes with 413 ``request_too_large``."""

    def __init__(self, app: Any, max_body: int) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope.get("headers") or []).get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_body):
            await self._refuse(scope, send)
            return
        seen = 0
        exceeded = False
        replaced = False
        started = False

        async def counting_receive() -> dict[str, Any]:
            nonlocal seen, exceeded
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_body:
                    exceeded = True
                    raise _TooLarge
            return message

        async def guarded_send(message: dict[str, Any]) -> None:
            # The app may turn the cut-off into its own error (FastAPI answers 400 "error parsing
            # the body"); whatever it answers, the client gets the size error instead.
            nonlocal replaced, started
            if exceeded and not started:
                if not replaced:
                    replaced = True
                    await self._refuse(scope, send)
                return
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, guarded_send)
        except _TooLarge:
            if not replaced and not started:
                replaced = True
                await self._refuse(scope, send)

    async def _refuse(self, scope: Scope, send: Any) -> None:
        message = (
            f"the request body is over the {self.max_body:,}-byte limit; "
            "send one article (paste less text or upload a smaller file)"
        )
        if str(scope.get("path", "")).startswith("/api"):
            body = json.dumps(error_body("request_too_large", message)).encode()
            ctype = b"application/json"
        else:
            body = _ERROR_PAGE.format(message=message).encode()
            ctype = b"text/html; charset=utf-8"
        headers = [
            (b"content-type", ctype),
            (b"content-length", str(len(body)).encode()),
            (b"connection", b"close"),
            *SECURITY_HEADERS,
        ]
        await send({"type": "http.response.start", "status": 413, "headers": headers})
        await send({"type": "http.response.body", "body": body})


class SecurityHeadersMiddleware:
    """Add the Content-Security-Policy and related headers to every response."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers") or [])
                names = {k.lower() for k, _ in headers}
                headers += [(k, v) for k, v in SECURITY_HEADERS if k not in names]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)
