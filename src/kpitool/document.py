"""The quarterly report as a document: title, period, contents, a section per table with its
drafted commentary, the method once, and the data caveats as numbered notes.

Library code: it returns a model, built from a comparison; the renderers (``render/html.py``,
``render/docx.py``, ``render/xlsx.py``) turn it into a file.
"""

from __future__ import annotations

import os
import re
from datetime import date, timedelta
from pathlib import Path

from pydantic import BaseModel, Field, field_validator

from kpitool.commentary import commentary
from kpitool.models import Catalogue, Comparison, ComparisonReport
from kpitool.periods import Period, YearStart, parse_period, quarter_span

NAMES_LISTED = 12  # a method note names this many measures, then says how many more
# notes about how kpitool read the data rather than about the data: said once, with the method
_METHOD_NOTE = re.compile(r"^Not in a catalogue: ")


DRAFTED = (
    "The commentary under each table was drafted by kpitool from the figures alone: it states values,"
    " changes and directions, never a cause. Check and edit it before publication."
)


class MeasureEntry(BaseModel):
    """One row of a section's table, its drafted commentary and the numbers of its notes."""

    comparison: Comparison
    commentary: list[str]
    notes: list[int] = Field(default_factory=list)  # 1-based numbers into ReportDocument.notes


class ReportSection(BaseModel):
    title: str
    anchor: str  # a stable identifier: the HTML id, the name of the table
    entries: list[MeasureEntry]


class ReportDocument(BaseModel):
    """Everything a report shows, in reading order; the comparison itself is kept whole."""

    title: str
    subtitle: str = ""
    period: str  # the period covered, in words
    as_at: str  # "Data as at …", from the input files
    source: str
    files: list[str]
    sections: list[ReportSection]
    method: list[str]  # the method notes, once, at the end
    drafted: str = DRAFTED  # what the commentary is, said with the method
    notes: list[str]  # the data caveats, numbered from 1 in this order
    skipped: list[str] = Field(default_factory=list)  # input rows left out (--skip-invalid)
    comparison: ComparisonReport

    @field_validator("comparison")
    @classmethod
    def _whole(cls, report: ComparisonReport) -> ComparisonReport:
        """The report with every row a model: a document dumped as JSON holds every row."""
        report.comparisons  # noqa: B018 (made when first read)
        return report


def _long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _end(p: Period) -> date:
    months = p.start.month - 1 + p.months
    return date(p.start.year + months // 12, months % 12 + 1, 1) - timedelta(days=1)


def period_words(label: str, year_start: YearStart = "april", latest: str | None = None) -> str:
    """``2023/24 (1 April 2023 to 31 March 2024)``; a year with data only to ``latest`` (a quarter)
    is said as what it is: ``2023/24 Q1–Q2 (1 April 2023 to 30 September 2023)``. The label alone
    when it is not a period."""
    try:
        p = parse_period(label, year_start)
        last = parse_period(latest, year_start) if latest else None
    except ValueError:
        return label
    if p.is_year and last is not None and last.is_quarter and last.year_period() == p and last.quarter != 4:
        return f"{p.label} {quarter_span(list(range(1, (last.quarter or 1) + 1)))} ({_long_date(p.start)} to {_long_date(_end(last))})"
    return f"{p.label} ({_long_date(p.start)} to {_long_date(_end(p))})"


def _latest_quarter(report: ComparisonReport, year_start: YearStart) -> str | None:
    """The latest quarter any row's value is made of."""
    labels = {q for c in report.comparisons for q in c.current_quarters}
    try:
        periods = [parse_period(q, year_start) for q in labels]
    except ValueError:
        return None
    return max(periods).label if periods else None


def data_as_at(files: list[str]) -> str:
    """The date the newest input file was last changed: what the figures are as at.

    ``SOURCE_DATE_EPOCH`` (reproducible builds) caps it, so that a report made from a fresh checkout
    can be made again byte for byte.
    """
    stamps = []
    for name in files:
        try:
            stamps.append(Path(name).stat().st_mtime)  # the paths as shown: from the working directory
        except OSError:
            continue
    if not stamps:
        return "Data as at: not known (no input file could be dated)"
    from datetime import UTC, datetime

    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return f"Data as at {_long_date(datetime.fromtimestamp(min(max(stamps), int(epoch)), UTC).date())}"
    return f"Data as at {_long_date(datetime.fromtimestamp(max(stamps)).date())} (the latest change to an input file)"


def anchor_of(title: str, taken: set[str]) -> str:
    """``call-data``: a section title as an identifier, unique within the document."""
    base = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "section"
    anchor, n = base, 2
    while anchor in taken:
        anchor, n = f"{base}-{n}", n + 1
    taken.add(anchor)
    return anchor


def _method_notes(report: ComparisonReport) -> list[str]:
    """The comparison's method notes, then each note about reading once, with the measures it is about."""
    about: dict[str, list[str]] = {}
    for c in report.comparisons:
        for n in c.notes:
            if _METHOD_NOTE.match(n):
                about.setdefault(n, []).append(c.measure)
    grouped = []
    for note, names in about.items():
        listed = ", ".join(names[:NAMES_LISTED]) + (
            f" and {len(names) - NAMES_LISTED} more" if len(names) > NAMES_LISTED else ""
        )
        grouped.append(f"{note.rstrip('.')}: {listed}.")
    return [*report.notes, *grouped]


def build_document(
    report: ComparisonReport, catalogue: Catalogue | None = None, *, as_at: str | None = None
) -> ReportDocument:
    """The report document for a comparison (``as_at``: a fixed "data as at" line, else from the files)."""
    year_start: YearStart = catalogue.year_start if catalogue else "april"
    notes: list[str] = []
    taken: set[str] = set()
    sections = []
    for title, rows in report.sections().items():
        entries = []
        for c in rows:
            numbers = []
            for n in c.notes:
                if _METHOD_NOTE.match(n):
                    continue
                if n not in notes:
                    notes.append(n)
                numbers.append(notes.index(n) + 1)
            entries.append(MeasureEntry(comparison=c, commentary=commentary(c), notes=sorted(set(numbers))))
        shown = title or "Measures"
        sections.append(ReportSection(title=shown, anchor=anchor_of(shown, taken), entries=entries))
    name = (
        catalogue.name if catalogue and catalogue.name else f"Performance: {report.current} against {report.baseline}"
    )
    period = period_words(report.current, year_start, _latest_quarter(report, year_start))
    if report.baseline:
        period += f", against the baseline {report.baseline}"
    source = catalogue.source if catalogue and catalogue.source else ""
    files = ", ".join(report.files)
    return ReportDocument(
        title=name,
        subtitle=catalogue.title if catalogue else "",
        period=period,
        as_at=as_at if as_at is not None else data_as_at(report.files),
        source=(f"{source}. Files: {files}" if source else f"Files: {files}") if files else source,
        files=report.files,
        sections=sections,
        method=_method_notes(report),
        notes=notes,
        skipped=[s.sentence for s in report.skipped],
        comparison=report,
    )
