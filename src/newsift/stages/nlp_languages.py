"""nlp.v1 beside English: the article's language, sentence languages, sentences of other languages.

Kept apart from ``nlp.py`` (the English path, profiled for speed) so that each can change without
the other. ``nlp.v1`` calls :func:`language_of_article` for every article; English goes on to spaCy,
every other language to :func:`predict_other` (sentencex plus abbreviation repairs, no parse, no
entities: there is no packaged NER for these languages here).
"""

from __future__ import annotations

from typing import Any

from ..article import Article
from ..lang import (
    RU_LATIN,
    SUPPORTED,
    UNDETERMINED,
    identify,
    is_supported,
    language_name,
    normalize,
    sentence_language,
)
from ..sentences import split_sentences


def language_of_article(article: Article) -> tuple[str | None, float]:
    """The article's language (as given, else identified) and a confidence (1.0 when given)."""
    if article.language:
        return normalize(article.language), 1.0
    return identify(article.text)


def sentence_languages(
    text: str, sents: list[tuple[int, int]], language: str | None
) -> dict[int, str]:
    """``{sentence index: language}`` for the sentences in another language than the article's."""
    out: dict[int, str] = {}
    for i, (s, e) in enumerate(sents):
        code = sentence_language(text[s:e], language)
        if code:
            out[i] = code
    return out


def predict_other(full_text: str, language: str, score: float, limit: int) -> dict[str, Any]:
    """nlp.v1's prediction for an article not in English; the first ``limit`` characters read."""
    text = full_text[:limit]
    code = language if language not in (UNDETERMINED, RU_LATIN) else "en"
    sents = split_sentences(text, code)
    return {
        "sentences": sents,
        "docs": {},
        "language": language,
        "language_score": score,
        "sentence_languages": sentence_languages(text, sents, language),
        "cut": max(0, len(full_text) - limit),
    }


def language_record(
    language: str | None, score: float, per_sentence: dict[int, str]
) -> dict[str, Any]:
    """The ``languages`` layer: the article's language, its name, whether newsift analyses it,
    the identifier's confidence, and how many sentences are in another language."""
    others: dict[str, int] = {}
    for code in per_sentence.values():
        others[code] = others.get(code, 0) + 1
    return {
        "article": language,
        "name": language_name(language),
        "supported": language is None or is_supported(language),
        "score": round(float(score), 4),
        "other_sentences": dict(sorted(others.items())),
    }


def language_problem(language: str | None) -> tuple[str, str] | None:
    """``(code, message)`` of nlp.v1's problem for a language newsift does not analyse, or None."""
    if language is None or is_supported(language):
        return None
    if language == RU_LATIN:
        return (
            "transliterated",
            "the text looks like Russian written in Latin letters (transliterated); newsift reads "
            "Russian in Cyrillic only, so only sentences were found; convert it to Cyrillic for "
            "a full analysis",
        )
    if language == UNDETERMINED:
        return (
            "language_undetermined",
            "the language of the text could not be identified; only sentences were found, and "
            "the stages that read a language were not run",
        )
    names = ", ".join(language_name(c) for c in SUPPORTED)
    return (
        "language_not_supported",
        f"the text looks like {language_name(language)} ({language!r}), which newsift does not "
        f"analyse (it reads {names}): only sentences were found, and the stages that read a "
        "language were not run",
    )
