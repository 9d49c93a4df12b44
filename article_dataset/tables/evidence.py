"""Evidence: the verbatim quotes that back every record, located in their sentences."""

from __future__ import annotations

from ..schema import Table, computed, declare

# The evidence column that points at a record of each table (a foreign key, so that a
# record's page in Datasette links to its evidence); record_table/record_id name the same
# record for plain SQL.
EVIDENCE_OWNER = {
    "actors": "actor_id",
    "places": "place_id",
    "events": "event_id",
    "statements": "statement_id",
    "cases": "case_id",
    "charges": "charge_id",
    "penalties": "penalty_id",
    "figures": "figure_id",
    "disputes": "dispute_id",
}
RECORD_TABLES = tuple(EVIDENCE_OWNER)

_ONE_OWNER = " + ".join(f"([{column}] IS NOT NULL)" for column in EVIDENCE_OWNER.values())
# With one owner column set, it names the same record (a CASE per table costs a tenth more).
_SAME_OWNER = f"coalesce({', '.join(f'[{c}]' for c in EVIDENCE_OWNER.values())}) = record_id"

EVIDENCE = declare(
    Table(
        "evidence",
        "Verbatim quotes from the article backing each record. Each row belongs to exactly one "
        "record (record_table, record_id; the matching *_id column is set too, for links) and "
        "lies inside one sentence; substr(articles.text, char_start + 1, char_end - "
        "char_start) = quote.",
        (
            computed(
                "id",
                str,
                "Owner kind, owner id, article id and quote number, joined by -- (which no "
                "slug contains, so ids cannot collide).",
            ),
            computed("record_table", str, "The kind of record this backs (its table)."),
            computed("record_id", str, "The id of the record this backs."),
            computed("article_id", str, "The article quoted.", "articles"),
            computed("sentence_id", str, "The sentence holding the quote.", "sentences"),
            computed("quote", str, "The quote, character for character."),
            computed("char_start", int, "Offset of the quote's first character in articles.text."),
            computed("char_end", int, "Offset just past the quote's last character."),
            *(
                computed(column, str, f"The {column.removesuffix('_id')} this backs.", table)
                for table, column in EVIDENCE_OWNER.items()
            ),
        ),
        label="quote",
        sort="id",
        checks=(f"{_ONE_OWNER} = 1", f"{_SAME_OWNER}", "char_end > char_start"),
        record=("record_id",),
        # A record's evidence, by article (a registry record's may span the corpus).
        indexes=(("record_table", "record_id", "article_id"),),
    )
)
