"""Datasette plugin: serve the metadata embedded in each database by the build.

Installed with the project (entry point "datasette"), so plain `datasette article.db` shows
titles, license, column descriptions and canned queries. Metadata given with -m still wins.
"""

from __future__ import annotations

import json
import os
import sqlite3
import urllib.parse

from datasette import hookimpl
from datasette.utils import tilde_encode
from markupsafe import Markup

TABLE = "_datasette_metadata"
# Enough to map the whole file of a corpus of ~10 000 articles; address space, not memory.
MMAP_BYTES = 1 << 31


class _Shared(dict):
    """Metadata that deep copies share instead of copying.

    Datasette 0.65 deep-copies every metadata source for each table permission check, which
    made the database page ~10x slower with full column docs. Datasette does write into what
    it is given (each canned query's name, queries from other plugins), but always the same
    values, so sharing one copy across requests changes nothing it shows.
    """

    def __deepcopy__(self, memo):
        return self


_cache: dict[str, tuple[tuple, dict | None]] = {}


def embedded(path: str, may_change: bool = True) -> dict | None:
    """{'site': ..., 'database': ...} from a database file, re-read when the file changes.
    Datasette asks for metadata hundreds of times a page: a database served immutable is
    read once and never stat-ed again."""
    cached = _cache.get(path)
    if cached and not may_change:
        return cached[1]
    try:
        stat = os.stat(path)
    except OSError:
        return None
    signature = (stat.st_mtime_ns, stat.st_size, stat.st_ino)
    if cached and cached[0] == signature:
        return cached[1]
    value = None
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            rows = connection.execute(f"select key, value from [{TABLE}]").fetchall()
            value = {key: json.loads(text, object_hook=_Shared) for key, text in rows}
        finally:
            connection.close()
    except sqlite3.Error:
        value = None
    _cache[path] = (signature, value)
    return value


@hookimpl
def get_metadata(datasette, key, database, table):
    merged: dict = {}
    for name, db in datasette.databases.items():
        if db.is_memory or not db.path:
            continue
        found = embedded(db.path, db.is_mutable)
        if not found:
            continue
        for site_key, value in (found.get("site") or {}).items():
            merged.setdefault(site_key, value)
        merged.setdefault("databases", {})[name] = found.get("database") or {}
    return merged


@hookimpl
def prepare_connection(conn):
    # A search reads one table row per match: through SQLite's small page cache each page
    # is copied in with a system call, again for every query. Memory-mapped pages are read
    # in place and shared by every connection (measured: searches ~25 % faster at 10 000
    # articles; a larger page cache per connection gave nothing more).
    conn.execute(f"PRAGMA mmap_size = {MMAP_BYTES}")


def _linking(datasette, database: str) -> dict:
    """The build's list of record tables and id columns (metadata: plugins.article_dataset)."""
    db = datasette.databases.get(database)
    if db is None or db.is_memory or not db.path:
        return {}
    found = (embedded(db.path, db.is_mutable) or {}).get("database") or {}
    return (found.get("plugins") or {}).get("article_dataset") or {}


def _linked_record(row, value, column, table, linking) -> tuple[object, object] | None:
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


def _record_links(datasette, database: str, table: str, record_id: str) -> Markup:
    """On a curated record's page: its values with their sentences, and its quotes."""
    query = urllib.parse.urlencode({"record_table": table, "record_id": record_id})
    base = datasette.urls.database(database)
    return Markup(
        '{} <span class="record-links">· <a href="{}">every value and the sentence that '
        'states it</a> · <a href="{}">every quote</a></span>'
    ).format(record_id, f"{base}/provenance?{query}", f"{base}/record_evidence?{query}")


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    # A cell that names a record (a polymorphic record_table/record_id pair, a claim's value,
    # a "search" hit's title, an id column) becomes a link to the record's page. Both parts of
    # the path are tilde-encoded and Markup.format escapes the text, so a query's values cannot
    # inject markup or leave the database's pages.
    if value is None:
        return None
    linking = _linking(datasette, database)
    if column == "id" and table in (linking.get("records") or ()) and not isinstance(value, dict):
        # Only row pages show a record's id as a cell: table pages make it the row's link.
        return _record_links(datasette, database, table, str(value))
    linked = _linked_record(row, value, column, table, linking)
    if linked is None or None in linked:
        return None
    record_table, record_id = linked
    url = datasette.urls.row(database, str(record_table), tilde_encode(str(record_id)))
    return Markup('<a class="record" href="{}">{}</a>').format(url, value)


@hookimpl
def menu_links(datasette, actor, request):
    searchable = [
        name
        for name, db in datasette.databases.items()
        if not db.is_memory
        and db.path
        and "search"
        in ((embedded(db.path, db.is_mutable) or {}).get("database") or {}).get("queries", {})
    ]
    return [
        {
            "href": datasette.urls.database(name) + "/search",
            "label": "Search everything" + (f" in {name}" if len(searchable) > 1 else ""),
        }
        for name in searchable
    ]
