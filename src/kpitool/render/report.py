"""The report's formats: chosen by --format or by the output file's extension, one renderer each."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from kpitool.document import ReportDocument
from kpitool.errors import UsageError
from kpitool.render import ReportFormat


def report_format(output_format: ReportFormat | None, output: Path) -> ReportFormat:
    """--format, else the output file's extension."""
    if output_format is not None:
        return output_format
    suffix = output.suffix.lower().lstrip(".")
    if suffix in ("htm", "html"):
        return ReportFormat.html
    if suffix in ReportFormat.__members__:
        return ReportFormat(suffix)
    raise UsageError(f"{output}: give --format html, docx or xlsx (the file name's extension says none of them)")


def render_report(document: ReportDocument, fmt: ReportFormat) -> str | bytes:
    """The document as HTML text, or the bytes of a .docx or .xlsx file."""
    from kpitool.render.excel import render_xlsx
    from kpitool.render.html import render_html
    from kpitool.render.word import render_docx

    renderers: dict[ReportFormat, Callable[[], str | bytes]] = {
        ReportFormat.html: lambda: render_html(document),
        ReportFormat.docx: lambda: render_docx(document),
        ReportFormat.xlsx: lambda: render_xlsx(document),
    }
    return renderers[fmt]()
