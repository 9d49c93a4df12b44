"""The build where the machine, not the input, is wrong: a --db that is no database, a
read-only file or folder, a full disk, Ctrl-C, a closed pipe. Each ends in a sentence that says
what went wrong and where, exit 1 (130 for Ctrl-C), never a traceback, and the database as it
was. Run as root (CI), the permission cases run the build without the capability to override
file modes (setpriv), so that modes mean for it what they mean for a curator."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import time
from pathlib import Path

import pytest

from .conftest import ROOT
from .server import build_command

# Root ignores file modes: without these capabilities it does not.
BOUND_BY_MODES = ["setpriv", "--bounding-set=-dac_override,-dac_read_search"]


def run(db: Path, data: Path, *options: str, bound_by_modes=False, file_limit=None):
    def limits():
        if file_limit is not None:  # a disk that is full beyond this many bytes
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (file_limit, file_limit))

    prefix = BOUND_BY_MODES if bound_by_modes and os.geteuid() == 0 else []
    return subprocess.run(
        prefix + build_command(db, data, *options),
        capture_output=True,
        text=True,
        cwd=ROOT,
        preexec_fn=limits,
        timeout=120,
    )


def refused(result, *parts: str) -> str:
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    assert len(result.stderr.strip().splitlines()) <= 2, result.stderr
    for part in parts:
        assert part in result.stderr, result.stderr
    return result.stderr


@pytest.fixture
def built(tmp_path, data_copy):
    """The data and a good article.db beside it."""
    db_folder = tmp_path / "db"
    db_folder.mkdir()
    db = db_folder / "article.db"
    result = run(db, data_copy)
    assert result.returncode == 0, result.stderr
    return data_copy, db


def test_db_that_is_not_a_database_the_build_made(tmp_path, data_copy):
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes\n")
    refused(run(notes, data_copy), f"{notes}: is not a database this build made")
    assert notes.read_text() == "my notes\n"


def test_db_in_a_folder_that_does_not_exist_or_on_a_folder(tmp_path, data_copy):
    missing = tmp_path / "nowhere" / "article.db"
    refused(run(missing, data_copy), "the folder", "does not exist")
    refused(run(tmp_path, data_copy), "is a folder; --db names the database file")


def test_full_build_keeps_a_read_only_database_read_only(built):
    data, db = built
    db.chmod(0o444)
    result = run(db, data, "--full")
    assert result.returncode == 0, result.stderr
    assert db.stat().st_mode & 0o777 == 0o444


def test_read_only_database_and_folder(built):
    data, db = built
    before = db.read_bytes()
    (data / "registry" / "places.yml").open("a").write("# an edit\n")
    db.chmod(0o444)
    refused(run(db, data, bound_by_modes=True), f"cannot build {db}:", "read-only")
    db.chmod(0o666)
    db.parent.chmod(0o555)
    try:
        refused(run(db, data, "--full", bound_by_modes=True), f"cannot build {db}:")
    finally:
        db.parent.chmod(0o777)
    assert db.read_bytes() == before


def test_unreadable_article_folder_is_reported_once(built):
    data, db = built
    folder = data / "articles" / "torture-video-kazakhstan"
    folder.chmod(0)
    try:
        stderr = refused(run(db, data, bound_by_modes=True))
    finally:
        folder.chmod(0o777)
    assert "folder cannot be read: Permission denied" in stderr
    assert "required file is missing" not in stderr


def test_full_disk(built):
    """The temporary database cannot grow past a few hundred kilobytes: like a full disk."""
    data, db = built
    before = db.read_bytes()
    stderr = refused(run(db, data, "--full", file_limit=200_000), f"cannot build {db}:")
    assert "is as it was" in stderr
    assert db.read_bytes() == before
    assert not list(db.parent.glob(".article.db.*.tmp"))


def test_ctrl_c_leaves_the_database_as_it_was(built):
    data, db = built
    before = db.read_bytes()
    process = subprocess.Popen(
        build_command(db, data, "--full"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    deadline = time.monotonic() + 30
    while not list(db.parent.glob(".article.db.*.tmp")) and time.monotonic() < deadline:
        time.sleep(0.002)  # until the temporary database is being written
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    if process.returncode == 0:
        pytest.skip("the build ended before the interrupt reached it")
    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr and "interrupted" in stderr, stderr
    assert db.read_bytes() == before
    assert not list(db.parent.glob(".article.db.*.tmp"))


def test_a_closed_pipe_is_no_traceback(built):
    """The report written to a reader that has gone (| head that ended): a quiet exit 1."""
    data, db = built
    read_end, write_end = os.pipe()
    os.close(read_end)  # nobody reads: the first write fails with EPIPE
    try:
        result = subprocess.run(
            build_command(db, data, "--full"),
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
            timeout=120,
        )
    finally:
        os.close(write_end)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
