"""The table's columns are formatted a column at a time: each cell as it reads alone."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from kpitool.models import Unit
from kpitool.render.values import SPARKS, sparkline, sparklines, value_texts

UNITS: list[Unit] = ["count", "percent", "seconds", "currency", "number"]
FIGURES = st.one_of(st.none(), st.floats(-1e13, 1e13), st.integers(-(10**6), 10**6).map(float))
CELLS = st.tuples(FIGURES, st.sampled_from(UNITS), st.sampled_from([None, "", "[c]", "[r]"]))


@given(st.lists(CELLS, min_size=1, max_size=40), st.booleans())
def test_a_column_of_values_reads_as_each_value_alone(
    cells: list[tuple[float | None, Unit, str | None]], one: bool
) -> None:
    if one:  # a column of one unit (the usual table), else units mixed
        cells = [(v, cells[0][1], m) for v, _, m in cells]
    column = cells * (1 + 40 // len(cells))  # long enough for numpy's path
    values, units, markers = (list(x) for x in zip(*column, strict=True))
    alone = [value_texts([v], [u], [m])[0] for v, u, m in column]
    assert value_texts(values, units, markers) == alone


SERIES = st.lists(st.one_of(st.none(), st.floats(-1e9, 1e9), st.sampled_from([0.0, 1.0, 5.0])), max_size=10)


@given(st.lists(SERIES, min_size=1, max_size=20))
def test_sparklines_of_many_series_are_each_series_alone(series: list[list[float | None]]) -> None:
    many = series * (1 + 40 // len(series))
    assert sparklines(many) == [sparkline(s) for s in many]


def test_a_sparkline_spans_lowest_to_highest_with_gaps() -> None:
    many = [[1.0, None, 8.0, 4.0]] * 40
    assert sparklines(many)[0] == f"{SPARKS[0]} {SPARKS[-1]}{SPARKS[3]}" == sparkline(many[0])
    assert sparklines([[2.0, 2.0]] * 40)[0] == SPARKS[4] * 2
    assert sparklines([[None, 3.0]] * 40)[0] == ""


def test_a_bar_just_under_the_top_is_the_bar_below_it() -> None:
    many = [[0.0, 999.0, 1000.0, 142.0, 143.0]] * 40  # 6.993 and 7; 0.994 and 1.001 eighths
    assert sparklines(many)[0] == SPARKS[0] + SPARKS[6] + SPARKS[7] + SPARKS[0] + SPARKS[1] == sparkline(many[0])


def test_no_figure_reads_n_a_in_every_unit_and_a_marker_stands_for_it() -> None:
    values: list[float | None] = [None, None, None, 1234.5, 12.25]
    units: list[Unit] = ["percent", "currency", "count", "currency", "percent"]
    markers = [None, "[c]", "", "[r]", None]
    expected = ["n/a", "[c]", "n/a", "£1,235 [r]", "12.3%"]
    assert value_texts(values, units, markers) == expected
    assert value_texts(values * 10, units * 10, markers * 10) == expected * 10
