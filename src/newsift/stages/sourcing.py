"""The sourcing profile: who the article rests on, and what it asserts on its own authority.

``sourcing.v1`` writes ``sourcing``:

- ``counts_by_kind``: attributions per source kind, pronouns counted as what they resolve to
  (``counts_by_written_kind`` keeps them as written);
- ``factual_sentences`` / ``anonymous_factual_sentences`` / ``anonymous_share``: of the sentences
  that state facts (claims that are not ``non-factual``), how many rest on anonymous sources;
- ``named_sources``: distinct named people (``Igor Konashenkov`` and ``Konashenkov`` are one);
- ``unattributed_sentences``: factual sentences the outlet asserts with no source;
- ``distinct_sources`` and ``top_source_share``: how concentrated the sourcing is (one-sidedness);
- ``sides``, ``dominant_side``, ``one_sided``: attributions per side named in the source's
  description (a country or bloc), and whether one side gives at least 80% of them;
- ``insinuations``: unattributed sentences that suggest a link with no evidence ("raising concerns
  about the relationship between ...").
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from ..article import Article
from ..pipeline import Stage, register_stage
from .affiliation import side_of
from .attribution import effective_kind

NON_FACTUAL = "non-factual"
# Insinuation: a link suggested without evidence or source ("raising concerns about ...").
_INSINUATION = re.compile(
    r"\b(?:rais(?:ing|es|ed) (?:concerns|questions|suspicions|doubts)|one (?:has to|must|might) wonder|"
    r"it is no coincidence|coincidence\?|(?:some|many) (?:people )?(?:wonder|ask|suspect)|"
    r"questions remain|it remains (?:unclear|to be seen) whether|makes? (?:one|you) wonder|"
    r"what (?:are|is) they hiding|suspicious(?:ly)?|draws? attention to)\b",
    re.I,
)


def _person_key(name: str) -> str:
    """A key that merges 'Igor Konashenkov', 'Konashenkov' and 'spokesman Igor Konashenkov'."""
    words = [w.strip(".,'’") for w in name.split() if w[:1].isupper()]
    return (words[-1] if words else name).lower()


def _source_key(att: dict[str, Any]) -> str:
    text = att.get("resolved_text") or (att["source"] or {}).get("text") or "(unnamed)"
    kind = effective_kind(att)
    return (
        f"named:{_person_key(text)}"
        if kind == "named"
        else f"{kind}:{text.lower().removeprefix('the ')}"
    )


def profile(article: Article) -> dict[str, Any]:
    atts = article.layers.get("attributions", [])
    claims = article.layers.get("claims", [])
    counts = Counter(effective_kind(a) for a in atts)
    written = Counter(a["kind"] for a in atts)
    named: dict[str, str] = {}
    for a in atts:
        if effective_kind(a) == "named":
            text = a.get("resolved_text") or a["source"]["text"]
            key = _person_key(text)
            if len(text) > len(named.get(key, "")):
                named[key] = text
    factual = [c for c in claims if c.get("class") != NON_FACTUAL]
    anon = [
        c
        for c in factual
        if c.get("attribution") is not None
        and effective_kind(atts[c["attribution"]]) == "anonymous"
    ]
    unattributed = [c for c in factual if c.get("attribution") is None]
    keys = Counter(_source_key(a) for a in atts)
    top_key, top_n = keys.most_common(1)[0] if keys else (None, 0)
    return {
        "attributions": len(atts),
        "counts_by_kind": dict(sorted(counts.items())),
        "counts_by_written_kind": dict(sorted(written.items())),
        "factual_sentences": len(factual),
        "anonymous_factual_sentences": len(anon),
        "anonymous_share": round(len(anon) / len(factual), 3) if factual else 0.0,
        "named_sources": sorted(named.values()),
        "distinct_sources": len(keys),
        "top_source": top_key.split(":", 1)[1] if top_key else None,
        "top_source_share": round(top_n / len(atts), 3) if atts else 0.0,
        "unattributed_sentences": [
            {"start": c["start"], "end": c["end"], "text": c["text"]} for c in unattributed
        ],
        "unattributed_share": round(len(unattributed) / len(factual), 3) if factual else 0.0,
        "insinuations": insinuations(article, unattributed),
        **sides(atts),
    }


def sides(atts: list[dict[str, Any]]) -> dict[str, Any]:
    """Attributions per side; one-sided when one side gives at least 80% of the sided ones."""
    known: dict[str, str] = {}  # person key -> side, so "Konashenkov" inherits his first mention's
    counts: Counter[str] = Counter()
    for a in atts:
        text = a.get("resolved_text") or (a["source"] or {}).get("text") or ""
        key = _person_key(text) if effective_kind(a) == "named" else None
        side = side_of(text) or (known.get(key) if key else None)
        if side and key:
            known.setdefault(key, side)
        counts[side or "(no side named)"] += 1
    sided = {k: v for k, v in counts.items() if k != "(no side named)"}
    total = sum(sided.values())
    top = max(sided.items(), key=lambda kv: kv[1]) if sided else None
    return {
        "sides": dict(counts.most_common()),
        "dominant_side": top[0] if top else None,
        "one_sided": bool(top and total >= 2 and top[1] / total >= 0.8),
    }


def insinuations(article: Article, unattributed: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Unattributed sentences that suggest a link without saying who claims it or on what basis."""
    out = []
    for c in unattributed:
        m = _INSINUATION.search(c["text"])
        if m:
            cue = article.ref(c["start"] + m.start(), c["start"] + m.end())
            out.append({"start": c["start"], "end": c["end"], "text": c["text"], "cue": cue})
    return out


@register_stage("sourcing.v1")
class SourcingStage(Stage):
    """Counts and shares of the article's sources."""

    requires = ("attributions", "claims")
    assigns = ("sourcing",)

    def predict(self, batch: list[Article]) -> list[dict[str, Any]]:
        return [profile(a) for a in batch]

    def annotate(self, batch: list[Article], predictions: list[dict[str, Any]]) -> None:
        for article, prof in zip(batch, predictions, strict=True):
            article.layers["sourcing"] = prof
