"""The two-step cascade: the lexical model picks sentences, MiniLM reads only those.

Step 1 is :class:`~newsift.persuasion.model.PersuasionModel` (hashed lexical features). Sentences
whose sentence score reaches ``gate`` go to step 2: the int8 MiniLM encoder gives each word a
contextual vector, and small linear heads combine it with the lexical scores:

- word head: ``[word vector, lexical word logit]`` -> in a technique span or not;
- technique head: ``[mean word vector of the span, lexical technique log-probabilities]`` -> one of
  the 14 techniques.

Everything runs on numpy + onnxruntime + tokenizers.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from .encoder import Encoder
from .features import ngram_counts, split_sentences
from .model import DEFAULT_DIR, MODEL_FILE, PersuasionModel, _hysteresis, _sigmoid, _softmax

HEADS_FILE = "persuasion-heads.npz"


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p))


class CascadeModel(PersuasionModel):
    """The lexical model plus the encoder and its heads; same ``predict`` as the lexical model.

    Args:
        lexical: the step-1 model.
        encoder: the ONNX MiniLM encoder.
        heads: ``tok_w`` (385,), ``tok_b`` (1,), ``tc_head_w`` (398, 14), ``tc_head_b`` (14,).
        config: ``gate``, ``hi``, ``lo`` for the cascade.
    """

    def __init__(self, lexical: PersuasionModel, encoder: Encoder, heads: dict, config: dict):
        arrays = {"sent_w": lexical.sent_w, "tok_w": lexical.tok_w}
        arrays.update(tc_w=lexical.tc_w, tc_b=lexical.tc_b)
        super().__init__(arrays, {**lexical.config, **config})
        self.lexical = lexical
        self.encoder = encoder
        self.head_tok_w = np.asarray(heads["tok_w"], np.float32)
        self.head_tok_b = float(np.asarray(heads["tok_b"]).reshape(-1)[0])
        self.head_tc_w = np.asarray(heads["tc_head_w"], np.float32)
        self.head_tc_b = np.asarray(heads["tc_head_b"], np.float32)

    @classmethod
    def load(cls, path: str | Path | None = None, threads: int | None = None) -> CascadeModel:
        """Load the cascade from a folder (the packaged ``models/persuasion`` by default)."""
        folder = Path(path) if path else DEFAULT_DIR
        lexical = PersuasionModel.load(folder / MODEL_FILE)
        with np.load(folder / HEADS_FILE, allow_pickle=False) as z:
            heads = {k: z[k] for k in z.files if k != "config"}
            config = json.loads(bytes(z["config"]).decode("utf-8"))
        return cls(lexical, Encoder(threads=threads), heads, config)

    @staticmethod
    def save_heads(path: str | Path, heads: dict, config: dict) -> None:
        cfg = np.frombuffer(json.dumps(config).encode("utf-8"), dtype=np.uint8)
        np.savez_compressed(path, config=cfg, **{k: np.asarray(v) for k, v in heads.items()})

    # -- step 2 ------------------------------------------------------------------------------
    def word_head(self, vecs: np.ndarray, lex_probs: np.ndarray) -> np.ndarray:
        """In-span probability per word from its vector and lexical probability."""
        x = vecs @ self.head_tok_w[:-1] + _logit(lex_probs) * self.head_tok_w[-1]
        return _sigmoid(x + self.head_tok_b)

    def find_spans(self, text: str) -> list[tuple[int, int, float]]:
        sents = split_sentences(text)
        self._cache = (text, {}, sents)
        if not sents:
            return []
        cfg = self.config
        s_scores = self.sentence_scores(sents)
        chosen = [i for i, v in enumerate(s_scores) if v >= cfg["gate"]]
        if not chosen:
            return []
        rep = ngram_counts(sents)
        vecs = self.encoder.word_vectors(text, [sents[i] for i in chosen])
        out: list[tuple[int, int, float]] = []
        for i, v in zip(chosen, vecs, strict=True):
            self._cache[1][i] = v
            lex = self.token_scores(text, sents[i], float(s_scores[i]), rep)
            probs = self.word_head(v, lex)
            out.extend(_hysteresis(sents[i].words, probs, cfg["hi"], cfg["lo"]))
        return out

    def span_vectors(self, text: str, spans: list[tuple[int, int]]) -> np.ndarray:
        """Mean contextual vector of the words of each span (reusing this text's encodings)."""
        cached = getattr(self, "_cache", None)
        if cached is None or cached[0] is not text:
            cached = (text, {}, split_sentences(text))
        _, vec_cache, sents = cached
        starts = np.array([s.start for s in sents])
        ends = np.array([s.end for s in sents])
        need = sorted(
            {i for s, e in spans for i in np.flatnonzero((starts < e) & (ends > s)).tolist()}
            - set(vec_cache)
        )
        if need:
            vecs = self.encoder.word_vectors(text, [sents[i] for i in need])
            for i, v in zip(need, vecs, strict=True):
                vec_cache[i] = v
        out = np.zeros((len(spans), self.encoder.dim), np.float32)
        for k, (s, e) in enumerate(spans):
            parts = []
            for i in np.flatnonzero((starts < e) & (ends > s)):
                w = np.array(sents[i].words)
                sel = (w[:, 0] < e) & (w[:, 1] > s)
                if sel.any():
                    parts.append(vec_cache[int(i)][sel])
            if parts:
                out[k] = np.concatenate(parts).mean(axis=0)
        return out

    def classify_spans(self, text: str, spans: list[tuple[int, int]]) -> np.ndarray:
        lex = self.lexical.classify_spans(text, spans)
        if not spans:
            return lex
        x = np.concatenate([self.span_vectors(text, spans), np.log(lex + 1e-6)], axis=1)
        return _softmax(x @ self.head_tc_w + self.head_tc_b)
