"""Months, dates, rolling years: how they are spelled, how a column decides, how months roll up."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kpitool.compare import compare
from kpitool.errors import PeriodError, UsageError
from kpitool.models import Catalogue, CompareOptions, Comparison, Measure
from kpitool.periods import (
    Period,
    YearStart,
    month_period,
    parse_period,
    period_of,
    read_period_column,
    rolling_period,
)
from kpitool.readers import read_observations
from kpitool.validate import validate_files

# --------------------------------------------------------------------------- spellings


@pytest.mark.parametrize(
    "text",
    ["2023-04", "2023-04-01", "01/04/2023", "Apr-23", "Apr 23", "Apr 2023", "April 2023", "2023 Apr", "april-2023",
     "2023-4", "Apr'23", "2023-04-01 00:00:00", "2023-04-01T00:00:00"],
)  # fmt: skip
def test_month_spellings_print_one_way(text: str) -> None:
    p = parse_period(text)
    assert p.label == "2023-04" and p.kind == "month" and p.start == date(2023, 4, 1) and p.months == 1


def test_a_month_falls_in_its_fiscal_or_calendar_quarter() -> None:
    jan = parse_period("Jan 2024")
    assert jan.year == 2023 and jan.quarter_period().label == "2023/24 Q4" and jan.year_period().label == "2023/24"
    jan_cal = parse_period("Jan 2024", "january")
    assert jan_cal.quarter_period().label == "2024 Q1" and jan_cal.year_period().label == "2024"
    assert [m.label for m in parse_period("2023/24 Q4").month_periods()] == ["2024-01", "2024-02", "2024-03"]
    assert len(parse_period("2023/24").month_periods()) == 12


def test_month_arithmetic_crosses_years() -> None:
    assert parse_period("2024-01").previous().label == "2023-12"
    assert parse_period("2024-04").previous().label == "2024-03"
    assert parse_period("2024-02").same_period_last_year().label == "2023-02"
    assert parse_period("2023-12").shifted(3).label == "2024-03"


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("12 months ending 30/06/2018", "12m to 2018-06"),
        ("Year ending June 2018", "12m to 2018-06"),
        ("YE Jun 2018", "12m to 2018-06"),
        ("12m to 2018-06", "12m to 2018-06"),
        ("12 months to June 2018", "12m to 2018-06"),
        ("Rolling year to Jun 18", "12m to 2018-06"),
        # the 12 months to March are the fiscal year
        ("12 months ending 31/03/2018", "2017/18"),
        ("Year ending March 2018", "2017/18"),
    ],
)
def test_rolling_year_spellings(text: str, label: str) -> None:
    assert parse_period(text).label == label


def test_a_rolling_year_covers_its_twelve_months_and_compares_with_a_year_before() -> None:
    p = parse_period("12m to 2018-06")
    assert p.kind == "rolling" and p.months == 12 and p.start == date(2017, 7, 1)
    assert p.same_period_last_year().label == "12m to 2017-06"
    assert p.month_periods()[0].label == "2017-07" and p.last_month().label == "2018-06"
    # the 12 months to December are the calendar year in a calendar project, a rolling year otherwise
    assert parse_period("YE Dec 2018", "january").label == "2018"
    assert parse_period("YE Dec 2018").label == "12m to 2018-12"
    assert parse_period("YE Mar 2018", "january").label == "12m to 2018-03"


@pytest.mark.parametrize(
    "text",
    [
        "2023-13",
        "31/02/2023",
        "15/06/2023",
        "12 months ending 30/12/2017",
        "Year ending 2018",
        "Apr 1850",
        "13/13/2020",
    ],
)
def test_rejected_dates_and_months(text: str) -> None:
    with pytest.raises(PeriodError):
        parse_period(text)


def test_a_date_names_its_month_or_the_quarter_it_ends() -> None:
    assert parse_period("31/05/2023").label == "2023-05"  # a month's last day: that month
    assert parse_period("30/06/2023").label == "2023/24 Q1"  # a quarter's last day: that quarter
    assert parse_period("As at 31 March 2019").label == "2018/19 Q4"


KINDS = st.one_of(
    st.builds(lambda y, q, c: period_of(y, q, c), st.integers(1900, 2199), st.none() | st.integers(1, 4), st.booleans()),
    st.builds(lambda y, m, s: month_period(y, m, s), st.integers(1901, 2199), st.integers(1, 12),
              st.sampled_from(["april", "january"])),
    st.builds(lambda y, m, s: rolling_period(y, m, s), st.integers(1901, 2199), st.integers(1, 12),
              st.sampled_from(["april", "january"])),
)  # fmt: skip


@given(KINDS)
def test_every_period_printed_is_read_back_as_itself(period: Period) -> None:
    start: YearStart = "january" if period.calendar else "april"
    if period.is_year and period.calendar and not period.is_quarter:
        assert parse_period(period.label, start) == period
        return
    if period.is_quarter and period.calendar:
        assert parse_period(period.label, "january") == period
        return
    # a month is read back in a column of months (alone, 2009-10 is the fiscal year: see below)
    column = read_period_column([period.label, "2020-05"], start)
    assert column.periods[period.label] == period


# --------------------------------------------------------------------------- columns


def test_a_column_with_a_month_reads_iso_spellings_as_months() -> None:
    column = read_period_column(["2009-10", "2009-11", "2009-12"])
    assert [column.periods[t].label for t in ("2009-10", "2009-11")] == ["2009-10", "2009-11"]
    assert column.periods["2009-10"].kind == "month" and not column.ambiguous


def test_a_column_of_only_ambiguous_spellings_stays_fiscal_years_and_says_so() -> None:
    column = read_period_column(["2009-10", "2010-11"])
    assert column.periods["2009-10"].label == "2009/10"
    assert [m.label for m in column.ambiguous.values()] == ["2009-10", "2010-11"]


def test_a_calendar_project_reads_iso_spellings_as_months_alone() -> None:
    column = read_period_column(["2009-10"], "january")
    assert column.periods["2009-10"].label == "2009-10" and not column.ambiguous


def test_a_column_of_quarter_end_dates_is_quarters_counted_at_their_end() -> None:
    column = read_period_column(["30/06/2023", "30/09/2023"])
    assert [p.label for p in column.periods.values()] == ["2023/24 Q1", "2023/24 Q2"]
    assert column.count_dates == {"30/06/2023", "30/09/2023"}
    # month ends that are not all quarter ends: months
    column = read_period_column(["31/05/2023", "30/06/2023"])
    assert [p.label for p in column.periods.values()] == ["2023-05", "2023-06"]


def test_a_rolling_heading_makes_dates_ends_of_rolling_years() -> None:
    column = read_period_column(["30/06/2018", "31/03/2018", "30/12/2017"], heading="12 months ending")
    assert column.periods["30/06/2018"].label == "12m to 2018-06"
    assert column.periods["31/03/2018"].label == "2017/18"
    assert "month's last day" in column.errors["30/12/2017"]


def _write(tmp_path: Path, text: str, name: str = "data.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_ambiguous_iso_periods_are_a_warning_at_their_cell(tmp_path: Path) -> None:
    path = _write(tmp_path, "measure,period,value\nA,2009-10,1\nA,2010-11,2\n")
    report = validate_files([path])
    [first, second] = [f for f in report.findings if f.code == "ambiguous-period"]
    assert (first.row, first.column, first.severity) == (2, 2, "warning")
    assert "fiscal year 2009/10 or the month October 2009" in first.message and second.row == 3


# --------------------------------------------------------------------------- roll-up


def _months(values: Mapping[str, float | None], name: str = "Calls") -> str:
    lines = ["measure,period,value"]
    lines += [f"{name},{p},{'' if v is None else v}" for p, v in values.items()]
    return "\n".join(lines) + "\n"


def _year(cy: int, start: int, value: float, months: int = 12) -> dict[str, float | None]:
    out: dict[str, float | None] = {}
    for i in range(months):
        idx = cy * 12 + start - 1 + i
        out[f"{idx // 12}-{idx % 12 + 1:02d}"] = value
    return out


def _compare(tmp_path: Path, text: str, **options: object) -> list[Comparison]:
    observations = read_observations([_write(tmp_path, text)])
    return compare(observations, options=CompareOptions.model_validate(options)).comparisons


def test_months_make_quarters_and_years_by_the_aggregate(tmp_path: Path) -> None:
    text = _months(_year(2024, 4, 100) | _year(2025, 4, 110))
    [row] = _compare(tmp_path, text)
    assert (row.baseline_value, row.current_value) == (1200, 1320)
    assert [q.value for q in row.quarters] == [330, 330, 330, 330] and row.direction == "up"
    assert len(row.history) == 24  # the data's own grain: months


def test_a_mean_measure_averages_its_months(tmp_path: Path) -> None:
    months = {"2024-04": 10.0, "2024-05": 20.0, "2024-06": 30.0, "2025-04": 20.0, "2025-05": 20.0, "2025-06": 20.0}
    [row] = _compare(tmp_path, _months(months, "Average wait (s)"))
    assert row.quarters[0].value == 20 and row.baseline_value == 20 and row.direction == "level"


def test_a_missing_month_is_named_and_a_flow_gets_no_arrow(tmp_path: Path) -> None:
    current = _year(2025, 4, 110)
    current["2025-08"] = None
    [row] = _compare(tmp_path, _months(_year(2024, 4, 100) | current))
    assert row.direction is None and row.change is None
    assert row.not_compared and "No value for 2025-08" in row.not_compared
    assert [q.period for q in row.quarters] == ["2025/26 Q1", "2025/26 Q3", "2025/26 Q4"]


def test_a_quarter_in_progress_is_left_out_until_complete(tmp_path: Path) -> None:
    current = _year(2025, 4, 110, months=8)  # April to November
    [row] = _compare(tmp_path, _months(_year(2024, 4, 100) | current))
    assert row.current_quarters == ["2025/26 Q1", "2025/26 Q2"] and row.current_value == 660
    assert row.baseline_value == 600 and row.direction == "up"  # the same quarters of the baseline
    assert any("2025/26 Q3 has 2025-10, 2025-11 so far" in n for n in row.notes)


def test_a_baseline_year_missing_a_month_says_which(tmp_path: Path) -> None:
    base = _year(2024, 4, 100)
    del base["2024-12"]
    [row] = _compare(tmp_path, _months(base | _year(2025, 4, 110)))
    assert row.baseline_value is None
    assert any("which has no value for 2024-12" in n for n in row.notes)


# --------------------------------------------------------------------------- any two periods


def test_a_quarter_against_a_quarter(tmp_path: Path) -> None:
    months = _year(2025, 4, 100, months=3) | {"2026-01": 150.0, "2026-02": 150.0, "2026-03": 150.0}
    months |= {"2025-07": 1.0, "2025-08": 1.0, "2025-09": 1.0, "2025-10": 1.0, "2025-11": 1.0, "2025-12": 1.0}
    [row] = _compare(tmp_path, _months(months), baseline=parse_period("2025/26 Q1"), current=parse_period("2025/26 Q4"))
    assert (row.baseline_value, row.current_value, row.change_pct) == (300, 450, 50)
    assert row.baseline_basis == "2025-04 to 2025-06 (3 months)"


def test_a_month_against_the_same_month_a_year_before_by_default(tmp_path: Path) -> None:
    [row] = _compare(tmp_path, _months({"2024-09": 100.0, "2025-09": 90.0}), current=parse_period("2025-09"))
    assert (row.baseline_period, row.baseline_value, row.current_value) == ("2024-09", 100, 90)


def test_periods_of_different_lengths_are_refused(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="is a year and the current period 2025/26 Q4 is a quarter"):
        _compare(tmp_path, _months(_year(2024, 4, 1) | _year(2025, 4, 1)), baseline=parse_period("2024/25"),
                 current=parse_period("2025/26 Q4"))  # fmt: skip


def test_rolling_years_compare_with_the_same_months_a_year_before(tmp_path: Path) -> None:
    text = "measure,12 months ending,value\nBurglary,30/06/2017,100\nBurglary,30/06/2018,120\nBurglary,30/09/2018,125\n"
    path = _write(tmp_path, text)
    from kpitool.readers import ReadOptions

    observations = read_observations([path], ReadOptions(period_col="12 months ending"))
    report = compare(observations, options=CompareOptions(current=parse_period("12m to 2018-06")))
    [row] = report.comparisons
    assert (row.baseline_period, row.baseline_value, row.current_value) == ("12m to 2017-06", 100, 120)
    assert compare(observations).current == "12m to 2018-09"  # the latest, by default


def test_a_quarter_beside_its_months_is_checked_against_them(tmp_path: Path) -> None:
    text = (
        "measure,period,value\nCalls,2024-04,10\nCalls,2024-05,11\nCalls,2024-06,12\nCalls,2024/25 Q1,34\n"
        "Average wait (s),2024-04,10\nAverage wait (s),2024-05,11\nAverage wait (s),2024-06,11\n"
        "Average wait (s),2024/25 Q1,11\n"  # 10.67, rounded: no finding
    )
    report = validate_files([_write(tmp_path, text)])
    [finding] = [f for f in report.findings if f.code == "total-mismatch"]
    assert (finding.row, finding.column, finding.expected, finding.actual) == (5, 3, "33", "34")
    assert "its months give 33 (sum of 2024-04, 2024-05, 2024-06)" in finding.message
    # the quarter's own figure is the quarter's value in compare; the finding does not stop it
    assert not finding.blocks_comparison


def test_a_measure_with_only_part_of_a_quarter_is_a_row_that_says_so(tmp_path: Path) -> None:
    [row] = _compare(tmp_path, _months({"2024-10": 4.0, "2025-10": 5.0}))
    assert row.current_value is None and row.direction is None
    assert any("2025/26 Q3 has 2025-10 so far" in n for n in row.notes)
    [row] = _compare(
        tmp_path, _months({"2025-04": 5.0, "2026-03": 7.0}), baseline=parse_period("2025/26 Q1"),
        current=parse_period("2025/26 Q4"),
    )  # fmt: skip
    assert (row.baseline_value, row.current_value) == (None, None)
    assert "No baseline value for 2025/26 Q1: no value for 2025-05, 2025-06." in row.notes


def test_a_report_header_of_months_is_decided_as_a_whole(tmp_path: Path) -> None:
    from kpitool.readers import read_file

    months = read_file(_write(tmp_path, "Measure,2009-10,2009-11,Apr-10\nCalls,10,11,12\n"))
    assert sorted(months.periods) == ["2009-10", "2009-11", "2010-04"]
    assert [f.code for f in months.findings] == ["layout"]  # read as a report table, though headed Measure
    years = read_file(_write(tmp_path, "Measure,2009-10,2010-11\nCalls,10,11\n", "years.csv"))
    assert sorted(years.periods) == ["2009/10", "2010/11"]
    assert [(f.code, f.cell) for f in years.findings[1:]] == [("ambiguous-period", "B1"), ("ambiguous-period", "C1")]


def test_an_ambiguous_option_beside_a_month_says_how_to_write_the_month(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="for the month write 2009-10-01 or Oct 2009"):
        _compare(tmp_path, _months({"2009-10": 1.0, "2009-12": 2.0}), baseline=parse_period("2009-10"),
                 current=parse_period("2009-12"))  # fmt: skip


def test_a_stock_of_months_is_its_count_at_each_quarter_end(tmp_path: Path) -> None:
    from kpitool.readers import read_file

    text = "Measure,Sep-18,Mar-19,Sep-19\nOfficers (FTE),100,104,110\n"
    observations = read_observations([_write(tmp_path, text)])
    catalogue = Catalogue(measures=[Measure(name="Officers (FTE)", unit="number", aggregate="last")])
    report = compare(observations, catalogue, CompareOptions(baseline=parse_period("2018/19 Q2"),
                                                             current=parse_period("2019/20 Q2")))  # fmt: skip
    [row] = report.comparisons
    assert (row.baseline_value, row.current_value) == (100, 110)
    year = compare(observations, catalogue).comparisons[0]
    assert (year.baseline_value, year.current_value) == (100, 110)  # 2019/20 so far is Q2: against Q2 of 2018/19
    assert read_file(_write(tmp_path, text, "b.csv")).periods.keys() == {"2018-09", "2019-03", "2019-09"}


def test_an_iso_spelling_that_is_neither_month_nor_year_says_so() -> None:
    with pytest.raises(PeriodError, match=r"must follow the first \(2025/26\), and 13 is not a month \(01 to 12\)"):
        parse_period("2025-13")
    assert parse_period("2012-13").label == "2012/13"  # a fiscal year, as before
