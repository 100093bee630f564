"""Trend charts: a small panel per measure, its quarters (or its months, quarters or rolling years
to the current period) as a line, drawn as SVG (HTML) or PNG (Word).

``panel_scene`` places the points, the axes and the reference line on the geometry of
``render/plot.py``; ``svg_panel`` and ``png_panels`` draw that one scene. Each chart carries a
text alternative that lists its values.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from kpitool.models import Comparison, HistoryGrain, Unit
from kpitool.render.plot import (
    AxisStyle,
    Circle,
    Frame,
    Line,
    Polyline,
    Scale,
    Scene,
    Text,
    Ticks,
    draw_png,
    encode_png,
    nice_ticks,
    period_axis,
    runs,
    svg,
    value_axis,
)
from kpitool.render.values import value_text

WIDTH, HEIGHT = 230, 130
LEFT, RIGHT, TOP, BOTTOM = 52, 14, 12, 24
FRAME = Frame(WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM)
LINE = "#1d4f91"
GRID = "#d0d4da"
INK = "#222222"
REFERENCE = "#6b6b6b"
MIN_SPAN = 0.1  # the value axis spans at least this fraction of the largest value
AXIS = AxisStyle(INK, size=10, gap=5, lift=3.5)
TICK_LABEL: dict[Unit, str] = {"percent": "{}%", "currency": "£{}"}


GRAIN_WORDS: dict[HistoryGrain, str] = {
    "quarter": "by quarter",
    "month": "by month",
    "rolling year": "by rolling year, a quarter apart",
    "year": "by year",
}
GRAIN_PLURAL: dict[HistoryGrain, str] = {
    "quarter": "quarters", "month": "months", "rolling year": "rolling years", "year": "years"
}  # fmt: skip
NO_TREND = "No trend chart: no measure here has two or more periods with values."


@dataclass
class Panel:
    """One measure's trend: labelled points (a value may be missing) and an optional reference line."""

    title: str
    unit: Unit
    points: list[tuple[str, float | None]]
    reference: tuple[str, float] | None = None
    grain: HistoryGrain = "quarter"

    @property
    def drawable(self) -> bool:
        return sum(v is not None for _, v in self.points) >= 2

    def alternative(self) -> str:
        """The chart in words: every value, and the reference line."""
        values = "; ".join(f"{label} {value_text(v, self.unit)}" for label, v in self.points)
        text = f"{self.title}, {GRAIN_WORDS[self.grain]}: {values}."
        if self.reference:
            text += f" Baseline {self.reference[0]}: {value_text(self.reference[1], self.unit)}."
        return text


def panel_of(c: Comparison) -> Panel:
    """A year's row: its quarters, and the baseline as a reference where it is on the quarters'
    scale (an average, a rate, a stock), not where it is a year's total of them. Any other row (a
    quarter, a month or a rolling year against one of its length, or a year with fewer than two
    quarters yet, as at Q1): its history to the current period, and the baseline where the
    history's points are periods of the compared kind, or where it is on any scale."""
    if sum(q.value is not None for q in c.quarters) >= 2:
        year = c.current_period
        points = [(q.period.removeprefix(year).strip() or q.period, q.value) for q in c.quarters]
        grain: HistoryGrain = "quarter"
        on_scale = c.aggregate != "sum"
    else:
        points = [(p.period, p.value) for p in c.history]
        grain = c.history_grain
        on_scale = c.aggregate != "sum" or (bool(c.history) and c.history[-1].period == c.current_period)
    reference = None
    if on_scale and c.baseline_value is not None and c.baseline_period:
        reference = (c.baseline_period, c.baseline_value)
    return Panel(c.measure, c.unit, points, reference, grain)


def trend_caption(panels: list[Panel]) -> str:
    """``Trend by quarter``: what the panels of one table show (``Trend`` where their grains differ)."""
    grains = {p.grain for p in panels}
    return f"Trend {GRAIN_WORDS[grains.pop()]}" if len(grains) == 1 else "Trend"


def reference_note(panels: list[Panel]) -> str:
    """What the dashed line is, where a panel has one."""
    grains = {p.grain for p in panels}
    scale = f"the {GRAIN_PLURAL[grains.pop()]}'" if len(grains) == 1 else "the chart's"
    return f"a dashed line is the baseline, where it is on {scale} scale"


def _scale(panel: Panel) -> tuple[Scale, Ticks] | None:
    """The value axis: round ticks over the points and the reference, on a scale that neither
    flattens the line nor makes a step of one in eighty look like a plunge."""
    values = [v for _, v in panel.points if v is not None]
    if panel.reference:
        values.append(panel.reference[1])
    if not values:
        return None
    lo, hi = min(values), max(values)
    least = MIN_SPAN * max(abs(lo), abs(hi))
    if hi - lo < least:  # 82, 82, 81, 82 is flat, not a plunge: the axis spans at least a tenth of the level
        pad = (least - (hi - lo)) / 2
        lo, hi = (lo - pad if lo - pad >= 0 or lo < 0 else 0.0), hi + pad
    if panel.unit != "percent" and lo >= 0 and lo < (hi - lo) * 0.6:
        lo = 0.0  # counts start at zero unless that would flatten the line
    if hi == lo:  # all zero
        hi, lo = hi + (abs(hi) or 1) * 0.1, lo - (abs(lo) or 1) * 0.1
    whole = panel.unit in ("count", "currency")
    ticks = nice_ticks(lo, hi, 3, whole=whole)
    if min(values) >= 0 and len([t for t in ticks.values if t >= 0]) >= 2:
        ticks = Ticks(
            [t for t in ticks.values if t >= 0], ticks.places
        )  # no axis below zero for figures that never go there
    return Scale(FRAME, ticks.values[0], ticks.values[-1]), ticks


def panel_scene(panel: Panel) -> Scene:
    """One measure's trend, to be drawn as SVG (HTML) or PNG (Word)."""
    scene = Scene(WIDTH, HEIGHT, f"{panel.title}: trend {GRAIN_WORDS[panel.grain]}", panel.alternative())
    scaled = _scale(panel)
    if scaled is None:
        return scene
    scale, ticks = scaled
    marks = scene.marks
    marks += value_axis(scale, ticks, AXIS, GRID, TICK_LABEL.get(panel.unit, "{}"))
    marks += period_axis(FRAME, [label for label, _ in panel.points], HEIGHT - 8, AXIS, most=len(panel.points))
    n = len(panel.points)
    points = [(FRAME.x(i, n), scale.y(v)) if v is not None else None for i, (_, v) in enumerate(panel.points)]
    if panel.reference:
        label, value = panel.reference
        y = scale.y(value)
        marks.append(Line(LEFT, y, WIDTH - RIGHT, y, REFERENCE, dash="4 3"))
        marks.append(_reference_label(label, y, points))
    marks += [Polyline(tuple(run), LINE, 2) for run in runs(points)]
    marks += [Circle(p[0], p[1], 3, LINE) for p in points if p is not None]
    return scene


def _reference_label(label: str, y: float, points: list[tuple[float, float] | None]) -> Text:
    """The baseline's label on its dashed line: at its end, or at its start where the last point
    is nearer the line than the first (so that it is not written over the values), on the side
    away from that point."""
    known = [p for p in points if p is not None]
    first, last = (known[0], known[-1]) if known else ((LEFT, y), (WIDTH - RIGHT, y))
    right = abs(last[1] - y) >= min(12, abs(first[1] - y))  # at the end, unless the last point is on it
    near = last if right else first
    under = near[1] < y  # under the line when the point is above it, unless that is off the plot
    if y + 10 > TOP + FRAME.plot_h or y - 12 < 0:
        under = y - 12 < 0
    baseline = y + 10 if under else y - 3
    if right:
        return Text(WIDTH - RIGHT, baseline, label, REFERENCE, "end", 9)
    return Text(LEFT + 2, baseline, label, REFERENCE, "start", 9)


def svg_panel(panel: Panel, ident: str) -> str:
    """An inline SVG with a title and a description that a screen reader reads."""
    return svg(panel_scene(panel), ident)


def png_panels(panels: list[Panel], columns: int = 3, scale: int = 2) -> bytes:
    """The panels of one section in a grid, each headed by its measure's name, as a PNG (for Word)."""
    from PIL import Image, ImageDraw

    head = 18
    rows = math.ceil(len(panels) / columns)
    image = Image.new("RGB", (columns * WIDTH * scale, rows * (HEIGHT + head) * scale), "white")
    draw = ImageDraw.Draw(image)
    for i, panel in enumerate(panels):
        ox, oy = (i % columns) * WIDTH * scale, (i // columns) * (HEIGHT + head) * scale
        title = panel.title if len(panel.title) <= 38 else panel.title[:37] + "…"
        heading = Scene(WIDTH, head, title, "", [Text(6, 14, title, INK, size=11, bold=True)])
        draw_png(heading, draw, (ox, oy), scale)
        draw_png(panel_scene(panel), draw, (ox, oy + head * scale), scale)
    return encode_png(image)
