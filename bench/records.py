"""Count data.police.uk-shaped street-level crime records: kpitool count against pandas.read_csv + groupby.

Generates CSV (and Parquet) files of N records shaped like data.police.uk's street-level
crime downloads (Crime ID, Month, Reported by, Falls within, Longitude, Latitude, Location, LSOA
code, LSOA name, Crime type, Last outcome category, Context), 43 forces x 14 crime types x 36
months, then times each tool as its own process (wall time and peak resident memory, the child's
ru_maxrss) counting them into month x force x crime type. The data go to a temporary folder
(``--dir``, default $TMPDIR/kpitool-bench-records), never into git.

Usage:
    python bench/records.py --rows 10000000 --rows 30000000 [--dir /tmp/x] [--runs 1] [--no-pandas-above N]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FORCES = [
    "Avon and Somerset Constabulary", "Bedfordshire Police", "Cambridgeshire Constabulary", "Cheshire Constabulary",
    "City of London Police", "Cleveland Police", "Cumbria Constabulary", "Derbyshire Constabulary",
    "Devon & Cornwall Police", "Dorset Police", "Durham Constabulary", "Dyfed-Powys Police", "Essex Police",
    "Gloucestershire Constabulary", "Greater Manchester Police", "Gwent Police", "Hampshire Constabulary",
    "Hertfordshire Constabulary", "Humberside Police", "Kent Police", "Lancashire Constabulary",
    "Leicestershire Police", "Lincolnshire Police", "Merseyside Police", "Metropolitan Police Service",
    "Norfolk Constabulary", "North Wales Police", "North Yorkshire Police", "Northamptonshire Police",
    "Northumbria Police", "Nottinghamshire Police", "South Wales Police", "South Yorkshire Police",
    "Staffordshire Police", "Suffolk Constabulary", "Surrey Police", "Sussex Police", "Thames Valley Police",
    "Warwickshire Police", "West Mercia Police", "West Midlands Police", "West Yorkshire Police", "Wiltshire Police",
]  # fmt: skip
CRIME_TYPES = [
    "Anti-social behaviour", "Bicycle theft", "Burglary", "Criminal damage and arson", "Drugs", "Other crime",
    "Other theft", "Possession of weapons", "Public order", "Robbery", "Shoplifting", "Theft from the person",
    "Vehicle crime", "Violence and sexual offences",
]  # fmt: skip
OUTCOMES = [
    "", "Investigation complete; no suspect identified", "Unable to prosecute suspect", "Under investigation",
    "Offender given a caution", "Awaiting court outcome", "Local resolution", "Court result unavailable",
    "Further investigation is not in the public interest", "Action to be taken by another organisation",
]  # fmt: skip
MONTHS = [f"{2020 + (m + 3) // 12}-{(m + 3) % 12 + 1:02d}" for m in range(36)]  # 2020-04 .. 2023-03
CHUNK = 1_000_000
HEADER = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,"
    "Last outcome category,Context"
)


def generate(path: Path, rows: int, seed: int = 12) -> None:
    """N records as CSV, in chunks of a million (vectorised; a 10M file takes about a minute)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.csv as pacsv

    rng = np.random.default_rng(seed)
    months, forces, types, outcomes = (
        pa.array(MONTHS),
        pa.array(FORCES),
        pa.array(CRIME_TYPES),
        pa.array(OUTCOMES),
    )
    names = HEADER.split(",")
    # every text quoted, as pyarrow writes CSV ("needed" quotes every string), so both tools parse quotes
    options = pacsv.WriteOptions(quoting_style="needed")
    with pacsv.CSVWriter(path, pa.schema([(n, pa.string()) for n in names]), write_options=options) as writer:
        done = 0
        while done < rows:
            n = min(CHUNK, rows - done)
            t = rng.integers(0, len(CRIME_TYPES), n)
            ids = np.char.mod("%016x", rng.integers(0, 2**62, n, dtype=np.int64)).astype(object)
            ids[t == 0] = ""  # ASB records have no crime ID, as published
            f = rng.integers(0, len(FORCES), n)
            lsoa = rng.integers(1, 35_000, n)
            table = pa.table(
                {
                    "Crime ID": pa.array(ids, pa.string()),
                    "Month": months.take(pa.array(np.sort(rng.integers(0, len(MONTHS), n)))),
                    "Reported by": forces.take(pa.array(f)),
                    "Falls within": forces.take(pa.array(f)),
                    "Longitude": pa.array(np.char.mod("%.6f", rng.uniform(-5.5, 1.7, n)).astype(object), pa.string()),
                    "Latitude": pa.array(np.char.mod("%.6f", rng.uniform(50.0, 55.8, n)).astype(object), pa.string()),
                    "Location": pa.array(np.char.mod("On or near Street %d", lsoa % 997).astype(object), pa.string()),
                    "LSOA code": pa.array(np.char.mod("E0100%04d", lsoa).astype(object), pa.string()),
                    "LSOA name": pa.array(np.char.mod("Area %04d", lsoa).astype(object), pa.string()),
                    "Crime type": types.take(pa.array(t)),
                    "Last outcome category": outcomes.take(pa.array(np.where(t == 0, 0, rng.integers(1, 10, n)))),
                    "Context": pa.array([""] * n, pa.string()),
                }
            )
            writer.write_table(table)
            done += n


def to_parquet(csv_path: Path, parquet_path: Path) -> None:
    import duckdb

    duckdb.execute(
        f"COPY (SELECT * FROM read_csv('{csv_path}', all_varchar = true)) TO '{parquet_path}' (FORMAT parquet)"
    )


def measure(cmd: list[str]) -> tuple[float, float, float, int]:
    """(seconds, CPU seconds, peak MiB, exit code) of one run, as its own process.

    CPU time (user + system, every thread) is the work done: on a machine shared with other
    jobs it varies far less than wall time, which waits for the cores others hold.
    """
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _pid, status, usage = os.wait4(proc.pid, 0)
    cpu = usage.ru_utime + usage.ru_stime
    return time.perf_counter() - start, cpu, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


PANDAS = (
    "import pandas as pd, sys; d = pd.read_csv(sys.argv[1], usecols=['Month', 'Falls within', 'Crime type']);"
    " d.groupby(['Month', 'Falls within', 'Crime type']).size().to_csv(sys.argv[2])"
)
PANDAS_ARROW = (
    "import pandas as pd, sys; d = pd.read_csv(sys.argv[1], usecols=['Month', 'Falls within', 'Crime type'],"
    " engine='pyarrow'); d.groupby(['Month', 'Falls within', 'Crime type']).size().to_csv(sys.argv[2])"
)

# the engine already installed with kpitool: pyarrow's streaming CSV reader, grouped batch by batch
PYARROW_STREAM = (
    "import sys, pyarrow as pa, pyarrow.csv as c, pyarrow.compute as pc;"
    " keys = ['Month', 'Falls within', 'Crime type'];"
    " r = c.open_csv(sys.argv[1], convert_options=c.ConvertOptions(include_columns=keys));"
    " parts = [pa.Table.from_batches([b]).group_by(keys).aggregate([([], 'count_all')]) for b in r];"
    " t = pa.concat_tables(parts).group_by(keys).aggregate([('count_all', 'sum')]);"
    " c.write_csv(t, sys.argv[2])"
)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, action="append", help="records (repeatable); default 10M and 30M")
    parser.add_argument("--dir", type=Path, default=Path(tempfile.gettempdir()) / "kpitool-bench-records")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--no-pandas-above", type=int, default=10**9, help="skip pandas for larger files")
    parser.add_argument("--keep", action="store_true", help="keep the generated files")
    args = parser.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)
    py = sys.executable
    kpitool = [py, "-m", "kpitool"]
    out = args.dir / "out.csv"
    lines = []
    for rows in args.rows or [10_000_000, 30_000_000]:
        csv_path = args.dir / f"street-{rows // 1_000_000}m.csv"
        parquet_path = csv_path.with_suffix(".parquet")
        # made in a child process: a child's peak memory (ru_maxrss) counts its parent's at the fork
        if not csv_path.exists() or not parquet_path.exists():
            start = time.perf_counter()
            subprocess.run([py, __file__, "--generate", str(csv_path), str(rows)], check=True)
            print(f"generated {csv_path} and {parquet_path.name} in {time.perf_counter() - start:.0f} s", flush=True)
        count = ["count", "--area-col", "Falls within", "--by", "Crime type", "-o", str(out), "--force"]
        cases = {
            "kpitool count (CSV)": [*kpitool, *count, str(csv_path)],
            "kpitool count (Parquet)": [*kpitool, *count, str(parquet_path)],
        }
        if rows <= args.no_pandas_above:
            cases["pandas read_csv + groupby"] = [py, "-c", PANDAS, str(csv_path), str(out)]
            cases["pandas read_csv (pyarrow) + groupby"] = [py, "-c", PANDAS_ARROW, str(csv_path), str(out)]
        cases["pyarrow streaming CSV + group_by"] = [py, "-c", PYARROW_STREAM, str(csv_path), str(out)]
        size = csv_path.stat().st_size / 2**20
        psize = parquet_path.stat().st_size / 2**20
        print(f"\n{rows:,} records: CSV {size:,.0f} MiB, Parquet {psize:,.0f} MiB", flush=True)
        # rounds interleave the tools, so a burst of load on the shared machine hits each of them
        results: dict[str, list[tuple[float, float, float, int]]] = {name: [] for name in cases}
        for round_ in range(args.runs):
            load = os.getloadavg()[0]
            for name, cmd in cases.items():
                results[name].append(measure(cmd))
                seconds, cpu, mib, code = results[name][-1]
                print(
                    f"round {round_ + 1} (load {load:.1f}): {name:40} {seconds:8.2f} s {cpu:8.2f} s CPU"
                    f" {mib:9.0f} MiB  exit {code}",
                    flush=True,
                )
        for name, got in results.items():
            times = sorted(r[0] for r in got)
            cpu = min(r[1] for r in got)
            mib = max(r[2] for r in got)
            spread = f" ({times[0]:.1f}–{times[-1]:.1f} s)" if len(times) > 1 else ""
            lines.append(f"| {rows:,} | {name} | {times[0]:.1f} s{spread} | {cpu:.1f} s | {mib:,.0f} MiB |")
        if not args.keep:
            csv_path.unlink()
            parquet_path.unlink()
    print(
        "\n| records | command | wall time, best (range) | CPU time, least | peak memory |\n|---:|---|---:|---:|---:|"
    )
    print("\n".join(lines))
    print(f"\nmachine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--generate"]:
        generate(Path(sys.argv[2]), int(sys.argv[3]))
        to_parquet(Path(sys.argv[2]), Path(sys.argv[2]).with_suffix(".parquet"))
    else:
        main()
