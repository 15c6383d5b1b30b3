"""``newsift eval checkworthy`` and ``newsift eval claim-matching`` on tiny hand-written files."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from newsift.cli import cli
from newsift.errors import DataError
from newsift.eval.checkworthy import prf, read_gold
from newsift.eval.claim_matching import average_precision, ranking_metrics, read_qrels

SENTENCES = [
    ("Unemployment fell to 3.5 percent in 2019, the lowest rate in fifty years.", "Yes", "1"),
    ("Thank you all for coming tonight.", "No", "-1"),
    ("The deficit rose by $300 billion last year.", "Yes", "1"),
    ("I went to school in Ohio.", "No", "0"),
]


def test_checkthat_tsv_and_claimbuster_csv(tmp_path):
    tsv = tmp_path / "ct.tsv"
    tsv.write_text(
        "Sentence_id\tText\tclass_label\n"
        + "".join(f"{i}\t{t}\t{y}\n" for i, (t, y, _) in enumerate(SENTENCES)),
        encoding="utf-8",
    )
    csv_path = tmp_path / "cb.csv"
    csv_path.write_text(
        "Sentence_id,Text,Verdict\n"
        + "".join(f'{i},"{t}",{v}\n' for i, (t, _, v) in enumerate(SENTENCES)),
        encoding="utf-8",
    )
    assert read_gold(tsv).binary == read_gold(csv_path).binary == [1, 0, 1, 0]
    assert read_gold(csv_path).three == [2, 0, 2, 1]
    runner = CliRunner()
    res = runner.invoke(cli, ["eval", "checkworthy", str(csv_path), "--mode", "fast", "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    assert out["sentences"] == 4 and out["positives"] == 2
    assert set(out["check_worthy"]) == {"f1", "precision", "recall"}
    assert "three_class" in out
    res = runner.invoke(cli, ["eval", "checkworthy", str(tsv), "--mode", "fast"])
    assert res.exit_code == 0 and "check-worthy F1" in res.output


def test_checkworthy_bad_label_names_file_and_line(tmp_path):
    bad = tmp_path / "bad.tsv"
    bad.write_text("Sentence_id\tText\tclass_label\n1\tA sentence.\tMaybe\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"bad.tsv line 2"):
        read_gold(bad)


def test_prf():
    assert prf([1, 0, 1, 0], [1, 1, 0, 0]) == {"f1": 0.5, "precision": 0.5, "recall": 0.5}


def test_map_as_checkthat_computes_it():
    assert average_precision({"a"}, ["b", "a", "c"], 5) == 0.5
    assert average_precision({"a", "c"}, ["a", "b", "c"], 5) == pytest.approx((1 + 2 / 3) / 2)
    assert average_precision({"a"}, ["b", "c", "d", "e", "f", "a"], 5) == 0.0
    m = ranking_metrics({"q1": {"a"}, "q2": {"x"}}, {"q1": ["a"], "q2": ["y", "x"]}, ks=(1, 5))
    assert m["map@1"] == 0.5 and m["map@5"] == 0.75 and m["mrr"] == 0.75
    assert m["recall@1"] == 0.5 and m["recall@5"] == 1.0


def test_claim_matching_command_bm25(tmp_path):
    coll = tmp_path / "vclaims.jsonl"
    coll.write_text(
        "".join(
            json.dumps(r) + "\n"
            for r in [
                {
                    "vclaim_id": "v1",
                    "vclaim": "Drinking bleach cures the virus.",
                    "title": "Bleach cure",
                },
                {
                    "vclaim_id": "v2",
                    "vclaim": "The bridge in Lisbon collapsed in May.",
                    "title": "",
                },
                {
                    "vclaim_id": "v3",
                    "vclaim": "Senator Smith voted against the budget.",
                    "title": "",
                },
            ]
        ),
        encoding="utf-8",
    )
    queries = tmp_path / "q.tsv"
    queries.write_text(
        "q1\tDoes drinking bleach really cure the virus?\n"
        "q2\tSmith voted against the budget, again\n",
        encoding="utf-8",
    )
    qrels = tmp_path / "qrels.tsv"
    qrels.write_text("q1\t0\tv1\t1\nq2\t0\tv3\t1\n", encoding="utf-8")
    res = CliRunner().invoke(
        cli,
        [
            "eval",
            "claim-matching",
            "--queries",
            str(queries),
            "--qrels",
            str(qrels),
            "--collection",
            str(coll),
            "--method",
            "bm25",
            "--json",
        ],
    )
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    assert out["queries"] == 2 and out["map@5"] == 1.0 and out["mrr"] == 1.0


def test_qrels_errors_name_file_and_line(tmp_path):
    qrels = tmp_path / "qrels.tsv"
    qrels.write_text("q1 0 v1 1\nq2 v2\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"qrels.tsv line 2"):
        read_qrels(qrels)


def _news_gold(tmp_path, sentences):
    """A made-up PTC-style article under tmp_path/data and a news gold that points into it."""
    text = "Harbour bridge closes\n\n" + " ".join(s for s, _, _ in SENTENCES)
    art = tmp_path / "data" / "ptc" / "train" / "articles"
    art.mkdir(parents=True)
    (art / "article1.txt").write_text(text, encoding="utf-8")
    spans = []
    for s, label in sentences:
        start = text.index(s)
        spans.append([start, start + len(s), label])
    gold = tmp_path / "gold.jsonl"
    gold.write_text(
        json.dumps({"dataset": "ptc", "doc": "1", "part": "score", "sentences": spans}) + "\n",
        encoding="utf-8",
    )
    return gold


def test_news_gold_is_read_from_offsets_and_scored(tmp_path):
    from newsift.eval.checkworthy import load_news_gold

    labels = ["cfs", "nfs", "cfs", "ufs"]
    gold = _news_gold(
        tmp_path, [(s, lab) for (s, _, _), lab in zip(SENTENCES, labels, strict=True)]
    )
    sents = load_news_gold(tmp_path, gold)
    assert [s.text for s in sents] == [s for s, _, _ in SENTENCES]
    assert [s.label for s in sents] == [1, 0, 1, 0] and [s.three for s in sents] == [2, 0, 2, 1]
    res = CliRunner().invoke(
        cli,
        [
            "eval",
            "checkworthy",
            str(gold),
            "--news",
            "--shared",
            str(tmp_path),
            "--mode",
            "fast",
            "--json",
        ],
    )
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    assert out["sentences"] == 4 and out["articles"] == 1 and out["share_gold"] == 0.5
    assert 0.0 <= out["share_predicted"] <= 1.0 and "three_class" in out


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (
            {"dataset": "ptc", "doc": "1", "part": "score", "sentences": [[0, 10_000, "cfs"]]},
            "outside",
        ),
        ({"dataset": "ptc", "doc": "1", "part": "score", "sentences": [[0, 5, "maybe"]]}, "label"),
        ({"dataset": "ptc", "doc": "1", "part": "later", "sentences": []}, "part"),
        ({"dataset": "ptc", "doc": "2", "part": "score", "sentences": [[0, 5, "cfs"]]}, "missing"),
    ],
)
def test_news_gold_errors_name_the_line(tmp_path, row, message):
    from newsift.eval.checkworthy import load_news_gold

    _news_gold(tmp_path, [(SENTENCES[0][0], "cfs")])
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps(row) + "\n", encoding="utf-8")
    with pytest.raises(DataError, match=message):
        load_news_gold(tmp_path, bad)
