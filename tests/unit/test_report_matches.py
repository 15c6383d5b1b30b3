"""Reports show claims.v1 classes, fact-check and EUvsDisinfo matches with their credits, the
outlet's EUvsDisinfo note and the persuasion summary, built against the JSON contract."""

from __future__ import annotations

import re

from newsift.article import Article, Span
from newsift.report import view
from newsift.report.html import PALETTE, render_css, render_html
from newsift.report.text import render_text
from tests.unit.report_samples import EUVS_DISCLAIMER, full_article, matched_article


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_html_shows_matches_verdicts_links_and_credits():
    html = render_html(matched_article())
    assert 'href="https://euvsdisinfo.eu/report/case-1/"' in html
    assert 'href="https://example.org/fc"' in html
    assert "known narrative" in html and "fact-check" in html
    assert "catalogued disinformation (EUvsDisinfo)" in html
    assert 'id="credit-euvsdisinfo"' in html and EUVS_DISCLAIMER in _flat(html)
    assert "Demo fact-checkers" in html
    # the claim's badge in the text carries the first verdict
    assert re.search(r'class="cbadge matched"[^>]*>C1 0\.91 ⚑ False<', html)
    assert "check-worthy factual" in html and "unimportant factual" in html


def test_html_outlet_panel_shows_the_euvsdisinfo_note_and_disclaimer():
    html = render_html(matched_article())
    panel = html[html.index('id="outlet-euvsdisinfo"') :][:800]
    assert "13 EUvsDisinfo cases" in panel
    assert "EEAS East StratCom Task Force" in panel and EUVS_DISCLAIMER in _flat(panel)


def test_text_report_shows_matches_credits_outlet_note_and_persuasion_line():
    out = _flat(render_text(matched_article()))
    for expected in (
        "13 EUvsDisinfo cases",
        "Source: EUvsDisinfo (EEAS East StratCom Task Force)",
        "known narrative: catalogued disinformation (EUvsDisinfo)",
        "fact-check: False",
        "match score 0.74",
        "euvsdisinfo.eu/report/case-1/",
        "Matches from euvsdisinfo: source EUvsDisinfo",
        EUVS_DISCLAIMER,
        "check-worthy",
        "unimportant",
        "3 spans of 3 techniques in 1 of 1 sentences",
    ):
        assert expected in out, expected


def test_euvsdisinfo_match_without_credit_layer_still_gets_the_disclaimer():
    a = matched_article()
    del a.layers["factcheck_collections"]
    credits = view.factcheck_credits(a)
    assert credits["euvsdisinfo"]["attribution"].startswith("EUvsDisinfo")
    assert credits["euvsdisinfo"]["disclaimer"]
    assert credits["demo"] == {"attribution": "", "disclaimer": ""}
    html = render_html(a)
    assert 'id="credit-euvsdisinfo"' in html and 'id="credit-demo"' not in html


def test_technique_colour_is_the_same_in_every_report():
    one, two = full_article(), full_article()
    two.spans["persuasion"] = [two.spans["persuasion"][0]]  # Loaded_Language only
    colour = re.compile(r'class="swatch p (t\d+)">\d+</span> Loaded_Language')
    assert colour.search(render_html(one)).group(1) == colour.search(render_html(two)).group(1)


def test_self_contained_report_carries_the_technique_colours():
    html = render_html(full_article())
    for i, colour in enumerate(PALETTE):
        assert f".nsr .t{i} {{ background: {colour}; }}" in html
    assert render_css() in html


def test_persuasion_line_counts_sentences_touched():
    text = "One calm sentence. A shameful, disgusting lie! Another calm one."
    start = text.index("shameful")
    a = Article(
        text=text,
        spans={
            "sentences": [Span(0, 18, "s"), Span(19, 46, "s"), Span(47, len(text), "s")],
            "persuasion": [
                Span(start, start + 8, "Loaded_Language", 0.7),
                Span(start + 10, start + 20, "Loaded_Language", 0.6),
            ],
        },
    )
    assert view.persuasion_line(a) == (
        "2 spans of 1 technique in 1 of 3 sentences; most frequent: Loaded_Language (2)"
    )
    assert view.persuasion_line(Article(text=text)) == "no persuasion techniques found"


def test_unknown_technique_label_gets_a_colour_after_the_known_ones():
    a = full_article()
    a.spans["persuasion"].append(Span(0, 5, "Brand_New_Technique", 0.5))
    html = render_html(a)
    assert re.search(r'class="p t\d+[^"]*"[^>]*title="Brand_New_Technique', html)


def test_web_result_page_shows_the_same_panels():
    from fastapi.testclient import TestClient

    from newsift.web.app import create_app
    from tests.unit.web_fakes import FakeCorpus

    page = TestClient(create_app(corpus=FakeCorpus(), allowed_hosts=["testserver"])).get(
        "/articles/m1"
    )
    assert page.status_code == 200
    for expected in (
        'id="outlet-euvsdisinfo"',
        'id="credit-euvsdisinfo"',
        'id="persuasion-line"',
        "https://euvsdisinfo.eu/report/case-1/",
        "Uses words with strong emotional connotations",
    ):
        assert expected in page.text, expected


def test_known_narrative_badge_names_the_kind_not_the_long_rating():
    a = matched_article()
    matches = a.layers["claims"][0]["matches"]
    matches.insert(0, matches.pop())  # the EUvsDisinfo case first
    html = render_html(a)
    assert re.search(r'class="cbadge matched"[^>]*>C1 0\.91 ⚑ known narrative<', html)


def test_text_report_never_cuts_a_match_link():
    a = matched_article()
    long_url = "https://euvsdisinfo.eu/report/" + "a-very-long-case-slug-" * 8 + "end/"
    a.layers["claims"][0]["matches"][1]["url"] = long_url
    out = render_text(a)
    assert any(line.strip() == long_url for line in out.splitlines())
    assert "C1 " in out and "(below)" in out


def test_persuasion_rows_with_only_a_technique_key_are_read():
    a = Article(
        text="A shameful, disgusting lie.",
        layers={
            "persuasion": [{"start": 2, "end": 10, "technique": "Loaded_Language", "score": 0.8}]
        },
    )
    assert view.persuasion(a)[0]["label"] == "Loaded_Language"
    assert "Loaded_Language" in render_html(a) and "Loaded_Language" in render_text(a)
