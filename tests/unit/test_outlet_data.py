"""The shipped outlet data: only redistributable columns, and user-supplied extra ratings."""

from __future__ import annotations

import csv
import gzip
from importlib import resources

import pytest

from newsift.errors import ConfigError
from newsift.pipeline import Pipeline
from newsift.stages import outlet


def test_shipped_ratings_hold_only_the_aggregate_score():
    with (
        resources.files("newsift.data").joinpath("domain_ratings.csv.gz").open("rb") as raw,
        gzip.open(raw, "rt", encoding="utf-8") as f,
    ):
        header = next(csv.reader(f))
    assert header == ["domain", "pc1"]


def test_every_shipped_data_file_is_described():
    readme = resources.files("newsift.data").joinpath("README.md").read_text(encoding="utf-8")
    for item in resources.files("newsift.data").iterdir():
        if item.name.endswith((".gz", ".npz")):
            assert f"`{item.name}`" in readme, item.name


def test_lookup_without_extra_ratings_has_no_proprietary_columns():
    rec = outlet.lookup("https://www.reuters.com/world/x")
    assert rec["rating"] is not None and rec["matched"] == "reuters.com"
    assert "mbfc_factual" not in rec and "adfontes_reliability" not in rec


def test_user_ratings_file_adds_its_columns(tmp_path):
    path = tmp_path / "domain_ratings.csv"
    path.write_text(
        "domain,pc1,mbfc_fact,afm_rely\nreuters.com,1.0,0.9,0.8\nexample.org,0.5,x,0.4\n",
        encoding="utf-8",
    )
    rec = outlet.lookup("https://reuters.com/a", ratings=str(path))
    assert rec["mbfc_factual"] == 0.9 and rec["adfontes_reliability"] == 0.8
    assert outlet.extra_ratings(str(path))["example.org"] == {"adfontes_reliability": 0.4}
    pipe = Pipeline([{"name": "outlet.v1", "ratings": str(path)}])
    assert pipe.stages[0].params["ratings"] == str(path)


@pytest.mark.parametrize(
    "content", [None, "", "a,b\n1,2\n", "\x00\x01binary"], ids=["missing", "empty", "cols", "bin"]
)
def test_bad_user_ratings_file_is_a_clear_config_error(tmp_path, content):
    path = tmp_path / "r.csv"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match="r.csv"):
        outlet.extra_ratings(str(path))
