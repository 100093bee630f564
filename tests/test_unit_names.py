"""What a measure's name says of its unit (``kpitool.units``), in every shape a name comes in: a long
file's measure column, a report table's row label, a column headed by its measure.

Percentages typed without % signs were counts (25 → 27: +8.0% ↑ where it is +2.0 pp ↔), a report
table's right ``2.0`` and ``↔`` were flagged as wrong, and a column headed ``Detection rate (%)``
was dropped from the table without a word. A name that says a % *change* is no percentage, and a
catalogue's unit always wins.
"""

from __future__ import annotations

import json

import pytest

from kpitool.audit.table import TableView
from kpitool.cli import app
from kpitool.compare import compare
from kpitool.models import Catalogue, Comparison, ComparisonReport, Measure
from kpitool.readers import read_file, read_observations
from kpitool.units import inferred_unit, says_average, says_percent, says_percent_change
from kpitool.validate import validate_files

QUARTERS = [f"2022/23 Q{q}" for q in range(1, 5)] + [f"2023/24 Q{q}" for q in range(1, 5)]
FLAT_THEN_RISING = [25, 25, 25, 25, 24, 26, 28, 30]  # 25 → 27: +2.0 pp (↔), or +8.0% (↑) if a count


def _long(write, names: list[str], values: list[float] | list[str], name: str = "pct.csv"):  # type: ignore[no-untyped-def]
    body = "".join(f"{n},{p},{v}\n" for p, v in zip(QUARTERS, values, strict=True) for n in names)
    return write(name, "measure,period,value\n" + body)


def _both(observations, catalogue: Catalogue | None = None) -> ComparisonReport:  # type: ignore[no-untyped-def]
    """The report, made by the bulk path, after checking the per-row path makes the same one."""
    made = compare(observations, catalogue)
    assert made.model_dump_json() == compare(observations, catalogue, per_row=True).model_dump_json()
    return made


def _row(report: ComparisonReport, name: str) -> Comparison:
    return next(c for c in report.comparisons if c.measure == name)


@pytest.mark.parametrize(
    ("name", "percent"),
    [
        ("Percentage of calls answered in 10s", True),
        ("Detection rate (%)", True),
        ("Detection rate %", True),
        ("% detected", True),
        ("Percent detected", True),
        ("Per cent solved", True),
        ("Repeat victims (per cent)", True),
        ("Detection rate pct", True),
        ("Detection rate", False),  # a rate may be per 1,000: its figures must say %
        ("Response time percentile", False),
        ("Offences (% change)", False),  # a change, not a share of a whole
        ("% change", False),
        ("Percentage change from baseline", False),
        ("% difference", False),
        ("Change (%)", False),
        ("%", False),  # names no measure
        (" % ", False),
        ("percent", True),  # NRS's share of all deaths, headed so
        ("Percentage", True),
        ("Number of percent-coded records", False),  # it counts records
        ("Count of % cases", False),
    ],
)
def test_what_a_name_says_of_percentages(name: str, percent: bool) -> None:
    assert says_percent(name) is percent


def test_a_count_a_change_in_points_and_a_percentile_by_their_names() -> None:
    from kpitool.arithmetic import inferred_aggregate

    assert inferred_unit("Number of percent-coded records", percent=False, fractional=False) == ("count", "")
    assert inferred_aggregate("Number of percent-coded records", percent=False, stock=False) == "sum"
    assert inferred_unit("Change (pp)", percent=False, fractional=False)[0] == "number"
    assert inferred_unit("Percentile 90 wait", percent=False, fractional=False)[0] == "number"
    assert inferred_aggregate("Percentile 90 wait", percent=False, stock=False) == "mean"


def test_the_unit_a_name_gives_and_why() -> None:
    assert inferred_unit("Detection rate (%)", percent=False, fractional=False) == ("percent", "its name says so")
    assert inferred_unit("Detection rate (%)", percent=True, fractional=False) == ("percent", "")  # its % signs
    assert inferred_unit("Offences (% change)", percent=False, fractional=False)[0] == "number"
    assert says_percent_change("Offences (% change)") and not says_percent_change("Offences")
    assert inferred_unit("Average answer time", percent=False, fractional=False) == (
        "number",
        "its name says an average, not a count",
    )
    assert says_average("Mean days to charge") and not says_average("Meaningful contacts")
    assert inferred_unit("Crimes", percent=False, fractional=False) == ("count", "")
    assert inferred_unit("Crimes", percent=False, fractional=True) == ("number", "")


# -- (a) a long file's measure names ------------------------------------------------------------


def test_a_measure_named_as_a_percentage_is_one_without_percent_signs(write) -> None:  # type: ignore[no-untyped-def]
    names = ["Percentage of calls answered in 10s", "Detection rate (%)"]
    report = _both(read_observations([_long(write, names, FLAT_THEN_RISING)]))
    for name in names:
        c = _row(report, name)
        assert (c.unit, c.aggregate, c.inferred) == ("percent", "mean", True)
        assert (c.baseline_value, c.current_value) == (25, 27)
        assert c.change == pytest.approx(2.0) and c.change_unit == "pp" and c.direction == "level"
        said = "Not in a catalogue: taken as a percent measure (its name says so), year = mean of the quarters"
        assert any(n.startswith(said) for n in c.notes)


def test_the_cli_shows_percentage_points_for_a_percentage_named_so(runner, write) -> None:  # type: ignore[no-untyped-def]
    path = _long(write, ["Detection rate (%)"], FLAT_THEN_RISING)
    result = runner.invoke(app, ["compare", str(path), "--format", "csv"])
    assert result.exit_code == 0
    assert "percent" in result.stdout and ",pp," in result.stdout
    assert "taken as a percent measure (its name says so)" in result.stdout


def test_a_catalogue_unit_wins_over_what_the_name_says(write) -> None:  # type: ignore[no-untyped-def]
    catalogue = Catalogue(measures=[Measure(name="Detection rate (%)", unit="count", aggregate="mean")])
    c = _row(
        _both(read_observations([_long(write, ["Detection rate (%)"], FLAT_THEN_RISING)]), catalogue),
        "Detection rate (%)",
    )
    assert (c.unit, c.inferred, c.change_unit, c.direction) == ("count", False, "%", "up")
    assert not any("its name says" in n for n in c.notes)


def test_a_name_that_says_a_percent_change_is_a_number_not_a_percentage(write) -> None:  # type: ignore[no-untyped-def]
    # -40 is no percentage out of range, and its change is not in percentage points
    values = [-40, -40, -40, -40, 10, 20, 30, 40]
    c = _row(_both(read_observations([_long(write, ["Offences (% change)"], values)])), "Offences (% change)")
    assert (c.unit, c.change_unit) == ("number", "%")
    assert any(
        "taken as a number measure (its name says a % change, not a percentage of a whole)" in n for n in c.notes
    )
    report = validate_files([_long(write, ["Offences (% change)"], values, "chg.csv")])
    assert not [f for f in report.findings if f.code == "percent-out-of-range"]


def test_validate_holds_a_percentage_named_so_to_0_to_100(write) -> None:  # type: ignore[no-untyped-def]
    path = _long(write, ["Percentage of calls answered in 10s"], [25, 25, 25, 25, 24, 26, 28, 140])
    (f,) = [f for f in validate_files([path]).findings if f.code == "percent-out-of-range"]
    assert (f.severity, f.row, f.period) == ("error", 9, "2023/24 Q4")
    # with a catalogue saying count, it is a count: no percentage to hold to 0–100
    catalogue = Catalogue(measures=[Measure(name="Percentage of calls answered in 10s", unit="count")])
    assert not [f for f in validate_files([path], catalogue).findings if f.code == "percent-out-of-range"]


# -- (b) a report table's row label -----------------------------------------------------------

WIDE_HEAD = (
    "Crime,Q1-Q4 2022/23 baseline,Q1 2023/24,Q2 2023/24,Q3 2023/24,Q4 2023/24,Q1-Q4 2023/24 total,"
    "% change (baseline to 23/24),Direction of travel (from baseline)\n"
)
WIDE = WIDE_HEAD + "Burglary,1000,240,250,260,200,950,-5.0%,↔\nDetection rate (%),25.0,24.0,26.0,28.0,30.0,27.0,2.0,↔\n"


def test_a_report_row_named_as_a_percentage_has_its_right_change_and_arrow_accepted(runner, write) -> None:  # type: ignore[no-untyped-def]
    path = write("wide.csv", WIDE)
    report = validate_files([path])
    assert not [f for f in report.findings if f.code in ("change-mismatch", "direction-mismatch")]
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 0
    c = _row(_both(read_observations([path])), "Detection rate (%)")
    assert (c.unit, c.change, c.change_unit, c.direction) == ("percent", pytest.approx(2.0), "pp", "level")


def test_a_wrong_change_and_arrow_of_a_percentage_row_are_found_from_the_year_the_table_shows(write) -> None:  # type: ignore[no-untyped-def]
    # no catalogue: a percentage's year is not the mean of its quarters (a rate), so its change runs
    # to the year shown (27.0); by its name or by its % signs, alike
    body = "Detection rate (%),25.0,24.0,26.0,28.0,30.0,27.0,9.0,↑\nSolved rate,25.0%,24.0%,26.0%,28.0%,30.0%,27.0%,9.0,↑\n"
    found = {(f.measure, f.code, f.severity) for f in validate_files([write("wide.csv", WIDE_HEAD + body)]).findings}
    for name in ("Detection rate (%)", "Solved rate"):
        assert {(name, "change-mismatch", "error"), (name, "direction-mismatch", "error")} <= found
    right = validate_files([write("right.csv", WIDE)]).findings
    assert [(f.code, f.severity, f.expected) for f in right] == [("change-in-points", "info", "2.0 pp")]


def test_a_report_row_is_a_percentage_by_its_name_but_not_a_percent_change_row(write) -> None:  # type: ignore[no-untyped-def]
    body = "Detection rate (%),25,24,26,28,30,27,2.0,↔\nOffences (% change),-4,-3,1,2,6,1.5,,\nCrimes,10,2,3,3,2,10,0.0,↔\n"
    data = read_file(write("wide.csv", WIDE_HEAD + body))
    view = TableView(data.tables[0], "wide.csv", None)
    named = {r.name for r in data.tables[0].rows if r.row in view.percent_rows}
    assert named == {"Detection rate (%)"}


def test_a_catalogue_unit_wins_in_the_audit_too(write) -> None:  # type: ignore[no-untyped-def]
    catalogue = Catalogue(
        measures=[Measure(name="Detection rate (%)", section="Crime", unit="count", aggregate="mean")]
    )
    findings = validate_files([write("wide.csv", WIDE)], catalogue).findings
    assert {f.code for f in findings if f.measure == "Detection rate (%)"} >= {"change-mismatch", "direction-mismatch"}


# -- (c) measures in columns ----------------------------------------------------------------


def test_a_column_headed_as_a_percentage_is_a_measure_whatever_the_spelling(write) -> None:  # type: ignore[no-untyped-def]
    heads = ["Detection rate (%)", "Detection rate %", "% detected", "Percent detected", "Percentage solved"]
    text = (
        f"Force,Period,{','.join(heads)},Crimes\nA,2022/23,{'25,' * len(heads)}100\nA,2023/24,{'27,' * len(heads)}110\n"
    )
    report = _both(read_observations([write("cols.csv", text)]))
    assert [c.measure for c in report.comparisons] == [*heads, "Crimes"]
    for name in heads:
        c = _row(report, name)
        assert (c.unit, c.change, c.change_unit, c.direction) == ("percent", pytest.approx(2.0), "pp", "level")
    assert _row(report, "Crimes").unit == "count"


def test_a_published_change_column_is_not_read_and_validate_says_why(runner, write) -> None:  # type: ignore[no-untyped-def]
    text = "Force,Period,Detection rate (%),Crimes,% change,Change\nA,2022/23,25,100,,\nA,2023/24,27,110,10.0,10\n"
    path = write("cols.csv", text)
    report = _both(read_observations([path]))
    assert [c.measure for c in report.comparisons] == ["Detection rate (%)", "Crimes"]
    unread = {f.column_name: f for f in validate_files([path]).findings if f.code == "unknown-column"}
    assert set(unread) == {"% change", "Change"}
    for f in unread.values():
        assert f.severity == "warning" and "a published change or direction, a figure derived from others" in f.message
    out = json.loads(runner.invoke(app, ["validate", str(path), "--format", "json"]).stdout)
    assert {f["column"] for f in out["findings"] if f["code"] == "unknown-column"} == {5, 6}
    # and compare, which reads the rest, says so under its table
    shown = runner.invoke(app, ["compare", str(path), "--format", "json"])
    assert shown.exit_code == 0
    (said,) = [n for n in json.loads(shown.stdout)["notes"] if n.startswith("Not read from")]
    assert said.startswith(f"Not read from {path}: '% change', 'Change', headed as a published change or direction")


def test_a_published_change_in_a_table_of_a_row_per_period_is_no_measure(write) -> None:  # type: ignore[no-untyped-def]
    path = write("turned.csv", "As at,Police officers,% change\n31 March 2022,1000,\n31 March 2023,1050,5%\n")
    report = _both(read_observations([path]))
    assert [c.measure for c in report.comparisons] == ["Police officers"]
    (said,) = [f for f in validate_files([path]).findings if f.code == "unknown-column"]
    assert (said.severity, said.column, said.column_name) == ("warning", 3, "% change")
    assert "a published change or direction, a figure derived from others" in said.message


# -- (d) averages --------------------------------------------------------------------------


def test_an_average_written_whole_is_shown_with_its_decimals(runner, write) -> None:  # type: ignore[no-untyped-def]
    path = _long(write, ["Average answer time"], ["12.0", "13.0", "14.0", "15.0", "10.0", "11.0", "12.0", "13.0"])
    c = _row(_both(read_observations([path])), "Average answer time")
    assert (c.unit, c.aggregate, c.baseline_value, c.current_value) == ("number", "mean", 13.5, 11.5)
    assert any("taken as a number measure (its name says an average, not a count)" in n for n in c.notes)
    shown = runner.invoke(app, ["compare", str(path), "--format", "md"]).stdout
    (line,) = [x for x in shown.splitlines() if x.startswith("| Average answer time")]
    cells = [x.strip() for x in line.strip("|").split("|")]
    assert cells[1:8] == ["13.5", "10.0", "11.0", "12.0", "13.0", "11.5", "-2.0"]  # not 14 → 12, −2
