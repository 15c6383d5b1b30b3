"""Issue 24: stages declare their languages; the pipeline runs none on a language it does not
declare, and the articles left out say so in a problem (never English-trained output)."""

from __future__ import annotations

from typing import Any, ClassVar

import pytest

from newsift.article import Article
from newsift.pipeline import Stage

RUSSIAN = (
    "Министр обороны заявил во вторник, что войска будут отведены от границы к концу года. "
    "По словам источника в министерстве, решение ещё не принято, и переговоры продолжатся."
)
ENGLISH = (
    "The council said on Tuesday that the bridge would close for two years, and officials "
    "familiar with the plan added that the repairs would cost more than the city had expected."
)


# Not registered (the registry is global and other tests list it): named by hand.
class _EnglishOnly(Stage):
    name = "test_english_only.v1"
    assigns = ("marks",)

    def predict(self, batch: list[Article]) -> list[Any]:
        return [1 for _ in batch]

    def annotate(self, batch: list[Article], predictions: list[Any]) -> None:
        for article in batch:
            article.layers["marks"] = ["english"]


class _ReadsMarks(Stage):
    name = "test_reads_marks.v1"
    requires = ("marks",)
    assigns = ("more_marks",)
    languages: ClassVar[frozenset[str] | None] = None

    def predict(self, batch: list[Article]) -> list[Any]:
        return [1 for _ in batch]

    def annotate(self, batch: list[Article], predictions: list[Any]) -> None:
        for article in batch:
            article.layers["more_marks"] = list(article.layers["marks"])


class _RussianToo(_EnglishOnly):
    name = "test_russian_too.v1"
    languages = frozenset({"en", "ru"})


def _problems(article: Article) -> list[tuple[str, str]]:
    return [(p.stage, p.code) for p in article.problems]


def test_english_is_the_default_and_others_are_left_out() -> None:
    ru, en = Article(RUSSIAN), Article(ENGLISH)
    _EnglishOnly().pipe_batch([ru, en])
    assert en.layers["marks"] == ["english"] and not en.problems
    assert "marks" not in ru.layers
    assert _problems(ru) == [("test_english_only.v1", "language_not_supported")]
    assert ru.language == "ru", "the gate identifies the language when no stage did"
    assert "Russian" in ru.problems[0].message


def test_a_stage_declares_more_languages() -> None:
    ru = Article(RUSSIAN)
    _RussianToo().pipe_batch([ru])
    assert ru.layers["marks"] == ["english"] and not ru.problems


def test_a_stage_whose_input_was_not_written_is_left_out_too() -> None:
    ru, en = Article(RUSSIAN), Article(ENGLISH)
    for stage in (_EnglishOnly(), _ReadsMarks()):
        stage.pipe_batch([ru, en])
    assert en.layers["more_marks"] == ["english"]
    assert _problems(ru) == [
        ("test_english_only.v1", "language_not_supported"),
        ("test_reads_marks.v1", "language_not_supported"),
    ]
    assert "marks" in ru.problems[1].message


@pytest.mark.parametrize(
    ("language", "runs"),
    [("en", True), ("en-GB", True), ("EN", True), (None, True), ("ru", False), ("und", False),
     ("ru-Latn", False)],
)  # fmt: skip
def test_supports(language: str | None, runs: bool) -> None:
    assert _EnglishOnly.supports(language) is runs


def test_declared_languages_of_the_builtin_stages() -> None:
    from newsift.pipeline import get_stage

    assert get_stage("nlp.v1").languages is None
    assert get_stage("outlet.v1").languages is None
    assert get_stage("persuasion.v1").languages == frozenset({"en"})


def test_stages_command_prints_the_support_matrix() -> None:
    from click.testing import CliRunner

    from newsift.commands.analyze import stages

    out = CliRunner().invoke(stages).output
    header, *rows = out.splitlines()
    assert header.split() == ["stage", "en", "ru", "uk", "de", "fr", "es", "pl", "other"]
    nlp = next(r for r in rows if " nlp.v1 " in r)
    persuasion = next(r for r in rows if " persuasion.v1 " in r)
    assert nlp.split()[2:] == ["yes"] * 8
    assert persuasion.split()[2:] == ["yes"] + ["-"] * 7
    assert "nlp.v1 de: sentences 9/9 exact" in out
    assert "persuasion.v1 en: docs/RESULTS.md" in out


def test_a_batch_run_again_does_not_repeat_the_problem() -> None:
    ru = Article(RUSSIAN)
    stage = _EnglishOnly()
    stage.pipe_batch([ru])
    stage.pipe_batch([ru])
    assert _problems(ru) == [("test_english_only.v1", "language_not_supported")]
