"""Wide files and report tables: a column per period, several tables a file, reported figures.

Report tables are small, so they go through the standard ``csv`` module in strict mode.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date

from kpitool.codes import Code
from kpitool.errors import PeriodError
from kpitool.models import Finding, ReportedFigure, column_letter
from kpitool.numbers import Cell, parse_cell
from kpitool.periods import (
    YearStart,
    is_quarter_end,
    parse_period,
    quarter_containing,
    read_period_column,
    spelled_date,
)
from kpitool.readers.base import (
    FRAME_COLUMNS,
    Basis,
    DataFile,
    ReadOptions,
    Table,
    TableColumn,
    TableRow,
    _dtype,
    ambiguous_period,
    broken_quote,
    empty_file,
    ragged_row,
)

_PARENS_RE = re.compile(r"\(([^)]*)\)")
_QRANGE_RE = re.compile(r"Q([1-4])\s*[-–]\s*Q([1-4])\s+(.+)$", re.IGNORECASE)
_QEND_RE = re.compile(r"^Q([1-4])\s+end\b.*?(\d{1,2})/(\d{1,2})/(\d{2,4})", re.IGNORECASE)
_STATUS_RE = re.compile(
    r"(rag|rag status|rag rating|status|target met\??|met\??|achieved\??|on track\??|(performance )?against target)"
)
_TARGET_RE = re.compile(r"((annual|year[- ]end|quarterly) )?target\b(?! met)")
_BASIS_RE = re.compile(r"^(?:from\s+)?(?P<a>.+?)(?:\s+to\s+(?P<b>.+))?$", re.IGNORECASE)


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
        basis_text = next((p for p in parens if not re.fullmatch(r"\s*(number|no\.?|count)\s*", p, re.I)), None)
        frm, to = _basis(basis_text, year_start) if basis_text else ("baseline", None)
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
    core = _PARENS_RE.sub(" ", raw)
    words = core.split()
    baseline = any(w.lower() == "baseline" for w in words)
    total = any(w.lower() in ("total", "ytd", "year-to-date") for w in words)
    core = " ".join(w for w in words if w.lower() not in ("baseline", "total", "ytd", "year-to-date"))
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
    except PeriodError:
        return TableColumn(0, raw, "ignored")
    if m:
        if period.quarter is not None:
            return TableColumn(0, raw, "ignored")
        if quarters != [1, 2, 3, 4]:
            return TableColumn(0, raw, "total", period=period, quarters=quarters, baseline=baseline)
    if total:
        return TableColumn(0, raw, "total", period=period.year_period(), quarters=[1, 2, 3, 4], baseline=baseline)
    return TableColumn(0, raw, "period", period=period, baseline=baseline)


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


def _read_wide(text: str, delimiter: str, name: str, options: ReadOptions, file_index: int) -> DataFile:
    records, findings = text_records(text, delimiter, name)
    return read_records(records, name, options, file_index, findings)


def text_records(text: str, delimiter: str, name: str) -> tuple[list[tuple[int, list[str]]], list[Finding]]:
    """The delimited text's records with the line each starts on; a broken quote is a finding."""
    findings: list[Finding] = []
    records: list[tuple[int, list[str]]] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    last_line = 0
    while True:
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            line = last_line + 1
            findings.append(broken_quote(name, line, str(exc)))
            last_line = reader.line_num
            continue
        records.append((last_line + 1, record))
        last_line = reader.line_num
    return records, findings


# a row that ends a table: its source, notes and footnotes follow it
_END_RE = re.compile(r"^\s*(source|sources|notes?|footnotes?|\(\d+\)|\[\d+\]|\*)\b", re.IGNORECASE)


def _filled(record: list[str]) -> int:
    return sum(1 for cell in record if cell.strip())


def _blocks(
    records: list[tuple[int, list[str]]], name: str, findings: list[Finding]
) -> list[tuple[str, list[tuple[int, list[str]]]]]:
    """Tables split at blank rows, each with the title above it; title and note rows are skipped."""
    blocks: list[list[tuple[int, list[str]]]] = []
    current: list[tuple[int, list[str]]] = []
    for line, record in records:
        if not _filled(record):
            if current:
                blocks.append(current)
                current = []
            continue
        current.append((line, record))
    if current:
        blocks.append(current)
    out: list[tuple[str, list[tuple[int, list[str]]]]] = []
    title = ""
    for block in blocks:
        lead = 0  # title, subtitle and note rows above the header: one filled cell, the first
        while lead < len(block) and _filled(block[lead][1]) == 1 and block[lead][1][0].strip():
            lead += 1
        if lead:
            texts = [block[i][1][0].strip() for i in range(lead)]
            if lead == len(block):  # a block of titles or notes only: the next table's title, or footnotes
                notes = any(_END_RE.match(t) for t in texts)
                if not notes:
                    title = texts[0]
                what = "notes or footnotes, not a table" if notes else "the title of the table below (its section)"
                _skipped(findings, name, block[0][0], block[-1][0], what)
                continue
            title = texts[0]
            _skipped(findings, name, block[0][0], block[lead - 1][0], "a title or note above the table (its section)")
        body = block[lead:]
        for i, (line, record) in enumerate(body[1:], start=1):
            if _END_RE.match(record[0]) and _filled(record) == 1:
                _skipped(findings, name, line, body[-1][0], "a source or note row, which ends the table")
                body = body[:i]
                break
        out.append((title, body))
        title = ""
    return out


def _skipped(findings: list[Finding], name: str, first: int, last: int, what: str) -> None:
    rows = f"row {first}" if first == last else f"rows {first}–{last}"
    findings.append(Finding(code=Code.LAYOUT, file=name, row=first, message=f"{rows}: {what}; skipped"))


def _combined_header(
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
    combined = [header[0]]
    label = ""
    for i in range(1, max(len(header), len(below))):
        upper = header[i].strip() if i < len(header) else ""
        lower = below[i].strip() if i < len(below) else ""
        label = upper or label
        combined.append(f"{lower} {label}".strip() if lower else upper)

    def periods(heads: list[str]) -> int:
        return sum(1 for h in heads[1:] if h.strip() and parse_header(h, year_start).role == "period")

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


def read_records(
    records: list[tuple[int, list[str]]],
    name: str,
    options: ReadOptions,
    file_index: int,
    findings: list[Finding] | None = None,
    default_title: str = "",
) -> DataFile:
    """Report tables from records (a delimited file's, or a spreadsheet sheet's)."""
    import numpy as np
    import pandas as pd

    findings = findings if findings is not None else []
    blocks = _blocks(records, name, findings)

    tables: list[Table] = []
    reported: list[ReportedFigure] = []
    cols: dict[str, list[object]] = {c: [] for c in FRAME_COLUMNS}
    for number, (title, block) in enumerate(blocks, start=1):
        table, block_findings = _wide_table(block, number, name, options, title or default_title)
        findings.extend(block_findings)
        if table is None:
            continue
        tables.append(table)
        for trow in table.rows:
            for col in table.columns:
                cell = trow.cells.get(col.index)
                if cell is None:
                    continue
                if col.role == "period" and col.period is not None:
                    if cell.error:
                        continue
                    cols["section"].append(table.section)
                    cols["measure"].append(trow.name)
                    cols["period"].append(col.period.label)
                    cols["value"].append(np.nan if cell.value is None else cell.value)
                    cols["marker"].append(cell.marker)
                    cols["percent"].append(cell.percent)
                    cols["stock"].append(col.stock)
                    cols["row"].append(trow.row)
                    cols["column"].append(col.index)
                    cols["file_index"].append(file_index)
                elif col.role in ("total", "change", "direction", "target", "status"):
                    raw = trow.raw.get(col.index, "")
                    if not raw.strip():
                        continue
                    reported.append(
                        ReportedFigure(
                            kind=col.role,
                            measure=trow.name,
                            section=table.section,
                            file=name,
                            row=trow.row,
                            column=col.index,
                            column_name=col.header,
                            raw=raw,
                            value=None if col.role in ("direction", "status") else cell.value,
                            decimals=cell.decimals,
                            percent=cell.percent,
                            period=col.period.label if col.period else None,
                            basis_from=None if col.basis_from is None else str(col.basis_from),
                            basis_to=None if col.basis_to is None else str(col.basis_to),
                        )
                    )
    if not blocks:
        findings.append(empty_file(name))
    frame = pd.DataFrame({c: pd.Series(v, dtype=_dtype(c)) for c, v in cols.items()})
    periods = {c.period.label: c.period for t in tables for c in t.columns if c.role == "period" and c.period}
    return DataFile(name, "wide", frame, findings, reported, tables, records=len(records), periods=periods)


# a target's status as reports write it: met or not (amber: near it, by a rule the table does not give)
STATUS_WORDS = {
    **dict.fromkeys(["met", "yes", "y", "achieved", "green", "g", "on track", "✓", "✔"], "met"),
    **dict.fromkeys(["not met", "no", "n", "not achieved", "missed", "red", "r", "off track", "✗", "✘"], "not met"),
    **dict.fromkeys(["amber", "a", "near", "close"], "amber"),
}

# arrows as reports draw them, and the words they use (kpitool's own "level" among them)
ARROW_WORDS = {
    **dict.fromkeys(["↑", "⬆", "▲", "⇧", "up", "increase", "increased", "higher", "rise"], "up"),
    **dict.fromkeys(["↓", "⬇", "▼", "⇩", "down", "decrease", "decreased", "lower", "fall"], "down"),
    **dict.fromkeys(["↔", "►", "◄", "⬌", "→", "level", "stable", "same", "no change", "unchanged"], "level"),
}


def _months_of_header(periods: list[TableColumn], name: str, line: int, year_start: YearStart) -> list[Finding]:
    """The header's periods decided as a whole: beside a month, ``2009-10`` is October 2009;
    with none, it stays the fiscal year 2009/10, and the heading is said to be ambiguous."""
    column = read_period_column([c.header for c in periods], year_start)
    findings = []
    for c in periods:
        decided = column.periods.get(c.header)
        if decided is not None and decided.is_month:
            c.period = decided
        month = column.ambiguous.get(c.header)
        if month is not None and c.period is not None:
            findings.append(ambiguous_period(name, line, c.index, c.header, c.period, month, c.header))
    return findings


def _wide_table(
    block: list[tuple[int, list[str]]], number: int, name: str, options: ReadOptions, title_above: str = ""
) -> tuple[Table | None, list[Finding]]:
    findings: list[Finding] = []
    header_line = block[0][0]
    header, rows_below = _combined_header(block, name, findings, options.year_start)
    block = [block[0], *rows_below]
    title = title_above or (header[0].strip() if header else "")
    columns: list[TableColumn] = []
    for i, text in enumerate(header[1:], start=2):
        col = parse_header(text, options.year_start)
        col.index = i
        if not text.strip():
            col.role = "ignored"
            if any(i <= len(r) and parse_cell(r[i - 1]).value is not None for _, r in rows_below):
                findings.append(
                    Finding(
                        code=Code.UNKNOWN_COLUMN,
                        file=name,
                        row=header_line,
                        column=i,
                        message=f"column {column_letter(i)} has no heading but holds numbers; it was not read"
                        " (give it a period heading such as 2023/24 Q1)",
                    )
                )
        columns.append(col)
    periods = [c for c in columns if c.role == "period"]
    if not periods:
        findings.append(
            Finding(
                code=Code.NO_PERIODS,
                file=name,
                row=header_line,
                message=f"the table whose header is row {header_line} has no period column"
                " (headings such as 2023/24 Q1, Q1-Q4 2022/23 baseline); it was not read. A row per area and"
                " a column per measure is read with --area-col and --value-col",
            )
        )
        return None, findings
    findings.extend(_months_of_header(periods, name, header_line, options.year_start))
    for col in columns:
        if col.role == "ignored" and col.header.strip():
            findings.append(
                Finding(
                    code=Code.UNKNOWN_COLUMN,
                    file=name,
                    row=header_line,
                    column=col.index,
                    column_name=col.header,
                    message=f"column heading {col.header.strip()!r} is not a period, total, % change or direction; the column is ignored",
                )
            )
    # a bare "Total" column is the total of the table's latest year
    latest = max((c.period for c in periods if c.period is not None), default=None)
    for c in columns:
        if c.role == "total" and c.period is None and latest is not None:
            c.period = latest.year_period()
            quarters = sorted(
                {p.period.quarter for p in periods if p.period and p.period.quarter and p.period.year == latest.year}
            )
            c.quarters = quarters or [1, 2, 3, 4]
    seen: dict[str, int] = {}
    for c in periods:
        assert c.period is not None
        if c.period.label in seen:
            findings.append(
                Finding(
                    code=Code.DUPLICATE_COLUMN,
                    file=name,
                    row=header_line,
                    column=c.index,
                    column_name=c.header,
                    period=c.period.label,
                    message=f"column {c.header!r} is the same period as column {seen[c.period.label]} ({c.period.label})",
                )
            )
            c.role = "ignored"
        else:
            seen[c.period.label] = c.index
    section = title or f"Table {number}"
    rows: list[TableRow] = []
    width = len(header)
    for line, record in block[1:]:
        if len(record) != width:
            findings.append(ragged_row(name, line, len(record), width, header_line))
            if len(record) > width:
                continue
        measure = record[0].strip() if record else ""
        if not measure:
            findings.append(
                Finding(
                    code=Code.BLANK_MEASURE,
                    file=name,
                    row=line,
                    column=1,
                    message="the measure name is blank",
                )
            )
            continue
        cells: dict[int, Cell] = {}
        raw: dict[int, str] = {}
        for c in columns:
            if c.role == "ignored" or c.index > len(record):
                continue
            text = record[c.index - 1]
            raw[c.index] = text
            if c.role == "status":
                if text.strip() and STATUS_WORDS.get(text.strip().lower()) is None:
                    findings.append(
                        Finding(
                            code=Code.BAD_STATUS,
                            file=name,
                            row=line,
                            column=c.index,
                            column_name=c.header,
                            measure=measure,
                            actual=text,
                            message=f"{text.strip()!r} is not a target status (met, not met, green, amber, red);"
                            " it is not audited",
                        )
                    )
                cells[c.index] = Cell(None)
                continue
            if c.role == "direction":
                word = ARROW_WORDS.get(text.strip().lower())
                if text.strip() and word is None:
                    findings.append(
                        Finding(
                            code=Code.BAD_DIRECTION,
                            file=name,
                            row=line,
                            column=c.index,
                            column_name=c.header,
                            measure=measure,
                            actual=text,
                            message=f"{text.strip()!r} is not a direction arrow (↑ ↓ ↔)",
                        )
                    )
                cells[c.index] = Cell(None)
                continue
            cell = parse_cell(text, options.missing)
            cells[c.index] = cell
            if cell.error:
                findings.append(
                    Finding(
                        code=Code.NOT_A_NUMBER,
                        file=name,
                        row=line,
                        column=c.index,
                        column_name=c.header,
                        measure=measure,
                        period=c.period.label if c.period else None,
                        actual=text,
                        message=cell.error,
                    )
                )
        rows.append(TableRow(line, measure, cells, raw))
    return Table(title, section, header_line, columns, rows), findings
