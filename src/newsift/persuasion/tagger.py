"""The fine-tuned tagger: all-MiniLM-L6-v2 trained end to end as a token classifier on PTC.

One ONNX graph (``persuasion-tagger.onnx``, int8) maps word pieces to 15 logits each: logit 0 says
"inside a persuasion span", logits 1-14 say which technique (multi-label, one per
:data:`~newsift.persuasion.TECHNIQUES`). The text is cut into windows of whole sentences of at
most ``MAX_TOKENS`` word pieces (a longer sentence is cut at a word start), so every word is read
once, with its sentence and neighbours as context, and nothing is truncated.

Word scores are the mean of their pieces' logits, blended with the lexical word tagger's
(``si_lexical_weight``: a weighted mean of the two log-odds). Spans are decoded per sentence with
hysteresis (runs of words with p >= ``lo`` that hold a word with p >= ``hi``; runs in consecutive
sentences join when both sentence edges are inside), then redrawn with the thresholds of their
technique's level (word-level techniques tighter, argument-level ones wider:
:func:`technique_aware_spans`); a span's technique is the softmax of the mean technique
logits over its words, blended with the lexical technique classifier (a weighted mean of the two
log-probabilities, ``tc_tagger_weight`` from cross-validation: the n-gram classifier and the
contextual one err on different spans). Runs on numpy + onnxruntime + tokenizers; training
(torch) is in :mod:`newsift.train.persuasion_tagger`.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..embed import MODEL_DIR as MINILM_DIR
from ..embed import cpu_session
from ..errors import ConfigError
from .features import split_sentences
from .model import (
    DEFAULT_DIR,
    MODEL_FILE,
    PersuasionModel,
    PredictedSpan,
    hysteresis,
    sigmoid,
    softmax,
)
from .techniques import ARGUMENT_LEVEL, WORD_LEVEL
from .techniques import LABELS as TECHNIQUES

TAGGER_FILE = "persuasion-tagger.onnx"
TAGGER_CONFIG = "persuasion-tagger.json"
#: the distilled 3-layer student (``"model": "student"``): same inputs, outputs and decoding
STUDENT_FILE = "persuasion-student.onnx"
STUDENT_CONFIG = "persuasion-student.json"
FILES = {"tagger": (TAGGER_FILE, TAGGER_CONFIG), "student": (STUDENT_FILE, STUDENT_CONFIG)}
MAX_TOKENS = 128
#: windows per onnxruntime call at run time. One: no padding (windows of one article differ in
#: length, and padding them to the longest was ~18% of the positions the graph computed), and a
#: window's logits do not depend on the other windows of its article (onnxruntime quantises the
#: activations per call and per tensor, padding included). 17% less encoder CPU (issue 22).
WINDOWS_PER_CALL = 1
UNREAD_LOGIT = -20.0  # in-span logit of a word the sentence gate did not let the encoder read
CLS_ID, SEP_ID = 101, 102


def check_gate(gate) -> float:
    """The sentence gate as a float in [0, 1), or a :class:`ConfigError` saying what is wrong."""
    try:
        value = float(gate)
    except (TypeError, ValueError):
        value = float("nan")
    if not 0.0 <= value < 1.0:
        raise ConfigError(f"persuasion tagger: gate must be in [0, 1), got {gate!r}")
    return value


@dataclass
class Windows:
    """An article cut for the tagger.

    Attributes:
        words: ``(n_words, 2)`` character offsets of the words.
        sent_of_word: the sentence index of each word.
        sent_bounds: ``(n_sents, 2)`` word index ranges of the sentences.
        ids: per window, the word-piece ids (no special tokens).
        word_of: per window, the word index of each piece (-1: not inside a word).
        tok_spans: per window, ``(n, 2)`` character offsets of each piece.
        read: per sentence, whether the windows cover it (None: all; see ``keep`` in
            :func:`make_windows`).
    """

    words: np.ndarray
    sent_of_word: np.ndarray
    sent_bounds: np.ndarray
    ids: list[np.ndarray]
    word_of: list[np.ndarray]
    tok_spans: list[np.ndarray]
    read: np.ndarray | None = None


def load_tokenizer(folder: Path | None = None):
    """The MiniLM word-piece tokenizer (no padding, no truncation)."""
    from tokenizers import Tokenizer

    path = (folder or MINILM_DIR) / "tokenizer.json"
    if not path.exists():
        raise ConfigError(f"tokenizer {path} is missing; reinstall newsift")
    tok = Tokenizer.from_file(str(path))
    tok.no_padding()
    tok.no_truncation()
    return tok


def make_windows(
    text: str, tokenizer, max_tokens: int = MAX_TOKENS, keep=None, sents=None, first=None
) -> Windows:
    """Cut ``text`` into sentence-aligned windows of at most ``max_tokens`` pieces (with CLS/SEP).

    ``keep``, when given, is called with the sentences and returns a boolean per sentence: only
    those are put in windows (the sentence gate); the others keep their words but are not read.
    ``sents``: ``split_sentences(text)`` where the caller has it already.
    ``first``: the piece budget of the first window only (the others keep ``max_tokens``), so
    that a second reading puts the window edges elsewhere (a shifted view).
    """
    if sents is None:
        sents = split_sentences(text)
    read = np.asarray(keep(sents), bool) if keep is not None and sents else None
    words = np.array([w for s in sents for w in s.words], np.int64).reshape(-1, 2)
    sizes = [len(s.words) for s in sents]
    sent_of_word = np.repeat(np.arange(len(sents)), sizes)
    ends = np.cumsum(sizes)
    sent_bounds = np.stack([ends - sizes, ends], axis=1) if sents else np.zeros((0, 2), np.int64)
    budget = max_tokens - 2
    pieces: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    if sents:
        todo = [s for n_s, s in enumerate(sents) if read is None or read[n_s]]
        encs = tokenizer.encode_batch(
            [text[s.start : s.end] for s in todo], add_special_tokens=False
        )
        starts = words[:, 0]
        for s, enc in zip(todo, encs, strict=True):
            ids = np.array(enc.ids, np.int64)
            offs = np.array(enc.offsets, np.int64).reshape(-1, 2) + s.start
            widx = np.searchsorted(starts, offs[:, 0], side="right") - 1
            ok = (widx >= 0) & (offs[:, 0] < words[np.maximum(widx, 0), 1])
            widx = np.where(ok, widx, -1)
            i = 0
            while i < len(ids):
                j = min(i + budget, len(ids))
                if j < len(ids):  # cut where a new word starts
                    for k in range(j, i, -1):
                        if widx[k] != widx[k - 1]:
                            j = k
                            break
                pieces.append((ids[i:j], widx[i:j], offs[i:j]))
                i = j
    win_ids, win_words, win_offs = [], [], []
    cur: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    n = 0
    cap = budget if first is None else min(budget, max(1, first))
    for p in pieces + [None]:
        if p is None or (cur and n + len(p[0]) > cap):
            if cur:
                win_ids.append(np.concatenate([c[0] for c in cur]))
                win_words.append(np.concatenate([c[1] for c in cur]))
                win_offs.append(np.concatenate([c[2] for c in cur]))
            cur, n = [], 0
            if win_ids:
                cap = budget
        if p is not None:
            cur.append(p)
            n += len(p[0])
    return Windows(words, sent_of_word, sent_bounds, win_ids, win_words, win_offs, read)


def word_logits(windows: Windows, token_logits: list[np.ndarray], n_out: int) -> np.ndarray:
    """Mean of the pieces' logits per word: ``(n_words, n_out)``."""
    n = len(windows.words)
    sums = np.zeros((n, n_out), np.float32)
    counts = np.zeros(n, np.float32)
    for widx, logits in zip(windows.word_of, token_logits, strict=True):
        keep = widx >= 0
        np.add.at(sums, widx[keep], logits[keep])
        np.add.at(counts, widx[keep], 1.0)
    return sums / np.maximum(counts, 1.0)[:, None]


def mark_unread(windows: Windows, wl: np.ndarray) -> np.ndarray:
    """Word logits ``wl`` with the words of sentences the gate skipped set out of any span
    (:data:`UNREAD_LOGIT`) and without technique evidence; in place, and returned."""
    if windows.read is not None:
        skipped = ~windows.read[windows.sent_of_word]
        wl[skipped, 0] = UNREAD_LOGIT
        wl[skipped, 1:] = 0.0
    return wl


def _sentence_runs(
    windows: Windows, probs: np.ndarray, a: int, b: int, hi: float, lo: float
) -> list[tuple[int, int, float, int, int]]:
    """Hysteresis runs of the sentence of words ``a:b``: ``(start, end, score, first, end word)``."""
    words = windows.words[a:b]
    out = []
    for s, e, score in hysteresis(words.tolist(), probs[a:b], hi, lo):
        i = a + int(np.searchsorted(words[:, 0], s))
        j = a + int(np.searchsorted(words[:, 1], e)) + 1
        out.append((s, e, score, i, j))
    return out


def decode_spans(
    windows: Windows, probs: np.ndarray, hi: float, lo: float, join: bool = True
) -> list[tuple[int, int, float, int, int]]:
    """Hysteresis spans per sentence: ``(start, end, score, first word, end word)``.

    With ``join``, a span that runs to the end of its sentence and one that starts the next
    sentence become one span (PTC marks some techniques over several sentences).
    """
    out: list[tuple[int, int, float, int, int]] = []
    for a, b in windows.sent_bounds:
        for s, e, score, i, j in _sentence_runs(windows, probs, a, b, hi, lo):
            if join and out and out[-1][4] == a and i == a:
                ps, _, pscore, pi, _ = out[-1]
                out[-1] = (ps, e, (pscore + score) / 2, pi, j)
            else:
                out.append((s, e, score, i, j))
    return out


def level_value(technique: str, default: float, word_level, argument_level):
    """``word_level`` for a word-level technique, ``argument_level`` for an argument-level one
    (:data:`~newsift.persuasion.techniques.WORD_LEVEL`, ``ARGUMENT_LEVEL``), where not None;
    else ``default``."""
    if word_level is not None and technique in WORD_LEVEL:
        return word_level
    if argument_level is not None and technique in ARGUMENT_LEVEL:
        return argument_level
    return default


def technique_aware(config: dict) -> bool:
    """Whether ``config`` sets span edges or thresholds by technique level."""
    return any(config.get(k) is not None for k in ("lo_short", "lo_long", "hi_short", "hi_long"))


def technique_aware_spans(
    windows: Windows, probs: np.ndarray, spans: list, technique_of, config: dict
) -> tuple[list[tuple[int, int, float, int, int]], list[str]]:
    """Spans and their techniques, with edges and thresholds set by technique level.

    PTC marks word-level techniques (loaded language, name calling) on 2-5 words and
    argument-level ones (doubt, causal oversimplification) on 13-20, while one pair of
    hysteresis thresholds draws every span alike. So each decoded span is redrawn with the
    ``lo`` of its technique (``lo_short``, ``lo_long``: :func:`refine_spans`), classified
    again, and kept when its peak word reaches the ``hi`` of its technique (``hi_short``,
    ``hi_long``). Settings that are None fall back to ``lo``/``hi``.
    ``technique_of(spans)`` names the technique of each ``(start, end)`` span.
    """
    if not spans:
        return [], []
    hi, lo = config["hi"], config["lo"]
    techs = technique_of([(s, e) for s, e, *_ in spans])
    los = [level_value(t, lo, config.get("lo_short"), config.get("lo_long")) for t in techs]
    if any(v != lo for v in los):
        spans = refine_spans(windows, probs, spans, los, hi, lo)
        techs = technique_of([(s, e) for s, e, *_ in spans]) if spans else []
    his = [level_value(t, hi, config.get("hi_short"), config.get("hi_long")) for t in techs]
    keep = [
        k
        for k, (sp, h) in enumerate(zip(spans, his, strict=True))
        if h <= hi or probs[sp[3] : sp[4]].max() >= h
    ]
    return [spans[k] for k in keep], [techs[k] for k in keep]


def refine_spans(
    windows: Windows,
    probs: np.ndarray,
    spans: list[tuple[int, int, float, int, int]],
    los: list[float],
    hi: float,
    lo: float,
) -> list[tuple[int, int, float, int, int]]:
    """Re-draw each span's edges with its own ``lo`` (one per span, from :func:`level_value`).

    A span whose ``lo`` differs from the one it was decoded with is replaced by the hysteresis runs
    of its sentence at that ``lo`` that overlap it: a lower ``lo`` widens it over neighbours that
    are fairly likely, a higher one trims it to its core (possibly into several runs). Spans that
    come out the same are kept once.
    """
    out: dict[tuple[int, int], tuple[int, int, float, int, int]] = {}
    for span, lo_k in zip(spans, los, strict=True):
        s, e, _, i, j = span
        if lo_k == lo:
            out.setdefault((s, e), span)
            continue
        a, b = windows.sent_bounds[windows.sent_of_word[i]]
        for run in _sentence_runs(windows, probs, a, b, hi, lo_k):
            if run[0] < e and run[1] > s:
                out.setdefault((run[0], run[1]), run)
    return sorted(out.values())


def span_technique_probs(
    windows: Windows, tech_logits: np.ndarray, spans: list[tuple[int, int]]
) -> np.ndarray:
    """Softmax over the 14 techniques of the mean word logits inside each span."""
    out = np.zeros((len(spans), tech_logits.shape[1]), np.float32)
    w = windows.words
    for k, (s, e) in enumerate(spans):
        sel = (w[:, 0] < e) & (w[:, 1] > s) if len(w) else np.zeros(0, bool)
        if sel.any():
            out[k] = tech_logits[sel].mean(0)
    return softmax(out)


def blend_span_probs(tagger_logits: np.ndarray, lexical_probs: np.ndarray, b: float) -> np.ndarray:
    """``sigmoid((1 - b) * tagger logit + b * lexical log-odds)`` per word."""
    p = np.clip(lexical_probs, 1e-6, 1 - 1e-6)
    return sigmoid((1 - b) * tagger_logits + b * np.log(p / (1 - p)))


def blend_technique_probs(tagger: np.ndarray, lexical: np.ndarray, a: float) -> np.ndarray:
    """Softmax of ``a * log p_tagger + (1 - a) * log p_lexical`` per span."""
    return softmax(a * np.log(tagger + 1e-9) + (1 - a) * np.log(lexical + 1e-9))


class TaggerModel(PersuasionModel):
    """The fine-tuned MiniLM tagger, with the same ``predict`` as the lexical model.

    Args:
        session: the onnxruntime session of ``persuasion-tagger.onnx``.
        tokenizer: the MiniLM tokenizer.
        config: ``hi``, ``lo``, ``join`` decoding settings, the blend weights
            ``si_lexical_weight`` and ``tc_tagger_weight``, and the training record.
        lexical: the lexical model blended in (None: tagger only).
    """

    def __init__(
        self, session, tokenizer, config: dict, lexical: PersuasionModel | None = None
    ) -> None:
        self.session = session
        self.tokenizer = tokenizer
        self.lexical = lexical
        self.config = dict(config)
        self.labels = list(self.config.get("labels", TECHNIQUES))
        self._local = threading.local()  # per-thread: the last text read and its logits

    @classmethod
    def load(
        cls, path: str | Path | None = None, threads: int | None = None, kind: str = "tagger"
    ) -> TaggerModel:
        """Load the tagger (``kind="tagger"``) or its distilled student (``"student"``)."""
        folder = Path(path) if path else DEFAULT_DIR
        if folder.is_file():
            folder = folder.parent
        onnx_name, cfg_name = FILES[kind]
        onnx_path, cfg_path = folder / onnx_name, folder / cfg_name
        for p in (onnx_path, cfg_path):
            if not p.exists():
                raise ConfigError(
                    f"persuasion {kind} file {p} is missing; reinstall newsift or retrain with "
                    f"`newsift train persuasion DIR --{kind}`"
                )
        session = cpu_session(onnx_path, threads)
        config = json.loads(cfg_path.read_text(encoding="utf-8"))
        lexical = None
        if config.get("tc_tagger_weight", 1.0) < 1.0 or config.get("si_lexical_weight", 0.0) > 0:
            lexical = PersuasionModel.load(folder / MODEL_FILE)
        return cls(session, load_tokenizer(), config, lexical)

    def set_gate(self, gate: float) -> None:
        """Read only sentences whose lexical sentence score is at least ``gate`` (0: all)."""
        gate = check_gate(gate)
        if gate > 0 and self.lexical is None:
            raise ConfigError(
                "persuasion tagger: the sentence gate needs the lexical model "
                "(persuasion-lexical.npz) beside the tagger"
            )
        self.config["gate"] = gate

    def window_logits(self, win: Windows, batch_size: int = WINDOWS_PER_CALL) -> list[np.ndarray]:
        """Per window of ``win``, the ``(n_pieces, 15)`` logits of the graph (no CLS/SEP).

        Windows are run ``batch_size`` per call (:data:`WINDOWS_PER_CALL`), shortest first, so
        that padding stays small when there is more than one per call.
        """
        logits: list[np.ndarray] = [np.zeros((0, 1 + len(self.labels)), np.float32)] * len(win.ids)
        order = sorted(range(len(win.ids)), key=lambda i: len(win.ids[i]))
        for b in range(0, len(order), batch_size):
            idx = order[b : b + batch_size]
            n = max(len(win.ids[i]) for i in idx) + 2
            ids = np.zeros((len(idx), n), np.int64)
            mask = np.zeros((len(idx), n), np.int64)
            for r, i in enumerate(idx):
                k = len(win.ids[i])
                ids[r, 0], ids[r, 1 : k + 1], ids[r, k + 1] = CLS_ID, win.ids[i], SEP_ID
                mask[r, : k + 2] = 1
            out = self.session.run(None, {"input_ids": ids, "attention_mask": mask})[0]
            for r, i in enumerate(idx):
                logits[i] = out[r, 1 : len(win.ids[i]) + 1]
        return logits

    def read(self, text: str, batch_size: int = WINDOWS_PER_CALL) -> tuple[Windows, np.ndarray]:
        """Windows of ``text`` and its ``(n_words, 15)`` word logits (cached for the last text)."""
        gate = float(self.config.get("gate", 0.0))
        last = getattr(self._local, "cache", None)
        if last is not None and last[0] is text and last[1] == gate:
            return last[2]
        keep = sents = None
        if self.lexical is not None:
            sents, sent_scores, _ = self.lexical.prepare(text)
            if gate > 0:

                def keep(_sents):
                    return sent_scores >= gate

        win = make_windows(text, self.tokenizer, keep=keep, sents=sents)
        wl = word_logits(win, self.window_logits(win, batch_size), 1 + len(self.labels))
        mark_unread(win, wl)
        self._local.cache = (text, gate, (win, wl))
        return win, wl

    def span_probs(self, text: str) -> tuple[Windows, np.ndarray]:
        """Windows of ``text`` and each word's probability of being inside a span."""
        win, wl = self.read(text)
        b = float(self.config.get("si_lexical_weight", 0.0))
        if self.lexical is None or b <= 0:
            return win, sigmoid(wl[:, 0])
        return win, blend_span_probs(wl[:, 0], self.lexical.word_scores(text), b)

    def _find(self, text: str) -> tuple[list[tuple[int, int, float]], dict]:
        """Spans, and the technique probabilities computed on the way (by ``(start, end)``)."""
        win, probs = self.span_probs(text)
        cfg = self.config
        spans = decode_spans(win, probs, cfg["hi"], cfg["lo"], cfg.get("join", True))
        known: dict[tuple[int, int], np.ndarray] = {}
        if technique_aware(cfg):

            def technique_of(found):
                p = self.classify_spans(text, found)
                known.update(zip(found, p, strict=True))
                return [self.labels[int(x.argmax())] for x in p]

            spans, _ = technique_aware_spans(win, probs, spans, technique_of, cfg)
        return [(int(s), int(e), float(score)) for s, e, score, _, _ in spans], known

    def find_spans(self, text: str) -> list[tuple[int, int, float]]:
        """Spans decoded with ``hi``/``lo``; with edges and thresholds by technique level where
        the config sets them (:func:`technique_aware_spans`)."""
        return self._find(text)[0]

    def classify_spans(self, text: str, spans: list[tuple[int, int]]) -> np.ndarray:
        if not spans:
            return np.zeros((0, len(self.labels)), np.float32)
        win, wl = self.read(text)
        probs = span_technique_probs(win, wl[:, 1:], spans)
        if self.lexical is None:
            return probs
        lex = self.lexical.classify_spans(text, spans)
        return blend_technique_probs(probs, lex, float(self.config.get("tc_tagger_weight", 1.0)))

    def _predict_chunk(self, text: str, offset: int) -> list[PredictedSpan]:
        found, known = self._find(text)
        todo = [(s, e) for s, e, _ in found if (s, e) not in known]
        if todo:
            known.update(zip(todo, self.classify_spans(text, todo), strict=True))
        probs = [known[(s, e)] for s, e, _ in found]
        return [
            PredictedSpan(s + offset, e + offset, self.labels[int(p.argmax())], sc, float(p.max()))
            for (s, e, sc), p in zip(found, probs, strict=True)
        ]
