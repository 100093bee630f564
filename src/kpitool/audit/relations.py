"""Rows that relate to other rows: totals and their parts, rates and their terms."""

from __future__ import annotations

import math
import re
from itertools import combinations

from kpitool.arithmetic import EDGE, ratio
from kpitool.audit.rounding import fmt, shown_half
from kpitool.audit.table import TableView
from kpitool.codes import Code
from kpitool.models import Finding
from kpitool.readers import TableColumn, TableRow

TOTAL_NAME_RE = re.compile(r"\b(total|totals|all)\b", re.IGNORECASE)
NAMED_PARTS_RE = re.compile(r"\(([^()]+\+[^()]+)\)")
MAX_SUBSET_ROWS = 12
MAX_SUBSET_CHECKS = 20_000  # subsets tried a table before the search keeps to nearby rows
NEARBY = 12  # how many rows above and below a total or a rate its parts or terms are looked for in


def _bounded(view: TableView, what: str) -> None:
    """Say once a table that its search was kept to nearby rows."""
    if not any(f.code == Code.AUDIT_BOUNDED for f in view.findings):
        view.findings.append(
            Finding(
                code=Code.AUDIT_BOUNDED,
                file=view.name,
                row=view.table.header_row,
                message=f"{view.table.section}: the table is too large to search every {what};"
                f" they were looked for within {NEARBY} rows of it",
            )
        )


def _nearby(rows: list[TableRow], row: TableRow, table_rows: list[TableRow]) -> list[TableRow]:
    position = {r.row: i for i, r in enumerate(table_rows)}
    here = position[row.row]
    return [r for r in rows if abs(position[r.row] - here) <= NEARBY]


def check_parts(view: TableView, cols: list[TableColumn]) -> None:
    """Totals against their parts: declared, named in the row, or evident in most columns."""
    rows = [r for r in view.table.rows if r.row not in view.percent_rows]
    totals = [r for r in rows if TOTAL_NAME_RE.search(r.name)]
    others = len(rows) - len(totals)
    # every subset of up to 12 rows is tried, unless that is too many for the totals there are
    near = others <= MAX_SUBSET_ROWS and len(totals) * 2**others > MAX_SUBSET_CHECKS
    if near:
        _bounded(view, "subset of rows a total may be the sum of")
    by_row = {r.row: r for r in view.table.rows}
    subtotals = {total: [by_row[p] for p in parts if p in by_row] for total, parts in view.table.subtotals}
    for row in rows:
        parts, declared = _declared_parts(view, row)
        if parts is None and row.row in subtotals:  # a region over its forces, found by the figures
            parts = subtotals[row.row]
        elif parts is None and TOTAL_NAME_RE.search(row.name):
            parts = _inferred_parts(view, row, rows, cols, near)
            declared = False
        if not parts:
            continue
        results = [(c, _sum_check(view, row, parts, c)) for c in cols]
        judged = [(c, r) for c, r in results if r is not None]
        good = sum(1 for _, r in judged if r[0])
        bad = [(c, r) for c, r in judged if not r[0]]
        if not declared and (good <= len(bad) or good < 2):
            continue
        names = " + ".join(p.name for p in parts)
        for c in cols:
            _lacking_part(view, row, parts, c)
        for c, r in bad:
            view.add(
                "error",
                Code.PARTS_MISMATCH,
                row,
                c,
                f"{c.header} shows {fmt(r[2], 0)} but {names} = {fmt(r[1], 0)}",
                expected=fmt(r[1], 0),
                actual=row.raw.get(c.index, "").strip(),
            )


def _lacking_part(view: TableView, row: TableRow, parts: list[TableRow], col: TableColumn) -> None:
    """A total whose figure in a column is the sum of the parts shown there, one part having none:
    the total leaves that part out, and so does every year or change made from it."""
    total = view.cell(row, col)
    missing = [p for p in parts if view.cell(p, col) is None]
    present = [p for p in parts if p not in missing]
    if total is None or total.value is None or not missing or len(present) < 1:
        return
    check = _sum_check(view, row, present, col)
    if check is None or not check[0]:
        return  # the total holds more than the parts shown: the missing one's figure, presumably
    said = ", ".join(
        f"{p.name} ({p.raw.get(col.index, '').strip()})" if p.raw.get(col.index, "").strip() else p.name
        for p in missing
    )
    view.add(
        "warning",
        Code.INCOMPLETE_TOTAL,
        row,
        col,
        f"{col.header} ({fmt(total.value, 0)}) is {' + '.join(p.name for p in present)} alone: {said}"
        f" {'has' if len(missing) == 1 else 'have'} no figure there, so the total leaves"
        f" {'it' if len(missing) == 1 else 'them'} out (or {'it is' if len(missing) == 1 else 'they are'} 0),"
        " and so does a year made from it",
        expected=None,
        actual=row.raw.get(col.index, "").strip(),
    )


def _declared_parts(view: TableView, row: TableRow) -> tuple[list[TableRow] | None, bool]:
    measure = view.measure(row)
    names: list[str] = []
    if measure is not None and measure.parts:
        names = measure.parts
    else:
        m = NAMED_PARTS_RE.search(row.name)
        if m:
            names = [p.strip() for p in m.group(1).split("+")]
    if not names:
        return None, False
    found = [_find_row(view, n) for n in names]
    if any(f is None for f in found):
        return None, False
    return [f for f in found if f is not None], True


def _find_row(view: TableView, name: str) -> TableRow | None:
    low = name.strip().lower()
    if low in view.rows_by_name:
        return view.rows_by_name[low]
    if view.catalogue:
        m = view.catalogue.resolve(name, view.table.section)
        if m is not None:
            for alias in [m.name, *m.aliases]:
                if alias.lower() in view.rows_by_name:
                    return view.rows_by_name[alias.lower()]
    matches = [r for key, r in view.rows_by_name.items() if key.lstrip("*").startswith(low)]
    return matches[0] if len(matches) == 1 else None


def _inferred_parts(
    view: TableView, row: TableRow, rows: list[TableRow], cols: list[TableColumn], near: bool = False
) -> list[TableRow] | None:
    others = [r for r in rows if r is not row and not TOTAL_NAME_RE.search(r.name)]
    if len(others) < 2:
        return None
    subsets: list[tuple[TableRow, ...]] = [tuple(others)]
    if view.table.subtotals:  # under a hierarchy, the rows of its top level above the total
        inside = {p for _, parts in view.table.subtotals for p in parts}
        top = tuple(r for r in others if r.row < row.row and r.row not in inside)
        if len(top) >= 2:
            subsets.append(top)
    if near:  # runs of the rows just above or below the total, as tables are laid out
        above = [r for r in _nearby(others, row, view.table.rows) if r.row < row.row]
        below = [r for r in _nearby(others, row, view.table.rows) if r.row > row.row]
        subsets += [tuple(above[i:]) for i in range(len(above) - 1)]
        subsets += [tuple(below[: i + 1]) for i in range(1, len(below))]
    elif len(others) <= MAX_SUBSET_ROWS:
        subsets = [s for size in range(2, len(others) + 1) for s in combinations(others, size)]
    best: tuple[int, int, list[TableRow]] | None = None
    for subset in subsets:
        results = [_sum_check(view, row, list(subset), c) for c in cols]
        good = sum(1 for r in results if r is not None and r[0])
        if best is None or good > best[0] or (good == best[0] and len(subset) < best[1]):
            best = (good, len(subset), list(subset))
    return best[2] if best and best[0] >= 2 else None


def _sum_check(
    view: TableView, row: TableRow, parts: list[TableRow], col: TableColumn
) -> tuple[bool, float, float] | None:
    total = view.cell(row, col)
    cells = [view.cell(p, col) for p in parts]
    if total is None or total.value is None or any(c is None or c.value is None for c in cells):
        return None
    value = math.fsum(c.value for c in cells if c is not None and c.value is not None)
    tol = sum(view.error(p, c) for p, c in zip(parts, cells, strict=True) if c is not None) + view.error(row, total)
    return (abs(value - total.value) <= tol + EDGE, value, total.value)


def check_ratios(view: TableView, cols: list[TableColumn]) -> None:
    """Percentage rows against one row divided by another: declared, or evident in most columns."""
    plain = [r for r in view.table.rows if r.row not in view.percent_rows]
    near = len(plain) > 2 * NEARBY
    for row in view.table.rows:
        if row.row not in view.percent_rows:
            continue
        declared = _declared_ratio(view, row)
        terms = _nearby(plain, row, view.table.rows) if near and not declared else plain
        if near and not declared:
            _bounded(view, "pair of rows a rate may be the ratio of")
        candidates = [declared] if declared else [(a, b) for a in terms for b in terms if a is not b]
        best: tuple[int, list[tuple[TableColumn, float, float]], tuple[TableRow, TableRow]] | None = None
        for a, b in candidates:
            good, bad = 0, []
            for c in cols:
                r = _ratio_check(view, row, a, b, c)
                if r is None:
                    continue
                if r[0]:
                    good += 1
                else:
                    bad.append((c, r[1], r[2]))
            if declared or (good > len(bad) and good >= 2):
                if best is None or good > best[0]:
                    best = (good, bad, (a, b))
        if best is None:
            continue
        _good, bad, (a, b) = best
        view.ratio_of[row.row] = (a, b)
        for c, expected, actual in bad:
            view.add(
                "error",
                Code.RATIO_MISMATCH,
                row,
                c,
                f"{c.header} shows {fmt(actual, 1)}% but {a.name} / {b.name} = {fmt(expected, 1)}%",
                expected=fmt(expected, 1) + "%",
                actual=row.raw.get(c.index, "").strip(),
            )


def _declared_ratio(view: TableView, row: TableRow) -> tuple[TableRow, TableRow] | None:
    measure = view.measure(row)
    if measure is None or measure.aggregate != "ratio" or not measure.numerator or not measure.denominator:
        return None
    a, b = _find_row(view, measure.numerator), _find_row(view, measure.denominator)
    return (a, b) if a is not None and b is not None else None


def _ratio_check(
    view: TableView, row: TableRow, a: TableRow, b: TableRow, col: TableColumn
) -> tuple[bool, float, float] | None:
    shown, num, den = view.cell(row, col), view.cell(a, col), view.cell(b, col)
    if shown is None or num is None or den is None or shown.value is None or num.value is None:
        return None
    value = ratio(num.value, den.value, 100.0)
    if value is None:
        return None
    return (abs(value - shown.value) <= shown_half(shown.decimals) + EDGE, value, shown.value)
