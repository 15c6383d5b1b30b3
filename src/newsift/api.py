"""What the CLI, the web app, corpus runs and Spark call: one function per job.

``analyze()`` reads one input (path, ``-``, URL, or raw text/HTML), extracts the article and runs
the pipeline; ``load_record()`` extracts a record a corpus reader stored, ``analyze_many()`` runs
the pipeline over extracted articles in batches (``newsift run`` and ``newsift spark``). Pipelines
are built once per process per stage list and reused.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from .article import Article
from .extract import extract
from .ingest.source import RawInput, read_source
from .pipeline import DEFAULT_STAGES, Pipeline, StageSpec


@dataclass(frozen=True)
class Options:
    """Input options, one small dataclass instead of keyword arguments copied everywhere.

    Args:
        max_bytes: inputs larger than this are refused (files, stdin, downloads); every reader
            counts the bytes it reads and stops there.
        timeout: seconds for a whole URL fetch: DNS, connects, TLS, every read and every
            redirect together (a server that trickles bytes cannot stretch it).
        max_redirects: redirects followed for a URL (each hop is checked before it is requested).
        allow_private_urls: fetch addresses that are not public (loopback, private, link-local,
            carrier-grade NAT...; the web server refuses them unless told otherwise; the CLI
            allows them, being the user's own machine).
    """

    max_bytes: int = 20_000_000
    timeout: float = 15.0
    max_redirects: int = 5
    allow_private_urls: bool = True


class _PipelineCache:
    """Pipelines built in this process, by stage list (models load once per process)."""

    def __init__(self) -> None:
        self._pipelines: dict[str, Pipeline] = {}

    def get(self, stages: Sequence[StageSpec] | None) -> Pipeline:
        specs = list(stages or DEFAULT_STAGES)
        key = json.dumps(specs, sort_keys=True)
        if key not in self._pipelines:
            self._pipelines[key] = Pipeline(specs)
        return self._pipelines[key]


_PIPELINES = _PipelineCache()


def get_pipeline(stages: Sequence[StageSpec] | None = None) -> Pipeline:
    """The pipeline for ``stages`` (default: :data:`newsift.pipeline.DEFAULT_STAGES`): stage names
    or ``{"name": ..., **settings}`` dicts (:func:`newsift.pipeline.with_settings` makes them
    from ``STAGE.KEY=VALUE`` strings)."""
    return _PIPELINES.get(stages)


def load(
    source: str, *, url: str | None = None, options: Options | None = None, client: Any = None
) -> Article:
    """Read and extract one input without running any stage.

    Args:
        source: a file path, ``"-"`` for stdin, or an http(s) URL.
        url: the article's original URL, for pasted text or saved pages (sets the outlet).
        options: input limits.
        client: a :class:`~newsift.ingest.fetch.Fetcher` or an ``httpx.Client`` to fetch URLs
            with (tests pass fakes).
    """
    raw = read_source(source, options=options or Options(), client=client)
    return extract(raw, url=url)


def analyze(
    source: str,
    *,
    url: str | None = None,
    stages: Sequence[StageSpec] | None = None,
    options: Options | None = None,
    client: Any = None,
) -> Article:
    """Read, extract and analyse one article.

    Args:
        source: a file path, ``"-"`` for stdin, or an http(s) URL.
        url: the original URL of pasted text or a saved page.
        stages: stage names to run (default pipeline when None).
        options: input limits.
        client: an ``httpx.Client`` for URL fetching.

    Returns:
        The annotated :class:`Article`; problems found on the way are in ``article.problems``.

    Raises:
        InputError: the input cannot be read or holds no article.
    """
    article = load(source, url=url, options=options, client=client)
    return get_pipeline(stages)(article)


def analyze_text(
    text: str,
    *,
    url: str | None = None,
    html: bool | None = None,
    name: str = "<text>",
    stages: Sequence[StageSpec] | None = None,
) -> Article:
    """Analyse text or HTML given as a string (the web form and the REST API use this).

    Args:
        text: plain text pasted from a page, or HTML.
        url: the original URL, if known.
        html: force HTML (True) or text (False); detected when None.
        name: how to name the input in messages.
    """
    raw = RawInput.from_text(text, name=name, html=html)
    return get_pipeline(stages)(extract(raw, url=url))


def load_record(raw: str, *, name: str, html: bool, url: str | None = None) -> Article:
    """Extract one stored corpus record (text or HTML a corpus reader already decoded).

    Args:
        raw: the record's text or HTML.
        name: how to name the record in messages (its file and position).
        html: whether ``raw`` is HTML.
        url: the record's URL (sets the outlet).
    """
    return extract(RawInput.from_text(raw, name=name, html=html), url=url)


def analyze_many(
    articles: Iterable[Article], stages: Sequence[StageSpec] | None = None
) -> Iterable[Article]:
    """Run the pipeline over already extracted articles, in batches (corpus runs use this).

    ``stages=[]`` runs no stage (extraction only); ``None`` the default pipeline.
    """
    if stages is not None and not list(stages):
        return iter(articles)
    return get_pipeline(stages).pipe(articles)


def to_json_dict(article: Article) -> dict[str, Any]:
    return article.to_dict()
