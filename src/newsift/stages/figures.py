"""Figures in a sentence: numbers, quantities, money, percentages, durations, dates and years.

``parse_figures("the US has sent 250 trucks in four days")`` gives
``[{"text": "250 trucks", "kind": "quantity", "value": 250, "unit": "trucks", ...},
{"text": "four days", "kind": "duration", "value": 4, "unit": "days", ...}]``. Offsets are relative
to the text given, plus ``offset``. What counts as a figure (and what does not: index, product and
law names, ``no one``, ordinals, addresses, vague amounts) is set out in ``docs/figures.md``.

Values are normalised one way for every form: scale words multiply exactly (``1.5 million`` and
``17.4 million`` both give whole numbers; ``thousand``, ``million``, ``billion``, ``trillion``,
``k``, ``M``, ``mn``, ``bn``, ``tn``, ``lakh``, ``crore``); thousands separators and decimals are
kept (``27,934.02``); fractions become decimals (``7/32``, ``1-1/2``, ``one-third``); a date is one
figure whose value is ISO 8601 (``2017-05-17``, ``2016-12``, ``--02-14`` when the year is not
given) with its ``parts``.

The finder runs on every sentence of every article: all patterns are compiled once, each is one
left-to-right scan, and spans already taken are kept in a byte mask, so the time grows linearly
with the text (a 5,000-character sentence or a table of 500 numbers takes milliseconds).
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from .cues import FUNCTION_WORDS

_ONES = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
         "nine": 9}  # fmt: skip
_TEENS = {"zero": 0, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
          "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19}  # fmt: skip
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
         "eighty": 80, "ninety": 90}  # fmt: skip
_WORD_VALUES = {**_ONES, **_TEENS, **_TENS, "hundred": 100, "dozen": 12}
_SCALES = {
    "thousand": 3, "k": 3, "lakh": 5, "lakhs": 5, "million": 6, "mn": 6, "mln": 6, "m": 6,
    "crore": 7, "crores": 7, "billion": 9, "bn": 9, "b": 9, "trillion": 12, "tn": 12, "trn": 12,
}  # fmt: skip
_FRACTION_WORDS = {"half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4,
                   "fourth": 4, "fourths": 4, "fifth": 5, "fifths": 5, "sixth": 6, "sixths": 6,
                   "eighth": 8, "eighths": 8, "tenth": 10, "tenths": 10}  # fmt: skip
_DURATION_UNITS = frozenset(
    "second seconds minute minutes hour hours day days night nights week weeks month months "
    "year years decade decades century centuries".split()
)
_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12,
    "dec": 12,
}  # fmt: skip
# Words that end a unit phrase: function words and words that follow a count but name nothing.
_STOP = FUNCTION_WORDS | frozenset(
    "per which who whom whose could should may might can since ago so these those his her him "
    "more less fewer about over under after before during said says each every other we he she "
    "i you our your my me us not no up down out off only just also then while when where if "
    "be been being do does did got get gets".split()
)
# A capitalised word before a number that makes it a name, not a figure ("Article 50").
_NAME_HEADS = (
    "Article|Articles|Section|Title|Amendment|Chapter|Clause|Rule|Resolution|Proposition|Prop|"
    "Bill|Form|Schedule|Paragraph|Regulation|Directive|Order|Route|Highway|Interstate|Road|"
    "Runway|Terminal|Gate|Platform|Flight|Pier|Exit|Channel|Radio|Windows|iPhone|iPad|Galaxy|"
    "Pixel|Xbox|PlayStation|Boeing|Airbus|Apollo|Soyuz|Falcon|Model|Series|Version|Android|iOS|"
    "Office|Mark|Phase|Stage|Level|Category|Class|Grade|Room|Suite|Building|Block|Lot|Unit|"
    "Apartment|Apt|Page|Pages|Vol|Volume|Part|Step|Week|Game|Round|Season|Episode|Act|Scene|"
    "Super Bowl|Vision|Agenda|Generation|Gen|District|Ward|Precinct|Station|Engine|Camp|"
    "Caption|Fortune|Forbes Global|S&P|STOXX|Stoxx|Euro Stoxx|FTSE|DAX|CAC|Nikkei|Russell|"
    "Nasdaq|NASDAQ|MSCI|TSX|ASX|KOSPI|Sensex|Nifty|IBEX|Hang Seng|Formula|Ligue"
)
# The same heads in lower case, where a number after them is still a name ("type 2 diabetes").
_LOWER_HEADS = (
    "type|group|phase|stage|grade|class|level|category|article|section|chapter|step|page|pages|"
    "round|season|episode|part|volume|vol|unit|room|gate|ward|district|route|flight|channel"
)
# Words after a model number ("737 Max", "787 Dreamliner").
_PRODUCT_TAILS = "Max|MAX|Pro|Plus|Ultra|Mini|Dreamliner|Neo|neo|Edition|Series"
# Capitalised words (compared in upper case) that do not make the number after them a name:
# quantifiers, function words, headline verbs and country abbreviations ("Nearly 300", "US 10").
_NOT_NAME_WORDS = frozenset(
    "TOP ALL OVER ABOUT NEARLY ONLY SOME MORE JUST ALMOST AROUND AT LEAST THE OF IN FOR "
    "TO AND BY WITH ON ARE IS WAS WERE HAS HAD HAVE KILLS KILLED ARRESTS SAYS SAID AS FROM "
    "UP DOWN OUT OFF NEW US UK EU UN USA UAE NATO ROUGHLY APPROXIMATELY ANOTHER EXACTLY UNDER "
    "BELOW ABOVE BETWEEN AGED AGES WHILE WHEN AFTER BEFORE SINCE UNTIL DURING IF BUT OR NOR "
    "SO YET THAN NO NOT EVERY EACH ONE RS USD EUR GBP JPY CNY INR RUB CHF".split()
)

_SCALE_WORD = r"(?i:thousand|million|billion|trillion|lakhs?|crores?)|mn|mln|bn|tn|trn"
_WORDNUM = (
    r"(?i:(?:(?:{tens})(?:[- ](?:{ones}))?|{ones}|{teens}|dozen)(?:[- ](?:hundred|dozen)"
    r"(?:\s+(?:and\s+)?(?:(?:{tens})(?:[- ](?:{ones}))?|{ones}|{teens}))?)?)(?!\w)"
).format(tens="|".join(_TENS), ones="|".join(_ONES), teens="|".join(_TEENS))
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
# Not after a letter, digit, separator or symbol ("COVID-19", "Telemundo40", "$5", "#3", "3:30").
_LEFT = r"(?<![\w.,/#@$€£¥₹₽:])(?<![A-Za-z]-)"
_CURRENCY = (
    r"US\$|A\$|C\$|HK\$|NZ\$|S\$|R\$|\$|€|£|¥|₹|₽|\b(?:USD|EUR|GBP|JPY|CNY|INR|RUB|CHF)\s?"
    r"|\bRs\.?\s?"
)
_CURRENCY_WORDS = r"dollars|euros|yen|yuan|rupees|rubles|roubles|francs|pesos|cents"

_DATE = re.compile(
    r"\b(?P<m1>(?i:january|february|march|april|may|june|july|august|september|october|"
    r"november|december)|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?)"
    r"(?:\s+(?P<d1>\d{1,2})(?:st|nd|rd|th)?(?!\d|,\d)(?:,?\s+(?P<y1>(?:1[89]|20)\d{2})(?!\d))?"
    r"|,?\s+(?P<y2>(?:1[89]|20)\d{2})(?!\d))"
    r"|\b(?P<d3>\d{1,2})(?:st|nd|rd|th)?\s+(?P<m3>January|February|March|April|May|June|July|"
    r"August|September|October|November|December)(?:,?\s+(?P<y3>(?:1[89]|20)\d{2}))?(?!\d)"
    r"|\b(?P<iy>(?:1[89]|20)\d{2})-(?P<im>[01]\d)-(?P<id>[0-3]\d)\b"
    r"|(?<![\d/])(?P<um>[01]?\d)/(?P<ud>[0-3]?\d)/(?P<uy>(?:1[89]|20)?\d{2})(?![\d/])"
)
_MASKS = re.compile(
    r"(?:https?://|www\.|pic\.twitter\.com/)\S+|[@#]\w+"  # links, handles, hashtags
    r"|\b[A-Za-z]+-?\d[\w-]*"  # codes and models: "COVID-19", "G7", "F-35", "A350-900", "Q3"
    rf"|\b(?:{_NAME_HEADS})\.?\s+(?:No\.\s*)?\d+(?:[-.]\d+)*[A-Za-z]?(?![\d,])"
    r"|\b(?:No|Nos|no)\.\s?\d+|#\d+"  # ranks
    rf"|\b\d+ (?=(?:{_PRODUCT_TAILS})\b)|\b\d{{3,}}-\d\b"  # "737 Max", "787-9"
    r"|\b\d{1,6}\s+(?:[NSEW]\.?\s+)?(?:[A-Z][\w'.-]*\s+){1,3}"  # street addresses
    r"(?:St|Street|Ave|Avenue|Rd|Road|Dr|Drive|Pl|Place|Ln|Lane|Blvd|Boulevard|Way|Ct|Court|"
    r"Cir|Circle|Pkwy|Parkway|Hwy|Terrace)\b\.?"
    r"|\(?\b\d{3}\)?[ .-]\d{3}[.-]\d{4}\b"  # phone numbers
    r"|\b\d+(?:\([a-z0-9]{1,3}\))+"  # statute subsections: "401(k)", "501(c)(3)"
    r"|\b\d{1,3}:\d{1,3}(?:[-–]\d{1,3})?"  # verses and ratios: "Psalm 71:18-19"
    r"|\b\d{1,2}(?::\d{2}(?::\d{2})?(?:\s?[ap]\.?m\b\.?)?|\s?[ap]\.?m\b\.?|\s?[AP]M\b)"  # times
    r"|\b911\b(?![,.]\d)|\[\d{1,3}\]"  # the emergency number; footnote marks "[4]"
    r"|\b\d{3,}x\b"  # "777x": a model, not a multiple
    r"|\bpp?\.\s?\d+(?:[-–]\d+)?"  # page references
    r"|(?<![\d$€£.,])\b[458][kK]\b"  # video resolutions and race lengths: "4K", "5k"
    r"|(?:^|(?<=[:;,“\"]\s)|(?<=[:;“\"]))\((?:\d{1,2}|[a-z])\)(?=\s+[A-Za-z])"  # "(2) model"
    rf"|\b(?:{_LOWER_HEADS})\.?\s+\d+(?:[-.]\d+)*(?![\d,.%])"
)
_LIST_MARKER = re.compile(r"\s*\d{1,2}[.)]\s+(?=[A-Z])")
# A capitalised word and a small number: a name ("ABC 7", "Mortal Kombat 11", "Wi-Fi 6").
_NAME_NUMBER = re.compile(r"(?<![\w.])([A-Z][\w&'’.-]*)\s(\d{1,3})(?![\w,%/:-]|\.\d)")
_CAPITALISED = re.compile(r"\b[A-Z]")
_WORDS = re.compile(r"\b[A-Za-z]")
_SLASH = re.compile(
    _LEFT + r"(?:(?P<whole>\d+)[- ])?(?P<num>\d+(?:\.\d+)?)/(?P<den>\d+(?:\.\d+)?)(?![\d/])"
)
_FRACTION = re.compile(
    r"\b(?P<n>(?i:one|two|three|four|five|six|seven|eight|nine|a))[- ]"
    r"(?P<d>(?i:half|halves|thirds?|quarters?|fourths?|fifths?|sixths?|eighths?|tenths?))\b"
    r"(?!-)"
)
_POINT = re.compile(r"\b(?P<w>quarter|half)[- ]point\b", re.I)
_AND_A_HALF = re.compile(
    r"\b(?:an?|one)\s+(?P<u>year|month|week|day|hour|minute)\s+and\s+a\s+half\b", re.I
)
_SCALE = rf"(?:\s?(?P<sw>{_SCALE_WORD})\b|(?P<sa>[kKmMbB]|bn|mn)(?!\w))"
_MONEY = re.compile(
    rf"(?P<cur>{_CURRENCY})\s?(?P<num>{_DIGITS}|{_WORDNUM}){_SCALE}?"
    rf"(?![\w.,]\d|\w)(?:\s+(?P<cw>{_CURRENCY_WORDS})\b)?"
)
_MONEY_WORDS = re.compile(
    rf"{_LEFT}(?P<num>{_DIGITS}|{_WORDNUM})(?:\s?(?P<sw>{_SCALE_WORD})\b)?\s+"
    rf"(?P<cw>{_CURRENCY_WORDS})\b"
)
_PERCENT = re.compile(
    rf"{_LEFT}(?P<num>{_DIGITS}|{_WORDNUM})\s?(?P<u>%|(?i:per\s?cent|percentage\s+points?|pct)\b)"
)
_NUMBER = re.compile(
    rf"{_LEFT}(?P<num>{_DIGITS}|{_WORDNUM})(?:\s+and\s+a\s+half\b)?"
    rf"(?:\s?(?P<sw>{_SCALE_WORD})\b|(?P<sa>[kKM]|bn|mn)(?!\w)|(?P<x>x)(?!\w)"
    r"|(?P<au>km|kg|mm|cm|m|g|ft|lbs?|mph|[kMGT]Wh?)(?!\w))?(?![\w]|[.,]\d|:\d)"
)
_DIGIT = re.compile(r"\d")
_NUMBER_WORD = re.compile(
    r"(?i:\b(?:{}|dozen|half|halves|thirds?|quarters?|fourths?|fifths?|sixths?|eighths?|tenths?)"
    r"\b)".format("|".join([*_ONES, *_TEENS, *_TENS]))
)
_RANGE_TO = re.compile(r"\s*(?:-|–|to|and)\s*")
_AGE = re.compile(r"(?:-|\s|-\s)years?(?:-|\s)old\b", re.I)
_UNIT_WORD = re.compile(r"(?:[A-Z]\.){2,}|[A-Za-z][A-Za-z'’]*(?:-[A-Za-z][A-Za-z'’]*)*")
_AT_LEAST = re.compile(r"\b(?:at least|only|just|more than|exactly|than)$", re.I)
_LAST_WORD = re.compile(r"(\w+)\W*$")
_COUNT_BEFORE = re.compile(rf"\d|\b(?:{'|'.join([*_ONES, *_TEENS, *_TENS][1:])})\b", re.I)
# Before a four-digit number, words that make it a year even when a plural follows
# ("2024 earnings", "the 2016 votes").
_YEAR_BEFORE = re.compile(
    r"(?:\b(?:in|since|by|from|until|of|during|to|the|fiscal|year|before|after|and|or|between|"
    r"early|late|mid|full-year|year-end|its|their|his|her)|'s|’s|[\[(,‑-]|^)\s*$",
    re.I,
)
_ONE_NOT_FIGURE = frozenset(
    "of another day way thing such set time side hand point reason another's more".split()
)


def _decimal(token: str) -> Decimal | None:
    """The value of a number written in digits or words, or None."""
    t = token.strip().lower().replace(",", "")
    if t[:1].isdigit():
        # a run of more than 24 digits is an identifier or noise, not a figure (and would not
        # survive JSON as an int)
        return Decimal(t) if len(t) <= 24 else None
    total = Decimal(0)
    for part in re.split(r"[- ]+", t):
        if part == "and":
            continue
        v = _WORD_VALUES.get(part)
        if v is None:
            return None
        total = total * v if part in ("hundred", "dozen") and total else total + v
    return total


def _number(d: Decimal | float) -> int | float:
    """An int when whole, else a float: the JSON-friendly value."""
    if isinstance(d, float):
        return int(d) if d.is_integer() else d
    return int(d) if d == d.to_integral_value() else float(d)


def _scaled(num: str, scale: str | None) -> Decimal | None:
    base = _decimal(num)
    if base is None:
        return None
    if scale:
        s = scale.lower()
        base = base * (Decimal(10) ** _SCALES[s]) if s in _SCALES else base
    return base


class _Finder:
    """One pass over one text: the spans taken so far and the figures found."""

    def __init__(self, text: str, offset: int) -> None:
        self.text = text
        self.offset = offset
        self.taken = bytearray(len(text))
        self.found: list[dict[str, Any]] = []

    def free(self, s: int, e: int) -> bool:
        return self.taken.find(1, s, e) == -1

    def take(self, s: int, e: int) -> None:
        self.taken[s:e] = b"\x01" * (e - s)

    def add(self, s: int, e: int, kind: str, value: Any, unit: str | None, **extra: Any) -> None:
        self.take(s, e)
        self.found.append(
            {"text": self.text[s:e], "start": self.offset + s, "end": self.offset + e,
             "kind": kind, "value": value, "unit": unit, **extra}
        )  # fmt: skip

    def signed(self, s: int) -> int:
        """``s`` moved left over a sign that starts a token ("-5.44%", "(+8.5%)")."""
        t = self.text
        if (
            s > 0
            and t[s - 1] in "-+−"
            and (s == 1 or t[s - 2] in " \t([\n")
            and self.free(s - 1, s)
        ):
            return s - 1
        return s


def _dates(f: _Finder) -> None:
    for m in _DATE.finditer(f.text):
        g = m.groupdict()
        y: int | None
        d: int | None
        if g["iy"]:
            y, mo, d = int(g["iy"]), int(g["im"]), int(g["id"])
        elif g["uy"]:
            y, mo, d = int(g["uy"]), int(g["um"]), int(g["ud"])
            y += 2000 if y < 100 else 0
        else:
            name = (g["m1"] or g["m3"]).rstrip(".").lower()
            if g["m1"] and g["m1"][0].islower():
                continue  # "may 5" is a modal verb, "march 10 miles" a verb
            mo = _MONTHS[name]
            d = int(g["d1"] or g["d3"] or 0) or None
            y = int(g["y1"] or g["y2"] or g["y3"] or 0) or None
        if not 1 <= mo <= 12 or (d is not None and not 1 <= d <= 31):
            continue
        value = f"{y:04d}-{mo:02d}" if y else f"--{mo:02d}"
        if d:
            value += f"-{d:02d}"
        parts = {"year": y, "month": mo, "day": d}
        f.add(m.start(), m.end(), "date", value, None, parts=parts)


def _masks(f: _Finder) -> None:
    """Take the spans that hold digits but no figure: names, ranks, addresses, times, links."""
    text = f.text
    for m in _MASKS.finditer(text):
        f.take(m.start(), m.end())
    marker = _LIST_MARKER.match(text)
    if marker:
        f.take(marker.start(), marker.end())
    title_case = _is_title_case(text)
    first = len(text) - len(text.lstrip(" \t\"“‘'(["))  # where the sentence's first word starts
    for m in _NAME_NUMBER.finditer(text):
        word = m.group(1)
        if (
            title_case
            or word.upper() in _NOT_NAME_WORDS
            or word.rstrip(".").lower() in _MONTHS
            or word.endswith(("'s", "’s"))
            or (not word.isupper() and m.start() == first)
            or _followed_by_figure_word(text, m.end())
        ):
            continue
        f.take(m.start(2), m.end(2))


def _is_title_case(text: str) -> bool:
    """A headline in title case ("ICE Arrests 22 In Chicago"): capitals say nothing there."""
    words = len(_WORDS.findall(text[:300]))
    return words >= 4 and len(_CAPITALISED.findall(text[:300])) >= 0.8 * words


def _followed_by_figure_word(text: str, pos: int) -> bool:
    m = _UNIT_WORD.match(text, pos + 1) if text[pos : pos + 1] == " " else None
    word = m.group(0).lower() if m else ""
    return word in _SCALES or word in _DURATION_UNITS or word in ("percent", "per")


def _digit_fractions(f: _Finder) -> None:
    for m in _SLASH.finditer(f.text):
        whole, num, den = m.group("whole"), m.group("num"), m.group("den")
        if not f.free(m.start(), m.end()):
            continue
        if "." in num or "." in den:  # a ratio of two values: "120.9/106.0", "4.7/5"
            for g in ("num", "den"):
                value = _decimal(m.group(g))
                if value is not None:
                    f.add(m.start(g), m.end(g), "number", _number(value), None)
            continue
        n, d = int(num[:6]), int(den[:6])
        if d in (2, 3, 4, 8, 16, 32, 64) and 0 < n < d and len(num) + len(den) < 6:
            ratio = n / d + (int(whole[:9]) if whole else 0)
            f.add(m.start(), m.end(), "number", _number(ratio), None)
        else:
            f.take(m.start(), m.end())  # "9/11", "24/7", "10/10": names, slogans, scores


def _word_fractions(f: _Finder) -> None:
    for m in _FRACTION.finditer(f.text):
        n = m.group("n").lower()
        if not f.free(m.start(), m.end()):
            continue
        if n == "a" and not f.text.startswith(" of", m.end()):
            continue  # "a third caravan" is an ordinal
        value = (_ONES.get(n) or 1) / _FRACTION_WORDS[m.group("d").lower()]
        f.add(m.start(), m.end(), "number", _number(value), None)
    for m in _POINT.finditer(f.text):
        if f.free(m.start(), m.end()):
            value = 0.25 if m.group("w").lower() == "quarter" else 0.5
            f.add(m.start(), m.end(), "percent", value, "percentage points")
    for m in _AND_A_HALF.finditer(f.text):
        if f.free(m.start(), m.end()):
            f.add(m.start(), m.end(), "duration", 1.5, m.group("u").lower() + "s")


def _money(f: _Finder) -> None:
    for rx in (_MONEY, _MONEY_WORDS):
        for m in rx.finditer(f.text):
            s, e = f.signed(m.start()), m.end()
            if not f.free(s, e):
                continue
            g = m.groupdict()
            value = _scaled(m.group("num"), g.get("sw") or g.get("sa"))
            if value is None:
                continue
            if f.text[s] in "-−":
                value = -value
            cur = (g.get("cur") or g.get("cw") or "").strip()
            f.add(s, e, "money", _number(value), cur)


def _percents(f: _Finder) -> None:
    text = f.text
    for m in _PERCENT.finditer(text):
        s, e = f.signed(m.start()), m.end()
        if not f.free(s, e):
            continue
        value = _decimal(m.group("num"))
        if value is None:
            continue
        if text[s] in "-−":
            value = -value
        unit = "%" if m.group("u") == "%" else m.group("u").lower()
        unit = "percentage points" if unit.startswith("percentage") else "%"
        f.add(s, e, "percent", _number(value), unit)


def parse_figures(text: str, offset: int = 0, lang: str | None = None) -> list[dict[str, Any]]:
    """Find the figures in ``text``.

    Args:
        text: a sentence (any length; a paragraph or a table row works too).
        offset: added to every start and end (the sentence's offset in its article).
        lang: the text's language (ISO 639-1; None or ``"en"``: English); ru, uk, de, fr, es
            and pl read their own number formats (:mod:`newsift.stages.figures_languages`);
            any other language is read as English.

    Returns:
        A list of ``{text, start, end, kind, value, unit}`` in text order; ``kind`` is one of
        ``date``, ``money``, ``percent``, ``duration``, ``quantity``, ``number`` or ``year``.
        ``value`` is a number, or for a date its ISO 8601 string; dates also carry ``parts``
        (``{year, month, day}``, None where the text does not say).
    """
    if lang and lang[:2].lower() in _OTHER_LANGUAGES:
        from .figures_languages import parse_figures_lang

        return parse_figures_lang(text, offset, lang[:2].lower())
    has_digit = _DIGIT.search(text) is not None
    if not has_digit and not _NUMBER_WORD.search(text):
        return []  # most sentences: nothing to find, one quick scan
    f = _Finder(text, offset)
    if has_digit:  # dates, names, codes and digit fractions all hold a digit
        _dates(f)
        _masks(f)
        _digit_fractions(f)
    _word_fractions(f)
    _money(f)
    _percents(f)
    _plain_numbers(f)
    f.found.sort(key=lambda x: x["start"])
    return f.found


_OTHER_LANGUAGES = frozenset({"ru", "uk", "de", "fr", "es", "pl"})


def _plain_numbers(f: _Finder) -> None:
    text = f.text
    for m in _NUMBER.finditer(text):
        s, e = m.start(), m.end()
        num = m.group("num")
        if not f.free(s, e) or (num[0] == "0" and len(num) > 1 and num[1].isdigit()):
            continue  # "000", "007": codes, not figures
        if not num[0].isdigit() and not _word_number_is_figure(text, s, e, num):
            continue
        value = _scaled(num, m.group("sw") or m.group("sa"))
        if value is None:
            continue
        if m.group(0).endswith("half"):
            value += Decimal("0.5")
        s = f.signed(s) if num[0].isdigit() else s
        if text[s] in "-−":
            value = -value
        if m.group("x") or m.group("au"):  # "12.1x", "100m", "3GW"
            attached = m.group("x") or m.group("au")
            f.add(s, e, "number" if attached == "x" else "quantity", _number(value), attached)
            continue
        _classify(f, s, e, num, value, scaled=bool(m.group("sw") or m.group("sa")))


def _word_number_is_figure(text: str, s: int, e: int, num: str) -> bool:
    """A number in words is a name ("Zero Hedge"), an adjective ("two-stroke") or, for "one",
    often a pronoun or article; only counts are figures."""
    if text.startswith("-", e) and not _DURATION_OR_MEASURE.match(text, e + 1):
        return False
    before = text[max(0, s - 40) : s].rstrip()
    nxt = _UNIT_WORD.match(text, e + 1) if text[e : e + 1] == " " else None
    if num[0].isupper() and before and (before[-1].isalnum() or before[-1] == ","):
        if nxt and nxt.group(0)[0].isupper():
            return False  # "at Zero Hedge": a name mid-sentence
    if num.lower() == "zero":  # "zero deaths", not "zero tolerance"
        return nxt is not None and nxt.group(0).lower().endswith(("s", "percent"))
    if num.lower() != "one":
        return True
    last = _LAST_WORD.search(before)
    if last and last.group(1).lower() in ("no", "any", "some", "every", "number", "the", "this"):
        return False
    if nxt is None:
        return False
    word = nxt.group(0).lower()
    # "20 had no record, one has charges", "two warrants, one out-of-county warrant": one in a
    # list of counts; not "For example, one study".
    in_list = before.endswith((",", ";", ":")) and _COUNT_BEFORE.search(text[max(0, s - 80) : s])
    if word in _ONE_NOT_FIGURE or word in _STOP:
        return word in ("has", "had", "was", "is") and bool(in_list)
    if nxt.group(0)[0].isupper() or word.endswith("ing"):
        return False  # "one Kino Jimenez" (a certain), "one resting his head"
    if in_list or _AT_LEAST.search(before):
        return True
    return word.split("-")[0] in _DURATION_UNITS


_DURATION_OR_MEASURE = re.compile(
    r"(?i:seconds?|minutes?|hours?|days?|nights?|weeks?|months?|years?|decades?|centur(?:y|ies)|"
    r"miles?|mile-wide|km|kilomet(?:er|re)s?|met(?:er|re)s?|feet|foot|inch(?:es)?|pounds?|"
    r"tons?|tonnes?|acres?|member|person|man|woman|story|storey|floor|page|point|game|round)\b"
)


def _classify(f: _Finder, s: int, e: int, num: str, value: Decimal, scaled: bool) -> None:
    """Year, duration, quantity or number, from what comes before and after the number."""
    text = f.text
    age = _AGE.match(text, e)
    if age and f.free(e, age.end()):
        f.add(s, age.end(), "quantity", _number(value), "years old")
        return
    words, ue = _unit_after(f, e)
    if num.isdigit() and len(num) == 4 and not scaled and 1800 <= int(num) <= 2099:
        if not _is_count_noun(words) or _YEAR_BEFORE.search(text[max(0, s - 20) : s]):
            f.add(s, e, "year", int(num), None)
            return
    inherited = _range_kind(f, e)
    head = words[-1].lower().split("-")[0].rstrip("'’") if words else ""
    if inherited:
        f.add(s, e, inherited, _number(value), None)
    elif head in _DURATION_UNITS:
        f.add(s, ue, "duration", _number(value), head)
    elif words:
        f.add(s, ue, "quantity", _number(value), " ".join(words))
    else:
        f.add(s, e, "number", _number(value), None)


def _range_kind(f: _Finder, e: int) -> str | None:
    """The kind of the figure that closes a range ("15 to 20 percent", "three to six months")."""
    m = _RANGE_TO.match(f.text, e)
    if not m:
        return None
    nxt = _NUMBER.match(f.text, m.end()) or _PERCENT.match(f.text, m.end())
    if not nxt:
        return None
    rest = f.text[nxt.end() : nxt.end() + 12].lstrip().lower()
    if rest.startswith(("%", "percent", "per cent")):
        return "percent"
    word = _UNIT_WORD.match(f.text, nxt.end() + 1)
    if word and word.group(0).lower().split("-")[0] in _DURATION_UNITS:
        return "duration"
    return None


def _is_count_noun(words: list[str]) -> bool:
    """A plural noun after a four-digit number makes it a count ("2000 people"), not a year."""
    w = words[-1] if words else ""
    if w in _PLURALS:
        return True
    return bool(w) and w[0].islower() and w.endswith("s") and not w.endswith(("'s", "’s"))


_PLURALS = frozenset("people men women children personnel police staff".split())


def _unit_after(f: _Finder, pos: int) -> tuple[list[str], int]:
    """The unit words after a number (up to 3, stopping at a function word, punctuation or a
    span another figure or a name has taken)."""
    text = f.text
    words: list[str] = []
    end = pos
    while len(words) < 3:
        i = end
        while i < len(text) and text[i] in " -":
            i += 1
        if i == end or i - end > 2:
            break
        m = _UNIT_WORD.match(text, i)
        if not m or not f.free(m.start(), m.end()):
            break
        w = m.group(0)
        low = w.lower()
        head = low.split("-")[0].rstrip("'’")
        if (low in _STOP and not w.isupper()) or (
            not words and len(low) > 3 and low.endswith("ed")
        ):
            break  # "49 died", "1.7 mn worked": a verb follows, the number is bare
        if head in _DURATION_UNITS and "-" in w:
            words.append(w.split("-")[0])
            end = m.start() + len(words[-1])
            break  # "16-year veteran", "30-year-veteran": the duration is the figure
        words.append(w)
        end = m.end()
        if head in _DURATION_UNITS or low in _PLURALS or (w[0].islower() and low.endswith("s")):
            break  # a time unit or a plural noun closes the unit ("trucks", "armored vehicles")
    return words, end
