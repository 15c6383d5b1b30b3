"""Persuasion techniques (SemEval-2020 Task 11): labels, data loading, scoring and the model.

- :mod:`.techniques`: the 14 labels and a one-line explanation of each (``TECHNIQUES``).
- :mod:`.data`: read a PTC-layout folder (``articles/``, ``labels-si/``, ``labels-tc/``).
- :mod:`.scorer`: the official partial-overlap span score and technique micro-F1.
- :mod:`.features` and :mod:`.model`: the numpy-only model that ``persuasion.v1`` runs.
"""

from .techniques import LABELS, TECHNIQUES

__all__ = ["LABELS", "TECHNIQUES"]
