"""Rows that relate to other rows in the audit: totals and their parts, rates and their terms, and the
bounds on searching a large table for them."""

from __future__ import annotations

from kpitool.models import Catalogue, Finding, Measure
from kpitool.validate import validate_files

HEAD = "T\tQ1-Q4 2022/23 baseline\tQ1 2023/24\tQ2 2023/24\tQ3 2023/24\tQ4 2023/24\tQ1-Q4 2023/24 total\n"
YEARS = "T\t2021/22\t2022/23\t2023/24\n"
RATE = Catalogue(
    measures=[
        Measure(name="N", section="T"),
        Measure(name="D", section="T"),
        Measure(name="R", section="T", unit="percent", aggregate="ratio", numerator="N", denominator="D"),
    ]
)


def _audit(write, text: str, catalogue: Catalogue | None = None) -> list[Finding]:  # type: ignore[no-untyped-def]
    return validate_files([write("t.tsv", text)], catalogue).findings


def _of(findings: list[Finding], code: str) -> list[tuple[str | None, str]]:
    return [(f.cell, f.message) for f in findings if f.code == code]


def _row(name: str, values: list[int]) -> str:
    """A row of the baseline, four quarters and their sum."""
    return "\t".join([name, *map(str, values), str(sum(values[1:]))]) + "\n"


# -- parts: found by name ---------------------------------------------------------------------


def test_catalogue_parts_are_found_by_an_alias_in_the_measures_own_section(write) -> None:  # type: ignore[no-untyped-def]
    catalogue = Catalogue(
        measures=[
            Measure(name="Officers", section="T"),
            Measure(name="Staff", section="T", aliases=["Police staff"]),
            Measure(name="Staff", section="U", aliases=["Civilian staff"]),
            Measure(name="Workforce", section="T", parts=["Officers", "Staff"]),
        ]
    )
    body = "Officers\t10\t1\t2\t3\t4\t10\nPolice staff\t90\t9\t18\t27\t36\t90\nWorkforce\t100\t10\t21\t30\t40\t101\n"
    # "Workforce" does not say it is a total: only the catalogue makes it one
    assert _of(_audit(write, HEAD + body, catalogue), "parts-mismatch") == [
        ("D4", "T — Workforce: Q2 2023/24 shows 21 but Officers + Police staff = 20"),
        ("G4", "T — Workforce: Q1-Q4 2023/24 total shows 101 but Officers + Police staff = 100"),
    ]


def test_a_part_named_in_the_row_is_found_by_the_start_of_a_starred_name(write) -> None:  # type: ignore[no-untyped-def]
    body = (
        "*Fatal\t10\t1\t2\t3\t4\t10\nSerious\t90\t9\t18\t27\t36\t90\nBoth (Fatal + Serious)\t100\t10\t21\t30\t40\t101\n"
    )
    assert [c for c, _ in _of(_audit(write, HEAD + body), "parts-mismatch")] == ["D4", "G4"]
    assert _of(_audit(write, HEAD + body), "parts-mismatch")[0][1] == (
        "T — Both (Fatal + Serious): Q2 2023/24 shows 21 but *Fatal + Serious = 20"
    )


def test_parts_named_ambiguously_or_not_in_the_table_are_not_checked(write) -> None:  # type: ignore[no-untyped-def]
    body = "Fatal\t10\t1\t2\t3\t4\t10\nSerious\t90\t9\t18\t27\t36\t90\nSlight\t5\t1\t1\t1\t1\t4\n"
    assert _audit(write, HEAD + body + "Both (Fatal + S)\t15\t2\t3\t4\t5\t14\n") == []  # Serious or Slight?
    assert _audit(write, HEAD + body + "Both (Fatal + Unknown)\t15\t2\t3\t4\t5\t14\n") == []


# -- parts: evident in most columns -------------------------------------------------------------


def test_a_total_of_two_rows_is_checked_where_its_cells_are_all_shown(write) -> None:  # type: ignore[no-untyped-def]
    body = "A\t10\t1\t2\t3\t4\t10\nB\t90\t9\t..\t27\t36\t90\nTotal\t100\t..\t21\t31\t40\t100\n"
    assert _of(_audit(write, HEAD + body), "parts-mismatch") == [
        ("E4", "T — Total: Q3 2023/24 shows 31 but A + B = 30")
    ]


def test_a_total_adding_up_in_two_of_three_columns_is_checked_in_the_third(write) -> None:  # type: ignore[no-untyped-def]
    got = _audit(write, YEARS + "A\t10\t20\t30\nB\t1\t2\t3\nTotal\t11\t22\t34\n")
    assert [(f.cell, f.expected, f.actual) for f in got if f.code == "parts-mismatch"] == [("D4", "33", "34")]


def test_a_total_adding_up_in_only_half_its_columns_is_not_taken_as_their_sum(write) -> None:  # type: ignore[no-untyped-def]
    body = "A\t10\t1\t2\t..\t..\t10\nB\t90\t9\t18\t..\t..\t90\nTotal\t100\t10\t21\t..\t..\t101\n"
    assert _audit(write, HEAD + body) == []


def test_rounded_parts_and_total_allow_for_all_their_rounding(write) -> None:  # type: ignore[no-untyped-def]
    # 1.1 + 2.2 may be as much as 3.4 (1.15 + 2.25), and a 3.4 shown as little as 3.35
    body = "A\t1.1\t1.1\t1.1\t1.1\t1.1\t4.4\nB\t2.2\t2.2\t2.2\t2.2\t2.2\t8.8\nTotal\t3.4\t3.3\t3.3\t3.3\t3.3\t13.2\n"
    assert _audit(write, HEAD + body) == []


def test_a_total_is_the_sum_of_at_least_two_rows(write) -> None:  # type: ignore[no-untyped-def]
    # the total equals B alone everywhere, but a total of one row is no total: it is A + B, wrong in Q4
    body = "A\t0\t0\t0\t0\t5\t5\nB\t10\t20\t30\t40\t50\t140\nTotal\t10\t20\t30\t40\t50\t140\n"
    assert [c for c, _ in _of(_audit(write, HEAD + body), "parts-mismatch")] == ["F4", "G4"]


def test_the_fewest_rows_that_add_up_are_the_parts(write) -> None:  # type: ignore[no-untyped-def]
    body = "A\t10\t1\t2\t3\t4\t10\nB\t90\t9\t18\t27\t36\t90\nOther\t0\t0\t0\t0\t0\t0\nTotal\t100\t10\t21\t30\t40\t101\n"
    assert _of(_audit(write, HEAD + body), "parts-mismatch") == [
        ("D5", "T — Total: Q2 2023/24 shows 21 but A + B = 20"),
        ("G5", "T — Total: Q1-Q4 2023/24 total shows 101 but A + B = 100"),
    ]


def test_every_subset_of_twelve_rows_is_tried(write) -> None:  # type: ignore[no-untyped-def]
    def part(i: int) -> list[int]:
        return [100 + i * i, 10 + 2**i, 20 + 3 * i * i, 30 + i**3, 40 + 5 * i]

    parts = "".join(_row(f"Part {i}", part(i)) for i in range(12))
    # Part 5 + Part 10, wrong in the baseline
    total = _row(
        "Total", [part(5)[0] + part(10)[0] + 1] + [a + b for a, b in zip(part(5)[1:], part(10)[1:], strict=True)]
    )
    got = _audit(write, HEAD + parts + total)
    assert [(f.code, f.cell, f.expected) for f in got] == [("parts-mismatch", "B14", str(part(5)[0] + part(10)[0]))]


def test_a_total_after_one_whose_parts_do_not_hold_is_still_checked(write) -> None:  # type: ignore[no-untyped-def]
    body = (
        "Fatal\t10\t1\t2\t3\t4\t10\nSerious\t90\t9\t18\t27\t36\t90\n"
        "All\t100\t10\t25\t35\t45\t115\n"  # adds up in two columns of six: not a total of these rows
        "KSI (Fatal + Serious)\t100\t10\t21\t30\t40\t101\n"
    )
    assert [c for c, _ in _of(_audit(write, HEAD + body), "parts-mismatch")] == ["D5", "G5"]


# -- rates --------------------------------------------------------------------------------------


def test_a_declared_rate_is_checked_wherever_its_terms_are_shown(write) -> None:  # type: ignore[no-untyped-def]
    body = "N\t10\t..\t2\t3\t4\t..\nD\t100\t10\t..\t10\t10\t..\nR\t10.0%\t10.0%\t20.0%\t..\t50.0%\t..\n"
    got = _audit(write, HEAD + body, RATE)
    assert [(f.code, f.cell, f.expected, f.actual) for f in got] == [("ratio-mismatch", "F4", "40.0%", "50.0%")]
    assert got[0].message == "T — R: Q4 2023/24 shows 50.0% but N / D = 40.0%"


def test_a_declared_rate_is_checked_as_declared_though_other_rows_fit_better(write) -> None:  # type: ignore[no-untyped-def]
    body = (
        "N\t10\t1\t2\t3\t4\t10\nD\t100\t10\t10\t10\t10\t40\nX\t100\t10\t20\t30\t40\t100\n"
        "R\t10.0%\t10.0%\t10.0%\t10.0%\t10.0%\t10.0%\n"
    )
    got = _audit(write, HEAD + body, RATE)
    assert [f.cell for f in got if f.code == "ratio-mismatch"] == ["D5", "E5", "F5", "G5"]


def test_a_declared_rate_whose_denominator_is_not_in_the_table_is_inferred(write) -> None:  # type: ignore[no-untyped-def]
    body = "N\t10\t1\t2\t3\t4\t10\nPeople\t100\t10\t10\t10\t10\t40\nR\t10.0%\t10.0%\t20.0%\t30.0%\t40.0%\t30.0%\n"
    assert _of(_audit(write, HEAD + body, RATE), "ratio-mismatch") == [
        ("G4", "T — R: Q1-Q4 2023/24 total shows 30.0% but N / People = 25.0%")
    ]


def test_a_rate_of_exactly_half_a_unit_may_be_rounded_either_way(write) -> None:  # type: ignore[no-untyped-def]
    assert _audit(write, YEARS + "N\t1\t2\t3\nD\t8\t16\t24\nR\t13%\t12%\t13%\n", RATE) == []  # 12.5% each year


def test_an_evident_rate_right_in_two_of_three_columns_is_checked_in_the_third(write) -> None:  # type: ignore[no-untyped-def]
    assert _of(_audit(write, YEARS + "N\t1\t2\t3\nD\t10\t10\t10\nR\t10.0%\t20.0%\t40.0%\n"), "ratio-mismatch") == [
        ("D4", "T — R: 2023/24 shows 40.0% but N / D = 30.0%")
    ]
    assert _audit(write, YEARS + "N\t1\t2\t3\nD\t10\t10\t10\nR\t10.0%\t20.0%\t30.0%\n") == []


def test_a_rate_after_one_without_terms_is_still_checked(write) -> None:  # type: ignore[no-untyped-def]
    body = "N\t1\t2\t3\nD\t10\t10\t10\nShare\t55.0%\t60.0%\t1.0%\nR\t10.0%\t20.0%\t40.0%\n"
    assert [c for c, _ in _of(_audit(write, YEARS + body), "ratio-mismatch")] == ["D5"]


def test_of_two_equally_good_denominators_the_first_is_named(write) -> None:  # type: ignore[no-untyped-def]
    body = "N\t1\t2\t3\nPopulation\t10\t10\t10\nResidents\t10\t10\t10\nR\t10.0%\t20.0%\t40.0%\n"
    assert _of(_audit(write, YEARS + body), "ratio-mismatch") == [
        ("D5", "T — R: 2023/24 shows 40.0% but N / Population = 30.0%")
    ]


def test_a_rate_far_from_its_terms_is_found_in_a_table_of_fewer_than_25_rows(write) -> None:  # type: ignore[no-untyped-def]
    filler = "".join(f"Row {i}\t{i + 50}\t{2 * i + 51}\t{3 * i + 53}\n" for i in range(18))
    body = "R\t10.0%\t20.0%\t40.0%\n" + filler + "N\t1\t2\t3\nD\t10\t10\t10\n"
    got = _audit(write, YEARS + body)
    assert [(f.code, f.cell) for f in got] == [("ratio-mismatch", "D2")]


# -- large tables: the search is kept to nearby rows, and said once -------------------------------


def test_24_rows_are_searched_for_a_rates_terms_but_25_are_bounded(write) -> None:  # type: ignore[no-untyped-def]
    def table(n: int) -> str:
        rows = "".join(f"Row {i}\t{i + 50}\t{2 * i + 51}\t{3 * i + 53}\n" for i in range(n - 2))
        return YEARS + "N\t1\t2\t3\nD\t10\t10\t10\nR\t10.0%\t20.0%\t30.0%\nS\t10.0%\t20.0%\t30.0%\n" + rows

    assert _audit(write, table(24)) == []
    (bounded,) = _audit(write, table(25))
    assert (bounded.code, bounded.file, bounded.row) == ("audit-bounded", str(write("t.tsv", table(25))), 1)
    assert bounded.message == (
        "T: the table is too large to search every pair of rows a rate may be the ratio of;"
        " they were looked for within 12 rows of it"
    )


def test_a_large_table_says_once_that_it_searched_for_parts_nearby(write) -> None:  # type: ignore[no-untyped-def]
    parts = "".join(
        _row(f"Part {i}", [1000 + 7 * i, 11 * i + 1, 13 * i + 2, 17 * i + 3, 19 * i + 4]) for i in range(12)
    )
    totals = "".join(_row(f"Total {i}", [5000 + i, 3 + i, 5 + i, 7 + i, 11 + i]) for i in range(5))
    got = _audit(write, HEAD + parts + totals)
    assert [(f.code, f.row, f.message) for f in got] == [
        (
            "audit-bounded",
            1,
            "T: the table is too large to search every subset of rows a total may be the sum of;"
            " they were looked for within 12 rows of it",
        )
    ]


def test_in_a_large_table_a_total_is_the_run_of_rows_just_above_or_below_it(write) -> None:  # type: ignore[no-untyped-def]
    def part(i: int) -> list[int]:
        return [1000 + 7 * i, 11 * i + 1, 13 * i + 2, 17 * i + 3, 19 * i + 4]

    def plus(a: list[int], b: list[int], off: int) -> list[int]:
        return [a[0] + b[0] + off] + [x + y for x, y in zip(a[1:], b[1:], strict=True)]

    rows = _row("Part 0", part(0)) + _row("Part 1", part(1)) + _row("Total a", plus(part(0), part(1), 1))
    rows += "".join(_row(f"Part {i}", part(i)) for i in range(2, 10))
    rows += _row("Total b", plus(part(10), part(11), 1)) + _row("Part 10", part(10)) + _row("Part 11", part(11))
    rows += "".join(_row(f"Total {i}", [5000 + i, 3 + i, 5 + i, 7 + i, 11 + i]) for i in range(3))
    got = _audit(write, HEAD + rows)
    assert [(f.code, f.cell) for f in got] == [
        ("parts-mismatch", "B4"),
        ("parts-mismatch", "B13"),
        ("audit-bounded", "row 1"),
    ]


def test_in_a_large_table_a_rates_terms_are_looked_for_within_12_rows_of_it(write) -> None:  # type: ignore[no-untyped-def]
    def table(gap: int) -> str:
        filler = [f"Row {i}\t{i + 50}\t{2 * i + 51}\t{3 * i + 53}\n" for i in range(30)]
        rows = ["R\t10.0%\t20.0%\t40.0%\n", *filler[: gap - 2], "D\t10\t10\t10\n", "N\t1\t2\t3\n", *filler[gap - 2 :]]
        return YEARS + "".join(rows)

    assert [f.code for f in _audit(write, table(12))] == ["ratio-mismatch", "audit-bounded"]  # N is 12 rows below
    assert [f.code for f in _audit(write, table(13))] == ["audit-bounded"]  # N is 13 rows below: not looked for


# -- a total without one of its parts ------------------------------------------------------------

PART_MISSING = (
    "Crime,Q1-Q4 2022/23 baseline,Q1 2023/24,Q2 2023/24,Q3 2023/24,Q4 2023/24\n"
    "Burglary,1000,240,250,260,\nRobbery,200,50,[c],55,45\nTheft,500,120,130,140,150\nTotal,1700,410,380,455,{q4}\n"
)


def test_a_total_that_is_the_sum_of_the_parts_shown_says_it_lacks_the_others(write) -> None:  # type: ignore[no-untyped-def]
    findings = validate_files([write("t.csv", PART_MISSING.format(q4=195))]).findings
    assert [(f.severity, f.code, f.cell) for f in findings] == [
        ("warning", "incomplete-total", "D5"),
        ("warning", "incomplete-total", "F5"),
    ]
    assert findings[1].message == (
        "Crime — Total: Q4 2023/24 (195) is Robbery + Theft alone: Burglary has no figure there, so the"
        " total leaves it out (or it is 0), and so does a year made from it"
    )
    assert "Robbery ([c]) has no figure there" in findings[0].message


def test_a_total_holding_more_than_the_parts_shown_is_complete(write) -> None:  # type: ignore[no-untyped-def]
    findings = validate_files([write("t.csv", PART_MISSING.format(q4=395))]).findings  # Burglary's 200 in it
    assert [(f.code, f.cell) for f in findings] == [("incomplete-total", "D5")]


def test_compare_notes_on_the_total_that_its_quarter_lacks_a_part(runner, write) -> None:  # type: ignore[no-untyped-def]
    import json

    from kpitool.cli import app

    path = write("t.csv", PART_MISSING.format(q4=195))
    result = runner.invoke(app, ["compare", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    notes = {c["measure"]: c["notes"] for c in json.loads(result.stdout)["comparisons"]}
    said = [n for n in notes["Total"] if "without one of its parts" in n]
    assert len(said) == 2 and "t.csv:F5" in said[1] and "Q4 2023/24 (195) is Robbery + Theft alone" in said[1]
    assert not [n for n in notes["Theft"] if "without one of its parts" in n]
