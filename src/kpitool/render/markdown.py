"""Comparison reports as Markdown (tabulate pipe tables), one table per section."""

from __future__ import annotations

import re

from tabulate import tabulate

from kpitool.models import Catalogue, Comparison, ComparisonReport
from kpitool.render.safe import visible
from kpitool.render.values import (
    Units,
    arrows_words,
    change_texts,
    pct_texts,
    row_places,
    rows_left_out,
    sparkline,
    value_heading,
    value_labels,
)
from kpitool.rows import Rows


def md_cell(text: str) -> str:
    """Text safe inside a pipe table and in the HTML it becomes: ``|``, ``<``, ``>`` and entities escaped, lines folded."""
    # a bare "&" stays readable ("Drink & drug driving"); one that would start an entity is escaped
    escaped = re.sub(r"&(?=#?\w+;)", "&amp;", visible(text)).replace("<", "&lt;").replace(">", "&gt;")
    return " ".join(escaped.replace("\\", "\\\\").replace("|", "\\|").split())


def headers(report: ComparisonReport) -> list[str]:
    quarters = [q.removeprefix(report.current).strip() or q for q in report.quarters]
    return [
        "Measure",
        f"Baseline {report.baseline}",
        *[f"{q} {report.current}" for q in quarters],
        value_heading(report),
        "Change",
        "% change",
        "Direction",
    ]


def row_cells(c: Comparison, report: ComparisonReport) -> list[str]:
    return [column[0] for column in row_columns(Rows.of_models([c]), report)]


def row_columns(rows: Rows, report: ComparisonReport) -> list[list[str]]:
    """The cells under ``headers``, a column at a time (a column's figures are formatted together)."""
    places = row_places(rows)
    units = Units.of(rows.unit, places)
    base = units.texts(rows.baseline_value)
    for i, period in enumerate(rows.baseline_period):
        if period and period != report.baseline:
            base[i] += f" ({period})"
    place = {p: k for k, p in enumerate(report.quarters)}
    n = len(rows)
    values: list[list[float | None]] = [[None] * n for _ in place]
    markers: list[dict[int, str]] = [{} for _ in place]
    shown = [[False] * n for _ in place]
    for i, quarters in enumerate(rows.quarters):
        for q, value, marker in quarters:
            k = place.get(q)
            if k is not None:
                values[k][i] = value
                shown[k][i] = True
                if marker:
                    markers[k][i] = marker
    cells = [
        [t if s else "" for t, s in zip(units.marked_texts(values[k], markers[k]), shown[k], strict=True)]
        for k in range(len(place))
    ]
    current = units.texts(rows.current_value)
    return [
        list(rows.measure),
        base,
        *cells,
        [t + label for t, label in zip(current, value_labels(rows, report), strict=True)],
        change_texts(rows, places),
        pct_texts(rows, places),
        arrows_words(rows),
    ]


def render_markdown(report: ComparisonReport, catalogue: Catalogue | None = None) -> str:
    """The tables for a paper: the report's title, period, "data as at" and source lines, a table a
    section with its trend, the method once, and the data caveats as numbered notes."""
    from kpitool.document import build_document

    doc = build_document(report, catalogue)
    lines = [f"# {md_cell(doc.subtitle or doc.title)}", ""]
    if doc.subtitle:
        lines += [md_cell(doc.title), ""]
    about = [doc.period, doc.as_at, f"Source: {doc.source}" if doc.source else ""]
    lines += ["  \n".join(md_cell(x) for x in about if x), ""]
    names = [*headers(report), "Trend"]
    for section in doc.sections:
        lines += [f"## {md_cell(section.title)}", ""]
        table = []
        shown = Rows.of_models([entry.comparison for entry in section.entries])  # a section's cells at once
        for entry, row in zip(section.entries, zip(*row_columns(shown, report), strict=True), strict=True):
            cells = [md_cell(x) for x in row] + [sparkline(entry.comparison.history_values)]
            cells[0] += "".join(f" [note {n}]" for n in entry.notes)
            table.append(cells)
        lines.append(
            tabulate(
                table,
                headers=[md_cell(h) for h in names],
                tablefmt="pipe",
                disable_numparse=True,
                colalign=["left", *["right"] * (len(names) - 3), "left", "left"],
            )
        )
        lines.append("")
    lines += ["## Method", ""]
    lines += [f"- {md_cell(n)}" for n in doc.method]
    if doc.notes:
        lines += ["", "## Notes", ""]
        lines += [f"{i}. {md_cell(n)}" for i, n in enumerate(doc.notes, start=1)]
    if report.skipped:
        lines += ["", "## Rows not read", "", rows_left_out(report.rows_skipped), ""]
        lines += [f"- {md_cell(s.sentence)}" for s in report.skipped]
    return "\n".join(lines).rstrip() + "\n"
