"""Absolute addresses of the dataset's pages, for exports that are read away from the site."""

from __future__ import annotations

from urllib.parse import urlsplit

from datasette.utils import tilde_encode

from ..metadata import DATABASE

# Where `make serve` answers; a published copy passes its own (make export BASE_URL=...).
DEFAULT_BASE_URL = "http://127.0.0.1:8001"


def site_base(base_url: str) -> str:
    """The base URL without its trailing slash; anything but an absolute http(s) URL is refused,
    since every exported link would be broken."""
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise ValueError(
            f"the base URL must be an absolute http(s) URL without query or fragment: {base_url!r}"
        )
    return base_url.rstrip("/")


def row_url(base: str, table: str, *key: object) -> str:
    """The page of one row, as Datasette addresses it: the primary key's parts tilde-encoded
    and joined by commas."""
    path = ",".join(tilde_encode(str(part)) for part in key)
    return f"{base}/{DATABASE}/{table}/{path}"
