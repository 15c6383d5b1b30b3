"""URL fetching cannot be turned against the server's own network (SSRF), on any hop.

Everything here runs on a fake resolver and a fake httpcore network backend: no real sockets. The
backend records every address it was asked to connect to, so each test can assert that a refused
address was never connected to.
"""

from __future__ import annotations

import ipaddress

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsift.api import Options, load
from newsift.errors import FetchError
from newsift.ingest.fetch import Fetcher, is_public_address, parse_ip_literal
from newsift.ingest.source import check_url, fetch_url
from tests.unit.fake_net import PAGE, FakeNet, FakeResolver, fetcher

PUBLIC = "93.184.216.34"
PUBLIC6 = "2606:2800:220:1:248:1893:25c8:1946"
WEB = Options(max_bytes=1_000_000, timeout=5.0, max_redirects=5, allow_private_urls=False)

NON_GLOBAL = [
    "127.0.0.1",
    "127.255.255.254",
    "10.0.0.1",
    "172.16.5.4",
    "192.168.1.1",
    "169.254.169.254",  # cloud metadata (link-local)
    "100.100.100.200",  # cloud metadata (carrier-grade NAT)
    "100.64.0.1",
    "0.0.0.0",
    "0.1.2.3",
    "224.0.0.1",
    "239.255.255.250",
    "255.255.255.255",
    "240.0.0.1",
    "198.18.0.1",
    "192.0.2.1",
    "192.0.0.171",
    "::1",
    "::",
    "fe80::1",
    "fc00::1",
    "fd12:3456::1",
    "ff02::1",
    "2001:db8::1",
    "::ffff:127.0.0.1",
    "::ffff:10.0.0.1",
    "::ffff:169.254.169.254",
    "64:ff9b::a00:1",  # NAT64 of 10.0.0.1
    "64:ff9b::7f00:1",  # NAT64 of 127.0.0.1
    "2002:a00:1::1",  # 6to4 of 10.0.0.1
    "2002:7f00:1::1",  # 6to4 of 127.0.0.1
    "::127.0.0.1",
]


def _refused(fetch, url: str, options: Options = WEB) -> FetchError:
    with pytest.raises(FetchError) as info:
        fetch_url(url, options, fetch)
    return info.value


@pytest.mark.parametrize("address", NON_GLOBAL)
def test_a_host_resolving_to_a_non_global_address_is_refused_unconnected(address):
    net = FakeNet()
    err = _refused(fetcher(net, {"sneaky.example": [[address]]}), "https://sneaky.example/a")
    assert err.code == "private_address"
    assert "not a public internet address" in err.message and "--allow-private-urls" in err.message
    assert net.seen == []


def test_one_non_global_address_among_public_ones_refuses_the_host():
    net = FakeNet()
    err = _refused(fetcher(net, {"mixed.example": [[PUBLIC, "10.0.0.7"]]}), "http://mixed.example/")
    assert err.code == "private_address" and net.seen == []


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://2130706433/",
        "http://0x7f000001/",
        "http://0x7f.1/",
        "http://017700000001/",
        "http://0177.0.0.1/",
        "http://127.1/",
        "http://0/",
        "http://0.0.0.0:8000/",
        "http://10.1/",
        "http://0xa9.0xfe.0xa9.0xfe/latest/meta-data",
        "http://[::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://[::ffff:7f00:1]/",
        "http://[0:0:0:0:0:ffff:a00:1]/",
        "http://[64:ff9b::a9fe:a9fe]/",
        "http://[fe80::1%25eth0]/",
        "http://user@127.0.0.1/",
        "http://news.example.com@127.0.0.1/",
    ],
)
def test_literal_ip_hosts_in_any_encoding_are_refused_without_dns(url):
    net = FakeNet()
    resolver = FakeResolver({})
    err = _refused(Fetcher(resolver=resolver, network_backend=net), url)
    assert err.code in ("private_address", "bad_url"), err.message
    assert net.seen == [] and resolver.lookups == []


@pytest.mark.parametrize(
    ("host", "address"),
    [
        ("2130706433", "127.0.0.1"),
        ("0x7f.1", "127.0.0.1"),
        ("017700000001", "127.0.0.1"),
        ("127.1", "127.0.0.1"),
        ("10.1", "10.0.0.1"),
        ("0", "0.0.0.0"),
        ("[::ffff:127.0.0.1]", "::ffff:7f00:1"),
        ("93.184.216.34", PUBLIC),
    ],
)
def test_ip_literals_are_parsed_like_inet_aton(host, address):
    assert parse_ip_literal(host) == ipaddress.ip_address(address)


@pytest.mark.parametrize("host", ["news.example", "face.cafe", "1.2.3.4.5", "256.1.1.1", "08.1"])
def test_host_names_are_not_ip_literals(host):
    assert parse_ip_literal(host) is None


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
@pytest.mark.parametrize(
    "target",
    [
        "http://127.0.0.1/admin",
        "http://10.0.0.1:8080/",
        "http://169.254.169.254/latest/meta-data/",
        "http://100.100.100.200/latest/meta-data/",
        "http://[::1]:6379/",
        "http://[::ffff:10.0.0.1]/",
        "https://2130706433/",
        "http://intranet.corp/",
    ],
)
def test_a_redirect_to_an_internal_target_is_refused_before_it_is_requested(status, target):
    def route(host: str, path: str):
        return status, {"location": target}, b""

    net = FakeNet(route)
    table = {"news.example": [[PUBLIC]], "intranet.corp": [["10.20.30.40"]]}
    err = _refused(fetcher(net, table), "https://news.example/story")
    assert err.code == "private_address"
    assert "redirected to" in err.message and "not a public internet address" in err.message
    assert net.addresses == [PUBLIC]  # the public hop only
    assert net.non_global() == []


def test_the_refusal_is_the_same_whatever_listens_at_the_internal_target():
    """No port-scan oracle: open, closed and silent internal ports all give one error."""

    def route(host: str, path: str):
        if host == "news.example":
            return 302, {"location": "http://10.0.0.1:22/"}, b""
        return 200, {"content-type": "text/html"}, PAGE

    errors = []
    for down in (set(), {"10.0.0.1"}):
        net = FakeNet(route, down=down)
        err = _refused(fetcher(net, {"news.example": [[PUBLIC]]}), "http://news.example/")
        errors.append((err.code, err.message))
        assert net.addresses == [PUBLIC]
    assert errors[0] == errors[1]


def test_relative_redirects_are_followed_and_checked():
    def route(host: str, path: str):
        if path == "/old":
            return 301, {"location": "/new?x=1"}, b""
        return 200, {"content-type": "text/html"}, PAGE

    net = FakeNet(route)
    raw = fetch_url("https://news.example/old", WEB, fetcher(net, {"news.example": [[PUBLIC]]}))
    assert raw.url == "https://news.example/new?x=1"
    assert [s.path for s in net.seen] == ["/old", "/new?x=1"]
    assert net.addresses == [PUBLIC, PUBLIC]


@pytest.mark.parametrize(
    "location", ["file:///etc/passwd", "ftp://news.example/x", "gopher://127.0.0.1:6379/_x"]
)
def test_a_redirect_to_another_scheme_is_refused(location):
    net = FakeNet(lambda host, path: (302, {"location": location}, b""))
    err = _refused(fetcher(net, {"news.example": [[PUBLIC]]}), "http://news.example/")
    assert err.code == "bad_scheme" and "redirected to" in err.message
    assert net.addresses == [PUBLIC]


def test_too_many_redirects():
    net = FakeNet(lambda host, path: (302, {"location": path + "x"}, b""))
    err = _refused(fetcher(net, {"news.example": [[PUBLIC]]}), "http://news.example/")
    assert err.code == "redirects"
    assert len(net.seen) == WEB.max_redirects + 1


def test_dns_rebinding_cannot_move_the_connection():
    """The host resolves public first and private after: one lookup, one pinned address."""
    net = FakeNet()
    resolver = FakeResolver({"rebind.example": [[PUBLIC], ["127.0.0.1"]]})
    raw = fetch_url("http://rebind.example/a", WEB, Fetcher(resolver=resolver, network_backend=net))
    assert "river road" in raw.text
    assert resolver.lookups == ["rebind.example"]
    assert net.addresses == [PUBLIC]


def test_a_rebinding_host_is_checked_again_on_its_next_hop():
    def route(host: str, path: str):
        if path == "/a":
            return 302, {"location": "/b"}, b""
        return 200, {"content-type": "text/html"}, PAGE

    net = FakeNet(route)
    err = _refused(
        fetcher(net, {"rebind.example": [[PUBLIC], ["127.0.0.1"]]}), "http://rebind.example/a"
    )
    assert err.code == "private_address" and net.addresses == [PUBLIC]


def test_the_pinned_connection_keeps_the_host_name_for_host_header_and_tls():
    net = FakeNet()
    fetch_url("https://news.example:8443/a", WEB, fetcher(net, {"news.example": [[PUBLIC]]}))
    (seen,) = net.seen
    assert (seen.address, seen.port) == (PUBLIC, 8443)
    assert seen.host_header == "news.example:8443"
    assert seen.server_hostname == "news.example"


def test_the_checked_addresses_are_tried_in_order():
    net = FakeNet(down={PUBLIC6})
    raw = fetch_url(
        "http://news.example/", WEB, fetcher(net, {"news.example": [[PUBLIC6, PUBLIC]]})
    )
    assert raw.url == "http://news.example/"
    assert net.addresses == [PUBLIC6, PUBLIC]


def test_private_targets_are_fetched_when_allowed():
    def route(host: str, path: str):
        if host == "news.example":
            return 307, {"location": "http://127.0.0.1:9000/page"}, b""
        return 200, {"content-type": "text/html"}, PAGE

    net = FakeNet(route)
    local = Options(timeout=5.0, allow_private_urls=True)
    raw = fetch_url("http://news.example/", local, fetcher(net, {"news.example": [[PUBLIC]]}))
    assert raw.url == "http://127.0.0.1:9000/page"
    assert net.addresses == [PUBLIC, "127.0.0.1"]


def test_an_unresolvable_host_is_unreachable():
    net = FakeNet()
    err = _refused(fetcher(net, {}), "http://nowhere.example/")
    assert err.code == "unreachable" and "could not be resolved" in err.message


def test_a_refused_connection_to_a_public_host_is_unreachable():
    net = FakeNet(down={PUBLIC})
    err = _refused(fetcher(net, {"news.example": [[PUBLIC]]}), "http://news.example/")
    assert err.code == "unreachable"


def test_check_url_uses_the_same_policy():
    resolver = FakeResolver({"meta.example": [["100.100.100.200"]], "ok.example": [[PUBLIC]]})
    with pytest.raises(FetchError) as info:
        check_url("http://meta.example/", allow_private=False, resolver=resolver)
    assert info.value.code == "private_address"
    check_url("http://ok.example/", allow_private=False, resolver=resolver)
    check_url("http://meta.example/", allow_private=True, resolver=resolver)
    assert resolver.lookups == ["meta.example", "ok.example"]  # no lookup when allowed


def test_load_accepts_a_fetcher():
    net = FakeNet()
    article = load(
        "https://news.example/a", options=WEB, client=fetcher(net, {"news.example": [[PUBLIC]]})
    )
    assert "river road closed" in article.text


@pytest.mark.parametrize("address", NON_GLOBAL)
def test_non_global_addresses_are_not_public(address):
    assert not is_public_address(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", [PUBLIC, PUBLIC6, "1.1.1.1", "2a00:1450:4001:80b::200e"])
def test_public_addresses_are_public(address):
    assert is_public_address(ipaddress.ip_address(address))


@pytest.mark.fuzz
@given(st.ip_addresses(v=4))
def test_an_ipv4_address_and_its_ipv6_forms_get_the_same_answer(addr):
    mapped = ipaddress.IPv6Address(f"::ffff:{addr}")
    nat64 = ipaddress.IPv6Address(int(ipaddress.IPv6Address("64:ff9b::")) | int(addr))
    assert is_public_address(mapped) == is_public_address(addr)
    if not is_public_address(addr):
        assert not is_public_address(nat64)
