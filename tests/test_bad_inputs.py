"""Every file in tests/bad_inputs gives its finding code and exit codes, and never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys

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
