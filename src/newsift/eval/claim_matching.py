"""``newsift eval claim-matching``: rank a fact-check collection for each query sentence.

Layouts of CheckThat! 2021 task 2 (``../shared/data/checkthat2021-*``):

- ``--queries``: TSV ``iclaim_id<TAB>text`` (no header; a header row is skipped);
- ``--qrels``: TREC qrels ``iclaim_id 0 vclaim_id 1`` (only queries listed here are scored);
- ``--collection``: JSONL of fact-checks (``{id, claim, title, ...}`` or ``{vclaim_id, vclaim,
  title, ...}``).

Metrics (as the lab's scorer computes them): MAP@k (AP@k divides by the number of relevant
claims; MAP@5 is official), MRR over the retrieved list, Recall@k.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import click
import numpy as np

from ..errors import DataError

KS = (1, 3, 5, 10, 20)


def read_queries(path: Path) -> dict[str, str]:
    """``{iclaim_id: text}`` from a two-column TSV."""
    out: dict[str, str] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        for lineno, row in enumerate(csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE), 1):
            if not row or (lineno == 1 and row[0] in ("iclaim_id", "id")):
                continue
            if len(row) < 2:
                raise DataError(f"{path} line {lineno}: expected 'id<TAB>text', got {row!r}")
            out[row[0].strip()] = row[1].strip()
    return out


def read_qrels(path: Path) -> dict[str, set[str]]:
    """``{iclaim_id: {relevant vclaim ids}}`` from TREC qrels (relevance > 0 kept)."""
    out: dict[str, set[str]] = defaultdict(set)
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        parts = line.split()
        if not parts:
            continue
        if len(parts) != 4:
            raise DataError(f"{path} line {lineno}: expected 'qid 0 docid rel', got {line!r}")
        if parts[3] != "0":
            out[parts[0]].add(parts[2])
    return dict(out)


def average_precision(relevant: set[str], ranked: list[str], k: int) -> float:
    """AP@k as CheckThat! computes it: sum of P@i at relevant ranks i <= k, over |relevant|."""
    hits, total = 0, 0.0
    for i, doc in enumerate(ranked[:k], 1):
        if doc in relevant:
            hits += 1
            total += hits / i
    return total / len(relevant) if relevant else 0.0


def ranking_metrics(
    qrels: dict[str, set[str]], runs: dict[str, list[str]], ks: tuple[int, ...] = KS
) -> dict[str, float]:
    """MAP@k, MRR and Recall@k averaged over the queries of ``qrels``."""
    out: dict[str, float] = {}
    qids = sorted(qrels)
    for k in ks:
        out[f"map@{k}"] = float(
            np.mean([average_precision(qrels[q], runs.get(q, []), k) for q in qids])
        )
    rr = []
    for q in qids:
        ranked = runs.get(q, [])
        rr.append(next((1 / i for i, d in enumerate(ranked, 1) if d in qrels[q]), 0.0))
    out["mrr"] = float(np.mean(rr))
    for k in ks:
        out[f"recall@{k}"] = float(
            np.mean([len(qrels[q] & set(runs.get(q, [])[:k])) / len(qrels[q]) for q in qids])
        )
    return {k: round(v, 4) for k, v in out.items()}


def default_cache() -> Path:
    """Where collection embeddings are cached between eval/train runs."""
    base = os.environ.get("XDG_CACHE_HOME") or "~/.cache"
    return Path(base).expanduser() / "newsift" / "embeddings"


def load_eval_collection(path: Path, cache: Path | None, dense: bool = True) -> Any:
    """An in-memory :class:`~newsift.factchecks.store.Collection` of a JSONL file; embeddings
    are cached in ``cache`` (keyed by the file's content) when given."""
    from ..embed import get_encoder
    from ..factchecks.records import read_file
    from ..factchecks.store import Collection, build_bm25, doc_text

    result = read_file(path)
    if not result.records:
        raise DataError(f"{path}: the collection is empty; there is nothing to match against")
    emb = None
    if dense:
        # keyed by content (not mtime), so a re-copied file keeps its cache
        key = hashlib.sha1(path.read_bytes()).hexdigest()
        cached = cache / f"{key[:16]}.npy" if cache else None
        if cached is not None and cached.exists():
            emb = np.load(cached)
        else:
            emb = get_encoder().encode([doc_text(r) for r in result.records])
            if cached is not None:
                assert cache is not None  # cached is only set when cache is
                cache.mkdir(parents=True, exist_ok=True)
                np.save(cached, emb)
    meta = {"name": path.stem, "count": len(result.records)}
    return Collection(path.stem, meta, result.records, emb, build_bm25(result.records))


def evaluate(
    queries: Path,
    qrels_path: Path,
    collection: Path,
    *,
    method: str = "hybrid",
    depth: int = 20,
    cache: Path | None = None,
) -> dict[str, Any]:
    """Run retrieval for every query in ``qrels_path`` and score it."""
    from ..factchecks.search import Searcher

    texts = read_queries(queries)
    qrels = read_qrels(qrels_path)
    missing = [q for q in qrels if q not in texts]
    if missing:
        raise DataError(
            f"{qrels_path}: {len(missing)} query ids are not in {queries}, "
            f"e.g. {missing[:3]}; pass the matching --queries file"
        )
    coll = load_eval_collection(collection, cache, dense=method != "bm25")
    qids = sorted(qrels)
    searcher = Searcher([coll], depth=depth, method=method)
    t0 = time.perf_counter()
    results = searcher.search([texts[q] for q in qids], k=depth)
    seconds = time.perf_counter() - t0
    runs = {q: [m["id"] for m in r] for q, r in zip(qids, results, strict=True)}
    return {
        "queries": len(qids),
        "collection": str(collection),
        "collection_size": len(coll),
        "method": method,
        "depth": depth,
        **ranking_metrics(qrels, runs),
        "ms_per_query": round(1000 * seconds / max(len(qids), 1), 2),
    }


@click.command("claim-matching")
@click.option(
    "--queries",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    required=True,
    help="TSV: iclaim_id<TAB>sentence.",
)
@click.option(
    "--qrels",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    required=True,
    help="TREC qrels: iclaim_id 0 vclaim_id 1.",
)
@click.option(
    "--collection",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    required=True,
    help="JSONL fact-check collection.",
)
@click.option(
    "--method",
    type=click.Choice(["hybrid", "bm25", "dense", "rrf"]),
    default="hybrid",
    show_default=True,
)
@click.option(
    "--depth",
    type=int,
    default=20,
    show_default=True,
    help="Candidates from each retriever, and the ranked list length.",
)
@click.option(
    "--cache",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder to cache collection embeddings between runs (default: "
    "$XDG_CACHE_HOME/newsift/embeddings or ~/.cache/newsift/embeddings).",
)
@click.option("--no-cache", is_flag=True, help="Embed the collection afresh, store nothing.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def command(
    queries: Path,
    qrels: Path,
    collection: Path,
    method: str,
    depth: int,
    cache: Path | None,
    no_cache: bool,
    as_json: bool,
) -> None:
    """MAP@5 (official), MAP@k, MRR and Recall@k of fact-check retrieval."""
    if no_cache:
        cache = None
    elif cache is None:
        cache = default_cache()
    result = evaluate(queries, qrels, collection, method=method, depth=depth, cache=cache)
    if as_json:
        click.echo(json.dumps(result, indent=2))
        return
    click.echo(
        f"{result['queries']} queries against {result['collection_size']} fact-checks "
        f"({method}, {result['ms_per_query']} ms/query)"
    )
    for key in ("map@1", "map@5", "map@10", "mrr", "recall@5", "recall@20"):
        click.echo(f"  {key:10s} {result[key]:.4f}")


# --- The EUvsDisinfo catalogue-matching set (issue 20) ---------------------------------------

CATALOGUE_SET = (
    Path(__file__).resolve().parents[3]
    / "tests"
    / "fixtures"
    / ("claim-matching-euvsdisinfo.jsonl")
)
CROSSLANG_SET = CATALOGUE_SET.with_name("claim-matching-crosslang.jsonl")
SETS = {"english": CATALOGUE_SET, "crosslang": CROSSLANG_SET}
POSITIVE_KINDS = ("rewording", "dataset_positive")
NEGATIVE_KINDS = ("same_topic", "opposite", "furniture", "dataset_same_topic", "dataset_opposite")
REPORTED_KINDS = ("critical", "dataset_critical", "dataset_reported")


def _reference_text(ref: dict[str, Any], shared: Path, cache: dict[tuple[str, str], str]) -> str:
    """The sentence a dataset reference points at (``{dataset, id, start, end}``)."""
    key = (ref["dataset"], ref["id"])
    if key not in cache:
        ds, doc = key
        if ds == "ptc":
            text = (shared / "data" / "ptc" / "train" / "articles" / f"{doc}.txt").read_text(
                encoding="utf-8"
            )
        elif ds == "fnc-1":
            csv.field_size_limit(1 << 30)
            with (shared / "data" / "fnc-1" / "train_bodies.csv").open(
                encoding="utf-8", newline=""
            ) as fh:
                text = next(r["articleBody"] for r in csv.DictReader(fh) if r["Body ID"] == doc)
        elif ds == "scrapinghub":
            gt = shared / "data" / "extraction-benchmark" / "scrapinghub" / "ground-truth.json"
            text = json.loads(gt.read_text(encoding="utf-8"))[doc]["articleBody"]
        elif ds == "examples":
            text = (shared / "examples" / f"{doc}.txt").read_text(encoding="utf-8")
        else:
            raise DataError(f"unknown dataset {ds!r} in a catalogue-matching reference")
        cache[key] = text
    return cache[key][ref["start"] : ref["end"]]


def read_catalogue_set(
    path: Path = CATALOGUE_SET, shared: Path | None = None, split: str | None = None
) -> list[dict[str, Any]]:
    """The items of the catalogue-matching set, dataset references resolved to their text.

    Items whose dataset is not under ``shared`` (default ``../shared`` next to the checkout)
    are left out.
    """
    shared = shared or Path(__file__).resolve().parents[4] / "shared"
    items: list[dict[str, Any]] = []
    cache: dict[tuple[str, str], str] = {}
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as e:
            raise DataError(f"{path} line {lineno}: not JSON ({e.msg})") from e
        if split and item.get("split") != split:
            continue
        if "ref" in item:
            try:
                item["text"] = _reference_text(item["ref"], shared, cache)
            except (OSError, KeyError, StopIteration):
                continue
        items.append(item)
    return items


def catalogue_metrics(
    items: list[dict[str, Any]], found: list[list[dict[str, Any]]]
) -> dict[str, Any]:
    """Precision/recall of shown catalogue matches, and false-alarm rates by kind.

    Per item the prediction is its first shown match. Precision: shown predictions that are a
    case of the item's claim (positives) over all items with a shown prediction, where a
    negative's shown match and a critical/reported sentence's match shown as *asserted* count
    as wrong. Recall: positives whose first shown match is one of their cases.
    """
    right = shown = 0
    pos = {k: [0, 0] for k in POSITIVE_KINDS}
    alarms: dict[str, list[int]] = {}
    for item, matches in zip(items, found, strict=True):
        kind = item["kind"]
        first = matches[0] if matches else None
        if kind in POSITIVE_KINDS:
            ok = first is not None and first["id"] in item["cases"]
            pos[kind][0] += ok
            pos[kind][1] += 1
            right += ok
            shown += first is not None
            continue
        if kind in REPORTED_KINDS:
            bad = any(m.get("voice", "asserted") == "asserted" for m in matches)
        else:
            bad = first is not None
        alarms.setdefault(kind, [0, 0])
        alarms[kind][0] += bad
        alarms[kind][1] += 1
        shown += bad
    out: dict[str, Any] = {
        "items": len(items),
        "precision": round(right / shown, 3) if shown else 1.0,
        "shown": shown,
    }
    for kind, (n_ok, n) in pos.items():
        if n:
            out[f"recall_{kind}"] = round(n_ok / n, 3)
            out[f"n_{kind}"] = n
    for kind, (n_bad, n) in sorted(alarms.items()):
        out[f"false_alarm_{kind}"] = round(n_bad / n, 3)
        out[f"n_{kind}"] = n
    by_lang: dict[str, list[int]] = {}
    for item, matches in zip(items, found, strict=True):
        if item["kind"] == "rewording" and "lang" in item:
            ok = bool(matches) and matches[0]["id"] in item["cases"]
            by_lang.setdefault(item["lang"], [0, 0])
            by_lang[item["lang"]][0] += ok
            by_lang[item["lang"]][1] += 1
    for lang, (n_ok, n) in sorted(by_lang.items()):
        out[f"recall_rewording_{lang}"] = round(n_ok / n, 3)
    return out


def item_languages(items: list[dict[str, Any]]) -> list[str]:
    """Each item's sentence language as the pipeline tells it, the item's ``lang`` (default
    English) standing for the article's language."""
    from ..factchecks.multilingual import sentence_language

    return [sentence_language(it["text"], it.get("lang", "en")) for it in items]


def evaluate_catalogue(
    split: str | None = "scoring",
    shared: Path | None = None,
    path: Path = CATALOGUE_SET,
    searcher: Any = None,
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The shipped matcher (thresholds included) on a part of an EUvsDisinfo matching set
    (:data:`SETS`): metrics, and per item what it showed. Sentences in other languages are
    matched across languages, as ``factchecks.v1`` does."""
    from ..factchecks import euvsdisinfo
    from ..factchecks.search import Searcher, describe

    items = read_catalogue_set(path, shared=shared, split=split)
    searcher = searcher or Searcher([euvsdisinfo.load(shipped=True)])
    t0 = time.perf_counter()
    found = searcher.search(
        [it["text"] for it in items], k=3, min_score="default", langs=item_languages(items)
    )
    seconds = time.perf_counter() - t0
    shown = [
        [describe(m, it["text"], it.get("date")) for m in ms]
        for it, ms in zip(items, found, strict=True)
    ]
    out = catalogue_metrics(items, shown)
    out["ms_per_sentence"] = round(1000 * seconds / max(len(items), 1), 2)
    rows = [
        {
            "id": it["id"],
            "kind": it["kind"],
            "lang": it.get("lang", "en"),
            "text": it["text"],
            "cases": it["cases"],
            "shown": [{k: m[k] for k in ("id", "claim", "score", "voice", "relation")} for m in ms],
        }
        for it, ms in zip(items, shown, strict=True)
    ]
    return out, rows


@click.command("catalogue-matching")
@click.option(
    "--split",
    type=click.Choice(["calibration", "scoring", "all"]),
    default="scoring",
    show_default=True,
    help="Part of tests/fixtures/claim-matching-euvsdisinfo.jsonl.",
)
@click.option(
    "--shared",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="The ../shared folder (for the set's dataset references).",
)
@click.option(
    "--set",
    "which",
    type=click.Choice(["both", *SETS]),
    default="both",
    show_default=True,
    help="english: tests/fixtures/claim-matching-euvsdisinfo.jsonl; crosslang: "
    "tests/fixtures/claim-matching-crosslang.jsonl (ru/uk/de/fr/es/pl sentences, English cases).",
)
@click.option("--show-errors", is_flag=True, help="List wrong, missed and false matches.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def catalogue_command(
    split: str, shared: Path | None, which: str, show_errors: bool, as_json: bool
) -> None:
    """Precision, recall and false alarms of EUvsDisinfo matching on the labelled sets: English
    sentences, and sentences in other languages matched across languages."""
    from ..factchecks import euvsdisinfo
    from ..factchecks.search import Searcher

    searcher = Searcher([euvsdisinfo.load(shipped=True)])
    names = list(SETS) if which == "both" else [which]
    results, rows = {}, []
    for name in names:
        results[name], found = evaluate_catalogue(
            None if split == "all" else split, shared, SETS[name], searcher
        )
        rows += found
    if as_json:
        click.echo(json.dumps(results if which == "both" else results[which], indent=2))
    else:
        keys = list(dict.fromkeys(k for r in results.values() for k in r))
        click.echo(f"  {'':32s} " + " ".join(f"{n:>10s}" for n in names))
        for key in keys:
            cells = " ".join(f"{str(results[n].get(key, '')):>10s}" for n in names)
            click.echo(f"  {key:32s} {cells}")
    if show_errors:
        for r in rows:
            first = r["shown"][0] if r["shown"] else None
            if r["kind"] in POSITIVE_KINDS and (first is None or first["id"] not in r["cases"]):
                what = f"shown {first['id']} ({first['score']})" if first else "missed"
                click.echo(f"{r['id']} {r['kind']}: {what} | {r['text'][:90]}")
            elif r["kind"] not in POSITIVE_KINDS and r["shown"]:
                assert first is not None  # r["shown"] is not empty
                voices = ",".join(m["voice"] for m in r["shown"])
                click.echo(
                    f"{r['id']} {r['kind']}: shown {first['id']} ({first['score']}, "
                    f"{voices}) | {r['text'][:90]}"
                )
