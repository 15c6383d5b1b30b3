"""Does persuasion.v1 keep its quality when it reads nlp.v1's sentences instead of its own?

The persuasion models cut the text with their own splitter (``newsift.persuasion.features``: a
regex, every newline, at most 120 words), and they were trained on that cut: the lexical model's
features (sentence score, position in the sentence, sentence length) and the tagger's windows and
span decoding are per sentence. Issue 18 wants one segmentation shared by every stage. This
measures, WITHOUT retraining, what swapping in nlp.v1's sentences (``newsift.stages.nlp
.split_sentences``, words found inside them as before) does to SI, TC and span+technique F1,
paired on the same articles, with a 95% bootstrap interval over articles for the difference.

Sets (never PTC dev/test): ``gold``, the team's held-out gold
(``tests/fixtures/persuasion-team-gold.jsonl``), and ``ptc``, every 5th PTC train article (60):
the shipped models trained on all of PTC train, so this slice is in-sample: its absolute figures
are optimistic, only the paired difference is read::

    python bench/persuasion_segmentation.py gold tagger,student,lexical
    python bench/persuasion_segmentation.py ptc tagger,student,lexical   # ~2 min CPU

The splitter is swapped by replacing the name the model modules imported (a bench-only patch).
"""

from __future__ import annotations

import json
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import numpy as np

import newsift.persuasion.model as pm
import newsift.persuasion.tagger as pt
from newsift.eval.persuasion import load_team_gold
from newsift.persuasion import features as pf
from newsift.persuasion import load
from newsift.persuasion.data import LabelledArticle, load_dir
from newsift.persuasion.scorer import si_score, span_technique_score, tc_labels, tc_score
from newsift.stages.nlp import get_nlp
from newsift.stages.nlp import split_sentences as nlp_split

REPO = Path(__file__).resolve().parents[1]
OWN = pf.split_sentences
_SHARED: dict[str, list[tuple[int, int]]] = {}


def shared_split(text: str) -> list[pf.Sentence]:
    """nlp.v1's sentences as the persuasion model's :class:`Sentence` rows (same word regex and
    120-word cap as its own splitter)."""
    offsets = _SHARED.get(text)
    if offsets is None:
        offsets = _SHARED[text] = nlp_split(get_nlp(), text)
    out = []
    for s, e in offsets:
        words = [(w.start(), w.end()) for w in pf._WORD_RE.finditer(text, s, e)]
        for i in range(0, len(words), pf._MAX_SENT_WORDS):
            chunk = words[i : i + pf._MAX_SENT_WORDS]
            if chunk:
                lower = [text[a:b].lower() for a, b in chunk]
                out.append(pf.Sentence(chunk[0][0], chunk[-1][1], chunk, lower))
    return out


@contextmanager
def splitter(fn):
    """Run the persuasion models with ``fn`` as their sentence splitter."""
    pm.split_sentences = pt.split_sentences = fn  # type: ignore[attr-defined]
    try:
        yield
    finally:
        pm.split_sentences = pt.split_sentences = OWN  # type: ignore[attr-defined]


def predictions(model, arts: list[LabelledArticle]) -> dict[str, tuple]:
    """Per article: predicted SI spans, end-to-end spans, and TC labels of the gold spans."""
    out = {}
    for a in arts:
        text = "".join([a.text[:1], a.text[1:]])  # a fresh object: the models cache by identity
        found = model.predict(text)
        probs = model.classify_spans(text, [(s, e) for s, e, _ in a.tc or []])
        out[a.id] = (
            [(p.start, p.end) for p in found],
            [(p.start, p.end, p.technique) for p in found],
            tc_labels(a.tc or [], probs, model.labels),
        )
    return out


def scores(pred: dict, arts: list[LabelledArticle], ids: list[str]) -> np.ndarray:
    """SI, TC and span+technique F1 over ``ids`` (repeats allowed: a bootstrap sample)."""
    by = {a.id: a for a in arts}
    keys = [f"{i}#{k}" for k, i in enumerate(ids)]
    si = si_score(
        {k: pred[i][0] for k, i in zip(keys, ids, strict=True)},
        {k: by[i].gold_spans() for k, i in zip(keys, ids, strict=True)},
    )
    gold_tc = {k: by[i].tc or [] for k, i in zip(keys, ids, strict=True)}
    tc = tc_score({k: pred[i][2] for k, i in zip(keys, ids, strict=True)}, gold_tc)
    st = span_technique_score({k: pred[i][1] for k, i in zip(keys, ids, strict=True)}, gold_tc)
    return np.array([si.f1, tc.f1, st.f1])


def compare(kind: str, arts: list[LabelledArticle], rounds: int = 1000) -> dict:
    """Own vs shared segmentation for one model, with the bootstrap interval of the difference."""
    model = load(kind, threads=1)
    pred = {}
    for name, fn in (("own", OWN), ("shared", shared_split)):
        with splitter(fn):
            t0 = time.process_time()
            pred[name] = predictions(model, arts)
            print(f"{kind} {name}: {time.process_time() - t0:.1f} s CPU", file=sys.stderr)
    ids = [a.id for a in arts]
    own, shared = scores(pred["own"], arts, ids), scores(pred["shared"], arts, ids)
    rng = np.random.default_rng(0)
    deltas = []
    for _ in range(rounds):
        sample = [str(x) for x in rng.choice(ids, len(ids))]
        deltas.append(scores(pred["shared"], arts, sample) - scores(pred["own"], arts, sample))
    lo, hi = np.percentile(np.array(deltas), [2.5, 97.5], axis=0)
    return {
        "model": kind,
        "articles": len(arts),
        "figures": ["si", "tc", "span_technique"],
        "own": own.round(4).tolist(),
        "shared": shared.round(4).tolist(),
        "delta": (shared - own).round(4).tolist(),
        "delta_ci95": [lo.round(4).tolist(), hi.round(4).tolist()],
    }


def main() -> None:
    which, kinds = sys.argv[1], sys.argv[2].split(",")
    if which == "gold":
        arts = load_team_gold(REPO / "tests" / "fixtures" / "persuasion-team-gold.jsonl")
    else:
        arts = load_dir(REPO.parent / "shared" / "data" / "ptc" / "train")[::5]
    for kind in kinds:
        print(json.dumps(compare(kind, arts)), flush=True)
    n_own = sum(len(OWN(a.text)) for a in arts)
    n_shared = sum(len(shared_split(a.text)) for a in arts)
    print(json.dumps({"sentences_own": n_own, "sentences_shared": n_shared}))


if __name__ == "__main__":
    main()
