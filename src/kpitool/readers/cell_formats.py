"""Which cells of a workbook are shown as percentages.

Excel stores 91% as 0.91 and shows it through the cell's number format (``0%``, ``0.0%``); an .ods
types the cell ``percentage`` with the value 0.91; python-calamine gives the 0.91 alone. So the
format is read from the workbook itself. In an .xlsx, the styles whose number format shows a
percentage (``xl/styles.xml``), then the cells of each sheet that use one of them: a workbook with
no such style (most) costs one read of its styles part. In an .ods, the cells typed percentage in
``content.xml``, walked only when it has one.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

from kpitool.numbers import decimal_text

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
DOC_RELS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
BUILT_IN_PERCENT = frozenset({9, 10})  # 0% and 0.00%: built-in formats, not listed in styles.xml

_REF_RE = re.compile(rb'\br="([A-Z]{1,3})([0-9]+)"')


def percent_cells(path: Path) -> dict[str, dict[tuple[int, int], bool]]:
    """``xlsx_percent_cells`` or ``ods_percent_cells``, by the file's suffix (none for .xls, .xlsb)."""
    suffix = path.suffix.lower()
    if suffix in {".xlsx", ".xlsm"}:
        return xlsx_percent_cells(path)
    if suffix == ".ods":
        return ods_percent_cells(path)
    return {}


ODS_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
ODS_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"


def ods_percent_cells(path: Path) -> dict[str, dict[tuple[int, int], bool]]:
    """Each sheet's cells an .ods types ``percentage`` (their value the fraction: True, scaled), by
    sheet name, with rows and cells repeated as the file repeats them."""
    try:
        with zipfile.ZipFile(path) as book:
            xml = book.read("content.xml")
        if b'value-type="percentage"' not in xml:
            return {}
        out: dict[str, dict[tuple[int, int], bool]] = {}
        cells: dict[tuple[int, int], bool] = {}
        row = column = 0
        in_row: list[int] = []  # the row's percentage columns
        for event, element in ElementTree.iterparse(io.BytesIO(xml), events=("start", "end")):
            tag = element.tag
            if event == "start":
                if tag == f"{ODS_TABLE}table":
                    cells = out.setdefault(element.get(f"{ODS_TABLE}name", ""), {})
                    row = 0
                elif tag == f"{ODS_TABLE}table-row":
                    column, in_row = 0, []
                continue
            if tag in (f"{ODS_TABLE}table-cell", f"{ODS_TABLE}covered-table-cell"):
                repeated = int(element.get(f"{ODS_TABLE}number-columns-repeated", "1"))
                if element.get(f"{ODS_OFFICE}value-type") == "percentage":
                    in_row.extend(range(column + 1, column + repeated + 1))
                column += repeated
                element.clear()
            elif tag == f"{ODS_TABLE}table-row":
                repeated = int(element.get(f"{ODS_TABLE}number-rows-repeated", "1"))
                for r in range(row + 1, row + repeated + 1) if in_row else ():
                    cells.update(dict.fromkeys(((r, c) for c in in_row), True))
                row += repeated
                element.clear()
        return {sheet: found for sheet, found in out.items() if found}
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, OSError, ValueError):
        return {}


def xlsx_percent_cells(path: Path) -> dict[str, dict[tuple[int, int], bool]]:
    """Each sheet's cells (row, column; both from 1) whose number format shows a percentage, by
    sheet name, each True where the format multiplies by 100 (``0.0%``: 0.915 shows 91.5%) and
    False where its % is a literal sign (``0.0"%"``: 91.5 shows 91.5%); sheets without any are
    left out. Empty for a workbook that is not an .xlsx zip."""
    try:
        with zipfile.ZipFile(path) as book:
            styles = _percent_styles(book)
            if not styles:
                return {}
            out: dict[str, dict[tuple[int, int], bool]] = {}
            for sheet, part in _sheet_parts(book).items():
                xml = book.read(part)
                scaled = {s for s, times in styles.items() if times}
                cells = dict.fromkeys(_cells_styled(xml, set(styles) - scaled), False)
                cells |= dict.fromkeys(_cells_styled(xml, scaled), True)
                if cells:
                    out[sheet] = cells
            return out
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, OSError):
        return {}


def is_percent_format(code: str) -> bool:
    """Whether a number format code shows its number as a percentage, multiplied by 100: a ``%``
    outside quoted text and escapes, in the format's first (positive) section."""
    unquoted = re.sub(r'"[^"]*"|\\.|\[[^\]]*\]', "", code.split(";", 1)[0])
    return "%" in unquoted


def is_percent_sign_format(code: str) -> bool:
    """Whether a number format shows a literal % sign after the number as it is (``0.0"%"``,
    ``0.0\\%``): a percentage written as its figure."""
    first = re.sub(r"\[[^\]]*\]", "", code.split(";", 1)[0])
    return not is_percent_format(code) and bool(re.search(r'"\s*%\s*"|\\%', first)) and "0" in first


def percent_text(value: float, scaled: bool = True) -> str:
    """The percentage a cell shows, exactly as its decimal reads: 0.91 -> ``91%``, 0.0157 ->
    ``1.57%`` (never 91.00000000000001); a literal % sign's 91.5 -> ``91.5%``."""
    return f"{decimal_text(value, 2 if scaled else 0)}%"


def _percent_styles(book: zipfile.ZipFile) -> dict[int, bool]:
    """The indices of ``cellXfs`` whose number format shows a percentage: True where it
    multiplies by 100, False where its % is a literal sign."""
    try:
        root = ElementTree.fromstring(book.read("xl/styles.xml"))
    except KeyError:
        return {}
    codes = {int(f.get("numFmtId", "-1")): f.get("formatCode", "") for f in root.iter(f"{MAIN}numFmt")}
    scaled = set(BUILT_IN_PERCENT) | {i for i, code in codes.items() if is_percent_format(code)}
    signed = {i for i, code in codes.items() if is_percent_sign_format(code)}
    xfs = root.find(f"{MAIN}cellXfs")
    if xfs is None:
        return {}
    out = {}
    for n, xf in enumerate(xfs.iter(f"{MAIN}xf")):
        number_format = int(xf.get("numFmtId", "0"))
        if number_format in scaled or number_format in signed:
            out[n] = number_format in scaled
    return out


def _sheet_parts(book: zipfile.ZipFile) -> dict[str, str]:
    """Each sheet's name -> its part in the zip (``xl/worksheets/sheet1.xml``)."""
    workbook = ElementTree.fromstring(book.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(book.read("xl/_rels/workbook.xml.rels"))
    target = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{RELS}Relationship")}
    out = {}
    for sheet in workbook.iter(f"{MAIN}sheet"):
        where = target.get(sheet.get(f"{DOC_RELS}id"), "")
        if where:
            out[sheet.get("name", "")] = where.lstrip("/") if where.startswith("/") else f"xl/{where}"
    return out


def _cells_styled(xml: bytes, styles: set[int]) -> set[tuple[int, int]]:
    """The cells (row, column) of a sheet's XML that use one of ``styles``: a scan for the ``<c>``
    elements carrying one of those ``s`` attributes (the sheet is not parsed whole)."""
    if not styles:
        return set()
    wanted = b"|".join(str(s).encode() for s in sorted(styles))
    found = set()
    for element in re.finditer(rb'<(?:\w+:)?c\b[^>]*?\bs="(?:' + wanted + rb')"[^>]*>', xml):
        ref = _REF_RE.search(element.group(0))
        if ref is None:
            continue  # a cell without its reference: cannot be placed (writers give one in practice)
        letters, row = ref.group(1), int(ref.group(2))
        column = 0
        for ch in letters:
            column = column * 26 + ch - 64
        found.add((row, column))
    return found
