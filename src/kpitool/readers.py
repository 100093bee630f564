"""Long and wide (report-table) files -> observations, reported figures and structural findings.

Structure is checked, never assumed. Long files, which can be large, are scanned as bytes
with numpy (quotes, record boundaries, field counts, physical line numbers) and parsed by
pyarrow's CSV reader; report tables, which are small, go through the standard ``csv``
module in strict mode. Either way each ragged or broken record is reported with the
physical line it starts on, and every observation keeps its row and column.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from kpitool.errors import InputError, PeriodError
from kpitool.models import Finding, Observation, ReportedFigure
from kpitool.numbers import Cell, parse_cell
from kpitool.periods import Period, YearStart, parse_period, quarter_containing

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
    import pyarrow as pa

LONG_COLUMNS = ("measure", "period", "value")
OPTIONAL_COLUMNS = ("section", "note", "unit")
DELIMITERS = ("\t", ";", ",")
MAX_QUOTE_REPAIRS = 200
# a number as the bulk path reads it: optional minus, digits (grouped by thousands or not), decimals, a % sign
FAST_NUMBER = r"^-?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?(?: ?%)?$"
FRAME_COLUMNS = ("section", "measure", "period", "value", "marker", "percent", "stock", "row", "column", "file_index")

Role = Literal["period", "total", "change", "direction", "ignored"]


# --------------------------------------------------------------------------- results


@dataclass
class TableColumn:
    index: int  # 1-based, as a spreadsheet shows it
    header: str
    role: Role
    period: Period | None = None
    quarters: list[int] = field(default_factory=list)  # a total over these quarters of `period`
    baseline: bool = False
    stock: bool = False
    basis_from: str | None = None
    basis_to: str | None = None


@dataclass
class TableRow:
    row: int
    name: str
    cells: dict[int, Cell]  # by column index
    raw: dict[int, str]


@dataclass
class Table:
    """One report table of a wide file: a header row, then a row per measure."""

    title: str
    section: str
    header_row: int
    columns: list[TableColumn]
    rows: list[TableRow]

    def by_role(self, role: Role) -> list[TableColumn]:
        return [c for c in self.columns if c.role == role]


@dataclass
class DataFile:
    """What one file holds: observations (a frame), reported figures, tables, findings."""

    path: str
    layout: Literal["long", "wide"]
    frame: pd.DataFrame
    findings: list[Finding] = field(default_factory=list)
    reported: list[ReportedFigure] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    records: int = 0

    def observations(self, year_start: YearStart = "april") -> list[Observation]:
        """The file's observations as models (for library use; checks work on the columns)."""
        out = []
        for section, measure, period, value, marker, row in zip(
            self.frame["section"].astype(str),
            self.frame["measure"].astype(str),
            self.frame["period"].astype(str),
            self.frame["value"],
            self.frame["marker"].astype(object),
            self.frame["row"],
            strict=True,
        ):
            out.append(
                Observation(
                    measure=measure,
                    period=parse_period(period, year_start),
                    value=None if value != value else float(value),  # NaN is missing, never zero
                    section=section,
                    marker=marker if isinstance(marker, str) else None,
                    file=self.path,
                    row=int(row),
                )
            )
        return out


# --------------------------------------------------------------------------- structural findings


def empty_file(name: str) -> Finding:
    return Finding(severity="error", code="empty-file", file=name, message="the file is empty")


def no_data(name: str, header_line: int) -> Finding:
    return Finding(severity="error", code="no-data", file=name, row=header_line, message="a header but no data rows")


def broken_quote(name: str, line: int, why: str) -> Finding:
    return Finding(
        severity="error", code="broken-quote", file=name, row=line, message=f"row {line}: {why}; the row was not read"
    )


def ragged_row(name: str, line: int, got: int, expected: int, header_line: int | None = None) -> Finding:
    header = "the header" if header_line is None else f"the table's header (row {header_line})"
    read = "; the row was not read" if header_line is None or got > expected else ""
    return Finding(
        severity="error",
        code="ragged-row",
        file=name,
        row=line,
        expected=f"{expected} fields",
        actual=f"{got} fields",
        message=f"row {line} has {got} fields, {header} has {expected}{read}",
    )


# --------------------------------------------------------------------------- bytes -> text


def read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a folder, not a file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None


def detect_encoding(data: bytes, name: str) -> tuple[str, int]:
    """(encoding, bytes to skip), decided over the whole file: UTF-8 (with or without BOM), else Windows-1252."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(f"{name}: UTF-16 text; save it as CSV UTF-8 (or Windows-1252)")
    if b"\x00" in data:
        raise InputError(f"{name}: not a text file (it holds NUL bytes); save it as CSV")
    bom = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    if data.isascii():
        return "utf-8", bom
    try:
        data[bom:].decode("utf-8")
        return "utf-8", bom
    except UnicodeDecodeError:
        pass
    try:
        data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{name}: neither UTF-8 nor Windows-1252 text (byte 0x{data[exc.start]:02x} at offset {exc.start})"
        ) from None
    return "cp1252", 0


def sniff_delimiter(first_line: str) -> str:
    """Tab, semicolon or comma: whichever the header row uses most (outside quotes)."""
    unquoted = re.sub(r'"[^"]*"', "", first_line)
    counts = {d: unquoted.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _first_line(text: str) -> str:
    for line in text.splitlines():
        if line.strip():
            return line
    return ""


# --------------------------------------------------------------------------- entry point


def read_file(path: Path, year_start: YearStart = "april", file_index: int = 0) -> DataFile:
    """Read a long or wide file. Raises InputError only when the file cannot be read at all."""
    name = str(path)
    data = read_bytes(path)
    encoding, skip = detect_encoding(data, name)
    head = data[skip : skip + 65536].decode(encoding, errors="replace")
    if not head.strip():
        return DataFile(
            name,
            "long",
            empty_frame(),
            [empty_file(name)],
        )
    delimiter = sniff_delimiter(_first_line(head))
    header = next(csv.reader([_first_line(head)], delimiter=delimiter), [])
    names = [h.strip().lstrip("\ufeff").lower() for h in header]
    if any(n in LONG_COLUMNS for n in names):
        return _read_long(data[skip:], encoding, delimiter, name, year_start, file_index)
    text = data[skip:].decode(encoding)
    return _read_wide(text, delimiter, name, year_start, file_index)


def empty_frame() -> pd.DataFrame:
    import pandas as pd

    return pd.DataFrame({c: pd.Series(dtype=_dtype(c)) for c in FRAME_COLUMNS})


def _dtype(column: str) -> str:
    return {
        "value": "float64",
        "percent": "bool",
        "stock": "bool",
        "row": "int64",
        "column": "int32",
        "file_index": "int32",
    }.get(column, "object")


# --------------------------------------------------------------------------- long files


@dataclass
class _Records:
    """Record boundaries of a byte buffer, quote-aware."""

    starts: np.ndarray
    ends: np.ndarray
    lines: np.ndarray  # physical line each record starts on (1-based)
    blank: np.ndarray


def _scan_records(buf: bytes) -> _Records:
    import numpy as np

    a = np.frombuffer(buf, dtype=np.uint8)
    nl = np.flatnonzero(a == 10)
    quotes = np.flatnonzero(a == 34)
    rec_nl = nl
    if len(quotes):
        rec_nl = nl[(np.searchsorted(quotes, nl) & 1) == 0]
    starts = np.concatenate(([0], rec_nl + 1))
    ends = np.concatenate((rec_nl, [len(a)]))
    if len(starts) and starts[-1] >= len(a):  # trailing newline: no last record
        starts, ends = starts[:-1], ends[:-1]
    lines = np.searchsorted(nl, starts) + 1
    length = ends - starts
    last = a[np.maximum(ends - 1, 0)] if len(a) else np.zeros(0, dtype=np.uint8)
    blank = (length == 0) | ((length == 1) & (last == 13))
    return _Records(starts, ends, lines, blank)


def _first_quote_problem(buf: bytes, delimiter: str) -> tuple[int, str] | None:
    """(byte offset of the record's opening quote, problem) for the first quote strict csv rejects."""
    import numpy as np

    if buf.find(b'"') < 0:
        return None
    a = np.frombuffer(buf, dtype=np.uint8)
    q = np.flatnonzero(a == 34)
    d = ord(delimiter)
    n = len(a)
    opening = (np.arange(len(q)) % 2) == 0
    prev = np.where(q > 0, a[np.maximum(q - 1, 0)], 10)
    nxt = np.where(q < n - 1, a[np.minimum(q + 1, n - 1)], 10)
    pair_before = np.zeros(len(q), dtype=bool)
    pair_before[1:] = q[1:] - q[:-1] == 1
    pair_after = np.zeros(len(q), dtype=bool)
    pair_after[:-1] = q[1:] - q[:-1] == 1
    bad_open = opening & ~np.isin(prev, (d, 10, 13)) & ~pair_before
    bad_close = ~opening & ~np.isin(nxt, (d, 10, 13)) & ~pair_after
    candidates: list[tuple[int, str]] = []
    if bad_open.any():
        candidates.append((int(q[np.argmax(bad_open)]), "a quote inside an unquoted field"))
    if bad_close.any():
        k = int(np.argmax(bad_close))
        candidates.append((int(q[k - 1]), "text after a closing quote (is a quote left open?)"))
    if len(q) % 2:
        candidates.append((int(q[-1]), "a quote that is never closed"))
    return min(candidates) if candidates else None


def _field_counts(buf: bytes, recs: _Records, delimiter: str) -> np.ndarray:
    import numpy as np

    a = np.frombuffer(buf, dtype=np.uint8)
    delims = np.flatnonzero(a == ord(delimiter))
    quotes = np.flatnonzero(a == 34)
    if len(quotes):
        delims = delims[(np.searchsorted(quotes, delims) & 1) == 0]
    counts: np.ndarray = np.searchsorted(delims, recs.ends) - np.searchsorted(delims, recs.starts) + 1
    return counts


def _read_long(
    buf: bytes, encoding: str, delimiter: str, name: str, year_start: YearStart, file_index: int
) -> DataFile:
    import numpy as np
    import pyarrow as pa
    import pyarrow.csv as pacsv

    findings: list[Finding] = []
    if b"\r" in buf and b"\r\n" not in buf:  # old Mac line ends
        buf = buf.replace(b"\r", b"\n")
    # A quote the strict dialect rejects breaks the record it starts; blank that line (keeping
    # its newline, so line numbers stay true) and scan again: one problem a pass, because a
    # stray quote shifts the pairing of every quote after it.
    for _ in range(MAX_QUOTE_REPAIRS):
        problem = _first_quote_problem(buf, delimiter)
        if problem is None:
            break
        pos, why = problem
        start = buf.rfind(b"\n", 0, pos) + 1
        end = buf.find(b"\n", pos)
        end = len(buf) if end < 0 else end
        line = buf.count(b"\n", 0, start) + 1
        findings.append(broken_quote(name, line, why))
        buf = buf[:start] + buf[end:]
    else:
        raise InputError(f"{name}: more than {MAX_QUOTE_REPAIRS} rows with broken quotes; is the delimiter right?")

    # the header is the first line that is not blank
    hstart, header_line = 0, 1
    while hstart < len(buf):
        hend = buf.find(b"\n", hstart)
        hend = len(buf) if hend < 0 else hend
        if buf[hstart:hend].strip():
            break
        hstart, header_line = hend + 1, header_line + 1
    else:
        findings.append(empty_file(name))
        return DataFile(name, "long", empty_frame(), findings)
    header_text = buf[hstart:hend].decode(encoding).rstrip("\r")
    header = next(csv.reader([header_text], delimiter=delimiter), [""])
    roles, header_findings = _long_header(header, name, header_line)
    findings.extend(header_findings)
    if any(roles[c] is None for c in LONG_COLUMNS):
        return DataFile(name, "long", empty_frame(), findings)

    body = buf[hend + 1 :]
    if not body or body.isspace():
        findings.append(no_data(name, header_line))
        return DataFile(name, "long", empty_frame(), findings)
    ragged = 0

    def on_bad_row(_row: object) -> str:
        nonlocal ragged
        ragged += 1
        return "skip"

    ncols = len(header)
    quoted_newlines = _has_quoted_newline(body)
    try:
        table = pacsv.read_csv(
            io.BytesIO(body),
            read_options=pacsv.ReadOptions(
                column_names=[f"c{i}" for i in range(ncols)], encoding=encoding, block_size=1 << 22
            ),
            parse_options=pacsv.ParseOptions(
                delimiter=delimiter,
                newlines_in_values=quoted_newlines,
                invalid_row_handler=on_bad_row,
            ),
            convert_options=pacsv.ConvertOptions(
                column_types={f"c{i}": pa.string() for i in range(ncols)},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
        raise InputError(f"{name}: cannot be read as delimited text ({str(exc).splitlines()[0]})") from None

    blank_lines = body.startswith((b"\n", b"\r\n")) or b"\n\n" in body or b"\n\r\n" in body
    records = table.num_rows + ragged
    if not ragged and not blank_lines and not quoted_newlines:
        # one record a line: the physical line numbers follow from the row numbers
        rows = np.arange(header_line + 1, header_line + 1 + table.num_rows, dtype="int64")
    else:
        recs = _scan_records(buf)
        data_idx = np.flatnonzero(~recs.blank & (recs.starts > hstart))
        records = len(data_idx)
        keep = data_idx
        if ragged:
            counts = _field_counts(buf, recs, delimiter)
            for i in data_idx[counts[data_idx] != ncols]:
                findings.append(ragged_row(name, int(recs.lines[i]), int(counts[i]), ncols))
            keep = data_idx[counts[data_idx] == ncols]
        if table.num_rows != len(keep):
            raise InputError(
                f"{name}: the records could not be matched to lines ({table.num_rows} read, {len(keep)} expected)"
            )
        rows = recs.lines[keep].astype("int64")
    if not records:
        findings.append(no_data(name, header_line))
        return DataFile(name, "long", empty_frame(), findings)
    frame, cell_findings = _long_frame(table, roles, rows, name, year_start, file_index)
    findings.extend(cell_findings)
    return DataFile(name, "long", frame, findings, records=records)


def _has_quoted_newline(buf: bytes) -> bool:
    """Does a quoted field span lines? Quotes pair up once the strict check has passed."""
    import numpy as np

    if buf.find(b'"') < 0:
        return False
    q = np.flatnonzero(np.frombuffer(buf, dtype=np.uint8) == 34)
    return any(buf.find(b"\n", int(o), int(c)) >= 0 for o, c in zip(q[0::2], q[1::2], strict=False))


def _long_header(header: list[str], name: str, line: int) -> tuple[dict[str, int | None], list[Finding]]:
    findings: list[Finding] = []
    roles: dict[str, int | None] = dict.fromkeys((*LONG_COLUMNS, *OPTIONAL_COLUMNS))
    seen: dict[str, int] = {}
    for i, raw in enumerate(header):
        key = raw.strip().lstrip("\ufeff").lower()
        col = i + 1
        if key in seen:
            findings.append(
                Finding(
                    severity="error",
                    code="duplicate-column",
                    file=name,
                    row=line,
                    column=col,
                    column_name=raw,
                    message=f"column {raw!r} appears twice (also column {seen[key]}); only the first is read",
                )
            )
            continue
        seen[key] = col
        if key in roles:
            roles[key] = i
        else:
            findings.append(
                Finding(
                    severity="warning",
                    code="unknown-column",
                    file=name,
                    row=line,
                    column=col,
                    column_name=raw,
                    message=f"unknown column {raw!r} is ignored (known: {', '.join((*LONG_COLUMNS, *OPTIONAL_COLUMNS))})",
                )
            )
    for required in LONG_COLUMNS:
        if roles[required] is None:
            findings.append(
                Finding(
                    severity="error",
                    code="missing-column",
                    file=name,
                    row=line,
                    column_name=required,
                    message=f"the header has no {required!r} column (a long file needs measure, period, value)",
                )
            )
    return roles, findings


def _dictionary(column: pa.ChunkedArray) -> tuple[np.ndarray, list[str]]:
    """(codes, stripped unique values) of a string column."""
    import numpy as np
    import pyarrow.compute as pc

    enc = pc.dictionary_encode(column).combine_chunks()
    words = [str(w).strip() for w in enc.dictionary.to_pylist()]
    position: dict[str, int] = {}
    remap = np.array([position.setdefault(w, len(position)) for w in words], dtype="int64")
    codes = enc.indices.to_numpy(zero_copy_only=False).astype("int64")
    return (remap[codes] if len(words) else codes), list(position)


def _long_frame(
    table: pa.Table,
    roles: dict[str, int | None],
    rows: np.ndarray,
    name: str,
    year_start: YearStart,
    file_index: int,
) -> tuple[pd.DataFrame, list[Finding]]:
    import numpy as np
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    findings: list[Finding] = []
    n = table.num_rows
    m_i, p_i, v_i = roles["measure"], roles["period"], roles["value"]
    assert m_i is not None and p_i is not None and v_i is not None
    s_i = roles.get("section")

    m_codes, m_words = _dictionary(table.column(m_i))
    p_codes, p_words = _dictionary(table.column(p_i))
    if s_i is not None:
        s_codes, s_words = _dictionary(table.column(s_i))
    else:
        s_codes, s_words = np.zeros(n, dtype="int64"), [""]

    # periods: parse each distinct spelling once
    labels: list[str | None] = []
    reasons: list[str | None] = []
    for word in p_words:
        try:
            labels.append(parse_period(word, year_start).label)
            reasons.append(None)
        except PeriodError as exc:
            labels.append(None)
            reasons.append(str(exc))
    bad_period = np.array([r is not None for r in reasons], dtype=bool)[p_codes]
    blank_measure = np.array([w == "" for w in m_words], dtype=bool)[m_codes]
    canon: dict[str, int] = {}
    label_code = np.array(
        [canon.setdefault(label, len(canon)) if label is not None else -1 for label in labels], dtype="int64"
    )
    section = pd.Categorical.from_codes(s_codes, categories=pd.Index(s_words, dtype=object))
    measure = pd.Categorical.from_codes(m_codes, categories=pd.Index(m_words, dtype=object))
    period = pd.Categorical.from_codes(label_code[p_codes], categories=pd.Index(list(canon), dtype=object))

    def cell_error(i: int, code: str, col: int, column: str, message: str, actual: str | None) -> Finding:
        return Finding(
            severity="error",
            code=code,
            file=name,
            row=int(rows[i]),
            column=col + 1,
            column_name=column,
            measure=m_words[m_codes[i]] or None,
            period=labels[p_codes[i]],
            actual=actual,
            message=message,
        )

    # values: numbers (with thousands separators or a % sign) in bulk; the rest — markers,
    # currency, junk — parsed once per distinct text and broadcast back
    raw_values = table.column(v_i).combine_chunks()
    fast = pc.match_substring_regex(raw_values, FAST_NUMBER)
    fast_np = fast.to_numpy(zero_copy_only=False).astype(bool)
    value = np.full(n, np.nan, dtype="float64")
    numbers = raw_values if fast_np.all() else raw_values.filter(fast)
    for sign in (",", "%", " "):
        numbers = pc.replace_substring(numbers, sign, "")
    value[fast_np] = pc.cast(numbers, pa.float64()).to_numpy(zero_copy_only=False)
    percent = pc.and_(fast, pc.ends_with(raw_values, "%")).to_numpy(zero_copy_only=False).astype(bool)
    marker_codes = np.full(n, -1, dtype="int32")
    marker_words: list[str] = []
    not_number = np.zeros(n, dtype=bool)
    other = np.flatnonzero(~fast_np)
    if len(other):
        enc = pc.dictionary_encode(raw_values.take(pa.array(other)))
        texts = enc.dictionary.to_pylist()
        cells = [parse_cell(t) for t in texts]
        marker_words = list(dict.fromkeys(c.marker for c in cells if c.marker is not None))
        idx = enc.indices.to_numpy(zero_copy_only=False)
        value[other] = np.array([np.nan if c.value is None else c.value for c in cells], dtype="float64")[idx]
        percent[other] = np.array([c.percent for c in cells], dtype=bool)[idx]
        marker_codes[other] = np.array(
            [marker_words.index(c.marker) if c.marker is not None else -1 for c in cells], dtype="int32"
        )[idx]
        bad = np.array([c.error is not None for c in cells], dtype=bool)[idx]
        not_number[other] = bad
        for i, k in zip(other[bad].tolist(), idx[bad].tolist(), strict=True):
            findings.append(cell_error(i, "not-a-number", v_i, "value", f"{cells[k].error}", texts[k]))
    for i in np.flatnonzero(bad_period).tolist():
        text = p_words[p_codes[i]]
        findings.append(
            cell_error(
                i, "bad-period", p_i, "period", (reasons[p_codes[i]] or "") if text else "the period is blank", text
            )
        )
    for i in np.flatnonzero(blank_measure).tolist():
        findings.append(cell_error(i, "blank-measure", m_i, "measure", "the measure name is blank", None))
    usable = ~(bad_period | blank_measure | not_number)
    keep = slice(None) if usable.all() else np.flatnonzero(usable)
    frame = pd.DataFrame(
        {
            "section": section[keep],
            "measure": measure[keep],
            "period": period[keep],
            "value": value[keep],
            "marker": pd.Categorical.from_codes(marker_codes[keep], categories=pd.Index(marker_words, dtype=object)),
            "percent": percent[keep],
            "stock": np.zeros(int(usable.sum()), dtype=bool),
            "row": rows[keep],
            "column": np.full(int(usable.sum()), v_i + 1, dtype="int32"),
            "file_index": np.full(int(usable.sum()), file_index, dtype="int32"),
        }
    )
    return frame, findings


# --------------------------------------------------------------------------- wide files

_PARENS_RE = re.compile(r"\(([^)]*)\)")
_QRANGE_RE = re.compile(r"Q([1-4])\s*[-–]\s*Q([1-4])\s+(.+)$", re.IGNORECASE)
_QEND_RE = re.compile(r"^Q([1-4])\s+end\b.*?(\d{1,2})/(\d{1,2})/(\d{2,4})", re.IGNORECASE)
_BASIS_RE = re.compile(r"^(?:from\s+)?(?P<a>.+?)(?:\s+to\s+(?P<b>.+))?$", re.IGNORECASE)


def parse_header(text: str, year_start: YearStart = "april") -> TableColumn:
    """What a report table's column heading means. The index is filled in by the caller."""
    raw = " ".join(text.replace("\u00a0", " ").split())
    low = raw.lower()
    parens = _PARENS_RE.findall(raw)
    if "direction" in low or "dot" == low:
        basis = parens[0] if parens else "baseline"
        frm, _to = _basis(basis, year_start)
        return TableColumn(0, raw, "direction", basis_from=frm or "baseline")
    if "%" in low or "change" in low:
        frm, to = _basis(parens[0], year_start) if parens else ("baseline", None)
        return TableColumn(0, raw, "change", basis_from=frm or "baseline", basis_to=to)
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


def _basis(text: str, year_start: YearStart) -> tuple[str | None, str | None]:
    m = _BASIS_RE.match(text.strip())
    if not m:
        return None, None

    def one(part: str | None) -> str | None:
        if not part:
            return None
        part = part.strip()
        if part.lower() == "baseline":
            return "baseline"
        if part.lower().endswith("baseline"):
            part = part[: -len("baseline")].strip()
        try:
            return parse_period(part, year_start).label
        except PeriodError:
            return "baseline" if "baseline" in part.lower() else None

    return one(m.group("a")), one(m.group("b"))


def _read_wide(text: str, delimiter: str, name: str, year_start: YearStart, file_index: int) -> DataFile:
    import numpy as np
    import pandas as pd

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

    # split into tables at blank records
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

    tables: list[Table] = []
    reported: list[ReportedFigure] = []
    cols: dict[str, list[object]] = {c: [] for c in FRAME_COLUMNS}
    for number, block in enumerate(blocks, start=1):
        table, block_findings = _wide_table(block, number, name, year_start)
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
                elif col.role in ("total", "change", "direction"):
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
                            value=None if col.role == "direction" else cell.value,
                            decimals=cell.decimals,
                            percent=cell.percent,
                            period=col.period.label if col.period else None,
                            basis_from=col.basis_from,
                            basis_to=col.basis_to,
                        )
                    )
    if not blocks:
        findings.append(empty_file(name))
    frame = pd.DataFrame({c: pd.Series(v, dtype=_dtype(c)) for c, v in cols.items()})
    return DataFile(name, "wide", frame, findings, reported, tables, records=len(records))


ARROW_WORDS = {"↑": "up", "↓": "down", "↔": "level", "⬆": "up", "⬇": "down", "up": "up", "down": "down"}


def _wide_table(
    block: list[tuple[int, list[str]]], number: int, name: str, year_start: YearStart
) -> tuple[Table | None, list[Finding]]:
    findings: list[Finding] = []
    header_line, header = block[0]
    title = header[0].strip() if header else ""
    columns: list[TableColumn] = []
    for i, text in enumerate(header[1:], start=2):
        col = parse_header(text, year_start)
        col.index = i
        if not text.strip():
            col.role = "ignored"
        columns.append(col)
    periods = [c for c in columns if c.role == "period"]
    if not periods:
        findings.append(
            Finding(
                severity="error",
                code="no-periods",
                file=name,
                row=header_line,
                message=f"the table whose header is row {header_line} has no period column"
                " (headings such as 2023/24 Q1, Q1-Q4 2022/23 baseline); it was not read",
            )
        )
        return None, findings
    for col in columns:
        if col.role == "ignored" and col.header.strip():
            findings.append(
                Finding(
                    severity="warning",
                    code="unknown-column",
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
                    severity="error",
                    code="duplicate-column",
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
                    severity="error",
                    code="blank-measure",
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
            if c.role == "direction":
                word = ARROW_WORDS.get(text.strip().lower())
                if text.strip() and word is None:
                    findings.append(
                        Finding(
                            severity="error",
                            code="bad-direction",
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
            cell = parse_cell(text)
            cells[c.index] = cell
            if cell.error:
                findings.append(
                    Finding(
                        severity="error",
                        code="not-a-number",
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
