"""Cells that name a record become links to it."""

from __future__ import annotations

import urllib.parse

from markupsafe import Markup


def linked_record(row, value, column, table, linking) -> tuple[object, object] | None:
    """(table, id) of the record a cell names, if it names one."""
    if not hasattr(row, "keys") or isinstance(value, dict):  # dict: Datasette's own FK link
        return None
    keys = row.keys()
    kind = f"{column.removesuffix('_id')}_table"
    if column.endswith("_id") and kind in keys:  # record_id and record_table, by_id and by_table
        return row[kind], value
    if column == "value" and "value_table" in keys:  # a claim's value that names a record
        return row["value_table"], value
    if table is None and column == "title" and "record_table" in keys and "record_id" in keys:
        return row["record_table"], row["record_id"]
    target = (linking.get("id_columns") or {}).get(column)
    # Query results, and row pages, where Datasette 0.65 shows foreign keys unlinked (table
    # pages give Datasette's own link, a dict, above).
    return (target, value) if target else None


def record_links(datasette, database: str, table: str, record_id: str) -> Markup:
    """On a curated record's page: its values with their sentences, and its quotes."""
    query = urllib.parse.urlencode({"record_table": table, "record_id": record_id})
    base = datasette.urls.database(database)
    return Markup(
        '{} <span class="record-links">· <a href="{}">every value and the sentence that '
        'states it</a> · <a href="{}">every quote</a></span>'
    ).format(record_id, f"{base}/provenance?{query}", f"{base}/record_evidence?{query}")
