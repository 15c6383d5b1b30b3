"""``newsift train attribution``: the learned German quotation detector and speaker ranker.

Data: the tune part (:func:`newsift.eval.attribution_languages.wikinews_split`) of the German
Wikinews quotation corpus (``../shared/data/attribution/german-news-quotation-attribution-2024``,
CC BY-NC-SA 4.0, read in place). The score part is never read here.

Every article goes through ``nlp.v1`` and the rules of :mod:`newsift.stages.attribution_ml`, and
the features of :mod:`newsift.stages.attribution_learned` (the ones the runtime computes) are
extracted for every unit (label: a gold quotation overlaps it as the scorer counts a match) and
for every speaker candidate of a unit with a gold quotation that has a speaker (label: the
candidate overlaps the gold speaker). Two L2-regularised logistic regressions (scikit-learn) are
fitted on binary hashed features. The two thresholds (add a unit the rules left empty; drop a
rules' record) are chosen by 2-fold cross-validation inside the tune part, maximising source
right with spurious predictions held under ``--max-spurious``; the final models are refitted on
the whole tune part and written as numpy arrays with the thresholds, plus a metrics file.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from pathlib import Path
from typing import Any

import click
import numpy as np

from ..stages.attribution_learned import (
    MODEL_PATH,
    N_FEATURES,
    Context,
    Model,
    hash_features,
    proposals,
    select,
)

DEFAULT_DATA = Path("../shared/data/attribution/german-news-quotation-attribution-2024")
ADD_GRID = (0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.8)
DROP_GRID = (0.0, 0.05, 0.1, 0.15, 0.2, 0.3)


def _spans(role: dict[str, Any] | None) -> list[tuple[int, int]]:
    return [(s["charBegin"], s["charEnd"]) for s in (role or {}).get("spans", [])]


def _hit(a: list[tuple[int, int]], s: int, e: int) -> int:
    return sum(max(0, min(y, e) - max(x, s)) for x, y in a)


class Prepared:
    """One article read by the rules, with its gold quotations."""

    def __init__(self, doc: dict[str, Any]) -> None:
        from ..api import get_pipeline
        from ..article import Article
        from ..stages.attribution_ml import Reader

        article = get_pipeline(["nlp.v1"])(Article(text=doc["originalText"], language="de"))
        self.doc = doc
        self.article = article
        self.reader = Reader(article, "de")
        self.rules = self.reader.run()
        self.gold = [
            (_spans(a.get("quote")), _spans(a.get("speaker")))
            for a in doc["annotations"]
            if _spans(a.get("quote"))
        ]

    def fresh(self) -> tuple[Any, list[dict[str, Any]]]:
        """A reader and the rules' records, not yet touched by a model."""
        from ..stages.attribution_ml import Reader

        reader = Reader(self.article, "de")
        return reader, reader.run()

    def unit_gold(
        self, s: int, e: int
    ) -> tuple[list[tuple[int, int]], list[tuple[int, int]]] | None:
        """The gold quotation matched by a prediction covering ``[s, e)`` (the scorer's rule:
        overlap at least half of the shorter), with the most overlap."""
        best = None
        for quote, speaker in self.gold:
            qlen = sum(b - a for a, b in quote)
            ov = _hit(quote, s, e)
            if ov and ov >= 0.5 * min(qlen, e - s) and (best is None or ov > best[0]):
                best = (ov, quote, speaker)
        return (best[1], best[2]) if best else None


def examples(
    docs: list[Prepared],
) -> tuple[list[list[int]], list[int], list[list[int]], list[int], list[int], dict[str, float]]:
    """Hashed features and labels for the detector (units) and the ranker (candidates, with
    the group of each: the unit it competes in)."""
    xq: list[list[int]] = []
    yq: list[int] = []
    xs: list[list[int]] = []
    ys: list[int] = []
    groups: list[int] = []
    with_speaker = covered = 0
    for d in docs:
        ctx = Context(d.reader, d.rules)
        for i, (us, ue) in enumerate(ctx.units):
            xq.append(hash_features(ctx.unit_features(i)))
            g = d.unit_gold(us, ue)
            yq.append(int(g is not None))
            if g is None or not g[1]:
                continue
            quote, speaker = g
            rules = sorted(
                ctx.rule_by_unit[i],
                key=lambda a: -_hit(quote, a["content"]["start"], a["content"]["end"]),
            )
            cands = ctx.candidates(i, rules[:1])
            labels = [int(_hit(speaker, c.start, c.end) > 0) for c in cands]
            with_speaker += 1
            covered += any(labels)
            if not any(labels):
                continue
            for c, y in zip(cands, labels, strict=True):
                xs.append(hash_features(list(c.features)))
                ys.append(y)
                groups.append(with_speaker)
    stats = {
        "units": len(yq),
        "units_with_quotation": int(sum(yq)),
        "candidates": len(ys),
        "candidate_recall": round(covered / max(1, with_speaker), 4),
    }
    return xq, yq, xs, ys, groups, stats


def fit_ranker(xs: Any, ys: list[int], groups: list[int], c: float) -> np.ndarray:
    """Weights of a conditional logit over each unit's candidates: the softmax of the
    candidates' scores puts its mass on the speaker's mentions (L2 penalty ``1 / (2c)``)."""
    from scipy.optimize import minimize
    from scipy.sparse import csr_matrix

    g = np.asarray(groups)
    _, gid = np.unique(g, return_inverse=True)
    n_groups = int(gid.max()) + 1
    pos = np.asarray(ys, dtype=np.float64)
    members = csr_matrix(
        (np.ones(len(gid)), (gid, np.arange(len(gid)))), shape=(n_groups, len(gid))
    )
    xt = xs.T.tocsr()

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        z = xs @ w
        zmax = np.zeros(n_groups)
        np.maximum.at(zmax, gid, z)
        ez = np.exp(z - zmax[gid])
        all_sum = members @ ez
        pos_sum = members @ (ez * pos)
        nll = float(np.sum(np.log(all_sum) - np.log(pos_sum)))
        grad_z = ez / all_sum[gid] - ez * pos / pos_sum[gid]
        grad = xt @ grad_z + w / c
        return nll + float(w @ w) / (2 * c), grad

    w0 = np.zeros(xs.shape[1])
    res = minimize(loss, w0, jac=True, method="L-BFGS-B", options={"maxiter": 300})
    return np.asarray(res.x, dtype=np.float32)


def _matrix(rows: list[list[int]]) -> Any:
    from scipy.sparse import csr_matrix

    indptr = np.cumsum([0] + [len(r) for r in rows])
    indices: np.ndarray = (
        np.concatenate([np.asarray(r, dtype=np.int64) for r in rows])
        if rows
        else np.zeros(0, dtype=np.int64)
    )
    data = np.ones(len(indices), dtype=np.float32)
    m = csr_matrix((data, indices, indptr), shape=(len(rows), N_FEATURES))
    m.sum_duplicates()
    m.data[:] = 1.0
    return m


def fit(docs: list[Prepared], c_quote: float, c_speaker: float) -> tuple[Model, dict[str, float]]:
    """The two logistic regressions fitted on ``docs`` (thresholds left at 0.5 / 0)."""
    from sklearn.linear_model import LogisticRegression

    xq, yq, xs, ys, groups, stats = examples(docs)
    q = LogisticRegression(C=c_quote, max_iter=2000, solver="liblinear", random_state=0).fit(
        _matrix(xq), yq
    )
    model = Model(
        quote_w=q.coef_[0].astype(np.float32),
        quote_b=float(q.intercept_[0]),
        speaker_w=fit_ranker(_matrix(xs), ys, groups, c_speaker),
        speaker_b=0.0,
        add_threshold=0.5,
        drop_threshold=0.0,
    )
    return model, stats


def evaluate(
    docs: list[Prepared], model: Model, grid: list[tuple[float, float]]
) -> dict[tuple[float, float], dict[str, Any]]:
    """The scorer's figures on ``docs`` for each (add, drop) threshold pair."""
    from ..eval.attribution_languages import score_wikinews_predictions

    props = []
    for d in docs:
        reader, rules = d.fresh()
        props.append((reader, proposals(reader, rules, model)))
    out = {}
    raw = [d.doc for d in docs]
    for add, drop in grid:
        preds = [select(r, p, add, drop) for r, p in props]
        out[(add, drop)] = score_wikinews_predictions(raw, preds)
    return out


def _fold(name: str) -> int:
    return int(hashlib.sha1(("fold:" + name).encode("utf-8")).hexdigest()[:8], 16) % 2


def train(
    data: Path, out: Path, c_quote: float, c_speaker: float, max_spurious: float
) -> dict[str, Any]:
    """Fit, choose thresholds by 2-fold CV on the tune part, refit, write ``out``."""
    from ..eval.attribution_languages import read_wikinews, score_wikinews_predictions

    t0 = time.process_time()
    raw = read_wikinews(data, "tune")
    docs = [Prepared(d) for d in raw]
    grid = [(a, d) for a in ADD_GRID for d in DROP_GRID]
    sums: dict[tuple[float, float], list[float]] = {g: [0.0, 0.0, 0.0] for g in grid}
    folds = []
    for k in (0, 1):
        train_docs = [d for d in docs if _fold(d.doc["documentName"]) != k]
        test_docs = [d for d in docs if _fold(d.doc["documentName"]) == k]
        model, _ = fit(train_docs, c_quote, c_speaker)
        res = evaluate(test_docs, model, grid)
        for g, r in res.items():
            sums[g][0] += r["source_right"] * r["with_speaker"]
            sums[g][1] += r["with_speaker"]
            sums[g][2] += r["spurious"] * r["predicted"]
        folds.append(res)
    predicted = {g: sum(f[g]["predicted"] for f in folds) for g in grid}
    cv = {
        g: {
            "source_right": round(v[0] / max(1.0, v[1]), 4),
            "spurious": round(v[2] / max(1, predicted[g]), 4),
        }
        for g, v in sums.items()
    }
    ok = [g for g in grid if cv[g]["spurious"] <= max_spurious] or grid
    best = max(ok, key=lambda g: (cv[g]["source_right"], -cv[g]["spurious"]))
    model, stats = fit(docs, c_quote, c_speaker)
    model = Model(
        quote_w=model.quote_w,
        quote_b=model.quote_b,
        speaker_w=model.speaker_w,
        speaker_b=model.speaker_b,
        add_threshold=best[0],
        drop_threshold=best[1],
    )
    rules_only = score_wikinews_predictions(raw, [d.rules for d in docs])
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        out,
        quote_w=_sparse16(model.quote_w),
        quote_b=np.float32(model.quote_b),
        speaker_w=_sparse16(model.speaker_w),
        speaker_b=np.float32(model.speaker_b),
        add_threshold=np.float32(model.add_threshold),
        drop_threshold=np.float32(model.drop_threshold),
    )
    metrics = {
        "data": "german-news-quotation-attribution-2024, tune part (wikinews_split), "
        f"{len(docs)} articles",
        "c_quote": c_quote,
        "c_speaker": c_speaker,
        "max_spurious": max_spurious,
        "add_threshold": best[0],
        "drop_threshold": best[1],
        "cv2_tune": {"rules_only_tune_all": _short(rules_only), **_short(cv[best])},
        "training": stats,
        "cpu_s": round(time.process_time() - t0, 1),
    }
    out.with_name("metrics.json").write_text(json.dumps(metrics, indent=2) + "\n")
    return metrics


def article_year(name: str) -> int | None:
    """The year in a Wikinews document name ("... (2005-08-05)"), None where it has none."""
    m = re.search(r"\((\d{4})-\d\d-\d\d\)\s*$", name)
    return int(m.group(1)) if m else None


def year_check(
    data: Path, c_quote: float, c_speaker: float, model_path: Path = MODEL_PATH, gap: int = 2007
) -> dict[str, Any]:
    """An out-of-distribution check inside the tune part: fit on the articles dated before
    ``gap`` and score those dated after it, then the other way round, at the thresholds of
    the model at ``model_path``; the rules alone on the same articles beside. Writes
    nothing."""
    from ..eval.attribution_languages import read_wikinews, score_wikinews_predictions

    shipped = Model.load(model_path)
    thresholds = (shipped.add_threshold, shipped.drop_threshold)
    docs = [Prepared(d) for d in read_wikinews(data, "tune")]
    years = [article_year(d.doc["documentName"]) for d in docs]
    early = [d for d, y in zip(docs, years, strict=True) if y is not None and y < gap]
    late = [d for d, y in zip(docs, years, strict=True) if y is not None and y > gap]
    out: dict[str, Any] = {"thresholds": [round(t, 4) for t in thresholds]}
    for name, train_docs, test_docs in (
        (f"before {gap} -> after", early, late),
        (f"after {gap} -> before", late, early),
    ):
        model, _ = fit(train_docs, c_quote, c_speaker)
        preds = []
        for d in test_docs:
            reader, rules = d.fresh()
            preds.append(select(reader, proposals(reader, rules, model, thresholds), *thresholds))
        raw = [d.doc for d in test_docs]
        out[name] = {
            "train_articles": len(train_docs),
            "test_articles": len(test_docs),
            "model": _short(score_wikinews_predictions(raw, preds)),
            "rules_only": _short(score_wikinews_predictions(raw, [d.rules for d in test_docs])),
        }
    return out


def _short(r: dict[str, Any]) -> dict[str, Any]:
    return {k: r[k] for k in ("source_right", "found", "spurious") if k in r}


def _sparse16(w: np.ndarray) -> np.ndarray:
    """Weights rounded to float16 (they are read back as float32): a 4x smaller file."""
    return w.astype(np.float16)


@click.command("attribution")
@click.argument(
    "data", type=click.Path(file_okay=False, path_type=Path), default=DEFAULT_DATA, required=False
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=MODEL_PATH,
    show_default=True,
    help="Where to write the weights (metrics.json is written beside them).",
)
@click.option("--c-quote", type=float, default=0.5, show_default=True, help="Detector's C.")
@click.option("--c-speaker", type=float, default=0.5, show_default=True, help="Ranker's C.")
@click.option(
    "--max-spurious",
    type=float,
    default=0.25,
    show_default=True,
    help="Highest share of spurious records allowed when choosing the thresholds.",
)
@click.option(
    "--by-year",
    is_flag=True,
    help="Write nothing: fit on the tune articles dated before 2007, score those after it and "
    "the other way round, at the thresholds of the model at --out (out of distribution).",
)
def command(
    data: Path, out: Path, c_quote: float, c_speaker: float, max_spurious: float, by_year: bool
) -> None:
    """Train the German quotation detector and speaker ranker on the tune part of the German
    Wikinews corpus (DATA: its folder)."""
    if by_year:
        click.echo(json.dumps(year_check(data, c_quote, c_speaker, out), indent=2))
        return
    metrics = train(data, out, c_quote, c_speaker, max_spurious)
    click.echo(json.dumps(metrics, indent=2))
