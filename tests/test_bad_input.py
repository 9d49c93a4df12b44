"""A mistake in the input: a clear error naming file, line, record and field; no damage done.

Every case breaks a copy of data/ in one way and runs build.py on it: the build must exit 1,
print the problem as `data/<file>:<line>: record '<id>', field '<field>': <message>` under the
count line, write no traceback, and leave the article.db already in place byte for byte as it
was, with no temporary file beside it.

The mistakes are made in a small fixture article (and a few registry records for it) added to
the copy of the real data, so that they do not depend on the real records, which curators edit.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from article_dataset.load import MAX_FILE_BYTES

from .conftest import DATA, ROOT

FIXTURE_ID = "test-fixture-article"
FOLDER = f"articles/{FIXTURE_ID}"
ACTORS = "registry/actors.yml"
PLACES = "registry/places.yml"
ARTICLE = f"{FOLDER}/article.yml"
EVENTS = f"{FOLDER}/events.yml"
STATEMENTS = f"{FOLDER}/statements.yml"
FIGURES = f"{FOLDER}/figures.yml"
SOURCE = f"{FOLDER}/source.txt"
SECOND_ID = "zz-second-fixture-article"

# Sentences: 1 the headline, 2-4 one per line, 5 and 6 share a line, 7 after a marker.
FIXTURE_SOURCE = """\
A Fixture Headline For Testing
[ad_1]
Anna Testova, 41, was detained in Testville, Testland, on March 3, 2023.
The police said she was held for 48 hours.
“She did nothing wrong,” her lawyer said.
Critics called the detention a warning. Others called it a mistake.
[ad_2]
Nobody knows what comes next.
"""

FIXTURE_ARTICLE = f"""\
id: {FIXTURE_ID}
title: A Fixture Headline For Testing
publisher: Fixture Press
publisher_note: invented for the tests
date: "2023-03"
date_text: "March 3, 2023"
date_basis: approximate
uncited:
  - quote: "A Fixture Headline For Testing"
    reason: headline
  - quote: "Others called it a mistake."
    reason: opinion; states no fact
  - quote: "Nobody knows what comes next."
    reason: rhetorical aside; states no fact
"""

FIXTURE_EVENTS = """\
- id: fixture-testova-detained
  title: Anna Testova detained in Testville
  kind: detention
  violation_type: arbitrary detention
  place: fixture-testville
  description: Anna Testova was detained in Testville.
  date: "2023-03-03"
  date_text: "March 3, 2023"
  date_basis: explicit
  date_precision: day
  actors:
    - {actor: fixture-anna-testova, role: victim}
  evidence:
    - "was detained in Testville, Testland, on March 3, 2023"

- id: fixture-testova-held
  title: Anna Testova held for 48 hours
  kind: detention
  description: The police said she was held for 48 hours.
  date: "2023-03"
  date_text: "March 3, 2023"
  date_basis: explicit
  date_start: "2023-03-03"
  date_end: "2023-03-05"
  asserted_by: fixture-police
  assertion: official_claim
  actors:
    - {actor: fixture-police, role: perpetrator}
  links:
    - {event: fixture-testova-detained, relation: follows}
  evidence:
    - "she was held for 48 hours"
"""

FIXTURE_STATEMENTS = """\
- id: fixture-lawyer-nothing-wrong
  speaker: fixture-lawyer
  text: "She did nothing wrong,"
  is_verbatim: true
  channel: interview
  event: fixture-testova-detained
  evidence:
    - "“She did nothing wrong,” her lawyer said."

- id: fixture-critics-warning
  text: "Critics called the detention a warning."
  is_verbatim: false
  channel: article
  evidence:
    - "Critics called the detention a warning."
"""

FIXTURE_FIGURES = """\
- id: fixture-hours-held
  value: 48
  unit: hours
  qualifier: exactly
  what: how long Anna Testova was held
  event: fixture-testova-held
  asserted_by: fixture-police
  assertion: official_claim
  evidence:
    - "held for 48 hours"
"""

FIXTURE_ACTORS = f"""
- id: fixture-anna-testova
  kind: person
  name: Anna Testova
  description: Fixture person detained in Testville.
  age: 41
  names:
    - name: Testova
      name_type: as_in_source
      lang: en
    - name: Anna Testowa
      name_type: transliteration
      note: an invented spelling for the tests
  evidence:
    {FIXTURE_ID}:
      - "Anna Testova, 41"

- id: fixture-police
  kind: organization
  name: the police
  description: Fixture police force of Testville.
  evidence:
    {FIXTURE_ID}:
      - "The police said"

- id: fixture-lawyer
  kind: person
  name: her lawyer
  description: Fixture lawyer of Anna Testova.
  evidence:
    {FIXTURE_ID}:
      - "her lawyer said"
"""

FIXTURE_PLACES = f"""
- id: fixture-testland
  kind: country
  name: Testland
  description: Fixture country.
  evidence:
    {FIXTURE_ID}: ["Testville, Testland"]

- id: fixture-testville
  kind: city
  name: Testville
  parent: fixture-testland
  latitude: 50.5
  longitude: 60.25
  coordinates_source: invented for the tests
  description: Fixture town where Anna Testova was detained.
  evidence:
    {FIXTURE_ID}: ["detained in Testville"]
"""


def run_build(db, data):
    return subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "--db", str(db), "--data", str(data)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )


def add_fixture(data: Path) -> None:
    """The fixture article and its registry records, added to a copy of the real data."""
    (data / FOLDER).mkdir()
    for name, text in (
        (SOURCE, FIXTURE_SOURCE),
        (ARTICLE, FIXTURE_ARTICLE),
        (EVENTS, FIXTURE_EVENTS),
        (STATEMENTS, FIXTURE_STATEMENTS),
        (FIGURES, FIXTURE_FIGURES),
    ):
        (data / name).write_text(text, encoding="utf-8")
    for name, text in ((ACTORS, FIXTURE_ACTORS), (PLACES, FIXTURE_PLACES)):
        with (data / name).open("a", encoding="utf-8") as registry:
            registry.write(text)


@pytest.fixture(scope="module")
def good(tmp_path_factory):
    """(data folder, article.db bytes): the real data plus the fixture, built once."""
    base = tmp_path_factory.mktemp("good")
    data = base / "data"
    shutil.copytree(DATA, data)
    add_fixture(data)
    db = base / "article.db"
    result = run_build(db, data)
    assert result.returncode == 0, result.stderr
    return data, db.read_bytes()


@pytest.fixture
def broken(tmp_path, good):
    """(data, db): a private copy of the good data to break, beside a good article.db."""
    data = tmp_path / "data"
    shutil.copytree(good[0], data)
    (tmp_path / "article.db").write_bytes(good[1])
    return data, tmp_path / "article.db"


def assert_refused(data: Path, db: Path, before: bytes, count: int = 1) -> str:
    """Run the build on broken data; check it refused cleanly and return its stderr."""
    result = run_build(db, data)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    assert result.stdout == ""
    plural = "" if count == 1 else "s"
    heading = f"{count} problem{plural} in the input; article.db not written"
    assert result.stderr.splitlines()[0] == heading, result.stderr
    assert db.read_bytes() == before, "article.db changed"
    assert not list(db.parent.glob(".article.db.*.tmp")), "temporary file left behind"
    return result.stderr


def problem_line(stderr: str, prefix: str, *parts: str) -> str:
    """The line of stderr that starts with prefix and holds every part."""
    lines = [line for line in stderr.splitlines() if line.startswith(prefix)]
    assert lines, f"no line starting {prefix!r} in:\n{stderr}"
    for line in lines:
        if all(part in line for part in parts):
            return line
    raise AssertionError(f"no line {prefix!r} … {parts!r} in:\n{stderr}")


# --- Mutations: each breaks the data and returns where the problem is ("data/<file>:<line>:")


Mutation = Callable[[Path], str]


def place(file: str, text: str | None = None, at: str | None = None) -> str:
    """data/<file>:<line of the first `at` in text>: or, without `at`, data/<file>:"""
    if at is None:
        return f"data/{file}:"
    assert at in text, f"{at!r} not in {file}"
    return f"data/{file}:{line_at(text, text.index(at))}:"


def line_at(text: str, position: int) -> int:
    return text.count("\n", 0, position) + 1


def edit(file: str, old: str, new: str, at: str | None = None) -> Mutation:
    """Replace the first `old` by `new`; the problem is expected on the line of `at` (or new)."""

    def mutate(data: Path) -> str:
        path = data / file
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {file}"
        text = text.replace(old, new, 1)
        path.write_bytes(text.encode("utf-8"))
        return place(file, text, at if at is not None else new.strip("\n").split("\n")[0])

    return mutate


def reported_in(mutation: Mutation, file: str, at: str) -> Mutation:
    """A mutation whose problem is reported in another file (a sentence in source.txt)."""

    def mutate(data: Path) -> str:
        mutation(data)
        return place(file, (data / file).read_text(encoding="utf-8"), at)

    return mutate


def write(file: str, content: bytes, at: str | None = None) -> Mutation:
    def mutate(data: Path) -> str:
        (data / file).write_bytes(content)
        return place(file, content.decode("utf-8", "replace"), at)

    return mutate


def append(file: str, text: str, at: str) -> Mutation:
    """Add text at the end; the problem is on the line of the first `at` in the added text."""

    def mutate(data: Path) -> str:
        path = data / file
        old = path.read_text(encoding="utf-8")
        path.write_text(old + text, encoding="utf-8")
        return f"data/{file}:{line_at(old + text, (old + text).index(at, len(old)))}:"

    return mutate


def raw_edit(file: str, old: bytes, new: bytes, at: str) -> Mutation:
    """Replace bytes (for encodings and line endings); the problem is on the line of `at`."""

    def mutate(data: Path) -> str:
        path = data / file
        content = path.read_bytes()
        assert old in content, f"{old!r} not in {file}"
        content = content.replace(old, new, 1)
        path.write_bytes(content)
        return place(file, content.decode("utf-8", "replace"), at)

    return mutate


def unclosed_last_quote(file: str) -> Mutation:
    """The closing quote of the file's last line left out: YAML notices at the end of file."""

    def mutate(data: Path) -> str:
        path = data / file
        text = path.read_text(encoding="utf-8")
        assert text.endswith('"\n'), f"{file} does not end with a quote"
        path.write_text(text[:-2] + "\n", encoding="utf-8")
        return f"data/{file}:{line_at(text, len(text))}:"

    return mutate


def huge(file: str) -> Mutation:
    def mutate(data: Path) -> str:
        path = data / file
        padding = b"# padding to make a pasted dump\n" * (MAX_FILE_BYTES // 32 + 1)
        path.write_bytes(path.read_bytes() + padding)
        return place(file)

    return mutate


def remove(file: str) -> Mutation:
    def mutate(data: Path) -> str:
        (data / file).unlink()
        return place(file)

    return mutate


def replace_by_folder(file: str) -> Mutation:
    def mutate(data: Path) -> str:
        (data / file).unlink()
        (data / file).mkdir()
        return place(file)

    return mutate


def add_file(file: str, content: str) -> Mutation:
    def mutate(data: Path) -> str:
        (data / file).write_text(content, encoding="utf-8")
        return place(file)

    return mutate


def second_article_reusing_an_event_id(data: Path) -> str:
    """A second, minimal article (sorted after the fixture) whose event reuses an event id."""
    folder = data / "articles" / SECOND_ID
    folder.mkdir()
    article = (
        f"id: {SECOND_ID}\ntitle: A Second Fixture\n"
        'uncited:\n  - {quote: "A Second Fixture", reason: headline}\n'
    )
    (folder / "source.txt").write_text("A Second Fixture\nAnna Testova was freed.\n", "utf-8")
    (folder / "article.yml").write_text(article, encoding="utf-8")
    events = (
        "- id: fixture-testova-detained\n"
        "  title: Anna Testova freed\n"
        "  kind: detention\n"
        "  description: Anna Testova was freed.\n"
        '  evidence: ["Anna Testova was freed."]\n'
    )
    (folder / "events.yml").write_text(events, encoding="utf-8")
    return place(f"articles/{SECOND_ID}/events.yml", events, "- id:")


@dataclass(frozen=True)
class Bad:
    """A broken input and the problem line the build must print for it."""

    name: str
    mutate: Mutation
    record: str | None
    field: str | None
    parts: tuple[str, ...]

    def __str__(self) -> str:
        return self.name


def bad(name: str, mutate: Mutation, record: str | None, field: str | None, *parts: str) -> Bad:
    return Bad(name, mutate, record, field, parts)


DUPLICATE_LAWYER = f"""
- id: fixture-lawyer
  kind: person
  name: her lawyer
  description: The same lawyer again.
  evidence:
    {FIXTURE_ID}: ["her lawyer said"]
"""

CATALOGUE = [
    # --- Reading the files
    bad(
        "malformed-yaml",
        edit(
            EVENTS,
            "- id: fixture-testova-held",
            "- id: [fixture-testova-held",
            at="  title: Anna Testova held",
        ),
        None,
        None,
        "invalid YAML: while parsing a flow sequence started on line 16, "
        "did not find expected ',' or ']'",
    ),
    bad(
        "unclosed-quote",
        unclosed_last_quote(FIGURES),
        None,
        None,
        "invalid YAML: while scanning a quoted scalar started on line 10, ",
        "found unexpected end of stream",
    ),
    bad(
        "tab-for-indentation",
        edit(
            EVENTS, "  kind: detention\n  violation_type:", "\tkind: detention\n  violation_type:"
        ),
        None,
        None,
        "invalid YAML:",
        "tabs are not allowed for indentation; use spaces",
    ),
    bad(
        "duplicate-key",
        edit(
            EVENTS,
            "  violation_type: arbitrary detention\n",
            "  violation_type: arbitrary detention\n  kind: violence\n",
            at="  kind: violence",
        ),
        "fixture-testova-detained",
        "kind",
        "invalid YAML: while reading a mapping started on line 1, "
        "found duplicate key 'kind' (first on line 3)",
    ),
    bad(
        "key-that-is-a-list",
        edit(FIGURES, "  unit: hours", "  [unit]: hours"),
        "fixture-hours-held",
        None,
        "invalid YAML:",
        "a key must be a plain name",
    ),
    bad(
        "tab-for-indentation-in-a-list",
        edit(EVENTS, "    - {actor: fixture-police,", "\t- {actor: fixture-police,"),
        None,
        None,
        "invalid YAML:",
        "tabs are not allowed for indentation; use spaces",
    ),
    bad(
        "not-a-finite-number",
        edit(FIGURES, "  value: 48", "  value: .nan"),
        "fixture-hours-held",
        "value",
        "invalid YAML: found '.nan', which is not a finite number",
    ),
    bad("empty-file", write(FIGURES, b""), None, None, "file is empty"),
    bad(
        "only-comments",
        write(FIGURES, b"# the figures go here\n"),
        None,
        None,
        "file is empty: it holds no data, only comments",
    ),
    bad(
        "not-utf-8",
        raw_edit(
            STATEMENTS, b"channel: interview", b"channel: intervi\xe9w", at="channel: intervi"
        ),
        None,
        None,
        "not UTF-8: byte 0xe9 cannot be decoded",
    ),
    bad(
        "control-character",
        edit(STATEMENTS, "  channel: article", "  channel: arti\x07cle"),
        None,
        None,
        "invalid YAML: unacceptable character #x0007",
    ),
    bad("huge-file", huge(ACTORS), None, None, f"bytes; the limit is {MAX_FILE_BYTES:,}"),
    bad(
        "windows-line-ending",
        raw_edit(PLACES, b"  kind: city\n", b"  kind: city\r\n", at="  kind: city"),
        None,
        None,
        "Windows (CRLF) or CR line ending; use LF line endings",
    ),
    bad(
        "byte-order-mark",
        write(ARTICLE, b"\xef\xbb\xbf" + FIXTURE_ARTICLE.encode("utf-8"), at="id:"),
        None,
        None,
        "file starts with a byte-order mark (BOM); save it as UTF-8 without BOM",
    ),
    bad("folder-instead-of-file", replace_by_folder(FIGURES), None, None, "cannot be read"),
    # --- Files and folders
    bad("missing-article-yml", remove(ARTICLE), None, None, "required file is missing"),
    bad("missing-registry-file", remove(PLACES), None, None, "required registry file is missing"),
    bad(
        "unexpected-file",
        add_file(f"{FOLDER}/notes.md", "my notes\n"),
        None,
        None,
        "unexpected file; expected: article.yml, cases.yml, events.yml",
    ),
    # --- Fields and values
    bad(
        "misspelt-field",
        edit(EVENTS, "  violation_type:", "  violaton_type:"),
        "fixture-testova-detained",
        "violaton_type",
        "unknown field 'violaton_type'; did you mean 'violation_type'?",
    ),
    bad(
        "misspelt-field-in-a-name",
        edit(
            ACTORS,
            "      lang: en\n    - name: Anna Testowa",
            "      lnag: en\n    - name: Anna Testowa",
            at="      lnag:",
        ),
        "fixture-anna-testova",
        "lnag",
        "unknown field 'lnag'; did you mean 'lang'?",
    ),
    bad(
        "unknown-field",
        edit(FIGURES, "  unit: hours\n", "  unit: hours\n  colour: red\n", at="  colour:"),
        "fixture-hours-held",
        "colour",
        "unknown field 'colour' (allowed: id, value, unit, qualifier, what,",
    ),
    bad(
        "missing-required-field",
        edit(FIGURES, "  unit: hours\n", "", at="- id: fixture-hours-held"),
        "fixture-hours-held",
        "unit",
        "'unit' is required but missing",
    ),
    bad(
        "event-without-evidence",
        edit(
            EVENTS,
            '  evidence:\n    - "she was held for 48 hours"\n',
            "",
            at="- id: fixture-testova-held",
        ),
        "fixture-testova-held",
        "evidence",
        "'evidence' is required but missing",
    ),
    bad(
        "empty-evidence",
        edit(FIGURES, '  evidence:\n    - "held for 48 hours"\n', "  evidence: []\n"),
        "fixture-hours-held",
        "evidence",
        "[] is empty; give at least one",
    ),
    bad(
        "record-that-is-no-mapping",
        append(FIGURES, "\n- just a sentence\n", at="- just a sentence"),
        None,
        None,
        "'just a sentence' is not a mapping",
    ),
    bad(
        "age-not-a-number",
        edit(ACTORS, "  age: 41", '  age: "thirty"'),
        "fixture-anna-testova",
        "age",
        "'thirty' is not valid; expected an integer",
    ),
    bad(
        "negative-age",
        edit(ACTORS, "  age: 41", "  age: -41"),
        "fixture-anna-testova",
        "age",
        "-41 is not valid; expected an integer of at least 0",
    ),
    bad(
        "value-not-a-number",
        edit(FIGURES, "  value: 48", "  value: forty-eight"),
        "fixture-hours-held",
        "value",
        "'forty-eight' is not a number",
    ),
    bad(
        "vocabulary-value-not-allowed",
        edit(EVENTS, "  kind: detention", "  kind: detained"),
        "fixture-testova-detained",
        "kind",
        "'detained' is not allowed; expected one of: ",
        "detention",
    ),
    bad(
        "vocabulary-value-in-a-list",
        edit(EVENTS, "role: victim", "role: victm", at="role: victm"),
        "fixture-testova-detained",
        "role",
        "'victm' is not allowed; expected one of: victim,",
    ),
    bad(
        "id-not-a-slug",
        edit(FIGURES, "- id: fixture-hours-held", "- id: Fixture_Hours_Held"),
        "Fixture_Hours_Held",
        "id",
        "'Fixture_Hours_Held' does not match the required format",
    ),
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
        "date-start-after-date-end",
        edit(
            EVENTS,
            '  date_start: "2023-03-03"\n  date_end: "2023-03-05"',
            '  date_start: "2023-03-05"\n  date_end: "2023-03-03"',
            at="  date_start:",
        ),
        "fixture-testova-held",
        "date_start",
        "date_start 2023-03-05 is after date_end 2023-03-03",
    ),
    bad(
        "date-precision-disagrees",
        edit(EVENTS, "  date_precision: day", "  date_precision: month"),
        "fixture-testova-detained",
        "date_precision",
        "'month' disagrees with date '2023-03-03', which is day",
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
        "text must appear in the article exactly as written",
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
        "note",
        "a name from outside the article needs a note saying where it comes from",
    ),
]


@pytest.mark.parametrize("case", CATALOGUE, ids=str)
def test_bad_input(case: Bad, broken, good):
    data, db = broken
    at = case.mutate(data)
    stderr = assert_refused(data, db, good[1])
    about = [f"record '{case.record}'"] if case.record else []
    about += [f"field '{case.field}'"] if case.field else []
    prefix = f"{at} {', '.join(about)}: " if about else f"{at} "
    problem_line(stderr, prefix, *case.parts)


def test_catalogue_is_large_enough():
    assert len(CATALOGUE) >= 30
    assert len({case.name for case in CATALOGUE}) == len(CATALOGUE)


def test_every_problem_is_reported_together(broken, good):
    """Mistakes in several files, found by different checks, come out in one run."""
    data, db = broken
    schema = edit(EVENTS, "  kind: detention", "  kind: detained")(data)
    typo = edit(ACTORS, "  age: 41", "  aeg: 41")(data)
    empty = write(FIGURES, b"")(data)
    stderr = assert_refused(data, db, good[1], count=3)
    problem_line(stderr, f"{schema} record 'fixture-testova-detained', field 'kind':", "detained")
    problem_line(
        stderr, f"{typo} record 'fixture-anna-testova', field 'aeg':", "did you mean 'age'?"
    )
    problem_line(stderr, f"{empty} file is empty")


def test_every_reference_and_quote_problem_is_reported_together(broken, good):
    """Once the files are well-formed, every cross-check problem comes out in one run."""
    data, db = broken
    actor = edit(EVENTS, "actor: fixture-anna-testova", "actor: fixture-anna-testowa")(data)
    quote = edit(
        PLACES,
        '["detained in Testville"]',
        '["detained in Testvile"]',
        at='["detained in Testvile"]',
    )(data)
    stderr = assert_refused(data, db, good[1], count=2)
    problem_line(
        stderr, f"{actor} record 'fixture-testova-detained', field 'actor':", "unknown actors id"
    )
    problem_line(
        stderr, f"{quote} record 'fixture-testville', field 'evidence':", "quote not found"
    )
