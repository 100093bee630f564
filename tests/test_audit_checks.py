"""The audit's checks of one row: its totals, its changes (in % and in the measure's units) and its arrows.

Each test names the figures and the finding a reader of the audit would see.
"""

from __future__ import annotations

from kpitool.models import Catalogue, Finding, Measure
from kpitool.validate import validate_files

QUARTERS = "T\tQ1-Q4 2022/23 baseline\tQ1 2023/24\tQ2 2023/24\tQ3 2023/24\tQ4 2023/24"
RATE = Catalogue(measures=[Measure(name="Rate", section="T", unit="percent", aggregate="mean")])


def _audit(write, head: str, body: str, catalogue: Catalogue | None = None) -> list[Finding]:  # type: ignore[no-untyped-def]
    return validate_files([write("t.tsv", head + "\n" + body)], catalogue).findings


def _seen(findings: list[Finding]) -> list[tuple[str, str, str | None, str]]:
    return [(f.severity, f.code, f.cell, f.message) for f in findings]


# -- totals -------------------------------------------------------------------------------------


def test_a_wrong_total_of_rounded_quarters_is_shown_to_their_places(write) -> None:  # type: ignore[no-untyped-def]
    (f,) = _audit(write, QUARTERS + "\tQ1-Q4 2023/24 total", "A\t10\t1.1\t2.2\t3.3\t4.4\t11.4\n")
    assert (f.code, f.cell, f.expected, f.actual) == ("total-mismatch", "G2", "11.0", "11.4")
    assert f.message == "T — A: Q1-Q4 2023/24 total shows 11.4 but the sum of the quarters gives 11.0"


def test_every_total_column_is_checked_whatever_the_one_before_it(write) -> None:  # type: ignore[no-untyped-def]
    head = QUARTERS + "\tQ1-Q4 2023/24 total\tQ1-Q3 2023/24"
    wrong_ytd = [
        ("error", "total-mismatch", "H2", "T — A: Q1-Q3 2023/24 shows 80 but the sum of the quarters gives 75")
    ]
    assert _seen(_audit(write, head, "A\t100\t25\t25\t25\t25\t100\t80\n")) == wrong_ytd  # the first total is right
    assert _seen(_audit(write, head, "A\t100\t25\t25\t25\t25\t..\t80\n")) == wrong_ytd  # the first total is blank
    assert _seen(_audit(write, head, "A\t100\t25\t25\t25\t..\t100\t80\n")) == wrong_ytd  # no Q4 to add up


def test_a_row_named_an_average_whose_total_is_the_sum_is_warned(write) -> None:  # type: ignore[no-untyped-def]
    (f,) = _audit(write, QUARTERS + "\tQ1-Q4 2023/24 total", "Average wait\t10\t10.5\t11.0\t11.5\t11.5\t44.5\n")
    assert (f.severity, f.code, f.cell, f.column_name, f.actual) == (
        "warning",
        "implausible-aggregate",
        "G2",
        "Q1-Q4 2023/24 total",
        "44.5",
    )
    assert f.message == (
        "T — Average wait: Q1-Q4 2023/24 total adds up the quarters of what its name says is an average"
        " or a rate (44.5); its year is more likely their mean"
    )


# -- changes ------------------------------------------------------------------------------------


def test_a_wrong_change_in_units_is_reported_to_the_places_shown(write) -> None:  # type: ignore[no-untyped-def]
    (f,) = _audit(write, QUARTERS + "\tQ1-Q4 2023/24 total\tChange", "A\t100\t25\t25\t25\t30\t105\t6.0\n")
    assert (f.severity, f.code, f.cell, f.expected, f.actual) == ("error", "change-mismatch", "H2", "5.0", "6.0")
    assert f.message == "T — A: reported 6.0 but Q1-Q4 2022/23 baseline 100.0 to 105.0 (sum of the quarters) is 5.0"


def test_a_change_in_units_that_follows_from_a_wrong_total_is_a_warning(write) -> None:  # type: ignore[no-untyped-def]
    got = _seen(_audit(write, QUARTERS + "\tQ1-Q4 2023/24 total\tChange", "A\t200\t50\t50\t50\t55\t206\t6.0\n"))
    assert got == [
        ("error", "total-mismatch", "G2", "T — A: Q1-Q4 2023/24 total shows 206 but the sum of the quarters gives 205"),
        (
            "warning",
            "change-mismatch",
            "H2",
            "T — A: 6.0 follows from the total shown (206.0), not from the quarters, which give 5.0",
        ),
    ]


def test_a_change_in_units_without_a_total_is_judged_on_the_quarters(write) -> None:  # type: ignore[no-untyped-def]
    got = _seen(_audit(write, QUARTERS + "\tChange", "A\t200\t50\t50\t50\t55\t6\n"))
    assert got == [
        (
            "error",
            "change-mismatch",
            "G2",
            "T — A: reported 6 but Q1-Q4 2022/23 baseline 200 to 205 (sum of the quarters) is 5",
        )
    ]


def test_a_percent_change_given_without_a_percent_sign_is_still_a_percent_change(write) -> None:  # type: ignore[no-untyped-def]
    # 200 -> 210 is 5%, not a change of 5
    assert _audit(write, QUARTERS + "\tQ1-Q4 2023/24 total\t% change", "A\t200\t50\t50\t55\t55\t210\t5.0\n") == []


def test_a_percent_change_equal_to_the_difference_is_an_error_for_a_count(write) -> None:  # type: ignore[no-untyped-def]
    # only a percent row's change can be in percentage points
    got = _seen(_audit(write, QUARTERS + "\t% change", "A\t200.0\t50.0\t50.0\t55.0\t55.0\t10.0%\n"))
    assert got == [
        (
            "error",
            "change-mismatch",
            "G2",
            "T — A: reported 10.0% but Q1-Q4 2022/23 baseline 200.0 to 210.0 (sum of the quarters) is 5.0%",
        )
    ]


def test_a_change_without_its_baseline_is_not_judged_and_said_unchecked(write) -> None:  # type: ignore[no-untyped-def]
    head = QUARTERS + "\tQ1-Q4 2023/24 total\t% change (baseline to 23/24)\tDirection of travel (from baseline)"
    assert [(f.severity, f.code, f.cell) for f in _audit(write, head, "A\t..\t25\t25\t25\t25\t100\t5.0%\t↑\n")] == [
        ("info", "change-basis", "H2"),
        ("info", "change-basis", "I2"),
    ]


def test_a_blank_baseline_year_cell_leaves_its_rows_change_and_arrow_said_unchecked(write) -> None:  # type: ignore[no-untyped-def]
    """A plain year column beside the quarters of the next year is the baseline: a row with no figure
    in it (blank, or a marker) has a change and an arrow nothing can check, and the audit says so on
    the row, naming the column, as it does of a baseline year given as its quarters."""
    head = "Calls\t2022/23\tQ1 2023/24\tQ2 2023/24\tQ3 2023/24\tQ4 2023/24\t% change\tDirection"
    body = "999 calls\t\t30\t30\t20\t20\t25.0%\t↑\n101 calls\t100\t30\t30\t20\t20\t0.0%\t↔\n111 calls\t..\t1\t1\t1\t1\t5%\t↑\n"
    assert _seen(_audit(write, head, body)) == [
        ("info", "change-basis", "G2", "Calls — 999 calls: % change (25.0%) could not be checked: the baseline"
         " column '2022/23' has no figure"),
        ("info", "change-basis", "H2", "Calls — 999 calls: Direction (↑) could not be checked: the baseline"
         " column '2022/23' has no figure"),
        ("info", "change-basis", "G4", "Calls — 111 calls: % change (5%) could not be checked: the baseline"
         " column '2022/23' ('..') has no figure"),
        ("info", "change-basis", "H4", "Calls — 111 calls: Direction (↑) could not be checked: the baseline"
         " column '2022/23' ('..') has no figure"),
    ]  # fmt: skip
    # a table of years alone: the year before the latest is the baseline, the latest the current year
    head = "T\t2021/22\t2022/23\t2023/24\t% change"
    assert _seen(_audit(write, head, "A\t90\t\t120\t25.0%\nB\t90\t100\t\t25.0%\n")) == [
        ("info", "change-basis", "E2", "T — A: % change (25.0%) could not be checked: the baseline column '2022/23'"
         " has no figure"),
        ("info", "change-basis", "E3", "T — B: % change (25.0%) could not be checked: the current year column"
         " '2023/24' has no figure"),
    ]  # fmt: skip
    # a year a heading names, given as its quarters; the current year a heading names, made from its quarters
    head = "T\tQ1 2021/22\tQ2 2021/22\tQ3 2021/22\tQ4 2021/22\tQ1 2023/24\tQ2 2023/24\t% change from 2021/22"
    assert _seen(_audit(write, head, "A\t10\t\t10\t10\t11\t11\t10%\n")) == [
        ("info", "change-basis", "H2", "T — A: % change from 2021/22 (10%) could not be checked: 2021/22 is made"
         " from its quarters, and 'Q2 2021/22' has no figure"),
    ]  # fmt: skip
    head = "T\t2022/23\tQ1 2023/24\tQ2 2023/24\tQ3 2023/24\t% change (2022/23 to 2023/24)"
    assert _seen(_audit(write, head, "A\t100\t30\t..\t30\t10%\n")) == [
        ("info", "change-basis", "F2", "T — A: % change (2022/23 to 2023/24) (10%) could not be checked: the current"
         " year 2023/24 is made from its quarters, and 'Q2 2023/24' ('..') has no figure"),
    ]  # fmt: skip


def test_every_change_column_is_checked_whatever_the_one_before_it(write) -> None:  # type: ignore[no-untyped-def]
    head = "T\t2021/22\t2022/23\t2023/24\t% change (from 2021/22)\t% change"
    wrong = [("error", "change-mismatch", "F2", "T — A: reported 25.0% but 2022/23 100 to 120 (2023/24) is 20.0%")]
    assert _seen(_audit(write, head, "A\t..\t100\t120\t25.0%\t25.0%\n")) == [  # no 2021/22 to change from
        *wrong,
        (
            "info",
            "change-basis",
            "E2",
            "T — A: % change (from 2021/22) (25.0%) could not be checked: the column '2021/22' ('..') has no figure",
        ),
    ]
    assert _seen(_audit(write, head, "A\t90\t100\t120\t..\t25.0%\n")) == wrong  # the first change is blank


# -- arrows -------------------------------------------------------------------------------------


def test_any_sign_of_change_from_a_zero_baseline_has_its_arrow(write) -> None:  # type: ignore[no-untyped-def]
    head = QUARTERS + "\t% change\tDirection of travel"
    for arrow, q in (("↑", "25"), ("↓", "-25"), ("↔", "0")):
        assert _audit(write, head, f"A\t0\t{q}\t{q}\t{q}\t{q}\t..\t{arrow}\n") == []


def test_level_is_allowed_when_rounding_allows_changes_either_side_of_the_band(write) -> None:  # type: ignore[no-untyped-def]
    # 1.0 stands for 0.95 to 1.05: the change may be anything from -9.5% to +10.5%
    assert (
        _audit(write, QUARTERS + "\t% change\tDirection of travel", "Average x\t1.0\t1.0\t1.0\t1.0\t1.0\t..\t↔\n") == []
    )


def test_an_arrow_on_the_band_edge_allows_for_a_rounded_count(write) -> None:  # type: ignore[no-untyped-def]
    head = "Staff\t2010 baseline\tQ1 end (30/06/2023)\tQ2 end (30/09/2023)\tQ3 end (31/12/2023)\tDirection of travel"
    assert _audit(write, head, "Officers\t100\t120\t100\t105.0\t↑\n") == []  # 105.0 may be 104.95: 4.95% or 5.05%


def test_an_arrow_with_its_own_period_is_judged_from_that_period(write) -> None:  # type: ignore[no-untyped-def]
    head = "T\t2021/22\t2022/23\t2023/24\tDirection of travel (from 2021/22)"
    assert _audit(write, head, "A\t100\t200\t104\t↔\n") == []  # +4% from 2021/22 (but -48% from 2022/23)
    assert _seen(_audit(write, head, "A\t100\t200\t104\t↓\n")) == [
        (
            "error",
            "direction-mismatch",
            "E2",
            "T — A: the arrow is ↓ but the change from 2021/22 is 4.0%, which the ±5 band makes ↔",
        )
    ]
    # beside a % change column, which runs from 2022/23
    head = "T\t2021/22\t2022/23\t2023/24\t% change\tDirection of travel (from 2021/22)"
    assert _audit(write, head, "A\t100\t200\t104\t-48.0%\t↔\n") == []


def test_an_arrow_from_a_period_not_in_the_table_is_judged_from_the_baseline(write) -> None:  # type: ignore[no-untyped-def]
    head = "T\t2021/22\t2022/23\t2023/24\t% change\tDirection of travel (from 2019/20)"
    assert _seen(_audit(write, head, "A\t100\t200\t104\t-48.0%\t↔\n")) == [
        (
            "error",
            "direction-mismatch",
            "F2",
            "T — A: the arrow is ↔ but the change from 2022/23 is -48.0%, which the ±5 band makes ↓",
        )
    ]


def test_every_arrow_column_is_checked_whatever_the_one_before_it(write) -> None:  # type: ignore[no-untyped-def]
    head = QUARTERS + "\tDirection of travel\tDirection (from baseline)"
    assert [f.cell for f in _audit(write, head, "A\t100\t25\t25\t25\t35\t\t↔\n")] == ["H2"]  # the first is blank
    head = "T\t2021/22\t2022/23\t2023/24\tDirection of travel (from 2021/22)\tDirection of travel"
    said = [(f.code, f.cell) for f in _audit(write, head, "A\t..\t200\t104\t↔\t↔\n")]  # no 2021/22 to go from
    assert said == [("direction-mismatch", "F2"), ("change-basis", "E2")]


def test_an_arrow_without_its_baseline_is_not_judged_and_said_unchecked(write) -> None:  # type: ignore[no-untyped-def]
    head = "Staff\t2010 baseline\tQ1 end (30/06/2023)\tQ2 end (30/09/2023)\tDirection of travel"
    assert _seen(_audit(write, head, "Officers\t..\t120\t100\t↑\n")) == [
        (
            "info",
            "change-basis",
            "E2",
            "Staff — Officers: Direction of travel (↑) could not be checked: the baseline column '2010 baseline'"
            " ('..') has no figure",
        )
    ]


def test_a_short_row_has_no_arrow_to_judge(write) -> None:  # type: ignore[no-untyped-def]
    head = QUARTERS + "\tQ1-Q4 2023/24 total\tDirection of travel"
    assert [f.code for f in _audit(write, head, "A\t100\t25\t25\t25\t35\t110\n")] == ["ragged-row"]


def test_a_stocks_arrow_runs_to_its_last_count_even_with_earlier_counts_missing(write) -> None:  # type: ignore[no-untyped-def]
    head = "Staff\t2010 baseline\tQ1 end (30/06/2023)\tQ2 end (30/09/2023)\tQ3 end (31/12/2023)\tDirection of travel"
    assert _seen(_audit(write, head, "Officers\t100\t..\t..\t120\t↔\n")) == [
        (
            "error",
            "direction-mismatch",
            "F2",
            "Staff — Officers: the arrow is ↔ but the change from 2010 baseline is 20.0%, which the ±5 band makes ↑",
        )
    ]
    # the last count, not the one before it
    assert [f.message for f in _audit(write, head, "Officers\t100\t120\t100\t101\t↑\n")] == [
        "Staff — Officers: the arrow is ↑ but the change from 2010 baseline is 1.0%, which the ±5 band makes ↔"
    ]
    # no last count: nothing to judge, and said
    (unchecked,) = _audit(write, head, "Officers\t100\t120\t100\t..\t↑\n")
    assert (unchecked.severity, unchecked.code, unchecked.cell) == ("info", "change-basis", "F2")
    assert unchecked.message.endswith(
        "could not be checked: the current year 2023/24 is its last count, and 'Q3 end (31/12/2023)' ('..') has no figure"
    )


def test_an_arrow_beside_a_total_but_no_change_column_is_judged(write) -> None:  # type: ignore[no-untyped-def]
    head = QUARTERS + "\tQ1-Q4 2023/24 total\tDirection of travel"
    assert [(f.code, f.cell, f.expected) for f in _audit(write, head, "A\t100\t25\t25\t25\t35\t110\t↔\n")] == [
        ("direction-mismatch", "H2", "↑")
    ]


def test_a_wrong_arrow_lists_every_arrow_the_rounding_allows(write) -> None:  # type: ignore[no-untyped-def]
    # 104.0 to 105.0 stands for 4.8% to 5.2%: level or up
    (f,) = _audit(write, QUARTERS + "\tDirection of travel", "A\t100\t26.0\t26.0\t26.0\t27.0\t↓\n")
    assert (f.expected, f.actual) == ("↔ or ↑", "↓")
    assert f.message == (
        "T — A: the arrow is ↓ but the change from Q1-Q4 2022/23 baseline is 5.0%, which the ±5 band makes ↔ or ↑"
    )
    head = QUARTERS + "\tQ1-Q4 2023/24 total\t% change (baseline to 23/24)\tDirection of travel (from baseline)"
    warned = [f for f in _audit(write, head, "A\t100\t26.0\t26.0\t26.0\t27.0\t90\t..\t↓\n") if f.cell == "I2"]
    assert _seen(warned) == [
        (
            "warning",
            "direction-mismatch",
            "I2",
            "T — A: ↓ follows from the total shown, not from the quarters, which give ↔ or ↑",
        )
    ]


def test_a_percent_measures_arrow_is_judged_in_points(write) -> None:  # type: ignore[no-untyped-def]
    head = QUARTERS + "\tQ1-Q4 2023/24 total\t% change (baseline to 23/24)\tDirection of travel (from baseline)"
    # 50% to 52% is 2 points (4% relative): level
    (f,) = _audit(write, head, "Rate\t50.0%\t52.0%\t52.0%\t52.0%\t52.0%\t52.0%\t..\t↑\n", RATE)
    assert f.message == (
        "T — Rate: the arrow is ↑ but the change from Q1-Q4 2022/23 baseline is 2.0pp, which the ±5 band makes ↔"
    )
    # the wrong total shown, 53%, is 3 points up (6% relative): level, as the arrow says
    got = _audit(write, head, "Rate\t50.0%\t60.0%\t60.0%\t60.0%\t60.0%\t53.0%\t..\t↔\n", RATE)
    assert [(f.severity, f.code, f.cell) for f in got] == [
        ("error", "total-mismatch", "G2"),
        ("warning", "direction-mismatch", "I2"),
    ]


def test_a_whole_total_of_quarters_with_decimals_stands_for_its_rounding(write) -> None:  # type: ignore[no-untyped-def]
    head = QUARTERS + "\tQ1-Q4 2023/24 total"
    assert _audit(write, head, "A\t100\t1.1\t2.2\t3.3\t4.0\t11\n") == []  # 10.6 shown as 11
    (f,) = _audit(write, head, "A\t100\t1.1\t2.2\t3.3\t4.0\t12\n")
    assert f.message == "T — A: Q1-Q4 2023/24 total shows 12 but the sum of the quarters gives 11"


def test_from_a_zero_baseline_the_arrow_must_follow_the_absolute_change(write) -> None:  # type: ignore[no-untyped-def]
    head = QUARTERS + "\tDirection of travel"
    assert _audit(write, head, "A\t0\t25\t25\t25\t25\t↑\n") == []  # compare draws 0 -> 100 as up
    (f,) = _audit(write, head, "A\t0\t25\t25\t25\t25\t↓\n")
    assert (f.code, f.cell) == ("direction-mismatch", "G2")
    assert _audit(write, head, "A\t0\t0\t0\t0\t0\t↔\n") == []


def test_a_wrong_total_of_percentages_is_said_in_percent(write) -> None:  # type: ignore[no-untyped-def]
    head = QUARTERS + "\tQ1-Q4 2023/24 total"
    (f,) = _audit(write, head, "Rate\t50%\t50.0%\t60.0%\t70.0%\t60.0%\t53.0%\n", RATE)
    assert f.message == "T — Rate: Q1-Q4 2023/24 total shows 53.0% but the mean of the quarters gives 60.0%"


def test_a_stated_decimals_makes_whole_figures_stand_for_their_rounding(write) -> None:  # type: ignore[no-untyped-def]
    # FTE of 1.4 a quarter, published whole: the quarters show 1 and the year 6 (5.6)
    head = QUARTERS + "\tQ1-Q4 2023/24 total\tChange\t% change"
    body = "Officers (FTE)\t5\t1\t1\t1\t1\t6\t1\t12.0%\n"
    as_shown = _audit(write, head, body)
    assert {f.code for f in as_shown} == {"total-mismatch", "change-mismatch"}  # whole numbers taken as exact
    fte = Catalogue(measures=[Measure(name="Officers (FTE)", section="T", unit="number", decimals=0)])
    assert [f for f in _audit(write, head, body, fte) if f.severity == "error"] == []
    # the same for every figure of a section ([decimals]), by its name or a report title standing for it
    for catalogue in (Catalogue(decimals={"t": 0}), Catalogue(sections={"T": "Workforce"}, decimals={"Workforce": 0})):
        assert [f for f in _audit(write, head, body, catalogue) if f.severity == "error"] == []
    assert Catalogue(decimals={"Other": 0}).section_decimals("T") is None


def test_a_sections_decimals_is_read_from_kpitool_toml(write) -> None:  # type: ignore[no-untyped-def]
    from kpitool.catalogue import load_catalogue, read_catalogue

    catalogue = load_catalogue(write("kpitool.toml", '[decimals]\n"Workforce (FTE)" = 0\n'))
    assert catalogue.section_decimals("workforce (fte)") == 0
    bad, findings = read_catalogue(write("k.toml", "[decimals]\nW = 11\n"))
    assert bad is None and [f.code for f in findings] == ["config-invalid"] and "decimals.W" in findings[0].message
