"""py3langid's model, read once per process and memory-mapped from a cache after the first run.

py3langid ships its model as an LZMA-compressed ``.npz`` (4.5 MB) and decompresses it at every
load: about 0.65 s of CPU, paid at every cold start that identifies a sentence or an article
(``newsift analyze`` on one article, each ``newsift run`` worker), and twice where both of
:mod:`newsift.lang`'s identifiers are used (every language, and newsift's supported ones). Here
it is read once per process, and the first load writes the arrays uncompressed to
``$XDG_CACHE_HOME/newsift/py3langid-VERSION-SIZE-MTIME/`` (66 MB; ``~/.cache`` by default,
``NEWSIFT_CACHE_DIR`` to move it): later processes memory-map them (about 0.03 s, and the pages
are shared between processes, the 39 MB state table included, which py3langid would copy into
each). The arrays are the same, so every identification is the same.
Where the cache cannot be written (a read-only home) the model is read as py3langid reads it.
"""

from __future__ import annotations

import functools
import tempfile
from pathlib import Path
from typing import Any

from .cache import cache_root

__all__ = ["cache_root", "langid_identifier", "load_langid_model"]

#: the arrays of py3langid's ``model.npz``, in the order of its ``load_model``'s result
_ARRAYS = ("ptc", "pc", "classes", "nextmove", "nextmove_row", "out_feat")


def _model_file() -> Path:
    from py3langid.langid import MODEL_DIR, MODEL_FILE

    path = Path(MODEL_FILE)
    return path if path.is_absolute() else Path(MODEL_DIR) / path


def _cache_dir(model: Path) -> Path:
    from importlib.metadata import PackageNotFoundError, version

    try:
        ver = version("py3langid")
    except PackageNotFoundError:  # pragma: no cover - imported, so installed
        ver = "unknown"
    st = model.stat()
    return cache_root() / f"py3langid-{ver}-{st.st_size}-{st.st_mtime_ns}"


def _read_cached(folder: Path) -> dict[str, Any] | None:
    import numpy as np

    if not (folder / "complete").exists():
        return None
    try:
        return {k: np.load(folder / f"{k}.npy", mmap_mode="r") for k in _ARRAYS}
    except (OSError, ValueError):
        return None  # a damaged cache: read the model itself (and try to write it again)


def _write_cache(folder: Path, arrays: dict[str, Any]) -> None:
    """Write the arrays to ``folder`` atomically (a folder renamed into place), or do nothing."""
    import numpy as np

    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=folder.name + ".", dir=folder.parent))
        for k in _ARRAYS:
            np.save(tmp / f"{k}.npy", arrays[k])
        (tmp / "complete").write_text("py3langid model arrays, uncompressed by newsift\n")
        try:
            tmp.rename(folder)
        except OSError:  # another process wrote it first
            for f in tmp.iterdir():
                f.unlink()
            tmp.rmdir()
    except OSError:
        return  # no writable cache: the next process reads the compressed model again


def _read_model(path: Path) -> dict[str, Any]:
    """The arrays of py3langid's compressed model file (as its ``load_model`` reads them)."""
    import lzma
    import shutil

    import numpy as np

    with tempfile.TemporaryFile(suffix=".npz") as tmp:
        with lzma.open(path) as src:
            shutil.copyfileobj(src, tmp, length=1 << 20)
        tmp.seek(0)
        with np.load(tmp, allow_pickle=False) as data:
            return {k: data[k] for k in _ARRAYS}


def _int_view(arr: Any) -> memoryview:
    """An unsigned-int array as a flat memoryview of Python ints, without a copy.

    py3langid copies its 39 MB state table into a stdlib ``array``; a memoryview indexes the
    same way (its DFA walk reads ``table[i]``), as fast, and leaves the table in the
    memory-mapped file, shared by every process instead of copied into each."""
    import numpy as np

    raw = memoryview(np.ascontiguousarray(arr).data).cast("B")
    size = arr.dtype.itemsize
    return raw.cast("H") if size == 2 else raw.cast("I") if size == 4 else raw.cast("Q")


@functools.lru_cache(maxsize=1)
def load_langid_model() -> tuple[Any, ...]:
    """``(nb_ptc, nb_pc, nb_classes, tk_nextmove, tk_row, tk_output)`` of py3langid's model,
    as ``py3langid.modelio.load_model`` returns them, read once per process (see the module
    docstring for the cache)."""
    path = _model_file()
    folder = _cache_dir(path)
    arrays = _read_cached(folder)
    if arrays is None:
        arrays = _read_model(path)
        _write_cache(folder, arrays)
    return (
        arrays["ptc"],
        arrays["pc"],
        arrays["classes"].tolist(),
        _int_view(arrays["nextmove"]),
        _int_view(arrays["nextmove_row"]),
        arrays["out_feat"].tolist(),
    )


def langid_identifier(languages: list[str] | None = None) -> Any:
    """A new py3langid ``LanguageIdentifier`` (normalised probabilities) on the shared model,
    restricted to ``languages`` when given."""
    import numpy as np
    from py3langid.langid import LanguageIdentifier

    ptc, pc, classes, nextmove, row, output = load_langid_model()
    ident = LanguageIdentifier(
        np.asarray(ptc), np.asarray(pc), classes, nextmove, output, norm_probs=True, tk_row=row
    )
    if languages is not None:
        ident.set_languages(languages)
    return ident
