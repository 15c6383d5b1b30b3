"""Where a corpus lives: a small storage interface and its DuckDB implementation.

:class:`CorpusStore` is everything ingest, run, narratives, trace and export need from storage.
:class:`DuckDBStore` implements it on one embedded DuckDB file; a Spark backend would implement
the same methods over tables in a lakehouse. The SQL schema is documented in ``docs/corpus.md``.

Crash safety comes from transactions: every batch of ingested articles, and every batch of
analysis results (the ``analyses`` row with its claims, attributions, spans and problems), is
committed in one transaction, so a process killed at any point leaves either all of a batch or
none of it. Work is claimed by article id (the articles with no ``analyses`` row, lowest id first).
"""

from __future__ import annotations

import abc
import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from ..errors import DataError, InputError

SCHEMA_VERSION = 1

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE IF NOT EXISTS articles (
    id BIGINT PRIMARY KEY, ext_id VARCHAR, url VARCHAR, url_key VARCHAR, content_hash VARCHAR,
    title VARCHAR, author VARCHAR, date TIMESTAMP, date_raw VARCHAR, domain VARCHAR,
    outlet VARCHAR, format VARCHAR, raw VARCHAR, source_file VARCHAR, source_pos VARCHAR,
    ingested_at TIMESTAMP);
CREATE TABLE IF NOT EXISTS analyses (
    article_id BIGINT PRIMARY KEY, status VARCHAR, pipeline VARCHAR, analyzed_at TIMESTAMP,
    text VARCHAR, language VARCHAR, date TIMESTAMP, domain VARCHAR, outlet_rating DOUBLE,
    outlet_label VARCHAR, n_problems INTEGER, json VARCHAR);
CREATE TABLE IF NOT EXISTS claims (
    article_id BIGINT, idx INTEGER, start INTEGER, "end" INTEGER, text VARCHAR, score DOUBLE,
    class VARCHAR, kind VARCHAR);
CREATE TABLE IF NOT EXISTS claim_vectors (
    article_id BIGINT, idx INTEGER, encoder VARCHAR, vec BLOB);
CREATE TABLE IF NOT EXISTS attributions (
    article_id BIGINT, idx INTEGER, kind VARCHAR, source_text VARCHAR, cue_text VARCHAR,
    content_text VARCHAR, content_start INTEGER, content_end INTEGER);
CREATE TABLE IF NOT EXISTS spans (
    article_id BIGINT, layer VARCHAR, start INTEGER, "end" INTEGER, label VARCHAR,
    score DOUBLE, stage VARCHAR);
CREATE TABLE IF NOT EXISTS problems (
    article_id BIGINT, file VARCHAR, position VARCHAR, stage VARCHAR, code VARCHAR,
    message VARCHAR, recorded_at TIMESTAMP);
CREATE TABLE IF NOT EXISTS narratives (
    id INTEGER PRIMARY KEY, kind VARCHAR, n_articles INTEGER, n_outlets INTEGER,
    first_date TIMESTAMP, last_date TIMESTAMP, origin_article_id BIGINT, origin_url VARCHAR,
    origin_domain VARCHAR, text VARCHAR);
CREATE TABLE IF NOT EXISTS narrative_members (
    narrative_id INTEGER, article_id BIGINT, claim_idx INTEGER, match VARCHAR,
    similarity DOUBLE, date TIMESTAMP, domain VARCHAR, outlet_rating DOUBLE, text VARCHAR);
"""

# Column order of the tables that batches are inserted into.
ARTICLE_COLUMNS = (
    "id",
    "ext_id",
    "url",
    "url_key",
    "content_hash",
    "title",
    "author",
    "date",
    "date_raw",
    "domain",
    "outlet",
    "format",
    "raw",
    "source_file",
    "source_pos",
    "ingested_at",
)
ANALYSIS_COLUMNS = (
    "article_id",
    "status",
    "pipeline",
    "analyzed_at",
    "text",
    "language",
    "date",
    "domain",
    "outlet_rating",
    "outlet_label",
    "n_problems",
    "json",
)
CHILD_COLUMNS = {
    "claims": ("article_id", "idx", "start", "end", "text", "score", "class", "kind"),
    "claim_vectors": ("article_id", "idx", "encoder", "vec"),
    "attributions": (
        "article_id",
        "idx",
        "kind",
        "source_text",
        "cue_text",
        "content_text",
        "content_start",
        "content_end",
    ),
    "spans": ("article_id", "layer", "start", "end", "label", "score", "stage"),
    "problems": ("article_id", "file", "position", "stage", "code", "message", "recorded_at"),
}
NARRATIVE_COLUMNS = (
    "id",
    "kind",
    "n_articles",
    "n_outlets",
    "first_date",
    "last_date",
    "origin_article_id",
    "origin_url",
    "origin_domain",
    "text",
)
MEMBER_COLUMNS = (
    "narrative_id",
    "article_id",
    "claim_idx",
    "match",
    "similarity",
    "date",
    "domain",
    "outlet_rating",
    "text",
)
TABLES = (
    "articles",
    "analyses",
    "claims",
    "claim_vectors",
    "attributions",
    "spans",
    "problems",
    "narratives",
    "narrative_members",
)


class CorpusStore(abc.ABC):
    """The storage interface of corpus mode (DuckDB here; Spark could implement it too)."""

    # -- ingest ----------------------------------------------------------------------------
    @abc.abstractmethod
    def ingest_state(self) -> dict[str, Any]:
        """Keys already stored: ``urls``/``hashes``/``ext_ids`` -> article id, ``positions``
        (source file, position) of stored articles, ``problems`` (file, position, code) of
        ingest problems, and ``next_id``."""

    @abc.abstractmethod
    def add_batch(
        self, articles: Sequence[dict[str, Any]], problems: Sequence[dict[str, Any]]
    ) -> None:
        """Store ingested articles and ingest problems in one transaction."""

    # -- run -------------------------------------------------------------------------------
    @abc.abstractmethod
    def pending_ids(self, limit: int | None = None) -> list[int]:
        """Ids of articles with no analysis yet, lowest first."""

    @abc.abstractmethod
    def load_articles(self, ids: Sequence[int]) -> list[dict[str, Any]]:
        """The stored ``articles`` rows of ``ids`` as dicts."""

    @abc.abstractmethod
    def save_results(self, results: Sequence[dict[str, Any]]) -> None:
        """Store analysis results (``analysis`` row + child rows) in one transaction."""

    # -- narratives ------------------------------------------------------------------------
    @abc.abstractmethod
    def unit_windows(self, days: int) -> list[tuple[dt.datetime | None, dt.datetime | None]]:
        """Time windows ``[start, end)`` that hold claim units; ``(None, None)`` for undated."""

    @abc.abstractmethod
    def units(
        self, start: dt.datetime | None, end: dt.datetime | None, encoder: str = ""
    ) -> list[tuple]:
        """Claim units of a window: (article_id, idx, text, date, domain, vec), where ``vec`` is
        the unit's stored vector of ``encoder`` (int8 bytes) or None."""

    @abc.abstractmethod
    def save_narratives(self, narratives: Sequence[dict], members: Sequence[dict]) -> None:
        """Replace all narratives in one transaction."""

    # -- everything ------------------------------------------------------------------------
    @abc.abstractmethod
    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        """Run read-only SQL and return the rows."""

    @abc.abstractmethod
    def export(self, table: str, path: str, fmt: str) -> int:
        """Write a table to ``path`` as parquet, csv or jsonl; returns the row count."""

    @abc.abstractmethod
    def close(self) -> None:
        """Release the store."""

    def __enter__(self) -> CorpusStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _rows_to_arrow(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> Any:
    import pyarrow as pa

    return pa.table({c: [r.get(c) for r in rows] for c in columns})


def database_error(path: str, err: BaseException) -> DataError:
    """The one-line error for a database DuckDB cannot open or read (damaged, cut short, locked)."""
    first = (str(err).splitlines() or [type(err).__name__])[0][:300]
    low = first.lower()
    if "could not set lock" in low or "conflicting lock" in low or "different configuration" in low:
        return DataError(
            f"{path}: the database is in use by another process ({first}); wait for it to finish "
            "or give another --db",
            code="db_unavailable",
        )
    import duckdb

    if "permission denied" in low or "read-only file system" in low:
        return DataError(
            f"{path}: the database cannot be opened ({first}); check its permissions or give "
            "another --db",
            code="db_unavailable",
        )
    damaged = (
        duckdb.IOException,
        duckdb.CatalogException,
        duckdb.BinderException,
        duckdb.SerializationException,
        duckdb.InternalException,
    )
    if isinstance(err, damaged) or "corrupt" in low or "checksum" in low or "invalidated" in low:
        return DataError(
            f"{path} is not a newsift database or is damaged ({first}); restore it from a copy or "
            "start a new one with --db NEW.duckdb",
            code="bad_database",
        )
    return DataError(
        f"{path}: a database operation failed ({first}); run the command again with --debug "
        "and report it if it persists",
        code="db_failed",
    )


def _schema_columns() -> dict[str, tuple[str, ...]]:
    """The columns every table of :data:`SCHEMA` must have."""
    cols = {
        "meta": ("key", "value"),
        "articles": ARTICLE_COLUMNS,
        "analyses": ANALYSIS_COLUMNS,
        "narratives": NARRATIVE_COLUMNS,
        "narrative_members": MEMBER_COLUMNS,
    }
    cols.update(CHILD_COLUMNS)
    return cols


class DuckDBStore(CorpusStore):
    """A corpus in one DuckDB file (``:memory:`` for tests).

    Args:
        path: the database file; created with the current schema when it does not exist.
        read_only: open without write access (status, trace, export).

    Raises:
        InputError: read-only, and there is no such file.
        DataError: the file is not a DuckDB database, is damaged, is another program's database,
            was written by an older or newer newsift (another schema), or is locked by another
            process.
    """

    def __init__(self, path: str | Path = "newsift.duckdb", *, read_only: bool = False) -> None:
        import duckdb

        self.path = str(path)
        if read_only and self.path != ":memory:" and not Path(self.path).exists():
            raise InputError(
                f"{self.path}: no such corpus database; create it with `newsift ingest PATH --db {self.path}`",
                code="not_found",
            )
        if self.path != ":memory:" and not Path(self.path).parent.is_dir():
            raise InputError(
                f"{self.path}: the folder {Path(self.path).parent} does not exist; create it or give another --db",
                code="not_found",
            )
        if self.path != ":memory:" and Path(self.path).is_dir():
            raise InputError(
                f"{self.path} is a folder, not a database file; give a file with --db",
                code="bad_database",
            )
        try:
            self.con = duckdb.connect(self.path, read_only=read_only)
        except duckdb.Error as err:
            raise database_error(self.path, err) from err
        try:
            self._check_schema(read_only)
        except duckdb.Error as err:
            self.close()
            raise database_error(self.path, err) from err
        except DataError:
            self.close()
            raise

    def _check_schema(self, read_only: bool) -> None:
        tables: dict[str, set[str]] = {
            r[0]: set()
            for r in self.con.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'"
            ).fetchall()
        }
        for table, column in self.con.execute(
            "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'main'"
        ).fetchall():
            if table in tables:
                tables[table].add(column)
        if tables or read_only:
            self._check_version(tables)
        if read_only:
            return
        self.con.execute("BEGIN")
        self.con.execute(SCHEMA)
        self.con.execute(
            "INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)]
        )
        self.con.execute("COMMIT")

    def _check_version(self, tables: dict[str, set[str]]) -> None:
        """Refuse a database that is not a newsift corpus of this schema version."""
        if "meta" not in tables:
            shown = ", ".join(sorted(tables)[:6]) or "no tables"
            raise DataError(
                f"{self.path} is not a newsift database (it holds {shown}, and no newsift `meta` "
                "table); give another --db, or a new file name to start a corpus",
                code="not_newsift",
            )
        row = self.con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        version = int(row[0]) if row and str(row[0]).isdigit() else None
        if version is not None and version > SCHEMA_VERSION:
            raise DataError(
                f"{self.path}: the database has corpus schema version {version}, newer than this "
                f"newsift reads ({SCHEMA_VERSION}); upgrade newsift or use another --db",
                code="newer_schema",
            )
        if version is None or version < SCHEMA_VERSION:
            raise DataError(
                f"{self.path}: the database was written by an older newsift (corpus schema version "
                f"{version if version is not None else 'unknown'}; this newsift reads {SCHEMA_VERSION}); "
                "ingest the corpus again into a new --db",
                code="old_schema",
            )
        missing = {
            t: [c for c in cols if c not in tables.get(t, set())]
            for t, cols in _schema_columns().items()
        }
        missing = {t: cs for t, cs in missing.items() if cs}
        if missing:
            what = "; ".join(
                f"{t} lacks {', '.join(cs[:4])}" for t, cs in sorted(missing.items())[:3]
            )
            raise DataError(
                f"{self.path} is not a newsift database or is damaged (schema version {version}, but {what}); "
                "restore it from a copy or start a new one with --db NEW.duckdb",
                code="bad_database",
            )

    # -- helpers ---------------------------------------------------------------------------
    def _insert(self, table: str, rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> None:
        if not rows:
            return
        cols = ", ".join(f'"{c}"' for c in columns)
        self.con.register("_newsift_rows", _rows_to_arrow(rows, columns))
        try:
            self.con.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM _newsift_rows")
        finally:
            self.con.unregister("_newsift_rows")

    def _transaction(self, work: Any) -> None:
        self.con.execute("BEGIN")
        try:
            work()
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        self.con.execute("COMMIT")

    def get_meta(self, key: str) -> str | None:
        row = self.con.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        self.con.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", [key, value])

    # -- ingest ----------------------------------------------------------------------------
    def ingest_state(self) -> dict[str, Any]:
        state: dict[str, Any] = {"urls": {}, "hashes": {}, "ext_ids": {}, "positions": set()}
        cur = self.con.execute(
            "SELECT id, url_key, content_hash, ext_id, source_file, source_pos FROM articles"
        )
        while chunk := cur.fetchmany(100_000):
            for aid, url_key, chash, ext_id, sfile, spos in chunk:
                if url_key:
                    state["urls"][url_key] = aid
                state["hashes"][chash] = aid
                if ext_id:
                    state["ext_ids"][ext_id] = aid
                state["positions"].add((sfile, spos))
        state["problems"] = set(
            self.con.execute(
                "SELECT file, position, code FROM problems WHERE stage = 'ingest'"
            ).fetchall()
        )
        next_id = self.con.execute("SELECT coalesce(max(id), 0) + 1 FROM articles").fetchone()
        assert next_id is not None  # an aggregate query always returns one row
        state["next_id"] = int(next_id[0])
        return state

    def add_batch(
        self, articles: Sequence[dict[str, Any]], problems: Sequence[dict[str, Any]]
    ) -> None:
        def work() -> None:
            self._insert("articles", articles, ARTICLE_COLUMNS)
            self._insert("problems", problems, CHILD_COLUMNS["problems"])

        self._transaction(work)

    # -- run -------------------------------------------------------------------------------
    def pending_ids(self, limit: int | None = None) -> list[int]:
        sql = (
            "SELECT a.id FROM articles a ANTI JOIN analyses n ON n.article_id = a.id ORDER BY a.id"
        )
        if limit is not None:  # DuckDB stops at the limit (a top-N), so --limit N costs O(N) rows
            sql += f" LIMIT {max(int(limit), 0)}"
        return [r[0] for r in self.con.execute(sql).fetchall()]

    def load_articles(self, ids: Sequence[int]) -> list[dict[str, Any]]:
        cols = ", ".join(f'"{c}"' for c in ARTICLE_COLUMNS)
        cur = self.con.execute(
            f"SELECT {cols} FROM articles WHERE id IN (SELECT unnest(?)) ORDER BY id", [list(ids)]
        )
        return [dict(zip(ARTICLE_COLUMNS, row, strict=True)) for row in cur.fetchall()]

    def save_results(self, results: Sequence[dict[str, Any]]) -> None:
        ids = [r["analysis"]["article_id"] for r in results]

        def work() -> None:
            # Defensive: a result is stored once even if a batch were ever handed out twice. The
            # six deletes run only then, so that a batch costs its own rows, not the tables'.
            again = [
                r[0]
                for r in self.con.execute(
                    "SELECT article_id FROM analyses WHERE article_id IN (SELECT unnest(?))", [ids]
                ).fetchall()
            ]
            if again:
                for table in ("analyses", "claims", "claim_vectors", "attributions", "spans"):
                    self.con.execute(
                        f"DELETE FROM {table} WHERE article_id IN (SELECT unnest(?))", [again]
                    )
                self.con.execute(
                    "DELETE FROM problems WHERE stage <> 'ingest' AND article_id IN (SELECT unnest(?))",
                    [again],
                )
            self._insert("analyses", [r["analysis"] for r in results], ANALYSIS_COLUMNS)
            for table, columns in CHILD_COLUMNS.items():
                rows = [row for r in results for row in r.get(table, ())]
                self._insert(table, rows, columns)

        self._transaction(work)

    # -- narratives ------------------------------------------------------------------------
    def unit_windows(self, days: int) -> list[tuple[dt.datetime | None, dt.datetime | None]]:
        span = self.con.execute(
            "SELECT min(date), max(date), count(*) FILTER (WHERE date IS NULL) FROM analyses "
            "WHERE status = 'ok'"
        ).fetchone()
        assert span is not None  # an aggregate query always returns one row
        lo, hi, undated = span
        windows: list[tuple[dt.datetime | None, dt.datetime | None]] = []
        if lo is not None:
            start = dt.datetime(lo.year, lo.month, lo.day)
            step = dt.timedelta(days=days)
            while start <= hi:
                windows.append((start, start + step))
                start += step
        if undated:
            windows.append((None, None))
        return windows

    def units(
        self, start: dt.datetime | None, end: dt.datetime | None, encoder: str = ""
    ) -> list[tuple]:
        base = (
            "SELECT c.article_id, c.idx, c.text, n.date, n.domain, v.vec FROM claims c "
            "JOIN analyses n ON n.article_id = c.article_id LEFT JOIN claim_vectors v "
            "ON v.article_id = c.article_id AND v.idx = c.idx AND v.encoder = ? WHERE n.status = 'ok' AND "
        )
        if start is None:
            return self.con.execute(
                base + "n.date IS NULL ORDER BY c.article_id, c.idx", [encoder]
            ).fetchall()
        return self.con.execute(
            base + "n.date >= ? AND n.date < ? ORDER BY n.date, c.article_id, c.idx",
            [encoder, start, end],
        ).fetchall()

    def add_claim_vectors(self, rows: Sequence[dict[str, Any]]) -> None:
        """Store vectors encoded after the run (``newsift trace`` on an older database); a row
        of the same unit and encoder is replaced."""
        if not rows:
            return

        def work() -> None:
            cols = CHILD_COLUMNS["claim_vectors"]
            self.con.register("_newsift_vecs", _rows_to_arrow(rows, cols))
            try:
                self.con.execute(
                    """DELETE FROM claim_vectors WHERE (article_id, idx, encoder) IN
                       (SELECT (article_id, idx, encoder) FROM _newsift_vecs)"""
                )
            finally:
                self.con.unregister("_newsift_vecs")
            self._insert("claim_vectors", rows, cols)

        self._transaction(work)

    def save_narratives(self, narratives: Sequence[dict], members: Sequence[dict]) -> None:
        def work() -> None:
            self.con.execute("DELETE FROM narrative_members")
            self.con.execute("DELETE FROM narratives")
            self._insert("narratives", narratives, NARRATIVE_COLUMNS)
            self._insert("narrative_members", members, MEMBER_COLUMNS)

        self._transaction(work)

    # -- everything ------------------------------------------------------------------------
    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        return self.con.execute(sql, list(params)).fetchall()

    def iter_query(
        self, sql: str, params: Sequence[Any] = (), size: int = 10_000
    ) -> Iterator[tuple]:
        cur = self.con.execute(sql, list(params))
        while chunk := cur.fetchmany(size):
            yield from chunk

    def export(self, table: str, path: str, fmt: str) -> int:
        import duckdb

        if table not in TABLES:
            raise InputError(
                f"export: unknown table {table!r}; choose one of {', '.join(TABLES)}",
                code="bad_table",
            )
        options = {"parquet": "FORMAT PARQUET", "csv": "FORMAT CSV, HEADER", "jsonl": "FORMAT JSON"}
        if fmt not in options:
            raise InputError(
                f"export: unknown format {fmt!r}; choose parquet, csv or jsonl", code="bad_format"
            )
        out = Path(path)
        if not out.parent.is_dir():
            raise InputError(
                f"export: the folder {out.parent} does not exist; create it first or give another -o",
                code="bad_output",
            )
        if out.is_dir():
            raise InputError(
                f"export: {out} is a folder; give a file name with -o", code="bad_output"
            )
        target = str(path).replace("'", "''")
        try:
            self.con.execute(f"COPY {table} TO '{target}' ({options[fmt]})")
        except duckdb.IOException as err:
            raise InputError(
                f"export: could not write {out} ({str(err).splitlines()[0][:200]}); check the path and its permissions",
                code="bad_output",
            ) from err
        count = self.con.execute(f"SELECT count(*) FROM {table}").fetchone()
        assert count is not None  # an aggregate query always returns one row
        return int(count[0])

    def close(self) -> None:
        try:
            self.con.close()
        except Exception:  # noqa: BLE001 - closing twice is harmless
            pass


def open_store(path: str | Path, *, read_only: bool = False) -> DuckDBStore:
    """Open the corpus database at ``path`` (the CLI's ``--db``)."""
    return DuckDBStore(path, read_only=read_only)


def chunks(items: Sequence[Any] | Iterable[Any], size: int) -> Iterator[list[Any]]:
    """Split ``items`` into lists of at most ``size``."""
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
