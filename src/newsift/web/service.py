"""What the web routes call to analyse one submission: text, HTML, an upload or a URL.

The checks happen here, once, for the form and the JSON API alike: an empty submission, an
oversized or binary upload, undecodable bytes and refused URLs raise
:class:`~newsift.errors.InputError` subclasses with stable codes, which
:mod:`newsift.web.errors` maps to HTTP statuses.

The pipeline runs one article at a time per process (a first-come, first-served lock): stages share
models loaded once per process and are not promised to be thread-safe. Run more server workers for
more throughput.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from ..article import Article
from ..errors import ExtractionError, InputError


class FifoLock:
    """A lock granted in arrival order, so no request starves behind luckier ones (p99)."""

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._waiters: deque[threading.Event] = deque()
        self._held = False

    def __enter__(self) -> FifoLock:
        with self._guard:
            if not self._held:
                self._held = True
                return self
            turn = threading.Event()
            self._waiters.append(turn)
        turn.wait()  # the releaser hands the lock over: _held stays True
        return self

    def __exit__(self, *exc: object) -> None:
        with self._guard:
            if self._waiters:
                self._waiters.popleft().set()
            else:
                self._held = False


@dataclass(frozen=True)
class Limits:
    """Request limits of the web server.

    Args:
        max_body: largest request body accepted, in bytes (form, upload or JSON).
        max_fetch: largest page fetched from a URL, in bytes.
        fetch_timeout: seconds for a URL fetch.
    """

    max_body: int = 5_000_000
    max_fetch: int = 5_000_000
    fetch_timeout: float = 10.0


class Analyzer:
    """Analyses web submissions with :mod:`newsift.api`, one at a time.

    Args:
        allow_private_urls: fetch loopback, private and link-local addresses.
        limits: size and time limits.
        stages: the stage list (default pipeline when None).
        client: an ``httpx.Client`` for URL fetches (tests pass one with a mock transport).
    """

    def __init__(
        self,
        *,
        allow_private_urls: bool = False,
        limits: Limits | None = None,
        stages: Sequence[str] | None = None,
        client: Any = None,
    ) -> None:
        self.allow_private_urls = allow_private_urls
        self.limits = limits or Limits()
        self.stages = stages
        self.client = client
        self._lock = FifoLock()

    def warm_up(self) -> None:
        """Build the pipeline and load its models now, so the first request is not slow."""
        from .. import api

        with self._lock:
            api.get_pipeline(self.stages)

    def _run(self, fn: Callable[[], Article]) -> Article:
        with self._lock:
            return fn()

    def analyze_text(
        self, text: str, *, url: str | None = None, html: bool | None = None, name: str = "<text>"
    ) -> Article:
        """Analyse pasted text or HTML; ``url`` is the article's original address (not fetched)."""
        from .. import api

        if not text or not text.strip():
            raise ExtractionError(
                f"{name}: the submission is empty; paste an article's text, upload a file "
                "or give a URL",
                code="empty",
            )
        if "\x00" in text:
            raise InputError(
                f"{name}: the text contains NUL bytes, so it is binary data rather than an "
                "article; send the article's text or HTML",
                code="binary",
            )
        if url:
            _check_scheme(url)
        return self._run(
            lambda: api.analyze_text(
                text, url=url or None, html=html, name=name, stages=self.stages
            )
        )

    def analyze_upload(self, data: bytes, *, filename: str, url: str | None = None) -> Article:
        """Analyse an uploaded HTML or text file (checked for size, emptiness, binary content)."""
        from ..ingest.source import binary_kind, decode_bytes

        name = filename or "upload"
        if len(data) > self.limits.max_body:
            raise InputError(
                f"{name}: the file is {len(data):,} bytes, over the "
                f"{self.limits.max_body:,}-byte limit; "
                "upload a single article",
                code="too_large",
            )
        if not data.strip():
            raise ExtractionError(
                f"{name}: the uploaded file is empty; upload an article's HTML or text",
                code="empty",
            )
        what = binary_kind(data)
        if what:
            raise InputError(
                f"{name}: this is {what}, not HTML or text; save the article as HTML or plain text",
                code="binary",
            )
        text, _encoding = decode_bytes(data, name)
        return self.analyze_text(text, url=url, name=name)

    def analyze_url(self, url: str) -> Article:
        """Fetch and analyse ``url``; private addresses are refused unless allowed."""
        from .. import api

        url = url.strip()
        _check_scheme(url)
        options = api.Options(
            max_bytes=self.limits.max_fetch,
            timeout=self.limits.fetch_timeout,
            allow_private_urls=self.allow_private_urls,
        )
        return self._run(
            lambda: api.analyze(url, stages=self.stages, options=options, client=self.client)
        )

    def analyze_submission(
        self, *, text: str | None = None, html: str | None = None, url: str | None = None
    ) -> Article:
        """Analyse a form or JSON body: text or HTML (``url`` then names it), else ``url``."""
        if html is not None and html.strip():
            return self.analyze_text(html, url=url, html=True, name="<html>")
        if text is not None and text.strip():
            return self.analyze_text(text, url=url, name="<text>")
        if url and url.strip():
            return self.analyze_url(url)
        raise ExtractionError(
            "the submission is empty: paste the article's text or HTML, upload a file or give a URL "
            "(in JSON: `text`, `html` or `url`)",
            code="empty",
        )


def _check_scheme(url: str) -> None:
    from ..ingest.source import check_url

    if "://" not in url and ":" not in url.split("/", 1)[0]:
        raise InputError(
            f"{url[:200]}: not a full URL; write it with its scheme, "
            f"e.g. https://{url.strip()[:200]}",
            code="bad_url",
        )
    # Only the scheme and host here; private addresses are checked when (and only if) we fetch.
    check_url(url, allow_private=True)
