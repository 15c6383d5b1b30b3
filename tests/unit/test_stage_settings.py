"""Stage settings from the command line (``--set STAGE.KEY=VALUE``) and their checks."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from newsift.cli import cli
from newsift.errors import ConfigError
from newsift.pipeline import DEFAULT_STAGES, Pipeline, spec_label, with_settings

ARTICLE = (
    "Council votes on the harbour plan\n\n"
    "The corrupt elites and their lapdog media are destroying our great nation, the mayor said. "
    "These traitors want open borders. The council met on Tuesday to discuss the budget.\n"
)


def test_settings_by_full_or_short_name_and_values_as_json():
    got = with_settings(
        ["nlp.v1", "persuasion.v1"],
        ["persuasion.model=student", "persuasion.v1.gate=0.1", "nlp.parse_all=true"],
    )
    assert got == [
        {"name": "nlp.v1", "parse_all": True},
        {"name": "persuasion.v1", "model": "student", "gate": 0.1},
    ]
    # untouched stages stay plain names; a value that is not JSON is a string
    assert with_settings(["nlp.v1", "claims.v0"], ["claims.min_class=non-factual"]) == [
        "nlp.v1",
        {"name": "claims.v0", "min_class": "non-factual"},
    ]
    # a stage given with settings keeps them, untouched or not
    given = [{"name": "nlp.v1", "parse_all": True}, {"name": "persuasion.v1", "gate": 0.1}]
    assert with_settings(given, ["persuasion.model=student"]) == [
        {"name": "nlp.v1", "parse_all": True},
        {"name": "persuasion.v1", "gate": 0.1, "model": "student"},
    ]


@pytest.mark.parametrize(
    ("setting", "words"),
    [
        ("model=student", "STAGE.KEY=VALUE"),
        ("persuasion.model", "STAGE.KEY=VALUE"),
        ("headline.model=x", "no stage 'headline' in the pipeline"),
        ("persuasion.name=x", "cannot be set"),
    ],
)
def test_bad_settings_say_what_is_wrong(setting, words):
    with pytest.raises(ConfigError, match=words):
        with_settings(["nlp.v1", "persuasion.v1"], [setting])


def test_a_setting_a_stage_does_not_take_is_refused_with_what_it_takes():
    with pytest.raises(
        ConfigError, match=r"does not take the setting\(s\) modle.*model, model_path"
    ):
        Pipeline(with_settings(["persuasion.v1"], ["persuasion.modle=student"]))
    with pytest.raises(ConfigError, match="does not take the setting.*it takes: none"):
        Pipeline(with_settings(["nlp.v1", "sourcing.v1"], ["sourcing.colour=red"]))
    # every default stage builds with what it declares
    Pipeline(DEFAULT_STAGES)


def test_spec_label():
    assert spec_label("nlp.v1") == "nlp.v1"
    assert spec_label({"name": "persuasion.v1", "model": "student", "gate": 0.1}) == (
        "persuasion.v1(gate=0.1,model=student)"
    )


def test_analyze_cli_takes_stage_settings(tmp_path):
    src = tmp_path / "a.txt"
    src.write_text(ARTICLE, encoding="utf-8")
    runner = CliRunner()
    args = ["analyze", str(src), "--format", "json", "--stages", "persuasion.v1"]
    lexical = runner.invoke(cli, [*args, "--set", "persuasion.model=lexical"])
    assert lexical.exit_code == 0, lexical.output
    spans = json.loads(lexical.output)["persuasion"]
    assert spans, "the lexical model finds the loaded language"
    bad = runner.invoke(cli, [*args, "--set", "persuasion.model=bert"])
    assert bad.exit_code == 2 and "unknown model 'bert'" in bad.output
    typo = runner.invoke(cli, [*args, "--set", "persuasion.modle=lexical"])
    assert typo.exit_code == 2 and "does not take the setting(s) modle" in typo.output


def test_corpus_run_takes_stage_settings_and_records_them(tmp_path):
    from newsift.corpus.ingest import ingest
    from newsift.corpus.store import open_store

    src = tmp_path / "c.jsonl"
    body = ARTICLE.split("\n\n", 1)[1]
    src.write_text(
        "".join(
            json.dumps(
                {"id": f"r{i}", "url": f"https://x.example/{i}", "text": f"Story {i}. " + body}
            )
            + "\n"
            for i in range(3)
        )
    )
    db = tmp_path / "c.duckdb"
    with open_store(db) as store:
        ingest(store, [src])
    runner = CliRunner()
    base = ["run", "--db", str(db), "--stages", "persuasion.v1", "-q", "--no-vectors"]
    typo = runner.invoke(cli, [*base, "--set", "persuasion.gates=0.1"])
    assert typo.exit_code == 2 and "gates" in typo.output
    ok = runner.invoke(cli, [*base, "--json", "--set", "persuasion.model=lexical"])
    assert ok.exit_code == 0, ok.output
    assert json.loads(ok.output.strip().splitlines()[-1])["analysed"] == 3
    with open_store(db) as store:
        rows = store.query("SELECT DISTINCT pipeline FROM analyses")
        doc = json.loads(store.query("SELECT json FROM analyses LIMIT 1")[0][0])
    assert rows == [("persuasion.v1(model=lexical)",)]
    assert doc["persuasion"]


def test_serve_passes_settings_to_its_worker_processes(monkeypatch):
    # several server processes read their pipeline from the environment, settings included
    from newsift.web.app import _env_stages

    specs = with_settings(["nlp.v1", "persuasion.v1"], ["persuasion.model=student"])
    assert _env_stages(json.dumps(specs)) == specs
    assert _env_stages("nlp.v1,claims.v0") == ["nlp.v1", "claims.v0"]
    assert _env_stages(" ") is None
    bad = CliRunner().invoke(cli, ["serve", "--set", "persuasion.model=bert"])
    assert bad.exit_code == 2 and "unknown model 'bert'" in bad.output


def test_spark_partitions_run_stage_settings():
    # what one Spark partition computes, without Spark: the analyzer is cached by the JSON spec
    from newsift.corpus.readers import FieldMap
    from newsift.corpus.spark import analyze_records

    body = ARTICLE.split("\n\n", 1)[1]
    records = [{"id": "a1", "url": "https://x.example/1", "text": body}]
    spec = with_settings(["persuasion.v1"], ["persuasion.model=lexical"])
    rows = [
        json.loads(r)
        for t, r in analyze_records(records, spec, FieldMap(), "t.jsonl")
        if t == "analyses"
    ]
    assert [r["pipeline"] for r in rows] == ["persuasion.v1(model=lexical)"]
    assert json.loads(rows[0]["json"])["persuasion"]
