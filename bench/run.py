"""Time `kpitool validate` against a bare pandas.read_csv (and frictionless) on the same file.

Each tool runs as its own process, as a user runs it: wall time and peak resident memory
(the child's ru_maxrss), best of N runs. Usage:

    python bench/generate.py                      # bench/data/long-1m.csv
    python bench/run.py [PATH] [--runs 3] [--frictionless]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).parent


def measure(cmd: list[str]) -> tuple[float, float, int]:
    """(seconds, peak MiB, exit code) of one run."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _pid, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    return elapsed, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


def best(cmd: list[str], runs: int) -> tuple[float, float, int]:
    results = [measure(cmd) for _ in range(runs)]
    return min(r[0] for r in results), max(r[1] for r in results), results[-1][2]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("path", nargs="?", default=str(HERE / "data" / "long-1m.csv"))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--frictionless", action="store_true", help="also time frictionless (pip install frictionless)")
    args = parser.parse_args()
    path = args.path
    py = sys.executable
    kpitool = str(Path(py).with_name("kpitool"))
    schema = HERE / "frictionless-schema.json"
    cases = {
        "python (interpreter only)": [py, "-c", "pass"],
        "pandas.read_csv (bare)": [py, "-c", f"import pandas; pandas.read_csv({path!r})"],
        "kpitool validate": [kpitool, "validate", path, "--format", "json"],
    }
    if args.frictionless:
        exe = shutil.which("frictionless", path=str(Path(py).parent)) or "frictionless"
        cases["frictionless validate"] = [
            exe,
            "validate",
            path,
            "--schema",
            str(schema),
            "--trusted",
            "--limit-errors",
            "1000000",
        ]  # fmt: skip  (--trusted: it refuses absolute paths otherwise, and exits at once)
    rows = []
    for name, cmd in cases.items():
        seconds, mib, code = best(cmd, 1 if name.startswith("frictionless") else args.runs)
        rows.append((name, seconds, mib, code))
        print(f"{name:30} {seconds:8.2f} s {mib:9.0f} MiB  exit {code}", flush=True)
    base = next(r for r in rows if r[0].startswith("pandas"))
    print()
    print("| command | wall time | peak memory | × pandas time | × pandas memory |")
    print("|---|---:|---:|---:|---:|")
    for name, seconds, mib, _code in rows:
        print(f"| {name} | {seconds:.2f} s | {mib:.0f} MiB | {seconds / base[1]:.2f} | {mib / base[2]:.2f} |")
    print(
        f"\nmachine: {os.cpu_count()} cores, Python {sys.version.split()[0]}, file {Path(path).stat().st_size / 1e6:.1f} MB"
    )


if __name__ == "__main__":
    main()
