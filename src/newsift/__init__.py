"""newsift: read news articles the way a careful fact-checker does.

>>> import newsift
>>> article = newsift.analyze("examples/harbour-bridge-closure.txt")
>>> article.to_dict()["attributions"][0]["kind"]
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = ["Article", "Span", "Problem", "Pipeline", "analyze", "analyze_text", "__version__"]

if TYPE_CHECKING:
    from .api import analyze, analyze_text
    from .article import Article, Problem, Span
    from .pipeline import Pipeline


def __getattr__(name: str) -> Any:
    # Lazy imports keep `import newsift` (and the CLI's cold start) cheap.
    if name in ("analyze", "analyze_text"):
        from . import api

        return getattr(api, name)
    if name in ("Article", "Span", "Problem"):
        from . import article

        return getattr(article, name)
    if name == "Pipeline":
        from .pipeline import Pipeline

        return Pipeline
    raise AttributeError(name)
