"""CSV files and a Frictionless Data Package (v2) describing them, from article.db; the
package also lists the exports that are not tables (file resources, with their size and
SHA-256, which frictionless checks)."""

from __future__ import annotations

import csv
import hashlib
import json
import sqlite3
from collections.abc import Sequence
from pathlib import Path

from ..metadata import SITE
from ..schema import Number, Table
from ..tables import ALL_TABLES

FIELD_TYPES = {str: "string", int: "integer", float: "number", Number: "number", bool: "boolean"}
PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
EXPORTED = [table for table in ALL_TABLES if not table.name.startswith("_")]
PACKAGE_NAME = "kazakhstan-torture-articles"


def field_descriptor(table: Table, column) -> dict:
    descriptor = {
        "name": column.name,
        "type": FIELD_TYPES[column.type],
        "description": column.doc,
    }
    if column.type is bool:
        descriptor.update(trueValues=["1"], falseValues=["0"])
    constraints = {}
    if table.never_null(column):
        constraints["required"] = True
    if table.pk == (column.name,):
        constraints["unique"] = True
    if column.vocab:
        constraints["enum"] = list(column.vocab)
    if constraints:
        descriptor["constraints"] = constraints
    return descriptor


def table_schema(table: Table) -> dict:
    schema = {
        "fields": [field_descriptor(table, column) for column in table.columns],
        "primaryKey": list(table.pk),
        "missingValues": [""],
    }
    foreign_keys = []
    for column in table.columns:
        if column.references:
            reference = {"fields": ["id"]}
            if column.references != table.name:  # v2: no resource means this one
                reference["resource"] = column.references
            foreign_keys.append({"fields": [column.name], "reference": reference})
    if foreign_keys:
        schema["foreignKeys"] = foreign_keys
    return schema


def file_resource(
    path: Path, name: str, file_format: str, mediatype: str, description: str
) -> dict:
    """A resource that is not a table: a file described by its format, size and hash."""
    content = path.read_bytes()
    return {
        "name": name,
        "path": path.name,
        "format": file_format,
        "mediatype": mediatype,
        "encoding": "utf-8",
        "bytes": len(content),
        "hash": f"sha256:{hashlib.sha256(content).hexdigest()}",
        "description": description,
    }


def datapackage(files: Sequence[dict] = ()) -> dict:
    """The descriptor: every public table, then the given file resources."""
    return {
        "$schema": PROFILE,
        "name": PACKAGE_NAME,
        "title": SITE["title"],
        "description": SITE["description"],
        "licenses": [{"name": "CC-BY-4.0", "path": SITE["license_url"], "title": SITE["license"]}],
        "sources": [{"title": SITE["source"]}],
        "resources": [
            {
                "name": table.name,
                "path": f"{table.name}.csv",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "description": table.doc,
                "schema": table_schema(table),
            }
            for table in EXPORTED
        ]
        + list(files),
    }


def export(db_path: Path, out_dir: Path, files: Sequence[dict] = ()) -> Path:
    """Write one CSV per public table and datapackage.json, which lists the tables and the
    given file resources (already in out_dir); returns the descriptor's path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        for table in EXPORTED:
            names = [column.name for column in table.columns]
            columns = ", ".join(f"[{name}]" for name in names)
            order = ", ".join(f"[{name}]" for name in table.pk)
            cursor = connection.execute(f"select {columns} from [{table.name}] order by {order}")
            with open(out_dir / f"{table.name}.csv", "w", newline="", encoding="utf-8") as file:
                writer = csv.writer(file)
                writer.writerow(names)
                writer.writerows(cursor)
    finally:
        connection.close()
    descriptor = out_dir / "datapackage.json"
    descriptor.write_text(
        json.dumps(datapackage(files), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return descriptor
