"""Write a 1,000,000-row long-format file: 420 areas x 300 measures x 8 quarters, with a few bad cells.

Usage: python bench/generate.py [PATH] [ROWS]   (default bench/data/long-1m.csv, 1,000,000)
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

SECTIONS = [f"Area {i:03d}" for i in range(420)]
MEASURES = [f"{kind} {i}" for i, kind in enumerate(["Calls", "Crimes", "Referrals", "Rate", "Wait"] * 60)]
PERIODS = [f"{y}/{(y + 1) % 100:02d} Q{q}" for y in (2022, 2023) for q in range(1, 5)]
BAD_CELLS = ['"1,2,3"', "nan", "inf", "1_000", "12abc"]


def value(measure: str, rng: random.Random) -> str:
    if measure.startswith("Rate"):
        return f"{rng.uniform(0, 100):.1f}%"
    if measure.startswith("Wait"):
        return f"{rng.uniform(5, 60):.1f}"
    n = rng.randint(0, 250_000)
    roll = rng.random()
    if roll < 0.05:
        return f'"{n:,}"'  # thousands separators, quoted as a spreadsheet exports them
    if roll < 0.06:
        return rng.choice(["[x]", "[c]", "..", f"{n}[r]"])
    return str(n)


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent / "data" / "long-1m.csv"
    rows = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
    rng = random.Random(2024)
    path.parent.mkdir(parents=True, exist_ok=True)
    bad_rows = set(rng.sample(range(rows), 50))
    written = 0
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("section,measure,period,value\n")
        for section in SECTIONS:
            for measure in MEASURES:
                for period in PERIODS:
                    if written == rows:
                        break
                    cell = rng.choice(BAD_CELLS) if written in bad_rows else value(measure, rng)
                    shown = "2023/24 Q5" if written in bad_rows and rng.random() < 0.2 else period
                    out.write(f"{section},{measure},{shown},{cell}\n")
                    written += 1
    print(f"wrote {written:,} rows to {path} ({path.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
