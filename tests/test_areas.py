"""Areas as a dimension: an area column taken by its heading, --area, measures in columns, the shape said."""

from __future__ import annotations

import json

import pytest

from kpitool.compare import compare
from kpitool.errors import UsageError
from kpitool.models import CompareOptions
from kpitool.periods import parse_period
from kpitool.readers import ReadOptions, read_file, read_observations
from kpitool.readers.base import in_areas

BY_FORCE = "Force,measure,period,value\nDurham,Calls,2023/24 Q1,10\nKent,Calls,2023/24 Q1,20\n"


def test_a_column_headed_as_an_area_is_the_area_and_said_so(write) -> None:  # type: ignore[no-untyped-def]
    data = read_file(write("f.csv", BY_FORCE))
    assert data.frame["section"].astype(str).tolist() == ["Durham", "Kent"]
    (said,) = [f.message for f in data.findings]
    assert said.startswith("column 'Force' is taken as the area of each row (its heading names an area")


@pytest.mark.parametrize("heading", ["PFA", "Police force area", "Division", "Provider", "Local authority"])
def test_the_headings_that_name_an_area(heading: str, write) -> None:  # type: ignore[no-untyped-def]
    data = read_file(write("f.csv", BY_FORCE.replace("Force", heading, 1)))
    assert set(data.frame["section"].astype(str)) == {"Durham", "Kent"}


def test_a_name_beside_its_code_is_the_area(write) -> None:  # type: ignore[no-untyped-def]
    data = read_file(write("f.csv", "Code,Name,measure,period,value\nRX1,Durham,Calls,2023/24 Q1,10\n"))
    assert data.frame["section"].astype(str).tolist() == ["Durham"]
    assert "a name beside its code ('Code')" in data.findings[0].message
    assert [f.code for f in data.findings] == ["layout", "unknown-column"]  # the code itself is not read


def test_two_area_headings_are_ambiguous_and_neither_is_taken(write) -> None:  # type: ignore[no-untyped-def]
    data = read_file(write("f.csv", "Force,Division,measure,period,value\nD,North,Calls,2023/24 Q1,10\n"))
    assert data.frame["section"].astype(str).tolist() == [""]
    assert (
        "columns 'Force' and 'Division' could each be the area of a row, so none is taken" in data.findings[0].message
    )
    assert [f.code for f in data.findings] == ["layout", "unknown-column", "unknown-column"]


def test_an_area_heading_over_numbers_is_no_area(write) -> None:  # type: ignore[no-untyped-def]
    data = read_file(write("f.csv", "Area,measure,period,value\n12.5,Calls,2023/24 Q1,10\n"))
    assert data.frame["section"].astype(str).tolist() == [""]
    assert [f.code for f in data.findings] == ["unknown-column"]


def test_an_area_is_any_level_of_a_hierarchy() -> None:
    assert in_areas("North East / Durham", ["durham"]) and in_areas("North East / Durham", ["North East"])
    assert in_areas("North East", ["north east "]) and not in_areas("North East / Durham", ["North"])


def test_area_keeps_only_the_rows_and_findings_of_those_areas(write) -> None:  # type: ignore[no-untyped-def]
    path = write("f.csv", BY_FORCE + "Kent,Calls,2023/24 Q2,x1\n")
    data = read_file(path)
    assert [f.code for f in data.findings] == ["layout", "not-a-number"]
    observations = read_observations([path], ReadOptions(areas=("durham",)))
    assert observations.frame["section"].astype(str).tolist() == ["Durham"]
    with pytest.raises(UsageError, match=r"--area 'Dur': no such area; the files have 'Durham', 'Kent'"):
        read_observations([path], ReadOptions(areas=("Dur",)))


def test_area_on_validate_and_compare(runner, write) -> None:  # type: ignore[no-untyped-def]
    from kpitool.cli import app

    path = write("f.csv", BY_FORCE + "Kent,Calls,2023/24 Q2,x1\nKent,Calls,2022/23,70\nDurham,Calls,2022/23,40\n")
    assert runner.invoke(app, ["validate", str(path)]).exit_code == 1  # Kent's bad cell
    assert runner.invoke(app, ["validate", str(path), "--area", "Durham"]).exit_code == 0
    result = runner.invoke(app, ["compare", str(path), "--area", "Durham", "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)["comparisons"]
    assert [(r["area"], r["section"], r["baseline_value"], r["current_value"]) for r in rows] == [
        ("Durham", "", 40, 10)
    ]
    wrong = runner.invoke(app, ["compare", str(path), "--area", "Nowhere"])
    assert wrong.exit_code == 2 and "no such area" in wrong.stderr


def test_measures_in_columns_a_row_per_area_the_period_from_the_file_name(write) -> None:  # type: ignore[no-untyped-def]
    path = write(
        "April-2025-AE.csv", 'Code,Name,Attendances,Admissions,Remark\nR1,Trust A,"1,200",30,ok\nR2,Trust B,900,-,\n'
    )
    data = read_file(path)
    got = data.frame[["section", "measure", "period"]].astype(str).values.tolist()
    assert got == [
        ["Trust A", "Attendances", "2025-04"],
        ["Trust B", "Attendances", "2025-04"],
        ["Trust A", "Admissions", "2025-04"],
        ["Trust B", "Admissions", "2025-04"],
    ]
    assert data.frame["value"].fillna(-1).tolist() == [1200, 900, 30, -1]
    assert data.frame["marker"].astype(object).tolist()[3] == "-"
    said = [f.message for f in data.findings if f.code == "layout"]
    assert said[0].startswith("read as a file of rows, not a report table")
    assert any("every row is taken as 2025-04, the period the file name gives" in m for m in said)
    assert any(m.startswith("measures in columns: a row per area ('Name'), and each column of numbers a measure")
               for m in said)  # fmt: skip
    # the text column and the code are named as not read
    assert [f.column_name for f in data.findings if f.code == "unknown-column"] == ["Code", "Remark"]


def test_measures_in_columns_a_row_per_period(write) -> None:  # type: ignore[no-untyped-def]
    text = "year,Deaths,change from previous year,3-year average\n2021,1330,0.1,1300.5\n2022,1051,-0.2,\n"
    data = read_file(write("trend.csv", text))
    got = data.frame[["measure", "period", "value"]].astype(str).values.tolist()
    assert got[:2] == [["Deaths", "2021", "1330.0"], ["Deaths", "2022", "1051.0"]]
    assert set(data.frame["measure"].astype(str)) == {"Deaths", "3-year average"}  # a published change is no input
    assert [f.message.split(" (")[0] for f in data.findings if f.code == "layout"] == [
        "read as a file of rows, not a report table: no heading is a period, and a column names the area or the"
        " period of each row",
        "column 'year' is taken as the period of each row",
        "measures in columns: a row per period",
    ]


def test_a_file_of_areas_without_a_period_is_not_taken_for_measures_in_columns(write) -> None:  # type: ignore[no-untyped-def]
    data = read_file(write("grades.csv", "Force,Count\nDurham,3\n"))
    assert data.layout == "wide" and [f.code for f in data.findings] == ["no-periods"]


def test_a_conflict_names_its_area_and_another_area_never_conflicts(write) -> None:  # type: ignore[no-untyped-def]
    from kpitool.validate import validate_files

    text = BY_FORCE + "Kent,Calls,2023/24 Q1,25\n"  # Durham's 10 and Kent's 20 are two areas, not a conflict
    (conflict,) = [f for f in validate_files([write("f.csv", text)]).findings if f.severity == "error"]
    assert conflict.code == "conflicting-observation" and conflict.section == "Kent"
    assert conflict.message.startswith("Calls 2023/24 Q1 in Kent is given twice with different values: row 3 says 20")


def test_area_chooses_the_rows_of_a_report_tables_hierarchy(runner) -> None:  # type: ignore[no-untyped-def]
    from conftest import FIXTURES
    from kpitool.cli import app

    path = str(FIXTURES / "layouts" / "workforce.csv")
    base = ["compare", path, "--baseline", "2018/19 Q2", "--current", "2019/20 Q2", "--format", "json"]
    region = runner.invoke(app, [*base, "--area", "West Midlands"])
    assert region.exit_code == 0, region.output
    # the rows chosen are grouped by area, each a measure named by its table (without its dates)
    got = [(c["area"], c["section"], c["measure"]) for c in json.loads(region.stdout)["comparisons"]]
    assert got == [
        (area, "", "Table 1: Police officers (FTE)")
        for area in ("West Midlands", "West Midlands / Staffordshire", "West Midlands / West Midlands")
    ]
    force = runner.invoke(app, [*base, "--area", "Durham"])
    (durham,) = json.loads(force.stdout)["comparisons"]
    assert durham["area"] == "North East / Durham" and durham["current_value"] == 210.25
    # validate of one area leaves out the other rows' findings (Cleveland's wrong change)
    assert runner.invoke(app, ["validate", path, "--area", "Durham"]).exit_code == 0
    assert runner.invoke(app, ["validate", path, "--area", "Cleveland"]).exit_code == 1
    missing = runner.invoke(app, [*base, "--area", "Kent"])
    assert missing.exit_code == 2 and "no such area; the files have 'North East'" in missing.stderr


def test_a_sheet_of_measures_in_columns_is_read_as_its_csv_is(write) -> None:  # type: ignore[no-untyped-def]
    from conftest import FIXTURES
    from kpitool.readers import read_path

    (sheet,) = read_path(FIXTURES / "layouts" / "April-2025-AE-providers.xlsx")
    csv = write(
        "April-2025-AE-providers.csv",
        "Code,Region,Name,Total attendances,Total attendances,Percentage in 4 hours or less (all)\n"
        "RX1,North,Trust A,1200,300,73.5\nRX2,North,Trust B,900,-,80.25\n\nRX3,South,Trust C,450,12,91\n",
    )
    (text,) = read_path(csv)
    columns = ["section", "measure", "period", "row", "column"]
    assert sheet.frame[columns].astype(str).values.tolist() == text.frame[columns].astype(str).values.tolist()
    assert sheet.frame["value"].fillna(-1).tolist() == text.frame["value"].fillna(-1).tolist()
    assert sheet.frame["row"].tolist()[:3] == [2, 3, 5]  # the sheet's own rows, a blank one between
    assert [f.code for f in sheet.findings] == [f.code for f in text.findings]


def test_an_area_named_twice_once_as_the_sum_of_the_rows_between_is_a_hierarchy(write) -> None:  # type: ignore[no-untyped-def]
    text = ("Police force,FTE Count,Year\nDurham,10,2018\nWest Midlands,60,2018\nStaffs,20,2018\nWest Midlands,40,2018\n"
            "Durham,11,2019\nWest Midlands,70,2019\nStaffs,25,2019\nWest Midlands,45,2019\n")  # fmt: skip
    data = read_file(write("fte.csv", text))
    by_year = data.frame[data.frame["period"].astype(str) == "2019"]
    assert by_year["section"].astype(str).tolist() == ["Durham", "West Midlands", "West Midlands / Staffs",
                                                       "West Midlands / West Midlands"]  # fmt: skip
    assert (
        "rows 3–5 (and so in 1 more periods): 'West Midlands' is the sum of the 2 rows under it"
        in data.findings[-1].message
    )
    # when 2019 does not add up (70 against 25 + 40): only 2018's rows are named within it; 2019 stays a conflict
    text = text.replace("West Midlands,45,2019", "West Midlands,40,2019")
    from kpitool.validate import validate_files

    report = validate_files([write("fte2.csv", text)])
    errors = [f for f in report.findings if f.severity == "error"]
    assert [(f.code, f.period, f.section) for f in errors] == [("conflicting-observation", "2019", "West Midlands")]


def test_area_chooses_the_rows_of_a_table_whose_first_heading_names_an_area() -> None:
    from conftest import FIXTURES

    path = FIXTURES / "layouts" / "two_header_rows.csv"  # first heading "Police Division"
    observations = read_observations([path], ReadOptions(year_start="january", areas=("N: Highlands",)))
    assert set(observations.frame["section"].astype(str)) == {"N: Highlands"}
    assert set(observations.frame["measure"].astype(str)) == {"Table A: drug deaths, by calendar year quarter"}
    with pytest.raises(UsageError, match="no such area; the files have 'A: North East', 'N: Highlands', 'Total'"):
        read_observations([path], ReadOptions(year_start="january", areas=("Fife",)))


def test_rows_repeating_for_an_area_with_another_text_are_not_taken_for_measures_in_columns(write) -> None:  # type: ignore[no-untyped-def]
    text = "Year,Force,Offence,Count\n2022,Durham,Burglary,5\n2022,Durham,Robbery,2\n2023,Durham,Burglary,6\n"
    data = read_file(write("crime.csv", text))
    (missing,) = [f for f in data.findings if f.severity == "error"]
    assert missing.code == "missing-column" and data.frame.empty
    assert "rows repeat for one 'Force' and 'Year' with different 'Offence' ('Burglary', 'Robbery')" in missing.message
    assert "--measure-col (perhaps 'Offence')" in missing.message
    named = read_file(write("crime2.csv", text), ReadOptions(measure_col="Offence", value_cols=("Count",)))
    assert not [f for f in named.findings if f.severity == "error"] and len(named.frame) == 3


def test_the_shape_is_said_where_the_names_do_not_make_it_evident(write) -> None:  # type: ignore[no-untyped-def]
    canonical = read_file(write("a.csv", "measure,period,value\nA,2023/24 Q1,1\n"))
    assert canonical.findings == []  # measure, period, value: evidently a long file
    partly = read_file(write("b.csv", "measure,Year,value\nA,2023/24,1\n"))
    assert [f.message for f in partly.findings][:2] == [
        "read as a long file: a row per observation (it has a measure, value column and no period headings)",
        "column 'Year' is taken as the period of each row (its heading says so; --period-col names another)",
    ]
    assert partly.frame["period"].astype(str).tolist() == ["2023/24"]


PROVIDERS = 'Code,Name,Attendances,Admissions\nR1,Trust A,"1,200",30\nR2,Trust B,900,-\n'


def _cells(data):  # type: ignore[no-untyped-def]
    return data.frame[["section", "measure", "period", "value"]].astype(str).values.tolist()


@pytest.mark.parametrize(
    "above",
    [
        "A&E attendances by provider\n\n",  # a title, a blank row
        "Table 3: A&E attendances\nEngland\n",  # titles of one cell, right over the header
        "Title:,A&E attendances\nPeriod:,April 2025\n\n",  # label and text, a blank row under them
        "A&E attendances\n,,,\n",  # a blank row as a sheet saves it
    ],
)
def test_measures_in_columns_under_title_rows_read_as_without_them(above: str, write) -> None:  # type: ignore[no-untyped-def]
    plain = read_file(write("April-2025-AE.csv", PROVIDERS))
    titled = read_file(write("April-2025-titled.csv", above + PROVIDERS))
    assert _cells(titled) == _cells(plain)
    lines = above.count("\n")
    assert titled.frame["row"].tolist() == [r + lines for r in plain.frame["row"].tolist()]
    (said,) = [f for f in titled.findings if f.message.endswith("a title or note above the table; skipped")]
    assert said.row == 1 and said.message.startswith(f"rows 1–{lines}:")
    assert not [f for f in titled.findings if f.severity != "info" and f.code != "unknown-column"]


def test_two_cell_rows_right_over_a_header_are_not_taken_for_titles(write) -> None:  # type: ignore[no-untyped-def]
    data = read_file(write("April-2025-AE.csv", "Title:,A&E\nPeriod:,April 2025\n" + PROVIDERS))
    assert data.frame.empty and [f.code for f in data.findings] == ["no-periods"]


def test_a_long_file_under_a_title_row(write) -> None:  # type: ignore[no-untyped-def]
    data = read_file(write("calls.csv", "Calls for service, Durham\n\nmeasure,period,value\nCalls,2023/24 Q1,10\n"))
    assert data.layout == "long" and _cells(data) == [["", "Calls", "2023/24 Q1", "10.0"]]
    assert data.frame["row"].tolist() == [4]


def test_source_and_note_rows_under_a_file_of_rows_end_it(write) -> None:  # type: ignore[no-untyped-def]
    notes = '\n"Source: NHS England, A&E",,,\n(1) Provisional,,,\n'
    plain = read_file(write("April-2025-AE.csv", PROVIDERS))
    noted = read_file(write("May-2025-AE.csv", PROVIDERS + notes))
    assert _cells(noted) == [[a, m, "2025-05", v] for a, m, _, v in _cells(plain)]
    (said,) = [f for f in noted.findings if "source or note row" in f.message]
    assert said.message.startswith("rows 5–6: a source or note row, which ends the table")
    # a last row of one cell that is no note stays a row kpitool could not read
    odd = read_file(write("June-2025-AE.csv", PROVIDERS + "Trust C\n"))
    assert [f.code for f in odd.findings if f.severity == "error"] == ["ragged-row"]


def test_a_sheet_of_measures_in_columns_under_title_rows(write, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import xlsxwriter

    from kpitool.readers import read_path

    path = tmp_path / "April-2025-AE.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Providers")
    sheet.write_row(0, 0, ["Title:", "A&E attendances"])
    sheet.write_row(1, 0, ["Period:", "April 2025"])
    sheet.write_row(3, 0, ["Code", "Name", "Attendances", "Admissions"])
    sheet.write_row(4, 0, ["R1", "Trust A", 1200, 30])
    sheet.write_row(5, 0, ["R2", "Trust B", 900, "-"])
    sheet.write_row(7, 0, ["Source: NHS England"])
    book.close()
    (data,) = read_path(path)
    assert _cells(data) == _cells(read_file(write("April-2025-AE.csv", PROVIDERS)))
    assert data.frame["row"].tolist()[:2] == [5, 6]
    assert [f.message.split(":")[0] for f in data.findings if "skipped" in f.message] == ["rows 1–3", "row 8"]


@pytest.mark.parametrize(
    ("title", "measure"),
    [
        (
            "Table 2: Police staff by police force area, England and Wales,  30 September 2018, 31 March 2019"
            " and 30 September 20191 (FTE)",
            "Table 2: Police staff, England and Wales (FTE)",
        ),
        (
            "Table 13: Police support volunteers by police force area, England and Wales, as at 30 September"
            " 20191,2,3 (headcount)",
            "Table 13: Police support volunteers, England and Wales (headcount)",
        ),
        ("Drug deaths by division, January 2022 - December 2023", "Drug deaths"),
        ("Deaths by age group and area", "Deaths by age group and area"),  # more than the areas
        ("Attendances", "Attendances"),
    ],
)
def test_a_table_of_areas_names_its_measure_by_its_title_without_dates_or_areas(title: str, measure: str) -> None:
    from kpitool.readers.base import measure_of_title

    assert measure_of_title(title) == measure


def _book(path, sheets: dict[str, list[list[object]]]) -> None:  # type: ignore[no-untyped-def]
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path))
    for title, rows in sheets.items():
        sheet = book.add_worksheet(title)
        for r, row in enumerate(rows):
            sheet.write_row(r, 0, row)
    book.close()


PROVIDER_ROWS = [["Code", "Name", "Attendances"], ["R1", "Trust A", 1200], ["R2", "Trust B", 900]]


def test_a_sheet_of_rows_takes_its_period_from_its_own_name_before_the_books(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from kpitool.readers import read_path

    path = tmp_path / "AE-monthly-2025-26.xlsx"
    _book(path, {"April 2025": PROVIDER_ROWS, "May 2025": PROVIDER_ROWS})
    april, may = read_path(path)
    assert set(april.frame["period"].astype(str)) == {"2025-04"} and set(may.frame["period"].astype(str)) == {"2025-05"}
    assert any("taken as 2025-05, the period the sheet's name gives ('May 2025'" in f.message for f in may.findings)
    # a sheet named by a month alone, in a book named by its year: neither is its period
    _book(path, {"Apr": PROVIDER_ROWS})
    (apr,) = read_path(path)
    assert apr.frame.empty and "missing-column" in [f.code for f in apr.findings]


def test_period_names_the_period_of_a_sheet_of_rows(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from kpitool.readers import read_path

    path = tmp_path / "ae_one.xlsx"
    _book(path, {"Providers": PROVIDER_ROWS})
    (data,) = read_path(path, ReadOptions(period="2026-03"))
    assert data.frame[["section", "measure", "period"]].astype(str).values.tolist() == [
        ["Trust A", "Attendances", "2026-03"],
        ["Trust B", "Attendances", "2026-03"],
    ]


def test_a_subtotal_wrong_in_one_column_is_still_a_subtotal_and_its_column_an_error(write) -> None:  # type: ignore[no-untyped-def]
    from conftest import FIXTURES
    from kpitool.validate import validate_files

    text = (FIXTURES / "layouts" / "workforce.csv").read_text(encoding="utf-8")
    right = validate_files([write("right.csv", text)])
    assert not [f for f in right.findings if f.code == "parts-mismatch"]
    # Cleveland's September 2019 count 10 more, its changes made to match: North East no longer adds up
    wrong = text.replace("Cleveland,100.5,105,110,19.5,9.45,5,4.76", "Cleveland,100.5,105,120,29.5,9.45,15,4.76")
    report = validate_files([write("wrong.csv", wrong)])
    (mismatch,) = [f for f in report.findings if f.code == "parts-mismatch"]
    assert mismatch.measure == "North East" and mismatch.cell == "D9" and mismatch.severity == "error"
    assert "North East / Cleveland + North East / Durham = 330" in mismatch.message
    # and the region stays over its forces: the rows are still named within it
    assert any("2 rows are each the sum of the rows under them" in f.message for f in report.findings)


def test_a_total_under_a_hierarchy_is_the_sum_of_its_top_level(write) -> None:  # type: ignore[no-untyped-def]
    from conftest import FIXTURES
    from kpitool.validate import validate_files

    text = (FIXTURES / "layouts" / "workforce.csv").read_text(encoding="utf-8")
    wrong = text.replace("Total,1300.5,1320,1360.25", "Total,1300.5,1320,1370.25")
    (mismatch,) = [f for f in validate_files([write("wrong.csv", wrong)]).findings if f.code == "parts-mismatch"]
    assert mismatch.measure == "Total" and "North East + West Midlands = 1,360" in mismatch.message


@pytest.mark.parametrize(
    "notes",
    [
        "\nSource: Home Office, Police workforce England and Wales\nNote: 2019 figures are provisional, 12 revised\n",
        ',,,\n"1. 12 hour figures from 2,345 providers",,,\n',  # a blank row as a sheet saves it, then a footnote
    ],
)
def test_notes_at_the_end_of_a_file_of_rows_with_commas_in_them(notes: str, write) -> None:  # type: ignore[no-untyped-def]
    plain = read_file(write("April-2025-AE.csv", PROVIDERS))
    noted = read_file(write("May-2025-AE.csv", PROVIDERS + notes))
    assert _cells(noted) == [[a, m, "2025-05", v] for a, m, _, v in _cells(plain)]
    assert [f.code for f in noted.findings if f.severity != "info" and f.code != "unknown-column"] == []
    assert any("a source or note row, which ends the table" in f.message for f in noted.findings)


def test_a_row_of_empty_cells_is_a_blank_row(write) -> None:  # type: ignore[no-untyped-def]
    data = read_file(write("April-2025-AE.csv", PROVIDERS.replace("R2,", ",,,\nR2,")))
    assert _cells(data) == _cells(read_file(write("April-2025-AE.csv", PROVIDERS)))
    assert data.frame["row"].tolist()[:2] == [2, 4] and data.records == 2


def test_a_column_headed_as_a_percentage_holds_percentages_with_or_without_the_sign(write) -> None:  # type: ignore[no-untyped-def]
    text = "Code,Name,Attendances,Percentage in 4 hours or less (all)\nR1,Trust A,1200,73.5\nR2,Trust B,900,80%\n"
    data = read_file(write("April-2025-AE.csv", text))
    got = data.frame[["section", "measure", "value", "percent"]].astype(str).values.tolist()
    assert got == [  # the frame says which figures were written with a % sign
        ["Trust A", "Attendances", "1200.0", "False"],
        ["Trust B", "Attendances", "900.0", "False"],
        ["Trust A", "Percentage in 4 hours or less (all)", "73.5", "False"],
        ["Trust B", "Percentage in 4 hours or less (all)", "80.0", "True"],
    ]
    # and the measure its heading names is a percentage in both areas (kpitool.units), said so
    may = write("May-2025-AE.csv", text.replace("73.5", "75.0").replace("80%", "81"))
    report = compare(
        read_observations([write("April-2025-AE.csv", text), may]),
        options=CompareOptions(baseline=parse_period("2025-04"), current=parse_period("2025-05")),
    )
    rows = {(c.area, c.measure): c for c in report.comparisons}
    for area in ("Trust A", "Trust B"):
        c = rows[(area, "Percentage in 4 hours or less (all)")]
        assert (c.unit, c.change_unit) == ("percent", "pp")
        assert rows[(area, "Attendances")].unit == "count"
    assert any(
        "taken as a percent measure (its name says so)" in n
        for n in rows[("Trust A", "Percentage in 4 hours or less (all)")].notes
    )


def test_a_code_beside_two_names_of_its_area_is_said_on_the_rows_of_both(runner, write) -> None:  # type: ignore[no-untyped-def]
    from kpitool.cli import app

    april = write("April-2025-AE.csv", "Code,Name,Attendances\nRWH,East Herts NHS Trust,100\nR2,Trust B,50\n")
    may = write("May-2025-AE.csv", "Code,Name,Attendances\nRWH,East Herts Teaching NHS Trust,110\nR2,Trust B,55\n")
    base = ["compare", str(april), str(may), "--baseline", "2025-04", "--current", "2025-05", "--format", "json"]
    result = runner.invoke(app, base)
    rows = {c["area"]: c for c in json.loads(result.stdout)["comparisons"]}
    said = "code RWH is 'East Herts NHS Trust' in"
    assert any(n.startswith(said) for n in rows["East Herts NHS Trust"]["notes"])
    assert any(n.startswith(said) for n in rows["East Herts Teaching NHS Trust"]["notes"])
    assert not any("code RWH" in n for n in rows["Trust B"]["notes"])
    # by the code, the trust is one area across its renaming
    by_code = json.loads(runner.invoke(app, [*base, "--area-col", "Code", "--value-col", "Attendances"]).stdout)
    assert {c["area"]: c["current_value"] for c in by_code["comparisons"]} == {"RWH": 110, "R2": 55}


def test_a_measure_in_columns_with_a_stray_text_is_read_and_the_cell_named(write) -> None:  # type: ignore[no-untyped-def]
    data = read_file(
        write("April-2025-AE.csv", 'Code,Name,Attendances,Admissions\nR1,Trust A,"1,2x0",30\nR2,Trust B,900,-\n')
    )
    (bad,) = [f for f in data.findings if f.severity == "error"]
    assert bad.code == "not-a-number" and bad.cell == "C2" and bad.measure == "Attendances"
    assert set(data.frame["measure"].astype(str)) == {"Attendances", "Admissions"}
