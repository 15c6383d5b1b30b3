"""Quality gates (issue 24) for claims and catalogue matching in other languages: the SHIPPED
multilingual check-worthiness head on the scoring part of the hand-written multilingual news gold
(never used to choose anything), and a hand-written Russian article run through nlp.v1 ->
claims.v1 -> factchecks.v1, which must find its catalogued claims across languages. Floors sit a
little under what was measured (docs/claims.md, docs/factchecks.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsift.eval.checkworthy import evaluate_multilingual

pytestmark = [pytest.mark.slow, pytest.mark.integration]  # loads the e5 encoder

RU_ARTICLE = Path(__file__).resolve().parents[1] / "fixtures" / "article-ru-crosslang.txt"


def test_multilingual_gold_scoring_part():
    result = evaluate_multilingual("score")
    assert result["sentences"] == 37
    assert result["check_worthy"]["f1"] >= GOLD_SCORE_F1_FLOOR, result


def test_russian_article_gets_claims_and_cross_language_matches():
    from newsift.api import analyze_text

    # every factual claim is matched: the multilingual head, trained on English debates, scores
    # "Россия не является стороной конфликта" low (docs/claims.md)
    article = analyze_text(
        RU_ARTICLE.read_text(encoding="utf-8"),
        stages=(
            "nlp.v1",
            "claims.v1",
            {"name": "factchecks.v1", "min_class": "unimportant factual"},
        ),
    )
    claims = article.layers["claims"]
    cw = [c for c in claims if c["class"] == "check-worthy factual"]
    assert cw, "a Russian news article has check-worthy claims"
    assert len(cw) < len(article.sentences), "not every sentence (triage)"
    assert "Подписывайтесь" not in " ".join(c["text"] for c in cw)
    matches = article.layers["matches"]
    assert matches and all(m["cross_language"] for m in matches), matches
    assert {m["languages"]["sentence"] for m in matches} == {"ru"}
    found = {m["id"] for m in matches}
    # "Киевские власти ... хотят окончательно запретить русский язык" restates a catalogued claim
    # (two cases say it: "...trying to ban Russian language", "...want to forbid them ... to
    # speak Russian"); "по мнению собеседников издания": reported
    ban = [m for m in matches if "russian" in m["id"] and ("ban" in m["id"] or "forbid" in m["id"])]
    assert ban, found
    assert all(m["voice"] == "reported" for m in ban), ban
    # "Вашингтон передаст ... на 250 миллионов долларов" restates
    # us-will-give-ukraine-250-million-...: 0.41 since "US" in the case's title is read as the
    # United States (it scored 0.25-0.31, under the threshold of 0.32; docs/factchecks.md)
    assert "us-will-give-ukraine-250-million-for-war-and-provocations-against-russia" in found


# Measured (multilingual.json "multilingual_gold_score"): F1 0.971 (P 1.0, R 0.944) on 37
# sentences; the gold is small and written by the team, so the floor leaves room.
GOLD_SCORE_F1_FLOOR = 0.88
