"""``newsift eval figures [GOLD]``: score the figures extractor on a gold set of real articles.

The gold (default ``tests/fixtures/figures-gold.jsonl``; guidelines and format in
``docs/figures.md``) stores offsets into articles of ``../shared/data``, never their text: one
line per article, ``{dataset, doc, part, regions, figures: [[start, end, kind, value, text]]}``.
The extractor runs on each line of the article. A predicted figure matches a gold one, one to
one and best first, when

- **exact**: the spans are equal and the values agree;
- **relaxed**: the spans overlap and the values agree;
- **span**: the spans overlap, whatever the values (detection alone).

Values agree when both are numbers within a relative 1e-6, or equal strings (dates); a gold
figure with a null value matches on its span alone.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from ..errors import DataError
from .gold import REPO, ArticleTexts, default_shared, read_jsonl

__all__ = ["ArticleTexts", "default_shared"]
DEFAULT_GOLD = REPO / "tests" / "fixtures" / "figures-gold.jsonl"
KINDS = ("number", "quantity", "money", "percent", "duration", "date", "year")
PARTS = ("tune", "score")
MODES = ("exact", "relaxed", "span")

Extract = Callable[[str], list[dict[str, Any]]]


@dataclass(frozen=True)
class GoldFigure:
    start: int
    end: int
    kind: str
    value: float | int | str | None
    text: str


@dataclass(frozen=True)
class GoldArticle:
    dataset: str
    doc: str
    part: str
    regions: list[tuple[int, int]] | None
    figures: list[GoldFigure]


def _article(path: Path, n: int, row: Any) -> GoldArticle:
    where = f"{path} line {n}"
    if not isinstance(row, dict) or not {"dataset", "doc", "part", "figures"} <= row.keys():
        raise DataError(f"{where}: expected {{dataset, doc, part, regions, figures}}")
    if row["part"] not in PARTS:
        raise DataError(f"{where}: part must be one of {list(PARTS)}, got {row['part']!r}")
    figures = []
    for f in row["figures"]:
        if not (isinstance(f, list) and len(f) == 5 and f[2] in KINDS):
            raise DataError(
                f"{where}: each figure must be [start, end, kind, value, text] with kind in "
                f"{list(KINDS)}; got {f!r}"
            )
        figures.append(GoldFigure(int(f[0]), int(f[1]), f[2], f[3], f[4]))
    regions = [(int(a), int(b)) for a, b in row["regions"]] if row.get("regions") else None
    return GoldArticle(row["dataset"], str(row["doc"]), row["part"], regions, figures)


def read_gold(path: Path) -> list[GoldArticle]:
    """The gold articles of a JSONL file (one article a line)."""
    out = [_article(path, n, row) for n, row in read_jsonl(path)]
    if not out:
        raise DataError(f"{path}: no gold articles; nothing to score")
    return out


def check_offsets(article: GoldArticle, text: str) -> None:
    """Raise when a gold figure's ``text`` is not what the article holds at its offsets."""
    for f in article.figures:
        if text[f.start : f.end] != f.text:
            raise DataError(
                f"{article.dataset}/{article.doc}: gold figure {f.text!r} at {f.start}-{f.end} "
                f"reads {text[f.start : f.end]!r} in the dataset; the article text has changed"
            )


def predict_article(text: str, extract: Extract) -> list[dict[str, Any]]:
    """Run ``extract`` on each line of ``text``; offsets are the article's."""
    out: list[dict[str, Any]] = []
    pos = 0
    for line in text.split("\n"):
        if line.strip():
            for f in extract(line):
                out.append({**f, "start": f["start"] + pos, "end": f["end"] + pos})
        pos += len(line) + 1
    return out


def values_agree(gold: Any, pred: Any) -> bool:
    if gold is None:
        return True
    if isinstance(gold, str) or isinstance(pred, str) or pred is None:
        return gold == pred
    return math.isclose(float(gold), float(pred), rel_tol=1e-6, abs_tol=1e-9)


def match(gold: list[GoldFigure], pred: list[dict[str, Any]], mode: str) -> list[tuple[int, int]]:
    """One-to-one (gold index, predicted index) pairs; exact spans first, then larger overlaps."""
    cands = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            overlap = min(g.end, p["end"]) - max(g.start, p["start"])
            same = g.start == p["start"] and g.end == p["end"]
            value_ok = mode == "span" or values_agree(g.value, p["value"])
            if (same if mode == "exact" else overlap > 0) and value_ok:
                cands.append((not same, -overlap, gi, pi))
    pairs, used_g, used_p = [], set(), set()
    for _, _, gi, pi in sorted(cands):
        if gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
            pairs.append((gi, pi))
    return pairs


def _prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


def _in_regions(f: dict[str, Any], regions: list[tuple[int, int]] | None) -> bool:
    return regions is None or any(f["start"] < b and f["end"] > a for a, b in regions)


def score(
    articles: list[GoldArticle], texts: Callable[[GoldArticle], str], extract: Extract
) -> dict[str, Any]:
    """Precision, recall and F1 (exact and relaxed), per kind and overall, plus the errors."""
    n_gold, n_pred = Counter[str](), Counter[str]()
    hit_gold = {m: Counter[str]() for m in MODES}
    hit_pred = {m: Counter[str]() for m in MODES}
    kind_ok = 0
    errors: list[dict[str, Any]] = []
    for art in articles:
        text = texts(art)
        pred = [p for p in predict_article(text, extract) if _in_regions(p, art.regions)]
        n_gold.update(g.kind for g in art.figures)
        n_pred.update(p["kind"] for p in pred)
        for mode in MODES:
            pairs = match(art.figures, pred, mode)
            hit_gold[mode].update(art.figures[gi].kind for gi, _ in pairs)
            hit_pred[mode].update(pred[pi]["kind"] for _, pi in pairs)
            if mode == "relaxed":
                kind_ok += sum(art.figures[gi].kind == pred[pi]["kind"] for gi, pi in pairs)
                errors += _errors(art, text, pred, pairs)
    out: dict[str, Any] = {
        "articles": len(articles),
        "gold": sum(n_gold.values()),
        "predicted": sum(n_pred.values()),
    }
    for mode in MODES:
        tp = sum(hit_gold[mode].values())
        out[mode] = {
            **_prf(tp, out["predicted"], out["gold"]),
            "matched": tp,
            "recall_by_kind": {
                k: round(hit_gold[mode][k] / n_gold[k], 4) for k in KINDS if n_gold[k]
            },
            "precision_by_kind": {
                k: round(hit_pred[mode][k] / n_pred[k], 4) for k in sorted(n_pred) if n_pred[k]
            },
        }
    out["gold_by_kind"] = {k: n_gold[k] for k in KINDS if n_gold[k]}
    out["predicted_by_kind"] = dict(sorted(n_pred.items()))
    matched = out["relaxed"]["matched"]
    out["relaxed"]["kind_accuracy"] = round(kind_ok / matched, 4) if matched else 0.0
    out["errors"] = errors
    return out


def _context(text: str, start: int, end: int) -> str:
    return text[max(0, start - 40) : start] + "[" + text[start:end] + "]" + text[end : end + 40]


def _errors(
    art: GoldArticle, text: str, pred: list[dict[str, Any]], pairs: list[tuple[int, int]]
) -> list[dict[str, Any]]:
    """Missed gold figures (with any overlapping prediction) and spurious predictions."""
    got_g = {gi for gi, _ in pairs}
    got_p = {pi for _, pi in pairs}
    out = []
    for gi, g in enumerate(art.figures):
        if gi not in got_g:
            near = [p for p in pred if p["start"] < g.end and p["end"] > g.start]
            out.append(
                {
                    "doc": f"{art.dataset}/{art.doc}",
                    "missed": [g.kind, g.value],
                    "context": _context(text, g.start, g.end),
                    "predicted": [[p["text"], p["kind"], p["value"]] for p in near],
                }
            )
    for pi, p in enumerate(pred):
        if pi not in got_p and not any(
            p["start"] < g.end and p["end"] > g.start for g in art.figures
        ):
            out.append(
                {
                    "doc": f"{art.dataset}/{art.doc}",
                    "spurious": [p["kind"], p["value"]],
                    "context": _context(text, p["start"], p["end"]),
                }
            )
    return out


def evaluate(gold: Path, shared: Path, part: str = "all", extract: Extract | None = None) -> dict:
    """Score ``extract`` (default: the shipped ``parse_figures``) on ``gold``'s ``part``."""
    if extract is None:
        from ..stages.figures import parse_figures

        extract = parse_figures
    articles = [a for a in read_gold(gold) if part in ("all", a.part)]
    reader = ArticleTexts(shared)

    def texts(art: GoldArticle) -> str:
        text = reader.text(art.dataset, art.doc)
        check_offsets(art, text)
        return text

    result = score(articles, texts, extract)
    result["part"] = part
    return result


@click.command("figures")
@click.argument(
    "gold", type=click.Path(exists=True, dir_okay=False, path_type=Path), required=False
)
@click.option(
    "--part",
    type=click.Choice(["all", *PARTS]),
    default="all",
    show_default=True,
    help="Score the tuning part, the scoring part or both.",
)
@click.option(
    "--shared",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="The folder holding data/ (default: $NEWSIFT_SHARED, else ../shared).",
)
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")
@click.option("--show-errors", is_flag=True, help="List missed and spurious figures.")
def command(
    gold: Path | None, part: str, shared: Path | None, as_json: bool, show_errors: bool
) -> None:
    """Score the figures extractor on a gold set (default: the bundled one, reading ../shared)."""
    path = gold or DEFAULT_GOLD
    if not path.exists():
        raise DataError(f"{path}: no gold file; give one (see `newsift eval figures --help`)")
    result = evaluate(path, shared or default_shared(), part)
    if as_json:
        shown = result if show_errors else {k: v for k, v in result.items() if k != "errors"}
        click.echo(json.dumps(shown, indent=2, ensure_ascii=False))
        return
    click.echo(
        f"figures on {path} (part {part}: {result['articles']} articles, {result['gold']} gold, "
        f"{result['predicted']} predicted)"
    )
    for mode in MODES:
        r = result[mode]
        click.echo(f"  {mode:8s} P {r['precision']:.3f}  R {r['recall']:.3f}  F1 {r['f1']:.3f}")
    click.echo(f"  kind accuracy (relaxed matches) {result['relaxed']['kind_accuracy']:.3f}")
    click.echo("  kind      gold  recall exact/relaxed/span  pred  precision exact/relaxed/span")
    for k in KINDS:
        g, p = result["gold_by_kind"].get(k, 0), result["predicted_by_kind"].get(k, 0)
        rec = [result[m]["recall_by_kind"].get(k) for m in MODES]
        pre = [result[m]["precision_by_kind"].get(k) for m in MODES]
        click.echo(f"  {k:9s} {g:4d}  {_pair(rec):25s}  {p:4d}  {_pair(pre)}")
    if show_errors:
        for e in result["errors"]:
            click.echo(f"  - {json.dumps(e, ensure_ascii=False)}")


def _pair(values: list[float | None]) -> str:
    return " / ".join("  -  " if v is None else f"{v:.3f}" for v in values)
