"""EDTF dates: the fast reading of plain prefixes agrees with the edtf package, and every
kind of date the curators write gives the bounds, precision, qualifier and sort day meant."""

from __future__ import annotations

import datetime

import pytest
from edtf import parse_edtf

from article_dataset.dates import _edtf, read_date


def plain_prefixes():
    for year in (1999, 2000, 2023, 2024):
        yield str(year)
        for month in range(1, 13):
            yield f"{year}-{month:02d}"
        day = datetime.date(year, 1, 1)
        while day.year == year:
            if day.day in (1, 15, 28, 29, 30, 31):
                yield day.isoformat()
            day += datetime.timedelta(days=1)


@pytest.mark.parametrize("value", list(plain_prefixes()))
def test_plain_prefixes_read_as_the_edtf_package_reads_them(value):
    fast = read_date(value)
    assert fast == _edtf(value)
    parsed = parse_edtf(value)
    assert fast.start == datetime.date(*parsed.lower_strict()[:3]).isoformat()
    assert fast.end == datetime.date(*parsed.upper_strict()[:3]).isoformat()
    assert fast.precision == parsed.precision


@pytest.mark.parametrize(
    ("value", "start", "end", "precision", "qualifier", "sort"),
    [
        ("2023-08-24?", "2023-08-24", "2023-08-24", "day", "uncertain", "2023-08-24"),
        ("2008~", "2007-01-01", "2009-12-31", "year", "approximate", "2008-07-01"),
        ("{2022-10-10,2022-11-12}", "2022-10-10", "2022-11-12", "day", None, "2022-10-10"),
        ("[2022-10-10,2022-11-12]", "2022-10-10", "2022-11-12", "day", None, "2022-10-10"),
        ("../2023-09-06", None, "2023-09-06", "day", None, "2023-09-06"),
        ("2022-02/..", "2022-02-01", None, "month", None, "2022-02-28"),
        ("2022-01/2022-02", "2022-01-01", "2022-02-28", "month", None, "2022-01-30"),
        ("2023-09", "2023-09-01", "2023-09-30", "month", None, "2023-09-15"),
        ("%2022", "2021-01-01", "2023-12-31", "year", "both", "2022-07-02"),
        ("2007-40", "2007-01-01", "2007-06-30", "season", None, "2007-04-01"),
        # Each side of an interval is widened by its own precision and qualifier.
        ("2008~/2010-05", "2007-01-01", "2010-05-31", "month", "approximate", "2008-09-15"),
        ("2022-02~/..", "2022-01-01", None, "month", "approximate", "2022-03-31"),
        # A qualifier inside a date; sets open at one end (the parser gives them infinities).
        ("2004-06-~11", "2004-06-10", "2004-06-12", "day", "approximate", "2004-06-11"),
        ("[..2023-09-06]", None, "2023-09-06", "day", None, "2023-09-06"),
        ("{..2023}", None, "2023-12-31", "year", None, "2023-12-31"),
        ("[2022-10..2022-12]", "2022-10-01", "2022-12-31", "month", None, "2022-10-01"),
    ],
)
def test_what_a_date_means(value, start, end, precision, qualifier, sort):
    assert tuple(read_date(value)) == (start, end, precision, qualifier, sort)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2023-08-24\n", "holds other characters"),  # the parser itself accepts this one
        ("٢٠٢٣-٠٨-٢٤", "holds other characters"),
        ("2023-02-30", "is not a real date"),
        ("2023-13", "is not a valid EDTF date"),
        ("2022-03-01/2022-01-01", "starts after it ends"),
        ("../..", "gives no day at all"),
        ("August 24", "holds other characters"),
    ],
)
def test_what_is_not_a_date(value, message):
    result = read_date(value)
    assert isinstance(result, str) and message in result, result
