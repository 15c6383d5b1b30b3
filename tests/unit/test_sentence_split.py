"""Sentence splitting that knows abbreviations, months, initials and one-paragraph-per-line text
(a split in the wrong place cuts a claim in half and makes attributions like 'according to | 14')."""

from __future__ import annotations

import pytest

from newsift.stages.nlp import get_nlp, split_sentences

pytestmark = pytest.mark.slow  # loads spaCy or an ONNX model (scripts/test.sh --fast skips it)


def sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(get_nlp(), text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a month before a day
        (
            "Sentencing is scheduled for Feb. 14. The judge agreed.",
            ["Sentencing is scheduled for Feb. 14.", "The judge agreed."],
        ),
        (
            "The vote on Dec. 3 was close. He left.",
            ["The vote on Dec. 3 was close.", "He left."],
        ),
        (
            "It was signed on Jan. 5, 2018, by the mayor.",
            ["It was signed on Jan. 5, 2018, by the mayor."],
        ),
        # "No." before a number
        (
            "The bill, No. 14, passed. It was signed.",
            ["The bill, No. 14, passed.", "It was signed."],
        ),
        # a title before a name
        (
            "The plan was backed, according to Gov. Eric Holcomb. He said so.",
            ["The plan was backed, according to Gov. Eric Holcomb.", "He said so."],
        ),
        ("Aid was sent, Sen. Ann Lowe said.", ["Aid was sent, Sen. Ann Lowe said."]),
        # initials of a name, also across a line break inside a paragraph
        (
            "The award went to John F. Kennedy. It was late.",
            ["The award went to John F. Kennedy.", "It was late."],
        ),
        (
            "Imams such as H.R.\nMcMaster will go.",
            ["Imams such as H.R.\nMcMaster will go."],
        ),
        (
            "His friend Fr.\nJames Martin will speak.",
            ["His friend Fr.\nJames Martin will speak."],
        ),
        # "U.S." ends a sentence before a capital
        (
            "He lives in the U.S. The next day he left.",
            ["He lives in the U.S.", "The next day he left."],
        ),
        ("The U.S. Army said so.", ["The U.S. Army said so."]),
    ],
)
def test_abbreviations(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


def test_one_paragraph_per_line() -> None:
    text = (
        'And they are also invaders.\'"\n"They do not want it," she added.\nThank you for reading!'
    )
    assert sentences(text) == [
        "And they are also invaders.'\"",
        '"They do not want it," she added.',
        "Thank you for reading!",
    ]


def test_a_wrapped_line_is_not_a_sentence_end() -> None:
    assert sentences("He lives in a\nhouse by the sea. It is big.") == [
        "He lives in a\nhouse by the sea.",
        "It is big.",
    ]


def test_a_line_ending_with_a_colon_ends_its_sentence() -> None:
    split = sentences("Holeness explained his views:\nHOLENESS: We need checks.")
    assert split[0] == "Holeness explained his views:"


def test_according_to_is_not_cut_from_its_source() -> None:
    from newsift.api import analyze_text

    text = "The tax rises on Feb. 14, according to Gov. Eric Holcomb of the state."
    atts = analyze_text(text, html=False, stages=["nlp.v1", "attribution.v1"]).layers[
        "attributions"
    ]
    assert atts and "Holcomb" in atts[0]["source"]["text"]
    assert "14" in atts[0]["content"]["text"]
