"""A report table turned the other way: a row per period, a column per measure.

``30 September 2006 | 141,385.14 | 74,609.99 | …`` under ``| Police officers | Police staff | …``:
the first column's cells are all periods, and no heading is one. Each heading is a measure,
each row its value for the row's period. Nothing is reported in such a table (no totals or
changes), so it makes observations only.
"""

from __future__ import annotations

import re

from kpitool.codes import Code
from kpitool.models import Finding, column_letter
from kpitool.numbers import parse_cell
from kpitool.periods import Period, read_period_column
from kpitool.readers.base import ReadOptions, unread_column
from kpitool.readers.columns import DERIVED_NOT_READ, TARGET_NOT_READ, derived
from kpitool.readers.headings import is_target_heading, parse_header

FOOTNOTE_RE = re.compile(r"^(.*\b(?:19|20|21)\d\d)(\d{1,2})$")  # "… 2012" and a footnote's "2"

Observed = tuple[str, str, str, float | None, str | None, bool, bool, int, int, int]


def periods_in_rows(
    block: list[tuple[int, list[str]]], section: str, name: str, options: ReadOptions, file_index: int
) -> tuple[list[Observed], dict[str, Period], list[Finding]] | None:
    """The observations of a table whose rows are periods, or None when it is not one (a heading is
    a period, fewer than two rows, or a row's first cell is not a period)."""
    header_line, header = block[0]
    heads = [(i, h.strip()) for i, h in enumerate(header) if i > 0 and h.strip()]
    if not heads or any(parse_header(h, options.year_start).role == "period" for _, h in heads):
        return None
    # a published change or arrow ("% change"), or a target, is no measure: said below
    left_out = {
        i: DERIVED_NOT_READ if derived(h) else TARGET_NOT_READ
        for i, h in heads
        if derived(h) or is_target_heading(h, options.year_start)
    }
    targets = [(i, h) for i, h in heads if i in left_out]
    heads = [(i, h) for i, h in heads if i not in left_out]
    if not heads:
        return None
    rows = [(line, record) for line, record in block[1:] if record and record[0].strip()]
    if len(rows) < 2:
        return None
    texts = [record[0].strip() for _, record in rows]
    column = read_period_column(texts, options.year_start, header[0].strip())
    # a footnote's number run into a year when a superscript is flattened ("30 September 20122")
    notes = {t: m.group(1) for t in texts if t not in column.periods and (m := FOOTNOTE_RE.match(t))}
    if notes:
        texts = [notes.get(t, t) for t in texts]
        column = read_period_column(texts, options.year_start, header[0].strip())
    if any(t not in column.periods for t in texts):
        return None
    findings = [
        Finding(
            code=Code.LAYOUT,
            file=name,
            row=line,
            column=1,
            actual=record[0].strip(),
            message=f"{record[0].strip()!r} read as {notes[record[0].strip()]!r}: the year, and after it a"
            f" footnote's number ({record[0].strip()[len(notes[record[0].strip()]) :]})",
        )
        for line, record in rows
        if record[0].strip() in notes
    ]
    findings[:0] = [
        Finding(
            code=Code.LAYOUT,
            file=name,
            row=header_line,
            message=f"rows {header_line}–{rows[-1][0]}: a row per period ({texts[0]!r} …) and a column per measure"
            f" ({', '.join(repr(h) for _, h in heads[:3])}{' …' if len(heads) > 3 else ''}); read so",
        )
    ]
    observed: list[Observed] = []
    for (line, record), text in zip(rows, texts, strict=True):
        period = column.periods[text]
        stock = text in column.count_dates
        for i, heading in heads:
            raw = record[i] if i < len(record) else ""
            cell = parse_cell(raw, options.missing)
            if cell.error:
                findings.append(
                    Finding(
                        code=Code.NOT_A_NUMBER,
                        file=name,
                        row=line,
                        column=i + 1,
                        column_name=heading,
                        measure=heading,
                        period=period.label,
                        actual=raw,
                        message=cell.error,
                    )
                )
                continue
            observed.append(
                (section, heading, period.label, cell.value, cell.marker, cell.percent, stock, line, i + 1, file_index)
            )
    for i, heading in heads:
        if not any(o[8] == i + 1 for o in observed) and not any(f.column == i + 1 for f in findings):
            why = f"column {column_letter(i + 1)} ({heading!r}) has no figures; it was not read"
            findings.append(unread_column(name, header_line, i + 1, heading, why))
    findings += [
        unread_column(name, header_line, i + 1, heading, f"column {heading!r} is not read ({left_out[i]})")
        for i, heading in targets
    ]
    return observed, {p.label: p for p in column.periods.values()}, findings
