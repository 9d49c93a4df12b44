"""Bad input in what backs a value: claims, disputes and the record of the source. Same checks
as test_bad_input.py: file, line, record and field named, article.db left byte-identical."""

from __future__ import annotations

import pytest

from .bad_input_fixture import ARTICLE, EVENTS, FIGURES, FIXTURE_SHA256, FOLDER, STATEMENTS
from .bad_input_support import Bad, bad, check_case, edit, write

DISPUTES = f"{FOLDER}/disputes.yml"


def disputes(disputed: str, by: str, at: str):
    """A disputes.yml with one dispute; the problem is on the line of `at`."""
    content = (
        "- id: fixture-dispute\n"
        f"  disputed: {disputed}\n"
        f"  by: {by}\n"
        "  relation: denies\n"
        '  evidence: ["“She did nothing wrong,”"]\n'
    )
    return write(DISPUTES, content.encode("utf-8"), at=at)


CATALOGUE = [
    # --- A value no sentence states
    bad(
        "number-no-sentence-states",
        edit(FIGURES, "  value: 48", "  value: 49"),
        "fixture-hours-held",
        "value",
        "no sentence of the record states '49': quote the words that do (claims)",
    ),
    bad(
        "date-words-no-sentence-states",
        edit(
            EVENTS,
            '  date_text: "March 3, 2023"',
            '  date_text: "March 4, 2023"',
            at='  date: "2023-03-03"',
        ),
        "fixture-testova-detained",
        "date",
        "no sentence of the record states '2023-03-03'",
    ),
    bad(
        "qualifier-the-article-does-not-use",
        edit(FIGURES, "  qualifier: as stated", "  qualifier: exactly"),
        "fixture-hours-held",
        "qualifier",
        "no sentence of the record states 'exactly'",
    ),
    bad(
        "participant-no-sentence-names",
        edit(
            EVENTS,
            "    - {actor: fixture-anna-testova, role: victim}\n",
            "    - {actor: fixture-anna-testova, role: victim}\n"
            "    - {actor: fixture-lawyer, role: witness}\n",
            at="    - {actor: fixture-lawyer, role: witness}",
        ),
        "fixture-testova-detained",
        "actors",
        "no sentence of the record names 'fixture-lawyer (witness)': quote the words that "
        "refer to it",
    ),
    # --- A curator's support that does not hold: reported where it is written
    bad(
        "quote-that-does-not-state-its-value",
        edit(
            FIGURES,
            "  qualifier: as stated",
            '  qualifier: as stated\n  claims: {value: "held"}',
            at="  claims:",
        ),
        "fixture-hours-held",
        "value",
        "the quote does not state '48': 'held'",
    ),
    bad(
        "date-quote-without-the-date-words",
        edit(EVENTS, '  claims: {date: "on March 3, 2023"}', '  claims: {date: "was detained"}'),
        "fixture-testova-held",
        "date",
        "the quote does not state the date's words 'March 3, 2023': 'was detained'",
    ),
    bad(
        "quote-for-a-value-not-in-the-article",
        edit(EVENTS, '  claims: {date: "on March 3, 2023"}', '  claims: {date: "on March 3rd"}'),
        "fixture-testova-held",
        "date",
        "quote not found in article 'test-fixture-article': 'on March 3rd'",
    ),
    bad(
        "quote-and-waiver-both",
        edit(
            EVENTS,
            '  claims: {date: "on March 3, 2023"}',
            '  claims: {date: {quote: "on March 3, 2023", waived: "not stated"}}',
        ),
        "fixture-testova-held",
        "date",
        "give either quotes or 'waived', not both",
    ),
    bad(
        "quote-found-twice-in-the-records-sentences",
        edit(
            STATEMENTS,
            "  channel: article\n",
            '  channel: article\n  claims: {text: "ti"}\n',
            at="  claims: {text:",
        ),
        "fixture-critics-warning",
        "text",
        "quote is found more than once in the record's sentences (lengthen it): 'ti'",
    ),
    bad(
        "two-quotes-for-a-value-in-one-sentence",
        edit(
            EVENTS,
            '  claims: {date: "on March 3, 2023"}',
            '  claims: {date: ["on March 3, 2023", "March 3, 2023"]}',
        ),
        "fixture-testova-held",
        "date",
        "another quote for this value is in the same sentence: 'March 3, 2023'",
    ),
    bad(
        "claim-of-an-item-not-in-the-article",
        edit(
            EVENTS,
            "    - {actor: fixture-anna-testova, role: victim}",
            '    - {actor: fixture-anna-testova, role: victim, claim: "Anna Testowa"}',
        ),
        "fixture-testova-detained",
        "actors",
        "quote not found in article 'test-fixture-article': 'Anna Testowa'",
    ),
    bad(
        "claim-support-misspelt",
        edit(
            EVENTS,
            '  claims: {date: "on March 3, 2023"}',
            '  claims: {date: {qote: "on March 3, 2023"}}',
        ),
        "fixture-testova-held",
        "qote",
        "unknown field 'qote'; did you mean 'quote'?",
    ),
    bad(
        "claim-support-of-the-wrong-type",
        edit(EVENTS, '  claims: {date: "on March 3, 2023"}', "  claims: {date: 2023}"),
        "fixture-testova-held",
        "date",
        "2023 is not a string",
    ),
    bad(
        "claim-for-a-field-without-value",
        edit(
            STATEMENTS,
            '  event: fixture-testova-detained\n  evidence:\n    - "“She',
            '  event: fixture-testova-detained\n  claims: {channel: "her lawyer said"}\n'
            '  evidence:\n    - "“She',
            at="  claims: {channel:",
        ),
        "fixture-lawyer-nothing-wrong",
        "channel",
        "claims: 'channel' has no value for a sentence to state",
    ),
    bad(
        "claim-for-a-field-that-is-no-value",
        edit(EVENTS, '  claims: {date: "on March 3, 2023"}', '  claims: {kind: "held"}'),
        "fixture-testova-held",
        "claims",
        "'kind' is not allowed; expected one of: place, date",
    ),
    bad(
        "claim-asserted-by-an-unknown-actor",
        edit(
            EVENTS,
            '  claims: {date: "on March 3, 2023"}',
            '  claims: {date: {quote: "on March 3, 2023", asserted_by: fixture-nobody}}',
        ),
        "fixture-testova-held",
        "asserted_by",
        "unknown actors id 'fixture-nobody'",
    ),
    bad(
        "figure-without-value",
        edit(FIGURES, "  value: 48\n", "", at="- id: fixture-hours-held"),
        "fixture-hours-held",
        "value",
        "give a value",
    ),
    # --- Disputes
    bad(
        "dispute-of-an-unknown-record",
        disputes(
            "events/fixture-no-such-event",
            "statements/fixture-lawyer-nothing-wrong",
            at="  disputed:",
        ),
        "fixture-dispute",
        "disputed",
        "unknown record 'events/fixture-no-such-event': there is no events id",
    ),
    bad(
        "dispute-of-an-unknown-kind-of-record",
        disputes(
            "sentences/fixture-s1", "statements/fixture-lawyer-nothing-wrong", at="  disputed:"
        ),
        "fixture-dispute",
        "disputed",
        "'sentences/fixture-s1' does not match the required format",
    ),
    bad(
        "dispute-of-itself",
        disputes(
            "statements/fixture-lawyer-nothing-wrong",
            "statements/fixture-lawyer-nothing-wrong",
            at="  by:",
        ),
        "fixture-dispute",
        "by",
        "a record cannot dispute itself",
    ),
    # --- The record of the source
    bad(
        "sha256-malformed",
        edit(ARTICLE, "source_sha256: ", "source_sha256: 0", at="source_sha256:"),
        "test-fixture-article",
        "source_sha256",
        "does not match the required format",
    ),
    bad(
        "sha256-of-another-text",
        edit(ARTICLE, FIXTURE_SHA256, '"' + "0" * 64 + '"', at="source_sha256:"),
        "test-fixture-article",
        "source_sha256",
        "is not the SHA-256 of data/articles/test-fixture-article/source.txt (",
    ),
]


@pytest.mark.parametrize("case", CATALOGUE, ids=str)
def test_bad_input(case: Bad, broken, good):
    check_case(case, broken, good)
