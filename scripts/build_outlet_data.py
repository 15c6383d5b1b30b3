"""Rebuild the compact outlet tables shipped in src/newsift/data/ from ../shared/data.

- domain_ratings.csv.gz: domain and pc1 (3 decimals) from Lin et al. 2023
  (hauselin/domain-quality-ratings; reuse with citation: PNAS Nexus 2(9) pgad286). The columns
  of the proprietary rating sets it aggregates (MBFC, Ad Fontes) are not shipped: users who have
  the full table give it with ``--set outlet.ratings=PATH``.
- euvsdisinfo_domains.csv.gz: per publication domain, the number of EUvsDisinfo cases whose
  publication URL is on it, and the first/last case date (EUvsDisinfo, EEAS East StratCom Task
  Force; reuse with acknowledgement).

Usage: python scripts/build_outlet_data.py [SHARED_DATA_DIR [OUT_DIR]]

The files are byte-for-byte reproducible (fixed gzip header time).
"""

from __future__ import annotations

import contextlib
import csv
import gzip
import io
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
from newsift.extract.urls import domain_of  # noqa: E402

csv.field_size_limit(10**8)
REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "src" / "newsift" / "data"


@contextlib.contextmanager
def _gz_text(path: Path):
    """A gzip text writer with a fixed header time, so a rebuild gives the same bytes."""
    with (
        path.open("wb") as raw,
        gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as gz,
        io.TextIOWrapper(gz, encoding="utf-8", newline="") as out,
    ):
        yield out


def ratings(shared: Path) -> None:
    src = shared / "domain-ratings" / "domain_ratings.csv"
    with (
        src.open(newline="", encoding="utf-8") as f,
        _gz_text(OUT / "domain_ratings.csv.gz") as out,
    ):
        w = csv.writer(out)
        w.writerow(["domain", "pc1"])
        for row in csv.DictReader(f):
            w.writerow([row["domain"].strip().lower(), f"{float(row['pc1']):.3f}"])


def euvsdisinfo(shared: Path) -> None:
    base = shared / "euvsdisinfo"
    dates = {}
    with (base / "posts.csv").open(newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            dates[row["id"]] = row["date"][:10]
    cases: dict[str, set[str]] = defaultdict(set)
    with (base / "publications.csv").open(newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            d = domain_of(row["publication"])
            if d and d not in (
                "bit.ly",
                "youtube.com",
                "youtu.be",
                "facebook.com",
                "twitter.com",
                "t.me",
                "vk.com",
                "ok.ru",
                "archive.is",
                "archive.ph",
                "web.archive.org",
            ):
                cases[d].add(row["id"])
    with _gz_text(OUT / "euvsdisinfo_domains.csv.gz") as out:
        w = csv.writer(out)
        w.writerow(["domain", "cases", "first", "last"])
        for d in sorted(cases):
            ds = sorted(dates[i] for i in cases[d] if i in dates)
            w.writerow([d, len(cases[d]), ds[0] if ds else "", ds[-1] if ds else ""])


if __name__ == "__main__":
    shared = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO.parent / "shared" / "data"
    if len(sys.argv) > 2:
        OUT = Path(sys.argv[2])
    OUT.mkdir(parents=True, exist_ok=True)
    ratings(shared)
    euvsdisinfo(shared)
    print("wrote", *sorted(p.name for p in OUT.glob("*.csv.gz")))
