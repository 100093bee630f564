"""How a comparison's figures read: units, rounding half away from zero, arrows in words."""

from __future__ import annotations

from kpitool.models import ARROWS, Comparison, Unit
from kpitool.numbers import format_number, format_signed

PLACES: dict[Unit, int] = {"count": 0, "percent": 1, "seconds": 1, "currency": 0, "number": 1}
SPARKS = "▁▂▃▄▅▆▇█"
ASSESSMENT_WORD = {"improving": "better", "worsening": "worse", "stable": "stable", "not assessed": ""}


def value_text(value: float | None, unit: Unit, marker: str | None = None) -> str:
    if value is None:
        return marker or "n/a"
    text = format_number(value, PLACES[unit])
    if unit == "percent":
        text += "%"
    elif unit == "currency":
        text = ("-£" + text[1:]) if text.startswith("-") else "£" + text
    return text + (f" {marker}" if marker else "")


def change_text(c: Comparison) -> str:
    return format_signed(c.change, PLACES[c.unit] if c.unit != "percent" else 1)


def pct_text(c: Comparison) -> str:
    if c.change_unit == "pp":
        return format_signed(c.change, 1, " pp")
    return format_signed(c.change_pct, 1, "%")


def arrow_words(c: Comparison) -> str:
    """``↑ up (worse)`` — the arrow, its direction and what it means for this measure."""
    if c.direction is None:
        return "n/a"
    word = ASSESSMENT_WORD[c.assessment]
    return f"{ARROWS[c.direction]} {c.direction}" + (f" ({word})" if word and c.direction != "level" else "")


def sparkline(values: list[float | None]) -> str:
    known = [v for v in values if v is not None]
    if len(known) < 2:
        return ""
    lo, hi = min(known), max(known)
    span = hi - lo
    out = []
    for v in values:
        if v is None:
            out.append(" ")
        else:
            out.append(SPARKS[int((v - lo) / span * (len(SPARKS) - 1)) if span else len(SPARKS) // 2])
    return "".join(out)
