"""The README's generated sections: example queries with their real output, and the schema.

`make docs` rewrites the marked sections of README.md from article.db and the declarations;
a test fails when the README shows output the database no longer gives.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from .tables import ALL_TABLES

EXAMPLES = (
    (
        "Which sentence says Danebaev is 38?",
        """select c.value as age, c.quote, s.number as sentence_number, s.text as sentence,
  coalesce(a.name, 'the article') as asserted_by, c.linked_by
from claims c join sentences s on s.id = c.sentence_id
left join actors a on a.id = c.asserted_by_id
where c.record_table = 'actors' and c.record_id = 'timur-danebaev' and c.field = 'age'""",
    ),
    (
        "Who says the video was shot on August 24?",
        """select e.title, e.date, c.quote, coalesce(a.name, 'the article') as date_asserted_by,
  c.assertion, s.text as sentence
from claims c join events e on e.id = c.record_id
join sentences s on s.id = c.sentence_id
left join actors a on a.id = c.asserted_by_id
where c.record_table = 'events' and c.field = 'date' and e.date like '2023-08-24%'
order by e.id""",
    ),
    (
        "Who denies, contradicts or challenges what?",
        """select d.relation, d.by_table || '/' || d.by_id as disputed_by,
  d.record_table || '/' || d.record_id as disputed, d.note
from disputes d order by d.relation, d.id""",
    ),
    (
        "Who called the video a demonstration of power, where, and in which sentence?",
        """select a.name as speaker, s.channel, s.date, s.text, sen.text as sentence
from statements s join actors a on a.id = s.actor_id
join evidence ev on ev.statement_id = s.id
join sentences sen on sen.id = ev.sentence_id
where s.text like '%DEMONSTRATION%'""",
    ),
    (
        "What was Timur Danebaev charged with, and what was he sentenced to?",
        """select 'charge' as item, charge as detail, outcome, null as date
from charges where defendant_id = 'timur-danebaev'
union all
select 'penalty', title, assertion, date
from penalties where actor_id = 'timur-danebaev'""",
    ),
    (
        "Which numbers does the article cite, and whose numbers are they?",
        """select f.title, f.what, coalesce(a.name, 'the article') as asserted_by, f.assertion
from figures f left join actors a on a.id = f.asserted_by_id
where f.assertion != 'reported' or f.asserted_by_id is not null
order by f.assertion, f.id""",
    ),
)


def markdown_table(cursor: sqlite3.Cursor) -> str:
    columns = [description[0] for description in cursor.description]

    def cell(value) -> str:
        return "" if value is None else str(value).replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(columns) + " |", "|" + "|".join("---" for _ in columns) + "|"]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in cursor.fetchall()]
    return "\n".join(lines)


def examples_markdown(db_path: Path) -> str:
    connection = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        parts = []
        for question, sql in EXAMPLES:
            table = markdown_table(connection.execute(sql))
            parts.append(f"**{question}**\n\n```sql\n{sql}\n```\n\n{table}\n")
        return "\n".join(parts)
    finally:
        connection.close()


def schema_markdown() -> str:
    parts = []
    for table in ALL_TABLES:
        rows = ["| column | type | meaning |", "|---|---|---|"]
        for column in table.columns:
            kind = column.type.__name__
            if column.references:
                kind += f" → {column.references}"
            if column.name in table.pk:
                kind += ", key"
            rows.append(f"| `{column.name}` | {kind} | {column.description} |")
        search = f" Full-text search on {', '.join(table.fts)}." if table.fts else ""
        parts.append(f"### `{table.name}`\n\n{table.doc}{search}\n\n" + "\n".join(rows) + "\n")
    return "\n".join(parts)


def replace_section(text: str, name: str, body: str) -> str:
    pattern = re.compile(rf"(<!-- {name}:start -->\n).*?(<!-- {name}:end -->)", flags=re.DOTALL)
    if not pattern.search(text):
        raise ValueError(f"README has no {name} section markers")
    return pattern.sub(lambda match: match.group(1) + body + match.group(2), text)


def render_readme(text: str, db_path: Path) -> str:
    text = replace_section(text, "examples", examples_markdown(db_path))
    return replace_section(text, "schema", schema_markdown())
