"""Column facets counted in one pass over the rows a page shows.

Datasette 0.65 counts each column facet with a query of its own over the filtered rows, so a
search in a table with four facets reads every matching row once for the page, once for the
count and once per facet (~0.45 µs a row at 10 000 articles: a word in 28 700 events cost four
facet queries of 10-18 ms). Here all of a request's column facets are counted from one
materialised pass: the matching rows' facet columns are read once into a temporary table, and
each facet is a GROUP BY over that. Datasette's own ColumnFacet then renders the results (labels,
toggle links, truncation) exactly as it would, from these counts instead of its queries: the
pages are the same (tests/test_publishing.py compares them with stock Datasette's).
"""

from __future__ import annotations

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
        read = ", ".join(escape_sqlite(column) for column in unique)
        branches = [
            f"select * from (select {number} as facet, {escape_sqlite(column)} as value, "
            f"count(*) as count from matching where {escape_sqlite(column)} is not null "
            f"group by {escape_sqlite(column)} order by count desc, value limit {limit})"
            for number, column in enumerate(columns)
        ]
        sql = (
            f"with matching as materialized (select {read} from ({self.sql}))\n"
            + "\nunion all\n".join(branches)
            + "\norder by facet, count desc, value"
        )
        try:
            rows = await self.ds.execute(
                self.database,
                sql,
                self.params,
                truncate=False,
                custom_time_limit=self.ds.setting("facet_time_limit_ms") * len(columns),
            )
        except QueryInterrupted:
            return None
        by_facet: list[list[dict]] = [[] for _ in columns]
        for facet, value, count in rows.rows:
            by_facet[facet].append({"value": value, "count": count})
        description = (("value", None), ("count", None))
        return [Results(found, False, description) for found in by_facet]


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
