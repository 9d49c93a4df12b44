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
from .tables import ALL_TABLES


@dataclass
class Scope:
    files: set[str] | None = None  # None: every row
    gone: dict[str, set[str]] = field(default_factory=dict)  # table -> ids removed for good
    articles: set[str] | None = None  # None: every article


def _scope_tables(connection: sqlite3.Connection, scope: Scope) -> None:
    connection.execute("create temp table if not exists scope_files (path text primary key)")
    connection.execute("create temp table if not exists scope_gone (tbl text, id text)")
    connection.execute("create temp table if not exists scope_articles (id text primary key)")
    for name in ("scope_files", "scope_gone", "scope_articles"):
        connection.execute(f"delete from temp.{name}")
    connection.executemany("insert into temp.scope_files values (?)", ((p,) for p in scope.files))
    connection.executemany(
        "insert into temp.scope_gone values (?, ?)",
        ((table, id_) for table, ids in scope.gone.items() for id_ in ids),
    )
    connection.executemany(
        "insert into temp.scope_articles values (?)", ((a,) for a in scope.articles or ())
    )


def check(connection: sqlite3.Connection, scope: Scope, data_dir: Path, problems: Problems):
    """References always; coverage only when every quote was found (a quote that failed
    would otherwise show up again as an uncited sentence)."""
    if scope.files is not None:
        _scope_tables(connection, scope)
    quotes_ok = not problems.items
    check_references(connection, scope, data_dir, problems)
    if quotes_ok:
        check_coverage(connection, scope, data_dir, problems)


def check_references(connection, scope: Scope, data_dir: Path, problems: Problems) -> None:
    for table in ALL_TABLES:
        if not table.tracked:
            continue
        record = table.record or table.pk[:1]
        record_sql = f"coalesce({', '.join(f't.[{name}]' for name in record)}, '')"
        for column in table.columns:
            if not column.references:
                continue
            select = (
                f"select t.source_file, t.source_line, {record_sql}, t.[{column.name}] "
                f"from [{table.name}] t left join [{column.references}] r "
                f"on r.id = t.[{column.name}] where t.[{column.name}] is not null and r.id is null"
            )
            if scope.files is None:
                rows = connection.execute(select)
            else:
                # Two indexed lookups, not one OR that would scan the whole table: the rows of
                # the files read again, and the rows elsewhere pointing at ids now gone.
                rows = connection.execute(
                    f"{select} and t.source_file in (select path from temp.scope_files) "
                    f"union {select} and t.[{column.name}] in "
                    f"(select id from temp.scope_gone where tbl = ?)",
                    (column.references,),
                )
            for source_file, line, record_id, value in rows:
                key = column.yaml_key or column.name
                problems.add(
                    f"{data_dir.name}/{source_file}",
                    _key_line(data_dir / source_file, line, key, value),
                    f"unknown {column.references} id {value!r}",
                    record=record_id or None,
                    field=column.yaml_key or column.name,
                )


def check_coverage(connection, scope: Scope, data_dir: Path, problems: Problems) -> None:
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
    rows = connection.execute(
        f"""select s.source_file, s.source_line, s.article_id, s.number, s.text,
              s.uncited_reason is not null as waived, {cited} as cited
            from sentences s {where}"""
    )
    for source_file, line, article_id, number, text, waived, cited in rows:
        if waived and cited:
            # Reported at the waiver, which is what to remove.
            waivers = data_dir / "articles" / article_id / "article.yml"
            problems.add(
                f"{data_dir.name}/articles/{article_id}/article.yml",
                _waiver_line(waivers, text),
                f"sentence {number} is cited by a record; remove its waiver",
                record=article_id,
                field="uncited",
            )
            continue
        if not waived and not cited:
            message = (
                f"sentence {number} is neither cited by a record nor waived under 'uncited' "
                f"in article.yml: {text!r}"
            )
        else:
            continue
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


def _key_line(path: Path, record_line: int, key: str, value) -> int:
    data = read_yaml(path, str(path), Problems()).data
    for mapping in _mappings(data):
        if (
            isinstance(mapping, Located)
            and mapping.line >= record_line
            and mapping.get(key) == value
        ):
            return mapping.key_lines.get(key, record_line)
    return record_line


def _waiver_line(path: Path, sentence: str) -> int:
    data = read_yaml(path, str(path), Problems()).data or {}
    for waiver in data.get("uncited") or []:
        if isinstance(waiver, Located) and waiver.get("quote", "\0") in sentence:
            return waiver.line
    return 0
