"""The persuasion model at run time: three linear models over hashed features, numpy only.

1. A sentence model scores each sentence (does it hold any technique?). Its score is a stacked
   feature of step 2, and sentences under ``gate`` are skipped (the cascade's cheap first step).
2. A word tagger scores each word of the remaining sentences as inside/outside a technique span;
   runs of words are read off with hysteresis (open at ``hi``, extend while ``>= lo``).
3. A technique classifier labels each span with one of the 14 techniques.

The weights live in one ``.npz`` file with a JSON config; see ``MODEL_CARD.md`` beside it.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .features import (
    count_occurrences,
    hash_features,
    indexer,
    ngram_counts,
    span_features,
    split_sentences,
)

DEFAULT_DIR = Path(__file__).resolve().parents[1] / "models" / "persuasion"
MODEL_FILE = "persuasion-lexical.npz"
CHUNK_CHARS = 50_000


@dataclass(frozen=True)
class PredictedSpan:
    """A technique span: offsets, technique, tagger confidence and technique probability."""

    start: int
    end: int
    technique: str
    score: float
    technique_score: float


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(x, -30, 30)))


def softmax(x: np.ndarray) -> np.ndarray:
    z = np.exp(x - x.max(axis=-1, keepdims=True))
    return z / z.sum(axis=-1, keepdims=True)


def _float32_arrays(path: Path) -> dict[str, np.ndarray]:
    """The weight arrays of a saved model (every member but ``config``), as float32."""
    with np.load(path, allow_pickle=False) as z:
        return {k: z[k].astype(np.float32) for k in z.files if k != "config"}


class PersuasionModel:
    """Weights of the three linear models plus their decoding thresholds.

    Args:
        arrays: ``sent_w``, ``tok_w``, ``tc_w`` (dim x labels), ``tc_b``.
        config: ``labels``, ``dims`` and the thresholds ``gate``, ``hi``, ``lo``.
    """

    def __init__(self, arrays: dict[str, np.ndarray], config: dict) -> None:
        self.sent_w = np.asarray(arrays["sent_w"], dtype=np.float32)
        self.tok_w = np.asarray(arrays["tok_w"], dtype=np.float32)
        self.tc_w = np.asarray(arrays["tc_w"], dtype=np.float32)
        self.tc_b = np.asarray(arrays["tc_b"], dtype=np.float32)
        self.config = config
        self.labels: list[str] = list(config["labels"])
        self._local = threading.local()  # per thread: the last text prepared (see `prepare`)

    # -- io ----------------------------------------------------------------------------------
    @classmethod
    def load(cls, path: str | Path | None = None) -> PersuasionModel:
        """Load from ``path`` (a ``.npz`` or its folder); the packaged model by default."""
        p = Path(path) if path else DEFAULT_DIR / MODEL_FILE
        if p.is_dir():
            p = p / MODEL_FILE
        with np.load(p, allow_pickle=False) as z:
            config = json.loads(bytes(z["config"]).decode("utf-8"))
        from ..cache import cached_arrays

        # the float16 weights as the model uses them (float32): decompressed and converted
        # once, then memory-mapped from the cache (~0.05 s of each cold start; same values)
        return cls(cached_arrays("persuasion-lexical", [p], lambda: _float32_arrays(p)), config)

    def save(self, path: str | Path) -> None:
        """Write the weights (float16) and config to one ``.npz`` file."""
        cfg = np.frombuffer(json.dumps(self.config).encode("utf-8"), dtype=np.uint8)
        np.savez_compressed(
            path,
            sent_w=self.sent_w.astype(np.float16),
            tok_w=self.tok_w.astype(np.float16),
            tc_w=self.tc_w.astype(np.float16),
            tc_b=self.tc_b,
            config=cfg,
        )

    # -- scoring -----------------------------------------------------------------------------
    def sentence_scores(self, sents: list) -> np.ndarray:
        index = indexer(len(self.sent_w)).sentence
        return np.array(
            [sigmoid(self.sent_w[index(s)].sum()) for s in sents],
            dtype=np.float32,
        )

    def prepare(self, text: str) -> tuple[list, np.ndarray, object]:
        """Sentences of ``text``, their sentence-model scores and the trigram counts.

        Remembered for the last text of each thread (by identity), so the stages that share a
        text (the tagger's windows, its gate, the lexical word scores) split and score it once.
        """
        last = getattr(self._local, "prepared", None)
        if last is not None and last[0] is text:
            return last[1]
        sents = split_sentences(text)
        got = (sents, self.sentence_scores(sents), ngram_counts(sents))
        self._local.prepared = (text, got)
        return got

    def token_logits(self, text: str, sent, sent_score: float, rep) -> np.ndarray:
        """The word tagger's log-odds for every word of ``sent``."""
        rows = indexer(len(self.tok_w)).tokens(text, sent, min(int(sent_score * 10), 9), rep)
        if not rows:
            return np.zeros(0, np.float32)
        # one look-up for the whole sentence, summed per word
        idx = [x for f in rows for x in f]
        starts = np.cumsum([0] + [len(f) for f in rows[:-1]])
        return np.add.reduceat(self.tok_w[idx], starts).astype(np.float32)

    def token_scores(self, text: str, sent, sent_score: float, rep) -> np.ndarray:
        return sigmoid(self.token_logits(text, sent, sent_score, rep)).astype(np.float32)

    def word_scores(self, text: str) -> np.ndarray:
        """The word tagger's probability for every word of :func:`split_sentences` (no gate)."""
        sents, scores, rep = self.prepare(text)
        if not sents:
            return np.zeros(0, dtype=np.float32)
        return np.concatenate(
            [self.token_scores(text, s, float(v), rep) for s, v in zip(sents, scores, strict=True)]
        )

    def span_logits(self, text: str, spans: list[tuple[int, int]]) -> np.ndarray:
        """Technique logits (n_spans x n_labels) for non-empty ``spans`` of ``text``."""
        dim = self.tc_w.shape[0]
        lower = text.lower()
        logits = np.empty((len(spans), len(self.labels)), dtype=np.float32)
        for k, (s, e) in enumerate(spans):
            rep = count_occurrences(lower, lower[s:e])
            idx = hash_features(span_features(text, s, e, rep), dim)
            logits[k] = self.tc_w[idx].sum(axis=0) + self.tc_b
        return logits

    def classify_spans(self, text: str, spans: list[tuple[int, int]]) -> np.ndarray:
        """Technique probabilities (n_spans x n_labels) for character spans of ``text``."""
        if not spans:
            return np.zeros((0, len(self.labels)), dtype=np.float32)
        return softmax(self.span_logits(text, spans))

    def find_spans(self, text: str) -> list[tuple[int, int, float]]:
        """Span identification: ``(start, end, score)`` for each span found."""
        sents, s_scores, rep = self.prepare(text)
        if not sents:
            return []
        cfg = self.config
        out: list[tuple[int, int, float]] = []
        for sent, ss in zip(sents, s_scores, strict=True):
            if ss < cfg["gate"]:
                continue
            probs = self.token_scores(text, sent, float(ss), rep)
            out.extend(hysteresis(sent.words, probs, cfg["hi"], cfg["lo"]))
        return out

    def predict(self, text: str, chunk_chars: int = CHUNK_CHARS) -> list[PredictedSpan]:
        """Spans with their technique for one text of any length.

        Texts longer than ``chunk_chars`` are read in sentence-aligned chunks (repetition is then
        counted within a chunk); every part of the text is read, none is dropped.
        """
        if len(text) <= chunk_chars:
            return self._predict_chunk(text, 0)
        out: list[PredictedSpan] = []
        for start, end in chunk_bounds(text, chunk_chars):
            out.extend(self._predict_chunk(text[start:end], start))
        return out

    def _predict_chunk(self, text: str, offset: int) -> list[PredictedSpan]:
        found = self.find_spans(text)
        probs = self.classify_spans(text, [(s, e) for s, e, _ in found])
        out = []
        for (s, e, score), p in zip(found, probs, strict=True):
            k = int(p.argmax())
            out.append(PredictedSpan(s + offset, e + offset, self.labels[k], score, float(p[k])))
        return out


def chunk_bounds(text: str, chunk_chars: int) -> list[tuple[int, int]]:
    """Sentence-aligned ``(start, end)`` chunks of about ``chunk_chars`` that cover ``text``."""
    bounds: list[tuple[int, int]] = []
    start = 0
    for sent in split_sentences(text):
        if sent.end - start > chunk_chars and sent.start > start:
            bounds.append((start, sent.start))
            start = sent.start
    bounds.append((start, len(text)))
    return bounds


def hysteresis(
    words: list[tuple[int, int]], probs: np.ndarray, hi: float, lo: float
) -> list[tuple[int, int, float]]:
    """Runs of words with probability >= lo that hold at least one word >= hi."""
    on = np.concatenate(([False], probs >= lo, [False]))
    edges = np.flatnonzero(on[1:] != on[:-1])
    out = []
    for i, j in zip(edges[::2], edges[1::2], strict=True):
        run = probs[i:j]
        if run.max() >= hi:
            out.append((words[i][0], words[j - 1][1], float(run.mean())))
    return out
