"""Russian and Ukrainian short reported words before their cue (issue 24): a one-word quote
(«Да», — сообщил Песков), direct speech with a comma and a dash but no quote marks, and
"Об этом сообщил X" after a two-word sentence. Hand-written sentences."""

from __future__ import annotations

import pytest

from newsift.article import Article
from newsift.stages.attribution_ml import attribute


def _pairs(text: str, lang: str) -> list[tuple[str | None, str]]:
    atts = attribute(Article(text=text, language=lang), lang)["attributions"]
    return [(a["source"]["text"] if a["source"] else None, a["content"]["text"]) for a in atts]


@pytest.mark.parametrize(
    ("lang", "text", "source", "content"),
    [
        ("ru", "«Да», — сообщил Песков.", "Песков", "Да"),
        ("ru", "«Нет» — ответил Песков журналистам.", "Песков", "Нет"),
        ("ru", "Мы готовы, — сообщил Песков.", "Песков", "Мы готовы"),
        ("ru", "Мы готовы. Об этом сообщил Песков.", "Песков", "Мы готовы"),
        ("uk", "«Так», — заявив Зеленський.", "Зеленський", "Так"),
        ("uk", "Ми готові, — повідомив міністр Кулеба.", "міністр Кулеба", "Ми готові"),
    ],
)
def test_short_reported_words_are_attributed(lang: str, text: str, source: str, content: str):
    assert (source, content) in _pairs(text, lang)


def test_one_unquoted_word_before_a_comma_and_dash_needs_a_speaker():
    # no speaker after the cue: nothing is made up
    assert _pairs("Хорошо, — сообщили.", "ru") == []


def test_one_word_stays_too_short_beyond_russian_and_ukrainian():
    assert ("Peskow", "Ja") not in _pairs("„Ja“, sagte Peskow.", "de")
