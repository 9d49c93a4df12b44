"""FollowTheMoney (FtM) entities from article.db, one JSON object a line (entities.ftm.json),
for the `ftm` tools, Aleph and other FtM readers.

Schemas, chosen by the FtM model's definitions:
- actors of kind person: Person.
- organization: PublicBody ("a ministry, department or state company") for the bodies of a
  state their descriptions name as such (PUBLIC_BODIES, each with the reason); else
  Organization: media outlets, an intergovernmental treaty organization, and bodies the
  article does not attribute to a state ("supervisory organs").
- group: LegalEntity. FtM has no schema for a set of people; LegalEntity is its party "when
  the data does not specify if something is a person, organization or company", which can
  be involved in events and be party to cases. (FtM's Family is a link between two Persons,
  not a party: the family of the Semey victim is a LegalEntity too.)
- actors.parent_id: UnknownLink, role "part of" (subject the actor, object the parent). The
  model's `parent` is deprecated (an ownership), and Membership requires an Organization.
- articles: Article (a Document), the `proof` of every entity drawn from it.
- events: Event. event_actors give `involved`, which has no role: the roles go to `notes`.
- cases: CourtCase, `type` the case's kind (internal investigations too: FtM's only schema
  for a proceeding); case_parties: CourtCaseParty (case, party, role).

Names (actor_names.name_type): canonical is `name`; transliteration, native_script and
full_name are `alias`; as_in_source is `weakAlias` (the article's short forms: a surname,
"the Kremlin", which FtM readers must not match on); former_name is `previousName`;
abbreviation is `abbreviation`.

Dates. FtM dates are ISO prefixes (2023, 2023-08, 2023-08-24); from the EDTF value:
- a plain prefix is kept as it is;
- the qualifiers ? ~ % are dropped and the value kept at its own precision (2023-08-24? gives
  2023-08-24, 2008~ gives 2008): FtM cannot say "uncertain" or "about", and the date never
  gains precision;
- an interval gives startDate and endDate, each side read as above; an open or unknown side
  is left out (../2023-09-06 gives endDate 2023-09-06 alone);
- a set ({a,b}: all of them; [a,b]: one of them) gives each member as a `date`, a property
  that holds several; a member that is a range or open (2020..2022, ..2022) is no one date
  and is left out;
- what is not a plain prefix once its qualifiers are dropped (unspecified digits 20XX,
  seasons 2023-21) gives no date;
- in every case `notes` gives the EDTF value, its qualifier, the article's words (date_text)
  and the date_note, so that nothing the record says of its date is lost.
A case's date goes to `notes` only: CourtCase has fileDate and closeDate alone, and a case's
date means different things (charges brought, a sentence, "on or before" a press release:
see its date_note). An article's publication (Article.publishedAt, a single date): the value
when it is one ISO prefix, else the prefix that its first and last possible days share
(2023-09-06/2023-09-30 gives 2023-09).

Every entity has `sourceUrl` (the source_url of its articles, then its page on the dataset's
site), `publisher` (its articles' publisher) and `proof` (their Article entities). Ids are
make_id of the package name, the table and the record's key: a rebuild gives the same ids.
Each entity is read back by the library (get_proxy with cleaned=False cleans every value
again) and must come back unchanged, or the export fails.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from pathlib import Path

from ..dates import PLAIN, QUALIFIER_MARKS
from .datapackage import PACKAGE_NAME
from .links import row_url

ACTOR_SCHEMAS = {"person": "Person", "organization": "Organization", "group": "LegalEntity"}
# Organizations whose descriptions make them bodies of a state.
PUBLIC_BODIES = {
    "interior-ministry": "Kazakhstan's interior ministry",
    "committee-criminal-executive-system": "a committee of the Internal Affairs Ministry",
    "kazakh-government": "the government of Kazakhstan",
    "russian-government": "the government of Russia",
    "kazakh-police": "the Kazakh police",
    "kazakh-authorities": "the Kazakh authorities",
    "kaliev-case-city-court": "a city court",
}
NAME_PROPERTIES = {
    "as_in_source": "weakAlias",
    "transliteration": "alias",
    "native_script": "alias",
    "full_name": "alias",
    "former_name": "previousName",
    "abbreviation": "abbreviation",
}


def entity_id(table: str, *key: object) -> str:
    from followthemoney.util import make_entity_id

    return make_entity_id(PACKAGE_NAME, table, *key)


def iso_date(value: str) -> str | None:
    """One EDTF date as an FtM date: its qualifiers dropped, or None if that is no ISO prefix."""
    plain = QUALIFIER_MARKS.sub("", value)  # the build has checked every date: PLAIN is enough
    return plain if PLAIN.fullmatch(plain) else None


def ftm_dates(edtf: str | None) -> dict[str, list[str]]:
    """The FtM date properties (date, startDate, endDate) of an EDTF value: see the module."""
    if not edtf:
        return {}
    if edtf[0] in "{[":
        # A member that is a range or open (2020..2022, ..2022-01) is no one date: left out.
        members = [member for member in edtf[1:-1].split(",") if ".." not in member]
        dates = [date for date in map(iso_date, members) if date]
        return {"date": dates} if dates else {}
    if "/" in edtf:
        low, high = edtf.split("/", 1)
        sides = (("startDate", iso_date(low)), ("endDate", iso_date(high)))
        return {name: [date] for name, date in sides if date}
    date = iso_date(edtf)
    return {"date": [date]} if date else {}


def shared_prefix(start: str | None, end: str | None) -> str | None:
    """The finest ISO prefix two ISO days share: the day, the month, the year, or none."""
    if not start or not end:
        return None
    for length in (10, 7, 4):
        if start[:length] == end[:length]:
            return start[:length]
    return None


def date_note(row: sqlite3.Row, column: str = "date") -> str | None:
    """What the record says of its date, in words, for `notes`."""
    if not row[column]:
        return None
    note = f"Date (EDTF): {row[column]}"
    if row["date_qualifier"]:
        note += f" ({row['date_qualifier']})"
    if row["date_text"]:
        note += f", in the article's words “{row['date_text']}”"
    note += "."
    if row["date_note"]:
        note += f" {row['date_note']}"
    return note


class Exporter:
    """Reads the database once and makes the entities, in a stable order."""

    def __init__(self, connection: sqlite3.Connection, base: str):
        self.db = connection
        self.base = base
        self.articles = {row["id"]: row for row in self._rows("articles")}
        self.actors = {row["id"]: row for row in self._rows("actors")}
        self.places = {row["id"]: row for row in self._rows("places")}
        cited = defaultdict(set)
        query = "select distinct record_id, article_id from evidence where record_table = 'actors'"
        for record_id, article_id in self.db.execute(query):
            cited[record_id].add(article_id)
        self.actor_articles = {actor: sorted(ids) for actor, ids in cited.items()}
        self.disputes = defaultdict(list)
        for row in self._rows("disputes"):
            self.disputes[row["record_table"], row["record_id"]].append(row)
        self.names = defaultdict(list)  # of each actor
        for row in self._rows("actor_names"):
            self.names[row["actor_id"]].append(row)
        self.taking_part = defaultdict(list)  # in each event, in the record's order
        for row in self._rows("event_actors", "rowid"):
            self.taking_part[row["event_id"]].append((row["actor_id"], row["role"]))
        self.cases = {row["id"]: row for row in self._rows("cases")}

    def _rows(self, table: str, order: str = "id") -> list[sqlite3.Row]:
        return self.db.execute(f"select * from [{table}] order by {order}").fetchall()

    def entity(self, schema: str, key: tuple, articles: list[str], page=None, **values) -> dict:
        """An entity with its provenance (its page: the row of `key`, a table and its key,
        unless given); empty values are left out, repeated ones once."""
        page = page or row_url(self.base, *key)
        values["sourceUrl"] = [*(self.articles[a]["source_url"] for a in articles), page]
        values["publisher"] = [self.articles[a]["publisher"] for a in articles]
        own_id = entity_id(*key)
        # An Article is its own source, not its own proof (FtM refuses a self-relationship).
        proofs = [entity_id("articles", article) for article in articles]
        values["proof"] = [proof for proof in proofs if proof != own_id]
        properties = {}
        for name, value in values.items():
            listed = value if isinstance(value, list) else [value]
            kept = list(dict.fromkeys(str(v) for v in listed if v is not None and str(v).strip()))
            if kept:
                properties[name] = kept
        return {"id": own_id, "schema": schema, "properties": properties}

    def name(self, actor_id: str | None) -> str | None:
        return self.actors[actor_id]["name"] if actor_id else None

    def place(self, place_id: str | None) -> tuple[str | None, str | None]:
        """(the place and those it lies in, named from the smallest; its country's code)."""
        from followthemoney import registry

        names, country = [], None
        while place_id:
            place = self.places[place_id]
            names.append(place["name"])
            if place["kind"] == "country" and country is None:
                country = registry.country.clean(place["name"])
            place_id = place["parent_id"]
        return (", ".join(names) or None), country

    def notes(self, table: str, row: sqlite3.Row, *lines: str | None) -> str | None:
        """Assertion, date, the given lines and the disputes of a record, a line each."""
        notes = []
        if row["assertion"]:
            by = self.name(row["asserted_by_id"])
            notes.append(f"Assertion: {row['assertion']}" + (f", by {by}" if by else ""))
        notes.append(date_note(row))
        notes.extend(lines)
        for dispute in self.disputes[table, row["id"]]:
            notes.append(f"Disputed ({dispute['relation']}): {dispute['note'] or dispute['title']}")
        return "\n".join(note for note in notes if note) or None

    def all(self) -> list[dict]:
        return [
            *map(self.article, self.articles.values()),
            *map(self.actor, self.actors.values()),
            *self.parent_links(),
            *map(self.event, self._rows("events")),
            *map(self.case, self.cases.values()),
            *map(self.case_party, self._rows("case_parties", "case_id, actor_id, role")),
        ]

    def article(self, row: sqlite3.Row) -> dict:
        dates = ftm_dates(row["published"]).get("date", [])
        published = (
            dates[0] if len(dates) == 1 else shared_prefix(row["date_start"], row["date_end"])
        )
        copy = (
            "The text was scraped from another site's copy (sourceUrl), not the publisher's page."
        )
        publisher = (
            row["publisher_note"] and f"Publisher ({row['publisher']}): {row['publisher_note']}"
        )
        notes = [publisher, copy if row["republication"] else None]
        notes.append(date_note(row, "published"))
        return self.entity(
            "Article",
            ("articles", row["id"]),
            [row["id"]],
            name=row["title"],
            title=row["title"],
            publishedAt=published,
            bodyText=row["text"],
            notes="\n".join(note for note in notes if note) or None,
        )

    def actor(self, row: sqlite3.Row) -> dict:
        schema = ACTOR_SCHEMAS[row["kind"]]
        if row["kind"] == "organization" and row["id"] in PUBLIC_BODIES:
            schema = "PublicBody"
        names = defaultdict(list)
        for name in self.names[row["id"]]:
            if name["name_type"] != "canonical":
                names[NAME_PROPERTIES[name["name_type"]]].append(name["name"])
        return self.entity(
            schema,
            ("actors", row["id"]),
            self.actor_articles.get(row["id"], []),
            name=row["name"],
            description=row["description"],
            **names,
        )

    def parent_links(self) -> list[dict]:
        return [
            self.entity(
                "UnknownLink",
                ("actors.parent_id", row["id"], row["parent_id"]),
                self.actor_articles.get(row["id"], []),
                page=row_url(self.base, "actors", row["id"]),
                subject=entity_id("actors", row["id"]),
                object=entity_id("actors", row["parent_id"]),
                role="part of",
            )
            for row in self.actors.values()
            if row["parent_id"]
        ]

    def event(self, row: sqlite3.Row) -> dict:
        taking_part = self.taking_part[row["id"]]
        roles = "; ".join(f"{role}: {self.name(actor)}" for actor, role in taking_part)
        location, country = self.place(row["place_id"])
        return self.entity(
            "Event",
            ("events", row["id"]),
            [row["article_id"]],
            name=row["title"],
            description=row["description"],
            keywords=[row["kind"], row["violation_type"]],
            location=location,
            country=country,
            involved=[entity_id("actors", actor) for actor, _ in taking_part],
            notes=self.notes("events", row, roles and f"Roles: {roles}"),
            **ftm_dates(row["date"]),
        )

    def case(self, row: sqlite3.Row) -> dict:
        address, country = self.place(row["place_id"])
        return self.entity(
            "CourtCase",
            ("cases", row["id"]),
            [row["article_id"]],
            name=row["title"],
            description=row["description"],
            type=row["kind"],
            status=row["status"],
            court=row["court"],
            address=address,
            country=country,
            notes=self.notes("cases", row),
        )

    def case_party(self, row: sqlite3.Row) -> dict:
        key = (row["case_id"], row["actor_id"], row["role"])
        return self.entity(
            "CourtCaseParty",
            ("case_parties", *key),
            [self.cases[row["case_id"]]["article_id"]],
            case=entity_id("cases", row["case_id"]),
            party=entity_id("actors", row["actor_id"]),
            role=row["role"],
        )


def checked(entity: dict) -> dict:
    """The entity, once the library has cleaned every value again and changed nothing."""
    from followthemoney import model

    proxy = model.get_proxy(entity, cleaned=False)
    missing = [name for name in proxy.schema.required if not proxy.has(name)]
    if proxy.schema.abstract or missing or proxy.to_dict() != entity:
        changed = {
            name: values
            for name, values in proxy.properties.items()
            if values != entity["properties"].get(name)
        }
        raise ValueError(
            f"FollowTheMoney refuses {entity['schema']} {entity['id']}: "
            f"missing {missing}, cleaned differently {changed}"
        )
    return entity


def write_entities(connection: sqlite3.Connection, path: Path, base: str) -> int:
    """Write every entity, one JSON object a line; returns how many."""
    try:
        import followthemoney  # noqa: F401
    except ImportError as error:  # the serving environment does not have it
        raise RuntimeError(
            "the FollowTheMoney export needs the development requirements (followthemoney): "
            "run `make setup` and export with .venv/bin/python (make export)"
        ) from error
    connection.row_factory = sqlite3.Row
    entities = [checked(entity) for entity in Exporter(connection, base).all()]
    with open(path, "w", encoding="utf-8", newline="\n") as file:
        for entity in entities:
            file.write(json.dumps(entity, ensure_ascii=False, sort_keys=True) + "\n")
    return len(entities)
