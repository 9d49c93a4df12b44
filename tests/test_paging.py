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


def _expected(db_path: str, where: str) -> list[str]:
    connection = sqlite3.connect(db_path)
    ids = [row[0] for row in connection.execute(f"select id from events where {where}")]
    connection.close()
    return ids


# (the database, page size, the requests walked): the real data's 45 events and 10 undated
# among them, in pages of 2 and 3 (stock Datasette skips and repeats some), and the corpus.
CORPORA = [("db_path", 2, WALKS[:3]), ("db_path", 3, WALKS[:3]), ("corpus_db", 7, WALKS)]


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
    assert len(expected) > 5 * size  # many page ends, some among equal values
    shown, query = [], {**params, "_size": str(size), "_shape": "objects", "_nofacet": "1"}
    while True:
        page = (await datasette.client.get("/article/events.json", params=query)).json()
        shown += [row["id"] for row in page["rows"]]
        if not page["next"]:
            break
        query["_next"] = page["next"]
    assert shown == expected


async def test_a_streamed_csv_holds_every_row_once(corpus_db):
    """_stream=on walks the same pages, default_page_size rows at a time."""
    datasette = Datasette([corpus_db], metadata=metadata(), settings={"default_page_size": 7})
    response = await datasette.client.get("/article/events.csv?_stream=on&_labels=off")
    assert response.status_code == 200
    ids = [row["id"] for row in csv.DictReader(io.StringIO(response.text))]
    assert ids == _expected(corpus_db, "1 order by date_sort, id")
