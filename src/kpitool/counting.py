"""Records counted: the catalogue's record sources as observations, and ``kpitool count``.

The engine (``readers.records``, DuckDB) and its import load only here, only when records are
read: no other command pays for it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, Field

from kpitool.codes import Code
from kpitool.errors import InputError, UsageError
from kpitool.models import Catalogue, Finding, Measure
from kpitool.periods import YearStart
from kpitool.readers.base import DataFile
from kpitool.sources import Condition, Scalar, Source, Where

if TYPE_CHECKING:
    from kpitool.readers.records import Tally

Grain = Literal["month", "quarter", "year"]


def read_record_sources(
    catalogue: Catalogue, paths: Sequence[Path] | None = None, first_index: int = 0
) -> tuple[list[DataFile], list[Finding]]:
    """The catalogue's record sources counted into monthly observations, one DataFile a source.

    With ``paths``, only the sources that hold one of them, counting only those files. Returns the
    files and an ``unreadable-file`` finding for each source that cannot be read. Completeness is
    judged over the sources that share a measure, so one force's missing month is seen beside
    another's.
    """
    from kpitool.readers.record_months import as_datafile, completeness, measure_frame
    from kpitool.readers.records import RecordQuery, count_records

    files: list[DataFile] = []
    unreadable: list[Finding] = []
    presence: dict[str, dict[str, dict[int, int]]] = {}
    by_file: dict[str, dict[str, dict[int, int]]] = {}  # a source's files of one area each
    data_of: dict[str, DataFile] = {}
    for source in catalogue.record_sources():
        mine = source.paths() if paths is None else [p for p in paths if source.holds(p)]
        if not mine:
            if paths is None:
                raise UsageError(
                    f"kpitool.toml: source {source.name!r}: files {', '.join(map(repr, source.files))} match no file"
                    f" under {catalogue.root}"
                )
            continue
        tallies = tuple(t for m in catalogue.measures_of(source) for t in tallies_of(m))
        assert source.date is not None  # a records source has one (Source checks)
        query = RecordQuery(tuple(mine), source.date, tallies, tuple(source.area_col), source.area or "")
        try:
            counts = count_records(query)
        except InputError as exc:
            unreadable.append(Finding(code=Code.UNREADABLE_FILE, file=_name(source, mine), message=str(exc)))
            continue
        data = as_datafile(
            measure_frame(counts, tallies, ()),
            _name(source, mine),
            first_index + len(files),
            counts.records,
            catalogue.year_start,
        )
        data.findings = [_how_counted(source, data, counts.records, len(mine)), *counts.findings]
        files.append(data)
        data_of[source.name] = data
        presence[source.name] = counts.presence()
        by_file[source.name] = counts.by_file
    for group in _linked(catalogue, list(presence)):
        merged: dict[str, dict[int, int]] = {}
        for name in group:
            for area, months in (by_file[name] or presence[name]).items():  # each file of one area, or each area
                into = merged.setdefault(area, {})
                for month, n in months.items():
                    into[month] = into.get(month, 0) + n
        shown = data_of[group[0]].path if len(group) == 1 else " + ".join(f"[[source]] {n!r}" for n in group)
        found = completeness(merged, shown, catalogue.year_start)
        data_of[group[0]].findings.extend(found)
    return files, unreadable


def tallies_of(measure: Measure) -> list[Tally]:
    """What a record measure counts: its rows, a column's total, or a mean's two terms."""
    from kpitool.readers.records import Tally

    if measure.mean is None:
        return [Tally(measure.name, measure.where, measure.sum)]
    total, count = measure.mean_terms
    return [
        Tally(total, measure.where, total=measure.mean, of=measure.name),
        Tally(count, measure.where, present=measure.mean, of=measure.name),
    ]


def _how_counted(source: Source, data: DataFile, records: int, files: int) -> Finding:
    """The shape chosen and why: a records source's files, counted month by month, per area."""
    months = sorted(data.periods.values())
    areas = sorted({str(a) for a in data.frame["section"].unique()} - {""})
    span = f", {months[0]} to {months[-1]}" if months else ""
    where = f" in {len(areas)} area{'s' * (len(areas) != 1)}" if areas else ""
    return Finding(
        code=Code.LAYOUT,
        file=data.path,
        message=f'read as records ([[source]] {source.name!r}, shape = "records"): {records:,} records in {files}'
        f" file{'s' * (files != 1)} counted by the month of {source.date!r}{where}{span}",
    )


def _name(source: Source, paths: Sequence[Path]) -> str:
    from kpitool.project import shown_path

    return shown_path(paths[0]) if len(paths) == 1 else ", ".join(source.files)


def _linked(catalogue: Catalogue, names: list[str]) -> list[list[str]]:
    """Record sources in groups that share a measure (each group in catalogue order)."""
    parent = {n: n for n in names}

    def root(n: str) -> str:
        while parent[n] != n:
            n = parent[n]
        return n

    low = {n.strip().lower(): n for n in names}
    for m in catalogue.measures:
        mine = [low[s.strip().lower()] for s in m.source if s.strip().lower() in low]
        for other in mine[1:]:
            parent[root(other)] = root(mine[0])
    groups: dict[str, list[str]] = {}
    for n in names:
        groups.setdefault(root(n), []).append(n)
    return list(groups.values())


# --------------------------------------------------------------------------- kpitool count


class CountRow(BaseModel):
    """One figure of the long format: area (``section``), measure, period, value."""

    section: str
    measure: str
    period: str
    value: float


class CountReport(BaseModel):
    """What ``kpitool count`` found: the counts, the records read, and every problem met."""

    files: list[str]
    records: int
    unread: int = 0  # records whose date could not be read (each named in findings)
    grain: Grain = "month"
    rows: list[CountRow] = Field(default_factory=list)
    findings: list[Finding] = Field(default_factory=list)
    left_out: list[str] = Field(default_factory=list)  # quarters or years without all their months

    @property
    def blocking(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]


class CountOptions(BaseModel):
    """``kpitool count``'s question: which column dates the records, how to split and filter them."""

    date_col: str = "Month"
    area_cols: list[str] = Field(default_factory=list)
    area: str = ""
    by: list[str] = Field(default_factory=list)
    where: Where = Field(default_factory=dict)
    measure: str | None = None
    total: str | None = None  # add up this column instead of counting rows
    grain: Grain = "month"
    year_start: YearStart = "april"


def parse_where(items: Sequence[str]) -> Where:
    """``COL=VALUE`` (repeated for any of), ``COL!=VALUE``, ``COL>=N`` and friends, as a filter."""
    import re

    signs = {"!=": "ne", ">=": "ge", "<=": "le", ">": "gt", "<": "lt", "=": "eq"}
    tests: dict[str, dict[str, list[Scalar]]] = {}
    for item in items:
        m = re.match(r"^(.+?)(!=|>=|<=|=|>|<)(.*)$", item)
        if not m or not m.group(1).strip():
            raise UsageError(
                f"--where {item!r}: give COLUMN=VALUE (or !=, <, <=, >, >=), e.g. --where 'Crime type=Burglary'"
            )
        column, sign, text = m.group(1).strip(), m.group(2), m.group(3).strip()
        op = signs[sign]
        value: Scalar = text
        if op in ("lt", "le", "gt", "ge"):
            try:
                value = float(text)
            except ValueError:
                value = text  # text compares as text: dates written 2022-06-30 order as dates
        tests.setdefault(column, {}).setdefault(op, []).append(value)
    where: Where = {}
    for column, ops in tests.items():
        fields: dict[str, Scalar | list[Scalar]] = {}
        for op, values in ops.items():
            if op in ("eq", "ne"):
                fields[op] = values if len(values) > 1 else values[0]
            elif len(values) > 1:
                raise UsageError(f"--where: {column} is given {op} twice; give each comparison once")
            else:
                fields[op] = values[0]
        where[column] = Condition.model_validate(fields)
    return where


def run_count(files: Sequence[Path], options: CountOptions) -> CountReport:
    """``kpitool count``: records counted into the long format, by area, measure and month (or quarter, year)."""
    from kpitool.readers.record_months import completeness, measure_frame, rolled_up
    from kpitool.readers.records import RecordQuery, Tally, count_records

    if not files:
        raise UsageError("count: give the record files to count (CSV, TSV or Parquet)")
    named = _shown(files)
    files = expand(files)
    if options.area and options.area_cols:
        raise UsageError("give --area (one area for every record) or --area-col, not both")
    name = options.measure or (options.total if options.total else "Records")
    prefix = f"{options.measure}: " if options.measure and options.by else ""
    tally = Tally(name if not options.by else "", options.where, options.total)
    query = RecordQuery(
        tuple(files), options.date_col, (tally,), tuple(options.area_cols), options.area, tuple(options.by)
    )
    counts = count_records(query)
    presence = counts.presence()  # files of one area each: the months every one of them has
    long = measure_frame(counts, (tally,), options.by, prefix=prefix)
    if not options.by:
        long = long.assign(measure=name)
    table, left_out = rolled_up(long, presence, options.grain, options.year_start)
    findings = [*counts.findings, *completeness(counts.by_file or presence, named, options.year_start, quarters=False)]
    rows = [
        CountRow(section=str(a), measure=str(m), period=str(p), value=float(v))
        for a, m, p, v in table.itertuples(index=False)
    ]
    return CountReport(
        files=counts.files,
        records=counts.records,
        unread=counts.unread,
        grain=options.grain,
        rows=rows,
        findings=findings,
        left_out=left_out,
    )


def expand(files: Sequence[Path]) -> list[Path]:
    """The files named, a quoted glob (``"data/*/*-street.csv"``) expanded here in natural name order."""
    import glob

    from kpitool.sources import natural_key

    out: list[Path] = []
    for path in files:
        if path.exists() or not glob.has_magic(str(path)):
            out.append(path)
            continue
        matches = sorted((Path(m) for m in glob.glob(str(path), recursive=True)), key=natural_key)
        matches = [m for m in matches if m.is_file()]
        if not matches:
            raise UsageError(f"{path}: matches no file")
        out.extend(m for m in matches if m not in out)
    return out


def _shown(files: Sequence[Path]) -> str:
    """The files as the user named them (a glob stays a glob)."""
    return str(files[0]) if len(files) == 1 else f"{files[0]} and {len(files) - 1} more"
