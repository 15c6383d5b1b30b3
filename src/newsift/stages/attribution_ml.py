"""Attribution beyond English: quotes and reported speech in ru, uk, de, fr, es and pl.

There is no dependency parser or NER for these languages here, so ``attribution.v1`` reads them
with rules over words, punctuation and word lists (:mod:`.attribution_lexicons`):

- each language's quote marks (« », „ “, „ ”, » «, ‚ ‘, straight marks) and dialogue dashes
  (a paragraph that opens with — or –: ``— Text, — сказала X.``, ``—Texto —dijo X—.``);
- a quote with its cue after it (``«...», — заявил X``, ``„...“, sagte X``, ``« ... », a déclaré
  X``) or before it with a colon (``X заявил: «...»``);
- reported speech: ``X cue, что/dass/que/że/що ...``, German ``X erklärte, ...`` (verb-second
  reported speech), inverted clauses (``Как сообщили в X, ...``, ``Wie X berichtete, ...``),
  "about this" (``Об этом заявил X`` credits the sentence before);
- source phrases: ``по словам X``, ``по данным X``, ``согласно X``, ``laut X``, ``nach Angaben
  X``, ``X zufolge``, ``selon X``, ``d'après X``, ``según X``, ``de acuerdo con X``, ``według
  X``, ``zdaniem X``, and German ``..., so X.``;
- continued quotes keep the speaker of the quote before them; in German, a sentence in reported
  speech (Konjunktiv I: ``Er sei ...``) after an attribution keeps its speaker;
- kinds (``named``, ``named_role``, ``organization``, ``anonymous``, ``document``, ``pronoun``,
  the same as English) from word lists and capitalisation; ``vague`` marks sources that name no
  one at all (experts, media, users).

Records have the English schema (``source``, ``kind``, ``cue``, ``content``, ``sentence``,
``quote``, with ``continued_from_sentence``, ``resolved_text``/``resolved_kind``/``resolved_to``,
``hedge`` where they apply) plus ``language``. An attribution always has a cue: a quote with no
cue and no quote before it to continue is left to the outlet.
"""

from __future__ import annotations

import bisect
import re
from typing import Any

from ..article import Article
from .attribution_lexicons import LANGUAGES

SUPPORTED = frozenset(LANGUAGES)
MAX_QUOTE_CHARS = 3000
WORD = re.compile(r"\w+(?:[-'’]\w+)*")
_DASHES = "—–-"
_ENDS = re.compile(r"(?<=[.!?…])([\"“”»«’)]*)\s+(?=[\"„“«»‚(—–\-]*\s*[A-ZÀ-ÖØ-ÞА-ЯЁЄІЇҐ0-9])")
_ABBREV = frozenset(
    """г гг т тт др пр им ул д стр св ст см ср млн млрд тыс руб долл проф акад
    dr prof nr bzw z b u a ca st hl vgl abs ggf inkl mio mrd
    m mme mlle st etc cf av p
    sr sra srta dña d ud uds av pág
    ks ul tys mln mld proc np tzw prof red ok""".split()
)
# German Konjunktiv I (and II) finite forms that carry reported speech without a cue.
KONJUNKTIV = frozenset(
    """sei seien seiest habe werde könne müsse solle wolle dürfe gebe liege stehe gehe komme
    wisse bleibe sehe mache brauche verfüge handle fehle zeige gelte trage lasse nehme halte
    erwarte plane arbeite benötige bestehe hätten wäre wären würde würden könnten müssten
    sollten""".split()
)
DE_PREPS = frozenset(
    """am im in an auf aus bei mit nach seit von vor zu zum zur über unter gegenüber während
    wegen trotz dazu dabei daraufhin zuvor später gestern heute damals anschließend außerdem
    zudem weiter jetzt nun inzwischen mittlerweile bereits schon ähnlich hier dort dann danach
    deshalb daher trotzdem allerdings zugleich zunächst schließlich ebenso gleichzeitig damit
    demnach dagegen""".split()
)
_SOURCE_NOUNS = frozenset(
    """angaben informationen ansicht meinung worten aussagen aussage einschätzung auffassung
    darstellung erkenntnissen berichten""".split()
)
DE_ADVERBS = frozenset(
    """damals gestern heute bereits schon erst kürzlich zuletzt jedoch aber auch noch nun
    außerdem zudem dagegen dabei ebenfalls bislang zuvor unterdessen indes derweil dazu
    also""".split()
)
_DE_PARTICIPLES = frozenset(
    """angekündigt mitgeteilt hingewiesen bekanntgegeben eingeräumt festgestellt klargestellt
    zugegeben gewarnt bestätigt behauptet geäußert geschrieben gesprochen kritisiert versichert
    dementiert bestritten angegeben""".split()
)
KONJUNKTIV_I = frozenset(
    """sei seien habe werde könne müsse solle wolle dürfe gebe liege stehe gehe komme wisse
    bleibe sehe handle fehle zeige gelte brauche""".split()
)
_SPEECH_ACT = re.compile(
    r"(?i)(?:forder|kritisier|bestreit|bestritt|dementier|bestätig|begrüß|verurteil|warn|"
    r"kündig|lehnt|lehnte|spricht|sprach|fordert|verlangt|beklagt|warf|wirft|bezeichne|nannte|nennt|"
    r"streitet|stritt|widersprach|räumte|gab)\w*$"
)
_DE_NAMING = frozenset(
    """nannte nennt nannten bezeichnete bezeichnet bezeichneten sprach spricht sprachen
    charakterisierte kritisierte kritisiert warnte warnt konstatierte lobte""".split()
)
_CONJUNCTIONS = frozenset("и і й та und et y i oraz a".split())
DETERMINERS = frozenset(
    """der die das des dem den ein eine einer eines einem einen le la les l un une des du de
    el los las lo unos unas del al""".split()
)


# unnamed sources written with where they sit ("источник в правительстве", "джерело в СБУ")
_PLACED_SOURCES = ["источник", "собеседник", "джерел", "співрозмовник"]
# indefinite articles: "eine Pflegerin", "une source", "un portavoz" name no one
_INDEFINITE = frozenset("ein eine einer eines einem einen un une una unos unas".split())
# title abbreviations whose full stop does not end a source: "M. Girard", "Dr. Weber"
_TITLE_ABBR = frozenset("m mme mlle me dr pr prof sr sra dra hr fr st".split())


def word_spans(text: str, s: int, e: int) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group(0)) for m in WORD.finditer(text, s, e)]


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    junk = " \t\n,;:.…" + _DASHES + "«»„“”‚‘’\"'‹›"
    while s < e and text[s] in junk:
        s += 1
    while e > s and text[e - 1] in junk:
        e -= 1
    return s, e


def trim_content(text: str, s: int, e: int) -> tuple[int, int]:
    """Content without the sentence's final full stop, leading punctuation and dashes."""
    junk = " \t\n,;:" + _DASHES
    while s < e and text[s] in junk:
        s += 1
    while e > s and text[e - 1] in " \t\n,;:" + _DASHES:
        e -= 1
    if e - s > 2 and text[e - 1] == "." and not text[e - 2].isupper():
        e -= 1
    while e > s and text[e - 1] in " \t\n,;:" + _DASHES:
        e -= 1
    return s, e


def _comma(text: str, s: int, e: int) -> int:
    """The first comma in ``text[s:e]`` that ends a phrase (not one inside a number), or -1."""
    m = re.compile(r",(?!\d)").search(text, s, e)
    return m.start() if m else -1


def _stem_in(word: str, stems: list[str]) -> bool:
    w = word.lower()
    return any(w.startswith(st) for st in stems)


def find_quotes(
    text: str, start: int, end: int, pairs: list[tuple[str, str]]
) -> tuple[list[tuple[int, int]], list[str]]:
    """Top-level quotes in ``text[start:end]`` (one paragraph): content offsets, marks excluded.

    A mark opens a quote with the closers its language pairs with it; the same opener inside
    nests. A quote never closed runs to the paragraph end; a quote over
    :data:`MAX_QUOTE_CHARS` is not taken for one (a stray mark), and both are reported.
    """
    closers: dict[str, set[str]] = {}
    for o, c in pairs:
        closers.setdefault(o, set()).add(c)
    marks = set(closers) | {c for cs in closers.values() for c in cs}
    out: list[tuple[int, int]] = []
    problems: list[str] = []
    open_at: int | None = None
    opener = ""
    depth = 0
    for i in range(start, end):
        ch = text[i]
        if ch not in marks:
            continue
        if open_at is not None:
            if ch in closers[opener] and not (ch == '"' and _straight_opens(text, i)):
                if depth:
                    depth -= 1
                    continue
                if i - open_at <= MAX_QUOTE_CHARS:
                    out.append((open_at, i))
                else:
                    problems.append(f"a quote of {i - open_at:,} characters was not read as one")
                open_at = None
            elif ch == opener:
                depth += 1
            continue
        if ch in closers and (ch != '"' or _straight_opens(text, i)):
            open_at, opener, depth = i + 1, ch, 0
    if open_at is not None:
        if end - open_at <= MAX_QUOTE_CHARS and end > open_at:
            out.append((open_at, end))
        problems.append(f"a quote mark ({opener}) was not closed in its paragraph")
    return [(s, e) for s, e in out if text[s:e].strip()], problems


def _straight_opens(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    return before.isspace() or before in "([—–-:"


def _dash_quotes(text: str, s: int, e: int) -> list[tuple[int, int]]:
    """Spoken parts of a dialogue paragraph (``— Words, — said X. — More words.``)."""
    if s >= e or text[s] not in _DASHES:
        return []
    if text[s] == "-" and not text[s + 1 : s + 2].isspace():
        return []
    parts = [m.start() for m in re.finditer(r"(?:^|\s)[—–-](?=\s|\w)|[—–](?=[.,]?\s*$)", text[s:e])]
    bounds = [s + p for p in parts] + [e]
    out = []
    for k in range(0, len(bounds) - 1, 2):  # speech, narrative, speech, ...
        a, b = bounds[k], bounds[k + 1]
        a += len(text[a:b]) - len(text[a:b].lstrip(" —–-"))
        if b > a:
            out.append((a, b))
    return out


class _Units:
    """Sentence-like units that never cut a quote, with their sentence indices."""

    def __init__(self, article: Article, quotes: list[tuple[int, int]]) -> None:
        text = article.text
        sents = [(x.start, x.end) for x in article.sentences] or _regex_sentences(text)
        units: list[tuple[int, int]] = []
        for s, e in sents:
            if units:
                ps, pe = units[-1]
                inside = any(a < pe and b > s and a <= pe for a, b in quotes if a < s)
                nxt = text[s:e].lstrip()
                tail_cue = nxt[:1] in _DASHES + "," and "\n" not in text[pe:s]
                if "\n" not in text[pe:s] and (inside or nxt[:1].islower() or tail_cue):
                    units[-1] = (ps, e)
                    continue
            units.append((s, e))
        self.units = units
        self.sent_starts = [s for s, _ in sents]

    def sentence_of(self, pos: int) -> int:
        return max(0, bisect.bisect_right(self.sent_starts, pos) - 1)


def _regex_sentences(text: str) -> list[tuple[int, int]]:
    out = []
    for pm in re.finditer(r"[^\n]+", text):
        start = pm.start()
        for m in _ENDS.finditer(text, pm.start(), pm.end()):
            word = re.search(r"(\w+)\W*$", text[start : m.start()])
            if word and (word.group(1).lower() in _ABBREV or len(word.group(1)) == 1):
                continue
            out.append(_trim_ws(text, start, m.end(1)))
            start = m.end()
        out.append(_trim_ws(text, start, pm.end()))
    return [(s, e) for s, e in out if e > s]


def _trim_ws(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


class Intervals:
    """Half-open ``(start, end)`` spans, sorted, with the ones overlapping ``[s, e)`` found by
    bisection: an article with thousands of quotes asked about each of its units and
    candidates no longer scans every quote each time (a 2,000-quote article took minutes)."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        self.spans = sorted(spans)
        self.starts = [a for a, _ in self.spans]
        self.max_end: list[int] = []  # the largest end among the spans up to each index
        for _, b in self.spans:
            self.max_end.append(max(b, self.max_end[-1]) if self.max_end else b)

    def overlapping(self, s: int, e: int) -> list[tuple[int, int]]:
        """The spans with ``start < e`` and ``end > s``, in sorted order (what filtering the
        sorted list gives)."""
        lo = bisect.bisect_right(self.max_end, s)  # every span before ends at or before s
        hi = bisect.bisect_left(self.starts, e)  # every span from here starts at or after e
        return [(a, b) for a, b in self.spans[lo:hi] if b > s]


class Reader:
    """The attributions of one article in one supported language."""

    def __init__(self, article: Article, lang: str) -> None:
        self.article = article
        self.text = article.text
        self.lang = lang
        self.lex = LANGUAGES[lang]
        self.cues: set[str] = self.lex["cues"]
        self.problems: list[str] = []
        self._lower_words: set[str] | None = None
        self.quotes: list[tuple[int, int]] = []
        self.dash: list[tuple[int, int]] = []
        for pm in re.finditer(r"[^\n]+", self.text):
            qs, probs = find_quotes(self.text, pm.start(), pm.end(), self.lex["quotes"])
            self.quotes += qs
            self.problems += probs
            self.dash += _dash_quotes(self.text, *_trim_ws(self.text, pm.start(), pm.end()))
        self.dash = [self._dash_end(a, b) for a, b in self.dash]
        self.quotes = [part for a, b in self.quotes for part in self._incise(a, b)]
        self.units = _Units(article, self.quotes + self.dash)
        self.markers = [
            (re.compile(r"(?<!\w)" + rx + r"(?!\w)", re.I), where)
            for rx, where in self.lex["markers"]
        ]
        self.pron_markers = [
            re.compile(r"(?<!\w)" + rx + r"(?!\w)", re.I) for rx in self.lex.get("pron_markers", [])
        ]

    def _incise(self, a: int, b: int) -> list[tuple[int, int]]:
        """« Words, a estimé X. More words. »: the cue and speaker inside the marks split the
        quote in two (French and Spanish style)."""
        aux = "|".join(re.escape(x) for x in self.lex.get("aux", []))
        rx = r",\s+(?:(?:" + aux + r")\s+)?" if aux else r",\s+"
        for m in re.finditer(
            rx + r"(\w+(?:-t-\w+|-\w+)?)\s+([^.,;:!?]{2,80}?)([.,;])\s", self.text[a:b]
        ):
            verb = m.group(1).lower().split("-")[0]
            if verb in self.cues and m.group(2)[:1].strip():
                return [(a, a + m.start()), (a + m.end(), b)]
        return [(a, b)]

    def _dash_end(self, a: int, b: int) -> tuple[int, int]:
        """A dialogue line with one dash ends where its cue comes: "— Words, assure X."."""
        for m in re.finditer(r",\s+((?:\w+['’]?\s+){0,2}?)(\w+)", self.text[a:b]):
            if m.group(2).lower() in self.cues:
                return a, a + m.start()
        return a, b

    # -- helpers -------------------------------------------------------------------------
    def in_quote(self, pos: int) -> bool:
        """Whether ``pos`` is inside a quote or a dialogue line."""
        key = (id(self.quotes), len(self.quotes), id(self.dash), len(self.dash))
        if getattr(self, "_quoted_key", None) != key:
            self._quoted = Intervals(self.quotes + self.dash)
            self._quoted_key = key
        return bool(self._quoted.overlapping(pos, pos + 1))

    def ref(self, s: int, e: int) -> dict[str, Any]:
        return self.article.ref(s, e)

    def make(
        self,
        src: tuple[int, int] | None,
        cue: tuple[int, int],
        content: tuple[int, int],
        *,
        quote: bool | None = None,
    ) -> dict[str, Any] | None:
        cs, ce = trim_content(self.text, *content)
        # one quoted word is a quotation in Russian and Ukrainian news («Да», — сообщил Песков)
        least = 1 if quote and self.lang in ("ru", "uk") else 2
        if len(WORD.findall(self.text[cs:ce])) < least:
            return None
        if src is not None:
            src = _trim(self.text, *src)
            if src[1] <= src[0] or not WORD.search(self.text[src[0] : src[1]]):
                src = None
        if quote is None:
            covered = sum(max(0, min(ce, b) - max(cs, a)) for a, b in self.quotes + self.dash)
            quote = covered >= 0.6 * max(1, ce - cs)
        phrase = self.text[src[0] : src[1]] if src else ""
        kind, vague = classify(phrase, self.lang) if src else ("anonymous", False)
        if src and src[0] > 0 and self.text[src[0] - 1] in '«„“"»' and kind == "named":
            kind = "organization"  # a title in quote marks: «Коммерсантъ», „Spiegel“
        att: dict[str, Any] = {
            "source": self.ref(*src) if src else None,
            "kind": kind,
            "cue": self.ref(*cue),
            "content": self.ref(cs, ce),
            "sentence": self.units.sentence_of(cs),
            "quote": quote,
            "language": self.lang,
        }
        if vague:
            att["vague"] = True
        if src is None:
            att["hedge"] = True
        return att

    # -- source phrases ----------------------------------------------------------------------
    def source_after(self, pos: int, end: int) -> tuple[int, int] | None:
        """The source written after its cue: up to the sentence end, a colon, a quote, a dash,
        a comma before a lower-case word, or a place, time or medium word."""
        lead = len(self.text[pos:end]) - len(self.text[pos:end].lstrip(" \t,"))
        for a, b in self.quotes:
            if a - 1 == pos + lead and len(WORD.findall(self.text[a:b])) <= 5:
                return a, b  # a name in quote marks: Как пишет «Коммерсантъ»
        toks = [t for t in word_spans(self.text, pos, end) if not self.in_quote(t[0])]
        if not toks:
            return None
        cut = set(self.lex["cut"])
        i = 0
        if self.lang == "de":
            # "äußerte sich der Präsident", "bestätigte damals auch X"
            skip = DE_ADVERBS | {"sich", "nicht", "worden", "werden", "wurde", "ist", "war"}
            while len(toks) > 1 and toks[0][2].lower() in skip:
                toks = toks[1:]
            if toks[0][2].lower() in skip:
                return None
        verb = word_spans(self.text, max(0, pos - 30), pos)
        if (
            self.lang in ("ru", "uk")
            and verb
            and verb[-1][2].lower().endswith(("ли", "ют", "ят", "ють", "ять"))
            and toks[0][2].lower() in ("в", "во", "у")
        ):
            return toks[0][0], self._phrase_end(toks, 0)
        # a leading prepositional phrase or addressee: "написал в Telegram депутат ..."
        while i < len(toks) and toks[i][2].lower() in cut and i + 2 < len(toks):
            i += 2
        if i >= len(toks):
            return None
        return toks[i][0], self._phrase_end(toks, i)

    def _phrase_end(self, toks: list[tuple[int, int, str]], i: int) -> int:
        cut = set(self.lex["cut"])
        e = toks[i][1]
        for k in range(i + 1, len(toks)):
            gap = self.text[toks[k - 1][1] : toks[k][0]]
            w = toks[k][2]
            if re.search(r"[:;«»„“”\"—–()]|[.!?]\s", gap) and not (
                re.fullmatch(r"\.\s+", gap) and toks[k - 1][2].lower() in _TITLE_ABBR
            ):
                break
            if "," in gap and not w[:1].isupper():
                break
            if (
                w.lower() in ("в", "во", "у")
                and self.lang in ("ru", "uk")
                and _stem_in(toks[i][2], _PLACED_SOURCES)
                and k + 1 < len(toks)
                and toks[k + 1][2].lower() not in cut
                and "," not in gap
            ):
                # "источник в правительстве", "джерело в СБУ": where the source sits
                e = toks[k + 1][1]
                continue
            if w.lower() in cut or w.lower() in self.lex["comp"]:
                break
            if self.lang == "de" and w.lower() in DE_ADVERBS | {"nicht", "sich", "worden"}:
                break
            e = toks[k][1]
        return e

    def source_before(self, start: int, cue: int) -> tuple[int, int] | None:
        """The source written before its cue, from the clause start; None where the clause
        opens with an adverbial (the subject then follows the verb)."""
        seg = self.text[start:cue]
        last = max(seg.rfind(c) for c in ".;:!?")
        if last >= 0:
            start += last + 1
        # the last quote before the cue belongs to the content, not to the source
        for a, b in self.quotes + self.dash:
            if start <= b < cue and len(WORD.findall(self.text[a:b])) >= 5:
                start = max(start, b + 1)
        toks = word_spans(self.text, start, cue)
        if not toks:
            return None
        aux = set(self.lex.get("aux", []))
        adverbs = set(self.lex.get("adverbs", []))
        # "Она также напомнила", "Elle a aussi rappelé", "Ona także powiedziała": the adverbs
        # and auxiliaries between the subject and its cue are not part of the source
        while len(toks) > 1 and toks[-1][2].lower() in aux | adverbs:
            toks.pop()
        while toks and toks[-1][2].lower() in aux:
            toks.pop()
        lead = set(self.lex["lead"])
        finite = set(self.lex.get("finite_aux", "").split())
        if self.lang == "de" and len(toks) >= 3 and toks[1][2] in finite:
            return _de_np(toks, 2)  # "Unterdessen haben einige Abgeordnete angekündigt"
        if self.lang == "de" and toks and self._de_adverbial(toks[0][2]):
            if toks[0][2].lower() in ("aus", "von", "vom", "bei", "beim", "im") and re.match(
                r"\s*(?:hieß|heißt)\b", self.text[cue:]
            ):
                return (toks[1][0], toks[-1][1]) if len(toks) > 1 else None
            # "Am Montag sagte X", "Offiziell geht X davon aus": X after the verb; "So wird
            # er zitiert", "In der Meldung hat X erklärt": X after the auxiliary
            for k, t in enumerate(toks):
                if k and t[2] in finite:
                    return _de_np(toks, k + 1)
            return None
        if self.lang == "de" and toks and toks[0][2].lower() in finite and len(toks) > 1:
            return _de_np(toks, 1)
        for k, t in enumerate(toks):
            if k and t[2] in finite:
                toks = toks[:k]  # "Bernanke hatte erst kürzlich angekündigt"
                break
        while toks and toks[0][2].lower() in lead:
            toks.pop(0)
        verb = self.text[cue : cue + 30].split()[0].lower() if self.text[cue:].strip() else ""
        gerund = self.lang in ("ru", "uk") and verb.endswith(("в", "вши")) and verb in self.cues
        if toks and (toks[-1][2].lower() in _CONJUNCTIONS or gerund):
            # "Сам он назвал ... и заявил, что", "Он объяснил ..., добавив, что": the subject
            pron = [t for t in toks if t[2].lower() in self.lex["pronouns"]]
            if pron:
                return pron[0][0], pron[0][1]
            first = [t for t in toks if t[2][:1].isupper()]
            if first and first[0] is toks[0]:
                k = 0
                while k + 1 < len(toks) and toks[k + 1][2][:1].isupper():
                    k += 1
                return toks[0][0], toks[k][1]
            return None
        rel = re.search(
            r",\s*(?:der|die|das|dem|den|deren|dessen|von\s+denen|который|которая|которые|"
            r"який|яка|які|qui|que|dont|que|quien|który|która|którzy)\b",
            self.text[toks[0][0] : toks[-1][1]] if toks else "",
        )
        if rel and toks:
            head = word_spans(self.text, toks[0][0], toks[0][0] + rel.start())
            if head and len(head) <= 8:
                return head[0][0], head[-1][1]  # "Seine Opfer, von denen ..., gaben an"
        if not toks or len(toks) > 14:
            if toks and len(toks) > 14:
                seg = self.text[toks[0][0] : toks[-1][1]]
                c = seg.rfind(",")
                if c > 0:
                    return self.source_before(toks[0][0] + c + 1, cue)
            return None
        if self.text[toks[0][0] - 1 : toks[0][0]] in _DASHES and toks[0][0] > 0:
            pass
        if self.lang == "de" and len(toks) == 1 and toks[0][2].lower() in ("es",):
            return None
        return toks[0][0], toks[-1][1]

    def _de_adverbial(self, word: str) -> bool:
        """A German clause opener that is not the subject: a preposition or adverb, or a
        capitalised word the article also writes in lower case ("Offiziell", "Sinngemäß")."""
        low = word.lower()
        if low in DE_PREPS or low == "als":
            return True
        if low in DETERMINERS or low in self.lex["pronouns"] or not word[:1].isupper():
            return False
        if self._lower_words is None:
            self._lower_words = {
                m.group(0) for m in re.finditer(r"(?<![.!?:]\s)(?<!^)\b[a-zäöüß]\w*", self.text)
            }
        return low in self._lower_words

    def marker_source(self, pos: int, end: int) -> tuple[int, int] | None:
        """``laut Polizei``, ``Według źródeł w Pentagonie``: the phrase after a source marker
        where no comma closes it: a word, then capitalised words, quoted names and genitive
        links before capitalised words."""
        toks = word_spans(self.text, pos, end)
        if not toks:
            return None
        k = 0
        while k < len(toks) - 1 and toks[k][2].lower() in DETERMINERS:
            k += 1
        s, e = toks[0][0], toks[k][1]
        links = DETERMINERS | {"w", "z", "ze", "из", "в", "у", "of", "de"}
        j = k + 1
        while j < len(toks):
            w = toks[j][2]
            gap = self.text[toks[j - 1][1] : toks[j][0]]
            if "," in gap or "." in gap:
                break
            if w[:1].isupper():
                e = toks[j][1]
                j += 1
                continue
            if w.lower() in links and j + 1 < len(toks) and toks[j + 1][2][:1].isupper():
                e = toks[j + 1][1]
                j += 2
                continue
            break
        tail = self.text[e : e + 1]
        if tail in '“”»"':
            e += 1
        return s, e

    # -- constructions ---------------------------------------------------------------------
    def unit(self, us: int, ue: int) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        taken: list[tuple[int, int]] = []
        for rx in self.pron_markers:
            for m in rx.finditer(self.text, us, ue):
                if self.in_quote(m.start()):
                    continue
                att = self.pron_marker(m, us, ue)
                if att:
                    found.append(att)
                    taken.append((m.start(), m.end()))
        for rx, where in self.markers:
            for m in rx.finditer(self.text, us, ue):
                if self.in_quote(m.start()) or any(a < m.end() and m.start() < b for a, b in taken):
                    continue
                att = self.marker(m, where, us, ue)
                if att:
                    found.append(att)
                    taken.append((m.start(), m.end()))
        so = self._so(us, ue)
        if so:
            found.append(so)
        self._verbs(found, taken, us, ue)
        if not found:
            colon = self._colon_quote(us, ue)
            if colon:
                found.append(colon)
        direct = [a for a in found if a["quote"] and a["source"]]
        if len(direct) == 1:
            for qs, qe in self.quotes + self.dash:
                if us <= qs < ue and not any(
                    _overlaps({"start": qs, "end": qe}, a["content"]) for a in found
                ):
                    att = self.make(None, (0, 0), (qs, min(qe, ue)), quote=True)
                    if att and len(WORD.findall(att["content"]["text"])) >= 3:
                        att.update(
                            source=dict(direct[0]["source"]),
                            kind=direct[0]["kind"],
                            cue=dict(direct[0]["cue"]),
                        )
                        att.pop("hedge", None)
                        found.append(att)
        return found

    def _verbs(
        self, found: list[dict[str, Any]], taken: list[tuple[int, int]], us: int, ue: int
    ) -> None:
        for s, e, w in word_spans(self.text, us, ue):
            if self.in_quote(s) or any(a <= s < b for a, b in taken):
                continue
            low = w.lower()
            if low not in self.cues:
                continue
            if (
                low in self.lex.get("need_particle", set())
                and not self._particle(low, e, ue)
                and not (low.startswith("zeig") and re.match(r",\s*dass\b", self.text[e:ue]))
            ):
                continue
            if self.lang == "de" and (
                low in _DE_PARTICIPLES or (low.startswith("ge") and low not in ("geht", "gehen"))
            ):
                near = [t[2] for t in word_spans(self.text, max(us, s - 120), s)][-10:]
                if not set(near) & set(self.lex["finite_aux"].split()):
                    continue
            if any(a["cue"]["start"] <= s < a["cue"]["end"] for a in found):
                continue
            att = self.verb(s, e, us, ue)
            if att is None:
                continue
            for a in found:
                # "X sagte, A sei tot, doch Y erklärte, ...": Y's clause ends X's content
                c = a["content"]
                src = att["source"]
                if src and c["start"] < src["start"] < c["end"] and att["cue"]["start"] < c["end"]:
                    cut = self.text.rfind(",", c["start"], src["start"])
                    if cut > c["start"]:
                        a["content"] = self.ref(*trim_content(self.text, c["start"], cut))
            if not any(_overlaps(att["content"], a["content"]) for a in found):
                found.append(att)

    def _colon_quote(self, us: int, ue: int) -> dict[str, Any] | None:
        """``Ein Sprecher begründete die Entscheidung so: „...“``: a clause that ends in a colon
        before a quote of its own sentence; the colon is the cue and the clause's subject the
        source (German only: the verb-second order tells where the subject is)."""
        if self.lang != "de":
            return None
        for a, b in self.quotes:
            if not us <= a < ue:
                continue
            pre = self.text[us : a - 1].rstrip()
            if not pre.endswith(":") or len(WORD.findall(self.text[a:b])) < 4:
                return None
            toks = word_spans(self.text, us, us + len(pre))
            if not 2 <= len(toks) <= 14:
                return None
            k = 0
            if toks[0][2].lower() in DE_PREPS:
                k = 2  # adverbial, then the verb: the subject follows
                while k < len(toks) and toks[k][2] in ("sich", "auch", "nicht", "dazu"):
                    k += 1
            j = k
            while j < len(toks) and (toks[j][2][:1].isupper() or toks[j][2].lower() in DETERMINERS):
                j += 1
            if j == k:
                return None
            colon = us + len(pre) - 1
            return self.make((toks[k][0], toks[j - 1][1]), (colon, colon + 1), (a, b), quote=True)
        return None

    def _particle(self, verb: str, e: int, ue: int) -> bool:
        parts = self.lex.get("particles", {}).get(verb, "")
        clause = re.split(r"[,;:.]", self.text[e:ue], maxsplit=1)[0]
        return bool(parts) and bool(re.search(r"(?<!\w)(?:" + parts + r")(?!\w)", clause))

    def marker(self, m: re.Match[str], where: str, us: int, ue: int) -> dict[str, Any] | None:
        cue = (m.start(), m.end())
        if where == "after":  # "Dem Bericht zufolge ...", "..., Quellen zufolge, ..."
            seg = self.text[us : m.start()]
            c = max(seg.rfind(","), seg.rfind("–"), seg.rfind("—"))
            src_s = us + c + 1 if c >= 0 else us
            if c >= 0 and len(WORD.findall(self.text[us : us + c])) >= 3:
                content = (us, us + c)
            else:
                content = (m.end(), ue)
            return self.make((src_s, m.start()), cue, content)
        before = self.text[us : m.start()]
        rest_end = ue
        comma = _comma(self.text, m.end(), ue)
        if len(WORD.findall(before)) >= 3 and not self.text[us:ue].lstrip().startswith(m.group(0)):
            # "Инфляция составила 8,5%, по данным Росстата."
            if 0 < comma and len(WORD.findall(self.text[m.end() : comma])) <= 10:
                return self.make((m.end(), comma), cue, (us, m.start()))
            src = self.marker_source(m.end(), ue)
            if src is None:
                return None
            after = len(WORD.findall(self.text[src[1] : ue]))
            return self.make(src, cue, (us, ue) if after >= 3 else (us, m.start()))
        if (
            0 < comma
            and len(WORD.findall(self.text[m.end() : comma])) <= 10
            and not any(t[2].lower() in self.cues for t in word_spans(self.text, m.end(), comma))
        ):
            return self.make((m.end(), comma), cue, (comma + 1, rest_end))
        src = self.marker_source(m.end(), ue)
        if src is None:
            return None
        return self.make(src, cue, (src[1], rest_end))

    def pron_marker(self, m: re.Match[str], us: int, ue: int) -> dict[str, Any] | None:
        """``По её словам, ...``, ``Ihren Angaben zufolge ...``, ``Jej zdaniem ...``: the source is
        the possessive pronoun (resolved later to the speaker before)."""
        before = len(WORD.findall(self.text[us : m.start()]))
        if before >= 1:  # "Вашингтон, по её словам, передаст ..."
            after = len(WORD.findall(self.text[m.end() : ue]))
            content = (us, ue) if after >= 3 else (us, m.start())
        else:
            content = (m.end(), ue)
        att = self.make(m.span("src"), m.span(), content)
        if att is not None:
            att["kind"] = "pronoun"
            att.pop("vague", None)
        return att

    def _so(self, us: int, ue: int) -> dict[str, Any] | None:
        """German ``..., so X.``: the source named after the words."""
        if self.lang != "de":
            return None
        seg = self.text[us:ue]
        m = re.search(
            r"[,“”\"»«]\s*(so)\s+(?:(\w+)\s+(?=die|der|das|ein))?([^.;:]{2,140}?)\s*[.!]?\s*$", seg
        )
        if m and (m.group(2) is None or m.group(2).lower() in self.cues):
            src = (us + m.start(3), us + m.end(3))
            first = m.group(3).split()[0]
            if not (first[:1].isupper() or first.lower() in DETERMINERS):
                return None
            return self.make(src, (us + m.start(1), us + m.end(1)), (us, us + m.start()))
        # "Vom 2. April an, so die Ermittler, seien ...": the source between commas
        m = re.search(r",\s*(so)\s+(?:(\w+)\s+(?=die|der|das|ein))?([^,.;:]{2,140}?),", seg)
        if m and (m.group(2) is None or m.group(2).lower() in self.cues):
            content = (us, us + m.start()) if m.start() > 20 else (us + m.end(), ue)
            if m.start() > 20 and len(seg) - m.end() > 10:
                content = (us, ue)
            return self.make(
                (us + m.start(3), us + m.end(3)), (us + m.start(1), us + m.end(1)), content
            )
        return None

    def verb(self, s: int, e: int, us: int, ue: int) -> dict[str, Any] | None:
        text = self.text
        cue_s, cue_e = self._cue_span(s, e, us)
        # 1. a quote right before the cue: «...», — заявил X
        for a, b in sorted(self.quotes + self.dash, key=lambda q: -q[1]):
            if (
                us <= b <= cue_s
                and re.fullmatch(r"[\s,.!?…\"“”»«„’‘\-—–]*", text[b:cue_s])
                and not WORD.search(text[us : a - 1])
            ):
                src = self._after_cue(cue_s, cue_e, ue)
                return self.make(src, (cue_s, cue_e), self._quote_run(a, b, us), quote=True)
            if b <= cue_s:
                break
        # 2. a quote after the cue, opened after a colon: X заявил: «...»
        for a, b in self.quotes:
            if cue_e <= a <= ue and ":" in text[cue_e:a] and len(WORD.findall(text[cue_e:a])) <= 8:
                src = self.source_before(us, cue_s)
                if src is None:
                    colon = text.find(":", cue_e, a)
                    src = self.source_after(cue_e, colon)
                return self.make(src, (cue_s, cue_e), (a, b), quote=True)
        # 2b. a short quote the cue's clause goes on to: "nannte diese Zahlen „aus der Luft
        # gegriffen“", "sprach von der „schlimmsten Katastrophe“"
        for a, b in self.quotes:
            between = text[cue_e : a - 1]
            if (
                self.lang == "de"
                and text[s:e].lower() in _DE_NAMING
                and cue_e <= a <= ue
                and 1 <= len(WORD.findall(between)) <= 10
                and not re.search(r"[.;:!?,]", between)
                and not re.match(r"(?i)\W*(?:" + "|".join(self.lex["as_"]) + r")\s", text[us:cue_s])
            ):
                src = self.source_before(us, cue_s) or self._after_cue(cue_s, cue_e, a - 1)
                return self.make(src, (cue_s, cue_e), (a, b), quote=True)
            if a > ue:
                break
        # 3. inverted clause: Как сообщили в X, ... / Wie X berichtete, ... / Jak podaje X, ...
        head = text[us:ue].lstrip(' \t«»„“"' + _DASHES)
        lead_at = ue - len(text[us:ue].lstrip(' \t«»„“"' + _DASHES)) if head else us
        for word in self.lex["as_"]:
            m = re.match(r"(?i)" + word + r"\s", head)
            comma = _comma(text, cue_e, ue)
            if m and comma > 0 and lead_at + m.end() <= cue_s:
                pre = _trim(text, lead_at + m.end(), cue_s)
                src = pre if pre[1] > pre[0] and self.lang in ("de",) else None
                if src is None or not WORD.search(text[src[0] : src[1]]):
                    src = pre if pre[1] > pre[0] else self.source_after(cue_e, comma)
                    if self.lang != "de":
                        after = self.source_after(cue_e, comma)
                        src = after or (pre if pre[1] > pre[0] else None)
                return self.make(src, (cue_s, cue_e), (comma + 1, ue))
        # 3b. the reporting clause last: "..., wie die Agentur ANSA berichtete." / "..., как
        # сообщил X." / "..., comme l'a indiqué X."
        for word in self.lex["as_"]:
            found = list(re.finditer(r"(?i),\s*(?:" + word + r")\s", text[us:cue_s]))
            m = found[-1] if found else None
            if m is not None and "," not in text[us + m.end() : cue_s]:
                pre = _trim(text, us + m.end(), cue_s)
                if self.lang == "de" and pre[1] > pre[0]:
                    src = pre
                else:
                    src = self.source_after(cue_e, ue) or (pre if pre[1] > pre[0] else None)
                return self.make(src, (cue_s, cue_e), (us, us + m.start()))
        # 4. "about this": Об этом заявил X / Das sagte X — the sentence before is the content
        for rx in self.lex["this"]:
            m = re.match(r"(?i)" + rx + r"\s", head)
            if (
                m
                and lead_at + m.end() >= cue_s - 1
                and self.lang != "de"
                or (
                    m
                    and self.lang == "de"
                    and lead_at + m.end() >= cue_s - 1
                    and re.match(r"(?i)(?:das|dies)\s+\w+\s*$", text[lead_at:cue_e])
                )
            ):
                prev = self._previous_unit(us)
                if prev is None:
                    return None
                src = self.source_after(cue_e, ue)
                return self.make(src, (cue_s, cue_e), prev)
        # 5. the words first, the cue after a comma: "..., stellten die Forscher fest."
        before = text[us:cue_s]
        # 5a. Russian/Ukrainian direct speech without quote marks: "Мы готовы, — сообщил Песков."
        # (a comma and a dash before the cue mark the words before as said, however few)
        direct = re.search(r",\s*[" + _DASHES + r"]\s*$", before)
        if (
            direct
            and self.lang in ("ru", "uk")
            and WORD.search(before[: direct.start()])
            and not re.search(r"[«»„“”\"]", before)  # quoted words go by rule 1, or not at all
            and len(before) <= MAX_QUOTE_CHARS
        ):
            src = self._after_cue(cue_s, cue_e, ue)
            if src is not None:
                return self.make(src, (cue_s, cue_e), (us, us + direct.start()))
        if (
            re.search(r",\s*$", before)
            and len(WORD.findall(before)) >= 6
            and (
                self.lang != "de"
                or any(t[2] in KONJUNKTIV for t in word_spans(text, us, cue_s))
                or any(us <= a < cue_s for a, _ in self.quotes)
            )
        ):
            src = self._after_cue(cue_s, cue_e, ue)
            if src is not None and len(WORD.findall(text[src[1] : ue])) > 3:
                src = None
            if src is not None and not re.match(
                r"\s*(?:" + "|".join(self.lex["comp"]) + r")\b", text[cue_e:ue], re.I
            ):
                return self.make(src, (cue_s, cue_e), (us, before.rstrip().rfind(",") + us))
        # 6. reported speech: X cue, что ... / X erklärte, ... / X cue que ...
        content = self._reported_content(cue_e, ue)
        if content is None:
            return None
        if self.lang == "pl" and re.match(r"\s+się\b", text[cue_e:ue]):
            return self.make(None, (cue_s, cue_e + 4), content)  # "mówi się, że": no one
        src = self.source_before(us, cue_s)
        if src is None:
            src = self._after_cue(cue_s, cue_e, content[0])
        return self.make(src, (cue_s, cue_e), content)

    def _cue_span(self, s: int, e: int, us: int) -> tuple[int, int]:
        """The cue with its auxiliary before it (a déclaré, s'est félicitée, ha dicho)."""
        aux = self.lex.get("aux")
        if not aux:
            return s, e
        m = re.search(
            r"(?i)(?:^|\s)((?:s[’']|se\s+)?(?:" + "|".join(re.escape(x) for x in aux) + r"))\s+$",
            self.text[max(us, s - 20) : s],
        )
        if m:
            return max(us, s - 20) + m.start(1), e
        return s, e

    def _after_cue(self, cue_s: int, cue_e: int, end: int) -> tuple[int, int] | None:
        """The speaker after a cue; an inverted French pronoun (a-t-il) is the source itself."""
        m = re.search(r"-t-(il|elle|ils|elles)|-(il|elle|ils|elles)\b", self.text[cue_s:cue_e])
        if m:
            g = 1 if m.group(1) else 2
            return cue_s + m.start(g), cue_s + m.end(g)
        if self.lang == "de":
            m = re.match(r"\s+es\s+(?:aus|von|vom|bei|beim|in|im)\s+", self.text[cue_e:end])
            if m:
                return self.source_after(cue_e + m.end(), end)
            m = re.match(r"\s+es\b", self.text[cue_e:end])
            if m:
                return None
        return self.source_after(cue_e, end)

    def _quote_run(self, a: int, b: int, us: int) -> tuple[int, int]:
        return a, b

    def _previous_unit(self, us: int) -> tuple[int, int] | None:
        prev = [u for u in self.units.units if u[1] <= us]
        if not prev:
            return None
        return prev[-1]

    def _reported_content(self, cue_e: int, ue: int) -> tuple[int, int] | None:
        text = self.text
        window = text[cue_e:ue]
        comps = "|".join(self.lex["comp"])
        m = re.match(
            r"(?i)((?:[^.,;:!?«»„“\"]{0,60}?)(?:,\s*|\s+))(?:" + comps + r")(?:\s|[’'])", window
        )
        if m:
            return cue_e + m.end(), ue
        if self.lang == "es" or self.lang == "fr":
            return None
        m = re.match(r"((?:\s+[\w„“”»«-]+){0,8}?)\s*,\s*", window)
        if m and self.lang in ("ru", "uk", "pl") and len(m.group(1).split()) > 4:
            m = None
        if m and self.lang in ("de", "ru", "uk", "pl") and not m.group(1).strip():
            return cue_e + m.end(), ue
        if m and self.lang == "de":
            # "teilte mit, ...", "sagte am Montag, ...": a short phrase then a comma
            return cue_e + m.end(), ue
        last = re.search(r"(\w+)\W*$", text[max(0, cue_e - 30) : cue_e])
        if last and last.group(1).lower() in self.lex.get("object_cues", ()):
            # "a annoncé l'ouverture d'une enquête": what was announced is the content
            full = re.search(r"[.;:!?]", window)
            end = cue_e + full.start() if full else ue
            if len(WORD.findall(text[cue_e:end])) >= 3:
                return cue_e, end
        about = self.lex["about"]
        if about:
            m = re.match(r"\s+(?:" + "|".join(about) + r")\s+", window, re.I)
            if m and self.lang != "de":
                return cue_e + m.end(), ue
        if self.lang == "de" and _SPEECH_ACT.match(
            text[cue_e - 14 : cue_e].split()[-1] if text[cue_e - 14 : cue_e].split() else ""
        ):
            # a speech act with its object: "Der Iran bestreitet die Vorwürfe", "Die Gewerkschaft
            # fordert höhere Löhne": the object is what was said (the corpus's "reported" type)
            clause = re.search(
                r"[.;:!?]|,\s*(?:die|der|das|weil|da|um|wenn|sondern|aber)\b", window
            )
            stop = cue_e + clause.start() if clause else ue
            if len(WORD.findall(text[cue_e:stop])) >= 3:
                return cue_e, stop
        return None

    # -- the article -----------------------------------------------------------------------
    def run(self) -> list[dict[str, Any]]:
        atts: list[dict[str, Any]] = []
        by_unit: list[list[dict[str, Any]]] = []
        for us, ue in self.units.units:
            found = self.unit(us, ue)
            by_unit.append(found)
        self._continue(by_unit)
        for found in by_unit:
            atts.extend(found)
        atts.sort(key=lambda a: (a["content"]["start"], a["cue"]["start"]))
        for k, a in enumerate(atts):
            # "«...», dijo X. «...», añadió.": a dropped subject is the speaker before
            if a["source"] is None and a["quote"] and k and atts[k - 1]["source"]:
                prev = atts[k - 1]
                if "\n" not in self.text[prev["content"]["end"] : a["content"]["start"]]:
                    a.update(source=dict(prev["source"]), kind=prev["kind"])
                    a.pop("hedge", None)
        self._resolve(atts)
        return atts

    def _continue(self, by_unit: list[list[dict[str, Any]]]) -> None:
        """Quoted units with no cue keep the speaker of the quote before them; German reported
        speech (Konjunktiv I) keeps the speaker of the attribution before it."""
        units = self.units.units
        for i in range(1, len(units)):
            if by_unit[i]:
                continue
            donors = [a for a in by_unit[i - 1] if a["source"] or a.get("hedge")]
            if not donors and self.lang == "de":
                subject = self._subject_donor(i)
                if subject:
                    by_unit[i] = [subject]
                continue
            if not donors:
                continue
            us, ue = units[i]
            between = self.text[units[i - 1][1] : us]
            if between.count("\n") > 2:
                continue
            donor = donors[-1]
            qs = [(max(a, us), min(b, ue)) for a, b in self.quotes + self.dash if a < ue and b > us]
            covered = sum(b - a for a, b in qs)
            if covered >= 0.6 * (ue - us) and donor.get("quote"):
                cs, ce = max(qs, key=lambda q: q[1] - q[0])
            elif self.lang == "de" and self._konjunktiv(us, ue) and not qs:
                cs, ce = us, ue
            else:
                continue
            att = self.make(None, (0, 0), (cs, ce), quote=covered > 0)
            if att is None:
                continue
            att.update(
                source=dict(donor["source"]) if donor["source"] else None,
                kind=donor["kind"],
                cue=dict(donor["cue"]),
                continued_from_sentence=donor["sentence"],
            )
            att.pop("hedge", None)
            for key in ("vague", "hedge"):
                if key in donor:
                    att[key] = donor[key]
            by_unit[i] = [att]

    def _subject_donor(self, i: int) -> dict[str, Any] | None:
        """German reported speech by mood alone: a sentence in Konjunktiv I after a sentence
        with no cue ("X relativierte die Berichte. Beide Unternehmen besäßen ...") is the
        previous sentence's subject's; the Konjunktiv verb is the cue."""
        us, ue = self.units.units[i]
        ps, pe = self.units.units[i - 1]
        if "\n" in self.text[pe:us] or self.in_quote(us):
            return None
        toks = word_spans(self.text, us, ue)
        verb = next((t for t in toks[:10] if t[2] in KONJUNKTIV_I), None)
        if verb is None or toks[0][2].lower() in ("wenn", "ob", "falls", "damit", "dass"):
            return None
        prev = word_spans(self.text, ps, pe)
        if not prev or prev[0][2].lower() in {"es", "das", "dies", "man", "wer"}:
            return None
        start = 0
        if self._de_adverbial(prev[0][2]):
            # "Als Ersatz wollen die G7-Staaten ...": the subject after the first verb
            start = next(
                (
                    k + 1
                    for k, t in enumerate(prev[:8])
                    if k and t[2][:1].islower() and t[2] not in DETERMINERS and t[2] not in DE_PREPS
                ),
                0,
            )
            if not start:
                return None
        np = _de_np(prev, start)
        if np is None or not _lexical_source(self.text[np[0] : np[1]], self.lex):
            return None
        return self.make(np, (verb[0], verb[1]), (us, ue), quote=False)

    def _konjunktiv(self, us: int, ue: int) -> bool:
        toks = [t[2] for t in word_spans(self.text, us, ue)]
        if not toks or toks[0].lower() in ("wenn", "ob", "falls"):
            return False
        return any(t in KONJUNKTIV for t in toks[:12])

    def _resolve(self, atts: list[dict[str, Any]]) -> None:
        """A pronoun (or a dropped subject) stands for the nearest earlier source of a person."""
        for i, a in enumerate(atts):
            if a["kind"] != "pronoun":
                continue
            for j in range(i - 1, -1, -1):
                b = atts[j]
                if (
                    b["source"]
                    and b["kind"] in ("named", "named_role", "anonymous")
                    and (b["source"]["start"] < a["source"]["start"])
                ):
                    a["resolved_to"] = j
                    a["resolved_kind"] = b.get("resolved_kind") or b["kind"]
                    a["resolved_text"] = b.get("resolved_text") or b["source"]["text"]
                    break


def _de_np(toks: list[tuple[int, int, str]], i: int) -> tuple[int, int] | None:
    """The German noun phrase starting at token ``i``: a pronoun; or a determiner, adjectives and
    a capitalised noun with capitalised words and genitives after it; or a run of names."""
    if i >= len(toks):
        return None
    w = toks[i][2]
    if w.lower() in ("er", "sie", "es", "man", "wir", "ich"):
        return (toks[i][0], toks[i][1]) if w.lower() not in ("es", "man") else None
    j = i
    if w.lower() in DETERMINERS:
        j += 1
        while j < len(toks) and not toks[j][2][:1].isupper() and j - i < 4:
            j += 1
    if j >= len(toks) or not toks[j][2][:1].isupper():
        return None
    end = j
    k = j + 1
    while k < len(toks):
        word = toks[k][2]
        if word[:1].isupper():
            end = k
            k += 1
        elif word.lower() in ("des", "der") and k + 1 < len(toks):
            k += 1
        else:
            break
    return toks[i][0], toks[end][1]


def _lexical_source(phrase: str, lex: dict[str, Any]) -> bool:
    """A phrase that reads as someone who speaks: a pronoun, a word of the source lists or a
    name of two capitalised words (not any capitalised German noun)."""
    words = WORD.findall(phrase)
    if len(words) == 1 and words[0].lower() in lex["pronouns"]:
        return True
    if any(_stem_in(w, lex[k]) for w in words for k in ("anon", "role", "org", "doc")):
        return True
    return len(_name_run(words, lex, "xx")) >= 2


def _overlaps(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return min(a["end"], b["end"]) - max(a["start"], b["start"]) > 0


def classify(phrase: str, lang: str) -> tuple[str, bool]:
    """The kind of a source phrase (the English kinds) and whether it is vague.

    Judged by word lists and capitalisation (no NER here): a pronoun; a document; a person's
    name (two capitalised words that are not a body, or one capitalised word alone that is no
    known body or common noun); an unnamed person or a source (anonymous); a post (role); a
    body (organisation). German capitalises every noun, so there a lone capitalised word is a
    name only when it is in no list.
    """
    lex = LANGUAGES[lang]
    words = [re.sub(r"^(?i:[ld]|qu)['’]", "", w) for w in WORD.findall(phrase)]
    if not words:
        return "anonymous", False
    if len(words) >= 2 and words[0].lower() in _TITLE_ABBR and words[1][:1].isupper():
        words = words[1:]  # "M. Girard", "Dr. Weber": the title before a name
    if len(words) == 1 and words[0].lower() in lex["pronouns"]:
        return "pronoun", False
    low = " ".join(words).lower()
    if any(re.search(rx, low) for rx in lex.get("role_phrases", [])):
        # "официальный представитель МИД России": the title of one post of a named body
        return "named_role", False
    if len(words) > 2 and words[0].lower() in _SOURCE_NOUNS:
        # "Angaben des Statistischen Bundesamtes": the kind is the Bundesamt's
        return classify(" ".join(words[2:] if words[1].lower() in DETERMINERS else words[1:]), lang)
    content = [w for w in words if w.lower() not in DETERMINERS]
    head = content[:2] or words[:1]
    first = head[0]
    vague = any(_stem_in(w, lex["vague"]) for w in head)
    names = _name_run(words, lex, lang)
    if _stem_in(first, lex["doc"]) or (
        # "einem internen Bericht", "un nouveau rapport": an adjective before the document
        len(head) == 2
        and first[:1].islower()
        and _stem_in(head[1], lex["doc"])
        and not any(_stem_in(first, lex[k]) for k in ("anon", "role", "org"))
    ):
        return "document", False
    if words[0].lower() in _INDEFINITE:
        # "eine Pflegerin", "ein Sprecher der Deutschen Bahn", "une source proche du dossier"
        return "anonymous", vague
    if len(names) >= 2 or (names and not _stem_in(first, lex["anon"])):
        return "named", False
    if any(_stem_in(w, lex["anon"]) for w in head):
        return "anonymous", vague
    if _stem_in(first, lex["org"]):
        return "organization", False
    if any(_is_role(w, lex) for w in head):
        return "named_role", False
    if any(_stem_in(w, lex["org"]) for w in content) or any(
        w.isupper() and len(w) > 1 for w in content
    ):
        return "organization", False
    if first[:1].isupper() and lang != "de":
        return "organization" if len(content) > 1 else "named", False
    if lang == "de" and len(content) == 1 and first[:1].isupper():
        return "named", False
    return "anonymous", False


def _is_role(word: str, lex: dict[str, Any]) -> bool:
    return _stem_in(word, lex["role"]) and not _stem_in(word, lex["org"])


def _name_run(words: list[str], lex: dict[str, Any], lang: str) -> list[str]:
    """The capitalised words that look like a person's name (no body, no acronym)."""
    run: list[str] = []
    best: list[str] = []
    for i, w in enumerate(words):
        low = w.lower()
        listed = any(_stem_in(w, lex[k]) for k in ("org", "doc", "anon", "vague")) or (
            lang == "de" and _stem_in(w, lex["role"])
        )
        capital = w[:1].isupper() and not w.isupper() and not listed
        if lang != "de" and i == 0 and _is_role(w, lex):
            capital = False
        particle = (
            low in DETERMINERS | {"van", "von", "der", "da", "di", "le", "la", "del"}
            and run
            and i + 1 < len(words)
            and words[i + 1][:1].isupper()
        )
        if particle:
            run.append(w)
            continue
        if capital and low not in DETERMINERS:
            run.append(w)
            if len(run) > len(best):
                best = list(run)
        else:
            run = []
    if len(best) >= 2:
        return best
    if len([w for w in words if w.lower() not in DETERMINERS]) == 1 and best:
        return best
    if best == words[-1:] and len(words) >= 2 and _is_role(words[-2], lex):
        return best  # "premier Tusk", "Minister Müller"
    return []


def attribute(article: Article, lang: str) -> dict[str, Any]:
    """Attributions of ``article`` in ``lang`` (one of :data:`SUPPORTED`), with problems."""
    reader = Reader(article, lang)
    atts = reader.run()
    if lang == "de":
        # German: the learned detector and ranker refine the rules (attribution_learned.py)
        from .attribution_learned import load_model, refine

        model = load_model()
        if model is not None:
            atts = refine(reader, atts, model)
    return {"attributions": atts, "problems": reader.problems}
