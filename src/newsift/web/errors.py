"""Errors of the web surface, mapped to HTTP statuses in one place.

Every error the server answers is ``{"error": {"code": ..., "message": ...}}`` on the API (and a
page with the same message on the HTML routes). ``code`` is stable: it is the ``code`` of the
:class:`~newsift.errors.NewsiftError` raised (``empty``, ``binary``, ``private_address``...), or
one of the web's own codes below. Unexpected exceptions answer ``internal_error`` with no detail.
"""

from __future__ import annotations

from ..errors import ExtractionError, FetchError, InputError, NewsiftError


class WebError(NewsiftError):
    """An error of the web surface itself (unknown id, no corpus, bad request)."""

    code = "bad_request"


# The one table: error code -> HTTP status. Codes not listed fall back on the class below.
STATUS_BY_CODE: dict[str, int] = {
    # the submission
    "empty": 400,
    "bad_input": 400,
    "invalid_request": 422,
    "bad_request": 400,
    "invalid_text": 400,
    "too_large": 413,
    "request_too_large": 413,
    "binary": 415,
    "undecodable": 415,
    "bad_content_type": 415,
    "no_article": 422,
    # URL fetching
    "bad_scheme": 400,
    "bad_url": 400,
    "private_address": 403,
    "unreachable": 502,
    "http_error": 502,
    "redirects": 502,
    "timeout": 504,
    "busy": 503,
    # the corpus
    "not_found": 404,
    "unknown_route": 404,
    "method_not_allowed": 405,
    "corpus_unavailable": 503,
    # the request's origin
    "bad_host": 400,
    "cross_site": 403,
    # the server
    "bad_config": 500,
    "stage_failed": 500,
    "bad_data": 500,
    "internal_error": 500,
}

_STATUS_BY_CLASS: tuple[tuple[type[NewsiftError], int], ...] = (
    (FetchError, 502),
    (ExtractionError, 422),
    (InputError, 400),
    (WebError, 400),
    (NewsiftError, 500),
)


def status_for(err: NewsiftError) -> int:
    """The HTTP status of ``err``: by its code, else by its class."""
    if err.code in STATUS_BY_CODE:
        return STATUS_BY_CODE[err.code]
    for cls, status in _STATUS_BY_CLASS:
        if isinstance(err, cls):
            return status
    return 500


def error_body(code: str, message: str) -> dict[str, dict[str, str]]:
    """The JSON body of an error response."""
    return {"error": {"code": code, "message": message}}


INTERNAL_MESSAGE = "the server failed on this request; it has been logged. Try again, or report it"
