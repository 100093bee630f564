"""The audit of published tables: every arithmetic error of the 2023/24 report, no false alarm."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import EXAMPLES, SEED
from kpitool.catalogue import load_catalogue
from kpitool.compare import compare
from kpitool.models import Catalogue, Finding, Measure
from kpitool.readers import read_observations
from kpitool.validate import validate_files


def _findings(catalogue: bool = False) -> list[Finding]:
    cat = load_catalogue(EXAMPLES / "kpitool.toml") if catalogue else None
    return validate_files([SEED], cat).findings


def _by(findings: list[Finding], measure: str, section_prefix: str = "") -> list[tuple[str, str, str | None]]:
    return [
        (f.severity, f.code, f.cell)
        for f in findings
        if f.measure == measure and f.message.startswith(section_prefix) and f.code != "unknown-measure"
    ]


@pytest.fixture(scope="module", params=[False, True], ids=["inferred", "catalogue"])
def findings(request: pytest.FixtureRequest) -> list[Finding]:
    return _findings(request.param)


def test_road_casualty_totals_and_the_fatal_change_and_arrow(findings: list[Finding]) -> None:
    fatal = _by(findings, "Fatal")
    assert ("error", "total-mismatch", "G38") in fatal
    assert ("error", "change-mismatch", "H38") in fatal
    assert ("error", "direction-mismatch", "I38") in fatal
    for row, name in ((39, "Serious"), (40, "KSI (fatal + serious)"), (41, "Slight"), (42, "All Casualties Total")):
        assert ("error", "total-mismatch", f"G{row}") in _by(findings, name)
    total = next(f for f in findings if f.cell == "G38")
    assert (total.expected, total.actual) == ("20", "17")


def test_vcas_referral_totals(findings: list[Finding]) -> None:
    for row, name in enumerate(
        [
            "All Referrals",
            "Police",
            "Third party",
            "Self-referrals",
            "Court referrals",
            "Restorative Justice referrals",
        ],
        start=52,
    ):
        assert ("error", "total-mismatch", f"G{row}") in _by(findings, name, "VCAS")
    # the published all-referrals total is not the sum of its five sources' totals either
    assert ("error", "parts-mismatch", "G52") in _by(findings, "All Referrals", "VCAS")


def test_asb_and_mental_health_totals(findings: list[Finding]) -> None:
    asb = _by(findings, "ASB (all)")
    assert ("error", "total-mismatch", "G24") in asb
    # its -11.5% follows from the quarters, not from the 12,008 shown: said, not an error
    assert ("info", "change-mismatch", "H24") in asb
    mh = _by(findings, "Incident count")
    assert ("error", "total-mismatch", "G35") in mh
    assert ("warning", "change-mismatch", "H35") in mh  # -13.4% follows from the wrong total


def test_q4_resolved_rate(findings: list[Finding]) -> None:
    rate = _by(findings, "Resolved rate")
    assert ("error", "ratio-mismatch", "F21") in rate
    assert ("info", "change-in-points", "H21") in rate  # -1.1 under "%" is percentage points
    assert not [f for f in rate if f[0] == "error" and f[2] != "F21"]
    q4 = next(f for f in findings if f.cell == "F21")
    assert (q4.expected, q4.actual) == ("13.7%", "14.6%")


def test_staffing_q4_total(findings: list[Finding]) -> None:
    totals = _by(findings, "Totals")
    assert totals == [("error", "parts-mismatch", "G6")]
    f = next(f for f in findings if f.cell == "G6")
    assert (f.expected, f.actual) == ("2,604", "2603")


def test_crimestoppers_row_whose_change_and_arrow_contradict_its_figures(findings: list[Finding]) -> None:
    row = _by(findings, "Vulnerability & safeguarding issues")
    assert row == [("error", "change-mismatch", "F105"), ("error", "direction-mismatch", "G105")]
    for other in ("Drink & drug driving", "Drug trafficking & supply", "Drug manufacture & cultivation"):
        assert _by(findings, other) == []


def test_cctv_drug_offences_total(findings: list[Finding]) -> None:
    assert _by(findings, "Drug offences") == [("error", "total-mismatch", "F69")]
    cctv = [f for f in findings if f.message.startswith("Table 12") and f.code != "unknown-measure"]
    assert len(cctv) == 1


def test_no_error_on_the_rows_that_are_right(findings: list[Finding]) -> None:
    right = [
        ("999 calls", "Call Data"),
        ("101 calls", "Call Data"),
        ("total", "Call Data"),
        ("Number of 999 calls answered within 10 seconds", ""),
        ("Average answer time for 999 calls (seconds)", ""),  # its total is the mean of the quarters
        ("101 calls abandoned", ""),
        ("Recorded", ""),
        ("Resolved", ""),
        ("Violence with Injury", ""),
        ("Homicide", ""),
        ("Violence against the person total", ""),  # has unlisted parts: no parts finding
        ("Missing Person Referrals", ""),
        ("Police Officers", ""),
        ("PCSOs", ""),
    ]
    for name, section in right:
        assert _by(findings, name, section) == [], name
    # the peer mentors' totals are right (their % changes are truncated: info only)
    cpm = [f for f in findings if f.message.startswith("CPMs") and f.code != "unknown-measure"]
    assert {(f.severity, f.code) for f in cpm} == {("info", "rounding")}
    assert {f.cell for f in cpm} == {"H45", "H48"}


def test_the_whole_audit_is_pinned() -> None:
    errors = sorted(f.cell or "" for f in _findings() if f.severity == "error")
    assert errors == sorted(
        ["G6", "F21", "G24", "G35", "G38", "H38", "I38", "G39", "H39", "G40", "H40", "G41", "H41", "G42", "H42"]
        + ["G52", "G52", "G53", "G54", "G55", "G56", "G57", "F69", "F105", "G105"]
    )


# -- each rule on small tables ---------------------------------------------------------------

HEAD = "T\tQ1-Q4 2022/23 baseline\tQ1 2023/24\tQ2 2023/24\tQ3 2023/24\tQ4 2023/24\tQ1-Q4 2023/24 total\t% change (baseline to 23/24)\tDirection of travel (from baseline)\n"


def _audit(write, body: str) -> list[tuple[str, str, str | None]]:  # type: ignore[no-untyped-def]
    return [(f.severity, f.code, f.cell) for f in validate_files([write("t.tsv", HEAD + body)]).findings]


def test_rounded_inputs_imply_intervals(write) -> None:  # type: ignore[no-untyped-def]
    # an average: 14.4 is the mean of the quarters, and -23.0% is within the rounding of 14.4 and 18.7
    assert _audit(write, "Avg\t18.7\t18.8\t16.0\t12.6\t10.3\t14.4\t-23.0%\t↓\n") == []
    assert _audit(write, "Avg\t18.7\t18.8\t16.0\t12.6\t10.3\t14.4\t-25.0%\t↓\n") == [("error", "change-mismatch", "H2")]


def test_truncated_percentage_is_info(write) -> None:  # type: ignore[no-untyped-def]
    assert _audit(write, "A\t1233\t457\t443\t521\t423\t1844\t49.5%\t↑\n") == [("info", "rounding", "H2")]


def test_arrow_on_the_band_edge(write) -> None:  # type: ignore[no-untyped-def]
    assert _audit(write, "A\t100\t25\t25\t25\t30\t105\t5.0%\t↔\n") == []
    assert _audit(write, "A\t100\t25\t25\t25\t30\t105\t5.0%\t↑\n") == [("error", "direction-mismatch", "I2")]


def test_subset_parts_and_unlisted_parts(write) -> None:  # type: ignore[no-untyped-def]
    body = "A\t10\t1\t2\t3\t4\t10\t0.0%\t↔\nB\t20\t2\t3\t4\t5\t14\t-30.0%\t↓\nC\t5\t1\t1\t1\t1\t4\t-20.0%\t↓\nAll\t30\t3\t5\t7\t10\t25\t-16.7%\t↓\n"
    # All = A + B in most columns; not in Q4 (10 against 9) nor in the total (25 against 10 + 14)
    assert _audit(write, body) == [("error", "parts-mismatch", "F5"), ("error", "parts-mismatch", "G5")]
    unlisted = "A\t10\t1\t2\t3\t4\t10\t0.0%\t↔\nB\t20\t2\t3\t4\t5\t14\t-30.0%\t↓\nAll\t99\t9\t9\t9\t9\t36\t-63.6%\t↓\n"
    assert _audit(write, unlisted) == []


def test_restated_values_warn_and_the_later_file_wins(write) -> None:  # type: ignore[no-untyped-def]
    first = write("q1.csv", "measure,period,value\nA,2022/23,100\nA,2023/24 Q1,30\n")
    second = write("q2.csv", "measure,period,value\nA,2023/24 Q1,35\nA,2023/24 Q2,40\n")
    findings = validate_files([first, second]).findings
    assert [(f.severity, f.code, f.file, f.row, f.expected, f.actual) for f in findings] == [
        ("warning", "restated", str(second), 2, "30", "35")
    ]
    report = compare(read_observations([first, second]))
    assert report.comparisons[0].current_value == 75


def test_json_and_markdown_audit(tmp_path: Path) -> None:
    from kpitool.render.findings import render_markdown

    report = validate_files([SEED])
    md = render_markdown(report)
    assert md.startswith("# Data and arithmetic check") and "| G38 " in md and "total-mismatch" in md


def test_restatements_chain_across_files(write) -> None:  # type: ignore[no-untyped-def]
    a = write("a.csv", "measure,period,value\nA,2023/24 Q1,30\nB,2023/24 Q1,5\n")
    b = write("b.csv", "measure,period,value\nA,2023/24 Q1,35\nB,2023/24 Q1,5\n")
    c = write("c.csv", "measure,period,value\nA,2023/24 Q1,..\n")
    got = [(Path(f.file or "").name, f.row, f.expected, f.actual) for f in validate_files([a, b, c]).findings]
    assert got == [("b.csv", 2, "30", "35"), ("c.csv", 2, "35", "missing")]


def test_a_total_off_by_exactly_one_is_an_error(write) -> None:  # type: ignore[no-untyped-def]
    assert _audit(write, "A\t100\t25\t25\t25\t25\t100\t0.0%\t↔\n") == []
    for shown in ("101", "99"):
        got = _audit(write, f"A\t100\t25\t25\t25\t25\t{shown}\t0.0%\t↔\n")
        assert [f for f in got if f[0] == "error"] == [("error", "total-mismatch", "G2")]


def test_the_band_edge_is_the_catalogues(write) -> None:  # type: ignore[no-untyped-def]
    table = write("t.tsv", HEAD + "A\t100\t27\t27\t27\t27\t108\t8.0%\t↔\n")
    own = Catalogue(measures=[Measure(name="A", section="T", tolerance=10)])
    assert validate_files([table], own).findings == []
    global_band = Catalogue(tolerance=10, measures=[Measure(name="A", section="T")])
    assert validate_files([table], global_band).findings == []
    narrow = Catalogue(tolerance=5, measures=[Measure(name="A", section="T")])
    assert [f.code for f in validate_files([table], narrow).findings] == ["direction-mismatch"]


STOCK_HEAD = "Staff\t2010 baseline\tQ1 end (30/06/2023)\tQ2 end (30/09/2023)\tQ3 end (31/12/2023)\tQ4 end (31/03/2024)\t% change (from 2010)\tDirection of travel (from 2010 baseline)\n"


def test_arrows_in_a_stock_table_follow_the_last_quarter(write) -> None:  # type: ignore[no-untyped-def]
    right = write(
        "s.tsv",
        STOCK_HEAD + "Officers\t1557\t1366\t1384\t1339\t1378\t-11.5%\t↓\nPCSOs\t100\t98\t99\t101\t102\t2.0%\t↔\n",
    )
    assert validate_files([right]).findings == []
    wrong = write("w.tsv", STOCK_HEAD + "Officers\t1557\t1366\t1384\t1339\t1378\t-11.5%\t↔\n")
    assert [(f.code, f.cell) for f in validate_files([wrong]).findings] == [("direction-mismatch", "H2")]


def test_catalogue_declared_parts_and_ratios_are_checked_in_every_column(write) -> None:  # type: ignore[no-untyped-def]
    catalogue = Catalogue(
        measures=[
            Measure(name="Fatal", section="T"),
            Measure(name="Serious", section="T"),
            Measure(name="KSI", section="T", parts=["Fatal", "Serious"]),
            Measure(name="Rate", section="T", unit="percent", aggregate="ratio", numerator="Fatal", denominator="KSI"),
        ]
    )
    body = (
        "Fatal\t10\t2\t3\t2\t3\t10\t0.0%\t↔\n"
        "Serious\t90\t20\t25\t22\t23\t90\t0.0%\t↔\n"
        "KSI\t100\t22\t28\t24\t26\t100\t0.0%\t↔\n"  # Q2: 3 + 25 = 28, right; all right
        "Rate\t10.0%\t9.1%\t10.7%\t8.3%\t12.0%\t10.0%\t0.0%\t↔\n"  # Q4: 3 / 26 = 11.5%, not 12.0%
    )
    findings = validate_files([write("t.tsv", HEAD + body)], catalogue).findings
    assert [(f.code, f.cell) for f in findings] == [("ratio-mismatch", "F5")]
    broken = body.replace("KSI\t100\t22\t28", "KSI\t100\t22\t29").replace("\t100\t0.0%", "\t101\t1.0%", 1)
    findings = validate_files([write("b.tsv", HEAD + broken)], catalogue).findings
    assert ("parts-mismatch", "D4") in [(f.code, f.cell) for f in findings]


def test_several_total_and_change_columns(write) -> None:  # type: ignore[no-untyped-def]
    head = (
        "T\tQ1-Q4 2022/23 baseline\tQ1 2023/24\tQ2 2023/24\tQ3 2023/24\tQ4 2023/24\tQ1-Q3 2023/24\tQ1-Q4 2023/24 total"
        "\t% change (baseline to 23/24)\t% change (Q3 23/24 to Q4 23/24)\n"
    )
    right = "A\t100\t20\t30\t40\t50\t90\t140\t40.0%\t25.0%\n"
    assert validate_files([write("r.tsv", head + right)]).findings == []
    wrong = "A\t100\t20\t30\t40\t50\t91\t140\t40.0%\t20.0%\n"
    got = [(f.code, f.cell) for f in validate_files([write("w.tsv", head + wrong)]).findings]
    assert got == [("total-mismatch", "G2"), ("change-mismatch", "J2")]


def test_wide_table_structure_problems_are_findings(write) -> None:  # type: ignore[no-untyped-def]
    head = "T\t2022/23\t2023/24 Q1\tQ1 2023/24\n"
    findings = validate_files([write("t.tsv", head + "A\t1\t2\t2\n\t1\t2\t2\nB\t1\t2\nC\t1\t2\t3\t4\n")]).findings
    got = sorted((f.code, f.cell) for f in findings)
    assert got == [
        ("blank-measure", "A3"),
        ("duplicate-column", "D1"),
        ("ragged-row", "row 4"),
        ("ragged-row", "row 5"),
    ]
    rows = {f.cell: f.message for f in findings}
    assert "the row was not read" in rows["row 5"] and "not read" not in rows["row 4"]


ABS_HEAD = "T\tQ1-Q4 2022/23 baseline\tQ1 2023/24\tQ2 2023/24\tQ3 2023/24\tQ4 2023/24\tQ1-Q4 2023/24 total\t{}\n"


@pytest.mark.parametrize("heading", ["Change", "Change (number)", "Change (baseline to 23/24)"])
def test_an_absolute_change_column_is_audited_as_one(heading: str, write) -> None:  # type: ignore[no-untyped-def]
    head = ABS_HEAD.format(heading)
    assert validate_files([write("r.tsv", head + "A\t100\t25\t25\t25\t30\t105\t5\n")]).findings == []
    wrong = validate_files([write("w.tsv", head + "A\t100\t25\t25\t25\t30\t105\t6\n")]).findings
    assert [(f.code, f.cell, f.expected) for f in wrong] == [("change-mismatch", "H2", "5")]
    # a "Change" column whose cells carry a % sign is a % change
    pct = validate_files([write("p.tsv", head + "A\t100\t25\t25\t25\t30\t105\t5.0%\n")]).findings
    assert pct == []


def test_rounded_inputs_allow_for_their_rounding_in_an_absolute_change(write) -> None:  # type: ignore[no-untyped-def]
    head = ABS_HEAD.format("Change")
    assert validate_files([write("r.tsv", head + "Avg\t18.7\t18.8\t16.0\t12.6\t10.3\t14.4\t-4.3\n")]).findings == []


def test_a_table_of_year_columns_only_is_audited(write) -> None:  # type: ignore[no-untyped-def]
    head = "T\t2021/22\t2022/23\t2023/24\t% change (from 2022/23)\t% change\tDirection of travel\n"
    right = "A\t90\t100\t120\t20.0%\t20.0%\t↑\nB\t50\t50\t51\t2.0%\t2.0%\t↔\n"
    assert validate_files([write("r.tsv", head + right)]).findings == []
    wrong = "A\t90\t100\t120\t25.0%\t20.0%\t↔\n"
    got = [(f.code, f.cell) for f in validate_files([write("w.tsv", head + wrong)]).findings]
    assert got == [("change-mismatch", "E2"), ("direction-mismatch", "G2")]


def test_the_search_for_parts_and_terms_is_bounded_on_large_tables(write) -> None:  # type: ignore[no-untyped-def]
    head = "T\t2022/23\t2023/24 Q1\t2023/24 Q2\t2023/24 Q3\t2023/24 Q4\tQ1-Q4 2023/24 total\n"
    parts = "".join(f"Part {i}\t{10 + i}\t1\t2\t3\t{4 + i}\t{10 + i}\n" for i in range(12))
    totals = "".join(f"Total {i}\t{100 + i}\t20\t30\t40\t{10 + i}\t{100 + i}\n" for i in range(400))
    findings = validate_files([write("t.tsv", head + parts + totals)]).findings  # bench/scale.py times it
    assert [f.code for f in findings] == ["audit-bounded"]
    # and a total right under its parts is still found, and checked, in a large table
    body = (
        parts
        + "Total parts\t"
        + "\t".join(str(x) for x in (sum(10 + i for i in range(12)), 12, 24, 36, 48 + 66, 9999))
        + "\n"
    )
    got = [(f.code, f.cell) for f in validate_files([write("u.tsv", head + body + totals)]).findings]
    assert ("parts-mismatch", "G14") in got


@pytest.mark.parametrize("arrow", ["▲", "Up", "Increase", "⬆"])
def test_arrows_and_words_as_reports_draw_them(arrow: str, write) -> None:  # type: ignore[no-untyped-def]
    assert _audit(write, f"A\t100\t25\t25\t25\t35\t110\t10.0%\t{arrow}\n") == []
    assert _audit(write, f"A\t100\t25\t25\t25\t25\t100\t0.0%\t{arrow}\n") == [("error", "direction-mismatch", "I2")]


@pytest.mark.parametrize("arrow", ["level", "►", "Stable", "No change", "same"])
def test_level_in_every_spelling_including_kpitools_own(arrow: str, write) -> None:  # type: ignore[no-untyped-def]
    assert _audit(write, f"A\t100\t25\t25\t25\t25\t100\t0.0%\t{arrow}\n") == []
