"""Edges of months and rolling years: how a series records, merges and rolls up its months."""

from __future__ import annotations

from kpitool.models import Measure
from kpitool.periods import Period, month_period, period_of, rolling_period
from kpitool.series import Resolved, Series

# --------------------------------------------------------------------------- helpers


def _m(cy: int, month: int) -> Period:
    return month_period(cy, month, "april")


def _series(values: dict[Period, float | None], name: str = "Calls") -> Series:
    s = Series("", name)
    for p, v in values.items():
        s.put(p, v, None, 0, {0: "a.csv"})
    return s


def _resolved(values: dict[Period, float | None], aggregate: str = "sum", **terms: Resolved) -> Resolved:
    terms_named = {"numerator": "N", "denominator": "D"} if aggregate == "ratio" else {}
    measure = Measure(name="Calls", unit="count", aggregate=aggregate, **terms_named)  # type: ignore[arg-type]
    return Resolved(measure, _series(values), False, **terms)  # type: ignore[arg-type]


Q1 = period_of(2024, 1, False)  # 2024/25 Q1: April to June 2024
APR, MAY, JUN = _m(2024, 4), _m(2024, 5), _m(2024, 6)


# --------------------------------------------------------------------------- recording and merging


def test_a_restatement_from_an_unnamed_file_says_question_mark() -> None:
    s = Series("", "Calls")
    s.put(APR, 1.0, None, 0, {})
    s.put(APR, 2.0, None, 1, {})
    assert s.restated == ["2024-04 restated: 2 from ? used, replacing 1 from ?."]


def test_a_file_changing_its_own_value_is_not_a_restatement() -> None:
    s = Series("", "Calls")
    s.put(APR, 1.0, None, 3, {3: "a.csv"})
    s.put(APR, 2.0, None, 3, {3: "a.csv"})
    assert s.restated == [] and s.get(APR) == 2


def test_a_merge_takes_the_other_series_in_file_order_and_keeps_its_files() -> None:
    files = {0: "a.csv", 1: "b.csv", 2: "c.csv"}
    s = Series("", "Calls")
    s.put(APR, 1.0, None, 0, files)
    s.put(MAY, 1.0, None, 0, files)
    alias = Series("", "Calls received")
    alias.put(APR, 2.0, None, 2, files)  # the earlier month, from the later file
    alias.put(MAY, 3.0, None, 1, files)
    s.merge(alias, files)
    assert s.restated == [
        "2024-05 restated: 3 from b.csv used, replacing 1 from a.csv.",
        "2024-04 restated: 2 from c.csv used, replacing 1 from a.csv.",
    ]
    assert (s.sources[APR], s.sources[MAY]) == (2, 1)
    assert (s.get(APR), s.get(MAY)) == (2, 3)


def test_a_merge_keeps_percent_and_stock_from_either_side() -> None:
    plain, flagged = Series("", "A"), Series("", "A", percent=True, stock=True)
    plain.merge(flagged, {})
    assert (plain.percent, plain.stock) == (True, True)
    flagged.merge(Series("", "A"), {})
    assert (flagged.percent, flagged.stock) == (True, True)


# --------------------------------------------------------------------------- rolling up


def test_a_rolling_year_is_rolled_up_from_its_twelve_months() -> None:
    months = {_m(2023, 7).shifted(i): 10.0 for i in range(12)}  # July 2023 to June 2024
    r = _resolved(months)
    year = rolling_period(2024, 6, "april")
    assert year.label == "12m to 2024-06" and r.value(year) == 120
    assert r.missing_months(year) == []


def test_a_rolling_year_missing_a_month_has_no_value_and_names_it() -> None:
    months = {_m(2023, 7).shifted(i): 10.0 for i in range(12)}
    del months[_m(2023, 12)]
    r = _resolved(months)
    year = rolling_period(2024, 6, "april")
    assert r.value(year) is None
    assert [m.label for m in r.missing_months(year)] == ["2023-12"]


def test_a_year_is_not_rolled_up_from_months_by_value_but_from_its_quarters() -> None:
    months = {_m(2024, 4).shifted(i): 10.0 for i in range(12)}
    r = _resolved(months)
    year = period_of(2024, None, False)
    assert r.value(year) is None and r.missing_months(year) == []
    assert r.year_value(year, [1, 2, 3, 4]) == 120


def test_a_ratio_is_never_rolled_up_from_its_own_months() -> None:
    # its terms' series are not in the data: only the ratio's own monthly figures are
    r = _resolved({APR: 50.0, MAY: 60.0, JUN: 70.0}, aggregate="ratio")
    assert r.value(Q1) is None  # a ratio's months cannot be summed or averaged into a quarter
    assert r.missing_months(Q1) == []
    gappy = _resolved({APR: 50.0, JUN: 70.0}, aggregate="ratio")
    assert gappy.missing_months(Q1) == [MAY]


def test_a_quarter_with_its_own_figure_misses_no_month() -> None:
    r = _resolved({APR: 1.0, Q1: 10.0})
    assert r.value(Q1) == 10 and r.missing_months(Q1) == []


def test_a_stock_quarter_needs_only_its_last_month() -> None:
    r = _resolved({APR: 5.0}, aggregate="last")
    assert r.value(Q1) is None
    assert r.missing_months(Q1) == [JUN]  # not May: a stock's quarter is its count at the end
    assert _resolved({JUN: 7.0}, aggregate="last").value(Q1) == 7


def _ratio_of(num: dict[Period, float | None], den: dict[Period, float | None]) -> Resolved:
    measure = Measure(name="Rate", unit="percent", aggregate="ratio", numerator="N", denominator="D")
    n = Resolved(Measure(name="N", unit="count"), _series(num, "N"), False)
    d = Resolved(Measure(name="D", unit="count"), _series(den, "D"), False)
    return Resolved(measure, Series("", "Rate"), False, n, d)


def test_a_ratio_of_months_names_the_months_its_terms_miss() -> None:
    r = _ratio_of({APR: 1.0, MAY: 1.0}, {APR: 4.0, JUN: 4.0})
    assert r.value(Q1) is None
    assert r.missing_months(Q1) == [MAY, JUN]  # each once, in order, from whichever term lacks it
    complete = _ratio_of({APR: 1.0, MAY: 1.0, JUN: 1.0}, {APR: 4.0, MAY: 4.0, JUN: 4.0})
    assert complete.value(Q1) == 25 and complete.missing_months(Q1) == []


def test_a_ratio_touches_a_period_its_terms_touch() -> None:
    r = _ratio_of({MAY: 1.0}, {})
    assert r.touches(Q1) and r.touches(MAY) and not r.touches(_m(2024, 7))
