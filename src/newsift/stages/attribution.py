"""Who stands behind each quote and reported claim.

``attribution.v1`` finds, sentence by sentence on the dependency parse:

- speech verbs with their subject: ``X said (that) ...``, ``X told reporters ...``,
  ``in a statement, X said ...``;
- inverted and parenthetical forms: ``..., said X``, ``"...," X said``, ``..., informed the
  anonymous source``, ``..., he added``;
- ``according to X`` anywhere in the sentence;
- agentless hedges: ``it is believed that ...``, ``reportedly``, ``allegedly``;
- direct quotes (straight and curly, unbalanced ones as pasted from the web) with the speaker from
  the same sentence or, for a quote standing alone, from the neighbouring sentence.

Each attribution is ``{source: {text,start,end} | None, kind, cue: {text,start,end},
content: {text,start,end}, sentence, quote (bool)}`` where ``kind`` is one of ``named``,
``named_role``, ``organization``, ``anonymous``, ``pronoun`` or ``document``. A pronoun is resolved to
the nearest earlier fitting source (``resolved_to``, ``resolved_kind``).
"""

from __future__ import annotations

import re
from typing import Any

from ..article import Article
from ..pipeline import Stage, register_stage
from .cues import CUE_FORMS, NEEDS_PARSE
from .nlp import parsed_sentence
from .sources import classify_source, is_pronoun

# Cues that only count with a clausal complement or a quote ("the study found that ...").
_WEAK_CUES = {
    "call",
    "describe",
    "show",
    "find",
    "continue",
    "point",
    "post",
    "quote",
    "believe",
    "promise",
    "threaten",
    "urge",
    "vow",
}
_SUBJ = {"nsubj", "nsubjpass"}
_OPEN_Q = '"“„«'
_CLOSE_Q = '"”»'
_QUOTE_RE = re.compile(r"[\"“”„«»]")
_AGENTLESS = re.compile(
    r"\b(it\s+(?:is|was|has\s+been|had\s+been)\s+(?:widely\s+)?(believed|said|reported|claimed|"
    r"alleged|thought|understood|rumou?red|known|feared|suspected|expected)|"
    r"(?:is|are|was|were)\s+(?:said|believed|thought|reported|alleged|rumou?red)\s+to|"
    r"reportedly|allegedly|rumou?rs?\s+(?:say|have\s+it)|some\s+(?:say|believe|claim))\b",
    re.I,
)


def find_quotes(text: str) -> list[tuple[int, int]]:
    """Quoted stretches (content offsets, marks excluded) within one sentence.

    Pairs opening and closing marks; a closing mark with no opening one (as in text pasted from
    the web) quotes from the sentence start; an opening one never closed quotes to the end.
    """
    marks = [(m.start(), m.group(0)) for m in _QUOTE_RE.finditer(text)]
    out: list[tuple[int, int]] = []
    open_at: int | None = None
    for pos, ch in marks:
        if ch in "“„«" or (ch == '"' and open_at is None):
            if open_at is None:
                open_at = pos
            continue
        # a closing mark
        if open_at is None:
            if not out:
                out.append((0, pos))
        else:
            out.append((open_at + 1, pos))
            open_at = None
    if open_at is not None and open_at + 1 < len(text):
        out.append((open_at + 1, len(text)))
    return [(s, e) for s, e in out if text[s:e].strip(" ,.")]


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    """Shrink [s, e) past spaces, commas, quote marks and a leading 'that'."""
    junk = " \t\n,;:-–—" + _OPEN_Q + _CLOSE_Q
    while s < e and text[s] in junk:
        s += 1
    while e > s and text[e - 1] in junk:
        e -= 1
    m = re.match(r"that\s+", text[s:e])
    if m:
        s += m.end()
    return s, e


class _SentenceAttributor:
    """Attributions of one parsed sentence (offsets relative to the article)."""

    def __init__(self, article: Article, index: int, doc: Any) -> None:
        self.article = article
        self.index = index
        self.doc = doc
        self.off = article.sentences[index].start
        self.stext = doc.text
        self.quotes = find_quotes(self.stext)
        self.taken_cues: set[int] = set()

    def ref(self, s: int, e: int) -> dict[str, Any]:
        return self.article.ref(self.off + s, self.off + e)

    def run(self) -> list[dict[str, Any]]:
        found = self.according_to() + self.speech_verbs()
        if not found:
            found = self.agentless()
        return found

    # -- "according to X" ------------------------------------------------------------------
    def according_to(self) -> list[dict[str, Any]]:
        out = []
        for tok in self.doc:
            if (
                tok.lower_ != "according"
                or tok.i + 1 >= len(self.doc)
                or self.doc[tok.i + 1].lower_ != "to"
            ):
                continue
            to = self.doc[tok.i + 1]
            pobj = [c for c in to.children if c.dep_ == "pobj"]
            if pobj:
                src_s, src_e = (
                    pobj[0].left_edge.idx,
                    pobj[0].right_edge.idx + len(pobj[0].right_edge),
                )
            else:  # parse failed: take the following noun phrase up to punctuation
                m = re.match(r"\s*([^,.;:]+)", self.stext[to.idx + 2 :])
                if not m:
                    continue
                src_s = to.idx + 2 + m.start(1)
                src_e = to.idx + 2 + m.end(1)
            phrase_s, phrase_e = tok.idx, src_e
            content = self._content_around(phrase_s, phrase_e)
            out.append(self._make(src_s, src_e, tok.idx, to.idx + len(to), content))
        return out

    def _content_around(self, s: int, e: int) -> tuple[int, int]:
        """The sentence without the attribution phrase [s, e): the longer side, or the quote."""
        for qs, qe in self.quotes:
            if qe <= s or qs >= e:
                return _trim(self.stext, qs, qe)
        before = _trim(self.stext, 0, s)
        after = _trim(self.stext, e, len(self.stext))
        if before[1] - before[0] >= 0.6 * (after[1] - after[0]) and before[1] > before[0]:
            # "The X, according to Y, is Z": the claim spans both sides.
            if after[1] > after[0] and self.stext[e:].lstrip().startswith(","):
                return _trim(self.stext, 0, len(self.stext))
            return before
        return after

    # -- speech verbs ------------------------------------------------------------------------
    def speech_verbs(self) -> list[dict[str, Any]]:
        out = []
        for tok in self.doc:
            lemma = CUE_FORMS.get(tok.lower_)
            if not lemma or tok.dep_ in ("amod", "compound", "nsubj", "dobj", "pobj", "det"):
                continue
            if any(qs <= tok.idx < qe for qs, qe in self.quotes):
                continue  # a speech verb inside a quote belongs to the quoted speaker
            att = self._verb_attribution(tok, lemma)
            if att:
                out.append(att)
        return out

    def _verb_attribution(self, verb: Any, lemma: str) -> dict[str, Any] | None:
        if any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children) and not any(
            c.dep_ == "agent" for c in verb.children
        ):
            return None  # passive with no agent: "the bridge had been maintained" is no speech
        subj = [c for c in verb.children if c.dep_ in _SUBJ]
        ccomp = [c for c in verb.children if c.dep_ in ("ccomp", "xcomp") and c.i > verb.i]
        inverted = False
        if not subj or subj[0].lower_ in ("that", "which", "what"):
            obj = [
                c for c in verb.children if c.dep_ in ("dobj", "attr", "npadvmod") and c.i > verb.i
            ]
            if not obj or not self._content_before(verb):
                return None
            src_tok, inverted = obj[0], True
        else:
            src_tok = subj[0]
            inverted = src_tok.i > verb.i
        if lemma in _WEAK_CUES and not ccomp and not self.quotes:
            return None
        if src_tok.lower_ == "it" and (
            src_tok.dep_ == "nsubjpass"
            or src_tok.dep_ == "expl"
            or any(c.dep_ == "auxpass" for c in verb.children)
        ):
            return None  # "it is believed that ...": an agentless hedge, handled by agentless()
        src_s = src_tok.left_edge.idx
        src_e = src_tok.right_edge.idx + len(src_tok.right_edge)
        # keep appositive titles but drop trailing clauses ("the source, who asked ...")
        src_s, src_e = _trim(self.stext, src_s, src_e)
        cut = re.search(r",\s*(?:who|whose|whom|which|that|where)\b", self.stext[src_s:src_e])
        if cut:
            src_e = src_s + cut.start()
        cue_s, cue_e = verb.idx, verb.idx + len(verb)
        if not ccomp and not inverted and re.match(r"\s*(?:that\b|:)", self.stext[cue_e:]):
            content = _trim(
                self.stext, cue_e, len(self.stext)
            )  # "X concluded that ...", parse missed it
        elif ccomp and not inverted:
            c = ccomp[0]
            content = _trim(self.stext, c.left_edge.idx, c.right_edge.idx + len(c.right_edge))
            # a clausal complement that is only "that": fall back to the rest of the sentence
            if content[1] - content[0] < 3:
                content = _trim(self.stext, cue_e, len(self.stext))
        else:
            content = self._content_for_inverted(min(src_s, cue_s), max(src_e, cue_e))
        if content is None or content[1] <= content[0]:
            return None
        return self._make(src_s, src_e, cue_s, cue_e, content)

    def _content_before(self, verb: Any) -> bool:
        before = self.stext[: verb.idx].rstrip()
        return bool(before) and before[-1] in ",”\"'’" + "—–-"

    def _content_for_inverted(self, s: int, e: int) -> tuple[int, int] | None:
        """Content of '"...," X said' / '..., said X' / 'X said: "..."'."""
        quoted = [(qs, qe) for qs, qe in self.quotes if qe <= s or qs >= e]
        if quoted:
            qs, qe = max(quoted, key=lambda q: q[1] - q[0])
            return _trim(self.stext, qs, qe)
        before = _trim(self.stext, 0, s)
        if before[1] - before[0] > 10:
            return before
        after = _trim(self.stext, e, len(self.stext))
        return after if after[1] - after[0] > 10 else None

    # -- agentless hedges ----------------------------------------------------------------------
    def agentless(self) -> list[dict[str, Any]]:
        m = _AGENTLESS.search(self.stext)
        if not m:
            return []
        content = _trim(self.stext, m.end(), len(self.stext))
        if m.group(0).lower() in ("reportedly", "allegedly"):
            content = _trim(self.stext, 0, len(self.stext))  # an adverb hedges the whole sentence
        elif content[1] - content[0] < 10:
            content = _trim(self.stext, 0, m.start())
        att = self._make(m.start(), m.end(), m.start(), m.end(), content)
        att["kind"] = "anonymous"
        att["source"] = None
        att["hedge"] = True
        return [att]

    def _make(
        self, src_s: int, src_e: int, cue_s: int, cue_e: int, content: tuple[int, int]
    ) -> dict[str, Any]:
        self.taken_cues.add(cue_s)
        cs, ce = content
        # drop the sentence's full stop (but not an abbreviation's: "the U.S.")
        if ce - cs > 2 and self.stext[ce - 1] == "." and not self.stext[ce - 2].isupper():
            ce -= 1
        quote = any(qs <= cs and ce <= qe + 1 for qs, qe in self.quotes)
        kind = classify_source(self.stext[src_s:src_e], self._entities_in(src_s, src_e))
        return {
            "source": self.ref(src_s, src_e),
            "kind": kind,
            "cue": self.ref(cue_s, cue_e),
            "content": self.ref(cs, ce),
            "sentence": self.index,
            "quote": quote,
        }

    def _entities_in(self, s: int, e: int) -> list[str]:
        return [ent.label_ for ent in self.doc.ents if ent.start_char >= s and ent.end_char <= e]


def _quote_only(article: Article, index: int) -> list[tuple[int, int]]:
    s = article.sentences[index]
    return [(s.start + a, s.start + b) for a, b in find_quotes(article.text[s.start : s.end])]


@register_stage("attribution.v1")
class AttributionStage(Stage):
    """Quotes and reported claims with their source, cue, content and source kind."""

    requires = ("sentences",)
    assigns = ("attributions",)

    def predict(self, batch: list[Article]) -> list[list[dict[str, Any]]]:
        return [self._article(a) for a in batch]

    def _article(self, article: Article) -> list[dict[str, Any]]:
        atts: list[dict[str, Any]] = []
        by_sentence: dict[int, list[int]] = {}
        for i, sent in enumerate(article.sentences):
            if not NEEDS_PARSE.search(article.text[sent.start : sent.end]):
                continue
            doc = parsed_sentence(article, i)
            for att in _SentenceAttributor(article, i, doc).run():
                by_sentence.setdefault(i, []).append(len(atts))
                atts.append(att)
        self._attach_lone_quotes(article, atts, by_sentence)
        atts.sort(key=lambda a: (a["content"]["start"], a["cue"]["start"] if a["cue"] else 0))
        _resolve_pronouns(article, atts)
        return atts

    @staticmethod
    def _attach_lone_quotes(
        article: Article, atts: list[dict[str, Any]], by_sentence: dict[int, list[int]]
    ) -> None:
        """A quote sentence with no cue takes the speaker of the next (or previous) sentence in its
        paragraph: '"We recommend ..." All remaining ... areas," Konashenkov said.'"""
        for i in range(len(article.sentences)):
            if i in by_sentence:
                continue
            quotes = _quote_only(article, i)
            sent = article.sentences[i]
            # only a sentence that is mostly quote continues a neighbour's speech
            if not quotes or sum(e - s for s, e in quotes) < 0.6 * (sent.end - sent.start):
                continue
            for j in (i + 1, i - 1):
                if (
                    j not in by_sentence
                    or "\n\n"
                    in article.text[
                        min(article.sentences[i].start, article.sentences[j].start) : max(
                            article.sentences[i].end, article.sentences[j].end
                        )
                    ]
                ):
                    continue
                donor = next((atts[k] for k in by_sentence[j] if atts[k]["source"]), None)
                if donor is None:
                    continue
                qs, qe = max(quotes, key=lambda q: q[1] - q[0])
                atts.append(
                    {
                        "source": dict(donor["source"]),
                        "kind": donor["kind"],
                        "cue": dict(donor["cue"]),
                        "content": article.ref(qs, qe),
                        "sentence": i,
                        "quote": True,
                        "continued_from_sentence": j,
                    }
                )
                break

    def annotate(self, batch: list[Article], predictions: list[list[dict[str, Any]]]) -> None:
        for article, atts in zip(batch, predictions, strict=True):
            article.layers["attributions"] = atts


def _resolve_pronouns(article: Article, atts: list[dict[str, Any]]) -> None:
    """Point each pronoun source at the nearest earlier fitting source."""
    for i, att in enumerate(atts):
        if att["kind"] != "pronoun" or not att["source"]:
            continue
        pron = att["source"]["text"].lower()
        wanted = (
            {"named", "named_role", "anonymous"}
            if pron in ("he", "she", "him", "her", "i")
            else {"named", "named_role", "anonymous", "organization", "document"}
        )
        for j in range(i - 1, -1, -1):
            prev = atts[j]
            if prev["kind"] in wanted and prev["source"] and not is_pronoun(prev["source"]["text"]):
                att["resolved_to"] = j
                att["resolved_kind"] = prev["kind"]
                att["resolved_text"] = prev["source"]["text"]
                break
        else:
            person = [
                e
                for e in article.spans.get("entities", [])
                if e.label == "PERSON" and e.end <= att["source"]["start"]
            ]
            if person:
                att["resolved_kind"] = "named"
                att["resolved_text"] = article.span_text(person[-1])


def effective_kind(att: dict[str, Any]) -> str:
    """The kind a pronoun stands for when resolved, else the kind itself."""
    return att.get("resolved_kind") or att["kind"]
