"""Targets: met or not in compare, and reported target and RAG columns audited against the figures."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kpitool.catalogue import load_catalogue
from kpitool.cli import app
from kpitool.readers import parse_header
from kpitool.validate import validate_files

TABLE = (
    "Call Data\t2022/23\t2023/24\tTarget\tTarget met?\n"
    "999 calls answered in 10s\t100\t130\t120\tNot met\n"
    "101 calls abandoned\t50\t40\t45\tMet\n"
    "Answer time\t20\t15\t12\tGreen\n"
    "Answer time 2\t20\t12.4\t12\tRed\n"
    "Other\t1\t2\t3\tPurple\n"
    "No polarity\t1\t2\t3\tRed\n"
)
CATALOGUE = """
[[measure]]
name = "999 calls answered in 10s"
section = "Call Data"
polarity = "up"
target = 125

[[measure]]
name = "101 calls abandoned"
section = "Call Data"
polarity = "down"

[[measure]]
name = "Answer time"
section = "Call Data"
unit = "seconds"
polarity = "down"

[[measure]]
name = "Answer time 2"
section = "Call Data"
unit = "seconds"
polarity = "down"

[[measure]]
name = "Other"
section = "Call Data"
polarity = "up"

[[measure]]
name = "No polarity"
section = "Call Data"
"""


@pytest.mark.parametrize(
    ("heading", "role"),
    [("Target", "target"), ("Annual target 2023/24", "target"), ("Target met?", "status"), ("RAG", "status"),
     ("RAG status", "status"), ("Achieved", "status"), ("Direction of travel", "direction")],
)  # fmt: skip
def test_target_and_status_headings(heading: str, role: str) -> None:
    assert parse_header(heading).role == role


def test_status_audited_against_the_figures(tmp_path: Path) -> None:
    (tmp_path / "t.tsv").write_text(TABLE, encoding="utf-8")
    (tmp_path / "kpitool.toml").write_text(CATALOGUE, encoding="utf-8")
    report = validate_files([tmp_path / "t.tsv"], load_catalogue(tmp_path / "kpitool.toml"))
    found = {(f.code, f.severity, f.cell): f for f in report.findings}
    # 130 against the table's target of 120, higher is better: met, though the table says not
    assert ("target-mismatch", "error", "E2") in found
    assert found[("target-mismatch", "error", "E2")].expected == "met"
    # the table's target (120) is not the catalogue's (125): a warning, and the table's is used
    assert ("target-mismatch", "warning", "D2") in found
    # 40 against 45, lower is better: met, as the table says
    assert not any(f.row == 3 for f in report.findings)
    # 15 s against 12 s, lower is better: not met, though green
    assert ("target-mismatch", "error", "E4") in found
    # 12.4 shown with one decimal against 12: not met, as the table says red
    assert not any(f.row == 5 for f in report.findings)
    assert ("bad-status", "warning", "E6") in found
    # no polarity: no one can say which side of 3 is met; not audited
    assert not any(f.row == 7 for f in report.findings)
    assert report.exit_code == 1


def test_rounding_lets_a_status_stand(tmp_path: Path) -> None:
    """95 shown for anything from 94.5 to 95.5: against a target of 95 either status can be true."""
    (tmp_path / "t.tsv").write_text("T\t2023/24\tTarget\tRAG\nA\t95\t95.2\tRed\nB\t95\t95.2\tGreen\n", encoding="utf-8")
    (tmp_path / "kpitool.toml").write_text(
        '[[measure]]\nname = "A"\nsection = "T"\npolarity = "up"\n\n[[measure]]\nname = "B"\nsection = "T"\npolarity = "up"\n',
        encoding="utf-8",
    )
    report = validate_files([tmp_path / "t.tsv"], load_catalogue(tmp_path / "kpitool.toml"))
    assert [f for f in report.findings if f.code == "target-mismatch"] == []


def test_compare_marks_the_target(tmp_path: Path) -> None:
    (tmp_path / "kpitool.toml").write_text(
        '[[measure]]\nname = "Answered"\npolarity = "up"\ntarget = 900\n\n'
        '[[measure]]\nname = "Abandoned"\npolarity = "down"\ntarget = 100\n',
        encoding="utf-8",
    )
    (tmp_path / "d.csv").write_text(
        "measure,period,value\nAnswered,2022/23,800\nAnswered,2023/24,950\n"
        "Abandoned,2022/23,90\nAbandoned,2023/24 Q1,40\nAbandoned,2023/24 Q2,30\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        app, ["compare", str(tmp_path / "d.csv"), "-c", str(tmp_path / "kpitool.toml"), "-f", "json"]
    )
    assert result.exit_code == 0, result.output
    rows = {c["measure"]: c for c in json.loads(result.stdout)["comparisons"]}
    assert rows["Answered"]["target"] == 900 and rows["Answered"]["target_met"] is True
    # a part-year total is not judged against a year's target
    assert rows["Abandoned"]["target_met"] is None
    assert any("not judged until 2023/24 is complete" in n for n in rows["Abandoned"]["notes"])


def test_a_target_needs_a_polarity(tmp_path: Path) -> None:
    (tmp_path / "kpitool.toml").write_text('[[measure]]\nname = "A"\ntarget = 5\n', encoding="utf-8")
    (tmp_path / "d.csv").write_text("measure,period,value\nA,2023/24,1\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["compare", str(tmp_path / "d.csv"), "-c", str(tmp_path / "kpitool.toml")])
    assert result.exit_code == 2
    assert "a target needs polarity" in result.output


@pytest.mark.parametrize(
    ("toml", "said"),
    [
        ("[project]\nconfidence = 100\n", "confidence: 100 must be below 100"),
        ("[project]\nconfidence = 50\n", "confidence: 50 must be more than 50"),
        ('[[measure]]\nname = "A"\npolarity = "up"\ntarget = nan\n', "target: nan is not a finite number"),
        ('[[measure]]\nname = "A"\npolarity = "up"\ntarget = true\n', "target: True is not a number"),
        ('[[measure]]\nname = "A"\nrebase = [2023]\n', "2023 is not a period: write it in quotes"),
        ('[[measure]]\nname = "A"\nrebase = ["12m to 2023-06"]\n', "not a rolling year"),
    ],
)
def test_method_keys_in_the_catalogue_checked_in_our_words(toml: str, said: str, tmp_path: Path) -> None:
    (tmp_path / "kpitool.toml").write_text(toml, encoding="utf-8")
    (tmp_path / "d.csv").write_text("measure,period,value\nA,2023/24,1\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["compare", str(tmp_path / "d.csv"), "-c", str(tmp_path / "kpitool.toml")])
    assert result.exit_code == 2
    assert said in result.output
    assert "Input should" not in result.output


def test_a_part_year_status_is_not_audited_against_the_years_target(tmp_path: Path) -> None:
    """Q1 and Q2 only, 60 of an annual 100, "On track": a forecast, which no sum can check."""
    (tmp_path / "t.tsv").write_text(
        "T\t2023/24 Q1\t2023/24 Q2\tTarget\tStatus\nAnswered\t30\t30\t100\tOn track\n", encoding="utf-8"
    )
    (tmp_path / "kpitool.toml").write_text(
        '[[measure]]\nname = "Answered"\nsection = "T"\npolarity = "up"\n', encoding="utf-8"
    )
    report = validate_files([tmp_path / "t.tsv"], load_catalogue(tmp_path / "kpitool.toml"))
    assert [f for f in report.findings if f.code == "target-mismatch"] == []


@pytest.mark.parametrize(
    ("text", "targets"),
    [
        (  # a row per period, measures in columns
            "Quarter,Calls answered in 10s %,Target %,999 calls\n2022/23 Q1,91%,90%,1000\n2022/23 Q2,92%,90%,1100\n"
            "2022/23 Q3,89%,90%,1200\n2022/23 Q4,93%,90%,1300\n2023/24 Q1,88%,90%,1000\n",
            {"Target %": 3},
        ),
        (  # a row per area
            "Force,Period,Calls answered %,Target,Annual target 2023/24\nNorth,2023/24 Q1,91%,90%,92%\n"
            "South,2023/24 Q1,85%,90%,92%\n",
            {"Target": 4, "Annual target 2023/24": 5},
        ),
        (  # a report table turned the other way: a row per period
            "As at,Police officers,Target (%)\n31 March 2022,1000,11\n31 March 2023,1050,11\n",
            {"Target (%)": 3},
        ),
    ],
)
def test_a_target_column_of_measures_in_columns_is_no_measure_and_is_said_not_read(
    write, text: str, targets: dict[str, int]
) -> None:  # type: ignore[no-untyped-def]
    from kpitool.readers import read_observations

    path = write("cols.csv", text)
    measures = set(read_observations([path]).frame["measure"].astype(str))
    assert measures and not measures & set(targets), measures
    said = {f.column_name: f for f in validate_files([path]).findings if f.code == "unknown-column"}
    assert {name: f.column for name, f in said.items()} == targets
    for f in said.values():
        assert f.severity == "warning" and "its heading names a target, not a measure" in f.message


@pytest.mark.parametrize(
    ("heading", "target"),
    [("Target", True), ("Target %", True), ("Target (%)", True), ("Annual target 2023/24", True),
     ("Year-end target", True), ("Target hardening visits", False), ("Target met?", False), ("Targeted patrols", False)],
)  # fmt: skip
def test_a_target_heading_is_a_target_and_at_most_its_unit_and_year(heading: str, target: bool) -> None:
    from kpitool.readers.headings import is_target_heading

    assert is_target_heading(heading) is target


@pytest.mark.parametrize(
    ("text", "said"),
    [
        (  # a row per area, a column per measure
            "Force,Period,Calls answered,Annual target 2023/24,% change\nNorth,2022/23,100,500,\n"
            "North,2023/24,120,500,20%\nSouth,2022/23,200,800,\nSouth,2023/24,210,800,5%\n",
            "'Annual target 2023/24'",
        ),
        (  # a report table turned the other way: a row per period
            "As at,Police officers,Target (%)\n31 March 2022,1000,11\n31 March 2023,1050,11\n",
            "'Target (%)'",
        ),
        ("measure,period,value,Target\nCalls,2022/23,100,90\nCalls,2023/24,120,90\n", "'Target'"),  # a long file
    ],
)
def test_compare_says_a_target_column_of_measures_in_columns_was_not_read(
    runner: CliRunner, write, text: str, said: str
) -> None:  # type: ignore[no-untyped-def]
    """validate warns of the column (unknown-column); compare, which reads the rest, says so under its
    table as it does of a published change: a user of compare alone knows the targets were left out."""
    path = write("cols.csv", text)
    shown = runner.invoke(app, ["compare", str(path), "--format", "json"])
    assert shown.exit_code == 0, shown.output
    notes = [n for n in json.loads(shown.stdout)["notes"] if n.startswith(f"Not read from {path}: {said},")]
    assert len(notes) == 1, json.loads(shown.stdout)["notes"]
    assert notes[0].endswith(
        "headed as a target, not a measure — compare takes a measure's target from kpitool.toml only"
        " ([[measure]] target = 90)."
    )
    table = runner.invoke(app, ["compare", str(path)])
    assert f"Not read from {path}: {said}, headed as a target" in " ".join(table.stdout.split())
