"""Records counted: the engine, the filters, completeness, ``kpitool count``, and record sources in the catalogue."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from conftest import EXAMPLES
from kpitool.catalogue import load_catalogue, read_catalogue
from kpitool.cli import app
from kpitool.codes import Code
from kpitool.counting import CountOptions, parse_where, read_record_sources, run_count
from kpitool.errors import InputError, UsageError
from kpitool.models import CompareOptions
from kpitool.periods import parse_period
from kpitool.project import run_comparison, run_validation
from kpitool.readers.record_months import MIN_EXPECTED, completeness
from kpitool.sources import Condition

POLICE = EXAMPLES / "police-uk"
STREET = "Month,Falls within,Crime type,Last outcome category,Cost\n"


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def rows(report: object) -> dict[tuple[str, str, str], float]:
    return {(r.section, r.measure, r.period): r.value for r in report.rows}  # type: ignore[attr-defined]


# --------------------------------------------------------------------------- the engine


@pytest.fixture
def street(tmp_path: Path) -> Path:
    lines = [
        "2022-04,Durham,Burglary,Under investigation,10",
        "2022-04,Durham,Burglary,Offender given a caution,20",
        "2022-04,Durham,Vehicle crime,Under investigation,",
        "2022-05,Durham,Vehicle crime,Awaiting court outcome,5",
        "2022-04,Cleveland,Burglary,Under investigation,1",
        "2022-06,Cleveland,Robbery,Under investigation,2.5",
    ]
    return write(tmp_path / "street.csv", STREET + "\n".join(lines) + "\n")


def test_counts_by_area_group_and_month_with_zeros_where_the_area_has_records(street: Path) -> None:
    report = run_count([street], CountOptions(area_cols=["Falls within"], by=["Crime type"]))
    got = rows(report)
    assert got[("Durham", "Burglary", "2022-04")] == 2
    assert got[("Durham", "Vehicle crime", "2022-05")] == 1
    assert got[("Durham", "Burglary", "2022-05")] == 0  # Durham has records in May: no burglary is 0
    assert got[("Cleveland", "Robbery", "2022-06")] == 1
    assert ("Cleveland", "Burglary", "2022-05") not in got  # Cleveland has no records in May: missing, not 0
    assert report.records == 6 and report.unread == 0
    assert sum(got.values()) == 6


def test_filters_any_of_none_of_and_numbers(street: Path) -> None:
    def total(where: list[str], **kw: object) -> float:
        return sum(rows(run_count([street], CountOptions(where=parse_where(where), **kw))).values())  # type: ignore[arg-type]

    assert total(["Crime type=Burglary"]) == 3
    assert total(["Crime type=Burglary", "Crime type=Robbery"]) == 4  # a column repeated: any of
    assert total(["Crime type!=Burglary"]) == 3
    assert total(["Crime type=Burglary", "Falls within=Durham"]) == 2  # columns: all must hold
    assert total(["Cost>=5"]) == 3  # numbers compare as numbers (10, 20, 5); a blank is not >= 5
    assert total(["Cost<2"]) == 1
    assert total(["Cost>1", "Cost<=10"]) == 3  # 10, 5, 2.5
    assert total(["Crime type=burglary"]) == 0  # text matches exactly


def test_sum_adds_a_column_and_says_which_cells_are_blank(street: Path) -> None:
    report = run_count([street], CountOptions(total="Cost", area_cols=["Falls within"]))
    got = rows(report)
    assert got[("Durham", "Cost", "2022-04")] == 30 and got[("Cleveland", "Cost", "2022-06")] == 2.5
    blank = [f for f in report.findings if f.code == Code.BLANK_VALUE]
    assert len(blank) == 1 and blank[0].message.startswith("1 record has no value in 'Cost'")


def test_quarters_only_when_every_month_has_records(street: Path) -> None:
    report = run_count([street], CountOptions(area_cols=["Falls within"], grain="quarter"))
    got = rows(report)
    assert got == {}  # Durham has April and May only, Cleveland April and June: neither quarter is complete
    assert report.left_out == [
        "Cleveland 2022/23 Q1: no records for 2022-05; not written",
        "Durham 2022/23 Q1: no records for 2022-06; not written",
    ]


def test_dates_timestamps_and_uk_days(tmp_path: Path) -> None:
    path = write(
        tmp_path / "calls.csv",
        "When,X\n2023-03-31 23:59:59,a\n2023-04-01T00:00:00,a\n01/04/2023,a\n2023-04,a\n2023/05/02,a\n2023-05-02 10:11,a\n",
    )
    got = rows(run_count([path], CountOptions(date_col="When")))
    assert got == {("", "Records", "2023-03"): 1, ("", "Records", "2023-04"): 3, ("", "Records", "2023-05"): 2}
    year = rows(run_count([path], CountOptions(date_col="when", grain="year", year_start="january")))
    assert year == {}  # 2023 has three months: not written


def test_unreadable_dates_are_counted_and_named_by_row(tmp_path: Path) -> None:
    path = write(tmp_path / "r.csv", "Month,X\n2022-01,a\nsoon,b\n2022-01,c\n,d\n2022-13,e\n")
    report = run_count([path], CountOptions())
    bad = [f for f in report.findings if f.code == Code.BAD_DATE]
    assert [(f.row, f.actual) for f in bad] == [(3, "soon"), (5, None), (6, "2022-13")]
    assert report.unread == 3 and report.records == 5 and rows(report) == {("", "Records", "2022-01"): 2}
    assert "no date" in bad[1].message


def test_many_unreadable_dates_keep_exact_counts_and_every_row(tmp_path: Path) -> None:
    body = "".join(f"x{i}\n" for i in range(1500))
    report = run_count([write(tmp_path / "r.csv", "Month\n2022-01\n" + body)], CountOptions())
    bad = [f for f in report.findings if f.code == Code.BAD_DATE]
    assert sum(f.count for f in bad) == 1500 and len(bad) == 1001
    assert bad[-1].more_rows[-1] == 1502


def test_a_ragged_row_is_reported_by_its_row_and_not_counted(tmp_path: Path) -> None:
    path = write(tmp_path / "r.csv", 'Month,X\n2022-01,a\n2022-01,b,extra\n2022-02,"q\nuoted"\n2022-02\n')
    report = run_count([path], CountOptions())
    ragged = [(f.code, f.row) for f in report.findings]
    assert ragged == [(Code.RAGGED_ROW, 3), (Code.RAGGED_ROW, 5)]
    assert rows(report) == {("", "Records", "2022-01"): 1, ("", "Records", "2022-02"): 1}


def test_parquet_gives_the_csv_counts(street: Path, tmp_path: Path) -> None:
    frame = pd.read_csv(street, dtype=str)
    frame.to_parquet(tmp_path / "street.parquet")
    options = CountOptions(area_cols=["Falls within"], by=["Crime type"])
    assert rows(run_count([tmp_path / "street.parquet"], options)) == rows(run_count([street], options))


def test_tab_separated_latin1_and_many_files(tmp_path: Path) -> None:
    write(tmp_path / "a.tab", "month\tarea\n2022-01-01\tYnys Môn\n")
    (tmp_path / "b.tab").write_bytes("month\tarea\n2022-01-01\tCaf\xe9\n2022-02-01\tCaf\xe9\n".encode("cp1252"))
    report = run_count([Path(str(tmp_path / "*.tab"))], CountOptions(date_col="month", area_cols=["area"]))
    assert rows(report) == {
        ("Café", "Records", "2022-01"): 1,
        ("Café", "Records", "2022-02"): 1,
        ("Ynys Môn", "Records", "2022-01"): 1,
    }


def test_a_missing_column_names_the_header(street: Path) -> None:
    with pytest.raises(InputError, match=r"no column 'Crime' \(a --by column\); the header has 'Month'"):
        run_count([street], CountOptions(by=["Crime"]))


@pytest.mark.parametrize(
    "item",
    ["=x", "no operator", "Cost>1"],
)
def test_where_items(item: str) -> None:
    if item == "Cost>1":
        assert parse_where([item]) == {"Cost": Condition(gt=1.0)}
        with pytest.raises(UsageError, match="gt twice"):
            parse_where([item, "Cost>2"])
    else:
        with pytest.raises(UsageError, match="COLUMN=VALUE"):
            parse_where([item])


def test_a_value_that_looks_like_sql_is_only_a_value(street: Path) -> None:
    where = parse_where(["Crime type=Burglary' OR 1=1 --"])
    assert rows(run_count([street], CountOptions(where=where))) == {
        ("", "Records", "2022-04"): 0,
        ("", "Records", "2022-05"): 0,
        ("", "Records", "2022-06"): 0,
    }


# --------------------------------------------------------------------------- completeness


def test_a_missing_month_amid_many_records_is_a_warning_and_its_quarter_incomplete() -> None:
    many = {202204: 900, 202205: 950, 202206: 1000}
    found = completeness({"North": {202204: 900, 202206: 1000}, "South": many}, "x", "april")
    assert [(f.code, f.section, f.period) for f in found] == [
        (Code.MISSING_MONTH, "North", "2022-05"),
        (Code.INCOMPLETE_PERIOD, "North", "2022/23 Q1"),
    ]
    assert "2022-04 has 900 and 2022-06 has 1,000" in found[0].message


def test_months_missing_in_a_row_are_one_finding() -> None:
    have = {202201: 500, 202202: 480, 202206: 510, 202208: 490}
    found = [f for f in completeness({"F": have}, "x", "april") if f.code == Code.MISSING_MONTH]
    assert [(f.period, f.message.split(", though")[0]) for f in found] == [
        ("2022-03", "F has no records for 2022-03 to 2022-05 (3 months)"),
        ("2022-07", "F has no records for 2022-07"),
    ]
    assert "2022-02 has 480 and 2022-06 has 510" in found[0].message


def test_a_month_without_records_in_a_small_series_is_not_called_missing() -> None:
    few = {202204: MIN_EXPECTED - 5, 202206: MIN_EXPECTED - 5}
    assert [f.code for f in completeness({"A": few}, "x", "april")] == [Code.INCOMPLETE_PERIOD]


# --------------------------------------------------------------------------- the command


def test_count_command_writes_the_long_format_that_compare_reads(street: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "counts.csv"
    result = runner.invoke(app, ["count", str(street), "--area-col", "Falls within", "-m", "Crimes", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text().splitlines()[:2] == ["section,measure,period,value", "Cleveland,Crimes,2022-04,1"]
    assert "counted 6 records in 1 file into 4 month figures" in result.output
    again = runner.invoke(app, ["count", str(street), "-o", str(out)])
    assert again.exit_code == 2 and "exists" in again.output
    compared = runner.invoke(app, ["compare", str(out), "--current", "2022-05", "--baseline", "2022-04"])
    assert compared.exit_code == 0, compared.output


def test_count_stops_at_unreadable_dates_unless_asked(tmp_path: Path) -> None:
    path = write(tmp_path / "r.csv", "Month\n2022-01\nsoon\n")
    runner = CliRunner()
    stopped = runner.invoke(app, ["count", str(path)])
    assert stopped.exit_code == 1
    assert f"{path}:row 3: error [bad-date]" in stopped.stderr and stopped.stdout == ""
    skipped = runner.invoke(app, ["count", str(path), "--skip-invalid", "--format", "json"])
    assert skipped.exit_code == 0
    assert json.loads(skipped.stdout)["unread"] == 1 and "row 3" in skipped.stderr


def test_count_bad_input_is_one_line_and_exit_2(tmp_path: Path) -> None:
    runner = CliRunner()
    for args in (["count", str(tmp_path / "none.csv")], ["count", str(tmp_path / "*.csv")]):
        result = runner.invoke(app, args)
        assert result.exit_code == 2 and result.stderr.count("\n") == 1, result.output
    binary = tmp_path / "b.csv"
    binary.write_bytes(b"Month\n\x00\x01\x02")
    assert runner.invoke(app, ["count", str(binary)]).exit_code == 2


def test_commands_that_do_not_read_records_never_import_duckdb() -> None:
    code = (
        "import sys\nfrom typer.testing import CliRunner\nfrom kpitool.cli import app\n"
        "CliRunner().invoke(app, ['--help']); CliRunner().invoke(app, ['count', '--help'])\n"
        f"CliRunner().invoke(app, ['validate', {str(EXAMPLES / 'data' / '2023-24-q1.csv')!r}])\n"
        f"CliRunner().invoke(app, ['compare', '--config', {str(EXAMPLES / 'kpitool.toml')!r}])\n"
        "print('duckdb' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


# --------------------------------------------------------------------------- the catalogue


def test_the_example_project_counts_each_force_and_names_the_missing_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(POLICE)
    catalogue = load_catalogue(POLICE / "kpitool.toml")
    files, unreadable = read_record_sources(catalogue)
    assert not unreadable and len(files) == 1
    raw = pd.concat(pd.read_csv(p, dtype=str, keep_default_na=False) for p in sorted(POLICE.glob("data/*/*.csv")))
    frame = files[0].frame
    for measure, kind in (("Burglary", "Burglary"), ("ASB incidents", "Anti-social behaviour")):
        expected = raw[raw["Crime type"] == kind].groupby(["Falls within", "Month"]).size()
        mine = frame[frame["measure"] == measure].set_index(["section", "period"])["value"]
        assert {k: v for k, v in mine.items() if v} == {k: float(v) for k, v in expected.items()}
    codes = [(f.code, f.section, f.period) for f in files[0].findings]
    assert (Code.MISSING_MONTH, "Cleveland Police", "2022-11") in codes
    report = run_comparison(
        [], catalogue, CompareOptions(current=parse_period("2022/23 Q3"), baseline=parse_period("2022/23 Q1"))
    )
    cleveland = [c for c in report.comparisons if c.area == "Cleveland Police"]
    assert cleveland and all(c.current_value is None for c in cleveland)
    durham = next(c for c in report.comparisons if c.area == "Durham Constabulary" and c.measure == "Burglary")
    q3 = raw[(raw["Crime type"] == "Burglary") & (raw["Falls within"] == "Durham Constabulary")]
    assert durham.current_value == q3["Month"].isin(["2022-10", "2022-11", "2022-12"]).sum()


def test_validate_reads_a_record_file_its_catalogue_names(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(POLICE)
    one = Path("data/2022-04/2022-04-durham-street.csv")
    report = run_validation([one], POLICE / "kpitool.toml")
    assert report.valid and report.rows == len(pd.read_csv(one))


def test_a_table_source_gives_its_files_column_roles(tmp_path: Path) -> None:
    write(tmp_path / "supplier.csv", "Indicator,Quarter,Figure\nCalls,2023/24 Q1,10\nCalls,2024/25 Q1,12\n")
    write(
        tmp_path / "kpitool.toml",
        '[[source]]\nfiles = "supplier*.csv"\nmeasure_col = "Indicator"\nperiod_col = "Quarter"\nvalue_col = "Figure"\n'
        '[[measure]]\nname = "Calls"\n',
    )
    catalogue = load_catalogue(tmp_path / "kpitool.toml")
    report = run_comparison([], catalogue, CompareOptions())
    assert [(c.measure, c.current_value, c.baseline_value) for c in report.comparisons] == [("Calls", 12.0, 10.0)]
    assert run_validation([tmp_path / "supplier.csv"], tmp_path / "kpitool.toml").valid


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('[[source]]\nname = "r"\nshape = "records"\nfiles = "*.csv"\n', "needs date"),
        ('[[source]]\nshape = "records"\nfiles = "*.csv"\ndate = "Month"\n', "needs a name"),
        ('[[source]]\nname = "r"\nshape = "records"\nfiles = "*.csv"\ndate = "M"\n', "has no measure"),
        ('[[source]]\nfiles = "*.csv"\ndate = "Month"\n', 'only for shape = "records"'),
        (
            '[[source]]\nname = "r"\nshape = "records"\nfiles = "*.csv"\ndate = "M"\nperiod_col = "P"\n',
            "only for a table",
        ),
        ('[[source]]\nfiles = "*.csv"\nmesure_col = "M"\n', "did you mean measure_col?"),
        ('[[measure]]\nname = "A"\nsource = "nope"\n', "is not a records source"),
        ('[[measure]]\nname = "A"\nwhere = { X = 1 }\n', "give source"),
        (
            '[[source]]\nname = "r"\nshape = "records"\nfiles = "*.csv"\ndate = "M"\n'
            '[[measure]]\nname = "A"\nsource = "r"\nwhere = { X = { gte = 1 } }\n',
            "where 'X': unknown test 'gte' (known: eq, ne, lt, le, gt, ge)",
        ),
        (
            '[[source]]\nname = "r"\nshape = "records"\nfiles = "*.csv"\ndate = "M"\n'
            '[[measure]]\nname = "A"\nsource = "r"\naggregate = "mean"\n',
            'for a mean of a column, write mean = "Column"',
        ),
    ],
)
def test_a_wrong_source_is_a_config_finding(toml: str, message: str, tmp_path: Path) -> None:
    catalogue, findings = read_catalogue(write(tmp_path / "kpitool.toml", toml))
    assert catalogue is None and message in findings[0].message, findings[0].message
    assert findings[0].code == Code.CONFIG_INVALID


def test_a_source_key_error_names_its_line(tmp_path: Path) -> None:
    toml = '[project]\nname = "x"\n\n[[source]]\nfiles = "a.csv"\n\n[[source]]\nfiles = "b.csv"\nsheet = 3\n'
    _catalogue, findings = read_catalogue(write(tmp_path / "kpitool.toml", toml))
    assert findings[0].row == 9 and findings[0].column_name == "source[2].sheet"


# --------------------------------------------------------------------------- the real files

REALDATA = Path(__file__).resolve().parents[2] / "shared" / "realdata" / "police-uk-asb-records"
needs_asb = pytest.mark.skipif(not REALDATA.exists(), reason="../shared/realdata is not beside the checkout")
ASB_TOML = """
[[source]]
name = "lancashire"
shape = "records"
files = "{root}/lancashire_asb.tab"
date = "month"
area = "Lancashire"

[[source]]
name = "northumbria"
shape = "records"
files = "{root}/northumbria_asb.tab"
date = "month"
area = "Northumbria"

[[measure]]
name = "ASB incidents"
source = ["lancashire", "northumbria"]
polarity = "down"
"""


def _pandas_months(force: str) -> pd.Series:
    """The independent computation: every record read by pandas, counted by calendar month."""
    frame = pd.read_csv(REALDATA / f"{force.lower()}_asb.tab", sep="\t", dtype=str, keep_default_na=False)
    return pd.to_datetime(frame["month"], format="%Y-%m-%d").dt.strftime("%Y-%m").value_counts().sort_index()


def _pandas_quarters(force: str) -> dict[str, int]:
    """Fiscal quarters from the months, only those with all three months present."""
    months = _pandas_months(force)
    out: dict[str, list[int]] = {}
    for label, n in months.items():
        q = parse_period(str(label)).quarter_period().label
        out.setdefault(q, []).append(int(n))
    return {q: sum(v) for q, v in out.items() if len(v) == 3}


@needs_asb
def test_asb_months_and_quarters_agree_with_pandas(tmp_path: Path) -> None:
    toml = write(tmp_path / "kpitool.toml", ASB_TOML.format(root=REALDATA))
    catalogue = load_catalogue(toml)
    files, unreadable = read_record_sources(catalogue)
    assert not unreadable
    for data, force in zip(files, ("Lancashire", "Northumbria"), strict=True):
        got = data.frame.set_index("period")["value"]
        assert set(data.frame["section"]) == {force}
        assert got.to_dict() == {k: float(v) for k, v in _pandas_months(force).items()}
        counted = run_count(
            [REALDATA / f"{force.lower()}_asb.tab"], CountOptions(date_col="month", area=force, grain="quarter")
        )
        assert {r.period: r.value for r in counted.rows} == _pandas_quarters(force)
    assert len(_pandas_months("Northumbria")) == 11 and "2022/23 Q3" not in _pandas_quarters("Northumbria")


@needs_asb
def test_northumbria_2022_23_q3_is_reported_incomplete(tmp_path: Path) -> None:
    toml = write(tmp_path / "kpitool.toml", ASB_TOML.format(root=REALDATA))
    report = run_validation(sorted(REALDATA.glob("*.tab")), toml)
    found = {(f.code, f.section, f.period) for f in report.findings}
    assert (Code.INCOMPLETE_PERIOD, "Northumbria", "2022/23 Q3") in found
    assert (Code.MISSING_MONTH, "Northumbria", "2022-12") in found  # Lancashire has December
    assert report.valid and report.rows == 56_434 + 39_706
    catalogue = load_catalogue(toml)
    q3 = parse_period("2022/23 Q3")
    comparison = run_comparison([], catalogue, CompareOptions(current=q3, baseline=parse_period("2022/23 Q1")))
    by_area = {c.area: c for c in comparison.comparisons}
    assert by_area["Northumbria"].current_value is None
    assert "No value for 2022/23 Q3: no value for 2022-12." in by_area["Northumbria"].notes
    assert by_area["Lancashire"].current_value == sum(_pandas_months("Lancashire")[["2022-10", "2022-11", "2022-12"]])


def test_compare_on_records_with_unreadable_dates_stops_unless_skipped(tmp_path: Path) -> None:
    write(tmp_path / "calls.csv", "Month\n" + "2022-04\n" * 3 + "2023-04\n" * 4 + "April\n")
    toml = '[[source]]\nname = "c"\nshape = "records"\nfiles = "calls.csv"\ndate = "Month"\n'
    write(tmp_path / "kpitool.toml", toml + '[[measure]]\nname = "Calls"\nsource = "c"\n')
    runner = CliRunner()
    args = ["compare", "--config", str(tmp_path / "kpitool.toml"), "--current", "2023-04", "--format", "csv"]
    stopped = runner.invoke(app, args)
    assert stopped.exit_code == 1 and "[bad-date]" in stopped.stderr and "row 9" in stopped.stderr
    skipped = runner.invoke(app, [*args, "--skip-invalid"])
    assert skipped.exit_code == 0, skipped.output
    assert ",Calls," in skipped.stdout and "(not read)" in skipped.stdout  # the record named in the output
    line = next(x for x in skipped.stdout.splitlines() if ",Calls," in x)
    assert ",2022-04,3,2023-04,2023-04,4,1,33.33" in line  # April 2022: 3, April 2023: 4


def test_by_values_are_the_measures_and_a_measure_name_prefixes_them(street: Path) -> None:
    report = run_count([street], CountOptions(by=["Crime type", "Falls within"], measure="Crimes"))
    assert ("", "Crimes: Burglary / Durham", "2022-04") in rows(report)
    plain = run_count([street], CountOptions(measure="Crimes"))
    assert {r.measure for r in plain.rows} == {"Crimes"}


def test_command_line_roles_replace_a_table_sources(tmp_path: Path) -> None:
    write(tmp_path / "s.csv", "Indicator,Quarter,Figure,Other\nCalls,2023/24 Q1,10,1\nCalls,2024/25 Q1,12,2\n")
    toml = '[[source]]\nfiles = "s.csv"\nmeasure_col = "Indicator"\nperiod_col = "Quarter"\nvalue_col = "Figure"\n'
    write(tmp_path / "kpitool.toml", toml + '[[measure]]\nname = "Calls"\n')
    runner = CliRunner()
    base = ["compare", str(tmp_path / "s.csv"), "--config", str(tmp_path / "kpitool.toml"), "--format", "json"]
    by_source = json.loads(runner.invoke(app, base).stdout)["comparisons"][0]
    assert by_source["current_value"] == 12
    flags = ["--measure-col", "Indicator", "--period-col", "Quarter", "--value-col", "Other"]
    by_flags = json.loads(runner.invoke(app, [*base, *flags]).stdout)["comparisons"][0]
    assert by_flags["current_value"] == 2


def test_a_quote_left_open_is_named_and_the_rest_counted(tmp_path: Path) -> None:
    path = write(tmp_path / "q.csv", 'Month,X\n2022-01,a\n2022-02,"x"y\n2022-01,b\n')
    report = run_count([path], CountOptions())
    assert [(f.code, f.row) for f in report.findings] == [(Code.BROKEN_QUOTE, 3)]
    assert rows(report) == {("", "Records", "2022-01"): 2}


@pytest.mark.parametrize("grain", ["month", "quarter", "year"])
def test_no_readable_record_leaves_no_figure_at_any_grain(tmp_path: Path, grain: str) -> None:
    report = run_count([write(tmp_path / "b.csv", "Month,X\nfoo,1\n")], CountOptions(grain=grain))  # type: ignore[arg-type]
    assert report.rows == [] and report.unread == 1 and report.records == 1
    header_only = run_count([write(tmp_path / "h.csv", "Month,X\n")], CountOptions(grain=grain))  # type: ignore[arg-type]
    assert header_only.rows == [] and header_only.records == 0


# --------------------------------------------------------------------------- against pandas, generated

TYPES = ["Burglary", "Robbery", "Drugs", " Drugs", ""]
MONTHS = ["2022-01", "2022-02", "2022-03-15", "2022-04-01 09:30:00", "bad"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    records=st.lists(
        st.tuples(st.sampled_from(MONTHS), st.sampled_from(["A", "B"]), st.sampled_from(TYPES), st.integers(-5, 50)),
        min_size=1,
        max_size=40,
    ),
    kinds=st.lists(st.sampled_from(TYPES[:3]), min_size=1, max_size=2, unique=True),
    low=st.integers(-5, 50),
)
def test_filtered_counts_and_sums_agree_with_pandas(
    tmp_path: Path, records: list[tuple[str, str, str, int]], kinds: list[str], low: int
) -> None:
    path = tmp_path / "gen.csv"
    path.write_text("Month,Force,Type,Age\n" + "".join(f"{m},{f},{t},{a}\n" for m, f, t, a in records))
    where = parse_where([*(f"Type={k}" for k in kinds), f"Age>={low}"])
    report = run_count([path], CountOptions(area_cols=["Force"], where=where, total="Age"))
    frame = pd.DataFrame(records, columns=["Month", "Force", "Type", "Age"])
    frame["month"] = frame["Month"].str[:7].where(frame["Month"] != "bad")
    readable = frame.dropna(subset=["month"])
    present = set(zip(readable["Force"], readable["month"], strict=True))  # area-months with any record
    kept = readable[readable["Type"].str.strip().isin(kinds) & (readable["Age"] >= low)]
    expected = dict.fromkeys(present, 0.0)
    for (f, m), total in kept.groupby(["Force", "month"])["Age"].sum().items():
        expected[(f, m)] = float(total)
    assert {(r.section, r.period): r.value for r in report.rows} == expected
    assert report.unread == int((frame["Month"] == "bad").sum())
    counted = run_count([path], CountOptions(area_cols=["Force"], where=where))
    expected_n = dict.fromkeys(present, 0.0)
    for (f, m), n in kept.groupby(["Force", "month"]).size().items():
        expected_n[(f, m)] = float(n)
    assert {(r.section, r.period): r.value for r in counted.rows} == expected_n


def test_validate_says_how_the_records_were_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(POLICE)
    report = run_validation(sorted(Path("data").glob("*/*.csv")), POLICE / "kpitool.toml")
    layout = [f for f in report.findings if f.code == Code.LAYOUT]
    assert len(layout) == 1 and layout[0].file == "data/*/*-street.csv"
    assert (
        "1,380 records in 17 files counted by the month of 'Month' in 2 areas, 2022-04 to 2022-12" in layout[0].message
    )


def test_report_reads_the_record_sources(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(POLICE)
    out = tmp_path / "report.html"
    args = ["report", "-o", str(out), "--baseline", "2022/23 Q1", "--current", "2022/23 Q2"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert "Cleveland Police" in html and "Durham Constabulary" in html and "Violence outcome rate" in html


@needs_asb
def test_a_record_file_read_without_a_source_says_how_to_count_it() -> None:
    report = run_validation([REALDATA / "northumbria_asb.tab"], None)
    assert not report.valid and "kpitool count" in report.findings[0].message


def test_column_names_from_the_file_are_only_names(tmp_path: Path) -> None:
    hostile = "x'); SELECT 1; --"
    path = write(tmp_path / "h.csv", f'Month,"{hostile}",\'q"\n2022-01,a,b\n2022-01,c,d\n')
    report = run_count([path], CountOptions(by=[hostile], where=parse_where(["'q\"=b"])))
    assert rows(report) == {("", "a", "2022-01"): 1}


def test_a_mean_over_records_is_the_ratio_of_a_sum_and_a_count(tmp_path: Path) -> None:
    # April: 1 record of 10; May: 3 of 2; June: 1 of 4. The quarter's mean is 20 / 5 = 4, not the mean of means
    write(tmp_path / "r.csv", "Month,Cost\n2023-04,10\n2023-05,2\n2023-05,2\n2023-05,2\n2023-06,4\n")
    toml = (
        '[[source]]\nname = "r"\nshape = "records"\nfiles = "r.csv"\ndate = "Month"\n'
        '[[measure]]\nname = "Cost"\nunit = "currency"\nsource = "r"\nsum = "Cost"\n'
        '[[measure]]\nname = "Calls"\nsource = "r"\n'
        '[[measure]]\nname = "Mean cost"\nunit = "currency"\naggregate = "ratio"\nnumerator = "Cost"\ndenominator = "Calls"\n'
    )
    catalogue = load_catalogue(write(tmp_path / "kpitool.toml", toml))
    q1 = parse_period("2023/24 Q1")
    report = run_comparison([], catalogue, CompareOptions(current=q1, baseline=parse_period("2022/23 Q1")))
    mean = next(c for c in report.comparisons if c.measure == "Mean cost")
    assert mean.current_value == 4.0


def test_count_area_name_gives_every_record_one_area(street: Path) -> None:
    """--area-name names the area of a file of one force; --area is the filter of the other commands."""
    result = CliRunner().invoke(app, ["count", str(street), "--area-name", "Somewhere", "-m", "Crimes"])
    assert result.exit_code == 0, result.output
    rows = [line.split(",") for line in result.stdout.strip().splitlines()[1:]]
    assert rows and all(row[0] == "Somewhere" for row in rows)
    assert CliRunner().invoke(app, ["count", str(street), "--area", "Somewhere"]).exit_code == 2


def test_a_group_is_zero_only_in_the_areas_that_have_it() -> None:
    from kpitool.readers.record_months import measure_frame
    from kpitool.readers.records import RecordCounts, Tally

    # Durham has LSOA E1 in January only; Kent has E2 in both months: E1 is no 0 in Kent, nor E2 in Durham
    frame = pd.DataFrame(
        {
            "area": ["Durham", "Durham", "Kent", "Kent"],
            "by0": ["E1", "E9", "E2", "E2"],
            "month": [202201, 202202, 202201, 202202],
            "n": [3, 1, 4, 5],
            "t0": [3, 1, 4, 5],
        }
    )
    counts = RecordCounts(frame, [], 13, 0, [])
    got = measure_frame(counts, [Tally("Records")], ["LSOA"]).astype(str).values.tolist()
    assert got == [
        ["Durham", "E1", "202201", "3.0"],
        ["Durham", "E1", "202202", "0.0"],
        ["Durham", "E9", "202201", "0.0"],
        ["Durham", "E9", "202202", "1.0"],
        ["Kent", "E2", "202201", "4.0"],
        ["Kent", "E2", "202202", "5.0"],
    ]


def test_files_of_one_area_each_counted_together_have_a_month_only_where_every_one_has_it(tmp_path: Path) -> None:
    from kpitool.cli import app

    months = ["2022-10", "2022-11", "2022-12"]
    north = tmp_path / "north.csv"
    north.write_text("Month\n" + "".join(f"{m}\n" * 30 for m in months[:2]), encoding="utf-8")  # no December
    south = tmp_path / "south.csv"
    south.write_text("Month\n" + "".join(f"{m}\n" * 40 for m in months), encoding="utf-8")
    result = CliRunner().invoke(app, ["count", str(north), str(south), "--grain", "quarter"])
    assert result.exit_code == 0, result.output
    assert "2022/23 Q3" not in result.stdout  # south's December alone is no quarter of both
    assert f"{north} has no records for 2022-12, though 2022-11 has 30" in result.stderr
    # files of a month each (a folder a month) are the data's months, never a file short of the others
    parts = []
    for m in months:
        part = tmp_path / f"{m}-street.csv"
        part.write_text("Month\n" + f"{m}\n" * 30, encoding="utf-8")
        parts.append(str(part))
    monthly = CliRunner().invoke(app, ["count", *parts, "--grain", "quarter"])
    assert monthly.exit_code == 0 and "2022/23 Q3,90" in monthly.stdout and "missing-month" not in monthly.stderr
