"""Comparison reports as rich tables, grouped by section like the published report."""

from __future__ import annotations

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from kpitool.models import ComparisonReport
from kpitool.render.markdown import headers, row_cells
from kpitool.render.values import sparkline

COLOUR = {"improving": "green", "worsening": "red", "stable": "yellow", "not assessed": ""}


def render_table(report: ComparisonReport, console: Console) -> None:
    boxed = console.is_terminal
    for section, rows in report.sections().items():
        table = Table(
            title=Text(section or "Measures", style="bold"),
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
            cells = [Text(x) for x in row_cells(c, report)]
            cells[-1].stylize(COLOUR[c.assessment])
            table.add_row(*cells, Text(sparkline(c.history)))
        console.print(table)
    notes: list[str] = list(report.notes)
    for c in report.comparisons:
        notes += [f"{c.measure}: {n}" for n in c.notes]
    for n in notes:
        console.print(Text(n, style="dim"))
