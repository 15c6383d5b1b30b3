"""``newsift eval checkworthy [FILE]``: the check-worthy class F1 (official metric), P and R.

Reads either layout:

- CheckThat! TSV: ``Sentence_id<TAB>Text<TAB>class_label`` with ``Yes``/``No``;
- ClaimBuster CSV: ``...,Text,...,Verdict`` with -1 (NFS), 0 (UFS), 1 (CFS); then the 3-class
  accuracy and macro-F1 are reported too;
- the news gold (``--news``, default ``tests/fixtures/checkworthy-news-gold.jsonl``): real news
  sentences stored as references (dataset, article id, character offsets, ClaimBuster class), read
  from ``../shared``; then the share of sentences labelled check-worthy (by the model and by the
  annotator) is reported as well. Guidelines, split and calibration in ``docs/claims.md``.
"""

from __future__ import annotations

import csv
import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from ..errors import DataError
from .gold import REPO, ArticleTexts, default_shared, read_jsonl

DEFAULT_NEWS_GOLD = REPO / "tests" / "fixtures" / "checkworthy-news-gold.jsonl"
NEWS_LABELS = {"nfs": 0, "ufs": 1, "cfs": 2}
NEWS_PARTS = ("tune", "score")
_YES = {"yes": 1, "no": 0}
_VERDICT = {"-1": 0, "0": 1, "1": 2}


@dataclass
class Gold:
    """Sentences with a binary label, and the 3-class label where the file has one."""

    texts: list[str]
    binary: list[int]
    three: list[int] | None


def read_gold(path: Path) -> Gold:
    """Read a CheckThat! TSV or a ClaimBuster CSV (chosen by its header).

    Raises:
        DataError: naming the file, line and what was wrong.
    """
    with path.open(encoding="utf-8", newline="") as fh:
        head = fh.readline()
        fh.seek(0)
        delim = "\t" if "\t" in head else ","
        reader = csv.DictReader(fh, delimiter=delim)
        cols = set(reader.fieldnames or [])
        text_col = "tweet_text" if "tweet_text" in cols and "Text" not in cols else "Text"
        if text_col not in cols or not ({"class_label", "Verdict"} & cols):
            raise DataError(
                f"{path}: expected a CheckThat! TSV (Sentence_id, Text, class_label; or tweet_text) or a "
                f"ClaimBuster CSV (Text, Verdict); got columns {sorted(cols)}"
            )
        texts, binary, three = [], [], []
        for lineno, row in enumerate(reader, 2):
            if "class_label" in cols:
                label = (row["class_label"] or "").strip().lower()
                if label not in _YES:
                    raise DataError(f"{path} line {lineno}: class_label {label!r} is not Yes/No")
                binary.append(_YES[label])
            else:
                verdict = (row["Verdict"] or "").strip()
                if verdict not in _VERDICT:
                    raise DataError(f"{path} line {lineno}: Verdict {verdict!r} is not -1/0/1")
                three.append(_VERDICT[verdict])
                binary.append(int(verdict == "1"))
            texts.append(row[text_col] or "")
    if not texts:
        raise DataError(f"{path}: no sentences to score")
    return Gold(texts, binary, three if three else None)


@dataclass(frozen=True)
class NewsSentence:
    """One sentence of the news gold: where it is, its text (read from the dataset) and class."""

    dataset: str
    doc: str
    part: str
    start: int
    end: int
    text: str
    three: int  # 0 non-factual, 1 unimportant factual, 2 check-worthy factual

    @property
    def label(self) -> int:
        return int(self.three == 2)


def load_news_gold(
    shared: Path | None = None, path: Path | None = None, part: str = "all"
) -> list[NewsSentence]:
    """The news gold's sentences with their texts read from ``shared`` (``../shared``).

    Each line of ``path`` is ``{dataset, doc, part, sentences: [[start, end, nfs|ufs|cfs]]}``.

    Raises:
        DataError: a malformed line, an unknown label or part, or an article that is missing.
    """
    path = path or DEFAULT_NEWS_GOLD
    reader = ArticleTexts(shared or default_shared())
    out = []
    for n, row in read_jsonl(path):
        if not isinstance(row, dict) or not {"dataset", "doc", "part", "sentences"} <= set(row):
            raise DataError(f"{path} line {n}: expected {{dataset, doc, part, sentences}}")
        if row["part"] not in NEWS_PARTS:
            raise DataError(
                f"{path} line {n}: part must be one of {list(NEWS_PARTS)}, got {row['part']!r}"
            )
        if part not in ("all", row["part"]):
            continue
        text = reader.text(row["dataset"], str(row["doc"]))
        for item in row["sentences"]:
            if not (isinstance(item, list) and len(item) == 3 and item[2] in NEWS_LABELS):
                raise DataError(
                    f"{path} line {n}: each sentence must be [start, end, label] with label "
                    f"in {list(NEWS_LABELS)}; got {item!r}"
                )
            start, end = int(item[0]), int(item[1])
            if not 0 <= start < end <= len(text):
                raise DataError(
                    f"{path} line {n}: offsets {start}-{end} fall outside "
                    f"{row['dataset']}/{row['doc']} ({len(text)} characters); the article "
                    "text has changed"
                )
            out.append(
                NewsSentence(
                    row["dataset"],
                    str(row["doc"]),
                    row["part"],
                    start,
                    end,
                    text[start:end],
                    NEWS_LABELS[item[2]],
                )
            )
    if not out:
        raise DataError(f"{path}: no sentences in part {part!r}; nothing to score")
    return out


def prf(gold: list[int], pred: list[int], positive: int = 1) -> dict[str, float]:
    """Precision, recall and F1 of the ``positive`` class."""
    tp = sum(1 for g, p in zip(gold, pred, strict=True) if g == p == positive)
    fp = sum(1 for g, p in zip(gold, pred, strict=True) if p == positive and g != positive)
    fn = sum(1 for g, p in zip(gold, pred, strict=True) if g == positive and p != positive)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"f1": f1, "precision": precision, "recall": recall}


def gold_f1(path: Path, model: Any) -> float:
    """Check-worthy F1 of a :class:`~newsift.stages.checkworthy.CheckworthyModel` on ``path``."""
    from ..stages.checkworthy import CHECK_WORTHY

    gold = read_gold(path)
    _, classes = model.predict(gold.texts)
    return prf(gold.binary, [int(c == CHECK_WORTHY) for c in classes])["f1"]


def _scores(
    texts: list[str],
    binary: list[int],
    three: list[int] | None,
    mode: str,
    threshold: str | float | None,
) -> dict[str, Any]:
    from ..stages.checkworthy import CHECK_WORTHY, CLASSES, CheckworthyModel

    model = CheckworthyModel(mode=mode, threshold=threshold)
    t0 = time.perf_counter()
    _, classes = model.predict(texts)
    seconds = time.perf_counter() - t0
    pred = [int(c == CHECK_WORTHY) for c in classes]
    result: dict[str, Any] = {
        "sentences": len(texts),
        "positives": sum(binary),
        "mode": mode,
        "threshold": round(model.threshold, 4),
        "check_worthy": {k: round(v, 4) for k, v in prf(binary, pred).items()},
        "share_predicted": round(sum(pred) / len(pred), 4),
        "share_gold": round(sum(binary) / len(binary), 4),
        "sentences_per_second": round(len(texts) / max(seconds, 1e-9), 1),
    }
    if three is not None:
        pred3 = [CLASSES.index(c) for c in classes]
        per = [prf(three, pred3, k)["f1"] for k in range(3)]
        result["three_class"] = {
            "accuracy": round(
                sum(g == p for g, p in zip(three, pred3, strict=True)) / len(pred3), 4
            ),
            "macro_f1": round(sum(per) / 3, 4),
            "f1": {CLASSES[k]: round(per[k], 4) for k in range(3)},
        }
    return result


def evaluate(
    path: Path, mode: str = "cascade", threshold: str | float | None = "debate"
) -> dict[str, Any]:
    """Score ``claims.v1``'s model on a CheckThat! TSV or ClaimBuster CSV (debate sentences:
    the ``debate`` threshold by default); returns the metrics as a dict."""
    gold = read_gold(path)
    return {"file": str(path), **_scores(gold.texts, gold.binary, gold.three, mode, threshold)}


def evaluate_news(
    shared: Path | None = None,
    part: str = "score",
    mode: str = "cascade",
    threshold: str | float | None = "news",
    path: Path | None = None,
) -> dict[str, Any]:
    """Score ``claims.v1``'s model on the news gold's ``part`` (``tune``, ``score`` or ``all``):
    F1 of the check-worthy class, the 3 classes, and the share of sentences labelled
    check-worthy by the model and by the annotator."""
    sents = load_news_gold(shared, path, part)
    result = _scores(
        [s.text for s in sents], [s.label for s in sents], [s.three for s in sents], mode, threshold
    )
    return {
        "file": str(path or DEFAULT_NEWS_GOLD),
        "part": part,
        "articles": len({(s.dataset, s.doc) for s in sents}),
        **result,
    }


DEFAULT_MULTILINGUAL_GOLD = REPO / "tests" / "fixtures" / "checkworthy-multilingual-gold.jsonl"


_CT24_LANGUAGES = {"spanish": "es", "dutch": "nl", "arabic": "ar", "english": "en"}


def evaluate_multilingual(
    part: str = "score",
    path: Path | None = None,
    file: Path | None = None,
    first_pass: bool = True,
) -> dict[str, Any]:
    """Score the multilingual check-worthiness head (``claims.v1`` on sentences in other
    languages) on the hand-written multilingual news gold's ``part`` (``tune``, ``score`` or
    ``all``), or on a CheckThat! TSV ``file`` (e.g. the 2024 Spanish, Dutch or Arabic tweets).

    As ``claims.v1`` runs it: with its cheap first pass for the languages it knows (each gold
    row's ``lang``; a CheckThat! file's language from its name), unless ``first_pass`` is false
    (e5 on every sentence)."""
    from ..stages.checkworthy import CHECK_WORTHY, MultilingualCheckworthy

    langs: list[str] | None = None
    if file is not None:
        gold = read_gold(file)
        texts, labels, where = gold.texts, gold.binary, str(file)
        lang = next((c for n, c in _CT24_LANGUAGES.items() if n in file.name.lower()), None)
        langs = [lang] * len(texts) if lang else None
    else:
        where = str(path or DEFAULT_MULTILINGUAL_GOLD)
        rows = [r for _, r in read_jsonl(path or DEFAULT_MULTILINGUAL_GOLD)]
        rows = [r for r in rows if part in ("all", r.get("split"))]
        if not rows:
            raise DataError(f"{where}: no sentences in part {part!r}; nothing to score")
        texts = [r["text"] for r in rows]
        labels = [int(r["label"] == "cfs") for r in rows]
        langs = [str(r.get("lang", "")) for r in rows]
    model = MultilingualCheckworthy(first_pass=first_pass)
    t0 = time.process_time()
    _, classes = model.predict(texts, langs=langs)
    seconds = time.process_time() - t0
    pred = [int(c == CHECK_WORTHY) for c in classes]
    return {
        "file": where,
        "part": part if file is None else "all",
        "sentences": len(texts),
        "positives": sum(labels),
        "mode": "multilingual (e5" + (", first pass)" if model.student else ")"),
        "threshold": round(model.threshold, 4),
        "check_worthy": {k: round(v, 4) for k, v in prf(labels, pred).items()},
        "share_predicted": round(sum(pred) / len(pred), 4),
        "share_gold": round(sum(labels) / len(labels), 4),
        "sentences_per_second": round(len(texts) / max(seconds, 1e-9), 1),
    }


def _threshold_option(value: str) -> str | float:
    if value in ("news", "debate"):
        return value
    try:
        return float(value)
    except ValueError as err:
        raise click.BadParameter(f"{value!r} is not news, debate or a number in [0, 1]") from err


@click.command("checkworthy")
@click.argument(
    "file", type=click.Path(exists=True, dir_okay=False, path_type=Path), required=False
)
@click.option(
    "--news",
    is_flag=True,
    help="Score the news gold (default tests/fixtures/checkworthy-news-gold.jsonl, or "
    "FILE in that format), reading its articles from --shared.",
)
@click.option(
    "--multilingual",
    is_flag=True,
    help="Score the multilingual head (sentences in other languages) on the multilingual news "
    "gold (tests/fixtures/checkworthy-multilingual-gold.jsonl), or on FILE (a CheckThat! TSV).",
)
@click.option(
    "--part",
    type=click.Choice(["all", *NEWS_PARTS]),
    default="score",
    show_default=True,
    help="With --news or --multilingual: which part of the gold.",
)
@click.option(
    "--shared",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="With --news: the folder holding data/ (default: $NEWSIFT_SHARED, else ../shared).",
)
@click.option(
    "--mode",
    type=click.Choice(["cascade", "full", "fast"]),
    default="cascade",
    show_default=True,
    help="cascade: encoder only where TF-IDF is unsure; full: always; fast: TF-IDF only.",
)
@click.option(
    "--threshold",
    default=None,
    help="news (calibrated on news; default with --news), debate (the regressions' own "
    "0.5; default for CheckThat!/ClaimBuster files) or a number in [0, 1].",
)
@click.option(
    "--no-first-pass",
    is_flag=True,
    help="With --multilingual: e5 on every sentence (no cheap first pass).",
)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def command(
    file: Path | None,
    news: bool,
    multilingual: bool,
    part: str,
    shared: Path | None,
    mode: str,
    threshold: str | None,
    no_first_pass: bool,
    as_json: bool,
) -> None:
    """F1/P/R of the check-worthy class on a CheckThat! TSV, a ClaimBuster CSV or the news gold,
    and the share of sentences labelled check-worthy."""
    cut = _threshold_option(threshold) if threshold is not None else None
    if multilingual:
        result = evaluate_multilingual(part, file=file, first_pass=not no_first_pass)
        where = f"{result['file']} (multilingual head, part {result['part']})"
    elif news or file is None:
        result = evaluate_news(shared, part, mode, cut or "news", file)
        where = f"{result['file']} (news gold, part {part}, {result['articles']} articles)"
    else:
        result = evaluate(file, mode, cut or "debate")
        where = str(file)
    if as_json:
        click.echo(json.dumps(result, indent=2))
        return
    cw = result["check_worthy"]
    click.echo(f"{where}: {result['sentences']} sentences, {result['positives']} check-worthy")
    click.echo(
        f"check-worthy F1 {cw['f1']:.3f}  P {cw['precision']:.3f}  R {cw['recall']:.3f}  "
        f"(mode {result['mode']}, threshold {result['threshold']:.3f}, "
        f"{result['sentences_per_second']:.0f} sentences/s)"
    )
    click.echo(
        f"labelled check-worthy: {result['share_predicted']:.1%} of sentences "
        f"(annotators: {result['share_gold']:.1%})"
    )
    if "three_class" in result:
        tc = result["three_class"]
        click.echo(f"3-class accuracy {tc['accuracy']:.3f}  macro-F1 {tc['macro_f1']:.3f}")
