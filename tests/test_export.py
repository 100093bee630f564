from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import EXAMPLES
from kpitool.cli import app
from kpitool.compare import compare
from kpitool.models import ComparisonReport
from kpitool.readers import read_observations
from kpitool.render.csvout import render_csv, safe_text
from kpitool.render.markdown import md_cell, render_markdown


def test_export_writes_and_refuses_to_overwrite(
    tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(EXAMPLES)
    out = tmp_path / "report.md"
    first = runner.invoke(app, ["export", "--format", "md", "-o", str(out)])
    assert first.exit_code == 0, first.output
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Key performance indicator report, Q4 2023/24\n") and "| 999 calls" in text
    assert "\n2023/24 (1 April 2023 to 31 March 2024), against the baseline 2022/23  \nData as at " in text
    out.write_text("the analyst's edits", encoding="utf-8")
    second = runner.invoke(app, ["export", "--format", "md", "-o", str(out)])
    assert second.exit_code == 2 and "exists; use --force" in second.output
    assert out.read_text(encoding="utf-8") == "the analyst's edits"  # nothing the user had is lost
    forced = runner.invoke(app, ["export", "--format", "csv", "-o", str(out), "--force"])
    assert forced.exit_code == 0 and out.read_text(encoding="utf-8").startswith("section,area,measure,")
    assert [p.name for p in tmp_path.iterdir()] == ["report.md"]  # no temporary file left behind


def test_export_to_stdout_and_json_equals_the_library(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(EXAMPLES)
    result = runner.invoke(app, ["export", "--format", "json"])
    assert result.exit_code == 0
    from kpitool.catalogue import load_catalogue

    catalogue = load_catalogue(EXAMPLES / "kpitool.toml")
    files = sorted(Path("data").glob("*.csv"))
    expected = compare(read_observations(files), catalogue, files=[str(f) for f in files])
    assert ComparisonReport.model_validate_json(result.stdout) == expected


def test_export_to_a_missing_folder_is_one_line(
    tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(EXAMPLES)
    result = runner.invoke(app, ["export", "-o", str(tmp_path / "no" / "such" / "dir.md")])
    assert result.exit_code == 2 and "cannot write" in result.output


def test_csv_neutralises_formulas_and_markdown_escapes_pipes(write) -> None:  # type: ignore[no-untyped-def]
    path = write(
        "f.csv",
        'measure,period,value\n"=HYPERLINK(""http://x"")",2022/23,1\n"=HYPERLINK(""http://x"")",2023/24,2\n'
        '"A | B",2022/23,1\n"A | B",2023/24,-1\n@cmd,2022/23,1\n@cmd,2023/24,1\n',
    )
    report = compare(read_observations([path]))
    rows = list(csv.DictReader(io.StringIO(render_csv(report))))
    names = [r["measure"] for r in rows]
    assert '\'=HYPERLINK("http://x")' in names and "'@cmd" in names
    assert all(not n.startswith(("=", "+", "-", "@")) for n in names)
    neg = next(r for r in rows if r["measure"] == "A | B")
    assert float(neg["change"]) == -2.0  # numbers stay numbers, unrounded
    md = render_markdown(report)
    assert "A \\| B" in md
    assert safe_text("-1") == "'-1" and safe_text("ok") == "ok"
    assert md_cell("a|b\nc") == "a\\|b c"


def test_json_round_trips(write) -> None:  # type: ignore[no-untyped-def]
    report = compare(read_observations([write("f.csv", "measure,period,value\nA,2022/23,1\nA,2023/24,2\n")]))
    assert json.loads(report.model_dump_json())["comparisons"][0]["change"] == 1.0


def test_csv_keeps_every_marker_beside_its_value(write) -> None:  # type: ignore[no-untyped-def]
    path = write(
        "m.csv",
        "measure,period,value\nA,2022/23,800\nA,2023/24 Q1,190[r]\nA,2023/24 Q2,[c]\nA,2023/24 Q3,200\nA,2023/24 Q4,210\n",
    )
    report = compare(read_observations([path]))
    row = next(csv.DictReader(io.StringIO(render_csv(report))))
    assert (row["q_2023/24 Q1"], row["q_2023/24 Q1_marker"]) == ("190", "[r]")  # a whole number without .0
    assert (row["q_2023/24 Q2"], row["q_2023/24 Q2_marker"]) == ("", "[c]")
    assert row["q_2023/24 Q3_marker"] == ""
    # the year sums over a suppressed quarter: it is not the year, and not compared with one
    assert row["current_value"] == "600" and row["change"] == "" and row["direction"] == ""
    assert "No value for 2023/24 Q2 ([c])" in row["notes"]


def test_export_never_replaces_what_it_should_not(tmp_path: Path, runner, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import os
    import stat

    from kpitool.errors import OutputError
    from kpitool.output import write_atomic

    monkeypatch.chdir(tmp_path)
    dangling = tmp_path / "dangling.md"
    dangling.symlink_to(tmp_path / "nowhere.md")
    with pytest.raises(OutputError, match="exists"):
        write_atomic(dangling, "x")
    with pytest.raises(OutputError, match="symbolic link"):
        write_atomic(dangling, "x", force=True)
    with pytest.raises(OutputError, match="not a regular file"):
        write_atomic(Path("/dev/null"), "x", force=True)
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    kept = tmp_path / "kept.md"
    kept.write_text("old")
    kept.chmod(0o640)
    write_atomic(kept, "new", force=True)
    assert kept.read_text() == "new" and stat.S_IMODE(kept.stat().st_mode) == 0o640
    old = os.umask(0o022)
    try:
        write_atomic(tmp_path / "fresh.md", "x")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "fresh.md").stat().st_mode) == 0o644
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dangling.md", "fresh.md", "kept.md"]  # no temp files


def test_a_file_made_while_kpitool_computes_is_not_overwritten(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from kpitool import output
    from kpitool.errors import OutputError

    target = tmp_path / "report.md"
    real = output.check_writable
    calls = []

    def meanwhile(path: Path, force: bool) -> None:
        real(path, force)
        calls.append(path)
        target.write_text("someone else's")

    monkeypatch.setattr(output, "check_writable", meanwhile)
    with pytest.raises(OutputError, match="exists"):
        output.write_atomic(target, "ours")
    assert target.read_text() == "someone else's" and calls


def test_csv_for_excel_has_a_byte_order_mark_and_whole_numbers(
    tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(EXAMPLES)
    out = tmp_path / "tables.csv"
    result = runner.invoke(app, ["export", "--format", "csv", "--excel", "-o", str(out), "--section", "Call data"])
    assert result.exit_code == 0, result.output
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfsection,area,measure,")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0]["arrow"] == "↑" and rows[0]["baseline_value"] == "107042" and rows[0]["change"] == "5412"
    plain = runner.invoke(app, ["export", "--format", "csv", "--section", "Call data"])
    assert not plain.stdout.startswith("\ufeff")  # only when asked: the next program may not want one
    refused = runner.invoke(app, ["export", "--format", "md", "--excel"])
    assert refused.exit_code == 2 and "--excel is for --format csv" in refused.stderr


@pytest.mark.parametrize("force", [[], ["--force"]])
def test_export_to_a_folder_says_it_is_a_folder_with_or_without_force(
    force: list[str], tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(EXAMPLES)
    result = runner.invoke(app, ["export", "-o", str(tmp_path), *force])
    assert result.exit_code == 2 and "is a folder, not a file; give -o the name of a file in it" in result.output
    assert "--force" not in result.output
