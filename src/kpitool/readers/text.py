"""Bytes to text: encoding decided over the whole file, and the delimiter from the header."""

from __future__ import annotations

import re
from pathlib import Path

from kpitool.codes import Code
from kpitool.errors import InputError
from kpitool.models import Finding

DELIMITERS = ("\t", ";", ",")


MAX_FILE_BYTES = 4 << 30  # a text file larger than this is not a KPI file


def read_bytes(path: Path) -> bytes:
    """A regular file's bytes; a device, FIFO or socket is refused at once (it may never end)."""
    import stat

    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    if stat.S_ISDIR(mode):
        raise InputError(f"{path}: is a folder, not a file")
    if not stat.S_ISREG(mode):
        raise InputError(f"{path}: not a regular file (a device, pipe or socket); save the data to a file")
    if path.stat().st_size > MAX_FILE_BYTES:
        raise InputError(f"{path}: larger than 4 GiB; split it, or count its records (kpitool count)")
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


_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


def mixed_encoding(data: bytes, name: str) -> Finding | None:
    """A file read as Windows-1252 that is mostly UTF-8: the row of the byte that made it so."""
    if not _UTF8_SEQUENCE.search(data):
        return None
    try:
        data.decode("utf-8")
        return None
    except UnicodeDecodeError as exc:
        row = data.count(b"\n", 0, exc.start) + 1
        sample = _UTF8_SEQUENCE.search(data)
        shown = sample.group(0).decode("utf-8") if sample else ""
        return Finding(
            code=Code.MIXED_ENCODING,
            file=name,
            row=row,
            actual=f"0x{data[exc.start]:02x}",
            message=f"row {row} has a byte (0x{data[exc.start]:02x}) that is not UTF-8, so the whole file was read as"
            f" Windows-1252, though it holds UTF-8 text elsewhere ({shown!r} reads {shown.encode().decode('cp1252', 'replace')!r});"
            " save it as UTF-8",
        )


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
