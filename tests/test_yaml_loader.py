"""The loader's shortcuts for strings must give exactly what PyYAML's safe loader gives, and
the fast path for valid files exactly what the line-keeping loader gives, or nothing."""

import sqlite3

import pytest
import yaml

from article_dataset.fastyaml import NotFast, fast_load
from article_dataset.load import _Loader, exact_load

from .conftest import DATA

SCALARS = """\
plain: text with words
quoted: '1'
double: "yes"
empty: ''
missing:
tilde: ~
null_word: null
Null_word: Null
yes_word: yes
on_word: on
true_word: true
False_word: False
integer: 42
negative: -7
octal: 0o17
hex: 0x1f
sexagesimal: 1:30
float: 1.5
exponent: 6.02e+23
dot_float: .5
date: 2023-09-06
tagged: !!str 5
tagged_int: !!int "12"
merge_like: <<not a merge
url: https://example.org/a?b=c
list: [1, x, true, ~, '2', 2.0]
nested: {a: [b, {c: d}], 'e': 0}
block: |
  two
  lines
folded: >
  one
  line
"""


def test_typed_scalars_are_what_the_safe_loader_makes():
    expected = yaml.load(SCALARS, Loader=yaml.SafeLoader)
    expected["date"] = "2023-09-06"  # dates are kept as written, by design
    loaded = yaml.load(SCALARS, Loader=_Loader)
    # repr shows types too (1 and True, '1' and 1, 2.0 and 2), after plain containers
    assert repr(plain(loaded)) == repr(expected)


def plain(value):
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    return value


def test_mappings_keep_their_lines():
    loaded = yaml.load("- id: a\n  title: x\n- id: b\n", Loader=_Loader)
    assert [item.line for item in loaded] == [1, 3]
    assert loaded[0].key_lines == {"id": 1, "title": 2}


# The fast path (fastyaml.py): the same data and lines as the line-keeping loader, or none.

RISKY = [  # YAML 1.1 and 1.2 read these differently: the line-keeping loader must read them
    "yes_word: yes",
    "on_word: on",
    "octal: 0o17",
    "old_octal: 017",
    "leading_zero: 08",
    "binary: 0b101",
    "sexagesimal: 1:30",
    "exponent: 1e5",
    "signed: +5",
    "underscore: 1_000",
    "infinite: .inf",
    "merge: <<",
    "value: =",
    "list: [1, yes]",
    "flow_key: {yes: 1}",
    "yes: key",
    "anchor: &a 1",
    "alias: *a",
    "tag: !!str 5",
    "---\ndocument: 1",
    "? complex\n: key",
    "flow: {a: 1,\n  b: 2}",
]


# What an adversarial reading found before these rules (each went through the fast path and
# came out different): now each either reads the same or goes the exact way.
FOUND_BY_REVIEW = [
    "a:\n  http://x: 1\n  b: 2\n",
    "- # c\n  k: 1\n",
    "a:\n  [x]\n",
    "# c\n[x]\n",
    "-\n  k: 1\n",
    "-\n  x\n",
    "a: -.5\n",
    "a: +.5\n",
    "a: .9e1\n",
    "a: _1\n",
    '{"a":017}\n',
    "a: 1:00:00:00:00:00:00:00:00:00:00:00\n",
    "a: [x, ?y]\n",
    "a: {?x: 1}\n",
    'a: "x\u2028  y"\n',
    "- x\u2029- y\n",
    "a: \x85\n",
    "a: |\n",
    "- |\n  1",
    "a: " + "{a: " * 32 + "1" + "}" * 32 + "\n",
    "a: [x:]\n",
    "a: [:x]\n",
    "a: [|x]\n",
    "- \tx\n",
    "k: >\n  \tx\n",
    'a: "\\ud83d\\ude00"\n',
    "|\n- x\n",
    ">\nx: 1\n",
]


exact = exact_load  # what read_yaml reads with when the fast path declines


def described(value, path="$"):
    """Everything the build reads of loaded YAML: values with types, lines, owners."""
    if isinstance(value, dict):
        owner = None if value.owner is None else (value.owner.line, list(value.owner))
        yield path, "mapping", value.line, dict(value.key_lines), owner
        for key, item in value.items():
            yield from described(item, f"{path}.{key}")
    elif isinstance(value, list):
        yield path, "list", value.line, list(value.item_lines)
        for number, item in enumerate(value):
            yield from described(item, f"{path}[{number}]")
    else:
        yield path, type(value).__name__, repr(value)


# The one-line scalars of SCALARS; its block scalars (|, >) are compared whole below.
ONE_LINE = SCALARS[: SCALARS.index("block: |")].strip("\n").split("\n")
BLOCK_SCALARS = SCALARS[SCALARS.index("block: |") :]


@pytest.mark.parametrize("line", ONE_LINE)
def test_each_scalar_kind_reads_the_same_or_goes_the_exact_way(line):
    text = f"{line}\n"
    try:
        fast = fast_load(text)
    except NotFast:
        return
    assert list(described(fast)) == list(described(exact(text))), line


@pytest.mark.parametrize("kind", ["mappings", "lists", "flow"])
def test_what_the_exact_loader_finds_too_deep_goes_its_way(kind):
    """33 mappings (or lists) one inside another: the line-keeping loader refuses them, so
    the fast path must not accept them."""
    if kind == "mappings":
        text = "".join(f"{'  ' * depth}k{depth}:\n" for depth in range(31)) + "  " * 31 + "b: {}\n"
    elif kind == "lists":
        text = "".join(f"{'  ' * depth}-\n" for depth in range(31)) + "  " * 31 + "- []\n"
    else:
        text = "- " + "[" * 32 + "]" * 32 + "\n"
    with pytest.raises(NotFast):
        fast_load(text)
    with pytest.raises(yaml.YAMLError):
        exact(text)


def test_block_scalars_read_the_same_on_the_fast_path():
    assert list(described(fast_load(BLOCK_SCALARS))) == list(described(exact(BLOCK_SCALARS)))


@pytest.mark.parametrize("text", RISKY)
def test_what_yaml_1_1_and_1_2_read_differently_goes_the_exact_way(text):
    with pytest.raises(NotFast):
        fast_load(text + "\n")


def test_a_quoted_year_stays_on_the_fast_path_and_a_string():
    text = "- id: a\n  date: '2022'\n  other: \"yes\"\n"
    assert fast_load(text)[0]["date"] == "2022" == exact(text)[0]["date"]


LAYOUTS = """\
# a comment
- id: first
  title: One line
  description: >-
    Folded text: with a colon, a dash
    - and a line that looks like an item
  note: plain text that
    continues here, still the note
  names:
    - Plain name
    - {name: Flow, kind: alias}
    - - nested
      - list
  claims: {date: {quote: "at: the start", assertion: inference}, place: here}
  evidence:
    - "a quote with # no comment"
    - 'it''s quoted'
  empty_list: []
  nothing:
  nested:
    deeper:
      value: 1
- id: second
  aliases: [a, 'b, c']
  literal: |
    line one

    line three
"""


def test_layouts_of_curated_files_give_the_same_lines_and_owners():
    assert list(described(fast_load(LAYOUTS))) == list(described(exact(LAYOUTS)))


def test_every_file_of_the_dataset_reads_the_same_both_ways():
    files = sorted(DATA.rglob("*.yml"))
    fast = 0
    for path in files:
        text = path.read_text(encoding="utf-8")
        try:
            loaded = fast_load(text)
        except NotFast:
            continue
        fast += 1
        assert list(described(loaded)) == list(described(exact(text))), path
    assert len(files) >= 8 and fast >= len(files) - 2  # the fast path is really taken


def test_a_synthetic_corpus_reads_the_same_both_ways_all_on_the_fast_path(tmp_path):
    from bench.generate import main as generate

    assert generate([str(tmp_path / "corpus"), "--articles", "5"]) in (0, None)
    files = sorted((tmp_path / "corpus").rglob("*.yml"))
    assert len(files) > 20
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert list(described(fast_load(text))) == list(described(exact(text))), path


def test_a_build_from_the_fast_path_has_the_rows_of_the_exact_one(tmp_path, monkeypatch):
    from article_dataset import build, fastyaml

    build(tmp_path / "fast.db", DATA)

    refused = []

    def refuse(text):
        refused.append(text)
        raise NotFast("exact, for the comparison")

    monkeypatch.setattr(fastyaml, "fast_load", refuse)
    build(tmp_path / "exact.db", DATA)
    assert len(refused) >= len(list(DATA.rglob("*.yml")))  # every file went the exact way
    fast, slow = (sqlite3.connect(tmp_path / name) for name in ("fast.db", "exact.db"))
    tables = [row[0] for row in fast.execute("select name from sqlite_master where type='table'")]
    compared = 0
    for table in tables:
        if table.startswith("_") or "_fts" in table:
            continue
        query = f"select * from [{table}] order by 1, 2"
        assert fast.execute(query).fetchall() == slow.execute(query).fetchall(), table
        compared += 1
    assert compared >= 15


@pytest.mark.parametrize("text", FOUND_BY_REVIEW)
def test_what_review_found_reads_the_same_or_goes_the_exact_way(text):
    try:
        fast = fast_load(text)
    except NotFast:
        return
    assert list(described(fast)) == list(described(exact(text)))
