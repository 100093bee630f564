"""Records that cannot be counted as they are, each located by its file and row (header = row 1).

A count says how many; these say which: a ragged row or an open quote (DuckDB's reject tables
give its line), a date that is no date, a cell that is not a number in a column added up or
averaged. DuckDB finds the texts; the rows of a CSV are then found by reading it once more
(DuckDB numbers no CSV rows), those of a Parquet file by ``file_row_number``.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kpitool.codes import Code
from kpitool.errors import InputError
from kpitool.models import Finding
from kpitool.readers.base import listed, ragged_row
from kpitool.readers.record_sql import (
    DATE_SPELLINGS,
    FileGroup,
    as_text,
    blank_sql,
    date_sql,
    number_sql,
    quote,
    source_sql,
    where_sql,
)
from kpitool.sources import Where

if TYPE_CHECKING:
    import duckdb

MAX_BAD_TEXTS = 10_000  # distinct unreadable texts fetched to locate their rows
ROW = "kpitool row"  # the row number beside a candidate's cells, when its filter is checked again


def records_have(n: int) -> str:
    """``1 record has`` / ``1,200 records have``."""
    return f"{n:,} record has" if n == 1 else f"{n:,} records have"


def _drop_rejects(con: duckdb.DuckDBPyConnection, group: FileGroup) -> None:
    if group.kind == "csv":
        con.execute("DROP TABLE IF EXISTS reject_errors; DROP TABLE IF EXISTS reject_scans")


def rejects(con: duckdb.DuckDBPyConnection) -> list[Finding]:
    """Rows DuckDB could not split into the header's columns: reported by line, as ``ragged-row``."""
    rows = con.execute(
        "SELECT s.file_path, e.line, e.error_type, e.csv_line, e.error_message FROM reject_errors e"
        " JOIN reject_scans s USING (scan_id, file_id) ORDER BY s.file_path, e.line"
    ).fetchall()
    con.execute("DROP TABLE IF EXISTS reject_errors; DROP TABLE IF EXISTS reject_scans")
    out: list[Finding] = []
    for file, line, kind, text, message in rows:
        if kind in ("TOO MANY COLUMNS", "MISSING COLUMNS"):
            found = len(next(csv.reader([str(text or "")]), []))
            expected = _expected_fields(str(message))
            finding = ragged_row(str(file), int(line), found, expected or found)
        elif "QUOTE" in str(kind).upper() or "UNQUOTED" in str(kind).upper():
            finding = Finding(
                code=Code.BROKEN_QUOTE,
                file=str(file),
                row=int(line),
                message=f"row {line}: {str(message).strip().rstrip('.').lower()}; the record was not counted",
            )
        else:  # not a row that can be left out and named (bad bytes, a line too long): the file is refused
            raise InputError(f"{file}: row {line}: {str(message).strip()} ({str(kind).lower()})")
        out.append(finding)
    return out


def _expected_fields(message: str) -> int | None:
    import re

    m = re.search(r"Expected Number of Columns: (\d+)", message)
    return int(m.group(1)) if m else None


# --------------------------------------------------------------------------- dates


def bad_dates(
    con: duckdb.DuckDBPyConnection, group: FileGroup, files: list[Path], column: str, shown: str
) -> list[Finding]:
    """Each record whose date (in the file's ``column``) cannot be read, by file and row."""
    date = quote(column)
    params: list[Any] = []
    source = source_sql(group, files, params, rejects=group.kind == "csv")
    found = con.execute(
        f"SELECT filename, {as_text(date)} AS d, count(*) FROM {source} WHERE {date_sql(date)} IS NULL"
        " GROUP BY ALL ORDER BY 1",
        params,
    ).fetchall()
    _drop_rejects(con, group)
    by_file: dict[str, dict[str | None, int]] = {}
    for file, text, n in found:
        by_file.setdefault(str(file), {})[text] = int(n)
    findings: list[Finding] = []
    for file, texts in by_file.items():
        count = sum(texts.values())
        wanted = set(sorted(texts, key=lambda t: -texts[t])[:MAX_BAD_TEXTS])
        if group.kind == "parquet":
            rows = _parquet_rows(con, Path(file), f"{date_sql(date)} IS NULL", [], column)
        else:
            rows = [(r, t) for r, t, _ in _csv_rows(Path(file), group, column, wanted)]
        findings.extend(_date_findings(file, rows, shown, count))
    return findings


def _date_findings(name: str, rows: list[tuple[int, str]], column: str, count: int) -> list[Finding]:
    def make(item: tuple[int, str]) -> Finding:
        row, text = item
        what = f"{text!r} is not a date" if text.strip() else "no date"
        return Finding(
            code=Code.BAD_DATE,
            file=name,
            row=row,
            column_name=column,
            actual=text if text.strip() else None,
            message=f"{what} (expected e.g. {DATE_SPELLINGS}); the record is in no month",
        )

    found = listed(rows, make, lambda item: item[0])
    if len(rows) < count:  # texts past MAX_BAD_TEXTS distinct ones: counted, if not every row located
        found.append(
            Finding(
                code=Code.BAD_DATE,
                file=name,
                column_name=column,
                message=f"{count - len(rows):,} more records whose date cannot be read (more than"
                f" {MAX_BAD_TEXTS:,} different texts); they are in no month",
            )
        )
    return found


# --------------------------------------------------------------------------- rows of a file


def _parquet_rows(
    con: duckdb.DuckDBPyConnection, path: Path, condition: str, params: list[Any], column: str
) -> list[tuple[int, str]]:
    """(row, text of ``column``) of a Parquet file's records where ``condition`` holds: header = row 1."""
    got = con.execute(
        f"SELECT file_row_number, {as_text(quote(column))} FROM read_parquet(?, file_row_number = true)"
        f" WHERE {condition} ORDER BY 1",
        [str(path), *params],
    ).fetchall()
    return [(int(r) + 2, "" if t is None else str(t)) for r, t in got]


def _csv_rows(
    path: Path, group: FileGroup, column: str, texts: set[str | None], also: Sequence[str] = ()
) -> list[tuple[int, str, list[str | None]]]:
    """(row, text, cells of ``also``) of a CSV's records whose ``column`` is one of ``texts`` (None: empty)."""
    out: list[tuple[int, str, list[str | None]]] = []
    with path.open(encoding="cp1252" if group.encoding == "latin-1" else "utf-8-sig", newline="") as handle:
        reader = csv.reader(handle, delimiter=group.delimiter)
        header = [h.strip() for h in next(reader, [])]
        at = header.index(column)
        others = [header.index(c) for c in also]
        for number, record in enumerate(reader, start=2):
            if len(record) != len(header):
                continue  # a ragged row is reported on its own and not counted
            text = record[at]
            if (text if text.strip() else None) in texts or text in texts:
                out.append((number, text, [record[i] or None for i in others]))  # empty is NULL, as DuckDB reads it
    return out


# --------------------------------------------------------------------------- numbers


def bad_numbers(
    con: duckdb.DuckDBPyConnection,
    group: FileGroup,
    files: list[Path],
    column: str,
    uses: Sequence[tuple[str, Where]],
    names: dict[str, str],
) -> list[Finding]:
    """Cells of a column added up or averaged that are blank (a warning, counted by file) or not a
    number (an error, named by row), among the records the measures (``uses``: name, filter) take."""
    col = quote(column)
    measures = list(dict.fromkeys(m for m, _ in uses if m))
    shown = " and ".join(repr(m) for m in measures) or "the sum"

    def taken(params: list[Any]) -> str:
        return " OR ".join(f"({where_sql(where, names, params)})" for _, where in uses)

    bad = f"NOT {blank_sql(col)} AND {number_sql(col)} IS NULL"
    source: list[Any] = []
    params: list[Any] = []
    sql = (
        f"SELECT filename, count(*) FILTER (WHERE {blank_sql(col)}), count(*) FILTER (WHERE {bad})"
        f" FROM {source_sql(group, files, source, rejects=group.kind == 'csv')} WHERE {taken(params)}"
        " GROUP BY ALL ORDER BY 1"
    )
    got = con.execute(sql, [*source, *params]).fetchall()  # here the files stand before the filters
    _drop_rejects(con, group)
    out = []
    for file, blanks, nans in got:
        if blanks:
            out.append(
                Finding(
                    code=Code.BLANK_VALUE,
                    file=str(file),
                    column_name=column,
                    measure=measures[0] if len(measures) == 1 else None,
                    message=f"{records_have(blanks)} no value in {column!r}, left out of {shown}",
                )
            )
        if nans:
            rows = _number_rows(con, group, Path(file), column, uses, names, taken, bad)
            out.extend(_number_findings(str(file), rows, column, measures, shown, int(nans)))
    return out


def _number_rows(
    con: duckdb.DuckDBPyConnection,
    group: FileGroup,
    path: Path,
    column: str,
    uses: Sequence[tuple[str, Where]],
    names: dict[str, str],
    taken: Any,
    bad: str,
) -> list[tuple[int, str]]:
    """(row, text) of one file's records whose ``column`` is not a number, among those its measures take."""
    import pandas as pd

    if group.kind == "parquet":
        params: list[Any] = []
        return _parquet_rows(con, path, f"({taken(params)}) AND {bad}", params, column)
    params = []
    source: list[Any] = []
    texts = con.execute(
        f"SELECT {as_text(quote(column))}, count(*) FROM {source_sql(group, [path], source, rejects=True)}"
        f" WHERE ({taken(params)}) AND {bad} GROUP BY ALL ORDER BY 2 DESC LIMIT {MAX_BAD_TEXTS}",
        [*source, *params],
    ).fetchall()
    _drop_rejects(con, group)
    also = list(dict.fromkeys(names[c] for _, where in uses for c in where))
    found = _csv_rows(path, group, column, {str(t) for t, _ in texts}, also)
    if not also or not found:
        return [(r, t) for r, t, _ in found]
    # a text may be in records the filters leave out too: the filters decide again, in DuckDB's own terms
    frame = pd.DataFrame([[r, *cells] for r, _, cells in found], columns=[ROW, *also], dtype=object)
    con.register("kpitool_candidates", frame)
    try:
        params = []
        kept = {
            int(r)
            for (r,) in con.execute(
                f"SELECT {quote(ROW)} FROM kpitool_candidates WHERE {taken(params)}", params
            ).fetchall()
        }
    finally:
        con.unregister("kpitool_candidates")
    return [(r, t) for r, t, _ in found if r in kept]


def _number_findings(
    name: str, rows: list[tuple[int, str]], column: str, measures: list[str], shown: str, count: int
) -> list[Finding]:
    def make(item: tuple[int, str]) -> Finding:
        row, text = item
        return Finding(
            code=Code.NOT_A_NUMBER,
            file=name,
            row=row,
            column_name=column,
            measure=measures[0] if len(measures) == 1 else None,
            actual=text,
            message=f"{text!r} in {column!r} is not a number (expected e.g. 12 or 3.5); the record is left out of {shown}",
        )

    found = listed(rows, make, lambda item: item[0])
    if len(rows) < count:
        found.append(
            Finding(
                code=Code.NOT_A_NUMBER,
                file=name,
                column_name=column,
                message=f"{count - len(rows):,} more records whose {column!r} is not a number (more than"
                f" {MAX_BAD_TEXTS:,} different texts), left out of {shown}",
            )
        )
    return found
