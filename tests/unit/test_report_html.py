"""The HTML report: self-contained, escaped, overlapping spans, robust to missing layers."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from newsift.article import Article, Span
from newsift.report.html import render_html, safe_url
from newsift.report.view import Mark, segments
from tests.unit.report_samples import BODY, full_article, hostile_article


class _Collector(HTMLParser):
    """Collects tags, attributes and the text inside #article-body."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.body_text: list[str] = []
        self._depth = 0
        self._in_badge = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if attrs.get("id") == "article-body":
            self._depth = 1
        elif self._depth:
            self._depth += 1
            self._in_badge = "badge" in (attrs.get("class") or "")

    def handle_endtag(self, tag):
        if self._depth:
            self._depth -= 1
            self._in_badge = False

    def handle_data(self, data):
        if self._depth and not self._in_badge:
            self.body_text.append(data)


def _parse(html: str) -> _Collector:
    c = _Collector()
    c.feed(html)
    return c


def test_page_is_self_contained():
    html = render_html(full_article())
    tags = _parse(html).tags
    assert not [t for t, a in tags if t in ("script", "link", "img", "iframe")]
    assert not re.search(
        r"""(src|href)=["']?(https?:)?//(?!example\.org|news\.example\.com)""", html
    )
    assert "Content-Security-Policy" in html


def test_article_text_survives_with_marks_and_badges():
    a = full_article()
    c = _parse(render_html(a))
    assert "".join(c.body_text) == a.text
    classes = " ".join(attrs.get("class", "") for _, attrs in c.tags)
    for cls in (
        "a-source",
        "k-anonymous",
        "a-cue",
        "a-content",
        "claim",
        "multi",
        "badge",
        "cbadge",
    ):
        assert cls in classes, cls


def test_overlapping_spans_split_at_every_boundary():
    marks = [
        Mark(0, 6, "persuasion", 0, "A"),
        Mark(3, 9, "persuasion", 1, "B"),
        Mark(2, 4, "claim", 0),
    ]
    segs = segments("abcdefghij", marks)
    assert [(s.start, s.end) for s in segs] == [(0, 2), (2, 3), (3, 4), (4, 6), (6, 9), (9, 10)]
    assert [sorted(m.label for m in s.marks) for s in segs] == [
        ["A"],
        ["", "A"],
        ["", "A", "B"],
        ["A", "B"],
        ["B"],
        [],
    ]


def test_persuasion_legend_and_hover_explanations():
    html = render_html(full_article())
    assert "Loaded_Language" in html
    assert "Uses words with strong emotional connotations" in html  # hover title from TECHNIQUES


def test_missing_persuasion_module_falls_back(monkeypatch):
    import newsift.report.view as view

    monkeypatch.setattr(view, "technique_explanations", lambda: {})
    html = render_html(full_article())
    assert "Loaded_Language" in html


def test_hostile_content_is_escaped():
    html = render_html(hostile_article())
    tags = _parse(html).tags
    assert not [t for t, _ in tags if t in ("script", "img")]
    assert not any(k.startswith("on") for _, attrs in tags for k in attrs)
    assert "javascript:" not in " ".join(attrs.get("href") or "" for _, attrs in tags)
    assert "&lt;script&gt;alert(" in html


@pytest.mark.parametrize(
    "article",
    [
        Article(text="Only text."),
        Article(
            text="abc",
            layers={
                "claims": [{"start": 5, "end": 99}, "junk"],
                "attributions": [{"source": None, "kind": "weird"}, 3],
                "headline": {"flags": "nope"},
                "sourcing": {"counts_by_kind": [1]},
            },
            spans={"persuasion": [Span(0, 999, "Doubt")]},
        ),
    ],
)
def test_missing_or_malformed_layers_render(article):
    html = render_html(article)
    assert "not rated" in html and "</html>" in html


def test_round_tripped_article_renders_the_same():
    a = full_article()
    assert render_html(Article.from_dict(a.to_dict())) == render_html(a)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://a.example/x", "https://a.example/x"),
        ("javascript:alert(1)", None),
        ("data:text/html,x", None),
        (None, None),
        (" HTTP://a.example", "HTTP://a.example"),
    ],
)
def test_safe_url(url, expected):
    assert safe_url(url) == expected


def test_body_constant_is_what_the_sample_uses():
    assert full_article().text == BODY
