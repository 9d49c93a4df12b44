"""Record pages that show their evidence: extra context for the row page of a curated table."""

from __future__ import annotations


async def row_context(datasette, database, table, request):
    return {}
