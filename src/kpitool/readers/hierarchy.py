"""Subtotal rows in a report table: a region's row, then the rows of its forces, which add up to it.

Found from the figures, never from the names (a region and a force may share one: the West
Midlands region holds the West Midlands force). The rows under a subtotal are named within it
(``West Midlands / West Midlands``), so that the two stay apart, as an area hierarchy does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kpitool.codes import Code
from kpitool.models import Finding
from kpitool.readers.base import TableColumn, TableRow

if TYPE_CHECKING:
    import pandas as pd

MAX_ROWS = 2000  # a table larger than this is not searched for subtotals
MAX_PARTS = 100  # nor a subtotal of more rows than this
MIN_GROUPS = 2  # one subtotal alone may be chance: a hierarchy has two or more


def _figures(row: TableRow, columns: list[TableColumn]) -> bool:
    return any((c := row.cells.get(col.index)) is not None and c.value is not None for col in columns)


def _adds_up(parent: TableRow, parts: list[TableRow], columns: list[TableColumn], whole: float = 0.0) -> int | None:
    """Does ``parent`` equal the sum of the figures ``parts`` have, in every column where it has a
    figure and they have some (and there is at least one such column), allowing for the places each
    figure is shown to? A part without a figure (``..``, not collected) adds nothing to find the
    subtotal by: it is never counted as zero in any value kpitool computes.

    Where the table has two or more such columns, a subtotal holds in most of them and at least
    two: one column that does not add up is an error the audit names (``parts-mismatch``), never a
    reason to take the region for a force. The columns that do not add up (0: all do), or None."""
    checked = failed = 0
    for col in columns:
        total = parent.cells.get(col.index)
        cells = [c for p in parts if (c := p.cells.get(col.index)) is not None and c.value is not None]
        if total is None or total.value is None or not cells:
            continue
        slack = sum(0.5 * 10.0 ** -min(c.decimals, 12) if c.decimals else whole for c in (total, *cells))
        made = sum(c.value for c in cells if c.value is not None)
        checked += 1
        if abs(made - total.value) > slack + 1e-9 * max(1.0, abs(total.value)):
            failed += 1
    if checked > 0 and (failed == 0 or (checked - failed > failed and checked - failed >= 2)):
        return failed
    return None


def subtotals(rows: list[TableRow], columns: list[TableColumn], rounded: bool = False) -> list[tuple[int, int]]:
    """(subtotal row, its last part) for each row that is the sum of the two or more rows right under
    it, taken greedily from the top (the parts that add up in every column, else in the most); none
    unless at least ``MIN_GROUPS`` are found."""
    if len(rows) > MAX_ROWS or not columns:
        return []
    groups: list[tuple[int, int]] = []
    i = 0
    while i < len(rows) - 2:
        found, fewest = None, len(columns) + 1
        for j in range(i + 2, min(len(rows), i + 1 + MAX_PARTS)):
            failed = _adds_up(rows[i], rows[i + 1 : j + 1], columns, 0.5 if rounded else 0.0)
            if failed is not None and failed < fewest:
                found, fewest = j, failed
                if not failed:
                    break
        if found is None:
            i += 1
            continue
        while found + 1 < len(rows) and not _figures(rows[found + 1], columns):
            found += 1  # a part with no figure at all ("..") under the last one that has some
        groups.append((i, found))
        i = found + 1
    return groups if len(groups) >= MIN_GROUPS else []


def name_within_subtotals(
    rows: list[TableRow], columns: list[TableColumn], name: str, rounded: bool = False
) -> tuple[list[Finding], list[tuple[int, list[int]]]]:
    """Name each part within its subtotal (``North East / Durham``); a ``layout`` info says so. The
    subtotals found, as (its row, its parts' rows), for the audit."""
    groups = subtotals(rows, columns, rounded)
    if not groups:
        return [], []
    found = [(rows[parent].row, [r.row for r in rows[parent + 1 : last + 1]]) for parent, last in groups]
    for parent, last in groups:
        for row in rows[parent + 1 : last + 1]:
            row.name = f"{rows[parent].name} / {row.name}"
    first, last = groups[0]
    example = f"{rows[first].name} = " + " + ".join(r.name.split(" / ", 1)[1] for r in rows[first + 1 : last + 1])
    said = Finding(
        code=Code.LAYOUT,
        file=name,
        row=rows[first].row,
        message=f"rows {rows[first].row}–{rows[groups[-1][1]].row}: {len(groups)} rows are each the sum of the"
        f" rows under them ({example}); those rows are named within them ({rows[first + 1].name!r}), so that"
        " a region and a force of one name stay apart",
    )
    return [said], found


def name_within_repeated_areas(frame: pd.DataFrame, name: str) -> tuple[pd.DataFrame, list[Finding]]:
    """A long file's area named twice for one measure and period, once as the sum of the rows
    between (the West Midlands region, then its four forces, the last the West Midlands force):
    those rows are named within it, as in a report table's subtotals. Only where the figures show
    it, period by period; anything else stays a conflict for validate to report."""
    import numpy as np

    keys = ["section", "measure", "period"]
    if frame.empty or not frame.duplicated(keys).any():
        return frame, []
    renamed: dict[int, str] = {}  # frame position -> its name within the subtotal
    examples: list[tuple[int, int, str, int]] = []  # (subtotal row, last row, its name, rows under it)
    for (_measure, _period), group in frame.groupby(["measure", "period"], sort=False, observed=True):
        if not group["section"].duplicated().any():
            continue
        group = group.sort_values("row", kind="stable")
        names = group["section"].astype(str).tolist()
        values = group["value"].to_numpy(dtype="float64")
        for i, area in enumerate(names):
            if not area:
                continue
            again = [j for j in range(i + 2, len(names)) if names[j] == area]
            if not again or np.isnan(values[i]):
                continue
            j = again[0]
            parts = values[i + 1 : j + 1]
            made = float(np.nansum(parts))
            if np.isnan(parts).all() or abs(made - values[i]) > 1e-9 * max(1.0, abs(values[i])) + 1e-6:
                continue
            for k in range(i + 1, j + 1):
                renamed[int(group.index[k])] = f"{area} / {names[k]}"
            examples.append((int(group["row"].iloc[i]), int(group["row"].iloc[j]), area, j - i))
    if not renamed:
        return frame, []
    frame = frame.astype({"section": object})
    positions = np.fromiter(renamed, dtype="int64")
    frame.loc[positions, "section"] = list(renamed.values())
    first, last, area, under = examples[0]
    more = f" (and so in {len(examples) - 1} more periods)" if len(examples) > 1 else ""
    return frame, [
        Finding(
            code=Code.LAYOUT,
            file=name,
            row=first,
            message=f"rows {first}–{last}{more}: {area!r} is the sum of the {under} rows under it, where the name"
            f" comes again (row {last}); those rows are named within it ({area + ' / ' + area!r} for the last),"
            " so that a region and a force of one name stay apart",
        )
    ]
