"""Fact-check import and bad input: every bad record is an issue naming its file and line (and
item), the good ones around it are imported, fields are capped, and nothing is left behind."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from newsift.cli import cli
from newsift.errors import DataError
from newsift.factchecks.records import MAX_CHARS, read_file
from newsift.factchecks.store import Collection, import_collection, save_collection


def review(i: int, **extra) -> dict:
    return {
        "@type": "ClaimReview",
        "url": f"https://fc.example/{i}",
        "claimReviewed": f"Claim number {i} about the harbour wall is false.",
        **extra,
    }


def _no_leftovers(root) -> None:
    if root.exists():
        assert not [p.name for p in root.iterdir() if p.name.endswith((".tmp", ".old"))]


def test_minified_graph_imports_every_good_item_around_bad_ones(tmp_path):
    bad_claim = {"@type": "ClaimReview", "url": "https://fc.example/2"}
    odd = {
        "@type": "ClaimReview",
        "claimReviewed": {"nested": [1]},
        "reviewRating": "x",
        "itemReviewed": 5,
    }
    doc = {
        "@context": "https://schema.org",
        "@graph": [review(1), bad_claim, review(3), odd, review(5)],
    }
    path = tmp_path / "minified.json"
    path.write_text(json.dumps(doc, separators=(",", ":")), encoding="utf-8")
    result = read_file(path)
    assert [r["url"] for r in result.records] == [f"https://fc.example/{i}" for i in (1, 3, 5)]
    assert [(i.line, i.item) for i in result.issues] == [(1, 2), (1, 4)]
    assert str(result.issues[0]).startswith(f"{path} line 1, ClaimReview item 2: ")


def test_one_bad_line_costs_that_line_only(tmp_path):
    path = tmp_path / "c.jsonl"
    path.write_bytes(
        b"\xef\xbb\xbf"
        + json.dumps({"id": "a", "claim": "First claim."}).encode()
        + b"\n"
        + b'{"id": "s", "claim": "Lone \\ud800 surrogate."}\n'
        + b"[" * 100_000
        + b"]" * 100_000
        + b"\n"
        + b'{"id": "latin", "claim": "caf\xe9"}\n'
        + json.dumps({"id": "n", "claim": 12345, "date": ["2020", "01"]}).encode()
        + b"\n"
        + json.dumps({"id": "nodate", "claim": "A case without a date."}).encode()
        + b"\n"
        + json.dumps({"id": "z", "claim": "Last claim."}).encode()
        + b"\n"
    )
    result = read_file(path)
    by_id = {r["id"]: r for r in result.records}
    assert sorted(by_id) == ["a", "n", "nodate", "s", "z"]
    assert by_id["s"]["claim"] == "Lone \ufffd surrogate."
    assert by_id["nodate"]["date"] == "" and by_id["n"]["claim"] == "12345"
    assert [(i.line, i.message.split(" (")[0]) for i in result.issues] == [
        (3, "nested too deeply to read"),
        (4, "not UTF-8 text"),
    ]


def test_long_fields_are_cut_and_counted(tmp_path):
    path = tmp_path / "long.jsonl"
    claim = "word " * 400_000  # 2 MB
    path.write_text(
        json.dumps({"id": "big", "claim": claim, "title": "t" * 5000})
        + "\n"
        + json.dumps({"id": "ok", "claim": "Short claim."})
        + "\n",
        encoding="utf-8",
    )
    result = read_file(path)
    big = result.records[0]
    assert len(big["claim"]) <= MAX_CHARS["claim"] and big["claim"].endswith("…")
    assert len(big["title"]) <= MAX_CHARS["title"]
    assert result.truncated == ["big"] and result.records[1]["claim"] == "Short claim."
    res = CliRunner().invoke(
        cli, ["factchecks", "import", str(path), "--no-dense", "--data-dir", str(tmp_path / "s")]
    )
    assert res.exit_code == 0 and "truncated: 1 records" in res.output, res.output


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "no fact-check records to import; the file holds no records"),
        (b"\n  \n", "no fact-check records"),
        (b"{not json\n", "line 1: not valid JSON"),
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
        (b'[{"@type": "ClaimReview", "claimReviewed": "x"}, \xff]', "line 1: not UTF-8"),
        (b'{"@type": "ClaimReview",\n "claimReviewed": "x",\n "url": ', "line 3: not valid JSON"),
    ],
)
def test_unusable_files_are_one_clear_error_and_leave_nothing(tmp_path, content, expected):
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    root = tmp_path / "store"
    res = CliRunner().invoke(
        cli,
        ["factchecks", "import", str(path), "--name", "bad", "--no-dense", "--data-dir", str(root)],
    )
    assert res.exit_code == 2, res.output
    assert "Traceback" not in res.output and expected in res.output and str(path) in res.output
    assert len(res.output.strip().splitlines()) == 1
    assert not (root / "bad").exists()
    _no_leftovers(root)


def test_a_failed_save_leaves_no_temp_folder_and_keeps_the_old_collection(tmp_path, monkeypatch):
    from newsift.factchecks import store

    src = tmp_path / "c.jsonl"
    src.write_text(json.dumps({"id": "a", "claim": "The first claim."}) + "\n", encoding="utf-8")
    import_collection(src, name="c", root=tmp_path, dense=False)

    def broken(records):
        raise OSError("disk full")

    monkeypatch.setattr(store, "build_bm25", broken)
    src.write_text(json.dumps({"id": "b", "claim": "The second claim."}) + "\n", encoding="utf-8")
    with pytest.raises(OSError, match="disk full"):
        import_collection(src, name="c", root=tmp_path, dense=False)
    _no_leftovers(tmp_path)
    assert [r["id"] for r in Collection.load(tmp_path / "c").records] == ["a"]
    with pytest.raises(KeyboardInterrupt):  # Ctrl-C in the middle of a save
        monkeypatch.setattr(
            store, "build_bm25", lambda records: (_ for _ in ()).throw(KeyboardInterrupt())
        )
        save_collection(
            tmp_path / "c", {"name": "c", "count": 1}, [{"id": "x", "claim": "y"}], None
        )
    _no_leftovers(tmp_path)
    assert [r["id"] for r in Collection.load(tmp_path / "c").records] == ["a"]


def test_a_surrogate_import_writes_a_valid_collection(tmp_path):
    path = tmp_path / "s.jsonl"
    path.write_text(
        '{"id": "s", "claim": "Lone \\udc80 surrogate \\ud800 claim."}\n', encoding="utf-8"
    )
    res = CliRunner().invoke(
        cli, ["factchecks", "import", str(path), "--no-dense", "--data-dir", str(tmp_path)]
    )
    assert res.exit_code == 0, res.output
    (rec,) = Collection.load(tmp_path / "s").records
    assert rec["claim"] == "Lone \ufffd surrogate \ufffd claim."
    _no_leftovers(tmp_path)


def test_not_a_file_is_a_data_error(tmp_path):
    with pytest.raises(DataError, match="not a regular file"):
        read_file(tmp_path)


def test_euvsdisinfo_case_list_bad_rows_are_noted_with_their_row(tmp_path):
    from newsift.factchecks import euvsdisinfo

    posts = tmp_path / "posts.csv"
    posts.write_text(
        "\ufeffdate,id,title,outlets\n"
        "2020-01-02,https://euvsdisinfo.eu/report/a/,Case A claim,one+two\n"
        ",https://euvsdisinfo.eu/report/b/,Case B has no date,\n"
        "2020-01-03,,No case URL,\n"
        "2020-01-04,https://euvsdisinfo.eu/report/a/,Case A again,\n"
        "2020-01-05,https://euvsdisinfo.eu/report/c/\n",
        encoding="utf-8",
    )
    notes: list[str] = []
    records = euvsdisinfo.read_posts(posts, notes)
    assert [r["id"] for r in records] == ["b", "a"]  # sorted by date, the undated first
    assert records[1]["speaker"] == "one, two"
    assert [n.split(": ")[0] for n in notes] == [f"{posts} row {i}" for i in (2, 3, 4, 5)]
    assert "no date; kept undated" in notes[0] and "kept once" in notes[2]


@pytest.mark.parametrize("content", ["", "date,id,title\n", "just,some,columns\n1,2,3\n"])
def test_euvsdisinfo_build_from_an_unusable_file_is_a_data_error(tmp_path, content):
    from newsift.factchecks import euvsdisinfo

    posts = tmp_path / "posts.csv"
    posts.write_text(content, encoding="utf-8")
    before = euvsdisinfo.RECORDS_PATH.stat().st_mtime if euvsdisinfo.RECORDS_PATH.exists() else None

    class NoEncoder:
        def encode(self, texts):
            raise AssertionError("nothing to encode")

    with pytest.raises(DataError, match="posts.csv"):
        euvsdisinfo.build(posts, encoder=NoEncoder())
    after = euvsdisinfo.RECORDS_PATH.stat().st_mtime if euvsdisinfo.RECORDS_PATH.exists() else None
    assert before == after
