"""Writing article.db: DDL from the declarations, rows, indexes, FTS, checks, atomic rename."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import sqlite_utils

from .schema import SQL_TYPES, Table
from .tables import ALL_TABLES

DATE_COLUMNS = ("date", "published", "date_start", "date_end")


def create_table_sql(table: Table) -> str:
    lines = []
    for column in table.columns:
        parts = [f"[{column.name}]", SQL_TYPES[column.type]]
        if table.pk == (column.name,):
            parts.append("PRIMARY KEY")
        if column.required or column.name in table.pk:
            parts.append("NOT NULL")
        if column.references:
            parts.append(f"REFERENCES [{column.references}]([id])")
        if column.vocab:
            allowed = ", ".join(f"'{value}'" for value in column.vocab)
            parts.append(f"CHECK ([{column.name}] IN ({allowed}))")
        lines.append(" ".join(parts))
    if len(table.pk) > 1:
        lines.append(f"PRIMARY KEY ({', '.join(f'[{name}]' for name in table.pk)})")
    lines.extend(f"CHECK ({check})" for check in table.checks)
    body = ",\n    ".join(lines)
    return f"CREATE TABLE [{table.name}] (\n    {body}\n)"


def index_columns(table: Table) -> list[str]:
    return [
        column.name
        for column in table.columns
        if (column.references or column.name in DATE_COLUMNS) and table.pk[0] != column.name
    ]


def temporary_path(db_path: Path) -> Path:
    return db_path.with_name(f".{db_path.name}.{os.getpid()}.tmp")


def remove_stray_temporaries(db_path: Path) -> None:
    """Temporary files left by builds that were killed before they could clean up."""
    for stray in db_path.parent.glob(f".{db_path.name}.*.tmp"):
        stray.unlink(missing_ok=True)


def write_database(db_path: Path, rows: dict[str, list[dict]], extra_sql=()) -> None:
    """Write every table into a temporary file, check it, and move it into place."""
    db_path = Path(db_path)
    remove_stray_temporaries(db_path)
    temporary = temporary_path(db_path)
    try:
        connection = sqlite3.connect(temporary)
        try:
            _fill(connection, rows, extra_sql)
        finally:
            connection.close()
        os.replace(temporary, db_path)
    finally:
        temporary.unlink(missing_ok=True)


def _fill(connection: sqlite3.Connection, rows: dict[str, list[dict]], extra_sql) -> None:
    connection.execute("PRAGMA journal_mode = OFF")
    connection.execute("PRAGMA synchronous = OFF")
    db = sqlite_utils.Database(connection)
    with connection:
        for table in ALL_TABLES:
            connection.execute(create_table_sql(table))
            names = [column.name for column in table.columns]
            placeholders = ", ".join("?" for _ in names)
            connection.executemany(
                f"INSERT INTO [{table.name}] VALUES ({placeholders})",
                ([row[name] for name in names] for row in rows.get(table.name, [])),
            )
            for column in index_columns(table):
                connection.execute(
                    f"CREATE INDEX [idx_{table.name}_{column}] ON [{table.name}] ([{column}])"
                )
        for statement in extra_sql:
            connection.execute(*statement)
    for table in ALL_TABLES:
        if table.fts:
            db[table.name].enable_fts(list(table.fts), tokenize="porter", create_triggers=False)
    _check(connection)


def _check(connection: sqlite3.Connection) -> None:
    integrity = connection.execute("PRAGMA integrity_check").fetchall()
    if integrity != [("ok",)]:
        raise RuntimeError(f"integrity_check failed: {integrity[:5]}")
    broken = connection.execute("PRAGMA foreign_key_check").fetchall()
    if broken:
        raise RuntimeError(f"foreign_key_check failed: {broken[:5]}")
