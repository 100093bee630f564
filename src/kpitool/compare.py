"""The KPI table: each measure's year value against its baseline, by the rules of DESIGN.md.

The arithmetic (year values, ratios, changes, the band, assessment) is ``kpitool.arithmetic``,
which the audit of published tables uses too. Periods arrive as ``Period`` objects, parsed
once by the readers, the catalogue and the command line.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from kpitool import arithmetic as ar
from kpitool.errors import UsageError
from kpitool.models import Catalogue, CompareOptions, Comparison, ComparisonReport, Delta, Measure, QuarterValue, Unit
from kpitool.numbers import show_value
from kpitool.periods import Period, period_of, quarter_span
from kpitool.readers import Observations

SPARK_QUARTERS = 8


# --------------------------------------------------------------------------- data


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

    def put(self, period: Period, value: float | None, marker: str | None, source: int, files: dict[int, str]) -> None:
        """Record a value; a later file's different value for the same period wins, and says so."""
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
        return self.values.get(period, (None, None))[0]

    def marker(self, period: Period) -> str | None:
        return self.values.get(period, (None, None))[1]


def collect_series(observations: Observations) -> dict[tuple[str, str], Series]:
    """Series by (section, measure); a later row (a later file) wins over an earlier one."""
    frame = observations.frame
    out: dict[tuple[str, str], Series] = {}
    if frame.empty:
        return out
    periods = observations.periods
    ordered = frame.sort_values(["file_index", "row"], kind="stable")
    for section, measure, label, value, marker, percent, stock, source in zip(
        ordered["section"].astype(str),
        ordered["measure"].astype(str),
        ordered["period"].astype(str),
        ordered["value"].to_numpy(dtype="float64"),
        ordered["marker"].astype(object),
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


# --------------------------------------------------------------------------- comparison


@dataclass
class _Resolved:
    measure: Measure
    series: Series
    inferred: bool
    numerator: _Resolved | None = None  # the terms of a ratio, each with its own aggregation
    denominator: _Resolved | None = None
    area: str = ""

    def value(self, period: Period) -> float | None:
        """One quarter's (or year's) value; a ratio is recomputed from its terms when they are there."""
        if self.measure.aggregate == "ratio" and self.numerator and self.denominator:
            recomputed = ar.ratio(
                self.numerator.value(period), self.denominator.value(period), ar.scale_of(self.measure.unit)
            )
            if recomputed is not None:
                return recomputed
        return self.series.get(period)

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
                ar.scale_of(self.measure.unit),
            )
        values = [self.series.get(period_of(year.year, q, year.calendar)) for q in quarters]
        if any(v is None for v in values):
            return None
        return ar.year_value([v for v in values if v is not None], self.measure.aggregate)


def compare(
    observations: Observations,
    catalogue: Catalogue | None = None,
    options: CompareOptions | None = None,
    *,
    files: Sequence[str] = (),
) -> ComparisonReport:
    """The KPI table: each measure's year value against its baseline."""
    options = options or CompareOptions()
    band = options.tolerance if options.tolerance is not None else (catalogue.tolerance if catalogue else None)
    band = ar.DEFAULT_TOLERANCE if band is None else band
    series = collect_series(observations)
    if not series:
        raise UsageError("no observations to compare")
    periods = sorted({p for s in series.values() for p in s.values})
    years = sorted({p.year_period() for p in periods})
    current_year = options.current or periods[-1].year_period()
    if current_year not in years:
        raise UsageError(f"no measure has a value for the current year {current_year}; the data have {_listed(years)}")
    default_base = options.baseline or (catalogue.baseline if catalogue else None) or current_year.previous()
    if default_base >= current_year:
        raise UsageError(f"the baseline {default_base} is not before the current year {current_year}")

    wanted_sections = {s.lower() for s in options.sections}
    wanted_measures = {m.lower() for m in options.measures}
    rows: list[Comparison] = []
    for r in _resolve(series, catalogue, observations.files):
        if wanted_sections and not {r.measure.section.lower(), r.area.lower()} & wanted_sections:
            continue
        if wanted_measures and r.measure.name.lower() not in wanted_measures:
            continue
        base = r.measure.baseline or default_base
        row = _compare_one(r, base, current_year, ar.tolerance_for(r.measure, band), options.pro_rata)
        if row is not None:
            rows.append(row)
    if not rows:
        what = "the sections and measures asked for" if (wanted_sections or wanted_measures) else f"{current_year}"
        raise UsageError(f"no measure has data for {what}")
    on_default = [c for c in rows if c.baseline_period == default_base.label]
    if on_default and default_base not in years:  # most likely a typo: say what there is
        raise UsageError(f"no measure has a value for the baseline {default_base}; the data have {_listed(years)}")
    quarters = sorted({q for s in series.values() for q in s.values if q.is_quarter and q.year == current_year.year})
    shown = {q.period for c in rows for q in c.quarters}
    return ComparisonReport(
        baseline=default_base.label,
        current=current_year.label,
        tolerance=band,
        quarters=[q.label for q in quarters if q.label in shown],
        comparisons=rows,
        notes=_method_notes(rows, default_base, current_year, band),
        files=list(files),
    )


def _listed(years: list[Period]) -> str:
    return ", ".join(y.label for y in years)


def _method_notes(rows: list[Comparison], base: Period, year: Period, band: float) -> list[str]:
    notes = [
        f"Baseline: {base}" + (" (full year)" if not base.is_quarter else "") + f"; current year: {year}.",
        f"Direction: ↔ when the change is within ±{band:g}% (percentage points for percent measures),"
        " edges included; otherwise ↑ or ↓.",
        "Figures are rounded half away from zero for display; changes are computed at full precision.",
    ]
    own: dict[str, list[str]] = {}
    for c in rows:
        if c.baseline_period and c.baseline_period != base.label and not c.inferred:
            own.setdefault(c.baseline_period, []).append(c.measure)
    for period, names in own.items():
        notes.append(f"Baseline {period}, as the catalogue sets it, for: {', '.join(names)}.")
    return notes


def _resolve(
    series: dict[tuple[str, str], Series], catalogue: Catalogue | None, files: dict[int, str]
) -> list[_Resolved]:
    """Each (area, measure) with data: a catalogue measure applies in every area the data have."""
    out: list[_Resolved] = []
    used: set[tuple[str, str]] = set()
    if catalogue is not None:
        # (area, measure key) -> series; the area is the data's section where it is not the measure's own
        by_measure: dict[tuple[str, tuple[str, str]], Series] = {}
        areas: dict[str, None] = {"": None}
        for key, s in series.items():
            m = catalogue.resolve(s.name, s.section)
            if m is None:
                continue
            used.add(key)
            area = "" if catalogue.is_own_section(s.section, m) else s.section
            areas.setdefault(area, None)
            by_measure.setdefault((area, m.key), Series(m.section, m.name)).merge(s, files)
        for area in areas:
            for m in catalogue.measures:
                s = by_measure.get((area, m.key), Series(m.section, m.name))
                num = den = None
                if m.aggregate == "ratio":
                    nm = catalogue.resolve(m.numerator or "", m.section)
                    dm = catalogue.resolve(m.denominator or "", m.section)
                    if nm and dm and (area, nm.key) in by_measure and (area, dm.key) in by_measure:
                        num = _Resolved(nm, by_measure[(area, nm.key)], False, area=area)
                        den = _Resolved(dm, by_measure[(area, dm.key)], False, area=area)
                if s.values or (num and den):
                    out.append(_Resolved(m, s, False, num, den, area=area))
    for key, s in series.items():
        if key in used:
            continue
        out.append(_Resolved(_inferred_measure(s), s, True))
    return out


def _inferred_measure(s: Series) -> Measure:
    """What a measure no catalogue describes evidently is: a percentage, a count, or another number."""
    unit: Unit = "percent" if s.percent else "count"
    values = [v for v, _ in s.values.values() if v is not None]
    if unit == "count" and any(v < 0 or v != int(v) for v in values if math.isfinite(v)):
        unit = "number"
    how = ar.inferred_aggregate(s.name, percent=s.percent, stock=s.stock)
    return Measure(name=s.name, section=s.section, unit=unit, aggregate=how)


def _compare_one(r: _Resolved, base: Period, year: Period, band: float, pro_rata: bool = False) -> Comparison | None:
    m = r.measure
    notes: list[str] = []
    present = r.present(year)
    base_present = r.present(base)
    if present:
        current_value = r.year_value(year, present)
        current_basis = quarter_span(present) + f" {year}"
    else:
        current_value = r.value(year)
        current_basis = f"{year} (year figure)"
    if current_value is None and r.value(base) is None and not base_present:
        return None
    # the quarters the year should have: all four, or those since the measure was first reported
    expected = [q.quarter for q in year.quarters() if q.quarter and (m.since is None or q >= m.since)]
    partial = bool(present) and present != expected
    # a quarter missing before the latest one, or one marked ([c] suppressed, say) and without a value
    gaps = [
        q
        for q in year.quarters()
        if q.quarter not in present
        and ((q.quarter or 0) < max(present, default=0) or r.series.marker(q) is not None)
        and (m.since is None or q >= m.since)
    ]
    if gaps:
        named = ", ".join(f"{q}" + (f" ({r.series.marker(q)})" if r.series.marker(q) else "") for q in gaps)
        notes.append(f"No value for {named}: the year so far leaves {'it' if len(gaps) == 1 else 'them'} out.")
    like_for_like = partial and set(present) <= set(base_present)
    projected = False
    reason: str | None = None
    if like_for_like:
        base_value = r.year_value(base, present)
        base_basis = f"{quarter_span(present)} {base}"
        notes.append(f"{quarter_span(present)} of {year} compared with the same quarters of {base}.")
    else:
        base_value, base_basis = _year_of(r, base, base_present)
        if partial and m.aggregate == "sum" and base_value is not None:
            # a part-year flow is not comparable with a whole year: never a fall "by -58%" in Q2
            if pro_rata and current_value is not None:
                current_value = current_value * 4 / len(present)
                current_basis = f"{quarter_span(present)} {year} × 4/{len(present)} (projection)"
                projected = True
                notes.append(
                    f"{year} projected from {quarter_span(present)} (× 4/{len(present)}) to compare with the"
                    f" full year {base}: a projection, not a measured value."
                )
            else:
                reason = (
                    f"Only {quarter_span(present)} of {year}, and {base} has no figures for the same quarters:"
                    " a part-year total is not comparable with a full year (no change or arrow"
                    " unless a projection to the year is asked for)."
                )
                notes.append(reason)
        elif partial and base_value is not None:
            notes.append(f"{quarter_span(present)} of {year} ({m.aggregate}) compared with the full year {base}.")
    if base_value is None:
        missing = [q for q in base.quarters() if q.quarter not in base_present]
        if base_present and missing:
            named = ", ".join(f"{q}" + (f" ({r.series.marker(q)})" if r.series.marker(q) else "") for q in missing)
            notes.append(f"No baseline value for {base}, which has no value for {named}.")
        else:
            notes.append(f"No baseline value for {base}.")
    if current_value is None:
        notes.append(f"No value for {year}.")
    points = m.unit == "percent"
    if reason is None:
        change = ar.absolute_change(base_value, current_value)
        pct = ar.relative_change(base_value, current_value)
        direction = ar.direction_of_change(base_value, current_value, points, band)
    else:
        change = pct = direction = None
    if base_value == 0 and change is not None and not points:
        notes.append("The baseline is zero: no % change; the arrow follows the absolute change.")
    if base_value is not None and base_value < 0 and pct is not None:
        notes.append("The baseline is negative: the % change is relative to its size.")
    notes.extend(r.series.restated)
    if r.inferred:
        notes.append(
            f"Not in a catalogue: taken as a {m.unit} measure, year = {m.aggregate} of the quarters, no polarity."
        )

    quarter_values = [
        QuarterValue(period=q.label, value=r.value(q), marker=r.series.marker(q))
        for q in year.quarters()
        if r.value(q) is not None or r.series.marker(q) is not None
    ]
    qoq = yoy = None
    if present:
        latest = period_of(year.year, present[-1], year.calendar)
        qoq = _delta(r, latest.previous(), latest)
        yoy = _delta(r, latest.same_period_last_year(), latest)
    return Comparison(
        measure=m.name,
        section=m.section,
        area=r.area,
        unit=m.unit,
        aggregate=m.aggregate,
        polarity=m.polarity,
        tolerance=band,
        inferred=r.inferred,
        baseline_period=base.label,
        baseline_basis=base_basis,
        baseline_value=base_value,
        current_period=year.label,
        current_basis=current_basis,
        quarters=quarter_values,
        current_value=current_value,
        change=change,
        change_pct=pct,
        change_unit="pp" if points else "%",
        direction=direction,
        assessment=ar.assess(direction, m.polarity),
        quarter_on_quarter=qoq,
        year_on_year=yoy,
        history=_history(r, year),
        notes=notes,
        current_quarters=[period_of(year.year, q, year.calendar).label for q in present],
        complete=not partial,
        projected=projected,
        not_compared=reason,
    )


def _year_of(r: _Resolved, year: Period, present: list[int]) -> tuple[float | None, str]:
    """A baseline year's value: its four quarters, a stock's last quarter present, else its year figure."""
    if present == [1, 2, 3, 4] or (present and r.measure.aggregate == "last"):
        return r.year_value(year, present), f"{quarter_span(present)} {year}"
    return r.value(year), f"{year} (year figure)"


def _delta(r: _Resolved, before: Period, after: Period) -> Delta | None:
    a, b = r.value(before), r.value(after)
    if a is None or b is None:
        return None
    return Delta(
        from_period=before.label,
        to_period=after.label,
        from_value=a,
        to_value=b,
        absolute=b - a,
        relative=ar.relative_change(a, b),
    )


def _history(r: _Resolved, year: Period) -> list[float | None]:
    """Up to the last eight quarters to the end of ``year``, for the sparkline."""
    quarters: list[Period] = []
    p = period_of(year.year, 4, year.calendar)
    for _ in range(SPARK_QUARTERS):
        quarters.append(p)
        p = p.previous()
    values = [r.value(q) for q in reversed(quarters)]
    while values and values[0] is None:
        values.pop(0)
    while values and values[-1] is None:
        values.pop()
    return values
