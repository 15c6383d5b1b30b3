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
    "--data",
    "data",
    type=click.Path(exists=True, path_type=Path),
    default=Path("../shared/data/claimbuster/crowdsourced.csv"),
    show_default=True,
    help="ClaimBuster crowdsourced.csv (3 classes).",
)
@click.option("--out", type=click.Path(path_type=Path), default=MODEL_DIR, show_default=True)
@click.option("-C", "c", type=float, default=1.0, show_default=True, help="Inverse L2 strength.")
@click.option(
    "--part",
    type=click.Choice(["checkworthy", "matching", "all"]),
    default="all",
    show_default=True,
    help="matching: the fact-check re-scorer (CheckThat! 2021 task 2).",
)
@click.option(
    "--shared",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("../shared/data"),
    show_default=True,
    help="Folder with checkthat2021-task2a-*/ and checkthat2021-task2b-*/.",
)
@click.option(
    "--cache",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder to cache collection embeddings (default: ~/.cache/newsift/embeddings).",
)
def command(data: Path, out: Path, c: float, part: str, shared: Path, cache: Path | None) -> None:
    """Train the claims.v1 check-worthiness model (ClaimBuster) and the matching re-scorer."""
    if part in ("checkworthy", "all"):
        texts, y3 = read_claimbuster(data)
        click.echo(json.dumps(train(texts, y3, out, c=c), indent=2))
    if part in ("matching", "all"):
        from ..eval.claim_matching import default_cache

        click.echo(json.dumps(train_matching(shared, out, cache or default_cache()), indent=2))


def matching_examples(
    queries: Path, qrels: Path, collection: Path, cache: Path | None
) -> list[np.ndarray]:
    """Per query of ``qrels``: its candidates' :data:`~newsift.factchecks.search.FEATURES` rows
    with a last column of 0/1 labels (production depth, 20 per retriever)."""
    from ..embed import get_encoder
    from ..eval.claim_matching import load_eval_collection, read_qrels, read_queries
    from ..factchecks.search import FEATURES, candidate_features
    from ..factchecks.store import tokenize

    texts, rel = read_queries(queries), read_qrels(qrels)
    coll = load_eval_collection(collection, cache)
    qids = sorted(rel)
    vecs = get_encoder().encode([texts[q] for q in qids])
    blocks = []
    for q, vec in zip(qids, vecs, strict=True):
        cand, feats = candidate_features(tokenize(texts[q]), coll.embeddings @ vec, coll, 20)
        labels = np.array([coll.records[i]["id"] in rel[q] for i in cand], dtype=float)
        blocks.append(np.column_stack([feats[:, : len(FEATURES)], labels]))
    return blocks


def top1_outcomes(blocks: list[np.ndarray], score: Any) -> tuple[np.ndarray, np.ndarray]:
    """Per query: (best score, whether it is relevant), and the best score among non-relevant
    candidates only: what a sentence whose fact-check is *not* in the collection would get
    (the features are absolute, so removing the relevant records changes no other row)."""
    pos, neg = [], []
    for b in blocks:
        s = score(b[:, :-1])
        j = int(s.argmax())
        pos.append((s[j], b[j, -1]))
        others = s[b[:, -1] == 0]
        neg.append(others.max() if len(others) else 0.0)
    return np.array(pos), np.array(neg)


def pick_threshold(pos: np.ndarray, neg: np.ndarray, precision: float) -> float:
    """The lowest score at which top-1 matches are right at least ``precision`` of the time,
    counting every query once with its fact-check in the collection and once without."""
    for t in np.arange(0.05, 0.99, 0.01):
        ok = ((pos[:, 0] >= t) & (pos[:, 1] == 1)).sum()
        bad = ((pos[:, 0] >= t) & (pos[:, 1] == 0)).sum() + (neg >= t).sum()
        if ok and ok / (ok + bad) >= precision:
            return round(float(t), 2)
    return 0.99


def _outcomes_at(pos: np.ndarray, neg: np.ndarray, t: float) -> dict[str, float]:
    return {
        "right_top1": round(float(((pos[:, 0] >= t) & (pos[:, 1] == 1)).mean()), 3),
        "wrong_top1": round(float(((pos[:, 0] >= t) & (pos[:, 1] == 0)).mean()), 3),
        "false_match_when_absent": round(float((neg >= t).mean()), 3),
    }


def train_matching(
    shared: Path, out: Path, cache: Path | None = None, precision: float = 0.85
) -> dict[str, Any]:
    """Fit the fact-check re-scorer on CheckThat! 2021 2A + 2B **train** qrels and pick its
    high-precision threshold on train too; dev is only reported (see :func:`pick_threshold`)."""
    from sklearn.linear_model import LogisticRegression

    from ..factchecks.search import FEATURES, RERANK_PATH

    sets = {
        "2a": (shared / "checkthat2021-task2a-tweets-snopes", "tweets-train-dev.tsv"),
        "2b": (shared / "checkthat2021-task2b-debates-politifact", "iclaims-train-dev.tsv"),
    }
    blocks: dict[str, list[np.ndarray]] = {"train": [], "dev": []}
    for folder, qfile in sets.values():
        for split in blocks:
            blocks[split] += matching_examples(
                folder / qfile, folder / f"qrels-{split}.tsv", folder / "vclaims.jsonl", cache
            )
    train_rows = np.vstack(blocks["train"])
    x, y = train_rows[:, :-1], train_rows[:, -1]
    lr = LogisticRegression(C=3.0, max_iter=5000).fit(x, y)
    lex = LogisticRegression(C=3.0, max_iter=5000).fit(x[:, 1:], y)
    models = {
        "dense": (lr, lambda f: lr.predict_proba(f)[:, 1]),
        "lexical": (lex, lambda f: lex.predict_proba(f[:, 1:])[:, 1]),
    }
    info: dict[str, Any] = {"features": list(FEATURES)}
    for kind, (_model, score) in models.items():
        pos, neg = top1_outcomes(blocks["train"], score)
        t = pick_threshold(pos, neg, precision)
        info[f"{kind}_train_at_threshold"] = _outcomes_at(pos, neg, t)
        info[f"{kind}_dev_at_threshold"] = _outcomes_at(*top1_outcomes(blocks["dev"], score), t)
        info["threshold" if kind == "dense" else "lexical_threshold"] = t
    info.update(
        {
            "coef": [round(float(c), 5) for c in lr.coef_[0]],
            "intercept": round(float(lr.intercept_[0]), 5),
            "lexical_coef": [round(float(c), 5) for c in lex.coef_[0]],
            "lexical_intercept": round(float(lex.intercept_[0]), 5),
            "threshold_rule": f"lowest score with top-1 precision >= {precision} on train, each "
            "query counted with and without its fact-check in the collection",
            "trained_on": "CheckThat! 2021 task 2A + 2B train qrels only (dev reported, not used)",
        }
    )
    info.update(calibrate_narratives(shared, models["dense"][1]))
    target = out / RERANK_PATH.name
    target.write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
    return info


def calibrate_narratives(
    shared: Path, score: Any, n: int = 600, max_rate: float = 0.005, min_cases: int = 2
) -> dict[str, Any]:
    """The threshold for known-narrative collections (EUvsDisinfo): the lowest score at which at
    most ``max_rate`` of ``n`` check-worthy sentences from an unrelated domain (CheckThat! 2024
    English, US debates) would get ``min_cases`` EUvsDisinfo cases scoring that high."""
    from ..embed import get_encoder
    from ..factchecks import euvsdisinfo
    from ..factchecks.search import FEATURES, candidate_features
    from ..factchecks.store import tokenize

    folder = shared / "checkthat2024-task1-en"
    texts = []
    for name in ("CT24_checkworthy_english_dev-test.tsv", "CT24_checkworthy_english_train.tsv"):
        with (folder / name).open(encoding="utf-8", newline="") as fh:
            texts += [
                r["Text"] for r in csv.DictReader(fh, delimiter="\t") if r["class_label"] == "Yes"
            ]
    rng = np.random.default_rng(0)
    texts = [texts[i] for i in rng.choice(len(texts), min(n, len(texts)), replace=False)]
    coll = euvsdisinfo.load()
    support = []
    for text, vec in zip(texts, get_encoder().encode(texts), strict=True):
        _, feats = candidate_features(tokenize(text), coll.embeddings @ vec, coll, 20)
        s = np.sort(score(feats[:, : len(FEATURES)]))[::-1]
        support.append(s[min_cases - 1] if len(s) >= min_cases else 0.0)
    support_arr = np.array(support)
    t = next(
        (
            round(float(t), 2)
            for t in np.arange(0.02, 0.99, 0.01)
            if (support_arr >= t).mean() <= max_rate
        ),
        0.99,
    )
    return {
        "narrative_threshold": t,
        "narrative_min_cases": min_cases,
        "narrative_rule": f"lowest score at which <= {max_rate:.1%} of {len(texts)} CheckThat! "
        f"2024 check-worthy debate sentences get {min_cases} EUvsDisinfo cases",
    }
