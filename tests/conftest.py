"""Shared fixtures: the real data built once into a temporary folder, and Datasette on it."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from datasette.app import Datasette

from article_dataset import build
from article_dataset.metadata import metadata

from .server import SERVING_PYTHON, public_serve_command, skip_or_fail

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
ARTICLE_ID = "torture-video-kazakhstan"


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """(path, report) of article.db built from the real data."""
    path = tmp_path_factory.mktemp("built") / "article.db"
    report = build(path, DATA)
    return path, report


@pytest.fixture(scope="session")
def db_path(built) -> Path:
    return built[0]


@pytest.fixture(scope="session")
def corpus_db(tmp_path_factory) -> str:
    """article.db of 30 generated articles (bench/generate.py): tables of hundreds of rows,
    600 events on a few dozen dates, many to a date."""
    from bench.generate import generate

    folder = tmp_path_factory.mktemp("corpus")
    path = folder / "article.db"
    build(path, generate(folder / "data", 30))
    return str(path)


@pytest.fixture(scope="session")
def db(db_path):
    connection = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    connection.row_factory = sqlite3.Row
    yield connection
    connection.close()


@pytest.fixture(scope="session")
def datasette(db_path) -> Datasette:
    """The same Datasette a reader runs: this database and the project's metadata."""
    return Datasette([str(db_path)], metadata=metadata())


@pytest.fixture(scope="session")
def public_serve():
    """public_serve_command, where `make setup` has made the serving environment (in CI it
    must have: `make test` makes it first)."""
    if not SERVING_PYTHON.exists():
        skip_or_fail(f"{SERVING_PYTHON} is missing: run `make setup`")
    return public_serve_command


def build_edited(folder: Path, *edits: tuple[str, str, str]) -> Path:
    """article.db built in `folder` from a copy of data/ with each edit (path under data/,
    text, its replacement) made once: the text must be there."""
    data = folder / "data"
    shutil.copytree(DATA, data)
    for path, old, new in edits:
        text = (data / path).read_text(encoding="utf-8")
        assert old in text, (path, old)
        (data / path).write_text(text.replace(old, new, 1), encoding="utf-8")
    db = folder / "article.db"
    build(db, data)
    return db


def label_of(db, table: str, record_id: str) -> str:
    """The label readers see: a statement's speaker by name (its stored title has the id)."""
    if table == "statements":
        speaker, text = db.execute(
            "select a.name, s.text from statements s left join actors a on a.id = s.actor_id "
            "where s.id = ?",
            [record_id],
        ).fetchone()
        return f"{speaker or 'the article'}: {text}"
    column = metadata()["databases"]["article"]["tables"][table]["label_column"]
    return db.execute(f"select [{column}] from [{table}] where id = ?", [record_id]).fetchone()[0]


@pytest.fixture
def data_copy(tmp_path) -> Path:
    """A private copy of data/ that a test may break."""
    copy = tmp_path / "data"
    shutil.copytree(DATA, copy)
    return copy


# The bad-input catalogue's fixtures (a good build, and a copy to break), for its two modules.
from .bad_input_support import broken, good  # noqa: E402, F401

# The browser tests' fixtures (chromium, a plain `datasette serve`, a loopback-only page).
from .browser_support import browser, page, server  # noqa: E402, F401
