"""Every public table, in the order a reader meets them: text, registry, records, evidence."""

from ..schema import TABLES
from .article import ARTICLES, PARAGRAPHS, SENTENCES
from .cases import CASE_PARTIES, CASES, CHARGES, PENALTIES
from .claim_references import CLAIM_REFERENCES
from .claims import CLAIMS
from .disputes import DISPUTES
from .events import EVENT_ACTORS, EVENT_LINKS, EVENTS, FIGURES, STATEMENTS
from .evidence import EVIDENCE
from .meta import BUILD_FILES, EMBEDDED_METADATA
from .registry import ACTOR_NAMES, ACTORS, PLACE_NAMES, PLACES

# What the build holds only while it runs (TEMP tables of its connection).
BUILD_TABLES = (CLAIM_REFERENCES,)

ALL_TABLES = (
    ARTICLES,
    PARAGRAPHS,
    SENTENCES,
    ACTORS,
    ACTOR_NAMES,
    PLACES,
    PLACE_NAMES,
    EVENTS,
    EVENT_ACTORS,
    EVENT_LINKS,
    STATEMENTS,
    CASES,
    CASE_PARTIES,
    CHARGES,
    PENALTIES,
    FIGURES,
    DISPUTES,
    EVIDENCE,
    CLAIMS,
    EMBEDDED_METADATA,
    BUILD_FILES,
)

# declare() registered each table in schema.TABLES; this is the same set, in reading order.
if sorted(t.name for t in ALL_TABLES + BUILD_TABLES) != sorted(TABLES):
    raise RuntimeError("ALL_TABLES and the declared tables differ")
