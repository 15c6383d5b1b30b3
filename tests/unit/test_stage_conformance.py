"""One conformance suite for every built-in stage (as scikit-learn checks every estimator)."""

from __future__ import annotations

import copy

import pytest

from newsift.article import Article
from newsift.errors import ConfigError
from newsift.pipeline import (
    DEFAULT_STAGES,
    Pipeline,
    Stage,
    available_stages,
    get_stage,
    register_stage,
)

TEXTS = [
    'Rain closed the road. "It will reopen on Friday," the mayor said. Officials said 40 homes flooded.',
    "Short.",
    "Une phrase en français, dit le maire.",
    "",  # an empty article: a Problem or nothing, never a crash
]


def _prefix_for(name: str) -> list[str]:
    """The default stages needed before ``name``, then ``name``."""
    stage = get_stage(name)
    before = [s for s in DEFAULT_STAGES if s != name]
    needed: list[str] = []
    have = {"text", "title", "author", "date", "url"}
    for req in stage.requires:
        for s in before:
            if req not in have and req in get_stage(s).assigns:
                for r in get_stage(s).requires:
                    if r not in have:
                        for s2 in before:
                            if r in get_stage(s2).assigns and s2 not in needed:
                                needed.append(s2)
                                have.update(get_stage(s2).assigns)
                if s not in needed:
                    needed.append(s)
                have.update(get_stage(s).assigns)
    return needed + [name]


@pytest.mark.slow
@pytest.mark.parametrize("name", available_stages())
def test_stage_conformance(name: str) -> None:
    """Every registered stage (not only the default ones), on real, short, French and empty
    text: ``pipe`` equals calling it per article, it writes only the layers it assigns, and its
    spans stay inside the text."""
    pipeline = Pipeline(_prefix_for(name))
    stage = pipeline.stages[-1]
    assert stage.name == name
    arts = [Article(text=t, title="Road closed", url="https://rt.com/x") for t in TEXTS]
    before_stage = Pipeline(pipeline.names[:-1]) if len(pipeline.names) > 1 else None
    if before_stage:
        arts = list(before_stage.pipe(arts))
    batch = [copy.deepcopy(a) for a in arts]
    one_by_one = [copy.deepcopy(a) for a in arts]
    before_keys = [set(a.spans) | set(a.layers) for a in batch]
    stage.pipe_batch(batch)
    for a in one_by_one:
        stage(a)
    assert [a.to_dict() for a in batch] == [a.to_dict() for a in one_by_one]
    for a, keys in zip(batch, before_keys, strict=True):
        new = (set(a.spans) | set(a.layers)) - keys
        assert new <= set(stage.assigns) | {"outlet"}, new
        for spans in a.spans.values():
            assert all(0 <= s.start <= s.end <= len(a.text) for s in spans)


def test_every_registered_stage_builds_with_defaults() -> None:
    for name in available_stages():
        assert isinstance(get_stage(name)(), Stage)


def test_unknown_stage_and_missing_requirement() -> None:
    with pytest.raises(ConfigError, match="unknown stage"):
        Pipeline(["nope.v9"])
    with pytest.raises(ConfigError, match="requires"):
        Pipeline(["attribution.v1"])


def test_pipeline_config_round_trip() -> None:
    p = Pipeline(["nlp.v1", {"name": "claims.v0", "min_class": "non-factual"}])
    assert Pipeline.from_config(p.config()).config() == p.config()


def test_a_crashing_stage_becomes_a_problem() -> None:
    @register_stage("test-crash.v1")
    class Crash(Stage):
        assigns = ("crash",)

        def predict(self, batch):
            raise RuntimeError("boom")

    out = list(Pipeline(["test-crash.v1"]).pipe([Article(text="a b c"), Article(text="d e f")]))
    assert len(out) == 2
    assert all(
        p.code == "stage_crashed" and p.stage == "test-crash.v1" for a in out for p in a.problems
    )


@pytest.mark.slow
def test_huge_input_is_analysed_without_loss() -> None:
    text = " ".join(["The council said 12 roads were closed on Monday."] * 600)
    a = Pipeline(DEFAULT_STAGES)(Article(text=text, title="Roads"))
    assert a.sentences[-1].end == len(text)
    assert len(a.layers["claims"]) > 0


NEIGHBOURS = [
    "The army said on Monday that 300 trucks had crossed the border into the northern province. "
    "A source in the ministry said the United States is protecting ISIS fighters near the base. "
    "Critics call the plan a disgraceful betrayal of the nation.",
    "Officials said 40 homes flooded. The council will vote on Friday on a $2 million repair fund, "
    "the mayor told reporters, adding that insurance claims had tripled since 2019 in the valley.",
]


@pytest.mark.slow
def test_an_article_does_not_depend_on_its_batch() -> None:
    """The same article analysed alone and inside a batch of others gives the same JSON."""
    pipeline = Pipeline(DEFAULT_STAGES)

    def fresh(text: str) -> Article:
        return Article(text=text, title="Trucks at the border", url="https://example.org/a")

    alone = [pipeline(fresh(t)).to_dict() for t in NEIGHBOURS]
    together = [a.to_dict() for a in pipeline.pipe([fresh(t) for t in NEIGHBOURS], batch_size=8)]
    assert together == alone
    assert alone[0]["claims"] and alone[1]["claims"]


@pytest.mark.slow
@pytest.mark.parametrize("name", available_stages())
def test_every_registered_stage_reads_only_settings_it_declares(name: str) -> None:
    """Every registered stage, with its defaults, on an empty article and on real text: the
    stage reads its settings through Stage.setting, which refuses undeclared keys, so running it
    proves each key it reads is declared (and settable from the command line)."""
    cls = get_stage(name)
    assert "__init__" not in vars(cls), f"{name} overrides __init__: declare its settings instead"
    pipeline = Pipeline(_prefix_for(name))
    empty = pipeline(Article(text="", title="", url="https://example.org/empty"))
    assert all(p.code != "stage_crashed" for p in empty.problems), empty.problems
    full = pipeline(Article(text=TEXTS[0], title="Road closed", url="https://example.org/a"))
    assert all(p.code != "stage_crashed" for p in full.problems), full.problems


def test_settings_are_declared_once_with_their_defaults() -> None:
    @register_stage("test-settings.v1")
    class WithSettings(Stage):
        assigns = ("x",)
        settings = {"size": 3}

        def predict(self, batch):
            return [self.setting("size") for _ in batch]

        def annotate(self, batch, predictions):
            for a, p in zip(batch, predictions, strict=True):
                a.layers["x"] = p

        def undeclared(self):
            return self.setting("colour")

    assert WithSettings.accepted_settings() == ("size",)
    assert Pipeline(["test-settings.v1"])(Article(text="a")).layers["x"] == 3
    stage = WithSettings(size=5)
    assert stage.setting("size") == 5 and stage.config() == {"name": "test-settings.v1", "size": 5}
    with pytest.raises(KeyError, match="colour"):
        stage.undeclared()
    with pytest.raises(ConfigError, match="does not take the setting.*colour.*it takes: size"):
        WithSettings(colour="red")
