"""One report table as the checks see it: its columns by role, each row's measure, and the
year values its quarters give (by the same arithmetic ``compare`` uses)."""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date

from kpitool.arithmetic import DEFAULT_TOLERANCE, EDGE, inferred_aggregate, ratio, tolerance_for, year_value
from kpitool.audit.rounding import Estimate, half, shown_half
from kpitool.codes import Code, Severity
from kpitool.models import Aggregate, Catalogue, Finding, Measure
from kpitool.numbers import Cell
from kpitool.periods import Period, YearStart, period_of, quarter_containing, quarter_span
from kpitool.readers import Table, TableColumn, TableRow
from kpitool.readers.base import Basis
from kpitool.units import says_percent


class TableView:
    """A report table, its catalogue measures and the findings its checks add."""

    def __init__(self, table: Table, name: str, catalogue: Catalogue | None) -> None:
        self.table = table
        self.name = name
        self.catalogue = catalogue
        self.band = catalogue.tolerance if catalogue else DEFAULT_TOLERANCE
        self.findings: list[Finding] = []
        self.periods = [c for c in table.columns if c.role == "period" and c.period is not None]
        quarters = [c for c in self.periods if c.period is not None and c.period.is_quarter]
        latest = max((c.period for c in quarters if c.period), default=None)
        self.current: Period | None = latest.year_period() if latest is not None else None
        self.latest_quarter = latest
        self.quarter_cols = sorted(
            (c for c in quarters if c.period and self.current and c.period.year == self.current.year),
            key=lambda c: c.period.quarter or 0 if c.period else 0,
        )
        baselines = [c for c in self.periods if c.baseline]
        years = [c for c in self.periods if c.period and not c.period.is_quarter]
        year_baselines = [c for c in baselines if c.period and not c.period.is_quarter]
        # a year column that is the current year (2023/24 after its own quarters) is no baseline
        earlier = [c for c in years if self.current is None or (c.period is not None and c.period < self.current)]
        self.baseline_col = (
            year_baselines[0] if year_baselines else (None if baselines else (earlier[0] if earlier else None))
        )
        # a baseline year given as its quarters (headed baseline, or, with no year column at all, the
        # year before the current one): its year value is made from them, as the current year's is
        self.baseline_year: Period | None = None
        self.baseline_year_used = False
        if self.baseline_col is None and self.current is not None:
            marked = {c.period.year_period() for c in baselines if c.period}
            if baselines and len(marked) == 1 and self.current not in marked:
                self.baseline_year = marked.pop()
            elif not baselines and not earlier:
                self.baseline_year = self.current.previous()
        self.stock_table = any(c.stock for c in self.periods)
        # a table of year columns only (2022/23, 2023/24, % change): the latest year is the current one
        # against the year before it, unless a column is headed as the baseline
        self.latest_year_col = None
        if not quarters and len(years) >= 2:
            ordered = sorted(years, key=lambda c: c.period.sort_key if c.period else (date.min, 0))
            self.latest_year_col = ordered[-1]
            if not baselines:
                self.baseline_col = ordered[-2]
        self.rows_by_name = {r.name.strip().lower(): r for r in table.rows}
        self._measures: dict[int, Measure | None] = {}
        self.percent_rows = {r.row for r in table.rows if self._is_percent(r)}
        self.ratio_of: dict[int, tuple[TableRow, TableRow]] = {}
        self._aggregates: dict[int, Aggregate | None] = {}

    # -- the row's measure -------------------------------------------------------------
    def measure(self, row: TableRow) -> Measure | None:
        """The catalogue measure a row is, if any (looked up once a row)."""
        if row.row not in self._measures:
            found = self.catalogue.resolve(row.name, self.table.section) if self.catalogue else None
            self._measures[row.row] = found
        return self._measures[row.row]

    def tolerance(self, row: TableRow) -> float:
        """The band for this row: the measure's own, else the project's (as compare applies it)."""
        return tolerance_for(self.measure(row), self.band)

    def _is_percent(self, row: TableRow) -> bool:
        measure = self.measure(row)
        if measure is not None:
            return measure.unit == "percent"
        cells = [row.cells.get(c.index) for c in self.periods]
        # a % sign in a figure, or a name that says per cent ("Detection rate (%)"), as compare takes it
        return any(c is not None and c.percent for c in cells) or says_percent(row.name)

    def cell(self, row: TableRow, col: TableColumn) -> Cell | None:
        cell = row.cells.get(col.index)
        return cell if cell is not None and cell.value is not None else None

    def add(
        self,
        severity: Severity,
        code: Code,
        row: TableRow,
        col: TableColumn | None,
        message: str,
        expected: str | None = None,
        actual: str | None = None,
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
                period=col.period.label if col and col.period else None,
                expected=expected,
                actual=actual,
                message=f"{self.table.section} — {row.name}: {message}",
            )
        )

    # -- how far a shown figure may be from the truth ---------------------------------------
    def error(self, row: TableRow, cell: Cell) -> float:
        """Half a unit of the figure's last shown place (a whole number is exact), or of the places
        the catalogue says the measure, or else its table's section, is published to (``decimals``,
        ``[decimals]``), whatever the cell shows."""
        measure = self.measure(row)
        if measure is not None and measure.decimals is not None:
            return shown_half(measure.decimals)
        places = self.catalogue.section_decimals(self.table.section) if self.catalogue else None
        if places is not None:  # the section's (the table's) own: [decimals]
            return shown_half(places)
        if self.table.rounded_whole and not cell.decimals:  # full-time equivalents shown whole
            return shown_half(0)
        return half(cell.decimals)

    # -- how a row's quarters make its year ----------------------------------------------
    def aggregate_for(self, row: TableRow) -> Aggregate | None:
        """The catalogue's aggregation; else the one the row evidently uses (None: a rate, not aggregated)."""
        if row.row in self._aggregates:
            return self._aggregates[row.row]
        measure = self.measure(row)
        how: Aggregate | None
        if measure is not None:
            how = measure.aggregate
        elif row.row in self.percent_rows:
            how = None
        elif self.stock_table:
            how = "last"
        else:
            how = self._evident_aggregate(row) or inferred_aggregate(row.name, percent=False, stock=False)
        self._aggregates[row.row] = how
        return how

    def _evident_aggregate(self, row: TableRow) -> Aggregate | None:
        """The aggregation a total column shows the row uses: sum, mean or last of its quarters."""
        for col in self.table.by_role("total"):
            shown = self.cell(row, col)
            cells = [self.cell(row, c) for c in self.quarters_of(col)]
            if shown is None or shown.value is None or not cells or any(c is None for c in cells):
                continue
            values = [c.value for c in cells if c is not None and c.value is not None]
            err = max(self.error(row, c) for c in cells if c is not None) + self.error(row, shown)
            for how in ("sum", "mean", "last"):
                value = year_value(values, how)
                slack = err * len(values) if how == "sum" else err
                if value is not None and abs(value - shown.value) <= slack + EDGE:
                    return how
            return None
        return None

    def quarters_of(self, total: TableColumn) -> list[TableColumn]:
        return [c for c in self.quarter_cols if not total.quarters or (c.period and c.period.quarter in total.quarters)]

    def year_like(self, year: Period) -> Period | None:
        """The year of ``year``'s kind (calendar or financial) that holds the table's latest quarter:
        what a change "from 2022" runs to."""
        if self.latest_quarter is None:
            return None
        kind: YearStart = "january" if year.calendar else "april"
        return quarter_containing(self.latest_quarter.start, kind).year_period()

    def quarters_within(self, year: Period) -> list[TableColumn] | None:
        """The table's quarter columns that make up ``year`` (a calendar year in a project of financial
        years takes the quarters of two), or None unless it shows every one of them."""
        first = year.start.year * 12 + year.start.month
        cols = [
            c
            for c in self.periods
            if c.period is not None
            and c.period.is_quarter
            and first <= c.period.start.year * 12 + c.period.start.month < first + year.months
        ]
        return cols if cols and len(cols) * 3 == year.months else None

    def year_from_quarters(
        self, row: TableRow, quarters: list[int] | None = None, year: Period | None = None
    ) -> tuple[Estimate, str] | None:
        """The year (or year-to-date) value the quarters give, and how it was computed: the current
        year's, or another ``year`` from all its quarters."""
        if year is not None and year != self.current:
            within = self.quarters_within(year)
            if within is None:
                return None
            return self._of_quarters(row, within, lambda r: self.year_from_quarters(r, quarters, year))
        cols = [c for c in self.quarter_cols if quarters is None or (c.period and c.period.quarter in quarters)]
        return self._of_quarters(row, cols, lambda r: self.year_from_quarters(r, quarters))

    def named_year(self, row: TableRow, year: Period) -> tuple[Estimate, str] | None:
        """A year other than the current one from all its quarters, named so in messages."""
        got = self.year_from_quarters(row, year=year)
        return (got[0], f"{year.label} ({got[1]})") if got is not None else None

    def baseline_from_quarters(self, row: TableRow) -> tuple[Estimate, str] | None:
        """The baseline year made from its quarters, like for like: the quarters of the current year
        the table shows, or None unless it shows every one of them for the baseline year too."""
        year = self.baseline_year
        if year is None:
            return None
        shown, cols = self._like_for_like(year)
        if not shown or len(cols) != len(shown):
            return None
        got = self._of_quarters(row, cols, self.baseline_from_quarters)
        if got is None:
            return None
        self.baseline_year_used = True
        return got[0], f"{year.label} ({got[1]})"

    def _like_for_like(self, year: Period) -> tuple[list[int], list[TableColumn]]:
        """The quarters the current year shows, and the columns of ``year``'s of them (like for like)."""
        shown = [c.period.quarter for c in self.quarter_cols if c.period and c.period.quarter]
        cols = [
            c
            for c in self.periods
            if c.period is not None
            and c.period.is_quarter
            and c.period.year_period() == year
            and c.period.quarter in shown
        ]
        return shown, cols

    def missing_quarters(self, row: TableRow, *, baseline: bool) -> list[str]:
        """What a value made from quarters lacks for this row, each in words: a quarter with no
        column in the table, or a column with no figure. The baseline year's (given as its quarters,
        like for like with the current year's shown), or the current year's (the table showing no year
        column); none where the value is not made from quarters."""
        if baseline:
            if self.baseline_col is not None or self.baseline_year is None:
                return []
            year = self.baseline_year
            shown, cols = self._like_for_like(year)
            held = {c.period.quarter for c in cols if c.period}
            absent = [f"{period_of(year.year, q, year.calendar).label} has no column" for q in shown if q not in held]
        elif self.latest_year_col is not None:
            return []
        else:  # a stock's year is its last count
            cols, absent = (self.quarter_cols[-1:] if self.stock_table else self.quarter_cols), []
        return absent + [blank for c in cols if (blank := self.blank(row, c))]

    def blank(self, row: TableRow, col: TableColumn) -> str | None:
        """``'Q4 2022/23' ('..') has no figure``, where the row has none in the column."""
        if self.cell(row, col) is not None:
            return None
        raw = row.raw.get(col.index, "").strip()
        return f"{col.header!r}" + (f" ({raw!r})" if raw else "") + " has no figure"

    def _lacking(self, row: TableRow, basis: Basis, *, baseline: bool) -> str | None:
        """Why the row has no figure for the period a change runs from (``baseline``) or to, in words:
        its column has no figure, or the quarters it is made from lack one; None when it is not that."""
        plain = basis in ("baseline", None) if baseline else basis in (None, self.current)
        col = (self.baseline_col if baseline else self.latest_year_col) if plain else None
        if isinstance(basis, Period) and not plain:  # from (or to) a period a heading names: its column
            col = next((c for c in self.periods if c.period == basis), None)
            if col is None and basis.is_year:  # none: the year is all its quarters, if the table shows them
                blanks = [b for c in self.quarters_within(basis) or [] if (b := self.blank(row, c))]
                return f"{basis.label} is made from its quarters, and {', '.join(blanks)}" if blanks else None
        if col is not None:
            blank = self.blank(row, col)
            what = ("the baseline column" if baseline else "the current year column") if plain else "the column"
            return f"{what} {blank}" if blank else None
        year = self.baseline_year if baseline else self.current
        lacking = self.missing_quarters(row, baseline=baseline) if plain and year is not None else []
        if not lacking or year is None:
            return None
        what = "the baseline" if baseline else "the current year"
        how = "is given as its quarters" if baseline else "is made from its quarters"
        how = "is its last count" if self.stock_table and not baseline else how
        return f"{what} {year.label} {how}, and {', '.join(lacking)}"

    def not_checked(self, row: TableRow, col: TableColumn, *, frm: Basis, to: Basis, base: bool, cur: bool) -> None:
        """An info that a published change or arrow could not be checked, where the figure it runs
        from (``frm``, when ``base`` says it is missing) or to (``to``, when ``cur`` does) is not there:
        its column has no figure in the row, or a quarter it is made from has none. Never passed in silence."""
        parts = [
            said
            for basis, baseline, missing in ((frm, True, base), (to, False, cur))
            if missing and (said := self._lacking(row, basis, baseline=baseline))
        ]
        if not parts:
            return
        raw = row.raw.get(col.index, "").strip()
        self.add("info", Code.CHANGE_BASIS, row, col, f"{col.header} ({raw}) could not be checked: {'; '.join(parts)}")

    def baseline_reading(self) -> str:
        """What a change without a baseline year column ran between, in words."""
        shown = [c.period.quarter for c in self.quarter_cols if c.period and c.period.quarter]
        span = "" if shown == [1, 2, 3, 4] else f" {quarter_span(shown)}"
        assert self.baseline_year is not None and self.current is not None
        return (
            f"{self.current.label}{span} against {self.baseline_year.label}{span}, each made from its quarters"
            " (summed for counts, by its aggregate otherwise)"
        )

    def _of_quarters(
        self,
        row: TableRow,
        cols: list[TableColumn],
        term: Callable[[TableRow], tuple[Estimate, str] | None],
    ) -> tuple[Estimate, str] | None:
        if not cols:
            return None
        cells = [self.cell(row, c) for c in cols]
        if any(c is None for c in cells):
            return None
        values = [c.value for c in cells if c is not None and c.value is not None]
        err = max((self.error(row, c) for c in cells if c is not None), default=0.0)
        if row.row in self.ratio_of:
            num, den = self.ratio_of[row.row]
            n, d = term(num), term(den)
            value = ratio(n[0].value if n else None, d[0].value if d else None, 100.0)
            return (Estimate(value), f"{num.name} / {den.name}") if value is not None else None
        how = self.aggregate_for(row)
        if how is None or how == "ratio":
            if row.row not in self.percent_rows or self.total_col() is not None:
                return None  # a percentage's change runs to the year its table shows, where it shows one
            # a rate without its terms: however its quarters are weighted, its year lies between
            # the least and the most of them (and a change is judged only where no weighting explains it)
            low, high = min(values), max(values)
            return Estimate((low + high) / 2, (high - low) / 2 + err), "weighted mean of the quarters"
        total = year_value(values, how)
        if total is None or not math.isfinite(total):
            return None
        return Estimate(total, err * len(values) if how == "sum" else err), f"{how} of the quarters"

    # -- the figures a change runs from and to ---------------------------------------------
    def total_col(self, year: Period | None = None) -> TableColumn | None:
        """The table's total for ``year`` (or its only year): over all its quarters, if several are shown."""
        totals = [c for c in self.table.by_role("total") if year is None or c.period == year]
        shown = [c.period.quarter for c in self.quarter_cols if c.period]
        whole = [c for c in totals if not c.quarters or c.quarters in ([1, 2, 3, 4], shown)]
        chosen = whole or totals
        return chosen[0] if chosen else None

    def basis_value(self, row: TableRow, basis: Basis, default_to_year: bool) -> tuple[Estimate, str] | None:
        """The value a change is measured from or to: the baseline column, a period column, or the year."""
        if basis == "baseline" or (basis is None and not default_to_year):
            col = self.baseline_col
            if col is None and self.baseline_year is not None:
                return self.baseline_from_quarters(row)
            cell = self.cell(row, col) if col else None
            if cell is None or cell.value is None or col is None:
                return None
            return Estimate(cell.value, self.error(row, cell)), col.header
        if isinstance(basis, Period):
            for c in self.periods:
                if c.period == basis:
                    cell = self.cell(row, c)
                    if cell is None or cell.value is None:
                        return None
                    if c.period.is_quarter or not self.current or c.period != self.current:
                        return Estimate(cell.value, self.error(row, cell)), c.header
            if basis.is_quarter:
                return None
            if basis != self.current:  # a year without a column of its own: from all its quarters, or none
                return self.named_year(row, basis)
        if self.latest_year_col is not None:
            cell = self.cell(row, self.latest_year_col)
            if cell is None or cell.value is None:
                return None
            return Estimate(cell.value, self.error(row, cell)), self.latest_year_col.header
        found = self.year_from_quarters(row)
        if found is None and row.row in self.percent_rows and self.aggregate_for(row) is None:
            # a percentage no catalogue describes has no year from its quarters (a rate is not their
            # mean): the year the table shows is what its change and arrow were drawn from
            total = self.total_col(self.current)
            cell = self.cell(row, total) if total is not None else None
            if cell is not None and cell.value is not None and total is not None:
                return Estimate(cell.value, self.error(row, cell)), total.header
        return found

    def period_value(self, row: TableRow, period: Period) -> tuple[Estimate, str] | None:
        for c in self.periods:
            if c.period == period:
                cell = self.cell(row, c)
                if cell is not None and cell.value is not None:
                    return Estimate(cell.value, self.error(row, cell)), c.header
        return None

    def shown_total(self, row: TableRow, change_col: TableColumn) -> Estimate | None:
        """The total the table shows for the year a change runs to, if any."""
        to = change_col.basis_to
        total = self.total_col(to) if isinstance(to, Period) else (self.total_col() if to is None else None)
        if total is None:
            return None
        cell = self.cell(row, total)
        if cell is None or cell.value is None:
            return None
        return Estimate(cell.value, self.error(row, cell))
