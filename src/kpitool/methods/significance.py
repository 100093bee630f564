"""Is a change more than chance? The exact test for two counts, and score intervals for two proportions.

Counts: given the total of the two counts, the current count is binomial with the share its
exposure has of the whole (the exact conditional test for two Poisson rates), so a part year
against the same quarters, or a count over a different length of time, is exact. The interval
is the Clopper–Pearson interval of that share, turned into the ratio of the two rates; the
two-sided p-value is twice the smaller tail, the one that interval inverts, so the two never
disagree (p < 5% exactly when the 95% interval leaves out a ratio of 1).

Proportions (a ``percent`` ratio of two counts): Newcombe's hybrid score interval for the
difference, built from the two Wilson intervals; the change is significant when the interval
leaves out zero. Its p-value is the interval's own: 1 − the highest confidence at which the
interval still leaves out zero, so it too agrees with the decision.

scipy is imported inside the functions: no command that does not test a change loads it.
"""

from __future__ import annotations

import math

from kpitool.models import Significance


def not_tested(reason: str, confidence: float) -> Significance:
    """No test: said plainly, never a made-up p-value."""
    return Significance(test="not tested", confidence=confidence, reason=reason)


def whole(value: float | None) -> int | None:
    """A count as a whole number of events, or None when it is not one."""
    if value is None or not math.isfinite(value) or value < 0 or abs(value - round(value)) > 1e-9:
        return None
    return int(round(value))


def poisson_test(
    baseline: int, current: int, confidence: float, exposure_baseline: float = 1.0, exposure_current: float = 1.0
) -> Significance:
    """The exact conditional test of two Poisson counts and the interval of the ratio of their rates."""
    from scipy.stats import binomtest

    total = baseline + current
    if total == 0:
        return not_tested("no events in either period", confidence)
    from scipy.stats import binom

    share = exposure_current / (exposure_current + exposure_baseline)
    result = binomtest(current, total, share)
    ci = result.proportion_ci(confidence / 100, method="exact")
    tails = min(float(binom.cdf(current, total, share)), float(binom.sf(current - 1, total, share)))
    odds = exposure_baseline / exposure_current  # a share p of the events is a rate ratio of p/(1-p) × this

    def ratio(p: float) -> float | None:
        return None if p >= 1 else p / (1 - p) * odds

    rate_ratio = None if baseline == 0 else (current / exposure_current) / (baseline / exposure_baseline)
    p_value = min(1.0, 2 * tails)
    return Significance(
        test="exact Poisson",
        confidence=confidence,
        estimate="rate ratio",
        value=rate_ratio,
        low=ratio(float(ci.low)),
        high=ratio(float(ci.high)),
        p_value=p_value,
        significant=p_value < 1 - confidence / 100,
    )


def wilson(successes: int, trials: int, confidence: float) -> tuple[float, float]:
    """Wilson's score interval of a proportion (without continuity correction)."""
    from scipy.stats import norm

    z = float(norm.ppf(1 - (1 - confidence / 100) / 2))
    p = successes / trials
    centre = (p + z * z / (2 * trials)) / (1 + z * z / trials)
    half = z / (1 + z * z / trials) * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials))
    return max(0.0, centre - half), min(1.0, centre + half)


def proportions_test(
    baseline: tuple[int, int], current: tuple[int, int], confidence: float, scale: float = 100.0
) -> Significance:
    """Newcombe's hybrid score interval for current − baseline proportion (in points of ``scale``)."""
    (x0, n0), (x1, n1) = baseline, current
    if n0 == 0 or n1 == 0:
        return not_tested("a denominator is zero", confidence)
    if x0 > n0 or x1 > n1:
        return not_tested("the numerator is larger than the denominator: not a proportion of counts", confidence)
    diff = x1 / n1 - x0 / n0
    low, high = newcombe(baseline, current, confidence)
    return Significance(
        test="Newcombe score",
        confidence=confidence,
        estimate="difference (pp)",
        value=diff * scale,
        low=low * scale,
        high=high * scale,
        p_value=_newcombe_p(baseline, current),
        significant=low > 0 or high < 0,
    )


def newcombe(baseline: tuple[int, int], current: tuple[int, int], confidence: float) -> tuple[float, float]:
    """Newcombe's hybrid score interval (method 10) for current − baseline proportion."""
    (x0, n0), (x1, n1) = baseline, current
    p0, p1 = x0 / n0, x1 / n1
    l0, u0 = wilson(x0, n0, confidence)
    l1, u1 = wilson(x1, n1, confidence)
    diff = p1 - p0
    return diff - math.sqrt((p1 - l1) ** 2 + (u0 - p0) ** 2), diff + math.sqrt((u1 - p1) ** 2 + (p0 - l0) ** 2)


def _newcombe_p(baseline: tuple[int, int], current: tuple[int, int]) -> float:
    """1 − the highest confidence (%) at which the interval leaves out zero (1 for no difference)."""
    if baseline[0] * current[1] == current[0] * baseline[1]:
        return 1.0
    lo, hi = 0.0, 100.0  # the interval leaves out zero at lo, and takes it in at hi
    for _ in range(60):
        mid = (lo + hi) / 2
        a, b = newcombe(baseline, current, mid) if mid > 0 else (0.0, 0.0)
        if mid > 0 and (a > 0 or b < 0):
            lo = mid
        else:
            hi = mid
        if hi - lo < 1e-9:
            break
    return (100 - lo) / 100


def sentence(s: Significance) -> str:
    """``rate ratio 0.50 (95% CI 0.17 to 1.40), p = 0.238: not significant`` — for notes and tables."""
    if s.test == "not tested":
        return f"Not tested ({s.reason})."
    level = f"{s.confidence:g}%"
    what = "significant" if s.significant else "not significant"

    def num(x: float | None) -> str:
        if x is None:  # a ratio's upper bound with no baseline events: no bound at all
            return "∞" if s.estimate == "rate ratio" else "n/a"
        return f"{x:+.2f}" if s.estimate == "difference (pp)" else f"{x:.2f}"

    p = "p n/a" if s.p_value is None else ("p < 0.001" if s.p_value < 0.001 else f"p = {s.p_value:.3f}")
    return f"{s.test[0].upper()}{s.test[1:]} test: {s.estimate} {num(s.value)} ({level} CI {num(s.low)} to {num(s.high)}), {p}: {what}."
