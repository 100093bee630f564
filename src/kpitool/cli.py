"""The command line: parse, call the library, render, exit. Heavy imports stay inside the commands."""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from typer.core import TyperArgument

from kpitool import __version__
from kpitool.cli_errors import Commands
from kpitool.cli_inputs import _comparison, _progress, _reading, _start
from kpitool.cli_options import (
    AreaColOpt,
    AreaOpt,
    BaselineOpt,
    ConfidenceOpt,
    ConfigOpt,
    CurrentOpt,
    DebugOpt,
    FilesArg,
    Grain,
    MeasureColOpt,
    MeasureOpt,
    MethodName,
    MethodOpt,
    PeriodColOpt,
    PeriodOpt,
    ProRataOpt,
    SectionOpt,
    SheetOpt,
    SkipInvalidOpt,
    ToleranceOpt,
    ValueColOpt,
    YearStartOpt,
)
from kpitool.errors import ExitCode, UsageError
from kpitool.render import CompareFormat, CountFormat, ExportFormat, ReportFormat, ValidateFormat
from kpitool.render.safe import visible_line

if TYPE_CHECKING:  # the models load with the commands, not for --help, --version or completion
    from kpitool.models import Catalogue, ComparisonReport


def _argument_type(self: TyperArgument, ctx: Any) -> str | None:
    """An argument with a metavar word (FILE) is shown by it alone: typer 0.29 adds its Python type
    (``<list[Path]>``), which reads as code, not as help. (tests/test_cli.py walks every --help.)"""
    return None if self.metavar else TyperArgument.display_type(self, ctx)


TyperArgument.display_type_rich = _argument_type  # type: ignore[method-assign,assignment]


app = typer.Typer(
    cls=Commands,
    name="kpitool",
    help="Correct, honest quarterly KPI tables: validate submissions, compare against a baseline, export, audit.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

PIPE_WIDTH = 200


def _version(value: bool) -> None:
    if value:
        typer.echo(f"kpitool {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool | None, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = None,
    debug: DebugOpt = False,
) -> None:
    """kpitool turns quarterly KPI data into correct, honest performance tables."""


def stdout_console() -> Console:
    """Colour and boxes on a terminal only; a pipe gets plain text wide enough not to wrap."""
    console = Console(highlight=False, no_color="NO_COLOR" in os.environ or None, soft_wrap=False)
    if not console.is_terminal:  # a pipe or a file: the whole table, whatever COLUMNS says
        console.width = PIPE_WIDTH
    return console


# -- validate ----------------------------------------------------------------------------
@app.command()
def validate(
    files: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="FILE",
            help="Files to check: long files, report tables, spreadsheets, record files. Default: the files"
            " kpitool.toml names ([project] data and every [[source]]).",
            show_default=False,
        ),
    ] = None,
    config: ConfigOpt = None,
    output_format: Annotated[
        ValidateFormat, typer.Option("--format", "-f", help="text (terminal), json (every finding), md (audit report).")
    ] = ValidateFormat.text,
    strict: Annotated[bool, typer.Option("--strict", help="Warnings make the data invalid too.")] = False,
    year_start: YearStartOpt = None,
    sheet: SheetOpt = None,
    measure_col: MeasureColOpt = None,
    period_col: PeriodColOpt = None,
    value_col: ValueColOpt = None,
    area_col: AreaColOpt = None,
    period: PeriodOpt = None,
    area: AreaOpt = None,
) -> None:
    """Check submissions and report tables: every finding, with its file, row and column.

    Exit 0 when valid (warnings allowed unless --strict), 1 when invalid, 2 for a file that
    cannot be read. Report tables also have their totals, % changes, arrows, parts and
    rates checked against their own figures. With no files, the project's files are checked
    and its record sources counted (bad dates, missing months, cells that are not numbers).

    Example: kpitool validate data/2023-24-q4.csv --format json
    """
    from kpitool.project import run_validation
    from kpitool.render.findings import render_json, render_markdown, render_text

    with _progress(str(output_format)) as progress:
        report = run_validation(
            files or [],
            config,
            strict=strict,
            year_start=_start(year_start),
            reading=_reading(sheet, measure_col, period_col, value_col, area_col, period, area),
            progress=progress,
        )
    console = stdout_console()
    renderers = {
        ValidateFormat.text: lambda: render_text(report, console),
        ValidateFormat.json: lambda: console.out(render_json(report), highlight=False),
        ValidateFormat.md: lambda: console.out(render_markdown(report), highlight=False, end=""),
    }
    renderers[output_format]()
    raise typer.Exit(report.exit_code)


# -- compare / export ----------------------------------------------------------------------
def _out(console: Console, text: str) -> None:
    """A file's text to stdout: byte-true into a pipe; on a terminal, its control characters shown, not obeyed."""
    from kpitool.render.safe import visible

    if console.is_terminal:
        text = visible(text.replace("\r\n", "\n"))
    console.file.write(text)


def _render(report: ComparisonReport, fmt: str, catalogue: Catalogue | None = None) -> str:
    from kpitool.render.csvout import render_csv
    from kpitool.render.markdown import render_markdown

    renderers = {
        "md": lambda: render_markdown(report, catalogue),
        "csv": lambda: render_csv(report),
        "json": lambda: report.model_dump_json(indent=2) + "\n",
    }
    return renderers[fmt]()


@app.command()
def compare(
    files: FilesArg = None,
    config: ConfigOpt = None,
    baseline: BaselineOpt = None,
    current: CurrentOpt = None,
    tolerance: ToleranceOpt = None,
    section: SectionOpt = None,
    measure: MeasureOpt = None,
    skip_invalid: SkipInvalidOpt = False,
    pro_rata: ProRataOpt = False,
    method: MethodOpt = None,
    confidence: ConfidenceOpt = None,
    year_start: YearStartOpt = None,
    sheet: SheetOpt = None,
    measure_col: MeasureColOpt = None,
    period_col: PeriodColOpt = None,
    value_col: ValueColOpt = None,
    area_col: AreaColOpt = None,
    period: PeriodOpt = None,
    area: AreaOpt = None,
    output_format: Annotated[CompareFormat, typer.Option("--format", "-f", help="table, md, csv or json.")] = (
        CompareFormat.table
    ),
) -> None:
    """The KPI table: each measure's year value against the baseline, with change and arrow.

    With no files it reads the data named by kpitool.toml; with files it needs no catalogue
    (counts are summed by quarter; values with % signs, and measures named as percentages,
    are percentages).

    Input rows with errors stop it (exit 1) unless --skip-invalid, which names each row left
    out. A part-year count against a full-year baseline gets no change or arrow, unless
    --pro-rata projects it. Each area (a section that is not the measure's own) is compared apart.

    Periods: years and quarters (2023/24, 2023/24 Q1; calendar ones with --year-start january),
    months (2023-04, Apr 2023) and rolling years (12m to 2023-06, Year ending June 2023). Months
    roll up to quarters and years by each measure's aggregate; a quarter missing a month is named
    and left out. --baseline and --current may be any two periods of one length.

    Arrows: the ±5% band by default; --method significance draws ↑ or ↓ only for a change more
    than chance (an exact test of counts, a score interval for proportions), and --method spc
    reads the latest point of an XmR chart of the series. Every output says which drew each arrow.

    Example: kpitool compare --baseline 2022/23

    Example: kpitool compare --baseline 2022/23 --method significance

    Example: kpitool compare monthly/*.csv --baseline "2025/26 Q1" --current "2025/26 Q4"

    Example: kpitool compare crime.csv --period-col "12 months ending" --value-col Offences --current "12m to 2018-09"
    """
    from kpitool.render.terminal import render_table

    catalogue, report = _comparison(dict(locals()))
    console = stdout_console()
    renderers = {
        CompareFormat.table: lambda: render_table(report, console),
        CompareFormat.md: lambda: _out(console, _render(report, "md", catalogue)),
        CompareFormat.csv: lambda: _out(console, _render(report, "csv")),
        CompareFormat.json: lambda: _out(console, _render(report, "json")),
    }
    renderers[output_format]()


@app.command()
def export(
    files: FilesArg = None,
    output_format: Annotated[ExportFormat, typer.Option("--format", "-f", help="md, csv or json.")] = ExportFormat.md,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", metavar="FILE", help="File to write (default: standard output).")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing output file.")] = False,
    excel: Annotated[
        bool,
        typer.Option(
            "--excel",
            help="CSV for Excel: UTF-8 with a byte-order mark, so that arrows, dashes and £ survive a double-click.",
        ),
    ] = False,
    config: ConfigOpt = None,
    baseline: BaselineOpt = None,
    current: CurrentOpt = None,
    tolerance: ToleranceOpt = None,
    section: SectionOpt = None,
    measure: MeasureOpt = None,
    skip_invalid: SkipInvalidOpt = False,
    pro_rata: ProRataOpt = False,
    method: MethodOpt = None,
    confidence: ConfidenceOpt = None,
    year_start: YearStartOpt = None,
    sheet: SheetOpt = None,
    measure_col: MeasureColOpt = None,
    period_col: PeriodColOpt = None,
    value_col: ValueColOpt = None,
    area_col: AreaColOpt = None,
    period: PeriodOpt = None,
    area: AreaOpt = None,
) -> None:
    """The report tables as a file: Markdown for the paper, tidy CSV, or JSON.

    Writes atomically and never overwrites an existing file without --force.

    Example: kpitool export --format md -o report.md

    Example: kpitool export --format csv --excel -o tables.csv
    """
    from kpitool.output import check_writable, write_atomic

    if excel and output_format != ExportFormat.csv:
        raise UsageError("--excel is for --format csv (a byte-order mark for Excel)")
    if output is not None:
        check_writable(output, force)  # before the work; checked again as the file is put in place
    catalogue, report = _comparison(dict(locals()))
    text = ("\ufeff" if excel else "") + _render(report, output_format.value, catalogue)
    if output is None:
        _out(stdout_console(), text)
        return
    write_atomic(output, text, force=force)
    typer.echo(f"wrote {visible_line(str(output))}", err=True)


# -- count ----------------------------------------------------------------------------------
@app.command()
def count(
    records: Annotated[
        list[Path],
        typer.Argument(metavar="RECORDS", help="Record-level files, one row per record: CSV, TSV or Parquet."),
    ],
    date_col: Annotated[
        str,
        typer.Option(
            "--date-col", metavar="COLUMN", help="The column that dates each record: a month, a date or a timestamp."
        ),
    ] = "Month",
    by: Annotated[
        list[str] | None,
        typer.Option(
            "--by", metavar="COLUMN", help="Count each value of this column apart, as a measure (repeatable)."
        ),
    ] = None,
    where: Annotated[
        list[str] | None,
        typer.Option(
            "--where",
            metavar="COL=VALUE",
            help="Count only these records: COL=VALUE (repeat a column for any of its values), COL!=VALUE,"
            " COL<N, COL>=N (repeatable; all must hold).",
        ),
    ] = None,
    area_col: AreaColOpt = None,
    area: Annotated[
        str | None,
        typer.Option(
            "--area-name",
            metavar="NAME",
            help="The area of every record, for a file of one force (--area chooses areas elsewhere).",
        ),
    ] = None,
    measure: Annotated[
        str | None,
        typer.Option(
            "--measure", "-m", metavar="NAME", help="The measure's name (default: Records; with --by, a prefix)."
        ),
    ] = None,
    sum_col: Annotated[
        str | None, typer.Option("--sum", metavar="COLUMN", help="Add up this column instead of counting records.")
    ] = None,
    grain: Annotated[Grain, typer.Option("--grain", help="month, quarter or year.")] = Grain.month,
    year_start: YearStartOpt = None,
    output_format: Annotated[CountFormat, typer.Option("--format", "-f", help="csv (long format) or json.")] = (
        CountFormat.csv
    ),
    output: Annotated[
        Path | None, typer.Option("--output", "-o", metavar="FILE", help="File to write (default: standard output).")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing output file.")] = False,
    skip_invalid: Annotated[
        bool,
        typer.Option(
            "--skip-invalid",
            help="Write the counts even when some records have no readable date, or a --sum cell that is not a"
            " number (each is named).",
        ),
    ] = False,
) -> None:
    """Count record-level extracts (one row per crime, call, casualty) into the long format.

    DuckDB reads the files where they lie, in parallel and in bounded memory, and counts them by
    area, --by columns and month; --grain quarter or year writes only periods whose every month
    has records. A month missing amid months with many records is warned of. A record whose date
    cannot be read, or whose --sum cell is not a number, is named by file and row, and stops the
    count (exit 1) unless --skip-invalid.
    Messages go to stderr; the counts to stdout or -o.

    Example: kpitool count police/*-street.csv --area-col "Falls within" --by "Crime type" -o crimes.csv

    Example: kpitool count asb.tab --date-col month --area-name Northumbria --grain quarter
    """
    from kpitool.counting import CountOptions, parse_where, run_count
    from kpitool.output import check_writable, write_atomic
    from kpitool.render.countout import count_messages, count_summary, render_count_csv, render_count_json

    if output is not None:
        check_writable(output, force)
    options = CountOptions(
        date_col=date_col,
        area_cols=area_col or [],
        area=area or "",
        by=by or [],
        where=parse_where(where or []),
        measure=measure,
        total=sum_col,
        grain=grain.value,
        year_start=_start(year_start) or "april",
    )
    report = run_count(records, options)
    for line in count_messages(report, skip_invalid):
        typer.echo(line, err=True)
    if report.blocking and not skip_invalid:
        raise typer.Exit(ExitCode.INVALID)
    renderers = {CountFormat.csv: render_count_csv, CountFormat.json: render_count_json}
    text = renderers[output_format](report)
    typer.echo(count_summary(report), err=True)
    if output is None:
        _out(stdout_console(), text)
        return
    write_atomic(output, text, force=force)
    typer.echo(f"wrote {visible_line(str(output))}", err=True)


@app.command()
def report(
    files: FilesArg = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", metavar="FILE", help="The file to write: report.html, report.docx, report.xlsx."
        ),
    ] = None,
    output_format: Annotated[
        ReportFormat | None,
        typer.Option("--format", "-f", help="html, docx or xlsx (default: from the output file's extension)."),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing output file.")] = False,
    config: ConfigOpt = None,
    baseline: BaselineOpt = None,
    current: CurrentOpt = None,
    tolerance: ToleranceOpt = None,
    section: SectionOpt = None,
    measure: MeasureOpt = None,
    skip_invalid: SkipInvalidOpt = False,
    pro_rata: ProRataOpt = False,
    method: MethodOpt = None,
    confidence: ConfidenceOpt = None,
    year_start: YearStartOpt = None,
    sheet: SheetOpt = None,
    measure_col: MeasureColOpt = None,
    period_col: PeriodColOpt = None,
    value_col: ValueColOpt = None,
    area_col: AreaColOpt = None,
    period: PeriodOpt = None,
    area: AreaOpt = None,
) -> None:
    """The quarterly report itself: contents, a section per table with its trend chart and drafted
    commentary, the method and numbered notes.

    The trend chart shows a year's quarters; a year with one quarter yet, and a month, quarter or
    rolling year compared with one of its length, shows its months, quarters or rolling years up
    to it. Under --method spc each
    measure with process limits also gets its XmR chart (as kpitool chart draws it): inline SVG in
    HTML, a picture in docx, and in xlsx a Chart_N sheet of the points beside the pictures.

    HTML is one self-contained file (it prints to A4); docx opens in Word with real headings and
    tables; xlsx follows the accessible-spreadsheet rules (cover, contents, notes, a table a sheet).
    Every chart has a text alternative listing its values. The commentary states figures, never
    causes: edit it before publication. Takes every option of compare; writes atomically and never
    overwrites an existing file without --force.

    Example: kpitool report --baseline 2022/23 -o report.html
    """
    from kpitool.document import build_document
    from kpitool.output import check_writable, write_atomic
    from kpitool.render.report import render_report, report_format

    if output is None:
        raise UsageError("report: name the file to write with -o FILE (report.html, report.docx, report.xlsx)")
    fmt = report_format(output_format, output)
    check_writable(output, force)  # before the work; checked again as the file is put in place
    catalogue, comparison = _comparison(dict(locals()))
    document = build_document(comparison, catalogue)
    write_atomic(output, render_report(document, fmt), force=force)
    typer.echo(f"wrote {visible_line(str(output))}", err=True)


@app.command()
def chart(
    measures: Annotated[
        list[str] | None,
        typer.Argument(metavar="MEASURE", help="The measures to chart (default: every measure).", show_default=False),
    ] = None,
    output: Annotated[
        Path, typer.Option("--output", "-o", metavar="DIR", help="Folder for the SVG files (made if it is missing).")
    ] = Path("charts"),
    data: Annotated[
        list[Path] | None,
        typer.Option(
            "--data", "-d", metavar="FILE", help="A data file (repeatable; default: the files named in kpitool.toml)."
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite existing chart files.")] = False,
    config: ConfigOpt = None,
    current: CurrentOpt = None,
    section: SectionOpt = None,
    skip_invalid: SkipInvalidOpt = False,
    year_start: YearStartOpt = None,
    sheet: SheetOpt = None,
    measure_col: MeasureColOpt = None,
    period_col: PeriodColOpt = None,
    value_col: ValueColOpt = None,
    area_col: AreaColOpt = None,
    period: PeriodOpt = None,
    area: AreaOpt = None,
) -> None:
    """SVG charts of each measure's series: an XmR chart (mean, process limits, target) with
    special-cause points marked by shape and colour, and a text alternative in the file.

    The series is the measure's months, or its quarters, to the end of the current period; with
    fewer than 15 points it is drawn without limits, and the chart says why.

    Example: kpitool chart "999 calls" Homicide -o charts --config examples/kpitool.toml
    """
    from kpitool.output import check_writable, write_atomic
    from kpitool.render.svg import chart_files

    args = {**locals(), "files": data, "baseline": None, "tolerance": None, "pro_rata": False, "confidence": None}
    args.update(measure=measures, method=MethodName.spc)
    files = chart_files(_comparison(args)[1])
    output.mkdir(parents=True, exist_ok=True)
    for name in files:
        check_writable(output / name, force)  # all refused before any is written
    for name, svg in files.items():
        write_atomic(output / name, svg, force=force)
        typer.echo(f"wrote {visible_line(str(output / name))}", err=True)


@app.command()
def schema(
    which: Annotated[str, typer.Argument(metavar="WHICH", help="comparison, validation or catalogue.")] = "comparison",
) -> None:
    """Print the JSON Schema of an output (comparison, validation) or of kpitool.toml (catalogue).

    Example: kpitool schema comparison > comparison.schema.json
    """
    import json

    from pydantic import BaseModel

    from kpitool.models import Catalogue, ComparisonReport, ValidationReport

    models: dict[str, type[BaseModel]] = {
        "comparison": ComparisonReport,
        "validation": ValidationReport,
        "catalogue": Catalogue,
    }
    if which not in models:
        raise UsageError(f"schema: choose one of {', '.join(models)}")
    typer.echo(json.dumps(models[which].model_json_schema(mode="serialization"), indent=2, ensure_ascii=False))


def main() -> None:
    """Entry point (the console script and ``python -m kpitool``)."""
    if hasattr(signal, "SIGPIPE"):
        # `kpitool validate … | head`: end quietly as Unix tools do (status 141), not with click's
        # exit 1, which would read as "invalid"
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    for stream in (sys.stdout, sys.stderr):  # PYTHONIOENCODING=ascii: write what cannot be encoded as \u…
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    if sys.stdout is None:  # started with standard output closed (`kpitool … >&-`): nothing could be said
        if sys.stderr is not None:
            print("kpitool: error: cannot write the output (standard output is closed)", file=sys.stderr)
        sys.exit(ExitCode.USAGE)
    try:
        app()
    except OSError as exc:  # the output cannot be written: disk full, permission, a closed pipe
        if "--debug" in sys.argv[1:]:
            raise
        typer.echo(f"kpitool: error: cannot write the output ({exc.strerror or exc})", err=True)
        sys.exit(ExitCode.USAGE)
    except Exception as exc:  # a bug: the user still gets one line, not a traceback
        if "--debug" in sys.argv[1:]:
            raise
        message = visible_line(f"{exc.__class__.__name__}: {exc}")
        typer.echo(f"kpitool: internal error: {message} (run with --debug for details)", err=True)
        sys.exit(ExitCode.INTERNAL)
