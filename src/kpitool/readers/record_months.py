"""Counted records as observations: months per area, their completeness, and quarters or years.

Which months an area's data has is decided by its records of any kind (a month with burglaries
but no arson has arson 0, not missing); a month with no records at all is missing, never zero.
A month missing amid months of many records is a warning (a monthly file left out?); a quarter
without one of its months has no figure, and says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from statistics import median
from typing import TYPE_CHECKING, Literal

from kpitool.codes import Code
from kpitool.models import Finding
from kpitool.periods import Period, YearStart, month_period
from kpitool.readers.base import FRAME_COLUMNS, DataFile, empty_frame
from kpitool.readers.records import RecordCounts, Tally

if TYPE_CHECKING:
    import pandas as pd

Grain = Literal["month", "quarter", "year"]
# an area's median records a month above which a month with none is a gap, not chance
# (a Poisson count of mean 20 is 0 with probability 2e-9)
MIN_EXPECTED = 20
BY_JOIN = " / "


def month_of(key: int, year_start: YearStart) -> Period:
    """``202212`` -> the month 2022-12."""
    return month_period(key // 100, key % 100, year_start)


def _index(key: int) -> int:
    return (key // 100) * 12 + key % 100 - 1


def _key(index: int) -> int:
    return (index // 12) * 100 + index % 12 + 1


def completeness(
    presence: dict[str, dict[int, int]], name: str, year_start: YearStart, *, quarters: bool = True
) -> list[Finding]:
    """Months missing amid the data, per area (``missing-month``), and quarters short of a month (``incomplete-period``).

    ``presence`` is records per area and month; the span is every area's months together, so a
    force whose December is absent while its neighbour's is there is seen.
    """
    everything = {m for months in presence.values() for m in months}
    if not everything:
        return []
    first, last = _index(min(everything)), _index(max(everything))
    span = [_key(i) for i in range(first, last + 1)]
    findings: list[Finding] = []
    for area in sorted(presence):
        have = presence[area]
        typical = median(have.values())
        label = area or "The data"
        if typical >= MIN_EXPECTED:
            for run in _runs([key for key in span if key not in have]):
                opening, closing = month_of(run[0], year_start), month_of(run[-1], year_start)
                before = max((k for k in have if k < run[0]), default=0)
                after = min((k for k in have if k > run[-1]), default=0)
                around = [f"{month_of(k, year_start)} has {have[k]:,}" for k in (before, after) if k]
                months = f"{opening}" if len(run) == 1 else f"{opening} to {closing} ({len(run)} months)"
                findings.append(
                    Finding(
                        code=Code.MISSING_MONTH,
                        file=name,
                        section=area or None,
                        period=opening.label,
                        message=f"{label} has no records for {months}, though {' and '.join(around)}"
                        f" (median {typical:,.0f} a month): is a monthly file missing? Its quarter has no figure",
                    )
                )
        if quarters:
            findings.extend(_short_quarters(area, have, year_start, name))
    return findings


def _runs(keys: list[int]) -> list[list[int]]:
    """Consecutive months together: a run of missing months is one finding, not one a month."""
    runs: list[list[int]] = []
    for key in keys:
        if runs and _index(key) == _index(runs[-1][-1]) + 1:
            runs[-1].append(key)
        else:
            runs.append([key])
    return runs


def _short_quarters(area: str, have: dict[int, int], year_start: YearStart, name: str) -> list[Finding]:
    out = []
    seen: set[Period] = set()
    for key in sorted(have):
        quarter = month_of(key, year_start).quarter_period()
        if quarter in seen:
            continue
        seen.add(quarter)
        months = quarter.month_periods()
        present = [m for m in months if _month_key(m) in have]
        if len(present) == len(months):
            continue
        absent = [m for m in months if m not in present]
        out.append(
            Finding(
                code=Code.INCOMPLETE_PERIOD,
                file=name,
                section=area or None,
                period=quarter.label,
                message=f"{(area + ' ') if area else ''}{quarter} has records for {', '.join(m.label for m in present)}"
                f" only (none for {', '.join(m.label for m in absent)}): it has no figure until it is complete",
            )
        )
    return out


def _month_key(month: Period) -> int:
    return month.start.year * 100 + month.start.month


def measure_frame(counts: RecordCounts, tallies: Sequence[Tally], by: Sequence[str], prefix: str = "") -> pd.DataFrame:
    """Long counts: area, measure, month (key), value, one row per area-month the data has, per measure.

    With ``by`` columns each value is its own measure (``prefix`` before it), and a group with no
    records in a month the area has is 0 there, among the groups the area has records of at all:
    the rows stay bounded by the data (LSOAs by force, not LSOAs times forces).
    """
    import pandas as pd

    frame = counts.frame
    keys = [f"by{i}" for i in range(len(by))]
    if frame.empty:
        return pd.DataFrame({"area": [], "measure": [], "month": [], "value": []})
    area_months = frame[["area", "month"]].drop_duplicates()
    parts = []
    for i, tally in enumerate(tallies):
        column = f"t{i}"
        if not keys:
            part = frame[["area", "month", column]].rename(columns={column: "value"})
            part = part.assign(measure=tally.measure)
        else:
            # the groups an area has records of, each 0 in its months without one (never another
            # area's groups: a neighbourhood of one force is no 0 in every other force)
            totals = frame.groupby(["area", *keys], sort=True)[column].sum()
            groups = totals[totals != 0].reset_index()[["area", *keys]]
            grid = area_months.merge(groups, on="area")
            part = grid.merge(frame[["area", "month", *keys, column]], on=["area", "month", *keys], how="left")
            part[column] = part[column].fillna(0.0)
            names = part[keys[0]].astype(str)
            for k in keys[1:]:
                names = names + BY_JOIN + part[k].astype(str)
            part = part.assign(measure=prefix + names).rename(columns={column: "value"})
        parts.append(part[["area", "measure", "month", "value"]])
    out = pd.concat(parts, ignore_index=True)
    return out.sort_values(["area", "measure", "month"], kind="stable").reset_index(drop=True)


def rolled_up(
    long: pd.DataFrame, presence: dict[str, dict[int, int]], grain: Grain, year_start: YearStart
) -> tuple[pd.DataFrame, list[str]]:
    """Months summed to quarters or years, each only when its area has records for all its months.

    Returns the frame (area, measure, period label, value) and the periods left out, as sentences.
    """
    import pandas as pd

    if long.empty:
        return pd.DataFrame({"area": [], "measure": [], "period": [], "value": []}), []
    periods = {int(k): month_of(int(k), year_start) for k in long["month"].unique()}
    long = long.assign(period=pd.Series([periods[int(k)] for k in long["month"]], index=long.index, dtype=object))
    if grain == "month":
        return long.assign(period=long["period"].map(lambda p: p.label))[["area", "measure", "period", "value"]], []
    up = (lambda p: p.quarter_period()) if grain == "quarter" else (lambda p: p.year_period())
    long = long.assign(period=long["period"].map(up))
    summed = long.groupby(["area", "measure", "period"], sort=False)["value"].sum().reset_index()
    left_out: list[str] = []
    complete: dict[tuple[str, Period], bool] = {}
    for area, period in summed[["area", "period"]].drop_duplicates().itertuples(index=False):
        months = period.month_periods()
        absent = [m for m in months if _month_key(m) not in presence.get(str(area), {})]
        complete[(str(area), period)] = not absent
        if absent:
            shown = ", ".join(m.label for m in absent[:6]) + (f" and {len(absent) - 6} more" if len(absent) > 6 else "")
            left_out.append(f"{(str(area) + ' ') if area else ''}{period}: no records for {shown}; not written")
    keep = [complete[(str(a), p)] for a, p in zip(summed["area"], summed["period"], strict=True)]
    summed = summed[keep]
    summed = summed.assign(period=summed["period"].map(lambda p: p.label))
    return pd.DataFrame(summed[["area", "measure", "period", "value"]]), left_out


def as_datafile(long: pd.DataFrame, path: str, file_index: int, records: int, year_start: YearStart) -> DataFile:
    """Monthly counts as a DataFile that every check and comparison reads."""
    import pandas as pd

    if long.empty:
        return DataFile(path, "records", empty_frame(), records=records)
    periods = {month_of(int(k), year_start).label: month_of(int(k), year_start) for k in long["month"].unique()}
    labels = {int(k): month_of(int(k), year_start).label for k in long["month"].unique()}
    n = len(long)
    frame = pd.DataFrame(
        {
            "section": long["area"].astype(str).to_numpy(),
            "measure": long["measure"].astype(str).to_numpy(),
            "period": [labels[int(k)] for k in long["month"]],
            "value": long["value"].astype("float64").to_numpy(),
            "marker": pd.Series([None] * n, dtype=object),
            "percent": False,
            "stock": False,
            "row": 0,
            "column": 0,
            "file_index": file_index,
        }
    )[list(FRAME_COLUMNS)]
    frame = frame.astype({"row": "int64", "column": "int32", "file_index": "int32"})
    return DataFile(path, "records", frame, records=records, periods=periods)
