from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from rich.cells import cell_len
from rich.console import Console

from conftest import EXAMPLES
from kpitool.arithmetic import assess, band_direction, relative_change, year_value
from kpitool.catalogue import load_catalogue
from kpitool.compare import compare
from kpitool.errors import UsageError
from kpitool.models import Catalogue, CompareOptions, Measure
from kpitool.periods import parse_period, parse_year
from kpitool.readers import read_observations
from kpitool.readers.base import ReadOptions
from kpitool.render.terminal import render_table


def test_arithmetic_rules() -> None:
    assert year_value([1, 2, 3], "sum") == 6
    assert year_value([1, 2, 3], "last") == 3
    assert year_value([1, 2, 3], "mean") == 2
    assert year_value([], "sum") is None
    assert relative_change(0, 5) is None and relative_change(None, 5) is None
    assert relative_change(-10, -5) == pytest.approx(50.0)  # relative to the baseline's size
    assert band_direction(5.0, 5.0) == "level"  # the band's edge is inside it
    assert band_direction((21 - 20) / 20 * 100, 5.0) == "level"
    assert band_direction(5.0001, 5.0) == "up" and band_direction(-5.0001, 5.0) == "down"
    assert band_direction(None, 5.0) is None
    assert assess("up", "up") == "improving" and assess("up", "down") == "worsening"
    assert assess("level", "down") == "stable" and assess("down", "neutral") == "not assessed"


def _frame(write, *files: str):  # type: ignore[no-untyped-def]
    paths = [write(f"f{i}.csv", "measure,period,value\n" + text) for i, text in enumerate(files)]
    return read_observations(paths)


def _one(report, name):  # type: ignore[no-untyped-def]
    return next(c for c in report.comparisons if c.measure == name)


def test_full_year_sum_and_direction(write) -> None:  # type: ignore[no-untyped-def]
    frame = _frame(write, "A,2022/23,100\nA,2023/24 Q1,26\nA,2023/24 Q2,26\nA,2023/24 Q3,26\nA,2023/24 Q4,27\n")
    c = _one(compare(frame), "A")
    assert c.current_value == 105 and c.baseline_value == 100
    assert c.change == 5 and c.change_pct == pytest.approx(5.0)
    assert c.direction == "level"  # exactly on the band's edge
    assert c.current_basis == "Q1–Q4 2023/24" and c.baseline_basis == "2022/23 (year figure)"


def test_partial_year_uses_the_same_quarters_of_the_baseline(write) -> None:  # type: ignore[no-untyped-def]
    rows = "".join(f"A,2022/23 Q{q},{10 * q}\n" for q in range(1, 5)) + "A,2023/24 Q1,12\nA,2023/24 Q2,22\n"
    c = _one(compare(_frame(write, rows)), "A")
    assert c.baseline_value == 30 and c.current_value == 34
    assert c.baseline_basis == "Q1–Q2 2022/23"
    assert any("same quarters" in n for n in c.notes)


def test_a_part_year_flow_is_not_compared_with_a_full_year(write) -> None:  # type: ignore[no-untyped-def]
    c = _one(compare(_frame(write, "A,2022/23,100\nA,2023/24 Q1,30\nA,2023/24 Q2,28\n")), "A")
    assert c.baseline_value == 100 and c.current_value == 58 and c.current_basis == "Q1–Q2 2023/24"
    assert (c.change, c.change_pct, c.direction, c.assessment) == (None, None, None, "not assessed")
    assert not c.complete and c.current_quarters == ["2023/24 Q1", "2023/24 Q2"]
    assert c.not_compared and "not comparable with a full year" in c.not_compared


def test_pro_rata_projects_a_part_year_and_says_so(write) -> None:  # type: ignore[no-untyped-def]
    frame = _frame(write, "A,2022/23,100\nA,2023/24 Q1,30\nA,2023/24 Q2,28\n")
    c = _one(compare(frame, options=CompareOptions(pro_rata=True)), "A")
    assert c.projected and c.current_value == 116 and c.change_pct == pytest.approx(16.0) and c.direction == "up"
    assert "projection" in c.current_basis and any("a projection, not a measured value" in n for n in c.notes)


def test_a_projected_row_is_no_part_year_for_the_value_heading(write) -> None:  # type: ignore[no-untyped-def]
    """Burglary projected from Q1–Q3 and a rate of Q1 alone: the heading is no part year ("2023/24
    Q1" stood over 380 projected from three quarters), and the rate says its own."""
    from kpitool.render.markdown import headers, row_cells

    text = "A,2022/23,460\nA,2023/24 Q1,90\nA,2023/24 Q2,95\nA,2023/24 Q3,100\nRate,2022/23,20%\nRate,2023/24 Q1,30%\n"
    report = compare(_frame(write, text), options=CompareOptions(pro_rata=True))
    assert headers(report)[-4] == "2023/24 value"
    cells = {c.measure: row_cells(c, report)[-4] for c in report.comparisons}
    assert cells == {"A": "380 (projected)", "Rate": "30.0% (Q1)"}


@pytest.mark.parametrize("how", ["mean", "last"])
def test_part_years_of_averages_and_stocks_stay_comparable(how: str, write) -> None:  # type: ignore[no-untyped-def]
    catalogue = Catalogue(measures=[Measure(name="A", aggregate=how)])  # type: ignore[arg-type]
    c = _one(compare(_frame(write, "A,2022/23,10\nA,2023/24 Q1,12\nA,2023/24 Q2,12\n"), catalogue), "A")
    assert c.current_value == 12 and c.change_pct == pytest.approx(20.0) and c.direction == "up"
    assert any(f"({how}) compared with the full year" in n for n in c.notes)


def test_a_gap_is_named_and_not_summed_over_as_if_complete(write) -> None:  # type: ignore[no-untyped-def]
    rows = "A,2022/23,100\nA,2023/24 Q1,30\nA,2023/24 Q2,30\nA,2023/24 Q3,[c]\nA,2023/24 Q4,30\n"
    c = _one(compare(_frame(write, rows)), "A")
    assert c.current_value == 90 and c.direction is None and not c.complete
    assert any("No value for 2023/24 Q3 ([c])" in n for n in c.notes)
    same = "".join(f"A,2022/23 Q{q},25\n" for q in range(1, 5)) + rows.split("\n", 1)[1]
    c = _one(compare(_frame(write, same)), "A")  # with the same quarters of the baseline: like for like
    assert (c.baseline_value, c.baseline_basis, c.change_pct) == (75, "Q1, Q2, Q4 2022/23", pytest.approx(20.0))


def test_missing_quarter(write) -> None:  # type: ignore[no-untyped-def]
    c = _one(compare(_frame(write, "A,2022/23,100\nA,2023/24 Q1,30\nA,2023/24 Q2,..\nA,2023/24 Q3,30\n")), "A")
    assert c.current_value == 60 and c.current_basis == "Q1, Q3 2023/24"
    assert [q.period for q in c.quarters] == ["2023/24 Q1", "2023/24 Q2", "2023/24 Q3"]
    assert c.quarters[1].value is None and c.quarters[1].marker == ".."


def test_measure_only_in_baseline_or_only_in_current(write) -> None:  # type: ignore[no-untyped-def]
    report = compare(_frame(write, "Old,2022/23,10\nNew,2023/24 Q1,5\nBoth,2022/23,1\nBoth,2023/24 Q1,1\n"))
    old, new = _one(report, "Old"), _one(report, "New")
    assert old.current_value is None and old.change_pct is None and old.direction is None
    assert new.baseline_value is None and new.change_pct is None and new.arrow == "n/a"
    assert any("No baseline value" in n for n in new.notes)


def test_zero_baseline_gives_no_percentage(write) -> None:  # type: ignore[no-untyped-def]
    c = _one(compare(_frame(write, "A,2022/23,0\nA,2023/24,3\n")), "A")
    assert c.change == 3 and c.change_pct is None and c.direction == "up"
    assert any("baseline is zero" in n for n in c.notes)


def test_negative_values_for_number_units(write) -> None:  # type: ignore[no-untyped-def]
    c = _one(
        compare(_frame(write, "Net,2022/23 Q1,-5\nNet,2022/23 Q2,-5\nNet,2023/24 Q1,-2\nNet,2023/24 Q2,-3\n")), "Net"
    )
    assert c.unit == "number" and c.current_value == -5
    assert c.change_pct == pytest.approx(50.0) and c.direction == "up"


def test_percent_measures_change_in_points_and_ratios_are_recomputed(write) -> None:  # type: ignore[no-untyped-def]
    catalogue = Catalogue(
        tolerance=5,
        measures=[
            Measure(name="Recorded", polarity="down"),
            Measure(name="Resolved", polarity="up"),
            Measure(
                name="Rate",
                unit="percent",
                aggregate="ratio",
                polarity="up",
                numerator="Resolved",
                denominator="Recorded",
            ),
        ],
    )
    frame = _frame(
        write,
        "Recorded,2022/23,1000\nResolved,2022/23,100\n"
        "Recorded,2023/24 Q1,100\nResolved,2023/24 Q1,50\nRecorded,2023/24 Q2,900\nResolved,2023/24 Q2,90\n",
    )
    c = _one(compare(frame, catalogue), "Rate")
    # (50 + 90) / (100 + 900) = 14%, not the mean of 50% and 10%
    assert c.current_value == pytest.approx(14.0) and c.baseline_value == pytest.approx(10.0)
    assert c.change_unit == "pp" and c.change == pytest.approx(4.0) and c.direction == "level"
    assert [q.value for q in c.quarters] == [pytest.approx(50.0), pytest.approx(10.0)]


def test_tolerance_global_and_per_measure(write) -> None:  # type: ignore[no-untyped-def]
    frame = _frame(write, "A,2022/23,100\nA,2023/24,108\nB,2022/23,100\nB,2023/24,108\n")
    catalogue = Catalogue(measures=[Measure(name="A"), Measure(name="B", tolerance=10)])
    report = compare(frame, catalogue)
    assert _one(report, "A").direction == "up" and _one(report, "B").direction == "level"
    assert _one(compare(frame, catalogue, CompareOptions(tolerance=9)), "A").direction == "level"


def test_later_file_wins(write) -> None:  # type: ignore[no-untyped-def]
    frame = _frame(write, "A,2022/23,100\nA,2023/24 Q1,10\n", "A,2023/24 Q1,20\n")
    assert _one(compare(frame), "A").current_value == 20


def test_quarter_on_quarter_and_year_on_year(write) -> None:  # type: ignore[no-untyped-def]
    c = _one(compare(_frame(write, "A,2022/23 Q2,10\nA,2023/24 Q1,40\nA,2023/24 Q2,30\n")), "A")
    assert c.quarter_on_quarter is not None and c.quarter_on_quarter.relative == pytest.approx(-25.0)
    assert c.year_on_year is not None and c.year_on_year.from_period == "2022/23 Q2" and c.year_on_year.absolute == 20


def test_filters_and_errors(write) -> None:  # type: ignore[no-untyped-def]
    frame = _frame(write, "A,2022/23,1\nA,2023/24 Q1,1\nB,2022/23,1\nB,2023/24 Q1,2\n")
    assert [c.measure for c in compare(frame, options=CompareOptions(measures=["b"])).comparisons] == ["B"]
    with pytest.raises(UsageError, match=r"--measure 'nope': no such measure in the data \(they have 'A', 'B'\)"):
        compare(frame, options=CompareOptions(measures=["nope"]))
    with pytest.raises(UsageError, match=r"--measure 'Bb': no such measure in the data \(did you mean 'B'\? they"):
        compare(frame, options=CompareOptions(measures=["Bb"]))
    with pytest.raises(UsageError, match=r"2023-06 is in the quarter 2023/24 Q1: try --current \"2023/24 Q1\""):
        compare(frame, options=CompareOptions(current=parse_period("2023-06")))
    with pytest.raises(UsageError, match="not before"):
        compare(frame, options=CompareOptions(baseline=parse_year("2023/24")))
    with pytest.raises(
        UsageError, match="no measure has a value for the baseline 2021/22; the data have 2022/23, 2023/24"
    ):
        compare(frame, options=CompareOptions(baseline=parse_year("2021/22")))
    with pytest.raises(UsageError, match="current year 2024/25; the data have 2022/23, 2023/24"):
        compare(frame, options=CompareOptions(current=parse_year("2024/25")))


def test_three_hundred_measures_and_twenty_years(write) -> None:  # type: ignore[no-untyped-def]
    rows = "".join(
        f"Measure {m},{y}/{(y + 1) % 100:02d} Q{q},{m + y + q}\n"
        for m in range(300)
        for y in range(2004, 2024)
        for q in range(1, 5)
    )
    report = compare(_frame(write, rows))
    assert len(report.comparisons) == 300 and report.current == "2023/24" and report.baseline == "2022/23"
    assert _one(report, "Measure 7").current_value == sum(7 + 2023 + q for q in range(1, 5))
    assert len(_one(report, "Measure 7").history) == 8


def test_unicode_and_very_long_names_wrap_without_crashing(write) -> None:  # type: ignore[no-untyped-def]
    long_name = "Très long nom de mesure — 犯罪 — " * 8 + "[x] [/]"
    frame = _frame(write, f'"{long_name}",2022/23,10\n"{long_name}",2023/24 Q1,12\nZ,2022/23,1\nZ,2023/24 Q1,1\n')
    report = compare(frame)
    console = Console(file=io.StringIO(), width=60, force_terminal=True, no_color=True, record=True)
    render_table(report, console)
    text = console.export_text()
    assert "犯罪" in text and "[/]" in text
    assert max(cell_len(line) for line in text.splitlines()) <= 60


def test_example_project_figures() -> None:
    catalogue = load_catalogue(EXAMPLES / "kpitool.toml")
    frame = read_observations(sorted((EXAMPLES / "data").glob("*.csv")))
    report = compare(frame, catalogue, CompareOptions(baseline=parse_year("2022/23")))
    c = {(x.section, x.measure): x for x in report.comparisons}
    calls = c[("Call data", "999 calls")]
    assert (calls.current_value, calls.baseline_value) == (112454, 107042)
    assert round(calls.change_pct or 0, 1) == 5.1 and calls.direction == "up"
    assert (
        round(c[("Call data", "101 calls")].change_pct or 0, 1) == -3.5
        and c[("Call data", "101 calls")].direction == "level"
    )
    homicide = c[("Violence against the person", "Homicide")]
    assert (
        round(homicide.change_pct or 0, 1) == -28.6
        and homicide.direction == "down"
        and homicide.assessment == "improving"
    )
    rate = c[("Neighbourhood crime", "Resolved rate")]
    assert rate.change_unit == "pp" and round(rate.change or 0, 1) == -1.1 and rate.direction == "level"
    assert round(rate.current_value or 0, 1) == 12.6 and round(rate.baseline_value or 0, 1) == 13.7
    answer = c[("Public access to services", "Average answer time for 999 calls (seconds)")]
    assert (
        answer.current_value == pytest.approx(14.425)
        and answer.direction == "down"
        and answer.assessment == "improving"
    )
    officers = c[("Force staffing levels", "Police officers")]
    assert (officers.baseline_period, officers.baseline_value, officers.current_value) == ("2010", 1557, 1378)
    assert officers.direction == "down" and officers.assessment == "worsening"
    asb = c[("Anti-social behaviour", "ASB (all)")]
    assert asb.current_value == 11972  # the quarters, not the published 12,008


def test_bare_file_needs_no_catalogue(tmp_path: Path) -> None:
    path = tmp_path / "data.csv"
    path.write_text(
        "measure,period,value\nRate,2023/24 Q1,10%\nRate,2024/25 Q1,12.5%\nN,2023/24 Q1,3\nN,2024/25 Q1,4\n"
    )
    report = compare(read_observations([path]), options=CompareOptions(baseline=parse_year("2023/24")))
    rate = _one(report, "Rate")
    assert rate.unit == "percent" and rate.change == pytest.approx(2.5) and rate.change_unit == "pp" and rate.inferred


def test_a_ratio_of_stocks_uses_their_year_values_not_their_sums(write) -> None:  # type: ignore[no-untyped-def]
    catalogue = Catalogue(
        measures=[
            Measure(name="Officers", aggregate="last"),
            Measure(name="Staff", aggregate="last"),
            Measure(name="Officer share", unit="percent", aggregate="ratio", numerator="Officers", denominator="Staff"),
        ]
    )
    rows = "Officers,2022/23,20\nStaff,2022/23,80\n" + "".join(
        f"Officers,2023/24 Q{q},{o}\nStaff,2023/24 Q{q},{t}\n" for q, o, t in ((1, 10, 100), (2, 30, 50))
    )
    c = _one(compare(_frame(write, rows), catalogue), "Officer share")
    assert c.current_value == pytest.approx(60.0)  # 30 / 50 at the end of Q2, not (10 + 30) / (100 + 50)
    assert c.baseline_value == pytest.approx(25.0) and c.change_unit == "pp"


def test_the_band_edge_in_floating_point() -> None:
    # 1 -> 1.05 is 5.000000000000004% in floating point: on the edge, so inside the band
    assert relative_change(1, 1.05) != 5.0
    assert band_direction(relative_change(1, 1.05), 5.0) == "level"
    assert band_direction(relative_change(1, 1.0500001), 5.0) == "up"


def test_percentages_in_a_bare_file_take_the_mean(write) -> None:  # type: ignore[no-untyped-def]
    rows = "Rate,2022/23,20%\n" + "".join(f"Rate,2023/24 Q{q},{10 * q}%\n" for q in range(1, 5))
    c = _one(compare(_frame(write, rows)), "Rate")
    assert (c.unit, c.aggregate, c.current_value) == ("percent", "mean", 25.0)
    assert c.change == 5.0 and c.change_unit == "pp" and c.direction == "level"


def test_a_bare_average_is_not_summed(write) -> None:  # type: ignore[no-untyped-def]
    rows = "Average answer time,2022/23,10\n" + "".join(f"Average answer time,2023/24 Q{q},{q}\n" for q in range(1, 5))
    c = _one(compare(_frame(write, rows)), "Average answer time")
    assert (c.aggregate, c.current_value) == ("mean", 2.5)


@pytest.mark.parametrize(("unit", "expected"), [("percent", 77.5), ("seconds", 8.5), ("count", 34), ("currency", 34)])
def test_the_default_aggregate_follows_the_unit(unit: str, expected: float, write) -> None:  # type: ignore[no-untyped-def]
    values = (70, 75, 80, 85) if unit == "percent" else (8, 8, 9, 9)
    rows = "A,2022/23,1\n" + "".join(f"A,2023/24 Q{q},{v}\n" for q, v in enumerate(values, start=1))
    catalogue = Catalogue.model_validate({"measures": [{"name": "A", "unit": unit}]})
    assert _one(compare(_frame(write, rows), catalogue), "A").current_value == expected


def test_last_for_stocks_and_a_baseline_given_as_its_last_quarter(write) -> None:  # type: ignore[no-untyped-def]
    catalogue = Catalogue(measures=[Measure(name="Officers", aggregate="last", polarity="up")])
    rows = "Officers,2022/23 Q4,1530\n" + "".join(f"Officers,2023/24 Q{q},{1500 + q}\n" for q in range(1, 5))
    c = _one(compare(_frame(write, rows), catalogue), "Officers")
    assert (c.baseline_value, c.current_value) == (1530, 1504)
    assert c.baseline_basis == "Q4 2022/23" and c.direction == "level"


def test_a_baseline_given_as_four_quarters(write) -> None:  # type: ignore[no-untyped-def]
    rows = "".join(f"A,2022/23 Q{q},{q}\n" for q in range(1, 5)) + "A,2023/24,20\n"
    c = _one(compare(_frame(write, rows)), "A")
    assert (c.baseline_value, c.baseline_basis) == (10, "Q1–Q4 2022/23")
    assert (c.current_value, c.current_basis) == (20, "2023/24 (year figure)")
    assert c.change_pct == 100.0 and c.direction == "up"


@pytest.mark.parametrize(("after", "direction"), [("0", "level"), ("-3", "down"), ("4", "up")])
def test_a_zero_baseline(after: str, direction: str, write) -> None:  # type: ignore[no-untyped-def]
    c = _one(compare(_frame(write, f"Net,2022/23,0\nNet,2023/24,{after}\n")), "Net")
    assert c.change_pct is None and c.change == float(after) and c.direction == direction


def test_ratios_with_a_zero_or_missing_term(write) -> None:  # type: ignore[no-untyped-def]
    catalogue = Catalogue(
        measures=[
            Measure(name="N"),
            Measure(name="D"),
            Measure(name="R", unit="percent", aggregate="ratio", numerator="N", denominator="D"),
        ]
    )
    zero = _one(compare(_frame(write, "N,2022/23,5\nD,2022/23,10\nN,2023/24 Q1,0\nD,2023/24 Q1,0\n"), catalogue), "R")
    assert zero.baseline_value == 50.0 and zero.current_value is None and zero.direction is None
    missing = _one(compare(_frame(write, "N,2022/23,5\nD,2022/23,10\nD,2023/24 Q1,4\n"), catalogue), "R")
    assert missing.current_value is None and missing.change is None


def test_areas_are_compared_apart_and_never_merged(write) -> None:  # type: ignore[no-untyped-def]
    catalogue = Catalogue(measures=[Measure(name="Homicide", polarity="down")])
    rows = "section,measure,period,value\n" + "".join(
        f"{area},Homicide,2022/23,{base}\n{area},Homicide,2023/24,{now}\n"
        for area, base, now in (("Durham", 7, 5), ("Wiltshire", 5, 2), ("Kent", 10, 10))
    )
    report = compare(read_observations([write("areas.csv", rows)]), catalogue)
    got = {(c.area, c.measure): (c.baseline_value, c.current_value) for c in report.comparisons}
    assert got == {("Durham", "Homicide"): (7, 5), ("Wiltshire", "Homicide"): (5, 2), ("Kent", "Homicide"): (10, 10)}
    assert list(report.sections()) == ["Durham", "Wiltshire", "Kent"]


def test_a_ratio_is_computed_within_its_area(write) -> None:  # type: ignore[no-untyped-def]
    catalogue = Catalogue(
        measures=[
            Measure(name="N"),
            Measure(name="D"),
            Measure(name="R", unit="percent", aggregate="ratio", numerator="N", denominator="D"),
        ]
    )
    rows = "section,measure,period,value\n" + "".join(
        f"{a},N,{y},{n}\n{a},D,{y},{d}\n"
        for a, n, d in (("East", 1, 10), ("West", 9, 10))
        for y in ("2022/23", "2023/24")
    )
    report = compare(read_observations([write("r.csv", rows)]), catalogue)
    rates = {c.area: c.current_value for c in report.comparisons if c.measure == "R"}
    assert rates == {"East": pytest.approx(10.0), "West": pytest.approx(90.0)}


def test_every_restatement_resolved_is_noted(write) -> None:  # type: ignore[no-untyped-def]
    first = write("q3.csv", "measure,period,value\nA,2022/23,100\nA,2023/24 Q1,30\nA,2023/24 Q2,30\n")
    second = write("q3-revised.csv", "measure,period,value\nA,2023/24 Q1,35\nA,2023/24 Q2,30\n")
    c = _one(compare(read_observations([first, second])), "A")
    assert c.quarters[0].value == 35
    restated = [n for n in c.notes if "restated" in n]
    assert restated == [f"2023/24 Q1 restated: 35 from {second} used, replacing 30 from {first}."]


@pytest.mark.parametrize("width", [60, 80, 100, 120, 160, 200])
def test_the_table_fits_without_wrapping_a_number(width: int) -> None:
    catalogue = load_catalogue(EXAMPLES / "kpitool.toml")
    report = compare(read_observations(sorted((EXAMPLES / "data").glob("*.csv"))), catalogue)
    console = Console(file=io.StringIO(), width=width, force_terminal=True, no_color=True, record=True)
    render_table(report, console)
    lines = console.export_text().splitlines()
    assert max(cell_len(line) for line in lines) <= max(width, 74)  # the kept columns' least width
    table = list(lines[: next(i for i, x in enumerate(lines) if x.startswith("Baseline:"))])
    table = [line for line in table if not line.startswith("Left out")]
    grouped = re.compile(r"[+-]?£?\d{1,3}(,\d{3})+(\.\d+)?%?")
    for token in (t.rstrip(",").strip("()") for line in table for t in line.split()):
        if "," in token and token[:1] in "+-£0123456789":  # every figure whole: no "1,55" over "7"
            assert grouped.fullmatch(token), token
    shown = "\n".join(lines)
    assert "112,454" in shown and "+5.1%" in shown and "↑ up" in shown  # year value, %, direction kept
    assert "107,042" in shown  # and the baseline
    left_out = [line for line in lines if line.startswith("Left out")]
    assert bool(left_out) == (width < 142)  # the widest table (Public access to services) needs 142
    calls = lines[lines.index("Call data") : lines.index("Call data") + 8]
    assert any("Left out" in line for line in calls) == (width < 110)  # Call data fits whole from 110
    assert all(title in lines for title in report.sections())  # whole lines: no trailing spaces


@pytest.mark.parametrize(("width", "boxed"), [(60, True), (80, False), (80, True), (100, False)])
def test_names_shortened_stay_apart_and_use_the_room_left(width: int, boxed: bool, write) -> None:  # type: ignore[no-untyped-def]
    names = [f"Number of 999 calls answered within {s} seconds" for s in (10, 20)]
    text = "".join(f"{n},{year},{v}\n" for n in names for year, v in (("2022/23", 100), ("2023/24", 120)))
    report = compare(_frame(write, text))
    colour = {"color_system": "standard"} if boxed else {"no_color": True}
    console = Console(file=io.StringIO(), width=width, force_terminal=True, record=True, **colour)  # type: ignore[arg-type]
    render_table(report, console)
    lines = console.export_text().splitlines()
    rows = [line for line in lines if line.startswith("Number")]
    assert len(rows) == 2 and max(cell_len(line) for line in lines) <= width
    first, second = (r.split("  ")[0].strip() for r in rows)
    assert first != second and "10 seconds" in first and "20 seconds" in second
    # the trend left out leaves room: the names take it, not a fixed 28 characters
    assert cell_len(first) == min(len(names[0]), width - (cell_len(rows[0]) - cell_len(rows[0].split("  ")[0])))


def test_a_shortened_name_keeps_its_end_only_where_two_would_read_the_same() -> None:
    from kpitool.render.terminal import shortened

    assert shortened(["Burglary", "Robbery"], 12) == ["Burglary", "Robbery"]
    assert shortened(["Violence against the person", "Robbery"], 12) == ["Violence ag…", "Robbery"]
    pair = ["Calls answered within 10 seconds (North)", "Calls answered within 20 seconds (North)"]
    assert shortened(pair, 28) == ["Calls answered within 10 se…", "Calls answered within 20 se…"]  # apart already
    assert shortened(pair, 22) == ["Cal…10 seconds (North)", "Cal…20 seconds (North)"]  # alike: their ends kept
    assert shortened(["Calls answered (urban)", "Calls answered (rural)"], 14) == ["Calls a…urban)", "Calls a…rural)"]
    places = [f"Violent crime recorded in {p} per 1,000 population" for p in ("County Durham", "Darlington")]
    assert shortened(places, 22) == ["Violent…County Durham", "Violent…Darlington per"]  # they part in the middle


@pytest.mark.parametrize("width", [80, 100, 120, 160])
def test_a_boxed_table_counts_its_dividers_and_cuts_no_heading(width: int) -> None:
    # a coloured terminal draws a divider between columns: three characters a gap, not two
    catalogue = load_catalogue(EXAMPLES / "kpitool.toml")
    report = compare(read_observations(sorted((EXAMPLES / "data").glob("*.csv"))), catalogue)
    console = Console(file=io.StringIO(), width=width, force_terminal=True, color_system="standard", record=True)
    render_table(report, console)
    lines = console.export_text().splitlines()
    assert max(cell_len(line) for line in lines) <= width
    headings = [line for i, line in enumerate(lines) if i + 1 < len(lines) and lines[i + 1].startswith("──")]
    assert headings and all("Direction" in h and ("Change" in h or "change" in h) for h in headings)
    assert not any(re.search(r"\b(Chang|Directio|Directi)\b", h) for h in headings)


@pytest.mark.parametrize(
    ("quarters", "said"),
    [
        (4, "Baseline: 2022/23 (full year); current year: 2023/24."),
        (2, "Baseline: 2022/23 (like for like: the quarters of it the current year has); current year: 2023/24."),
    ],
)
def test_the_baseline_note_says_what_the_baseline_stands_for(quarters: int, said: str, tmp_path: Path) -> None:
    from kpitool.compare import compare
    from kpitool.readers import read_observations

    rows = [f"Calls,{year} Q{q},{10 + q}" for year in ("2022/23", "2023/24") for q in range(1, 5)]
    rows = rows[: 4 + quarters]
    path = tmp_path / "calls.csv"
    path.write_text("measure,period,value\n" + "\n".join(rows) + "\n", encoding="utf-8")
    report = compare(read_observations([path]))
    assert report.notes[0] == said


def test_a_row_whose_every_cell_is_a_marker_is_named_not_dropped(tmp_path: Path) -> None:
    from kpitool.compare import compare
    from kpitool.readers import read_observations

    path = tmp_path / "staff.csv"
    path.write_text("Measure,2022/23,2023/24\nCleveland,..,..\nDurham,90,95\n", encoding="utf-8")
    report = compare(read_observations([path]))
    assert [c.measure for c in report.comparisons] == ["Durham"]
    assert "Not compared, with no figure for either period (their cells are markers such as ..): Cleveland (" in (
        " ".join(report.notes)
    )


def test_a_measure_with_figures_only_for_other_years_is_named_not_dropped(tmp_path: Path) -> None:
    from kpitool.compare import compare
    from kpitool.readers import read_observations

    path = tmp_path / "deaths.csv"
    path.write_text("year,Deaths,5-year average\n2018,1187,1121.6\n2019,1280,1214\n2020,1339,\n2021,1330,\n")
    report = compare(read_observations([path], ReadOptions(year_start="january")))
    assert [c.measure for c in report.comparisons] == ["Deaths"]
    assert "Not compared, with figures for other periods but none for 2020 or 2021: 5-year average" in (
        " ".join(report.notes)
    )


def test_skipped_rows_of_measures_not_asked_for_are_counted_not_listed(tmp_path: Path) -> None:
    import json

    from typer.testing import CliRunner

    from kpitool.cli import app

    path = tmp_path / "kpis.csv"
    path.write_text(
        "measure,period,value\nA,2022/23,1\nA,2023/24,2\nA,2023/24 Q1,yes\nB,2022/23,abc\nB,2023/24,def\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["compare", str(path), "--skip-invalid", "--measure", "A", "--format", "json"])
    report = json.loads(result.stdout)
    assert [s["measure"] for s in report["skipped"]] == ["A"]
    assert (
        "2 more input rows with an error, of measures not asked for, left out (kpitool validate lists them)."
        in (report["notes"])
    )


@pytest.mark.parametrize(
    ("head", "lines"),
    [("Q1 2023/24", ["Q1", "2023/24"]), ("Baseline 12m to 2017-12", ["Baseline", "12m to 2017-12"]),
     ("12m to 2018-12 value", ["12m to 2018-12", "value"]), ("2023/24 value", ["2023/24", "value"]),
     ("Measure", ["Measure"]), ("% change", ["%", "change"])],
)  # fmt: skip
def test_a_heading_on_two_lines_keeps_its_period_whole(head: str, lines: list[str]) -> None:
    from kpitool.render.terminal import head_lines

    assert head_lines(head) == lines


def test_a_series_of_year_figures_has_a_trend_of_years(write) -> None:  # type: ignore[no-untyped-def]
    text = "".join(
        f"Deaths,{y}/{(y + 1) % 100:02d},{v}\n" for y, v in zip(range(2015, 2024), range(100, 190, 10), strict=True)
    )
    (c,) = compare(_frame(write, text)).comparisons
    assert c.history_grain == "year"
    assert [(p.period, p.value) for p in c.history] == [
        (f"{y}/{(y + 1) % 100:02d}", float(v)) for y, v in zip(range(2016, 2024), range(110, 190, 10), strict=True)
    ]  # the eight years to the current one
    from kpitool.render.values import sparkline

    assert sparkline(c.history_values) == "▁▂▃▄▅▆▇█"


def test_a_row_of_small_figures_shows_them_not_zero(write) -> None:  # type: ignore[no-untyped-def]
    from kpitool.render.markdown import row_cells

    report = compare(_frame(write, "Tiny,2022/23,0.0004\nTiny,2023/24,0.0005\nBig,2022/23,0.5\nBig,2023/24,0.61\n"))
    cells = {c.measure: row_cells(c, report) for c in report.comparisons}
    assert cells["Tiny"][1:2] + cells["Tiny"][-4:-1] == ["0.00040", "0.00050", "+0.00010", "+25.0%"]
    assert cells["Big"][1:2] + cells["Big"][-4:-2] == ["0.5", "0.6", "+0.1"]  # its unit's one place shows it
    share = compare(_frame(write, "Share,2022/23,0.0076%\nShare,2023/24,0.0016%\n"))
    (row,) = [row_cells(c, share) for c in share.comparisons]
    assert row[1:2] + row[-4:-1] == ["0.0076%", "0.0016%", "-0.0060", "-0.0060 pp"]  # the points to the same places
