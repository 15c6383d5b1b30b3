"""Shared fixtures: where ../shared is, and skipping cleanly when it is absent."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("NEWSIFT_SHARED", REPO.parent / "shared"))


def shared_path(*parts: str) -> Path:
    """A path under ../shared, skipping the test when it is not there."""
    p = SHARED.joinpath(*parts)
    if not p.exists():
        pytest.skip(f"{p} is not available (../shared data is absent)")
    return p


def local_spark(app: str, cores: int) -> Iterator[Any]:
    """A local-mode SparkSession for a module-scoped fixture (``yield from``), stopped after it;
    the workers run this Python, so they import this newsift."""
    from pyspark.sql import SparkSession

    os.environ["PYSPARK_PYTHON"] = sys.executable
    session = (
        SparkSession.builder.master(f"local[{cores}]")
        .appName(app)
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.ui.enabled", "false")
        .getOrCreate()
    )
    yield session
    session.stop()


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
# long run. Tests pick the profile's budget up by not setting max_examples themselves.
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


# `scripts/test.sh --fast` runs the tests not marked `slow` with NEWSIFT_FAST=1. There, loading a
# spaCy pipeline or an ONNX model fails the test that does it: every test that loads a model must
# be marked `slow`, and the fast run stays fast.
FAST = os.environ.get("NEWSIFT_FAST") == "1"


def _refuse_model(*args, **kwargs):
    pytest.fail("this test loads a model (spaCy or ONNX): mark it @pytest.mark.slow", pytrace=False)


def pytest_configure(config):
    if not FAST:
        return
    import onnxruntime
    import spacy

    onnxruntime.InferenceSession = _refuse_model
    spacy.load = _refuse_model
