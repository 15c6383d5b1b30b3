"""Shared fixtures: where ../shared is, and skipping cleanly when it is absent."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("NEWSIFT_SHARED", REPO.parent / "shared"))


def shared_path(*parts: str) -> Path:
    """A path under ../shared, skipping the test when it is not there."""
    p = SHARED.joinpath(*parts)
    if not p.exists():
        pytest.skip(f"{p} is not available (../shared data is absent)")
    return p


@pytest.fixture
def shared() -> Path:
    if not SHARED.exists():
        pytest.skip("../shared is absent")
    return SHARED


@pytest.fixture
def seed_path() -> Path:
    return shared_path("examples", "seed-article-fort-russ-2018-06.txt")


# Property tests (hypothesis). The normal run ("ci" profile) keeps each property test small and
# deterministic; `scripts/fuzz.sh` loads the "fuzz" profile (10,000 examples a test) for the
# long run. Tests pick the profile's budget up by not setting max_examples themselves; a test
# that needs a smaller budget uses fuzz_examples(n), which scales with the profile.
from hypothesis import HealthCheck, settings  # noqa: E402

settings.register_profile(
    "ci",
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "fuzz",
    max_examples=10_000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile(os.environ.get("NEWSIFT_HYPOTHESIS_PROFILE", "ci"))


def fuzz_examples(n: int) -> int:
    """``n`` examples in the normal run, scaled to the fuzz profile's budget in `scripts/fuzz.sh`."""
    return max(n, settings.default.max_examples) if settings.default.max_examples > 1000 else n
