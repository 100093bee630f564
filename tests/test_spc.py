"""SPC: the XmR chart and the Making Data Count rules, against hand-worked 24-point series."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from kpitool.cli import app
from kpitool.methods.spc import assurance, xmr


def chart(values: list[float], polarity: str = "neutral", target: float | None = None, since: int = 0):  # type: ignore[no-untyped-def]
    return xmr([(f"p{i}", v) for i, v in enumerate(values)], polarity, target, since)  # type: ignore[arg-type]


def rules(c) -> set[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return {(s.rule, s.side) for s in c.signals}


def test_beyond_a_limit_with_a_screened_moving_range() -> None:
    """10, 12 alternating for 23 points, then 20. Sum 272: mean 11.3333. Moving ranges: 22 of 2
    and one of 10; their mean 2.3478, and 10 ≥ 3.267 × 2.3478 = 7.67 is left out, so the mean
    moving range is 44 / 22 = 2. Limits 11.3333 ± 2.66 × 2 = 6.0133 to 16.6533: 20 is beyond."""
    c = chart([10, 12] * 11 + [10, 20], polarity="down")
    assert c.mean == pytest.approx(11.3333, abs=1e-4)
    assert c.moving_range == pytest.approx(2.0)
    assert c.ranges_left_out == 1
    assert (c.lower, c.upper) == (pytest.approx(6.0133, abs=1e-4), pytest.approx(16.6533, abs=1e-4))
    assert rules(c) == {("beyond a limit", "high")}
    assert (c.variation, c.rule) == ("special cause concern", "beyond the upper limit")


def test_run_of_points_above_the_mean() -> None:
    """9, 11 for 16 points (all below the mean), 15, then seven 13s. Sum 266: mean 11.0833. The
    16 low points are a run below; the last 8 a run above. Moving ranges 15 × 2, 4, 2 and six 0:
    36 / 23 = 1.5652; upper limit 15.2468, so 15 is inside; 2σ above is 13.8585, 15 alone."""
    c = chart([9, 11] * 8 + [15] + [13] * 7, polarity="up")
    assert c.mean == pytest.approx(11.0833, abs=1e-4)
    assert c.moving_range == pytest.approx(1.5652, abs=1e-4)
    assert c.upper == pytest.approx(15.2468, abs=1e-4)
    assert rules(c) == {("run", "low"), ("run", "high")}
    high = next(s for s in c.signals if s.side == "high")
    assert high.periods == [f"p{i}" for i in range(16, 24)]
    assert (c.variation, c.rule) == ("special cause improvement", "8 points above the mean")


def test_a_point_on_the_mean_breaks_a_run() -> None:
    """As above with the fourth 13 replaced by 11, which makes the mean exactly 11 (264 / 24):
    4 points above, one on the mean, 3 above — no run; and the 11s of the first 16 points are on
    the mean too, so the 9s make no run below."""
    c = chart([9, 11] * 8 + [15, 13, 13, 13, 11, 13, 13, 13], polarity="up")
    assert c.mean == 11
    assert c.signals == []
    assert c.variation == "common cause" and c.rule is None


def test_trend_of_rising_points() -> None:
    """10, 12 for 16 points, then 8 up to 15 in steps of 1: 8 points each higher than the last."""
    c = chart([10, 12] * 8 + list(range(8, 16)), polarity="up")
    assert c.mean == pytest.approx(268 / 24)
    assert ("trend", "high") in rules(c)
    trend = next(s for s in c.signals if s.rule == "trend")
    assert trend.periods == [f"p{i}" for i in range(16, 24)]
    assert (c.variation, c.rule) == ("special cause improvement", "8 points rising")


def test_a_tie_breaks_a_trend() -> None:
    """8, 9, 10, 11, 11, 12, 13, 14: the tie leaves two rises of four points, no trend."""
    c = chart([10, 12] * 8 + [8, 9, 10, 11, 11, 12, 13, 14], polarity="up")
    assert c.mean == 11
    assert c.upper == pytest.approx(11 + 2.66 * 40 / 23)
    assert c.signals == []
    assert c.variation == "common cause"


def test_two_of_three_beyond_two_sigma() -> None:
    """11, 12 for 20 points, then 11.5, 14, 11.5, 14. Sum 281: mean 11.7083. Moving ranges 19 × 1,
    0.5 and three 2.5: 27 / 23 = 1.1739; σ = 1.1739 / 1.128 = 1.0407, so 2σ above is 13.7897 and
    the upper limit 14.8309. 14 and 14 are two of the last three beyond 2σ, inside the limits."""
    c = chart([11, 12] * 10 + [11.5, 14, 11.5, 14], polarity="down")
    assert c.mean == pytest.approx(11.7083, abs=1e-4)
    assert c.moving_range == pytest.approx(1.1739, abs=1e-4)
    assert c.upper == pytest.approx(14.8309, abs=1e-4)
    assert rules(c) == {("two of three beyond 2σ", "high")}
    assert c.signals[0].periods == ["p21", "p23"]
    assert (c.variation, c.rule) == ("special cause concern", "2 of 3 points beyond 2σ above the mean")


def test_falling_trend_for_a_neutral_measure() -> None:
    c = chart([10, 12] * 8 + list(range(15, 7, -1)))
    assert ("trend", "low") in rules(c)
    assert c.variation == "special cause"


def test_too_few_points() -> None:
    c = chart([10, 12] * 7)
    assert c.variation is None
    assert c.reason == "too few points for SPC (14; it needs 15)"


def test_rebase_takes_limits_from_the_new_process() -> None:
    """A step from about 10 to about 20 at point 15: on one chart the last 15 are a run above the
    mean; rebased at the step they are the new process, common cause."""
    values = [10, 11] * 7 + [10] + [20, 21] * 7 + [20]
    whole = chart(values, polarity="up")
    assert whole.variation == "special cause improvement"
    rebased = chart(values, polarity="up", since=15)
    assert rebased.since == "p15"
    assert rebased.mean == pytest.approx((20 + 21) * 7 / 15 + 20 / 15)
    assert rebased.variation == "common cause"


def test_assurance_against_a_target() -> None:
    assert assurance("up", 5, upper=20, lower=8) == "consistently passing"
    assert assurance("up", 25, upper=20, lower=8) == "consistently failing"
    assert assurance("up", 10, upper=20, lower=8) == "may pass or fail"
    assert assurance("down", 25, upper=20, lower=8) == "consistently passing"
    assert assurance("down", 5, upper=20, lower=8) == "consistently failing"
    assert assurance("neutral", 5, upper=20, lower=8) is None


def _months_file(tmp_path, values: list[float]):  # type: ignore[no-untyped-def]
    lines = ["measure,period,value"]
    for i, v in enumerate(values):
        year, month = divmod(2023 * 12 + 3 + i, 12)  # from April 2023
        lines.append(f"Answer time,{year}-{month + 1:02d},{v}")
    path = tmp_path / "months.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    toml = tmp_path / "kpitool.toml"
    toml.write_text(
        '[project]\nmethod = "spc"\n\n[[measure]]\nname = "Answer time"\nunit = "seconds"\npolarity = "down"\n'
        "target = 12\n",
        encoding="utf-8",
    )
    return path, toml


def test_compare_by_spc_on_monthly_data(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """24 months, the last 8 above the mean: special cause concern for a lower-is-better measure."""
    path, toml = _months_file(tmp_path, [9, 11] * 8 + [15] + [13] * 7)
    result = CliRunner().invoke(
        app, ["compare", str(path), "--config", str(toml), "--baseline", "2023/24", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    row = report["comparisons"][0]
    assert report["method"] == "spc"
    assert row["method"] == "spc"
    assert row["spc"]["latest"] == "2025-03"
    assert row["spc"]["variation"] == "special cause concern"
    assert row["direction"] == "up" and row["assessment"] == "worsening"
    assert row["spc"]["assurance"] == "may pass or fail"
    assert row["target"] == 12 and row["target_met"] is False  # the 2024/25 mean is 146 / 12 = 12.17
    assert any("special cause concern, 8 points above the mean" in n for n in row["notes"])


def test_spc_with_too_few_points_falls_back_to_the_band() -> None:
    result = CliRunner().invoke(
        app, ["compare", "--config", "examples/kpitool.toml", "--baseline", "2022/23", "--method", "spc", "-f", "json"]
    )
    assert result.exit_code == 0, result.output
    row = next(c for c in json.loads(result.stdout)["comparisons"] if c["measure"] == "999 calls")
    assert row["method"] == "band"
    assert row["spc"]["reason"].startswith("too few points for SPC")
    assert any("No SPC (too few points" in n for n in row["notes"])


def test_rebase_from_the_catalogue(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """30 months with a step at the 16th (2024-07): rebased there, the latest 15 are common cause."""
    path, toml = _months_file(tmp_path, [10, 11] * 7 + [10] + [20, 21] * 7 + [20])
    toml.write_text(toml.read_text(encoding="utf-8").replace("target = 12", 'rebase = ["2024-07"]'), encoding="utf-8")
    args = ["compare", str(path), "--config", str(toml), "--current", "2025/26", "--baseline", "2024/25", "-f", "json"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    chart = json.loads(result.stdout)["comparisons"][0]["spc"]
    assert chart["since"] == "2024-07"
    assert len(chart["periods"]) == 15 and chart["periods"][-1] == "2025-09"
    assert chart["variation"] == "common cause"
    toml.write_text(toml.read_text(encoding="utf-8").replace('rebase = ["2024-07"]', ""), encoding="utf-8")
    unrebased = json.loads(CliRunner().invoke(app, args).stdout)["comparisons"][0]["spc"]
    assert unrebased["since"] is None and len(unrebased["periods"]) == 30


def test_a_month_without_a_value_is_named_not_charted(tmp_path) -> None:  # type: ignore[no-untyped-def]
    values: list[float] = [10, 11] * 12
    path, toml = _months_file(tmp_path, values)
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(line for line in lines if ",2024-02," not in line) + "\n", encoding="utf-8")
    result = CliRunner().invoke(
        app, ["compare", str(path), "--config", str(toml), "--baseline", "2023/24", "-f", "json"]
    )
    assert result.exit_code == 0, result.output
    row = json.loads(result.stdout)["comparisons"][0]
    assert row["spc"]["gaps"] == ["2024-02"]
    assert len(row["spc"]["periods"]) == 23
    assert any("No value for 2024-02: left out of the chart" in n for n in row["notes"])


def test_rare_events_give_no_limits() -> None:
    """Mostly 0 with a 1 now and then: the screened moving ranges are all 0, so there are no
    limits to read, and no verdict."""
    values = [0.0] * 30
    for i in (4, 15, 27):
        values[i] = 1.0
    c = chart(values, polarity="down")
    assert c.variation is None and c.upper is None
    assert c.reason is not None and "rare events need a g or t chart" in c.reason


def test_no_assurance_for_a_flow_against_its_years_target(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A target for the year's total is not a target for each month's count."""
    path, toml = _months_file(tmp_path, [9, 11] * 12)
    toml.write_text(toml.read_text(encoding="utf-8").replace('unit = "seconds"', 'unit = "count"'), encoding="utf-8")
    result = CliRunner().invoke(
        app, ["compare", str(path), "--config", str(toml), "--baseline", "2023/24", "-f", "json"]
    )
    assert result.exit_code == 0, result.output
    row = json.loads(result.stdout)["comparisons"][0]
    assert row["aggregate"] == "sum" and row["spc"]["assurance"] is None
    assert row["target_met"] is False  # the year's 120 against 12


def test_the_signals_a_rule_order_passes_over_are_said() -> None:
    """Above the upper limit and falling for 9 points: the limit decides, the trend is said too."""
    from kpitool.methods import spc_sentence

    c = chart([10, 11] * 6 + list(range(30, 21, -1)) + [40], polarity="up")
    c2 = chart([10, 11] * 6 + list(range(40, 31, -1)), polarity="up")
    assert c2.rule == "beyond the upper limit"
    assert ("trend", "low") in rules(c2)
    assert "Also at the latest point: 9 points falling." in spc_sentence(c2)
    assert c.variation == "special cause improvement"


def test_an_annual_series_is_charted_by_year(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "y.csv"
    path.write_text("measure,period,value\n" + "".join(f"Deaths,{2000 + i},{v}\n" for i, v in enumerate([10, 12] * 9)))
    args = ["compare", str(path), "--year-start", "january", "--method", "spc", "-f", "json"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    chart = json.loads(result.stdout)["comparisons"][0]["spc"]
    assert chart["periods"][0] == "2000" and chart["periods"][-1] == "2017" and len(chart["periods"]) == 18
    assert chart["variation"] == "common cause"


def _annual_file(tmp_path):  # type: ignore[no-untyped-def]
    """Deaths 2000–2018; an average whose last value, 2017 far above its limit, is a year before
    the current one."""
    path = tmp_path / "y.csv"
    deaths = "".join(f"Deaths,{2000 + i},{v}\n" for i, v in enumerate([10, 12] * 9 + [11]))
    average = "".join(f"Average,{2000 + i},{v}\n" for i, v in enumerate([10, 12] * 8 + [11, 40]))
    path.write_text("measure,period,value\n" + deaths + average, encoding="utf-8")
    return path


def test_no_arrow_for_a_row_without_a_current_value(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The chart's latest point is 2017, beyond the upper limit; but the current year is 2018, which
    has no value: no arrow and no verdict, said."""
    path = _annual_file(tmp_path)
    args = ["compare", str(path), "--year-start", "january", "--baseline", "2017", "--current", "2018"]
    result = CliRunner().invoke(app, [*args, "--method", "spc", "-f", "json"])
    assert result.exit_code == 0, result.output
    rows = {c["measure"]: c for c in json.loads(result.stdout)["comparisons"]}
    row = rows["Average"]
    assert row["current_value"] is None
    assert row["direction"] is None and row["assessment"] == "not assessed" and row["method"] == "band"
    assert row["spc"]["variation"] is None and row["spc"]["rule"] is None
    assert row["spc"]["periods"][-1] == "2017"
    assert "No SPC (no value for 2018: the chart's latest point is 2017): no arrow." in row["notes"]
    assert not any("special cause" in n for n in row["notes"])
    assert rows["Deaths"]["method"] == "spc" and rows["Deaths"]["spc"]["latest"] == "2018"
    table = CliRunner().invoke(app, [*args, "--method", "spc", "-f", "csv"])
    assert table.exit_code == 0, table.output
    line = next(x for x in table.stdout.splitlines() if x.startswith(",,Average,"))
    assert "special cause" not in line and ",band,," in line and ",n/a,not assessed," in line


def test_significance_draws_no_arrow_for_a_row_without_a_current_value(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = _annual_file(tmp_path)
    args = ["compare", str(path), "--year-start", "january", "--baseline", "2017", "--current", "2018"]
    result = CliRunner().invoke(app, [*args, "--method", "significance", "-f", "json"])
    assert result.exit_code == 0, result.output
    row = next(c for c in json.loads(result.stdout)["comparisons"] if c["measure"] == "Average")
    assert row["current_value"] is None and row["direction"] is None and row["significance"] is None
