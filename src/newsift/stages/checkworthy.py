"""Check-worthy claims, ``claims.v1``: a trained sentence scorer that replaces ``claims.v0``.

Two linear models, trained in-project on ClaimBuster (``newsift train claims``), are averaged:

- hashed TF-IDF of word 1-2-grams and character 2-5-grams (each block L2-normalised) with a
  logistic regression: cheap (~3,000 sentences/s), and
- mean-pooled all-MiniLM-L6-v2 embeddings (``newsift.embed``) with a logistic regression.

By default the encoder only runs on sentences the TF-IDF model is unsure about (a cascade), which
halves its cost at the same F1 on CheckThat! 2024 dev-test (see ``models/claims/MODEL_CARD.md``).
Sentences under the check-worthy threshold are split into ``unimportant factual`` and
``non-factual`` by a 3-class TF-IDF model. The layer and keys are those of ``claims.v0``::

    claims: [{start, end, text, score, class, figures, attribution, matches}]
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
from .claims import claim_record
from .figures import parse_figures

CLASSES = ("non-factual", "unimportant factual", "check-worthy factual")
NON_FACTUAL, UNIMPORTANT, CHECK_WORTHY = CLASSES
# Figure kinds that make a sentence factual (years and dates alone do not).
_COUNTS = frozenset({"number", "quantity", "money", "percent"})
MODEL_DIR = Path(__file__).resolve().parents[1] / "models" / "claims"
N_FEATURES = 2**20
MODES = ("cascade", "full", "fast")


def _hashers() -> tuple[Any, Any]:
    from sklearn.feature_extraction.text import HashingVectorizer

    word = HashingVectorizer(
        ngram_range=(1, 2), n_features=N_FEATURES, alternate_sign=False, norm=None
    )
    char = HashingVectorizer(
        analyzer="char_wb", ngram_range=(2, 5), n_features=N_FEATURES, alternate_sign=False,
        norm=None,
    )
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
        """A CSR matrix ``[len(texts), 2 * 2**20]``."""
        from scipy import sparse
        from sklearn.preprocessing import normalize

        blocks = []
        for h, idf in zip(self.hashers, self.idf, strict=True):
            m = h.transform(texts).tocsr().astype(np.float32)
            m.data = 1 + np.log(m.data)
            blocks.append(normalize(m.multiply(idf).tocsr()))
        return sparse.hstack(blocks).tocsr()


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


class CheckworthyModel:
    """The trained scorer: ``score(texts)`` gives P(check-worthy); ``classify`` the 3 classes.

    Args:
        model_dir: folder with ``checkworthy.npz`` and ``config.json`` (default: committed).
        mode: ``cascade`` (encoder only where TF-IDF is unsure, default), ``full`` (always both)
            or ``fast`` (TF-IDF only).
        band: ``(low, high)``: in ``cascade`` mode the encoder runs where low < P(TF-IDF) < high
            (default: ``cascade_band`` of the artifact's config, 0.2-0.8); narrower is faster.
    """

    def __init__(self, model_dir: str | Path | None = None, mode: str = "cascade",
                 band: tuple[float, float] | None = None) -> None:
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
        self.featurizer = TfidfFeaturizer((_dense(w, "idf_word"), _dense(w, "idf_char")))
        self.coef_bin = np.concatenate([_dense(w, "bin_word"), _dense(w, "bin_char")])
        self.b_bin = float(w["bin_intercept"][0])
        self.coef3 = np.stack(
            [np.concatenate([_dense(w, f"c{k}_word"), _dense(w, f"c{k}_char")]) for k in range(3)]
        )
        self.b3 = w["c3_intercept"].astype(np.float32)
        self.coef_emb = w["emb_coef"].astype(np.float32)
        self.b_emb = float(w["emb_intercept"][0])
        self.threshold = float(self.config["threshold"])
        self.band = tuple(band or self.config.get("cascade_band", (0.2, 0.8)))
        self._encoder: Any = None

    def _encode(self, texts: list[str]) -> np.ndarray:
        if self._encoder is None:
            from ..embed import get_encoder

            self._encoder = get_encoder()
        return self._encoder.encode(texts)

    def predict(
        self, texts: list[str], encode: Callable[[list[str]], np.ndarray] | None = None
    ) -> tuple[np.ndarray, list[str]]:
        """Scores (P(check-worthy), in [0, 1]) and classes for ``texts``.

        Args:
            texts: the sentences.
            encode: how to get MiniLM vectors (default: the shared encoder); the stage passes
                :func:`newsift.embed.article_vectors` so later stages reuse them.
        """
        if not texts:
            return np.zeros(0, dtype=np.float32), []
        x = self.featurizer.transform(texts)
        p_tfidf = sigmoid(x @ self.coef_bin + self.b_bin)
        score = p_tfidf.copy()
        if self.mode != "fast":
            need = np.ones(len(texts), bool) if self.mode == "full" else (
                (p_tfidf > self.band[0]) & (p_tfidf < self.band[1])
            )
            idx = np.flatnonzero(need)
            if len(idx):
                vecs = (encode or self._encode)([texts[i] for i in idx])
                p_emb = sigmoid(vecs @ self.coef_emb + self.b_emb)
                score[idx] = (p_tfidf[idx] + p_emb) / 2
        logits3 = x @ self.coef3.T + self.b3
        classes = [
            CHECK_WORTHY if s >= self.threshold else (UNIMPORTANT if lg[1] > lg[0] else NON_FACTUAL)
            for s, lg in zip(score, logits3, strict=True)
        ]
        return score.astype(np.float32), classes

    def score(self, texts: list[str]) -> np.ndarray:
        """P(check-worthy) for each text."""
        return self.predict(texts)[0]


def _dense(w: Any, name: str) -> np.ndarray:
    """Rebuild a dense 2**20 vector from the sparse ``(index, value)`` pairs stored in the npz."""
    out = np.zeros(N_FEATURES, dtype=np.float32)
    out[w["index_" + name.split("_")[-1]]] = w[name].astype(np.float32)
    return out


@register_stage("claims.v1")
class CheckworthyClaimsStage(Stage):
    """Scores every sentence for check-worthiness with the trained model; parses its figures.

    Params:
        min_class: the lowest class kept in the layer (default ``unimportant factual``).
        mode: ``cascade`` (default), ``full`` or ``fast``; see :class:`CheckworthyModel`.
        band: the cascade's uncertainty band ``[low, high]`` (default 0.2-0.8).
        model_dir: a folder with another trained artifact.
    """

    settings = ("min_class", "model_dir", "mode", "band")
    requires = ("sentences",)
    assigns = ("claims",)

    def setup(self) -> None:
        min_class = self.params.get("min_class", UNIMPORTANT)
        if min_class not in CLASSES:
            raise ConfigError(f"min_class {min_class!r} is unknown; use one of {list(CLASSES)}")
        self.keep_ = CLASSES.index(min_class)
        self.model_ = CheckworthyModel(self.params.get("model_dir"),
                                       self.params.get("mode", "cascade"), self.params.get("band"))

    def predict(self, batch: list[Article]) -> list[list[dict[str, Any]]]:
        # One model call per article: the int8 encoder quantises its activations per call, so
        # scoring articles together would let one article's scores depend on its neighbours.
        return [self._claims(article) for article in batch]

    def _claims(self, article: Article) -> list[dict[str, Any]]:
        from ..embed import article_vectors

        texts = [article.text[s.start : s.end] for s in article.sentences]
        scores, classes = self.model_.predict(texts, lambda ts: article_vectors(article, ts))
        claims = []
        for sent, text, score, cls in zip(article.sentences, texts, scores, classes, strict=True):
            figures = parse_figures(text, offset=sent.start)
            if cls == NON_FACTUAL and any(f["kind"] in _COUNTS for f in figures):
                # A sentence that counts something states a fact, whatever its wording: the
                # 3-class model, trained on debate speech, misses plain news statements of figures.
                cls = UNIMPORTANT
            if CLASSES.index(cls) >= self.keep_:
                claims.append(claim_record(article, sent.start, sent.end, score, cls, figures))
        return claims

    def annotate(self, batch: list[Article], predictions: list[list[dict[str, Any]]]) -> None:
        for article, claims in zip(batch, predictions, strict=True):
            article.layers["claims"] = claims
