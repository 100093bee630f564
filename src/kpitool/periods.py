"""Reporting periods: years and quarters (UK fiscal, April to March, or calendar), months, and
rolling 12-month years.

A period is parsed from the many spellings analysts type and always printed in one canonical
form: ``2023/24`` and ``2023/24 Q1`` (fiscal), ``2024`` and ``2024 Q1`` (calendar), ``2023-04``
(a month) and ``12m to 2023-06`` (the 12 months to the end of June 2023). A rolling year that
ends with the project's year (March, or December for calendar years) is that year.

A column's periods are decided over the whole column (``read_period_column``): ``2009-10`` is
October 2009 in a column of months, and the fiscal year 2009/10 otherwise (said as ambiguous).
"""

from __future__ import annotations

import calendar as _calendar
import re
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property, lru_cache
from typing import Literal

from pydantic import BaseModel, ConfigDict

from kpitool.errors import PeriodError

YearStart = Literal["april", "january"]
Kind = Literal["year", "quarter", "month", "rolling"]

FIRST_YEAR, LAST_YEAR = 1900, 2200  # periods outside these years are typing errors, not data


class Period(BaseModel):
    """A year, a quarter, a month or a rolling 12-month year.

    ``year`` is the calendar year the period's (project) year starts in: 2023 for 2023/24 and
    for its months January–March 2024. ``month`` is the calendar month of a month, or the last
    month of a rolling year.
    """

    model_config = ConfigDict(frozen=True)

    year: int
    quarter: int | None = None
    calendar: bool = False
    month: int | None = None
    rolling: bool = False

    # -- kind and printing ---------------------------------------------------------
    @cached_property
    def kind(self) -> Kind:
        if self.rolling:
            return "rolling"
        if self.month is not None:
            return "month"
        return "year" if self.quarter is None else "quarter"

    @property
    def is_quarter(self) -> bool:
        return self.quarter is not None

    @property
    def is_month(self) -> bool:
        return self.month is not None and not self.rolling

    @property
    def is_year(self) -> bool:
        return self.kind == "year"

    @cached_property
    def year_label(self) -> str:
        if self.calendar:
            return f"{self.year}"
        return f"{self.year}/{(self.year + 1) % 100:02d}"

    @cached_property
    def label(self) -> str:
        if self.month is not None:
            month = f"{self._month_index // 12}-{self._month_index % 12 + 1:02d}"
            return f"12m to {month}" if self.rolling else month
        return self.year_label if self.quarter is None else f"{self.year_label} Q{self.quarter}"

    def __str__(self) -> str:
        return self.label

    # periods are dictionary keys everywhere: one shared instance per period (``period_of``), so
    # identity answers most comparisons, and the hash is computed once
    def __eq__(self, other: object) -> bool:
        if self is other:
            return True
        if not isinstance(other, Period):
            return NotImplemented
        return self._key == other._key

    def __hash__(self) -> int:
        return self._hash

    @cached_property
    def _key(self) -> tuple[int, int | None, bool, int | None, bool]:
        return (self.year, self.quarter, self.calendar, self.month, self.rolling)

    @cached_property
    def _hash(self) -> int:
        return hash(self._key)

    # -- calendar arithmetic ------------------------------------------------------
    @property
    def _month_index(self) -> int:
        """Months since year 0 of the period's (last) month: a month or a rolling year's end."""
        assert self.month is not None
        offset = 0 if self.calendar or self.month >= 4 else 1
        return (self.year + offset) * 12 + self.month - 1

    @property
    def start(self) -> date:
        if self.month is not None:
            first = self._month_index - (11 if self.rolling else 0)
            return date(first // 12, first % 12 + 1, 1)
        month0 = 0 if self.calendar else 3
        month0 += 3 * ((self.quarter or 1) - 1)
        return date(self.year + month0 // 12, month0 % 12 + 1, 1)

    @property
    def months(self) -> int:
        """How many months the period covers."""
        return {"year": 12, "quarter": 3, "month": 1, "rolling": 12}[self.kind]

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
        """The project year the period falls in (a rolling year: the year of its last month)."""
        return period_of(self.year, None, self.calendar)

    def quarters(self) -> list[Period]:
        """The four quarters of this period's year (a shared list: read it, never change it)."""
        return self._quarters

    @cached_property
    def _quarters(self) -> list[Period]:
        return [period_of(self.year, q, self.calendar) for q in range(1, 5)]

    def quarter_period(self) -> Period:
        """The quarter a month falls in (a quarter is its own)."""
        if self.is_month:
            assert self.month is not None
            return period_of(self.year, _quarter_number(self.month, self.calendar), self.calendar)
        return self

    def month_periods(self) -> list[Period]:
        """The months of the period, in order (a month: itself)."""
        if self.is_month:
            return [self]
        first = self.start.year * 12 + self.start.month - 1
        return [_month_at(first + i, self.calendar) for i in range(self.months)]

    def last_month(self) -> Period:
        """The period's last month."""
        return self.month_periods()[-1]

    def shifted(self, months: int) -> Period:
        """A month (or a rolling year) ``months`` months later (earlier when negative)."""
        assert self.month is not None, "only months and rolling years shift by months"
        return _month_at(self._month_index + months, self.calendar, rolling=self.rolling)

    def rolling_to(self) -> Period:
        """The 12 months to the end of this month (the year itself when it ends the year)."""
        return _month_at(self.last_month()._month_index, self.calendar, rolling=True)

    def previous(self) -> Period:
        """The previous period of the same kind: the quarter, month or year before."""
        if self.month is not None:
            return _month_at(self._month_index - 1, self.calendar, rolling=self.rolling)
        if self.quarter is None:
            return period_of(self.year - 1, None, self.calendar)
        if self.quarter == 1:
            return period_of(self.year - 1, 4, self.calendar)
        return period_of(self.year, self.quarter - 1, self.calendar)

    def same_period_last_year(self) -> Period:
        if self.month is not None:
            return _month_at(self._month_index - 12, self.calendar, rolling=self.rolling)
        return period_of(self.year - 1, self.quarter, self.calendar)


def period_of(
    year: int, quarter: int | None = None, calendar: bool = False, month: int | None = None, rolling: bool = False
) -> Period:
    """One shared (immutable) Period per distinct period: arithmetic on periods builds no new models,
    and a dictionary keyed by periods matches them by identity."""
    return _shared(year, quarter, calendar, month, rolling)  # one cache key per period, however it is called


@lru_cache(maxsize=16384)
def _shared(year: int, quarter: int | None, calendar: bool, month: int | None, rolling: bool) -> Period:
    return Period(year=year, quarter=quarter, calendar=calendar, month=month, rolling=rolling)


def _quarter_number(month: int, calendar: bool) -> int:
    return (month - 1) // 3 + 1 if calendar else ((month - 4) % 12) // 3 + 1


def _month_at(index: int, calendar: bool, rolling: bool = False) -> Period:
    """The month (or the rolling year ending in the month) ``index`` months after January of year 0."""
    cy, month = index // 12, index % 12 + 1
    year = cy if calendar or month >= 4 else cy - 1
    if rolling and month == (12 if calendar else 3):
        return period_of(year, None, calendar)  # the 12 months to the year's last month are the year
    return period_of(year, None, calendar, month, rolling)


def month_period(cy: int, month: int, year_start: YearStart = "april") -> Period:
    """The month ``month`` of the calendar year ``cy``."""
    return _month_at(cy * 12 + month - 1, year_start == "january")


def rolling_period(cy: int, month: int, year_start: YearStart = "april") -> Period:
    """The 12 months to the end of ``month`` of ``cy`` (the project's year when it ends with it)."""
    return _month_at(cy * 12 + month - 1, year_start == "january", rolling=True)


# --------------------------------------------------------------------------- spellings

_FY = r"(?:FY\s*)?(?P<y1>\d{4})\s*[/\-–]\s*(?P<y2>\d{4}|\d{2})"
_SHORT_FY = r"(?:FY\s*)?(?P<s1>\d{2})\s*/\s*(?P<s2>\d{2})"
# beside a quarter, "Q1 23-24" is a fiscal year too; alone, "16-17" may as well be an age band
_SHORT_FY_Q = r"(?:FY\s*)?(?P<s1>\d{2})\s*[/\-–]\s*(?P<s2>\d{2})"
_CAL = r"(?P<cy>\d{4})"
_Q = r"(?:Quarter|Qtr\.?|Q)\s*(?P<q>[1-4])"  # Q1, Qtr 1, Quarter 1
_YEAR = rf"(?:{_FY}|{_SHORT_FY}|{_CAL})"
_QYEAR = rf"(?:{_FY}|{_SHORT_FY_Q}|{_CAL})"
_SEP = r"[\s,\-–_:]*"
_PERIOD_RES = (
    re.compile(rf"^{_YEAR}$", re.IGNORECASE),
    re.compile(rf"^{_QYEAR}{_SEP}{_Q}$", re.IGNORECASE),
    re.compile(rf"^{_Q}{_SEP}(?:of\s+)?{_QYEAR}$", re.IGNORECASE),  # "Quarter 3 of 2023/24"
)

MONTHS = {
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
# a month: "Apr-23", "Apr 23", "April 2023", "Apr'23", "2023 Apr"; ISO "2023-04" apart (it can be a fiscal year)
_NAMED_MONTH_RES = (
    re.compile(rf"^(?P<mon>{_MONTH})\.?[\s\-–/,']*(?P<y>\d{{4}}|\d{{2}})$", re.IGNORECASE),
    re.compile(rf"^(?P<y>\d{{4}})[\s\-–/,]*(?P<mon>{_MONTH})$", re.IGNORECASE),
)
_ISO_MONTH_RE = re.compile(r"^(?P<y>\d{4})\s*-\s*(?P<m>\d{1,2})$")
_TIME = r"(?:[ T]00:00(?::00(?:\.0+)?)?)?"
_DATE_RES = (
    re.compile(rf"^(?P<y>\d{{4}})-(?P<m>\d{{1,2}})-(?P<d>\d{{1,2}}){_TIME}$"),
    re.compile(rf"^(?P<d>\d{{1,2}})[/.](?P<m>\d{{1,2}})[/.](?P<y>\d{{4}}){_TIME}$"),
    re.compile(
        rf"^(?:as\s+at:?\s+)?(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<mon>{_MONTH})\.?,?\s+(?P<y>\d{{4}})$",
        re.IGNORECASE,
    ),
)
# the 12 months to a month's end: "12 months ending 31/03/2018", "Year ending March 2018", "YE Jun 2023", "12m to 2023-06"
_ROLLING_RE = re.compile(
    r"^(?:(?:rolling\s+)?(?:12|twelve)[\s\-]*(?:months?|m)\s*(?:ending|ended|to|up\s+to)"
    r"|(?:rolling\s+)?year\s+(?:ending|ended|to)|ye|r12)\b[\s:]*(?P<rest>.+)$",
    re.IGNORECASE,
)
# a column heading saying its dates end rolling years: "12 months ending", "Rolling year to", "Year ending"
ROLLING_HEADING_RE = re.compile(
    r"\b(?:12|twelve)[\s\-]*months?\s+(?:ending|ended|to)\b|\brolling\b|\byear\s+ending\b", re.I
)


def full_year(text: str) -> int:
    """A year as written: four digits, or two read as 1969–2068 (the POSIX rule for ``%y``)."""
    year = int(text)
    if len(text) > 2:
        return year
    return year + (1900 if year >= 69 else 2000)


def _checked_year(year: int, text: str) -> int:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise PeriodError(f"{text!r}: the year {year} is outside {FIRST_YEAR}–{LAST_YEAR}")
    return year


def spelled_date(text: str) -> date | None:
    """The date a text spells (``2023-06-30``, ``30/06/2023``, ``As at 31 March 2019``), or None."""
    cleaned = " ".join(text.replace("\u00a0", " ").split())
    for pattern in _DATE_RES:
        m = pattern.match(cleaned)
        if not m:
            continue
        groups = m.groupdict()
        month = int(groups["m"]) if groups.get("m") else MONTHS.get((groups.get("mon") or "").lower(), 0)
        try:
            day = date(int(m.group("y")), month, int(m.group("d")))
        except ValueError:
            return None
        return day if FIRST_YEAR <= day.year <= LAST_YEAR else None
    return None


def is_month_end(day: date) -> bool:
    return day.day == _calendar.monthrange(day.year, day.month)[1]


def is_quarter_end(day: date) -> bool:
    """The last day of March, June, September or December: a stock's count date."""
    return day.month % 3 == 0 and is_month_end(day)


@dataclass(frozen=True)
class _Spelling:
    """What one text spells, before its column decides: a period, a month, a date, or the end of a rolling year."""

    period: Period | None = None
    month: tuple[int, int] | None = None  # (calendar year, month)
    day: date | None = None
    ambiguous: bool = False  # ``period`` is a fiscal year that ``month`` could equally be ("2009-10")
    rolling: bool = False  # the text says the 12 months to ``month`` or ``day``


def _named_month(text: str) -> tuple[int, int] | None:
    for pattern in _NAMED_MONTH_RES:
        m = pattern.match(text)
        if m:
            return _checked_year(full_year(m.group("y")), text), MONTHS[m.group("mon").lower().rstrip(".")]
    return None


@lru_cache(maxsize=8192)
def _spell(text: str, year_start: YearStart) -> _Spelling:
    cleaned = " ".join(text.replace("\u00a0", " ").split())
    rolling = _ROLLING_RE.match(cleaned)
    if rolling:
        rest = rolling.group("rest")
        day = spelled_date(rest)
        month = _named_month(rest)
        iso = _ISO_MONTH_RE.match(rest)
        if iso and 1 <= int(iso.group("m")) <= 12:
            month = (_checked_year(int(iso.group("y")), text), int(iso.group("m")))
        if day is None and month is None:
            raise PeriodError(f"{text!r}: a rolling year ends with a month (write e.g. 12m to 2023-06)")
        return _Spelling(month=month, day=day, rolling=True)
    day = spelled_date(cleaned)
    if day is not None:
        return _Spelling(day=day)
    if cleaned and cleaned[0].isdigit() and _DATE_LIKE_RE.match(cleaned):
        raise PeriodError(f"{text!r} is not a date")
    by_months = _month_quarter(cleaned, year_start)
    if by_months is not None:
        return _Spelling(period=by_months)
    named = _named_month(cleaned)
    if named is not None:
        return _Spelling(month=named)
    iso = _ISO_MONTH_RE.match(cleaned)
    if iso and not 1 <= int(iso.group("m")) <= 12 and int(iso.group("m")) != (int(iso.group("y")) + 1) % 100:
        y, mo = int(iso.group("y")), int(iso.group("m"))
        raise PeriodError(
            f"{text!r}: the second year of a fiscal year must follow the first ({y}/{(y + 1) % 100:02d}),"
            f" and {mo:02d} is not a month (01 to 12)"
        )
    if iso and 1 <= int(iso.group("m")) <= 12:
        y, mo = _checked_year(int(iso.group("y")), text), int(iso.group("m"))
        if mo != (y + 1) % 100 or year_start == "january":  # a calendar project has no fiscal years
            return _Spelling(month=(y, mo))
        return _Spelling(period=_year_or_quarter(cleaned, text, year_start), month=(y, mo), ambiguous=True)
    return _Spelling(period=_year_or_quarter(cleaned, text, year_start))


_DATE_LIKE_RE = re.compile(r"^\d{1,4}[/.\-]\d{1,2}[/.\-]\d{1,4}")


def _month_quarter(text: str, year_start: YearStart) -> Period | None:
    """A calendar quarter named by its first and last months, placed in this project's years."""
    m = _MONTH_QUARTER_RES[0].match(text) or _MONTH_QUARTER_RES[1].match(text)
    if not m:
        return None
    first, last = MONTHS[m.group("m1").lower()], MONTHS[m.group("m2").lower()]
    if first % 3 != 1 or last != first + 2:
        raise PeriodError(f"{text!r}: {m.group('m1')} to {m.group('m2')} is not a quarter (Jan–Mar, Apr–Jun, …)")
    year = _checked_year(full_year(m.group("y")), text)
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
        return full_year(m.group("s1"))
    return None


def _year_or_quarter(cleaned: str, text: str, year_start: YearStart) -> Period:
    """A year or a quarter of a year. A bare four-digit year (``2010``) is a calendar year in
    either mode, as in "2010 baseline"."""
    m = next((m for pattern in _PERIOD_RES if (m := pattern.match(cleaned))), None)
    if not m:
        raise PeriodError(f"{text!r} is not a period (expected e.g. 2023/24, 2023/24 Q1, 2023-04 or 12m to 2023-06)")
    quarter = int(m.group("q")) if m.groupdict().get("q") else None
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


def _in_range(period: Period, text: str) -> Period:
    if not FIRST_YEAR <= period.year <= LAST_YEAR:
        raise PeriodError(f"{text!r}: the year {period.year} is outside {FIRST_YEAR}–{LAST_YEAR}")
    return period


# --------------------------------------------------------------------------- columns


@dataclass
class PeriodColumn:
    """A column's periods, decided over the whole column: each text's period, or why it is none."""

    periods: dict[str, Period] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    count_dates: set[str] = field(default_factory=set)  # texts that are a stock's count date (a month's last day)
    ambiguous: dict[str, Period] = field(
        default_factory=dict
    )  # read as fiscal years, though they could be these months


def read_period_column(texts: list[str], year_start: YearStart = "april", heading: str = "") -> PeriodColumn:
    """Each distinct text's period, decided over the column.

    - A column with any month in it reads ``2009-10`` as October 2009; without one, as the
      fiscal year 2009/10, listed in ``ambiguous``.
    - A date on the first of a month is that month. A date on a month's last day is a count
      date: the quarter it ends when every date of the column ends a quarter, else the month.
    - Under a heading such as "12 months ending", a month or a month-end date ends a rolling year.
    """
    out = PeriodColumn()
    spelled: dict[str, _Spelling] = {}
    for text in dict.fromkeys(texts):
        try:
            spelled[text] = _spell(text, year_start)
        except PeriodError as exc:
            out.errors[text] = str(exc)
    rolling_heading = bool(ROLLING_HEADING_RE.search(heading))
    has_month = any(
        (s.month is not None and not s.ambiguous) or (s.day is not None and s.day.day == 1) for s in spelled.values()
    )
    days = [s.day for s in spelled.values() if s.day is not None and not s.rolling]
    quarter_ends = bool(days) and all(is_quarter_end(d) for d in days)
    for text, s in spelled.items():
        try:
            if s.rolling or (rolling_heading and (s.day is not None or s.month is not None) and not s.ambiguous):
                period = _rolling(s, text, year_start)
            elif s.day is not None:
                period = _dated(s.day, text, year_start, quarter_ends)
                if is_month_end(s.day):
                    out.count_dates.add(text)
            elif s.ambiguous and not has_month:
                assert s.period is not None and s.month is not None
                out.ambiguous[text] = month_period(*s.month, year_start)
                period = s.period
            elif s.month is not None:
                period = month_period(*s.month, year_start)
            else:
                assert s.period is not None
                period = s.period
            out.periods[text] = _in_range(period, text)
        except PeriodError as exc:
            out.errors[text] = str(exc)
    return out


def _rolling(s: _Spelling, text: str, year_start: YearStart) -> Period:
    if s.day is not None:
        if not is_month_end(s.day):
            raise PeriodError(f"{text!r}: a rolling year ends on a month's last day, not the {s.day.day}th")
        return rolling_period(s.day.year, s.day.month, year_start)
    assert s.month is not None
    return rolling_period(*s.month, year_start)


def _dated(day: date, text: str, year_start: YearStart, quarter_ends: bool) -> Period:
    if day.day == 1:
        return month_period(day.year, day.month, year_start)
    if not is_month_end(day):
        raise PeriodError(f"{text!r} is a date, but neither the first nor the last day of a month")
    if quarter_ends:
        return quarter_containing(day, year_start)
    return month_period(day.year, day.month, year_start)


@lru_cache(maxsize=4096)
def parse_period(text: str, year_start: YearStart = "april") -> Period:
    """Parse one period as analysts type it; raise PeriodError with a reason otherwise.

    Alone, ``2009-10`` is the fiscal year 2009/10 (write ``2009-10-01`` or ``Oct 2009`` for the
    month), and a quarter-end date is the quarter it ends.
    """
    column = read_period_column([text], year_start)
    if text in column.errors:
        raise PeriodError(column.errors[text])
    return column.periods[text]


def parse_year(text: str, year_start: YearStart = "april") -> Period:
    """A year (``2022/23``, ``2010``), as a baseline or current year is given; a quarter is an error."""
    period = parse_period(text, year_start)
    if not period.is_year:
        raise PeriodError(f"give a year such as 2022/23, not a {period.kind} ({period})")
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
