"""The registry shared by all articles: actors and places, with their other names."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..inputs import QUOTES_BY_ARTICLE, list_of, record_schema
from ..load import SourceFile
from ..schema import (
    NAMES_COLUMNS,
    QUALIFIER_WORDS,
    QUALIFIERS,
    Column,
    Table,
    computed,
    declare,
    ident,
    ref,
)

if TYPE_CHECKING:  # context imports the tables: no cycle at run time
    from ..context import Context

ACTORS = declare(
    Table(
        "actors",
        "People, organizations and groups, shared by all articles. Unnamed people and groups "
        "(the officer in the video, the eleven guards) are actors too, named by description.",
        (
            ident("Stable slug, e.g. timur-danebaev."),
            Column(
                "kind",
                str,
                "What sort of actor.",
                required=True,
                vocab=("person", "organization", "group"),
            ),
            Column(
                "name", str, "Canonical name, as the source spells it.", required=True, claim="text"
            ),
            Column("description", str, "Who or what this is, from the article.", required=True),
            Column("age", int, "Age in years as stated in the source.", minimum=0, claim="number"),
            Column(
                "size", int, "Groups: how many members the source says.", minimum=0, claim="number"
            ),
            Column(
                "size_qualifier",
                str,
                "Groups: how exact size is, in the article's words.",
                vocab=QUALIFIERS,
                claim="qualifier",
                stated_as=QUALIFIER_WORDS,
                qualifies="size",
            ),
            ref(
                "parent_id",
                "actors",
                "Body within a ministry, or group a person belongs to.",
                key="parent",
                claim="ref",
            ),
            computed("aliases", str, "All other names, one per line (for search)."),
        ),
        label="name",
        sort="name",
        fts=("name", "aliases", "description"),
        facets=("kind",),
        acyclic=(("id", "parent_id", None),),
    )
)

PLACES = declare(
    Table(
        "places",
        "Countries, regions, cities and facilities, shared by all articles.",
        (
            ident("Stable slug, e.g. atbasar."),
            Column(
                "kind",
                str,
                "What sort of place.",
                required=True,
                vocab=("country", "region", "city", "facility"),
            ),
            Column(
                "name", str, "Canonical name, as the source spells it.", required=True, claim="text"
            ),
            ref("parent_id", "places", "The place this one lies in.", key="parent", claim="ref"),
            Column(
                "latitude",
                float,
                "WGS84 latitude (outside context: see coordinates_source).",
                minimum=-90,
                maximum=90,
            ),
            Column(
                "longitude", float, "WGS84 longitude (outside context).", minimum=-180, maximum=180
            ),
            Column("coordinates_source", str, "Where the coordinates come from."),
            Column("description", str, "What the article says of the place.", required=True),
            computed("aliases", str, "All other names, one per line (for search)."),
        ),
        label="name",
        sort="name",
        fts=("name", "aliases", "description"),
        facets=("kind",),
        acyclic=(("id", "parent_id", None),),
    )
)


def names_table(owner: str) -> Table:
    singular = owner.removesuffix("s")
    return declare(
        Table(
            f"{singular}_names",
            f"Every name of each of the {owner}: the canonical one, spellings in the source, "
            "transliterations, former names, native script.",
            (
                NAMES_COLUMNS[0],
                computed(f"{singular}_id", str, f"The {singular} so named.", owner),
                *NAMES_COLUMNS[1:],
            ),
            label="name",
            sort="id",
            facets=("name_type",),
            part_of=(f"{singular}_id", "names", None),
        )
    )


ACTOR_NAMES = names_table("actors")
PLACE_NAMES = names_table("places")

NAME_SCHEMA = record_schema(ACTOR_NAMES, required=())
REGISTRY_NESTED = {"names": list_of(NAME_SCHEMA), "evidence": QUOTES_BY_ARTICLE}
ACTORS_FILE_SCHEMA = list_of(record_schema(ACTORS, REGISTRY_NESTED))
PLACES_FILE_SCHEMA = list_of(record_schema(PLACES, REGISTRY_NESTED))


def add_actors(ctx: Context, source: SourceFile) -> None:
    _add_registry(ctx, source, "actors")


def add_places(ctx: Context, source: SourceFile) -> None:
    for record in source.data:
        given = [record.get(key) is not None for key in ("latitude", "longitude")]
        if given[0] != given[1]:
            missing = "longitude" if given[0] else "latitude"
            message = "a point needs both latitude and longitude"
            ctx.problems.at(source, record, message, missing)
        has_point = any(given)
        if has_point and not record.get("coordinates_source"):
            ctx.problems.at(
                source, record, "coordinates need a coordinates_source", "coordinates_source"
            )
    _add_registry(ctx, source, "places")


def _add_registry(ctx: Context, source: SourceFile, table: str) -> None:
    for record in source.data:
        names = record.get("names") or []
        aliases = "\n".join(name["name"] for name in names) or None
        ctx.add_record(table, source, record, aliases=aliases)
        add_names(ctx, source, table, record, names)
        for article_id, quotes in record["evidence"].items():
            ctx.cite(table, record["id"], quotes, article_id, source, record)


def add_names(ctx: Context, source: SourceFile, owner: str, record: dict, names: list) -> None:
    singular = owner.removesuffix("s")
    canonical = {"name": record["name"], "name_type": "canonical"}
    # A name no sentence of the record states is outside context: its note says where it
    # comes from, or the build refuses it (claims.py).
    for number, name in enumerate([canonical, *names], 1):
        ctx.add_record(
            f"{singular}_names",
            source,
            name,
            claimed=number > 1,  # the canonical name is the record's own name value
            id=f"{record['id']}-{number}",
            **{f"{singular}_id": record["id"]},
        )
