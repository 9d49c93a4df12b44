"""The published dataset through Datasette's own test client: JSON, CSV, labels, queries."""

from __future__ import annotations

import csv
import io
import re

import pytest


async def test_actor_row_json(datasette):
    response = await datasette.client.get("/article/actors/timur-danebaev.json?_shape=objects")
    assert response.status_code == 200
    row = response.json()["rows"][0]
    assert row["name"] == "Timur Danebaev" and row["age"] == 38


async def test_canned_query_json(datasette):
    response = await datasette.client.get("/article/names.json?name=Tokayev&_shape=objects")
    assert response.status_code == 200
    assert "qasym-zhomart-toqaev" in {row["record_id"] for row in response.json()["rows"]}


async def test_figures_csv_download(datasette):
    response = await datasette.client.get("/article/figures.csv?_size=max")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert any(row["value"] == "20000" for row in rows)
    assert {"id", "value", "unit", "qualifier", "asserted_by_id"} <= set(rows[0])


async def test_foreign_keys_show_names(datasette):
    response = await datasette.client.get("/article/statements?_search=DEMONSTRATION")
    assert response.status_code == 200
    assert "Lukpan Akhmedyarov" in response.text


async def test_evidence_links_back_to_sentence(datasette):
    statements = await datasette.client.get(
        "/article/statements.json?text__contains=DEMONSTRATION&_shape=objects"
    )
    statement_id = statements.json()["rows"][0]["id"]
    response = await datasette.client.get(
        f"/article/evidence.json?statement_id={statement_id}&_shape=objects"
    )
    rows = response.json()["rows"]
    assert rows, "statement has evidence"
    sentence = await datasette.client.get(
        f"/article/sentences/{rows[0]['sentence_id']}.json?_shape=objects"
    )
    assert "DEMONSTRATION of power" in sentence.json()["rows"][0]["text"]


async def test_home_page_shows_title_and_license(datasette):
    response = await datasette.client.get("/")
    assert response.status_code == 200
    assert "record by record" in response.text
    assert "CC BY 4.0" in response.text


async def test_no_canned_query_hides_a_table(datasette):
    """/article/<name> is the canned query when both exist: a table of that name would be
    unreachable by its page."""
    from article_dataset.queries import QUERIES
    from article_dataset.tables import ALL_TABLES

    assert not set(QUERIES) & {table.name for table in ALL_TABLES}
    response = await datasette.client.get("/article/evidence.json?_shape=array&_size=1")
    assert response.status_code == 200
    assert "quote" in response.json()[0]


async def test_both_sides_of_every_dispute_link_to_their_records(datasette):
    response = await datasette.client.get("/article/both_sides")
    assert response.status_code == 200
    html = response.text
    assert 'href="/article/statements/danebaev-not-refusing"' in html
    assert 'href="/article/statements/officer-warned-twice"' in html
    rows = (await datasette.client.get("/article/both_sides.json?_shape=objects")).json()["rows"]
    by_dispute = {row["dispute_id"]: row for row in rows}
    refusing = by_dispute["prisoner-denies-refusing"]
    assert refusing["relation"] == "denies"
    assert "I’m not refusing!" in refusing["by_sentences"]
    assert "Why are you refusing?" in refusing["disputed_sentences"]
    lawsuit = by_dispute["lawsuit-challenges-terrorists-claim"]
    assert (lawsuit["by_table"], lawsuit["by_id"]) == ("cases", "danebaev-lawsuit-against-toqaev")
    assert lawsuit["disputed_title"].startswith("qasym-zhomart-toqaev: 20,000 terrorists")


FACETED = [
    "/article/events.json",
    "/article/events.json?_search=video",
    "/article/events.json?kind=violence&_facet=place_id",
    "/article/statements.json?_facet_size=2",
    "/article/claims.json?_facet=field",
    "/article/events.json?_search=nothing-matches-this",
    "/article/figures.json?_facet=value&_facet=unit&_facet_size=3",  # numbers and ties
    "/article/claims.json?_facet=value&_facet_size=5",  # many values: no known ones
    "/article/cases.json?_facet=date_qualifier&_facet=date_precision",  # NULL in every row
    "/article/events.json?_facet=kind&_facet=KIND&_facet=junk]1",  # not as the table has them
]
# Where a column's values are not known, so the combinations count them.
NOT_KNOWN = ("claims.json?_facet=value", "junk]1")


# How the one pass counts (site/facets.py): sums of each column's known values (an immutable
# database), a GROUP BY of the columns together, or, past MAX_COMBINATIONS, one per column.
COUNTING = {
    "known values": "_count_known",
    "combinations": "_count_combinations",
    "each column": "_count_each",
}


@pytest.mark.parametrize("how", COUNTING)
@pytest.mark.parametrize("path", FACETED)
async def test_facets_counted_in_one_pass_are_what_datasette_counts(
    db_path, monkeypatch, path, how
):
    """The site counts a request's column facets in one pass (site/facets.py); Datasette's own
    ColumnFacet, one query per facet, must give the very same facets, counts, labels, links."""
    from datasette.app import Datasette

    from article_dataset.metadata import metadata
    from article_dataset.site import facets

    if how == "known values":
        datasette = Datasette(immutables=[str(db_path)], metadata=metadata())
    else:
        datasette = Datasette([str(db_path)], metadata=metadata())
    if how == "each column":
        monkeypatch.setattr(facets, "MAX_COMBINATIONS", -1)
    page = path.replace(".json", "")

    async def shown() -> str:  # the page, but for how long its queries took
        html = (await datasette.client.get(page)).text
        return re.sub(r"Queries took [0-9.]+ms", "", html)

    counted = []
    method = getattr(facets.OnePassColumnFacet, COUNTING[how])

    async def spied(self, *args):
        counted.append(await method(self, *args))
        return counted[-1]

    monkeypatch.setattr(facets.OnePassColumnFacet, COUNTING[how], spied)
    one_pass = (await datasette.client.get(path)).json()["facet_results"]
    if how == "known values" and any(part in path for part in NOT_KNOWN):
        assert counted == [None]  # counted another way
    else:
        assert counted and all(result is not None for result in counted)  # this way ran
    one_pass_page = await shown()
    assert len(one_pass) >= 2 or "nothing" in path
    monkeypatch.setattr(facets, "replace_column_facet", lambda classes: classes)
    one_pass_runs = len(counted)
    # Stock: a mutable database's queries are Datasette's own (site/searching.py leaves them).
    datasette = Datasette([str(db_path)], metadata=metadata())
    assert (await datasette.client.get(path)).json()["facet_results"] == one_pass
    assert await shown() == one_pass_page
    assert len(counted) == one_pass_runs  # Datasette's own facets answered these
