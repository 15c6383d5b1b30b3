"""persuasion on the PTC training share in ../shared (skipped when it is absent).

- the eval command reads the real label files and prints all three scores;
- a held-out check: the lexical model trained on 200 articles, scored on the other 96, must stay
  above floors a little under what was measured (SI F1 0.33, TC micro-F1 0.51 at commit time);
- regression gates on the packaged tagger and student: 20 training articles (in-sample, so the floors guard
  against a broken artifact or decoding, not generalisation; the cross-validated figures are in
  docs/RESULTS.md).
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from newsift.eval.persuasion import command as eval_command
from newsift.persuasion.data import load_dir
from tests.conftest import shared_path

pytestmark = pytest.mark.integration

# the packaged tagger on the same 20 articles (in-sample), measured at commit time:
# SI 0.6356, TC 0.954, span+technique 0.500 with 7-bit weights, the same on every processor
# (newsift.train.quantize). The 8-bit file it replaced scored 0.632 / 0.954 / 0.491 on an AVX2
# machine and 0.637 / 0.954 / 0.493 with AVX-512 VNNI. With one window per onnxruntime call
# (tagger.WINDOWS_PER_CALL, issue 22): 0.6333 / 0.9543 / 0.4991.
TAGGER_SUBSET_FLOORS = {"si": 0.63, "tc": 0.95, "span_technique": 0.49}
# its recorded 4-fold out-of-fold figures (metrics-tagger.json: SI 0.456, TC 0.597; SI 0.447 with
# the decoding tuned on the other folds, si_nested): only go up
TAGGER_CV_FLOORS = {"si": 0.455, "si_nested": 0.445, "tc": 0.59}
# the self-trained tagger's held-out pilot (metrics-self-train.json: teacher and self-trained
# tagger trained on the other 222 articles of each fold run, scored with the shipped decoding),
# pooled over the folds run: only go up
SELF_TRAIN_PILOT_FLOORS = {"si": 0.47, "tc": 0.595}  # measured 0.476 / 0.600 (folds 1-2)
# the same on three of the four folds (metrics-self-train-3fold.json, 222 held-out articles):
# SI 0.472, nested SI 0.469 (decoding tuned on the other folds), TC 0.592; only go up
SELF_TRAIN_3FOLD_FLOORS = {"si": 0.47, "si_nested": 0.465, "tc": 0.59}
# all four folds (metrics-self-train-4fold.json, every one of the 296 articles scored by models
# that did not see it): SI 0.458, nested SI 0.4508, TC 0.604, span+technique 0.210; only go up
SELF_TRAIN_4FOLD_FLOORS = {"si": 0.458, "si_nested": 0.45, "tc": 0.60, "span_technique": 0.205}
# the packaged student on the same 20 articles (in-sample), measured at commit time:
# SI 0.590, TC 0.9645, span+technique 0.468 with 7-bit weights, the same on every processor.
# The 8-bit file it replaced gave 0.601 / 0.965 / 0.482 on an AVX2 machine (whose kernel clips
# int8 sums) but 0.575 / 0.965 / 0.460 with AVX-512 VNNI (exact sums), under these floors; the
# span+technique floor came from the clipped kernel and is re-set to the exact computation.
# One window per onnxruntime call (tagger.WINDOWS_PER_CALL, issue 22: no padding, 17% less CPU)
# moves these 20 articles to 0.5824 / 0.9594 / 0.4601: onnxruntime quantises activations per
# call, and the windows no longer share a call. It is noise of that quantisation, not a loss:
# over all 296 articles (two halves) SI 0.6650 / 0.6332 -> 0.6646 / 0.6330, TC 0.9654 / 0.9717
# -> 0.9654 / 0.9725, and the held-out team gold is unchanged (docs/persuasion.md, "Speed").
STUDENT_SUBSET_FLOORS = {"si": 0.575, "tc": 0.955, "span_technique": 0.455}
# its one-fold pilot (metrics-student.json, fold 1, held out): SI 0.480, TC 0.591; only go up
STUDENT_PILOT_FLOORS = {"si": 0.475, "tc": 0.585}


@pytest.fixture(scope="module")
def ptc():
    return shared_path("data", "ptc", "train")


def test_loader_reads_every_article(ptc):
    arts = load_dir(ptc)
    assert len(arts) == 296
    assert sum(len(a.tc or []) for a in arts) == 5136
    assert sum(len(a.si or []) for a in arts) == 4580


@pytest.mark.slow
def test_eval_command_json(ptc, tmp_path):
    # a 12-article copy keeps the run short; the packaged model saw these articles (in-sample)
    for sub in ("articles", "labels-si", "labels-tc"):
        (tmp_path / sub).mkdir()
    for p in sorted((ptc / "articles").glob("article*.txt"))[:12]:
        aid = p.stem
        (tmp_path / "articles" / p.name).write_text(p.read_text(encoding="utf-8"))
        for sub, suffix in (("labels-si", "task1-SI"), ("labels-tc", "task2-TC")):
            src = ptc / sub / f"{aid}.{suffix}.labels"
            (tmp_path / sub / src.name).write_text(src.read_text(encoding="utf-8"))
    res = CliRunner().invoke(eval_command, [str(tmp_path), "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    assert out["articles"] == 12
    for key in ("si", "tc", "span_technique", "tc_baseline_loaded_language"):
        assert 0.0 <= out[key]["f1"] <= 1.0
    assert out["si"]["f1"] > 0.3
    assert out["tc"]["f1"] > out["tc_baseline_loaded_language"]["f1"]
    gated = CliRunner().invoke(eval_command, [str(tmp_path), "--json", "--gate", "0.1"])
    assert gated.exit_code == 0, gated.output
    g = json.loads(gated.output)
    assert g["gate"] == 0.1 and g["si"]["f1"] > 0.3
    bad = CliRunner().invoke(eval_command, [str(tmp_path), "--step", "lexical", "--gate", "0.1"])
    assert bad.exit_code == 2 and "--gate applies to --step tagger" in bad.output


@pytest.mark.slow
def test_held_out_quality_floor(ptc):
    pytest.importorskip("sklearn")
    from newsift.eval.persuasion import evaluate
    from newsift.train.persuasion_lexical import fit, fold_split

    arts = load_dir(ptc)
    test_idx = set(fold_split(len(arts), 3, seed=5)[0])
    train = [a for i, a in enumerate(arts) if i not in test_idx]
    test = [a for i, a in enumerate(arts) if i in test_idx]
    model = fit(train, {"hi": 0.3, "lo": 0.1, "gate": 0.0}, log=lambda *_: None)
    r = evaluate(test, model)
    assert r["si"]["f1"] >= 0.31
    assert r["tc"]["f1"] >= 0.49


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["tagger", "student"])
def test_packaged_tagger_regression_gate(ptc, kind):
    """The packaged tagger and student on 20 training articles (in-sample: guards the artifacts
    and the decoding)."""
    from newsift.eval.persuasion import evaluate
    from newsift.persuasion.model import DEFAULT_DIR
    from newsift.persuasion.tagger import FILES, TaggerModel

    if not (DEFAULT_DIR / FILES[kind][0]).exists():
        pytest.skip(f"{kind} not packaged")
    floors = TAGGER_SUBSET_FLOORS if kind == "tagger" else STUDENT_SUBSET_FLOORS
    arts = load_dir(ptc)[:20]
    r = evaluate(arts, TaggerModel.load(threads=2, kind=kind))
    assert r["si"]["f1"] >= floors["si"]
    assert r["tc"]["f1"] >= floors["tc"]
    assert r["span_technique"]["f1"] >= floors["span_technique"]


@pytest.mark.parametrize("kind", ["tagger", "student"])
def test_packaged_graphs_compute_the_same_on_every_processor(kind):
    """Every int8 weight is within +-64, so no onnxruntime kernel (AVX2 clips 16-bit pair sums;
    VNNI does not) changes the result: the gates above hold on every x86 processor."""
    pytest.importorskip("onnx")
    from newsift.persuasion.model import DEFAULT_DIR
    from newsift.persuasion.tagger import FILES
    from newsift.train.quantize import weights_are_saturation_safe

    path = DEFAULT_DIR / FILES[kind][0]
    if not path.exists():
        pytest.skip(f"{kind} not packaged")
    assert weights_are_saturation_safe(path)


def recorded_metrics(name: str) -> dict:
    """A metrics file of the packaged persuasion models, after checking (in the artifact
    manifest, written by code) that the shipped artifact it describes is the one it was recorded
    for: a model replaced without re-recording its metrics fails here, not silently."""
    from newsift.train import manifest

    rel = f"models/persuasion/{name}"
    entry = manifest.load()["metrics"][rel]
    assert manifest.sha256(manifest.PACKAGE / rel) == entry["sha256"], f"{name} changed"
    shipped = manifest.sha256(manifest.PACKAGE / entry["describes"])
    assert shipped == entry["artifact_sha256_when_recorded"], (
        f"{entry['describes']} is not the artifact {name} was recorded for; re-record it "
        f"({entry['command']}) and run python -m newsift.train.manifest"
    )
    return json.loads((manifest.PACKAGE / rel).read_text())


def test_tagger_cross_validated_figures_stay_above_their_floors():
    """The recorded out-of-fold figures of the packaged tagger never fall below the last ones."""
    from newsift.persuasion.model import DEFAULT_DIR

    path = DEFAULT_DIR / "metrics-tagger.json"
    if not path.exists():
        pytest.skip("tagger metrics not packaged")
    m = recorded_metrics(path.name)
    assert m["folds"] >= 3 and m["articles"] == 296
    assert m["si"]["f1"] >= TAGGER_CV_FLOORS["si"]
    assert m["si_nested"]["f1"] >= TAGGER_CV_FLOORS["si_nested"]
    assert m["tc"]["f1"] >= TAGGER_CV_FLOORS["tc"]


def test_student_pilot_figures_stay_above_their_floors():
    """The recorded held-out pilot of the packaged student, and its teacher beside it."""
    from newsift.persuasion.model import DEFAULT_DIR

    path = DEFAULT_DIR / "metrics-student.json"
    if not path.exists():
        pytest.skip("student metrics not packaged")
    m = recorded_metrics(path.name)
    assert m["articles_scored"] >= 74 and m["unlabelled_texts"] >= 500
    assert m["student"]["si"]["f1"] >= STUDENT_PILOT_FLOORS["si"]
    assert m["student"]["tc"]["f1"] >= STUDENT_PILOT_FLOORS["tc"]
    # the student is the speed step: it may cost SI, but less than the gate on the same fold
    assert m["student"]["si"]["f1"] > m["teacher_gate_0.1"]["si"]["f1"]


def _self_train_metrics(name: str) -> dict:
    """A recorded self-training measurement of the packaged tagger (skip if it is not
    self-trained)."""
    from newsift.persuasion.model import DEFAULT_DIR
    from newsift.persuasion.tagger import TAGGER_CONFIG

    cfg = json.loads((DEFAULT_DIR / TAGGER_CONFIG).read_text())
    if cfg.get("kind") != "minilm-token-classifier-self-trained":
        pytest.skip("the packaged tagger is not self-trained")
    return recorded_metrics(name)


def test_self_trained_tagger_pilot_beats_its_teacher_on_held_out_folds():
    """The packaged tagger is self-trained: its recorded held-out pilot must show it above the
    tagger it learnt from (same folds, same decoding) and above the floors."""
    m = _self_train_metrics("metrics-self-train.json")
    assert m["articles_scored"] >= 148 and m["unlabelled_texts"] >= 500
    assert m["params"]["layers"] == 6
    assert m["student"]["si"]["f1"] >= SELF_TRAIN_PILOT_FLOORS["si"]
    assert m["student"]["tc"]["f1"] >= SELF_TRAIN_PILOT_FLOORS["tc"]
    for key in ("si", "tc", "span_technique"):
        assert m["student"][key]["f1"] > m["teacher"][key]["f1"], key


def test_self_trained_tagger_on_three_held_out_folds():
    """Three of the four folds (222 articles, each scored by models that did not see it): the
    self-trained tagger stays above the issue's SI bar with the decoding held out too (nested),
    and above its teacher on TC, span+technique and nested SI."""
    m = _self_train_metrics("metrics-self-train-3fold.json")
    assert len(m["folds_run"]) >= 3 and m["articles_scored"] >= 222
    st, teacher = m["student"], m["teacher"]
    assert st["si"]["f1"] >= SELF_TRAIN_3FOLD_FLOORS["si"]
    assert st["si_nested"] >= SELF_TRAIN_3FOLD_FLOORS["si_nested"] >= 0.45
    assert st["tc"]["f1"] >= SELF_TRAIN_3FOLD_FLOORS["tc"]
    assert st["si_nested"] > teacher["si_nested"]
    for key in ("tc", "span_technique"):
        assert st[key]["f1"] > teacher[key]["f1"], key
    # every fold is scored twice (teacher, self-trained) and the pooled rows come last
    assert len(m["rows"]) == 2 * len(m["folds_run"]) + 2


def test_self_trained_tagger_on_all_four_held_out_folds():
    """All four folds: each of the 296 training articles is scored by a teacher, a self-trained
    tagger and a lexical model that did not see it. The shipped recipe clears the issue's bars
    (SI 0.45, TC 0.55) with the decoding held out too, and beats its teacher on every score."""
    m = _self_train_metrics("metrics-self-train-4fold.json")
    assert sorted(m["folds_run"]) == [0, 1, 2, 3] and m["folds"] == 4
    assert m["articles_scored"] == 296 and m["unlabelled_texts"] >= 500
    assert m["params"]["layers"] == 6
    st, teacher = m["student"], m["teacher"]
    assert st["si_nested"] >= SELF_TRAIN_4FOLD_FLOORS["si_nested"] >= 0.45
    assert st["tc"]["f1"] >= SELF_TRAIN_4FOLD_FLOORS["tc"] >= 0.55
    for key in ("si", "span_technique"):
        assert st[key]["f1"] >= SELF_TRAIN_4FOLD_FLOORS[key], key
    assert st["si_nested"] > teacher["si_nested"]
    for key in ("si", "tc", "span_technique"):
        assert st[key]["f1"] > teacher[key]["f1"], key
    # the teacher here is the recipe of metrics-tagger.json, retrained: it must reproduce it
    from newsift.persuasion.model import DEFAULT_DIR

    tagger = json.loads((DEFAULT_DIR / "metrics-tagger.json").read_text())
    assert abs(teacher["si"]["f1"] - tagger["si"]["f1"]) < 0.005
    assert len(m["rows"]) == 2 * 4 + 2
    # the pooled rows agree with the per-fold rows: the articles add up
    assert sum(r["articles"] for r in m["rows"][:-2]) == 2 * 296
