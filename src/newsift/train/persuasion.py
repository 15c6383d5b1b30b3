"""``newsift train persuasion DIR``: reproduce the persuasion model artifact from PTC's train/.

Needs the ``[train]`` extra (scikit-learn, scipy). With ``--cv K`` it first cross-validates over
articles, tunes the decoding thresholds on the out-of-fold scores, and writes the CV figures to
``metrics.json`` beside the model; the final model is then fitted on every article.
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
def command(directory: Path, out_dir: Path | None, folds: int) -> None:
    """Train the persuasion model on DIR (PTC layout: articles/, labels-si/, labels-tc/)."""
    try:
        from ..persuasion import training
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
        (out / "metrics.json").write_text(json.dumps(metrics, indent=2) + "\n")
    log(f"wrote {out / MODEL_FILE}")
