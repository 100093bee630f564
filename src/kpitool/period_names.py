"""The one period a file's or a sheet's name spells (``April-2025-AE.csv``, ``AE_2025_04.csv``,
``book.xlsx[April 2025]``), for files that have no period column."""

from __future__ import annotations

import re

from kpitool.errors import PeriodError
from kpitool.periods import MONTHS, Period, YearStart, parse_period

_NAME_SPLIT_RE = re.compile(r"[\s_.,()\[\]]+|(?<=[A-Za-z])-|-(?=[A-Za-z])")
_QUARTER_WORD_RE = re.compile(r"q[1-4]|(?:qtr|quarter)[1-4]?", re.IGNORECASE)  # "Q1", "Qtr", "Quarter1"


def period_in_name(name: str, year_start: YearStart = "april") -> tuple[str, Period] | None:
    """The one period a file's name spells (``April-2025-AE.csv``, ``calls_2025-04.csv``,
    ``AE_2025_04.csv``, ``kpis 2023-24 Q4.xlsx``): the words that spell it, and the period.

    None unless the name spells exactly one: a name of two periods (``Jan 2030 Apr 2031``), or with a
    month or quarter word beside a spelling that leaves it out (``kpis 2031 Q1``, ``kpis Quarter 1 2031`` in a project of
    financial years, where a calendar quarter is ambiguous), names none kpitool could rely on. A
    month's name apart from its year (``April-AE-2025``) is that month."""
    stem = re.sub(r"\[[^\]]*\]$", "", name.replace("\\", "/").rsplit("/", 1)[-1])
    stem = stem.rsplit(".", 1)[0] if "." in stem else stem
    words = [w for w in _NAME_SPLIT_RE.split(stem) if w]
    spans: list[tuple[int, int, str, Period]] = []  # the longest spellings, none inside another
    for size in range(min(len(words), 6), 0, -1):  # "12 months ending 30 June 2031" is five words
        for i in range(len(words) - size + 1):
            chunk = words[i : i + size]
            if any(a <= i and i + size <= b for a, b, _, _ in spans) or not any(c.isdigit() for c in "".join(chunk)):
                continue
            for text in dict.fromkeys((" ".join(chunk), "-".join(chunk))):  # "2025 04" as "2025-04"
                try:
                    spans.append((i, i + size, text, parse_period(text, year_start)))
                    break
                except PeriodError:
                    continue
    if len({p.label for _, _, _, p in spans}) != 1:
        return None
    start, end, text, period = spans[0]
    stray = [
        w
        for k, w in enumerate(words)
        if not start <= k < end and (w.lower() in MONTHS or _QUARTER_WORD_RE.fullmatch(w))
    ]
    if not stray:
        return text, period
    if len(stray) == 1 and stray[0].lower() in MONTHS and period.is_year and re.fullmatch(r"\d{4}", text):
        return f"{stray[0]} {text}", parse_period(f"{stray[0]} {text}", year_start)
    return None
