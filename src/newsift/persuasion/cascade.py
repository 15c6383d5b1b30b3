"""The two-step cascade: the lexical model picks sentences, MiniLM reads only those.

Step 1 is :class:`~newsift.persuasion.model.PersuasionModel` (hashed lexical features). Sentences
whose sentence score reaches ``gate`` go to step 2: the int8 MiniLM encoder gives each word a
contextual vector, and two small heads (one hidden layer, numpy at run time) combine it with the
lexical scores:

- word head: ``[word vector, sentence mean vector, lexical word logit, sentence logit]`` -> in a
  technique span or not;
- technique head: ``[mean and max word vector of the span, mean sentence vector, lexical technique
  log-probabilities, 4 length features]`` -> one of the 14 techniques.

Everything runs on numpy + onnxruntime + tokenizers.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path

import numpy as np

from .encoder import Encoder
from .model import (
    DEFAULT_DIR,
    MODEL_FILE,
    PersuasionModel,
    PredictedSpan,
    hysteresis,
    sigmoid,
    softmax,
)

HEADS_FILE = "persuasion-heads.npz"
DIM = 384


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p))


def expand_to_sentences(spans, sents, labels: list[str], expand) -> list[tuple[int, int]]:
    """Widen each span labelled with a technique in ``expand`` to the sentences it touches.

    PTC marks Doubt, Causal_Oversimplification and the other argument-level techniques on whole
    clauses or sentences, while the word head tends to find only their strongest words.
    """
    out = []
    for (s, e), lab in zip(spans, labels, strict=True):
        if lab in expand:
            for x in sents:
                if x.start < e and x.end > s:
                    s, e = min(s, x.start), max(e, x.end)
        out.append((s, e))
    return out


def mlp(x: np.ndarray, heads: dict, name: str) -> np.ndarray:
    """One hidden ReLU layer: ``relu(x @ W1 + b1) @ W2 + b2`` with weights ``{name}_w1`` etc."""
    h = np.maximum(x @ heads[name + "_w1"] + heads[name + "_b1"], 0.0)
    return h @ heads[name + "_w2"] + heads[name + "_b2"]


def word_inputs(vecs: np.ndarray, svec: np.ndarray, lex: np.ndarray, ss: float) -> np.ndarray:
    """Word-head inputs for the words of one sentence."""
    n = len(vecs)
    return np.hstack(
        [vecs, np.broadcast_to(svec, (n, DIM)), _logit(lex)[:, None], np.full((n, 1), _logit(ss))]
    ).astype(np.float32)


def span_inputs(
    words: np.ndarray, vecs: np.ndarray, svecs: np.ndarray, spans, lex_tc: np.ndarray
) -> np.ndarray:
    """Technique-head inputs for ``spans``.

    Args:
        words: ``(n, 2)`` word offsets; ``vecs``: their vectors; ``svecs``: the mean vector of
            each word's sentence (both ``(n, 384)``).
        spans: ``(start, end)`` character spans.
        lex_tc: the lexical technique probabilities of the spans ``(len(spans), 14)``.
    """
    out = np.zeros((len(spans), 3 * DIM + lex_tc.shape[1] + 4), np.float32)
    for k, (s, e) in enumerate(spans):
        sel = (words[:, 0] < e) & (words[:, 1] > s) if len(words) else np.zeros(0, bool)
        if sel.any():
            out[k, :DIM] = vecs[sel].mean(0)
            out[k, DIM : 2 * DIM] = vecs[sel].max(0)
            out[k, 2 * DIM : 3 * DIM] = svecs[sel].mean(0)
        nw = int(sel.sum())
        out[k, 3 * DIM : 3 * DIM + lex_tc.shape[1]] = np.log(lex_tc[k] + 1e-6)
        out[k, -4:] = [np.log1p(nw), nw <= 2, nw >= 10, np.log1p(e - s) / 6]
    return out


class CascadeModel(PersuasionModel):
    """The lexical model plus the encoder and its heads; same ``predict`` as the lexical model.

    Args:
        lexical: the step-1 model.
        encoder: the ONNX MiniLM encoder.
        heads: ``word_{w1,b1,w2,b2}`` and ``tc_{w1,b1,w2,b2}`` weight arrays.
        config: ``gate``, ``hi``, ``lo`` for the cascade.
    """

    def __init__(self, lexical: PersuasionModel, encoder: Encoder, heads: dict, config: dict):
        arrays = {"sent_w": lexical.sent_w, "tok_w": lexical.tok_w}
        arrays.update(tc_w=lexical.tc_w, tc_b=lexical.tc_b)
        super().__init__(arrays, {**lexical.config, **config})
        self.lexical = lexical
        self.encoder = encoder
        self.heads = {k: np.asarray(v, np.float32) for k, v in heads.items()}
        self._local = threading.local()  # per-thread cache of the last text's word vectors

    @classmethod
    def load(cls, path: str | Path | None = None, threads: int | None = None) -> CascadeModel:
        """Load the cascade from a folder (the packaged ``models/persuasion`` by default)."""
        folder = Path(path) if path else DEFAULT_DIR
        if folder.is_file():
            folder = folder.parent
        lexical = PersuasionModel.load(folder / MODEL_FILE)
        with np.load(folder / HEADS_FILE, allow_pickle=False) as z:
            heads = {k: z[k] for k in z.files if k != "config"}
            config = json.loads(bytes(z["config"]).decode("utf-8"))
        return cls(lexical, Encoder(threads=threads), heads, config)

    @staticmethod
    def save_heads(path: str | Path, heads: dict, config: dict) -> None:
        """Write the heads (float16 weights) and the cascade config to one ``.npz``."""
        cfg = np.frombuffer(json.dumps(config).encode("utf-8"), dtype=np.uint8)
        arrays = {k: np.asarray(v, np.float16) for k, v in heads.items()}
        np.savez_compressed(path, config=cfg, **arrays)

    # -- step 2 ------------------------------------------------------------------------------
    def _encode(self, text: str, sents, idx: list[int]) -> dict:
        """Encode sentences ``idx`` of ``text`` into this text's cache; returns the cache.

        The cache holds one text per thread, so ``classify_spans`` after ``find_spans`` on the
        same text (as ``predict`` does) encodes nothing twice.
        """
        last = getattr(self._local, "cache", None)
        if last is None or last[0] is not text:
            last = self._local.cache = (text, {})
        cache = last[1]
        need = [i for i in idx if i not in cache]
        if need:
            vecs = self.encoder.word_vectors(text, [sents[i] for i in need])
            for i, v in zip(need, vecs, strict=True):
                cache[i] = (v, v.mean(axis=0) if len(v) else np.zeros(DIM, np.float32))
        return cache

    def find_spans(self, text: str) -> list[tuple[int, int, float]]:
        sents, s_scores, rep = self.prepare(text)
        if not sents:
            return []
        cfg = self.config
        chosen = [i for i, v in enumerate(s_scores) if v >= cfg["gate"]]
        if not chosen:
            return []
        cache = self._encode(text, sents, chosen)
        out: list[tuple[int, int, float]] = []
        for i in chosen:
            vecs, svec = cache[i]
            lex = self.token_scores(text, sents[i], float(s_scores[i]), rep)
            x = word_inputs(vecs, svec, lex, float(s_scores[i]))
            probs = sigmoid(mlp(x, self.heads, "word")[:, 0])
            out.extend(hysteresis(sents[i].words, probs, cfg["hi"], cfg["lo"]))
        return out

    def classify_spans(self, text: str, spans: list[tuple[int, int]]) -> np.ndarray:
        lex = self.lexical.classify_spans(text, spans)
        if not spans:
            return lex
        sents = self.prepare(text)[0]
        starts = np.array([s.start for s in sents])
        ends = np.array([s.end for s in sents])
        idx = sorted(
            {i for s, e in spans for i in np.flatnonzero((starts < e) & (ends > s)).tolist()}
        )
        cache = self._encode(text, sents, idx)
        words = np.array([w for i in idx for w in sents[i].words], np.int64).reshape(-1, 2)
        if not len(words):
            return lex
        vecs = np.concatenate([cache[i][0] for i in idx])
        svecs = np.concatenate([np.broadcast_to(cache[i][1], cache[i][0].shape) for i in idx])
        x = span_inputs(words, vecs, svecs, spans, lex)
        return softmax(mlp(x, self.heads, "tc"))

    def _predict_chunk(self, text: str, offset: int) -> list[PredictedSpan]:
        found = self.find_spans(text)
        probs = self.classify_spans(text, [(s, e) for s, e, _ in found])
        labels = [self.labels[int(p.argmax())] for p in probs]
        expand = set(self.config.get("expand_to_sentence", ()))
        spans = [(s, e) for s, e, _ in found]
        if expand:
            spans = expand_to_sentences(spans, self.prepare(text)[0], labels, expand)
        return [
            PredictedSpan(s + offset, e + offset, lab, f[2], float(p.max()))
            for (s, e), lab, f, p in zip(spans, labels, found, probs, strict=True)
        ]
