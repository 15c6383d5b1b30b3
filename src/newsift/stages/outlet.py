"""Outlet reputation: the article's domain looked up in published domain-quality ratings.

Primary: Lin, Lasser, Lewandowsky, Cole, Gully, Rand & Pennycook (2023), "High level of
correspondence across different news domain quality rating sets", PNAS Nexus 2(9) pgad286,
doi:10.1093/pnasnexus/pgad286 (data: hauselin/domain-quality-ratings, reuse with citation). The
``rating`` is their aggregate ``pc1`` (0 = lowest quality, 1 = highest), computed over imputed
ratings: it is an aggregate expert rating of the domain, not a verdict on the article.

Matching is longest prefix first (``theguardian.com/observer`` before ``theguardian.com``), then
parent domains (``edition.cnn.com`` -> ``cnn.com``). An unrated domain is ``"not rated"``, never a
guess; where EUvsDisinfo lists cases published on the domain, that count is given instead.

Only ``pc1`` ships with newsift. The rating sets it aggregates include proprietary ones (Media
Bias/Fact Check, Ad Fontes Media), whose columns are not redistributed; a user who has the full
Lin et al. table (``domain_ratings.csv``) can point the stage at it (``--set
outlet.ratings=PATH``) to see MBFC factual reporting and Ad Fontes reliability beside ``pc1``.
"""

from __future__ import annotations

import csv
import functools
import gzip
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from ..article import Article
from ..errors import ConfigError
from ..extract.urls import domain_of, path_of
from ..pipeline import Stage, register_stage

RATING_SOURCE = (
    "Lin et al. 2023, PNAS Nexus 2(9) pgad286 (aggregate expert rating pc1, imputed; "
    "0 = lowest quality, 1 = highest)"
)
EUVSDISINFO_SOURCE = "EUvsDisinfo (EEAS East StratCom Task Force)"
EUVSDISINFO_DISCLAIMER = (
    "A case in the EUvsDisinfo database does not necessarily mean that the outlet is linked to "
    "the Kremlin or intends to disinform."
)


def _read_gz(name: str) -> list[dict[str, str]]:
    with (
        resources.files("newsift.data").joinpath(name).open("rb") as raw,
        gzip.open(raw, "rt", encoding="utf-8") as f,
    ):
        return list(csv.DictReader(f))


@functools.lru_cache(maxsize=1)
def ratings_table() -> dict[str, dict[str, float]]:
    """``{domain: {column: value}}`` of the packaged Lin et al. ratings (11,500 domains):
    parsed from the CSV once, then read back from the cache (:mod:`newsift.cache`; the same
    floats, ~0.03 s less of each cold start)."""
    from ..cache import cached_arrays

    name = "domain_ratings.csv.gz"
    source = Path(str(resources.files("newsift.data").joinpath(name)))
    arrays = cached_arrays("domain-ratings", [source], lambda: _ratings_arrays(name))
    columns = arrays["columns"].tolist()
    return {
        domain: dict(zip(columns, row, strict=True))
        for domain, row in zip(arrays["domains"].tolist(), arrays["values"].tolist(), strict=True)
    }


def _ratings_arrays(name: str) -> dict[str, np.ndarray]:
    rows = _read_gz(name)
    columns = [k for k in (rows[0] if rows else {}) if k != "domain"]
    return {
        "columns": np.array(columns, dtype=str),
        "domains": np.array([r["domain"] for r in rows], dtype=str),
        "values": np.array([[float(r[k]) for k in columns] for r in rows], dtype=np.float64),
    }


#: Columns of the full Lin et al. table shown when the user gives it (``outlet.ratings``).
EXTRA_COLUMNS = {"mbfc_fact": "mbfc_factual", "afm_rely": "adfontes_reliability"}


@functools.lru_cache(maxsize=4)
def extra_ratings(path: str) -> dict[str, dict[str, float]]:
    """MBFC factual and Ad Fontes reliability by domain from the user's copy of Lin et al.'s
    ``domain_ratings.csv`` (plain or gzipped)."""
    p = Path(path)
    if not p.is_file():
        raise ConfigError(
            f"{path}: no such ratings file; give Lin et al.'s domain_ratings.csv "
            "(hauselin/domain-quality-ratings, data/domain_ratings.csv)"
        )
    opener = gzip.open if p.suffix == ".gz" else open
    try:
        with opener(p, "rt", encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
    except (OSError, UnicodeDecodeError, csv.Error) as err:
        raise ConfigError(f"{path}: could not be read as a CSV file ({err})") from err
    if not rows or "domain" not in rows[0] or not set(EXTRA_COLUMNS) & set(rows[0]):
        raise ConfigError(
            f"{path}: expected a CSV with a domain column and {' or '.join(EXTRA_COLUMNS)}; "
            "give Lin et al.'s domain_ratings.csv"
        )
    table: dict[str, dict[str, float]] = {}
    for r in rows:
        vals = {}
        for col, key in EXTRA_COLUMNS.items():
            try:
                vals[key] = round(float(r[col]), 3)
            except (KeyError, TypeError, ValueError):
                continue
        if vals and r.get("domain"):
            table[r["domain"].strip().lower()] = vals
    return table


@functools.lru_cache(maxsize=1)
def euvsdisinfo_table() -> dict[str, dict[str, Any]]:
    return {
        r["domain"]: {"cases": int(r["cases"]), "first": r["first"], "last": r["last"]}
        for r in _read_gz("euvsdisinfo_domains.csv.gz")
    }


def candidates(domain: str, path: str = "") -> list[str]:
    """Keys to try, most specific first: domain+path prefixes, then parent domains."""
    keys = []
    parts = [p for p in path.split("/") if p]
    for i in range(len(parts), 0, -1):
        keys.append(domain + "/" + "/".join(parts[:i]))
    labels = domain.split(".")
    for i in range(len(labels) - 1):
        keys.append(".".join(labels[i:]))
    return keys


def lookup(url_or_domain: str, ratings: str | None = None) -> dict[str, Any]:
    """The outlet record for a URL or bare domain; ``ratings`` is the path of a full Lin et al.
    table whose MBFC and Ad Fontes columns are added where the domain has them.

    Returns:
        ``{domain, rating, rating_label, rating_source, matched, ...}``; ``rating`` is None and
        ``rating_label`` ``"not rated"`` when no rating set has the domain.
    """
    domain = domain_of(url_or_domain) or url_or_domain.lower()
    path = path_of(url_or_domain)
    table = ratings_table()
    out: dict[str, Any] = {
        "domain": domain,
        "rating": None,
        "rating_label": "not rated",
        "rating_source": None,
    }
    for key in candidates(domain, path):
        if key in table:
            row = table[key]
            out.update(
                rating=round(row["pc1"], 3),
                rating_label=_label(row["pc1"]),
                rating_source=RATING_SOURCE,
                matched=key,
            )
            if ratings:
                out.update(extra_ratings(ratings).get(key, {}))
            break
    cases = next(
        (euvsdisinfo_table()[k] for k in candidates(domain) if k in euvsdisinfo_table()), None
    )
    if cases:
        out["euvsdisinfo"] = {
            **cases,
            "source": EUVSDISINFO_SOURCE,
            "disclaimer": EUVSDISINFO_DISCLAIMER,
            "note": f"Publications on this domain appear in {cases['cases']} EUvsDisinfo cases ({cases['first']} to {cases['last']}).",
        }
    return out


def _label(pc1: float) -> str:
    if pc1 < 0.25:
        return "very low"
    if pc1 < 0.5:
        return "low"
    if pc1 < 0.75:
        return "mixed"
    return "high"


@register_stage("outlet.v1")
class OutletStage(Stage):
    """Fills ``article.outlet`` from the URL (or a domain set at extraction)."""

    assigns = ("outlet",)
    languages = None  # the outlet's rating is by its domain, in any language
    settings = {"ratings": None}

    def setup(self) -> None:
        ratings_table()
        euvsdisinfo_table()
        if self.setting("ratings"):
            extra_ratings(str(self.setting("ratings")))

    def predict(self, batch: list[Article]) -> list[dict[str, Any] | None]:
        out = []
        for a in batch:
            key = a.url or a.outlet.get("domain")
            out.append(lookup(key, self.setting("ratings")) if key else None)
        return out

    def annotate(self, batch: list[Article], predictions: list[dict[str, Any] | None]) -> None:
        for article, rec in zip(batch, predictions, strict=True):
            if rec is None:
                article.outlet = {
                    "domain": None,
                    "rating": None,
                    "rating_label": "not rated",
                    "rating_source": None,
                    "note": "no URL or domain given (use --url)",
                }
            else:
                if article.source.get("site_name"):
                    rec["name"] = article.source["site_name"]
                article.outlet = rec
