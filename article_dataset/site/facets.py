"""Column facets counted in one pass over the rows a page shows.

Datasette 0.65 counts each column facet with a query of its own over the filtered rows, so a
search in a table with four facets reads every matching row once for the page, once for the
count and once per facet. Here all of a request's column facets are counted from one pass:
- on an immutable table whose facet columns have few values (found once per column), each
  column's rows with a value and a sum for each of its values but the last, which has the
  rest: one row of sums, no sorting (_count_known);
- otherwise a GROUP BY over the facet columns together, whose combinations are folded into
  each column's counts (_count_combinations), or, when they are too many, one materialised
  read of the matching rows that each facet groups on its own (_count_each).
Datasette's own ColumnFacet then renders the results (labels, toggle links, truncation)
exactly as it would, from these counts instead of its queries: the pages are the same
(tests/test_datasette.py compares them with Datasette's own, every way of counting).
"""

from __future__ import annotations

import weakref
from collections import Counter

from datasette.database import QueryInterrupted, Results
from datasette.facets import ColumnFacet
from datasette.utils import escape_sqlite


class OnePassColumnFacet(ColumnFacet):
    async def facet_results(self):
        columns = [
            config["config"].get("column") or config["config"]["simple"]
            for config in self.get_configs()
        ]
        if len(columns) < 2:
            return await super().facet_results()
        counted = await self._count(columns, self.get_facet_size() + 1)
        if counted is None:  # too slow together: each on its own, as Datasette does
            return await super().facet_results()
        datasette = self.ds
        self.ds = _Answering(datasette, counted)
        try:
            return await super().facet_results()
        finally:
            self.ds = datasette

    async def _count(self, columns: list[str], limit: int) -> list[Results] | None:
        """For each column, what ColumnFacet's own query would return: its values and counts,
        the commonest first, at most `limit`."""
        unique = list(dict.fromkeys(columns))
        try:
            counted = await self._count_known(unique)
            if counted is None:
                counted = await self._count_combinations(unique, limit)
        except QueryInterrupted:
            return None
        description = (("value", None), ("count", None))
        by_column = dict(zip(unique, counted, strict=True))
        return [
            Results(
                [
                    {"value": value, "count": count}
                    for value, count in sorted(
                        by_column[column].items(), key=lambda item: (-item[1], _ordered(item[0]))
                    )[:limit]
                ],
                False,
                description,
            )
            for column in columns
        ]

    async def _count_known(self, unique: list[str]) -> list[Counter] | None:
        """Each column's values counted in one pass with no sorting at all, from the values
        the table holds (an immutable table: Datasette serves it as one that never changes,
        as make serve's snapshot does not): its rows with a value, and a sum for each value
        but the last, which has the rest. None when a column has too many values to sum."""
        values = [await self._values(column) for column in unique]
        if any(known is None for known in values):
            return None
        if sum(max(len(known), 1) for known in values) > MAX_SUMS:
            return None
        sums, params = [], dict(self.params)
        for column, known in zip(unique, values, strict=True):
            sums.append(f"count({escape_sqlite(column)})")
            for value in known[:-1]:
                name = f"facet_value_{len(params)}"  # params are p0, p1, search...: no clash
                sums.append(f"sum({escape_sqlite(column)} = :{name})")
                params[name] = value
        sql = f"select {', '.join(sums)} from ({self.sql})"
        [row] = await self._execute(sql, len(unique), params)
        position, counted = 0, []
        for known in values:
            with_value, found = (
                row[position],
                [n or 0 for n in row[position + 1 : position + len(known)]],
            )
            position += max(len(known), 1)  # a column of no values has its count alone
            if known:
                found.append(with_value - sum(found))
            counted.append(Counter({v: n for v, n in zip(known, found, strict=True) if n}))
        return counted

    async def _values(self, column: str) -> list | None:
        """The values a column of an immutable table holds, when there are few; None when
        there are many, the database may change, the table has no such column (as written:
        a request's _facet is not trusted to name one), or finding them took too long."""
        db = self.ds.get_database(self.database)
        if db.is_mutable or not self.table:
            return None
        known_values = _KNOWN_VALUES.setdefault(db, {})
        key = (self.table, column)
        if key not in known_values:
            if column not in await db.table_columns(self.table):
                return None  # not cached: the schema bounds what is
            sql = (
                f"select distinct {escape_sqlite(column)} from {escape_sqlite(self.table)} "
                f"where {escape_sqlite(column)} is not null limit {MAX_KNOWN_VALUES + 1}"
            )
            try:
                rows = await self._execute(sql, 1, {})
            except QueryInterrupted:
                return None  # a busy moment: found on a later request
            known_values[key] = [row[0] for row in rows] if len(rows) <= MAX_KNOWN_VALUES else None
        return known_values[key]

    async def _count_combinations(self, unique: list[str], limit: int):
        """One GROUP BY over the facet columns together, its combinations folded into each
        column's counts; for columns of many values, a GROUP BY for each."""
        read = ", ".join(escape_sqlite(column) for column in unique)
        sql = (
            f"select {read}, count(*) from ({self.sql}) group by {read} "
            f"limit {MAX_COMBINATIONS + 1}"
        )
        rows = await self._execute(sql, len(unique))
        if len(rows) > MAX_COMBINATIONS:
            return await self._count_each(unique, limit)
        counted = [Counter() for _ in unique]
        for row in rows:
            for number, value in enumerate(row[:-1]):
                if value is not None:
                    counted[number][value] += row[-1]
        return counted

    async def _count_each(self, unique: list[str], limit: int) -> list[Counter]:
        """The matching rows' facet columns read once into a temporary table, and each
        column's values counted from it (the commonest `limit`)."""
        read = ", ".join(escape_sqlite(column) for column in unique)
        branches = [
            f"select * from (select {number} as facet, {escape_sqlite(column)} as value, "
            f"count(*) as count from matching where {escape_sqlite(column)} is not null "
            f"group by {escape_sqlite(column)} order by count desc, value limit {limit})"
            for number, column in enumerate(unique)
        ]
        sql = (
            f"with matching as materialized (select {read} from ({self.sql}))\n"
            + "\nunion all\n".join(branches)
        )
        counted = [Counter() for _ in unique]
        for facet, value, count in await self._execute(sql, len(unique)):
            counted[facet][value] = count
        return counted

    async def _execute(self, sql: str, facets: int, params: dict | None = None):
        return (
            await self.ds.execute(
                self.database,
                sql,
                self.params if params is None else params,
                truncate=False,
                custom_time_limit=self.ds.setting("facet_time_limit_ms") * facets,
            )
        ).rows


# A column's values are summed one by one up to this many; by database, the (table, column)
# of the columns asked for, which the schema bounds, with their values.
MAX_KNOWN_VALUES = 40
# Result columns of one sums query: under the guard's limit on columns (guard.MAX_COLUMNS).
MAX_SUMS = 60
_KNOWN_VALUES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
# Beyond this many combinations of facet values, counting them in Python costs more than
# SQLite grouping each column on its own.
MAX_COMBINATIONS = 5_000
# SQLite's order of values of different kinds: numbers, then text, then blobs (NULLs are not
# counted); within a kind, Python's order is SQLite's (text compared as UTF-8 bytes compares
# as code points).
_KIND_ORDER = {int: 0, float: 0, str: 1, bytes: 2}


def _ordered(value):
    return (_KIND_ORDER.get(type(value), 3), value)


class _Answering:
    """The Datasette a ColumnFacet asks: its facet queries, in order, are answered from the
    counts made in one pass; everything else is the real Datasette's."""

    def __init__(self, datasette, counted: list[Results]):
        self._datasette, self._counted = datasette, list(counted)

    async def execute(self, *args, **kwargs):
        return self._counted.pop(0)

    def __getattr__(self, name):
        return getattr(self._datasette, name)


def replace_column_facet(classes_by_plugin: list[list]) -> list[list]:
    return [
        [OnePassColumnFacet if cls is ColumnFacet else cls for cls in classes]
        for classes in classes_by_plugin
    ]
