"""The significance method: exact tests and score intervals against worked examples and statsmodels."""

from __future__ import annotations

import json

import pytest
from scipy.stats import beta, binom
from statsmodels.stats import proportion, rates
from typer.testing import CliRunner

from kpitool.cli import app
from kpitool.methods.significance import newcombe, poisson_test, proportions_test, sentence, whole, wilson


def sig4(x: float | None) -> str:
    assert x is not None
    return f"{x:.4g}"


@pytest.mark.parametrize(
    ("before", "after", "p"),
    [(12, 6, 0.2379), (120, 100, 0.2001), (1000, 930, 0.1162), (7, 5, 0.7744)],
)
def test_exact_poisson_p_values_as_hand_computed(before: int, after: int, p: float) -> None:
    """12 → 6: 6 of 18 events with p = ½ under no change; two-sided exact p ≈ 0.24, and so on."""
    result = poisson_test(before, after, 95)
    assert sig4(result.p_value) == f"{p:.4g}"
    assert result.significant is False
    expected = rates.test_poisson_2indep(after, 1, before, 1, method="exact-cond").pvalue
    assert sig4(result.p_value) == sig4(expected)


def test_exposures_make_a_part_year_exact() -> None:
    """30 events in three quarters against 50 in four: the share under no change is 3/7, and the
    p-value twice the smaller binomial tail (the one the Clopper–Pearson interval inverts)."""
    result = poisson_test(50, 30, 95, exposure_baseline=4, exposure_current=3)
    assert sig4(result.p_value) == sig4(2 * min(binom.cdf(30, 80, 3 / 7), binom.sf(29, 80, 3 / 7)))
    assert result.value == pytest.approx((30 / 3) / (50 / 4))
    # at equal exposures it is the two-sided exact test statsmodels gives
    assert sig4(poisson_test(50, 30, 95).p_value) == sig4(
        rates.test_poisson_2indep(30, 1, 50, 1, method="exact-cond").pvalue
    )


@pytest.mark.parametrize(
    ("before", "after", "b_len", "c_len"), [(16, 2, 4, 2), (9, 0, 4, 2), (0, 3, 4, 1), (50, 30, 4, 3)]
)
def test_the_decision_never_contradicts_the_interval(before: int, after: int, b_len: int, c_len: int) -> None:
    """Unequal exposures, small counts: p < 5% exactly when the 95% interval leaves out 1."""
    result = poisson_test(before, after, 95, b_len, c_len)
    low = result.low if result.low is not None else 0.0
    high = result.high if result.high is not None else float("inf")
    assert result.significant == (not low <= 1 <= high)


def test_rate_ratio_interval_is_clopper_pearson_transformed() -> None:
    """The interval of the share (Clopper–Pearson, from beta quantiles) as a ratio of rates."""
    result = poisson_test(120, 100, 95)
    low_p = beta.ppf(0.025, 100, 121)
    high_p = beta.ppf(0.975, 101, 120)
    assert sig4(result.low) == sig4(low_p / (1 - low_p))
    assert sig4(result.high) == sig4(high_p / (1 - high_p))
    assert result.low is not None and result.high is not None and result.low < 100 / 120 < result.high


def test_a_large_change_in_large_counts_is_significant() -> None:
    result = poisson_test(10_000, 9_000, 95)
    assert result.significant is True
    assert result.p_value is not None and result.p_value < 0.001


def test_confidence_level_widens_the_interval() -> None:
    at95, at998 = poisson_test(120, 100, 95), poisson_test(120, 100, 99.8)
    assert at998.low is not None and at95.low is not None and at998.low < at95.low
    significant_at_95 = poisson_test(1000, 900, 95)
    assert significant_at_95.significant is True
    assert significant_at_95.p_value is not None and significant_at_95.p_value > 0.002
    assert poisson_test(1000, 900, 99.8).significant is False


def test_newcombe_published_example() -> None:
    """Newcombe (1998), Statistics in Medicine 17:873, example (a): 56/70 − 48/80 = 0.2000,
    hybrid score interval 0.0524 to 0.3339."""
    result = proportions_test((48, 80), (56, 70), 95)
    assert sig4(result.value) == "20"
    assert f"{result.low:.2f}" == "5.24" and f"{result.high:.2f}" == "33.39"
    low, high = proportion.confint_proportions_2indep(56, 70, 48, 80, method="newcomb", compare="diff")
    assert sig4(result.low) == sig4(low * 100) and sig4(result.high) == sig4(high * 100)
    assert result.significant is True
    # the p-value is the interval's own: at 100 × (1 − p)% the interval just reaches zero
    assert result.p_value is not None and result.p_value < 0.05
    assert newcombe((48, 80), (56, 70), 100 * (1 - result.p_value))[0] == pytest.approx(0, abs=1e-6)


@pytest.mark.parametrize(("base", "cur"), [((18, 186), (2, 78)), ((6, 86), (134, 915)), ((668, 4870), (730, 5802))])
def test_newcombe_p_agrees_with_its_interval(base: tuple[int, int], cur: tuple[int, int]) -> None:
    result = proportions_test(base, cur, 95)
    assert result.p_value is not None
    assert result.significant == (result.p_value < 0.05)


@pytest.mark.parametrize(("x0", "n0", "x1", "n1"), [(9, 10, 3, 10), (668, 4870, 730, 5802), (0, 20, 5, 20)])
def test_newcombe_against_statsmodels(x0: int, n0: int, x1: int, n1: int) -> None:
    result = proportions_test((x0, n0), (x1, n1), 95)
    low, high = proportion.confint_proportions_2indep(x1, n1, x0, n0, method="newcomb", compare="diff")
    assert sig4(result.low) == sig4(low * 100)
    assert sig4(result.high) == sig4(high * 100)
    assert result.significant == bool(low > 0 or high < 0)


def test_wilson_interval_worked_example() -> None:
    """Wilson's interval of 81/263 at 95%: 0.2553 to 0.3662 (Newcombe 1998, Table I)."""
    low, high = wilson(81, 263, 95)
    assert f"{low:.4f}" == "0.2553" and f"{high:.4f}" == "0.3662"


def test_not_a_proportion_is_not_tested() -> None:
    assert proportions_test((12, 10), (5, 10), 95).test == "not tested"
    assert proportions_test((1, 0), (5, 10), 95).reason == "a denominator is zero"


def test_whole_counts_only() -> None:
    assert whole(12.0) == 12
    assert whole(12.5) is None
    assert whole(-1) is None
    assert whole(None) is None


def test_sentence_reads_as_a_person_would_write_it() -> None:
    text = sentence(poisson_test(12, 6, 95))
    assert text == "Exact Poisson test: rate ratio 0.50 (95% CI 0.15 to 1.44), p = 0.238: not significant."


def _compare(*args: str) -> dict:  # type: ignore[type-arg]
    result = CliRunner().invoke(app, ["compare", "--config", "examples/kpitool.toml", "--format", "json", *args])
    assert result.exit_code == 0, result.output
    return {c["measure"] + "|" + c["section"]: c for c in json.loads(result.stdout)["comparisons"]}


def test_example_project_small_counts_lose_their_arrow() -> None:
    band = _compare("--baseline", "2022/23")
    tested = _compare("--baseline", "2022/23", "--method", "significance")
    homicide = "Homicide|Violence against the person"
    assert band[homicide]["direction"] == "down"
    assert tested[homicide]["direction"] == "level"
    assert tested[homicide]["method"] == "significance"
    # 5 in 2023/24's 366 days against 7 in 2022/23's 365
    share = 366 / 731
    assert tested[homicide]["significance"]["p_value"] == pytest.approx(2 * binom.cdf(5, 12, share))
    assert tested[homicide]["small_numbers"] is True
    # a large count keeps the band's arrow: 999 calls +5.1% on 107,042
    calls = "999 calls|Call data"
    assert band[calls]["direction"] == tested[calls]["direction"] == "up"
    # a stock is not tested: the band draws its arrow, and says so
    officers = tested["Police officers|Force staffing levels"]
    assert officers["method"] == "band" and officers["significance"]["test"] == "not tested"
    assert any("band drew the arrow" in n for n in officers["notes"])
    # a percent ratio of two counts: Newcombe's interval
    rate = tested["Resolved rate|Neighbourhood crime"]
    assert rate["significance"]["test"] == "Newcombe score"
    assert rate["significance"]["significant"] is False


def test_method_from_the_catalogue(tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "kpitool.toml").write_text(
        '[project]\nmethod = "significance"\nconfidence = 99.8\n\n[[measure]]\nname = "Burglary"\npolarity = "down"\n',
        encoding="utf-8",
    )
    (tmp_path / "d.csv").write_text(
        "measure,period,value\nBurglary,2022/23,1000\nBurglary,2023/24,900\n", encoding="utf-8"
    )
    result = CliRunner().invoke(
        app, ["compare", str(tmp_path / "d.csv"), "--config", str(tmp_path / "kpitool.toml"), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    row = report["comparisons"][0]
    assert report["method"] == "significance" and report["confidence"] == 99.8
    assert row["significance"]["confidence"] == 99.8
    # p ≈ 0.022: significant at 95%, not at 99.8%
    assert row["direction"] == "level"
    assert 0.002 < row["significance"]["p_value"] < 0.05


def test_csv_carries_the_test() -> None:
    result = CliRunner().invoke(
        app,
        [
            "export",
            "--config",
            "examples/kpitool.toml",
            "--baseline",
            "2022/23",
            "--method",
            "significance",
            "-f",
            "csv",
        ],
    )
    assert result.exit_code == 0, result.output
    import csv
    import io

    rows = {r["measure"]: r for r in csv.DictReader(io.StringIO(result.stdout))}
    assert rows["Homicide"]["test"] == "exact Poisson"
    assert rows["Homicide"]["significant"] == "no"
    assert rows["Homicide"]["small_numbers"] == "yes"
    assert float(rows["Homicide"]["p_value"]) == pytest.approx(0.7707, abs=1e-4)


def test_a_month_is_its_days(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """February 2024 (29 days) at 29,000 against February 2023 (28 days) at 28,000: the same rate a day."""
    path = tmp_path / "m.csv"
    path.write_text("measure,period,value\nCalls,2023-02,28000\nCalls,2024-02,29000\n", encoding="utf-8")
    args = [
        "compare",
        str(path),
        "--baseline",
        "2023-02",
        "--current",
        "2024-02",
        "--method",
        "significance",
        "-f",
        "json",
    ]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    row = json.loads(result.stdout)["comparisons"][0]
    assert row["significance"]["value"] == pytest.approx(1.0)
    assert row["significance"]["significant"] is False and row["direction"] == "level"


def _catalogue_compare(tmp_path, toml: str, data: str, *args: str) -> dict:  # type: ignore[no-untyped-def,type-arg]
    (tmp_path / "kpitool.toml").write_text(toml, encoding="utf-8")
    (tmp_path / "d.csv").write_text(data, encoding="utf-8")
    result = CliRunner().invoke(
        app, ["compare", str(tmp_path / "d.csv"), "-c", str(tmp_path / "kpitool.toml"), "-f", "json", *args]
    )
    assert result.exit_code == 0, result.output
    return {c["measure"]: c for c in json.loads(result.stdout)["comparisons"]}


def test_a_ratio_of_money_is_not_tested(tmp_path) -> None:  # type: ignore[no-untyped-def]
    toml = (
        '[[measure]]\nname = "Spend"\nunit = "currency"\n\n[[measure]]\nname = "Calls"\n\n'
        '[[measure]]\nname = "Cost per call"\nunit = "currency"\naggregate = "ratio"\nnumerator = "Spend"\n'
        'denominator = "Calls"\n'
    )
    data = (
        "measure,period,value\nSpend,2022/23,500000\nSpend,2023/24,507000\nCalls,2022/23,100000\nCalls,2023/24,100000\n"
    )
    rows = _catalogue_compare(tmp_path, toml, data, "--method", "significance")
    assert rows["Cost per call"]["significance"]["test"] == "not tested"
    assert "not a count of events" in rows["Cost per call"]["significance"]["reason"]
    assert rows["Cost per call"]["method"] == "band"


def test_small_numbers_on_the_counts_not_a_projection(tmp_path) -> None:  # type: ignore[no-untyped-def]
    data = "measure,period,value\nBurglary,2022/23,40\nBurglary,2023/24 Q1,3\nBurglary,2023/24 Q2,2\n"
    rows = _catalogue_compare(tmp_path, '[[measure]]\nname = "Burglary"\n', data, "--pro-rata")
    assert rows["Burglary"]["current_value"] == 10  # 5 × 4 / 2, projected
    assert rows["Burglary"]["small_numbers"] is True  # the 5 events counted


def test_a_quarter_is_not_judged_against_a_years_target(tmp_path) -> None:  # type: ignore[no-untyped-def]
    toml = '[[measure]]\nname = "Thefts"\npolarity = "down"\ntarget = 100\n'
    data = "measure,period,value\nThefts,2023/24 Q1,30\nThefts,2024/25 Q1,27\n"
    rows = _catalogue_compare(tmp_path, toml, data, "--baseline", "2023/24 Q1", "--current", "2024/25 Q1")
    assert rows["Thefts"]["target_met"] is None
    assert any("is for a year" in n for n in rows["Thefts"]["notes"])


def test_a_rate_per_population_in_thousands_is_tested(tmp_path) -> None:  # type: ignore[no-untyped-def]
    toml = (
        '[[measure]]\nname = "Crimes"\n\n[[measure]]\nname = "Population"\nunit = "number"\naggregate = "last"\n\n'
        '[[measure]]\nname = "Crime rate"\nunit = "number"\naggregate = "ratio"\nnumerator = "Crimes"\n'
        'denominator = "Population"\n'
    )
    data = (
        "measure,period,value\nCrimes,2022/23,1000\nCrimes,2023/24,1200\n"
        "Population,2022/23,523.4\nPopulation,2023/24,524.1\n"
    )
    rows = _catalogue_compare(tmp_path, toml, data, "--method", "significance")
    test = rows["Crime rate"]["significance"]
    assert test["test"] == "exact Poisson"
    assert test["value"] == pytest.approx((1200 / 524.1) / (1000 / 523.4))
    assert test["significant"] is True


def test_no_baseline_events_has_no_upper_bound() -> None:
    assert "to ∞)" in sentence(poisson_test(0, 7, 95))


def test_the_note_of_a_count_tested_over_periods_of_other_lengths_says_per_day(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "calls.csv"
    # 2023/24 has 29 February: 366 days against 365; +4% is inside the band, and significant
    path.write_text("measure,period,value\nCalls,2022/23,10000\nCalls,2023/24,10400\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["compare", str(path), "--method", "significance", "--format", "json"])
    (row,) = json.loads(result.stdout)["comparisons"]
    (said,) = [n for n in row["notes"] if n.startswith("Exact Poisson test")]
    assert "significant, per day (365 days against 366). The band alone would show ↔." in said
