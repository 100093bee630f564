from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import EXAMPLES, ROOT
from kpitool import __version__
from kpitool.cli import app
from kpitool.validate import validate_files

MESSY = "measure,period,value\nA,2023/24 Q1,1\nA,2023/24 Q9,2\nB,2023/24 Q1,xyz\nC,2023/24 Q1,3,4\n"


def test_version(runner: CliRunner) -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and __version__ in result.stdout


@pytest.mark.parametrize("command", ["validate", "compare", "export", "report", "schema"])
def test_every_command_has_help_with_an_example(command: str, runner: CliRunner) -> None:
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0
    assert "Example: kpitool" in result.stdout


def test_validate_exit_codes(runner: CliRunner, write) -> None:  # type: ignore[no-untyped-def]
    good = write("good.csv", "measure,period,value\nA,2023/24 Q1,1\n")
    warn = write("warn.csv", "measure,period,value\nA,2023/24 Q1,1\nA,2023/24 Q1,1\n")
    bad = write("bad.csv", MESSY)
    assert runner.invoke(app, ["validate", str(good)]).exit_code == 0
    assert runner.invoke(app, ["validate", str(warn)]).exit_code == 0
    assert runner.invoke(app, ["validate", str(warn), "--strict"]).exit_code == 1
    assert runner.invoke(app, ["validate", str(bad)]).exit_code == 1
    assert runner.invoke(app, ["validate", str(good), "/no/such/file.csv"]).exit_code == 2
    assert runner.invoke(app, ["validate"]).exit_code == 2
    assert runner.invoke(app, ["validate", str(good), "--format", "yaml"]).exit_code == 2


def test_text_lists_every_finding_with_its_cell(runner: CliRunner, write) -> None:  # type: ignore[no-untyped-def]
    path = write("bad.csv", MESSY)
    result = runner.invoke(app, ["validate", str(path)])
    lines = result.stdout.splitlines()
    assert lines[0].startswith("INVALID — 3 errors, 0 warnings, 0 info in 1 file")
    assert any(line.startswith(f"{path}:B3: error [bad-period]") for line in lines)
    assert any(line.startswith(f"{path}:C4: error [not-a-number]") for line in lines)
    assert any(line.startswith(f"{path}:row 5: error [ragged-row]") for line in lines)


def test_json_output_equals_the_library_result(runner: CliRunner, write) -> None:  # type: ignore[no-untyped-def]
    path = write("bad.csv", MESSY)
    result = runner.invoke(app, ["validate", str(path), "--format", "json"])
    assert json.loads(result.stdout) == json.loads(validate_files([path]).model_dump_json())


def test_markup_in_values_is_printed_not_interpreted(write) -> None:  # type: ignore[no-untyped-def]
    import io

    from rich.console import Console

    from kpitool.render.findings import render_text

    path = write("m.csv", "measure,period,value\n[bold]x[/],2023/24 Q9,[c]\n[/],2023/24 Q9,1\n")
    report = validate_files([path])
    for terminal in (True, False):
        console = Console(width=200, force_terminal=terminal, no_color=True, record=True, file=io.StringIO())
        render_text(report, console)
        text = console.export_text()
        assert "[bold]x[/]" in text and "[/]" in text


def test_screen_detail_is_capped_but_json_is_not(runner: CliRunner, write) -> None:  # type: ignore[no-untyped-def]
    rows = "".join(f"M{i},2023/24 Q9,{i}\n" for i in range(300))
    path = write("many.csv", "measure,period,value\n" + rows)
    text = runner.invoke(app, ["validate", str(path)]).stdout
    assert "… and 100 more" in text
    data = json.loads(runner.invoke(app, ["validate", str(path), "--format", "json"]).stdout)
    assert len(data["findings"]) == 300


def _run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kpitool", *args], capture_output=True, text=True, cwd=cwd, check=False
    )


def test_no_traceback_without_debug() -> None:
    result = _run("compare", "--config", "/no/such/kpitool.toml")
    assert result.returncode == 2
    assert result.stderr == "kpitool: error: /no/such/kpitool.toml: no such file\n"


def test_errors_are_one_line_on_stderr_and_debug_shows_the_traceback(tmp_path: Path) -> None:
    result = _run("compare", str(tmp_path / "missing.csv"))
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("kpitool: error:")
    debug = _run("--debug", "compare", str(tmp_path / "missing.csv"))
    assert "Traceback" in debug.stderr


def test_help_and_completion_do_not_import_pandas() -> None:
    code = (
        "import sys\n"
        "from kpitool.cli import app\n"
        "try:\n    app(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('pandas', 'numpy', 'pyarrow', 'scipy') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    completion = subprocess.run(
        [sys.executable, "-c", "import sys, kpitool.cli; print([m for m in ('pandas','numpy') if m in sys.modules])"],
        capture_output=True,
        text=True,
        check=False,
        env={"_KPITOOL_COMPLETE": "complete_bash", "COMP_WORDS": "kpitool ", "COMP_CWORD": "1", "PATH": ""},
    )
    assert completion.stdout.strip() == "[]"


def test_validate_example_from_its_folder(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(EXAMPLES)
    result = runner.invoke(app, ["validate", *sorted(str(p) for p in Path("data").glob("*.csv"))])
    assert result.exit_code == 0, result.stdout
    assert result.stdout.startswith("valid — 0 errors, 0 warnings, 0 info in 5 files (296 rows)")


def test_a_closed_pipe_is_not_reported_as_invalid_data() -> None:
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "kpitool",
            "compare",
            *map(str, sorted((EXAMPLES / "data").glob("*.csv"))),
            "-f",
            "json",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.read(10)
    proc.stdout.close()
    assert proc.wait() in (0, -13)  # finished, or ended by SIGPIPE as Unix tools are
    with proc.stderr:
        assert b"Traceback" not in proc.stderr.read()


@pytest.mark.parametrize("which", ["comparison", "validation", "catalogue"])
def test_committed_json_schemas_are_current(which: str, runner: CliRunner) -> None:
    result = runner.invoke(app, ["schema", which])
    assert result.exit_code == 0
    assert json.loads(result.stdout) == json.loads((ROOT / "docs" / f"{which}.schema.json").read_text(encoding="utf-8"))


def test_compare_finds_the_catalogue_in_a_parent_folder(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(EXAMPLES / "data")
    result = runner.invoke(app, ["compare", "--measure", "Homicide", "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert "Violence against the person,,Homicide,count,sum,down" in result.stdout


def test_the_catalogues_files_are_read_in_natural_order(tmp_path: Path) -> None:
    from kpitool.models import Catalogue
    from kpitool.project import data_files

    for name in ("q10.csv", "q4-revised.csv", "q9.csv", "q4.csv", "notes.txt"):
        (tmp_path / name).write_text("x")
    catalogue = Catalogue(data=["*.csv", str(tmp_path / "notes.txt")], path=tmp_path / "kpitool.toml")
    assert [p.name for p in data_files(catalogue)] == ["q4.csv", "q4-revised.csv", "q9.csv", "q10.csv", "notes.txt"]


def test_year_start_january_reads_calendar_years(runner: CliRunner, write, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    data = write(
        "cal.csv", "measure,period,value\nA,2023,100\n" + "".join(f"A,2024 Q{q},{30 + q}\n" for q in range(1, 5))
    )
    fiscal = runner.invoke(app, ["validate", str(data)])
    assert fiscal.exit_code == 1 and "--year-start january" in fiscal.stdout
    result = runner.invoke(
        app, ["compare", str(data), "--year-start", "january", "--baseline", "2023", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert (report["current"], report["comparisons"][0]["current_value"]) == ("2024", 130)
    assert runner.invoke(app, ["validate", str(data), "--year-start", "january"]).exit_code == 0
    toml = write("kpitool.toml", '[project]\nyear_start = "april"\n')
    clash = runner.invoke(app, ["compare", str(data), "--config", str(toml), "--year-start", "january"])
    assert clash.exit_code == 2 and "year_start = 'april' here, but 'january' was asked for" in clash.stderr


def test_piped_output_is_the_whole_table_whatever_columns_says(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(EXAMPLES)
    monkeypatch.setenv("COLUMNS", "40")
    result = runner.invoke(app, ["compare", "--section", "Call data"])
    assert result.exit_code == 0 and "Trend" in result.stdout and "Left out" not in result.stdout
    assert result.stdout.splitlines()[0] == "Call data"


def test_help_and_version_load_no_model() -> None:
    """--help, --version and completion start without building kpitool's pydantic models (bench/startup.py)."""
    import subprocess
    import sys

    code = (
        "import sys; from kpitool.cli import app; from typer.testing import CliRunner;"
        " CliRunner().invoke(app, ['--help']); CliRunner().invoke(app, ['--version']);"
        " print(sorted(m for m in sys.modules if m.startswith('kpitool.')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert "kpitool.models" not in out and "kpitool.periods" not in out and "pandas" not in out, out


def test_no_help_shows_a_python_type_for_a_metavar() -> None:
    """Every --help, walked: option and argument values read as words (FILE, PERIOD), not <list[Path]>."""
    import re

    runner = CliRunner()
    for command in ([], ["validate"], ["compare"], ["export"], ["report"], ["schema"]):
        result = runner.invoke(app, [*command, "--help"], env={"COLUMNS": "200"})
        assert result.exit_code == 0
        python_types = re.findall(r"<(?:list\[|str>|int>|float|path>|Path)[^>]*>?", result.output)
        assert not python_types, (command, python_types)


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--format", "xlsx"], "'xlsx' is not one of 'table', 'md', 'csv', 'json'."),
        (["--method", "nope"], "'nope' is not one of 'band', 'significance', 'spc'."),
        (["--tolerance", "-1"], "it should be greater than or equal to 0"),
        (["--year-start", "may"], "'may' is not one of 'april', 'january'."),
    ],
)
def test_bad_option_values_in_kpitools_words(args: list[str], said: str) -> None:
    result = CliRunner().invoke(app, ["compare", "--config", "examples/kpitool.toml", *args])
    assert result.exit_code == 2
    assert said in result.output
    assert "Value error" not in result.output and "Input should be" not in result.output


@pytest.mark.parametrize("level", ["50", "100", "120"])
def test_confidence_outside_its_range_is_a_usage_error(level: str) -> None:
    result = CliRunner().invoke(app, ["compare", "--config", "examples/kpitool.toml", "--confidence", level])
    assert result.exit_code == 2
    assert f"--confidence {level}: give a level in % above 50 and below 100" in result.output


def test_a_file_whose_header_cannot_be_read_is_not_offered_skip_invalid(runner: CliRunner, write) -> None:  # type: ignore[no-untyped-def]
    path = write("kpis.csv", "Indicator,Period,Value\nBurglary,2022/23,100\nBurglary,2023/24,120\n")
    result = runner.invoke(app, ["compare", str(path)])
    assert result.exit_code == 1
    assert result.stderr.startswith("kpitool: error: 1 file cannot be read as it stands; nothing was compared")
    assert "no 'measure' column" in result.stderr and "--measure-col" in result.stderr
    assert "compare without these rows" not in result.stderr  # it would compare nothing
    skipped = runner.invoke(app, ["compare", str(path), "--skip-invalid"])
    assert skipped.exit_code == 2
    assert f"no observations to compare: {path}: the header has no 'measure' column" in skipped.stderr
    # a bad row and an unreadable file: both said, and --skip-invalid offered for the row
    good = write("good.csv", "measure,period,value\nCalls,2022/23,1\nCalls,2023/24,abc\n")
    both = runner.invoke(app, ["compare", str(path), str(good)])
    assert "1 file cannot be read as it stands and 1 input row has an error" in both.stderr
    assert "compare without these rows" in both.stderr
