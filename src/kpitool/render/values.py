"""How a comparison's figures read: units, rounding half away from zero, arrows in words."""

from __future__ import annotations

import weakref

from kpitool.models import ARROWS, Comparison, ComparisonReport, Unit
from kpitool.numbers import format_number, format_signed
from kpitool.periods import quarter_span

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
    """``↑ up (worse)`` — the arrow, its direction and what it means for this measure; under the
    statistical methods, what the arrow stands for (``↔ not significant``, ``↓ special cause``)."""
    if c.direction is None:
        return "n/a"
    word = ASSESSMENT_WORD[c.assessment]
    arrow = ARROWS[c.direction]
    meaning = f" ({word})" if word and c.direction != "level" else ""
    if c.method == "significance":
        return (
            f"{arrow} not significant"
            if c.direction == "level"
            else f"{arrow} significant {'rise' if c.direction == 'up' else 'fall'}{meaning}"
        )
    if c.method == "spc":
        return f"{arrow} common cause" if c.direction == "level" else f"{arrow} special cause{meaning}"
    return f"{arrow} {c.direction}{meaning}"


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


def rows_left_out(n: int) -> str:
    return (
        f"{n} input {'row' if n == 1 else 'rows'} with errors {'was' if n == 1 else 'were'} left out (--skip-invalid):"
    )


def _span(c: Comparison) -> str:
    """``Q1–Q2`` for the quarters a current value is made of."""
    return quarter_span([int(q.rsplit("Q", 1)[1]) for q in c.current_quarters])


# the last report's answer, asked once a row; the report held weakly (62,500 rows kept alive to the
# end of the process cost 1.4 s more at its exit, the collector's last passes over them)
_LAST: list[tuple[weakref.ref[ComparisonReport], str | None]] = []


def _common_part_year(report: ComparisonReport) -> str | None:
    """The part of the year every row's value covers, when none is the whole year and all cover the same."""
    if _LAST and _LAST[0][0]() is report:
        return _LAST[0][1]
    spans = {_span(c) for c in report.comparisons if c.current_quarters and not c.projected}
    partial = all(not c.complete for c in report.comparisons if c.current_quarters)
    answer = spans.pop() if len(spans) == 1 and partial else None
    _LAST[:] = [(weakref.ref(report), answer)]
    return answer


def value_heading(report: ComparisonReport) -> str:
    """``2023/24 value`` for a whole year; ``2023/24 Q1–Q2`` (to date) when every row is that part year."""
    common = _common_part_year(report)
    return f"{report.current} {common}" if common else f"{report.current} value"


def value_label(c: Comparison, report: ComparisonReport) -> str:
    """What a value is when the heading does not say it: a projection, or the part year it covers."""
    if c.projected:
        return " (projected)"
    if c.complete or not c.current_quarters or _common_part_year(report):
        return ""
    return f" ({_span(c)})"


def direction_words(c: Comparison) -> str:
    """``↑ up``, ``↔ level``, ``↔ not significant``: the arrow never alone, as ``arrow_words`` says it,
    without its ``(better)`` / ``(worse)`` (the assessment's own column says that)."""
    words = arrow_words(c)
    for word in ("better", "worse"):
        words = words.removesuffix(f" ({word})")
    return words


def assessment_words(c: Comparison) -> str:
    """``improving``, ``worsening``, ``stable``, ``not assessed``; ``n/a`` where nothing was compared."""
    return c.assessment if c.direction else "n/a"
