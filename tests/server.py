"""Real processes for the tests and the bench: the build as users run it, and a Datasette
on loopback for tests that need the server a reader talks to."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import httpx

from article_dataset.site.serving import serve_command

ROOT = Path(__file__).resolve().parent.parent
# `make serve` serves from an environment of the runtime requirements only (Makefile RUN_VENV).
SERVING_PYTHON = ROOT / ".venv-run" / "bin" / "python"


class MissingServingEnvironment(RuntimeError):
    pass


def skip_or_fail(reason: str) -> None:
    """Skip on a developer's machine; fail in CI, where every test is required."""
    import pytest

    if os.environ.get("CI", "").lower() not in ("", "0", "false", "no"):
        pytest.fail(f"required in CI: {reason}", pytrace=False)
    pytest.skip(reason)


def public_serve_command(db: Path, port: int) -> list[str]:
    """The server `make serve` starts, on this database file as it is (no snapshot copy): the
    serving environment's datasette, which the development tools' `rich` is not part of."""
    datasette = SERVING_PYTHON.with_name("datasette")
    if not datasette.exists():
        raise MissingServingEnvironment(f"{datasette} is missing: run `make setup`")
    return [str(datasette), *serve_command(db, port=port)[1:]]


def build_command(db: Path, data: Path, *options: str) -> list[str]:
    """`python build.py` as a user types it."""
    return [sys.executable, str(ROOT / "build.py"), "--db", str(db), "--data", str(data), *options]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def server_process(command: list[str], port: int, timeout: float = 30.0, log: Path | None = None):
    """Start the command, wait until it answers on the port, yield (base URL, process), stop it.

    Its standard error goes to `log` (or a temporary file): never to a pipe nobody reads,
    which would stop a server that writes much once the pipe is full."""
    with log.open("w+b") if log else tempfile.TemporaryFile() as stderr:
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=stderr)
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + timeout
            while True:
                if process.poll() is not None:
                    stderr.seek(0)
                    raise RuntimeError(f"server exited: {stderr.read().decode()[-2000:]}")
                try:
                    if httpx.get(f"{base}/-/versions.json", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline:
                    raise TimeoutError(f"server did not answer within {timeout} s")
                time.sleep(0.1)
            yield base, process
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@contextmanager
def running(command: list[str], port: int, timeout: float = 30.0):
    """The server's base URL while it runs."""
    with server_process(command, port, timeout) as (base, _):
        yield base


@contextmanager
def serving_copy(db_path: Path, folder: Path, command_for):
    """A private copy of the database in `folder`, served by command_for(copy, port): yields
    (base URL, process, the copy, the server's log)."""
    db = folder / db_path.name
    shutil.copy(db_path, db)
    port = free_port()
    log = folder / "server.log"
    with server_process(command_for(db, port), port, log=log) as (base, process):
        yield base, process, db, log
