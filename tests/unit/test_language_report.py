"""Issue 24: every report says the article's language, its sentences in other languages and the
stages not run for it (terminal, HTML and so the web page; JSON carries ``language`` and the
``languages`` layer)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from newsift.article import Article, Problem, Span
from newsift.report.html import render_html
from newsift.report.text import render_text
from newsift.report.view import language_text

TEXT = "Министр обороны заявил во вторник, что войска будут отведены. The talks go on."


def _russian(layer: Any = None) -> Article:
    return Article(
        TEXT,
        title="Заголовок",
        language="ru",
        spans={"sentences": [Span(0, 62, "sentence"), Span(63, 78, "sentence")]},
        layers={
            "languages": layer
            if layer is not None
            else {
                "article": "ru",
                "name": "Russian",
                "supported": True,
                "score": 0.99,
                "other_sentences": {"en": 1},
            }
        },  # fmt: skip
        problems=[
            Problem("attribution.v1", "language_not_supported", "attribution.v1 was not run"),
            Problem("persuasion.v1", "language_not_supported", "persuasion.v1 was not run"),
        ],
    )


def test_language_text() -> None:
    assert language_text(_russian()) == (
        "Russian (ru); 1 sentence in English; not run for this language: attribution.v1, "
        "persuasion.v1"
    )
    assert language_text(Article("x")) == ""


@pytest.mark.parametrize("layer", [[], "junk", {"other_sentences": {"en": "many"}}, {}])
def test_malformed_layer_still_renders(layer: Any) -> None:
    assert language_text(_russian(layer)).startswith("Russian (ru); not run")


def test_terminal_and_html_reports_show_it() -> None:
    article = _russian()
    assert "Russian (ru)" in render_text(article)
    html = render_html(article)
    assert "language: Russian (ru); 1 sentence in English" in html


def test_json_carries_language_and_layer() -> None:
    d = json.loads(json.dumps(_russian().to_dict()))
    assert d["language"] == "ru" and d["languages"]["other_sentences"] == {"en": 1}
    assert Article.from_dict(d) == _russian()
