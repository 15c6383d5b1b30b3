"""Hashed n-gram counts equal to scikit-learn's ``HashingVectorizer``, without importing sklearn.

``claims.v1`` scores sentences with hashed word and character n-grams. Importing scikit-learn
costs about a second of CPU at every cold start (it pulls in ``scipy.stats``), more than the
model it serves, so the two vectorisers it used are written out here: the same analysers
(lower-cased; words ``(?u)\\b\\w\\w+\\b`` joined by a space; ``char_wb`` n-grams of
space-padded words), the same 32-bit MurmurHash3 of the UTF-8 bytes (seed 0, from the
``murmurhash`` package spaCy already depends on) and the same column (``|h| mod n_features``).
The counts are equal to sklearn's, entry for entry (``tests/unit/test_hashing.py`` checks it
where sklearn is installed); :func:`l2_normalize_rows` divides rows as
``sklearn.preprocessing.normalize`` does, to the last bit.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import numpy as np

_TOKEN = re.compile(r"(?u)\b\w\w+\b")
_WHITE_SPACES = re.compile(r"\s\s+")
_INT32_MIN = -(2**31)
_WORD_CACHE = 50_000  # words whose char_wb columns a vectoriser keeps (about 6 MB)


class HashedNgrams:
    """Counts of hashed n-grams of texts, like ``HashingVectorizer(alternate_sign=False,
    norm=None)`` with ``analyzer`` ``"word"`` or ``"char_wb"``.

    Args:
        analyzer: ``"word"`` (word n-grams) or ``"char_wb"`` (character n-grams inside words).
        ngram_range: ``(min_n, max_n)``.
        n_features: the number of columns.
    """

    def __init__(
        self, analyzer: str = "word", ngram_range: tuple[int, int] = (1, 1), n_features: int = 2**20
    ) -> None:
        if analyzer not in ("word", "char_wb"):
            raise ValueError(f"analyzer must be 'word' or 'char_wb', not {analyzer!r}")
        self.analyzer = analyzer
        self.ngram_range = ngram_range
        self.n_features = n_features
        from murmurhash.mrmr import hash as murmur

        self._murmur = murmur
        # char_wb n-grams never cross words: each word's columns are hashed once and kept
        self._word_columns: dict[str, np.ndarray] = {}

    def ngrams(self, text: str) -> list[str]:
        """The n-grams of ``text``, as sklearn's analyser lists them (repeats included)."""
        text = text.lower()
        lo, hi = self.ngram_range
        out: list[str] = []
        if self.analyzer == "word":
            tokens = _TOKEN.findall(text)
            if lo == 1:
                out.extend(tokens)
                lo = 2
            for n in range(lo, min(hi + 1, len(tokens) + 1)):
                out.extend(" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1))
            return out
        for word in _WHITE_SPACES.sub(" ", text).split():
            out.extend(self._word_grams(word))
        return out

    def _word_grams(self, word: str) -> list[str]:
        """The ``char_wb`` n-grams of one (lower-cased) word, padded with a space each side."""
        lo, hi = self.ngram_range
        w = f" {word} "
        size = len(w)
        out: list[str] = []
        for n in range(lo, hi + 1):
            if size <= n:  # a short word counts once, at the first n it fits
                out.append(w)
                break
            out.extend(w[i : i + n] for i in range(size - n + 1))
        return out

    def _char_columns(self, text: str) -> list[np.ndarray]:
        """The columns of ``text``'s ``char_wb`` n-grams, word by word (as :meth:`ngrams` lists
        them), each word's hashed once per vectoriser."""
        cache = self._word_columns
        out = []
        for word in _WHITE_SPACES.sub(" ", text.lower()).split():
            cols = cache.get(word)
            if cols is None:
                if len(cache) >= _WORD_CACHE:
                    cache.clear()
                cols = cache[word] = self.columns(self._word_grams(word)).astype(np.int32)
            out.append(cols)
        return out

    def columns(self, grams: list[str]) -> np.ndarray:
        """The column of each n-gram: ``|murmurhash3_32(gram)| mod n_features``."""
        murmur = self._murmur
        h = np.fromiter((murmur(g) for g in grams), dtype=np.int64, count=len(grams))
        cols = np.abs(h) % self.n_features
        # sklearn's rule for |-2**31|, which int32 cannot hold
        cols[h == _INT32_MIN] = (2**31 - 1 - (self.n_features - 1)) % self.n_features
        return cols

    def transform(self, texts: Iterable[str]) -> Any:
        """A CSR matrix ``[len(texts), n_features]`` of float64 counts, indices sorted."""
        from scipy import sparse

        indptr, indices, counts = self.counts(texts)
        return sparse.csr_matrix(
            (counts, indices, indptr), shape=(len(indptr) - 1, self.n_features)
        )

    def counts(self, texts: Iterable[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The arrays of :meth:`transform`'s CSR matrix, without scipy: ``(indptr, indices,
        counts)``, each row's columns sorted and distinct, ``counts`` float64."""
        sizes: list[int] = []
        if self.analyzer == "char_wb":
            parts: list[np.ndarray] = []
            for text in texts:
                got = self._char_columns(text)
                parts.extend(got)
                sizes.append(sum(len(c) for c in got))
            cols = np.concatenate(parts).astype(np.int64) if parts else np.zeros(0, np.int64)
        else:
            grams: list[str] = []
            for text in texts:
                words = self.ngrams(text)
                grams.extend(words)
                sizes.append(len(words))
            cols = self.columns(grams)
        rows = np.repeat(np.arange(len(sizes), dtype=np.int64), sizes)
        keys, counts = np.unique(rows * self.n_features + cols, return_counts=True)
        indptr = np.zeros(len(sizes) + 1, dtype=np.int32)
        np.cumsum(np.bincount(keys // self.n_features, minlength=len(sizes)), out=indptr[1:])
        indices = (keys % self.n_features).astype(np.int32)
        return indptr, indices, counts.astype(np.float64)


def l2_normalize_rows(m: Any) -> Any:
    """Each row of CSR ``m`` divided by its L2 norm, in place and returned (empty rows stay).

    As ``sklearn.preprocessing.normalize(m)`` computes it: squares in ``m``'s dtype, summed in
    float64 in index order, each value divided by the norm in float64 and stored back.
    """
    normalize_rows(m.indptr, m.data)
    return m


def normalize_rows(indptr: np.ndarray, data: np.ndarray) -> None:
    """:func:`l2_normalize_rows` on the arrays of a CSR matrix: ``data`` changed in place."""
    squares = data * data
    for i in range(len(indptr) - 1):
        a, b = indptr[i], indptr[i + 1]
        if a == b:
            continue
        total = float(np.cumsum(squares[a:b], dtype=np.float64)[-1])
        if total == 0.0:
            continue
        data[a:b] = data[a:b].astype(np.float64) / np.sqrt(total)


def csr_dot(
    indptr: np.ndarray, indices: np.ndarray, data: np.ndarray, weights: np.ndarray
) -> np.ndarray:
    """``X @ weights`` for the CSR matrix ``X`` of these arrays, without scipy, to the last bit
    of scipy's product: each row's sum accumulated from zero in the order of its entries, in
    ``data``'s dtype (float32 x float32 stays float32), as scipy's ``csr_matvec`` and
    ``csr_matvecs`` add. ``weights``: ``[n_columns]`` or ``[n_columns, k]``.
    """
    w = weights if weights.ndim == 2 else weights[:, None]
    dtype = np.result_type(data.dtype, w.dtype)
    out = np.zeros((len(indptr) - 1, w.shape[1]), dtype=dtype)
    for i in range(len(indptr) - 1):
        a, b = indptr[i], indptr[i + 1]
        if a == b:
            continue
        terms = np.empty((b - a + 1, w.shape[1]), dtype=dtype)
        terms[0] = 0
        np.multiply(data[a:b, None], w[indices[a:b]], out=terms[1:])
        out[i] = np.cumsum(terms, axis=0, dtype=dtype)[-1]
    return out if weights.ndim == 2 else out[:, 0]
