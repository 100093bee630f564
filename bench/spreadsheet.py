"""Read a 100,000-row spreadsheet: kpitool against ``pandas.read_excel`` with the same engine (calamine).

Each case runs as its own process, best of N (wall time, peak resident memory). Usage:

    python bench/spreadsheet.py [--rows 100000] [--runs 3]    # writes bench/data/report-100k.xlsx once

The sheet is a report table as analysts keep one: a title row, a blank row, a header of eight
quarters (2022/23 Q1 … 2023/24 Q4) and a year total, then a row per measure with whole counts,
decimals and a few markers (``[x]``, ``..``).
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

from run import best

HERE = Path(__file__).parent
QUARTERS = [f"{y}/{(y + 1) % 100:02d} Q{q}" for y in (2022, 2023) for q in range(1, 5)]


def generate(path: Path, rows: int) -> None:
    import xlsxwriter

    rng = random.Random(8)
    path.parent.mkdir(exist_ok=True)
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet("Report")
    sheet.write_row(0, 0, ["Table 1: measures by quarter"])
    sheet.write_row(2, 0, ["Measure", *QUARTERS, "Q1-Q4 2023/24 total"])
    for r in range(rows):
        values: list[object] = [rng.randint(0, 5000) if r % 3 else round(rng.uniform(0, 100), 2) for _ in QUARTERS]
        if r % 97 == 0:
            values[r % len(QUARTERS)] = "[x]" if r % 2 else ".."
        year = sum(v for v in values[4:] if isinstance(v, (int, float)))
        sheet.write_row(3 + r, 0, [f"Measure {r + 1}", *values, year])
    book.close()


def in_process(path: Path, runs: int) -> tuple[float, float]:
    """Best of ``runs`` of each, taken in turn (so that a busy machine slows both alike), imports done."""
    import time

    import pandas as pd

    from kpitool.readers import read_path

    pandas_best = kpitool_best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        pd.read_excel(path, engine="calamine")
        pandas_best = min(pandas_best, time.perf_counter() - start)
        start = time.perf_counter()
        read_path(path)
        kpitool_best = min(kpitool_best, time.perf_counter() - start)
    return pandas_best, kpitool_best


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    path = HERE / "data" / f"report-{args.rows // 1000}k.xlsx"
    if not path.exists():
        generate(path, args.rows)
    py = sys.executable
    read = "from pathlib import Path; from kpitool.readers import read_path; read_path(Path({!r}))"
    cases = {
        "python (interpreter only)": [py, "-c", "pass"],
        "pandas.read_excel (calamine)": [
            py,
            "-c",
            f"import pandas; pandas.read_excel({str(path)!r}, engine='calamine')",
        ],
        "kpitool: read the sheet (read_path)": [py, "-c", read.format(str(path))],
        "kpitool validate (read, checks, audit)": [py, "-m", "kpitool", "validate", str(path), "--format", "json"],
    }
    print(f"{path.name}: {args.rows:,} rows, {path.stat().st_size / 1e6:.1f} MB; best of {args.runs}")
    base = None
    for name, cmd in cases.items():
        seconds, mib, code = best(cmd, args.runs)
        if name.startswith("pandas"):
            base = seconds
        ratio = f"{seconds / base:.2f}×" if base else ""
        print(f"| {name} | {seconds:.2f} s | {mib:.0f} MiB | {ratio} | exit {code}")
    pandas_s, kpitool_s = in_process(path, args.runs)
    print(f"in process, imports done, taken in turn: pandas.read_excel {pandas_s:.2f} s, kpitool read_path"
          f" {kpitool_s:.2f} s: {kpitool_s / pandas_s:.2f}×")  # fmt: skip


if __name__ == "__main__":
    main()
