"""A report's layout: tables split at blank rows; title, note and source rows around them; two
header rows read as one."""

from __future__ import annotations

import csv
import re

from kpitool.codes import Code
from kpitool.models import Finding
from kpitool.numbers import parse_cell
from kpitool.periods import YearStart
from kpitool.readers.headings import parse_header

# a row that ends a table: its source, notes and footnotes follow it
_END_RE = re.compile(r"^\s*(source|sources|notes?|footnotes?|\(\d+\)|\[\d+\]|\*)\b", re.IGNORECASE)


MAX_HEADING_ROWS = 6  # a block of more rows than this is never taken for subtitles or headings


def _filled(record: list[str]) -> int:
    return sum(1 for cell in record if cell.strip())


def _text_row(record: list[str], year_start: YearStart) -> bool:
    """A row of texts, none a number or a period: a subtitle (two or more texts), or headings over a
    header (its first cell empty)."""
    cells = [c for c in record if c.strip()]
    return (
        (len(cells) >= 2 or (len(cells) == 1 and not record[0].strip()))
        and all(parse_cell(c).value is None for c in cells)
        and not any(parse_header(c, year_start).role == "period" for c in record[1:] if c.strip())
    )


def blocks(
    records: list[tuple[int, list[str]]], name: str, findings: list[Finding], year_start: YearStart = "april"
) -> list[tuple[str, list[tuple[int, list[str]]], str]]:
    """Tables split at blank rows, each with the title above it and the texts of the title and subtitle
    rows skipped over it; title and note rows are skipped.

    A row of texts alone between blank rows is a subtitle (``England and Wales … Full-time
    equivalents``) when its first cell is filled, and headings over the next table's header when it
    is empty (``As at:``, ``Change in 12 months``), read with that header as two header rows."""
    blocks: list[list[tuple[int, list[str]]]] = []
    current: list[tuple[int, list[str]]] = []
    for line, record in records:
        if not any(cell.strip() for cell in record):
            if current:
                blocks.append(current)
                current = []
            continue
        current.append((line, record))
    if current:
        blocks.append(current)
    out: list[tuple[str, list[tuple[int, list[str]]], str]] = []
    title = ""
    above: list[str] = []  # the texts of the title and subtitle rows skipped over the next table

    def words(rows: list[tuple[int, list[str]]]) -> None:
        above.extend(c.strip() for _, r in rows for c in r if c.strip())

    over: tuple[int, list[str]] | None = None  # headings over the next table's header, a blank row between
    for k, block in enumerate(blocks):
        if over is not None:
            block, over = [over, *block], None
        # subtitles and headings are a few rows: a long block is a table (and is not parsed twice)
        wordy = [_text_row(r, year_start) for _, r in block] if len(block) <= MAX_HEADING_ROWS else [False]
        # a table follows, and this ends in headings or is one row (else it is a table of words)
        heading_last = k + 1 < len(blocks) and (len(block) == 1 or not block[-1][1][0].strip())
        if (
            any(wordy)
            and heading_last
            and all(t or (_filled(r) == 1 and r[0].strip()) for t, (_, r) in zip(wordy, block, strict=True))
        ):
            if wordy[-1] and not block[-1][1][0].strip():
                over, block = block[-1], block[:-1]
            if block:
                title = title or next((r[0].strip() for _, r in block if r[0].strip()), "")
                words(block)
                _skipped(findings, name, block[0][0], block[-1][0], "a subtitle or note above the table")
            continue
        lead = 0  # title, subtitle and note rows above the header: one filled cell, the first
        while lead < len(block) and _filled(block[lead][1]) == 1 and block[lead][1][0].strip():
            lead += 1
        # a subtitle of texts ("England and Wales … Full-time equivalents") right over a header whose
        # first cell is empty
        while (
            lead + 2 < len(block)
            and block[lead][1][0].strip()
            and not block[lead + 1][1][0].strip()
            and _text_row(block[lead][1], year_start)
            and _text_row(block[lead + 1][1], year_start)
        ):
            lead += 1
        if lead:
            texts = [block[i][1][0].strip() for i in range(lead)]
            if lead == len(block):  # a block of titles or notes only: the next table's title, or footnotes
                notes = any(_END_RE.match(t) for t in texts)
                if not notes:
                    title = texts[0]
                what = "notes or footnotes, not a table" if notes else "the title of the table below (its section)"
                if not notes:
                    words(block)
                _skipped(findings, name, block[0][0], block[-1][0], what)
                continue
            words(block[:lead])
            if title and _filled(block[0][1]) > 1:  # a subtitle of texts leaves the title above it
                _skipped(findings, name, block[0][0], block[lead - 1][0], "a subtitle or note above the table")
            else:
                title = texts[0]
                what = "a title or note above the table (its section)"
                _skipped(findings, name, block[0][0], block[lead - 1][0], what)
        body = block[lead:]
        for i, (line, record) in enumerate(body[1:], start=1):
            first = next((c for c in record if c.strip()), "")
            if _END_RE.match(first) and _filled(record) == 1:  # "Source: Home Office", in any column
                _skipped(findings, name, line, body[-1][0], "a source or note row, which ends the table")
                body = body[:i]
                break
        out.append((title, body, " ".join(above)))
        title, above = "", []
    if over is not None:
        _skipped(findings, name, over[0], over[0], "headings with no table under them")
    return out


MAX_TITLE_ROWS = 30  # title and note rows above a file of rows: no more than this


def header_below_titles(rows: list[list[str]]) -> int:
    """The index of a file of rows' header under its title and note rows, or 0 when the first filled
    row is the header (or no header is found in the first ``MAX_TITLE_ROWS`` rows).

    The header is the first row of three or more filled cells. The rows above it are titles and
    notes when each fills one cell (``Table 1: A&E attendances``), or two (``Period:`` ``April
    2025``) with a blank row between them and the header."""
    above = 0  # filled rows above
    widest = 0
    gap = False
    for i, record in enumerate(rows[: MAX_TITLE_ROWS + 1]):
        filled = _filled(record)
        if filled == 0:
            gap = above > 0
            continue
        if filled >= 3:
            return i if above and (widest == 1 or (widest == 2 and gap)) else 0
        above, widest, gap = above + 1, max(widest, filled), False
    return 0


def skipped_above(name: str, first: int, last: int) -> Finding:
    """What says that the rows above a file of rows' header were read as its title and notes."""
    said: list[Finding] = []
    _skipped(said, name, first, last, "a title or note above the table")
    return said[0]


_FOOTNOTE_RE = re.compile(r"^\d{1,2}[.)]\s+\S")  # "1. 12 hour figures …", at a file of rows' end
NOTES_TAIL = 1 << 16  # the bytes at a file's end searched for its source and note rows


def notes_at_end(buf: bytes, delimiter: str, after: int, name: str, findings: list[Finding]) -> bytes:
    """A file of rows with its source and note rows at the end (``Source: NHS England``, ``(1)
    Provisional``) blanked, keeping their lines, and said; ``buf`` unchanged when it has none.

    Notes are the last rows: the first starts with a source or note word (as a report table's end),
    and each after it is one cell, or starts so too (``Source: Home Office, Police workforce``,
    its comma unquoted), or is blank (a row of empty cells, as a sheet saves one); none starts
    before byte ``after`` (the header's end)."""
    start = buf.rfind(b"\n", 0, max(0, len(buf) - NOTES_TAIL)) + 1  # a whole line
    start = max(start, after)
    lines = buf[start:].split(b"\n")

    def cells(line: bytes) -> list[str]:
        text = line.decode("utf-8", errors="replace").rstrip("\r")
        try:
            return [c.strip() for c in next(csv.reader([text], delimiter=delimiter), []) if c.strip()]
        except csv.Error:  # a stray carriage return or quote: no note
            return ["", ""]

    def note(line: bytes) -> bool:
        filled = cells(line)
        return bool(filled) and bool(_END_RE.match(filled[0]) or _FOOTNOTE_RE.match(filled[0]))

    end = len(lines) - 1
    while end >= 0 and not cells(lines[end]):
        end -= 1
    first, top = end, None  # the topmost line that starts a note
    while first >= 1 and (len(filled := cells(lines[first])) <= 1 or note(lines[first])):
        if filled and note(lines[first]):
            top = first
        first -= 1  # the tail's first line may be the header's rest: never a note
    if top is None:
        return buf
    line = buf.count(b"\n", 0, start) + top + 1
    _skipped(findings, name, line, line + end - top, "a source or note row, which ends the table")
    return buf[:start] + b"\n".join([*lines[:top], *([b""] * (end - top + 1)), *lines[end + 1 :]])


def _skipped(findings: list[Finding], name: str, first: int, last: int, what: str) -> None:
    rows = f"row {first}" if first == last else f"rows {first}–{last}"
    findings.append(Finding(code=Code.LAYOUT, file=name, row=first, message=f"{rows}: {what}; skipped"))


def _whole_heading(heading: str, year_start: YearStart) -> bool:
    """A heading that says all it means without the label over it: a total of a period (``2023
    total``), or a change between periods of its own (``% change 2022 to 2023``); not ``%`` or
    ``number`` under ``Change in 12 months``."""
    col = parse_header(heading, year_start)
    if col.role == "total":
        return col.period is not None
    return col.role == "change" and (col.basis_from != "baseline" or col.basis_to is not None)


def combined_header(
    block: list[tuple[int, list[str]]], name: str, findings: list[Finding], year_start: YearStart
) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """One header from two rows where the second names quarters or months under a year row's labels.

    A label over the first of its columns (what a merged cell leaves after "Save as CSV") applies
    to the columns after it until the next label.
    """
    header_line, header = block[0]
    if len(block) < 2:
        return header, block[1:]
    line, below = block[1]
    if (
        below[0].strip()
        or not any(c.strip() for c in below[1:])
        or any(parse_cell(c).value is not None for c in below[1:])
    ):
        return header, block[1:]

    def period(heading: str) -> bool:
        return bool(heading.strip()) and parse_header(heading, year_start).role == "period"

    def periods(
        heads: list[str],
    ) -> int:  # distinct: "2017" over each of its quarters (merged cells unmerged and filled) is one
        return len({parse_header(h, year_start).period for h in heads[1:] if period(h)})

    combined = [header[0]]
    label = ""
    for i in range(1, max(len(header), len(below))):
        upper = header[i].strip() if i < len(header) else ""
        lower = below[i].strip() if i < len(below) else ""
        label = upper or label
        if not lower:
            combined.append(upper)
        elif period(f"{lower} {label}") or not label:  # "January to March" under "2017"
            combined.append(f"{lower} {label}".strip())
        elif period(lower) or _whole_heading(lower, year_start):  # a date under "As at:"; "2023 total"
            combined.append(lower)
        else:  # "number" and "%" under "Change in 12 months Sep-18 to Sep-19"
            combined.append(f"{label} {lower}")

    if periods(combined) <= periods(header):  # the second row adds no periods: it is data, not a header
        return header, block[1:]
    findings.append(
        Finding(
            code=Code.LAYOUT,
            file=name,
            row=header_line,
            message=f"rows {header_line}–{line}: two header rows, read as one (e.g. {combined[1]!r})",
        )
    )
    return combined, block[2:]
