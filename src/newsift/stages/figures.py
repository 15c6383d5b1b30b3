"""Figures in a sentence: numbers, quantities, money, percentages, durations and dates.

``parse_figures("the US has sent 250 trucks in four days")`` gives
``[{"text": "250 trucks", "kind": "quantity", "value": 250, "unit": "trucks", ...},
{"text": "four days", "kind": "duration", "value": 4, "unit": "days", ...}]``. Offsets are relative
to the text given, plus ``offset``.
"""

from __future__ import annotations

import re
from typing import Any

from .cues import FUNCTION_WORDS

_UNITS_WORDS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
    "dozen": 12,
    "dozens": 24,
    "hundreds": 200,
    "thousands": 2000,
    "millions": 2_000_000,
}
_SCALES = {
    "thousand": 1e3,
    "k": 1e3,
    "million": 1e6,
    "mln": 1e6,
    "m": 1e6,
    "mn": 1e6,
    "billion": 1e9,
    "bn": 1e9,
    "b": 1e9,
    "trillion": 1e12,
    "tn": 1e12,
}
_DURATION_UNITS = {
    "second",
    "seconds",
    "minute",
    "minutes",
    "hour",
    "hours",
    "day",
    "days",
    "week",
    "weeks",
    "month",
    "months",
    "year",
    "years",
    "decade",
    "decades",
    "century",
    "centuries",
}
_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
# Words that end a unit phrase: function words and verbs that follow a quantity.
_STOP = FUNCTION_WORDS | set(
    """
per which who could since ago so these those his her more less about over under after before during said says each every other we he she
""".split()
)
_NUMBER_WORD = "|".join(sorted(_UNITS_WORDS, key=len, reverse=True))
_NUM = rf"(?:\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?|(?:{_NUMBER_WORD})(?:[- ](?:{_NUMBER_WORD}))?)"
_SCALE = r"(?:\s*(?:thousand|million|billion|trillion|mln|bn|tn)\b|(?<=\d)[kmb]\b)?"

_DATE = re.compile(
    rf"\b(?:(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}|\d{{1,2}}(?:st|nd|rd|th)?\s+"
    rf"(?:{_MONTHS})\.?,?\s+\d{{4}}|(?:{_MONTHS})\.?\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}}|"
    rf"(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?\b)",
    re.I,
)
_MONEY = re.compile(
    rf"(?:[$€£¥₽]|\b(?:US\$|USD|EUR|GBP|RUB)\s?)\s?{_NUM}{_SCALE}|\b{_NUM}{_SCALE}\s+(?:dollars|euros|pounds|rubles|roubles|yuan)\b",
    re.I,
)
_PERCENT = re.compile(rf"\b{_NUM}\s?(?:%|per ?cent\b|percentage points?\b)", re.I)
_YEAR = re.compile(r"\b(?:in|since|by|from|until|of|during)\s+((?:1[89]|20)\d{2})\b")
_QUANTITY = re.compile(rf"\b{_NUM}{_SCALE}(?=[\s\-])", re.I)
_WORD = re.compile(r"[A-Za-z][A-Za-z\-']*")


def _to_number(token: str) -> float | None:
    t = token.lower().strip()
    if not t:
        return None
    if t[0].isdigit():
        try:
            return float(t.replace(",", ""))
        except ValueError:
            return None
    total = 0.0
    for part in re.split(r"[- ]", t):
        if part not in _UNITS_WORDS:
            return None
        v = _UNITS_WORDS[part]
        total = total * v if v == 100 and total else total + v
    return total


def _value(text: str) -> float | None:
    m = re.match(
        rf"({_NUM})(\s*(?:thousand|million|billion|trillion|mln|bn|tn)|[kmb])?", text.strip(), re.I
    )
    if not m:
        return None
    base = _to_number(m.group(1))
    if base is None:
        return None
    scale = (m.group(2) or "").strip().lower()
    return base * _SCALES.get(scale, 1)


def _clean_value(v: float | None) -> float | int | None:
    if v is None:
        return None
    return int(v) if float(v).is_integer() else v


def _unit_after(text: str, pos: int) -> tuple[str, int]:
    """The unit phrase after a number: up to 3 words, stopping at a function word or punctuation."""
    words = []
    end = pos
    rest = text[pos:]
    for m in _WORD.finditer(rest):
        gap = rest[end - pos : m.start()]
        if gap.strip(" -"):
            break
        w = m.group(0)
        if w.lower() in _STOP or len(words) >= 3:
            break
        words.append(w)
        end = pos + m.end()
        if w.lower() in _DURATION_UNITS:
            break
        if w[0].islower() and w.lower().endswith("s"):
            break  # a plural noun usually closes the unit ("trucks", "armored vehicles")
    return " ".join(words), end


def parse_figures(text: str, offset: int = 0) -> list[dict[str, Any]]:
    """Find the figures in ``text``.

    Returns:
        A list of ``{text, start, end, kind, value, unit}``; ``kind`` is one of ``date``,
        ``money``, ``percent``, ``duration``, ``quantity``, ``number`` or ``year``.
    """
    found: list[dict[str, Any]] = []
    taken: list[tuple[int, int]] = []

    def free(s: int, e: int) -> bool:
        return all(e <= a or s >= b for a, b in taken)

    def add(s: int, e: int, kind: str, value: Any, unit: str | None) -> None:
        taken.append((s, e))
        found.append(
            {
                "text": text[s:e],
                "start": offset + s,
                "end": offset + e,
                "kind": kind,
                "value": value,
                "unit": unit,
            }
        )

    for m in _DATE.finditer(text):
        add(m.start(), m.end(), "date", m.group(0), None)
    for m in _MONEY.finditer(text):
        if free(m.start(), m.end()):
            cur = re.search(
                r"[$€£¥₽]|US\$|USD|EUR|GBP|RUB|dollars|euros|pounds|rubles|roubles|yuan",
                m.group(0),
                re.I,
            )
            num = re.search(_NUM + _SCALE, m.group(0), re.I)
            add(
                m.start(),
                m.end(),
                "money",
                _clean_value(_value(num.group(0)) if num else None),
                cur.group(0) if cur else None,
            )
    for m in _PERCENT.finditer(text):
        if free(m.start(), m.end()):
            add(m.start(), m.end(), "percent", _clean_value(_value(m.group(0))), "%")
    for m in _YEAR.finditer(text):
        if free(m.start(1), m.end(1)):
            add(m.start(1), m.end(1), "year", int(m.group(1)), None)
    for m in _QUANTITY.finditer(text):
        s, e = m.start(), m.end()
        if not free(s, e) or (s > 0 and (text[s - 1].isalnum() or text[s - 1] in "$€£")):
            continue
        number = m.group(0)
        value = _clean_value(_value(number))
        if value is None:
            continue
        # "one" as a pronoun ("one of them", "the one") is not a figure.
        if number.lower() == "one" and not re.match(r"\s+[a-z]+s?\b", text[e:]):
            continue
        if re.fullmatch(r"(?:1[89]|20)\d{2}", number):
            add(s, e, "year", int(number), None)  # "the 2019 estimate": a year, not 2019 estimates
            continue
        unit, ue = _unit_after(text, e)
        if unit.lower() in _DURATION_UNITS:
            add(s, ue, "duration", value, unit)
        elif unit:
            add(s, ue, "quantity", value, unit)
        elif number[0].isdigit():
            add(s, e, "number", value, None)
    # Bare numbers at the end of a sentence or before punctuation.
    for m in re.finditer(
        r"(?<![\w.,$€£])\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\w,])|(?<![\w.,$€£-])\d+(?:\.\d+)?(?![\w%,.-]|\.\d)",
        text,
    ):
        if free(m.start(), m.end()):
            add(m.start(), m.end(), "number", _clean_value(_value(m.group(0))), None)
    found.sort(key=lambda f: f["start"])
    return found
