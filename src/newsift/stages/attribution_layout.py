"""Quotes laid out over lines: text relayed under an intro line, and quotes split over lines.

``attribution.v1`` reads sentence by sentence; these rules read the article's *lines* (the
paragraphs of web text, the one-sentence lines of wire copy), for constructions whose speaker is
on another line than the words:

- **intro blocks**: a line that ends with a colon and names who speaks ("Fox News reports:",
  "According to The Washington Post:", "In an email, Arnold asserted that ...:") and the lines
  under it that carry no quote marks: each sentence of them is the intro's speaker's (a relayed
  report keeps the attributions inside it as well: "A source told Fox News that ...");
- **speech nouns before a colon**: "The remarks that the Pope had made were: “...”" and "Her
  reply was: “...”": the quote after the colon, over as many lines as it runs, is the speaker's;
- **quotes split over lines**: a quote opened on one line and closed on a later line whose cue
  follows the closing mark (“You should have taken the settlement. / Now she's not getting a
  penny,” Bacon said): the lines before the cue's line are the cue's speaker's too.

:func:`apply_layout` is the stage's hook; it only adds attributions, for sentences that have none
covering them, and never credits words without a cue or a colon-ended intro naming a speaker.
"""

from __future__ import annotations

import bisect
import re
from typing import Any

from ..article import Article
from .cues import CUE_FORMS
from .names import People
from .sources import classify_source

# A relayed report's intro at the end of a line: "Fox News reports:", "..., the San Diego
# Union-Tribune reports:", "According to The Washington Post:", "As Reuters reported:".
_NAME = r"(?:[Tt]he\s+)?[A-Z][\w.&’'\-]*(?:\s+(?:of\s+|de\s+|the\s+)?[A-Z][\w.&’'\-]*){0,5}"
_RELAY_VERBS = (
    r"reports|reported|writes|wrote|notes|noted|explains|explained|adds|added|says|said|"
    r"continues|continued|states|stated|tweeted|posted|published|quotes|quoted|adds that|"
    r"reports that|writes that|wrote that|said that|says that|explains that"
)
_RELAY_INTRO = re.compile(
    rf"(?:^|(?<=[\s,;—–-]))(?:(?P<acc>[Aa]ccording\s+to|[Aa]s\s+reported\s+by|[Pp]er)\s+"
    rf"(?P<src>{_NAME})|(?:[Aa]s\s+)?(?P<src2>{_NAME})\s+(?P<cue2>{_RELAY_VERBS}))"
    r"(?:\s+(?:on|in|last|this|earlier)\s+[\w ]{2,30}?)?\s*:\s*$"
)
# A speech noun as the subject of "was/were" before a colon, with its speaker in a possessive
# or a relative clause: "The remarks that the Pope had made in January ... were:", "Trump's
# reply was:", "His message to the court read:".
_SPEECH_NOUN = (
    r"remarks?|words|statement|message|reply|response|answer|comments?|verdict|ruling|"
    r"tweet|post|letter|email|note|text|plea|warning|explanation|excuse|advice|question"
)
_NOUN_COLON = re.compile(
    rf"(?:(?P<poss>{_NAME})['’]s?\s+|\b(?:[Tt]he|[Hh]is|[Hh]er|[Tt]heir|[Ii]ts)\s+)"
    rf"(?:[a-z]+\s+)?(?P<noun>{_SPEECH_NOUN})\b"
    r"(?P<rel>\s+(?:that|which)\s+(?P<src>(?:the\s+)?[\w.’'\-]+(?:\s+[A-Z][\w.’'\-]*){0,3})\s+"
    r"(?:had\s+|has\s+|have\s+)?(?:made|said|wrote|written|gave|given|sent|posted|tweeted|"
    r"delivered|used|uttered|issued))?"
    r"[^:\n“”\"]{0,120}?\s(?:were|was|read|reads|went|is|are)\s*:\s*(?=[“\"])"
)
# Lines where the outlet takes the word back: "Of course, ...", "In fact, ...", "Exactly!".
_OUTLET_TURN = re.compile(
    r"^\W*(?:Of course|In fact|Indeed|Exactly|Clearly|Obviously|Sadly|Thankfully|Fortunately|"
    r"Unfortunately|Interestingly|Needless to say|Meanwhile|Update|Editor['’]s note|Note|Ah|Oh|"
    r"Wow|Yes,|No,)\b"
    r"|^\W*\w+(?:\s+\w+){0,2}\s*!+\s*$"
)
# An embedded post's credit or link ("— Jo (@jo) May 3, 2024", "pic.twitter.com/..."): the post
# rules read it; a block never runs past it.
_POST_FURNITURE = re.compile(r"\(@\w{1,30}\)|pic\.twitter\.com/|https?://t\.co/")
_QUOTE_MARK = re.compile(r"[\"“”„«»]")
_LABEL = re.compile(r"^\s*[A-Z][\w’'.\-]*(?:\s+[A-Z][\w’'.\-]*){0,3}\s*:\s*\S")
# At most this many lines under one intro are its speaker's: a block longer than that is more
# likely the outlet's own text going on than a relayed excerpt.
MAX_BLOCK_LINES = 8
# Person sources whose words are pasted: an own attribution in a line ends the block.
_REPORT_CUES = frozenset(
    "report reports reported write writes wrote according publish published quote quotes".split()
)


# A block line is a sentence: it ends with a full stop, a question or exclamation mark or an
# ellipsis (before a closing mark or bracket). A list item (bullet, dash, number) or a line of
# page furniture ("take our poll - story continues below", "Email *") ends the block.
_SENTENCE_END = re.compile(r"[.!?…][\"”’')\]]*\s*$")
_LIST_ITEM = re.compile(r"^\s*(?:[•*·▪◦‣-]|[—–]\s|\d{1,2}[.)]\s|[a-z][.)]\s)")
# The outlet's own voice inside a relayed report: first person singular outside quotes, or a
# rhetorical question or exclamation.
_FIRST_PERSON = re.compile(r"\b(?:I|I['’](?:m|ve|d|ll)|me|my|mine)\b")


def _outside_quotes(line: str) -> str:
    return re.sub(r"[“\"][^”\"]*[”\"]", " ", line)


def _lines(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in re.finditer(r"[^\n]+", text)]


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and (text[s].isspace() or text[s] in "\"“”„«»'‘’"):
        s += 1
    while e > s and (text[e - 1].isspace() or text[e - 1] in "\"“”„«»'‘’"):
        e -= 1
    return s, e


def _sentence_of(starts: list[int], offset: int) -> int:
    return max(0, bisect.bisect_right(starts, offset) - 1)


def _pieces(article: Article, s: int, e: int) -> list[tuple[int, int]]:
    """The sentences of ``article`` clipped to [s, e), trimmed of spaces and quote marks."""
    out = []
    for sent in article.sentences:
        if sent.end <= s or sent.start >= e:
            continue
        a, b = _trim(article.text, max(s, sent.start), min(e, sent.end))
        if b - a >= 2 and re.search(r"\w{2,}", article.text[a:b]):
            out.append((a, b))
    if not out and article.text[s:e].strip():
        a, b = _trim(article.text, s, e)
        if b - a >= 2:
            out.append((a, b))
    return out


def _covered_by(atts: list[dict[str, Any]], s: int, e: int) -> bool:
    """Some attribution's content already covers most of [s, e)."""
    for a in atts:
        c = a.get("content")
        if not c:
            continue
        ov = min(e, c["end"]) - max(s, c["start"])
        if ov > 0.5 * (e - s):
            return True
    return False


def _speaker_fields(att: dict[str, Any]) -> dict[str, Any]:
    out = {"source": dict(att["source"]) if att.get("source") else None, "kind": att["kind"]}
    for key in ("resolved_text", "resolved_kind"):
        if key in att:
            out[key] = att[key]
    return out


def _intro_speaker(
    article: Article,
    ls: int,
    le: int,
    atts: list[dict[str, Any]],
    people: People | None,
) -> tuple[dict[str, Any], bool, dict[str, Any] | None] | None:
    """Who speaks in the lines under the colon-ended line [ls, le): (speaker fields with a cue,
    whether it is a relayed report, an attribution for the words before the intro or None)."""
    text = article.text
    m = _RELAY_INTRO.search(text, ls, le)
    if m is not None:
        g = "src" if m.group("src") else "src2"
        ss, se = m.start(g), m.end(g)
        cue = (m.start("acc"), m.end("acc")) if m.group("acc") else (m.start("cue2"), m.end("cue2"))
        name = text[ss:se]
        if name.split()[0].lower() in {"he", "she", "they", "it", "i", "we"}:
            return None
        kind = classify_source(name, [], people)
        last = re.findall(r"[A-Z][\w’'-]*", name)[-1].lower()
        proper = all(w[0].isupper() for w in name.split() if w.lower() not in ("the", "of"))
        if (
            kind in ("named", "document", "named_role")
            and proper
            and (people is None or last not in people.by_key or name.lower().startswith("the "))
        ):
            # a proper name that reports and is no person the article names (or one written
            # with "the"): a news outlet ("The Washington Post reports:", "the San Diego
            # Union-Tribune reports:")
            kind = "organization"
        fields = {
            "source": article.ref(ss, se),
            "kind": kind,
            "cue": article.ref(*cue),
        }
        for a in atts:  # the intro line's own reading of the same source ("..., X reports:")
            if a.get("source") and (a["source"]["start"], a["source"]["end"]) == (ss, se):
                a["kind"] = kind
        lead = None
        before = text[ls : m.start()].rstrip(" ,;—–-")
        if not m.group("acc") and len(before.split()) >= 3 and m.start() > ls:
            bs, be = _trim(text, ls, ls + len(before))
            if not _covered_by(atts, bs, be):
                lead = {**fields, "content": article.ref(bs, be), "quote": False}
        return fields, True, lead
    # a sentence attribution whose cue is on the intro line: "Arnold asserted that ...:"
    own = [
        a
        for a in atts
        if a.get("cue") and a.get("source") and ls <= a["cue"]["start"] < le and not a.get("post")
    ]
    if not own:
        return None
    att = max(own, key=lambda a: a["cue"]["start"])
    cue_word = att["cue"]["text"].split()[0].lower() if att["cue"]["text"].split() else ""
    fields = _speaker_fields(att)
    fields["cue"] = dict(att["cue"])
    return fields, cue_word in _REPORT_CUES, None


def intro_blocks(
    article: Article, atts: list[dict[str, Any]], people: People | None
) -> list[dict[str, Any]]:
    """Attributions for the lines under a colon-ended intro line that names a speaker.

    The block is the run of lines after the intro, at most :data:`MAX_BLOCK_LINES`, that hold
    no quote mark at their start; it ends at a new colon-ended line, a transcript label, a line
    where the outlet takes the word back ("Of course, ...", "Exactly!") and, for a person's
    pasted words (not a relayed report), at a line with a speaker and cue of its own.
    """
    text = article.text
    lines = _lines(text)
    starts = [s.start for s in article.sentences]
    out: list[dict[str, Any]] = []
    for n, (ls, le) in enumerate(lines):
        line = text[ls:le].rstrip()
        if not line.endswith(":") or line.endswith("::") or _LABEL.match(line + " x"):
            continue
        if n + 1 >= len(lines) or _QUOTE_MARK.match(
            text[lines[n + 1][0] : lines[n + 1][1]].lstrip()
        ):
            continue  # "X said:" and a quote below: the quote rules read it
        found = _intro_speaker(article, ls, le, atts, people)
        if found is None:
            continue
        fields, relayed, lead = found
        if lead is not None:
            lead["sentence"] = _sentence_of(starts, lead["content"]["start"])
            out.append(lead)
        for bs, be in lines[n + 1 : n + 1 + MAX_BLOCK_LINES]:
            body = text[bs:be].strip()
            if (
                body.endswith(":")
                or _QUOTE_MARK.match(body)
                or _LABEL.match(body)
                or _OUTLET_TURN.match(body)
                or _LIST_ITEM.match(body)
                or not _SENTENCE_END.search(body)
                or not re.search(r"[a-z]{2,}", body)
                or _POST_FURNITURE.search(body)
            ):
                break
            if relayed and (
                _FIRST_PERSON.search(_outside_quotes(body))
                or body.rstrip("”\"’') ").endswith(("?", "!"))
            ):
                break  # the writer speaks again: "While I applaud ...", "Of course not!"
            own = [
                a for a in atts if a.get("cue") and a.get("source") and bs <= a["cue"]["start"] < be
            ]
            if own and (not relayed or any(a.get("quote") for a in own)):
                break  # a speaker of its own ends pasted words; a quoted one ends a report too
            for cs, ce in _pieces(article, bs, be):
                if any(
                    a.get("post") and a["content"]["start"] <= cs and ce <= a["content"]["end"] + 1
                    for a in atts
                ):
                    continue  # a post's line: the post's author speaks it
                att = {
                    **{k: (dict(v) if isinstance(v, dict) else v) for k, v in fields.items()},
                    "content": article.ref(cs, ce),
                    "sentence": _sentence_of(starts, cs),
                    "quote": True,
                    "block": True,
                }
                out.append(att)
    return out


def noun_colon_quotes(
    article: Article,
    atts: list[dict[str, Any]],
    mask: list[tuple[int, int]],
    people: People | None,
) -> list[dict[str, Any]]:
    """Attributions for a quote after "<speaker's> remarks were:" (a speech noun, no verb)."""
    text = article.text
    starts = [s.start for s in article.sentences]
    out: list[dict[str, Any]] = []
    for m in _NOUN_COLON.finditer(text):
        g = "poss" if m.group("poss") else ("src" if m.group("src") else None)
        if g is None:
            continue
        ss, se = m.start(g), m.end(g)
        name = text[ss:se]
        if name.split()[0].lower() in {"the", "a", "an"} and len(name.split()) == 1:
            continue
        quote = next(((a, b) for a, b in mask if m.end() < a <= m.end() + 2), None)
        if quote is None:
            continue
        kind = classify_source(name, [], people)
        src_ref, cue_ref = article.ref(ss, se), article.ref(m.start("noun"), m.end("noun"))
        for cs, ce in _pieces(article, *quote):
            if any(
                a.get("source")
                and a.get("content")
                and min(ce, a["content"]["end"]) - max(cs, a["content"]["start"]) > 0.5 * (ce - cs)
                for a in atts
            ):
                continue
            out.append(
                {
                    "source": dict(src_ref),
                    "kind": kind,
                    "cue": dict(cue_ref),
                    "content": article.ref(cs, ce),
                    "sentence": _sentence_of(starts, cs),
                    "quote": True,
                }
            )
    return out


# What follows a closing quote mark when it only names the speaker: '..., ” he tweeted
# sarcastically.', '...,” Bacon said in court.'
_TAIL_CUE = re.compile(
    r"[\s,”\"’']*(?P<src>[Hh]e|[Ss]he|[Tt]hey|(?:[Tt]he\s+)?[A-Z][\w.’'\-]*(?:\s+[A-Z][\w.’'\-]*){0,3})"
    r"\s+(?:\w+ly\s+)?(?P<cue>said|says|wrote|writes|tweeted|tweets|posted|added|adds|explained|"
    r"asked|replied|continued|noted|told\s+\w+)\b[^\n“”\"]{0,80}$"
)


def _tail_cue(
    article: Article, qe: int, line_end: int, people: People | None
) -> dict[str, Any] | None:
    """The speaker named after a quote's closing mark, to the end of its line, else None."""
    m = _TAIL_CUE.match(article.text, qe, line_end)
    if m is None:
        return None
    name = m.group("src")
    return {
        "source": article.ref(m.start("src"), m.end("src")),
        "kind": classify_source(name, [], people),
        "cue": article.ref(m.start("cue"), m.end("cue")),
    }


def split_quote_lines(
    article: Article,
    atts: list[dict[str, Any]],
    mask: list[tuple[int, int]],
    people: People | None = None,
) -> list[dict[str, Any]]:
    """Attributions for the lines of a quote that runs over several lines before its cue.

    For a quoted stretch (``mask``) that crosses a line break and whose last line holds an
    attribution with a source and a cue right after the closing mark, the sentences of the
    stretch on the earlier lines that no attribution covers are that speaker's. Where no
    attribution reads the last line but it names a speaker and a cue after the closing mark
    ('Right,” he tweeted'), the whole quote is that speaker's.
    """
    text = article.text
    starts = [s.start for s in article.sentences]
    out: list[dict[str, Any]] = []
    for qs, qe in mask:
        if "\n" not in text[qs:qe].strip() or qe >= len(text) or text[qe] not in '”"»':
            continue  # one line, or a quote the mask cut at a paragraph (no closing mark)
        last_line_start = text.rfind("\n", qs, qe) + 1
        line_end = text.find("\n", qe)
        line_end = len(text) if line_end < 0 else line_end
        donor = None
        for a in atts:
            cue, c = a.get("cue"), a.get("content")
            if not (cue and c and a.get("source")) or a.get("block") or a.get("interview"):
                continue
            if not (qe <= cue["start"] <= min(line_end, qe + 80)):
                continue
            if c["start"] >= last_line_start - 1 and c["start"] < qe:
                donor = a
                break
        end = last_line_start
        if donor is None:
            donor = _tail_cue(article, qe, line_end, people)
            end = qe  # no reading of the last line either: the whole quote is the tail's
        if donor is None:
            continue
        for cs, ce in _pieces(article, qs, end):
            if _covered_by(atts, cs, ce) or _covered_by(out, cs, ce):
                continue
            att = {
                **_speaker_fields(donor),
                "cue": dict(donor["cue"]),
                "content": article.ref(cs, ce),
                "sentence": _sentence_of(starts, cs),
                "quote": True,
                "continued_from_sentence": donor.get("sentence"),
            }
            out.append(att)
    return out


def said_of_quotes(
    article: Article, atts: list[dict[str, Any]], mask: list[tuple[int, int]]
) -> list[dict[str, Any]]:
    """Mend ``"...?" Bacon said of Jamal's misstatement``: where a sentence opens with the
    speaker right after a closing quote mark and the words after the cue are only "of/about X"
    (what the quote was said of), the content is the quote, not the phrase. Changes those
    attributions in place and returns the extra ones for a quote of several sentences."""
    text = article.text
    starts = [s.start for s in article.sentences]
    out: list[dict[str, Any]] = []
    for a in atts:
        src, cue, c = a.get("source"), a.get("cue"), a.get("content")
        if not (src and cue and c) or a.get("quote") or src["start"] > cue["start"]:
            continue
        if not re.match(r"(?:of|about)\s", c["text"]) or text[cue["end"] : c["start"]].strip():
            continue
        quote = next(
            (
                (qs, qe)
                for qs, qe in mask
                if 0 <= src["start"] - qe <= 6
                and re.fullmatch(r"[\s,”\"’']*", text[qe : src["start"]])
            ),
            None,
        )
        if quote is None:
            continue
        pieces = _pieces(article, *quote)
        if not pieces:
            continue
        for n, (cs, ce) in enumerate(pieces):
            target = a if n == 0 else {**_speaker_fields(a), "cue": dict(cue)}
            target.update(
                content=article.ref(cs, ce), sentence=_sentence_of(starts, cs), quote=True
            )
            if n:
                out.append(target)
    return out


# Speech verbs that take a person or a phrase before their that-clause ("notified congressmen
# that ...", "attested on the certificate that ...", "told the court on Monday that ...").
_OBJECT_THAT_LEMMAS = frozenset(
    """tell inform notify assure warn attest testify write say state claim report announce admit
    confirm explain argue insist stress note reply promise vow allege declare""".split()
)


# Parse roles a cue word has as a noun or modifier ("the note", "a written reply"), not a verb.
_NOT_VERB_DEPS = frozenset(
    {"amod", "compound", "nsubj", "nsubjpass", "dobj", "pobj", "det", "attr"}
)


def object_that_clauses(
    article: Article, atts: list[dict[str, Any]], people: People | None
) -> list[dict[str, Any]]:
    """Attributions for a speech verb whose that-clause the parse hung on the object or a phrase
    after the verb (an ``acl``/``relcl`` of "congressmen", of "company") rather than on the verb:
    the clause after "that" is the subject's words. Only where no attribution has that cue."""
    from .nlp import parsed_sentence  # the parse is cached per sentence by nlp.v1

    taken = {a["cue"]["start"] for a in atts if a.get("cue")}
    out: list[dict[str, Any]] = []
    for i, sent in enumerate(article.sentences):
        stext = article.text[sent.start : sent.end]
        if not re.search(r"\bthat\b", stext) or not CUE_FORMS.keys() & set(stext.lower().split()):
            continue
        doc = parsed_sentence(article, i)
        if doc is None:
            continue
        for tok in doc:
            lemma = CUE_FORMS.get(tok.lower_)
            if lemma not in _OBJECT_THAT_LEMMAS or sent.start + tok.idx in taken:
                continue
            if tok.dep_ in _NOT_VERB_DEPS or any(c.dep_ == "neg" for c in tok.children):
                continue
            subj = [c for c in tok.children if c.dep_ == "nsubj" and c.i < tok.i]
            if not subj or subj[0].lower_ in ("who", "which", "that", "what"):
                continue
            if any(c.dep_ == "ccomp" for c in tok.children):
                continue  # the sentence rules read the verb's own clause
            subtree = {t.i for t in tok.subtree}
            mark = next(
                (
                    t
                    for t in doc[tok.i + 1 : tok.i + 14]
                    if t.lower_ == "that"
                    and t.dep_ == "mark"
                    and t.head.i in subtree
                    and t.head.dep_ in ("acl", "relcl", "advcl")
                ),
                None,
            )
            if mark is None or any(
                t.dep_ in ("conj", "ccomp", "advcl") and t.i in subtree and t.head.i == tok.i
                for t in doc[tok.i + 1 : mark.i]
            ):
                continue
            head = mark.head
            cs, ce = _trim(
                article.text,
                sent.start + mark.idx + len(mark),
                sent.start + head.right_edge.idx + len(head.right_edge),
            )
            ss = sent.start + subj[0].left_edge.idx
            se = sent.start + subj[0].right_edge.idx + len(subj[0].right_edge)
            ss, se = _trim(article.text, ss, se)
            cut = re.search(r",\s*(?:who|whose|whom|which|where)\b", article.text[ss:se])
            if cut:
                se = ss + cut.start()
            if ce - cs < 8 or se <= ss:
                continue
            out.append(
                {
                    "source": article.ref(ss, se),
                    "kind": classify_source(article.text[ss:se], [], people),
                    "cue": article.ref(sent.start + tok.idx, sent.start + tok.idx + len(tok)),
                    "content": article.ref(cs, ce),
                    "sentence": i,
                    "quote": False,
                }
            )
    return out


def apply_layout(
    article: Article,
    atts: list[dict[str, Any]],
    mask: list[tuple[int, int]],
    people: People | None,
) -> None:
    """Add the layout attributions (intro blocks, speech nouns before a colon, quotes split over
    lines) to ``atts`` in place; the stage calls this after its sentence and quote-run rules."""
    atts.extend(said_of_quotes(article, atts, mask))
    atts.extend(object_that_clauses(article, atts, people))
    atts.extend(noun_colon_quotes(article, atts, mask, people))
    atts.extend(split_quote_lines(article, atts, mask, people))
    atts.extend(intro_blocks(article, atts, people))
