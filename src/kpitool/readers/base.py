"""What a reader returns: a file's observations (a frame), its report tables, its findings."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from kpitool.arithmetic import known
from kpitool.codes import Code
from kpitool.models import Finding, Observation, ReportedFigure
from kpitool.numbers import Cell
from kpitool.periods import Period, YearStart

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

T = TypeVar("T")

FRAME_COLUMNS = ("section", "measure", "period", "value", "marker", "percent", "stock", "row", "column", "file_index")

Role = Literal["period", "total", "change", "direction", "target", "status", "ignored"]


@dataclass(frozen=True)
class Reading:
    """What the command line says about how to read the files: sheets and column roles."""

    sheets: tuple[str, ...] = ()
    measure_col: str | None = None
    period_col: str | None = None
    value_cols: tuple[str, ...] = ()
    area_cols: tuple[str, ...] = ()
    period: str | None = None
    areas: tuple[str, ...] = ()  # only these areas (--area): an area, or any level of a hierarchy's


@dataclass(frozen=True)
class ReadOptions:
    """How to read a file: the project's year start, and the missing-value markers it adds."""

    year_start: YearStart = "april"
    missing: frozenset[str] = frozenset()  # lower-case cell texts that mean "no value"
    sheets: tuple[str, ...] = ()  # the spreadsheet sheets to read (default: every one that holds a table)
    # column roles, by header name, for long files whose columns are not measure, period, value
    measure_col: str | None = None
    period_col: str | None = None
    value_cols: tuple[str, ...] = ()  # without a measure column, one measure each (named by its heading)
    area_cols: tuple[str, ...] = ()  # a hierarchy (Region, Force): the area is their values joined by " / "
    period: str | None = None  # the period of every row of a file with no period column
    areas: tuple[str, ...] = ()  # only the rows of these areas (any level of a hierarchy: "North East")

    @property
    def has_roles(self) -> bool:
        return any((self.measure_col, self.period_col, self.value_cols, self.area_cols, self.period))


Basis = Period | Literal["baseline"] | None
Said = tuple[Literal["title", "sheet", "heading"], str, int | None, int | None]

# --------------------------------------------------------------------------- results


@dataclass
class TableColumn:
    index: int  # 1-based, as a spreadsheet shows it
    header: str
    role: Role
    period: Period | None = None
    quarters: list[int] = field(default_factory=list)  # a total over these quarters of `period`
    baseline: bool = False
    stock: bool = False
    # what a change or arrow column runs from and to: the baseline column, a period, or (None) the year
    basis_from: Basis = None
    basis_to: Basis = None
    absolute: bool = False  # a change column in the measure's units ("Change"), not in % ("% change")
    reason: str | None = None  # why a heading that tries to be a period is not one ("'2024 Q1' is ambiguous: …")


@dataclass
class TableRow:
    row: int
    name: str
    cells: dict[int, Cell]  # by column index
    raw: dict[int, str]


@dataclass
class Table:
    """One report table of a wide file: a header row, then a row per measure."""

    title: str
    section: str
    header_row: int
    columns: list[TableColumn]
    rows: list[TableRow]
    areas: bool = False  # its rows are areas in a hierarchy (a region's subtotal over its forces)
    subtotals: list[tuple[int, list[int]]] = field(default_factory=list)  # (a subtotal's row, its parts' rows)
    rounded_whole: bool = False  # its whole numbers are shown rounded (full-time equivalents): ±0.5 each
    # the columns not read that hold figures (a heading kpitool cannot read as a period, say): for each
    # column's index, the names of the rows with a figure in it, whose values leave that figure out
    unread: dict[int, list[str]] = field(default_factory=dict)

    def by_role(self, role: Role) -> list[TableColumn]:
        return [c for c in self.columns if c.role == role]


@dataclass
class DataFile:
    """What one file holds: observations (a frame), reported figures, tables, findings."""

    path: str
    layout: Literal["long", "wide", "records"]
    frame: pd.DataFrame
    findings: list[Finding] = field(default_factory=list)
    reported: list[ReportedFigure] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    records: int = 0

    # every period label of ``frame`` and the period it stands for, parsed once by the reader
    periods: dict[str, Period] = field(default_factory=dict)
    areas: list[str] = field(default_factory=list)  # every area the file has, before --area chose some
    by_area: bool = False  # its sections are areas (an area column: --area-col, or one taken by its heading)
    area_codes: dict[str, list[str]] = field(default_factory=dict)  # a code beside the area's name: its names
    # a spreadsheet's cells read through their percent format (row, column): the number each holds
    shown_as_percent: dict[tuple[int, int], str] = field(default_factory=dict)
    # what the file says of itself, and where: its title rows, its sheet's name, its column headings
    # (where, text, row, column), each row and column as a spreadsheet shows it (readers.calendar reads them)
    said: list[Said] = field(default_factory=list)

    def observations(self) -> list[Observation]:
        """The file's observations as models (for library use; checks work on the columns)."""
        out = []
        for section, measure, period, value, marker, row in zip(
            self.frame["section"].astype(str),
            self.frame["measure"].astype(str),
            self.frame["period"].astype(str),
            self.frame["value"],
            self.frame["marker"].astype(object),
            self.frame["row"],
            strict=True,
        ):
            out.append(
                Observation(
                    measure=measure,
                    period=self.periods[period],
                    value=known(value),
                    section=section,
                    marker=marker if isinstance(marker, str) else None,
                    file=self.path,
                    row=int(row),
                )
            )
        return out


def said_above(rows: Sequence[tuple[int, list[str]]], at: int) -> list[Said]:
    """What the title rows above a header (``rows[:at]``, each row's texts as one) and the header's
    headings (``rows[at]``) say, with their rows and columns."""
    said: list[Said] = [
        ("title", " ".join(c.strip() for c in cells if c.strip()), line, None) for line, cells in rows[:at]
    ]
    line, header = rows[at]
    return said + [("heading", h, line, i) for i, h in enumerate(header, start=1) if h.strip()]


def release_read_buffers() -> None:
    """The CSV reader's freed buffers back to the system once the files are read: arrow's allocator
    keeps them for a next read (70 MiB after 500,000 rows), and Python's objects cannot use them."""
    arrow = sys.modules.get("pyarrow")
    if arrow is not None:
        arrow.default_memory_pool().release_unused()


def in_areas(area: str, wanted: Sequence[str]) -> bool:
    """Is ``area`` one of ``wanted``: the whole name, or any level of a hierarchy's
    (``North East`` is ``North East`` and ``North East / Durham``; ``Durham`` is the latter)?"""
    levels = {area.strip().casefold(), *(part.strip().casefold() for part in area.split(" / "))}
    return any(w.strip().casefold() in levels for w in wanted)


def select_areas(data: DataFile, wanted: Sequence[str]) -> None:
    """Keep only the rows, and the row findings, of the areas ``wanted``: a long file's areas, or
    the rows of a report table whose rows are a hierarchy of areas (``North East / Durham``; any
    other report table's rows are measures, chosen by --measure and --section, and are left out)."""
    if not wanted or data.frame.empty:
        return
    import numpy as np

    if data.layout == "long":
        sections = data.frame["section"]
        data.areas = sorted({str(a) for a in sections.unique() if str(a)})
        chosen = {a for a in data.areas if in_areas(a, wanted)}
        keep = sections.isin(chosen).to_numpy(dtype=bool)
        data.findings = [f for f in data.findings if f.section is None or f.section in chosen]
    else:
        rows = {(t.section, r.name) for t in data.tables if t.areas for r in t.rows}
        data.areas = sorted({name for _, name in rows})
        chosen = {name for name in data.areas if in_areas(name, wanted)}
        pairs = zip(data.frame["section"].astype(str), data.frame["measure"].astype(str), strict=True)
        keep = np.array([(s, m) in rows and m in chosen for s, m in pairs], dtype=bool)
        data.findings = [f for f in data.findings if f.measure is None or f.measure not in set(data.areas) - chosen]
        # the audit sees only the rows chosen (a relation needs all its rows, so none is half-judged)
        for t in data.tables:
            t.rows = [r for r in t.rows if r.name in chosen] if t.areas else []
        data.tables = [t for t in data.tables if t.rows]
        data.reported = [r for r in data.reported if (r.section, r.measure) in rows and r.measure in chosen]
    if not keep.all():
        data.frame = data.frame[keep].reset_index(drop=True)
    if data.layout == "wide" and not data.frame.empty:
        # an area's rows of many tables: the area is their section, each a measure named by its table
        frame = data.frame.astype({"section": object, "measure": object})
        titles = {t.section: measure_of_title(t.section) for t in data.tables}
        frame["section"], frame["measure"] = frame["measure"], frame["section"].map(titles)
        data.frame, data.by_area = frame, True


_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
# a date as a title spells it, a footnote's number perhaps run into its year ("30 September 20191,2")
_DATE = rf"(?:as at\s+)?(?:\d{{1,2}}\s+)?(?:{_MONTHS})\s+\d{{4}}(?:\d{{1,2}}(?:,\d{{1,2}})*)?"
_DATES_RE = re.compile(rf",?\s*{_DATE}(?:\s*(?:,|\band\b|\bto\b|-|–)\s*{_DATE})*", re.IGNORECASE)


# what a table of areas is broken down by ("by police force area"), which each of its rows is
_BY_AREA_RE = re.compile(
    r"\s+by\s+(?:(?!and\b)[\w-]+\s+){0,3}(?:area|force|region|division|district|borough|provider|trust|authority"
    r"|council|icb|pfa)s?\b",
    re.IGNORECASE,
)


def measure_of_title(title: str) -> str:
    """A table of areas' title as the name of what it counts in each: without the dates its columns
    give, nor the areas it is broken down by (``Table 1: Police officers by police force area,
    England and Wales, 30 September 2018, 31 March 2019 and 30 September 2019 (FTE)`` is ``Table 1:
    Police officers, England and Wales (FTE)``)."""
    name = _BY_AREA_RE.sub("", _DATES_RE.sub("", title))
    return re.sub(r"\s{2,}", " ", name).strip(" ,") or title


# --------------------------------------------------------------------------- structural findings

FINDINGS_LISTED = 1000  # of one kind in one file; the rest make one finding that lists their rows


def listed(items: Sequence[T], make: Callable[[T], Finding], row_of: Callable[[T], int]) -> list[Finding]:
    """A finding for each item, up to ``FINDINGS_LISTED``; then one more that stands for the rest.

    A million bad cells must not become a million objects: the counts stay exact (``count``),
    every row is still named (``more_rows``), and only the first thousand are spelled out.
    """
    out = [make(item) for item in items[:FINDINGS_LISTED]]
    rest = items[FINDINGS_LISTED:]
    if rest:
        first = make(rest[0])
        more = [row_of(item) for item in rest[1:]]
        if more:
            first.more_rows = more
            first.message += (
                f"; and {len(more):,} more rows with this kind of problem (rows {more[0]}–{more[-1]}),"
                " counted but not listed one by one"
            )
        out.append(first)
    return out


def ambiguous_period(
    name: str, row: int, column: int | None, text: str, year: Period, month: Period, column_name: str = "period"
) -> Finding:
    """``2009-10`` read as the fiscal year, though it could be October 2009: said at its cell."""
    return Finding(
        code=Code.AMBIGUOUS_PERIOD,
        file=name,
        row=row,
        column=column,
        column_name=column_name,
        actual=text,
        message=f"{text!r} could be the fiscal year {year} or the month {month.start:%B %Y}; read as the"
        f" fiscal year (write {year} for the year, or {month.start:%Y-%m-%d} for the month)",
    )


def empty_file(name: str) -> Finding:
    return Finding(code=Code.EMPTY_FILE, file=name, message="the file is empty")


def no_data(name: str, header_line: int) -> Finding:
    return Finding(code=Code.NO_DATA, file=name, row=header_line, message="a header but no data rows")


def broken_quote(name: str, line: int, why: str) -> Finding:
    return Finding(
        code=Code.BROKEN_QUOTE,
        file=name,
        row=line,
        message=f"row {line}: {why}; the row was not read",
    )


def unread_column(name: str, line: int, column: int, heading: str, message: str) -> Finding:
    """An ``unknown-column`` warning: the column (1-based) headed ``heading`` on ``line``, and why it is not read."""
    return Finding(code=Code.UNKNOWN_COLUMN, file=name, row=line, column=column, column_name=heading, message=message)


def ragged_row(name: str, line: int, got: int, expected: int, header_line: int | None = None) -> Finding:
    header = "the header" if header_line is None else f"the table's header (row {header_line})"
    read = "; the row was not read" if header_line is None or got > expected else ""
    return Finding(
        code=Code.RAGGED_ROW,
        file=name,
        row=line,
        expected=f"{expected} fields",
        actual=f"{got} fields",
        message=f"row {line} has {got} fields, {header} has {expected}{read}",
    )


def empty_frame() -> pd.DataFrame:
    import pandas as pd

    return pd.DataFrame({c: pd.Series(dtype=_dtype(c)) for c in FRAME_COLUMNS})


def _dtype(column: str) -> str:
    return {
        "value": "float64",
        "percent": "bool",
        "stock": "bool",
        "row": "int64",
        "column": "int32",
        "file_index": "int32",
    }.get(column, "object")


@dataclass
class Observations:
    """Every file's observations in one frame (``file_index`` keeps the files' order) and the
    period each label of its ``period`` column stands for."""

    frame: pd.DataFrame
    periods: dict[str, Period] = field(default_factory=dict)
    files: dict[int, str] = field(default_factory=dict)  # file_index -> the file's name
    areas: set[str] = field(default_factory=set)  # the sections that are areas, from an area column
    # a text column's codes (one a row of the frame) and its categories, as one file's reader made
    # them: what the bulk path's grid factorizes the column into, without looking at its texts
    codes: dict[str, tuple[np.ndarray, list[Any]]] = field(default_factory=dict)

    def labels(self) -> list[str]:
        """The period labels the rows have, each once, as text (from the reader's codes, where it coded them)."""
        import numpy as np
        import pandas as pd

        coded = self.codes.get("period")
        if coded is not None and len(coded[0]) == len(self.frame):
            codes, categories = coded
            used = np.bincount(codes[codes >= 0].astype(np.int64), minlength=len(categories)) > 0
            found = [c for c, u in zip(categories, used.tolist(), strict=True) if u]
            if (codes < 0).any():
                found.append(np.nan)
        else:
            found = list(pd.unique(self.frame["period"]))
        return list(dict.fromkeys(map(str, found)))

    @classmethod
    def of(cls, files: list[DataFile], skip: Sequence[Finding] = ()) -> Observations:
        """The files' observations, less those the ``skip`` findings point at.

        A finding points at a row of a long file (one observation a row), or at a cell of a
        wide one (its row when it names no column).
        """
        import numpy as np
        import pandas as pd

        frames = []
        codes: dict[str, tuple[np.ndarray, list[Any]]] = {}
        for data in files:
            mine = [f for f in skip if f.file == data.path and f.row is not None]
            frame = data.frame
            if mine and not frame.empty:
                rows, cols = frame["row"].to_numpy(), frame["column"].to_numpy()
                drop = np.zeros(len(frame), dtype=bool)
                for f in mine:
                    hit = np.isin(rows, [f.row or 0, *f.more_rows]) if f.more_rows else rows == f.row
                    if data.layout == "wide" and f.column is not None:
                        hit &= cols == f.column
                    drop |= hit
                frame = frame[~drop]
            if len(files) == 1:
                for name in ("section", "measure", "period"):
                    if isinstance(frame[name].dtype, pd.CategoricalDtype):
                        codes[name] = (frame[name].cat.codes.to_numpy(), list(frame[name].cat.categories))
            # the files' categories differ: as plain objects they concatenate without surprises
            frames.append(frame.astype(dict.fromkeys(("section", "measure", "period", "marker"), object)))
        if not frames:
            return cls(empty_frame())
        periods: dict[str, Period] = {}
        names: dict[int, str] = {}
        areas: set[str] = set()
        for data in files:
            periods.update(data.periods)
            if data.by_area and not data.frame.empty:
                areas.update(str(a) for a in data.frame["section"].unique() if str(a))
            if not data.frame.empty:
                names[int(data.frame["file_index"].iloc[0])] = data.path
        return cls(pd.concat(frames, ignore_index=True), periods, names, areas, codes)
