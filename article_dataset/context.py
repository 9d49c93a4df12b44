"""The rows one input file gives, with the problems found in it alone.

Duplicate ids (within a file or across files) are found when the rows are inserted
(database.insert_rows); references and coverage are checked in SQL (checks.py)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cache

from .dates import date_fields
from .load import SourceFile
from .problems import Problems
from .schema import TABLES, Table
from .tables.claims import Linker, Value, words_for
from .tables.evidence import EVIDENCE_OWNER
from .text import ArticleText


@cache
def _inputs(table_name: str) -> list[tuple[str, str]]:
    """(column, YAML key) of the columns a curator writes."""
    return [(column.name, column.yaml_key) for column in TABLES[table_name].input_columns]


@cache
def _claimed(table_name: str) -> list:
    return [column for column in TABLES[table_name].columns if column.claim]


@dataclass
class Context:
    # The text of an article by id: KeyError if there is no such article, None if its text
    # cannot be read (reported once, by the article's own file).
    article_text: Callable[[str], ArticleText | None]
    problems: Problems = field(default_factory=Problems)
    rows: dict[str, list[dict]] = field(default_factory=lambda: defaultdict(list))
    values: list[Value] = field(default_factory=list)  # waiting for their sentences (finish)
    # Records with a quote that could not be used: their values are not linked, so that the
    # quote's problem is not reported again as unstated values.
    unquoted: set[tuple[str, str]] = field(default_factory=set)
    # Articles cited but not found: the index of the problem that says so, and how many
    # records of the unit cite it (reported once, with the count).
    unknown_articles: dict[str, list[int]] = field(default_factory=dict)
    _counts: dict = field(default_factory=lambda: defaultdict(int))

    def add_record(
        self, table_name: str, source: SourceFile, record: dict, claimed=True, **computed
    ) -> dict:
        """One row from a curated record: its input columns, dates and the computed values;
        its values (unless claimed is false: the same value kept twice) wait for their
        sentences until the unit is complete."""
        table = TABLES[table_name]
        row = {name: record.get(key) for name, key in _inputs(table_name)}
        row.update(computed)
        if table.dated:
            self._add_dates(table, row, source, record)
        self.add_row(table_name, row, source, record)
        if claimed and _claimed(table_name):
            self._add_values(table, source, record, row)
        return row

    def _add_values(self, table: Table, source: SourceFile, record: dict, row: dict) -> None:
        lines = getattr(record, "key_lines", {})
        if table.part_of:  # an item of a record's list: the value belongs to the record
            id_column, key, qualifier = table.part_of
            owner = TABLES[table.column(id_column).references]
            record_id, holder = row[id_column], getattr(record, "owner", None) or record
            field_name = f"{key}.{row[qualifier]}" if qualifier else key
            line = getattr(record, "line", 0)
            wanted = [
                (column, field_name, key, record.get("claim"), line, lines.get("claim"))
                for column in _claimed(table.name)
            ]
        else:
            owner, record_id, holder = table, row["id"], record
            specs = record.get("claims") or {}
            spec_lines = getattr(specs, "key_lines", {})
            wanted = [
                (
                    c,
                    c.name,
                    c.yaml_key,
                    specs.get(c.yaml_key),
                    lines.get(c.yaml_key),
                    spec_lines.get(c.yaml_key),
                )
                for c in _claimed(table.name)
            ]
        for column, field_name, key, spec, line, spec_line in wanted:
            line = line or getattr(record, "line", 0)
            spec_line = spec_line or line
            value = row[column.name]
            if value is None or (column.stated_as is not None and not words_for(column, value)):
                if spec is not None:
                    message = f"claims: {key!r} has no value for a sentence to state"
                    self.problems.at(source, record, message, key, line=spec_line)
                continue
            number = self._counts[(owner.name, record_id, field_name)] = (
                self._counts[(owner.name, record_id, field_name)] + 1
            )
            self.values.append(
                Value(
                    owner,
                    record_id,
                    field_name,
                    key,
                    value,
                    column,
                    holder,
                    record,
                    spec,
                    line,
                    spec_line,
                    number,
                    source,
                )
            )

    def finish(self) -> Counter:
        """Link every value of the unit to the sentence that states it (or defer it); returns
        how many values were linked how (automatic, curated, waived)."""
        for article_id, (index, count) in self.unknown_articles.items():
            if count > 1:
                first = self.problems.items[index]
                message = (
                    f"unknown article {article_id!r} (there is no folder articles/{article_id}): "
                    f"{count} records of this file cite it; the first is here"
                )
                self.problems.items[index] = replace(first, message=message)
        linker, linked = Linker(self), Counter()
        for value in self.values:
            if (value.table.name, value.record_id) not in self.unquoted:
                linked[linker.link(value)] += 1
        self.values.clear()
        linked.pop(None, None)
        return linked

    def _add_dates(self, table: Table, row: dict, source: SourceFile, record: dict) -> None:
        values, problems = date_fields(record)
        for name, message in problems:
            self.problems.at(source, record, message, field=name)
        main = next(c.name for c in table.columns if c.field == "date")
        row[main] = values.pop("date")
        row.update(values)

    def add_row(self, table_name: str, row: dict, source: SourceFile, node, line=None) -> None:
        table = TABLES[table_name]
        if table.tracked:
            row["source_file"] = source.relative
            row["source_line"] = line or getattr(node, "line", 0)
        self.rows[table_name].append(row)

    def cite(self, owner_table, owner_id, quotes, article_id, source, node) -> None:
        """Evidence rows for a record: each quote located in its article's sentences."""
        try:
            article = self.article_text(article_id)
        except KeyError:
            self.unquoted.add((owner_table, owner_id))
            if article_id in self.unknown_articles:  # one misnamed folder, one problem
                self.unknown_articles[article_id][1] += 1
                return
            line = getattr(quotes, "line", None)
            self.problems.at(
                source, node, f"unknown article {article_id!r}", field="evidence", line=line
            )
            self.unknown_articles[article_id] = [len(self.problems.items) - 1, 1]
            return
        if article is None:
            self.unquoted.add((owner_table, owner_id))
            return
        owner_column = EVIDENCE_OWNER[owner_table]
        lines = getattr(quotes, "item_lines", [])
        for number, quote in enumerate(quotes, 1):
            found = article.locate(quote)
            if isinstance(found, str):
                line = lines[number - 1] if number <= len(lines) else None
                self.problems.at(source, node, found, field="evidence", line=line)
                self.unquoted.add((owner_table, owner_id))
                continue
            sentence, start = found
            row = {name: None for name in EVIDENCE_OWNER.values()}
            row.update(
                id=f"{owner_column.removesuffix('_id')}--{owner_id}--{article_id}--{number}",
                record_table=owner_table,
                record_id=owner_id,
                article_id=article_id,
                sentence_id=sentence.id,
                quote=quote,
                char_start=start,
                char_end=start + len(quote),
            )
            row[owner_column] = owner_id
            self.add_row("evidence", row, source, node, line=lines[number - 1] if lines else None)
