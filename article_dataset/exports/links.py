"""Absolute addresses of the dataset's pages, for exports that are read away from the site."""

from __future__ import annotations

from urllib.parse import urlsplit

from datasette.utils import tilde_encode

from ..metadata import DATABASE
from ..site.pages import text_path


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


def text_url(base: str, article_id: str) -> str:
    """The article's text as plain UTF-8, in which annotations' positions count."""
    return f"{base}/{text_path(article_id)}"
