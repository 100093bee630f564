"""Report layouts as published: title and note rows, two header rows, source rows that end a table."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import FIXTURES
from kpitool.compare import compare
from kpitool.readers import ReadOptions, read_file, read_observations

TWO_ROWS = FIXTURES / "layouts" / "two_header_rows.csv"


def test_title_header_rows_and_footnotes_are_read_as_a_person_reads_them() -> None:
    data = read_file(TWO_ROWS, ReadOptions(year_start="january"))
    assert [f.code for f in data.findings] == ["layout"] * 4
    (table,) = data.tables
    assert table.section.startswith("Table A: drug deaths by division")
    assert [c.period.label for c in table.columns if c.period] == [
        f"{y} Q{q}" for y in (2022, 2023) for q in range(1, 5)
    ]
    assert [r.name for r in table.rows] == ["A: North East", "N: Highlands", "Total"]  # no Source or Footnotes row
    values = data.frame[data.frame["measure"] == "N: Highlands"]
    assert values["marker"].tolist()[1] == "x" and values["value"].isna().tolist()[1]


def test_the_comparison_of_a_two_header_table() -> None:
    report = compare(read_observations([TWO_ROWS], ReadOptions(year_start="january")))
    by = {c.measure: c for c in report.comparisons}
    assert (by["A: North East"].baseline_value, by["A: North East"].current_value) == (87, 101)
    assert by["N: Highlands"].baseline_value is None
    assert "2022 Q2 (x)" in " ".join(by["N: Highlands"].notes)
    # under fiscal years the same quarters are placed in 2021/22 Q4 ... 2023/24 Q3
    fiscal = read_file(TWO_ROWS)
    assert sorted(fiscal.periods)[0] == "2021/22 Q4"


def test_a_blank_headed_column_of_numbers_is_reported(write) -> None:  # type: ignore[no-untyped-def]
    data = read_file(write("b.csv", "T,2022/23,,2023/24\nA,1,5,2\n"))
    assert [(f.code, f.cell) for f in data.findings] == [("unread-column", "C1")]
    assert "has no heading but holds figures; they were not read" in data.findings[0].message
    assert data.tables[0].unread == {3: ["A"]}


REALDATA = Path(__file__).resolve().parents[2] / "shared" / "realdata"
SCOTLAND = REALDATA / "scotland-suspected-drug-deaths" / "SuspectedDRDs_OctDec2023.xlsx"
needs_realdata = pytest.mark.skipif(not SCOTLAND.exists(), reason="../shared/realdata is not beside the checkout")


@needs_realdata
def test_a_spreadsheet_and_its_save_as_csv_give_the_same_comparison() -> None:
    options = ReadOptions(year_start="january", sheets=("C - Sex",))
    from_xlsx = compare(read_observations([SCOTLAND], options))
    saved = FIXTURES / "layouts" / "scotland-2023-sex-saved-as.csv"
    from_csv = compare(read_observations([saved], ReadOptions(year_start="january")))
    strip = {"files"}
    assert from_xlsx.model_dump(exclude=strip) == from_csv.model_dump(exclude=strip)


@needs_realdata
def test_the_scottish_release_agrees_with_an_independent_computation() -> None:
    import pandas as pd

    raw = pd.read_excel(SCOTLAND, sheet_name="A - Police Division", header=None, engine="calamine")
    years = raw.iloc[2].ffill()  # the year row, over the first of its four quarters
    body = raw.iloc[4:18].set_index(0)
    expected = {}
    for name, row in body.iterrows():
        values = pd.to_numeric(row, errors="coerce")
        by_year = {int(y): values[years == y] for y in (2022.0, 2023.0)}
        base = None if by_year[2022].isna().any() else by_year[2022].sum()
        expected[str(name).strip()] = (base, by_year[2023].sum())
    report = compare(read_observations([SCOTLAND], ReadOptions(year_start="january", sheets=("A - Police Division",))))
    got = {c.measure: (c.baseline_value, c.current_value) for c in report.comparisons}
    assert got == expected and len(got) == 14


def test_column_roles_by_name_with_an_area_hierarchy(runner, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import json

    from kpitool.cli import app

    roles = ["--period-col", "12 months ending", "--measure-col", "offence", "--value-col"]
    roles += ["Rolling year total number of offences", "--area-col", "Region", "--area-col", "PFA"]
    result = runner.invoke(app, ["compare", str(FIXTURES / "layouts" / "roles.csv"), *roles, "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)["comparisons"]
    got = {(c["area"] or c["section"], c["measure"]): (c["baseline_value"], c["current_value"]) for c in rows}
    assert got == {
        ("North East / Durham", "Burglary"): (2000, 1800),
        ("North East / Durham", "Robbery"): (300, 330),
        ("South East / Kent", "Burglary"): (5000, 5300),
    }


def test_a_value_column_named_as_a_measure_and_a_period_for_the_whole_file(write) -> None:  # type: ignore[no-untyped-def]
    from kpitool.readers.base import ReadOptions as Options

    path = write("fte.csv", "Police force,FTE Count\nDurham,1168.54\nKent,3500\n")
    data = read_file(path, Options(area_cols=("Police force",), value_cols=("FTE Count",), period="2019/20"))
    assert not data.findings
    assert data.frame[["section", "measure", "period"]].astype(str).values.tolist() == [
        ["Durham", "FTE Count", "2019/20"],
        ["Kent", "FTE Count", "2019/20"],
    ]


def test_a_role_naming_no_column_says_what_the_header_has(write) -> None:  # type: ignore[no-untyped-def]
    from kpitool.readers.base import ReadOptions as Options

    data = read_file(write("x.csv", "Force,Count,Year\nA,1,2015\n"), Options(value_cols=("Total",), period_col="Year"))
    # Force is taken as the area by its heading, and said so
    assert [f.code for f in data.findings] == ["missing-column", "layout", "unknown-column"]
    assert "no column 'Total' for the value (the header has 'Force', 'Count', 'Year')" in data.findings[0].message


def test_a_data_row_without_a_name_is_not_taken_for_a_second_header(write) -> None:  # type: ignore[no-untyped-def]
    data = read_file(write("b.csv", "T,2022/23,2023/24 Q1\n,[c],[x]\nA,1,2\n"))
    assert [f.code for f in data.findings] == ["blank-measure"]


def test_a_row_per_area_and_a_column_per_measure_with_the_month_in_the_file_name(write) -> None:  # type: ignore[no-untyped-def]
    from kpitool.readers.base import ReadOptions as Options

    text = 'Code,Name,Total,Type 1,Over 4h,Type 1,Pct\nA1,North ,"1,200",5,100,2,91.7%\nB2,South,-,6,12abc,3,-\n'
    path = write("April-2025-AE.csv", text)
    data = read_file(path, Options(area_cols=("Name",), value_cols=("Total", "Over 4h", "Pct")))
    frame = data.frame.sort_values(["section", "measure"])
    assert frame[["section", "measure", "period"]].astype(str).values.tolist() == [
        ["North", "Over 4h", "2025-04"],
        ["North", "Pct", "2025-04"],
        ["North", "Total", "2025-04"],
        ["South", "Pct", "2025-04"],  # its Over 4h cell is not a number: not read, and reported
        ["South", "Total", "2025-04"],
    ]
    assert frame["value"].tolist()[:3] == [100, 91.7, 1200]
    by_code = {f.code: f for f in data.findings}
    assert "taken as 2025-04, the period the file name gives ('April 2025'" in by_code["layout"].message
    # a repeated heading is kept apart under a name of its own (a warning), and can be read by it
    assert by_code["duplicate-column"].severity == "warning"
    assert "kept apart as 'Type 1 (2)'" in by_code["duplicate-column"].message
    again = read_file(path, Options(area_cols=("Name",), value_cols=("Type 1 (2)",)))
    assert again.frame["value"].tolist() == [2, 3] and set(again.frame["measure"].astype(str)) == {"Type 1 (2)"}
    assert [f.cell for f in data.findings if f.code == "not-a-number"] == ["E3"]


def test_a_repeated_heading_of_a_column_that_is_read_is_an_error(write) -> None:  # type: ignore[no-untyped-def]
    data = read_file(write("x.csv", "measure,period,value,value\nA,2023/24 Q1,1,2\n"))
    [dup] = [f for f in data.findings if f.code == "duplicate-column"]
    assert dup.severity == "error" and "only the first is read" in dup.message


@pytest.mark.parametrize(
    ("name", "period"),
    [("April-2025-AE.csv", "2025-04"), ("calls_2025-04.csv", "2025-04"), ("kpis 2023-24 Q4.xlsx", "2023/24 Q4"),
     ("2023-24-q4.xlsx[Sheet1]", "2023/24 Q4"), ("Sept 2019 tables.ods", "2019-09"), ("q4.csv", None),
     ("data.csv", None), ("report-v2.csv", None)],
)  # fmt: skip
def test_the_period_a_file_name_spells(name: str, period: str | None) -> None:
    from kpitool.period_names import period_in_name

    found = period_in_name(name)
    assert (found[1].label if found else None) == period


def test_a_measure_column_takes_one_value_column(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from kpitool.cli import app

    path = tmp_path / "x.csv"
    path.write_text("m,p,v,w\nA,2023/24 Q1,1,2\n", encoding="utf-8")
    result = CliRunner().invoke(
        app, ["validate", str(path), "--measure-col", "m", "--value-col", "v", "--value-col", "w"]
    )
    assert result.exit_code == 2 and "a measure column has one value column" in result.output


@pytest.mark.parametrize(
    "name", ["Year ending June 2031.csv", "12 months to June 2031.csv", "Rolling year to Jun 31.csv", "YE Jun 2031.csv"]
)
def test_a_rolling_year_in_a_file_name_is_the_rolling_year_not_its_last_month(name: str) -> None:
    from kpitool.period_names import period_in_name

    found = period_in_name(name)
    assert found is not None and found[1].label == "12m to 2031-06"


WORKFORCE = FIXTURES / "layouts" / "workforce.csv"


def test_headings_over_a_blank_row_are_read_with_the_header_below() -> None:
    data = read_file(WORKFORCE)
    (table,) = data.tables
    assert table.section == "Table 1: Police officers by police force area (FTE)"  # not the subtitle row
    heads = [(c.header, c.role, str(c.basis_from), str(c.basis_to), c.absolute) for c in table.columns[3:]]
    assert heads == [
        ("Change in 12 months Sep-18 to Sep-19 number", "change", "2018/19 Q2", "2019/20 Q2", True),
        ("Change in 12 months Sep-18 to Sep-19 %", "change", "2018/19 Q2", "2019/20 Q2", False),
        ("Change in 6 months Mar-19 to Sep-19 number", "change", "2018/19 Q4", "2019/20 Q2", True),
        ("Change in 6 months Mar-19 to Sep-19 %", "change", "2018/19 Q4", "2019/20 Q2", False),
    ]
    assert [str(c.period) for c in table.columns[:3]] == ["2018/19 Q2", "2018/19 Q4", "2019/20 Q2"]


def test_a_region_and_a_force_of_one_name_are_kept_apart_by_the_subtotals() -> None:
    data = read_file(WORKFORCE)
    names = [r.name for r in data.tables[0].rows]
    assert names == ["North East", "North East / Cleveland", "North East / Durham", "West Midlands",
                     "West Midlands / Staffordshire", "West Midlands / West Midlands", "Total"]  # fmt: skip
    assert "2 rows are each the sum of the rows under them (North East = Cleveland + Durham)" in " ".join(
        f.message for f in data.findings
    )


def test_the_twelve_month_changes_are_audited_against_the_counts(runner) -> None:  # type: ignore[no-untyped-def]
    from kpitool.cli import app

    result = runner.invoke(app, ["validate", str(WORKFORCE), "--format", "json"])
    errors = [f for f in json.loads(result.stdout)["findings"] if f["severity"] == "error"]
    # the one wrong published change (Cleveland's 12 months: 110 − 100.5 is 9.5, not 19.5), nothing else
    assert [(f["code"], f["cell"], f["expected"]) for f in errors] == [("change-mismatch", "E10", "9.5")]
    assert not any(f["code"] == "conflicting-observation" for f in json.loads(result.stdout)["findings"])


def test_a_subtotal_needs_two_groups_and_never_counts_a_missing_part(write) -> None:  # type: ignore[no-untyped-def]
    one = read_file(write("one.csv", "T,2022/23\nRegion,3\nA,1\nB,2\nC,9\n"))
    assert [r.name for r in one.tables[0].rows] == ["Region", "A", "B", "C"]  # one coincidence is no hierarchy
    two = read_file(write("two.csv", "T,2022/23,2023/24\nR1,3,4\nA,1,..\nB,2,4\nR2,5,5\nC,5,5\nD,..,..\n"))
    assert [r.name for r in two.tables[0].rows] == ["R1", "R1 / A", "R1 / B", "R2", "R2 / C", "R2 / D"]
    # the hierarchy only names rows: A's missing 2023/24 stays missing
    a = two.frame[two.frame["measure"] == "R1 / A"]
    assert a["value"].isna().tolist() == [False, True]


def test_a_table_of_a_row_per_period_and_a_column_per_measure() -> None:
    data = read_file(FIXTURES / "layouts" / "periods_in_rows.csv")
    frame = data.frame
    got = frame[["section", "measure", "period"]].astype(str).values.tolist()
    assert got[:3] == [["Table 6: Workforce by group (FTE)", m, "2017/18 Q2"]
                       for m in ("Police officers1", "Police staff", "Traffic wardens")]  # fmt: skip
    assert frame["value"].fillna(-1).tolist() == [1000.5, 500, 12, 1010, -1, 10, 1030.25, 520, -1]
    assert frame["stock"].all() and frame["marker"].astype(object).tolist()[4] == ".."
    said = [f.message for f in data.findings]
    assert "rows 4–7: a row per period ('30 September 2017' …) and a column per measure" in " ".join(said)
    assert "'30 September 20182' read as '30 September 2018': the year, and after it a footnote's number (2)" in said
    assert "row 3: a subtitle or note above the table; skipped" in said
    report = compare(read_observations([FIXTURES / "layouts" / "periods_in_rows.csv"]))
    by = {c.measure: c for c in report.comparisons}
    assert (by["Police officers1"].baseline_value, by["Police officers1"].current_value) == (1010, 1030.25)


def test_a_first_column_that_is_not_all_periods_is_no_table_of_periods(write) -> None:  # type: ignore[no-untyped-def]
    data = read_file(write("t.csv", "T,Officers,Staff\n30 September 2017,1,2\nNorth East,3,4\n"))
    assert [f.code for f in data.findings] == ["no-periods"] and data.frame.empty


CALENDAR = (
    "Table C: drug deaths by sex,,,,,,,,,,\n"
    ",,,,,,,,,,\n"
    "Sex,2022,,,,2023,,,,{over_total},{over_change}\n"
    ",January to March,April to June,July to September,October to December,January to March,April to June,"
    "July to September,October to December,{under_total},{under_change}\n"
    "Male,199,190,167,211,200,229,216,230,875,{male}\n"
    "Female,86,87,68,84,98,73,84,67,322,-0.9%\n"
)


@pytest.mark.parametrize("under", [False, True])  # the headings in the year row, or in the quarters' row
@pytest.mark.parametrize("change", ["% change 2022 to 2023", "Change 2022 to 2023 (%)", "% change from 2022"])
@pytest.mark.parametrize("year_start", ["january", "april"])  # a bare 2023 is the calendar year either way
def test_a_calendar_years_total_and_change_after_its_quarters_are_audited(
    write, under: bool, change: str, year_start: str
) -> None:  # type: ignore[no-untyped-def]
    from kpitool.validate import validate_files

    def table(male: str) -> str:
        headings = {"over_total": "2023 total", "over_change": change, "under_total": "", "under_change": ""}
        if under:
            headings = {"over_total": "", "over_change": "", "under_total": "2023 total", "under_change": change}
        return CALENDAR.format(male=male, **headings)

    options = ReadOptions(year_start=year_start)  # type: ignore[arg-type]
    right = validate_files([write("right.csv", table("14.1%"))], options=options)
    assert not [f for f in right.findings if f.severity != "info"], right.findings
    (wrong,) = [f for f in validate_files([write("wrong.csv", table("19.9%"))], options=options).findings
                if f.severity == "error"]  # fmt: skip
    assert wrong.code == "change-mismatch" and wrong.measure == "Male"
    assert "reported 19.9% but" in wrong.message and "767 to 875" in wrong.message and "is 14.1%" in wrong.message


def test_compare_says_where_a_published_table_does_not_agree_with_itself(runner, write) -> None:  # type: ignore[no-untyped-def]
    from kpitool.cli import app

    text = (
        "Measure,2022/23,2023/24 Q1,2023/24 Q2,2023/24 Q3,2023/24 Q4\n"
        "Male,90,10,20,30,40\nFemale,20,5,5,5,5\nTotal,110,15,25,35,55\n"  # Q4's total is 10 more than its parts
    )
    result = runner.invoke(app, ["compare", str(write("sex.csv", text)), "--format", "json"])
    assert result.exit_code == 0, result.output
    notes = {c["measure"]: c["notes"] for c in json.loads(result.stdout)["comparisons"]}
    (said,) = [n for n in notes["Total"] if n.startswith("The published table does not agree with itself")]
    assert (
        "sex.csv:F4" in said and "shows 55 but Male + Female = 45" in said and said.endswith("compared as published.")
    )
    assert not [n for n in notes["Male"] if "does not agree" in n]


def test_a_year_row_unmerged_and_filled_over_its_quarters_reads_as_the_merged_one(write) -> None:  # type: ignore[no-untyped-def]
    saved = FIXTURES / "layouts" / "scotland-2023-sex-saved-as.csv"
    lines = saved.read_text(encoding="utf-8").splitlines(keepends=True)
    cells = lines[2].rstrip("\n").split(",")
    year = ""
    for i, cell in enumerate(cells[1:], start=1):  # "2017,,,," -> "2017,2017,2017,2017"
        year = cell or year
        cells[i] = year
    filled = write("filled.csv", "".join([*lines[:2], ",".join(cells) + "\n", *lines[3:]]))
    options = ReadOptions(year_start="january")
    strip = {"files"}
    assert compare(read_observations([filled], options)).model_dump(exclude=strip) == compare(
        read_observations([saved], options)
    ).model_dump(exclude=strip)
    assert not [f for f in read_file(filled, options).findings if f.severity != "info"]


ROUNDED_FTE = (
    "{title}\n\n"
    "Area,30/09/2018,30/09/2019,Change Sep-18 to Sep-19 (number)\n"
    "North East,201,207,6\nCleveland,100,104,3\nDurham,100,104,3\n"  # 200.8 = 100.4 + 100.4, and so on
    "West Midlands,301,299,-1\nStaffordshire,150,150,-1\nWarwickshire,150,150,-1\n"
)


def test_full_time_equivalents_shown_whole_are_figures_shown_rounded(write) -> None:  # type: ignore[no-untyped-def]
    from kpitool.validate import validate_files

    fte = validate_files([write("fte.csv", ROUNDED_FTE.format(title="Table 1: Police officers (FTE)"))])
    assert not [f for f in fte.findings if f.severity != "info"], fte.findings
    said = [f.message for f in fte.findings if f.code == "layout"]
    assert any("its figures are full-time equivalents ('FTE')" in m and "stands for ±0.5" in m for m in said)
    assert any("2 rows are each the sum of the rows under them" in m for m in said)
    # the same whole numbers as counts are exact, and the changes do not follow from them
    counts = validate_files([write("counts.csv", ROUNDED_FTE.format(title="Table 1: Police officers"))])
    assert {f.measure for f in counts.findings if f.code == "change-mismatch"} >= {"Cleveland", "Durham"}
