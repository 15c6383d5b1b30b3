"""``newsift eval attribution [FILE]``: score attribution on sentence-level or article-level gold.

Two gold layouts, told apart by their first row:

- **sentence gold** (the team's hand-written sentences): each line ``{"text": ..., "attributions":
  [{"source": str|null, "cue": str, "content": str, "kind": str}]}``. A predicted attribution
  matches a gold one when their contents overlap by at least half of the gold content's tokens
  (one-to-one, best first). Reported: detection precision, recall and F1; among matches, source
  exact-match and token-F1, cue exact match, content token-F1 and kind accuracy.
- **article gold** (real articles, ``tests/fixtures/attribution-articles-gold.jsonl``, see
  docs/attribution-gold.md): each line names an article of a research dataset by reference
  (``dataset``, ``id``, ``sha1`` of its text) and holds only character offsets, the resolved
  speaker's short canonical name with its aliases, the kind, direct/indirect and construction tags;
  the article text is read from ``../shared/data`` (or ``--data DIR``) and articles that are absent
  or changed are skipped and counted. Scored by :func:`score_articles`: speaker accuracy, kind
  accuracy, content overlap, missed and spurious, broken down by construction.

(No open English attribution corpus exists; PolNeAR and PARC are not openly licensed.)
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import click

from ..errors import DataError
from .gold import ArticleTexts, default_shared, read_jsonl

_TOKEN = re.compile(r"\w+")


def content_tokens(s: str | None) -> Counter[str]:
    return Counter(t.lower() for t in _TOKEN.findall(s or ""))


def token_f1(a: str | None, b: str | None) -> float:
    ta, tb = content_tokens(a), content_tokens(b)
    if not ta and not tb:
        return 1.0
    common = sum((ta & tb).values())
    if not common:
        return 0.0
    p, r = common / sum(ta.values()), common / sum(tb.values())
    return 2 * p * r / (p + r)


def read_gold(path: Path, required: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """The gold rows of ``path`` (JSONL: ``text`` and an ``attributions`` list, plus the keys in
    ``required``); a clear error naming the line for a malformed one, and for an empty file."""
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
            missing = [key for key in required if key not in row]
            if missing:
                raise DataError(f"{path} line {n}: expected the keys {', '.join(missing)} too")
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
            g_tokens = content_tokens(gold[gi]["content"])
            overlap = sum((g_tokens & content_tokens(pred[pi]["content"]["text"])).values()) / max(
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
@click.option(
    "--articles",
    is_flag=True,
    help="Score the real-article gold (tests/fixtures/attribution-articles-gold.jsonl).",
)
@click.option(
    "--split",
    type=click.Choice(["tune", "score", "score2", "score3", "tune2", "all"]),
    default="all",
    show_default=True,
    help="Article, per-language or German Wikinews gold: the part to score (score3, tune2: "
    "article gold only).",
)
@click.option(
    "--languages",
    is_flag=True,
    help="Score the per-language gold (ru, uk, de, fr, es, pl; docs/attribution-languages.md).",
)
@click.option(
    "--german",
    "german",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Score German Wikinews quotations in this folder (german-news-quotation-attribution-2024).",
)
@click.option(
    "--data",
    "data_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Article gold only: the research data folder (default ../shared/data).",
)
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")
@click.option("--show-errors", is_flag=True, help="List mismatches.")
def command(
    file: Path | None,
    articles: bool,
    split: str,
    data_dir: Path | None,
    as_json: bool,
    show_errors: bool,
    languages: bool = False,
    german: Path | None = None,
) -> None:
    """Score attribution.v1 on a gold JSONL: sentence gold (default: the team's hand-written
    English set) or article gold (--articles, or a FILE of article references); beyond English,
    the per-language gold (--languages) or German Wikinews (--german PATH)."""
    if languages or german is not None:
        from .attribution_languages import language_command

        language_command(languages, german, split, as_json, show_errors)
        return
    path = file or (ARTICLE_GOLD if articles else DEFAULT_GOLD)
    if not path.exists():
        raise DataError(f"{path}: no gold file; give one (see `newsift eval attribution --help`)")
    if articles or is_article_gold(path):
        _article_command(path, split, data_dir, as_json, show_errors)
        return
    from ..api import analyze_text

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
    _echo_by_kind(result)
    if show_errors:
        for e in result["errors"]:
            click.echo(f"  - {json.dumps(e, ensure_ascii=False)}")


def _echo_by_kind(result: dict[str, Any]) -> None:
    """Print the figures by gold kind, with the kinds predicted for each (``by_kind``)."""
    for kind, r in result.get("by_kind", {}).items():
        predicted_kinds = ", ".join(
            f"{k} {n}" for k, n in result["kind_confusion"].get(kind, {}).items()
        )
        click.echo(
            f"  gold {kind:12s} n={r['gold']:4d} recall {r['recall']:.3f} speaker "
            f"{r['speaker_accuracy']:.3f} kind {r['kind_accuracy']:.3f} (predicted: "
            f"{predicted_kinds})"
        )


def _article_command(
    path: Path, split: str, data_dir: Path | None, as_json: bool, show_errors: bool
) -> None:
    rows = read_article_gold(path)
    if split != "all" and not any(r.get("split") == split for r in rows):
        parts = sorted({str(r.get("split")) for r in rows})
        raise DataError(f"{path}: no articles in part {split!r}; its parts: {', '.join(parts)}")
    result = score_articles(rows, predict_attributions, data_dir, None if split == "all" else split)
    if not result["articles"]:
        raise DataError(
            f"{path}: none of the referenced articles could be read under "
            f"{data_dir or default_data_dir()} ({len(result['skipped'])} skipped); give the "
            "research data folder with --data"
        )
    if as_json:
        click.echo(
            json.dumps(
                result if show_errors else {k: v for k, v in result.items() if k != "errors"},
                indent=2,
                ensure_ascii=False,
            )
        )
        return
    click.echo(
        f"attribution on {path} [{split}] ({result['articles']} articles, {result['gold']} gold "
        f"attributions, {len(result['skipped'])} skipped)"
    )
    for key in (
        "recall",
        "speaker_accuracy",
        "speaker_right_of_gold",
        "kind_accuracy",
        "content_f1",
        "spurious_rate",
    ):
        click.echo(f"  {key:22s} {result[key]:.3f}")
    click.echo(
        f"  predicted {result['predicted']}, spurious {result['spurious']}, outlet sentences "
        f"credited to a source {result['outlet_voice_attributed']}/{result['outlet_sentences']}"
        + (
            f", unjudged in headlines {result['headline_unjudged']}"
            if result.get("headline_unjudged")
            else ""
        )
    )
    for tag, r in result["by_construction"].items():
        click.echo(
            f"  {tag:16s} n={r['gold']:4d} recall {r['recall']:.3f} speaker {r['speaker_accuracy']:.3f} "
            f"kind {r['kind_accuracy']:.3f}"
        )
    _echo_by_kind(result)
    if show_errors:
        for e in result["errors"]:
            click.echo(f"  - {json.dumps(e, ensure_ascii=False)}")


# -- article-level gold on real articles -------------------------------------------------------

ARTICLE_GOLD = (
    Path(__file__).resolve().parents[3] / "tests" / "fixtures" / "attribution-articles-gold.jsonl"
)
# The constructions reported separately (tags in the gold; "direct"/"indirect" come from the flag).
CONSTRUCTIONS = (
    "pronoun",
    "cross-sentence",
    "multi-paragraph",
    "interview",
    "tweet",
    "passive",
    "embedded",
    "appositive",
)
_PRONOUN_TEXTS = {"he", "she", "they", "it", "we", "i", "him", "her", "them", "who", "you"}


def default_data_dir() -> Path:
    """``../shared/data`` beside the checkout (``NEWSIFT_SHARED`` overrides ``../shared``)."""
    return default_shared() / "data"


def read_article_gold(path: Path) -> list[dict[str, Any]]:
    """Rows of an article-level gold file (offsets and short names only, no article text)."""
    rows = []
    for n, row in read_jsonl(path):
        if not isinstance(row, dict) or not {"dataset", "id", "attributions"} <= set(row):
            raise DataError(
                f"{path} line {n}: expected an article reference with 'dataset', 'id' and "
                "'attributions'"
            )
        rows.append(row)
    if not rows:
        raise DataError(f"{path}: no gold rows; nothing to score")
    return rows


def is_article_gold(path: Path) -> bool:
    with path.open(encoding="utf-8") as f:
        for line in f:
            if line.strip():
                try:
                    return "dataset" in json.loads(line)
                except json.JSONDecodeError:
                    return False
    return False


def _norm(s: str) -> str:
    return re.sub(r"\s+", " ", s.replace("’", "'").replace("‘", "'")).strip().lower()


def speaker_matches(predicted: str | None, aliases: list[str]) -> bool:
    """True when the predicted speaker phrase names the gold speaker: it holds one of the aliases
    as whole words and not as a possessive ("Trump" is not "Trump's lawyer")."""
    if not predicted:
        return False
    p = _norm(predicted)
    if p in _PRONOUN_TEXTS and not predicted.strip().isupper():
        return False
    for alias in aliases:
        a = _norm(alias)
        if not a:
            continue
        if re.search(r"(?<!\w)" + re.escape(a) + r"(?!\w)(?!'s\b)", p):
            return True
    return False


def predicted_speaker(att: dict[str, Any]) -> str | None:
    """The phrase a prediction credits: the resolved antecedent of a pronoun, else the source."""
    if att.get("resolved_text"):
        return att["resolved_text"]
    return att["source"]["text"] if att.get("source") else None


# Datasets whose texts begin with the article's headline on a line of its own: the PTC articles
# ("Congo confirms 2 Ebola cases, declares outbreak\n\nKINSHASA, Congo -- ..."). Their headlines
# were left out of the annotation (docs/attribution-gold.md, "Guidelines").
_HEADLINE_FIRST = frozenset({"ptc"})


def headline_end(dataset: str, text: str) -> int:
    """The end of the headline line of an article of ``dataset`` (0 where its texts have none)."""
    if dataset not in _HEADLINE_FIRST:
        return 0
    nl = text.find("\n")
    return nl if nl >= 0 else 0


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _span_f1(gold: tuple[int, int], pred: tuple[int, int]) -> float:
    ov = _overlap(gold, pred)
    if not ov:
        return 0.0
    p, r = ov / max(1, pred[1] - pred[0]), ov / max(1, gold[1] - gold[0])
    return 2 * p * r / (p + r)


def _matches(gold: tuple[int, int], pred: tuple[int, int]) -> bool:
    """Contents match when they share at least half of the shorter one."""
    ov = _overlap(gold, pred)
    return ov > 0 and ov >= 0.5 * min(gold[1] - gold[0], pred[1] - pred[0])


def _bucket() -> dict[str, float]:
    return {"gold": 0, "found": 0, "speaker_ok": 0, "kind_ok": 0, "content_f1": 0.0}


def _rates(b: dict[str, float]) -> dict[str, Any]:
    found = max(1, b["found"])
    return {
        "gold": int(b["gold"]),
        "found": int(b["found"]),
        "recall": round(b["found"] / b["gold"], 4) if b["gold"] else 0.0,
        "speaker_accuracy": round(b["speaker_ok"] / found, 4) if b["found"] else 0.0,
        "speaker_right_of_gold": round(b["speaker_ok"] / b["gold"], 4) if b["gold"] else 0.0,
        "kind_accuracy": round(b["kind_ok"] / found, 4) if b["found"] else 0.0,
        "content_f1": round(b["content_f1"] / found, 4) if b["found"] else 0.0,
    }


def score_articles(
    rows: list[dict[str, Any]],
    predict,
    data_dir: Path | None = None,
    split: str | None = None,
) -> dict[str, Any]:
    """Score ``predict(text) -> attributions`` on article-level gold.

    A gold attribution is *found* when a prediction's content shares at least half of the shorter
    of the two spans; the prediction whose span is most like the gold one (span F1) is judged: *speaker right* when the
    phrase it credits (a pronoun's resolved antecedent) names the gold speaker (see
    :func:`speaker_matches`), *kind right* when its effective kind equals the gold kind. A
    prediction that matches no gold content is *spurious*; one whose content lies in a sampled
    outlet sentence is also counted as ``outlet_voice_attributed``. A prediction in a headline the
    gold leaves out (:func:`headline_end`) that matches no gold content is neither: it is counted
    as ``headline_unjudged`` and left out of ``predicted``. ``split`` keeps only rows of that split
    ("tune", "score", "score2", "score3" or "tune2").
    """
    from ..stages.attribution import effective_kind

    data = data_dir or default_data_dir()
    texts = ArticleTexts(data.parent, data=data)
    total = _bucket()
    by_tag: dict[str, dict[str, float]] = {}
    by_kind: dict[str, dict[str, float]] = {}
    confusion: dict[str, Counter[str]] = {}
    predicted = spurious = outlet_hits = outlet_total = headline_unjudged = 0
    skipped: list[str] = []
    errors: list[dict[str, Any]] = []
    used = 0
    for row in rows:
        if split and row.get("split") != split:
            continue
        text = texts.get(row["dataset"], str(row["id"]))
        if text is None:
            skipped.append(f"{row['dataset']}/{row['id']} (absent)")
            continue
        if row.get("sha1") and hashlib.sha1(text.encode("utf-8")).hexdigest() != row["sha1"]:
            skipped.append(f"{row['dataset']}/{row['id']} (text differs from the annotated one)")
            continue
        used += 1
        preds = predict(text)
        pspans = [(p["content"]["start"], p["content"]["end"]) for p in preds]
        gspans = [tuple(g["content"]) for g in row["attributions"]]
        title_end = headline_end(row["dataset"], text)
        for p, ps in zip(preds, pspans, strict=True):
            if not any(_matches(gs, ps) for gs in gspans):
                if ps[0] < title_end:
                    # the headline is outside the gold's scope: neither right nor spurious
                    headline_unjudged += 1
                    continue
                spurious += 1
                errors.append(
                    {
                        "article": f"{row['dataset']}/{row['id']}",
                        "spurious": text[ps[0] : ps[1]][:120],
                        "source": predicted_speaker(p),
                    }
                )
        predicted += len(preds)
        for o in row.get("outlet", []):
            outlet_total += 1
            if any(_overlap(tuple(o), ps) >= 0.5 * (ps[1] - ps[0]) for ps in pspans):
                outlet_hits += 1
        for g, gs in zip(row["attributions"], gspans, strict=True):
            aliases = row.get("speakers", {}).get(g["speaker"], []) + [g["speaker"]]
            tags = list(g.get("tags", [])) + ["direct" if g.get("direct") else "indirect"]
            buckets = (
                [total]
                + [by_tag.setdefault(t, _bucket()) for t in tags]
                + [by_kind.setdefault(g["kind"], _bucket())]
            )
            cands = [(i, _overlap(gs, ps)) for i, ps in enumerate(pspans) if _matches(gs, ps)]
            for b in buckets:
                b["gold"] += 1
            if not cands:
                errors.append(
                    {
                        "article": f"{row['dataset']}/{row['id']}",
                        "missed": text[gs[0] : gs[1]][:120],
                        "speaker": g["speaker"],
                        "tags": tags,
                    }
                )
                continue
            # the prediction most like the gold span: a claim nested in another's words
            # ("X said ..., after Politico reported ...") is judged by its own attribution
            best = preds[max(cands, key=lambda c: (_span_f1(gs, pspans[c[0]]), c[1]))[0]]
            sp_ok = speaker_matches(predicted_speaker(best), aliases)
            kind_ok = effective_kind(best) == g["kind"]
            f1 = _span_f1(gs, pspans[preds.index(best)])
            confusion.setdefault(g["kind"], Counter())[effective_kind(best)] += 1
            for b in buckets:
                b["found"] += 1
                b["speaker_ok"] += sp_ok
                b["kind_ok"] += kind_ok
                b["content_f1"] += f1
            if not sp_ok or not kind_ok:
                errors.append(
                    {
                        "article": f"{row['dataset']}/{row['id']}",
                        "content": text[gs[0] : gs[1]][:120],
                        "gold": {"speaker": g["speaker"], "kind": g["kind"]},
                        "predicted": {
                            "speaker": predicted_speaker(best),
                            "kind": effective_kind(best),
                        },
                        "tags": tags,
                    }
                )
    predicted -= headline_unjudged
    result = {"articles": used, "skipped": skipped, **_rates(total)}
    result.update(
        {
            "predicted": predicted,
            # predictions in a headline the gold does not annotate (not in ``predicted``)
            "headline_unjudged": headline_unjudged,
            "spurious": spurious,
            "spurious_rate": round(spurious / predicted, 4) if predicted else 0.0,
            "outlet_sentences": outlet_total,
            "outlet_voice_attributed": outlet_hits,
            "by_construction": {
                t: _rates(by_tag[t]) for t in (*CONSTRUCTIONS, "direct", "indirect") if t in by_tag
            },
            # by the gold kind of the source: found, speaker and kind accuracy; and what kind
            # was predicted for each gold kind (found items)
            "by_kind": {k: _rates(by_kind[k]) for k in sorted(by_kind)},
            "kind_confusion": {k: dict(confusion[k].most_common()) for k in sorted(confusion)},
            "errors": errors,
        }
    )
    return result


def predict_attributions(text: str) -> list[dict[str, Any]]:
    """attribution.v1 (after nlp.v1) on a plain text, exactly as given (no extraction)."""
    from ..api import get_pipeline
    from ..article import Article

    article = Article(text=text)
    get_pipeline(["nlp.v1", "attribution.v1"])(article)
    return article.layers["attributions"]
