"""`kpitool compare` against `kpitool validate` of the same file, each as its own process.

Usage: python bench/generate.py && python bench/compare_vs_validate.py [--rows 500000] [--runs 7]

Writes the first ``--rows`` rows of ``bench/data/long-1m.csv`` (500,000 rows: 208 areas × 300
measures, a 62,500-row table), then runs, in turn ``--runs`` times, ``kpitool validate FILE`` and
``kpitool compare FILE --skip-invalid`` (its 50 bad cells left out and named), their output to
``/dev/null``, as a user's pipe would take it. For each: the best wall time, the least user CPU
time and the most resident memory (the child's ``ru_maxrss``), and compare's time and memory as
multiples of validate's (the goal: within 2×), and the median wall time (how noisy the runs were).
Taking the commands in turn means a burst of load on a shared machine hits each.

``--bytecode both`` runs each command twice a turn: with ``PYTHONDONTWRITEBYTECODE=1`` (every
module compiled again, as on a machine that sets it) and without (the ``.pyc`` files an installed
tool has; written by the first run).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

DATA = Path(__file__).parent / "data"


def run(command: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    """Wall seconds, user CPU seconds and peak resident KiB of one run of ``command`` (its own
    rusage, from ``wait4``)."""
    start = time.perf_counter()
    with open(os.devnull, "w") as sink:
        child = subprocess.Popen(command, stdout=sink, stderr=subprocess.DEVNULL, env=env)
        _, _, usage = os.wait4(child.pid, 0)
        child.returncode = 0  # reaped here, not by subprocess
    return time.perf_counter() - start, usage.ru_utime, usage.ru_maxrss


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=500_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--bytecode", choices=["as-is", "both"], default="as-is")
    args = parser.parse_args()
    source = DATA / "long-1m.csv"
    if not source.exists():
        sys.exit(f"{source} is missing: run python bench/generate.py first")
    path = DATA / f"long-{args.rows // 1000}k.csv"
    with source.open(encoding="utf-8") as src, path.open("w", encoding="utf-8") as out:
        for n, line in enumerate(src):
            if n > args.rows:
                break
            out.write(line)
    kpitool = shutil.which("kpitool") or str(Path(sys.executable).parent / "kpitool")
    plain = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    kinds = {"": dict(os.environ)} if args.bytecode == "as-is" else {
        " (no .pyc)": {**plain, "PYTHONDONTWRITEBYTECODE": "1"},
        " (.pyc)": plain,
    }  # fmt: skip
    commands: dict[str, tuple[list[str], dict[str, str]]] = {}
    for kind, env in kinds.items():
        commands[f"validate{kind}"] = ([kpitool, "validate", str(path)], env)
        commands[f"compare{kind}"] = ([kpitool, "compare", str(path), "--skip-invalid"], env)
    if args.bytecode == "both":
        run(commands["validate (.pyc)"][0], plain)  # the .pyc files written before any run is timed
        run(commands["compare (.pyc)"][0], plain)
    walls: dict[str, list[float]] = {name: [] for name in commands}
    users: dict[str, list[float]] = {name: [] for name in commands}
    memory: dict[str, int] = dict.fromkeys(commands, 0)
    for _ in range(args.runs):
        for name, (command, env) in commands.items():
            wall, user, peak = run(command, env)
            walls[name].append(wall)
            users[name].append(user)
            memory[name] = max(memory[name], peak)
    print(f"{args.rows:,} rows, best of {args.runs} runs each, in turn")
    print(f"{'':20} {'wall':>8} {'median':>8} {'user CPU':>9} {'peak memory':>12}")
    for name in commands:
        print(
            f"{name:20} {min(walls[name]):7.2f}s {statistics.median(walls[name]):7.2f}s {min(users[name]):8.2f}s"
            f" {memory[name] / 1024:9.0f} MiB"
        )
    for kind in kinds:
        time_x = min(walls[f"compare{kind}"]) / min(walls[f"validate{kind}"])
        memory_x = memory[f"compare{kind}"] / memory[f"validate{kind}"]
        print(f"compare / validate{kind}: time {time_x:.2f}x, memory {memory_x:.2f}x")


if __name__ == "__main__":
    main()
