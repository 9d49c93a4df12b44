"""The annotated article: /-/read/<article-id>."""

from __future__ import annotations

from datasette.utils.asgi import NotFound


async def read_page(request, datasette):
    raise NotFound("The annotated article is not built yet")


async def site_context(datasette, database):
    return {}
