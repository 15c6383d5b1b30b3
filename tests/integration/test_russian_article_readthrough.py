"""Issue 24's first target, read as a Russian-reading analyst would: the default pipeline on a
hand-written Russian news article (tests/fixtures/article-ru-crosslang.txt) gives its language,
attributions (role, pronouns resolved to the speaker, anonymous sources), figures in the Russian
number format, claims, a sourcing profile and the cross-language catalogue match."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.integration]  # loads the e5 encoder

RU_ARTICLE = Path(__file__).resolve().parents[1] / "fixtures" / "article-ru-crosslang.txt"


@pytest.fixture(scope="module")
def article():
    from newsift.api import analyze_text

    return analyze_text(RU_ARTICLE.read_text(encoding="utf-8"))


def _att(article, cue: str) -> dict:
    return next(a for a in article.layers["attributions"] if a["cue"]["text"] == cue)


def test_language(article):
    assert article.language == "ru"


def test_attributions(article):
    spokeswoman = _att(article, "заявил")
    assert spokeswoman["source"]["text"] == "официальный представитель МИД России"
    assert spokeswoman["kind"] == "named_role"
    for cue in ("По её словам", "сказала", "напомнила"):
        att = _att(article, cue)
        assert att["kind"] == "pronoun", att
        assert att["resolved_text"] == "официальный представитель МИД России"
    assert _att(article, "По её словам")["source"]["text"] == "её"
    assert _att(article, "напомнила")["source"]["text"] == "Она"
    assert _att(article, "По данным")["kind"] == "organization"
    for cue in ("считают", "по мнению", "сообщил"):
        assert _att(article, cue)["kind"] == "anonymous"


def test_claims_and_figures(article):
    claims = article.layers["claims"]
    by_text = {c["text"][:20]: c for c in claims}
    money = next(c for c in claims if "250 миллионов" in c["text"])
    assert money["voice"]["kind"] == "quoted", "По её словам: not the outlet's voice"
    assert [(f["value"], f["kind"]) for f in money["figures"]] == [(250_000_000, "money")]
    un = next(c for c in claims if c["text"].startswith("По данным ООН"))
    assert {(f["value"], f["kind"]) for f in un["figures"]} == {
        (13_000, "quantity"),
        (1_500_000, "quantity"),
    }
    assert un["class"] == "check-worthy factual"
    assert "Подписывайтесь" not in " ".join(by_text)
    assert not any(c["text"].startswith("Москва, 14 марта") for c in claims), "a dateline"


def test_sourcing_runs_and_says_what_it_did_not_read(article):
    prof = article.layers["sourcing"]
    assert prof["counts_by_kind"]["named_role"] == 4  # the spokeswoman and three pronouns
    assert prof["counts_by_kind"]["anonymous"] == 3
    assert set(prof["not_read"]) == {"sides", "insinuations"}
    assert prof["unattributed_sentences"] == []  # every factual sentence has its source
    assert "headline" in article.layers
    codes = {(p.stage, p.code) for p in article.problems}
    assert ("persuasion.v1", "language_not_supported") in codes
    assert not any(s in ("sourcing.v1", "headline.v1") for s, _ in codes)


# Missed from the precision-first cross-language threshold (0.32) until "US" in capitals was
# read as the United States in case titles (docs/factchecks.md): the 250-million sentence scored
# 0.25-0.31 against "US will give Ukraine $250 million ...", whose names were read as
# {ukraine, russia} only; now 0.41.
def test_cross_language_catalogue_match(article):
    matches = article.layers["matches"]
    ids = {m["id"] for m in matches}
    assert "us-will-give-ukraine-250-million-for-war-and-provocations-against-russia" in ids
    assert all(m["cross_language"] for m in matches)
