"""A cheap first pass before multilingual-e5 for check-worthiness in other languages (issue 24).

``claims.v1`` scores every sentence that is not English with the multilingual-e5 head
(:class:`newsift.stages.checkworthy.MultilingualCheckworthy`), and e5 reads ~1,300 tokens/s: a
non-English article cost more per word than an English one, whose sentences go through a hashed
TF-IDF model first and reach MiniLM only when it is unsure. The student here does the same for
other languages: on hashed character n-grams, a ridge regression of the e5 head's binary logit
and a logistic regression of its choosing ``non-factual`` over ``unimportant factual``,
distilled from the head's own outputs on non-English news sentences, so it needs no labels. A sentence goes to e5 unless its language has a validated student and the
student's binary logit is under a cut chosen so that almost no sentence the e5 head calls
check-worthy is kept from it (``max_lost`` on held-out sentences); the rest take the student's
outputs. The e5 vectors of the sentences that do go to e5 are shared with ``factchecks.v1`` as
before, and ``factchecks.v1`` matches check-worthy claims only, so it needs no others.

Training text (read from ``../shared``, never copied): German Wikinews articles (train split of
the quotation-attribution corpus) and Spanish CheckThat! 2024 tweets (``spanish_dev``; the
``dev-test`` file stays for measuring). ``sklearn`` is used here only; the runtime reads the
weights with numpy (:class:`newsift.stages.checkworthy.CheckworthyStudent`).
"""

from __future__ import annotations

import gzip
import json
import random
import time
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import DataError

WIKINEWS = Path("attribution") / "german-news-quotation-attribution-2024"
SPANISH = Path("checkthat2024-task1-multilingual") / "CT24_checkworthy_spanish_dev.tsv"


def wikinews_sentences(data: Path, split: str = "train") -> list[tuple[str, str]]:
    """``(article name, sentence)`` of every sentence of the German Wikinews ``split``."""
    from ..sentences import split_sentences

    folder = data / WIKINEWS / split
    if not folder.is_dir():
        raise DataError(f"{folder} is missing; the student needs German Wikinews text")
    out = []
    for p in sorted(folder.glob("*.json.gz")):
        text = json.load(gzip.open(p, "rt", encoding="utf-8"))["originalText"]
        for s, e in split_sentences(text, "de"):
            sent = text[s:e].strip()
            if len(sent) >= 3:
                out.append((p.name, sent))
    return out


def spanish_tweets(data: Path) -> list[tuple[str, str]]:
    """``(tweet id, text)`` of the Spanish CheckThat! 2024 ``dev`` tweets."""
    from ..eval.checkworthy import read_gold

    path = data / SPANISH
    if not path.exists():
        raise DataError(f"{path} is missing; the student needs the Spanish tweets")
    gold = read_gold(path)
    return [(f"es-{i}", t) for i, t in enumerate(gold.texts)]


def teacher_outputs(model: Any, vecs: np.ndarray) -> np.ndarray:
    """``[n, 4]``: the e5 head's binary logit and its three class logits (non-factual,
    unimportant, check-worthy)."""
    z = vecs @ model.coef + model.intercept
    lg = vecs @ model.coef3.T + model.b3
    return np.column_stack([z, lg]).astype(np.float64)


def train_student(
    data: Path,
    out: Path,
    cache: Path | None = None,
    per_language: int = 2500,
    max_lost: float = 0.03,
    min_agreement: float = 0.7,
    alpha: float = 0.3,
    seed: int = 13,
) -> dict[str, Any]:
    """Fit the student, choose its cut and write ``multilingual-student.npz`` and the
    ``student`` section of ``multilingual.json`` into ``out``.

    Sentences are split by document (article or tweet) into fit (80%) and held-out (20%)
    parts. The cut, per language: the highest student logit under which at most ``max_lost``
    of the held-out sentences the e5 head scores check-worthy fall (the others reach e5).

    Args:
        data: ``../shared/data``.
        out: the model folder (``models/claims``).
        cache: where e5 vectors are cached (:func:`newsift.train.claims.embed_e5_cached`).
        per_language: sentences drawn per language.
        max_lost: the share of e5-check-worthy held-out sentences the gate may keep from e5.
        min_agreement: the least share of the settled held-out sentences whose non-factual /
            unimportant class must be the e5 head's (a margin on the student's logit of it).
        alpha: ridge penalty.
        seed: the draw's seed.
    """
    from sklearn.linear_model import LogisticRegression, Ridge

    from ..stages.checkworthy import MultilingualCheckworthy, sigmoid
    from ..stages.claims_student import CheckworthyStudent
    from .claims import embed_e5_cached

    t0 = time.time()
    rng = random.Random(seed)
    pools = {"de": wikinews_sentences(data), "es": spanish_tweets(data)}
    teacher = MultilingualCheckworthy(out, first_pass=False)
    rows: list[tuple[str, str, str]] = []  # (language, document, text)
    for lang, pool in pools.items():
        docs = sorted({d for d, _ in pool})
        rng.shuffle(docs)
        held = set(docs[: max(1, len(docs) // 5)])
        pick = rng.sample(pool, min(per_language, len(pool)))
        rows += [(lang, ("held:" if d in held else "fit:") + d, t) for d, t in pick]
    texts = [t for _, _, t in rows]
    y = teacher_outputs(teacher, embed_e5_cached(texts, cache))
    student = CheckworthyStudent.empty()
    x = student.features(texts)
    fit = np.array([d.startswith("fit:") for _, d, _ in rows])
    reg = Ridge(alpha=alpha, fit_intercept=True).fit(x[fit], y[fit, 0])
    non_factual = y[:, 1] >= np.maximum(y[:, 2], y[:, 3])
    clf = LogisticRegression(C=3.0, max_iter=2000).fit(x[fit], non_factual[fit])
    weights = np.column_stack([reg.coef_, clf.coef_[0]]).astype(np.float16).astype(np.float32)
    intercept = np.array([reg.intercept_, clf.intercept_[0]], dtype=np.float32)
    student = CheckworthyStudent(weights, intercept, {})  # weights rounded as saved
    pred = student.outputs(x)
    cal = lambda z: sigmoid(teacher.cal_a * z + teacher.cal_b)  # noqa: E731 - the head's map
    worthy = cal(y[:, 0]) >= teacher.threshold
    cuts: dict[str, float] = {}
    margins: dict[str, float] = {}
    report: dict[str, Any] = {}
    for lang in pools:
        held = np.array([la == lang for la, _, _ in rows]) & ~fit
        zp = pred[held, 0]
        pos = np.sort(zp[worthy[held]])
        if not len(pos):
            continue
        k = int(np.floor(max_lost * len(pos)))
        cut = float(pos[k]) if k < len(pos) else float(pos[-1])
        cuts[lang] = round(cut, 4)
        under = zp < cut
        # the non-factual / unimportant choice must agree with the head's too: the least margin
        # of the student's logit of it at which >= min_agreement of those settled agree
        nf, nf_true = pred[held, 1], non_factual[held]
        margin = 0.0
        for m in np.arange(0.0, 6.01, 0.1):
            sure = under & (np.abs(nf) >= m)
            if not sure.any() or np.mean((nf[sure] >= 0) == nf_true[sure]) >= min_agreement:
                margin = float(m)
                break
        else:
            margin = float("inf")
        margins[lang] = round(margin, 2)
        gated = under & (np.abs(nf) >= margin)
        # agreement of non-factual / unimportant on the gated sentences with the e5 head's
        agree = (nf[gated] >= 0) == nf_true[gated]
        report[lang] = {
            "held_out_sentences": int(held.sum()),
            "e5_check_worthy": int(worthy[held].sum()),
            "kept_from_e5": round(float(gated.mean()), 3),
            "check_worthy_lost": int((worthy[held] & gated).sum()),
            "r2_binary_logit": round(
                1 - float(np.var(zp - y[held, 0]) / max(np.var(y[held, 0]), 1e-9)), 3
            ),
            "class_agreement_gated": round(float(np.mean(agree)), 3) if gated.any() else None,
        }
    student.config = {
        "cuts": cuts,
        "margins": margins,
        "rule": (
            f"ridge (alpha={alpha}) on hashed char_wb 2-5-grams (2**{student.bits}, sublinear tf, "
            "L2) predicting the e5 head's binary logit, logistic regression (C=3) its choosing "
            "non-factual over unimportant; alpha and the n-grams chosen on the held-out part among "
            "0.3/1/3 and char 2-5, char 2-5 + word 1-2, char 1-4 + word 1; fitted on 80% of "
            f"{per_language} sentences per language drawn from German Wikinews train and the "
            "Spanish CheckThat! 2024 dev tweets (split by document); cut per language: at most "
            f"{max_lost:.0%} of the held-out sentences the e5 head calls check-worthy fall under it; "
            "margin per language: the least |logit| of non-factual at which the settled held-out "
            f"sentences' class is the e5 head's >= {min_agreement:.0%} of the time"
        ),
        "held_out": report,
    }
    student.save(out)
    return {
        "cuts": cuts,
        "margins": margins,
        "held_out": report,
        "seconds": round(time.time() - t0, 1),
    }
