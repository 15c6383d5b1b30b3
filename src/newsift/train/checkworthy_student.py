"""A cheap first pass before multilingual-e5 for check-worthiness in other languages (issue 24).

``claims.v1`` scores every sentence that is not English with the multilingual-e5 head
(:class:`newsift.stages.checkworthy.MultilingualCheckworthy`), and e5 reads ~1,300 tokens/s: a
non-English article cost more per word than an English one, whose sentences go through a hashed
TF-IDF model first and reach MiniLM only when it is unsure. The student here does the same for
other languages: ridge regressions on hashed character n-grams, distilled from the e5 head's
own outputs (its binary logit and its three class logits) on non-English news sentences, so it
needs no labels. A sentence goes to e5 unless its language has a validated student and the
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
    """``[n, 4]``: the e5 head's binary logit and its three class logits."""
    z = vecs @ model.coef + model.intercept
    lg = vecs @ model.coef3.T + model.b3
    return np.column_stack([z, lg]).astype(np.float64)


def train_student(
    data: Path,
    out: Path,
    cache: Path | None = None,
    per_language: int = 2500,
    max_lost: float = 0.02,
    alpha: float = 1.0,
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
        alpha: ridge penalty.
        seed: the draw's seed.
    """
    from scipy import sparse
    from sklearn.linear_model import Ridge

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
    reg = Ridge(alpha=alpha, fit_intercept=True).fit(x[fit], y[fit])
    weights = sparse.csr_matrix(reg.coef_.T.astype(np.float16).astype(np.float32))  # as saved
    student = CheckworthyStudent(weights, reg.intercept_.astype(np.float32), {})
    pred = student.outputs(x)
    cal = lambda z: sigmoid(teacher.cal_a * z + teacher.cal_b)  # noqa: E731 - the head's map
    worthy = cal(y[:, 0]) >= teacher.threshold
    cuts: dict[str, float] = {}
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
        gated = zp < cut
        # agreement of the classes the student gives the gated sentences with the e5 head's
        three_t = np.argmax(y[held][gated, 1:], axis=1)
        three_s = np.argmax(pred[held][gated, 1:], axis=1)
        report[lang] = {
            "held_out_sentences": int(held.sum()),
            "e5_check_worthy": int(worthy[held].sum()),
            "kept_from_e5": round(float(gated.mean()), 3),
            "check_worthy_lost": int((worthy[held] & gated).sum()),
            "r2_binary_logit": round(
                1 - float(np.var(zp - y[held, 0]) / max(np.var(y[held, 0]), 1e-9)), 3
            ),
            "class_agreement_gated": round(float(np.mean(three_t == three_s)), 3)
            if gated.any()
            else None,
        }
    student.config = {
        "cuts": cuts,
        "rule": (
            f"ridge (alpha={alpha}) on hashed char_wb 2-5-grams (2**{student.bits}, sublinear tf, "
            "L2) predicting the e5 head's binary logit and three class logits; fitted on 80% of "
            f"{per_language} sentences per language drawn from German Wikinews train and the "
            "Spanish CheckThat! 2024 dev tweets (split by document); cut per language: at most "
            f"{max_lost:.0%} of the held-out sentences the e5 head calls check-worthy fall under it"
        ),
        "held_out": report,
    }
    student.save(out)
    return {"cuts": cuts, "held_out": report, "seconds": round(time.time() - t0, 1)}
