"""The report as a Word document (python-docx): heading styles, so that Word builds its contents;
real tables whose header row repeats on every page; charts as images with alternative text (the
trend panels, and under --method spc each measure's XmR chart); the commentary as normal
paragraphs an officer can edit.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from kpitool.document import MeasureEntry, ReportDocument, ReportSection
from kpitool.render.charts import NO_TREND, panel_of, png_panels, trend_caption
from kpitool.render.safe import visible
from kpitool.render.tables import NUMERIC_FROM, caption, entry_cells, note_marks, table_headers

if TYPE_CHECKING:
    from docx.document import Document
    from docx.shared import Length
    from docx.table import _Cell
    from docx.text.paragraph import Paragraph

CHART_COLUMNS = 3
MARGIN_CM = 1.5
PAGE_CM = 21.0 - 2 * MARGIN_CM  # the A4 page between its margins


def _text(value: str) -> str:
    """Text Word can hold: control characters (which XML refuses) written out as ``\\x1b``."""
    return visible(value).replace("\t", " ")


def _field(paragraph: Paragraph, kind: str, instruction: str | None = None) -> None:
    """A field character (begin, separate, end) or instruction, so that Word can rebuild the contents."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run = paragraph.add_run()._r
    if instruction is not None:
        element = OxmlElement("w:instrText")
        element.set(qn("xml:space"), "preserve")
        element.text = instruction
    else:
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
    run.append(element)


def _contents(document: Document, doc: ReportDocument) -> None:
    """A table-of-contents field, its result already filled with the headings (Word updates the pages)."""
    heading = document.add_paragraph()
    heading.add_run("Contents").bold = True
    titles = [s.title for s in doc.sections] + ["Method"] + (["Notes"] if doc.notes or doc.skipped else [])
    for i, title in enumerate(titles):
        p = document.add_paragraph()
        if i == 0:
            _field(p, "begin")
            _field(p, "", 'TOC \\o "1-1" \\h \\z \\u')
            _field(p, "separate")
        p.add_run(f"{i + 1}. {_text(title)}")
        if i == len(titles) - 1:
            _field(p, "end")


def _repeat_header(row_element: object) -> None:
    """The header row repeats at the top of every page the table runs onto."""
    _keep_whole(row_element, ("w:tblHeader", "w:cantSplit"))


def _keep_whole(row_element: object, tags: tuple[str, ...] = ("w:cantSplit",)) -> None:
    """A row is never split across two pages."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tr_pr = row_element.get_or_add_trPr()  # type: ignore[attr-defined]
    for tag in tags:
        flag = OxmlElement(tag)
        flag.set(qn("w:val"), "true")
        tr_pr.append(flag)


def _cell(cell: _Cell, text: str, *, right: bool = False, bold: bool = False) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    paragraph = cell.paragraphs[0]
    run = paragraph.add_run(_text(text))
    run.font.size = Pt(7)
    run.font.name = "Arial"
    run.bold = bold
    paragraph.paragraph_format.space_after = Pt(0)
    if right:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _table(document: Document, doc: ReportDocument, section: ReportSection) -> None:
    from docx.shared import Pt

    cap = document.add_paragraph(_text(caption(doc, section)), style="Caption")
    cap.paragraph_format.keep_with_next = True
    heads = table_headers(doc)
    last_numeric = heads.index("Direction") - 1
    table = document.add_table(rows=1, cols=len(heads))
    table.style = "Table Grid"
    table.autofit = False
    for i, (cell, head) in enumerate(zip(table.rows[0].cells, heads, strict=True)):
        _cell(cell, head, right=NUMERIC_FROM <= i <= last_numeric, bold=True)
    _repeat_header(table.rows[0]._tr)
    for entry in section.entries:
        row = table.add_row()
        _keep_whole(row._tr)
        cells = row.cells
        texts = entry_cells(doc, entry)
        texts[0] = " ".join([texts[0], *note_marks(entry)])
        for i, (cell, text) in enumerate(zip(cells, texts, strict=True)):
            _cell(cell, text, right=NUMERIC_FROM <= i <= last_numeric, bold=i == last_numeric + 2)
    grid = [heads, *(entry_cells(doc, e) for e in section.entries)]
    for column, width in zip(table.columns, _widths(grid), strict=True):
        column.width = width  # the grid, which LibreOffice reads; the cells, which Word reads
        for cell in column.cells:
            cell.width = width
    document.add_paragraph().paragraph_format.space_after = Pt(2)


def _widths(grid: list[list[str]]) -> list[Length]:
    """Each figure's column as wide as its longest word (a heading breaks between words, never inside
    one); the measure's name takes the rest of the width between the A4 page's margins."""
    from docx.shared import Cm

    page, per_char, padding = PAGE_CM, 0.15, 0.42  # 7 pt Arial
    needed = [
        max(len(word) for row in grid for word in row[i].split() or [""]) * per_char + padding
        for i in range(1, len(grid[0]))
    ]
    scale = min(1.0, (page - 2.2) / sum(needed))
    widths = [w * scale for w in needed]
    return [Cm(page - sum(widths)), *[Cm(w) for w in widths]]


def _alternative(picture: Paragraph, title: str, description: str) -> None:
    """The picture's title and alternative text, which a screen reader reads."""
    for properties in picture._p.xpath(".//wp:docPr"):
        properties.set("descr", _text(description))
        properties.set("title", _text(title))


def _chart(document: Document, section: ReportSection) -> None:
    from docx.shared import Cm

    panels = [p for p in (panel_of(e.comparison) for e in section.entries) if p.drawable]
    if not panels:
        document.add_paragraph(NO_TREND)
        return
    columns = min(CHART_COLUMNS, len(panels))
    document.add_paragraph(f"{trend_caption(panels)} (the figures are in the table above).", style="Caption")
    document.add_picture(io.BytesIO(png_panels(panels, columns)), width=Cm(5.6 * columns))
    title = f"{section.title}: {trend_caption(panels).lower()}"
    _alternative(document.paragraphs[-1], title, " ".join(p.alternative() for p in panels))


def _control_charts(document: Document, section: ReportSection) -> None:
    """Under --method spc, each measure's XmR chart as `kpitool chart` draws it (where it has
    limits), as a picture of the page's width."""
    from docx.shared import Cm

    from kpitool.render.svg import CONTROL_NOTE, chart_png, chart_title, description, with_limits

    charted = [(e.comparison, chart) for e in section.entries if (chart := with_limits(e.comparison))]
    if not charted:
        return
    document.add_heading("Control charts (XmR)", level=2)
    document.add_paragraph(_text(CONTROL_NOTE))
    for row, chart in charted:
        document.add_picture(io.BytesIO(chart_png(row, chart)), width=Cm(PAGE_CM))
        _alternative(document.paragraphs[-1], f"{chart_title(row)}: control chart (XmR)", description(row, chart))


def _commentary(document: Document, entries: list[MeasureEntry]) -> None:
    document.add_heading("Commentary", level=2)
    for entry in entries:
        document.add_paragraph(_text(" ".join(entry.commentary)))


def render_docx(doc: ReportDocument) -> bytes:
    from docx import Document as new_document
    from docx.shared import Cm

    document = new_document()
    for page in document.sections:
        page.page_height, page.page_width = Cm(29.7), Cm(21.0)  # A4
        page.left_margin = page.right_margin = Cm(MARGIN_CM)
        page.top_margin = page.bottom_margin = Cm(MARGIN_CM)
    document.core_properties.title = _text(doc.subtitle or doc.title)
    document.core_properties.author = "kpitool"
    if doc.subtitle:
        document.add_paragraph(_text(doc.title), style="Subtitle")
    document.add_paragraph(_text(doc.subtitle or doc.title), style="Title")
    for line in (doc.period, doc.as_at, f"Source: {doc.source}" if doc.source else ""):
        if line:
            document.add_paragraph(_text(line))
    _contents(document, doc)
    for section in doc.sections:
        document.add_heading(_text(section.title), level=1)
        _table(document, doc, section)
        _chart(document, section)
        _control_charts(document, section)
        _commentary(document, section.entries)
    document.add_heading("Method", level=1)
    for note in [*doc.method, doc.drafted]:
        document.add_paragraph(_text(note), style="List Bullet")
    if doc.notes or doc.skipped:
        document.add_heading("Notes", level=1)
        for i, note in enumerate(doc.notes, start=1):
            document.add_paragraph(_text(f"[note {i}] {note}"))
        if doc.skipped:
            document.add_heading("Input rows not read", level=2)
            for line in doc.skipped:
                document.add_paragraph(_text(line), style="List Bullet")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
