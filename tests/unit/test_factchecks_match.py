"""Claim-level matching rules: voice, dates, thresholds, features, and the EUvsDisinfo update."""

from __future__ import annotations

import json

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from newsift.cli import cli
from newsift.errors import DataError
from newsift.factchecks import euvsdisinfo
from newsift.factchecks.search import (
    FEATURES,
    RELATIONS,
    VOICES,
    Reranker,
    TextInfo,
    describe,
    pair_features,
    polarity,
    relation_of,
    voice_of,
)
from newsift.train.claims import flip_polarity

CASE = "The US created ISIS and terrorism in the Middle East"


@pytest.mark.parametrize(
    "sentence",
    [
        "Moscow has claimed, without evidence, that the US created ISIS.",
        "Russian TV repeated the false claim that the United States created ISIS.",
        "The debunked story that America created ISIS keeps coming back.",
        "The so-called revelation that the US created ISIS was made up.",
        "Pro-Kremlin outlets falsely said the US created ISIS.",
    ],
)
def test_critical_reporting_is_not_asserted(sentence):
    assert voice_of(sentence, CASE) == "critical"


def test_a_marker_that_is_the_claim_itself_is_not_critical():
    case = "It is a myth that Russia invaded and occupied Crimea"
    assert voice_of("The invasion of Crimea by Russia is a myth.", case) == "asserted"
    assert voice_of("The myth of a Russian invasion is spread by propaganda.", case) == "critical"


def test_reported_and_asserted_voice():
    assert voice_of("ISIS was created by the US, the minister said.", CASE) == "reported"
    assert voice_of("“The US created ISIS,” he told reporters.", CASE) == "reported"
    assert voice_of("The US created ISIS.", CASE, attributed=True) == "reported"
    assert voice_of("The United States created ISIS.", CASE) == "asserted"


def test_relation_to_the_article_date():
    assert relation_of("2018-02-08", "2018-06-20") == "catalogued_before"
    assert relation_of("2018-06-20", "2018-06-20T10:00:00+00:00") == "catalogued_before"
    assert relation_of("2019-02-27", "2018-06-20") == "catalogued_later"
    assert relation_of("", "2018-06-20") == "date_unknown"
    assert relation_of("2018-02-08", None) == "date_unknown"
    assert relation_of("2018-02-08", "June 2018") == "date_unknown"


def test_catalogued_later_and_critical_are_not_headline_findings():
    m = {"id": "c", "claim": CASE, "date": "2020-07-10", "score": 0.9}
    later = describe(m, "The US created ISIS.", "2018-06-20")
    assert later["relation"] == "catalogued_later" and not later["headline"]
    critical = describe(
        m, "Moscow claimed, without evidence, that the US created ISIS.", "2021-01-01"
    )
    assert critical["voice"] == "critical" and not critical["headline"]
    ok = describe(m, "The US created ISIS.", "2021-01-01")
    assert ok["relation"] == "catalogued_before" and ok["headline"]


def test_polarity_and_its_flip():
    assert polarity("Russia interfered in the election") == 0
    assert polarity("Russia did not interfere in the election") == 1
    assert polarity("Russian interference is a hoax") == 1
    assert polarity("The attack never happened; the story was fabricated") == 1
    assert flip_polarity("Syria has chemical weapons") == "Syria has not chemical weapons"
    assert (
        flip_polarity("Syria does not possess chemical weapons")
        == "Syria does possess chemical weapons"
    )
    assert flip_polarity("Chemical weapons in Syria") is None


def _features(query: str, claim: str) -> dict[str, float]:
    q, c = TextInfo.of(query), TextInfo.of(claim)
    return dict(zip(FEATURES, pair_features(q, c, {}, 5.0, 0.8, 0.5), strict=True))


def test_features_see_names_numbers_and_negation():
    f = _features(
        "The US sent 250 trucks of weapons to the SDF",
        "The US delivered 4,800 trucks with weapons to the SDF",
    )
    assert f["number_agreement"] == 0.0 and f["entity_recall"] == 1.0
    f = _features(
        "The US delivered 4,800 trucks of weapons to the SDF",
        "The US delivered 4,800 trucks with weapons to the SDF",
    )
    assert f["number_agreement"] == 1.0 and f["coverage"] > 0.8
    f = _features("Syria has chemical weapons", "Syria does not possess any chemical weapons")
    assert f["polarity_mismatch"] == 1.0


def test_shipped_reranker_prefers_the_claim_to_its_topic_and_its_denial():
    r = Reranker.load()
    assert 0.3 <= r.catalogue_threshold < 1.0 and 0.0 < r.threshold < 1.0
    claim = "Daesh was created and trained by the US"
    rows = np.array(
        [
            pair_features(TextInfo.of(q), TextInfo.of(claim), {}, 5.0, cos, bm)
            for q, cos, bm in (
                ("The Islamic State was set up and trained by the Americans.", 0.75, 0.3),
                ("US air strikes killed dozens of Islamic State fighters near Raqqa.", 0.55, 0.2),
                ("Daesh was not created or trained by the US.", 0.85, 0.6),
            )
        ]
    )
    same, topic, denial = r.score(rows, catalogue=True)
    assert same > topic and same > denial
    assert topic < r.catalogue_threshold and denial < r.catalogue_threshold


# --- `newsift factchecks update euvsdisinfo FILE` ------------------------------------------


class FakeEncoder:
    """Deterministic unit vectors from the text's hash: no model needed."""

    dim = 384

    def encode(self, texts):
        out = []
        for t in texts:
            v = np.random.default_rng(abs(hash(t)) % (2**32)).standard_normal(384)
            out.append(v / np.linalg.norm(v))
        return np.array(out, dtype=np.float32)


HEADER = "date,id,title,countries,keywords,languages,outlets\n"


def _update(tmp_path, text, name="export.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return euvsdisinfo.update(
        path, root=tmp_path / "store", encoder=FakeEncoder(), e5_encoder=FakeEncoder()
    )  # no model: the multilingual-e5 vectors of new cases by the stand-in too


def test_update_merges_a_newer_export_and_reports_bad_rows(tmp_path):
    rows = (
        HEADER + "2023-05-02,https://euvsdisinfo.eu/report/new-case/,A new claim about Moldova,"
        "Moldova,,English,Outlet A+Outlet B\n"
        + ",https://euvsdisinfo.eu/report/undated/,A claim without a date,,,,\n"
        + "2023-05-03,,A row without a case URL,,,,\n"
        + "2023-05-04,https://euvsdisinfo.eu/report/extra/,Too,many,cells,here,x,y,z\n"
        + "2021-02-18,https://euvsdisinfo.eu/report/german-special-services-helped-navalny/,"
        "German special services helped Navalny,Russia,,Russian,TASS\n"
    )
    s = _update(tmp_path, rows)
    shipped = len(euvsdisinfo.load(tmp_path / "nowhere"))
    assert (s.read, s.added, s.replaced) == (3, 2, 1)
    assert s.total == shipped + 2
    assert s.date_range == ["2015-01-06", "2023-05-02"]
    text = "\n".join(s.issues)
    assert "export.csv line 3: case https://euvsdisinfo.eu/report/undated/ has no date" in text
    assert "export.csv line 4: no case URL/id; row skipped" in text
    assert "export.csv line 5:" in text and "cells" in text
    coll = euvsdisinfo.load(tmp_path / "store")
    assert len(coll) == s.total and coll.meta["kind"] == "narratives"
    assert coll.meta["date_range"] == ["2015-01-06", "2023-05-02"]
    new = next(r for r in coll.records if r["id"] == "new-case")
    assert new["speaker"] == "Outlet A, Outlet B" and new["date"] == "2023-05-02"
    assert next(r for r in coll.records if r["id"] == "undated")["date"] == ""
    assert coll.embeddings.shape == (len(coll), 384)


def test_update_reads_json_with_summary_and_disproof(tmp_path):
    cases = [
        {
            "url": "https://euvsdisinfo.eu/report/j1/",
            "title": "Claim one",
            "date": "2022-01-05",
            "summary": "What the outlet said.",
            "disproof": "Why it is false.",
        },
        {"url": "https://euvsdisinfo.eu/report/j2/", "title": "Claim two", "date": "5 Jan 2022"},
    ]
    s = _update(tmp_path, json.dumps(cases, indent=1), "export.json")
    assert s.added == 2 and any("export.json line 9:" in i and "no date" in i for i in s.issues)
    coll = euvsdisinfo.load(tmp_path / "store")
    j1 = next(r for r in coll.records if r["id"] == "j1")
    assert j1["summary"] == "What the outlet said." and j1["disproof"] == "Why it is false."
    assert "summary or disproof" in coll.meta["note"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "the file is empty"),
        (HEADER, "no usable EUvsDisinfo case"),
        ("a,b\n1,2\n", "no title column"),
        ("[1, 2]", "no usable EUvsDisinfo case"),
    ],
)
def test_update_refuses_bad_files_and_keeps_the_collection(updated, content, message):
    tmp_path, before = updated
    with pytest.raises(DataError, match=message):
        _update(tmp_path, content, "bad.csv")
    assert len(euvsdisinfo.load(tmp_path / "store")) == before


@pytest.fixture(scope="module")
def updated(tmp_path_factory):
    """A data dir whose catalogue one good export updated, and its case count; shared by the
    refused updates (each must leave it as it is, which the next one checks again)."""
    tmp_path = tmp_path_factory.mktemp("updated")
    good = HEADER + "2023-05-02,https://euvsdisinfo.eu/report/new-case/,A new claim,,,,\n"
    return tmp_path, _update(tmp_path, good).total


def test_update_command_reports_problems_and_the_date_range(tmp_path, monkeypatch):
    monkeypatch.setattr("newsift.embed.get_encoder", lambda *a, **k: FakeEncoder())
    monkeypatch.setattr("newsift.embed.get_multilingual_encoder", lambda *a, **k: FakeEncoder())
    path = tmp_path / "export.csv"
    path.write_text(
        HEADER
        + "2023-05-02,https://euvsdisinfo.eu/report/n/,A new claim,,,,\n"
        + ",https://euvsdisinfo.eu/report/u/,Undated claim,,,,\n",
        encoding="utf-8",
    )
    res = CliRunner().invoke(
        cli,
        ["factchecks", "update", "euvsdisinfo", str(path), "--data-dir", str(tmp_path / "store")],
    )
    assert res.exit_code == 0, res.output
    assert "cases 2015-01-06 to 2023-05-02" in res.output
    assert "export.csv line 3" in res.output
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    res = CliRunner().invoke(
        cli,
        ["factchecks", "update", "euvsdisinfo", str(empty), "--data-dir", str(tmp_path / "store")],
    )
    assert res.exit_code == 2 and "empty" in res.output


@pytest.mark.fuzz
@given(
    st.text(max_size=200),
    st.text(max_size=80),
    st.booleans(),
    st.one_of(st.none(), st.text(max_size=12)),
    st.one_of(st.none(), st.text(max_size=12)),
)
def test_voice_and_relation_are_always_one_of_their_values(sentence, claim, attributed, d1, d2):
    assert voice_of(sentence, claim, attributed) in VOICES
    assert relation_of(d1, d2) in RELATIONS
    assert TextInfo.of(sentence).polarity in (0, 1)


@pytest.mark.parametrize("gate", [0.3, 0.55, 0.62, 0.8])
def test_sketch_gate_decides_as_the_full_product(gate):
    """The low-rank bound of the e5 gate lets through every sentence the full cosine product
    does, and no other: the same decision, a third of the matrix read."""
    from newsift.factchecks.search import _Sketch

    rng = np.random.default_rng(7)
    # clustered unit vectors, as sentence embeddings are (a few topics, spread around each)
    centres = rng.standard_normal((20, 384))
    emb = centres[rng.integers(0, 20, 3000)] + 0.8 * rng.standard_normal((3000, 384))
    emb = (emb / np.linalg.norm(emb, axis=1, keepdims=True)).astype(np.float32)
    # sentences near a case (noise of growing size: cosines from about 0.98 down to 0.45),
    # and sentences near none
    noise = np.linspace(0.01, 0.1, 40)[:, None] * rng.standard_normal((40, 384))
    vecs = np.vstack([emb[:40] + noise, rng.standard_normal((40, 384))])
    vecs = (vecs / np.linalg.norm(vecs, axis=1, keepdims=True)).astype(np.float32)
    full = (emb @ vecs.T).max(axis=0) >= gate
    assert 0 < full.sum() < len(full)
    assert (_Sketch(emb).reaches(emb, vecs, gate) == full).all()
