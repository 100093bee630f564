"""Inputs that must neither crash kpitool nor reach a terminal, a spreadsheet or a web page raw."""

from __future__ import annotations

import csv
import io
import json

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from kpitool.cli import app
from kpitool.compare import compare
from kpitool.errors import PeriodError
from kpitool.numbers import format_number, parse_cell
from kpitool.periods import parse_period
from kpitool.readers import read_file, read_observations
from kpitool.render.csvout import render_csv, safe_text
from kpitool.render.markdown import md_cell
from kpitool.render.safe import visible, visible_line

LONG = "measure,period,value\n"


@pytest.mark.parametrize("text", ["1" * 309, "1" * 400, "9" * 16, "12,000,000,000,000,000", "-2e308"])
def test_numbers_out_of_range_are_findings_at_their_cell(text: str, write) -> None:  # type: ignore[no-untyped-def]
    data = read_file(write("h.csv", LONG + f'A,2022/23,1\nA,2023/24,"{text}"\n'))
    assert [(f.code, f.cell) for f in data.findings] == [("not-a-number", "C3")]
    assert "out of range" in data.findings[0].message or "not a number" in data.findings[0].message


def test_extreme_finite_values_compute_and_display(write) -> None:  # type: ignore[no-untyped-def]
    path = write("e.csv", LONG + "A,2022/23,0.000001\nA,2023/24,999999999999999\nB,2022/23,1e-9\n")
    report = compare(read_observations([path]), options=None)
    a = next(c for c in report.comparisons if c.measure == "A")
    assert a.change_pct is not None and a.change_pct > 1e20
    assert format_number(a.change_pct, 1) != "" and format_number(1e300, 1)  # no Decimal overflow
    assert parse_cell("1e-9").error is not None  # exponents are not how people type figures


@pytest.mark.parametrize("text", ["0000/01", "0999/00", "9999/00", "10000", "1899", "2201 Q1"])
def test_years_out_of_range_are_bad_periods(text: str, write) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PeriodError):
        parse_period(text, "january" if "Q" in text else "april")
    data = read_file(write("y.csv", LONG + f"A,{text},1\n"))
    assert [f.code for f in data.findings] == ["bad-period"]


def test_a_year_out_of_range_as_an_option_is_a_usage_error(write) -> None:  # type: ignore[no-untyped-def]
    path = write("a.csv", LONG + "A,2022/23,1\nA,2023/24,2\n")
    result = CliRunner().invoke(app, ["compare", str(path), "--baseline", "0000/01"])
    assert result.exit_code == 2 and "outside 1900–2200" in result.stderr


ESCAPES = "\x1b]0;pwned\x07\x1b[2J\x1b]8;;http://x\x1b\\"


def test_escape_sequences_from_the_data_never_reach_the_terminal(write) -> None:  # type: ignore[no-untyped-def]
    name = f"Calls{ESCAPES}"
    path = write("esc.csv", LONG + f'"{name}",2022/23,1\n"{name}",2023/24,2\n"{name}",2023/24 Q9,3\n')
    runner = CliRunner()
    for args in (["compare", str(path), "--skip-invalid"], ["validate", str(path)], ["compare", str(path)]):
        result = runner.invoke(app, args)
        assert "\x1b" not in result.stdout and "\x1b" not in result.stderr and "\x07" not in result.output
        assert "\\x1b" in result.output
    # a file keeps the data byte-true where its format allows: JSON escapes it
    exported = runner.invoke(app, ["export", str(path), "--format", "json", "--skip-invalid"])
    assert json.loads(exported.stdout)["comparisons"][0]["measure"] == name


def test_visible_writes_control_characters_out() -> None:
    assert visible("a\x1bb\x9bc\x7f") == "a\\x1bb\\x9bc\\x7f" and visible("plain £ é") == "plain £ é"
    assert visible_line("a\tb\nc") == "a\\tb\\nc"


def test_no_formula_hides_behind_a_line_break_in_csv(write) -> None:  # type: ignore[no-untyped-def]
    assert safe_text("Calls\r@SUM(1)") == "Calls\r'@SUM(1)" and safe_text("a\n=1") == "a\n'=1"
    path = write("f.csv", LONG + '"Calls\n@SUM(1)",2022/23,1\n"Calls\n@SUM(1)",2023/24,2\n')
    text = render_csv(compare(read_observations([path])))
    assert '"Calls\n\'@SUM(1)"' in text  # quoted, so a spreadsheet keeps it in one cell
    (row,) = list(csv.DictReader(io.StringIO(text, newline="")))
    assert row["measure"] == "Calls\n'@SUM(1)"


def test_markdown_escapes_html_from_the_data() -> None:
    assert md_cell("<img src=x onerror=alert(1)>") == "&lt;img src=x onerror=alert(1)&gt;"
    assert md_cell("Drink & drug driving") == "Drink & drug driving" and md_cell("&lt;") == "&amp;lt;"


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=40))
def test_no_cell_text_or_period_text_is_an_internal_error(text: str) -> None:
    cell = parse_cell(text)
    assert cell.value is None or abs(cell.value) <= 1e15
    try:
        p = parse_period(text)
    except PeriodError:
        return
    assert 1900 <= p.year <= 2200


def test_a_device_or_a_fifo_is_refused_at_once(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import os

    from kpitool.validate import validate_files

    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    link = tmp_path / "random.csv"
    link.symlink_to("/dev/urandom")
    report = validate_files([fifo, link])
    assert [f.code for f in report.findings] == ["unreadable-file", "unreadable-file"]
    assert all("not a regular file" in f.message for f in report.findings) and report.exit_code == 2


def test_a_catalogue_nested_too_deeply_is_a_config_finding(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from kpitool.catalogue import read_catalogue

    toml = tmp_path / "kpitool.toml"
    toml.write_text("x = " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    catalogue, findings = read_catalogue(toml)
    assert catalogue is None and [f.code for f in findings] == ["config-syntax"]


def _run(*args: str, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    import os
    import subprocess
    import sys

    from conftest import EXAMPLES

    return subprocess.run(
        [sys.executable, "-m", "kpitool", *args],
        capture_output=True,
        text=True,
        cwd=EXAMPLES,
        env={**os.environ, **(env or {})},
        check=False,
    )


@pytest.mark.skipif(not __import__("os").path.exists("/dev/full"), reason="needs /dev/full")
def test_output_that_cannot_be_written_is_a_clear_error() -> None:
    import subprocess
    import sys

    from conftest import EXAMPLES

    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [sys.executable, "-m", "kpitool", "compare"], stdout=full, stderr=subprocess.PIPE, text=True, cwd=EXAMPLES
        )
    assert (
        result.returncode == 2
        and result.stderr == "kpitool: error: cannot write the output (No space left on device)\n"
    )


def test_a_closed_standard_output_is_a_clear_error_not_silence() -> None:
    import subprocess
    import sys

    from conftest import EXAMPLES

    result = subprocess.run(
        [sys.executable, "-m", "kpitool", "compare"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        text=True, cwd=EXAMPLES, preexec_fn=lambda: __import__("os").close(1),
    )  # fmt: skip
    assert result.returncode == 2
    assert result.stderr == "kpitool: error: cannot write the output (standard output is closed)\n"


def test_an_ascii_terminal_is_not_an_internal_error() -> None:
    result = _run("compare", "--section", "Call data", env={"PYTHONIOENCODING": "ascii"})
    assert result.returncode == 0 and "\\u2191" in result.stdout  # the arrow, written out


@pytest.mark.parametrize(
    ("body", "rows"),
    [
        ("A\rB,2023/24 Q1,1\r\nC,2023/24 Q1,2\r\n", [3]),
        ("A,2023/24 Q1,1\rB,2023/24 Q1,2\r\nC,2023/24 Q1,3\r\nD,2023/24 Q1,4\r\n", [3, 4]),
    ],
)
def test_a_lone_carriage_return_is_a_finding_never_a_silent_change(body: str, rows: list[int], write) -> None:  # type: ignore[no-untyped-def]
    data = read_file(write("cr.csv", "measure,period,value\r\n" + body))
    assert [(f.code, f.row) for f in data.findings] == [("stray-carriage-return", 2)]
    assert data.frame["row"].tolist() == rows


def test_a_carriage_return_inside_quotes_is_text_and_old_mac_files_are_lines(write) -> None:  # type: ignore[no-untyped-def]
    quoted = read_file(write("q.csv", 'measure,period,value\r\n"A\rB",2023/24 Q1,1\r\n'))
    assert not quoted.findings and quoted.frame["measure"].astype(str).tolist() == ["A\rB"]
    mac = read_file(write("m.csv", "measure,period,value\rA,2023/24 Q1,1\rB,2023/24 Q1,2\r"))
    assert not mac.findings and mac.frame["row"].tolist() == [2, 3]


NASTY = st.sampled_from(
    ["", "1", "-3", "1,234", "12.5%", "[c]", "x", "..", "nan", "1e308", "9" * 400, "2023/24 Q1", "2022/23",
     "0000/01", "9999/00", "Q5 2023/24", "Jan-Mar 2023", "30/06/2023", "Total", "All (a + b)", "↑", "↔", "level",
     '"', "\r", "\x1b[2J", "£453,813", "=SUM(A1)", "A|B", "<b>", "Average time", "% change", "Change",
     "Q1-Q4 2023/24 total", "Direction of travel"]
)  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(NASTY, min_size=1, max_size=6), min_size=1, max_size=6), st.sampled_from([",", "\t"]))
@example(rows=[["\r", "[c]"], ["", "[c]"], ["\r", "1"]], delimiter=",")  # a title block of blank first cells
@example(rows=[[""], [""], [""], [""], ['"'], ["\r", ""]], delimiter=",")  # a last line of a stray carriage return
def test_no_small_file_is_an_internal_error(rows: list[list[str]], delimiter: str) -> None:
    import tempfile
    from pathlib import Path

    header = [["measure", "period", "value"], ["T", "2022/23", "2023/24 Q1", "% change"]][len(rows) % 2]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / ("f.csv" if delimiter == "," else "f.tsv")
        path.write_text("\n".join(delimiter.join(r) for r in [header, *rows]) + "\n", encoding="utf-8")
        runner = CliRunner()
        for args in (["validate", str(path)], ["compare", str(path)], ["export", str(path), "--format", "csv"]):
            result = runner.invoke(app, args)
            assert result.exception is None or isinstance(result.exception, SystemExit), (args, result.exception)
            assert result.exit_code in (0, 1, 2), (args, result.output)


TOML_VALUES = st.sampled_from(
    [
        '"x"',
        '""',
        "1",
        "-5",
        "1e400",
        "true",
        "[]",
        '["a", ""]',
        '"2024 Q2"',
        '"0000/01"',
        '"/abs/*.csv"',
        "{}",
        '"ratio"',
    ]
)
TOML_KEYS = st.sampled_from(
    ["name", "baseline", "tolerance", "year_start", "data", "missing", "unit", "aggregate", "polarity", "since",
     "numerator", "denominator", "parts", "polarty", "section"]
)  # fmt: skip


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(st.booleans(), TOML_KEYS, TOML_VALUES), max_size=10))
@example([(True, "unit", "[]")])  # found by this test: a list where a unit belongs was a TypeError
def test_no_catalogue_is_an_internal_error(entries: list[tuple[bool, str, str]]) -> None:
    import tempfile
    from pathlib import Path

    from kpitool.catalogue import read_catalogue

    project = [f"{k} = {v}" for in_measure, k, v in entries if not in_measure]
    measure = [f"{k} = {v}" for in_measure, k, v in entries if in_measure]
    text = "[project]\n" + "\n".join(project) + '\n[[measure]]\nname = "A"\n' + "\n".join(measure) + "\n"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "kpitool.toml"
        path.write_text(text, encoding="utf-8")
        catalogue, findings = read_catalogue(path)
        assert (catalogue is None) == any(f.severity == "error" for f in findings)


def test_a_termination_signal_while_writing_leaves_no_temporary_file(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import os
    import signal

    from kpitool import output

    real_chmod = os.chmod

    def chmod_then_terminated(path, mode):  # type: ignore[no-untyped-def]
        real_chmod(path, mode)
        os.kill(os.getpid(), signal.SIGTERM)  # as `kill` would, between the write and the rename

    monkeypatch.setattr(output.os, "chmod", chmod_then_terminated)
    with pytest.raises(SystemExit) as exit_:
        output.write_atomic(tmp_path / "report.md", "# KPIs\n")
    assert exit_.value.code == 128 + signal.SIGTERM
    assert list(tmp_path.iterdir()) == []  # neither the report nor a .report.md.XXXX
    assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL  # the handler is put back


def test_many_findings_of_a_kind_are_counted_exactly_and_listed_to_a_limit(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from kpitool.models import CompareOptions
    from kpitool.project import run_comparison
    from kpitool.readers import base
    from kpitool.validate import validate_files

    monkeypatch.setattr(base, "FINDINGS_LISTED", 10)
    lines = ["measure,period,value", "Good,2022/23,5", "Good,2023/24 Q1,6"]
    lines += [f"Bad {i},2023/24 Q1,abc" for i in range(25)] + [f"Bad {i},2023/24 Q9,1" for i in range(3)]
    path = tmp_path / "many.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = validate_files([path])
    numbers = [f for f in report.findings if f.code == "not-a-number"]
    assert len(numbers) == 11 and report.codes == {"bad-period": 3, "not-a-number": 25}
    assert report.counts["error"] == 28
    grouped = numbers[-1]
    assert grouped.row == 14 and grouped.more_rows == list(range(15, 29)) and grouped.count == 15
    assert "and 14 more rows with this kind of problem (rows 15–28)" in grouped.message
    comparison = run_comparison([path], None, CompareOptions(), skip_invalid=True)
    assert comparison.rows_skipped == 28 and [c.measure for c in comparison.comparisons] == ["Good"]


def test_a_file_that_may_not_be_read_is_a_finding_and_the_others_are_still_checked(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from pathlib import Path

    from kpitool.validate import validate_files

    good, locked = tmp_path / "good.csv", tmp_path / "locked.csv"
    for path in (good, locked):
        path.write_text("measure,period,value\nA,2023/24 Q1,1\n", encoding="utf-8")
    real = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self.name == "locked.csv":  # as for another user's file (root reads anything, so it is faked)
            raise PermissionError(13, "Permission denied")
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    report = validate_files([locked, good])
    [finding] = report.findings
    assert finding.code == "unreadable-file" and finding.message == f"{locked}: cannot read (Permission denied)"
    assert report.rows == 1 and report.exit_code == 2


def test_a_blank_baseline_is_a_usage_error_not_ignored() -> None:
    result = _run("compare", "--baseline", "")
    assert result.returncode == 2 and "--baseline: '' is not a period" in result.stderr
