"""Shared by the persuasion fold experiments in bench/: score one row of word logits twice.

With the blend and decoding of ``persuasion-tagger.json`` as shipped (``FALLBACK_DECODING``), and
with the decoding tuned on the scored articles themselves (optimistic, but fair between rows
whose averaging or training changes the calibration).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from newsift.train.persuasion_tagger import FALLBACK_DECODING, evaluate_logits


def fold_parser(doc: str) -> argparse.ArgumentParser:
    """The arguments of the fold benches that share the self-training cache."""
    ap = argparse.ArgumentParser(description=doc.split("\n")[0])
    ap.add_argument("--data", default="../shared/data/ptc/train")
    ap.add_argument("--unlabelled", default="../shared/data/fnc-1/train_bodies.csv")
    ap.add_argument("--limit", type=int, default=500, help="unlabelled texts (seeded sample)")
    ap.add_argument("--folds", default="0", help="folds of the 4 to hold out, comma-separated")
    ap.add_argument("--cache", type=Path, default=Path("/tmp/newsift-self-train"))
    ap.add_argument("--json", type=Path, help="also write the rows here")
    return ap


def load_net(path: Path, layers: int):
    """A cached :class:`TaggerNet` state, in eval mode."""
    import torch

    from newsift.train.persuasion_tagger import TaggerNet

    net = TaggerNet.build(layers)
    net.load_state_dict(torch.load(path))
    return net.eval()


def teacher_rows(teacher, labelled, unlabelled) -> tuple[list, int]:
    """The rows a student learns from, and how many are labelled: each ``(windows, gold rows)``
    of ``labelled`` with the teacher's scores, then each window list of ``unlabelled`` with its
    scores alone (:func:`newsift.train.persuasion_distill.distil_rows`)."""
    from newsift.train.persuasion_distill import distil_rows
    from newsift.train.persuasion_tagger import predict_window_logits

    rows = [r for w, g in labelled for r in distil_rows(w, predict_window_logits(teacher, w), g)]
    n_labelled = len(rows)
    rows += [r for w in unlabelled for r in distil_rows(w, predict_window_logits(teacher, w))]
    return rows, n_labelled


def score_row(label: str, arts, wins, logits, lexical, fold_of=None, **extra) -> tuple[dict, dict]:
    """``(row, shipped report)``; the row is printed and has ``extra`` keys after the label.

    ``fold_of`` (the held-out fold of each article, over two folds or more) adds ``si_nested``:
    each fold decoded with the settings tuned on the other folds' articles only.
    """
    quiet = lambda *_: None  # noqa: E731
    shipped = evaluate_logits(
        arts, wins, logits, 4, lexical, quiet, decoding=dict(FALLBACK_DECODING)
    )
    tuned = evaluate_logits(arts, wins, logits, 4, lexical, quiet, fold_of=fold_of)
    row = {
        "row": label,
        **extra,
        "si": shipped["si"]["f1"],
        "si_precision": shipped["si"]["precision"],
        "si_recall": shipped["si"]["recall"],
        "tc": shipped["tc"]["f1"],
        "span_technique": shipped["span_technique"]["f1"],
        "si_tuned_on_fold": tuned["si"]["f1"],
        "tc_tuned_on_fold": tuned["tc"]["f1"],
    }
    nested = ""
    if "si_nested" in tuned:
        row["si_nested"] = tuned["si_nested"]["f1"]
        nested = f"  nested SI {row['si_nested']:.4f}"
    print(
        f"{label:34s} SI {row['si']:.4f} (P {row['si_precision']:.3f} R {row['si_recall']:.3f})"
        f"  TC {row['tc']:.4f}  span+technique {row['span_technique']:.4f}  |  tuned on the "
        f"scored articles: SI {row['si_tuned_on_fold']:.4f}  TC {row['tc_tuned_on_fold']:.4f}"
        f"{nested}",
        flush=True,
    )
    return row, shipped
