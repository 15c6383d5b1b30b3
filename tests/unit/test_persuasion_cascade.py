"""persuasion.v1 with the MiniLM cascade, long texts, and the eval command on bad label files."""

from __future__ import annotations

import numpy as np
import pytest
from click.testing import CliRunner

from newsift.article import Article
from newsift.cli import cli
from newsift.persuasion import TECHNIQUES
from newsift.persuasion.cascade import HEADS_FILE, expand_to_sentences, mlp
from newsift.persuasion.features import split_sentences
from newsift.persuasion.model import DEFAULT_DIR, PersuasionModel, PredictedSpan
from newsift.pipeline import get_stage
from tests.persuasion_texts import LOADED, NEUTRAL

needs_heads = pytest.mark.skipif(
    not (DEFAULT_DIR / HEADS_FILE).exists(), reason="cascade heads not packaged"
)


@pytest.fixture(scope="module")
def cascade():
    s = get_stage("persuasion.v1")(encoder=True, threads=1)
    s.ensure_setup()
    return s


@needs_heads
def test_cascade_finds_valid_spans(cascade):
    art = cascade(Article(text=LOADED * 2 + NEUTRAL))
    spans = art.spans["persuasion"]
    assert spans
    for s in spans:
        assert 0 <= s.start < s.end <= len(art.text)
        assert s.label in TECHNIQUES
        assert 0.0 <= s.score <= 1.0 and 0.0 <= s.attrs["technique_score"] <= 1.0
    assert not art.problems


@needs_heads
@pytest.mark.parametrize("text", ["", "Traitors", "Traitors!", "..."])
def test_cascade_empty_and_one_word(cascade, text):
    art = cascade(Article(text=text))
    assert all(0 <= s.start < s.end <= len(text) for s in art.spans["persuasion"])
    codes = [p.code for p in art.problems]
    assert codes == (["empty_text"] if not text else [])


@needs_heads
def test_cascade_non_english_is_a_problem(cascade):
    text = (
        "Die Regierung hat am Dienstag eine neue Rentenreform angekündigt. Die Gewerkschaften "
        "riefen im ganzen Land zum Streik auf, und die Demonstrationen gehen in den großen "
        "Städten trotz des Regens weiter. Der Minister verteidigte sein Projekt im Parlament."
    )
    art = cascade(Article(text=text))
    assert art.spans["persuasion"] == []
    assert [p.code for p in art.problems] == ["not_english"]


@needs_heads
def test_cascade_classifies_given_spans(cascade):
    model = cascade.model_
    text = LOADED
    spans = [(4, 31), (40, 55)]
    probs = model.classify_spans(text, spans)
    assert probs.shape == (2, len(TECHNIQUES))
    assert np.allclose(probs.sum(axis=1), 1.0, atol=1e-4)


def test_mlp_forward():
    heads = {
        "h_w1": np.eye(2, dtype=np.float32),
        "h_b1": np.array([0.0, -1.0], np.float32),
        "h_w2": np.array([[1.0], [2.0]], np.float32),
        "h_b2": np.array([0.5], np.float32),
    }
    x = np.array([[1.0, 3.0], [-1.0, 0.5]], np.float32)
    # relu([1, 2]) @ [1, 2] + 0.5 = 5.5; relu([-1, -0.5]) -> 0 + 0.5
    assert mlp(x, heads, "h")[:, 0].tolist() == [5.5, 0.5]


def test_200k_word_text_is_read_in_chunks_to_the_end(monkeypatch):
    """A 200,000-word text is split into sentence-aligned chunks that cover every character."""
    text = (NEUTRAL + LOADED) * (200_000 // len((NEUTRAL + LOADED).split()) + 1)
    assert len(text.split()) >= 200_000
    model = PersuasionModel.load()
    seen: list[tuple[int, int]] = []

    def fake_chunk(self, chunk: str, offset: int):
        assert text[offset : offset + len(chunk)] == chunk
        seen.append((offset, offset + len(chunk)))
        return [PredictedSpan(offset, offset + 1, "Loaded_Language", 1.0, 1.0)]

    monkeypatch.setattr(PersuasionModel, "_predict_chunk", fake_chunk)
    out = model.predict(text)
    assert len(seen) > 10
    assert seen[0][0] == 0 and seen[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in zip(seen, seen[1:], strict=False))
    assert len(out) == len(seen) and out[-1].start > len(text) - 60_000


def test_eval_command_names_file_and_line_of_a_bad_label(tmp_path):
    (tmp_path / "articles").mkdir()
    (tmp_path / "labels-tc").mkdir()
    (tmp_path / "articles" / "article7.txt").write_text("Title\n\nThey are traitors.\n")
    (tmp_path / "labels-tc" / "article7.task2-TC.labels").write_text(
        "7\tName_Calling,Labeling\t16\t24\n7\tLoaded_Language\tten\t24\n"
    )
    res = CliRunner().invoke(cli, ["eval", "persuasion", str(tmp_path)])
    assert res.exit_code == 2
    assert "article7.task2-TC.labels line 2" in res.output
    assert "'ten'" in res.output


def test_eval_command_on_a_tiny_folder(tmp_path):
    (tmp_path / "articles").mkdir()
    (tmp_path / "labels-si").mkdir()
    text = "Title\n\n" + LOADED
    (tmp_path / "articles" / "article1.txt").write_text(text)
    (tmp_path / "labels-si" / "article1.task1-SI.labels").write_text("1\t11\t18\n")
    res = CliRunner().invoke(cli, ["eval", "persuasion", str(tmp_path), "--json"])
    assert res.exit_code == 0, res.output
    assert '"si"' in res.output and '"tc"' not in res.output


@needs_heads
def test_cascade_is_safe_across_threads(cascade):
    from concurrent.futures import ThreadPoolExecutor

    model = cascade.model_
    # distinct string objects: each predict encodes its own text in one go (the int8 encoder's
    # dynamic quantisation makes vectors depend slightly on what is batched together)
    texts = ["".join([t, " "]) for t in [LOADED, NEUTRAL + LOADED, LOADED * 2, NEUTRAL * 3] * 2]
    alone = [model.predict(t) for t in texts]
    with ThreadPoolExecutor(4) as pool:
        together = list(pool.map(model.predict, texts))
    assert together == alone


def test_expand_to_sentences_widens_only_listed_techniques():
    text = "They say it works. Is it really safe? Critics call them liars."
    sents = split_sentences(text)
    spans = [(22, 36), (57, 62)]  # "really safe?" area, "liars"
    out = expand_to_sentences(spans, sents, ["Doubt", "Name_Calling,Labeling"], {"Doubt"})
    assert out[0] == (sents[1].start, sents[1].end)
    assert out[1] == (57, 62)
