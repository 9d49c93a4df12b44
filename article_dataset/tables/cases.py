"""Legal cases: cases, their parties, charges and penalties."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..inputs import QUOTES, list_of, record_schema
from ..load import SourceFile
from ..schema import (
    AMOUNT_BASES,
    ARTICLE_ID,
    ASSERTION_COLUMNS,
    CASE_ROLES,
    CURRENCY_WORDS,
    OUTCOME_WORDS,
    QUALIFIER_WORDS,
    QUALIFIERS,
    Column,
    Number,
    Table,
    computed,
    date_columns,
    declare,
    ident,
    ref,
    whole,
)

if TYPE_CHECKING:  # context imports the tables: no cycle at run time
    from ..context import Context

CASES = declare(
    Table(
        "cases",
        "Prosecutions, lawsuits and internal investigations the article reports.",
        (
            ident("Stable slug of the case."),
            ARTICLE_ID,
            Column("title", str, "One-line name of the case.", required=True),
            Column(
                "kind",
                str,
                "What kind of proceeding.",
                required=True,
                vocab=("criminal_prosecution", "civil_lawsuit", "internal_investigation"),
            ),
            Column(
                "status",
                str,
                "Where the case stands, as the article tells it.",
                required=True,
                claim="term",
                stated_as=OUTCOME_WORDS,
            ),
            Column("court", str, "The court, as the article names it.", claim="text"),
            ref("place_id", "places", "Where the case is heard.", key="place", claim="ref"),
            Column("description", str, "What the case is about.", required=True),
            *date_columns(),
            *ASSERTION_COLUMNS,
        ),
        label="title",
        sort="date_sort",
        fts=("title", "description"),
        facets=("kind", "status"),
    )
)

CASE_PARTIES = declare(
    Table(
        "case_parties",
        "Who is party to each case, and as what.",
        (
            computed("case_id", str, "The case.", "cases"),
            ref("actor_id", "actors", "The party.", key="actor", required=True, claim="ref"),
            Column(
                "role",
                str,
                "The party's part in the case.",
                required=True,
                vocab=CASE_ROLES,
            ),
        ),
        pk=("case_id", "actor_id", "role"),
        facets=("role",),
        part_of=("case_id", "parties", "role"),
    )
)

CHARGES = declare(
    Table(
        "charges",
        "Charges brought in a case, worded as in the article.",
        (
            ident("Stable slug of the charge."),
            computed("case_id", str, "The case.", "cases"),
            ref(
                "defendant_id",
                "actors",
                "Who is charged.",
                key="defendant",
                required=True,
                claim="ref",
            ),
            Column(
                "charge", str, "The charge, verbatim from the article.", required=True, claim="text"
            ),
            Column(
                "outcome",
                str,
                "What came of the charge.",
                required=True,
                vocab=tuple(OUTCOME_WORDS),
                claim="term",
                stated_as=OUTCOME_WORDS,
            ),
        ),
        label="charge",
        sort="id",
        fts=("charge",),
        facets=("outcome",),
    )
)

PENALTIES = declare(
    Table(
        "penalties",
        "Sentences, compensation, dismissals and suspensions imposed or recommended.",
        (
            ident("Stable slug of the penalty."),
            computed("case_id", str, "The case.", "cases"),
            ref("actor_id", "actors", "Who is penalised.", key="actor", required=True, claim="ref"),
            computed("title", str, "Kind, term or amount, and who (actor id), for links."),
            Column(
                "kind",
                str,
                "What kind of penalty.",
                required=True,
                vocab=(
                    "imprisonment",
                    "suspended_sentence",
                    "compensation",
                    "dismissal_recommended",
                    "suspension",
                ),
            ),
            Column(
                "term_months",
                int,
                "Length of a prison term, in months.",
                minimum=0,
                claim="months",
            ),
            Column("amount", Number, "Amount of money.", minimum=0, claim="number"),
            Column(
                "currency",
                str,
                "ISO 4217 code of the amount.",
                pattern=whole("[A-Z]{3}"),
                claim="term",
                stated_as=CURRENCY_WORDS,
            ),
            Column(
                "amount_qualifier",
                str,
                "How exact the amount is, in the article's words.",
                vocab=QUALIFIERS,
                claim="qualifier",
                stated_as=QUALIFIER_WORDS,
                qualifies="amount",
            ),
            Column(
                "amount_basis",
                str,
                "Whether the amount is owed by every one of those penalised or by all together.",
                vocab=tuple(AMOUNT_BASES),
                claim="term",
                stated_as=AMOUNT_BASES,
            ),
            *date_columns(),
            *ASSERTION_COLUMNS,
        ),
        label="title",
        sort="date_sort",
        facets=("kind", "assertion"),
    )
)

CASES_FILE_SCHEMA = list_of(
    record_schema(
        CASES,
        {
            "parties": list_of(record_schema(CASE_PARTIES, required=())),
            "charges": list_of(record_schema(CHARGES, {"evidence": QUOTES})),
            "penalties": list_of(record_schema(PENALTIES, {"evidence": QUOTES})),
            "evidence": QUOTES,
        },
    )
)


def add_cases(ctx: Context, source: SourceFile, article_id: str) -> None:
    for record in source.data:
        case_id = record["id"]
        ctx.add_record("cases", source, record, article_id=article_id)
        ctx.cite("cases", case_id, record["evidence"], article_id, source, record)
        for party in record.get("parties") or []:
            ctx.add_record("case_parties", source, party, case_id=case_id)
        for charge in record.get("charges") or []:
            ctx.add_record("charges", source, charge, case_id=case_id)
            ctx.cite("charges", charge["id"], charge["evidence"], article_id, source, charge)
        for penalty in record.get("penalties") or []:
            title = _penalty_title(penalty, penalty["actor"])
            ctx.add_record("penalties", source, penalty, case_id=case_id, title=title)
            ctx.cite("penalties", penalty["id"], penalty["evidence"], article_id, source, penalty)


def _penalty_title(penalty: dict, who: str) -> str:
    parts = [penalty["kind"].replace("_", " ")]
    if penalty.get("term_months") is not None:
        parts.append(f"{penalty['term_months']} months")
    if penalty.get("amount") is not None:
        qualifier = f"{penalty['amount_qualifier']} " if penalty.get("amount_qualifier") else ""
        parts.append(f"{qualifier}{penalty['amount']:,} {penalty.get('currency') or ''}".strip())
    return f"{', '.join(parts)}: {who}"
