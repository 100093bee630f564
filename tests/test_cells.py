"""Cells at the edges: the largest magnitude accepted, and why a would-be number is refused."""

from __future__ import annotations

import pytest

from kpitool.numbers import MAX_MAGNITUDE, parse_cell


def test_the_largest_magnitude_is_itself_accepted() -> None:
    assert parse_cell("1,000,000,000,000,000").value == MAX_MAGNITUDE
    assert parse_cell("-1000000000000000").value == -MAX_MAGNITUDE
    too_big = parse_cell("1,000,000,000,000,001")
    assert too_big.value is None and too_big.error == "'1,000,000,000,000,001' is out of range (beyond ±10¹⁵)"


@pytest.mark.parametrize("text", ["inf", "INF", "-inf", "+inf", "Infinity", "NaN"])
def test_every_spelling_of_infinity_or_nan_is_not_a_figure(text: str) -> None:
    cell = parse_cell(text)
    assert cell.value is None and cell.error == f"{text!r} is not a figure"
