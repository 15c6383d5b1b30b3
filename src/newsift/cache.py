"""Arrays derived from packaged files, computed once and memory-mapped from a cache afterwards.

A cold ``newsift analyze`` used to rebuild the same tables from the same packaged files at every
start: the EUvsDisinfo catalogue's float32 vectors decompressed and normalised from their int8
files, the sketch of its MiniLM vectors (an eigen-decomposition), the check-worthiness model's
dense weight vectors. :func:`cached_arrays` writes such arrays uncompressed, once, to
``cache_root()/NAME-KEY/`` and later processes memory-map them (read-only, pages shared between
processes, read from disk only where touched). ``KEY`` hashes what the arrays are derived from:
the size and modification time of each source file and of the module that derives them, and a
version string, so an updated file or changed code gets a new folder. The arrays read back are
the ones computed, bit for bit, so every result is the same with or without the cache; where
the cache cannot be written (a read-only home) they are computed as before, at every start.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

_DONE = "complete"


def cache_root() -> Path:
    """Where newsift keeps caches it can rebuild: ``NEWSIFT_CACHE_DIR``, else
    ``$XDG_CACHE_HOME/newsift``, else ``~/.cache/newsift``."""
    explicit = os.environ.get("NEWSIFT_CACHE_DIR")
    if explicit:
        return Path(explicit).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or "~/.cache"
    return Path(base).expanduser() / "newsift"


def source_key(sources: Sequence[Path | str], version: str = "") -> str:
    """A short hash of ``version`` and each source's path, size and modification time (a
    missing source counts as absent, so that it appearing changes the key)."""
    h = hashlib.sha1(version.encode("utf-8"))
    for src in sources:
        path = Path(src)
        try:
            st = path.stat()
            stamp = f"{path.resolve()}|{st.st_size}|{st.st_mtime_ns}"
        except OSError:
            stamp = f"{path}|absent"
        h.update(stamp.encode("utf-8", "surrogateescape"))
    return h.hexdigest()[:16]


def cache_folder(name: str, sources: Sequence[Path | str], version: str = "") -> Path:
    """The cache folder of ``name`` for these sources (see :func:`source_key`)."""
    return cache_root() / f"{name}-{source_key(sources, version)}"


def _write(folder: Path, arrays: dict[str, np.ndarray]) -> bool:
    """Write ``arrays`` to ``folder`` atomically (a folder renamed into place); False when the
    cache cannot be written."""
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=folder.name + ".", dir=folder.parent))
    except OSError:
        return False
    try:
        for k, arr in arrays.items():
            np.save(tmp / f"{k}.npy", np.ascontiguousarray(arr), allow_pickle=False)
        (tmp / _DONE).write_text("arrays computed by newsift; safe to delete\n", encoding="utf-8")
        try:
            tmp.rename(folder)
        except OSError:  # another process wrote it first
            shutil.rmtree(tmp, ignore_errors=True)
        return True
    except OSError:
        shutil.rmtree(tmp, ignore_errors=True)
        return False


def cached_arrays(
    name: str,
    sources: Sequence[Path | str],
    build: Callable[[], dict[str, np.ndarray]],
    version: str = "1",
) -> dict[str, np.ndarray]:
    """The arrays ``build()`` returns, memory-mapped from the cache when they are there.

    Args:
        name: the cache folder's prefix (``euvsdisinfo``, ...).
        sources: the files the arrays are derived from; the module defining ``build`` is added,
            so that editing the code that derives them makes a new cache entry.
        build: computes the arrays (numeric dtypes only: they are stored as ``.npy``).
        version: bump it to invalidate every existing entry.

    Returns:
        ``{name: array}``: read-only memory maps from the cache, or, the first time (and where
        the cache cannot be written), the arrays ``build`` returned, which are also written to
        the cache for the next process.
    """
    code = getattr(getattr(build, "__code__", None), "co_filename", None)
    folder = cache_folder(name, [*sources, *([code] if code else [])], version)
    found = _read_any(folder)
    if found is not None:
        return found
    arrays = read_only(build())
    _write(folder, arrays)
    return arrays


def _read_any(folder: Path) -> dict[str, np.ndarray] | None:
    """Every ``.npy`` of a complete cache folder, memory-mapped (None when absent or damaged)."""
    if not (folder / _DONE).exists():
        return None
    try:
        names = sorted(p.stem for p in folder.glob("*.npy"))
    except OSError:
        return None
    if not names:
        return None
    try:
        return {k: np.load(folder / f"{k}.npy", mmap_mode="r") for k in names}
    except (OSError, ValueError):
        return None  # a damaged cache: compute the arrays (and try to write them again)


def cached_file(
    name: str,
    sources: Sequence[Path | str],
    filename: str,
    version: str = "1",
) -> tuple[Path, bool]:
    """``(path, present)``: where a derived file of ``name`` lives in the cache, and whether a
    complete copy is there (written by :func:`commit_file`)."""
    folder = cache_folder(name, sources, version)
    return folder / filename, (folder / _DONE).exists() and (folder / filename).exists()


def commit_file(path: Path, produced: Path) -> bool:
    """Move ``produced`` (a file written next to nothing yet) into the cache as ``path`` and mark
    its folder complete; False where the cache cannot be written (``produced`` is removed)."""
    folder = path.parent
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=folder.name + ".", dir=folder.parent))
        shutil.move(str(produced), tmp / path.name)
        (tmp / _DONE).write_text("a file derived by newsift; safe to delete\n", encoding="utf-8")
        try:
            tmp.rename(folder)
        except OSError:  # another process wrote it first, or an entry lost its file
            if not path.exists() and (folder / _DONE).exists():
                os.replace(tmp / path.name, path)
            shutil.rmtree(tmp, ignore_errors=True)
        return True
    except OSError:
        Path(produced).unlink(missing_ok=True)
        return False


def temp_path(suffix: str = "") -> Path | None:
    """A fresh file name in the cache root (for a file to pass to :func:`commit_file`), or None
    when the cache root cannot be written."""
    root = cache_root()
    try:
        root.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(suffix=suffix, dir=root, prefix=".tmp-")
    except OSError:
        return None
    os.close(fd)
    return Path(name)


def read_only(arrays: dict[str, Any]) -> dict[str, Any]:
    """``arrays`` with every numpy array marked read-only (what the cache's memory maps are), so
    that the first run and later ones behave alike when code writes into them by mistake."""
    for arr in arrays.values():
        if isinstance(arr, np.ndarray):
            arr.flags.writeable = False
    return arrays
