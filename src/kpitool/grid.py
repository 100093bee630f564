"""The observations as a grid for the bulk path (``kpitool.bulk``): a row per series, a column
per quarter the table reads, in numpy."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from kpitool.periods import Period
from kpitool.readers import Observations
from kpitool.series import Key


@dataclass
class Pivot:
    """The observations as a grid: a row per series (in the order ``collect_series`` makes them),
    a column per quarter the table reads."""

    keys: list[Key]
    columns: dict[Period, int]
    values: np.ndarray  # series × columns, float64; NaN where the series has no row
    markers: dict[tuple[int, int], str]  # (series, column) -> its marker ([r] on a value, [c] without one)
    plain: np.ndarray  # per series: quarters only, no period given twice
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

    def texts(name: str) -> tuple[np.ndarray, list[str]] | None:
        coded = observations.codes.get(name)
        if coded is None or len(coded[0]) != len(frame):
            return _texts(column(name))
        codes, categories = coded
        return _categories(codes if order is None else codes[order], categories)

    sections, measures, labels = texts("section"), texts("measure"), texts("period")
    if sections is None or measures is None or labels is None:
        return None
    pair = sections[0] * max(len(measures[1]), 1) + measures[0]
    group, firsts = pd.factorize(pair)
    group = group.astype(np.int64)
    n_m = max(len(measures[1]), 1)
    keys = list(
        zip(
            np.array(sections[1], dtype=object)[firsts // n_m].tolist(),
            np.array(measures[1], dtype=object)[firsts % n_m].tolist(),
            strict=True,
        )
    )
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
    plain[given_twice(group * len(ids) + period_id, count * len(ids)) // len(ids)] = False  # restated
    inside = at >= 0
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


def given_twice(pairs: np.ndarray, size: int, *, counted: bool | None = None) -> np.ndarray:
    """The codes (of ``size``: a series and a period each) that occur more than once in ``pairs``:
    counted where there are few enough codes to count each (``counted``: which way, else decided
    by that), else found by sorting."""
    if counted is None:
        counted = size <= 4 * len(pairs) + 1024
    if counted:
        return np.flatnonzero(np.bincount(pairs, minlength=size) > 1)
    both = np.sort(pairs)
    return np.unique(both[1:][both[1:] == both[:-1]])


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


def _categories(codes: np.ndarray, categories: list[object]) -> tuple[np.ndarray, list[str]] | None:
    """``_texts`` of a column a reader has coded already, from its codes and categories: the texts
    in the categories' order, those the rows use (the grid needs one code a text, in any order);
    None where a row has no value (code -1), as ``_texts`` says of a missing name."""
    if len(codes) and int(codes.min()) < 0:
        return None
    used = np.bincount(codes.astype(np.int64), minlength=len(categories)) > 0
    texts = [str(c) for c, u in zip(categories, used.tolist(), strict=True) if u]
    remap = np.cumsum(used) - 1
    canon: dict[str, int] = {}
    merged = np.array([canon.setdefault(t, len(canon)) for t in texts], dtype=np.int64)
    return merged[remap[codes]], list(canon)


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
