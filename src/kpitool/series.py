"""A measure's observations, and how a period's value is made from them.

A quarter (or a rolling year) without a figure of its own is rolled up from its months by
the measure's aggregate (a stock, ``last``, is its last month's count); a ratio is recomputed from its terms, each rolled up by its own
aggregate. A period missing one of its months has no value: ``missing_months`` says which.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from kpitool import arithmetic as ar
from kpitool.models import Catalogue, Measure
from kpitool.numbers import show_value
from kpitool.periods import Period, period_of
from kpitool.readers import Observations
from kpitool.units import inferred_unit


@dataclass
class Series:
    """One measure's observations: period -> (value, marker)."""

    section: str
    name: str
    values: dict[Period, tuple[float | None, str | None]] = field(default_factory=dict)
    percent: bool = False
    stock: bool = False
    sources: dict[Period, int] = field(default_factory=dict)  # the file (index) each value came from
    restated: list[str] = field(default_factory=list)  # the later file's value replaced an earlier one

    _last_month: Period | None | bool = field(default=False, repr=False)  # False: not yet known

    def put(self, period: Period, value: float | None, marker: str | None, source: int, files: dict[int, str]) -> None:
        """Record a value; a later file's different value for the same period wins, and says so."""
        self._last_month = False
        before = self.values.get(period)
        if before is not None and self.sources.get(period) != source and before[0] != value:
            was = self.sources[period]
            self.restated.append(
                f"{period} restated: {show_value(value)} from {files.get(source, '?')} used, replacing"
                f" {show_value(before[0])} from {files.get(was, '?')}."
            )
        self.values[period] = (value, marker)
        self.sources[period] = source

    def merge(self, other: Series, files: dict[int, str]) -> None:
        """Another series of the same measure (an alias, say), taken in file order."""
        for period in sorted(other.values, key=lambda p: other.sources.get(p, 0)):
            value, marker = other.values[period]
            self.put(period, value, marker, other.sources.get(period, 0), files)
        self.restated.extend(x for x in other.restated if x not in self.restated)
        self.percent = self.percent or other.percent
        self.stock = self.stock or other.stock

    def get(self, period: Period) -> float | None:
        found = self.values.get(period)
        return None if found is None else found[0]

    def marker(self, period: Period) -> str | None:
        return self.values.get(period, (None, None))[1]

    def last_month(self) -> Period | None:
        """The latest month with a value, for a series of months (None for quarterly data)."""
        if self._last_month is False:
            months = [p for p, (v, _) in self.values.items() if p.is_month and v is not None]
            self._last_month = max(months) if months else None
        assert self._last_month is not True
        return self._last_month


def collect_series(observations: Observations) -> dict[tuple[str, str], Series]:
    """Series by (section, measure); a later row (a later file) wins over an earlier one."""
    frame = observations.frame
    out: dict[tuple[str, str], Series] = {}
    if frame.empty:
        return out
    periods = observations.periods
    ordered = frame.sort_values(["file_index", "row"], kind="stable")
    for section, measure, label, value, marker, percent, stock, source in zip(
        ordered["section"].astype(str).tolist(),
        ordered["measure"].astype(str).tolist(),
        ordered["period"].astype(str).tolist(),
        ordered["value"].to_numpy(dtype="float64"),
        ordered["marker"].astype(object).tolist(),
        ordered["percent"].to_numpy(dtype=bool),
        ordered["stock"].to_numpy(dtype=bool),
        ordered["file_index"].to_numpy(dtype="int64"),
        strict=True,
    ):
        s = out.setdefault((section, measure), Series(section, measure))
        s.put(
            periods[label],
            ar.known(value),
            marker if isinstance(marker, str) else None,
            int(source),
            observations.files,
        )
        s.percent = s.percent or bool(percent)
        s.stock = s.stock or bool(stock)
    return out


@dataclass
class Resolved:
    """A measure with its series (and a ratio's terms, each with its own series), in one area."""

    measure: Measure
    series: Series
    inferred: bool
    numerator: Resolved | None = None  # the terms of a ratio, each with its own aggregation
    denominator: Resolved | None = None
    area: str = ""
    why: str = ""  # an inferred measure's unit, when its name decided it ("its name says so")
    _last_month: Period | None | bool = field(default=False, repr=False)  # False: not yet known

    @property
    def terms(self) -> list[Resolved]:
        return [t for t in (self.numerator, self.denominator) if t is not None]

    def value(self, period: Period) -> float | None:
        """A period's value; a ratio is recomputed from its terms when they are there."""
        if self.measure.aggregate == "ratio" and self.numerator and self.denominator:
            recomputed = ar.ratio(
                self.numerator.value(period), self.denominator.value(period), self.measure.ratio_scale
            )
            if recomputed is not None:
                return recomputed
        return self.own(period)

    def own(self, period: Period) -> float | None:
        """The series' figure for the period, or a quarter or rolling year rolled up from all its months."""
        figure = self.series.get(period)
        if figure is not None or period.kind not in ("quarter", "rolling") or self.measure.aggregate == "ratio":
            return figure
        if self.series.last_month() is None:
            return None
        if self.measure.aggregate == "last":  # a stock: its count at the period's end
            return self.series.get(period.last_month())
        values = [self.series.get(m) for m in period.month_periods()]
        if any(v is None for v in values):
            return None
        return ar.year_value([v for v in values if v is not None], self.measure.aggregate)

    @property
    def monthly(self) -> bool:
        """Are the data (or a ratio's terms) months?"""
        return self.last_month() is not None

    @property
    def rolling(self) -> bool:
        """Are the data rolling years?"""
        return any(p.kind == "rolling" for p in self.series.values)

    def last_month(self) -> Period | None:
        """The latest month with a value, of the series or a ratio's terms (None for quarterly data)."""
        if self._last_month is False:
            months = [m for m in (self.series.last_month(), *(t.last_month() for t in self.terms)) if m is not None]
            self._last_month = max(months) if months else None
        assert self._last_month is not True
        return self._last_month

    def touches(self, period: Period) -> bool:
        """Is there any value for the period or one of its months (in the series or a ratio's terms)?"""
        if any(self.series.get(p) is not None for p in {period, *period.month_periods()}):
            return True
        return any(t.touches(period) for t in self.terms)

    def missing_months(self, period: Period) -> list[Period]:
        """For monthly data, the months of a period without a value of its own that have no value."""
        if not self.monthly or period.kind not in ("quarter", "rolling") or self.value(period) is not None:
            return []
        if self.measure.aggregate == "ratio" and self.numerator and self.denominator:
            found = {m for t in self.terms for m in t.missing_months(period)}
            return sorted(found)
        months = [period.last_month()] if self.measure.aggregate == "last" else period.month_periods()
        return [m for m in months if self.series.get(m) is None]

    def present(self, year: Period) -> list[int]:
        """The quarters of ``year`` that have a value."""
        return [q.quarter for q in year.quarters() if q.quarter and self.value(q) is not None]

    def year_value(self, year: Period, quarters: list[int]) -> float | None:
        """The value of ``quarters`` of ``year`` by the measure's aggregation (None if one is missing)."""
        if self.measure.aggregate == "ratio":
            if not (self.numerator and self.denominator):
                return None
            return ar.ratio(
                self.numerator.year_value(year, quarters),
                self.denominator.year_value(year, quarters),
                self.measure.ratio_scale,
            )
        values = [self.own(period_of(year.year, q, year.calendar)) for q in quarters]
        if any(v is None for v in values):
            return None
        return ar.year_value([v for v in values if v is not None], self.measure.aggregate)


Key = tuple[str, str]  # a series' (section, measure), as the data name it


@dataclass(slots=True, eq=False)
class Row:
    """A row the table will have, before a value is looked at: a measure in an area and the
    series it is made of (several, when aliases or sections meet in one catalogue measure).
    Never changed once made (not frozen: a frozen dataclass costs five times as much to make,
    62,500 rows 0.05 s)."""

    name: str
    section: str  # the row's section ("" for an area's row of a measure no catalogue describes)
    area: str
    keys: tuple[Key, ...]
    at: tuple[int, ...]  # the keys' places in the list of keys the rows were planned from
    measure: Measure | None = None  # the catalogue's; None: inferred from the series' values
    numerator: Row | None = None  # a ratio's terms, where the data have both
    denominator: Row | None = None

    @property
    def parts(self) -> list[Row]:
        """The row and a ratio's terms: the rows whose series it reads."""
        return [x for x in (self, self.numerator, self.denominator) if x is not None]


def plan_rows(keys: Sequence[Key], catalogue: Catalogue | None, area_sections: frozenset[str] | set[str]) -> list[Row]:
    """Each (area, measure) with data, in the table's order: a catalogue measure applies in every
    area the data have, then each series no catalogue measure takes."""
    out: list[Row] = []
    used: set[Key] = set()

    def row(m: Measure, area: str, at: tuple[int, ...], *terms: Row | None) -> Row:
        return Row(m.name, m.section, area, tuple(keys[g] for g in at), at, m, *terms)

    if catalogue is not None:
        # (area, measure key) -> series; the area is the data's section where it is not the measure's own
        buckets: dict[tuple[str, Key], list[int]] = {}
        areas: dict[str, None] = {"": None}
        for g, key in enumerate(keys):
            m = catalogue.resolve(key[1], key[0])
            if m is None:
                continue
            used.add(key)
            area = "" if catalogue.is_own_section(key[0], m) else key[0]
            areas.setdefault(area, None)
            buckets.setdefault((area, m.key), []).append(g)
        for area in areas:
            for m in catalogue.measures:
                mine = tuple(buckets.get((area, m.key), ()))

                num = den = None
                if m.aggregate == "ratio":
                    nm = catalogue.resolve(m.numerator or "", m.section)
                    dm = catalogue.resolve(m.denominator or "", m.section)
                    if nm and dm and (area, nm.key) in buckets and (area, dm.key) in buckets:
                        num = row(nm, area, tuple(buckets[(area, nm.key)]))
                        den = row(dm, area, tuple(buckets[(area, dm.key)]))
                if mine or (num and den):
                    out.append(row(m, area, mine, num, den))
    for g, key in enumerate(keys):
        if key in used:
            continue
        if key[0] in area_sections:  # a row's area (from an area column), not a section of measures
            out.append(Row(key[1], "", key[0], (key,), (g,)))
        else:
            out.append(Row(key[1], key[0], "", (key,), (g,)))
    return out


class Resolver:
    """Rows made into measures with their series; a catalogue measure's series merged once an area
    (a ratio's terms share them with the terms' own rows)."""

    def __init__(self, series: dict[Key, Series], files: dict[int, str]) -> None:
        self.series = series
        self.files = files
        self._merged: dict[tuple[str, Key], Series] = {}

    def __call__(self, row: Row) -> Resolved:
        m = row.measure
        if m is None:
            s = self.series[row.keys[0]]
            inferred, why = inferred_measure(s)
            if row.area:
                inferred = inferred.model_copy(update={"section": ""})
            return Resolved(inferred, s, True, area=row.area, why=why)
        num = self(row.numerator) if row.numerator else None
        den = self(row.denominator) if row.denominator else None
        return Resolved(m, self._merge(row, m), False, num, den, area=row.area)

    def _merge(self, row: Row, m: Measure) -> Series:
        found = self._merged.get((row.area, m.key))
        if found is None:
            found = self._merged[(row.area, m.key)] = Series(m.section, m.name)
            for key in row.keys:
                found.merge(self.series[key], self.files)
        return found


def inferred_measure(s: Series) -> tuple[Measure, str]:
    """What a measure no catalogue describes evidently is: a percentage, a count, or another number
    (by its figures, else by its name: ``kpitool.units``), and why when its name decided it."""
    values = [v for v, _ in s.values.values() if v is not None]
    fractional = any(v < 0 or v != int(v) for v in values if math.isfinite(v))
    unit, why = inferred_unit(s.name, percent=s.percent, fractional=fractional)
    how = ar.inferred_aggregate(s.name, percent=unit == "percent", stock=s.stock)
    return Measure(name=s.name, section=s.section, unit=unit, aggregate=how), why
