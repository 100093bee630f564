"""A file that says its years are calendar years, read in UK financial years (the default): its
January to March is the previous financial year's Q4, and both validate and compare say so,
suggesting --year-start january. Said only where the file says it, and never in calendar years."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kpitool.cli import app
from kpitool.models import Finding
from kpitool.readers.base import ReadOptions
from kpitool.validate import validate_files

QUARTERS = "Jan-Mar 2022,Apr-Jun 2022,Jul-Sep 2022,Oct-Dec 2022,Jan-Mar 2023,Apr-Jun 2023,Jul-Sep 2023,Oct-Dec 2023"
ROWS = "Male,10,11,12,13,14,15,16,17\nFemale,5,6,7,8,9,10,11,12\n"
TITLED = (
    f"Table C: drug deaths by sex, by calendar year quarter, January 2022 - December 2023\n\nSex,{QUARTERS}\n{ROWS}"
)


def _hints(path: Path, year_start: str = "april") -> list[Finding]:
    options = ReadOptions(year_start=year_start)  # type: ignore[arg-type]
    return [f for f in validate_files([path], options=options).findings if f.code == "calendar-year-hint"]


def test_a_table_titled_by_calendar_year_quarter_read_in_financial_years_is_warned(write) -> None:  # type: ignore[no-untyped-def]
    path = write("drd.csv", TITLED)
    (hint,) = _hints(path)
    assert (hint.severity, hint.file, hint.row, hint.column) == ("warning", str(path), None, None)
    assert hint.message == (
        "read in UK financial years (April to March: January to March 2023 is 2022/23 Q4), though it says"
        " calendar years ('calendar year quarter', in its title); --year-start january reads them as calendar"
        " years (2023 Q1 = January to March)"
    )
    assert _hints(path, "january") == []


@pytest.mark.parametrize(
    "text",
    [
        f"Table C: drug deaths by sex, January 2022 - December 2023\n\nSex,{QUARTERS}\n{ROWS}",  # says nothing
        f"Calendar of events\n\nSex,{QUARTERS}\n{ROWS}",  # a calendar, not calendar years
        # calendar years already: years in calendar years are read so in either year start
        "Deaths by calendar year\n\nSex,2022,2023\nMale,40,44\nFemale,20,22\n",
    ],
)
def test_no_hint_where_the_file_does_not_say_calendar_years_or_reads_them_so(write, text: str) -> None:  # type: ignore[no-untyped-def]
    assert _hints(write("drd.csv", text)) == []


def test_a_column_heading_that_says_calendar_quarters_is_warned_and_named(write) -> None:  # type: ignore[no-untyped-def]
    text = "Force,Quarter,Incidents (calendar quarters)\nNorth,Jan-Mar 2023,10\nNorth,Apr-Jun 2023,12\nSouth,Jan-Mar 2023,8\n"
    path = write("incidents.csv", text)
    (hint,) = _hints(path)
    assert (hint.row, hint.column, hint.column_name) == (1, 3, "Incidents (calendar quarters)")
    assert "('calendar quarters', in its column heading 'Incidents (calendar quarters)')" in hint.message
    assert "January to March 2023 is 2022/23 Q4" in hint.message
    assert _hints(path, "january") == []


def test_a_sheet_named_by_calendar_year_is_warned(tmp_path: Path) -> None:
    import xlsxwriter

    path = tmp_path / "deaths.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("By calendar year quarter")
    sheet.write_row(0, 0, ["Sex", *QUARTERS.split(",")])
    sheet.write_row(1, 0, ["Male", 10, 11, 12, 13, 14, 15, 16, 17])
    book.close()
    (hint,) = _hints(path)
    assert hint.file == f"{path}[By calendar year quarter]"
    assert "('calendar year quarter', in its sheet's name)" in hint.message
    assert _hints(path, "january") == []


def test_compare_says_it_under_its_table_and_not_with_year_start_january(runner: CliRunner, write) -> None:  # type: ignore[no-untyped-def]
    path = write("drd.csv", TITLED)
    shown = runner.invoke(app, ["compare", str(path), "--format", "json"])
    assert shown.exit_code == 0, shown.output
    notes = [n for n in json.loads(shown.stdout)["notes"] if "calendar years" in n]
    assert notes == [
        "Read in UK financial years (April to March: January to March 2023 is 2022/23 Q4), though it says"
        " calendar years ('calendar year quarter', in its title); --year-start january reads them as calendar"
        f" years (2023 Q1 = January to March) ({path})."
    ]
    table = runner.invoke(app, ["compare", str(path)])
    assert "--year-start january reads them" in " ".join(table.stdout.split())
    calendar = runner.invoke(app, ["compare", str(path), "--year-start", "january", "--format", "json"])
    assert calendar.exit_code == 0 and not [n for n in json.loads(calendar.stdout)["notes"] if "calendar years" in n]
    out = runner.invoke(app, ["validate", str(path)])
    assert out.exit_code == 0 and "warning [calendar-year-hint] read in UK financial years" in out.stdout
