"""Headline check: does the headline state as fact what the body attributes to one source?

``headline.v1`` compares the headline's content words with the content of every attribution. A
headline whose words are (nearly) all in one attributed statement, with no attribution of its own
("X says", a colon, quote marks), turns a party's claim into the outlet's fact: flag
``attributed_claim_as_fact`` (and ``anonymous_claim_as_fact`` when that source is anonymous).

Beyond English (ru, uk, de, fr, es, pl: the languages attributions are read in) words are
compared by their first six letters (case endings differ: "Вашингтон" / "Вашингтона"), the
headline's own attribution is a cue or source phrase of the attribution lexicons, a colon or
quote marks; the vague-source check reads English wording only and is named in ``not_read``.
"""

from __future__ import annotations

import re
from typing import Any

from ..article import Article
from ..lang import language_name, normalize
from ..pipeline import Stage, register_stage
from .attribution import effective_kind
from .attribution_lexicons import LANGUAGES as LEXICONS
from .cues import FUNCTION_WORDS
from .sourcing import LANGUAGES
from .voice import title_voice

_STOP = FUNCTION_WORDS | {"be", "been", "not", "only", "all"}
_HEADLINE_CUE = re.compile(
    r"\b(?:says?|said|claims?|according|alleges?|tells?|warns?|insists?|denies|accuses|reports?)\b"
    r"|[\"“”«»]|^[^:]{2,60}:\s",
    re.I,
)
MIN_SIMILARITY = 0.6
_VAGUE_HEADLINE_SOURCE = re.compile(
    r"\b(?:(?:\w+\s)?(?:insiders?|sources?|officials|experts|analysts|critics|observers|reports))\s+(?:say|says|claim|claims|warn|suggest|believe|allege)\b"
    r"|\b(?:some|many)\s+(?:say|believe|fear)\b|\breportedly\b",
    re.I,
)


_QUOTE_OR_COLON = re.compile(r"[\"“”«»„]|^[^:]{2,60}:\s")


def content_words(text: str, lang: str = "en") -> set[str]:
    """The content words of ``text``; beyond English, words of four letters or more (function
    words of the attribution lexicons left out) cut to their first six letters."""
    if lang not in LEXICONS:
        return {w for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in _STOP and len(w) > 1}
    lex = LEXICONS[lang]
    stop = set(lex["comp"]) | set(lex["lead"]) | set(lex["pronouns"]) | set(lex["adverbs"])
    return {w[:6] for w in re.findall(r"\w+", text.lower()) if len(w) >= 4 and w not in stop}


def _headline_cue(title: str, lang: str) -> bool:
    """Whether the headline attributes its words: a cue, a source phrase, a colon, quote marks."""
    if lang not in LEXICONS:
        return bool(_HEADLINE_CUE.search(title))
    lex = LEXICONS[lang]
    if _QUOTE_OR_COLON.search(title):
        return True
    if any(w in lex["cues"] for w in re.findall(r"\w+", title.lower())):
        return True
    return any(re.search(r"(?<!\w)" + rx + r"(?!\w)", title, re.I) for rx, _ in lex["markers"])


def check_headline(article: Article) -> dict[str, Any]:
    title = article.title
    result: dict[str, Any] = {"text": title, "flags": []}
    if not title:
        return result
    result["voice"] = title_voice(title, 0, len(title))
    lang = normalize(article.language) if article.language else "en"
    if lang in LEXICONS:
        result["not_read"] = {
            "anonymous_source_in_headline": "vague-source wording is English only; not read in "
            f"{language_name(lang)} ('{lang}')"
        }
    words = content_words(title, lang)
    if len(words) < 2:
        return result
    has_cue = _headline_cue(title, lang)
    result["attributed_in_headline"] = has_cue
    vague = _VAGUE_HEADLINE_SOURCE.search(title) if lang not in LEXICONS else None
    if has_cue and vague:
        result["flags"].append(
            {
                "code": "anonymous_source_in_headline",
                "message": f"The headline rests on a vague or anonymous source ({vague.group(0)!r}).",
                "attribution": None,
                "similarity": None,
            }
        )
    best, best_sim = None, 0.0
    for i, att in enumerate(article.layers.get("attributions", [])):
        sim = len(words & content_words(att["content"]["text"], lang)) / len(words)
        if sim > best_sim:
            best, best_sim = i, sim
    if best is None or best_sim < MIN_SIMILARITY:
        return result
    att = article.layers["attributions"][best]
    result["closest_attribution"] = best
    result["similarity"] = round(best_sim, 3)
    if has_cue:
        return result
    kind = effective_kind(att)
    who = att.get("resolved_text") or (att["source"] or {}).get("text") or "an unnamed source"
    result["flags"].append(
        {
            "code": "attributed_claim_as_fact",
            "message": f"The headline states as fact what the body attributes to {who} ({kind}).",
            "attribution": best,
            "similarity": round(best_sim, 3),
        }
    )
    if kind == "anonymous":
        result["flags"].append(
            {
                "code": "anonymous_claim_as_fact",
                "message": "The headline's claim rests on an anonymous source in the body.",
                "attribution": best,
                "similarity": round(best_sim, 3),
            }
        )
    return result


@register_stage("headline.v1")
class HeadlineStage(Stage):
    """Flags a headline that restates an attributed claim as fact."""

    requires = ("attributions",)
    assigns = ("headline",)
    languages = LANGUAGES

    def predict(self, batch: list[Article]) -> list[dict[str, Any]]:
        return [check_headline(a) for a in batch]

    def annotate(self, batch: list[Article], predictions: list[dict[str, Any]]) -> None:
        for article, result in zip(batch, predictions, strict=True):
            article.layers["headline"] = result
