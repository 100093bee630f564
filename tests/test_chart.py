"""kpitool chart: one SVG per measure, its lines, its marked points and its text alternative."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

from typer.testing import CliRunner

from kpitool.cli import app
from kpitool.methods.spc import xmr
from kpitool.models import Comparison
from kpitool.render.svg import chart_svg, description

NS = {"s": "http://www.w3.org/2000/svg"}


def _row(**extra: object) -> Comparison:
    fields: dict[str, object] = {
        "measure": "Answer time", "section": "Calls", "unit": "seconds", "aggregate": "mean", "polarity": "down", "tolerance": 5,
        "baseline_period": "2023/24", "baseline_basis": "", "baseline_value": None, "current_period": "2024/25",
        "current_basis": "", "quarters": [], "current_value": None, "change": None, "change_pct": None, "change_unit": "%",
        "direction": None, "assessment": "not assessed",
    }  # fmt: skip
    fields.update(extra)
    return Comparison.model_validate(fields)


def test_svg_marks_special_cause_by_shape_and_says_it_in_words() -> None:
    values = [9, 11] * 8 + [15] + [13] * 7
    chart = xmr([(f"m{i}", v) for i, v in enumerate(values)], "down", target=12)
    svg = chart_svg(_row(target=12), chart)
    root = ET.fromstring(svg)
    assert root.get("role") == "img"
    assert root.find("s:title", NS) is not None and root.find("s:title", NS).text == "Answer time"  # type: ignore[union-attr]
    desc = root.find("s:desc", NS).text  # type: ignore[union-attr]
    assert desc is not None and "24 points from m0 to m23" in desc and "special cause concern" in desc
    assert "Target 12.0: may pass or fail." in desc
    # concern points (the run above the mean, for a lower-is-better measure) are triangles;
    # the run of 16 below is improvement, squares; none is left as a plain circle
    assert len(root.findall("s:polygon", NS)) == 8
    assert len(root.findall("s:rect", NS)) == 1 + 16  # the background and the squares
    assert root.findall("s:circle", NS) == []
    dashed = [line for line in root.findall("s:line", NS) if line.get("stroke-dasharray")]
    assert len(dashed) == 2 * 3  # two limits and the target, each with its sample in the legend
    assert "Values: m0 9.0, m1 11.0," in desc


def test_count_axes_tick_whole_numbers() -> None:
    values = [0.0, 1.0, 0.0, 0.0, 2.0] * 4
    chart = xmr([(f"m{i}", v) for i, v in enumerate(values)], "down")
    svg = chart_svg(_row(unit="count", aggregate="sum"), chart)
    labels = [t.text for t in ET.fromstring(svg).findall("s:text", NS) if t.get("text-anchor") == "end"]
    assert labels and all(label is not None and "." not in label for label in labels)
    assert len(set(labels)) == len(labels)  # no "0 0 0 1 1 1"


def test_too_few_points_drawn_without_limits() -> None:
    chart = xmr([(f"q{i}", float(v)) for i, v in enumerate([3, 5, 4, 6])], "up")
    row = _row()
    svg = chart_svg(row, chart)
    assert "too few points for SPC (4; it needs 15)" in svg
    assert description(row, chart).endswith("so no mean or limits are drawn.")
    assert len(ET.fromstring(svg).findall("s:circle", NS)) == 4


def test_a_chart_that_stops_before_the_current_period_gives_no_verdict_in_words(tmp_path: Path) -> None:
    path = tmp_path / "y.csv"
    deaths = "".join(f"Deaths,{2000 + i},{v}\n" for i, v in enumerate([10, 12] * 9 + [11]))
    average = "".join(f"Average,{2000 + i},{v}\n" for i, v in enumerate([10, 12] * 8 + [11, 40]))
    path.write_text("measure,period,value\n" + deaths + average, encoding="utf-8")
    args = ["compare", str(path), "--year-start", "january", "--current", "2018", "--method", "spc", "-f", "json"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    rows = [Comparison.model_validate(c) for c in json.loads(result.stdout)["comparisons"]]
    row = next(r for r in rows if r.measure == "Average")
    assert row.spc is not None and row.spc.variation is None
    text = description(row, row.spc)
    # an average is a number shown to one decimal, not a whole-number count (kpitool.units)
    assert "Latest point 40.0 (2017): no verdict, no value for 2018: the chart's latest point is 2017." in text
    assert "None" not in text
    assert "no value for 2018" in chart_svg(row, row.spc)


def test_chart_command_writes_one_file_per_measure_and_never_overwrites(tmp_path: Path) -> None:
    out = tmp_path / "charts"
    args = ["chart", "Homicide", "999 calls", "-o", str(out), "--config", "examples/kpitool.toml"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["999-calls.svg", "homicide.svg"]
    svg = (out / "homicide.svg").read_text(encoding="utf-8")
    assert "too few points for SPC" in svg
    again = CliRunner().invoke(app, args)
    assert again.exit_code == 2
    assert "exists; use --force" in again.output
    assert CliRunner().invoke(app, [*args, "--force"]).exit_code == 0
