"""A row's reported figures against its own quarters: the year total, the % change, the arrow."""

from __future__ import annotations

from typing import Literal

from kpitool.arithmetic import AVERAGE_NAME_RE, EDGE, band_direction, headline_change, relative_change
from kpitool.audit.rounding import Estimate, change_interval, consistent, fmt, shown_half, truncate
from kpitool.audit.table import TableView
from kpitool.codes import Code, Severity
from kpitool.models import ARROWS
from kpitool.numbers import show_value
from kpitool.periods import Period
from kpitool.readers import ARROW_WORDS, STATUS_WORDS, TableColumn, TableRow


def check_totals(view: TableView, row: TableRow) -> None:
    for col in view.table.by_role("total"):
        shown = view.cell(row, col)
        if shown is None or shown.value is None:
            continue
        # a year-to-date's quarters of the current year; a whole year's own (2023 in 2022/23 and 2023/24)
        whole = col.period is not None and col.period.is_year and col.quarters in ([], [1, 2, 3, 4])
        computed = (
            view.year_from_quarters(row, None, col.period)
            if whole
            else view.year_from_quarters(row, col.quarters or None)
        )
        if computed is None:
            continue
        est, how = computed
        # a whole number is exact only as a total of whole numbers; a mean, or a total of figures
        # with decimals, shown whole is a rounding
        rounded = shown.decimals or est.error > 0 or not how.startswith("sum")
        tol = est.error + (view.error(row, shown) or shown_half(shown.decimals)) if rounded else est.error
        if abs(est.value - shown.value) <= tol + EDGE:
            if how.startswith("sum") and view.measure(row) is None and AVERAGE_NAME_RE.search(row.name):
                view.add(
                    "warning",
                    Code.IMPLAUSIBLE_AGGREGATE,
                    row,
                    col,
                    f"{col.header} adds up the quarters of what its name says is an average or a rate"
                    f" ({fmt(shown.value, shown.decimals)}); its year is more likely their mean",
                    actual=row.raw.get(col.index, "").strip(),
                )
            continue
        d = max(shown.decimals, 0)
        while d < 3 and fmt(est.value, d) == fmt(shown.value, d):  # never "shows 11 but … gives 11"
            d += 1
        sign = "%" if shown.percent else ""
        view.add(
            "error",
            Code.TOTAL_MISMATCH,
            row,
            col,
            f"{col.header} shows {fmt(shown.value, d)}{sign} but the {how} gives {fmt(est.value, d)}{sign}",
            expected=fmt(est.value, d),
            actual=fmt(shown.value, d),
        )


def judge(
    base: Estimate, cur: Estimate, reported: float, k: int, *, points: bool
) -> Literal["ok", "truncated", "wrong"]:
    """Is a reported change, shown to ``k`` places, what these (rounded) inputs give?"""
    if consistent(change_interval(base, cur, points), reported, k):
        return "ok"
    exact = headline_change(base.value, cur.value, points)
    if exact is not None and truncate(exact, k) == reported:
        return "truncated"
    return "wrong"


def check_change(view: TableView, row: TableRow) -> None:
    for col in view.table.by_role("change"):
        cell = row.cells.get(col.index)
        if cell is None or cell.value is None:
            continue
        to = col.basis_to
        if to is None and isinstance(col.basis_from, Period) and col.basis_from.is_year:
            to = view.year_like(col.basis_from)  # "% change from 2022": to the latest year of its kind
        base = view.basis_value(row, col.basis_from, default_to_year=False)
        cur = view.basis_value(row, to, default_to_year=True)
        if base is None or cur is None:
            view.not_checked(row, col, frm=col.basis_from, to=to, base=base is None, cur=cur is None)
            continue
        if col.absolute and not cell.percent:
            _judge_absolute_change(view, row, col, base, cur, cell.value, cell.decimals)
        else:
            _judge_change(view, row, col, base, cur, cell.value, cell.decimals)


def _judge_absolute_change(
    view: TableView,
    row: TableRow,
    col: TableColumn,
    base: tuple[Estimate, str],
    cur: tuple[Estimate, str],
    reported: float,
    k: int,
) -> None:
    """A change in the measure's own units: current − baseline, allowing for the inputs' rounding."""
    interval = change_interval(base[0], cur[0], points=True)  # a difference, as for percentage points
    if consistent(interval, reported, k):
        return
    exact = cur[0].value - base[0].value
    shown = view.shown_total(row, col)
    severity: Severity = "error"
    why = f"reported {fmt(reported, k)} but {base[1]} {fmt(base[0].value, k)} to {fmt(cur[0].value, k)} ({cur[1]}) is {fmt(exact, k)}"
    if shown is not None and consistent(change_interval(base[0], shown, points=True), reported, k):
        severity = "warning"
        why = f"{fmt(reported, k)} follows from the total shown ({fmt(shown.value, k)}), not from the quarters, which give {fmt(exact, k)}"
    view.add(
        severity, Code.CHANGE_MISMATCH, row, col, why, expected=fmt(exact, k), actual=row.raw.get(col.index, "").strip()
    )


def _judge_change(
    view: TableView,
    row: TableRow,
    col: TableColumn,
    base: tuple[Estimate, str],
    cur: tuple[Estimate, str],
    reported: float,
    k: int,
) -> None:
    points = row.row in view.percent_rows
    raw = row.raw.get(col.index, "").strip()
    verdict = judge(base[0], cur[0], reported, k, points=False)
    shown = view.shown_total(row, col)
    if verdict == "ok":
        if shown is not None and not consistent(change_interval(base[0], shown, False), reported, k):
            view.add(
                "info",
                Code.CHANGE_MISMATCH,
                row,
                col,
                f"{fmt(reported, k)}% follows from the quarters but not from the total shown"
                f" ({fmt(shown.value, 0)}), which is itself wrong",
                actual=raw,
            )
        return
    exact = relative_change(base[0].value, cur[0].value)
    if verdict == "truncated":
        view.add(
            "info",
            Code.ROUNDING,
            row,
            col,
            f"{fmt(reported, k)}% looks truncated: {exact:.{k + 3}f}% rounds to {fmt(exact, k)}%",
            expected=fmt(exact, k) + "%",
            actual=raw,
        )
        return
    if points and judge(base[0], cur[0], reported, k, points=True) == "ok":
        view.add(
            "info",
            Code.CHANGE_IN_POINTS,
            row,
            col,
            f"{fmt(reported, k)} under a % heading is a change in percentage points"
            f" ({fmt(cur[0].value - base[0].value, k)} pp; the relative change is {fmt(exact, k)}%)",
            expected=fmt(cur[0].value - base[0].value, k) + " pp",
            actual=raw,
        )
        return
    if shown is not None and judge(base[0], shown, reported, k, points=False) != "wrong":
        view.add(
            "warning",
            Code.CHANGE_MISMATCH,
            row,
            col,
            f"{fmt(reported, k)}% follows from the total shown ({fmt(shown.value, 0)}), not from the"
            f" quarters ({cur[1]}: {fmt(cur[0].value, 0)}), which give {fmt(exact, k)}%",
            expected=fmt(exact, k) + "%",
            actual=raw,
        )
        return
    view.add(
        "error",
        Code.CHANGE_MISMATCH,
        row,
        col,
        f"reported {fmt(reported, k)}% but {base[1]} {fmt(base[0].value, 1 if base[0].error else 0)} to"
        f" {fmt(cur[0].value, 1 if cur[0].error else 0)} ({cur[1]}) is {fmt(exact, k)}%",
        expected=fmt(exact, k) + "%",
        actual=raw,
    )


def allowed_arrows(base: Estimate, cur: Estimate, points: bool, tolerance: float) -> set[str]:
    """Every arrow the band gives for a change the rounded inputs allow."""
    interval = change_interval(base, cur, points)
    if interval is None and base.lo == base.hi == 0:
        # from a zero baseline the arrow follows the absolute change, as compare draws it
        signs = {
            "up" if cur.hi > 0 else None,
            "down" if cur.lo < 0 else None,
            "level" if cur.lo <= 0 <= cur.hi else None,
        }
        return {d for d in signs if d is not None}
    if interval is None:
        return {"up", "down", "level"}
    out = {band_direction(v, tolerance) for v in interval}
    lo, hi = interval
    if lo < -tolerance < hi or lo < tolerance < hi:
        out.add("level")
    return {d for d in out if d is not None}


def check_direction(view: TableView, row: TableRow) -> None:
    for col in view.table.by_role("direction"):
        raw = row.raw.get(col.index, "").strip()
        said = ARROW_WORDS.get(raw.lower())
        if said is None:
            continue
        change_cols = view.table.by_role("change")
        frm = col.basis_from
        to = None
        if change_cols and (frm == "baseline" or frm is None):
            frm, to = change_cols[0].basis_from, change_cols[0].basis_to
        if isinstance(frm, Period) and any(c.period == frm for c in view.periods):
            base = view.period_value(row, frm)
        elif isinstance(frm, Period) and frm.is_year and frm != view.current and view.quarters_within(frm):
            base = view.named_year(row, frm)  # "from 2022/23" without its column: its quarters
        else:
            frm, base = "baseline", view.basis_value(row, "baseline", default_to_year=False)
        cur = view.basis_value(row, to, default_to_year=True)
        if view.stock_table and to is None:
            last = view.quarter_cols[-1] if view.quarter_cols else None
            cell = view.cell(row, last) if last else None
            cur = (
                (Estimate(cell.value, view.error(row, cell)), last.header)
                if cell and last and cell.value is not None
                else None
            )
        if base is None or cur is None:
            view.not_checked(row, col, frm=frm, to=to, base=base is None, cur=cur is None)
            continue
        _judge_arrow(view, row, col, base, cur, said, raw, change_cols[0] if change_cols else None)


def _judge_arrow(
    view: TableView,
    row: TableRow,
    col: TableColumn,
    base: tuple[Estimate, str],
    cur: tuple[Estimate, str],
    said: str,
    raw: str,
    change_col: TableColumn | None,
) -> None:
    points = row.row in view.percent_rows
    band = view.tolerance(row)
    allowed = allowed_arrows(base[0], cur[0], points, band)
    if said in allowed:
        return
    shown = view.shown_total(row, change_col) if change_col else None
    if shown is not None and said in allowed_arrows(base[0], shown, points, band):
        view.add(
            "warning",
            Code.DIRECTION_MISMATCH,
            row,
            col,
            f"{ARROWS[said]} follows from the total shown, not from the quarters, which give"
            f" {' or '.join(ARROWS[a] for a in sorted(allowed))}",
            expected=ARROWS[sorted(allowed)[0]],
            actual=raw,
        )
        return
    exact = headline_change(base[0].value, cur[0].value, points)
    unit = "pp" if points else "%"
    view.add(
        "error",
        Code.DIRECTION_MISMATCH,
        row,
        col,
        f"the arrow is {ARROWS[said]} but the change from {base[1]} is {fmt(exact, 1)}{unit},"
        f" which the ±{band:g} band makes {' or '.join(ARROWS[a] for a in sorted(allowed))}",
        expected=" or ".join(ARROWS[a] for a in sorted(allowed)),
        actual=raw,
    )


def check_target(view: TableView, row: TableRow) -> None:
    """A reported met / not met (or RAG) against the year value and the target, by polarity; and
    the table's target against the catalogue's."""
    m = view.measure(row)
    shown: tuple[Estimate, TableColumn] | None = None
    for col in view.table.by_role("target"):
        cell = view.cell(row, col)
        if cell is not None and cell.value is not None:
            shown = Estimate(cell.value, view.error(row, cell)), col
            break
    if m is not None and m.target is not None and shown is not None:
        est, col = shown
        if not est.lo - EDGE <= m.target <= est.hi + EDGE:
            view.add(
                "warning",
                Code.TARGET_MISMATCH,
                row,
                col,
                f"the table's target is {show_value(est.value)}, the catalogue's {show_value(m.target)}; the table's is audited",
                expected=show_value(m.target),
                actual=row.raw.get(col.index, ""),
            )
    target = shown[0] if shown else (Estimate(m.target) if m is not None and m.target is not None else None)
    status_cols = view.table.by_role("status")
    if target is None or not status_cols or m is None or m.polarity == "neutral":
        return  # without a polarity no one can say which side of the target is met
    in_table = [c.period.quarter for c in view.quarter_cols if c.period]
    if view.aggregate_for(row) == "sum" and view.quarter_cols and in_table != [1, 2, 3, 4]:
        return  # a total for part of the year against a year's target: "on track" is a forecast, not a sum
    cur = view.basis_value(row, None, default_to_year=True)
    if cur is None:
        return
    value, what = cur
    up = m.polarity == "up"
    can_meet = value.hi + EDGE >= target.lo if up else value.lo - EDGE <= target.hi
    can_miss = value.lo < target.hi + EDGE if up else value.hi > target.lo - EDGE
    for col in status_cols:
        raw = row.raw.get(col.index, "").strip()
        said = STATUS_WORDS.get(raw.lower())
        if said is None or said == "amber":  # amber's rule (how near is near) is not in the table
            continue
        if (said == "met" and can_meet) or (said == "not met" and can_miss):
            continue
        truth = "not met" if said == "met" else "met"
        view.add(
            "error",
            Code.TARGET_MISMATCH,
            row,
            col,
            f"{raw!r} says the target is {said}, but {what} is {show_value(value.value)} against a target of"
            f" {show_value(target.value)} ({'higher' if up else 'lower'} is better): {truth}",
            expected=truth,
            actual=raw,
        )
