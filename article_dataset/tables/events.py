"""What happened and who said what: events, their actors and links, statements, figures."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..inputs import QUOTES, list_of, record_schema
from ..load import SourceFile
from ..schema import (
    ARTICLE_ID,
    ASSERTION_COLUMNS,
    CHANNEL_WORDS,
    CHANNELS,
    EVENT_KINDS,
    EVENT_RELATIONS,
    EVENT_ROLES,
    QUALIFIER_WORDS,
    QUALIFIERS,
    VIOLATION_TYPES,
    Column,
    Number,
    Table,
    computed,
    date_columns,
    declare,
    ident,
    ref,
)
from ..stating import INDEFINITE

if TYPE_CHECKING:  # context imports the tables: no cycle at run time
    from ..context import Context

EVENTS = declare(
    Table(
        "events",
        "Things that happened, as the article tells them, with who asserts them.",
        (
            ident("Stable slug of the event."),
            ARTICLE_ID,
            Column("title", str, "One-line summary.", required=True),
            Column(
                "kind",
                str,
                "What sort of event.",
                required=True,
                vocab=EVENT_KINDS,
            ),
            Column(
                "violation_type",
                str,
                "HURIDOCS-style violation type; NULL when none.",
                vocab=VIOLATION_TYPES,
            ),
            ref("place_id", "places", "Where it happened.", key="place", claim="ref"),
            Column("description", str, "What happened, in the article's terms.", required=True),
            *date_columns(),
            *ASSERTION_COLUMNS,
        ),
        label="title",
        sort="date_sort",
        fts=("title", "description"),
        facets=("kind", "violation_type", "assertion", "date_precision"),
    )
)

EVENT_ACTORS = declare(
    Table(
        "event_actors",
        "Who took part in each event, and in what role.",
        (
            computed("event_id", str, "The event.", "events"),
            ref("actor_id", "actors", "The actor.", key="actor", required=True, claim="ref"),
            Column(
                "role",
                str,
                "The actor's part in the event.",
                required=True,
                vocab=EVENT_ROLES,
            ),
        ),
        pk=("event_id", "actor_id", "role"),
        facets=("role",),
        part_of=("event_id", "actors", "role"),
    )
)

EVENT_LINKS = declare(
    Table(
        "event_links",
        "How events relate: one causes, is part of, responds to or follows another.",
        (
            computed("event_id", str, "The event.", "events"),
            ref(
                "related_event_id", "events", "The event it relates to.", key="event", required=True
            ),
            Column(
                "relation",
                str,
                "How this event relates to the other.",
                required=True,
                vocab=EVENT_RELATIONS,
            ),
            Column("note", str, "Why the link is made, where the article implies it unsaid."),
        ),
        pk=("event_id", "related_event_id", "relation"),
        facets=("relation",),
        acyclic=(("event_id", "related_event_id", "relation = 'part_of'"),),
    )
)

STATEMENTS = declare(
    Table(
        "statements",
        "Who said what: direct quotes and the article's reports of what was said. A statement "
        "with no speaker is the article's own editorial voice.",
        (
            ident("Stable slug of the statement."),
            ARTICLE_ID,
            ref(
                "actor_id",
                "actors",
                "The speaker; NULL for the article's own voice.",
                key="speaker",
                claim="ref",
            ),
            computed("title", str, "Speaker id and the start of the text, for links."),
            Column(
                "text",
                str,
                "The words, exactly as they appear in the article.",
                required=True,
                claim="text",
            ),
            Column(
                "is_verbatim",
                bool,
                "1: a direct quote; 0: the article's report of it.",
                required=True,
            ),
            Column(
                "channel",
                str,
                "How it was said; NULL when the article does not say.",
                vocab=CHANNELS,
                claim="term",
                stated_as=CHANNEL_WORDS,
            ),
            ref("event_id", "events", "The occasion on which it was said.", key="event"),
            ASSERTION_COLUMNS[1],
            *date_columns(),
        ),
        label="title",
        sort="id",
        fts=("text",),
        facets=("channel", "is_verbatim", "assertion"),
    )
)

FIGURES = declare(
    Table(
        "figures",
        "Numbers cited in the article, with their qualifier and whose numbers they are.",
        (
            ident("Stable slug of the figure."),
            ARTICLE_ID,
            computed("title", str, "Qualifier, value and unit, for links."),
            Column(
                "value",
                Number,
                "The number; NULL only when the article gives an amount in words (dozens).",
                claim="number",
            ),
            Column("unit", str, "What is counted or measured.", required=True),
            Column(
                "qualifier",
                str,
                "How exact the number is, in the article's words ('as stated': it gives none).",
                required=True,
                vocab=QUALIFIERS,
                claim="qualifier",
                stated_as=QUALIFIER_WORDS,
                qualifies="value",
            ),
            Column("what", str, "What the number describes.", required=True),
            ref("event_id", "events", "The event it belongs to.", key="event"),
            *ASSERTION_COLUMNS,
        ),
        label="title",
        sort="id",
        fts=("what",),
        facets=("qualifier", "assertion", "unit"),
    )
)

EVENTS_FILE_SCHEMA = list_of(
    record_schema(
        EVENTS,
        {
            "actors": list_of(record_schema(EVENT_ACTORS, required=())),
            "links": list_of(record_schema(EVENT_LINKS, required=())),
            "evidence": QUOTES,
        },
    )
)
STATEMENTS_FILE_SCHEMA = list_of(record_schema(STATEMENTS, {"evidence": QUOTES}))
FIGURES_FILE_SCHEMA = list_of(record_schema(FIGURES, {"evidence": QUOTES}))


def add_events(ctx: Context, source: SourceFile, article_id: str) -> None:
    for record in source.data:
        ctx.add_record("events", source, record, article_id=article_id)
        for actor in record.get("actors") or []:
            ctx.add_record("event_actors", source, actor, event_id=record["id"])
        for link in record.get("links") or []:
            if link.get("event") == record["id"]:
                ctx.problems.at(source, link, "an event cannot be linked to itself", "event")
                continue  # not stored: the check for circles would report it again
            ctx.add_record("event_links", source, link, event_id=record["id"])
        ctx.cite("events", record["id"], record["evidence"], article_id, source, record)


def add_statements(ctx: Context, source: SourceFile, article_id: str) -> None:
    for record in source.data:
        # That the text is the article's, in one of the record's sentences, is a claim (claims.py).
        # The speaker's id, not name: a row depends on its own file alone (incremental builds).
        speaker = record.get("speaker") or "the article"
        title = f"{speaker}: {_shorten(record['text'])}"
        ctx.add_record("statements", source, record, article_id=article_id, title=title)
        ctx.cite("statements", record["id"], record["evidence"], article_id, source, record)


def add_figures(ctx: Context, source: SourceFile, article_id: str) -> None:
    for record in source.data:
        value, qualifier = record.get("value"), record["qualifier"]
        if (value is None) != (qualifier in INDEFINITE):
            expected = f"no value with {qualifier!r}" if value is not None else "a value"
            ctx.problems.at(source, record, f"give {expected}", "value")
        shown = f"{value:,}" if isinstance(value, int) else str(value)
        title = (
            f"{qualifier} {shown} {record['unit']}"
            if value is not None
            else (f"{qualifier} of {record['unit']}")
        )
        ctx.add_record("figures", source, record, article_id=article_id, title=title)
        ctx.cite("figures", record["id"], record["evidence"], article_id, source, record)


def _shorten(text: str, limit: int = 70) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
