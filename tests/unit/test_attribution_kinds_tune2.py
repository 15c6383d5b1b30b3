"""attribution.v1, kinds and pronouns learned on the `tune2` gold part (issue 19, helper H29):
surnames written alone after a full name, particle surnames, posts' display names, documents
in the plural, news sites, a person's team, "the pair", indefinite roles, a relative clause in
the speaker's appositive, singular "they", and the name after "X's attorney".

Every text here is written by the team (no third-party text).
"""

from __future__ import annotations

import pytest

from newsift.stages.names import find_people
from newsift.stages.sources import classify_post_author, classify_source
from tests.attribution_helpers import by_content, kind, speaker

# -- people: a surname alone after a full name; particle surnames ----------------------------


def test_a_surname_written_alone_as_a_speaker_after_a_full_name_is_a_person() -> None:
    text = (
        "Marta Ribeiro and Tobiah Quennell won the final on Sunday.\n"
        '"It was a hard week for us," Quennell said.'
    )
    people = find_people(text, [], [])
    assert "Quennell" in people  # "Tobiah" is no known given name: the surname rule decides
    assert classify_source("Quennell", [], people) == "named"


@pytest.mark.slow
def test_a_surname_alone_after_a_full_name_speaks_as_a_person() -> None:
    text = (
        "Marta Ribeiro and Tobiah Quennell won the final on Sunday.\n"
        '"It was a hard week for us," Quennell said.'
    )
    assert kind(by_content(text, "hard week")) == "named"


def test_the_last_word_of_a_body_or_a_people_is_no_surname() -> None:
    text = "Duke Energy raised prices. Energy said the plan works. Many Vandorians said no."
    people = find_people(text, [], [("ORG", "Duke Energy"), ("NORP", "Many Vandorians")])
    assert "Energy" not in people
    assert "Vandorians" not in people
    # a word the article writes in lower case is no given name; a line break joins no name
    text = "Because Zoomly cut prices, because it could. Zoomly says the plan works.\nBrisk\nZoomly"
    assert "Zoomly" not in find_people(text, [], [])


def test_a_surname_with_a_lower_case_particle_is_one_name() -> None:
    people = find_people("Joseph diGenova spoke. Later diGenova said no.", ["Joseph diGenova"])
    person = people.find("diGenova")
    assert person is not None and person.name == "Joseph diGenova"
    assert classify_source("diGenova", [], people) == "named"


# -- posts' display names ------------------------------------------------------------------


def test_a_post_signed_with_a_given_name_is_a_person_a_body_stays_a_body() -> None:
    people = find_people("Karen Lowe spoke.", ["Karen Lowe"], [])
    assert classify_post_author("Mike", people) == "named"
    assert classify_post_author("Diana Batt", people) == "named"
    assert classify_post_author("Fox News", people) == "organization"
    assert classify_post_author("Acme Corp", people) == "organization"
    # no given name and no known person: the words decide, as for any lone word
    assert classify_post_author("PVeritas Action", people) == "organization"


# -- documents, news sites, groups -----------------------------------------------------------


def test_documents_in_the_plural_are_documents() -> None:
    people = find_people("John Smith said.", ["John Smith"], [])
    assert classify_source("legal and insurance papers", [], people) == "document"
    assert classify_source("The letters, both dated Tuesday", [], people) == "document"
    assert classify_source("bankruptcy documents filed by Smith", [], people) == "document"
    # a first conjunct with a head of its own still decides
    assert classify_source("court documents and prosecutors", [], people) == "document"


def test_a_news_site_is_an_organization() -> None:
    assert classify_source("the news website") == "organization"
    assert classify_source("the website") == "document"


def test_a_persons_team_and_people_named_by_a_number_are_unnamed() -> None:
    people = find_people("John Smith said.", ["John Smith"], [])
    assert classify_source("her team", [], people) == "anonymous"
    assert classify_source("his legal team", [], people) == "anonymous"
    assert classify_source("the team", [], people) == "organization"
    assert classify_source("two women who have accused Rep. John Smith", [], people) == (
        "anonymous"
    )
    assert classify_source("Another Smith attorney", [], people) == "anonymous"
    assert classify_source("the Russian and Syrian defense ministries", ["NORP"], people) == (
        "organization"
    )


def test_the_pair_stands_for_named_people_and_a_person_with_his_team_is_named() -> None:
    people = find_people("Jose Marten and Anna Lowe spoke.", ["Jose Marten", "Anna Lowe"], [])
    assert classify_source("the pair", [], people) == "named"
    assert classify_source("Marten and his defense team", [], people) == "named"


# -- speakers: a relative clause in the appositive; singular they; X's attorney Y ------------


@pytest.mark.slow
def test_a_relative_clause_in_the_speakers_appositive_is_not_the_speaker() -> None:
    text = (
        "Harold Penn, chairman of the Select Committee on Roads, who had called for the bridge "
        'to be closed, said: "I welcome the decision.'
        '\nThis is right."'
    )
    att = by_content(text, "welcome the decision")
    assert "Penn" in speaker(att) and kind(att) == "named"


@pytest.mark.slow
def test_singular_they_stands_for_the_person_the_article_calls_so() -> None:
    text = (
        "The professor said they would look at the paper again, according to the Daily Ledger.\n"
        '"Thank you for the link," they wrote.'
    )
    att = by_content(text, "Thank you for the link")
    assert speaker(att) == "The professor"
    assert kind(att) == "named_role"


@pytest.mark.slow
def test_they_without_such_evidence_still_needs_a_group() -> None:
    text = (
        "The professor rejected the paper, the Daily Ledger reported.\n"
        '"We stand by the story," they wrote.'
    )
    att = by_content(text, "stand by the story")
    assert speaker(att) != "The professor"


@pytest.mark.slow
def test_he_after_a_possessor_and_a_role_is_the_named_lawyer() -> None:
    text = (
        "Carl Dobbs appeared in court on Monday.\n"
        "Dobbs's attorney James Wexley mocked the witness.\n"
        '"She is not credible," he said.'
    )
    att = by_content(text, "not credible")
    assert "Wexley" in speaker(att)
