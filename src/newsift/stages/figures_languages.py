"""Figures in ru, uk, de, fr, es and pl: each language's number formats, scale words and dates.

``parse_figures(text, lang="de")`` comes here for every language but English, and gives the same
records as the English finder (``{text, start, end, kind, value, unit}``; dates with ``parts``):

- numbers: a decimal comma (``4,8``), groups of three by a space, a no-break space or a dot
  (``4 800``, ``4 800``, ``4.800``); a dot before one, two or four+ digits is a decimal point;
- scale words with their abbreviations and inflections: ``тыс.``, ``млн``, ``млрд``, ``трлн``;
  ``тис.``; ``Tsd.``, ``Mio.``, ``Mrd.``, ``Billion`` (10^12); ``mille``, ``millions``,
  ``milliards``; ``mil``, ``millones``, ``mil millones`` (10^9), ``billones`` (10^12); ``tys.``,
  ``mln``, ``mld``, ``bln``;
- money: a currency sign (``$ € £ ₽ ₴ zł``) or word (``руб.``, ``долл.``, ``грн``, ``Euro``,
  ``d'euros``, ``de dólares``, ``zł``...) after the number and its scale, or a sign before it;
- percent: ``%``, ``процентов``, ``відсотків``, ``Prozent``, ``pour cent``, ``por ciento``,
  ``proc.``;
- dates: day, month name, year in each language's order (``3 декабря 2026``, ``3. Dezember
  2026``, ``3 de diciembre de 2026``) and ``03.12.2026``; years (1800-2099) alone;
- durations by a time unit after the number (``6 месяцев``, ``12 Stunden``, ``6 mois``), and
  quantities by the word after the number (``4 800 военнослужащих``).

Numbers written in words (``три``, ``drei``) are not read in these languages.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

_MONTHS: dict[str, dict[str, int]] = {
    "ru": {
        "январ": 1, "феврал": 2, "март": 3, "апрел": 4, "ма": 5, "июн": 6, "июл": 7,
        "август": 8, "сентябр": 9, "октябр": 10, "ноябр": 11, "декабр": 12,
    },
    "uk": {
        "січ": 1, "лют": 2, "берез": 3, "квіт": 4, "трав": 5, "черв": 6, "лип": 7,
        "серп": 8, "верес": 9, "жовт": 10, "листопад": 11, "груд": 12,
    },
    "de": {
        "januar": 1, "jänner": 1, "februar": 2, "märz": 3, "april": 4, "mai": 5, "juni": 6,
        "juli": 7, "august": 8, "september": 9, "oktober": 10, "november": 11, "dezember": 12,
    },
    "fr": {
        "janvier": 1, "février": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7,
        "août": 8, "septembre": 9, "octobre": 10, "novembre": 11, "décembre": 12,
    },
    "es": {
        "enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7,
        "agosto": 8, "septiembre": 9, "setiembre": 9, "octubre": 10, "noviembre": 11,
        "diciembre": 12,
    },
    "pl": {
        "stycz": 1, "lut": 2, "mar": 3, "kwiet": 4, "maj": 5, "czerw": 6, "lip": 7,
        "sierp": 8, "wrze": 9, "październik": 10, "listopad": 11, "grud": 12,
    },
}  # fmt: skip
# The whole month words each stem above stands for (genitive forms included).
_MONTH_WORDS: dict[str, str] = {
    "ru": r"январ[яь]|феврал[яь]|марта?|апрел[яь]|ма[яй]|июн[яь]|июл[яь]|августа?|"
    r"сентябр[яь]|октябр[яь]|ноябр[яь]|декабр[яь]",
    "uk": r"січ(?:ня|ень)|лют(?:ого|ий)|берез(?:ня|ень)|квіт(?:ня|ень)|трав(?:ня|ень)|"
    r"черв(?:ня|ень)|лип(?:ня|ень)|серп(?:ня|ень)|верес(?:ня|ень)|жовт(?:ня|ень)|"
    r"листопада?|груд(?:ня|ень)",
    "de": r"Januar|Jänner|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|"
    r"November|Dezember",
    "fr": r"janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|"
    r"décembre",
    "es": r"enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|"
    r"noviembre|diciembre",
    "pl": r"stycznia|lutego|marca|kwietnia|maja|czerwca|lipca|sierpnia|września|"
    r"października|listopada|grudnia",
}
# (pattern, power of ten); longest alternatives first.
# The month word before a bare year: nominative or locative ("в декабре 2020", "у грудні
# 2020", "Dezember 2020", "décembre 2020", "diciembre de 2020", "w grudniu 2020").
_MONTH_YEAR_WORDS: dict[str, str] = {
    "ru": r"январ[еья]|феврал[еья]|март[еа]?|апрел[еья]|ма[еяй]|июн[еья]|июл[еья]|август[еа]?|"
    r"сентябр[еья]|октябр[еья]|ноябр[еья]|декабр[еья]",
    "uk": r"січ(?:ні|ня|ень)|лют(?:ому|ого|ий)|берез(?:ні|ня|ень)|квіт(?:ні|ня|ень)|"
    r"трав(?:ні|ня|ень)|черв(?:ні|ня|ень)|лип(?:ні|ня|ень)|серп(?:ні|ня|ень)|"
    r"верес(?:ні|ня|ень)|жовт(?:ні|ня|ень)|листопад[іа]?|груд(?:ні|ня|ень)",
    "de": _MONTH_WORDS["de"],
    "fr": _MONTH_WORDS["fr"],
    "es": _MONTH_WORDS["es"],
    "pl": r"styczeń|styczniu|luty|lutym|marzec|marcu|kwiecień|kwietniu|maj|maju|czerwiec|"
    r"czerwcu|lipiec|lipcu|sierpień|sierpniu|wrzesień|wrześniu|październik|październiku|"
    r"listopad|listopadzie|grudzień|grudniu",
}
_PL_MONTH_STEMS = {"stycz": 1, "lut": 2, "mar": 3, "kwie": 4, "maj": 5, "czerw": 6, "lip": 7,
                   "sierp": 8, "wrze": 9, "październik": 10, "listopad": 11, "grud": 12}  # fmt: skip
_SCALES: dict[str, list[tuple[str, int]]] = {
    "ru": [(r"тыс\.|тысяч[аиу]?", 3), (r"млн\.?|миллион(?:ами|ов|а)?", 6),
           (r"млрд\.?|миллиард(?:ами|ов|а)?", 9), (r"трлн\.?|триллион(?:ов|а)?", 12)],
    "uk": [(r"тис\.|тисяч[іау]?", 3), (r"млн\.?|мільйон(?:ів|а)?", 6),
           (r"млрд\.?|мільярд(?:ів|а)?", 9), (r"трлн\.?|трильйон(?:ів|а)?", 12)],
    "de": [(r"Tsd\.|Tausend", 3), (r"Mio\.|Millionen|Million", 6),
           (r"Mrd\.|Milliarden|Milliarde", 9), (r"Bio\.|Billionen|Billion", 12)],
    "fr": [(r"mille", 3), (r"millions?|M(?=\s?€)", 6), (r"milliards?|Mds?|Mrds?", 9)],
    "es": [(r"mil millones", 9), (r"mil", 3), (r"millones|millón", 6),
           (r"billones|billón", 12)],
    "pl": [(r"tys\.|tysi[ąę]c[ey]?|tysięcy", 3), (r"mln|milion(?:ów|y|a)?", 6),
           (r"mld|miliard(?:ów|y|a)?", 9), (r"bln|bilion(?:ów|y|a)?", 12)],
}  # fmt: skip
_CURRENCY_WORDS: dict[str, str] = {
    "ru": r"руб\.|рубл(?:ей|я|ь)|коп\.|долл\.(?:\s?США)?|доллар(?:ов|а)?(?:\s?США)?|евро|"
    r"юаней|гривен|фунтов",
    "uk": r"грн\.?|гривень|гривні|гривня|дол\.(?:\s?США)?|долар(?:ів|и|а)?(?:\s?США)?|євро|"
    r"руб\.|рублів",
    "de": r"Euro|US-Dollar|Dollar|Franken|Pfund|Rubel|Hrywnja|Złoty|Zloty",
    "fr": r"(?:d['’])?euros?|(?:de\s)?dollars?|(?:de\s)?francs?|(?:de\s)?roubles?|"
    r"(?:de\s)?livres?",
    "es": r"(?:de\s)?(?:euros?|dólares|dólar|pesos?|rublos?|libras?)",
    "pl": r"zł|złotych|złote|złoty|gr|dolarów|dolary|dol\.|euro|rubli|funtów",
}
_PERCENT_WORDS: dict[str, str] = {
    "ru": r"процент(?:ов|а)?|проц\.",
    "uk": r"відсот(?:ків|ка|ки|ок)|проц\.",
    "de": r"Prozent",
    "fr": r"pour\s?cent",
    "es": r"por\s?ciento",
    "pl": r"proc\.|procent(?:ów|y)?",
}
_DURATIONS: dict[str, str] = {
    "ru": r"секунд[ыу]?|минут[ыу]?|час(?:ов|а)?|сут(?:ок|ки)|д(?:ней|ня|ень)|недел[ьиюя]|"
    r"месяц(?:ев|а)?|год(?:а)?|лет",
    "uk": r"секунд[иу]?|хвилин[иу]?|годин[иу]?|діб|д(?:нів|ні|ень)|тижн(?:ів|і|ень)|"
    r"місяц(?:ів|і|ь)|рок(?:ів|и)|рік",
    "de": r"Sekunden?|Minuten?|Stunden?|Tagen?|Tage|Tag|Wochen?|Monaten?|Monate|Monat|"
    r"Jahren?|Jahre|Jahr|Jahrzehnte?",
    "fr": r"secondes?|minutes?|heures?|jours?|semaines?|mois|ans|années?|décennies?",
    "es": r"segundos?|minutos?|horas?|días?|semanas?|meses|mes|años?|décadas?",
    "pl": r"sekund[y]?|minut[y]?|godzin[y]?|dni|dzień|tygodni(?:e)?|tydzień|miesi[ęą]c(?:y|e)?|"
    r"lat|lata|rok",
}
# Words after a number that are not its unit (verbs, prepositions, conjunctions).
_NOT_UNITS: dict[str, frozenset[str]] = {
    "ru": frozenset("и в на с по за из до от к о а но или что как не".split()),
    "uk": frozenset("і й в у на з із по за до від к о а але або що як не".split()),
    "de": frozenset("und in an auf mit von zu für bis aus bei nach oder als wie nicht".split()),
    "fr": frozenset("et en à au aux de du des le la les un une ou que qui pour par sur".split()),
    "es": frozenset("y e en a al de del el la los las un una o u que para por con".split()),
    "pl": frozenset("i w we na z ze do od o a ale lub że jak nie po za".split()),
}

_SPACE = "[ \u00a0\u202f]"
_NUM = (
    rf"(?<![\d.,])(?:\d{{1,3}}(?:{_SPACE}\d{{3}})+(?![.,]?\d)(?:,\d+)?"
    r"|\d{1,3}(?:\.\d{3})+(?![\d])(?:,\d+)?"
    r"|\d+,\d+|\d+\.\d+|\d+)(?![\d])"
)
_SIGNS = "$€£₽₴"


def _compile(lang: str) -> dict[str, re.Pattern[str]]:
    scales = "|".join(p for p, _ in _SCALES[lang])
    # an abbreviation's own dot ends it; a whole word must end at a word boundary
    scale = rf"(?P<scale>(?:{scales}))(?:(?<=\.)|\b)"
    money_words = _CURRENCY_WORDS[lang]
    months = _MONTH_WORDS[lang]
    if lang == "de":
        date = rf"(?P<d>\d{{1,2}})\.\s?(?P<m>{months})(?:\s(?P<y>\d{{4}}))?"
    elif lang == "es":
        date = rf"(?P<d>\d{{1,2}})\sde\s(?P<m>{months})(?:\sde(?:l)?\s(?P<y>\d{{4}}))?"
    else:
        date = rf"(?P<d>\d{{1,2}})\s(?P<m>{months})(?:\s(?P<y>\d{{4}}))?"
    flags = re.I if lang != "de" else 0
    of = r"\sde" if lang == "es" else ""
    month_year = rf"(?P<m>{_MONTH_YEAR_WORDS[lang]}){of}\s(?P<y>(?:18|19|20)\d{{2}})(?!\d)"
    return {
        "date": re.compile(rf"(?<!\d){date}(?![\w])", flags),
        "month_year": re.compile(rf"(?<![\w]){month_year}", flags),
        "numeric_date": re.compile(r"(?<![\d.])(\d{1,2})\.(\d{1,2})\.((?:18|19|20)\d{2})(?!\d)"),
        "money_sign_before": re.compile(
            rf"(?P<sign>[{_SIGNS}])\s?(?P<num>{_NUM})(?:{_SPACE}?{scale})?"
        ),
        "money": re.compile(
            rf"(?P<num>{_NUM})(?:{_SPACE}?{scale})?{_SPACE}?"
            rf"(?P<cur>[{_SIGNS}]|(?:{money_words})(?:(?<=\.)|\b))",
            re.I if lang != "de" else 0,
        ),
        "percent": re.compile(
            rf"(?P<num>{_NUM}){_SPACE}?(?:%|(?:{_PERCENT_WORDS[lang]})(?:(?<=\.)|\b))", re.I
        ),
        "number": re.compile(rf"(?P<num>{_NUM})(?:{_SPACE}?{scale})?"),
        "duration": re.compile(rf"\s(?:{_DURATIONS[lang]})\b", re.I),
        "unit": re.compile(r"\s(?:(?:de|d['’])\s?)?([^\W\d_][\w’'-]*)")
        if lang in ("fr", "es")
        else re.compile(r"\s([^\W\d_][\w’'-]*)"),
        "time": re.compile(
            r"(?<![\d:])\d{1,2}[:.]\d{2}(?=\s?(?:Uhr|h|ч\.|час|godz)\b)|"
            r"(?<![\d:])\d{1,3}:\d{1,3}(?![\d:])"  # clock times and scores ("13:2")
        ),
        "range": re.compile(r"\s?[-–—]\s?|\s(?:bis|à|a|do|до|по)\s"),
    }


_PATTERNS: dict[str, dict[str, re.Pattern[str]]] = {}


def _patterns(lang: str) -> dict[str, re.Pattern[str]]:
    if lang not in _PATTERNS:
        _PATTERNS[lang] = _compile(lang)
    return _PATTERNS[lang]


def number_value(token: str) -> Decimal | None:
    """The value of a number in these languages' formats (``4 800``, ``4.800``, ``4,8``)."""
    t = re.sub(_SPACE, "", token)
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", t):
        t = t.replace(".", "")
    t = t.replace(",", ".")
    try:
        return Decimal(t) if len(t) <= 24 else None
    except ArithmeticError:
        return None


def _scale_power(lang: str, word: str | None) -> int:
    if not word:
        return 0
    for pattern, power in _SCALES[lang]:
        if re.fullmatch(pattern, word, re.I if lang != "de" else 0):
            return power
    return 0


# German nouns are capitalised: a lower-case word after a number is a verb ("3 kostet"), except
# these units.
_DE_LOWER_UNITS = frozenset("km m cm mm kg g t l ha qm kW MW GW kWh".split())


# "29-jährige", "29-летний", "29-річний", "29-letni": an age
_AGE = re.compile(r"-(?:jährig|летн|річн|letni|latk)\w*", re.I)
_MODEL = re.compile(r"[^\W\d_]\w*-$")  # "M-53", "Су-27": a model's name
_CAPITALISED_BEFORE = re.compile(r"(?<![.!?…:;]\s)(?<=\S\s)([^\W\d_][\w.-]*)\s$")


def _not_a_figure(text: str, s: int, e: int, lang: str) -> bool:
    """A number that names or ranks rather than counts: a model ("Progress M-53", "Су-27"), a
    number after a capitalised word inside a sentence with no unit after it ("Expedition 11",
    "die A 2"), a German ordinal ("am 7. Tag", "die 2. Liga")."""
    before = text[max(0, s - 40) : s]
    if _MODEL.search(before):
        return True
    nxt = text[e : e + 2]
    if lang == "de" and len(text[s:e]) <= 3 and nxt == ". ":
        return e + 2 < len(text) and text[e + 2].isalpha()
    cap = _CAPITALISED_BEFORE.search(before)
    if not cap or not cap.group(1)[0].isupper() or len(text[s:e]) > 3:
        return False
    after = re.match(r"\s([^\W\d_][\w’'-]*)", text[e : e + 40])
    if after is None or after.group(1).lower() in _NOT_UNITS[lang]:
        return True
    return lang == "de" and not after.group(1)[0].isupper()


def _signed(f: _Found, s: int) -> int:
    """``s`` moved left over a sign that starts a token ("-5,4 %")."""
    t = f.text
    if s > 0 and t[s - 1] in "-+−" and (s == 1 or t[s - 2] in " \t([\n") and f.free(s - 1, s):
        return s - 1
    return s


def _plain(d: Decimal) -> int | float:
    return int(d) if d == d.to_integral_value() else float(d)


class _Found:
    def __init__(self, text: str, offset: int) -> None:
        self.text, self.offset = text, offset
        self.taken = bytearray(len(text))
        self.out: list[dict[str, Any]] = []

    def free(self, s: int, e: int) -> bool:
        return self.taken.find(1, s, e) == -1

    def add(self, s: int, e: int, kind: str, value: Any, unit: str | None, **extra: Any) -> None:
        self.taken[s:e] = b"\x01" * (e - s)
        self.out.append(
            {"text": self.text[s:e], "start": self.offset + s, "end": self.offset + e,
             "kind": kind, "value": value, "unit": unit, **extra}
        )  # fmt: skip


def parse_figures_lang(text: str, offset: int, lang: str) -> list[dict[str, Any]]:
    """The figures of ``text`` in language ``lang`` (one of ru, uk, de, fr, es, pl); records as
    :func:`newsift.stages.figures.parse_figures` gives them, offsets plus ``offset``."""
    if not any(ch.isdigit() for ch in text):
        return []
    p = _patterns(lang)
    f = _Found(text, offset)
    _dates(f, p, lang)
    for m in p["time"].finditer(text):  # clock times ("12:30 Uhr") are no figures
        f.taken[m.start() : m.end()] = b"\x01" * (m.end() - m.start())
    for m in p["money_sign_before"].finditer(text):
        value = number_value(m.group("num"))
        if value is not None and f.free(m.start(), m.end()):
            value *= Decimal(10) ** _scale_power(lang, m.group("scale"))
            f.add(m.start(), m.end(), "money", _plain(value), m.group("sign"))
    for m in p["money"].finditer(text):
        value = number_value(m.group("num"))
        if value is not None and f.free(m.start(), m.end()):
            value *= Decimal(10) ** _scale_power(lang, m.group("scale"))
            f.add(m.start(), m.end(), "money", _plain(value), m.group("cur"))
    for m in p["percent"].finditer(text):
        value = number_value(m.group("num"))
        if value is not None and f.free(m.start(), m.end()):
            start = _signed(f, m.start())
            value = -value if start < m.start() and text[start] != "+" else value
            f.add(start, m.end(), "percent", _plain(value), "%")
    for m in p["number"].finditer(text):
        if f.free(m.start(), m.end()):
            _number(f, p, lang, m)
    f.out.sort(key=lambda x: x["start"])
    return f.out


def _dates(f: _Found, p: dict[str, re.Pattern[str]], lang: str) -> None:
    for m in p["date"].finditer(f.text):
        day, month_word, year = int(m.group("d")), m.group("m").lower(), m.group("y")
        month = next(
            (n for stem, n in sorted(_MONTHS[lang].items(), key=lambda kv: -len(kv[0]))
             if month_word.startswith(stem)),
            None,
        )  # fmt: skip
        if month is None or not 1 <= day <= 31:
            continue
        iso = f"{year}-{month:02d}-{day:02d}" if year else f"--{month:02d}-{day:02d}"
        parts = {"year": int(year) if year else None, "month": month, "day": day}
        f.add(m.start(), m.end(), "date", iso, None, parts=parts)
    for m in p["month_year"].finditer(f.text):
        if not f.free(m.start(), m.end()):
            continue
        word = m.group("m").lower()
        stems = _PL_MONTH_STEMS if lang == "pl" else _MONTHS[lang]
        month = next(
            (n for stem, n in sorted(stems.items(), key=lambda kv: -len(kv[0]))
             if word.startswith(stem)),
            None,
        )  # fmt: skip
        if month is not None:
            year = int(m.group("y"))
            parts = {"year": year, "month": month, "day": None}
            f.add(m.start(), m.end(), "date", f"{year}-{month:02d}", None, parts=parts)
    for m in p["numeric_date"].finditer(f.text):
        day, month, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if 1 <= day <= 31 and 1 <= month <= 12 and f.free(m.start(), m.end()):
            parts = {"year": year, "month": month, "day": day}
            f.add(m.start(), m.end(), "date", f"{year}-{month:02d}-{day:02d}", None, parts=parts)


def _number(f: _Found, p: dict[str, re.Pattern[str]], lang: str, m: re.Match[str]) -> None:
    num, scale = m.group("num"), m.group("scale")
    value = number_value(num)
    if value is None or (num[0] == "0" and len(num) > 1 and num[1].isdigit()):
        return
    value *= Decimal(10) ** _scale_power(lang, scale)
    s, e = _signed(f, m.start()), m.end()
    if s < m.start() and f.text[s] != "+":
        value = -value
    rng = p["range"].match(f.text, e)
    if rng:  # "10–15 %", "5 bis 7 Mio. Euro": the range's first number takes the second's kind
        nxt = next((x for x in f.out if x["start"] - f.offset == rng.end()), None)
        if nxt and nxt["kind"] in ("percent", "money", "duration"):
            f.add(s, e, nxt["kind"], _plain(value), nxt["unit"])
            return
    if num.isdigit() and len(num) == 4 and not scale and 1800 <= int(num) <= 2099:
        f.add(s, e, "year", int(num), None)
        return
    age = _AGE.match(f.text, e)
    if age and not scale:
        f.add(s, age.end(), "quantity", _plain(value), "years old")
        return
    if not scale and num.isdigit() and _not_a_figure(f.text, s, e, lang):
        return
    dur = p["duration"].match(f.text, e)
    if dur and f.free(e, dur.end()):
        f.add(s, dur.end(), "duration", _plain(value), dur.group(0).strip().lower())
        return
    unit = p["unit"].match(f.text, e)
    if (
        unit
        and unit.group(1).lower() not in _NOT_UNITS[lang]
        and (lang != "de" or unit.group(1)[0].isupper() or unit.group(1) in _DE_LOWER_UNITS)
        and f.free(e, unit.end())
    ):
        f.add(s, unit.end(), "quantity", _plain(value), unit.group(1))
        return
    f.add(s, e, "number", _plain(value), None)
