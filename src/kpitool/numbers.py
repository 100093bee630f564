"""Cells as people type them: ``1,234``, ``13.7 %``, ``-3.5%``, ``£453,813``, ``..``, ``[c]``, ``12[r]``.

Anything that only looks like a number (``1,2,3``, ``nan``, ``inf``, ``1_000``) is an error,
never a guess.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import Any, NamedTuple

# Government Analysis Function shorthand (a cell holding only one of these has no value).
GSS_MARKERS: dict[str, str] = {
    "[b]": "break in series",
    "[c]": "confidential",
    "[d]": "cell repeated",
    "[e]": "estimated",
    "[f]": "forecast",
    "[k]": "low figure",
    "[low]": "low figure",
    "[p]": "provisional",
    "[r]": "revised",
    "[u]": "low reliability",
    "[w]": "no cases",
    "[x]": "not available",
    "[z]": "not applicable",
}
# Plain missing markers as spreadsheets and statistical tables show them.
# Bare letters as the Scottish Government, DfT and others publish them: x not available,
# c confidential, z not applicable, u low reliability.
MISSING_MARKERS = frozenset({"..", "…", "-", "–", "—", "n/a", "na", "n.a.", ":", "*", "#n/a", "x", "c", "z", "u"})

_NUMBER_RE = re.compile(
    r"""^(?P<sign>[+\-\u2212]?)\s*
        (?P<cur>[£$€]?)\s*
        (?P<int>\d{1,3}(?:,\d{3})+|\d+)?
        (?:\.(?P<frac>\d+))?
        \s*(?P<pct>%?)$""",
    re.VERBOSE,
)
_TRAILING_MARKER_RE = re.compile(r"^(?P<num>.*?)\s*(?P<marker>\[[a-z]{1,3}\])$", re.IGNORECASE)


class Cell(NamedTuple):
    """One parsed cell. ``value`` is None for missing; ``error`` says why a cell is not a number."""

    value: float | None
    marker: str | None = None
    percent: bool = False
    decimals: int = 0
    error: str | None = None

    @property
    def missing(self) -> bool:
        return self.value is None and self.error is None


@lru_cache(maxsize=65536)
def parse_cell(raw: str, missing: frozenset[str] = frozenset()) -> Cell:
    """Parse one cell; never raises. ``missing`` adds the project's own markers (lower case)."""
    text = raw.replace("\u00a0", " ").strip()
    if text == "":
        return Cell(None)
    low = text.lower()
    if low in MISSING_MARKERS or low in missing:
        return Cell(None, marker=text)
    if low in GSS_MARKERS:
        return Cell(None, marker=low)
    marker = None
    m = _TRAILING_MARKER_RE.match(text)
    if m:
        if m.group("marker").lower() not in GSS_MARKERS:
            return Cell(None, error=f"unknown marker {m.group('marker')!r}")
        marker = m.group("marker").lower()
        text = m.group("num")
        if text == "":
            return Cell(None, marker=marker)
    n = _NUMBER_RE.match(text)
    if not n or (n.group("int") is None and n.group("frac") is None):
        return Cell(None, marker=marker, error=_why_not_a_number(text))
    digits = (n.group("int") or "0").replace(",", "")
    frac = n.group("frac") or ""
    value = float(f"{digits}.{frac}" if frac else digits)
    if n.group("sign") in ("-", "\u2212"):
        value = -value
    if out_of_range(value):
        return Cell(
            None, marker=marker, error=f"{text[:40]!r}{'…' if len(text) > 40 else ''} is out of range (beyond ±10¹⁵)"
        )
    return Cell(
        value,
        marker=marker,
        percent=bool(n.group("pct")),
        decimals=len(frac),
    )


# The largest magnitude a KPI value may have: far beyond any count, rate or budget, and small enough
# that a sum over a million of them, its changes and its rounding stay finite and exact enough.
MAX_MAGNITUDE = 1e15


def out_of_range(value: float) -> bool:
    return not math.isfinite(value) or abs(value) > MAX_MAGNITUDE


def _why_not_a_number(text: str) -> str:
    low = text.lower()
    if low in {"nan", "inf", "-inf", "+inf", "infinity", "-infinity"}:
        return f"{text!r} is not a figure"
    if "_" in text:
        return f"{text!r} has an underscore; write 1000 or 1,000"
    if re.fullmatch(r"[+\-]?[\d,]+(\.\d+)?%?", text):
        return f"{text!r} has thousands separators in the wrong places"
    return f"{text!r} is not a number"


def round_half_away(value: float, places: int = 1) -> float:
    """Round as spreadsheets do: halves away from zero (2.25 -> 2.3, -2.25 -> -2.3).

    Goes through the shortest decimal text of the float, so 2.675 rounds to 2.68 as a
    person reading "2.675" expects.
    """
    if not math.isfinite(value) or abs(value) >= MAX_MAGNITUDE or float(value).is_integer():
        return value  # nothing to round (and at this size Decimal's precision would not hold it)
    if 0 <= places <= MAX_PLACES:
        # in binary, when the figure is not within a hair of a half: |value| × 10^places differs
        # from its shortest decimal's by under 1e-15 of itself, so both round the same way, and
        # n / 10^places is the float nearest n × 10^-places, as Decimal's answer is (n < 2^53)
        scaled = abs(value) * _POWERS[places]
        if scaled < 1e12:
            whole = math.floor(scaled)
            rest = scaled - whole
            if abs(rest - 0.5) > 1e-12 * max(scaled, 1.0):
                return math.copysign((whole + (rest > 0.5)) / _POWERS[places], value)
    return rounded_decimal(value, places)


MAX_PLACES = 10
_POWERS = [10.0**p for p in range(MAX_PLACES + 1)]


def rounded_decimal(value: float, places: int) -> float:
    """Half away from zero on the shortest decimal text of the float: the rule itself (and the
    answer near a half, where binary cannot tell)."""
    return float(Decimal(repr(value)).quantize(_quantum(places), rounding=ROUND_HALF_UP))


@lru_cache(maxsize=32)
def _quantum(places: int) -> Decimal:
    return Decimal(1).scaleb(-places)


def format_number(value: float | None, places: int = 0, *, thousands: bool = True) -> str:
    """Display text, rounded half away from zero; ``n/a`` for no value."""
    if value is None or not math.isfinite(value):
        return "n/a"
    # a whole number is its own rounding (round_half_away's first answer, without the call)
    return _shown(value if float(value).is_integer() else round_half_away(value, places), places, thousands)


_SPECS = {(p, True): f",.{p}f" for p in range(MAX_PLACES + 1)} | {(p, False): f".{p}f" for p in range(MAX_PLACES + 1)}


def _shown(rounded: float, places: int, thousands: bool = True) -> str:
    if rounded == 0:
        rounded = 0.0  # no "-0.0"
    spec = _SPECS.get((places, thousands))
    if spec is None:
        return f"{rounded:,.{places}f}" if thousands else f"{rounded:.{places}f}"
    return format(rounded, spec)


def format_signed(value: float | None, places: int = 1, suffix: str = "") -> str:
    if value is None or not math.isfinite(value):
        return "n/a"
    rounded = round_half_away(value, places)
    text = _shown(rounded, places)
    if not text.startswith("-") and rounded != 0:
        text = "+" + text
    return text + suffix


# a column at a time: below this many figures numpy's setting up costs more than it saves
_BATCH = 32


class ColumnPlaces:
    """Each figure's places in a column, with what formatting a column of them needs worked out
    once (its format specs, the powers of ten it rounds by): a table's columns of figures share one."""

    __slots__ = ("_scale", "_specs", "batch", "each", "specs")

    def __init__(self, each: Sequence[int]) -> None:
        self.each = list(each)
        kinds = set(self.each)
        self.batch = len(self.each) >= _BATCH and all(0 <= p <= MAX_PLACES for p in kinds)
        uniform = len(kinds) == 1
        self.specs = (
            ([_SPECS[(self.each[0], True)]] * len(self.each) if uniform else [_SPECS[(p, True)] for p in self.each])
            if self.batch
            else []
        )
        self._scale: object = _POWERS[self.each[0]] if uniform and self.batch else None
        self._specs: tuple[Any, Any] | None = None

    def scale(self) -> object:
        """The power of ten each figure is rounded by (one for all, or an array of each's)."""
        if self._scale is None:
            import numpy as np

            self._scale = np.array(_POWERS)[np.array(self.each, dtype=np.int64)]
        return self._scale

    def specs_for(self, rounded: Any) -> list[str]:
        """Each figure's format spec, ``rounded`` (an array of the figures, rounded): without the
        thousands separator where a figure is under 1,000 (none to put; 40% faster to format)."""
        import numpy as np

        if self._specs is None:
            short = [_SPECS[(p, False)] for p in self.each]
            self._specs = (np.array(self.specs, dtype=object), np.array(short, dtype=object))
        grouped, plain = self._specs
        with np.errstate(invalid="ignore"):  # no figure (NaN): either
            under = np.abs(rounded) < 1000
        chosen: list[str] = np.where(under, plain, grouped).tolist()
        return chosen


def _column_places(values: Sequence[float | None], places: int | Sequence[int] | ColumnPlaces) -> ColumnPlaces:
    if isinstance(places, ColumnPlaces):
        return places
    return ColumnPlaces([places] * len(values) if isinstance(places, int) else places)


def format_number_column(
    values: Sequence[float | None],
    places: int | Sequence[int] | ColumnPlaces = 0,
    suffixes: Sequence[str] | None = None,
) -> list[str]:
    """``format_number`` of each (thousands separated), a column at a time: one numpy pass rounds
    them all (binary, exactly as the Decimal rule; beyond 10^12 once scaled, Decimal itself).
    ``places``: one for all, or each figure's own; ``suffixes``: each figure's (``%``), none on ``n/a``."""
    column = _column_places(values, places)
    if not column.batch:
        texts = [format_number(v, p) for v, p in zip(values, column.each, strict=True)]
        if suffixes is None:
            return texts
        return [t if t == "n/a" else t + s for t, s in zip(texts, suffixes, strict=True)]
    rounded, specs = _rounded_column(values, column)
    if suffixes is None:
        return ["n/a" if r != r else format(r, spec) for r, spec in zip(rounded, specs, strict=True)]
    return ["n/a" if r != r else format(r, spec) + s for r, spec, s in zip(rounded, specs, suffixes, strict=True)]


def format_signed_column(
    values: Sequence[float | None],
    places: int | Sequence[int] | ColumnPlaces = 1,
    suffix: str | Sequence[str] = "",
) -> list[str]:
    """``format_signed`` of each, a column at a time (``places``: one for all, or each figure's own;
    ``suffix``: one for all, or each figure's own)."""
    column = _column_places(values, places)
    suffixes = [suffix] * len(column.each) if isinstance(suffix, str) else suffix
    if not column.batch:
        return [format_signed(v, p, s) for v, p, s in zip(values, column.each, suffixes, strict=True)]
    rounded, specs = _rounded_column(values, column)
    return [
        "n/a" if r != r else ("+" if r > 0 else "") + format(r, spec) + s
        for r, spec, s in zip(rounded, specs, suffixes, strict=True)
    ]


def _rounded_column(values: Sequence[float | None], column: ColumnPlaces) -> tuple[list[float], list[str]]:
    """``round_half_away`` of each to its places, as ``format_number`` shows it (NaN for no
    figure, no -0.0), and the spec each is formatted by."""
    import numpy as np

    x = np.array(values, dtype=float)  # None -> NaN
    scale = column.scale()
    places = column.each
    with np.errstate(invalid="ignore", over="ignore"):  # infinities, and figures too large to round
        finite = np.isfinite(x)
        size = np.abs(x)
        to_round = finite & (size < MAX_MAGNITUDE) & (np.floor(x) != x)
        scaled = size * scale
        whole = np.floor(scaled)
        # Decimal's answer on the shortest text, in binary: the figure against the half between
        # ``whole`` and the next (``half``, the float nearest it: whole + 0.5 and 10^places are exact).
        # The figure that is ``half`` has the half's digits for its shortest text (no shorter text
        # is that near it), so it goes away from zero; any other is on the side of the half its
        # shortest text is on (else the half's digits, shorter, would be its text)
        half = (whole + 0.5) / scale
        clear = to_round & (scaled < 1e12)
        out = np.where(clear, np.copysign((whole + (size >= half)) / scale, x), x)
    out[~finite] = np.nan
    for i in np.flatnonzero(to_round & ~clear).tolist():  # beyond 10^12 once scaled: in Decimal
        out[i] = rounded_decimal(float(x[i]), places[i])
    out[out == 0] = 0.0
    rounded: list[float] = out.tolist()
    return rounded, column.specs_for(out)


def decimal_text(value: float, shift: int = 0) -> str:
    """A figure as its shortest decimal reads, its point moved ``shift`` places: 0.021 -> ``0.021``,
    with ``shift=2`` ``2.1`` (never 2.1000000000000001)."""
    return f"{Decimal(repr(value)).scaleb(shift).normalize():f}"


def show_value(value: float | None) -> str:
    """A data value in a message, exactly as given: ``1,234,567``, ``13.7``, ``missing`` (never ``1.2e+06``)."""
    if value is None or not math.isfinite(value):
        return "missing"
    if value == int(value):
        return f"{int(value):,}"
    return f"{value:,.6f}".rstrip("0")
