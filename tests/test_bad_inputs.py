"""Every file in tests/bad_inputs gives its finding code and exit codes, and never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import BAD, EXAMPLES
from kpitool.cli import app

# file: (validate's exit code, the finding it must give, compare's exit code)
EXPECTED: dict[str, tuple[int, str | None, int]] = {
    "binary_garbage.csv": (2, "unreadable-file", 2),
    "empty.csv": (1, "empty-file", 1),
    "whitespace_only.csv": (1, "empty-file", 1),
    "bom_only.csv": (1, "empty-file", 1),
    "header_only.csv": (1, "no-data", 1),
    "missing_value_column.csv": (1, "missing-column", 1),
    "duplicate_column.csv": (1, "duplicate-column", 1),
    "ragged_rows.csv": (1, "ragged-row", 1),
    "first_row_too_long.csv": (1, "ragged-row", 1),
    "unclosed_quote.csv": (1, "broken-quote", 1),
    "quote_in_field.csv": (1, "broken-quote", 1),
    "not_utf8_nor_cp1252.csv": (2, "unreadable-file", 2),
    "utf16.csv": (2, "unreadable-file", 2),
    "ten_thousand_columns.csv": (1, "no-periods", 1),
    "ten_thousand_fields_row.csv": (1, "ragged-row", 1),
    "bad_numbers.csv": (1, "not-a-number", 1),
    "bad_periods.csv": (1, "bad-period", 1),
    "bad_markup.csv": (0, None, 2),
    "wide_no_periods.tsv": (1, "no-periods", 1),
    "wide_bad_arrow.tsv": (1, "bad-direction", 0),
    "conflicting_duplicates.csv": (1, "conflicting-observation", 1),
    "cp1252_pounds.csv": (0, None, 2),
    "mixed_encoding.csv": (0, "mixed-encoding", 2),
    "broken.toml": (2, "config-syntax", 2),
    "invalid_catalogue.toml": (2, "config-invalid", 2),
    # the classes of the adversarial run (issue 14), one file each
    "huge_numbers.csv": (1, "not-a-number", 1),  # 400 digits, 1e308, a grouped number near the float maximum
    "years_out_of_range.csv": (1, "bad-period", 1),  # 0000/01, 0999/00, 9999/00, 10000
    "deep_nesting.toml": (2, "config-syntax", 2),  # an array nested 3,000 deep
    "blank_data_pattern.toml": (2, "config-invalid", 2),  # data = [""]
    "many_total_rows.tsv": (0, "audit-bounded", 0),  # 400 rows that may be sums, 100 rates: bounded, said
    "escape_sequences.csv": (0, None, 0),  # ESC]0; (title), ESC[2J (clear), ESC]8; (hyperlink) in names
    "html_measure.csv": (0, None, 0),  # <img onerror=…> and <script> as measure names
    "stray_carriage_return.csv": (1, "stray-carriage-return", 1),  # a lone CR in a CRLF file
}


def test_the_corpus_is_complete() -> None:
    assert sorted(p.name for p in BAD.iterdir()) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_input(name: str, runner: CliRunner) -> None:
    code, finding, _ = EXPECTED[name]
    path = BAD / name
    if path.suffix == ".toml":
        args = ["validate", "--config", str(path), str(EXAMPLES / "data" / "2023-24-q1.csv"), "--format", "json"]
    else:
        args = ["validate", str(path), "--format", "json"]
    result = runner.invoke(app, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == code, result.output
    report = json.loads(result.stdout)
    codes = {f["code"] for f in report["findings"]}
    if finding is None:
        assert not [f for f in report["findings"] if f["severity"] == "error"]
    else:
        assert finding in codes


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_compare_on_bad_input_refuses_in_one_place(name: str) -> None:
    """Run as a user runs it (a subprocess, so a traceback would show): the exit code, and no internal error."""
    path = BAD / name
    args = ["--config", str(path)] if path.suffix == ".toml" else [str(path)]
    result = subprocess.run(
        [sys.executable, "-m", "kpitool", "compare", *args], capture_output=True, text=True, check=False, cwd=BAD
    )
    assert result.returncode == EXPECTED[name][2], result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    if result.returncode:
        assert result.stdout == "" and result.stderr.startswith("kpitool: error: ")
        if result.returncode == 1:  # the refusal says what validate says, and how to go on
            assert "--skip-invalid" in result.stderr and "INVALID" in result.stderr
    else:
        assert result.stdout.strip() and result.stderr == ""


def test_what_reaches_the_terminal_and_the_markdown_is_inert() -> None:
    """Escape sequences are shown, not obeyed; markup from the data is escaped in Markdown."""
    for name in ("escape_sequences.csv", "html_measure.csv"):
        for fmt in ("table", "md"):
            result = subprocess.run(
                [sys.executable, "-m", "kpitool", "compare", name, "--format", fmt],
                capture_output=True, text=True, check=False, cwd=BAD,
            )  # fmt: skip
            assert result.returncode == 0 and "\x1b" not in result.stdout + result.stderr
            if fmt == "md":
                assert "<img" not in result.stdout and "<script>" not in result.stdout
    table = subprocess.run(
        [sys.executable, "-m", "kpitool", "compare", "escape_sequences.csv"], capture_output=True, text=True, cwd=BAD
    )
    assert "\\x1b]0;pwned" in table.stdout  # shown as text


def test_a_field_over_four_megabytes_is_one_finding_at_its_cell(tmp_path: Path) -> None:
    """Generated here rather than kept in the corpus: a 5 MB value and a 5 MB measure name."""
    path = tmp_path / "large_fields.csv"
    path.write_text(
        "measure,period,value\nA,2023/24 Q1," + "9" * 5_000_000 + '\n"' + "B" * 5_000_000 + '",2023/24 Q1,1\n',
        encoding="utf-8",
    )
    result = subprocess.run(
        [sys.executable, "-m", "kpitool", "validate", str(path)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "large_fields.csv:C2: error [not-a-number]" in result.stdout and len(result.stdout) < 2_000
