"""Hybrid retrieval of previously fact-checked (or catalogued) claims, scored at claim level.

For each query sentence and each collection: BM25 (bm25s) scores and dense MiniLM cosines over the
whole collection; the union of the top ``depth`` of each list is re-scored by a small logistic
model with pairwise feature products (:data:`FEATURES`): lexical and embedding similarity, how
much of the record's claim (weighted by IDF) the sentence restates, whether the claim's names and
numbers are in the sentence, whether one of the two denies what the other asserts, and the
claim's length. It is trained on claim pairs: CheckThat! 2021 task 2A + 2B train qrels with the
other BM25 candidates of the same query as hard negatives (same topic, other claim) and each
claim with its polarity flipped as a negative (``newsift train claims --part matching``). The
features are absolute (nothing relative to the query's best hit), so ``score`` is a match
probability in [0, 1], comparable across queries and collections.

Two models share the features: one for fact-check collections, and one for known-narrative
catalogues (EUvsDisinfo), trained on the catalogue's own pairs: a case's URL slug, which often
keeps its first wording, against its edited title, with the other close cases and same-topic
news sentences as negatives.

A match is shown only at or above a calibrated threshold: for fact-check collections the
high-precision one from CheckThat! train, for known-narrative catalogues (EUvsDisinfo) the one
calibrated on the calibration part of ``tests/fixtures/claim-matching-euvsdisinfo.jsonl``.
:func:`voice_of` says whether the sentence asserts the claim, reports it, or reports it
critically; :func:`relation_of` whether the record predates the article.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ConfigError
from .store import Collection, catalogue_stopwords, tokenize

FEATURES = (
    "cosine",
    "log_bm25_idf",
    "overlap",
    "coverage",
    "idf_coverage",
    "entity_recall",
    "number_agreement",
    "polarity_mismatch",
)
METHODS = ("hybrid", "bm25", "dense", "rrf")
RERANK_PATH = Path(__file__).resolve().parents[1] / "models" / "claims" / "matching.json"
RRF_K = 60
VOICES = ("asserted", "reported", "critical")
RELATIONS = ("catalogued_before", "catalogued_later", "date_unknown")

_SUFFIXES = ("ians", "ian", "ing", "ed", "es", "ion", "ly")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*|\d[\d,.]*")
_NUMBER = re.compile(r"\d[\d,.]*\d|\d")
# Words that negate or deny: a sentence and a claim of which only one has such a word disagree.
_NEGATORS = re.compile(
    r"\b(?:no|not|never|none|nothing|neither|nor|nobody|without|cannot|myth|hoax|fake|false|"
    r"fabricated|fabrication|lie|lies|staged|invented|non-existent|nonexistent|deny|denies|"
    r"denied|refuted?|baseless|groundless)\b|n[’']t\b",
    re.IGNORECASE,
)
# Critical or distancing voice: the writer reports the claim to reject it. A marker only counts
# when the record's own claim does not contain it ("It is a myth that Russia invaded Crimea" is
# the claim itself).
_CRITICAL = re.compile(
    r"\b(?:without (?:any |offering any |providing any )?(?:evidence|proof)|no evidence|"
    r"falsely|false(?:ly)? (?:claim|narrative|story|report|allegation)s?|the false|"
    r"debunk\w*|so-called|baseless(?:ly)?|groundless|unfounded|unsubstantiated|"
    r"conspiracy theor\w+|disinformation|propaganda|propagandists?|myth|lie|lies|"
    r"refuted?|rebutted|contrary to|no truth|dismissed|fabricated|hoax|"
    r"fact-check\w*|misleading|discredited|patently false)\b",
    re.IGNORECASE,
)
_REPORTED = re.compile(
    r"\b(?:said|says|say|claimed|claims|claim|alleged|alleges|allege|according to|told|insisted|"
    r"insists|asserted|asserts|argued|argues|reported|wrote|tweeted|stated|suggested|"
    r"suggests|maintained|maintains|accused|blamed|believes?|repeated|repeats|"
    r"announced)\b",
    re.IGNORECASE,
)
_QUOTES = re.compile(r"[\"“”«»„]")
_DIGEST = re.compile(r"^\s*(?:this|last) week[’']s trend\b", re.IGNORECASE)


# Names a claim and its rewording use for the same actor: each is replaced by one token before
# the lexical and name features are computed ("Washington"/"the Americans"/"the US" agree).
_ALIAS_TABLE = (
    (
        r"(?:[Tt]he )?(?:U\.?S\.?A?|United States(?: of America)?|Americans?|America|"
        r"Washington)\b(?!-)",
        "Usa",
    ),
    (r"(?:Russian Federation|Russians?|Moscow|Kremlin)\b", "Russia"),
    (r"(?:Ukrainians?|Kyiv|Kiev)\b", "Ukraine"),
    (r"(?:Belarusians?|Belarussians?|Minsk)\b", "Belarus"),
    (r"(?:European Union|Brussels)\b", "EU"),
    (r"(?:U\.?K\.?|United Kingdom|Britain|British|London)\b", "Uk"),
    (r"(?:Islamic State|ISIL|IS|Daesh)\b", "ISIS"),
    (r"(?:Syrians?|Damascus)\b", "Syria"),
    (r"(?:Dutch|Netherlands)\b", "Netherlands"),
    (r"(?:Polish|Poles|Warsaw)\b", "Poland"),
    (r"(?:Lithuanians?|Vilnius)\b", "Lithuania"),
    (r"(?:Georgians?|Tbilisi)\b", "Georgia"),
    (r"(?:Czechia|Czech Republic|Czechs?|Prague)\b", "Czechia"),
    (r"(?:Soviet Union|USSR|Soviets?)\b", "Ussr"),
    (r"(?:Germans?|Berlin)\b", "Germany"),
    (r"(?:Donbass|Donbas)\b", "Donbas"),
    (r"(?:COVID-19|Covid-19|Covid19|COVID|(?i:coronavirus)|SARS-CoV-2)\b", "Covid"),
)
# One pass over the text: each alternative is a named group whose name indexes its canonical
# token. Case-sensitive: "IS" is the group, "is" the verb.
_ALIASES = re.compile(
    "\\b(?:" + "|".join(f"(?P<a{i}>{p})" for i, (p, _) in enumerate(_ALIAS_TABLE)) + ")"
)


def canonical(text: str) -> str:
    """``text`` with the names of :data:`_ALIAS_TABLE` replaced by one token each."""
    return _ALIASES.sub(_alias_token, text)


def _alias_token(m: re.Match[str]) -> str:
    """The canonical token of the :data:`_ALIASES` group that matched."""
    assert m.lastgroup is not None  # every alternative is a named group
    return _ALIAS_TABLE[int(m.lastgroup[1:])][1]


def stem(tok: str) -> str:
    """A crude suffix strip so that 'Russian'/'Russia' and 'created'/'create' meet."""
    for suffix in _SUFFIXES:
        if tok.endswith(suffix) and len(tok) - len(suffix) >= 4:
            return tok[: -len(suffix)]
    return tok


def polarity(text: str) -> int:
    """1 when ``text`` has a negating or denying word ("not", "never", "no", "myth", "hoax",
    "fabricated"...), else 0. Presence, not parity: "never happened; it was fabricated" denies
    once, however many such words it uses."""
    return int(_NEGATORS.search(text) is not None)


def _entities(text: str) -> set[str]:
    """Lower-cased 5-letter prefixes of capitalised words not opening the text, and acronyms."""
    words = _WORD.findall(text)
    out = set()
    for i, w in enumerate(words):
        if w[0].isupper() and (i > 0 or w.isupper()) and len(w) > 1:
            out.add(w.lower()[:5])
    return out


def _numbers(text: str) -> set[str]:
    return {n.replace(",", "").rstrip(".") for n in _NUMBER.findall(text)}


@dataclass
class TextInfo:
    """What the features need of one text (a query or a record's claim)."""

    stems: set[str]
    entities: set[str]
    numbers: set[str]
    polarity: int
    weight: float = 0.0  # a record's summed IDF (set by the collection's _Prep)

    @classmethod
    def of(cls, text: str, stop: frozenset[str] | None = None) -> TextInfo:
        text = canonical(text)
        toks = tokenize(text, stop)
        return cls({stem(t) for t in toks}, _entities(text), _numbers(text), polarity(text))


def claim_text(rec: dict[str, Any]) -> str:
    """The record's claim as matched: a trailing ellipsis (titles cut short) removed."""
    return rec["claim"].rstrip().rstrip("…").rstrip(".").strip()


class _Prep:
    """Per-collection IDF over stems and lazily computed :class:`TextInfo` of its records.

    The IDF table is computed when first read: the e5 path (the default for the EUvsDisinfo
    catalogue) reads only ``skip``, and tokenising and stemming the 10,892 cases cost ~0.15 s
    of every cold start (issue 22)."""

    def __init__(self, coll: Collection) -> None:
        self.stop = catalogue_stopwords()
        self.info: dict[int, TextInfo] = {}
        self.skip = np.array([bool(_DIGEST.match(r["claim"])) for r in coll.records], dtype=bool)
        self._records = coll.records
        self._idf: dict[str, float] | None = None
        self.default_idf = math.log(1 + (max(len(coll.records), 1) + 0.5) / 0.5)

    @property
    def idf(self) -> dict[str, float]:
        """IDF of each stem of the records' claims (BM25's smoothed form)."""
        if self._idf is None:
            df: dict[str, int] = {}
            for rec in self._records:
                for s in {stem(t) for t in tokenize(claim_text(rec), self.stop)}:
                    df[s] = df.get(s, 0) + 1
            n = max(len(self._records), 1)
            self._idf = {s: math.log(1 + (n - f + 0.5) / (f + 0.5)) for s, f in df.items()}
        return self._idf

    def record(self, coll: Collection, i: int) -> TextInfo:
        info = self.info.get(i)
        if info is None:
            info = self.info[i] = TextInfo.of(claim_text(coll.records[i]), self.stop)
            info.weight = sum(self.idf.get(s, self.default_idf) for s in info.stems) or 1.0
        return info


def prep(coll: Collection) -> _Prep:
    """The collection's :class:`_Prep`, built once and kept on the collection object."""
    p = coll.__dict__.get("_match_prep")
    if p is None:
        p = _Prep(coll)
        coll.__dict__["_match_prep"] = p
    return p


class _Sketch:
    """A rank-:data:`RANK` sketch of a collection's MiniLM vectors that bounds each cosine from
    above, so that telling which sentences come near some case (the e5 gate) reads a third of the
    10,892 x 384 matrix, and the exact cosines only of the few cases the bound lets through.

    Each vector is split into its part in the span of the matrix's top right singular vectors
    and the rest: ``q . c = q_low . c_low + q_rest . c_rest <= q_low . c_low + |q_rest| |c_rest|``
    (Cauchy-Schwarz). A case under the gate by that bound is under it exactly; the decision is
    the one the full product gives.
    """

    RANK = 128

    def __init__(self, emb: np.ndarray) -> None:
        arrays = sketch_arrays(emb)
        self.basis = arrays["sketch_basis"]
        self.low = arrays["sketch_low"]
        self.rest = arrays["sketch_rest"]

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray]) -> _Sketch:
        """The sketch made of :func:`sketch_arrays`'s arrays (e.g. read back from a cache)."""
        out = cls.__new__(cls)
        out.basis = arrays["sketch_basis"]
        out.low = arrays["sketch_low"]
        out.rest = arrays["sketch_rest"]
        return out

    def reaches(self, emb: np.ndarray, vecs: np.ndarray, gate: float) -> np.ndarray:
        """Whether each row of ``vecs`` has a cosine >= ``gate`` with some row of ``emb`` (the
        matrix this sketch was made of)."""
        low = vecs @ self.basis
        rest = np.linalg.norm(vecs - low @ self.basis.T, axis=1)
        bound = self.low @ low.T + np.outer(self.rest, rest)
        out = np.zeros(len(vecs), dtype=bool)
        for j in range(len(vecs)):
            near = np.flatnonzero(bound[:, j] >= gate - 1e-4)  # float32 rounding: a margin
            out[j] = bool(len(near)) and float((emb[near] @ vecs[j]).max()) >= gate
        return out


def sketch_arrays(emb: np.ndarray) -> dict[str, np.ndarray]:
    """The arrays of :class:`_Sketch` of ``emb``: the top :attr:`_Sketch.RANK` right singular
    vectors (``sketch_basis``), each row's coordinates on them (``sketch_low``) and the norm of
    what they leave out (``sketch_rest``)."""
    _, vectors = np.linalg.eigh(emb.T.astype(np.float64) @ emb.astype(np.float64))
    basis = np.ascontiguousarray(vectors[:, ::-1][:, : _Sketch.RANK], dtype=np.float32)
    low = np.ascontiguousarray(emb @ basis)
    rest = np.linalg.norm(emb - low @ basis.T, axis=1)
    return {"sketch_basis": basis, "sketch_low": low, "sketch_rest": rest}


def keep_sketch(coll: Collection, arrays: dict[str, np.ndarray]) -> None:
    """Keep on ``coll`` the sketch made of :func:`sketch_arrays`'s arrays of its MiniLM vectors
    (e.g. read back from a cache), so that :func:`sketch` does not compute it again."""
    coll.__dict__["_sketch"] = _Sketch.from_arrays(arrays)


def sketch(coll: Collection) -> _Sketch | None:
    """The :class:`_Sketch` of ``coll``'s MiniLM vectors (None without them), made once and
    kept on the collection object."""
    if coll.embeddings is None:
        return None
    s = coll.__dict__.get("_sketch")
    if s is None:
        s = coll.__dict__["_sketch"] = _Sketch(coll.embeddings)
    return s


def pair_features(
    q: TextInfo, c: TextInfo, idf: dict[str, float], default_idf: float, cos: float, log_bm: float
) -> list[float]:
    """The :data:`FEATURES` row of one (sentence, record) pair."""
    shared = q.stems & c.stems
    c_weight = c.weight or sum(idf.get(s, default_idf) for s in c.stems) or 1.0
    ent = c.entities
    return [
        cos,
        log_bm,
        len(shared) / max(len(q.stems), 1),
        len(shared) / max(len(c.stems), 1),
        sum(idf.get(s, default_idf) for s in shared) / c_weight,
        len(ent & q.entities) / len(ent) if ent else 1.0,
        len(c.numbers & q.numbers) / len(c.numbers) if c.numbers else 1.0,
        float(q.polarity != c.polarity),
    ]


def expand(x: np.ndarray) -> np.ndarray:
    """Feature rows with their pairwise products appended (i <= j): the cross-feature terms."""
    i, j = np.triu_indices(x.shape[1])
    return np.hstack([x, x[:, i] * x[:, j]])


@dataclass
class LogisticModel:
    """Logistic regression over standardised :data:`FEATURES` (a subset ``columns``), with
    their pairwise products appended when ``interactions``."""

    columns: list[int]
    mean: list[float]
    scale: list[float]
    coef: list[float]
    intercept: float
    interactions: bool

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> LogisticModel:
        return cls(
            list(d["columns"]),
            list(d["mean"]),
            list(d["scale"]),
            list(d["coef"]),
            float(d["intercept"]),
            bool(d["interactions"]),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "columns": self.columns,
            "interactions": self.interactions,
            "mean": [round(float(v), 6) for v in self.mean],
            "scale": [round(float(v), 6) for v in self.scale],
            "coef": [round(float(v), 6) for v in self.coef],
            "intercept": round(float(self.intercept), 6),
        }

    def score(self, feats: np.ndarray) -> np.ndarray:
        x = (feats[:, self.columns] - np.asarray(self.mean)) / np.asarray(self.scale)
        if self.interactions:
            x = expand(x)
        return 1.0 / (1.0 + np.exp(-(x @ np.asarray(self.coef) + self.intercept)))


@dataclass
class Reranker:
    """The match models and their thresholds.

    - ``factcheck`` scores fact-check collections (claims as fact-checkers word them; trained
      on CheckThat! 2021 pairs), ``lexical`` those imported without embeddings (every feature
      but the cosine);
    - ``catalogue`` scores known-narrative catalogues (EUvsDisinfo's one-line case titles;
      trained on the catalogue's own pairs).

    Thresholds: ``threshold`` and ``lexical_threshold`` (top-1 precision on CheckThat! train),
    ``catalogue_threshold`` (calibrated on the calibration part of the EUvsDisinfo set).
    """

    factcheck: LogisticModel
    lexical: LogisticModel
    catalogue: LogisticModel
    threshold: float
    lexical_threshold: float
    catalogue_threshold: float
    crosslang: Any = None  # a multilingual.CrossModel: sentences in other languages
    catalogue_e5: Any = None  # a multilingual.CrossModel: English sentences, e5 path
    # English sentences go by the e5 path only where their MiniLM cosine to some case reaches this
    catalogue_e5_gate: float = 0.0

    @classmethod
    def load(cls, path: Path = RERANK_PATH) -> Reranker:
        """The committed re-scorer (``newsift train claims --part matching`` writes it).

        Raises:
            ConfigError: when the file is missing or was written for other features.
        """
        if not path.exists():
            raise ConfigError(
                f"matching model {path} is missing; run "
                "`newsift train claims --part matching` or reinstall newsift"
            )
        d = json.loads(path.read_text(encoding="utf-8"))
        if tuple(d.get("features", ())) != FEATURES or "models" not in d:
            raise ConfigError(
                f"matching model {path} was trained on features {d.get('features')}, "
                f"this newsift computes {list(FEATURES)}; retrain it with "
                "`newsift train claims --part matching`"
            )
        m = {k: LogisticModel.from_dict(v) for k, v in d["models"].items()}
        from .multilingual import CrossModel

        e5 = {
            k: CrossModel.from_dict(d[k]) if isinstance(d.get(k), dict) else None
            for k in ("crosslang", "catalogue_e5")
        }
        return cls(
            m["factcheck"],
            m["lexical"],
            m["catalogue"],
            float(d["threshold"]),
            float(d["lexical_threshold"]),
            float(d["catalogue_threshold"]),
            e5["crosslang"],
            e5["catalogue_e5"],
            float(d.get("catalogue_e5_gate", 0.0)),
        )

    def score(
        self, feats: np.ndarray, lexical: bool = False, catalogue: bool = False
    ) -> np.ndarray:
        """Match probabilities for :data:`FEATURES` rows: with the catalogue model, the lexical
        one (the collection has no vectors), or the fact-check one."""
        if catalogue and not lexical:
            return self.catalogue.score(feats)
        return (self.lexical if lexical else self.factcheck).score(feats)


def _top(values: np.ndarray, d: int) -> np.ndarray:
    """Indices of the ``d`` largest values, best first."""
    idx = np.argpartition(-values, d - 1)[:d] if d < len(values) else np.arange(len(values))
    return idx[np.argsort(-values[idx], kind="stable")]


def max_idf(n: int) -> float:
    """The largest BM25 IDF in a collection of ``n`` records (a term in one record): BM25 scores
    divided by it no longer grow with the collection's size, so one model fits any collection."""
    return float(np.log(1 + (n - 0.5) / 1.5))


def candidate_features(
    query: str, cos: np.ndarray | None, coll: Collection, depth: int
) -> tuple[np.ndarray, np.ndarray]:
    """Candidate record indices and their :data:`FEATURES` rows, plus an ``rrf`` column.

    Args:
        query: the sentence.
        cos: the query's cosine with every record of ``coll`` (``None``: no dense vectors).
        coll: the collection.
        depth: candidates taken from the top of each of BM25 and dense.

    Returns:
        ``(indices, features)``, features ``[n, len(FEATURES) + 1]``: :data:`FEATURES` then the
        reciprocal-rank fusion of the two lists (for the ``rrf`` ablation only). Weekly digests
        of a catalogue ("This week's trend: ...") are never candidates: they are not claims.
    """
    n = len(coll)
    d = min(depth, n)
    p = prep(coll)
    q_tokens = tokenize(query, p.stop)
    bm = coll.bm25.get_scores(q_tokens) if (q_tokens and coll.bm25 is not None) else None
    lists = [_top(x, d) for x in (bm, cos) if x is not None]
    if not lists:
        return np.zeros(0, dtype=np.int64), np.zeros((0, len(FEATURES) + 1))
    cand = np.unique(np.concatenate(lists))
    cand = cand[~p.skip[cand]]
    rrf = np.zeros(len(cand))
    for ranked in lists:
        pos = {int(j): r for r, j in enumerate(ranked, 1)}
        rrf += np.array([1.0 / (RRF_K + pos.get(int(j), 2 * depth)) for j in cand])
    q = TextInfo.of(query, p.stop)
    big = max_idf(n)
    rows = [
        pair_features(
            q,
            p.record(coll, int(i)),
            p.idf,
            p.default_idf,
            float(cos[i]) if cos is not None else 0.0,
            float(np.log1p(bm[i] / big)) if bm is not None else 0.0,
        )
        for i in cand
    ]
    feats = np.column_stack([np.array(rows).reshape(len(cand), len(FEATURES)), rrf])
    return cand, feats


def voice_of(sentence: str, record_claim: str, attributed: bool = False) -> str:
    """``critical`` when the sentence distances itself from the claim ("claimed, without
    evidence", "falsely", "so-called", "debunked", ... where the record's claim has no such
    word), ``reported`` when it attributes it (a speech verb, quotation marks, or ``attributed``:
    ``claims.v1`` linked the sentence to an attribution), else ``asserted``."""
    own = {m.group(0).lower() for m in _CRITICAL.finditer(record_claim)}
    if any(m.group(0).lower() not in own for m in _CRITICAL.finditer(sentence)):
        return "critical"
    if attributed or _QUOTES.search(sentence):
        return "reported"
    own_rep = {m.group(0).lower() for m in _REPORTED.finditer(record_claim)}
    if any(m.group(0).lower() not in own_rep for m in _REPORTED.finditer(sentence)):
        return "reported"
    return "asserted"


def relation_of(record_date: str | None, article_date: str | None) -> str:
    """Whether the record was catalogued on or before the article's date (ISO dates, compared
    on their first 10 characters), after it, or whether either date is unknown."""
    a, r = (article_date or "")[:10], (record_date or "")[:10]
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", a) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", r):
        return "date_unknown"
    return "catalogued_before" if r <= a else "catalogued_later"


def describe(
    match: dict[str, Any], sentence: str, article_date: str | None, attributed: bool = False
) -> dict[str, Any]:
    """``match`` with ``relation``, ``voice`` and ``headline`` added (``voice`` also by the words
    of the sentence's language when the match crosses languages): a headline finding is
    a match catalogued before the article (or of unknown date) in a sentence that does not
    reject the claim. A case catalogued later is "catalogued later", never "already catalogued".
    """
    out = dict(match)
    out["relation"] = relation_of(match.get("date"), article_date)
    out["voice"] = voice_of(sentence, match.get("claim", ""), attributed)
    if match.get("cross_language") and out["voice"] != "critical":
        from .multilingual import voice_of as voice_in_language

        found = voice_in_language(sentence)  # the sentence's own language's words
        if found == "critical" or (found and out["voice"] == "asserted"):
            out["voice"] = found
    out["headline"] = out["relation"] != "catalogued_later" and out["voice"] != "critical"
    return out


class Searcher:
    """Search loaded collections for sentences.

    Two paths, chosen per sentence and collection:

    - **e5** (multilingual-e5 cosine and :data:`~.multilingual.CROSS_FEATURES`): every sentence
      in another language than English, against the collections with e5 vectors (the
      EUvsDisinfo catalogue; model ``crosslang``); and English sentences against known-narrative
      catalogues with e5 vectors (model ``catalogue_e5``), unless ``english_e5`` is false;
    - **MiniLM** (BM25 + MiniLM candidates, :data:`FEATURES`): English sentences against
      everything else (imported fact-check collections), and against the catalogue when
      ``english_e5`` is false or the re-scorer has no ``catalogue_e5`` model.

    Args:
        collections: loaded :class:`Collection` objects.
        encoder: a :class:`newsift.embed.Encoder` (default: the committed MiniLM).
        reranker: the score model (default: the committed one).
        depth: candidates taken from each of BM25 and dense per collection.
        method: ``hybrid`` (re-scored, default), or for ablations ``bm25``, ``dense``, ``rrf``
            (candidates ranked by that feature alone; ``score`` is then that feature).
        english_e5: match English sentences against catalogues with e5 vectors by the e5 path
            (default true: on the EUvsDisinfo set's scoring part precision 0.90 and rewording
            recall 0.70 against 0.84 and 0.44 by MiniLM, at the cost of e5-encoding English
            claims; see ``docs/factchecks.md``).
    """

    def __init__(
        self,
        collections: list[Collection],
        encoder: Any = None,
        reranker: Reranker | None = None,
        depth: int = 20,
        method: str = "hybrid",
        english_e5: bool = True,
    ) -> None:
        if method not in METHODS:
            raise ConfigError(f"retrieval method {method!r} is unknown; use one of {METHODS}")
        self.method = method
        self.collections = collections
        self.encoder = encoder
        self.reranker = reranker or (Reranker.load() if method == "hybrid" else None)
        self.depth = depth
        self.english_e5 = english_e5

    def _encode(
        self,
        texts: list[str],
        encode: Callable[[list[str]], np.ndarray] | None = None,
        colls: list[Collection] | None = None,
    ) -> np.ndarray | None:
        colls = self.collections if colls is None else colls
        if not any(c.embeddings is not None for c in colls) or self.method == "bm25":
            return None
        if encode is not None:
            return encode(texts)
        if self.encoder is None:
            from ..embed import get_encoder

            self.encoder = get_encoder()
        return self.encoder.encode(texts)

    def cut(self, coll: Collection) -> float:
        """The default threshold for matches from ``coll`` by the MiniLM path: the catalogue
        threshold for known-narrative collections (``meta["kind"] == "narratives"``, e.g.
        EUvsDisinfo), else the fact-check one (lexical when the collection has no embeddings)."""
        r = self.reranker
        if r is None:
            return 0.0
        if coll.meta.get("kind") == "narratives":
            return r.catalogue_threshold
        return r.lexical_threshold if coll.embeddings is None else r.threshold

    def e5_model(self, coll: Collection, lang: str) -> Any:
        """The e5-path model for sentences in ``lang`` against ``coll``, or None when that pair
        goes by the MiniLM path (or is not matched at all: another language, no e5 vectors)."""
        r = self.reranker
        if coll.embeddings_e5 is None or not len(coll) or r is None:
            return None
        if lang != "en":
            return r.crosslang
        if self.english_e5 and coll.meta.get("kind") == "narratives":
            return r.catalogue_e5
        return None

    def search(
        self,
        queries: list[str],
        k: int = 5,
        min_score: float | str | None = None,
        encode: Callable[[list[str]], np.ndarray] | None = None,
        langs: list[str] | None = None,
        encode_e5: Callable[[list[str]], np.ndarray] | None = None,
    ) -> list[list[dict[str, Any]]]:
        """Top ``k`` matches per query, best first, each ``{id, claim, url, rating, date, score,
        collection, summary, disproof, truncated, cross_language, languages}``.

        Sentences in another language than English are matched across languages, against the
        collections that have multilingual-e5 vectors (the EUvsDisinfo catalogue); their
        matches say ``cross_language: true`` and ``languages: {sentence, record}``.

        Args:
            queries: claim sentences.
            k: at most this many matches per query.
            min_score: keep matches scoring at least this; ``"default"``: the calibrated
                threshold of each collection and path; ``None``: keep all ``k``.
            encode: how to get the queries' MiniLM vectors (default: the shared encoder); the
                stage passes :func:`newsift.embed.article_vectors` to reuse those of ``claims.v1``.
            langs: each query's language (ISO 639-1); default: told by
                :func:`~newsift.factchecks.multilingual.sentence_language`.
            encode_e5: how to get multilingual-e5 vectors (default: the shared encoder).
        """
        if not queries:
            return []
        if langs is None:
            from .multilingual import sentence_language

            langs = [sentence_language(q) for q in queries]
        hits: list[list[tuple[float, Collection, int]]] = [[] for _ in queries]
        english = [i for i, lang in enumerate(langs) if lang == "en"]
        minilm = [c for c in self.collections if len(c) and self.e5_model(c, "en") is None]
        if english and minilm:
            found = self._search_minilm([queries[i] for i in english], min_score, encode, minilm)
            for i, h in zip(english, found, strict=True):
                hits[i] += h
        self._search_e5(queries, langs, min_score, encode_e5, hits, encode)
        out = []
        for lang, lang_hits in zip(langs, hits, strict=True):
            lang_hits.sort(key=lambda h: -h[0])
            out.append(
                [
                    {
                        **_match(coll, i, sc),
                        "cross_language": lang != (coll.meta.get("language") or lang),
                        "languages": {"sentence": lang, "record": coll.meta.get("language")},
                    }
                    for sc, coll, i in lang_hits[:k]
                ]
            )
        return out

    def _search_e5(
        self,
        queries: list[str],
        langs: list[str],
        min_score: float | str | None,
        encode_e5: Callable[[list[str]], np.ndarray] | None,
        hits: list[list[tuple[float, Collection, int]]],
        encode: Callable[[list[str]], np.ndarray] | None = None,
    ) -> None:
        """Add the e5-path hits of every (query, collection) pair that takes it to ``hits``:
        candidates by e5 cosine, scored by :meth:`e5_model`'s model at its threshold.

        An English sentence is e5-encoded only where its MiniLM cosine to some case of the
        collection reaches the re-scorer's ``catalogue_e5_gate`` (chosen under every calibration
        positive: a sentence far from every case by MiniLM is matched by neither path): e5 reads
        ~1,300 tokens/s, and most claims of ordinary news are far from every catalogued case."""
        from .multilingual import CrossInfo, cosine_lift, cross_features, record_info

        todo = [
            (j, c)
            for j, lang in enumerate(langs)
            for c in self.collections
            if self.e5_model(c, lang) is not None
        ]
        gate = self.reranker.catalogue_e5_gate if self.reranker is not None else 0.0
        english = sorted({j for j, c in todo if langs[j] == "en" and c.embeddings is not None})
        if english and gate > 0:
            vecs_en = self._encode([queries[j] for j in english], encode)
            if vecs_en is not None:
                near: dict[tuple[int, str], bool] = {}
                for c in {id(c): c for _, c in todo}.values():
                    s = sketch(c)
                    if s is not None and c.embeddings is not None:
                        ok = s.reaches(c.embeddings, vecs_en, gate)
                        near.update(
                            {(j, c.name): bool(b) for j, b in zip(english, ok, strict=True)}
                        )
                todo = [(j, c) for j, c in todo if near.get((j, c.name), True) or langs[j] != "en"]
        if not todo:
            return
        if encode_e5 is None:
            from ..embed import get_multilingual_encoder

            encode_e5 = get_multilingual_encoder().encode
        rows = sorted({j for j, _ in todo})
        vecs = dict(zip(rows, encode_e5([queries[j] for j in rows]), strict=True))
        infos: dict[int, CrossInfo] = {}
        for j, coll in todo:
            model = self.e5_model(coll, langs[j])
            floor = model.threshold if min_score == "default" else min_score
            cos = coll.embeddings_e5 @ vecs[j]
            cand = _top(np.where(prep(coll).skip, -2.0, cos), min(self.depth, len(coll)))
            q = infos.setdefault(j, CrossInfo.of(queries[j]))
            nearest = cos[cand]
            feats = np.array(
                [
                    cross_features(
                        q, record_info(coll, int(i)), float(cos[i]), cosine_lift(cos[i], nearest)
                    )
                    for i in cand
                ]
            )
            scores = model.score(feats) if self.method == "hybrid" else feats[:, 0]
            keep = scores >= float(floor) if floor is not None else scores > -np.inf
            hits[j].extend(
                (float(sc), coll, int(i)) for i, sc in zip(cand[keep], scores[keep], strict=True)
            )

    def search_crosslang(
        self,
        queries: list[str],
        langs: list[str],
        k: int = 5,
        min_score: float | str | None = None,
        encode_e5: Callable[[list[str]], np.ndarray] | None = None,
    ) -> list[list[dict[str, Any]]]:
        """:meth:`search` with the languages given (for sentences known not to be English)."""
        return self.search(queries, k, min_score, langs=langs, encode_e5=encode_e5)

    def _search_minilm(
        self,
        queries: list[str],
        min_score: float | str | None,
        encode: Callable[[list[str]], np.ndarray] | None,
        colls: list[Collection],
    ) -> list[list[tuple[float, Collection, int]]]:
        vecs = self._encode(queries, encode, colls)
        hits: list[list[tuple[float, Collection, int]]] = [[] for _ in queries]
        for coll in colls:
            dense = vecs is not None and coll.embeddings is not None
            floor = self.cut(coll) if min_score == "default" else min_score
            for b in range(0, len(queries), 64):
                # one matrix product per block of queries: much cheaper than one per query
                # (dense implies vecs is not None; the second test is for the type checker)
                cos = coll.embeddings @ vecs[b : b + 64].T if dense and vecs is not None else None
                for j in range(b, min(b + 64, len(queries))):
                    cand, feats = candidate_features(
                        queries[j], None if cos is None else cos[:, j - b], coll, self.depth
                    )
                    if not len(cand):
                        continue
                    scores = self._score(
                        feats, lexical=not dense, catalogue=coll.meta.get("kind") == "narratives"
                    )
                    keep = scores >= float(floor) if floor is not None else scores > -np.inf
                    hits[j].extend(
                        (float(sc), coll, int(i))
                        for i, sc in zip(cand[keep], scores[keep], strict=True)
                    )
        return hits

    def _score(self, feats: np.ndarray, lexical: bool, catalogue: bool = False) -> np.ndarray:
        if self.method == "hybrid":
            assert self.reranker is not None  # loaded by __init__ for the hybrid method
            return self.reranker.score(feats[:, : len(FEATURES)], lexical, catalogue)
        return feats[:, {"dense": 0, "bm25": 1, "rrf": len(FEATURES)}[self.method]]


def _match(coll: Collection, i: int, score: float) -> dict[str, Any]:
    rec = coll.records[i]
    return {
        "id": rec["id"],
        "claim": rec["claim"],
        "url": rec.get("url", ""),
        "rating": rec.get("rating", ""),
        "date": rec.get("date", ""),
        "score": round(score, 3),
        "collection": coll.name,
        "summary": rec.get("summary", ""),
        "disproof": rec.get("disproof", ""),
        "truncated": rec["claim"].rstrip().endswith("…"),
    }
