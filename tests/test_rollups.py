"""A year figure beside its four quarters is checked against them, as a quarter beside its three
months is: the sum of a flow's, a stock's last, an average's mean; a figure whose aggregate cannot
be known is said, never judged."""

from __future__ import annotations

import json

from kpitool.models import Catalogue, Finding, Measure
from kpitool.validate import validate_files

LONG = "measure,period,value\n" + "".join(
    f"Burglary,{y} Q{q},{v}\n"
    for y, values in (("2022/23", (100, 110, 120, 130)), ("2023/24", (90, 95, 100, 105)))
    for q, v in zip(range(1, 5), values, strict=True)
)
WIDE = "Crime,2022/23,Q1 2023/24,Q2 2023/24,Q3 2023/24,Q4 2023/24,2023/24\n"


def _findings(write, text: str, catalogue: Catalogue | None = None) -> list[Finding]:  # type: ignore[no-untyped-def]
    return validate_files([write("t.csv", text)], catalogue).findings


def _seen(findings: list[Finding]) -> list[tuple[str, str, str | None, str | None, str | None]]:
    return [(f.severity, f.code, f.cell, f.expected, f.actual) for f in findings]


def test_a_long_files_year_that_its_quarters_do_not_make_is_a_total_mismatch(write) -> None:  # type: ignore[no-untyped-def]
    (f,) = _findings(write, LONG + "Burglary,2022/23,500\n")
    assert _seen([f]) == [("error", "total-mismatch", "C10", "460", "500")]
    assert f.message == (
        "Burglary 2022/23 is 500, but its quarters give 460 (sum of 2022/23 Q1, 2022/23 Q2, 2022/23 Q3,"
        " 2022/23 Q4); compare uses the quarters"
    )
    assert _findings(write, LONG + "Burglary,2022/23,460\n") == []  # the year its quarters make


def test_a_report_tables_year_column_that_its_quarters_do_not_make_is_a_total_mismatch(write) -> None:  # type: ignore[no-untyped-def]
    assert _seen(_findings(write, WIDE + "Burglary,1000,240,250,260,200,999\n")) == [
        ("error", "total-mismatch", "G2", "950", "999")
    ]
    assert _findings(write, WIDE + "Burglary,1000,240,250,260,200,950\n") == []
    # a year with a quarter not given is not checked: the figure may hold what the table leaves out
    assert _findings(write, WIDE + "Burglary,1000,240,250,260,..,999\n") == []


def test_whole_figures_add_up_exactly_and_figures_with_decimals_stand_for_their_rounding(write) -> None:  # type: ignore[no-untyped-def]
    text = "measure,period,value\n" + "".join(f"Cost,2023/24 Q{q},1.1\n" for q in range(1, 5))
    assert _findings(write, text + "Cost,2023/24,4.5\n") == []  # four 1.1s may be four 1.149s: 4.596
    assert _seen(_findings(write, text + "Cost,2023/24,4.7\n")) == [("error", "total-mismatch", "C6", "4.4", "4.7")]
    whole = "measure,period,value\n" + "".join(f"Calls,2023/24 Q{q},10\n" for q in range(1, 5))
    assert _seen(_findings(write, whole + "Calls,2023/24,41\n")) == [("error", "total-mismatch", "C6", "40", "41")]


def test_a_stocks_year_is_its_last_quarter_and_an_averages_its_mean(write) -> None:  # type: ignore[no-untyped-def]
    catalogue = Catalogue(
        measures=[
            Measure(name="Officers", section="Measures", unit="count", aggregate="last"),
            Measure(name="Wait", section="Measures", unit="seconds", aggregate="mean"),
        ]
    )
    officers = "".join(f"Officers,2023/24 Q{q},{1000 + 10 * q}\n" for q in range(1, 5))
    wait = "".join(f"Wait,2023/24 Q{q},{10 + q}\n" for q in range(1, 5))
    right = "measure,period,value\n" + officers + "Officers,2023/24,1040\n" + wait + "Wait,2023/24,12.5\n"
    assert [f for f in _findings(write, right, catalogue) if f.severity != "info"] == []
    wrong = "measure,period,value\n" + officers + "Officers,2023/24,4100\n" + wait + "Wait,2023/24,14\n"
    found = [f for f in _findings(write, wrong, catalogue) if f.code == "total-mismatch"]
    assert _seen(found) == [
        ("error", "total-mismatch", "C6", "1,040", "4,100"),
        ("error", "total-mismatch", "C11", "12.5", "14"),
    ]
    assert "(last of 2023/24 Q1" in found[0].message and "(mean of 2023/24 Q1" in found[1].message


def test_a_stock_column_of_a_report_table_makes_its_year_from_its_last_count(write) -> None:  # type: ignore[no-untyped-def]
    head = "Staff,Q1 end (30/06/2023),Q2 end (30/09/2023),Q3 end (31/12/2023),Q4 end (31/03/2024),2023/24\n"
    assert _findings(write, head + "Officers,1000,1010,1020,1030,1030\n") == []
    assert _seen(_findings(write, head + "Officers,1000,1010,1020,1030,4060\n")) == [
        ("error", "total-mismatch", "F2", "1,030", "4,060")
    ]


def test_a_year_that_is_the_last_quarter_of_an_uncatalogued_count_says_it_may_be_a_stock(write) -> None:  # type: ignore[no-untyped-def]
    text = "measure,period,value\n" + "".join(f"Officers,2023/24 Q{q},{1000 + 10 * q}\n" for q in range(1, 5))
    (f,) = _findings(write, text + "Officers,2023/24,1040\n")
    assert (f.code, f.expected, f.actual) == ("total-mismatch", "4,100", "1,040")
    assert 'if Officers is a stock, declare aggregate = "last" in kpitool.toml' in f.message


def test_an_uncatalogued_rates_year_is_said_unchecked_never_judged(write) -> None:  # type: ignore[no-untyped-def]
    text = "measure,period,value\n" + "".join(f"Satisfaction,2023/24 Q{q},{79 + q}%\n" for q in range(1, 5))
    (f,) = _findings(write, text + "Satisfaction,2023/24,82.6%\n")  # weighted by respondents? not known
    assert (f.severity, f.code, f.cell, f.actual) == ("info", "unchecked-year", "C6", "82.6")
    assert f.message.startswith("Satisfaction 2023/24 is 82.6% beside its four quarters, not checked against them")
    (wrong,) = _findings(write, text + "Satisfaction,2023/24,85%\n")  # above its every quarter: no weighting gives it
    assert (wrong.severity, wrong.code, wrong.cell) == ("error", "total-mismatch", "C6")
    assert _findings(write, text + "Satisfaction,2023/24,81.5%\n") == []  # their mean: nothing to say


# a rate declared as the ratio of two counts of the file
RATE = Catalogue(
    measures=[
        Measure(name="Solved", section="Measures", unit="count"),
        Measure(name="Crimes", section="Measures", unit="count"),
        Measure(
            name="Solved rate", section="Measures", unit="percent", aggregate="ratio",
            numerator="Solved", denominator="Crimes",
        ),
    ]
)  # fmt: skip


def test_a_catalogue_ratios_year_is_said_unchecked(write) -> None:  # type: ignore[no-untyped-def]
    catalogue = RATE
    text = "measure,period,value\n" + "".join(f"Solved rate,2023/24 Q{q},{20 + q}%\n" for q in range(1, 5))
    found = _findings(write, text + "Solved rate,2023/24,23%\n", catalogue)
    assert [(f.severity, f.code, f.cell) for f in found if f.code in ("unchecked-year", "total-mismatch")] == [
        ("info", "unchecked-year", "C6")
    ]
    # 30% is no ratio of the year's terms, whatever they are: each quarter's is 21-24%
    found = _findings(write, text + "Solved rate,2023/24,30%\n", catalogue)
    assert [(f.severity, f.code) for f in found if f.code in ("unchecked-year", "total-mismatch")] == [
        ("error", "total-mismatch")
    ]


def test_compare_notes_the_year_its_quarters_do_not_make_on_that_measure_alone(runner, write) -> None:  # type: ignore[no-untyped-def]
    from kpitool.cli import app

    long = write("long.csv", LONG + "Burglary,2022/23,500\nRobbery,2022/23,50\nRobbery,2023/24,60\n")
    wide = write("wide.csv", WIDE + "Burglary,1000,240,250,260,200,999\n")
    result = runner.invoke(app, ["compare", str(long), str(wide), "--format", "json"])
    assert result.exit_code == 0, result.output
    notes = {(c["section"], c["measure"]): c["notes"] for c in json.loads(result.stdout)["comparisons"]}
    (said,) = [n for n in notes[("", "Burglary")] if "does not agree" in n]
    assert "long.csv:C10" in said and "is 500, but its quarters give 460" in said
    assert said.endswith("compare uses the quarters.")
    (said,) = [n for n in notes[("Crime", "Burglary")] if "does not agree" in n]
    assert "wide.csv:G2" in said and "is 999, but its quarters give 950" in said
    assert not [n for n in notes[("", "Robbery")] if "does not agree" in n]


def test_a_calendar_year_is_made_of_the_financial_quarters_it_spans(write) -> None:  # type: ignore[no-untyped-def]
    head = "Deaths,Jan-Mar 2023,Apr-Jun 2023,Jul-Sep 2023,Oct-Dec 2023,2023\n"
    assert _findings(write, head + "Total,10,20,30,40,100\n") == []
    (f,) = _findings(write, head + "Total,10,20,30,40,110\n")
    assert (f.code, f.cell, f.expected, f.actual) == ("total-mismatch", "F2", "100", "110")
    assert "(sum of 2022/23 Q4, 2023/24 Q1, 2023/24 Q2, 2023/24 Q3)" in f.message


def test_a_catalogue_ratios_year_is_its_terms_years_ratio(write) -> None:  # type: ignore[no-untyped-def]
    catalogue = RATE
    text = "measure,period,value\n" + "".join(
        f"Solved,2023/24 Q{q},{10 * q}\nCrimes,2023/24 Q{q},{50 * (q + 1)}\nSolved rate,2023/24 Q{q},{20 * q / (q + 1):.1f}%\n"
        for q in range(1, 5)
    )  # the quarters' rates: 10.0%, 13.3%, 15.0%, 16.0%, their mean 13.6%; the year's 100 / 700 = 14.3%
    assert [f for f in _findings(write, text + "Solved rate,2023/24,14.3%\n", catalogue) if f.severity != "info"] == []
    found = [f for f in _findings(write, text + "Solved rate,2023/24,13.6%\n", catalogue) if f.severity != "info"]
    assert _seen(found) == [("error", "total-mismatch", "C14", "14.3", "13.6")]
    assert "its terms give" in found[0].message and "(Solved / Crimes of the year: 100 / 700)" in found[0].message


def test_a_rate_or_average_year_no_weighting_of_its_quarters_gives_is_a_mismatch(write) -> None:  # type: ignore[no-untyped-def]
    head = "Measure,2023/24 Q1,2023/24 Q2,2023/24 Q3,2023/24 Q4,2023/24\n"
    path = write("t.csv", head + "Average wait (seconds),10,12,14,16,52\nAverage wait b (seconds),10,12,14,16,12.5\n")
    found = sorted((f.code, f.cell, f.severity) for f in validate_files([path]).findings if f.code != "layout")
    # 52 is no weighted mean of 10..16; 12.5 may be one (said unchecked)
    assert found == [("total-mismatch", "F2", "error"), ("unchecked-year", "F3", "info")]
