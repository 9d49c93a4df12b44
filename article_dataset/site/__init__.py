"""Datasette plugin: the site of the dataset.

Installed with the project (entry point "datasette"), so plain `datasette article.db` shows
titles, license, column descriptions and canned queries (the metadata the build embeds;
metadata given with -m still wins), cells that name a record linked to it, and the reading
room's pages. It imports nothing from the rest of the project: what it knows of the dataset
it reads from the database.
"""

from __future__ import annotations

from datasette import hookimpl

from . import citing, facets, paging, reading, records, searching, timeline
from .cells import labelled_link, link, linked_record, record_links
from .embedded import embedded, record_linking
from .pages import row_url

# Enough to map the whole file of a corpus of ~10 000 articles; address space, not memory.
MMAP_BYTES = 1 << 31


@hookimpl
def get_metadata(datasette, key, database, table):
    merged: dict = {}
    for name, db in datasette.databases.items():
        if db.is_memory or not db.path:
            continue
        found = embedded(db.path, db.is_mutable)
        if not found:
            continue
        for site_key, value in (found.get("site") or {}).items():
            merged.setdefault(site_key, value)
        merged.setdefault("databases", {})[name] = found.get("database") or {}
    return merged


@hookimpl
def prepare_connection(conn):
    # A search reads one table row per match: through SQLite's small page cache each page
    # is copied in with a system call, again for every query. Memory-mapped pages are read
    # in place and shared by every connection (measured: searches ~25 % faster at 10 000
    # articles; a larger page cache per connection gave nothing more).
    conn.execute(f"PRAGMA mmap_size = {MMAP_BYTES}")


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    # A cell that names a record (a polymorphic record_table/record_id pair, a claim's value,
    # a "search" hit's title, an id column) becomes a link to the record's page. Both parts of
    # the path are tilde-encoded and Markup.format escapes the text, so a query's values cannot
    # inject markup or leave the database's pages.
    # On row and table pages (table set) the link shows the record's label with its id, looked
    # up once per record (cells.record_label). Query results (table None) may have 1 000 rows
    # of ids from anywhere: there the id alone, at no cost.
    if value is None:
        return None
    linking = record_linking(datasette, database)
    if column == "id" and table in (linking.get("records") or ()) and not isinstance(value, dict):
        # Only row pages show a record's id as a cell: table pages make it the row's link.
        return record_links(datasette, database, table, str(value))
    linked = linked_record(row, value, column, table, linking)
    if linked is None or None in linked:
        return None
    record_table, record_id = linked
    url = row_url(datasette, database, record_table, record_id)
    if table is None:
        return link(url, value, None)
    return labelled_link(datasette, database, str(record_table), record_id, url)


@hookimpl
def menu_links(datasette, actor, request):
    searchable = [
        name
        for name, db in datasette.databases.items()
        if not db.is_memory
        and db.path
        and "search"
        in ((embedded(db.path, db.is_mutable) or {}).get("database") or {}).get("queries", {})
    ]
    links = [
        {
            "href": datasette.urls.database(name) + "/search",
            "label": "Search everything" + (f" in {name}" if len(searchable) > 1 else ""),
        }
        for name in searchable
    ]
    if searchable:  # served databases made by the build: the reading room has a timeline
        links.append({"href": datasette.urls.path("/-/timeline"), "label": "Timeline"})
    return links


@hookimpl
def register_routes():
    return [
        (r"^/-/read/(?P<article_id>[^/]+)$", reading.read_page),
        (r"^/-/text/(?P<article_id>[^/]+)\.txt$", reading.text_page),  # pages.TEXT_PATH
        (r"^/-/timeline$", timeline.timeline_page),
        (r"^/-/cite/(?P<table>[^/]+)/(?P<record_id>[^/]+)\.json$", citing.cite_json),
    ]


@hookimpl
def extra_template_vars(template, database, table, view_name, request, datasette):
    if view_name == "row":
        return records.row_context(datasette, database, table, request)
    # The home and database pages, not a query's results (whose view is "database" too).
    if template in ("index.html", "database.html"):
        return reading.site_context(datasette, database)
    return None


@hookimpl
def startup(datasette):
    async def answer_table_queries():
        for db in datasette.databases.values():
            await _answer_table_queries(db)

    return answer_table_queries


async def _answer_table_queries(db) -> None:
    """A table page's own queries, answered: its pages in one order (paging.py), and on an
    immutable database its searches from their indexes (searching.py). Other queries (ad-hoc
    SQL, canned queries, this plugin's) are run as they are written."""
    shapes = await db.execute_fn(paging.table_shapes) if not db.is_mutable else None
    searches = await searching.Searches.of(db)
    execute = db.execute

    async def answering(sql, params=None, *args, **kwargs):
        page = paging.TABLE_PAGE.get()
        shape = None
        if page is not None and page[0] == db.route:
            if shapes is not None:
                shape = shapes.get(page[1])
            elif " order by " in sql:  # a mutable database's tables may change while served
                shape = await db.execute_fn(lambda conn: paging.table_shape(conn, page[1]))
        if shape is None:  # not a table page's query: as it is written
            return await execute(sql, params, *args, **kwargs)
        sql = paging.in_key_order(sql, page[1], shape) or sql
        if searches:
            return await searches.execute(sql, params, *args, **kwargs)
        return await execute(sql, params, *args, **kwargs)

    db.execute = answering


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        async def marking_table_pages(scope, receive, send):
            http = scope["type"] == "http"
            page = paging.table_page(scope, datasette.setting("base_url")) if http else None
            token = paging.TABLE_PAGE.set(page)
            try:
                return await app(scope, receive, send)
            finally:
                paging.TABLE_PAGE.reset(token)

        return marking_table_pages

    return wrap


@hookimpl(wrapper=True)
def register_facet_classes():
    # Datasette's ColumnFacet, counting every column facet of a request in one pass.
    return facets.replace_column_facet((yield))
