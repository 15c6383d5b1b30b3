"""The figures extractor on hand-written sentences, one case per rule of docs/figures.md."""

from __future__ import annotations

import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsift.stages.figures import parse_figures


def triples(text: str) -> list[tuple]:
    return [(f["text"], f["kind"], f["value"]) for f in parse_figures(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "the US has sent 250 trucks in four days",
            [("250 trucks", "quantity", 250), ("four days", "duration", 4)],
        ),
        ("a total of 4,800 trucks with weapons", [("4,800 trucks", "quantity", 4800)]),
        (
            "There are three US military bases in the region",
            [("three US military bases", "quantity", 3)],
        ),
        ("repairs would cost $310 million", [("$310 million", "money", 310_000_000)]),
        ("unemployment fell to 4.5%", [("4.5%", "percent", 4.5)]),
        ("the plan dates from March 5, 2020", [("March 5, 2020", "date", "2020-03-05")]),
        ("prices have doubled since 2019", [("2019", "year", 2019)]),
        ("turnout was 61,204.", [("61,204", "number", 61204)]),
        ("one of them left", []),
        ("almost twice the 2019 estimate", [("2019", "year", 2019)]),
    ],
)
def test_parse_figures(text: str, expected: list[tuple]) -> None:
    assert triples(text) == expected


# Every scale word multiplies the same exact way, wherever the figure stands in the sentence.
@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("The city has 1.5 million residents", 1_500_000),
        ("The city has 17.4 million residents", 17_400_000),
        ("The population is 1.5 million.", 1_500_000),
        ("The population is 17.4 million.", 17_400_000),
        ("Sales reached 2.75 billion units", 2_750_000_000),
        ("Debt stood at 1.1 trillion", 1_100_000_000_000),
        ("Some 3 thousand people came", 3000),
        ("The post had 2.3k shares", 2300),
        ("It reached 1M people", 1_000_000),
        ("They handed out 50 lakh masks", 5_000_000),
        ("A fund of 2 crore rupees", 20_000_000),
        ("Revenue grew to $359.5 mn", 359_500_000),
        ("Revenue grew to $27.2 billion", 27_200_000_000),
        ("The deal was worth $5bn", 5_000_000_000),
        ("The deal was worth £3m", 3_000_000),
        ("Surplus rose to $1.1 tn", 1_100_000_000_000),
        ("It employed 2.9 mn people", 2_900_000),
        ("Population hit a record 43.7 Million", 43_700_000),
    ],
)
def test_scale_words_normalise_the_same_way(text: str, value: int) -> None:
    (fig,) = parse_figures(text)
    assert fig["value"] == value
    assert isinstance(fig["value"], int)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The index closed at 27,934.02 on Friday", [("27,934.02", "number", 27934.02)]),
        ("It cost $1,916.66 a month", [("$1,916.66", "money", 1916.66)]),
        ("Shares fell -5.44% to 225.86", [("-5.44%", "percent", -5.44), ("225.86", "number", 225.86)]),
        ("premiums (+8.5%) rose", [("+8.5%", "percent", 8.5)]),
        ("1\tAcme Group\t107,764,591\t-4.9", [("1", "number", 1), ("107,764,591", "number", 107764591), ("-4.9", "number", -4.9)]),
        ("The 2002-2003 outbreak", [("2002", "year", 2002), ("2003", "year", 2003)]),
        ("a multiple of 12.1x", [("12.1x", "number", 12.1)]),
    ],
)  # fmt: skip
def test_decimals_separators_and_signs(text: str, expected: list[tuple]) -> None:
    assert triples(text) == expected


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("The bond rose 1-1/2 points", 1.5),
        ("The note gained 7/32 in price", 7 / 32),
        ("A board 2 3/4 inches thick", 2.75),
        ("nearly one-third of the population", 1 / 3),
        ("two-thirds of the overall share", 2 / 3),
        ("a quarter of voters", 0.25),
        ("one-half of the budget", 0.5),
    ],
)
def test_fractions(text: str, value: float) -> None:
    (fig,) = parse_figures(text)
    assert fig["kind"] == "number"
    assert fig["value"] == pytest.approx(value)


@pytest.mark.parametrize(
    ("text", "value", "parts"),
    [
        ("It ended Feb. 14 at noon", "--02-14", {"year": None, "month": 2, "day": 14}),
        ("filed on May 17, 2017 in court", "2017-05-17", {"year": 2017, "month": 5, "day": 17}),
        ("the issue of November 14th 2017", "2017-11-14", {"year": 2017, "month": 11, "day": 14}),
        ("from December 2016 to now", "2016-12", {"year": 2016, "month": 12, "day": None}),
        ("since 20 May 2018 the rule", "2018-05-20", {"year": 2018, "month": 5, "day": 20}),
        ("posted 2018-05-11 online", "2018-05-11", {"year": 2018, "month": 5, "day": 11}),
        ("signed 11/20/2019 in Ohio", "2019-11-20", {"year": 2019, "month": 11, "day": 20}),
        ("by Sept. 14, the team", "--09-14", {"year": None, "month": 9, "day": 14}),
    ],
)
def test_a_date_is_one_figure_with_its_parts(text: str, value: str, parts: dict) -> None:
    (fig,) = parse_figures(text)
    assert (fig["kind"], fig["value"], fig["parts"]) == ("date", value, parts)


@pytest.mark.parametrize(
    "text",
    [
        "The S&P 500 and the STOXX 600 were flat",
        "Britain triggered Article 50 last year",
        "ABC 7 reported the news",
        "COVID-19 spread to G7 countries",
        "an F-35 and a Boeing 737 flew over",
        "the 737 Max and 787-9 Dreamliner jets",
        "it runs Windows 10 on Route 66",
        "results in Q3 beat estimates",
        "moving from No. 9 to No. 11",
        "He lives at 1119 Eighth St. in town",
        "a 911 call came in",
        "At 12:12 p.m. the officer knocked",
        "a report by Zero Hedge",
        "open 24/7 since 9/11",
        "see pic.twitter.com/3Q3PwAAdsh and @News4 #Telemundo40",
        "1. State Farm Group",
        "a 401(k) plan",
        "the 32nd floor in the 1990s",
        "NPW ($'000)",
        "a call at 9 a.m. ET and another at 5 PM",
        "He called 911.",
        "as Benelli[1] said",
        "an order for 777x jets",
        "type 2 diabetes in group 2 cells",
        "new games: Mortal Kombat 11 and Red Dead Redemption 2.",
        "the galaxy known as Messier 31 or M31",
        "(Psalm 71:18-19; see p. 114)",
        "games at 4k on a TV",
        "of exemplar: “(1) copy, (2) model",
    ],
)
def test_names_ranks_codes_and_addresses_are_not_figures(text: str) -> None:
    assert triples(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "no one was hurt",
        "No one sector wants it",
        "one of the largest carriers",
        "they insure one another",
        "the number one buyer",
        "One reviewer notes the price",
        "one such plume was seen",
        "one way or the other",
        "dozens of flybys and thousands of people",
        "more than half of the districts",
        "a third caravan crossed",
        "two-stroke engines",
        "a zero tolerance policy",
        "the attacker, one Kino Jimenez, fled",
        "For example, one study found more",
    ],
)
def test_pronouns_ordinals_and_vague_amounts_are_not_figures(text: str) -> None:
    assert triples(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("20 had no record, one has charges", [("20", "number", 20), ("one", "number", 1)]),
        ("qualify for at least one discount.", [("one discount", "quantity", 1)]),
        ("Sixty one of those arrested", [("Sixty one", "number", 61)]),
        ("a 42-year-old man", [("42-year-old", "quantity", 42)]),
        ("a 16-year veteran", [("16-year", "duration", 16)]),
        ("during a seven-day action", [("seven-day", "duration", 7)]),
        ("10 years’ probation", [("10 years’", "duration", 10)]),
        ("a year and a half into the war", [("a year and a half", "duration", 1.5)]),
        ("cut rates by a quarter-point", [("quarter-point", "percent", 0.25)]),
        ("15 to 20 percent of income", [("15", "percent", 15), ("20 percent", "percent", 20)]),
        ("cover three to six months", [("three", "duration", 3), ("six months", "duration", 6)]),
        ("In 2014, 66 were infected", [("2014", "year", 2014), ("66", "number", 66)]),
        ("About 2000 people marched", [("2000 people", "quantity", 2000)]),
        ("the 2024 earnings multiple", [("2024", "year", 2024)]),
        ("Burton, 32, of Franklin", [("32", "number", 32)]),
        ("£738,000 ($1m) was released", [("£738,000", "money", 738000), ("$1m", "money", 1_000_000)]),
        ("five billion dollars", [("five billion dollars", "money", 5_000_000_000)]),
        ("they paid Rs 300 and USD 5 million", [("Rs 300", "money", 300), ("USD 5 million", "money", 5_000_000)]),
        ("there were zero deaths", [("zero deaths", "quantity", 0)]),
        ("ICE Arrests 22 In Chicago Area", [("22", "number", 22)]),  # a title-case headline
        ("Germany’s 16 states", [("16 states", "quantity", 16)]),
        ("Laredo (15) and Waco (7).", [("15", "number", 15), ("7", "number", 7)]),
        ("Ryan Hollman, 31, of Hope", [("31", "number", 31)]),
        ("Some 200 U.S. military personnel", [("200 U.S. military personnel", "quantity", 200)]),
        ("300 km or 175 miles", [("300 km", "quantity", 300), ("175 miles", "quantity", 175)]),
    ],
)  # fmt: skip
def test_counts_units_and_ranges(text: str, expected: list[tuple]) -> None:
    assert triples(text) == expected


def test_units_and_kinds_of_the_output() -> None:
    money, percent, quantity = parse_figures("$5 billion, up 3 percentage points, 250 trucks")
    assert (money["unit"], percent["unit"], quantity["unit"]) == (
        "$",
        "percentage points",
        "trucks",
    )
    assert set(money) == {"text", "start", "end", "kind", "value", "unit"}


def test_offsets_are_shifted() -> None:
    text = "It cost $5 billion."
    (fig,) = parse_figures(text, offset=100)
    assert (fig["start"], fig["end"]) == (108, 118)
    assert text[fig["start"] - 100 : fig["end"] - 100] == fig["text"]


def test_a_table_of_500_numbers_and_a_5000_character_sentence_take_bounded_time() -> None:
    rows = "\n".join(f"{i}\tAcme Group\t{i * 7919:,}\t{i % 40 - 20}.5" for i in range(1, 501))
    sentence = " ".join(["In 2014 about 1.5 million people paid $3.2 bn over four days,"] * 80)
    t0 = time.perf_counter()
    table = parse_figures(rows)
    long = parse_figures(sentence[:5000])
    assert time.perf_counter() - t0 < 2.0
    assert len(table) == 1500
    assert [f["value"] for f in table[:3]] == [1, 7919, -19.5]
    assert len(long) > 200


@pytest.mark.parametrize("text", ["1" * 5000, "one " * 1500, "$" * 3000 + "1", "1," * 2500])
def test_degenerate_input_does_not_crash(text: str) -> None:
    for f in parse_figures(text):
        assert text[f["start"] : f["end"]] == f["text"]


_TOKENS = [*"0123456789 ,.-/%$£€:()[]x\tkKM'’“", "Feb. ", "May ", "one", "two", "-third", "million",
           " percent", " years", "-year-old", " and a half", "No. ", "S&P ", "ABC ", "Ab ", "a.m.",
           "St.", " dollars", "(1) ", "Psalm ", "‑", "٣"]  # fmt: skip


@pytest.mark.fuzz
@given(st.lists(st.sampled_from(_TOKENS), max_size=60).map("".join))
def test_figures_are_ordered_disjoint_slices_of_the_text(text: str) -> None:
    figures = parse_figures(text, offset=7)
    end = 7
    for f in figures:
        assert f["start"] >= end  # in order, never overlapping
        assert text[f["start"] - 7 : f["end"] - 7] == f["text"]
        assert f["kind"] in {"number", "quantity", "money", "percent", "duration", "date", "year"}
        end = f["end"]
