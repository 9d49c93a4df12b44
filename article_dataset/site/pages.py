"""What the reading room's pages share: the database of articles, and rendering a page."""

from __future__ import annotations

from datasette.utils import tilde_encode
from datasette.utils.asgi import NotFound, Response

from .embedded import record_linking


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


def read_url(datasette, article_id: str, anchor: str | None = None) -> str:
    """The annotated article's address: #s<number> for a sentence, #q-<start>-<end> for an
    evidence span (offsets in articles.text)."""
    path = str(datasette.urls.path(f"-/read/{tilde_encode(str(article_id))}"))
    return f"{path}#{anchor}" if anchor else path
