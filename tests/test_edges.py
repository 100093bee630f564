"""Edges that mutation testing showed no test noticed: each assertion here can fail."""

from __future__ import annotations

import pytest

from kpitool.audit.rounding import Estimate, change_interval, consistent, half, shown_half, truncate
from kpitool.compare import compare
from kpitool.errors import PeriodError
from kpitool.models import Catalogue, CompareOptions, Measure
from kpitool.numbers import format_signed, parse_cell
from kpitool.periods import Period, parse_period, parse_year, quarter_containing
from kpitool.readers import read_observations
from kpitool.validate import validate_files

HEAD = "T\tQ1-Q4 2022/23 baseline\tQ1 2023/24\tQ2 2023/24\tQ3 2023/24\tQ4 2023/24\tQ1-Q4 2023/24 total\n"


def _cells(findings):  # type: ignore[no-untyped-def]
    return [(f.code, f.cell) for f in findings]


# -- parts and ratios: declared (in the catalogue or the row's name) against inferred -------------


def test_parts_named_in_the_row_are_checked_even_where_most_columns_fail(write) -> None:  # type: ignore[no-untyped-def]
    body = (
        "Fatal\t10\t1\t2\t3\t4\t10\nSerious\t90\t9\t18\t27\t36\t90\nKSI (Fatal + Serious)\t100\t10\t21\t31\t41\t103\n"
    )
    got = _cells(validate_files([write("t.tsv", HEAD + body)]).findings)
    # only the baseline and Q1 add up: inferred parts would be dropped; named parts are checked
    assert [c for c in got if c[0] == "parts-mismatch"] == [
        ("parts-mismatch", "D4"),
        ("parts-mismatch", "E4"),
        ("parts-mismatch", "F4"),
        ("parts-mismatch", "G4"),
    ]
    finding = next(f for f in validate_files([write("u.tsv", HEAD + body)]).findings if f.cell == "D4")
    assert (finding.column_name, finding.period, finding.expected, finding.actual) == (
        "Q2 2023/24",
        "2023/24 Q2",
        "20",
        "21",
    )
    assert finding.message == "T — KSI (Fatal + Serious): Q2 2023/24 shows 21 but Fatal + Serious = 20"


def test_a_total_whose_parts_fail_in_most_columns_is_not_inferred(write) -> None:  # type: ignore[no-untyped-def]
    body = "A\t10\t1\t2\t3\t4\t10\nB\t90\t9\t18\t27\t36\t90\nTotal\t100\t10\t21\t31\t41\t103\n"
    assert [c for c in _cells(validate_files([write("t.tsv", HEAD + body)]).findings) if c[0] == "parts-mismatch"] == []


def test_catalogue_parts_are_found_by_alias_any_case_and_a_starred_name(write) -> None:  # type: ignore[no-untyped-def]
    catalogue = Catalogue(
        measures=[
            Measure(name="Officers", section="T"),
            Measure(name="Staff", section="T", aliases=["Police staff"]),
            Measure(name="All", section="T", parts=["Officers", "Staff"]),
        ]
    )
    body = "*OFFICERS\t10\t1\t2\t3\t4\t10\npolice STAFF\t90\t9\t18\t27\t36\t90\nAll\t100\t10\t21\t30\t40\t101\n"
    got = _cells(validate_files([write("t.tsv", HEAD + body)], catalogue).findings)
    assert ("parts-mismatch", "D4") in got and ("parts-mismatch", "G4") in got and ("parts-mismatch", "C4") not in got


def test_a_catalogue_ratio_is_checked_even_where_most_columns_fail(write) -> None:  # type: ignore[no-untyped-def]
    catalogue = Catalogue(
        measures=[
            Measure(name="N", section="T"),
            Measure(name="D", section="T"),
            Measure(name="R", section="T", unit="percent", aggregate="ratio", numerator="N", denominator="D"),
        ]
    )
    body = "N\t10\t1\t2\t3\t4\t10\nD\t100\t10\t10\t10\t10\t40\nR\t10.0%\t10.0%\t30.0%\t40.0%\t50.0%\t25.0%\n"
    got = _cells(validate_files([write("t.tsv", HEAD + body)], catalogue).findings)
    assert [c for c in got if c[0] == "ratio-mismatch"] == [
        ("ratio-mismatch", "D4"),
        ("ratio-mismatch", "E4"),
        ("ratio-mismatch", "F4"),
    ]
    assert [c for c in _cells(validate_files([write("u.tsv", HEAD + body)]).findings) if c[0] == "ratio-mismatch"] == []


def test_an_evident_ratio_is_the_rows_year_value(write) -> None:  # type: ignore[no-untyped-def]
    body = "N\t10\t1\t2\t3\t8\t14\nD\t100\t10\t10\t10\t20\t50\nR\t10.0%\t10.0%\t20.0%\t30.0%\t40.0%\t25.0%\n"
    got = validate_files([write("t.tsv", HEAD + body)]).findings
    at_total = {(f.code, f.expected) for f in got if f.cell == "G4"}
    assert ("ratio-mismatch", "28.0%") in at_total  # 14 / 50, not the 25.0% mean of the quarterly rates
    assert not [f for f in got if f.cell in ("C4", "D4", "E4", "F4")]


# -- rounding -----------------------------------------------------------------------------------


def test_rounding_intervals() -> None:
    assert (half(0), half(1), half(2)) == (0.0, 0.05, 0.005)
    assert (shown_half(0), shown_half(2)) == (0.5, 0.005)
    assert change_interval(Estimate(10, 0.5), Estimate(12, 0.5), points=True) == (1.0, 3.0)
    assert change_interval(Estimate(0.2, 0.5), Estimate(12, 0.5), points=False) is None  # a baseline that may be 0
    lo, hi = change_interval(Estimate(100, 1), Estimate(110, 1), points=False) or (0, 0)
    assert lo == pytest.approx((109 - 101) / 101 * 100) and hi == pytest.approx((111 - 99) / 99 * 100)
    assert not consistent(None, 5.0, 1) and consistent((4.96, 5.0), 5.04, 1) and not consistent((4.0, 4.5), 5.0, 1)
    assert truncate(1.239, 2) == 1.23 and truncate(-1.239, 2) == -1.23 and truncate(49.59, 1) == 49.5


# -- periods ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "year"), [("23/24", 2023), ("FY23/24", 2023), ("99/00", 1999), ("68/69", 2068), ("Q2 23/24", 2023)]
)
def test_short_fiscal_years(text: str, year: int) -> None:
    p = parse_period(text)
    assert p.year == year and not p.calendar and p.quarter == (2 if "Q2" in text else None)


@pytest.mark.parametrize("text", ["23/25", "2023/2025", "2023-25"])
def test_a_fiscal_year_whose_halves_do_not_follow(text: str) -> None:
    with pytest.raises(PeriodError, match="must follow the first"):
        parse_period(text)


def test_quarters_of_dates_and_calendar_arithmetic() -> None:
    from datetime import date

    assert quarter_containing(date(2024, 3, 31)).label == "2023/24 Q4"
    assert quarter_containing(date(2024, 4, 1)).label == "2024/25 Q1"
    assert quarter_containing(date(2024, 12, 31), "january").label == "2024 Q4"
    assert quarter_containing(date(2024, 1, 1), "january").label == "2024 Q1"
    q1 = Period(year=2024, quarter=1, calendar=True)
    assert q1.previous() == Period(year=2023, quarter=4, calendar=True)
    assert q1.same_period_last_year() == Period(year=2023, quarter=1, calendar=True)
    assert Period(year=2024, calendar=True).previous() == Period(year=2023, calendar=True)
    assert parse_year("2024", "january").calendar and parse_year("2023/24").year == 2023
    with pytest.raises(PeriodError):
        parse_year("2023/24", "january")
    assert q1 <= q1 and not (q1 <= q1.previous()) and q1 >= q1.previous()
    assert q1.start == date(2024, 1, 1) and Period(year=2024, quarter=1).start == date(2024, 4, 1)


# -- cells --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("nan", "'nan' is not a figure"),
        ("-Infinity", "'-Infinity' is not a figure"),
        ("1_000", "'1_000' has an underscore; write 1000 or 1,000"),
        ("1,2,3", "'1,2,3' has thousands separators in the wrong places"),
        ("12,34%", "'12,34%' has thousands separators in the wrong places"),
        ("12abc", "'12abc' is not a number"),
    ],
)
def test_why_a_cell_is_not_a_number(text: str, why: str) -> None:
    assert parse_cell(text).error == why


def test_signs_follow_the_places_shown() -> None:
    assert format_signed(0.04, 1) == "0.0" and format_signed(0.04, 2) == "+0.04" and format_signed(-0.004, 2) == "0.00"


# -- compare: the catalogue's defaults, inference, notes ----------------------------------------


def test_the_catalogues_tolerance_and_baseline_are_the_defaults(write) -> None:  # type: ignore[no-untyped-def]
    rows = "A,2021/22,100\nA,2022/23,200\nA,2023/24,108\n"
    frame = read_observations([write("a.csv", "measure,period,value\n" + rows)])
    catalogue = Catalogue.model_validate({"tolerance": 10, "baseline": "2021/22", "measures": [{"name": "A"}]})
    c = compare(frame, catalogue).comparisons[0]
    assert (c.baseline_period, c.baseline_value, c.direction, c.tolerance) == ("2021/22", 100, "level", 10)
    c = compare(frame, catalogue, CompareOptions(tolerance=5)).comparisons[0]
    assert (c.direction, c.tolerance) == ("up", 5)


def test_a_stock_table_without_a_catalogue_takes_the_last_quarter(write) -> None:  # type: ignore[no-untyped-def]
    head = "Staff\t2010 baseline\tQ1 end (30/06/2023)\tQ2 end (30/09/2023)\n"
    frame = read_observations([write("s.tsv", head + "Officers\t1557\t1366\t1384\n")])
    c = compare(frame, options=CompareOptions(baseline=parse_year("2010"))).comparisons[0]
    assert (c.aggregate, c.current_value, c.baseline_value) == ("last", 1384, 1557)


def test_a_negative_baseline_is_noted_and_a_ratio_needs_both_terms(write) -> None:  # type: ignore[no-untyped-def]
    frame = read_observations([write("n.csv", "measure,period,value\nNet,2022/23,-10\nNet,2023/24,-5\n")])
    c = compare(frame).comparisons[0]
    assert c.change_pct == pytest.approx(50.0) and any("baseline is negative" in n for n in c.notes)
    catalogue = Catalogue(
        measures=[
            Measure(name="N"),
            Measure(name="D"),
            Measure(name="R", unit="percent", aggregate="ratio", numerator="N", denominator="D"),
        ]
    )
    only_d = read_observations([write("d.csv", "measure,period,value\nD,2022/23,10\nD,2023/24,12\n")])
    assert [c.measure for c in compare(only_d, catalogue).comparisons] == ["D"]


def test_a_measure_since_a_quarter_is_complete_from_it(write) -> None:  # type: ignore[no-untyped-def]
    catalogue = Catalogue.model_validate({"measures": [{"name": "A", "since": "2023/24 Q3"}]})
    rows = "A,2023/24 Q3,5\nA,2023/24 Q4,6\nA,2022/23,40\n"
    c = compare(read_observations([write("a.csv", "measure,period,value\n" + rows)]), catalogue).comparisons[0]
    assert c.complete and c.current_value == 11 and not any("No value for" in n for n in c.notes)
    rows = "A,2023/24 Q2,4\nA,2023/24 Q4,6\nA,2022/23,40\n"
    c = compare(read_observations([write("b.csv", "measure,period,value\n" + rows)]), catalogue).comparisons[0]
    assert not c.complete  # Q3 is missing, Q2 is before the measure was reported


def test_a_restatement_names_its_measure_and_period(write) -> None:  # type: ignore[no-untyped-def]
    a = write("a.csv", "section,measure,period,value\nCalls,A,2023/24 Q1,30\n")
    b = write("b.csv", "section,measure,period,value\nCalls,A,2023/24 Q1,35\n")
    (f,) = validate_files([a, b]).findings
    assert (f.code, f.measure, f.period, f.file, f.row) == ("restated", "A", "2023/24 Q1", str(b), 2)
    assert f.message == f"A 2023/24 Q1 is restated: 30 in {a} (row 2), 35 here; compare uses this later file"


def test_a_sum_of_rounded_quarters_allows_for_their_rounding(write) -> None:  # type: ignore[no-untyped-def]
    body = "Hours\t10.0\t1.1\t2.2\t3.3\t4.4\t11.2\n"  # each quarter stands for ±0.05: the sum for ±0.2
    assert [f for f in validate_files([write("t.tsv", HEAD + body)]).findings if f.code == "total-mismatch"] == []
    body = "Hours\t10.0\t1.1\t2.2\t3.3\t4.4\t11.4\n"
    assert [f.cell for f in validate_files([write("u.tsv", HEAD + body)]).findings if f.code == "total-mismatch"] == [
        "G2"
    ]


def test_a_part_year_total_of_a_rate_is_its_terms_over_those_quarters(write) -> None:  # type: ignore[no-untyped-def]
    head = "T\tQ1-Q4 2022/23 baseline\tQ1 2023/24\tQ2 2023/24\tQ3 2023/24\tQ1-Q2 2023/24\n"
    body = "N\t10\t1\t3\t5\t4\nD\t100\t10\t10\t10\t20\nR\t10.0%\t10.0%\t30.0%\t50.0%\t{}\n"
    right = validate_files([write("r.tsv", head + body.format("20.0%"))]).findings
    assert [f for f in right if f.code in ("total-mismatch", "ratio-mismatch")] == []
    wrong = validate_files([write("w.tsv", head + body.format("30.0%"))]).findings
    assert {(f.code, f.cell, f.expected) for f in wrong if f.cell == "F4"} >= {("ratio-mismatch", "F4", "20.0%")}


def test_an_evident_mean_or_last_total(write) -> None:  # type: ignore[no-untyped-def]
    body = "Wait\t10\t8\t10\t12\t14\t11\nStock\t100\t98\t99\t101\t102\t102\n"
    assert validate_files([write("t.tsv", HEAD + body)]).findings == []
    body = "Wait\t10\t8\t10\t12\t14\t12\n"  # neither the sum (44), the mean (11) nor the last (14)
    got = [
        (f.code, f.expected)
        for f in validate_files([write("u.tsv", HEAD + body)]).findings
        if f.code == "total-mismatch"
    ]
    assert got == [("total-mismatch", "44")]


def test_findings_carry_their_column_and_period(write) -> None:  # type: ignore[no-untyped-def]
    (f,) = [
        x
        for x in validate_files([write("t.tsv", HEAD + "A\t100\t25\t25\t25\t25\t101\n")]).findings
        if x.code == "total-mismatch"
    ]
    assert (f.column, f.column_name, f.period, f.measure, f.row) == (7, "Q1-Q4 2023/24 total", "2023/24", "A", 2)
