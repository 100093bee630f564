"""What a report table's column heading means: a period, a total, a change (from what, to what),
an arrow — parsed from the heading alone."""

from __future__ import annotations

import re
from datetime import date

from kpitool.errors import PeriodError
from kpitool.periods import YearStart, is_quarter_end, parse_period, quarter_containing, spelled_date
from kpitool.readers.base import Basis, TableColumn

_PARENS_RE = re.compile(r"\(([^)]*)\)")
_QWORD = r"(?:Quarter|Qtr\.?|Q)\s*"
# "Q1-Q3 2023/24", "Qtr 1 - Qtr 3 2023/24", "Quarter 1-3 2023/24"
_QRANGE_RE = re.compile(rf"{_QWORD}([1-4])\s*(?:[-–]|to)\s*(?:{_QWORD})?([1-4])\s+(.+)$", re.IGNORECASE)
_QEND_RE = re.compile(r"^Q([1-4])\s+end\b.*?(\d{1,2})/(\d{1,2})/(\d{2,4})", re.IGNORECASE)
_STATUS_RE = re.compile(
    r"(rag|rag status|rag rating|status|target met\??|met\??|achieved\??|on track\??|(performance )?against target)"
)
_TARGET_RE = re.compile(r"((annual|year[- ]end|quarterly) )?target\b(?! met)")
# what a change is in, in parentheses ("(%)", "(number)"): no period it runs from
_UNIT_RE = re.compile(r"\s*(number|no\.?|count|%|per ?cent|percentage( points)?|pp)\s*", re.IGNORECASE)
_BASIS_RE = re.compile(r"^(?:from\s+)?(?P<a>.+?)(?:\s+to\s+(?P<b>.+))?$", re.IGNORECASE)
# a heading that tries to be a period: a quarter's word, a year, a year to date
_PERIODISH_RE = re.compile(
    r"\b(?:q|qtr|quarter)\.?\s*[1-4]\b|\b(?:qtr|quarter|fy|ytd)\b|\byear[\s-]+to[\s-]+date\b"
    r"|\b(?:19|20)\d{2}\b|\b\d{2}\s*[/\-–]\s*\d{2}\b",
    re.IGNORECASE,
)
YEAR_TO_DATE_RE = re.compile(r"\byear[\s-]+to[\s-]+date\b", re.IGNORECASE)


# a column of targets: "Target", "Target %", "Target (%)", "Annual target 2023/24"
_TARGET_COLUMN_RE = re.compile(r"^(?:(?:annual|year[- ]end|quarterly)\s+)?target\b(?P<rest>.*)$", re.IGNORECASE)
_TARGET_UNIT_RE = re.compile(r"[()%:\-–]|\bper\s?cent\b|\bpercentage\b|\bfor\b", re.IGNORECASE)


def is_target_heading(heading: str, year_start: YearStart = "april") -> bool:
    """A heading of a column of targets (``Target``, ``Target %``, ``Target (%)``, ``Annual target
    2023/24``): a target, with at most its unit and its year, not a measure that names one (``Target
    hardening visits``, ``Target met?``)."""
    m = _TARGET_COLUMN_RE.match(" ".join(heading.split()))
    if m is None:
        return False
    rest = " ".join(_TARGET_UNIT_RE.sub(" ", m.group("rest")).split())
    if not rest:
        return True
    try:
        parse_period(rest, year_start)
    except PeriodError:
        return False
    return True


def looks_like_period(heading: str) -> bool:
    """A heading that names (or tries to name) a period: ``Quarter 3 2023/24``, ``FY 2023/25``."""
    return bool(_PERIODISH_RE.search(heading))


def parse_header(text: str, year_start: YearStart = "april") -> TableColumn:
    """What a report table's column heading means. The index is filled in by the caller."""
    raw = " ".join(text.replace("\u00a0", " ").split())
    low = raw.lower()
    parens = _PARENS_RE.findall(raw)
    if _STATUS_RE.fullmatch(low):  # "RAG", "Target met?", "Status": met or not, checked against the target
        return TableColumn(0, raw, "status")
    if _TARGET_RE.match(low):  # "Target", "Annual target 2023/24"
        return TableColumn(0, raw, "target")
    if "direction" in low or "dot" == low:
        basis = parens[0] if parens else "baseline"
        frm, _to = _basis(basis, year_start)
        return TableColumn(0, raw, "direction", basis_from=frm or "baseline")
    if "%" in low or "change" in low:
        # "Change", "Change (number)", "12 month change": a change in the measure's own units,
        # unless the heading (or, later, the cell) says per cent
        absolute = not re.search(r"%|per\s?cent|percentage", low)
        basis_text = next((p for p in parens if not _UNIT_RE.fullmatch(p)), None)
        frm, to = _basis(basis_text, year_start) if basis_text else (_span(raw, year_start) or ("baseline", None))
        return TableColumn(0, raw, "change", basis_from=frm or "baseline", basis_to=to, absolute=absolute)
    m = _QEND_RE.match(raw)
    if m:
        y = int(m.group(4))
        y = y + 2000 if y < 100 else y
        try:
            day = date(y, int(m.group(3)), int(m.group(2)))
        except ValueError:
            return TableColumn(0, raw, "ignored")
        period = quarter_containing(day, year_start)
        return TableColumn(0, raw, "period", period=period, stock=True)
    count_date = quarter_end(raw)
    if count_date is not None:  # "30/06/2023", "2023-06-30", "As at 31 March 2019": a stock at a quarter's end
        return TableColumn(0, raw, "period", period=quarter_containing(count_date, year_start), stock=True)
    # "Year to date", "Year-to-date", "YTD": one word, a total of the year's quarters so far
    core = YEAR_TO_DATE_RE.sub(" YTD ", _PARENS_RE.sub(" ", raw))
    words = core.split()
    baseline = any(w.lower() == "baseline" for w in words)
    total = any(w.lower() in ("total", "ytd") for w in words)
    core = " ".join(w for w in words if w.lower() not in ("baseline", "total", "ytd"))
    if total and not core:
        return TableColumn(0, raw, "total")  # the year is the table's current year (resolved later)
    m = _QRANGE_RE.match(core)
    quarters: list[int] = []
    if m:
        q1, q2 = int(m.group(1)), int(m.group(2))
        quarters = list(range(q1, q2 + 1))
        core = m.group(3)
    try:
        period = parse_period(core, year_start)
    except PeriodError as exc:
        return TableColumn(0, raw, "ignored", reason=str(exc))
    if m:
        if period.quarter is not None:
            return TableColumn(0, raw, "ignored")
        if quarters != [1, 2, 3, 4]:
            return TableColumn(0, raw, "total", period=period, quarters=quarters, baseline=baseline)
    if total:
        return TableColumn(0, raw, "total", period=period.year_period(), quarters=[1, 2, 3, 4], baseline=baseline)
    return TableColumn(0, raw, "period", period=period, baseline=baseline)


def _span(text: str, year_start: YearStart) -> tuple[Basis, Basis] | None:
    """The two periods of "… Sep-18 to Sep-19 …" outside parentheses (each of one to three words:
    "Quarter 1 2023/24"), or the one of "… from 2022" (to the table's current period)."""
    words = _PARENS_RE.sub(" ", text).split()
    if "to" not in (w.lower() for w in words):
        for i, word in enumerate(words[:-1]):
            if word.lower() != "from":
                continue
            for a in (3, 2, 1):
                try:
                    return parse_period(" ".join(words[i + 1 : i + 1 + a]), year_start), None
                except PeriodError:
                    continue
        return None
    for i, word in enumerate(words):
        if word.lower() != "to":
            continue
        for a in (3, 2, 1):
            for b in (3, 2, 1):
                if i - a < 0 or i + b >= len(words):
                    continue
                try:
                    frm = parse_period(" ".join(words[i - a : i]), year_start)
                    to = parse_period(" ".join(words[i + 1 : i + 1 + b]), year_start)
                except PeriodError:
                    continue
                return frm, to
    return None


def quarter_end(text: str) -> date | None:
    """The date a heading names, when it is the last day of a quarter (a stock's count date)."""
    day = spelled_date(text)
    return day if day is not None and is_quarter_end(day) else None


def _basis(text: str, year_start: YearStart) -> tuple[Basis, Basis]:
    m = _BASIS_RE.match(text.strip())
    if not m:
        return None, None

    def one(part: str | None) -> Basis:
        if not part:
            return None
        part = part.strip()
        if part.lower() == "baseline":
            return "baseline"
        if part.lower().endswith("baseline"):
            part = part[: -len("baseline")].strip()
        try:
            return parse_period(part, year_start)
        except PeriodError:
            return "baseline" if "baseline" in part.lower() else None

    return one(m.group("a")), one(m.group("b"))
