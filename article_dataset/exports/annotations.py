"""W3C Web Annotations (JSON-LD) from article.db: one annotation per evidence row.

The file (annotations.jsonld) is an AnnotationCollection with its one AnnotationPage embedded
(Web Annotation Data Model, section 5). Each annotation:
- `id`: the evidence row's page on the dataset's site, a stable URL (the row's id is);
- `motivation` "identifying": an evidence quote is where the article states the record, and
  the body is the record the passage is about; the model's "identifying" is assigning "an
  identity to the Target or identify what is being depicted or described in the Target".
  ("linking", a related resource, says less: the evidence is what backs the record.)
- `target`: a SpecificResource whose `source` is the article's text as plain UTF-8 on the
  dataset's site (/-/text/<id>.txt, exactly articles.text, in which the positions count),
  with the original article (articles.source_url) as its `via` (the resource it was derived
  from: the offsets count in the cleaned text, not in that page); two selectors, the
  model's alternatives for one span: a TextQuoteSelector (`exact` the quote, `prefix` and
  `suffix` up to CONTEXT code points of the text around it, left out at the text's ends) and
  a TextPositionSelector (`start`, `end`: evidence.char_start and char_end, code points of
  articles.text);
- `body`: the record's page (type Dataset, format text/html) and the record's label as the
  site shows it (site.pages.label_sql: a statement's speaker by name) as `label`
  (rdfs:label in the context);
- `rights`: the license of the curated records (the article's text stays its publisher's).
Each annotation repeats the @context, so that it stays valid when taken out of the page.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from ..metadata import DATABASE, SITE
from ..schema import TABLES
from ..site.pages import label_sql
from ..tables.evidence import RECORD_TABLES
from .links import row_url, text_url

ANNOTATION_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
CONTEXT = 32  # code points of prefix and suffix


def record_labels(connection: sqlite3.Connection) -> dict[tuple[str, str], str]:
    """(table, id) of every curated record: its label, as the site shows it."""
    labels = {}
    for table in RECORD_TABLES:
        label = TABLES[table].label or "id"
        shown = label_sql(table, label)  # what the site shows: a statement's speaker by name
        for record_id, value in connection.execute(f"select id, {shown} from [{table}]"):
            labels[table, record_id] = value
    return labels


def annotation(row: sqlite3.Row, text: str, source_url: str | None, base: str, label) -> dict:
    start, end = row["char_start"], row["char_end"]
    quote = {"type": "TextQuoteSelector", "exact": row["quote"]}
    if start > 0:
        quote["prefix"] = text[max(0, start - CONTEXT) : start]
    if end < len(text):
        quote["suffix"] = text[end : end + CONTEXT]
    source = {"id": text_url(base, row["article_id"]), "type": "Text", "format": "text/plain"}
    if source_url:
        source["via"] = source_url
    body = {
        "id": row_url(base, row["record_table"], row["record_id"]),
        "type": "Dataset",
        "format": "text/html",
    }
    if label is not None:
        body["label"] = str(label)
    return {
        "@context": ANNOTATION_CONTEXT,
        "id": row_url(base, "evidence", row["id"]),
        "type": "Annotation",
        "motivation": "identifying",
        "rights": SITE["license_url"],
        "body": body,
        "target": {
            "type": "SpecificResource",
            "source": source,
            "selector": [quote, {"type": "TextPositionSelector", "start": start, "end": end}],
        },
    }


def annotation_collection(connection: sqlite3.Connection, base: str) -> dict:
    connection.row_factory = sqlite3.Row
    articles = {
        row["id"]: (row["text"], row["source_url"])
        for row in connection.execute("select id, text, source_url from articles")
    }
    labels = record_labels(connection)
    rows = connection.execute(
        "select id, record_table, record_id, article_id, quote, char_start, char_end from evidence "
        "order by article_id, char_start, char_end, id"
    )
    items = []
    for row in rows:
        text, source_url = articles[row["article_id"]]
        label = labels.get((row["record_table"], row["record_id"]))
        items.append(annotation(row, text, source_url, base, label))
    collection_id = f"{base}/{DATABASE}/evidence"
    return {
        "@context": ANNOTATION_CONTEXT,
        "id": collection_id,
        "type": "AnnotationCollection",
        "label": f"Evidence: the quotes that back every record. {SITE['title']}",
        "rights": SITE["license_url"],
        "total": len(items),
        "first": {
            "id": f"{collection_id}#page-1",
            "type": "AnnotationPage",
            "partOf": collection_id,
            "startIndex": 0,
            "items": items,
        },
    }


def write_annotations(connection: sqlite3.Connection, path: Path, base: str) -> int:
    """Write the collection; returns how many annotations it holds."""
    collection = annotation_collection(connection, base)
    path.write_text(json.dumps(collection, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return collection["total"]
