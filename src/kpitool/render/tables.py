"""A report section's table as text cells, shared by the HTML and Word renderers.

The columns are compare's (``markdown.headers`` / ``row_cells``: baseline, quarters, year value,
change, % or pp) with the direction as arrow and word, then the assessment in words, so that no
cell is a symbol alone and no meaning rests on colour.
"""

from __future__ import annotations

import weakref

from kpitool.document import MeasureEntry, ReportDocument, ReportSection
from kpitool.models import Comparison
from kpitool.render.markdown import headers, row_cells
from kpitool.render.values import assessment_words, direction_words

NUMERIC_FROM = 1  # the columns from here to the direction are figures (right-aligned)


def method_of(c: Comparison) -> str | None:
    """The method that drew the row's arrow (band, significance, spc); none where no arrow was drawn."""
    return c.method if c.direction is not None else None


def shows_method(doc: ReportDocument) -> bool:
    """Every output says which method drew each arrow: the method notes say it once when one method
    drew them all; a column says it row by row when they differ (a test not possible, say, so the
    band drew that arrow)."""
    held = doc.comparison.held()
    if _SHOWN and _SHOWN[0][0]() is doc and _SHOWN[0][1] == held:  # asked once a row: answered once a document
        return _SHOWN[0][2]
    answer = len({m for c in doc.comparison.comparisons if (m := method_of(c))}) > 1
    _SHOWN[:] = [(weakref.ref(doc), held, answer)]
    return answer


# the last document's answer, held weakly, with what held its rows then
_SHOWN: list[tuple[weakref.ref[ReportDocument], tuple[int, int], bool]] = []


def table_headers(doc: ReportDocument) -> list[str]:
    return [*headers(doc.comparison)[:-1], "Direction", "Assessment", *(["Method"] * shows_method(doc))]


def entry_cells(doc: ReportDocument, entry: MeasureEntry) -> list[str]:
    """The row's cells as displayed: rounded half away from zero, units, markers kept."""
    c = entry.comparison
    method = [method_of(c) or "n/a"] if shows_method(doc) else []
    return [*row_cells(c, doc.comparison)[:-1], direction_words(c), assessment_words(c), *method]


def note_marks(entry: MeasureEntry) -> list[str]:
    """``[note 1]``: how a row points to its notes, in every format."""
    return [f"[note {n}]" for n in entry.notes]


def caption(doc: ReportDocument, section: ReportSection) -> str:
    against = f" against the baseline {doc.comparison.baseline}" if doc.comparison.baseline else ""
    return f"{section.title}: {doc.comparison.current}{against}"
