"""``kpitool count`` as the long format every other command reads: section, measure, period, value."""

from __future__ import annotations

import csv
import io

from kpitool.counting import CountReport
from kpitool.render.csvout import _num, safe_text
from kpitool.render.findings import finding_line
from kpitool.render.safe import visible_line

SHOWN = 20  # findings on stderr; --format json has them all


def render_count_csv(report: CountReport) -> str:
    """The counts as long CSV (``section`` is the area, blank when the records have none)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["section", "measure", "period", "value"])
    for r in report.rows:
        writer.writerow([safe_text(r.section), safe_text(r.measure), r.period, _num(r.value)])
    return out.getvalue()


def render_count_json(report: CountReport) -> str:
    return report.model_dump_json(indent=2) + "\n"


def count_summary(report: CountReport) -> str:
    """One line for stderr: what was counted."""
    files = len(report.files)
    line = f"counted {report.records:,} records in {files} file{'s' * (files != 1)} into {len(report.rows):,} {report.grain} figures"
    if report.unread:
        line += (
            f"; {report.unread:,} with no readable date {'is' if report.unread == 1 else 'are'} in no {report.grain}"
        )
    return line


def count_messages(report: CountReport, skip_invalid: bool) -> list[str]:
    """The lines for stderr: the findings (the first twenty), the periods left out, and a refusal."""
    lines = [finding_line(f) for f in report.findings[:SHOWN]]
    if len(report.findings) > SHOWN:
        lines.append(f"… and {len(report.findings) - SHOWN} more findings")
    lines += [f"kpitool: {visible_line(line)}" for line in report.left_out]
    if report.blocking and not skip_invalid:
        n = sum(f.count for f in report.blocking)
        lines.append(
            f"kpitool: error: {n:,} record{'s' * (n != 1)} cannot be counted; nothing was written"
            " (--skip-invalid writes the counts without them)"
        )
    return lines
