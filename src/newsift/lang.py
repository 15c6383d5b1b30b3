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

EN_FUNCTION_WORDS = frozenset(
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


_EN_SHARE = 0.12  # share of English function words above which a text may be English
_SURE_ENGLISH = 0.3  # ... and above which it is, with no identifier (running English: ~0.4)


def _english_share(words: list[str]) -> float:
    return sum(w in EN_FUNCTION_WORDS for w in words) / max(len(words), 1)


def _english(words: list[str]) -> bool:
    return _english_share(words) >= _EN_SHARE


def looks_english(text: str) -> bool:
    """True when ``text`` reads as English, or is too short to tell (fewer than 20 words)."""
    words = _words(text)
    return len(words) < MIN_WORDS or _english(words)


@functools.lru_cache(maxsize=1)
def general_identifier() -> Any:
    from .langid_model import langid_identifier  # the model read once, memory-mapped

    return langid_identifier()


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of ``text``'s language, ``"en"`` for English, None when too short to tell
    or unsure (see :func:`identify`, which also names transliterated Russian)."""
    code = identify(text)[0]
    return None if code == UNDETERMINED else code


# -- the languages newsift analyses (issue 24) -------------------------------------------------

#: the languages newsift reads beyond identifying them (ISO 639-1), English first
SUPPORTED = ("en", "ru", "uk", "de", "fr", "es", "pl")
LANGUAGE_NAMES = {
    "en": "English", "ru": "Russian", "uk": "Ukrainian", "de": "German", "fr": "French",
    "es": "Spanish", "pl": "Polish", "it": "Italian", "pt": "Portuguese", "nl": "Dutch",
    "be": "Belarusian", "bg": "Bulgarian", "sr": "Serbian", "cs": "Czech", "sk": "Slovak",
    "ro": "Romanian", "hu": "Hungarian", "ar": "Arabic", "he": "Hebrew", "fa": "Persian",
    "tr": "Turkish", "zh": "Chinese", "ja": "Japanese", "ko": "Korean", "ka": "Georgian",
    "hy": "Armenian", "lt": "Lithuanian", "lv": "Latvian", "et": "Estonian", "fi": "Finnish",
    "sv": "Swedish", "no": "Norwegian", "da": "Danish", "el": "Greek", "hr": "Croatian",
    "sl": "Slovenian", "kk": "Kazakh", "ur": "Urdu", "hi": "Hindi", "und": "undetermined",
}  # fmt: skip
#: the tag of Russian written in Latin letters (BCP 47 script subtag): named, not analysed
RU_LATIN = "ru-Latn"
UNDETERMINED = "und"
SENTENCE_MIN_LETTERS = 25  # shorter sentences are not identified on their own (too few letters)


def language_name(code: str | None) -> str:
    """``"Russian"`` for ``"ru"``; the code itself where no name is known, "unknown" for None."""
    if not code:
        return "unknown"
    return LANGUAGE_NAMES.get(normalize(code), code)


def normalize(code: str) -> str:
    """A language tag as newsift compares it: lower-case primary subtag, a script subtag kept
    (``"en-US"`` -> ``"en"``, ``"ru-Latn"`` -> ``"ru-Latn"``, ``"DE"`` -> ``"de"``)."""
    parts = code.replace("_", "-").split("-")
    head = parts[0].lower()
    if len(parts) > 1 and len(parts[1]) == 4 and parts[1].isalpha():
        return f"{head}-{parts[1].title()}"
    return head


def is_supported(code: str | None) -> bool:
    """True when newsift analyses language ``code`` (one of :data:`SUPPORTED`)."""
    return code is not None and normalize(code) in SUPPORTED


# Scripts, by the letters that make most of a text.
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
_RTL = re.compile(r"[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
_UK_ONLY = re.compile(r"[іїєґІЇЄҐ]")
_RU_ONLY = re.compile(r"[ыэъёЫЭЪЁ]")

# Russian written in Latin letters (chat, comments, some pasted text): frequent words in the
# common transliterations. py3langid calls such text Slovak or Czech with low confidence.
_TRANSLIT_RU = frozenset(
    """chto eto kak ne na ya vy my oni ona ego ee ikh emu tak uzhe esche eshche tolko budet byl
    bylo byli mozhno nado nuzhno dlya ili kogda zdes tam tozhe ochen vse vsyo vsego kotoryy
    kotorye kotoryi zayavil soobshchil skazal segodnya vchera privet spasibo pochemu potomu seichas
    sejchas mnogo malo khorosho plokho rossii rossiya ukrainy ukraina ministr voyska vlasti""".split()
)


def script_of(text: str) -> str:
    """The main script of ``text``: ``"Cyrl"``, ``"Latn"``, ``"RTL"`` (Arabic, Hebrew...) or
    ``"other"``, by which has most letters in the first 5,000 characters."""
    sample = text[:5000]
    counts = {
        "Cyrl": len(_CYRILLIC.findall(sample)),
        "Latn": len(_LATIN.findall(sample)),
        "RTL": len(_RTL.findall(sample)),
    }
    best = max(counts, key=lambda k: counts[k])
    letters = sum(ch.isalpha() for ch in sample)
    return best if counts[best] * 2 >= letters and counts[best] else "other"


def _transliterated_russian(words: list[str]) -> bool:
    return sum(w in _TRANSLIT_RU for w in words) >= max(3, len(words) // 12)


def identify(text: str) -> tuple[str | None, float]:
    """The language of ``text`` and a confidence in [0, 1].

    Returns ``(None, 0.0)`` for text under 20 words; ``("en", 1.0)`` for Latin-script text with
    30% or more English function words (English news: 24-50%, median 38% on PTC; German
    Wikinews: at most 18%), with no identifier; text with 12-30% is English when py3langid
    agrees or is unsure (a German text quoting an English phrase is German); :data:`RU_LATIN` for Russian written in Latin letters;
    ``"und"`` (undetermined) when the identifier is unsure of a long text; else py3langid's
    ISO 639-1 code and probability.
    """
    words = _words(text)
    if len(words) < MIN_WORDS:
        return None, 0.0
    share = _english_share(words)
    if share >= _SURE_ENGLISH and script_of(text) == "Latn":
        return "en", 1.0
    code, prob = general_identifier().classify(" ".join(words[:1000]))
    if share >= _EN_SHARE and (code == "en" or prob < 0.5):
        return "en", round(float(prob), 4) if code == "en" else 0.5
    if code in ("ru", "uk", "be", "bg") and not _CYRILLIC.search(text[:20_000]):
        prob = 0.0  # a Cyrillic language with no Cyrillic letter: transliterated, look below
    if prob < 0.9 and _transliterated_russian(words):
        return RU_LATIN, 0.8
    if prob < 0.5:
        return UNDETERMINED, round(float(prob), 4)
    return str(code), round(float(prob), 4)


@functools.lru_cache(maxsize=1)
def _supported_identifier() -> Any:
    from .langid_model import langid_identifier

    return langid_identifier(list(SUPPORTED))


def sentence_language(text: str, article_language: str | None) -> str | None:
    """The language of one sentence where it differs from the article's, else None.

    A sentence is identified only when it has at least :data:`SENTENCE_MIN_LETTERS` letters,
    among newsift's supported languages when it is in Latin or Cyrillic script (so that a short
    German sentence is not called Luxembourgish), among all languages in another script. Only a
    confident answer (probability >= 0.95) that differs from the article's language, and that
    the English function-word test agrees with (English has them, other languages do not),
    counts: a sentence of English quoted in a Russian article, a Ukrainian quote in a Russian
    article.
    About 0.06 ms a sentence.
    """
    letters = sum(map(str.isalpha, text))
    if letters < SENTENCE_MIN_LETTERS:
        return None
    words = _WORD.findall(text.lower())
    if article_language and normalize(article_language) == "en" and _english(words):
        # the answer is None whatever the identifier says (an "en" answer is the article's
        # language, any other is refused by the function-word test below): skip it
        return None
    script = script_of(text)
    ident = _supported_identifier() if script in ("Latn", "Cyrl") else general_identifier()
    code, prob = ident.classify(text)
    code = str(code)
    if prob < 0.95 or (article_language and normalize(article_language) == code):
        return None
    if (code == "en") != _english(words):
        return None  # the identifier and the English function words disagree: not confident
    return code


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
    code, prob = general_identifier().classify(" ".join(words))
    if prob >= 0.5:
        return code
    return "en" if _english(words) else None
