"""Record-level files (one row per incident, call, casualty) counted into months, with DuckDB.

DuckDB reads the files where they lie (CSV, TSV, Parquet; globs), in parallel and streaming, so
memory stays bounded whatever their size; only the counts (area x group x month) come back to
Python. The query is built from a declarative description (columns, filters), never from SQL
text: column names are quoted identifiers and every value is a bound parameter.

Nothing is dropped unsaid: a record whose date cannot be read is counted, and located by its
row; a ragged row is reported by DuckDB's reject tables with its line; a blank cell in a column
that is added up is counted.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kpitool.codes import Code
from kpitool.errors import InputError
from kpitool.models import Finding
from kpitool.readers.base import listed, ragged_row
from kpitool.readers.text import _first_line, detect_encoding, sniff_delimiter
from kpitool.sources import Condition, Scalar, Where, conditions

if TYPE_CHECKING:
    import duckdb
    import pandas as pd

PARQUET_SUFFIXES = (".parquet", ".parq", ".pq")
HEAD_BYTES = 1 << 16
# the spellings of a record's date: a month, a date (UK day first) or a timestamp; tried in order
DATE_FORMATS = (
    "%Y-%m",
    "%Y-%m-%d",
    "%d/%m/%Y",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%Y/%m/%d",
)
DATE_SPELLINGS = "2022-01, 2022-01-31, 31/01/2022 or a timestamp such as 2022-01-31 14:05:00"
MAX_BAD_TEXTS = 10_000  # distinct unreadable texts fetched to locate their rows


@dataclass(frozen=True)
class Tally:
    """One figure made from the records: rows counted (or ``total`` added up) where ``where`` holds."""

    measure: str
    where: Where = field(default_factory=dict)
    total: str | None = None  # the column added up; None counts the rows


@dataclass(frozen=True)
class RecordQuery:
    """What to count: the files, the date column, the areas, the groups, the tallies."""

    files: tuple[Path, ...]
    date: str
    tallies: tuple[Tally, ...]
    area_cols: tuple[str, ...] = ()
    area: str = ""  # every record's area, when no column gives it
    by: tuple[str, ...] = ()  # more columns whose values split the counts (each value its own measure)


@dataclass
class RecordCounts:
    """The counts by area, group and month, the records read, and the findings met on the way."""

    frame: pd.DataFrame  # area, by columns ("by0", ...), month (YYYYMM int), n (records), one column per tally
    findings: list[Finding]
    records: int
    unread: int  # records whose date could not be read (counted, located in the findings)
    files: list[str]

    def presence(self) -> dict[str, dict[int, int]]:
        """Records per area and month (any record): which months an area's data has."""
        out: dict[str, dict[int, int]] = {}
        grouped = self.frame.groupby(["area", "month"], sort=True)["n"].sum().reset_index()
        for area, month, n in zip(grouped["area"], grouped["month"], grouped["n"], strict=True):
            out.setdefault(str(area), {})[int(month)] = int(n)
        return out


def records_have(n: int) -> str:
    """``1 record has`` / ``1,200 records have``."""
    return f"{n:,} record has" if n == 1 else f"{n:,} records have"


def quote(name: str) -> str:
    """A column name as a DuckDB identifier, whatever it holds."""
    return '"' + name.replace('"', '""') + '"'


# --------------------------------------------------------------------------- files and their columns


@dataclass(frozen=True)
class _Group:
    """Files read by one scan: one kind (csv/parquet) and, for text, one delimiter and encoding."""

    kind: str
    delimiter: str = ","
    encoding: str = "utf-8"
    header: tuple[str, ...] = ()  # files with one header are read together, column by position


def _header(path: Path) -> tuple[_Group, list[str]]:
    """A file's kind and column names, read from its first bytes (a Parquet file from its footer)."""
    if not path.is_file():
        raise InputError(f"{path}: no such file" if not path.exists() else f"{path}: not a regular file")
    if path.suffix.lower() in PARQUET_SUFFIXES:
        import duckdb

        try:
            schema = duckdb.execute("SELECT name FROM parquet_schema(?)", [str(path)]).fetchall()
            names = [str(r[0]) for r in schema]
        except duckdb.Error as exc:
            raise InputError(f"{path}: not a readable Parquet file ({_first(exc)})") from None
        return _Group("parquet"), names[1:]  # the first row is the schema's root
    with path.open("rb") as handle:
        head = handle.read(HEAD_BYTES)
    if len(head) == HEAD_BYTES and b"\n" in head:
        head = head[: head.rfind(b"\n") + 1]  # whole lines: a character cut in two is not a wrong encoding
    if not head.strip():
        raise InputError(f"{path}: the file is empty")
    encoding, skip = detect_encoding(head, str(path)) if b"\x00" not in head[:4096] else ("", 0)
    if not encoding:
        raise InputError(f"{path}: not a text file (it holds NUL bytes); save it as CSV or Parquet")
    text = head[skip:].decode(encoding, errors="replace")
    line = _first_line(text)
    delimiter = sniff_delimiter(line)
    names = next(csv.reader([line], delimiter=delimiter), [])
    names = [n.strip() for n in names]
    return _Group("csv", delimiter, "latin-1" if encoding == "cp1252" else "utf-8", tuple(names)), names


def _first(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else exc.__class__.__name__


def _column(names: list[str], wanted: str, path: Path, role: str) -> str:
    """The file's own spelling of a column named in any case; a missing one is refused, naming the header."""
    for n in names:
        if n == wanted:
            return n
    folded = [n for n in names if n.strip().lower() == wanted.strip().lower()]
    if len(folded) == 1:
        return folded[0]
    shown = ", ".join(repr(n) for n in names[:30]) + (", …" if len(names) > 30 else "")
    raise InputError(f"{path}: no column {wanted!r} ({role}); the header has {shown}")


# --------------------------------------------------------------------------- the query


def _condition_sql(column: str, condition: Condition, params: list[Any]) -> str:
    """A condition as SQL over a text column: numbers compare as numbers, text as trimmed text."""
    parts = []
    signs = {"lt": "<", "le": "<=", "gt": ">", "ge": ">="}

    def operand(value: Scalar) -> str:
        params.append(value)
        return f"TRY_CAST({column} AS DOUBLE)" if isinstance(value, int | float) else f"trim({column})"

    for op, value in condition.tests():
        values = value if isinstance(value, list) else [value]
        if op in ("eq", "ne"):
            each = [f"{operand(v)} = ?" for v in values]
            any_of = "(" + " OR ".join(each) + ")"
            parts.append(f"coalesce({any_of}, false)" if op == "eq" else f"NOT coalesce({any_of}, false)")
        else:
            assert not isinstance(value, list)
            parts.append(f"coalesce({operand(value)} {signs[op]} ?, false)")
    return " AND ".join(parts)


def _where_sql(where: Where, names: dict[str, str], params: list[Any]) -> str:
    clauses = [_condition_sql(quote(names[c]), cond, params) for c, cond in conditions(where)]
    return " AND ".join(clauses) if clauses else "true"


def _source_sql(group: _Group, files: list[Path], params: list[Any], *, rejects: bool = False) -> str:
    params.append([str(f) for f in files])
    if group.kind == "parquet":
        return "read_parquet(?, union_by_name = true, filename = true)"
    params.extend([group.delimiter, group.encoding])
    # the columns are known from the header: every one text, no sniffing; a file that breaks the
    # dialect is read again with DuckDB's reject tables, which name each broken row
    columns = "{" + ", ".join(f"'{_literal(n)}': 'VARCHAR'" for n in _unique(group.header)) + "}"
    return (
        f"read_csv(?, auto_detect = false, delim = ?, encoding = ?, header = true, quote = '\"', escape = '\"', columns = {columns},"
        f" filename = true, null_padding = false{', store_rejects = true' if rejects else ''})"
    )


def _literal(text: str) -> str:
    return text.replace("'", "''")


def _unique(header: tuple[str, ...]) -> list[str]:
    """Column names as DuckDB makes them unique (``X``, ``X_1``), so each can be named."""
    seen: dict[str, int] = {}
    out = []
    for name in header:
        name = name or "column"
        if name in seen:
            seen[name] += 1
            name = f"{name}_{seen[name] - 1}"
        else:
            seen[name] = 1
        out.append(name)
    return out


def _text(expr: str) -> str:
    return f"CAST({expr} AS VARCHAR)"


def _date_sql(column: str) -> str:
    formats = "[" + ", ".join(f"'{f}'" for f in DATE_FORMATS) + "]"
    return f"try_strptime(trim({_text(column)}), {formats})"


def count_records(query: RecordQuery) -> RecordCounts:
    """Count the records of ``query.files`` by area, group and month; InputError when a file cannot be read."""
    import duckdb
    import pandas as pd

    if not query.files:
        raise InputError("no record files to count")
    groups: dict[_Group, list[Path]] = {}
    columns: dict[Path, list[str]] = {}
    for path in query.files:
        group, names = _header(path)
        groups.setdefault(group, []).append(path)
        columns[path] = names
    frames: list[pd.DataFrame] = []
    findings: list[Finding] = []
    con = duckdb.connect(config={"preserve_insertion_order": False})
    try:
        con.execute("SET enable_progress_bar = false")  # it would write into the counts on stdout
        for group, files in groups.items():
            frame, found = _count_group(con, query, group, files, columns)
            frames.append(frame)
            findings.extend(found)
    except duckdb.Error as exc:
        raise InputError(f"{', '.join(str(f) for f in query.files[:3])}: cannot be read ({_first(exc)})") from None
    finally:
        con.close()
    frame = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    bad = frame["month"].isna()
    unread = int(frame.loc[bad, "n"].sum())
    keys = ["area", *[f"by{i}" for i in range(len(query.by))], "month"]
    good = frame[~bad].astype({"month": "int64"})
    values = ["n", *[f"t{i}" for i in range(len(query.tallies))]]
    good = good.groupby(keys, sort=True, dropna=False)[values].sum(min_count=1).reset_index()
    records = int(frame["n"].sum())
    return RecordCounts(good, findings, records, unread, [str(f) for f in query.files])


def _count_group(
    con: duckdb.DuckDBPyConnection,
    query: RecordQuery,
    group: _Group,
    files: list[Path],
    columns: dict[Path, list[str]],
) -> tuple[pd.DataFrame, list[Finding]]:
    """One scan of files of one kind: counts by area, group and month, then the findings.

    Per record only what must be: the columns grouped as they are, the filters, and the date's
    day (a date or month text as written; a timestamp cut to its day). Trimming, joining area
    columns and reading the month happen once per group, on the few rows the scan returns.
    """
    import duckdb

    names: dict[str, str] = {}
    wanted = [(query.date, "the date column")]
    wanted += [(c, "an area column") for c in query.area_cols]
    wanted += [(c, "a --by column") for c in query.by]
    for t in query.tallies:
        wanted += [(c, f"a filter of {t.measure}") for c in t.where]
        if t.total:
            wanted.append((t.total, f"the column {t.measure} adds up"))
    for path in files:
        for column, role in wanted:
            names[column] = _column(columns[path], column, path, role)
    params: list[Any] = []  # the filters' values
    date = _text(quote(names[query.date]))
    formats = "[" + ", ".join(f"'{f}'" for f in DATE_FORMATS) + "]"
    inner = [f"{_text(quote(names[c]))} AS a{i}" for i, c in enumerate(query.area_cols)]
    inner += [f"{_text(quote(names[c]))} AS by{i}" for i, c in enumerate(query.by)]
    inner.append(
        f"CASE WHEN length({date}) <= 12 THEN {date}"
        f" ELSE CAST(CAST(try_strptime(trim({date}), {formats}) AS DATE) AS VARCHAR) END AS day"
    )
    aggregates, sums = ["count(*) AS n"], ["sum(n) AS n"]
    for i, t in enumerate(query.tallies):
        cond = _where_sql(t.where, names, params)
        sums += [f"sum(t{i}) AS t{i}", f"sum(blank{i}) AS blank{i}", f"sum(nan{i}) AS nan{i}"]
        if t.total is None:
            aggregates += [f"count(*) FILTER (WHERE {cond}) AS t{i}", f"0 AS blank{i}", f"0 AS nan{i}"]
            continue
        col = _text(quote(names[t.total]))
        number = f"TRY_CAST(trim({col}) AS DOUBLE)"
        blank = f"({col} IS NULL OR trim({col}) = '')"
        aggregates.append(f"coalesce(sum({number}) FILTER (WHERE {cond}), 0) AS t{i}")
        # each use of the filter binds its own values, in the order the placeholders stand
        again, third = _where_sql(t.where, names, params), _where_sql(t.where, names, params)
        aggregates.append(f"count(*) FILTER (WHERE {again} AND {blank}) AS blank{i}")
        aggregates.append(f"count(*) FILTER (WHERE {third} AND NOT {blank} AND {number} IS NULL) AS nan{i}")
    if query.area_cols:
        area = " || ' / ' || ".join(f"coalesce(trim(a{i}), '')" for i in range(len(query.area_cols)))
        area_params: list[Any] = []
    else:
        area, area_params = "CAST(? AS VARCHAR)", [query.area]
    outer = [f"{area} AS area", *[f"coalesce(trim(by{i}), '') AS by{i}" for i in range(len(query.by))]]
    outer.append("year(t) * 100 + month(t) AS month")

    def sql(source: str) -> str:
        scan = f"SELECT {', '.join(inner)}, {', '.join(aggregates)} FROM {source} GROUP BY ALL"
        return (
            f"SELECT {', '.join(outer)}, {', '.join(sums)} FROM"
            f" (SELECT *, try_strptime(trim(day), {formats}) AS t FROM ({scan})) GROUP BY ALL"
        )

    findings: list[Finding] = []
    source: list[Any] = []
    try:  # placeholders in the order they stand: the area, the filters, the files
        frame = con.execute(sql(_source_sql(group, files, source)), [*area_params, *params, *source]).df()
    except duckdb.InvalidInputException:
        if group.kind != "csv":
            raise
        source = []
        frame = con.execute(sql(_source_sql(group, files, source, rejects=True)), [*area_params, *params, *source]).df()
        findings.extend(_rejects(con))
    if frame["month"].isna().any():
        findings.extend(_bad_dates(con, query, group, files, names))
    for i, t in enumerate(query.tallies):
        if t.total is not None and (frame[f"blank{i}"].sum() or frame[f"nan{i}"].sum()):
            findings.extend(_bad_totals(con, group, files, i, t, names))
    return frame.drop(columns=[c for c in frame.columns if c.startswith(("blank", "nan"))]), findings


def _rejects(con: duckdb.DuckDBPyConnection) -> list[Finding]:
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


def _bad_dates(
    con: duckdb.DuckDBPyConnection, query: RecordQuery, group: _Group, files: list[Path], names: dict[str, str]
) -> list[Finding]:
    """Each record whose date cannot be read, by file and row (a finding each, up to a thousand a file)."""
    date = quote(names[query.date])
    params: list[Any] = []
    source = _source_sql(group, files, params, rejects=group.kind == "csv")
    found = con.execute(
        f"SELECT filename, {_text(date)} AS d, count(*) FROM {source} WHERE {_date_sql(date)} IS NULL"
        " GROUP BY ALL ORDER BY 1",
        params,
    ).fetchall()
    if group.kind == "csv":
        con.execute("DROP TABLE IF EXISTS reject_errors; DROP TABLE IF EXISTS reject_scans")
    by_file: dict[str, dict[str | None, int]] = {}
    for file, text, n in found:
        by_file.setdefault(str(file), {})[text] = int(n)
    findings: list[Finding] = []
    for file, texts in by_file.items():
        count = sum(texts.values())
        wanted = set(sorted(texts, key=lambda t: -texts[t])[:MAX_BAD_TEXTS])
        rows = _rows_with(Path(file), group, names[query.date], wanted, con)
        findings.extend(_date_findings(file, rows, query.date, count))
    return findings


def _rows_with(
    path: Path, group: _Group, column: str, texts: set[str | None], con: duckdb.DuckDBPyConnection
) -> list[tuple[int, str]]:
    """(row, text) of the records whose ``column`` is one of ``texts`` (None: empty): header = row 1."""
    if group.kind == "parquet":
        params: list[Any] = [str(path)]
        got = con.execute(
            f"SELECT file_row_number, {_text(quote(column))} FROM read_parquet(?, file_row_number = true)"
            f" WHERE {_date_sql(quote(column))} IS NULL ORDER BY 1",
            params,
        ).fetchall()
        return [(int(r) + 2, "" if t is None else str(t)) for r, t in got]
    out: list[tuple[int, str]] = []
    with path.open(encoding="cp1252" if group.encoding == "latin-1" else "utf-8-sig", newline="") as handle:
        reader = csv.reader(handle, delimiter=group.delimiter)
        header = [h.strip() for h in next(reader, [])]
        at = header.index(column)
        for number, record in enumerate(reader, start=2):
            if len(record) != len(header):
                continue  # a ragged row is reported on its own and not counted
            text = record[at]
            if (text if text.strip() else None) in texts or text in texts:
                out.append((number, text))
    return out


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
    located = len(rows)
    if located < count:  # texts past MAX_BAD_TEXTS distinct ones: counted, if not every row located
        found.append(
            Finding(
                code=Code.BAD_DATE,
                file=name,
                column_name=column,
                message=f"{count - located:,} more records whose date cannot be read (more than"
                f" {MAX_BAD_TEXTS:,} different texts); they are in no month",
            )
        )
    return found


def _bad_totals(
    con: duckdb.DuckDBPyConnection,
    group: _Group,
    files: list[Path],
    i: int,
    tally: Tally,
    names: dict[str, str],
) -> list[Finding]:
    """Cells of a column that is added up that are blank (not added, said so) or not numbers (an error), by file."""
    assert tally.total is not None
    column = names[tally.total]
    col = _text(quote(column))
    params: list[Any] = []
    cond = _where_sql(tally.where, names, params)
    blank = f"({col} IS NULL OR trim({col}) = '')"
    number = f"TRY_CAST(trim({col}) AS DOUBLE)"
    source: list[Any] = []
    sql = (
        f"SELECT filename, count(*) FILTER (WHERE {blank}), count(*) FILTER (WHERE NOT {blank} AND {number} IS NULL)"
        f" FROM {_source_sql(group, files, source, rejects=group.kind == 'csv')} WHERE {cond} GROUP BY ALL ORDER BY 1"
    )
    got = con.execute(sql, [*source, *params]).fetchall()  # here the files stand before the filters
    if group.kind == "csv":
        con.execute("DROP TABLE IF EXISTS reject_errors; DROP TABLE IF EXISTS reject_scans")
    out = []
    for file, blanks, nans in got:
        if blanks:
            out.append(
                Finding(
                    code=Code.BLANK_VALUE,
                    file=str(file),
                    column_name=column,
                    measure=tally.measure,
                    message=f"{records_have(blanks)} no value in {column!r}; {tally.measure} adds up the others",
                )
            )
        if nans:
            out.append(
                Finding(
                    code=Code.NOT_A_NUMBER,
                    file=str(file),
                    column_name=column,
                    measure=tally.measure,
                    message=f"{records_have(nans)} a value in {column!r} that is not a number, not added up",
                )
            )
    return out
