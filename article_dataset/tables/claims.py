"""Claims: one row per curated value, with the sentence that states it and who asserts it.

The values are the columns declared with a claim kind (schema.Column.claim): dates, numbers,
names, places and participants, charges and outcomes, channels. A value is linked to the
sentence that states it:

- by the build, where exactly one of its record's evidence sentences states it (a text found
  verbatim is linked in every such sentence);
- by the curator, who quotes the words that state it (`claims:` in a record, `claim:` in an
  item of a list); a quote for a number, date, text or term must state it;
- or waived with a reason (a name from outside the article is waived by its note).

References to people and places are linked once every file is in (claim_references.py).
"""

from __future__ import annotations

from collections import defaultdict
from functools import cache
from typing import TYPE_CHECKING, NamedTuple

from ..schema import ASSERTIONS, TABLES, Column, Table, computed, declare, ref
from ..stating import Span, states_number, states_qualifier, states_text, states_words

if TYPE_CHECKING:  # context imports the tables: no cycle at run time
    from ..context import Context
    from ..load import SourceFile
    from ..text import ArticleText

LINKED_BY = ("build", "curator", "waived")

ATTRIBUTION_COLUMNS = (
    # Its YAML key, for messages: a curator may name who asserts a value (claims: asserted_by).
    ref(
        "asserted_by_id",
        "actors",
        "Who asserts the value; NULL: the article itself.",
        "asserted_by",
    ),
    Column(
        "assertion",
        str,
        "What kind of claim the value is, as its record's unless a curator says otherwise; "
        "an inference with no asserted_by_id is the curators' reading (see note); NULL when "
        "the value is waived.",
        field=None,
        vocab=ASSERTIONS,
    ),
)
VALUE_COLUMNS = (
    computed("record_table", str, "The kind of record the value belongs to (its table)."),
    computed("record_id", str, "The record the value belongs to."),
    computed(
        "field",
        str,
        "The value's column; for an item of a record's list, the list and the item's role "
        "(actors.victim, parties.defendant, names).",
    ),
    computed("value", str, "The value as stored in the record (an id for an actor or place)."),
    computed("value_table", str, "For a value that names a record (an actor, a place): its table."),
)

CLAIMS = declare(
    Table(
        "claims",
        "One row per curated value (a date, a number, a name, a place, a participant, a charge, "
        "an outcome, a channel) and sentence that states it, with who asserts it. A value "
        "stated in two sentences has two rows; a value no sentence states is waived, with "
        "the reason in note.",
        (
            computed("id", str, "Record, field, the value's number, and the sentence."),
            *VALUE_COLUMNS,
            computed("article_id", str, "The article of the sentence.", "articles"),
            computed("sentence_id", str, "The sentence stating the value.", "sentences"),
            computed("quote", str, "The words that state the value, verbatim."),
            computed("char_start", int, "Offset of the quote's first character in articles.text."),
            computed("char_end", int, "Offset just past the quote's last character."),
            *ATTRIBUTION_COLUMNS,
            Column(
                "linked_by",
                str,
                "How the sentence was found: automatically among the record's evidence, from a "
                "quote written in the YAML, or not at all (no sentence states it: see note).",
                field=None,
                vocab=LINKED_BY,
            ),
            computed("note", str, "Why the value is waived, or the curator's note on it."),
        ),
        sort="id",
        facets=("record_table", "linked_by", "assertion"),
        record=("record_id",),
        # By record (provenance); by the record a value names (every claim about Danebaev, and
        # the references an edit of the registry links again).
        indexes=(("record_table", "record_id"), ("value_table", "value")),
        filled_by_checks=True,
    )
)


class Value(NamedTuple):
    """A value of a record, waiting for its sentence (Context.finish)."""

    table: Table  # the record's table
    record_id: str
    field: str
    key: str  # the YAML key, for messages
    value: object
    column: Column
    record: dict  # the record (its date_text, its asserted_by)
    node: dict  # where the value is written
    spec: object  # the curator's support: a quote, quotes, a mapping, or None
    line: int  # of the value
    spec_line: int  # of the curator's support (the value's line when there is none)
    number: int
    source: SourceFile


def spec_parts(spec) -> tuple[list[str], dict]:
    """(quotes, options) of a curator's support for a value."""
    if spec is None:
        return [], {}
    if isinstance(spec, str):
        return [spec], {}
    if isinstance(spec, list):
        return list(spec), {}
    quotes = spec.get("quote") or []
    return ([quotes] if isinstance(quotes, str) else list(quotes)), dict(spec)


def _stated(value: Value, text: str) -> Span | None:
    kind = value.column.claim
    if kind == "number":
        return states_number(text, value.value)
    if kind == "months":
        return states_number(text, value.value, divisors=(12,))
    if kind == "date":
        words = value.record.get("date_text")
        return states_text(text, words) if words else None
    if kind == "term":
        return states_words(text, words_for(value.column, value.value))
    if kind == "qualifier":  # right before the number it qualifies, in the same record
        number = value.record.get(value.column.qualifies)
        return states_qualifier(text, words_for(value.column, value.value), number)
    return states_text(text, str(value.value))


@cache
def _has_asserter(table_name: str) -> bool:
    """Whether a table's records say who asserts them: else the article reports them."""
    return any(column.name == "asserted_by_id" for column in TABLES[table_name].columns)


def words_for(column: Column, value) -> tuple[str, ...]:
    """The words that state a coded value; none: it states an absence and is no claim."""
    if column.stated_as is None:
        return (str(value),)
    return column.stated_as.get(value, (str(value),))


def shown(field: str, value) -> str:
    """A value for a message: with its role for an item of a list (actors.victim)."""
    text = str(value)
    if "." in field:
        text += f" ({field.partition('.')[2]})"
    return repr(text) if len(text) <= 60 else repr(text[:59] + "…")


def yaml_key(table_name: str, field: str) -> str:
    """The YAML key a claims field is written under: the list's for an item (actors.victim:
    actors), else the column's (place_id: place)."""
    if "." in field or field == "names":
        return field.partition(".")[0]
    return TABLES[table_name].column(field).yaml_key or field


def value_key(value: Value) -> str:
    """A value's key: its record, field and number; a claim's id adds the sentence."""
    return f"{value.table.name}--{value.record_id}--{value.field}--{value.number}"


class Linker:
    """Links the values of one unit to their sentences and writes their claims rows."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.evidence: dict[tuple[str, str], dict[str, list[str]]] = defaultdict(dict)
        for row in ctx.rows.get("evidence", ()):
            by_article = self.evidence[(row["record_table"], row["record_id"])]
            sentences = by_article.setdefault(row["article_id"], [])
            if row["sentence_id"] not in sentences:
                sentences.append(row["sentence_id"])
        self.sentences: dict[str, dict] = {}

    def _spans(self, article_id: str) -> dict:
        if article_id not in self.sentences:
            article = self.ctx.article_text(article_id)
            self.sentences[article_id] = {s.id: s for s in article.sentences} if article else {}
        return self.sentences[article_id]

    def link(self, value: Value) -> str | None:
        """Link the value; how (automatic, curated, waived: for the build's report), or None
        after reporting why it cannot be."""
        quotes, options = spec_parts(value.spec)
        attribution = self._attribution(value, options)
        if options.get("waived"):
            if quotes:
                self._problem(value, "give either quotes or 'waived', not both", curated=True)
            self._write(value, (None, None), None, None, "waived", options["waived"])
            return "waived"
        if quotes:
            sentences: set[str] = set()
            for quote in quotes:
                self._curated(value, quote, attribution, options.get("note"), sentences)
            return "curated"
        if value.column.claim == "ref":
            self._defer(value, attribution, options.get("note"))
            return "automatic"
        return self._automatic(value, attribution, options.get("note"))

    def _attribution(self, value: Value, options: dict) -> tuple[str | None, str]:
        """Its record's asserter and assertion, where a curator says nothing else. An asserter
        given alone keeps the record's assertion; an assertion alone keeps the record's
        asserter, except an inference, which is the curators' own reading."""
        by, assertion = None, "reported"
        if _has_asserter(value.table.name):
            by, assertion = value.record.get("asserted_by"), value.record.get("assertion")
        if "assertion" in options:
            assertion = options["assertion"]
            if assertion == "inference":
                by = None
        if "asserted_by" in options:
            by = options["asserted_by"]
        return by, assertion or "reported"

    def _automatic(self, value: Value, attribution, note) -> str | None:
        found = 0
        for article_id, sentence_ids in self.evidence[(value.table.name, value.record_id)].items():
            spans = self._spans(article_id)
            hits = [
                (spans[sid], span)
                for sid in sentence_ids
                if sid in spans and (span := _stated(value, spans[sid].text))
            ]
            if len(hits) > 1 and value.column.claim != "text":
                numbers = ", ".join(str(sentence.number) for sentence, _ in hits)
                self._problem(
                    value,
                    f"{shown(value.field, value.value)} is stated in {len(hits)} of the "
                    f"record's sentences ({numbers}): quote the one that states it (claims)",
                )
                return
            for sentence, (start, end) in hits:
                where = (article_id, sentence.id, sentence.start + start, sentence.text[start:end])
                self._write(value, attribution, *where[:2], "build", note, *where[2:])
                found += 1
        if found:
            return "automatic"
        outside = value.node.get("note") if value.key == "names" else None
        if outside and value.node.get("name_type") != "as_in_source":
            self._write(value, (None, None), None, None, "waived", outside)
            return "waived"
        remedy = "quote the words that do (claims), or waive it with a reason"
        if value.key == "names":
            remedy = "a name from outside the article needs a note saying where it comes from"
        self._problem(
            value, f"no sentence of the record states {shown(value.field, value.value)}: {remedy}"
        )

    def _curated(self, value: Value, quote: str, attribution, note, sentences: set) -> None:
        located = self._locate(value, quote)
        if isinstance(located, str):
            self._problem(value, located, curated=True)
            return
        article_id, sentence, start = located
        if sentence.id in sentences:
            message = f"another quote for this value is in the same sentence: {quote!r}"
            self._problem(value, message, curated=True)
            return
        sentences.add(sentence.id)
        if value.column.claim != "ref" and _stated(value, quote) is None:
            what = (
                f"the date's words {value.record.get('date_text')!r}"
                if value.column.claim == "date"
                else shown(value.field, value.value)
            )
            self._problem(value, f"the quote does not state {what}: {quote!r}", curated=True)
            return
        self._write(value, attribution, article_id, sentence.id, "curator", note, start, quote)

    def _locate(self, value: Value, quote: str):
        """(article id, sentence, offset) of a curator's quote: among the record's own evidence
        sentences, where a short quote is enough, else anywhere in the record's articles."""
        by_article = self.evidence[(value.table.name, value.record_id)]
        found = [
            (article_id, self._spans(article_id)[sid], position)
            for article_id, sentence_ids in by_article.items()
            for sid in sentence_ids
            if sid in self._spans(article_id)
            for position in _occurrences(self._spans(article_id)[sid].text, quote)
        ]
        if len(found) > 1:
            return (
                f"quote is found more than once in the record's sentences (lengthen it): {quote!r}"
            )
        if found:
            article_id, sentence, position = found[0]
            return article_id, sentence, sentence.start + position
        located = None
        for article_id in by_article:
            article: ArticleText | None = self.ctx.article_text(article_id)
            result = article.locate(quote) if article else "article text missing"
            if not isinstance(result, str):
                if located:
                    return f"quote is found in more than one article (lengthen it): {quote!r}"
                located = (article_id, result[0], result[1])
            elif located is None and len(by_article) == 1:
                return result
        return located or f"quote not found in the record's articles: {quote!r}"

    def _defer(self, value: Value, attribution, note) -> None:
        for article_id in self.evidence[(value.table.name, value.record_id)]:
            row = self._row(value, attribution, note)
            row.update(
                id=f"{value_key(value)}--{article_id}",
                value_key=value_key(value),
                article_id=article_id,
            )
            self.ctx.add_row("_claim_references", row, value.source, value.node, line=value.line)

    def _row(self, value: Value, attribution, note) -> dict:
        return {
            "record_table": value.table.name,
            "record_id": value.record_id,
            "field": value.field,
            "value": str(value.value),
            "value_table": value.column.references,
            "asserted_by_id": attribution[0],
            "assertion": attribution[1],
            "note": note,
        }

    def _write(
        self, value, attribution, article_id, sentence_id, linked_by, note, start=None, quote=None
    ):
        row = self._row(value, attribution, note)
        row.update(
            id=f"{value_key(value)}--{sentence_id or 'waived'}",
            article_id=article_id,
            sentence_id=sentence_id,
            quote=quote,
            char_start=start,
            char_end=None if start is None else start + len(quote),
            linked_by=linked_by,
        )
        self.ctx.add_row("claims", row, value.source, value.node, line=value.line)

    def _problem(self, value: Value, message: str, curated: bool = False) -> None:
        """A problem at the value, or at the curator's support for it when that is wrong."""
        line = value.spec_line if curated else value.line
        self.ctx.problems.at(value.source, value.node, message, field=value.key, line=line)


def _occurrences(text: str, quote: str):
    position = text.find(quote)
    while position >= 0:
        yield position
        position = text.find(quote, position + 1)
