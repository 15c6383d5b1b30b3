"""Dates written in ru, uk, de, fr, es and pl, for page metadata and corpus records.

English forms are read by :func:`newsift.extract.choose.parse_date`; this module adds day, month
name and year in each other language's order, with month names in the grammatical case dates
take and their abbreviations: ``3 декабря 2026 г.``, ``3 дек. 2026``, ``3 грудня 2026 р.``,
``3. Dezember 2026``, ``3 décembre 2026``, ``3 de diciembre de 2026``, ``3 grudnia 2026 r.``, and the
numeric ``03.12.2026`` (day first, as all six write it).
"""

from __future__ import annotations

import re
from datetime import date

# Month stems in each language; the regex below takes the endings (cases) and abbreviations.
_MONTH_STEMS: dict[int, tuple[str, ...]] = {
    1: ("январ", "янв", "січ", "januar", "jänner", "jan", "janvier", "janv", "enero", "ene",
        "stycz", "sty"),
    2: ("феврал", "фев", "лют", "februar", "feb", "février", "févr", "fév", "febrero", "lut"),
    3: ("март", "мар", "берез", "бер", "märz", "mär", "mars", "marzo", "mar", "marc"),
    4: ("апрел", "апр", "квіт", "april", "apr", "avril", "avr", "abril", "abr", "kwie", "kwi"),
    5: ("мая", "май", "трав", "mai", "mayo", "may", "maj"),
    6: ("июн", "черв", "juni", "jun", "juin", "junio", "czerw", "cze"),
    7: ("июл", "лип", "juli", "jul", "juillet", "juil", "julio", "lip"),
    8: ("август", "авг", "серп", "august", "aug", "août", "agosto", "ago", "sierp", "sie"),
    9: ("сентябр", "сен", "верес", "вер", "september", "sept", "sep", "septembre",
        "septiembre", "setiembre", "wrze", "wrz"),
    10: ("октябр", "окт", "жовт", "oktober", "okt", "octobre", "oct", "octubre",
         "październik", "paź", "paz"),
    11: ("ноябр", "нояб", "ноя", "листопад", "лист", "november", "nov", "novembre",
         "noviembre", "listopad", "lis"),
    12: ("декабр", "дек", "груд", "dezember", "dez", "décembre", "déc", "dec", "diciembre",
         "dic", "grud", "gru"),
}  # fmt: skip
_STEMS = sorted(
    ((stem, month) for month, stems in _MONTH_STEMS.items() for stem in stems),
    key=lambda sm: -len(sm[0]),
)
_MONTH_WORD = r"[^\W\d_]{3,12}\.?"
WRITTEN_DATE_OTHER = re.compile(
    rf"(?<!\d)(?P<d>\d{{1,2}})\.?\s(?:de\s)?(?P<m>{_MONTH_WORD})\s(?:de\s|del\s)?"
    r"(?P<y>(?:19|20)\d{2})(?!\d)"
    r"|(?<![\d.])(?P<nd>\d{1,2})\.(?P<nm>\d{1,2})\.(?P<ny>(?:19|20)\d{2})(?!\d)"
)


def month_number(word: str) -> int | None:
    """The month a month name or abbreviation stands for, in any of the six languages
    (``"декабря"``, ``"Dez."``, ``"déc"``, ``"grudnia"``: 12), else None."""
    low = word.lower().rstrip(".")
    for stem, month in _STEMS:
        if low.startswith(stem):
            # an abbreviation is the whole word; a stem takes a case ending of 0-4 letters
            return month if len(low) - len(stem) <= 4 else None
    return None


def parse_written_date(text: str | None) -> str | None:
    """ISO ``YYYY-MM-DD`` of the first date written in ``text`` in one of the six languages'
    forms (see the module docstring), or None."""
    if not text:
        return None
    for m in WRITTEN_DATE_OTHER.finditer(text[:2000]):
        if m.group("d"):
            month = month_number(m.group("m"))
            day, year = int(m.group("d")), int(m.group("y"))
        else:
            month, day, year = int(m.group("nm")), int(m.group("nd")), int(m.group("ny"))
        if month is None:
            continue
        try:
            return date(year, month, day).isoformat()
        except ValueError:
            continue
    return None
