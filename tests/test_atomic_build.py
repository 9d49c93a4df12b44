"""A build killed at any moment leaves the article.db in place whole, and the next build
cleans up after it.

build.py runs on the real data into a folder that already holds a good article.db and is
killed (SIGKILL: no cleanup runs) at several real moments: while it starts, reads and checks
the input, and while it writes its temporary database. The moments are timed from one
uninterrupted build, so the test adapts to the speed of the machine.
"""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import time
from pathlib import Path

from .conftest import ROOT
from .server import build_command

STRAYS = ".article.db.*.tmp"


def start_build(db: Path, data: Path) -> subprocess.Popen:
    """A full build: over an existing article.db an unchanged input would write nothing."""
    return subprocess.Popen(
        build_command(db, data, "--full"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )


def wait_for_temporary(build: subprocess.Popen, folder: Path, known: set[Path]) -> float | None:
    """Seconds until the build's temporary database appears (None if it never does)."""
    start = time.monotonic()
    while build.poll() is None:
        if set(folder.glob(STRAYS)) - known:
            return time.monotonic() - start
        time.sleep(0.0005)
    return None


def integrity(db: Path) -> list:
    connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return connection.execute("PRAGMA integrity_check").fetchall()
    finally:
        connection.close()


def test_killed_build_leaves_the_database_whole(tmp_path, data_copy):
    data = data_copy  # a snapshot: edits to data/ during the test do not matter
    folder = tmp_path / "db"
    folder.mkdir()
    db = folder / "article.db"

    # One uninterrupted build: the good article.db, and when its writing starts and ends.
    start = time.monotonic()
    build = start_build(db, data)
    writing_starts = wait_for_temporary(build, folder, set())
    _, stderr = build.communicate(timeout=60)
    total = time.monotonic() - start
    assert build.returncode == 0, stderr
    assert writing_starts is not None, "the build wrote no temporary database"
    writing = max(total - writing_starts, 0.01)
    before = db.read_bytes()

    # Kills while starting, reading and checking; then into the write, after it began (the
    # last one at once, so that its temporary file is surely left for the next build).
    early = [0.1 * writing_starts, 0.4 * writing_starts, 0.7 * writing_starts]
    during_write = [0.8 * writing, 0.5 * writing, 0.2 * writing, 0.0]
    outcomes = []
    for delay, after_write_starts in [(d, False) for d in early] + [
        (d, True) for d in during_write
    ]:
        strays_before = set(folder.glob(STRAYS))
        build = start_build(db, data)
        if after_write_starts:
            wait_for_temporary(build, folder, strays_before)
        time.sleep(delay)
        build.send_signal(signal.SIGKILL)
        _, stderr = build.communicate(timeout=60)
        left = [path.name for path in folder.glob(STRAYS)]
        outcomes.append((round(delay, 3), after_write_starts, build.returncode, left))
        assert build.returncode in (-signal.SIGKILL, 0), f"{outcomes}\n{stderr}"
        # The build is deterministic, so even one that finished first rewrote the same bytes.
        assert db.read_bytes() == before, f"article.db changed: {outcomes}"
        assert integrity(db) == [("ok",)]

    killed = [outcome for outcome in outcomes if outcome[2] == -signal.SIGKILL]
    assert len(killed) >= 5, f"too few builds were killed before they finished: {outcomes}"
    assert outcomes[-1][2] == -signal.SIGKILL, outcomes
    assert list(folder.glob(STRAYS)), f"the last build was not killed while writing: {outcomes}"

    # A normal build succeeds and removes the temporary files the killed builds left.
    build = start_build(db, data)
    stdout, stderr = build.communicate(timeout=60)
    assert build.returncode == 0, stderr
    assert stdout.startswith(f"built {db}")
    assert not list(folder.glob(STRAYS)), "stray temporary files remain"
    # Only the database and the lock that keeps builds of it one at a time remain.
    assert sorted(path.name for path in folder.iterdir()) == ["article.db", "article.db.lock"]
    assert integrity(db) == [("ok",)]
    assert db.read_bytes() == before


def test_killed_incremental_build_is_rolled_back_or_complete(tmp_path):
    """Incremental builds update article.db in place in one transaction: killed at any
    moment, the database holds every old row or every new one, never a mixture."""
    from article_dataset import build
    from article_dataset.build import recover
    from bench.generate import generate

    from .test_incremental import table_rows

    data = generate(tmp_path / "data", 40, seed=3)
    db = tmp_path / "article.db"
    build(db, data)
    events = data / "articles" / "synthetic-00007" / "events.yml"
    old_text = events.read_text(encoding="utf-8")
    new_text = old_text.replace("title: ", "title: New ", 1)
    old_rows = table_rows(db)
    events.write_text(new_text, encoding="utf-8")
    build(tmp_path / "new.db", data, full=True)
    new_rows = table_rows(tmp_path / "new.db")
    command = build_command(db, data)
    outcomes = []
    for delay in (0.02, 0.04, 0.06, 0.08, 0.1, 0.12, 0.14, 0.16, 0.18, 0.2, 0.25, 0.3):
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        recover(db)  # what the next build does first: roll a hot journal back
        assert integrity(db) == [("ok",)]
        rows = table_rows(db)
        assert rows in (old_rows, new_rows), f"a mixture after a kill at {delay} s"
        outcomes.append((delay, process.returncode, rows == new_rows))
        if rows == new_rows:  # that build completed: start again from the old state
            events.write_text(old_text, encoding="utf-8")
            build(db, data)
            events.write_text(new_text, encoding="utf-8")
    assert sum(code == -signal.SIGKILL for _, code, _ in outcomes) >= 3, outcomes
    build(db, data)
    assert table_rows(db) == new_rows


def test_the_build_after_a_killed_one_rolls_it_back_and_goes_on(tmp_path):
    """A build killed mid-write leaves a hot journal; the next build must roll it back and
    build, not take the file for someone else's because it cannot be read as it is."""
    import shutil

    from article_dataset import build

    from .conftest import DATA
    from .test_incremental import table_rows

    made = tmp_path / "made" / "article.db"
    made.parent.mkdir()
    build(made, DATA)
    writing = sqlite3.connect(made)
    writing.execute("PRAGMA cache_size = 1")  # spill to the file: the journal holds pages
    writing.execute("BEGIN IMMEDIATE")
    writing.execute("UPDATE claims SET note = 'half-written'")
    killed = tmp_path / "killed" / "article.db"
    killed.parent.mkdir()
    for suffix in ("", "-journal"):  # the files as a killed writer leaves them
        shutil.copy(f"{made}{suffix}", f"{killed}{suffix}")
    writing.rollback()
    writing.close()
    try:  # the journal is hot: a read-only reader cannot use the file
        sqlite3.connect(f"file:{killed}?mode=ro", uri=True).execute(
            "select count(*) from claims"
        ).fetchone()
        raise AssertionError("the copied journal is not hot")
    except sqlite3.OperationalError:
        pass
    report = build(killed, DATA)
    assert report.mode == "up to date"
    assert table_rows(killed) == table_rows(made)
    assert integrity(killed) == [("ok",)]
