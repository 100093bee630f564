"""The arithmetic of a KPI table, in one place: ``compare`` and the audit of published tables
both call it, so the table kpitool prints is the table its audit accepts.

Pure functions of numbers (no frames, no models but the measure's settings): how quarters
make a year, ratios, changes, the tolerance band, assessment, and what "missing" means.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from kpitool.units import says_count

if TYPE_CHECKING:
    from kpitool.models import Aggregate, Assessment, Direction, Measure, Unit

DEFAULT_TOLERANCE = 5.0
# The band is inclusive, and a change computed in floating point can land a hair outside an
# edge it sits on: 1 -> 1.05 is (1.05 - 1) / 1 * 100 = 5.000000000000004, not 5. Changes closer to the
# edge than this are on it.
EDGE = 1e-9

# How quarters make a year when the catalogue does not say: flows and money add up; a
# percentage, a time or an average is averaged (a rate is better declared as a ratio).
DEFAULT_AGGREGATE: dict[Unit, Aggregate] = {
    "count": "sum",
    "currency": "sum",
    "number": "sum",
    "percent": "mean",
    "seconds": "mean",
}


# A row whose name says it is an average or a rate is not a flow to add up.
AVERAGE_NAME_RE = re.compile(
    r"\b(average|avg|mean|median|percentiles?|rate|per\s?cent|percentage|proportion)\b|%", re.IGNORECASE
)


def inferred_aggregate(name: str, *, percent: bool, stock: bool) -> Aggregate:
    """How quarters make a year for a measure no catalogue describes."""
    if percent or (AVERAGE_NAME_RE.search(name) and not says_count(name)):
        return "mean"
    return "last" if stock else "sum"


def is_missing(value: float | None) -> bool:
    """None and NaN are missing values: never zero, never a number to add."""
    return value is None or value != value


def known(value: float | None) -> float | None:
    """The value as a float, or None when it is missing."""
    return None if value is None or value != value else float(value)


def year_value(values: Sequence[float], how: Aggregate) -> float | None:
    """How the quarters present make a year: sum (flows), last (stocks), mean (averages).

    A ``ratio`` is never aggregated from its quarterly values: use ``ratio`` on its terms.
    """
    if not values:
        return None
    if how == "sum":
        return math.fsum(values)
    if how == "last":
        return values[-1]
    if how == "mean":
        return math.fsum(values) / len(values)
    raise ValueError("a ratio is computed from its numerator and denominator, not aggregated")


def year_values(rows: Sequence[Sequence[float]], hows: Sequence[Aggregate]) -> list[float | None]:
    """``year_value`` of each row by its aggregate, a column of rows at a time (the same values)."""
    if "ratio" in hows:
        return [year_value(values, how) for values, how in zip(rows, hows, strict=True)]  # it says why not
    fsum = math.fsum
    return [
        None
        if not values
        else fsum(values)
        if how == "sum"
        else values[-1]
        if how == "last"
        else fsum(values) / len(values)
        for values, how in zip(rows, hows, strict=True)
    ]


def ratio(numerator: float | None, denominator: float | None, scale: float = 1.0) -> float | None:
    """numerator / denominator × scale; None when a term is missing or the denominator is zero."""
    if is_missing(numerator) or is_missing(denominator) or denominator == 0:
        return None
    assert numerator is not None and denominator is not None
    return numerator / denominator * scale


def scale_of(unit: Unit) -> float:
    """A percent ratio is stated per hundred; any other per one."""
    return 100.0 if unit == "percent" else 1.0


def relative_change(baseline: float | None, current: float | None) -> float | None:
    """(current − baseline) / |baseline| in %; None for a zero or missing baseline."""
    if is_missing(baseline) or is_missing(current) or baseline == 0:
        return None
    assert baseline is not None and current is not None
    return (current - baseline) / abs(baseline) * 100.0


def absolute_change(baseline: float | None, current: float | None) -> float | None:
    if is_missing(baseline) or is_missing(current):
        return None
    assert baseline is not None and current is not None
    return current - baseline


def headline_change(baseline: float | None, current: float | None, points: bool) -> float | None:
    """The change the band applies to: percentage points for percent measures, else %."""
    return absolute_change(baseline, current) if points else relative_change(baseline, current)


def band_direction(change: float | None, tolerance: float) -> Direction | None:
    """↔ when |change| ≤ tolerance (the edge is inside the band), else ↑ or ↓."""
    if change is None:
        return None
    if abs(change) <= tolerance + EDGE:
        return "level"
    return "up" if change > 0 else "down"


def direction_of_change(
    baseline: float | None, current: float | None, points: bool, tolerance: float
) -> Direction | None:
    """The arrow for a baseline and a current value; with a zero baseline it follows the absolute change."""
    headline = headline_change(baseline, current, points)
    if headline is None and baseline == 0 and not is_missing(current):
        assert current is not None
        return "level" if current == 0 else ("up" if current > 0 else "down")
    return band_direction(headline, tolerance)


def tolerance_for(measure: Measure | None, band: float) -> float:
    """A measure's own band if the catalogue gives one, else the project's."""
    if measure is not None and measure.tolerance is not None:
        return measure.tolerance
    return band


def assess(direction: Direction | None, polarity: str) -> Assessment:
    """Direction and polarity: ↑ for a higher-is-better measure is improving, and so on."""
    if direction is None or polarity == "neutral":
        return "not assessed"
    if direction == "level":
        return "stable"
    good = (direction == "up") == (polarity == "up")
    return "improving" if good else "worsening"
