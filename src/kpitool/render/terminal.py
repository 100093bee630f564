"""Comparison reports as rich tables, grouped by section like the published report."""

from __future__ import annotations

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from kpitool.models import ComparisonReport
from kpitool.render.markdown import headers, row_cells
from kpitool.render.safe import visible, visible_line
from kpitool.render.values import rows_left_out, sparkline

COLOUR = {"improving": "green", "worsening": "red", "stable": "yellow", "not assessed": ""}


def render_table(report: ComparisonReport, console: Console) -> None:
    boxed = console.is_terminal
    for section, rows in report.sections().items():
        table = Table(
            title=Text(visible_line(section or "Measures"), style="bold"),
            title_justify="left",
            box=box.SIMPLE_HEAD if boxed else None,
            show_edge=False,
            pad_edge=False,
        )
        # two-line headings ("Q1" over "2023/24") so that columns are as wide as their figures
        names = [name.replace(" ", "\n", 1) for name in headers(report)] + ["Trend"]
        for i, name in enumerate(names):
            table.add_column(
                name,
                justify="left" if i == 0 or i == len(names) - 2 else "right",
                overflow="fold",
                min_width=12 if i == 0 else None,
            )
        for c in rows:
            cells = [Text(visible_line(x)) for x in row_cells(c, report)]
            cells[-1].stylize(COLOUR[c.assessment])
            table.add_row(*cells, Text(sparkline(c.history)))
        console.print(table)
    for n in [*report.notes, *grouped_notes(report)]:
        console.print(Text(visible(n), style="dim"))
    if report.skipped:
        console.print(Text(rows_left_out(len(report.skipped)), style="bold"))
        for s in report.skipped:
            console.print(Text(visible(s.sentence), style="yellow"))


def grouped_notes(report: ComparisonReport, names_shown: int = 6) -> list[str]:
    """Each distinct note once, with the measures it is about."""
    about: dict[str, list[str]] = {}
    for c in report.comparisons:
        for n in c.notes:
            about.setdefault(n, []).append(f"{c.measure} ({c.area})" if c.area else c.measure)
    out = []
    for note, names in about.items():
        listed = ", ".join(names[:names_shown])
        if len(names) > names_shown:
            listed += f" and {len(names) - names_shown} more"
        out.append(f"{note.rstrip('.')}: {listed}.")
    return out
