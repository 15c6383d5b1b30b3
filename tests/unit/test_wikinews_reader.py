"""The German Wikinews reader says which file is wrong instead of failing inside the scorer."""

from __future__ import annotations

import gzip
import json

import pytest

from newsift.errors import DataError
from newsift.eval.attribution_languages import read_wikinews


def _write(path, payload: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(gzip.compress(payload))


def test_a_file_that_is_not_an_article_is_named(tmp_path):
    bad = tmp_path / "train" / "r.json.gz"
    _write(bad, json.dumps([1, 2, 3]).encode())
    with pytest.raises(DataError, match="r.json.gz: not a Wikinews article"):
        read_wikinews(tmp_path)


def test_a_file_that_is_not_gzipped_json_is_named(tmp_path):
    bad = tmp_path / "dev" / "x.json.gz"
    _write(bad, b"{not json")
    with pytest.raises(DataError, match="x.json.gz: not a gzipped JSON"):
        read_wikinews(tmp_path)


def test_an_article_is_read(tmp_path):
    doc = {"documentName": "Beispiel", "originalText": "Er sagte, es regne.", "annotations": []}
    _write(tmp_path / "train" / "a.json.gz", json.dumps(doc).encode())
    assert [d["documentName"] for d in read_wikinews(tmp_path)] == ["Beispiel"]
