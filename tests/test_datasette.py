"""The published dataset through Datasette's own test client: JSON, CSV, labels, queries."""

from __future__ import annotations

import csv
import io


async def test_actor_row_json(datasette):
    response = await datasette.client.get("/article/actors/timur-danebaev.json?_shape=objects")
    assert response.status_code == 200
    row = response.json()["rows"][0]
    assert row["name"] == "Timur Danebaev" and row["age"] == 38


async def test_canned_query_json(datasette):
    response = await datasette.client.get("/article/names.json?name=Tokayev&_shape=objects")
    assert response.status_code == 200
    assert "qasym-zhomart-toqaev" in {row["id"] for row in response.json()["rows"]}


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
