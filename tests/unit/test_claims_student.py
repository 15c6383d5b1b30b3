"""The multilingual check-worthiness head's cheap first pass (issue 24): which sentences reach
e5, and that the student's outputs stand in for the head's where it settles a sentence."""

from __future__ import annotations

import numpy as np
import pytest

from newsift.stages.checkworthy import CHECK_WORTHY, MODEL_DIR, MultilingualCheckworthy
from newsift.stages.claims_student import CheckworthyStudent


class _Counting:
    """An e5 stand-in: fixed vectors, and the texts it was asked for."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    def __call__(self, texts: list[str]) -> np.ndarray:
        self.asked += texts
        rng = np.random.default_rng(0)
        v = rng.normal(size=(len(texts), 384)).astype(np.float32)
        return v / np.linalg.norm(v, axis=1, keepdims=True)


def _student(cut: float) -> CheckworthyStudent:
    s = CheckworthyStudent.empty()
    s.intercept = np.array([-5.0, 2.0], dtype=np.float32)  # not check-worthy, non-factual
    s.config = {"cuts": {"de": cut}}
    return s


def test_only_languages_with_a_cut_are_settled():
    s = _student(0.0)
    settled, out = s.first_pass(["Ein Satz.", "Фраза.", "A sentence."], ["de", "ru", "en"])
    assert settled.tolist() == [True, False, False]
    assert out[0, 0] == pytest.approx(-5.0)


def test_settled_sentences_skip_e5_and_take_the_students_outputs():
    model = MultilingualCheckworthy(first_pass=False)
    model.student = _student(0.0)
    enc = _Counting()
    texts = ["Der Minister sprach am Montag.", "Министр выступил в понедельник."]
    scores, classes = model.predict(texts, enc, ["de", "ru"])
    assert enc.asked == ["Министр выступил в понедельник."]
    assert scores[0] < model.threshold and classes[0] != CHECK_WORTHY
    assert classes[0] == "non-factual"  # the student's three-class logits say so


def test_a_cut_below_every_logit_settles_nothing():
    model = MultilingualCheckworthy(first_pass=False)
    model.student = _student(-10.0)
    enc = _Counting()
    model.predict(["Der Minister sprach."], enc, ["de"])
    assert enc.asked == ["Der Minister sprach."]


def test_without_languages_every_sentence_goes_to_e5():
    model = MultilingualCheckworthy(first_pass=False)
    model.student = _student(0.0)
    enc = _Counting()
    model.predict(["Der Minister sprach."], enc)
    assert enc.asked == ["Der Minister sprach."]


def test_the_shipped_student_loads_and_knows_its_languages():
    student = CheckworthyStudent.load(MODEL_DIR)
    if student is None:
        pytest.skip("no student artifact in models/claims")
    cuts = student.config["cuts"]
    assert cuts and set(cuts) <= {"ru", "uk", "de", "fr", "es", "pl"}
    out = student.outputs(student.features(["Die Regierung hat 4.800 Stellen gestrichen."]))
    assert out.shape == (1, 2) and np.isfinite(out).all()


def test_save_and_load_round_trip(tmp_path):
    s = _student(-1.5)
    w = np.zeros((2**s.bits, 2), dtype=np.float32)
    w[[3, 77]] = [[0.5, -1.0], [1.0, -2.0]]
    s.weights = w
    s.save(tmp_path)
    back = CheckworthyStudent.load(tmp_path)
    assert back is not None and back.config == {"cuts": {"de": -1.5}}
    x = s.features(["Ein kurzer Satz über Zahlen."])
    assert np.allclose(back.outputs(x), s.outputs(x), atol=1e-3)


class _CountingEncoder:
    """A stand-in for the shared e5 encoder (``encode``/``dim``), counting what it reads."""

    dim = 384

    def __init__(self) -> None:
        self.fn = _Counting()

    def encode(self, texts, role="query"):
        return self.fn(list(texts))


RU_FURNISHED = (
    "Москва, 14 марта 2019 года.\n"
    "Министр заявил, что расходы выросли на 4,8 млн рублей за год.\n"
    "Фото: ТАСС\n"
)


@pytest.mark.slow
@pytest.mark.parametrize("min_class", ["unimportant factual", "non-factual"])
def test_e5_reads_no_furniture_or_dateline_unless_the_layer_keeps_them(monkeypatch, min_class):
    from newsift.article import Article, Span
    from newsift.pipeline import get_stage

    enc = _CountingEncoder()
    monkeypatch.setattr("newsift.embed.get_multilingual_encoder", lambda: enc)
    spans, start = [], 0
    for line in RU_FURNISHED.splitlines():
        spans.append(Span(start, start + len(line), "sentence"))
        start += len(line) + 1
    art = Article(text=RU_FURNISHED, language="ru", spans={"sentences": spans})
    art = get_stage("claims.v1")(min_class=min_class)(art)
    claim = "Министр заявил, что расходы выросли на 4,8 млн рублей за год."
    if min_class == "non-factual":  # every sentence is in the layer, with e5's score
        assert len(enc.fn.asked) == 3
        assert len(art.layers["claims"]) == 3
    else:  # the dateline and the two-word credit line are non-factual whatever e5 says
        assert enc.fn.asked == [claim]
        assert [c["text"] for c in art.layers["claims"]] == [claim]
