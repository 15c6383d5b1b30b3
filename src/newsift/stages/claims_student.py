"""The cheap first pass of check-worthiness in other languages than English (issue 24).

A student of the multilingual-e5 head (:class:`newsift.stages.checkworthy.MultilingualCheckworthy`):
on hashed character n-grams, a ridge regression that predicts the head's binary logit and a
logistic regression that predicts its choice of ``non-factual`` over ``unimportant factual``
(``newsift train claims --part multilingual-student``;
:mod:`newsift.train.checkworthy_student` says how it is fitted and its cut chosen). Sentences of
a language with a cut whose student logit falls under it take the student's outputs; every other
sentence is read by e5. Numpy and scipy only (no sklearn at run time).

Files (``models/claims``): ``multilingual-student.npz`` (the weights of the n-gram rows seen in
training, float16, and the intercepts) and ``multilingual-student.json`` (cuts and margins per
language, how they were chosen, the held-out figures).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

BITS = 18
NPZ = "multilingual-student.npz"
CONFIG = "multilingual-student.json"


class CheckworthyStudent:
    """Hashed char_wb 2-5-gram features (sublinear counts, L2-normalised rows) and a linear map
    to ``[the e5 head's binary logit, the logit of its choosing non-factual]``.

    Args:
        weights: ``[2**BITS, 2]``, dense (2 MB) or scipy sparse.
        intercept: ``[2]``.
        config: ``{"cuts": {language: logit}, ...}``.
    """

    bits = BITS

    def __init__(self, weights: Any, intercept: np.ndarray, config: dict[str, Any]) -> None:
        self.weights = weights
        self.intercept = np.asarray(intercept, dtype=np.float32)
        self.config = config
        from ..hashing import HashedNgrams

        self.hasher = HashedNgrams("char_wb", (2, 5), 2**BITS)

    @classmethod
    def empty(cls) -> CheckworthyStudent:
        """A student with no weights (its feature map only), for training."""
        return cls(np.zeros((2**BITS, 2), dtype=np.float32), np.zeros(2), {})

    @classmethod
    def load(cls, model_dir: str | Path) -> CheckworthyStudent | None:
        """The student in ``model_dir``, or None where there is none (every sentence to e5)."""
        folder = Path(model_dir)
        if not (folder / NPZ).exists() or not (folder / CONFIG).exists():
            return None
        w = np.load(folder / NPZ)
        rows = w["rows"].astype(np.int64)
        vals = w["values"].astype(np.float32)
        dense = np.zeros((2**BITS, vals.shape[1]), dtype=np.float32)
        dense[rows] = vals
        config = json.loads((folder / CONFIG).read_text(encoding="utf-8"))
        return cls(dense, w["intercept"], config)

    def save(self, model_dir: str | Path) -> None:
        """Write the weights (rows with any weight, float16) and the config."""
        folder = Path(model_dir)
        w = self.weights.toarray() if hasattr(self.weights, "toarray") else self.weights
        rows = np.flatnonzero(np.abs(w).max(axis=1) > 0)
        np.savez_compressed(
            folder / NPZ,
            rows=rows.astype(np.int32),
            values=w[rows].astype(np.float16),
            intercept=self.intercept.astype(np.float32),
        )
        (folder / CONFIG).write_text(json.dumps(self.config, indent=2) + "\n", encoding="utf-8")

    def features(self, texts: list[str]) -> Any:
        """CSR ``[len(texts), 2**BITS]``: sublinear n-gram counts, rows L2-normalised."""
        from ..hashing import l2_normalize_rows

        m = self.hasher.transform(texts).tocsr().astype(np.float32)
        m.data = 1 + np.log(m.data)
        return l2_normalize_rows(m)

    def outputs(self, x: Any) -> np.ndarray:
        """``[n, 2]``: the predicted binary logit of the e5 head, and the logit of its choosing
        ``non-factual`` (over ``unimportant factual``) for a sentence under its threshold."""
        out = x @ self.weights
        out = out.toarray() if hasattr(out, "toarray") else out
        return np.asarray(out, dtype=np.float32) + self.intercept

    def cut(self, lang: str) -> float | None:
        """The binary-logit cut of ``lang``, or None (that language always goes to e5)."""
        cut = self.config.get("cuts", {}).get(lang)
        return None if cut is None else float(cut)

    def first_pass(self, texts: list[str], langs: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """Which ``texts`` the student settles (a bool mask) and its ``[n, 2]`` outputs: those
        whose predicted binary logit is under their language's cut and whose non-factual logit
        is at least the language's margin from 0. Texts whose language has no cut are never
        settled (and not featurised)."""
        cuts = np.array([c if (c := self.cut(lang)) is not None else -np.inf for lang in langs])
        margins = self.config.get("margins", {})
        margin = np.array([float(margins.get(lang, 0.0)) for lang in langs])
        out = np.zeros((len(texts), 2), dtype=np.float32)
        idx = np.flatnonzero(np.isfinite(cuts))
        if not len(idx):
            return np.zeros(len(texts), dtype=bool), out
        out[idx] = self.outputs(self.features([texts[i] for i in idx]))
        return (out[:, 0] < cuts) & (np.abs(out[:, 1]) >= margin), out
