"""Input validation: a JSON Schema derived from the table declarations, errors mapped to lines."""

from __future__ import annotations

import difflib
import re

import fastjsonschema

from .load import MAX_VALUE_BYTES, SourceFile
from .problems import Problems
from .schema import ASSERTIONS, SLUG_PATTERN, Column, Number, Table, whole

JSON_TYPES = {str: "string", int: "integer", float: "number", bool: "boolean", Number: "number"}

# Text holds a word: "" and "   " are no names, titles or statements.
NON_BLANK = r"\S"
# A quote is the article's words exactly: no space around them, which no sentence has.
QUOTE_TEXT = whole(r"\S(?:[\s\S]*\S)?")
# Characters of one text value: at most four bytes each in UTF-8, so within what the server holds.
MAX_TEXT_CHARACTERS = MAX_VALUE_BYTES // 4
QUOTE = {"type": "string", "minLength": 1, "maxLength": MAX_TEXT_CHARACTERS, "pattern": QUOTE_TEXT}
TEXT = {"type": "string", "maxLength": MAX_TEXT_CHARACTERS, "pattern": NON_BLANK}
QUOTES = {"type": "array", "minItems": 1, "items": QUOTE}
# What SQLite's INTEGER holds; a larger number would end the build with OverflowError.
INTEGER_RANGE = (-(2**63), 2**63 - 1)
QUOTES_BY_ARTICLE = {
    "type": "object",
    "minProperties": 1,
    "propertyNames": {"pattern": SLUG_PATTERN},
    "additionalProperties": QUOTES,
}


def column_schema(column: Column) -> dict:
    schema: dict = {"type": JSON_TYPES[column.type]}
    if column.vocab:
        schema["enum"] = list(column.vocab)
    elif column.type is str:
        schema["pattern"] = SLUG_PATTERN if column.references else column.pattern or NON_BLANK
        schema["maxLength"] = MAX_TEXT_CHARACTERS
    if column.type in (int, Number):
        low, high = INTEGER_RANGE
        schema["minimum"] = low if column.minimum is None else column.minimum
        schema["maximum"] = high if column.maximum is None else column.maximum
    elif column.type is float and column.minimum is not None:
        schema["minimum"], schema["maximum"] = column.minimum, column.maximum
    if not column.required:
        schema = {"anyOf": [schema, {"type": "null"}]}
    return schema


# One quote or several, chosen by type so that an error comes from the form written.
QUOTE_OR_QUOTES = {"if": {"type": "array"}, "then": QUOTES, "else": QUOTE}
# How a curator backs one value: a quote, quotes, or a mapping that may also say who asserts
# it, or why no sentence does (claims).
CLAIM_SPEC = {
    "if": {"type": "object"},
    "then": {
        "type": "object",
        "properties": {
            "quote": QUOTE_OR_QUOTES,
            "asserted_by": {"type": "string", "pattern": SLUG_PATTERN},
            "assertion": {"enum": list(ASSERTIONS)},
            "note": TEXT,
            "waived": TEXT,
        },
        "additionalProperties": False,
        "minProperties": 1,
    },
    "else": QUOTE_OR_QUOTES,
}


def claims_schema(table: Table) -> dict:
    """`claims:` of a record: support for its values, by field."""
    keys = [column.yaml_key for column in table.input_columns if column.claim]
    return {
        "type": "object",
        "propertyNames": {"enum": keys},
        "additionalProperties": CLAIM_SPEC,
    }


def record_schema(table: Table, nested: dict | None = None, required=("evidence",)) -> dict:
    """The schema of one curated record: the table's input columns plus nested lists, and
    the support for its values (`claims:` by field, or `claim:` in an item of a list)."""
    properties = {c.yaml_key: column_schema(c) for c in table.input_columns}
    if table.part_of and any(c.claim for c in table.columns):
        properties["claim"] = CLAIM_SPEC
    elif any(c.claim for c in table.input_columns):
        properties["claims"] = claims_schema(table)
    properties.update(nested or {})
    return {
        "type": "object",
        "properties": properties,
        "required": [c.yaml_key for c in table.input_columns if c.required] + list(required),
        "additionalProperties": False,
    }


def list_of(item_schema: dict) -> dict:
    return {"type": "array", "items": item_schema}


_FAST_VALIDATORS: dict[int, object] = {}  # by id(): the schemas are module constants


def fast_validator(schema: dict):
    if id(schema) not in _FAST_VALIDATORS:
        _FAST_VALIDATORS[id(schema)] = fastjsonschema.compile(schema)
    return _FAST_VALIDATORS[id(schema)]


def validate(source: SourceFile, schema: dict, problems: Problems) -> bool:
    """Report every schema error of a file at its line; True if there were none.

    fastjsonschema (generated code, ~20x faster) answers for valid files; only a file it
    rejects goes through jsonschema, which lists every error with its path for the lines."""
    try:
        fast_validator(schema)(source.data)
        return True
    except fastjsonschema.JsonSchemaException:
        pass
    from jsonschema import Draft202012Validator  # only on the error path: a slow import

    errors = sorted(
        Draft202012Validator(schema).iter_errors(source.data), key=lambda e: list(e.absolute_path)
    )
    for error in errors:
        _report(source, error, problems)
    return not errors


def _report(source: SourceFile, error, problems: Problems) -> None:
    path = list(error.absolute_path)
    node, parent, record = source.data, None, None
    for step in path:
        parent = node
        if isinstance(node, dict) and "id" in node:
            record = node
        node = node[step]
    if isinstance(node, dict) and "id" in node:
        record = node
    # An item of a list is reported under the list's field (evidence, actors, ...).
    field = next((step for step in reversed(path) if isinstance(step, str)), None)
    if error.validator == "required":
        field = _missing(error, node)
    holder = node if isinstance(node, dict) else parent if isinstance(parent, dict) else None
    line = _line(holder, field, node) or _item_line(parent, path)
    record_id = record.get("id") if isinstance(record, dict) else None
    message = _message(error, node)
    if error.validator == "additionalProperties" and isinstance(node, dict):
        allowed = list(error.schema.get("properties", {}))
        for key in sorted(set(node) - set(allowed), key=str):
            hint = difflib.get_close_matches(str(key), allowed, n=1)
            suggestion = f"; did you mean '{hint[0]}'?" if hint else ""
            problems.add(
                source.display,
                node.key_lines.get(key, node.line),
                f"unknown field '{key}'{suggestion} (allowed: {', '.join(allowed)})",
                record=_slug(record_id),
                field=str(key),
            )
        return
    problems.add(source.display, line, message, record=_slug(record_id), field=field)


def _line(holder, field, node) -> int:
    if holder is not None and field is not None and field in getattr(holder, "key_lines", {}):
        return holder.key_lines[field]
    return getattr(node, "line", 0) or getattr(holder, "line", 0)


def _item_line(parent, path) -> int:
    """The line of a list item that carries none itself (a string where a mapping belongs)."""
    lines = getattr(parent, "item_lines", [])
    return lines[path[-1]] if path and isinstance(path[-1], int) and path[-1] < len(lines) else 0


def _missing(error, node) -> str | None:
    """The required field that a 'required' error is about."""
    missing = [key for key in error.validator_value if key not in node]
    return next((key for key in missing if error.message.startswith(repr(key))), None)


def _message(error, node) -> str:
    validator = error.validator
    if validator in ("enum", "pattern", "type") and not isinstance(error.instance, dict | list):
        node = error.instance  # the value itself: a key of a mapping has no node of its own
    if validator == "required":
        return error.message.replace("is a required property", "is required but missing")
    if validator == "enum":
        allowed = ", ".join(map(str, error.validator_value))
        return f"{_show(node)} is not allowed; expected one of: {allowed}"
    if isinstance(node, int) and not INTEGER_RANGE[0] <= node <= INTEGER_RANGE[1]:
        return f"{node} is too large: a whole number here goes up to {INTEGER_RANGE[1]:,}"
    if isinstance(node, str) and len(node) > MAX_TEXT_CHARACTERS:
        return (
            f"{_show(node)} is {len(node):,} characters long; a text holds at most "
            f"{MAX_TEXT_CHARACTERS:,} (the published server refuses longer values)"
        )
    if validator == "anyOf":
        options = [s for s in error.validator_value if s.get("type") != "null"]
        expected = _describe(options[0]) if options else "a value"
        return f"{_show(node)} is not valid; expected {expected} or nothing"
    if validator == "pattern" and error.validator_value == NON_BLANK:
        return f"{_show(node)} is blank: write the text, or leave the field out"
    if validator == "pattern" and error.validator_value == QUOTE_TEXT:
        return (
            f"{_show(node)} has spaces at its start or end: a quote is the article's words, "
            "character for character"
        )
    if validator == "pattern":
        shown = shown_pattern(error.validator_value)
        return f"{_show(node)} does not match the required format {shown}"
    if validator == "type":
        return f"{_show(node)} is not {_article(error.validator_value)}"
    if validator in ("minItems", "minProperties", "minLength"):
        return f"{_show(node)} is empty; give at least one"
    if validator == "minimum":
        return f"{_show(node)} is less than {error.validator_value}"
    if validator == "maximum":
        return f"{_show(node)} is more than {error.validator_value}"
    return error.message


def shown_pattern(pattern: str) -> str:
    """A pattern as a reader knows it: ^...$, not the spelling that refuses a final newline."""
    match = re.fullmatch(r"\^\(\?:(.*)\)\(\?!\[\\s\\S\]\)", pattern)
    return f"^{match.group(1)}$" if match else pattern


def _describe(schema: dict) -> str:
    if "enum" in schema:
        return "one of: " + ", ".join(map(str, schema["enum"]))
    text = _article(schema.get("type", "value"))
    if "pattern" in schema:
        text += f" matching {shown_pattern(schema['pattern'])}"
    if schema.get("minimum", INTEGER_RANGE[0]) != INTEGER_RANGE[0]:
        text += f" of at least {schema['minimum']}"
    if schema.get("maximum", INTEGER_RANGE[1]) != INTEGER_RANGE[1]:
        text += f" and at most {schema['maximum']}"
    return text


def _article(json_type) -> str:
    return {"integer": "an integer", "object": "a mapping", "array": "a list"}.get(
        json_type, f"a {json_type}"
    )


def _show(value, limit: int = 60) -> str:
    """A value as written in a message, shortened: a whole record is no help there."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _slug(value):
    return value if isinstance(value, str) else None
