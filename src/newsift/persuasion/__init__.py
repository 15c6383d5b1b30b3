"""Persuasion techniques (SemEval-2020 Task 11): labels, data loading, scoring and the model.

- :mod:`.techniques`: the 14 labels and a one-line explanation of each (``TECHNIQUES``).
- :mod:`.data`: read a PTC-layout folder (``articles/``, ``labels-si/``, ``labels-tc/``).
- :mod:`.scorer`: the official partial-overlap span score and technique micro-F1.
- :mod:`.features` and :mod:`.model`: the numpy-only lexical model.
- :mod:`.tagger`: all-MiniLM-L6-v2 fine-tuned as a token classifier (ONNX int8), and its
  distilled 3-layer student (:mod:`newsift.train.persuasion_distill` trains it).

:func:`load` loads any of the three by name.
"""

from __future__ import annotations

from pathlib import Path

from .techniques import LABELS, TECHNIQUES

#: The persuasion models by name, fastest first.
KINDS = ("lexical", "student", "tagger")
#: The models that read with the fine-tuned encoder and so take the sentence gate.
GATED_KINDS = ("student", "tagger")


def load(kind: str = "tagger", path: str | Path | None = None, threads: int | None = None):
    """Load the persuasion model ``kind`` (see :data:`KINDS`) from ``path`` or the package.

    All three have the same interface: ``predict(text)`` gives
    :class:`~newsift.persuasion.model.PredictedSpan` rows, ``classify_spans(text, spans)`` gives
    technique probabilities, ``labels`` names their columns.
    """
    if kind == "lexical":
        from .model import PersuasionModel

        return PersuasionModel.load(path)
    if kind in ("tagger", "student"):
        from .tagger import TaggerModel

        return TaggerModel.load(path, threads=threads, kind=kind)
    raise ValueError(f"unknown persuasion model {kind!r}; choose one of {', '.join(KINDS)}")


__all__ = ["GATED_KINDS", "KINDS", "LABELS", "TECHNIQUES", "load"]
