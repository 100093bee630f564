"""Check the arithmetic of published report tables: totals, % changes, arrows, parts, ratios.

A relationship is assumed only where the catalogue declares it, a row's name states it
(``KSI (fatal + serious)``), or it holds in most columns of the table; a reported figure is
an error only when no reading of the table's own rounding can explain it. The year values,
ratios and band are those of ``kpitool.arithmetic``, which ``compare`` uses too.
"""

from __future__ import annotations

from collections.abc import Sequence

from kpitool.audit.checks import check_change, check_direction, check_target, check_totals
from kpitool.audit.relations import check_parts, check_ratios
from kpitool.audit.table import TableView
from kpitool.codes import Code
from kpitool.models import Catalogue, Finding
from kpitool.numbers import show_value
from kpitool.readers import DataFile, Table


def audit_table(table: Table, name: str, catalogue: Catalogue | None = None) -> list[Finding]:
    """Every reported figure of one table against the table's own figures."""
    view = TableView(table, name, catalogue)
    checked = [c for c in table.columns if c.role in ("period", "total")]
    check_parts(view, checked)
    check_ratios(view, checked)  # before the totals: a rate's year is its terms' ratio
    for row in table.rows:
        check_totals(view, row)
        check_change(view, row)
        check_direction(view, row)
        check_target(view, row)
    if view.baseline_year_used:
        said = [c for c in table.columns if c.role in ("change", "direction")]
        col = said[0] if said else None
        view.findings.append(
            Finding(
                severity="info",
                code=Code.CHANGE_BASIS,
                file=name,
                row=table.header_row,
                column=col.index if col else None,
                column_name=col.header if col else None,
                message=f"{table.section}: no period column gives the baseline year, so the changes and arrows"
                f" were checked as {view.baseline_reading()}",
            )
        )
    return view.findings


def audit_file(data: DataFile, catalogue: Catalogue | None = None) -> list[Finding]:
    findings: list[Finding] = []
    for table in data.tables:
        findings.extend(audit_table(table, data.path, catalogue))
    return findings


def restatements(files: Sequence[DataFile]) -> list[Finding]:
    """The same measure and period with different values in two files: the later file wins."""
    import numpy as np
    import pandas as pd

    frames = [f.frame for f in files if not f.frame.empty]
    if len(frames) < 2:
        return []
    names = {int(f.frame["file_index"].iloc[0]): f.path for f in files if not f.frame.empty}
    parts = []
    for f in frames:
        part = f[["section", "measure", "period", "value", "row", "file_index"]].copy()
        for c in ("section", "measure", "period"):
            part[c] = part[c].astype(object)
        parts.append(part)
    keys = ["section", "measure", "period"]
    # each file's last word on a key (a repeat inside one file is validate's duplicate check)
    both = (
        pd.concat(parts, ignore_index=True)
        .sort_values(["file_index", "row"], kind="stable")
        .drop_duplicates([*keys, "file_index"], keep="last")
    )
    multi = both[both.duplicated(keys, keep=False)]
    if multi.empty:
        return []
    prev = multi.groupby(keys, sort=False)[["value", "row", "file_index"]].shift(1)
    a, b = prev["value"].to_numpy(dtype="float64"), multi["value"].to_numpy(dtype="float64")
    changed = prev["file_index"].notna().to_numpy() & ~((a == b) | (np.isnan(a) & np.isnan(b)))
    findings: list[Finding] = []
    for i in np.flatnonzero(changed).tolist():
        later, earlier = multi.iloc[i], prev.iloc[i]
        was, now = show_value(float(a[i])), show_value(float(b[i]))
        findings.append(
            Finding(
                code=Code.RESTATED,
                file=names[int(later["file_index"])],
                row=int(later["row"]),
                measure=str(later["measure"]),
                period=str(later["period"]),
                expected=was,
                actual=now,
                message=f"{later['measure']} {later['period']} is restated: {was} in"
                f" {names[int(earlier['file_index'])]} (row {int(earlier['row'])}), {now} here;"
                " compare uses this later file",
            )
        )
    return findings
