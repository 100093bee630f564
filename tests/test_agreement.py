"""One arithmetic: the table ``compare`` prints, published as a report table, passes the audit.

Each comparison is written as analysts publish it — the baseline, the quarters, the year
total, the % change and the arrow, all rounded for display — and audited against the same
catalogue. Any disagreement between the two (a year value, a ratio, a band edge, a measure's
own tolerance) is a finding here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import EXAMPLES
from kpitool.catalogue import load_catalogue
from kpitool.compare import compare
from kpitool.models import ARROWS, Catalogue, CompareOptions, ComparisonReport, Measure
from kpitool.periods import parse_year
from kpitool.readers import read_observations
from kpitool.render.values import value_text
from kpitool.validate import validate_files


def as_report_tables(report: ComparisonReport) -> str:
    """The comparison as published report tables: one per section and baseline, blank lines between."""
    groups: dict[tuple[str, str], list[object]] = {}
    for c in report.comparisons:
        groups.setdefault((c.section, c.baseline_period or ""), []).append(c)
    blocks = []
    for (section, base), rows in groups.items():
        quarters = sorted({q.period for c in rows for q in c.quarters})  # type: ignore[attr-defined]
        head = [section or "Measures", f"{base} baseline", *quarters]
        head += [f"Q1-Q4 {report.current} total", f"% change (baseline to {report.current})"]
        head.append("Direction of travel (from baseline)")
        lines = ["\t".join(head)]
        for c in rows:
            by = {q.period: q.value for q in c.quarters}  # type: ignore[attr-defined]
            cells = [c.measure, value_text(c.baseline_value, c.unit)]  # type: ignore[attr-defined]
            cells += [value_text(by[q], c.unit) if by.get(q) is not None else "" for q in quarters]  # type: ignore[attr-defined]
            cells.append(value_text(c.current_value, c.unit))  # type: ignore[attr-defined]
            pct = c.change_pct  # type: ignore[attr-defined]
            cells.append("" if pct is None else f"{pct:.1f}%")
            cells.append(ARROWS[c.direction] if c.direction else "")  # type: ignore[attr-defined]
            lines.append("\t".join(cells))
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"


def audit_of(report: ComparisonReport, catalogue: Catalogue, tmp_path: Path) -> list[str]:
    table = tmp_path / "published.tsv"
    table.write_text(as_report_tables(report), encoding="utf-8")
    findings = validate_files([table], catalogue).findings
    return [f"{f.code} {f.cell}: {f.message}" for f in findings if f.code != "unknown-measure"]


def test_every_measure_of_the_example_project_agrees(tmp_path: Path) -> None:
    catalogue = load_catalogue(EXAMPLES / "kpitool.toml")
    observations = read_observations(sorted((EXAMPLES / "data").glob("*.csv")))
    report = compare(observations, catalogue, CompareOptions(baseline=parse_year("2022/23")))
    assert len(report.comparisons) == len(catalogue.measures)
    assert audit_of(report, catalogue, tmp_path) == []


@pytest.mark.parametrize(
    ("own_tolerance", "after"),
    [(10.0, 108), (10.0, 110), (None, 105), (None, 94), (2.5, 103)],
)
def test_a_measures_own_band_is_the_audits_band(own_tolerance: float | None, after: int, write, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    catalogue = Catalogue(measures=[Measure(name="A", tolerance=own_tolerance)])
    quarters = [after // 4] * 3 + [after - 3 * (after // 4)]
    rows = "A,2022/23,100\n" + "".join(f"A,2023/24 Q{q},{v}\n" for q, v in enumerate(quarters, start=1))
    data = write("a.csv", "measure,period,value\n" + rows)
    report = compare(read_observations([data]), catalogue)
    assert report.comparisons[0].current_value == after
    assert audit_of(report, catalogue, tmp_path) == []


def test_a_calendar_year_project_agrees(write, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    toml = write(
        "kpitool.toml",
        '[project]\nyear_start = "january"\n'
        '[[measure]]\nname = "Calls"\n'
        '[[measure]]\nname = "Answered"\npolarity = "up"\n'
        '[[measure]]\nname = "Answer rate"\nunit = "percent"\naggregate = "ratio"\n'
        'numerator = "Answered"\ndenominator = "Calls"\n'
        '[[measure]]\nname = "Officers"\naggregate = "last"\nsince = "2024 Q2"\nbaseline = "2023"\n',
    )
    catalogue = load_catalogue(toml)  # "2024 Q2" is a calendar quarter in a calendar-year project
    assert catalogue.measures[3].since is not None and catalogue.measures[3].since.label == "2024 Q2"
    rows = "Calls,2023,400\nAnswered,2023,380\nOfficers,2023,50\n" + "".join(
        f"Calls,2024 Q{q},{100 + q}\nAnswered,2024 Q{q},{90 + q}\nOfficers,2024 Q{q},{50 + q}\n" for q in range(1, 5)
    )
    path = write("cal.csv", "measure,period,value\n" + rows)
    report = compare(read_observations([path], catalogue.read_options()), catalogue)
    assert report.current == "2024" and report.baseline == "2023"
    by = {c.measure: c for c in report.comparisons}
    assert by["Calls"].current_value == 410 and by["Officers"].current_value == 54
    assert by["Answer rate"].current_value == pytest.approx(370 / 410 * 100)
    assert [q.period for q in by["Calls"].quarters] == ["2024 Q1", "2024 Q2", "2024 Q3", "2024 Q4"]
    assert audit_of(report, catalogue, tmp_path) == []


def test_a_catalogue_built_in_code_reads_its_periods_with_its_own_year_start() -> None:
    catalogue = Catalogue.model_validate(
        {"year_start": "january", "measures": [{"name": "A", "since": "2024 Q2", "baseline": "2023"}]}
    )
    assert catalogue.measures[0].since == parse_year("2024", "january").quarters()[1]
    with pytest.raises(ValueError, match="not a period of this project's calendar years"):
        Catalogue(year_start="january", measures=[Measure(name="A", since="2024/25 Q2")])
