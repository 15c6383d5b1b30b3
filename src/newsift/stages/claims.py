"""Baseline claim finder ``claims.v0``: sentences that state checkable facts, with their figures.

A transparent, rule-weighted scorer (no trained model): figures, names, factual reporting verbs and
the absence of opinion, question and future markers raise the score. ``claims.v1`` (trained on
ClaimBuster and CheckThat!) replaces it with the same layer and keys:

``claims``: ``[{start, end, text, score, class, figures, attribution, matches, voice}]`` where
``class`` is one of ``check-worthy factual``, ``unimportant factual``, ``non-factual`` (the
ClaimBuster classes), ``attribution`` is the index in ``attributions`` that the sentence rests on,
or None, and ``voice`` (on the claim and each figure) whose voice it is (:mod:`.voice`). The
headline is scored too: its entry comes first, with ``part: "title"`` and offsets into the title.

Both stages also write ``check_first``: the few check-worthy claims to check first, best first,
each with why it is there (:func:`check_first`). Page furniture (credit lines, "Updated at ...",
bylines, copyright and subscribe lines) and fragments are ``non-factual`` whatever a model says
(:func:`furniture_or_fragment`).
"""

from __future__ import annotations

import re
from typing import Any

from ..article import Article
from ..errors import ConfigError
from ..pipeline import Stage, register_stage
from .figures import parse_figures
from .voice import TITLE, title_text, title_voice, voice_of

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

# Page furniture: lines a page carries around the story, never claims about the world. Anchored
# at the start of the sentence (after any bracket or mark), so "Subscribers rose 10%" or
# "Contributing factors were ..." stay claims.
_FURNITURE = re.compile(
    r"""^\W*(?:
        contribut\w*\s*(?::|to\s+this\s+(?:report|story|article)|writers?\b|editors?\b)
      | (?:additional\s+)?reporting\s+by\b | (?:writing|editing|edited|compiled)\s+by\b
      | written\s+by\b | (?:the\s+)?associated\s+press\s+contributed
      | (?:main\s+|lead\s+|top\s+|featured\s+)?(?:photo|image|picture|video|graphic)s?
        (?:\s+credits?)?\s*(?::|/|\bby\b|\bvia\b|\bcourtesy\b)
      | photograph(?:s|ed)?\s+by\b | credits?\s*: | getty\s+images | ap\s+photo | file\s+photo
      | (?:last\s+)?(?:updated|published|posted|modified)\b\s*(?:on\b|at\b|:|\d|$)
      | © | \(c\)\s*\d{4} | copyright\b | all\s+rights\s+reserved
      | this\s+(?:material|article|story)\s+may\s+not\s+be\s+(?:published|reproduced)
      | read\s+(?:more|next|also|the\s+full)\b | related\s*(?::|articles?\b|stories\b|coverage\b)
      | see\s+also\b | more\s+from\b | click\s+here\b | sign\s+up\b | subscribe\b
      | follow\s+(?:us|me)\b | share\s+(?:this|on)\b | (?:advertisement|sponsored)\b
      | story\s+continues\b | (?:article|story)\s+(?:posted|reprinted|republished)\s+with\b
      | with\s+\w+\s+wires\b | this\s+field\s+is\s+for\s+validation | email\s*\*
      | you\s+may\s+opt\s+out\b | (?:privacy\s+policy|terms\s+of\s+(?:use|service))\b
      | for\s+\w+(?:\s+\w+)?\s+news,\s+i'?m\b | (?:listen|watch)\s+(?:now|live|to\s+this)\b
    )""",
    re.I | re.X,
)
# "By Jane Doe", "By JANE DOE and JOHN ROE | Reuters": a byline of at most a few names.
_BYLINE = re.compile(r"^\W*[Bb][Yy]\s+(?:[A-Z][\w.'’-]*\s*(?:,|and|&|\|)?\s*){1,8}\W*(?:\w+\W*)?$")


def furniture_or_fragment(text: str) -> bool:
    """True for sentences that are never claims: page furniture (credit, byline, "Updated at",
    copyright, "Read more", subscribe and poll lines), fragments of at most two words ("ST.",
    "10 p.m."), short headings without an end mark ("Hostage swap", "SACHA PFEIFFER, HOST:")
    and questions that hold no figure ("Why is it on the ballot?"; "Why did he not do it in 47
    years?" can be checked)."""
    body = text.strip()
    words = body.split()
    if len(words) <= 2:
        return True
    if body.endswith("?"):
        return not parse_figures(body)
    if len(words) <= 5 and not re.search(r"[.!?,\-—–][\"'”’)\]]*$", body):
        return True
    return bool(_FURNITURE.match(body)) or (len(words) <= 10 and bool(_BYLINE.match(body)))


_DATELINE = re.compile(r"^([^\W\d_][\w\-’']*(?:\s+[^\W\d_][\w\-’']*){0,2}),\s*(.+?)\.?$")
# words a dateline's date may carry besides the date: "14 марта 2019 года", "le 12 mars 2025"
_DATE_WORDS = frozenset("года год г року р le am den el de dnia r the on".split())


def dateline_only(text: str, lang: str | None = None) -> bool:
    """True for a sentence that is only a dateline: a place (one to three words starting with a
    capital) and a date ("Москва, 14 марта 2019 года.", "Montclar, le 12 mars 2025.",
    "WASHINGTON, March 14, 2019."): page furniture, never a claim."""
    body = text.strip()
    m = _DATELINE.match(body)
    if not m or not all(w[:1].isupper() for w in m.group(1).split()):
        return False
    rest = m.group(2)
    dates = [f for f in parse_figures(rest, lang=lang) if f["kind"] == "date"]
    if not dates:
        return False
    left = rest
    for f in sorted(dates, key=lambda f: -f["start"]):
        left = left[: f["start"]] + " " + left[f["end"] :]
    return all(w.lower() in _DATE_WORDS for w in re.findall(r"\w+", left))


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
    """One entry of the ``claims`` layer (docs/schema.md), shared by every claims stage.

    With attributions computed, the claim and each of its figures carry ``voice``
    (:mod:`newsift.stages.voice`): the outlet's own, or quoted from an attribution.
    """
    text = article.text[start:end]
    if figures is None:
        figures = parse_figures(text, offset=start)
    voice = voice_of(article, start, end)
    if voice is not None:
        figures = [{**f, "voice": voice_of(article, f["start"], f["end"])} for f in figures]
    record: dict[str, Any] = {
        "start": start,
        "end": end,
        "text": text,
        "score": round(float(score), 3),
        "class": cls,
        "figures": figures,
        "attribution": link_attribution(article, start, end),
        "matches": [],
    }
    if voice is not None:
        record["voice"] = voice
    return record


def title_claim_record(article: Article, score: float, cls: str) -> dict[str, Any]:
    """The ``claims`` entry of the headline: ``part: "title"``, offsets into ``article.title``,
    no ``attribution`` (the attributions layer covers the body) and a ``voice`` read from the
    headline's own wording (:func:`newsift.stages.voice.title_voice`)."""
    from ..factchecks.multilingual import sentence_language

    text = title_text(article)
    figures = [
        {**f, "part": TITLE, "voice": title_voice(text, f["start"], f["end"])}
        for f in parse_figures(text, lang=sentence_language(text, article.language))
    ]
    return {
        "part": TITLE,
        "start": 0,
        "end": len(text),
        "text": text,
        "score": round(float(score), 3),
        "class": cls,
        "figures": figures,
        "attribution": None,
        "matches": [],
        "voice": title_voice(text, 0, len(text)),
    }


_COUNT_KINDS = frozenset({"number", "quantity", "money", "percent"})
FIGURE_BONUS, SOURCE_BONUS = 0.1, 0.05


def check_first(article: Article, claims: list[dict[str, Any]], size: int) -> list[dict[str, Any]]:
    """The ``check_first`` layer: up to ``size`` check-worthy claims, the likeliest first.

    Rank: the claim's score, plus :data:`FIGURE_BONUS` when it states a count, amount or share
    (a figure is what a fact-checker can look up) and :data:`SOURCE_BONUS` when a source is named
    for it (someone to ask). Each entry says why it is there::

        {claim: index in claims, start, end, text, score, rank_score,
         reasons: {score, figures: [figure text], source: source text or null, source_kind}}

    A pronoun source ("he said") is given as the speaker it was resolved to, where it was.
    """
    attributions = article.layers.get("attributions", [])
    ranked = []
    for i, c in enumerate(claims):
        if c["class"] != CHECK_WORTHY:
            continue
        figures = [f["text"] for f in c["figures"] if f["kind"] in _COUNT_KINDS]
        att = attributions[c["attribution"]] if c["attribution"] is not None else None
        # a pronoun ("he said") counts as the speaker it refers to
        source = (
            (att.get("resolved_text") or (att.get("source") or {}).get("text")) if att else None
        )
        kind = (att.get("resolved_kind") or att.get("kind")) if att else None
        rank = c["score"] + (FIGURE_BONUS if figures else 0.0) + (SOURCE_BONUS if source else 0.0)
        ranked.append(
            (
                -rank,
                c["start"],
                i,
                {
                    "claim": i,
                    **({"part": c["part"]} if c.get("part") else {}),
                    "start": c["start"],
                    "end": c["end"],
                    "text": c["text"],
                    "score": c["score"],
                    "rank_score": round(rank, 3),
                    "reasons": {
                        "score": c["score"],
                        "figures": figures,
                        "source": source,
                        "source_kind": kind,
                    },
                },
            )
        )
    ranked.sort(key=lambda r: r[:3])
    return [r[3] for r in ranked[: max(0, int(size))]]


def check_first_size(value: Any) -> int:
    """The ``check_first`` setting checked: a whole number >= 0 (0 turns the list off)."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ConfigError(
            f"check_first {value!r} is not a whole number >= 0; give how many claims to list "
            "first (e.g. claims.check_first=3), or 0 for none"
        )
    return value


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
        check_first: how many check-worthy claims ``check_first`` lists (default 5; 0: none).
    """

    settings = {"min_class": UNIMPORTANT, "check_first": 5}
    requires = ("sentences",)
    assigns = ("claims", "check_first")

    def check_settings(self) -> None:
        check_first_size(self.setting("check_first"))
        if self.setting("min_class") not in CLASSES:
            raise ConfigError(
                f"min_class {self.setting('min_class')!r} is unknown; use one of {list(CLASSES)}"
            )

    def predict(self, batch: list[Article]) -> list[list[dict[str, Any]]]:
        keep = CLASSES.index(self.setting("min_class"))
        out = []
        for article in batch:
            claims = []
            for sent, n_ents in zip(article.sentences, entity_counts(article), strict=True):
                text = article.text[sent.start : sent.end]
                figures = parse_figures(text, offset=sent.start)
                score = score_sentence(text, figures, n_ents)
                cls = NON_FACTUAL if furniture_or_fragment(text) else class_of(score)
                if CLASSES.index(cls) < keep:
                    continue
                claims.append(claim_record(article, sent.start, sent.end, score, cls, figures))
            title = title_text(article)
            if title:
                score = score_sentence(title, parse_figures(title), 0)
                cls = NON_FACTUAL if furniture_or_fragment(title) else class_of(score)
                if CLASSES.index(cls) >= keep:
                    claims.insert(0, title_claim_record(article, score, cls))
            out.append(claims)
        return out

    def annotate(self, batch: list[Article], predictions: list[list[dict[str, Any]]]) -> None:
        for article, claims in zip(batch, predictions, strict=True):
            article.layers["claims"] = claims
            article.layers["check_first"] = check_first(
                article, claims, self.setting("check_first")
            )
