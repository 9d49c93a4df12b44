"""Problems found in the input, reported together with file, line, record and field."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    record: str | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        about = []
        if self.record:
            about.append(f"record '{_printable(self.record)}'")
        if self.field:
            about.append(f"field '{_printable(self.field)}'")
        subject = f" {', '.join(about)}:" if about else ""
        return f"{where}:{subject} {self.message}"


class BuildError(Exception):
    """The input is wrong; nothing was written."""

    def __init__(self, problems: list[Problem]):
        unique = dict.fromkeys(problems)
        self.problems = sorted(unique, key=lambda problem: (problem.path, problem.line))
        count = len(self.problems)
        heading = f"{count} problem{'s' if count != 1 else ''} in the input; article.db not written"
        super().__init__("\n".join([heading, *map(str, self.problems)]))


class Problems:
    """Collects problems so that one run reports all of them."""

    def __init__(self) -> None:
        self.items: list[Problem] = []

    def add(self, path, line, message, record=None, field=None) -> None:
        self.items.append(Problem(str(path), line or 0, record, field, message))

    def at(self, source, node, message, field=None, line=None) -> None:
        """A problem with a located record (a mapping from the YAML loader).

        A nested entry without an id of its own (a name, an event's actor, a waiver) is
        reported under the record that holds it."""
        line = line or getattr(node, "key_lines", {}).get(field) or getattr(node, "line", 0)
        record = node
        while isinstance(record, dict) and "id" not in record and getattr(record, "owner", None):
            record = record.owner
        record_id = record.get("id") if isinstance(record, dict) else None
        self.add(source.display, line, message, record=_text(record_id), field=field)

    def raise_if_any(self) -> None:
        if self.items:
            raise BuildError(self.items)


def _printable(text: str) -> str:
    """A name as written, with a newline or other control character shown as its escape."""
    return text if text.isprintable() else text.encode("unicode_escape").decode("ascii")


def _text(value):
    return value if isinstance(value, str) else None
