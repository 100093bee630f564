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


# --------------------------------------------------------------------------- mean = "column"

MEAN_TOML = """
[[source]]
name = "calls"
shape = "records"
files = "calls.csv"
date = "Month"
area_col = "Force"

[[measure]]
name = "Calls"
source = "calls"

[[measure]]
name = "Mean answer time"
unit = "seconds"
polarity = "down"
source = "calls"
mean = "Seconds"
where = { Kind = "999" }
"""


def _calls(tmp_path: Path) -> pd.DataFrame:
    """Six months of calls in two forces, busy and quiet months, blanks and other kinds among them."""
    import random

    rng = random.Random(12)
    lines = []
    months = [("2023-04", 30), ("2023-05", 3), ("2023-06", 12), ("2023-07", 1), ("2023-08", 25), ("2023-09", 7)]
    for month, busy in [*months, *((m.replace("2023", "2022"), 40 - n) for m, n in months)]:
        for force in ("North", "South"):
            for _ in range(busy if force == "North" else 40 - busy):
                kind = rng.choice(["999", "999", "101"])
                seconds = "" if rng.random() < 0.1 else str(rng.randint(1, 300))
                lines.append((f"{month}-{rng.randint(10, 28)}", force, kind, seconds))
    frame = pd.DataFrame(lines, columns=["Month", "Force", "Kind", "Seconds"])
    frame.to_csv(tmp_path / "calls.csv", index=False)
    write(tmp_path / "kpitool.toml", MEAN_TOML)
    return frame


def _pandas_means(frame: pd.DataFrame, months: dict[str, str]) -> dict[tuple[str, str], float]:
    """The independent computation: the mean of every 999 call's seconds, by force and period."""
    calls = frame[(frame["Kind"] == "999") & (frame["Seconds"] != "")].copy()
    calls["period"] = calls["Month"].str[:7].map(months)
    calls["Seconds"] = calls["Seconds"].astype(float)
    means = calls.dropna(subset=["period"]).groupby(["Force", "period"])["Seconds"].mean()
    return {(str(f), str(p)): float(v) for (f, p), v in means.items()}


def test_a_mean_of_a_column_is_the_records_mean_in_months_quarters_and_years(tmp_path: Path) -> None:
    from kpitool.catalogue import load_catalogue
    from kpitool.models import CompareOptions
    from kpitool.periods import parse_period
    from kpitool.project import run_comparison

    frame = _calls(tmp_path)
    catalogue = load_catalogue(tmp_path / "kpitool.toml")
    mean = catalogue.resolve("Mean answer time")
    assert mean is not None and mean.aggregate == "ratio" and mean.unit == "seconds"

    def compared(current: str, baseline: str) -> dict[str, tuple[float | None, float | None]]:
        options = CompareOptions(current=parse_period(current), baseline=parse_period(baseline))
        report = run_comparison([], catalogue, options)
        return {c.area: (c.baseline_value, c.current_value) for c in report.comparisons if c.measure == mean.name}

    quarters = _pandas_means(frame, {f"2023-0{m}": "Q1" if m < 7 else "Q2" for m in range(4, 10)})
    got = compared("2023/24 Q2", "2023/24 Q1")
    assert set(got) == {"North", "South"}
    for force, (q1, q2) in got.items():
        assert q1 == pytest.approx(quarters[(force, "Q1")]) and q2 == pytest.approx(quarters[(force, "Q2")])
    months = _pandas_means(frame, {"2023-05": "May", "2023-09": "Sep"})
    for force, (may, sep) in compared("2023-09", "2023-05").items():
        assert may == pytest.approx(months[(force, "May")]) and sep == pytest.approx(months[(force, "Sep")])
    # the half year to date: the mean of its records, not of its months' or quarters' means
    half = _pandas_means(frame, {f"{y}-0{m}": y for m in range(4, 10) for y in ("2022", "2023")})
    options = CompareOptions(current=parse_period("2023/24"), baseline=parse_period("2022/23"))
    report = run_comparison([], catalogue, options)
    by_area = {c.area: c for c in report.comparisons if c.measure == mean.name}
    for force in ("North", "South"):
        assert by_area[force].current_value == pytest.approx(half[(force, "2023")])
        assert by_area[force].baseline_value == pytest.approx(half[(force, "2022")])  # the same quarters
    north = frame[(frame["Force"] == "North") & (frame["Kind"] == "999") & (frame["Seconds"] != "")]
    monthly = north.assign(m=north["Month"].str[:7], s=north["Seconds"].astype(float)).groupby("m")["s"].mean()
    assert by_area["North"].current_value != pytest.approx(monthly.mean())  # the wrong answer differs here
    assert {c.measure for c in report.comparisons} == {"Calls", "Mean answer time"}  # its terms are no rows


def test_a_mean_with_no_number_in_a_month_has_no_value_there(tmp_path: Path) -> None:
    from kpitool.catalogue import load_catalogue
    from kpitool.models import CompareOptions
    from kpitool.periods import parse_period
    from kpitool.project import run_comparison

    write(
        tmp_path / "calls.csv",
        "Month,Force,Kind,Seconds\n2023-04,N,999,10\n2023-05,N,999,\n2023-05,N,999,30\n2023-06,N,101,5\n",
    )
    write(tmp_path / "kpitool.toml", MEAN_TOML)
    catalogue = load_catalogue(tmp_path / "kpitool.toml")
    june = run_comparison(
        [], catalogue, CompareOptions(current=parse_period("2023-06"), baseline=parse_period("2023-05"))
    )
    row = next(c for c in june.comparisons if c.measure == "Mean answer time")
    assert row.baseline_value == 30.0 and row.current_value is None  # June has no 999 call: no mean, never 0
    q1 = run_comparison(
        [], catalogue, CompareOptions(current=parse_period("2023/24 Q1"), baseline=parse_period("2022/23 Q1"))
    )
    assert next(c for c in q1.comparisons if c.measure == "Mean answer time").current_value == 20.0


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ('sum = "Seconds"', "makes its own numerator and denominator; leave out sum"),
        ('numerator = "Calls"', "leave out numerator"),
        ('aggregate = "sum"', "leave out aggregate = 'sum'"),
    ],
)
def test_a_mean_refuses_what_would_contradict_it(tmp_path: Path, extra: str, message: str) -> None:
    from kpitool.catalogue import read_catalogue

    _calls(tmp_path)
    toml = write(tmp_path / "kpitool.toml", MEAN_TOML + extra + "\n")
    catalogue, findings = read_catalogue(toml)
    assert catalogue is None and message in findings[0].message, findings


def test_a_mean_needs_a_records_source(tmp_path: Path) -> None:
    from kpitool.catalogue import read_catalogue

    toml = write(tmp_path / "kpitool.toml", '[[measure]]\nname = "Mean cost"\nmean = "Cost"\n')
    catalogue, findings = read_catalogue(toml)
    assert catalogue is None and "give source = the records source" in findings[0].message


def test_a_mean_of_a_percent_column_stays_in_percent(tmp_path: Path) -> None:
    from kpitool.catalogue import load_catalogue
    from kpitool.models import CompareOptions
    from kpitool.periods import parse_period
    from kpitool.project import run_comparison

    write(tmp_path / "s.csv", "Month,Score\n2023-04,80\n2023-04,90\n2023-05,70\n2023-06,60\n")
    toml = '[[source]]\nname = "s"\nshape = "records"\nfiles = "s.csv"\ndate = "Month"\narea = "X"\n'
    toml += '[[measure]]\nname = "Satisfaction"\nunit = "percent"\nsource = "s"\nmean = "Score"\n'
    catalogue = load_catalogue(write(tmp_path / "kpitool.toml", toml))
    options = CompareOptions(current=parse_period("2023/24 Q1"), baseline=parse_period("2022/23 Q1"))
    report = run_comparison([], catalogue, options)
    assert report.comparisons[0].current_value == 75.0  # (80 + 90 + 70 + 60) / 4, not ×100


def test_a_bad_cell_in_a_mean_column_is_named_by_validate(tmp_path: Path) -> None:
    from kpitool.project import run_validation

    write(tmp_path / "calls.csv", "Month,Force,Kind,Seconds\n2023-04,N,999,10\n2023-04,N,999,ten\n2023-04,N,101,x\n")
    write(tmp_path / "kpitool.toml", MEAN_TOML)
    report = run_validation([tmp_path / "calls.csv"], tmp_path / "kpitool.toml")
    bad = [f for f in report.findings if f.code == Code.NOT_A_NUMBER]
    assert [(f.row, f.actual, f.measure) for f in bad] == [(3, "ten", "Mean answer time")]  # row 4 is no 999 call
    assert not report.valid


# --------------------------------------------------------------------------- validate with no files


def test_validate_with_no_files_counts_the_catalogues_record_sources(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(
        tmp_path / "calls.csv",
        "Month,Force,Kind,Seconds\n2023-04,N,999,10\nsoon,N,999,20\n2023-04,N,999,ten\n2023-05,N,999,7\n",
    )
    write(tmp_path / "kpitool.toml", MEAN_TOML)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["validate", "--format", "json"])
    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)
    assert report["files"] == ["calls.csv"] and report["rows"] == 4
    found = {(f["code"], f["row"], f["actual"]) for f in report["findings"]}
    assert ("bad-date", 3, "soon") in found and ("not-a-number", 4, "ten") in found


def test_validate_with_no_files_and_no_catalogue_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["validate"])
    assert result.exit_code == 2 and result.stderr.count("\n") == 1 and "no kpitool.toml" in result.stderr


def test_validate_with_no_files_reports_a_broken_catalogue(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path / "kpitool.toml", MEAN_TOML + 'sum = "Seconds"\n')
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["validate"])
    assert (
        result.exit_code == 2 and "[config-invalid]" in result.stdout and "leave out sum" in result.stdout
    )  # as with files


def test_the_count_help_examples_use_options_count_has() -> None:
    import re

    import typer.main

    command = typer.main.get_command(app).commands["count"]  # type: ignore[attr-defined]
    known = {opt for p in command.params for opt in p.opts}
    examples = [line for line in (command.help or "").splitlines() if line.strip().startswith("Example:")]
    used = {flag for line in examples for flag in re.findall(r"(?<!\S)(--?[a-z][a-z-]*)", line)}
    assert examples and used and used <= known, used - known


def test_a_mean_takes_tests_in_its_filter(tmp_path: Path) -> None:
    from kpitool.catalogue import load_catalogue
    from kpitool.models import CompareOptions
    from kpitool.periods import parse_period
    from kpitool.project import run_comparison

    frame = _calls(tmp_path)
    toml = MEAN_TOML.replace('where = { Kind = "999" }', 'where = { Kind = ["999"], Seconds = { ge = 100 } }')
    catalogue = load_catalogue(write(tmp_path / "kpitool.toml", toml))
    options = CompareOptions(current=parse_period("2023/24 Q2"), baseline=parse_period("2023/24 Q1"))
    got = {c.area: c.current_value for c in run_comparison([], catalogue, options).comparisons if c.measure != "Calls"}
    long = frame[(frame["Seconds"] != "") & (frame["Month"].str[:7].isin(["2023-07", "2023-08", "2023-09"]))]
    long = long[(long["Kind"] == "999") & (long["Seconds"].astype(float) >= 100)]
    expected = long.assign(s=long["Seconds"].astype(float)).groupby("Force")["s"].mean()
    assert got == pytest.approx(expected.to_dict())
