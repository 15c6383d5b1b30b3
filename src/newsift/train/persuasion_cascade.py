"""Fit and cross-validate the cascade's heads (training only: needs scikit-learn and torch).

The heads are stacked on the lexical model: their lexical inputs are out-of-fold scores (each
article is scored by a lexical model that never saw it), so the heads learn how far to trust the
lexical model on unseen articles. Word vectors come from the ONNX int8 encoder used at run time,
so training and run time read identical inputs. Head weights are exported to numpy arrays.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ..persuasion.cascade import (
    DIM,
    HEADS_FILE,
    CascadeModel,
    expand_to_sentences,
    span_inputs,
    word_inputs,
)
from ..persuasion.data import LabelledArticle
from ..persuasion.features import split_sentences
from ..persuasion.model import PersuasionModel, hysteresis, sigmoid, softmax
from ..persuasion.scorer import merge_spans, si_score, tc_labels
from ..persuasion.techniques import LABELS
from .persuasion_lexical import cv_report, fit, fold_split

WORD_HEAD = {"hidden": 128, "epochs": 4, "drop": 0.1, "wd": 1e-4, "bs": 512}
TC_HEAD = {"hidden": 256, "epochs": 60, "drop": 0.5, "wd": 1e-2, "bs": 64}
#: techniques whose spans are widened to their sentences (chosen on out-of-fold scores: +0.007 SI)
EXPAND = (
    "Doubt",
    "Causal_Oversimplification",
    "Whataboutism,Straw_Men,Red_Herring",
    "Appeal_to_fear-prejudice",
    "Black-and-White_Fallacy",
    "Appeal_to_Authority",
    "Bandwagon,Reductio_ad_hitlerum",
)
THRESHOLDS = ((0.3, 0.1), (0.35, 0.1), (0.4, 0.1), (0.35, 0.15), (0.4, 0.15), (0.5, 0.15))


@dataclass
class Inputs:
    """One article's step-2 inputs (every sentence encoded, gate 0)."""

    words: np.ndarray  # (n, 2) word offsets
    sid: np.ndarray  # sentence of each word
    x: np.ndarray  # word-head inputs (n, 770)
    y: np.ndarray  # gold in-span labels
    vecs: np.ndarray
    svecs: np.ndarray  # sentence mean vector of each word


def encode_articles(arts: list[LabelledArticle], log: Callable = print) -> dict[str, np.ndarray]:
    """Word vectors of every sentence of every article (``id -> (n_words, 384)``)."""
    from ..persuasion.encoder import Encoder

    enc = Encoder()
    out = {}
    for k, a in enumerate(arts):
        v = enc.word_vectors(a.text, split_sentences(a.text))
        out[a.id] = np.concatenate(v) if v else np.zeros((0, DIM), np.float32)
        if k % 50 == 0:
            log(f"encoded {k}/{len(arts)} articles")
    return out


def article_inputs(model: PersuasionModel, art: LabelledArticle, vecs: np.ndarray) -> Inputs:
    """Step-2 inputs of ``art`` with lexical scores from ``model``."""
    sents, ss, rep = model.prepare(art.text)
    gold = merge_spans(art.gold_spans())
    cov = np.zeros(len(art.text) + 1, bool)
    for s, e in gold:
        cov[s:e] = True
    xs, words, sid, svecs, pos = [], [], [], [], 0
    for i, (s, v) in enumerate(zip(sents, ss, strict=True)):
        n = len(s.words)
        sv = vecs[pos : pos + n]
        mean = sv.mean(0) if n else np.zeros(DIM, np.float32)
        xs.append(word_inputs(sv, mean, model.token_scores(art.text, s, float(v), rep), float(v)))
        svecs.append(np.broadcast_to(mean, sv.shape))
        words.extend(s.words)
        sid.extend([i] * n)
        pos += n
    w = np.array(words, dtype=np.int64).reshape(-1, 2)
    return Inputs(
        words=w,
        sid=np.array(sid, dtype=np.int64),
        x=np.concatenate(xs) if xs else np.zeros((0, 2 * DIM + 2), np.float32),
        y=np.array([cov[a:b].any() for a, b in w], dtype=np.int8),
        vecs=vecs.astype(np.float32),
        svecs=np.concatenate(svecs) if svecs else np.zeros((0, DIM), np.float32),
    )


def train_mlp(x: np.ndarray, y: np.ndarray, n_out: int, hidden, epochs, drop, wd, bs) -> dict:
    """A one-hidden-layer MLP trained with torch (AdamW); returns numpy weights."""
    import torch

    torch.set_num_threads(1)  # shared 2-core machines: more threads only contend
    torch.manual_seed(0)
    xt, yt = torch.from_numpy(x.astype(np.float32)), torch.from_numpy(y)
    net = torch.nn.Sequential(
        torch.nn.Dropout(drop), torch.nn.Linear(x.shape[1], hidden), torch.nn.ReLU(),
        torch.nn.Dropout(drop), torch.nn.Linear(hidden, n_out),
    )  # fmt: skip
    opt = torch.optim.AdamW(net.parameters(), lr=1e-3, weight_decay=wd)
    loss_f = torch.nn.BCEWithLogitsLoss() if n_out == 1 else torch.nn.CrossEntropyLoss()
    for _ in range(epochs):
        perm = torch.randperm(len(xt))
        for b in range(0, len(perm), bs):
            i = perm[b : b + bs]
            out = net(xt[i])
            loss = loss_f(out[:, 0], yt[i].float()) if n_out == 1 else loss_f(out, yt[i].long())
            opt.zero_grad()
            loss.backward()
            opt.step()
    lin1, lin2 = net[1], net[4]
    return {
        "w1": lin1.weight.detach().numpy().T.copy(),
        "b1": lin1.bias.detach().numpy().copy(),
        "w2": lin2.weight.detach().numpy().T.copy(),
        "b2": lin2.bias.detach().numpy().copy(),
    }


def _tc_xy(model_of: Callable, arts, inps):
    xs, ys = [], []
    for k, (a, inp) in enumerate(zip(arts, inps, strict=True)):
        if a.tc:
            spans = [(s, e) for s, e, _ in a.tc]
            lex = model_of(k).classify_spans(a.text, spans)
            xs.append(span_inputs(inp.words, inp.vecs, inp.svecs, spans, lex))
            ys.extend(LABELS.index(lab) for *_, lab in a.tc)
    return np.concatenate(xs), np.array(ys)


def fit_heads(arts, inps, lex_models) -> dict:
    """Word and technique heads; ``lex_models[k]`` scores article k out of fold."""
    x = np.concatenate([i.x for i in inps])
    y = np.concatenate([i.y for i in inps])
    heads = {"word_" + k: v for k, v in train_mlp(x, y, 1, **WORD_HEAD).items()}
    xt, yt = _tc_xy(lambda k: lex_models[k], arts, inps)
    heads.update({"tc_" + k: v for k, v in train_mlp(xt, yt, len(LABELS), **TC_HEAD).items()})
    return heads


def oof_inputs(arts, vec_store, k: int, log: Callable):
    """Out-of-fold lexical inputs for every article; returns ``(folds, inputs, fold_models)``."""
    folds = fold_split(len(arts), k, seed=13)
    inps: list = [None] * len(arts)
    models = []
    for f, test in enumerate(folds):
        tset = set(test)
        log(f"lexical fold {f + 1}/{k}")
        m = fit([a for i, a in enumerate(arts) if i not in tset], log=lambda *_: None)
        models.append(m)
        for i in test:
            inps[i] = article_inputs(m, arts[i], vec_store[arts[i].id])
    return folds, inps, models


def _word_probs(heads: dict, x: np.ndarray) -> np.ndarray:
    from ..persuasion.cascade import mlp

    return sigmoid(mlp(x, heads, "word")[:, 0]) if len(x) else np.zeros(0)


def _decode(inp: Inputs, probs: np.ndarray, hi: float, lo: float) -> list[tuple[int, int]]:
    out = []
    for i in np.unique(inp.sid):
        sel = inp.sid == i
        words = [tuple(w) for w in inp.words[sel]]
        out.extend((s, e) for s, e, _ in hysteresis(words, probs[sel], hi, lo))
    return out


def cross_validate(arts, folds, inps, fold_models, log: Callable = print) -> dict:
    """CV of the cascade on out-of-fold inputs; thresholds tuned on pooled out-of-fold scores."""
    fold_of = {i: f for f, test in enumerate(folds) for i in test}
    probs: list = [None] * len(arts)
    tc_pred, e2e_pred = {}, {}
    tc_heads = {}
    for f, test in enumerate(folds):
        tset = set(test)
        tr = [i for i in range(len(arts)) if i not in tset]
        log(f"heads fold {f + 1}/{len(folds)}")
        heads = fit_heads(
            [arts[i] for i in tr], [inps[i] for i in tr], [fold_models[fold_of[i]] for i in tr]
        )
        for i in test:
            probs[i] = _word_probs(heads, inps[i].x)
            tc_heads[i] = heads
            a = arts[i]
            if a.tc:
                spans = [(s, e) for s, e, _ in a.tc]
                tc_pred[a.id] = tc_labels(
                    a.tc, _tc_probs(heads, a, inps[i], spans, fold_models[f]), list(LABELS)
                )
    gold_si = {a.id: a.gold_spans() for a in arts}
    best = None
    for hi, lo in THRESHOLDS:
        pred = {a.id: _decode(inps[i], probs[i], hi, lo) for i, a in enumerate(arts)}
        score = si_score(pred, gold_si)
        if best is None or score.f1 > best[0].f1:
            best = (score, {"gate": 0.0, "hi": hi, "lo": lo}, pred)
    _, thr, si_pred = best
    for i, a in enumerate(arts):
        spans = si_pred[a.id]
        tp = _tc_probs(tc_heads[i], a, inps[i], spans, fold_models[fold_of[i]])
        labels = [LABELS[int(q.argmax())] for q in tp]
        spans = expand_to_sentences(spans, split_sentences(a.text), labels, set(EXPAND))
        si_pred[a.id] = spans
        e2e_pred[a.id] = [(s, e, lab) for (s, e), lab in zip(spans, labels, strict=True)]
    return cv_report(len(folds), arts, thr, si_score(si_pred, gold_si), tc_pred, e2e_pred)


def _tc_probs(heads, art, inp: Inputs, spans, lex_model) -> np.ndarray:
    from ..persuasion.cascade import mlp

    lex = lex_model.classify_spans(art.text, spans)
    if not spans:
        return lex
    return softmax(mlp(span_inputs(inp.words, inp.vecs, inp.svecs, spans, lex), heads, "tc"))


def save(folder, heads: dict, thresholds: dict, metrics: dict | None = None) -> None:
    """Write the heads and the cascade thresholds beside the lexical model."""
    config = {
        **thresholds,
        "expand_to_sentence": list(EXPAND),
        "kind": "cascade-minilm-int8",
        "metrics": metrics or {},
    }
    CascadeModel.save_heads(folder / HEADS_FILE, heads, config)
