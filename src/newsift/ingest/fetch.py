"""Fetch one http(s) URL safely: every hop checked and pinned, one deadline for the whole fetch.

A server that fetches URLs for its users must not become their way into its own network (SSRF).
So, for the first URL and for every redirect, before anything is sent:

1. the scheme must be http or https and the URL must name a host;
2. the host is resolved once (an IP literal, in whatever encoding a URL allows, is parsed here,
   not by the resolver), and unless private addresses are allowed, every address must be a
   public internet address (:func:`is_public_address`);
3. the connection is made to one of those checked addresses and nowhere else: the network
   backend ignores the host name httpcore hands it (:class:`PinnedBackend`), so a second DNS
   answer (DNS rebinding) cannot change where the request goes. The ``Host`` header, TLS SNI and
   certificate verification still use the URL's host name.

Redirects are followed here, by hand, up to ``max_redirects``; a refused hop is never requested,
and every refused target gives the same error, whatever is (or is not) listening there. The whole
fetch, DNS, connects, TLS, every read and every redirect, runs against one deadline
(:class:`Deadline`), so a server that trickles bytes cannot hold a fetch open past it.

The seams for tests are the resolver, the httpcore network backend (a fake one sees exactly which
addresses would be connected to) and, for simple cases, an injected ``httpx.Client`` (then the
client's transport does the connecting and only the checks and the redirect loop run here).
"""

from __future__ import annotations

import functools
import ipaddress
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import httpcore
import httpx

from ..errors import FetchError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], Sequence[str]]
"""``resolver(host, port)``: the host's addresses as strings, in the order to try them."""

USER_AGENT = "newsift/0.1 (+https://github.com/newsift/newsift)"
REDIRECT_STATUSES = (301, 302, 303, 307, 308)

# Ranges refused on top of what ``ipaddress`` calls non-global: the shared address space of
# carrier-grade NAT (cloud metadata lives there, e.g. 100.100.100.200), named explicitly in case
# an older Python counts it global, and IPv4 multicast, which ``is_global`` lets through.
_REFUSED_V4 = (
    ipaddress.ip_network("100.64.0.0/10"),
    ipaddress.ip_network("224.0.0.0/4"),
    ipaddress.ip_network("0.0.0.0/8"),
)
# IPv6 prefixes that carry an IPv4 address in their last 32 bits (NAT64, RFC 6052 and 8215).
_NAT64 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))

REFUSED_REASON = (
    "its host is not a public internet address (loopback, private, link-local, carrier-grade "
    "NAT, multicast or reserved), and such addresses are not fetched; start the server with "
    "--allow-private-urls to allow them"
)


def parse_ip_literal(host: str) -> IPAddress | None:
    """The IP address a URL host names literally, or None for a host name.

    Besides dotted quads and IPv6, the forms ``inet_aton`` (and so many HTTP stacks) accept:
    one to four parts, each decimal, octal (leading ``0``) or hex (``0x``), the last part filling
    the remaining bytes: ``2130706433``, ``0x7f.1``, ``017700000001`` and ``127.1`` all name
    127.0.0.1.
    """
    host = host.strip("[]").lower()
    try:
        return ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        pass
    parts = host.split(".")
    if not 1 <= len(parts) <= 4:
        return None
    numbers = []
    for part in parts:
        try:
            if part.startswith("0x"):
                numbers.append(int(part[2:] or "0", 16))
            elif len(part) > 1 and part.startswith("0"):
                numbers.append(int(part, 8))
            else:
                numbers.append(int(part, 10) if part.isascii() and part.isdigit() else -1)
        except ValueError:
            return None
        if numbers[-1] < 0:
            return None
    *head, last = numbers
    if any(n > 255 for n in head) or last >= 256 ** (4 - len(head)):
        return None
    value = last
    for i, n in enumerate(head):
        value += n << (8 * (3 - i))
    return ipaddress.IPv4Address(value)


def _embedded_v4(addr: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address carries (mapped, 6to4, Teredo client, NAT64), if any."""
    if addr.ipv4_mapped is not None:
        return addr.ipv4_mapped
    if addr.sixtofour is not None:
        return addr.sixtofour
    if addr.teredo is not None:
        return addr.teredo[1]
    if any(addr in net for net in _NAT64):
        return ipaddress.IPv4Address(int(addr) & 0xFFFFFFFF)
    return None


def is_public_address(addr: IPAddress) -> bool:
    """Whether ``addr`` is a public internet address a server may fetch from.

    Refused: whatever :mod:`ipaddress` calls non-global (loopback, RFC 1918, link-local,
    unspecified, documentation, benchmarking ...), carrier-grade NAT 100.64.0.0/10, multicast,
    reserved, and IPv6 addresses that embed a refused IPv4 address (``::ffff:127.0.0.1``, 6to4,
    Teredo, NAT64).
    """
    if isinstance(addr, ipaddress.IPv6Address):
        if addr.ipv4_mapped is not None:  # a dual-stack socket connects to the IPv4 address
            return is_public_address(addr.ipv4_mapped)
        embedded = _embedded_v4(addr)
        if embedded is not None and not is_public_address(embedded):
            return False
    if not addr.is_global or addr.is_multicast or addr.is_reserved or addr.is_unspecified:
        return False
    return isinstance(addr, ipaddress.IPv6Address) or not any(addr in n for n in _REFUSED_V4)


def system_resolver(host: str, port: int) -> list[str]:
    """The host's addresses from the system resolver, in its order, without duplicates."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


class Deadline:
    """One time limit for a whole fetch; every blocking step takes at most what is left."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._end = time.monotonic() + seconds

    def remaining(self) -> float:
        return max(0.0, self._end - time.monotonic())

    def clamp(self, timeout: float | None, exc: type[Exception]) -> float:
        """``timeout`` cut to what is left; raises ``exc`` when nothing is."""
        left = self.remaining()
        if left <= 0:
            raise exc(f"the {self.seconds:g} s deadline of the fetch has passed")
        return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    """A network stream whose every read, write and TLS handshake ends by the deadline."""

    def __init__(self, inner: httpcore.NetworkStream, deadline: Deadline) -> None:
        self.inner = inner
        self.deadline = deadline

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self.inner.read(max_bytes, self.deadline.clamp(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self.inner.write(buffer, self.deadline.clamp(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self.inner.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        timeout = self.deadline.clamp(timeout, httpcore.ConnectTimeout)
        return _DeadlineStream(
            self.inner.start_tls(ssl_context, server_hostname, timeout), self.deadline
        )

    def get_extra_info(self, info: str) -> Any:
        return self.inner.get_extra_info(info)


class PinnedBackend(httpcore.NetworkBackend):
    """Connects only to ``addresses`` (already checked), whatever host httpcore asks for.

    Args:
        addresses: the checked addresses of the hop's host, tried in order.
        deadline: the fetch's deadline; connects and every later read/write end by it.
        inner: the backend that opens sockets (httpcore's own; tests pass a fake).
    """

    def __init__(
        self,
        addresses: Sequence[str],
        deadline: Deadline,
        inner: httpcore.NetworkBackend | None = None,
    ) -> None:
        self.addresses = list(addresses)
        self.deadline = deadline
        self.inner = inner or httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        last: Exception = httpcore.ConnectError(f"{host}: no address to connect to")
        for address in self.addresses:
            limit = self.deadline.clamp(timeout, httpcore.ConnectTimeout)
            try:
                stream = self.inner.connect_tcp(
                    address, port, limit, local_address=local_address, socket_options=socket_options
                )
            except httpcore.ConnectError as err:
                last = err
                continue
            return _DeadlineStream(stream, self.deadline)
        raise last

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.NetworkStream:
        raise httpcore.ConnectError("unix sockets are never fetched")

    def sleep(self, seconds: float) -> None:
        time.sleep(min(seconds, self.deadline.remaining()))


class PinnedTransport(httpx.HTTPTransport):
    """httpx's own transport (its exception and stream mapping) over a :class:`PinnedBackend`.

    TLS verifies the certificate against the URL's host name, which httpcore also sends as SNI.
    """

    def __init__(self, backend: PinnedBackend, ssl_context: ssl.SSLContext | None = None) -> None:
        context = ssl_context or _default_ssl_context()
        super().__init__(verify=context, trust_env=False, retries=0)
        if not hasattr(self, "_pool"):  # pragma: no cover - httpx is pinned below 1.0
            raise RuntimeError("this httpx version keeps no connection pool to pin")
        self._pool.close()
        self._pool = httpcore.ConnectionPool(
            ssl_context=context, network_backend=backend, max_connections=1, retries=0
        )


@functools.lru_cache(maxsize=1)
def _default_ssl_context() -> ssl.SSLContext:
    """certifi's roots, as httpx uses; built once (loading them costs ~20 ms), never changed."""
    import certifi

    return ssl.create_default_context(cafile=certifi.where())


@dataclass
class Fetched:
    """What a fetch returns: the body, its declared type and charset, and the final URL."""

    data: bytes
    content_type: str
    charset: str | None
    url: str


@dataclass(frozen=True)
class _Hop:
    url: str
    addresses: tuple[str, ...]


@dataclass
class Fetcher:
    """Fetches http(s) URLs hop by hop, each hop checked and pinned (see the module docstring).

    Args:
        resolver: ``resolver(host, port) -> [address, ...]`` (the system resolver by default).
        network_backend: the httpcore backend that opens sockets (httpcore's by default; tests
            pass a fake and see every address it is asked to connect to).
        client: an ``httpx.Client`` that sends every hop instead (tests with a mock transport);
            the checks and the redirect loop still run here, but the client does the connecting.
        ssl_context: TLS settings (certifi's roots by default).
    """

    resolver: Resolver = system_resolver
    network_backend: httpcore.NetworkBackend | None = None
    client: httpx.Client | None = None
    ssl_context: ssl.SSLContext | None = field(default=None, repr=False)

    def fetch(
        self,
        url: str,
        *,
        timeout: float,
        max_redirects: int,
        max_bytes: int,
        allow_private: bool,
        accept: Callable[[str, str], None] = lambda url, ctype: None,
    ) -> Fetched:
        """GET ``url``, following up to ``max_redirects`` redirects, all within ``timeout`` s.

        Args:
            accept: called with (url, content type) before the body is read; raises to refuse.

        Raises:
            FetchError: ``bad_scheme``/``bad_url`` (a hop's URL), ``private_address`` (a hop's
                host is not public), ``unreachable``, ``http_error``, ``redirects``, ``timeout``
                (the whole fetch ran past ``timeout``), ``too_large``, or whatever ``accept``
                raises.
        """
        deadline = Deadline(timeout)
        current = url
        try:
            for _ in range(max_redirects + 1):
                if deadline.remaining() <= 0:
                    raise _timeout(url, deadline)
                hop = self._hop(url, current, deadline, allow_private, pin=self.client is None)
                with self._client(hop, timeout, deadline) as client:
                    request = client.build_request(
                        "GET", current, headers={"User-Agent": USER_AGENT}
                    )
                    response = client.send(request, stream=True, follow_redirects=False)
                    try:
                        location = response.headers.get("location")
                        if response.status_code in REDIRECT_STATUSES and location:
                            current = _join(url, current, location)
                            continue
                        return self._read(url, response, max_bytes, deadline, accept)
                    finally:
                        response.close()
        except httpx.TimeoutException as err:
            raise _timeout(url, deadline) from err
        except (httpx.HTTPError, httpx.InvalidURL, httpcore.UnsupportedProtocol) as err:
            raise FetchError(
                f"{url}: could not be reached ({err}); check the URL and your connection",
                code="unreachable",
            ) from err
        raise FetchError(
            f"{url}: more than {max_redirects} redirects; check the URL", code="redirects"
        )

    # -- one hop -------------------------------------------------------------------------------
    def _hop(
        self, url: str, current: str, deadline: Deadline, allow_private: bool, *, pin: bool
    ) -> _Hop:
        """Check ``current`` (the first URL or a redirect target) and resolve its host.

        ``pin``: resolve even when private addresses are allowed (we connect to what we found).
        """
        where = url if current == url else f"{url}: redirected to {current[:300]}, which"
        parsed = _parse(url, current, where)
        host = parsed.raw_host.decode("ascii")
        literal = parse_ip_literal(host)
        if literal is not None:
            addresses: tuple[str, ...] = (str(literal),)
        elif allow_private and not pin:
            return _Hop(current, ())  # nothing to check, and someone else connects
        else:
            addresses = self._resolve(url, host, parsed.port or _default_port(parsed), deadline)
        if not allow_private:
            for address in addresses:
                if not is_public_address(ipaddress.ip_address(address.split("%", 1)[0])):
                    raise FetchError(f"{where}: refused: {REFUSED_REASON}", code="private_address")
        return _Hop(current, addresses)

    def _resolve(self, url: str, host: str, port: int, deadline: Deadline) -> tuple[str, ...]:
        """The host's addresses, asked once, within the deadline."""
        outcome: dict[str, Any] = {}

        def run() -> None:
            try:
                outcome["addresses"] = tuple(self.resolver(host, port))
            except (OSError, UnicodeError) as err:
                outcome["error"] = err

        # getaddrinfo has no timeout of its own: past the deadline the thread is left to finish
        # (the system resolver gives up within its own limits) and the fetch ends now.
        worker = threading.Thread(target=run, name=f"resolve {host}", daemon=True)
        worker.start()
        worker.join(deadline.remaining())
        if worker.is_alive():
            raise _timeout(url, deadline)
        addresses = outcome.get("addresses") or ()
        if not addresses:
            raise FetchError(
                f"{url}: the host {host} could not be resolved; check the URL",
                code="unreachable",
            ) from outcome.get("error")
        return addresses

    @contextmanager
    def _client(self, hop: _Hop, timeout: float, deadline: Deadline) -> Iterator[httpx.Client]:
        if self.client is not None:
            yield self.client
            return
        backend = PinnedBackend(hop.addresses, deadline, self.network_backend)
        client = httpx.Client(
            transport=PinnedTransport(backend, self.ssl_context),
            timeout=httpx.Timeout(timeout),
            follow_redirects=False,
            trust_env=False,  # an environment proxy would resolve and connect on its own
        )
        try:
            yield client
        finally:
            client.close()

    @staticmethod
    def _read(
        url: str,
        response: httpx.Response,
        max_bytes: int,
        deadline: Deadline,
        accept: Callable[[str, str], None],
    ) -> Fetched:
        if response.status_code >= 400:
            raise FetchError(
                f"{url}: the server answered HTTP {response.status_code}; check the URL, or save "
                "the page and give the file",
                code="http_error",
            )
        ctype = response.headers.get("content-type", "").split(";")[0].strip().lower()
        accept(url, ctype)
        chunks, total = [], 0
        for chunk in response.iter_bytes():
            total += len(chunk)
            if total > max_bytes:
                raise FetchError(
                    f"{url}: the page is over the {max_bytes:,}-byte limit; save the article and "
                    "give the file",
                    code="too_large",
                )
            chunks.append(chunk)
            if deadline.remaining() <= 0:
                raise _timeout(url, deadline)
        return Fetched(b"".join(chunks), ctype, response.charset_encoding, str(response.url))


def _parse(url: str, current: str, where: str) -> httpx.URL:
    try:
        parsed = httpx.URL(current)
    except (httpx.InvalidURL, ValueError, UnicodeError) as err:
        raise FetchError(f"{where}: is not a valid URL ({err}); check it", code="bad_url") from err
    if parsed.scheme not in ("http", "https"):
        raise FetchError(
            f"{where}: the scheme {parsed.scheme or '(none)'!r} is not fetched; only http and "
            "https URLs are",
            code="bad_scheme",
        )
    if not parsed.raw_host:
        raise FetchError(f"{where}: the URL has no host name; check the URL", code="bad_url")
    return parsed


def _join(url: str, current: str, location: str) -> str:
    """The absolute URL a redirect's ``Location`` (maybe relative) points to."""
    try:
        return str(httpx.URL(current).join(location.strip()))
    except (httpx.InvalidURL, ValueError, UnicodeError) as err:
        raise FetchError(
            f"{url}: redirected to {location[:300]!r}, which is not a valid URL; check the URL",
            code="bad_url",
        ) from err


def _default_port(parsed: httpx.URL) -> int:
    return 443 if parsed.scheme == "https" else 80


def _timeout(url: str, deadline: Deadline) -> FetchError:
    return FetchError(
        f"{url}: timed out: the fetch (connecting, redirects and download together) is limited "
        f"to {deadline.seconds:g} s; try again later, or save the page and give the file",
        code="timeout",
    )


def check_url_target(url: str, *, allow_private: bool, resolver: Resolver | None = None) -> None:
    """Check ``url``'s scheme and host, and unless ``allow_private``, its addresses.

    The same checks as each hop of :meth:`Fetcher.fetch` (without fetching).
    """
    fetcher = Fetcher(resolver=resolver or system_resolver)
    fetcher._hop(url, url, Deadline(10.0), allow_private, pin=False)
