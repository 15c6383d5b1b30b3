"""The sourcing profile: who the article rests on, and what it asserts on its own authority.

``sourcing.v1`` writes ``sourcing``:

- ``counts_by_kind``: attributions per source kind, pronouns counted as what they resolve to
  (``counts_by_written_kind`` keeps them as written);
- ``factual_sentences`` / ``anonymous_factual_sentences`` / ``anonymous_share``: of the sentences
  that state facts (claims that are not ``non-factual``), how many rest on anonymous sources;
- ``named_sources``: distinct named people (``Igor Konashenkov`` and ``Konashenkov`` are one);
- ``unattributed_sentences``: factual sentences of the body in the outlet's own voice (their
  ``voice``, :mod:`newsift.stages.voice`; the headline is left to ``headline.v1``);
- ``distinct_sources`` and ``top_source_share``: how concentrated the sourcing is (one-sidedness);
- ``sides``, ``dominant_side``, ``one_sided``, ``sides_reason``: attributions per side named in
  the source's own description, and whether one side gives at least 80% of them. A side is named
  only where the description names an affiliation: a country or bloc *with* a state institution
  ("Russian Defense Ministry spokesman", "a Kyiv official", "the Pentagon", "the Kremlin"), or a
  party ("Democrats", "GOP leaders", "Sen. X, D-Minn."); words one side relays from another
  ("the ministry commented on the statement by the Pentagon chief that ...", ``reported_by``)
  count for the relaying side. Nationality alone ("an American man",
  "the U.S. Attorney's Office" in a domestic case) is no side. ``one_sided`` needs at least
  :data:`MIN_SIDED` sided attributions from at least two distinct sources, and ``sides_reason``
  says in words why the flag is set or not;
- ``wire``: the news agency whose copy this is, from a dateline ("WASHINGTON (AP) —") or a
  credit line ("Associated Press writers ... contributed", "(Reuters) -"), also set as
  ``article.outlet["wire"]``;
- ``insinuations``: sentences in the outlet's own voice that suggest a link with no evidence
  ("raising concerns about the relationship between ..."), the headline's included (with
  ``part: "title"``, offsets into ``article.title``).

The counts, shares, named sources and unattributed sentences need only the attributions and
claims layers, so the profile runs on every language those are read in (:data:`LANGUAGES`).
Sides and insinuations are read from English wording only: on another language they are left
empty and ``not_read`` (``{field: reason}``) says so, rather than reporting "no side named".
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from ..article import Article
from ..lang import language_name, normalize
from ..pipeline import Stage, register_stage
from .affiliation import side_of
from .attribution import effective_kind
from .voice import TITLE, is_outlet

#: the languages the profile runs on: those the attributions and claims layers are read in
LANGUAGES = frozenset({"en", "ru", "uk", "de", "fr", "es", "pl"})
# One-sidedness: the share of sided attributions one side must give, and how many sided ones
# (from at least two distinct sources) there must be before the flag means anything.
ONE_SIDED_SHARE = 0.8
MIN_SIDED = 3
# What makes a country a side: the source speaks for its state (institution, office, forces).
_STATE = re.compile(
    r"\b(?:minist(?:ry|er|ers)|government|govt|army|military|armed forces|forces|navy|air force|"
    r"troops|embassy|consulate|envoy|ambassador|diplomats?|president|prime minister|premier|"
    r"chancellor|foreign|defen[cs]e|state media|state department|kremlin|pentagon|white house|"
    r"downing street|spokes(?:man|woman|person)|officials?|administration|cabinet|parliament|"
    r"intelligence|regime|commander|generals?|authorities|leader|leadership|junta)\b",
    re.I,
)
# Names that are a state's voice by themselves (institutions, leaders, state media).
_STATE_NAMES = re.compile(
    r"\b(?:Pentagon|Kremlin|White House|State Department|Downing Street|Whitehall|Elysee|Élysée|"
    r"NATO|Nato|European Commission|Putin|Lavrov|Konashenkov|Zakharova|Peskov|Shoigu|Zelensky|"
    r"Zelenskyy|Assad|Netanyahu|Erdogan|Xi Jinping|Trump|Biden|Obama|TASS|RIA Novosti|Sputnik|"
    r"RT|SANA|IDF)\b"
)
_PARTIES = (
    (
        "Democratic Party (US)",
        re.compile(r"\b(?:Democrats?|Democratic(?! Forces| Republic)|D-[A-Z][a-z]*\.?)(?!\w)"),
    ),
    ("Republican Party (US)", re.compile(r"\b(?:Republicans?|GOP|R-[A-Z][a-z]*\.?)(?!\w)")),
    ("Labour Party (UK)", re.compile(r"\bLabour\b")),
    ("Conservative Party (UK)", re.compile(r"\b(?:Conservatives?|Tories|Tory)\b")),
)
# News agencies whose copy other outlets run, by the names their datelines and credits use.
_AGENCIES = {
    "AP": r"AP|Associated Press",
    "AFP": r"AFP|Agence France-Presse|Agence France Presse",
    "Reuters": r"Reuters",
    "PTI": r"PTI|Press Trust of India",
    "TASS": r"TASS|Tass",
    "RIA Novosti": r"RIA Novosti|RIA",
    "Xinhua": r"Xinhua",
    "UPI": r"UPI|United Press International",
    "dpa": r"dpa|DPA",
    "ANI": r"ANI",
    "IANS": r"IANS",
}
_AGENCY = "|".join(f"(?:{pat})" for pat in _AGENCIES.values())
_AGENCY_NAMES = [(name, re.compile(rf"\b(?:{pat})\b")) for name, pat in _AGENCIES.items()]
_DATELINE_WIRE = re.compile(
    rf"^\s*(?:[A-Z][A-Za-z.'’ -]{{1,40}}(?:,\s*[A-Z][\w. ]{{1,30}})?\s*)?\(\s*(?:{_AGENCY})\s*\)\s*[—–-]"
)
_CREDIT_WIRE = re.compile(
    rf"(?:\bBy (?:The )?(?:{_AGENCY})\b|(?:{_AGENCY}) (?:writers?|reporters?|correspondents?)\b|"
    rf"\(Reporting by [^)]*\)|^\s*[—–-]\s*(?:{_AGENCY})\s*$|Copyright \d{{4}} (?:The )?(?:{_AGENCY}))",
    re.M,
)

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
    # the body's sentences: the headline (``part: "title"``) has its own check (headline.v1)
    factual = [c for c in claims if c.get("class") != NON_FACTUAL and c.get("part") != TITLE]
    anon = [
        c
        for c in factual
        if c.get("attribution") is not None
        and effective_kind(atts[c["attribution"]]) == "anonymous"
    ]
    # what the outlet asserts in its own voice: a sentence linked to a source only by a cue
    # ("He said this on Monday." after the quote) is still the outlet's
    unattributed = [c for c in factual if is_outlet(c, article)]
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
        "insinuations": insinuations(
            article,
            [c for c in claims if c.get("part") == TITLE and is_outlet(c)] + unattributed,
        ),
        **sides(atts),
        "wire": wire_of(article.text),
        **_english_only(article),
    }


def _english_only(article: Article) -> dict[str, Any]:
    """For an article not in English: the fields read from English wording only (sides,
    insinuations), emptied, with ``not_read`` saying why; nothing for English."""
    lang = normalize(article.language) if article.language else "en"
    if lang == "en":
        return {}
    name = language_name(lang)
    why = (
        f"read from English source descriptions only; not read in {name} ('{lang}'), so "
        "no side is reported"
    )
    return {
        "sides": {},
        "dominant_side": None,
        "one_sided": False,
        "sides_reason": f"sides are {why}",
        "insinuations": [],
        "not_read": {
            "sides": f"sides are {why}",
            "insinuations": f"insinuation wording is English only; not read in {name} ('{lang}')",
        },
    }


def source_side(text: str) -> str | None:
    """The side a source description names: a party, or a country with a state institution."""
    for party, pattern in _PARTIES:
        if pattern.search(text):
            return party
    side = side_of(text)
    if side and (_STATE.search(text) or _STATE_NAMES.search(text)):
        return side
    return None


def wire_of(text: str) -> dict[str, Any] | None:
    """The news agency named by the article's dateline or credit line, or None.

    Only the opening 300 and closing 600 characters are read: an agency named in the body ("told
    Agence France-Presse") is a source, not the wire the copy came from.
    """
    head, tail = text[:300], text[-600:]
    for part, pattern, evidence in (
        (head, _DATELINE_WIRE, "dateline"),
        (tail, _CREDIT_WIRE, "credit line"),
        (head, _CREDIT_WIRE, "credit line"),
    ):
        m = pattern.search(part)
        if not m:
            continue
        found = m.group(0)
        for name, pat in _AGENCY_NAMES:
            if pat.search(found):
                return {"agency": name, "evidence": evidence, "text": found.strip()}
        if "Reporting by" in m.group(0):
            return {"agency": "Reuters", "evidence": evidence, "text": m.group(0).strip()}
    return None


def sides(atts: list[dict[str, Any]]) -> dict[str, Any]:
    """Attributions per side (see :func:`source_side`); one-sided when at least
    :data:`MIN_SIDED` of them, from two or more distinct sources, name a side and one side gives
    at least :data:`ONE_SIDED_SHARE` of them. ``sides_reason`` says why in words."""
    known: dict[str, str] = {}  # person key -> side, so "Konashenkov" inherits his first mention's
    counts: Counter[str] = Counter()
    sources_by_side: dict[str, set[str]] = {}
    for a in atts:
        text = a.get("resolved_text") or (a["source"] or {}).get("text") or ""
        key = _person_key(text) if effective_kind(a) == "named" else None
        relay = (a.get("reported_by") or {}).get("text")
        side = source_side(text) or (known.get(key) if key else None)
        if side and key:
            known.setdefault(key, side)
        if relay and source_side(relay):
            # words relayed by another side's source ("the ministry commented on the statement
            # by the Pentagon chief that ...") are heard in the relaying side's framing
            side = source_side(relay)
        counts[side or "(no side named)"] += 1
        if side:
            sources_by_side.setdefault(side, set()).add(_source_key(a))
    sided = {k: v for k, v in counts.items() if k != "(no side named)"}
    total = sum(sided.values())
    top = max(sided.items(), key=lambda kv: kv[1]) if sided else None
    distinct = len(set().union(*sources_by_side.values())) if sources_by_side else 0
    one_sided = bool(
        top and total >= MIN_SIDED and distinct >= 2 and top[1] / total >= ONE_SIDED_SHARE
    )
    if not top:
        reason = "no source is described by a party or a state institution, so no side is named"
    elif total < MIN_SIDED or distinct < 2:
        reason = (
            f"only {total} attribution(s) from {distinct} source(s) name a side; at least "
            f"{MIN_SIDED} from two sources are needed to call the sourcing one-sided"
        )
    else:
        share = top[1] / total
        others = sorted(k for k in sided if k != top[0])
        reason = (
            f"{top[1]} of the {total} attributions that name a side speak for {top[0]} "
            f"({share:.0%}; one-sided from {ONE_SIDED_SHARE:.0%})"
            + (f"; other sides heard: {', '.join(others)}" if others else "; no other side heard")
        )
    return {
        "sides": dict(counts.most_common()),
        "dominant_side": top[0] if top else None,
        "one_sided": one_sided,
        "sides_reason": reason,
    }


def insinuations(article: Article, unattributed: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Unattributed sentences that suggest a link without saying who claims it or on what basis."""
    out = []
    for c in unattributed:
        m = _INSINUATION.search(c["text"])
        if not m:
            continue
        start, end = c["start"] + m.start(), c["start"] + m.end()
        if c.get("part") == TITLE:
            cue = {"text": c["text"][m.start() : m.end()], "start": start, "end": end}
            out.append(
                {"part": TITLE, "start": c["start"], "end": c["end"], "text": c["text"], "cue": cue}
            )
        else:
            cue = article.ref(start, end)
            out.append({"start": c["start"], "end": c["end"], "text": c["text"], "cue": cue})
    return out


@register_stage("sourcing.v1")
class SourcingStage(Stage):
    """Counts and shares of the article's sources."""

    requires = ("attributions", "claims")
    assigns = ("sourcing",)
    languages = LANGUAGES

    def predict(self, batch: list[Article]) -> list[dict[str, Any]]:
        return [profile(a) for a in batch]

    def annotate(self, batch: list[Article], predictions: list[dict[str, Any]]) -> None:
        for article, prof in zip(batch, predictions, strict=True):
            article.layers["sourcing"] = prof
            if prof.get("wire"):
                article.outlet["wire"] = prof["wire"]
