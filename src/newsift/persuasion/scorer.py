"""SemEval-2020 Task 11 scoring, re-implemented from the task's description and scorer behaviour.

Span identification (SI) gives partial credit for overlap. Per article, overlapping spans are first
merged (gold always; predictions too, as the official scorer's ``-m`` option does). Over all
articles, with S the predicted spans and T the gold spans::

    P = sum_{s in S, t in T} |s ∩ t| / |s|  /  |S|
    R = sum_{s in S, t in T} |s ∩ t| / |t|  /  |T|
    F1 = 2PR / (P + R)        (1.0 when S and T are both empty)

Technique classification (TC) is micro-F1 over the gold spans: predictions and gold are matched by
(article, start, end); a span annotated with k techniques counts k times. With one prediction per
gold line, micro-F1 equals accuracy.

End to end (span + technique) uses the SI formula but counts an overlap only when the techniques
are equal, merging overlapping spans of the same technique (the FLC score of Da San Martino et al.,
2019).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class PRF:
    """Precision, recall and F1 with the counts behind them."""

    precision: float
    recall: float
    f1: float
    n_pred: int
    n_gold: int

    def to_dict(self) -> dict[str, float | int]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "n_pred": self.n_pred,
            "n_gold": self.n_gold,
        }


def _prf(p_num: float, p_den: int, r_num: float, r_den: int) -> PRF:
    p = p_num / p_den if p_den else 0.0
    r = r_num / r_den if r_den else 0.0
    if p_den == 0 and r_den == 0:
        f1 = 1.0
    else:
        f1 = 2 * p * r / (p + r) if p > 0 and r > 0 else 0.0
    return PRF(p, r, f1, p_den, r_den)


def merge_spans(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Merge overlapping ``(start, end)`` spans (touching but disjoint spans stay apart)."""
    out: list[list[int]] = []
    for s, e in sorted(spans):
        if out and s < out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return [(s, e) for s, e in out]


def _overlap_sums(pred: list[tuple[int, int]], gold: list[tuple[int, int]]) -> tuple[float, float]:
    """Sum of |s∩t|/|s| and of |s∩t|/|t| over all pairs, for sorted disjoint span lists."""
    p_sum = r_sum = 0.0
    j0 = 0
    for ps, pe in pred:
        while j0 < len(gold) and gold[j0][1] <= ps:
            j0 += 1
        j = j0
        while j < len(gold) and gold[j][0] < pe:
            gs, ge = gold[j]
            inter = min(pe, ge) - max(ps, gs)
            if inter > 0:
                p_sum += inter / (pe - ps)
                r_sum += inter / (ge - gs)
            j += 1
    return p_sum, r_sum


def si_score(
    pred: Mapping[str, Iterable[tuple[int, int]]], gold: Mapping[str, Iterable[tuple[int, int]]]
) -> PRF:
    """Official SI partial-overlap P/R/F1.

    Args:
        pred: article id -> predicted ``(start, end)`` spans (overlaps are merged).
        gold: article id -> gold spans; every gold article counts, predicted or not.
    """
    p_num = r_num = 0.0
    p_den = r_den = 0
    for aid in set(gold) | set(pred):
        g = merge_spans(gold.get(aid, ()))
        p = merge_spans(pred.get(aid, ()))
        ps, rs = _overlap_sums(p, g)
        p_num, r_num = p_num + ps, r_num + rs
        p_den, r_den = p_den + len(p), r_den + len(g)
    return _prf(p_num, p_den, r_num, r_den)


def _by_label(spans: Iterable[tuple[int, int, str]]) -> dict[str, list[tuple[int, int]]]:
    out: dict[str, list[tuple[int, int]]] = {}
    for s, e, lab in spans:
        out.setdefault(lab, []).append((s, e))
    return {lab: merge_spans(v) for lab, v in out.items()}


def span_technique_score(
    pred: Mapping[str, Iterable[tuple[int, int, str]]],
    gold: Mapping[str, Iterable[tuple[int, int, str]]],
) -> PRF:
    """End-to-end F1: the SI formula, counting overlap only between spans of the same technique."""
    p_num = r_num = 0.0
    p_den = r_den = 0
    for aid in set(gold) | set(pred):
        g = _by_label(gold.get(aid, ()))
        p = _by_label(pred.get(aid, ()))
        for lab in set(g) | set(p):
            ps, rs = _overlap_sums(p.get(lab, []), g.get(lab, []))
            p_num, r_num = p_num + ps, r_num + rs
            p_den, r_den = p_den + len(p.get(lab, [])), r_den + len(g.get(lab, []))
    return _prf(p_num, p_den, r_num, r_den)


def tc_score(
    pred: Mapping[str, Iterable[tuple[int, int, str]]],
    gold: Mapping[str, Iterable[tuple[int, int, str]]],
) -> PRF:
    """Technique classification micro-F1 over gold spans, matched by (article, start, end)."""
    tp = n_pred = n_gold = 0
    for aid in set(gold) | set(pred):
        g = Counter(gold.get(aid, ()))
        p = Counter(pred.get(aid, ()))
        tp += sum((g & p).values())
        n_pred += sum(p.values())
        n_gold += sum(g.values())
    return _prf(float(tp), n_pred, float(tp), n_gold)


def per_technique_tc(
    pred: Mapping[str, Iterable[tuple[int, int, str]]],
    gold: Mapping[str, Iterable[tuple[int, int, str]]],
) -> dict[str, PRF]:
    """TC precision/recall/F1 for each technique."""
    labels = {lab for v in gold.values() for *_, lab in v} | {
        lab for v in pred.values() for *_, lab in v
    }
    out = {}
    for lab in sorted(labels):
        g = {a: [x for x in v if x[2] == lab] for a, v in gold.items()}
        p = {a: [x for x in v if x[2] == lab] for a, v in pred.items()}
        out[lab] = tc_score(p, g)
    return out


def tc_labels(gold: list[tuple[int, int, str]], probs: np.ndarray, labels: list[str]):
    """One label per gold line; a span listed k times gets its k most likely distinct labels."""
    counts: dict[tuple[int, int], int] = {}
    out = []
    for (s, e, _), p in zip(gold, probs, strict=True):
        rank = counts.get((s, e), 0)
        counts[(s, e)] = rank + 1
        k = int(np.argsort(-p)[min(rank, len(labels) - 1)])
        out.append((s, e, labels[k]))
    return out
