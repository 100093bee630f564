"""Wide files and report tables: a column per period, several tables a file, reported figures.

Report tables are small, so they go through the standard ``csv`` module in strict mode.
"""

from __future__ import annotations

import csv
import io
import re
from typing import Literal

from kpitool.codes import Code
from kpitool.models import Finding, ReportedFigure, column_letter
from kpitool.numbers import Cell, parse_cell
from kpitool.periods import (
    Period,
    YearStart,
    read_period_column,
)
from kpitool.readers.base import (
    FRAME_COLUMNS,
    Basis,
    DataFile,
    ReadOptions,
    Said,
    Table,
    TableColumn,
    TableRow,
    _dtype,
    ambiguous_period,
    broken_quote,
    empty_file,
    ragged_row,
    said_above,
    unread_column,
)
from kpitool.readers.columns import area_headings
from kpitool.readers.headings import looks_like_period, parse_header
from kpitool.readers.hierarchy import name_within_subtotals
from kpitool.readers.layout import blocks, combined_header
from kpitool.readers.rows import periods_in_rows


def _read_wide(text: str, delimiter: str, name: str, options: ReadOptions, file_index: int) -> DataFile:
    records, findings = text_records(text, delimiter, name)
    return read_records(records, name, options, file_index, findings)


def text_records(text: str, delimiter: str, name: str) -> tuple[list[tuple[int, list[str]]], list[Finding]]:
    """The delimited text's records with the line each starts on; a broken quote is a finding."""
    findings: list[Finding] = []
    records: list[tuple[int, list[str]]] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    last_line = 0
    while True:
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            line = last_line + 1
            findings.append(broken_quote(name, line, str(exc)))
            last_line = reader.line_num
            continue
        records.append((last_line + 1, record))
        last_line = reader.line_num
    return records, findings


def as_written(record: list[str], line: int, held: dict[tuple[int, int], str], *, first_only: bool = False) -> None:
    """A heading row's cells (or its first cell only) given back the texts they held before their
    percent format was applied (``held``, by row and column): a heading is what it says."""
    for column in [1] if first_only else range(1, len(record) + 1):
        text = held.get((line, column))
        if text is not None:
            record[column - 1] = text


ReportedKind = Literal["total", "change", "direction", "target", "status"]
REPORTED: dict[str, ReportedKind] = {
    "total": "total",
    "change": "change",
    "direction": "direction",
    "target": "target",
    "status": "status",
}


def read_records(
    records: list[tuple[int, list[str]]],
    name: str,
    options: ReadOptions,
    file_index: int,
    findings: list[Finding] | None = None,
    default_title: str = "",
    held: dict[tuple[int, int], str] | None = None,
) -> DataFile:
    """Report tables from records (a delimited file's, or a spreadsheet sheet's). ``held``: the texts
    of a sheet's cells written as the percentages their format shows; a table's headings (its header
    row, its first column of names) are read as written instead, never through a percent format."""
    import numpy as np
    import pandas as pd

    findings = findings if findings is not None else []
    if held:
        for line, record in records:
            as_written(record, line, held, first_only=True)
    table_blocks = blocks(records, name, findings, options.year_start)
    if held:
        for _, block, _ in table_blocks:
            as_written(block[0][1], block[0][0], held)

    tables: list[Table] = []
    reported: list[ReportedFigure] = []
    cols: dict[str, list[object]] = {c: [] for c in FRAME_COLUMNS}
    turned_periods: dict[str, Period] = {}
    said: list[Said] = []
    for number, (title, block, above) in enumerate(table_blocks, start=1):
        said += [("title", t, None, None) for t in (title, above) if t]
        said += said_above(block, 0)
        table, block_findings = _wide_table(block, number, name, options, title or default_title, above)
        if table is not None:  # its headings as read (two header rows as one: 'January to March 2017')
            said += [("heading", c.header, table.header_row, c.index) for c in table.columns if c.header.strip()]
        if table is None and any(f.code == Code.NO_PERIODS for f in block_findings):
            turned = periods_in_rows(block, title or default_title or f"Table {number}", name, options, file_index)
            if turned is not None:  # a row per period and a column per measure
                observed, row_periods, block_findings = turned
                for key, values in zip(FRAME_COLUMNS, zip(*observed, strict=True), strict=False):
                    cols[key] += [np.nan if v is None and key == "value" else v for v in values]
                turned_periods.update(row_periods)
        findings.extend(block_findings)
        if table is None:
            continue
        tables.append(table)
        others = [(c, REPORTED[c.role]) for c in table.columns if c.role in REPORTED]
        section = table.section
        # a period column at a time, in comprehensions: a cell a tuple costs twice as much
        for col in table.columns:
            if col.role != "period" or col.period is None:
                continue
            index = col.index
            pairs = [(r, c) for r in table.rows if (c := r.cells.get(index)) is not None and not c.error]
            n = len(pairs)
            cols["section"] += [section] * n
            cols["measure"] += [r.name for r, _ in pairs]
            cols["period"] += [col.period.label] * n
            cols["value"] += [np.nan if c.value is None else c.value for _, c in pairs]
            cols["marker"] += [c.marker for _, c in pairs]
            cols["percent"] += [c.percent for _, c in pairs]
            cols["stock"] += [col.stock] * n
            cols["row"] += [r.row for r, _ in pairs]
            cols["column"] += [index] * n
            cols["file_index"] += [file_index] * n
        for trow in table.rows:
            got = trow.cells.get
            for col, kind in others:
                cell = got(col.index)
                raw = trow.raw.get(col.index, "")
                if cell is None or not raw.strip():
                    continue
                reported.append(
                    ReportedFigure(
                        kind=kind,
                        measure=trow.name,
                        section=section,
                        file=name,
                        row=trow.row,
                        column=col.index,
                        column_name=col.header,
                        raw=raw,
                        value=None if col.role in ("direction", "status") else cell.value,
                        decimals=cell.decimals,
                        percent=cell.percent,
                        period=col.period.label if col.period else None,
                        basis_from=None if col.basis_from is None else str(col.basis_from),
                        basis_to=None if col.basis_to is None else str(col.basis_to),
                    )
                )
    if not table_blocks:
        findings.append(empty_file(name))
    frame = pd.DataFrame({c: pd.Series(v, dtype=_dtype(c)) for c, v in cols.items()})
    if len(frame) > 1:  # read a column at a time; the frame is row by row, as the tables are read
        frame = frame.sort_values(["row", "column"], kind="stable", ignore_index=True)
    periods = {c.period.label: c.period for t in tables for c in t.columns if c.role == "period" and c.period}
    periods.update(turned_periods)
    return DataFile(name, "wide", frame, findings, reported, tables, records=len(records), periods=periods, said=said)


# a target's status as reports write it: met or not (amber: near it, by a rule the table does not give)
STATUS_WORDS = {
    **dict.fromkeys(["met", "yes", "y", "achieved", "green", "g", "on track", "✓", "✔"], "met"),
    **dict.fromkeys(["not met", "no", "n", "not achieved", "missed", "red", "r", "off track", "✗", "✘"], "not met"),
    **dict.fromkeys(["amber", "a", "near", "close"], "amber"),
}

# arrows as reports draw them, and the words they use (kpitool's own "level" among them)
ARROW_WORDS = {
    **dict.fromkeys(["↑", "⬆", "▲", "⇧", "up", "increase", "increased", "higher", "rise"], "up"),
    **dict.fromkeys(["↓", "⬇", "▼", "⇩", "down", "decrease", "decreased", "lower", "fall"], "down"),
    **dict.fromkeys(["↔", "►", "◄", "⬌", "→", "level", "stable", "same", "no change", "unchanged"], "level"),
}

# the cells of words a report table holds: what they may say, and the finding for anything else
WORD_CELLS: dict[str, tuple[dict[str, str], Code, str]] = {
    "direction": (ARROW_WORDS, Code.BAD_DIRECTION, "a direction arrow (↑ ↓ ↔)"),
    "status": (STATUS_WORDS, Code.BAD_STATUS, "a target status (met, not met, green, amber, red); it is not audited"),
}


def _counts_at_month_ends(columns: list[TableColumn], periods: list[TableColumn]) -> None:
    """A change "Sep-18 to Sep-19" over stock columns counted on 30 September: each month named is
    the count at its end, so the change runs between the quarters those columns stand for."""
    counted = {c.period.last_month(): c.period for c in periods if c.stock and c.period is not None}
    shown = {c.period for c in periods if c.period is not None}

    def at(basis: Basis) -> Basis:
        if isinstance(basis, Period) and basis.is_month and basis not in shown and basis in counted:
            return counted[basis]
        return basis

    for c in columns:
        if c.role in ("change", "direction"):
            c.basis_from, c.basis_to = at(c.basis_from), at(c.basis_to)


def _months_of_header(periods: list[TableColumn], name: str, line: int, year_start: YearStart) -> list[Finding]:
    """The header's periods decided as a whole: beside a month, ``2009-10`` is October 2009;
    with none, it stays the fiscal year 2009/10, and the heading is said to be ambiguous."""
    column = read_period_column([c.header for c in periods], year_start)
    findings = []
    for c in periods:
        decided = column.periods.get(c.header)
        if decided is not None and decided.is_month:
            c.period = decided
        month = column.ambiguous.get(c.header)
        if month is not None and c.period is not None:
            findings.append(ambiguous_period(name, line, c.index, c.header, c.period, month, c.header))
    return findings


# a table of full-time equivalents: fractions by nature, so a whole number in it is one shown rounded
FTE_RE = re.compile(r"\bFTEs?\b|full[- ]time[- ]equivalents?", re.IGNORECASE)


def _wide_table(
    block: list[tuple[int, list[str]]],
    number: int,
    name: str,
    options: ReadOptions,
    title_above: str = "",
    above: str = "",
) -> tuple[Table | None, list[Finding]]:
    findings: list[Finding] = []
    header_line = block[0][0]
    header, rows_below = combined_header(block, name, findings, options.year_start)
    block = [block[0], *rows_below]
    title = title_above or (header[0].strip() if header else "")
    columns: list[TableColumn] = []
    for i, text in enumerate(header[1:], start=2):
        col = parse_header(text, options.year_start)
        col.index = i
        if not text.strip():
            col.role = "ignored"
        columns.append(col)
    periods = [c for c in columns if c.role == "period"]
    if not periods:
        findings.append(
            Finding(
                code=Code.NO_PERIODS,
                file=name,
                row=header_line,
                message=f"the table whose header is row {header_line} has no period column"
                " (headings such as 2023/24 Q1, Q1-Q4 2022/23 baseline); it was not read. A row per area and"
                " a column per measure is read with --area-col and --value-col; a row per record (a crime, a"
                ' call) is counted with kpitool count, or by a [[source]] with shape = "records"',
            )
        )
        return None, findings
    findings.extend(_months_of_header(periods, name, header_line, options.year_start))
    _counts_at_month_ends(columns, periods)
    unread_findings, unread = _unread_columns(columns, periods, block[1:], name, header_line)
    findings.extend(unread_findings)
    # a bare "Total" column is the total of the table's latest year
    latest = max((c.period for c in periods if c.period is not None), default=None)
    for c in columns:
        if c.role == "total" and c.period is None and latest is not None:
            c.period = latest.year_period()
            quarters = sorted(
                {p.period.quarter for p in periods if p.period and p.period.quarter and p.period.year == latest.year}
            )
            c.quarters = quarters or [1, 2, 3, 4]
    findings.extend(_years_given_as_totals(columns, periods, name, header_line))
    seen: dict[str, int] = {}
    for c in periods:
        assert c.period is not None
        if c.period.label in seen:
            findings.append(
                Finding(
                    code=Code.DUPLICATE_COLUMN,
                    file=name,
                    row=header_line,
                    column=c.index,
                    column_name=c.header,
                    period=c.period.label,
                    message=f"column {c.header!r} is the same period as column {seen[c.period.label]} ({c.period.label})",
                )
            )
            c.role = "ignored"
        else:
            seen[c.period.label] = c.index
    section = title or f"Table {number}"
    rows: list[TableRow] = []
    width = len(header)
    read = [c for c in columns if c.role != "ignored"]
    plan = [(c, c.index, c.role not in ("status", "direction")) for c in read]
    parsed: dict[str, Cell] = {}  # each distinct text parsed once a table
    missing = options.missing
    for line, record in block[1:]:
        if len(record) != width:
            findings.append(ragged_row(name, line, len(record), width, header_line))
            if len(record) > width:
                continue
        measure = record[0].strip() if record else ""
        if not measure:
            findings.append(
                Finding(
                    code=Code.BLANK_MEASURE,
                    file=name,
                    row=line,
                    column=1,
                    message="the measure name is blank",
                )
            )
            continue
        cells: dict[int, Cell] = {}
        raw: dict[int, str] = {}
        short = len(record) < width
        for c, index, plain in plan:
            if short and index > len(record):
                continue
            text = record[index - 1]
            raw[index] = text
            if plain:  # a figure: each distinct text parsed once a table
                cell = parsed.get(text)
                if cell is None:
                    cell = parsed[text] = parse_cell(text, missing)
                cells[index] = cell
                if cell.error is not None:
                    findings.append(
                        Finding(
                            code=Code.NOT_A_NUMBER,
                            file=name,
                            row=line,
                            column=index,
                            column_name=c.header,
                            measure=measure,
                            period=c.period.label if c.period else None,
                            actual=text,
                            message=cell.error,
                        )
                    )
            elif c.role in WORD_CELLS:  # an arrow or a target status: words, kept raw for the audit
                words, code, what = WORD_CELLS[c.role]
                if text.strip() and words.get(text.strip().lower()) is None:
                    findings.append(
                        Finding(
                            code=code,
                            file=name,
                            row=line,
                            column=c.index,
                            column_name=c.header,
                            measure=measure,
                            actual=text,
                            message=f"{text.strip()!r} is not {what}",
                        )
                    )
                cells[c.index] = Cell(None)
        rows.append(TableRow(line, measure, cells, raw))
    fte = FTE_RE.search(" ".join([title, above, *header]))
    whole = fte is not None and any(
        cell.decimals == 0 and cell.value is not None
        for r in rows
        for p in periods
        if (cell := r.cells.get(p.index)) is not None
    )
    if fte is not None and whole:
        findings.append(
            Finding(
                code=Code.LAYOUT,
                file=name,
                row=header_line,
                message=f"{section}: its figures are full-time equivalents ({fte.group(0)!r}), fractions by nature, so"
                " a whole number in it stands for ±0.5, a figure shown rounded (decimals in kpitool.toml says"
                " otherwise)",
            )
        )
    hierarchy, groups = name_within_subtotals(rows, [c for c in columns if c.role == "period"], name, whole)
    findings.extend(hierarchy)
    # its rows are areas under subtotals, or under a first heading that names an area ("Police Division")
    areas = bool(hierarchy) or bool(header and area_headings(header[:1], set())[0])
    table = Table(title, section, header_line, columns, rows, areas=areas, subtotals=groups, rounded_whole=whole)
    table.unread = unread
    return table, findings


def _years_given_as_totals(
    columns: list[TableColumn], periods: list[TableColumn], name: str, line: int
) -> list[Finding]:
    """A whole year's total (``2022/23 total``, ``Total 2022/23``, ``Q1-Q4 2022/23 total``) where the
    table shows none of that year's quarters, nor the year itself: there is nothing to check it
    against, and it is the year's figure, so it is read as a ``2022/23`` column is (``periods`` gains it)."""
    shown = {c.period.year_period() for c in periods if c.period is not None and not c.period.is_month}
    findings = []
    for c in columns:
        year = c.period
        if c.role != "total" or year is None or not year.is_year or c.quarters not in ([], [1, 2, 3, 4]):
            continue
        if year in shown:
            continue
        c.role = "period"
        periods.append(c)
        shown.add(year)
        findings.append(
            Finding(
                code=Code.LAYOUT,
                file=name,
                row=line,
                column=c.index,
                column_name=c.header,
                period=year.label,
                message=f"column {c.header!r} is read as the year {year.label}, as a {year.label} column would be:"
                " the table shows none of its quarters, so it is that year's figure, not a total to check",
            )
        )
    return findings


def _unread_columns(
    columns: list[TableColumn], periods: list[TableColumn], records: list[tuple[int, list[str]]], name: str, line: int
) -> tuple[list[Finding], dict[int, list[str]]]:
    """The columns not read, each said: ``unknown-column`` for words beside the figures (``Notes``),
    ``unread-column`` for one that holds figures, or whose heading tries to be a period
    (``Quarter 3 2031/32`` mistyped): those figures are left out of the rows' values,
    so compare names the column in each row's notes (the names of the rows with a figure, by column)."""
    findings: list[Finding] = []
    unread: dict[int, list[str]] = {}
    first, last = min(c.index for c in periods), max(c.index for c in periods)
    for col in columns:
        if col.role != "ignored":
            continue
        i, heading = col.index, col.header.strip()
        figures = [
            r[0].strip()
            for _, r in records
            if i <= len(r) and r and r[0].strip() and parse_cell(r[i - 1]).value is not None
        ]
        periodish = bool(heading) and looks_like_period(heading)
        among = bool(figures) and (not heading or first < i < last)
        if not periodish and not among:
            if heading:
                why = f"column heading {heading!r} is not a period, total, % change or direction; the column is ignored"
                findings.append(unread_column(name, line, i, col.header, why))
            continue
        if not heading:
            message = (
                f"column {column_letter(i)} has no heading but holds figures; they were not read"
                " (give it a period heading such as 2023/24 Q1)"
            )
        elif periodish:
            why = re.sub(r"^'[^']*':?\s*", "", col.reason or "") or "not a period, total, % change or direction"
            why = why[3:] if why.startswith("is ") else why  # "'Q5 2031/32' is not a period (…)": the heading is said
            message = f"column heading {heading!r} looks like a period but is not one kpitool reads ({why}); its figures were not read"
        else:
            message = (
                f"column heading {heading!r} is not a period, total, % change or direction, but its column holds"
                " figures among the period columns; they were not read"
            )
        findings.append(
            Finding(
                code=Code.UNREAD_COLUMN, file=name, row=line, column=i, column_name=col.header or None, message=message
            )
        )
        if figures:
            unread[i] = figures
    return findings, unread
