"""The MiniLM encoder at run time: ONNX int8 through onnxruntime, tokens via ``tokenizers``.

Uses the committed all-MiniLM-L6-v2 in ``newsift/models/minilm/`` (``model.onnx``, inputs
``input_ids`` and ``attention_mask``). Gives one 384-d contextual vector per word (the mean of the
word's word pieces) for the sentences the cheap sentence model selects. Sentences are read in
pieces of at most ``PIECE_WORDS`` words so that no piece exceeds the 128-token window.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..embed import MODEL_DIR, cpu_session
from ..errors import ConfigError
from .features import Sentence

PIECE_WORDS = 48
MAX_TOKENS = 128


class Encoder:
    """Contextual word vectors from the exported all-MiniLM-L6-v2.

    Args:
        folder: holds ``model.onnx`` and ``tokenizer.json`` (default: ``newsift/models/minilm``).
        threads: onnxruntime intra-op threads (default: :func:`newsift.embed.default_threads`).
    """

    def __init__(self, folder: str | Path | None = None, threads: int | None = None) -> None:
        from tokenizers import Tokenizer

        folder = Path(folder) if folder else MODEL_DIR
        onnx_path, tok_path = folder / "model.onnx", folder / "tokenizer.json"
        for p in (onnx_path, tok_path):
            if not p.exists():
                raise ConfigError(
                    f"encoder file {p} is missing; reinstall newsift (the MiniLM artifact lives "
                    "in newsift/models/minilm/)"
                )
        self.session = cpu_session(onnx_path, threads)
        self.inputs = {i.name for i in self.session.get_inputs()}
        self.tokenizer = Tokenizer.from_file(str(tok_path))
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
            for (k, first, words), enc, h in zip(batch, encs, hidden, strict=True):
                wid = np.array([-1 if w is None else w for w in enc.word_ids])
                keep = wid >= 0
                sums = np.zeros((len(words), self.dim), np.float32)
                np.add.at(sums, wid[keep], h[: len(wid)][keep])
                counts = np.bincount(wid[keep], minlength=len(words))[:, None]
                out[k][first : first + len(words)] = sums / np.maximum(counts, 1)
        return out

    def _run(self, encs) -> np.ndarray:
        n = max(len(e.ids) for e in encs)
        ids = np.zeros((len(encs), n), np.int64)
        mask = np.zeros((len(encs), n), np.int64)
        for i, e in enumerate(encs):
            ids[i, : len(e.ids)] = e.ids
            mask[i, : len(e.ids)] = 1
        feeds = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self.inputs:
            feeds["token_type_ids"] = np.zeros_like(ids)
        return self.session.run(None, feeds)[0]
