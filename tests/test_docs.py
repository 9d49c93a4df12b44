"""The README and metadata.yml say what the database really holds."""

from __future__ import annotations

import sqlite3

import pytest
import yaml

from article_dataset.docs import render_readme
from article_dataset.metadata import metadata, metadata_yaml

from .conftest import ARTICLE_ID, DATA, ROOT


def test_readme_examples_and_schema_are_current(db_path):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert render_readme(readme, db_path) == readme, "run `make docs`"


def test_readme_first_screen_has_the_two_commands():
    first_screen = "\n".join((ROOT / "README.md").read_text(encoding="utf-8").splitlines()[:25])
    assert "make serve" in first_screen and "make test" in first_screen
    assert "source.txt" in first_screen


def test_metadata_yml_is_generated_from_the_declarations():
    committed = (ROOT / "metadata.yml").read_text(encoding="utf-8")
    assert committed == metadata_yaml(), "run `make metadata`"
    assert yaml.safe_load(committed) == metadata()


def test_every_table_and_column_has_a_description(db_path):
    tables = metadata()["databases"]["article"]["tables"]
    connection = sqlite3.connect(db_path)
    names = [
        row[0]
        for row in connection.execute(
            "select name from sqlite_master where type = 'table' and name not like '%_fts%'"
        )
    ]
    assert names
    for name in names:
        assert tables.get(name, {}).get("description"), name
        for column in connection.execute(f"pragma table_info([{name}])"):
            assert tables[name]["columns"].get(column[1]), (name, column[1])


def test_source_copy_is_the_scraped_article_unchanged():
    shared = ROOT.parent / "shared" / "source" / "000_e27c19add51ad674.txt"
    copy = DATA / "articles" / ARTICLE_ID / "source.txt"
    assert copy.read_bytes().startswith(b"Torture Video Confirms")
    if not shared.exists():
        pytest.skip(f"the scraped file is not beside the project: {shared}")
    assert copy.read_bytes() == shared.read_bytes()


def test_published_descriptions_give_each_vocabulary_as_declared():
    """Allowed values are written once, in the declaration; every description shows them."""
    from article_dataset.tables import ALL_TABLES

    tables = metadata()["databases"]["article"]["tables"]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for table in ALL_TABLES:
        for column in (c for c in table.columns if c.vocab):
            allowed = f"One of: {', '.join(column.vocab)}."
            assert tables[table.name]["columns"][column.name].endswith(allowed), column.name
            named = [value for value in column.vocab if value in column.doc]
            assert len(named) <= 1, (table.name, column.name, "values listed again in the doc")
            assert f"| `{column.name}` |" in readme and allowed in readme
