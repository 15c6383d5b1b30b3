"""Helpers shared by the attribution unit tests: run the parse and attribution stages on a
hand-written text and pick out attributions by their words."""

from __future__ import annotations

from newsift.api import analyze_text
from newsift.article import Article

STAGES = ["nlp.v1", "attribution.v1"]


def run(text: str) -> Article:
    """``text`` (plain, not HTML) through nlp.v1 and attribution.v1."""
    return analyze_text(text, html=False, stages=STAGES)


def atts(text: str) -> list[dict]:
    """The attribution records of ``text``."""
    return run(text).layers["attributions"]


def speaker(att: dict) -> str | None:
    """Who an attribution credits: a pronoun's resolved antecedent, else its source phrase."""
    return att.get("resolved_text") or (att["source"] or {}).get("text")


def kind(att: dict) -> str:
    """An attribution's effective kind: a pronoun's resolved kind, else its own."""
    return att.get("resolved_kind") or att["kind"]


def by_content(text: str, words: str) -> dict:
    """The first attribution of ``text`` whose content holds ``words`` (fails if none does)."""
    found = [a for a in atts(text) if words in a["content"]["text"]]
    assert found, f"no attribution holds {words!r}"
    return found[0]
