"""What narratives compare, and when two claim units say the same thing.

- :func:`junk_reason`: units that are not claims (a pasted list of names, boilerplate, a dateline
  or a byline) are never compared; a name list once formed the largest "narrative" of a corpus.
- :func:`comparable_text`: a unit with its agency dateline (``KYIV, March 4 (Reuters) -``) cut,
  so that the same sentence with and without it is one claim.
- :class:`PairScorer`: the claim-level verification of a candidate pair. Two English units are
  scored with the claim-matching model of the fact-check and catalogue search
  (:class:`newsift.factchecks.search.Reranker`: cosine, BM25, how much of one claim the other
  restates, names, figures, negation), in both directions (a shortened version restates all of
  the longer one's core, not the other way round); the pair is a rewording when the better
  direction reaches the threshold. A pair across languages (or two non-English units) has no
  shared words to score: it is a rewording when the multilingual (e5) cosine reaches its own
  threshold and the figures agree.
- :func:`link_pairs_exact`: exact nearest neighbours for small windows, so that grouping does not
  depend on how an approximate index happened to be built (the Spark and DuckDB engines give the
  same groups).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np

from .similarity import anchors, anchors_agree

# -- what is not a claim --------------------------------------------------------------------------
_BOILERPLATE = re.compile(
    r"\b(?:all rights reserved|copyright|©|subscribe|sign up|newsletter|click here|read more|"
    r"follow us|share this|cookies?|privacy policy|terms of (?:use|service)|advertisement|"
    r"related articles?|recommended for you|download (?:the|our) app|getty images|"
    r"photo(?:graph)?:|image:|file photo|this article (?:was|has been) (?:updated|amended)|"
    r"reporting by|editing by|writing by|additional reporting|contributed to this report)",
    re.IGNORECASE,
)
_BYLINE = re.compile(
    r"^\s*(?i:by|от|von|par|por|przez)\s+(?:[A-ZА-ЯЁ][\w'’.-]+\s*){1,4}"
    r"(?:(?:,|and|&|и|und|et|y|i)\s*(?:[A-ZА-ЯЁ][\w'’.-]+\s*){1,4})*"
    r"(?:[,|/-]\s*[\w .'-]{0,40})?$",
)
_TIMESTAMP = re.compile(
    r"^\s*(?:published|updated|posted|last (?:updated|modified)|first published)\b", re.IGNORECASE
)
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
# "KYIV, March 4 (Reuters) -", "WASHINGTON (AP) —", "MOSCOW, March 4 -", "LONDON --"
_DATELINE = re.compile(
    rf"^\s*[A-Z][A-Z .'’/-]{{2,40}}(?:,\s*[A-Z][a-z]+)?(?:,?\s*{_MONTH}\s+\d{{1,2}}(?:,\s*\d{{4}})?)?"
    r"\s*(?:\([A-Za-z .&-]{2,30}\))?\s*(?:[-–—]{1,2}|:)(?:\s+|$)"
)
_SEPARATORS = re.compile(r"\s*(?:[,;|•·/\n]|\band\b|\s[-–—]\s)\s*")
_CAPITALISED = re.compile(r"^(?:[A-ZА-ЯЁ][\w'’.-]*|[A-Z]\.)$")
_LETTERS = re.compile(r"[^\W\d_]+")
_LOWER_FUNCTION = frozenset(
    "a an the of to in on at for from by with and or is are was were be has have had said says "
    "will would that this it its as not but".split()
)


def junk_reason(text: str) -> str | None:
    """Why ``text`` is not a claim to group (``name_list``, ``boilerplate``, ``byline``,
    ``dateline``), or None when it may be one."""
    stripped = text.strip()
    if _BOILERPLATE.search(stripped):
        return "boilerplate"
    if _TIMESTAMP.match(stripped):
        return "dateline"
    if _BYLINE.match(stripped) and len(stripped.split()) <= 14:
        return "byline"
    rest = _DATELINE.sub("", stripped, count=1)
    if rest != stripped and len(_LETTERS.findall(rest)) < 4:
        return "dateline"
    if _is_name_list(stripped):
        return "name_list"
    return None


def _is_name_list(text: str) -> bool:
    """A run of names: most separated items are 1-4 capitalised words, or nearly every word is
    capitalised and no lower-case function word ties them into a sentence. (Both tests stop at
    the first item or word that rules them out: most units are sentences, and this runs on each.)"""
    items = [s for s in _SEPARATORS.split(text.strip(" .")) if s]
    if len(items) >= 4:
        names = in_names = others = 0
        for s in items:
            words = s.split()
            if 1 <= len(words) <= 4 and all(_CAPITALISED.match(w) for w in words):
                names += 1
                in_names += len(words)
            else:
                others += 1
                if len(items) - others < 0.75 * len(items):  # names can no longer be 75%
                    break
        else:
            if names >= 0.75 * len(items) and in_names >= 0.8 * sum(len(s.split()) for s in items):
                return True
    words = _LETTERS.findall(text)
    n = len(words)
    if n < 6:
        return False
    lower = 0
    for w in words:
        if not w[0].isupper():
            lower += 1
            if n - lower < 0.85 * n:  # capitalised words can no longer be 85%
                return False
    return sum(1 for w in words if w in _LOWER_FUNCTION) <= 1


def comparable_text(text: str) -> str:
    """``text`` with a leading agency dateline cut (when a sentence is left after it)."""
    rest = _DATELINE.sub("", text, count=1)
    return rest if len(rest.split()) >= 4 else text


# -- languages ------------------------------------------------------------------------------------
_LATIN = re.compile(r"[A-Za-z]")
_NON_LATIN = re.compile(r"[^\W\d_A-Za-z\u00C0-\u024F]")


_EN_MARKERS = frozenset("the of and to in is was are were said that for with from has have".split())


def unit_language(text: str, article_language: str | None) -> str:
    """The language of a unit: its article's, else ``en`` for a Latin-script unit with English
    function words (invented or foreign names confuse a language identifier on one sentence),
    else the language test's guess (``en`` for Latin script it cannot tell, ``und`` for another
    script)."""
    if article_language:
        return article_language.lower()[:2]
    latin = len(_LATIN.findall(text)) >= len(_NON_LATIN.findall(text))
    if latin and sum(1 for w in text.lower().split() if w in _EN_MARKERS) >= 2:
        return "en"
    from ..lang import MIN_WORDS, detect_language

    repeat = -(-MIN_WORDS // max(len(text.split()), 1))  # the test needs MIN_WORDS words
    found = detect_language(" ".join([text] * repeat))
    if found:
        return found
    return "en" if latin else "und"


# -- claim-level verification ---------------------------------------------------------------------
@dataclass
class PairScorer:
    """Verifies candidate pairs of one window (see the module docstring).

    Args:
        threshold: match probability of the claim model at or above which an English pair is a
            rewording.
        cross_threshold: e5 cosine at or above which a pair across languages is a rewording.
        model: ``catalogue`` or ``factcheck``: which of the matching models scores English pairs.
    """

    threshold: float = 0.3
    cross_threshold: float = 0.85
    model: str = "catalogue"
    _idf: dict[str, float] = field(default_factory=dict)
    _default_idf: float = 1.0
    _avgdl: float = 10.0
    _n: int = 2
    _info: dict[int, Any] = field(default_factory=dict)
    _reranker: Any = None

    def fit(
        self, texts: Sequence[str], subset: Sequence[int] | None = None, infos: list | None = None
    ) -> PairScorer:
        """Document frequencies of the window's stems (the IDF of the BM25 and coverage
        features), and the texts of ``subset`` (positions; default all) ready to score.
        ``infos``: the texts' :func:`text_infos`, when already computed."""
        from copy import copy

        info = infos if infos is not None else text_infos(texts)
        df: dict[str, int] = {}
        for one in info:
            for s in one.stems:
                df[s] = df.get(s, 0) + 1
        n = max(len(texts), 1)
        self._idf = {s: math.log(1 + (n - f + 0.5) / (f + 0.5)) for s, f in df.items()}
        self._default_idf = math.log(1 + (n + 0.5) / 0.5)
        self._avgdl = float(np.mean([len(i.stems) for i in info])) if texts else 1.0
        self._n = n
        keep = range(len(texts)) if subset is None else subset
        self._info = {i: copy(info[i]) for i in keep}  # weights are this window pair's
        for one in self._info.values():
            one.weight = sum(self._idf.get(s, self._default_idf) for s in one.stems) or 1.0
        if self._reranker is None:
            from ..factchecks.search import Reranker

            self._reranker = Reranker.load()
        return self

    def _bm25(self, q: Any, c: Any) -> float:
        k1, b = 1.5, 0.75
        norm = k1 * (1 - b + b * len(c.stems) / max(self._avgdl, 1e-9))
        return sum(
            self._idf.get(s, self._default_idf) * (k1 + 1) / (1 + norm) for s in q.stems & c.stems
        )

    def features(self, pairs: np.ndarray, cos: np.ndarray) -> np.ndarray:
        """:data:`~newsift.factchecks.search.FEATURES` of each pair ``(i, j)`` in both
        directions: ``[2 * len(pairs), 8]`` (i as the query first, then j)."""
        from ..factchecks.search import FEATURES, max_idf, pair_features

        big = max_idf(max(self._n, 2))
        rows = []
        for (i, j), c in zip(pairs.tolist(), cos.tolist(), strict=True):
            a, b = self._info[i], self._info[j]
            rows.append(
                pair_features(
                    a, b, self._idf, self._default_idf, c, math.log1p(self._bm25(a, b) / big)
                )
            )
            rows.append(
                pair_features(
                    b, a, self._idf, self._default_idf, c, math.log1p(self._bm25(b, a) / big)
                )
            )
        return np.asarray(rows, dtype=np.float64).reshape(-1, len(FEATURES))

    def score(self, pairs: np.ndarray, cos: np.ndarray) -> np.ndarray:
        """The better direction's match probability of each English pair."""
        if not len(pairs):
            return np.zeros(0)
        feats = self.features(pairs, cos)
        p = self._reranker.score(feats, catalogue=self.model == "catalogue")
        return p.reshape(-1, 2).max(axis=1)


@lru_cache(maxsize=1 << 16)  # a pure function of the name: the cache changes no result
def _name_keys(name: str) -> frozenset[str]:
    """5-letter prefixes of a name's words, after the aliases of the claim matcher
    (``Washington``/``the US``, ``Kremlin``/``Russia``): ``Russian``/``Russia`` and
    ``Ukrainian``/``Ukraine`` meet."""
    from ..factchecks.search import canonical

    words = canonical(name.title()).lower().replace("-", " ").split()
    return frozenset(w[:5] for w in words if len(w) >= 2 and w not in STOP_NAMES)


STOP_NAMES = frozenset("the and of mr mrs ms dr".split())


def rewording_anchors_agree(a: frozenset[str], b: frozenset[str]) -> bool:
    """A rewording keeps the figures (as :func:`anchors_agree` compares them) and most names of
    the side with fewer (more than half, as :func:`anchors_agree` asks), where one name matches
    another when the words of one are among the other's, compared by word prefix after aliases:
    "Russia" matches "the Russian Defence Ministry", "Danel Union" does not match "Ullan Union"."""
    na = frozenset(x for x in a if x[0].isdigit())
    nb = frozenset(x for x in b if x[0].isdigit())
    if na and nb and not anchors_agree(na, nb):
        return False
    ka = [k for x in a if not x[0].isdigit() and (k := _name_keys(x))]
    kb = [k for x in b if not x[0].isdigit() and (k := _name_keys(x))]
    if not ka or not kb:
        return True
    small, large = (ka, kb) if len(ka) <= len(kb) else (kb, ka)
    matched = sum(1 for x in small if any(x <= y or y <= x for y in large))
    return matched >= len(small) // 2 + 1


def text_infos(texts: Sequence[str]) -> list:
    """What the claim model's features need of each text (stems, names, figures, negation)."""
    from ..factchecks.search import TextInfo

    return [TextInfo.of(t) for t in texts]


def figures_agree(a: str, b: str) -> bool:
    """The figures of two units in any languages agree: when both have figures, they share one
    and neither has a figure (not a year) the other lacks entirely."""
    na = {x for x in anchors(a) if x[0].isdigit()}
    nb = {x for x in anchors(b) if x[0].isdigit()}
    if not na or not nb:
        return True
    return anchors_agree(frozenset(na), frozenset(nb))


def link_pairs_exact(
    queries: np.ndarray, targets: np.ndarray, k: int, floor: float, chunk: int = 2048
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Exact top-``k`` neighbours of each query row among ``targets`` with cosine >= ``floor``:
    ``(query_pos, target_pos, cosine)``. Deterministic, unlike an approximate index."""
    qs, ts, cs = [], [], []
    k = min(k, len(targets))
    if not k or not len(queries):
        empty = np.zeros(0, np.int64)
        return empty, empty, np.zeros(0, np.float32)
    for lo in range(0, len(queries), chunk):
        sims = queries[lo : lo + chunk] @ targets.T
        top = (
            np.argpartition(-sims, k - 1, axis=1)[:, :k]
            if k < sims.shape[1]
            else np.tile(np.arange(sims.shape[1]), (len(sims), 1))
        )
        val = np.take_along_axis(sims, top, axis=1)
        r, c = np.nonzero(val >= floor)
        qs.append(r + lo)
        ts.append(top[r, c])
        cs.append(val[r, c])
    return np.concatenate(qs), np.concatenate(ts), np.concatenate(cs)
