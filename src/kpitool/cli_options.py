"""The command line's options, defined once: shared by the commands as ``Annotated`` aliases."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

FilesArg = Annotated[
    list[Path] | None,
    typer.Argument(
        metavar="FILE",
        help="Long or wide files: CSV, TSV, or spreadsheets (xlsx, xls, ods). Default: the data files named in"
        " kpitool.toml.",
        show_default=False,
    ),
]
ConfigOpt = Annotated[
    Path | None,
    typer.Option(
        "--config",
        "-c",
        metavar="FILE",
        help="kpitool.toml to use (default: found in the working directory or a parent).",
    ),
]
BaselineOpt = Annotated[
    str | None,
    typer.Option(
        "--baseline",
        "-b",
        metavar="PERIOD",
        help="Baseline period: a year (2022/23), or a quarter, month or rolling year of the current period's length"
        " (default: the year before, or the same period a year before).",
    ),
]
CurrentOpt = Annotated[
    str | None,
    typer.Option(
        "--current",
        metavar="PERIOD",
        help="Current period: a year (default: the latest in the data), a quarter (2025/26 Q4), a month (2026-03)"
        " or a rolling year (12m to 2018-09).",
    ),
]
ToleranceOpt = Annotated[
    float | None,
    typer.Option(
        "--tolerance", "-t", min=0, metavar="PERCENT", help="Band for ↔ in % (pp for percent measures); default 5."
    ),
]
SectionOpt = Annotated[
    list[str] | None,
    typer.Option("--section", "-s", metavar="NAME", help="Only this section or area (repeatable)."),
]
MeasureOpt = Annotated[
    list[str] | None, typer.Option("--measure", "-m", metavar="NAME", help="Only this measure (repeatable).")
]
SkipInvalidOpt = Annotated[
    bool,
    typer.Option(
        "--skip-invalid",
        help="Compare without the input rows that have errors, naming each in the output (default: refuse, exit 1).",
    ),
]
ProRataOpt = Annotated[
    bool,
    typer.Option(
        "--pro-rata",
        help="Project a part-year count to the year (× 4 / quarters) to compare it; shown as a projection.",
    ),
]


class MethodName(StrEnum):
    band = "band"
    significance = "significance"
    spc = "spc"


MethodOpt = Annotated[
    MethodName | None,
    typer.Option(
        "--method",
        help="What draws the arrow: band (±tolerance, the default), significance (an exact test of counts, a score"
        " interval for proportions) or spc (XmR chart of the series, NHS Making Data Count rules). Overrides"
        " kpitool.toml's [project] and per-measure method.",
        show_default=False,
    ),
]
ConfidenceOpt = Annotated[
    float | None,
    typer.Option(
        "--confidence",
        metavar="PERCENT",
        help="Confidence level of --method significance, in % (default 95; 99.8 for a stricter test).",
    ),
]


class YearStart(StrEnum):
    april = "april"
    january = "january"


SheetOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--sheet",
        help="Only this sheet of a spreadsheet (repeatable; default: every sheet with a table).",
        metavar="NAME",
    ),
]
MeasureColOpt = Annotated[
    str | None, typer.Option("--measure-col", metavar="COLUMN", help="The column that names the measure.")
]
PeriodColOpt = Annotated[str | None, typer.Option("--period-col", metavar="COLUMN", help="The column of periods.")]
ValueColOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--value-col",
        metavar="COLUMN",
        help="The column of values. Without a measure column its heading is the measure, and it is"
        " repeatable: one measure a column (a row per area, a column per measure).",
    ),
]
AreaColOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--area-col", metavar="COLUMN", help="A column of areas (repeatable, outermost first: Region, Force)."
    ),
]
AreaOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--area",
        metavar="AREA",
        help="Only this area (repeatable): a force, a provider, or any level of a hierarchy (North East).",
    ),
]
PeriodOpt = Annotated[
    str | None,
    typer.Option(
        "--period",
        metavar="PERIOD",
        help="The period of every row, for a file with no period column (default: one in the file name,"
        " such as April-2025-AE.csv).",
    ),
]
YearStartOpt = Annotated[
    YearStart | None,
    typer.Option(
        "--year-start",
        help="april: UK fiscal years (2023/24 Q1 = Apr–Jun, the default); january: calendar years (2024 Q1 = Jan–Mar).",
        show_default=False,
    ),
]
DebugOpt = Annotated[bool, typer.Option("--debug", help="Show the Python traceback of an error.")]


class Grain(StrEnum):
    month = "month"
    quarter = "quarter"
    year = "year"
