"""Narratives at claim level (issue 21): junk is not a claim, rewordings are verified, origins
with ties and missing dates are shown, bad corpora get clear messages. Hand-written articles."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from newsift.cli import cli
from newsift.corpus.ingest import ingest
from newsift.corpus.narrative_link import (
    comparable_text,
    junk_reason,
    rewording_anchors_agree,
    unit_language,
)
from newsift.corpus.narrative_rows import origin_status, spread
from newsift.corpus.narratives import NarrativeConfig, build_narratives, eligible
from newsift.corpus.runner import run
from newsift.corpus.similarity import anchors
from newsift.corpus.store import open_store

CLAIM = (
    "The Harlow Port Authority said 412 containers of medical supplies were held at the Vessen "
    "terminal for three weeks."
)
ARTICLES = [
    # origin, then a verbatim copy on the same day (a tie), a copy the next day, one undated copy
    {"id": "o", "url": "https://wire.example/o", "date": "2024-05-02T09:00:00", "text": CLAIM},
    {
        "id": "t",
        "url": "https://echo.example/t",
        "date": "2024-05-02T09:00:00",
        "text": CLAIM + " Officials gave no reason.",
    },
    {
        "id": "c",
        "url": "https://daily.example/c",
        "date": "2024-05-03",
        "text": "KYIV, May 3 (Wire) - " + CLAIM + " Shipping firms asked for compensation.",
    },
    {"id": "u", "url": "https://blog.example/u", "text": CLAIM + " Nobody has explained why."},
    # a hard negative: same actors and place, another figure and claim
    {
        "id": "neg",
        "url": "https://other.example/n",
        "date": "2024-05-03",
        "text": "The Harlow Port Authority said 95 new cranes will be installed at the Vessen "
        "terminal next year.",
    },
    # junk: the same pasted name list in two articles, and a byline
    {
        "id": "j1",
        "url": "https://list.example/1",
        "date": "2024-05-04",
        "text": "Anna Brell, Tomas Okafor, Mira Dalgaard, Piet Ruhl, Jonas Weir, Ola Sand, "
        "Kit Marr, Ines Lobo.",
    },
    {
        "id": "j2",
        "url": "https://list.example/2",
        "date": "2024-05-04",
        "text": "Anna Brell, Tomas Okafor, Mira Dalgaard, Piet Ruhl, Jonas Weir, Ola Sand, "
        "Kit Marr, Ines Lobo.",
    },
]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Anna Brell, Tomas Okafor, Mira Dalgaard, Piet Ruhl, Jonas Weir, Ola Sand", "name_list"),
        ("Alice Brown Bob Green Carol White David Black Eve Stone Frank Hill", "name_list"),
        ("Иван Петров, Ольга Иванова, Сергей Смирнов, Анна Козлова, Пётр Соколов", "name_list"),
        ("By John Smith and Jane Doe, Reuters", "byline"),
        ("KYIV, March 4 (Reuters) -", "dateline"),
        ("Published 12:30 GMT, 4 March 2024", "dateline"),
        ("Copyright 2024 Wire Agency. All rights reserved.", "boilerplate"),
        ("Reporting by Tom Balm; Editing by Alex Rich", "boilerplate"),
        ("We use cookies to improve your experience on Harlow News.", "boilerplate"),
        (CLAIM, None),
        ("Ukraine, Poland and Germany agreed to meet in Geneva on 12 May.", None),
        ("By the end of 2024 the ministry will close 40 offices in Vessen.", None),
    ],
)
def test_junk_is_not_a_claim(text, reason):
    assert junk_reason(text) == reason
    if reason:
        assert not eligible(text, 3)


def test_dateline_is_cut_before_comparing():
    assert comparable_text("KYIV, May 3 (Wire) - " + CLAIM) == CLAIM
    assert comparable_text("WASHINGTON (AP) — The Pentagon said 300 troops will go.").startswith(
        "The Pentagon"
    )


def test_rewordings_keep_figures_and_share_a_name_by_alias():
    origin = anchors("The Russian Defence Ministry said 40 drones were shot down over Belgorod.")
    assert rewording_anchors_agree(
        origin, anchors("Russia says 40 drones were downed at Belgorod.")
    )
    assert not rewording_anchors_agree(origin, anchors("Russia says 12 drones were downed."))
    assert not rewording_anchors_agree(origin, anchors("Finland says 40 drones crossed Lapland."))


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("The ministry said 300 trucks crossed the border at Rafah on Monday.", "en"),
        ("Министерство заявило, что в понедельник 300 грузовиков пересекли границу.", "ru"),
        (
            "Das Ministerium teilte mit, dass am Montag 300 Lastwagen die Grenze überquert hätten.",
            "de",
        ),
    ],
)
def test_unit_language(text, lang):
    assert unit_language(text, None) == lang
    assert unit_language(text, "xx-YY") == "xx"  # the article's language wins


def test_origin_status_shows_ties_and_missing_dates():
    import datetime as dt

    day = dt.datetime(2024, 5, 2, 9)
    ms = [
        {"article_id": 1, "date": day, "domain": "a"},
        {"article_id": 2, "date": day, "domain": "b"},
        {"article_id": 3, "date": day + dt.timedelta(days=1), "domain": "a"},
        {"article_id": 4, "date": None, "domain": "c"},
    ]
    st = origin_status(ms)
    assert st["tied"] == [1, 2] and st["no_date"] == 1 and not st["unknown"]
    assert origin_status([{"article_id": 1, "date": None}])["unknown"]
    days = spread(ms)
    assert [d["day"] for d in days] == ["2024-05-02", "2024-05-03", "no date"]
    assert days[0]["new_outlets"] == ["a", "b"] and days[1]["new_outlets"] == []
    assert days[2]["new_outlets"] == ["c"]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("claims")
    src = tmp / "c.jsonl"
    src.write_text("\n".join(json.dumps(a) for a in ARTICLES) + "\n", encoding="utf-8")
    db = tmp / "c.duckdb"
    with open_store(db) as store:
        ingest(store, [src])
        run(store, stages=[], batch=16)
        summary = build_narratives(store, NarrativeConfig(encoder="hashing"))
    return {"db": db, "summary": summary, "src": src}


def test_junk_forms_no_narrative_and_negatives_stay_apart(corpus):
    with open_store(corpus["db"], read_only=True) as store:
        ext = {i: e for e, i in store.query("SELECT ext_id, id FROM articles")}
        rows = store.query("SELECT narrative_id, article_id FROM narrative_members")
    groups: dict[int, set[str]] = {}
    for nid, aid in rows:
        groups.setdefault(nid, set()).add(ext[aid])
    assert {"o", "t", "c", "u"} in groups.values()
    assert all(not ({"j1", "j2", "neg"} & g) for g in groups.values())
    assert corpus["summary"].junk["name_list"] >= 1  # j2 is collapsed into j1 first


def test_cli_shows_origin_tie_undated_member_and_timeline(corpus):
    res = CliRunner().invoke(cli, ["narratives", "--db", str(corpus["db"]), "--no-build"])
    assert res.exit_code == 0, res.output
    out = res.output
    assert "origin candidate: 2024-05-02 09:00:00" in out
    assert "tied: 2 articles share the earliest date" in out
    assert "1 article(s) have no date" in out
    assert "2024-05-02" in out and "no date" in out and "first: wire.example, echo.example" in out
    assert "languages: en" in out


@pytest.mark.parametrize(
    ("records", "message"),
    [
        ([], "holds no articles"),
        (
            [{"id": str(i), "text": CLAIM, "url": f"https://x{i}.example/"} for i in range(5)],
            "only 1 analysed article",
        ),
        (
            [
                {"id": str(i), "text": f"{CLAIM} Case {i}.", "url": f"https://x{i}.example/"}
                for i in range(3)
            ],
            None,
        ),
    ],
    ids=["empty", "all-identical", "no-dates"],
)
def test_bad_corpora_get_a_clear_message(tmp_path, records, message):
    db = tmp_path / "b.duckdb"
    src = tmp_path / "b.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in records) or "\n", encoding="utf-8")
    with open_store(db) as store:
        if records:
            ingest(store, [src])
            run(store, stages=[], batch=16)
    res = CliRunner().invoke(cli, ["narratives", "--db", str(db), "--encoder", "hashing", "-q"])
    assert res.exit_code == 0, res.output
    if message:
        assert message in res.output
    else:  # no dates at all: a narrative whose origin is unknown, said so
        assert "origin unknown: no member has a date" in res.output
        assert "3 article(s) have no date" in res.output


def test_older_narratives_are_flagged(corpus, tmp_path):
    import shutil

    db = tmp_path / "old.duckdb"
    shutil.copy(corpus["db"], db)
    with open_store(db) as store:
        store.con.execute("DELETE FROM meta WHERE key = 'narratives_version'")
    res = CliRunner().invoke(cli, ["narratives", "--db", str(db), "--no-build"])
    assert res.exit_code == 0 and "built by an older newsift" in res.output


def test_web_narrative_page_shows_ties_undated_and_languages(corpus):
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    from newsift.web.app import create_app
    from newsift.web.corpus_store import StoreCorpus

    store = StoreCorpus(str(corpus["db"]))
    n = store.narrative("1")
    assert n is not None and len(n["origin_tied"]) == 2 and n["undated"] == 1
    assert n["languages"] == ["en"] and all(m["language"] == "en" for m in n["members"])
    page = TestClient(create_app(corpus=store, allowed_hosts=["testserver"])).get("/narratives/1")
    assert page.status_code == 200
    assert 'id="origin-tied"' in page.text and 'id="undated"' in page.text
    assert "Languages: en" in page.text
