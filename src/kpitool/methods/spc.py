"""Statistical process control: the XmR chart of a measure's own series, by NHS "Making Data Count".

The centre line is the mean of the points; the limits are the mean ± 2.66 × the mean moving
range, after leaving out moving ranges of 3.267 × the mean or more (one screening, then the
mean is taken again). Four rules find special-cause variation:

- a point beyond a limit;
- a run of 7 or more points on one side of the mean (a point on the mean breaks the run);
- a trend of 7 or more points each higher (or each lower) than the one before (a tie breaks it);
- two of three points in a row beyond 2σ on the same side (σ = the mean moving range / 1.128).

The latest point's variation is decided by the first of those rules, in that order, that
includes it: on the side polarity calls better it is improvement, on the other concern, and for
a neutral measure simply special cause. Otherwise it is common cause.
"""

from __future__ import annotations

from collections.abc import Sequence
from statistics import fmean
from typing import Literal

from kpitool.models import Assurance, ControlChart, Polarity, Signal, Variation

MIN_POINTS = 15
RUN = 7
TREND = 7
LIMIT = 2.66  # 3 / d2 (1.128): three sigma from the mean moving range
SCREEN = 3.267  # D4: a moving range this many times the mean is itself a special cause
D2 = 1.128

Side = Literal["high", "low"]
Rule = Literal["beyond a limit", "run", "trend", "two of three beyond 2σ"]
RULES: tuple[Rule, ...] = ("beyond a limit", "run", "trend", "two of three beyond 2σ")


def xmr(
    points: Sequence[tuple[str, float]],
    polarity: Polarity = "neutral",
    target: float | None = None,
    since: int = 0,
) -> ControlChart:
    """The chart of ``points`` (period label, value) in time order; limits from ``since`` on."""
    segment = list(points[since:])
    periods = [p for p, _ in segment]
    values = [v for _, v in segment]
    if len(segment) < MIN_POINTS:
        return ControlChart(
            periods=periods,
            values=values,
            since=periods[0] if since and periods else None,
            reason=f"too few points for SPC ({len(segment)}; it needs {MIN_POINTS})",
        )
    mean = fmean(values)
    ranges = [abs(b - a) for a, b in zip(values, values[1:], strict=False)]
    first = fmean(ranges)
    kept = [r for r in ranges if r < SCREEN * first] or ranges
    mr = fmean(kept)
    if mr == 0:  # flat, or rare events (mostly 0, a 1 now and then): limits would sit on the mean
        return ControlChart(
            periods=periods,
            values=values,
            since=periods[0] if since and periods else None,
            mean=mean,
            ranges_left_out=len(ranges) - len(kept),
            reason="the moving ranges are all zero once screened (a series of rare events, or flat): no limits;"
            " rare events need a g or t chart",
        )
    upper, lower = mean + LIMIT * mr, mean - LIMIT * mr
    sigma = mr / D2
    signals = [
        *_beyond(periods, values, upper, lower),
        *_runs(periods, values, mean),
        *_trends(periods, values),
        *_two_of_three(periods, values, mean, sigma),
    ]
    latest = periods[-1]
    variation, rule = _latest(signals, latest, polarity)
    return ControlChart(
        periods=periods,
        values=values,
        since=periods[0] if since else None,
        mean=mean,
        upper=upper,
        lower=lower,
        moving_range=mr,
        ranges_left_out=len(ranges) - len(kept),
        signals=signals,
        latest=latest,
        variation=variation,
        rule=rule,
        assurance=assurance(polarity, target, upper, lower),
    )


def _groups(flags: Sequence[Side | None], periods: Sequence[str], rule: Rule, least: int) -> list[Signal]:
    """Maximal stretches of one side flagged, at least ``least`` long, as signals."""
    out: list[Signal] = []
    start = 0
    for i in range(1, len(flags) + 1):
        if i == len(flags) or flags[i] != flags[start]:
            side = flags[start]
            if side is not None and i - start >= least:
                out.append(Signal(rule=rule, side=side, periods=list(periods[start:i])))
            start = i
    return out


def _beyond(periods: Sequence[str], values: Sequence[float], upper: float, lower: float) -> list[Signal]:
    flags: list[Side | None] = ["high" if v > upper else "low" if v < lower else None for v in values]
    return _groups(flags, periods, "beyond a limit", 1)


def _runs(periods: Sequence[str], values: Sequence[float], mean: float) -> list[Signal]:
    flags: list[Side | None] = ["high" if v > mean else "low" if v < mean else None for v in values]
    return _groups(flags, periods, "run", RUN)


def _trends(periods: Sequence[str], values: Sequence[float]) -> list[Signal]:
    """Points each higher (or lower) than the one before: a trend of n points is n − 1 steps."""
    out: list[Signal] = []
    steps: list[Side | None] = [
        "high" if b > a else "low" if b < a else None for a, b in zip(values, values[1:], strict=False)
    ]
    for s in _groups(steps, periods[1:], "trend", TREND - 1):
        first = periods.index(s.periods[0]) - 1  # the point the first step rose (or fell) from
        out.append(Signal(rule="trend", side=s.side, periods=[periods[first], *s.periods]))
    return out


def _two_of_three(periods: Sequence[str], values: Sequence[float], mean: float, sigma: float) -> list[Signal]:
    """Points beyond 2σ that are two (or three) of three in a row on one side, clustered."""
    out: list[Signal] = []
    sides: tuple[tuple[Side, float], ...] = (("high", 1.0), ("low", -1.0))
    for side, sign in sides:
        beyond = [sign * (v - mean) > 2 * sigma for v in values]
        flagged = sorted(
            {j for i in range(len(values) - 2) if sum(beyond[i : i + 3]) >= 2 for j in range(i, i + 3) if beyond[j]}
        )
        cluster: list[int] = []
        for j in [*flagged, None]:
            if cluster and (j is None or j - cluster[-1] > 2):
                out.append(Signal(rule="two of three beyond 2σ", side=side, periods=[periods[k] for k in cluster]))
                cluster = []
            if j is not None:
                cluster.append(j)
    return out


def _latest(signals: Sequence[Signal], latest: str, polarity: Polarity) -> tuple[Variation, str | None]:
    """The latest point's variation and the rule that decided it."""
    for rule in RULES:
        for s in signals:
            if s.rule == rule and latest in s.periods:
                return side_variation(s.side, polarity), describe(s)
    return "common cause", None


def side_variation(side: Side, polarity: Polarity) -> Variation:
    if polarity == "neutral":
        return "special cause"
    return "special cause improvement" if (side == "high") == (polarity == "up") else "special cause concern"


def describe(s: Signal) -> str:
    """The rule in words: ``7 points above the mean``, ``beyond the upper limit``."""
    n = len(s.periods)
    if s.rule == "beyond a limit":
        return f"beyond the {'upper' if s.side == 'high' else 'lower'} limit"
    if s.rule == "run":
        return f"{n} points {'above' if s.side == 'high' else 'below'} the mean"
    if s.rule == "trend":
        return f"{n} points {'rising' if s.side == 'high' else 'falling'}"
    return f"2 of 3 points beyond 2σ {'above' if s.side == 'high' else 'below'} the mean"


def assurance(polarity: Polarity, target: float | None, upper: float, lower: float) -> Assurance | None:
    """Against a target: do the limits say the process will pass it, fail it, or either?"""
    if target is None or polarity == "neutral":
        return None
    good, bad = (lower, upper) if polarity == "up" else (upper, lower)
    passes = (good > target) if polarity == "up" else (good < target)
    fails = (bad < target) if polarity == "up" else (bad > target)
    if passes:
        return "consistently passing"
    if fails:
        return "consistently failing"
    return "may pass or fail"
