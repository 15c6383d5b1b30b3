"""Issue 19, second round: a person's sex from the article's own pronouns, lone names written
about as "he"/"she", bodies named in apposition, "it" after a statement, and cues that are no
speech. Every text here is written by the team (no third-party text)."""

from __future__ import annotations

import pytest

from newsift.stages.attribution import _statement_owner, effective_kind
from newsift.stages.names import find_people
from newsift.stages.sources import classify_source
from tests.attribution_helpers import by_content, run, speaker

# -- sex from the article's pronouns ---------------------------------------------------------


def test_sex_from_the_pronoun_after_a_subject() -> None:
    text = (
        "Brannigan said his office would look again. Like Okafor, he doubts the plan.\n"
        "Taylor Quist posted a long note. She said the label had wronged her."
    )
    people = find_people(text, ["Brannigan", "Okafor", "Taylor Quist"])
    assert people.by_key["brannigan"].gender == "m"
    assert people.by_key["okafor"].gender is None  # a fronted "Like Okafor," is no subject
    assert people.by_key["quist"].gender == "f"


def test_possessive_her_votes_but_object_her_does_not() -> None:
    text = "Taylor Quist got support after a dispute over her old albums."
    assert find_people(text, ["Taylor Quist"]).by_key["quist"].gender == "f"
    text = "Quinn Quist told her that the deal was off."
    assert find_people(text, ["Quinn Quist"]).by_key["quist"].gender is None


def test_a_woman_named_between_does_not_stop_a_he() -> None:
    text = (
        "Taylor Quist said she was hurt. Vornholt has worked with many artists that Quist has "
        "had feuds with. He has denied being unfair to her."
    )
    people = find_people(text, ["Taylor Quist", "Vornholt"])
    assert people.by_key["quist"].gender == "f"
    assert people.by_key["vornholt"].gender == "m"


def test_lone_name_written_about_as_he_is_a_person() -> None:
    text = (
        "The blogger Jake Morvane spoke first. Even so, Morvaine still turned a cautious stance "
        "into a long talk where he discussed a shadow government.\n"
        "Police said he was arrested later. The police did not say where."
    )
    people = find_people(text, ["Jake Morvane"])
    assert people.by_key["morvaine"].gender == "m"
    assert "police" not in people.by_key  # the article also writes "police" in lower case


def test_place_word_tagged_person_is_no_person_and_possessive_is_dropped() -> None:
    text = "Man who sold ammo to Las Vegas gunman speaks out. Vegas police met Quist's lawyer."
    people = find_people(text, ["Vegas", "Dana Quist's"], [("GPE", "Las Vegas")])
    assert "vegas" not in people.by_key
    assert people.by_key["quist"].name == "Dana Quist"


def test_role_noun_before_an_unknown_first_name_marks_a_person() -> None:
    people = find_people("The label was bought by talent manager Scooby Vornholt last year.")
    assert people.by_key["vornholt"].name == "Scooby Vornholt"


@pytest.mark.slow
def test_pronoun_resolves_past_a_woman_to_the_man_who_is_the_subject() -> None:
    text = (
        "Taylor Quist said she would play her old songs at the awards. Her label was bought by "
        "talent manager Scooby Vornholt last year.\n\n"
        "Vornholt has worked with many artists that Taylor Quist has had feuds with. "
        "He has consistently denied being unfair to her."
    )
    att = by_content(text, "being unfair to her")
    assert speaker(att) and "Vornholt" in speaker(att)
    assert effective_kind(att) == "named"


@pytest.mark.slow
def test_surname_ending_in_s_is_not_a_plural() -> None:
    text = (
        "“He has me thinking now,” said Sowers, who runs a bakery. She said if the governor "
        "can get his message out, he can win."
    )
    att = by_content(text, "if the governor can get his message out")
    assert speaker(att) == "Sowers"


# -- kinds ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("phrase", "kind"),
    [
        ("The company that runs the awards, Dick Clark Productions", "organization"),
        ("The group that owns most of her music, Big Machine", "organization"),
        ("Dick Clark Productions", "organization"),
        ("the shop's owner, Joe Smith", "named"),
        ("The utility", "organization"),
        ("the school district", "organization"),
        ("the hospital", "organization"),
        ("Other 911 calls", "document"),
    ],
)
def test_kinds_of_bodies(phrase: str, kind: str) -> None:
    people = find_people("Joe Smith said so. Anna Grant said so.", ["Joe Smith"])
    assert classify_source(phrase, [], people) == kind


@pytest.mark.parametrize(
    ("phrase", "owner"),
    [
        ("the ministry statement", "the ministry"),
        ("the military's statement", "the military"),
        ("the statement", None),
        ("a statement", None),
        ("the press release", None),
    ],
)
def test_statement_owner(phrase: str, owner: str | None) -> None:
    assert _statement_owner(phrase) == owner


@pytest.mark.slow
def test_it_after_the_statement_is_the_body_that_issued_it() -> None:
    text = (
        "Two soldiers were killed in a crash, the army said in a statement on Monday.\n\n"
        "“The cause of the crash is under investigation,” the statement said.\n\n"
        "It did not give the place and said it was withholding the names of the dead."
    )
    att = by_content(text, "withholding the names")
    assert effective_kind(att) == "organization"
    assert "army" in (speaker(att) or "")


# -- cues that are no speech -----------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize(
    "text",
    [
        "Orban then did what few leaders do: he told the truth about the border.",
        "It is a state where the former vice president has maintained a large polling lead.",
        "Asked whether the party believes the women, Quist stayed silent.",
    ],
)
def test_no_attribution_without_speech(text: str) -> None:
    assert run(text).layers["attributions"] == []


@pytest.mark.slow
def test_told_an_audience_that_keeps_the_clause() -> None:
    text = (
        "Union president Keith Gambrell told a few thousand teachers who filled the lawn that "
        "the legislature should spend its cash reserves on schools."
    )
    att = by_content(text, "the legislature should spend")
    assert att["content"]["text"].startswith("the legislature")


@pytest.mark.slow
def test_fronted_phrase_is_not_the_content() -> None:
    text = (
        "In a joint statement published on Friday, the two ministries accused the rebels of "
        "blocking aid to the camp."
    )
    att = by_content(text, "blocking aid")
    assert "joint statement" not in att["content"]["text"]


@pytest.mark.slow
def test_source_inside_the_quote_is_replaced_by_the_name_after_it() -> None:
    text = (
        "“The symptoms are very similar, and consistent with, the symptoms that were seen in "
        "the other city,” Secretary of State Mike Pompano said on Wednesday."
    )
    att = by_content(text, "The symptoms are very similar")
    assert "Pompano" in (speaker(att) or "")
