"""Comparison reports as Markdown (tabulate pipe tables), one table per section."""

from __future__ import annotations

import re
from collections.abc import Sequence

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
    values, markers, shown = _quarter_columns(rows, report.quarters)
    cells = [
        texts if all(shown[k]) else [t if s else "" for t, s in zip(texts, shown[k], strict=True)]
        for k, texts in ((k, units.marked_texts(values[k], markers[k])) for k in range(len(values)))
    ]
    current = units.texts(rows.current_value)
    return [
        list(rows.measure),
        base,
        *cells,
        [t + label for t, label in zip(current, value_labels(rows, report), strict=True)],
        change_texts(rows, units.places),
        pct_texts(rows, places),
        arrows_words(rows),
    ]


def _quarter_columns(
    rows: Rows, quarters: Sequence[str]
) -> tuple[list[list[float | None]], list[dict[int, str]], list[list[bool]]]:
    """Each of the table's ``quarters`` as a column of the rows' values, their markers (by row)
    and whether the row shows it; the rows that share their quarters' labels (rows made together
    share one tuple of them) a column at a time."""
    place = {q: k for k, q in enumerate(quarters)}
    n = len(rows)
    values: list[list[float | None]] = [[None] * n for _ in place]
    markers: list[dict[int, str]] = [{} for _ in place]
    shown = [[False] * n for _ in place]
    alike: dict[tuple[str, ...], list[int]] = {}
    for i, labels in enumerate(rows.quarter_labels):
        at = alike.get(labels)
        if at is None:
            at = alike[labels] = []
        at.append(i)
    if alike:  # the most rows' quarters whole columns at once (the others' places blank), then the others'
        most = max(alike, key=lambda labels: len(alike[labels]))
        others = [i for labels, at in alike.items() if labels != most for i in at]
        figures = rows.quarter_values
        if others:
            figures = list(figures)
            for i in others:
                figures[i] = (None,) * len(most)
        for q, column in zip(most, zip(*figures, strict=True), strict=True):
            k = place.get(q)
            if k is not None:
                values[k], shown[k] = list(column), [True] * n
                for i in others:
                    shown[k][i] = False
    for labels, at in alike.items():
        if labels == most:
            continue
        for q, column in zip(labels, zip(*[rows.quarter_values[i] for i in at], strict=True), strict=True):
            k = place.get(q)
            if k is not None:
                mine, seen = values[k], shown[k]
                for i, value in zip(at, column, strict=True):
                    mine[i], seen[i] = value, True
    for i, marked in enumerate(rows.quarter_markers):
        if marked:
            for q, marker in zip(rows.quarter_labels[i], marked, strict=True):
                k = place.get(q)
                if k is not None and marker:
                    markers[k][i] = marker
    return values, markers, shown


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
