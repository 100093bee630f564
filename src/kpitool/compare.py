"""Year values by aggregation, baseline deltas, direction of travel and assessment."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from kpitool.codes import Code
from kpitool.errors import InputError, PeriodError, UsageError
from kpitool.models import (
    Aggregate,
    Assessment,
    Catalogue,
    Comparison,
    ComparisonReport,
    Delta,
    Direction,
    Measure,
    QuarterValue,
    Unit,
)
from kpitool.periods import Period, YearStart, parse_period, period_of, quarter_span

if TYPE_CHECKING:
    import pandas as pd

DEFAULT_TOLERANCE = 5.0
EPSILON = 1e-9  # the band is inclusive: 5.000000000000001 % is "on the edge", not outside it
SPARK_QUARTERS = 8


# --------------------------------------------------------------------------- arithmetic


def aggregate(values: Sequence[float], how: Aggregate) -> float | None:
    """How quarters make a year: sum (flows), last (stocks), mean (averages)."""
    if not values:
        return None
    if how == "sum":
        return math.fsum(values)
    if how == "last":
        return values[-1]
    if how == "mean":
        return math.fsum(values) / len(values)
    raise ValueError("a ratio is computed from its numerator and denominator, not aggregated")


def relative_change(baseline: float | None, current: float | None) -> float | None:
    """(current - baseline) / |baseline| in %; None for a zero or missing baseline."""
    if baseline is None or current is None or baseline == 0:
        return None
    return (current - baseline) / abs(baseline) * 100.0


def direction_of(change: float | None, tolerance: float) -> Direction | None:
    """↔ when |change| <= tolerance (inclusive), else ↑ or ↓."""
    if change is None:
        return None
    if abs(change) <= tolerance + EPSILON:
        return "level"
    return "up" if change > 0 else "down"


def assess(direction: Direction | None, polarity: str) -> Assessment:
    if direction is None or polarity == "neutral":
        return "not assessed"
    if direction == "level":
        return "stable"
    good = (direction == "up") == (polarity == "up")
    return "improving" if good else "worsening"


# --------------------------------------------------------------------------- data


@dataclass
class Series:
    """One measure's observations: period label -> (value, marker)."""

    section: str
    name: str
    values: dict[str, tuple[float | None, str | None]] = field(default_factory=dict)
    percent: bool = False
    stock: bool = False

    def get(self, period: Period) -> float | None:
        return self.values.get(period.label, (None, None))[0]

    def marker(self, period: Period) -> str | None:
        return self.values.get(period.label, (None, None))[1]


def collect_series(frame: pd.DataFrame) -> dict[tuple[str, str], Series]:
    """Series by (section, measure); a later row (a later file) wins over an earlier one."""
    out: dict[tuple[str, str], Series] = {}
    if frame.empty:
        return out
    ordered = frame.sort_values(["file_index", "row"], kind="stable")
    for section, measure, period, value, marker, percent, stock in zip(
        ordered["section"].astype(str),
        ordered["measure"].astype(str),
        ordered["period"].astype(str),
        ordered["value"].to_numpy(dtype="float64"),
        ordered["marker"],
        ordered["percent"].to_numpy(dtype=bool),
        ordered["stock"].to_numpy(dtype=bool),
        strict=True,
    ):
        s = out.setdefault((section, measure), Series(section, measure))
        v = None if math.isnan(value) else float(value)
        s.values[period] = (
            v,
            None if marker is None or (isinstance(marker, float) and math.isnan(marker)) else str(marker),
        )
        s.percent = s.percent or bool(percent)
        s.stock = s.stock or bool(stock)
    return out


def read_observations(paths: Sequence[Path], year_start: YearStart = "april") -> pd.DataFrame:
    """All files' observations in one frame (``file_index`` keeps their order); unreadable -> InputError."""
    import pandas as pd

    from kpitool.readers import empty_frame, read_file

    frames = []
    for index, path in enumerate(paths):
        data = read_file(path, year_start, index)
        fatal = [f for f in data.findings if f.code in (Code.EMPTY_FILE, Code.MISSING_COLUMN, Code.NO_DATA)]
        if fatal:
            raise InputError(f"{path}: {fatal[0].message}")
        frames.append(data.frame)
    if not frames:
        return empty_frame()
    for f in frames:
        for c in ("section", "measure", "period", "marker"):
            f[c] = f[c].astype(object)
    return pd.concat(frames, ignore_index=True)


# --------------------------------------------------------------------------- comparison


@dataclass
class _Resolved:
    measure: Measure
    series: Series
    inferred: bool
    numerator: _Resolved | None = None  # the terms of a ratio, each with its own aggregation
    denominator: _Resolved | None = None

    @property
    def scale(self) -> float:
        return 100.0 if self.measure.unit == "percent" else 1.0


def compare(
    frame: pd.DataFrame,
    catalogue: Catalogue | None = None,
    *,
    baseline: str | None = None,
    current: str | None = None,
    tolerance: float | None = None,
    sections: Sequence[str] = (),
    measures: Sequence[str] = (),
    files: Sequence[str] = (),
) -> ComparisonReport:
    """The KPI table: each measure's year value against its baseline, by the rules of DESIGN.md."""
    year_start: YearStart = catalogue.year_start if catalogue else "april"
    band = tolerance if tolerance is not None else (catalogue.tolerance if catalogue else DEFAULT_TOLERANCE)
    series = collect_series(frame)
    if not series:
        raise UsageError("no observations to compare")
    periods = sorted({parse_period(label, year_start) for s in series.values() for label in s.values})
    current_year = _year(current, year_start, "--current") if current else periods[-1].year_period()
    default_base_text = baseline or (catalogue.baseline if catalogue else None)
    default_base = (
        _year(default_base_text, year_start, "--baseline")
        if default_base_text
        else period_of(current_year.year - 1, None, current_year.calendar)
    )
    if default_base >= current_year:
        raise UsageError(f"the baseline {default_base} is not before the current year {current_year}")

    resolved = _resolve(series, catalogue)
    wanted_sections = {s.lower() for s in sections}
    wanted_measures = {m.lower() for m in measures}
    rows: list[Comparison] = []
    for r in resolved:
        if wanted_sections and r.measure.section.lower() not in wanted_sections:
            continue
        if wanted_measures and r.measure.name.lower() not in wanted_measures:
            continue
        base = _year(r.measure.baseline, year_start, "baseline") if r.measure.baseline else default_base
        row = _compare_one(r, base, current_year, r.measure.tolerance if r.measure.tolerance is not None else band)
        if row is not None:
            rows.append(row)
    if not rows:
        what = "the --section/--measure filter" if (sections or measures) else f"{current_year}"
        raise UsageError(f"no measure has data for {what}")
    years = sorted({p.year_period() for p in periods})
    on_default = [c for c in rows if c.baseline_period == default_base.label]
    if on_default and default_base not in years:  # most likely a typo: say what there is
        raise UsageError(
            f"no measure has a value for the baseline {default_base}; the data have {', '.join(y.label for y in years)}"
        )
    quarters = sorted({q.period for c in rows for q in c.quarters}, key=lambda p: parse_period(p, year_start))
    notes = [
        f"Baseline: {default_base}" + (" (full year)" if not default_base.is_quarter else "") + "; current year: "
        f"{current_year}.",
        f"Direction: ↔ when the change is within ±{band:g}% (percentage points for percent measures),"
        " edges included; otherwise ↑ or ↓.",
        "Figures are rounded half away from zero for display; changes are computed at full precision.",
    ]
    own: dict[str, list[str]] = {}
    for c in rows:
        if c.baseline_period and c.baseline_period != default_base.label and not c.inferred:
            own.setdefault(c.baseline_period, []).append(c.measure)
    for period, names in own.items():
        notes.append(f"Baseline {period}, as the catalogue sets it, for: {', '.join(names)}.")
    return ComparisonReport(
        baseline=default_base.label,
        current=current_year.label,
        tolerance=band,
        quarters=quarters,
        comparisons=rows,
        notes=notes,
        files=list(files),
    )


def _year(text: str, year_start: YearStart, what: str) -> Period:
    try:
        period = parse_period(text, year_start)
    except PeriodError as exc:
        raise UsageError(f"{what}: {exc}") from None
    if period.is_quarter:
        raise UsageError(f"{what}: give a year such as 2022/23, not a quarter ({period})")
    return period


def _resolve(series: dict[tuple[str, str], Series], catalogue: Catalogue | None) -> list[_Resolved]:
    out: list[_Resolved] = []
    used: set[tuple[str, str]] = set()
    if catalogue is not None:
        by_measure: dict[tuple[str, str], Series] = {}
        for key, s in series.items():
            m = catalogue.resolve(s.name, s.section)
            if m is None:
                continue
            used.add(key)
            merged = by_measure.setdefault(m.key, Series(m.section, m.name))
            merged.values.update(s.values)
            merged.percent = merged.percent or s.percent
        for m in catalogue.measures:
            s = by_measure.get(m.key, Series(m.section, m.name))
            num = den = None
            if m.aggregate == "ratio":
                nm = catalogue.resolve(m.numerator or "", m.section)
                dm = catalogue.resolve(m.denominator or "", m.section)
                if nm and dm and nm.key in by_measure and dm.key in by_measure:
                    num = _Resolved(nm, by_measure[nm.key], False)
                    den = _Resolved(dm, by_measure[dm.key], False)
            if s.values or (num and den):
                out.append(_Resolved(m, s, False, num, den))
    for key, s in series.items():
        if key in used:
            continue
        unit: Unit = "percent" if s.percent else "count"
        values = [v for v, _ in s.values.values() if v is not None]
        if unit == "count" and any(v < 0 or v != int(v) for v in values):
            unit = "number"
        how: Aggregate = "mean" if unit == "percent" else ("last" if s.stock else "sum")
        out.append(_Resolved(Measure(name=s.name, section=s.section, unit=unit, aggregate=how), s, True))
    return out


def _value(r: _Resolved, period: Period) -> float | None:
    """One quarter's (or year's) value; a ratio is recomputed from its terms when they are there."""
    if r.measure.aggregate == "ratio" and r.numerator and r.denominator:
        n, d = _value(r.numerator, period), _value(r.denominator, period)
        if n is not None and d is not None and d != 0:
            return n / d * r.scale
    return r.series.get(period)


def _present(r: _Resolved, year: Period) -> list[int]:
    return [q.quarter for q in year.quarters() if q.quarter and _value(r, q) is not None]


def _year_value(r: _Resolved, year: Period, quarters: list[int]) -> float | None:
    """The value of ``quarters`` of ``year`` by the measure's aggregation (None if one is missing)."""
    periods = [period_of(year.year, q, year.calendar) for q in quarters]
    if r.measure.aggregate == "ratio":
        if not (r.numerator and r.denominator):
            return None
        n, d = _year_value(r.numerator, year, quarters), _year_value(r.denominator, year, quarters)
        return None if n is None or not d else n / d * r.scale
    values = [r.series.get(p) for p in periods]
    if any(v is None for v in values):
        return None
    return aggregate([v for v in values if v is not None], r.measure.aggregate)


def _compare_one(r: _Resolved, base: Period, year: Period, band: float) -> Comparison | None:
    m = r.measure
    notes: list[str] = []
    present = _present(r, year)
    if present:
        current_value = _year_value(r, year, present)
        current_basis = quarter_span(present) + f" {year}"
    else:
        current_value = _value(r, year)
        current_basis = f"{year} (year figure)"
    if current_value is None and _value(r, base) is None and not _present(r, base):
        return None
    full = present == [1, 2, 3, 4]
    base_present = _present(r, base)
    if present and not full and set(present) <= set(base_present):
        base_value = _year_value(r, base, present)
        base_basis = f"{quarter_span(present)} {base}"
        notes.append(f"{quarter_span(present)} of {year} compared with the same quarters of {base}.")
    elif base_present == [1, 2, 3, 4]:
        base_value = _year_value(r, base, base_present)
        base_basis = f"Q1–Q4 {base}"
    else:
        base_value = _value(r, base)
        base_basis = f"{base} (year figure)"
        if present and not full and base_value is not None:
            notes.append(
                f"Only {quarter_span(present)} of {year} so far, compared with the full year {base}:"
                " the baseline has no figures for the same quarters."
            )
    if base_value is None:
        notes.append(f"No baseline value for {base}.")
    if current_value is None:
        notes.append(f"No value for {year}.")
    change = None if base_value is None or current_value is None else current_value - base_value
    pct = relative_change(base_value, current_value)
    unit = "pp" if m.unit == "percent" else "%"
    headline = change if unit == "pp" else pct
    direction = direction_of(headline, band)
    if headline is None and base_value == 0 and change is not None:
        direction = "level" if change == 0 else ("up" if change > 0 else "down")
        notes.append("The baseline is zero: no % change; the arrow follows the absolute change.")
    if base_value is not None and base_value < 0 and pct is not None:
        notes.append("The baseline is negative: the % change is relative to its size.")
    if r.inferred:
        notes.append(
            f"Not in a catalogue: taken as a {m.unit} measure, year = {m.aggregate} of the quarters, no polarity."
        )

    quarter_values = [
        QuarterValue(period=q.label, value=_value(r, q), marker=r.series.marker(q))
        for q in year.quarters()
        if _value(r, q) is not None or r.series.marker(q) is not None
    ]
    qoq = yoy = None
    if present:
        latest = period_of(year.year, present[-1], year.calendar)
        qoq = _delta(r, latest.previous(), latest)
        yoy = _delta(r, latest.same_period_last_year(), latest)
    return Comparison(
        measure=m.name,
        section=m.section,
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
        change_unit=unit,
        direction=direction,
        assessment=assess(direction, m.polarity),
        quarter_on_quarter=qoq,
        year_on_year=yoy,
        history=_history(r, year),
        notes=notes,
    )


def _delta(r: _Resolved, before: Period, after: Period) -> Delta | None:
    a, b = _value(r, before), _value(r, after)
    if a is None or b is None:
        return None
    return Delta(
        from_period=before.label,
        to_period=after.label,
        from_value=a,
        to_value=b,
        absolute=b - a,
        relative=relative_change(a, b),
    )


def _history(r: _Resolved, year: Period) -> list[float | None]:
    """Up to the last eight quarters to the end of ``year``, for the sparkline."""
    quarters: list[Period] = []
    p = period_of(year.year, 4, year.calendar)
    for _ in range(SPARK_QUARTERS):
        quarters.append(p)
        p = p.previous()
    values = [_value(r, q) for q in reversed(quarters)]
    while values and values[0] is None:
        values.pop(0)
    while values and values[-1] is None:
        values.pop()
    return values
