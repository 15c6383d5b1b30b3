"""``newsift eval persuasion DIR``: score the persuasion model with SemEval-2020 Task 11 metrics.

DIR has the layout of PTC's ``train/``: ``articles/article<ID>.txt`` plus ``labels-si/`` and/or
``labels-tc/``. Prints span identification P/R/F1 (official partial-overlap score), technique
classification micro-F1 on the gold spans, and span+technique F1 end to end. The scoring is
documented in ``docs/persuasion.md``.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import click

from ..errors import DataError
from ..persuasion.data import LabelledArticle, load_dir
from ..persuasion.scorer import (
    per_technique_tc,
    si_score,
    span_technique_score,
    tc_score,
)


def evaluate(arts: list[LabelledArticle], model) -> dict:
    """Run ``model`` over ``arts`` and score it; returns a JSON-able dict."""
    from ..persuasion.scorer import tc_labels

    t0 = time.perf_counter()
    pred_si, pred_e2e, pred_tc, gold_tc = {}, {}, {}, {}
    for a in arts:
        found = model.predict(a.text)
        pred_si[a.id] = [(p.start, p.end) for p in found]
        pred_e2e[a.id] = [(p.start, p.end, p.technique) for p in found]
        if a.tc is not None:
            gold_tc[a.id] = a.tc
            probs = model.classify_spans(a.text, [(s, e) for s, e, _ in a.tc])
            pred_tc[a.id] = tc_labels(a.tc, probs, model.labels)
    seconds = time.perf_counter() - t0
    out: dict = {
        "articles": len(arts),
        "si": si_score(pred_si, {a.id: a.gold_spans() for a in arts}).to_dict(),
        "seconds": round(seconds, 2),
    }
    if gold_tc:
        baseline = {k: [(s, e, "Loaded_Language") for s, e, _ in v] for k, v in gold_tc.items()}
        e2e = {k: pred_e2e[k] for k in gold_tc}
        out["tc"] = tc_score(pred_tc, gold_tc).to_dict()
        out["tc_baseline_loaded_language"] = tc_score(baseline, gold_tc).to_dict()
        out["tc_per_technique"] = {
            k: v.to_dict() for k, v in per_technique_tc(pred_tc, gold_tc).items()
        }
        out["span_technique"] = span_technique_score(e2e, gold_tc).to_dict()
    return out


def _print_human(r: dict) -> None:
    def row(name: str, d: dict) -> str:
        return (
            f"{name:<34} P {d['precision']:.4f}  R {d['recall']:.4f}  F1 {d['f1']:.4f}"
            f"  (pred {d['n_pred']}, gold {d['n_gold']})"
        )

    click.echo(f"{r['articles']} articles, {r['seconds']} s")
    click.echo(row("span identification (SI)", r["si"]))
    if "tc" in r:
        click.echo(row("technique classification (TC)", r["tc"]))
        click.echo(row("  baseline: all Loaded_Language", r["tc_baseline_loaded_language"]))
        click.echo(row("span + technique (end to end)", r["span_technique"]))
        click.echo("TC per technique:")
        for name, d in r["tc_per_technique"].items():
            click.echo("  " + row(name, d))
    else:
        click.echo("no labels-tc/ folder: technique scores skipped")


def load_team_gold(path: Path) -> list[LabelledArticle]:
    """The team's held-out persuasion gold (``tests/fixtures/persuasion-team-gold.jsonl``).

    One JSON object per line: ``id``, ``text`` and ``spans``, each span a quoted ``text``, its
    ``technique`` and the ``occurrence`` of that text in the article (0 = first). Spans are
    resolved to offsets here, so the file stays readable and a wrong quote fails loudly.

    Raises:
        DataError: a line that is not such an object, names an unknown technique, or quotes
            text that is not in the article; the message gives the file and the line.
    """
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError as err:
        raise DataError(f"{path}: not UTF-8 text ({err}); the gold file is UTF-8 JSONL") from err
    arts = []
    for n, line in enumerate(lines, 1):
        if line.strip():
            arts.append(_gold_article(line, f"{path}:{n}"))
    return arts


def _gold_article(line: str, where: str) -> LabelledArticle:
    """One line of the team gold as a :class:`LabelledArticle` (see :func:`load_team_gold`)."""
    from ..persuasion.techniques import TECHNIQUES

    shape = 'expected {"id": ..., "text": ..., "spans": [{"text", "technique", "occurrence"}]}'
    try:
        rec = json.loads(line)
    except ValueError as err:
        raise DataError(f"{where}: not JSON ({err}); {shape}") from None
    if not isinstance(rec, dict) or not all(k in rec for k in ("id", "text", "spans")):
        raise DataError(f"{where}: {shape}")
    text, spans = rec["text"], rec["spans"]
    if not isinstance(text, str) or not isinstance(spans, list):
        raise DataError(f"{where}: 'text' must be a string and 'spans' a list; {shape}")
    tc = []
    for span in spans:
        if not isinstance(span, dict) or not isinstance(span.get("text"), str) or not span["text"]:
            raise DataError(f"{where}: every span needs a non-empty quoted 'text'; {shape}")
        quote, technique = span["text"], span.get("technique")
        if technique not in TECHNIQUES:
            raise DataError(
                f"{where}: span {quote!r} has unknown technique {technique!r}; expected one of "
                f"{', '.join(sorted(TECHNIQUES))}"
            )
        occurrence = span.get("occurrence", 0)
        if not isinstance(occurrence, int) or isinstance(occurrence, bool) or occurrence < 0:
            raise DataError(f"{where}: span {quote!r}: 'occurrence' must be an integer >= 0")
        start = -1
        for _ in range(occurrence + 1):
            start = text.find(quote, start + 1)
            if start < 0:
                break
        if start < 0:
            raise DataError(f"{where}: span {quote!r} (occurrence {occurrence}) is not in the text")
        tc.append((start, start + len(quote), technique))
    return LabelledArticle(id=str(rec["id"]), text=text, si=[(s, e) for s, e, _ in tc], tc=tc)


@click.command("persuasion")
@click.argument("directory", type=click.Path(exists=True, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")
@click.option(
    "--model",
    "model_path",
    type=click.Path(exists=True, path_type=Path),
    default=None,
    help="A model folder (default: the packaged models).",
)
@click.option(
    "--step",
    type=click.Choice(["tagger", "student", "lexical"]),
    default=None,
    help="Which persuasion model to score  [default: tagger, the stage's default].",
)
@click.option("--threads", type=int, default=None, help="onnxruntime threads.")
@click.option(
    "--gate",
    type=click.FloatRange(0.0, 1.0, max_open=True),
    default=None,
    help="Tagger and student only: the sentence gate (the encoder reads sentences scoring at least this).",
)
def command(
    directory: Path,
    as_json: bool,
    model_path: Path | None,
    step: str | None,
    threads: int | None,
    gate: float | None,
) -> None:
    """Score persuasion.v1 on DIR (articles/, labels-si/ and/or labels-tc/, as in PTC), or on a
    JSONL gold file in the team format (tests/fixtures/persuasion-team-gold.jsonl)."""
    from ..persuasion import GATED_KINDS, load
    from ..stages.persuasion import DEFAULT_MODEL

    step = step or DEFAULT_MODEL
    arts = load_team_gold(directory) if directory.is_file() else load_dir(directory)
    if gate is not None and step not in GATED_KINDS:
        raise click.UsageError(f"--gate applies to --step tagger or student, not {step}")
    model = load(step, model_path, threads=threads)
    if gate is not None:
        model.set_gate(gate)
    result = evaluate(arts, model)
    result["model"] = str(model_path) if model_path else "packaged"
    result["step"] = step
    if gate is not None:
        result["gate"] = gate
    if as_json:
        click.echo(json.dumps(result, indent=2))
    else:
        _print_human(result)
