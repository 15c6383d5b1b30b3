"""ASGI middleware: the Host and origin checks, the request body size limit, security headers.

The Host check answers only requests addressed to a name the server is served under (a DNS
rebinding page on another site reaches the server with its own name in ``Host``). The origin check
refuses state-changing requests (POST...) that a page on another site made a browser send: a
cross-site form post, or a ``fetch`` without a preflight.

The size limit is enforced twice: a ``Content-Length`` over the limit is refused before the body
is read, and a body sent without one (chunked) is counted as it arrives and cut off at the limit.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

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


# The title and code are ours; the message is escaped (it may quote a Host or Origin header).
_ERROR_PAGE = (
    "<!DOCTYPE html><html lang=en><head><meta charset=utf-8><title>newsift: {title}</title>"
    '<link rel=stylesheet href="/static/app.css"></head><body><main class=page>'
    "<h1>{title}</h1>"
    '<p class="error" id="error" data-code="{code}">{message}</p>'
    '<p><a href="/">Back to the analyser</a></p></main></body></html>'
)

LOCAL_HOSTS = ("localhost", "127.0.0.1", "[::1]")
_SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


async def send_error(
    scope: Scope, send: Any, status: int, code: str, message: str, title: str
) -> None:
    """Answer an error from middleware: JSON under /api, a small page elsewhere."""
    if str(scope.get("path", "")).startswith("/api"):
        body = json.dumps(error_body(code, message)).encode()
        ctype = b"application/json"
    else:
        page = _ERROR_PAGE.format(title=title, code=code, message=html.escape(message))
        body = page.encode()
        ctype = b"text/html; charset=utf-8"
    headers = [
        (b"content-type", ctype),
        (b"content-length", str(len(body)).encode()),
        (b"connection", b"close"),
        *SECURITY_HEADERS,
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def split_host(value: str) -> tuple[str, int | None] | None:
    """``"name:port"`` as ``("name", port)`` (``"[::1]:8000"`` as ``("[::1]", 8000)``); the
    name lower-cased without a trailing dot; None when malformed."""
    value = value.strip().lower()
    if value.startswith("["):
        end = value.find("]")
        if end < 0:
            return None
        name, rest = value[: end + 1], value[end + 1 :]
    else:
        name, sep, port = value.partition(":")
        rest = sep + port
    name = name.rstrip(".")
    if not name or any(c in name for c in "/@\\ ,"):
        return None
    if not rest:
        return name, None
    if not rest.startswith(":") or not rest[1:].isascii() or not rest[1:].isdigit():
        return None
    port_number = int(rest[1:])
    return (name, port_number) if 0 < port_number < 65536 else None


class AllowedHosts:
    """The ``Host`` values a server answers to: ``name`` (any port), ``name:port``, or ``*``.

    Args:
        entries: e.g. ``["localhost:8000", "127.0.0.1:8000", "[::1]:8000", "news.example.org"]``.
    """

    def __init__(self, entries: Iterable[str]) -> None:
        self.entries = [e.strip() for e in entries if e.strip()]
        self.any = "*" in self.entries
        self._parsed = [p for e in self.entries if e != "*" and (p := split_host(e))]
        bad = [e for e in self.entries if e != "*" and split_host(e) is None]
        if bad:
            raise ValueError(f"not a host name or host:port: {bad[0]!r}")

    def allows(self, value: str, *, origin: bool = False) -> bool:
        """Whether the ``Host`` header ``value`` is one of ours.

        ``origin``: ``value`` is an ``Origin``'s host (its port only when not the default);
        then ``*`` does not match, and a name given without a port matches only the default port.
        """
        if self.any and not origin:
            return True
        parsed = split_host(value)
        if parsed is None:
            return False
        name, port = parsed
        for allowed, allowed_port in self._parsed:
            if allowed != name:
                continue
            if allowed_port == port or (allowed_port is None and not origin):
                return True
            if port is None and allowed_port in (80, 443):
                return True
        return False

    def first(self) -> str:
        return next((e for e in self.entries if e != "*"), "localhost")


def served_hosts(host: str, port: int, extra: Iterable[str] = ()) -> list[str]:
    """The ``Host`` values ``newsift serve --host HOST --port PORT`` answers to.

    On a loopback address, the loopback names with the port; on a named address, that name with
    the port; on a wildcard address (``0.0.0.0``, ``::``), the loopback names only, and other
    names must be given (``--allowed-host``). ``extra`` entries are added as given.
    """
    host = host.strip().lower()
    if host in ("127.0.0.1", "localhost", "::1", "[::1]", "0.0.0.0", "::", "[::]", ""):
        names = list(LOCAL_HOSTS)
    else:
        names = [f"[{host}]" if ":" in host and not host.startswith("[") else host]
    return [f"{n}:{port}" for n in names] + list(extra)


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers") or []:
        if key.lower() == name:
            return value.decode("latin-1")
    return None


def _same_origin(origin: str, host: str) -> bool:
    """Whether the ``Origin`` header names the host (and port) the request was sent to."""
    try:
        parts = urlsplit(origin)
        origin_port = parts.port
    except ValueError:
        return False
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return False
    default = 443 if parts.scheme == "https" else 80
    name = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    ours = split_host(host)
    return ours is not None and ours[0] == name and (ours[1] or default) == (origin_port or default)


class HostCheckMiddleware:
    """Refuse requests to other host names (400 ``bad_host``) and cross-site posts (403
    ``cross_site``).

    A state-changing request (any method but GET/HEAD/OPTIONS) is refused when the browser marks
    it ``Sec-Fetch-Site: cross-site`` or ``same-site``, or when its ``Origin`` is ``null`` or
    another origin than the ``Host`` it was sent to (or an allowed host, behind a proxy).
    ``Sec-Fetch-Site: same-origin`` (or ``none``: typed by the user) is the browser's own word
    and wins over the ``Origin``: with this server's ``Referrer-Policy: no-referrer``, Chromium
    sends ``Origin: null`` on the app's own form posts. Clients that send neither header (curl,
    scripts) are not browsers acting for another site.
    """

    def __init__(self, app: Any, allowed: AllowedHosts) -> None:
        self.app = app
        self.allowed = allowed

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        host = _header(scope, b"host") or ""
        if not self.allowed.allows(host):
            shown = host[:100] or "(none)"
            message = (
                f"the Host header {shown!r} is not a name this server answers to; open it at "
                f"http://{self.allowed.first()}/, or start it with `--allowed-host NAME` for "
                "the names it is reached under (behind a reverse proxy)"
            )
            await send_error(scope, send, 400, "bad_host", message, "Unknown host")
            return
        if scope.get("method", "GET") not in _SAFE_METHODS:
            refusal = self._cross_site(scope, host)
            if refusal:
                await send_error(scope, send, 403, "cross_site", refusal, "Cross-site request")
                return
        await self.app(scope, receive, send)

    def _cross_site(self, scope: Scope, host: str) -> str | None:
        site = (_header(scope, b"sec-fetch-site") or "").strip().lower()
        origin = _header(scope, b"origin")
        if site in ("same-origin", "none"):
            return None
        if site in ("cross-site", "same-site") or (
            origin is not None
            and not _same_origin(origin.strip(), host)
            and not self.allowed.allows(_origin_host(origin), origin=True)
        ):
            shown = (origin or f"a {site} page")[:100]
            return (
                f"a request sent from another site ({shown}) is refused, so that other pages "
                "cannot submit to this server through your browser; open the analyser at this "
                "server's own address and submit it there"
            )
        return None


def _origin_host(origin: str) -> str:
    try:
        parts = urlsplit(origin.strip())
        port = parts.port
    except ValueError:
        return ""
    if not parts.hostname:
        return ""
    name = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    default = {"http": 80, "https": 443}.get(parts.scheme)
    return f"{name}:{port}" if port and port != default else name


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
        await send_error(scope, send, 413, "request_too_large", message, "Request too large")


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
