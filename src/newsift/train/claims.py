"""``newsift train claims``: rebuild the ``claims.v1`` check-worthiness artifact.

Trains on ClaimBuster ``crowdsourced.csv`` (= CheckThat! 2024 English train, binarised) and
calibrates on the news gold's tuning part (``tests/fixtures/checkworthy-news-gold.jsonl``, whose
articles are read from ``../shared``), so the research data stays outside the repository: only
weights and a few calibration numbers are written, with the metrics (in distribution, out of
distribution by debate year, CheckThat! 2024 dev-test, the news gold) into ``config.json``.
Needs scikit-learn (the ``[train]`` extra); the MiniLM encoder is the committed ONNX one, so
torch is not needed. Deterministic: the regressions use lbfgs, the holdout a fixed seed.

Cost here (2 shared cores): ~8 min to embed 22,501 sentences (cached for the next run), ~4-7
min for the regressions (two TF-IDF fits: the time split and the shipped model).
"""

from __future__ import annotations

import csv
import hashlib
import json
import time
from pathlib import Path
from typing import Any

import click
import numpy as np

from ..errors import DataError
from ..stages.checkworthy import MODEL_DIR, TfidfFeaturizer

LABELS = {"-1": 0, "0": 1, "1": 2}  # NFS, UFS, CFS -> index into CLASSES
FIGURE_BONUSES = (0.0, 0.05, 0.1, 0.15, 0.2)
C_EMBEDDING = 1.0  # the MiniLM regression's C, chosen out of distribution (bench/checkworthy_select.py)


def read_claimbuster(path: Path) -> tuple[list[str], np.ndarray, np.ndarray | None]:
    """Texts, 3-class labels (0 NFS, 1 UFS, 2 CFS) and debate years (from ``File_id`` such as
    ``1988-09-25.txt``; None when the file has no such column) from a ClaimBuster CSV."""
    texts, labels, years = [], [], []
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
            year = (row.get("File_id") or "")[:4]
            years.append(int(year) if year.isdigit() else -1)
    has_years = bool(years) and min(years) > 0
    return texts, np.array(labels), np.array(years) if has_years else None


def _lr(x: Any, y: np.ndarray, c: float) -> Any:
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=c, class_weight="balanced", max_iter=3000).fit(x, y)


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


def embed_cached(texts: list[str], cache: Path | None) -> np.ndarray:
    """MiniLM vectors of ``texts`` (batches as the encoder makes them), cached by content."""
    from ..embed import get_encoder

    if cache is None:
        return get_encoder().encode(texts)
    key = hashlib.sha1("\x00".join(texts).encode("utf-8")).hexdigest()[:20]
    path = cache / f"checkworthy-minilm-{key}.npy"
    if path.exists():
        return np.load(path)
    vecs = get_encoder().encode(texts)
    cache.mkdir(parents=True, exist_ok=True)
    np.save(path, vecs)
    return vecs


def fit_scorer(texts: list[str], y3: np.ndarray, emb: np.ndarray, c: float,
               c_emb: float) -> dict[str, Any]:
    """The three regressions (TF-IDF binary and 3-class, MiniLM binary) on one training set."""
    idf = TfidfFeaturizer.fit_idf(texts)
    x = TfidfFeaturizer(idf).transform(texts)
    ybin = (y3 == 2).astype(int)
    return {"idf": idf, "bin": _lr(x, ybin, c), "three": _lr(x, y3, c),
            "emb": _lr(emb, ybin, c_emb)}


def raw_scores(fitted: dict[str, Any], texts: list[str], emb: np.ndarray) -> tuple[
        np.ndarray, np.ndarray]:
    """Full-mode raw scores (the average of both regressions) and the TF-IDF model's own."""
    x = TfidfFeaturizer(fitted["idf"]).transform(texts)
    p_t = fitted["bin"].predict_proba(x)[:, 1]
    p_e = fitted["emb"].predict_proba(emb)[:, 1]
    return (p_t + p_e) / 2, p_t


def _binary_metrics(y: np.ndarray, pred: np.ndarray, score: np.ndarray | None = None
                    ) -> dict[str, float]:
    from ..eval.checkworthy import prf

    out = {k: round(v, 4) for k, v in prf(list(y), list(pred.astype(int))).items()}
    out["share"] = round(float(pred.mean()), 4)
    out["gold_share"] = round(float(y.mean()), 4)
    if score is not None:
        from sklearn.metrics import average_precision_score

        out["average_precision"] = round(float(average_precision_score(y, score)), 4)
    return out


def platt(raw: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """``(a, b)`` so that sigmoid(a * logit(raw) + b) is calibrated on ``y`` (unweighted)."""
    from sklearn.linear_model import LogisticRegression

    from ..stages.checkworthy import logit

    m = LogisticRegression(C=1e4, max_iter=1000).fit(logit(raw)[:, None], y)
    return float(m.coef_[0, 0]), float(m.intercept_[0])


def pick_checkworthy_threshold(score: np.ndarray, y: np.ndarray, max_share: float) -> float:
    """The calibrated score that maximises check-worthy F1 on ``y`` among cuts that label at
    most ``max_share`` of the sentences check-worthy (ties: the higher cut)."""
    best, best_f1 = 0.5, -1.0
    for t in np.round(np.arange(0.20, 0.90, 0.01), 2):
        pred = score >= t
        if pred.mean() > max_share:
            continue
        tp = float((pred & (y == 1)).sum())
        f1 = 2 * tp / (pred.sum() + y.sum()) if pred.sum() + y.sum() else 0.0
        if f1 >= best_f1:
            best, best_f1 = round(float(t), 2), f1
    return best


def pick_band(p_tfidf: np.ndarray, full_cal: np.ndarray, tfidf_cal: np.ndarray,
              threshold: float, agree: float = 0.98) -> list[float]:
    """The narrowest band around the threshold (on the TF-IDF model's raw P) outside which
    using the TF-IDF score alone gives the full model's class for >= ``agree`` of sentences."""
    full_pos = full_cal >= threshold
    centre = float(np.median(p_tfidf[np.abs(full_cal - threshold) < 0.1])) if np.any(
        np.abs(full_cal - threshold) < 0.1) else 0.5
    for half in np.arange(0.05, 0.51, 0.05):
        lo, hi = max(0.0, centre - half), min(1.0, centre + half)
        inside = (p_tfidf > lo) & (p_tfidf < hi)
        pred = np.where(inside, full_pos, tfidf_cal >= threshold)
        if (pred == full_pos).mean() >= agree:
            return [round(lo, 3), round(hi, 3)]
    return [0.0, 1.0]


def train(texts: list[str], y3: np.ndarray, out: Path, *, c: float = 1.0, c_emb: float = 1.0,
          years: np.ndarray | None = None, news: list[Any] | None = None,
          devtest: tuple[list[str], np.ndarray] | None = None, cache: Path | None = None,
          max_share: float = 0.33) -> dict[str, Any]:
    """Fit the scorer on every sentence, calibrate it on the news gold's tuning part, write the
    artifact to ``out`` and the metrics (in and out of distribution) into its config.

    Args:
        texts, y3: ClaimBuster sentences and classes (0 NFS, 1 UFS, 2 CFS).
        years: each sentence's debate year: when given, a second model trained on 1960-2004
            (less a 10% random holdout) is scored on the holdout (in distribution) and on
            2008-2016 (out of distribution), and only reported.
        news: :class:`~newsift.eval.checkworthy.NewsSentence` list: its ``tune`` part fits the
            calibration and the threshold; its ``score`` part is only reported.
        devtest: CheckThat! 2024 English dev-test, only reported.
        max_share: the threshold may label at most this share of the tuning sentences
            check-worthy.
    """
    from ..stages.checkworthy import CHECK_WORTHY, CheckworthyModel

    t0 = time.time()
    emb = embed_cached(texts, cache)
    t_embed = time.time() - t0
    metrics: dict[str, Any] = {}
    if years is not None:
        rng = np.random.default_rng(0)
        early = np.flatnonzero(years < 2008)
        hold = np.sort(rng.choice(early, len(early) // 10, replace=False))
        fit_idx = np.setdiff1d(early, hold)
        late = np.flatnonzero(years >= 2008)
        fitted = fit_scorer([texts[i] for i in fit_idx], y3[fit_idx], emb[fit_idx], c, c_emb)
        for name, idx in (("in_distribution_holdout_1960_2004", hold),
                          ("out_of_distribution_2008_2016", late)):
            raw, _ = raw_scores(fitted, [texts[i] for i in idx], emb[idx])
            metrics[name] = _binary_metrics((y3[idx] == 2).astype(int), raw >= 0.5, raw)
            metrics[name]["sentences"] = int(len(idx))
        metrics["time_split_note"] = (
            "trained on debates 1960-2004 less a 10% holdout; raw score, threshold 0.5"
        )
    t1 = time.time()
    fitted = fit_scorer(texts, y3, emb, c, c_emb)
    t_fit = time.time() - t1
    config: dict[str, Any] = {
        "threshold": 0.5,
        "debate_threshold": 0.5,
        "calibration": {"a": 1.0, "b": 0.0},
        "cascade_band": [0.2, 0.8],
        "encoder": "all-MiniLM-L6-v2 int8 (newsift/models/minilm)",
        "train_sentences": len(texts),
        "C": c,
        "C_embedding": c_emb,
    }
    if news:
        tune = [s for s in news if s.part == "tune"]
        t_texts = [s.text for s in tune]
        t_y = np.array([s.label for s in tune])
        t_emb = embed_cached(t_texts, cache)
        raw0, p_t0 = raw_scores(fitted, t_texts, t_emb)
        from sklearn.metrics import average_precision_score

        from ..stages.checkworthy import has_count, logit
        from ..stages.claims import furniture_or_fragment
        from ..stages.figures import parse_figures

        # furniture and fragments are non-factual whatever the score: fit on the rest
        real = np.array([not furniture_or_fragment(t) for t in t_texts])
        counts = np.array([has_count(parse_figures(t)) for t in t_texts], dtype=float)

        def bumped(p: np.ndarray, bonus: float) -> np.ndarray:
            return np.clip(p + bonus * counts, 1e-3, 1 - 1e-3)

        bonus_ap = {b: float(average_precision_score(t_y, np.where(real, bumped(raw0, b), 0.0)))
                    for b in FIGURE_BONUSES}
        bonus = max(FIGURE_BONUSES, key=lambda b: (round(bonus_ap[b], 4), -b))
        raw, p_t = bumped(raw0, bonus), bumped(p_t0, bonus)
        a, b = platt(raw[real], t_y[real])
        cal = np.where(real, _sigmoid(a * logit(raw) + b), 0.0)
        threshold = pick_checkworthy_threshold(cal, t_y, max_share)
        config.update({
            "figure_bonus": bonus,
            "figure_bonus_rule": "added to the raw score of a sentence with a count, amount or "
            "share; the value of " + str(list(FIGURE_BONUSES)) + " with the best average "
            "precision on the news tuning part: "
            + ", ".join(f"{k}: {v:.3f}" for k, v in bonus_ap.items()),
            "calibration": {"a": round(a, 5), "b": round(b, 5)},
            "threshold": threshold,
            "debate_threshold": round(float(_sigmoid(np.array(b))), 4),
            "cascade_band": pick_band(p_t0[real], cal[real], _sigmoid(a * logit(p_t[real]) + b),
                                      threshold),
            "debate_cascade_band": pick_band(p_t0[real], cal[real],
                                             _sigmoid(a * logit(p_t[real]) + b),
                                             float(_sigmoid(np.array(b)))),
            "cascade_band_rule": "the narrowest band of the TF-IDF model's raw P outside which "
            "its score alone gives the full model's class for >= 98% of the news tuning "
            "sentences, at the news threshold (cascade_band) or the debate one",
            "calibration_data": f"news gold tuning part: {len(tune)} sentences of "
            f"{len({(s.dataset, s.doc) for s in tune})} articles, {int(t_y.sum())} check-worthy",
            "threshold_rule": f"the calibrated score with the best check-worthy F1 on the "
            f"tuning part among cuts labelling at most {max_share:.0%} of it check-worthy",
        })
    write_artifact(fitted, out, config)
    model = CheckworthyModel(out)
    model_debate = CheckworthyModel(out, threshold="debate")
    if devtest is not None:
        for name, m in (("devtest_debate_threshold", model_debate), ("devtest_news_threshold",
                                                                       model)):
            scores, classes = m.predict(devtest[0])
            metrics[name] = _binary_metrics(
                devtest[1], np.array([k == CHECK_WORTHY for k in classes]), scores)
    if news:
        for part in ("tune", "score"):
            sents = [s for s in news if s.part == part]
            scores, classes = model.predict([s.text for s in sents])
            pred = np.array([k == CHECK_WORTHY for k in classes])
            metrics[f"news_{part}"] = _binary_metrics(
                np.array([s.label for s in sents]), pred, scores)
    config["metrics"] = metrics
    config["mode_for_metrics"] = "cascade (the default)"
    (out / "config.json").write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
    return {"seconds_embed": round(t_embed, 1), "seconds_fit": round(t_fit, 1), **config}


def write_artifact(fitted: dict[str, Any], out: Path, config: dict[str, Any]) -> None:
    """``checkworthy.npz`` (sparse TF-IDF weights, embedding weights) and ``config.json``."""
    idf = fitted["idf"]
    lr_bin, lr3, lr_emb = fitted["bin"], fitted["three"], fitted["emb"]
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
    (out / "config.json").write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")


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
@click.option("-C", "c", type=float, default=1.0, show_default=True,
              help="Inverse L2 strength of the TF-IDF regressions.")
@click.option("--C-embedding", "c_emb", type=float, default=C_EMBEDDING, show_default=True,
              help="Inverse L2 strength of the MiniLM regression (chosen out of distribution).")
@click.option("--max-share", type=float, default=0.33, show_default=True,
              help="Most of the news tuning sentences the check-worthy threshold may label so.")
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
    help="Folder with checkthat2021-task2a-*/, checkthat2021-task2b-*/, checkthat2024-task1-en/ "
    "and the news gold's articles (ptc/, extraction-benchmark/).",
)
@click.option(
    "--cache",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder to cache embeddings (default: ~/.cache/newsift/embeddings).",
)
def command(data: Path, out: Path, c: float, c_emb: float, max_share: float, part: str,
            shared: Path, cache: Path | None) -> None:
    """Train the claims.v1 check-worthiness model (ClaimBuster, calibrated on the news gold) and
    the matching re-scorer."""
    from ..eval.claim_matching import default_cache

    if part in ("checkworthy", "all"):
        from ..eval.checkworthy import load_news_gold, read_gold

        texts, y3, years = read_claimbuster(data)
        dev = shared / "checkthat2024-task1-en" / "CT24_checkworthy_english_dev-test.tsv"
        gold = read_gold(dev) if dev.exists() else None
        result = train(
            texts, y3, out, c=c, c_emb=c_emb, years=years,
            news=load_news_gold(shared.parent),
            devtest=(gold.texts, np.array(gold.binary)) if gold else None,
            cache=cache or default_cache(), max_share=max_share,
        )
        click.echo(json.dumps(result, indent=2))
    if part in ("matching", "all"):
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
