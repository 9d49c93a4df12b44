"""The public schema, declared once.

Each table's columns carry their SQL type, meaning, foreign key and — for columns a curator
writes — the YAML field and its allowed values. The DDL, the input validation, the column
docs in metadata.yml and the Frictionless export are all derived from these declarations.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace


def whole(body: str) -> str:
    r"""A pattern the whole value must match. `$` would also match before a final newline (in
    Python's re, which validates the YAML), so that "x\n" passed for "x"; the end is written
    as "nothing follows", which JSON Schema's ECMA regex and Python read alike. Write [0-9],
    never \d, which in Python is any script's digit."""
    return rf"^(?:{body})(?![\s\S])"


SLUG = r"[a-z0-9]+(-[a-z0-9]+)*"
SLUG_PATTERN = whole(SLUG)
# The characters of an EDTF date; dates.read_date checks the rest with the edtf package.
EDTF_PATTERN = whole(r"[0-9X?~%/.,\[\]{}+-]+")

DATE_BASES = (
    "explicit",
    "year_inferred_from_publication",
    "relative_to_publication",
    "approximate",
)
DATE_PRECISIONS = ("year", "season", "month", "day")
DATE_QUALIFIERS = ("uncertain", "approximate", "both")
ASSERTIONS = (
    "reported",
    "allegation",
    "official_claim",
    "denial",
    "court_finding",
    "inference",
)
# Coded values with the words that state them in a sentence (claims link a value to the
# sentence holding one of its words). No words: the value states an absence (no qualifier in
# the text, the article's own voice, an unknown outcome) and is backed by the record alone.
QUALIFIER_WORDS = {
    "at least": ("at least",),
    "more than": ("more than", "over"),
    "around": ("around", "some", "about", "roughly", "approximately", "nearly"),
    "just under": ("just under",),
    "exactly": ("exactly",),
    "as stated": (),
    "dozens": ("dozens",),
}
QUALIFIERS = tuple(QUALIFIER_WORDS)
NAME_TYPES = (
    "canonical",
    "as_in_source",
    "transliteration",
    "former_name",
    "native_script",
    "abbreviation",
    "full_name",
)
EVENT_KINDS = (
    "unrest",
    "protest",
    "violence",
    "detention",
    "arrest",
    "death",
    "publication",
    "leak",
    "speech",
    "interview",
    "visit",
    "investigation",
    "suspension",
    "dismissal",
    "appointment",
    "political",
    "military_intervention",
    "legal_action",
    "harassment",
    "conviction",
    "movement",
)
VIOLATION_TYPES = (
    "torture",
    "ill-treatment",
    "death in custody",
    "arbitrary detention",
    "harassment",
    "restriction of expression",
)
EVENT_ROLES = (
    "victim",
    "perpetrator",
    "ordered_by",
    "author",
    "subject",
    "participant",
    "speaker",
    "publisher",
    "target",
    "investigator",
    "complainant",
    "visitor",
    "witness",
)
EVENT_RELATIONS = ("causes", "part_of", "response_to", "follows")
CASE_ROLES = (
    "defendant",
    "plaintiff",
    "respondent",
    "accused",
    "court",
    "investigator",
    "victim",
    "complainant",
    "beneficiary",
)
CHANNEL_WORDS = {
    "video": ("video", "footage"),
    "facebook_post": ("Facebook post",),
    "press_release": ("press release", "the statement"),
    "interview": ("interview", "told"),
    "speech": ("speech", "speaking"),
    "court": ("court",),
    "article": (),
}
CHANNELS = tuple(CHANNEL_WORDS)
# Outcomes of charges, and the statuses of cases that share their words.
OUTCOME_WORDS = {
    "convicted": ("convicted", "conviction", "found guilty", "sentenced"),
    "acquitted": ("acquitted", "acquittal"),
    "dismissed": ("dismissed", "thrown out"),
    "pending": ("pending", "awaiting"),
    "unknown": (),
}
CURRENCY_WORDS = {"USD": ("$", "dollar", "USD"), "EUR": ("€", "euro", "EUR")}
AMOUNT_BASES = {"each": ("each", "apiece", "per person"), "in total": ("in total", "total")}
# What a curated value is, for claims: how a sentence states it (stating.py).
CLAIM_KINDS = ("number", "months", "date", "text", "term", "qualifier", "ref")


class Number(float):
    """A count or amount kept as written: 228 stays an integer, 0.5 a real (NUMERIC affinity)."""


SQL_TYPES = {str: "TEXT", int: "INTEGER", float: "REAL", bool: "INTEGER", Number: "NUMERIC"}


@dataclass(frozen=True)
class Column:
    name: str
    type: type
    doc: str
    # The YAML key a curator writes; "" means the column name, None means the build computes it.
    field: str | None = ""
    required: bool = False
    vocab: tuple[str, ...] | None = None
    pattern: str | None = None
    references: str | None = None
    minimum: float | None = None
    maximum: float | None = None
    # A value readers quote (claims.py): how a sentence states it; for terms, value -> words.
    claim: str | None = None
    stated_as: dict[str, tuple[str, ...]] | None = None
    qualifies: str | None = None  # a qualifier's number: the YAML key of the column it qualifies

    @property
    def description(self) -> str:
        """What the column means, with its allowed values: for every published description."""
        return f"{self.doc} One of: {', '.join(self.vocab)}." if self.vocab else self.doc

    @property
    def yaml_key(self) -> str | None:
        return self.name if self.field == "" else self.field


@dataclass(frozen=True)
class Table:
    name: str
    doc: str
    columns: tuple[Column, ...]
    pk: tuple[str, ...] = ("id",)
    label: str | None = None
    fts: tuple[str, ...] = ()
    sort: str | None = None
    facets: tuple[str, ...] = ()
    checks: tuple[str, ...] = field(default=())
    # Rows of a tracked table remember the file and line they come from (see SOURCE_COLUMNS).
    tracked: bool = True
    # The columns naming the record a row belongs to, for messages; default: the first key.
    record: tuple[str, ...] = ()
    # Indexes over several columns (single columns are indexed by database.index_columns).
    indexes: tuple[tuple[str, ...], ...] = ()
    # (table column, id column, YAML key) of records named by kind and id (checks.py).
    record_refs: tuple[tuple[str, str, str], ...] = ()
    # A table of the build's connection only (CREATE TEMP TABLE), never part of article.db.
    temporary: bool = False
    # Rows the checks add (claims of references): indexed after them, not before, so that
    # the insert does not maintain indexes row by row.
    filled_by_checks: bool = False
    # Links that must not go round in a circle: (from column, to column, which rows), e.g. a
    # place inside itself, an event part of itself (checks.py).
    acyclic: tuple[tuple[str, str, str | None], ...] = ()
    # Rows that are items of a record's list (an event's actors): (column of the record's id,
    # the list's YAML key, the column that qualifies the item, e.g. its role), for claims.
    part_of: tuple[str, str, str | None] | None = None

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    def never_null(self, column: Column) -> bool:
        return column.required or column.name in self.pk

    @property
    def dated(self) -> bool:
        return any(column.field == "date" for column in self.columns)

    @property
    def record_columns(self) -> tuple[str, ...]:
        return self.record or self.pk[:1]

    @property
    def input_columns(self) -> list[Column]:
        return [c for c in self.columns if c.field is not None]


def ident(doc: str) -> Column:
    return Column("id", str, doc, required=True, pattern=SLUG_PATTERN)


def ref(name: str, table: str, doc: str, key: str | None = "", required=False, claim=None):
    return Column(name, str, doc, field=key, required=required, references=table, claim=claim)


def computed(name: str, type_: type, doc: str, references: str | None = None) -> Column:
    return Column(name, type_, doc, field=None, references=references)


ARTICLE_ID = computed("article_id", str, "The article this record comes from.", "articles")


def date_columns(main: str = "date", claimed: bool = True) -> tuple[Column, ...]:
    """The date and what the build derives from it; a claimed date is a value of its record
    (an event's date), unlike an article's publication date, which the article never states."""
    return (
        Column(
            main,
            str,
            "EDTF (ISO 8601-2) date as precise and as sure as the article: 2023-08-24, 2023-08, "
            "2023-08-24? (uncertain), 2008~ (approximate), {2022-10-10,2022-11-12} (both days), "
            "../2023-09-06 (on or before).",
            field="date",
            pattern=EDTF_PATTERN,
            claim="date" if claimed else None,
        ),
        computed("date_start", str, "Earliest day the date can mean (ISO day); NULL when open."),
        computed("date_end", str, "Latest day the date can mean (ISO day); NULL when open."),
        computed(
            "date_sort",
            str,
            "The day the timeline orders by: a set's first day, an open interval's known end, "
            "else the middle of date_start and date_end.",
        ),
        Column(
            "date_precision",
            str,
            "The finest unit the date gives.",
            field=None,
            vocab=DATE_PRECISIONS,
        ),
        Column(
            "date_qualifier",
            str,
            "How sure the date is: EDTF's ? and ~ (and %, for both); NULL when it says neither.",
            field=None,
            vocab=DATE_QUALIFIERS,
        ),
        Column("date_text", str, "The article's own words for the date, verbatim."),
        Column(
            "date_basis",
            str,
            "How the date was read.",
            vocab=DATE_BASES,
        ),
        Column("date_note", str, "The reasoning behind an inferred date."),
    )


ASSERTION_COLUMNS = (
    ref(
        "asserted_by_id",
        "actors",
        "Who asserts this; NULL means the article itself states it.",
        key="asserted_by",
    ),
    Column(
        "assertion",
        str,
        "What kind of claim this is: reported by the article, or asserted by asserted_by_id.",
        vocab=ASSERTIONS,
    ),
)

NAMES_COLUMNS = (
    computed("id", str, "Stable id: the owner's id and a number."),
    Column("name", str, "The name as written.", required=True, claim="text"),
    Column(
        "name_type",
        str,
        "What kind of name this is.",
        required=True,
        vocab=NAME_TYPES,
    ),
    Column("lang", str, "BCP-47 language code of the name, where known."),
    Column("note", str, "Where a name from outside the article comes from."),
)


SOURCE_COLUMNS = (
    computed("source_file", str, "The file under data/ this row comes from."),
    computed("source_line", int, "The line in source_file where the row's record starts."),
)

TABLES: dict[str, Table] = {}


def declare(table: Table) -> Table:
    if table.tracked:
        table = replace(table, columns=table.columns + SOURCE_COLUMNS)
    TABLES[table.name] = table
    return table
