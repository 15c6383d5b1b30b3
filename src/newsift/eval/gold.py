"""What the team's gold sets share: where ``../shared`` is, reading a gold JSONL file, and the
texts of the real articles the gold points into (they are read from the research datasets, never
stored in the repository)."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import DataError

REPO = Path(__file__).resolve().parents[3]
DATASETS = ("ptc", "scrapinghub", "wcxb")


def default_shared() -> Path:
    """``$NEWSIFT_SHARED``, else ``../shared`` beside the checkout."""
    env = os.environ.get("NEWSIFT_SHARED")
    return Path(env) if env else REPO.parent / "shared"


def read_jsonl(path: Path) -> Iterator[tuple[int, Any]]:
    """``(line number, parsed value)`` for every non-blank line of a gold JSONL file."""
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                yield n, json.loads(line)
            except json.JSONDecodeError as err:
                raise DataError(
                    f"{path} line {n}: not valid JSON ({err.msg}); fix the line"
                ) from err


class ArticleTexts:
    """Reads gold articles' texts from ``shared`` (the folder holding ``data/``), one dataset
    file at a time: PTC articles by number, ScrapingHub pages by id (or a unique id prefix),
    WCXB pages by id."""

    def __init__(self, shared: Path, data: Path | None = None) -> None:
        self.shared = shared
        self.data = data or shared / "data"  # the datasets' folder, when it is not shared/data
        self._scrapinghub: dict[str, Any] | None = None

    def path(self, dataset: str, doc: str) -> Path:
        data = self.data
        if dataset == "ptc":
            return data / "ptc" / "train" / "articles" / f"article{doc}.txt"
        if dataset == "scrapinghub":
            return data / "extraction-benchmark" / "scrapinghub" / "ground-truth.json"
        if dataset == "wcxb":
            return data / "extraction-benchmark" / "wcxb-articles" / "ground-truth" / f"{doc}.json"
        raise DataError(f"unknown dataset {dataset!r} in the gold; expected {', '.join(DATASETS)}")

    def get(self, dataset: str, doc: str) -> str | None:
        """The article's text, or None when the dataset or the article is not there."""
        path = self.path(dataset, doc)
        if not path.exists():
            return None
        try:
            if dataset == "ptc":
                return path.read_text(encoding="utf-8")
            if dataset == "scrapinghub":
                if self._scrapinghub is None:
                    self._scrapinghub = json.loads(path.read_text(encoding="utf-8"))
                pages = self._scrapinghub
                key = doc if doc in pages else next((k for k in pages if k.startswith(doc)), None)
                return pages[key]["articleBody"] if key else None
            return json.loads(path.read_text(encoding="utf-8"))["ground_truth"]["main_content"]
        except (OSError, ValueError, KeyError, TypeError) as err:
            raise DataError(
                f"{dataset}/{doc}: could not read the article text in {path} ({err}); check the "
                "dataset folder against its README"
            ) from err

    def text(self, dataset: str, doc: str) -> str:
        """The article's text; a :class:`DataError` saying what to give when it is missing."""
        found = self.get(dataset, doc)
        if found is None:
            raise DataError(
                f"{dataset}/{doc} is missing under {self.shared}: the gold reads its articles "
                "from the research datasets; give --shared DIR (or set NEWSIFT_SHARED) to the "
                "folder that holds data/"
            )
        return found
