"""Never silently wrong, end to end: the hand-made project in tests/fixtures/trust through the CLI,
in every output format. Each of its measures is one of the rules of the README's methodology."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import FIXTURES
from kpitool.cli import app

TRUST = FIXTURES / "trust"
FORMATS = [["compare"], ["compare", "--format", "md"], ["export", "--format", "md"]]
FORMATS += [["compare", "--format", "csv"], ["export", "--format", "json"]]


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(TRUST, tmp_path / "trust")
    monkeypatch.chdir(tmp_path / "trust")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.delenv("COLUMNS", raising=False)
    return tmp_path / "trust"


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def _json(*args: str) -> dict[str, dict[str, object]]:
    code, out, _ = _run("compare", "--format", "json", *args)
    assert code == 0
    return {(c["area"] or c["section"]) + "/" + c["measure"]: c for c in json.loads(out)["comparisons"]}


@pytest.mark.parametrize("fmt", FORMATS, ids=lambda f: "-".join(f))
def test_every_format_says_what_it_could_not_stand_behind(fmt: list[str], project: Path) -> None:
    code, out, err = _run(*fmt)
    assert code == 0 and err == ""
    # a part-year count against a full year: no change, and the reason
    assert "a part-year total is not comparable with a full year" in out
    # areas apart, never merged; the restatements resolved, with both values and files
    assert "Wiltshire" in out and "Durham" in out
    assert "420 from data/2023-24-q2-revised.csv used, replacing 400 from data/2023-24-q2.csv" in out
    # the suppressed quarter is named, and its marker kept
    assert "No value for 2023/24 Q2 ([c])" in out and "[c]" in out


def test_the_figures_follow_the_rules(project: Path) -> None:
    c = _json()
    calls = c["Calls/999 calls"]
    assert (calls["current_value"], calls["change"], calls["direction"]) == (62233, None, None)
    assert calls["current_basis"] == "Q1–Q2 2023/24" and calls["complete"] is False
    # the default aggregate follows the unit: the mean for seconds and percentages
    assert c["Calls/Answer time"]["current_value"] == 8.5 and c["Calls/Answer time"]["aggregate"] == "mean"
    assert c["Calls/Satisfaction"]["current_value"] == 72.5 and c["Calls/Satisfaction"]["change_unit"] == "pp"
    # a stock's baseline given as its year-end quarter
    assert (c["Staffing/Officers"]["baseline_value"], c["Staffing/Officers"]["baseline_basis"]) == (1530, "Q4 2022/23")
    # the later file wins (the revised one, by natural order) and Q2 [c] is not summed as if there
    burglary = c["Crime/Burglary"]
    assert burglary["current_value"] == 420 and burglary["baseline_basis"] == "Q1 2022/23"
    assert {("Durham", 3), ("Wiltshire", 2)} == {
        (v["area"], v["current_value"]) for k, v in c.items() if v["measure"] == "Homicide"
    }


def test_pro_rata_is_labelled_a_projection_everywhere(project: Path) -> None:
    for fmt in (["compare"], ["compare", "--format", "md"], ["compare", "--format", "csv"]):
        code, out, _ = _run(*fmt, "--pro-rata", "--section", "Calls")
        assert code == 0 and "projection" in out
    assert _json("--pro-rata")["Calls/999 calls"]["current_value"] == 124466


def test_a_row_that_cannot_be_read_stops_the_comparison(project: Path) -> None:
    files = [*sorted(str(p) for p in Path("data").glob("*.csv")), "unread.csv"]
    code, out, err = _run("compare", *files)
    assert code == 1 and out == ""
    assert err.startswith("kpitool: error: 1 input row has an error; nothing was compared")
    assert "unread.csv:C2: error [not-a-number] Burglary 2023/24 Q3" in err and "--skip-invalid" in err
    for fmt in FORMATS:
        code, out, _ = _run(*fmt, *files, "--skip-invalid")
        assert code == 0 and "unread.csv:C2" in out, fmt
    code, out, _ = _run("export", "--format", "csv", *files, "--skip-invalid")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows[-1]["section"] == "(not read)" and "'4O1' is not a number" in rows[-1]["notes"]


def test_a_current_year_not_in_the_data_is_a_usage_error(project: Path) -> None:
    code, out, err = _run("compare", "--current", "2024/25")
    assert code == 2 and out == ""
    assert (
        err == "kpitool: error: no measure has a value for the current year 2024/25; the data have 2022/23, 2023/24\n"
    )
