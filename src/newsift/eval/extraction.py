"""``newsift eval extraction DIR``: score HTML extraction against plain trafilatura.

Reads the two layouts of ``../shared/data/extraction-benchmark`` (see its README):

- ScrapingHub's article-extraction-benchmark (``html/<id>.html.gz`` + ``ground-truth.json``):
  body only, scored with its 4-gram shingle precision / recall / F1 (re-implemented from the
  description: ``\\w+`` tokens, multisets of 4-token windows, per-page TP/FP/FN normalised by their
  sum, macro-averaged precision and recall, F1 the harmonic mean of the two averages, a 1,000-sample
  bootstrap for the spread).
- WCXB (``html/<id>.html.gz`` + ``ground-truth/<id>.json``): the same body score on
  ``main_content`` plus exact (normalised) match of title, author and publish date.

Both newsift's extractor and plain trafilatura 2.3.1 (``bare_extraction(with_metadata=True)``)
run on the same pages in the same run, so the two columns are comparable.

``--split dev|holdout`` picks a fixed, hash-based part of the pages (a quarter is ``holdout``):
newsift's extractor was tuned on ``dev`` only, so ``holdout`` gives an honest figure.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import random
import re
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click

from ..errors import DataError, NewsiftError

_TOKEN = re.compile(r"\w+")
NGRAM = 4
BOOTSTRAP = 1000


# -- data --------------------------------------------------------------------------------------
@dataclass
class Page:
    """One benchmark page: its HTML and whatever ground truth the benchmark gives."""

    id: str
    dataset: str
    path: Path
    url: str | None
    body: str | None
    title: str | None = None
    author: str | None = None
    date: str | None = None
    with_snippets: list[str] = field(default_factory=list)
    without_snippets: list[str] = field(default_factory=list)

    def html(self) -> str:
        raw = (
            gzip.decompress(self.path.read_bytes())
            if self.path.suffix == ".gz"
            else self.path.read_bytes()
        )
        return raw.decode("utf-8", errors="replace")


def in_split(page_id: str, split: str) -> bool:
    """Whether ``page_id`` belongs to ``split`` (``all``, ``dev``, or ``holdout``: a fixed 25 %)."""
    if split == "all":
        return True
    holdout = int(hashlib.sha1(page_id.encode()).hexdigest(), 16) % 4 == 0
    return holdout if split == "holdout" else not holdout


def _scrapinghub_pages(root: Path) -> Iterator[Page]:
    truth = json.loads((root / "ground-truth.json").read_text(encoding="utf-8"))
    for page_id in sorted(truth):
        path = root / "html" / f"{page_id}.html.gz"
        if path.exists():
            rec = truth[page_id]
            yield Page(page_id, "scrapinghub", path, rec.get("url"), rec.get("articleBody"))


def _wcxb_pages(root: Path) -> Iterator[Page]:
    for gt_path in sorted((root / "ground-truth").glob("*.json")):
        rec = json.loads(gt_path.read_text(encoding="utf-8"))
        page_id = gt_path.stem
        path = root / "html" / f"{page_id}.html.gz"
        if not path.exists():
            continue
        gt = rec.get("ground_truth") or {}
        yield Page(
            page_id,
            "wcxb",
            path,
            rec.get("url"),
            gt.get("main_content") or None,
            title=gt.get("title") or None,
            author=gt.get("author") or None,
            date=gt.get("publish_date") or None,
            with_snippets=list(gt.get("with") or []),
            without_snippets=list(gt.get("without") or []),
        )


def load_pages(root: Path) -> list[Page]:
    """Every page under ``root``: the benchmark folder or one of its two subfolders.

    Raises:
        DataError: ``root`` holds neither layout.
    """
    if (root / "ground-truth.json").is_file():
        return list(_scrapinghub_pages(root))
    if (root / "ground-truth").is_dir():
        return list(_wcxb_pages(root))
    pages: list[Page] = []
    for sub in sorted(p for p in root.iterdir() if p.is_dir()) if root.is_dir() else []:
        if (sub / "ground-truth.json").is_file() or (sub / "ground-truth").is_dir():
            pages.extend(load_pages(sub))
    if not pages:
        raise DataError(
            f"{root}: expected an extraction benchmark folder (ground-truth.json or ground-truth/ "
            "beside html/), or a folder of them; see ../shared/data/extraction-benchmark/README.md"
        )
    return pages


# -- metrics -----------------------------------------------------------------------------------
def shingles(text: str | None, n: int = NGRAM) -> Counter:
    """The multiset of ``n``-token windows of ``\\w+`` tokens (one short window for short texts)."""
    tokens = _TOKEN.findall(text or "")
    if not tokens:
        return Counter()
    return Counter(tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)))


def shingle_counts(truth: str | None, pred: str | None) -> tuple[float, float, float]:
    """Per-page (TP, FP, FN) over shingles, normalised by their sum."""
    t, p = shingles(truth), shingles(pred)
    tp = sum((t & p).values())
    fp = sum((p - t).values())
    fn = sum((t - p).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def _prf(rows: list[tuple[float, float, float]]) -> tuple[float, float, float]:
    precisions = [tp / (tp + fp) for tp, fp, _ in rows if tp + fp > 0]
    recalls = [tp / (tp + fn) for tp, _, fn in rows if tp + fn > 0]
    p = sum(precisions) / len(precisions) if precisions else 0.0
    r = sum(recalls) / len(recalls) if recalls else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def body_scores(rows: list[tuple[float, float, float]], seed: int = 0) -> dict[str, float]:
    """Macro precision, recall, F1 and the bootstrap standard deviation of F1."""
    p, r, f1 = _prf(rows)
    rng = random.Random(seed)
    samples = []
    for _ in range(BOOTSTRAP if rows else 0):
        samples.append(_prf([rows[rng.randrange(len(rows))] for _ in rows])[2])
    mean = sum(samples) / len(samples) if samples else 0.0
    sd = (sum((s - mean) ** 2 for s in samples) / len(samples)) ** 0.5 if samples else 0.0
    return {"precision": p, "recall": r, "f1": f1, "f1_sd": sd}


def norm_field(value: str | None) -> str:
    """Lower-cased ``\\w+`` tokens joined by one space (case, punctuation, spacing ignored)."""
    text = unicodedata.normalize("NFKC", value or "").casefold()
    return " ".join(_TOKEN.findall(text))


def field_match(kind: str, truth: str | None, pred: str | None) -> bool:
    """Exact match after normalisation; dates compare their first 10 characters (YYYY-MM-DD)."""
    if kind == "date":
        return bool(pred) and (pred or "")[:10] == (truth or "")[:10]
    return norm_field(truth) == norm_field(pred) and bool(norm_field(pred))


# -- extractors --------------------------------------------------------------------------------
@dataclass
class Extracted:
    text: str = ""
    title: str | None = None
    author: str | None = None
    date: str | None = None


def run_newsift(html: str, url: str | None) -> Extracted:
    """newsift's extractor; a page with no article gives an empty result."""
    from ..extract.html import extract_html

    try:
        a = extract_html(html, url=url)
    except NewsiftError:
        return Extracted()
    return Extracted(a.text, a.title, a.author, a.date)


def run_trafilatura(html: str, url: str | None) -> Extracted:
    """Plain trafilatura: ``bare_extraction(with_metadata=True)``, default options."""
    import trafilatura

    doc = trafilatura.bare_extraction(html, url=url, with_metadata=True)
    if doc is None:
        return Extracted()
    d = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    return Extracted(d.get("text") or "", d.get("title"), d.get("author"), d.get("date"))


EXTRACTORS: dict[str, Callable[[str, str | None], Extracted]] = {
    "newsift": run_newsift,
    "trafilatura": run_trafilatura,
}


# -- the run -----------------------------------------------------------------------------------
def evaluate(
    pages: list[Page],
    extractors: dict[str, Callable] | None = None,
    details: list[dict] | None = None,
) -> dict[str, Any]:
    """Score each extractor on ``pages``; returns ``{dataset: {extractor: scores}}``.

    ``details``, when given, receives one record per page and extractor (for error analysis).
    """
    extractors = extractors or EXTRACTORS
    acc: dict[str, dict[str, dict[str, Any]]] = {}
    for page in pages:
        html = page.html()
        for name, fn in extractors.items():
            start = time.perf_counter()
            out = fn(html, page.url)
            elapsed = time.perf_counter() - start
            s = acc.setdefault(page.dataset, {}).setdefault(name, _empty_acc())
            _score_page(s, page, out, elapsed)
            if details is not None:
                details.append(
                    {
                        "id": page.id,
                        "dataset": page.dataset,
                        "extractor": name,
                        "title": out.title,
                        "author": out.author,
                        "date": out.date,
                        "gt_title": page.title,
                        "gt_author": page.author,
                        "gt_date": page.date,
                        "text": out.text,
                        "shingle": s["rows"][-1] if page.body else None,
                    }
                )
    return {ds: {name: _summarise(s) for name, s in by.items()} for ds, by in acc.items()}


def _empty_acc() -> dict[str, Any]:
    return {
        "rows": [],
        "exact": 0,
        "pages": 0,
        "seconds": 0.0,
        "with": [0, 0],
        "without": [0, 0],
        **{f: [0, 0] for f in ("title", "author", "date")},
    }


def _score_page(s: dict[str, Any], page: Page, out: Extracted, elapsed: float) -> None:
    s["pages"] += 1
    s["seconds"] += elapsed
    if page.body:
        s["rows"].append(shingle_counts(page.body, out.text))
        s["exact"] += _TOKEN.findall(page.body) == _TOKEN.findall(out.text or "")
    for fld in ("title", "author", "date"):
        truth = getattr(page, fld)
        if truth:
            s[fld][0] += field_match(fld, truth, getattr(out, fld))
            s[fld][1] += 1
    low = (out.text or "").casefold()
    s["with"][0] += sum(w.casefold() in low for w in page.with_snippets)
    s["with"][1] += len(page.with_snippets)
    s["without"][0] += sum(w.casefold() in low for w in page.without_snippets)
    s["without"][1] += len(page.without_snippets)


def _summarise(s: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "pages": s["pages"],
        "body_pages": len(s["rows"]),
        **body_scores(s["rows"]),
        "exact_body": s["exact"] / len(s["rows"]) if s["rows"] else 0.0,
        "ms_per_page": 1000 * s["seconds"] / max(1, s["pages"]),
    }
    for fld in ("title", "author", "date", "with", "without"):
        hit, total = s[fld]
        if total:
            out[fld] = {"correct": hit, "total": total, "share": hit / total}
    return out


def format_report(result: dict[str, Any]) -> str:
    """A plain-text table: one block per dataset, one column per extractor."""
    lines = []
    for ds, by in result.items():
        names = list(by)
        lines.append(f"{ds} ({next(iter(by.values()))['pages']} pages)")
        lines.append(f"  {'metric':<22}" + "".join(f"{n:>14}" for n in names))
        rows = [
            ("body precision", "precision"),
            ("body recall", "recall"),
            ("body F1", "f1"),
            ("body F1 bootstrap sd", "f1_sd"),
            ("exact body", "exact_body"),
        ]
        for label, key in rows:
            lines.append(f"  {label:<22}" + "".join(f"{by[n][key]:>14.3f}" for n in names))
        for fld in ("title", "author", "date", "with", "without"):
            if fld in by[names[0]]:
                label = {"with": "must-have snippets", "without": "boilerplate leaked"}.get(
                    fld, fld
                )
                cells = "".join(
                    f"{by[n][fld]['correct']:>6}/{by[n][fld]['total']:<3}{by[n][fld]['share']:>4.0%}"
                    for n in names
                )
                lines.append(f"  {label:<22}{cells}")
        lines.append(
            f"  {'ms per page':<22}" + "".join(f"{by[n]['ms_per_page']:>14.0f}" for n in names)
        )
    return "\n".join(lines)


@click.command("extraction")
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
@click.option(
    "--limit", type=int, default=None, help="Score only the first N pages of each dataset."
)
@click.option(
    "--split",
    type=click.Choice(["all", "dev", "holdout"]),
    default="all",
    show_default=True,
    help="A fixed part of the pages: holdout is the quarter not tuned on.",
)
def command(directory: Path, as_json: bool, limit: int | None, split: str) -> None:
    """Score newsift's HTML extraction and plain trafilatura on a benchmark DIRECTORY."""
    pages = [p for p in load_pages(directory) if in_split(p.id, split)]
    if limit is not None:
        by_ds: dict[str, list[Page]] = {}
        for p in pages:
            by_ds.setdefault(p.dataset, []).append(p)
        pages = [p for group in by_ds.values() for p in group[:limit]]
    result = evaluate(pages)
    if as_json:
        click.echo(json.dumps({"split": split, "results": result}, indent=2))
    else:
        click.echo(f"split: {split}")
        click.echo(format_report(result))
