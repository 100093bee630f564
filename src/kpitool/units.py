"""What a measure's name says of its unit, and the unit a measure no catalogue describes is taken as.

One rule for every shape: a long file's measure column, a report table's row label and a column
headed by its measure (measures in columns) all name a measure, and its name is read the same way
wherever it comes from. A catalogue's ``unit`` always wins: nothing here is asked for a measure the
catalogue describes.

- A name that says ``percentage``, ``percent``, ``per cent``, ``pct`` or ``%`` (``Detection rate (%)``,
  ``% detected``) is a percentage, its figures with or without ``%`` signs — unless it also says a
  change (``Offences (% change)``, ``% difference``): a % change is not a share of a whole (it can
  be −40 or +250), and is taken as a number; and unless it is a bare ``%`` sign (a heading that
  names no measure: a published change or share); and unless it says it counts (``Number of
  percent-coded records``). A change in percentage points (``Change (pp)``) is a number.
- A name that says ``average``, ``mean``, ``median`` or ``percentile`` is a number with decimals, not a count,
  even when its figures are written whole (``12.0``): the year is their mean, which need not be whole.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kpitool.models import Aggregate, Unit

PERCENT_WORDS_RE = re.compile(r"\b(percentages?|percent|per\s?cent|pct)\b|%", re.IGNORECASE)
CHANGE_WORDS_RE = re.compile(
    r"\b(change[sd]?|diff|difference|variance|variation|increase|decrease|growth|reduction|vs|versus)\b|\+/-",
    re.IGNORECASE,
)
AVERAGE_WORDS_RE = re.compile(r"\b(average|avg|mean|median|percentiles?)\b", re.IGNORECASE)
# "Number of percent-coded records" counts records, whatever word follows
COUNT_NAME_RE = re.compile(r"^\s*(number|count|no\.?|total|sum)\s+of\b", re.IGNORECASE)
POINTS_RE = re.compile(r"\b(pp|p\.p\.|percentage points?|% points?)\b", re.IGNORECASE)


def says_count(name: str) -> bool:
    """Does the name say it counts (``Number of …``, ``Count of …``), whatever words follow?"""
    return bool(COUNT_NAME_RE.search(name))


def says_percent(name: str) -> bool:
    """Does the name say its figures are percentages (and not a change, and more than a ``%`` sign)?
    A measure named ``percent`` alone is one (NRS's deaths tables head their share so)."""
    if not PERCENT_WORDS_RE.search(name) or CHANGE_WORDS_RE.search(name) or says_count(name):
        return False
    return bool(re.search(r"[^\W\d_]", name))


def says_percent_change(name: str) -> bool:
    """Does the name say a % change (``Offences (% change)``) — a figure that is not a percentage of a whole?"""
    return bool(PERCENT_WORDS_RE.search(name) and CHANGE_WORDS_RE.search(name))


def says_average(name: str) -> bool:
    """Does the name say an average (``Average answer time``, ``Mean days to charge``)?"""
    return bool(AVERAGE_WORDS_RE.search(name))


def inferred_unit(name: str, *, percent: bool, fractional: bool) -> tuple[Unit, str]:
    """The unit of a measure no catalogue describes, and why when its name decided it ("" when its
    figures did). ``percent``: a figure was written with a % sign; ``fractional``: a figure is
    negative or not whole."""
    if percent:
        return "percent", ""
    if says_percent(name):
        return "percent", "its name says so"
    if says_percent_change(name):
        return "number", "its name says a % change, not a percentage of a whole"
    if POINTS_RE.search(name) and not says_count(name):
        return "number", "its name says a change in percentage points"
    if says_average(name):
        return "number", "its name says an average, not a count"
    return ("number" if fractional else "count"), ""


def inferred_note(unit: Unit, how: Aggregate, why: str) -> str:
    """The note of a row no catalogue describes: what it was taken as (and why, when its name said)."""
    because = f" ({why})" if why else ""
    return f"Not in a catalogue: taken as a {unit} measure{because}, year = {how} of the quarters, no polarity."
