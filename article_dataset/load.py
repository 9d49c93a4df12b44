"""Reading the curated YAML: every mapping remembers the lines of its keys for error messages."""

from __future__ import annotations

import hashlib
import math
import os
from dataclasses import dataclass
from pathlib import Path

import yaml

from .problems import Problems

# A hand-curated file this large is a mistake (a pasted dump), not a record set.
MAX_FILE_BYTES = 5_000_000
# The longest value the published server holds (site/guard.py MAX_VALUE_BYTES, which a test
# keeps equal): an article's text is one value (250 KB: some 40,000 words), and so is any text
# field of a record.
MAX_VALUE_BYTES = 250_000
# Records nest a few levels (a case, its penalties, their claims); a thousand is an attack, and
# would exhaust Python's stack.
MAX_DEPTH = 32

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class Located(dict):
    """A YAML mapping with the line of the mapping and of each key (1-based).

    owner is the mapping that holds it (directly or in a list), so that a problem with a
    nested entry (a name, an event's actor) can name the record it belongs to."""

    line = 0
    key_lines: dict
    owner = None


class LocatedList(list):
    """A YAML sequence with its line and the line of each item."""

    line = 0
    item_lines: list


def own(mapping: Located, value) -> None:
    """A mapping owns the mappings in its values, directly or as items of a list."""
    for child in value if isinstance(value, LocatedList) else (value,):
        if isinstance(child, Located):
            child.owner = mapping


class _BadValue(yaml.MarkedYAMLError):
    """YAML the build cannot use (a duplicate key, a list as a key, .nan); names the record
    and field it is in."""

    record = None
    field = None


_STR = yaml.resolver.BaseResolver.DEFAULT_SCALAR_TAG


class _Loader(_BaseLoader):
    """PyYAML's safe loader with shortcuts for what curated files are made of, strings: they
    are most of the nodes, and the generic machinery costs more than parsing them in C."""

    # Set per file: whether it has an "&" at all. An alias (*name) needs an anchor (&name),
    # so a file without one has none, and its nodes need not be tracked.
    anchored = False

    def construct_object(self, node, deep=False):
        if self.anchored:
            self._refuse_alias(node)
        if node.__class__ is yaml.ScalarNode and node.tag == _STR:
            return node.value  # what construct_yaml_str returns, without the bookkeeping
        return super().construct_object(node, deep)

    def _refuse_alias(self, node) -> None:
        """A node met a second time is an alias of an anchor: a few bytes of nested aliases
        unfold into billions of items, and curated data needs none."""
        seen = self.__dict__.setdefault("seen_nodes", set())
        if node in seen:
            problem = "found an alias (*name) of an anchor (&name): write the value out instead"
            raise _bad_value(self, problem, node, field=None)
        seen.add(node)

    def resolve(self, kind, value, implicit):
        # Only a plain scalar whose first character starts some implicit type (null, bool,
        # int, float, ...) needs the regular expressions; with no path resolvers declared,
        # everything else gets the default tag of its kind.
        if kind is yaml.ScalarNode:
            if implicit[0] and value[:1] in self._typed_first_characters:
                return super().resolve(kind, value, implicit)
            return _STR
        return super().resolve(kind, value, implicit)


def _construct_mapping(loader, node):
    mapping = Located()
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = {}
    open_mappings = loader.__dict__.setdefault("open_mappings", [])
    if len(open_mappings) >= MAX_DEPTH:
        problem = f"found mappings nested more than {MAX_DEPTH} deep; curated records are flat"
        raise _bad_value(loader, problem, node, field=None)
    open_mappings.append(mapping)
    try:
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            try:
                hash(key)
            except TypeError:
                problem = "found a list or mapping as a key; a key must be a plain name"
                raise _bad_value(loader, problem, key_node, node, field=None) from None
            if not isinstance(key, str):
                problem = f"found the key {key_node.value}, which is not a name: quote it"
                raise _bad_value(loader, problem, key_node, node, field=None)
            if key in mapping:
                problem = f"found duplicate key {key!r} (first on line {mapping.key_lines[key]})"
                raise _bad_value(loader, problem, key_node, node, field=key)
            mapping.key_lines[key] = key_node.start_mark.line + 1
            value = loader.construct_object(value_node, deep=True)
            own(mapping, value)
            mapping[key] = value
    finally:
        open_mappings.pop()
    return mapping


def _bad_value(loader, problem, node, mapping_node=None, field="") -> _BadValue:
    """The error for a node inside the mappings being read: the record is the innermost one
    with an id, the field (unless given) the key read last in the innermost mapping."""
    error = _BadValue(
        "while reading a mapping" if mapping_node else None,
        mapping_node.start_mark if mapping_node else None,
        problem,
        node.start_mark,
    )
    open_mappings = loader.__dict__.get("open_mappings", [])
    ids = [m["id"] for m in reversed(open_mappings) if isinstance(m.get("id"), str)]
    error.record = ids[0] if ids else None
    if field == "":
        keys = list(open_mappings[-1].key_lines) if open_mappings else []
        field = keys[-1] if keys else None
    error.field = field if isinstance(field, str) else None
    return error


def _construct_sequence(loader, node):
    depth = loader.__dict__.get("sequence_depth", 0)
    if depth >= MAX_DEPTH:
        problem = f"found lists nested more than {MAX_DEPTH} deep; curated records are flat"
        raise _bad_value(loader, problem, node, field=None)
    loader.sequence_depth = depth + 1
    try:
        items = LocatedList(loader.construct_object(child, deep=True) for child in node.value)
    finally:
        loader.sequence_depth = depth
    items.line = node.start_mark.line + 1
    items.item_lines = [child.start_mark.line + 1 for child in node.value]
    return items


def _construct_float(loader, node):
    value = loader.construct_yaml_float(node)
    if not math.isfinite(value):
        raise _bad_value(loader, f"found {node.value!r}, which is not a finite number", node)
    return value


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
_Loader.add_constructor("tag:yaml.org,2002:float", _construct_float)
# Dates stay strings: the build reads their precision from how much of them is written.
_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}
_Loader._typed_first_characters = frozenset(_Loader.yaml_implicit_resolvers)
assert None not in _Loader.yaml_implicit_resolvers and not _Loader.yaml_path_resolvers


@dataclass
class SourceFile:
    """One input file: where it is, how to name it in messages, what it holds."""

    path: Path
    display: str
    data: object = None
    relative: str = ""  # path under data/, as rows record it
    fast: bool = False  # read by the fast path: a problem found in it is read again exactly


def read_text(
    path: Path,
    display: str,
    problems: Problems,
    digests: dict | None = None,
    limit: int = MAX_FILE_BYTES,
) -> str | None:
    """A file's text, or None after reporting why it cannot be used (size over `limit`, BOM,
    encoding). With `digests`, the SHA-256 of the bytes read is recorded under the path."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        reason = error.strerror or str(error)
        if path.is_symlink() and not path.exists():
            reason = f"it is a symbolic link to {os.readlink(path)}, which does not exist"
        problems.add(display, 0, f"cannot be read: {reason}")
        return None
    if digests is not None:
        digests[path] = hashlib.sha256(raw).hexdigest()
    if len(raw) > limit:
        problems.add(display, 0, f"file is {len(raw):,} bytes; the limit is {limit:,}")
        return None
    if raw.startswith(b"\xef\xbb\xbf"):
        problems.add(
            display, 1, "file starts with a byte-order mark (BOM); save it as UTF-8 without BOM"
        )
        return None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        problems.add(display, line, f"not UTF-8: byte {raw[error.start]:#04x} cannot be decoded")
        return None


def exact_load(text: str):
    """The data of a YAML text with every mapping's and list's lines (PyYAML's parser; its
    errors raised as they are): the reference the fast path must match."""
    loader = _Loader(text)  # a SafeLoader subclass: no arbitrary objects
    loader.anchored = "&" in text
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


def read_yaml(
    path: Path, display: str, problems: Problems, digests: dict | None = None, exact=False
) -> SourceFile:
    """The file's data, every mapping and list with its lines. Valid files are read by the
    fast path (fastyaml.py), which gives the same data and lines or declines; `exact` reads
    with the line-keeping loader alone, as every located error is reported."""
    source = SourceFile(path, display)
    text = read_text(path, display, problems, digests)
    if text is None:
        return source
    if "\r" in text:
        line = text[: text.index("\r")].count("\n") + 1
        problems.add(display, line, "Windows (CRLF) or CR line ending; use LF line endings")
        return source
    if not text.strip():
        problems.add(display, 0, "file is empty")
        return source
    if not exact:
        from .fastyaml import NotFast, fast_load

        try:
            source.data, source.fast = fast_load(text), True
        except NotFast:
            pass
        else:
            return source
    try:
        source.data = exact_load(text)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        context = error.context
        if context and error.context_mark and mark and error.context_mark.line != mark.line:
            context += f" started on line {error.context_mark.line + 1},"
        message = " ".join(str(part) for part in (context, error.problem) if part)
        if "tab character" in str(error.problem) or (mark and _indented_with_tab(text, mark.line)):
            message += " (tabs are not allowed for indentation; use spaces)"
        problems.add(
            display,
            mark.line + 1 if mark else 0,
            f"invalid YAML: {message}",
            record=getattr(error, "record", None),
            field=getattr(error, "field", None),
        )
        return source
    except yaml.reader.ReaderError as error:
        # The C reader counts bytes, not characters: find the first such character instead.
        character = chr(error.character) if isinstance(error.character, int) else None
        position = text.find(character) if character else -1
        line = text[:position].count("\n") + 1 if position >= 0 else 0
        what = f" #x{error.character:04x}" if character else ""
        problems.add(display, line, f"invalid YAML: unacceptable character{what}: {error.reason}")
        return source
    except yaml.YAMLError as error:
        problems.add(display, 0, f"invalid YAML: {error}")
        return source
    except RecursionError:  # nesting that the parser itself could not follow
        problems.add(display, 0, f"invalid YAML: nested more than {MAX_DEPTH} deep")
        return source
    if source.data is None:
        problems.add(display, 0, "file is empty: it holds no data, only comments")
    return source


def _indented_with_tab(text: str, line_index: int) -> bool:
    """Whether the line (0-based) starts with whitespace holding a tab."""
    lines = text.split("\n")
    if not 0 <= line_index < len(lines):
        return False
    line = lines[line_index]
    return "\t" in line[: len(line) - len(line.lstrip(" \t"))]
