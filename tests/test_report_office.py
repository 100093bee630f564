"""kpitool report --format docx and xlsx, re-opened with python-docx and openpyxl.

Word: heading styles (Word's contents are built from them), real tables with a repeating header
row, charts as images with alternative text, commentary as plain paragraphs. Excel: the
accessible-spreadsheet rules — cover, contents and notes sheets, one table a sheet with one header
row, no merged cells, no cell that is only a symbol, numbers stored as numbers with formats.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import EXAMPLES
from kpitool.cli import app
from kpitool.document import ReportDocument, build_document
from kpitool.models import CompareOptions
from kpitool.project import run_comparison
from kpitool.render.excel import render_xlsx
from kpitool.render.word import render_docx
from test_report import AS_AT, example_document

docx = pytest.importorskip("docx")
openpyxl = pytest.importorskip("openpyxl")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
SYMBOLS = set("↑↓↔→←▲▼●■◆★✓✗ ")


@pytest.fixture(scope="module")
def document() -> ReportDocument:
    mp = pytest.MonkeyPatch()
    try:
        return example_document(mp)
    finally:
        mp.undo()


@pytest.fixture(scope="module")
def word(document: ReportDocument):  # type: ignore[no-untyped-def]
    return docx.Document(io.BytesIO(render_docx(document)))


@pytest.fixture(scope="module")
def book(document: ReportDocument):  # type: ignore[no-untyped-def]
    return openpyxl.load_workbook(io.BytesIO(render_xlsx(document)))


# -- Word ----------------------------------------------------------------------------------------
def test_word_has_headings_word_can_build_contents_from(word, document: ReportDocument) -> None:  # type: ignore[no-untyped-def]
    level1 = [p.text for p in word.paragraphs if p.style.name == "Heading 1"]
    assert level1 == [s.title for s in document.sections] + ["Method", "Notes"]
    assert [p.style.name for p in word.paragraphs[:2]] == ["Subtitle", "Title"]
    assert word.paragraphs[1].text == "Key performance indicator report, Q4 2023/24"
    assert word.core_properties.title == "Key performance indicator report, Q4 2023/24"
    body = word.element.body.xml
    assert 'TOC \\o "1-1"' in body and body.count('w:fldCharType="begin"') == 1  # the contents field
    texts = [p.text for p in word.paragraphs]
    assert document.period in texts and AS_AT in texts


def test_word_tables_are_real_with_a_repeating_header(word, document: ReportDocument) -> None:  # type: ignore[no-untyped-def]
    assert len(word.tables) == len(document.sections)
    for table, section in zip(word.tables, document.sections, strict=True):
        header = table.rows[0]
        assert header._tr.trPr.find(f"{W}tblHeader") is not None
        assert len(table.rows) == len(section.entries) + 1
        assert not table._tbl.xpath(".//w:gridSpan | .//w:vMerge | .//w:hMerge")  # no merged cells
        for row in table.rows[1:]:
            assert row._tr.trPr.find(f"{W}cantSplit") is not None
            for cell in row.cells:
                assert not cell.text or set(cell.text) - SYMBOLS, cell.text
    calls = word.tables[1]
    assert [c.text for c in calls.rows[0].cells][-2:] == ["Direction", "Assessment"]
    assert [c.text for c in calls.rows[1].cells] == [
        "999 calls", "107,042", "31,539", "30,694", "26,284", "23,937", "112,454", "+5,412", "+5.1%", "↑ up",
        "not assessed",
    ]  # fmt: skip


def test_word_charts_are_images_with_alternative_text(word, document: ReportDocument) -> None:  # type: ignore[no-untyped-def]
    charted = [
        s
        for s in document.sections
        if any(len([q for q in e.comparison.quarters if q.value is not None]) > 1 for e in s.entries)
    ]
    assert len(word.inline_shapes) == len(charted) == 13
    descriptions = [d.get("descr") for d in word.element.body.xpath(".//wp:docPr")]
    assert all(descriptions) and "999 calls, by quarter: Q1 31,539; Q2 30,694; Q3 26,284; Q4 23,937." in descriptions[1]


def test_word_charts_a_month_against_a_month(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(EXAMPLES / "police-uk")
    out = tmp_path / "months.docx"
    result = CliRunner().invoke(app, ["report", "--baseline", "2022-11", "--current", "2022-12", "-o", str(out)])
    assert result.exit_code == 0, result.output
    word = docx.Document(str(out))
    assert len(word.inline_shapes) == 6  # a chart of each table's months
    shapes = word.element.body.xpath(".//wp:docPr")
    assert all((d.get("title") or "").endswith(": trend by month") for d in shapes)
    assert (shapes[0].get("descr") or "").startswith("ASB incidents, by month: 2022-04 30; 2022-05 30;")
    assert not any(p.text.startswith("No trend chart") for p in word.paragraphs)


def test_word_commentary_is_plain_editable_paragraphs(word, document: ReportDocument) -> None:  # type: ignore[no-untyped-def]
    paragraphs = {p.text: p for p in word.paragraphs}
    for section in document.sections:
        for entry in section.entries:
            p = paragraphs[" ".join(entry.commentary)]
            assert p.style.name == "Normal" and not p._p.xpath(".//w:fldChar | .//w:sdt")
    notes = [p.text for p in word.paragraphs if p.text.startswith("[note ")]
    assert notes == [f"[note {i}] {n}" for i, n in enumerate(document.notes, start=1)]


# -- Excel ---------------------------------------------------------------------------------------
def test_excel_has_cover_contents_notes_and_a_table_a_sheet(book, document: ReportDocument) -> None:  # type: ignore[no-untyped-def]
    tables = [f"Table_{i}" for i in range(1, len(document.sections) + 1)]
    assert book.sheetnames == ["Cover", "Contents", "Notes", "Commentary", *tables]
    assert book["Cover"]["A1"].value == "Key performance indicator report, Q4 2023/24"
    cover = [c.value for c in book["Cover"]["A"] if c.value]
    assert document.period in cover and AS_AT in cover and all(n in cover for n in document.method)
    contents = book["Contents"]
    links = {c.value: c.hyperlink.location for c in contents["A"] if c.hyperlink}
    assert links["Table_2"] == "'Table_2'!A1" and set(links) == {"Notes", "Commentary", *tables}
    notes = [r for r in book["Notes"].iter_rows(values_only=True) if r[0] and str(r[0]).startswith("[note")]
    assert notes == [(f"[note {i}]", n) for i, n in enumerate(document.notes, start=1)]
    for name in book.sheetnames[1:]:
        sheet = book[name]
        assert len(sheet.tables) == 1, name  # one table a sheet, marked up as a table
        (table,) = sheet.tables.values()
        first = table.ref.split(":")[0]
        assert first.startswith("A") and table.headerRowCount in (None, 1)
        # the table starts right under its title and notes: no blank row between, none inside
        top = int(first[1:])
        assert all(sheet.cell(r, 1).value for r in range(1, top + 1))


def test_excel_is_accessible(book) -> None:  # type: ignore[no-untyped-def]
    for sheet in book.worksheets:
        assert not sheet.merged_cells.ranges, sheet.title
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value:
                    assert set(cell.value) - SYMBOLS, (sheet.title, cell.coordinate, cell.value)
                    assert not cell.value.startswith("="), cell.coordinate


def test_excel_numbers_are_numbers_with_display_formats(book) -> None:  # type: ignore[no-untyped-def]
    sheet = book["Table_2"]
    rows = list(sheet.iter_rows(values_only=False))
    header = next(i for i, r in enumerate(rows) if r[0].value == "Measure")
    heads = [c.value for c in rows[header]]
    assert heads[:5] == ["Measure", "Notes", "Unit", "Baseline period", "Baseline value"]
    calls = dict(zip(heads, rows[header + 1], strict=True))
    assert calls["Measure"].value == "999 calls"
    assert calls["Baseline value"].value == 107042 and calls["Baseline value"].number_format == "#,##0"
    assert calls["2023/24 value"].value == 112454
    assert calls["Change from baseline"].value == 5412 and calls["Change from baseline"].number_format.startswith("+")
    assert calls["Percentage change from baseline"].value == pytest.approx(5412 / 107042)
    assert calls["Percentage change from baseline"].number_format == "+0.0%;-0.0%;0.0%"
    assert calls["Direction of travel"].value == "↑ up" and calls["Assessment"].value == "not assessed"
    rate = next(r for r in book["Table_4"].iter_rows() if r[0].value == "Resolved rate")
    by = dict(zip(heads, rate, strict=False))
    assert by["Baseline value"].value == pytest.approx(0.137, abs=1e-3) and by["Baseline value"].number_format == "0.0%"
    assert by["Percentage change from baseline"].value == "[z]"  # a percentage changes in points, not per cent
    cctv = next(r for r in book["Table_13"].iter_rows() if r[0].value == "Alarm Activation")
    assert cctv[1].value == "[note 1] [note 2]" and cctv[4].value == "[x]" and cctv[5].value == "[x]"


def test_excel_keeps_markers_and_escapes_nothing_into_formulas(write) -> None:  # type: ignore[no-untyped-def]
    path = write(
        "d.csv",
        'measure,period,value\n"=HYPERLINK(""x"")",2022/23,10\n"=HYPERLINK(""x"")",2023/24 Q1,[c]\n'
        '"=HYPERLINK(""x"")",2023/24 Q2,5\n',
    )
    doc = build_document(run_comparison([path], None, CompareOptions()), None, as_at=AS_AT)
    sheet = openpyxl.load_workbook(io.BytesIO(render_xlsx(doc)))["Table_1"]
    row = next(r for r in sheet.iter_rows() if r[0].value and "HYPERLINK" in str(r[0].value))
    assert row[0].data_type == "s" and row[5].value == "[c]"


@pytest.mark.parametrize("suffix", ["docx", "xlsx"])
def test_report_command_writes_office_files(
    suffix: str, runner: CliRunner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(EXAMPLES)
    out = tmp_path / f"report.{suffix}"
    result = runner.invoke(app, ["report", "--section", "Call data", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes()[:2] == b"PK"
    assert runner.invoke(app, ["report", "-o", str(out)]).exit_code == 2  # never overwritten without --force
    named = tmp_path / "named.bin"
    assert runner.invoke(app, ["report", "--format", suffix, "-o", str(named), "--section", "Call data"]).exit_code == 0
    assert named.read_bytes()[:2] == b"PK"


def test_excel_a_revised_figure_stays_a_number_its_marker_beside_it(write) -> None:  # type: ignore[no-untyped-def]
    path = write(
        "d.csv",
        "measure,period,value\nBurglary,2022/23,900\nBurglary,2023/24 Q1,410[r]\nBurglary,2023/24 Q2,[c]\n"
        "Robbery,2022/23,90\nRobbery,2023/24 Q1,41\nRobbery,2023/24 Q2,40\n",
    )
    doc = build_document(run_comparison([path], None, CompareOptions()), None, as_at=AS_AT)
    rows = list(openpyxl.load_workbook(io.BytesIO(render_xlsx(doc)))["Table_1"].iter_rows(values_only=True))
    header = next(i for i, r in enumerate(rows) if r[0] == "Measure")
    table = [dict(zip(rows[header], r, strict=True)) for r in rows[header + 1 :]]
    burglary, robbery = table
    assert burglary["2023/24 Q1 value"] == 410 and burglary["2023/24 Q1 marker"] == "[r]"
    assert burglary["2023/24 Q2 value"] == "[c]" and "2023/24 Q2 marker" not in burglary  # the marker alone
    assert robbery["2023/24 Q1 value"] == 41 and robbery["2023/24 Q1 marker"] in ("", None)


def test_the_method_of_each_arrow_is_a_column_when_the_rows_differ(document: ReportDocument) -> None:
    """Under --method significance some rows cannot be tested and the band draws their arrow: each
    row then says which method drew it, in every format (one method for all: the method notes say it)."""
    from kpitool.render.html import render_html

    assert ">Method</th>" not in render_html(document)
    doc = document.model_copy(deep=True)
    first = doc.sections[0].entries[0]
    first.comparison = first.comparison.model_copy(update={"method": "spc"})
    doc.comparison.comparisons = [e.comparison for s in doc.sections for e in s.entries]
    page = render_html(doc)
    assert ">Method</th>" in page and '<td class="dir">spc</td>' in page and '<td class="dir">band</td>' in page
    table = docx.Document(io.BytesIO(render_docx(doc))).tables[0]
    assert table.rows[0].cells[-1].text == "Method" and table.rows[1].cells[-1].text == "spc"
    sheet = openpyxl.load_workbook(io.BytesIO(render_xlsx(doc)))["Table_1"]
    values = [c.value for row in sheet.iter_rows() for c in row]
    assert "Method of the direction" in values and "spc" in values and "band" in values


# -- XmR charts under --method spc ---------------------------------------------------------------
@pytest.fixture(scope="module")
def spc_document(tmp_path_factory: pytest.TempPathFactory) -> ReportDocument:
    """Two measures with 24 months each: enough points for limits (15), one with a shift."""
    from kpitool.periods import parse_period

    months = [f"{2023 + (3 + i) // 12}-{(3 + i) % 12 + 1:02d}" for i in range(24)]
    rows = [f"Answer time,{m},{v}" for m, v in zip(months, [9, 11] * 8 + [15] + [13] * 7, strict=True)]
    rows += [f"Other,{m},{v}" for m, v in zip(months, [5, 6] * 12, strict=True)]
    data = tmp_path_factory.mktemp("spc") / "m.csv"
    data.write_text("measure,period,value\n" + "\n".join(rows) + "\n", encoding="utf-8")
    options = CompareOptions(baseline=parse_period("2023/24"), method="spc")
    return build_document(run_comparison([data], None, options), None, as_at=AS_AT)


def _charted(doc: ReportDocument) -> list[tuple[str, str]]:
    """Each charted row's XmR title and text alternative, as the SVG has them."""
    from kpitool.render.svg import chart_title, description, with_limits

    out = []
    for section in doc.sections:
        for e in section.entries:
            if chart := with_limits(e.comparison):
                out.append((f"{chart_title(e.comparison)}: control chart (XmR)", description(e.comparison, chart)))
    return out


def test_word_has_each_xmr_chart_as_a_picture_with_its_text_alternative(spc_document: ReportDocument) -> None:
    from PIL import Image

    charted = _charted(spc_document)
    assert len(charted) == 2
    word = docx.Document(io.BytesIO(render_docx(spc_document)))
    assert [p.text for p in word.paragraphs if p.style.name == "Heading 2"].count("Control charts (XmR)") == 1
    shapes = [(d.get("title"), d.get("descr")) for d in word.element.body.xpath(".//wp:docPr")]
    assert shapes[1:] == charted  # after the section's trend panels, each measure's XmR chart
    assert "Latest point 13 (2025-03): special cause" in charted[0][1]
    pictures = [r.target_part.blob for r in word.part.rels.values() if r.reltype.endswith("/image")]
    sizes = sorted(Image.open(io.BytesIO(b)).size for b in pictures)
    assert sizes.count((1440, 720)) == 2  # the 720 × 360 chart at twice its size, sharp when printed


def test_excel_has_a_sheet_of_xmr_charts_with_their_points_and_alt_text(spc_document: ReportDocument) -> None:
    import re
    import zipfile

    data = render_xlsx(spc_document)
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames[-2:] == ["Table_1", "Chart_1"]
    test_excel_is_accessible(book)  # every sheet, the chart sheet too
    links = {c.value: c.hyperlink.location for c in book["Contents"]["A"] if c.hyperlink}
    assert links["Chart_1"] == "'Chart_1'!A1"
    sheet = book["Chart_1"]
    assert not sheet.merged_cells.ranges and len(sheet.tables) == 1
    (table,) = sheet.tables.values()
    rows = list(sheet[table.ref])
    heads = [c.value for c in rows[0]]
    assert heads == ["Measure", "Period", "Value", "Mean", "Upper process limit", "Lower process limit", "Point"]
    points = [dict(zip(heads, r, strict=True)) for r in rows[1:]]
    assert len(points) == 48 and [p["Measure"].value for p in points].count("Answer time") == 24
    first = points[0]
    assert first["Period"].value == "2023-04" and first["Value"].value == 9
    row = spc_document.sections[0].entries[0].comparison
    assert row.spc is not None and first["Mean"].value == pytest.approx(row.spc.mean)  # full precision kept
    assert first["Mean"].number_format == "#,##0"  # shown as the chart's legend shows it
    kinds = {p["Point"].value for p in points}
    assert "common cause" in kinds and any(k.startswith("special cause") for k in kinds)
    assert all(set(str(p["Point"].value)) - SYMBOLS for p in points)  # words, never only a shape
    assert len(sheet._images) == 2
    assert all(image.anchor._from.col > len(heads) for image in sheet._images)  # beside the table, not on it
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        drawing = z.read("xl/drawings/drawing1.xml").decode()
    descriptions = [d.replace("&amp;", "&") for d in re.findall(r'descr="([^"]*)"', drawing)]
    assert descriptions == [d for _, d in _charted(spc_document)]
