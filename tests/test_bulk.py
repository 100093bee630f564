"""The bulk path (``kpitool.bulk``) makes exactly the rows the per-row path makes.

The per-row path is the reference: on generated observations (sums, means and stocks, percent
and fractional values, polarities and bands from a catalogue, missing quarters, markers,
restatements, months and year figures, several areas) both must give the same report, to the
last bit of every float (the JSON of the two reports is compared, so -0.0 and 0.0 differ).
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kpitool import bulk
from kpitool.compare import compare
from kpitool.errors import UsageError
from kpitool.grid import columns_for, pivot
from kpitool.models import Catalogue, CompareOptions, Measure, PeriodValue
from kpitool.periods import Period, parse_period
from kpitool.readers import FRAME_COLUMNS, Observations

QUARTERS = [f"{y}/{(y + 1) % 100:02d} Q{q}" for y in (2021, 2022, 2023) for q in (1, 2, 3, 4)]
OTHER = ["2022/23", "2023-04", "2023-05", "2023-06", "Q2 2023/24"]  # a year figure, months, another spelling
# "Satisfied %" is written with % signs; "Detection rate (%)" is a percentage by its name alone, and
# "Offences (% change)" a number by its name ("Average wait" too): kpitool.units, on both paths
NAMES = ["Calls", "Average wait", "Crimes", "Officers", "Satisfied %", "Detection rate (%)", "Offences (% change)"]
SECTIONS = ["", "North", "South"]
MARKERS = ["[x]", "[c]", "..", ""]

values = st.one_of(
    st.integers(0, 2000).map(float),
    st.integers(-50, 50).map(float),
    st.decimals(-100, 1000, places=2).map(float),
    st.sampled_from([0.0, 4.0, 9.0, 10.0, 100.0, 105.0, 95.0]),  # zero, small numbers, the band's edges
)
# a series of small whole numbers (its year totals meet 10, the small-numbers line, and changes land
# on the band's edges: 20 -> 21 is +5%), or of multiples of 5 (a mean of 50 -> 55 is +5 pp)
SCALES = [
    values,
    st.integers(0, 10).map(float),
    st.integers(0, 2).map(float),  # every year's total under 10: small numbers
    st.integers(0, 12).map(lambda n: 5.0 * n),
    st.integers(0, 99).map(lambda n: n / 10),  # 0.1 + 0.2 + 0.3 is not 0.6 in floats: sums are exact (fsum)
]


@st.composite
def cells(draw: st.DrawFn, scale: st.SearchStrategy[float]) -> tuple[float, str | None]:
    """A value, a value with a marker (``12[r]``), or no value with its marker."""
    kind = draw(st.sampled_from(["value"] * 16 + ["marked", "missing"]))
    if kind == "missing":
        return math.nan, draw(st.sampled_from(MARKERS))
    return draw(scale), ("[r]" if kind == "marked" else None)


@st.composite
def observations(draw: st.DrawFn) -> Observations:
    rows = []
    for _ in range(draw(st.integers(1, 7))):
        section, name = draw(st.sampled_from(SECTIONS)), draw(st.sampled_from(NAMES))
        # a whole run of quarters, one that stops short (a part year), either with gaps, or old quarters only
        shape = draw(st.sampled_from(["whole", "whole", "short", "gaps", "short gaps", "old"]))
        periods = QUARTERS[: draw(st.integers(8, 11))] if "short" in shape else QUARTERS
        if "gaps" in shape:
            periods = [p for p in periods if draw(st.integers(0, 4)) > 0]
        if shape == "old":
            periods = QUARTERS[:4]
        if draw(st.integers(0, 5)) == 0:
            periods = periods + OTHER
        suppressed = draw(st.integers(0, 3)) if draw(st.integers(0, 4)) == 0 else 0  # the latest quarters, marked
        stock, percent = draw(st.integers(0, 5)) == 0, name == "Satisfied %"
        scale = draw(st.sampled_from(SCALES))
        for n, label in enumerate(periods):
            value, marker = draw(cells(scale))
            if n >= len(periods) - suppressed:
                value, marker = math.nan, draw(st.sampled_from(MARKERS))
            rows.append([section, name, label, value, marker, percent, stock, 0])
    for row in draw(st.lists(st.sampled_from(range(len(rows))), max_size=2)):  # a later file restates a row
        rows.append([*rows[row][:3], draw(values), None, rows[row][5], rows[row][6], 1])
    frame = pd.DataFrame(
        {
            "section": [r[0] for r in rows],
            "measure": [r[1] for r in rows],
            "period": [r[2] for r in rows],
            "value": [r[3] for r in rows],
            "marker": pd.Series([r[4] for r in rows], dtype=object),
            "percent": [r[5] for r in rows],
            "stock": [r[6] for r in rows],
            "row": list(range(2, len(rows) + 2)),
            "column": [3] * len(rows),
            "file_index": [r[7] for r in rows],
        },
        columns=list(FRAME_COLUMNS),
    ).astype({"section": object, "measure": object, "period": object, "file_index": "int32", "column": "int32"})
    periods = {label: parse_period(label) for label in {*QUARTERS, *OTHER}}
    areas = {"North"} if draw(st.booleans()) else set()
    return Observations(frame, periods, {0: "a.csv", 1: "b.csv"}, areas)


@st.composite
def catalogues(draw: st.DrawFn) -> Catalogue | None:
    if draw(st.booleans()):
        return None
    measures = []
    for name in draw(st.lists(st.sampled_from(NAMES), unique=True, max_size=4)):
        polarity = draw(st.sampled_from(["up", "down", "neutral"]))
        m: dict[str, object] = {
            "name": name,
            # a catalogue's unit wins over what a name says ("Detection rate (%)" as a count, say)
            "unit": "percent" if name == "Satisfied %" else draw(st.sampled_from(["count", "number", "seconds"])),
            "aggregate": draw(st.sampled_from(["sum", "mean", "last"])),
            "polarity": polarity,
            "tolerance": draw(st.one_of(st.none(), st.sampled_from([0.0, 2.5, 10.0]))),
        }
        if draw(st.integers(0, 4)) == 0:
            m["baseline"] = "2021/22"
        if draw(st.integers(0, 4)) == 0:
            m["method"] = draw(st.sampled_from(["band", "significance"]))
        if polarity != "neutral" and draw(st.integers(0, 4)) == 0:
            m["target"] = 100.0
        if draw(st.integers(0, 5)) == 0:
            m["since"] = "2023/24 Q2"
        measures.append(m)
    return Catalogue.model_validate({"measures": measures, "tolerance": draw(st.sampled_from([5.0, 3.0]))})


@st.composite
def options(draw: st.DrawFn) -> CompareOptions:
    return CompareOptions(
        tolerance=draw(st.one_of(st.none(), st.sampled_from([0.0, 5.0, 20.0]))),
        current=draw(st.one_of(st.none(), st.none(), st.just(parse_period("2022/23")))),
        pro_rata=draw(st.booleans()),
        method=draw(st.sampled_from([None, None, None, "band", "significance"])),
    )


def _report_or_error(obs: Observations, cat: Catalogue | None, opts: CompareOptions, per_row: bool) -> str:
    try:
        return compare(obs, cat, opts, per_row=per_row).model_dump_json()
    except UsageError as exc:
        return f"UsageError: {exc}"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(observations(), catalogues(), options())
def test_the_bulk_path_makes_the_reference_report(
    obs: Observations, cat: Catalogue | None, opts: CompareOptions
) -> None:
    assert _report_or_error(obs, cat, opts, per_row=False) == _report_or_error(obs, cat, opts, per_row=True)


def _plain_frame() -> Observations:
    """Three plain series (a count, a part-year percentage, a count with a quarter suppressed in both
    years), one restated by a later file and one of months."""
    rows = [("", "Calls", q, float(100 + i), None, False, 0) for i, q in enumerate(QUARTERS[4:])]
    rows += [("", "Satisfied %", q, 50.5 + i, None, True, 0) for i, q in enumerate(QUARTERS[4:11])]
    rows += [("", "Gappy", q, (math.nan if q.endswith("Q2") else 7.0), "[c]" if q.endswith("Q2") else None, False, 0)
             for q in QUARTERS[4:]]  # fmt: skip
    rows += [("", "Restated", q, 3.0, None, False, 0) for q in QUARTERS[4:]] + [
        ("", "Restated", QUARTERS[-1], 4.0, None, False, 1)
    ]
    rows += [("", "Monthly", q, 1.0, None, False, 0) for q in [*QUARTERS[4:], "2023-04"]]
    frame = pd.DataFrame(
        [(s, m, p, v, mk, pc, False, i + 2, 3, f) for i, (s, m, p, v, mk, pc, f) in enumerate(rows)],
        columns=list(FRAME_COLUMNS),
    ).astype({"marker": object, "file_index": "int32", "column": "int32"})
    periods = {label: parse_period(label) for label in [*QUARTERS, "2023-04"]}
    return Observations(frame, periods, {0: "a.csv", 1: "b.csv"})


def test_plain_rows_are_made_in_bulk_and_the_rest_one_by_one(monkeypatch: pytest.MonkeyPatch) -> None:
    obs = _plain_frame()
    made: list[str] = []
    real = bulk.plain_rows

    def counted(*args, **kwargs) -> bulk.Made:  # type: ignore[no-untyped-def]
        out = real(*args, **kwargs)
        made.extend(name for block in out.blocks for name in block.columns["measure"])
        return out

    monkeypatch.setattr(bulk, "plain_rows", counted)
    report = compare(obs)
    assert sorted(made) == ["Calls", "Gappy", "Satisfied %"]  # a restatement and months: one by one
    assert report.model_dump_json() == compare(obs, per_row=True).model_dump_json()
    calls = report.comparisons[0]
    assert (calls.baseline_value, calls.current_value, calls.direction) == (406.0, 422.0, "level")
    satisfied = next(c for c in report.comparisons if c.measure == "Satisfied %")
    assert satisfied.current_quarters == ["2023/24 Q1", "2023/24 Q2", "2023/24 Q3"]  # Q1–Q3, like for like
    assert satisfied.baseline_value == pytest.approx(51.5) and satisfied.change_unit == "pp"
    gappy = next(c for c in report.comparisons if c.measure == "Gappy")
    assert (gappy.baseline_value, gappy.current_value, gappy.baseline_basis) == (21.0, 21.0, "Q1, Q3, Q4 2022/23")
    assert gappy.notes[:2] == [
        "No value for 2023/24 Q2 ([c]): the year so far leaves it out.",
        "Q1, Q3, Q4 of 2023/24 compared with the same quarters of 2022/23.",
    ]
    assert [(q.value, q.marker) for q in gappy.quarters][:2] == [(7.0, None), (None, "[c]")]


def test_bulk_models_are_the_models_pydantic_would_build() -> None:
    """A bulk row is the model ``model_construct`` (and validation) would give for its values."""
    make = bulk._maker(PeriodValue)
    quarter = make({"period": "2023/24 Q1", "value": 1.5, "marker": None})
    assert quarter == PeriodValue.model_construct(period="2023/24 Q1", value=1.5, marker=None)
    assert quarter == PeriodValue(period="2023/24 Q1", value=1.5)
    assert quarter.model_dump() == {"period": "2023/24 Q1", "value": 1.5, "marker": None}
    assert quarter.model_fields_set == {"period", "value", "marker"}
    quarter.marker = "[r]"  # a set field stays set
    assert quarter.model_copy(update={"value": 2.0}).model_dump_json() == (
        '{"period":"2023/24 Q1","value":2.0,"marker":"[r]"}'
    )


def test_the_pivot_keys_series_as_collect_series_does() -> None:
    """Two spellings of one period are one period (given twice: not plain); order is first appearance."""
    obs = _plain_frame()
    frame = obs.frame.copy()
    frame.loc[len(frame)] = ["", "Calls", "Q2 2023/24", 1.0, None, False, False, 99, 3, 0]
    spelled = Observations(frame, {**obs.periods, "Q2 2023/24": parse_period("Q2 2023/24")}, obs.files)
    year: Period = parse_period("2023/24")
    grid = pivot(spelled, columns_for(year, [year.previous()], []))
    assert grid is not None
    assert grid.keys == [("", "Calls"), ("", "Satisfied %"), ("", "Gappy"), ("", "Restated"), ("", "Monthly")]
    assert grid.plain.tolist() == [False, True, True, False, False]  # a period twice, restated, a month
    q2 = [grid.columns[parse_period(q)] for q in ("2022/23 Q2", "2023/24 Q2")]
    assert grid.markers == {(2, q2[0]): "[c]", (2, q2[1]): "[c]"}  # the marks of values and of no values


def test_whole_rows_at_the_rules_edges_are_the_reference_rows() -> None:
    """Whole, unmarked years (made a column at a time): a negative baseline, a zero one (a count and
    a percentage), small numbers, a change on the band's edge (+5%, +5 pp) and just past it."""
    series = {
        "Negative": ([-5.0, -3.0, -2.0, -1.0], [-2.0, -2.0, -2.0, -2.0], False),
        "Zero": ([0.0] * 4, [1.0, 2.0, 3.0, 4.0], False),
        "Zero both": ([0.0] * 4, [0.0] * 4, False),
        "Zero %": ([0.0] * 4, [1.0, 1.0, 1.0, 1.0], True),  # 0% -> 1%: +1 pp, within the band
        "Small": ([1.0, 2.0, 1.0, 0.0], [2.0, 2.0, 2.0, 2.0], False),
        "Edge": ([5.0, 5.0, 5.0, 5.0], [5.25, 5.25, 5.25, 5.25], False),  # 20 -> 21: +5%
        "Past": ([5.0, 5.0, 5.0, 5.0], [5.25, 5.25, 5.25, 5.26], False),
        "Edge %": ([50.0, 50.0, 50.0, 50.0], [55.0, 55.0, 55.0, 55.0], True),  # +5 pp
    }
    rows = [
        ("", name, q, v, None, pc, False)
        for name, (base, year, pc) in series.items()
        for q, v in zip(QUARTERS[4:], [*base, *year], strict=True)
    ]
    frame = pd.DataFrame(
        [(s, m, p, v, mk, pc, st, i + 2, 3, 0) for i, (s, m, p, v, mk, pc, st) in enumerate(rows)],
        columns=list(FRAME_COLUMNS),
    ).astype({"marker": object, "file_index": "int32", "column": "int32"})
    obs = Observations(frame, {label: parse_period(label) for label in QUARTERS}, {0: "a.csv"})
    report = compare(obs)
    assert report.model_dump_json() == compare(obs, per_row=True).model_dump_json()
    by = {c.measure: c for c in report.comparisons}
    assert bulk.NEGATIVE_BASELINE in by["Negative"].notes and bulk.ZERO_BASELINE in by["Zero"].notes
    assert (by["Zero"].direction, by["Zero both"].direction, by["Zero %"].direction) == (
        "up",
        "level",
        "level",
    )  # 0% -> 1%: +1 pp
    assert by["Small"].small_numbers and (by["Edge"].direction, by["Past"].direction) == ("level", "up")
    assert by["Edge %"].direction == "level"


def test_the_pivot_of_a_files_codes_is_the_pivot_of_its_texts(tmp_path: Path) -> None:
    """A file's coded text columns (as its reader made them) give the grid its texts give, rows left
    out included: a measure, a section and a period seen only on rows with an error."""
    from kpitool.readers import read_file

    lines = ["section,measure,period,value"]
    for section in ("North", "South"):
        for measure in ("Calls", "Average wait"):
            for q in range(1, 5):
                for year in ("2022/23", "2023/24"):
                    lines.append(f"{section},{measure},{year} Q{q},{q * 10 + len(measure)}")
    lines += ["East,Only bad,2024/25 Q1,1_000", "North,Calls,2023/24 Q9,5", "South,Calls,2023/24 Q2,[c]"]
    path = tmp_path / "coded.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    data = read_file(path)
    blocking = [f for f in data.findings if f.blocks_comparison]
    assert len(blocking) >= 2
    coded = Observations.of([data], skip=blocking)
    assert set(coded.codes) == {"section", "measure", "period"}
    texts = Observations(coded.frame, coded.periods, coded.files, coded.areas)
    assert "2024/25 Q1" in data.frame["period"].cat.categories  # a period of a row left out only
    assert (
        sorted(coded.labels())
        == sorted(texts.labels())
        == sorted(f"{y} Q{q}" for y in ("2022/23", "2023/24") for q in range(1, 5))
    )
    year: Period = parse_period("2023/24")
    columns = columns_for(year, [year.previous()], [])
    a, b = pivot(coded, columns), pivot(texts, columns)
    assert a is not None and b is not None
    assert a.keys == b.keys == [(s, m) for s in ("North", "South") for m in ("Calls", "Average wait")]
    assert a.markers == b.markers and a.columns == b.columns
    assert a.values.tobytes() == b.values.tobytes()
    for name in ("plain", "percent", "stock", "fractional", "of_row"):
        assert getattr(a, name).tolist() == getattr(b, name).tolist(), name


@pytest.mark.parametrize(
    ("codes", "categories"),
    [
        ([0, 2, 2, 0], ["a", "b", "c"]),
        ([1, 0, 1], [1, "1"]),
        ([0, -1], ["a"]),
        ([], ["a"]),
        ([2, 0], ["x", " x", "x "]),
    ],
)
def test_a_coded_column_reads_as_its_texts(codes: list[int], categories: list[object]) -> None:
    """Codes and categories give the texts the column's values give (one code a text; unused
    categories none; a row without one: None), whatever the codes' order."""
    from kpitool.grid import _categories, _texts

    values = np.array([categories[c] if c >= 0 else None for c in codes], dtype=object)
    coded, plain = _categories(np.array(codes, dtype=np.int8), categories), _texts(values)
    if plain is None:
        assert coded is None
        return
    assert coded is not None
    assert sorted(coded[1]) == sorted(plain[1])
    assert [coded[1][c] for c in coded[0]] == [plain[1][c] for c in plain[0]]


def test_a_measure_of_several_series_reads_them_all_beside_the_bulk_rows() -> None:
    """A catalogue measure whose alias names a second series (one the per-row path makes), the
    series' quarters split between the two, beside plain rows: every series of it is read."""
    rows = [("", "Calls", q, 10.0, None, False, 0) for q in QUARTERS[4:] if q[-1] in "12"]
    rows += [("", "Calls received", q, 1.0, None, False, 0) for q in QUARTERS[4:] if q[-1] in "34"]
    rows += [("", f"Plain {n}", q, float(n), None, False, 0) for n in range(3) for q in QUARTERS[4:]]
    frame = pd.DataFrame(
        [(s, m, p, v, mk, pc, False, i + 2, 3, f) for i, (s, m, p, v, mk, pc, f) in enumerate(rows)],
        columns=list(FRAME_COLUMNS),
    ).astype({"marker": object, "file_index": "int32", "column": "int32"})
    obs = Observations(frame, {label: parse_period(label) for label in QUARTERS}, {0: "a.csv"})
    catalogue = Catalogue(measures=[Measure(name="Calls", aliases=["Calls received"])])
    options = CompareOptions(current=parse_period("2023/24"))
    report = compare(obs, catalogue, options)
    calls = next(c for c in report.comparisons if c.measure == "Calls")
    assert calls.current_value == 22.0 and [q.value for q in calls.quarters] == [10.0, 10.0, 1.0, 1.0]
    assert report.model_dump_json() == compare(obs, catalogue, options, per_row=True).model_dump_json()


@given(st.lists(st.integers(0, 60), max_size=200))
def test_a_period_given_twice_is_found_counted_or_sorted(codes: list[int]) -> None:
    from kpitool.grid import given_twice

    pairs = np.array(codes, dtype=np.int64)
    expected = sorted({c for c in codes if codes.count(c) > 1})
    assert given_twice(pairs, 61, counted=True).tolist() == expected
    assert given_twice(pairs, 61, counted=False).tolist() == expected
