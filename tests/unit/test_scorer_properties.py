"""Property tests for the scorers every quality figure rests on (persuasion SI/TC, token F1)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsift.eval.attribution import token_f1
from newsift.persuasion.scorer import merge_spans, si_score, span_technique_score, tc_score

pytestmark = pytest.mark.fuzz

LABELS = ["Loaded_Language", "Doubt", "Flag-Waving"]


@st.composite
def span_lists(draw, labelled: bool = False, max_size: int = 12):
    out = []
    for _ in range(draw(st.integers(0, max_size))):
        s = draw(st.integers(0, 300))
        e = s + draw(st.integers(1, 60))
        out.append((s, e, draw(st.sampled_from(LABELS))) if labelled else (s, e))
    return out


articles = st.sampled_from(["a1", "a2", "a3"])


def by_article(draw_lists):
    return st.dictionaries(articles, draw_lists, max_size=3)


@given(span_lists())
def test_merged_spans_are_sorted_disjoint_and_cover_the_same_offsets(spans):
    merged = merge_spans(spans)
    assert all(s < e for s, e in merged)
    assert all(a[1] <= b[0] for a, b in zip(merged, merged[1:], strict=False))
    covered = {i for s, e in spans for i in range(s, e)}
    assert covered == {i for s, e in merged for i in range(s, e)}
    assert merge_spans(merged) == merged


@given(by_article(span_lists()), by_article(span_lists()))
def test_si_is_bounded_and_symmetric_in_precision_and_recall(pred, gold):
    r = si_score(pred, gold)
    swapped = si_score(gold, pred)
    assert 0.0 <= r.precision <= 1.0 + 1e-9 and 0.0 <= r.recall <= 1.0 + 1e-9
    assert 0.0 <= r.f1 <= 1.0 + 1e-9
    assert r.precision == pytest.approx(swapped.recall)
    assert r.recall == pytest.approx(swapped.precision)


@given(by_article(span_lists()))
def test_a_perfect_prediction_scores_one(gold):
    assert si_score(gold, gold).f1 == pytest.approx(1.0)


@given(by_article(span_lists(labelled=True)), by_article(span_lists(labelled=True)))
def test_span_technique_never_exceeds_si(pred, gold):
    """Counting overlap only within one technique can only lower the SI overlap sums."""
    st_r = span_technique_score(pred, gold)
    assert 0.0 <= st_r.f1 <= 1.0 + 1e-9
    plain = {a: [(s, e) for s, e, _ in v] for a, v in pred.items()}
    plain_gold = {a: [(s, e) for s, e, _ in v] for a, v in gold.items()}
    si = si_score(plain, plain_gold)
    if si.n_pred and si.n_gold and st_r.n_pred == si.n_pred and st_r.n_gold == si.n_gold:
        assert st_r.precision <= si.precision + 1e-9


@given(by_article(span_lists(labelled=True)), by_article(span_lists(labelled=True)))
def test_tc_counts_each_gold_span_at_most_once(pred, gold):
    r = tc_score(pred, gold)
    assert r.n_pred == sum(len(v) for v in pred.values())
    assert r.n_gold == sum(len(v) for v in gold.values())
    assert 0.0 <= r.precision <= 1.0 and 0.0 <= r.recall <= 1.0
    assert tc_score(gold, gold).f1 == pytest.approx(1.0)


words = st.lists(st.sampled_from(["the", "army", "said", "300", "trucks", "crossed", "Border"]))


@given(words, words)
def test_token_f1_is_symmetric_bounded_and_one_on_identity(a, b):
    x, y = " ".join(a), " ".join(b)
    assert token_f1(x, y) == pytest.approx(token_f1(y, x))
    assert 0.0 <= token_f1(x, y) <= 1.0
    assert token_f1(x, x) == 1.0
