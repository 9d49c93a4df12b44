"""What others load from article.db: CSV files with a Frictionless Data Package, FollowTheMoney
entities (entities.ftm.json) and W3C Web Annotations (annotations.jsonld), all listed in the
package."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from ..site.pages import site_url
from . import datapackage
from .annotations import write_annotations
from .datapackage import EXPORTED
from .ftm import write_entities
from .links import site_base

ENTITIES_FILE = "entities.ftm.json"
ANNOTATIONS_FILE = "annotations.jsonld"

__all__ = [
    "ANNOTATIONS_FILE",
    "ENTITIES_FILE",
    "EXPORTED",
    "export",
    "site_base",
]


def export(db_path: Path, out_dir: Path, base_url: str | None = None) -> Path:
    """Write every export into out_dir; links in them start with base_url, where the dataset
    is served (by default the site's own, as its citations give it: pages.site_url). Returns
    the path of datapackage.json."""
    base = site_base(site_url() if base_url is None else base_url)
    out_dir.mkdir(parents=True, exist_ok=True)
    entities, annotations = out_dir / ENTITIES_FILE, out_dir / ANNOTATIONS_FILE
    connection = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        entity_count = write_entities(connection, entities, base)
        annotation_count = write_annotations(connection, annotations, base)
    finally:
        connection.close()
    files = [
        datapackage.file_resource(
            entities,
            "ftm-entities",
            "ftm",
            "application/x-ndjson",
            f"FollowTheMoney entities, one JSON object a line ({entity_count}): people, "
            "organizations, public bodies and groups, events, court cases and their parties, "
            "and the article they come from. Load with the `ftm` tool or into Aleph; the "
            "mappings are described in article_dataset/exports/ftm.py.",
        ),
        datapackage.file_resource(
            annotations,
            "web-annotations",
            "jsonld",
            "application/ld+json",
            f"W3C Web Annotations (an AnnotationCollection of {annotation_count}), one per "
            "evidence row: the quote in the article text (TextQuoteSelector and "
            "TextPositionSelector) linked to the record it backs.",
        ),
    ]
    return datapackage.export(db_path, out_dir, files)
