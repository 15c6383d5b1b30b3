"""The terminal report: every section, robustness to missing layers, no markup injection."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from newsift.article import Article, Span
from newsift.report.text import render_text
from newsift.report.view import source_label
from tests.unit.report_samples import XSS, full_article, hostile_article


def test_full_report_has_every_section():
    out = render_text(full_article())
    for expected in (
        "Village shelled, 250 dead",
        "example.com",
        "0.42 (Lin et al. 2023)",
        "attributed_as_fact",
        "anonymous share",
        "50% (2 of 4 factual sentences)",
        "Igor Konashenkov",
        "Attributions",
        "4,800 troops were moved",
        "Claims",
        "fact-check: False",
        "Persuasion techniques",
        "Loaded_Language",
        "few_sentences",
    ):
        assert expected in out, expected


def test_unrated_outlet_says_not_rated():
    a = full_article()
    a.outlet = {"domain": "unknown.example", "rating": None}
    assert "not rated" in render_text(a)


@pytest.mark.parametrize(
    "article",
    [
        Article(text="Only text."),
        Article(
            text="Only text.",
            layers={"claims": [], "attributions": [], "sourcing": {}, "headline": {}},
        ),
        Article(
            text="abc",
            layers={
                "claims": [{"start": 5, "end": 99, "score": "x"}, "junk"],
                "attributions": [{"source": None, "kind": None}, 3],
                "headline": {"flags": "nope"},
                "sourcing": {"counts_by_kind": [1]},
            },
            spans={"persuasion": [Span(0, 999, "Doubt")]},
        ),
    ],
)
def test_missing_or_malformed_layers_render(article):
    out = render_text(article)
    assert "Outlet" in out and "not rated" in out


def test_empty_layers_say_so():
    out = render_text(
        Article(
            text="Only text.",
            layers={"claims": [], "headline": {"flags": []}},
            spans={"persuasion": []},
        )
    )
    assert "no checkable claims found" in out
    assert "no flags" in out
    assert "no persuasion techniques found" in out


def test_article_markup_is_printed_literally_not_interpreted():
    out = render_text(hostile_article())
    assert "[bold red]not markup[/]" in out
    assert XSS.split(">")[0] in out


def test_console_receives_the_report():
    buf = io.StringIO()
    console = Console(file=buf, width=100, color_system=None)
    returned = render_text(full_article(), console=console)
    assert "Igor Konashenkov" in buf.getvalue()
    assert "Igor Konashenkov" in returned


def test_pronoun_source_shows_the_resolved_name():
    a = full_article()
    atts = a.layers["attributions"]
    atts.append({**atts[0], "kind": "pronoun", "resolved_to": 1, "resolved_kind": "named"})
    assert source_label(a, atts[-1]) == "the minister → Igor Konashenkov"
    assert "Konashenkov" in render_text(a)
