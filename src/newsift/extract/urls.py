"""URL helpers: the registrable domain of a URL, without a network lookup."""

from __future__ import annotations

from urllib.parse import urlsplit


def domain_of(url: str | None) -> str | None:
    """The lower-case host of ``url`` without ``www.``/``m.``/``amp.``, or None.

    ``"https://www.RT.com/news/1"`` -> ``"rt.com"``. Works on bare hosts too (``"rt.com/x"``).
    """
    if not url:
        return None
    if "://" not in url:
        url = "http://" + url
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    if not host:
        return None
    host = host.lower().rstrip(".")
    for prefix in ("www.", "m.", "amp.", "mobile."):
        if host.startswith(prefix) and host.count(".") >= 2:
            host = host[len(prefix) :]
    return host


def path_of(url: str | None) -> str:
    if not url:
        return ""
    if "://" not in url:
        url = "http://" + url
    try:
        return urlsplit(url).path or ""
    except ValueError:
        return ""
