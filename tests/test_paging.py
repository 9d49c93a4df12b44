"""A sorted table read page after page (?_next=), and streamed as CSV, holds every row once,
in one order (site/paging.py): Datasette 0.65 alone repeats and skips rows of equal dates."""

from __future__ import annotations

import csv
import io
import sqlite3

import pytest
from datasette.app import Datasette

from article_dataset.metadata import metadata

# (request, the rows it shows in the order they must come, as SQL over events)
WALKS = [
    ({}, "1 order by date_sort, id"),
    ({"_sort_desc": "date_sort"}, "1 order by date_sort desc, id"),
    ({"_sort": "place_id"}, "1 order by place_id, id"),
    ({"kind": "detention"}, "kind = 'detention' order by date_sort, id"),
    (
        {"_search": "detained"},
        "rowid in (select rowid from events_fts where events_fts match 'detained') "
        "order by date_sort, id",
    ),
]


async def _walk(datasette, path: str, query: dict) -> list[str]:
    """The ids of every page in turn, following each page's next link."""
    shown, query = [], {**query, "_shape": "objects"}
    while True:
        page = (await datasette.client.get(path, params=query)).json()
        shown += [row["id"] for row in page["rows"]]
        if not page["next"]:
            return shown
        query["_next"] = page["next"]


def _expected(db_path: str, where: str) -> list[str]:
    connection = sqlite3.connect(db_path)
    ids = [row[0] for row in connection.execute(f"select id from events where {where}")]
    connection.close()
    return ids


# A filter Datasette writes with a string literal (`= ''`): the real data's 10 such events.
NOT_BLANK = (
    {"violation_type__notblank": "1"},
    "violation_type is not null and violation_type != '' order by date_sort, id",
)
# (the database, page size, the requests walked): the real data's 45 events and 10 undated
# among them, in pages of 2 and 3 (stock Datasette skips and repeats some), and the corpus.
CORPORA = [
    ("db_path", 2, [*WALKS[:3], NOT_BLANK]),
    ("db_path", 3, WALKS[:3]),
    ("corpus_db", 7, WALKS),
]


@pytest.mark.parametrize("immutable", [False, True], ids=["mutable", "immutable"])
@pytest.mark.parametrize(
    "corpus, size, params, order",
    [(corpus, size, *walk) for corpus, size, walks in CORPORA for walk in walks],
    ids=lambda value: str(value)[:30],
)
async def test_every_page_in_turn_shows_each_row_once(
    request, corpus, size, params, order, immutable
):
    db_path = str(request.getfixturevalue(corpus))
    datasette = Datasette(**{"immutables" if immutable else "files": [db_path]})
    expected = _expected(db_path, order)
    assert len(expected) >= 5 * size  # many page ends, some among equal values
    query = {**params, "_size": str(size), "_nofacet": "1"}
    assert await _walk(datasette, "/article/events.json", query) == expected


async def test_a_streamed_csv_holds_every_row_once(db_path):
    """_stream=on walks the same pages, default_page_size rows at a time."""
    datasette = Datasette([str(db_path)], metadata=metadata(), settings={"default_page_size": 2})
    response = await datasette.client.get("/article/events.csv?_stream=on&_labels=off")
    assert response.status_code == 200
    ids = [row["id"] for row in csv.DictReader(io.StringIO(response.text))]
    assert ids == _expected(str(db_path), "1 order by date_sort, id")


async def test_a_table_named_with_a_space_is_paged_in_one_order(tmp_path):
    import sqlite_utils

    db = sqlite_utils.Database(tmp_path / "spaced.db")
    db["my table"].insert_all(
        [{"id": f"{n:02}", "v": n % 4} for n in range(48, 0, -1)], pk="id"
    )  # rowid order is the reverse of id order
    datasette = Datasette([str(tmp_path / "spaced.db")])
    shown = await _walk(datasette, "/spaced/my~20table.json", {"_sort": "v", "_size": "5"})
    assert shown == [f"{n:02}" for n in sorted(range(1, 49), key=lambda n: (n % 4, n))]


@pytest.mark.parametrize(
    "sql",
    [
        "select name from actors where 1 union select title from articles order by name limit 3",
        "select (select count(*) from events where kind = kind) as n, role from event_actors "
        "where 1 order by role limit 3",
        "select * from events where 1 order by date_sort limit 3",
        "select id, title from events order by date_sort limit 3",
    ],
)
async def test_ad_hoc_sql_is_run_as_written(db_path, sql):
    """Only a table page's own query is ordered by its key: SQL a reader writes is not."""
    datasette = Datasette([str(db_path)])
    response = await datasette.client.get("/article.json", params={"sql": sql, "_shape": "arrays"})
    assert response.status_code == 200, response.text
    connection = sqlite3.connect(db_path)
    expected = [list(row) for row in connection.execute(sql)]
    connection.close()
    assert response.json()["rows"] == expected


async def test_pages_are_in_one_order_under_a_base_url(db_path):
    """The page's path is read as Datasette's router reads it, base_url removed (the test
    client puts it before every path)."""
    datasette = Datasette([str(db_path)], settings={"base_url": "/data/"})
    shown = await _walk(datasette, "/article/events.json", {"_size": "2"})
    assert shown == _expected(str(db_path), "1 order by date_sort, id")


async def test_a_view_is_paged_as_datasette_pages_it(db_path, tmp_path):
    """A view has no key (Datasette pages it by offset): its query is left as written."""
    import shutil

    copy = tmp_path / "viewed.db"
    shutil.copy(db_path, copy)
    connection = sqlite3.connect(copy)
    connection.execute("create view dated as select id, date_sort from events")
    connection.commit()
    connection.close()
    datasette = Datasette([str(copy)], settings={"trace_debug": True})
    response = await datasette.client.get(
        "/viewed/dated.json", params={"_sort": "date_sort", "_size": "3", "_trace": "1"}
    )
    assert response.status_code == 200
    traces = [trace["sql"] for trace in response.json()["_trace"]["traces"]]
    pages = [sql for sql in traces if sql.startswith("select id, date_sort from dated order")]
    assert pages == ["select id, date_sort from dated order by date_sort limit 4"]
