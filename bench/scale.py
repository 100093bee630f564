"""Time the library paths that grow with a file's size beyond the plain read (in-process, seconds).

Usage: python bench/generate.py && python bench/scale.py
Cases: catalogue checks on 250,000 rows of declared parts; 100,000 rows of measures unknown to
the catalogue; a 100,000-row file pasted twice into itself; two overlapping 100,000-row files;
compare over 12,500 measures (plain rows in bulk, and every row one by one); report tables with
400 total rows over 12 parts and with 500 rates over 1,000 counts (the audit's searches for parts
and terms, bounded to nearby rows); a catalogue
with 8,000 invalid measures (each finding located without rescanning the file); 1,000,000 rows
whose every value is not a number (a thousand findings listed, one more standing for the rest).
"""

from __future__ import annotations

import random
import time
from pathlib import Path

from kpitool.catalogue import load_catalogue, read_catalogue
from kpitool.compare import compare
from kpitool.readers import read_observations
from kpitool.validate import validate_files

HERE = Path(__file__).parent
DATA = HERE / "data"


def timed(label: str, fn) -> None:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    fn()
    print(f"{label:58} {time.perf_counter() - start:6.2f} s", flush=True)


def main() -> None:
    big = DATA / "long-1m.csv"
    lines = big.read_text(encoding="utf-8").splitlines(keepends=True)
    head = DATA / "long-100k.csv"
    head.write_text("".join(lines[:100_001]), encoding="utf-8")
    doubled = DATA / "long-100k-doubled.csv"
    doubled.write_text("".join(lines[:100_001] + lines[1:100_001]), encoding="utf-8")
    parts = DATA / "casualties-250k.csv"
    with parts.open("w", encoding="utf-8") as out:
        out.write("section,measure,period,value\n")
        for area in range(12_500):
            for measure, value in (
                ("Fatal", 2),
                ("Serious", 31),
                ("KSI", 33),
                ("Slight", 115),
                ("All casualties", 148),
            ):
                for q in range(1, 5):
                    out.write(f"Area {area},{measure},2023/24 Q{q},{value}\n")
    catalogue = load_catalogue(HERE.parent / "examples" / "kpitool.toml")
    timed("validate 250,000 rows of declared parts, with catalogue", lambda: validate_files([parts], catalogue))
    timed("validate 100,000 rows of unknown measures, with catalogue", lambda: validate_files([head], catalogue))
    timed("validate a 100,000-row file pasted twice into itself", lambda: validate_files([doubled]))
    timed("validate two overlapping 100,000-row files", lambda: validate_files([head, head]))
    frame = read_observations([head])
    timed("compare 100,000 rows (12,500 measures)", lambda: compare(frame))
    timed("  … every row one by one (the per-row path, the reference)", lambda: compare(frame, per_row=True))
    broken = DATA / "kpitool-8000-invalid.toml"
    broken.write_text("".join(f'[[measure]]\nname = "M{i}"\nunit = "nope"\n' for i in range(8000)))
    timed("read a kpitool.toml with 8,000 invalid measures", lambda: read_catalogue(broken))
    invalid = DATA / "invalid-1m.csv"
    with invalid.open("w", encoding="utf-8") as out:
        out.write("measure,period,value\n")
        out.writelines(f"M{i % 50},2023/24 Q{i % 4 + 1},abc\n" for i in range(1_000_000))
    timed("validate 1,000,000 rows, every value not a number", lambda: validate_files([invalid]))
    timed(
        "  … and write every finding as JSON",
        lambda: validate_files([invalid]).model_dump_json(),
    )
    totals, rates = report_tables()
    timed("validate a report table: 400 total rows over 12 parts", lambda: validate_files([totals]))
    timed("validate a report table: 500 rates over 1,000 counts", lambda: validate_files([rates]))


def report_tables() -> tuple[Path, Path]:
    """Tables whose every total row could be the sum of any subset of others, or every rate any ratio."""
    rng = random.Random(1)
    head = "T\t2022/23\t2023/24 Q1\t2023/24 Q2\t2023/24 Q3\t2023/24 Q4\tQ1-Q4 2023/24 total\n"

    def row(name: str) -> str:
        qs = [rng.randint(1, 100) for _ in range(4)]
        return f"{name}\t{rng.randint(100, 400)}\t" + "\t".join(map(str, qs)) + f"\t{sum(qs)}\n"

    totals = DATA / "totals-400.tsv"
    totals.write_text(
        head + "".join(row(f"Part {i}") for i in range(12)) + "".join(row(f"Total {i}") for i in range(400))
    )
    rates = DATA / "rates-500.tsv"
    rate_rows = "".join(f"Rate {i}\t10%\t11%\t12%\t13%\t14%\t12.5%\n" for i in range(500))
    rates.write_text(head + "".join(row(f"Count {i}") for i in range(1000)) + rate_rows)
    return totals, rates


if __name__ == "__main__":
    main()
