"""One golden file per output format for the example project, compared exactly.

Regenerate after a deliberate change with KPITOOL_UPDATE_GOLDEN=1 pytest tests/test_golden.py,
then read the diff: every figure in these files was checked by hand against the seed report.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import EXAMPLES
from kpitool.cli import app

GOLDEN = Path(__file__).parent / "golden"
CASES = {
    "compare.txt": ["compare", "--baseline", "2022/23"],
    "compare.md": ["compare", "--baseline", "2022/23", "--format", "md"],
    "compare.csv": ["compare", "--baseline", "2022/23", "--format", "csv"],
    "compare.json": ["compare", "--baseline", "2022/23", "--format", "json"],
    "audit.md": ["validate", "../tests/fixtures/seed_2023_24_tables.tsv", "--format", "md"],
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_golden(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(EXAMPLES)
    monkeypatch.delenv("COLUMNS", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1714435200")  # "data as at" 30 April 2024, whatever the checkout's dates
    result = CliRunner().invoke(app, CASES[name])
    assert result.exit_code in (0, 1), result.output
    path = GOLDEN / name
    if os.environ.get("KPITOOL_UPDATE_GOLDEN"):
        path.write_text(result.stdout, encoding="utf-8")
    assert result.stdout == path.read_text(encoding="utf-8")
