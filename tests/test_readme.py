"""Every console example of the README runs, and prints what the README shows."""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import EXAMPLES, FIXTURES, ROOT
from kpitool.cli import app

README = (ROOT / "README.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"```console\n(.*?)```", README, re.S)
# files the README's examples read, as the README describes them
Q2 = 'measure,period,value\n999 calls,2023/24 Q1,31539\n999 calls,2023/24 Q5,30694\n101 calls,2023/24 Q1,"1,2,3"\n101 calls,2023/24 Q2,62937,extra\n'
DATA = "measure,period,value\nRate,2023/24 Q1,10%\nRate,2024/25 Q1,12.5%\nCalls,2023/24 Q1,30\nCalls,2024/25 Q1,33\n"


# The README's commands that do not exit 0, and the code each must give; every other exits 0.
EXIT_CODES = {
    "kpitool validate q2.csv": 1,
    "kpitool validate tests/fixtures/seed_2023_24_tables.tsv --format md > audit.md": 1,
}


def test_the_exit_codes_listed_are_the_readmes() -> None:
    commands = [line[2:] for block in BLOCKS for line in block.splitlines() if line.startswith("$ ")]
    assert set(EXIT_CODES) <= set(commands)


def test_quick_start_is_two_commands() -> None:
    section = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"```\n(.*?)\n```", section, re.S)
    assert len(commands) == 2
    assert "kpitool compare" in commands[0] and "pytest" in commands[1]
    assert "## Quick start" in (ROOT / ".ci" / "run").read_text()  # .ci/run runs both, as written


def test_there_are_examples() -> None:
    assert len(BLOCKS) >= 5


@pytest.mark.parametrize("block", BLOCKS)
def test_readme_example(block: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(EXAMPLES, tmp_path / "examples")
    shutil.copytree(FIXTURES, tmp_path / "tests" / "fixtures")
    (tmp_path / "q2.csv").write_text(Q2)
    (tmp_path / "data.csv").write_text(DATA)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("COLUMNS", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    runner = CliRunner()
    steps = re.split(r"^\$ ", block, flags=re.M)[1:]
    seen: set[str] = set()
    for step in steps:
        command, _, expected = step.partition("\n")
        # a command given twice in one example: the second time, an existing output refuses (exit 2)
        key = command.split(" && ")[-1]
        code = 2 if key in seen else EXIT_CODES.get(command, 0)
        seen.add(key)
        if command.startswith("cd "):
            folder, _, command = command.partition(" && ")
            monkeypatch.chdir(tmp_path / folder.split()[1])
        args = shlex.split(command.split(">", 1)[0])
        assert args[0] == "kpitool"
        result = runner.invoke(app, args[1:])
        assert result.exit_code == code, result.output
        if expected.strip():
            got = [line.rstrip() for line in result.output.splitlines()]
            assert got == [line.rstrip() for line in expected.strip("\n").splitlines()]
