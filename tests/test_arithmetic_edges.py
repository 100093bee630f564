"""The shared arithmetic and rounding allowances at their edges, and restatements of a repeated row."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kpitool import arithmetic as ar
from kpitool.arithmetic import band_direction, direction_of_change, ratio, scale_of, year_value
from kpitool.audit.rounding import Estimate, change_interval, consistent, truncate
from kpitool.validate import validate_files


def test_a_ratio_is_never_aggregated_from_quarters() -> None:
    with pytest.raises(ValueError) as caught:
        year_value([10.0, 20.0], "ratio")
    assert str(caught.value) == "a ratio is computed from its numerator and denominator, not aggregated"


@pytest.mark.parametrize(("unit", "scale"), [("percent", 100.0), ("count", 1.0), ("number", 1.0), ("seconds", 1.0)])
def test_only_a_percent_ratio_is_per_hundred(unit: str, scale: float) -> None:
    assert scale_of(unit) == scale  # type: ignore[arg-type]
    assert ratio(3, 4, scale_of(unit)) == 0.75 * scale  # type: ignore[arg-type]


def test_a_change_below_one_beyond_a_narrow_band_has_a_direction() -> None:
    assert band_direction(0.5, 0.1) == "up" and band_direction(-0.5, 0.1) == "down"
    assert band_direction(0.1, 0.1) == "level"


def test_from_a_zero_baseline_any_rise_is_up() -> None:
    assert direction_of_change(0, 0.5, False, 5.0) == "up"
    assert direction_of_change(0, -0.5, False, 5.0) == "down"
    assert direction_of_change(0, 0, False, 5.0) == "level"


@pytest.mark.parametrize("base", [Estimate(0.5, 0.5), Estimate(-0.5, 0.5), Estimate(0, 0)])
def test_no_percent_change_from_a_baseline_whose_rounding_reaches_zero(base: Estimate) -> None:
    assert change_interval(base, Estimate(12, 0.5), points=False) is None


def test_a_reported_figure_on_the_edge_of_what_rounding_allows_is_consistent() -> None:
    # 4 shown to whole numbers stands for [3.5, 4.5]: it touches an interval starting at 4.5
    assert consistent((4.5, 6.0), 4, 0) and not consistent((4.6, 6.0), 4, 0)
    assert consistent((3.0, 5.5), 6, 0) and not consistent((3.0, 5.4), 6, 0)


@pytest.mark.parametrize(("value", "decimals"), [(0.29, 2), (0.57, 2), (1.15, 2), (-0.29, 2)])
def test_a_figure_already_at_its_precision_is_not_cut_by_truncation(value: float, decimals: int) -> None:
    assert truncate(value, decimals) == value  # 0.29 * 100 is 28.999999999999996 in floating point


def test_a_repeat_within_an_earlier_file_is_restated_once_from_its_last_value(write) -> None:  # type: ignore[no-untyped-def]
    a = write("a.csv", "measure,period,value\nA,2023/24 Q1,30\nA,2023/24 Q1,31\n")
    b = write("b.csv", "measure,period,value\nA,2023/24 Q1,35\n")
    restated = [f for f in validate_files([a, b]).findings if f.code == "restated"]
    assert [f.message for f in restated] == [
        f"A 2023/24 Q1 is restated: 31 in {a} (row 3), 35 here; compare uses this later file"
    ]


@given(
    st.lists(st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=0, max_size=4), max_size=20),
    st.sampled_from([["sum"], ["mean"], ["last"], ["sum", "mean", "last"]]),
)
def test_year_values_of_a_column_are_year_value_of_each(rows: list[list[float]], kinds: list[str]) -> None:
    hows = [kinds[i % len(kinds)] for i in range(len(rows))]
    expected = [ar.year_value(r, h) for r, h in zip(rows, hows, strict=True)]  # type: ignore[arg-type]
    assert ar.year_values(rows, hows) == expected  # type: ignore[arg-type]
    assert [math.copysign(1, v) for v in ar.year_values(rows, hows) if v is not None] == [
        math.copysign(1, v) for v in expected if v is not None
    ]  # -0.0 is -0.0


def test_year_values_refuse_a_ratio_as_year_value_does() -> None:
    with pytest.raises(ValueError, match="numerator and denominator"):
        ar.year_values([[1.0], [2.0]], ["sum", "ratio"])
