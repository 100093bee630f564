"""Trend charts: a small panel per measure, its quarters as a line, drawn as SVG (HTML) or PNG (Word).

One geometry, two drawings: ``layout`` places the points, axis ticks and labels; ``svg_panel``
and ``png_panels`` draw them. Each chart carries a text alternative that lists its values.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from html import escape

from kpitool.models import Comparison, Unit
from kpitool.render.values import value_text

WIDTH, HEIGHT = 230, 130
LEFT, RIGHT, TOP, BOTTOM = 52, 14, 12, 24
LINE = "#1d4f91"
GRID = "#d0d4da"
INK = "#222222"
REFERENCE = "#6b6b6b"
MIN_SPAN = 0.1  # the value axis spans at least this fraction of the largest value


@dataclass
class Panel:
    """One measure's trend: labelled points (a value may be missing) and an optional reference line."""

    title: str
    unit: Unit
    points: list[tuple[str, float | None]]
    reference: tuple[str, float] | None = None

    @property
    def drawable(self) -> bool:
        return sum(v is not None for _, v in self.points) >= 2

    def alternative(self) -> str:
        """The chart in words: every value, and the reference line."""
        values = "; ".join(f"{label} {value_text(v, self.unit)}" for label, v in self.points)
        text = f"{self.title}, by quarter: {values}."
        if self.reference:
            text += f" Baseline {self.reference[0]}: {value_text(self.reference[1], self.unit)}."
        return text


def panel_of(c: Comparison) -> Panel:
    """The current period's quarters; the baseline as a reference where it is on the quarters' scale
    (an average, a rate, a stock), not where it is a year's total of them."""
    year = c.current_period
    points = [(q.period.removeprefix(year).strip() or q.period, q.value) for q in c.quarters]
    reference = None
    if c.aggregate != "sum" and c.baseline_value is not None and c.baseline_period:
        reference = (c.baseline_period, c.baseline_value)
    return Panel(c.measure, c.unit, points, reference)


@dataclass
class Layout:
    width: int
    height: int
    ticks: list[tuple[float, str]] = field(default_factory=list)  # y position, label
    xs: list[tuple[float, str]] = field(default_factory=list)  # x position, label
    points: list[tuple[float, float] | None] = field(default_factory=list)
    reference: tuple[float, str] | None = None  # y position, label


def _nice_ticks(lo: float, hi: float, count: int = 4, whole: bool = False) -> list[float]:
    """Round ticks covering lo..hi; whole numbers only for counts (no "1.5 homicides")."""
    if hi == lo:
        hi, lo = hi + (abs(hi) or 1) * 0.1, lo - (abs(lo) or 1) * 0.1
    raw = max((hi - lo) / (count - 1), 1.0 if whole else 0.0)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    start = math.floor(lo / step) * step
    ticks: list[float] = []
    value = start
    while value <= hi + step * 0.5 and len(ticks) < 12:
        ticks.append(round(value, 10))
        value += step
    if ticks[-1] < hi:
        ticks.append(round(value, 10))
    return ticks


def _tick_label(value: float, unit: Unit, step: float) -> str:
    places = 0 if step >= 1 or value == int(value) and step >= 1 else min(2, max(1, -math.floor(math.log10(step))))
    text = f"{value:,.{places}f}"
    if unit == "percent":
        return text + "%"
    if unit == "currency":
        return "£" + text
    return text


def layout(panel: Panel, width: int = WIDTH, height: int = HEIGHT) -> Layout:
    values = [v for _, v in panel.points if v is not None]
    if panel.reference:
        values.append(panel.reference[1])
    out = Layout(width, height)
    if not values:
        return out
    lo, hi = min(values), max(values)
    least = MIN_SPAN * max(abs(lo), abs(hi))
    if hi - lo < least:  # 82, 82, 81, 82 is flat, not a plunge: the axis spans at least a tenth of the level
        pad = (least - (hi - lo)) / 2
        lo, hi = (lo - pad if lo - pad >= 0 or lo < 0 else 0.0), hi + pad
    if panel.unit != "percent" and lo >= 0 and lo < (hi - lo) * 0.6:
        lo = 0.0  # counts start at zero unless that would flatten the line
    ticks = _nice_ticks(lo, hi, whole=panel.unit in ("count", "currency"))
    if min(values) >= 0 and len([t for t in ticks if t >= 0]) >= 2:
        ticks = [t for t in ticks if t >= 0]  # no axis below zero for figures that never go there
    t_lo, t_hi = ticks[0], ticks[-1]
    step = ticks[1] - ticks[0] if len(ticks) > 1 else 1.0
    inner_h = height - TOP - BOTTOM
    inner_w = width - LEFT - RIGHT

    def y_of(v: float) -> float:
        return TOP + inner_h * (1 - (v - t_lo) / ((t_hi - t_lo) or 1))

    out.ticks = [(y_of(t), _tick_label(t, panel.unit, step)) for t in ticks]
    n = len(panel.points)
    for i, (label, v) in enumerate(panel.points):
        x = LEFT + (inner_w * (i / (n - 1)) if n > 1 else inner_w / 2)
        out.xs.append((x, label))
        out.points.append((x, y_of(v)) if v is not None else None)
    if panel.reference:
        out.reference = (y_of(panel.reference[1]), panel.reference[0])
    return out


def _segments(points: list[tuple[float, float] | None]) -> list[list[tuple[float, float]]]:
    """Runs of consecutive known points: a missing quarter breaks the line, it is never bridged."""
    runs: list[list[tuple[float, float]]] = [[]]
    for p in points:
        if p is None:
            runs.append([])
        else:
            runs[-1].append(p)
    return [r for r in runs if r]


def svg_panel(panel: Panel, ident: str) -> str:
    """An inline SVG with a title and a description that a screen reader reads."""
    g = layout(panel)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {g.width} {g.height}"'
        f' width="{g.width}" height="{g.height}" aria-labelledby="{ident}-t {ident}-d">',
        f'<title id="{ident}-t">{escape(panel.title)}: trend by quarter</title>',
        f'<desc id="{ident}-d">{escape(panel.alternative())}</desc>',
    ]
    for y, label in g.ticks:
        parts.append(f'<line x1="{LEFT}" x2="{g.width - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}"/>')
        parts.append(
            f'<text x="{LEFT - 5}" y="{y + 3.5:.1f}" text-anchor="end" font-size="10" fill="{INK}">{escape(label)}</text>'
        )
    for x, label in g.xs:
        parts.append(
            f'<text x="{x:.1f}" y="{g.height - 8}" text-anchor="middle" font-size="10" fill="{INK}">{escape(label)}</text>'
        )
    if g.reference:
        y, label = g.reference
        parts.append(
            f'<line x1="{LEFT}" x2="{g.width - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="{REFERENCE}"'
            ' stroke-dasharray="4 3"/>'
        )
        parts.append(
            f'<text x="{g.width - RIGHT}" y="{y - 3:.1f}" text-anchor="end" font-size="9" fill="{REFERENCE}">'
            f"{escape(label)}</text>"
        )
    for run in _segments(g.points):
        coords = " ".join(f"{x:.1f},{y:.1f}" for x, y in run)
        parts.append(f'<polyline points="{coords}" fill="none" stroke="{LINE}" stroke-width="2"/>')
    for p in g.points:
        if p is not None:
            parts.append(f'<circle cx="{p[0]:.1f}" cy="{p[1]:.1f}" r="3" fill="{LINE}"/>')
    parts.append("</svg>")
    return "".join(parts)


def png_panels(panels: list[Panel], columns: int = 3, scale: int = 2) -> bytes:
    """The panels of one section in a grid, each headed by its measure's name, as a PNG (for Word)."""
    import io

    from PIL import Image, ImageDraw, ImageFont

    head = 18
    rows = math.ceil(len(panels) / columns)
    image = Image.new("RGB", (columns * WIDTH * scale, rows * (HEIGHT + head) * scale), "white")
    draw = ImageDraw.Draw(image)
    small = ImageFont.load_default(size=10 * scale)
    bold = ImageFont.load_default(size=11 * scale)
    for i, panel in enumerate(panels):
        ox, oy = (i % columns) * WIDTH * scale, (i // columns) * (HEIGHT + head) * scale
        title = panel.title if len(panel.title) <= 38 else panel.title[:37] + "…"
        draw.text((ox + 6 * scale, oy + 3 * scale), title, fill=INK, font=bold)
        oy += head * scale
        g = layout(panel)

        def at(x: float, y: float, ox: int = ox, oy: int = oy) -> tuple[float, float]:
            return (ox + x * scale, oy + y * scale)

        for y, label in g.ticks:
            draw.line([at(LEFT, y), at(WIDTH - RIGHT, y)], fill=GRID, width=scale)
            draw.text(at(LEFT - 5, y), label, fill=INK, font=small, anchor="rm")
        for x, label in g.xs:
            draw.text(at(x, HEIGHT - 12), label, fill=INK, font=small, anchor="mm")
        if g.reference:
            y, label = g.reference
            x = LEFT
            while x < WIDTH - RIGHT:
                draw.line([at(x, y), at(min(x + 4, WIDTH - RIGHT), y)], fill=REFERENCE, width=scale)
                x += 7
            draw.text(at(WIDTH - RIGHT, y - 3), label, fill=REFERENCE, font=small, anchor="rb")
        for run in _segments(g.points):
            if len(run) > 1:
                draw.line([at(x, y) for x, y in run], fill=LINE, width=2 * scale, joint="curve")
        for p in g.points:
            if p is not None:
                cx, cy = at(*p)
                draw.ellipse([cx - 3 * scale, cy - 3 * scale, cx + 3 * scale, cy + 3 * scale], fill=LINE)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
