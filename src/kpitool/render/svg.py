"""SVG charts of a measure's series: the points, the mean, the process limits and the target.

Each chart stands alone: inline styles, no script, no font files, no network. Special-cause
points are marked by shape as well as colour (improvement ■, concern ▲, neither ◆, common ●),
so the chart reads in grey; its ``<title>`` and ``<desc>`` are the text alternative. One scene
(``chart_scene``, on the geometry of ``render/plot.py``) is written as SVG for HTML and
``kpitool chart``, and painted as PNG for Word and Excel.
"""

from __future__ import annotations

import re

from kpitool.models import Comparison, ComparisonReport, ControlChart
from kpitool.numbers import format_number
from kpitool.render.plot import (
    AxisStyle,
    Circle,
    Frame,
    Line,
    Mark,
    Polygon,
    Polyline,
    Rect,
    Scale,
    Scene,
    Text,
    nice_ticks,
    period_axis,
    png,
    svg,
    value_axis,
)
from kpitool.render.values import PLACES

WIDTH, HEIGHT = 720, 360
LEFT, RIGHT, TOP, BOTTOM = 64, 150, 48, 56
FRAME = Frame(WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM)
INK = "#1f2933"
GREY = "#52606d"  # 6.4:1 on white: WCAG AA for 12px text
# the Making Data Count palette, darkened to AA contrast: improvement blue, concern orange, neither purple
COLOURS = {"improvement": "#1f6fa8", "concern": "#a94700", "neither": "#6a3d9a", "common": "#52606d"}
NAMES = {
    "improvement": "■ improvement",
    "concern": "▲ concern",
    "neither": "◆ special cause",
    "common": "● common cause",
}
SAMPLES = {  # each line's colour and dashes, in the chart and in its legend
    "mean": (INK, ""),
    "upper limit": (GREY, "6 4"),
    "lower limit": (GREY, "6 4"),
    "target": ("#c81e1e", "2 3"),
}
AXIS = AxisStyle(GREY, gap=8, lift=4)


CONTROL_NOTE = (
    "Mean, process limits and special-cause points (■ improvement, ▲ concern, ◆ special cause,"
    " ● common cause), as NHS Making Data Count draws them."
)


def with_limits(row: Comparison) -> ControlChart | None:
    """The row's XmR chart where it has a mean and limits (under --method spc, with enough points)."""
    return row.spc if row.spc is not None and row.spc.mean is not None else None


def chart_title(row: Comparison) -> str:
    return " — ".join(t for t in (row.area, row.measure) if t)


def _kind(polarity: str, c: ControlChart, period: str) -> str:
    """What a point is: part of a signal on the better side, the worse side, either, or none."""
    side = next((s.side for s in c.signals if period in s.periods), None)
    if side is None:
        return "common"
    if polarity == "neutral":
        return "neither"
    return "improvement" if (side == "high") == (polarity == "up") else "concern"


def point_kinds(row: Comparison, c: ControlChart) -> list[str]:
    """Each point's variation in words (``special cause (concern)``), for a table of the chart."""
    words = {k: NAMES[k].split(" ", 1)[1] for k in NAMES}
    words |= {"improvement": "special cause (improvement)", "concern": "special cause (concern)"}
    return [words[_kind(row.polarity, c, p)] for p in c.periods]


def _marker(kind: str, x: float, y: float) -> Mark:
    colour = COLOURS[kind]
    if kind == "improvement":
        return Rect(x - 5, y - 5, 10, 10, colour)
    if kind == "concern":
        return Polygon(((x, y - 6), (x + 6, y + 5), (x - 6, y + 5)), colour)
    if kind == "neither":
        return Polygon(((x, y - 6), (x + 6, y), (x, y + 6), (x - 6, y)), colour)
    return Circle(x, y, 3.5, colour)


def description(row: Comparison, c: ControlChart) -> str:
    """The chart in words: its points, its lines and what the latest point shows."""
    places = PLACES[row.unit]
    if not c.values:
        return f"{row.measure}: no points to chart."
    text = f"{row.measure}: {len(c.values)} points from {c.periods[0]} to {c.periods[-1]}"
    if c.mean is None:
        return f"{text}; {c.reason}, so no mean or limits are drawn."
    lo, hi = format_number(c.lower, places), format_number(c.upper, places)
    text += f"; mean {format_number(c.mean, places)}, process limits {lo} to {hi}"
    if c.since:
        text += f" (from {c.since})"
    latest = format_number(c.values[-1], places)
    if c.variation is None:  # the series stops before the current period: its latest point is not judged
        text += f". Latest point {latest} ({c.latest}): no verdict, {c.reason}."
    else:
        text += f". Latest point {latest} ({c.latest}): {c.variation}" + (f", {c.rule}" if c.rule else "") + "."
    if row.target is not None and c.assurance is not None:
        text += f" Target {format_number(row.target, places)}: {c.assurance}."
    if c.gaps:
        text += f" No value for {', '.join(c.gaps)}."
    listed = ", ".join(f"{p} {format_number(v, places)}" for p, v in zip(c.periods, c.values, strict=True))
    return f"{text} Values: {listed}."


def chart_scene(row: Comparison, c: ControlChart) -> Scene:
    """The row's series and its XmR chart, to be drawn as SVG or PNG."""
    values = c.values
    target = row.target if c.assurance is not None or row.aggregate != "sum" else None  # a year's total is off scale
    lines = [v for v in (c.mean, c.upper, c.lower, target) if v is not None]
    lo, hi = min([*values, *lines], default=0), max([*values, *lines], default=1)
    ticks = nice_ticks(lo, hi if hi > lo else lo + 1, 5, whole=row.unit == "count")
    scale = Scale(FRAME, ticks.values[0], ticks.values[-1])
    plot_w, n = FRAME.plot_w, len(values)

    def x(i: int) -> float:
        return FRAME.x(i, n)

    title = chart_title(row)
    scene = Scene(WIDTH, HEIGHT, title, description(row, c), font_size=12, fluid=True)
    marks = scene.marks
    marks.append(Rect(0, 0, WIDTH, HEIGHT, "#ffffff"))
    marks.append(Text(LEFT, 22, title, INK, size=15, bold=True))
    if row.section:
        subtitle = row.section if len(row.section) <= 90 else row.section[:89] + "…"
        marks.append(Text(LEFT, 38, subtitle, GREY))
    places = PLACES[row.unit]
    marks += value_axis(scale, ticks, AXIS, "#e4e7eb")
    marks += period_axis(FRAME, c.periods, TOP + FRAME.plot_h + 20, AXIS, most=3)
    legend: list[tuple[str, str]] = []
    start = c.periods.index(c.since) if c.since in c.periods else 0
    for value, label in ((c.mean, "mean"), (c.upper, "upper limit"), (c.lower, "lower limit")):
        if value is not None:
            colour, dash = SAMPLES[label]
            marks.append(Line(x(start), scale.y(value), x(n - 1), scale.y(value), colour, 1.5, dash))
            legend.append((label, format_number(value, places)))
    if target is not None:
        colour, dash = SAMPLES["target"]
        marks.append(Line(LEFT, scale.y(target), LEFT + plot_w, scale.y(target), colour, 1.5, dash))
        legend.append(("target", format_number(target, places)))
    if n > 1:
        marks.append(Polyline(tuple((x(i), scale.y(v)) for i, v in enumerate(values)), GREY, 1.5))
    kinds = [_kind(row.polarity, c, p) for p in c.periods]
    marks += [_marker(k, x(i), scale.y(v)) for i, (k, v) in enumerate(zip(kinds, values, strict=True))]
    ly = TOP + 8
    for label, shown in legend:
        colour, dash = SAMPLES[label]
        marks.append(Line(LEFT + plot_w + 10, ly - 4, LEFT + plot_w + 28, ly - 4, colour, 1.5, dash))
        marks.append(Text(LEFT + plot_w + 32, ly, f"{label}: {shown}", INK))
        ly += 18
    for k in dict.fromkeys(kinds):
        marks.append(Text(LEFT + plot_w + 14, ly, NAMES[k], COLOURS[k]))
        ly += 18
    status = c.reason or f"Latest point ({c.latest}): {c.variation}" + (f", {c.rule}" if c.rule else "")
    marks.append(Text(LEFT, HEIGHT - 12, status, INK))
    return scene


def chart_svg(row: Comparison, c: ControlChart, ident: str = "spc") -> str:
    """One self-contained SVG of the row's series and its XmR chart (``ident`` keeps its title's
    and description's ids apart from other charts' on one page)."""
    return svg(chart_scene(row, c), ident) + "\n"


def chart_png(row: Comparison, c: ControlChart) -> bytes:
    """The same chart as a PNG, for Word."""
    return png(chart_scene(row, c))


def chart_files(report: ComparisonReport) -> dict[str, str]:
    """Each charted row's SVG, by a file name made of its area, section and measure."""
    out: dict[str, str] = {}
    for row in report.comparisons:
        if row.spc is None or not row.spc.values:
            continue
        stem = _slug(f"{row.area} {row.measure}") or "measure"
        if f"{stem}.svg" in out:  # the same name in another section
            stem = _slug(f"{row.area} {row.section} {row.measure}")
        name, n = f"{stem}.svg", 2
        while name in out:
            name, n = f"{stem}-{n}.svg", n + 1
        out[name] = chart_svg(row, row.spc)
    return out


def _slug(text: str) -> str:
    """``Violence against the person Homicide`` -> ``violence-against-the-person-homicide``."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:100]
