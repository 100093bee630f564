"""Validation reports as a rich table (terminal), plain lines (pipes), Markdown or JSON."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text
from tabulate import tabulate

from kpitool.models import Finding, ValidationReport
from kpitool.render.markdown import md_cell
from kpitool.render.safe import visible_line

SCREEN_LIMIT = 200
STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def summary(report: ValidationReport) -> str:
    c = report.counts
    files = len(report.files)
    head = (
        f"{c['error']:,} error{'s' * (c['error'] != 1)}, {c['warning']:,} warning{'s' * (c['warning'] != 1)},"
        f" {c['info']:,} info in {files} file{'s' * (files != 1)} ({report.rows:,} rows)"
    )
    if report.codes:
        head += ": " + ", ".join(f"{code} ×{n:,}" for code, n in report.codes.items())
    verdict = "valid" if report.valid else "INVALID"
    if report.strict and report.counts["warning"] and not report.counts["error"]:
        verdict += " (--strict: warnings count)"
    return f"{verdict} — {head}"


def location(f: Finding) -> str:
    parts = [f.file or ""]
    if f.cell:
        parts.append(f.cell)
    return ":".join(p for p in parts if p)


def finding_line(f: Finding) -> str:
    """One finding as a line: ``q2.csv:C4: error [not-a-number] 101 calls 2023/24 Q1: …``."""
    about = " ".join(x for x in (f.measure, f.period) if x)
    about = f" {about}:" if f.measure and f.measure not in f.message else ""
    return visible_line(f"{location(f)}: {f.severity} [{f.code}]{about} {f.message}{_expected(f)}")


def render_text(report: ValidationReport, console: Console, limit: int = SCREEN_LIMIT) -> None:
    console.out(summary(report), highlight=False)
    shown = report.findings[:limit]
    if not shown:
        return
    if console.is_terminal:
        table = Table(show_lines=False, pad_edge=False, expand=True)
        table.add_column("severity", no_wrap=True)
        table.add_column("where", overflow="fold", ratio=2)
        table.add_column("code", no_wrap=True)
        table.add_column("measure", overflow="fold", ratio=2)
        table.add_column("period", no_wrap=True)
        table.add_column("message", overflow="fold", ratio=5)
        for f in shown:
            table.add_row(
                Text(f.severity, style=STYLE[f.severity]),
                Text(visible_line(location(f))),
                Text(f.code),
                Text(visible_line(f.measure or "")),
                Text(visible_line(f.period or "")),
                Text(visible_line(f.message + _expected(f))),
            )
        console.print(table)
    else:
        for f in shown:
            console.out(finding_line(f), highlight=False)
    if len(report.findings) > limit:
        hidden = sum(f.count for f in report.findings[limit:])  # a finding of many rows counts them all
        console.out(f"… and {hidden:,} more (all of them: --format json)", highlight=False)


def _expected(f: Finding) -> str:
    if f.expected is None and f.actual is None:
        return ""
    bits = []
    if f.expected is not None:
        bits.append(f"expected {f.expected}")
    if f.actual is not None:
        bits.append(f"found {f.actual}")
    return " (" + ", ".join(bits) + ")"


def render_json(report: ValidationReport) -> str:
    return report.model_dump_json(indent=2)


def render_markdown(report: ValidationReport) -> str:
    """An audit report a panel paper can carry: a summary, then a table of findings per file."""
    lines = ["# Data and arithmetic check", "", md_cell(summary(report)), ""]
    by_file: dict[str, list[Finding]] = {}
    for f in report.findings:
        by_file.setdefault(f.file or "(no file)", []).append(f)
    for name, items in by_file.items():
        lines += [f"## {md_cell(name)}", ""]
        rows = [
            [
                f.cell or "",
                f.severity,
                f.code,
                md_cell(f.measure or ""),
                md_cell(f.actual or ""),
                md_cell(f.expected or ""),
                md_cell(f.message),
            ]
            for f in items
        ]
        lines.append(
            tabulate(
                rows,
                headers=["Cell", "Severity", "Check", "Measure", "Shown", "Expected", "Finding"],
                tablefmt="pipe",
                disable_numparse=True,
            )
        )
        lines.append("")
    if not report.findings:
        lines.append("No findings: every figure checked is consistent.")
    return "\n".join(lines).rstrip() + "\n"
