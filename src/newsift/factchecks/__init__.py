"""Local fact-check collections: import, index and hybrid search.

- :mod:`.records`: reading JSONL and schema.org ClaimReview JSON-LD, with per-line issues;
- :mod:`.store`: the on-disk index under the user data dir, :func:`import_collection`;
- :mod:`.search`: BM25 + dense retrieval with a learned re-scoring, :class:`Searcher`;
- :mod:`.euvsdisinfo`: the built-in EUvsDisinfo known-narrative collection.
"""

from __future__ import annotations

from .records import FIELDS, ImportIssue, read_file
from .store import Collection, data_dir, import_collection, list_collections, load_collections

__all__ = [
    "FIELDS",
    "Collection",
    "ImportIssue",
    "data_dir",
    "import_collection",
    "list_collections",
    "load_collections",
    "read_file",
]
