"""``newsift eval trace``: trace each narrative's analyst query in a gold corpus and score it.

The gold corpus (``tests/fixtures/narratives-gold.jsonl``, written by hand; docs/corpus.md) holds
narratives (a query, an origin, a ``tune``/``score`` split) and articles (a narrative or none, a
rewording kind, a language). Every article goes into one fresh corpus database (ingested and run
like any corpus), and each query is traced against all of it. Scored per split:

- English: recall over the English members, precision over the English articles returned;
- cross-language: the same over the members and returns in other languages (English queries);
- recall per rewording kind; origin first (the origin has the earliest date among the matches,
  ties allowed; ``alone`` when no other match shares it); junk articles returned;
- the queries written in other languages (``queries``), over all languages.
"""

from __future__ import annotations

import json
import re
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import click

from ..errors import DataError

GOLD = Path(__file__).resolve().parents[3] / "tests" / "fixtures" / "narratives-gold.jsonl"


def load_gold(path: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(narratives, articles) of a gold file; DataError on a malformed line."""
    narratives: list[dict[str, Any]] = []
    articles: list[dict[str, Any]] = []
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except ValueError as err:
            raise DataError(f"{path} line {lineno}: not JSON ({err})") from err
        kind = rec.get("type")
        need = ("id", "query", "origin", "split") if kind == "narrative" else ("id", "text")
        missing = [k for k in need if k not in rec]
        if kind not in ("narrative", "article") or missing:
            raise DataError(f"{path} line {lineno}: expected a narrative or article with {need}")
        (narratives if kind == "narrative" else articles).append(rec)
    return narratives, articles


def build_store(articles: list[dict[str, Any]], folder: Path) -> Any:
    """A corpus database of ``articles`` in ``folder``, ingested and analysed (extraction only)."""
    from ..corpus.ingest import ingest
    from ..corpus.runner import run
    from ..corpus.store import open_store

    src = folder / "gold.jsonl"
    with src.open("w", encoding="utf-8") as fh:
        for a in articles:
            slug = re.sub(r"[^a-z0-9]+", "-", (a.get("outlet") or "outlet").lower()).strip("-")
            rec = {
                "id": a["id"],
                "url": f"https://{slug}.example/{a['id']}",
                "title": a.get("title"),
                "date": a.get("date"),
                "outlet": a.get("outlet"),
                "text": a["text"],
            }
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    store = open_store(folder / "gold.duckdb")
    ingest(store, [src])
    run(store, stages=[])
    return store


def _prf(found: set[str], relevant: set[str]) -> tuple[int, int, int]:
    return len(found & relevant), len(found - relevant), len(relevant - found)


def _ratio(a: int, b: int) -> float | None:
    return round(a / b, 3) if b else None


def trace_all(
    store: Any, narratives: list[dict[str, Any]], thresholds: dict[str, float] | None = None
) -> tuple[dict[tuple[str, str], list[dict[str, Any]]], float]:
    """Matches of every query (``(narrative id, query language)`` -> matches with ``gold_id``)."""
    from ..corpus.trace import trace_search
    from ..corpus.trace_index import TraceIndex

    index, _ = TraceIndex.ensure(store)
    ext = dict(store.query("SELECT id, ext_id FROM articles"))
    out = {}
    t0 = time.process_time()
    n = 0
    for nar in narratives:
        for lang, query in [("en", nar["query"]), *sorted((nar.get("queries") or {}).items())]:
            res = trace_search(store, query, limit=1000, index=index, thresholds=thresholds)
            for m in res.matches:
                m["gold_id"] = ext.get(m["article_id"])
            out[(nar["id"], lang)] = res.matches
            n += 1
    return out, (time.process_time() - t0) / max(n, 1)


def score(
    narratives: list[dict[str, Any]],
    articles: list[dict[str, Any]],
    found: dict[tuple[str, str], list[dict[str, Any]]],
) -> dict[str, Any]:
    """The metrics of one split's narratives (see the module docstring)."""
    by_id = {a["id"]: a for a in articles}
    junk = {a["id"] for a in articles if a.get("kind") == "junk"}
    tally: Counter[str] = Counter()
    kinds: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    origin_first = origin_alone = 0
    per_narrative = {}
    for nar in narratives:
        members = {a["id"] for a in articles if a.get("narrative") == nar["id"]}
        matches = found[(nar["id"], "en")]
        got = {m["gold_id"] for m in matches}
        for side, is_side in (
            ("en", lambda g: by_id[g]["language"] == "en"),
            ("x", lambda g: by_id[g]["language"] != "en"),
        ):
            tp, fp, fn = _prf({g for g in got if is_side(g)}, {g for g in members if is_side(g)})
            tally[f"{side}_tp"] += tp
            tally[f"{side}_fp"] += fp
            tally[f"{side}_fn"] += fn
        for g in members:
            kinds[by_id[g].get("kind") or "?"][0] += g in got
            kinds[by_id[g].get("kind") or "?"][1] += 1
        tally["junk_returned"] += len(got & junk)
        first = [m["gold_id"] for m in matches if m["origin"]]
        origin_first += nar["origin"] in first
        origin_alone += first == [nar["origin"]]
        per_narrative[nar["id"]] = {
            "found": len(got & members),
            "members": len(members),
            "false": sorted(got - members),
            "missed": sorted(members - got),
            "first": first,
        }
        for lang in nar.get("queries") or {}:
            got_l = {m["gold_id"] for m in found[(nar["id"], lang)]}
            tp, fp, fn = _prf(got_l, members)
            tally["ql_tp"] += tp
            tally["ql_fp"] += fp
            tally["ql_fn"] += fn
    t = tally
    return {
        "narratives": len(narratives),
        "english": {
            "recall": _ratio(t["en_tp"], t["en_tp"] + t["en_fn"]),
            "precision": _ratio(t["en_tp"], t["en_tp"] + t["en_fp"]),
        },
        "cross_language": {
            "recall": _ratio(t["x_tp"], t["x_tp"] + t["x_fn"]),
            "precision": _ratio(t["x_tp"], t["x_tp"] + t["x_fp"]),
        },
        "other_language_queries": {
            "recall": _ratio(t["ql_tp"], t["ql_tp"] + t["ql_fn"]),
            "precision": _ratio(t["ql_tp"], t["ql_tp"] + t["ql_fp"]),
        },
        "origin_first": origin_first,
        "origin_first_alone": origin_alone,
        "junk_returned": t["junk_returned"],
        "recall_by_kind": {k: f"{v[0]}/{v[1]}" for k, v in sorted(kinds.items())},
        "per_narrative": per_narrative,
    }


def evaluate(path: Path = GOLD, thresholds: dict[str, float] | None = None) -> dict[str, Any]:
    """Build the gold corpus, trace every query, and score the tune and score parts apart."""
    narratives, articles = load_gold(path)
    with tempfile.TemporaryDirectory(prefix="newsift-trace-eval-") as tmp:
        t0 = time.process_time()
        store = build_store(articles, Path(tmp))
        try:
            found, per_query = trace_all(store, narratives, thresholds)
        finally:
            store.close()
        build = time.process_time() - t0
    out: dict[str, Any] = {"gold": str(path), "cpu_s_total": round(build, 1)}
    out["cpu_s_per_query"] = round(per_query, 3)
    for split in ("tune", "score"):
        out[split] = score([n for n in narratives if n["split"] == split], articles, found)
    return out


@click.command()
@click.argument(
    "gold", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option("--json", "as_json", is_flag=True, help="Print every figure as JSON.")
def command(gold: Path | None, as_json: bool) -> None:
    """Trace recall/precision (English and across languages), origin first, per rewording kind,
    on the trace gold corpus (default: tests/fixtures/narratives-gold.jsonl)."""
    result = evaluate(gold or GOLD)
    if as_json:
        click.echo(json.dumps(result, indent=2, default=str))
        return
    click.echo(f"{result['gold']}: {result['cpu_s_per_query']} CPU s/query")
    for split in ("tune", "score"):
        r = result[split]
        click.echo(
            f"{split:5s} ({r['narratives']} narratives)  English R {r['english']['recall']} "
            f"P {r['english']['precision']} | cross-language R {r['cross_language']['recall']} "
            f"P {r['cross_language']['precision']} | other-language queries R "
            f"{r['other_language_queries']['recall']} P {r['other_language_queries']['precision']}"
            f" | origin first {r['origin_first']}/{r['narratives']} (alone "
            f"{r['origin_first_alone']}) | junk returned {r['junk_returned']}"
        )
        click.echo(
            "      by kind: " + ", ".join(f"{k} {v}" for k, v in r["recall_by_kind"].items())
        )
