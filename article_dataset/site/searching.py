"""A search's count answered from its full-text index, not from the table.

For `?_search=` Datasette 0.65 counts the matching rows with
`select count(*) from t where rowid in (select rowid from t_fts where t_fts match ...)`,
which looks up every match in the table: at 10 000 articles a common word matches 45 000
sentences, and that count cost 25 ms of a 55 ms page. FTS5 counts the same matches from its
index alone in about 1 ms. The two agree when every rowid of the index is a row of the table,
which is how the build makes them (sqlite-utils fills each index from its table's rows, and
its triggers keep them in step through incremental builds); only an immutable database is
trusted to stay so.
"""

from __future__ import annotations

from datasette.utils import detect_fts, escape_sqlite


def count_sql(table: str, fts_table: str, match: str) -> tuple[str, str]:
    """(Datasette's count of a search, the same count from the index) for one table."""
    table, fts_table = escape_sqlite(table), escape_sqlite(fts_table)
    return (
        f"select count(*) from {table} where rowid in "
        f"(select rowid from {fts_table} where {fts_table} match {match}) ",
        f"select count(*) from {fts_table} where {fts_table} match {match}",
    )


async def count_searches_from_index(db) -> None:
    """Make the database answer each searchable table's count of a search from its index."""
    if db.is_mutable or not db.path:
        return

    def searchable(conn) -> dict[str, str]:  # one trip to the database, not one per table
        tables = [
            row[0] for row in conn.execute("select name from sqlite_master where type = 'table'")
        ]
        return {table: fts for table in tables if (fts := detect_fts(conn, table))}

    counts = {}
    for table, fts_table in (await db.execute_fn(searchable)).items():
        for match in ("escape_fts(:search)", ":search"):  # escaped, and _searchmode=raw
            datasette_sql, from_index = count_sql(table, fts_table, match)
            counts[datasette_sql] = from_index
    if not counts:
        return
    execute = db.execute

    async def counting(sql, *args, **kwargs):
        return await execute(counts.get(sql, sql), *args, **kwargs)

    db.execute = counting
