"""The EUvsDisinfo case list as a built-in known-narrative collection.

EUvsDisinfo (the EEAS East StratCom Task Force) catalogues pro-Kremlin disinformation cases. newsift
ships a compact copy of the case *metadata* (one-line claim summary, date, outlets, case URL), built
from the public case list scraped on 2021-02-18 (cases 2015-01 ... 2021-02), with the embeddings of
the claim summaries, so articles can be matched against catalogued narratives with no setup.

Terms: EEAS content may be reused provided the source is acknowledged; every match from this
collection carries the collection name ``euvsdisinfo`` and reports show :data:`ATTRIBUTION` and
:data:`DISCLAIMER`.

Rebuild: ``python -m newsift.factchecks.euvsdisinfo ../shared/data/euvsdisinfo/posts.csv``.
"""

from __future__ import annotations

import csv
import gzip
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np

from .store import Collection, build_bm25, doc_text

NAME = "euvsdisinfo"
ATTRIBUTION = "EUvsDisinfo (EEAS East StratCom Task Force)"
DISCLAIMER = (
    "A case in the EUvsDisinfo database does not necessarily mean that the outlet is linked to "
    "the Kremlin or intended to disinform. Cases up to 2021-02-18; see euvsdisinfo.eu for the "
    "full case, its summary and disproof."
)
RATING = "catalogued disinformation (EUvsDisinfo)"
DATA = Path(__file__).resolve().parents[1] / "data"
RECORDS_PATH = DATA / "euvsdisinfo-cases.json.gz"
EMB_PATH = DATA / "euvsdisinfo-cases.emb.npz"


def read_posts(path: Path) -> list[dict[str, Any]]:
    """Records from EUvsDisinfo ``posts.csv`` (date, id = case URL, title, outlets...)."""
    out, seen = [], set()
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            case_url, title = (row.get("id") or "").strip(), (row.get("title") or "").strip()
            if not case_url or not title or case_url in seen:
                continue
            seen.add(case_url)
            out.append({
                "id": case_url.rstrip("/").rsplit("/", 1)[-1] or case_url,
                "claim": title,
                "title": "",
                "url": case_url,
                "rating": RATING,
                "date": (row.get("date") or "").strip(),
                "speaker": ", ".join(o for o in (row.get("outlets") or "").split("+") if o),
            })
    out.sort(key=lambda r: (r["date"], r["id"]))
    return out


def build(posts_csv: Path, encoder: Any = None) -> int:
    """Write the packaged records and int8 embeddings from ``posts_csv``; returns the count."""
    if encoder is None:
        from ..embed import get_encoder

        encoder = get_encoder()
    records = read_posts(posts_csv)
    emb = encoder.encode([doc_text(r) for r in records])
    scale = np.abs(emb).max(axis=1, keepdims=True) / 127.0
    q = np.round(emb / scale).astype(np.int8)
    RECORDS_PATH.write_bytes(gzip.compress(
        json.dumps(records, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), 9
    ))
    np.savez_compressed(EMB_PATH, q=q, scale=scale.astype(np.float32))
    return len(records)


def load() -> Collection:
    """The built-in collection (records, embeddings, BM25 built in memory)."""
    records = json.loads(gzip.decompress(RECORDS_PATH.read_bytes()))
    with np.load(EMB_PATH) as z:
        emb = z["q"].astype(np.float32) * z["scale"]
    emb /= np.linalg.norm(emb, axis=1, keepdims=True)
    meta = {"name": NAME, "count": len(records), "attribution": ATTRIBUTION,
            "disclaimer": DISCLAIMER, "builtin": True, "kind": "narratives"}
    return Collection(NAME, meta, records, emb, build_bm25(records))


def available() -> bool:
    """Whether the packaged data files are installed."""
    return RECORDS_PATH.exists() and EMB_PATH.exists()


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python -m newsift.factchecks.euvsdisinfo PATH/TO/posts.csv")
    print(build(Path(sys.argv[1])), "cases written to", RECORDS_PATH)
