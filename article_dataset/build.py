"""The build as a function of (database path, data folder): YAML → validate → rows → SQLite.

A full build compiles every unit (in parallel when there are many) into a new file that
replaces article.db by an atomic rename. When article.db exists and was built by the same
code, the build is incremental: only units whose files' content hashes changed are read
again and their rows replaced, in one SQLite transaction on article.db itself, and the checks
run on what changed. Either way bad input leaves article.db byte-identical.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
from collections import Counter
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .checks import Scope, check
from .compiling import compile_all
from .database import (
    check_integrity,
    create_build_tables,
    create_indexes,
    create_tables,
    delete_files,
    enable_search,
    insert_rows,
    replacing,
    stage_files,
    updating,
)
from .metadata import embedded_metadata_rows
from .problems import BuildError, Problems
from .state import previous_state, sha256, write_state
from .tables import ALL_TABLES
from .tables.claim_references import reference_targets, relinked
from .units import Unit, discover

# Above this many folders named with --changed, listing them all is as quick.
MAX_CHANGED_FOLDERS = 500


@dataclass
class BuildReport:
    mode: str  # full, incremental or up to date
    files_read: int
    counts: dict[str, int] = field(default_factory=dict)
    linked: dict[str, int] = field(default_factory=dict)  # values by how: automatic, curated, ...

    @property
    def sentences(self) -> int:
        return self.counts.get("sentences", 0)

    @property
    def waived(self) -> int:
        return self.counts.get("waived", 0)

    @property
    def cited(self) -> int:
        return self.counts.get("cited", 0)

    @property
    def values(self) -> tuple[int, int, int]:
        """Values linked to their sentence automatically, by a curator's quote, or waived:
        every value is one of them, or the build fails."""
        return tuple(self.linked.get(how, 0) for how in ("automatic", "curated", "waived"))

    @property
    def coverage(self) -> float:
        covered = self.cited + self.waived
        return 100.0 * covered / self.sentences if self.sentences else 0.0

    def __str__(self) -> str:
        lines = [f"{self.mode} build: {self.files_read} files read"]
        if self.counts:
            lines.append(
                f"coverage: {self.cited + self.waived}/{self.sentences} sentences "
                f"({self.cited} cited, {self.waived} waived) = {self.coverage:.1f}%"
            )
            automatic, curated, waived = self.values
            lines.append(
                f"values: {automatic + curated + waived}, each stated by its sentence or waived "
                f"({automatic} automatic, {curated} curated, {waived} waived)"
            )
            tables = ", ".join(
                f"{name} {count}"
                for name, count in self.counts.items()
                if name not in ("waived", "cited")
            )
            lines.append(f"rows: {tables}")
        return "\n".join(lines)


def build(
    db_path: Path | str,
    data_dir: Path | str,
    full: bool = False,
    changed: Iterable[Path | str] | None = None,
) -> BuildReport:
    """Build article.db from the data folder, or raise BuildError and leave db_path alone.

    `changed` names the files edited, added or removed since the last successful build (an
    editor's or git hook's list): only their article folders and the registry are looked at,
    instead of every file of the corpus. Other changes are found by the next build without
    it; so are those named to a build that failed, unless they are named again."""
    db_path, data_dir = Path(db_path), Path(data_dir)
    _check_target(db_path)
    folders = None if changed is None else _article_folders(data_dir, changed)
    if folders is not None and len(folders) > MAX_CHANGED_FOLDERS:
        folders = None  # listing the corpus is cheaper than looking them up one by one
    with _locked(db_path):
        recover(db_path)
        _check_made_by_a_build(db_path)  # after the rollback: a hot journal blocks reading
        problems = Problems()
        previous = None if full else previous_state(db_path, folders)
        if previous is None:
            folders = None  # a full build reads everything
        units, stats = discover(data_dir, problems, folders)
        if previous is None:
            return _full_build(db_path, data_dir, units, stats, problems)
        return _incremental_build(db_path, data_dir, units, stats, previous, problems)


SQLITE_HEADER = b"SQLite format 3\x00"


def _check_target(db_path: Path) -> None:
    """The database file to write: in a folder that exists, and, if there is a file already,
    one this build made (it is replaced): never a user's file given by mistake."""
    problems = Problems()
    if db_path.is_dir():
        problems.add(str(db_path), 0, "is a folder; --db names the database file to write")
    elif not db_path.parent.is_dir():
        problems.add(
            str(db_path), 0, f"cannot be written: the folder {db_path.parent} does not exist"
        )
    elif db_path.exists() and not _is_sqlite(db_path):
        problems.add(str(db_path), 0, NOT_A_BUILD)
    problems.raise_if_any()


NOT_A_BUILD = (
    "is not a database this build made: refusing to overwrite it (remove it, or give --db "
    "another path)"
)


def _is_sqlite(db_path: Path) -> bool:
    try:
        with open(db_path, "rb") as file:
            return file.read(16) == SQLITE_HEADER
    except OSError:
        return False


def _check_made_by_a_build(db_path: Path) -> None:
    if db_path.exists() and not _made_by_a_build(db_path):
        problems = Problems()
        problems.add(str(db_path), 0, NOT_A_BUILD)
        problems.raise_if_any()


def _made_by_a_build(db_path: Path) -> bool:
    try:
        connection = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        try:
            found = connection.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_build_files'"
            ).fetchone()
        finally:
            connection.close()
    except (OSError, sqlite3.Error):
        return False
    return found is not None


def _article_folders(data_dir: Path, changed: Iterable[Path | str]) -> set[str]:
    """The article folders of the changed paths (given from the current directory, like
    data/articles/x/events.yml); a path outside the registry and article folders is a
    mistake, reported before anything is read."""
    problems, folders = Problems(), set()
    for path in changed:
        parts = _parts_under(data_dir, Path(path))
        if parts[:1] == ("articles",) and len(parts) >= 2:
            folders.add(parts[1])
        elif parts[:1] != ("registry",):
            where = f"{data_dir}/registry or {data_dir}/articles/<folder>"
            problems.add(str(path), 0, f"--changed: this path is not in {where}")
    problems.raise_if_any()
    return folders


def _parts_under(data_dir: Path, path: Path) -> tuple[str, ...]:
    """The path's parts below data_dir, as the path is written (a symlinked file belongs to
    the folder it is in, not to where it points), else with both folders' links resolved;
    () when it is not below data_dir."""
    for root, candidate in (
        (Path(os.path.abspath(data_dir)), Path(os.path.abspath(path))),
        (data_dir.resolve(), Path(os.path.abspath(path)).parent.resolve() / Path(path).name),
    ):
        try:
            return candidate.relative_to(root).parts
        except ValueError:
            continue
    return ()


@contextmanager
def _locked(db_path: Path):
    """One build at a time per database: builds would delete each other's temporary files
    or rename a new file over an open transaction."""
    with open(db_path.with_name(db_path.name + ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def _full_build(db_path, data_dir, units, stats, problems) -> BuildReport:
    hashes: dict[str, str] = {}  # of the bytes the workers read: each file is read once
    values: Counter = Counter()  # how the units linked their values
    with replacing(db_path) as connection:
        create_tables(connection)
        if _insert_units(connection, data_dir, units, problems, hashes, values):
            create_indexes(connection)
            check(connection, Scope(), data_dir, problems)
        problems.raise_if_any()
        create_indexes(connection, filled_by_checks=True)
        write_state(connection, stats, hashes, removed=())
        connection.executemany(
            "INSERT INTO _datasette_metadata VALUES (:key, :value)", embedded_metadata_rows()
        )
        enable_search(connection)
        check_integrity(connection)
        counts = _counts(connection)
    return BuildReport("full", len(stats), counts, dict(values))


def _incremental_build(db_path, data_dir, units, stats, previous, problems) -> BuildReport:
    changed, hashes = set(), {}
    for path, stat in stats.items():
        known = previous.get(path)
        if known and known[1:] == stat:
            continue
        hashes[path] = sha256(data_dir / path)
        if not known or known[0] != hashes[path]:
            changed.add(path)
    removed_files = set(previous) - set(stats)
    texts = {p.split("/")[1] for p in changed | removed_files if p.endswith("/source.txt")}
    # A changed text moves the offsets of every quote from it, wherever the quote is kept.
    stale = [
        unit
        for unit in units
        if changed.intersection(unit.files)
        or (texts and (unit.article_id in texts or unit.article_id is None))
    ]
    if not stale and not removed_files:
        problems.raise_if_any()  # a missing or unexpected file is still a mistake
        return BuildReport("up to date", len(hashes))
    files = {f for unit in stale for f in unit.files} | removed_files
    # In place, in one transaction: copying the database would cost O(corpus) per edit.
    with updating(db_path) as connection:
        create_build_tables(connection)
        stage_files(connection, files)
        cited_before = _cited_articles(connection)
        targets_before = reference_targets(connection)
        removed = delete_files(connection)
        if _insert_units(connection, data_dir, stale, problems):
            kept = _ids_from(connection)
            gone = {table: ids - kept.get(table, set()) for table, ids in removed.items()}
            articles = cited_before | _cited_articles(connection)
            articles |= {unit.article_id for unit in stale if unit.article_id}
            relink = relinked(targets_before, reference_targets(connection))
            scope = Scope(staged=True, gone=gone, articles=articles, relink=relink)
            check(connection, scope, data_dir, problems)
        problems.raise_if_any()
        # Files re-read only because a text they quote changed keep their recorded state.
        write_state(connection, stats, hashes, removed=removed_files)
    return BuildReport("incremental", len(files - removed_files))


def _insert_units(
    connection, data_dir: Path, units: list[Unit], problems: Problems, hashes=None, values=None
) -> bool:
    """Compile and insert (collecting the files' SHA-256 into `hashes` and how their values
    were linked into `values`, when given); True when every unit was read and valid, so that
    the checks across files will not report what is only missing because of a mistake found
    already."""
    duplicated: set[tuple[str, str]] = set()
    complete = not problems.items
    for result in compile_all(data_dir, units):
        if hashes is not None:
            hashes.update(result.digests)
        if values is not None:
            values.update(result.values)
        problems.items.extend(result.problems)
        insert_rows(connection, result.rows, data_dir.name, problems, duplicated)
        complete = complete and result.complete
    return complete


def recover(db_path: Path) -> None:
    """Roll back what a killed incremental build left half done (a hot journal), before
    anything reads article.db or a new file is renamed over it and meets the old journal."""
    if db_path.with_name(db_path.name + "-journal").exists():
        connection = sqlite3.connect(db_path)
        try:
            connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            connection.close()


def _ids_from(connection) -> dict[str, set[str]]:
    """Ids of the rows now in the database from the files read again (temp.stale_files)."""
    ids = {}
    for table in ALL_TABLES:
        if table.tracked and table.pk == ("id",):
            rows = connection.execute(
                f"SELECT id FROM [{table.name}] WHERE source_file IN "
                "(SELECT path FROM temp.stale_files)"
            )
            ids[table.name] = {row[0] for row in rows}
    return ids


def _cited_articles(connection) -> set[str]:
    """Articles quoted by the rows of the staged files."""
    rows = connection.execute(
        "SELECT DISTINCT article_id FROM evidence "
        "WHERE source_file IN (SELECT path FROM temp.stale_files)"
    )
    return {row[0] for row in rows}


def _counts(connection) -> dict[str, int]:
    counts = {
        table.name: connection.execute(f"SELECT count(*) FROM [{table.name}]").fetchone()[0]
        for table in ALL_TABLES
        if table.tracked
    }
    counts["waived"] = connection.execute(
        "SELECT count(*) FROM sentences WHERE uncited_reason IS NOT NULL"
    ).fetchone()[0]
    counts["cited"] = connection.execute(
        "SELECT count(*) FROM sentences WHERE id IN (SELECT sentence_id FROM evidence)"
    ).fetchone()[0]
    return counts


__all__ = ["BuildError", "BuildReport", "build"]
