"""Which side a source speaks for: the country or bloc named in its description.

"Russian Defense Ministry spokesman Igor Konashenkov" -> Russia; "the Pentagon chief" -> United
States; "a Kyiv official" -> Ukraine. Used by the sourcing profile to tell when an article's named
and institutional sources all speak for one side. A source that names no side has none (never a
guess); a person's later mentions ("Konashenkov said") inherit the side of the first.
"""

from __future__ import annotations

import re

_SIDES = {
    "United States": r"U\.?S\.?A?|United States|American|Americans|Pentagon|White House|Washington|"
    r"State Department|CIA|FBI|US-led|Trump|Biden|Obama",
    "Russia": r"Russia|Russian|Russians|Kremlin|Moscow|Putin|Lavrov|Konashenkov|Zakharova|Peskov|"
    r"Shoigu|TASS|RIA Novosti|Sputnik|RT",
    "Ukraine": r"Ukraine|Ukrainian|Ukrainians|Kyiv|Kiev|Zelensky|Zelenskyy",
    "Syria": r"Syria|Syrian|Damascus|Assad|SANA",
    "Syrian Democratic Forces": r"SDF|Syrian Democratic Forces|Kurdish-led|Kurdish",
    "Iran": r"Iran|Iranian|Tehran",
    "Israel": r"Israel|Israeli|IDF|Netanyahu",
    "China": r"China|Chinese|Beijing|Xi Jinping",
    "United Kingdom": r"U\.?K\.?|United Kingdom|British|Britain|Downing Street|Whitehall",
    "European Union": r"EU|European Union|European Commission|Brussels",
    "NATO": r"NATO|Nato",
    "Turkey": r"Turkey|Turkish|Ankara|Erdogan",
    "France": r"France|French|Paris|Elysee|Élysée",
    "Germany": r"Germany|German|Berlin",
    "United Nations": r"UN|United Nations|UNHCR|WHO|UNICEF",
}
_PATTERNS = [(side, re.compile(rf"\b(?:{pat})\b")) for side, pat in _SIDES.items()]


def side_of(text: str) -> str | None:
    """The side named in a source description, or None; the earliest mention wins."""
    best: tuple[int, str] | None = None
    for side, pattern in _PATTERNS:
        m = pattern.search(text)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), side)
    return best[1] if best else None
