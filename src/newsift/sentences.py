"""Sentences and tokens for the languages beside English (ru, uk, de, fr, es, pl).

English keeps spaCy's ``senter`` and its repairs (``stages/nlp.py``). Every other language is split
by sentencex (rule-based, written in Rust, ~300 languages, MIT; chosen over pysbd on the team's
per-language gold, see ``docs/languages.md``), then one pass joins the pieces it cut after an
abbreviation that does not end a sentence. The abbreviations are per language, in two kinds:

- *titles* and words that always stand before a name or a noun (``Dr.``, ``проф.``, ``ул.``,
  ``M.``, ``Sr.``, ``ul.``): the sentence always goes on;
- *other* abbreviations (``т. е.``, ``z. B.``, ``p. ex.``, ``etc.``, ``tzw.``, ``млн``): the
  sentence goes on when the next piece starts with a lower-case letter or a digit.

A single letter with a dot is an initial (``В. В. Путин``, ``J.-M. Leblanc``) and the sentence goes
on, unless it follows a number (``в 2026 г.``, ``w 2024 r.``: a year, which may end a sentence). A
piece that starts with a lower-case letter (after quotes, dashes and ``¿¡``) continues the one
before; in German an ordinal (``am 3.``) goes on into a month or an abbreviation (``19. Jh.``).
Paragraphs (blank lines) never share a sentence.
"""

from __future__ import annotations

import re

from .lang import normalize

# -- abbreviations, lower-case, without their final dot ----------------------------------------
_TITLES: dict[str, frozenset[str]] = {
    "ru": frozenset(
        """проф акад доц канд зам зав ген полк подполк майор кап лейт серг ст мл ул пр просп пер
        пл наб ш бул обл р-н д кв корп им св о гос тов г-н г-жа""".split()
    ),
    "uk": frozenset(
        """проф акад доц канд заст зав ген полк підполк майор кап лейт серж ст мол вул пр просп
        пров пл наб бул обл р-н буд кв корп ім св о пан пані""".split()
    ),
    "de": frozenset(
        """dr prof hr fr frl st hl dipl ing mag gen oberst kapt fa abg bzw mio mrd bio
        tsd""".split()
    ),
    "fr": frozenset(
        """m mm mme mmes mlle mlles dr pr me mgr st ste gén col cdt cne lt sgt av bd boul
        pl""".split()
    ),
    "es": frozenset(
        """sr sra srta sres sras dr dra lic ing arq prof profa gral gen cnel tte cap avda av
        pza pl c sto sta fr mons d dña""".split()
    ),
    "pl": frozenset(
        """dr prof doc mgr inż hab gen płk ppłk mjr kpt por ks bp abp św ul al pl os red
        tow im""".split()
    ),
}
_ABBREVIATIONS: dict[str, frozenset[str]] = {
    "ru": frozenset(
        """т е д п др пр см ср напр т.е т.д т.п т.н т.к т.о тыс млн млрд трлн руб коп долл
        дол евро гг вв в г н э н.э р чел ед изд стр рис табл гл ст прим сокр англ нем франц
        лат рус укр кв км м мин сек ч ок прибл около кг тн янв фев февр мар апр авг сен сент
        окт ноя нояб дек""".split()
    ),
    "uk": frozenset(
        """т зв ін под д п див пор напр т.зв т.п т.д і.т.д тис млн млрд трлн грн коп дол
        євро рр ст н е н.е р чол од вид стор рис табл гл прим скор англ нім рос укр км м хв
        с год бл близько кг січ лют бер квіт трав черв лип серп вер жовт лист груд""".split()
    ),
    "de": frozenset(
        """z b u a d h v chr n o ä s vgl ca evtl ggf inkl usw etc bzw jh jhd mio mrd tsd
        nr s abs art kap bd hrsg tel mind max min std sek dt engl franz russ ukr u.a z.b d.h
        v.a o.ä u.ä u.u i.d.r z.t s.o s.u ebd geb gest verh""".split()
    ),
    "fr": frozenset(
        """p ex etc cf env c.-à-d c-à-d av apr j.-c j-c n° no nos vol chap art éd fig tél min
        max md mds mrd mrds mln mio bd ss suiv hab janv févr fév avr juil sept oct nov
        déc""".split()
    ),
    "es": frozenset(
        """p ej etc aprox núm nº no art cap vol pág págs fig tel máx mín a c d ee uu uu.uu
        ee.uu ud uds vd vds cía s.a sa dcha izq ene feb mar abr jun jul ago sep sept oct nov
        dic""".split()
    ),
    "pl": frozenset(
        """np tzw m in m.in tj itd itp ok tys mln mld zł gr godz min sek r w ww proc nr
        str rys tab art ust pkt por zob wg dot ang niem ros ukr fr pt wyd sty lut kwi cze
        lip sie wrz paź lis gru""".split()
    ),
}
# Abbreviations that often end a sentence (currencies, units, "etc."): a capitalised word after
# them starts a new one ("... 3,2 трлн руб. Это ...", "... 1,2 mld dol. Pracownicy ...").
_ENDERS: dict[str, frozenset[str]] = {
    "ru": frozenset("руб долл дол коп тыс млн млрд трлн чел км кг шт ед гг вв т.д т.п др".split()),
    "uk": frozenset("грн дол долл коп тис млн млрд трлн грн чол км кг шт рр ст т.д т.п ін".split()),
    "de": frozenset("usw etc jh jhd chr".split()),
    "fr": frozenset("etc".split()),
    "es": frozenset("etc uu ee.uu".split()),
    "pl": frozenset("dol tys proc itd itp godz".split()),
}
_DOMAIN = re.compile(r"[\w-]{2,}(?:\.[\w-]+)*\.[a-z]{2,4}")
_AFTER_DOT = re.compile(r"(?<=\S\.)\s+(?=[«„“\"(]?[^\W\d_])")
_MONTHS_DE = frozenset(
    """januar jänner februar märz april mai juni juli august september oktober november
    dezember jan feb mär apr jun jul aug sep sept okt nov dez""".split()
)

_PARA = re.compile(r"\n\s*\n")
# The last token of a piece: what stands after the last space, opening quote or dash.
_LAST_TOKEN = re.compile(r"([^\s(«„“\"'‚‘\-–—]+(?:-[^\s(«„“\"'‚‘\-–—]+)*)\.$")
_NUMBER_BEFORE = re.compile(r"\d[\d\s.,]*$")
_LEADERS = " \t\n«»„“”\"'‚‘’–—-¿¡([*•"


def _paragraphs(text: str) -> list[tuple[int, int]]:
    out, pos = [], 0
    for m in _PARA.finditer(text):
        out.append((pos, m.start()))
        pos = m.end()
    out.append((pos, len(text)))
    return [(s, e) for s, e in out if text[s:e].strip()]


def _raw_split(text: str, start: int, end: int, lang: str) -> list[tuple[int, int]]:
    """sentencex's pieces of ``text[start:end]``, stripped, in ``text``'s offsets."""
    from sentencex import get_sentence_boundaries

    pieces = get_sentence_boundaries(lang, text[start:end])
    return stripped(
        text,
        [(start + int(p["start_index"]), start + int(p["end_index"])) for p in pieces],
    )


def stripped(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``spans`` of ``text`` with their outer whitespace cut off; spans of only space dropped."""
    out = []
    for s, e in spans:
        raw = text[s:e]
        lead = len(raw) - len(raw.lstrip())
        body = raw.strip()
        if body:
            out.append((s + lead, s + lead + len(body)))
    return out


def _goes_on(prev: str, nxt: str, lang: str) -> bool:
    """True when ``prev`` does not end a sentence and ``nxt`` continues it."""
    body = nxt.lstrip(_LEADERS)
    first = body[:1]
    if not first:
        return False
    if first.islower():
        return True
    m = _LAST_TOKEN.search(prev)
    if not m:
        return False
    token = m.group(1).lower()
    last = token.rsplit(".", 1)[-1].rsplit("-", 1)[-1]
    if token.isdigit():
        # German ordinals: "am 3." + "Dezember", "im 19." + "Jh.", "zum 16." + "Deutschen
        # Bundestag"; a year ("im Jahr 2005.") ends a sentence
        before = prev[: m.start(1)].rstrip()
        return lang == "de" and len(token) <= 3 and not first.isdigit() and not before.endswith(".")
    if len(last) == 1 and last.isalpha():
        # an initial ("В." "J.-M."), a one-letter abbreviation ("т. е.", "z. B."); after a
        # number a year or a unit ("2026 г.", "2024 r.") that may end the sentence
        before = prev[: m.start(1)].rstrip()
        if _NUMBER_BEFORE.search(before) and token == last:
            return first.isdigit()
        return True
    titles, others = _TITLES.get(lang, frozenset()), _ABBREVIATIONS.get(lang, frozenset())
    if "." in token and _DOMAIN.fullmatch(m.group(1)) and token not in titles | others:
        return False  # a domain name ("gov.pl."), not an abbreviation
    if token in titles or last in titles:
        return True
    if token in others or last in others:
        return first.isdigit()
    return False


# Where sentencex does not cut: before a number ("... 72 Bände. 1931 erschien ...") and at a line
# break after a sentence end or a short heading ("Wahlbeteiligung\nWie der Bundeswahlleiter").
_BEFORE_NUMBER = re.compile(r"(?<=[^\W\d_]{2}[.!?])[\"”»“’]?\s+(?=\d)")
_LINE_BREAK = re.compile(r"[ \t]*\n\s*(?=[\"„“«»‚‘(\[–—-]?[^\W_a-zß-ÿа-яё])")
_SENTENCE_END = re.compile(r"[.!?…:;\"“”»’)]$")
_HEADING_CHARS = 60


def _ends_after_abbreviation(prev: str, nxt: str, lang: str) -> bool:
    """True when ``prev`` ends with a currency, unit or "etc." abbreviation or a domain name
    (``elysee.fr.``) and ``nxt`` starts with a capitalised word that is not an acronym
    (``долл. США`` goes on)."""
    word = re.match(r"[«„“\"(]?([^\W\d_][\w-]*)", nxt)
    if not word or not word.group(1)[0].isupper():
        return False
    if len(word.group(1)) > 1 and word.group(1).isupper():
        return False
    m = _LAST_TOKEN.search(prev)
    if not m:
        return False
    token = m.group(1).lower()
    last = token.rsplit(".", 1)[-1]
    known = _TITLES.get(lang, frozenset()) | _ABBREVIATIONS.get(lang, frozenset())
    if token in _ENDERS.get(lang, ()) or (last in _ENDERS.get(lang, ()) and len(last) > 1):
        return True
    return bool(_DOMAIN.fullmatch(m.group(1))) and token not in known


def _cuts(text: str, s: int, e: int, lang: str) -> list[tuple[int, int]]:
    """``[s, e)`` cut where sentencex did not: before a number that starts a sentence, after an
    abbreviation that ends one, and at line breaks after a sentence end or a heading (a short
    line with no final punctuation)."""
    points = []
    for m in _BEFORE_NUMBER.finditer(text, s, e):
        if not _goes_on(text[s : m.start()].rstrip('"”»“’'), "1", lang):
            points.append((m.start() + len(m.group(0).rstrip()) - len(m.group(0).strip()), m.end()))
    for m in _AFTER_DOT.finditer(text, s, e):
        if _ends_after_abbreviation(text[s : m.start()], text[m.end() : m.end() + 40], lang):
            points.append((m.start(), m.end()))
    for m in _LINE_BREAK.finditer(text, s, e):
        nl = text.rfind("\n", s, m.start())
        line = text[s if nl < 0 else nl + 1 : m.start()].strip()
        if line and (_SENTENCE_END.search(line) or len(line) <= _HEADING_CHARS):
            points.append((m.start(), m.end()))
    if not points:
        return [(s, e)]
    out, start = [], s
    for cut, resume in sorted(points):
        if cut > start and text[start:cut].strip():
            out.append((start, cut))
        start = max(start, resume)
    if text[start:e].strip():
        out.append((start, e))
    return out


def split_sentences(text: str, lang: str) -> list[tuple[int, int]]:
    """Sentence ``(start, end)`` offsets of ``text`` in language ``lang`` (an ISO 639-1 code;
    any of sentencex's ~300 languages splits, the abbreviation repairs cover ru, uk, de, fr, es
    and pl). Paragraphs never share a sentence; offsets are ``text``'s."""
    code = normalize(lang).split("-")[0] if lang else "en"
    out: list[tuple[int, int]] = []
    for ps, pe in _paragraphs(text):
        merged: list[tuple[int, int]] = []
        pieces = [c for s, e in _raw_split(text, ps, pe, code) for c in _cuts(text, s, e, code)]
        for s, e in pieces:
            if merged and _goes_on(text[merged[-1][0] : merged[-1][1]], text[s:e], code):
                merged[-1] = (merged[-1][0], e)
            else:
                merged.append((s, e))
        out.extend(merged)
    return out


# A word (letters, with inner hyphens and apostrophes: "Санкт-Петербург", "l'AFP", "prem'єр"),
# a number with its separators ("4 800", "4.800", "1,5"), or any other single character.
_TOKEN = re.compile(
    r"\d+(?:[ \u00a0\u202f.,']\d+)*"
    r"|[^\W\d_]+(?:[-'’ʼ][^\W\d_]+)*"
    r"|\S"
)


def tokens(text: str, offset: int = 0) -> list[tuple[int, int]]:
    """Word, number and punctuation ``(start, end)`` offsets of ``text`` (plus ``offset``) for
    any language written with spaces. Numbers keep their group and decimal separators
    (``4 800``, ``4.800``, ``1,5``); words keep inner hyphens and apostrophes."""
    return [(m.start() + offset, m.end() + offset) for m in _TOKEN.finditer(text)]
