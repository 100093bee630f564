from __future__ import annotations

from pathlib import Path

import pytest

from conftest import SEED
from kpitool.errors import InputError
from kpitool.readers import parse_header, read_file, read_observations


def test_long_file_keeps_rows_columns_and_markers(write) -> None:  # type: ignore[no-untyped-def]
    path = write(
        "q1.csv",
        'measure,period,value,section\n999 calls,Q1 2023/24,"31,539",Calls\nRate,2023/24 Q1,13.7 %,Crime\n'
        "Spend,2023/24 Q1,£453,Money\nGap,2023/24 Q1,[c],Crime\nRevised,2023/24 Q1,12[r],Crime\n",
    )
    data = read_file(path)
    assert data.layout == "long" and not data.findings
    f = data.frame.set_index("measure")
    assert f.loc["999 calls", "value"] == 31539 and f.loc["999 calls", "period"] == "2023/24 Q1"
    assert bool(f.loc["Rate", "percent"]) and f.loc["Rate", "value"] == 13.7
    assert f.loc["Gap", "marker"] == "[c]" and f["value"].isna()["Gap"]
    assert f.loc["Revised", "value"] == 12 and f.loc["Revised", "marker"] == "[r]"
    assert list(data.frame["row"]) == [2, 3, 4, 5, 6]
    assert set(data.frame["column"]) == {3}
    obs = {o.measure: o for o in data.observations()}
    assert obs["999 calls"].period.label == "2023/24 Q1" and obs["999 calls"].value == 31539
    assert obs["Gap"].value is None and obs["Gap"].marker == "[c]" and obs["Gap"].row == 5


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_delimiters(write, delimiter: str) -> None:  # type: ignore[no-untyped-def]
    text = delimiter.join(["measure", "period", "value"]) + "\n" + delimiter.join(["A", "2023/24 Q1", "5"]) + "\n"
    assert read_file(write("f.csv", text)).frame["value"].tolist() == [5.0]


def test_encodings_decided_over_the_whole_file(write) -> None:  # type: ignore[no-untyped-def]
    body = "measure,period,value\n" + "A,2023/24 Q1,1\n" * 5000 + "Spend £,2023/24 Q2,2\n"
    for encoding, prefix in (("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("cp1252", b"")):
        data = read_file(write(f"{encoding}{len(prefix)}.csv", prefix + body.encode(encoding)))
        assert "Spend £" in set(data.frame["measure"]), encoding
        assert data.frame["row"].iloc[-1] == 5002


def test_ragged_rows_are_reported_with_their_line_and_not_shifted(write) -> None:  # type: ignore[no-untyped-def]
    path = write("r.csv", "measure,period,value\nA,2023/24 Q1,1,extra\nB,2023/24 Q1\n\nC,2023/24 Q1,3\n")
    data = read_file(path)
    assert [(f.code, f.row) for f in data.findings] == [("ragged-row", 2), ("ragged-row", 3)]
    assert data.frame[["measure", "value", "row"]].values.tolist() == [["C", 3.0, 5]]


def test_quoted_newline_keeps_physical_lines(write) -> None:  # type: ignore[no-untyped-def]
    data = read_file(write("q.csv", 'measure,period,value\n"Two\nlines",2023/24 Q1,1\nB,2023/24 Q1,2\n'))
    assert data.frame["row"].tolist() == [2, 4]
    assert data.frame["measure"].tolist() == ["Two\nlines", "B"]


def test_unclosed_quote_does_not_swallow_the_rows_after_it(write) -> None:  # type: ignore[no-untyped-def]
    data = read_file(write("u.csv", 'measure,period,value\n"A,2023/24 Q1,1\nB,2023/24 Q1,2\nC,2023/24 Q2,"3"\n'))
    assert [(f.code, f.row) for f in data.findings] == [("broken-quote", 2)]
    assert data.frame["measure"].tolist() == ["B", "C"]
    assert data.frame["row"].tolist() == [3, 4]


def test_not_text_is_an_input_error(write) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InputError, match="NUL"):
        read_file(write("b.csv", b"\x00\x01\x02"))
    with pytest.raises(InputError, match="no such file"):
        read_file(Path("/nonexistent/file.csv"))


@pytest.mark.parametrize(
    ("header", "role", "period", "extra"),
    [
        ("Q1-Q4 2022/23 baseline", "period", "2022/23", {"baseline": True}),
        ("Q1 2023/24", "period", "2023/24 Q1", {}),
        ("Quarter 3 2023/24", "period", "2023/24 Q3", {}),
        ("Qtr 1 2023/24", "period", "2023/24 Q1", {}),
        ("2023/24 Quarter 1", "period", "2023/24 Q1", {}),
        ("Q1 23-24", "period", "2023/24 Q1", {}),
        ("Quarter 4 2023/2024 baseline", "period", "2023/24 Q4", {"baseline": True}),
        ("Qtr 1 - Qtr 3 2023/24", "total", "2023/24", {"quarters": [1, 2, 3]}),
        ("Quarter 1-3 2023/24 total", "total", "2023/24", {"quarters": [1, 2, 3]}),
        ("Quarter 1 to Quarter 4 2022/23 baseline", "period", "2022/23", {"baseline": True}),
        (
            "% change Quarter 1 2023/24 to Quarter 4 2023/24",
            "change",
            None,
            {"basis_from": "2023/24 Q1", "basis_to": "2023/24 Q4"},
        ),
        ("Change from Qtr 1 2023/24", "change", None, {"basis_from": "2023/24 Q1", "basis_to": "None"}),
        ("Q1 end (30/06/2023)", "period", "2023/24 Q1", {"stock": True}),
        ("2010 baseline", "period", "2010", {"baseline": True}),
        ("Q1-Q4 2023/24 total", "total", "2023/24", {"quarters": [1, 2, 3, 4]}),
        ("Q1-Q3 2023/24", "total", "2023/24", {"quarters": [1, 2, 3]}),
        ("% change (baseline to 23/24)", "change", None, {"basis_from": "baseline", "basis_to": "2023/24"}),
        ("% change (Q1 23/24 to Q4 23/24)", "change", None, {"basis_from": "2023/24 Q1", "basis_to": "2023/24 Q4"}),
        ("Direction of travel (from baseline)", "direction", None, {"basis_from": "baseline"}),
        ("Direction of Travel (From 2010 Baseline)", "direction", None, {"basis_from": "2010"}),
        ("Notes", "ignored", None, {}),
    ],
)
def test_report_headers(header: str, role: str, period: str | None, extra: dict[str, object]) -> None:
    col = parse_header(header)
    assert col.role == role
    assert (col.period.label if col.period else None) == period
    for key, value in extra.items():
        got = getattr(col, key)
        assert (str(got) if key.startswith("basis") else got) == value


def test_seed_tables_are_read_as_they_stand() -> None:
    data = read_file(SEED)
    assert data.layout == "wide"
    assert len(data.tables) == 14
    assert not [f for f in data.findings if f.severity == "error"]
    titles = [t.section for t in data.tables]
    assert titles[0] == "Staff Type" and titles[11] == "Table 12"  # the CCTV table's header begins empty
    cctv = data.tables[11]
    assert cctv.header_row == 59 and cctv.rows[9].name == "Drug offences" and cctv.rows[9].row == 69
    # reported figures are kept apart, never used as observations
    assert {r.kind for r in data.reported} == {"total", "change", "direction"}
    assert "2023/24" not in set(data.frame["period"])
    calls = data.frame[(data.frame["section"] == "Call Data") & (data.frame["measure"] == "999 calls")]
    assert calls.set_index("period")["value"].to_dict() == {
        "2022/23": 107042,
        "2023/24 Q1": 31539,
        "2023/24 Q2": 30694,
        "2023/24 Q3": 26284,
        "2023/24 Q4": 23937,
    }


def test_the_projects_missing_markers_reach_both_readers(write) -> None:  # type: ignore[no-untyped-def]
    from kpitool.models import Catalogue
    from kpitool.readers import read_file

    options = Catalogue(missing=["N.K."]).read_options()
    long = read_file(write("l.csv", "measure,period,value\nA,2023/24 Q1,n.k.\nA,2023/24 Q2,5\n"), options)
    assert not long.findings and long.frame["marker"].tolist()[0] == "n.k."
    wide = read_file(write("w.tsv", "T\t2023/24 Q1\t2023/24 Q2\nA\tn.k.\t5\n"), options)
    assert not wide.findings and wide.frame["marker"].tolist()[0] == "n.k."
    assert [f.code for f in read_file(write("d.csv", "measure,period,value\nA,2023/24 Q1,n.k.\n")).findings] == [
        "not-a-number"
    ]


@pytest.mark.parametrize("first", ["Measure", "KPI", "Indicator", "Police Division", ""])
def test_the_layout_is_decided_by_where_the_periods_are(first: str, write) -> None:  # type: ignore[no-untyped-def]
    data = read_file(write("w.csv", f"{first},2022/23,2023/24 Q1\nCalls,100,30\n"))
    assert data.layout == "wide"
    # the choice is said only where a heading could have made it a long file
    said = [f.message for f in data.findings]
    if first == "Measure":
        assert said == ["read as a report table, though a column is headed 'Measure': a row per measure and a column"
                        " per period (its headings '2022/23', '2023/24 Q1' are periods)"]  # fmt: skip
    else:
        assert said == []
    assert data.frame["value"].tolist() == [100.0, 30.0]


@pytest.mark.parametrize(
    ("header", "period"),
    [("30/06/2023", "2023/24 Q1"), ("2019-03-31", "2018/19 Q4"), ("As at 31 March 2019", "2018/19 Q4"),
     ("30 September 2019", "2019/20 Q2"), ("31 Dec 2023", "2023/24 Q3")],
)  # fmt: skip
def test_a_quarter_end_date_heading_is_a_stock_column(header: str, period: str) -> None:
    col = parse_header(header)
    assert (col.role, col.period.label if col.period else None, col.stock) == ("period", period, True)


@pytest.mark.parametrize("header", ["2019-03-30", "15/06/2023", "31 April 2019"])
def test_a_date_that_is_not_a_quarter_end_is_not_a_period(header: str) -> None:
    assert parse_header(header).role == "ignored"


def test_a_unit_column_saying_percent_is_a_percent_sign_and_other_units_are_said_unread(write) -> None:  # type: ignore[no-untyped-def]
    from kpitool.compare import compare
    from kpitool.validate import validate_files

    rows = "".join(
        f"{m},{y} Q{q},{v},{u}\n"
        for q in range(1, 5)
        for m, u, values in (("Answered in 10s", "percent", (90, 92)), ("Answer time", "seconds", (30, 31)))
        for y, v in zip(("2022/23", "2023/24"), values, strict=True)
    )
    path = write("units.csv", "measure,period,value,unit\n" + rows)
    report = compare(read_observations([path]))
    answered = next(c for c in report.comparisons if c.measure == "Answered in 10s")
    assert (answered.unit, answered.aggregate, answered.current_value, answered.change_unit) == (
        "percent",
        "mean",
        92,
        "pp",
    )
    (said,) = [f for f in validate_files([path]).findings if f.code == "unknown-column"]
    assert said.cell == "D4" and "'seconds' is not read" in said.message and "kpitool.toml" in said.message
