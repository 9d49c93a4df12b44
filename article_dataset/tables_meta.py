"""Datasette metadata embedded in the database, so that a copied article.db describes itself."""

from __future__ import annotations

from .schema import Table, computed, declare

EMBEDDED_METADATA = declare(
    Table(
        "_datasette_metadata",
        "The Datasette metadata of this database (titles, license, column descriptions, canned "
        "queries) as JSON, read by the project's Datasette plugin so that plain `datasette "
        "article.db` shows it.",
        (
            computed("key", str, "site: instance-level metadata; database: this database's."),
            computed("value", str, "The metadata, as JSON."),
        ),
        pk=("key",),
    )
)
