"""A report table that gives its baseline year as four quarters, not as one year column: its % change
and arrows are checked against that year made from its quarters, and the audit says which years."""

from __future__ import annotations

import pytest

from kpitool.compare import compare
from kpitool.models import Finding
from kpitool.readers import read_observations
from kpitool.readers.base import ReadOptions
from kpitool.validate import validate_files

YEARS = "Q1 2022/23,Q2 2022/23,Q3 2022/23,Q4 2022/23,Q1 2023/24,Q2 2023/24,Q3 2023/24,Q4 2023/24"
ROWS = "Burglary,100,110,120,130,90,95,100,105,{b}\nRobbery,50,50,50,50,60,60,60,60,{r}\nTotal,150,160,170,180,150,155,160,165,{t}\n"
WRONG = ROWS.format(b="-15.2%,↑", r="20.0%,↔", t="50%,↑")
RIGHT = ROWS.format(b="-15.2%,↓", r="20.0%,↑", t="-4.5%,↔")


def _audit(write, text: str) -> list[Finding]:  # type: ignore[no-untyped-def]
    return validate_files([write("t.csv", text)]).findings


def _cells(findings: list[Finding]) -> list[tuple[str, str, str | None, str | None]]:
    return sorted((f.severity, f.code, f.cell, f.expected) for f in findings)


ERRORS = [
    ("error", "change-mismatch", "J4", "-5%"),
    ("error", "direction-mismatch", "K2", "↓"),
    ("error", "direction-mismatch", "K3", "↑"),
    ("error", "direction-mismatch", "K4", "↔"),
]
SAID = (
    "Crime: no period column gives the baseline year, so the changes and arrows were checked as 2023/24 against"
    " 2022/23, each made from its quarters (summed for counts, by its aggregate otherwise)"
)


def test_two_years_of_quarters_and_a_bare_change_compare_the_two_years(write) -> None:  # type: ignore[no-untyped-def]
    findings = _audit(write, f"Crime,{YEARS},% change,Direction of travel\n{WRONG}")
    assert _cells(findings) == sorted([*ERRORS, ("info", "change-basis", "J1", None)])
    (info,) = [f for f in findings if f.code == "change-basis"]
    assert info.message == SAID
    (total,) = [f for f in findings if f.code == "change-mismatch"]
    assert "2022/23 (sum of the quarters) 660 to 630" in total.message


def test_a_right_table_of_two_years_of_quarters_is_valid_and_says_how(write) -> None:  # type: ignore[no-untyped-def]
    findings = _audit(write, f"Crime,{YEARS},% change,Direction of travel\n{RIGHT}")
    assert _cells(findings) == [("info", "change-basis", "J1", None)]


def test_a_year_total_column_beside_the_quarters_changes_nothing(write) -> None:  # type: ignore[no-untyped-def]
    head = f"Crime,{YEARS},2023/24 total,% change,Direction of travel\n"
    findings = _audit(write, head + "Burglary,100,110,120,130,90,95,100,105,390,50%,↑\n")
    assert _cells(findings) == [
        ("error", "change-mismatch", "K2", "-15%"),
        ("error", "direction-mismatch", "L2", "↓"),
        ("info", "change-basis", "K1", None),
    ]


def test_quarters_headed_baseline_are_the_baseline_year_not_its_first_quarter(write) -> None:  # type: ignore[no-untyped-def]
    head = "Crime," + ",".join(f"Q{q} 2022/23 baseline" for q in range(1, 5)) + ","
    head += YEARS.split(",", 4)[4] + ",% change (baseline to 23/24),Direction of travel\n"
    findings = _audit(write, head + WRONG)
    assert _cells(findings) == sorted([*ERRORS, ("info", "change-basis", "J1", None)])


def test_arrows_from_a_named_year_without_its_column_are_judged_from_its_quarters(write) -> None:  # type: ignore[no-untyped-def]
    findings = _audit(write, f"Crime,{YEARS},% change from 2022/23,Direction of travel (from 2022/23)\n{WRONG}")
    assert _cells(findings) == ERRORS  # the heading names the year: nothing to say about the reading
    (arrow, *_) = [f for f in findings if f.code == "direction-mismatch"]
    assert "the change from 2022/23 (sum of the quarters) is -15.2%" in arrow.message


def test_a_part_year_is_compared_with_the_same_quarters_of_the_baseline_year(write) -> None:  # type: ignore[no-untyped-def]
    head = "Crime,Q1 2022/23,Q2 2022/23,Q3 2022/23,Q4 2022/23,Q1 2023/24,Q2 2023/24,% change,Direction of travel\n"
    # Q1–Q2: 210 -> 185 is -11.9%; against the whole year (460) it would be -59.8%
    findings = _audit(write, head + "Burglary,100,110,120,130,90,95,-11.9%,↔\n")
    assert _cells(findings) == [("error", "direction-mismatch", "I2", "↓"), ("info", "change-basis", "H1", None)]
    (info,) = [f for f in findings if f.code == "change-basis"]
    assert "2023/24 Q1–Q2 against 2022/23 Q1–Q2" in info.message


def test_a_baseline_year_missing_a_quarter_is_not_made_up_and_its_change_is_said_unchecked(write) -> None:  # type: ignore[no-untyped-def]
    head = "Crime,Q2 2022/23,Q3 2022/23,Q4 2022/23,Q1 2023/24,Q2 2023/24,Q3 2023/24,Q4 2023/24,% change\n"
    (info,) = _audit(write, head + "Burglary,110,120,130,90,95,100,105,50%\n")
    assert (info.severity, info.code, info.cell, info.measure) == ("info", "change-basis", "I2", "Burglary")
    assert info.message == (
        "Crime — Burglary: % change (50%) could not be checked: the baseline 2022/23 is given as its quarters,"
        " and 2022/23 Q1 has no column"
    )


def test_a_quarter_without_a_figure_leaves_its_row_s_change_and_arrow_said_unchecked(write) -> None:  # type: ignore[no-untyped-def]
    head = f"Crime,{YEARS},% change,Direction of travel\n"
    rows = "Burglary,100,110,120,,90,95,100,105,50%,↑\nRobbery,50,..,50,50,60,60,60,60,20.0%,↑\nTheft,5,5,5,5,6,,6,6,20%,↑\n"
    findings = [f for f in _audit(write, head + rows) if f.row != 1]
    assert [(f.severity, f.code, f.cell) for f in findings] == [
        ("info", "change-basis", c) for c in ("J2", "K2", "J3", "K3", "J4", "K4")
    ]
    said = {f.cell: f.message for f in findings}
    assert said["J2"].endswith("the baseline 2022/23 is given as its quarters, and 'Q4 2022/23' has no figure")
    assert said["K3"].endswith("and 'Q2 2022/23' ('..') has no figure")
    assert said["J4"].endswith("the current year 2023/24 is made from its quarters, and 'Q2 2023/24' has no figure")


@pytest.mark.parametrize("heading", ["Q1-Q4 2022/23 total", "2022/23 total", "Total 2022/23", "2022/23 Total"])
def test_a_baseline_year_given_only_as_a_total_column_is_the_baseline_year(write, heading: str) -> None:  # type: ignore[no-untyped-def]
    """With none of its quarters beside it, a year's total is that year's figure: read as a 2022/23
    column is, audited and compared so, and said."""
    head = f"Crime,{heading},Q1 2023/24,Q2 2023/24,Q3 2023/24,Q4 2023/24,% change,Direction of travel\n"
    findings = _audit(write, head + "Burglary,460,90,95,100,105,50%,↑\n")
    assert _cells(findings) == [
        ("error", "change-mismatch", "G2", "-15%"),
        ("error", "direction-mismatch", "H2", "↓"),
        ("info", "layout", "B1", None),
    ]
    (info,) = [f for f in findings if f.code == "layout"]
    assert info.message == (
        f"column {heading!r} is read as the year 2022/23, as a 2022/23 column would be: the table shows none of its"
        " quarters, so it is that year's figure, not a total to check"
    )
    path = write("right.csv", head + "Burglary,460,90,95,100,105,-15.2%,↓\n")
    assert _cells(validate_files([path]).findings) == [("info", "layout", "B1", None)]
    (row,) = compare(read_observations([path], ReadOptions())).comparisons
    assert (row.baseline_period, row.baseline_value, row.current_value) == ("2022/23", 460, 390)
    assert row.baseline_basis == "2022/23 (year figure)"


def test_a_year_total_beside_its_own_quarters_stays_a_total_to_check(write) -> None:  # type: ignore[no-untyped-def]
    head = "Crime,2022/23,Q1 2023/24,Q2 2023/24,Q3 2023/24,Q4 2023/24,2023/24 total\n"
    findings = _audit(write, head + "Burglary,460,90,95,100,105,391\n")
    assert _cells(findings) == [("error", "total-mismatch", "G2", "390")]


def test_a_current_year_column_after_its_quarters_is_no_baseline(write) -> None:  # type: ignore[no-untyped-def]
    """``2023/24`` after both years' quarters is the current year's total, never the baseline: the
    change runs from 2022/23 made from its quarters (Calls' 0.0% and ↔ are wrong, Arrests' right)."""
    head = "Measure,2022/23 Q1,2022/23 Q2,2022/23 Q3,2022/23 Q4,2023/24 Q1,2023/24 Q2,2023/24 Q3,2023/24 Q4,2023/24"
    rows = "Calls,100,100,100,100,150,150,150,150,600,0.0%,↔\nArrests,100,100,100,100,150,150,150,150,600,+50.0%,↑\n"
    findings = _audit(write, f"{head},% change,Direction\n{rows}")
    errors = sorted((f.code, f.cell, f.expected) for f in findings if f.severity == "error")
    assert errors == [("change-mismatch", "K2", "50.0%"), ("direction-mismatch", "L2", "↑")]
    assert any(f.code == "change-basis" for f in findings)


def test_a_rate_no_catalogue_describes_is_judged_only_where_no_weighting_of_its_quarters_explains_it(
    write,  # type: ignore[no-untyped-def]
) -> None:
    """A percentage's year is some weighted mean of its quarters, between the least and the most of
    them: 25 -> 27 in every quarter is +2.0 pp whatever the weights (9.0 and ↑ are wrong); 90 -> 80..83
    is -7 to -10 pp, ↓ under any weighting; a year of 99% is no mean of 80..83 at all."""
    head = "Measure,2022/23,2023/24 Q1,2023/24 Q2,2023/24 Q3,2023/24 Q4"
    rows = "Detection rate (%),25,27,27,27,27,9.0,↑\nAnswered,90%,80%,81%,82%,83%,-8.0,↓\n"
    findings = _audit(write, f"{head},% change,Direction\n{rows}")
    errors = sorted((f.code, f.cell) for f in findings if f.severity == "error")
    assert errors == [("change-mismatch", "G2"), ("direction-mismatch", "H2")]  # Answered's -8.0 pp and ↓ stand
    year = _audit(write, f"{head},2023/24\nAnswered,90%,80%,81%,82%,83%,99%\nKept,90%,80%,81%,82%,83%,82.4%\n")
    assert sorted((f.code, f.cell) for f in year if f.severity == "error") == [("total-mismatch", "G2")]
