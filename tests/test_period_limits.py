"""Periods at the edges of what is accepted, and the wording of the reasons a period is refused."""

from __future__ import annotations

import pytest

from kpitool.errors import PeriodError
from kpitool.periods import Period, parse_period, parse_year, quarter_span


@pytest.mark.parametrize(
    ("text", "year_start", "label"),
    [
        ("1900", "april", "1900"),
        ("2200", "april", "2200"),
        ("Jan-Mar 1900", "january", "1900 Q1"),
        ("Oct-Dec 2200", "january", "2200 Q4"),
        ("Oct-Dec 2200", "april", "2200/01 Q3"),
    ],
)
def test_the_first_and_last_years_are_accepted(text: str, year_start: str, label: str) -> None:
    assert parse_period(text, year_start).label == label  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("1899", "'1899': the year 1899 is outside 1900–2200"),
        ("2201", "'2201': the year 2201 is outside 1900–2200"),
        ("Jan-Mar 2201", "'Jan-Mar 2201': the year 2201 is outside 1900–2200"),
        # a four-digit year is taken as written: 0100 is a typing error, not 2100
        ("Jan-Mar 0100", "'Jan-Mar 0100': the year 100 is outside 1900–2200"),
    ],
)
def test_years_beyond_the_limits_are_refused_with_the_year_named(text: str, why: str) -> None:
    with pytest.raises(PeriodError) as caught:
        parse_period(text, "january")
    assert str(caught.value) == why


def test_a_two_digit_year_is_read_as_1969_to_2068() -> None:
    assert parse_period("Apr-Jun 99") == Period(year=1999, quarter=1)
    assert parse_period("Apr-Jun 68") == Period(year=2068, quarter=1)
    assert parse_period("Apr-Jun 00", "january") == Period(year=2000, quarter=2, calendar=True)


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("2023/25", "'2023/25': the second year of a fiscal year must follow the first"),
        ("FY 23/25 Q1", "'FY 23/25 Q1': the second year of a fiscal year must follow the first"),
    ],
)
def test_a_fiscal_year_that_does_not_follow_quotes_what_was_typed(text: str, why: str) -> None:
    with pytest.raises(PeriodError) as caught:
        parse_period(text)
    assert str(caught.value) == why


def test_a_calendar_quarter_in_a_fiscal_project_names_both_fiscal_quarters_it_could_be() -> None:
    with pytest.raises(PeriodError) as caught:
        parse_period("2024 Q1")
    assert str(caught.value) == (
        "'2024 Q1' is ambiguous: this project uses fiscal years, so write 2024/25 Q1 or 2023/24 Q1;"
        ' for calendar quarters use --year-start january (or year_start = "january" in kpitool.toml)'
    )


def test_a_quarter_given_for_a_year_is_refused_with_its_reason() -> None:
    with pytest.raises(PeriodError) as caught:
        parse_year("2023/24 Q1")
    assert str(caught.value) == "give a year such as 2022/23, not a quarter (2023/24 Q1)"


def test_a_no_break_space_separates_like_a_space() -> None:
    assert parse_period("2023/24\u00a0Q1") == Period(year=2023, quarter=1)
    assert parse_period("Q2\u00a0\u00a02024", "january") == Period(year=2024, quarter=2, calendar=True)


def test_the_quarter_before_a_calendar_quarter_is_a_calendar_quarter() -> None:
    assert parse_period("2024 Q3", "january").previous() == Period(year=2024, quarter=2, calendar=True)
    assert parse_period("2024 Q3", "january").previous().label == "2024 Q2"


def test_a_period_is_not_ordered_against_text() -> None:
    p = parse_period("2023/24 Q1")
    with pytest.raises(TypeError):
        assert p <= "2023/24 Q2"  # type: ignore[operator]
    with pytest.raises(TypeError):
        assert p >= 2023  # type: ignore[operator]


def test_no_quarters_span_nothing() -> None:
    assert quarter_span([]) == ""
    assert quarter_span([3, 1, 2]) == "Q1–Q3"
