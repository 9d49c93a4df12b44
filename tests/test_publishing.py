"""What plain `datasette article.db` shows: metadata travels in the database via the plugin."""

from __future__ import annotations

import re
import shutil
import sqlite3

import pytest
import yaml
from datasette.app import Datasette
from datasette.plugins import pm

from .conftest import ROOT


def page(response) -> str:
    """A page's HTML without the footer's timing, which differs from one request to the next."""
    return re.sub(r"Queries took [0-9.]+ms", "", response.text)


@pytest.fixture(scope="module")
def plain(db_path):
    """Datasette exactly as `datasette article.db` starts it: no -m, plugins from the venv."""
    return Datasette([str(db_path)])


async def test_plugin_is_installed_with_the_project(plain):
    response = await plain.client.get("/-/plugins.json")
    names = {plugin["name"] for plugin in response.json()}
    assert "article-dataset" in names


async def test_plain_datasette_shows_title_license_and_source(plain):
    html = (await plain.client.get("/")).text
    assert "Detention and torture in Kazakhstan" in html
    assert "CC BY 4.0" in html
    assert "Torture Video Confirms" in html


async def test_plain_datasette_shows_column_descriptions(plain):
    html = (await plain.client.get("/article/actors")).text
    assert "Age in years as stated in the source." in html
    assert "People, organizations and groups" in html


async def test_plain_datasette_has_the_canned_queries(plain):
    response = await plain.client.get("/article.json")
    queries = {query["name"] for query in response.json()["queries"]}
    assert {
        "timeline",
        "actor",
        "who_said",
        "case_outcomes",
        "contested_claims",
        "numbers",
    } <= queries


async def test_a_copied_database_describes_itself_under_its_new_name(db_path, tmp_path):
    copy = tmp_path / "kazakhstan.db"
    shutil.copy(db_path, copy)
    html = (await Datasette([str(copy)]).client.get("/kazakhstan/figures")).text
    assert "Numbers cited in the article" in html


async def test_stock_datasette_with_metadata_yml_gives_the_same_pages(db_path, plain):
    """`datasette article.db -m metadata.yml` without the plugin: same titles and descriptions."""
    metadata = yaml.safe_load((ROOT / "metadata.yml").read_text(encoding="utf-8"))
    paths = (
        "/",
        "/article/actors",
        "/article/coverage",
        "/article/timeline",
        "/article/sentences/torture-video-kazakhstan-s017",
        "/article/actors/timur-danebaev",
    )
    # The plugin's own additions are not metadata: its menu link to the search page, links on
    # cells that name records, and the links of a record's page to its provenance.
    menu_link = re.compile(
        r'\s*<li><a href="/article/search">Search everything</a></li>'
        r'\s*<li><a href="/-/timeline">Timeline</a></li>'
    )
    record_link = re.compile(r'<a class="record" href="[^"]*">(.*?)</a>')
    record_links = re.compile(r' <span class="record-links">.*?</span>')
    # A record's label before its id (cells.link), and a curated record's sections (row.html).
    labelled_link = re.compile(
        r'<a class="record" href="[^"]*">[^<]*? <span class="record-id">\(([^<]*)\)</span></a>'
    )
    record_page = re.compile(
        r'<link rel="stylesheet" href="[^"]*/site\.css">\n'
        r'<link rel="stylesheet" href="[^"]*/record\.css">\n'
        r'|<div class="reading-room record-page">.*?</div><!-- /record-page -->\n'
        r'|<p class="read-in-article">.*?</p>\n',
        re.S,
    )
    # The reading room's entrances, and the tables' descriptions on the database page.
    reading_room = re.compile(
        r'\s*<link rel="stylesheet"[^>]*site\.css">\s*<nav class="reading-room-links.*?</nav>', re.S
    )
    table_description = re.compile(r'\s*<p class="table-description">.*?</p>', re.S)
    with_plugin = {}
    for path in paths:
        html = page(await plain.client.get(path))
        assert menu_link.search(html), path
        html = record_page.sub("", html)
        html = record_links.sub(
            "", record_link.sub(r"\1", labelled_link.sub(r"\1", menu_link.sub("", html)))
        )
        html = table_description.sub("", reading_room.sub("", html))
        with_plugin[path] = html
    plugin = pm.get_plugin("article_dataset")
    assert plugin is not None
    pm.unregister(plugin)
    try:
        stock = Datasette([str(db_path)], metadata=metadata)
        for path in paths:
            assert page(await stock.client.get(path)) == with_plugin[path], path
        # Without either, the pages are bare: the comparison can tell the difference.
        bare = Datasette([str(db_path)])
        assert "CC BY 4.0" not in (await bare.client.get("/")).text
    finally:
        pm.register(plugin, name="article_dataset")


async def test_search_everything_links_each_hit_to_its_record(plain):
    """One search across every kind of record: the alias Tokayev finds the person, whose
    title links to the row page; how many matches each kind has is given."""
    response = await plain.client.get("/article/search.json?q=Tokayev&_shape=objects")
    rows = response.json()["rows"]
    assert [(r["record_table"], r["record_id"], r["matches"]) for r in rows] == [
        ("actors", "qasym-zhomart-toqaev", 1)
    ]
    html = (await plain.client.get("/article/search?q=Tokayev")).text
    assert (
        '<a class="record" href="/article/actors/qasym-zhomart-toqaev">Qasym-Zhomart Toqaev</a>'
        in html
    )
    html = (await plain.client.get("/article/search?q=torture")).text
    for table in ("events", "statements", "sentences"):
        assert f'<a class="record" href="/article/{table}/' in html, table


async def test_search_everything_with_nothing_to_search_is_not_an_error(plain):
    for query in ("", "%22", "%3F%21"):
        response = await plain.client.get(f"/article/search.json?q={query}&_shape=objects")
        assert response.status_code == 200, query
        assert response.json()["rows"] == []


def test_search_links_escape_what_they_show(plain):
    from article_dataset.site import render_cell

    connection = sqlite3.connect(":memory:")
    connection.row_factory = sqlite3.Row
    row = connection.execute(
        """select 'actors' as record_table, 'x"><script>' as record_id, '<b>a</b>' as title"""
    ).fetchone()
    html = render_cell(
        row=row,
        value=row["title"],
        column="title",
        table=None,
        database="article",
        datasette=plain,
    )
    assert (
        html
        == '<a class="record" href="/article/actors/x~22~3E~3Cscript~3E">&lt;b&gt;a&lt;/b&gt;</a>'
    )
