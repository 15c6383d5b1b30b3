"""Named stages in order, run over one article or a batch.

A stage is a small class registered under a versioned name (``"attribution.v1"``). Its
constructor only stores parameters; :meth:`Stage.setup` loads models; :meth:`Stage.predict` is
pure and :meth:`Stage.annotate` writes the stage's own layers. ``requires``/``assigns`` are checked
when the pipeline is built, so a pipeline that cannot work fails before it reads an article.

To change behaviour, register ``claims.v2`` beside ``claims.v1``; a pipeline is rebuilt from its
config (:meth:`Pipeline.config` / :meth:`Pipeline.from_config`).
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable, Iterable, Iterator
from typing import Any, ClassVar

from .article import Article
from .errors import ConfigError, NewsiftError

_REGISTRY: dict[str, type[Stage]] = {}

# Modules that register the built-in stages; imported lazily so that importing newsift stays cheap.
_BUILTIN_MODULES = (
    "newsift.stages.nlp",
    "newsift.stages.attribution",
    "newsift.stages.claims",
    "newsift.stages.checkworthy",
    "newsift.stages.sourcing",
    "newsift.stages.headline",
    "newsift.stages.outlet",
    "newsift.stages.persuasion",
    "newsift.stages.factchecks",
)

# Layers set by extraction, before any stage runs.
BASE_LAYERS = frozenset({"text", "title", "author", "date", "url"})

DEFAULT_STAGES = (
    "nlp.v1",
    "outlet.v1",
    "attribution.v1",
    "claims.v1",
    "factchecks.v1",
    "persuasion.v1",
    "sourcing.v1",
    "headline.v1",
)


def register_stage(name: str) -> Callable[[type[Stage]], type[Stage]]:
    """Class decorator: make a stage available by ``name`` (e.g. ``"claims.v1"``)."""

    def deco(cls: type[Stage]) -> type[Stage]:
        if name in _REGISTRY and _REGISTRY[name] is not cls:
            raise ConfigError(f"stage {name!r} is registered twice")
        cls.name = name
        _REGISTRY[name] = cls
        return cls

    return deco


def _load_builtins() -> None:
    for mod in _BUILTIN_MODULES:
        try:
            importlib.import_module(mod)
        except ModuleNotFoundError as err:
            # A built-in stage module that is not there yet (or lacks an optional dependency)
            # just isn't offered; asking for it by name then gives a clear ConfigError.
            if err.name != mod and not (err.name or "").startswith("newsift"):
                raise


def available_stages() -> list[str]:
    _load_builtins()
    return sorted(_REGISTRY)


def get_stage(name: str) -> type[Stage]:
    if name not in _REGISTRY:
        _load_builtins()
    try:
        return _REGISTRY[name]
    except KeyError:
        known = ", ".join(sorted(_REGISTRY)) or "none"
        raise ConfigError(f"unknown stage {name!r}; known stages: {known}") from None


class Stage:
    """Base class of every stage.

    Subclasses set ``requires`` (layers they read) and ``assigns`` (layers they write), declare
    their settings with their defaults in ``settings`` (read with :meth:`setting`), check them in
    :meth:`check_settings` and load models in :meth:`setup`. Stages do not override
    ``__init__``: ``settings`` is the one place a stage's settings are declared.
    """

    name: ClassVar[str] = ""
    requires: ClassVar[tuple[str, ...]] = ()
    assigns: ClassVar[tuple[str, ...]] = ()

    #: the settings the stage takes, each with its default (``None``: the stage decides)
    settings: ClassVar[dict[str, Any]] = {}

    #: the languages (ISO 639-1 codes) the stage's results hold for; ``None``: any language.
    #: English only unless a stage declares more, so that no stage built on English runs
    #: silently on another language: an article in a language not listed gets the problem
    #: ``<stage>/language_not_supported`` instead of results (see :meth:`language_gate`).
    languages: ClassVar[frozenset[str] | None] = frozenset({"en"})

    def __init__(self, **params: Any) -> None:
        unknown = sorted(k for k in params if k not in self.settings)
        if unknown:
            takes = ", ".join(sorted(self.settings)) or "none"
            raise ConfigError(
                f"{self.name or type(self).__name__} does not take the setting(s) "
                f"{', '.join(unknown)}; it takes: {takes}"
            )
        #: the settings given (defaults are not copied in, so configs name only what was set)
        self.params = params
        self._ready = False
        self.check_settings()

    @classmethod
    def accepted_settings(cls) -> tuple[str, ...]:
        """The setting names a pipeline may pass (the keys of :attr:`settings`)."""
        return tuple(cls.settings)

    def setting(self, key: str) -> Any:
        """The value of setting ``key``: as given, else its declared default."""
        if key not in self.settings:
            raise KeyError(f"{self.name}: {key!r} is not a declared setting of this stage")
        return self.params.get(key, self.settings[key])

    def check_settings(self) -> None:
        """Refuse bad setting values early (a :class:`ConfigError`), before any model loads."""

    def setup(self) -> None:
        """Load models and resources; called once before the first article."""

    def ensure_setup(self) -> None:
        if not self._ready:
            self.setup()
            self._ready = True

    def predict(self, batch: list[Article]) -> list[Any]:
        """Compute predictions for a batch, without changing the articles."""
        raise NotImplementedError

    def annotate(self, batch: list[Article], predictions: list[Any]) -> None:
        """Write predictions into the articles' own layers."""
        raise NotImplementedError

    def __call__(self, article: Article) -> Article:
        self.pipe_batch([article])
        return article

    @classmethod
    def supports(cls, language: str | None) -> bool:
        """True when the stage runs on an article in ``language`` (None: too short to tell)."""
        from .lang import normalize

        return cls.languages is None or language is None or normalize(language) in cls.languages

    def language_gate(self, batch: list[Article]) -> list[Article]:
        """The articles of ``batch`` the stage runs on; the others get a problem.

        An article is left out when its language is not one the stage declares
        (:attr:`languages`; identified here when no earlier stage did), or when a layer the stage
        requires was not written for it because its own stage left the article out. Left-out
        articles get ``language_not_supported`` and none of the stage's layers, never results
        of a model that does not read their language.
        """
        if self.languages is None and not self.requires:
            return batch
        from .lang import language_name

        run = []
        for article in batch:
            skipped: dict[str, str] = article.cache.setdefault("not_run", {})
            if article.language is None and self.languages is not None:
                from .lang import identify

                article.language = identify(article.text)[0]
            missing = [r for r in self.requires if r in skipped]
            if self.supports(article.language) and not missing:
                run.append(article)
                continue
            lang = f"{language_name(article.language)} ({article.language!r})"
            if missing:
                why = (
                    f"it reads {missing[0]}, which {skipped[missing[0]]} does not write for "
                    f"articles in {lang}"
                )
            else:
                names = ", ".join(language_name(c) for c in sorted(self.languages or ()))
                why = f"it reads {names} only and the article is in {lang}"
            if not any(
                p.stage == self.name and p.code == "language_not_supported"
                for p in article.problems
            ):  # once, also when a failed batch is run again one article at a time
                article.add_problem(
                    self.name, "language_not_supported", f"{self.name} was not run: {why}"
                )
            for layer in self.assigns:
                skipped.setdefault(layer, self.name)
        return run

    def pipe_batch(self, batch: list[Article]) -> None:
        self.ensure_setup()
        run = self.language_gate(batch)
        if run:
            self.annotate(run, self.predict(run))

    def config(self) -> dict[str, Any]:
        return {"name": self.name, **self.params}


StageSpec = str | dict[str, Any]


def spec_name(spec: StageSpec) -> str:
    """The stage name of a spec (a name, or a ``{"name": ..., **params}`` dict)."""
    return spec if isinstance(spec, str) else str(spec["name"])


def spec_label(spec: StageSpec) -> str:
    """A spec as one short string: ``persuasion.v1`` or ``persuasion.v1(gate=0.1,model=student)``."""
    if isinstance(spec, str):
        return spec
    params = {k: v for k, v in spec.items() if k != "name"}
    if not params:
        return spec_name(spec)
    inner = ",".join(
        f"{k}={json.dumps(v) if not isinstance(v, str) else v}" for k, v in sorted(params.items())
    )
    return f"{spec_name(spec)}({inner})"


def _setting_value(raw: str) -> Any:
    """``0.1`` -> 0.1, ``true`` -> True, ``null`` -> None, anything else the string itself."""
    try:
        return json.loads(raw)
    except ValueError:
        return raw


def with_settings(stages: Iterable[StageSpec], settings: Iterable[str]) -> list[StageSpec]:
    """Apply ``STAGE.KEY=VALUE`` settings (``persuasion.model=student``) to a list of stages.

    ``STAGE`` is a stage's full name (``persuasion.v1``) or its name without the version
    (``persuasion``); ``VALUE`` is read as JSON where it parses (numbers, ``true``, ``null``) and
    as a string otherwise. A setting for a stage that is not in the list, or one that is not of
    the form ``STAGE.KEY=VALUE``, is a :class:`ConfigError` naming it. When the pipeline is built
    it refuses keys the stage does not take (:meth:`Stage.accepted_settings`), and the stage's
    constructor checks the values.
    """
    given = list(stages)
    specs: list[dict[str, Any]] = [{"name": s} if isinstance(s, str) else dict(s) for s in given]
    touched: set[int] = set()
    for item in settings:
        target, eq, raw = item.partition("=")
        stage, dot, key = target.rpartition(".")
        if not eq or not dot or not stage or not key:
            raise ConfigError(
                f"stage setting {item!r} is not STAGE.KEY=VALUE (e.g. persuasion.model=student)"
            )
        hits = [
            i
            for i, sp in enumerate(specs)
            if sp["name"] == stage or sp["name"].rsplit(".v", 1)[0] == stage
        ]
        if not hits:
            names = ", ".join(sp["name"] for sp in specs) or "none"
            raise ConfigError(
                f"stage setting {item!r}: no stage {stage!r} in the pipeline (stages: {names})"
            )
        for i in hits:
            if key == "name":
                raise ConfigError(f"stage setting {item!r}: a stage's name cannot be set")
            specs[i][key] = _setting_value(raw)
            touched.add(i)
    return [sp if i in touched else given[i] for i, sp in enumerate(specs)]


def stages_from_cli(stages: str | None, settings: Iterable[str] = ()) -> list[StageSpec] | None:
    """The stage list of a ``--stages a,b`` option with its ``--set STAGE.KEY=VALUE`` settings:
    None (the default pipeline) when neither is given; settings alone apply to the default
    stages."""
    names: list[StageSpec] | None = (
        [s.strip() for s in stages.split(",") if s.strip()] if stages else None
    )
    if settings:
        names = with_settings(names or DEFAULT_STAGES, settings)
    return names


class Pipeline:
    """Named stages in order.

    Args:
        stages: stage names (``"attribution.v1"``) or ``{"name": ..., **params}`` dicts.
    """

    def __init__(self, stages: Iterable[str | dict[str, Any]] = DEFAULT_STAGES) -> None:
        self.stages: list[Stage] = []
        for spec in stages:
            if isinstance(spec, str):
                name, params = spec, {}
            else:
                params = dict(spec)
                name = params.pop("name")
            cls = get_stage(name)
            known = cls.accepted_settings()
            unknown = sorted(k for k in params if k not in known)
            if unknown:
                raise ConfigError(
                    f"stage {name!r} does not take the setting(s) {', '.join(unknown)}; "
                    f"it takes: {', '.join(known) or 'none'}"
                )
            self.stages.append(cls(**params))
        self._check()

    def _check(self) -> None:
        have = set(BASE_LAYERS)
        for stage in self.stages:
            missing = [r for r in stage.requires if r not in have]
            if missing:
                raise ConfigError(
                    f"stage {stage.name!r} requires {missing}, which no earlier stage assigns; "
                    "put a stage that assigns them before it"
                )
            have.update(stage.assigns)

    @property
    def names(self) -> list[str]:
        return [s.name for s in self.stages]

    def config(self) -> list[dict[str, Any]]:
        return [s.config() for s in self.stages]

    @classmethod
    def from_config(cls, config: list[dict[str, Any]]) -> Pipeline:
        return cls(config)

    def setup(self) -> None:
        for stage in self.stages:
            stage.ensure_setup()

    def __call__(self, article: Article) -> Article:
        return next(iter(self.pipe([article])))

    def pipe(self, articles: Iterable[Article], batch_size: int = 16) -> Iterator[Article]:
        """Annotate articles in batches; a stage that fails on a batch falls back to one article
        at a time, and an article that still fails carries a Problem instead of being lost."""
        batch: list[Article] = []
        for article in articles:
            batch.append(article)
            if len(batch) >= batch_size:
                yield from self._run_batch(batch)
                batch = []
        if batch:
            yield from self._run_batch(batch)

    def _run_batch(self, batch: list[Article]) -> list[Article]:
        for stage in self.stages:
            stage.ensure_setup()
            try:
                stage.pipe_batch(batch)
            except Exception:  # noqa: BLE001 - retried per article to isolate the bad one
                for article in batch:
                    self._run_one(stage, article)
        return batch

    @staticmethod
    def _run_one(stage: Stage, article: Article) -> None:
        try:
            stage.pipe_batch([article])
        except NewsiftError as err:
            article.add_problem(stage.name, err.code, err.message)
        except Exception as err:  # noqa: BLE001 - a batch never loses an article
            article.add_problem(
                stage.name, "stage_crashed", f"{type(err).__name__}: {err} (run with --debug)"
            )
