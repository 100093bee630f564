"""Renderers: pydantic models in, text out. Each takes the console or returns a string."""

from __future__ import annotations

from enum import StrEnum


class ValidateFormat(StrEnum):
    text = "text"
    json = "json"
    md = "md"


class CompareFormat(StrEnum):
    table = "table"
    md = "md"
    csv = "csv"
    json = "json"


class ExportFormat(StrEnum):
    md = "md"
    csv = "csv"
    json = "json"


class ReportFormat(StrEnum):
    html = "html"
    docx = "docx"
    xlsx = "xlsx"


class CountFormat(StrEnum):
    csv = "csv"
    json = "json"
