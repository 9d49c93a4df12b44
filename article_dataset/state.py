"""What a build records of the files it read and of its own code, for the next build: a
file whose size, time and hash are the same is not read again; other code builds in full."""

from __future__ import annotations

import hashlib
import sqlite3
import time
from functools import cache
from pathlib import Path

CODE_KEY = "(code)"
# Modules the build never imports (serving, docs, exports): editing them must not make the
# next build a full one. A test checks that the build imports none of them.
NOT_BUILD_CODE = ("__main__.py", "docs.py", "exports/", "site/")


def previous_state(db_path: Path, folders: set[str] | None = None) -> dict[str, tuple] | None:
    """{path: (sha256, size, mtime_ns)} of the last build (of the registry and `folders`
    only, when given), or None when a full build is due."""
    if not db_path.exists():
        return None
    query, parameters = "SELECT path, sha256, size, mtime_ns FROM _build_files", []
    if folders is not None:
        # Key ranges, so that reading the state of a few folders costs nothing per corpus.
        ranges = ["path = ?", "path BETWEEN 'registry/' AND 'registry0'"]
        for folder in sorted(folders):
            ranges.append("path BETWEEN ? AND ?")
            parameters += [f"articles/{folder}/", f"articles/{folder}0"]
        query += " WHERE " + " OR ".join(ranges)
        parameters.insert(0, CODE_KEY)
    try:
        connection = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        try:
            rows = connection.execute(query, parameters)
            state = {path: (sha, size, mtime) for path, sha, size, mtime in rows}
        finally:
            connection.close()
    except sqlite3.Error:
        return None
    code = state.pop(CODE_KEY, None)
    return state if code and code[0] == code_fingerprint() else None


def write_state(connection, stats, hashes, removed) -> None:
    # A file changed in the same clock tick as it was read could keep its size and mtime:
    # record no mtime for files this recent, so that the next build hashes them again.
    recent = time.time_ns() - 2_000_000_000
    stats = {p: (size, -1 if mtime >= recent else mtime) for p, (size, mtime) in stats.items()}
    connection.executemany("DELETE FROM _build_files WHERE path = ?", ((p,) for p in removed))
    connection.executemany(
        "INSERT OR REPLACE INTO _build_files VALUES (?, ?, ?, ?)",
        [(path, sha, *stats[path]) for path, sha in sorted(hashes.items())]
        + [(CODE_KEY, code_fingerprint(), 0, 0)],
    )


def sha256(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return ""


@cache
def code_fingerprint() -> str:
    """A hash of the build's own code and of the libraries that shape its rows: rows built
    by other code are rebuilt in full."""
    from importlib.metadata import version

    digest = hashlib.sha256()
    package = Path(__file__).parent
    for path in sorted(package.rglob("*.py")):
        name = path.relative_to(package).as_posix()
        if not name.startswith(NOT_BUILD_CODE):
            digest.update(name.encode() + b"\0" + path.read_bytes())
    for package in (
        "sentencex",
        "pyyaml",
        "yaml-rs",
        "fastjsonschema",
        "jsonschema",
        "sqlite-utils",
        "edtf",
        "pyparsing",
    ):
        digest.update(f"{package}={version(package)}".encode())
    digest.update(sqlite3.sqlite_version.encode())
    return digest.hexdigest()
