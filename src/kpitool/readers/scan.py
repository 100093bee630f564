"""Byte-level scanning of delimited text with numpy: record boundaries (quote-aware), field counts,
quotes the strict dialect rejects and stray carriage returns, each found before the CSV reader
can swallow the rows after it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from kpitool.codes import Code
from kpitool.models import Finding

if TYPE_CHECKING:
    import numpy as np


@dataclass
class Records:
    """Record boundaries of a byte buffer, quote-aware."""

    starts: np.ndarray
    ends: np.ndarray
    lines: np.ndarray  # physical line each record starts on (1-based)
    blank: np.ndarray


def scan_records(buf: bytes) -> Records:
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
    return Records(starts, ends, lines, blank)


def first_quote_problem(buf: bytes, delimiter: str) -> tuple[int, str] | None:
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


def field_counts(buf: bytes, recs: Records, delimiter: str) -> np.ndarray:
    import numpy as np

    a = np.frombuffer(buf, dtype=np.uint8)
    delims = np.flatnonzero(a == ord(delimiter))
    quotes = np.flatnonzero(a == 34)
    if len(quotes):
        delims = delims[(np.searchsorted(quotes, delims) & 1) == 0]
    counts: np.ndarray = np.searchsorted(delims, recs.ends) - np.searchsorted(delims, recs.starts) + 1
    return counts


def blank_stray_crs(buf: bytes, name: str, findings: list[Finding]) -> bytes:
    """A lone CR outside quotes in a file of LF or CRLF lines: its row is reported and not read."""
    import numpy as np

    a = np.frombuffer(buf, dtype=np.uint8)
    cr = np.flatnonzero(a == 13)
    lone = cr[(cr + 1 >= len(a)) | (a[np.minimum(cr + 1, len(a) - 1)] != 10)]
    if not len(lone):
        return buf
    quotes = np.flatnonzero(a == 34)
    lone = lone[(np.searchsorted(quotes, lone) & 1) == 0]  # inside quotes a CR is the field's own text
    for pos in sorted({int(buf.rfind(b"\n", 0, int(p)) + 1) for p in lone}, reverse=True):
        end = buf.find(b"\n", pos)
        end = len(buf) if end < 0 else end
        line = buf.count(b"\n", 0, pos) + 1
        findings.append(
            Finding(
                code=Code.STRAY_CARRIAGE_RETURN,
                file=name,
                row=line,
                message=f"row {line} holds a carriage return (CR) inside an unquoted field; the row was not read",
            )
        )
        buf = buf[:pos] + buf[end:]  # the row's text goes, its line end stays: later rows keep their numbers
    findings.sort(key=lambda f: f.row or 0)
    return buf


def has_quoted_newline(buf: bytes) -> bool:
    """Does a quoted field span lines? Quotes pair up once the strict check has passed."""
    import numpy as np

    if buf.find(b'"') < 0:
        return False
    q = np.flatnonzero(np.frombuffer(buf, dtype=np.uint8) == 34)
    return any(buf.find(b"\n", int(o), int(c)) >= 0 for o, c in zip(q[0::2], q[1::2], strict=False))
