"""The terminal report (``newsift analyze --format text``), drawn with rich.

Article content goes into rich ``Text`` objects, never into markup strings, so brackets in an
article (``[bold]``, ``[link=...]``) print as they are and cannot restyle the report; and every
string the article carries goes through :func:`newsift.report.safe.safe_article` first, so escape
sequences, other control characters and bidi overrides in it are shown, not obeyed.
"""

from __future__ import annotations

import io
from typing import Any

from rich import box
from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ..article import Article
from ..lang import count_words
from . import view
from .safe import safe_article

WIDTH = 100
_KIND_STYLE = {
    "named": "green",
    "named_role": "cyan",
    "organization": "blue",
    "anonymous": "bold red",
    "pronoun": "magenta",
    "document": "yellow",
}


def render_text(article: Article, console: Console | None = None) -> str:
    """Render a readable report of ``article``.

    Args:
        article: an analysed article; any layer may be missing.
        console: when given, the report is also printed to it (with colour where it supports it).

    Returns:
        The report as plain text (no colour codes).
    """
    parts = report_parts(article)
    if console is not None:
        for part in parts:
            console.print(part, crop=False)
    buffer = Console(
        file=io.StringIO(), width=WIDTH, record=True, color_system=None, force_terminal=False
    )
    for part in parts:
        buffer.print(part, crop=False)
    return buffer.export_text()


def report_parts(article: Article) -> list[RenderableType]:
    """The report's sections, in order; sections without data are left out or say so."""
    article = safe_article(article)
    parts: list[RenderableType] = [_header(article)]
    first = _check_first(article)
    if first is not None:
        parts.append(first)
    parts += [_outlet(article), _headline(article)]
    parts.append(_sourcing(article))
    if view.attributions(article):
        parts.append(_attributions(article))
    parts.append(_claims(article))
    if "persuasion" in article.spans or "persuasion" in article.layers:
        parts.append(_persuasion(article))
    if article.problems:
        parts.append(_problems(article))
    return parts


def _t(value: Any, style: str = "") -> Text:
    """Article content as literal text (no markup is interpreted)."""
    return Text("" if value is None else str(value), style=style)


def _check_first(article: Article) -> RenderableType | None:
    """The ranked claims to check first, with why each is there, and the check-worthy share."""
    entries = view.check_first(article)
    summary = view.checkworthy_summary(article)
    if not entries and summary is None:
        return None
    body = Text()
    for i, entry in enumerate(entries, 1):
        if i > 1:
            body.append("\n")
        body.append(f"{i}. ", style="bold")
        body.append(f"[{view.fmt_score(entry.get('score'))}] ", style="bold yellow")
        body.append(view.short(str(entry.get("text") or ""), 200))
        body.append(f"\n   {view.check_first_reason(entry)}", style="dim")
    if not entries:
        body.append("no check-worthy claim", style="dim")
    if summary:
        body.append(f"\n{summary}", style="dim")
    return Panel(body, title="Check these first", title_align="left")


def _header(article: Article) -> RenderableType:
    title = _t(article.title or "(untitled)", "bold")
    meta = Text()
    outlet = view.as_dict(article.outlet)
    bits = [
        ("outlet", outlet.get("name") or outlet.get("domain")),
        ("by", article.author),
        ("date", article.date),
        ("url", article.url),
        ("language", view.language_text(article)),
    ]
    for label, value in bits:
        if value:
            meta.append(f"{label}: ", style="dim")
            meta.append(str(value))
            meta.append("   ")
    words = count_words(article.text)
    meta.append(f"{words:,} words", style="dim")
    return Panel(Group(title, meta), box=box.HEAVY, expand=True)


def _outlet(article: Article) -> RenderableType:
    outlet = view.as_dict(article.outlet)
    domain = outlet.get("domain") or "(unknown domain)"
    body = Text()
    body.append("domain: ", style="dim")
    body.append(str(domain))
    body.append("   rating: ", style="dim")
    rating = view.outlet_rating_text(article)
    body.append(rating, style="yellow" if rating == "not rated" else "bold")
    matched = outlet.get("matched")
    if isinstance(matched, str) and matched and matched != domain:
        body.append(f"   (rated as {matched})", style="dim")
    wire = view.wire_text(article)
    if wire:
        body.append(f"   {wire}", style="bold")
    note = outlet.get("note")
    if isinstance(note, str) and note:
        body.append(f"\n{note}", style="dim")
    known = view.euvsdisinfo_outlet(article)
    if known:
        body.append(f"\n{known['note']}", style="bold red")
        body.append(f"\nSource: {known['source']}. {known['disclaimer']}".rstrip(), style="dim")
    return Panel(body, title="Outlet", title_align="left")


def _headline(article: Article) -> RenderableType:
    panel = _headline_flags(article)
    found = view.headline_items(article)
    if not found:
        return panel
    lines = Text("In the headline itself:", style="dim")
    for item in found:
        lines.append("\n  • ")
        lines.append(item)
    return Panel(Group(panel.renderable, lines), title=panel.title, title_align="left")


def _headline_flags(article: Article) -> Panel:
    flags = view.headline_flags(article)
    if "headline" not in article.layers:
        body: RenderableType = _t("headline check not run", "dim")
    elif not flags:
        body = _t("no flags: the headline does not restate an attributed claim as fact", "green")
    else:
        rows = Text()
        for i, flag in enumerate(flags):
            if i:
                rows.append("\n")
            rows.append("⚑ ", style="bold red")
            rows.append(str(flag.get("code") or "flag"), style="bold")
            rows.append(": ")
            rows.append(str(flag.get("message") or ""))
            sim = flag.get("similarity")
            if isinstance(sim, int | float) and not isinstance(sim, bool):
                rows.append(f" (similarity {sim:.2f})", style="dim")
        body = rows
    return Panel(body, title="Headline check", title_align="left")


def _sourcing(article: Article) -> RenderableType:
    s = view.sourcing(article)
    if not s:
        return Panel(
            _t("sourcing profile not computed", "dim"), title="Sourcing", title_align="left"
        )
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="dim")
    grid.add_column()
    counts = view.as_dict(s.get("counts_by_kind"))
    count_text = Text()
    for kind, n in counts.items():
        count_text.append(f"{kind} ", style=_KIND_STYLE.get(str(kind), ""))
        count_text.append(f"{n}  ")
    grid.add_row("attributions by kind", count_text if counts else _t("none found"))
    share = view.fmt_share(s.get("anonymous_share"))
    anon = s.get("anonymous_factual_sentences")
    total = s.get("factual_sentences")
    detail = (
        f" ({anon} of {total} factual sentences)" if anon is not None and total is not None else ""
    )
    grid.add_row(
        "anonymous share", _t(share + detail, "bold red" if share not in ("–", "0%") else "")
    )
    named = [str(n) for n in view.as_list(s.get("named_sources"))]
    grid.add_row(f"named sources ({len(named)})", _t(", ".join(named) or "none"))
    sides = view.sides_text(article)
    if sides:
        grid.add_row("sides", _t(sides, "bold red" if s.get("one_sided") else ""))
    unattributed = view.as_list(s.get("unattributed_sentences"))
    grid.add_row("unattributed assertions", _t(str(len(unattributed))))
    for field, why in view.as_dict(s.get("not_read")).items():
        grid.add_row(f"{field}: not read", _t(str(why), "dim"))  # English-only parts (issue 24)
    lines = [
        "  • "
        + view.short(view.ref_text(article.text, item) if isinstance(item, dict) else str(item), 90)
        for item in unattributed[:5]
    ]
    shown = Text("\n".join(lines))
    parts: list[RenderableType] = [grid]
    if shown:
        parts.append(shown)
    return Panel(Group(*parts), title="Sourcing", title_align="left")


def _attributions(article: Article) -> RenderableType:
    table = Table(title="Attributions", title_justify="left", box=box.SIMPLE_HEAD, expand=True)
    table.add_column("#", justify="right", style="dim", width=3)
    table.add_column("source", ratio=2)
    table.add_column("kind", min_width=12)
    table.add_column("cue", min_width=12)
    table.add_column("content", ratio=5)
    for i, att in enumerate(view.attributions(article), 1):
        kind = view.kind_of(att)
        table.add_row(
            str(i),
            _t(view.source_label(article, att)),
            _t(kind, _KIND_STYLE.get(kind, "")),
            _t(view.ref_text(article.text, att.get("cue"))),
            _t(view.short(view.ref_text(article.text, att.get("content")), 160)),
        )
    return table


def _claims(article: Article) -> RenderableType:
    claims = view.claims(article)
    if not claims:
        note = "no checkable claims found" if "claims" in article.layers else "claims not scored"
        return Panel(_t(note, "dim"), title="Claims", title_align="left")
    atts = view.attributions(article)
    table = Table(title="Claims", title_justify="left", box=box.SIMPLE_HEAD, expand=True)
    table.add_column("#", style="dim", width=3)
    table.add_column("score", justify="right", width=5)
    table.add_column("class", min_width=12, overflow="fold")
    table.add_column("claim", ratio=5)
    table.add_column("figures", ratio=2)
    table.add_column("source", ratio=2)
    numbered = list(enumerate(claims, 1))
    ranked = sorted(numbered, key=lambda nc: -_number(nc[1].get("score")))
    for n, claim in ranked:
        cell = Text(view.short(_claim_text(article, claim), 200))
        matches = view.matches_of(article, n - 1)
        if matches:
            cell.append(f"\n  ↳ {_match_summary(matches)} (below)", style="bold yellow")
        figures = ", ".join(
            str(f.get("text"))
            for f in view.as_list(claim.get("figures"))
            if isinstance(f, dict) and f.get("text")
        )
        if claim.get("part") == "title":
            cell = Text("[headline] ", style="bold") + cell
        idx = claim.get("attribution")
        src = ""
        if isinstance(idx, int) and not isinstance(idx, bool) and 0 <= idx < len(atts):
            src = view.source_label(article, atts[idx])
        voice = view.voice_label(article, claim.get("voice"))
        if voice == "the outlet":
            # a cue in the sentence, the words elsewhere: the sentence itself is the outlet's
            src = "the outlet's own voice" + (f" (mentions {src})" if src else "")
        elif voice:
            src = voice.removeprefix("quoted: ")
        table.add_row(
            f"C{n}",
            view.fmt_score(claim.get("score")),
            _t(_short_class(claim.get("class"))),
            cell,
            _t(figures),
            _t(src or "—"),
        )
    below = _matches(article, numbered)
    return Group(table, below) if below is not None else table


def _number(value: Any) -> float:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0.0


def _claim_text(article: Article, claim: dict[str, Any]) -> str:
    text = claim.get("text")
    return text if isinstance(text, str) else view.ref_text(article.text, claim)


def _match_summary(matches: list[dict[str, Any]]) -> str:
    kinds = [view.match_kind(m) for m in matches]
    parts = [
        f"{kinds.count(k)} {k}{'s' if kinds.count(k) > 1 else ''}" for k in dict.fromkeys(kinds)
    ]
    return ", ".join(parts)


def _matches(article: Article, numbered: list[tuple[int, dict[str, Any]]]) -> Group | None:
    """Every claim's matches in full, then each collection's credit. Links get lines of their
    own that are never wrapped or cut, so they stay whole when copied from a terminal."""
    lines: list[Text] = []
    for n, claim in numbered:
        matches = view.matches_of(article, n - 1)
        if not matches:
            continue
        head = Text(f"C{n} ", style="bold")
        head.append(view.short(_claim_text(article, claim), 90), style="")
        lines.append(head)
        for match in matches:
            lines += _match_lines(match)
    if not lines:
        return None
    for name, credit in view.factcheck_credits(article).items():
        if credit["attribution"] or credit["disclaimer"]:
            source = f": source {credit['attribution']}" if credit["attribution"] else ""
            lines.append(_t(f"Matches from {name}{source}. {credit['disclaimer']}".rstrip(), "dim"))
    title = Text("Fact-check and known-narrative matches", style="italic")
    return Group(title, *lines, Text())


def _short_class(value: Any) -> str:
    """``check-worthy factual`` -> ``check-worthy``: the class column stays narrow."""
    text = str(value or "")
    return text.split()[0] if text.endswith(" factual") else text


def _match_lines(match: dict[str, Any]) -> list[Text]:
    """One match under its claim: kind, verdict, matched claim, date, score; then its link."""
    line = Text(f"  ↳ {view.match_kind(match)}: ", style="dim")
    line.append(str(match.get("rating") or "?"), style="bold yellow")
    line.append(" " + view.short(str(match.get("claim") or ""), 120))
    extra = [str(match[k]) for k in ("date", "collection") if match.get(k)]
    extra.append(f"match score {view.fmt_score(match.get('score'))}")
    line.append(f" ({', '.join(extra)})", style="dim")
    lines = [line]
    notes = view.match_notes(match)
    if notes:
        lines.append(Text("    " + "; ".join(notes), style="bold"))
    for key in ("summary", "disproof"):
        if isinstance(match.get(key), str) and match[key]:
            lines.append(Text(f"    {key}: {view.short(match[key], 300)}", style="dim"))
    if match.get("url"):
        lines.append(Text(f"    {match.get('url')}", style="dim", no_wrap=True, overflow="ignore"))
    return lines


def _persuasion(article: Article) -> RenderableType:
    summary = view.persuasion_summary(article)
    if not summary:
        return Panel(
            _t("no persuasion techniques found", "green"), title="Persuasion", title_align="left"
        )
    explain = view.technique_explanations()
    table = Table(
        title="Persuasion techniques", title_justify="left", box=box.SIMPLE_HEAD, expand=True
    )
    table.add_column("technique", min_width=24, overflow="fold")
    table.add_column("spans", justify="right", width=5)
    table.add_column("best", justify="right", width=5)
    table.add_column("outlet / quoted", justify="right", width=9)
    table.add_column("example", ratio=3)
    table.add_column("what it is", ratio=4, style="dim")
    spans = view.persuasion(article)
    titled = view.title_persuasion(article)
    voices = view.persuasion_voices(article)
    for label, count, best in summary:
        example = next((s for s in spans if s["label"] == label), None)
        if example:
            snippet = article.text[example["start"] : example["end"]]
        else:
            snippet = next((f"[headline] {s['text']}" for s in titled if s["label"] == label), "")
        outlet, quoted = voices.get(label, (0, 0))
        table.add_row(
            _t(label, "bold"),
            str(count),
            view.fmt_score(best),
            _t(f"{outlet} / {quoted}" if outlet or quoted else "–"),
            _t(view.short(snippet, 80)),
            _t(explain.get(label, "")),
        )
    lines = [_t(view.persuasion_line(article))]
    voice_line = view.persuasion_voice_line(article)
    if voice_line:
        lines.append(_t(voice_line))
    return Group(table, *lines, Text())


def _problems(article: Article) -> RenderableType:
    body = Text()
    for i, p in enumerate(article.problems):
        if i:
            body.append("\n")
        body.append(f"{p.stage}/{p.code}: ", style="bold yellow")
        body.append(p.message)
    return Panel(body, title="Problems", title_align="left", border_style="yellow")
