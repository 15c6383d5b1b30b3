"""``newsift eval attribution FILE``: score attribution on a gold JSONL of sentences or articles.

Each line: ``{"text": ..., "attributions": [{"source": str|null, "cue": str, "content": str,
"kind": str}]}``. A predicted attribution matches a gold one when their contents overlap by at least
half of the gold content's tokens (one-to-one, best first). Reported: detection precision, recall
and F1; among matches, source exact-match and token-F1, cue exact match, content token-F1 and kind
accuracy. (No open English attribution corpus exists; PolNeAR and PARC are not openly licensed, so
the team's hand-written set in tests/fixtures is the default.)
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import click

from ..errors import DataError

_TOKEN = re.compile(r"\w+")


def _tokens(s: str | None) -> Counter[str]:
    return Counter(t.lower() for t in _TOKEN.findall(s or ""))


def token_f1(a: str | None, b: str | None) -> float:
    ta, tb = _tokens(a), _tokens(b)
    if not ta and not tb:
        return 1.0
    common = sum((ta & tb).values())
    if not common:
        return 0.0
    p, r = common / sum(ta.values()), common / sum(tb.values())
    return 2 * p * r / (p + r)


def read_gold(path: Path) -> list[dict[str, Any]]:
    rows = []
    with path.open(encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as err:
                raise DataError(
                    f"{path} line {n}: not valid JSON ({err.msg}); fix or remove the line"
                ) from err
            if (
                not isinstance(row, dict)
                or "text" not in row
                or not isinstance(row.get("attributions"), list)
            ):
                raise DataError(f"{path} line {n}: expected {{'text': ..., 'attributions': [...]}}")
            rows.append(row)
    if not rows:
        raise DataError(f"{path}: no gold rows; nothing to score")
    return rows


def score(rows: list[dict[str, Any]], predict) -> dict[str, Any]:
    tp = fp = fn = 0
    src_exact = src_f1 = cue_exact = content_f1 = kind_ok = 0.0
    errors = []
    for row in rows:
        gold = row["attributions"]
        pred = predict(row["text"])
        pairs = sorted(
            (
                (token_f1(g["content"], p["content"]["text"]), gi, pi)
                for gi, g in enumerate(gold)
                for pi, p in enumerate(pred)
            ),
            reverse=True,
        )
        used_g, used_p = set(), set()
        for sim, gi, pi in pairs:
            g_tokens = _tokens(gold[gi]["content"])
            overlap = sum((g_tokens & _tokens(pred[pi]["content"]["text"])).values()) / max(
                1, sum(g_tokens.values())
            )
            if gi in used_g or pi in used_p or overlap < 0.5:
                continue
            used_g.add(gi)
            used_p.add(pi)
            g, p = gold[gi], pred[pi]
            psrc = p["source"]["text"] if p["source"] else None
            src_exact += (psrc or "").strip().lower() == (g["source"] or "").strip().lower()
            src_f1 += token_f1(psrc, g["source"])
            cue_exact += p["cue"]["text"].lower() == g["cue"].lower()
            content_f1 += sim
            kind_ok += p["kind"] == g["kind"]
            if p["kind"] != g["kind"] or (psrc or "").lower() != (g["source"] or "").lower():
                errors.append(
                    {
                        "text": row["text"],
                        "gold": g,
                        "predicted": {"source": psrc, "kind": p["kind"]},
                    }
                )
        tp += len(used_g)
        fn += len(gold) - len(used_g)
        fp += len(pred) - len(used_p)
        errors += [
            {"text": row["text"], "missed": gold[i]} for i in range(len(gold)) if i not in used_g
        ]
        errors += [
            {"text": row["text"], "spurious": pred[i]["content"]["text"]}
            for i in range(len(pred))
            if i not in used_p
        ]
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    m = max(tp, 1)
    return {
        "rows": len(rows),
        "gold": tp + fn,
        "predicted": tp + fp,
        "matched": tp,
        "precision": round(p, 4),
        "recall": round(r, 4),
        "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0,
        "source_exact": round(src_exact / m, 4),
        "source_token_f1": round(src_f1 / m, 4),
        "cue_exact": round(cue_exact / m, 4),
        "content_token_f1": round(content_f1 / m, 4),
        "kind_accuracy": round(kind_ok / m, 4),
        "errors": errors,
    }


DEFAULT_GOLD = (
    Path(__file__).resolve().parents[3] / "tests" / "fixtures" / "attribution-gold-en.jsonl"
)


@click.command("attribution")
@click.argument(
    "file", type=click.Path(exists=True, dir_okay=False, path_type=Path), required=False
)
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")
@click.option("--show-errors", is_flag=True, help="List mismatches.")
def command(file: Path | None, as_json: bool, show_errors: bool) -> None:
    """Score attribution.v1 on a gold JSONL (default: the team's hand-written English set)."""
    from ..api import analyze_text

    path = file or DEFAULT_GOLD
    if not path.exists():
        raise DataError(f"{path}: no gold file; give one (see `newsift eval attribution --help`)")
    rows = read_gold(path)
    result = score(
        rows,
        lambda t: analyze_text(t, html=False, stages=["nlp.v1", "attribution.v1"]).layers[
            "attributions"
        ],
    )
    if as_json:
        click.echo(
            json.dumps(
                result if show_errors else {k: v for k, v in result.items() if k != "errors"},
                indent=2,
            )
        )
        return
    click.echo(
        f"attribution on {path} ({result['rows']} texts, {result['gold']} gold attributions)"
    )
    for key in (
        "precision",
        "recall",
        "f1",
        "source_exact",
        "source_token_f1",
        "cue_exact",
        "content_token_f1",
        "kind_accuracy",
    ):
        click.echo(f"  {key:18s} {result[key]:.3f}")
    if show_errors:
        for e in result["errors"]:
            click.echo(f"  - {json.dumps(e, ensure_ascii=False)}")
