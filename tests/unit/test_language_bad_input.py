"""Issue 24, bad input: mixed scripts, transliterated Russian, right-to-left text, languages
newsift does not analyse, mojibake. Each gets the right language or "not supported" with a
problem, never a crash, and no English-only stage runs on it."""

from __future__ import annotations

from typing import Any

import pytest

from newsift.article import Article
from newsift.extract import extract
from newsift.extract.mojibake import repair
from newsift.ingest.source import RawInput, decode_bytes
from newsift.lang import identify
from newsift.pipeline import Stage
from newsift.stages.nlp_languages import language_problem, language_record, predict_other

RUSSIAN = (
    "Министр обороны заявил во вторник, что войска будут отведены от границы к концу года. "
    "По словам источника в министерстве, решение ещё не принято, и переговоры продолжатся."
)
CASES = {
    "mixed_script": (
        "Компания Apple и корпорация Google заявили во вторник, что новый iPhone 17 и смартфоны "
        "Pixel будут продаваться в России через сеть DNS, сообщил источник в отрасли. По его "
        "словам, поставки начнутся в январе.",
        "ru",
        None,
    ),
    "transliterated": (
        "Ministr oborony zayavil vo vtornik, chto voyska budut otvedeny ot granitsy k kontsu "
        "goda. Po slovam istochnika v ministerstve, eto reshenie eshche ne prinyato, i "
        "peregovory prodolzhatsya.",
        "ru-Latn",
        "transliterated",
    ),
    "arabic": (
        "قال وزير الدفاع يوم الثلاثاء إن القوات ستنسحب من الحدود بحلول نهاية العام، وفقا لمصدر "
        "في الوزارة، وإن المفاوضات ستستمر الأسبوع المقبل في جنيف.",
        "ar",
        "language_not_supported",
    ),
    "hebrew": (
        "שר הביטחון אמר ביום שלישי כי הכוחות ייסוגו מהגבול עד סוף השנה, לפי מקור במשרד, וכי "
        "המשא ומתן יימשך בשבוע הבא בז'נבה עם כל הצדדים.",
        "he",
        "language_not_supported",
    ),
    "italian": (
        "Il ministro della difesa ha dichiarato martedì che le truppe saranno ritirate dal "
        "confine entro la fine dell'anno, secondo una fonte del ministero, e che i negoziati "
        "continueranno.",
        "it",
        "language_not_supported",
    ),
    "ukrainian": (
        "Міністр оборони заявив у вівторок, що війська будуть відведені від кордону до кінця "
        "року, повідомило джерело в міністерстві, і переговори триватимуть.",
        "uk",
        None,
    ),
}


class _EnglishOnly(Stage):
    name = "test_english_only.v1"
    assigns = ("marks",)

    def predict(self, batch: list[Article]) -> list[Any]:
        return [1 for _ in batch]

    def annotate(self, batch: list[Article], predictions: list[Any]) -> None:
        for article in batch:
            article.layers["marks"] = ["english"]


@pytest.mark.parametrize("case", sorted(CASES))
def test_language_and_problem(case: str) -> None:
    text, language, problem = CASES[case]
    code, _score = identify(text)
    assert code == language
    assert (language_problem(code) or (None,))[0] == problem
    pred = predict_other(text, code, 0.9, 1_000_000)
    assert pred["sentences"] and all(0 <= s < e <= len(text) for s, e in pred["sentences"])
    assert language_record(code, 0.9, {})["supported"] is (problem is None)
    article = Article(text)
    _EnglishOnly().pipe_batch([article])
    assert "marks" not in article.layers
    assert [p.code for p in article.problems] == ["language_not_supported"]


@pytest.mark.parametrize("text", ["🔥🔥🔥 " * 30, "12 34 56 " * 20, "", "   ", "\u202e\u202d" * 40])
def test_no_language_no_crash(text: str) -> None:
    assert identify(text)[0] is None
    article = Article(text)
    _EnglishOnly().pipe_batch([article])  # too short or no words to tell: left to the stage
    assert not article.problems


@pytest.mark.parametrize(
    ("garbled", "why"),
    [
        (RUSSIAN.encode("cp1251").decode("latin-1"), "windows-1251"),
        (RUSSIAN.encode("cp1251").decode("cp1252", errors="replace"), "windows-1251"),
        (RUSSIAN.encode("utf-8").decode("latin-1"), "UTF-8"),
    ],
)
def test_mojibake_is_repaired(garbled: str, why: str) -> None:
    fixed = repair(garbled)
    assert fixed is not None and fixed[0] == RUSSIAN and fixed[1].startswith(why)
    article = extract(RawInput.from_text(garbled, name="paste", html=False))
    assert article.text == RUSSIAN
    assert [p.code for p in article.problems] == ["mojibake_repaired"]
    assert identify(article.text)[0] == "ru"


@pytest.mark.parametrize(
    "text",
    [
        RUSSIAN,
        "Die Lösung für Straßen und Brücken wäre gut, sagte der Minister am Dienstag in Berlin.",
        "Le ministre a déclaré mardi que les troupes seraient retirées à Noël, selon une source.",
        "Plain ASCII English text that is long enough to be looked at by the repair function.",
        RUSSIAN + " ÐœÐ¸Ð½Ð¸ÑÑ‚Ñ€",  # mixed: garbled in part only, left alone
    ],
)
def test_good_text_is_left_alone(text: str) -> None:
    assert repair(text) is None


def test_undeclared_cp1251_bytes_decode_as_cyrillic() -> None:
    text, _encoding = decode_bytes(RUSSIAN.encode("cp1251"), "file.txt")
    assert text == RUSSIAN
