"""Learned German attribution: which sentences hold a quotation, and who said it.

The rules of :mod:`.attribution_ml` find a German quotation only where a cue construction
tells them (quote marks with a cue, ``X sagte, ...``, ``laut X``); the German Wikinews corpus
(``../shared/data/attribution/german-news-quotation-attribution-2024``) also annotates reported
speech that runs on without a cue, free indirect speech and speech acts. Two small linear
models trained on that corpus (``newsift train attribution``, :mod:`newsift.train.attribution`)
refine the rules' records:

- a **quotation detector** scores every sentence-like unit (hashed features: its words, cue
  words and markers, Konjunktiv I verbs, quote marks, ``dass``, a colon, what the rules found in
  it and in the units around it). A unit the rules left empty becomes an attribution when its
  score passes ``add_threshold``; a rules' record in a unit scored under ``drop_threshold`` is
  dropped;
- a **speaker ranker** scores the candidate mentions of the unit and of the two units before it
  (runs of capitalised words, personal and possessive pronouns, a few referring adverbs):
  distance, which side of a cue or quote they sit on, the words around them (``sagte X``,
  ``X sagte``, ``laut X``, ``X zufolge``), determiners, the word lists' kinds, how often the
  head word recurs, and whether the rules chose it. The best candidate becomes the source.

Scoring is a dot product of hashed feature weights (MurmurHash3, as :mod:`newsift.hashing`), with
numpy only: scikit-learn is used at training time alone. The weights are
``models/attribution/de-attribution.npz``; see its MODEL_CARD.md (data CC BY-NC-SA 4.0:
research and non-commercial use).
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from .attribution_ml import (
    DE_ADVERBS,
    DE_PREPS,
    DETERMINERS,
    KONJUNKTIV,
    KONJUNKTIV_I,
    WORD,
    Intervals,
    classify,
    trim_content,
    word_spans,
)

if TYPE_CHECKING:
    from .attribution_ml import Reader

MODEL_PATH = Path(__file__).resolve().parents[1] / "models" / "attribution" / "de-attribution.npz"
N_FEATURES = 2**18
WINDOW = 3  # units before the quotation's own where speaker candidates are looked for
CARRY = 8  # units back that the rules' last source is carried as a candidate
# personal and possessive pronouns that can stand for a speaker
_PRONOUNS = frozenset("er sie ich wir ihr".split())
_POSSESSIVES = frozenset("seinen ihren seiner ihrer seinem ihrem sein seine".split())
# lower-case words that refer to a source already named ("demnach", "wonach")
_REFERRING = frozenset("demnach wonach danach diese dieser dieses einige viele".split())
# capitalised words that open a clause and name no one
_FUNCTION = (
    DETERMINERS
    | DE_PREPS
    | DE_ADVERBS
    | frozenset(
        """wie so als dass daß ob wenn weil denn doch aber und oder man es das dies diese dieser
        dieses jene jener was wer wo warum wann welche welcher welches sein seine ihr ihre
        unser unsere mein meine kein keine alle viele einige mehrere beide nach laut gemäß
        zufolge seit bis um für gegen ohne durch nicht auch nur noch sehr mehr zwei drei""".split()
    )
)
_QUOTE_CHARS = '„“”"»«‚‘’'
_SPEAKER_CONTEXT_STOP = re.compile(r"[.;:!?]")


@dataclass(frozen=True)
class Model:
    """The weights of the two linear models and the thresholds chosen on the tune part."""

    quote_w: np.ndarray
    quote_b: float
    speaker_w: np.ndarray
    speaker_b: float
    add_threshold: float
    drop_threshold: float

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> Model:
        """Read the weights written by ``newsift train attribution``."""
        with np.load(path) as z:
            return cls(
                quote_w=z["quote_w"].astype(np.float32),
                quote_b=float(z["quote_b"]),
                speaker_w=z["speaker_w"].astype(np.float32),
                speaker_b=float(z["speaker_b"]),
                add_threshold=float(z["add_threshold"]),
                drop_threshold=float(z["drop_threshold"]),
            )

    def quote_score(self, feats: list[int]) -> float:
        """Probability that a unit with these hashed features holds a quotation."""
        return _sigmoid(self.quote_b + float(self.quote_w[feats].sum()))

    def speaker_score(self, feats: list[int]) -> float:
        """Probability that a candidate with these hashed features is the speaker."""
        return _sigmoid(self.speaker_b + float(self.speaker_w[feats].sum()))


@functools.lru_cache(maxsize=2)
def load_model(path: Path = MODEL_PATH) -> Model | None:
    """The shipped model, read once per path; None where it is not installed."""
    if not path.is_file():
        return None
    return Model.load(path)


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, x))))


def hash_features(names: list[str]) -> list[int]:
    """Column indices of feature names (MurmurHash3 of the UTF-8 bytes, seed 0)."""
    from murmurhash.mrmr import hash as murmur

    n = N_FEATURES
    return [abs(murmur(x)) % n for x in names]


@dataclass(frozen=True)
class Candidate:
    """A mention that may be a quotation's speaker."""

    start: int
    end: int
    unit: int  # index of the unit it sits in
    features: tuple[str, ...]


class Context:
    """What the features of one article need: its units, tokens, cue positions and the rules'
    records, computed once."""

    def __init__(self, reader: Reader, rule_atts: list[dict[str, Any]]) -> None:
        self.reader = reader
        self.text = reader.text
        self.units: list[tuple[int, int]] = reader.units.units
        self.lex = reader.lex
        self.cues: set[str] = set(reader.cues) | set(self.lex["participles"].split())
        self.quotes = sorted(reader.quotes + reader.dash)
        self.quote_index = Intervals(self.quotes)
        self.unit_tokens = [word_spans(self.text, s, e) for s, e in self.units]
        self.rule_by_unit: list[list[dict[str, Any]]] = [[] for _ in self.units]
        for a in rule_atts:
            i = self.unit_of(a["content"]["start"])
            if i is not None:
                self.rule_by_unit[i].append(a)
        self.heads = Counter(
            t[2].lower() for toks in self.unit_tokens for t in toks if t[2][:1].isupper()
        )
        self.marker_rx = [rx for rx, _ in reader.markers]
        self._kinds: dict[str, tuple[str, bool]] = {}

    def classify(self, phrase: str) -> tuple[str, bool]:
        """:func:`.attribution_ml.classify` of a German phrase, once per phrase."""
        got = self._kinds.get(phrase)
        if got is None:
            got = self._kinds[phrase] = classify(phrase, "de")
        return got

    def unit_of(self, pos: int) -> int | None:
        """The index of the unit holding ``pos``."""
        for i, (s, e) in enumerate(self.units):
            if s <= pos < e:
                return i
        return None

    def quoted(self, s: int, e: int) -> float:
        """The share of ``[s, e)`` inside quote marks or dialogue lines."""
        cov = sum(max(0, min(e, b) - max(s, a)) for a, b in self.quote_index.overlapping(s, e))
        return cov / max(1, e - s)

    # -- the quotation detector -------------------------------------------------------------
    def unit_features(self, i: int) -> list[str]:
        """Feature names of unit ``i`` for the quotation detector."""
        us, ue = self.units[i]
        toks = self.unit_tokens[i]
        f = ["bias"]
        lows = [t[2].lower() for t in toks]
        f += ["w=" + w for w in set(lows)]
        f.append(f"len={_bucket(len(toks), (3, 6, 10, 20, 35))}")
        f.append(f"pos={_bucket(i, (0, 1, 2, 4, 8, 16))}")
        if lows:
            f.append("first=" + lows[0])
            f.append("first2=" + " ".join(lows[:2]))
            f.append("last=" + lows[-1])
        q = self.quoted(us, ue)
        f.append(f"quoted={_bucket(int(q * 10), (0, 2, 5, 8, 9))}")
        seg = self.text[us:ue]
        if any(c in seg for c in _QUOTE_CHARS):
            f.append("qmark")
        if ":" in seg:
            f.append("colon")
            if re.search(r":\s*[„“\"»«]", seg):
                f.append("colon_quote")
        if seg.rstrip().endswith(":"):
            f.append("ends_colon")
        if "?" in seg:
            f.append("question")
        for k, w in enumerate(lows):
            if w in self.cues:
                f.append("cue=" + w)
                f.append("cue")
                before = lows[k - 1] if k else "^"
                f.append("cue_prev=" + before)
                nxt = self.text[toks[k][1] : toks[k][1] + 2]
                if nxt.startswith(","):
                    f.append("cue_comma")
            if toks[k][2] in KONJUNKTIV_I:
                f.append("konj1")
                f.append("konj1=" + w)
            elif toks[k][2] in KONJUNKTIV:
                f.append("konj2")
        for rx in self.marker_rx:
            m = rx.search(self.text, us, ue)
            if m:
                f.append("marker=" + m.group(0).lower().split()[0])
        if "dass" in lows or "daß" in lows:
            f.append("dass")
        for name, j in (("prev", i - 1), ("next", i + 1)):
            if 0 <= j < len(self.units):
                s, e = self.units[j]
                if "\n" in self.text[min(ue, e) : max(us, s)]:
                    f.append(name + "_para")
                plows = {t[2].lower() for t in self.unit_tokens[j]}
                if plows & self.cues:
                    f.append(name + "_cue")
                if any(t[2] in KONJUNKTIV_I for t in self.unit_tokens[j]):
                    f.append(name + "_konj1")
                if self.rule_by_unit[j]:
                    f.append(name + "_rule")
                    if any(a["quote"] for a in self.rule_by_unit[j]):
                        f.append(name + "_rule_quote")
                pq = self.quoted(s, e)
                f.append(f"{name}_quoted={_bucket(int(pq * 10), (0, 5, 9))}")
                if self.text[s:e].rstrip().endswith(":"):
                    f.append(name + "_colon")
            else:
                f.append(name + "_none")
        rules = self.rule_by_unit[i]
        f.append(f"rule={min(2, len(rules))}")
        for a in rules:
            f.append("rule_kind=" + a["kind"])
            f.append("rule_quote" if a["quote"] else "rule_reported")
            f.append("rule_cue=" + a["cue"]["text"].lower()[:20])
            if a.get("continued_from_sentence") is not None:
                f.append("rule_continued")
        return f

    # -- the speaker ranker -----------------------------------------------------------------
    def candidates(self, i: int, rule_src: list[dict[str, Any]]) -> list[Candidate]:
        """The speaker candidates for a quotation in unit ``i``."""
        out: list[Candidate] = []
        us, ue = self.units[i]
        cue_pos = [t[0] for t in self.unit_tokens[i] if t[2].lower() in self.cues]
        unit_quotes = self.quote_index.overlapping(us, ue)
        konj = any(t[2] in KONJUNKTIV_I for t in self.unit_tokens[i])
        last = self.last_source(i)
        for off in range(WINDOW + 1):
            j = i - off
            if j < 0:
                break
            if off and "\n\n" in self.text[self.units[j][1] : self.units[j + 1][0]]:
                break
            toks = self.unit_tokens[j]
            spans = [
                (k, m, kind)
                for k, m, kind in _mentions(toks, self.text)
                if not (k == 0 and m == 0 and kind == "cap" and self._lower_elsewhere(toks[0][2]))
            ]
            for rank, (k, m, kind) in enumerate(spans):
                s, e = toks[k][0], toks[m][1]
                feats = self._cand_features(
                    toks, k, m, kind, off, rank, len(spans), cue_pos, unit_quotes, konj, rule_src
                )
                if any(_over(a["source"], s, e) for a in self.rule_by_unit[j]):
                    feats += ["src_in_unit", f"o{off}|src_in_unit"]
                if last is not None and _over(last[1], s, e):
                    feats += ["last_src", f"o{off}|last_src"]
                    last = None
                out.append(Candidate(s, e, j, tuple(feats)))
        for a in rule_src:
            src = a["source"]
            if src and not any(_over(src, c.start, c.end) for c in out):
                # the rules' source outside the window ("Das kündigte X an" after the words)
                ckind, _ = self.classify(src["text"])
                feats = ["rule_src", "rule_outside", "rule_outside|" + ckind]
                at = self.unit_of(src["start"])
                out.append(
                    Candidate(src["start"], src["end"], i if at is None else at, tuple(feats))
                )
        if last is not None:
            j, src = last
            s, e = src["start"], src["end"]
            ckind, _ = self.classify(self.text[s:e])
            dist = _bucket(i - j, (1, 2, 3, 5, 8))
            feats = ["carried", "last_src", "carried_dist=" + dist, "carried_kind=" + ckind]
            feats += ["carried|konj" if konj else "carried|nokonj"]
            feats += ["carried|cue" if cue_pos else "carried|nocue"]
            out.append(Candidate(s, e, j, tuple(feats)))
        return out

    def _shape(self, word: str, gap: str) -> str:
        """What a neighbouring token is: the text's edge, punctuation between, a cue, a
        Konjunktiv verb, a determiner, a preposition, another lower- or capitalised word."""
        if word in ("^", "$"):
            return "edge"
        if re.search(r"[,;:.!?()„“\"»«—–]", gap):
            return "punct"
        if word in self.cues:
            return "cue"
        if word in KONJUNKTIV:
            return "konj"
        if word in DETERMINERS:
            return "det"
        if word in DE_PREPS:
            return "prep"
        return "other"

    def _lower_elsewhere(self, word: str) -> bool:
        """A capitalised first word the article also writes in lower case ("Besonders")."""
        return bool(self.reader._de_adverbial(word)) and word.lower() not in DE_PREPS

    def last_source(self, i: int) -> tuple[int, dict[str, Any]] | None:
        """The source of the rules' last record before unit ``i`` (within ``CARRY`` units)."""
        for j in range(i - 1, max(-1, i - 1 - CARRY), -1):
            srcs = [a for a in self.rule_by_unit[j] if a["source"] and a["kind"] != "pronoun"]
            if srcs:
                return j, srcs[-1]["source"]
        return None

    def _cand_features(
        self,
        toks: list[tuple[int, int, str]],
        k: int,
        m: int,
        kind: str,
        off: int,
        rank: int,
        n: int,
        cue_pos: list[int],
        unit_quotes: list[tuple[int, int]],
        konj: bool,
        rule_src: list[dict[str, Any]],
    ) -> list[str]:
        text = self.text
        s, e = toks[k][0], toks[m][1]
        words = [t[2] for t in toks[k : m + 1]]
        head = words[-1].lower()
        base = [f"kind={kind}", f"len={_bucket(m - k + 1, (1, 2, 3, 5))}"]
        if kind == "pron":
            base.append("pron=" + head)
        base.append("head=" + head)
        base.append("first=" + words[0].lower())
        base.append("suf=" + head[-3:])
        prev1 = toks[k - 1][2].lower() if k else "^"
        prev2 = toks[k - 2][2].lower() if k > 1 else "^"
        next1 = toks[m + 1][2].lower() if m + 1 < len(toks) else "$"
        next2 = toks[m + 2][2].lower() if m + 2 < len(toks) else "$"
        base += ["p1=" + prev1, "p2=" + prev2, "n1=" + next1, "n2=" + next2]
        base.append("p2p1=" + prev2 + "_" + prev1)
        base.append("n1n2=" + next1 + "_" + next2)
        gap_b = text[toks[k - 1][1] : s] if k else "^"
        gap_a = text[e : toks[m + 1][0]] if m + 1 < len(toks) else "$"
        p1s = self._shape(prev1, gap_b)
        n1s = self._shape(next1, gap_a)
        base += ["p1s=" + p1s, "n1s=" + n1s, f"p1s_n1s={p1s}_{n1s}"]
        if prev1 in DETERMINERS and k >= 1:
            p2s = self._shape(prev2, text[toks[k - 2][1] : toks[k - 1][0]] if k > 1 else "^")
            base += ["p2s=" + p2s, f"p2s_n1s={p2s}_{n1s}"]
        if prev1 in self.cues:
            base.append("after_cue")
        if next1 in self.cues:
            base.append("before_cue")
        if prev1 in DETERMINERS:
            base.append("det")
        gap_before = text[toks[k - 1][1] : s] if k else ""
        gap_after = text[e : toks[m + 1][0]] if m + 1 < len(toks) else ""
        if "," in gap_before:
            base.append("comma_before")
        if "," in gap_after:
            base.append("comma_after")
        if k == 0:
            base.append("unit_first")
        q = self.quoted(s, e)
        if q > 0.5:
            base.append("in_quote")
        phrase = text[s:e]
        if kind != "pron":
            ckind, vague = self.classify(phrase)
            base.append("lexkind=" + ckind)
            if vague:
                base.append("vague")
        base.append(f"sal={_bucket(self.heads[words[-1].lower()], (1, 2, 3, 5, 10))}")
        base.append(f"rank={min(rank, 4)}")
        base.append(f"rrank={min(n - 1 - rank, 4)}")
        if any(_over(a["source"], s, e) for a in rule_src):
            base.append("rule_src")
        if not rule_src:
            base.append("no_rule")
        own = [t[0] for t in toks if t[2].lower() in self.cues and self.quoted(t[0], t[1]) < 0.5]
        if off and own:
            base.extend(_cue_distances(text, own, s, e, "own_cue"))
        elif off:
            base.append("own_no_cue")
        if off and any(t[2] in KONJUNKTIV_I for t in toks):
            base.append("own_konj")
        if off and text[toks[0][0] : toks[-1][1] + 2].rstrip().endswith(":"):
            base.append("own_colon")
        if off == 0:
            base.extend(_cue_distances(text, cue_pos, s, e, "cue"))
            if not cue_pos:
                base.append("no_cue")
            if unit_quotes:
                if e <= unit_quotes[0][0]:
                    base.append("before_quote")
                elif s >= unit_quotes[-1][1]:
                    base.append("after_quote")
                elif q <= 0.5:
                    base.append("between_quotes")
        if konj:
            base.append("konj")
        ctx = f"ctx={int(bool(cue_pos))}{int(konj)}{int(bool(unit_quotes))}{int(bool(rule_src))}"
        lk = next((x for x in base if x.startswith("lexkind=")), "lexkind=" + kind)
        base += [ctx, f"{ctx}|o{off}", f"{ctx}|o{off}|{lk}", f"{ctx}|o{off}|r{min(rank, 2)}"]
        feats = [f"o{off}|" + x for x in base] + base + [f"o{off}"]
        if kind == "pron":
            feats += ["pron|" + x for x in base if x.startswith(("p1=", "n1=", "o"))]
        return feats

    def unit_cue(self, i: int) -> tuple[int, int] | None:
        """A cue for a unit the detector found: its cue word, marker or Konjunktiv verb."""
        toks = self.unit_tokens[i]
        for s, e, w in toks:
            if w.lower() in self.cues and self.quoted(s, e) < 0.5:
                return s, e
        us, ue = self.units[i]
        for rx in self.marker_rx:
            m = rx.search(self.text, us, ue)
            if m:
                return m.span()
        for s, e, w in toks:
            if w in KONJUNKTIV and self.quoted(s, e) < 0.5:
                return s, e
        return None


def _mentions(toks: list[tuple[int, int, str]], text: str) -> list[tuple[int, int, str]]:
    """Token index ranges ``(k, m, kind)`` of the candidate mentions among ``toks``."""
    out: list[tuple[int, int, str]] = []
    k = 0
    while k < len(toks):
        w = toks[k][2]
        low = w.lower()
        if low in _PRONOUNS:
            out.append((k, k, "pron"))
            k += 1
            continue
        if low in _POSSESSIVES:
            out.append((k, k, "poss"))
            k += 1
            continue
        if low in _REFERRING:
            out.append((k, k, "ref"))
            k += 1
            continue
        if w[:1].isupper() and low not in _FUNCTION:
            m = k
            while (
                m + 1 < len(toks)
                and toks[m + 1][2][:1].isupper()
                and toks[m + 1][2].lower() not in _FUNCTION
                and re.fullmatch(r"[\s\-–]*|\s*[„“\"]\s*", text[toks[m][1] : toks[m + 1][0]])
                and m - k < 6
            ):
                m += 1
            out.append((k, m, "cap"))
            k = m + 1
            continue
        k += 1
    return out


def _over(src: dict[str, Any] | None, s: int, e: int) -> bool:
    return bool(src) and src["start"] < e and s < src["end"]  # type: ignore[index]


def _bucket(x: int, edges: tuple[int, ...]) -> str:
    for edge in edges:
        if x <= edge:
            return f"<={edge}"
    return f">{edges[-1]}"


def _cue_distances(text: str, cues: list[int], s: int, e: int, name: str) -> list[str]:
    """Bucketed word distance from the nearest cue before a mention ``[s, e)`` and after it
    (``cues``: cue start offsets), as ``<name>_before=`` / ``<name>_after=`` features."""
    out = []
    before = [c for c in cues if c < s]
    after = [c for c in cues if c >= e]
    if before:
        dist = len(WORD.findall(text[before[-1] : s])) - 1
        out.append(f"{name}_before={_bucket(dist, (1, 2, 3, 5, 8))}")
    if after:
        dist = len(WORD.findall(text[e : after[0]]))
        out.append(f"{name}_after={_bucket(dist, (0, 1, 2, 4, 8))}")
    return out


def proposals(
    reader: Reader,
    atts: list[dict[str, Any]],
    model: Model,
    thresholds: tuple[float, float] | None = None,
) -> list[tuple[float, bool, list[dict[str, Any]]]]:
    """Per unit: the detector's score, whether the rules found something there, and the
    records it would keep (the rules' records, or a new one), their sources re-ranked. With
    ``thresholds`` (add, drop), units that :func:`select` would leave out are not ranked."""
    ctx = Context(reader, atts)
    out: list[tuple[float, bool, list[dict[str, Any]]]] = []
    for i in range(len(ctx.units)):
        p = model.quote_score(hash_features(ctx.unit_features(i)))
        rules = ctx.rule_by_unit[i]
        if thresholds is not None and p < thresholds[1 if rules else 0]:
            out.append((p, bool(rules), []))
            continue
        if rules:
            kept = rules
        else:
            att = _new(reader, ctx, i)
            kept = [att] if att is not None else []
        for att in kept:
            _rerank(reader, ctx, i, att, model)
            if att.get("learned"):
                att["score"] = round(p, 4)
        kept = [a for a in kept if a["cue"]["end"] > a["cue"]["start"] or _verb_cue(ctx, i, a)]
        out.append((p, bool(rules), kept))
    return out


def select(
    reader: Reader,
    props: list[tuple[float, bool, list[dict[str, Any]]]],
    add_threshold: float,
    drop_threshold: float,
) -> list[dict[str, Any]]:
    """The records kept at these thresholds, in text order, pronouns resolved again."""
    out = [
        dict(a)
        for p, rules, kept in props
        if (p >= drop_threshold if rules else p >= add_threshold)
        for a in kept
    ]
    out.sort(key=lambda a: (a["content"]["start"], a["cue"]["start"]))
    for a in out:
        for key in ("resolved_to", "resolved_kind", "resolved_text"):
            a.pop(key, None)
    reader._resolve(out)
    return out


def refine(reader: Reader, atts: list[dict[str, Any]], model: Model) -> list[dict[str, Any]]:
    """The rules' German records, refined by the learned detector and ranker (module doc)."""
    thresholds = (model.add_threshold, model.drop_threshold)
    return select(reader, proposals(reader, atts, model, thresholds), *thresholds)


def _new(reader: Reader, ctx: Context, i: int) -> dict[str, Any] | None:
    """An attribution for unit ``i``, which the rules left empty: the unit (or the quote that
    fills most of it) is the content; the source is chosen by the ranker afterwards."""
    us, ue = ctx.units[i]
    content = (us, ue)
    inside = [(max(a, us), min(b, ue)) for a, b in ctx.quote_index.overlapping(us, ue)]
    if inside:
        a, b = max(inside, key=lambda q: q[1] - q[0])
        if b - a >= 0.6 * (ue - us):
            content = (a, b)
    cue = ctx.unit_cue(i)
    continued = None
    if cue is None:
        prev = [a for j in range(i - 1, max(-1, i - 3), -1) for a in ctx.rule_by_unit[j]]
        if not prev:
            cue = (0, 0)
        else:
            cue = (prev[0]["cue"]["start"], prev[0]["cue"]["end"])
            continued = prev[0]["sentence"]
    cs, ce = trim_content(reader.text, *content)
    if len(WORD.findall(reader.text[cs:ce])) < 3:
        return None
    att = reader.make(None, cue, (cs, ce))
    if att is None:
        return None
    if continued is not None:
        att["continued_from_sentence"] = continued
    att["learned"] = True
    return att


def _verb_cue(ctx: Context, i: int, att: dict[str, Any]) -> bool:
    """A record with no cue word takes as cue the word after its source (the finite verb in
    German verb-second order: "Die Gewerkschaft fordert ..."; for a source in an earlier unit,
    that unit's verb, and the record is continued from the source's sentence); False (the
    record is left out) where there is none."""
    src = att["source"]
    j = ctx.unit_of(src["start"]) if src else None
    if src is None or j is None or j > i:
        return False
    for s, e, w in ctx.unit_tokens[j]:
        if s < src["end"]:
            continue
        if w[:1].islower() and w.lower() not in DETERMINERS and w.lower() not in DE_PREPS:
            if "," in ctx.text[src["end"] : s] or ctx.quoted(s, e) >= 0.5:
                return False
            att["cue"] = ctx.reader.ref(s, e)
            if j != i:
                att["continued_from_sentence"] = ctx.reader.units.sentence_of(src["start"])
            return True
        return False
    return False


def _rerank(reader: Reader, ctx: Context, i: int, att: dict[str, Any], model: Model) -> None:
    """Set the source of ``att`` (content in unit ``i``) to the ranker's best candidate."""
    cands = ctx.candidates(i, [att])
    if not cands:
        return
    scores = [model.speaker_score(hash_features(list(c.features))) for c in cands]
    best = int(np.argmax(scores))
    c = cands[best]
    src = att["source"]
    if src and src["start"] < c.end and c.start < src["end"]:
        return  # the rules' phrase, with its boundaries
    kind, vague = classify(reader.text[c.start : c.end], "de")
    if reader.text[c.start : c.end].lower() in _PRONOUNS | _POSSESSIVES:
        kind = "pronoun"
    att["source"] = reader.ref(c.start, c.end)
    att["kind"] = kind
    att.pop("hedge", None)
    att.pop("vague", None)
    if vague:
        att["vague"] = True
