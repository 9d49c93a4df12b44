"""A search of a table (`?_search=`) answered from its full-text index, not match by match.

Datasette 0.65 finds the rows of a search with `where rowid in (select rowid from t_fts where
t_fts match ...)` and looks every match up in the table, three times over: for the page (all
of them sorted to show the first 101), for the count, and for each facet. At 10 000 articles
a common word matches 28 000 events or 45 000 sentences, and those lookups were the whole
cost of a page. On an immutable database three of Datasette's queries are answered otherwise,
with the same results:

- the count, by FTS5 from its index alone, with no lookup. The two agree when every
  rowid of the index is a row of the table, which is how the build makes them (sqlite-utils
  fills each index from its table's rows; its triggers keep them in step through incremental
  builds), and an immutable database stays so;
- the page, when at least one row in ORDER_SCAN_RATIO matches and an index over every row
  leads with the column the page is ordered by: read in that order from the index, stopping
  at the page's last row. The order is total (paging.py breaks ties by the key), so either
  plan gives the same rows; with fewer matches the index could be read to its end before
  the page fills, and Datasette's plan stays;
- the matching rows wherever Datasette's facets (or this package's, facets.py) read them
  from, as a subquery: a join that walks the index's matches instead of an IN list (half
  the time in the server). What each costs is in the README's Performance section.

Only a table page's own queries come here (site/__init__.py, paging.TABLE_PAGE).
"""

from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import dataclass

from datasette.database import QueryInterrupted, Results
from datasette.utils import detect_fts, escape_sqlite

# The page is read in index order when matches are at least this share of the table's rows:
# the index is then read ~ORDER_SCAN_RATIO entries per row shown, and at worst to its end, at
# ~0.06 µs an entry, where sorting costs ~0.7 µs a match (measured at 10 000 articles).
ORDER_SCAN_RATIO = 32
# The two forms of Datasette's match: escaped words, and _searchmode=raw.
MATCHES = ("escape_fts(:search)", ":search")
# A page in the order of a column (then, as paging.py orders it, of the key).
_PAGE_TAIL = re.compile(r"order by (\S+)(?:, \S+)? limit \d+")
# Searches whose counts are kept: a page asks for its count twice (its plan, its count).
COUNTS_KEPT = 256
_MATCH_ROWID = "_fts_match_rowid"  # the joined subquery's column: no table of ours has it


@dataclass(frozen=True)
class Searchable:
    table: str
    fts_table: str
    columns: tuple[str, ...]
    rows: int
    # An index over every row for each column it leads with, as Datasette writes the column.
    ordered_by: dict[str, str]

    def queries(self, match: str) -> dict[str, str]:
        """Datasette's queries of a search and what answers them, for one form of the match:
        its count and the count from the index; the rows it matches (its page query, before
        the order) and the same rows, the table joined to the index's matches."""
        columns = ", ".join(escape_sqlite(column) for column in self.columns)
        table, fts = escape_sqlite(self.table), escape_sqlite(self.fts_table)
        matches = f"(select rowid from {fts} where {fts} match {match})"
        return {
            "count": f"select count(*) from {table} where rowid in {matches} ",
            "count from index": f"select count(*) from {fts} where {fts} match {match}",
            "matching": f"select {columns} from {table} where rowid in {matches}",
            "joined": (
                f"select {columns} from {table} join (select rowid as {_MATCH_ROWID} from {fts} "
                f"where {fts} match {match}) on {table}.rowid = {_MATCH_ROWID}"
            ),
        }


def survey(conn, counts: dict | None = None) -> list[Searchable]:
    """The searchable tables of a database, in one trip to it; their rows counted unless
    `counts` has them (Datasette's, from the inspect file a served database comes with:
    counting a cold file reads every page of its tables)."""
    counts = counts or {}
    found = []
    tables = conn.execute(
        "select name from sqlite_master where type = 'table' "
        "and sql not like 'create virtual table%'"  # the full-text indexes themselves
    ).fetchall()
    for (table,) in tables:
        fts_table = detect_fts(conn, table)
        if not fts_table:
            continue
        columns = tuple(
            row[1] for row in conn.execute(f"pragma table_info({escape_sqlite(table)})")
        )
        if _MATCH_ROWID in columns:
            continue
        ordered_by = {}
        for _, index, _unique, _origin, partial in conn.execute(
            f"pragma index_list({escape_sqlite(table)})"
        ).fetchall():
            # One column, ascending, compared as bytes: the index's order is the column's.
            keys = [
                (name, desc, collation)
                for _, _, name, desc, collation, key in conn.execute(
                    f"pragma index_xinfo({escape_sqlite(index)})"
                )
                if key
            ]
            if not partial and len(keys) == 1 and keys[0][0] and keys[0][1:] == (0, "BINARY"):
                ordered_by.setdefault(escape_sqlite(keys[0][0]), index)
        rows = counts.get(table)
        if rows is None:
            rows = conn.execute(f"select count(*) from {escape_sqlite(table)}").fetchone()[0]
        found.append(Searchable(table, fts_table, columns, rows, ordered_by))
    return found


class Searches:
    """Datasette's queries of one immutable database, its searches answered as above."""

    def __init__(self, searchables: list[Searchable], execute):
        self._execute = execute
        self._counts, self._pages, self._subqueries = {}, {}, []
        for searchable in searchables:
            for match in MATCHES:
                queries = searchable.queries(match)
                self._counts[queries["count"]] = queries["count from index"]
                self._pages[queries["matching"]] = (searchable, queries["count from index"])
                # As Datasette's facets and this package's wrap it, on one line or several.
                wrapped = re.compile(rf"\(\s*{re.escape(queries['matching'])}\s*\)")
                self._subqueries.append((wrapped, f"({queries['joined']} )"))
        self._counted: OrderedDict = OrderedDict()  # (count, search) -> matches, the latest

    @classmethod
    async def of(cls, db) -> Searches | None:
        if db.is_mutable or not db.path:
            return None
        counts = db.cached_table_counts
        searchables = await db.execute_fn(lambda conn: survey(conn, counts))
        return cls(searchables, db.execute) if searchables else None

    async def execute(self, sql: str, params=None, *args, **kwargs) -> Results:
        if sql in self._counts:
            matches = await self._count(self._counts[sql], params, kwargs)
            return Results([(matches,)], False, [("count(*)",)])
        if "match" in sql:
            sql = await self._page_in_order(sql, params, kwargs) or sql
            for wrapped, joined in self._subqueries:
                sql = wrapped.sub(joined.replace("\\", "\\\\"), sql)
        return await self._execute(sql, params, *args, **kwargs)

    async def _count(self, count_sql: str, params, kwargs) -> int:
        """A search's matches, counted once for the page's plan and Datasette's count."""
        key = (count_sql, (params or {}).get("search"))
        if key not in self._counted:
            limit = kwargs.get("custom_time_limit")
            results = await self._execute(count_sql, params, custom_time_limit=limit)
            self._counted[key] = results.rows[0][0]
            if len(self._counted) > COUNTS_KEPT:
                self._counted.popitem(last=False)
        return self._counted[key]

    async def _page_in_order(self, sql: str, params, kwargs) -> str | None:
        """A search's page read in the order of an index, when that is quicker (see above)."""
        head, _, tail = sql.rpartition(") order by ")
        found = self._pages.get(head + ")")
        order = _PAGE_TAIL.fullmatch("order by " + tail) if found else None
        if order is None or order.group(1) not in found[0].ordered_by:
            return None
        searchable, count_sql = found
        try:
            matches = await self._count(count_sql, params, kwargs)
        except QueryInterrupted:
            return None  # Datasette's plan, and its own time limit
        if matches * ORDER_SCAN_RATIO < searchable.rows:
            return None
        table, index = escape_sqlite(searchable.table), searchable.ordered_by[order.group(1)]
        return sql.replace(
            f"from {table} where rowid in",
            f"from {table} indexed by {escape_sqlite(index)} where rowid in",
            1,
        )
