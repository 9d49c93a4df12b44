"""Record pages that show their evidence: extra context for the row page of a curated table.

Below Datasette's own table of the row (templates/row.html): the record's sentences with its
quotes marked, its values claim by claim with who asserts each, its disputes both ways, and
"Cite this". Every text shown is the database's; the template escapes it.
"""

from __future__ import annotations

from datasette.utils import urlsafe_components

from . import citing
from .cells import record_label
from .embedded import record_linking
from .pages import read_url, row_url

# As the `provenance` canned query names who asserts a value that no actor asserts.
THE_ARTICLE = "the article"
THE_CURATORS = "the curators, reading the article"


async def row_context(datasette, database, table, request):
    """{"record_page": ..., "citation": ...} for a curated record's row page; else {}."""
    keys = urlsafe_components(request.url_vars.get("pks") or "")
    if len(keys) != 1:
        return {}
    record_id = keys[0]
    records = record_linking(datasette, database).get("records")
    if not records:
        return {}  # a database the build did not make: its pages are Datasette's own
    if table in READ_ANCHORS:
        return await read_link(datasette, database, table, record_id)
    if table not in records:
        return {}
    db = datasette.get_database(database)
    sentences = await citing.supporting_sentences(db, table, record_id)
    citation = await citing.citation(datasette, database, table, record_id, request, sentences)
    if citation is None:  # no such record: Datasette answers 404 before rendering
        return {}
    links = Links(datasette, database)
    return {
        "record_page": {
            "sentence_count": len(sentences),
            "articles": by_article(links, sentences),
            "claims": await claims(datasette, database, links, table, record_id),
            **await disputes(datasette, database, links, table, record_id),
        },
        "citation": citation,
    }


# Rows that are places in the article, with the SQL giving (article_id, anchor) of their place
# in the annotated article: #p<n> a paragraph, #s<n> a sentence, #q-<start>-<end> a quote.
READ_ANCHORS = {
    "articles": (
        "select id, null from articles where id = ?",
        "Read the article with its records on it",
    ),
    "paragraphs": (
        "select article_id, 'p' || number from paragraphs where id = ?",
        "This paragraph in the annotated article, with its records",
    ),
    "sentences": (
        "select article_id, 's' || number from sentences where id = ?",
        "This sentence in the annotated article, with its records",
    ),
    "evidence": (
        "select article_id, 'q-' || char_start || '-' || char_end from evidence where id = ?",
        "This quote in the annotated article, with every record it backs",
    ),
    "claims": (
        "select c.article_id, 's' || s.number from claims c join sentences s "
        "on s.id = c.sentence_id where c.id = ?",
        "The sentence that states this value, in the annotated article",
    ),
}


async def read_link(datasette, database, table, record_id):
    """A row that is a place in the article links to that place in the annotated article."""
    sql, label = READ_ANCHORS[table]
    row = (await datasette.get_database(database).execute(sql, [record_id])).first()
    if row is None or row[0] is None:
        return {}
    return {"read_link": {"url": read_url(datasette, row[0], row[1]), "label": label}}


class Links:
    """The addresses a record page links to."""

    def __init__(self, datasette, database: str):
        self.datasette, self.database = datasette, database

    def row(self, table: str, record_id: str) -> str:
        return row_url(self.datasette, self.database, table, record_id)

    def read(self, article_id: str, anchor: str | None = None) -> str:
        return read_url(self.datasette, article_id, anchor)


def marked(sentence_text: str, sentence_start: int, spans) -> tuple[list[dict], set]:
    """The sentence in parts, [{"text", "href"}], each quote's words with the href of its
    span: spans are (char_start, char_end, quote, href), offsets in articles.text. A quote
    is marked only where the sentence holds exactly its words there; an overlapping one is
    marked from where the one before it ends. Also gives the spans that were marked."""
    parts, shown, cursor = [], set(), 0
    for start, end, quote, href in sorted(spans, key=lambda span: span[:2]):
        begin, stop = start - sentence_start, end - sentence_start
        if begin < 0 or stop > len(sentence_text) or sentence_text[begin:stop] != quote:
            continue
        begin = max(begin, cursor)
        if stop <= begin:
            continue
        if begin > cursor:
            parts.append({"text": sentence_text[cursor:begin], "href": None})
        parts.append({"text": sentence_text[begin:stop], "href": href})
        shown.add((start, end))
        cursor = stop
    if cursor < len(sentence_text):
        parts.append({"text": sentence_text[cursor:], "href": None})
    return parts, shown


def by_article(links: Links, sentences: list[dict]) -> list[dict]:
    articles: dict[str, dict] = {}
    for sentence in sentences:
        article_id = sentence["article_id"]
        article = articles.setdefault(
            article_id,
            {
                "id": article_id,
                "title": sentence["article_title"] or article_id,
                "read_url": links.read(article_id),
                "sentences": [],
            },
        )
        spans = [
            (start, end, quote, links.read(article_id, f"q-{start}-{end}"))
            for start, end, quote in sentence["quotes"]
        ]
        parts, shown = marked(sentence["text"], sentence["char_start"], spans)
        article["sentences"].append(
            {
                "number": sentence["number"],
                "url": links.row("sentences", sentence["id"]),
                "read_url": links.read(article_id, f"s{sentence['number']}"),
                "parts": parts,
                # Quotes the sentence could not show in place (none, if the build's checks hold).
                "unplaced": [
                    quote for start, end, quote in sentence["quotes"] if (start, end) not in shown
                ],
            }
        )
    return list(articles.values())


async def claims(datasette, database: str, links: Links, table: str, record_id: str) -> list:
    rows = await datasette.get_database(database).execute(
        """select c.id, c.field, c.value, c.value_table, c.quote, c.char_start, c.char_end,
          c.asserted_by_id, c.assertion, c.linked_by, c.note,
          s.id as sentence_id, s.number, s.text as sentence_text,
          s.char_start as sentence_start, s.article_id
        from claims c left join sentences s on s.id = c.sentence_id
        where c.record_table = :table and c.record_id = :id
        order by c.field, s.article_id, s.number, c.id""",
        {"table": table, "id": record_id},
    )
    found = []
    for row in rows:
        claim = dict(zip(row.keys(), row, strict=True))
        claim["url"] = links.row("claims", claim["id"])
        if claim["value_table"] and claim["value"] is not None:
            claim["value_url"] = links.row(claim["value_table"], claim["value"])
            claim["value_label"] = record_label(
                datasette, database, claim["value_table"], str(claim["value"])
            )
        claim["asserted_by"], claim["asserted_by_url"] = asserted_by(
            datasette, database, links, claim
        )
        claim["sentence"] = None
        if claim["sentence_id"]:
            anchor = links.read(claim["article_id"], f"s{claim['number']}")
            spans = []
            if claim["quote"] and claim["char_start"] is not None:
                spans = [(claim["char_start"], claim["char_end"], claim["quote"], anchor)]
            parts, shown = marked(claim["sentence_text"], claim["sentence_start"], spans)
            claim["sentence"] = {
                "number": claim["number"],
                "url": links.row("sentences", claim["sentence_id"]),
                "read_url": anchor,
                "parts": parts,
                "unplaced": [claim["quote"]] if spans and not shown else [],
            }
        found.append(claim)
    return found


def asserted_by(datasette, database: str, links: Links, claim: dict):
    """(who asserts the value, the link to them or None). A waived value is stated by no
    sentence, so by nobody in the article: None, and its note says why."""
    if claim["asserted_by_id"]:
        actor = str(claim["asserted_by_id"])
        label = record_label(datasette, database, "actors", actor)
        return label or actor, links.row("actors", actor)
    if claim["linked_by"] == "waived" and not claim["sentence_id"]:
        return None, None
    return (THE_CURATORS if claim["assertion"] == "inference" else THE_ARTICLE), None


async def disputes(datasette, database: str, links: Links, table: str, record_id: str) -> dict:
    """{"disputed_by": [...], "disputing": [...]}: disputes where another record sets itself
    against this one, and where this one sets itself against another."""
    rows = await datasette.get_database(database).execute(
        """select id, record_table, record_id, by_table, by_id, relation, note from disputes
        where (record_table = :table and record_id = :id) or (by_table = :table and by_id = :id)
        order by id""",
        {"table": table, "id": record_id},
    )
    found: dict[str, list] = {"disputed_by": [], "disputing": []}
    for row in rows:
        mine = (row["record_table"], row["record_id"]) == (table, record_id)
        other_table, other_id = (
            (row["by_table"], row["by_id"]) if mine else (row["record_table"], row["record_id"])
        )
        found["disputed_by" if mine else "disputing"].append(
            {
                "id": row["id"],
                "url": links.row("disputes", row["id"]),
                "relation": row["relation"],
                "note": row["note"],
                "other_table": other_table,
                "other_id": other_id,
                "other_url": links.row(other_table, other_id),
                "other_label": record_label(datasette, database, str(other_table), str(other_id)),
            }
        )
    return found
