"""Helpers for the bad-input catalogue: the good build, mutations, and the checks."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from article_dataset.load import MAX_FILE_BYTES

from .bad_input_fixture import (
    ACTORS,
    ARTICLE,
    EVENTS,
    FIGURES,
    FIXTURE_ACTORS,
    FIXTURE_ARTICLE,
    FIXTURE_EVENTS,
    FIXTURE_FIGURES,
    FIXTURE_ID,
    FIXTURE_PLACES,
    FIXTURE_SOURCE,
    FIXTURE_STATEMENTS,
    FOLDER,
    PLACES,
    SECOND_ID,
    SOURCE,
    STATEMENTS,
)
from .conftest import DATA, ROOT
from .server import build_command


def run_build(db, data, *options: str):
    return subprocess.run(
        build_command(db, data, *options),
        capture_output=True,
        text=True,
        cwd=ROOT,
    )


def add_fixture(data: Path) -> None:
    """The fixture article and its registry records, added to a copy of the real data."""
    (data / FOLDER).mkdir()
    for name, text in (
        (SOURCE, FIXTURE_SOURCE),
        (ARTICLE, FIXTURE_ARTICLE),
        (EVENTS, FIXTURE_EVENTS),
        (STATEMENTS, FIXTURE_STATEMENTS),
        (FIGURES, FIXTURE_FIGURES),
    ):
        (data / name).write_text(text, encoding="utf-8")
    for name, text in ((ACTORS, FIXTURE_ACTORS), (PLACES, FIXTURE_PLACES)):
        with (data / name).open("a", encoding="utf-8") as registry:
            registry.write(text)


@pytest.fixture(scope="session")
def good(tmp_path_factory):
    """(data folder, article.db bytes): the real data plus the fixture, built once for both
    catalogue modules."""
    base = tmp_path_factory.mktemp("good")
    data = base / "data"
    shutil.copytree(DATA, data)
    add_fixture(data)
    db = base / "article.db"
    result = run_build(db, data)
    assert result.returncode == 0, result.stderr
    return data, db.read_bytes()


@pytest.fixture
def broken(tmp_path, good):
    """(data, db): a private copy of the good data to break, beside a good article.db."""
    data = tmp_path / "data"
    shutil.copytree(good[0], data)
    (tmp_path / "article.db").write_bytes(good[1])
    return data, tmp_path / "article.db"


def assert_refused(data: Path, db: Path, before: bytes, count: int = 1, *options: str) -> str:
    """Run the build on broken data; check it refused cleanly and return its stderr."""
    result = run_build(db, data, *options)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    assert result.stdout == ""
    plural = "" if count == 1 else "s"
    heading = f"{count} problem{plural} in the input; article.db not written"
    assert result.stderr.splitlines()[0] == heading, result.stderr
    assert db.read_bytes() == before, "article.db changed"
    assert not list(db.parent.glob(".article.db.*.tmp")), "temporary file left behind"
    return result.stderr


def problem_line(stderr: str, prefix: str, *parts: str) -> str:
    """The line of stderr that starts with prefix and holds every part."""
    lines = [line for line in stderr.splitlines() if line.startswith(prefix)]
    assert lines, f"no line starting {prefix!r} in:\n{stderr}"
    for line in lines:
        if all(part in line for part in parts):
            return line
    raise AssertionError(f"no line {prefix!r} … {parts!r} in:\n{stderr}")


# --- Mutations: each breaks the data and returns where the problem is ("data/<file>:<line>:")


Mutation = Callable[[Path], str]


def place(file: str, text: str | None = None, at: str | None = None) -> str:
    """data/<file>:<line of the first `at` in text>: or, without `at`, data/<file>:"""
    if at is None:
        return f"data/{file}:"
    assert at in text, f"{at!r} not in {file}"
    return f"data/{file}:{line_at(text, text.index(at))}:"


def line_at(text: str, position: int) -> int:
    return text.count("\n", 0, position) + 1


def edit(file: str, old: str, new: str, at: str | None = None) -> Mutation:
    """Replace the first `old` by `new`; the problem is expected on the line of `at` (or new)."""

    def mutate(data: Path) -> str:
        path = data / file
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {file}"
        text = text.replace(old, new, 1)
        path.write_bytes(text.encode("utf-8"))
        return place(file, text, at if at is not None else new.strip("\n").split("\n")[0])

    return mutate


def reported_in(mutation: Mutation, file: str, at: str) -> Mutation:
    """A mutation whose problem is reported in another file (a sentence in source.txt)."""

    def mutate(data: Path) -> str:
        mutation(data)
        return place(file, (data / file).read_text(encoding="utf-8"), at)

    return mutate


def write(file: str, content: bytes, at: str | None = None) -> Mutation:
    def mutate(data: Path) -> str:
        (data / file).write_bytes(content)
        return place(file, content.decode("utf-8", "replace"), at)

    return mutate


def append(file: str, text: str, at: str) -> Mutation:
    """Add text at the end; the problem is on the line of the first `at` in the added text."""

    def mutate(data: Path) -> str:
        path = data / file
        old = path.read_text(encoding="utf-8")
        path.write_text(old + text, encoding="utf-8")
        return f"data/{file}:{line_at(old + text, (old + text).index(at, len(old)))}:"

    return mutate


def raw_edit(file: str, old: bytes, new: bytes, at: str) -> Mutation:
    """Replace bytes (for encodings and line endings); the problem is on the line of `at`."""

    def mutate(data: Path) -> str:
        path = data / file
        content = path.read_bytes()
        assert old in content, f"{old!r} not in {file}"
        content = content.replace(old, new, 1)
        path.write_bytes(content)
        return place(file, content.decode("utf-8", "replace"), at)

    return mutate


def unclosed_last_quote(file: str) -> Mutation:
    """The closing quote of the file's last line left out: YAML notices at the end of file."""

    def mutate(data: Path) -> str:
        path = data / file
        text = path.read_text(encoding="utf-8")
        assert text.endswith('"\n'), f"{file} does not end with a quote"
        path.write_text(text[:-2] + "\n", encoding="utf-8")
        return f"data/{file}:{line_at(text, len(text))}:"

    return mutate


def huge(file: str, limit: int = MAX_FILE_BYTES) -> Mutation:
    def mutate(data: Path) -> str:
        path = data / file
        padding = b"# padding to make a pasted dump\n" * (limit // 32 + 1)
        path.write_bytes(path.read_bytes() + padding)
        return place(file)

    return mutate


def remove(file: str) -> Mutation:
    def mutate(data: Path) -> str:
        (data / file).unlink()
        return place(file)

    return mutate


def replace_by_folder(file: str) -> Mutation:
    def mutate(data: Path) -> str:
        (data / file).unlink()
        (data / file).mkdir()
        return place(file)

    return mutate


def add_file(file: str, content: str) -> Mutation:
    def mutate(data: Path) -> str:
        (data / file).write_text(content, encoding="utf-8")
        return place(file)

    return mutate


def second_article_reusing_an_event_id(data: Path) -> str:
    """A second, minimal article (sorted after the fixture) whose event reuses an event id."""
    folder = data / "articles" / SECOND_ID
    folder.mkdir()
    text = "A Second Fixture\nAnna Testova was freed.\n"
    article = (
        f"id: {SECOND_ID}\ntitle: A Second Fixture\n"
        f"source_sha256: {hashlib.sha256(text.encode()).hexdigest()}\n"
        'uncited:\n  - {quote: "A Second Fixture", reason: headline}\n'
    )
    (folder / "source.txt").write_text(text, "utf-8")
    (folder / "article.yml").write_text(article, encoding="utf-8")
    events = (
        "- id: fixture-testova-detained\n"
        "  title: Anna Testova freed\n"
        "  kind: detention\n"
        "  description: Anna Testova was freed.\n"
        '  evidence: ["Anna Testova was freed."]\n'
    )
    (folder / "events.yml").write_text(events, encoding="utf-8")
    return place(f"articles/{SECOND_ID}/events.yml", events, "- id:")


@dataclass(frozen=True)
class Bad:
    """A broken input and the problem line the build must print for it."""

    name: str
    mutate: Mutation
    record: str | None
    field: str | None
    parts: tuple[str, ...]

    def __str__(self) -> str:
        return self.name


def bad(name: str, mutate: Mutation, record: str | None, field: str | None, *parts: str) -> Bad:
    return Bad(name, mutate, record, field, parts)


DUPLICATE_LAWYER = f"""
- id: fixture-lawyer
  kind: person
  name: her lawyer
  description: The same lawyer again.
  evidence:
    {FIXTURE_ID}: ["her lawyer said"]
"""


def check_case(case: Bad, broken, good) -> None:
    """Break the data as the case says; the build must refuse it with the expected line."""
    data, db = broken
    at = case.mutate(data)
    about = [f"record '{case.record}'"] if case.record else []
    about += [f"field '{case.field}'"] if case.field else []
    prefix = f"{at} {', '.join(about)}: " if about else f"{at} "
    # Over a good article.db the build is incremental (in place, rolled back); with --full it
    # writes a new file (removed). Both must refuse with the same problem.
    for options in ((), ("--full",)):
        problem_line(assert_refused(data, db, good[1], 1, *options), prefix, *case.parts)
