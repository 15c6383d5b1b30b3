"""The shipped artifacts are the ones the manifest (and so the metrics) describe."""

from __future__ import annotations

import json
import shutil

import pytest

from newsift.train import manifest


def test_every_shipped_artifact_matches_the_manifest():
    assert manifest.check() == []


def test_every_metrics_file_was_recorded_for_the_shipped_artifact():
    m = manifest.load()
    for rel, entry in m["metrics"].items():
        describes = m["artifacts"][entry["describes"]]
        assert entry["artifact_sha256_when_recorded"] == describes["sha256"], rel
        assert entry["command"] and entry["commit"]


def test_the_manifest_is_written_by_code():
    m = manifest.load()
    again = manifest.build(m)
    assert m["written_by"] == again["written_by"] == "python -m newsift.train.manifest"
    assert again["artifacts"] == m["artifacts"]
    assert again["metrics"] == m["metrics"]


@pytest.fixture
def package_copy(tmp_path, monkeypatch):
    """The package's models and data copied aside, with the manifest pointing at the copy."""
    for folder in ("models", "data"):
        shutil.copytree(manifest.PACKAGE / folder, tmp_path / folder)
    monkeypatch.setattr(manifest, "PACKAGE", tmp_path)
    monkeypatch.setattr(manifest, "MODELS", tmp_path / "models")
    monkeypatch.setattr(manifest, "DATA", tmp_path / "data")
    monkeypatch.setattr(manifest, "MANIFEST", tmp_path / "models" / "ARTIFACTS.json")
    return tmp_path


def test_a_replaced_model_is_caught(package_copy):
    target = package_copy / "models/persuasion/persuasion-tagger.onnx"
    target.write_bytes(b"\x00" * 1000)
    assert manifest.check() == [
        "models/persuasion/persuasion-tagger.onnx: sha256 differs from the manifest"
    ]
    # rewriting the manifest without re-recording the metrics keeps their old artifact hash
    assert manifest.main([]) == 0
    m = manifest.load()
    assert manifest.check() == []
    stale = [
        rel
        for rel, e in m["metrics"].items()
        if e["artifact_sha256_when_recorded"] != m["artifacts"][e["describes"]]["sha256"]
    ]
    assert "models/persuasion/metrics-self-train-4fold.json" in stale


def test_an_unlisted_or_missing_file_is_caught(package_copy):
    (package_copy / "models/persuasion/extra.onnx").write_bytes(b"x")
    (package_copy / "data/domain_ratings.csv.gz").unlink()
    problems = manifest.check()
    assert "models/persuasion/extra.onnx: shipped but not in the manifest" in problems
    assert "data/domain_ratings.csv.gz: listed in the manifest but missing" in problems


def test_rerecorded_metrics_take_the_current_artifact_hash(package_copy):
    (package_copy / "models/persuasion/persuasion-student.onnx").write_bytes(b"new student")
    metrics = package_copy / "models/persuasion/metrics-student.json"
    data = json.loads(metrics.read_text())
    data["note"] = "re-recorded"
    metrics.write_text(json.dumps(data))
    manifest.main([])
    entry = manifest.load()["metrics"]["models/persuasion/metrics-student.json"]
    assert entry["artifact_sha256_when_recorded"] == manifest.sha256(
        package_copy / "models/persuasion/persuasion-student.onnx"
    )
