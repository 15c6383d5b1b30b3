from __future__ import annotations

import pytest

from newsift.stages.figures import parse_figures


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "the US has sent 250 trucks in four days",
            [("four days", "duration", 4), ("250 trucks", "quantity", 250)][::-1],
        ),
        ("a total of 4,800 trucks with weapons", [("4,800 trucks", "quantity", 4800)]),
        (
            "There are three US military bases in the region",
            [("three US military bases", "quantity", 3)],
        ),
        ("repairs would cost $310 million", [("$310 million", "money", 310_000_000)]),
        ("unemployment fell to 4.5%", [("4.5%", "percent", 4.5)]),
        ("the plan dates from March 5, 2020", [("March 5, 2020", "date", "March 5, 2020")]),
        ("prices have doubled since 2019", [("2019", "year", 2019)]),
        ("turnout was 61,204.", [("61,204", "number", 61204)]),
        ("one of them left", []),
        ("almost twice the 2019 estimate", [("2019", "year", 2019)]),
    ],
)
def test_parse_figures(text: str, expected: list[tuple]) -> None:
    got = [(f["text"], f["kind"], f["value"]) for f in parse_figures(text)]
    assert got == expected


def test_offsets_are_shifted() -> None:
    text = "It cost $5 billion."
    (fig,) = parse_figures(text, offset=100)
    assert (fig["start"], fig["end"]) == (108, 118)
    assert text[fig["start"] - 100 : fig["end"] - 100] == fig["text"]
