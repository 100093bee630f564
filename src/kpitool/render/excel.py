"""The report as an accessible spreadsheet (xlsxwriter), after the Government Analysis Function's
rules for releasing statistics in spreadsheets: a cover sheet, a contents sheet, a notes sheet,
one table per sheet with one header row, no merged cells, numbers stored as numbers with display
formats, ``[x]`` / ``[z]`` where a figure is not available or does not apply, notes as ``[note N]``,
and no cell made only of a symbol (the arrows carry their words). Under --method spc, a sheet a
table of its XmR charts: their points as a table, each chart beside it as a picture with its
alternative text.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

from kpitool.document import MeasureEntry, ReportDocument, ReportSection
from kpitool.models import Unit
from kpitool.render.safe import visible
from kpitool.render.svg import chart_png, chart_title, description, point_kinds, with_limits
from kpitool.render.tables import caption, method_of, note_marks, shows_method
from kpitool.render.values import assessment_words, direction_words

if TYPE_CHECKING:
    from xlsxwriter.format import Format
    from xlsxwriter.workbook import Workbook
    from xlsxwriter.worksheet import Worksheet

NOT_AVAILABLE = "[x]"
NOT_APPLICABLE = "[z]"
CHART_ROWS = 19  # the rows (of 20 px) an XmR chart (360 px) takes, and one between charts

VALUE_FORMAT: dict[Unit, str] = {
    "count": "#,##0",
    "currency": "£#,##0",
    "seconds": "#,##0.0",
    "number": "#,##0.0",
    "percent": "0.0%",
}
CHANGE_FORMAT: dict[Unit, str] = {
    "count": "+#,##0;-#,##0;0",
    "currency": "+£#,##0;-£#,##0;£0",
    "seconds": "+#,##0.0;-#,##0.0;0.0",
    "number": "+#,##0.0;-#,##0.0;0.0",
    "percent": '+0.0" pp";-0.0" pp";0.0" pp"',
}
PCT_FORMAT = "+0.0%;-0.0%;0.0%"
UNIT_WORDS: dict[Unit, str] = {
    "count": "count",
    "currency": "pounds",
    "seconds": "seconds",
    "number": "number",
    "percent": "per cent (change in percentage points)",
}


def _t(text: str) -> str:
    """A text cell: control characters written out; a leading ``=`` can never start a formula
    (every text is written with write_string, which stores it as text)."""
    return visible(text)


class _Book:
    """The workbook and its formats, made once."""

    def __init__(self, out: io.BytesIO) -> None:
        import xlsxwriter

        self.book: Workbook = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False})
        self.title = self.book.add_format({"bold": True, "font_size": 15})
        self.heading = self.book.add_format({"bold": True, "font_size": 12})
        self.wrap = self.book.add_format({"text_wrap": True, "valign": "top"})
        self.link = self.book.add_format({"font_color": "#1d4f91", "underline": 1})
        self.head = self.book.add_format({"bold": True, "text_wrap": True, "valign": "top"})
        self._numbers: dict[str, Format] = {}

    def number(self, pattern: str) -> Format:
        if pattern not in self._numbers:
            self._numbers[pattern] = self.book.add_format({"num_format": pattern, "valign": "top"})
        return self._numbers[pattern]

    def table(
        self, sheet: Worksheet, top: int, name: str, headers: list[str], rows: list[list[Any]], widths: list[int]
    ) -> None:
        """One table, its one header row at row ``top`` (0-based), marked up as an Excel table; cells
        written one by one so that each keeps its own type and display format."""
        for r, row in enumerate(rows, start=top + 1):
            for col, value in enumerate(row):
                if isinstance(value, tuple):  # (number, display format)
                    sheet.write_number(r, col, value[0], self.number(value[1]))
                elif isinstance(value, int | float):
                    sheet.write_number(r, col, value)
                else:
                    sheet.write_string(r, col, _t(value), self.wrap)
        sheet.add_table(
            top,
            0,
            top + max(len(rows), 1),
            len(headers) - 1,
            {
                "name": name,
                "style": "Table Style Light 1",
                "autofilter": False,
                "header_row": True,
                "columns": [{"header": _t(h), "header_format": self.head} for h in headers],
            },
        )
        for col, width in enumerate(widths):
            sheet.set_column(col, col, width)


def _about(sheet: Worksheet, book: _Book, title: str, lines: list[str]) -> int:
    """A1 the sheet's title, then a line a cell (what the sheet holds, its source, its markers);
    the row the table's header goes in, right under them."""
    sheet.write_string(0, 0, _t(title), book.title)
    for i, line in enumerate(lines, start=1):
        sheet.write_string(i, 0, _t(line))
    return len(lines) + 1


def _value(value: float | None, unit: Unit, marker: str | None = None) -> Any:
    """A number with its display format; a missing one as its marker ([c], ..) or [x]."""
    if value is None:
        return marker or NOT_AVAILABLE
    return (value / 100, VALUE_FORMAT[unit]) if unit == "percent" else (value, VALUE_FORMAT[unit])


def _marked(doc: ReportDocument, section: ReportSection) -> list[str]:
    """The quarters where some row has a figure with a marker ([r] revised, [e] estimated): each gets
    a marker column beside it, so that the figure stays a number."""
    return [
        p
        for p in doc.comparison.quarters
        if any(
            q.period == p and q.marker and q.value is not None for e in section.entries for q in e.comparison.quarters
        )
    ]


def _row(doc: ReportDocument, entry: MeasureEntry, marked: list[str]) -> list[Any]:
    c = entry.comparison
    by_period = {q.period: q for q in c.quarters}
    quarters: list[Any] = []
    for p in doc.comparison.quarters:
        q = by_period.get(p)
        quarters.append(_value(q.value, c.unit, q.marker) if q else NOT_AVAILABLE)
        if p in marked:
            quarters.append(q.marker if q and q.marker and q.value is not None else "")
    change = (c.change, CHANGE_FORMAT[c.unit]) if c.change is not None else NOT_AVAILABLE
    if c.unit == "percent":
        pct: Any = NOT_APPLICABLE
    else:
        pct = (c.change_pct / 100, PCT_FORMAT) if c.change_pct is not None else NOT_AVAILABLE
    return [
        c.measure,
        " ".join(note_marks(entry)) or "",
        UNIT_WORDS[c.unit],
        c.baseline_period or NOT_AVAILABLE,
        _value(c.baseline_value, c.unit),
        *quarters,
        _value(c.current_value, c.unit),
        change,
        pct,
        direction_words(c),
        assessment_words(c),
        *([method_of(c) or NOT_AVAILABLE] if shows_method(doc) else []),
    ]


def _section_sheet(book: _Book, doc: ReportDocument, section: ReportSection, number: int) -> None:
    sheet = book.book.add_worksheet(f"Table_{number}")
    marked = _marked(doc, section)
    quarters = [h for q in doc.comparison.quarters for h in (f"{q} value", *([f"{q} marker"] * (q in marked)))]
    headers = [
        "Measure",
        "Notes",
        "Unit",
        "Baseline period",
        "Baseline value",
        *quarters,
        f"{doc.comparison.current} value",
        "Change from baseline",
        "Percentage change from baseline",
        "Direction of travel",
        "Assessment",
        *(["Method of the direction"] if shows_method(doc) else []),
    ]
    rows = [_row(doc, e, marked) for e in section.entries]
    top = _about(
        sheet,
        book,
        f"Table {number}: {caption(doc, section)}",
        [
            "This worksheet contains one table. Some cells refer to notes, which can be found in the notes worksheet.",
            f"Source: {doc.source}" if doc.source else "Source: the input files named on the cover sheet.",
            f"{NOT_AVAILABLE} = not available; {NOT_APPLICABLE} = not applicable (a percentage's change is in"
            " percentage points, in the change column); [c] confidential, [r] revised, [e] estimated, as the"
            " data mark them.",
        ],
    )
    widths = [34, 12, 14, 12, 12, *[12] * len(quarters), 12, 12, 14, 14, 14, *[14] * shows_method(doc)]
    book.table(sheet, top, f"Table_{number}", headers, rows, widths)
    sheet.freeze_panes(top + 1, 1)


def _chart_sheet(book: _Book, section: ReportSection, number: int, title: str) -> None:
    """Under --method spc, a sheet of the table's XmR charts: one table of their points (value,
    mean, process limits, what each point shows, in words), and beside it each measure's chart as
    a picture with its alternative text."""
    charted = [(e.comparison, chart) for e in section.entries if (chart := with_limits(e.comparison))]
    sheet = book.book.add_worksheet(f"Chart_{number}")
    targets = any(row.target is not None for row, _ in charted)
    headers = ["Measure", "Period", "Value", "Mean", "Upper process limit", "Lower process limit"]
    headers += [*(["Target"] * targets), "Point"]
    rows: list[list[Any]] = []
    for row, chart in charted:
        start = chart.periods.index(chart.since) if chart.since in chart.periods else 0
        for i, (period, value, kind) in enumerate(
            zip(chart.periods, chart.values, point_kinds(row, chart), strict=True)
        ):
            lines = [
                _value(v, row.unit) if i >= start else NOT_APPLICABLE for v in (chart.mean, chart.upper, chart.lower)
            ]
            target = [_value(row.target, row.unit) if row.target is not None else NOT_APPLICABLE] * targets
            rows.append([chart_title(row), period, _value(value, row.unit), *lines, *target, kind])
    top = _about(
        sheet,
        book,
        title,
        [
            "This worksheet contains one table: the points of each measure's XmR chart. The charts are"
            " beside it, each with alternative text.",
            "Process limits: the mean ± 2.66 × the mean moving range, after NHS Making Data Count.",
            f"{NOT_APPLICABLE} = not applicable (before the limits' first period, or no target).",
        ],
    )
    book.table(sheet, top, f"Chart_{number}_points", headers, rows, [34, 14, *[12] * (len(headers) - 3), 28])
    sheet.freeze_panes(top + 1, 1)
    column = len(headers) + 1  # a column left empty between the table and the charts
    for k, (row, chart) in enumerate(charted):
        sheet.insert_image(
            top + k * CHART_ROWS,
            column,
            f"chart-{number}-{k + 1}.png",
            {
                "image_data": io.BytesIO(chart_png(row, chart)),
                "x_scale": 0.5,  # drawn at twice the size, for print
                "y_scale": 0.5,
                "description": _t(description(row, chart)),
                "object_position": 3,  # neither moved nor sized with the cells under it
            },
        )


def render_xlsx(doc: ReportDocument) -> bytes:
    out = io.BytesIO()
    book = _Book(out)
    book.book.set_properties({"title": _t(doc.subtitle or doc.title), "author": "kpitool"})

    cover = book.book.add_worksheet("Cover")
    cover.write_string(0, 0, _t(doc.subtitle or doc.title), book.title)
    lines = [doc.title if doc.subtitle else "", doc.period, doc.as_at, f"Source: {doc.source}" if doc.source else ""]
    row = 1
    for line in [x for x in lines if x]:
        cover.write_string(row, 0, _t(line), book.wrap)
        row += 1
    row += 1
    cover.write_string(row, 0, "Method", book.heading)
    for note in [*doc.method, doc.drafted]:
        row += 1
        cover.write_string(row, 0, _t(note), book.wrap)
    cover.set_column(0, 0, 110)

    contents = book.book.add_worksheet("Contents")
    top = _about(contents, book, "Contents", ["This worksheet contains one table. Select a sheet name to go to it."])
    sheets = [
        ("Notes", "Notes on the figures, referred to as [note N] in the tables"),
        ("Commentary", "Drafted commentary for each measure"),
    ]
    sheets += [(f"Table_{i}", caption(doc, s)) for i, s in enumerate(doc.sections, start=1)]
    charted = [(i, s) for i, s in enumerate(doc.sections, start=1) if any(with_limits(e.comparison) for e in s.entries)]
    sheets += [(f"Chart_{i}", f"Control charts (XmR) of table {i}: {caption(doc, s)}") for i, s in charted]
    book.table(contents, top, "Contents", ["Sheet name", "Table description"], [[n, d] for n, d in sheets], [16, 90])
    for r, (name, _) in enumerate(sheets, start=top + 1):
        contents.write_url(r, 0, f"internal:'{name}'!A1", book.link, name)

    notes = book.book.add_worksheet("Notes")
    top = _about(notes, book, "Notes", ["This worksheet contains one table."])
    note_rows = [[f"[note {i}]", n] for i, n in enumerate(doc.notes, start=1)]
    note_rows += [[f"[note {len(doc.notes) + i}]", s] for i, s in enumerate(doc.skipped, start=1)]
    book.table(notes, top, "Notes_table", ["Note number", "Note text"], note_rows or [["", "No notes."]], [14, 110])

    commentary = book.book.add_worksheet("Commentary")
    top = _about(
        commentary,
        book,
        "Drafted commentary",
        [
            "This worksheet contains one table: a drafted paragraph for each measure, from its figures alone.",
            "It states values, changes and directions, never a cause: check and edit it before publication.",
        ],
    )
    text_rows = [[s.title, e.comparison.measure, " ".join(e.commentary)] for s in doc.sections for e in s.entries]
    book.table(commentary, top, "Commentary_table", ["Section", "Measure", "Commentary"], text_rows, [26, 34, 120])

    for i, section in enumerate(doc.sections, start=1):
        _section_sheet(book, doc, section, i)
    for i, section in charted:
        _chart_sheet(book, section, i, f"Chart {i}: control charts (XmR) of table {i}: {caption(doc, section)}")
    book.book.close()
    return out.getvalue()
