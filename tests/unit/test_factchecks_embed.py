"""The committed MiniLM encoder: shapes, normalisation, and that meaning drives similarity."""

from __future__ import annotations

import numpy as np
import pytest

from newsift.embed import Encoder, get_encoder
from newsift.errors import ConfigError


@pytest.mark.slow
def test_encode_shapes_and_norms():
    enc = get_encoder()
    vecs = enc.encode(["The US protects ISIS in Syria.", "", "Hello world"])
    assert vecs.shape == (3, 384)
    assert vecs.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-4)


@pytest.mark.slow
def test_encode_empty_list():
    assert get_encoder().encode([]).shape == (0, 384)


@pytest.mark.slow
def test_similar_sentences_score_higher():
    vecs = get_encoder().encode(
        [
            "American forces are shielding Islamic State fighters in Syria.",
            "The US protects ISIS terrorists in Syria.",
            "The recipe needs two cups of flour and an egg.",
        ]
    )
    assert vecs[0] @ vecs[1] > vecs[0] @ vecs[2] + 0.3


@pytest.mark.slow
def test_batching_barely_changes_results():
    # int8 dynamic quantisation scales activations per batch, so padding shifts values slightly;
    # how much depends on the processor's int8 kernels: above 0.98 on the machines this was first
    # run on, 0.9798 at the lowest on an AVX2-only AMD EPYC without VNNI (2026-12-01); bound 0.97.
    texts = ["short", "a much longer sentence about the economy and jobs numbers", "mid length one"]
    enc = get_encoder()
    whole = enc.encode(texts)
    single = np.vstack([enc.encode([t]) for t in texts])
    assert ((whole * single).sum(axis=1) > 0.97).all()
    # and the order of neighbours does not change
    assert (
        np.argsort(-(whole @ whole.T), axis=1) == np.argsort(-(single @ single.T), axis=1)
    ).all()


def test_missing_model_dir_is_config_error(tmp_path):
    with pytest.raises(ConfigError, match="model.onnx"):
        Encoder(tmp_path)
