"""Read a folder laid out like PTC's ``train/``: ``articles/``, ``labels-si/``, ``labels-tc/``.

Offsets are 0-based character offsets into the UTF-8 decoded article, start inclusive, end
exclusive. A malformed label line raises :class:`~newsift.errors.DataError` naming the file and
the line, so a broken submission or corpus is fixed at the source rather than scored wrongly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import DataError
from .techniques import TECHNIQUES

_ARTICLE_RE = re.compile(r"^article(\w+)\.txt$")


@dataclass
class LabelledArticle:
    """One article with its gold spans.

    Attributes:
        id: the article ID (no ``article`` prefix).
        text: the article text.
        si: ``(start, end)`` span-identification spans, or None when there is no SI file.
        tc: ``(start, end, technique)`` spans, or None when there is no TC file.
    """

    id: str
    text: str
    si: list[tuple[int, int]] | None = None
    tc: list[tuple[int, int, str]] | None = field(default=None)

    def gold_spans(self) -> list[tuple[int, int]]:
        """SI spans where given, else the TC spans without their techniques."""
        if self.si is not None:
            return list(self.si)
        return [(s, e) for s, e, _ in self.tc or []]


def _int(value: str, path: Path, lineno: int, what: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise DataError(
            f"{path} line {lineno}: {what} {value!r} is not an integer offset; "
            "each line must be tab-separated as in PTC's label files"
        ) from None


def read_label_file(
    path: Path, *, with_technique: bool, article_id: str | None = None, length: int | None = None
) -> list[tuple]:
    """Parse one SI (``id, start, end``) or TC (``id, technique, start, end``) label file.

    Args:
        path: the label file.
        with_technique: True for TC files, False for SI files.
        article_id: when given, every line's ID must equal it.
        length: when given, every span must lie inside ``[0, length]``.

    Returns:
        ``(start, end)`` tuples for SI, ``(start, end, technique)`` for TC.
    """
    want = 4 if with_technique else 3
    shape = "id<TAB>technique<TAB>start<TAB>end" if with_technique else "id<TAB>start<TAB>end"
    out: list[tuple] = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError as err:
        raise DataError(f"{path}: not UTF-8 text ({err}); label files are UTF-8") from err
    for lineno, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        cols = raw.rstrip("\r").split("\t")
        if len(cols) != want:
            raise DataError(
                f"{path} line {lineno}: expected {want} tab-separated columns ({shape}), "
                f"got {len(cols)}: {raw[:80]!r}"
            )
        if article_id is not None and cols[0].strip() != article_id:
            raise DataError(
                f"{path} line {lineno}: article id {cols[0]!r} does not match the file's "
                f"article {article_id!r}"
            )
        start = _int(cols[-2], path, lineno, "start")
        end = _int(cols[-1], path, lineno, "end")
        if start < 0 or end <= start or (length is not None and end > length):
            limit = f" (article length {length})" if length is not None else ""
            raise DataError(
                f"{path} line {lineno}: span {start}-{end} is not inside the article{limit}; "
                "offsets are 0-based characters, start < end"
            )
        if with_technique:
            tech = cols[1].strip()
            if tech not in TECHNIQUES:
                raise DataError(
                    f"{path} line {lineno}: unknown technique {tech!r}; expected one of "
                    f"{', '.join(sorted(TECHNIQUES))}"
                )
            out.append((start, end, tech))
        else:
            out.append((start, end))
    return out


def load_dir(directory: str | Path) -> list[LabelledArticle]:
    """Load every article of a PTC-layout folder with the SI and TC labels that exist.

    Raises:
        DataError: the folder has no ``articles/``, or a label file is malformed.
    """
    root = Path(directory)
    art_dir = root / "articles"
    if not art_dir.is_dir():
        raise DataError(
            f"{root}: no 'articles/' folder; expected the layout of PTC's train/ "
            "(articles/, labels-si/ and/or labels-tc/)"
        )
    si_dir, tc_dir = root / "labels-si", root / "labels-tc"
    out: list[LabelledArticle] = []
    for path in sorted(art_dir.iterdir()):
        m = _ARTICLE_RE.match(path.name)
        if not m:
            continue
        aid = m.group(1)
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as err:
            raise DataError(f"{path}: not UTF-8 text; PTC articles are UTF-8") from err
        art = LabelledArticle(aid, text)
        si_path = si_dir / f"article{aid}.task1-SI.labels"
        tc_path = tc_dir / f"article{aid}.task2-TC.labels"
        if si_path.exists():
            art.si = read_label_file(
                si_path, with_technique=False, article_id=aid, length=len(text)
            )
        if tc_path.exists():
            art.tc = read_label_file(tc_path, with_technique=True, article_id=aid, length=len(text))
        out.append(art)
    if not out:
        raise DataError(f"{art_dir}: no article<ID>.txt files found")
    return out
