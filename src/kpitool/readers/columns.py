"""A long file's columns and their roles: measure, period, value, section, areas — as named, or
as asked for by the column-role options."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from kpitool.codes import Code
from kpitool.models import Finding
from kpitool.numbers import parse_cell
from kpitool.period_names import period_in_name
from kpitool.periods import MONTHS
from kpitool.readers.base import ReadOptions, unread_column
from kpitool.readers.headings import is_target_heading, parse_header
from kpitool.units import says_percent

LONG_COLUMNS = ("measure", "period", "value")
OPTIONAL_COLUMNS = ("section", "note", "unit")

# a heading whose last word is one of these names an area: a force, a division, a provider, …
AREA_WORDS = frozenset(
    {"force", "pfa", "area", "division", "provider", "district", "borough", "authority", "trust", "council", "icb"}
)
# a heading that names the period of each row
PERIOD_HEADINGS = frozenset(
    {
        "year", "date", "month", "quarter", "financial year", "fiscal year", "calendar year", "time period",
        "reporting period", "period ending", "month ending", "quarter ending", "year ending", "12 months ending",
    }
)  # fmt: skip
SAMPLE = 200  # the cells of a column looked at to tell text from numbers


def _words(heading: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", heading.strip().lstrip("\ufeff").lower())


def area_headings(header: list[str], taken: set[int]) -> tuple[list[int], str]:
    """The columns whose headings name an area (``Force``, ``PFA``, ``Police Division``,
    ``Provider``; ``Name`` beside a ``Code``), and why, among the columns not ``taken``."""
    free = [i for i in range(len(header)) if i not in taken]
    named = [i for i in free if (w := _words(header[i])) and w[-1] in AREA_WORDS]
    if named:
        return named, "its heading names an area"
    codes = [i for i in free if (w := _words(header[i])) and w[-1] == "code"]
    names = [i for i in free if (w := _words(header[i])) and w[-1] == "name"]
    if codes and names:
        return names, f"a name beside its code ({header[codes[0]].strip()!r})"
    return [], ""


def period_heading(header: list[str], taken: set[int]) -> int | None:
    """The one column headed as a period (``Year``, ``Date``, ``12 months ending``), if exactly one is."""
    found = [i for i in range(len(header)) if i not in taken and " ".join(_words(header[i])) in PERIOD_HEADINGS]
    return found[0] if len(found) == 1 else None


@dataclass
class Columns:
    """Which column is which in a long file, and what was decided from the headings alone."""

    roles: dict[str, int | None]
    areas: list[int]
    values: list[int]
    findings: list[Finding]
    options: ReadOptions
    named: set[int] = field(default_factory=set)  # the columns that are the first of their name
    guessed_area: Finding | None = None  # the area taken by its heading, confirmed only if its cells are text
    area_code: int | None = None  # the code column beside a name taken as the area (``Code`` beside ``Name``)
    measures_in_columns: bool = False  # no measure or value column: the numeric columns are the measures
    missing: list[Finding] = field(default_factory=list)  # the roles no column has

    @property
    def taken(self) -> set[int]:
        return {c for c in (*self.roles.values(), *self.areas, *self.values) if c is not None}

    @property
    def fatal(self) -> bool:
        return bool(self.missing) or any(f.code == Code.MISSING_COLUMN for f in self.findings)


def period_from_name(
    header: list[str], name: str, line: int, options: ReadOptions, findings: list[Finding]
) -> ReadOptions:
    """A file without a period column, and no ``--period``: the period its name spells, said so."""
    names = {h.strip().lstrip("\ufeff").lower() for h in header}
    if options.period or options.period_col or "period" in names:
        return options
    # a sheet's name first (``book.xlsx[April 2025]``), then the file's
    sheet = re.search(r"\[([^\]]*)\]$", name)
    found = period_in_name(sheet.group(1), options.year_start) if sheet else None
    where = "the sheet's name"
    if found is None:
        if sheet and any(w in MONTHS or re.fullmatch(r"q[1-4]", w) for w in _words(sheet.group(1))):
            return options  # a sheet a month or quarter ("Apr") of a book named by its year: which?
        found, where = period_in_name(name, options.year_start), "the file name"
    if found is None:
        return options
    findings.append(
        Finding(
            code=Code.LAYOUT,
            file=name,
            row=line,
            message=f"no period column: every row is taken as {found[1]}, the period {where} gives"
            f" ({found[0]!r}; --period sets another)",
        )
    )
    return replace(options, period=found[0])


def long_header(header: list[str], name: str, line: int, options: ReadOptions) -> Columns:
    """Which column is which: by the roles asked for, else by the names measure, period, value,
    section, else by headings that name a period (``Year``) or an area (``Force``).

    A repeated heading of a column not read by that name is renamed in ``header`` ("Type 1 (2)"),
    so that each column keeps a name of its own. What the headings alone cannot settle — is the
    area column text? which columns are numbers? — ``settle`` decides from the cells.
    """
    findings: list[Finding] = []
    roles: dict[str, int | None] = dict.fromkeys((*LONG_COLUMNS, *OPTIONAL_COLUMNS))
    seen: dict[str, int] = {}
    asked_names = [options.measure_col, options.period_col, *options.value_cols, *options.area_cols]
    read_names = {n.strip().lower() for n in asked_names if n} | {*LONG_COLUMNS, *OPTIONAL_COLUMNS}
    repeats: dict[str, int] = {}
    for i, raw in enumerate(header):
        key = raw.strip().lstrip("\ufeff").lower()
        if key in seen:
            # a repeat of a column kpitool reads is an error (the first is read); any other repeat is
            # kept apart, under a name of its own
            read = key in read_names
            if not read:
                repeats[key] = repeats.get(key, 1) + 1
                distinct = f"{raw.strip()} ({repeats[key]})"
            findings.append(
                Finding(
                    severity="error" if read else "warning",
                    code=Code.DUPLICATE_COLUMN,
                    file=name,
                    row=line,
                    column=i + 1,
                    column_name=raw,
                    message=f"column {raw!r} appears again (first as column {seen[key]}); "
                    + ("only the first is read" if read else f"it is kept apart as {distinct!r}"),
                )
            )
            if read:
                continue
            header[i] = distinct
            key = distinct.lower()
        seen[key] = i + 1
    listed = ", ".join(repr(h.strip()) for h in header)

    def find(wanted: str, what: str) -> int | None:
        col = seen.get(wanted.strip().lower())
        if col is None:
            findings.append(
                Finding(
                    code=Code.MISSING_COLUMN,
                    file=name,
                    row=line,
                    column_name=wanted,
                    message=f"no column {wanted!r} for the {what} (the header has {listed})",
                )
            )
            return None
        return col - 1

    def said(message: str) -> None:
        findings.append(Finding(code=Code.LAYOUT, file=name, row=line, message=message))

    value_col = options.value_cols[0] if options.value_cols else None
    asked = {"measure": options.measure_col, "period": options.period_col, "value": value_col}
    for role, wanted in asked.items():
        if wanted:
            roles[role] = find(wanted, role)
        elif role in seen:
            roles[role] = seen[role] - 1
    for role in OPTIONAL_COLUMNS:
        if role in seen:
            roles[role] = seen[role] - 1
    areas = [c for c in (find(a, "area") for a in options.area_cols) if c is not None]
    values = [c for c in (roles["value"], *(find(v, "value") for v in options.value_cols[1:])) if c is not None]

    def taken() -> set[int]:
        return {c for c in (*roles.values(), *areas, *values) if c is not None}

    if roles["period"] is None and not options.period and not options.period_col:
        p_i = period_heading(header, taken())
        if p_i is not None:
            roles["period"] = p_i
            said(f"column {header[p_i].strip()!r} is taken as the period of each row (its heading says so;"
                 " --period-col names another)")  # fmt: skip
    if roles["period"] is None:
        options = period_from_name(header, name, line, options, findings)
    guessed: Finding | None = None
    code_col: int | None = None
    if not options.area_cols and roles["section"] is None:
        candidates, why = area_headings(header, taken())
        if len(candidates) == 1:
            areas = [candidates[0]]
            said(f"column {header[candidates[0]].strip()!r} is taken as the area of each row ({why};"
                 " --area-col names another)")  # fmt: skip
            guessed = findings[-1]
            if why.startswith("a name beside its code"):
                code = [
                    i
                    for i in range(len(header))
                    if i not in taken() and i != areas[0] and _words(header[i])[-1:] == ["code"]
                ]
                code_col = code[0] if code else None
        elif candidates:
            names = " and ".join(repr(header[i].strip()) for i in candidates)
            said(f"columns {names} could each be the area of a row, so none is taken:"
                 " name it with --area-col (repeated for a hierarchy, outermost first)")  # fmt: skip
    missing: list[Finding] = []
    needed = ["value"] + ([] if options.period else ["period"])
    # a value column named as a measure ("FTE Count") and no measure column: its heading is the measure
    if not (roles["measure"] is None and options.value_cols and not options.measure_col):
        needed.append("measure")
    for required in needed:
        if roles[required] is None and not asked.get(required):
            missing.append(
                Finding(
                    code=Code.MISSING_COLUMN,
                    file=name,
                    row=line,
                    column_name=required,
                    message=f"the header has no {required!r} column (a long file needs measure, period, value;"
                    " or name its columns with --measure-col, --period-col, --value-col"
                    + (", or give every row's period with --period)" if required == "period" else ")"),
                )
            )
    # a row per area or per period, a column per measure: the file has no measure or value column,
    # its period is known, and its rows are areas or periods
    has_period = bool(options.period) or roles["period"] is not None
    in_columns = not (roles["measure"] is not None or roles["value"] is not None or asked["measure"] or asked["value"])
    in_columns = in_columns and has_period and (bool(areas) or roles["period"] is not None)
    named = {col - 1 for col in seen.values()}
    return Columns(roles, areas, values, findings, options, named, guessed, code_col, in_columns, missing)


def settle(columns: Columns, header: list[str], name: str, line: int, cells: Callable[[int], list[str]]) -> None:
    """What the cells decide: an area column taken by its heading must hold text; in a file of
    measures in columns, every column of numbers is a measure (and then no role is missing)."""

    def numbers(i: int) -> int:
        """How many of the column's first cells are numbers (-1: more of them are neither number nor
        marker: a column of text). A column of numbers with a stray text in it ("1,2x0") is numbers,
        each stray cell a not-a-number error of its row, never a column silently not read."""
        parsed = [parse_cell(t, columns.options.missing) for t in cells(i) if t.strip()]
        bad = sum(1 for c in parsed if c.error)
        good = sum(1 for c in parsed if c.value is not None)
        return -1 if bad > good else good

    guessed = columns.guessed_area
    if guessed is not None and numbers(columns.areas[0]) > 0:  # a column of numbers is no area
        columns.areas = []
        columns.findings.remove(guessed)
        columns.guessed_area = None
    if not columns.measures_in_columns:
        return
    # a published change ("change from previous year", "% change") is a reported figure, never an
    # input; a heading that says per cent of a measure ("Detection rate (%)", "% detected") is a measure
    # nor is a column of targets ("Target %"): no measure's own figures, and not said to be whose
    values = [
        i
        for i in sorted(columns.named - columns.taken)
        if numbers(i) > 0 and not derived(header[i]) and not is_target_heading(header[i], columns.options.year_start)
    ]
    if not values:
        return
    # a row per area (or period): a text column that varies within one area and period is a
    # dimension of its own (an offence, say), most likely the measure, and kpitool does not guess it
    keys = [k for k in (*columns.areas, columns.roles["period"]) if k is not None]
    texts = [i for i in sorted(columns.named - columns.taken) if i not in values and numbers(i) < 0]
    if keys and texts:
        key_cells = list(zip(*(cells(k) for k in keys), strict=False))
        for i in texts:
            seen: dict[tuple[str, ...], str] = {}
            for key, text in zip(key_cells, cells(i), strict=False):
                if seen.setdefault(key, text) != text:
                    what = " and ".join(repr(header[k].strip()) for k in keys)
                    columns.missing = [
                        Finding(
                            code=Code.MISSING_COLUMN,
                            file=name,
                            row=line,
                            column_name="measure",
                            message=f"no measure column, and rows repeat for one {what} with different"
                            f" {header[i].strip()!r} ({seen[key]!r}, {text!r}): name the measure with"
                            f" --measure-col (perhaps {header[i].strip()!r}) and its value with --value-col;"
                            " or, when each row is one record (a crime, a call), count them with kpitool count"
                            ' or a [[source]] with shape = "records"',
                        )
                    ]
                    return
    columns.values = values
    columns.missing = []
    shown = ", ".join(repr(header[i].strip()) for i in values[:3])
    more = f" and {len(values) - 3} more" if len(values) > 3 else ""
    p_i = columns.roles["period"]
    rows = f"a row per area ({header[columns.areas[-1]].strip()!r})" if columns.areas else (
        f"a row per period ({header[p_i].strip()!r})" if p_i is not None else "")  # fmt: skip
    columns.findings.append(
        Finding(
            code=Code.LAYOUT,
            file=name,
            row=line,
            message=f"measures in columns: {rows}, and each column of numbers a measure named by its heading"
            f" ({len(values)}: {shown}{more}); --value-col chooses among them",
        )
    )


DERIVED_NOT_READ = (
    "its heading names a published change or direction, a figure derived from others, which"
    " kpitool computes itself and never reads as an input"
)
TARGET_NOT_READ = (
    "its heading names a target, not a measure: it is not read as a measure, nor as the target of a measure"
    " beside it (the file does not say whose); give a measure its target in kpitool.toml ([[measure]] target = 90)"
)


def derived(heading: str) -> bool:
    """Is a column of measures in columns a published change or arrow, derived from other figures
    (``% change``, ``Change from previous year``, ``Direction``, a bare ``%``), not a measure? A
    heading that says per cent of something (``Detection rate (%)``) is a measure: ``kpitool.units``."""
    return parse_header(heading).role in ("change", "direction") and not says_percent(heading)


def name_unread(columns: Columns, header: list[str], name: str, line: int) -> None:
    """A warning for each column not read (the first of its name; a repeat of a read one has its error)."""
    for i in sorted(columns.named - columns.taken):
        raw = header[i]
        why = (
            "a long file's columns are measure, period, value, section; others can be named with"
            " --measure-col, --period-col, --value-col, --area-col"
        )
        if columns.measures_in_columns and derived(raw):
            why = f"{DERIVED_NOT_READ}; --value-col reads it as a measure"
        elif columns.measures_in_columns and is_target_heading(raw, columns.options.year_start):
            why = f"{TARGET_NOT_READ}; --value-col reads it as a measure"
        columns.findings.append(unread_column(name, line, i + 1, raw, f"column {raw!r} is not read ({why})"))
