"""Language identification: English at no cost, other languages named, short text left open."""

from __future__ import annotations

import pytest

from newsift.api import analyze_text
from newsift.lang import detect_language, looks_english

ENGLISH = (
    "The council said on Tuesday that the bridge would close for two years, and officials "
    "familiar with the plan added that the repairs would cost more than the city had expected."
)
GERMAN = (
    "Der Minister sagte am Dienstag, dass dreihundert Lastwagen die Grenze überquert hätten, nach "
    "Angaben einer anonymen Quelle im Ministerium, und die Lage sei sehr ernst für alle Menschen."
)
SPANISH = (
    "El ministro dijo el martes que trescientos camiones habían cruzado la frontera, según una "
    "fuente anónima del ministerio, y que la situación era muy grave para toda la población."
)


def test_english_needs_no_identifier() -> None:
    assert looks_english(ENGLISH)
    assert detect_language(ENGLISH) == "en"


def test_other_languages_are_named() -> None:
    assert not looks_english(GERMAN)
    assert detect_language(GERMAN) == "de"
    assert detect_language(SPANISH) == "es"


def test_short_text_is_left_open() -> None:
    assert detect_language("Short.") is None
    assert looks_english("Zwei Wörter.")


@pytest.mark.slow
def test_non_english_article_says_so_in_problems() -> None:
    article = analyze_text(GERMAN, stages=["nlp.v1", "persuasion.v1"])
    assert article.language == "de"
    assert article.sentences, "nlp.v1 splits every language (issue 24)"
    codes = [(p.stage, p.code) for p in article.problems]
    assert codes == [("persuasion.v1", "language_not_supported")]
    assert "persuasion" not in article.spans
    english = analyze_text(ENGLISH, stages=["nlp.v1"])
    assert english.language == "en"
    assert not english.problems


RUSSIAN_ARTICLE = (
    "Минобороны отчиталось об отводе войск\n\n"
    "Министр обороны заявил во вторник, что к 3 дек. 2026 г. войска будут отведены от границы. "
    "По словам проф. И. П. Смирнова, расходы выросли на 4,8 млн руб. за год.\n\n"
    "«Мы не допустим провокаций», — сказал он журналистам. "
    "The minister said that the talks would continue next week in Geneva with all parties.\n"
    "Читайте также: Кремль прокомментировал переговоры"
)


@pytest.mark.slow
def test_russian_article_through_the_default_pipeline() -> None:
    from newsift.api import get_pipeline
    from newsift.article import Article
    from newsift.report.html import render_html
    from newsift.report.text import render_text

    article = analyze_text(RUSSIAN_ARTICLE)
    assert article.language == "ru"
    assert article.title == "Минобороны отчиталось об отводе войск"
    sents = [article.text[s.start : s.end] for s in article.sentences]
    assert sents[0].endswith("отведены от границы.") and len(sents) == 4
    assert article.sentences[3].attrs == {"language": "en"}
    assert article.layers["languages"]["other_sentences"] == {"en": 1}
    # every stage that does not declare Russian (or reads a layer one of those writes) says so
    skipped = {p.stage for p in article.problems if p.code == "language_not_supported"}
    pipe = get_pipeline(None)
    not_russian: set[str] = set()
    for stage in pipe.stages:
        written_by = {layer for s in pipe.stages if s.name in not_russian for layer in s.assigns}
        if not stage.supports("ru") or set(stage.requires) & written_by:
            not_russian.add(stage.name)
    assert skipped == not_russian and "persuasion.v1" in skipped
    for stage in pipe.stages:
        if stage.name in skipped:
            assert not set(stage.assigns) & (set(article.layers) | set(article.spans))
    assert not [p for p in article.problems if p.code == "stage_crashed"]
    assert "Russian (ru)" in render_text(article)
    assert "language: Russian (ru)" in render_html(article)
    assert Article.from_dict(article.to_dict()) == article
