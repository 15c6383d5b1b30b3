"""Matching a sentence in another language to an English-language catalogue case.

The catalogue's cases (EUvsDisinfo) are one-line English titles; a Russian, Ukrainian, German,
French, Spanish or Polish sentence shares no words with them, so BM25 and the word-overlap
features of :mod:`.search` say nothing. What crosses languages here:

- the multilingual-e5 cosine (:class:`newsift.embed.MultilingualEncoder`; a claim and its
  translation land together), which also picks the candidates, and how far it stands out from
  the sentence's nearest cases (:func:`cosine_lift`);
- the names both mention, each language's forms mapped to one token (:func:`names_of`: "США",
  "Вашингтон", "Stany Zjednoczone", "EE. UU.", "the Americans" are all ``usa``);
- the numbers both state (digits are shared by every language here);
- whether exactly one of the two negates or denies (:func:`polarity`, each language's words).

:class:`CrossModel` scores these features with a logistic regression fitted on the
calibration part of ``tests/fixtures/claim-matching-crosslang.jsonl`` (``newsift train claims
--part crosslang``); :func:`voice_of` adds each language's critical and reporting words to the
English rules of :func:`newsift.factchecks.search.voice_of`.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

import numpy as np

CROSS_FEATURES = (
    "e5_cosine",
    "cosine_lift",
    "name_recall",
    "name_precision",
    "number_agreement",
    "polarity_mismatch",
)

# Canonical name -> word prefixes (lower case, "|"-separated) in en/ru/uk/de/fr/es/pl. A word
# names the actor when it starts with one of the prefixes; prefixes are long enough not to catch
# common words, and those of 2-3 letters count only written in capitals and as a whole word (EU,
# ЕС, UE, ONU, US; not the "UE" of "UEFA" nor the "US" of "USD").
_NAMES: dict[str, str] = {
    "usa": (
        "usa|u.s|us|america|washington|сша|америк|вашингтон|amerika|vereinigte staaten|"
        "états-unis|etats-unis|américain|americain|estados unidos|ee. uu|ee.uu|eeuu|"
        "estadounidense|norteamerican|stany zjednoczone|stanów zjednoczonych|"
        "stanami zjednoczonymi|amerykań|amerykan|waszyngton|штати|штаты|соединённые штаты|"
        "сполучені штати"
    ),
    "russia": "russia|russian|moscow|kremlin|росси|русск|москв|кремл|росі|russland|russisch|russen|moskau|russie|russe|moscou|rusia|ruso|rusa|moscú|rosj|rosyj|moskw|kreml",
    "ukraine": "ukrain|kyiv|kiev|украин|киев|україн|київ|києв|kiew|ucrania|ucranian|kijów|kijow|ukraiń|kijow",
    "belarus": "belarus|minsk|беларус|белорус|білорус|минск|мінськ|weißrussland|weissrussland|biélorussie|bielorrusia|białoru|bialoru|mińsk",
    "eu": (
        "eu|european union|brussels|евросоюз|европейский союз|ес|єс|євросоюз|брюссел|"
        "брюсел|europäische union|brüssel|union européenne|ue|bruxelles|unión europea|"
        "bruselas|unia europejska|unii europejskiej|bruksel"
    ),
    "nato": "nato|нато|otan",
    "uk": (
        "britain|british|united kingdom|london|великобритан|британ|лондон|großbritannien|"
        "britisch|royaume-uni|britannique|londres|reino unido|británic|wielka brytania|"
        "wielkiej brytanii|brytyj|londyn|scotland yard"
    ),
    "isis": (
        "isis|isil|daesh|islamic state|игил|иго|исламское государство|"
        "«исламское государство|ісіл|іділ|ісламська держава|«ісламська держава|daesch|"
        "islamischer staat|islamischen staat|état islamique|estado islámico|"
        "państwo islamskie|państwa islamskiego"
    ),
    "syria": "syria|syri|damascus|сири|дамаск|сирі|syrien|syrie|damas|siria|sirio|syryj",
    "crimea": "crimea|крым|крим|krim|crimée|krym|krymu",
    "donbas": "donbas|донбас|donbass",
    "poland": "poland|polish|warsaw|польш|польск|варшав|польщ|польськ|polen|polnisch|warschau|pologne|polonais|varsovie|polonia|polaco|varsovia|polsk|polska|warszaw",
    "lithuania": "lithuania|vilnius|литв|литов|вильнюс|вільнюс|litauen|lituanie|lituania|litw|wilno",
    "baltic": "baltic|прибалт|балти|baltikum|baltisch|balte|báltic|bałtyc",
    "soviet": "soviet|ussr|ссср|советск|срср|радянськ|sowjet|udssr|soviéti|urss|radziec|zsrr|sowieck",
    "georgia": "georgia|tbilisi|грузи|тбилис|тбіліс|georgien|tiflis|géorgie|gruzj|tbilis",
    "germany": "germany|german|berlin|германи|немец|берлин|німеччин|німецьк|deutschland|deutsch|allemagne|allemand|alemania|alemán|niemc|niemiec|berlín",
    "netherlands": (
        "netherlands|dutch|нидерланд|голланд|нідерланд|niederland|pays-bas|néerlandais|"
        "países bajos|holand|niderland"
    ),
    "novichok": "novichok|новичок|новачок|nowitschok|novitchok|nowiczok",
    "navalny": "navalny|навальн|nawalny|navalni",
    "skripal": "skripal|скрипал",
    "mh17": "mh17|mh-17",
    "nordstream": "nord stream|north stream|северный поток|північний потік",
    "soros": "soros|сорос",
    "covid": "covid|coronavirus|коронавирус|коронавірус|ковид|ковід|corona|koronawirus|sars-cov",
    "un": "united nations|the un|оон|vereinte nationen|uno|onu|onz",
    "osce": "osce|обсе|обсє|osze|obwe",
    "wada": "wada|вада|ama",
    "cia": "cia|цру",
    "jit": "jit",
    "white_helmets": (
        "white helmets|белые каски|білі каски|weißhelme|casques blancs|cascos blancos|białe hełmy"
    ),
    "douma": "douma|думе|дума|думі",
    "serbia": "serbia|serbien|serbie|сербия|сербі|serbii",
    "yugoslavia": "yugoslavia|югослав|jugoslaw|yougoslav|jugosław",
    "denmark": "denmark|danish|дания|данию|дании|данія|данії|датск|dänemark|danemark|dinamarca|dania",
    "czechia": "czech|prague|чехи|чешск|прага|праге|прагу|чесь|чехії|tschech|prag|tchèque|checo|praga|czech|czes",
    "armenia": "armenia|армени|вірмен|armenien|arménie|armeni",
    "moldova": "moldova|молдав|moldau|moldavie|moldavia|mołdaw",
    "romania": "romania|румыни|румуні|rumänien|roumanie|rumania|rumuni",
    "venezuela": "venezuela|венесуэл|венесуел|wenezuel",
    "guyana": "guyana|гайан|gujan",
    "jordan": "jordan|иордан|йордан|jordanie|jordania",
    "belgium": "belgi|бельги|бельгі|belgien|belgique|bélgica",
    "finland": "finland|финлянд|фінлянд|finnland|finlande|finlandia",
    "kurils": "kuril|курил|kurilen|kouriles",
    "biden": "biden|байден",
    "medvedchuk": "medvedchuk|медведчук|medwedtschuk|miedwiedczuk",
    "hitler": "hitler|гитлер|гітлер|nazi|нацист|naziste|nazis",
    "orthodox": "orthodox|православн|orthodoxe|ortodox|prawosław",
    "brexit": "brexit|брексит|брекзит",
    "konev": "konev|конев|конєв|koniew|konew",
}

_WORD = re.compile(r"[^\W\d_]+(?:[-.'’][^\W\d_]+)*", re.UNICODE)
# a number not glued to a name: the digits of "COVID-19", "SARS-CoV-2", "MH17", "Су-25" name a
# thing (and are often left out of a rewording: "das neue Coronavirus"), they state no figure
_NOT_IN_NAME = r"(?<![^\W_])(?<![^\W\d_][-\u2010\u2011])"
_NUMBER = re.compile(_NOT_IN_NAME + r"\d+(?:[\s.,]\d+)*")


@functools.lru_cache(maxsize=1)
def _name_pattern() -> tuple[re.Pattern[str], dict[str, str]]:
    """One regex over all prefixes (longest first), and prefix -> canonical name."""
    owner: dict[str, str] = {}
    for canon, prefixes in _NAMES.items():
        for p in prefixes.split("|"):
            owner.setdefault(p.strip(), canon)
    alts = sorted(owner, key=len, reverse=True)
    pattern = re.compile(
        r"(?<![^\W_])(?:" + "|".join(re.escape(a) for a in alts) + r")", re.IGNORECASE
    )
    return pattern, owner


def names_of(text: str) -> set[str]:
    """The canonical actor names ``text`` mentions, in any of the supported languages."""
    pattern, owner = _name_pattern()
    low = text.lower()
    found = set()
    for m in pattern.finditer(low):
        canon = owner.get(m.group(0))
        # abbreviations of 2-3 letters (EU, ЕС, UE, UN, US...) only in capitals in the original
        # text, and only as a whole word ("UEFA", "USD" and "AMAZON" name no actor)
        if canon and (
            len(m.group(0)) > 3
            or (text[m.start() : m.end()].isupper() and not low[m.end() : m.end() + 1].isalpha())
        ):
            found.add(canon)
    return found


def numbers_of(text: str) -> set[str]:
    """Numbers stated in ``text`` with their group separators removed ("2,500", "2 500",
    "2.500" -> "2500"); decimals keep their digits ("8,5" and "8.5" -> "85"). Digits that are
    part of a name ("COVID-19", "MH17", "SARS-CoV-2") are not stated numbers."""
    return {re.sub(r"\D", "", n) for n in _NUMBER.findall(text)}


# Words that negate or deny, per language (presence, not parity; see search.polarity).
_NEGATORS = re.compile(
    r"(?<![^\W_])(?:"
    r"no|not|never|none|nothing|without|myth|hoax|fake|false|fabricated|staged|deny|denies|"
    r"denied|"
    r"не|нет|ни|никогда|ничего|никакого|никаких|без|миф|фейк|ложь|сфабрикован\w*|"
    r"ні|ніколи|нічого|жодн\w*|міф|вигадк\w*|"
    r"nicht|kein\w*|nie|niemals|nichts|ohne|mythos|erfunden|gefälscht|"
    r"ne|pas|jamais|aucun\w*|rien|sans|mythe|faux|fausse|"
    r"nunca|ningún|ninguna?|nada|sin|mito|bulo|falso|falsa|"
    r"nigdy|żaden|żadne\w*|bez|fałsz\w*"
    r")(?![^\W_])",
    re.IGNORECASE,
)


def polarity(text: str) -> int:
    """1 when ``text`` has a negating or denying word of any supported language, else 0."""
    return int(_NEGATORS.search(text) is not None)


# Critical voice in the other languages: the writer reports a claim to reject it.
_CRITICAL = re.compile(
    r"(?<![^\W_])(?:"
    r"без (?:каких-либо |всяких |каких-то )?(?:доказательств|оснований)|безосновательно|"
    r"ложно|ложн\w+ (?:утвержд\w+|заявлени\w+)|якобы|так называем\w+|пропаганд\w+|"
    r"дезинформаци\w+|фейк\w*|опроверг\w+|"
    r"без (?:жодних )?доказів|безпідставно|нібито|так зван\w+|дезінформаці\w+|спростова\w+|"
    r"ohne (?:jeden |jegliche |irgendwelche )?(?:Belege?|Beweise?)|fälschlich\w*|angeblich\w*|"
    r"sogenannt\w*|Propaganda|Desinformation|widerlegt\w*|Verschwörungstheor\w+|"
    r"sans (?:aucune |la moindre )?preuve|faussement|prétendu\w*|soi-disant|propagande|"
    r"désinformation|démenti\w*|théorie du complot|"
    r"sin (?:ninguna |ningún )?(?:prueba|evidencia)s?|falsamente|supuest\w+|propaganda|"
    r"desinformación|bulo|desmenti\w+|teoría de la conspiración|"
    r"bez (?:żadnych )?dowodów|fałszywie|rzekom\w+|tak zwan\w+|propagand\w+|dezinformacj\w+|"
    r"zdementowa\w+|teori\w+ spiskow\w+"
    r")(?![^\W_])",
    re.IGNORECASE,
)
_REPORTED = re.compile(
    r"(?<![^\W_])(?:"
    r"заяв\w+|утвержда\w+|сообщ\w+|по (?:\w+ )?словам|по данным|по (?:\w+ )?мнению|"
    r"считает|считают|сказал\w*|напомнил\w*|"
    r"стверджу\w+|повідоми\w+|за (?:\w+ )?словами|за даними|сказав\w*|"
    r"behaupte\w*|erklärt\w*|sagt\w*|laut|zufolge|berichte\w*|"
    r"affirm\w+|prétend\w*|déclar\w+|selon|"
    r"afirm\w+|asegur\w+|según|declar\w+|"
    r"twierdz\w+|twierdzi|oświadczy\w+|według|powiedzia\w+|przekonuj\w+"
    r")(?![^\W_])",
    re.IGNORECASE,
)


def voice_of(sentence: str) -> str | None:
    """``critical`` or ``reported`` by the other languages' words, or None (no such word; the
    English rules of :func:`newsift.factchecks.search.voice_of` still apply)."""
    if _CRITICAL.search(sentence):
        return "critical"
    if _REPORTED.search(sentence):
        return "reported"
    return None


@dataclass(frozen=True)
class CrossInfo:
    """What the cross-language features need of one text."""

    names: frozenset[str]
    numbers: frozenset[str]
    polarity: int

    @classmethod
    def of(cls, text: str) -> CrossInfo:
        return cls(frozenset(names_of(text)), frozenset(numbers_of(text)), polarity(text))


def record_info(coll: Any, i: int) -> CrossInfo:
    """:class:`CrossInfo` of record ``i``'s claim, computed once and kept on the collection."""
    from .search import claim_text

    cache: dict[int, CrossInfo] = coll.__dict__.setdefault("_cross_info", {})
    info = cache.get(i)
    if info is None:
        info = cache[i] = CrossInfo.of(claim_text(coll.records[i]))
    return info


LIFT_DEPTH = 10


def cosine_lift(cos: float, nearest: np.ndarray) -> float:
    """``cos`` minus the mean cosine of the sentence's :data:`LIFT_DEPTH` nearest cases: how far
    a case stands out from the sentence's neighbourhood. e5 puts every sentence on a topic close
    to all its cases (cross-lingual "hubness"; cf. CSLS, Conneau et al. 2018), so the raw cosine
    alone tells a restated claim from a same-topic one poorly."""
    return float(cos - float(np.mean(nearest[:LIFT_DEPTH])))


def cross_features(
    query: str | CrossInfo, claim: str | CrossInfo, cos: float, lift: float = 0.0
) -> list[float]:
    """The :data:`CROSS_FEATURES` row of one (sentence, case) pair: the e5 cosine and its lift
    (:func:`cosine_lift`), the shares of the case's names found in the sentence and of the
    sentence's names found in the case, whether the case's numbers are in the sentence, and
    whether exactly one of them denies."""
    q = query if isinstance(query, CrossInfo) else CrossInfo.of(query)
    c = claim if isinstance(claim, CrossInfo) else CrossInfo.of(claim)
    shared = q.names & c.names
    return [
        cos,
        lift,
        len(shared) / len(c.names) if c.names else 1.0,
        len(shared) / len(q.names) if q.names else 1.0,
        len(c.numbers & q.numbers) / len(c.numbers) if c.numbers else 1.0,
        float(q.polarity != c.polarity),
    ]


@dataclass
class CrossModel:
    """Logistic regression over standardised :data:`CROSS_FEATURES`, and its threshold."""

    mean: list[float]
    scale: list[float]
    coef: list[float]
    intercept: float
    threshold: float

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> CrossModel:
        return cls(
            list(d["mean"]),
            list(d["scale"]),
            list(d["coef"]),
            float(d["intercept"]),
            float(d["threshold"]),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "features": list(CROSS_FEATURES),
            "mean": [round(float(v), 6) for v in self.mean],
            "scale": [round(float(v), 6) for v in self.scale],
            "coef": [round(float(v), 6) for v in self.coef],
            "intercept": round(float(self.intercept), 6),
            "threshold": self.threshold,
        }

    def score(self, feats: np.ndarray) -> np.ndarray:
        """Match probabilities for :data:`CROSS_FEATURES` rows."""
        x = (np.asarray(feats, dtype=float) - np.asarray(self.mean)) / np.asarray(self.scale)
        return 1.0 / (1.0 + np.exp(-(x @ np.asarray(self.coef) + self.intercept)))


# English function words that are also words of the other languages here (Polish "i", "a",
# "on"; German "in", "an", "was"; French "on", "a"; Spanish "a"): not evidence on one sentence.
_SHARED_FUNCTION_WORDS = frozenset({"a", "i", "in", "on", "an", "was", "be", "also", "one"})
# the letters of the Cyrillic block (U+0482-U+0489 are a sign and combining marks, not letters):
# counted in one pass rather than testing each letter of the sentence
_CYRILLIC_LETTERS = re.compile(r"[\u0400-\u0481\u048a-\u04ff]")
_UKRAINIAN = re.compile(r"[іїєґІЇЄҐ]")
_LETTER = re.compile(r"[^\W\d_]")


@functools.lru_cache(maxsize=1)
def _english_words() -> frozenset[str]:
    """English function words that tell a sentence is English (made once, not per sentence)."""
    from ..lang import EN_FUNCTION_WORDS

    return frozenset(EN_FUNCTION_WORDS - _SHARED_FUNCTION_WORDS)


def sentence_language(text: str, article_language: str | None = None) -> str:
    """The language of one sentence, as an ISO 639-1 code (``en`` when unsure and the article
    gives none).

    Cyrillic text is Ukrainian when it has a letter only Ukrainian uses (і, ї, є, ґ), else
    Russian unless the article says another Cyrillic language; Latin-script text is English when
    English function words make up its usual share, else the article's language, else what
    py3langid names.
    """
    if _LETTER.search(text) is None:
        return article_language or "en"
    cyr = len(_CYRILLIC_LETTERS.findall(text))
    # the letters are counted only where there is Cyrillic to weigh (most sentences have none)
    if cyr and cyr > len(_LETTER.findall(text)) / 2:
        if _UKRAINIAN.search(text):
            return "uk"
        return article_language if article_language in ("ru", "bg", "be", "sr", "mk") else "ru"
    words = [w.lower() for w in _WORD.findall(text)]
    english = _english_words()
    if words and sum(w in english for w in words) / len(words) >= 0.12:
        return "en"
    if article_language:
        return article_language
    if len(words) < 5:  # too short to tell: English, what the models read best
        return "en"
    from ..lang import general_identifier

    code, _ = general_identifier().classify(" ".join(words))
    return str(code)
