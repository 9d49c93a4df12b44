"""Cells that name a record become links to it, shown by the record's label."""

from __future__ import annotations

import sqlite3
import threading
import urllib.parse
from collections import OrderedDict

from datasette.utils import escape_sqlite
from markupsafe import Markup

from .embedded import file_signature
from .pages import label_sql

# Labels kept per process: a page of 1 000 rows names at most a few thousand records, and
# each entry is a short string. Older entries go first.
LABELS_KEPT = 20_000
_labels: OrderedDict[tuple, str | None] = OrderedDict()
# (label column, primary key) of each table, or None where it has no label or single key.
_label_sources: dict[tuple, tuple[str, str] | None] = {}
_MISSING = object()
_connections: dict[tuple, sqlite3.Connection] = {}


def linked_record(row, value, column, table, linking) -> tuple[object, object] | None:
    """(table, id) of the record a cell names, if it names one."""
    if not hasattr(row, "keys") or isinstance(value, dict):  # dict: Datasette's own FK link
        return None
    keys = row.keys()
    kind = f"{column.removesuffix('_id')}_table"
    if column.endswith("_id") and kind in keys:  # record_id and record_table, by_id and by_table
        return row[kind], value
    if column == "value" and "value_table" in keys:  # a claim's value that names a record
        return row["value_table"], value
    if table is None and column == "title" and "record_table" in keys and "record_id" in keys:
        return row["record_table"], row["record_id"]
    target = (linking.get("id_columns") or {}).get(column)
    # Query results, and row pages, where Datasette 0.65 shows foreign keys unlinked (table
    # pages give Datasette's own link, a dict, above).
    return (target, value) if target else None


def record_links(datasette, database: str, table: str, record_id: str) -> Markup:
    """On a curated record's page: its values with their sentences, and its quotes."""
    query = urllib.parse.urlencode({"record_table": table, "record_id": record_id})
    base = datasette.urls.database(database)
    return Markup(
        '{} <span class="record-links">· <a href="{}">every value and the sentence that '
        'states it</a> · <a href="{}">every quote</a></span>'
    ).format(record_id, f"{base}/provenance?{query}", f"{base}/record_evidence?{query}")


def link(url: str, value, label: str | None) -> Markup:
    """A link to a record: its label with its id, or its id alone where it has no label."""
    if label is None:
        return Markup('<a class="record" href="{}">{}</a>').format(url, value)
    return Markup('<a class="record" href="{}">{} <span class="record-id">({})</span></a>').format(
        url, label, value
    )


def labelled_link(datasette, database: str, table: str, value, url: str) -> Markup:
    return link(url, value, record_label(datasette, database, table, str(value)))


def _generation(db) -> tuple | None:
    """What a cached label depends on: nothing for an immutable file; else the file as it is
    now, so that a rebuild of a mutable database is not shown with its old labels."""
    if not db.is_mutable:
        return None
    return file_signature(db.path) or ("unreadable",)


def _connection(db, generation) -> sqlite3.Connection:
    """A read-only connection of this event loop's thread, for lookups by primary key.

    Each costs some 20 microseconds here, where a query through Datasette's threads costs
    0.3 ms for the hop alone: a table page of 1 000 rows names up to 2 000 records."""
    thread = threading.get_ident()  # a connection serves the thread that made it
    key = (db.path, generation, thread)
    connection = _connections.get(key)
    if connection is None:
        for old in [k for k in _connections if k[0] == db.path and k[2] == thread]:
            _connections.pop(old).close()
        mode = "ro" if db.is_mutable else "ro&immutable=1"
        path = urllib.parse.quote(db.path)
        connection = sqlite3.connect(f"file:{path}?mode={mode}", uri=True)
        _connections[key] = connection
    return connection


def record_label(datasette, database: str, table: str, record_id: str) -> str | None:
    """The record's label (its table's label_column, as Datasette finds it), None where there
    is none or it is the id itself, or no such record. Looked up once per record, then kept:
    pages of many rows repeat the same few records, and the served database never changes."""
    db = datasette.databases.get(database)
    if db is None or db.is_memory or not db.path:
        return None
    generation = _generation(db)
    key = (db.path, generation, table, record_id)
    found = _labels.get(key, _MISSING)
    if found is not _MISSING:
        _labels.move_to_end(key)
        return found
    label = None
    try:
        connection = _connection(db, generation)
        source = _label_source(datasette, database, connection, db.path, generation, table)
        if source is not None:
            column, primary_key = source
            first = connection.execute(
                f"select {label_sql(table, column)} from {escape_sqlite(table)} "
                f"where {escape_sqlite(primary_key)} = ?",
                [record_id],
            ).fetchone()
            if first is not None and first[0] is not None and str(first[0]) != record_id:
                label = str(first[0])
    except sqlite3.Error:  # unreadable, or another thread's: show the id, keep nothing
        return None
    _labels[key] = label
    while len(_labels) > LABELS_KEPT:
        _labels.popitem(last=False)
    return label


def _label_source(datasette, database, connection, path, generation, table):
    """(label column, primary key) as Datasette's label_column_for_table finds the column."""
    key = (path, generation, table)
    if key not in _label_sources:
        details = connection.execute(f"PRAGMA table_info({escape_sqlite(table)})").fetchall()
        columns = [row[1] for row in details]
        primary_keys = [row[1] for row in details if row[5]]
        column = datasette.table_metadata(database, table).get("label_column")
        if not column:
            named = [c for c in columns if c.lower() in ("name", "title")]
            others = [c for c in columns if c not in ("id", "pk")]
            if named:
                column = named[0]
            elif len(columns) == 2 and len(others) == 1:
                column = others[0]
        found = (column, primary_keys[0]) if column in columns and len(primary_keys) == 1 else None
        if len(_label_sources) > 1_000:  # tables of databases rebuilt many times over
            _label_sources.clear()
        _label_sources[key] = found
    return _label_sources[key]
