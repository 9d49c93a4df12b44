"""The fast path for valid curated files: yaml-rs for the values, a line scanner for the lines.

read_yaml (load.py) tries it first. It gives what the line-keeping loader gives — the same
values, and Located/LocatedList with the same line, key_lines, item_lines and owner — or
raises NotFast, and the file goes through the line-keeping loader (PyYAML's), which stays the
reference: it reads YAML 1.1 and locates every error. The fast path refuses, so that nothing
it returns can differ:

- any scalar where YAML 1.1 and YAML 1.2 may disagree (yaml-rs reads 1.2): a string that
  YAML 1.1 would read as something else had it been plain (yes, no, on, off, y, n, 1:30, =,
  <<), numbers written 017, 08, 0o17, 0b1, 0x1f, 1e5, +5 or 1_000, numbers that are not
  finite, and a plain key that YAML 1.1 would read as anything but a string;
- anchors, aliases, tags, directives, several documents, complex keys (?), tabs in the
  indentation, characters PyYAML does not accept, a mapping or list inside MAX_DEPTH others;
- flow collections over several lines ({...} or [...] not closed on their line), whose keys
  the scanner cannot place;
- any pairing of the scanned keys and list items with the parsed mappings and lists that does
  not match name for name and indent for indent.
Scanning is cheap where parsing in Python is not: one pass over the lines, then a walk over
the containers (not every scalar).
"""

from __future__ import annotations

import math
import re

import yaml
import yaml_rs

from .load import MAX_DEPTH, Located, LocatedList, _Loader, own

# Anchors, aliases and tags (checked where they start a node), directives, document markers
# and complex keys: the parser must see them alone.
_NODE_PROPERTY = re.compile(r"[&*!]\S")
_COMPLEX_KEY = re.compile(r"^[ ]*\? ", re.MULTILINE)
# PyYAML's reader refuses these characters (yaml.reader.Reader.NON_PRINTABLE).
_NON_PRINTABLE = yaml.reader.Reader.NON_PRINTABLE
_KEY = re.compile(
    r"""((?:[^\s'"#:{}\[\],&*!|>%@`?-][^:#]*?)|'(?:[^']|'')*'|"(?:[^"\\]|\\.)*")[ ]*:(?:\s|$)"""
)
_SCALAR_START = frozenset("&*!")
# Line breaks of YAML 1.1 that YAML 1.2 reads as text (NEL, LS, PS), a byte-order mark, and
# escaped halves of surrogate pairs, which the two parsers treat differently.
_ODD = re.compile("[\x85\u2028\u2029\ufeff]|\\\\u[dD][89abAB89a-fA-F]")
_BLOCK_HEADER = re.compile(r"[|>][-+0-9]*[ \t]*(?:#.*)?$")
# In a file that holds a number, every plain token that looks like one must be written as
# both versions read it alike (38, -7, 9.5, .5), or be a token YAML 1.2 does not read as a
# number: 017, 08, 0o17, 1e5, +5, 1_000, -.5 send the file the exact way.
_PLAIN_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]*)?|\.[0-9]+")
_NUMBER_LIKE = re.compile(
    r"(?<![^\s\[{,:])[-+]?[._0-9][0-9a-zA-Z._+:-]*(?=[ ]*(?:$|[,\]}#]))", re.MULTILINE
)


class NotFast(Exception):
    """This file goes through the line-keeping loader."""


def fast_load(text: str):
    """The file's data as the line-keeping loader makes it, or NotFast."""
    if (
        text.startswith(("---", "...", "%"))
        or "\n---" in text
        or "\n..." in text
        or "\n%" in text
        or ("? " in text and _COMPLEX_KEY.search(text))
        or any(
            m.start() == 0 or text[m.start() - 1] in " \t\n[{,"
            for m in _NODE_PROPERTY.finditer(text)
        )
        or _NON_PRINTABLE.search(text)
        or ((not text.isascii() or "\\u" in text) and _ODD.search(text))
    ):
        raise NotFast("outside the subset read the same by YAML 1.1 and 1.2")
    try:
        data = yaml_rs.loads(text, parse_datetime=False)
    except Exception as error:  # every mistake is reported by the line-keeping loader
        raise NotFast(str(error)) from None
    if not isinstance(data, (dict, list)):
        raise NotFast("a file that is not a mapping or a list")
    walker = _Walker(_scan(text))
    result = walker.value(data, 1, 0, 0)
    if walker.position != len(walker.tokens):
        raise NotFast("scanned keys or items left over")
    if walker.numbers:
        for found in _NUMBER_LIKE.finditer(text):
            token = found.group(0)
            if _PLAIN_NUMBER.fullmatch(token):
                continue
            try:
                read = yaml_rs.loads("- " + token)
            except Exception:
                continue
            if read and type(read[0]) in (int, float):
                raise NotFast("a number YAML 1.1 and 1.2 may read differently")
    for suspect in walker.suspects:  # quoted, it is a string in both; plain, it is not
        plain = rf"(?<![^\s\[{{,]){re.escape(suspect)}(?=[ ]*(?:$|[,\]}}#]))"
        if re.search(plain, text, re.MULTILINE):
            raise NotFast(f"{suspect!r}, written plain, is not a string in YAML 1.1")
    return result


def _scan(text: str) -> list[tuple]:
    """In document order: ('item', indent, dash line, node line), ('key', indent, name,
    line) and ('flow', indent, line) where a one-line flow collection starts. A node starts
    on its dash's line, or on the next deeper line when only a comment follows the dash."""
    tokens: list[tuple] = []
    add, match_key, key_name = tokens.append, _KEY.match, _KEY_NAMES.get
    continued_deeper_than = None  # lines deeper than this continue the last scalar
    pending = None
    lines = text.split("\n")
    header = None
    for number, line in enumerate(lines, 1):
        stripped = line.lstrip(" ")
        if stripped[:1] == "\t":
            raise NotFast("a tab in the indentation")
        if not stripped or stripped[0] == "#":
            continue
        indent = len(line) - len(stripped)
        if continued_deeper_than is not None:
            if indent > continued_deeper_than:
                continue
            continued_deeper_than = None
        if pending is not None:
            if indent > tokens[pending][1]:
                tokens[pending] = (*tokens[pending][:3], number)
            pending = None
        rest, column, dash = stripped, indent, None
        while rest[:1] == "-" and (rest == "-" or rest[1] == " "):
            add(("item", column, number, number))
            after = rest[2:].lstrip(" ")
            if after[:1] == "\t":
                raise NotFast("a tab after a dash")
            dash, column = column, column + len(rest) - len(after)
            rest = after
        if not rest or (dash is not None and rest[0] == "#"):
            if dash is not None:
                pending = len(tokens) - 1
            continue
        key = match_key(rest)
        if key:
            written = key.group(1)
            add(("key", column, key_name(written) or _key_name(written), number))
            value = rest[key.end() :].strip()
            if not value or value[0] == "#":
                continue  # a block mapping or list follows
        else:
            value = rest
        if value[0] in _SCALAR_START:
            raise NotFast("an anchor, alias or tag")
        if value[0] in "{[":
            if not _closed(value):
                raise NotFast("a flow collection over several lines")
            add(("flow", column, number))
        if value[0] in "|>" and _BLOCK_HEADER.match(value):
            header = number
        # A scalar (or a one-line flow collection): deeper lines continue it (deeper than its
        # key, its item's dash, or, a value on a line of its own, from its own indent on).
        continued_deeper_than = column if key else dash if dash is not None else column - 1
    if header is not None and (not text.endswith("\n") or not "".join(lines[header:]).strip()):
        raise NotFast("a block scalar at the end of the file")
    return tokens


_KEY_NAMES: dict[str, str] = {}  # as written -> the name; keys repeat in every record


def _key_name(written: str) -> str:
    if written[0] == "'":
        name = written[1:-1].replace("''", "'")
    elif written[0] == '"':
        try:
            name = yaml_rs.loads(f"k: {written}")["k"]
        except Exception:
            raise NotFast("a key the scanner cannot read") from None
    else:
        name = written.rstrip()
        if _typed_by_yaml_1_1(name):
            raise NotFast(f"the key {name!r} is not a string in YAML 1.1")
    if name and len(_KEY_NAMES) < 10_000:
        _KEY_NAMES[written] = name
    return name


_TYPED: dict[str, bool] = {}
_TYPED_FIRST = _Loader._typed_first_characters - {""}


def _typed_by_yaml_1_1(plain: str) -> bool:
    """Whether the line-keeping loader would read this, written plain, as anything but a
    string (its resolvers: YAML 1.1's, dates kept as strings)."""
    typed = _TYPED.get(plain)
    if typed is None:
        resolvers = _Loader.yaml_implicit_resolvers.get(plain[:1], [])
        typed = any(regexp.match(plain) for _, regexp in resolvers)
        if len(_TYPED) < 50_000:  # a bound: values repeat, but a corpus has many
            _TYPED[plain] = typed
    return typed


def _closed(flow: str) -> bool:
    """Whether the flow collection that starts the text ends on this line."""
    depth, quote, index = 0, None, 0
    start = False
    while index < len(flow):
        character = flow[index]
        if start and not quote:
            if character == " ":
                index += 1
                continue
            start = False
            if character in "?|>:%@`" or (
                character == "-" and flow[index + 1 : index + 2] in (" ", ",", "]", "}", "")
            ):
                raise NotFast("an indicator starting a flow node")
        if not quote and character == ":" and flow[index + 1 : index + 2] in (",", "]", "}", ""):
            raise NotFast("a colon ending a flow node")
        if not quote and (
            character in "[{," or (character == ":" and flow[index + 1 : index + 2] == " ")
        ):
            start = True
        if quote:
            if character == quote:
                if quote == "'" and flow[index + 1 : index + 2] == "'":
                    index += 1
                else:
                    quote = None
            elif character == "\\" and quote == '"':
                index += 1
        elif character in "'\"":
            quote = character
        elif character in "{[":
            depth += 1
        elif character in "}]":
            depth -= 1
        elif character == "#" and flow[index - 1 : index] in (" ", "\t"):
            break
        index += 1
    return depth == 0 and quote is None


class _Walker:
    """Pairs the scanned tokens with the parsed containers, in document order."""

    def __init__(self, tokens: list[tuple]):
        self.tokens, self.position = tokens, 0
        self.numbers = False  # whether the file holds a number (see _NUMBER_LIKE)
        self.suspects: set[str] = set()  # strings YAML 1.1 would type, had they been plain

    def scalar(self, value):
        """A scalar, noted for the checks fast_load makes after the walk (no deeper than its
        container, which was checked)."""
        kind = type(value)
        if kind is str:
            # _may_be_typed's first test, inline: most strings stop here, without a call.
            if value and value[0] in _TYPED_FIRST and _may_be_typed(value):
                self.suspects.add(value)
        elif kind is int or kind is float:
            self.numbers = True
            if kind is float and not math.isfinite(value):
                raise NotFast("a number that is not finite")
        return value

    def value(self, data, line: int, indent: int, depth: int):
        """A mapping or a list, in block style (its keys or items scanned) or in flow style."""
        _within_depth(depth)
        token = self.tokens[self.position] if self.position < len(self.tokens) else None
        if isinstance(data, dict):
            first = next(iter(data), None)
            if (
                token is not None
                and token[0] == "key"
                and token[1] >= indent
                and token[2] == first
                and token[3] >= line
            ):
                return self._block_mapping(data, depth)
        elif data and token is not None and token[0] == "item" and token[1] >= indent - 2:
            return self._block_list(data, token[1], depth)
        return self._flow_token(data, line, depth, token)

    def _flow_token(self, data, line, depth, token):
        if token is None or token[0] != "flow" or token[2] < line:
            raise NotFast("a collection the scanner did not see")
        self.position += 1
        return self.flow(data, token[2], depth)

    # The two loops below run for every key and item of a corpus: scalars, most values, are
    # checked in place rather than through value(), and the position is kept in a local.
    def _block_mapping(self, data: dict, depth: int) -> Located:
        tokens, position = self.tokens, self.position
        end, deeper = len(tokens), depth + 1
        first = tokens[position]
        mapping, indent = Located(), first[1]
        mapping.line, key_lines = first[3], {}
        mapping.key_lines = key_lines
        for key, item in data.items():
            token = tokens[position] if position < end else None
            if token is None or token[0] != "key" or token[1] != indent or token[2] != key:
                raise NotFast("a key does not match what was scanned")
            position += 1
            line = key_lines[key] = token[3]
            kind = type(item)
            if kind is dict or kind is list:
                self.position = position
                item = self.value(item, line, indent + 1, deeper)
                position = self.position
                own(mapping, item)
            else:
                self.scalar(item)
            mapping[key] = item
        self.position = position
        return mapping

    def _block_list(self, data: list, indent: int, depth: int) -> LocatedList:
        tokens, position = self.tokens, self.position
        end, deeper = len(tokens), depth + 1
        items = LocatedList()
        items.line, item_lines = tokens[position][2], []
        items.item_lines = item_lines
        for item in data:
            token = tokens[position] if position < end else None
            if token is None or token[0] != "item" or token[1] != indent:
                raise NotFast("a list item does not match what was scanned")
            position += 1
            line = token[3]
            item_lines.append(line)
            kind = type(item)
            if kind is dict or kind is list:
                self.position = position
                item = self.value(item, line, indent + 2, deeper)
                position = self.position
            else:
                self.scalar(item)
            items.append(item)
        self.position = position
        return items

    def flow(self, data, line: int, depth: int = 0):
        """A collection written on one line: everything in it is on that line."""
        if isinstance(data, dict):
            _within_depth(depth)
            mapping = Located()
            mapping.line, mapping.key_lines = line, {}
            for key, item in data.items():
                if not isinstance(key, str) or _may_be_typed(key):
                    raise NotFast("a key that YAML 1.1 may not read as a name")
                mapping.key_lines[key] = line
                value = self.flow(item, line, depth + 1)
                own(mapping, value)
                mapping[key] = value
            return mapping
        if isinstance(data, list):
            _within_depth(depth)
            items = LocatedList(self.flow(item, line, depth + 1) for item in data)
            items.line, items.item_lines = line, [line] * len(data)
            return items
        return self.scalar(data)


def _within_depth(depth: int) -> None:
    """A mapping or list inside MAX_DEPTH others (of any kind) goes the line-keeping loader's
    way, which refuses one nested that deep inside others of its kind."""
    if depth >= MAX_DEPTH:
        raise NotFast("nested deeper than the build allows")


# A string that YAML 1.1 would read as another type had it been written plain (yes, 1:30, =):
# whether it was quoted, only the line-keeping loader can tell.
_LONGEST_TYPED = 32


def _may_be_typed(text: str) -> bool:
    return (
        bool(text)
        and (len(text) <= _LONGEST_TYPED or ":" in text)
        and text[0] in _TYPED_FIRST
        and _typed_by_yaml_1_1(text)
    )
