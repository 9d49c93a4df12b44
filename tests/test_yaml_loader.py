"""The loader's shortcuts for strings must give exactly what PyYAML's safe loader gives."""

import yaml

from article_dataset.load import _Loader

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
