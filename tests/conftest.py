from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings
from typer.testing import CliRunner

from kpitool.numbers import parse_cell
from kpitool.periods import _spell, parse_period

# CI runs the same examples every time (a failure there is reproducible); a local run explores more
settings.register_profile("ci", derandomize=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
BAD = Path(__file__).resolve().parent / "bad_inputs"
SEED = FIXTURES / "seed_2023_24_tables.tsv"


@pytest.fixture(autouse=True)
def _fresh_parse_caches() -> None:
    """Each test parses its own cells and periods rather than reading an earlier test's cached answer.

    parse_cell and parse_period are cached process-wide. Without this, a test sees whatever an earlier
    test (or, under mutmut, the clean run the mutants are forked from) left in the cache, so the
    parsing code a test names is never run by it, and a mutant of that code cannot be caught.
    """
    parse_cell.cache_clear()
    parse_period.cache_clear()
    _spell.cache_clear()  # the spelling a column decision starts from


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def write(tmp_path: Path):
    """Write a small file in the test's folder and return its path."""

    def _write(name: str, text: str | bytes) -> Path:
        path = tmp_path / name
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path

    return _write
