"""The SemEval-2020 Task 11 scorer and the PTC label-file reader, on hand-made spans."""

from __future__ import annotations

import pytest

from newsift.errors import DataError
from newsift.persuasion import LABELS, TECHNIQUES
from newsift.persuasion.data import load_dir, read_label_file
from newsift.persuasion.scorer import (
    merge_spans,
    si_score,
    span_technique_score,
    tc_score,
)


def test_techniques_have_explanations():
    assert len(TECHNIQUES) == 14
    assert LABELS == tuple(sorted(TECHNIQUES))
    assert all(isinstance(v, str) and len(v) > 20 for v in TECHNIQUES.values())


def test_merge_spans():
    assert merge_spans([(5, 10), (0, 3), (8, 12), (12, 14)]) == [(0, 3), (5, 12), (12, 14)]


def test_si_perfect_and_empty():
    gold = {"a": [(0, 10), (20, 30)]}
    assert si_score(gold, gold).f1 == 1.0
    assert si_score({}, gold).f1 == 0.0
    assert si_score({}, {"a": []}).f1 == 1.0  # nothing to find, nothing found


def test_si_partial_overlap_matches_the_official_formula():
    gold = {"a": [(0, 10)]}
    pred = {"a": [(5, 15)]}
    r = si_score(pred, gold)
    # |s∩t| = 5: P = 5/10, R = 5/10
    assert r.precision == pytest.approx(0.5)
    assert r.recall == pytest.approx(0.5)
    assert r.f1 == pytest.approx(0.5)


def test_si_one_prediction_over_two_gold_spans():
    gold = {"a": [(0, 10), (20, 30)]}
    pred = {"a": [(0, 30)]}
    r = si_score(pred, gold)
    assert r.precision == pytest.approx(20 / 30)  # one prediction covering 20 of its 30 chars
    assert r.recall == pytest.approx(1.0)  # both gold spans fully covered


def test_si_merges_overlapping_predictions_and_gold():
    gold = {"a": [(0, 10), (5, 12)]}
    pred = {"a": [(0, 6), (4, 12)]}
    assert si_score(pred, gold).f1 == pytest.approx(1.0)


def test_tc_micro_f1_counts_duplicate_spans():
    gold = {"a": [(0, 5, "Doubt"), (0, 5, "Loaded_Language"), (7, 9, "Slogans")]}
    pred = {"a": [(0, 5, "Doubt"), (0, 5, "Repetition"), (7, 9, "Slogans")]}
    r = tc_score(pred, gold)
    assert r.f1 == pytest.approx(2 / 3)


def test_span_technique_needs_the_same_label():
    gold = {"a": [(0, 10, "Doubt")]}
    assert span_technique_score({"a": [(0, 10, "Doubt")]}, gold).f1 == 1.0
    assert span_technique_score({"a": [(0, 10, "Slogans")]}, gold).f1 == 0.0


def _write_dir(tmp_path, si_lines, tc_lines):
    (tmp_path / "articles").mkdir()
    (tmp_path / "labels-si").mkdir()
    (tmp_path / "labels-tc").mkdir()
    (tmp_path / "articles" / "article42.txt").write_text("Title\n\nThey are traitors. Shame!\n")
    (tmp_path / "labels-si" / "article42.task1-SI.labels").write_text(si_lines)
    (tmp_path / "labels-tc" / "article42.task2-TC.labels").write_text(tc_lines)
    return tmp_path


def test_load_dir_reads_both_label_sets(tmp_path):
    d = _write_dir(tmp_path, "42\t16\t24\n", "42\tName_Calling,Labeling\t16\t24\n")
    [art] = load_dir(d)
    assert art.id == "42"
    assert art.si == [(16, 24)]
    assert art.tc == [(16, 24, "Name_Calling,Labeling")]
    assert art.text[16:24] == "traitors"


@pytest.mark.parametrize(
    ("si", "tc", "needle"),
    [
        ("42\t16\n", "", "line 1: expected 3"),
        ("42\t16\t24\n42\tx\t30\n", "", "line 2: start 'x'"),
        ("42\t20\t10\n", "", "line 1: span 20-10"),
        ("42\t16\t999\n", "", "article length"),
        ("7\t16\t24\n", "", "does not match"),
        ("", "42\tPropaganda\t16\t24\n", "unknown technique"),
    ],
)
def test_malformed_label_files_name_file_and_line(tmp_path, si, tc, needle):
    d = _write_dir(tmp_path, si, tc)
    with pytest.raises(DataError) as err:
        load_dir(d)
    assert needle in err.value.message
    assert "article42.task" in err.value.message


def test_missing_articles_folder(tmp_path):
    with pytest.raises(DataError, match="no 'articles/' folder"):
        load_dir(tmp_path)


def test_read_label_file_skips_blank_lines(tmp_path):
    p = tmp_path / "x.labels"
    p.write_text("1\t0\t3\n\n1\t4\t6\n")
    assert read_label_file(p, with_technique=False) == [(0, 3), (4, 6)]
