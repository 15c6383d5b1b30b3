"""Headline check, sourcing profile, baseline claims and outlet lookup on hand-written articles."""

from __future__ import annotations

import pytest

from newsift.api import analyze_text
from newsift.article import Article
from newsift.pipeline import Pipeline
from newsift.stages.claims import class_of, score_sentence
from newsift.stages.figures import parse_figures
from newsift.stages.outlet import candidates, lookup

BODY = (
    "Rebels control only the northern districts, the army said on Monday, citing its own maps. "
    '"All remaining rebels are in the northern districts," General Omar Haddad said.'
)


def run(title: str, body: str = BODY) -> Article:
    return Pipeline()(Article(text=body, title=title))


@pytest.mark.slow
def test_headline_restating_an_attributed_claim_is_flagged() -> None:
    a = run("All remaining rebels are in the northern districts")
    flags = a.layers["headline"]["flags"]
    assert [f["code"] for f in flags] == ["attributed_claim_as_fact"]
    assert "Omar Haddad" in flags[0]["message"]
    assert flags[0]["similarity"] == 1.0


@pytest.mark.parametrize(
    "title",
    [
        "All remaining rebels are in the northern districts, general says",
        "General: all remaining rebels are in the northern districts",
        "Floods close the river road",
    ],
)
@pytest.mark.slow
def test_attributed_or_unrelated_headline_is_not_flagged(title: str) -> None:
    assert run(title).layers["headline"]["flags"] == []


@pytest.mark.slow
def test_vague_source_in_headline() -> None:
    flags = run("Rebels are finished, insiders say").layers["headline"]["flags"]
    assert flags[0]["code"] == "anonymous_source_in_headline"


@pytest.mark.slow
def test_anonymous_claim_as_fact() -> None:
    body = "The dam will fail within a week, a source in the ministry said. Rain fell all day."
    codes = [
        f["code"] for f in run("The dam will fail within a week", body).layers["headline"]["flags"]
    ]
    assert codes == ["attributed_claim_as_fact", "anonymous_claim_as_fact"]


@pytest.mark.slow
def test_sourcing_profile() -> None:
    text = (
        "The council spent $4 million on the stadium in 2023, a source said. "
        "Officials said 300 jobs were lost. "
        '"We did everything right," Mayor Ana Petrova said. Petrova added that 12 firms had bid. '
        "The stadium has 20,000 seats, raising questions about who approved the contract."
    )
    s = analyze_text(text, html=False).layers["sourcing"]
    assert s["counts_by_kind"]["anonymous"] == 2
    assert s["named_sources"] == ["Mayor Ana Petrova"]
    assert s["anonymous_factual_sentences"] == 2
    assert 0 < s["anonymous_share"] < 1
    assert [u["text"][:11] for u in s["unattributed_sentences"]] == ["The stadium"]
    assert s["insinuations"][0]["cue"]["text"] == "raising questions"


@pytest.mark.slow
def test_no_title_no_attributions() -> None:
    a = Pipeline()(Article(text="Rain fell all day on the coast and the road closed."))
    assert a.layers["headline"] == {"text": None, "flags": []}
    assert a.layers["sourcing"]["attributions"] == 0


@pytest.mark.parametrize(
    ("text", "cls"),
    [
        ("The ministry spent $4.2 billion on 312 new hospitals in 2021.", "check-worthy factual"),
        ("I think this is a wonderful day for all of us.", "non-factual"),
        ("Will the mayor resign?", "non-factual"),
    ],
)
def test_baseline_claim_classes(text: str, cls: str) -> None:
    assert class_of(score_sentence(text, parse_figures(text), 0)) == cls


def test_outlet_lookup() -> None:
    assert lookup("https://www.rt.com/news/1")["rating"] == pytest.approx(0.293, abs=0.001)
    assert lookup("https://edition.cnn.com/x")["rating"] is not None
    unrated = lookup("https://portvale-herald.example/x")
    assert unrated["rating"] is None and unrated["rating_label"] == "not rated"
    assert candidates("news.example.co.uk", "/en/x")[:2] == [
        "news.example.co.uk/en/x",
        "news.example.co.uk/en",
    ]
    assert (
        lookup("https://www.theguardian.com/observer/story")["matched"]
        == "theguardian.com/observer"
    )


def test_outlet_without_url() -> None:
    a = Pipeline(["outlet.v1"])(Article(text="x y z"))
    assert a.outlet["rating"] is None and "--url" in a.outlet["note"]


@pytest.mark.parametrize(
    ("text", "side"),
    [
        ("Russian Defense Ministry spokesman Igor Konashenkov", "Russia"),
        ("the Pentagon chief", "United States"),
        ("a Kyiv official", "Ukraine"),
        ("the Portvale Chamber of Commerce", None),
    ],
)
def test_side_of(text: str, side: str | None) -> None:
    from newsift.stages.affiliation import side_of

    assert side_of(text) == side


@pytest.mark.slow
def test_one_sided_sourcing() -> None:
    text = (
        "The Russian ministry said the convoy was attacked. "
        '"It was a provocation," Russian envoy Pavel Orlov said. Orlov added that 12 trucks burned. '
        "A Kremlin spokesman said talks would go on."
    )
    s = analyze_text(text, html=False).layers["sourcing"]
    assert s["dominant_side"] == "Russia"
    assert s["one_sided"] is True
    assert s["sides"]["Russia"] >= 3
