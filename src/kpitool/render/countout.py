"""``kpitool count`` as the long format every other command reads: section, measure, period, value."""

from __future__ import annotations

import csv
import io

from kpitool.counting import CountReport
from kpitool.render.csvout import _num, safe_text


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
