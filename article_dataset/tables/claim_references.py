"""Claims of references: values that name an actor or a place, linked to their sentences once
every file is in, in SQL (a unit alone does not know the names of what it references).

_claim_references holds what the units defer (one row per value and article); link_references
turns it into claims rows. A sentence of the record states a reference when it holds one of the
referenced record's evidence quotes (the words the article uses for it) or one of its names.
"""

from __future__ import annotations

from ..schema import Table, computed, declare
from ..stating import states_text
from .claims import ATTRIBUTION_COLUMNS, CLAIMS, VALUE_COLUMNS, shown, yaml_key

# References waiting for every file to be in: what link_references turns into claims. A TEMP
# table of the build's connection: when the registry changes the names or evidence of an actor or
# place, the references to it are read back from the claims themselves (_pending_from_claims).
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


def reference_targets(connection) -> set[tuple]:
    """What the references to the actors and places of the files read again depend on: their
    names and their evidence. An incremental build compares it before and after, and links
    again only the references to records that changed (relinked)."""
    stale = "source_file in (select path from temp.stale_files)"
    rows = set()
    for target, names, owner in _names_tables():
        rows |= set(
            connection.execute(
                f"select '{target}', [{owner}], name, null, null from [{names}] where {stale}"
            )
        )
        rows |= set(
            connection.execute(
                "select record_table, record_id, sentence_id, quote, char_start from evidence "
                f"where record_table = '{target}' and {stale}"
            )
        )
    return rows


def relinked(before: set[tuple], after: set[tuple]) -> set[tuple[str, str]]:
    """(table, id) of the actors and places whose names or evidence changed."""
    return {(table, record_id) for table, record_id, *_ in before ^ after}


def _name_position(text: str, name: str) -> int:
    """Where a name stands in a sentence (1-based, 0: nowhere), by the rule of every text value:
    in any case, as whole words (Kazakh is not in Kazakhstan)."""
    span = states_text(text, name)
    return span[0] + 1 if span else 0


# CROSS JOIN keeps the pending references the outer loop: a TEMP table has no statistics, and
# the planner would otherwise scan all of evidence for the few references of an edit. The
# referenced record's evidence is found through the sentence (a few rows), not through the
# record, whose evidence may span the corpus.
_CANDIDATES = """_claim_references r
  cross join evidence e on e.record_table = r.record_table and e.record_id = r.record_id
    and e.article_id = r.article_id"""


def link_references(connection, scope, data_dir, problems) -> None:
    """Claims for references to actors and places, once every file is in: a sentence of the
    record states one when it holds one of the referenced record's evidence quotes (the words
    the article uses for it) or one of its names. Exactly one sentence per article must.

    The pending references are those of the files read (the units deferred them) and, in an
    incremental build, those to actors and places whose names or evidence changed."""
    if scope.staged and scope.relink:
        _pending_from_claims(connection, scope.relink)
    connection.create_function("name_position", 2, _name_position, deterministic=True)
    connection.execute(
        "create temp table if not exists ref_hits "
        "(ref integer, sentence_id text, rank integer, quote text, char_start, char_end)"
    )
    connection.execute("delete from temp.ref_hits")
    connection.execute(
        f"""insert into temp.ref_hits
        select r.rowid, e.sentence_id, 0, t.quote, t.char_start, t.char_end
        from {_CANDIDATES}
        cross join evidence t indexed by idx_evidence_sentence_id on t.sentence_id = e.sentence_id
          and t.record_table = r.value_table and t.record_id = r.value"""
    )
    for target, names, owner in _names_tables():
        connection.execute(
            f"""insert into temp.ref_hits
            select ref, sentence_id, 1, substr(text, pos, length(name)),
              sentence_start + pos - 1, sentence_start + pos - 1 + length(name)
            from (
              select r.rowid as ref, s.id as sentence_id, s.text, s.char_start as sentence_start,
                n.name, name_position(s.text, n.name) as pos
              from {_CANDIDATES}
              cross join sentences s on s.id = e.sentence_id
              cross join [{names}] n on n.[{owner}] = r.value
              where r.value_table = '{target}'
              limit -1)  -- kept a subquery: folded, name_position ran once per use of pos
            where pos > 0"""
        )
    connection.execute(
        "create temp table if not exists ref_sentences (ref integer primary key, sentences)"
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
    _report_unlinked(connection, data_dir, problems)


def _report_unlinked(connection, data_dir, problems) -> None:
    ambiguous = connection.execute(
        """select r.source_file, r.source_line, r.record_table, r.record_id, r.field, r.value,
          (select group_concat(number, ', ') from (
             select distinct s.number from temp.ref_hits h join sentences s
             on s.id = h.sentence_id where h.ref = r.rowid order by s.number))
        from _claim_references r join temp.ref_sentences n on n.ref = r.rowid
        where n.sentences > 1"""
    )
    for source_file, line, table, record_id, field, value, numbers in ambiguous:
        problems.add(
            f"{data_dir.name}/{source_file}",
            line,
            f"{shown(field, value)} is named in more than one of the record's sentences "
            f"({numbers}): quote the one that states it (claim/claims)",
            record=record_id,
            field=yaml_key(table, field),
        )
    unlinked = connection.execute(
        """select r.source_file, r.source_line, r.record_table, r.record_id, r.field, r.value
        from _claim_references r
        group by r.value_key
        having max(r.rowid in (select ref from temp.ref_sentences)) = 0"""
    )
    for source_file, line, table, record_id, field, value in unlinked:
        problems.add(
            f"{data_dir.name}/{source_file}",
            line,
            f"no sentence of the record names {shown(field, value)}: quote the words that "
            "refer to it (claim/claims), or waive it with a reason",
            record=record_id,
            field=yaml_key(table, field),
        )


def _pending_from_claims(connection, targets: set[tuple[str, str]]) -> None:
    """The build's claims of references to the given actors and places, back to pending (a
    claim holds all a pending reference does), so that they are linked anew. A reference of an
    article's record has one claim per article; those of registry records, which may have none
    in some article, are in the registry's files, which are then read again anyway."""
    columns = [column.name for column in CLAIM_REFERENCES.columns]
    claims = (
        "from claims where linked_by = 'build' and value_table = ? and value = ? "
        "and source_file not in (select path from temp.stale_files)"
    )
    for target in sorted(targets):
        connection.execute(
            f"""insert into temp.[_claim_references] ({", ".join(columns)})
            select substr(id, 1, length(id) - length(sentence_id) - 2) || '--' || article_id,
              substr(id, 1, length(id) - length(sentence_id) - 2), record_table, record_id,
              field, value, value_table, article_id, asserted_by_id, assertion, note,
              source_file, source_line
            {claims}""",
            target,
        )
        connection.execute(f"delete {claims}", target)
