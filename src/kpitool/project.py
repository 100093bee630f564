"""A project: its catalogue (found once, here), its data files, and the pipelines the commands run.

The command line parses options, calls one of these and renders what it returns.
"""

from __future__ import annotations

import glob
from collections.abc import Sequence
from dataclasses import asdict, replace
from pathlib import Path

from kpitool.catalogue import find_config, load_catalogue, read_catalogue
from kpitool.codes import Code
from kpitool.errors import ConfigError, InputError, InvalidDataError, UsageError, whole_file
from kpitool.methods import SMALL_NUMBERS
from kpitool.models import (
    Catalogue,
    CompareOptions,
    ComparisonReport,
    Finding,
    SkippedRow,
    ValidationReport,
)
from kpitool.periods import YearStart
from kpitool.progress import Progress, silent
from kpitool.readers.base import Reading, ReadOptions
from kpitool.rows import Rows
from kpitool.sources import natural_key


def catalogue_path(config: Path | None) -> Path | None:
    """``--config`` if given (it must exist), else ``kpitool.toml`` here or in the nearest parent."""
    if config is not None:
        if not config.is_file():
            raise ConfigError(f"{config}: no such file")
        return config
    return find_config()


def open_catalogue(
    config: Path | None, *, required: bool = False, year_start: YearStart | None = None
) -> Catalogue | None:
    """The project's catalogue, or None when there is none (ConfigError when it is broken or required)."""
    path = catalogue_path(config)
    if path is None:
        if required:
            raise ConfigError("no files given and no kpitool.toml here or in a parent folder")
        return None
    return load_catalogue(path, year_start)


def read_options(
    catalogue: Catalogue | None, year_start: YearStart | None = None, reading: Reading | None = None
) -> ReadOptions:
    """How the files are read: the catalogue's settings (else the year start asked for), the sheets
    and the column roles asked for."""
    base = catalogue.read_options() if catalogue is not None else ReadOptions(year_start=year_start or "april")
    return replace(base, **asdict(reading or Reading()))


def data_files(catalogue: Catalogue) -> list[Path]:
    """The files ``[project] data`` names, in its order (within one glob in natural name order), then
    the files of each ``[[source]]``."""
    if not catalogue.data and not catalogue.sources:
        raise UsageError(
            "no files given, and kpitool.toml names no data files ([project] data = [...], or [[source]] files = ...)"
        )
    found: list[Path] = []
    for pattern in catalogue.data:
        expanded = Path(pattern).expanduser()
        full = expanded if expanded.is_absolute() else catalogue.root / expanded
        matches = sorted((Path(m) for m in glob.glob(str(full), recursive=True)), key=natural_key)
        matches = [m for m in matches if m.is_file()]
        if not matches:
            raise UsageError(f"kpitool.toml: data pattern {pattern!r} matches no file under {catalogue.root}")
        found.extend(m for m in matches if m not in found)
    for source in catalogue.sources:
        matches = source.paths()
        if not matches:
            raise UsageError(
                f"kpitool.toml: source {source.described()!r}: files {', '.join(map(repr, source.files))} match no"
                f" file under {catalogue.root}"
            )
        found.extend(m for m in matches if m not in found)
    return [Path(shown_path(p)) for p in found]


def shown_path(path: Path) -> str:
    """A path as the user would type it: relative to the working directory when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def run_validation(
    files: Sequence[Path],
    config: Path | None,
    *,
    strict: bool = False,
    year_start: YearStart | None = None,
    reading: Reading | None = None,
    progress: Progress = silent,
) -> ValidationReport:
    """``kpitool validate``: the catalogue's own findings, then every file's.

    With no files, the project's: ``[project] data`` and every ``[[source]]``'s files, records
    counted as compare counts them (a broken catalogue is then the only thing reported).
    """
    from kpitool.validate import validate_files

    path = catalogue_path(config)
    catalogue: Catalogue | None = None
    config_findings: list[Finding] = []
    if path is not None:
        catalogue, config_findings = read_catalogue(path, year_start)
    if not files:
        if path is None:
            raise ConfigError("no files given and no kpitool.toml here or in a parent folder")
        files = data_files(catalogue) if catalogue is not None else []
    options = read_options(catalogue, None if config_findings and catalogue is None else year_start, reading)
    return validate_files(files, catalogue, config_findings, strict=strict, options=options, progress=progress)


def run_comparison(
    files: Sequence[Path],
    catalogue: Catalogue | None,
    options: CompareOptions,
    *,
    skip_invalid: bool = False,
    year_start: YearStart | None = None,
    reading: Reading | None = None,
    progress: Progress = silent,
) -> ComparisonReport:
    """``kpitool compare`` / ``export``: the files given (else the catalogue's), checked, read and compared.

    An input row with an error (not read, or not to be stood behind) stops the comparison with
    InvalidDataError, unless ``skip_invalid``: then it is left out and named in the report.
    """
    from kpitool.compare import compare
    from kpitool.readers import Observations, check_areas
    from kpitool.readers.base import release_read_buffers
    from kpitool.validate import check_files, read_files

    if files:
        paths = list(files)
    elif catalogue is not None:
        paths = data_files(catalogue)
    else:
        raise ConfigError("no files given and no kpitool.toml here or in a parent folder")
    how = read_options(catalogue, year_start, reading)
    read, unreadable = read_files(paths, how, progress, catalogue)
    if unreadable:
        raise InputError(unreadable[0].message)
    check_areas(read, how.areas)
    report = check_files(read, catalogue, paths=paths, progress=progress)
    blocking = [f for f in report.findings if f.blocks_comparison]
    if blocking and not skip_invalid:
        raise InvalidDataError(report, blocking)
    whole_files = {f.file for f in blocking if f.row is None}  # an empty file, say: nothing of it is used
    observations = Observations.of([d for d in read if d.path not in whole_files], skip=blocking)
    if observations.frame.empty:
        unread = [f for f in blocking if whole_file(f)]
        why = f": {unread[0].file}: {unread[0].message}" if unread else ": every input row has an error"
        raise UsageError("no observations to compare" + (why if blocking else ""))
    tables = {(d.path, r.row): t.section for d in read for t in d.tables for r in t.rows}  # each row's table
    # each table's columns not read that hold figures: (file, header row, column) -> (section, its rows' names)
    unread_columns = {
        (d.path, t.header_row, column): (t.section, names)
        for d in read
        for t in d.tables
        for column, names in t.unread.items()
    }
    del read  # the observations have the files' figures; the rows of the table reuse the memory
    release_read_buffers()
    comparison = compare(observations, catalogue, options, files=[shown_path(p) for p in paths], progress=progress)
    comparison.skipped = [SkippedRow.of(f) for f in blocking]
    rows = comparison.rows()  # the rows as columns: the notes are added without a model a figure
    places = list(zip(rows.measure, rows.section, rows.area, strict=True))
    if options.measures or options.sections:  # the rows skipped of the measures asked for, and whole files
        kept = [s for s in comparison.skipped if not s.measure or any(s.concerns(*p) for p in places)]
        if len(kept) < len(comparison.skipped):
            n = len(comparison.skipped) - len(kept)
            comparison.notes.append(
                f"{n} more input row{'s' if n > 1 else ''} with an error, of measures not asked for, left out"
                " (kpitool validate lists them)."
            )
        comparison.skipped = kept
    by_name: dict[str, list[int]] = {}
    for i, name in enumerate(rows.measure):
        by_name.setdefault(name, []).append(i)
    by_measure: dict[str, list[int]] = {}  # the rows of each measure, by its name as typed any way
    for name, at in by_name.items():
        by_measure.setdefault(name.strip().lower(), []).extend(at)
    for at in by_measure.values():
        at.sort()
    for skipped in comparison.skipped:
        for i in by_measure.get((skipped.measure or "").strip().lower(), []):
            if skipped.concerns(*places[i]):
                what = f"{skipped.period} " if skipped.period else ""
                rows.notes[i].append(
                    f"A row of {what}data was not read ({skipped.file}:{skipped.cell}): {skipped.message}."
                )
    _note_disagreements(rows, report.findings, tables, by_measure)
    _note_unread_columns(rows, report.findings, unread_columns, by_measure)
    comparison.notes.extend(_not_read(report.findings, how.year_start))
    comparison.notes.extend(_read_as_financial_years(report.findings))
    return comparison


def _note_unread_columns(
    rows: Rows,
    findings: Sequence[Finding],
    unread: dict[tuple[str, int, int], tuple[str, list[str]]],
    by_measure: dict[str, list[int]],
) -> None:
    """A row with a figure in a column kpitool could not read (``Quarter 3 2023/24`` mistyped, ``Year to
    date``) is compared without it, and its note says so: its values may leave a quarter out."""
    for f in findings:
        if f.code != Code.UNREAD_COLUMN or f.row is None or f.column is None:
            continue
        section, names = unread.get((f.file or "", f.row, f.column), ("", []))
        note = f"{f.message[:1].upper()}{f.message[1:]} ({f.file}:{f.cell})."
        for name in dict.fromkeys(n.strip().lower() for n in names):
            at = by_measure.get(name, [])
            # the table's own rows, where the catalogue has not put the measure in another section
            at = [i for i in at if rows.section[i] == section] or at
            for i in at:
                if note not in rows.notes[i]:
                    rows.notes[i].append(note)


def _not_read(findings: Sequence[Finding], year_start: YearStart) -> list[str]:
    """A column of figures that is no input — headed as a published change or arrow (``% change``),
    or as a target (``Annual target 2023/24``) — is not read, and the table says so, as validate
    does: a column of figures is never dropped without a word."""
    from kpitool.readers.columns import derived
    from kpitool.readers.headings import is_target_heading

    changes: dict[str, list[str]] = {}
    targets: dict[str, list[str]] = {}
    for f in findings:
        if f.code != Code.UNKNOWN_COLUMN or not f.column_name:
            continue
        if derived(f.column_name):
            changes.setdefault(f.file or "", []).append(repr(f.column_name.strip()))
        elif is_target_heading(f.column_name, year_start):
            targets.setdefault(f.file or "", []).append(repr(f.column_name.strip()))
    return [
        f"Not read from {file}: {', '.join(columns)}, headed as a published change or direction — a figure"
        " derived from others, which kpitool computes itself (--value-col reads one as a measure)."
        for file, columns in changes.items()
    ] + [
        f"Not read from {file}: {', '.join(columns)}, headed as a target, not a measure — compare takes a"
        " measure's target from kpitool.toml only ([[measure]] target = 90)."
        for file, columns in targets.items()
    ]


def _read_as_financial_years(findings: Sequence[Finding]) -> list[str]:
    """A file that says calendar years, read in financial years, is said under the table as
    validate says it: its January to March is in the year before. One note for the files that
    say it alike (a workbook's sheets)."""
    named: dict[str, list[str]] = {}
    for f in findings:
        if f.code == Code.CALENDAR_YEAR_HINT:
            named.setdefault(f.message, []).append(f.file or "")
    return [f"{message[:1].upper()}{message[1:]} ({', '.join(files)})." for message, files in named.items()]


# the audit's errors that put an input figure in doubt: a table whose figures do not agree
DOUBTFUL = frozenset({Code.PARTS_MISMATCH, Code.RATIO_MISMATCH, Code.TOTAL_MISMATCH})


def _note_disagreements(
    rows: Rows,
    findings: Sequence[Finding],
    sections: dict[tuple[str, int], str],
    by_measure: dict[str, list[int]],
) -> None:
    """A row whose published table contradicts itself (a total not the sum of its parts) is compared
    as published, and its note says so: its figures are not all right, and kpitool cannot say which.
    ``sections``: the table (its section) each (file, row) of a report table is in."""
    for f in findings:
        if f.code == Code.RENAMED_AREA:  # one code, two names: each name's rows say the other
            for i, area in enumerate(rows.area):
                if area and f"{area!r}" in f.message:
                    rows.notes[i].append(f"{f.message}.")
            continue
        if f.code in (Code.SUSPECT_ZERO, Code.PERCENT_FRACTION):  # said on its row: the area's or the section's
            for i in by_measure.get((f.measure or "").strip().lower(), []):
                if (f.section or "") in (rows.area[i], rows.section[i]):
                    notes = rows.notes[i]
                    notes.append(f"{f.message} ({f.file}:{f.cell}).")
                    doubted = 0 in (rows.current_value[i], rows.baseline_value[i]) and SMALL_NUMBERS in notes
                    if f.code == Code.SUSPECT_ZERO and rows.small_numbers[i] and doubted:
                        # 1,685 -> 0 is no small count that chance moves: the zero is in doubt, and said so
                        rows.set_small_numbers(i, False)
                        notes.remove(SMALL_NUMBERS)
            continue
        lacking = f.code == Code.INCOMPLETE_TOTAL
        if not (lacking or (f.severity == "error" and f.code in DOUBTFUL)) or f.row is None:
            continue
        section = sections.get((f.file or "", f.row))
        tables = set(sections.values())
        how = "" if f.message.endswith("compare uses the quarters") else "; compared as published"
        said = "does not agree with itself" if not lacking else "gives this total without one of its parts"
        for i in by_measure.get((f.measure or "").strip().lower(), []):
            if section is not None:
                concerned = rows.section[i] == section
            elif f.section:  # a row of a long file: its section (or area) column
                concerned = f.section in (rows.section[i], rows.area[i])
            else:  # a long file without one: not a report table's row of the same name
                concerned = rows.section[i] not in tables
            if concerned:
                rows.notes[i].append(f"The published table {said} ({f.file}:{f.cell}): {f.message}{how}.")
