"""Claims of references: values that name an actor or a place, linked to their sentences once
every file is in, in SQL (a unit alone does not know the names of what it references).

_claim_references holds what the units defer (one row per value and article); link_references
turns it into claims rows. A sentence of the record states a reference when it holds one of the
referenced record's evidence quotes (the words the article uses for it) or one of its names.
"""

from __future__ import annotations

from ..schema import Table, computed, declare
from .claims import ATTRIBUTION_COLUMNS, CLAIMS, VALUE_COLUMNS

# References waiting for every file to be in: what link_references turns into claims. A TEMP
# table of the build's connection: when the registry changes, the references to link again are
# read back from the claims themselves (_pending_from_claims).
CLAIM_REFERENCES = declare(
    Table(
        "_claim_references",
        "References to actors and places that the build links to their sentences once every "
        "file is in (one row per value and article): the input of those claims.",
        (
            computed("id", str, "The value's key and the article."),
            computed("value_key", str, "Record, field and the value's number."),
            *VALUE_COLUMNS,
            computed("article_id", str, "The article whose sentences may state it.", "articles"),
            *ATTRIBUTION_COLUMNS,
            computed("note", str, "The curator's note on the value."),
            computed("yaml_key", str, "The field as the YAML names it, for messages."),
        ),
        record=("record_id",),
        temporary=True,
    )
)


def _names_tables() -> list[tuple[str, str, str]]:
    """(referenced table, its names table, the names table's column of the owner)."""
    from . import ALL_TABLES

    return [
        (table.column(table.part_of[0]).references, table.name, table.part_of[0])
        for table in ALL_TABLES
        if table.part_of and table.part_of[1] == "names"
    ]


# CROSS JOIN keeps the pending references the outer loop: a TEMP table has no statistics, and
# the planner would otherwise scan all of evidence for the few references of an edit.
_CANDIDATES = """_claim_references r
  cross join evidence e on e.record_table = r.record_table and e.record_id = r.record_id
    and e.article_id = r.article_id"""


def link_references(connection, scope, data_dir, problems) -> None:
    """Claims for references to actors and places, once every file is in: a sentence of the
    record states one when it holds one of the referenced record's evidence quotes (the words
    the article uses for it) or one of its names. Exactly one sentence per article must.

    An incremental build links the references of the files it read again; when the registry
    changed (names, evidence), every reference, since any could now be stated elsewhere."""
    if scope.staged and scope.all_references:
        _pending_from_claims(connection)
    where = "1"
    connection.execute(
        "create temp table if not exists ref_hits "
        "(ref integer, sentence_id text, rank integer, quote text, char_start, char_end)"
    )
    connection.execute("delete from temp.ref_hits")
    connection.execute(
        f"""insert into temp.ref_hits
        select r.rowid, e.sentence_id, 0, t.quote, t.char_start, t.char_end
        from {_CANDIDATES}
        cross join evidence t on t.record_table = r.value_table and t.record_id = r.value
          and t.sentence_id = e.sentence_id
        where {where}"""
    )
    for target, names, owner in _names_tables():
        connection.execute(
            f"""insert into temp.ref_hits
            select ref, sentence_id, 1, substr(text, pos, length(name)),
              sentence_start + pos - 1, sentence_start + pos - 1 + length(name)
            from (
              select r.rowid as ref, s.id as sentence_id, s.text, s.char_start as sentence_start,
                n.name, instr(lower(s.text), lower(n.name)) as pos
              from {_CANDIDATES}
              cross join sentences s on s.id = e.sentence_id
              cross join [{names}] n on n.[{owner}] = r.value
              where r.value_table = '{target}' and {where})
            where pos > 0"""
        )
    connection.execute(
        """create temp table if not exists ref_sentences as
        select ref, count(distinct sentence_id) as sentences from temp.ref_hits where 0"""
    )
    connection.execute("delete from temp.ref_sentences")
    connection.execute(
        "insert into temp.ref_sentences "
        "select ref, count(distinct sentence_id) from temp.ref_hits group by ref"
    )
    columns = [column.name for column in CLAIMS.columns]
    connection.execute(
        f"""insert into claims ({", ".join(columns)})
        select r.value_key || '--' || h.sentence_id, r.record_table, r.record_id, r.field,
          r.value, r.value_table, r.article_id, h.sentence_id, h.quote, h.char_start,
          h.char_end, r.asserted_by_id, r.assertion, 'build', r.note, r.source_file,
          r.source_line
        from _claim_references r
        join temp.ref_sentences n on n.ref = r.rowid and n.sentences = 1
        join (select *, row_number() over (
                partition by ref order by rank, char_start, char_end desc) as choice
              from temp.ref_hits) h on h.ref = r.rowid and h.choice = 1"""
    )
    _report_unlinked(connection, where, data_dir, problems)


def _report_unlinked(connection, where: str, data_dir, problems) -> None:
    ambiguous = connection.execute(
        f"""select r.source_file, r.source_line, r.record_id, r.yaml_key, r.field, r.value,
          (select group_concat(number, ', ') from (
             select distinct s.number from temp.ref_hits h join sentences s
             on s.id = h.sentence_id where h.ref = r.rowid order by s.number))
        from _claim_references r join temp.ref_sentences n on n.ref = r.rowid
        where n.sentences > 1 and {where}"""
    )
    for source_file, line, record_id, key, field, value, numbers in ambiguous:
        problems.add(
            f"{data_dir.name}/{source_file}",
            line,
            f"{_shown_reference(field, value)} is named in more than one of the record's "
            f"sentences ({numbers}): quote the one that states it (claim/claims)",
            record=record_id,
            field=key,
        )
    unlinked = connection.execute(
        f"""select r.source_file, r.source_line, r.record_id, r.yaml_key, r.field, r.value
        from _claim_references r where {where}
        group by r.value_key
        having max(r.rowid in (select ref from temp.ref_sentences)) = 0"""
    )
    for source_file, line, record_id, key, field, value in unlinked:
        problems.add(
            f"{data_dir.name}/{source_file}",
            line,
            f"no sentence of the record names {_shown_reference(field, value)}: quote the "
            "words that refer to it (claim/claims), or waive it with a reason",
            record=record_id,
            field=key,
        )


def _shown_reference(field: str, value: str) -> str:
    role = field.partition(".")[2]
    return repr(f"{value} ({role})" if role else value)


def _pending_from_claims(connection) -> None:
    """The references linked by the build in files not read again, back to pending (their
    claims hold all a pending reference does), so that they are linked anew. A reference of an
    article's record has one claim; those of registry records, which may have several, are in
    the registry's files, which are read again whenever this is needed."""
    from ..schema import TABLES

    rows = connection.execute(
        """select substr(id, 1, length(id) - length(sentence_id) - 2), record_table, record_id,
          field, value, value_table, article_id, asserted_by_id, assertion, note, source_file,
          source_line
        from claims where linked_by = 'build' and value_table is not null"""
    ).fetchall()
    connection.execute("delete from claims where linked_by = 'build' and value_table is not null")

    def yaml_key(table: str, field: str) -> str:
        if "." in field or field == "names":
            return field.partition(".")[0]
        return TABLES[table].column(field).yaml_key or field

    columns = [column.name for column in CLAIM_REFERENCES.columns]
    connection.executemany(
        f"insert into temp.[_claim_references] ({', '.join(columns)}) "
        f"values ({', '.join('?' for _ in columns)})",
        ((f"{row[0]}--{row[6]}", *row[:10], yaml_key(row[1], row[3]), *row[10:]) for row in rows),
    )
