"""Read a data file, long or wide, into observations, reported figures and structural findings.

Structure is checked, never assumed: every ragged or broken record is reported where it
starts, and every observation keeps its file, row and column.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

from kpitool.codes import Code
from kpitool.errors import InputError
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
)
from kpitool.readers.long import LONG_COLUMNS, _read_long
from kpitool.readers.text import _first_line, detect_encoding, mixed_encoding, read_bytes, sniff_delimiter
from kpitool.readers.wide import ARROW_WORDS, STATUS_WORDS, _read_wide, parse_header

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
    if detect_shape(header, options) == "long":
        result = _read_long(data[skip:], encoding, delimiter, name, options, file_index)
    else:
        result = _read_wide(data[skip:].decode(encoding), delimiter, name, options, file_index)
    warning = mixed_encoding(data, name) if encoding == "cp1252" else None
    if warning is not None:
        result.findings.insert(0, warning)
    return result


def detect_shape(header: list[str], options: ReadOptions) -> str:
    """Long or wide, decided by where the periods are: headings that are periods make a wide table
    whatever its first column is called (``Measure``, ``KPI``, ``Police Division``); otherwise a
    ``measure``, ``period`` or ``value`` column makes a long file."""
    names = [h.strip().lstrip("\ufeff").lower() for h in header]
    if options.has_roles:
        return "long"
    if any(parse_header(h, options.year_start).role == "period" for h in header[1:] if h.strip()):
        return "wide"
    return "long" if any(n in LONG_COLUMNS for n in names) else "wide"


def read_path(path: Path, options: ReadOptions | None = None, first_index: int = 0) -> list[DataFile]:
    """A file's DataFiles: one for a delimited file, one a sheet for a spreadsheet."""
    from kpitool.readers.spreadsheet import SPREADSHEET_SUFFIXES, read_workbook

    options = options or ReadOptions()
    if path.suffix.lower() in SPREADSHEET_SUFFIXES:
        return read_workbook(path, options, first_index)
    return [read_file(path, options, first_index)]


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
    return Observations.of(files)
