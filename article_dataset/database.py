"""Writing article.db: DDL from the declarations, rows unit by unit, indexes, FTS, checks,
and the atomic move into place."""

from __future__ import annotations

import os
import sqlite3
import stat
from contextlib import contextmanager
from pathlib import Path

from .problems import Problems
from .schema import SQL_TYPES, TABLES, Table
from .tables import ALL_TABLES, BUILD_TABLES

DATE_COLUMNS = ("date", "published", "date_start", "date_end", "date_sort")


def create_table_sql(table: Table) -> str:
    """The DDL of a table; a temporary one (the build's own) without foreign keys, which SQLite
    does not allow from the temp schema to the main one."""
    lines = []
    for column in table.columns:
        parts = [f"[{column.name}]", SQL_TYPES[column.type]]
        if table.pk == (column.name,):
            parts.append("PRIMARY KEY")
        if table.never_null(column):
            parts.append("NOT NULL")
        if column.references and not table.temporary:
            parts.append(f"REFERENCES [{column.references}]([id])")
        # Vocabularies are enforced when the YAML is validated; a CHECK per column here
        # cost a tenth of the build.
        lines.append(" ".join(parts))
    if len(table.pk) > 1:
        lines.append(f"PRIMARY KEY ({', '.join(f'[{name}]' for name in table.pk)})")
    lines.extend(f"CHECK ({check})" for check in table.checks)
    body = ",\n    ".join(lines)
    kind = "TEMP TABLE IF NOT EXISTS" if table.temporary else "TABLE"
    return f"CREATE {kind} [{table.name}] (\n    {body}\n)"


def index_columns(table: Table) -> list[str]:
    """Foreign keys and dates, for joins and timelines; source_file, for incremental builds."""
    return [
        column.name
        for column in table.columns
        if (column.references or column.name in DATE_COLUMNS or column.name == "source_file")
        and table.pk[0] != column.name
    ]


def temporary_path(db_path: Path) -> Path:
    return db_path.with_name(f".{db_path.name}.{os.getpid()}.tmp")


def remove_stray_temporaries(db_path: Path) -> None:
    """Temporary files left by builds that were killed before they could clean up."""
    for stray in db_path.parent.glob(f".{db_path.name}.*.tmp"):
        stray.unlink(missing_ok=True)


@contextmanager
def replacing(db_path: Path):
    """A connection to a new temporary file that replaces db_path only if the block
    completes; otherwise db_path is untouched and the temporary file removed."""
    remove_stray_temporaries(db_path)
    temporary = temporary_path(db_path)
    try:
        connection = sqlite3.connect(temporary, isolation_level=None)
        try:
            # Nothing reads the temporary file until it is complete: no need to sync it, and
            # the journal (for savepoints) can live in memory.
            connection.execute("PRAGMA journal_mode = MEMORY")
            connection.execute("PRAGMA synchronous = OFF")
            connection.execute("BEGIN")
            yield connection
            if connection.in_transaction:  # sqlite-utils' FTS set-up commits on its own
                connection.execute("COMMIT")
        finally:
            connection.close()
        if db_path.exists():  # a replacement keeps the permissions the file was given
            os.chmod(temporary, stat.S_IMODE(db_path.stat().st_mode))
        # On disk before the rename, so that a crash cannot leave a renamed but partial file.
        descriptor = os.open(temporary, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
        os.replace(temporary, db_path)
    finally:
        temporary.unlink(missing_ok=True)


@contextmanager
def updating(db_path: Path):
    """A transaction on db_path itself: committed only if the block completes, rolled back
    (to the same bytes) otherwise. SQLite's rollback journal makes it atomic: a build killed
    midway leaves a hot journal that the next connection rolls back."""
    connection = sqlite3.connect(db_path, isolation_level=None)
    try:
        connection.execute("PRAGMA journal_mode = DELETE")
        connection.execute("BEGIN IMMEDIATE")
        try:
            yield connection
        except BaseException:
            if connection.in_transaction:  # SQLite may have rolled back already (disk full)
                connection.execute("ROLLBACK")
            raise
        connection.execute("COMMIT")
    finally:
        connection.close()


def create_tables(connection: sqlite3.Connection) -> None:
    for table in ALL_TABLES:
        connection.execute(create_table_sql(table))
    create_build_tables(connection)


def create_build_tables(connection: sqlite3.Connection) -> None:
    """The build's own TEMP tables, empty at the start of every build."""
    for table in BUILD_TABLES:
        connection.execute(create_table_sql(table))
        connection.execute(f"DELETE FROM temp.[{table.name}]")


def create_indexes(connection: sqlite3.Connection, filled_by_checks: bool = False) -> None:
    """Indexes, made after the bulk insert (faster than maintaining them row by row) and before
    the checks and the linking of references, which join through them; those of the tables the
    checks fill, after the checks."""
    for table in ALL_TABLES:
        if table.filled_by_checks != filled_by_checks:
            continue
        for name in index_columns(table):
            column = table.column(name)
            # Optional columns are mostly NULL (each evidence row has one owner of eight):
            # a partial index serves `column = ?` and is far smaller and quicker to build. The
            # column a table is shown in order of keeps every row, so that a page of a search
            # can be read in that order from it (site/searching.py).
            whole = column.required or name == table.sort
            partial = "" if whole else f" WHERE [{name}] IS NOT NULL"
            connection.execute(
                f"CREATE INDEX [idx_{table.name}_{name}] ON [{table.name}] ([{name}]){partial}"
            )
        for columns in table.indexes:
            names = ", ".join(f"[{name}]" for name in columns)
            connection.execute(
                f"CREATE INDEX [idx_{table.name}_{'_'.join(columns)}] ON [{table.name}] ({names})"
            )


def enable_search(connection: sqlite3.Connection) -> None:
    """Full-text search, once the rows are final; the FTS triggers keep it in step with later
    incremental builds."""
    import sqlite_utils  # only full builds set up search: keep incremental start-up short

    db = sqlite_utils.Database(connection)
    for table in ALL_TABLES:
        if table.fts:
            db[table.name].enable_fts(
                list(table.fts), tokenize="porter", create_triggers=True, replace=True
            )


def insert_rows(
    connection: sqlite3.Connection,
    rows: dict[str, list[tuple]],
    data_name: str,
    problems: Problems,
    duplicated: set[tuple[str, str]],
) -> None:
    """Insert one unit's rows; an id that another file already defines is a problem."""
    statements = {
        name: f"INSERT INTO [{name}] VALUES ({', '.join('?' for _ in TABLES[name].columns)})"
        for name in rows
    }
    connection.execute("SAVEPOINT unit")
    try:
        for table_name, table_rows in rows.items():
            connection.executemany(statements[table_name], table_rows)
    except sqlite3.IntegrityError:
        # Rare, and the build will fail: find every offending row, one insert at a time.
        connection.execute("ROLLBACK TO unit")
        for table_name, table_rows in rows.items():
            for row in table_rows:
                try:
                    connection.execute(statements[table_name], row)
                except sqlite3.IntegrityError as error:
                    table = TABLES[table_name]
                    _report_duplicate(
                        connection, table, row, data_name, problems, duplicated, error
                    )
    connection.execute("RELEASE unit")


def _report_duplicate(connection, table: Table, row: tuple, data_name, problems, duplicated, error):
    values = dict(zip((column.name for column in table.columns), row, strict=True))
    key = tuple(values[name] for name in table.pk)
    if len(key) == 1:
        duplicated.add((table.name, key[0]))
    # A row of a record whose duplicate id is reported already (its names, its evidence).
    if any(
        (column.references, values[column.name]) in duplicated
        for column in table.columns
        if column.field is None and column.references
    ):
        return
    where = " AND ".join(f"[{name}] = ?" for name in table.pk)
    first = connection.execute(
        f"SELECT source_file, source_line FROM [{table.name}] WHERE {where}", key
    ).fetchone()
    record = next((values[name] for name in table.record_columns if values[name]), None)
    if first is None:  # not a duplicate: another constraint; say which
        message = f"cannot be stored in {table.name}: {error}"
    else:
        message = (
            f"duplicate {'id' if len(key) == 1 else 'row'} {'/'.join(map(str, key))!r} in "
            f"{table.name}; first defined at {data_name}/{first[0]}:{first[1]}"
        )
    problems.add(
        f"{data_name}/{values['source_file']}",
        values["source_line"],
        message,
        record=record,
        field="id" if len(key) == 1 and first is not None else None,
    )


def stage_files(connection: sqlite3.Connection, files: set[str]) -> None:
    """temp.stale_files: the files whose rows an incremental build replaces."""
    connection.execute("CREATE TEMP TABLE IF NOT EXISTS stale_files (path TEXT PRIMARY KEY)")
    connection.execute("DELETE FROM temp.stale_files")
    connection.executemany("INSERT INTO temp.stale_files VALUES (?)", ((f,) for f in files))


def delete_files(connection: sqlite3.Connection) -> dict[str, set[str]]:
    """Remove every row that came from the staged files; returns the removed ids per table."""
    removed: dict[str, set[str]] = {}
    for table in ALL_TABLES:
        if not table.tracked:
            continue
        where = "source_file IN (SELECT path FROM temp.stale_files)"
        if table.pk == ("id",):
            ids = connection.execute(f"SELECT id FROM [{table.name}] WHERE {where}").fetchall()
            removed[table.name] = {row[0] for row in ids}
        connection.execute(f"DELETE FROM [{table.name}] WHERE {where}")
    return removed


def check_integrity(connection: sqlite3.Connection) -> None:
    # quick_check reads every page and row, but does not compare the indexes with their
    # tables: they were all just made from the tables by CREATE INDEX (and integrity_check,
    # which does, cost a tenth of the build).
    integrity = connection.execute("PRAGMA quick_check").fetchall()
    if integrity != [("ok",)]:
        raise RuntimeError(f"quick_check failed: {integrity[:5]}")
    broken = connection.execute("PRAGMA foreign_key_check").fetchall()
    if broken:
        raise RuntimeError(f"foreign_key_check failed: {broken[:5]}")
