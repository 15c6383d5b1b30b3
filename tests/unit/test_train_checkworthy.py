"""The calibration steps of ``newsift train claims --part checkworthy`` on small made-up arrays."""

from __future__ import annotations

import numpy as np
import pytest

from newsift.stages.checkworthy import logit, sigmoid
from newsift.train.claims import pick_band, pick_checkworthy_threshold, platt


def test_platt_recovers_a_known_scaling():
    rng = np.random.default_rng(0)
    raw = rng.uniform(0.02, 0.98, 4000)
    truth = sigmoid(0.8 * logit(raw) - 1.2)  # a debate model that is too eager on news
    y = (rng.uniform(size=raw.size) < truth).astype(int)
    a, b = platt(raw, y)
    assert a == pytest.approx(0.8, abs=0.15) and b == pytest.approx(-1.2, abs=0.15)


def test_threshold_respects_the_share_cap_and_maximises_f1():
    score = np.array([0.95, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1])
    y = np.array([1, 1, 0, 1, 0, 0, 0, 0, 0, 0])
    # best F1 without a cap: cut at 0.7 (4 labelled, 3 right); a cap of 30% forbids it
    assert pick_checkworthy_threshold(score, y, 1.0) == pytest.approx(0.7)
    t = pick_checkworthy_threshold(score, y, 0.3)
    assert (score >= t).mean() == pytest.approx(0.2) and t == pytest.approx(0.89)  # ties: higher


def test_band_is_narrow_when_tfidf_alone_already_agrees():
    p = np.linspace(0.01, 0.99, 200)
    full = p.copy()
    assert pick_band(p, full, p, 0.5) == [0.45, 0.55]
    noisy = np.clip(p + np.where(np.abs(p - 0.5) < 0.3, 0.25, 0.0), 0, 1)
    lo, hi = pick_band(p, noisy, p, 0.5)
    assert hi - lo > 0.1
