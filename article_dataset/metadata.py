"""Datasette metadata, derived from the table declarations and the canned queries.

metadata.yml at the top of the project is this module's output (`make metadata`); a test
fails when the committed file and the declarations drift apart.
"""

from __future__ import annotations

import copy
import json

import yaml

from .queries import QUERIES
from .tables import ALL_TABLES
from .tables.evidence import RECORD_TABLES

DATABASE = "article"

SITE = {
    "title": "Detention and torture in Kazakhstan: articles, record by record",
    "description": (
        "News articles about detention and torture, curated by hand into people, bodies, "
        "places, events, statements, legal cases, charges, penalties and figures. Every "
        "record carries verbatim evidence located in its sentence of the article; every "
        "sentence is cited by a record or says why not. Seed article: “Torture Video Confirms "
        "The Police State Is Alive And Beating In Kazakhstan” (RFE/RL, September 2023)."
    ),
    "license": "CC BY 4.0 (the curated records)",
    "license_url": "https://creativecommons.org/licenses/by/4.0/",
    "source": "“Torture Video Confirms The Police State Is Alive And Beating In Kazakhstan”, "
    "RFE/RL, as scraped",
    "source_url": "/article/articles/torture-video-kazakhstan",
    "about": "Rights: the article's own text (articles.text, paragraphs, sentences, quotes) "
    "remains its publisher's; it is reproduced so that every record can be checked against "
    "it, and is not covered by the CC BY license of the curated records.",
}


def linking() -> dict:
    """What the project's plugin links (it imports nothing from the project, so that it can be
    published on its own): the tables of curated records, whose row pages link to their
    provenance and evidence, and the id columns of query results with the table they name."""
    targets: dict[str, set[str]] = {}
    for table in ALL_TABLES:
        for column in table.columns:
            if column.references:
                targets.setdefault(column.name, set()).add(column.references)
    id_columns = {name: tables.pop() for name, tables in targets.items() if len(tables) == 1}
    id_columns.update(claim_id="claims", evidence_id="evidence")  # canned queries' names
    return {"records": list(RECORD_TABLES), "id_columns": dict(sorted(id_columns.items()))}


def database_metadata() -> dict:
    tables = {}
    for table in ALL_TABLES:
        entry = {
            "description": table.doc,
            "columns": {column.name: column.description for column in table.columns},
        }
        if table.label:
            entry["label_column"] = table.label
        if table.sort:
            entry["sort"] = table.sort
        if table.facets:
            entry["facets"] = list(table.facets)
        if table.name.startswith("_"):
            entry["hidden"] = True
        tables[table.name] = entry
    # A copy: Datasette writes into the query dicts it is given.
    return {
        "tables": tables,
        "queries": copy.deepcopy(QUERIES),
        "plugins": {"article_dataset": linking()},
    }


def metadata(database: str = DATABASE) -> dict:
    return {**SITE, "databases": {database: database_metadata()}}


def embedded_metadata_rows() -> list[dict]:
    """Rows of _datasette_metadata: what the plugin serves for whatever name the file has."""
    return [
        {"key": "site", "value": json.dumps(SITE, ensure_ascii=False)},
        {
            "key": "database",
            "value": json.dumps(database_metadata(), ensure_ascii=False),
        },
    ]


def metadata_yaml() -> str:
    header = "# Generated from article_dataset/ by `make metadata`; edit the declarations there.\n"
    return header + yaml.safe_dump(
        metadata(), sort_keys=False, allow_unicode=True, width=100, default_flow_style=False
    )
