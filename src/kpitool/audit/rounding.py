"""Published figures are rounded: each stands for an interval, and a check allows for it."""

from __future__ import annotations

import math
from dataclasses import dataclass

from kpitool.arithmetic import EDGE, headline_change
from kpitool.numbers import format_number


def half(decimals: int) -> float:
    """Half a unit of the last shown digit of an input: how far a rounded figure can be from the truth.

    Whole numbers in a report table are taken as exact (counts are counted, not rounded).
    """
    return 0.5 * 10.0**-decimals if decimals > 0 else 0.0


def shown_half(decimals: int) -> float:
    """Half a unit of the last digit of a reported figure (integers too: 12 stands for [11.5, 12.5))."""
    return 0.5 * 10.0**-decimals


@dataclass
class Estimate:
    """A value and how far the truth may be from it, given the rounding of what it came from."""

    value: float
    error: float = 0.0

    @property
    def lo(self) -> float:
        return self.value - self.error

    @property
    def hi(self) -> float:
        return self.value + self.error


def change_interval(base: Estimate, cur: Estimate, points: bool) -> tuple[float, float] | None:
    """The range of % change (or pp) that inputs within their rounding allow."""
    if points:
        return (cur.lo - base.hi, cur.hi - base.lo)
    if base.lo <= 0 <= base.hi:
        return None
    corners = [headline_change(b, c, False) for b in (base.lo, base.hi) for c in (cur.lo, cur.hi)]
    values = [c for c in corners if c is not None]
    return (min(values), max(values))


def consistent(interval: tuple[float, float] | None, reported: float, decimals: int) -> bool:
    """Could ``reported``, shown to ``decimals`` places, be a rounding of a value in ``interval``?"""
    if interval is None:
        return False
    h = shown_half(decimals)
    return interval[0] - h - EDGE <= reported <= interval[1] + h + EDGE


def truncate(value: float, decimals: int) -> float:
    factor = 10.0**decimals
    return math.trunc(value * factor + math.copysign(EDGE, value)) / factor


def fmt(value: float | None, decimals: int = 0) -> str:
    return format_number(value, decimals)
