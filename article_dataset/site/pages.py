"""What the reading room's pages share: the database of articles, and rendering a page."""

from __future__ import annotations

import os

from datasette.utils import tilde_encode
from datasette.utils.asgi import NotFound, Response

from .embedded import record_linking

# Where the site is published. Citations give their URLs from it, never from the request's
# Host header (any client sets that; two readers must cite one URL). `make serve` sets it from
# HOST and PORT (make SITE_URL=https://... for a public copy); exports use the same default.
SITE_URL_VARIABLE = "ARTICLE_DATASET_SITE_URL"
DEFAULT_SITE_URL = "http://127.0.0.1:8001"


def site_url() -> str:
    return (os.environ.get(SITE_URL_VARIABLE) or DEFAULT_SITE_URL).rstrip("/")


def article_database(datasette) -> str:
    """The served database the build made (its embedded metadata names the record tables).
    The reading room's routes are the instance's, not a database's: with several databases
    served, the first one made by the build is the one they show."""
    for name in datasette.databases:
        if record_linking(datasette, name).get("records"):
            return name
    raise NotFound("No database of articles is served here")


async def render_page(datasette, request, template: str, context: dict) -> Response:
    return Response.html(await datasette.render_template(template, context, request=request))


# The article's cleaned text as plain UTF-8: what the offsets of evidence and claims count in
# (code points), and what the exported Web Annotations target.
TEXT_PATH = "-/text/{}.txt"


def text_path(article_id: str) -> str:
    return TEXT_PATH.format(tilde_encode(str(article_id)))


def row_url(datasette, database: str, table: str, record_id) -> str:
    """A record's page: its id tilde-encoded, so no id can leave the database's pages."""
    return datasette.urls.row(database, str(table), tilde_encode(str(record_id)))


def read_url(datasette, article_id: str, anchor: str | None = None) -> str:
    """The annotated article's address: #s<number> for a sentence, #q-<start>-<end> for an
    evidence span (offsets in articles.text)."""
    path = str(datasette.urls.path(f"-/read/{tilde_encode(str(article_id))}"))
    return f"{path}#{anchor}" if anchor else path


# A statement's stored title starts with its speaker's id (a row of the build depends on its
# own file alone); what readers see is the speaker's name and the words.
STATEMENT_LABEL = (
    "coalesce((select name from actors where actors.id = [statements].actor_id), 'the article')"
    " || ': ' || [statements].text"
)


def label_sql(table: str, label_column: str) -> str:
    """SQL for the label readers see of a row of `table` (selected from it by that name)."""
    return STATEMENT_LABEL if table == "statements" else f"[{table}].[{label_column}]"


def shorten(text: str, limit: int) -> str:
    """The text cut to `limit` characters, an ellipsis marking the cut."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
