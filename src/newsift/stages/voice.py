"""Whose voice a stretch of text is: the outlet's own, or someone the article quotes.

Every record a stage writes about a stretch of the article (a claim, a figure, a persuasion
span) carries ``voice``: ``{"kind": "outlet"}`` or ``{"kind": "quoted", "attribution": i}``, where
``i`` indexes ``article.layers["attributions"]``. It is computed here, in one place, from the
attribution records' ``content`` spans, and each stage stamps its own records with it when it
writes them. (A ``voice`` stage run after the others would have to write into the claims and
persuasion layers, and a stage writes only its own layers; a function keeps the rule in one place
and the layers owned by their stages.) A stage run without attributions writes no ``voice``: not
knowing who speaks is not the same as the outlet speaking.

The rule (:func:`voice_of`): the attribution whose content overlaps the stretch most (on a tie,
the innermost: the smallest content, so words one source relays from another are the inner
speaker's) makes it quoted when its content covers at least half of the stretch, or when it covers
part of it and its cue lies inside it ("Smith, who was arrested in 2019, said the charges were
false" is Smith's statement reported, not the outlet's own). Anything else is the outlet's voice.

The headline is not in ``article.text`` and the attribution stage does not read it, so its voice
comes from the headline's own wording (:func:`title_voice`): ``Konashenkov: all ISIS terrorists
are in US areas`` and ``ISIS is in US areas, Russia says`` are quoted, with ``"attribution": null``
and the ``source`` the headline names; words in quote marks are quoted; the rest is the outlet's.
Records about the headline carry ``"part": "title"`` and offsets into ``article.title``.
"""

from __future__ import annotations

import re
from typing import Any

from ..article import Article

OUTLET: dict[str, Any] = {"kind": "outlet"}
TITLE = "title"

# Headline attribution: "Speaker: words" and "words, Speaker says" / "Speaker says words".
_SAY = r"(?:says?|said|claims?|warns?|insists?|tells?|admits?|alleges?|denies|vows?|urges?)"
_TITLE_LABEL = re.compile(r"^\s*(?P<src>[^:\"“”]{2,60}?)\s*:\s+(?=\S)")
_TITLE_SAYS_AFTER = re.compile(
    rf",?\s+(?:[-—–]\s*)?(?P<src>[A-Z][\w.'’&-]*(?:\s+[\w.'’&-]+){{0,5}}?)\s+{_SAY}\s*$"
)
_TITLE_SAYS_BEFORE = re.compile(
    rf"^\s*(?P<src>[A-Z][\w.'’&-]*(?:\s+[\w.'’&-]+){{0,5}}?)\s+{_SAY}\s+(?:that\s+)?(?=\S)"
)
# Labels before a colon that are the outlet's rubric, not a speaker.
_RUBRICS = re.compile(
    r"^(?:breaking(?: news)?|exclusive|watch|video|live|update[sd]?|opinion|analysis|"
    r"editorial|comment(?:ary)?|explainer|factbox|fact check|review|interview|podcast|"
    r"photos?|in pictures|report|special report|investigation|the big read|world|news|"
    r"politics|business|sport|sports|tech|science|health|culture|u\.?s\.?|uk|europe|asia|"
    r"africa|americas|middle east|live updates|live blog|just in|watch live|fact sheet)$",
    re.I,
)
_QUOTED = re.compile(r"[\"“«]([^\"“”«»]{2,}?)[\"”»]|(?<!\w)[‘']([^‘’']{2,}?)[’'](?!\w)")


def title_text(article: Article) -> str:
    """The headline as the claims and persuasion stages read it ("" when there is none)."""
    title = article.title if isinstance(article.title, str) else ""
    return title.rstrip()


def quoted(attribution: int) -> dict[str, Any]:
    return {"kind": "quoted", "attribution": attribution}


def voice_of(article: Article, start: int, end: int) -> dict[str, Any] | None:
    """The voice of ``article.text[start:end]``, or None when attributions were not computed."""
    atts = article.layers.get("attributions")
    if not isinstance(atts, list):
        return None
    return voice_in(atts, start, end)


def voice_in(attributions: list[dict[str, Any]], start: int, end: int) -> dict[str, Any]:
    """The voice of the stretch ``[start, end)`` given the attribution records (see the module)."""
    best, best_key = None, (0, 0)
    for i, att in enumerate(attributions):
        content = att.get("content") if isinstance(att, dict) else None
        if not isinstance(content, dict):
            continue
        c_start, c_end = content.get("start"), content.get("end")
        if not isinstance(c_start, int) or not isinstance(c_end, int):
            continue
        overlap = min(end, c_end) - max(start, c_start)
        if overlap <= 0:
            continue
        key = (overlap, -(c_end - c_start))
        if best is None or key > best_key:
            best, best_key = i, key
    if best is None:
        return dict(OUTLET)
    overlap = best_key[0]
    if 2 * overlap >= end - start:
        return quoted(best)
    cue = attributions[best].get("cue")
    cue_start = cue.get("start") if isinstance(cue, dict) else None
    if isinstance(cue_start, int) and start <= cue_start < end:
        return quoted(best)
    return dict(OUTLET)


def is_outlet(record: dict[str, Any], article: Article | None = None) -> bool:
    """Whether a record (claim, figure, span row) is in the outlet's own voice.

    Records written before voices existed are judged from their offsets when ``article`` is
    given, and otherwise by their ``attribution`` link (a claim with none is the outlet's).
    """
    voice = record.get("voice")
    if isinstance(voice, dict) and voice.get("kind") in ("outlet", "quoted"):
        return voice["kind"] == "outlet"
    if article is not None and record.get("part") != TITLE:
        start, end = record.get("start"), record.get("end")
        if isinstance(start, int) and isinstance(end, int):
            found = voice_of(article, start, end)
            if found is not None:
                return found["kind"] == "outlet"
    return record.get("attribution") is None


def title_source(title: str) -> tuple[str, int, int] | None:
    """``(source, start, end)``: who a headline credits, and the stretch credited to them.

    ``"Konashenkov: ISIS is only in US areas"`` gives ``("Konashenkov", 13, 37)``; so do
    ``"ISIS is only in US areas, Konashenkov says"`` and ``"Konashenkov says ISIS is ..."``.
    A rubric before a colon ("BREAKING:", "Analysis:") names no one. None when the headline
    credits no one.
    """
    m = _TITLE_LABEL.match(title)
    if m and not _RUBRICS.match(m.group("src").strip()) and len(m.group("src").split()) <= 6:
        return m.group("src").strip(), m.end(), len(title.rstrip())
    m = _TITLE_SAYS_AFTER.search(title)
    if m and m.start() > 0:
        return m.group("src").strip(), 0, m.start()
    m = _TITLE_SAYS_BEFORE.match(title)
    if m and m.end() < len(title.rstrip()):
        return m.group("src").strip(), m.end(), len(title.rstrip())
    return None


def title_voice(title: str, start: int, end: int) -> dict[str, Any]:
    """The voice of ``title[start:end]``: quoted when the headline credits the stretch to a
    source it names (``source`` is that name) or puts it in quote marks (``source`` null), else
    the outlet's. ``attribution`` is null: the attributions layer covers the body only."""
    credited = title_source(title)
    if credited:
        source, c_start, c_end = credited
        if 2 * (min(end, c_end) - max(start, c_start)) >= end - start:
            return {"kind": "quoted", "attribution": None, "source": source}
    for m in _QUOTED.finditer(title):
        group = 1 if m.group(1) is not None else 2
        if m.start(group) <= start and end <= m.end(group):
            return {"kind": "quoted", "attribution": None, "source": None}
    return dict(OUTLET)
