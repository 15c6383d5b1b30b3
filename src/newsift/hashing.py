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
                # the n-grams: zip stops at the shortest shifted copy, the last n-gram
                out.extend(map(" ".join, zip(*(tokens[k:] for k in range(n)), strict=False)))
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
        return self._words_columns([_WHITE_SPACES.sub(" ", text.lower()).split()])[0]

    def _words_columns(self, texts_words: list[list[str]]) -> list[list[np.ndarray]]:
        """For each text (its lower-cased words), the ``char_wb`` columns of each word: from
        the cache, the words not in it hashed together in one vectorised pass."""
        cache = self._word_columns
        missing = list(dict.fromkeys(w for words in texts_words for w in words if w not in cache))
        if missing:
            if len(cache) + len(missing) > _WORD_CACHE:
                cache.clear()
            cache.update(zip(missing, self._new_word_columns(missing), strict=True))
        return [[cache[w] for w in words] for words in texts_words]

    def _new_word_columns(self, words: list[str]) -> list[np.ndarray]:
        """The ``char_wb`` columns of each of ``words`` (int32), grams in :meth:`_word_grams`
        order, hashed by :func:`murmur3_spans` over one buffer of the padded words."""
        lo, hi = self.ngram_range
        padded = "".join(f" {w} " for w in words)
        buf = padded.encode("utf-8")  # lone surrogates raise, as murmurhash does on them
        size = np.fromiter(map(len, words), dtype=np.int64, count=len(words)) + 2
        first = np.zeros(len(words), dtype=np.int64)
        np.cumsum(size[:-1], out=first[1:])
        if len(buf) == len(padded):
            offset = None  # ASCII: a character's byte offset is its index
        else:
            cps = np.frombuffer(padded.encode("utf-32-le"), dtype=np.uint32)
            nbytes = 1 + (cps >= 0x80) + (cps >= 0x800) + (cps >= 0x10000)
            offset = np.zeros(len(cps) + 1, dtype=np.int64)
            np.cumsum(nbytes, out=offset[1:])
        starts, lengths, owner = [], [], []
        for n in range(lo, hi + 1):
            # a word of ``size`` padded characters has size - n + 1 grams of n characters while
            # size >= n; a word shorter than the first n counts once, whole (_word_grams)
            count = np.maximum(size - n + 1, 0)
            if n == lo:
                count = np.where(size < lo, 1, count)
            who = np.repeat(np.arange(len(words)), count)
            pos = np.arange(len(who)) - np.repeat(np.cumsum(count) - count, count)
            starts.append(first[who] + pos)
            lengths.append(np.minimum(n, size[who]))
            owner.append(who)
        start = np.concatenate(starts)
        length = np.concatenate(lengths)
        who = np.concatenate(owner)
        if offset is not None:
            start, length = offset[start], offset[start + length] - offset[start]
        cols = self._hash_columns(murmur3_spans(buf, start, length)).astype(np.int32)
        cols = cols[np.argsort(who, kind="stable")]
        ends = np.cumsum(np.bincount(who, minlength=len(words))).tolist()
        return [cols[a:b] for a, b in zip([0, *ends[:-1]], ends, strict=True)]

    def _hash_columns(self, h: np.ndarray) -> np.ndarray:
        """Columns of signed 32-bit hashes ``h``: ``|h| mod n_features`` (sklearn's rule)."""
        h = h.astype(np.int64)
        cols = np.abs(h) % self.n_features
        # sklearn's rule for |-2**31|, which int32 cannot hold
        cols[h == _INT32_MIN] = (2**31 - 1 - (self.n_features - 1)) % self.n_features
        return cols

    def row_columns(self, texts: Iterable[str]) -> tuple[np.ndarray, np.ndarray]:
        """The row (text index) and column of every n-gram of ``texts``, as int64 arrays
        (repeats included, not in any particular order)."""
        texts = list(texts)
        if self.analyzer == "word":
            grams: list[str] = []
            sizes = []
            for text in texts:
                got = self.ngrams(text)
                grams.extend(got)
                sizes.append(len(got))
            return np.repeat(np.arange(len(texts), dtype=np.int64), sizes), self.columns(grams)
        per_text = self._words_columns([_WHITE_SPACES.sub(" ", t.lower()).split() for t in texts])
        parts = [c for cols in per_text for c in cols]
        if not parts:
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        word_row = np.repeat(np.arange(len(texts), dtype=np.int64), list(map(len, per_text)))
        per_word = np.fromiter(map(len, parts), dtype=np.int64, count=len(parts))
        return np.repeat(word_row, per_word), np.concatenate(parts).astype(np.int64)

    def columns(self, grams: list[str]) -> np.ndarray:
        """The column of each n-gram: ``|murmurhash3_32(gram)| mod n_features``."""
        murmur = self._murmur
        return self._hash_columns(np.fromiter(map(murmur, grams), dtype=np.int64, count=len(grams)))

    def transform(self, texts: Iterable[str]) -> Any:
        """A CSR matrix ``[len(texts), n_features]`` of float64 counts, indices sorted."""
        from scipy import sparse

        texts = list(texts)
        rows, cols = self.row_columns(texts)
        keys, counts = np.unique(rows * self.n_features + cols, return_counts=True)
        indptr = np.zeros(len(texts) + 1, dtype=np.int32)
        np.cumsum(np.bincount(keys // self.n_features, minlength=len(texts)), out=indptr[1:])
        indices = (keys % self.n_features).astype(np.int32)
        return sparse.csr_matrix(
            (counts.astype(np.float64), indices, indptr), shape=(len(texts), self.n_features)
        )


def l2_normalize_rows(m: Any) -> Any:
    """Each row of CSR ``m`` divided by its L2 norm, in place and returned (empty rows stay).

    As ``sklearn.preprocessing.normalize(m)`` computes it: squares in ``m``'s dtype, summed in
    float64 in index order, each value divided by the norm in float64 and stored back.
    """
    indptr, data = m.indptr, m.data
    squares = data * data
    for i in range(len(indptr) - 1):
        a, b = indptr[i], indptr[i + 1]
        if a == b:
            continue
        total = float(np.cumsum(squares[a:b], dtype=np.float64)[-1])
        if total == 0.0:
            continue
        data[a:b] = data[a:b].astype(np.float64) / np.sqrt(total)
    return m


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


_C1, _C2 = np.uint32(0xCC9E2D51), np.uint32(0x1B873593)


def murmur3_spans(buf: bytes, start: np.ndarray, length: np.ndarray) -> np.ndarray:
    """MurmurHash3 (x86, 32-bit, seed 0) of the byte spans ``buf[start:start + length]``, as
    signed int32 in an int64 array: the values ``murmurhash.mrmr.hash`` gives each span's text,
    computed for all spans at once (block by block) rather than one call per n-gram."""
    n = len(start)
    h = np.zeros(n, dtype=np.uint32)
    if not n:
        return h.astype(np.int64)
    b = np.frombuffer(buf + b"\0\0\0\0", dtype=np.uint8).astype(np.uint32)
    start = np.asarray(start, dtype=np.int64)
    length = np.asarray(length, dtype=np.int64)
    blocks = length >> 2
    live = np.arange(n)
    for blk in range(int(blocks.max())):
        live = live[blocks[live] > blk]
        p = start[live] + 4 * blk
        k = b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24)
        k *= _C1
        k = (k << 15) | (k >> 17)
        k *= _C2
        x = h[live] ^ k
        x = (x << 13) | (x >> 19)
        h[live] = x * np.uint32(5) + np.uint32(0xE6546B64)
    rem = length & 3
    tail = np.flatnonzero(rem)
    if len(tail):
        p = start[tail] + 4 * blocks[tail]
        r = rem[tail]
        k = b[p] | np.where(r >= 2, b[p + 1] << 8, 0) | np.where(r >= 3, b[p + 2] << 16, 0)
        k = k.astype(np.uint32) * _C1
        k = (k << 15) | (k >> 17)
        k *= _C2
        h[tail] ^= k
    h ^= length.astype(np.uint32)
    h ^= h >> 16
    h *= np.uint32(0x85EBCA6B)
    h ^= h >> 13
    h *= np.uint32(0xC2B2AE35)
    h ^= h >> 16
    return h.view(np.int32).astype(np.int64)


def sublinear_rows(
    rows: np.ndarray, cols: np.ndarray, n_rows: int, n_features: int, idf: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The sublinear TF-IDF of n-gram occurrences ``(rows, cols)`` (from
    :meth:`HashedNgrams.row_columns`), rows L2-normalised: ``(row, col, value)`` of each
    distinct (row, column) pair, sorted by row then column, values float32, zeros kept.

    The numbers are those of the scipy path it replaces in the hot loop, to the bit: counts as
    float32, ``1 + log(count)`` in float32, times ``idf[col]`` (float32), then each row divided
    as :func:`l2_normalize_rows` does (squares in float32, summed in float64 in column order).
    """
    keys = rows * n_features + cols
    uniq, counts = np.unique(keys, return_counts=True)
    r = uniq // n_features
    c = uniq - r * n_features
    data = 1 + np.log(counts.astype(np.float32))
    data = data * idf[c]
    if not len(data):
        return r, c, data
    squares = data * data
    sizes = np.bincount(r, minlength=n_rows)
    first = np.cumsum(sizes) - sizes
    pos = np.arange(len(data)) - first[r]
    width = int(sizes.max())
    if n_rows * width <= max(4 * len(data), 2**16):
        # each row's sum in column order, as np.cumsum adds (in sequence, float64): trailing
        # zeros of the padded matrix do not change it
        table = np.zeros((n_rows, width), dtype=np.float64)
        table[r, pos] = squares
        total = np.cumsum(table, axis=1)[:, -1]
    else:  # one very long row among short ones: row by row, not a mostly empty matrix
        total = np.zeros(n_rows, dtype=np.float64)
        for i in np.flatnonzero(sizes):
            a = first[i]
            total[i] = np.cumsum(squares[a : a + sizes[i]], dtype=np.float64)[-1]
    ok = total[r] != 0.0
    data[ok] = data[ok].astype(np.float64) / np.sqrt(total[r[ok]])
    return r, c, data
