"""How the dataset is served in public: read-only, immutable, with limits on every query.

`make serve` runs `python -m article_dataset serve article.db`, which executes Datasette with
these settings; the serving tests start the very same command.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

# Datasette settings in force (README "Reliability" quotes them).
SETTINGS = {
    "sql_time_limit_ms": 1000,  # a runaway query is interrupted after one second
    "max_returned_rows": 1000,  # a page of JSON or HTML never holds more rows
    "facet_time_limit_ms": 200,
    "suggest_facets": False,  # suggestions cost a query per column on every table page
    "num_sql_threads": 4,
    "default_cache_ttl": 300,  # the data only changes with a rebuild
}


def datasette_executable() -> str:
    return str(Path(sys.executable).with_name("datasette"))


def inspect_path(db_path: Path) -> Path:
    return db_path.with_name(f"{db_path.stem}.inspect.json")


def ensure_inspect(db_path: Path) -> Path:
    """Table counts precomputed by `datasette inspect`, refreshed when the database is newer."""
    target = inspect_path(db_path)
    if not target.exists() or target.stat().st_mtime_ns < db_path.stat().st_mtime_ns:
        temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        subprocess.run(
            [datasette_executable(), "inspect", str(db_path), "--inspect-file", str(temporary)],
            check=True,
        )
        os.replace(temporary, target)
    return target


def serve_command(db_path: Path, host: str = "127.0.0.1", port: int = 8001) -> list[str]:
    command = [
        datasette_executable(),
        "serve",
        "--immutable",
        str(db_path),
        "--inspect-file",
        str(ensure_inspect(db_path)),
        "--host",
        host,
        "--port",
        str(port),
    ]
    for name, value in SETTINGS.items():
        command += ["--setting", name, str(value)]
    return command


def snapshot(db_path: Path) -> Path:
    """A copy of the database for an immutable server: incremental builds update article.db
    in place, which an immutable reader must never see. Restart to publish a new build.

    The copy carries the modification time of the database it copies: while that has not
    changed, a restart reuses the copy (and its inspect file) instead of copying again."""
    folder = db_path.parent / ".serving"
    folder.mkdir(exist_ok=True)
    target = folder / db_path.name
    journal = db_path.with_name(db_path.name + "-journal")
    if (
        target.exists()
        and not journal.exists()
        and target.stat().st_mtime_ns == db_path.stat().st_mtime_ns
    ):
        return target
    temporary = folder / f".{db_path.name}.{os.getpid()}.tmp"
    temporary.unlink(missing_ok=True)
    # SQLite's backup reads a consistent state (and rolls back a killed build's journal).
    source, copy = sqlite3.connect(db_path), sqlite3.connect(temporary)
    try:
        source.backup(copy)
    finally:
        copy.close()
        source.close()
    copied = db_path.stat()  # after the backup, which may have rolled back a journal
    os.utime(temporary, ns=(copied.st_atime_ns, copied.st_mtime_ns))
    os.replace(temporary, target)
    inspect_path(target).unlink(missing_ok=True)  # counts of the copy it replaced
    return target


def serve(db_path: Path, host: str, port: int) -> None:
    command = serve_command(snapshot(db_path), host, port)
    os.execv(command[0], command)
