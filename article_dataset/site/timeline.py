"""The timeline, drawn on the server as SVG: /-/timeline."""

from __future__ import annotations

from datasette.utils.asgi import NotFound


async def timeline_page(request, datasette):
    raise NotFound("The timeline is not built yet")
