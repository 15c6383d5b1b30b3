"""Distil the persuasion tagger into a smaller student (training only: needs torch, transformers).

The student is the first ``layers`` layers of all-MiniLM-L6-v2 (3 by default: half the encoder's
work per word piece), fine-tuned on two kinds of rows:

- the PTC training articles, with their gold targets (as the tagger is trained:
  :func:`~newsift.train.persuasion_tagger.training_rows`) *and* the teacher's logits;
- unlabelled news text (any CSV, JSONL or folder of ``.txt`` files: :func:`read_unlabelled`),
  with the teacher's logits only.

The loss on a row is ``(1 - kd_weight) * gold + kd_weight * teacher`` where the teacher part is
binary cross-entropy against the teacher's probabilities: the in-span logit on every piece, the 14
technique logits weighted by the teacher's in-span probability (a teacher's technique logits mean
little outside a span). Unlabelled rows have the teacher part only. The teacher's logits come from
the shipped int8 graph (:meth:`~newsift.persuasion.tagger.TaggerModel.window_logits`) or from a
torch module (:func:`~newsift.train.persuasion_tagger.predict_window_logits`), on exactly the
windows the student reads.
"""

from __future__ import annotations

import csv
import json
import random
from collections.abc import Callable
from pathlib import Path

import numpy as np

from ..errors import ConfigError
from ..persuasion.data import LabelledArticle
from ..persuasion.tagger import CLS_ID, SEP_ID, Windows, load_tokenizer, make_windows
from ..persuasion.techniques import LABELS as TECHNIQUES
from .persuasion_tagger import training_rows

STUDENT_DEFAULTS = {"layers": 3, "kd_weight": 0.5}
_TEXT_KEYS = ("text", "articleBody", "body", "content")
_MIN_WORDS = 40  # shorter unlabelled texts (captions, stubs) teach the student little


def read_unlabelled(path: str | Path, limit: int | None = None, seed: int = 13) -> list[str]:
    """News texts for distillation from a CSV or JSONL file (a ``text``/``articleBody``/``body``/
    ``content`` field) or a folder of ``.txt`` files; texts under 40 words are skipped.

    With ``limit``, a random sample of that many (``seed``), so a run is reproducible.
    """
    p = Path(path)
    texts: list[str] = []
    if not p.exists():
        raise ConfigError(f"{p}: no such file or folder of unlabelled text")
    if p.is_dir():
        texts = [f.read_text(encoding="utf-8", errors="replace") for f in sorted(p.glob("*.txt"))]
    elif p.suffix.lower() == ".csv":
        csv.field_size_limit(1 << 26)
        with p.open(encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            key = next((k for k in _TEXT_KEYS if k in (reader.fieldnames or [])), None)
            if key is None:
                raise ConfigError(
                    f"{p}: no text column (looked for {', '.join(_TEXT_KEYS)}); "
                    f"columns are {', '.join(reader.fieldnames or [])}"
                )
            texts = [row[key] or "" for row in reader]
    elif p.suffix.lower() in (".jsonl", ".ndjson"):
        with p.open(encoding="utf-8") as fh:
            for lineno, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                try:
                    rec = json.loads(line)
                except json.JSONDecodeError as err:
                    raise ConfigError(f"{p} line {lineno}: not JSON ({err.msg})") from err
                key = next((k for k in _TEXT_KEYS if isinstance(rec.get(k), str)), None)
                if key is not None:
                    texts.append(rec[key])
    else:
        raise ConfigError(
            f"{p}: unlabelled text must be a .csv, a .jsonl or a folder of .txt files"
        )
    # dedupe (FNC-1 and crawls repeat bodies) and drop stubs, keeping the first occurrence
    seen: set[str] = set()
    out = []
    for t in texts:
        t = t.strip()
        if len(t.split()) >= _MIN_WORDS and t not in seen:
            seen.add(t)
            out.append(t)
    if limit is not None and len(out) > limit:
        out = random.Random(seed).sample(out, limit)
    return out


def distil_rows(
    win: Windows, teacher: list[np.ndarray], gold_rows: list | None = None
) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Per window: input ids, gold targets (all -1 without ``gold_rows``) and teacher logits.

    ``teacher``: per window, the teacher's ``(n_pieces, 15)`` logits (no CLS/SEP);
    ``gold_rows``: the window's rows from :func:`~newsift.train.persuasion_tagger.training_rows`.
    """
    n_out = 1 + len(TECHNIQUES)
    rows = []
    for k, (ids, t) in enumerate(zip(win.ids, teacher, strict=True)):
        if len(t) != len(ids):
            raise ValueError(f"window {k}: {len(t)} teacher rows for {len(ids)} pieces")
        full = np.zeros((len(ids) + 2, n_out), np.float32)
        full[1:-1] = t
        if gold_rows is not None:
            x, y = gold_rows[k]
        else:
            x = np.concatenate([[CLS_ID], ids, [SEP_ID]]).astype(np.int64)
            y = np.full((len(ids) + 2, n_out), -1.0, np.float32)
        rows.append((x, y, full))
    return rows


def fit_student(rows, params: dict | None = None, log: Callable = print):
    """Fine-tune the student on rows from :func:`distil_rows`; returns the torch module."""
    from .persuasion_tagger import fit

    return fit(rows, {**STUDENT_DEFAULTS, **(params or {})}, log=log)


def gated_word_logits(net, text: str, tokenizer, lexical, gate: float) -> np.ndarray:
    """Word logits of ``text`` from the torch module as the run-time gate reads it.

    As :meth:`~newsift.persuasion.tagger.TaggerModel.read` with ``gate``: only the sentences the
    lexical model scores at least ``gate`` are put in windows (so they lose their skipped
    neighbours as context), and the skipped words get :data:`~newsift.persuasion.tagger.UNREAD_LOGIT`
    and no technique evidence.
    """
    from ..persuasion.tagger import mark_unread
    from .persuasion_tagger import predict_word_logits

    sents, scores, _ = lexical.prepare(text)
    win = make_windows(text, tokenizer, keep=lambda _s: scores >= gate, sents=sents)
    return mark_unread(win, predict_word_logits(net, win))


def cross_validate_student(
    arts: list[LabelledArticle],
    texts: list[str],
    k: int = 4,
    params: dict | None = None,
    log: Callable = print,
    only: list[int] | None = None,
    gates: tuple[float, ...] = (0.1,),
) -> dict:
    """k-fold CV of the distilled student, each fold with its own teacher.

    Per fold (the tagger's folds, :func:`~newsift.train.persuasion_lexical.fold_split`): the lexical model
    and the 6-layer teacher are fitted on the other folds, the teacher labels those articles and
    ``texts``, the student learns from both, and teacher and student are scored on the fold.
    ``only``: the folds to run (a pilot; the report then covers their articles only). Both are
    scored with the tagger's shipped decoding (``FALLBACK_DECODING``), which the student is
    exported with. The report has ``student`` and ``teacher`` (SI, TC, span+technique on the same
    articles), as ``metrics-student.json``, and for each of ``gates`` ``student_gate_G`` and
    ``teacher_gate_G``: the same models reading only the sentences the run-time gate lets through
    (:func:`gated_word_logits`).
    """
    from .persuasion_lexical import fit as fit_lexical
    from .persuasion_lexical import fold_split
    from .persuasion_tagger import (
        FALLBACK_DECODING,
        evaluate_logits,
        fit,
        predict_window_logits,
        predict_word_logits,
    )

    tok = load_tokenizer()
    wins = [make_windows(a.text, tok) for a in arts]
    gold = [training_rows(a, w) for a, w in zip(arts, wins, strict=True)]
    unl = [make_windows(t, tok) for t in texts]
    scored: list[int] = []
    t_logits: dict[int, np.ndarray] = {}
    s_logits: dict[int, np.ndarray] = {}
    gated: dict[tuple[str, float], dict[int, np.ndarray]] = {}
    lexical: dict[int, object] = {}
    for f, test in enumerate(fold_split(len(arts), k, seed=13)):
        if only is not None and f not in only:
            continue
        tset = set(test)
        train = [i for i in range(len(arts)) if i not in tset]
        log(f"fold {f + 1}/{k}: lexical model and teacher on {len(train)} articles")
        lex = fit_lexical([arts[i] for i in train], None, log=lambda *_: None)
        teacher = fit([r for i in train for r in gold[i]], None, log=log)
        rows = [
            r
            for i in train
            for r in distil_rows(wins[i], predict_window_logits(teacher, wins[i]), gold[i])
        ]
        rows += [r for w in unl for r in distil_rows(w, predict_window_logits(teacher, w))]
        log(f"fold {f + 1}/{k}: student on {len(rows)} windows ({len(texts)} unlabelled texts)")
        student = fit_student(rows, params, log=log)
        for i in test:
            t_logits[i] = predict_word_logits(teacher, wins[i])
            s_logits[i] = predict_word_logits(student, wins[i])
            lexical[i] = lex
            for g in gates:
                for name, net in (("teacher", teacher), ("student", student)):
                    gated.setdefault((name, g), {})[i] = gated_word_logits(
                        net, arts[i].text, tok, lex, g
                    )
        scored += test
    idx = sorted(scored)
    if not idx:
        raise ValueError(f"no folds to run: only={only} with k={k}")
    sub_arts, sub_wins = [arts[i] for i in idx], [wins[i] for i in idx]
    lex_sub = [lexical[i] for i in idx]
    quiet = lambda *_: None  # noqa: E731
    dec = dict(FALLBACK_DECODING)
    report = evaluate_logits(
        sub_arts, sub_wins, [s_logits[i] for i in idx], k, lex_sub, quiet, decoding=dec
    )
    teacher_report = evaluate_logits(
        sub_arts, sub_wins, [t_logits[i] for i in idx], k, lex_sub, quiet, decoding=dec
    )
    scores = ("si", "tc", "span_technique")
    by_gate = {}
    for (name, g), got in sorted(gated.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        r = evaluate_logits(
            sub_arts, sub_wins, [got[i] for i in idx], k, lex_sub, quiet, decoding=dec
        )
        by_gate[f"{name}_gate_{g:g}"] = {key: r[key] for key in scores}
    return {
        "folds": k,
        "folds_run": sorted(only) if only is not None else list(range(k)),
        "articles_scored": len(idx),
        "unlabelled_texts": len(texts),
        "params": {**STUDENT_DEFAULTS, **(params or {})},
        "thresholds": report["thresholds"],
        "student": {key: report[key] for key in scores},
        "teacher": {key: teacher_report[key] for key in scores},
        **by_gate,
    }


def train_student(
    arts: list[LabelledArticle],
    texts: list[str],
    out_dir: Path,
    params: dict | None = None,
    log: Callable = print,
    metrics: dict | None = None,
    kind: str = "student",
) -> Path:
    """Distil the tagger in ``out_dir`` into a student on ``arts`` and ``texts``; export it.

    Writes ``persuasion-student.onnx`` (int8) and ``persuasion-student.json``: the tagger's
    decoding settings (the student is trained to reproduce its scores) and the training record.

    ``kind="tagger"`` is self-training (a "born-again" network): the student, of the tagger's own
    size (``layers`` 6), replaces ``persuasion-tagger.onnx``/``.json``; the teacher's scores are
    all read before anything is written. Its metrics go to ``metrics-self-train.json``.
    """
    from ..persuasion.tagger import TAGGER_CONFIG, TAGGER_FILE, TaggerModel
    from .persuasion_tagger import DEFAULTS, export

    teacher = TaggerModel.load(out_dir, kind="tagger")
    tok = load_tokenizer()
    rows = []
    for a in arts:
        w = make_windows(a.text, tok)
        rows += distil_rows(w, teacher.window_logits(w), training_rows(a, w))
    n_labelled = len(rows)
    for t in texts:
        w = make_windows(t, tok)
        rows += distil_rows(w, teacher.window_logits(w))
    log(
        f"student on {n_labelled} labelled and {len(rows) - n_labelled} unlabelled windows "
        f"({len(arts)} articles, {len(texts)} texts)"
    )
    p = {**STUDENT_DEFAULTS, **(params or {})}
    net = fit_student(rows, p, log=log)
    cfg = json.loads((out_dir / TAGGER_CONFIG).read_text(encoding="utf-8"))
    decoding = {k: v for k, v in cfg.items() if k not in ("params", "articles", "kind")}
    self_train = kind == "tagger"
    config = {
        **decoding,
        "kind": "minilm-token-classifier-self-trained"
        if self_train
        else ("minilm-token-classifier-student"),
        "params": {**DEFAULTS, **p},
        # the teacher as its own config describes it (a second self-training round has a
        # self-trained teacher)
        "teacher": f"{TAGGER_FILE} ({cfg.get('kind', 'minilm-token-classifier')})",
        "articles": len(arts),
        "unlabelled_texts": len(texts),
    }
    target = export(net, out_dir, config, kind=kind)
    if metrics:
        name = "metrics-self-train.json" if self_train else "metrics-student.json"
        (out_dir / name).write_text(json.dumps(metrics, indent=2) + "\n")
    log(f"wrote {target} ({target.stat().st_size / 1e6:.1f} MB)")
    return target
