"""Dates as uncertain as the article: EDTF (ISO 8601-2) strings and what SQL users need of them.

A date is written in EDTF: a plain ISO prefix (2023, 2023-08, 2023-08-24), or an uncertain
(2023-08-24?), approximate (2008~), set ({2022-10-10,2022-11-12}: both days;
[2022-10-10,2022-11-12]: one of them) or open (../2023-09-06: on or before) date or interval.
The build derives the earliest and latest day, the precision, the qualifier and the day the
timeline orders by. Plain prefixes are read here (they are most dates, and importing and
running the EDTF parser costs milliseconds each); everything else is parsed and validated by
the edtf package. A test checks that both readings agree on plain prefixes.
"""

from __future__ import annotations

import calendar
import datetime
import re
from functools import lru_cache
from typing import NamedTuple

from .schema import DATE_PRECISIONS, EDTF_PATTERN

PRECISION_BY_LENGTH = {4: "year", 7: "month", 10: "day"}
PLAIN = re.compile(r"\d{4}(?:-(?:0[1-9]|1[0-2])(?:-\d{2})?)?", re.ASCII)
# Checked before parsing, because the parser accepts a trailing newline and Python's \d
# matches any script's digits.
EDTF_CHARACTERS = re.compile(EDTF_PATTERN, re.ASCII)
DATE_TOKEN = re.compile(r"\d{4}(?:-\d{2}){0,2}", re.ASCII)
QUALIFIER_MARKS = re.compile(r"[?~%]")  # uncertain, approximate, both


class Reading(NamedTuple):
    """What a date means: the columns derived from it."""

    start: str | None  # earliest day; None when the date is open at its start (../)
    end: str | None  # latest day; None when open at its end (/..)
    precision: str
    qualifier: str | None  # uncertain, approximate, both
    sort: str  # the day the timeline orders it by


def _day(value: datetime.date | None) -> str | None:
    return None if value is None else value.isoformat()


def _midpoint(start: datetime.date, end: datetime.date) -> datetime.date:
    return start + (end - start) / 2


def _plain(value: str) -> Reading:
    parts = [int(part) for part in value.split("-")]
    year = parts[0]
    if len(parts) == 3:
        start = end = datetime.date(year, parts[1], parts[2])
    else:
        first, last = (parts[1], parts[1]) if len(parts) == 2 else (1, 12)
        start = datetime.date(year, first, 1)
        end = datetime.date(year, last, calendar.monthrange(year, last)[1])
    sort = _midpoint(start, end)
    return Reading(_day(start), _day(end), PRECISION_BY_LENGTH[len(value)], None, _day(sort))


def _precision(value: str) -> str:
    lengths = []
    # Qualifiers may stand inside a date (2004-06-~11): read its digits without them.
    for token in DATE_TOKEN.findall(QUALIFIER_MARKS.sub("", value)):
        parts = token.split("-")
        if len(parts) >= 2 and int(parts[1]) > 12:  # 21-41: seasons, quarters, halves
            lengths.append(5)
        else:
            lengths.append(len(token))
    finest = max(lengths, default=4)
    return "season" if finest == 5 else PRECISION_BY_LENGTH[finest]


def _qualifier(value: str) -> str | None:
    uncertain, approximate = "?" in value, "~" in value
    if "%" in value or (uncertain and approximate):
        return "both"
    return "uncertain" if uncertain else "approximate" if approximate else None


def _widen(day: datetime.date, precision: str, sign: int) -> datetime.date:
    """One unit of the precision further out: an approximate date may lie just beyond it."""
    if precision == "day":
        return day + datetime.timedelta(days=sign)
    months = {"month": 1, "season": 3, "year": 12}[precision] * sign
    month_index = day.year * 12 + day.month - 1 + months
    year, month = divmod(month_index, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    return datetime.date(year, month, last if sign > 0 else 1)


def _bound(parsed, name: str) -> datetime.date | None:
    """A bound of a parsed date; None where it is open (the parser gives +-inf, or fails)."""
    try:
        value = getattr(parsed, name)()
    except (TypeError, AttributeError, ValueError, OverflowError):
        return None
    if not hasattr(value, "tm_year"):
        return None
    return datetime.date(value.tm_year, value.tm_mon, value.tm_mday)


def _single(value: str, parsed) -> Reading | str:
    """A date that is neither an interval nor a set, with its qualifiers wherever they are."""
    start, end = _bound(parsed, "lower_strict"), _bound(parsed, "upper_strict")
    if start is None or end is None:
        return f"{value!r} gives no day at all"
    precision, qualifier = _precision(value), _qualifier(value)
    if qualifier in ("approximate", "both"):
        start, end = _widen(start, precision, -1), _widen(end, precision, +1)
    return Reading(_day(start), _day(end), precision, qualifier, _day(_midpoint(start, end)))


def _interval(value: str) -> Reading | str:
    """Each side read as a date of its own (its precision and qualifier widen it alone); the
    sort day of an interval open at one side is at the edge of its known part that faces the
    open side ("../2023-09-06" by September 6, "2022-02/.." after anything else in February)."""
    lower, _, upper = value.partition("/")
    sides = [None if side in ("", "..") else read_date(side) for side in (lower, upper)]
    for side in sides:
        if isinstance(side, str):
            return side
    low, high = sides
    if low is None and high is None:
        return f"{value!r} gives no day at all"
    start, end = low and low.start, high and high.end
    if start and end and start > end:
        return f"{value!r} starts after it ends"
    known = [side for side in sides if side]
    precision = max((side.precision for side in known), key=DATE_PRECISIONS.index)
    qualifiers = {side.qualifier for side in known} - {None}
    qualifier = "both" if len(qualifiers) > 1 else next(iter(qualifiers), None)
    if low is None:
        sort = high.start
    elif high is None:
        sort = low.end
    else:
        sort = _day(_midpoint(*(datetime.date.fromisoformat(day) for day in (start, end))))
    return Reading(start, end, precision, qualifier, sort)


def _edtf(value: str) -> Reading | str:
    from edtf import parse_edtf  # only dates that are not plain prefixes need the parser
    from edtf.parser.edtf_exceptions import EDTFParseException

    try:
        parsed = parse_edtf(value)
    except (EDTFParseException, ValueError, OverflowError):
        return f"{value!r} is not a valid EDTF date"
    try:
        if value.startswith(("[", "{")):  # a set: one of its dates, or all of them
            start, end = _bound(parsed, "lower_strict"), _bound(parsed, "upper_strict")
            if start is None and end is None:
                return f"{value!r} gives no day at all"
            sort = start or end  # its first day; for a set open at its start, its last
            return Reading(_day(start), _day(end), _precision(value), _qualifier(value), _day(sort))
        if "/" in value:
            return _interval(value)
        return _single(value, parsed)
    except ValueError as error:  # a day the calendar does not have
        return f"{value!r} is not a real date ({error})"


@lru_cache(maxsize=65536)
def read_date(value: str) -> Reading | str:
    """What an EDTF date means, or why it is not one (a message)."""
    if not EDTF_CHARACTERS.fullmatch(value):
        return f"{value!r} is not a valid EDTF date (it holds other characters)"
    if PLAIN.fullmatch(value):
        try:
            return _plain(value)
        except ValueError as error:
            return f"{value!r} is not a real date ({error})"
    return _edtf(value)


DERIVED = ("date_start", "date_end", "date_precision", "date_qualifier", "date_sort")


def date_fields(record: dict) -> tuple[dict, list[tuple[str, str]]]:
    """The date columns of a record, and (field, message) problems with them."""
    value = record.get("date")
    columns = {name: record.get(name) for name in ("date_text", "date_basis", "date_note")}
    columns.update(dict.fromkeys(DERIVED))
    if value is None:
        problems = []
        if record.get("date_basis") is not None:
            problems.append(("date_basis", "'date_basis' is given but 'date' is not"))
        return {"date": None, **columns}, problems
    problems = []
    if not record.get("date_basis"):
        problems.append(("date_basis", "'date_basis' is required when 'date' is given"))
    if not record.get("date_text") and not record.get("date_note"):
        problems.append(
            (
                "date_text",
                "'date_text' (the article's words for the date) is required when 'date' is "
                "given; where the article has none, give 'date_note' (the reasoning) instead",
            )
        )
    reading = read_date(value)
    if isinstance(reading, str):
        return {"date": value, **columns}, [*problems, ("date", reading)]
    columns.update(zip(DERIVED, reading, strict=True))  # the same order as Reading's fields
    return {"date": value, **columns}, problems
