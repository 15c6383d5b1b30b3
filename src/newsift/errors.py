"""newsift's exception tree.

Every error a user can cause is a :class:`NewsiftError` with a message that says what was
expected, what came, and what to do. Surfaces map them in one place: the CLI prints one line and
exits 2; the web layer maps them to HTTP statuses.

::

    NewsiftError
    ├── InputError              bad input at the edge (file, URL, stdin, corpus record)
    │   ├── FetchError          a URL could not be fetched (unreachable, 4xx/5xx, refused scheme)
    │   └── ExtractionError     the input has no article in it (empty, binary, no body)
    ├── ConfigError             an unknown stage, a broken pipeline config, a missing model
    ├── StageError              a stage failed on an article (recorded as a Problem in batches)
    └── DataError               a dataset/collection/label file is malformed (eval, import)
"""

from __future__ import annotations


class NewsiftError(Exception):
    """Base of every error newsift raises on purpose."""

    code = "error"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code

    @property
    def message(self) -> str:
        return str(self.args[0]) if self.args else ""


class InputError(NewsiftError):
    code = "bad_input"


class FetchError(InputError):
    code = "fetch_failed"


class ExtractionError(InputError):
    code = "no_article"


class ConfigError(NewsiftError):
    code = "bad_config"


class StageError(NewsiftError):
    code = "stage_failed"


class DataError(NewsiftError):
    code = "bad_data"
