"""Every console example of the README runs, and prints what the README shows."""

from __future__ import annotations

import glob
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


REAL_COMMANDS = re.findall(r"^\s*(kpitool .*\.\./shared/realdata/.*)$", README, re.M)
# the worked examples the README shows as refusals, and the exit code each must give
REAL_REFUSALS: dict[str, int] = {}  # none: every real file is read as it comes


@pytest.mark.skipif(not (ROOT.parent / "shared" / "realdata").is_dir(), reason="../shared/realdata is not here")
@pytest.mark.parametrize("command", REAL_COMMANDS, ids=[c.split()[1] + str(i) for i, c in enumerate(REAL_COMMANDS)])
def test_readme_commands_on_real_files_run(command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each worked example of real input runs as written (globs expanded as a shell would)."""
    monkeypatch.chdir(ROOT)
    args: list[str] = []
    for word in shlex.split(command)[1:]:
        args.extend(sorted(glob.glob(word)) if "*" in word else [word])
    if "-o" in args:  # written where the test can look, never into the repository
        args[args.index("-o") + 1] = str(tmp_path / args[args.index("-o") + 1])
    result = CliRunner().invoke(app, args)
    code = next((c for part, c in REAL_REFUSALS.items() if part in command), 0)
    assert result.exit_code == code, result.output
