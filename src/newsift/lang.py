"""Which language an article is in: a cheap English test first, a language identifier after.

Every model in newsift reads English. Most input is English, and English text is recognised by its
function words at no cost (about 40% of running English words are in the list below, a few
percent in other languages written in Latin script). Only text that fails that test loads
py3langid (about 0.5 s once per process) to name the language, so a user is told what it is.
"""

from __future__ import annotations

import functools
import re
from typing import Any

_EN_FUNCTION_WORDS = frozenset(
    "the of and to a in is that for it on was with as are be by this at from have has not but or "
    "an they he she his her their its we you i will were been said would which who what there "
    "more can all about when also one if after than into".split()
)
_WORD = re.compile(r"[^\W\d_]+")
MIN_WORDS = 20


def _words(text: str) -> list[str]:
    return _WORD.findall(text[:20_000].lower())


def _english(words: list[str]) -> bool:
    return sum(w in _EN_FUNCTION_WORDS for w in words) / len(words) >= 0.12


def looks_english(text: str) -> bool:
    """True when ``text`` reads as English, or is too short to tell (fewer than 20 words)."""
    words = _words(text)
    return len(words) < MIN_WORDS or _english(words)


@functools.lru_cache(maxsize=1)
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of ``text``'s language, ``"en"`` for English, None when too short to tell."""
    words = _words(text)
    if len(words) < MIN_WORDS:
        return None
    if _english(words):
        return "en"
    code, prob = _identifier().classify(" ".join(words[:1000]))
    return code if prob >= 0.5 else None
