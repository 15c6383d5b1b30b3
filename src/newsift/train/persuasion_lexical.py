"""Fit and cross-validate the lexical persuasion model (needs scikit-learn and scipy: [train]).

``fit`` trains the three linear models of :mod:`newsift.persuasion.model` on labelled articles;
``cross_validate`` reports SI, TC and end-to-end scores on held-out folds of articles, and tunes
the decoding thresholds on the pooled out-of-fold word scores.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable
from typing import Any

import numpy as np

from ..persuasion.data import LabelledArticle
from ..persuasion.features import (
    count_occurrences,
    hash_features,
    indexer,
    ngram_counts,
    span_features,
    split_sentences,
)
from ..persuasion.model import PersuasionModel, hysteresis
from ..persuasion.scorer import (
    PRF,
    merge_spans,
    si_score,
    span_technique_score,
    tc_labels,
    tc_score,
)
from ..persuasion.techniques import LABELS

DIMS = {"sent": 2**18, "tok": 2**20, "tc": 2**18}
DEFAULTS = {"C_sent": 0.5, "C_tok": 0.3, "C_tc": 2.0, "gate": 0.0, "hi": 0.5, "lo": 0.35}


def _csr(rows: list[list[int]], dim: int):
    from scipy.sparse import csr_matrix

    indptr = np.cumsum([0] + [len(r) for r in rows])
    indices = np.fromiter(itertools.chain.from_iterable(rows), dtype=np.int64, count=indptr[-1])
    m = csr_matrix((np.ones(len(indices), np.float32), indices, indptr), shape=(len(rows), dim))
    m.sum_duplicates()
    return m


def _overlaps(a: int, b: int, spans: list[tuple[int, int]]) -> bool:
    return any(s < b and a < e for s, e in spans)


def _sentence_rows(arts: list[LabelledArticle]):
    rows, ys = [], []
    for art in arts:
        gold = merge_spans(art.gold_spans())
        for s in split_sentences(art.text):
            rows.append(indexer(DIMS["sent"]).sentence(s))
            ys.append(int(_overlaps(s.start, s.end, gold)))
    return rows, np.array(ys)


def _fit_binary(rows, y, dim, C):
    from sklearn.linear_model import LogisticRegression

    clf = LogisticRegression(C=C, solver="liblinear", max_iter=200)
    clf.fit(_csr(rows, dim), y)
    w = np.zeros(dim, np.float32)
    w += clf.coef_[0].astype(np.float32)
    w[zlib_bias_index(dim)] += float(clf.intercept_[0])
    return w


def zlib_bias_index(dim: int) -> int:
    """The bucket of the always-on feature ``"b"``, where the intercept is folded in."""
    return hash_features(["b"], dim)[0]


def fit_sentence_model(arts: list[LabelledArticle], C: float) -> np.ndarray:
    rows, y = _sentence_rows(arts)
    return _fit_binary(rows, y, DIMS["sent"], C)


def _sent_scores(w: np.ndarray, sents) -> np.ndarray:
    return np.array([1 / (1 + np.exp(-w[indexer(len(w)).sentence(s)].sum())) for s in sents])


def _oof_sentence_scores(arts, C, k=3, seed=0) -> list[np.ndarray]:
    """Out-of-fold sentence scores, so the word tagger trains on honest stacked features."""
    folds = fold_split(len(arts), k, seed)
    out: list[np.ndarray] = [np.zeros(0)] * len(arts)
    for test in folds:
        tset = set(test)
        w = fit_sentence_model([a for i, a in enumerate(arts) if i not in tset], C)
        for i in test:
            out[i] = _sent_scores(w, split_sentences(arts[i].text))
    return out


def _token_rows(art: LabelledArticle, sent_scores: np.ndarray):
    gold = merge_spans(art.gold_spans())
    sents = split_sentences(art.text)
    rep = ngram_counts(sents)
    rows, ys = [], []
    index = indexer(DIMS["tok"]).tokens
    for sent, ss in zip(sents, sent_scores, strict=True):
        for (s, e), f in zip(
            sent.words, index(art.text, sent, min(int(ss * 10), 9), rep), strict=True
        ):
            rows.append(f)
            ys.append(int(_overlaps(s, e, gold)))
    return rows, ys


def fit_token_model(arts, sent_scores, C: float) -> np.ndarray:
    rows, ys = [], []
    for art, ss in zip(arts, sent_scores, strict=True):
        r, y = _token_rows(art, ss)
        rows += r
        ys += y
    return _fit_binary(rows, np.array(ys), DIMS["tok"], C)


def _tc_rows(arts: list[LabelledArticle]):
    rows, ys = [], []
    for art in arts:
        lower = art.text.lower()
        for s, e, lab in art.tc or []:
            rep = count_occurrences(lower, lower[s:e])
            rows.append(hash_features(span_features(art.text, s, e, rep), DIMS["tc"]))
            ys.append(LABELS.index(lab))
    return rows, np.array(ys)


def fit_tc_model(arts, C: float) -> tuple[np.ndarray, np.ndarray]:
    from sklearn.linear_model import LogisticRegression

    rows, y = _tc_rows(arts)
    clf = LogisticRegression(C=C, max_iter=300)
    clf.fit(_csr(rows, DIMS["tc"]), y)
    W = np.zeros((DIMS["tc"], len(LABELS)), np.float32)
    b = np.full(len(LABELS), -20.0, np.float32)  # a label never seen in training is never output
    coef, icpt = clf.coef_, clf.intercept_
    if len(clf.classes_) == 2:  # scikit-learn keeps one row (the second class's log-odds)
        coef, icpt = np.vstack([-coef[0] / 2, coef[0] / 2]), np.array([-icpt[0] / 2, icpt[0] / 2])
    for k, cls in enumerate(clf.classes_):
        W[:, cls] = coef[k]
        b[cls] = icpt[k]
    return W, b


def fit(arts: list[LabelledArticle], params: dict | None = None, log: Callable = print):
    """Train the full model on ``arts``; returns a :class:`PersuasionModel`."""
    p = {**DEFAULTS, **(params or {})}
    log("sentence model (out-of-fold scores for stacking)")
    oof = _oof_sentence_scores(arts, p["C_sent"])
    sent_w = fit_sentence_model(arts, p["C_sent"])
    log("word tagger")
    tok_w = fit_token_model(arts, oof, p["C_tok"])
    log("technique classifier")
    tc_w, tc_b = fit_tc_model([a for a in arts if a.tc], p["C_tc"])
    config = {
        "labels": list(LABELS),
        "gate": p["gate"],
        "hi": p["hi"],
        "lo": p["lo"],
        "params": p,
        "kind": "lexical-hashed-linear",
    }
    return PersuasionModel({"sent_w": sent_w, "tok_w": tok_w, "tc_w": tc_w, "tc_b": tc_b}, config)


def fold_split(n: int, k: int, seed: int) -> list[list[int]]:
    idx = list(range(n))
    random.Random(seed).shuffle(idx)
    return [sorted(idx[i::k]) for i in range(k)]


def _decode(model: PersuasionModel, text: str, gate: float, hi: float, lo: float, cache: dict):
    """Spans for thresholds, reusing cached sentence/word scores."""
    if text not in cache:
        sents, ss, rep = model.prepare(text)
        cache[text] = [
            (s, float(v), model.token_scores(text, s, float(v), rep))
            for s, v in zip(sents, ss, strict=True)
        ]
    out = []
    for sent, v, probs in cache[text]:
        if v >= gate:
            out.extend(hysteresis(sent.words, probs, hi, lo))
    return out


GRID = {
    "gate": (0.0, 0.1, 0.2, 0.3),
    "hi": (0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5),
    "lo": (0.05, 0.1, 0.15, 0.2, 0.25, 0.3),
}


def cross_validate(
    arts: list[LabelledArticle], k: int = 3, params: dict | None = None, log: Callable = print
) -> dict:
    """k-fold CV over articles: SI, TC (gold spans) and end-to-end scores, thresholds tuned OOF."""
    models: list[tuple[Any, list[LabelledArticle]]] = []
    tc_pred: dict[str, Any] = {}
    for f, test_idx in enumerate(fold_split(len(arts), k, seed=13)):
        tset = set(test_idx)
        log(f"fold {f + 1}/{k}: training on {len(arts) - len(test_idx)} articles")
        m = fit([a for i, a in enumerate(arts) if i not in tset], params, log=lambda *_: None)
        models.append((m, [arts[i] for i in test_idx]))
        for a in (arts[i] for i in test_idx):
            if a.tc:
                probs = m.classify_spans(a.text, [(s, e) for s, e, _ in a.tc])
                tc_pred[a.id] = tc_labels(a.tc, probs, m.labels)
    caches: list[dict[Any, Any]] = [{} for _ in models]
    gold_si = {a.id: a.gold_spans() for a in arts}
    best: tuple[Any, dict[str, float], dict[str, Any]] | None = None
    for gate, hi, lo in itertools.product(GRID["gate"], GRID["hi"], GRID["lo"]):
        if lo > hi:
            continue
        pred = {}
        for (m, test), cache in zip(models, caches, strict=True):
            for a in test:
                pred[a.id] = [(s, e) for s, e, _ in _decode(m, a.text, gate, hi, lo, cache)]
        score = si_score(pred, gold_si)
        if best is None or score.f1 > best[0].f1:
            best = (score, {"gate": gate, "hi": hi, "lo": lo}, pred)
    assert best is not None, "the threshold grid is empty"
    si, thr, si_pred = best
    e2e_pred = {}
    for m, test in models:
        for a in test:
            spans = [(s, e) for s, e in si_pred[a.id]]
            probs = m.classify_spans(a.text, spans)
            e2e_pred[a.id] = [
                (s, e, m.labels[int(p.argmax())]) for (s, e), p in zip(spans, probs, strict=True)
            ]
    return cv_report(k, arts, thr, si, tc_pred, e2e_pred)


def cv_report(
    folds: int,
    arts: list[LabelledArticle],
    thresholds: dict,
    si: PRF,
    tc_pred: dict,
    e2e_pred: dict,
) -> dict:
    """The cross-validation figures written to ``metrics-*.json``: SI, TC on gold spans, end to end.

    TC and span+technique are scored on the articles that have technique labels.
    """
    gold_tc = {a.id: a.tc for a in arts if a.tc is not None}
    return {
        "folds": folds,
        "articles": len(arts),
        "thresholds": thresholds,
        "si": si.to_dict(),
        "tc": tc_score(tc_pred, gold_tc).to_dict(),
        "span_technique": span_technique_score(
            {k: v for k, v in e2e_pred.items() if k in gold_tc}, gold_tc
        ).to_dict(),
    }
