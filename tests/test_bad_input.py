"""A mistake in the input: a clear error naming file, line, record and field; no damage done.

Every case breaks a copy of data/ in one way and runs build.py on it: the build must exit 1,
print the problem as `data/<file>:<line>: record '<id>', field '<field>': <message>` under the
count line, write no traceback, and leave the article.db already in place byte for byte as it
was, with no temporary file beside it.

The mistakes are made in a small fixture article (and a few registry records for it) added to
the copy of the real data, so that they do not depend on the real records, which curators edit.
"""

from __future__ import annotations

import pytest

from article_dataset.load import MAX_FILE_BYTES

from .bad_input_fixture import (
    ACTORS,
    ARTICLE,
    EVENTS,
    FIGURES,
    FIXTURE_ARTICLE,
    FOLDER,
    PLACES,
    STATEMENTS,
)
from .bad_input_support import (
    Bad,
    add_file,
    append,
    assert_refused,
    bad,
    check_case,
    edit,
    huge,
    problem_line,
    raw_edit,
    remove,
    replace_by_folder,
    unclosed_last_quote,
    write,
)

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
        "invalid YAML: while parsing a flow sequence started on line 15, "
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
        raw_edit(STATEMENTS, b"channel: article", b"channel: arti\xe9cle", at="channel: arti"),
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
        "unexpected file; expected: article.yml, cases.yml, disputes.yml, events.yml",
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
        "'forty-eight' is not valid; expected a number or nothing",
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
]


@pytest.mark.parametrize("case", CATALOGUE, ids=str)
def test_bad_input(case: Bad, broken, good):
    check_case(case, broken, good)


def test_the_readme_counts_the_whole_catalogue():
    """Every catalogued case has its own name, and the README says how many there are."""
    import re

    from .conftest import ROOT
    from .test_bad_claims import CATALOGUE as CLAIMS
    from .test_bad_input_hardening import CATALOGUE as HARDENING
    from .test_bad_references import CATALOGUE as ACROSS_FILES

    cases = CATALOGUE + ACROSS_FILES + CLAIMS + HARDENING
    assert len({case.name for case in cases}) == len(cases)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    stated = re.search(r"a catalogue\s+of (\d+) broken inputs", readme)
    assert stated and int(stated.group(1)) == len(cases)


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
