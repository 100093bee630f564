"""The one list of finding codes: the README's table is that list, and every code is produced."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import BAD, EXAMPLES, FIXTURES, ROOT, SEED
from kpitool.catalogue import load_catalogue, read_catalogue
from kpitool.codes import REGISTRY, Code, readme_row
from kpitool.errors import ExitCode
from kpitool.validate import validate_files

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_readme_table_of_codes_is_the_registry() -> None:
    table = README.split("| code | severity | what |", 1)[1].split("\n\n", 1)[0]
    rows = [line for line in table.splitlines()[2:] if line.startswith("| `")]
    assert rows == [readme_row(c) for c in REGISTRY]


def test_every_code_has_a_registry_entry_with_a_default_severity() -> None:
    assert set(REGISTRY) == set(Code)
    for code, info in REGISTRY.items():
        assert info.severities and info.severity == info.severities[0], code
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", code.value)


# One input per code, each small enough to read: (files, use the example catalogue? or this catalogue's text).
LONG = "measure,period,value\n"
RECORDS = '[[source]]\nname = "r"\nshape = "records"\nfiles = "f*.csv"\ndate = "Month"\n'
COUNTED = RECORDS + '[[measure]]\nname = "Records"\nsource = "r"\n'
SUMMED = RECORDS + '[[measure]]\nname = "Cost"\nsource = "r"\nsum = "Cost"\n'
GAP = "Month\n" + "2022-01\n" * 30 + "2022-03\n" * 30
INPUTS: dict[Code, tuple[list[str | Path], bool | str]] = {
    Code.UNREADABLE_FILE: ([BAD / "binary_garbage.csv"], False),
    Code.EMPTY_FILE: ([BAD / "empty.csv"], False),
    Code.MIXED_ENCODING: ([BAD / "mixed_encoding.csv"], False),
    Code.NO_DATA: ([BAD / "header_only.csv"], False),
    Code.MISSING_COLUMN: ([BAD / "missing_value_column.csv"], False),
    Code.DUPLICATE_COLUMN: ([BAD / "duplicate_column.csv"], False),
    Code.LAYOUT: ([FIXTURES / "layouts" / "two_header_rows.csv"], False),
    Code.UNKNOWN_COLUMN: (["measure,period,value,colour\nA,2023/24 Q1,1,red\n"], False),
    Code.UNREAD_COLUMN: (["T,2023/24 Q1,Qtr 2 2023/25,2023/24 Q3\nA,1,2,3\n"], False),
    Code.RAGGED_ROW: ([BAD / "ragged_rows.csv"], False),
    Code.BROKEN_QUOTE: ([BAD / "unclosed_quote.csv"], False),
    Code.STRAY_CARRIAGE_RETURN: (["measure,period,value\r\nA\rB,2023/24 Q1,1\r\n"], False),
    Code.BAD_PERIOD: ([BAD / "bad_periods.csv"], False),
    Code.AMBIGUOUS_PERIOD: ([LONG + "A,2009-10,1\nA,2010-11,2\n"], False),
    Code.NO_PERIODS: ([BAD / "wide_no_periods.tsv"], False),
    Code.BLANK_MEASURE: ([LONG + ",2023/24 Q1,1\n"], False),
    Code.NOT_A_NUMBER: ([BAD / "bad_numbers.csv"], False),
    Code.BAD_DIRECTION: ([BAD / "wide_bad_arrow.tsv"], False),
    Code.DUPLICATE_OBSERVATION: ([LONG + "A,2023/24 Q1,1\nA,2023/24 Q1,1\n"], False),
    Code.CONFLICTING_OBSERVATION: ([BAD / "conflicting_duplicates.csv"], False),
    Code.UNKNOWN_MEASURE: ([LONG + "Nonsense,2023/24 Q1,1\n"], True),
    Code.NEGATIVE_COUNT: ([LONG + "999 calls,2023/24 Q1,-1\n"], True),
    Code.FRACTIONAL_COUNT: ([LONG + "999 calls,2023/24 Q1,1.5\n"], True),
    Code.PERCENT_OUT_OF_RANGE: ([LONG + "Rate,2023/24 Q1,120%\n"], False),
    Code.PERCENT_IN_COUNT: ([LONG + "999 calls,2023/24 Q1,5%\n"], True),
    Code.MEASURE_NOT_SUBMITTED: ([LONG + "999 calls,2023/24 Q1,1\n"], True),
    Code.IMPLAUSIBLE_AGGREGATE: (
        ["T\t2023/24 Q1\t2023/24 Q2\tQ1-Q2 2023/24\nAverage wait (mins)\t10\t12\t22\n"],
        False,
    ),
    Code.RESTATED: ([LONG + "A,2023/24 Q1,1\n", LONG + "A,2023/24 Q1,2\n"], False),
    Code.TOTAL_MISMATCH: ([SEED], False),
    Code.UNCHECKED_YEAR: (
        [
            LONG
            + "".join(f"Satisfaction,2023/24 Q{q},{79 + q}%\n" for q in range(1, 5))
            + "Satisfaction,2023/24,82.6%\n"
        ],
        False,
    ),
    Code.AUDIT_BOUNDED: (
        ["T\t2023/24 Q1\t2023/24 Q2\n" + "".join(f"Count {i}\t{i}\t{i}\n" for i in range(30)) + "Rate\t5%\t6%\n"],
        False,
    ),
    Code.CHANGE_MISMATCH: ([SEED], False),
    Code.DIRECTION_MISMATCH: ([SEED], False),
    Code.PARTS_MISMATCH: ([SEED], False),
    Code.RATIO_MISMATCH: ([SEED], False),
    Code.INCOMPLETE_TOTAL: (
        ["T\t2022/23\t2023/24 Q1\t2023/24 Q2\nA\t10\t5\t..\nB\t20\t6\t7\nTotal\t30\t11\t7\n"],
        False,
    ),
    Code.ROUNDING: ([SEED], False),
    Code.CHANGE_IN_POINTS: ([SEED], False),
    Code.CHANGE_BASIS: (
        [
            "T\tQ1 2022/23\tQ2 2022/23\tQ3 2022/23\tQ4 2022/23\tQ1 2023/24\tQ2 2023/24\tQ3 2023/24\tQ4 2023/24"
            "\t% change\nA\t1\t1\t1\t1\t2\t2\t2\t2\t100%\n"
        ],
        False,
    ),
    Code.BAD_STATUS: (["T\t2022/23\t2023/24\tRAG\nA\t1\t2\tPurple\n"], False),
    Code.TARGET_MISMATCH: (
        ["Public Access to Services\t2022/23\t2023/24\tTarget\tRAG\n101 calls abandoned\t52171\t33179\t30000\tGreen\n"],
        True,
    ),
    Code.BAD_DATE: (["Month,Type\n2022-01,a\n2022-1-x,b\n"], COUNTED),
    Code.BLANK_VALUE: (["Month,Cost\n2022-01,5\n2022-01,\n"], SUMMED),
    Code.MISSING_MONTH: ([GAP], COUNTED),
    Code.INCOMPLETE_PERIOD: ([GAP], COUNTED),
    Code.RENAMED_AREA: (["Code,Name,Year,Attendances\nR1,Trust A,2023,5\nR1,Trust A Teaching,2024,6\n"], False),
    Code.SUSPECT_ZERO: (
        [LONG + "Burglary,2021/22,1685\nBurglary,2022/23,1702\nBurglary,2023/24,1650\nBurglary,2024/25,0\n"],
        False,
    ),
    Code.PERCENT_FRACTION: (
        ["Year,Deaths,Percent of all\n2019,1280,0.0016\n2020,1339,0.021\n2021,1330,0.019\n"],
        False,
    ),
    Code.CALENDAR_YEAR_HINT: (["Deaths by calendar year quarter\n\nSex,Jan-Mar 2023,Apr-Jun 2023\nMale,1,2\n"], False),
}
CONFIG_INPUTS = {Code.CONFIG_SYNTAX: BAD / "broken.toml", Code.CONFIG_INVALID: BAD / "invalid_catalogue.toml"}


def test_every_code_has_an_input_that_produces_it() -> None:
    assert set(INPUTS) | set(CONFIG_INPUTS) == set(Code)


@pytest.mark.parametrize("code", sorted(INPUTS, key=str))
def test_the_code_is_produced(code: Code, tmp_path: Path) -> None:
    files, with_catalogue = INPUTS[code]
    paths = []
    for i, f in enumerate(files):
        if isinstance(f, Path):
            paths.append(f)
        else:
            paths.append(tmp_path / f"f{i}.{'tsv' if f.startswith('T') else 'csv'}")
            paths[-1].write_text(f, encoding="utf-8")
    if isinstance(with_catalogue, str):
        (tmp_path / "kpitool.toml").write_text(with_catalogue, encoding="utf-8")
        catalogue = load_catalogue(tmp_path / "kpitool.toml")
    else:
        catalogue = load_catalogue(EXAMPLES / "kpitool.toml") if with_catalogue else None
    report = validate_files(paths, catalogue)
    assert code in {f.code for f in report.findings}
    severities = {f.severity for f in report.findings if f.code == code}
    assert severities <= set(REGISTRY[code].severities)


@pytest.mark.parametrize("code", sorted(CONFIG_INPUTS, key=str))
def test_a_broken_catalogue_is_a_usage_error(code: Code) -> None:
    catalogue, findings = read_catalogue(CONFIG_INPUTS[code])
    assert catalogue is None and code in {f.code for f in findings}
    report = validate_files([EXAMPLES / "data" / "2023-24-q1.csv"], None, findings)
    assert report.exit_code == ExitCode.USAGE


def test_exit_codes_follow_the_registry(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(LONG + "A,2023/24 Q1,xyz\n", encoding="utf-8")
    assert validate_files([bad]).exit_code == ExitCode.INVALID
    assert validate_files([BAD / "binary_garbage.csv", bad]).exit_code == ExitCode.USAGE
    assert validate_files([EXAMPLES / "data" / "2023-24-q1.csv"]).exit_code == ExitCode.OK
