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
    value_col="Rolling year total number of offences",
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
    got = {(c.section, c.measure): c for c in report.comparisons}  # without a catalogue an area is a section
    assert len(got) == len(expected) > 900
    # each skipped row is named on its own area's row of its measure, not on every area's
    assert all(sum("was not read" in n for n in c.notes) <= 1 for c in report.comparisons)
    for (area, offence), row in expected.iterrows():
        c = got[(area, offence)]
        assert (c.baseline_value, c.current_value) == (row["base"], row["current"])
        if row["base"]:
            assert math.isclose(c.change_pct or 0, (row["current"] - row["base"]) / row["base"] * 100)
