"""Downloads: CSV and JSON of every table through Datasette, and the Frictionless export."""

from __future__ import annotations

import csv
import io
import json
import sqlite3

import frictionless
import pytest

from article_dataset.exports import EXPORTED, export

TABLE_NAMES = [table.name for table in EXPORTED]


@pytest.fixture(scope="module")
def exported(db_path, tmp_path_factory):
    return export(db_path, tmp_path_factory.mktemp("exports"))


def count(db_path, table):
    with sqlite3.connect(db_path) as connection:
        return connection.execute(f"select count(*) from [{table}]").fetchone()[0]


@pytest.mark.parametrize("table", TABLE_NAMES)
async def test_every_table_downloads_as_full_csv_and_json(datasette, db_path, table):
    streamed = await datasette.client.get(f"/article/{table}.csv?_stream=on&_size=max")
    assert streamed.status_code == 200
    rows = list(csv.DictReader(io.StringIO(streamed.text)))
    assert len(rows) == count(db_path, table)
    as_json = await datasette.client.get(f"/article/{table}.json?_shape=array&_size=max")
    assert as_json.status_code == 200
    assert len(as_json.json()) == min(count(db_path, table), 1000)


async def test_streamed_csv_has_every_sentence_with_its_text(datasette):
    response = await datasette.client.get("/article/sentences.csv?_stream=on&_labels=on")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert rows[-1]["text"].endswith("to the family of the deceased.")
    assert "“I’m not refusing!”" in rows[4]["text"]  # UTF-8 survives the round trip


def test_datapackage_is_valid_v2_with_keys(exported):
    descriptor = json.loads(exported.read_text(encoding="utf-8"))
    assert descriptor["$schema"].endswith("/2.0/datapackage.json")
    assert descriptor["licenses"][0]["name"] == "CC-BY-4.0"
    assert descriptor["sources"]
    resources = {resource["name"]: resource for resource in descriptor["resources"]}
    tables = {name for name, resource in resources.items() if "schema" in resource}
    assert tables == set(TABLE_NAMES)  # the other resources are files: see test_exports.py
    evidence_keys = resources["evidence"]["schema"]["foreignKeys"]
    assert {
        "fields": ["sentence_id"],
        "reference": {"fields": ["id"], "resource": "sentences"},
    } in evidence_keys
    report = frictionless.validate(str(exported))
    assert report.valid, report.flatten(["type", "note"])[:10]


def test_frictionless_catches_a_broken_foreign_key(exported, tmp_path):
    """The validation above can fail: a dangling reference is reported."""
    broken = tmp_path / "broken"
    broken.mkdir()
    for path in exported.parent.iterdir():
        (broken / path.name).write_bytes(path.read_bytes())
    with open(broken / "event_actors.csv", newline="", encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    rows[0]["actor_id"] = "nobody-here"
    with open(broken / "event_actors.csv", "w", newline="", encoding="utf-8") as file:
        writer = csv.DictWriter(file, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    report = frictionless.validate(str(broken / "datapackage.json"))
    assert not report.valid
    assert any(error[0] == "foreign-key" for error in report.flatten(["type"]))
