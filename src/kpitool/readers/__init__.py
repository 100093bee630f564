"""Read a data file, long or wide, into observations, reported figures and structural findings.

Structure is checked, never assumed: every ragged or broken record is reported where it
starts, and every observation keeps its file, row and column.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

from kpitool.codes import Code
from kpitool.errors import InputError, UsageError
from kpitool.models import Finding
from kpitool.period_names import period_in_name
from kpitool.readers.base import (
    FRAME_COLUMNS,
    DataFile,
    Observations,
    ReadOptions,
    Table,
    TableColumn,
    TableRow,
    empty_file,
    empty_frame,
    in_areas,
    said_above,
    select_areas,
)
from kpitool.readers.columns import LONG_COLUMNS, area_headings, period_heading
from kpitool.readers.headings import parse_header
from kpitool.readers.layout import MAX_TITLE_ROWS, header_below_titles, skipped_above
from kpitool.readers.long import _read_long
from kpitool.readers.text import _first_line, detect_encoding, mixed_encoding, read_bytes, sniff_delimiter
from kpitool.readers.wide import ARROW_WORDS, STATUS_WORDS, _read_wide

__all__ = [
    "ARROW_WORDS",
    "STATUS_WORDS",
    "FRAME_COLUMNS",
    "DataFile",
    "Observations",
    "ReadOptions",
    "Table",
    "TableColumn",
    "TableRow",
    "empty_frame",
    "parse_header",
    "read_file",
    "read_observations",
    "read_path",
]


def read_file(path: Path, options: ReadOptions | None = None, file_index: int = 0) -> DataFile:
    """Read a long or wide file. Raises InputError only when the file cannot be read at all."""
    options = options or ReadOptions()
    name = str(path)
    data = read_bytes(path)
    encoding, skip = detect_encoding(data, name)
    head = data[skip : skip + 65536].decode(encoding, errors="replace")
    if not head.strip():
        return DataFile(
            name,
            "long",
            empty_frame(),
            [empty_file(name)],
        )
    delimiter = sniff_delimiter(_first_line(head))
    header = next(csv.reader([_first_line(head)], delimiter=delimiter), [])
    shape, why = detect_shape(header, options, name)
    # a title of a cell or two over a file of rows: the long reader, the titles blanked
    titled = _rows_under_titles(head, delimiter, options, name) if sum(map(bool, header)) <= 2 else None
    if titled is not None:
        line, why, above = titled
        text = data[skip:].decode(encoding)
        cut = 0
        for _ in range(line - 1):
            cut = text.index("\n", cut) + 1
        result = _read_long(("\n" * (line - 1) + text[cut:]).encode(), "utf-8", delimiter, name, options, file_index)
        result.findings.insert(0, skipped_above(name, 1, line - 1))
        result.said = said_above(above, len(above) - 1)
    elif shape == "long":
        result = _read_long(data[skip:], encoding, delimiter, name, options, file_index)
        first = next(n for n, line in enumerate(head.splitlines(), start=1) if line.strip())
        result.said = said_above([(first, header)], 0)
    else:
        result = _read_wide(data[skip:].decode(encoding), delimiter, name, options, file_index)
    if why:
        result.findings.insert(0, Finding(code=Code.LAYOUT, file=name, message=f"read as {why}"))
    warning = mixed_encoding(data, name) if encoding == "cp1252" else None
    if warning is not None:
        result.findings.insert(0, warning)
    return result


def _rows_under_titles(
    head: str, delimiter: str, options: ReadOptions, name: str
) -> tuple[int, str, list[tuple[int, list[str]]]] | None:
    """The line of a file of rows' header under title and note rows, why it is read as rows, and
    the rows to the header (the titles, then the header); None when the file's first rows are no
    such titles, or the header under them is a report table's (whose titles the report reader
    skips itself)."""
    import io

    reader = csv.reader(io.StringIO(head), delimiter=delimiter)
    rows: list[tuple[int, list[str]]] = []
    start = 1
    try:
        for cells in reader:
            rows.append((start, cells))
            start = reader.line_num + 1
            if len(rows) > MAX_TITLE_ROWS:
                break
    except csv.Error:
        return None
    at = header_below_titles([cells for _, cells in rows])
    if not at:
        return None
    shape, why = detect_shape(rows[at][1], options, name)
    return (rows[at][0], why, rows[: at + 1]) if shape == "long" else None


def detect_shape(header: list[str], options: ReadOptions, name: str = "") -> tuple[str, str]:
    """A file's shape, decided here and only here, and why (said in a ``layout`` finding; nothing
    is said where the names make it evident: a canonical long file, whose columns are named
    measure, period and value, or a report table whose headings are periods and row names).

    The layout is decided by where the periods are: headings that are periods make a report
    table whatever its first column is called (``Measure``, ``KPI``, ``Police Division``).
    Otherwise columns named measure, period or value, or the column roles asked for, make a
    long file; and so does a column headed as a period (``Year``), or one headed as an area
    (``Force``) in a file whose name gives its period: a file of rows, of measures in columns when
    it has no measure or value column.
    """
    names = [h.strip().lstrip("\ufeff").lower() for h in header]
    if options.has_roles:
        return "long", ""  # the roles asked for say how: the column findings say the rest
    periods = [h.strip() for h in header[1:] if h.strip() and parse_header(h, options.year_start).role == "period"]
    if periods:
        if not any(n in LONG_COLUMNS for n in names):
            return "wide", ""  # headings of periods and nothing else: a report table, evidently
        shown = ", ".join(repr(p) for p in periods[:2]) + (", …" if len(periods) > 2 else "")
        named = next(h.strip() for h, n in zip(header, names, strict=True) if n in LONG_COLUMNS)
        return (
            "wide",
            f"a report table, though a column is headed {named!r}: a row per measure and a column per"
            f" period (its headings {shown} are periods)",
        )
    if all(n in names for n in LONG_COLUMNS):
        return "long", ""
    if any(n in LONG_COLUMNS for n in names):
        named = ", ".join(n for n in LONG_COLUMNS if n in names)
        return "long", f"a long file: a row per observation (it has a {named} column and no period headings)"
    by_name = period_in_name(name, options.year_start) is not None
    if period_heading(header, set()) is not None or (area_headings(header, set())[0] and by_name):
        return (
            "long",
            "a file of rows, not a report table: no heading is a period, and a column names the area or the period of each row",
        )
    return "wide", ""


def read_path(path: Path, options: ReadOptions | None = None, first_index: int = 0) -> list[DataFile]:
    """A file's DataFiles: one for a delimited file, one a sheet for a spreadsheet."""
    from kpitool.readers.calendar import calendar_hint
    from kpitool.readers.spreadsheet import SPREADSHEET_SUFFIXES, read_workbook

    options = options or ReadOptions()
    if path.suffix.lower() in SPREADSHEET_SUFFIXES:
        files = read_workbook(path, options, first_index)
    else:
        files = [read_file(path, options, first_index)]
    for data in files:
        hint = calendar_hint(data, options.year_start)
        if hint is not None:
            data.findings.append(hint)
        select_areas(data, options.areas)
    return files


def check_areas(files: Sequence[DataFile], wanted: Sequence[str]) -> None:
    """Every area asked for (--area) is one the files have: else a usage error naming those they have."""
    have = sorted({a for data in files for a in data.areas})
    unknown = [w for w in wanted if not any(in_areas(a, [w]) for a in have)]
    if not unknown:
        return
    if not have:
        raise UsageError(
            f"--area {unknown[0]!r}: the files have no areas (an area column such as Force, or --area-col;"
            " a report table's rows are areas only under subtotals, else measures, chosen with --measure)"
        )
    shown = ", ".join(repr(a) for a in have[:12]) + (f" and {len(have) - 12} more" if len(have) > 12 else "")
    raise UsageError(f"--area {unknown[0]!r}: no such area; the files have {shown}")


# a file whose structure leaves nothing to compare: compare stops at it (validate says why)
FATAL = (Code.EMPTY_FILE, Code.MISSING_COLUMN, Code.NO_DATA)


def read_observations(paths: Sequence[Path], options: ReadOptions | None = None) -> Observations:
    """All files' observations, in the order given; a file that cannot be read -> InputError."""
    files: list[DataFile] = []
    for path in paths:
        for data in read_path(path, options, len(files)):
            fatal = [f for f in data.findings if f.code in FATAL]
            if fatal:
                raise InputError(f"{path}: {fatal[0].message}")
            files.append(data)
    check_areas(files, (options or ReadOptions()).areas)
    return Observations.of(files)
