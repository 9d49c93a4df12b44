"""A sorted table's pages in one order, from the first page to the last.

Datasette 0.65 orders the first page of a sorted table (`order by date_sort`) by the sort
column alone, and every later page (`?_next=`) by the sort column and then the primary key,
from where the last row's (value, key) left off. Rows of equal values come on the first page
in the order SQLite reads them (rowid order), which is not key order: where the first page
ends among equal values, the second repeats some rows and skips others. A CSV download with
`_stream=on` walks the same pages, so at 10 000 articles a download of the 200 000 events
(216 dates) held some events twice and missed others. The first page is ordered by the key
too, as the later ones are.
"""

from __future__ import annotations

import re

from datasette.utils import escape_sqlite

_ORDER = re.compile(r"order by (\[[^\]]*\]|\w+)( desc)? limit (\d+)")
# Datasette's table query before its order: its columns, the table, and any conditions.
_FROM = re.compile(r"select .*? from (\S+)(?: where .*)?", re.DOTALL)


def table_keys(conn) -> dict[str, str]:
    """Each table's key as Datasette orders later pages by: its primary key, or rowid."""
    keys = {}
    for (table,) in conn.execute("select name from sqlite_master where type = 'table'").fetchall():
        info = conn.execute(f"pragma table_info({escape_sqlite(table)})").fetchall()
        pks = [row[1] for row in sorted(info, key=lambda row: row[5]) if row[5]]
        keys[escape_sqlite(table)] = ", ".join(map(escape_sqlite, pks)) if pks else "rowid"
    return keys


def in_key_order(sql: str, keys: dict[str, str]) -> str | None:
    """A sorted table's page ordered by its sort column and then its key; None for any other
    query, and for any with a string literal (Datasette's table queries hold none: their
    values are parameters)."""
    if "'" in sql or '"' in sql:
        return None
    head, _, tail = sql.rpartition(" order by ")
    order = _ORDER.fullmatch("order by " + tail)
    table = _FROM.fullmatch(head) if order else None
    key = keys.get(table.group(1)) if table else None
    column, desc, limit = order.groups() if key else (None, None, None)
    if key is None or column == key:
        return None
    return f"{head} order by {column}{desc or ''}, {key} limit {limit}"
