"""The learned German quotation detector and speaker ranker (stages/attribution_learned.py):
scoring with numpy only, the thresholds, and what refine() does with hand-made weights."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from newsift.article import Article
from newsift.stages.attribution_learned import (
    MODEL_PATH,
    N_FEATURES,
    Context,
    Model,
    hash_features,
    load_model,
    proposals,
    refine,
    select,
)
from newsift.stages.attribution_ml import Reader

# written for these tests
TEXT = (
    "Anna Keller sagte am Montag, die Brücke werde im Frühjahr gesperrt. "
    "Die Stadt plant seit Jahren eine neue Brücke über den Fluss.\n\n"
    "Der Verkehrsverein protestierte gegen die Sperrung. Das sei ein schwarzer Tag."
)


def _model(quote_b: float, add: float = 0.5, drop: float = 0.0) -> Model:
    return Model(
        quote_w=np.zeros(N_FEATURES, dtype=np.float32),
        quote_b=quote_b,
        speaker_w=np.zeros(N_FEATURES, dtype=np.float32),
        speaker_b=0.0,
        add_threshold=add,
        drop_threshold=drop,
    )


def _reader(text: str = TEXT) -> tuple[Reader, list[dict]]:
    reader = Reader(Article(text=text, language="de"), "de")
    return reader, reader.run()


def test_hashed_features_are_stable_and_in_range() -> None:
    cols = hash_features(["w=sagte", "cue", "w=sagte"])
    assert cols[0] == cols[2]
    assert all(0 <= c < N_FEATURES for c in cols)


def test_the_shipped_model_loads_with_thresholds_in_range() -> None:
    model = load_model()
    if model is None:
        pytest.skip(f"{MODEL_PATH} is not installed")
    assert model.quote_w.shape == (N_FEATURES,) == model.speaker_w.shape
    assert 0.0 <= model.drop_threshold <= model.add_threshold <= 1.0
    assert 0.0 < model.quote_score(hash_features(["bias"])) < 1.0


def test_a_missing_model_is_none(tmp_path) -> None:
    assert load_model(tmp_path / "none.npz") is None


def test_a_sure_detector_adds_every_unit_and_a_doubtful_one_keeps_only_the_rules() -> None:
    reader, rules = _reader()
    n_units = len(reader.units.units)
    sure = refine(reader, [dict(a) for a in rules], _model(quote_b=5.0))
    assert len(sure) >= n_units - 1  # units too short for a content are left
    learned = [a for a in sure if a.get("learned")]
    assert learned and all(0.0 <= a["score"] <= 1.0 for a in learned)
    for a in sure:
        assert 0 <= a["content"]["start"] < a["content"]["end"] <= len(TEXT)
        assert a["cue"] is not None and a["language"] == "de"
    reader, rules = _reader()
    doubtful = refine(reader, [dict(a) for a in rules], _model(quote_b=-5.0, drop=0.0))
    assert not any(a.get("learned") for a in doubtful)
    assert len(doubtful) == len(rules)
    reader, rules = _reader()
    dropped = refine(reader, [dict(a) for a in rules], _model(quote_b=-5.0, drop=0.5))
    assert dropped == []


def test_select_applies_the_thresholds_to_the_same_proposals() -> None:
    reader, rules = _reader()
    props = proposals(reader, rules, _model(quote_b=0.0))  # every unit scores 0.5
    assert len(select(reader, props, 0.4, 0.0)) > len(select(reader, props, 0.6, 0.0))
    assert select(reader, props, 0.6, 0.6) == []


def test_candidates_name_people_pronouns_and_the_rules_source() -> None:
    reader, rules = _reader()
    ctx = Context(reader, rules)
    last = len(ctx.units) - 1
    texts = {TEXT[c.start : c.end] for c in ctx.candidates(last, [])}
    assert "Verkehrsverein" in texts
    first = {TEXT[c.start : c.end]: c for c in ctx.candidates(0, rules[:1])}
    assert "rule_src" in first["Anna Keller"].features
    assert "Der" not in texts and "Das" not in texts


def test_the_rules_source_stays_when_the_shipped_ranker_agrees() -> None:
    if load_model() is None:
        pytest.skip(f"{MODEL_PATH} is not installed")
    from newsift.stages.attribution_ml import attribute

    atts = attribute(Article(text=TEXT, language="de"), "de")["attributions"]
    assert atts[0]["source"]["text"] == "Anna Keller"
    assert atts[0]["content"]["text"].startswith("die Brücke werde")


def test_the_runtime_does_not_import_scikit_learn() -> None:
    code = (
        "import sys\n"
        "from newsift.article import Article\n"
        "from newsift.stages.attribution_ml import attribute\n"
        "attribute(Article(text='Er sagte, das sei gut. Das sei sehr gut.', language='de'), 'de')\n"
        "print(','.join(k for k in sys.modules if k.startswith(('sklearn', 'newsift.train'))))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == ""


def test_the_year_check_reads_the_year_from_a_wikinews_document_name() -> None:
    from newsift.train.attribution import article_year

    assert article_year("10022 - Ein Titel mit (Klammern) (2005-08-05)") == 2005
    assert article_year("Ohne Datum") is None
    assert article_year("Datum mitten (2005-08-05) im Namen") is None
