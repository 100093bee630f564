"""Comparison reports as tidy CSV: one row per measure, every computed column, unrounded."""

from __future__ import annotations

import csv
import io
import re

from kpitool.models import ComparisonReport, PeriodValue

SKIPPED_SECTION = "(not read)"  # the section of the rows that name input rows left out
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_text(text: str) -> str:
    """A text cell a spreadsheet will not run as a formula: at its start, or after a line break in it."""
    lines = re.split(r"(\r\n|\r|\n)", text)
    return "".join(
        "'" + part if i % 2 == 0 and part.startswith(FORMULA_START) else part for i, part in enumerate(lines)
    )


def _num(value: float | None) -> str:
    """Full precision; a whole number without ``.0`` (``1200``, not ``1200.0``), for the next program."""
    if value is None:
        return ""
    number = float(value)
    if number.is_integer() and abs(number) < 2**53:
        return str(int(number))
    return repr(number)


def _quarter_cells(values: list[PeriodValue], columns: list[str]) -> list[str]:
    """Each column's value and marker, blank where the row has none."""
    by_period = {q.period: q for q in values}
    return [
        cell
        for p in columns
        for cell in (
            _num(by_period[p].value) if p in by_period else "",
            safe_text(by_period[p].marker or "") if p in by_period else "",
        )
    ]


def _yes(flag: bool | None) -> str:
    return "" if flag is None else ("yes" if flag else "no")


def render_csv(report: ComparisonReport) -> str:
    out = io.StringIO()
    # CRLF ends records (RFC 4180), so a field holding a bare CR or LF is always quoted
    writer = csv.writer(out, lineterminator="\r\n")
    # each quarter's value, and beside it its marker ([x] suppressed, [r] revised, .. missing): never lost
    quarter_cols = [name for p in report.quarters for name in (f"q_{p}", f"q_{p}_marker")]
    base_cols = [name for p in report.baseline_quarters for name in (f"b_{p}", f"b_{p}_marker")]
    header = [
            "section", "area", "measure", "unit", "aggregate", "polarity", "tolerance",
            "baseline_period", "baseline_basis", *base_cols, "baseline_value",
            "current_period", "current_basis", *quarter_cols, "current_value",
            "change", "change_pct", "change_unit", "direction", "arrow", "assessment",
            "qoq_from", "qoq_change", "qoq_change_pct", "yoy_from", "yoy_change", "yoy_change_pct",
            "method", "test", "estimate", "ci_low", "ci_high", "p_value", "significant",
            "spc_variation", "spc_rule", "spc_mean", "spc_lower", "spc_upper",
            "target", "target_met", "small_numbers", "notes",
    ]  # fmt: skip
    writer.writerow(header)
    width = len(header)
    for c in report.comparisons:
        quarter_cells = _quarter_cells(c.quarters, report.quarters)
        base_cells = _quarter_cells(c.baseline_quarters, report.baseline_quarters)
        qoq, yoy, sig, spc = c.quarter_on_quarter, c.year_on_year, c.significance, c.spc
        writer.writerow(
            [
                safe_text(c.section), safe_text(c.area), safe_text(c.measure), c.unit, c.aggregate, c.polarity, _num(c.tolerance),
                c.baseline_period or "", safe_text(c.baseline_basis), *base_cells, _num(c.baseline_value),
                c.current_period, safe_text(c.current_basis), *quarter_cells,
                _num(c.current_value),
                _num(c.change), _num(c.change_pct), c.change_unit, c.direction or "", c.arrow, c.assessment,
                qoq.from_period if qoq else "", _num(qoq.absolute if qoq else None), _num(qoq.relative if qoq else None),
                yoy.from_period if yoy else "", _num(yoy.absolute if yoy else None), _num(yoy.relative if yoy else None),
                c.method, sig.test if sig else "", _num(sig.value if sig else None),
                _num(sig.low if sig else None), _num(sig.high if sig else None), _num(sig.p_value if sig else None),
                _yes(sig.significant if sig else None),
                spc.variation or "" if spc else "", spc.rule or "" if spc else "",
                _num(spc.mean if spc else None), _num(spc.lower if spc else None), _num(spc.upper if spc else None),
                _num(c.target), _yes(c.target_met), _yes(c.small_numbers or None),
                safe_text(" ".join(c.notes)),
            ]
        )  # fmt: skip
    for s in report.skipped:  # rows not read: named in the file itself, after the measures
        writer.writerow([SKIPPED_SECTION, "", safe_text(s.measure or ""), *[""] * (width - 4), safe_text(s.sentence)])
    return out.getvalue()
