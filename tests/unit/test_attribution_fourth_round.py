"""attribution.v1, fourth round on real articles (issue 19): nested wire claims, first-person
quotes after a lawyer, relayed quotes, groups for "they", kinds of titles, units and police, and
the scorer's headline scope.

Every text here is written by the team (no third-party text).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from newsift.eval.attribution import headline_end, read_article_gold, score_articles
from newsift.stages.attribution import _is_counsel, _role_label_kind
from newsift.stages.names import find_people
from newsift.stages.sources import classify_source, described_label
from tests.attribution_helpers import atts, by_content, speaker

# -- kinds ----------------------------------------------------------------------------------


def test_plain_police_are_unnamed_officers_a_named_force_is_a_body() -> None:
    assert classify_source("police") == "anonymous"
    assert classify_source("Police") == "anonymous"
    assert classify_source("local police") == "anonymous"
    assert classify_source("the police") == "organization"
    assert classify_source("Indiana State Police") == "organization"


def test_a_proper_name_with_the_is_a_body_a_role_is_not() -> None:
    people = find_people("John Smith said.", ["John Smith"], [])
    for body in ("the CDC", "The Associated Press", "the White House", "the Federal Reserve"):
        assert classify_source(body, [], people) == "organization", body
    assert classify_source("the PM", [], people) == "named_role"
    assert classify_source("the judge", [], people) == "named_role"


def test_a_title_or_role_before_a_given_name_is_a_person() -> None:
    people = find_people("John Smith said.", ["John Smith"], [])
    assert classify_source("U.S. District Judge Mary Jones", [], people) == "named"
    assert classify_source("spokeswoman Jane Doe", [], people) == "named"
    assert classify_source("Duke Energy", [], people) == "organization"


def test_a_named_unit_of_a_body_is_a_body() -> None:
    people = find_people("Glenn Kessler wrote.", ["Glenn Kessler"], [])
    assert classify_source("The Washington Post's Fact Checker", ["PERSON"], people) == (
        "organization"
    )
    assert classify_source("The Post's Glenn Kessler", ["PERSON"], people) == "named"


def test_a_transcript_label_written_with_the_is_a_description() -> None:
    text = "He met the Masked Visitor:\nMasked Visitor: Hello.\nKay: Hello."
    assert described_label(text, "Masked Visitor", "organization")
    assert not described_label(text, "Kay", "named")
    assert not described_label(
        "the City Council:\nCity Council: No.", "City Council", "organization"
    )


def test_a_transcript_label_that_is_a_role() -> None:
    assert _role_label_kind("MAYOR") == "named_role"
    assert _role_label_kind("Reporter") == "anonymous"
    assert _role_label_kind("CALLER") == "anonymous"
    assert _role_label_kind("Baker") is None


def test_a_lawyer_is_told_by_the_possessive_or_the_apposition() -> None:
    assert _is_counsel("Dole's lawyer, Sonya Zeller, said", "Sonya Zeller")
    assert _is_counsel("Zeller, a defense attorney for Dole, said", "Zeller")
    assert not _is_counsel("Zeller, Dole's ally, said", "Zeller")


# -- constructions --------------------------------------------------------------------------


@pytest.mark.slow
def test_a_source_after_a_relayed_quote_says_the_whole_clause() -> None:
    text = (
        "Peter Dole pleaded guilty on Monday.\n\n"
        'A guard who reported the threat recalled that he said, "I will find her," the '
        "district attorney's office said."
    )
    outer = [a for a in atts(text) if "attorney" in (a["source"] or {}).get("text", "")]
    assert outer
    assert outer[0]["content"]["text"].startswith("A guard who reported")
    # "who reported the threat" is no speech
    assert not [a for a in atts(text) if a["cue"] and a["cue"]["text"] == "reported"]


@pytest.mark.slow
def test_first_person_words_about_my_case_are_not_the_lawyers() -> None:
    text = (
        "Tom Reed, a former postal clerk, says the charges against him were unfair.\n\n"
        "Reed's lawyer, Paul Kane, said on Monday that a complaint would reach the court soon.\n\n"
        "The court has a backlog of several months.\n\n"
        '"My case should have gone to a civil judge," he said.'
    )
    assert "Reed" in speaker(by_content(text, "My case"))


@pytest.mark.slow
def test_they_can_stand_for_people_named_by_a_plural_noun() -> None:
    text = (
        "State regulators approved the plan on Tuesday. "
        "They said the increase was fair to customers."
    )
    assert speaker(by_content(text, "increase was fair")) == "State regulators"


@pytest.mark.slow
def test_who_wanted_to_know_after_a_quoted_question() -> None:
    text = (
        "Rep. Ann Cole said the report was late. "
        '"How did the director see the report before it came out?" Rep. Dan Ivers wanted to know.'
    )
    assert "Ivers" in speaker(by_content(text, "How did the director"))


@pytest.mark.slow
def test_no_speech_in_a_memory_a_truth_told_or_a_writers_you() -> None:
    text = (
        "The storm recalled the floods of 1998 in the valley. "
        "The mayor then did something rare, he told the truth about the budget. "
        "Last year you both claimed you knew nothing of the plan."
    )
    assert atts(text) == []


@pytest.mark.slow
def test_a_claim_inside_anothers_clause_takes_its_own_words() -> None:
    text = (
        "Ann Lee, a spokeswoman for the ministry, said that between May and July, a nurse "
        "working at the clinic reported dizziness and headaches."
    )
    inner = [a for a in atts(text) if a["cue"]["text"] == "reported"]
    assert all("Ann Lee" not in a["content"]["text"] for a in inner)


# -- the scorer: headlines the gold leaves out ----------------------------------------------


def test_a_prediction_in_an_unannotated_headline_is_not_spurious(tmp_path: Path) -> None:
    text = (
        "Mayor says bridge will reopen\n\nThe river rose by two metres overnight, officials said."
    )
    art = tmp_path / "data" / "ptc" / "train" / "articles"
    art.mkdir(parents=True)
    (art / "article1.txt").write_text(text, encoding="utf-8")
    i = text.index("The river rose by two metres overnight")
    row = {
        "dataset": "ptc",
        "id": "1",
        "split": "tune",
        "sha1": hashlib.sha1(text.encode()).hexdigest(),
        "speakers": {"officials": ["officials"]},
        "attributions": [
            {
                "speaker": "officials",
                "kind": "anonymous",
                "direct": False,
                "tags": [],
                "source": [text.index("officials"), text.index("officials") + 9],
                "cue": [text.index(" said") + 1, text.index(" said") + 5],
                "content": [i, i + len("The river rose by two metres overnight")],
            }
        ],
    }
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps(row) + "\n", encoding="utf-8")
    assert headline_end("ptc", text) == text.index("\n")
    assert headline_end("scrapinghub", text) == 0

    def pred(words: str, source: str) -> dict:
        s, j = text.index(words), text.index(source)
        return {
            "source": {"text": source, "start": j, "end": j + len(source)},
            "kind": "anonymous",
            "cue": {"text": "said", "start": 0, "end": 4},
            "content": {"text": words, "start": s, "end": s + len(words)},
        }

    def predict(_text: str) -> list[dict]:
        return [
            pred("bridge will reopen", "Mayor"),
            pred("The river rose by two metres overnight", "officials"),
        ]

    r = score_articles(read_article_gold(path), predict, tmp_path / "data", "tune")
    assert r["found"] == 1 and r["spurious"] == 0
    assert r["headline_unjudged"] == 1 and r["predicted"] == 1


def test_a_name_written_about_as_its_is_a_body() -> None:
    text = "Moderna said its vaccine worked. Bancel said he was pleased."
    people = find_people(text, ["Moderna", "Bancel"], [])
    assert "Moderna" in people.bodies and people.find("Bancel") is not None
    assert classify_source("Moderna", ["PERSON"], people) == "organization"


@pytest.mark.slow
def test_it_stands_for_a_company_written_about_as_its() -> None:
    text = (
        "Acmeon raised its forecast on Tuesday. Acmeon said demand had doubled. "
        "It said prices would hold."
    )
    a = by_content(text, "prices would hold")
    assert speaker(a) == "Acmeon" and a.get("resolved_kind") == "organization"


@pytest.mark.slow
def test_the_name_before_a_loose_speech_verb_speaks_not_the_main_subject() -> None:
    text = (
        "The claim became public on Friday after Ms. Ortega, senior Democrat on the House Rules "
        "Committee, said she got an email about the matter in May and passed it to the police "
        "two days ago."
    )
    a = by_content(text, "she got an email")
    assert "Ortega" in a["source"]["text"]
