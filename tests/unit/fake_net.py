"""A fake network for URL-fetching tests: a resolver and an httpcore backend, no real sockets.

:class:`FakeNet` answers HTTP/1.1 requests from a routing function and records every address it
was asked to connect to, the ``Host`` header and the TLS server name of every request, so tests
can assert that a refused address was never connected to. :class:`FakeResolver` answers from a
table and counts its lookups.
"""

from __future__ import annotations

import ipaddress
import ssl
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import httpcore

from newsift.ingest.fetch import Fetcher

Route = Callable[[str, str], tuple[int, dict[str, str], bytes]]
PAGE = (
    b"<html><head><title>Flood closes river road</title></head><body><article>"
    b"<h1>Flood closes river road</h1>"
    + b"<p>The river road closed on Monday after the flood, the council said today.</p>" * 6
    + b"</article></body></html>"
)


def page(host: str, path: str) -> tuple[int, dict[str, str], bytes]:
    return 200, {"content-type": "text/html; charset=utf-8"}, PAGE


@dataclass
class Seen:
    """One request the fake network received."""

    address: str
    port: int
    host_header: str = ""
    path: str = ""
    server_hostname: str | None = None


class _Stream(httpcore.NetworkStream):
    def __init__(self, net: FakeNet, seen: Seen) -> None:
        self.net = net
        self.seen = seen
        self.inbox = b""
        self.outbox: bytes | None = None

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self.inbox += buffer

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        if self.outbox is None:
            head = self.inbox.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
            self.seen.path = head[0].split(" ")[1]
            headers = dict(line.split(": ", 1) for line in head[1:] if ": " in line)
            self.seen.host_header = headers.get("Host", headers.get("host", ""))
            status, extra, body = self.net.route(self.seen.host_header, self.seen.path)
            lines = [f"HTTP/1.1 {status} X", f"Content-Length: {len(body)}"]
            lines += [f"{k}: {v}" for k, v in extra.items()]
            self.outbox = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body
        out, self.outbox = self.outbox[:max_bytes], self.outbox[max_bytes:]
        return out

    def close(self) -> None:
        pass

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        self.seen.server_hostname = server_hostname
        return self

    def get_extra_info(self, info: str) -> Any:
        return None


@dataclass
class FakeNet(httpcore.NetworkBackend):
    """Answers every connection with ``route(host_header, path)``; records what it saw.

    Args:
        route: ``(host header, path) -> (status, headers, body)``.
        down: addresses that refuse connections.
    """

    route: Route = page
    down: set[str] = field(default_factory=set)
    seen: list[Seen] = field(default_factory=list)

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        seen = Seen(host, port)
        self.seen.append(seen)
        if host in self.down:
            raise httpcore.ConnectError(f"[Errno 111] connection refused by {host}")
        return _Stream(self, seen)

    def sleep(self, seconds: float) -> None:
        pass

    @property
    def addresses(self) -> list[str]:
        return [s.address for s in self.seen]

    def non_global(self) -> list[str]:
        """Every address connected to that is not a global one."""
        return [a for a in self.addresses if not ipaddress.ip_address(a).is_global]


@dataclass
class FakeResolver:
    """Resolves from ``table``: a host's list of answers, one per lookup (the last repeats)."""

    table: dict[str, Sequence[Sequence[str]]]
    lookups: list[str] = field(default_factory=list)

    def __call__(self, host: str, port: int) -> list[str]:
        self.lookups.append(host)
        answers = self.table.get(host)
        if not answers:
            raise OSError(f"{host}: name or service not known")
        return list(answers[min(self.lookups.count(host), len(answers)) - 1])


def fetcher(net: FakeNet, table: dict[str, Sequence[Sequence[str]]]) -> Fetcher:
    return Fetcher(resolver=FakeResolver(table), network_backend=net)
