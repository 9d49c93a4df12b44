"""A sorted table's pages in one order, from the first page to the last.

Datasette 0.65 orders the first page of a sorted table (`order by date_sort`) by the sort
column alone, and every later page (`?_next=`) by the sort column and then the primary key,
from where the last row's (value, key) left off. Rows of equal values come on the first page
in the order SQLite reads them (rowid order), which is not key order: where the first page
ends among equal values, the second repeats some rows and skips others. A CSV download with
`_stream=on` walks the same pages, so a download of every event could hold some twice and
miss others (the real data's 45 events in pages of 2: 37 shown). The first page is ordered by
the key too, as the later ones are.

Only a table page's own query is rewritten: the request's path names the table
(TABLE_PAGE, set for each request), and the query is the shape Datasette writes for it (the
table's columns, the table, its conditions, one column to order by, a limit).
"""

from __future__ import annotations

import re
from contextvars import ContextVar
from dataclasses import dataclass

from datasette.utils import detect_primary_keys, escape_sqlite, tilde_decode

# (database, table) of the table page being answered, if the request is for one.
TABLE_PAGE: ContextVar[tuple[str, str] | None] = ContextVar("table_page", default=None)
_ORDER = re.compile(r"order by (\[[^\]]*\]|\w+)( desc)? limit (\d+)")
# Conditions that would make the page a compound query, whose order Datasette does not page.
_COMPOUND = re.compile(r"\b(?:union|except|intersect)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Shape:
    columns: frozenset[str]  # as Datasette writes them in its select list
    key: str  # what Datasette orders later pages by after the sort column


def table_shape(conn, table: str) -> Shape | None:
    """None for anything but a table (a view is paged by offset, not by key)."""
    kind = conn.execute("select type from sqlite_master where name = ?", [table]).fetchone()
    if kind is None or kind[0] != "table":
        return None
    names = [row[1] for row in conn.execute(f"pragma table_info({escape_sqlite(table)})")]
    keys = detect_primary_keys(conn, table)
    key = ", ".join(map(escape_sqlite, keys)) if keys else "rowid"
    return Shape(frozenset(map(escape_sqlite, names)) | {"rowid"}, key)


def table_shapes(conn) -> dict[str, Shape]:
    tables = conn.execute("select name from sqlite_master where type = 'table'").fetchall()
    return {table: shape for (table,) in tables if (shape := table_shape(conn, table))}


def table_page(scope: dict, base_url: str) -> tuple[str, str] | None:
    """(database route, table) named by a table page's path (/article/events,
    /article/events.csv), read as Datasette's router reads it; a canned query's path looks the
    same, and its name is no table."""
    path = scope["path"]
    if scope.get("raw_path"):
        path = scope["raw_path"].decode("ascii", "replace")
    path = path.partition("?")[0]
    if base_url != "/" and path.startswith(base_url):
        path = "/" + path[len(base_url) :]
    parts = path.strip("/").split("/")
    if len(parts) != 2 or not all(parts):
        return None
    database, table = parts
    return tilde_decode(database), tilde_decode(table.rsplit(".", 1)[0])


def in_key_order(sql: str, table: str, shape: Shape) -> str | None:
    """The table page's query ordered by its sort column and then its key; None for any
    other query."""
    if sql.count("'") % 2:
        return None  # a condition's string left open: not ours to extend
    head, _, tail = sql.rpartition(" order by ")
    order = _ORDER.fullmatch("order by " + tail)
    marker = f" from {escape_sqlite(table)}"
    at = head.find(marker)
    if order is None or not head.startswith("select ") or at < 0:
        return None
    conditions = head[at + len(marker) :]
    if conditions and (not conditions.startswith(" where ") or _COMPOUND.search(conditions)):
        return None
    if not set(head[len("select ") : at].split(", ")) <= shape.columns:
        return None
    column, desc, limit = order.groups()
    if column == shape.key:
        return None
    return f"{head} order by {column}{desc or ''}, {shape.key} limit {limit}"
