"""Spreadsheets (.xlsx, .xlsm, .xls, .xlsb, .ods), read by python-calamine: every sheet that holds a
table, or those asked for. Each sheet is read as report tables, as a delimited file's records
are; the sheet's name is the section of a table without a title of its own."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date, datetime, time
from pathlib import Path

from kpitool.codes import Code
from kpitool.errors import InputError
from kpitool.heap import gc_paused
from kpitool.models import Finding, column_letter
from kpitool.readers.base import DataFile, ReadOptions, said_above
from kpitool.readers.cell_formats import percent_cells, percent_text
from kpitool.readers.layout import MAX_TITLE_ROWS, header_below_titles, skipped_above
from kpitool.readers.wide import as_written, read_records

SPREADSHEET_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"})


def cell_text(value: object) -> str:
    """A cell as text the readers parse: numbers exactly (18.0 -> "18"), dates as ISO dates."""
    kind = type(value)  # the common kinds first: a sheet is mostly texts and floats
    if kind is str:
        return value  # type: ignore[return-value]
    if kind is float:
        number: float = value  # type: ignore[assignment]
        return str(int(number)) if number.is_integer() and abs(number) < 1e15 else repr(number)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return str(value)
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _as_rows(
    records: list[tuple[int, list[str]]],
    name: str,
    options: ReadOptions,
    file_index: int,
    held: dict[tuple[int, int], str] | None = None,
) -> DataFile | None:
    """A sheet of rows (an area or period column, measures in columns: NHS England's providers by
    month), its header the first row or under title and note rows, read as that file is: by the
    long reader, from the sheet's cells as CSV with a line a row, so that rows keep their numbers
    (the titles blanked, and said). None for any other sheet (a report table, with or without
    titles above it), and for one with a line break in a cell. Its header is read as written, never
    through a cell's percent format (``held``: the texts such cells held)."""
    import csv
    import io

    from kpitool.readers import detect_shape
    from kpitool.readers.columns import LONG_COLUMNS
    from kpitool.readers.long import _read_long

    at = header_below_titles([cells for _, cells in records[: MAX_TITLE_ROWS + 1]])
    first = records[at][1] if at else next((cells for _, cells in records if any(c.strip() for c in cells)), None)
    if first is None:
        return None
    if held:
        as_written(first, next(n for n, cells in records if cells is first), held)
    header = first[: max(i + 1 for i, c in enumerate(first) if c.strip())]
    shape, why = detect_shape(header, options, name)  # the header alone: a report sheet is not scanned
    canonical = all(n in {h.strip().lower() for h in header} for n in LONG_COLUMNS)  # measure, period, value
    if (
        shape != "long"
        or not (why or options.has_roles or canonical)
        or any("\n" in c or "\r" in c for _, cells in records for c in cells)
    ):
        return None
    width = max((i + 1 for _, cells in records for i, c in enumerate(cells) if c.strip()), default=0)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for n, (_, cells) in enumerate(records):
        if n >= at and any(c.strip() for c in cells):
            writer.writerow(cells[:width])
        else:
            out.write("\n")  # a blank row stays a blank line: later rows keep their numbers
    data = _read_long(out.getvalue().encode("utf-8"), "utf-8", ",", name, options, file_index)
    titles = [(n, cells) for n, cells in records[:at] if any(c.strip() for c in cells)]
    data.said = said_above([*titles, (next(n for n, cells in records if cells is first), header)], len(titles))
    if at:
        data.findings.insert(0, skipped_above(name, records[0][0], records[at - 1][0]))
    if why:
        data.findings.insert(0, Finding(code=Code.LAYOUT, file=name, message=f"read as {why}"))
    return data


def _as_percentages(
    rows: Sequence[Sequence[object]], records: list[tuple[int, list[str]]], cells: dict[tuple[int, int], bool]
) -> dict[tuple[int, int], str]:
    """The numbers of cells formatted as percentages written as the percentages they show
    (``records``' texts changed in place); the text each cell held, by cell (row, column)."""
    held: dict[tuple[int, int], str] = {}
    for (row, column), scaled in cells.items():
        if row <= len(rows) and column <= len(rows[row - 1]):
            value = rows[row - 1][column - 1]
            if isinstance(value, float | int) and not isinstance(value, bool) and math.isfinite(value):
                held[(row, column)] = records[row - 1][1][column - 1]
                records[row - 1][1][column - 1] = percent_text(float(value), scaled)
    return held


def _percent_findings(
    name: str, records: list[tuple[int, list[str]]], held: dict[tuple[int, int], str]
) -> list[Finding]:
    """What says how many cells were read through their percent format, and which headings were
    read as written instead (a year heading 2022 formatted ``0%`` is 2022, not 202200%)."""
    shown = [cell for cell, text in held.items() if records[cell[0] - 1][1][cell[1] - 1] != text]
    headings = sorted(cell for cell in held if cell not in set(shown))
    findings = []
    if shown:
        n = len(shown)
        findings.append(
            Finding(
                code=Code.LAYOUT,
                file=name,
                message=f"{n} {'cell formatted as a percentage' if n == 1 else 'cells formatted as percentages'}"
                " read as the percentages they show (a cell holding 0.915 shown as 91.5% is 91.5%)",
            )
        )
    if headings:
        said = ", ".join(f"{column_letter(c)}{r} {records[r - 1][1][c - 1]!r}" for r, c in headings[:6])
        more = f" and {len(headings) - 6} more" if len(headings) > 6 else ""
        findings.append(
            Finding(
                code=Code.LAYOUT,
                file=name,
                row=headings[0][0],
                column=headings[0][1],
                message=f"{'a heading' if len(headings) == 1 else 'headings'} formatted as a percentage in the"
                f" spreadsheet, read as written, not through the format: {said}{more}",
            )
        )
    return findings


def read_workbook(path: Path, options: ReadOptions, first_index: int = 0) -> list[DataFile]:
    """One DataFile a sheet read (named ``book.xlsx[Sheet]``), in the workbook's order."""
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except Exception as exc:  # calamine's own errors: a corrupt or password-protected file
        raise InputError(f"{path}: cannot be read as a spreadsheet ({str(exc).splitlines()[0]})") from None
    names = list(book.sheet_names)
    if options.sheets:
        by_lower = {n.strip().lower(): n for n in names}
        unknown = [s for s in options.sheets if s.strip().lower() not in by_lower]
        if unknown:
            raise InputError(f"{path}: no sheet {unknown[0]!r}; the sheets are {', '.join(map(repr, names))}")
        chosen = [by_lower[s.strip().lower()] for s in options.sheets]
    else:
        chosen = names
    files: list[DataFile] = []
    skipped: list[str] = []
    shown_as_percent = percent_cells(path)
    for sheet in chosen:
        with gc_paused():
            rows = book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
            records = [(n, list(map(cell_text, row))) for n, row in enumerate(rows, start=1)]
            held = _as_percentages(rows, records, shown_as_percent.get(sheet, {}))
            del rows
            name = f"{path}[{sheet}]"
            data = _as_rows(records, name, options, first_index + len(files), held)
            if data is None:
                data = read_records(records, name, options, first_index + len(files), default_title=sheet, held=held)
        data.said.append(("sheet", sheet, None, None))
        if held:
            data.findings.extend(_percent_findings(name, records, held))
            data.shown_as_percent = {(r, c): text for (r, c), text in held.items() if records[r - 1][1][c - 1] != text}
        unread = any(f.code == Code.MISSING_COLUMN for f in data.findings)  # a sheet of rows short of a role
        if not data.tables and data.frame.empty and not options.sheets and not unread:
            skipped.append(sheet)  # a contents or notes sheet: nothing to read, and nothing wrong
            continue
        files.append(data)
    if not files:
        raise InputError(f"{path}: no sheet holds a table with period columns (sheets: {', '.join(map(repr, names))})")
    if skipped:
        files[0].findings.append(
            Finding(
                code=Code.LAYOUT,
                file=str(path),
                message=f"sheets without a table of periods, not read: {', '.join(map(repr, skipped))}",
            )
        )
    return files
