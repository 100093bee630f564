"""The baseline year's quarters, where the data have them, go into JSON and CSV beside the current ones."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from typer.testing import CliRunner

from kpitool.cli import app

DATA = "measure,period,value\n" + "".join(
    f"Calls,{year} Q{q},{v}\n"
    for year, values in (("2022/23", (10, 20, 30, 40)), ("2023/24", (11, 21)))
    for q, v in zip((1, 2, 3, 4), values, strict=False)
)


def _export(tmp_path: Path, fmt: str) -> str:
    path = tmp_path / "d.csv"
    path.write_text(DATA, encoding="utf-8")
    result = CliRunner().invoke(app, ["export", str(path), "-f", fmt])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_json_has_the_baseline_quarters(tmp_path: Path) -> None:
    report = json.loads(_export(tmp_path, "json"))
    assert report["baseline_quarters"] == ["2022/23 Q1", "2022/23 Q2", "2022/23 Q3", "2022/23 Q4"]
    row = report["comparisons"][0]
    assert [(q["period"], q["value"]) for q in row["baseline_quarters"]] == [
        ("2022/23 Q1", 10), ("2022/23 Q2", 20), ("2022/23 Q3", 30), ("2022/23 Q4", 40)
    ]  # fmt: skip
    assert row["baseline_value"] == 30  # Q1–Q2 of 2022/23, like for like with the part year


def test_csv_has_a_column_per_baseline_quarter(tmp_path: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(_export(tmp_path, "csv"))))
    assert rows[0]["b_2022/23 Q1"] == "10" and rows[0]["b_2022/23 Q4"] == "40"
    assert rows[0]["q_2023/24 Q2"] == "21"
    header = list(rows[0])
    assert header.index("b_2022/23 Q4") < header.index("baseline_value") < header.index("q_2023/24 Q1")
