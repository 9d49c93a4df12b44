"""Bad input an outside test found accepted, crashing or misreported (issue 10): each refused
with file, line, record and field, article.db byte-identical. Same checks as
test_bad_input.py."""

from __future__ import annotations

import hashlib
import os

import pytest

from article_dataset.inputs import MAX_TEXT_CHARACTERS
from article_dataset.load import MAX_VALUE_BYTES

from .bad_input_fixture import (
    ACTORS,
    ARTICLE,
    EVENTS,
    FIGURES,
    FIXTURE_SHA256,
    FOLDER,
    PLACES,
    SOURCE,
    STATEMENTS,
)
from .bad_input_support import (
    Bad,
    assert_refused,
    bad,
    check_case,
    edit,
    huge,
    place,
    problem_line,
    write,
)


def dangling_symlink(file: str):
    """The file replaced by a symbolic link to nothing: listed, but it cannot be read."""

    def mutate(data):
        (data / file).unlink()
        os.symlink(data / "nowhere.yml", data / file)
        return place(file)

    return mutate


NESTED = "[" * 300 + "]" * 300
BOMB = (
    '- id: fixture-hours-held\n  value: 48\n  unit: &a ["hours", "hours"]\n'
    "  qualifier: [*a, *a, *a, *a, *a, *a, *a, *a]\n"
)

CATALOGUE = [
    # --- A file listed but unreadable is an error, never an absence (its rows kept)
    bad(
        "file-replaced-by-a-dangling-symlink",
        dangling_symlink(FIGURES),
        None,
        None,
        "cannot be read: it is a symbolic link to",
        "which does not exist",
    ),
    # --- Patterns mean what they say: no final newline, no other script's digits
    bad(
        "id-with-a-final-newline",
        edit(FIGURES, "- id: fixture-hours-held", '- id: "fixture-hours-held\\n"'),
        "fixture-hours-held\\n",
        "id",
        "'fixture-hours-held\\n' does not match the required format ^[a-z0-9]+(-[a-z0-9]+)*$",
    ),
    bad(
        "date-with-a-final-newline",
        edit(EVENTS, 'date: "2023-03-03"', 'date: "2023-03-03\\n"', at="  date: "),
        "fixture-testova-detained",
        "date",
        "'2023-03-03\\n' is not valid; expected a string matching",
    ),
    bad(
        "date-in-arabic-indic-digits",
        edit(EVENTS, 'date: "2023-03-03"', 'date: "٢٠٢٣-٠٣-٠٣"', at="  date: "),
        "fixture-testova-detained",
        "date",
        "'٢٠٢٣-٠٣-٠٣' is not valid; expected a string matching",
    ),
    # --- YAML that would exhaust the build
    bad(
        "alias-bomb",
        write(FIGURES, BOMB.encode(), at="  unit:"),
        "fixture-hours-held",
        None,
        "invalid YAML:",
        "found an alias (*name) of an anchor (&name): write the value out instead",
    ),
    bad(
        "nesting-a-thousand-deep",
        edit(FIGURES, "  unit: hours", f"  unit: {NESTED}"),
        "fixture-hours-held",
        None,
        "invalid YAML: found lists nested more than 32 deep",
    ),
    # --- Values that ended in a traceback
    bad(
        "integer-beyond-64-bits",
        edit(ACTORS, "  age: 41", "  age: 100000000000000000000"),
        "fixture-anna-testova",
        "age",
        "100000000000000000000 is too large: a whole number here goes up to "
        "9,223,372,036,854,775,807",
    ),
    bad(
        "a-key-that-is-a-number",
        edit(
            PLACES,
            '  evidence:\n    test-fixture-article: ["Testville, Testland"]',
            '  evidence:\n    2023: ["Testville, Testland"]',
            at="    2023:",
        ),
        "fixture-testland",
        None,
        "found the key 2023, which is not a name: quote it",
    ),
    bad(
        "a-key-that-is-a-boolean",
        edit(
            PLACES,
            '  evidence:\n    test-fixture-article: ["Testville, Testland"]',
            '  evidence:\n    true: ["Testville, Testland"]',
            at="    true:",
        ),
        "fixture-testland",
        None,
        "found the key true, which is not a name: quote it",
    ),
    # --- Accepted but wrong
    bad(
        "empty-name",
        edit(ACTORS, "  name: the police", '  name: ""'),
        "fixture-police",
        "name",
        "'' is blank: write the text, or leave the field out",
    ),
    bad(
        "blank-title",
        edit(EVENTS, "  title: Anna Testova held for 48 hours", '  title: "   "'),
        "fixture-testova-held",
        "title",
        "'   ' is blank: write the text, or leave the field out",
    ),
    bad(
        "empty-statement-text",
        edit(STATEMENTS, '  text: "She did nothing wrong,"', '  text: ""'),
        "fixture-lawyer-nothing-wrong",
        "text",
        "'' is blank",
    ),
    bad(
        "latitude-off-the-globe",
        edit(PLACES, "  latitude: 50.5", "  latitude: 999"),
        "fixture-testville",
        "latitude",
        "999 is not valid; expected a number of at least -90 and at most 90 or nothing",
    ),
    bad(
        "latitude-without-longitude",
        edit(PLACES, "  longitude: 60.25\n", "", at="- id: fixture-testville"),
        "fixture-testville",
        "longitude",
        "a point needs both latitude and longitude",
    ),
    bad(
        "a-sentence-waived-twice",
        edit(
            ARTICLE,
            '  - quote: "Others called it a mistake."\n',
            '  - quote: "Others called it a mistake."\n    reason: opinion\n'
            '  - quote: "Others called it"\n',
            at='  - quote: "Others called it"',
        ),
        "test-fixture-article",
        "uncited",
        "sentence 6 is waived twice: keep one reason",
    ),
    bad(
        "event-linked-to-itself",
        edit(
            EVENTS,
            "    - {event: fixture-testova-detained, relation: follows}",
            "    - {event: fixture-testova-held, relation: follows}",
        ),
        "fixture-testova-held",
        "event",
        "an event cannot be linked to itself",
    ),
    bad(
        "event-part-of-itself",  # once: the check for circles does not report it again
        edit(
            EVENTS,
            "    - {event: fixture-testova-detained, relation: follows}",
            "    - {event: fixture-testova-held, relation: part_of}",
        ),
        "fixture-testova-held",
        "event",
        "an event cannot be linked to itself",
    ),
    bad(
        "events-part-of-each-other",
        lambda data: (
            edit(
                EVENTS,
                "    - {event: fixture-testova-detained, relation: follows}",
                "    - {event: fixture-testova-detained, relation: part_of}",
            )(data),
            edit(
                EVENTS,
                "    - {actor: fixture-anna-testova, role: victim}\n",
                "    - {actor: fixture-anna-testova, role: victim}\n  links:\n"
                "    - {event: fixture-testova-held, relation: part_of}\n",
                at="    - {event: fixture-testova-held, relation: part_of}",
            )(data),
        )[1],
        "fixture-testova-detained",
        "event",
        "goes round in a circle: fixture-testova-detained > fixture-testova-held > "
        "fixture-testova-detained",
    ),
    bad(
        "place-inside-itself",
        edit(PLACES, "  parent: fixture-testland", "  parent: fixture-testville"),
        "fixture-testville",
        "parent",
        "goes round in a circle: fixture-testville > fixture-testville",
    ),
    bad(
        "quote-padded-with-spaces",
        edit(EVENTS, '    - "she was held for 48 hours"', '    - " she was held for 48 hours"'),
        "fixture-testova-held",
        "evidence",
        "' she was held for 48 hours' has spaces at its start or end",
    ),
    # --- Values longer than the published server holds (its SQLite length limit)
    bad(
        "a-text-longer-than-the-server-holds",
        edit(
            ACTORS,
            "  description: Fixture person detained in Testville.",
            f"  description: Anna {'x' * MAX_TEXT_CHARACTERS}",
        ),
        "fixture-anna-testova",
        "description",
        f"is {MAX_TEXT_CHARACTERS + 5:,} characters long; a text holds at most "
        f"{MAX_TEXT_CHARACTERS:,}",
    ),
    bad(
        "an-article-text-longer-than-the-server-holds",
        huge(SOURCE, MAX_VALUE_BYTES),
        None,
        None,
        f"bytes; the limit is {MAX_VALUE_BYTES:,}",
    ),
    # --- Messages that misled
    bad(
        "quote-with-straight-quotes-for-curly-ones",
        edit(
            STATEMENTS,
            '    - "“She did nothing wrong,” her lawyer said."',
            "    - '\"She did nothing wrong,\" her lawyer said.'",
        ),
        "fixture-lawyer-nothing-wrong",
        "evidence",
        "(it is there with '“', U+201C, where the quote has '\"', U+0022, at character 1)",
    ),
    bad(
        "a-list-item-of-the-wrong-type",
        edit(EVENTS, '    - "she was held for 48 hours"', "    - 48"),
        "fixture-testova-held",
        "evidence",
        "48 is not a string",
    ),
    bad(
        "a-long-quote-is-not-echoed-whole",
        edit(EVENTS, '    - "she was held for 48 hours"', f'    - "she was held {"x" * 5000}"'),
        "fixture-testova-held",
        "evidence",
        "(5,013 characters)",
    ),
]


@pytest.mark.parametrize("case", CATALOGUE, ids=str)
def test_bad_input(case: Bad, broken, good):
    check_case(case, broken, good)


def test_a_line_separator_in_the_text_does_not_shift_the_lines_reported(broken, good):
    """U+2028 at the end of a line of source.txt: a problem later in the file is at its line
    as an editor counts it (which, like the build, ends lines at newlines only)."""
    data, db = broken
    text = (data / SOURCE).read_text(encoding="utf-8").replace("48 hours.", "48 hours.\u2028")
    (data / SOURCE).write_text(text, encoding="utf-8")
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    edit(ARTICLE, FIXTURE_SHA256, sha, at="source_sha256:")(data)
    waiver = (
        '  - quote: "Nobody knows what comes next."\n    reason: rhetorical aside; states no fact\n'
    )
    edit(ARTICLE, waiver, "", at="uncited:")(data)
    stderr = assert_refused(data, db, good[1])
    problem_line(stderr, f"data/{SOURCE}:8:", "sentence 7 is neither cited by a record nor waived")


def test_a_misnamed_article_folder_is_reported_once_per_file(broken, good):
    """The registry cites the article under its old name: one problem per registry file, not
    one per record."""
    data, db = broken
    (data / FOLDER).rename(data / "articles" / "test-fixture-renamed")
    text = (data / "articles" / "test-fixture-renamed" / "article.yml").read_text()
    (data / "articles" / "test-fixture-renamed" / "article.yml").write_text(
        text.replace("id: test-fixture-article", "id: test-fixture-renamed", 1)
    )
    stderr = assert_refused(data, db, good[1], count=2)
    for file in (ACTORS, PLACES):
        problem_line(
            stderr,
            f"data/{file}:",
            "unknown article 'test-fixture-article' (there is no folder articles/",
            "records of this file cite it; the first is here",
        )


def test_a_record_leading_into_a_circle_is_not_reported_as_one(data_copy, tmp_path):
    """Two places inside each other: the circle is reported once, as itself; the jail inside
    one of them leads into it but is not on it."""
    from article_dataset import build
    from article_dataset.build import BuildError

    places = data_copy / "registry" / "places.yml"
    text = places.read_text(encoding="utf-8")
    record = text.index("- id: akmola-province")
    parent = text.index("  parent: kazakhstan", record)
    text = text[:parent] + "  parent: atbasar" + text[parent + len("  parent: kazakhstan") :]
    places.write_text(text, encoding="utf-8")
    with pytest.raises(BuildError) as refused:
        build(tmp_path / "article.db", data_copy)
    circles = [line for line in str(refused.value).splitlines() if "circle" in line]
    assert circles == [
        "data/registry/places.yml:39: record 'akmola-province', field 'parent': "
        "goes round in a circle: akmola-province > atbasar > akmola-province"
    ]
