"""Baseline claim finder ``claims.v0``: sentences that state checkable facts, with their figures.

A transparent, rule-weighted scorer (no trained model): figures, names, factual reporting verbs and
the absence of opinion, question and future markers raise the score. ``claims.v1`` (trained on
ClaimBuster and CheckThat!) replaces it with the same layer and keys:

``claims``: ``[{start, end, text, score, class, figures, attribution, matches}]`` where ``class`` is
one of ``check-worthy factual``, ``unimportant factual``, ``non-factual`` (the ClaimBuster
classes) and ``attribution`` is the index in ``attributions`` that the sentence rests on, or None.
"""

from __future__ import annotations

import re
from typing import Any

from ..article import Article
from ..pipeline import Stage, register_stage
from .figures import parse_figures

CLASSES = ("non-factual", "unimportant factual", "check-worthy factual")
CHECK_WORTHY, UNIMPORTANT, NON_FACTUAL = CLASSES[2], CLASSES[1], CLASSES[0]

_OPINION = re.compile(
    r"\b(?:i think|i believe|i feel|we believe|in my (?:view|opinion)|should|ought|must|"
    r"beautiful|wonderful|terrible|awful|great|amazing|horrible|disgusting|shameful|hope|wish|"
    r"perhaps|maybe|probably|might|let'?s|thank|congratulat\w*|welcome|please)\b",
    re.I,
)
_FUTURE = re.compile(r"\b(?:will|would|going to|plans? to|intends? to)\b", re.I)
_FACT_VERBS = re.compile(
    r"\b(?:is|are|was|were|has|have|had|killed|died|sent|delivered|increased|decreased|rose|fell|"
    r"grew|dropped|voted|passed|signed|spent|cost|paid|received|won|lost|arrested|charged|"
    r"launched|attacked|controlled|controls|deployed|recorded|reported|found|shows?|showed|"
    r"accounts? for|total(?:led|ed)?|operat\w+|located|based|built|carried out)\b",
    re.I,
)
_PROPER = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-zA-Z\-]+")


def score_sentence(text: str, figures: list[dict[str, Any]], n_entities: int) -> float:
    """A check-worthiness score in [0, 1] from transparent features."""
    words = len(text.split())
    if words < 5 or text.rstrip().endswith("?"):
        return 0.05
    score = 0.2
    if figures:
        score += 0.3 + 0.05 * min(len(figures) - 1, 2)
    names = max(n_entities, len(_PROPER.findall(text)) // 2)
    score += min(names, 3) * 0.06
    if _FACT_VERBS.search(text):
        score += 0.12
    if _OPINION.search(text):
        score -= 0.25
    if _FUTURE.search(text):
        score -= 0.1
    if words > 60:
        score -= 0.05
    return max(0.0, min(1.0, score))


def class_of(score: float) -> str:
    if score >= 0.5:
        return CHECK_WORTHY
    if score >= 0.3:
        return UNIMPORTANT
    return NON_FACTUAL


def link_attribution(article: Article, start: int, end: int) -> int | None:
    """The attribution a sentence rests on: one whose content lies in it, or whose cue does."""
    best, best_overlap = None, 0
    for i, att in enumerate(article.layers.get("attributions", [])):
        c = att["content"]
        overlap = min(end, c["end"]) - max(start, c["start"])
        cue = att.get("cue") or {}
        if cue and start <= cue.get("start", -1) < end:
            overlap = max(overlap, 1)
        if overlap > best_overlap:
            best, best_overlap = i, overlap
    return best


def claim_record(
    article: Article, start: int, end: int, score: float, cls: str, figures: list | None = None
) -> dict[str, Any]:
    """One entry of the ``claims`` layer (docs/schema.md), shared by every claims stage."""
    text = article.text[start:end]
    return {
        "start": start,
        "end": end,
        "text": text,
        "score": round(float(score), 3),
        "class": cls,
        "figures": parse_figures(text, offset=start) if figures is None else figures,
        "attribution": link_attribution(article, start, end),
        "matches": [],
    }


def entity_counts(article: Article) -> list[int]:
    ents = article.spans.get("entities", [])
    counts = []
    for s in article.sentences:
        counts.append(sum(1 for e in ents if s.start <= e.start < s.end))
    return counts


@register_stage("claims.v0")
class BaselineClaimsStage(Stage):
    """Scores every sentence for check-worthiness with transparent rules; parses its figures.

    Params:
        min_class: the lowest class kept in the layer (default: ``unimportant factual``).
    """

    settings = {"min_class": UNIMPORTANT}
    requires = ("sentences",)
    assigns = ("claims",)

    def predict(self, batch: list[Article]) -> list[list[dict[str, Any]]]:
        keep = CLASSES.index(self.setting("min_class"))
        out = []
        for article in batch:
            claims = []
            for sent, n_ents in zip(article.sentences, entity_counts(article), strict=True):
                text = article.text[sent.start : sent.end]
                figures = parse_figures(text, offset=sent.start)
                score = score_sentence(text, figures, n_ents)
                cls = class_of(score)
                if CLASSES.index(cls) < keep:
                    continue
                claims.append(claim_record(article, sent.start, sent.end, score, cls, figures))
            out.append(claims)
        return out

    def annotate(self, batch: list[Article], predictions: list[list[dict[str, Any]]]) -> None:
        for article, claims in zip(batch, predictions, strict=True):
            article.layers["claims"] = claims
