"""Checks over whole columns -> list[Finding]; models are built only for the failing cells."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from kpitool.arithmetic import is_missing
from kpitool.codes import Code
from kpitool.errors import InputError
from kpitool.models import Catalogue, Finding, Measure, ValidationReport
from kpitool.numbers import decimal_text, show_value
from kpitool.progress import Progress, silent
from kpitool.readers import DataFile, ReadOptions, check_areas, read_path
from kpitool.readers.base import listed
from kpitool.rollups import check_rollups
from kpitool.sources import Source
from kpitool.units import says_percent

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


def read_files(
    paths: Sequence[Path],
    options: ReadOptions | None = None,
    progress: Progress = silent,
    catalogue: Catalogue | None = None,
) -> tuple[list[DataFile], list[Finding]]:
    """Every file that can be read, and an ``unreadable-file`` finding for each that cannot.

    A file of a catalogue's ``[[source]]`` is read as it says: a table with its column roles
    (unless the command line gives roles), records counted into months.
    """
    files: list[DataFile] = []
    findings: list[Finding] = []
    records: list[Path] = []
    for i, path in enumerate(paths):
        progress(f"Reading {path.name}", i, len(paths))
        source = catalogue.source_of(path) if catalogue is not None and catalogue.sources else None
        if source is not None and source.records:
            records.append(path)
            continue
        try:
            files.extend(read_path(path, source_options(source, options), len(files)))
        except InputError as exc:
            findings.append(Finding(code=Code.UNREADABLE_FILE, file=str(path), message=str(exc)))
    if records and catalogue is not None:
        from kpitool.counting import read_record_sources

        counted, unreadable = read_record_sources(catalogue, records, len(files))
        files.extend(counted)
        findings.extend(unreadable)
    return files, findings


def source_options(source: Source | None, options: ReadOptions | None) -> ReadOptions | None:
    """A table source's column roles and sheets, unless the command line gives its own."""
    if source is None:
        return options
    base = options or ReadOptions()
    if base.has_roles or base.sheets:
        return base
    return replace(
        base,
        sheets=tuple(source.sheet),
        measure_col=source.measure_col,
        period_col=source.period_col,
        value_cols=tuple(source.value_col),
        area_cols=tuple(source.area_col),
        period=source.period,
    )


def check_files(
    files: Sequence[DataFile],
    catalogue: Catalogue | None = None,
    findings: Sequence[Finding] = (),
    *,
    paths: Sequence[Path] = (),
    strict: bool = False,
    progress: Progress = silent,
) -> ValidationReport:
    """Every check of every file read, after ``findings`` already made (the catalogue's, unreadable files)."""
    from kpitool.audit import audit_file, restatements

    out: list[Finding] = list(findings)
    for i, data in enumerate(files):
        progress(f"Checking {Path(data.path).name}", i, len(files))
        out.extend(data.findings)
        out.extend(check_frame(data, catalogue))
        out.extend(audit_file(data, catalogue))
    out.extend(restatements(list(files)))
    out.extend(renamed_areas(files))
    out.sort(key=_order)
    names = [str(p) for p in paths] or [f.path for f in files]
    return ValidationReport(files=names, rows=sum(f.records for f in files), findings=out, strict=strict)


def validate_files(
    paths: Sequence[Path],
    catalogue: Catalogue | None = None,
    config_findings: Sequence[Finding] = (),
    *,
    strict: bool = False,
    options: ReadOptions | None = None,
    progress: Progress = silent,
) -> ValidationReport:
    """Read and check every file; every problem becomes a finding, none stops the others."""
    options = options or (catalogue.read_options() if catalogue else None)
    files, unreadable = read_files(paths, options, progress, catalogue)
    if options is not None:
        check_areas(files, options.areas)
    findings = [*config_findings, *unreadable]
    return check_files(files, catalogue, findings, paths=paths, strict=strict, progress=progress)


def _order(f: Finding) -> tuple[int, str, int, int, str]:
    """Errors first (a capped screen never hides one behind warnings), then by file and place."""
    return (SEVERITY_ORDER[f.severity], f.file or "", f.row or 0, f.column or 0, f.code)


def check_frame(data: DataFile, catalogue: Catalogue | None) -> list[Finding]:
    """Column-wise checks of one file's observations."""
    frame = data.frame
    if frame.empty:
        return []
    findings: list[Finding] = []
    findings.extend(_duplicates(frame, data.path, catalogue, areas=data.layout == "long" or data.by_area))
    findings.extend(check_rollups(frame, data, catalogue))
    findings.extend(_suspect_zeros(frame, data.path, areas=data.layout == "long" or data.by_area))
    if catalogue is not None:
        findings.extend(_against_catalogue(frame, data, catalogue))
    else:  # a percentage by its % signs, or by its name (kpitool.units), as compare takes it
        percent = frame["percent"].to_numpy(dtype=bool) | _named_percent(frame)
        findings.extend(_percent_range(frame, percent, data))
        findings.extend(_percent_fractions(frame, percent, data.path, areas=data.layout == "long" or data.by_area))
    return findings


def renamed_areas(files: Sequence[DataFile]) -> list[Finding]:
    """A code beside two names of the area it stands for, in one file or across files (NHS England's
    ``RWH``, "East And North Hertfordshire NHS Trust" and then "… Teaching NHS Trust"): the areas are
    taken by name, so the two are two areas, each with half the periods; said once a code."""
    names: dict[str, dict[str, str]] = {}  # code -> name -> the first file that has it
    for data in files:
        for code, areas in data.area_codes.items():
            for area in areas:
                names.setdefault(code, {}).setdefault(area, data.path)
    findings = []
    for code, named in names.items():
        if len(named) < 2:
            continue
        (first, where), *rest = named.items()
        others = ", ".join(f"{n!r} in {f}" for n, f in rest)
        findings.append(
            Finding(
                code=Code.RENAMED_AREA,
                file=rest[0][1],
                section=first,
                message=f"code {code} is {first!r} in {where} and {others}: kpitool takes areas by name, so these"
                " are compared as separate areas; --area-col with the code column compares them as one",
            )
        )
    return findings


SUSPECT_FLOOR = 100  # a 0 amid periods of at least this many is no count of none, most likely
SUSPECT_PERIODS = 3  # and only among this many periods with figures, or more


def _suspect_zeros(frame: pd.DataFrame, name: str, *, areas: bool = False) -> list[Finding]:
    """A measure's 0 where each of its other periods (three or more) is 100 or more: a series break or
    a figure not collected coded as 0 (the Home Office's burglary series at its reclassification).
    kpitool takes the 0 as published, and says it once a measure."""
    import numpy as np

    value = frame["value"].to_numpy(dtype="float64")
    zero = value == 0
    if not zero.any():
        return []
    groups = frame.groupby(["section", "measure"], sort=False, observed=True).ngroup().to_numpy()
    mine = np.isin(groups, np.unique(groups[zero]))
    sub = frame.loc[mine, ["section", "measure", "period", "value", "row", "column"]].assign(group=groups[mine])
    findings: list[Finding] = []
    for _, g in sub.groupby("group", sort=False):
        figures = g["value"].to_numpy(dtype="float64")
        others = np.abs(figures[(figures != 0) & ~np.isnan(figures)])
        if len(others) < SUSPECT_PERIODS or others.min() < SUSPECT_FLOOR:
            continue
        zeros = g[figures == 0]
        first = zeros.iloc[0]
        section = str(first["section"])
        place = f" in {section}" if areas and section else ""
        said = [str(p) for p in zeros["period"]]
        periods = ", ".join(said) if len(said) <= 4 else f"{len(said)} periods ({said[0]} … {said[-1]})"
        findings.append(
            Finding(
                code=Code.SUSPECT_ZERO,
                file=name,
                row=int(first["row"]),
                column=int(first["column"]),
                measure=str(first["measure"]),
                period=str(first["period"]),
                section=section or None,
                more_rows=[int(r) for r in zeros["row"].iloc[1:]],
                actual="0",
                message=f"{first['measure']}{place} is 0 in {periods}, where its other {len(others)} periods are"
                f" {show_value(float(others.min()))} to {show_value(float(others.max()))}: a series break or a"
                " figure not collected, coded 0? It is taken as 0; mark it missing (..) if it is no count of none",
            )
        )
    return findings


def _duplicates(
    frame: pd.DataFrame, name: str, catalogue: Catalogue | None = None, *, areas: bool = False
) -> list[Finding]:
    """Each repeat of a (section, measure, period) against its first row: the same value warns, another errs.

    With a catalogue, a measure's aliases are the measure: two names for one measure and period repeat it.
    """
    import numpy as np

    keys = ["section", "measure_key", "period"]
    frame = frame.assign(measure_key=_measure_keys(frame, catalogue))
    dup = frame.duplicated(keys, keep=False).to_numpy()
    if not dup.any():
        return []
    sub = frame.loc[dup, [*keys, "measure", "value", "row", "column"]].sort_values("row", kind="stable")
    for k in keys:
        sub[k] = sub[k].astype(object)
    position = sub.groupby(keys, sort=False).cumcount().to_numpy()
    firsts = sub[position == 0][[*keys, "value", "row"]]
    later = sub[position > 0].merge(firsts, on=keys, suffixes=("", "_first"))
    v, f = later["value"].to_numpy(), later["value_first"].to_numpy()
    same_as_first = (v == f) | (np.isnan(v) & np.isnan(f))  # each repeat judged against the row it repeats
    findings: list[Finding] = []
    columns: list[list[float]] = [later[c].astype("float64").tolist() for c in ("value", "value_first")]
    places: list[list[int]] = [later[c].astype("int64").tolist() for c in ("row", "column", "row_first")]
    labels: list[list[str]] = [later[c].astype(str).tolist() for c in ("measure", "period", "section")]
    for value, first, row, column, first_row, measure, period, section, same in zip(
        *columns, *places, *labels, same_as_first.tolist(), strict=True
    ):
        was, now = show_value(first), show_value(value)
        place = f" in {section}" if areas and section else ""  # a long file's section is its area
        findings.append(
            Finding(
                severity="warning" if same else "error",
                code=Code.DUPLICATE_OBSERVATION if same else Code.CONFLICTING_OBSERVATION,
                file=name,
                row=row,
                column=column,
                measure=measure,
                period=period,
                section=section or None,
                expected=was,
                actual=now,
                message=(
                    f"{measure} {period}{place} is given again (first on row {first_row})"
                    if same
                    else f"{measure} {period}{place} is given twice with different values:"
                    f" row {first_row} says {was}, this row says {now}"
                ),
            )
        )
    return findings


def _measure_keys(frame: pd.DataFrame, catalogue: Catalogue | None) -> np.ndarray:
    """Each row's measure as the catalogue knows it (its name for any alias), else as written."""
    import numpy as np

    if catalogue is None:
        return frame["measure"].to_numpy(dtype=object)
    keys = ["section", "measure"]
    pairs = frame[keys].drop_duplicates(keys)  # in order of first appearance, as ngroup numbers them
    group = frame.groupby(keys, observed=True, sort=False).ngroup().to_numpy()
    names = []
    for section, measure in pairs.itertuples(index=False):
        m = catalogue.resolve(str(measure), str(section))
        names.append(m.name if m is not None else str(measure))
    return np.array(names, dtype=object)[group]


def _against_catalogue(frame: pd.DataFrame, data: DataFile, catalogue: Catalogue) -> list[Finding]:
    import numpy as np

    findings: list[Finding] = []
    # one catalogue look-up per distinct (section, measure), numbered in order of first appearance
    keys = ["section", "measure"]
    pairs = frame[[*keys, "row"]].drop_duplicates(keys)
    group = frame.groupby(keys, observed=True, sort=False).ngroup().to_numpy()
    unit_of_group: list[str] = []
    for section, measure, first_row in pairs.itertuples(index=False):
        m = catalogue.resolve(str(measure), str(section))
        unit_of_group.append(m.unit if m is not None else "")
        if m is None:
            findings.append(
                Finding(
                    severity="error" if data.layout == "long" else "warning",
                    code=Code.UNKNOWN_MEASURE,
                    file=data.path,
                    row=int(first_row),
                    column=1 if data.layout == "wide" else None,
                    measure=str(measure),
                    message=f"{measure!r} is not a measure of the catalogue"
                    + (f" (section {section!r})" if section else ""),
                )
            )
    if any(unit_of_group):
        units = np.array(unit_of_group, dtype=object)[group]
        values = frame["value"].to_numpy(dtype="float64")
        known = ~np.isnan(values)
        count = (units == "count") & known
        for mask, code, why in (
            (count & (values < 0), Code.NEGATIVE_COUNT, "a count cannot be negative"),
            (count & (values != np.floor(values)), Code.FRACTIONAL_COUNT, "a count must be a whole number"),
        ):
            findings += _listed_cells(frame, np.flatnonzero(mask).tolist(), data.path, code, why)
        findings.extend(_percent_in_count(frame, count, data))
        findings.extend(_percent_range(frame, units == "percent", data))
        findings.extend(_percent_fractions(frame, units == "percent", data.path, areas=data.by_area))
    findings.extend(_parts(frame, data, catalogue))
    findings.extend(_not_submitted(frame, data, catalogue))
    return findings


def _parts(frame: pd.DataFrame, data: DataFile, catalogue: Catalogue) -> list[Finding]:
    """A measure declared as the sum of others must be their sum, period by period (whole numbers)."""
    declared = [m for m in catalogue.measures if m.parts]
    if not declared or data.layout == "wide":
        return []  # report tables: the audit checks parts column by column
    involved = {m.name for m in declared} | {p for m in declared for p in m.parts}
    involved |= {a for m in catalogue.measures if m.name in involved for a in m.aliases}
    rows = frame[frame["measure"].astype(str).str.strip().str.lower().isin({n.lower() for n in involved})]
    resolved: dict[tuple[str, str], Measure | None] = {}  # one catalogue look-up per distinct name
    cells: dict[tuple[tuple[str, str], str], tuple[float, int, int]] = {}
    for section, measure, period, value, row, column in zip(
        rows["section"].astype(str),
        rows["measure"].astype(str),
        rows["period"].astype(str),
        rows["value"],
        rows["row"],
        rows["column"],
        strict=True,
    ):
        if (section, measure) not in resolved:
            resolved[(section, measure)] = catalogue.resolve(measure, section)
        m = resolved[(section, measure)]
        if m is not None and not is_missing(value):
            cells[(m.key, period)] = (float(value), int(row), int(column))
    parts_of = {m.key: (m, [catalogue.resolve(p, m.section) for p in m.parts]) for m in declared}
    findings: list[Finding] = []
    for (key, period), (total, row, column) in cells.items():
        if key not in parts_of:
            continue
        m, parts = parts_of[key]
        values = [cells.get((p.key, period)) for p in parts if p is not None]
        if len(values) != len(parts) or any(v is None for v in values):
            continue
        numbers = [v[0] for v in values if v is not None]
        if not all(x == int(x) for x in [*numbers, total]) or sum(numbers) == total:
            continue
        findings.append(
            Finding(
                code=Code.PARTS_MISMATCH,
                file=data.path,
                row=row,
                column=column,
                measure=m.name,
                period=period,
                expected=show_value(sum(numbers)),
                actual=show_value(total),
                message=f"{m.name} {period} is {show_value(total)} but {' + '.join(m.parts)} = {show_value(sum(numbers))}",
            )
        )
    return findings


def _named_percent(frame: pd.DataFrame) -> np.ndarray:
    """Per row: does its measure's name say per cent (``kpitool.units``)? Each name asked once."""
    import numpy as np
    import pandas as pd

    codes, names = pd.factorize(frame["measure"].astype(str))
    return np.array([says_percent(str(n)) for n in names] + [False], dtype=bool)[codes]


def _percent_range(frame: pd.DataFrame, percent: object, data: DataFile) -> list[Finding]:
    """A percentage outside 0–100, each said; one a spreadsheet's percent format made (a count of 100
    formatted ``0%`` shows 10000%) says so, and what the cell holds."""
    import numpy as np

    values = frame["value"].to_numpy(dtype="float64")
    mask = np.asarray(percent, dtype=bool) & ~np.isnan(values) & ((values < 0) | (values > 100))
    why = "a percentage must lie between 0 and 100"
    positions = np.flatnonzero(mask).tolist()
    if not data.shown_as_percent:
        return _listed_cells(frame, positions, data.path, Code.PERCENT_OUT_OF_RANGE, why)
    formatted = [i for i in positions if _held(frame, i, data) is not None]
    said = set(formatted)
    findings = _listed_cells(frame, [i for i in positions if i not in said], data.path, Code.PERCENT_OUT_OF_RANGE, why)

    def cell(i: int) -> Finding:
        held = _held(frame, i, data)
        return _cell_finding(
            frame,
            i,
            data.path,
            Code.PERCENT_OUT_OF_RANGE,
            f"the cell holds {held} but is formatted as a percent in the spreadsheet, which shows it as"
            f" {_shown(frame, i)}: a percentage must lie between 0 and 100 (a count formatted as a percent by"
            " mistake? format the cell as a number)",
            shown=_shown(frame, i),
        )

    rows = frame["row"].to_numpy()
    return findings + listed(formatted, cell, lambda i: int(rows[i]))


def _percent_in_count(frame: pd.DataFrame, count: object, data: DataFile) -> list[Finding]:
    """A value of a measure the catalogue says is a count read as a percentage: written with a %
    sign, or a cell formatted as a percent in a spreadsheet (its 100 shown, and read, as 10000%)."""
    import numpy as np

    mask = np.asarray(count, dtype=bool) & frame["percent"].to_numpy(dtype=bool)
    rows = frame["row"].to_numpy()

    def cell(i: int) -> Finding:
        held = _held(frame, i, data)
        why = (
            f"a count, but the cell is formatted as a percent in the spreadsheet: it holds {held}, shown (and read)"
            f" as {_shown(frame, i)}; format the cell as a number"
            if held is not None
            else "a count, but written as a percentage (with a % sign); a count is a number of things"
        )
        return _cell_finding(frame, i, data.path, Code.PERCENT_IN_COUNT, why, shown=_shown(frame, i))

    return listed(np.flatnonzero(mask).tolist(), cell, lambda i: int(rows[i]))


def _held(frame: pd.DataFrame, i: int, data: DataFile) -> str | None:
    """The number a spreadsheet cell holds, where the frame's row ``i`` was read through its percent format."""
    if not data.shown_as_percent:
        return None
    return data.shown_as_percent.get((int(frame["row"].to_numpy()[i]), int(frame["column"].to_numpy()[i])))


def _shown(frame: pd.DataFrame, i: int) -> str:
    return f"{show_value(float(frame['value'].to_numpy(dtype='float64')[i]))}%"


FRACTION_PERIODS = 2  # a percentage's values all within 0 to 1 over at least this many periods


def _percent_fractions(frame: pd.DataFrame, percent: object, name: str, *, areas: bool = False) -> list[Finding]:
    """A percentage measure whose every value (two or more, one not 0 or 1) lies between 0 and 1:
    most likely fractions of one (a spreadsheet's 2.1% stored as 0.021, saved without its format),
    which read as 0.021% would compare as nothing at all. Taken as written, and said once a measure."""
    import numpy as np
    import pandas as pd

    mask = np.asarray(percent, dtype=bool) & ~np.isnan(frame["value"].to_numpy(dtype="float64"))
    if not mask.any():
        return []
    sub = frame.loc[mask, ["section", "measure", "period", "value", "row", "column"]]
    figures = sub["value"].to_numpy(dtype="float64")
    # each measure's least and most, its count and its values strictly inside 0-1, all at once
    groups = sub.groupby(["section", "measure"], sort=False, observed=True).ngroup().to_numpy()
    stats = pd.DataFrame({"g": groups, "v": figures, "inside": (figures > 0) & (figures < 1)}).groupby("g")
    low, high, count, inside = stats["v"].min(), stats["v"].max(), stats["v"].size(), stats["inside"].any()
    flagged = low.index[(count >= FRACTION_PERIODS) & inside & (low >= 0) & (high <= 1)].to_numpy()
    findings: list[Finding] = []
    picked = sub[np.isin(groups, flagged)]
    for (section, measure), g in picked.groupby(["section", "measure"], sort=False, observed=True):
        values = g["value"].to_numpy(dtype="float64")
        first = g.iloc[int(np.flatnonzero((values > 0) & (values < 1))[0])]
        place = f" in {section}" if areas and section else ""
        least, most, value = decimal_text(float(values.min())), decimal_text(float(values.max())), float(first["value"])
        findings.append(
            Finding(
                code=Code.PERCENT_FRACTION,
                file=name,
                row=int(first["row"]),
                column=int(first["column"]),
                measure=str(measure),
                period=str(first["period"]),
                section=str(section) or None,
                message=f"{measure}{place} is a percentage whose every value lies between 0 and 1 ({least} to {most}):"
                f" fractions of one, {decimal_text(value)} for {decimal_text(value, 2)}%?"
                " They are taken as written; write them as percentages (× 100) if they are fractions",
            )
        )
    return findings


def _listed_cells(frame: pd.DataFrame, positions: list[int], name: str, code: str, why: str) -> list[Finding]:
    """A finding at each of these rows of the frame, listed to the limit (see ``listed``)."""
    rows = frame["row"].to_numpy()
    return listed(positions, lambda i: _cell_finding(frame, i, name, code, why), lambda i: int(rows[i]))


def _cell_finding(frame: pd.DataFrame, i: int, name: str, code: str, why: str, shown: str | None = None) -> Finding:
    row = frame.iloc[i]
    actual = shown or show_value(float(row["value"]))
    return Finding(
        severity="error",
        code=code,
        file=name,
        row=int(row["row"]),
        column=int(row["column"]),
        measure=str(row["measure"]),
        period=str(row["period"]),
        actual=actual,
        message=f"{row['measure']} {row['period']}: {actual} — {why}",
    )


def _not_submitted(frame: pd.DataFrame, data: DataFile, catalogue: Catalogue) -> list[Finding]:
    """A quarterly long file should carry every catalogue measure for its quarter."""
    if data.layout != "long":
        return []
    periods = [data.periods[str(p)] for p in frame["period"].unique()]
    quarters = [p for p in periods if p.is_quarter]
    if not quarters or len(quarters) != len(periods):
        return []
    latest = max(quarters)
    present = frame[frame["period"] == latest.label]
    have = {(str(s), str(m)) for s, m in zip(present["section"], present["measure"], strict=True)}
    resolved = {found.key for s, m in have if (found := catalogue.resolve(m, s)) is not None}
    if not resolved:
        return []  # none of its measures is in the catalogue: unknown-measure says so already
    findings = []
    for m in catalogue.measures:
        if m.key in resolved or m.aggregate == "ratio" or m.source:
            continue  # a ratio is computed from its numerator and denominator; records are counted
        if m.since is not None and latest < m.since:
            continue
        findings.append(
            Finding(
                code=Code.MEASURE_NOT_SUBMITTED,
                file=data.path,
                measure=m.name,
                period=latest.label,
                message=f"{m.name!r} has no value for {latest.label}, the quarter this file submits",
            )
        )
    return findings
