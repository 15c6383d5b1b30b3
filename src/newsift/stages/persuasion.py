"""``persuasion.v1``: where an article persuades instead of informs (SemEval-2020 Task 11 labels).

Writes the span layer ``article.spans["persuasion"]``: one :class:`~newsift.article.Span` per
technique span, ``label`` the technique (see :data:`newsift.persuasion.TECHNIQUES`), ``score`` the
tagger's confidence, ``attrs["technique_score"]`` the technique classifier's probability and,
when attributions were computed first, ``attrs["voice"]`` whose voice the span is in
(:mod:`newsift.stages.voice`). The headline is read too, on its own: its spans go to the layer
``title_persuasion`` (the same rows plus ``part: "title"`` and ``text``; offsets into
``article.title``), since every span layer points into ``article.text``.

Three models, by name (``model``; see ``src/newsift/models/persuasion/MODEL_CARD.md``):
``tagger`` (default: all-MiniLM-L6-v2 fine-tuned as a token classifier, ONNX int8), ``student``
(the tagger distilled into 3 layers: about half its encoder time, for corpus runs) and
``lexical`` (hashed
lexical features and linear models, numpy only: the fastest). Texts of any length are read in
sentence-aligned chunks. Empty and non-English texts get a :class:`~newsift.article.Problem` and
no spans.
"""

from __future__ import annotations

from typing import Any

from ..article import Article, Span
from ..errors import ConfigError
from ..lang import looks_english
from ..pipeline import Stage, register_stage
from .voice import TITLE, title_text, title_voice, voice_of

NAME = "persuasion.v1"
DEFAULT_MODEL = "tagger"


@register_stage(NAME)
class PersuasionStage(Stage):
    """Find persuasion-technique spans.

    Args:
        model: ``"tagger"``, ``"student"`` or ``"lexical"`` (see above).
        model_path: the model folder; the packaged models by default.
        min_score: drop spans whose tagger score is below this (default: keep all).
        threads: onnxruntime threads for the encoder (default: onnxruntime's choice).
        gate: tagger and student only: the encoder reads only the sentences whose lexical sentence score is at
            least this (0: every sentence, the default). 0.1 reads ~70% of the words of a news
            article for ~1.6x the speed (docs/RESULTS.md has what it costs).
    """

    # Not ("sentences",): the models cut sentences as they were trained to (a regex, every
    # newline); read with nlp.v1's sentences, untrained, SI falls by 0.010-0.017 (docs/persuasion.md,
    # "Sentences": the measurement and the retraining that would let this stage share them).
    requires = ()
    assigns = ("persuasion", "title_persuasion")
    settings = {
        "model": DEFAULT_MODEL,
        "model_path": None,
        "min_score": 0.0,
        "threads": None,
        "gate": None,
    }

    def check_settings(self) -> None:
        from ..persuasion import GATED_KINDS, KINDS

        model = self.setting("model")
        if model not in KINDS:
            raise ConfigError(f"{NAME}: unknown model {model!r}; choose one of {', '.join(KINDS)}")
        gate = self.setting("gate")
        if gate is not None:
            if model not in GATED_KINDS:
                raise ConfigError(
                    f"{NAME}: gate applies to the tagger and student models only, not {model!r}"
                )
            from ..persuasion.tagger import check_gate

            gate = check_gate(gate)
        self.gate = gate
        self.model = model
        self.model_path = self.setting("model_path")
        self.min_score = float(self.setting("min_score"))
        self.threads = self.setting("threads")
        self.model_: Any = None

    def setup(self) -> None:
        from ..persuasion import load

        try:
            self.model_ = load(self.model, self.model_path, threads=self.threads)
            if self.gate is not None:
                self.model_.set_gate(self.gate)
        except (OSError, KeyError, ValueError) as err:
            where = self.model_path or "the packaged model"
            raise ConfigError(
                f"{NAME}: cannot load the {self.model} persuasion model from {where} ({err}); "
                "reinstall newsift or retrain with `newsift train persuasion`"
            ) from err

    def predict(self, batch: list[Article]) -> list[Any]:
        return [self._predict_one(a) for a in batch]

    def _predict_one(
        self, article: Article
    ) -> tuple[list[Span], list[dict[str, Any]], list[tuple[str, str]]]:
        text = article.text or ""
        if not text.strip():
            return (
                [],
                [],
                [("empty_text", "the article has no text to read for persuasion techniques")],
            )
        lang = (article.language or "").lower()
        if (lang and not lang.startswith("en")) or (not lang and not looks_english(text)):
            said = f"language {lang!r}" if lang else "the text does not look English"
            return (
                [],
                [],
                [
                    (
                        "not_english",
                        f"persuasion techniques were not read: {said}; the model is trained on "
                        "English news only",
                    )
                ],
            )
        spans = []
        for p in self.model_.predict(text):
            if p.score < self.min_score:
                continue
            attrs: dict[str, Any] = {"technique_score": round(p.technique_score, 4)}
            voice = voice_of(article, p.start, p.end)
            if voice is not None:
                attrs["voice"] = voice
            spans.append(
                Span(
                    p.start,
                    p.end,
                    label=p.technique,
                    score=round(float(p.score), 4),
                    stage=NAME,
                    attrs=attrs,
                )
            )
        return spans, self._title_rows(article), []

    def _title_rows(self, article: Article) -> list[dict[str, Any]]:
        """The headline's technique spans (``title_persuasion``): the rows of the span layer
        plus ``part: "title"`` and ``text``, offsets into ``article.title``. Read in a call of
        its own, so the body's spans are the same with or without a headline."""
        title = title_text(article)
        if not title.strip():
            return []
        rows = []
        for p in self.model_.predict(title):
            if p.score < self.min_score:
                continue
            row = Span(
                p.start,
                p.end,
                label=p.technique,
                score=round(float(p.score), 4),
                stage=NAME,
                attrs={
                    "technique_score": round(p.technique_score, 4),
                    "voice": title_voice(title, p.start, p.end),
                },
            ).to_dict()
            rows.append(
                {"part": TITLE, **row, "technique": p.technique, "text": title[p.start : p.end]}
            )
        return rows

    def annotate(self, batch: list[Article], predictions: list[Any]) -> None:
        for article, (spans, title_rows, problems) in zip(batch, predictions, strict=True):
            article.spans["persuasion"] = spans
            article.layers["title_persuasion"] = title_rows
            for code, message in problems:
                article.add_problem(NAME, code, message)
