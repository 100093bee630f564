"""The one list of finding codes: each code's default severity, what it means, and its exit code.

Every finding carries one of these codes; the README's table of codes is checked against
this list by a test, and the JSON Schema of ``validate --format json`` enumerates it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

from kpitool.errors import ExitCode

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")


class Code(StrEnum):
    UNREADABLE_FILE = "unreadable-file"
    MIXED_ENCODING = "mixed-encoding"
    EMPTY_FILE = "empty-file"
    NO_DATA = "no-data"
    MISSING_COLUMN = "missing-column"
    DUPLICATE_COLUMN = "duplicate-column"
    UNKNOWN_COLUMN = "unknown-column"
    UNREAD_COLUMN = "unread-column"
    LAYOUT = "layout"
    RAGGED_ROW = "ragged-row"
    BROKEN_QUOTE = "broken-quote"
    STRAY_CARRIAGE_RETURN = "stray-carriage-return"
    BAD_PERIOD = "bad-period"
    AMBIGUOUS_PERIOD = "ambiguous-period"
    NO_PERIODS = "no-periods"
    BLANK_MEASURE = "blank-measure"
    NOT_A_NUMBER = "not-a-number"
    BAD_DIRECTION = "bad-direction"
    BAD_STATUS = "bad-status"
    DUPLICATE_OBSERVATION = "duplicate-observation"
    CONFLICTING_OBSERVATION = "conflicting-observation"
    UNKNOWN_MEASURE = "unknown-measure"
    NEGATIVE_COUNT = "negative-count"
    FRACTIONAL_COUNT = "fractional-count"
    PERCENT_OUT_OF_RANGE = "percent-out-of-range"
    PERCENT_IN_COUNT = "percent-in-count"
    IMPLAUSIBLE_AGGREGATE = "implausible-aggregate"
    MEASURE_NOT_SUBMITTED = "measure-not-submitted"
    RESTATED = "restated"
    CONFIG_SYNTAX = "config-syntax"
    CONFIG_INVALID = "config-invalid"
    TOTAL_MISMATCH = "total-mismatch"
    UNCHECKED_YEAR = "unchecked-year"
    CHANGE_MISMATCH = "change-mismatch"
    DIRECTION_MISMATCH = "direction-mismatch"
    TARGET_MISMATCH = "target-mismatch"
    PARTS_MISMATCH = "parts-mismatch"
    INCOMPLETE_TOTAL = "incomplete-total"
    RATIO_MISMATCH = "ratio-mismatch"
    ROUNDING = "rounding"
    AUDIT_BOUNDED = "audit-bounded"
    CHANGE_IN_POINTS = "change-in-points"
    CHANGE_BASIS = "change-basis"
    BAD_DATE = "bad-date"
    BLANK_VALUE = "blank-value"
    MISSING_MONTH = "missing-month"
    INCOMPLETE_PERIOD = "incomplete-period"
    SUSPECT_ZERO = "suspect-zero"
    RENAMED_AREA = "renamed-area"
    PERCENT_FRACTION = "percent-fraction"
    CALENDAR_YEAR_HINT = "calendar-year-hint"


@dataclass(frozen=True)
class CodeInfo:
    """What a code means. ``severities`` lists the ones it can have, the default first."""

    severities: tuple[Severity, ...]
    description: str
    exit_code: ExitCode = ExitCode.INVALID
    audit: bool = False  # about a figure a table reports (never an input), not about the data

    @property
    def severity(self) -> Severity:
        return self.severities[0]


_USAGE = ExitCode.USAGE
REGISTRY: dict[Code, CodeInfo] = {
    Code.UNREADABLE_FILE: CodeInfo(
        ("error",), "missing, a folder, binary, UTF-16, neither UTF-8 nor Windows-1252 (exit 2)", _USAGE
    ),
    Code.MIXED_ENCODING: CodeInfo(
        ("warning",), "a UTF-8 file with one byte that is not, so read as Windows-1252 (named by its row)"
    ),
    Code.EMPTY_FILE: CodeInfo(("error",), "nothing in the file"),
    Code.NO_DATA: CodeInfo(("error",), "a header and no data rows"),
    Code.MISSING_COLUMN: CodeInfo(("error",), "a long file needs `measure`, `period` and `value` columns"),
    Code.DUPLICATE_COLUMN: CodeInfo(
        ("error", "warning"),
        "a column given twice (the first is read; a warning, and kept apart, when not read by that name)",
    ),
    Code.UNKNOWN_COLUMN: CodeInfo(("warning",), "a column kpitool does not read"),
    Code.UNREAD_COLUMN: CodeInfo(
        ("warning",),
        "a report table's column of figures, or headed like a period (`Q3 2023/25` mistyped),"
        " that kpitool cannot read: compare names it in the notes of the rows whose figures it leaves out",
    ),
    Code.LAYOUT: CodeInfo(
        ("info",),
        "how a file was read where its names do not make it evident: its shape, the area or period column"
        " taken by its heading, title and note rows skipped, two header rows combined",
    ),
    Code.RAGGED_ROW: CodeInfo(("error",), "a row with more or fewer fields than its header (never silently shifted)"),
    Code.BROKEN_QUOTE: CodeInfo(
        ("error",),
        "a quote the strict CSV dialect rejects, or one never closed (it does not swallow the rows after it)",
    ),
    Code.STRAY_CARRIAGE_RETURN: CodeInfo(
        ("error",), "a carriage return alone inside an unquoted row of a file whose lines end otherwise"
    ),
    Code.BAD_PERIOD: CodeInfo(("error",), "a period kpitool cannot read"),
    Code.AMBIGUOUS_PERIOD: CodeInfo(
        ("warning",), "a period spelled so it could be a fiscal year or a month (2009-10); read as the fiscal year"
    ),
    Code.NO_PERIODS: CodeInfo(("error",), "a report table with no period column"),
    Code.BLANK_MEASURE: CodeInfo(("error",), "a row with no measure name"),
    Code.NOT_A_NUMBER: CodeInfo(("error",), "`1,2,3`, `nan`, `inf`, `1_000`, `12abc`, an unknown `[marker]`"),
    Code.BAD_DIRECTION: CodeInfo(("error",), "an arrow cell that is not ↑ ↓ ↔", audit=True),
    Code.BAD_STATUS: CodeInfo(
        ("warning",), "a target status cell that is not met / not met / green / amber / red", audit=True
    ),
    Code.DUPLICATE_OBSERVATION: CodeInfo(("warning",), "the same measure and period twice, with the same value"),
    Code.CONFLICTING_OBSERVATION: CodeInfo(("error",), "the same measure and period twice, with different values"),
    Code.UNKNOWN_MEASURE: CodeInfo(
        ("error", "warning"), "not in the catalogue (a warning in report tables, which may carry other rows)"
    ),
    Code.NEGATIVE_COUNT: CodeInfo(("error",), "a count below zero"),
    Code.FRACTIONAL_COUNT: CodeInfo(("error",), "a count that is not a whole number"),
    Code.PERCENT_OUT_OF_RANGE: CodeInfo(("error",), "a percentage outside 0–100 (with or without a catalogue)"),
    Code.PERCENT_IN_COUNT: CodeInfo(
        ("error",),
        "a value of a catalogue count written as a percentage, or formatted as a percent in a spreadsheet (its 100"
        " shown as 10000%)",
    ),
    Code.IMPLAUSIBLE_AGGREGATE: CodeInfo(
        ("warning",),
        "a year value its unit or name makes unlikely: percentages or averages added up, a year percentage over 100",
    ),
    Code.MEASURE_NOT_SUBMITTED: CodeInfo(("warning",), "a quarterly file without a catalogue measure for its quarter"),
    Code.RESTATED: CodeInfo(
        ("warning",), "two files give different values for the same measure and period (the later file wins)"
    ),
    Code.CONFIG_SYNTAX: CodeInfo(("error",), "`kpitool.toml` is not valid TOML, with its line (exit 2)", _USAGE),
    Code.CONFIG_INVALID: CodeInfo(
        ("error",), "`kpitool.toml` has a wrong key or value, with its line (exit 2)", _USAGE
    ),
    Code.TOTAL_MISMATCH: CodeInfo(
        ("error",),
        "a published year total, or a year figure, that its quarters do not give, or a quarter its months do not",
        audit=True,
    ),
    Code.UNCHECKED_YEAR: CodeInfo(
        ("info",),
        "a year figure beside its four quarters that kpitool cannot check: a rate or average no catalogue"
        " describes (its year may be weighted), or a ratio whose terms the file does not give; compare uses the quarters",
        audit=True,
    ),
    Code.CHANGE_MISMATCH: CodeInfo(
        ("error", "warning", "info"),
        "a published % change that its figures do not give (a warning when it follows from a wrong total shown,"
        " an info when it follows from the quarters but not from the total shown)",
        audit=True,
    ),
    Code.DIRECTION_MISMATCH: CodeInfo(
        ("error", "warning"),
        "a published arrow the band contradicts (a warning when it follows from a wrong total shown)",
        audit=True,
    ),
    Code.TARGET_MISMATCH: CodeInfo(
        ("error", "warning"),
        "a published met / not met (or RAG) that the year value and the target contradict (a warning when the"
        " table's target is not the catalogue's)",
        audit=True,
    ),
    Code.PARTS_MISMATCH: CodeInfo(
        ("error",), "a total that is not the sum of its parts, in the columns where it fails", audit=True
    ),
    Code.INCOMPLETE_TOTAL: CodeInfo(
        ("warning",),
        "a total that, where one of its parts has no figure, is the sum of the others: it leaves that part out,"
        " and so does its year (compare's note on the total says so)",
        audit=True,
    ),
    Code.RATIO_MISMATCH: CodeInfo(("error",), "a rate that is not its numerator over its denominator", audit=True),
    Code.ROUNDING: CodeInfo(("info",), "a published figure truncated rather than rounded", audit=True),
    Code.AUDIT_BOUNDED: CodeInfo(
        ("info",),
        "a table too large to search for every total and rate: parts and terms were looked for among nearby rows",
        audit=True,
    ),
    Code.CHANGE_IN_POINTS: CodeInfo(("info",), "a change in percentage points under a `%` heading", audit=True),
    Code.CHANGE_BASIS: CodeInfo(
        ("info",),
        "a change or arrow checked against a baseline year the table gives only as its quarters: which years"
        " (and quarters) were compared; or not checked, the row having no figure it runs from or to (a blank or"
        " `..` in its year column, or a quarter it is made from with no column or figure; named, on the row)",
        audit=True,
    ),
    Code.BAD_DATE: CodeInfo(
        ("error",), "a record whose date is not a month, a date or a timestamp: in no month, named by its row"
    ),
    Code.BLANK_VALUE: CodeInfo(
        ("warning",), "records with no value in a column that is added up or averaged (left out of it)"
    ),
    Code.MISSING_MONTH: CodeInfo(
        ("warning",), "an area with no records in a month where its other months have many (a missing monthly file?)"
    ),
    Code.INCOMPLETE_PERIOD: CodeInfo(
        ("info",), "a quarter of record data without records for one of its months: no figure until it has them"
    ),
    Code.SUSPECT_ZERO: CodeInfo(
        ("warning",),
        "a 0 where every other period of the measure is 100 or more: a series break or a figure not collected,"
        " coded 0? (it is taken as 0)",
    ),
    Code.RENAMED_AREA: CodeInfo(
        ("warning",),
        "one code beside two names of the area (a trust renamed): kept as two areas unless --area-col names the code",
    ),
    Code.PERCENT_FRACTION: CodeInfo(
        ("warning",),
        "a percentage measure whose every value lies between 0 and 1: fractions of one (0.021 for 2.1%)? (taken as"
        " written)",
    ),
    Code.CALENDAR_YEAR_HINT: CodeInfo(
        ("warning",),
        "a file whose title, sheet name or a column heading says calendar years or quarters, read in UK financial"
        " years (the default: its January to March is the previous year's Q4); `--year-start january` reads"
        " calendar years (compare's notes say so too)",
    ),
}


def readme_row(code: Code) -> str:
    """The code's row in the README's table of codes."""
    info = REGISTRY[code]
    return f"| `{code.value}` | {' / '.join(info.severities)} | {info.description} |"
