"""The self-contained HTML report (``newsift analyze --format html``) and its reusable parts.

The article is drawn with every attribution part, claim and persuasion span marked on it.
Overlapping marks are handled by splitting the text at every mark boundary
(:func:`newsift.report.view.segments`): each piece is one ``<span>`` carrying the classes of all
the marks that cover it, so styles layer (persuasion colours the background, claims underline,
sources are boxed, quotes are tinted) without tags ever crossing.

Everything from the article is escaped by Jinja2's autoescaping; class names are built only from
fixed vocabularies and indexes, never from article strings; links are kept only for http(s) URLs;
and the page carries a Content-Security-Policy that allows no script at all.

The web UI renders the same ``_article.html.j2`` fragment through :func:`article_context`.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

import jinja2

from ..article import Article
from ..lang import count_words
from . import view

# Colours for persuasion techniques, indexed in the order techniques first appear in a legend.
PALETTE = (
    "#ffd6a5",
    "#caffbf",
    "#9bf6ff",
    "#bdb2ff",
    "#ffc6ff",
    "#fdffb6",
    "#a0c4ff",
    "#ffadad",
    "#b5e48c",
    "#f1c0e8",
    "#cfbaf0",
    "#90dbf4",
    "#f9c74f",
    "#d0f4de",
)
KIND_LABELS = {
    "named": "named",
    "named_role": "role",
    "organization": "organisation",
    "anonymous": "anonymous",
    "pronoun": "pronoun",
    "document": "document",
    "unknown": "unknown",
}


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """The Jinja2 environment for the report templates (autoescaping always on)."""
    return jinja2.Environment(
        loader=jinja2.PackageLoader("newsift.report", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.ChainableUndefined,
    )


def safe_url(value: Any) -> str | None:
    """``value`` when it is an http(s) URL, else None (no ``javascript:`` or ``data:`` links)."""
    if not isinstance(value, str):
        return None
    try:
        scheme = urlsplit(value.strip()).scheme.lower()
    except ValueError:
        return None
    return value.strip() if scheme in ("http", "https") else None


def _kind(att: dict[str, Any]) -> str:
    kind = view.kind_of(att)
    return kind if kind in view.ATTRIBUTION_KINDS else "unknown"


def _technique_index(article: Article) -> dict[str, int]:
    """A palette index per technique: the known 14 by their fixed order, so a technique has the
    same colour in every report; unknown labels take the colours after them, cycling."""
    known = view.technique_order()
    extra = sorted({s["label"] for s in view.persuasion(article)} - set(known))
    return {label: i % len(PALETTE) for i, label in enumerate((*known, *extra))}


def _segment_context(
    article: Article, seg: view.Segment, tech: dict[str, int], explain: dict[str, str]
) -> dict:
    """Classes, tooltip and badges of one piece of text."""
    atts = view.attributions(article)
    claims = view.claims(article)
    classes: list[str] = []
    tips: list[str] = []
    badges: list[dict[str, Any]] = []
    techniques = [m for m in seg.marks if m.layer == "persuasion"]
    if techniques:
        classes += ["p", f"t{tech.get(techniques[0].label, 0)}"]
        if len(techniques) > 1:
            classes.append("multi")
        for m in techniques:
            score = m.attrs.get("score")
            voice = m.attrs.get("voice")
            tips.append(
                f"{m.label}"
                + (f" ({score:.2f})" if isinstance(score, float) else "")
                + (f" [{'the outlet' if voice == 'outlet' else 'in a quote'}]" if voice else "")
                + (f": {explain[m.label]}" if m.label in explain else "")
            )
    for m in seg.marks:
        if m.layer in ("source", "cue", "content"):
            att = atts[m.index]
            kind = _kind(att)
            classes += [f"a-{m.layer}", f"k-{kind}"]
            who = view.source_label(article, att)
            tips.append(f"{m.layer} of attribution {m.index + 1}: {who} ({KIND_LABELS[kind]})")
            if m.layer == "content" and m.start == seg.start:
                badges.append(
                    {
                        "cls": f"badge k-{kind}",
                        "text": f"{who}",
                        "href": f"#att-{m.index + 1}",
                        "title": f"{KIND_LABELS[kind]} source: {who}",
                    }
                )
        elif m.layer == "claim":
            claim = claims[m.index]
            classes += ["claim", "cw"] if view.is_checkworthy(claim) else ["claim"]
            score = view.fmt_score(claim.get("score"))
            tips.append(f"claim {m.index + 1} (check-worthiness {score})")
            if m.start == seg.start:
                badges.insert(0, _claim_badge(m.index, view.matches_of(article, m.index), score))
    return {
        "text": article.text[seg.start : seg.end],
        "classes": " ".join(dict.fromkeys(classes)),
        "tip": "\n".join(dict.fromkeys(tips)),
        "badges": badges,
    }


def _claim_badge(index: int, matches: list[dict[str, Any]], score: str) -> dict[str, Any]:
    """The badge before a claim: its number and score, and the first match's verdict if any."""
    text, title = f"C{index + 1} {score}", f"claim {index + 1}"
    if matches:
        first = matches[0]
        verdict = first.get("rating") if view.match_kind(first) == "fact-check" else None
        text += f" ⚑ {view.short(str(verdict or view.match_kind(first)), 28)}"
        title += "; " + "; ".join(
            f"{view.match_kind(m)}: {m.get('rating') or '?'}: {view.short(str(m.get('claim')), 80)}"
            for m in matches
        )
    return {
        "cls": "cbadge matched" if matches else "cbadge",
        "text": text,
        "href": f"#claim-{index + 1}",
        "title": title,
    }


def _claims_context(article: Article) -> list[dict[str, Any]]:
    atts = view.attributions(article)
    out = []
    for i, claim in enumerate(view.claims(article), 1):
        idx = claim.get("attribution")
        source = None
        if isinstance(idx, int) and not isinstance(idx, bool) and 0 <= idx < len(atts):
            source = {
                "label": view.source_label(article, atts[idx]),
                "kind": _kind(atts[idx]),
                "n": idx + 1,
            }
        matches = [
            {
                **m,
                "safe_url": safe_url(m.get("url")),
                "score_text": view.fmt_score(m.get("score")),
                "kind": view.match_kind(m),
                "notes": view.match_notes(m),
            }
            for m in view.matches_of(article, i - 1)
        ]
        figures = [f for f in view.as_list(claim.get("figures")) if isinstance(f, dict)]
        text = (
            claim.get("text")
            if isinstance(claim.get("text"), str)
            else view.ref_text(article.text, claim)
        )
        out.append(
            {
                "n": i,
                "text": text,
                "score": view.fmt_score(claim.get("score")),
                "class": claim.get("class"),
                "figures": figures,
                "source": source,
                "matches": matches,
                "voice": view.voice_label(article, claim.get("voice")),
                "headline": claim.get("part") == "title",
            }
        )
    return out


def _attributions_context(article: Article) -> list[dict[str, Any]]:
    return [
        {
            "n": i,
            "kind": _kind(att),
            "kind_label": KIND_LABELS[_kind(att)],
            "source": view.source_label(article, att),
            "cue": view.ref_text(article.text, att.get("cue")),
            "content": view.short(view.ref_text(article.text, att.get("content")), 240),
        }
        for i, att in enumerate(view.attributions(article), 1)
    ]


def _sourcing_context(article: Article) -> dict[str, Any] | None:
    s = view.sourcing(article)
    if not s:
        return None
    unattributed = [
        view.ref_text(article.text, u) if isinstance(u, dict) else str(u)
        for u in view.as_list(s.get("unattributed_sentences"))
    ]
    return {
        "counts": {str(k): v for k, v in view.as_dict(s.get("counts_by_kind")).items()},
        "share": view.fmt_share(s.get("anonymous_share")),
        "factual": s.get("factual_sentences"),
        "anonymous_factual": s.get("anonymous_factual_sentences"),
        "named": [str(n) for n in view.as_list(s.get("named_sources"))],
        "unattributed": unattributed,
        "sides": view.sides_text(article),
        "one_sided": bool(s.get("one_sided")),
    }


def article_context(article: Article) -> dict[str, Any]:
    """Everything the ``_article.html.j2`` fragment needs, read defensively from ``article``."""
    explain = view.technique_explanations()
    tech = _technique_index(article)
    segs = [
        _segment_context(article, s, tech, explain)
        for s in view.segments(article.text, view.marks(article))
    ]
    outlet = view.as_dict(article.outlet)
    summary = view.persuasion_summary(article)
    voices = view.persuasion_voices(article)
    return {
        "title": article.title,
        "author": article.author,
        "date": article.date,
        "language": view.language_text(article),
        "url": article.url,
        "url_link": safe_url(article.url),
        "outlet": outlet,
        "outlet_rating": view.outlet_rating_text(article),
        "wire": view.wire_text(article),
        "euvsdisinfo": view.euvsdisinfo_outlet(article),
        "credits": view.factcheck_credits(article),
        "persuasion_line": view.persuasion_line(article),
        "persuasion_voice_line": view.persuasion_voice_line(article),
        "headline_items": view.headline_items(article),
        "segments": segs,
        "techniques": [
            {
                "label": label,
                "index": tech.get(label, 0),
                "count": n,
                "outlet": voices.get(label, (0, 0))[0],
                "quoted": voices.get(label, (0, 0))[1],
                "best": view.fmt_score(best),
                "explanation": explain.get(label, ""),
            }
            for label, n, best in summary
        ],
        "has_persuasion": "persuasion" in article.spans or "persuasion" in article.layers,
        "kinds_present": sorted({_kind(a) for a in view.attributions(article)}),
        "kind_labels": KIND_LABELS,
        "headline_run": "headline" in article.layers,
        "headline_flags": view.headline_flags(article),
        "sourcing": _sourcing_context(article),
        "attributions": _attributions_context(article),
        "claims": _claims_context(article),
        "check_first": [
            {
                "n": int(e["claim"]) + 1 if isinstance(e.get("claim"), int) else None,
                "text": view.short(str(e.get("text") or ""), 240),
                "score": view.fmt_score(e.get("score")),
                "reason": view.check_first_reason(e),
            }
            for e in view.check_first(article)
        ],
        "checkworthy_summary": view.checkworthy_summary(article),
        "claims_run": "claims" in article.layers,
        "problems": [p.to_dict() for p in article.problems],
        "word_count": count_words(article.text),
        "palette": PALETTE,
    }


def render_css() -> str:
    """The report's stylesheet (the web app serves the same rules)."""
    return environment().get_template("_report.css.j2").render(palette=PALETTE)


def render_html(article: Article) -> str:
    """Render ``article`` as one self-contained HTML page: inline CSS, no script, no external asset.

    Args:
        article: an analysed article; any layer may be missing.

    Returns:
        The page as a string.
    """
    ctx = article_context(article)
    return environment().get_template("report.html.j2").render(a=ctx, css=render_css())
