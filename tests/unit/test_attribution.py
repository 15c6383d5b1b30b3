"""Attribution on hand-written sentences: every form the issue lists."""

from __future__ import annotations

import pytest

from newsift.api import analyze_text
from newsift.stages.attribution import find_quotes
from newsift.stages.sources import classify_source

STAGES = ["nlp.v1", "attribution.v1"]


def attributions(text: str) -> list[dict]:
    return analyze_text(text, html=False, stages=STAGES).layers["attributions"]


def only(text: str) -> dict:
    atts = attributions(text)
    assert len(atts) == 1, atts
    return atts[0]


@pytest.mark.parametrize(
    ("text", "source", "kind", "cue", "content"),
    [
        (
            '"We will rebuild the bridge," Mayor Helena Brandt said.',
            "Mayor Helena Brandt",
            "named",
            "said",
            "We will rebuild the bridge",
        ),
        (
            "“The deck is failing,” the engineer said.",
            "the engineer",
            "named_role",
            "said",
            "The deck is failing",
        ),
        (
            "Jane Smith said that taxes would rise next year",
            "Jane Smith",
            "named",
            "said",
            "taxes would rise next year",
        ),
        (
            "Jane Smith said taxes would rise next year",
            "Jane Smith",
            "named",
            "said",
            "taxes would rise next year",
        ),
        (
            "According to the ministry, 30 people died in the floods",
            "the ministry",
            "organization",
            "According to",
            "30 people died in the floods",
        ),
        (
            "Taxes will rise by 4% in May, said Finance Minister Jane Smith.",
            "Finance Minister Jane Smith",
            "named",
            "said",
            "Taxes will rise by 4% in May",
        ),
        (
            "The trucks crossed the border every night, informed the anonymous source.",
            "the anonymous source",
            "anonymous",
            "informed",
            "The trucks crossed the border every night",
        ),
        (
            "In a statement, the Harbour Authority said the port would close on Friday",
            "the Harbour Authority",
            "organization",
            "said",
            "the port would close on Friday",
        ),
        (
            "A source in the council said the vote had been rigged",
            "A source in the council",
            "anonymous",
            "said",
            "the vote had been rigged",
        ),
        (
            "Experts say the dam cannot hold another flood",
            "Experts",
            "anonymous",
            "say",
            "the dam cannot hold another flood",
        ),
        (
            "The report said that 12 schools had closed",
            "The report",
            "document",
            "said",
            "12 schools had closed",
        ),
        (
            "The lawsuit claims the company hid the losses",
            "The lawsuit",
            "document",
            "claims",
            "the company hid the losses",
        ),
        (
            "The minister told parliament that the budget was balanced",
            "The minister",
            "named_role",
            "told",
            "the budget was balanced",
        ),
        (
            "Officials said the road would reopen in June",
            "Officials",
            "anonymous",
            "said",
            "the road would reopen in June",
        ),
    ],
)
@pytest.mark.slow
def test_attribution_forms(text: str, source: str, kind: str, cue: str, content: str) -> None:
    att = only(text)
    assert att["source"]["text"] == source
    assert att["kind"] == kind
    assert att["cue"]["text"] == cue
    assert att["content"]["text"] == content


@pytest.mark.slow
def test_spans_point_into_the_text() -> None:
    text = 'Rain fell all week. "The river is rising fast," the mayor said on Monday.'
    article = analyze_text(text, html=False, stages=STAGES)
    for att in article.layers["attributions"]:
        for key in ("source", "cue", "content"):
            ref = att[key]
            assert article.text[ref["start"] : ref["end"]] == ref["text"]


@pytest.mark.slow
def test_agentless_hedge_is_anonymous_without_source() -> None:
    att = only("It is believed that the contract will go to a single bidder.")
    assert att["kind"] == "anonymous"
    assert att["source"] is None
    assert att["cue"]["text"] == "It is believed"
    assert att["content"]["text"].startswith("the contract will go")


@pytest.mark.slow
def test_pronoun_resolves_to_nearest_fitting_source() -> None:
    text = (
        'Mayor Helena Brandt spoke at City Hall on Tuesday. "The bridge must close," Mayor Helena '
        "Brandt said. She added that repairs would cost $310 million."
    )
    atts = attributions(text)
    pron = [a for a in atts if a["kind"] == "pronoun"]
    assert len(pron) == 1
    assert pron[0]["source"]["text"] == "She"
    assert pron[0]["resolved_text"] == "Mayor Helena Brandt"
    assert pron[0]["resolved_kind"] == "named"


@pytest.mark.slow
def test_pronoun_after_anonymous_source_stays_anonymous() -> None:
    text = (
        '"Trucks arrive daily," the source said. "There are three bases in the region," he added.'
    )
    atts = attributions(text)
    assert [a["kind"] for a in atts] == ["anonymous", "pronoun"]
    assert atts[1]["resolved_kind"] == "anonymous"


@pytest.mark.slow
def test_unbalanced_quote_and_lone_quote_take_the_speaker() -> None:
    text = (
        "“We recommend the chief study the map of the region.” All remaining fighters are only in "
        "areas controlled by the coalition,” Konashenkov said."
    )
    atts = attributions(text)
    contents = {a["content"]["text"] for a in atts}
    assert "All remaining fighters are only in areas controlled by the coalition" in contents
    assert all(a["source"]["text"] == "Konashenkov" for a in atts)
    assert len(atts) == 2


@pytest.mark.slow
def test_speech_verbs_inside_a_quote_are_not_attributions() -> None:
    atts = attributions('"Nobody said it would be easy," Jane Smith said.')
    assert len(atts) == 1
    assert atts[0]["source"]["text"] == "Jane Smith"


@pytest.mark.slow
def test_no_attribution_in_plain_assertion() -> None:
    assert attributions("The bridge was built in 1932 and carries six lanes of traffic.") == []


@pytest.mark.parametrize(
    ("text", "labels", "kind"),
    [
        ("he", [], "pronoun"),
        ("Igor Konashenkov", ["PERSON"], "named"),
        ("Mr Smith", [], "named"),
        ("a source in the organization", [], "anonymous"),
        ("people familiar with the matter", [], "anonymous"),
        ("a Russian ministry spokesman", ["NORP"], "anonymous"),
        ("the general", [], "named_role"),
        ("the Pentagon", ["ORG"], "organization"),
        ("a report by the transport department", [], "document"),
        ("Ana Petrova", [], "named"),
    ],
)
def test_classify_source(text: str, labels: list[str], kind: str) -> None:
    assert classify_source(text, labels) == kind


@pytest.mark.parametrize(
    ("text", "quotes"),
    [
        ('"A," he said.', ["A,"]),
        ("“A b” and “c d”", ["A b", "c d"]),
        ("A b c,” he said.", ["A b c,"]),
        ("He said: “never closed", ["never closed"]),
    ],
)
def test_find_quotes(text: str, quotes: list[str]) -> None:
    assert [text[s:e] for s, e in find_quotes(text)] == quotes
