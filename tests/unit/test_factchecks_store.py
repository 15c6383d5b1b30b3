"""The local fact-check index: import, merge, duplicates, empty input, search."""

from __future__ import annotations

import json
import re
import zlib

import numpy as np
import pytest

from newsift.errors import ConfigError, DataError
from newsift.factchecks.search import FEATURES, LogisticModel, Reranker, Searcher, max_idf
from newsift.factchecks.store import (
    Collection,
    build_bm25,
    data_dir,
    import_collection,
    list_collections,
    load_collections,
    tokenize,
)


class BagEncoder:
    """A tiny stand-in encoder: hashed bag of words, L2-normalised (no model needed)."""

    dim = 384

    def encode(self, texts):
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, t in enumerate(texts):
            for w in re.findall(r"\w+", t.lower()):
                out[i, zlib.crc32(w.encode()) % self.dim] += 1
        out /= np.clip(np.linalg.norm(out, axis=1, keepdims=True), 1e-9, None)
        return out


RECORDS = [
    {
        "id": "a",
        "claim": "The US protects ISIS terrorists in Syria",
        "rating": "False",
        "url": "https://fc.example/a",
        "date": "2018-02-08",
    },
    {"id": "b", "claim": "Unemployment fell to 3.5 percent in 2019", "rating": "True"},
    {"id": "c", "claim": "The vaccine contains microchips", "rating": "Pants on fire"},
]


@pytest.fixture
def jsonl(tmp_path):
    path = tmp_path / "checks.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in RECORDS) + "\n{oops\n", encoding="utf-8")
    return path


def test_data_dir_precedence(tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSIFT_DATA_DIR", str(tmp_path / "env"))
    assert data_dir() == tmp_path / "env" / "factchecks"
    assert data_dir(tmp_path / "opt") == tmp_path / "opt"
    monkeypatch.delenv("NEWSIFT_DATA_DIR")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert data_dir() == tmp_path / "xdg" / "newsift" / "factchecks"


def test_import_then_load_and_search(tmp_path, jsonl):
    root = tmp_path / "store"
    summary = import_collection(jsonl, root=root, encoder=BagEncoder())
    assert (summary.name, summary.added, summary.total) == ("checks", 3, 3)
    assert [i.line for i in summary.issues] == [4]
    assert list_collections(root)[0]["count"] == 3
    (coll,) = load_collections(root=root)
    assert len(coll) == 3 and coll.embeddings.shape == (3, 384)
    (matches,) = Searcher([coll], encoder=BagEncoder()).search(
        ["Does the US protect ISIS in Syria?"]
    )
    assert matches[0]["id"] == "a"
    assert set(matches[0]) >= {"id", "claim", "url", "rating", "date", "score", "collection"}
    assert 0.0 <= matches[0]["score"] <= 1.0
    assert matches[0]["score"] > matches[-1]["score"]


def test_reimport_merges_and_reports_duplicates(tmp_path, jsonl):
    root = tmp_path / "store"
    import_collection(jsonl, root=root, encoder=BagEncoder())
    more = tmp_path / "more.jsonl"
    more.write_text(
        json.dumps({"id": "a", "claim": "dup"})
        + "\n"
        + json.dumps({"id": "d", "claim": "New claim"})
        + "\n",
        encoding="utf-8",
    )
    summary = import_collection(more, name="checks", root=root, encoder=BagEncoder())
    assert summary.added == 1 and summary.total == 4 and summary.duplicates == ["a"]
    (coll,) = load_collections(["checks"], root=root)
    assert [r["id"] for r in coll.records] == ["a", "b", "c", "d"]
    assert coll.records[0]["claim"] == RECORDS[0]["claim"]
    assert coll.embeddings.shape[0] == 4


def test_bm25_only_import(tmp_path, jsonl):
    import_collection(jsonl, root=tmp_path, dense=False)
    (coll,) = load_collections(root=tmp_path)
    assert coll.embeddings is None
    (matches,) = Searcher([coll]).search(["microchips in the vaccine"], k=1)
    assert matches[0]["id"] == "c"


def test_empty_collection_says_so(tmp_path):
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n", encoding="utf-8")
    with pytest.raises(DataError, match="no fact-check records"):
        import_collection(empty, root=tmp_path / "s", encoder=BagEncoder())


def test_unknown_collection_and_bad_name(tmp_path, jsonl):
    with pytest.raises(ConfigError, match="not found"):
        load_collections(["nope"], root=tmp_path)
    with pytest.raises(ConfigError, match="not usable"):
        import_collection(jsonl, name="../evil", root=tmp_path)


def test_damaged_collection_is_a_data_error(tmp_path, jsonl):
    summary = import_collection(jsonl, root=tmp_path, encoder=BagEncoder())
    (summary.folder / "records.json").write_text("{", encoding="utf-8")
    with pytest.raises(DataError, match="damaged"):
        Collection.load(summary.folder)


def test_tokenize_drops_stopwords_and_plurals():
    assert tokenize("The trucks were sent to the bases") == ["truck", "were", "sent", "base"]


def test_search_with_no_queries():
    assert Searcher([]).search([]) == []


def _narratives(kind: str | None) -> Collection:
    records = [
        {"id": "n1", "claim": "The US protects ISIS in Syria"},
        {"id": "n2", "claim": "The US helps ISIS in Syria"},
        {"id": "n3", "claim": "A bridge opened in Lisbon"},
    ]
    for r in records:
        r.update({"url": "", "rating": "catalogued", "date": "", "title": "", "speaker": ""})
    meta = {"name": "narr", "kind": kind} if kind else {"name": "narr"}
    return Collection(
        "narr",
        meta,
        records,
        BagEncoder().encode([r["claim"] for r in records]),
        build_bm25(records),
    )


def _model(coef: list[float], intercept: float) -> LogisticModel:
    n = len(FEATURES)
    return LogisticModel(list(range(n)), [0.0] * n, [1.0] * n, coef, intercept, False)


def test_narrative_collections_use_the_catalogue_model_and_threshold():
    n = len(FEATURES)
    plain_model = _model([10.0] + [0.0] * (n - 1), -5.0)  # cosine alone
    # the catalogue model also wants the claim's words in the sentence
    catalogue_model = _model([5.0, 0.0, 0.0, 5.0] + [0.0] * (n - 4), -7.0)
    reranker = Reranker(plain_model, _model([1.0] * (n - 1), -3.0), catalogue_model, 0.5, 0.5, 0.5)
    queries = ["The US protects ISIS in Syria", "ISIS in Syria"]
    narr = Searcher([_narratives("narratives")], encoder=BagEncoder(), reranker=reranker)
    full, topic = narr.search(queries, min_score="default")
    assert full and full[0]["id"] == "n1"
    assert topic == [], "the topic alone is no catalogue match"
    plain = Searcher([_narratives(None)], encoder=BagEncoder(), reranker=reranker)
    full_plain, topic_plain = plain.search(queries, min_score="default")
    assert full_plain[0]["id"] == "n1" and topic_plain, "the plain model goes by the cosine"
    assert narr.cut(narr.collections[0]) == reranker.catalogue_threshold


def test_bm25_feature_does_not_grow_with_collection_size():
    assert max_idf(2) < max_idf(10_000) < max_idf(100_000)
    assert abs(max_idf(100_000) / max_idf(10_000) - 1) < 0.3


def test_collection_embedded_with_another_encoder_is_refused(tmp_path, jsonl):
    summary = import_collection(jsonl, root=tmp_path, encoder=BagEncoder())
    meta_path = summary.folder / "meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta_path.write_text(json.dumps({**meta, "encoder": "some-other-model"}), encoding="utf-8")
    with pytest.raises(DataError, match="some-other-model.*--replace"):
        Collection.load(summary.folder)


def test_interrupted_import_folder_is_ignored(tmp_path, jsonl):
    summary = import_collection(jsonl, root=tmp_path, encoder=BagEncoder())
    leftover = tmp_path / f"{summary.name}.tmp"
    leftover.mkdir()
    (leftover / "meta.json").write_text(
        json.dumps({"name": summary.name, "count": 1}), encoding="utf-8"
    )
    assert [m["name"] for m in list_collections(tmp_path)] == [summary.name]
