"""The one data model: an :class:`Article` that every stage annotates.

Like spaCy's ``Doc``, one object flows through every stage. ``article.text`` is the clean body and
every offset in every layer points into it. Stages write only their own layers:

- ``article.spans[layer]``: flat span layers (``sentences``, ``entities``, ``persuasion``...), each a
  list of :class:`Span` with character offsets.
- ``article.layers[name]``: structured, JSON-able records (``attributions``, ``claims``,
  ``sourcing``, ``headline``...), written as plain dicts/lists so the article round-trips through
  JSON, DuckDB, Spark and the REST API unchanged.
- ``article.problems``: what went wrong, as :class:`Problem` records; an article is never ``None``.

``Article.from_dict(a.to_dict()) == a`` holds, and ``to_dict()`` is the versioned JSON contract
documented in ``docs/schema.md``.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Any

SCHEMA_VERSION = "1.5"
# Span layers whose JSON rows also carry their label under a domain name (label stays too).
SPAN_LABEL_NAMES = {"persuasion": "technique", "entities": "type"}

# Keys of to_dict() that are not layers; a layer must not take one of these names.
_META_KEYS = (
    "schema_version",
    "id",
    "title",
    "author",
    "date",
    "url",
    "outlet",
    "language",
    "text",
    "source",
    "problems",
)


@dataclass(frozen=True)
class Span:
    """A labelled character range of ``article.text``.

    Args:
        start: offset of the first character (inclusive).
        end: offset after the last character (exclusive).
        label: what the span is (``"sentence"``, ``"PERSON"``, ``"Loaded_Language"``...).
        score: the stage's confidence in [0, 1], or None where it has none.
        stage: the versioned name of the stage that wrote it.
        attrs: extra JSON-able attributes.
    """

    start: int
    end: int
    label: str = ""
    score: float | None = None
    stage: str = ""
    attrs: dict[str, Any] = field(default_factory=dict, compare=True, hash=False)

    def text_of(self, text: str) -> str:
        return text[self.start : self.end]

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"start": self.start, "end": self.end}
        if self.label:
            d["label"] = self.label
        if self.score is not None:
            d["score"] = round(float(self.score), 4)
        if self.stage:
            d["stage"] = self.stage
        if self.attrs:
            d["attrs"] = self.attrs
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Span:
        return cls(
            start=int(d["start"]),
            end=int(d["end"]),
            label=d.get("label", ""),
            score=d.get("score"),
            stage=d.get("stage", ""),
            attrs=dict(d.get("attrs", {})),
        )


@dataclass(frozen=True)
class Problem:
    """Something that went wrong while reading or analysing one article.

    ``code`` is stable (tests and batch summaries count by it); ``message`` is for people.
    """

    stage: str
    code: str
    message: str

    def to_dict(self) -> dict[str, str]:
        return {"stage": self.stage, "code": self.code, "message": self.message}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Problem:
        return cls(stage=d["stage"], code=d["code"], message=d["message"])


@dataclass
class OffsetMap:
    """Maps offsets in the clean text back to offsets in the input it came from.

    Stored as aligned segments: clean ``[c, c+n)`` came from source ``[s, s+n)``. Text that the
    extractor produced itself (joined paragraphs) maps to the nearest segment start.
    """

    segments: list[tuple[int, int, int]] = field(default_factory=list)  # (clean, source, length)

    def add(self, clean_start: int, source_start: int, length: int) -> None:
        if length > 0:
            self.segments.append((clean_start, source_start, length))

    def to_source(self, offset: int) -> int | None:
        """The input offset of clean-text ``offset``, or None when it has no source position."""
        if not self.segments:
            return None
        starts = [seg[0] for seg in self.segments]
        i = bisect.bisect_right(starts, offset) - 1
        if i < 0:
            return None
        clean, source, length = self.segments[i]
        if offset <= clean + length:
            return source + (offset - clean)
        return None

    def to_list(self) -> list[list[int]]:
        return [list(s) for s in self.segments]

    @classmethod
    def from_list(cls, rows: list[list[int]]) -> OffsetMap:
        return cls([(int(a), int(b), int(c)) for a, b, c in rows])


@dataclass
class Article:
    """One article, from extraction to every stage's annotations.

    Args:
        text: the clean body; all offsets point into it.
        title, author, date, url: metadata (``date`` is ISO 8601 or None).
        outlet: ``{"domain", "rating", "rating_source", ...}`` filled by the outlet stage.
        id: a stable identifier (set by the corpus store; a content hash otherwise).
        source: where the article came from: ``{"kind": "file"|"url"|"stdin"|..., "name": ...,
            "format": "html"|"text", "encoding": ...}``.
        offsets: clean-text to input offset map.
    """

    text: str
    title: str | None = None
    author: str | None = None
    date: str | None = None
    url: str | None = None
    outlet: dict[str, Any] = field(default_factory=dict)
    language: str | None = None
    id: str | None = None
    source: dict[str, Any] = field(default_factory=dict)
    offsets: OffsetMap = field(default_factory=OffsetMap)
    spans: dict[str, list[Span]] = field(default_factory=dict)
    layers: dict[str, Any] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    # Transient, per-process data stages share (parsed spaCy docs); never serialised or compared.
    cache: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    # -- convenience -------------------------------------------------------------------------
    def add_problem(self, stage: str, code: str, message: str) -> None:
        self.problems.append(Problem(stage, code, message))

    def span_text(self, span: Span | dict[str, Any]) -> str:
        if isinstance(span, Span):
            return self.text[span.start : span.end]
        return self.text[span["start"] : span["end"]]

    def ref(self, start: int, end: int) -> dict[str, Any]:
        """A ``{text, start, end}`` reference, the shape the JSON contract uses for evidence."""
        return {"text": self.text[start:end], "start": start, "end": end}

    @property
    def sentences(self) -> list[Span]:
        return self.spans.get("sentences", [])

    # -- serialisation -----------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """The versioned JSON contract (docs/schema.md)."""
        d: dict[str, Any] = {
            "schema_version": SCHEMA_VERSION,
            "id": self.id,
            "title": self.title,
            "author": self.author,
            "date": self.date,
            "url": self.url,
            "outlet": self.outlet,
            "language": self.language,
            "text": self.text,
            "source": self.source,
        }
        for name, spans in self.spans.items():
            if name in _META_KEYS or name in self.layers:
                raise ValueError(f"span layer {name!r} collides with another key")
            rows = [s.to_dict() for s in spans]
            alias = SPAN_LABEL_NAMES.get(name)
            if alias:
                for row in rows:
                    row[alias] = row.get("label", "")
            d[name] = rows
        for name, value in self.layers.items():
            if name in _META_KEYS:
                raise ValueError(f"layer {name!r} collides with a metadata key")
            d[name] = value
        d["problems"] = [p.to_dict() for p in self.problems]
        d["offset_map"] = self.offsets.to_list()
        d["span_layers"] = sorted(self.spans)
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Article:
        """Rebuild an article from :meth:`to_dict` output."""
        version = str(d.get("schema_version", SCHEMA_VERSION))
        if version.split(".")[0] != SCHEMA_VERSION.split(".")[0]:
            raise ValueError(
                f"article JSON has schema_version {version}; this newsift reads {SCHEMA_VERSION}"
            )
        span_names = set(d.get("span_layers", []))
        fixed = set(_META_KEYS) | {"offset_map", "span_layers"}
        spans = {name: [Span.from_dict(s) for s in d[name]] for name in span_names if name in d}
        layers = {k: v for k, v in d.items() if k not in fixed and k not in span_names}
        return cls(
            text=d["text"],
            title=d.get("title"),
            author=d.get("author"),
            date=d.get("date"),
            url=d.get("url"),
            outlet=dict(d.get("outlet") or {}),
            language=d.get("language"),
            id=d.get("id"),
            source=dict(d.get("source") or {}),
            offsets=OffsetMap.from_list(d.get("offset_map", [])),
            spans=spans,
            layers=layers,
            problems=[Problem.from_dict(p) for p in d.get("problems", [])],
        )
