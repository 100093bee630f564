"""SVG charts of a measure's series: the points, the mean, the process limits and the target.

Each chart stands alone: inline styles, no script, no font files, no network. Special-cause
points are marked by shape as well as colour (improvement ■, concern ▲, neither ◆, common ●),
so the chart reads in grey; its ``<title>`` and ``<desc>`` are the text alternative.
"""

from __future__ import annotations

import math
import re
from html import escape

from kpitool.models import Comparison, ComparisonReport, ControlChart
from kpitool.numbers import format_number
from kpitool.render.values import PLACES

WIDTH, HEIGHT = 720, 360
LEFT, RIGHT, TOP, BOTTOM = 64, 150, 48, 56
INK = "#1f2933"
GREY = "#52606d"  # 6.4:1 on white: WCAG AA for 12px text
# the Making Data Count palette, darkened to AA contrast: improvement blue, concern orange, neither purple
COLOURS = {"improvement": "#1f6fa8", "concern": "#a94700", "neither": "#6a3d9a", "common": "#52606d"}


def _kind(polarity: str, c: ControlChart, period: str) -> str:
    """What a point is: part of a signal on the better side, the worse side, either, or none."""
    side = next((s.side for s in c.signals if period in s.periods), None)
    if side is None:
        return "common"
    if polarity == "neutral":
        return "neither"
    return "improvement" if (side == "high") == (polarity == "up") else "concern"


def _marker(kind: str, x: float, y: float) -> str:
    colour = COLOURS[kind]
    if kind == "improvement":
        return f'<rect x="{x - 5:.1f}" y="{y - 5:.1f}" width="10" height="10" fill="{colour}"/>'
    if kind == "concern":
        return (
            f'<polygon points="{x:.1f},{y - 6:.1f} {x + 6:.1f},{y + 5:.1f} {x - 6:.1f},{y + 5:.1f}" fill="{colour}"/>'
        )
    if kind == "neither":
        return f'<polygon points="{x:.1f},{y - 6:.1f} {x + 6:.1f},{y:.1f} {x:.1f},{y + 6:.1f} {x - 6:.1f},{y:.1f}" fill="{colour}"/>'
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}"/>'


def _ticks(lo: float, hi: float, n: int = 5, whole: bool = False) -> tuple[list[float], int]:
    """About ``n`` round values from ``lo`` to ``hi`` (whole numbers for counts), and the decimals
    their labels need (a step of 2.5 needs one)."""
    if hi <= lo:
        hi = lo + 1
    raw = (hi - lo) / n
    step = 10 ** math.floor(math.log10(raw))
    step *= next(m for m in (1, 2, 2.5, 5, 10) if raw <= step * m)
    if whole:
        step = max(1.0, math.ceil(step))
    first = math.floor(lo / step) * step
    places = 0 if float(step).is_integer() else max(0, -math.floor(math.log10(step - math.floor(step))))
    return [first + i * step for i in range(int(math.ceil((hi - first) / step)) + 1)], places


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
    text += f". Latest point {latest} ({c.latest}): {c.variation}" + (f", {c.rule}" if c.rule else "") + "."
    if row.target is not None and c.assurance is not None:
        text += f" Target {format_number(row.target, places)}: {c.assurance}."
    if c.gaps:
        text += f" No value for {', '.join(c.gaps)}."
    listed = ", ".join(f"{p} {format_number(v, places)}" for p, v in zip(c.periods, c.values, strict=True))
    return f"{text} Values: {listed}."


def chart_svg(row: Comparison, c: ControlChart, ident: str = "spc") -> str:
    """One self-contained SVG of the row's series and its XmR chart (``ident`` keeps its title's
    and description's ids apart from other charts' on one page)."""
    values = c.values
    target = row.target if c.assurance is not None or row.aggregate != "sum" else None  # a year's total is off scale
    lines = [v for v in (c.mean, c.upper, c.lower, target) if v is not None]
    ticks, tick_places = _ticks(
        min([*values, *lines], default=0), max([*values, *lines], default=1), whole=row.unit == "count"
    )
    lo, hi = ticks[0], ticks[-1]
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(i: int) -> float:
        return LEFT + (plot_w * i / (len(values) - 1) if len(values) > 1 else plot_w / 2)

    def y(v: float) -> float:
        return TOP + plot_h * (1 - (v - lo) / (hi - lo))

    title = " — ".join(t for t in (row.area, row.measure) if t)
    desc = description(row, c)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}"'
        f' role="img" aria-labelledby="{ident}-t {ident}-d" font-family="Arial, Helvetica, sans-serif" font-size="12"'
        ' style="max-width: 100%; height: auto">',
        f'<title id="{ident}-t">{escape(title)}</title>',
        f'<desc id="{ident}-d">{escape(desc)}</desc>',
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>',
        f'<text x="{LEFT}" y="22" font-size="15" font-weight="bold" fill="{INK}">{escape(title)}</text>',
    ]
    if row.section:
        subtitle = row.section if len(row.section) <= 90 else row.section[:89] + "…"
        out.append(f'<text x="{LEFT}" y="38" fill="{GREY}">{escape(subtitle)}</text>')
    places = PLACES[row.unit]
    for t in ticks:
        out.append(f'<line x1="{LEFT}" x2="{LEFT + plot_w}" y1="{y(t):.1f}" y2="{y(t):.1f}" stroke="#e4e7eb"/>')
        out.append(
            f'<text x="{LEFT - 8}" y="{y(t) + 4:.1f}" text-anchor="end" fill="{GREY}">'
            f"{escape(format_number(t, tick_places))}</text>"
        )
    for i in sorted({0, len(values) // 2, len(values) - 1}) if values else []:
        out.append(
            f'<text x="{x(i):.1f}" y="{TOP + plot_h + 20}" text-anchor="middle" fill="{GREY}">{escape(c.periods[i])}</text>'
        )
    legend: list[tuple[str, str]] = []
    start = c.periods.index(c.since) if c.since in c.periods else 0
    for value, label, dash in ((c.mean, "mean", ""), (c.upper, "upper limit", "6 4"), (c.lower, "lower limit", "6 4")):
        if value is not None:
            out.append(
                f'<line x1="{x(start):.1f}" x2="{x(len(values) - 1):.1f}" y1="{y(value):.1f}" y2="{y(value):.1f}"'
                f' stroke="{INK if label == "mean" else GREY}" stroke-width="1.5"'
                + (f' stroke-dasharray="{dash}"' if dash else "")
                + "/>"
            )
            legend.append((label, format_number(value, places)))
    if target is not None:
        out.append(
            f'<line x1="{LEFT}" x2="{LEFT + plot_w}" y1="{y(target):.1f}" y2="{y(target):.1f}"'
            ' stroke="#c81e1e" stroke-width="1.5" stroke-dasharray="2 3"/>'
        )
        legend.append(("target", format_number(target, places)))
    if len(values) > 1:
        path = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(values))
        out.append(f'<polyline points="{path}" fill="none" stroke="{GREY}" stroke-width="1.5"/>')
    kinds = [_kind(row.polarity, c, p) for p in c.periods]
    out.extend(_marker(k, x(i), y(v)) for i, (k, v) in enumerate(zip(kinds, values, strict=True)))
    ly = TOP + 8
    samples = {
        "mean": (INK, ""),
        "upper limit": (GREY, "6 4"),
        "lower limit": (GREY, "6 4"),
        "target": ("#c81e1e", "2 3"),
    }
    for label, shown in legend:
        colour, dash = samples[label]
        out.append(
            f'<line x1="{LEFT + plot_w + 10}" x2="{LEFT + plot_w + 28}" y1="{ly - 4}" y2="{ly - 4}" stroke="{colour}"'
            ' stroke-width="1.5"' + (f' stroke-dasharray="{dash}"' if dash else "") + "/>"
        )
        out.append(f'<text x="{LEFT + plot_w + 32}" y="{ly}" fill="{INK}">{escape(label)}: {escape(shown)}</text>')
        ly += 18
    names = {
        "improvement": "■ improvement",
        "concern": "▲ concern",
        "neither": "◆ special cause",
        "common": "● common cause",
    }
    for k in dict.fromkeys(kinds):
        out.append(f'<text x="{LEFT + plot_w + 14}" y="{ly}" fill="{COLOURS[k]}">{names[k]}</text>')
        ly += 18
    status = c.reason or f"Latest point ({c.latest}): {c.variation}" + (f", {c.rule}" if c.rule else "")
    out.append(f'<text x="{LEFT}" y="{HEIGHT - 12}" fill="{INK}">{escape(status)}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


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
