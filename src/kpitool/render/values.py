"""How a comparison's figures read: units, rounding half away from zero, arrows in words."""

from __future__ import annotations

import math
import warnings
import weakref
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from kpitool.models import ARROWS, Assessment, Comparison, ComparisonReport, Direction, Method, Unit
from kpitool.numbers import ColumnPlaces, format_number_column, format_signed_column
from kpitool.periods import quarter_span
from kpitool.rows import Rows

PLACES: dict[Unit, int] = {"count": 0, "percent": 1, "seconds": 1, "currency": 0, "number": 1}
SPARKS = "▁▂▃▄▅▆▇█"
ASSESSMENT_WORD = {"improving": "better", "worsening": "worse", "stable": "stable", "not assessed": ""}


def value_text(value: float | None, unit: Unit, marker: str | None = None) -> str:
    return value_texts([value], [unit], [marker])[0]


def value_texts(
    values: Sequence[float | None], units: Sequence[Unit], markers: Sequence[str | None] | None = None
) -> list[str]:
    """Each figure in its unit (``1,234``, ``13.7%``, ``£453,813``), with its marker; a column at a time."""
    return Units.of(units).texts(values, markers)


SMALL_PLACES = 6  # the most places a row of small figures is shown to


def row_places(rows: Rows) -> list[int]:
    """The places each row's figures are shown to: its unit's, unless every figure of it would show
    as 0.0 there (0.0004 -> 0.0005 read "0.0 0.0 +25.0%"): then enough for two significant digits
    of its least figure, up to six."""
    out = []
    for unit, current, base, quarters in zip(
        rows.unit, rows.current_value, rows.baseline_value, rows.quarter_values, strict=True
    ):
        places = PLACES[unit]
        if places == 0 or (current is not None and abs(current) >= 0.5 * 10.0**-places):
            out.append(places)
            continue
        figures = [abs(v) for v in (base, current, *quarters) if v]
        if not figures or max(figures) >= 0.5 * 10.0**-places:
            out.append(places)
            continue
        out.append(min(SMALL_PLACES, max(places, 1 - math.floor(math.log10(min(figures))))))
    return out


@dataclass(frozen=True)
class Units:
    """A column's units, looked up once for all of a table's columns of figures (``places``: each
    row's own, where a row of small figures needs more than its unit's)."""

    places: ColumnPlaces
    suffixes: list[str] | None  # None: no row is a percentage
    currency: list[int]  # the rows in £

    @classmethod
    def of(cls, units: Sequence[Unit], places: Sequence[int] | None = None) -> Units:
        percent = "percent" in units
        return cls(
            places=ColumnPlaces(list(places) if places is not None else [PLACES[u] for u in units]),
            suffixes=["%" if u == "percent" else "" for u in units] if percent else None,
            currency=[i for i, u in enumerate(units) if u == "currency"] if "currency" in units else [],
        )

    def texts(self, values: Sequence[float | None], markers: Sequence[str | None] | None = None) -> list[str]:
        return self.marked_texts(values, {i: m for i, m in enumerate(markers or ()) if m})

    def marked_texts(self, values: Sequence[float | None], markers: dict[int, str]) -> list[str]:
        """``texts``, the markers given by row (the few rows with one)."""
        out = format_number_column(values, self.places, self.suffixes)  # n/a where there is no figure
        for i in self.currency:
            if values[i] is not None:
                out[i] = ("-£" + out[i][1:]) if out[i].startswith("-") else "£" + out[i]
        for i, marker in markers.items():
            out[i] = marker if values[i] is None else f"{out[i]} {marker}"
        return out


def change_texts(rows: Rows, places: Sequence[int] | ColumnPlaces) -> list[str]:
    """Each row's change in its figures' places."""
    return format_signed_column(rows.change, places if isinstance(places, ColumnPlaces) else list(places))


def pct_texts(rows: Rows, places: Sequence[int]) -> list[str]:
    """Each row's % change, or its change in points (``-4.5 pp``, to the row's places) where it is a percentage."""
    points = [u == "pp" for u in rows.change_unit]
    each = [p if pp else 1 for pp, p in zip(points, places, strict=True)]
    shown = [c if pp else pct for c, pct, pp in zip(rows.change, rows.change_pct, points, strict=True)]
    return format_signed_column(shown, each, [" pp" if pp else "%" for pp in points])


def arrow_words(c: Comparison) -> str:
    """``↑ up (worse)`` — the arrow, its direction and what it means for this measure; under the
    statistical methods, what the arrow stands for (``↔ not significant``, ``↓ special cause``)."""
    return _arrow_words(c.direction, c.assessment, c.method)


def arrows_words(rows: Rows) -> list[str]:
    """``arrow_words`` of each row."""
    return [_arrow_words(*x) for x in zip(rows.direction, rows.assessment, rows.method, strict=True)]


@lru_cache(maxsize=64)
def _arrow_words(direction: Direction | None, assessment: Assessment, method: Method) -> str:
    if direction is None:
        return "n/a"
    word = ASSESSMENT_WORD[assessment]
    arrow = ARROWS[direction]
    meaning = f" ({word})" if word and direction != "level" else ""
    if method == "significance":
        return (
            f"{arrow} not significant"
            if direction == "level"
            else f"{arrow} significant {'rise' if direction == 'up' else 'fall'}{meaning}"
        )
    if method == "spc":
        return f"{arrow} common cause" if direction == "level" else f"{arrow} special cause{meaning}"
    return f"{arrow} {direction}{meaning}"


def sparkline(values: Sequence[float | None]) -> str:
    known = [v for v in values if v is not None]
    if len(known) < 2:
        return ""
    lo, hi = min(known), max(known)
    span, top = hi - lo, len(SPARKS) - 1
    if not span:
        return "".join([" " if v is None else SPARKS[len(SPARKS) // 2] for v in values])
    return "".join([" " if v is None else SPARKS[int((v - lo) / span * top)] for v in values])


def sparklines(series: Sequence[Sequence[float | None]]) -> list[str]:
    """``sparkline`` of each, the series of one length at a time in numpy."""
    import numpy as np

    out = [""] * len(series)
    lengths = list(map(len, series))
    by_length: dict[int, Sequence[int]]
    if len(set(lengths)) == 1:  # most often: every trend of one length
        by_length = {lengths[0]: range(len(series))}
    else:
        each = np.array(lengths)
        by_length = {length: np.flatnonzero(each == length).tolist() for length in dict.fromkeys(lengths)}
    for length, at in by_length.items():
        if len(at) < 32 or length == 0:
            for i in at:
                out[i] = sparkline(series[i])
            continue
        whole = len(at) == len(series)
        grid = np.array(series if whole else [series[i] for i in at], dtype=float)  # None -> NaN
        known = ~np.isnan(grid)
        drawn = (known.sum(axis=1) >= 2).tolist()
        with np.errstate(invalid="ignore", divide="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # a row of no figures has no least or most
            lo, hi = np.nanmin(grid, axis=1, keepdims=True), np.nanmax(grid, axis=1, keepdims=True)
            span = hi - lo
            level = np.where(span > 0, (grid - lo) / span * (len(SPARKS) - 1), len(SPARKS) // 2)
        # each level a bar's character (a gap: a space), a row of them one string of numpy's
        bars = np.array([ord(ch) for ch in SPARKS + " "], dtype=np.uint32)
        chars = np.ascontiguousarray(bars[np.where(known, np.nan_to_num(level), len(SPARKS)).astype(np.intp)])
        texts: list[str] = chars.view(f"U{length}").ravel().tolist()
        if whole:
            out = [text if shown else "" for text, shown in zip(texts, drawn, strict=True)]
        else:
            for i, text, shown in zip(at, texts, drawn, strict=True):
                if shown:
                    out[i] = text
    return out


def rows_left_out(n: int) -> str:
    return (
        f"{n} input {'row' if n == 1 else 'rows'} with errors {'was' if n == 1 else 'were'} left out (--skip-invalid):"
    )


def _span(quarters: Sequence[str]) -> str:
    """``Q1–Q2`` for the quarters a current value is made of (``c.current_quarters``)."""
    return quarter_span([int(q.rsplit("Q", 1)[1]) for q in quarters])


# the last report's answer, asked once a row; the report held weakly (62,500 rows kept alive to the
# end of the process cost 1.4 s more at its exit, the collector's last passes over them)
_LAST: list[tuple[weakref.ref[ComparisonReport], tuple[int, int], str | None]] = []


def _common_part_year(report: ComparisonReport) -> str | None:
    """The part of the year every row's value covers, when none is the whole year and all cover the same."""
    if _LAST and _LAST[0][0]() is report and _LAST[0][1] == report.held():
        return _LAST[0][2]
    answer = None
    rows = report.rows()
    years = list(zip(rows.current_quarters, rows.complete, rows.projected, strict=True))
    # a heading of the part year only when every row is it: none whole, none projected to a whole year
    if not any(complete or projected for quarters, complete, projected in years if quarters):
        spans = {
            _span(quarters)
            for quarters in {tuple(quarters) for quarters, _, projected in years if quarters and not projected}
        }
        answer = spans.pop() if len(spans) == 1 else None
    _LAST[:] = [(weakref.ref(report), report.held(), answer)]
    return answer


def value_heading(report: ComparisonReport) -> str:
    """``2023/24 value`` for a whole year; ``2023/24 Q1–Q2`` (to date) when every row is that part year."""
    common = _common_part_year(report)
    return f"{report.current} {common}" if common else f"{report.current} value"


def value_labels(rows: Rows, report: ComparisonReport) -> list[str]:
    """What each value is when the heading does not say it: a projection, or the part year it covers."""
    common = _common_part_year(report)
    return [
        " (projected)" if projected else ("" if complete or not quarters or common else f" ({_span(quarters)})")
        for quarters, complete, projected in zip(rows.current_quarters, rows.complete, rows.projected, strict=True)
    ]


def direction_words(c: Comparison) -> str:
    """``↑ up``, ``↔ level``, ``↔ not significant``: the arrow never alone, as ``arrow_words`` says it,
    without its ``(better)`` / ``(worse)`` (the assessment's own column says that)."""
    words = arrow_words(c)
    for word in ("better", "worse"):
        words = words.removesuffix(f" ({word})")
    return words


def assessment_words(c: Comparison) -> str:
    """``improving``, ``worsening``, ``stable``, ``not assessed``; ``n/a`` where nothing was compared."""
    return c.assessment if c.direction else "n/a"
