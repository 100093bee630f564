"""Real published files, as they come, against independent pandas computations.

``../shared/realdata`` sits beside the checkout (in CI too); these tests are skipped where it does not.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from kpitool.models import CompareOptions
from kpitool.periods import parse_period
from kpitool.project import run_comparison, run_validation
from kpitool.readers.base import Reading

REALDATA = Path(__file__).resolve().parents[2] / "shared" / "realdata"
CRIME = REALDATA / "homeoffice-recorded-crime-pfa" / "1rec-crime-pfa.csv"
needs_crime = pytest.mark.skipif(not CRIME.exists(), reason="../shared/realdata is not beside the checkout")
CRIME_ROLES = Reading(
    period_col="12 months ending",
    area_cols=("Region", "PFA"),
    measure_col="Offence",
    value_cols=("Rolling year total number of offences",),
)


@needs_crime
def test_recorded_crime_year_to_march_2018_against_2017_agrees_with_pandas() -> None:
    import pandas as pd

    raw = pd.read_csv(CRIME, dtype=str)
    value = pd.to_numeric(raw["Rolling year total number of offences"])
    key = raw["Region"].str.strip() + " / " + raw["PFA"].str.strip()
    frame = pd.DataFrame({"area": key, "offence": raw["Offence"], "end": raw["12 months ending"], "value": value})
    base = frame[frame["end"] == "31/03/2017"].set_index(["area", "offence"])["value"]
    current = frame[frame["end"] == "31/03/2018"].set_index(["area", "offence"])["value"]
    expected = pd.DataFrame({"base": base, "current": current}).dropna()

    validation = run_validation([CRIME], None, reading=CRIME_ROLES)
    bad = [f for f in validation.findings if f.severity == "error"]
    # one published date is not a month's end (30/12/2017): named, row by row, never guessed
    assert bad and {f.actual for f in bad} == {"30/12/2017"} and {f.code for f in bad} == {"bad-period"}

    options = CompareOptions(baseline=parse_period("Year ending March 2017"), current=parse_period("12m to 2018-03"))
    report = run_comparison([CRIME], None, options, skip_invalid=True, reading=CRIME_ROLES)
    assert len(report.skipped) == len(bad)
    assert (report.baseline, report.current) == ("2016/17", "2017/18")
    got = {(c.area, c.measure): c for c in report.comparisons}  # each row's area, from its area columns
    assert len(got) == len(expected) > 900
    # each skipped row is named on its own area's row of its measure, not on every area's
    assert all(sum("was not read" in n for n in c.notes) <= 1 for c in report.comparisons)
    for (area, offence), row in expected.iterrows():
        c = got[(area, offence)]
        assert (c.baseline_value, c.current_value) == (row["base"], row["current"])
        if row["base"]:
            assert math.isclose(c.change_pct or 0, (row["current"] - row["base"]) / row["base"] * 100)
    # as the README runs it: the period and the area (PFA, its heading) taken, the offence named
    named = Reading(measure_col="Offence", value_cols=("Rolling year total number of offences",))
    plain = run_comparison([CRIME], None, options, skip_invalid=True, reading=named)
    by_force = {(c.area, c.measure): (c.baseline_value, c.current_value) for c in plain.comparisons}
    assert by_force == {(a.split(" / ")[1], o): (c.baseline_value, c.current_value) for (a, o), c in got.items()}


AE = REALDATA / "nhs-ae-monthly"
needs_ae = pytest.mark.skipif(not AE.exists(), reason="../shared/realdata is not beside the checkout")
AE_MEASURES = ("Total attendances", "Total Attendances > 4 hours")
AE_ROLES = Reading(area_cols=("Name",), value_cols=AE_MEASURES)
MONTHS = ["April-2025", "May-2025", "June-2025", "January-2026", "February-2026", "March-2026"]


@needs_ae
def test_ae_quarter_four_against_quarter_one_by_provider_agrees_with_pandas() -> None:
    import pandas as pd

    # independent: each month's file read by pandas, the month from its name, quarters summed by hand
    month_frames = []
    for month in MONTHS:
        frame = pd.read_csv(AE / f"{month}-AE.csv", thousands=",", dtype={"Name": str})
        frame = frame.assign(Name=frame["Name"].str.strip(), month=month)
        month_frames.append(frame[["Name", "month", *AE_MEASURES]])
    raw = pd.concat(month_frames)
    raw["quarter"] = raw["month"].map(lambda m: "Q1" if m.endswith("2025") else "Q4")
    counts = raw.groupby(["Name", "quarter"]).agg(n=("month", "nunique"), **{m: (m, "sum") for m in AE_MEASURES})

    files = sorted(AE.glob("*-AE.csv"))
    options = CompareOptions(baseline=parse_period("2025/26 Q1"), current=parse_period("2025/26 Q4"))
    report = run_comparison(files, None, options, reading=AE_ROLES)
    assert (report.baseline, report.current) == ("2025/26 Q1", "2025/26 Q4")
    got = {(c.area, c.measure): c for c in report.comparisons}
    assert all(c.section == "" for c in report.comparisons)  # an area, never a section
    providers = sorted(set(raw["Name"]))
    assert len(got) == len(providers) * len(AE_MEASURES)
    checked = incomplete = 0
    for name in providers:
        for measure in AE_MEASURES:
            c = got[(name, measure)]
            for quarter, value in (("Q1", c.baseline_value), ("Q4", c.current_value)):
                if (name, quarter) in counts.index and counts.loc[(name, quarter), "n"] == 3:
                    assert value == counts.loc[(name, quarter), measure]
                    checked += 1
                else:  # a month of the quarter is missing: no value, the months named, no arrow
                    assert value is None and c.direction is None
                    assert any("no value for 20" in n for n in c.notes)
                    incomplete += 1
    print(f"{checked} quarter values agree, {incomplete} left out for a missing month")
    assert checked > 200 and incomplete > 0
    # as the files come, with no roles named: Name is the area, every column of numbers a measure
    plain = {(c.area, c.measure): c for c in run_comparison(files, None, options).comparisons}
    for key, c in got.items():
        assert (plain[key].baseline_value, plain[key].current_value) == (c.baseline_value, c.current_value)
    assert len({m for _, m in plain}) > 20


WORKFORCE = REALDATA / "homeoffice-police-workforce"
SEP18, SEP19 = (WORKFORCE / f"police-workforce-{m}-tables.ods" for m in ("sep18", "sep19"))
needs_workforce = pytest.mark.skipif(not SEP19.exists(), reason="../shared/realdata is not beside the checkout")
REGIONS = {"North East", "North West", "Yorkshire and the Humber", "East Midlands", "West Midlands", "Eastern",
           "London", "South East", "South West", "Wales"}  # fmt: skip


@needs_workforce
@pytest.mark.parametrize("release", [SEP18, SEP19], ids=["sep18", "sep19"])
def test_home_office_workforce_tables_as_published_give_no_false_error(release: Path) -> None:
    report = run_validation([release], None)
    assert [f for f in report.findings if f.severity != "info"] == []
    said = " ".join(f.message for f in report.findings)
    assert "rows are each the sum of the rows under them" in said and "two header rows, read as one" in said
    # every table is read, the time series (a row per date) too: only the index sheet is not
    (unread,) = [f.message for f in report.findings if "not read" in f.message]
    assert unread == "sheets without a table of periods, not read: 'Index'"


@needs_workforce
def test_home_office_police_officers_and_their_12_month_changes_agree_with_pandas() -> None:
    import pandas as pd

    # independent: the sheet by pandas, each force placed in the region above it by the list of regions
    raw = pd.read_excel(SEP19, sheet_name="Table_1", header=None, engine="calamine")
    body = raw.iloc[6:63]
    expected = {}
    region = None
    for _, row in body.iterrows():
        name = str(row[0]).strip()
        if name in REGIONS and region != name:
            region, key = name, name
        elif name.startswith("Total") or (region is None):
            region, key = None, name
        else:
            key = f"{region} / {name}" if region else name
        expected[key] = (float(row[1]), float(row[3]), float(row[4]), float(row[5]))
    assert "West Midlands" in expected and "West Midlands / West Midlands" in expected  # a region and a force

    options = CompareOptions(baseline=parse_period("2018/19 Q2"), current=parse_period("2019/20 Q2"))
    report = run_comparison([SEP19], None, options, reading=Reading(sheets=("Table_1",)))
    got = {c.measure: c for c in report.comparisons}
    assert set(got) == set(expected) and len(got) == 57
    for key, (sep18, sep19, change, pct) in expected.items():
        c = got[key]
        assert (c.baseline_value, c.current_value) == (sep18, sep19)
        # the published 12-month changes, number and %, are what kpitool computes from the counts
        assert math.isclose(c.change or 0, change, abs_tol=1e-6)
        assert math.isclose(c.change_pct or 0, pct, rel_tol=1e-9, abs_tol=1e-9)


SCOTLAND = REALDATA / "scotland-suspected-drug-deaths"
needs_scotland = pytest.mark.skipif(not SCOTLAND.exists(), reason="../shared/realdata is not beside the checkout")


@needs_scotland
def test_the_nrs_annual_series_measures_in_columns_agree_with_pandas() -> None:
    import pandas as pd

    path = SCOTLAND / "NRSdata_trend.csv"
    raw = pd.read_csv(path).set_index("year")
    raw.columns = [c.strip() for c in raw.columns]
    measures = [c for c in raw.columns if "change" not in c]  # a published change is not an input
    report = run_comparison([path], None, CompareOptions())
    assert (report.baseline, report.current) == ("2020", "2021")  # the last two years, calendar years
    got = {c.measure: c for c in report.comparisons}
    expected = {m: (raw.loc[2020, m], raw.loc[2021, m]) for m in measures}
    expected = {m: v for m, v in expected.items() if not (pd.isna(v[0]) and pd.isna(v[1]))}
    assert set(got) == set(expected) and "change from previous year" not in got
    for m, (base, current) in expected.items():
        assert got[m].baseline_value == (None if pd.isna(base) else base), m
        assert got[m].current_value == (None if pd.isna(current) else current), m
    # the published change from the previous year is what the counts give
    deaths = got["Drug-related deaths"]
    assert math.isclose((deaths.change_pct or 0) / 100, raw.loc[2021, "change from previous year"], rel_tol=1e-6)


@needs_scotland
def test_the_2022_release_by_police_division_agrees_with_pandas() -> None:
    import pandas as pd

    path = SCOTLAND / "SuspectedDRDs_OctDec2022.xlsx"
    raw = pd.read_excel(path, sheet_name="A - Police Division", header=None, engine="calamine")
    years = raw.iloc[2].ffill()  # the year row, over the first of its four quarters
    body = raw.iloc[4:18].set_index(0)
    expected = {}
    for name, row in body.iterrows():
        values = pd.to_numeric(row, errors="coerce")
        by_year = {y: values[years == y] for y in (2021, 2022)}
        expected[str(name).strip()] = tuple(None if v.isna().any() else v.sum() for v in by_year.values())
    reading = Reading(sheets=("A - Police Division",))
    report = run_comparison([path], None, CompareOptions(), year_start="january", reading=reading)
    assert (report.baseline, report.current) == ("2021", "2022")
    got = {c.measure: (c.baseline_value, c.current_value) for c in report.comparisons}
    assert got == expected and len(got) == 14


@needs_scotland
@pytest.mark.parametrize("name", ["SuspectedDRDs_OctDec2022.xlsx", "SuspectedDRDs_OctDec2023.xlsx"])
def test_police_scotlands_tables_by_calendar_year_quarter_read_in_financial_years_are_warned(name: str) -> None:
    """Each sheet is titled "by calendar year quarter": in financial years (the default) its January
    to March is the previous year's Q4, and validate and compare say so; in calendar years, nothing."""
    path = SCOTLAND / name
    hints = [f for f in run_validation([path], None).findings if f.code == "calendar-year-hint"]
    assert [f.file for f in hints] == [f"{path}[{s}]" for s in ("A - Police Division", "B - Age", "C - Sex")]
    assert {f.severity for f in hints} == {"warning"}
    assert {f.message for f in hints} == {
        "read in UK financial years (April to March: January to March 2023 is 2022/23 Q4), though it says calendar"
        " years ('calendar year quarter', in its title); --year-start january reads them as calendar years"
        " (2023 Q1 = January to March)"
        if "2023" in name
        else "read in UK financial years (April to March: January to March 2022 is 2021/22 Q4), though it says"
        " calendar years ('calendar year quarter', in its title); --year-start january reads them as calendar"
        " years (2022 Q1 = January to March)"
    }
    report = run_comparison([path], None, CompareOptions(), reading=Reading(sheets=("C - Sex",)))
    assert [n for n in report.notes if "--year-start january" in n] == [
        f"{hints[0].message[:1].upper()}{hints[0].message[1:]} ({path}[C - Sex])."
    ]
    calendar = run_validation([path], None, year_start="january").findings
    assert [f for f in calendar if f.code == "calendar-year-hint"] == []
    nrs = run_validation([SCOTLAND / "NRSdata_trend.csv"], None).findings  # calendar years, read so
    assert [f for f in nrs if f.code == "calendar-year-hint"] == []


README = Path(__file__).resolve().parents[1] / "README.md"
REAL_COMMANDS = [
    line
    for line in README.read_text(encoding="utf-8")
    .split("### Real input, as published", 1)[1]
    .split("\n## ", 1)[0]
    .splitlines()
    if line.startswith("kpitool ")
]


def test_the_readme_names_a_command_for_every_real_file() -> None:
    named = " ".join(REAL_COMMANDS)
    for folder in ("nhs-ae-monthly", "homeoffice-recorded-crime-pfa", "scotland-suspected-drug-deaths",
                   "homeoffice-police-workforce"):  # fmt: skip
        assert f"../shared/realdata/{folder}/" in named
    for name in ("SuspectedDRDs_OctDec2022.xlsx", "SuspectedDRDs_OctDec2023.xlsx", "NRSdata_trend.csv",
                 "police-workforce-sep19-tables.ods", "police-workforce-fte-by-year.csv", "1rec-crime-pfa.csv"):  # fmt: skip
        assert name in named


@needs_workforce
def test_the_workforce_time_series_a_row_per_date_agrees_with_pandas() -> None:
    import pandas as pd

    raw = pd.read_excel(SEP19, sheet_name="Table_6", header=None, engine="calamine")
    groups = [str(g).strip() for g in raw.iloc[3, 1:6]]
    # the year of each row's date ("30 September 20122" is 2012, and footnote 2)
    by_year = {str(r[0]).strip().split()[-1][:4]: r for _, r in raw.iloc[4:18].iterrows()}
    assert set(by_year) == {str(y) for y in range(2006, 2020)}
    report = run_comparison([SEP19], None, CompareOptions(), reading=Reading(sheets=("Table_6",)))
    assert (report.baseline, report.current) == ("2018/19", "2019/20")
    got = {c.measure: c for c in report.comparisons}
    assert list(got) == groups
    for i, group in enumerate(groups, start=1):
        assert (got[group].baseline_value, got[group].current_value) == (by_year["2018"][i], by_year["2019"][i])
    # Police officers in Table 6 are Table 1's 43 forces, as published
    table1 = pd.read_excel(SEP19, sheet_name="Table_1", header=None, engine="calamine")
    total43 = table1[table1[0].astype(str).str.startswith("Total 43")].iloc[0]
    assert math.isclose(got["Police officers"].current_value or 0, total43[3], rel_tol=1e-6)


@needs_workforce
def test_the_fte_by_year_csv_as_it_comes_agrees_with_pandas() -> None:
    import pandas as pd

    path = WORKFORCE / "police-workforce-fte-by-year.csv"
    raw = pd.read_csv(path)
    # independent: in each year the first West Midlands is the region, the four rows from it on its forces
    expected: dict[str, dict[int, float]] = {}
    for year, rows in raw.groupby("Year", sort=True):
        names = rows["Police force"].tolist()
        region = names.index("West Midlands")
        for k, (force, fte) in enumerate(zip(names, rows["FTE Count"], strict=True)):
            key = f"West Midlands / {force}" if region < k <= region + 4 else force
            expected.setdefault(key, {})[int(year)] = float(fte)
    assert math.isclose(expected["West Midlands"][2019], sum(
        v[2019] for k, v in expected.items() if k.startswith("West Midlands / ")), rel_tol=1e-9)  # fmt: skip

    assert [f for f in run_validation([path], None).findings if f.severity != "info"] == []
    report = run_comparison([path], None, CompareOptions())
    assert (report.baseline, report.current) == ("2018", "2019")
    got = {c.area: c for c in report.comparisons}
    assert set(got) == set(expected) and len(got) == 46
    for area, values in expected.items():
        assert (got[area].baseline_value, got[area].current_value) == (values[2018], values[2019]), area
