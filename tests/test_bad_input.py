"""A mistake in the YAML: a clear error naming file, line, record and field; no damage done."""

from __future__ import annotations

import subprocess
import sys

import pytest

from .conftest import ARTICLE_ID, ROOT

EVENTS = f"articles/{ARTICLE_ID}/events.yml"
ACTORS = "registry/actors.yml"


def run_build(db, data):
    return subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "--db", str(db), "--data", str(data)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )


@pytest.fixture
def existing_db(tmp_path, data_copy):
    """A good article.db already in place, and its bytes."""
    db = tmp_path / "article.db"
    result = run_build(db, data_copy)
    assert result.returncode == 0, result.stderr
    return db, db.read_bytes()


def replace_once(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= 1, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def line_of(path, needle):
    text = path.read_text(encoding="utf-8")
    return text[: text.index(needle)].count("\n") + 1


def assert_refused(existing_db, data, *expected):
    db, before = existing_db
    result = run_build(db, data)
    assert result.returncode == 1, result.stdout + result.stderr
    for part in expected:
        assert part in result.stderr, f"{part!r} not in:\n{result.stderr}"
    assert db.read_bytes() == before, "article.db changed"
    assert not list(db.parent.glob(".article.db.*.tmp")), "temporary file left behind"
    return result.stderr


def test_quote_not_in_article(existing_db, data_copy):
    path = data_copy / ACTORS
    line = replace_once(path, '"Timur Danebaev, 38', '"Timur Danebayev, 38')
    assert_refused(
        existing_db,
        data_copy,
        f"data/{ACTORS}:",
        "record 'timur-danebaev'",
        "field 'evidence'",
        "quote not found",
        "Danebayev",
    )
    assert line > 0


def test_unknown_vocabulary_value(existing_db, data_copy):
    path = data_copy / EVENTS
    line = replace_once(path, "violation_type: torture", "violation_type: tortrue")
    assert_refused(
        existing_db,
        data_copy,
        f"data/{EVENTS}:{line}:",
        "field 'violation_type'",
        "'tortrue'",
        "torture",
    )


def test_misspelt_field_gets_a_hint(existing_db, data_copy):
    path = data_copy / ACTORS
    line = replace_once(path, "  description:", "  descripton:")
    assert_refused(
        existing_db,
        data_copy,
        f"data/{ACTORS}:{line}:",
        "unknown field 'descripton'",
        "did you mean 'description'?",
    )


def test_unknown_reference(existing_db, data_copy):
    path = data_copy / EVENTS
    line = replace_once(path, "actor: timur-danebaev", "actor: timur-danebayev")
    assert_refused(
        existing_db,
        data_copy,
        f"data/{EVENTS}:{line}:",
        "unknown actors id 'timur-danebayev'",
    )


def test_duplicate_id(existing_db, data_copy):
    path = data_copy / ACTORS
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text + "\n" + text[text.index("- id: timur-danebaev") :].split("\n- id:")[0] + "\n",
        encoding="utf-8",
    )
    assert_refused(
        existing_db, data_copy, "duplicate id 'timur-danebaev' in actors", "first defined at"
    )


def test_malformed_yaml(existing_db, data_copy):
    path = data_copy / EVENTS
    line = replace_once(path, "- id:", "- id: [unclosed")
    assert_refused(existing_db, data_copy, f"data/{EVENTS}:", "invalid YAML")
    assert line > 0


def test_date_that_is_no_date(existing_db, data_copy):
    path = data_copy / EVENTS
    line = replace_once(path, 'date: "2023-08-24"', 'date: "2023-02-30"')
    assert_refused(
        existing_db,
        data_copy,
        f"data/{EVENTS}:{line}:",
        "field 'date'",
        "is not a real date",
    )


def test_uncited_sentence(existing_db, data_copy):
    path = data_copy / f"articles/{ARTICLE_ID}/article.yml"
    replace_once(
        path,
        '  - quote: "Well, maybe in theory."\n    reason: rhetorical aside; states no fact\n',
        "",
    )
    stderr = assert_refused(existing_db, data_copy, "field 'uncited'")
    assert "sentence 43 is neither cited by a record nor waived" in stderr
