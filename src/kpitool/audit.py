"""Check the arithmetic of published report tables: totals, % changes, arrows, parts, ratios.

A relationship is assumed only where the catalogue declares it, a row's name states it
(``KSI (fatal + serious)``), or it holds in most columns of the table; a reported figure is
an error only when no reading of the table's own rounding can explain it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Literal

from kpitool.codes import Code, Severity
from kpitool.compare import DEFAULT_TOLERANCE, aggregate, direction_of, relative_change
from kpitool.models import ARROWS, Aggregate, Catalogue, Finding
from kpitool.numbers import Cell, format_number, show_value
from kpitool.periods import Period, parse_period
from kpitool.readers import ARROW_WORDS, DataFile, Table, TableColumn, TableRow

TOTAL_NAME_RE = re.compile(r"\b(total|totals|all)\b", re.IGNORECASE)
NAMED_PARTS_RE = re.compile(r"\(([^()]+\+[^()]+)\)")
RATE_NAME_RE = re.compile(r"\b(rate|ratio|percentage|proportion)\b|%", re.IGNORECASE)
MAX_SUBSET_ROWS = 12


def half(decimals: int) -> float:
    """Half a unit of the last shown digit: how far a rounded figure can be from the truth."""
    return 0.5 * 10.0**-decimals if decimals > 0 else 0.0


def shown_half(decimals: int) -> float:
    """Half a unit of the last digit of a reported figure (integers too: 12 stands for [11.5, 12.5))."""
    return 0.5 * 10.0**-decimals


@dataclass
class Estimate:
    """A value and how far the truth may be from it, given the rounding of what it came from."""

    value: float
    error: float = 0.0

    @property
    def lo(self) -> float:
        return self.value - self.error

    @property
    def hi(self) -> float:
        return self.value + self.error


def change_interval(base: Estimate, cur: Estimate, points: bool) -> tuple[float, float] | None:
    """The range of % change (or pp) that inputs within their rounding allow."""
    if points:
        return (cur.lo - base.hi, cur.hi - base.lo)
    if base.lo <= 0 <= base.hi:
        return None
    corners = [relative_change(b, c) for b in (base.lo, base.hi) for c in (cur.lo, cur.hi)]
    values = [c for c in corners if c is not None]
    return (min(values), max(values))


def truncate(value: float, decimals: int) -> float:
    factor = 10.0**decimals
    return math.trunc(value * factor + math.copysign(1e-9, value)) / factor


def _fmt(value: float | None, decimals: int = 0) -> str:
    return format_number(value, decimals)


# --------------------------------------------------------------------------- entry points


def audit_file(data: DataFile, catalogue: Catalogue | None = None) -> list[Finding]:
    findings: list[Finding] = []
    for table in data.tables:
        findings.extend(TableAudit(table, data.path, catalogue).run())
    return findings


def restatements(files: Sequence[DataFile]) -> list[Finding]:
    """The same measure and period with different values in two files: the later file wins."""
    import numpy as np
    import pandas as pd

    frames = [f.frame for f in files if not f.frame.empty]
    if len(frames) < 2:
        return []
    names = {int(f.frame["file_index"].iloc[0]): f.path for f in files if not f.frame.empty}
    parts = []
    for f in frames:
        part = f[["section", "measure", "period", "value", "row", "file_index"]].copy()
        for c in ("section", "measure", "period"):
            part[c] = part[c].astype(object)
        parts.append(part)
    keys = ["section", "measure", "period"]
    # each file's last word on a key (a repeat inside one file is validate's duplicate check)
    both = (
        pd.concat(parts, ignore_index=True)
        .sort_values(["file_index", "row"], kind="stable")
        .drop_duplicates([*keys, "file_index"], keep="last")
    )
    multi = both[both.duplicated(keys, keep=False)]
    if multi.empty:
        return []
    prev = multi.groupby(keys, sort=False)[["value", "row", "file_index"]].shift(1)
    a, b = prev["value"].to_numpy(dtype="float64"), multi["value"].to_numpy(dtype="float64")
    changed = prev["file_index"].notna().to_numpy() & ~((a == b) | (np.isnan(a) & np.isnan(b)))
    findings: list[Finding] = []
    for i in np.flatnonzero(changed).tolist():
        later, earlier = multi.iloc[i], prev.iloc[i]
        was, now = show_value(float(a[i])), show_value(float(b[i]))
        findings.append(
            Finding(
                code=Code.RESTATED,
                file=names[int(later["file_index"])],
                row=int(later["row"]),
                measure=str(later["measure"]),
                period=str(later["period"]),
                expected=was,
                actual=now,
                message=f"{later['measure']} {later['period']} is restated: {was} in"
                f" {names[int(earlier['file_index'])]} (row {int(earlier['row'])}), {now} here;"
                " compare uses this later file",
            )
        )
    return findings


# --------------------------------------------------------------------------- one table


class TableAudit:
    def __init__(self, table: Table, name: str, catalogue: Catalogue | None) -> None:
        self.table = table
        self.name = name
        self.catalogue = catalogue
        self.band = catalogue.tolerance if catalogue else DEFAULT_TOLERANCE
        self.findings: list[Finding] = []
        self.periods = [c for c in table.columns if c.role == "period" and c.period is not None]
        quarters = [c for c in self.periods if c.period is not None and c.period.is_quarter]
        self.current: Period | None = max((c.period for c in quarters if c.period), default=None)
        if self.current is not None:
            self.current = self.current.year_period()
        self.quarter_cols = sorted(
            (c for c in quarters if c.period and self.current and c.period.year == self.current.year),
            key=lambda c: c.period.quarter or 0 if c.period else 0,
        )
        baselines = [c for c in self.periods if c.baseline]
        years = [c for c in self.periods if c.period and not c.period.is_quarter]
        self.baseline_col = baselines[0] if baselines else (years[0] if years else None)
        self.stock_table = any(c.stock for c in self.periods)
        self.rows_by_name = {r.name.strip().lower(): r for r in table.rows}
        self.percent_rows = {r.row for r in table.rows if self._is_percent(r)}
        self.ratio_of: dict[int, tuple[TableRow, TableRow]] = {}
        self._aggregates: dict[int, Aggregate | None] = {}

    # -- helpers ---------------------------------------------------------------
    def _is_percent(self, row: TableRow) -> bool:
        measure = self.catalogue.resolve(row.name, self.table.section) if self.catalogue else None
        if measure is not None:
            return measure.unit == "percent"
        cells = [row.cells.get(c.index) for c in self.periods]
        return any(c is not None and c.percent for c in cells)

    def _cell(self, row: TableRow, col: TableColumn) -> Cell | None:
        cell = row.cells.get(col.index)
        return cell if cell is not None and cell.value is not None else None

    def _add(
        self,
        severity: Severity,
        code: str,
        row: TableRow,
        col: TableColumn | None,
        message: str,
        expected: str | None = None,
        actual: str | None = None,
        period: str | None = None,
    ) -> None:
        self.findings.append(
            Finding(
                severity=severity,
                code=code,
                file=self.name,
                row=row.row,
                column=col.index if col else None,
                column_name=col.header if col else None,
                measure=row.name,
                period=period or (col.period.label if col and col.period else None),
                expected=expected,
                actual=actual,
                message=f"{self.table.section} — {row.name}: {message}",
            )
        )

    def _aggregate_for(self, row: TableRow) -> Aggregate | None:
        """The catalogue's aggregation; else the one the row evidently uses (None: a rate, not aggregated)."""
        if row.row in self._aggregates:
            return self._aggregates[row.row]
        measure = self.catalogue.resolve(row.name, self.table.section) if self.catalogue else None
        how: Aggregate | None
        if measure is not None:
            how = measure.aggregate
        elif row.row in self.percent_rows:
            how = None
        elif self.stock_table:
            how = "last"
        else:
            how = "sum"
            for col in self.table.by_role("total"):
                shown = self._cell(row, col)
                cells = [self._cell(row, c) for c in self._quarters_of(col)]
                if shown is None or shown.value is None or not cells or any(c is None for c in cells):
                    continue
                values = [c.value for c in cells if c is not None and c.value is not None]
                err = max(half(c.decimals) for c in cells if c is not None) + half(shown.decimals)
                if abs(math.fsum(values) - shown.value) <= err * len(values) + 1e-9:
                    break
                mean = math.fsum(values) / len(values)
                if abs(mean - shown.value) <= err + 1e-9:
                    how = "mean"
                elif abs(values[-1] - shown.value) <= err + 1e-9:
                    how = "last"
                break
        self._aggregates[row.row] = how
        return how

    def _quarters_of(self, total: TableColumn) -> list[TableColumn]:
        return [c for c in self.quarter_cols if not total.quarters or (c.period and c.period.quarter in total.quarters)]

    def run(self) -> list[Finding]:
        checked = [c for c in self.table.columns if c.role in ("period", "total")]
        self._parts(checked)
        self._ratios(checked)
        for row in self.table.rows:
            self._totals(row)
            self._change(row)
            self._direction(row)
        return self.findings

    # -- year values -------------------------------------------------------------
    def _year_from_quarters(self, row: TableRow, quarters: list[int] | None = None) -> tuple[Estimate, str] | None:
        """The year (or year-to-date) value the quarters give, and how it was computed."""
        cols = [c for c in self.quarter_cols if quarters is None or (c.period and c.period.quarter in quarters)]
        if not cols:
            return None
        cells = [self._cell(row, c) for c in cols]
        if any(c is None for c in cells):
            return None
        values = [c.value for c in cells if c is not None and c.value is not None]
        err = max((half(c.decimals) for c in cells if c is not None), default=0.0)
        if row.row in self.ratio_of:
            num, den = self.ratio_of[row.row]
            n = self._year_from_quarters(num, quarters)
            d = self._year_from_quarters(den, quarters)
            if n and d and d[0].value:
                return Estimate(n[0].value / d[0].value * 100.0, 0.0), f"{num.name} / {den.name}"
            return None
        how = self._aggregate_for(row)
        if how is None or how == "ratio":
            return None
        value = aggregate(values, how)
        assert value is not None
        error = err * len(values) if how == "sum" else err
        label = {"sum": "sum", "mean": "mean", "last": "last"}[how]
        return Estimate(value, error), f"{label} of the quarters"

    def _total_col(self, year: str | None = None) -> TableColumn | None:
        for c in self.table.columns:
            if c.role == "total" and (year is None or (c.period and c.period.label == year)):
                return c
        return None

    # -- 1. totals ---------------------------------------------------------------
    def _totals(self, row: TableRow) -> None:
        for col in self.table.by_role("total"):
            shown = self._cell(row, col)
            if shown is None or shown.value is None:
                continue
            computed = self._year_from_quarters(row, col.quarters or None)
            if computed is None:
                continue
            est, how = computed
            tol = est.error + shown_half(shown.decimals) if shown.decimals else est.error
            if abs(est.value - shown.value) <= tol + 1e-9:
                continue
            d = max(shown.decimals, 0)
            self._add(
                "error",
                Code.TOTAL_MISMATCH,
                row,
                col,
                f"{col.header} shows {_fmt(shown.value, d)} but the {how} give {_fmt(est.value, d)}",
                expected=_fmt(est.value, d),
                actual=row.raw.get(col.index, "").strip(),
            )

    # -- 2. % change ----------------------------------------------------------------
    def _basis_value(self, row: TableRow, basis: str | None, default_to_year: bool) -> tuple[Estimate, str] | None:
        """The value a change is measured from or to: the baseline column, a period column, or the year."""
        if basis == "baseline" or (basis is None and not default_to_year):
            col = self.baseline_col
            cell = self._cell(row, col) if col else None
            if cell is None or cell.value is None or col is None:
                return None
            return Estimate(cell.value, half(cell.decimals)), col.header
        if basis is not None:
            for c in self.periods:
                if c.period and c.period.label == basis:
                    cell = self._cell(row, c)
                    if cell is None or cell.value is None:
                        return None
                    if c.period.is_quarter or not self.current or c.period != self.current:
                        return Estimate(cell.value, half(cell.decimals)), c.header
            try:
                period = parse_period(basis)
            except ValueError:
                return None
            if period.is_quarter:
                return None
        return self._year_from_quarters(row)

    def _change(self, row: TableRow) -> None:
        for col in self.table.by_role("change"):
            cell = row.cells.get(col.index)
            if cell is None or cell.value is None:
                continue
            base = self._basis_value(row, col.basis_from, default_to_year=False)
            cur = self._basis_value(row, col.basis_to, default_to_year=True)
            if base is None or cur is None:
                continue
            points = row.row in self.percent_rows
            reported = cell.value
            k = cell.decimals
            verdict = self._judge(base[0], cur[0], reported, k, points=False)
            if verdict == "ok":
                shown = self._shown_total(row, col)
                if shown is not None and not _consistent(change_interval(base[0], shown, False), reported, k):
                    self._add(
                        "info",
                        Code.CHANGE_MISMATCH,
                        row,
                        col,
                        f"{_fmt(reported, k)}% follows from the quarters but not from the total shown"
                        f" ({_fmt(shown.value, 0)}), which is itself wrong",
                        actual=row.raw.get(col.index, "").strip(),
                    )
                continue
            exact = relative_change(base[0].value, cur[0].value)
            if verdict == "truncated":
                self._add(
                    "info",
                    Code.ROUNDING,
                    row,
                    col,
                    f"{_fmt(reported, k)}% looks truncated: {exact:.{k + 3}f}% rounds to {_fmt(exact, k)}%",
                    expected=_fmt(exact, k) + "%",
                    actual=row.raw.get(col.index, "").strip(),
                )
                continue
            if points and self._judge(base[0], cur[0], reported, k, points=True) == "ok":
                self._add(
                    "info",
                    Code.CHANGE_IN_POINTS,
                    row,
                    col,
                    f"{_fmt(reported, k)} under a % heading is a change in percentage points"
                    f" ({_fmt(cur[0].value - base[0].value, k)} pp; the relative change is {_fmt(exact, k)}%)",
                    expected=_fmt(cur[0].value - base[0].value, k) + " pp",
                    actual=row.raw.get(col.index, "").strip(),
                )
                continue
            shown = self._shown_total(row, col)
            if shown is not None and self._judge(base[0], shown, reported, k, points=False) != "wrong":
                self._add(
                    "warning",
                    Code.CHANGE_MISMATCH,
                    row,
                    col,
                    f"{_fmt(reported, k)}% follows from the total shown ({_fmt(shown.value, 0)}), not from the"
                    f" quarters ({cur[1]}: {_fmt(cur[0].value, 0)}), which give {_fmt(exact, k)}%",
                    expected=_fmt(exact, k) + "%",
                    actual=row.raw.get(col.index, "").strip(),
                )
                continue
            self._add(
                "error",
                Code.CHANGE_MISMATCH,
                row,
                col,
                f"reported {_fmt(reported, k)}% but {base[1]} {_fmt(base[0].value, 1 if base[0].error else 0)} to"
                f" {_fmt(cur[0].value, 1 if cur[0].error else 0)} ({cur[1]}) is {_fmt(exact, k)}%",
                expected=_fmt(exact, k) + "%",
                actual=row.raw.get(col.index, "").strip(),
            )

    def _shown_total(self, row: TableRow, change_col: TableColumn) -> Estimate | None:
        """The total the table shows for the year a change runs to, if any."""
        total = self._total_col(change_col.basis_to) or (self._total_col() if change_col.basis_to is None else None)
        if total is None:
            return None
        cell = self._cell(row, total)
        if cell is None or cell.value is None:
            return None
        return Estimate(cell.value, half(cell.decimals))

    def _judge(
        self, base: Estimate, cur: Estimate, reported: float, k: int, *, points: bool
    ) -> Literal["ok", "truncated", "wrong"]:
        interval = change_interval(base, cur, points)
        if _consistent(interval, reported, k):
            return "ok"
        exact = (cur.value - base.value) if points else relative_change(base.value, cur.value)
        if exact is not None and truncate(exact, k) == reported:
            return "truncated"
        return "wrong"

    # -- 3. arrows ---------------------------------------------------------------------
    def _direction(self, row: TableRow) -> None:
        for col in self.table.by_role("direction"):
            raw = row.raw.get(col.index, "").strip()
            said = ARROW_WORDS.get(raw.lower())
            if said is None:
                continue
            change_cols = self.table.by_role("change")
            frm: str | None = col.basis_from
            to: str | None = None
            if change_cols and (frm == "baseline" or frm is None):
                frm, to = change_cols[0].basis_from, change_cols[0].basis_to
            if frm not in (None, "baseline") and not any(c.period and c.period.label == frm for c in self.periods):
                frm = "baseline"
            if frm not in (None, "baseline"):
                base = self._period_value(row, frm)
            else:
                base = self._basis_value(row, "baseline", default_to_year=False)
            cur = self._basis_value(row, to, default_to_year=True)
            if self.stock_table and to is None:
                last = self.quarter_cols[-1] if self.quarter_cols else None
                cell = self._cell(row, last) if last else None
                cur = (
                    (Estimate(cell.value, half(cell.decimals)), last.header)
                    if cell and last and cell.value is not None
                    else None
                )
            if base is None or cur is None:
                continue
            points = row.row in self.percent_rows
            allowed = self._arrows(base[0], cur[0], points)
            if said in allowed:
                continue
            shown = self._shown_total(row, change_cols[0]) if change_cols else None
            if shown is not None and said in self._arrows(base[0], shown, points):
                self._add(
                    "warning",
                    Code.DIRECTION_MISMATCH,
                    row,
                    col,
                    f"{ARROWS[said]} follows from the total shown, not from the quarters, which give"
                    f" {' or '.join(ARROWS[a] for a in sorted(allowed))}",
                    expected=ARROWS[sorted(allowed)[0]],
                    actual=raw,
                )
                continue
            exact = (cur[0].value - base[0].value) if points else relative_change(base[0].value, cur[0].value)
            unit = "pp" if points else "%"
            self._add(
                "error",
                Code.DIRECTION_MISMATCH,
                row,
                col,
                f"the arrow is {ARROWS[said]} but the change from {base[1]} is {_fmt(exact, 1)}{unit},"
                f" which the ±{self.band:g} band makes {' or '.join(ARROWS[a] for a in sorted(allowed))}",
                expected=" or ".join(ARROWS[a] for a in sorted(allowed)),
                actual=raw,
            )

    def _period_value(self, row: TableRow, label: str) -> tuple[Estimate, str] | None:
        for c in self.periods:
            if c.period and c.period.label == label:
                cell = self._cell(row, c)
                if cell is not None and cell.value is not None:
                    return Estimate(cell.value, half(cell.decimals)), c.header
        return None

    def _arrows(self, base: Estimate, cur: Estimate, points: bool) -> set[str]:
        """Every arrow the band gives for a change the rounded inputs allow."""
        interval = change_interval(base, cur, points)
        if interval is None:
            return {"up", "down", "level"}
        out = {direction_of(v, self.band) for v in interval}
        lo, hi = interval
        if lo < -self.band < hi or lo < self.band < hi:
            out.add("level")
        return {d for d in out if d is not None}

    # -- 4. parts ------------------------------------------------------------------------
    def _parts(self, cols: list[TableColumn]) -> None:
        rows = [r for r in self.table.rows if r.row not in self.percent_rows]
        for row in rows:
            parts, declared = self._declared_parts(row, rows)
            if parts is None and TOTAL_NAME_RE.search(row.name):
                parts = self._inferred_parts(row, rows, cols)
                declared = False
            if not parts:
                continue
            results = [(c, self._sum_check(row, parts, c)) for c in cols]
            judged = [(c, r) for c, r in results if r is not None]
            good = sum(1 for _, r in judged if r[0])
            bad = [(c, r) for c, r in judged if not r[0]]
            if not declared and (good <= len(bad) or good < 2):
                continue
            names = " + ".join(p.name for p in parts)
            for c, r in bad:
                self._add(
                    "error",
                    Code.PARTS_MISMATCH,
                    row,
                    c,
                    f"{c.header} shows {_fmt(r[2], 0)} but {names} = {_fmt(r[1], 0)}",
                    expected=_fmt(r[1], 0),
                    actual=row.raw.get(c.index, "").strip(),
                )

    def _declared_parts(self, row: TableRow, rows: list[TableRow]) -> tuple[list[TableRow] | None, bool]:
        measure = self.catalogue.resolve(row.name, self.table.section) if self.catalogue else None
        names: list[str] = []
        if measure is not None and measure.parts:
            names = measure.parts
        else:
            m = NAMED_PARTS_RE.search(row.name)
            if m:
                names = [p.strip() for p in m.group(1).split("+")]
        if not names:
            return None, False
        found = [self._find_row(n) for n in names]
        if any(f is None for f in found):
            return None, False
        return [f for f in found if f is not None], True

    def _find_row(self, name: str) -> TableRow | None:
        low = name.strip().lower()
        if low in self.rows_by_name:
            return self.rows_by_name[low]
        if self.catalogue:
            m = self.catalogue.resolve(name, self.table.section)
            if m is not None:
                for alias in [m.name, *m.aliases]:
                    if alias.lower() in self.rows_by_name:
                        return self.rows_by_name[alias.lower()]
        matches = [r for key, r in self.rows_by_name.items() if key.lstrip("*").startswith(low)]
        return matches[0] if len(matches) == 1 else None

    def _inferred_parts(self, row: TableRow, rows: list[TableRow], cols: list[TableColumn]) -> list[TableRow] | None:
        others = [r for r in rows if r is not row and not TOTAL_NAME_RE.search(r.name)]
        if len(others) < 2:
            return None
        subsets: list[tuple[TableRow, ...]] = []
        if len(others) <= MAX_SUBSET_ROWS:
            for size in range(2, len(others) + 1):
                subsets.extend(combinations(others, size))
        else:
            subsets.append(tuple(others))
        best: tuple[int, int, list[TableRow]] | None = None
        for subset in subsets:
            results = [self._sum_check(row, list(subset), c) for c in cols]
            good = sum(1 for r in results if r is not None and r[0])
            if best is None or good > best[0] or (good == best[0] and len(subset) < best[1]):
                best = (good, len(subset), list(subset))
        return best[2] if best and best[0] >= 2 else None

    def _sum_check(self, row: TableRow, parts: list[TableRow], col: TableColumn) -> tuple[bool, float, float] | None:
        total = self._cell(row, col)
        cells = [self._cell(p, col) for p in parts]
        if total is None or total.value is None or any(c is None or c.value is None for c in cells):
            return None
        value = math.fsum(c.value for c in cells if c is not None and c.value is not None)
        tol = sum(half(c.decimals) for c in cells if c is not None) + half(total.decimals)
        return (abs(value - total.value) <= tol + 1e-9, value, total.value)

    # -- 5. ratios --------------------------------------------------------------------------
    def _ratios(self, cols: list[TableColumn]) -> None:
        plain = [r for r in self.table.rows if r.row not in self.percent_rows]
        for row in self.table.rows:
            if row.row not in self.percent_rows:
                continue
            declared = self._declared_ratio(row)
            candidates = [declared] if declared else [(a, b) for a in plain for b in plain if a is not b]
            best: tuple[int, list[tuple[TableColumn, float, float]], tuple[TableRow, TableRow]] | None = None
            for a, b in candidates:
                good, bad = 0, []
                for c in cols:
                    r = self._ratio_check(row, a, b, c)
                    if r is None:
                        continue
                    if r[0]:
                        good += 1
                    else:
                        bad.append((c, r[1], r[2]))
                if declared or (good > len(bad) and good >= 2):
                    if best is None or good > best[0]:
                        best = (good, bad, (a, b))
            if best is None:
                continue
            _good, bad, (a, b) = best
            self.ratio_of[row.row] = (a, b)
            for c, expected, actual in bad:
                self._add(
                    "error",
                    Code.RATIO_MISMATCH,
                    row,
                    c,
                    f"{c.header} shows {_fmt(actual, 1)}% but {a.name} / {b.name} = {_fmt(expected, 1)}%",
                    expected=_fmt(expected, 1) + "%",
                    actual=row.raw.get(c.index, "").strip(),
                )

    def _declared_ratio(self, row: TableRow) -> tuple[TableRow, TableRow] | None:
        measure = self.catalogue.resolve(row.name, self.table.section) if self.catalogue else None
        if measure is None or measure.aggregate != "ratio" or not measure.numerator or not measure.denominator:
            return None
        a, b = self._find_row(measure.numerator), self._find_row(measure.denominator)
        return (a, b) if a is not None and b is not None else None

    def _ratio_check(
        self, row: TableRow, a: TableRow, b: TableRow, col: TableColumn
    ) -> tuple[bool, float, float] | None:
        shown, num, den = self._cell(row, col), self._cell(a, col), self._cell(b, col)
        if shown is None or num is None or den is None or shown.value is None or num.value is None:
            return None
        if not den.value:
            return None
        value = num.value / den.value * 100.0
        return (abs(value - shown.value) <= shown_half(shown.decimals) + 1e-9, value, shown.value)


def _consistent(interval: tuple[float, float] | None, reported: float, decimals: int) -> bool:
    if interval is None:
        return False
    h = shown_half(decimals)
    return interval[0] - h - 1e-9 <= reported <= interval[1] + h + 1e-9
