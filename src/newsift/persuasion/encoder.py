"""The MiniLM encoder at run time: ONNX int8 through onnxruntime, tokens via ``tokenizers``.

Gives one 384-d contextual vector per word (the vector of the word's first word piece), for the
sentences the cheap sentence model selects. Sentences are read in pieces of at most
``PIECE_WORDS`` words so that no piece exceeds the 128-token window.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .features import Sentence

PIECE_WORDS = 48
MAX_TOKENS = 128
ONNX_FILE = "minilm-l6-int8.onnx"
TOKENIZER_FILE = "tokenizer.json"


class Encoder:
    """Contextual word vectors from the exported all-MiniLM-L6-v2.

    Args:
        folder: holds ``minilm-l6-int8.onnx`` and ``tokenizer.json``.
        threads: onnxruntime intra-op threads (None: onnxruntime's default).
    """

    def __init__(self, folder: str | Path, threads: int | None = None) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        folder = Path(folder)
        opts = ort.SessionOptions()
        if threads:
            opts.intra_op_num_threads = threads
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        self.session = ort.InferenceSession(
            str(folder / ONNX_FILE), opts, providers=["CPUExecutionProvider"]
        )
        self.tokenizer = Tokenizer.from_file(str(folder / TOKENIZER_FILE))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.dim = 384

    def word_vectors(
        self, text: str, sents: list[Sentence], batch_size: int = 32
    ) -> list[np.ndarray]:
        """One ``(n_words, 384)`` float32 array per sentence of ``sents``."""
        pieces: list[tuple[int, int, list[str]]] = []  # (sentence index, first word, words)
        for k, s in enumerate(sents):
            words = [text[a:b] for a, b in s.words]
            for i in range(0, len(words), PIECE_WORDS):
                pieces.append((k, i, words[i : i + PIECE_WORDS]))
        out = [np.zeros((len(s.words), self.dim), np.float32) for s in sents]
        order = sorted(range(len(pieces)), key=lambda p: len(pieces[p][2]))
        for b in range(0, len(order), batch_size):
            batch = [pieces[p] for p in order[b : b + batch_size]]
            encs = self.tokenizer.encode_batch([w for _, _, w in batch], is_pretokenized=True)
            hidden = self._run(encs)
            for (k, first, _), enc, h in zip(batch, encs, hidden, strict=True):
                seen = set()
                for t, wid in enumerate(enc.word_ids):
                    if wid is not None and wid not in seen:
                        seen.add(wid)
                        out[k][first + wid] = h[t]
        return out

    def _run(self, encs) -> np.ndarray:
        n = max(len(e.ids) for e in encs)
        ids = np.zeros((len(encs), n), np.int64)
        mask = np.zeros((len(encs), n), np.int64)
        for i, e in enumerate(encs):
            ids[i, : len(e.ids)] = e.ids
            mask[i, : len(e.ids)] = 1
        feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        return self.session.run(None, feeds)[0]
