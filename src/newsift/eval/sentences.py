"""``newsift eval sentences``: score sentence splitting in ru, uk, de, fr, es and pl.

Two gold sets:

- the team's hand-written per-language gold (``tests/fixtures/sentences``, a ``tune`` and a
  ``score`` part per language: abbreviations, dates with ordinal dots, initials, numbers, quotes;
  and ``fresh``, written later, scored once, then tuned on: see its README);
- German Wikinews (``../shared/data/attribution/german-news-quotation-attribution-2024``):
  sentence offsets of real articles; its ``train`` split tunes, ``dev`` + ``test`` score.

A sentence counts as right when its offsets equal a gold sentence's (whitespace stripped):
recall = right / gold sentences, precision = right / predicted sentences. Each splitter runs on
the same text: newsift's (sentencex plus abbreviation repairs), sentencex alone, pysbd (when it is
installed; it has no Ukrainian, Russian stands in), and spaCy's English ``senter`` (what nlp.v1 ran
on every language before issue 24).
"""

from __future__ import annotations

import gzip
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from ..sentences import stripped
from .gold import REPO, default_shared

LANGS = ("ru", "uk", "de", "fr", "es", "pl")
DEFAULT_GOLD = REPO / "tests" / "fixtures" / "sentences"
WIKINEWS = Path("data") / "attribution" / "german-news-quotation-attribution-2024"

Splitter = Callable[[str, str], list[tuple[int, int]]]


def load_gold(folder: Path, lang: str, part: str) -> tuple[str, list[tuple[int, int]]]:
    """The text of one gold file and its sentence offsets (one sentence a line, a blank line
    between paragraphs; the text joins a paragraph's sentences by one space)."""
    raw = (folder / f"{lang}.{part}.txt").read_text("utf-8")
    text, gold = "", []
    for i, para in enumerate(p for p in raw.split("\n\n") if p.strip()):
        text += "\n\n" if i else ""
        for j, sent in enumerate(line for line in para.splitlines() if line.strip()):
            text += " " if j else ""
            gold.append((len(text), len(text) + len(sent)))
            text += sent
    return text, gold


def splitters() -> dict[str, Splitter]:
    """The splitters compared, by name (pysbd only where it is installed)."""
    from sentencex import get_sentence_boundaries

    from ..sentences import split_sentences

    def raw_sentencex(text: str, lang: str) -> list[tuple[int, int]]:
        bounds = get_sentence_boundaries(lang, text)
        return stripped(text, [(int(b["start_index"]), int(b["end_index"])) for b in bounds])

    def spacy_english(text: str, lang: str) -> list[tuple[int, int]]:
        from ..stages.nlp import get_nlp
        from ..stages.nlp import split_sentences as english_split

        return english_split(get_nlp(), text)

    out: dict[str, Splitter] = {"newsift": split_sentences, "sentencex": raw_sentencex}
    try:
        import pysbd

        segmenters: dict[str, Any] = {}

        def pysbd_split(text: str, lang: str) -> list[tuple[int, int]]:
            code = "ru" if lang == "uk" else lang
            if code not in segmenters:
                segmenters[code] = pysbd.Segmenter(language=code, clean=False, char_span=True)
            return stripped(text, [(t.start, t.end) for t in segmenters[code].segment(text)])

        out["pysbd"] = pysbd_split
    except ImportError:
        pass
    out["spacy-en"] = spacy_english
    return out


def score(pred: list[tuple[int, int]], gold: list[tuple[int, int]]) -> tuple[int, int, int]:
    """(right, gold, predicted) sentence counts."""
    return len(set(pred) & set(gold)), len(gold), len(pred)


def team_gold(folder: Path, part: str) -> dict[str, dict[str, tuple[int, int, int]]]:
    """``{splitter: {lang: (right, gold, predicted)}}`` on the team's gold."""
    out: dict[str, dict[str, tuple[int, int, int]]] = {}
    for name, split in splitters().items():
        for lang in LANGS:
            text, gold = load_gold(folder, lang, part)
            out.setdefault(name, {})[lang] = score(split(text, lang), gold)
    return out


def wikinews(
    folder: Path, splits: tuple[str, ...], names: tuple[str, ...] | None = None
) -> dict[str, tuple[int, int, int, float]]:
    """``{splitter: (right, gold, predicted, cpu seconds)}`` on German Wikinews articles, for
    the splitters ``names`` (default: all of :func:`splitters`)."""
    docs = []
    for split in splits:
        for path in sorted((folder / split).glob("*.json.gz")):
            with gzip.open(path, "rt", encoding="utf-8") as fh:
                d = json.load(fh)
            text = d["originalText"]
            gold = stripped(text, [(s["charBegin"], s["charEnd"]) for s in d["sentences"]])
            docs.append((text, gold))
    out = {}
    for name, split_fn in splitters().items():
        if names is not None and name not in names:
            continue
        right = n_gold = n_pred = 0
        cpu = time.process_time()
        for text, gold in docs:
            r, g, p = score(split_fn(text, "de"), gold)
            right, n_gold, n_pred = right + r, n_gold + g, n_pred + p
        out[name] = (right, n_gold, n_pred, time.process_time() - cpu)
    return out


@click.command("sentences")
@click.option("--gold", type=click.Path(path_type=Path), default=DEFAULT_GOLD, show_default=True)
@click.option(
    "--part", type=click.Choice(["tune", "score", "fresh"]), default="score", show_default=True
)
@click.option("--shared", type=click.Path(path_type=Path), default=None)
def command(gold: Path, part: str, shared: Path | None) -> None:
    """Score sentence splitting per language (team gold) and on German Wikinews."""
    click.echo(f"team gold ({part} part): sentences right / gold")
    click.echo("splitter    " + "  ".join(f"{lang:>7}" for lang in LANGS))
    for name, row in team_gold(gold, part).items():
        cells = [f"{row[lang][0]:>3}/{row[lang][1]:<3}" for lang in LANGS]
        click.echo(f"{name:<11} " + "  ".join(cells))
    folder = (shared or default_shared()) / WIKINEWS
    if not folder.is_dir():
        click.echo(f"German Wikinews not found at {folder}; skipped")
        return
    splits = ("dev", "test") if part == "score" else ("train",)
    click.echo(f"German Wikinews ({'+'.join(splits)}): recall / precision of exact sentences")
    for name, (right, n_gold, n_pred, cpu) in wikinews(folder, splits).items():
        click.echo(
            f"{name:<11} recall {right / n_gold:.3f}  precision {right / max(n_pred, 1):.3f}  "
            f"({n_gold:,} gold, {n_pred:,} predicted; {cpu:.2f} s CPU)"
        )
