"""The state of one build: rows per table, ids seen, references to check, sentences cited."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from .dates import date_fields
from .load import SourceFile
from .problems import Problems
from .schema import TABLES, Table
from .tables_evidence import EVIDENCE_OWNER
from .text import ArticleText


@dataclass
class Reference:
    table: str
    value: str
    source: SourceFile
    node: dict
    field: str


@dataclass
class Context:
    problems: Problems = field(default_factory=Problems)
    articles: dict[str, ArticleText] = field(default_factory=dict)
    rows: dict[str, list[dict]] = field(default_factory=lambda: defaultdict(list))
    origins: dict[tuple[str, str], str] = field(default_factory=dict)
    references: list[Reference] = field(default_factory=list)
    cited: set[str] = field(default_factory=set)
    duplicates: set[tuple[str, str]] = field(default_factory=set)

    def add_record(self, table_name: str, source: SourceFile, record: dict, **computed) -> dict:
        """One row from a curated record: its input columns, dates and the computed values."""
        table = TABLES[table_name]
        row = {}
        for column in table.columns:
            key = column.yaml_key
            if key is None:
                row[column.name] = computed.get(column.name)
            elif column.references and record.get(key) is not None:
                row[column.name] = record[key]
                self.refer(column.references, record[key], source, record, key)
            else:
                row[column.name] = record.get(key)
        if "date_start" in row:
            self._add_dates(table, row, source, record)
        self.add_row(table_name, row, source, record)
        return row

    def _add_dates(self, table: Table, row: dict, source: SourceFile, record: dict) -> None:
        values, problems = date_fields(record)
        for name, message in problems:
            self.problems.at(source, record, message, field=name)
        main = next(c.name for c in table.columns if c.field == "date")
        row[main] = values.pop("date")
        row.update(values)

    def add_row(self, table_name: str, row: dict, source: SourceFile, node) -> None:
        table = TABLES[table_name]
        key = tuple(row[name] for name in table.pk)
        origin = f"{source.display}:{getattr(node, 'line', 0)}"
        earlier = self.origins.get((table_name, key))
        if earlier is not None:
            single = len(key) == 1
            if not self._of_duplicate(table, row):
                self.problems.at(
                    source,
                    node,
                    f"duplicate {'id' if single else 'row'} {'/'.join(map(str, key))!r} in "
                    f"{table_name}; first defined at {earlier}",
                    field="id" if single else None,
                )
            if single:
                self.duplicates.add((table_name, key[0]))
            return
        self.origins[(table_name, key)] = origin
        self.rows[table_name].append(row)

    def _of_duplicate(self, table: Table, row: dict) -> bool:
        """A row that belongs to a record whose duplicate id is already reported (its names,
        evidence, actors): the same mistake again, not another one."""
        return any(
            (column.references, row.get(column.name)) in self.duplicates
            for column in table.columns
            if column.field is None and column.references
        )

    def refer(self, table: str, value: str, source: SourceFile, node: dict, key: str) -> None:
        self.references.append(Reference(table, value, source, node, key))

    def check_references(self) -> None:
        for ref in self.references:
            if (ref.table, (ref.value,)) not in self.origins:
                self.problems.at(
                    ref.source, ref.node, f"unknown {ref.table} id {ref.value!r}", field=ref.field
                )

    def cite(self, owner_table, owner_id, quotes, article_id, source, node) -> None:
        """Evidence rows for a record: each quote located in its article's sentences."""
        article = self.articles.get(article_id)
        if article is None:
            line = getattr(quotes, "line", None)
            self.problems.at(
                source, node, f"unknown article {article_id!r}", field="evidence", line=line
            )
            return
        owner_column = EVIDENCE_OWNER[owner_table]
        lines = getattr(quotes, "item_lines", [])
        for number, quote in enumerate(quotes, 1):
            found = article.locate(quote)
            if isinstance(found, str):
                line = lines[number - 1] if number <= len(lines) else None
                self.problems.at(source, node, found, field="evidence", line=line)
                continue
            sentence, start = found
            self.cited.add(sentence.id)
            row = {name: None for name in EVIDENCE_OWNER.values()}
            row.update(
                id=f"{owner_column.removesuffix('_id')}-{owner_id}-{article_id}-{number}",
                article_id=article_id,
                sentence_id=sentence.id,
                quote=quote,
                char_start=start,
                char_end=start + len(quote),
            )
            row[owner_column] = owner_id
            self.add_row("evidence", row, source, node)
