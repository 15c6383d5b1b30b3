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


def read_posts(path: Path, issues: list[str] | None = None) -> list[dict[str, Any]]:
    """Records from EUvsDisinfo ``posts.csv`` (date, id = case URL, title, outlets...).

    A row without a case URL or title, a malformed row and a repeated case are skipped; a case
    without a date is kept undated; each is noted in ``issues`` as ``FILE row N: what``.

    Raises:
        DataError: the file cannot be read, or has no header with ``id`` and ``title``.
    """
    from ..errors import DataError

    notes = issues if issues is not None else []
    out, seen = [], set()
    try:
        with path.open(encoding="utf-8-sig", errors="replace", newline="") as fh:
            reader = csv.DictReader(fh)
            if not reader.fieldnames or not {"id", "title"} <= set(reader.fieldnames):
                raise DataError(f"{path}: expected a CSV header with 'id' and 'title' (and 'date', "
                                f"'outlets'), got {reader.fieldnames or 'an empty file'}")
            n = 0
            while True:
                try:
                    row = next(reader)
                except StopIteration:
                    break
                except csv.Error as err:
                    n += 1
                    notes.append(f"{path} row {n}: malformed ({err}); skipped")
                    continue
                n += 1
                _add_case(row, n, path, out, seen, notes)
    except OSError as err:
        raise DataError(f"{path}: cannot be read ({err.strerror or err})") from err
    out.sort(key=lambda r: (r["date"], r["id"]))
    return out


def _add_case(row: dict[Any, Any], n: int, path: Path, out: list[dict[str, Any]], seen: set[str],
              notes: list[str]) -> None:
    def cell(key: str) -> str:
        value = row.get(key)
        return value.strip() if isinstance(value, str) else ""

    case_url, title = cell("id"), cell("title")
    if not case_url or not title:
        notes.append(f"{path} row {n}: no case URL ('id') or no 'title'; skipped")
        return
    if case_url in seen:
        notes.append(f"{path} row {n}: case {case_url} again; kept once")
        return
    if not cell("date"):
        notes.append(f"{path} row {n}: case {case_url} has no date; kept undated")
    seen.add(case_url)
    out.append({
        "id": case_url.rstrip("/").rsplit("/", 1)[-1] or case_url,
        "claim": title[:2000],
        "title": "",
        "url": case_url,
        "rating": RATING,
        "date": cell("date"),
        "speaker": ", ".join(o for o in cell("outlets").split("+") if o)[:500],
    })


def build(posts_csv: Path, encoder: Any = None, issues: list[str] | None = None) -> int:
    """Write the packaged records and int8 embeddings from ``posts_csv``; returns the count.

    Rows that were skipped or kept with a note are added to ``issues``.
    """
    issues = issues if issues is not None else []
    if encoder is None:
        from ..embed import get_encoder

        encoder = get_encoder()
    records = read_posts(posts_csv, issues)
    if not records:
        from ..errors import DataError

        raise DataError(f"{posts_csv}: no cases to build from" + (f"; first problem: {issues[0]}" if issues else ""))
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
    from ..errors import NewsiftError

    notes: list[str] = []
    try:
        count = build(Path(sys.argv[1]), issues=notes)
    except NewsiftError as err:
        sys.exit(f"error: {err.message}")
    for note in notes:
        print(note, file=sys.stderr)
    print(count, "cases written to", RECORDS_PATH)
