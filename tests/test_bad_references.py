"""Bad input found across files: dates, ids and references, evidence and coverage, and
outside context without its source. Same checks as test_bad_input.py."""

from __future__ import annotations

import pytest

from .bad_input_fixture import (
    ACTORS,
    ARTICLE,
    EVENTS,
    FIGURES,
    FIXTURE_ID,
    PLACES,
    SOURCE,
    STATEMENTS,
)
from .bad_input_support import (
    DUPLICATE_LAWYER,
    Bad,
    append,
    bad,
    check_case,
    edit,
    reported_in,
    second_article_reusing_an_event_id,
)

CATALOGUE = [
    # --- Dates
    bad(
        "date-not-a-date",
        edit(EVENTS, 'date: "2023-03-03"', 'date: "2023-02-30"', at="  date: "),
        "fixture-testova-detained",
        "date",
        "'2023-02-30' is not a real date",
    ),
    bad(
        "date-in-words",
        edit(EVENTS, 'date: "2023-03-03"', 'date: "March 3, 2023"', at="  date: "),
        "fixture-testova-detained",
        "date",
        "'March 3, 2023' is not valid; expected a string matching",
    ),
    bad(
        "date-not-edtf",
        edit(EVENTS, 'date: "2023-03-03"', 'date: "2023-03-03?~"', at="  date: "),
        "fixture-testova-detained",
        "date",
        "'2023-03-03?~' is not a valid EDTF date",
    ),
    bad(
        "date-interval-ends-before-it-starts",
        edit(EVENTS, '"2023-03-03/2023-03-05"', '"2023-03-05/2023-03-03"'),
        "fixture-testova-held",
        "date",
        "'2023-03-05/2023-03-03' starts after it ends",
    ),
    bad(
        "date-bounds-given-by-hand",
        edit(
            EVENTS,
            "  asserted_by:",
            '  date_start: "2023-03-03"\n  asserted_by:',
            at="  date_start:",
        ),
        "fixture-testova-held",
        "date_start",
        "unknown field 'date_start'",
    ),
    bad(
        "date-without-basis",
        edit(EVENTS, "  date_basis: explicit\n", "", at="- id: fixture-testova-detained"),
        "fixture-testova-detained",
        "date_basis",
        "'date_basis' is required when 'date' is given",
    ),
    # --- Ids and references across files
    bad(
        "duplicate-id-in-a-file",
        append(ACTORS, DUPLICATE_LAWYER, at="- id: fixture-lawyer"),
        "fixture-lawyer",
        "id",
        "duplicate id 'fixture-lawyer' in actors; first defined at data/registry/actors.yml:",
    ),
    bad(
        "event-id-reused-in-another-article",
        second_article_reusing_an_event_id,
        "fixture-testova-detained",
        "id",
        f"duplicate id 'fixture-testova-detained' in events; first defined at data/{EVENTS}:1",
    ),
    bad(
        "unknown-actor",
        edit(EVENTS, "actor: fixture-anna-testova", "actor: fixture-anna-testowa"),
        "fixture-testova-detained",
        "actor",
        "unknown actors id 'fixture-anna-testowa'",
    ),
    bad(
        "unknown-place",
        edit(EVENTS, "  place: fixture-testville", "  place: fixture-testvile"),
        "fixture-testova-detained",
        "place",
        "unknown places id 'fixture-testvile'",
    ),
    bad(
        "unknown-event",
        edit(EVENTS, "event: fixture-testova-detained", "event: fixture-testova-detaind"),
        "fixture-testova-held",
        "event",
        "unknown events id 'fixture-testova-detaind'",
    ),
    bad(
        "unknown-parent",
        edit(PLACES, "  parent: fixture-testland", "  parent: fixture-testlnd"),
        "fixture-testville",
        "parent",
        "unknown places id 'fixture-testlnd'",
    ),
    bad(
        "unknown-speaker",
        edit(STATEMENTS, "  speaker: fixture-lawyer", "  speaker: fixture-layer"),
        "fixture-lawyer-nothing-wrong",
        "speaker",
        "unknown actors id 'fixture-layer'",
    ),
    bad(
        "evidence-for-unknown-article",
        edit(
            PLACES,
            f'    {FIXTURE_ID}: ["Testville, Testland"]',
            '    no-such-article: ["Testville, Testland"]',
            at="    no-such-article",
        ),
        "fixture-testland",
        "evidence",
        "unknown article 'no-such-article'",
    ),
    # --- Evidence and coverage
    bad(
        "quote-not-found",
        edit(FIGURES, '    - "held for 48 hours"', '    - "held for 84 hours"'),
        "fixture-hours-held",
        "evidence",
        f"quote not found in article '{FIXTURE_ID}': 'held for 84 hours'",
    ),
    bad(
        "quote-found-twice",
        edit(
            FIGURES,
            '    - "held for 48 hours"',
            '    - "held for 48 hours"\n    - "called"',
            at='    - "called"',
        ),
        "fixture-hours-held",
        "evidence",
        f"quote is ambiguous: found more than once in article '{FIXTURE_ID}' "
        "(lengthen it): 'called'",
    ),
    bad(
        "quote-spanning-two-sentences",
        edit(
            STATEMENTS,
            '    - "Critics called the detention a warning."',
            '    - "Critics called the detention a warning."\n    - "a warning. Others"',
            at='    - "a warning. Others"',
        ),
        "fixture-critics-warning",
        "evidence",
        "quote spans more than one sentence (cite each sentence separately): 'a warning. Others'",
    ),
    bad(
        "sentence-neither-cited-nor-waived",
        reported_in(
            edit(
                ARTICLE,
                '  - quote: "Nobody knows what comes next."\n'
                "    reason: rhetorical aside; states no fact\n",
                "",
                at="uncited:",
            ),
            SOURCE,
            at="Nobody knows what comes next.",
        ),
        FIXTURE_ID,
        "uncited",
        "sentence 7 is neither cited by a record nor waived under 'uncited' in article.yml: "
        "'Nobody knows what comes next.'",
    ),
    bad(
        "waiver-of-a-cited-sentence",
        edit(
            ARTICLE,
            "uncited:\n",
            'uncited:\n  - quote: "The police said"\n    reason: waived by mistake\n',
            at='  - quote: "The police said"',
        ),
        FIXTURE_ID,
        "uncited",
        "sentence 3 is cited by a record; remove its waiver",
    ),
    bad(
        "statement-text-not-in-article",
        edit(
            STATEMENTS,
            '  text: "She did nothing wrong,"',
            '  text: "She did nothing wrong at all,"',
        ),
        "fixture-lawyer-nothing-wrong",
        "text",
        "no sentence of the record states 'She did nothing wrong at all,'",
    ),
    # --- Outside context must say where it comes from
    bad(
        "coordinates-without-source",
        edit(
            PLACES,
            "  coordinates_source: invented for the tests\n",
            "",
            at="- id: fixture-testville",
        ),
        "fixture-testville",
        "coordinates_source",
        "coordinates need a coordinates_source",
    ),
    bad(
        "outside-name-without-note",
        edit(
            ACTORS,
            "      note: an invented spelling for the tests\n",
            "",
            at="    - name: Anna Testowa",
        ),
        "fixture-anna-testova",
        "names",
        "no sentence of the record states 'Anna Testowa': "
        "a name from outside the article needs a note saying where it comes from",
    ),
]


@pytest.mark.parametrize("case", CATALOGUE, ids=str)
def test_bad_input(case: Bad, broken, good):
    check_case(case, broken, good)
