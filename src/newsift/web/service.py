"""What the web routes call to analyse one submission: text, HTML, an upload or a URL.

The checks happen here, once, for the form and the JSON API alike: an empty submission, an
oversized or binary upload, undecodable bytes and refused URLs raise
:class:`~newsift.errors.InputError` subclasses with stable codes, which
:mod:`newsift.web.errors` maps to HTTP statuses.

The pipeline runs one article at a time per process (a lock; stages share models loaded once per
process and are not promised to be thread-safe), through :mod:`newsift.api` like every other
surface. Batching queued requests was measured to save nothing with the default pipeline (claims
are scored per article) and was removed. URL fetching happens before a request waits for the
pipeline, so a slow site holds up no one else. Run more server workers for more throughput.

Nothing blocking runs on the event loop: the routes hand submissions to the analyser's own thread
pool (:meth:`Analyzer.run`), apart from the pool that serves the corpus pages, and at most
``Limits.max_fetches`` URL fetches run at once; one more is answered at once with ``busy`` (503,
"try again") rather than queued behind slow sites. Each fetch ends by its deadline
(``Limits.fetch_timeout``, everything included), so slow upstreams free their slot in bounded time
and the server keeps answering ``/api/health`` and its pages.
"""

from __future__ import annotations

import asyncio
import functools
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

from ..article import Article
from ..errors import ExtractionError, InputError
from ..extract import extract
from ..ingest.source import RawInput
from ..pipeline import StageSpec
from .errors import WebError

T = TypeVar("T")


@dataclass(frozen=True)
class Limits:
    """Request limits of the web server.

    Args:
        max_body: largest request body accepted, in bytes (form, upload or JSON).
        max_fetch: largest page fetched from a URL, in bytes.
        fetch_timeout: seconds for a whole URL fetch (DNS, connects, TLS, reads, redirects).
        max_redirects: redirects followed for a URL, each hop checked before it is requested.
        max_fetches: URL fetches running at once; one more is refused with ``busy`` (503).
        analysis_threads: threads that run submissions (fetches, extraction, waiting for the
            pipeline), apart from the pool that serves the corpus pages.
    """

    max_body: int = 5_000_000
    max_fetch: int = 5_000_000
    fetch_timeout: float = 10.0
    max_redirects: int = 5
    max_fetches: int = 8
    analysis_threads: int = 16


class Analyzer:
    """Analyses web submissions with :mod:`newsift.api`, one at a time.

    Args:
        allow_private_urls: fetch loopback, private and link-local addresses.
        limits: size and time limits.
        stages: the stage list (default pipeline when None).
        client: a :class:`~newsift.ingest.fetch.Fetcher` (tests: a fake resolver and network
            backend) or an ``httpx.Client`` (tests: a mock transport) for URL fetches.
    """

    def __init__(
        self,
        *,
        allow_private_urls: bool = False,
        limits: Limits | None = None,
        stages: Sequence[StageSpec] | None = None,
        client: Any = None,
    ) -> None:
        self.allow_private_urls = allow_private_urls
        self.limits = limits or Limits()
        self.stages = stages
        self.client = client
        self._pipeline_lock = threading.Lock()
        self._fetch_slots = threading.BoundedSemaphore(self.limits.max_fetches)
        self._pool = ThreadPoolExecutor(
            max_workers=max(self.limits.analysis_threads, self.limits.max_fetches + 1),
            thread_name_prefix="newsift-analyse",
        )

    async def run(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
        """Run ``fn(*args, **kwargs)`` on the analyser's thread pool, off the event loop."""
        future = self._pool.submit(functools.partial(fn, *args, **kwargs))
        return await asyncio.wrap_future(future)

    def _analyse(self, prepare: Callable[[], Article]) -> Article:
        """Prepare (extract) one article and run the pipeline on it, one article at a time."""
        from .. import api

        with self._pipeline_lock:
            return api.get_pipeline(self.stages)(prepare())

    def warm_up(self) -> None:
        """Build the pipeline and load its models now, so the first request is not slow."""
        from .. import api

        api.get_pipeline(self.stages).setup()  # at start-up, before any request is served

    def analyze_text(
        self,
        text: str,
        *,
        url: str | None = None,
        html: bool | None = None,
        name: str = "<text>",
        encoding: str | None = None,
    ) -> Article:
        """Analyse pasted text or HTML; ``url`` is the article's original address (not fetched);
        ``encoding`` is how an upload was decoded (a guess is recorded as a problem)."""

        _check_unicode(text, name)
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
            _check_unicode(url, "url")
            _check_scheme(url)
        raw = RawInput.from_text(text, name=name, html=html)
        if encoding is not None:
            raw.encoding = encoding  # a GuessedEncoding carries the note extract() records
        return self._analyse(lambda: extract(raw, url=url or None))

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
        text, encoding = decode_bytes(data, name)
        return self.analyze_text(text, url=url, name=name, encoding=encoding)

    def analyze_url(self, url: str) -> Article:
        """Fetch and analyse ``url``; addresses that are not public are refused unless allowed.

        Raises:
            WebError: (``busy``) ``Limits.max_fetches`` fetches are running already.
        """
        from .. import api

        url = url.strip()
        _check_unicode(url, "url")
        _check_scheme(url)
        options = api.Options(
            max_bytes=self.limits.max_fetch,
            timeout=self.limits.fetch_timeout,
            max_redirects=self.limits.max_redirects,
            allow_private_urls=self.allow_private_urls,
        )
        if not self._fetch_slots.acquire(blocking=False):
            raise WebError(
                f"{url[:200]}: the server is busy fetching {self.limits.max_fetches} other pages; "
                "try again in a few seconds, or paste the article's text",
                code="busy",
            )
        try:
            article = api.load(url, options=options, client=self.client)  # outside the queue
        finally:
            self._fetch_slots.release()
        return self._analyse(lambda: article)

    def analyze_submission(
        self, *, text: str | None = None, html: str | None = None, url: str | None = None
    ) -> Article:
        """Analyse a form or JSON body: text or HTML (``url`` then names it), else ``url``."""
        for value, field in ((text, "text"), (html, "html"), (url, "url")):
            _check_unicode(value, field)
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


def _check_unicode(value: str | None, name: str) -> None:
    """Refuse strings that cannot be encoded (a lone surrogate such as ``"\\ud800"`` in JSON)."""
    if not value:
        return
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as err:
        raise InputError(
            f"{name[:40]}: the text holds {value[err.start]!a} at character {err.start:,}, a lone "
            "UTF-16 surrogate that is not valid Unicode; send the article as UTF-8 text",
            code="invalid_text",
        ) from err


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
