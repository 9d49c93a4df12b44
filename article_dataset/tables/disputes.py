"""Disputes: one record denies, contradicts, questions or challenges another."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..inputs import QUOTES, list_of, record_schema
from ..load import SourceFile
from ..schema import ARTICLE_ID, SLUG, Column, Table, computed, declare, ident, whole
from .evidence import RECORD_TABLES

if TYPE_CHECKING:  # context imports the tables: no cycle at run time
    from ..context import Context

# justifies: admits what the other record says and defends it (the guards' video).
RELATIONS = ("denies", "contradicts", "questions", "challenges", "justifies")
# A record as the YAML names it: its table and id, e.g. statements/officer-warned-twice.
RECORD_PATTERN = whole(rf"({'|'.join(RECORD_TABLES)})/{SLUG}")

DISPUTES = declare(
    Table(
        "disputes",
        "Where the article sets one record against another: a denial, a contrary finding, a "
        "challenge. Both sides are records with their own evidence; so is the dispute.",
        (
            ident("Stable slug of the dispute."),
            ARTICLE_ID,
            computed("title", str, "Who disputes what, for links: the two ids and the relation."),
            computed("record_table", str, "The kind of record disputed (its table)."),
            computed("record_id", str, "The record disputed."),
            computed("by_table", str, "The kind of record that disputes it (its table)."),
            computed("by_id", str, "The record that disputes it: a denial, a finding, a suit."),
            Column(
                "relation",
                str,
                "How the second record disputes the first.",
                required=True,
                vocab=RELATIONS,
            ),
            Column("note", str, "What is in dispute, in a line."),
        ),
        label="title",
        sort="id",
        facets=("relation", "record_table", "by_table"),
        # (table column, id column, YAML key): records named by kind and id, checked in SQL.
        record_refs=(("record_table", "record_id", "disputed"), ("by_table", "by_id", "by")),
        # For the check of both sides when records are removed, and for a record's disputes.
        indexes=(("record_table", "record_id"), ("by_table", "by_id")),
    )
)

DISPUTES_FILE_SCHEMA = list_of(
    record_schema(
        DISPUTES,
        {
            "disputed": {"type": "string", "pattern": RECORD_PATTERN},
            "by": {"type": "string", "pattern": RECORD_PATTERN},
            "evidence": QUOTES,
        },
        required=("disputed", "by", "evidence"),
    )
)


def add_disputes(ctx: Context, source: SourceFile, article_id: str) -> None:
    for record in source.data:
        record_table, record_id = record["disputed"].split("/")
        by_table, by_id = record["by"].split("/")
        if (record_table, record_id) == (by_table, by_id):
            ctx.problems.at(source, record, "a record cannot dispute itself", "by")
        ctx.add_record(
            "disputes",
            source,
            record,
            article_id=article_id,
            title=f"{by_id} {record['relation']} {record_id}",
            record_table=record_table,
            record_id=record_id,
            by_table=by_table,
            by_id=by_id,
        )
        ctx.cite("disputes", record["id"], record["evidence"], article_id, source, record)
