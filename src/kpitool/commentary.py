"""Drafted commentary: plain sentences built from one comparison row, for an officer to edit.

Deterministic and factual: each sentence states a figure of the row (the value, the change
against the baseline and against the previous quarter, the direction in words, what the measure's
polarity makes of it, what the significance test or control chart found, the target) or a caveat
the figures call for (small numbers, as the comparison marks them; a part year; a projection).
Nothing here says why a figure moved: a cause is the analyst's to write.
"""

from __future__ import annotations

import re

from kpitool.methods import SMALL
from kpitool.models import Comparison, Delta, Unit
from kpitool.numbers import format_number, round_half_away
from kpitool.render.values import PLACES

_UNIT_WORDS: dict[Unit, str] = {"seconds": " seconds", "count": "", "number": "", "percent": "%", "currency": ""}
_UNIT_IN_NAME = re.compile(r"\s*\((?:seconds|secs|%|per ?cent|percent|£|number|count)\)\s*$", re.IGNORECASE)


def measure_name(c: Comparison) -> str:
    """The name as a sentence's subject: a trailing unit in brackets is said by the figures instead."""
    return _UNIT_IN_NAME.sub("", c.measure).strip() or c.measure


def amount(value: float, unit: Unit) -> str:
    """A figure in words' company: ``10.3 seconds``, ``12.6%``, ``£1,200``, ``112,454``."""
    text = format_number(abs(value), PLACES[unit])
    sign = "-" if round_half_away(value, PLACES[unit]) < 0 else ""
    if unit == "currency":
        return f"{sign}£{text}"
    return f"{sign}{text}{_UNIT_WORDS[unit]}"


def _size(change: float, unit: Unit) -> str:
    """The size of a change in its unit: percentage points for a percentage."""
    if unit == "percent":
        points = format_number(abs(change), 1)
        return f"{points} percentage {'point' if points == '1.0' else 'points'}"
    return amount(abs(change), unit)


def _rounds_to_zero(change: float, unit: Unit) -> bool:
    return round_half_away(change, PLACES[unit] if unit != "percent" else 1) == 0


def change_phrase(change: float, pct: float | None, unit: Unit) -> str:
    """``an increase of 5,412 (+5.1%)``, ``a decrease of 1.1 percentage points``, ``no change``."""
    if _rounds_to_zero(change, unit):
        return "no change"
    kind = "an increase" if change > 0 else "a decrease"
    text = f"{kind} of {_size(change, unit)}"
    if unit != "percent" and pct is not None and round_half_away(pct, 1) != 0:
        text += f" ({'+' if pct > 0 else '-'}{format_number(abs(pct), 1)}%)"
    return text


def baseline_words(c: Comparison) -> str:
    """What the baseline is: ``2022/23``, ``Q1–Q3 2022/23`` (like for like), ``Q4 2022/23`` (a stock),
    ``2010``; the period itself where the basis is a description ("2024-07 to 2024-09 (3 months)")."""
    basis = c.baseline_basis.removesuffix(" (year figure)")
    return c.baseline_period or basis if "(" in basis or not basis else basis


TOTAL_RE = re.compile(r"(grand )?totals?( \(.*\))?", re.IGNORECASE)  # a row named "Total" (in an area)


def _year_sentence(c: Comparison, name: str) -> str:
    """The current value and its change against the baseline."""
    basis = c.current_basis if c.current_quarters else c.current_period
    assert c.current_value is not None
    value = amount(c.current_value, c.unit)
    if c.projected:
        statement = f"{name} is projected to {value} for {c.current_period} (from {basis.split(' × ')[0]})"
    elif c.aggregate == "last" and c.current_quarters:
        statement = f"{name} stood at {value} at the end of {c.current_quarters[-1]}"
    elif c.aggregate == "sum" and c.current_quarters and not TOTAL_RE.fullmatch(name):
        statement = f"{name} totalled {value} over {basis}"  # never "Total totalled": a total "was"
    elif c.aggregate == "mean" and c.current_quarters:
        statement = f"{name} averaged {value} over {basis}"
    else:
        statement = f"{name} was {value} {'over' if c.current_quarters else 'in'} {basis}"
    if c.change is None or c.baseline_value is None:
        return statement + "."
    baseline = f"baseline of {amount(c.baseline_value, c.unit)} in {baseline_words(c)}"
    if _rounds_to_zero(c.change, c.unit):
        return f"{statement}, the same as the {baseline}."
    phrase = change_phrase(c.change, c.change_pct, c.unit)
    if c.change_pct is None and c.unit != "percent":
        phrase += " (no percentage change from a baseline of zero)"
    return f"{statement}, {phrase} compared with the {baseline}."


def _direction_sentence(c: Comparison) -> str:
    """The direction of travel in words and, where the measure has a polarity, what it means."""
    if c.direction is None:
        if c.baseline_value is None:
            return f"There is no {c.baseline_period} baseline value, so no change or direction of travel is given."
        if c.current_value is None:
            return f"There is no value for {c.current_period}, so no change or direction of travel is given."
        return f"No change or direction of travel is given against {c.baseline_period}: see the notes."
    if c.direction == "level":
        assessed = ", assessed as stable" if c.assessment == "stable" else ""
        return f"The direction of travel from the baseline is level{assessed}."
    better = {"up": "higher", "down": "lower"}.get(c.polarity)
    if better is None or c.assessment == "not assessed":
        return (
            f"The direction of travel from the baseline is {c.direction}; this measure is not assessed as"
            " better or worse."
        )
    return f"The direction of travel from the baseline is {c.direction}: {c.assessment}, as {better} is better for this measure."


def _quarter_sentence(c: Comparison, q: Delta | None) -> str | None:
    """The latest quarter against the one before."""
    if q is None or q.to_value is None or q.from_value is None or q.absolute is None:
        return None
    before = f"{q.from_period} ({amount(q.from_value, c.unit)})"
    if c.aggregate == "last" and c.current_quarters and q.to_period == c.current_quarters[-1]:
        # the year sentence has given the latest quarter's value already
        if _rounds_to_zero(q.absolute, c.unit):
            return f"That is the same as at the end of {before}."
        return f"That is {change_phrase(q.absolute, q.relative, c.unit)} compared with the end of {before}."
    now = amount(q.to_value, c.unit)
    if _rounds_to_zero(q.absolute, c.unit):
        return f"In {q.to_period} it was {now}, the same as in {before}."
    return f"In {q.to_period} it was {now}, {change_phrase(q.absolute, q.relative, c.unit)} compared with {before}."


_VARIATION = {
    "special cause improvement": "special-cause variation, an improvement",
    "special cause concern": "special-cause variation, a concern",
    "special cause": "special-cause variation",
    "common cause": "common-cause variation only",
}


def _method_sentences(c: Comparison) -> list[str]:
    """What the method that drew the arrow found (the significance test, the control chart), and the target."""
    out = []
    test = c.significance
    if c.method == "significance" and test is not None and test.significant is not None:
        verdict = "statistically significant" if test.significant else "not statistically significant"
        out.append(f"The change is {verdict} at the {test.confidence:g}% level ({test.test} test).")
    chart = c.spc
    if c.method == "spc" and chart is not None and chart.variation is not None:
        at = f" ({chart.latest})" if chart.latest else ""
        out.append(f"On the control chart the latest point{at} shows {_VARIATION[chart.variation]}.")
    if c.target is not None and c.target_met is not None:
        out.append(f"The target of {amount(c.target, c.unit)} is {'met' if c.target_met else 'not met'}.")
    return out


def _caveats(c: Comparison) -> list[str]:
    out = []
    if c.small_numbers and c.change is not None and c.baseline_value is not None and c.current_value is not None:
        both = c.unit == "count" and max(abs(c.baseline_value), abs(c.current_value)) < SMALL
        out.append(
            f"These are small numbers ({amount(c.baseline_value, c.unit)} and {amount(c.current_value, c.unit)}):"
            " a change of this size can be chance alone."
            if both
            else f"A count below {SMALL} events is a small number, which chance alone moves a lot."
        )
    elif c.small_numbers:
        out.append("This is a small number of events: a few more or fewer would change it a lot.")
    if c.projected:
        out.append(f"The {c.current_period} figure is a projection from part of the year, not a measured value.")
    elif not c.complete and c.current_quarters:
        out.append(f"The {c.current_period} figure covers {c.current_basis} only.")
    return out


def commentary(c: Comparison) -> list[str]:
    """The drafted sentences for one row, in reading order."""
    name = measure_name(c)
    if c.current_value is None:
        sentences = [f"There is no value of {name} for {c.current_period}."]
    else:
        sentences = [_year_sentence(c, name), _direction_sentence(c), *_method_sentences(c)]
    quarter = _quarter_sentence(c, c.quarter_on_quarter)
    if quarter:
        sentences.append(quarter)
    sentences += _caveats(c)
    return [s[0].upper() + s[1:] for s in sentences]
