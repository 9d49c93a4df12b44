"""The public server: read-only, immutable, with query limits, through a real `datasette`."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import time

import httpx
import pytest

from article_dataset.site.serving import (
    SETTINGS,
    ensure_inspect,
    inspect_path,
    snapshot,
)

from .server import free_port, running, serving_copy

HOSTILE_SQL = {
    "insert": "insert into actors (id, kind, name, description) values ('x', 'person', 'x', 'x')",
    "update": "update actors set name = 'x'",
    "delete": "delete from evidence",
    "drop": "drop table evidence",
    "attach": "attach database '/tmp/evil.db' as evil",
    "load_extension": "select load_extension('/tmp/evil.so')",
    "writable_schema": "pragma writable_schema = 1",
    "create": "create table evil (x)",
    "vacuum_into": "vacuum into '/tmp/copy.db'",
}


@pytest.fixture(scope="module")
def served(db_path, tmp_path_factory, public_serve):
    """The server `make serve` runs, on a private copy of the built database."""
    folder = tmp_path_factory.mktemp("served")
    with serving_copy(db_path, folder, public_serve) as (base, _, db, _):
        yield base, db


@pytest.mark.parametrize("name", sorted(HOSTILE_SQL))
def test_writes_and_escapes_through_sql_are_refused(served, name):
    base, db = served
    before = db.read_bytes()
    response = httpx.get(f"{base}/article.json", params={"sql": HOSTILE_SQL[name]}, timeout=10)
    body = response.json()
    assert response.status_code in (400, 403), body
    assert body["ok"] is False
    assert db.read_bytes() == before
    count = httpx.get(f"{base}/article/evidence.json?_size=1", timeout=10).json()
    assert count["filtered_table_rows_count"] > 0


def test_runaway_query_is_cut_by_the_time_limit_and_the_server_stays_up(served):
    base, _ = served
    runaway = (
        "with recursive counter(x) as (select 1 union all select x + 1 from counter) "
        "select count(*) from counter"
    )
    started = time.monotonic()
    response = httpx.get(f"{base}/article.json", params={"sql": runaway}, timeout=30)
    elapsed = time.monotonic() - started
    assert response.status_code == 400
    assert "SQL query took too long" in response.json()["error"]
    assert elapsed < SETTINGS["sql_time_limit_ms"] / 1000 + 5
    assert httpx.get(f"{base}/article/actors.json", timeout=5).status_code == 200


def test_settings_in_force(served):
    base, _ = served
    settings = httpx.get(f"{base}/-/settings.json", timeout=5).json()
    for name, value in SETTINGS.items():
        assert settings[name] == value, name


def test_database_is_immutable_and_counted_by_inspect(db_path, tmp_path, public_serve):
    """Table counts come from the inspect file, not from counting rows on each page: an
    inspect file that says otherwise is what the pages show."""
    db = tmp_path / "article.db"
    shutil.copy(db_path, db)
    inspected = json.loads(ensure_inspect(db).read_text())
    real = sqlite3.connect(db).execute("select count(*) from actors").fetchone()[0]
    assert inspected["article"]["tables"]["actors"]["count"] == real
    inspected["article"]["tables"]["actors"]["count"] = real + 1000
    inspect_path(db).write_text(json.dumps(inspected))  # newer than the database: kept
    port = free_port()
    with running(public_serve(db, port), port) as base:
        databases = httpx.get(f"{base}/-/databases.json", timeout=5).json()
        assert [(d["name"], d["is_mutable"]) for d in databases] == [("article", False)]
        tables = httpx.get(f"{base}/article.json", timeout=5).json()["tables"]
        assert {t["name"]: t["count"] for t in tables}["actors"] == real + 1000


def test_make_serve_copies_the_database_again_only_when_it_changed(db_path, tmp_path):
    db = tmp_path / "article.db"
    shutil.copy(db_path, db)
    first = snapshot(db)
    ensure_inspect(first)
    copied = first.stat().st_ino
    assert snapshot(db) == first and first.stat().st_ino == copied  # reused, with its counts
    assert inspect_path(first).exists()
    connection = sqlite3.connect(db)
    with connection:
        connection.execute("update actors set description = 'changed' where rowid = 1")
    connection.close()
    changed = db.stat()  # a build's write, one second later than the copy for certain
    os.utime(db, ns=(changed.st_atime_ns, changed.st_mtime_ns + 1_000_000_000))
    second = snapshot(db)
    assert second.stat().st_ino != copied
    assert not inspect_path(second).exists()  # the old counts are not served with it
    described = sqlite3.connect(second).execute("select description from actors where rowid = 1")
    assert described.fetchone() == ("changed",)


def test_max_returned_rows_caps_a_query(served):
    base, _ = served
    response = httpx.get(
        f"{base}/article.json",
        params={
            "sql": "with recursive n(x) as (select 1 union all select x + 1 from n "
            "where x < 5000) select x from n",
            "_shape": "objects",
        },
        timeout=10,
    ).json()
    assert len(response["rows"]) == SETTINGS["max_returned_rows"]
    assert response["truncated"] is True
