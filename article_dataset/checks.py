"""Checks that span files, run in SQL on the database being written.

A full build checks every row; an incremental build only the rows of the files it re-read,
the rows that point at ids it removed, and the sentences of the articles it touched.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from .load import Located, read_yaml
from .problems import Problems
from .tables import ALL_TABLES, BUILD_TABLES
from .tables.claim_references import link_references


@dataclass
class Scope:
    staged: bool = False  # only the rows of the files in temp.stale_files; else every row
    gone: dict[str, set[str]] = field(default_factory=dict)  # table -> ids removed for good
    articles: set[str] | None = None  # None: every article
    # (table, id) of actors and places whose names or evidence changed: their references are
    # linked again wherever they are.
    relink: set[tuple[str, str]] = field(default_factory=set)


def _scope_tables(connection: sqlite3.Connection, scope: Scope) -> None:
    connection.execute("create temp table if not exists scope_gone (tbl text, id text)")
    connection.execute("create temp table if not exists scope_articles (id text primary key)")
    for name in ("scope_gone", "scope_articles"):
        connection.execute(f"delete from temp.{name}")
    connection.executemany(
        "insert into temp.scope_gone values (?, ?)",
        ((table, id_) for table, ids in scope.gone.items() for id_ in ids),
    )
    connection.executemany(
        "insert into temp.scope_articles values (?)", ((a,) for a in scope.articles or ())
    )


def check(connection: sqlite3.Connection, scope: Scope, data_dir: Path, problems: Problems):
    """References always; the claims of references only when every id is known, and coverage
    only when every quote was found (a failed quote or unknown id would otherwise show up again
    as an uncited sentence or an unstated value)."""
    if scope.staged:
        _scope_tables(connection, scope)
    quotes_ok = not problems.items
    reread = _Reread()
    check_references(connection, scope, data_dir, problems, reread)
    check_record_references(connection, scope, data_dir, problems, reread)
    check_cycles(connection, scope, data_dir, problems, reread)
    if not problems.items:  # an unknown id would come back as an unstated reference
        link_references(connection, scope, data_dir, problems)
    if quotes_ok:
        check_coverage(connection, scope, data_dir, problems, reread)


def check_references(connection, scope, data_dir: Path, problems: Problems, reread) -> None:
    for table in ALL_TABLES + BUILD_TABLES:
        if not table.tracked:
            continue
        record = table.record_columns
        record_sql = f"coalesce({', '.join(f't.[{name}]' for name in record)}, '')"
        for column in table.columns:
            if not column.references:
                continue
            select = (
                f"select t.source_file, t.source_line, {record_sql}, t.[{column.name}] "
                f"from [{table.name}] t left join [{column.references}] r "
                f"on r.id = t.[{column.name}] where t.[{column.name}] is not null and r.id is null"
            )
            if not scope.staged:
                rows = connection.execute(select)
            else:
                # Two indexed lookups, not one OR that would scan the whole table: the rows of
                # the files read again, and the rows elsewhere pointing at ids now gone.
                rows = connection.execute(
                    f"{select} and t.source_file in (select path from temp.stale_files) "
                    f"union {select} and t.[{column.name}] in "
                    f"(select id from temp.scope_gone where tbl = ?)",
                    (column.references,),
                )
            for source_file, line, record_id, value in rows:
                message = f"unknown {column.references} id {value!r}"
                key = column.yaml_key or column.name
                reread.report(problems, data_dir, source_file, line, key, value, message, record_id)


def check_record_references(connection, scope, data_dir: Path, problems, reread) -> None:
    """Records named by kind and id (a dispute's two sides) must exist in that table."""
    from .tables.evidence import RECORD_TABLES

    for table in ALL_TABLES:
        for kind_column, id_column, key in table.record_refs:
            for target in RECORD_TABLES:
                select = (
                    f"select t.source_file, t.source_line, t.id, t.[{id_column}] "
                    f"from [{table.name}] t where t.[{kind_column}] = '{target}' and not exists "
                    f"(select 1 from [{target}] r where r.id = t.[{id_column}])"
                )
                if scope.staged:
                    rows = connection.execute(
                        f"{select} and t.source_file in (select path from temp.stale_files) "
                        f"union {select} and t.[{id_column}] in "
                        f"(select id from temp.scope_gone where tbl = ?)",
                        (target,),
                    )
                else:
                    rows = connection.execute(select)
                for source_file, line, record_id, value in rows:
                    named = f"{target}/{value}"
                    message = f"unknown record {named!r}: there is no {target} id {value!r}"
                    reread.report(
                        problems, data_dir, source_file, line, key, named, message, record_id
                    )


# Longer chains than this are taken for circles too: no real hierarchy is so deep.
MAX_CHAIN = 64


def check_cycles(connection, scope, data_dir: Path, problems: Problems, reread) -> None:
    """No place inside itself, no event part of itself, directly or round a circle. Walked
    from the rows of the files read again (every row, in a full build)."""
    for table in ALL_TABLES:
        for source, target, condition in table.acyclic:
            which = f"t.[{target}] is not null" + (f" and t.{condition}" if condition else "")
            start = which + (
                " and t.source_file in (select path from temp.stale_files)" if scope.staged else ""
            )
            key = table.column(target).yaml_key or target
            found = connection.execute(
                f"""with recursive walk(first, node, path, depth, file, line) as (
                      select t.[{source}], t.[{target}], t.[{source}] || ' > ' || t.[{target}],
                        1, t.source_file, t.source_line
                      from [{table.name}] t where {start}
                      union all
                      select walk.first, t.[{target}], walk.path || ' > ' || t.[{target}],
                        walk.depth + 1, walk.file, walk.line
                      from walk join [{table.name}] t on t.[{source}] = walk.node
                      where {which} and walk.node != walk.first and walk.depth < {MAX_CHAIN}
                        -- a row that leads into a circle it is not on stops where it meets it
                        and (t.[{target}] = walk.first or instr(' > ' || walk.path || ' > ',
                          ' > ' || t.[{target}] || ' > ') = 0))
                    select first, min(path), file, line from walk
                    where node = first or depth = {MAX_CHAIN} group by first"""
            )
            circles: set[frozenset] = set()
            for first, path, source_file, line in found:
                circle = frozenset(path.split(" > "))
                if circle in circles:
                    continue  # the same circle, walked from another of its rows
                circles.add(circle)
                value, message = path.split(" > ")[1], f"goes round in a circle: {path}"
                reread.report(problems, data_dir, source_file, line, key, value, message, first)


def check_coverage(connection, scope, data_dir: Path, problems: Problems, reread) -> None:
    """Every sentence cited by a record or waived, never both."""
    where = (
        ""
        if scope.articles is None
        else ("where s.article_id in (select id from temp.scope_articles)")
    )
    # A full build checks before its indexes exist: IN (subquery) is evaluated once into a
    # temporary index. An incremental build checks a few articles through the index.
    cited = (
        "s.id in (select sentence_id from evidence)"
        if scope.articles is None
        else "exists (select 1 from evidence e where e.sentence_id = s.id)"
    )
    # Only the wrong ones come back: cited and waived both, or neither.
    rows = connection.execute(
        f"""select * from (
              select s.source_file, s.source_line, s.article_id, s.number, s.text,
                s.uncited_reason is not null as waived, {cited} as cited
              from sentences s {where})
            where waived = cited"""
    )
    for source_file, line, article_id, number, text, waived, _ in rows:
        if waived:
            # Reported at the waiver, which is what to remove.
            waivers = data_dir / "articles" / article_id / "article.yml"
            problems.add(
                f"{data_dir.name}/articles/{article_id}/article.yml",
                reread.waiver_line(waivers, text),
                f"sentence {number} is cited by a record; remove its waiver",
                record=article_id,
                field="uncited",
            )
            continue
        message = (
            f"sentence {number} is neither cited by a record nor waived under 'uncited' "
            f"in article.yml: {text!r}"
        )
        problems.add(
            f"{data_dir.name}/{source_file}", line, message, record=article_id, field="uncited"
        )


# Rows keep the line of their record; on the error path only, the file is read again to
# point at the very key.
def _mappings(node):
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _mappings(value)
    elif isinstance(node, list):
        for item in node:
            yield from _mappings(item)


class _Reread:
    """The YAML files read again to name the very line of a problem, each parsed once per
    check however many problems it holds."""

    def __init__(self) -> None:
        self._parsed: dict[Path, object] = {}

    def _data(self, path: Path):
        if path not in self._parsed:
            self._parsed[path] = read_yaml(path, str(path), Problems(), exact=True).data
        return self._parsed[path]

    def report(self, problems, data_dir: Path, source_file, line, key, value, message, record):
        """A problem at the line of `key: value` in the record starting on `line`."""
        at = self.key_line(data_dir / source_file, line, key, value)
        problems.add(
            f"{data_dir.name}/{source_file}", at, message, record=record or None, field=key
        )

    def key_line(self, path: Path, record_line: int, key: str, value) -> int:
        for mapping in _mappings(self._data(path)):
            if (
                isinstance(mapping, Located)
                and mapping.line >= record_line
                and mapping.get(key) == value
            ):
                return mapping.key_lines.get(key, record_line)
        return record_line

    def waiver_line(self, path: Path, sentence: str) -> int:
        for waiver in (self._data(path) or {}).get("uncited") or []:
            if isinstance(waiver, Located) and waiver.get("quote", "\0") in sentence:
                return waiver.line
        return 0
