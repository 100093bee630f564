from __future__ import annotations

from datetime import date

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from kpitool.errors import PeriodError
from kpitool.periods import Period, parse_period, quarter_containing, quarter_span


@pytest.mark.parametrize(
    "text",
    [
        "2023/24 Q1",
        "Q1 2023/24",
        "2023-24 Q1",
        "FY2023/24 Q1",
        "2023/2024 Q1",
        "q1 2023/24",
        " 2023/24  Q1 ",
        "Q1 23/24",
        "Quarter 1 2023/24",
        "Qtr 1 2023/24",
        "Qtr. 1 2023/24",
        "Quarter1 2023/24",
        "2023/24 Quarter 1",
        "2023-24 Qtr 1",
        "Quarter 1 2023/2024",
        "Q1 23-24",
        "Quarter 1 23-24",
        "23-24 Q1",
        "Quarter 1 of 2023/24",
        "Q1 of 2023/24",
        "Qtr 1 of 23-24",
    ],
)
def test_quarter_spellings_print_canonically(text: str) -> None:
    assert parse_period(text).label == "2023/24 Q1"


@pytest.mark.parametrize("text", ["2023/24", "2023-24", "FY2023/24", "FY 2023/24", "2023/2024", "23/24"])
def test_year_spellings(text: str) -> None:
    p = parse_period(text)
    assert p.label == "2023/24" and p.quarter is None and not p.calendar


@pytest.mark.parametrize(
    "text",
    ["2023/25", "Q5 2023/24", "", "2023", "x", "2023/24 Q0", "1999/2001", "Quarter 5 2023/24", "Q1 23-25"],
)
def test_rejects(text: str) -> None:
    if text == "2023":  # a bare year is a calendar year, as in "2010 baseline"
        assert parse_period(text) == Period(year=2023, calendar=True)
        return
    with pytest.raises(PeriodError):
        parse_period(text)


def test_calendar_quarter_is_ambiguous_in_a_fiscal_project_but_fine_in_a_calendar_one() -> None:
    with pytest.raises(PeriodError, match="ambiguous"):
        parse_period("2024 Q1")
    p = parse_period("2024 Q1", "january")
    assert p.label == "2024 Q1" and p.start == date(2024, 1, 1)
    with pytest.raises(PeriodError, match="calendar"):
        parse_period("2023/24", "january")


@pytest.mark.parametrize("text", ["Quarter 1 2024", "Qtr 1 2024", "2024 Quarter 1", "2024 Qtr 1"])
def test_quarter_words_with_a_calendar_year_are_calendar_quarters_or_ambiguous(text: str) -> None:
    """``Quarter 1 2024`` is January–March 2024 in a calendar project; in a fiscal one it could be
    either 2024/25 Q1 or 2023/24 Q1, so it is refused, as ``2024 Q1`` is."""
    p = parse_period(text, "january")
    assert p.label == "2024 Q1" and p.start == date(2024, 1, 1)
    with pytest.raises(PeriodError, match="ambiguous"):
        parse_period(text)


@pytest.mark.parametrize("text", ["Quarter 1 2023/24", "2023/24 Qtr 1", "Q1 23-24"])
def test_quarter_words_with_a_fiscal_year_are_refused_in_a_calendar_project(text: str) -> None:
    with pytest.raises(PeriodError, match="calendar"):
        parse_period(text, "january")


@pytest.mark.parametrize("text", ["23-24", "16-17", "FY23-24"])
def test_two_digit_years_with_a_dash_are_a_fiscal_year_only_beside_a_quarter(text: str) -> None:
    """``16-17`` alone may as well be an age band: it is not read as the year 2016/17."""
    with pytest.raises(PeriodError, match="not a period"):
        parse_period(text)


def test_fiscal_quarters_start_in_april() -> None:
    assert parse_period("2023/24 Q1").start == date(2023, 4, 1)
    assert parse_period("2023/24 Q4").start == date(2024, 1, 1)
    assert quarter_containing(date(2023, 6, 30)).label == "2023/24 Q1"
    assert quarter_containing(date(2024, 3, 31)).label == "2023/24 Q4"
    assert quarter_containing(date(2024, 3, 31), "january").label == "2024 Q1"


def test_arithmetic() -> None:
    q1 = parse_period("2023/24 Q1")
    assert q1.previous().label == "2022/23 Q4"
    assert parse_period("2023/24 Q3").previous().label == "2023/24 Q2"
    assert q1.same_period_last_year().label == "2022/23 Q1"
    assert [q.label for q in parse_period("2023/24").quarters()] == [f"2023/24 Q{i}" for i in range(1, 5)]
    assert parse_period("2023/24").previous().label == "2022/23"


def test_ordering_mixes_years_quarters_and_calendar_years() -> None:
    labels = ["2023/24 Q2", "2010", "2023/24", "2022/23", "2023/24 Q1"]
    ordered = sorted(parse_period(x) for x in labels)
    assert [p.label for p in ordered] == ["2010", "2022/23", "2023/24 Q1", "2023/24", "2023/24 Q2"]


def test_quarter_span() -> None:
    assert quarter_span([1, 2, 3]) == "Q1–Q3"
    assert quarter_span([2]) == "Q2"
    assert quarter_span([1, 3]) == "Q1, Q3"


years = st.integers(min_value=1990, max_value=2090)
quarters = st.integers(min_value=1, max_value=4)


@given(
    years,
    quarters,
    st.sampled_from(
        [
            "{y}/{s} Q{q}",
            "Q{q} {y}/{s}",
            "{y}-{s} Q{q}",
            "FY{y}/{s} Q{q}",
            "{y}/{y1} Q{q}",
            "Quarter {q} {y}/{s}",
            "Qtr {q} {y}-{s}",
            "{y}/{s} Quarter {q}",
            "Q{q} {s0}-{s}",
            "Qtr {q} {y}/{y1}",
        ]
    ),
)
def test_every_spelling_round_trips(year: int, quarter: int, template: str) -> None:
    assume("{s0}" not in template or 1969 <= year <= 2067)  # two-digit years are 1969–2068
    text = template.format(y=year, s=f"{(year + 1) % 100:02d}", s0=f"{year % 100:02d}", y1=year + 1, q=quarter)
    p = parse_period(text)
    assert (p.year, p.quarter) == (year, quarter)
    assert parse_period(p.label) == p


@given(years, quarters)
def test_previous_then_quarters_are_consistent(year: int, quarter: int) -> None:
    p = Period(year=year, quarter=quarter)
    assert p.previous() < p
    assert p.same_period_last_year().quarter == quarter
    assert p in p.year_period().quarters()


@given(st.text(max_size=20))
def test_parse_never_crashes(text: str) -> None:
    try:
        p = parse_period(text)
    except PeriodError:
        return
    assert parse_period(p.label, "january" if p.calendar and p.is_quarter else "april") == p
    assert str(p.year) in text or f"{p.year % 100:02d}" in text


@given(years, quarters)
def test_periods_are_parsed_from_their_text_not_made_up(year: int, quarter: int) -> None:
    assert parse_period(f"{year}/{(year + 1) % 100:02d} Q{quarter}") == Period(year=year, quarter=quarter)
    assert parse_period(f"{year} Q{quarter}", "january") == Period(year=year, quarter=quarter, calendar=True)


def test_the_caches_are_pure() -> None:
    """parse_period and period_of are cached process-wide: what they give is immutable and equal to a fresh parse."""
    from kpitool.numbers import parse_cell
    from kpitool.periods import period_of

    p = parse_period("2023/24 Q1")
    assert p is parse_period("2023/24 Q1") and p == parse_period.__wrapped__("2023/24 Q1")
    assert period_of(2023, 1) is period_of(2023, 1)
    with pytest.raises(ValueError):
        p.year = 1999  # type: ignore[misc]
    assert parse_cell("1,234") == parse_cell.__wrapped__("1,234") and isinstance(parse_cell("1"), tuple)


@pytest.mark.parametrize(
    ("text", "fiscal", "calendar"),
    [
        ("January to March 2017", "2016/17 Q4", "2017 Q1"),
        ("Jan-Mar 2023", "2022/23 Q4", "2023 Q1"),
        ("Jan–Mar 23", "2022/23 Q4", "2023 Q1"),
        ("April to June 2023", "2023/24 Q1", "2023 Q2"),
        ("2023 Jul-Sep", "2023/24 Q2", "2023 Q3"),
        ("Oct - Dec 2023", "2023/24 Q3", "2023 Q4"),
    ],
)
def test_a_quarter_spelled_by_its_months_is_placed_in_either_year(text: str, fiscal: str, calendar: str) -> None:
    assert parse_period(text).label == fiscal
    assert parse_period(text, "january").label == calendar


def test_months_that_are_not_a_quarter_and_the_flag_that_decides_an_ambiguity() -> None:
    with pytest.raises(PeriodError, match="not a quarter"):
        parse_period("Feb-Apr 2023")
    with pytest.raises(PeriodError, match="--year-start january"):
        parse_period("2023 Q1")
