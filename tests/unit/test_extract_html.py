"""HTML extraction on pages written by hand: metadata choice, offsets, bad input."""

from __future__ import annotations

import json

import pytest

from newsift.errors import ExtractionError
from newsift.extract import choose
from newsift.extract.html import extract_html
from newsift.extract.metadata import collect, parse
from newsift.extract.offsets import map_paragraphs

BODY = [
    "The harbour authority said on Tuesday that the new breakwater would be finished by the end "
    "of the summer, two months later than planned, because storms had damaged the first section.",
    "Engineers from the regional office inspected the site twice last week and reported that the "
    "foundations were sound, according to a statement published by the authority.",
    "\u201cWe would rather be late than rebuild it twice,\u201d said Mara Quint, who leads the "
    "project team, adding that the budget of 4.2 million euros had not changed.",
    "Local fishing crews, who have used a temporary mooring since March, said they were tired of "
    "waiting but understood the delay &amp; the reasons for it.",
]


def page(
    head: str = "",
    before: str = "",
    h1: str = "Breakwater delayed until autumn",
    body: list[str] | None = None,
) -> str:
    paras = "\n".join(f"<p>{p}</p>" for p in (body or BODY))
    return f"""<!DOCTYPE html><html><head>{head}</head><body>
<header><nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav></header>
<main><article>
<h1>{h1}</h1>
{before}
{paras}
</article></main>
<footer><p>Copyright 2024 Harbour Daily. All rights reserved.</p></footer>
</body></html>"""


def ld(obj: dict) -> str:
    return f'<script type="application/ld+json">{json.dumps(obj)}</script>'


def test_json_ld_metadata_wins_and_site_suffix_is_cut() -> None:
    head = (
        "<title>Breakwater delayed until autumn | Harbour Daily</title>"
        '<meta property="og:site_name" content="Harbour Daily">'
        + ld(
            {
                "@context": "https://schema.org",
                "@type": "NewsArticle",
                "headline": "Breakwater delayed until autumn",
                "author": [
                    {"@type": "Person", "name": "Jo Lind"},
                    {"@type": "Person", "name": "Sam Berg"},
                ],
                "datePublished": "2024-06-03T08:15:00+02:00",
            }
        )
    )
    a = extract_html(page(head), url="https://www.harbourdaily.example/news/breakwater")
    assert a.title == "Breakwater delayed until autumn"
    assert a.author == "Jo Lind and Sam Berg"
    assert a.date == "2024-06-03"
    assert a.source["site_name"] == "Harbour Daily"
    assert a.layers["extraction"]["method"] == "html"
    assert "Mara Quint" in a.text and "All rights reserved" not in a.text


def test_visible_byline_and_written_date() -> None:
    before = '<p class="byline">By Ana Ruiz | June 3, 2024</p>'
    head = "<title>Harbour Daily - Breakwater delayed until autumn</title>"
    a = extract_html(page(head, before), url="https://harbourdaily.example/a")
    assert a.author == "Ana Ruiz"
    assert a.date == "2024-06-03"
    assert a.title == "Breakwater delayed until autumn"


def test_meta_tags_when_there_is_no_json_ld() -> None:
    head = (
        '<meta name="author" content="Written by Lee Park">'
        '<meta property="article:published_time" content="2023-11-20T10:00:00Z">'
        '<meta property="og:title" content="Breakwater delayed until autumn – Harbour Daily">'
        '<meta property="og:site_name" content="Harbour Daily">'
    )
    a = extract_html(page(head, h1="Harbour Daily"), url="https://harbourdaily.example/a")
    assert a.author == "Lee Park"
    assert a.date == "2023-11-20"
    assert a.title == "Breakwater delayed until autumn"


def test_no_article_raises_no_article() -> None:
    html = (
        "<html><head><title>Login</title></head><body><img src='x.png' alt=''>"
        "<script>var a = 1;</script></body></html>"
    )
    with pytest.raises(ExtractionError) as err:
        extract_html(html, name="login.html")
    assert err.value.code == "no_article"
    assert "login.html" in err.value.message


def test_offsets_point_at_the_same_characters_in_the_source() -> None:
    html = page()
    a = extract_html(html)
    assert a.offsets.segments
    for clean, src, length in a.offsets.segments:
        assert a.text[clean : clean + length] == html[src : src + length]
    i = a.text.index("Mara Quint")
    j = a.offsets.to_source(i)
    assert j is not None and html[j : j + len("Mara Quint")] == "Mara Quint"
    amp = a.text.index("delay & the")
    src = a.offsets.to_source(amp + len("delay "))
    assert src is not None and html[src : src + 5] == "&amp;"
    assert a.layers["extraction"]["mapped_share"] > 0.9


def test_map_paragraphs_handles_list_markers_and_spacing() -> None:
    html = (
        "<body><ul><li>first   item here</li><li>second item</li></ul><p>A &lt;b&gt; tag</p></body>"
    )
    paragraphs = ["- first item here", "- second item", "A <b> tag"]
    offsets = map_paragraphs(html, paragraphs)
    text = "\n\n".join(paragraphs)
    assert offsets.to_source(text.index("first")) == html.index("first")
    assert offsets.to_source(text.index("second")) == html.index("second")
    assert offsets.to_source(text.index("tag")) == html.index("tag")
    for clean, src, length in offsets.segments:
        assert text[clean : clean + length] == html[src : src + length]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("By Jane Doe", "Jane Doe"),
        ("Written by: Jane Doe", "Jane Doe"),
        ("Jane DoeDecember 17, 2025", "Jane Doe"),
        ("Jane Doe | October 15, 2025", "Jane Doe"),
        ("Jane Doe Last updated", "Jane Doe"),
        ("Tom May 15 December 2025", "Tom May"),
        ("Devin Logan3mRead", "Devin Logan"),
        ("https://www.facebook.com/someone", ""),
        ("Author", ""),
        ("Aug", ""),
    ],
)
def test_clean_author(raw: str, expected: str) -> None:
    assert choose.clean_author(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2025-12-03T10:00:00+01:00", "2025-12-03"),
        ("Dec 3, 2025", "2025-12-03"),
        ("3rd December 2025", "2025-12-03"),
        ("On 8 Oct 2022", "2022-10-08"),
        ("12/3/2025", "2025-12-03"),
        ("sometime soon", None),
        ("2025-02-30", None),
    ],
)
def test_parse_date(raw: str, expected: str | None) -> None:
    assert choose.parse_date(raw) == expected


@pytest.mark.parametrize(
    ("title", "names", "expected"),
    [
        ("Headline here | The Daily", ["The Daily"], "Headline here"),
        ("The Daily - Headline here", ["The Daily"], "Headline here"),
        (
            "Best buys 2026 | Reviews | shop.example",
            ["shop.example", "shop"],
            "Best buys 2026 | Reviews",
        ),
        ("No separator", ["The Daily"], "No separator"),
        ("Part one - part two", ["unrelated"], "Part one - part two"),
    ],
)
def test_strip_site(title: str, names: list[str], expected: str) -> None:
    assert choose.strip_site(title, names) == expected


def test_join_authors_follows_the_ground_truth_style() -> None:
    assert choose.join_authors(["A B"]) == "A B"
    assert choose.join_authors(["A B", "C D"]) == "A B and C D"
    assert choose.join_authors(["A B", "C D", "E F", "c d"]) == "A B, C D, and E F"


def test_nav_h1_is_skipped_for_the_one_the_metadata_names() -> None:
    html = (
        "<html><head><title>Real headline - Site</title></head><body><h1>Menu</h1>"
        "<h1>Real headline</h1></body></html>"
    )
    c = collect(parse(html))
    assert choose.choose_title(c, ["Site"]) == "Real headline"


def test_site_name_loses_to_a_person_on_a_tie() -> None:
    head = '<meta name="author" content="Harbour Daily">'
    before = '<p class="byline">By Ana Ruiz</p>'
    a = extract_html(page(head + '<meta property="og:site_name" content="Harbour Daily">', before))
    assert a.author == "Ana Ruiz"
