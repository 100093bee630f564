"""Every file in tests/bad_inputs gives its finding code and exit code, and never a traceback."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from conftest import BAD, EXAMPLES
from kpitool.cli import app

EXPECTED: dict[str, tuple[int, str | None]] = {
    "binary_garbage.csv": (2, "unreadable-file"),
    "empty.csv": (1, "empty-file"),
    "whitespace_only.csv": (1, "empty-file"),
    "bom_only.csv": (1, "empty-file"),
    "header_only.csv": (1, "no-data"),
    "missing_value_column.csv": (1, "missing-column"),
    "duplicate_column.csv": (1, "duplicate-column"),
    "ragged_rows.csv": (1, "ragged-row"),
    "first_row_too_long.csv": (1, "ragged-row"),
    "unclosed_quote.csv": (1, "broken-quote"),
    "quote_in_field.csv": (1, "broken-quote"),
    "not_utf8_nor_cp1252.csv": (2, "unreadable-file"),
    "utf16.csv": (2, "unreadable-file"),
    "ten_thousand_columns.csv": (1, "no-periods"),
    "ten_thousand_fields_row.csv": (1, "ragged-row"),
    "bad_numbers.csv": (1, "not-a-number"),
    "bad_periods.csv": (1, "bad-period"),
    "bad_markup.csv": (0, None),
    "wide_no_periods.tsv": (1, "no-periods"),
    "wide_bad_arrow.tsv": (1, "bad-direction"),
    "conflicting_duplicates.csv": (1, "conflicting-observation"),
    "cp1252_pounds.csv": (0, None),
    "broken.toml": (2, "config-syntax"),
    "invalid_catalogue.toml": (2, "config-invalid"),
}


def test_the_corpus_is_complete() -> None:
    assert sorted(p.name for p in BAD.iterdir()) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_input(name: str, runner: CliRunner) -> None:
    code, finding = EXPECTED[name]
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
    assert "Traceback" not in result.output


@pytest.mark.parametrize("name", sorted(n for n in EXPECTED if not n.endswith(".toml")))
def test_compare_on_bad_input_is_one_line(name: str, runner: CliRunner) -> None:
    result = runner.invoke(app, ["compare", str(BAD / name)])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    if result.exit_code != 0:
        assert "Traceback" not in result.output
