"""Property tests (issue 23): arbitrary HTML never breaks extraction beyond a newsift
InputError, and every offset the extractors record points at the same characters in the source."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsift.errors import InputError
from newsift.extract import extract
from newsift.extract.fallback import extract_stripped
from newsift.extract.html import extract_html
from newsift.extract.offsets import SourceText, map_paragraphs, markup
from newsift.ingest.source import RawInput

pytestmark = pytest.mark.fuzz

_TAGS = ["p", "div", "span", "b", "script", "style", "article", "h1", "nav", "li", "br", "td"]
_WORDS = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), max_codepoint=0x3000), max_size=25
)
_PIECES = st.one_of(
    _WORDS,
    st.sampled_from(_TAGS).map(lambda t: f"<{t}>"),
    st.sampled_from(_TAGS).map(lambda t: f"</{t}>"),
    st.sampled_from(
        [
            "&amp;",
            "&#65;",
            "&#x263a;",
            "&bogus;",
            "&lt",
            "<!--",
            "-->",
            "<",
            ">",
            "<![CDATA[",
            "]]>",
            '<a href="x>y">',
            "<p class='a'>",
            "\n\n",
            "\u00a0",
            "\r\n",
            "<!DOCTYPE html>",
        ]
    ),
    st.just("The council said the river road would stay closed until Friday evening. "),
)
_HTML = st.lists(_PIECES, max_size=40).map("".join)


def _page(fragment: str) -> str:
    return f"<html><head><title>t</title></head><body><article>{fragment}</article></body></html>"


def _assert_exact(article, source: str) -> None:
    covered = 0
    for clean, src, n in article.offsets.segments:
        assert 0 <= clean and clean + n <= len(article.text)
        assert 0 <= src and src + n <= len(source)
        assert article.text[clean : clean + n] == source[src : src + n]
        covered += n
    assert covered <= len(article.text)


@given(_HTML)
def test_source_text_positions_point_into_the_source(html: str) -> None:
    st_ = SourceText(html)
    assert len(st_.pos) == len(st_.text)
    for i, ch in enumerate(st_.text):
        p = st_.pos[i]
        assert 0 <= p < len(html)
        assert ch == " " or html[p] == ch or html[p] == "&"


@given(_HTML, st.data())
def test_map_paragraphs_maps_only_identical_characters(html: str, data) -> None:
    text = SourceText(html).text
    paras = []
    for _ in range(data.draw(st.integers(0, 4))):
        a = data.draw(st.integers(0, len(text)))
        b = data.draw(st.integers(a, min(len(text), a + 60)))
        piece = " ".join(text[a:b].split())
        if piece:
            paras.append(piece)
    paras.append(data.draw(_WORDS))
    offsets = map_paragraphs(html, paras)
    joined = "\n\n".join(paras)
    for clean, src, n in offsets.segments:
        assert joined[clean : clean + n] == html[src : src + n]


@given(_HTML)
def test_markup_pieces_are_in_order_and_inside_the_source(html: str) -> None:
    last = 0
    for a, b, _name in markup(html):
        assert last <= a < b <= len(html) and html[a] == "<"
        last = b


@given(_HTML)
def test_html_extraction_raises_only_input_errors_and_maps_exactly(fragment: str) -> None:
    html = _page(fragment)
    try:
        a = extract_html(html, name="fuzz.html")
    except InputError:
        return
    _assert_exact(a, html)


@given(_HTML)
def test_the_stripper_maps_exactly(fragment: str) -> None:
    html = _page(fragment)
    a = extract_stripped(html, url=None, name="fuzz.html", why="a test")
    _assert_exact(a, html)
    assert a.problems[-1].code == "too_complex"


@given(st.one_of(_HTML, st.text(max_size=300)), st.booleans())
def test_extract_never_raises_anything_but_input_errors(text: str, html: bool) -> None:
    try:
        raw = RawInput.from_text(text, name="fuzz", html=html)
        a = extract(raw)
    except InputError:
        return
    assert a.text.strip()
    source = raw.text.replace("\r\n", "\n").replace("\r", "\n") if not html else raw.text
    _assert_exact(a, source)
