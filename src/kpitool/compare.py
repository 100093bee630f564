"""The KPI table: each measure's year value against its baseline, by the rules of DESIGN.md.

The arithmetic (year values, ratios, changes, the band, assessment) is ``kpitool.arithmetic``,
which the audit of published tables uses too. Periods arrive as ``Period`` objects, parsed
once by the readers, the catalogue and the command line.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from kpitool import arithmetic as ar
from kpitool import bulk, methods
from kpitool import grid as grid_of
from kpitool.compare_notes import listed, method_notes, nothing_to_compare, unmade_notes
from kpitool.errors import UsageError
from kpitool.heap import gc_paused
from kpitool.models import (
    Catalogue,
    CompareOptions,
    Comparison,
    ComparisonReport,
    Delta,
    Direction,
    HistoryGrain,
    Method,
    PeriodValue,
)
from kpitool.periods import Period, period_of, quarter_span
from kpitool.progress import Progress, silent
from kpitool.readers import Observations
from kpitool.rows import Block, merged
from kpitool.series import Key, Resolved, Resolver, Row, Series, collect_series, plan_rows
from kpitool.units import inferred_note

SPARK_QUARTERS = 8
HISTORY_MONTHS = 24


def compare(
    observations: Observations,
    catalogue: Catalogue | None = None,
    options: CompareOptions | None = None,
    *,
    files: Sequence[str] = (),
    progress: Progress = silent,
    per_row: bool = False,
) -> ComparisonReport:
    """The KPI table: each measure's year value against its baseline.

    Plain rows are made all at once (``kpitool.bulk``), the others one by one; ``per_row`` makes
    every row one by one, the reference the bulk path is tested against."""
    # the rows make no reference cycles: the collector's passes over a heap growing by a dozen
    # models a row would cost more than making them (62,500 plain rows: 4.9 s with them, 1.7 s without)
    with gc_paused():
        return _compare(observations, catalogue, options or CompareOptions(), files, progress, per_row)


def _compare(
    observations: Observations,
    catalogue: Catalogue | None,
    options: CompareOptions,
    files: Sequence[str],
    progress: Progress,
    per_row: bool,
) -> ComparisonReport:
    band = options.tolerance if options.tolerance is not None else (catalogue.tolerance if catalogue else None)
    band = ar.DEFAULT_TOLERANCE if band is None else band
    if observations.frame.empty:
        raise UsageError("no observations to compare")
    labels = observations.labels()
    periods = sorted({observations.periods[label] for label in labels})
    years = sorted({p.year_period() for p in periods if p.kind != "rolling"} | {p for p in periods if p.is_year})
    latest = periods[-1]
    current_year = options.current or (latest if latest.kind == "rolling" else latest.year_period())
    if current_year.is_year and current_year not in years:
        raise UsageError(f"no measure has a value for the current year {current_year}; the data have {listed(years)}")
    if current_year.is_year:
        default_base = options.baseline or (catalogue.baseline if catalogue else None) or current_year.previous()
    else:  # a quarter, a month or a rolling year: against the same period a year before, unless asked
        default_base = options.baseline or current_year.same_period_last_year()
    _like_for_like(default_base, current_year)
    if default_base >= current_year:
        raise UsageError(f"the baseline {default_base} is not before the current period {current_year}")

    method = options.method or (catalogue.method if catalogue else "band")
    confidence = options.confidence or (catalogue.confidence if catalogue else 95.0)
    wanted_sections = {s.lower() for s in options.sections}
    wanted_measures = {m.lower() for m in options.measures}
    series: dict[Key, Series] = {}
    grid = None
    if per_row:
        series = collect_series(observations)
    else:
        bases = {m.baseline for m in catalogue.measures if m.baseline} if catalogue else set()
        columns = grid_of.columns_for(current_year, [default_base, *bases], _quarter_trend(current_year))
        grid = grid_of.pivot(observations, columns) if current_year.is_year else None
        if grid is None:
            series = collect_series(observations)
    planned = plan_rows(grid.keys if grid is not None else list(series), catalogue, observations.areas)
    chosen: list[tuple[Row, Method, float, Period]] = []  # a row, its method, its band and its baseline
    for row in planned:
        if wanted_sections and not {row.section.lower(), row.area.lower()} & wanted_sections:
            continue
        if wanted_measures and row.name.lower() not in wanted_measures:
            continue
        m = row.measure
        how = options.method or (m.method if m else None) or method
        chosen.append((row, how, ar.tolerance_for(m, band), (m.baseline if m else None) or default_base))
    made = bulk.Made([], set())
    if grid is not None:
        made = bulk.plain_rows(grid, _plain(chosen), current_year, _quarter_trend(current_year))
        decided = made.places()
        left = [i for i in range(len(chosen)) if i not in decided]
        wanted = {g for i in left for part in chosen[i][0].parts for g in part.at}
        series = collect_series(grid.frame_of(observations, sorted(wanted)))
        chosen_left = [(i, chosen[i]) for i in left]
    else:
        chosen_left = list(enumerate(chosen))
    resolve = Resolver(series, observations.files)
    places: list[int] = []  # the rows made one by one: their places in the table, their models
    models: list[Comparison] = []
    for n, (i, (row, how, tolerance, base)) in enumerate(chosen_left):
        if n % 500 == 0:
            progress("Comparing", n, len(chosen_left))
        r = resolve(row)
        if current_year.is_year:
            one = _compare_one(r, base, current_year, tolerance, options.pro_rata)
        else:
            one = _compare_periods(r, default_base, current_year, tolerance)
        if one is not None:
            places.append(i)
            models.append(methods.apply(r, one[0], how, confidence, one[1], current_year))
        else:
            made.none.add(i)
    # rows with nothing to compare: said where their cells are markers
    unmade = [chosen[i][0] for i in sorted(made.none)]
    if len(made.none) == len(chosen):
        raise UsageError(nothing_to_compare(planned, options, current_year, periods))
    rows = merged([*made.blocks, Block.of_models(places, models)])
    on_default = default_base.label in rows.baseline_period
    if on_default and default_base.is_year and default_base not in years:  # most likely a typo: say what there is
        raise UsageError(f"no measure has a value for the baseline {default_base}; the data have {listed(years)}")
    shown: set[str] = set()
    in_year = {q.label for q in current_year.quarters()} if current_year.is_year else set()
    for named in rows.quarter_labels:  # the year's quarters any row shows (most often all four by the first row)
        shown.update(named)
        if in_year <= shown:
            break
    # canonical labels sort by time
    shown_base = sorted({q for labels in set(map(tuple, rows.baseline_labels)) for q in labels})
    return ComparisonReport.of_rows(
        rows,
        baseline=default_base.label,
        current=current_year.label,
        tolerance=band,
        quarters=[q.label for q in current_year.quarters() if q.label in shown] if current_year.is_year else [],
        baseline_quarters=shown_base,
        method=method,
        confidence=confidence,
        notes=[
            *method_notes(rows, default_base, current_year, band, confidence),
            *unmade_notes(unmade, observations, default_base, current_year),
        ],
        files=list(files),
    )


def _like_for_like(base: Period, current: Period) -> None:
    """Two periods compare only when they are of one length: a month with a month, 12 months with 12."""
    if base.months != current.months:
        hint = ""
        for p in (base, current):
            if p.is_year and not p.calendar and 1 <= (p.year + 1) % 100 <= 12:
                month = date(p.year, (p.year + 1) % 100, 1)
                hint = f"; for the month write {month:%Y-%m-%d} or {month:%b %Y} ({p.year}-{month:%m} is the year {p})"
        raise UsageError(
            f"the baseline {base} is {_length(base)} and the current period {current} is {_length(current)}:"
            f" compare like with like (--baseline and --current of one kind){hint}"
        )


def _length(p: Period) -> str:
    return {"year": "a year", "quarter": "a quarter", "month": "a month", "rolling": "12 months"}[p.kind]


def _month_gaps(r: Resolved, year: Period) -> tuple[list[Period], list[tuple[Period, list[Period]]]]:
    """For monthly data: the months of ``year`` before the latest month that have no value, and
    each quarter in progress (some of its months in, the rest still to come) with its months in."""
    last = r.last_month()
    gaps: list[Period] = []
    in_progress: list[tuple[Period, list[Period]]] = []
    for q in year.quarters():
        if r.measure.since is not None and q < r.measure.since:
            continue
        missing = r.missing_months(q)
        before = [mo for mo in missing if last is not None and mo < last]
        if before:
            gaps.extend(before)
        elif missing and (have := [mo for mo in q.month_periods() if r.touches(mo)]):
            in_progress.append((q, have))
    return gaps, in_progress


Made = tuple[Comparison, methods.Basis]  # a row and what its two values are made of


def _compare_one(r: Resolved, base: Period, year: Period, band: float, pro_rata: bool = False) -> Made | None:
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
    if current_value is None and r.value(base) is None and not base_present and not r.touches(year):
        return None
    # the quarters the year should have: all four, or those since the measure was first reported
    expected = [q.quarter for q in year.quarters() if q.quarter and (m.since is None or q >= m.since)]
    partial = bool(present) and present != expected
    # a quarter missing before the latest one, or one marked ([c] suppressed, say) and without a value
    month_gaps, in_progress = _month_gaps(r, year)
    for q, months in in_progress:
        notes.append(f"{q} has {listed(months)} so far: it is left out until it is complete.")
    if month_gaps and m.aggregate != "sum":
        notes.append(
            f"No value for {listed(month_gaps)}: the year so far leaves out the quarter"
            f"{'s' if len({mo.quarter_period() for mo in month_gaps}) > 1 else ''} missing"
            f" {'it' if len(month_gaps) == 1 else 'them'}."
        )
    # a quarter missing before the latest one, or one marked ([c] suppressed, say) and without a value
    gaps = [
        q
        for q in year.quarters()
        if q.quarter not in present
        and ((q.quarter or 0) < max(present, default=0) or r.series.marker(q) is not None)
        and (m.since is None or q >= m.since)
        and not r.missing_months(q)
    ]
    if gaps:
        named = ", ".join(f"{q}" + (f" ({r.series.marker(q)})" if r.series.marker(q) else "") for q in gaps)
        notes.append(f"No value for {named}: the year so far leaves {'it' if len(gaps) == 1 else 'them'} out.")
    # a flow's year without one of its months is no year total: no change, no arrow
    month_reason = (
        f"No value for {listed(month_gaps)}: a {year} total without {'it' if len(month_gaps) == 1 else 'them'}"
        " is not comparable (no change or arrow)."
        if month_gaps and m.aggregate == "sum"
        else None
    )
    like_for_like = partial and set(present) <= set(base_present)
    projected = False
    reason: str | None = None
    if month_reason is not None:
        base_value, base_basis = _year_of(r, base, base_present)
        reason = month_reason
        notes.append(reason)
    elif like_for_like:
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
            named = ", ".join(
                listed(r.missing_months(q)) or f"{q}" + (f" ({r.series.marker(q)})" if r.series.marker(q) else "")
                for q in missing
            )
            notes.append(f"No baseline value for {base}, which has no value for {named}.")
        else:
            notes.append(f"No baseline value for {base}.")
    if current_value is None:
        notes.append(f"No value for {year}.")
    change, pct, direction = _change(r, base_value, current_value, band, notes, compared=reason is None)

    quarter_values, base_quarter_values = _quarter_values(r, year), _quarter_values(r, base) if base.is_year else []
    qoq = yoy = None
    if present:
        latest = period_of(year.year, present[-1], year.calendar)
        qoq = _delta(r, latest.previous(), latest)
        yoy = _delta(r, latest.same_period_last_year(), latest)
    whole_base = base_present == [1, 2, 3, 4] or (base_present and m.aggregate == "last")
    base_quarters = present if like_for_like else (base_present if whole_base else [])
    basis = methods.Basis(
        base_count=base_value,
        current_count=r.year_value(year, present) if present else r.value(year),
        base_length=methods.days(base, base_quarters),
        current_length=methods.days(year, present),
        base_terms=_terms(r, base, base_quarters),
        current_terms=_terms(r, year, present),
    )
    row = _comparison(
        r,
        band,
        (change, pct, direction),
        baseline_period=base.label,
        baseline_basis=base_basis,
        baseline_value=base_value,
        current_period=year.label,
        current_basis=current_basis,
        quarters=quarter_values,
        baseline_quarters=base_quarter_values,
        current_value=current_value,
        quarter_on_quarter=qoq,
        year_on_year=yoy,
        **_history(r, year),
        notes=notes,
        current_quarters=[period_of(year.year, q, year.calendar).label for q in present],
        complete=not partial,
        projected=projected,
        not_compared=reason,
    )
    return row, basis


def _quarter_values(r: Resolved, year: Period) -> list[PeriodValue]:
    """The year's quarters that have a value or a marker."""
    out = []
    for q in year.quarters():
        value, marker = r.value(q), r.series.marker(q)
        if value is not None or marker is not None:
            out.append(PeriodValue(period=q.label, value=value, marker=marker))
    return out


def _terms(r: Resolved, period: Period, quarters: list[int]) -> methods.Terms | None:
    """A ratio's numerator and denominator over ``quarters`` of ``period`` (its own figure without)."""
    if r.numerator is None or r.denominator is None:
        return None
    if quarters and period.is_year:
        return r.numerator.year_value(period, quarters), r.denominator.year_value(period, quarters)
    return _whole(r.numerator, period), _whole(r.denominator, period)


def _compare_periods(r: Resolved, base: Period, current: Period, band: float) -> Made | None:
    """A quarter, a month or 12 months against another of the same length (``--baseline 2025/26 Q1
    --current 2025/26 Q4``; a rolling year against the same 12 months a year before)."""
    base_value, current_value = _whole(r, base), _whole(r, current)
    if base_value is None and current_value is None and not (r.touches(base) or r.touches(current)):
        return None  # no data for either period: not a row of this table
    notes: list[str] = []
    for what, period, value in (("baseline value", base, base_value), ("value", current, current_value)):
        if value is None:
            months = r.missing_months(period)
            notes.append(f"No {what} for {period}" + (f": no value for {listed(months)}." if months else "."))
    triple = _change(r, base_value, current_value, band, notes, compared=True)
    row = _comparison(
        r,
        band,
        triple,
        baseline_period=base.label,
        baseline_basis=_basis_of(r, base),
        baseline_value=base_value,
        current_period=current.label,
        current_basis=_basis_of(r, current),
        quarters=[],
        current_value=current_value,
        **_history(r, current),
        notes=notes,
        complete=current_value is not None,
    )
    basis = methods.Basis(
        base_value,
        current_value,
        methods.days(base),
        methods.days(current),
        base_terms=_terms(r, base, []),
        current_terms=_terms(r, current, []),
    )
    return row, basis


def _whole(r: Resolved, period: Period) -> float | None:
    """A whole period's value: a year of four quarters (or its year figure), or any other period."""
    if period.is_year:
        present = r.present(period)
        return r.year_value(period, present) if present == [1, 2, 3, 4] else r.value(period)
    return r.value(period)


def _basis_of(r: Resolved, period: Period) -> str:
    if r.series.get(period) is None and period.kind in ("quarter", "rolling") and r.monthly:
        months = period.month_periods()
        return f"{months[0]} to {months[-1]} ({len(months)} months)"
    if period.is_year and r.present(period) == [1, 2, 3, 4]:
        return f"Q1–Q4 {period}"
    return f"{period}"


Change = tuple[float | None, float | None, Direction | None]


def _change(
    r: Resolved, base_value: float | None, current_value: float | None, band: float, notes: list[str], compared: bool
) -> Change:
    """The change, % change and arrow (none when not ``compared``), and the notes they call for."""
    m = r.measure
    points = m.unit == "percent"
    change = pct = direction = None
    if compared:
        change = ar.absolute_change(base_value, current_value)
        pct = ar.relative_change(base_value, current_value)
        direction = ar.direction_of_change(base_value, current_value, points, band)
    if base_value == 0 and change is not None and not points:
        notes.append("The baseline is zero: no % change; the arrow follows the absolute change.")
    if base_value is not None and base_value < 0 and pct is not None:
        notes.append("The baseline is negative: the % change is relative to its size.")
    notes.extend(r.series.restated)
    if r.inferred:
        notes.append(inferred_note(m.unit, m.aggregate, r.why))
    return change, pct, direction


def _comparison(r: Resolved, band: float, triple: Change, **fields: Any) -> Comparison:
    """A row of the table: the measure's settings, the change, and the ``fields`` of its periods."""
    m = r.measure
    change, pct, direction = triple
    return Comparison(
        measure=m.name,
        section=m.section,
        area=r.area,
        unit=m.unit,
        aggregate=m.aggregate,
        polarity=m.polarity,
        tolerance=band,
        inferred=r.inferred,
        change=change,
        change_pct=pct,
        change_unit="pp" if m.unit == "percent" else "%",
        direction=direction,
        assessment=ar.assess(direction, m.polarity),
        **fields,
    )


def _year_of(r: Resolved, year: Period, present: list[int]) -> tuple[float | None, str]:
    """A baseline year's value: its four quarters, a stock's last quarter present, else its year figure."""
    if present == [1, 2, 3, 4] or (present and r.measure.aggregate == "last"):
        return r.year_value(year, present), f"{quarter_span(present)} {year}"
    return r.value(year), f"{year} (year figure)"


def _delta(r: Resolved, before: Period, after: Period) -> Delta | None:
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


def _history(r: Resolved, end: Period) -> dict[str, Any]:
    """The trend's points to the end of ``end`` and their grain, the data's own: up to 24 months
    for monthly data, eight rolling years a quarter apart for rolling data, else eight quarters (or
    eight years, for a series of year figures alone); a
    period inside it without a value is a point without one (a gap, never bridged)."""
    last = end.last_month()
    grain: HistoryGrain
    if r.monthly:
        points, grain = [last.shifted(-i) for i in range(HISTORY_MONTHS)], "month"
    elif end.kind == "rolling" or r.rolling:
        points, grain = [last.shifted(-3 * i).rolling_to() for i in range(SPARK_QUARTERS)], "rolling year"
    else:
        points, grain = _quarter_trend(end)[::-1], "quarter"
        if end.is_year and all(r.value(p) is None for p in points):  # year figures alone: a trend of years
            points, grain = [end], "year"
            while len(points) < SPARK_QUARTERS:
                points.append(points[-1].previous())
    values = [PeriodValue(period=p.label, value=r.value(p)) for p in reversed(points)]
    while values and values[0].value is None:
        values.pop(0)
    while values and values[-1].value is None:
        values.pop()
    return {"history": values, "history_grain": grain}


def _quarter_trend(end: Period) -> list[Period]:
    """The sparkline's eight quarters to the end of ``end``, oldest first."""
    last = end.last_month()
    return [last.shifted(-3 * i).quarter_period() for i in range(SPARK_QUARTERS)][::-1]


def _plain(chosen: Sequence[tuple[Row, Method, float, Period]]) -> list[bulk.Plain]:
    """The rows whose measure the bulk path can make (it looks at their data itself): one series,
    a sum, mean or last, its arrow drawn by the band, no ``since``, no target (the rows planned
    from the grid's keys: a row's ``at``, its series' row of the grid)."""
    out = []
    for i, (row, how, tolerance, base) in enumerate(chosen):
        m = row.measure
        if how != "band" or len(row.keys) != 1:
            continue
        if m is not None and (m.aggregate == "ratio" or m.since is not None or m.target is not None):
            continue
        out.append(  # by position: a dataclass's keywords cost twice as much
            bulk.Plain(
                i,
                row.at[0],
                row.name,
                row.section,
                row.area,
                m.unit if m else None,
                m.aggregate if m else None,
                m.polarity if m else "neutral",
                tolerance,
                base,
            )
        )
    return out
