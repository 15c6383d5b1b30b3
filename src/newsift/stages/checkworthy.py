"""Check-worthy claims, ``claims.v1``: a trained sentence scorer that replaces ``claims.v0``.

Two linear models, trained in-project on ClaimBuster (``newsift train claims``), are averaged:

- hashed TF-IDF of word 1-2-grams and character 2-5-grams (each block L2-normalised) with a
  logistic regression: cheap (~3,000 sentences/s), and
- mean-pooled all-MiniLM-L6-v2 embeddings (``newsift.embed``) with a logistic regression.

By default the encoder only runs on sentences the TF-IDF model is unsure about (a cascade), which
halves its cost at the same F1 on CheckThat! 2024 dev-test (see ``models/claims/MODEL_CARD.md``).
Sentences under the check-worthy threshold are ``non-factual`` where a 3-class TF-IDF model finds
that class likelier than either factual one, else ``unimportant factual`` (a factual sentence
under the news threshold). The layer and keys are those of ``claims.v0``::

    claims: [{start, end, text, score, class, figures, attribution, matches, voice}]

The headline, when there is one, is scored in a call of its own and comes first
(``part: "title"``, offsets into the title).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from ..article import Article
from ..errors import ConfigError
from ..pipeline import Stage, register_stage
from .claims import (
    check_first,
    check_first_size,
    claim_record,
    dateline_only,
    furniture_or_fragment,
    title_claim_record,
    title_text,
)
from .figures import parse_figures

CLASSES = ("non-factual", "unimportant factual", "check-worthy factual")
NON_FACTUAL, UNIMPORTANT, CHECK_WORTHY = CLASSES
# Figure kinds that make a sentence factual (years and dates alone do not).
_COUNTS = frozenset({"number", "quantity", "money", "percent"})
MODEL_DIR = Path(__file__).resolve().parents[1] / "models" / "claims"
N_FEATURES = 2**20
MODES = ("cascade", "full", "fast")


def _hashers() -> tuple[Any, Any]:
    # sklearn's HashingVectorizer(ngram_range=(1, 2)) and (analyzer="char_wb", ngram_range=(2, 5)),
    # alternate_sign=False, norm=None, written out so that no cold start imports sklearn
    # (newsift.hashing; equal counts, tests/unit/test_hashing.py)
    from ..hashing import HashedNgrams

    word = HashedNgrams("word", (1, 2), N_FEATURES)
    char = HashedNgrams("char_wb", (2, 5), N_FEATURES)
    return word, char


class TfidfFeaturizer:
    """Hashed sublinear TF-IDF of two blocks (words, characters), each block L2-normalised.

    Args:
        idf: ``(idf_word, idf_char)``, dense float32 arrays of length ``2**20`` (0 = unused).
    """

    def __init__(self, idf: tuple[np.ndarray, np.ndarray]) -> None:
        self.idf = idf
        self.hashers = _hashers()

    @staticmethod
    def fit_idf(texts: list[str], min_df: int = 2) -> tuple[np.ndarray, np.ndarray]:
        """Smooth IDF per block from ``texts``; features seen in fewer than ``min_df`` are 0."""
        out = []
        n = len(texts)
        for h in _hashers():
            df = np.diff(h.transform(texts).tocsc().indptr)
            out.append(np.where(df >= min_df, np.log((1 + n) / (1 + df)) + 1, 0).astype(np.float32))
        return out[0], out[1]

    def transform(self, texts: list[str]) -> Any:
        """A CSR matrix ``[len(texts), 2 * 2**20]`` (scipy) of :meth:`arrays`."""
        from scipy import sparse

        indptr, indices, data = self.arrays(texts)
        return sparse.csr_matrix((data, indices, indptr), shape=(len(texts), 2 * N_FEATURES))

    def arrays(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(indptr, indices, data)`` of the features as a CSR matrix ``[len(texts), 2 *
        2**20]``, without scipy (importing it cost ~0.1-0.2 s of a cold start): per block,
        ``1 + log(count)`` times the IDF in float32, each row L2-normalised
        (:func:`newsift.hashing.sublinear_rows`: the values of scipy's chain of conversions, to
        the bit); the word block's columns then the character block's (shifted by 2**20) in
        each row."""
        from ..hashing import sublinear_rows

        n = len(texts)
        rows, cols, vals = [], [], []
        for block, (h, idf) in enumerate(zip(self.hashers, self.idf, strict=True)):
            at_rows, at_cols = h.row_columns(texts)
            r, c, v = sublinear_rows(at_rows, at_cols, n, h.n_features, idf)
            rows.append(r * 2 + block)  # a row's word columns first, then its char columns
            cols.append(c + block * N_FEATURES)
            vals.append(v)
        key = np.concatenate(rows)
        order = np.argsort(key, kind="stable")
        indptr = np.zeros(n + 1, dtype=np.int32)
        np.cumsum(np.bincount(key >> 1, minlength=n), out=indptr[1:])
        indices = np.concatenate(cols)[order].astype(np.int32)
        data = np.concatenate(vals)[order].astype(np.float32)
        return indptr, indices, data


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def check_threshold(threshold: Any) -> None:
    """Refuse a threshold setting that is not ``news``, ``debate``, None or a number in [0, 1]."""
    if threshold is None or threshold in ("news", "debate"):
        return
    if (
        isinstance(threshold, bool)
        or not isinstance(threshold, int | float)
        or not (0.0 <= float(threshold) <= 1.0)
    ):
        raise ConfigError(
            f"claims threshold {threshold!r} is not a number in [0, 1], 'news' or 'debate'"
        )


def logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p))


class CheckworthyModel:
    """The trained scorer: ``score(texts)`` gives P(check-worthy); ``classify`` the 3 classes.

    The two regressions are trained on debate sentences, where a quarter are check-worthy; their
    average (the *raw* score) is mapped to a news-calibrated probability by a Platt scaling fitted
    on the news gold's tuning part (``calibration`` in the artifact's config), and a sentence is
    ``check-worthy factual`` when that score reaches ``threshold`` (also chosen on news; see
    ``docs/claims.md``). ``debate_threshold`` is the cut on the same calibrated scale that
    equals the raw 0.5 the regressions were trained for: use it to score debate transcripts as
    the CheckThat! task does. Under the threshold a sentence is ``non-factual`` where the
    3-class regression finds that class likelier than either factual one, else ``unimportant
    factual`` (factual, but not among the ones to check).

    Args:
        model_dir: folder with ``checkworthy.npz`` and ``config.json`` (default: committed).
        mode: ``cascade`` (encoder only where TF-IDF is unsure, default), ``full`` (always both)
            or ``fast`` (TF-IDF only).
        band: ``(low, high)``: in ``cascade`` mode the encoder runs where low < P(TF-IDF) < high
            (raw scale; default: the artifact's ``cascade_band``, or ``debate_cascade_band`` with
            the debate threshold: where the class can flip); narrower is faster.
        threshold: the calibrated score at which a sentence is check-worthy: a number, ``news``
            (default: the config's ``threshold``) or ``debate`` (``debate_threshold``).
    """

    def __init__(
        self,
        model_dir: str | Path | None = None,
        mode: str = "cascade",
        band: tuple[float, float] | None = None,
        threshold: float | str | None = None,
    ) -> None:
        if mode not in MODES:
            raise ConfigError(f"claims mode {mode!r} is unknown; use one of {', '.join(MODES)}")
        self.model_dir = Path(model_dir) if model_dir else MODEL_DIR
        npz, cfg = self.model_dir / "checkworthy.npz", self.model_dir / "config.json"
        if not npz.exists() or not cfg.exists():
            raise ConfigError(
                f"check-worthiness model missing in {self.model_dir}; run `newsift train claims` "
                "or reinstall newsift"
            )
        self.config = json.loads(cfg.read_text(encoding="utf-8"))
        self.mode = mode
        w = np.load(npz)
        from ..cache import cached_arrays

        dense = cached_arrays("checkworthy", [npz], lambda: _dense_weights(w))
        self.featurizer = TfidfFeaturizer((dense["idf_word"], dense["idf_char"]))
        self.coef_bin = dense["coef_bin"]
        self.b_bin = float(w["bin_intercept"][0])
        # (3, 2**21), stored column-major so that ``x @ coef3.T`` reads a contiguous array
        self.coef3 = dense["coef3_t"].T
        self.b3 = w["c3_intercept"].astype(np.float32)
        self.coef_emb = w["emb_coef"].astype(np.float32)
        self.b_emb = float(w["emb_intercept"][0])
        self.figure_bonus = float(self.config.get("figure_bonus", 0.0))
        cal = self.config.get("calibration") or {"a": 1.0, "b": 0.0}
        self.cal_a, self.cal_b = float(cal["a"]), float(cal["b"])
        self.threshold = self._threshold(threshold)
        default_band = self.config.get("cascade_band", (0.2, 0.8))
        if threshold == "debate":  # the decision flips elsewhere: encode around that cut
            default_band = self.config.get("debate_cascade_band", default_band)
        self.band = tuple(band or default_band)
        self._encoder: Any = None

    def _threshold(self, threshold: float | str | None) -> float:
        check_threshold(threshold)
        if threshold is None or threshold == "news":
            return float(self.config["threshold"])
        if threshold == "debate":
            return float(self.config.get("debate_threshold", self.config["threshold"]))
        return float(threshold)

    def calibrate(self, raw: np.ndarray) -> np.ndarray:
        """The raw (debate-trained) score mapped to the news-calibrated one."""
        return sigmoid(self.cal_a * logit(raw) + self.cal_b)

    def _encode(self, texts: list[str]) -> np.ndarray:
        if self._encoder is None:
            from ..embed import get_encoder

            self._encoder = get_encoder()
        return self._encoder.encode(texts)

    def raw(
        self,
        texts: list[str],
        encode: Callable[[list[str]], np.ndarray] | None = None,
        counts: np.ndarray | None = None,
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Raw scores, the TF-IDF model's own P(check-worthy) and the 3-class logits.

        The raw score is the regressions' average, plus ``figure_bonus`` (from the config,
        chosen on news) for a sentence that states a count, amount or share (``counts``: one
        bool per text; default: found with :func:`parse_figures`).
        """
        from ..hashing import csr_dot

        x = self.featurizer.arrays(texts)
        p_tfidf = sigmoid(csr_dot(*x, self.coef_bin) + self.b_bin)
        score = p_tfidf.copy()
        if self.mode != "fast":
            need = (
                np.ones(len(texts), bool)
                if self.mode == "full"
                else ((p_tfidf > self.band[0]) & (p_tfidf < self.band[1]))
            )
            idx = np.flatnonzero(need)
            if len(idx):
                vecs = (encode or self._encode)([texts[i] for i in idx])
                p_emb = sigmoid(vecs @ self.coef_emb + self.b_emb)
                score[idx] = (p_tfidf[idx] + p_emb) / 2
        if self.figure_bonus:
            if counts is None:
                counts = np.array([has_count(parse_figures(t)) for t in texts])
            score = np.clip(score + self.figure_bonus * counts, 1e-3, 1 - 1e-3)
        return score, p_tfidf, csr_dot(*x, self.coef3.T) + self.b3

    def predict(
        self,
        texts: list[str],
        encode: Callable[[list[str]], np.ndarray] | None = None,
        counts: np.ndarray | None = None,
    ) -> tuple[np.ndarray, list[str]]:
        """Scores (calibrated P(check-worthy), in [0, 1]) and classes for ``texts``.

        Page furniture and fragments (:func:`~newsift.stages.claims.furniture_or_fragment`) are
        ``non-factual`` whatever their score; the score is the model's all the same.

        Args:
            texts: the sentences.
            encode: how to get MiniLM vectors (default: the shared encoder); the stage passes
                :func:`newsift.embed.article_vectors` so later stages reuse them.
            counts: whether each text states a count (see :meth:`raw`); the stage passes what
                it parsed anyway.
        """
        if not texts:
            return np.zeros(0, dtype=np.float32), []
        raw, _, logits3 = self.raw(texts, encode, counts)
        score = self.calibrate(raw)
        return score.astype(np.float32), classes_of(texts, score, logits3, self.threshold)

    def score(self, texts: list[str]) -> np.ndarray:
        """P(check-worthy) for each text."""
        return self.predict(texts)[0]


class MultilingualCheckworthy:
    """Check-worthiness in any language: logistic regressions on multilingual-e5 vectors
    (:class:`newsift.embed.MultilingualEncoder`), trained on the English data (ClaimBuster) and
    transferred; ``claims.v1`` scores sentences in other languages with it
    (``models/claims/multilingual.json``, written by ``newsift train claims --part
    multilingual``; metrics there and in ``docs/claims.md``).

    The binary regression's P is mapped to the news scale by a Platt scaling fitted, like the
    English model's, on the English news gold's tuning part; a sentence is check-worthy at
    ``threshold``, chosen on the tuning part of the multilingual news gold. Under it a 3-class
    regression tells ``non-factual`` from ``unimportant factual``.

    A cheap first pass (:class:`~newsift.stages.claims_student.CheckworthyStudent`, hashed
    character n-grams distilled from this head) settles the sentences of the languages it was
    validated on that are clearly not check-worthy, so that e5 reads only the others
    (``first_pass``; figures in ``docs/languages.md``).

    Args:
        model_dir: folder with ``multilingual.json`` (default: committed).
        threshold: the calibrated score at which a sentence is check-worthy (default: the
            artifact's), a number in [0, 1].
        first_pass: use the student where the folder has one (default true).
    """

    FILE = "multilingual.json"

    def __init__(
        self,
        model_dir: str | Path | None = None,
        threshold: float | None = None,
        first_pass: bool = True,
    ) -> None:
        path = Path(model_dir or MODEL_DIR) / self.FILE
        if not path.exists():
            raise ConfigError(
                f"multilingual check-worthiness model {path} is missing; run `newsift train "
                "claims --part multilingual` or reinstall newsift"
            )
        d = json.loads(path.read_text(encoding="utf-8"))
        self.config = d
        self.coef = np.asarray(d["binary"]["coef"], dtype=np.float32)
        self.intercept = float(d["binary"]["intercept"])
        self.coef3 = np.asarray(d["three"]["coef"], dtype=np.float32)
        self.b3 = np.asarray(d["three"]["intercept"], dtype=np.float32)
        self.cal_a, self.cal_b = float(d["calibration"]["a"]), float(d["calibration"]["b"])
        self.threshold = float(d["threshold"] if threshold is None else threshold)
        from .claims_student import CheckworthyStudent

        self.student = CheckworthyStudent.load(path.parent) if first_pass else None

    def predict(
        self,
        texts: list[str],
        encode: Callable[[list[str]], np.ndarray] | None = None,
        langs: list[str] | None = None,
    ) -> tuple[np.ndarray, list[str]]:
        """Scores (calibrated P(check-worthy)) and classes, as :meth:`CheckworthyModel.predict`.

        Args:
            texts: sentences in any language.
            encode: how to get e5 vectors (default: the shared multilingual encoder); the stage
                passes :func:`newsift.embed.article_vectors_multilingual`.
            langs: each text's language (ISO 639-1); where given, the first pass settles the
                clearly not check-worthy sentences of the languages it knows, without e5.
        """
        if not texts:
            return np.zeros(0, dtype=np.float32), []
        z = np.zeros(len(texts), dtype=np.float32)
        logits3 = np.zeros((len(texts), 3), dtype=np.float32)
        settled = np.zeros(len(texts), dtype=bool)
        if langs is not None and self.student is not None:
            settled, first = self.student.first_pass(texts, langs)
            z[settled] = first[settled, 0]
            # the three-class choice under the threshold: non-factual where the student's
            # logit of it is positive, else unimportant factual (classes_of)
            logits3[settled, 0] = first[settled, 1]
        rest = np.flatnonzero(~settled)
        if len(rest):
            if encode is None:
                from ..embed import get_multilingual_encoder

                encode = get_multilingual_encoder().encode
            vecs = encode([texts[i] for i in rest])
            z[rest] = vecs @ self.coef + self.intercept
            logits3[rest] = vecs @ self.coef3.T + self.b3
        raw = sigmoid(z)
        score = sigmoid(self.cal_a * logit(raw) + self.cal_b)
        return score.astype(np.float32), classes_of(texts, score, logits3, self.threshold)


def classes_of(
    texts: list[str], score: np.ndarray, logits3: np.ndarray, threshold: float
) -> list[str]:
    """ClaimBuster's class of each text: ``non-factual`` for page furniture and fragments
    whatever the score, ``check-worthy`` at ``score >= threshold``, else the three-class head's
    choice between ``non-factual`` and ``unimportant`` (both models, English and multilingual)."""
    return [
        NON_FACTUAL
        if furniture_or_fragment(t)
        else CHECK_WORTHY
        if s >= threshold
        else (NON_FACTUAL if lg[0] >= max(lg[1], lg[2]) else UNIMPORTANT)
        for t, s, lg in zip(texts, score, logits3, strict=True)
    ]


def has_count(figures: list[dict[str, Any]]) -> bool:
    """Whether ``figures`` hold a count, amount or share (years and dates alone do not)."""
    return any(f["kind"] in _COUNTS for f in figures)


def _dense_weights(w: Any) -> dict[str, np.ndarray]:
    """The model's dense vectors over the 2 * 2**20 hashed columns, from the sparse pairs of
    ``checkworthy.npz`` (``w``): built once and then memory-mapped from the cache
    (:mod:`newsift.cache`; ~0.1 s of each cold start, and the 45 MB are read only where used)."""
    coef3_t = np.empty((2 * N_FEATURES, 3), dtype=np.float32)
    for k in range(3):
        coef3_t[:, k] = np.concatenate([_dense(w, f"c{k}_word"), _dense(w, f"c{k}_char")])
    return {
        "idf_word": _dense(w, "idf_word"),
        "idf_char": _dense(w, "idf_char"),
        "coef_bin": np.concatenate([_dense(w, "bin_word"), _dense(w, "bin_char")]),
        "coef3_t": coef3_t,
    }


def _dense(w: Any, name: str) -> np.ndarray:
    """Rebuild a dense 2**20 vector from the sparse ``(index, value)`` pairs stored in the npz."""
    out = np.zeros(N_FEATURES, dtype=np.float32)
    out[w["index_" + name.split("_")[-1]]] = w[name].astype(np.float32)
    return out


def title_claim(
    article: Article,
    model: CheckworthyModel,
    keep: int,
    multilingual: MultilingualCheckworthy | None = None,
) -> dict[str, Any] | None:
    """The headline scored as a claim (``part: "title"``), or None when there is no headline or
    it falls below class ``keep``. Scored in a call of its own, so that the body's scores are
    the same with or without a headline (the int8 encoder quantises activations per call). A
    headline not in English is scored by ``multilingual`` where given, as the body's sentences
    in other languages are."""
    from ..embed import article_vectors, article_vectors_multilingual

    text = title_text(article)
    if not text:
        return None
    from ..factchecks.multilingual import sentence_language

    lang = sentence_language(text, article.language)
    counts = np.array([has_count(parse_figures(text, lang=lang))], dtype=bool)
    if multilingual is not None and lang != "en":
        scores, classes = multilingual.predict(
            [text], lambda ts: article_vectors_multilingual(article, ts), langs=[lang]
        )
    else:
        scores, classes = model.predict([text], lambda ts: article_vectors(article, ts), counts)
    cls = classes[0]
    if cls == NON_FACTUAL and counts[0] and not furniture_or_fragment(text):
        cls = UNIMPORTANT
    if CLASSES.index(cls) < keep:
        return None
    return title_claim_record(article, float(scores[0]), cls)


@register_stage("claims.v1")
class CheckworthyClaimsStage(Stage):
    """Scores every sentence for check-worthiness with the trained model; parses its figures.

    Page furniture and fragments (:func:`~newsift.stages.claims.furniture_or_fragment`) are
    ``non-factual`` whatever their score; every claim keeps the model's score.

    Params:
        min_class: the lowest class kept in the layer (default ``unimportant factual``).
        mode: ``cascade`` (default), ``full`` or ``fast``; see :class:`CheckworthyModel`.
        band: the cascade's uncertainty band ``[low, high]`` (default: the artifact's).
        threshold: the score at which a sentence is check-worthy: ``news`` (default, calibrated
            on news), ``debate`` (for debate transcripts) or a number in [0, 1].
        check_first: how many check-worthy claims the ``check_first`` layer lists (default 5).
        model_dir: a folder with another trained artifact.
        multilingual: score sentences in other languages than English with the multilingual
            head (:class:`MultilingualCheckworthy`; default true); false: with the English model
            (which reads English only).
        multilingual_first_pass: let the multilingual head's cheap first pass settle the
            clearly not check-worthy sentences of the languages it knows without e5 (default
            true; false: e5 reads every sentence in another language).
    """

    settings = {
        "min_class": UNIMPORTANT,
        "model_dir": None,
        "mode": "cascade",
        "band": None,
        "threshold": None,
        "check_first": 5,
        "multilingual": True,
        "multilingual_first_pass": True,
    }
    requires = ("sentences",)
    assigns = ("claims", "check_first")
    # English by the English models, ru/uk/de/fr/es/pl by the multilingual-e5 ones (measured on
    # the team's gold sets; docs/claims.md, docs/factchecks.md): the pipeline's language gate
    # (issue 24) runs the stage on these only
    languages = frozenset({"en", "ru", "uk", "de", "fr", "es", "pl"})

    def setup(self) -> None:
        self.keep_ = CLASSES.index(self.setting("min_class"))
        self.model_ = CheckworthyModel(
            self.setting("model_dir"),
            self.setting("mode"),
            self.setting("band"),
            self.setting("threshold"),
        )
        self.multilingual_: MultilingualCheckworthy | None = None  # loaded when first needed

    def check_settings(self) -> None:
        min_class = self.setting("min_class")
        if min_class not in CLASSES:
            raise ConfigError(f"min_class {min_class!r} is unknown; use one of {list(CLASSES)}")
        check_first_size(self.setting("check_first"))
        check_threshold(self.setting("threshold"))

    def predict(self, batch: list[Article]) -> list[list[dict[str, Any]]]:
        # One model call per article: the int8 encoder quantises its activations per call, so
        # scoring articles together would let one article's scores depend on its neighbours.
        return [self._claims(article) for article in batch]

    def _claims(self, article: Article) -> list[dict[str, Any]]:

        from ..factchecks.multilingual import sentence_language

        texts = [article.text[s.start : s.end] for s in article.sentences]
        # each sentence's figures in its own language's number format ("13 000 человек",
        # "1,5 миллиона": the English reading would give 13 and 1.5)
        langs = [sentence_language(t, article.language) for t in texts]
        # told once: factchecks.v1 reads the languages of the claims it matches from here
        article.cache.setdefault("sentence_language", {}).update(zip(texts, langs, strict=True))
        figures_of = [
            parse_figures(t, offset=s.start, lang=lang)
            for t, s, lang in zip(texts, article.sentences, langs, strict=True)
        ]
        counts = np.array([has_count(f) for f in figures_of], dtype=bool)
        scores, classes = self._predict(article, texts, counts, langs)
        claims = []
        for sent, text, score, cls, figures, count, lang in zip(
            article.sentences, texts, scores, classes, figures_of, counts, langs, strict=True
        ):
            if dateline_only(text, lang):
                cls = NON_FACTUAL  # "Москва, 14 марта 2019 года.": a dateline, not a claim
            elif cls == NON_FACTUAL and count and not furniture_or_fragment(text):
                # A sentence that counts something states a fact, whatever its wording: the
                # 3-class model, trained on debate speech, misses plain news statements of figures.
                cls = UNIMPORTANT
            if CLASSES.index(cls) >= self.keep_:
                claims.append(claim_record(article, sent.start, sent.end, score, cls, figures))
        multilingual = None
        if self.setting("multilingual") and title_text(article):
            if sentence_language(title_text(article), article.language) != "en":
                if self.multilingual_ is None:
                    self.multilingual_ = MultilingualCheckworthy(
                        self.setting("model_dir"),
                        first_pass=self.setting("multilingual_first_pass"),
                    )
                multilingual = self.multilingual_
        title = title_claim(article, self.model_, self.keep_, multilingual)
        return [title, *claims] if title else claims

    def _predict(
        self,
        article: Article,
        texts: list[str],
        counts: np.ndarray,
        langs: list[str] | None = None,
    ) -> tuple[np.ndarray, list[str]]:
        """English sentences by the English model, the others by the multilingual head
        (``langs``: each sentence's language, as ``_claims`` told it; default: told here)."""
        from ..embed import article_vectors, article_vectors_multilingual
        from ..factchecks.multilingual import sentence_language

        if langs is None:
            langs = [sentence_language(t, article.language) for t in texts]
        other = (
            [i for i, lang in enumerate(langs) if lang != "en"]
            if self.setting("multilingual")
            else []
        )
        if not other:
            return self.model_.predict(texts, lambda ts: article_vectors(article, ts), counts)
        english = sorted(set(range(len(texts))) - set(other))
        scores = np.zeros(len(texts), dtype=np.float32)
        classes = [NON_FACTUAL] * len(texts)
        if english:
            s_en, c_en = self.model_.predict(
                [texts[i] for i in english],
                lambda ts: article_vectors(article, ts),
                counts[english],
            )
            for j, i in enumerate(english):
                scores[i], classes[i] = s_en[j], c_en[j]
        if self.keep_ > CLASSES.index(NON_FACTUAL):
            # page furniture, fragments and datelines are non-factual whatever their score, and
            # not kept in the layer: e5 (~60 ms a sentence on one core) need not read them
            other = [
                i
                for i in other
                if not (furniture_or_fragment(texts[i]) or dateline_only(texts[i], langs[i]))
            ]
        if not other:
            return scores, classes
        if self.multilingual_ is None:
            self.multilingual_ = MultilingualCheckworthy(
                self.setting("model_dir"), first_pass=self.setting("multilingual_first_pass")
            )
        s_ml, c_ml = self.multilingual_.predict(
            [texts[i] for i in other],
            lambda ts: article_vectors_multilingual(article, ts),
            [langs[i] for i in other],
        )
        for j, i in enumerate(other):
            scores[i], classes[i] = s_ml[j], c_ml[j]
        return scores, classes

    def annotate(self, batch: list[Article], predictions: list[list[dict[str, Any]]]) -> None:
        for article, claims in zip(batch, predictions, strict=True):
            article.layers["claims"] = claims
            article.layers["check_first"] = check_first(
                article, claims, self.setting("check_first")
            )
