"""What the text and HTML reports (and the web pages) show, read defensively from an Article.

Every layer may be missing, empty or malformed (an article rebuilt from hostile JSON, a stage that
failed): these helpers return clean lists and dicts with offsets checked against the text, so the
renderers never index out of range or trip over a ``None``. Nothing here escapes: the renderers do.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..article import Article, Span

ATTRIBUTION_KINDS = ("named", "named_role", "organization", "anonymous", "pronoun", "document")


def _int(value: Any) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return int(value)


def clean_range(text: str, start: Any, end: Any) -> tuple[int, int] | None:
    """``(start, end)`` when both are numbers with ``0 <= start < end <= len(text)``, else None."""
    s, e = _int(start), _int(end)
    if s is None or e is None or not 0 <= s < e <= len(text):
        return None
    return s, e


def ref_range(text: str, ref: Any) -> tuple[int, int] | None:
    """The checked range of a ``{text, start, end}`` reference, or None."""
    if not isinstance(ref, dict):
        return None
    return clean_range(text, ref.get("start"), ref.get("end"))


def ref_text(text: str, ref: Any) -> str:
    """The text of a reference: from the article text when the offsets are good."""
    rng = ref_range(text, ref)
    if rng:
        return text[rng[0] : rng[1]]
    if isinstance(ref, dict) and isinstance(ref.get("text"), str):
        return ref["text"]
    return ""


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def attributions(article: Article) -> list[dict[str, Any]]:
    """The attribution records (dicts only), in the order the stage wrote them."""
    return [a for a in as_list(article.layers.get("attributions")) if isinstance(a, dict)]


def claims(article: Article) -> list[dict[str, Any]]:
    """The claim records (dicts only)."""
    return [c for c in as_list(article.layers.get("claims")) if isinstance(c, dict)]


def check_first(article: Article) -> list[dict[str, Any]]:
    """The ranked "check these first" claims (``check_first`` layer), dicts only."""
    return [c for c in as_list(article.layers.get("check_first")) if isinstance(c, dict)]


def check_first_reason(entry: dict[str, Any]) -> str:
    """``"figures: 250 trucks; source: the source (anonymous)"`` or ``"stated by the outlet"``."""
    reasons = as_dict(entry.get("reasons"))
    parts = []
    figures = [str(f) for f in as_list(reasons.get("figures")) if f]
    if figures:
        parts.append("figures: " + ", ".join(figures))
    src = reasons.get("source")
    if isinstance(src, str) and src:
        kind = reasons.get("source_kind")
        parts.append(f"source: {src}" + (f" ({kind})" if isinstance(kind, str) and kind else ""))
    else:
        parts.append("stated by the outlet")
    return "; ".join(parts)


def checkworthy_summary(article: Article) -> str | None:
    """``"4 of 15 sentences check-worthy (27%)"``, or None when claims were not scored."""
    if "claims" not in article.layers:
        return None
    total = len(article.sentences) or len(claims(article))
    if not total:
        return None
    n = sum(1 for c in claims(article) if c.get("class") == "check-worthy factual")
    return f"{n} of {total} sentences check-worthy ({round(100 * n / total)}%)"


def is_checkworthy(claim: dict[str, Any]) -> bool:
    """Whether a claim is worth checking: by its class when it has one, else a score of 0.5+."""
    cls = claim.get("class")
    if isinstance(cls, str) and cls:
        return cls.lower().startswith(("check-worthy", "checkworthy", "cfs"))
    score = claim.get("score")
    return isinstance(score, int | float) and not isinstance(score, bool) and score >= 0.5


def headline(article: Article) -> dict[str, Any]:
    return as_dict(article.layers.get("headline"))


def headline_flags(article: Article) -> list[dict[str, Any]]:
    return [f for f in as_list(headline(article).get("flags")) if isinstance(f, dict)]


def sourcing(article: Article) -> dict[str, Any]:
    return as_dict(article.layers.get("sourcing"))


def source_label(article: Article, attribution: dict[str, Any]) -> str:
    """Who an attribution names: the source text, with the resolved name for pronouns, and
    who relayed it, or where it was said (an interview turn, a post)."""
    src = ref_text(article.text, attribution.get("source"))
    resolved = _resolved_name(article, attribution)
    if resolved and resolved != src:
        label = f"{src} → {resolved}" if src else resolved
    elif src:
        label = src
    else:
        label = "(unnamed)" if attribution.get("kind") == "anonymous" else "(no source)"
    relay = attribution.get("reported_by")
    if isinstance(relay, dict) and relay.get("text"):
        label += f" (relayed by {relay['text']})"
    if attribution.get("interview"):
        label += " [interview]"
    post = attribution.get("post")
    if post:
        where = post.get("platform") if isinstance(post, dict) else None
        label += f" [post{' on ' + str(where) if where else ''}]"
    return label


def sides_text(article: Article) -> str | None:
    """``"Russia 6, United States 1; one-sided: ..."`` where sources name a side, else None."""
    s = as_dict(article.layers.get("sourcing"))
    counts = {k: v for k, v in as_dict(s.get("sides")).items() if not str(k).startswith("(")}
    if not counts:
        return None
    text = ", ".join(f"{k} {v}" for k, v in sorted(counts.items(), key=lambda kv: -kv[1]))
    reason = s.get("sides_reason")
    if s.get("one_sided"):
        text += "; one-sided"
    if isinstance(reason, str) and reason:
        text += f" ({reason})"
    return text


def wire_text(article: Article) -> str | None:
    """``"wire copy from AFP (dateline)"`` when the article is an agency's copy."""
    wire = as_dict(article.outlet).get("wire") or as_dict(article.layers.get("sourcing")).get(
        "wire"
    )
    if not isinstance(wire, dict) or not wire.get("agency"):
        return None
    evidence = wire.get("evidence")
    return f"wire copy from {wire['agency']}" + (f" ({evidence})" if evidence else "")


def _resolved_name(article: Article, attribution: dict[str, Any]) -> str:
    """The name a pronoun source was resolved to (``resolved_text``, or ``resolved_to``)."""
    name = attribution.get("resolved_text")
    if isinstance(name, str) and name:
        return name
    target = attribution.get("resolved_to")
    if isinstance(target, dict):
        return ref_text(article.text, target)
    if isinstance(target, str):
        return target
    atts = attributions(article)
    if isinstance(target, int) and not isinstance(target, bool) and 0 <= target < len(atts):
        if atts[target] is not attribution:
            return ref_text(article.text, atts[target].get("source"))
    return ""


def kind_of(attribution: dict[str, Any]) -> str:
    kind = attribution.get("kind")
    return kind if isinstance(kind, str) and kind else "unknown"


def persuasion(article: Article) -> list[dict[str, Any]]:
    """Persuasion spans as ``{start, end, label, score}``, from the span layer or a dict layer."""
    raw: list[Any] = list(article.spans.get("persuasion", [])) or as_list(
        article.layers.get("persuasion")
    )
    out = []
    for item in raw:
        if isinstance(item, Span):
            item = item.to_dict()
        if not isinstance(item, dict):
            continue
        row = _technique_row(article.text, item)
        if row is not None:
            out.append(row)
    return out


def _technique_row(text: str, item: dict[str, Any]) -> dict[str, Any] | None:
    """``{start, end, label, score, voice}`` of one technique span, offsets checked against
    ``text``; None when they do not fit it."""
    rng = clean_range(text, item.get("start"), item.get("end"))
    if rng is None:
        return None
    label = item.get("label") or item.get("technique")  # JSON rows carry both (schema 1.1)
    score = item.get("score")
    return {
        "start": rng[0],
        "end": rng[1],
        "label": label if isinstance(label, str) and label else "unknown",
        "score": float(score) if isinstance(score, int | float) else None,
        "voice": voice_kind(as_dict(item.get("attrs")).get("voice")),
    }


def voice_kind(voice: Any) -> str | None:
    """``"outlet"``, ``"quoted"``, or None where the record says nothing (or nonsense)."""
    kind = voice.get("kind") if isinstance(voice, dict) else None
    return kind if kind in ("outlet", "quoted") else None


def voice_label(article: Article, voice: Any) -> str:
    """Whose voice a record is in, for people: ``"the outlet"``, ``"quoted: Konashenkov"``, or
    ``""`` when it was not computed."""
    kind = voice_kind(voice)
    if kind is None:
        return ""
    if kind == "outlet":
        return "the outlet"
    atts = attributions(article)
    i = voice.get("attribution")
    if isinstance(i, int) and not isinstance(i, bool) and 0 <= i < len(atts):
        return "quoted: " + source_label(article, atts[i])
    source = voice.get("source")
    return "quoted: " + source if isinstance(source, str) and source else "quoted"


def title_persuasion(article: Article) -> list[dict[str, Any]]:
    """The headline's technique spans as ``{start, end, label, score, voice, text}``, offsets
    checked against the title (layer ``title_persuasion``)."""
    title = article.title if isinstance(article.title, str) else ""
    out = []
    for item in as_list(article.layers.get("title_persuasion")):
        if not isinstance(item, dict):
            continue
        row = _technique_row(title, item)
        if row is not None:
            out.append({**row, "text": title[row["start"] : row["end"]]})
    return out


def title_claim(article: Article) -> dict[str, Any] | None:
    """The headline's entry of ``claims`` (``part: "title"``), or None."""
    return next((c for c in claims(article) if c.get("part") == "title"), None)


def headline_items(article: Article) -> list[str]:
    """What was found in the headline itself, one line each: its claim and its techniques,
    with whose voice they are in."""
    lines = []
    claim = title_claim(article)
    if claim is not None:
        who = voice_label(article, claim.get("voice"))
        lines.append(
            f"claim ({claim.get('class') or 'unscored'}, {fmt_score(claim.get('score'))})"
            + (f"; voice: {who}" if who else "")
        )
    for span in title_persuasion(article):
        voice = span["voice"]
        lines.append(
            f"{span['label']}: “{short(span['text'], 80)}” ({fmt_score(span['score'])})"
            + (f"; voice: {'the outlet' if voice == 'outlet' else 'quoted'}" if voice else "")
        )
    return lines


def persuasion_voices(article: Article) -> dict[str, tuple[int, int]]:
    """``{technique: (spans in the outlet's voice, spans in quotes)}``, body and headline
    together; spans whose voice was not computed count in neither."""
    out: dict[str, list[int]] = {}
    for span in persuasion(article) + title_persuasion(article):
        row = out.setdefault(span["label"], [0, 0])
        if span["voice"] == "outlet":
            row[0] += 1
        elif span["voice"] == "quoted":
            row[1] += 1
    return {k: (v[0], v[1]) for k, v in out.items()}


def persuasion_voice_line(article: Article) -> str | None:
    """``"the outlet's own voice: 3 spans (Loaded_Language 2, Doubt 1); in quotes: 2 spans
    (...)"``, or None when no span says whose voice it is."""
    voices = persuasion_voices(article)
    if not any(o or q for o, q in voices.values()):
        return None
    parts = []
    for name, pos in (("the outlet's own voice", 0), ("in quotes", 1)):
        rows = sorted(
            ((k, v[pos]) for k, v in voices.items() if v[pos]), key=lambda r: (-r[1], r[0])
        )
        total = sum(n for _, n in rows)
        detail = ", ".join(f"{k} {n}" for k, n in rows)
        parts.append(
            f"{name}: {total} span{'s' if total != 1 else ''}" + (f" ({detail})" if detail else "")
        )
    return "; ".join(parts)


def technique_explanations() -> dict[str, str]:
    """``{technique: explanation}`` from :mod:`newsift.persuasion`, or ``{}`` without it."""
    try:
        from ..persuasion import TECHNIQUES
    except ImportError:
        return {}
    return dict(TECHNIQUES) if isinstance(TECHNIQUES, dict) else {}


def technique_order() -> tuple[str, ...]:
    """The known technique labels in a fixed order (so a technique keeps its colour everywhere)."""
    try:
        from ..persuasion import LABELS
    except ImportError:
        return ()
    return tuple(LABELS)


def persuasion_summary(article: Article) -> list[tuple[str, int, float | None]]:
    """``(technique, count, best score)`` per technique, most frequent first; the headline's
    spans count too."""
    counts: dict[str, list[float | None]] = {}
    for span in persuasion(article) + title_persuasion(article):
        counts.setdefault(span["label"], []).append(span["score"])
    rows = []
    for label, scores in counts.items():
        known = [s for s in scores if s is not None]
        rows.append((label, len(scores), max(known) if known else None))
    return sorted(rows, key=lambda r: (-r[1], r[0]))


def persuasion_line(article: Article) -> str:
    """One line summing up the persuasion layer: spans, techniques, share of sentences touched."""
    spans = persuasion(article)
    if not spans:
        n_title = len(title_persuasion(article))
        if n_title:
            return f"{n_title} span{'s' if n_title != 1 else ''} in the headline, none in the body"
        return "no persuasion techniques found"
    techniques = {s["label"] for s in spans}
    line = (
        f"{len(spans)} span{'s' if len(spans) != 1 else ''} of "
        f"{len(techniques)} technique{'s' if len(techniques) != 1 else ''}"
    )
    sentences = [s for s in article.spans.get("sentences", []) if isinstance(s, Span)]
    if sentences:
        touched = sum(
            any(p["start"] < s.end and s.start < p["end"] for p in spans) for s in sentences
        )
        line += f" in {touched} of {len(sentences)} sentences"
    n_title = len(title_persuasion(article))
    if n_title:
        line += f", and {n_title} in the headline"
    top = persuasion_summary(article)[0]
    return line + f"; most frequent: {top[0]} ({top[1]})"


def euvsdisinfo_outlet(article: Article) -> dict[str, str] | None:
    """The outlet's EUvsDisinfo record as ``{note, source, disclaimer}`` (strings), or None."""
    rec = as_dict(as_dict(article.outlet).get("euvsdisinfo"))
    note = rec.get("note")
    if not isinstance(note, str) or not note:
        return None
    return {
        "note": note,
        "source": _str(rec.get("source")) or "EUvsDisinfo",
        "disclaimer": _str(rec.get("disclaimer")),
    }


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""


def claim_matches(article: Article) -> list[list[dict[str, Any]]]:
    """Each claim's matches, one list per ``claims`` entry: from the ``matches`` layer (schema
    1.2 on), or from ``claims[i].matches`` for articles analysed before it."""
    cl = as_list(article.layers.get("claims"))
    out: list[list[dict[str, Any]]] = [[] for _ in cl]
    layer = article.layers.get("matches")
    if isinstance(layer, list):
        for m in layer:
            i = m.get("claim_index") if isinstance(m, dict) else None
            if isinstance(i, int) and not isinstance(i, bool) and 0 <= i < len(out):
                out[i].append(m)
        return out
    for i, c in enumerate(cl):
        if isinstance(c, dict):
            out[i] = [m for m in as_list(c.get("matches")) if isinstance(m, dict)]
    return out


def matches_of(article: Article, index: int) -> list[dict[str, Any]]:
    """The matches of claim ``index`` (0-based)."""
    found = claim_matches(article)
    return found[index] if 0 <= index < len(found) else []


def match_notes(match: dict[str, Any]) -> list[str]:
    """What to say beside a match: catalogued after the article, or the claim only reported."""
    notes = []
    relation = match.get("relation")
    if relation == "catalogued_later":
        notes.append("catalogued later (after this article)")
    elif relation == "date_unknown":
        notes.append("date unknown")
    voice = match.get("voice")
    if voice == "reported":
        notes.append("the article reports this claim, it does not assert it")
    elif voice == "critical":
        notes.append("the article reports this claim critically")
    return notes


def factcheck_credits(article: Article) -> dict[str, dict[str, str]]:
    """``{collection: {attribution, disclaimer}}`` for every collection a claim was matched in.

    Read from the ``factcheck_collections`` layer; a collection missing there (an article from an
    older run) gets the packaged EUvsDisinfo text when it is ``euvsdisinfo``, else empty strings,
    so a match is never shown without its source's acknowledgement where one is known.
    """
    layer = as_dict(article.layers.get("factcheck_collections"))
    used = [
        m["collection"]
        for ms in claim_matches(article)
        for m in ms
        if isinstance(m.get("collection"), str) and m["collection"]
    ]
    out: dict[str, dict[str, str]] = {}
    for name in sorted({*used, *(k for k in layer if isinstance(k, str))}):
        meta = as_dict(layer.get(name))
        credit = {
            "attribution": _str(meta.get("attribution")),
            "disclaimer": _str(meta.get("disclaimer")),
        }
        if name == "euvsdisinfo" and not (credit["attribution"] and credit["disclaimer"]):
            credit = _euvsdisinfo_credit() | {k: v for k, v in credit.items() if v}
        out[name] = credit
    return out


def match_kind(match: dict[str, Any]) -> str:
    """What a claim match is: a catalogued ``known narrative`` (EUvsDisinfo) or a ``fact-check``."""
    return "known narrative" if match.get("collection") == "euvsdisinfo" else "fact-check"


def _euvsdisinfo_credit() -> dict[str, str]:
    try:
        from ..factchecks.euvsdisinfo import ATTRIBUTION, DISCLAIMER
    except ImportError:
        return {"attribution": "EUvsDisinfo", "disclaimer": ""}
    return {"attribution": ATTRIBUTION, "disclaimer": DISCLAIMER}


def fmt_score(value: Any, digits: int = 2) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return "–"
    return f"{value:.{digits}f}"


def fmt_share(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return "–"
    return f"{100 * value:.0f}%"


def short(text: str, limit: int = 120) -> str:
    """One line of at most ``limit`` characters."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def outlet_rating_text(article: Article) -> str:
    """``"0.87 (source)"`` or ``"not rated"``; never a guess."""
    outlet = as_dict(article.outlet)
    rating = outlet.get("rating")
    if isinstance(rating, bool) or not isinstance(rating, int | float):
        return "not rated"
    src = outlet.get("rating_source")
    return f"{rating:.2f}" + (f" ({src})" if isinstance(src, str) and src else "")


@dataclass
class Mark:
    """One highlighted range of the article text, with what it is."""

    start: int
    end: int
    layer: str  # "source" | "cue" | "content" | "claim" | "persuasion"
    index: int  # index into its layer's records
    label: str = ""
    attrs: dict[str, Any] = field(default_factory=dict)


@dataclass
class Segment:
    """A stretch of text in which the same marks are active."""

    start: int
    end: int
    marks: list[Mark]


def marks(article: Article) -> list[Mark]:
    """Every highlighted range: attribution parts, claims and persuasion spans, offsets checked."""
    text = article.text
    out: list[Mark] = []
    for i, att in enumerate(attributions(article)):
        for part in ("source", "cue", "content"):
            rng = ref_range(text, att.get(part))
            if rng:
                out.append(Mark(rng[0], rng[1], part, i, kind_of(att)))
    for i, claim in enumerate(claims(article)):
        if claim.get("part") == "title":  # offsets into the title, not the text
            continue
        rng = clean_range(text, claim.get("start"), claim.get("end"))
        if rng:
            out.append(Mark(rng[0], rng[1], "claim", i, str(claim.get("class") or "")))
    for i, span in enumerate(persuasion(article)):
        out.append(
            Mark(
                span["start"],
                span["end"],
                "persuasion",
                i,
                span["label"],
                {"score": span["score"], "voice": span["voice"]},
            )
        )
    return out


def segments(text: str, all_marks: list[Mark]) -> list[Segment]:
    """Split ``text`` at every mark boundary; each piece lists the marks covering it.

    Overlapping and nested marks are handled the same way: a piece is covered by a mark when it
    lies inside it, so a renderer can layer styles per piece without nesting tags across
    boundaries.
    """
    bounds = {0, len(text)}
    starts: dict[int, list[Mark]] = {}
    for m in all_marks:
        bounds.update((m.start, m.end))
        starts.setdefault(m.start, []).append(m)
    cuts = sorted(b for b in bounds if 0 <= b <= len(text))
    active: dict[int, Mark] = {}  # id(mark) -> mark, in insertion order (outer marks first)
    out = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        for key in [k for k, m in active.items() if m.end <= start]:
            del active[key]
        for m in sorted(starts.get(start, []), key=lambda m: -m.end):
            active[id(m)] = m
        if start < end:
            out.append(Segment(start, end, list(active.values())))
    return out


def language_text(article: Article) -> str:
    """The article's language for a report header: ``"Russian (ru)"``, with the sentences in
    other languages (``"; 2 sentences in English"``) and the stages not run for the language
    (``"; not run for this language: attribution.v1, claims.v1"``). Empty when unknown."""
    from ..lang import language_name

    code = article.language if isinstance(article.language, str) else None
    if not code:
        return ""
    parts = [f"{language_name(code)} ({code})"]
    record = as_dict(article.layers.get("languages"))
    others = as_dict(record.get("other_sentences"))
    for other, n in sorted(others.items()):
        if isinstance(n, int) and n > 0:
            parts.append(f"{n} sentence{'s' if n != 1 else ''} in {language_name(str(other))}")
    skipped = [p.stage for p in article.problems if p.code == "language_not_supported"]
    if skipped:
        parts.append("not run for this language: " + ", ".join(dict.fromkeys(skipped)))
    return "; ".join(parts)
