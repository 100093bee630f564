"""What a comparison says of itself: the notes under its table (its baseline, its methods' rules,
the rows with nothing to compare) and, when there is no table, why not, in the user's terms."""

from __future__ import annotations

from collections.abc import Sequence

from kpitool.models import CompareOptions
from kpitool.periods import Period
from kpitool.readers import Observations
from kpitool.rows import Rows
from kpitool.series import Row


def unmade_notes(unmade: list[Row], observations: Observations, base: Period, current: Period) -> list[str]:
    """The rows left out for want of any figure, named, so that none is simply absent from the
    table: those whose cells are markers (``..``, ``[x]``: a force whose every cell is ``..``), and
    those with figures for other periods only (NRS's 5-year average, none yet for 2020 or 2021)."""
    if not unmade:
        return []
    frame = observations.frame
    marked = frame[frame["marker"].notna()]
    keys = set(zip(marked["section"].astype(str), marked["measure"].astype(str), strict=True))
    markers: list[str] = []
    others: list[str] = []
    for row in unmade:
        name = f"{row.name} ({row.area or row.section})" if (row.area or row.section) else row.name
        (markers if any(key in keys for part in row.parts for key in part.keys) else others).append(name)
    out = []
    if markers:
        out.append(
            f"Not compared, with no figure for either period (their cells are markers such as ..): {_listed(markers)}."
        )
    if others:
        out.append(f"Not compared, with figures for other periods but none for {base} or {current}: {_listed(others)}.")
    return out


def _listed(names: list[str], shown: int = 12) -> str:
    return ", ".join(names[:shown]) + (f" and {len(names) - shown} more" if len(names) > shown else "")


def nothing_to_compare(planned: Sequence[Row], options: CompareOptions, current: Period, periods: list[Period]) -> str:
    """Why no row was made, in the user's terms: a --measure or --section the data do not have (and
    the nearest it has), or a current period of a kind the data are not in."""
    import difflib

    for flag, wanted, have in (
        ("--measure", options.measures, sorted({r.name for r in planned})),
        ("--section", options.sections, sorted({s for r in planned for s in (r.section, r.area) if s})),
    ):
        lower = {h.lower() for h in have}
        for w in wanted:
            if w.lower() not in lower:
                near = difflib.get_close_matches(w, have, n=1, cutoff=0.6)
                hint = f"did you mean {near[0]!r}? " if near else ""
                return f"{flag} {w!r}: no such {flag[2:]} in the data ({hint}they have {_named(have)})"
    if options.measures or options.sections:
        return "no measure has data for the sections and measures asked for"
    kinds = sorted({p.kind for p in periods})
    spans = f"{periods[0]} to {periods[-1]}" if len(periods) > 1 else f"{periods[0]}"
    hint = ""
    if current.is_month and "month" not in kinds and "quarter" in kinds:
        hint = f'; {current} is in the quarter {current.quarter_period()}: try --current "{current.quarter_period()}"'
    return f"no measure has data for {current}: the data's periods are {' and '.join(k + 's' for k in kinds)}, {spans}{hint}"


def _named(names: list[str], most: int = 8) -> str:
    shown = ", ".join(repr(n) for n in names[:most])
    return shown + (f" and {len(names) - most} more" if len(names) > most else "")


def listed(periods: Sequence[Period]) -> str:
    return ", ".join(p.label for p in periods)


def _baseline_kind(rows: Rows, base: Period) -> str:
    """What the baseline year stands for in the rows: the full year, or the quarters the current year
    has (like for like), or each row's own (its basis says which)."""
    if not base.is_year:
        return ""
    bases = {
        basis
        for value, basis, period in zip(rows.baseline_value, rows.baseline_basis, rows.baseline_period, strict=True)
        if value is not None and basis and period == str(base)
    }
    # "2022/23", "Q1–Q4 2022/23", "2022/23 (year figure)", and a stock's "Q4 2022/23" (its year's end)
    whole = {b for b in bases if b in (str(base), f"Q1–Q4 {base}", f"Q4 {base}") or b.startswith(f"{base} (")}
    if not bases or whole == bases:
        return " (full year)"
    if not whole:
        return " (like for like: the quarters of it the current year has)"
    return " (the full year, or the quarters of it the current year has: each row's basis says which)"


def method_notes(rows: Rows, base: Period, year: Period, band: float, confidence: float) -> list[str]:
    notes = [f"Baseline: {base}{_baseline_kind(rows, base)}; current {'year' if year.is_year else 'period'}: {year}."]
    drawn = set(rows.method)
    if "band" in drawn:
        notes.append(
            f"Direction{' (band)' if len(drawn) > 1 else ''}: ↔ when the change is within ±{band:g}% (percentage"
            " points for percent measures), edges included; otherwise ↑ or ↓."
        )
    if "significance" in drawn:
        notes.append(
            f"Direction (significance): ↑ or ↓ only when the change is significant at {confidence:g}% — an exact"
            " test of two counts (Poisson), or Newcombe's score interval for two proportions —"
            " otherwise ↔, however large the change looks."
        )
    if "spc" in drawn:
        notes.append(
            "Direction (SPC): the latest point of an XmR chart of the measure's own series (NHS Making Data"
            " Count rules: a point beyond a limit, a run of 7 on one side of the mean, a trend of 7, two of"
            " three beyond 2σ); ↑ or ↓ for special-cause variation, ↔ for common cause."
        )
    notes.append("Figures are rounded half away from zero for display; changes are computed at full precision.")
    own: dict[str, list[str]] = {}
    for period, inferred, measure in zip(rows.baseline_period, rows.inferred, rows.measure, strict=True):
        if period and period != base.label and not inferred:
            own.setdefault(period, []).append(measure)
    for period, names in own.items():
        notes.append(f"Baseline {period}, as the catalogue sets it, for: {', '.join(names)}.")
    return notes
