"""Extraction stays bounded and says why (issue 23): element budget, refusal, deep nesting,
unspaced scripts, the ensemble's time budget, a linear markup scan."""

from __future__ import annotations

import time

import pytest

from newsift.errors import ExtractionError
from newsift.extract import extract
from newsift.extract.html import HtmlOptions, count_elements, extract_html
from newsift.extract.offsets import markup
from newsift.ingest.source import RawInput
from newsift.lang import count_words

PARA = (
    "The harbour authority said the bridge would stay closed until engineers finished their "
    "inspection, and the mayor promised a ferry service for commuters"
)


def page(body: str, title: str = "Bridge stays closed") -> str:
    return (
        f"<!DOCTYPE html><html><head><title>{title} | Portvale Herald</title>"
        '<meta name="author" content="Mara Quint"></head>'
        f"<body><nav><a href='/'>Home</a> <a href='/w'>World news today</a></nav><article>"
        f"<h1>{title}</h1>{body}</article><footer>Copyright Portvale Herald 2026 all rights "
        "reserved</footer></body></html>"
    )


def paragraphs(n: int = 6) -> str:
    return "".join(f"<p>{PARA} ({i}).</p>" for i in range(n))


def assert_offsets_exact(article, html: str) -> None:
    assert article.offsets.segments
    for clean, src, n in article.offsets.segments:
        assert article.text[clean : clean + n] == html[src : src + n]


def test_a_page_over_the_element_budget_is_read_by_the_stripper_with_a_problem() -> None:
    html = page(paragraphs() + "<p>" + "<i></i>" * 400 + "</p>")
    a = extract_html(html, name="busy.html", options=HtmlOptions(max_elements=300))
    assert [(p.stage, p.code) for p in a.problems] == [("extract", "too_complex")]
    assert "busy.html" in a.problems[0].message and "300" in a.problems[0].message
    assert a.layers["extraction"]["body_mode"] == "stripped"
    assert a.text.count("harbour authority") == 6
    assert "World news today" not in a.text and "Copyright" not in a.text  # nav, footer
    assert a.title == "Bridge stays closed" and a.author == "Mara Quint"
    assert_offsets_exact(a, html)


def test_a_page_over_the_refusal_cap_is_refused_with_too_complex() -> None:
    html = page(paragraphs() + "<i></i>" * 500)
    with pytest.raises(ExtractionError) as info:
        extract_html(html, name="huge.html", options=HtmlOptions(refuse_elements=400))
    assert info.value.code == "too_complex"
    assert "huge.html" in info.value.message and "400" in info.value.message


def test_count_elements_counts_start_tags() -> None:
    assert count_elements("<p>a <b>b</b></p><!-- c --><br/>") == 3


@pytest.mark.parametrize("levels", [300, 1500])
def test_pages_nested_past_libxml2s_default_depth_keep_their_text(levels: int) -> None:
    html = page("<div>" * levels + paragraphs() + "</div>" * levels)
    a = extract_html(html)
    assert a.text.count("harbour authority") == 6
    assert not a.problems
    assert a.layers["extraction"]["depth"] > 256
    assert_offsets_exact(a, html)


def test_a_page_nested_past_the_huge_limit_is_stripped_and_says_why() -> None:
    html = page("<div>" * 2500 + paragraphs() + "</div>" * 2500)
    a = extract_html(html, name="deep.html")
    assert a.text.count("harbour authority") == 6
    (problem,) = a.problems
    assert problem.code == "too_complex" and "2,048 levels" in problem.message


def test_the_ensemble_time_budget_keeps_the_first_pass() -> None:
    a = extract_html(page(paragraphs()), options=HtmlOptions(ensemble_seconds=0.0))
    extraction = a.layers["extraction"]
    assert extraction["body_mode"] == "default"
    assert "ensemble skipped" in extraction["budget"]
    assert a.text.count("harbour authority") == 6


def test_markup_scan_is_linear_on_unclosed_blocks_and_stray_brackets() -> None:
    # Each unclosed <script>/<!-- used to rescan the rest of the page: quadratic.
    hostile = ("<script>x" * 20_000) + ("<!-- y" * 20_000) + ("a < b " * 20_000) + "<p>tail</p>"
    started = time.perf_counter()
    pieces = list(markup(hostile))
    assert time.perf_counter() - started < 5
    assert pieces[-1][2] == "/p"


def test_markup_skips_scripts_comments_and_cdata_whole() -> None:
    html = "<p>a</p><script>if (a<b) {}</script><!-- <p>hidden</p> --><![CDATA[x<y]]><p>b</p>"
    names = [name for _, _, name in markup(html)]
    assert names == ["p", "/p", "script", "!--", "![CDATA[", "p", "/p"]


JAPANESE = (
    "日本の首相は月曜日、新しい経済対策を発表した。政府は来年度の予算案で、子育て支援と防衛費の"
    "増額を盛り込む方針だ。野党は財源の説明が不十分だと批判している。"
)
THAI = "นายกรัฐมนตรีกล่าวในวันจันทร์ว่ารัฐบาลจะเพิ่มงบประมาณด้านการศึกษาในปีหน้า"


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("The mayor said so.", 4, 4),
        (JAPANESE, 30, 50),  # 78 characters: about 2 a word
        (THAI, 8, 16),  # 67 letters: about 5 a word
        ("Tokyo 東京 and 北京", 4, 4),
    ],
)
def test_count_words_in_scripts_without_spaces(text: str, low: int, high: int) -> None:
    assert low <= count_words(text) <= high


@pytest.mark.parametrize(
    "text",
    [JAPANESE, "中国国家主席周一在北京会见了来访的法国总统，双方就贸易问题交换了意见。", THAI],
)
def test_unspaced_pages_are_not_refused_as_too_short(text: str) -> None:
    html = page(f"<p>{text}</p><p>{text[::-1]}</p><p>{text[5:]}</p>", title=text[:12])
    a = extract(RawInput.from_text(html, name="ja.html", html=True))
    assert not [p for p in a.problems if p.code == "too_short"]
    assert text[:10] in a.text
    b = extract(RawInput.from_text(text, name="ja.txt", html=False))
    assert not [p for p in b.problems if p.code == "too_short"]


def test_huge_metadata_values_are_cut() -> None:
    big = "Mara Quint " * 20_000
    html = page(paragraphs(), title=big).replace('content="Mara Quint"', f'content="{big}"')
    a = extract_html(html)
    assert a.title is not None and len(a.title) <= 1_000
    assert a.author is None or len(a.author) <= 1_000
