"""The local fact-check index: one folder per collection under the user data dir.

Layout of ``<root>/<name>/``::

    meta.json          name, count, attribution, disclaimer, encoder, created
    records.json       [{id, claim, title, url, rating, date, speaker}, ...]
    embeddings.npy     float16 [count, 384], MiniLM sentence embeddings of claim + title
    embeddings-e5.npy  float16 [count, 384], multilingual-e5 embeddings of the same text (optional;
                       what a sentence in another language is matched with)
    bm25/              the bm25s index (loaded memory-mapped)

``root`` is, in order: the ``root`` argument (``--data-dir``), ``$NEWSIFT_DATA_DIR/factchecks``,
``$XDG_DATA_HOME/newsift/factchecks``, ``~/.local/share/newsift/factchecks``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ConfigError, DataError
from .records import ImportIssue, read_file

ENCODER_NAME = "all-MiniLM-L6-v2-int8"
E5_FILE = "embeddings-e5.npy"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
_TOKEN = re.compile(r"(?u)\b\w\w+\b")


def data_dir(root: str | Path | None = None) -> Path:
    """Where collections live (see the module docstring for the order of precedence)."""
    if root:
        return Path(root).expanduser()
    if os.environ.get("NEWSIFT_DATA_DIR"):
        return Path(os.environ["NEWSIFT_DATA_DIR"]).expanduser() / "factchecks"
    base = os.environ.get("XDG_DATA_HOME") or "~/.local/share"
    return Path(base).expanduser() / "newsift" / "factchecks"


# bm25s's English stopwords (``bm25s.stopwords.STOPWORDS_EN``, MIT), written out so that
# tokenising a query does not import bm25s and scipy (~0.2 s of a cold start);
# tests/unit/test_factchecks_store.py checks that the two lists are equal.
_STOPWORDS_EN = frozenset(
    "a an and are as at be but by for if in into is it no not of on or such that the their "
    "then there these they this to was will with".split()
)


def catalogue_stopwords() -> frozenset[str]:
    """The English stopwords left out of BM25 tokens (bm25s's list)."""
    return _STOPWORDS_EN


def tokenize(text: str, stop: frozenset[str] | None = None) -> list[str]:
    """Lower-cased word tokens without English stopwords, plural ``s`` stripped (for BM25)."""
    stop = stop if stop is not None else catalogue_stopwords()
    out = []
    for tok in _TOKEN.findall(text.lower()):
        if tok in stop:
            continue
        if len(tok) > 3 and tok.endswith("s") and not tok.endswith("ss"):
            tok = tok[:-1]
        out.append(tok)
    return out


def doc_text(rec: dict[str, Any]) -> str:
    """The text indexed for a record: its claim, plus its title when that adds words."""
    title = rec.get("title") or ""
    return rec["claim"] if not title or title == rec["claim"] else f"{rec['claim']} {title}"


def build_bm25(records: list[dict[str, Any]]) -> Any:
    """A bm25s index over :func:`doc_text` of ``records``."""
    import bm25s

    stop = catalogue_stopwords()
    index = bm25s.BM25()
    index.index([tokenize(doc_text(r), stop) or ["_empty_"] for r in records], show_progress=False)
    return index


class LazyBM25:
    """A bm25s index made when first queried: from ``records`` (built in memory, as
    :func:`build_bm25` does) or from a ``folder`` an index was saved to (memory-mapped).

    The default pipeline matches English claims against the EUvsDisinfo catalogue by the e5
    path, which reads no BM25 score: building the catalogue's index at every start (and
    importing bm25s and scipy for it) cost ~0.45 s of each cold ``newsift analyze`` (issue 22).
    Attributes other than :meth:`get_scores` are those of the index (made on first use).
    """

    def __init__(
        self, records: list[dict[str, Any]] | None = None, folder: Path | None = None
    ) -> None:
        self._records = records
        self._folder = folder
        self._index: Any = None

    @property
    def index(self) -> Any:
        """The bm25s index, made now if not yet.

        Raises:
            DataError: the saved index of ``folder`` is damaged.
        """
        if self._index is None:
            if self._folder is not None:
                self._index = _load_bm25(self._folder)
            else:
                self._index = build_bm25(self._records or [])
        return self._index

    def get_scores(self, query_tokens: list[str]) -> Any:
        """BM25 scores of every document for ``query_tokens``."""
        return self.index.get_scores(query_tokens)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.index, name)


def _load_bm25(folder: Path) -> Any:
    """The bm25s index saved under ``folder``/bm25, memory-mapped.

    Raises:
        DataError: it is missing or damaged.
    """
    import bm25s

    try:
        return bm25s.BM25.load(str(folder / "bm25"), mmap=True, show_progress=False)
    except (OSError, ValueError, KeyError, TypeError, RecursionError) as err:
        raise DataError(
            f"fact-check collection {folder} is damaged ({err}); import it again with "
            "`newsift factchecks import FILE --name NAME --replace`"
        ) from err


@dataclass
class Collection:
    """One loaded collection: records, dense embeddings (float32, L2-normalised) and BM25;
    ``embeddings_e5``: multilingual-e5 vectors for cross-language matching, where there are."""

    name: str
    meta: dict[str, Any]
    records: list[dict[str, Any]]
    embeddings: np.ndarray | None
    bm25: Any
    ids: dict[str, int] = field(default_factory=dict)
    embeddings_e5: np.ndarray | None = None
    folder: Path | None = None

    def __len__(self) -> int:
        return len(self.records)

    @classmethod
    def load(cls, folder: Path, lazy_bm25: bool = False) -> Collection:
        """Load a collection folder written by :func:`save_collection`; with ``lazy_bm25``, its
        BM25 index is read when first queried (:class:`LazyBM25`; a damaged index is then a
        DataError of that query).

        Raises:
            DataError: when a file of the folder is missing or unreadable.
        """
        try:
            meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
            records = json.loads((folder / "records.json").read_text(encoding="utf-8"))
            emb_path = folder / "embeddings.npy"
            emb = np.load(emb_path).astype(np.float32) if emb_path.exists() else None
            bm25: Any = None
            if records and lazy_bm25:
                if not (folder / "bm25").is_dir():
                    raise OSError(f"{folder / 'bm25'} is missing")
                bm25 = LazyBM25(folder=folder)
            elif records:
                bm25 = _load_bm25(folder)
        except (OSError, ValueError, KeyError, TypeError, RecursionError) as err:
            raise DataError(
                f"fact-check collection {folder} is damaged ({err}); import it again with "
                "`newsift factchecks import FILE --name NAME --replace`"
            ) from err
        if emb is not None and meta.get("encoder") not in (None, ENCODER_NAME):
            raise DataError(
                f"fact-check collection {folder} was embedded with {meta.get('encoder')}, not "
                f"{ENCODER_NAME}; import it again with `newsift factchecks import FILE --name "
                f"{meta['name']} --replace`"
            )
        e5 = _load_e5(folder / E5_FILE, len(records))
        return cls(
            meta.get("name", folder.name), meta, records, emb, bm25, embeddings_e5=e5, folder=folder
        )


def _load_e5(path: Path, count: int) -> np.ndarray | None:
    """The collection's e5 vectors, L2-normalised; None when absent or not one per record (a
    stale file is ignored: the vectors are rebuilt when needed)."""
    try:
        e5 = np.load(path).astype(np.float32) if path.exists() else None
    except (OSError, ValueError):
        return None
    if e5 is None or e5.ndim != 2 or len(e5) != count:
        return None
    return e5 / np.clip(np.linalg.norm(e5, axis=1, keepdims=True), 1e-12, None)


def save_collection(
    folder: Path,
    meta: dict[str, Any],
    records: list[dict[str, Any]],
    embeddings: np.ndarray | None,
    embeddings_e5: np.ndarray | None = None,
) -> None:
    """Write a collection folder atomically enough: a temp folder renamed into place.

    Nothing is left behind on failure (or Ctrl-C): the temp folder is removed, and an old
    collection is replaced only once the new one is complete.
    """
    tmp = folder.with_name(folder.name + ".tmp")
    old = folder.with_name(folder.name + ".old")
    shutil.rmtree(tmp, ignore_errors=True)
    try:
        tmp.mkdir(parents=True)
        (tmp / "records.json").write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
        if embeddings is not None:
            np.save(tmp / "embeddings.npy", embeddings.astype(np.float16))
        if embeddings_e5 is not None:
            np.save(tmp / E5_FILE, embeddings_e5.astype(np.float16))
        if records:
            build_bm25(records).save(str(tmp / "bm25"), show_progress=False)
        (tmp / "meta.json").write_text(json.dumps(meta, indent=2), encoding="utf-8")
        shutil.rmtree(old, ignore_errors=True)
        if folder.exists():
            folder.rename(old)
        tmp.rename(folder)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        if old.exists() and not folder.exists():
            old.rename(folder)
        raise
    shutil.rmtree(old, ignore_errors=True)


@dataclass
class ImportSummary:
    """What an import did: counts, skipped lines (with file and line) and duplicate ids."""

    name: str
    folder: Path
    added: int
    total: int
    issues: list[ImportIssue]
    duplicates: list[str]
    seconds_read: float
    seconds_embed: float
    truncated: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "folder": str(self.folder),
            "added": self.added,
            "total": self.total,
            "skipped": [str(i) for i in self.issues],
            "duplicates": len(self.duplicates),
            "duplicate_ids": self.duplicates[:20],
            "truncated": len(self.truncated),
            "truncated_ids": self.truncated[:20],
            "seconds_read_and_index": round(self.seconds_read, 3),
            "seconds_embed": round(self.seconds_embed, 3),
        }


def check_name(name: str) -> str:
    """Validate a collection name (used as a folder name)."""
    if not _NAME.match(name):
        raise ConfigError(
            f"collection name {name!r} is not usable; use letters, digits, '.', '_' or '-' "
            "(at most 64 characters)"
        )
    return name


def import_collection(
    path: str | Path,
    *,
    name: str | None = None,
    root: str | Path | None = None,
    replace: bool = False,
    dense: bool = True,
    attribution: str = "",
    disclaimer: str = "",
    encoder: Any = None,
) -> ImportSummary:
    """Import a JSONL / ClaimReview JSON-LD file into collection ``name`` (default: file stem).

    New records are added to an existing collection unless ``replace``; a record whose id is
    already there is kept once and counted as a duplicate.

    Raises:
        DataError: when the file cannot be read, or holds no usable record.
    """
    src = Path(path)
    name = check_name(name or re.sub(r"[^A-Za-z0-9_.-]", "-", src.stem.split(".")[0]) or "default")
    folder = data_dir(root) / name
    t0 = time.perf_counter()
    result = read_file(src)
    old = None if replace or not (folder / "meta.json").exists() else Collection.load(folder)
    records = list(old.records) if old else []
    seen = {r["id"] for r in records}
    new = []
    duplicates = list(result.duplicates)
    for rec in result.records:
        if rec["id"] in seen:
            duplicates.append(rec["id"])
        else:
            seen.add(rec["id"])
            new.append(rec)
    if not records and not new:
        detail = (
            f"; first problem: {result.issues[0]}"
            if result.issues
            else "; the file holds no records"
        )
        raise DataError(f"{src}: no fact-check records to import{detail}")
    t_read = time.perf_counter() - t0
    t0 = time.perf_counter()
    emb = _embeddings(old, new, dense, encoder)
    t_embed = time.perf_counter() - t0
    t1 = time.perf_counter()
    meta = {
        "name": name,
        "count": len(records) + len(new),
        "encoder": ENCODER_NAME if dense else None,
        "attribution": attribution or (old.meta.get("attribution", "") if old else ""),
        "disclaimer": disclaimer or (old.meta.get("disclaimer", "") if old else ""),
        "sources": ((old.meta.get("sources", []) if old else []) + [str(src.resolve())])[-20:],
        "updated": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    save_collection(folder, meta, records + new, emb)
    t_read += time.perf_counter() - t1
    return ImportSummary(
        name,
        folder,
        len(new),
        meta["count"] if isinstance(meta["count"], int) else 0,
        result.issues,
        duplicates,
        t_read,
        t_embed,
        result.truncated,
    )


def _embeddings(
    old: Collection | None, new: list[dict[str, Any]], dense: bool, encoder: Any
) -> np.ndarray | None:
    if not dense:
        return None
    if encoder is None:
        from ..embed import get_encoder

        encoder = get_encoder()
    fresh = encoder.encode([doc_text(r) for r in new]) if new else np.zeros((0, encoder.dim))
    if old is not None and old.embeddings is not None:
        return np.vstack([old.embeddings, fresh]).astype(np.float32)
    if old is not None and old.records:
        return np.vstack([encoder.encode([doc_text(r) for r in old.records]), fresh])
    return fresh


def ensure_e5(coll: Collection, encoder: Any = None) -> np.ndarray:
    """The collection's multilingual-e5 vectors, encoded now when it has none (about 40 records/s
    on 2 cores) and then kept: on the object, and in its folder when it has one."""
    if coll.embeddings_e5 is not None:
        return coll.embeddings_e5
    if encoder is None:
        from ..embed import get_multilingual_encoder

        encoder = get_multilingual_encoder()
    vecs = encoder.encode([doc_text(r) for r in coll.records]) if coll.records else None
    coll.embeddings_e5 = vecs if vecs is not None else np.zeros((0, encoder.dim), dtype=np.float32)
    if coll.folder is not None and vecs is not None:
        try:
            np.save(coll.folder / E5_FILE, vecs.astype(np.float16))
        except OSError:  # a read-only data dir: the vectors are rebuilt next time
            pass
    return coll.embeddings_e5


def list_collections(root: str | Path | None = None) -> list[dict[str, Any]]:
    """``meta.json`` of every collection under the data dir, sorted by name."""
    base = data_dir(root)
    if not base.exists():
        return []
    out = []
    for meta in sorted(base.glob("*/meta.json")):
        if meta.parent.name.endswith((".tmp", ".old")):  # an import that was interrupted
            continue
        try:
            out.append(json.loads(meta.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            out.append({"name": meta.parent.name, "count": None, "error": "damaged meta.json"})
    return out


def load_collections(
    names: list[str] | None = None, root: str | Path | None = None
) -> list[Collection]:
    """Load the named collections (default: all imported ones).

    Raises:
        ConfigError: when a named collection is not there.
    """
    base = data_dir(root)
    available = [m["name"] for m in list_collections(root)]
    wanted = names if names is not None else available
    missing = [n for n in wanted if n not in available]
    if missing:
        raise ConfigError(
            f"fact-check collection(s) {missing} not found in {base}; import one with "
            "`newsift factchecks import FILE --name NAME` (have: "
            f"{', '.join(available) or 'none'})"
        )
    return [Collection.load(base / n) for n in wanted]
