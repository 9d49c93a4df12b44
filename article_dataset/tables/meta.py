"""Datasette metadata embedded in the database, so that a copied article.db describes itself."""

from __future__ import annotations

from ..schema import Table, computed, declare

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
        tracked=False,
    )
)

BUILD_FILES = declare(
    Table(
        "_build_files",
        "The input files of the last build with their content hashes, so that the next build "
        "re-reads only what changed. The row '(code)' holds a hash of the build's own code: "
        "when it changes, the next build is a full one.",
        (
            computed("path", str, "Path under data/, or (code)."),
            computed("sha256", str, "SHA-256 of the file's bytes."),
            computed("size", int, "Size in bytes when last read."),
            computed("mtime_ns", int, "Modification time when last read (nanoseconds)."),
        ),
        pk=("path",),
        tracked=False,
    )
)
