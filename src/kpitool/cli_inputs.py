"""The command line's options made into the library's inputs: periods, column roles, compare options.

Every flag's value is checked here, with a usage error that names the flag; ``cli.py`` keeps
the commands themselves.
"""

from __future__ import annotations

import gc
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kpitool.cli_options import YearStart
from kpitool.errors import UsageError

if TYPE_CHECKING:  # the models load with the commands, not for --help, --version or completion
    from kpitool.models import Catalogue, ComparisonReport
    from kpitool.periods import Period
    from kpitool.periods import YearStart as YearStartName
    from kpitool.readers.base import Reading
    from kpitool.render.progress import LiveProgress


def _reading(
    sheet: list[str] | None,
    measure_col: str | None,
    period_col: str | None,
    value_col: list[str] | None,
    area_col: list[str] | None,
    period: str | None,
    area: list[str] | None = None,
) -> Reading:
    from kpitool.readers.base import Reading

    if measure_col and value_col and len(value_col) > 1:
        raise UsageError(
            "--value-col is given more than once with --measure-col: a measure column has one value column"
        )
    return Reading(
        tuple(sheet or ()), measure_col, period_col, tuple(value_col or ()), tuple(area_col or ()), period,
        tuple(area or ()),
    )  # fmt: skip


def _start(year_start: YearStart | None) -> YearStartName | None:
    return None if year_start is None else ("january" if year_start == YearStart.january else "april")


def _period_option(
    text: str | None, flag: str, catalogue: Catalogue | None, year_start: YearStartName | None
) -> Period | None:
    """A period option read with the project's year start; a bad one is a usage error naming the flag."""
    from kpitool.errors import PeriodError
    from kpitool.periods import parse_period

    if text is None:
        return None
    try:
        return parse_period(text, catalogue.year_start if catalogue else (year_start or "april"))
    except PeriodError as exc:
        raise UsageError(f"{flag}: {exc}") from None


def _comparison(args: dict[str, Any]) -> tuple[Catalogue | None, ComparisonReport]:
    """compare's, export's and report's shared options (their parameters, by name) -> the catalogue
    (None without one) and the comparison."""
    from kpitool.models import CompareOptions
    from kpitool.project import open_catalogue, run_comparison

    files: list[Path] = args["files"] or []
    start = _start(args["year_start"])
    catalogue = open_catalogue(args["config"], required=not files, year_start=start)
    options = CompareOptions(
        baseline=_period_option(args["baseline"], "--baseline", catalogue, start),
        current=_period_option(args["current"], "--current", catalogue, start),
        tolerance=args["tolerance"],
        sections=args["section"] or [],
        measures=args["measure"] or [],
        pro_rata=args["pro_rata"],
        method=args["method"].value if args.get("method") else None,
        confidence=_confidence(args.get("confidence")),
    )
    reading = _reading(
        args["sheet"], args["measure_col"], args["period_col"], args["value_col"], args["area_col"], args["period"],
        args["area"],
    )  # fmt: skip
    with _progress(str(args.get("output_format", ""))) as progress:
        report = run_comparison(
            files, catalogue, options, skip_invalid=args["skip_invalid"], year_start=start, reading=reading,
            progress=progress,
        )  # fmt: skip
    # the command ends once the report is drawn: what is made so far is kept to the end, never scanned
    # again by the cycle collector (a first full pass over a 62,500-row report's objects: ~0.2 s)
    gc.freeze()
    return catalogue, report


def _confidence(value: float | None) -> float | None:
    if value is not None and not 50 < value < 100:
        raise UsageError(
            f"--confidence {value:g}: give a level in % above 50 and below 100 (95, or 99.8 for a stricter test)"
        )
    return value


def _progress(output_format: str) -> LiveProgress:
    """A progress display on stderr for work that takes over a second: on a terminal, never for JSON."""
    from kpitool.render.progress import LiveProgress

    return LiveProgress(enabled=sys.stderr.isatty() and not output_format.endswith("json"))
