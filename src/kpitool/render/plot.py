"""The geometry every kpitool chart shares, and its two drawings: SVG text and a PNG (Pillow).

A chart is built once as a ``Scene``: its canvas, its title and description (the text
alternative) and its marks (lines, shapes, text) in canvas pixels, placed on a ``Frame`` (the
plot area inside the margins) by a value ``Scale`` with round ``ticks``. ``svg`` writes a scene
as a self-contained ``<svg>``; ``draw_png`` paints the same marks with Pillow, for Word, where
an SVG is not shown everywhere. The trend panels (``render/charts.py``) and the XmR chart
(``render/svg.py``) are both made this way, so an axis, a tick or a label is worked out once.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from html import escape
from typing import TYPE_CHECKING, Literal

from kpitool.numbers import format_number
from kpitool.render.safe import visible_line

if TYPE_CHECKING:
    from PIL.Image import Image as PILImage
    from PIL.ImageDraw import ImageDraw
    from PIL.ImageFont import FreeTypeFont, ImageFont

Anchor = Literal["start", "middle", "end"]
FONT_FAMILY = "Arial, Helvetica, sans-serif"
CHAR_WIDTH = 0.55  # an Arial character's average width, in ems: for fitting labels, not for layout


# -- marks ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    stroke: str
    width: float | None = None  # None: SVG's default of 1
    dash: str = ""  # SVG's stroke-dasharray: "6 4" is 6 drawn, 4 left


@dataclass(frozen=True)
class Polyline:
    points: tuple[tuple[float, float], ...]
    stroke: str
    width: float


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float
    fill: str


@dataclass(frozen=True)
class Polygon:
    points: tuple[tuple[float, float], ...]
    fill: str


@dataclass(frozen=True)
class Circle:
    cx: float
    cy: float
    r: float
    fill: str


@dataclass(frozen=True)
class Text:
    """Text whose baseline is at ``y``; ``size`` None takes the scene's."""

    x: float
    y: float
    text: str
    fill: str
    anchor: Anchor = "start"
    size: float | None = None
    bold: bool = False


Mark = Line | Polyline | Rect | Polygon | Circle | Text


@dataclass
class Scene:
    """One chart: its canvas, its text alternative and its marks, in drawing order."""

    width: int
    height: int
    title: str
    desc: str
    marks: list[Mark] = field(default_factory=list)
    font_size: int | None = None  # None: the page's (SVG), 12 px (PNG)
    fluid: bool = False  # the SVG shrinks to its container


# -- geometry ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Frame:
    """The canvas and its margins: the plot area is what the margins leave."""

    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int

    @property
    def plot_w(self) -> int:
        return self.width - self.left - self.right

    @property
    def plot_h(self) -> int:
        return self.height - self.top - self.bottom

    def x(self, i: int, n: int) -> float:
        """The ``i``-th of ``n`` evenly spaced points across the plot (one point: its middle)."""
        return self.left + (self.plot_w * i / (n - 1) if n > 1 else self.plot_w / 2)


@dataclass(frozen=True)
class Ticks:
    values: list[float]
    places: int  # the decimals every label needs (a step of 2.5 needs one)


def nice_ticks(lo: float, hi: float, count: int, whole: bool = False) -> Ticks:
    """Round values from at or below ``lo`` to at or above ``hi``, about ``count`` steps apart
    (a step of 1, 2, 2.5 or 5 times a power of ten), and whole ones for counts: no "1.5 homicides".
    ``hi`` must be above ``lo``."""
    raw = (hi - lo) / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    if whole:
        step = max(1.0, math.ceil(step))  # 0.25 -> 1, 2.5 -> 3
    first = math.floor(lo / step) * step
    n = math.ceil(round((hi - first) / step, 9))
    values = [round(first + i * step, 10) for i in range(n + 1)]
    return Ticks(values, _places(step))


def _places(step: float) -> int:
    """The fewest decimals that show every multiple of ``step`` exactly (0.25 needs two)."""
    return next((p for p in range(7) if abs(step * 10**p - round(step * 10**p)) < 1e-6), 6)


@dataclass(frozen=True)
class Scale:
    """Values onto the plot's height: ``lo`` at its foot, ``hi`` at its head."""

    frame: Frame
    lo: float
    hi: float

    def y(self, v: float) -> float:
        return self.frame.top + self.frame.plot_h * (1 - (v - self.lo) / ((self.hi - self.lo) or 1))


@dataclass(frozen=True)
class AxisStyle:
    """How an axis's labels look: their colour, size (None: the scene's), their gap from the plot."""

    ink: str
    size: float | None = None
    gap: float = 8
    lift: float = 4  # from a gridline to the baseline of its label, so that the label centres on it


def value_axis(scale: Scale, ticks: Ticks, style: AxisStyle, grid: str, label: str = "{}") -> list[Mark]:
    """A gridline across the plot at each tick, and its label right-aligned to the plot's left
    (``label``: the number's setting, ``{}%``, ``£{}``)."""
    f = scale.frame
    marks: list[Mark] = []
    for t in ticks.values:
        y = scale.y(t)
        marks.append(Line(f.left, y, f.left + f.plot_w, y, grid))
        text = label.format(format_number(t, ticks.places))
        marks.append(Text(f.left - style.gap, y + style.lift, text, style.ink, "end", style.size))
    return marks


def spread(n: int, most: int) -> list[int]:
    """Up to ``most`` indexes of ``n`` points, evenly spread, always the first and the last."""
    if n <= most:
        return list(range(n))
    if most <= 1:
        return [n - 1]
    return sorted({math.ceil(i * (n - 1) / (most - 1)) for i in range(most)})


def period_axis(
    frame: Frame, labels: Sequence[str], y: float, style: AxisStyle, most: int, font_size: float = 12
) -> list[Mark]:
    """The periods' labels under their points: as many as fit side by side without touching
    (``most`` at the most), evenly spread, always the first and the last, each kept inside the
    canvas."""
    n = len(labels)
    size = style.size or font_size
    for k in range(min(most, n), 0, -1):
        placed = []
        for i in spread(n, k):
            half = len(labels[i]) * size * CHAR_WIDTH / 2
            placed.append((min(max(frame.x(i, n), half), frame.width - half), half, labels[i]))
        if all(b[0] - a[0] >= a[1] + b[1] + size / 2 for a, b in zip(placed, placed[1:], strict=False)):
            return [Text(x, y, text, style.ink, "middle", style.size) for x, _, text in placed]
    return []


def runs(points: Sequence[tuple[float, float] | None]) -> list[list[tuple[float, float]]]:
    """Runs of consecutive known points: a missing period breaks the line, it is never bridged."""
    out: list[list[tuple[float, float]]] = [[]]
    for p in points:
        if p is None:
            out.append([])
        else:
            out[-1].append(p)
    return [r for r in out if r]


# -- SVG -----------------------------------------------------------------------------------------
def _n(v: float) -> str:
    return f"{v:.1f}".removesuffix(".0")


def _points(points: Sequence[tuple[float, float]]) -> str:
    return " ".join(f"{x:.1f},{y:.1f}" for x, y in points)


def _svg_mark(m: Mark) -> str:
    if isinstance(m, Line):
        extra = (f' stroke-width="{_n(m.width)}"' if m.width is not None else "") + (
            f' stroke-dasharray="{m.dash}"' if m.dash else ""
        )
        return f'<line x1="{_n(m.x1)}" x2="{_n(m.x2)}" y1="{_n(m.y1)}" y2="{_n(m.y2)}" stroke="{m.stroke}"{extra}/>'
    if isinstance(m, Polyline):
        return f'<polyline points="{_points(m.points)}" fill="none" stroke="{m.stroke}" stroke-width="{_n(m.width)}"/>'
    if isinstance(m, Rect):
        return f'<rect x="{_n(m.x)}" y="{_n(m.y)}" width="{_n(m.w)}" height="{_n(m.h)}" fill="{m.fill}"/>'
    if isinstance(m, Polygon):
        return f'<polygon points="{_points(m.points)}" fill="{m.fill}"/>'
    if isinstance(m, Circle):
        return f'<circle cx="{m.cx:.1f}" cy="{m.cy:.1f}" r="{_n(m.r)}" fill="{m.fill}"/>'
    attrs = f' x="{_n(m.x)}" y="{_n(m.y)}"'
    if m.anchor != "start":
        attrs += f' text-anchor="{m.anchor}"'
    if m.size is not None:
        attrs += f' font-size="{_n(m.size)}"'
    if m.bold:
        attrs += ' font-weight="bold"'
    return f'<text{attrs} fill="{m.fill}">{_text(m.text)}</text>'


def svg(scene: Scene, ident: str) -> str:
    """The scene as one ``<svg>``: an image to a screen reader, named by its title and described
    by its description (``ident`` keeps their ids apart from other charts' on one page)."""
    attrs = (
        f'xmlns="http://www.w3.org/2000/svg" width="{scene.width}" height="{scene.height}"'
        f' viewBox="0 0 {scene.width} {scene.height}" role="img" aria-labelledby="{ident}-t {ident}-d"'
    )
    if scene.font_size is not None:
        attrs += f' font-family="{FONT_FAMILY}" font-size="{scene.font_size}"'
    if scene.fluid:
        attrs += ' style="max-width: 100%; height: auto"'
    return "\n".join(
        [
            f"<svg {attrs}>",
            f'<title id="{ident}-t">{_text(scene.title)}</title>',
            f'<desc id="{ident}-d">{_text(scene.desc)}</desc>',
            *(_svg_mark(m) for m in scene.marks),
            "</svg>",
        ]
    )


# -- PNG -----------------------------------------------------------------------------------------
# Fonts with every glyph the charts use (£, —, …, ■ ▲ ◆ ●): Arial's metrics first, as the SVG asks
# for Arial; then DejaVu; Pillow's own font (which lacks £ and the shapes) only where neither is.
FONTS = {
    False: (
        "/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    ),
    True: (
        "/usr/share/fonts/truetype/liberation2/LiberationSans-Bold.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    ),
}
_PIL_ANCHOR = {"start": "ls", "middle": "ms", "end": "rs"}  # SVG text sits on its baseline


@cache
def _face(path: str, size: float) -> FreeTypeFont | None:
    from PIL import ImageFont

    try:
        return ImageFont.truetype(path, size)
    except OSError:  # not installed here
        return None


def _glyph(face: FreeTypeFont, ch: str) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("L", (32, 32))
    ImageDraw.Draw(image).text((4, 4), ch, font=face, fill=255)
    return image.tobytes()


@cache
def _covers(path: str, ch: str) -> bool:
    """Has the font a glyph of its own for ``ch`` (not the box it draws for a character it lacks)?"""
    face = _face(path, 12)
    return face is not None and (ch.isspace() or _glyph(face, ch) != _glyph(face, "\uffff"))


def font(size: float, bold: bool = False, text: str = "") -> FreeTypeFont | ImageFont:
    """The first of ``FONTS`` installed here that has every glyph of ``text``, at ``size`` pixels."""
    from PIL import ImageFont

    paths = [p for p in FONTS[bold] if _face(p, 12) is not None]
    if not paths:
        return ImageFont.load_default(size=size)
    path = next((p for p in paths if all(_covers(p, ch) for ch in set(text))), paths[0])
    return _face(path, size) or ImageFont.load_default(size=size)


def _dashes(m: Line) -> list[tuple[float, float, float, float]]:
    """The drawn pieces of a dashed line."""
    if not m.dash:
        return [(m.x1, m.y1, m.x2, m.y2)]
    pattern = [float(p) for p in m.dash.split()]
    length = math.hypot(m.x2 - m.x1, m.y2 - m.y1)
    ux, uy = ((m.x2 - m.x1) / length, (m.y2 - m.y1) / length) if length else (0.0, 0.0)
    pieces, at, i = [], 0.0, 0
    while at < length:
        step = pattern[i % len(pattern)]
        if i % 2 == 0:
            end = min(at + step, length)
            pieces.append((m.x1 + ux * at, m.y1 + uy * at, m.x1 + ux * end, m.y1 + uy * end))
        at += step
        i += 1
    return pieces


def draw_png(scene: Scene, draw: ImageDraw, origin: tuple[float, float] = (0, 0), scale: float = 2) -> None:
    """Paint the scene's marks with Pillow, its top left at ``origin``, ``scale`` pixels a unit."""
    ox, oy = origin

    def at(x: float, y: float) -> tuple[float, float]:
        return (ox + x * scale, oy + y * scale)

    for m in scene.marks:
        if isinstance(m, Line):
            width = max(1, round((m.width or 1) * scale))
            for x1, y1, x2, y2 in _dashes(m):
                draw.line([at(x1, y1), at(x2, y2)], fill=m.stroke, width=width)
        elif isinstance(m, Polyline):
            if len(m.points) > 1:
                draw.line([at(x, y) for x, y in m.points], fill=m.stroke, width=round(m.width * scale), joint="curve")
        elif isinstance(m, Rect):
            draw.rectangle([at(m.x, m.y), at(m.x + m.w, m.y + m.h)], fill=m.fill)
        elif isinstance(m, Polygon):
            draw.polygon([at(x, y) for x, y in m.points], fill=m.fill)
        elif isinstance(m, Circle):
            (cx, cy), r = at(m.cx, m.cy), m.r * scale
            draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=m.fill)
        else:
            size = (m.size or scene.font_size or 12) * scale
            draw.text(at(m.x, m.y), m.text, fill=m.fill, font=font(size, m.bold, m.text), anchor=_PIL_ANCHOR[m.anchor])


def encode_png(image: PILImage) -> bytes:
    """The picture as PNG bytes, in 64 colours: a chart has a handful and their anti-aliased edges,
    and a palette makes the file a third the size, faster to write than ``optimize`` makes it (the
    Word report of every force in the recorded-crime file: 42 s to 23 s, 6.6 MB to 2.5 MB)."""
    import io

    from PIL import Image

    out = io.BytesIO()
    image.quantize(64, method=Image.Quantize.FASTOCTREE).save(out, format="PNG")
    return out.getvalue()


def png(scene: Scene, scale: float = 2) -> bytes:
    """The scene alone as a PNG, on white, ``scale`` pixels a unit (2: sharp when printed)."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (round(scene.width * scale), round(scene.height * scale)), "white")
    draw_png(scene, ImageDraw.Draw(image), scale=scale)
    return encode_png(image)


def _text(text: str) -> str:
    """Text from the data inside SVG markup: escaped, control characters written out (\\x1b)."""
    return escape(visible_line(text))
