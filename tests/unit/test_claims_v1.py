"""claims.v1: the trained check-worthiness stage on hand-built articles."""

from __future__ import annotations

import pytest

from newsift.article import Article, Span
from newsift.errors import ConfigError
from newsift.pipeline import get_stage
from newsift.stages.checkworthy import CHECK_WORTHY, CLASSES, CheckworthyModel

TEXT = (
    "Unemployment fell to 3.5 percent in 2019, the lowest rate in fifty years. "
    "Thank you all for coming tonight. "
    "The ministry said the US has sent 250 trucks with weapons to Deir ez-Zor. "
    "I think we can do better."
)


def _article() -> Article:
    spans, start = [], 0
    for part in TEXT.split(". "):
        end = TEXT.index(part, start) + len(part) + (1 if not part.endswith(".") else 0)
        end = min(end, len(TEXT))
        spans.append(Span(TEXT.index(part, start), end, "sentence"))
        start = end
    art = Article(text=TEXT, spans={"sentences": spans})
    art.layers["attributions"] = [
        {
            "source": {
                "text": "The ministry",
                "start": TEXT.index("The ministry"),
                "end": TEXT.index("The ministry") + 12,
            },
            "kind": "reported",
            "cue": {"text": "said", "start": TEXT.index("said"), "end": TEXT.index("said") + 4},
            "content": {"text": "", "start": TEXT.index("the US has"), "end": len(TEXT) - 27},
        }
    ]
    return art


@pytest.fixture(scope="module")
def model() -> CheckworthyModel:
    return CheckworthyModel()


def test_scores_order_factual_over_chatter(model):
    scores, classes = model.predict(
        [
            "Unemployment fell to 3.5 percent in 2019, the lowest rate in fifty years.",
            "Thank you all for coming tonight.",
        ]
    )
    assert scores[0] > 0.5 > scores[1]
    assert classes[0] == CHECK_WORTHY and classes[1] != CHECK_WORTHY


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["cascade", "full", "fast"])
def test_modes_agree_on_clear_cases(mode):
    m = CheckworthyModel(mode=mode)
    scores, _ = m.predict(["The deficit rose by $300 billion last year.", "Good evening."])
    assert scores[0] > scores[1]
    assert all(0.0 <= s <= 1.0 for s in scores)


def test_empty_input(model):
    scores, classes = model.predict([])
    assert len(scores) == 0 and classes == []


def test_unknown_mode_is_config_error():
    with pytest.raises(ConfigError, match="mode"):
        CheckworthyModel(mode="gpu")


@pytest.mark.slow
def test_stage_writes_the_claims_layer_with_v0_keys():
    stage = get_stage("claims.v1")(min_class="non-factual")
    art = stage(_article())
    claims = art.layers["claims"]
    assert len(claims) == len(art.sentences)
    for c in claims:
        assert set(c) == {
            "start",
            "end",
            "text",
            "score",
            "class",
            "figures",
            "attribution",
            "matches",
            "voice",  # the article has attributions: whose voice the claim is in (issue 19)
        }
        assert c["class"] in CLASSES
        assert art.text[c["start"] : c["end"]] == c["text"]
        assert c["matches"] == []
    trucks = next(c for c in claims if "trucks" in c["text"])
    assert trucks["attribution"] == 0
    assert any(f["text"].startswith("250") for f in trucks["figures"])
    assert claims[0]["class"] == CHECK_WORTHY


@pytest.mark.slow
def test_stage_default_drops_non_factual():
    art = get_stage("claims.v1")()(_article())
    assert all(c["class"] != "non-factual" for c in art.layers["claims"])


def test_stage_without_sentences_gives_empty_layer():
    art = get_stage("claims.v1")()(Article(text="", spans={"sentences": []}))
    assert art.layers["claims"] == []


@pytest.mark.slow
def test_stage_pipe_equals_call():
    stage = get_stage("claims.v1")()
    a, b = _article(), _article()
    stage.pipe_batch([a, b])
    assert a.layers["claims"] == stage(_article()).layers["claims"] == b.layers["claims"]


def test_bad_min_class_is_config_error():
    with pytest.raises(ConfigError, match="min_class"):
        get_stage("claims.v1")(min_class="bogus")(_article())


FURNISHED = (
    "The army sent 250 trucks with weapons to Deir ez-Zor in May, the ministry said. "
    "Contributing to this report were Dana Weller and Omar Fisk. "
    "Updated at 1:23 p.m. "
    "The deficit rose by $300 billion last year, the budget office reported."
)


def _sentences(text: str) -> list[Span]:
    spans, start = [], 0
    for part in text.replace(". ", ".\n").split("\n"):
        s = text.index(part, start)
        spans.append(Span(s, s + len(part), "sentence"))
        start = s + len(part)
    return spans


@pytest.mark.slow
def test_stage_furniture_is_non_factual_and_check_first_lists_claims():
    art = Article(text=FURNISHED, spans={"sentences": _sentences(FURNISHED)})
    art = get_stage("claims.v1")(min_class="non-factual", check_first=1)(art)
    by_text = {c["text"]: c for c in art.layers["claims"]}
    assert by_text["Contributing to this report were Dana Weller and Omar Fisk."]["class"] == (
        "non-factual"
    )
    assert by_text["Updated at 1:23 p.m."]["class"] == "non-factual"
    assert all(0.0 <= c["score"] <= 1.0 for c in art.layers["claims"])  # every claim keeps one
    top = art.layers["check_first"]
    assert len(top) == 1
    first = art.layers["claims"][top[0]["claim"]]
    assert first["class"] == CHECK_WORTHY and top[0]["text"] == first["text"]
    assert top[0]["reasons"]["figures"] and "Contributing" not in top[0]["text"]


@pytest.mark.parametrize("bad", [1.5, "sometimes", -0.1])
def test_bad_threshold_is_config_error(bad):
    with pytest.raises(ConfigError, match="threshold"):
        get_stage("claims.v1")(threshold=bad)


@pytest.mark.slow
def test_debate_threshold_labels_at_least_as_many(model):
    texts = [
        "The deficit rose by $300 billion last year.",
        "We sent more troops to the border than any administration before us.",
        "Crime went down in every city we governed.",
        "I have a plan for that.",
    ]
    news = model.predict(texts)[1]
    debate = CheckworthyModel(threshold="debate").predict(texts)[1]
    assert model.threshold >= CheckworthyModel(threshold="debate").threshold
    assert sum(c == CHECK_WORTHY for c in debate) >= sum(c == CHECK_WORTHY for c in news)


def test_stage_reads_figures_in_the_sentence_language(monkeypatch):
    """A Russian sentence's figures come from the Russian number reader ("13 000 человек",
    "1,5 миллиона", "250 миллионов долларов"), not the English one (13, 1.5, 250)."""
    import numpy as np

    text = (
        "По данным ООН, погибли более 13 000 человек, около 1,5 миллиона жителей покинули дома. "
        "Вашингтон передаст армии вооружение на 250 миллионов долларов."
    )
    art = Article(text=text, spans={"sentences": _sentences(text)}, language="ru")
    stage = get_stage("claims.v1")(min_class="non-factual")

    def fake_predict(article, texts, counts, langs=None):
        return np.full(len(texts), 0.9, dtype=np.float32), [CHECK_WORTHY] * len(texts)

    monkeypatch.setattr(stage, "_predict", fake_predict)
    monkeypatch.setattr("newsift.stages.checkworthy.title_claim", lambda *a: None)
    claims = stage(art).layers["claims"]
    values = {(f["value"], f["kind"]) for c in claims for f in c["figures"]}
    assert (13000, "quantity") in values
    assert (1500000, "quantity") in values
    assert (250000000, "money") in values
    assert not any(f["value"] in (13, 250) for c in claims for f in c["figures"])


@pytest.mark.parametrize(
    "text,lang,expected",
    [
        ("Москва, 14 марта 2019 года.", "ru", True),
        ("Montclar, le 12 mars 2025.", "fr", True),
        ("Hallbach, 12. März 2025.", "de", True),
        ("WASHINGTON, March 14, 2019.", "en", True),
        ("Москва, 14 марта 2019 года, погибли 3 человека.", "ru", False),
        ("Prices rose, on March 14, 2019.", "en", False),
        ("Киев, 2019.", "ru", False),
    ],
)
def test_dateline_only(text, lang, expected):
    from newsift.stages.claims import dateline_only

    assert dateline_only(text, lang) is expected


def test_stage_drops_a_dateline_sentence(monkeypatch):
    import numpy as np

    text = (
        "Москва, 14 марта 2019 года. Вашингтон передаст армии вооружение на 250 миллионов долларов."
    )
    art = Article(text=text, spans={"sentences": _sentences(text)}, language="ru")
    stage = get_stage("claims.v1")()

    def fake_predict(article, texts, counts, langs=None):
        return np.full(len(texts), 0.9, dtype=np.float32), [CHECK_WORTHY] * len(texts)

    monkeypatch.setattr(stage, "_predict", fake_predict)
    monkeypatch.setattr("newsift.stages.checkworthy.title_claim", lambda *a: None)
    claims = stage(art).layers["claims"]
    assert [c["text"][:10] for c in claims] == ["Вашингтон "]


def test_a_headline_not_in_english_is_scored_by_the_multilingual_head(monkeypatch):
    import numpy as np

    from newsift.stages.checkworthy import title_claim

    class English:
        def predict(self, *a, **k):
            raise AssertionError("the English model must not score a Russian headline")

    class Multilingual:
        def predict(self, texts, vectors, langs=None):
            return np.array([0.8], dtype=np.float32), [CHECK_WORTHY]

    art = Article(
        text="Тело статьи.", title="Вашингтон передаст Киеву 250 миллионов долларов", language="ru"
    )
    claim = title_claim(art, English(), 0, Multilingual())  # type: ignore[arg-type]
    assert claim is not None and claim["part"] == "title"
    assert claim["class"] == CHECK_WORTHY
    assert [f["value"] for f in claim["figures"]] == [250_000_000]
