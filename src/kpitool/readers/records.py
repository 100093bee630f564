"""Record-level files (one row per incident, call, casualty) counted into months, with DuckDB.

DuckDB reads the files where they lie (CSV, TSV, Parquet; globs), in parallel and streaming, so
memory stays bounded whatever their size; only the counts (area x group x month) come back to
Python. The query is built from a declarative description (columns, filters), never from SQL
text: column names are quoted identifiers and every value is a bound parameter.

Nothing is dropped unsaid (``record_findings``): a record whose date cannot be read, or whose
cell in a column added up is not a number, is counted and located by its row; a ragged row is
reported by DuckDB's reject tables with its line; a blank cell in a column added up is counted.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kpitool.errors import InputError
from kpitool.models import Finding
from kpitool.readers.record_findings import bad_dates, bad_numbers, rejects
from kpitool.readers.record_sql import (
    FORMATS_SQL,
    FileGroup,
    as_text,
    blank_sql,
    number_sql,
    quote,
    source_sql,
    where_sql,
)
from kpitool.readers.text import _first_line, detect_encoding, sniff_delimiter
from kpitool.sources import Where

if TYPE_CHECKING:
    import duckdb
    import pandas as pd

PARQUET_SUFFIXES = (".parquet", ".parq", ".pq")
HEAD_BYTES = 1 << 16


@dataclass(frozen=True)
class Tally:
    """One figure made from the records where ``where`` holds: rows counted, ``total`` added up, or
    the rows with a number in ``present`` counted (a mean's denominator)."""

    measure: str
    where: Where = field(default_factory=dict)
    total: str | None = None  # the column added up
    present: str | None = None  # count the records whose cell in this column is a number
    of: str = ""  # the measure it is made for, when not ``measure`` itself (a mean's terms)

    def __post_init__(self) -> None:
        assert not (self.total and self.present), "a tally adds up a column or counts its numbers, not both"

    @property
    def column(self) -> str | None:
        """The column whose cells must be numbers, if any."""
        return self.total or self.present

    @property
    def shown(self) -> str:
        return self.of or self.measure


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
    # records per file and month, for files given together without an area column that are of the
    # same months (a force's year each), never files of different months (a folder a month)
    by_file: dict[str, dict[int, int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.by_file and not set.intersection(*(set(months) for months in self.by_file.values())):
            self.by_file = {}  # files of months apart (data.police.uk's folders, a file a quarter)

    def presence(self) -> dict[str, dict[int, int]]:
        """Records per area and month (any record): which months an area's data has. Files of one
        area each, given together, have a month only where every one of them has it."""
        out: dict[str, dict[int, int]] = {}
        grouped = self.frame.groupby(["area", "month"], sort=True)["n"].sum().reset_index()
        for area, month, n in zip(grouped["area"], grouped["month"], grouped["n"], strict=True):
            out.setdefault(str(area), {})[int(month)] = int(n)
        if self.by_file:
            every = set.intersection(*(set(months) for months in self.by_file.values()))
            out = {area: {m: n for m, n in months.items() if m in every} for area, months in out.items()}
        return out


# --------------------------------------------------------------------------- files and their columns


def _header(path: Path) -> tuple[FileGroup, list[str]]:
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
        return FileGroup("parquet"), names[1:]  # the first row is the schema's root
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
    return FileGroup("csv", delimiter, "latin-1" if encoding == "cp1252" else "utf-8", tuple(names)), names


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


def count_records(query: RecordQuery) -> RecordCounts:
    """Count the records of ``query.files`` by area, group and month; InputError when a file cannot be read."""
    import duckdb
    import pandas as pd

    if not query.files:
        raise InputError("no record files to count")
    groups: dict[FileGroup, list[Path]] = {}
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
    by_file: dict[str, dict[int, int]] = {}
    if "f" in good.columns:  # each file's months: a file of one force without December is seen
        months = good.groupby(["f", "month"], sort=True)["n"].sum().reset_index()
        for path, month, n in zip(months["f"], months["month"], months["n"], strict=True):
            by_file.setdefault(str(path), {})[int(month)] = int(n)
    values = ["n", *[f"t{i}" for i in range(len(query.tallies))]]
    good = good.groupby(keys, sort=True, dropna=False)[values].sum(min_count=1).reset_index()
    records = int(frame["n"].sum())
    return RecordCounts(good, findings, records, unread, [str(f) for f in query.files], by_file)


def _count_group(
    con: duckdb.DuckDBPyConnection,
    query: RecordQuery,
    group: FileGroup,
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
        wanted += [(c, f"a filter of {t.shown}") for c in t.where]
        if t.column:
            wanted.append((t.column, f"the column {t.shown} {'adds up' if t.total else 'averages'}"))
    for path in files:
        for column, role in wanted:
            names[column] = _column(columns[path], column, path, role)
    params: list[Any] = []  # the filters' values
    date = as_text(quote(names[query.date]))
    inner = [f"{as_text(quote(names[c]))} AS a{i}" for i, c in enumerate(query.area_cols)]
    inner += [f"{as_text(quote(names[c]))} AS by{i}" for i, c in enumerate(query.by)]
    per_file = not query.area_cols and len(query.files) > 1  # files of one area each, or of months?
    if per_file:
        inner.append("filename AS f")
    inner.append(
        f"CASE WHEN length({date}) <= 12 THEN {date}"
        f" ELSE CAST(CAST(try_strptime(trim({date}), {FORMATS_SQL}) AS DATE) AS VARCHAR) END AS day"
    )
    aggregates, sums = ["count(*) AS n"], ["sum(n) AS n"]
    for i, t in enumerate(query.tallies):
        cond = where_sql(t.where, names, params)
        sums += [f"sum(t{i}) AS t{i}", f"sum(bad{i}) AS bad{i}"]
        if t.column is None:
            aggregates += [f"count(*) FILTER (WHERE {cond}) AS t{i}", f"0 AS bad{i}"]
            continue
        col = quote(names[t.column])
        number = number_sql(col)
        if t.total:
            aggregates.append(f"coalesce(sum({number}) FILTER (WHERE {cond}), 0) AS t{i}")
        else:
            aggregates.append(f"count({number}) FILTER (WHERE {cond}) AS t{i}")
        # each use of the filter binds its own values, in the order the placeholders stand
        again = where_sql(t.where, names, params)
        aggregates.append(f"count(*) FILTER (WHERE {again} AND ({blank_sql(col)} OR {number} IS NULL)) AS bad{i}")
    if query.area_cols:
        area = " || ' / ' || ".join(f"coalesce(trim(a{i}), '')" for i in range(len(query.area_cols)))
        area_params: list[Any] = []
    else:
        area, area_params = "CAST(? AS VARCHAR)", [query.area]
    outer = [f"{area} AS area", *[f"coalesce(trim(by{i}), '') AS by{i}" for i in range(len(query.by))]]
    if per_file:
        outer.append("f")
    outer.append("year(t) * 100 + month(t) AS month")

    def sql(source: str) -> str:
        scan = f"SELECT {', '.join(inner)}, {', '.join(aggregates)} FROM {source} GROUP BY ALL"
        return (
            f"SELECT {', '.join(outer)}, {', '.join(sums)} FROM"
            f" (SELECT *, try_strptime(trim(day), {FORMATS_SQL}) AS t FROM ({scan})) GROUP BY ALL"
        )

    findings: list[Finding] = []
    source: list[Any] = []
    try:  # placeholders in the order they stand: the area, the filters, the files
        frame = con.execute(sql(source_sql(group, files, source)), [*area_params, *params, *source]).df()
    except duckdb.InvalidInputException:
        if group.kind != "csv":
            raise
        source = []
        frame = con.execute(sql(source_sql(group, files, source, rejects=True)), [*area_params, *params, *source]).df()
        findings.extend(rejects(con))
    if frame["month"].isna().any():
        findings.extend(bad_dates(con, group, files, names[query.date], query.date))
    # a column added up or averaged is checked once, over the records any of its measures take
    uses: dict[str, list[tuple[str, Where]]] = {}
    for i, t in enumerate(query.tallies):
        if t.column is not None and frame[f"bad{i}"].sum():
            uses.setdefault(names[t.column], []).append((t.shown, t.where))
    for column, used in uses.items():
        findings.extend(bad_numbers(con, group, files, column, used, names))
    return frame.drop(columns=[c for c in frame.columns if c.startswith("bad")]), findings
