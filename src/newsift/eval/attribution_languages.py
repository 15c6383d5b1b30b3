"""Scoring attribution beyond English: the team's per-language gold and German Wikinews.

- **Per-language gold** (``tests/fixtures/attribution-gold-languages.jsonl``, see
  docs/attribution-languages.md): hand-written news sentences in ru, uk, de, fr, es and pl, each
  row ``{"lang", "split": "tune"|"score", "text", "attributions": [{"source", "cue", "content",
  "kind"}]}``. *Source found* is the share of gold attributions found (content overlap as in
  :func:`newsift.eval.attribution.score`) whose predicted source names the gold source (token F1
  >= 0.5, or both none).
- **German Wikinews** (``../shared/data/attribution/german-news-quotation-attribution-2024``,
  CC BY-NC-SA 4.0, read in place, never copied): 748 articles with speaker, cue and quote spans.
  Split by a hash of the document name (:func:`wikinews_split`): about a third is ``score``, the
  rest ``tune``. *Source right* is the share of gold quotations with a speaker where a predicted
  attribution overlaps the quote (at least half of the shorter span) and its source overlaps the
  gold speaker span.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..article import Article
from ..errors import DataError
from .attribution import content_tokens, read_gold, score, token_f1

LANGUAGE_GOLD = (
    Path(__file__).resolve().parents[3] / "tests" / "fixtures" / "attribution-gold-languages.jsonl"
)
WIKINEWS = Path("attribution") / "german-news-quotation-attribution-2024"


def predict(text: str, language: str) -> list[dict[str, Any]]:
    """attribution.v1's records for ``text`` read as ``language`` (nlp.v1 first)."""
    from ..api import get_pipeline

    article = get_pipeline(["nlp.v1", "attribution.v1"])(Article(text=text, language=language))
    return list(article.layers.get("attributions", []))


def read_language_gold(path: Path = LANGUAGE_GOLD) -> list[dict[str, Any]]:
    """The per-language gold rows (each with ``lang`` and ``split``); a clear error for a
    malformed line."""
    return read_gold(path, required=("lang", "split"))


def score_languages(rows: list[dict[str, Any]], split: str = "all") -> dict[str, dict[str, Any]]:
    """Per language: the sentence-gold scores plus ``source_found`` (see the module doc)."""
    out: dict[str, dict[str, Any]] = {}
    by_lang: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        if split == "all" or row["split"] == split:
            by_lang[row["lang"]].append(row)
    for lang, group in sorted(by_lang.items()):
        found = 0

        def run(text: str, lang: str = lang) -> list[dict[str, Any]]:
            return predict(text, lang)

        result = score(group, run)
        for row in group:
            preds = run(row["text"])
            for g in row["attributions"]:
                found += any(_source_found(g, p) for p in preds)
        result["source_found"] = round(found / max(1, result["gold"]), 4)
        out[lang] = result
    return out


def _source_found(gold: dict[str, Any], pred: dict[str, Any]) -> bool:
    g_tokens = content_tokens(gold["content"])
    overlap = sum((g_tokens & content_tokens(pred["content"]["text"])).values())
    if overlap < 0.5 * max(1, sum(g_tokens.values())):
        return False
    psrc = pred["source"]["text"] if pred["source"] else None
    if gold["source"] is None or psrc is None:
        return gold["source"] is None and psrc is None
    return token_f1(psrc, gold["source"]) >= 0.5


def wikinews_split(name: str) -> str:
    """``score`` for about a third of the documents (by a hash of the name), else ``tune``."""
    return (
        "score" if int(hashlib.sha1(name.encode("utf-8")).hexdigest()[:8], 16) % 3 == 0 else "tune"
    )


def read_wikinews(folder: Path, split: str = "all") -> list[dict[str, Any]]:
    """The Wikinews articles of ``split`` under ``folder`` (its train/dev/test subfolders)."""
    if not folder.is_dir():
        raise DataError(
            f"{folder}: no German Wikinews folder; give the folder of "
            "german-news-quotation-attribution-2024 (see ../shared/data/attribution/README.md)"
        )
    docs = []
    for path in sorted(folder.glob("*/*.json.gz")):
        try:
            with gzip.open(path, "rt", encoding="utf-8") as f:
                doc = json.load(f)
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise DataError(f"{path}: not a gzipped JSON Wikinews article ({exc})") from exc
        if not isinstance(doc, dict) or not {"documentName", "originalText"} <= doc.keys():
            raise DataError(
                f"{path}: not a Wikinews article of the German quotation corpus (an object "
                "with documentName and originalText); give the corpus folder"
            )
        if split == "all" or wikinews_split(doc["documentName"]) == split:
            docs.append(doc)
    if not docs:
        raise DataError(f"{folder}: no *.json.gz articles found in its subfolders")
    return docs


def _spans(role: dict[str, Any] | None) -> list[tuple[int, int]]:
    return [(s["charBegin"], s["charEnd"]) for s in (role or {}).get("spans", [])]


def _hit(a: list[tuple[int, int]], b: tuple[int, int]) -> int:
    return sum(max(0, min(e, b[1]) - max(s, b[0])) for s, e in a)


def score_wikinews(
    docs: list[dict[str, Any]],
    predict_fn: Callable[[str, str], list[dict[str, Any]]] | None = None,
) -> dict[str, Any]:
    """Source right, found and spurious on Wikinews articles, overall and by quote type
    (``predict_fn(text, "de")`` gives the records; attribution.v1's by default)."""
    run = predict_fn or predict
    preds_list = []
    cpu = 0.0
    for doc in docs:
        t0 = time.process_time()
        preds_list.append(run(doc["originalText"], "de"))
        cpu += time.process_time() - t0
    out = score_wikinews_predictions(docs, preds_list)
    out["cpu_s_per_article"] = round(cpu / max(1, len(docs)), 4)
    return out


def score_wikinews_predictions(
    docs: list[dict[str, Any]], preds_list: list[list[dict[str, Any]]]
) -> dict[str, Any]:
    """:func:`score_wikinews` on records already predicted, one list per document."""
    total: Counter[str] = Counter()
    by_type: dict[str, Counter[str]] = defaultdict(Counter)
    for doc, preds in zip(docs, preds_list, strict=True):
        used: set[int] = set()
        for ann in doc["annotations"]:
            quote = _spans(ann.get("quote"))
            if not quote:
                continue
            speaker = _spans(ann.get("speaker"))
            qlen = sum(e - s for s, e in quote)
            best = None
            for k, p in enumerate(preds):
                span = (p["content"]["start"], p["content"]["end"])
                ov = _hit(quote, span)
                if ov and ov >= 0.5 * min(qlen, span[1] - span[0]):
                    if best is None or ov > best[1]:
                        best = (k, ov)
            c = by_type[ann["type"]]
            for bucket in (total, c):
                bucket["quotations"] += 1
                bucket["with_speaker"] += bool(speaker)
            if best is None:
                continue
            used.add(best[0])
            p = preds[best[0]]
            right = bool(
                speaker
                and p["source"]
                and _hit(speaker, (p["source"]["start"], p["source"]["end"]))
            )
            for bucket in (total, c):
                bucket["found"] += 1
                bucket["source_right"] += right
        total["predicted"] += len(preds)
        total["spurious"] += len(preds) - len(used)
    out = _rates(total)
    out["documents"] = len(docs)
    out["by_type"] = {t: _rates(c) for t, c in sorted(by_type.items())}
    return out


def _rates(c: Counter[str]) -> dict[str, Any]:
    return {
        "quotations": c["quotations"],
        "with_speaker": c["with_speaker"],
        "found": round(c["found"] / max(1, c["quotations"]), 4),
        "source_right": round(c["source_right"] / max(1, c["with_speaker"]), 4),
        **(
            {
                "predicted": c["predicted"],
                "spurious": round(c["spurious"] / max(1, c["predicted"]), 4),
            }
            if "predicted" in c
            else {}
        ),
    }


def language_command(
    languages: bool, german: Path | None, split: str, as_json: bool, show_errors: bool
) -> None:
    """``newsift eval attribution --languages`` / ``--german PATH``: print the scores."""
    import click

    out: dict[str, Any] = {}
    if split in ("score3", "tune2"):
        raise DataError(
            f"{split} is a part of the real-article gold only (--articles); the per-language and "
            "German Wikinews gold have tune, score (and score2) parts"
        )
    if languages:
        split_ = split if split in ("tune", "score", "score2", "all") else "all"
        out["languages"] = score_languages(read_language_gold(), split_)
    if german is not None:
        if split == "score2":
            raise DataError("German Wikinews has a tune and a score part only; use --split score")
        out["german_wikinews"] = score_wikinews(read_wikinews(german, split))
    if as_json:
        if not show_errors:
            for r in out.get("languages", {}).values():
                r.pop("errors", None)
        click.echo(json.dumps(out, indent=2, ensure_ascii=False))
        return
    for lang, r in out.get("languages", {}).items():
        click.echo(
            f"{lang} ({split}): {r['gold']} gold, source found {r['source_found']:.3f}, "
            f"recall {r['recall']:.3f}, precision {r['precision']:.3f}, "
            f"kind accuracy {r['kind_accuracy']:.3f}"
        )
        if show_errors:
            for e in r["errors"]:
                click.echo(f"  - {json.dumps(e, ensure_ascii=False)}")
    w = out.get("german_wikinews")
    if w:
        click.echo(
            f"German Wikinews ({split}, {w['documents']} articles, {w['quotations']} quotations): "
            f"source right {w['source_right']:.3f}, found {w['found']:.3f}, "
            f"spurious {w['spurious']:.3f} of {w['predicted']} predictions, "
            f"{w['cpu_s_per_article'] * 1000:.1f} ms CPU per article"
        )
        for t, r in w["by_type"].items():
            click.echo(
                f"  {t:22s} n={r['quotations']:5d} found {r['found']:.3f} "
                f"source right {r['source_right']:.3f}"
            )
