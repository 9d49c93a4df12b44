"""Reading the curated YAML: every mapping remembers the lines of its keys for error messages."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from .problems import Problems

# A hand-curated file this large is a mistake (a pasted dump), not a record set.
MAX_FILE_BYTES = 5_000_000

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class Located(dict):
    """A YAML mapping with the line of the mapping and of each key (1-based)."""

    line = 0
    key_lines: dict


class LocatedList(list):
    line = 0


class _DuplicateKey(yaml.MarkedYAMLError):
    pass


class _Loader(_BaseLoader):
    pass


def _construct_mapping(loader, node):
    mapping = Located()
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in mapping:
            raise _DuplicateKey(
                "while reading a mapping",
                node.start_mark,
                f"found duplicate key {key!r}",
                key_node.start_mark,
            )
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.key_lines[key] = key_node.start_mark.line + 1
    return mapping


def _construct_sequence(loader, node):
    items = LocatedList(loader.construct_object(child, deep=True) for child in node.value)
    items.line = node.start_mark.line + 1
    return items


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
# Dates stay strings: the build reads their precision from how much of them is written.
_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}


@dataclass
class SourceFile:
    """One input file: where it is, how to name it in messages, what it holds."""

    path: Path
    display: str
    data: object = None


def read_yaml(path: Path, display: str, problems: Problems) -> SourceFile:
    source = SourceFile(path, display)
    raw = path.read_bytes()
    if len(raw) > MAX_FILE_BYTES:
        problems.add(display, 0, f"file is {len(raw):,} bytes; the limit is {MAX_FILE_BYTES:,}")
        return source
    if raw.startswith(b"\xef\xbb\xbf"):
        problems.add(
            display, 1, "file starts with a byte-order mark (BOM); save it as UTF-8 without BOM"
        )
        return source
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        problems.add(display, line, f"not UTF-8: byte {raw[error.start]:#04x} cannot be decoded")
        return source
    if "\r" in text:
        line = text[: text.index("\r")].count("\n") + 1
        problems.add(display, line, "Windows (CRLF) or CR line ending; use LF line endings")
        return source
    if not text.strip():
        problems.add(display, 0, "file is empty")
        return source
    try:
        source.data = yaml.load(text, Loader=_Loader)  # a SafeLoader subclass: no arbitrary objects
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        message = " ".join(str(part) for part in (error.context, error.problem) if part)
        if "\t" in text and "tab" in str(error.problem):
            message += " (tabs are not allowed for indentation; use spaces)"
        problems.add(display, mark.line + 1 if mark else 0, f"invalid YAML: {message}")
    except yaml.YAMLError as error:
        problems.add(display, 0, f"invalid YAML: {error}")
    return source
