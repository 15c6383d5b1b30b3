"""Fit and cross-validate the cascade's heads (needs scikit-learn; the encoder runs via ONNX).

The heads are stacked on the lexical model: their lexical inputs are out-of-fold scores, so the
heads learn how far to trust the lexical model on articles it has not seen.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .cascade import CascadeModel, _logit
from .data import LabelledArticle
from .features import ngram_counts, split_sentences
from .model import PersuasionModel, _hysteresis, _sigmoid, _softmax
from .scorer import merge_spans, si_score, span_technique_score, tc_score
from .techniques import LABELS
from .training import _folds, _tc_labels, fit

GRID = {
    "gate": (0.0, 0.1, 0.2, 0.3),
    "hi": (0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5),
    "lo": (0.1, 0.15, 0.2, 0.25, 0.3, 0.35),
}


@dataclass
class Inputs:
    """One article's step-2 inputs: per-sentence scores, and per word offsets/vectors/lex probs."""

    sent_scores: np.ndarray
    sent_of_word: np.ndarray
    words: np.ndarray  # (n, 2) offsets
    vecs: np.ndarray  # (n, 384)
    lex: np.ndarray  # lexical in-span probabilities
    y: np.ndarray  # gold in-span labels
    tc_lex: np.ndarray  # lexical technique probabilities of the gold TC spans


def article_inputs(model: PersuasionModel, art: LabelledArticle, vecs: list[np.ndarray]) -> Inputs:
    sents = split_sentences(art.text)
    ss = model.sentence_scores(sents) if sents else np.zeros(0, np.float32)
    rep = ngram_counts(sents)
    gold = merge_spans(art.gold_spans())
    lex, words, sid = [], [], []
    for i, (s, v) in enumerate(zip(sents, ss, strict=True)):
        lex.append(model.token_scores(art.text, s, float(v), rep))
        words.extend(s.words)
        sid.extend([i] * len(s.words))
    w = np.array(words, dtype=np.int64).reshape(-1, 2)
    y = np.array([any(a < ge and gs < b for gs, ge in gold) for a, b in w], dtype=np.int8)
    tc = [(s, e) for s, e, _ in art.tc or []]
    return Inputs(
        sent_scores=ss,
        sent_of_word=np.array(sid, dtype=np.int64),
        words=w,
        vecs=np.concatenate(vecs).astype(np.float32) if vecs else np.zeros((0, 384), np.float32),
        lex=np.concatenate(lex) if lex else np.zeros(0, np.float32),
        y=y,
        tc_lex=model.classify_spans(art.text, tc),
    )


def span_mean(inp: Inputs, spans: list[tuple[int, int]]) -> np.ndarray:
    out = np.zeros((len(spans), inp.vecs.shape[1]), np.float32)
    for k, (s, e) in enumerate(spans):
        sel = (inp.words[:, 0] < e) & (inp.words[:, 1] > s)
        if sel.any():
            out[k] = inp.vecs[sel].mean(axis=0)
    return out


def _tok_xy(inps: list[Inputs]):
    x = np.concatenate([np.hstack([i.vecs, _logit(i.lex)[:, None]]) for i in inps])
    return x, np.concatenate([i.y for i in inps])


def _tc_xy(arts: list[LabelledArticle], inps: list[Inputs]):
    xs, ys = [], []
    for a, i in zip(arts, inps, strict=True):
        if a.tc:
            spans = [(s, e) for s, e, _ in a.tc]
            xs.append(np.hstack([span_mean(i, spans), np.log(i.tc_lex + 1e-6)]))
            ys.extend(LABELS.index(lab) for *_, lab in a.tc)
    return np.concatenate(xs), np.array(ys)


def fit_heads(arts, inps, C_tok: float = 1.0, C_tc: float = 0.5) -> dict:
    """Logistic-regression heads on stacked inputs."""
    from sklearn.linear_model import LogisticRegression

    x, y = _tok_xy(inps)
    tok = LogisticRegression(C=C_tok, max_iter=300).fit(x, y)
    xt, yt = _tc_xy(arts, inps)
    tc = LogisticRegression(C=C_tc, max_iter=500).fit(xt, yt)
    W = np.zeros((xt.shape[1], len(LABELS)), np.float32)
    b = np.full(len(LABELS), -20.0, np.float32)
    for k, cls in enumerate(tc.classes_):
        W[:, cls] = tc.coef_[k]
        b[cls] = tc.intercept_[k]
    return {
        "tok_w": tok.coef_[0].astype(np.float32),
        "tok_b": tok.intercept_.astype(np.float32),
        "tc_head_w": W,
        "tc_head_b": b,
    }


def _head_probs(heads: dict, inp: Inputs) -> np.ndarray:
    w = heads["tok_w"]
    return _sigmoid(inp.vecs @ w[:-1] + _logit(inp.lex) * w[-1] + heads["tok_b"][0])


def _decode(inp: Inputs, probs: np.ndarray, gate: float, hi: float, lo: float):
    out = []
    keep = inp.sent_scores >= gate
    for i in np.flatnonzero(keep):
        sel = inp.sent_of_word == i
        words = [tuple(x) for x in inp.words[sel]]
        out.extend((s, e) for s, e, _ in _hysteresis(words, probs[sel], hi, lo))
    return out


def oof_inputs(arts, vec_store, k: int, log: Callable):
    """Out-of-fold lexical inputs for every article (the lexical model never saw the article).

    Returns:
        ``(folds, inputs, fold_models)``.
    """
    folds = _folds(len(arts), k, seed=13)
    inps: list[Inputs | None] = [None] * len(arts)
    models = []
    for f, test in enumerate(folds):
        tset = set(test)
        log(f"lexical fold {f + 1}/{k}")
        m = fit([a for i, a in enumerate(arts) if i not in tset], log=lambda *_: None)
        models.append(m)
        for i in test:
            inps[i] = article_inputs(m, arts[i], vec_store[arts[i].id])
    return folds, inps, models


def cross_validate(
    arts, folds, inps, fold_models, params: dict | None = None, log: Callable = print
) -> dict:
    """CV of the cascade on out-of-fold inputs; thresholds tuned on pooled out-of-fold scores."""
    p = {"C_tok": 1.0, "C_tc": 0.5, **(params or {})}
    probs: list[np.ndarray | None] = [None] * len(arts)
    tc_pred, e2e_heads = {}, {}
    for f, test in enumerate(folds):
        tset = set(test)
        tr = [i for i in range(len(arts)) if i not in tset]
        log(f"heads fold {f + 1}/{len(folds)}")
        heads = fit_heads([arts[i] for i in tr], [inps[i] for i in tr], p["C_tok"], p["C_tc"])
        for i in test:
            probs[i] = _head_probs(heads, inps[i])
            e2e_heads[i] = heads
            a = arts[i]
            if a.tc:
                spans = [(s, e) for s, e, _ in a.tc]
                tp = _tc_probs(heads, inps[i], spans, inps[i].tc_lex)
                tc_pred[a.id] = _tc_labels(a.tc, tp, list(LABELS))
    gold_si = {a.id: a.gold_spans() for a in arts}
    best = None
    for gate, hi, lo in itertools.product(GRID["gate"], GRID["hi"], GRID["lo"]):
        if lo > hi:
            continue
        pred = {a.id: _decode(inps[i], probs[i], gate, hi, lo) for i, a in enumerate(arts)}
        score = si_score(pred, gold_si)
        if best is None or score.f1 > best[0].f1:
            best = (score, {"gate": gate, "hi": hi, "lo": lo}, pred)
    si, thr, si_pred = best
    return {
        "folds": len(folds),
        "articles": len(arts),
        "thresholds": thr,
        "si": si.to_dict(),
        "tc": tc_score(tc_pred, {a.id: a.tc for a in arts if a.tc is not None}).to_dict(),
        "span_technique": _e2e(arts, inps, si_pred, e2e_heads, folds, fold_models).to_dict(),
        "params": p,
    }


def _tc_probs(heads, inp: Inputs, spans, lex_probs) -> np.ndarray:
    x = np.hstack([span_mean(inp, spans), np.log(lex_probs + 1e-6)])
    return _softmax(x @ heads["tc_head_w"] + heads["tc_head_b"])


def _e2e(arts, inps, si_pred, heads_of, folds, fold_models):
    """End-to-end span+technique F1; lexical technique probabilities come from the fold model."""
    fold_of = {i: f for f, test in enumerate(folds) for i in test}
    pred, gold = {}, {}
    for i, a in enumerate(arts):
        if a.tc is None:
            continue
        spans = si_pred[a.id]
        lex = fold_models[fold_of[i]].classify_spans(a.text, spans)
        tp = _tc_probs(heads_of[i], inps[i], spans, lex) if spans else lex
        pred[a.id] = [(s, e, LABELS[int(q.argmax())]) for (s, e), q in zip(spans, tp, strict=True)]
        gold[a.id] = a.tc
    return span_technique_score(pred, gold)


def save(folder, heads: dict, thresholds: dict, metrics: dict | None = None) -> None:
    """Write the heads and the cascade thresholds beside the lexical model."""
    from .cascade import HEADS_FILE

    config = {**thresholds, "kind": "cascade-minilm-int8", "metrics": metrics or {}}
    CascadeModel.save_heads(folder / HEADS_FILE, heads, config)
