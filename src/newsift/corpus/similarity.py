"""How close two claims are: shingles and MinHash for copies, vectors for rewordings.

Copies (verbatim and near-verbatim) are found with MinHash LSH over word 3-gram shingles
(datasketch's MinHash scheme, computed a window at a time with numpy). Rewordings are found with sentence vectors in an approximate nearest-neighbour index
(usearch): the MiniLM encoder of :mod:`newsift.embed` when it is installed, else
:class:`HashingEncoder`, a fast lexical fallback (signed feature hashing of content words and word
pairs, with figures and names weighted up). A reworded claim must also keep the claim's anchors,
its figures and names: two sentences that share a template but not their figures are different
claims.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Sequence
from functools import lru_cache
from typing import Protocol

import numpy as np

_TOKEN = re.compile(r"[A-Za-z][A-Za-z'’-]*|\d[\d,.]*\d|\d")
_NUMBER = re.compile(r"\d[\d,.]*")
STOPWORDS = frozenset(
    "a an the of to in on at for from by with and or but as is are was were be been being has have "
    "had it its this that these those there their they them he she his her we our you your i not "
    "no will would can could should may might than then so such also just into over about after "
    "before said says say according which who whom whose what when where while who's it's".split()
)
# Capitalised words that are not names of anything a claim is about.
CALENDAR = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april may "
    "june july august september october november december mr mrs ms dr".split()
)
NUM_PERM = 64


def tokens(text: str) -> list[str]:
    """Lower-cased word and number tokens."""
    return [t.lower().replace(",", "") for t in _TOKEN.findall(text)]


def normalize(text: str) -> str:
    """Case, punctuation and white space removed: identical after this means a verbatim copy."""
    return " ".join(tokens(text))


def shingles(text: str, n: int = 3) -> set[str]:
    """Word n-gram shingles (the whole token list when shorter than n)."""
    return token_shingles(tokens(text), n)


def token_shingles(toks: list[str], n: int = 3) -> set[str]:
    """:func:`shingles` of a text already split by :func:`tokens`."""
    if len(toks) < n:
        return {" ".join(toks)} if toks else set()
    return {" ".join(toks[i : i + n]) for i in range(len(toks) - n + 1)}


def jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


@lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    """Whole English words of the MiniLM tokenizer's vocabulary (empty when it is not installed):
    a capitalised word that starts a sentence and is not among them is taken for a name."""
    import json

    from ..embed import MODEL_DIR

    try:
        vocab = json.loads((MODEL_DIR / "tokenizer.json").read_text(encoding="utf-8"))["model"][
            "vocab"
        ]
    except (OSError, ValueError, KeyError, TypeError):
        return frozenset()
    return frozenset(w for w in vocab if w.isalpha() and w.islower())


def anchors(text: str) -> frozenset[str]:
    """A claim's checkable anchors: its numbers and its names (runs of capitalised words; a
    single capitalised word that starts the sentence is a name only when it is not a common word)."""
    out = {n.replace(",", "").rstrip(".") for n in _NUMBER.findall(text)}
    words = re.findall(r"[A-Za-z][A-Za-z'’-]*|[^A-Za-z\s]+", text)
    common = common_words()
    run: list[str] = []
    for pos, w in enumerate([*words, "."]):
        if w[0].isupper() and w.lower() not in CALENDAR and (run or w.lower() not in STOPWORDS):
            run.append(w.lower())
            continue
        if run and not (len(run) == 1 and pos == 1 and (not common or run[0] in common)):
            out.add(" ".join(run))
        run = []
    return frozenset(out)


def _is_year(x: str) -> bool:
    return len(x) == 4 and x.isdigit() and x[:2] in ("19", "20")


def _is_figure(x: str) -> bool:
    return x[0].isdigit() and not _is_year(x)


def _is_name(x: str) -> bool:
    return not x[0].isdigit()


def anchors_agree(a: frozenset[str], b: frozenset[str]) -> bool:
    """Copies and rewordings keep their facts: when both sides have numbers they share one, when
    both have names they share one, more than half of the smaller anchor set is shared, and
    something besides a year is shared (a year alone says little). Figures and years
    are compared apart: "744 offices by 2023" and "12 offices by 2023" are different claims."""
    if not a or not b:
        return True
    # the cheap test first: most candidate pairs (template sentences) fail it
    shared = a & b
    if len(shared) < min(len(a), len(b)) // 2 + 1 or all(_is_year(x) for x in shared):
        return False
    for kind in (_is_figure, _is_year, _is_name):
        ka = {x for x in a if kind(x)}
        if ka and not ka & shared and any(kind(x) for x in b):
            return False
    return True


def anchor_masks(anchor_sets: Sequence[frozenset[str]]) -> np.ndarray:
    """A 64-bit mask of each anchor set (one bit per anchor, by CRC-32): two sets whose masks
    share no bit share no anchor, so :func:`anchors_agree` is False for them (when both are
    non-empty); a whole array of pairs is ruled out at once."""
    out = np.zeros(len(anchor_sets), dtype=np.uint64)
    for i, found in enumerate(anchor_sets):
        m = 0
        for x in found:
            m |= 1 << (zlib.crc32(x.encode()) & 63)
        out[i] = m
    return out


def may_share_anchor(masks: np.ndarray, pairs: np.ndarray) -> np.ndarray:
    """For each pair ``(i, j)``: False when units i and j share no anchor (by their
    :func:`anchor_masks`) and both have one; then :func:`anchors_agree` is False too."""
    a, b = masks[pairs[:, 0]], masks[pairs[:, 1]]
    return ((a & b) != 0) | (a == 0) | (b == 0)


def signatures(texts: Sequence[str], num_perm: int = NUM_PERM, seed: int = 1) -> np.ndarray:
    """MinHash signatures ``[len(texts), num_perm]`` (uint32) of each text's word 3-gram shingles.

    The values equal datasketch's ``MinHash(num_perm, seed)`` (its default ``affine32`` scheme:
    SHA-1 32-bit shingle hashes, a MurmurHash3 pre-mix, seeded affine permutations), computed for
    all texts at once with numpy instead of one object per text, which is the cost that matters
    at a million articles.
    """
    return signatures_of_shingles([shingles(t) for t in texts], num_perm, seed)


def signatures_of_shingles(
    sets: Sequence[set[str]], num_perm: int = NUM_PERM, seed: int = 1
) -> np.ndarray:
    """:func:`signatures` of texts whose :func:`shingles` are already known."""
    from hashlib import sha1

    from datasketch import MinHash
    from datasketch.minhash import _fmix

    if not sets:
        return np.zeros((0, num_perm), dtype=np.uint32)
    a, b = MinHash(num_perm=num_perm, seed=seed).permutations
    hashes: list[int] = []
    starts: list[int] = []
    frombytes = int.from_bytes
    known: dict[str, int] = {}  # a shingle repeated across texts is hashed once

    def sha1_hash32(s: str) -> int:  # datasketch's: the first 4 bytes of SHA-1, little-endian
        h = known[s] = frombytes(sha1(s.encode()).digest()[:4], "little")
        return h

    for one in sets:
        starts.append(len(hashes))
        hashes.extend(known.get(s) or sha1_hash32(s) for s in one or {""})
    hv = _fmix(np.asarray(hashes, dtype=np.uint32), 32)[:, None]
    with np.errstate(over="ignore"):
        phv = hv * a[None, :] + b[None, :]
    return np.minimum.reduceat(phv, np.asarray(starts), axis=0)


@lru_cache(maxsize=32)
def lsh_params(threshold: float, num_perm: int = NUM_PERM) -> tuple[int, int]:
    """(bands, rows) that datasketch's MinHashLSH picks for ``threshold``; computed once per
    threshold (datasketch integrates the false positive and negative rates of every
    bands x rows split: ~30,000 numerical integrals, ~40 ms, which narratives paid per
    window)."""
    try:
        from datasketch.lsh import _optimal_param

        return _optimal_param(threshold, num_perm, 0.5, 0.5)
    except (ImportError, TypeError):
        return 16, num_perm // 16


def lsh_candidates(
    sig: np.ndarray, threshold: float, offset: int = 0, max_bucket: int = 16
) -> np.ndarray:
    """Candidate pairs ``[[i, j], ...]`` (``i > j``, ``i >= offset``) that share a band (MinHash LSH).

    Within one band's bucket each unit is paired with the (up to) ``max_bucket - 1`` units before
    it, so a bucket of template sentences shared by thousands of units costs linear time and
    memory; true copies share several bands and meet in a small bucket too.
    """
    bands, rows = lsh_params(threshold, sig.shape[1])
    n = len(sig)
    found: list[np.ndarray] = []  # i * n + j of the pairs found
    if n < 2:
        return np.zeros((0, 2), dtype=np.int64)
    for band in range(bands):
        block = np.ascontiguousarray(sig[:, band * rows : (band + 1) * rows])
        keys = block.view(np.dtype((np.void, block.dtype.itemsize * rows))).ravel()
        _, inv, counts = np.unique(keys, return_inverse=True, return_counts=True)
        if counts.max() < 2:
            continue
        order = np.argsort(inv, kind="stable")  # grouped by bucket, positions ascending
        starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
        rank = np.arange(n) - starts[inv[order]]
        for d in range(1, min(max_bucket, int(counts.max()))):
            t = np.nonzero(rank >= d)[0]
            i, j = order[t].astype(np.int64), order[t - d].astype(np.int64)
            keep = i >= offset
            found.append(i[keep] * n + j[keep])
    codes = np.unique(np.concatenate(found)) if found else np.zeros(0, dtype=np.int64)
    return np.stack([codes // n, codes % n], axis=1)


class Encoder(Protocol):
    name: str
    dim: int

    def encode(self, texts: list[str]) -> np.ndarray: ...

    def encode_content(self, texts: list[str]) -> np.ndarray: ...

    def encode_both(
        self, texts: list[str], anchor_sets: Sequence[frozenset[str]] | None = None
    ) -> tuple[np.ndarray, np.ndarray]: ...


class HashingEncoder:
    """Lexical sentence vectors by signed feature hashing (no model; stable across processes).

    :meth:`encode` (for the nearest-neighbour index) hashes content-word stems (first 5
    letters), adjacent stem pairs and the claim's anchors (figures, names), so that sentences
    sharing both wording and facts rank first. :meth:`encode_content` leaves the anchors out: it
    measures what is said about the facts, which are compared separately (:func:`anchors_agree`).
    Rows are L2-normalised.
    """

    name = "hashing"

    def __init__(self, dim: int = 256, anchor_weight: float = 3.0) -> None:
        self.dim = dim
        self.anchor_weight = anchor_weight

    def _features(
        self, text: str, with_anchors: bool, found: frozenset[str] | None = None
    ) -> list[tuple[str, float]]:
        if found is None:
            found = anchors(text)
        names = {w for a in found for w in a.split()}
        stems = [
            t[:5]
            for t in tokens(text.replace("'s ", " ").replace("’s ", " "))
            if t not in STOPWORDS and t not in names and not t[0].isdigit()
        ]
        feats = [(s, 1.0) for s in stems]
        feats += [(a + "_" + b, 0.5) for a, b in zip(stems, stems[1:], strict=False)]
        if with_anchors:
            feats += [("@" + a, self.anchor_weight) for a in found]
        return feats

    def _hash(self, texts: list[str], with_anchors: bool) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            row = out[i]
            for feat, weight in self._features(text, with_anchors):
                h = zlib.crc32(feat.encode("utf-8"))
                row[h % self.dim] += weight if (h >> 31) & 1 else -weight
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.clip(norms, 1e-9, None)

    def encode(self, texts: list[str]) -> np.ndarray:
        """Vectors for neighbour search (wording and anchors)."""
        return self._hash(texts, True)

    def encode_content(self, texts: list[str]) -> np.ndarray:
        """Vectors of the wording alone, to verify a rewording."""
        return self._hash(texts, False)

    def encode_both(
        self, texts: list[str], anchor_sets: Sequence[frozenset[str]] | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """(:meth:`encode`, :meth:`encode_content`) in one pass over the features
        (``anchor_sets``: the texts' :func:`anchors`, when already known)."""
        full = np.zeros((len(texts), self.dim), dtype=np.float32)
        content = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            frow, crow = full[i], content[i]
            found = anchor_sets[i] if anchor_sets is not None else None
            for feat, weight in self._features(text, True, found):
                h = zlib.crc32(feat.encode("utf-8"))
                w = weight if (h >> 31) & 1 else -weight
                frow[h % self.dim] += w
                if feat[0] != "@":
                    crow[h % self.dim] += w
        for m in (full, content):
            m /= np.clip(np.linalg.norm(m, axis=1, keepdims=True), 1e-9, None)
        return full, content


class MiniLMEncoder:
    """The MiniLM sentence encoder of :mod:`newsift.embed` (ONNX int8)."""

    name = "minilm"

    def __init__(self) -> None:
        from ..embed import get_encoder

        self._enc = get_encoder()
        self.dim = int(self._enc.dim)

    def encode(self, texts: list[str]) -> np.ndarray:
        return np.asarray(self._enc.encode(texts), dtype=np.float32)

    def encode_content(self, texts: list[str]) -> np.ndarray:
        """The same vectors: MiniLM's cosine verifies a rewording as a whole."""
        return self.encode(texts)

    def encode_both(
        self, texts: list[str], anchor_sets: Sequence[frozenset[str]] | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        v = self.encode(texts)
        return v, v


def to_int8(vectors: np.ndarray) -> list[bytes]:
    """Each row scaled to [-127, 127] and stored as int8 bytes (cosine survives the scaling)."""
    scale = np.clip(np.abs(vectors).max(axis=1, keepdims=True), 1e-12, None)
    q = np.rint(vectors / scale * 127).astype(np.int8)
    return [row.tobytes() for row in q]


def from_int8(blobs: Sequence[bytes], dim: int) -> np.ndarray:
    """L2-normalised float32 rows from :func:`to_int8` bytes."""
    if not blobs:
        return np.zeros((0, dim), np.float32)
    m = np.frombuffer(b"".join(blobs), dtype=np.int8).reshape(len(blobs), dim).astype(np.float32)
    return m / np.clip(np.linalg.norm(m, axis=1, keepdims=True), 1e-9, None)


# Cosine above which two units count as a rewording, per encoder (tuned on bench/gen_corpus.py).
REWORD_THRESHOLDS = {"hashing": 0.2, "minilm": 0.72}


def get_encoder(name: str = "auto") -> Encoder:
    """``hashing``, ``minilm``, or ``auto`` (MiniLM when its model is installed, else hashing)."""
    from ..errors import ConfigError

    if name == "hashing":
        return HashingEncoder()
    if name in ("minilm", "auto"):
        try:
            return MiniLMEncoder()
        except (ImportError, ConfigError, OSError) as err:
            if name == "minilm":
                raise ConfigError(
                    f"the MiniLM encoder could not be loaded ({err}); use --encoder hashing"
                ) from err
            return HashingEncoder()
    raise ConfigError(f"unknown encoder {name!r}; choose auto, minilm or hashing")


_BYLINE = re.compile(
    r"^\s*(by\s+[A-Z][\w.'’-]+(\s+(and\s+)?[A-Z][\w.'’-]+){0,5}\s*[,.]|(reporting|writing|editing|additional "
    r"reporting|compiled|photo|photos|image)\s+(by|:))",
    re.IGNORECASE,
)
_DATELINE = re.compile(r"^\s*[A-ZА-ЯЁ][A-ZА-ЯЁ .'-]{2,},?\s+\w+\.?\s+\d{1,2}\b.{0,30}$")
_BOILERPLATE = re.compile(
    r"\b(cookies?|subscribe|newsletter|all rights reserved|share on|terms of use|privacy policy|"
    r"sign up|log in|tags?:|теги|читайте также|підписуйтесь|follow us)\b",
    re.IGNORECASE,
)


def junk_reason(text: str) -> str | None:
    """Why ``text`` is not a claim (``byline``, ``dateline``, ``name_list``, ``boilerplate``), or
    None when it may be one. A claim says something about someone: a list of names, a dateline,
    a byline or a site's cookie notice does not, however many articles repeat it."""
    t = text.strip()
    if _BYLINE.match(t):
        return "byline"
    if len(t) < 60 and _DATELINE.match(t):
        return "dateline"
    words = re.findall(r"[^\W\d_][\w'’-]*", t)
    if not words:
        return "boilerplate"
    if _BOILERPLATE.search(t):
        return "boilerplate"
    parts = [p.strip() for p in re.split(r"[,;:·|•]", t) if p.strip()]
    if len(parts) >= 4:
        short = sum(1 for p in parts if len(p.split()) <= 4)
        caps = sum(1 for w in words if w[0].isupper())
        if short >= 0.8 * len(parts) and caps >= 0.6 * len(words):
            return "name_list"
    return None
