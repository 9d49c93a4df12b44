"""Searches of a table on an immutable database (site/searching.py): counted from the index,
pages read in index order, facets' rows joined to the matches; always what Datasette shows."""

from __future__ import annotations

import json
import sqlite3

import pytest
from datasette.app import Datasette

from article_dataset.metadata import metadata
from article_dataset.schema import TABLES
from article_dataset.site.searching import survey

SEARCHABLE = [
    "sentences",
    "actors",
    "places",
    "events",
    "statements",
    "cases",
    "charges",
    "figures",
]


def _terms(db_path: str, table: str) -> list[str]:
    """The words of a table's index most often matched, a few of the rarest, and none."""
    connection = sqlite3.connect(db_path)
    connection.execute(
        f"create virtual table temp.vocabulary using fts5vocab(main, {table}_fts, row)"
    )
    ranked = [row[0] for row in connection.execute("select term from vocabulary order by doc desc")]
    connection.close()
    return ranked[:8] + ranked[-2:] + ["nothing-matches-this"]


@pytest.mark.parametrize("table", SEARCHABLE)
@pytest.mark.parametrize("corpus", ["corpus_db", "db_path"])
async def test_search_pages_are_what_datasette_shows(request, corpus, table):
    """Every page, count and facet of a search on the immutable database is what Datasette
    shows on the same file opened mutable (whose queries the site leaves as they are, but for
    the order of paging.py), and both ways of reading a page ran: in the index's order for
    words most rows match, sorted otherwise."""
    db_path = str(request.getfixturevalue(corpus))
    ours = Datasette(immutables=[db_path], metadata=metadata(), settings={"trace_debug": True})
    stock = Datasette([db_path], metadata=metadata(), settings={"trace_debug": True})
    connection = sqlite3.connect(db_path)
    [searchable] = [found for found in survey(connection) if found.table == table]
    connection.close()
    # Another column with an index over every row (charges' defendant_id): read in its order.
    others = sorted(set(searchable.ordered_by) - {TABLES[table].sort, "id"})
    by_other = [{"_sort": others[0]}] if others else []
    plans = set()
    for term in _terms(db_path, table):
        raw = [{"_searchmode": "raw"}] if term.isalnum() else []  # raw: FTS5's own syntax
        for extra in ({}, {"_size": "7"}, *raw, *by_other):
            params = {"_search": term, **extra, "_trace": "1"}  # both: it is in the links
            path = f"/article/{table}.json"
            expected = (await stock.client.get(path, params=params)).json()
            shown = (await ours.client.get(path, params=params)).json()
            traces = [trace["sql"] for trace in shown.pop("_trace")["traces"]]
            for key in ("rows", "filtered_table_rows_count", "facet_results", "next"):
                assert shown[key] == expected[key], (term, extra, key)
            page = next(sql for sql in traces if sql.startswith("select") and " limit " in sql)
            plans.add("indexed by" in page)
            if by_other and extra == by_other[0] and "indexed by" in page:
                plans.add(others[0])
            if shown["facet_results"] and shown["filtered_table_rows_count"]:
                assert any("join (select rowid as _fts_match_rowid" in sql for sql in traces)
    assert plans == {True, False, *others[:1]} or table in ("actors", "places")  # by name


async def test_a_page_is_read_in_order_only_when_many_rows_match(corpus_db, monkeypatch):
    """The index's order is used from one match in ORDER_SCAN_RATIO rows of the table on."""
    from article_dataset.site import searching

    ours = Datasette(immutables=[corpus_db], settings={"trace_debug": True})
    connection = sqlite3.connect(corpus_db)
    [(rows,)] = connection.execute("select count(*) from events")
    connection.close()

    async def plan(term: str) -> tuple[int, bool]:
        response = await ours.client.get(
            "/article/events.json", params={"_search": term, "_trace": "1", "_nofacet": "1"}
        )
        page = [t["sql"] for t in response.json()["_trace"]["traces"] if " limit 101" in t["sql"]]
        return response.json()["filtered_table_rows_count"], "indexed by" in page[0]

    matches, in_order = await plan("detained")
    assert in_order and matches * searching.ORDER_SCAN_RATIO >= rows
    monkeypatch.setattr(searching, "ORDER_SCAN_RATIO", rows // matches - 1)
    assert await plan("detained") == (matches, False)


async def test_the_table_s_rows_come_from_the_inspect_file_when_it_has_them(tmp_path, corpus_db):
    """A served database comes with its inspect file (make serve): its counts, not a count of
    every table at start-up, weigh the plan. Here it says events has far more rows."""
    import subprocess
    import sys

    inspect_file = tmp_path / "inspect.json"
    subprocess.run(
        [sys.executable, "-m", "datasette", "inspect", corpus_db, "--inspect-file", inspect_file],
        check=True,
    )
    inspect_data = json.loads(inspect_file.read_text())
    for number in (1, 100_000):
        inspect_data["article"]["tables"]["events"]["count"] *= number
        ours = Datasette(
            immutables=[corpus_db], inspect_data=inspect_data, settings={"trace_debug": True}
        )
        response = await ours.client.get(
            "/article/events.json", params={"_search": "detained", "_trace": "1", "_nofacet": "1"}
        )
        page = [t["sql"] for t in response.json()["_trace"]["traces"] if " limit 101" in t["sql"]]
        assert ("indexed by" in page[0]) == (number == 1)


COUNTED_FROM_INDEX = "select count(*) from events_fts where events_fts match {}"


@pytest.mark.parametrize(
    "params, count_sql",
    [
        ({"_search": "video", "_searchmode": "raw"}, COUNTED_FROM_INDEX.format(":search")),
        ({"_search": "video"}, COUNTED_FROM_INDEX.format("escape_fts(:search)")),
        ({"_search": "video", "kind": "violence"}, None),  # a filter too: the table counts
        ({"_search_title": "video"}, None),
    ],
)
async def test_only_a_search_alone_is_counted_from_the_index(db_path, params, count_sql):
    from datasette.app import Datasette

    datasette = Datasette(immutables=[str(db_path)], settings={"trace_debug": True})
    stock = Datasette([str(db_path)])  # mutable: counted by the table, as Datasette does
    path = "/article/events.json"
    query = {**params, "_nofacet": "1"}
    response = await datasette.client.get(path, params={**query, "_trace": "1"})
    counts = [t["sql"] for t in response.json()["_trace"]["traces"] if "count(*)" in t["sql"]]
    if count_sql:  # and the page's choice of plan may have counted the same way
        assert set(counts) == {count_sql}
    else:
        assert len(counts) == 1 and "from events where" in counts[0]
    expected = (await stock.client.get(path, params=query)).json()["filtered_table_rows_count"]
    assert response.json()["filtered_table_rows_count"] == expected
    assert expected > 0 or "kind" in params


@pytest.mark.parametrize("table", ["events", "sentences", "statements", "actors"])
@pytest.mark.parametrize("term", ["video", "Danebaev", "nothing-matches-this", '"quoted'])
async def test_search_counts_from_the_index_are_the_tables(db_path, table, term):
    """An immutable database counts a search's matches from the full-text index alone
    (site/searching.py): the same count as the rows of the table that match."""
    import sqlite3

    from datasette.app import Datasette
    from datasette.utils import escape_fts

    datasette = Datasette(immutables=[str(db_path)], settings={"trace_debug": True})
    response = await datasette.client.get(
        f"/article/{table}.json", params={"_search": term, "_trace": "1", "_nofacet": "1"}
    )
    assert response.status_code == 200
    counts = [t["sql"] for t in response.json()["_trace"]["traces"] if "count(*)" in t["sql"]]
    assert set(counts) == {
        f"select count(*) from {table}_fts where {table}_fts match escape_fts(:search)"
    }
    connection = sqlite3.connect(db_path)
    connection.create_function("escape_fts", 1, escape_fts)
    [(expected,)] = connection.execute(
        f"select count(*) from {table} where rowid in "
        f"(select rowid from {table}_fts where {table}_fts match escape_fts(?))",
        [term],
    )
    connection.close()
    assert response.json()["filtered_table_rows_count"] == expected
    assert expected > 0 or term in ("nothing-matches-this", '"quoted') or table == "actors"


def test_only_an_index_in_its_column_s_order_serves_a_page(tmp_path):
    """An index of several columns, descending, or comparing otherwise than as bytes does not
    give its first column's order; neither does a partial one."""
    import sqlite_utils

    db = sqlite_utils.Database(tmp_path / "t.db")
    db["t"].insert_all([{"id": str(n), "d": n % 3, "k": -n} for n in range(9)], pk="id")
    db["t"].enable_fts(["id"])
    for name, sql in {
        "two": "(d, k)",
        "descending": "(d desc)",
        "nocase": "(d collate nocase)",
        "partial": "(d) where d is not null",
        "k_alone": "(k)",
    }.items():
        db.execute(f"create index {name} on t {sql}")
    found = {searchable.table: searchable for searchable in survey(db.conn)}
    assert found["t"].ordered_by == {"k": "k_alone", "id": "sqlite_autoindex_t_1"}


async def test_a_query_s_string_literal_is_left_as_written(corpus_db):
    """Ad-hoc SQL holding Datasette's words in a literal is not rewritten."""
    ours = Datasette(immutables=[corpus_db])
    connection = sqlite3.connect(corpus_db)
    columns = ", ".join(row[1] for row in connection.execute("pragma table_info(events)"))
    matching = f"select {columns} from events where rowid in (select rowid from events_fts "
    matching += "where events_fts match :search)"  # Datasette's, as a facet wraps it
    sql = f"select length('({matching} )') as n, count(*) from ({matching} )"
    response = await ours.client.get(
        "/article.json", params={"sql": sql, "search": "detained", "_shape": "array"}
    )
    [(length, count)] = connection.execute(sql, {"search": "detained"})
    connection.close()
    assert response.json() == [{"n": length, "count(*)": count}] and count > 0
