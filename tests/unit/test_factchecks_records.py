"""Reading fact-check collections: JSONL, ClaimReview JSON-LD, bad lines, duplicates."""

from __future__ import annotations

import json

import pytest

from newsift.errors import DataError
from newsift.factchecks.records import FIELDS, from_claimreview, normalize, read_file

CLAIMREVIEW = {
    "@context": "https://schema.org",
    "@type": "ClaimReview",
    "url": "https://factcheck.example/us-isis",
    "claimReviewed": "The US protects ISIS fighters in Syria.",
    "datePublished": "2018-06-20",
    "author": {"@type": "Organization", "name": "Example Check"},
    "reviewRating": {"@type": "Rating", "ratingValue": 1, "alternateName": "False"},
    "itemReviewed": {
        "@type": "Claim",
        "author": {"@type": "Organization", "name": "Some Ministry"},
    },
}


def _write(path, lines):
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_jsonl_records_keep_all_fields(tmp_path):
    rec = {
        "id": "a1",
        "claim": "Crime fell 10% in 2019.",
        "title": "t",
        "url": "u",
        "rating": "False",
        "date": "2020-01-01",
        "speaker": "X",
    }
    result = read_file(_write(tmp_path / "c.jsonl", [json.dumps(rec)]))
    assert result.records == [rec]
    assert not result.issues and not result.duplicates


def test_bad_lines_are_reported_with_file_and_line(tmp_path):
    path = _write(
        tmp_path / "c.jsonl",
        [
            json.dumps({"id": "1", "claim": "one"}),
            "{not json",
            json.dumps(["a", "list"]),
            json.dumps({"id": "4", "url": "no claim"}),
            json.dumps({"id": "5", "claim": "five"}),
        ],
    )
    result = read_file(path)
    assert [r["id"] for r in result.records] == ["1", "5"]
    lines = [i.line for i in result.issues]
    assert lines == [2, 3, 4]
    assert all(str(path) in str(i) for i in result.issues)
    assert "line 4" in str(result.issues[2]) and "claim" in result.issues[2].message


def test_duplicate_ids_kept_once_and_reported(tmp_path):
    path = _write(
        tmp_path / "c.jsonl",
        [
            json.dumps({"id": "x", "claim": "first"}),
            json.dumps({"id": "x", "claim": "second"}),
        ],
    )
    result = read_file(path)
    assert [r["claim"] for r in result.records] == ["first"]
    assert result.duplicates == ["x"]


def test_checkthat_layout_is_mapped():
    rec = normalize(
        {"vclaim_id": "v1", "vclaim": "Claim text", "title": "T", "truth_label": "pants-fire"}
    )
    assert rec["id"] == "v1" and rec["claim"] == "Claim text" and rec["rating"] == "pants-fire"
    assert set(rec) == set(FIELDS)


def test_missing_id_is_derived_stably():
    a = normalize({"claim": "Same claim", "url": "https://x.example/1"})
    b = normalize({"claim": "Same claim", "url": "https://x.example/1"})
    assert a["id"] == b["id"] and a["id"].startswith("fc-")


def test_claimreview_mapping():
    rec = from_claimreview(CLAIMREVIEW)
    assert rec["claim"] == CLAIMREVIEW["claimReviewed"]
    assert rec["rating"] == "False"
    assert rec["speaker"] == "Some Ministry"
    assert rec["date"] == "2018-06-20"
    assert rec["url"] == CLAIMREVIEW["url"]


@pytest.mark.parametrize(
    "wrap",
    [
        lambda o: o,
        lambda o: [o, {**o, "url": "https://factcheck.example/2", "claimReviewed": "Other"}],
        lambda o: {"@context": "https://schema.org", "@graph": [o]},
    ],
)
def test_claimreview_documents(tmp_path, wrap):
    path = tmp_path / "reviews.json"
    path.write_text(json.dumps(wrap(CLAIMREVIEW), indent=2), encoding="utf-8")
    result = read_file(path)
    assert result.records and result.records[0]["rating"] == "False"
    assert not result.issues


def test_claimreview_per_line(tmp_path):
    path = _write(
        tmp_path / "reviews.jsonl", [json.dumps(CLAIMREVIEW), json.dumps({"@type": "ClaimReview"})]
    )
    result = read_file(path)
    assert len(result.records) == 1
    assert result.issues[0].line == 2 and "claimReviewed" in result.issues[0].message


def test_broken_json_document_is_a_data_error(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('[{"@type": "ClaimReview",\n  "claimReviewed": ', encoding="utf-8")
    with pytest.raises(DataError, match="bad.json"):
        read_file(path)


def test_missing_file_is_a_data_error(tmp_path):
    with pytest.raises(DataError, match="no such file"):
        read_file(tmp_path / "nope.jsonl")


def test_claimreview_document_issue_names_the_item(tmp_path):
    path = tmp_path / "reviews.json"
    doc = {"@graph": [CLAIMREVIEW, {"@type": "ClaimReview", "url": "https://fc.example/x"}]}
    path.write_text(json.dumps(doc, indent=2), encoding="utf-8")
    result = read_file(path)
    assert len(result.records) == 1
    (issue,) = result.issues
    assert (issue.line, issue.item) == (0, 2)
    assert str(issue) == f"{path} ClaimReview item 2: ClaimReview without 'claimReviewed' text"
