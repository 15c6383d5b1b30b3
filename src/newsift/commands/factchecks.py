"""``newsift factchecks``: import, list and search local fact-check collections."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..errors import DataError

_DATA_DIR = click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Collections folder (default: $NEWSIFT_DATA_DIR/factchecks or "
    "~/.local/share/newsift/factchecks).",
)


@click.group("factchecks")
def factchecks_group() -> None:
    """Local fact-check collections that claims are matched against."""


@factchecks_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--name", default=None, help="Collection name (default: the file name).")
@click.option("--replace", is_flag=True, help="Replace the collection instead of adding to it.")
@click.option("--no-dense", is_flag=True, help="BM25 only: skip the (slower) embeddings.")
@click.option("--attribution", default="", help="Credit line shown with matches.")
@_DATA_DIR
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def import_cmd(
    file: Path,
    name: str | None,
    replace: bool,
    no_dense: bool,
    attribution: str,
    data_dir: Path | None,
    as_json: bool,
) -> None:
    """Import FILE: JSONL ({id, claim, title, url, rating, date, speaker}) or ClaimReview
    JSON-LD. Bad lines are reported with file and line and skipped; duplicate ids kept once;
    a field over its limit (a claim over 2,000 characters) is cut and counted."""
    from ..factchecks.store import import_collection

    summary = import_collection(
        file, name=name, root=data_dir, replace=replace, dense=not no_dense, attribution=attribution
    )
    if as_json:
        click.echo(json.dumps(summary.to_dict(), indent=2))
        return
    for issue in summary.issues:
        click.echo(f"skipped: {issue}", err=True)
    if summary.duplicates:
        shown = ", ".join(summary.duplicates[:5])
        click.echo(
            f"duplicates: {len(summary.duplicates)} records had an id already imported "
            f"and were kept once ({shown}{', ...' if len(summary.duplicates) > 5 else ''})",
            err=True,
        )
    if summary.truncated:
        from ..factchecks.records import MAX_CHARS

        click.echo(
            f"truncated: {len(summary.truncated)} records had a field over its limit (claim "
            f"{MAX_CHARS['claim']:,} characters, title {MAX_CHARS['title']:,}) and were cut "
            f"({', '.join(summary.truncated[:5])}{', ...' if len(summary.truncated) > 5 else ''})",
            err=True,
        )
    rate = summary.added / max(summary.seconds_read, 1e-9)
    click.echo(
        f"{summary.name}: {summary.added} added, {summary.total} in the collection, "
        f"{len(summary.issues)} lines or items skipped ({rate:,.0f} records/s read+index, "
        f"{summary.seconds_embed:.1f} s embeddings) -> {summary.folder}"
    )


@factchecks_group.command("list")
@_DATA_DIR
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def list_cmd(data_dir: Path | None, as_json: bool) -> None:
    """List the imported collections and the built-in ones."""
    from ..factchecks import euvsdisinfo
    from ..factchecks.store import data_dir as resolve
    from ..factchecks.store import list_collections

    rows = [r for r in list_collections(data_dir) if r.get("name") != euvsdisinfo.NAME]
    if euvsdisinfo.available(data_dir):
        meta = euvsdisinfo.load(data_dir).meta
        rows.append(
            {
                "name": euvsdisinfo.NAME,
                "count": meta.get("count"),
                "builtin": True,
                "updated": euvsdisinfo.is_updated(data_dir),
                "date_range": meta.get("date_range"),
                "attribution": euvsdisinfo.ATTRIBUTION,
            }
        )
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    if not any(not r.get("builtin") for r in rows):
        click.echo(
            f"no imported collections in {resolve(data_dir)}; "
            "import one with `newsift factchecks import FILE`"
        )
    for r in rows:
        count = f"{r.get('count')} records" if r.get("count") is not None else "?"
        if r.get("builtin"):
            count = f"built-in{', updated' if r.get('updated') else ''}, {count}"
        span = r.get("date_range")
        dates = f", {span[0]} to {span[1]}" if isinstance(span, list) and len(span) == 2 else ""
        credit = f"  ({r['attribution']})" if r.get("attribution") else ""
        click.echo(f"{r['name']}: {count}{dates}{credit}")


@factchecks_group.command("search")
@click.argument("text")
@click.option("-k", "k", type=int, default=5, show_default=True)
@click.option("--collection", "collections", multiple=True, help="Only these collections.")
@click.option("--no-builtin", is_flag=True, help="Leave out the built-in EUvsDisinfo cases.")
@click.option("--all", "show_all", is_flag=True, help="Show matches under the threshold too.")
@_DATA_DIR
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def search_cmd(
    text: str,
    k: int,
    collections: tuple[str, ...],
    no_builtin: bool,
    show_all: bool,
    data_dir: Path | None,
    as_json: bool,
) -> None:
    """Search the collections for TEXT, a claim sentence."""
    from ..factchecks import euvsdisinfo
    from ..factchecks.search import Searcher
    from ..factchecks.store import load_collections

    colls = load_collections(list(collections) or None, data_dir)
    if (
        not no_builtin
        and euvsdisinfo.available(data_dir)
        and (not collections or euvsdisinfo.NAME in collections)
    ):
        colls = [c for c in colls if c.name != euvsdisinfo.NAME] + [euvsdisinfo.load(data_dir)]
    colls = [c for c in colls if len(c)]
    if not colls:
        raise DataError(
            "no fact-check records to search; import a collection with "
            "`newsift factchecks import FILE`"
        )
    searcher = Searcher(colls)
    (matches,) = searcher.search([text], k=k, min_score=None if show_all else "default")
    if as_json:
        click.echo(json.dumps(matches, indent=2, ensure_ascii=False))
        return
    if not matches:
        cut = searcher.reranker.threshold if searcher.reranker is not None else 0.0
        click.echo(f"no match scoring >= {cut:.2f} (use --all to see weaker ones)")
    for m in matches:
        click.echo(f"{m['score']:.3f}  [{m['collection']}] {m['claim']}")
        click.echo(f"       {m['rating'] or '-'} | {m['date'] or '-'} | {m['url'] or '-'}")
    for c in colls:
        if any(m["collection"] == c.name for m in matches) and (
            c.meta.get("attribution") or c.meta.get("disclaimer")
        ):
            credit = " ".join(x for x in (c.meta.get("attribution"), c.meta.get("disclaimer")) if x)
            click.echo(f"[{c.name}] source: {credit}")


@factchecks_group.command("update")
@click.argument("catalogue", type=click.Choice(["euvsdisinfo"]))
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_DATA_DIR
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def update_cmd(catalogue: str, file: Path, data_dir: Path | None, as_json: bool) -> None:
    """Import FILE, a newer export of the EUvsDisinfo case list (CSV or JSON: case URL or id,
    title, date; summary and disproof where present), into the default collection in the data
    dir, offline. Rows without a URL or title are reported with file and line and skipped; cases
    without a date are reported and kept."""
    from dataclasses import asdict

    from ..factchecks import euvsdisinfo

    summary = euvsdisinfo.update(file, root=data_dir)
    if as_json:
        click.echo(json.dumps(asdict(summary), indent=2))
        return
    for issue in summary.issues:
        click.echo(f"problem: {issue}", err=True)
    first, last = summary.date_range
    click.echo(
        f"{catalogue}: {summary.read} cases read ({summary.added} new, {summary.replaced} "
        f"updated), {summary.total} in the collection, cases {first or '?'} to {last or '?'}, "
        f"{len(summary.issues)} problems ({summary.seconds:.1f} s) -> {summary.folder}"
    )
