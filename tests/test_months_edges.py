"""Edges of months and rolling years: how a series records, merges and rolls up its months."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from kpitool import periods
from kpitool.compare import compare
from kpitool.errors import PeriodError, UsageError
from kpitool.models import Catalogue, CompareOptions, Comparison, Measure
from kpitool.period_names import period_in_name
from kpitool.periods import (
    Period,
    month_period,
    parse_period,
    parse_year,
    period_of,
    read_period_column,
    rolling_period,
    spelled_date,
)
from kpitool.readers import Observations, ReadOptions, read_observations
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


# --------------------------------------------------------------------------- spellings


@pytest.fixture(autouse=True)
def _fresh_spellings() -> Iterator[None]:
    """Each test reads its spellings afresh, not from what an earlier test left in the caches."""
    periods.parse_period.cache_clear()
    periods._spell.cache_clear()
    yield


def test_a_period_is_not_before_or_after_itself_and_not_comparable_with_a_number() -> None:
    p = parse_period("2031/32 Q2")
    assert not p < p and not p > p and p <= p and p >= p
    with pytest.raises(TypeError):
        _ = p < 1  # type: ignore[operator]
    with pytest.raises(TypeError):
        _ = p > 1  # type: ignore[operator]


def test_a_rolling_year_steps_month_by_month_as_a_rolling_year() -> None:
    p = parse_period("12m to 2031-06")
    assert p.shifted(3).label == "12m to 2031-09" and p.shifted(3).kind == "rolling"
    assert p.previous().label == "12m to 2031-05"
    assert p.shifted(9).label == "2031/32"  # the 12 months to March are the fiscal year


def test_the_rolling_year_to_a_month_or_a_quarter() -> None:
    assert month_period(2031, 6).rolling_to().label == "12m to 2031-06"
    assert parse_period("2031/32 Q1").rolling_to().label == "12m to 2031-06"
    assert parse_period("2031/32 Q4").rolling_to().label == "2031/32"
    assert month_period(2031, 12, "january").rolling_to().label == "2031"


@pytest.mark.parametrize(("text", "quarter"), [("Jan 2031", "2031 Q1"), ("Mar 2031", "2031 Q1"),
                                               ("Apr 2031", "2031 Q2"), ("Dec 2031", "2031 Q4")])  # fmt: skip
def test_a_calendar_month_falls_in_its_calendar_quarter(text: str, quarter: str) -> None:
    assert parse_period(text, "january").quarter_period().label == quarter


@pytest.mark.parametrize(
    ("text", "label"),
    [("Jun 17", "2017-06"), ("Apr 68", "2068-04"), ("Apr 69", "1969-04"), ("Nov 70", "1970-11"),
     ("17/18", "2017/18"), ("68/69", "2068/69"), ("99/00", "1999/00"), ("31/32", "2031/32"),
     ("2031/2032", "2031/32"), ("2031-32", "2031/32"), ("2031/32 Q2", "2031/32 Q2"), ("2031", "2031")],
)  # fmt: skip
def test_two_digit_years_are_1969_to_2068_and_fiscal_years_may_be_written_in_full(text: str, label: str) -> None:
    assert parse_period(text).label == label


@pytest.mark.parametrize(
    ("text", "why"),
    [("2031/2033", "'2031/2033': the second year of a fiscal year must follow the first"),
     ("31/33", "'31/33': the second year of a fiscal year must follow the first"),
     ("Feb 1899", "'Feb 1899': the year 1899 is outside 1900–2200"),
     ("Jan 2201", "'Jan 2201': the year 2201 is outside 1900–2200")],
)  # fmt: skip
def test_refused_fiscal_years_and_months_say_why(text: str, why: str) -> None:
    with pytest.raises(PeriodError) as caught:
        parse_period(text)
    assert str(caught.value) == why


def test_the_first_and_last_months_are_accepted() -> None:
    assert parse_period("Jan 1900", "january").label == "1900-01"
    assert parse_period("Dec 2200").label == "2200-12"
    assert parse_period("FEBRUARY 2031").label == "2031-02"


def test_spelled_dates_are_those_of_the_years_accepted() -> None:
    assert spelled_date("01/01/1900") == date(1900, 1, 1)
    assert spelled_date("31/12/2200") == date(2200, 12, 31)
    assert spelled_date("31/12/1899") is None and spelled_date("01/01/2201") is None
    assert spelled_date("As at 31\u00a0March 2031") == date(2031, 3, 31)  # a no-break space is a space
    assert parse_period("As at 31\u00a0March 2031").label == "2030/31 Q4"


@pytest.mark.parametrize(
    ("text", "year_start", "label"),
    [("Apr-Jun 2031", "april", "2031/32 Q1"), ("Jan-Mar 2031", "april", "2030/31 Q4"),
     ("Jan-Mar 2031", "january", "2031 Q1"), ("Oct-Dec 2031", "january", "2031 Q4")],
)  # fmt: skip
def test_a_quarter_spelled_by_its_months(text: str, year_start: str, label: str) -> None:
    assert parse_period(text, year_start).label == label  # type: ignore[arg-type]


def test_a_calendar_quarter_in_a_fiscal_project_is_ambiguous() -> None:
    message = "'2031 Q3' is ambiguous: this project uses fiscal years, so write 2031/32 Q3 or 2030/31 Q3"
    with pytest.raises(PeriodError, match=message):
        parse_period("2031 Q3")
    assert message in read_period_column(["2031 Q3"]).errors["2031 Q3"]
    with pytest.raises(PeriodError, match="is ambiguous"):
        parse_year("2031 Q3")
    q = parse_period("2031 Q3", "january")
    assert q.label == "2031 Q3" and q.calendar and q.quarter == 3


def test_a_first_of_the_month_date_makes_a_column_of_months() -> None:
    column = read_period_column(["2007-08", "01/09/2007"])
    assert [p.label for p in column.periods.values()] == ["2007-08", "2007-09"] and not column.ambiguous
    column = read_period_column(["2007-08", "02/09/2007"])
    assert column.periods["2007-08"].label == "2007/08" and "2007-08" in column.ambiguous


def test_dates_in_a_calendar_project_are_calendar_months_and_quarters() -> None:
    column = read_period_column(["30/06/2031", "30/09/2031"], "january")
    assert [p.label for p in column.periods.values()] == ["2031 Q2", "2031 Q3"]
    [first, end] = read_period_column(["01/01/2031", "31/05/2031"], "january").periods.values()
    assert (first.label, first.quarter_period().label) == ("2031-01", "2031 Q1")
    assert (end.label, end.quarter_period().label) == ("2031-05", "2031 Q2")


def test_dates_that_are_not_a_months_first_or_last_day_say_so() -> None:
    column = read_period_column(["15/07/2031"])
    assert column.errors["15/07/2031"] == "'15/07/2031' is a date, but neither the first nor the last day of a month"
    column = read_period_column(["15/06/2031"], heading="12 months ending")
    assert column.errors["15/06/2031"] == "'15/06/2031': a rolling year ends on a month's last day, not the 15th"


def test_rolling_years_in_a_calendar_project_end_in_calendar_months() -> None:
    column = read_period_column(["31/12/2031", "30/06/2031"], "january", heading="12 months ending")
    assert [p.label for p in column.periods.values()] == ["2031", "12m to 2031-06"]
    assert column.periods["30/06/2031"].calendar


def test_the_period_in_a_file_name() -> None:
    assert period_in_name("calls.2031-05.csv") == ("2031-05", month_period(2031, 5))
    # a name of two periods names none kpitool could rely on
    assert period_in_name("Jan 2030 Apr 2031.csv") is None
    # a calendar quarter is ambiguous in a fiscal project: never the year it is in
    assert period_in_name("kpis 2031 Q1.csv") is None
    assert period_in_name("kpis 2031 Q1.csv", "january") == ("2031 Q1", period_of(2031, 1, True))
    # so is one spelled in words, and a quarter's word without its number names no period
    assert period_in_name("kpis Quarter 1 2031.csv") is None
    assert period_in_name("kpis Qtr1 2031.csv") is None
    assert period_in_name("kpis Quarter 2031.csv") is None
    assert period_in_name("kpis Quarter 1 2031.csv", "january") == ("Quarter 1 2031", period_of(2031, 1, True))
    assert period_in_name("kpis_2023-24_Quarter_1.csv") == ("2023-24 Quarter 1", period_of(2023, 1))
    assert period_in_name("Q1 23-24 kpis.csv") == ("Q1 23-24", period_of(2023, 1))
    # a month as a spreadsheet's "Save as" numbers it, or its name apart from its year
    assert period_in_name("AE_2025_04.csv") == ("2025-04", month_period(2025, 4))
    assert period_in_name("April-AE-2025.csv") == ("April 2025", month_period(2025, 4))
    assert period_in_name("AE_2025_26.csv") == ("2025-26", period_of(2025))
    # a month beside a quarter, or two months: more than one period
    assert period_in_name("AE-2025-26-Q1-April.csv") is None
    assert period_in_name("April-May-2025.csv") is None
    # a Windows path: a folder's name is not the file's, and the file's name is read from its start
    assert period_in_name("C:\\kpis (2030)\\calls.csv") is None
    assert period_in_name("C:\\reports\\2031-05 calls.csv") == ("2031-05", month_period(2031, 5))


# --------------------------------------------------------------------------- comparing months


def _write(tmp_path: Path, text: str, name: str = "data.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _months(values: dict[str, float]) -> str:
    return "measure,period,value\n" + "".join(f"Calls,{p},{v}\n" for p, v in values.items())


def _year(cy: int, start: int, value: float, months: int = 12) -> dict[str, float]:
    return {str(month_period(cy, start).shifted(i)): value for i in range(months)}


def _compare(tmp_path: Path, text: str, **options: object) -> list[Comparison]:
    observations = read_observations([_write(tmp_path, text)])
    return compare(observations, options=CompareOptions.model_validate(options)).comparisons


@pytest.mark.parametrize(
    ("base", "current", "hint"),
    [("2024/25", "2025/26 Q4", ""),
     ("2000/01", "2001-05", "; for the month write 2000-01-01 or Jan 2000 (2000-01 is the year 2000/01)"),
     ("2011/12", "2012-02", "; for the month write 2011-12-01 or Dec 2011 (2011-12 is the year 2011/12)"),
     ("2012/13", "2013-02", "")],
)  # fmt: skip
def test_periods_of_different_lengths_are_refused_with_a_hint_only_for_a_month_like_year(
    tmp_path: Path, base: str, current: str, hint: str
) -> None:
    b, c = parse_period(base), parse_period(current)
    text = _months(_year(b.start.year, 4, 1.0, months=24))
    with pytest.raises(UsageError) as caught:
        _compare(tmp_path, text, baseline=b, current=c)
    kinds = f"is a year and the current period {current} is a {c.kind}"
    assert str(caught.value) == (
        f"the baseline {base} {kinds}: compare like with like (--baseline and --current of one kind){hint}"
    )


def test_a_missing_month_since_the_measure_began_is_named(tmp_path: Path) -> None:
    current = _year(2025, 4, 100.0)
    del current["2025-08"]
    observations = read_observations([_write(tmp_path, _months(_year(2024, 4, 100.0) | current))])
    catalogue = Catalogue(measures=[Measure(name="Calls", unit="count", since="2025/26 Q2")])
    [row] = compare(observations, catalogue).comparisons
    assert (
        row.not_compared == "No value for 2025-08: a 2025/26 total without it is not comparable (no change or arrow)."
    )


def test_a_quarter_of_quarterly_data_without_a_value_is_named_alone(tmp_path: Path) -> None:
    text = "measure,period,value\nCalls,2025/26 Q2,5\nCalls,2025/26 Q4,5\n"
    [row] = _compare(tmp_path, text, baseline=parse_period("2025/26 Q1"), current=parse_period("2025/26 Q4"))
    assert row.notes[0] == "No baseline value for 2025/26 Q1."
    assert row.complete and row.history_values == [5, None, 5]
    assert [p.period for p in row.history] == ["2025/26 Q2", "2025/26 Q3", "2025/26 Q4"]  # the gap keeps its label


def test_a_current_quarter_missing_a_month_names_it_and_is_incomplete(tmp_path: Path) -> None:
    months = _year(2025, 4, 10.0)
    del months["2026-02"]
    [row] = _compare(tmp_path, _months(months), baseline=parse_period("2025/26 Q1"), current=parse_period("2025/26 Q4"))
    assert row.notes[0] == "No value for 2025/26 Q4: no value for 2026-02."
    assert not row.complete and row.current_value is None
    assert row.history_values == [10] * 10 + [None, 10]  # the months to the current quarter's end
    assert [p.period for p in row.history[::5]] == ["2025-04", "2025-09", "2026-02"]
    [row] = _compare(tmp_path, _months(_year(2025, 4, 10.0)), baseline=parse_period("2025/26 Q1"),
                     current=parse_period("2025/26 Q4"))  # fmt: skip
    assert row.complete and row.current_basis == "2026-01 to 2026-03 (3 months)"


def test_a_year_against_a_rolling_year(tmp_path: Path) -> None:
    months = _year(2024, 4, 100.0) | _year(2025, 4, 110.0, months=6)
    [row] = _compare(
        tmp_path, _months(months), baseline=parse_period("2024/25"), current=parse_period("12m to 2025-09")
    )
    assert (row.baseline_value, row.baseline_basis) == (1200, "Q1–Q4 2024/25")
    assert (row.current_value, row.current_basis) == (1260, "2024-10 to 2025-09 (12 months)")
    del months["2025-02"]
    [row] = _compare(
        tmp_path, _months(months), baseline=parse_period("2024/25"), current=parse_period("12m to 2025-09")
    )
    assert (row.baseline_value, row.baseline_basis) == (None, "2024/25")  # Q4 is missing a month
    assert row.notes[:2] == ["No baseline value for 2024/25.", "No value for 12m to 2025-09: no value for 2025-02."]


def test_a_year_figure_is_a_whole_year_against_a_rolling_year(tmp_path: Path) -> None:
    text = "measure,period,value\nCalls,2024/25,1000\n" + "".join(
        f"Calls,{p},{v}\n" for p, v in _year(2024, 10, 90.0).items()
    )
    [row] = _compare(tmp_path, text, baseline=parse_period("2024/25"), current=parse_period("12m to 2025-09"))
    assert (row.baseline_value, row.current_value) == (1000, 1080)


def _rolling(tmp_path: Path) -> Observations:
    ends = [("31/03/2017", 99), ("30/06/2017", 100), ("30/09/2017", 101), ("31/12/2017", 102), ("31/03/2018", 103),
            ("30/06/2018", 104)]  # fmt: skip
    text = "measure,12 months ending,value\n" + "".join(f"Burglary,{d},{v}\n" for d, v in ends)
    return read_observations([_write(tmp_path, text, "rolling.csv")], ReadOptions(period_col="12 months ending"))


def test_the_history_of_rolling_years_is_a_quarter_apart(tmp_path: Path) -> None:
    observations = _rolling(tmp_path)
    [row] = compare(observations, options=CompareOptions(current=parse_period("12m to 2018-06"))).comparisons
    assert row.history_values == [99, 100, 101, 102, 103, 104]
    assert [p.period for p in row.history][::5] == ["2016/17", "12m to 2018-06"]  # 12 months to March: the year
    [year] = compare(observations, options=CompareOptions(current=parse_period("2017/18"))).comparisons
    assert (year.baseline_value, year.current_value) == (99, 103)
    assert year.history_values == [99, 100, 101, 102, 103]  # the rolling years to the end of 2017/18


@pytest.mark.parametrize(
    ("missing", "note"),
    [(["2025-08"], "No value for 2025-08: the year so far leaves out the quarter missing it."),
     (["2025-07", "2025-08"], "No value for 2025-07, 2025-08: the year so far leaves out the quarter missing them."),
     (["2025-05", "2025-08"], "No value for 2025-05, 2025-08: the year so far leaves out the quarters missing them.")],
)  # fmt: skip
def test_an_average_missing_months_leaves_out_their_quarters(tmp_path: Path, missing: list[str], note: str) -> None:
    current = _year(2025, 4, 20.0)
    for month in missing:
        del current[month]
    text = _months(_year(2024, 4, 10.0) | current).replace("Calls,", "Average wait (s),")
    [row] = _compare(tmp_path, text)
    assert note in row.notes
    assert not any("total without" in n for n in row.notes)  # only a flow's total is not comparable


def test_a_flow_missing_two_months_is_not_compared_without_them(tmp_path: Path) -> None:
    current = _year(2025, 4, 110.0)
    del current["2025-05"], current["2025-08"]
    [row] = _compare(tmp_path, _months(_year(2024, 4, 100.0) | current))
    assert row.not_compared == (
        "No value for 2025-05, 2025-08: a 2025/26 total without them is not comparable (no change or arrow)."
    )
    assert not any("leaves out" in n for n in row.notes)


@pytest.mark.parametrize(
    ("base", "current", "lengths"),
    [("2025-06", "2025/26 Q4", "is a month and the current period 2025/26 Q4 is a quarter"),
     ("12m to 2025-06", "2025/26 Q4", "is 12 months and the current period 2025/26 Q4 is a quarter")],
)  # fmt: skip
def test_a_refused_pair_of_periods_names_both_lengths(tmp_path: Path, base: str, current: str, lengths: str) -> None:
    with pytest.raises(UsageError) as caught:
        _compare(tmp_path, _months(_year(2024, 4, 1.0, months=24)), baseline=parse_period(base),
                 current=parse_period(current))  # fmt: skip
    assert str(caught.value).startswith(f"the baseline {base} {lengths}: compare like with like")


def test_the_method_says_whether_the_periods_are_years(tmp_path: Path) -> None:
    observations = read_observations([_write(tmp_path, _months(_year(2024, 4, 1.0, months=24)))])
    by_year = compare(observations).notes[0]
    assert by_year == "Baseline: 2024/25 (full year); current year: 2025/26."
    by_quarter = compare(observations, options=CompareOptions(current=parse_period("2025/26 Q4"))).notes[0]
    assert by_quarter == "Baseline: 2024/25 Q4; current period: 2025/26 Q4."
