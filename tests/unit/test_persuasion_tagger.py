"""The fine-tuned persuasion tagger: windows, decoding, and the packaged ONNX model."""

from __future__ import annotations

import numpy as np
import pytest

from newsift.article import Article
from newsift.errors import ConfigError
from newsift.persuasion import KINDS, TECHNIQUES, load
from newsift.persuasion.model import DEFAULT_DIR
from newsift.persuasion.tagger import (
    MAX_TOKENS,
    TAGGER_FILE,
    blend_span_probs,
    blend_technique_probs,
    decode_spans,
    load_tokenizer,
    make_windows,
    span_technique_probs,
    word_logits,
)
from newsift.pipeline import get_stage
from tests.persuasion_texts import LOADED, NEUTRAL

needs_tagger = pytest.mark.skipif(
    not (DEFAULT_DIR / TAGGER_FILE).exists(), reason="tagger not packaged"
)


@pytest.fixture(scope="module")
def tok():
    return load_tokenizer()


def test_windows_cover_every_word_once_within_the_token_budget(tok):
    text = "Title here\n\n" + (NEUTRAL + LOADED) * 6
    win = make_windows(text, tok)
    assert all(len(ids) <= MAX_TOKENS - 2 for ids in win.ids)
    seen = np.concatenate(win.word_of)
    seen = seen[seen >= 0]
    # every word gets at least one piece, and pieces follow the text's order
    assert set(seen.tolist()) == set(range(len(win.words)))
    assert (np.diff(seen) >= 0).all()
    offs = np.concatenate(win.tok_spans)
    assert (np.diff(offs[:, 0]) > 0).all()
    # windows hold whole sentences: a window never starts inside a sentence here
    first_words = [w[w >= 0][0] for w in win.word_of]
    starts = set(win.sent_bounds[:, 0].tolist())
    assert all(f in starts for f in first_words)


def test_a_shifted_view_moves_the_window_edges_and_keeps_every_word(tok):
    text = "Title here\n\n" + (NEUTRAL + LOADED) * 6
    plain = make_windows(text, tok)
    shifted = make_windows(text, tok, first=(MAX_TOKENS - 2) // 2)
    assert len(plain.ids) > 2
    assert len(shifted.ids[0]) <= (MAX_TOKENS - 2) // 2 < len(plain.ids[0])
    assert all(len(ids) <= MAX_TOKENS - 2 for ids in shifted.ids)
    assert np.array_equal(np.concatenate(plain.ids), np.concatenate(shifted.ids))
    edges = lambda w: {int(x[x >= 0][0]) for x in w.word_of}  # noqa: E731
    assert edges(plain) != edges(shifted)


def test_a_sentence_longer_than_a_window_is_cut_at_a_word_start(tok):
    text = " ".join(["extraordinarily"] * 300) + "."
    win = make_windows(text, tok)
    assert len(win.ids) > 2
    assert all(len(ids) <= MAX_TOKENS - 2 for ids in win.ids)
    for a, b in zip(win.word_of, win.word_of[1:], strict=False):
        assert a[-1] != b[0]  # no word is split between two windows
    seen = np.concatenate(win.word_of)
    assert set(seen[seen >= 0].tolist()) == set(range(len(win.words)))


def test_empty_and_one_word_windows(tok):
    assert make_windows("", tok).ids == []
    win = make_windows("Traitors", tok)
    assert len(win.ids) == 1 and len(win.words) == 1


def test_word_logits_average_the_pieces(tok):
    win = make_windows("Unbelievably corrupt.", tok)
    n = len(win.ids[0])
    logits = [np.arange(n * 2, dtype=np.float32).reshape(n, 2)]
    wl = word_logits(win, logits, 2)
    widx = win.word_of[0]
    for w in range(len(win.words)):
        assert np.allclose(wl[w], logits[0][widx == w].mean(0))


def test_decode_spans_hysteresis_and_join(tok):
    text = "They are liars and thieves. Corrupt to the core. The vote is Tuesday."
    win = make_windows(text, tok)
    n = len(win.words)
    p = np.zeros(n, np.float32)
    # "liars and thieves ." ends sentence 1, "Corrupt" starts sentence 2
    a, b = win.sent_bounds[0]
    p[a + 2 : b] = [0.9, 0.4, 0.8, 0.4][: b - a - 2]
    c, d = win.sent_bounds[1]
    p[c] = 0.7
    joined = decode_spans(win, p, hi=0.6, lo=0.3, join=True)
    apart = decode_spans(win, p, hi=0.6, lo=0.3, join=False)
    assert len(apart) == 2 and len(joined) == 1
    assert text[joined[0][0] : joined[0][1]] == "liars and thieves. Corrupt"
    assert decode_spans(win, p, hi=0.95, lo=0.3) == []


def test_span_technique_probs_is_a_distribution(tok):
    win = make_windows(LOADED, tok)
    tech = np.random.default_rng(0).normal(size=(len(win.words), len(TECHNIQUES)))
    probs = span_technique_probs(win, tech.astype(np.float32), [(4, 31), (40, 55)])
    assert probs.shape == (2, len(TECHNIQUES))
    assert np.allclose(probs.sum(1), 1.0, atol=1e-5)


def test_blends_weigh_the_two_models():
    logits = np.array([-3.0, 0.0, 3.0], np.float32)
    lex = np.array([0.9, 0.5, 0.1], np.float32)
    assert np.allclose(blend_span_probs(logits, lex, 0.0), 1 / (1 + np.exp(-logits)))
    assert np.allclose(blend_span_probs(logits, lex, 1.0), lex, atol=1e-5)
    mid = blend_span_probs(logits, lex, 0.5)
    assert mid[1] == pytest.approx(0.5) and 0.1 < mid[0] < 0.9  # the two disagree: in between
    # lexical probabilities of exactly 0 or 1 do not blow up
    assert np.isfinite(blend_span_probs(logits, np.array([0.0, 1.0, 0.5]), 0.5)).all()
    tag = np.array([[0.7, 0.2, 0.1], [0.1, 0.1, 0.8]], np.float32)
    lexp = np.array([[0.1, 0.8, 0.1], [0.2, 0.2, 0.6]], np.float32)
    assert np.allclose(blend_technique_probs(tag, lexp, 1.0), tag, atol=1e-5)
    mix = blend_technique_probs(tag, lexp, 0.5)
    assert np.allclose(mix.sum(1), 1.0, atol=1e-5) and mix[1].argmax() == 2


def test_lexical_word_scores_line_up_with_the_tagger_words(tok):
    from newsift.persuasion.model import PersuasionModel

    lexical = PersuasionModel.load()
    text = "Title here\n\n" + NEUTRAL + LOADED
    scores = lexical.word_scores(text)
    assert scores.shape == (len(make_windows(text, tok).words),)
    assert ((scores >= 0) & (scores <= 1)).all()
    assert lexical.word_scores("").shape == (0,)


def test_unknown_model_kind_is_a_clear_error():
    with pytest.raises(ConfigError, match="unknown model 'bert'"):
        get_stage("persuasion.v1")(model="bert")
    with pytest.raises(ValueError, match="choose one of"):
        load("bert")
    assert KINDS == ("lexical", "student", "tagger")


def test_missing_tagger_file_says_how_to_retrain(tmp_path):
    s = get_stage("persuasion.v1")(model="tagger", model_path=str(tmp_path))
    with pytest.raises(ConfigError, match="newsift train persuasion DIR --tagger"):
        s.ensure_setup()


@pytest.fixture(scope="module")
def tagger():
    s = get_stage("persuasion.v1")(model="tagger", threads=1)
    s.ensure_setup()
    return s


@pytest.mark.slow
@needs_tagger
def test_tagger_finds_loaded_language_not_in_neutral_text(tagger):
    art = tagger(Article(text=LOADED * 2))
    spans = art.spans["persuasion"]
    assert spans
    for s in spans:
        assert 0 <= s.start < s.end <= len(art.text)
        assert s.label in TECHNIQUES
        assert 0.0 <= s.score <= 1.0 and 0.0 <= s.attrs["technique_score"] <= 1.0
    found = " ".join(art.text[s.start : s.end] for s in spans).lower()
    assert any(w in found for w in ("traitors", "corrupt", "lapdog", "hordes", "tyranny"))
    calm = tagger(Article(text=NEUTRAL * 2)).spans["persuasion"]
    assert len(calm) < len(spans)
    assert not art.problems


@pytest.mark.slow
@needs_tagger
def test_tagger_spans_serialise_as_plain_json(tagger):
    import json

    from newsift.api import to_json_dict

    art = tagger(Article(text=LOADED * 2))
    for s in art.spans["persuasion"]:
        assert type(s.start) is int and type(s.end) is int and type(s.score) is float
    out = json.loads(json.dumps(to_json_dict(art)))
    assert out["persuasion"] and {"start", "end", "technique"} <= set(out["persuasion"][0])


@pytest.mark.slow
@needs_tagger
@pytest.mark.parametrize("text", ["", "Traitors", "Traitors!", "..."])
def test_tagger_empty_and_one_word(tagger, text):
    art = tagger(Article(text=text))
    assert all(0 <= s.start < s.end <= len(text) for s in art.spans["persuasion"])
    assert [p.code for p in art.problems] == (["empty_text"] if not text else [])


@pytest.mark.slow
@needs_tagger
def test_tagger_long_text_is_read_to_the_end(tagger):
    text = (NEUTRAL + LOADED) * 400  # ~36k words, several chunks, no truncation
    spans = tagger.model_.predict(text)
    assert spans and spans[-1].start > len(text) - 2 * len(NEUTRAL + LOADED)
    assert all(a.start <= b.start for a, b in zip(spans, spans[1:], strict=False))


@pytest.mark.slow
@needs_tagger
def test_tagger_is_safe_across_threads_and_independent_of_batch(tagger):
    from concurrent.futures import ThreadPoolExecutor

    model = tagger.model_
    texts = ["".join([t, " "]) for t in [LOADED, NEUTRAL + LOADED, LOADED * 2, NEUTRAL * 3] * 2]
    alone = [model.predict(t) for t in texts]
    with ThreadPoolExecutor(4) as pool:
        together = list(pool.map(model.predict, texts))
    assert together == alone


def test_make_windows_skips_sentences_the_gate_drops(tok):
    text = "The vote passed. Traitors sold us out! Officials met on Tuesday."
    all_ = make_windows(text, tok)
    gated = make_windows(text, tok, keep=lambda sents: [i == 1 for i in range(len(sents))])
    assert all_.read is None and gated.read.tolist() == [False, True, False]
    read_words = {int(w) for ws in gated.word_of for w in ws if w >= 0}
    assert read_words and all(gated.sent_of_word[w] == 1 for w in read_words)
    assert len(gated.words) == len(all_.words)  # skipped words keep their offsets


@pytest.mark.parametrize(
    ("model", "gate", "msg"),
    [("lexical", 0.1, "tagger and student models only"), ("tagger", 1.5, "gate must")],
)
def test_gate_option_is_checked(model, gate, msg):
    with pytest.raises(ConfigError, match=msg):
        get_stage("persuasion.v1")(model=model, gate=gate)


@pytest.mark.slow
@needs_tagger
def test_gated_tagger_reads_only_kept_sentences():
    from newsift.persuasion.features import split_sentences

    text = (NEUTRAL + LOADED) * 3
    full = get_stage("persuasion.v1")(model="tagger", threads=1, gate=0.0)
    full.ensure_setup()
    gated = get_stage("persuasion.v1")(model="tagger", threads=1, gate=0.5)
    gated.ensure_setup()
    model = gated.model_
    sents = split_sentences(text)
    kept = [s for s, v in zip(sents, model.lexical.sentence_scores(sents), strict=True) if v >= 0.5]
    assert kept and len(kept) < len(sents), "the test text should have sentences on both sides"
    spans = model.predict(text)
    assert spans
    for p in spans:
        assert any(s.start <= p.start and p.end <= s.end for s in kept)
    full_spans = full.model_.predict(text)
    assert len(full_spans) >= len(spans)
    model.config["gate"] = 0.0  # gate 0 is the ungated model
    assert model.predict(text) == full_spans


def _logit(p):
    p = np.clip(np.asarray(p, np.float32), 1e-4, 1 - 1e-4)
    return np.log(p / (1 - p))


def test_nested_decoding_score_tunes_each_fold_on_the_others(tok):
    from newsift.persuasion.data import LabelledArticle
    from newsift.train.persuasion_tagger import tune_decoding

    text = "They lied again today. The meeting is on Tuesday. Officials met the press."
    win = make_windows(text, tok)
    # runs of words that stop short of their sentence's end (so ``join`` never applies)
    runs = [(int(a), int(b) - 1) for a, b in win.sent_bounds[:2]]
    span_of = [(int(win.words[a, 0]), int(win.words[b - 1, 1])) for a, b in runs]
    # article 0: its one gold span has a weak score (0.28): only a low hi finds it
    p0 = np.full(len(win.words), 0.01)
    p0[runs[0][0] : runs[0][1]] = 0.28
    # article 1: a spurious run at 0.28 and the gold span at 0.9
    p1 = np.full(len(win.words), 0.01)
    p1[runs[0][0] : runs[0][1]] = 0.28
    p1[runs[1][0] : runs[1][1]] = 0.9
    arts = [
        LabelledArticle("0", text, si=[span_of[0]]),
        LabelledArticle("1", text, si=[span_of[1]]),
    ]
    logits = [_logit(p)[:, None] for p in (p0, p1)]
    best, pooled, pred, nested = tune_decoding(
        arts, [win, win], logits, None, lambda *_: None, fold_of=[0, 1]
    )
    # pooled: a low hi finds all three runs (P 2/3, R 1)
    assert best["hi"] <= 0.25 and pooled.f1 == pytest.approx(0.8)
    assert pred["0"] == [span_of[0]]
    # nested: article 0 is decoded with article 1's choice (hi >= 0.3: misses it), article 1
    # with article 0's (hi 0.25: keeps the spurious run) -> P 1/2, R 1/2
    assert nested.f1 == pytest.approx(0.5)
    assert tune_decoding(arts, [win, win], logits, None, lambda *_: None)[3] is None


def test_level_value_by_technique_level():
    from newsift.persuasion.tagger import level_value, technique_aware

    assert level_value("Loaded_Language", 0.1, 0.2, 0.05) == 0.2
    assert level_value("Doubt", 0.1, 0.2, 0.05) == 0.05
    assert level_value("Flag-Waving", 0.1, 0.2, 0.05) == 0.1  # neither level
    assert level_value("Loaded_Language", 0.1, None, 0.05) == 0.1
    assert not technique_aware({"hi": 0.3, "lo": 0.1, "lo_short": None})
    assert technique_aware({"hi": 0.3, "lo": 0.1, "hi_long": 0.4})


def _sentence_probs(tok, text, values):
    win = make_windows(text, tok)
    p = np.zeros(len(win.words), np.float32)
    p[: len(values)] = values
    return win, p


def test_refine_spans_widens_trims_and_keeps_spans_once(tok):
    from newsift.persuasion.tagger import refine_spans

    text = "These corrupt thieves lied and lied again to everyone here"
    #        These corrupt thieves lied  and   lied  again to    everyone here
    values = [0.12, 0.9, 0.5, 0.12, 0.25, 0.8, 0.3, 0.04, 0.04, 0.04]
    win, p = _sentence_probs(tok, text, values)
    (span,) = decode_spans(win, p, hi=0.6, lo=0.1)
    assert text[span[0] : span[1]] == "These corrupt thieves lied and lied again"

    def words(spans):
        return [text[s:e] for s, e, *_ in spans]

    # a tighter lo cuts the span into its two cores
    assert words(refine_spans(win, p, [span], [0.4], hi=0.6, lo=0.1)) == [
        "corrupt thieves",
        "lied",
    ]
    # a looser one reaches further; the same lo keeps it as it is
    assert words(refine_spans(win, p, [span], [0.03], 0.6, 0.1)) == [text]
    assert refine_spans(win, p, [span], [0.1], 0.6, 0.1) == [span]
    # two spans that come out the same are kept once
    assert len(refine_spans(win, p, [span, span], [0.03, 0.03], 0.6, 0.1)) == 1


def test_technique_aware_spans_sets_edges_and_thresholds_by_level(tok):
    from newsift.persuasion.tagger import technique_aware_spans

    text = "These corrupt thieves lied. Maybe the report was never checked by anyone at all."
    win = make_windows(text, tok)
    p = np.full(len(win.words), 0.02, np.float32)
    a, b = win.sent_bounds[0]
    p[a:b] = [0.2, 0.9, 0.7, 0.2, 0.2][: b - a]
    c, d = win.sent_bounds[1]
    p[c:d] = 0.2
    p[c + 1] = 0.35  # "the": an argument-level span whose peak is below hi_long
    spans = decode_spans(win, p, hi=0.3, lo=0.15, join=False)
    assert len(spans) == 2

    def technique_of(found):
        return ["Loaded_Language" if s < win.words[c, 0] else "Doubt" for s, _ in found]

    cfg = {"hi": 0.3, "lo": 0.15, "lo_short": 0.5}
    out, techs = technique_aware_spans(win, p, spans, technique_of, cfg)
    assert [text[s:e] for s, e, *_ in out] == ["corrupt thieves", text[int(win.words[c, 0]) :]]
    assert techs == ["Loaded_Language", "Doubt"]
    out, techs = technique_aware_spans(win, p, spans, technique_of, {**cfg, "hi_long": 0.4})
    assert techs == ["Loaded_Language"]  # the Doubt span's peak 0.35 < 0.4
    assert technique_aware_spans(win, p, [], technique_of, cfg) == ([], [])


def test_decoding_search_finds_edges_by_technique_level(tok):
    from newsift.persuasion.data import LabelledArticle
    from newsift.train.persuasion_tagger import tune_decoding

    text = "Those corrupt thieves lied to us all today. Maybe the report was never checked at all."
    win = make_windows(text, tok)
    (a, b), (c, d) = win.sent_bounds[:2]
    p = np.full(len(win.words), 0.01, np.float32)
    p[a : b - 1] = 0.22  # sentence 1: weak neighbours around a word-level core
    p[a + 1 : a + 3] = 0.9  # "corrupt thieves"
    p[c : d - 1] = 0.12  # sentence 2: a weak argument-level clause with one strong word
    p[c + 3] = 0.9
    gold = [
        (int(win.words[a + 1, 0]), int(win.words[a + 2, 1])),
        (int(win.words[c, 0]), int(win.words[d - 2, 1])),
    ]
    arts = [LabelledArticle("0", text, si=gold)]

    def technique_of(i, spans):
        return ["Loaded_Language" if s < gold[1][0] else "Doubt" for s, _ in spans]

    logits = [_logit(p)[:, None]]
    plain, plain_score, *_ = tune_decoding(arts, [win], logits, None, lambda *_: None)
    best, score, pred, _ = tune_decoding(
        arts, [win], logits, None, lambda *_: None, technique_of=technique_of
    )
    # one pair of thresholds cannot trim sentence 1 and keep all of sentence 2
    assert plain_score.f1 < 0.99
    assert score.f1 == pytest.approx(1.0)
    assert best["lo_short"] is not None and best["lo_short"] > best["lo"]
    assert sorted(pred["0"]) == gold


def test_evaluate_logits_with_a_fixed_decoding_uses_it_as_given(tok):
    from newsift.persuasion.data import LabelledArticle
    from newsift.persuasion.techniques import LABELS as TECHNIQUES_ORDER
    from newsift.train.persuasion_tagger import FALLBACK_DECODING, evaluate_logits

    text = "They lied again today. The meeting is on Tuesday. Officials met the press."
    win = make_windows(text, tok)
    a, b = (int(x) for x in win.sent_bounds[0])
    gold = (int(win.words[a, 0]), int(win.words[b - 2, 1]))
    p = np.full(len(win.words), 0.01)
    p[a : b - 1] = 0.35  # above the shipped hi (0.3), below a tuned one that would also fit
    tech = np.zeros((len(p), 14))
    tech[:, TECHNIQUES_ORDER.index("Loaded_Language")] = 3.0  # word level: lo_short, no hi_long
    logits = [np.concatenate([_logit(p)[:, None], tech], axis=1)]
    arts = [LabelledArticle("0", text, si=[gold])]
    fixed = {**FALLBACK_DECODING, "hi": 0.3, "lo": 0.07}
    r = evaluate_logits(arts, [win], logits, 1, None, lambda *_: None, decoding=fixed)
    assert r["si"]["f1"] == pytest.approx(1.0)
    assert r["thresholds"]["hi"] == 0.3 and r["thresholds"]["si_lexical_weight"] == 0.0
    strict = evaluate_logits(
        arts, [win], logits, 1, None, lambda *_: None, decoding={**fixed, "hi": 0.5}
    )
    assert strict["si"]["f1"] == 0.0 and strict["si"]["n_pred"] == 0


@pytest.mark.parametrize("kind", ["tagger", "student"])
def test_packaged_graphs_have_no_nan_guards(kind):
    # export() removes torch's Where(IsNaN(softmax)) attention guards (a tenth of the
    # student's time); protobuf keeps op types as plain bytes, so no onnx package is needed
    from newsift.persuasion.tagger import FILES

    path = DEFAULT_DIR / FILES[kind][0]
    if not path.exists():
        pytest.skip(f"{kind} not packaged")
    assert b"IsNaN" not in path.read_bytes()


@pytest.mark.slow
def test_drop_nan_guards_keeps_the_outputs(tmp_path):
    onnx = pytest.importorskip("onnx")
    import onnxruntime as ort
    from onnx import TensorProto, helper

    from newsift.train.persuasion_tagger import drop_nan_guards

    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [2, 3])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [2, 3])
    nodes = [
        helper.make_node("Softmax", ["x"], ["p"], axis=-1),
        helper.make_node("IsNaN", ["p"], ["nan"]),
        helper.make_node("Constant", [], ["zero"], value=helper.make_tensor("z", 1, [], [0.0])),
        helper.make_node("Where", ["nan", "zero", "p"], ["q"]),
        helper.make_node("Relu", ["q"], ["y"]),
    ]
    model = helper.make_model(
        helper.make_graph(nodes, "g", [x], [y]), opset_imports=[helper.make_opsetid("", 17)]
    )
    path = tmp_path / "m.onnx"
    onnx.save(model, str(path))
    data = np.array([[1.0, 2.0, 3.0], [0.0, -1.0, 5.0]], np.float32)
    before = ort.InferenceSession(str(path)).run(None, {"x": data})[0]
    assert drop_nan_guards(path) == 1
    after = onnx.load(str(path))
    assert [n.op_type for n in after.graph.node] == ["Softmax", "Relu"]
    assert np.array_equal(ort.InferenceSession(str(path)).run(None, {"x": data})[0], before)
    assert drop_nan_guards(path) == 0
