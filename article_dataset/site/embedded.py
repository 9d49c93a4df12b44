"""The metadata the build embeds in each database (_datasette_metadata), read once per file."""

from __future__ import annotations

import json
import os
import sqlite3

TABLE = "_datasette_metadata"


class _Shared(dict):
    """Metadata that deep copies share instead of copying.

    Datasette 0.65 deep-copies every metadata source for each table permission check, which
    made the database page ~10x slower with full column docs. Datasette does write into what
    it is given (each canned query's name, queries from other plugins), but always the same
    values, so sharing one copy across requests changes nothing it shows.
    """

    def __deepcopy__(self, memo):
        return self


class PerFile:
    """Values computed from database files, each kept until its file changes. Datasette asks
    for some of them hundreds of times a page: a file served immutable is never stat-ed again."""

    def __init__(self):
        self._kept: dict[str, tuple[tuple, object]] = {}

    def kept(self, path: str, may_change: bool) -> tuple[bool, object, tuple | None]:
        """(whether a value is kept for the file as it is, that value, the file's signature:
        None when it cannot be stat-ed)."""
        cached = self._kept.get(path)
        if cached and not may_change:
            return True, cached[1], cached[0]
        signature = file_signature(path)
        if cached and signature is not None and cached[0] == signature:
            return True, cached[1], signature
        return False, None, signature

    def keep(self, path: str, signature: tuple, value) -> None:
        self._kept[path] = (signature, value)


_metadata = PerFile()


def embedded(path: str, may_change: bool = True) -> dict | None:
    """{'site': ..., 'database': ...} from a database file, re-read when the file changes."""
    found, value, signature = _metadata.kept(path, may_change)
    if found or signature is None:
        return value
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            rows = connection.execute(f"select key, value from [{TABLE}]").fetchall()
            value = {key: json.loads(text, object_hook=_Shared) for key, text in rows}
        finally:
            connection.close()
    except sqlite3.Error:
        value = None
    _metadata.keep(path, signature, value)
    return value


def file_signature(path: str) -> tuple | None:
    """What changes when a database file is rebuilt (replaced or written in place); None
    when it cannot be stat-ed. What the site caches per file is keyed by it."""
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return (stat.st_mtime_ns, stat.st_size, stat.st_ino)


def record_linking(datasette, database: str) -> dict:
    """The build's list of record tables and id columns (metadata: plugins.article_dataset)."""
    db = datasette.databases.get(database)
    if db is None or db.is_memory or not db.path:
        return {}
    found = (embedded(db.path, db.is_mutable) or {}).get("database") or {}
    return (found.get("plugins") or {}).get("article_dataset") or {}
