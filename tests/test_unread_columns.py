"""A report table's quarter headed in words is read; a column kpitool cannot read is never dropped in
silence: validate warns of it, and compare's notes name it on each row whose figures it leaves out."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kpitool.cli import app

BASELINE = "Measure,Q1 2022/23,Q2 2022/23,Q3 2022/23,Q4 2022/23,Q1 2023/24,Q2 2023/24,{q3},Q4 2023/24{extra}\n"
ROWS = "Burglary,100,110,120,130,90,95,300,105{b}\nSolved rate,20%,22%,24%,26%,30%,31%,{s},28%{r}\n"


def _table(write, q3: str, extra: str = "", b: str = "", r: str = "", s: str = "10%") -> Path:  # type: ignore[no-untyped-def]
    return write("qtr.csv", BASELINE.format(q3=q3, extra=extra) + ROWS.format(b=b, r=r, s=s))


def _compare(path: Path, *args: str) -> dict[str, dict]:  # type: ignore[type-arg]
    result = CliRunner().invoke(app, ["compare", str(path), *args, "-f", "json"])
    assert result.exit_code == 0, result.output
    return {c["measure"]: c for c in json.loads(result.stdout)["comparisons"]}


def _validate(path: Path, *args: str) -> list[dict]:  # type: ignore[type-arg]
    result = CliRunner().invoke(app, ["validate", str(path), *args, "-f", "json"])
    assert result.exit_code == 0, result.output
    return [f for f in json.loads(result.stdout)["findings"] if f["code"] in ("unread-column", "unknown-column")]


@pytest.mark.parametrize(
    "q3",
    ["Quarter 3 2023/24", "Qtr 3 2023/24", "2023/24 Quarter 3", "Q3 23-24", "Qtr 3 2023/2024", "Quarter 3 of 2023/24"],
)
def test_a_quarter_headed_in_words_is_read(write, q3: str) -> None:  # type: ignore[no-untyped-def]
    rows = _compare(_table(write, q3))
    burglary, solved = rows["Burglary"], rows["Solved rate"]
    assert (burglary["baseline_value"], burglary["current_value"]) == (460, 590)
    assert round(burglary["change_pct"], 1) == 28.3 and burglary["direction"] == "up"
    assert [q["period"] for q in burglary["quarters"]] == [f"2023/24 Q{q}" for q in range(1, 5)]
    assert (solved["baseline_value"], solved["current_value"]) == (23, 24.75)
    assert solved["change"] == pytest.approx(1.75) and solved["direction"] == "level"
    assert not any("not read" in n or "No value" in n for c in rows.values() for n in c["notes"])
    assert _validate(_table(write, q3)) == []


def test_calendar_quarters_headed_in_words(write) -> None:  # type: ignore[no-untyped-def]
    header = "Measure,Quarter 1 2023,Qtr 2 2023,2023 Quarter 3,Q4 2023,Quarter 1 2024,Qtr 2 2024,2024 Qtr 3,Q4 2024\n"
    path = write("cal.csv", header + "Burglary,100,110,120,130,90,95,300,105\n")
    row = _compare(path, "--year-start", "january")["Burglary"]
    assert (row["baseline_period"], row["baseline_value"], row["current_value"]) == ("2023", 460, 590)
    # in a project of fiscal years a calendar quarter is ambiguous: refused, not guessed
    result = CliRunner().invoke(app, ["compare", str(path), "-f", "json"])
    assert result.exit_code != 0


def test_a_period_heading_kpitool_cannot_read_is_named_in_the_rows_it_leaves_out(write) -> None:  # type: ignore[no-untyped-def]
    """``2023/25`` is no fiscal year: the column is not read, and Burglary's 300 is not in its year.
    Solved rate has no figure in it, so its row says nothing of the column (its missing quarter is said)."""
    path = _table(write, "Qtr 3 2023/25", s="")
    rows = _compare(path)
    burglary, solved = rows["Burglary"], rows["Solved rate"]
    assert burglary["current_value"] == 290  # Q1, Q2 and Q4: like for like, as the table stands
    note = next(n for n in burglary["notes"] if "'Qtr 3 2023/25'" in n)
    assert note.startswith("Column heading 'Qtr 3 2023/25' looks like a period but is not one kpitool reads")
    assert "the second year of a fiscal year must follow the first" in note
    assert note.endswith(f"its figures were not read ({path}:H1).")
    assert not any("2023/25" in n for n in solved["notes"])
    [finding] = _validate(path)
    assert (finding["code"], finding["severity"], finding["row"], finding["column"]) == (
        "unread-column",
        "warning",
        1,
        8,
    )


@pytest.mark.parametrize(
    "ytd",
    [
        "Year to date",
        "YTD",
        "Year-to-date",
        "2023/24 YTD",
        "YTD 2023/24",
        "Year to Date 2023/24",
        "2023/24 year-to-date",
    ],
)
def test_every_spelling_of_year_to_date_is_read_as_the_year_s_total(write, ytd: str) -> None:  # type: ignore[no-untyped-def]
    path = _table(write, "Q3 2023/24", extra=f",{ytd},Notes", b=",590,revised", r=",,")
    rows = _compare(path)
    assert rows["Burglary"]["current_value"] == 590  # from the quarters; the column is a reported total, checked
    assert not any("not read" in n for c in rows.values() for n in c["notes"])
    # words beside the figures are not data: a warning, and nothing in compare's notes
    assert [(f["code"], f["column_name"]) for f in _validate(path)] == [("unknown-column", "Notes")]
    assert not any("Notes" in n for c in rows.values() for n in c["notes"])
    wrong = _table(write, "Q3 2023/24", extra=f",{ytd}", b=",591", r=",")
    result = CliRunner().invoke(app, ["validate", str(wrong), "-f", "json"])
    found = [
        (f["code"], f["row"], f["column"]) for f in json.loads(result.stdout)["findings"] if f["severity"] == "error"
    ]
    assert found == [("total-mismatch", 2, 10)], result.stdout


def test_a_column_of_figures_among_the_periods_is_said_not_read(write) -> None:  # type: ignore[no-untyped-def]
    text = "Measure,2022/23,Estimate,2023/24 Q1,,2023/24 Q2\nBurglary,400,99,90,7,95\n"
    path = write("est.csv", text)
    notes = _compare(path)["Burglary"]["notes"]
    assert any(
        n.startswith(
            "Column heading 'Estimate' is not a period, total, % change or direction, but its column holds"
            " figures among the period columns"
        )
        and n.endswith(f"({path}:C1).")
        for n in notes
    )
    assert any(n.startswith("Column E has no heading but holds figures") and n.endswith(f"({path}:E1).") for n in notes)
    assert [f["code"] for f in _validate(path)] == ["unread-column", "unread-column"]
