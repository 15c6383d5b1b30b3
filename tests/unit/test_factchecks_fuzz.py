"""Property tests: no input makes the fact-check reader or import fail with anything but a
DataError, and every line or item ends as a record, a duplicate or an issue (nothing lost)."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsift.errors import DataError
from newsift.factchecks.records import MAX_CHARS, read_file
from newsift.factchecks.store import import_collection

pytestmark = pytest.mark.fuzz

_KEYS = [
    "id",
    "claim",
    "title",
    "url",
    "rating",
    "date",
    "speaker",
    "vclaim",
    "claimReviewed",
    "@type",
    "reviewRating",
    "itemReviewed",
    "truth_label",
]
_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=40)
    | st.just("ClaimReview"),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.sampled_from(["name", "@id", "x"]), inner, max_size=2)
    ),
    max_leaves=6,
)
_record = st.dictionaries(st.sampled_from(_KEYS) | st.text(max_size=5), _values, max_size=6)
_odd = st.sampled_from(
    [
        b'{"claim": "lone \\ud800 surrogate"}',
        b'{"claim": "\\udfff", "id": "\\ud800"}',
        b"\xff\xfe bad bytes",
        b"[1, 2]",
        b"null",
        b"{}",
        b'{"claim": 5, "date": null}',
        b'{"title": "only a title"}',
    ]
)
_line = st.one_of(
    _record.map(lambda r: json.dumps(r).encode()),
    _odd,
    st.binary(max_size=50).map(lambda b: b.replace(b"\n", b" ")),
    st.integers(1, 5000).map(lambda n: b"[" * n + b"]" * n),
)
FIRST = json.dumps({"id": "first", "claim": "The first claim of the file."}).encode()


@given(lines=st.lists(_line, max_size=12))
def test_jsonl_every_line_is_a_record_a_duplicate_or_an_issue(tmp_path_factory, lines):
    path = tmp_path_factory.mktemp("fc") / "c.jsonl"
    path.write_bytes(b"\n".join([FIRST, *lines]) + b"\n")  # a JSON first line: read as JSONL
    result = read_file(path)
    non_blank = 1 + sum(1 for line in lines if line.strip())
    assert len(result.records) + len(result.duplicates) + len(result.issues) == non_blank
    assert all(str(path) in str(i) and i.line >= 1 for i in result.issues)
    for rec in result.records:
        assert rec["claim"] and all(len(rec[k]) <= n for k, n in MAX_CHARS.items())
        json.dumps(rec).encode("utf-8")  # storable: no lone surrogates


@given(items=st.lists(_record, max_size=8), wrap=st.sampled_from(["graph", "list", "line"]))
def test_claimreview_items_are_read_one_by_one(tmp_path_factory, items, wrap):
    items = [{**it, "@type": "ClaimReview"} for it in items]
    path = tmp_path_factory.mktemp("cr") / "c.json"
    if wrap == "list":
        path.write_text(json.dumps(items, indent=1), encoding="utf-8")
    else:
        doc = {"@context": "https://schema.org", "@graph": items}
        path.write_text(json.dumps(doc, indent=None if wrap == "line" else 1), encoding="utf-8")
    result = read_file(path)
    got = len(result.records) + len(result.duplicates) + len(result.issues)
    assert got == (len(items) or 1)  # an empty document is one issue


@given(data=st.binary(max_size=300) | _line.map(lambda b: b + b"\n"))
def test_import_of_any_bytes_is_a_collection_or_one_data_error_and_leaves_nothing(
    tmp_path_factory, data
):
    root = tmp_path_factory.mktemp("store")
    path = root / "in.jsonl"
    path.write_bytes(data)
    try:
        summary = import_collection(path, name="fz", root=root / "c", dense=False)
    except DataError as err:
        assert str(path) in err.message
    else:
        assert summary.added >= 1
    if (root / "c").exists():
        assert [p.name for p in (root / "c").iterdir()] in ([], ["fz"])
