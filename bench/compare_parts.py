"""Where `kpitool compare` on 500,000 rows spends its time, in process (seconds, best of N).

Usage: python bench/generate.py && python bench/compare_parts.py [--rows 500000] [--runs 3]

Times the parts of the command one after another on the first ``--rows`` rows of
``bench/data/long-1m.csv``: reading and checking (what ``validate`` does too), the comparison
(the grid, the plain rows in bulk, the rest), and the table as ``compare`` prints it to a pipe.
Then what the table no longer pays: making, from their values, every model the report holds
(each row's ``PeriodValue`` quarters and trend points, its two ``Delta``s and the row) — the least
a path that returns one pydantic model per figure pays, and what ``--format json`` pays when it
first reads ``report.comparisons`` (the table and its notes read the rows as columns).
"""

from __future__ import annotations

import argparse
import gc
import io
import time
from pathlib import Path
from typing import Any

from rich.console import Console

from kpitool import bulk
from kpitool.models import CompareOptions, Comparison, ComparisonReport, Delta, PeriodValue
from kpitool.project import run_comparison
from kpitool.render.terminal import render_table

DATA = Path(__file__).parent / "data"


def best(runs: int, fn: Any) -> float:
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return min(out)


def remake(report: ComparisonReport) -> int:
    """Each model of the report made again from its values, as the bulk path makes them."""
    point, change, row = bulk._maker(PeriodValue), bulk._maker(Delta), bulk._maker(Comparison)
    made = 0
    was = gc.isenabled()
    gc.disable()
    try:
        for c in report.comparisons:
            quarters = [point(dict(q.__dict__)) for q in c.quarters]
            base = [point(dict(q.__dict__)) for q in c.baseline_quarters]
            shared = {id(q) for q in (*c.quarters, *c.baseline_quarters)}
            history = [point(dict(p.__dict__)) for p in c.history if id(p) not in shared]
            deltas = [change(dict(d.__dict__)) for d in (c.quarter_on_quarter, c.year_on_year) if d is not None]
            values = dict(c.__dict__)
            values.update(quarters=quarters, baseline_quarters=base)
            row(values)
            made += len(quarters) + len(base) + len(history) + len(deltas) + 1
    finally:
        if was:
            gc.enable()
    return made


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=500_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    lines = (DATA / "long-1m.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    path = DATA / f"long-{args.rows // 1000}k.csv"
    path.write_text("".join(lines[: args.rows + 1]), encoding="utf-8")
    del lines

    import kpitool.compare as compare_module
    from kpitool.validate import check_files, read_files

    parts: dict[str, float] = {}

    def timed(name: str, fn: Any) -> Any:
        def wrapper(*a: Any, **k: Any) -> Any:
            start = time.perf_counter()
            try:
                return fn(*a, **k)
            finally:
                parts[name] = parts.get(name, 0.0) + time.perf_counter() - start

        return wrapper

    import kpitool.validate as validate_module

    validate_module.read_files = timed("read", read_files)  # type: ignore[assignment]
    validate_module.check_files = timed("checks", check_files)  # type: ignore[assignment]
    compare_module.compare = timed("comparison", compare_module.compare)  # type: ignore[assignment]
    bulk.plain_rows = timed("  of which the plain rows", bulk.plain_rows)  # type: ignore[assignment]
    totals: list[dict[str, float]] = []
    report = None
    for _ in range(args.runs):
        parts.clear()
        start = time.perf_counter()
        report = run_comparison([path], None, CompareOptions(), skip_invalid=True)
        parts["run_comparison, all"] = time.perf_counter() - start
        table = time.perf_counter()
        render_table(report, Console(file=io.StringIO(), width=120))
        parts["the table (piped)"] = time.perf_counter() - table
        totals.append(dict(parts))
    assert report is not None
    order = ["read", "checks", "comparison", "  of which the plain rows", "run_comparison, all", "the table (piped)"]
    for name in order:
        print(f"{name:40} {min(t[name] for t in totals):6.2f} s")
    count = remake(report)
    print(f"{'the models alone (' + f'{count:,}' + ')':40} {best(args.runs, lambda: remake(report)):6.2f} s")
    print(f"rows in the table: {len(report.comparisons):,}")


if __name__ == "__main__":
    main()
