"""Reports show who relayed a claim, interview turns and posts, the sides and wire copy."""

from __future__ import annotations

from newsift.report.html import render_html
from newsift.report.text import render_text
from newsift.report.view import source_label
from tests.unit.report_samples import full_article


def _with_sourcing_details():
    a = full_article()
    a.layers["sourcing"] = {
        **(a.layers.get("sourcing") or {}),
        "sides": {"Russia": 6, "United States": 1, "(no side named)": 5},
        "one_sided": True,
        "sides_reason": "6 of the 7 attributions that name a side speak for Russia",
    }
    a.outlet = {**a.outlet, "wire": {"agency": "AFP", "evidence": "dateline", "text": "(AFP) -"}}
    return a


def test_terminal_and_html_reports_show_sides_and_wire_copy():
    a = _with_sourcing_details()
    for out in (render_text(a), render_html(a)):
        assert "wire copy from AFP (dateline)" in out
        assert "Russia 6, United States 1; one-sided" in out
        assert "(no side named)" not in out


def test_source_label_says_who_relayed_and_where_it_was_said():
    a = full_article()
    att = dict(a.layers["attributions"][0])
    start = a.text.index("the ministry") if "the ministry" in a.text else 0
    att["reported_by"] = {"text": "the ministry", "start": start, "end": start + 12}
    assert "(relayed by the ministry)" in source_label(a, att)
    assert source_label(a, {**att, "reported_by": None, "interview": True}).endswith("[interview]")
    assert source_label(a, {**att, "reported_by": None, "post": True}).endswith("[post]")


def _with_check_first():
    a = full_article()
    claims = a.layers.get("claims") or []
    first = claims[0]
    a.layers["check_first"] = [
        {
            "claim": 0,
            "start": first.get("start"),
            "end": first.get("end"),
            "text": "4,800 troops were moved to the border",
            "score": 0.91,
            "rank_score": 1.01,
            "reasons": {"score": 0.91, "figures": ["4,800 troops"], "source": None},
        }
    ]
    return a


def test_check_these_first_comes_first_with_its_reasons():
    a = _with_check_first()
    out = render_text(a)
    assert out.index("Check these first") < out.index("Outlet")
    assert "[0.91] 4,800 troops were moved to the border" in out
    assert "figures: 4,800 troops; stated by the outlet" in out
    assert "sentences check-worthy (" in out
    html = render_html(a)
    assert html.index('id="check-first"') < html.index('id="article-body"')
    assert 'href="#claim-1"' in html and "stated by the outlet" in html


def test_no_check_first_layer_and_no_claims_shows_no_panel():
    a = full_article()
    a.layers.pop("check_first", None)
    a.layers.pop("claims", None)
    assert "Check these first" not in render_text(a)


def test_matches_from_the_matches_layer_say_when_catalogued_and_in_what_voice():
    a = full_article()
    for c in a.layers.get("claims") or []:
        c.pop("matches", None)
    a.layers["matches"] = [
        {
            "claim_index": 0,
            "collection": "euvsdisinfo",
            "claim": "Troops were massed at the border",
            "rating": "catalogued disinformation (EUvsDisinfo)",
            "date": "2030-01-01",
            "url": "https://euvsdisinfo.eu/report/x/",
            "score": 0.8,
            "relation": "catalogued_later",
            "voice": "critical",
            "summary": "A summary of the case.",
        }
    ]
    for out in (render_text(a), render_html(a)):
        assert "catalogued later (after this article)" in out
        assert "the article reports this claim critically" in out
        assert "summary: A summary of the case." in out
