"""Cite this record: the dataset version, and citations as text, BibTeX and CSL-JSON."""

from __future__ import annotations

import hashlib
import os

_versions: dict[str, tuple[tuple, str]] = {}


async def dataset_version(datasette, database: str) -> str:
    """A short hash of the build's inputs: every input file's path and SHA-256, and the hash
    of the build's code (the '(code)' row), as _build_files records them. Two builds of the
    same data by the same code have the same version; any edit to the data gives a new one."""
    db = datasette.get_database(database)
    signature = ()
    if db.path:
        try:
            stat = os.stat(db.path)
            signature = (stat.st_mtime_ns, stat.st_size, stat.st_ino)
        except OSError:
            signature = ()
    cached = _versions.get(db.path or database)
    if cached and signature and (cached[0] == signature or not db.is_mutable):
        return cached[1]
    rows = await db.execute("select path, sha256 from _build_files order by path")
    digest = hashlib.sha256()
    for path, sha256 in rows:
        digest.update(f"{path}\0{sha256}\n".encode())
    version = digest.hexdigest()[:12]
    _versions[db.path or database] = (signature, version)
    return version


async def cite_json(request, datasette):
    from datasette.utils.asgi import NotFound

    raise NotFound("Citations are not built yet")
