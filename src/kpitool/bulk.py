"""The KPI table's plain rows, made all at once from a pivot of the observations.

Most rows of a large table are quarterly data compared the plain way: a whole year, or a part
year against the same quarters of the baseline, the arrow drawn by the band. Made one at a time (``kpitool.compare``), each such row costs about 40
period look-ups and five models; here the observations become one grid (series × quarters, in
numpy, ``kpitool.grid``), the rows are read off it as columns (``kpitool.rows``), and their models
are made from values valid by construction when something asks for them.

A row is plain only when it is one series of quarters, no period given twice (nothing restated),
its current year whole, or a part year whose quarters the baseline has too (the gaps named); its
measure a sum, mean or last, with no ``since`` and no target, its arrow drawn by the band.
Every other row is left to the per-row path, which stays the reference: ``tests/test_bulk.py``
checks that both make the same report.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, TypeVar

import numpy as np
from pydantic import BaseModel

from kpitool import arithmetic as ar
from kpitool.grid import Pivot
from kpitool.methods import SMALL, SMALL_NUMBERS
from kpitool.models import Aggregate, Assessment, Comparison, Delta, Direction, PeriodValue, Polarity, Unit
from kpitool.periods import Period, quarter_span
from kpitool.rows import FIELDS, Block, Rows, transposed
from kpitool.units import inferred_note, inferred_unit

M = TypeVar("M", bound=BaseModel)


@dataclass(slots=True)
class Plain:
    """A row asked of the bulk path: its place in the table, its series, its measure's settings
    (``unit`` and ``aggregate`` None: a measure no catalogue describes, inferred from the series)."""

    place: int
    series: int
    name: str
    section: str
    area: str
    unit: Unit | None
    aggregate: Aggregate | None
    polarity: Polarity
    tolerance: float
    base: Period


def plain_rows(grid: Pivot, asked: Sequence[Plain], year: Period, trend: Sequence[Period]) -> Made:
    """The rows it can make, in blocks of columns (``kpitool.rows``), and the places of the series
    that make no row (as the per-row path says); the rest are left to the per-row path. ``trend``:
    the sparkline's quarters, oldest first."""
    out = Made([], set())
    by_base: dict[Period, list[Plain]] = {}
    for p in asked:
        by_base.setdefault(p.base, []).append(p)
    for base, some in by_base.items():
        if year.is_year and base.is_year and base < year:
            _rows(grid, some, year, base, trend, out)
    return out


@dataclass
class Made:
    """The bulk path's rows: blocks of them, and the places whose series make no row."""

    blocks: list[Block]
    none: set[int]

    def places(self) -> set[int]:
        """The places it has decided: a row made, or none to make."""
        return {p for b in self.blocks for p in b.places} | self.none


@dataclass(frozen=True)
class _Context:
    """What the rows of one baseline share: the periods, their labels and the trend's columns."""

    year: Period
    base: Period
    in_base: list[int]
    labels: list[str]
    base_labels: list[str]
    trend: list[int]
    trend_labels: list[str]
    trend_is_quarters: bool


@dataclass(slots=True)
class _Recipe:
    """A bulk row's model, made when asked for: the row of the grid and what was decided of it."""

    context: _Context
    plain: Plain
    row: list[float]
    had: tuple[int, ...]  # the baseline's quarters with a value
    pattern: _Pattern
    marks: dict[tuple[int, int], str]
    how: Aggregate  # the measure's aggregate (decided, where no catalogue says it)

    def model(self, rows: Rows, k: int) -> Comparison:
        cx, p, row, marks = self.context, self.plain, self.row, self.marks
        shown = [_QUARTER({"period": q, "value": v, "marker": m}) for q, v, m in rows.quarters(k)]
        g = p.series
        if not marks:
            shown_base = [
                _QUARTER({"period": cx.base_labels[n], "value": row[cx.in_base[n]], "marker": None}) for n in self.had
            ]
            if cx.trend_is_quarters and len(shown) == len(shown_base) == 4:
                history = [*shown_base, *shown]
            else:
                same = {q.period: q for q in (*shown, *shown_base)}
                history = self._history(same)
        else:
            shown_base = [
                _QUARTER({"period": q, "value": v, "marker": m})
                for q, v, m in _marked_cells(row, cx.in_base, cx.base_labels, g, marks)
            ]
            # a quarter of the table without a marker is the trend's point for it too: one model, shared
            same = {q.period: q for q in (*shown, *shown_base) if q.marker is None and q.value is not None}
            history = self._history(same)
        latest = row[self.pattern.at]
        changes = []
        for j, before_label in self.pattern.before:
            a = row[j]
            changes.append(
                None
                if a != a
                else _DELTA(
                    {
                        "from_period": before_label,
                        "to_period": self.pattern.latest,
                        "from_value": a,
                        "to_value": latest,
                        "absolute": latest - a,
                        "relative": None if a == 0 else (latest - a) / abs(a) * 100.0,
                    }
                )
            )
        values = {name: getattr(rows, name)[k] for name in _SCALARS}
        values.update(
            aggregate=self.how,
            polarity=p.polarity,
            tolerance=p.tolerance,
            current_period=cx.year.label,
            current_basis=self.pattern.current_basis,
            quarters=shown,
            baseline_quarters=shown_base,
            quarter_on_quarter=changes[0],
            year_on_year=changes[1],
            history=history,
            history_grain="quarter",
            current_quarters=list(self.pattern.labels),
            not_compared=None,
            significance=None,
            spc=None,
            target=None,
            target_met=None,
        )
        return _ROW({name: values[name] for name in _ORDER})

    def _history(self, made: dict[str, PeriodValue]) -> list[PeriodValue]:
        cx = self.context
        values = [self.row[j] for j in cx.trend]
        return _points(values, cx.trend_labels, _QUARTER, made)


def _rows(
    grid: Pivot,
    asked: list[Plain],
    year: Period,
    base: Period,
    trend_periods: Sequence[Period],
    out: Made,
) -> None:
    series = np.array([p.series for p in asked], dtype=np.int64)
    values = grid.values[series]
    in_year = [grid.columns[q] for q in year.quarters()]
    in_base = [grid.columns[q] for q in base.quarters()]
    have, have_base = ~np.isnan(values[:, in_year]), ~np.isnan(values[:, in_base])
    present = have.sum(axis=1)
    # a part year is made here only against the same quarters of the baseline (else: a projection,
    # or no change at all, said by the per-row path)
    same_quarters = (have_base | ~have).all(axis=1)
    ok = grid.plain[series]
    makes = ok & ((present == 4) | ((present >= 1) & same_quarters))
    for i in np.flatnonzero(ok & (present == 0) & ~have_base.any(axis=1)).tolist():
        out.none.add(asked[i].place)  # no value for either year: not a row of this table

    # a measure no catalogue describes: its unit (and why) as series.inferred_measure decides it
    percent, fractional = grid.percent[series].tolist(), grid.fractional[series].tolist()
    inferred = [
        _inferred_unit(p.name, pc, fr) if p.unit is None else (p.unit, "")
        for p, pc, fr in zip(asked, percent, fractional, strict=True)
    ]
    stock = grid.stock[series].tolist()
    aggregates = [
        p.aggregate if p.aggregate is not None else _inferred_aggregate(p.name, unit == "percent", st)
        for p, (unit, _), st in zip(asked, inferred, stock, strict=True)
    ]
    labels = [q.label for q in year.quarters()]
    base_labels = [q.label for q in base.quarters()]
    trend = [grid.columns[p] for p in trend_periods]
    trend_labels = [p.label for p in trend_periods]
    # the sparkline is the baseline's quarters then the year's (the default baseline, a year before):
    # a whole row's history is its quarters' models
    context = _Context(
        year=year,
        base=base,
        in_base=in_base,
        labels=labels,
        base_labels=base_labels,
        trend=trend,
        trend_labels=trend_labels,
        trend_is_quarters=trend == [*in_base, *in_year],
    )
    patterns: dict[tuple[int, ...], _Pattern] = {}
    missing_base: dict[tuple[int, ...], str] = {}
    base_shown: dict[tuple[int, ...], tuple[str, ...]] = {}
    marked = {g for g, _ in grid.markers}
    # which quarters of the year, and of the baseline, have a value: a bit each, one tuple a mask
    bits = np.array([1, 2, 4, 8], dtype=np.int64)
    which = [tuple(n for n in range(4) if m >> n & 1) for m in range(16)]
    year_masks, base_masks = have @ bits, have_base @ bits
    # a row whose two years are whole and unmarked (most of a large table): all at once
    whole = makes & (year_masks == 15) & (base_masks == 15) & ~np.isin(series, np.array(sorted(marked), dtype=np.int64))
    if whole.any():
        _whole_rows(context, asked, np.flatnonzero(whole), values, inferred, aggregates, grid.columns, out)
    at = np.flatnonzero(makes & ~whole)
    no_marks: dict[tuple[int, int], str] = {}
    places: list[int] = []
    tuples: list[tuple[object, ...]] = []
    recipes: list[_Recipe] = []
    for i, row, year_mask, base_mask in zip(
        at.tolist(), values[at].tolist(), year_masks[at].tolist(), base_masks[at].tolist(), strict=True
    ):
        p = asked[i]
        g = p.series
        marks = grid.markers if g in marked else no_marks
        unit, why = inferred[i]
        how = aggregates[i]
        got = which[year_mask]
        pattern = patterns.get(got) or patterns.setdefault(got, _Pattern.of(got, year, base, grid.columns))
        notes: list[str] = []
        # a quarter missing before the latest one, or one marked ([c] suppressed, say)
        gaps = (
            [n for n in range(4) if n not in got and (n < got[-1] or (g, in_year[n]) in marks)]
            if year_mask != 15
            else []
        )
        if gaps:
            named = ", ".join(_named(labels[n], marks.get((g, in_year[n]))) for n in gaps)
            notes.append(f"No value for {named}: the year so far leaves {'it' if len(gaps) == 1 else 'them'} out.")
        current = ar.year_value([row[in_year[n]] for n in got], how)
        base_value: float | None
        had = which[base_mask]
        if year_mask != 15:
            base_value = ar.year_value([row[in_base[n]] for n in got], how)
            base_basis = pattern.base_basis
            notes.append(pattern.note)
        else:
            if base_mask == 15 or (had and how == "last"):
                base_value = ar.year_value([row[in_base[n]] for n in had], how)
                base_basis = missing_base.get(had) or missing_base.setdefault(
                    had, f"{quarter_span([n + 1 for n in had])} {base}"
                )
            else:
                base_value, base_basis = None, f"{base} (year figure)"
                if had:
                    named = ", ".join(
                        _named(base_labels[n], marks.get((g, in_base[n]))) for n in range(4) if n not in had
                    )
                    notes.append(f"No baseline value for {base}, which has no value for {named}.")
                else:
                    notes.append(f"No baseline value for {base}.")
        assert current is not None
        points = unit == "percent"
        change: float | None = None
        pct: float | None = None
        direction: Direction | None = None
        if base_value is not None:
            change = current - base_value
            pct = None if base_value == 0 else change / abs(base_value) * 100.0
            headline = change if points else pct
            if headline is None:  # a zero baseline: the arrow follows the absolute change
                direction = "level" if current == 0 else ("up" if current > 0 else "down")
                notes.append(ZERO_BASELINE)
            elif abs(headline) <= p.tolerance + ar.EDGE:
                direction = "level"
            else:
                direction = "up" if headline > 0 else "down"
            if base_value < 0 and pct is not None:
                notes.append(NEGATIVE_BASELINE)
        if p.unit is None:
            notes.append(_inferred_note(unit, how, why))
        small = unit == "count" and (abs(current) < SMALL or (base_value is not None and abs(base_value) < SMALL))
        if small:
            notes.append(SMALL_NUMBERS)
        quarter_markers: list[str | None] | None = None
        if not marks:
            quarter_labels, quarter_values = pattern.labels, [row[in_year[n]] for n in got]
            base_seen = base_shown.get(had) or base_shown.setdefault(had, tuple(base_labels[n] for n in had))
        else:
            quarters = _marked_cells(row, in_year, labels, g, marks)
            quarter_labels = tuple(q for q, _, _ in quarters)
            quarter_values = [v for _, v, _ in quarters]
            quarter_markers = [m for _, _, m in quarters] if any(m is not None for _, _, m in quarters) else None
            base_seen = tuple(q for q, _, _ in _marked_cells(row, in_base, base_labels, g, marks))
        history = _trend_values([row[j] for j in trend])
        places.append(p.place)
        recipes.append(_Recipe(context, p, row, had, pattern, marks, how))
        tuples.append((
            p.name,
            p.section,
            p.area,
            unit,
            base.label,
            base_basis,
            base_value,
            current,
            change,
            pct,
            "pp" if points else "%",
            direction,
            ASSESSMENT[(direction, p.polarity)],
            "band",
            p.unit is None,
            len(got) == 4,
            False,
            pattern.labels,
            small,
            notes,
            quarter_labels,
            quarter_values,
            quarter_markers,
            base_seen,
            history,
        ))  # fmt: skip
    if places:
        out.blocks.append(Block(places, transposed(tuples), lambda j, rows, k: recipes[j].model(rows, k)))


def _whole_rows(
    cx: _Context,
    asked: list[Plain],
    at: np.ndarray,
    values: np.ndarray,
    inferred: list[tuple[Unit, str]],
    aggregates: list[Aggregate],
    columns: dict[Period, int],
    out: Made,
) -> None:
    """The rows ``at`` (of ``asked``) whose year and baseline have all four quarters, none marked:
    the per-row rules a column at a time. Year values are ``arithmetic.year_value``'s, one a row
    (``fsum``); the changes, % changes and the band are float64 operations in numpy, the same
    operations in the same order as Python's floats do them, so every value is the same bit for bit."""
    year, base = cx.year, cx.base
    in_year = [columns[q] for q in year.quarters()]
    places = at.tolist()
    picked = [asked[i] for i in places]
    units = [inferred[i][0] for i in places]
    hows = [aggregates[i] for i in places]
    grid = values[at]
    ys, bs = grid[:, in_year].tolist(), grid[:, cx.in_base].tolist()
    current, base_value = ar.year_values(ys, hows), ar.year_values(bs, hows)
    cur, was = np.array(current, dtype=np.float64), np.array(base_value, dtype=np.float64)
    change = cur - was
    zero = was == 0
    with np.errstate(divide="ignore", invalid="ignore"):
        pct = change / np.abs(was) * 100.0
    points = np.array([u == "percent" for u in units], dtype=bool)
    headline = np.where(points, change, pct)
    by_zero = zero & ~points  # no % change: the arrow follows the absolute change
    tolerance = np.array([p.tolerance for p in picked], dtype=np.float64) + ar.EDGE
    sign = np.where(by_zero, cur, headline)
    level = np.where(by_zero, cur == 0, np.abs(headline) <= tolerance)
    directions: list[Direction] = np.where(level, "level", np.where(sign > 0, "up", "down")).tolist()
    negative = (was < 0) & ~zero
    small = np.array([u == "count" for u in units], dtype=bool) & ((np.abs(cur) < SMALL) | (np.abs(was) < SMALL))
    pattern = _Pattern.of((0, 1, 2, 3), year, base, columns)
    n = len(picked)
    # the unit inferred, and why: one text for each (unit, aggregate, why) the rows have
    said_of = [(inferred[i][0], aggregates[i], inferred[i][1]) if asked[i].unit is None else None for i in places]
    texts = {k: _inferred_note(*k) for k in dict.fromkeys(said_of) if k is not None}
    inferred_note = [None if k is None else texts[k] for k in said_of]
    notes = [[note] if note else [] for note in inferred_note]  # most rows' only note: the unit inferred
    for i in np.flatnonzero(by_zero | negative | small).tolist():  # the per-row path's order of notes
        said = (
            ZERO_BASELINE if by_zero[i] else None,
            NEGATIVE_BASELINE if negative[i] else None,
            inferred_note[i],
            SMALL_NUMBERS if small[i] else None,
        )
        notes[i] = [x for x in said if x]
    if cx.trend_is_quarters:
        history = [b + y for b, y in zip(bs, ys, strict=True)]
    else:
        history = [_trend_values([row[j] for j in cx.trend]) for row in grid.tolist()]
    labels = cx.labels
    was_list = was.tolist()
    columns_of: dict[str, list[Any]] = {
        "measure": [p.name for p in picked],
        "section": [p.section for p in picked],
        "area": [p.area for p in picked],
        "unit": units,
        "baseline_period": [base.label] * n,
        "baseline_basis": [f"{quarter_span([1, 2, 3, 4])} {base}"] * n,
        "baseline_value": base_value,
        "current_value": current,
        "change": change.tolist(),
        "change_pct": [None if w == 0 else r for w, r in zip(was_list, pct.tolist(), strict=True)],
        "change_unit": ["pp" if u == "percent" else "%" for u in units],
        "direction": directions,
        "assessment": [ASSESSMENT[(d, p.polarity)] for d, p in zip(directions, picked, strict=True)],
        "method": ["band"] * n,
        "inferred": [p.unit is None for p in picked],
        "complete": [True] * n,
        "projected": [False] * n,
        "current_quarters": [pattern.labels] * n,
        "small_numbers": small.tolist(),
        "notes": notes,
        "quarter_labels": [tuple(labels)] * n,
        "quarter_values": ys,
        "quarter_markers": [None] * n,
        "baseline_labels": [tuple(cx.base_labels)] * n,
        "history": history,
    }

    def model(j: int, table: Rows, k: int) -> Comparison:
        return _Recipe(cx, picked[j], grid[j].tolist(), (0, 1, 2, 3), pattern, {}, hows[j]).model(table, k)

    out.blocks.append(Block([p.place for p in picked], columns_of, model))


def _trend_values(points: list[float]) -> list[float | None]:
    """The trend's values from its first to its last with a value (a gap within it: None)."""
    known = [n for n, v in enumerate(points) if v == v]
    return [None if v != v else v for v in points[known[0] : known[-1] + 1]] if known else []


@dataclass(frozen=True)
class _Pattern:
    """What depends only on which quarters of the year have a value: the texts that name them,
    and the periods the latest one is compared with (the quarter before, the year before)."""

    current_basis: str
    base_basis: str  # the same quarters of the baseline
    note: str
    labels: tuple[str, ...]
    latest: str
    at: int  # the latest quarter's column
    before: tuple[tuple[int, str], tuple[int, str]]  # (column, label) of the quarter before, of the year before

    @classmethod
    def of(cls, got: tuple[int, ...], year: Period, base: Period, columns: dict[Period, int]) -> _Pattern:
        span = quarter_span([n + 1 for n in got])
        q = year.quarters()[got[-1]]
        before, year_before = q.previous(), q.same_period_last_year()
        return cls(
            current_basis=f"{span} {year}",
            base_basis=f"{span} {base}",
            note=f"{span} of {year} compared with the same quarters of {base}.",
            labels=tuple(year.quarters()[n].label for n in got),
            latest=q.label,
            at=columns[q],
            before=((columns[before], before.label), (columns[year_before], year_before.label)),
        )


def _marked_cells(
    row: list[float], columns: list[int], labels: list[str], series: int, marks: dict[tuple[int, int], str]
) -> list[tuple[str, float | None, str | None]]:
    """The quarters of a row with a marker: each with a value or a marker ([c] without a figure)."""
    out: list[tuple[str, float | None, str | None]] = []
    for n, j in enumerate(columns):
        if row[j] == row[j]:
            out.append((labels[n], row[j], marks.get((series, j))))
        elif (series, j) in marks:
            out.append((labels[n], None, marks[(series, j)]))
    return out


def _named(label: str, marker: str | None) -> str:
    return label + (f" ({marker})" if marker else "")


# the per-row path's notes, word for word (each row of the bulk path shares one text)
ZERO_BASELINE = "The baseline is zero: no % change; the arrow follows the absolute change."
NEGATIVE_BASELINE = "The baseline is negative: the % change is relative to its size."
ASSESSMENT: dict[tuple[Direction | None, Polarity], Assessment] = {
    (d, p): ar.assess(d, p) for d in ("up", "down", "level", None) for p in ("up", "down", "neutral")
}


@lru_cache(maxsize=64)
def _inferred_note(unit: Unit, how: Aggregate, why: str) -> str:
    return inferred_note(unit, how, why)


@lru_cache(maxsize=4096)
def _inferred_unit(name: str, percent: bool, fractional: bool) -> tuple[Unit, str]:
    return inferred_unit(name, percent=percent, fractional=fractional)


@lru_cache(maxsize=4096)
def _inferred_aggregate(name: str, percent: bool, stock: bool) -> Aggregate:
    return ar.inferred_aggregate(name, percent=percent, stock=stock)


def _points(
    values: list[float],
    labels: list[str],
    point: Callable[[dict[str, Any]], PeriodValue],
    made: dict[str, PeriodValue],
) -> list[PeriodValue]:
    """The trend's points: a period without a value is a point without one, none at either end
    (``made``: the points already made, by period)."""
    have = [n for n, v in enumerate(values) if v == v]
    if not have:
        return []
    out = []
    for n in range(have[0], have[-1] + 1):
        shared = made.get(labels[n])
        value = values[n] if values[n] == values[n] else None
        out.append(shared if shared is not None else point({"period": labels[n], "value": value, "marker": None}))
    return out


def _maker(cls: type[M]) -> Callable[[dict[str, Any]], M]:
    """``cls.model_construct(**values)`` for values of every field, valid by construction: what it
    does for such values (no alias, no default, no extra, no private attribute) without its loop
    over the fields, which costs more than validating them (a row of the table: 10 µs against
    1.5). The models share one set of the fields' names: all are set."""
    assert not cls.__private_attributes__ and not cls.__pydantic_post_init__ and not cls.__pydantic_root_model__
    assert all(f.alias is None and f.validation_alias is None for f in cls.model_fields.values())
    assert cls.model_config.get("extra") != "allow"
    fields, new, put = set(cls.model_fields), cls.__new__, object.__setattr__

    def make(values: dict[str, Any]) -> M:
        m = new(cls)
        put(m, "__dict__", values)
        put(m, "__pydantic_fields_set__", fields)
        put(m, "__pydantic_extra__", None)
        put(m, "__pydantic_private__", None)
        return m

    return make


_QUARTER, _DELTA, _ROW = _maker(PeriodValue), _maker(Delta), _maker(Comparison)
_ORDER = tuple(Comparison.model_fields)  # a model's fields in their order
_SCALARS = tuple(name for name in FIELDS if name != "current_quarters")  # a row's, as its model has them
