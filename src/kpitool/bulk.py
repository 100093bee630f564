"""The KPI table's plain rows, made all at once from a pivot of the observations.

Most rows of a large table have nothing to say but their figures: quarterly data, every quarter
of the current year up to its latest, the same quarters (or the whole year) of the baseline, the
arrow drawn by the band. Made one at a time (``kpitool.compare``), each such row costs about 40
period look-ups and five models; here the observations become one grid (series × quarters, in
numpy), the rows are read off it, and their models are built from values valid by construction.

A row is plain only when it is one series of quarters, no period given twice (nothing restated),
no quarter of the grid without a value, every quarter of the current year up to the latest one
present, and a baseline of the same quarters (a part year) or of the whole year (a stock: any of
its quarters); its measure a sum, mean or last, with no ``since`` and no target, drawn by the band.
Every other row is left to the per-row path, which stays the reference: ``tests/test_bulk.py``
checks that both make the same report.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, TypeVar

import numpy as np
import pandas as pd
from pydantic import BaseModel

from kpitool import arithmetic as ar
from kpitool.methods import SMALL
from kpitool.models import Aggregate, Assessment, Comparison, Delta, Direction, PeriodValue, Polarity, Unit
from kpitool.periods import Period, quarter_span
from kpitool.readers import Observations
from kpitool.series import Key

M = TypeVar("M", bound=BaseModel)


@dataclass
class Pivot:
    """The observations as a grid: a row per series (in the order ``collect_series`` makes them),
    a column per quarter the table reads."""

    keys: list[Key]
    columns: dict[Period, int]
    values: np.ndarray  # series × columns, float64; NaN where the series has no row
    markers: dict[tuple[int, int], str]  # (series, column) -> the marker of a value that has one
    plain: np.ndarray  # per series: quarters only, no period twice, no row without a value in a column
    percent: np.ndarray  # per series: a value was written with a % sign
    stock: np.ndarray  # per series: a count at a point in time
    fractional: np.ndarray  # per series: a value is negative or not whole (a number, not a count)
    of_row: np.ndarray  # per observation (frame order): its series

    def frame_of(self, observations: Observations, series: Sequence[int]) -> Observations:
        """The observations of some series only (for the per-row path)."""
        picked = np.isin(self.of_row, np.asarray(series, dtype=np.int64))
        return Observations(observations.frame[picked], observations.periods, observations.files, observations.areas)


def pivot(observations: Observations, columns: Sequence[Period]) -> Pivot | None:
    """The grid of the observations over ``columns``; None where a name is missing (no text to key by)."""
    frame = observations.frame
    files, lines = frame["file_index"].to_numpy(np.int64), frame["row"].to_numpy(np.int64)
    in_order = bool(np.all((files[1:] > files[:-1]) | ((files[1:] == files[:-1]) & (lines[1:] >= lines[:-1]))))
    order = None if in_order else np.lexsort((lines, files))  # stable: collect_series' order

    def column(name: str) -> np.ndarray:
        found = frame[name].to_numpy()
        return found if order is None else found[order]

    sections, measures, labels = _texts(column("section")), _texts(column("measure")), _texts(column("period"))
    if sections is None or measures is None or labels is None:
        return None
    pair = sections[0] * max(len(measures[1]), 1) + measures[0]
    group, firsts = pd.factorize(pair)
    group = group.astype(np.int64)
    n_m = max(len(measures[1]), 1)
    keys = [(sections[1][p // n_m], measures[1][p % n_m]) for p in firsts.tolist()]
    count = len(keys)

    # one code per period (two spellings of a period are one period, as collect_series keys them)
    found = [observations.periods[label] for label in labels[1]]
    ids: dict[Period, int] = {}
    period_id = np.array([ids.setdefault(p, len(ids)) for p in found], dtype=np.int64)[labels[0]]
    quarter = np.array([p.kind == "quarter" for p in ids], dtype=bool)[period_id]
    at = np.array([columns.index(p) if p in columns else -1 for p in ids], dtype=np.int64)[period_id]

    def any_of(mask: np.ndarray) -> np.ndarray:
        return np.bincount(group[mask], minlength=count) > 0

    values = column("value").astype(np.float64)
    plain = ~any_of(~quarter)
    both = np.sort(group * len(ids) + period_id)
    plain[both[1:][both[1:] == both[:-1]] // len(ids)] = False  # a period given twice: restated
    inside = at >= 0
    plain &= ~any_of(inside & np.isnan(values))
    grid = np.full((count, len(columns)), np.nan)
    grid[group[inside], at[inside]] = values[inside]
    markers: dict[tuple[int, int], str] = {}
    marks = column("marker")
    for i in np.flatnonzero(inside & pd.notna(marks)).tolist():
        if isinstance(marks[i], str):
            markers[(int(group[i]), int(at[i]))] = marks[i]
    finite = np.isfinite(values)
    fractional = any_of(finite & ((values < 0) | (values != np.trunc(np.where(finite, values, 0.0)))))
    of_row = group
    if order is not None:
        of_row = np.empty_like(group)
        of_row[order] = group
    return Pivot(
        keys=keys,
        columns={p: j for j, p in enumerate(columns)},
        values=grid,
        markers=markers,
        plain=plain,
        percent=any_of(column("percent").astype(bool)),
        stock=any_of(column("stock").astype(bool)),
        fractional=fractional,
        of_row=of_row,
    )


def _texts(values: np.ndarray) -> tuple[np.ndarray, list[str]] | None:
    """Codes and the distinct texts, in order of first appearance, as ``astype(str)`` spells them."""
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    if len(uniques) and bool(pd.isna(uniques).any()):
        return None
    texts = [str(u) for u in uniques]
    if len(set(texts)) < len(texts):  # two values that are one text (1 and "1"): one code
        canon: dict[str, int] = {}
        remap = np.array([canon.setdefault(t, len(canon)) for t in texts], dtype=np.int64)
        return remap[codes], list(canon)
    return codes.astype(np.int64), texts


def columns_for(year: Period, bases: Sequence[Period], trend: Sequence[Period]) -> list[Period]:
    """The quarters a plain row reads: the current year's and the baselines', the ``trend``'s,
    and the quarter before and the year before each possible latest quarter."""
    out: dict[Period, None] = {}
    for p in (*year.quarters(), *(q for b in bases for q in b.quarters()), *trend):
        out.setdefault(p, None)
    for q in year.quarters():
        out.setdefault(q.previous(), None)
        out.setdefault(q.same_period_last_year(), None)
    return list(out)


@dataclass(frozen=True)
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


def plain_rows(
    grid: Pivot, asked: Sequence[Plain], year: Period, trend: Sequence[Period]
) -> dict[int, Comparison | None]:
    """The rows it can make, by place (None: the series makes no row, as the per-row path says);
    the rest are left to the per-row path. ``trend``: the sparkline's quarters, oldest first."""
    out: dict[int, Comparison | None] = {}
    by_base: dict[Period, list[Plain]] = {}
    for p in asked:
        by_base.setdefault(p.base, []).append(p)
    for base, some in by_base.items():
        if year.is_year and base.is_year and base < year:
            _rows(grid, some, year, base, trend, out)
    return out


def _rows(
    grid: Pivot,
    asked: list[Plain],
    year: Period,
    base: Period,
    trend_periods: Sequence[Period],
    out: dict[int, Comparison | None],
) -> None:
    series = np.array([p.series for p in asked], dtype=np.int64)
    values = grid.values[series]
    in_year = [grid.columns[q] for q in year.quarters()]
    in_base = [grid.columns[q] for q in base.quarters()]
    have, have_base = ~np.isnan(values[:, in_year]), ~np.isnan(values[:, in_base])
    present = have.sum(axis=1)
    first = np.arange(4)[None, :] < present[:, None]
    prefix = (have == first).all(axis=1)
    same_quarters = (have_base | ~first).all(axis=1)
    aggregates = [_aggregate(grid, p) for p in asked]
    stock = np.array([how == "last" for how in aggregates], dtype=bool)
    whole_base = have_base.all(axis=1) | (stock & have_base.any(axis=1))
    ok = grid.plain[series] & prefix
    makes = ok & (((present == 4) & whole_base) | ((present >= 1) & (present < 4) & same_quarters))
    for i in np.flatnonzero(ok & (present == 0) & ~have_base.any(axis=1)).tolist():
        out[asked[i].place] = None  # no value for either year: not a row of this table

    labels = [q.label for q in year.quarters()]
    base_labels = [q.label for q in base.quarters()]
    trend = [grid.columns[p] for p in trend_periods]
    trend_labels = [p.label for p in trend_periods]
    # what depends only on how many quarters the year has so far: their texts and the latest's neighbours
    by_count = {}
    for k in range(1, 5):
        span = quarter_span(list(range(1, k + 1)))
        q = year.quarters()[k - 1]
        by_count[k] = (
            f"{span} {year}",
            f"{span} {base}",
            f"{span} of {year} compared with the same quarters of {base}.",
            in_year[:k],
            in_base[:k],
            (grid.columns[q.previous()], q.previous().label, q.label),
            (grid.columns[q.same_period_last_year()], q.same_period_last_year().label, q.label),
        )
    spans: dict[tuple[int, ...], str] = {}
    quarter, delta, row_of = _maker(PeriodValue), _maker(Delta), _maker(Comparison)
    marked = {g for g, _ in grid.markers}
    at = np.flatnonzero(makes)
    for i, row in zip(at.tolist(), values[at].tolist(), strict=True):
        p = asked[i]
        g = p.series
        k = int(present[i])
        unit = p.unit or _unit(grid, g)
        how = aggregates[i]
        current_basis, part_basis, part_note, year_at, base_at, before, year_before = by_count[k]
        notes: list[str] = []
        current = ar.year_value([row[j] for j in year_at], how)
        if k == 4:
            had = tuple(n for n, j in enumerate(in_base) if row[j] == row[j])
            base_value = ar.year_value([row[in_base[n]] for n in had], how)
            base_basis = spans.get(had) or spans.setdefault(had, f"{quarter_span([n + 1 for n in had])} {base}")
        else:
            base_value = ar.year_value([row[j] for j in base_at], how)
            base_basis = part_basis
            notes.append(part_note)
        assert current is not None and base_value is not None
        points = unit == "percent"
        change = current - base_value
        pct = None if base_value == 0 else change / abs(base_value) * 100.0
        headline = change if points else pct
        direction: Direction
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
            notes.append(_inferred_note(unit, how))
        small = unit == "count" and (abs(base_value) < SMALL or abs(current) < SMALL)
        if small:
            notes.append(SMALL_NUMBERS)
        marks = grid.markers if g in marked else {}
        shown = [
            quarter({"period": labels[n], "value": row[j], "marker": marks.get((g, j))}) for n, j in enumerate(year_at)
        ]
        shown_base = [
            quarter({"period": base_labels[n], "value": row[j], "marker": marks.get((g, j))})
            for n, j in enumerate(in_base)
            if row[j] == row[j]
        ]
        history = _points([row[j] for j in trend], trend_labels, quarter)
        changes = []
        for j, before_label, label in (before, year_before):
            a, b = row[j], row[year_at[-1]]
            changes.append(
                None
                if a != a
                else delta(
                    {
                        "from_period": before_label,
                        "to_period": label,
                        "from_value": a,
                        "to_value": b,
                        "absolute": b - a,
                        "relative": None if a == 0 else (b - a) / abs(a) * 100.0,
                    }
                )
            )
        out[p.place] = row_of(
            {
                "measure": p.name,
                "section": p.section,
                "area": p.area,
                "unit": unit,
                "aggregate": how,
                "polarity": p.polarity,
                "tolerance": p.tolerance,
                "inferred": p.unit is None,
                "baseline_period": base.label,
                "baseline_basis": base_basis,
                "baseline_value": base_value,
                "current_period": year.label,
                "current_basis": current_basis,
                "quarters": shown,
                "baseline_quarters": shown_base,
                "current_value": current,
                "change": change,
                "change_pct": pct,
                "change_unit": "pp" if points else "%",
                "direction": direction,
                "assessment": ASSESSMENT[(direction, p.polarity)],
                "quarter_on_quarter": changes[0],
                "year_on_year": changes[1],
                "history": history,
                "history_grain": "quarter",
                "notes": notes,
                "current_quarters": labels[:k],
                "complete": k == 4,
                "projected": False,
                "not_compared": None,
                "method": "band",
                "significance": None,
                "spc": None,
                "target": None,
                "target_met": None,
                "small_numbers": small,
            }
        )


# the per-row path's notes, word for word (each row of the bulk path shares one text)
ZERO_BASELINE = "The baseline is zero: no % change; the arrow follows the absolute change."
NEGATIVE_BASELINE = "The baseline is negative: the % change is relative to its size."
SMALL_NUMBERS = f"Small numbers: fewer than {SMALL} events; a change this size can be chance alone."
ASSESSMENT: dict[tuple[Direction, Polarity], Assessment] = {
    (d, p): ar.assess(d, p) for d in ("up", "down", "level") for p in ("up", "down", "neutral")
}


@lru_cache(maxsize=64)
def _inferred_note(unit: Unit, how: Aggregate) -> str:
    return f"Not in a catalogue: taken as a {unit} measure, year = {how} of the quarters, no polarity."


def _unit(grid: Pivot, g: int) -> Unit:
    """As ``series.inferred_measure`` decides it."""
    if grid.percent[g]:
        return "percent"
    return "number" if grid.fractional[g] else "count"


def _aggregate(grid: Pivot, p: Plain) -> Aggregate:
    if p.aggregate is not None:
        return p.aggregate
    return _inferred_aggregate(p.name, bool(grid.percent[p.series]), bool(grid.stock[p.series]))


@lru_cache(maxsize=4096)
def _inferred_aggregate(name: str, percent: bool, stock: bool) -> Aggregate:
    return ar.inferred_aggregate(name, percent=percent, stock=stock)


def _points(
    values: list[float], labels: list[str], point: Callable[[dict[str, Any]], PeriodValue]
) -> list[PeriodValue]:
    """The trend's points: a period without a value is a point without one, none at either end."""
    have = [n for n, v in enumerate(values) if v == v]
    if not have:
        return []
    return [
        point({"period": labels[n], "value": values[n] if values[n] == values[n] else None, "marker": None})
        for n in range(have[0], have[-1] + 1)
    ]


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
