"""A file that says its years are calendar years, read in UK financial years.

Periods spelled by their months (``January to March 2017``, ``Jan-Mar 2023``) are read in the
run's year: in financial years, the default, January to March 2017 is 2016/17 Q4, and the years
compared run April to March. Where the file says it counts calendar years — a title ``by calendar
year quarter`` (Police Scotland's drug deaths), a sheet, a column heading — that reading is
probably not the one meant, and it is said, never decided for the user: ``--year-start january``
reads calendar years.
"""

from __future__ import annotations

import re

from kpitool.codes import Code
from kpitool.models import Finding
from kpitool.periods import Period, YearStart
from kpitool.readers.base import DataFile

CALENDAR_RE = re.compile(r"\bcalendar[\s-]+(?:years?(?:[\s-]+quarters?)?|quarters?)\b", re.IGNORECASE)
_WHERE = {"title": "in its title", "sheet": "in its sheet's name", "heading": "in its column heading"}


def calendar_hint(data: DataFile, year_start: YearStart) -> Finding | None:
    """A warning that a file which says calendar years was read in financial years; None when it
    says no such thing, when the run is in calendar years, or when none of its periods depends on
    the year start (calendar years such as ``2023`` and rolling years are read so in either)."""
    if year_start != "april":
        return None
    periods = sorted((p for p in data.periods.values() if not p.calendar and not p.rolling), key=lambda p: p.sort_key)
    if not periods:
        return None
    said = next(((s, m) for s in data.said if (m := CALENDAR_RE.search(s[1])) is not None), None)
    if said is None:
        return None
    (where, text, row, column), found = said
    words = found.group(0)
    place = _WHERE[where] + (f" {text.strip()!r}" if where == "heading" else "")
    read, meant = _example(periods)
    return Finding(
        code=Code.CALENDAR_YEAR_HINT,
        file=data.path,
        row=row,
        column=column,
        column_name=text if where == "heading" else None,
        message=f"read in UK financial years (April to March: {read}), though it says calendar years"
        f" ({words!r}, {place}); --year-start january reads them as calendar years ({meant})",
    )


def _example(periods: list[Period]) -> tuple[str, str]:
    """What the financial years made of the file's latest January to March, and what calendar years
    would make of it, in words."""
    first = next((p for p in reversed(periods) if p.start.month == 1 and (p.is_month or p.is_quarter)), None)
    if first is not None:
        year = first.start.year
        if first.is_quarter:
            return f"January to March {year} is {first.label}", f"{year} Q1 = January to March"
        return f"{first.start:%B %Y} is in {first.quarter_period().label}", f"{year} Q1 = January to March"
    fy = next((p for p in periods if p.is_year), periods[0].year_period())
    year = fy.start.year
    return f"{fy.label} is April {year} to March {year + 1}", f"{year} = January to December {year}"
