"""The chart geometry both SVG modules share (render/plot.py): ticks, labels, and the two drawings
of one scene, SVG text and a Pillow PNG."""

from __future__ import annotations

import io
import math
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kpitool.render.plot import (
    CHAR_WIDTH,
    AxisStyle,
    Circle,
    Frame,
    Line,
    Polygon,
    Rect,
    Scene,
    Text,
    font,
    nice_ticks,
    period_axis,
    png,
    spread,
    svg,
)

SVG = "{http://www.w3.org/2000/svg}"
values = st.floats(min_value=-1e7, max_value=1e7, allow_nan=False, allow_infinity=False)


@settings(max_examples=300, deadline=None)
@given(values, st.floats(min_value=1e-3, max_value=1e7), st.integers(2, 6), st.booleans())
def test_ticks_cover_the_values_in_round_equal_steps(lo: float, span: float, count: int, whole: bool) -> None:
    hi = lo + span
    ticks = nice_ticks(lo, hi, count, whole)
    t = ticks.values
    slack = 1e-9 * max(1.0, abs(lo), abs(hi))
    assert t[0] <= lo + slack and t[-1] >= hi - slack
    steps = {round(b - a, 6) for a, b in zip(t, t[1:], strict=False)}
    assert len(steps) == 1
    (step,) = steps
    assert 1 <= len(t) - 1 <= 2 * count + 2  # about count steps, never a crowd of them
    if whole:
        assert step >= 1 and float(step).is_integer()
    # every label shows its tick exactly, with no more decimals than the step needs
    assert all(math.isclose(round(v, ticks.places), v, abs_tol=1e-6 * max(1.0, abs(v))) for v in t)
    assert ticks.places == 0 or not math.isclose(round(step, ticks.places - 1), step, rel_tol=1e-9)


@given(st.integers(1, 60), st.integers(1, 8))
def test_spread_keeps_the_first_and_the_last(n: int, most: int) -> None:
    picked = spread(n, most)
    assert picked == sorted(set(picked)) and len(picked) <= max(most, 1) and picked[-1] == n - 1
    if most > 1:
        assert picked[0] == 0


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 40), st.integers(2, 16), st.integers(160, 720))
def test_period_labels_never_touch_and_stay_on_the_canvas(n: int, length: int, width: int) -> None:
    frame = Frame(width, 130, 52, 14, 12, 24)
    labels = [f"{i:0{length}d}" for i in range(n)]
    marks = period_axis(frame, labels, 120, AxisStyle("#000", size=10), most=n)
    texts = [m for m in marks if isinstance(m, Text)]
    half = length * 10 * CHAR_WIDTH / 2
    for a, b in zip(texts, texts[1:], strict=False):
        assert b.x - a.x >= 2 * half
    assert all(half - 1e-9 <= t.x <= width - half + 1e-9 for t in texts)
    if texts:
        assert texts[-1].text == labels[-1]  # the latest period is always named


def test_svg_is_an_image_named_by_its_title_and_description() -> None:
    scene = Scene(100, 50, "Calls <999> & more", "Q1 5; Q2 7", [Text(5, 10, "a < b", "#000", "end", 9, True)])
    root = ET.fromstring(svg(scene, "c1"))
    assert root.get("role") == "img" and root.get("aria-labelledby") == "c1-t c1-d"
    assert root.findtext(f"{SVG}title") == "Calls <999> & more" and root.findtext(f"{SVG}desc") == "Q1 5; Q2 7"
    (text,) = root.findall(f"{SVG}text")
    assert (text.text, text.get("text-anchor"), text.get("font-size"), text.get("font-weight")) == (
        "a < b",
        "end",
        "9",
        "bold",
    )


def test_png_paints_the_marks_where_the_svg_puts_them() -> None:
    from PIL import Image

    scene = Scene(
        100,
        60,
        "t",
        "d",
        [
            Rect(10, 10, 20, 20, "#ff0000"),
            Circle(70, 20, 6, "#0000ff"),
            Polygon(((40, 50), (50, 40), (60, 50)), "#00ff00"),
            Line(0, 55, 100, 55, "#000000", 1, "6 4"),
        ],
    )
    image = Image.open(io.BytesIO(png(scene, scale=2))).convert("RGB")
    assert image.size == (200, 120)
    assert image.getpixel((40, 40)) == (255, 0, 0)  # the rectangle's middle, at twice the size
    assert image.getpixel((140, 40)) == (0, 0, 255)
    assert image.getpixel((100, 96)) == (0, 255, 0)
    row = [image.getpixel((x, 110)) for x in range(200)]
    dark = [sum(p) < 200 for p in row]
    assert dark[2] and not dark[14] and dark[22]  # 6 drawn, 4 left (×2): a dashed line has its gaps
    assert image.getpixel((195, 5)) == (255, 255, 255)


def test_png_text_uses_a_font_with_every_glyph_where_one_is_installed() -> None:
    face = font(12, False, "◆ special cause £5")
    if not hasattr(face, "path"):
        pytest.skip("no TrueType font installed: Pillow's own font draws the text")
    from PIL import Image, ImageDraw

    def glyph(ch: str) -> bytes:
        image = Image.new("L", (32, 32))
        ImageDraw.Draw(image).text((4, 4), ch, font=face, fill=255)
        return image.tobytes()

    assert glyph("◆") != glyph("\uffff") and glyph("£") != glyph("\uffff")
