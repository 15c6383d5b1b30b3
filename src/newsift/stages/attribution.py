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

import bisect
import functools
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from ..article import Article
from ..pipeline import Stage, register_stage
from .attribution_layout import apply_layout
from .attribution_ml import SUPPORTED as ML_LANGUAGES
from .attribution_ml import attribute as attribute_ml
from .cues import CLAUSE_ONLY_CUES, CUE_FORMS, NEEDS_PARSE
from .names import (
    FRONTED,
    People,
    find_people,
    first_name_gender,
    phrase_gender,
    pronoun_gender,
)
from .nlp import parsed_sentence
from .sources import (
    ANON_HEADS,
    ORG_HEADS,
    ROLE_HEADS,
    classify_post_author,
    classify_source,
    described_label,
    head_noun,
    is_pronoun,
)

# Cues that only count with a clausal complement or a quote ("the study found that ...").
_WEAK_CUES = {
    "recall",  # "recalled a rash of incidents", "recalled making a replica": a memory
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
    "testify",
    "announce",
    "comment",
    "reveal",
    "respond",
    "mention",
    "charge",
    "ask",
    "chant",
    "expect",
    "forecast",
    "predict",
}
_WEAK_CUES |= CLAUSE_ONLY_CUES
# "as X put it", "as the minister said": the rest of the sentence (or its quote) is X's.
_AS_PUT_IT = re.compile(
    r"\b[Aa]s\s+(?P<src>(?:the\s+)?[A-Z][\w.’'\-]*(?:\s+[A-Z][\w.’'\-]*){0,3}|[Hh]e|[Ss]he|[Tt]hey|"
    r"the\s+[a-z]+(?:\s+[a-z]+)?)\s+(?P<cue>put it|says|said|noted|notes|wrote|writes|explained|"
    r"argued|argues|warned|warns)\b\s*,?"
)
# Nouns that carry someone's words: "the statement by the Pentagon chief that ...", "X's claim
# that ...": the words are the statement's author's, not those of whoever comments on them.
_SPEECH_NOUNS = (
    r"statement|statements|claim|claims|assertion|allegation|allegations|remark|remarks|comment|"
    r"comments|suggestion|insistence|argument|warning|accusation|accusations|words|view|belief|"
    r"announcement|charge|charges|contention|promise|pledge|threat|denial"
)
_NOUN_CLAIM = re.compile(
    rf"(?:\b(?:the|a|an|his|her|its|their)\s+)?\b(?P<cue>{_SPEECH_NOUNS})\s+(?:made\s+)?"
    r"(?:by|of|from)\s+(?P<src>(?:the\s+)?[\w.’'\- ]{2,80}?)\s*,?\s+that\b"
    r"|(?P<src2>\b(?:the\s+)?[A-Z][\w.’'\-]*(?:\s+[A-Z][\w.’'\-]*){0,4}|\b(?:the|a)\s+(?:[a-z\-]+\s+){0,2}[a-z\-]+)['’]s?\s+"
    rf"(?P<cue2>{_SPEECH_NOUNS})\s+that\b"
)
# "WASHINGTON (AP) —", "KINSHASA, Congo --": a dateline is never part of a source.
_DATELINE = re.compile(
    r"^\s*[A-Z][A-Z.'’\- ]{2,}(?:,\s*[A-Z][\w.]*(?:\s+[A-Z][\w.]*)*)?\s*(?:\([^)]{1,40}\))?\s*"
    r"(?:--|—|–|-)\s*"
)
# Trailing time phrases that are not part of a source: "Franken on Thursday".
_TIME_TAIL = re.compile(
    r"\s+(?:on|last|this|earlier|later)\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|"
    r"Sunday|week|month|year|day|night|morning|evening)\b.*$"
    r"|\s+(?:on|in)\s+(?:a|an|the|his|her|their)\s+(?:statement|interview|email|tweet|post)\b.*$"
)
# A fronted phrase of time, place or manner before a subject: "In a statement on Monday,",
# "After the vote,": not the words of whoever follows.
_FRONTED_PHRASE = re.compile(
    r"\W*(?:In|On|At|After|Before|During|Since|Following|Earlier|Later|Last|This|Speaking|"
    r"Asked|Given|Despite|While|When|With|Without|Under|Over|For|From|Through|Like|Unlike|As)\b"
)
_SUBJ = {"nsubj", "nsubjpass"}
# After a quoted question: who wanted to know ('..?" Rep. Darrell Issa wanted to know.').
_WANTED_TO_KNOW = re.compile(
    r"[\"”’']*\s*(?P<src>(?:[A-Z][\w.’'\-]*\s+){0,4}[A-Z][\w’'\-]*|[Hh]e|[Ss]he|[Tt]hey)\s+"
    r"(?P<cue>wanted to know|wants to know|wondered|wonders|asked)\b"
)
# A clause joined to the words before it, at the end of the stretch up to another source.
_CLAUSE_JOIN = re.compile(r"(?:,\s*(?:but|while|whereas|and|though|although)|;)\s+(?:the\s+)?$")
# Verbs of phase whose subject is the speaker of the speech verb they take: "began saying",
# "went on to say", "kept insisting".
_ASPECT_VERBS = frozenset(
    """began begin begins begun started start starts continued continue continues kept keep
    keeps went go goes resumed""".split()
)
# What one tells that is not a report of words: "told the truth", "told a story".
_THINGS_TOLD = frozenset(
    "truth truths story stories lie lies joke jokes tale tales secret secrets anecdote".split()
)
# The writer ("we", "I") or the one the writer addresses ("you both claimed"), outside quotes:
# the outlet's own voice, not a source.
_FIRST_OR_SECOND_PERSON = re.compile(r"(?i)(?:we|i|us|you)(?:\s+(?:both|all|two))?")
# A quote introduced by a cue of its own ('... and said, "', 'told him: "'), not right after a
# quote of its own sentence.
_INTRODUCED_QUOTE = re.compile(
    r"\b(?:"
    + "|".join(
        sorted(
            (f for f, lemma in CUE_FORMS.items() if lemma not in ("call", "show", "find")),
            key=len,
            reverse=True,
        )
    )
    + r")\s*[,:]\s*[\"“]?\s*$"
)
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


def _leads_to(text: str, start: int, cue: int) -> bool:
    """The words from ``start`` lead straight to a speech noun at ``cue`` ("on the statement by
    the Pentagon chief that ..."), not past a quote or a clause of their own ('"the timing is too
    perfect" given the controversy over Pope Francis's remarks that ...')."""
    between = text[start:cue]
    return not _QUOTE_RE.search(between) and len(between.split()) <= 8


def find_quotes(text: str) -> list[tuple[int, int]]:
    """Quoted stretches (content offsets, marks excluded) within one sentence.

    Pairs opening and closing marks; a closing mark with no opening one (as in text pasted from
    the web) quotes from the sentence start; an opening one never closed quotes to the end.
    """
    marks = [(m.start(), m.group(0)) for m in _QUOTE_RE.finditer(text)]
    out: list[tuple[int, int]] = []
    open_at: int | None = None
    for pos, ch in marks:
        if ch in "“„«" or (ch == '"' and open_at is None and not _closes(text, pos)):
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


def _closes(text: str, pos: int) -> bool:
    """A straight mark that can only close a quote: right after a word or punctuation and
    before a space, punctuation or the end ('military," Haig said')."""
    before = text[pos - 1] if pos > 0 else " "
    after = text[pos + 1] if pos + 1 < len(text) else " "
    return not before.isspace() and before not in "(['‘" and (after.isspace() or after in ".,;:!?)")


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

    def __init__(
        self,
        article: Article,
        index: int,
        doc: Any,
        people: People | None = None,
        mask: list[tuple[int, int]] | None = None,
    ) -> None:
        self.article = article
        self.mask = mask or []
        self.people = people
        self.index = index
        self.doc = doc
        self.off = article.sentences[index].start
        self.stext = doc.text
        self.quotes = find_quotes(self.stext)
        self.taken_cues: set[int] = set()

    def _in_article_quote(self, idx: int) -> bool:
        """Inside a quote that began in an earlier sentence or paragraph."""
        pos = self.off + idx
        return any(a <= pos < b and a < self.off for a, b in self.mask)

    def ref(self, s: int, e: int) -> dict[str, Any]:
        return self.article.ref(self.off + s, self.off + e)

    def run(self) -> list[dict[str, Any]]:
        nouns = self.noun_claims()
        found = self.according_to() + self.speech_verbs()
        if not found:
            found = self.quoted_questions()
        as_put = self.as_put_it()
        if as_put:
            cues = {a["cue"]["start"] for a in as_put}
            found = [a for a in found if a["cue"]["start"] not in cues] + as_put
        if nouns:
            # "The ministry commented on the statement by the Pentagon chief that ...": the
            # words are the Pentagon chief's; the ministry only relays them (``reported_by``).
            kept = []
            for a in found:
                inner = [
                    n
                    for n in nouns
                    if a["content"]["start"] <= n["content"]["start"] < a["content"]["end"]
                    and _leads_to(self.article.text, a["content"]["start"], n["cue"]["start"])
                ]
                if not inner:
                    kept.append(a)
                    continue
                for n in inner:
                    if a["source"] and a["cue"]["start"] < n["cue"]["start"]:
                        n["reported_by"] = {**a["source"], "kind": a["kind"]}
            found = kept + nouns
        found += self._other_quotes(found)
        self._cut_at_other_speakers(found)
        if not found:
            found = self.agentless()
        return [
            a
            for a in found
            if len(re.findall(r"\w+", a["content"]["text"])) >= 2
            and not (
                a["source"]
                and _FIRST_OR_SECOND_PERSON.fullmatch(a["source"]["text"])
                and not self._in_article_quote(a["source"]["start"] - self.off)
            )
        ]

    def _cut_at_other_speakers(self, found: list[dict[str, Any]]) -> None:
        """'He said he only wanted service mementos, but federal prosecutors argued he was ...':
        a clause joined by "but", "while" or "and" with a speaker of its own ends the first
        speaker's words."""
        for a in found:
            cs, ce = a["content"]["start"], a["content"]["end"]
            cut = ce
            for b in found:
                src = b["source"]
                if b is a or not src or not (cs < src["start"] < cut):
                    continue
                if not b["cue"] or b["cue"]["start"] < src["start"]:
                    continue  # the other source follows its cue ("said Smith"): no new clause
                m = _CLAUSE_JOIN.search(self.article.text, cs, src["start"])
                if m:
                    cut = m.start()
            if cut < ce:
                s, e = _trim(self.article.text, cs, cut)
                if e - s >= 3:
                    a["content"] = self.article.ref(s, e)

    def _other_quotes(self, found: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """“X,” he said, “Y.”: each quote around a cue is the speaker's, not only the longest."""
        extra: list[dict[str, Any]] = []
        direct = [a for a in found if a["quote"] and a["source"]]
        if len(direct) != 1 or len(self.quotes) < 2:
            return extra
        a = direct[0]
        taken = [(x["content"]["start"] - self.off, x["content"]["end"] - self.off) for x in found]
        cue_s = a["cue"]["start"] - self.off
        for qs, qe in self.quotes:
            if any(min(qe, e) - max(qs, s) > 0 for s, e in taken):
                continue
            if qs <= cue_s < qe:
                continue
            cs, ce = _trim(self.stext, qs, qe)
            if len(re.findall(r"\w+", self.stext[cs:ce])) < 2:
                continue  # a scare-quoted word is no statement
            extra.append(
                {
                    **{k: (dict(v) if isinstance(v, dict) else v) for k, v in a.items()},
                    "content": self.ref(cs, ce),
                }
            )
        return extra

    # -- "the statement by X that ...", "X's claim that ..." ----------------------------------
    def as_put_it(self) -> list[dict[str, Any]]:
        out = []
        for m in _AS_PUT_IT.finditer(self.stext):
            if any(qs <= m.start() < qe for qs, qe in self.quotes):
                continue
            quoted = [(qs, qe) for qs, qe in self.quotes if qs >= m.end() or qe <= m.start()]
            if quoted:
                content = _trim(self.stext, *max(quoted, key=lambda q: q[1] - q[0]))
            else:
                after = _trim(self.stext, m.end(), len(self.stext))
                before = _trim(self.stext, 0, m.start())
                content = after if after[1] - after[0] >= before[1] - before[0] else before
            if content[1] - content[0] < 10:
                continue
            out.append(
                self._make(m.start("src"), m.end("src"), m.start("cue"), m.end("cue"), content)
            )
        return out

    def quoted_questions(self) -> list[dict[str, Any]]:
        """'"How did Comey see the report?" Rep. Darrell Issa wanted to know.': a quoted
        question and the one who wanted to know or wondered, right after it."""
        out = []
        for qs, qe in self.quotes:
            m = _WANTED_TO_KNOW.match(self.stext, qe)
            if m and "?" in self.stext[max(qs, qe - 3) : m.start("src")]:
                content = _trim(self.stext, qs, qe)
                out.append(
                    self._make(m.start("src"), m.end("src"), m.start("cue"), m.end("cue"), content)
                )
        return out

    def noun_claims(self) -> list[dict[str, Any]]:
        out = []
        for m in _NOUN_CLAIM.finditer(self.stext):
            if any(qs <= m.start() < qe for qs, qe in self.quotes):
                continue
            g = "src" if m.group("src") else "src2"
            cg = "cue" if m.group("cue") else "cue2"
            src_s, src_e = _trim(self.stext, m.start(g), m.end(g))
            lead = re.match(r"^(?:on|about|to|with)\s+", self.stext[src_s:src_e])
            src_s = src_s + (len(lead.group(0)) if lead else 0)
            if src_e - src_s < 2 or is_pronoun(self.stext[src_s:src_e]):
                continue
            content = _trim(self.stext, m.end(), len(self.stext))
            if content[1] - content[0] < 10:
                continue
            att = self._make(src_s, src_e, m.start(cg), m.end(cg), content)
            relay = self._relay(m.start(cg))
            if relay is not None:
                att["reported_by"] = relay
            out.append(att)
        return out

    def _relay(self, char: int) -> dict[str, Any] | None:
        """The speaker of the verb a noun claim hangs on ("The ministry commented on the
        statement by ..."), who relays the words."""
        tok = next((t for t in self.doc if t.idx <= char < t.idx + len(t)), None)
        for _ in range(6):
            if tok is None or tok.head is tok:
                break
            tok = tok.head
            if tok.pos_ in ("VERB", "AUX") or CUE_FORMS.get(tok.lower_):
                subj = [c for c in tok.children if c.dep_ == "nsubj"]
                if subj:
                    s0, s1 = _trim(
                        self.stext,
                        subj[0].left_edge.idx,
                        subj[0].right_edge.idx + len(subj[0].right_edge),
                    )
                    text = self.stext[s0:s1]
                    return {
                        **self.ref(s0, s1),
                        "kind": classify_source(text, self._entities_in(s0, s1), self.people),
                    }
                break
        return None

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
            if any(qs <= tok.idx < qe for qs, qe in self.quotes) or self._in_article_quote(tok.idx):
                continue  # a speech verb inside a quote belongs to the quoted speaker
            att = self._verb_attribution(tok, lemma)
            if att:
                out.append(att)
        return out

    def _verb_attribution(self, verb: Any, lemma: str) -> dict[str, Any] | None:
        if any(c.dep_ == "neg" for c in verb.children):
            return None  # "officials haven't said whether ...": nobody said anything
        if any(c.dep_ == "mark" and c.lower_ in ("whether", "if") for c in verb.children):
            return None  # "asked whether the party believes ...": a question, not a claim
        agent = [c for c in verb.children if c.dep_ == "agent"]
        if any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children) and not agent:
            return None  # passive with no agent: "the bridge had been maintained" is no speech
        if agent and any(c.dep_ == "nsubjpass" for c in verb.children):
            return self._passive(verb, agent[0])
        subj = [c for c in verb.children if c.dep_ in _SUBJ]
        noun_only = False  # the source is the noun alone, not the clause hanging on it
        if not subj and verb.dep_ == "xcomp" and verb.head.lower_ in _ASPECT_VERBS:
            # "Patel began saying that ...", "he went on to insist that ...": the subject of
            # the verb the speech verb completes
            subj = [c for c in verb.head.children if c.dep_ == "nsubj"]
        if not subj and verb.dep_ == "conj" and verb.head.i < verb.i:
            # "Geller praised Orban and wrote, ...": the first verb's subject is the speaker
            subj = [c for c in verb.head.children if c.dep_ == "nsubj"]
            if not any(c.dep_ == "cc" and verb.head.i < c.i < verb.i for c in verb.head.children):
                # no "and" before it: a misparse of "... went public after Ms. Feinstein,
                # ranking Democrat ..., said she ...": the name right before the verb speaks
                near = [
                    t
                    for t in self.doc[verb.head.i + 1 : verb.i]
                    if t.dep_ == "pobj"
                    and t.text[:1].isupper()
                    and t.right_edge.i == verb.i - 1
                    and t.right_edge.text == ","  # a name and its appositive, then the verb
                ]
                if near:
                    # the outermost phrase: the name, not a noun inside its appositive
                    subj = [min(near, key=lambda t: t.left_edge.i)]
            if subj and subj[0].lower_ in ("who", "which", "that") and verb.head.dep_ == "relcl":
                # "a letter that detailed his abuse and said Barros had witnessed ...": the
                # relative pronoun stands for the noun the first verb hangs on
                subj = [verb.head.head]
                noun_only = True
        ccomp = [c for c in verb.children if c.dep_ in ("ccomp", "xcomp") and c.i > verb.i]
        inverted = False
        if (
            verb.dep_ == "relcl"
            and lemma not in ("accuse", "deny", "charge", "claim", "allege", "admit")
            and verb.head.dep_ in _SUBJ
            and CUE_FORMS.get(verb.head.head.lower_)
            and not ccomp
            and any(
                c.dep_ == "dobj" and not is_pronoun(c.text) and c.lower_ not in ("what", "that")
                for c in verb.children
            )
            and not any(c.dep_ == "prep" and c.lower_ == "as" for c in verb.children)
        ):
            # "The staff member who reported the call recalled ...": the words are the main
            # verb's; the relative clause with an object of its own says none
            return None
        if (
            verb.dep_ == "relcl"
            and lemma not in ("accuse", "deny", "charge", "claim", "allege", "admit")
            and not ccomp
            and any(c.dep_ in ("advcl", "prep") for c in verb.children)
            and _in_speaker_subject(verb.head)
        ):
            # "Keith Vaz, chairman of the Committee, who had called for the bloggers to be
            # banned, said: ...": a relative clause inside the speaker's appositive, with no
            # clause of its own said, gives the quote neither its cue nor its speaker
            return None
        if lemma == "tell" and any(
            c.dep_ == "dobj" and c.lower_ in _THINGS_TOLD for c in verb.children
        ):
            return None  # "he told the truth about multiculturalism": no words of his given
        if not subj or (subj[0].lower_ in ("that", "which", "what") and verb.dep_ != "relcl"):
            obj = [
                c for c in verb.children if c.dep_ in ("dobj", "attr", "npadvmod") and c.i > verb.i
            ]
            if not obj or not self._content_before(verb):
                return None
            src_tok, inverted = obj[0], True
        else:
            src_tok = subj[0]
            inverted = src_tok.i > verb.i
            if src_tok.lower_ in ("who", "whom", "which", "that") and verb.dep_ == "relcl":
                # "said Meadows, who charged that ...", "his page, which says ...": the
                # relative pronoun stands for the noun it hangs on
                src_tok, inverted = verb.head, False
        content: tuple[int, int] | None  # what was said, as offsets into the sentence
        if lemma in ("expect", "forecast", "predict") and not any(c.dep_ == "ccomp" for c in ccomp):
            # "Analysts expect the bank to cut rates": the object and its infinitive
            obj = [c for c in verb.children if c.dep_ in ("dobj", "nsubj") and c.i > verb.i]
            xc = [c for c in verb.children if c.dep_ == "xcomp" and c.i > verb.i]
            if not obj or not xc or src_tok.i > verb.i:
                return None
            s0, s1 = _trim(
                self.stext, src_tok.left_edge.idx, src_tok.right_edge.idx + len(src_tok.right_edge)
            )
            content = _trim(
                self.stext, obj[0].left_edge.idx, xc[0].right_edge.idx + len(xc[0].right_edge)
            )
            return self._make(s0, s1, verb.idx, verb.idx + len(verb), content)
        if lemma in _WEAK_CUES and not self.quotes and not any(c.dep_ == "ccomp" for c in ccomp):
            return None
        if src_tok.lower_ == "it" and (
            src_tok.dep_ == "nsubjpass"
            or src_tok.dep_ == "expl"
            or any(c.dep_ == "auxpass" for c in verb.children)
        ):
            return None  # "it is believed that ...": an agentless hedge, handled by agentless()
        src_s = src_tok.left_edge.idx
        src_e = src_tok.right_edge.idx + len(src_tok.right_edge)
        if noun_only:
            src_e = src_tok.idx + len(src_tok)
        # keep appositive titles but drop trailing clauses ("the source, who asked ...")
        src_s, src_e = _trim(self.stext, src_s, src_e)
        cut = re.search(r",\s*(?:who|whose|whom|which|that|where)\b", self.stext[src_s:src_e])
        if cut:
            src_e = src_s + cut.start()
        inside = [qe for qs, qe in self.quotes if qs <= src_s and src_e <= qe]
        if inside:
            # '"... the medical indications that were ...," Secretary of State Mike Pompeo
            # said': the parse took words of the quote for the subject; a source is never
            # inside the quote it is given: the name between the quote and the cue is
            gap = re.fullmatch(
                r"[\"”’',\s]*((?:[A-Z][\w.’'\-]*\s+)(?:(?:of|the|for)\s+|[A-Z][\w.’'\-]*\s+){0,7})",
                self.stext[inside[0] : verb.idx],
            )
            if not gap:
                return None
            src_s = inside[0] + gap.start(1)
            src_e, inverted = src_s + len(gap.group(1).rstrip()), True
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
            before = self.stext[:src_s].rstrip()
            before_ok = bool(before) and before[-1] in ",”\"'’—–-"
            if before_ok and _FRONTED_PHRASE.match(before) and before.count(",") == 1:
                before_ok = False  # "In a joint statement published Oct. 25, X accused ..."
            if (
                before_ok
                and verb.dep_ == "ccomp"
                and CUE_FORMS.get(verb.head.lower_)
                and verb.head.i < src_tok.i
            ):
                # "Lee said that from late 2017 to April 2018, an employee reported a variety of
                # symptoms": the words before are the outer speaker's, not this one's
                before_ok = False
            after = _trim(self.stext, cue_e, len(self.stext))
            if not inverted and not self.quotes and not before_ok:
                # "X denied the allegations", "X said a box ..." (the parse missed the clause):
                # the words after the cue; "It's more complicated than McKinley suggests": none
                if (
                    after[1] - after[0] <= 10
                    or re.match(
                        r"(?:from|in|on|at|for|to|with|about|before|after)\b",
                        self.stext[after[0] :],
                    )
                    or self.stext[cue_e:].lstrip().startswith(",")
                ):
                    return None  # "Garcia Cano reported from Las Vegas"
                if self.stext.rstrip().endswith(":"):
                    return None  # "X explains his views:": the words come below
                that = re.search(r"\bthat\s", self.stext[after[0] : after[1]])
                if lemma == "tell" and that:
                    # "X told a few thousand teachers who ... that the Legislature should ...":
                    # the parse missed the clause; the words are after "that"
                    after = _trim(self.stext, after[0] + that.end(), after[1])
                elif lemma == "tell" or (
                    lemma == "maintain" and "innocence" not in self.stext[after[0] : after[1]]
                ):
                    # "he told the truth about ...", "Biden has maintained a polling lead":
                    # whom he told or what he kept, not words he said
                    return None
                return self._make(src_s, src_e, cue_s, cue_e, after)
            content = self._content_for_inverted(
                min(src_s, cue_s), max(src_e, cue_e), after_first=not inverted and not before_ok
            )
        if content is None or content[1] <= content[0]:
            return None
        if lemma == "ask" and not (
            any(qs <= content[0] and content[1] <= qe for qs, qe in self.quotes)
            and "?" in self.stext[content[1] - 1 : content[1] + 2]
        ):
            return None  # only a quoted question is someone's words
        return self._make(src_s, src_e, cue_s, cue_e, content)

    def _passive(self, verb: Any, agent: Any) -> dict[str, Any] | None:
        """ "The report ... was denied by the minister": the minister is the source and the
        report's words (the subject) the content."""
        pobj = [c for c in agent.children if c.dep_ == "pobj"]
        subj = [c for c in verb.children if c.dep_ == "nsubjpass"]
        if not pobj or not subj:
            return None
        src_s, src_e = _trim(
            self.stext, pobj[0].left_edge.idx, pobj[0].right_edge.idx + len(pobj[0].right_edge)
        )
        content = _trim(
            self.stext, subj[0].left_edge.idx, subj[0].right_edge.idx + len(subj[0].right_edge)
        )
        if content[1] - content[0] < 3:
            return None
        return self._make(src_s, src_e, verb.idx, verb.idx + len(verb), content)

    def _content_before(self, verb: Any) -> bool:
        before = self.stext[: verb.idx].rstrip()
        return bool(before) and before[-1] in ",”\"'’" + "—–-"

    def _content_for_inverted(
        self, s: int, e: int, after_first: bool = False
    ) -> tuple[int, int] | None:
        """Content of '"...," X said' / '..., said X' / 'X said: "..."'; with no quote near,
        the words before, else after (``after_first``: after, else before: "In a joint
        statement ..., the ministries accused U.S. forces of ...")."""
        quoted = [
            (qs, qe)
            for qs, qe in self.quotes
            if (qe <= s or qs >= e)
            # a few words in quotes far from the cue are scare quotes, not what was said: "X,
            # who accused Y of rape, had a message about the supposed “due process” ..."
            and not (
                len(self.stext[qs:qe].split()) <= 3
                and not re.search(r"[,.!?]", self.stext[qs:qe])
                and (
                    min(abs(s - qe), abs(qs - e)) > 40
                    # 'found his passport "near" the motel room ..., the documents said': a
                    # word or two in quotes with words of the clause between them and the cue
                    or len(re.findall(r"\w+", self.stext[qe:s] if qe <= s else self.stext[e:qs]))
                    >= 3
                )
            )
        ]
        if quoted:
            qs, qe = max(quoted, key=lambda q: q[1] - q[0])
            if qe <= s and _INTRODUCED_QUOTE.search(self.stext[:qs]):
                # 'He said, "I'll put a bullet ...," the U.S. attorney's office said': the quote
                # has a speaker of its own; the source after it relays the whole clause
                return _trim(self.stext, 0, s)
            return _trim(self.stext, qs, qe)
        before = _trim(self.stext, 0, s)
        after = _trim(self.stext, e, len(self.stext))
        for part in (after, before) if after_first else (before, after):
            if part[1] - part[0] > 10:
                return part
        return None

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
        m = _DATELINE.match(self.stext[src_s:src_e])
        if m and src_s + m.end() < src_e:
            src_s += m.end()
        elif re.fullmatch(
            r"[A-Z][A-Z.'’\- ]{2,}(?:,\s*[A-Z][\w.]*(?:\s+[A-Z][\w.]*)*)?", self.stext[src_s:src_e]
        ):
            dash = re.match(r"\s*(?:--|—|–)\s*", self.stext[src_e:cue_s])
            if dash and src_e + dash.end() < cue_s:
                # "KINSHASA, Congo -- Congo's government on Tuesday declared": the parse took
                # the dateline for the subject; the words after the dash are the source
                src_s, src_e = _trim(self.stext, src_e + dash.end(), cue_s)
        nl = self.stext.rfind("\n", src_s, src_e)
        if nl >= 0 and nl + 1 < src_e:
            src_s = nl + 1  # a caption or credit line above is not part of the source
        m = _TIME_TAIL.search(self.stext[src_s:src_e])
        if m and m.start() > 0:
            src_e = src_s + m.start()
        cs, ce = content
        # drop the sentence's full stop (but not an abbreviation's: "the U.S.")
        if ce - cs > 2 and self.stext[ce - 1] == "." and not self.stext[ce - 2].isupper():
            ce -= 1
        quote = any(qs <= cs and ce <= qe + 1 for qs, qe in self.quotes)
        kind = classify_source(
            self.stext[src_s:src_e], self._entities_in(src_s, src_e), self.people
        )
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


def _in_speaker_subject(tok: Any) -> bool:
    """``tok`` is the subject of a speech verb or lies in its appositive ("Keith Vaz, chairman
    of the Committee, said": "Committee" is), through "of" phrases and appositions only."""
    for _step in range(6):
        if tok.dep_ in ("nsubj", "nsubjpass") and CUE_FORMS.get(tok.head.lower_):
            return True
        if tok.dep_ not in ("pobj", "prep", "appos", "compound") or tok.head is tok:
            return False
        tok = tok.head
    return False


def _quote_only(article: Article, index: int) -> list[tuple[int, int]]:
    s = article.sentences[index]
    return [(s.start + a, s.start + b) for a, b in find_quotes(article.text[s.start : s.end])]


# A quote left open at the end of a paragraph runs on into at most this many paragraphs with no
# quote mark at all (a multi-paragraph quote); past that an unbalanced mark is a typo.
_MAX_OPEN_PARAGRAPHS = 3


def quoted_mask(text: str) -> list[tuple[int, int]]:
    """The stretches of ``text`` inside quote marks, across sentences and paragraphs.

    Curly marks open and close; straight marks toggle. A paragraph that ends inside a quote keeps
    it open into the next paragraphs (the news convention for a quote over several paragraphs)
    while they hold no mark, up to :data:`_MAX_OPEN_PARAGRAPHS`; a paragraph that opens with a
    mark starts a quote either way.
    """
    spans: list[tuple[int, int]] = []
    open_at: int | None = None
    carried = 0
    for pm in re.finditer(r"[^\n]+", text):
        ps, pe = pm.span()
        marks = list(_QUOTE_RE.finditer(text, ps, pe))
        if open_at is not None:
            if not marks:
                carried += 1
                if carried > _MAX_OPEN_PARAGRAPHS:
                    spans.append((open_at, ps))
                    open_at = None
                continue
            if marks[0].group(0) in "“„«" or marks[0].start() == ps:
                # a new paragraph of the same quote re-opens it
                spans.append((open_at, ps))
                open_at = None
        carried = 0
        for m in marks:
            ch, pos = m.group(0), m.start()
            if ch in "“„«" or (ch == '"' and open_at is None and not _closes(text, pos)):
                if open_at is None:
                    open_at = pos + 1
                continue
            if open_at is not None:
                spans.append((open_at, pos))
                open_at = None
            else:
                # a closing mark with no opening one quotes from the paragraph start, or from
                # the end of the quote before it in the paragraph
                start = ps
                if spans and spans[-1][1] >= ps:
                    start = spans[-1][1] + 1
                while start < pos and text[start] in ' \t“”"':
                    start += 1
                spans.append((start, pos))
        if open_at is not None and open_at >= pe:
            open_at = None
        if open_at is not None:
            lead = text[ps : open_at - 1].rstrip()
            if lead and lead[-1] not in ":,":
                # a quote opened mid-sentence and never closed ("Jeremiah “God damn America)
                # Wright"): a typo, not a quote running on into the next paragraph
                spans.append((open_at, pe))
                open_at = None
    if open_at is not None and open_at < len(text):
        spans.append((open_at, len(text)))
    return [(a, b) for a, b in spans if b > a]


def _covered(mask: list[tuple[int, int]], s: int, e: int) -> int:
    return sum(max(0, min(e, b) - max(s, a)) for a, b in mask if b > s and a < e)


# "Morphonious said." / "he added." / "said Ms. Lee.": a sentence that only names a speaker.
_SPEAKER_ONLY = re.compile(
    r"^\W*(?:(?P<src>[A-Z][\w.’'\- ]{1,60}?|[Hh]e|[Ss]he|[Tt]hey)\s+(?P<cue>"
    + "|".join(sorted(CUE_FORMS, key=len, reverse=True))
    + r"|wanted to know|wants to know|wondered)(?:\s+(?:reporters|lawmakers|the \w+))?|(?P<cue2>said|says|added|wrote)\s+(?P<src2>[A-Z][\w.’'\- ]{1,60}?))"
    r"[.!:]?\W*$"
)


def _speaker_only(article: Article, index: int, people: People | None) -> dict[str, Any] | None:
    sent = article.sentences[index]
    m = _SPEAKER_ONLY.match(article.text[sent.start : sent.end])
    if not m:
        return None
    g, cg = ("src", "cue") if m.group("src") else ("src2", "cue2")
    src_s, src_e = sent.start + m.start(g), sent.start + m.end(g)
    src = article.text[src_s:src_e]
    return {
        "source": article.ref(src_s, src_e),
        "kind": classify_source(src, [], people),
        "cue": article.ref(sent.start + m.start(cg), sent.start + m.end(cg)),
    }


_LABEL_LINE = re.compile(
    r"(?m)^[ \t]*(?P<label>(?:[A-Z][\w’'.\-]*)(?:[ \t]+[A-Z][\w’'.\-]*){0,3})[ \t]*:[ \t]*"
    r"(?P<rest>\S[^\n]*)$"
)
_NOT_SPEAKER_LABELS = frozenset(
    """note update source sources photo photos credit editor related read watch see warning
    disclaimer advertisement tags tag category posted published updated by email name location age
    date time subject from to re tel phone fax website address image video caption listen share
    follow comments summary background correction clarification more also headline article""".split()
)
_QUESTION_LABELS = frozenset({"q", "question", "interviewer", "host", "moderator"})
_ANSWER_LABELS = frozenset({"a", "answer", "guest"})
# A transcript longer than this is read turn by turn just the same; the cap only bounds work on
# a text that is nothing but label lines.
_MAX_TURNS = 5000


# Words for a person by what they do in the exchange, as a transcript's labels use them.
_PERSON_LABELS = frozenset(
    """reporter reporters journalist caller voice audience participant panelist panellist speaker
    juror agent operator passenger customer viewer listener student teacher officer dispatcher
    protester protestor man woman boy girl voter""".split()
)


def _role_label_kind(label: str) -> str | None:
    """The kind of a transcript label that is a role, not a name: "MAYOR:" the mayor
    (``named_role``: one the reader can identify), "REPORTER:", "CALLER:" someone unnamed
    (``anonymous``); None for any other label."""
    words = label.lower().split()
    head = words[-1].strip(".")
    if len(words) > 3:
        return None
    if head in ROLE_HEADS:
        return "named_role"
    if head in _PERSON_LABELS or head in ANON_HEADS:
        return "anonymous"
    return None


def interview_turns(
    article: Article, people: People | None
) -> tuple[list[dict[str, Any]], list[str]]:
    """Attributions for the turns of an interview or transcript ("SMITH: ...", "Q: ... / A: ...").

    A label counts as a speaker when it recurs in the article, names a person the article names,
    or is A/Answer/Guest (the interviewee: the person the article names most). Q/Interviewer turns
    are the outlet's own questions and get no attribution. A line with no label continues the
    turn above it while a quote opened in the turn is still open, or while another turn follows
    within a few lines (inside the transcript). Returns the attributions and problem notes.
    """
    text = article.text
    lines = list(_LABEL_LINE.finditer(text))
    if not lines:
        return [], []
    counts = Counter(m.group("label").strip().lower() for m in lines)

    def speaker_label(label: str) -> bool:
        low = label.lower()
        if low in _NOT_SPEAKER_LABELS or low.split()[0] in _NOT_SPEAKER_LABELS:
            return False
        if low in _QUESTION_LABELS or low in _ANSWER_LABELS:
            return True
        if people is not None and people.find(label) is not None:
            return True
        return counts[low] >= 2

    turns = [m for m in lines if speaker_label(m.group("label").strip())][:_MAX_TURNS]
    if len(turns) < 2:
        return [], []
    turns = _near_turn_labels(text, lines, turns)[:_MAX_TURNS]
    if any(m.group("label").strip().isupper() for m in turns):
        # in a transcript with SPEAKER: labels, a name in capitals said once is a speaker too
        turns = [
            m
            for m in lines
            if speaker_label(m.group("label").strip())
            or (
                m.group("label").strip().isupper()
                and len(m.group("label").split()) <= 3
                and m.group("label").strip().lower() not in _NOT_SPEAKER_LABELS
            )
        ][:_MAX_TURNS]
    interviewee = None
    if people is not None and people.by_key:
        first = turns[0].start()
        interviewee = max(
            people.by_key.values(),
            key=lambda p: (sum(1 for s, _e in p.mentions if s < first), len(p.mentions)),
        )
    out: list[dict[str, Any]] = []
    para = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]
    turn_starts = {m.start(): m for m in turns}
    para_index = {s: i for i, (s, _e) in enumerate(para)}
    label_paras = sorted(
        para_index[m.start() + len(m.group(0)) - len(m.group(0).lstrip())]
        for m in turns
        if m.start() + len(m.group(0)) - len(m.group(0).lstrip()) in para_index
    )
    current: dict[str, Any] | None = None
    open_quote = False
    named_roles: dict[str, dict[str, Any]] = {}  # "BACON Q:" makes a later bare "Q:" Bacon's
    for i, (ps, pe) in enumerate(para):
        m = turn_starts.get(ps) or next((t for t in turns if t.start() <= ps < t.end()), None)
        if m is not None:
            label = m.group("label").strip()
            low = label.lower()
            cs, ce = m.start("rest"), m.end("rest")
            if low in named_roles:
                current = {
                    **named_roles[low],
                    "cue": article.ref(m.end("label"), m.end("label") + 1),
                }
                current["source"] = article.ref(m.start("label"), m.start("label") + len(label))
                seg = text[cs:ce]
                open_quote = seg.count("“") > seg.count("”") or seg.count('"') % 2 == 1
                cs, ce = _trim(text, cs, ce)
                if ce - cs >= 2:
                    out.append(_turn_entry(article, current, cs, ce))
                continue
            if low in _QUESTION_LABELS:
                current, open_quote = None, False
                continue
            src = article.ref(m.start("label"), m.start("label") + len(label))
            att: dict[str, Any] = {
                "source": src,
                "kind": classify_source(label.title() if label.isupper() else label, [], people),
                "cue": article.ref(m.end("label"), m.end("label") + 1),
                "interview": True,
            }
            if low in _ANSWER_LABELS:
                if interviewee is not None:
                    att.update(kind="named", resolved_text=interviewee.name, resolved_kind="named")
                else:
                    att["kind"] = "named_role"
            elif people is not None and (person := people.find(label)) is not None:
                att["kind"] = "named"
                att["resolved_text"] = person.name
                att["resolved_kind"] = "named"
            elif described_label(text, label, att["kind"]):
                att["kind"] = "anonymous"
            elif (role := _role_label_kind(label)) is not None:
                att["kind"] = role
            current = att
            role = low.split()[-1]
            if len(low.split()) > 1 and (role in _QUESTION_LABELS or role in _ANSWER_LABELS):
                named_roles[role] = _named_role_turn(article, m, people, att)
            seg = text[cs:ce]
            open_quote = seg.count("“") > seg.count("”") or seg.count('"') % 2 == 1
        elif current is not None:
            later = [j for j in label_paras if j > i]
            line = text[ps:pe].rstrip()
            if not open_quote and (
                not (
                    later
                    and (
                        later[0] - i <= _TURN_GAP
                        or later[0] - i <= 2 * _TURN_GAP
                        and (len(line) <= _SHORT_TURN_LINE or _FIRST_SECOND_PERSON.search(line))
                    )
                    or _tail_of_turn(line, i, label_paras)
                )
                or line.endswith(":")
                or _QUOTE_RE.search(line)
            ):
                current = None
                continue
            cs, ce = ps, pe
            seg = text[cs:ce]
            if open_quote and ("”" in seg or seg.count('"') % 2 == 1):
                open_quote = False
            elif not open_quote and ("“" in seg and "”" not in seg):
                open_quote = True
        else:
            continue
        cs, ce = _trim(text, cs, ce)
        if ce - cs < 2:
            continue
        out.append(_turn_entry(article, current, cs, ce))
    return out, []


def _turn_entry(article: Article, turn: dict[str, Any], cs: int, ce: int) -> dict[str, Any]:
    entry = {k: (dict(v) if isinstance(v, dict) else v) for k, v in turn.items()}
    entry["content"] = article.ref(cs, ce)
    entry["quote"] = True
    entry["sentence"] = _sentence_of(article, cs)
    return entry


# Lines a turn runs on over while another turn follows within this many lines; a line in the
# first or second person, or a short one ("March 5th, 2017."), within twice as many.
_TURN_GAP = 4
_SHORT_TURN_LINE = 60
_FIRST_SECOND_PERSON = re.compile(r"\b(?:I|I['’]m|me|my|we|us|our|you|your|you['’]re)\b", re.I)


def _tail_of_turn(line: str, i: int, label_paras: list[int]) -> bool:
    """A line after the transcript's last turn that still speaks in the first or second person
    ("Judge: I don't understand ... / Your job is to answer the question."), at most 2 lines."""
    before = [j for j in label_paras if j < i]
    if any(j > i for j in label_paras) or not before or i - before[-1] > 2:
        return False
    return bool(_FIRST_SECOND_PERSON.search(line))


def _near_turn_labels(
    text: str, lines: list[re.Match[str]], turns: list[re.Match[str]]
) -> list[re.Match[str]]:
    """The turns plus a one-word role label said once right next to a turn ("Judge:" after
    "Abid:"): inside a transcript a role is a speaker even where nothing else names it."""
    known = {m.start() for m in turns}
    out = list(turns)
    for m in lines:
        label = m.group("label").strip()
        low = label.lower()
        if m.start() in known or len(low.split()) > 1:
            continue
        if classify_source(label.title() if label.isupper() else label, []) != "named_role":
            continue
        if low in _NOT_SPEAKER_LABELS or low.split()[0] in _NOT_SPEAKER_LABELS:
            continue
        if any(
            text.count("\n", t.end(), m.start()) <= 2
            if t.start() < m.start()
            else text.count("\n", m.end(), t.start()) <= 2
            for t in turns
        ):
            out.append(m)
    return sorted(out, key=lambda m: m.start())


def _named_role_turn(
    article: Article, m: re.Match[str], people: People | None, att: dict[str, Any]
) -> dict[str, Any]:
    """The speaker of a "NAME Q:" / "NAME A:" label, which later bare "Q:"/"A:" turns keep."""
    label = m.group("label").strip()
    name = label.rsplit(None, 1)[0]
    out = {k: (dict(v) if isinstance(v, dict) else v) for k, v in att.items()}
    out["source"] = article.ref(m.start("label"), m.start("label") + len(name))
    person = people.find(name) if people is not None else None
    if person is not None:
        out.update(kind="named", resolved_text=person.name, resolved_kind="named")
    else:
        out["kind"] = classify_source(name.title() if name.isupper() else name, [], people)
    return out


_POST_CREDIT = re.compile(
    r"(?:^|(?<=\s))[—–]\s*(?P<name>[^\n()—–]{2,80}?)\s*\(@(?P<handle>\w{1,30})\)"
    r"(?:\s*(?:[A-Z][a-z]+\.? \d{1,2}, \d{4}|\d{1,2} [A-Z][a-z]+ \d{4}))?"
)
_POST_LINK = re.compile(r"(?:https?://)?(?:pic\.twitter\.com|t\.co|twitter\.com|x\.com)/\S*")
_POST_INTRO = re.compile(
    r"(?i)\b(?:twitter|tweet(?:ed|s)?|wrote|posted|writes)\b|(?::|…|\.\.\.)\s*$"
)
_MAX_POST_LINES = 4
# A post runs back to the line that introduces it, over at most this many lines; with no intro
# line found, only its last _MAX_POST_LINES lines are taken.
_MAX_INTRODUCED_POST_LINES = 8
# A post's line is at most this long (a tweet is at most 280 characters); a longer line is the
# article's own paragraph above the post.
_MAX_POST_LINE = 300
# A post's furniture, not its words: hashtags, handles, links and a date at the end of its text.
_POST_FURNITURE = re.compile(
    r"(?:\s*(?:[#@]\w+|(?:https?://)?\S+\.\S+/\S*|[A-Z][a-z]+\.? \d{1,2}, \d{4}))+\s*$"
)


def embedded_posts(
    article: Article, people: People | None
) -> tuple[list[dict[str, Any]], list[str]]:
    """Attributions for embedded posts: the lines of a tweet block that ends in a credit line
    ("— Laura Loomer (@LauraLoomer) January 30, 2018"), back to the line that introduces it.
    A credit with no readable text before it is reported, not guessed."""
    text = article.text
    out: list[dict[str, Any]] = []
    problems: list[str] = []
    for m in _POST_CREDIT.finditer(text):
        end = m.start()
        links = list(_POST_LINK.finditer(text, max(0, end - 600), end))
        max_lines = _MAX_POST_LINES
        if links:
            if text[links[-1].end() : end].strip(" \t—–-"):
                max_lines = 1  # page furniture between the link and the credit: one line only
            end = links[-1].start()
        line_s = text.rfind("\n", 0, end) + 1
        segments = []
        if text[line_s:end].strip(" \t—–-"):
            segments.append((line_s, end))
        # a blank line above a bare link: the post's text is not there
        bare = not segments and line_s >= 2 and text[line_s - 2] == "\n"
        pos = line_s - 1
        introduced = False
        walk = _MAX_INTRODUCED_POST_LINES if max_lines == _MAX_POST_LINES else max_lines
        while len(segments) < walk and pos > 0:
            ls = text.rfind("\n", 0, pos) + 1
            line = text[ls:pos]
            pos = ls - 1
            if not line.strip():
                continue
            if _post_furniture_line(line):
                introduced = True  # the credit of the post above: this post starts below it
                break
            if _POST_INTRO.search(line) and not line.lstrip().startswith(("#", "@")):
                if segments or not re.search(r"@\w|#\w", line):
                    # only a line that ends by pointing at the post ("...:", "piped in…") marks
                    # its start further up than the usual few lines
                    introduced = len(segments) <= _MAX_POST_LINES or bool(
                        re.search(r"(?::|…|\.\.\.)\s*$", line)
                    )
                    break
            if len(line) > _MAX_POST_LINE:
                break
            segments.append((ls, ls + len(line)))
        if not introduced:
            segments = segments[:max_lines]
        if bare and not introduced:
            segments = []  # text above a blank line and no line introducing a post: not a post
        segments = [_trim(text, s0, _post_text_end(text, s0, e0)) for s0, e0 in reversed(segments)]
        segments = [(s0, e0) for s0, e0 in segments if re.search(r"\w{2,}", text[s0:e0])]
        name_s, name_e = _trim(text, m.start("name"), m.end("name"))
        if not segments:
            problems.append(
                f"a post credited to {text[name_s:name_e]!r} (@{m.group('handle')}) at character "
                f"{m.start()} has no readable text (only a link or nothing): not attributed"
            )
            continue
        name = text[name_s:name_e]
        kind = classify_post_author(name, people)
        for s0, e0 in segments:
            out.append(
                {
                    "source": article.ref(name_s, name_e),
                    "kind": kind,
                    "cue": article.ref(m.start(), m.start() + 1),
                    "content": article.ref(s0, e0),
                    "sentence": _sentence_of(article, s0),
                    "quote": True,
                    "post": True,
                }
            )
    return out, problems


def _post_furniture_line(line: str) -> bool:
    """A line that credits a post ("— Ginger (@SpicyMustang) December 1, 2017", "(@TechQn)
    December 1, 2017"): the end of the post above, never the words of the one below."""
    return bool(_POST_CREDIT.search(line) or re.match(r"\s*\(@\w{1,30}\)", line))


def _post_text_end(text: str, s: int, e: int) -> int:
    """The end of a post line's words, before its trailing hashtags, handles, links and date
    ("SICK!#KateSteinle #KatesLaw" -> "SICK!"); ``s`` where nothing else is left."""
    m = _POST_FURNITURE.search(text, s, e)
    if m is None or m.end() < e:
        return e
    return m.start() if re.search(r"\w{2,}", text[s : m.start()]) else s


def _sentence_of(article: Article, offset: int) -> int:
    starts = [s.start for s in article.sentences]
    return max(0, bisect.bisect_right(starts, offset) - 1)


@register_stage("attribution.v1")
class AttributionStage(Stage):
    """Quotes and reported claims with their source, cue, content and source kind."""

    requires = ("sentences",)
    assigns = ("attributions",)
    languages = frozenset({"en"}) | ML_LANGUAGES  # others: rules of attribution_ml.py

    def predict(self, batch: list[Article]) -> list[dict[str, Any]]:
        return [self._article(a) for a in batch]

    def _article(self, article: Article) -> dict[str, Any]:
        lang = (article.language or "en")[:2].lower()
        if lang in ML_LANGUAGES:
            return attribute_ml(article, lang)
        entities = article.spans.get("entities", [])
        people = find_people(
            article.text,
            [article.span_text(e) for e in entities if e.label == "PERSON"],
            [(e.label, article.span_text(e)) for e in entities if e.label != "PERSON"],
        )
        atts: list[dict[str, Any]] = []
        mask = quoted_mask(article.text)
        for i, sent in enumerate(article.sentences):
            if not NEEDS_PARSE.search(article.text[sent.start : sent.end]):
                continue
            doc = parsed_sentence(article, i)
            atts.extend(_SentenceAttributor(article, i, doc, people, mask).run())
        turns, problems = interview_turns(article, people)
        opening = len(re.findall(r"[“„«]", article.text))
        closing = len(re.findall(r"[”»]", article.text))
        if opening != closing or article.text.count('"') % 2:
            problems.append(
                f"unbalanced quote marks ({opening} opening and {closing} closing curly marks, "
                f"{article.text.count(chr(34))} straight ones): a quote that does not close is "
                "taken to end with its paragraph, so some quotes may be cut short or run long"
            )
        posts, post_problems = embedded_posts(article, people)
        problems += post_problems
        for block in (turns, posts):
            if not block:
                continue
            spans = [(b["content"]["start"], b["content"]["end"]) for b in block]
            # a sentence reading inside a turn or a post is the turn's or the post's
            atts = [
                a
                for a in atts
                if not any(
                    s0 <= a["content"]["start"] < e0 or s0 <= a["cue"]["start"] < e0
                    for s0, e0 in spans
                )
            ]
            atts.extend(block)
        _attach_quote_runs(article, atts, mask, people)
        apply_layout(article, atts, mask, people)  # quotes laid out over lines
        atts.sort(key=lambda a: (a["content"]["start"], a["cue"]["start"] if a["cue"] else 0))
        _resolve_pronouns(article, atts, people, mask)
        return {"attributions": atts, "problems": problems}

    def annotate(self, batch: list[Article], predictions: list[dict[str, Any]]) -> None:
        for article, pred in zip(batch, predictions, strict=True):
            article.layers["attributions"] = pred["attributions"]
            for note in pred["problems"]:
                article.add_problem(self.name, "unreadable_structure", note)


def _attach_quote_runs(
    article: Article,
    atts: list[dict[str, Any]],
    mask: list[tuple[int, int]],
    people: People | None,
) -> None:
    """Give quoted sentences with no cue of their own the speaker of their quote.

    Sentences joined by a quote that stays open across them form a *run*. A run with no
    attribution takes the speaker named right after it ("... That I don't know." Morphonious
    said.), else the speaker of the quote right before it ("“X,” he said. “Y.”", and a quote
    over several paragraphs). A narrative sentence between breaks the chain: a quote is never
    credited across it.
    """
    sents = article.sentences
    if not sents:
        return
    by_sentence: dict[int, list[dict[str, Any]]] = {}
    for a in atts:
        by_sentence.setdefault(a["sentence"], []).append(a)

    def quoted(i: int) -> bool:
        s = sents[i]
        length = max(1, s.end - s.start)
        return _covered(mask, s.start, s.end) >= 0.6 * length

    def continues(i: int) -> bool:
        """The quote at the end of sentence i runs on into sentence i+1."""
        if i + 1 >= len(sents):
            return False
        gap_s, gap_e = sents[i].end, sents[i + 1].start
        return _covered(mask, gap_s - 1, min(gap_e + 1, len(article.text))) > 0 or any(
            a <= gap_s and b >= gap_e for a, b in mask
        )

    def direct_donor(i: int) -> dict[str, Any] | None:
        for a in by_sentence.get(i, []):
            if a.get("source") and (
                a.get("quote") or _covered(mask, a["content"]["start"], a["content"]["end"])
            ):
                return a
        return None

    i = 0
    last_donor: tuple[int, dict[str, Any]] | None = None
    while i < len(sents):
        if not quoted(i) or by_sentence.get(i):
            if by_sentence.get(i):
                d = direct_donor(i)
                last_donor = (i, d) if d else None
            elif not quoted(i):
                last_donor = None
            i += 1
            continue
        # a run of quoted sentences with no attribution of their own
        j = i
        while j + 1 < len(sents) and not by_sentence.get(j + 1) and quoted(j + 1) and continues(j):
            j += 1
        donor = None
        nxt = j + 1
        if nxt < len(sents):
            only = _speaker_only(article, nxt, people)
            same_para = "\n" not in article.text[sents[j].end : sents[nxt].start]
            if only is not None and not article.text[
                sents[nxt].start : sents[nxt].end
            ].rstrip().endswith(":"):
                donor = only
                by_sentence.setdefault(nxt, []).append(
                    {**only, "content": article.ref(sents[i].start, sents[j].end)}
                )
            elif by_sentence.get(nxt) and same_para:
                donor = direct_donor(nxt)
        if donor is None and last_donor is not None and last_donor[0] >= i - 1:
            donor = last_donor[1]
        if donor is None and i > 0 and not by_sentence.get(i - 1):
            prev = article.text[sents[i - 1].start : sents[i - 1].end].rstrip()
            if prev.endswith(":"):
                donor = _speaker_only(article, i - 1, people)  # "X said:" and the quote below
        if donor is not None:
            for k in range(i, j + 1):
                s = sents[k]
                qs = [
                    (max(a, s.start), min(b, s.end)) for a, b in mask if b > s.start and a < s.end
                ]
                cs, ce = _trim(article.text, *max(qs, key=lambda q: q[1] - q[0]))
                if ce - cs < 2:
                    continue
                att = {
                    "source": dict(donor["source"]),
                    "kind": donor["kind"],
                    "cue": dict(donor["cue"]),
                    "content": article.ref(cs, ce),
                    "sentence": k,
                    "quote": True,
                    "continued_from_sentence": donor.get("sentence", nxt),
                }
                for key in ("resolved_text", "resolved_kind", "post", "interview"):
                    if key in donor:
                        att[key] = donor[key]
                atts.append(att)
                by_sentence.setdefault(k, []).append(att)
            last_donor = (j, donor)
        else:
            last_donor = None
        i = j + 1


_SUBJECT_LEAD = re.compile(
    r"^\W*(?:(?:But|And|So|Yet|However|Meanwhile|Later|Still|Also|Then|Now|Instead)\b,?\s*)?"
    r"(?:[^,;:“”\"]{0,60},\s*)?"
    # "Abid’s attorney James Bacon": the name after a possessor and a role is the subject
    r"(?:[A-Z][\w.\-]*(?:’s|'s)\s+(?:[a-z][\w\-]*\s+){1,3})?"
    r"(?:[A-Z][\w.’'\-]*\s+){0,4}$"
)
# Platforms are where words were posted, never who said them.
_PLATFORMS = frozenset(
    "twitter facebook instagram tumblr youtube weibo tiktok telegram linkedin reddit x".split()
)


# "the city council", "The Health Ministry": bodies a later "they" or "it" can stand for.
_BODY_PHRASE = re.compile(
    r"\b[Tt]he\s+(?:[A-Za-z][\w’'\-]*\s+){0,3}(?:"
    + "|".join(sorted((h for h in ORG_HEADS if " " not in h and len(h) > 3), key=len, reverse=True))
    + r")\b"
)


# A sentence whose subject is two people or groups ("Gov. Eric Holcomb and leaders of the
# Legislature have avoided ..."): a group a later "they" can stand for.
_COORDINATED_SUBJECT = re.compile(
    r"\s*((?:[A-Z][\w.’'\-]*\s+){1,5}(?:and|&)\s+(?:[\w.’'\-]+\s+){1,7}?)"
    r"(?:(?:both|also|each|jointly)\s+)?(?:have|has|had|are|were|will|would|say|said|met|agreed|"
    r"announced|want|wanted|plan|planned|told|insist|insisted|argue|argued|warned|called|"
    r"[a-z]{3,}ed)\b"
)


# People named by a plural noun as a sentence's subject ("State regulators approved ...",
# "Hundreds of teachers rallied ..."): a group a later "they" can stand for.
_PEOPLE_PLURALS = sorted(
    {h for h in ANON_HEADS if h.endswith("s") and h not in ("reports", "rumours", "rumors")}
    | {h + "s" for h in ROLE_HEADS if h.isalpha() and len(h) > 3}
    | set(
        """regulators investors economists voters customers nurses shareholders farmers
        officers legislators senators lawyers attorneys prosecutors parents students pupils
        teachers workers employees residents families protesters activists lawmakers
        leaders executives judges scientists researchers doctors experts analysts
        officials""".split()
    ),
    key=len,
    reverse=True,
)
_PLURAL_SUBJECT = re.compile(
    r"\s*(?:(?:But|And|So|Yet|Meanwhile|Still|Now|On \w+|Last \w+|While|Although|Though|"
    r"Because|As|When|If|After|Before|Since|Once),?\s+)?"
    r"((?:(?:[Hh]undreds|[Dd]ozens|[Tt]housands|[Ss]ome|[Mm]any|[Mm]ost|[Ss]everal)\s+of\s+"
    r"(?:the\s+)?)?(?:[A-Za-z][\w.’'\-]*\s+){0,3}(?i:"
    + "|".join(_PEOPLE_PLURALS)
    + r"))(?=\s+(?!(?:of|in|at|from|for|with|who|and|or|on|to|by|whose|that)\b)[a-z]+\b)"
)


# A statement stands for the body that issued it: "it said" after "the statement said" is the
# ministry, where the article named one.
_STATEMENT = re.compile(r"\b(?:statement|release|communiqu[eé]|announcement)s?\b", re.I)


def _statement_owner(phrase: str) -> str | None:
    """The body a statement phrase names as its author ("the ministry statement" -> "the
    ministry", "the military's statement" -> "the military"), else None."""
    m = re.fullmatch(
        r"\s*(?:[Tt]he\s+)?(?P<owner>.+?)(?:['’]s)?\s+(?:statement|release|communiqu[eé]|"
        r"announcement)s?\s*",
        phrase,
    )
    if not m or m.group("owner").lower() in (
        "a",
        "an",
        "its",
        "their",
        "his",
        "her",
        "press",
        "new",
    ):
        return None
    owner = m.group("owner")
    words = re.findall(r"[A-Za-z][\w’'\-]*", owner)
    if not words or not (head_noun(words) in ORG_HEADS or owner[:1].isupper()):
        return None
    return "the " + owner if owner[:1].islower() else owner


@dataclass
class _Mention:
    start: int
    end: int
    text: str
    kind: str
    gender: str | None
    plural: bool
    subject: bool
    source_index: int | None = None


def _resolve_pronouns(
    article: Article,
    atts: list[dict[str, Any]],
    people: People | None = None,
    mask: list[tuple[int, int]] | None = None,
) -> None:
    """Point each pronoun source at the person or body it stands for.

    Candidates are the people the article names (every mention of a known surname outside
    quotes) and the sources of earlier attributions. A candidate must agree with the pronoun:
    he/she a single person of that sex or of unknown sex, they/it a body or a group. Of those the
    nearest wins, counted in sentences, with a head start for the subject of a sentence and the
    source of an attribution; a name in a possessive ("Patel's computer") counts less.
    """
    text = article.text
    mask = mask if mask is not None else quoted_mask(text)
    starts = [s.start for s in article.sentences] or [0]

    def sent_of(pos: int) -> int:
        return max(0, bisect.bisect_right(starts, pos) - 1)

    def is_subject(pos: int) -> bool:
        k = sent_of(pos)
        start = starts[k]
        # a clause starts again after a closing quote: '... today.” Ms. Broaddrick has ...'
        close = max(text.rfind("” ", start, pos), text.rfind('." ', start, pos))
        if close >= 0:
            start = close + 2
        lead = text[start:pos]
        # "Like Saviano, he said": a name in a fronted phrase is not the subject
        return bool(_SUBJECT_LEAD.match(lead)) and not FRONTED.search(lead)

    mentions: list[_Mention] = []
    if people is not None:
        for person in people.by_key.values():
            # "Candace Smith" and "Quentin Smith" share a surname: a bare "Smith" is the one
            # last named in full before it
            full_name, full_gender = person.name, person.gender
            for s0, e0 in person.mentions:
                first = re.search(r"([A-Z][a-z]+)\s+(?:[A-Z]\.\s+)?$", text[max(0, s0 - 30) : s0])
                if first and first_name_gender(first.group(1)):
                    full_name = f"{first.group(1)} {text[s0:e0]}"
                    full_gender = first_name_gender(first.group(1))
                if _covered(mask, s0, e0):
                    continue
                mentions.append(
                    _Mention(s0, e0, full_name, "named", full_gender, False, is_subject(s0))
                )
    for j, a in enumerate(atts):
        src = a.get("source")
        if not src or a["kind"] == "pronoun" or src["text"].lower() in _PLATFORMS:
            continue
        head = head_noun(re.findall(r"[A-Za-z][A-Za-z.'’\-]*", src["text"].split(",")[0]))
        known = people.find(src["text"]) if people is not None else None
        plural = (
            a["kind"] in ("organization",)
            or (
                head.endswith("s")
                and not head.endswith("ss")
                and head not in ("news",)
                # "Sowers", "Sanders": a person's surname, not a plural
                and not (a["kind"] == "named" and src["text"][:1].isupper())
            )
            or " and " in src["text"]
        )
        gender = phrase_gender(src["text"]) or (known.gender if known else None)
        mentions.append(
            _Mention(src["start"], src["end"], src["text"], a["kind"], gender, plural, True, j)
        )
    for body in _BODY_PHRASE.finditer(text):
        if not _covered(mask, body.start(), body.end()):
            mentions.append(
                _Mention(
                    body.start(),
                    body.end(),
                    body.group(0),
                    "organization",
                    None,
                    True,
                    is_subject(body.start()),
                )
            )
    for ent in article.spans.get("entities", []):
        if (
            ent.label == "ORG"
            and text[ent.start : ent.end].lower() not in _PLATFORMS
            and not _covered(mask, ent.start, ent.end)
        ):
            mentions.append(
                _Mention(
                    ent.start,
                    ent.end,
                    text[ent.start : ent.end],
                    "organization",
                    None,
                    True,
                    is_subject(ent.start),
                )
            )
    for sent in article.sentences:
        group = _COORDINATED_SUBJECT.match(text, sent.start, sent.end)
        if group and not _covered(mask, group.start(1), group.end(1)):
            words = group.group(1).rstrip()
            named = people is not None and people.find(words) is not None
            conjunct = re.split(r"\s+(?:and|&)\s+", words)[0]
            # "Pfizer and Moderna": bodies where the first one is a body
            bodies = not named and classify_source(conjunct, [], people) == "organization"
            mentions.append(
                _Mention(
                    group.start(1),
                    group.start(1) + len(words),
                    words,
                    "named" if named else "organization" if bodies else "anonymous",
                    None,
                    True,
                    True,
                )
            )
        group = _PLURAL_SUBJECT.match(text, sent.start, sent.end)
        if group and not _covered(mask, group.start(1), group.end(1)):
            mentions.append(
                _Mention(
                    group.start(1), group.end(1), group.group(1), "anonymous", None, True, True
                )
            )
    mentions.sort(key=lambda m: m.start)
    # Every he/she that is a sentence's subject links a chain ("He met a source. He explained
    # ..."): they are resolved in text order with the attributions' pronouns, so a later "he"
    # finds the person the earlier one stood for.
    queue: list[tuple[int, dict[str, Any]]] = [
        (a["source"]["start"], a)
        for a in atts
        if a["kind"] == "pronoun" and a["source"] and not a.get("resolved_text")
    ]
    taken = {q[0] for q in queue}
    for hit in re.finditer(r"\b(?:[Hh]e|[Ss]he)\b", text):
        if (
            hit.start() not in taken
            and is_subject(hit.start())
            and not _covered(mask, hit.start(), hit.end())
        ):
            queue.append(
                (
                    hit.start(),
                    {"source": {"text": hit.group(0), "start": hit.start(), "end": hit.end()}},
                )
            )
    queue.sort(key=lambda q: q[0])
    for p, att in queue:
        pron = att["source"]["text"].lower()
        g = pronoun_gender(pron)
        k = sent_of(p)
        content = att.get("content") or {}
        said = content.get("text") or ""
        c_start, c_end = content.get("start", -1), content.get("end", -1)
        best: tuple[float, int, int, _Mention] | None = None
        for m in mentions:
            if m.end > p or m.start < p - 3000:
                continue
            if c_start <= m.start < c_end:
                # "The team will investigate ..., it said": a pronoun that says the words is
                # not someone inside them
                continue
            if g in ("m", "f"):
                if m.kind not in ("named", "named_role", "anonymous") or m.plural:
                    continue
                if m.gender and m.gender != g:
                    continue
                if m.kind == "named" and _named_in(said, m.text, text):
                    # "he said Haig lied": a speaker does not name himself in the third person
                    continue
                if m.kind == "named" and _OWN_CASE.search(said) and _is_counsel(text, m.text):
                    # "Saucier's lawyer, Ronald Daigle, said ... . 'My case was ...,' he said":
                    # the lawyer speaks of his client's case, the client of his own
                    continue
            elif g == "pl":
                if not (m.plural or m.kind == "organization" or _singular_they(text, m)):
                    continue
            elif g == "n":
                if m.kind not in ("organization", "document"):
                    continue
            else:
                continue
            d = k - sent_of(m.start)
            score = d - (1.0 if m.source_index is not None else 0.8 if m.subject else 0.0)
            if text[m.end : m.end + 2] in ("'s", "’s"):
                score += 0.6
            if g == "pl" and not m.plural and m.kind != "organization":
                # a person the article itself calls "they" (:func:`_singular_they`): that
                # evidence counts against a body or a group as near
                score -= 0.5
            if g == "n" and m.kind == "document" and _STATEMENT.search(m.text):
                if not _statement_owner(m.text):
                    # "X said in a statement. '...,' the statement said. It did not reveal
                    # ...": "it" is the body that issued the statement, where one was named
                    score += 1.5
            # ties: the source of an attribution, then a subject, then the nearer one
            rank = 0 if m.source_index is not None else 1 if m.subject else 2
            cand = (score, rank, -m.start, m)
            if best is None or cand[:3] < best[:3]:
                best = cand
        if best is None:
            continue
        m = best[3]
        if m.source_index is not None:
            ref = atts[m.source_index]
            att["resolved_to"] = m.source_index
            att["resolved_kind"] = ref.get("resolved_kind") or ref["kind"]
            att["resolved_text"] = ref.get("resolved_text") or ref["source"]["text"]
            holder = (
                _role_holder(text, ref, people) if att["resolved_kind"] == "named_role" else None
            )
            if holder:
                # "the prime minister ... he said": the role is the prime minister named before
                att["resolved_kind"], att["resolved_text"] = "named", holder
        else:
            att["resolved_kind"] = m.kind
            att["resolved_text"] = m.text
        owner = _statement_owner(att["resolved_text"]) if g == "n" else None
        if owner and att["resolved_kind"] == "document":
            # "..., said the ministry statement. ..., it said": the ministry
            att["resolved_kind"], att["resolved_text"] = "organization", owner
        if "kind" not in att:  # a chain link, not an attribution: kept only as a mention
            att["resolved_to"] = m.source_index
        # the pronoun is now a mention of the same one, for the pronouns after it
        mentions.append(
            _Mention(
                p,
                att["source"]["end"],
                att["resolved_text"],
                att["resolved_kind"],
                g if g in ("m", "f") else m.gender,
                m.plural,
                True,
                m.source_index,
            )
        )
        mentions.sort(key=lambda x: x.start)


def _singular_they(text: str, m: _Mention) -> bool:
    """A person written of as "they" by the article itself: an unnamed single person of
    unknown sex ("the professor") whom a clause calls "they" right after its speech verb ("the
    professor said they'd reexamine the assignment"). Such a "they" stands for that person, as
    a linguist reads singular "they"; a plural or a body needs no such evidence."""
    if m.kind not in ("named_role", "anonymous") or m.plural or m.gender:
        return False
    return _called_they(text, m.text)


@functools.lru_cache(maxsize=512)
def _called_they(text: str, phrase: str) -> bool:
    """Whether ``text`` has ``phrase``, a speech verb and "they" as its clause's subject."""
    return (
        re.search(
            re.escape(phrase) + r"\s+(?:\w+\s+){0,2}?(?:said|says|wrote|added|told\s+\w+|"
            r"promised|agreed)\s+(?:that\s+)?they(?:['’]d|['’]ll|\b)",
            text,
            re.I,
        )
        is not None
    )


# The words of a party to a case about it, in the first person: "my case", "my trial".
_OWN_CASE = re.compile(
    r"\b[Mm]y (?:case|trial|sentence|conviction|prosecution|arrest|pardon|indictment|plea|"
    r"charges|jail time|prison time)\b"
)
_COUNSEL = r"(?:lawyer|attorney|counsel|defen[cs]e attorney|defen[cs]e lawyer|solicitor|barrister)"


def _is_counsel(text: str, name: str) -> bool:
    """Whether the article gives ``name`` as someone's lawyer: "Saucier's lawyer, Ronald
    Daigle", "Daigle, Saucier's attorney", "Ronald Daigle, a lawyer for Saucier"."""
    surname = re.escape(name.split()[-1])
    return (
        re.search(
            rf"['’]s\s+{_COUNSEL},?\s+(?:[A-Z][\w.’'-]*\s+){{0,3}}{surname}\b"
            rf"|\b{surname},\s+(?:[A-Z][\w.’'-]*['’]s\s+|(?:a|an|the|his|her)\s+(?:\w+\s+)?)"
            rf"{_COUNSEL}\b",
            text,
        )
        is not None
    )


_TITLE_WORDS = frozenset(
    "Mr Mrs Ms Miss Dr Rep Sen Gov President Judge Chairman Senator Representative Prof Sir "
    "Lady Lord General Gen Col Capt Officer Detective Deputy Mayor Justice Secretary".split()
)


def _named_in(content: str, name: str, text: str) -> bool:
    """Whether ``content`` names the person ``name``: by full name, or by surname where no one
    else in ``text`` has that surname ("Candace Smith" may speak of "Smith", her husband)."""
    words = re.findall(r"[A-Z][\w'’\-]+", name)
    if not content or not words:
        return False
    surname = re.escape(words[-1])
    if len(words) > 1 and re.search(rf"\b{re.escape(words[-2])}\s+{surname}\b", content):
        return True
    if not re.search(rf"(?<![\w-]){surname}(?![\w-])", content):
        return False
    firsts = set(re.findall(rf"\b([A-Z][a-z]+)\.?\s+{surname}\b", text)) - _TITLE_WORDS
    return len(firsts) <= 1


# Role words and the titles the same office is written with before a name.
_ROLE_TITLES = {
    "lawmaker": r"Rep|Representative|Sen|Senator|Congressman|Congresswoman|Assemblyman|"
    r"Assemblywoman|lawmaker|legislator|MP",
    "congressman": r"Rep|Representative|Congressman",
    "congresswoman": r"Rep|Representative|Congresswoman",
    "senator": r"Sen|Senator",
    "minister": r"(?:Prime |Foreign |Defen[cs]e |Finance |Interior )?Minister|PM",
    "president": r"President",
    "governor": r"Gov|Governor",
    "mayor": r"Mayor",
    "judge": r"Judge|Justice",
    "chairman": r"Chairman|Chair",
    "secretary": r"Secretary",
}


def _role_holder(text: str, ref: dict[str, Any], people: People | None) -> str | None:
    """The named person a definite role source stands for ("the prime minister" -> "Viktor
    Orban"): of the people the article gives that role as a title ("Prime Minister Viktor
    Orban", "Rep. Scott Perry") or in an appositive ("Orban, the prime minister") before the
    source, the one so named last; else None."""
    src = (ref.get("source") or {}).get("text") or ""
    m = re.fullmatch(r"[Tt]he\s+(?:[a-z]+\s+){0,2}([a-z]+)", src.strip())
    if people is None or not m or m.group(1) not in _ROLE_TITLES:
        return None
    title = re.compile(rf"\b(?:{_ROLE_TITLES[m.group(1)]})\.?\s+(?:[A-Z][\w'’.\-]*\s+){{0,2}}$")
    appositive = re.compile(rf",\s+(?:the|a|an)\s+(?:[\w'’\-]+\s+){{0,3}}{m.group(1)}\b", re.I)
    best: tuple[int, str] | None = None
    for person in people.by_key.values():
        for s0, e0 in person.mentions:
            if s0 >= ref["source"]["start"]:
                continue
            if title.search(text[max(0, s0 - 40) : s0]) or appositive.match(text[e0 : e0 + 60]):
                if best is None or s0 > best[0]:
                    best = (s0, person.name)
    return best[1] if best else None


def effective_kind(att: dict[str, Any]) -> str:
    """The kind a pronoun stands for when resolved, else the kind itself."""
    return att.get("resolved_kind") or att["kind"]
