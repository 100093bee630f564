"""Reporting periods: UK fiscal years (April to March) and their quarters, or calendar years.

A period is parsed from the many spellings analysts type and always printed in one
canonical form: ``2023/24``, ``2023/24 Q1`` (fiscal) or ``2024``, ``2024 Q1`` (calendar).
"""

from __future__ import annotations

import re
from datetime import date
from functools import cached_property, lru_cache
from typing import Literal

from pydantic import BaseModel, ConfigDict

from kpitool.errors import PeriodError

YearStart = Literal["april", "january"]


class Period(BaseModel):
    """A year or a quarter of a year; ``year`` is the calendar year the period's year starts in."""

    model_config = ConfigDict(frozen=True)

    year: int
    quarter: int | None = None
    calendar: bool = False

    # -- printing ---------------------------------------------------------------
    @cached_property
    def year_label(self) -> str:
        if self.calendar:
            return f"{self.year}"
        return f"{self.year}/{(self.year + 1) % 100:02d}"

    @cached_property
    def label(self) -> str:
        return self.year_label if self.quarter is None else f"{self.year_label} Q{self.quarter}"

    def __str__(self) -> str:
        return self.label

    # -- calendar arithmetic ------------------------------------------------------
    @property
    def is_quarter(self) -> bool:
        return self.quarter is not None

    @property
    def start(self) -> date:
        month0 = 0 if self.calendar else 3
        month0 += 3 * ((self.quarter or 1) - 1)
        return date(self.year + month0 // 12, month0 % 12 + 1, 1)

    @property
    def months(self) -> int:
        return 12 if self.quarter is None else 3

    @property
    def sort_key(self) -> tuple[date, int]:
        return (self.start, self.months)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Period):
            return NotImplemented
        return self.sort_key < other.sort_key

    def __le__(self, other: object) -> bool:
        if not isinstance(other, Period):
            return NotImplemented
        return self.sort_key <= other.sort_key

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, Period):
            return NotImplemented
        return self.sort_key > other.sort_key

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, Period):
            return NotImplemented
        return self.sort_key >= other.sort_key

    def year_period(self) -> Period:
        return period_of(self.year, None, self.calendar)

    def quarters(self) -> list[Period]:
        """The four quarters of this period's year."""
        return [period_of(self.year, q, self.calendar) for q in range(1, 5)]

    def previous(self) -> Period:
        """The previous quarter (or year)."""
        if self.quarter is None:
            return period_of(self.year - 1, None, self.calendar)
        if self.quarter == 1:
            return period_of(self.year - 1, 4, self.calendar)
        return period_of(self.year, self.quarter - 1, self.calendar)

    def same_period_last_year(self) -> Period:
        return period_of(self.year - 1, self.quarter, self.calendar)


@lru_cache(maxsize=4096)
def period_of(year: int, quarter: int | None = None, calendar: bool = False) -> Period:
    """One shared (immutable) Period per distinct period: arithmetic on periods builds no new models."""
    return Period(year=year, quarter=quarter, calendar=calendar)


_FY = r"(?:FY\s*)?(?P<y1>\d{4})\s*[/\-–]\s*(?P<y2>\d{4}|\d{2})"
_SHORT_FY = r"(?:FY\s*)?(?P<s1>\d{2})\s*/\s*(?P<s2>\d{2})"
_CAL = r"(?P<cy>\d{4})"
_Q = r"Q\s*(?P<q>[1-4])"
_YEAR = rf"(?:{_FY}|{_SHORT_FY}|{_CAL})"
_SEP = r"[\s,\-–_:]*"
_PERIOD_RES = (
    re.compile(rf"^{_YEAR}(?:{_SEP}{_Q})?$", re.IGNORECASE),
    re.compile(rf"^{_Q}{_SEP}{_YEAR}$", re.IGNORECASE),
)


_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
            ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
            ("oct", "october"), ("nov", "november"), ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}  # fmt: skip
_MONTH = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
# a quarter spelled by its months: "Jan-Mar 2023", "January to March 2023", "Jan–Mar 23", "2023 Apr-Jun"
_MONTH_RANGE = rf"(?P<m1>{_MONTH})\s*(?:-|–|—|to)\s*(?P<m2>{_MONTH})"
_MONTH_QUARTER_RES = (
    re.compile(rf"^{_MONTH_RANGE}[\s,]*(?P<y>\d{{4}}|\d{{2}})$", re.IGNORECASE),
    re.compile(rf"^(?P<y>\d{{4}})[\s,]*{_MONTH_RANGE}$", re.IGNORECASE),
)


def _month_quarter(text: str, year_start: YearStart) -> Period | None:
    """A calendar quarter named by its first and last months, placed in this project's years."""
    m = _MONTH_QUARTER_RES[0].match(text) or _MONTH_QUARTER_RES[1].match(text)
    if not m:
        return None
    first, last = _MONTHS[m.group("m1").lower()], _MONTHS[m.group("m2").lower()]
    if first % 3 != 1 or last != first + 2:
        raise PeriodError(f"{text!r}: {m.group('m1')} to {m.group('m2')} is not a quarter (Jan–Mar, Apr–Jun, …)")
    year = int(m.group("y"))
    year = year + 2000 if year < 100 else year
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise PeriodError(f"{text!r}: the year {year} is outside {FIRST_YEAR}–{LAST_YEAR}")
    return quarter_containing(date(year, first, 1), year_start)


def _fiscal_start(m: re.Match[str]) -> int | None:
    if m.group("y1"):
        y1, y2 = int(m.group("y1")), m.group("y2")
        ok = int(y2) == y1 + 1 if len(y2) == 4 else int(y2) == (y1 + 1) % 100
        if not ok:
            raise PeriodError(f"{m.group(0)!r}: the second year of a fiscal year must follow the first")
        return y1
    if m.group("s1"):
        s1, s2 = int(m.group("s1")), int(m.group("s2"))
        if s2 != (s1 + 1) % 100:
            raise PeriodError(f"{m.group(0)!r}: the second year of a fiscal year must follow the first")
        return 2000 + s1
    return None


FIRST_YEAR, LAST_YEAR = 1900, 2200  # periods outside these years are typing errors, not data


def _in_range(period: Period, text: str) -> Period:
    if not FIRST_YEAR <= period.year <= LAST_YEAR:
        raise PeriodError(f"{text!r}: the year {period.year} is outside {FIRST_YEAR}–{LAST_YEAR}")
    return period


@lru_cache(maxsize=4096)
def parse_period(text: str, year_start: YearStart = "april") -> Period:
    """Parse a period as analysts type it; raise PeriodError with a reason otherwise."""
    return _in_range(_parse_period(text, year_start), text)


def _parse_period(text: str, year_start: YearStart) -> Period:
    """Parse a period as analysts type it; raise PeriodError with a reason otherwise.

    A bare four-digit year (``2010``) is a calendar year in either mode, as in "2010 baseline".
    """
    cleaned = " ".join(text.replace("\u00a0", " ").split())
    by_months = _month_quarter(cleaned, year_start)
    if by_months is not None:
        return by_months
    m = _PERIOD_RES[0].match(cleaned) or _PERIOD_RES[1].match(cleaned)
    if not m:
        raise PeriodError(f"{text!r} is not a period (expected e.g. 2023/24 or 2023/24 Q1)")
    quarter = int(m.group("q")) if m.group("q") else None
    fiscal = _fiscal_start(m)
    if fiscal is not None:
        if year_start == "january":
            raise PeriodError(f"{text!r} is a fiscal year, but this project uses calendar years (--year-start january)")
        return period_of(fiscal, quarter)
    year = int(m.group("cy"))
    if quarter is not None and year_start == "april":
        raise PeriodError(
            f"{text!r} is ambiguous: this project uses fiscal years, so write {year}/{(year + 1) % 100:02d} Q{quarter}"
            f" or {year - 1}/{year % 100:02d} Q{quarter}; for calendar quarters use --year-start january"
            ' (or year_start = "january" in kpitool.toml)'
        )
    return period_of(year, quarter, True)


def parse_year(text: str, year_start: YearStart = "april") -> Period:
    """A year (``2022/23``, ``2010``), as a baseline or current year is given; a quarter is an error."""
    period = parse_period(text, year_start)
    if period.is_quarter:
        raise PeriodError(f"give a year such as 2022/23, not a quarter ({period})")
    return period


def quarter_containing(day: date, year_start: YearStart = "april") -> Period:
    if year_start == "january":
        return period_of(day.year, (day.month - 1) // 3 + 1, True)
    fy = day.year if day.month >= 4 else day.year - 1
    return period_of(fy, ((day.month - 4) % 12) // 3 + 1)


def quarter_span(quarters: list[int]) -> str:
    """``[1, 2, 3]`` -> ``Q1–Q3``; ``[2]`` -> ``Q2``; gaps are listed."""
    qs = sorted(quarters)
    if not qs:
        return ""
    if len(qs) > 1 and qs == list(range(qs[0], qs[-1] + 1)):
        return f"Q{qs[0]}–Q{qs[-1]}"
    return ", ".join(f"Q{q}" for q in qs)
