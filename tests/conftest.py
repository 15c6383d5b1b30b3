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
