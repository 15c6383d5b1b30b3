"""persuasion.v1 with the packaged lexical model: bad input, offsets, chunking, round trips."""

from __future__ import annotations

import numpy as np
import pytest

from newsift.article import Article
from newsift.persuasion import TECHNIQUES
from newsift.persuasion.features import (
    FeatureIndexer,
    hash_features,
    ngram_counts,
    sentence_features,
    split_sentences,
    token_features,
)
from newsift.persuasion.model import PersuasionModel, chunk_bounds, hysteresis
from newsift.pipeline import Pipeline, get_stage
from tests.persuasion_texts import LOADED, NEUTRAL


@pytest.fixture(scope="module")
def stage():
    s = get_stage("persuasion.v1")(model="lexical")
    s.ensure_setup()
    return s


def _run(stage, text: str, **kw) -> Article:
    return stage(Article(text=text, **kw))


def test_stage_declares_its_layer():
    cls = get_stage("persuasion.v1")
    assert cls.assigns == ("persuasion",)
    assert cls.requires == ()


def test_finds_spans_in_loaded_text(stage):
    art = _run(stage, LOADED * 3)
    spans = art.spans["persuasion"]
    assert spans, "a text full of loaded language should have persuasion spans"
    for s in spans:
        assert 0 <= s.start < s.end <= len(art.text)
        assert s.label in TECHNIQUES
        assert s.stage == "persuasion.v1"
        assert 0.0 <= s.score <= 1.0
        assert 0.0 <= s.attrs["technique_score"] <= 1.0
    assert not art.problems


def test_neutral_text_has_fewer_spans_than_loaded_text(stage):
    n_loaded = len(_run(stage, LOADED * 2).spans["persuasion"])
    n_neutral = len(_run(stage, NEUTRAL * 2).spans["persuasion"])
    assert n_neutral < n_loaded


@pytest.mark.parametrize("text", ["", "   \n\t "])
def test_empty_text_is_a_problem(stage, text):
    art = _run(stage, text)
    assert art.spans["persuasion"] == []
    assert [p.code for p in art.problems] == ["empty_text"]


def test_one_word(stage):
    art = _run(stage, "Traitors")
    assert not art.problems
    assert all(0 <= s.start < s.end <= 8 for s in art.spans["persuasion"])


@pytest.mark.parametrize(
    ("text", "language"),
    [
        (
            "Le gouvernement a annoncé mardi une nouvelle réforme des retraites. Les syndicats "
            "ont appelé à la grève dans tout le pays, et les manifestations se poursuivent dans "
            "les grandes villes malgré la pluie. Le ministre a défendu son projet devant "
            "l'Assemblée nationale.",
            None,
        ),
        (LOADED, "de"),
    ],
)
def test_non_english_is_a_problem(stage, text, language):
    # the pipeline's language gate (Stage.languages, issue 24): no spans at all, one problem
    art = _run(stage, text, language=language)
    assert "persuasion" not in art.spans
    assert [p.code for p in art.problems] == ["language_not_supported"]


def test_long_text_is_chunked_not_truncated(stage):
    model: PersuasionModel = stage.model_
    text = NEUTRAL * 20 + LOADED * 5
    whole = model.predict(text)
    chunked = model.predict(text, chunk_chars=500)
    assert chunked, "spans in the last chunk must be found"
    assert max(s.end for s in chunked) > len(NEUTRAL * 20)
    assert all(0 <= s.start < s.end <= len(text) for s in chunked)
    assert len(chunked) >= len(whole) // 2


def test_chunk_bounds_cover_the_text():
    text = NEUTRAL * 30
    bounds = chunk_bounds(text, 300)
    assert bounds[0][0] == 0 and bounds[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in zip(bounds, bounds[1:], strict=False))
    assert len(bounds) > 5


@pytest.mark.slow
def test_pipe_equals_call_and_round_trips(stage):
    texts = [LOADED, NEUTRAL, "", LOADED + NEUTRAL]
    pipe = Pipeline(["persuasion.v1"])
    piped = list(pipe.pipe([Article(text=t) for t in texts], batch_size=3))
    single = [pipe(Article(text=t)) for t in texts]
    for a, b in zip(piped, single, strict=True):
        assert a.spans["persuasion"] == b.spans["persuasion"]
        d = a.to_dict()
        assert "persuasion" in d
        assert Article.from_dict(d) == a


def test_split_sentences_offsets():
    text = "One sentence here. Another one!\nA third line without a stop"
    sents = split_sentences(text)
    assert len(sents) == 3
    for s in sents:
        for (a, b), low in zip(s.words, s.lower, strict=True):
            assert text[a:b].lower() == low


def test_hashing_is_stable_across_processes():
    # CRC-32 of "w=the" is fixed; Python's hash() would change per process
    assert hash_features(["w=the"], 2**20) == [hash_features(["w=the"], 2**32)[0] % 2**20]
    assert hash_features(["b"], 1000) == [0x71BEEFF9 % 1000]


def test_indexer_gives_the_buckets_of_the_feature_strings():
    # the run-time fast path must hash exactly what training hashed, in the same order
    text = (
        'The corrupt ELITES betrayed us again! Again and again, "they" lied: 42 times? '
        "Critics call it a disaster; officials said the budget is fine.\n"
        "Again and again, they lied. A-very-long-word's suffix (and brackets) stay put."
    )
    sents = split_sentences(text)
    rep = ngram_counts(sents)
    for dim in (2**20, 1000, 7):
        ix = FeatureIndexer(dim)
        for _ in range(2):  # cold tables, then warm ones
            for sent in sents:
                assert ix.sentence(sent) == hash_features(sentence_features(sent), dim)
                for bucket in (0, 4, 9):
                    want = [hash_features(f, dim) for f in token_features(text, sent, bucket, rep)]
                    assert ix.tokens(text, sent, bucket, rep) == want


def test_indexer_tables_are_bounded(monkeypatch):
    ix = FeatureIndexer(1 << 20)
    monkeypatch.setattr(FeatureIndexer, "_MAX", 5)
    text = " ".join(f"word{i}" for i in range(40)) + "."
    (sent,) = split_sentences(text)
    want = [hash_features(f, 1 << 20) for f in token_features(text, sent, 3, ngram_counts([sent]))]
    for _ in range(3):
        assert ix.tokens(text, sent, 3, ngram_counts([sent])) == want
        assert len(ix.tables["pw"]) <= 41  # emptied before each sentence once over the bound


def test_prepare_is_remembered_per_text():
    model = PersuasionModel.load()
    text = LOADED * 2
    first = model.prepare(text)
    assert model.prepare(text) is first
    other = model.prepare(NEUTRAL)
    assert other is not first and len(other[0]) == len(split_sentences(NEUTRAL))
    # an equal string that is another object is prepared afresh (identity, not equality)
    assert model.prepare("".join([text[:5], text[5:]]))[1].tolist() == first[1].tolist()


def test_hysteresis():
    words = [(0, 1), (2, 3), (4, 5), (6, 7), (8, 9)]
    probs = np.array([0.1, 0.4, 0.8, 0.45, 0.1])
    assert [(s, e) for s, e, _ in hysteresis(words, probs, 0.7, 0.35)] == [(2, 7)]
    assert hysteresis(words, probs, 0.9, 0.35) == []


def test_technique_classifier_with_two_techniques():
    # scikit-learn keeps a single row of weights for two classes: both must still be scored
    pytest.importorskip("sklearn")
    from newsift.persuasion.data import LabelledArticle
    from newsift.train.persuasion_lexical import fit_tc_model

    text = "They are traitors and cowards. Make America great again! Make America great again!"
    a, b = text.index("traitors"), text.index("Make")
    spans = [(a, a + 8, "Name_Calling,Labeling"), (b, b + 24, "Slogans")]
    arts = [LabelledArticle(str(i), text, si=[s[:2] for s in spans], tc=spans) for i in range(3)]
    W, bias = fit_tc_model(arts, 2.0)
    model = PersuasionModel.load()
    model.tc_w, model.tc_b = W, bias
    probs = model.classify_spans(text, [s[:2] for s in spans])
    assert [model.labels[int(p.argmax())] for p in probs] == [s[2] for s in spans]
    assert probs.max(axis=1).min() > 0.5 and np.allclose(probs.sum(axis=1), 1.0)
