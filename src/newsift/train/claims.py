"""``newsift train claims``: rebuild the ``claims.v1`` check-worthiness artifact.

Trains on ClaimBuster ``crowdsourced.csv`` (= CheckThat! 2024 English train, binarised), so the
research data stays outside the repository: only weights are written. Needs scikit-learn (the
``[train]`` extra); the MiniLM encoder is the committed ONNX one, so torch is not needed.

Cost here (2 shared cores): ~2 min to embed 22,501 sentences, ~1 min for the three regressions.
"""

from __future__ import annotations

import csv
import json
import time
from pathlib import Path
from typing import Any

import click
import numpy as np

from ..errors import DataError
from ..stages.checkworthy import MODEL_DIR, TfidfFeaturizer

LABELS = {"-1": 0, "0": 1, "1": 2}  # NFS, UFS, CFS -> index into CLASSES


def read_claimbuster(path: Path) -> tuple[list[str], np.ndarray]:
    """Texts and 3-class labels (0 NFS, 1 UFS, 2 CFS) from a ClaimBuster CSV."""
    texts, labels = [], []
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = {"Text", "Verdict"} - set(reader.fieldnames or [])
        if missing:
            raise DataError(f"{path}: expected columns Text and Verdict, got {reader.fieldnames}")
        for lineno, row in enumerate(reader, 2):
            if row["Verdict"].strip() not in LABELS:
                raise DataError(f"{path} line {lineno}: Verdict {row['Verdict']!r} is not -1/0/1")
            texts.append(row["Text"])
            labels.append(LABELS[row["Verdict"].strip()])
    return texts, np.array(labels)


def train(texts: list[str], y3: np.ndarray, out: Path, *, c: float = 1.0) -> dict[str, Any]:
    """Fit the TF-IDF (binary + 3-class) and embedding models and write the artifact to ``out``."""
    from sklearn.linear_model import LogisticRegression

    from ..embed import get_encoder

    t0 = time.time()
    idf = TfidfFeaturizer.fit_idf(texts)
    x = TfidfFeaturizer(idf).transform(texts)
    ybin = (y3 == 2).astype(int)
    lr_bin = LogisticRegression(C=c, class_weight="balanced", max_iter=3000).fit(x, ybin)
    lr3 = LogisticRegression(C=c, class_weight="balanced", max_iter=3000).fit(x, y3)
    t_tfidf = time.time() - t0
    t0 = time.time()
    emb = get_encoder().encode(texts)
    t_embed = time.time() - t0
    lr_emb = LogisticRegression(C=1.0, class_weight="balanced", max_iter=3000).fit(emb, ybin)
    n = idf[0].shape[0]
    arrays: dict[str, np.ndarray] = {}
    for block, k in (("word", 0), ("char", 1)):
        index = np.flatnonzero(idf[k]).astype(np.int32)
        sl = slice(k * n, (k + 1) * n)
        arrays["index_" + block] = index
        arrays["idf_" + block] = idf[k][index].astype(np.float16)
        arrays["bin_" + block] = lr_bin.coef_[0, sl][index].astype(np.float32)
        for cls in range(3):
            arrays[f"c{cls}_{block}"] = lr3.coef_[cls, sl][index].astype(np.float32)
    arrays["bin_intercept"] = lr_bin.intercept_.astype(np.float32)
    arrays["c3_intercept"] = lr3.intercept_.astype(np.float32)
    arrays["emb_coef"] = lr_emb.coef_[0].astype(np.float32)
    arrays["emb_intercept"] = lr_emb.intercept_.astype(np.float32)
    out.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(out / "checkworthy.npz", **arrays)
    config = {
        "threshold": 0.5,
        "cascade_band": [0.2, 0.8],
        "encoder": "all-MiniLM-L6-v2 int8 (newsift/models/minilm)",
        "train_sentences": len(texts),
        "C": c,
    }
    (out / "config.json").write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
    return {"seconds_tfidf": round(t_tfidf, 1), "seconds_embed": round(t_embed, 1), **config}


@click.command("claims")
@click.option(
    "--data", "data", type=click.Path(exists=True, path_type=Path),
    default=Path("../shared/data/claimbuster/crowdsourced.csv"), show_default=True,
    help="ClaimBuster crowdsourced.csv (3 classes).",
)
@click.option("--out", type=click.Path(path_type=Path), default=MODEL_DIR, show_default=True)
@click.option("-C", "c", type=float, default=1.0, show_default=True, help="Inverse L2 strength.")
@click.option("--part", type=click.Choice(["checkworthy", "matching", "all"]), default="all",
              show_default=True, help="matching: the fact-check re-scorer (CheckThat! 2021 task 2).")
@click.option("--shared", type=click.Path(file_okay=False, path_type=Path),
              default=Path("../shared/data"), show_default=True,
              help="Folder with checkthat2021-task2a-*/ and checkthat2021-task2b-*/.")
@click.option("--cache", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder to cache collection embeddings.")
def command(data: Path, out: Path, c: float, part: str, shared: Path, cache: Path | None) -> None:
    """Train the claims.v1 check-worthiness model (ClaimBuster) and the matching re-scorer."""
    if part in ("checkworthy", "all"):
        texts, y3 = read_claimbuster(data)
        click.echo(json.dumps(train(texts, y3, out, c=c), indent=2))
    if part in ("matching", "all"):
        click.echo(json.dumps(train_matching(shared, out, cache), indent=2))


def matching_examples(queries: Path, qrels: Path, collection: Path,
                      cache: Path | None) -> tuple[np.ndarray, np.ndarray, list[np.ndarray]]:
    """Candidate feature rows and 0/1 labels for every query of ``qrels``; also per-query
    blocks (for choosing the threshold on top-1 matches)."""
    from ..embed import get_encoder
    from ..eval.claim_matching import load_eval_collection, read_qrels, read_queries
    from ..factchecks.search import candidate_features
    from ..factchecks.store import tokenize

    texts, rel = read_queries(queries), read_qrels(qrels)
    coll = load_eval_collection(collection, cache)
    qids = sorted(rel)
    vecs = get_encoder().encode([texts[q] for q in qids])
    xs, ys, blocks = [], [], []
    for q, vec in zip(qids, vecs, strict=True):
        cand, feats = candidate_features(tokenize(texts[q]), vec, coll, 20)
        labels = np.array([coll.records[i]["id"] in rel[q] for i in cand], dtype=int)
        xs.append(feats)
        ys.append(labels)
        blocks.append(np.column_stack([feats, labels]))
    return np.vstack(xs), np.concatenate(ys), blocks


def train_matching(shared: Path, out: Path, cache: Path | None = None,
                   precision: float = 0.9) -> dict[str, Any]:
    """Fit the fact-check re-scorer on CheckThat! 2021 2A+2B train; pick the threshold on dev
    as the lowest score whose top-1 matches reach ``precision``."""
    from sklearn.linear_model import LogisticRegression

    sets = {
        "2a": (shared / "checkthat2021-task2a-tweets-snopes", "tweets-train-dev.tsv"),
        "2b": (shared / "checkthat2021-task2b-debates-politifact", "iclaims-train-dev.tsv"),
    }
    train_x, train_y, dev_blocks = [], [], []
    for folder, qfile in sets.values():
        for split in ("train", "dev"):
            x, y, blocks = matching_examples(folder / qfile, folder / f"qrels-{split}.tsv",
                                             folder / "vclaims.jsonl", cache)
            if split == "train":
                train_x.append(x)
                train_y.append(y)
            else:
                dev_blocks.extend(blocks)
    x_all, y_all = np.vstack(train_x), np.concatenate(train_y)
    lr = LogisticRegression(C=1.0, max_iter=2000).fit(x_all, y_all)
    lexical = LogisticRegression(C=1.0, max_iter=2000).fit(x_all[:, 1:3], y_all)
    top1 = []
    for b in dev_blocks:
        s = lr.predict_proba(b[:, :-1])[:, 1]
        top1.append((float(s.max()), int(b[int(s.argmax()), -1])))
    top1.sort(key=lambda t: -t[0])
    threshold, hits = 1.0, 0
    for n, (s, ok) in enumerate(top1, 1):
        hits += ok
        if hits / n >= precision:
            threshold = s
    from ..factchecks.search import FEATURES, RERANK_PATH

    kept = [ok for s, ok in top1 if s >= threshold]
    info = {
        "features": list(FEATURES), "coef": [round(float(c), 5) for c in lr.coef_[0]],
        "intercept": round(float(lr.intercept_[0]), 5), "threshold": round(threshold, 4),
        "lexical_coef": [round(float(c), 5) for c in lexical.coef_[0]],
        "lexical_intercept": round(float(lexical.intercept_[0]), 5),
        "dev_top1_precision_at_threshold": round(sum(kept) / max(len(kept), 1), 4),
        "dev_queries_matched_at_threshold": f"{len(kept)}/{len(top1)}",
        "trained_on": "CheckThat! 2021 task 2A + 2B train qrels (threshold on 2A + 2B dev)",
    }
    target = out / RERANK_PATH.name
    target.write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
    return info

