"""Cells an .xlsx shows as percentages (0.915 formatted 0.0%) are the percentages they show."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from kpitool.compare import compare
from kpitool.readers import read_observations
from kpitool.readers.base import ReadOptions
from kpitool.readers.cell_formats import is_percent_format, is_percent_sign_format, percent_cells, percent_text
from kpitool.validate import validate_files

QUARTERS = [f"2022/23 Q{q}" for q in range(1, 5)] + [f"2023/24 Q{q}" for q in range(1, 5)]


def _book(path: Path, rows: list[list[object]], percent_columns: set[int], fmt: str = "0.0%") -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Data"
    for row in rows:
        sheet.append(row)
    for r in range(2, len(rows) + 1):
        for c in percent_columns:
            sheet.cell(r, c).number_format = fmt
    book.save(path)
    return path


@pytest.mark.parametrize(
    ("code", "percent"),
    [("0%", True), ("0.0%", True), ("#,##0.00%;[Red]-#,##0.00%", True), ('0.0"%"', False), ("0.0\\%", False),
     ("#,##0", False), ("[$%-809]0.0", False), ("General", False)],
)  # fmt: skip
def test_a_number_format_shows_a_percentage_by_an_unquoted_percent_sign(code: str, percent: bool) -> None:
    assert is_percent_format(code) is percent


@pytest.mark.parametrize(
    ("value", "text"),
    [(0.915, "91.5%"), (0.0157, "1.57%"), (1.0, "100%"), (-0.05, "-5%"), (0.94, "94%"), (1e-05, "0.001%")],
)
def test_a_fraction_reads_as_the_percentage_it_shows(value: float, text: str) -> None:
    assert percent_text(value) == text


def test_percent_formatted_cells_are_percentages_not_small_numbers(tmp_path: Path) -> None:
    rows: list[list[object]] = [
        ["Measure", *QUARTERS],
        ["Calls answered in 10s", 0.91, 0.92, 0.93, 0.94, 0.81, 0.82, 0.83, 0.84],
        ["999 calls", 1000, 1100, 1200, 1300, 1000, 1100, 1200, 1300],
    ]
    path = _book(tmp_path / "wide.xlsx", rows, set(range(2, 10)) - {0})
    # only the first measure's cells are formatted: the counts' row stays as it is
    book = openpyxl.load_workbook(path)
    sheet = book["Data"]
    for c in range(2, 10):
        sheet.cell(3, c).number_format = "General"
    book.save(path)
    assert percent_cells(path) == {"Data": {(2, c): True for c in range(2, 10)}}
    report = compare(read_observations([path], ReadOptions()))
    calls, counts = report.comparisons
    assert (calls.unit, calls.aggregate) == ("percent", "mean")
    assert calls.baseline_value == pytest.approx(92.5) and calls.current_value == pytest.approx(82.5)
    assert calls.change_unit == "pp" and calls.change == pytest.approx(-10.0) and calls.direction == "down"
    assert (counts.unit, counts.current_value) == ("count", 4600)
    said = [f.message for f in validate_files([path]).findings]
    assert any("8 cells formatted as percentages" in m for m in said)


def test_a_published_change_formatted_as_a_percentage_is_audited_as_one(tmp_path: Path) -> None:
    rows: list[list[object]] = [
        ["Measure", "2022/23", "2023/24", "% change"],
        ["Burglary", 400, 426, 0.065],  # +6.5%, shown as 6.5%: right
        ["Robbery", 100, 102, 0.2],  # +2%, shown as 20.0%: wrong
    ]
    path = _book(tmp_path / "table.xlsx", rows, {4})
    errors = [f for f in validate_files([path]).findings if f.severity == "error"]
    assert [(f.code, f.row) for f in errors] == [("change-mismatch", 3)], errors


def test_a_sheet_of_rows_with_a_percent_column(tmp_path: Path) -> None:
    rows: list[list[object]] = [["Force", "Period", "Detected"]]
    rows += [["North", q, 0.2 + n / 100] for n, q in enumerate(QUARTERS)]
    path = _book(tmp_path / "rows.xlsx", rows, {3})
    (row,) = compare(read_observations([path], ReadOptions())).comparisons
    assert row.unit == "percent" and row.baseline_value == pytest.approx(21.5) and row.change == pytest.approx(4.0)


def test_a_workbook_without_percent_formats_or_not_a_zip_has_none(tmp_path: Path) -> None:
    assert percent_cells(_book(tmp_path / "plain.xlsx", [["Measure", *QUARTERS], ["A", *range(8)]], set())) == {}
    (tmp_path / "bad.xlsx").write_bytes(b"not a zip")
    assert percent_cells(tmp_path / "bad.xlsx") == {}


@pytest.mark.parametrize(
    ("code", "sign"),
    [('0.0"%"', True), ("0.0\\%", True), ('0" %"', True), ("0.0%", False), ("#,##0", False), ('"%"', False)],
)
def test_a_literal_percent_sign_shows_the_figure_as_it_is(code: str, sign: bool) -> None:
    assert is_percent_sign_format(code) is sign


def test_a_cell_shown_with_a_literal_percent_sign_is_that_percentage(tmp_path: Path) -> None:
    rows: list[list[object]] = [["Measure", *QUARTERS], ["Answered", 91, 92, 91.5, 91.5, 80, 81, 82, 83]]
    path = _book(tmp_path / "signed.xlsx", rows, set(range(2, 10)), fmt='0.0"%"')
    assert percent_cells(path) == {"Data": {(2, c): False for c in range(2, 10)}}
    (row,) = compare(read_observations([path], ReadOptions())).comparisons
    assert row.unit == "percent" and row.baseline_value == pytest.approx(91.5) and row.change == pytest.approx(-10.0)


def test_a_sheet_of_measure_period_value_rows_is_read_as_a_long_file(tmp_path: Path) -> None:
    rows: list[list[object]] = [["measure", "period", "value"]]
    rows += [["Answered", q, 0.9 - n / 100] for n, q in enumerate(QUARTERS)]
    path = _book(tmp_path / "long.xlsx", rows, {3})
    (row,) = compare(read_observations([path], ReadOptions())).comparisons
    assert (row.measure, row.unit) == ("Answered", "percent")
    assert row.baseline_value == pytest.approx(88.5) and row.current_value == pytest.approx(84.5)


def _ods(path: Path, rows_xml: str) -> Path:
    import zipfile

    ns = (
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
    )
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ns} office:version="1.2"><office:body>'
        f'<office:spreadsheet><table:table table:name="Data">{rows_xml}</table:table></office:spreadsheet>'
        "</office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest'
        ' xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>'
    )
    with zipfile.ZipFile(path, "w") as book:
        book.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", compress_type=zipfile.ZIP_STORED)
        book.writestr("content.xml", content)
        book.writestr("META-INF/manifest.xml", manifest)
    return path


def test_an_ods_cell_typed_percentage_is_the_percentage_it_shows(tmp_path: Path) -> None:
    def text(t: str) -> str:
        return f'<table:table-cell office:value-type="string"><text:p>{t}</text:p></table:table-cell>'

    def pct(v: float, repeat: int = 1) -> str:
        rep = f' table:number-columns-repeated="{repeat}"' if repeat > 1 else ""
        return f'<table:table-cell{rep} office:value-type="percentage" office:value="{v}"><text:p>x</text:p></table:table-cell>'

    head = "<table:table-row>" + text("Measure") + "".join(text(q) for q in QUARTERS) + "</table:table-row>"
    body = "<table:table-row>" + text("Answered") + pct(0.9, 4) + "".join(pct(v) for v in (0.8, 0.81, 0.82, 0.83))
    path = _ods(tmp_path / "t.ods", head + body + "</table:table-row>")
    assert percent_cells(path) == {"Data": {(2, c): True for c in range(2, 10)}}  # the repeated cell counted four times
    (row,) = compare(read_observations([path], ReadOptions())).comparisons
    assert row.unit == "percent" and row.baseline_value == pytest.approx(90.0) and row.change == pytest.approx(-8.5)


def test_a_year_heading_formatted_as_a_percent_is_the_year_it_says(tmp_path: Path) -> None:
    rows: list[list[object]] = [["Measure", 2022, 2023], ["Satisfaction", 0.81, 0.85], ["Crimes", 100, 120]]
    path = _book(tmp_path / "years.xlsx", rows, set())
    book = openpyxl.load_workbook(path)
    sheet = book["Data"]
    for c in (2, 3):  # the headings and the percentages share the column's 0% format, as a copied format does
        sheet.cell(1, c).number_format = sheet.cell(2, c).number_format = "0%"
    book.save(path)
    satisfaction, crimes = compare(read_observations([path], ReadOptions())).comparisons
    assert (satisfaction.baseline_period, satisfaction.current_period) == ("2022", "2023")
    assert satisfaction.unit == "percent" and satisfaction.change == pytest.approx(4.0)
    assert (crimes.unit, crimes.baseline_value, crimes.current_value) == ("count", 100, 120)
    said = {f.message for f in validate_files([path]).findings}
    assert not any("202200%" in m for m in said), said
    assert any("2 cells formatted as percentages" in m for m in said)
    assert any("headings formatted as a percentage in the spreadsheet, read as written" in m for m in said)


def _counts_formatted_as_percents(tmp_path: Path) -> Path:
    rows: list[list[object]] = [
        ["Measure", *QUARTERS],
        ["999 calls", 100, 110, 120, 130, 140, 150, 160, 170],
        ["Answered in 10s", 0.81, 0.82, 0.83, 0.84, 0.85, 0.86, 0.87, 0.88],
    ]
    return _book(tmp_path / "counts.xlsx", rows, set(range(2, 10)), fmt="0%")


def test_a_count_formatted_as_a_percent_is_said_to_be_so(tmp_path: Path) -> None:
    findings = validate_files([_counts_formatted_as_percents(tmp_path)]).findings
    out = [f for f in findings if f.code == "percent-out-of-range"]
    assert [(f.row, f.column) for f in out] == [(2, c) for c in range(2, 10)]
    assert out[0].actual == "10,000%"
    assert "the cell holds 100 but is formatted as a percent in the spreadsheet" in out[0].message, out[0].message


def test_a_catalogue_count_formatted_as_a_percent_is_an_error_not_100_times_the_count(tmp_path: Path) -> None:
    from kpitool.catalogue import load_catalogue

    (tmp_path / "kpitool.toml").write_text(
        '[[measure]]\nname = "999 calls"\nunit = "count"\n\n[[measure]]\nname = "Answered in 10s"\nunit = "percent"\n',
        encoding="utf-8",
    )
    catalogue = load_catalogue(tmp_path / "kpitool.toml")
    report = validate_files([_counts_formatted_as_percents(tmp_path)], catalogue)
    out = [f for f in report.findings if f.severity == "error"]
    assert {f.code for f in out} == {"percent-in-count"} and len(out) == 8
    assert "formatted as a percent in the spreadsheet: it holds 100, shown (and read) as 10,000%" in out[0].message
