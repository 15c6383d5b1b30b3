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

# Scripts written without spaces between words, and about how many characters make a word in
# each: Chinese words average 1.5-2 characters and Japanese (kanji + kana) about 2; Thai, Lao,
# Khmer, Myanmar and Tibetan words about 5-6 letters (their combining vowel signs included).
_HAN_KANA = (
    "\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f"
    "\U00020000-\U0003134f"
)
_SOUTHEAST_ASIAN = "\u0e00-\u0eff\u0f00-\u0fff\u1000-\u109f\u1780-\u17ff\u19e0-\u19ff"
_UNSPACED = {2: re.compile(f"[{_HAN_KANA}]+"), 5: re.compile(f"[{_SOUTHEAST_ASIAN}]+")}
_ANY_UNSPACED = re.compile(f"[{_HAN_KANA}{_SOUTHEAST_ASIAN}]")


def count_words(text: str) -> int:
    """How many words ``text`` holds, in any script.

    Words are whitespace-separated tokens, except in scripts written without spaces (Chinese,
    Japanese, Thai, Lao, Khmer, Myanmar, Tibetan), where a run of their characters counts as its
    length divided by the script's average word length (2 for Han and kana, 5 for the
    South-East Asian scripts), at least one word. An estimate there, but of the right size: a
    Japanese article of 2,000 characters is about 1,000 words, not the 2 that spaces give.
    """
    if not _ANY_UNSPACED.search(text):
        return len(text.split())
    words = 0
    for chars_per_word, pattern in _UNSPACED.items():
        for run in pattern.findall(text):
            words += max(1, round(len(run) / chars_per_word))
        text = pattern.sub(" ", text)
    # what is left: spaced words, and the punctuation the runs ended at (not words)
    return words + sum(1 for token in text.split() if any(ch.isalnum() for ch in token))


def _words(text: str) -> list[str]:
    """Word tokens for the language tests; runs of unspaced scripts are split into
    word-sized pieces (see :func:`count_words`)."""
    sample = text[:20_000].lower()
    if not _ANY_UNSPACED.search(sample):
        return _WORD.findall(sample)
    words: list[str] = []
    for token in _WORD.findall(sample):
        if not _ANY_UNSPACED.search(token):
            words.append(token)
            continue
        size = 5 if _UNSPACED[5].search(token) else 2
        words.extend(token[i : i + size] for i in range(0, len(token), size))
    return words


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


def guess_language(text: str) -> str | None:
    """The language of a short text (a query, a one-line brief) where :func:`detect_language`
    needs more words: the identifier's guess among the corpus languages trace expects, when it
    is probable enough; None when it cannot tell."""
    found = detect_language(text)
    if found is not None:
        return found
    words = _words(text)
    if len(words) < 2:
        return None
    code, prob = _identifier().classify(" ".join(words))
    if prob >= 0.5:
        return code
    return "en" if _english(words) else None
