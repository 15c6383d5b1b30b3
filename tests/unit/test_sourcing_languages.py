"""sourcing.v1 and headline.v1 beyond English (issue 24): hand-built Russian articles."""

from __future__ import annotations

from newsift.article import Article
from newsift.pipeline import get_stage
from newsift.stages.attribution_ml import attribute
from newsift.stages.headline import check_headline, content_words
from newsift.stages.sourcing import profile

TEXT = (
    "Министр Олег Петров заявил, что завод закроют в мае. "
    "По его словам, без работы останутся 300 человек. "
    "Источник в правительстве сообщил, что решение уже принято."
)


def _article(title: str = "", lang: str = "ru") -> Article:
    art = Article(text=TEXT, title=title, language=lang)
    atts = attribute(art, lang)["attributions"]
    art.layers["attributions"] = atts
    claims = []
    for i, a in enumerate(atts):
        s = art.text.rfind(". ", 0, a["content"]["start"])
        start = 0 if s < 0 else s + 2
        end = art.text.find(".", a["content"]["end"]) + 1
        claims.append(
            {
                "start": start,
                "end": end,
                "text": art.text[start:end],
                "class": "check-worthy factual",
                "attribution": i,
                "voice": {"kind": "quoted", "attribution": i},
            }
        )
    art.layers["claims"] = claims
    return art


def test_stages_declare_the_attribution_languages():
    for name in ("sourcing.v1", "headline.v1"):
        langs = get_stage(name).languages
        assert langs is not None
        assert {"en", "ru", "uk", "de", "fr", "es", "pl"} <= langs


def test_russian_profile_counts_sources_and_names_what_it_did_not_read():
    prof = profile(_article())
    assert prof["attributions"] == 3
    assert prof["counts_by_written_kind"] == {"anonymous": 1, "named": 1, "pronoun": 1}
    assert prof["counts_by_kind"] == {"anonymous": 1, "named": 2}
    assert prof["named_sources"] == ["Министр Олег Петров"]
    assert prof["anonymous_factual_sentences"] == 1
    assert prof["anonymous_share"] == round(1 / 3, 3)
    assert set(prof["not_read"]) == {"sides", "insinuations"}
    assert "Russian" in prof["sides_reason"]
    assert prof["sides"] == {} and prof["one_sided"] is False


def test_english_profile_has_no_not_read():
    art = Article(text="The minister said the plant would close.", language="en")
    art.layers["attributions"] = []
    art.layers["claims"] = []
    assert "not_read" not in profile(art)


def test_russian_headline_restating_an_anonymous_claim_is_flagged():
    res = check_headline(_article("Решение о закрытии уже принято"))
    codes = {f["code"] for f in res["flags"]}
    assert "attributed_claim_as_fact" in codes
    assert "anonymous_claim_as_fact" in codes
    assert "anonymous_source_in_headline" in res["not_read"]


def test_russian_headline_with_its_own_cue_is_not_flagged():
    res = check_headline(_article("Источник: решение о закрытии уже принято"))
    assert res["attributed_in_headline"] is True
    assert res["flags"] == []


def test_content_words_compare_russian_case_forms():
    assert content_words("Вашингтона", "ru") == content_words("Вашингтон", "ru")
