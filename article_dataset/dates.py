"""Dates that keep their precision: an ISO prefix becomes bounds, a precision and a basis."""

from __future__ import annotations

import calendar
import datetime

PRECISION_BY_LENGTH = {4: "year", 7: "month", 10: "day"}


def bounds(prefix: str) -> tuple[str, str]:
    """First and last day an ISO prefix can mean; ValueError if it is no real date."""
    parts = [int(part) for part in prefix.split("-")]
    year = parts[0]
    month_first, month_last = (parts[1], parts[1]) if len(parts) > 1 else (1, 12)
    if len(parts) == 3:
        day = datetime.date(year, month_first, parts[2])
        return day.isoformat(), day.isoformat()
    last_day = calendar.monthrange(year, month_last)[1]
    return (
        datetime.date(year, month_first, 1).isoformat(),
        datetime.date(year, month_last, last_day).isoformat(),
    )


def date_fields(record: dict) -> tuple[dict, list[tuple[str, str]]]:
    """The date columns of a record, and (field, message) problems with them."""
    prefix = record.get("date")
    problems = []
    columns = {
        "date_text": record.get("date_text"),
        "date_basis": record.get("date_basis"),
        "date_note": record.get("date_note"),
        "date_start": None,
        "date_end": None,
        "date_precision": None,
    }
    if prefix is None:
        for name in ("date_basis", "date_precision", "date_start", "date_end"):
            if record.get(name) is not None:
                problems.append((name, f"'{name}' is given but 'date' is not"))
        return {"date": None, **columns}, problems
    for name in ("date_text", "date_basis"):
        if not record.get(name):
            problems.append((name, f"'{name}' is required when 'date' is given"))
    try:
        start, end = bounds(prefix)
    except ValueError as error:
        return {"date": prefix, **columns}, [("date", f"{prefix!r} is not a real date ({error})")]
    precision = PRECISION_BY_LENGTH[len(prefix)]
    given = record.get("date_precision")
    if given is not None and given != precision:
        problems.append(
            ("date_precision", f"'{given}' disagrees with date {prefix!r}, which is {precision}")
        )
    for name, default in (("date_start", start), ("date_end", end)):
        value = record.get(name)
        if value is None:
            columns[name] = default
            continue
        try:
            datetime.date.fromisoformat(value)
        except ValueError:
            problems.append((name, f"{value!r} is not a real date"))
            continue
        if not start <= value <= end:
            problems.append((name, f"{value} lies outside date {prefix!r} ({start} to {end})"))
        columns[name] = value
    if (
        columns["date_start"]
        and columns["date_end"]
        and columns["date_start"] > columns["date_end"]
    ):
        problems.append(
            (
                "date_start",
                f"date_start {columns['date_start']} is after date_end {columns['date_end']}",
            )
        )
    columns["date_precision"] = precision
    return {"date": prefix, **columns}, problems
