from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kpitool.numbers import (
    format_number,
    format_number_column,
    format_signed,
    format_signed_column,
    parse_cell,
    round_half_away,
    rounded_decimal,
    show_value,
)


@pytest.mark.parametrize(
    ("raw", "value", "percent", "decimals"),
    [
        ("1,234", 1234.0, False, 0),
        ("13.7 %", 13.7, True, 1),
        ("-3.5%", -3.5, True, 1),
        ("£453,813", 453813.0, False, 0),
        ("  42 ", 42.0, False, 0),
        ("\u00a01,234,567.25", 1234567.25, False, 2),
        ("\u22125", -5.0, False, 0),
        ("+5", 5.0, False, 0),
        (".5", 0.5, False, 1),
    ],
)
def test_numbers_as_people_type_them(raw: str, value: float, percent: bool, decimals: int) -> None:
    cell = parse_cell(raw)
    assert cell.error is None
    assert cell.value == value
    assert cell.percent is percent
    assert cell.decimals == decimals


@pytest.mark.parametrize("raw", ["", "..", "-", "N/A", "n/a", "[x]", "[c]", "[z]", "[X]"])
def test_missing_markers_are_missing_not_zero(raw: str) -> None:
    cell = parse_cell(raw)
    assert cell.value is None and cell.error is None and cell.missing
    if raw:
        assert cell.marker is not None


def test_number_with_marker_keeps_both() -> None:
    assert parse_cell("12[r]")[:2] == (12.0, "[r]")
    assert parse_cell("340 [e]")[:2] == (340.0, "[e]")
    assert parse_cell("12[q]").error is not None


@pytest.mark.parametrize("raw", ["1,2,3", "nan", "inf", "-inf", "1_000", "12abc", "0x10", "1.2.3", "#DIV/0!", "1,23"])
def test_things_that_only_look_like_numbers_are_errors(raw: str) -> None:
    cell = parse_cell(raw)
    assert cell.value is None and cell.error


def test_rounding_is_half_away_from_zero() -> None:
    assert round_half_away(2.25, 1) == 2.3
    assert round_half_away(-2.25, 1) == -2.3
    assert round_half_away(2.675, 2) == 2.68
    assert round_half_away(0.5, 0) == 1.0
    assert format_number(-0.04, 1) == "0.0"
    assert format_number(1234.5) == "1,235"
    assert format_number(None) == "n/a"
    assert format_signed(5.05, 1, "%") == "+5.1%"
    assert format_signed(0.0, 1) == "0.0"


def _halves(places: int) -> st.SearchStrategy[float]:
    """Figures on or a few floats either side of a half at ``places``: where binary and decimal could part."""
    tie = st.integers(-(10**9), 10**9).map(lambda n: (n + 0.5) / 10**places)
    return st.tuples(tie, st.integers(-3, 3)).map(lambda t: _nudged(t[0], t[1]))


def _nudged(x: float, steps: int) -> float:
    for _ in range(abs(steps)):
        x = math.nextafter(x, math.inf if steps > 0 else -math.inf)
    return x


@given(st.data(), st.integers(0, 10))
def test_rounding_in_binary_is_the_decimal_rule(data: st.DataObject, places: int) -> None:
    """The binary shortcut gives the float the rule on the shortest decimal text gives, bit for bit
    (-0.0 included), for any figure and on every side of a half."""
    value = data.draw(
        st.one_of(
            st.floats(allow_nan=False, allow_infinity=False, min_value=-1e15, max_value=1e15),
            st.decimals(-(10**8), 10**8, places=places + 1).map(float),
            _halves(places),
        )
    )
    expected = value if value.is_integer() or abs(value) >= 1e15 else rounded_decimal(value, places)
    got = round_half_away(value, places)
    assert math.copysign(1.0, got) == math.copysign(1.0, expected) and got == expected


def test_rounding_near_a_half_is_decided_in_decimal() -> None:
    assert round_half_away(2.675, 2) == 2.68  # binary 2.67499999… is "2.675" to a reader
    assert round_half_away(1.005, 2) == 1.01 and round_half_away(-1.005, 2) == -1.01  # 1.00499999… in binary
    assert round_half_away(-0.05, 1) == -0.1 and round_half_away(0.15, 1) == 0.2
    assert math.copysign(1.0, round_half_away(-0.04, 1)) == -1.0  # -0.0, as Decimal gives it


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_grouped_integers_round_trip(n: int) -> None:
    assert parse_cell(f"{n:,}").value == float(n)


@given(st.decimals(min_value=-(10**6), max_value=10**6, places=2, allow_nan=False, allow_infinity=False))
def test_percentages_round_trip(d) -> None:  # type: ignore[no-untyped-def]
    cell = parse_cell(f"{d}%")
    assert cell.percent and cell.error is None
    assert cell.value == pytest.approx(float(d))


@given(st.text(max_size=30))
def test_parse_cell_never_raises(text: str) -> None:
    cell = parse_cell(text)
    assert (cell.value is None) or cell.error is None
    if cell.value is not None:  # a value comes from digits in the text, never from nothing
        assert any(ch.isdigit() for ch in text)
    else:
        assert cell.error or cell.marker or not text.strip()


@given(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False), st.integers(min_value=0, max_value=3))
def test_formatted_numbers_read_back(value: float, places: int) -> None:
    text = format_number(value, places)
    cell = parse_cell(text)
    assert cell.error is None and cell.decimals == places
    assert cell.value == pytest.approx(round_half_away(value, places), abs=10.0**-places)


def test_values_in_messages_are_shown_exactly() -> None:
    assert show_value(1234567.0) == "1,234,567"  # not 1.23457e+06
    assert show_value(13.7) == "13.7" and show_value(-0.25) == "-0.25"
    assert show_value(None) == "missing" and show_value(float("nan")) == "missing"


@pytest.mark.parametrize("text", ["x", "X", "c", "z", "u", ":", "*", "..", "-"])
def test_bare_markers_as_published_are_missing_values(text: str) -> None:
    cell = parse_cell(text)
    assert cell.value is None and cell.error is None and cell.marker == text


def test_a_project_adds_its_own_missing_markers() -> None:
    assert parse_cell("n.k.").error is not None
    assert parse_cell("n.k.", frozenset({"n.k."})) == (None, "n.k.", False, 0, None)


_FIGURES = st.one_of(
    st.none(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(min_value=-1e13, max_value=1e13),
    st.integers(-(10**9), 10**9).map(float),
    st.integers(0, 10).flatmap(_halves),
    # figures of one place more than shown, as means of published figures are (54.95 to one place)
    st.integers(0, 9).flatmap(lambda p: st.decimals(-(10**8), 10**8, places=p + 1).map(float)),
)


@given(st.lists(_FIGURES, max_size=80), st.integers(0, 10))
def test_a_column_of_figures_reads_as_each_figure_alone(values: list[float | None], places: int) -> None:
    """The numpy column (32 figures or more) gives each figure's own text, halves and -0 included."""
    column = values * (1 + 32 // max(len(values), 1))  # long enough for the column path
    assert format_number_column(column, places) == [format_number(v, places) for v in column]
    assert format_signed_column(column, places, "%") == [format_signed(v, places, "%") for v in column]


def test_a_column_rounds_halves_as_their_shortest_text_reads() -> None:
    """Near a half, the column decides in binary what Decimal decides on the figure's shortest text."""
    near = [54.95, 57.349999999999994, 2.675, 1.005, -1.005, 0.15, -0.05, 12.5, -2.5, 0.125, 1.0049999999999999]
    for places in (0, 1, 2):
        column = [_nudged(v, step) for v in near for step in (-1, 0, 1)] * 2
        expected = [format_number(v, places) for v in column]
        assert format_number_column(column, places) == expected
    assert format_number_column([54.95] * 40, 1) == ["55.0"] * 40  # "54.95": away from zero
    assert format_number_column([2.675] * 40, 2) == ["2.68"] * 40


@given(st.lists(st.tuples(_FIGURES, st.integers(0, 10)), min_size=1, max_size=40))
def test_a_column_of_figures_each_to_its_own_places(cells: list[tuple[float | None, int]]) -> None:
    column = cells * (1 + 32 // len(cells))
    values, places = [v for v, _ in column], [p for _, p in column]
    assert format_number_column(values, places) == [format_number(v, p) for v, p in column]
    suffixes = ["%" if n % 3 else "" for n in range(len(column))]
    assert format_number_column(values, places, suffixes) == [
        t if t == "n/a" else t + s for t, s in zip((format_number(v, p) for v, p in column), suffixes, strict=True)
    ]
    each = [" pp" if n % 2 else "%" for n in range(len(column))]
    assert format_signed_column(values, places, each) == [
        format_signed(v, p, s) for (v, p), s in zip(column, each, strict=True)
    ]
    few = column[:3]  # the figure-by-figure path, below a column's batch
    assert format_signed_column([v for v, _ in few], [p for _, p in few], each[:3]) == [
        format_signed(v, p, s) for (v, p), s in zip(few, each, strict=False)
    ]
    assert format_number_column([v for v, _ in few], [p for _, p in few], suffixes[:3]) == [
        t if t == "n/a" else t + s for t, s in zip((format_number(v, p) for v, p in few), suffixes, strict=False)
    ]
    assert format_signed_column(values, places, " pp") == [format_signed(v, p, " pp") for v, p in column]
