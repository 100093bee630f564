"""Long files (``measure,period,value``), which can be large.

They are scanned as bytes with numpy (quotes, record boundaries, field counts, physical line
numbers) and parsed by pyarrow's CSV reader; each ragged or broken record is reported with
the physical line it starts on, and every observation keeps its row and column.
"""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING

from kpitool.codes import Code
from kpitool.errors import InputError
from kpitool.models import Finding
from kpitool.numbers import MAX_MAGNITUDE, parse_cell
from kpitool.periods import Period, read_period_column
from kpitool.readers.base import (
    DataFile,
    ReadOptions,
    ambiguous_period,
    broken_quote,
    empty_file,
    empty_frame,
    listed,
    no_data,
    ragged_row,
)
from kpitool.readers.columns import SAMPLE, long_header, name_unread, settle
from kpitool.readers.hierarchy import name_within_repeated_areas
from kpitool.readers.layout import notes_at_end
from kpitool.readers.scan import (
    blank_stray_crs,
    field_counts,
    first_quote_problem,
    has_quoted_newline,
    scan_records,
)

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
    import pyarrow as pa

MAX_QUOTE_REPAIRS = 200
# a number as the bulk path reads it: optional minus, digits (grouped by thousands or not), decimals, a % sign
FAST_NUMBER = r"^-?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?(?: ?%)?$"


def _read_long(buf: bytes, encoding: str, delimiter: str, name: str, options: ReadOptions, file_index: int) -> DataFile:
    import numpy as np
    import pyarrow as pa
    import pyarrow.csv as pacsv

    findings: list[Finding] = []
    if b"\r" in buf and b"\n" not in buf:  # old Mac line ends: a CR ends every line (stated in the README)
        buf = buf.replace(b"\r", b"\n")
    elif b"\r" in buf:
        buf = blank_stray_crs(buf, name, findings)
    # A quote the strict dialect rejects breaks the record it starts; blank that line (keeping
    # its newline, so line numbers stay true) and scan again: one problem a pass, because a
    # stray quote shifts the pairing of every quote after it.
    for _ in range(MAX_QUOTE_REPAIRS):
        problem = first_quote_problem(buf, delimiter)
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
    columns = long_header(header, name, header_line, options)
    if columns.fatal and not columns.measures_in_columns:
        name_unread(columns, header, name, header_line)
        findings.extend(columns.findings + columns.missing)
        return DataFile(name, "long", empty_frame(), findings)

    if len(header) > 1:
        buf = notes_at_end(buf, delimiter, hend + 1, name, findings)
    body = buf[hend + 1 :]
    if not body or body.isspace():
        name_unread(columns, header, name, header_line)
        findings.extend(columns.findings + columns.missing)
        findings.append(no_data(name, header_line))
        return DataFile(name, "long", empty_frame(), findings)
    ragged = 0

    def on_bad_row(_row: object) -> str:
        nonlocal ragged
        ragged += 1
        return "skip"

    ncols = len(header)
    quoted_newlines = has_quoted_newline(body)
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
        recs = scan_records(buf)
        data_idx = np.flatnonzero(~recs.blank & (recs.starts > hstart))
        records = len(data_idx)
        keep = data_idx
        if ragged:
            counts = field_counts(buf, recs, delimiter)
            for i in data_idx[counts[data_idx] != ncols]:
                findings.append(ragged_row(name, int(recs.lines[i]), int(counts[i]), ncols))
            keep = data_idx[counts[data_idx] == ncols]
        if table.num_rows != len(keep):
            raise InputError(
                f"{name}: the records could not be matched to lines ({table.num_rows} read, {len(keep)} expected)"
            )
        rows = recs.lines[keep].astype("int64")
    # a row of empty cells (",,,,", as a spreadsheet saves a blank row) is a blank row: no observation
    if ncols > 1 and table.num_rows:
        import pyarrow.compute as pc

        empty = pc.and_(*[pc.equal(pc.utf8_trim_whitespace(table.column(i)), "") for i in range(2)])
        for i in range(2, ncols):
            empty = pc.and_(empty, pc.equal(pc.utf8_trim_whitespace(table.column(i)), ""))
        if pc.any(empty).as_py():
            filled = pc.invert(empty)
            table, rows = table.filter(filled), rows[filled.to_numpy(zero_copy_only=False)]
            records -= int(pc.sum(empty).as_py())
    settle(columns, header, name, header_line, lambda i: table.column(i).slice(0, SAMPLE).to_pylist())
    name_unread(columns, header, name, header_line)
    findings.extend(columns.findings + columns.missing)
    if columns.fatal:
        return DataFile(name, "long", empty_frame(), findings)
    if not records:
        findings.append(no_data(name, header_line))
        return DataFile(name, "long", empty_frame(), findings)
    roles, areas, values, options = columns.roles, columns.areas, columns.values, columns.options
    frames = []
    for k, v_i in enumerate(values):  # a column a measure: each read as a long file of its own
        frame, periods, cell_findings = _long_frame(
            table, {**roles, "value": v_i}, areas, header, rows, name, options, file_index, rows_checked=k == 0
        )
        frames.append(frame)
        findings.extend(cell_findings)
    if len(frames) > 1:
        import pandas as pd

        frame = pd.concat(
            [f.astype(dict.fromkeys(("section", "measure", "period", "marker"), object)) for f in frames],
            ignore_index=True,
        )
    if areas:
        frame, named = name_within_repeated_areas(frame, name)
        findings.extend(named)
    data = DataFile(name, "long", frame, findings, records=records, periods=periods, by_area=bool(areas))
    if columns.area_code is not None and len(areas) == 1:
        pairs = {(str(c).strip(), str(a).strip())
                 for c, a in zip(table.column(columns.area_code).to_pylist(), table.column(areas[0]).to_pylist(), strict=True)}  # fmt: skip
        for code, area in sorted(pairs):
            if code and area:
                data.area_codes.setdefault(code, []).append(area)
    return data


# a long file's unit column, in words: what it says of the figures ("" and count: nothing to add)
PERCENT_UNITS = frozenset({"percent", "percentage", "%", "pct", "per cent", "percent (%)"})
COUNT_UNITS = frozenset({"", "count", "number of", "n"})


def _unit_word(word: str) -> str | None:
    """``percent`` or ``count`` for a unit cell kpitool reads, None for one it does not (seconds, £)."""
    low = word.strip().lower()
    return "percent" if low in PERCENT_UNITS else ("count" if low in COUNT_UNITS else None)


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
    areas: list[int],
    header: list[str],
    rows: np.ndarray,
    name: str,
    options: ReadOptions,
    file_index: int,
    *,
    rows_checked: bool = True,
) -> tuple[pd.DataFrame, dict[str, Period], list[Finding]]:
    """The observations of one value column; ``rows_checked`` reports the row's period, measure
    and area problems (once a file, when several value columns share the rows)."""
    import numpy as np
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    findings: list[Finding] = []
    n = table.num_rows
    m_i, p_i, v_i = roles["measure"], roles["period"], roles["value"]
    assert v_i is not None
    s_i = roles.get("section")

    constant = np.zeros(n, dtype="int64")
    # no measure column: the value column's heading is the measure; no period column: the period given
    m_codes, m_words = _dictionary(table.column(m_i)) if m_i is not None else (constant, [header[v_i].strip()])
    p_codes, p_words = _dictionary(table.column(p_i)) if p_i is not None else (constant, [options.period or ""])
    if areas:
        joined = table.column(areas[0])
        for a in areas[1:]:
            joined = pc.binary_join_element_wise(
                pc.utf8_trim_whitespace(joined), pc.utf8_trim_whitespace(table.column(a)), " / "
            )
        s_codes, s_words = _dictionary(joined)
    elif s_i is not None:
        s_codes, s_words = _dictionary(table.column(s_i))
    else:
        s_codes, s_words = constant, [""]

    # periods: each distinct spelling parsed once, the column decided as a whole (months, dates)
    column = read_period_column(p_words, options.year_start, header[p_i].strip() if p_i is not None else "")
    labels: list[str | None] = []
    reasons: list[str | None] = []
    periods: dict[str, Period] = {}
    for word in p_words:
        parsed = column.periods.get(word)
        if parsed is not None:
            periods[parsed.label] = parsed
        labels.append(None if parsed is None else parsed.label)
        reasons.append(None if parsed is not None else column.errors.get(word, f"{word!r} is not a period"))
    bad_period = np.array([r is not None for r in reasons], dtype=bool)[p_codes]
    count_date = np.array([w in column.count_dates for w in p_words], dtype=bool)[p_codes]
    blank_measure = np.array([w == "" for w in m_words], dtype=bool)[m_codes]
    canon: dict[str, int] = {}
    label_code = np.array(
        [canon.setdefault(label, len(canon)) if label is not None else -1 for label in labels], dtype="int64"
    )
    section = pd.Categorical.from_codes(s_codes, categories=pd.Index(s_words, dtype=object))
    measure = pd.Categorical.from_codes(m_codes, categories=pd.Index(m_words, dtype=object))
    period = pd.Categorical.from_codes(label_code[p_codes], categories=pd.Index(list(canon), dtype=object))

    def cell_error(i: int, code: str, col: int | None, column: str, message: str, actual: str | None) -> Finding:
        return Finding(
            severity="error",
            code=code,
            file=name,
            row=int(rows[i]),
            column=None if col is None else col + 1,
            column_name=column,
            measure=m_words[m_codes[i]] or None,
            period=labels[p_codes[i]],
            section=s_words[s_codes[i]] or None,
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
    huge = fast_np & ~(np.abs(value) <= MAX_MAGNITUDE)  # 400 digits is a float's infinity: out of range
    if huge.any():
        fast_np = fast_np & ~huge
        value[huge] = np.nan
    # written with a % sign; a measure whose name (or heading) says per cent is one too, by kpitool.units
    percent = pc.and_(fast, pc.ends_with(raw_values, "%")).to_numpy(zero_copy_only=False).astype(bool)
    marker_codes = np.full(n, -1, dtype="int32")
    marker_words: list[str] = []
    not_number = np.zeros(n, dtype=bool)
    other = np.flatnonzero(~fast_np)
    if len(other):
        enc = pc.dictionary_encode(raw_values.take(pa.array(other)))
        texts = enc.dictionary.to_pylist()
        cells = [parse_cell(t, options.missing) for t in texts]
        marker_words = list(dict.fromkeys(c.marker for c in cells if c.marker is not None))
        idx = enc.indices.to_numpy(zero_copy_only=False)
        value[other] = np.array([np.nan if c.value is None else c.value for c in cells], dtype="float64")[idx]
        percent[other] = np.array([c.percent for c in cells], dtype=bool)[idx]
        marker_codes[other] = np.array(
            [marker_words.index(c.marker) if c.marker is not None else -1 for c in cells], dtype="int32"
        )[idx]
        bad = np.array([c.error is not None for c in cells], dtype=bool)[idx]
        not_number[other] = bad
        pairs = list(zip(other[bad].tolist(), idx[bad].tolist(), strict=True))
        findings += listed(
            pairs,
            lambda p: cell_error(p[0], Code.NOT_A_NUMBER, v_i, "value", f"{cells[p[1]].error}", texts[p[1]]),
            lambda p: int(rows[p[0]]),
        )
    u_i = roles.get("unit")
    if u_i is not None:  # a unit column: "percent" says what a % sign says; the other units are said unread
        u_codes, u_words = _dictionary(table.column(u_i))
        said = [_unit_word(w) for w in u_words]
        percent |= np.array([k == "percent" for k in said], dtype=bool)[u_codes] & fast_np
        unread = [w for w, k in zip(u_words, said, strict=True) if k is None]
        if unread and rows_checked:
            first = int(np.flatnonzero(np.isin(u_codes, [u_words.index(w) for w in unread]))[0])
            findings.append(
                Finding(
                    code=Code.UNKNOWN_COLUMN,
                    file=name,
                    row=int(rows[first]),
                    column=u_i + 1,
                    message=f"the unit column's {', '.join(map(repr, unread[:5]))} {'is' if len(unread) == 1 else 'are'}"
                    " not read (only percent is, as a % sign): each measure's unit is inferred as the notes say;"
                    ' declare it in kpitool.toml ([[measure]] unit = "seconds", say)',
                )
            )
    if rows_checked:  # the rows' own problems, once a file (the value columns share the rows)

        def period_error(i: int) -> Finding:
            text = p_words[p_codes[i]]
            why = (reasons[p_codes[i]] or "") if text else "the period is blank"
            return cell_error(i, Code.BAD_PERIOD, p_i, "period", why, text)

        findings += listed(np.flatnonzero(bad_period).tolist(), period_error, lambda i: int(rows[i]))
        for text, month in column.ambiguous.items():
            first = int(np.flatnonzero(p_codes == p_words.index(text))[0])
            column_at = None if p_i is None else p_i + 1
            findings.append(ambiguous_period(name, int(rows[first]), column_at, text, column.periods[text], month))
        findings += listed(
            np.flatnonzero(blank_measure).tolist(),
            lambda i: cell_error(i, Code.BLANK_MEASURE, m_i, "measure", "the measure name is blank", None),
            lambda i: int(rows[i]),
        )
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
            "stock": count_date[keep],
            "row": rows[keep],
            "column": np.full(int(usable.sum()), v_i + 1, dtype="int32"),
            "file_index": np.full(int(usable.sum()), file_index, dtype="int32"),
        }
    )
    return frame, periods, findings
