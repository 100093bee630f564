from __future__ import annotations

import json
from pathlib import Path

from conftest import EXAMPLES
from kpitool.catalogue import load_catalogue, read_catalogue
from kpitool.models import Catalogue, Measure
from kpitool.validate import validate_files

MESSY = (
    "measure,period,value,colour\n"
    "999 calls,2023/24 Q1,31539,red\n"  # 2: fine (unknown column warned on the header)
    "999 calls,2023/24 Q5,1,red\n"  # 3: bad period
    '101 calls,2023/24 Q1,"1,2,3",red\n'  # 4: not a number
    "101 calls,2023/24 Q1,70929,red,extra\n"  # 5: ragged
    "999 calls,2023/24 Q1,31540,red\n"  # 6: conflicting duplicate of row 2
    ",2023/24 Q1,5,red\n"  # 7: blank measure
)


def test_every_problem_is_reported_with_row_and_column(write) -> None:  # type: ignore[no-untyped-def]
    report = validate_files([write("messy.csv", MESSY)])
    got = {(f.code, f.row, f.column) for f in report.findings}
    assert got == {
        ("unknown-column", 1, 4),
        ("bad-period", 3, 2),
        ("not-a-number", 4, 3),
        ("ragged-row", 5, None),
        ("conflicting-observation", 6, 3),
        ("blank-measure", 7, 1),
    }
    assert not report.valid
    assert report.counts == {"error": 5, "warning": 1, "info": 0}
    nan = next(f for f in report.findings if f.code == "not-a-number")
    assert nan.cell == "C4" and nan.actual == "1,2,3" and "thousands" in nan.message


def test_identical_duplicate_is_a_warning_and_strict_makes_it_invalid(write) -> None:  # type: ignore[no-untyped-def]
    path = write("d.csv", "measure,period,value\nA,2023/24 Q1,1\nA,2023/24 Q1,1\n")
    report = validate_files([path])
    assert [f.code for f in report.findings] == ["duplicate-observation"] and report.valid
    assert not validate_files([path], strict=True).valid


def test_catalogue_checks(write) -> None:  # type: ignore[no-untyped-def]
    catalogue = load_catalogue(EXAMPLES / "kpitool.toml")
    path = write(
        "q1.csv",
        "section,measure,period,value\nCall data,999 calls,2023/24 Q1,-5\nCall data,101 calls,2023/24 Q1,2.5\n"
        "Call data,Pigeons,2023/24 Q1,3\nNeighbourhood crime,Resolved rate,2023/24 Q1,140%\n",
    )
    codes = [f.code for f in validate_files([path], catalogue).findings]
    assert codes.count("negative-count") == 1
    assert codes.count("fractional-count") == 1
    assert codes.count("unknown-measure") == 1
    assert codes.count("percent-out-of-range") == 1
    assert codes.count("measure-not-submitted") > 40  # a quarterly file should carry every measure


def test_example_data_is_valid() -> None:
    catalogue = load_catalogue(EXAMPLES / "kpitool.toml")
    files = sorted((EXAMPLES / "data").glob("*.csv"))
    report = validate_files(files, catalogue)
    assert report.findings == [] and report.valid and report.rows == 296


def test_broken_catalogue_findings_name_key_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "kpitool.toml"
    bad.write_text(
        '[project]\nbaseline = "2022/23"\n\n[[measure]]\nname = "A"\n\n[[measure]]\nname = "B"\nunit = "apples"\n'
    )
    catalogue, findings = read_catalogue(bad)
    assert catalogue is None
    assert [(f.code, f.row, f.column_name) for f in findings] == [("config-invalid", 9, "measure[2].unit")]
    bad.write_text('[project]\ntolerance = "five"\n')
    assert [(f.row, f.column_name) for f in read_catalogue(bad)[1]] == [(2, "tolerance")]
    bad.write_text("[project\n")
    assert [(f.code, f.row) for f in read_catalogue(bad)[1]] == [("config-syntax", 1)]
    bad.write_text('[[measure]]\nname = "A"\nparts = ["Nope"]\n')
    assert "Nope" in read_catalogue(bad)[1][0].message


def test_json_is_the_report(write) -> None:  # type: ignore[no-untyped-def]
    report = validate_files([write("messy.csv", MESSY)])
    data = json.loads(report.model_dump_json())
    assert data["valid"] is False and len(data["findings"]) == 6 and data["codes"]["ragged-row"] == 1


def test_declared_parts_must_add_up_in_a_submission(write) -> None:  # type: ignore[no-untyped-def]
    catalogue = load_catalogue(EXAMPLES / "kpitool.toml")
    path = write(
        "q4.csv",
        "section,measure,period,value\nRoad casualties,Fatal,2023/24 Q4,2\nRoad casualties,Serious,2023/24 Q4,31\n"
        "Road casualties,KSI,2023/24 Q4,34\nCall data,999 calls,2023/24 Q4,1\nCall data,101 calls,2023/24 Q4,2\n"
        "Call data,Total calls,2023/24 Q4,3\n",
    )
    parts = [f for f in validate_files([path], catalogue).findings if f.code == "parts-mismatch"]
    assert [(f.measure, f.cell, f.expected, f.actual) for f in parts] == [("KSI", "D4", "33", "34")]


def test_errors_come_first_so_a_capped_screen_never_hides_one(write) -> None:  # type: ignore[no-untyped-def]
    catalogue = load_catalogue(EXAMPLES / "kpitool.toml")
    path = write(
        "q2.csv", "section,measure,period,value\nCall data,999 calls,2023/24 Q2,1\nCall data,101 calls,2023/24 Q2,xyz\n"
    )
    findings = validate_files([path], catalogue).findings
    assert findings[0].code == "not-a-number"
    assert {f.severity for f in findings[1:]} == {"warning"}


def test_a_file_with_no_catalogue_measure_is_not_flooded_with_missing_measures(write) -> None:  # type: ignore[no-untyped-def]
    catalogue = load_catalogue(EXAMPLES / "kpitool.toml")
    findings = validate_files([write("x.csv", "measure,period,value\nPigeons,2023/24 Q2,1\n")], catalogue).findings
    assert [f.code for f in findings] == ["unknown-measure"]


def test_conflicting_large_values_are_told_apart(write) -> None:  # type: ignore[no-untyped-def]
    path = write("big.csv", "measure,period,value\nA,2023/24 Q1,1234567\nA,2023/24 Q1,1234568\n")
    (finding,) = validate_files([path]).findings
    assert finding.code == "conflicting-observation"
    assert "row 2 says 1,234,567, this row says 1,234,568" in finding.message
    assert (finding.expected, finding.actual) == ("1,234,567", "1,234,568")


def test_unknown_measure_is_reported_once_at_its_first_row(write) -> None:  # type: ignore[no-untyped-def]
    catalogue = load_catalogue(EXAMPLES / "kpitool.toml")
    path = write(
        "q.csv",
        "section,measure,period,value\nCall data,999 calls,2023/24 Q1,1\nX,Pigeons,2023/24 Q1,1\n"
        "X,Pigeons,2023/24 Q2,2\nCall data,-5 test,2023/24 Q1,-5\nCall data,999 calls,2023/24 Q2,-3\n",
    )
    findings = validate_files([path], catalogue).findings
    assert [(f.code, f.row) for f in findings if f.code == "unknown-measure"] == [
        ("unknown-measure", 3),
        ("unknown-measure", 5),
    ]
    assert [(f.code, f.row) for f in findings if f.code == "negative-count"] == [("negative-count", 6)]


def test_each_repeat_is_judged_against_the_row_it_repeats(write) -> None:  # type: ignore[no-untyped-def]
    path = write(
        "d.csv",
        "measure,period,value\nB,2023/24 Q1,1\nB,2023/24 Q1,\nB,2023/24 Q1,1\nA,2023/24 Q1,..\nA,2023/24 Q1,..\n",
    )
    got = [(f.code, f.row, f.expected, f.actual) for f in validate_files([path]).findings]
    assert got == [
        ("conflicting-observation", 3, "1", "missing"),
        ("duplicate-observation", 4, "1", "1"),
        ("duplicate-observation", 6, "missing", "missing"),  # missing repeated is the same, not a conflict
    ]


def test_two_names_of_one_measure_for_one_period_conflict(write) -> None:  # type: ignore[no-untyped-def]
    catalogue = Catalogue(measures=[Measure(name="Total calls", aliases=["All calls"])])
    path = write("a.csv", "measure,period,value\nTotal calls,2023/24 Q1,100\nAll calls,2023/24 Q1,120\n")
    findings = [f for f in validate_files([path], catalogue).findings if f.code == "conflicting-observation"]
    assert [(f.row, f.measure, f.expected, f.actual) for f in findings] == [(3, "All calls", "100", "120")]


def test_a_catalogue_that_adds_up_percentages_or_averages_is_warned(tmp_path: Path) -> None:
    toml = tmp_path / "kpitool.toml"
    toml.write_text(
        '[[measure]]\nname = "Answered within 10s"\nunit = "percent"\naggregate = "sum"\n'
        '[[measure]]\nname = "Average answer time"\naggregate = "sum"\n'
        '[[measure]]\nname = "Calls"\n'
        '[[measure]]\nname = "Answer seconds"\nunit = "seconds"\n',  # no aggregate: the mean, no warning
        encoding="utf-8",
    )
    catalogue, findings = read_catalogue(toml)
    assert catalogue is not None
    assert [(f.code, f.measure, f.row) for f in findings] == [
        ("implausible-aggregate", "Answered within 10s", 4),
        ("implausible-aggregate", "Average answer time", 7),
    ]
    assert catalogue.measures[3].aggregate == "mean"


def test_catalogue_messages_are_in_kpitools_words_with_the_nearest_key(tmp_path: Path) -> None:
    toml = tmp_path / "kpitool.toml"
    toml.write_text(
        '[project]\ntolerance = "five"\nyear_strat = "april"\n'
        '[[measure]]\nname = "A"\npolarty = "up"\nunit = "percnt"\ntolerance = -1\n[[measure]]\nunit = "count"\n',
        encoding="utf-8",
    )
    _, findings = read_catalogue(toml)
    messages = sorted((f.row or 0, f.message.removeprefix("kpitool.toml: ")) for f in findings)
    assert messages[0] == (2, "tolerance: 'five' is not a number")
    assert messages[1][1].startswith("year_strat: unknown key; did you mean year_start?")
    assert messages[2][1].startswith("measure[1].polarty: unknown key; did you mean polarity?")
    unit = "measure[1].unit: 'percnt' is not one of count, percent, seconds, currency, number; did you mean percent?"
    assert messages[3] == (7, unit)
    assert messages[-1] == (9, "measure[2].name: is required")  # its [[measure]] line
    assert not any("Input should" in m or "Extra inputs" in m or "Value error" in m for _, m in messages)


def test_a_zero_amid_hundreds_is_named_and_the_comparison_says_it(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import json

    from typer.testing import CliRunner

    from kpitool.cli import app
    from kpitool.validate import validate_files

    text = "Force,measure,period,value\n" + "".join(
        f"{force},Burglary,{year},{value}\n"
        for force, values in (("Durham", (1685, 1702, 1650, 0)), ("Kent", (3, 0, 2, 1)))
        for year, value in zip(("2020/21", "2021/22", "2022/23", "2023/24"), values, strict=True)
    )
    path = tmp_path / "crime.csv"
    path.write_text(text, encoding="utf-8")
    (zero,) = [f for f in validate_files([path]).findings if f.code == "suspect-zero"]  # not Kent's 0 amid 3, 2, 1
    assert zero.severity == "warning" and zero.section == "Durham" and zero.cell == "D5"
    assert zero.message.startswith("Burglary in Durham is 0 in 2023/24, where its other 3 periods are 1,650 to 1,702")
    result = CliRunner().invoke(app, ["compare", str(path), "--baseline", "2022/23", "--format", "json"])
    rows = {c["area"]: c for c in json.loads(result.stdout)["comparisons"]}
    notes = {area: c["notes"] for area, c in rows.items()}
    assert any("a series break or a figure not collected, coded 0?" in n for n in notes["Durham"])
    assert not any("series break" in n for n in notes["Kent"])
    # 1,650 -> 0 is no small count that chance moves: the zero is in doubt, not the count small
    assert not rows["Durham"]["small_numbers"] and not any("Small numbers" in n for n in notes["Durham"])
    assert rows["Kent"]["small_numbers"] and any("Small numbers" in n for n in notes["Kent"])


def test_a_percentage_whose_values_are_all_fractions_of_one_is_named(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import json

    from typer.testing import CliRunner

    from kpitool.cli import app
    from kpitool.validate import validate_files

    path = tmp_path / "deaths.csv"
    rows = [(2018, 1187, 9, "0.0076"), (2019, 1280, 2, "0.0016"), (2020, 1339, 3, "0.0211"), (2021, 1330, 5, "0.0052")]
    path.write_text("year,Deaths,Rate per 1000,percent\n" + "".join(f"{y},{d},{r},{p}\n" for y, d, r, p in rows))
    found = [f for f in validate_files([path]).findings if f.code == "percent-fraction"]
    assert [(f.measure, f.cell, f.severity) for f in found] == [
        ("percent", "D2", "warning")
    ]  # not the rate, not deaths
    assert "between 0 and 1 (0.0016 to 0.0211): fractions of one, 0.0076 for 0.76%?" in found[0].message
    result = CliRunner().invoke(
        app, ["compare", str(path), "--year-start", "january", "--format", "json"], env={"NO_COLOR": "1"}
    )
    notes = {c["measure"]: c["notes"] for c in json.loads(result.stdout)["comparisons"]}
    assert any("fractions of one" in n for n in notes["percent"])
    assert not any("fractions of one" in n for n in notes["Deaths"])
    # percentages of 0 to 100 that happen to be small somewhere are not fractions
    path.write_text("year,percent\n2019,0.5\n2020,1.5\n2021,0.8\n")
    assert not [f for f in validate_files([path]).findings if f.code == "percent-fraction"]
