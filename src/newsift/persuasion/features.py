"""Tokens, sentences and hashed lexical features for the persuasion model (numpy only).

Features are strings hashed with CRC-32 into a fixed number of buckets, so the model needs no
vocabulary file and loads in milliseconds. :func:`token_features` and :func:`sentence_features`
define the word and sentence features as strings; :class:`FeatureIndexer` gives the same buckets
without building the strings (checked equal in the tests), and it builds both the training
matrices (``newsift train persuasion``) and the run-time inputs (``persuasion.v1``), so they
cannot drift.
"""

from __future__ import annotations

import re
import zlib
from collections import Counter
from dataclasses import dataclass

_WORD_RE = re.compile(r"\w+(?:[-'’]\w+)*|[^\w\s]")
# A sentence ends at . ! ? (and closing quotes/brackets after them) before whitespace; a newline
# always ends one. Good enough for news prose, and linear time on any input.
_SENT_RE = re.compile(r"[^\n]*?(?:[.!?]+[\"'”’)\]]*(?=\s)|\n|$)")
_MAX_SENT_WORDS = 120  # longer "sentences" (lists, tables, no punctuation) are cut into pieces

QUOTES = frozenset('"“”«»')


@dataclass
class Sentence:
    """A sentence as character offsets, with its word offsets and lower-cased words."""

    start: int
    end: int
    words: list[tuple[int, int]]
    lower: list[str]


def split_sentences(text: str) -> list[Sentence]:
    """Split ``text`` into sentences of at most ``_MAX_SENT_WORDS`` words, with word offsets."""
    out: list[Sentence] = []
    for m in _SENT_RE.finditer(text):
        if m.start() == m.end():
            continue
        words = [(w.start(), w.end()) for w in _WORD_RE.finditer(text, m.start(), m.end())]
        for i in range(0, len(words), _MAX_SENT_WORDS):
            chunk = words[i : i + _MAX_SENT_WORDS]
            if chunk:
                lower = [text[s:e].lower() for s, e in chunk]
                out.append(Sentence(chunk[0][0], chunk[-1][1], chunk, lower))
    return out


def _shape(word: str) -> str:
    if word.isdigit():
        return "d"
    if not word[0].isalnum():
        return word if len(word) == 1 else "p"
    if word.isupper() and len(word) > 1:
        return "XX"
    if word[0].isupper():
        return "Xx"
    return "x"


def _bucket(n: int, edges: tuple[int, ...]) -> int:
    for i, e in enumerate(edges):
        if n <= e:
            return i
    return len(edges)


def ngram_counts(sentences: list[Sentence], n: int = 3) -> Counter:
    """Counts of every lower-cased word ``n``-gram in the article (for repetition features)."""
    c: Counter = Counter()
    for s in sentences:
        lw = s.lower
        for i in range(len(lw) - n + 1):
            c[" ".join(lw[i : i + n])] += 1
    return c


def token_features(text: str, sent: Sentence, sent_bucket: int, rep: Counter) -> list[list[str]]:
    """Feature strings for every word of ``sent``.

    Args:
        text: the article text (for the original casing).
        sent: the sentence.
        sent_bucket: the sentence model's probability bucket (0-9), a stacked feature.
        rep: trigram counts of the article.
    """
    lw = sent.lower
    n = len(lw)
    pad = ["<s>", "<s>"] + lw + ["</s>", "</s>"]
    has_excl = "!" in lw
    has_q = "?" in lw
    in_quote = False
    slen = _bucket(n, (5, 10, 20, 40))
    tri = [0] * n
    for i in range(n - 2):
        if rep[" ".join(lw[i : i + 3])] > 1:
            tri[i] = tri[i + 1] = tri[i + 2] = 1
    out: list[list[str]] = []
    for i, (s, e) in enumerate(sent.words):
        w = lw[i]
        if w in QUOTES:
            in_quote = not in_quote
        j = i + 2
        shape = _shape(text[s:e])
        f = [
            "b",
            "w=" + w,
            "p1=" + pad[j - 1],
            "n1=" + pad[j + 1],
            "p2=" + pad[j - 2],
            "n2=" + pad[j + 2],
            "pw=" + pad[j - 1] + "|" + w,
            "wn=" + w + "|" + pad[j + 1],
            "s=" + shape,
            "suf=" + w[-3:],
            "pos=" + str(min(i, 8)) + "/" + str(min(n - 1 - i, 8)),
            "sb=" + str(sent_bucket),
            "sbs=" + str(sent_bucket) + shape,
            "sbw=" + str(sent_bucket) + "|" + w,
            "len=" + str(slen),
        ]
        if in_quote:
            f.append("inq")
        if has_excl:
            f.append("excl")
        if has_q:
            f.append("ques")
        if tri[i]:
            f.append("rep3")
        out.append(f)
    return out


def sentence_features(sent: Sentence) -> list[str]:
    """Bag of words and bigrams of one sentence, for the sentence (candidate) model."""
    lw = sent.lower
    f = ["b", "len=" + str(_bucket(len(lw), (5, 10, 20, 40)))]
    f.extend("u=" + w for w in lw)
    f.extend("g=" + a + "|" + b for a, b in zip(lw, lw[1:], strict=False))
    return f


def span_features(text: str, start: int, end: int, rep_count: int) -> list[str]:
    """Feature strings for a span to be labelled with a technique."""
    words = [m.group().lower() for m in _WORD_RE.finditer(text, start, end)] or ["<empty>"]
    left = [m.group().lower() for m in _WORD_RE.finditer(text, max(0, start - 40), start)][-3:]
    right = [m.group().lower() for m in _WORD_RE.finditer(text, end, min(len(text), end + 40))][:3]
    n = len(words)
    f = ["b", "nw=" + str(_bucket(n, (1, 2, 3, 5, 8, 12, 20, 30)))]
    f.extend("u=" + w for w in words)
    f.extend("g=" + a + "|" + b for a, b in zip(words, words[1:], strict=False))
    f.append("first=" + words[0])
    f.append("last=" + words[-1])
    f.extend("l=" + w for w in left)
    f.extend("r=" + w for w in right)
    if left:
        f.append("l1=" + left[-1])
    if right:
        f.append("r1=" + right[0])
    f.append("rep=" + str(_bucket(rep_count, (1, 2, 3, 5))))
    f.append("rep_nw=" + str(_bucket(rep_count, (1, 2, 4))) + "/" + str(_bucket(n, (1, 3, 6))))
    for ch in '?!"“”':
        if ch in words:
            f.append("has" + ch)
    if text[start:end].isupper():
        f.append("caps")
    return f


def feature_bucket(feat: str, dim: int) -> int:
    """The bucket of one feature string among ``dim`` (CRC-32, stable across processes)."""
    return zlib.crc32(feat.encode("utf-8")) % dim


_HASHED: dict[int, dict[str, int]] = {}  # dim -> feature string -> bucket
_HASHED_MAX = 1 << 20  # strings remembered per dim (about 100 MB at most); then start afresh


def hash_features(feats: list[str], dim: int) -> list[int]:
    """Indices of ``feats`` in a table of ``dim`` buckets (CRC-32, stable across processes).

    Buckets are remembered per string: most features (the word, its neighbours, the bias) recur
    from article to article, and a dictionary look-up costs a fraction of encoding and hashing.
    """
    seen = _HASHED.setdefault(dim, {})
    if len(seen) > _HASHED_MAX:
        seen.clear()
    out: list[int | None] = list(map(seen.get, feats))
    if None in out:
        for i, h in enumerate(out):
            if h is None:
                s = feats[i]
                out[i] = seen[s] = feature_bucket(s, dim)
    return out  # type: ignore[return-value]  # every None was filled above


def count_occurrences(text_lower: str, needle: str) -> int:
    """How many times ``needle`` (lower-cased) occurs in the lower-cased article."""
    needle = needle.strip()
    if len(needle) < 3:
        return 1
    return max(1, text_lower.count(needle))


class _Buckets(dict):
    """``prefix + key`` hashed into ``dim`` buckets, remembered per key (``key``: a string, or a
    tuple of strings joined with ``|``)."""

    __slots__ = ("prefix", "dim")

    def __init__(self, prefix: str, dim: int) -> None:
        super().__init__()
        self.prefix, self.dim = prefix, dim

    def __missing__(self, key) -> int:
        feat = self.prefix + (key if isinstance(key, str) else "|".join(key))
        got = self[key] = feature_bucket(feat, self.dim)
        return got


class FeatureIndexer:
    """The buckets of :func:`token_features` and :func:`sentence_features`, without the strings.

    ``hash_features(token_features(...), dim)`` builds some twenty strings per word and looks each
    up. Most of them are a word or a pair of words behind a prefix (``w=``, ``p1=``, ``pw=``...),
    and words recur within and across articles, so this keeps one table per prefix, keyed by the
    word (or pair) itself: a feature costs one dictionary look-up, and a string is built and
    hashed only the first time. The lists are the same, in the same order, as the string functions
    give (checked in the tests), so scores do not change by a bit.
    """

    #: keys remembered per table; then the tables start afresh. Word pairs fill them: about 140
    #: pairs per 500-word news article, most of them rare, so a corpus run fills the pair tables
    #: in ~450 articles and starts afresh (1,500 FNC-1 bodies: 35 MB more memory at the most).
    _MAX = 1 << 16

    def __init__(self, dim: int) -> None:
        self.dim = dim
        self._reset()

    def _reset(self) -> None:
        dim = self.dim
        b = _Buckets("", dim)
        self.tables = {
            p: _Buckets(p + "=", dim)
            for p in ("w", "p1", "n1", "p2", "n2", "pw", "wn", "s", "suf", "u", "g", "sbs")
        }
        self.tables[""] = b
        self.sbw = [_Buckets(f"sbw={k}|", dim) for k in range(10)]
        self.pos = [[b[f"pos={i}/{j}"] for j in range(9)] for i in range(9)]
        self.flag = {f: b[f] for f in ("b", "inq", "excl", "ques", "rep3")}
        self.length = [b[f"len={k}"] for k in range(5)]
        self.sb = [b[f"sb={k}"] for k in range(10)]

    def _check_size(self) -> None:
        if any(len(t) > self._MAX for t in (*self.tables.values(), *self.sbw)):
            self._reset()

    def sentence(self, sent: Sentence) -> list[int]:
        """``hash_features(sentence_features(sent), dim)``."""
        self._check_size()
        lw = sent.lower
        u, g = self.tables["u"], self.tables["g"]
        out = [self.flag["b"], self.length[_bucket(len(lw), (5, 10, 20, 40))]]
        out.extend([u[w] for w in lw])
        out.extend([g[ab] for ab in zip(lw, lw[1:], strict=False)])
        return out

    def tokens(self, text: str, sent: Sentence, sent_bucket: int, rep: Counter) -> list[list[int]]:
        """``[hash_features(f, dim) for f in token_features(text, sent, sent_bucket, rep)]``."""
        self._check_size()
        lw = sent.lower
        n = len(lw)
        pad = ["<s>", "<s>"] + lw + ["</s>", "</s>"]
        tri = [0] * n
        for i in range(n - 2):
            if rep[" ".join(lw[i : i + 3])] > 1:
                tri[i] = tri[i + 1] = tri[i + 2] = 1
        t = self.tables
        tw, tp1, tn1, tp2, tn2 = t["w"], t["p1"], t["n1"], t["p2"], t["n2"]
        tpw, twn, ts, tsuf, tsbs = t["pw"], t["wn"], t["s"], t["suf"], t["sbs"]
        sbw, pos = self.sbw[sent_bucket], self.pos
        sb = str(sent_bucket)
        bias, sbf = self.flag["b"], self.sb[sent_bucket]
        slen = self.length[_bucket(n, (5, 10, 20, 40))]
        flags = []
        if "!" in lw:
            flags.append(self.flag["excl"])
        if "?" in lw:
            flags.append(self.flag["ques"])
        inq, rep3 = self.flag["inq"], self.flag["rep3"]
        in_quote = False
        out: list[list[int]] = []
        for i, (s, e) in enumerate(sent.words):
            w = lw[i]
            if w in QUOTES:
                in_quote = not in_quote
            shape = _shape(text[s:e])
            prev, nxt = pad[i + 1], pad[i + 3]
            f = [
                bias,
                tw[w],
                tp1[prev],
                tn1[nxt],
                tp2[pad[i]],
                tn2[pad[i + 4]],
                tpw[(prev, w)],
                twn[(w, nxt)],
                ts[shape],
                tsuf[w[-3:]],
                pos[min(i, 8)][min(n - 1 - i, 8)],
                sbf,
                tsbs[sb + shape],
                sbw[w],
                slen,
            ]
            if in_quote:
                f.append(inq)
            f.extend(flags)
            if tri[i]:
                f.append(rep3)
            out.append(f)
        return out


_INDEXERS: dict[int, FeatureIndexer] = {}


def indexer(dim: int) -> FeatureIndexer:
    """The shared :class:`FeatureIndexer` of ``dim`` buckets."""
    got = _INDEXERS.get(dim)
    if got is None:
        got = _INDEXERS[dim] = FeatureIndexer(dim)
    return got
