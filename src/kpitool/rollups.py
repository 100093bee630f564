"""A period's figure against the periods it is made of: a quarter beside its three months, a year
beside its four quarters. ``compare`` uses the parts (the quarters are the data), so a figure they do
not make is a ``total-mismatch``; a figure whose aggregate cannot be known is said, not judged."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kpitool.arithmetic import EDGE, inferred_aggregate, is_missing, ratio, year_value
from kpitool.codes import Code
from kpitool.models import Aggregate, Catalogue, Finding, Measure
from kpitool.numbers import format_number, show_value
from kpitool.periods import Period
from kpitool.readers import DataFile

if TYPE_CHECKING:
    import pandas as pd


@dataclass
class _Cells:
    """One (section, measure)'s figures by period, each with its row and column."""

    values: dict[Period, tuple[float, int, int]] = field(default_factory=dict)
    percent: bool = False
    stock: bool = False


def check_rollups(frame: pd.DataFrame, data: DataFile, catalogue: Catalogue | None) -> list[Finding]:
    """Every quarter beside its months and every year beside its quarters, by the measure's aggregate."""
    periods = data.periods
    kinds = {p.kind for p in periods.values()}
    if "quarter" not in kinds or not kinds & {"month", "year"}:
        return []
    cells: dict[tuple[str, str], _Cells] = {}
    for section, measure, period, value, row, column, percent, stock in zip(
        frame["section"].astype(str),
        frame["measure"].astype(str),
        frame["period"].astype(str),
        frame["value"].to_numpy(dtype="float64"),
        frame["row"],
        frame["column"],
        frame["percent"].to_numpy(dtype=bool),
        frame["stock"].to_numpy(dtype=bool),
        strict=True,
    ):
        got = cells.setdefault((section, measure), _Cells())
        got.percent = got.percent or bool(percent)
        got.stock = got.stock or bool(stock)
        if not is_missing(value):
            got.values[periods[period]] = (float(value), int(row), int(column))
    named: dict[tuple[str, str], tuple[Measure, _Cells]] = {}  # by catalogue name: a ratio's terms
    if catalogue is not None:
        for (section, measure), got in cells.items():
            m = catalogue.resolve(measure, section)
            if m is not None:
                named[(section, m.name.strip().lower())] = (m, got)
    findings: list[Finding] = []
    for (section, measure), got in cells.items():
        findings.extend(_months_against_quarters(section, measure, got.values, data, catalogue))
        findings.extend(_quarters_against_years(section, measure, got, data, catalogue, named))
    return findings


def _term_year(
    section: str, name: str, year: Period, named: dict[tuple[str, str], tuple[Measure, _Cells]]
) -> float | None:
    """A ratio's term for the year: made from its four quarters (the data), else its year's figure."""
    found = named.get((section, name.strip().lower()))
    if found is None or found[0].aggregate == "ratio":
        return None
    m, got = found
    quarters = _quarters_within(year, got.values)
    if quarters:
        return year_value([got.values[q][0] for q in quarters], m.aggregate)
    figure = got.values.get(year)
    return figure[0] if figure is not None else None


def _months_against_quarters(
    section: str,
    measure: str,
    values: dict[Period, tuple[float, int, int]],
    data: DataFile,
    catalogue: Catalogue | None,
) -> list[Finding]:
    """A quarter's figure beside its three months must be what they make, by the measure's aggregate."""
    quarters = [q for q in values if q.is_quarter]
    if not quarters or not any(p.is_month for p in values):
        return []
    m = catalogue.resolve(measure, section) if catalogue is not None else None
    how = m.aggregate if m is not None else inferred_aggregate(measure, percent=False, stock=False)
    if how == "ratio":
        return []  # a ratio's months make its quarter only through its terms
    findings: list[Finding] = []
    for q in quarters:
        months = [values.get(mo) for mo in q.month_periods()]
        if any(v is None for v in months):
            continue
        parts = [v[0] for v in months if v is not None]
        made = year_value(parts, how)
        figure, row, column = values[q]
        if made is None or _within_rounding(made, figure, parts, how):
            continue
        findings.append(
            _mismatch(
                data,
                section,
                measure,
                q,
                values[q],
                made,
                f"{measure} {q} is {show_value(figure)}, but its months give {show_value(made)}"
                f" ({how} of {', '.join(mo.label for mo in q.month_periods())})",
            )
        )
    return findings


def _quarters_against_years(
    section: str,
    measure: str,
    got: _Cells,
    data: DataFile,
    catalogue: Catalogue | None,
    named: dict[tuple[str, str], tuple[Measure, _Cells]],
) -> list[Finding]:
    """A year's figure beside all four of its quarters: what compare makes of them (the sum of a
    flow's, a stock's last, an average's mean), or said unchecked when that cannot be known."""
    values = got.values
    within = {y: _quarters_within(y, values) for y in values if y.is_year}
    years = [y for y, qs in within.items() if qs]
    if not years:
        return []
    m = catalogue.resolve(measure, section) if catalogue is not None else None
    how: Aggregate = m.aggregate if m is not None else inferred_aggregate(measure, percent=got.percent, stock=got.stock)
    findings: list[Finding] = []
    for year in years:
        parts = [values[q][0] for q in within[year]]
        figure = values[year][0]
        sign = "%" if got.percent else ""
        quarters = ", ".join(q.label for q in within[year])
        if m is not None and how == "ratio" and m.numerator and m.denominator:
            num = _term_year(section, m.numerator, year, named)
            den = _term_year(section, m.denominator, year, named)
            made = ratio(num, den, m.ratio_scale)
            if made is not None and num is not None and den is not None:
                places = _decimals(figure)
                if abs(made - figure) <= 0.5 * 10.0**-places + EDGE * max(1.0, abs(figure)):
                    continue
                shown = format_number(made, places)
                findings.append(
                    _mismatch(
                        data,
                        section,
                        measure,
                        year,
                        values[year],
                        shown,
                        f"{measure} {year} is {show_value(figure)}{sign}, but its terms give {shown}{sign}"
                        f" ({m.numerator} / {m.denominator} of the year: {show_value(num)} / {show_value(den)});"
                        " compare uses the terms",
                    )
                )
                continue
        if how == "ratio" or (m is None and how == "mean"):
            made = year_value(parts, "mean")
            if how == "mean" and made is not None and _within_rounding(made, figure, parts, "mean"):
                continue
            # however it is weighted, a rate's or an average's year lies between its least and most quarter
            low, high = min(parts), max(parts)
            nearest = low if figure < low else (high if figure > high else figure)
            if not _within_rounding(nearest, figure, parts, "mean"):
                findings.append(
                    _mismatch(
                        data,
                        section,
                        measure,
                        year,
                        values[year],
                        format_number(nearest, _decimals(figure)),
                        f"{measure} {year} is {show_value(figure)}{sign}, but no weighting of its quarters gives it:"
                        f" a year of {quarters} lies between {show_value(low)}{sign} and {show_value(high)}{sign}",
                    )
                )
                continue
            why = (
                "a ratio's year is its terms' (numerator over denominator), and the file does not give them for it"
                if how == "ratio"
                else "a rate's or an average's year may be weighted by figures the file does not give"
                " (declare its aggregate in kpitool.toml to have it checked)"
            )
            findings.append(
                Finding(
                    severity="info",
                    code=Code.UNCHECKED_YEAR,
                    file=data.path,
                    row=values[year][1],
                    column=values[year][2],
                    measure=measure,
                    period=year.label,
                    actual=show_value(figure),
                    section=section or None,
                    message=f"{measure} {year} is {show_value(figure)}{sign} beside its four quarters, not checked"
                    f" against them: {why}; compare uses the quarters",
                )
            )
            continue
        made = year_value(parts, how)
        if made is None or _within_rounding(made, figure, parts, how):
            continue
        message = (
            f"{measure} {year} is {show_value(figure)}{sign}, but its quarters give {show_value(made)}{sign}"
            f" ({how} of {quarters})"
        )
        if m is None and how == "sum" and _within_rounding(parts[-1], figure, parts[-1:], "last"):
            message += (
                f"; it is their last, as a stock's year is: if {measure} is a stock, declare"
                ' aggregate = "last" in kpitool.toml'
            )
        findings.append(
            _mismatch(data, section, measure, year, values[year], made, message + "; compare uses the quarters")
        )
    return findings


def _quarters_within(year: Period, values: dict[Period, tuple[float, int, int]]) -> list[Period]:
    """The year's four quarters in order, of either kind (a calendar year in a project of financial
    years is made of the quarters of two), or none unless all four have a figure."""
    first = year.start.year * 12 + year.start.month
    quarters = sorted(
        (q for q in values if q.is_quarter and first <= q.start.year * 12 + q.start.month < first + year.months),
        key=lambda q: q.start,
    )
    return quarters if len(quarters) * 3 == year.months else []


def _mismatch(
    data: DataFile,
    section: str,
    measure: str,
    period: Period,
    cell: tuple[float, int, int],
    made: float | str,
    message: str,
) -> Finding:
    """A total-mismatch at the figure's cell; ``made``: what its parts give (a number, or as shown)."""
    figure, row, column = cell
    return Finding(
        code=Code.TOTAL_MISMATCH,
        file=data.path,
        row=row,
        column=column,
        measure=measure,
        period=period.label,
        expected=made if isinstance(made, str) else show_value(made),
        actual=show_value(figure),
        section=section or None,
        message=message,
    )


def _decimals(value: float) -> int:
    text = repr(value)
    return min(len(text.split(".")[1]), 6) if "." in text and not text.endswith(".0") else 0


def _within_rounding(made: float, figure: float, parts: list[float], how: str) -> bool:
    """Whole numbers add up exactly; a figure with decimals (or any mean) stands for its rounding,
    and its parts for theirs (each of them, in a sum)."""
    allowance = 0.5 * 10.0 ** -_decimals(figure) if _decimals(figure) or how == "mean" else 0.0
    each = max((0.5 * 10.0 ** -_decimals(v) for v in parts if _decimals(v)), default=0.0)
    allowance += each * (len(parts) if how == "sum" else 1)
    return abs(made - figure) <= allowance + EDGE * max(1.0, abs(figure))
