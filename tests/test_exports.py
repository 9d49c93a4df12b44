"""The exports other tools load: FollowTheMoney entities and W3C Web Annotations, read back
and checked against article.db, the `ftm` tool, the annotation model and the live site."""

from __future__ import annotations

import calendar
import copy
import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import frictionless
import jsonschema
import pytest
from datasette.utils import tilde_decode
from followthemoney import model
from followthemoney.util import make_entity_id

from article_dataset.exports import ANNOTATIONS_FILE, ENTITIES_FILE, export
from article_dataset.exports.datapackage import PACKAGE_NAME
from article_dataset.exports.ftm import NAME_PROPERTIES, PUBLIC_BODIES, checked, ftm_dates
from article_dataset.site.pages import SITE_URL_VARIABLE

from .conftest import label_of
from .server import ROOT, skip_or_fail

BASE = "https://data.example.org/kz"
FTM = ROOT / ".venv" / "bin" / "ftm"
ACTOR_SCHEMAS = {"person": {"Person"}, "organization": {"Organization", "PublicBody"}}


@pytest.fixture(scope="module")
def exported(db_path, tmp_path_factory) -> Path:
    return export(db_path, tmp_path_factory.mktemp("exports"), base_url=BASE + "/").parent


@pytest.fixture(scope="module")
def entities(exported) -> list[dict]:
    with open(exported / ENTITIES_FILE, encoding="utf-8") as file:
        return [json.loads(line) for line in file]


@pytest.fixture(scope="module")
def by_id(entities) -> dict[str, dict]:
    return {entity["id"]: entity for entity in entities}


@pytest.fixture(scope="module")
def collection(exported) -> dict:
    return json.loads((exported / ANNOTATIONS_FILE).read_text(encoding="utf-8"))


def ftm_id(table: str, *key: str) -> str:
    return make_entity_id(PACKAGE_NAME, table, *key)


def count(db, sql: str) -> int:
    return db.execute(sql).fetchone()[0]


# FollowTheMoney


def test_entity_counts_per_schema_equal_the_database(entities, db):
    schemas = Counter(entity["schema"] for entity in entities)
    organizations = count(db, "select count(*) from actors where kind = 'organization'")
    assert schemas["Person"] == count(db, "select count(*) from actors where kind = 'person'")
    assert schemas["Organization"] + schemas["PublicBody"] == organizations
    assert schemas["PublicBody"] == len(PUBLIC_BODIES)
    assert schemas["LegalEntity"] == count(db, "select count(*) from actors where kind = 'group'")
    assert schemas["UnknownLink"] == count(db, "select count(*) from actors where parent_id > ''")
    for schema, table in [
        ("Article", "articles"),
        ("Event", "events"),
        ("CourtCase", "cases"),
        ("CourtCaseParty", "case_parties"),
    ]:
        assert schemas[schema] == count(db, f"select count(*) from {table}"), schema
    assert sum(schemas.values()) == len(entities) == len({entity["id"] for entity in entities})


def test_each_actor_has_the_schema_of_its_kind(by_id, db):
    for row in db.execute("select id, kind from actors"):
        schema = by_id[ftm_id("actors", row["id"])]["schema"]
        assert schema in ACTOR_SCHEMAS.get(row["kind"], {"LegalEntity"}), row["id"]
        assert (schema == "PublicBody") == (row["id"] in PUBLIC_BODIES)
    listed = ", ".join("?" * len(PUBLIC_BODIES))
    kinds = db.execute(f"select kind from actors where id in ({listed})", list(PUBLIC_BODIES))
    assert [kind for (kind,) in kinds] == ["organization"] * len(PUBLIC_BODIES)


def test_every_name_is_on_its_entity(by_id, db):
    names = db.execute("select actor_id, name, name_type from actor_names").fetchall()
    assert any(row["name_type"] != "canonical" for row in names)
    for row in names:
        properties = by_id[ftm_id("actors", row["actor_id"])]["properties"]
        prop = "name" if row["name_type"] == "canonical" else NAME_PROPERTIES[row["name_type"]]
        assert row["name"] in properties[prop], (row["actor_id"], row["name"])
    toqaev = by_id[ftm_id("actors", "qasym-zhomart-toqaev")]["properties"]
    assert toqaev["weakAlias"] == ["Toqaev"]  # the article's surname alone: not to match on
    assert "Kassym-Jomart Tokayev" in toqaev["alias"]
    assert by_id[ftm_id("actors", "csto")]["properties"]["abbreviation"] == ["CSTO"]


def test_every_entity_has_its_source_publisher_and_proof(entities, db):
    (source_url, publisher) = db.execute("select source_url, publisher from articles").fetchone()
    article_id = next(e["id"] for e in entities if e["schema"] == "Article")
    for entity in entities:
        properties = entity["properties"]
        assert properties["sourceUrl"][0] == source_url, entity["id"]
        assert properties["sourceUrl"][-1].startswith(f"{BASE}/article/"), entity["id"]
        assert properties["publisher"] == [publisher]
        if entity["id"] != article_id:
            assert properties["proof"] == [article_id]


def test_ids_and_file_are_the_same_in_a_second_export(exported, db_path, tmp_path):
    again = export(db_path, tmp_path, base_url=BASE).parent
    first = (exported / ENTITIES_FILE).read_bytes()
    assert (again / ENTITIES_FILE).read_bytes() == first
    assert ftm_id("actors", "timur-danebaev").encode() in first


def test_the_library_accepts_every_entity_and_its_references(entities, by_id):
    for entity in entities:
        # (That the library cleans it to itself and finds every required property is what
        # the export's own check refuses to write otherwise: the_check_refuses... below.)
        proxy = model.get_proxy(entity, cleaned=False)
        for prop, values in entity["properties"].items():
            target_schema = proxy.schema.get(prop).range
            for value in values if target_schema else ():
                assert model.get(by_id[value]["schema"]).is_a(target_schema), (prop, value)


def test_the_check_refuses_what_the_library_would_change(entities):
    event = copy.deepcopy(next(e for e in entities if e["schema"] == "Event"))
    event["properties"]["date"] = ["2023-13-45"]
    with pytest.raises(ValueError, match="cleaned differently"):
        checked(event)


def _first_and_last_day(value: str) -> tuple[str, str]:
    year, month, day = ([*map(int, value.split("-")), None, None])[:3]
    first = f"{year:04}-{month or 1:02}-{day or 1:02}"
    last_month = month or 12
    last_day = day or calendar.monthrange(year, last_month)[1]
    return first, f"{year:04}-{last_month:02}-{last_day:02}"


def test_event_dates_never_claim_more_than_the_record(by_id, db):
    lengths = {"year": 4, "month": 7, "day": 10}
    for row in db.execute("select * from events where date is not null"):
        properties = by_id[ftm_id("events", row["id"])]["properties"]
        values = [v for name in ("date", "startDate", "endDate") for v in properties.get(name, [])]
        assert values, row["id"]
        for value in values:
            assert len(value) <= lengths[row["date_precision"]], (row["id"], value)
            first, last = _first_and_last_day(value)
            assert row["date_start"] is None or first >= row["date_start"], (row["id"], value)
            assert row["date_end"] is None or last <= row["date_end"], (row["id"], value)
        assert f"Date (EDTF): {row['date']}" in properties["notes"][0]


@pytest.mark.parametrize(
    ("edtf", "expected"),
    [
        ("2023-08-24", {"date": ["2023-08-24"]}),
        ("2023-08-24?", {"date": ["2023-08-24"]}),
        ("2004-06-~11", {"date": ["2004-06-11"]}),
        ("2008~", {"date": ["2008"]}),
        ("2007-01/2007-06", {"startDate": ["2007-01"], "endDate": ["2007-06"]}),
        ("../2023-09-06", {"endDate": ["2023-09-06"]}),
        ("2022-01/..", {"startDate": ["2022-01"]}),
        ("{2022-10-10,2022-11-12}", {"date": ["2022-10-10", "2022-11-12"]}),
        ("[2022-10-10,2022-11-12]", {"date": ["2022-10-10", "2022-11-12"]}),
        ("[..2022-01]", {}),  # on or before: no one date
        ("{2020..2022,2023-05}", {"date": ["2023-05"]}),
        ("201X", {}),
        ("2023-21", {}),
        (None, {}),
    ],
)
def test_edtf_to_ftm_dates(edtf, expected):
    assert ftm_dates(edtf) == expected


def test_events_involve_their_actors_with_roles_and_assertions_noted(by_id, db):
    event = by_id[ftm_id("events", "kuramashin-beaten")]["properties"]
    assert event["involved"]
    assert "Assertion: allegation, by Vadim Kuramashin" in event["notes"][0]
    for row in db.execute("select id from events"):
        properties = by_id[ftm_id("events", row["id"])]["properties"]
        rows = db.execute(
            "select actor_id, role, name from event_actors join actors on actors.id = actor_id "
            "where event_id = ?",
            (row["id"],),
        ).fetchall()
        assert set(properties.get("involved", [])) == {ftm_id("actors", r[0]) for r in rows}
        for actor_id, role, name in rows:
            assert f"{role}: {name}" in properties["notes"][0], (row["id"], actor_id)


def test_case_parties_link_case_and_party_with_the_role(by_id, db):
    for case_id, actor_id, role in db.execute("select case_id, actor_id, role from case_parties"):
        party = by_id[ftm_id("case_parties", case_id, actor_id, role)]["properties"]
        assert party["case"] == [ftm_id("cases", case_id)]
        assert party["party"] == [ftm_id("actors", actor_id)]
        assert party["role"] == [role]


def test_the_ftm_tool_reads_the_file_and_changes_nothing(exported, entities, tmp_path):
    if not FTM.exists():
        skip_or_fail(f"{FTM} is missing: run `make setup`")
    out = tmp_path / "validated.ftm.json"
    command = [str(FTM), "validate", "-i", str(exported / ENTITIES_FILE), "-o", str(out)]
    subprocess.run(command, check=True, capture_output=True, timeout=60)
    validated = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    keys = ("id", "schema", "properties")
    assert [{k: e[k] for k in keys} for e in validated] == entities


# Web Annotations

IRI = {"type": "string", "pattern": r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s]+$"}
CONTEXT = {"const": "http://www.w3.org/ns/anno.jsonld"}
MOTIVATIONS = [
    "assessing",
    "bookmarking",
    "classifying",
    "commenting",
    "describing",
    "editing",
    "highlighting",
    "identifying",
    "linking",
    "moderating",
    "questioning",
    "replying",
    "tagging",
]
SELECTOR = {
    "oneOf": [
        {
            "properties": {
                "type": {"const": "TextQuoteSelector"},
                "exact": {"type": "string", "minLength": 1},
                "prefix": {"type": "string"},
                "suffix": {"type": "string"},
            },
            "required": ["type", "exact"],
        },
        {
            "properties": {
                "type": {"const": "TextPositionSelector"},
                "start": {"type": "integer", "minimum": 0},
                "end": {"type": "integer", "minimum": 0},
            },
            "required": ["type", "start", "end"],
        },
    ]
}
RESOURCE = {"type": "object", "properties": {"id": IRI, "via": IRI}, "required": ["id"]}
ANNOTATION = {
    "type": "object",
    "properties": {
        "@context": CONTEXT,
        "id": IRI,
        "type": {"const": "Annotation"},
        "motivation": {"enum": MOTIVATIONS},
        "rights": IRI,
        "body": {**RESOURCE, "properties": {**RESOURCE["properties"], "label": {"type": "string"}}},
        "target": {
            "type": "object",
            "properties": {
                "type": {"const": "SpecificResource"},
                "source": {"oneOf": [IRI, RESOURCE]},
                "selector": {"type": "array", "minItems": 1, "items": SELECTOR},
            },
            "required": ["source"],
        },
    },
    "required": ["@context", "id", "type", "target"],
}
# The MUSTs of the Web Annotation Data Model (sections 3, 4 and 5) for what the export uses.
COLLECTION = {
    "type": "object",
    "properties": {
        "@context": CONTEXT,
        "id": IRI,
        "type": {"const": "AnnotationCollection"},
        "label": {"type": "string"},
        "total": {"type": "integer", "minimum": 0},
        "first": {
            "type": "object",
            "properties": {
                "id": IRI,
                "type": {"const": "AnnotationPage"},
                "partOf": IRI,
                "startIndex": {"type": "integer", "minimum": 0},
                "items": {"type": "array", "items": ANNOTATION},
            },
            "required": ["id", "type", "items"],
        },
    },
    "required": ["@context", "id", "type", "first"],
}


def test_the_collection_follows_the_annotation_model(collection):
    jsonschema.Draft202012Validator(COLLECTION).validate(collection)
    broken = copy.deepcopy(collection)
    broken["first"]["items"][3]["target"]["selector"][1]["start"] = -1
    assert not jsonschema.Draft202012Validator(COLLECTION).is_valid(broken)


def test_one_annotation_per_evidence_row_with_its_quote_and_offsets(collection, db):
    items = collection["first"]["items"]
    evidence = {row["id"]: row for row in db.execute("select * from evidence")}
    assert collection["total"] == len(items) == len(evidence)
    text = db.execute("select text from articles").fetchone()[0]
    prefix = f"{BASE}/article/evidence/"
    assert {tilde_decode(item["id"].removeprefix(prefix)) for item in items} == set(evidence)
    for item in items:
        row = evidence[tilde_decode(item["id"].removeprefix(prefix))]
        quote, position = item["target"]["selector"]
        start, end = position["start"], position["end"]
        assert (start, end) == (row["char_start"], row["char_end"])
        assert text[start:end] == quote["exact"] == row["quote"]
        assert quote.get("prefix", "") == text[max(0, start - 32) : start]
        assert quote.get("suffix", "") == text[end : end + 32]


async def test_every_kind_of_entity_has_its_page_on_the_site(entities, datasette):
    """Each schema's pages (the last sourceUrl) answer: compound keys included."""
    pages = {}
    for entity in entities:
        pages.setdefault(entity["schema"], entity["properties"]["sourceUrl"][-1])
    assert {"Article", "Event", "CourtCase", "CourtCaseParty", "UnknownLink"} <= set(pages)
    for schema, url in pages.items():
        path = url.removeprefix(BASE)
        response = await datasette.client.get(path)
        assert response.status_code == 200 and "<h1" in response.text, (schema, path)


async def test_targets_and_bodies_link_to_the_dataset(collection, db, datasette):
    (article_id, source_url) = db.execute("select id, source_url from articles").fetchone()
    for item in collection["first"]["items"]:
        source = item["target"]["source"]
        assert source == {"id": f"{BASE}/-/text/{article_id}.txt", "type": "Text",
                          "format": "text/plain", "via": source_url}  # fmt: skip
        *_, table, encoded = urlsplit(item["body"]["id"]).path.split("/")
        assert item["body"]["label"] == label_of(db, table, tilde_decode(encoded))
    paths = {urlsplit(item["body"]["id"]).path for item in collection["first"]["items"]}
    paths |= {urlsplit(item["id"]).path for item in collection["first"]["items"][::10]}
    paths.add(urlsplit(collection["first"]["items"][0]["target"]["source"]["id"]).path)
    paths = {path.removeprefix(urlsplit(BASE).path) for path in paths}
    for path in sorted(paths):
        response = await datasette.client.get(path)
        assert response.status_code == 200, path
    # The target is the very text the positions count in.
    served = await datasette.client.get(f"/-/text/{article_id}.txt")
    assert served.headers["content-type"].startswith("text/plain")
    text = db.execute("select text from articles").fetchone()[0]
    assert served.text == text
    for item in collection["first"]["items"][:20]:
        position = next(
            s for s in item["target"]["selector"] if s["type"] == "TextPositionSelector"
        )
        assert (
            served.text[position["start"] : position["end"]]
            == item["target"]["selector"][0]["exact"]
        )


# The Data Package and the command line


def test_the_data_package_lists_both_files_and_checks_them(exported, tmp_path):
    descriptor = json.loads((exported / "datapackage.json").read_text(encoding="utf-8"))
    resources = {resource["path"]: resource for resource in descriptor["resources"]}
    for path, mediatype in [
        (ENTITIES_FILE, "application/x-ndjson"),
        (ANNOTATIONS_FILE, "application/ld+json"),
    ]:
        resource = resources[path]
        assert resource["mediatype"] == mediatype and resource["format"] and resource["name"]
        assert resource["description"] and "schema" not in resource
        assert resource["bytes"] == (exported / path).stat().st_size
    assert frictionless.validate(str(exported / "datapackage.json")).valid
    for path in exported.iterdir():
        (tmp_path / path.name).write_bytes(path.read_bytes())
    with open(tmp_path / ENTITIES_FILE, "a", encoding="utf-8") as file:
        file.write('{"id": "x", "schema": "Person", "properties": {"name": ["Nobody"]}}\n')
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    assert not report.valid
    assert {"hash-count", "byte-count"} & {error[0] for error in report.flatten(["type"])}


def test_the_command_line_takes_the_base_url(db_path, tmp_path):
    command = [sys.executable, "-m", "article_dataset", "export", str(db_path), str(tmp_path)]
    refused = subprocess.run([*command, "--base-url", "example.org"], capture_output=True)
    assert refused.returncode == 2 and b"absolute http(s) URL" in refused.stderr
    subprocess.run(
        [*command, "--base-url", "https://mirror.example.net/"], check=True, capture_output=True
    )
    collection = json.loads((tmp_path / ANNOTATIONS_FILE).read_text(encoding="utf-8"))
    assert collection["first"]["items"][0]["id"].startswith(
        "https://mirror.example.net/article/evidence/"
    )
    # With no --base-url, the site's own address, as its citations give it.
    environment = {**os.environ, SITE_URL_VARIABLE: "https://site.example.org"}
    subprocess.run(command, check=True, capture_output=True, env=environment)
    collection = json.loads((tmp_path / ANNOTATIONS_FILE).read_text(encoding="utf-8"))
    assert collection["first"]["items"][0]["id"].startswith(
        "https://site.example.org/article/evidence/"
    )
