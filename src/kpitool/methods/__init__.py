"""What draws a row's arrow: the ±band (the default), a significance test, or an SPC chart.

``band`` is ``kpitool.arithmetic``'s rule and needs nothing here. ``significance`` tests the
change between the two values the row compares; ``spc`` charts the measure's own series and
reads the latest point. Where a method cannot judge a row (a mean of percentages has no counts
to test; eleven quarters are too few for SPC) the band draws its arrow and the row says so.
Small numbers and targets are marked under every method.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from kpitool import arithmetic as ar
from kpitool.methods import significance as sig
from kpitool.methods.spc import describe, xmr
from kpitool.models import ARROWS, Comparison, ControlChart, Direction, Method, Significance
from kpitool.periods import Period
from kpitool.series import Resolved

SMALL = 10  # events below which a count or a rate is "small numbers"
# said of a row with a count below SMALL on either side: of the small count, never that the change is chance
SMALL_NUMBERS = f"Small numbers: a count below {SMALL} events, which chance alone moves a lot."
ASSURANCE_WORDS = {
    "consistently passing": "the process will consistently pass it",
    "consistently failing": "the process will consistently fail it",
    "may pass or fail": "the process may pass or fail it",
}

Terms = tuple[float | None, float | None]  # a ratio's numerator and denominator


@dataclass(frozen=True)
class Basis:
    """What the row's two values are made of, for a test: counts over their lengths, or a ratio's terms."""

    base_count: float | None
    current_count: float | None
    base_length: float = 1.0  # in days: February's count is over 28 days, March's over 31
    current_length: float = 1.0
    base_terms: Terms | None = None
    current_terms: Terms | None = None


def days(period: Period, quarters: list[int] | None = None) -> int:
    """The days a period (or ``quarters`` of a year) spans: the exposure of a count over it."""
    return _days(period, tuple(quarters) if quarters else ())


@lru_cache(maxsize=4096)
def _days(period: Period, quarters: tuple[int, ...]) -> int:  # asked twice a row, of a few periods
    from calendar import monthrange

    spans = [q for q in period.quarters() if q.quarter in quarters] if quarters else [period]
    return sum(monthrange(m.start.year, m.start.month)[1] for p in spans for m in p.month_periods())


def apply(r: Resolved, row: Comparison, method: Method, confidence: float, basis: Basis, end: Period) -> Comparison:
    """The row with its arrow drawn by ``method`` (or by the band, said, where the method cannot),
    its small-numbers mark and its target."""
    update: dict[str, object] = {}
    notes = list(row.notes)
    band: Direction | None = row.direction
    direction = band
    drawn: Method = "band"
    fallback = f"the ±{row.tolerance:g}% band drew the arrow" if band is not None else "no arrow"
    if method == "significance" and row.change is not None and row.not_compared is None:
        test = _test(r, basis, confidence)
        update["significance"] = test
        if test.test == "not tested":
            notes.append(f"Not tested for significance ({test.reason}): {fallback}.")
        else:
            drawn = "significance"
            direction = ("up" if row.change > 0 else "down") if test.significant else "level"
    elif method == "spc":
        chart = chart_of(r, end)
        update["spc"] = chart
        if chart.variation is not None and row.current_value is None:  # no point of its own to judge
            chart = chart.model_copy(update={"variation": None, "rule": None, "reason": f"no value for {end}"})
            update["spc"] = chart
        if chart.variation is None:
            notes.append(f"No SPC ({chart.reason}): {fallback}.")
        else:
            drawn = "spc"
            direction = _spc_direction(chart)
            if chart.variation != "common cause" or chart.assurance or chart.gaps:
                notes.append(spc_sentence(chart))
    if drawn == "significance" and direction != band and band is not None:
        assert isinstance(update["significance"], Significance)
        said = sig.sentence(update["significance"])
        if r.measure.aggregate == "sum" and basis.base_length != basis.current_length:  # counts over days
            said = f"{said[:-1]}, per day ({basis.base_length:g} days against {basis.current_length:g})."
        notes.append(f"{said} The band alone would show {ARROWS[band]}.")
    elif drawn == "spc" and direction != band and band is not None and direction == "level":
        notes.append(f"Common-cause variation on the SPC chart: the band alone would show {ARROWS[band]}.")
    small = _small(r, row, basis)
    if small:
        notes.append(SMALL_NUMBERS)
    target_met = _target_met(r, row, end)
    target = r.measure.target
    if target_met is not None:
        notes.append(f"Target {target:g}: {'met' if target_met else 'not met'}.")
    elif target is not None and row.current_value is not None:
        notes.append(
            f"Target {target:g}: not judged until {row.current_period} is complete."
            if end.is_year
            else f"Target {target:g} is for a year: a total for {row.current_period} is not judged against it."
        )
    update.update(
        method=drawn,
        direction=direction,
        assessment=ar.assess(direction, row.polarity),
        small_numbers=small,
        target=r.measure.target,
        target_met=target_met,
        notes=notes,
    )
    return row.model_copy(update=update)


def _test(r: Resolved, basis: Basis, confidence: float) -> Significance:
    """The test the measure's kind calls for, or why there is none."""
    m = r.measure
    if m.aggregate == "ratio":
        if basis.base_terms is None or basis.current_terms is None or r.numerator is None:
            return sig.not_tested("the ratio's numerator and denominator are not in the data", confidence)
        if r.numerator.measure.unit != "count":
            return sig.not_tested(
                f"the ratio's numerator is {r.numerator.measure.unit}, not a count of events", confidence
            )
        (x0, n0), (x1, n1) = basis.base_terms, basis.current_terms
        a, c = sig.whole(x0), sig.whole(x1)
        if a is None or c is None:
            return sig.not_tested("the ratio's numerators are not whole counts", confidence)
        if m.unit == "percent":
            b, d = sig.whole(n0), sig.whole(n1)
            if r.denominator is None or r.denominator.measure.unit != "count" or b is None or d is None:
                return sig.not_tested("the ratio's denominators are not whole counts", confidence)
            return sig.proportions_test((a, b), (c, d), confidence, ar.scale_of(m.unit))
        if not n0 or not n1 or n0 < 0 or n1 < 0:
            return sig.not_tested("a denominator is zero or missing", confidence)
        # a rate (per head, per 1,000): events over the denominators as exposures, whole or not
        return sig.poisson_test(a, c, confidence, n0, n1)
    if m.aggregate != "sum" or m.unit != "count":
        kind = {"mean": "an average", "last": "a count at a point in time"}.get(m.aggregate, f"a {m.unit} measure")
        return sig.not_tested(f"{kind}, without counts to test", confidence)
    base, current = sig.whole(basis.base_count), sig.whole(basis.current_count)
    if base is None or current is None:
        return sig.not_tested("the values are not whole counts", confidence)
    return sig.poisson_test(base, current, confidence, basis.base_length, basis.current_length)


def _small(r: Resolved, row: Comparison, basis: Basis) -> bool:
    """A count below 10, or a ratio whose numerator counts fewer than 10 events, on either side."""
    if r.measure.aggregate == "ratio":
        events = [t[0] for t in (basis.base_terms, basis.current_terms) if t is not None]
    elif r.measure.unit == "count":
        events = [basis.base_count, basis.current_count]  # the counts themselves, never a projection
    else:
        return False
    return any(e is not None and abs(e) < SMALL for e in events)


def _target_met(r: Resolved, row: Comparison, end: Period) -> bool | None:
    """Met when the year value is on the target's better side. A total of part of a year, or of a
    quarter or month, is not judged against a target for the year."""
    target, value = r.measure.target, row.current_value
    if target is None or value is None:
        return None
    if r.measure.aggregate == "sum" and (not row.complete or row.projected or not end.is_year):
        return None
    return value >= target if r.measure.polarity == "up" else value <= target


def chart_of(r: Resolved, end: Period) -> ControlChart:
    """The XmR chart of the measure's months (or quarters) to the end of ``end``, limits from
    its latest rebase."""
    last = end.last_month()
    if r.rolling and not r.monthly:
        return ControlChart(reason="rolling years overlap, so they are not points of one process; give months")
    grain = _grain(r, last)
    values = [(p, r.value(p)) for p in grain]
    while values and values[-1][1] is None:  # the current period's quarters still to come
        values.pop()
    while values and values[0][1] is None:  # before the measure's first value (a marker, say)
        values.pop(0)
    points = [(p, v) for p, v in values if v is not None]
    gaps = [p.label for p, v in values if v is None]
    since = 0
    rebases = sorted(p.start for p in r.measure.rebase if p.start <= last.start)
    if rebases:
        since = next((i for i, (p, _) in enumerate(points) if p.start >= rebases[-1]), len(points))
    # a target for a year's total is not a target for each month's count: no assurance for a flow
    target = r.measure.target if r.measure.aggregate != "sum" else None
    chart = xmr([(p.label, v) for p, v in points], r.measure.polarity, target, since)
    chart.gaps = gaps
    if points and chart.variation is not None and points[-1][0].start < end.start:
        # the series stops before the current period: its latest point says nothing of the current
        # period, so the chart is kept (limits, signals) but gives no verdict and draws no arrow
        return chart.model_copy(
            update={
                "variation": None,
                "rule": None,
                "reason": f"no value for {end}: the chart's latest point is {chart.latest}",
            }
        )
    return chart


def _grain(r: Resolved, last: Period) -> list[Period]:
    """Every month (or quarter, or year of an annual series) from the series' first to ``last``."""
    periods = [p for t in (r, *r.terms) for p in t.series.values]
    if r.monthly:
        first = min(p.start for p in periods if p.kind == "month")
        point = last
    else:
        quarters = [p for p in periods if p.kind == "quarter"]
        years = [p for p in periods if p.kind == "year"]
        if not quarters and not years:
            return []
        # quarters where there are any, else the years of an annual series
        first = min(p.start for p in (quarters or years))
        point = last.quarter_period() if quarters else last.year_period()
    out: list[Period] = []
    while point.start >= first:
        out.append(point)
        point = point.previous()
    return out[::-1]


def _spc_direction(chart: ControlChart) -> Direction:
    if chart.variation == "common cause" or chart.rule is None:
        return "level"
    side = next(s.side for s in chart.signals if chart.latest in s.periods)
    return "up" if side == "high" else "down"


def spc_sentence(chart: ControlChart) -> str:
    """``SPC (XmR, 24 points to 2024-03): special cause concern — 7 points above the mean.``"""
    head = f"SPC (XmR, {len(chart.periods)} points to {chart.latest}"
    head += f", limits since {chart.since})" if chart.since else ")"
    text = f"{head}: {chart.variation}" + (f", {chart.rule}" if chart.rule else "") + "."
    decided = next((s for s in chart.signals if chart.latest in s.periods), None)
    others = [s for s in chart.signals if chart.latest in s.periods and decided and s.side != decided.side]
    if others:  # a point can be above the mean and falling: the rule first in order decides, the rest is said
        text += f" Also at the latest point: {'; '.join(describe(s) for s in others)}."
    if chart.gaps:
        text += f" No value for {', '.join(chart.gaps)}: left out of the chart, which joins the points either side."
    if chart.assurance:
        text += f" Against the target: {ASSURANCE_WORDS[chart.assurance]}."
    return text
