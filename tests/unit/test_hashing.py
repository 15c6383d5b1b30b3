"""newsift.hashing counts n-grams as scikit-learn's HashingVectorizer does, without sklearn."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from newsift.hashing import HashedNgrams, l2_normalize_rows

TEXTS = [
    "The council said the ferry terminal would cost 40 million euros by 2027.",
    '"We cannot keep paying for this," the mayor told reporters on Tuesday.',
    "",
    "a",
    "I  am\t\there",
    "Ünïcödé ÉCOLE Straße ß",
    "emoji 😀 and 𝒜 letters",
    "don't stop-me now, U.S. officials said",
    "   leading and trailing spaces   ",
    "x",
    "ab",
]


def test_word_ngrams_follow_sklearns_analyser():
    h = HashedNgrams("word", (1, 2))
    assert h.ngrams("The cat, the HAT.") == [
        "the",
        "cat",
        "the",
        "hat",
        "the cat",
        "cat the",
        "the hat",
    ]
    assert h.ngrams("a I") == []  # one-character tokens are not words


def test_char_wb_ngrams_pad_words_and_count_short_words_once():
    h = HashedNgrams("char_wb", (2, 4))
    assert h.ngrams("Ab") == [" a", "ab", "b ", " ab", "ab ", " ab "]
    assert h.ngrams("x") == [" x", "x ", " x "]  # " x " is shorter than 4: once, whole
    assert h.ngrams("") == []


def test_bad_analyzer_is_refused():
    with pytest.raises(ValueError, match="analyzer"):
        HashedNgrams("char", (1, 2))


@pytest.mark.parametrize(
    "analyzer,ngram_range", [("word", (1, 2)), ("word", (1, 1)), ("char_wb", (2, 5))]
)
def test_counts_equal_sklearn(analyzer, ngram_range):
    text_mod = pytest.importorskip("sklearn.feature_extraction.text")
    sk = text_mod.HashingVectorizer(
        analyzer=analyzer,
        ngram_range=ngram_range,
        n_features=2**20,
        alternate_sign=False,
        norm=None,
    )
    want = sk.transform(TEXTS).tocsr()
    want.sum_duplicates()
    got = HashedNgrams(analyzer, ngram_range, 2**20).transform(TEXTS)
    assert got.shape == want.shape
    assert np.array_equal(got.indptr, want.indptr)
    assert np.array_equal(got.indices, want.indices)
    assert np.array_equal(got.data, want.data)


def test_l2_normalize_rows_equals_sklearn_to_the_bit():
    prep = pytest.importorskip("sklearn.preprocessing")
    m = HashedNgrams("char_wb", (2, 5)).transform(TEXTS).astype(np.float32)
    m.data = 1 + np.log(m.data)
    want = prep.normalize(m)
    got = l2_normalize_rows(m.copy())
    assert got.dtype == want.dtype == np.float32
    assert np.array_equal(got.data, want.data)
    assert np.array_equal(got.indices, want.indices)


def test_the_claims_featurizer_does_not_import_sklearn():
    code = (
        "import sys\n"
        "from newsift.stages.checkworthy import _hashers\n"
        "w, c = _hashers()\n"
        "w.transform(['The council said so.']); c.transform(['The council said so.'])\n"
        "print('sklearn' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "False"


def test_vectorised_murmur_equals_murmurhash_on_every_span():
    from murmurhash.mrmr import hash as murmur

    from newsift.hashing import murmur3_spans

    grams = [g for t in TEXTS for g in HashedNgrams("char_wb", (1, 7)).ngrams(t)]
    grams += ["", "a", "abcd", "abcde", "x" * 61, "é", "日本語", "😀😀", "ab😀", " 𝒜 "]
    parts = [g.encode("utf-8") for g in grams]
    lengths = np.array([len(p) for p in parts], dtype=np.int64)
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64)
    got = murmur3_spans(b"".join(parts), starts, lengths)
    assert got.tolist() == [murmur(g) for g in grams]
    assert murmur3_spans(b"", np.zeros(0, np.int64), np.zeros(0, np.int64)).shape == (0,)


@pytest.mark.parametrize("ngram_range", [(2, 5), (3, 4), (4, 5)])
def test_char_columns_equal_hashing_each_gram(ngram_range):
    """The words' columns hashed in one vectorised pass are those of one call per n-gram,
    ASCII or not, new words and cached ones alike (the same texts twice)."""
    h = HashedNgrams("char_wb", ngram_range, 2**18)
    for text in TEXTS + TEXTS:
        words = text.lower().split()
        want = [h.columns(h._word_grams(w)) for w in words]
        got = h._char_columns(text)
        assert [sorted(c.tolist()) for c in got] == [sorted(c.tolist()) for c in want]


@pytest.mark.parametrize("long_row", [False, True])
def test_claims_tfidf_equals_the_scipy_chain_to_the_bit(long_row):
    """claims.v1's TF-IDF matrix built from arrays equals the scipy conversions it replaced
    (``long_row``: one very long text among short ones, summed row by row)."""
    from scipy import sparse

    from newsift.stages.checkworthy import TfidfFeaturizer

    rng = np.random.default_rng(0)
    idf = (
        rng.random(2**20).astype(np.float32) * (rng.random(2**20) > 0.3),
        rng.random(2**20).astype(np.float32) * (rng.random(2**20) > 0.3),
    )
    feat = TfidfFeaturizer(idf)
    texts = TEXTS + [" ".join(f"word{i} ferry terminal" for i in range(3000))] * long_row
    blocks = []
    for h, weights in zip(feat.hashers, idf, strict=True):
        m = h.transform(texts).tocsr().astype(np.float32)
        m.data = 1 + np.log(m.data)
        blocks.append(l2_normalize_rows(m.multiply(weights).tocsr()))
    want = sparse.hstack(blocks).tocsr()
    got = feat.transform(texts)
    assert got.shape == want.shape and got.dtype == want.dtype == np.float32
    assert np.array_equal(got.indptr, want.indptr)
    assert np.array_equal(got.indices, want.indices)
    assert np.array_equal(got.data.view(np.uint32), want.data.view(np.uint32))
    assert feat.transform([]).shape == (0, 2**21)
