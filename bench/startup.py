"""How fast the command line starts: ``kpitool --help`` and ``--version`` beside a bare ``import typer``.

Usage: python bench/startup.py [--runs N]   (best of N separate processes, milliseconds)
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time


def best(command: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - start)
    return min(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    runs = parser.parse_args().runs
    kpitool = shutil.which("kpitool") or "kpitool"
    cases = {
        "python -c pass": [sys.executable, "-c", "pass"],
        'python -c "import typer"': [sys.executable, "-c", "import typer"],
        "kpitool --help": [kpitool, "--help"],
        "kpitool --version": [kpitool, "--version"],
        "kpitool compare --help": [kpitool, "compare", "--help"],
    }
    for label, command in cases.items():
        print(f"{label:28} {best(command, runs):7.0f} ms", flush=True)


if __name__ == "__main__":
    main()
