"""Columns of records added up or averaged: cells that are not numbers named by row, and means."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from kpitool.cli import app
from kpitool.codes import Code
from kpitool.counting import CountOptions, parse_where, run_count


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def rows(report: object) -> dict[tuple[str, str, str], float]:
    return {(r.section, r.measure, r.period): r.value for r in report.rows}  # type: ignore[attr-defined]


COSTS = (
    "Month,Type,Cost\n"
    "2022-04,Burglary,10\n"  # row 2
    "2022-04,Burglary,abc\n"  # row 3: not a number
    "2022-04,Robbery,abc\n"  # row 4: the same text, in a record a Burglary filter leaves out
    "2022-04,Burglary,\n"  # row 5: blank, a warning
    "2022-04,Burglary,nan\n"  # row 6: a NaN is no number
    "2022-05,Burglary,1_000\n"  # row 7: nor are grouped digits
    "2022-05,Burglary, 2.5 \n"  # row 8: spaces around a number are fine
    "2022-05,Robbery,inf\n"  # row 9
)


def test_cells_that_are_not_numbers_are_named_by_file_row_and_column(tmp_path: Path) -> None:
    path = write(tmp_path / "costs.csv", COSTS)
    report = run_count([path], CountOptions(total="Cost"))
    bad = [f for f in report.findings if f.code == Code.NOT_A_NUMBER]
    assert [(f.file, f.row, f.column_name, f.actual) for f in bad] == [
        (str(path), 3, "Cost", "abc"),
        (str(path), 4, "Cost", "abc"),
        (str(path), 6, "Cost", "nan"),
        (str(path), 7, "Cost", "1_000"),
        (str(path), 9, "Cost", "inf"),
    ]
    assert all(f.severity == "error" for f in bad) and "'abc' in 'Cost' is not a number" in bad[0].message
    blank = [f for f in report.findings if f.code == Code.BLANK_VALUE]
    assert len(blank) == 1 and blank[0].message.startswith("1 record has no value in 'Cost'")
    assert rows(report) == {("", "Cost", "2022-04"): 10.0, ("", "Cost", "2022-05"): 2.5}


def test_only_the_records_a_filter_takes_are_checked(tmp_path: Path) -> None:
    path = write(tmp_path / "costs.csv", COSTS)
    report = run_count([path], CountOptions(total="Cost", where=parse_where(["Type=Burglary"])))
    bad = [(f.row, f.actual) for f in report.findings if f.code == Code.NOT_A_NUMBER]
    assert bad == [(3, "abc"), (6, "nan"), (7, "1_000")]  # row 4's 'abc' and row 9's inf are robberies


def test_parquet_cells_are_named_by_row_too(tmp_path: Path) -> None:
    import duckdb

    csv_path = write(tmp_path / "costs.csv", COSTS)
    parquet = tmp_path / "costs.parquet"
    duckdb.execute(f"COPY (SELECT * FROM read_csv('{csv_path}', all_varchar = true)) TO '{parquet}' (FORMAT parquet)")
    report = run_count([parquet], CountOptions(total="Cost", where=parse_where(["Type=Burglary"])))
    bad = [(f.row, f.actual) for f in report.findings if f.code == Code.NOT_A_NUMBER]
    assert bad == [(3, "abc"), (6, "nan"), (7, "1_000")]


def test_many_bad_cells_keep_exact_counts_and_every_row(tmp_path: Path) -> None:
    body = "".join(f"2022-01,x{i % 3}\n" for i in range(1500))
    report = run_count([write(tmp_path / "r.csv", "Month,Cost\n2022-01,4\n" + body)], CountOptions(total="Cost"))
    bad = [f for f in report.findings if f.code == Code.NOT_A_NUMBER]
    assert sum(f.count for f in bad) == 1500 and len(bad) == 1001
    assert bad[0].row == 3 and bad[-1].more_rows[-1] == 1502
    assert rows(report) == {("", "Cost", "2022-01"): 4.0}


def test_count_stops_at_a_cell_that_is_not_a_number_unless_asked(tmp_path: Path) -> None:
    path = write(tmp_path / "costs.csv", COSTS)
    runner = CliRunner()
    stopped = runner.invoke(app, ["count", str(path), "--sum", "Cost"])
    assert stopped.exit_code == 1 and stopped.stdout == ""
    assert f"{path}:row 3: error [not-a-number]" in stopped.stderr and "'abc'" in stopped.stderr
    skipped = runner.invoke(app, ["count", str(path), "--sum", "Cost", "--skip-invalid", "--format", "json"])
    assert skipped.exit_code == 0, skipped.output
    assert {r["period"]: r["value"] for r in json.loads(skipped.stdout)["rows"]} == {"2022-04": 10, "2022-05": 2.5}


@pytest.mark.parametrize("cell", ["12", "-3.5", "1e3", " 7 "])
def test_numbers_as_people_type_them_are_added(tmp_path: Path, cell: str) -> None:
    report = run_count([write(tmp_path / "r.csv", f'Month,Cost\n2022-01,"{cell}"\n')], CountOptions(total="Cost"))
    assert not report.findings and rows(report) == {("", "Cost", "2022-01"): float(cell)}
    assert float(cell) == pd.to_numeric(pd.Series([cell.strip()])).iloc[0]
