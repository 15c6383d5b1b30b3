"""Issue 24: pasted-text boilerplate cues and dates in ru, uk, de, fr, es and pl."""

from __future__ import annotations

import pytest

from newsift.extract.choose import parse_date
from newsift.extract.dates import month_number, parse_written_date
from newsift.extract.text import classify_line, extract_text


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Подписывайтесь на наш Telegram-канал", "newsletter"),
        ("Читайте также: Минобороны опровергло сообщения", "related"),
        ("Реклама", "ad"),
        ("— Werbung —", "ad"),
        ("Lesen Sie auch: Die Lage an der Grenze", "related"),
        ("Lire aussi : Le gouvernement recule", "related"),
        ("Abonnez-vous à notre newsletter", "newsletter"),
        ("Lea también: El Gobierno aprueba el decreto", "related"),
        ("Suscríbete a nuestro boletín", "newsletter"),
        ("Czytaj także: Rząd przyjął projekt", "related"),
        ("Читайте також: Уряд ухвалив рішення", "related"),
        ("Підписуйтесь на наш Телеграм", "newsletter"),
        ("Все права защищены", "copyright"),
        ("Alle Rechte vorbehalten.", "copyright"),
        ("Теги: политика, экономика", "tags"),
        ("Поделиться", "social"),
        ("Udostępnij", "social"),
        ("1 234 просмотра", "counter"),
        ("Фото: РИА Новости", "photo_credit"),
        ("Foto: dpa", "photo_credit"),
        ("Polecamy", "related"),
        ("Подробнее: на сайте ведомства", "related"),
    ],
)
def test_boilerplate_cues(line: str, reason: str) -> None:
    assert classify_line(line) == reason


@pytest.mark.parametrize(
    "line",
    [
        "Министр обороны заявил во вторник, что войска будут отведены от границы.",
        # a long body sentence that happens to contain a cue word stays
        "Многие читатели просили нас объяснить, почему редакция решила подписаться на все "
        "открытые рассылки министерства, и мы отвечаем на этот вопрос в этой статье подробно, "
        "приводя документы, письма и ответы ведомства на наши запросы за последние три года "
        "работы.",
        "Die Regierung stellte am Dienstag 1,5 Mrd. Euro bereit.",
        "Polecamy uwadze czytelników raport, który rząd opublikował w zeszłym tygodniu, a który "
        "pokazuje, że koszty wzrosły o połowę.",
    ],
)
def test_body_lines_stay(line: str) -> None:
    assert classify_line(line) is None


def test_pasted_russian_page() -> None:
    text = (
        "Минобороны отчиталось об отводе войск\n\n"
        "Министр обороны заявил во вторник, что войска будут отведены от границы.\n"
        "Читайте также: Кремль прокомментировал переговоры\n"
        "Реклама\n"
        "По словам источника, решение ещё не принято.\n"
        "Подписывайтесь на наш Telegram-канал\n"
        "Все права защищены"
    )
    article = extract_text(text)
    assert article.title == "Минобороны отчиталось об отводе войск"
    assert "Читайте" not in article.text and "Реклама" not in article.text
    assert article.text.endswith("решение ещё не принято.")
    reasons = [r["reason"] for r in article.layers["extraction"]["removed"]]
    assert reasons == ["related", "ad", "newsletter", "copyright"]


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("3 декабря 2026", "2026-12-03"),
        ("3 декабря 2026 г., 14:30", "2026-12-03"),
        ("3 дек. 2026", "2026-12-03"),
        ("3 грудня 2026 р.", "2026-12-03"),
        ("3. Dezember 2026", "2026-12-03"),
        ("3. März 2026", "2026-03-03"),
        ("3 décembre 2026", "2026-12-03"),
        ("3 de diciembre de 2026", "2026-12-03"),
        ("3 grudnia 2026 r.", "2026-12-03"),
        ("14 lutego 2024", "2024-02-14"),
        ("03.12.2026", "2026-12-03"),
        ("31 февраля 2026", None),
        ("12 Minister 2026", None),
        ("Dec 3, 2025", "2025-12-03"),
    ],
)
def test_dates(text: str, iso: str | None) -> None:
    assert parse_date(text) == iso


def test_month_names() -> None:
    assert month_number("декабря") == month_number("Dez.") == month_number("grudnia") == 12
    assert month_number("мая") == month_number("травня") == month_number("mayo") == 5
    assert month_number("Ministerium") is None
    assert parse_written_date(None) is None


def test_corpus_records_read_these_dates() -> None:
    from newsift.corpus.ingest import parse_date as corpus_date

    got = corpus_date("3 декабря 2026")
    assert got is not None and got.date().isoformat() == "2026-12-03"
    with pytest.raises(ValueError):
        corpus_date("not a date at all")
