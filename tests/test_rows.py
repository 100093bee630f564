"""A report's rows as columns (``kpitool.rows``): the bulk path's rows are models only when read.

The table and its notes read the columns; every other reader (the JSON, a copy, a comparison, a
document) gets every row as a model, the same models the per-row path makes.
"""

from __future__ import annotations

import copy
import io
import pickle

from hypothesis import HealthCheck, given, settings
from pydantic import BaseModel, TypeAdapter
from rich.console import Console

from kpitool.compare import compare
from kpitool.document import build_document
from kpitool.errors import UsageError
from kpitool.methods import SMALL_NUMBERS
from kpitool.models import Catalogue, CompareOptions, Comparison, ComparisonReport
from kpitool.readers import Observations
from kpitool.render.terminal import render_table
from kpitool.rows import Rows
from test_bulk import _plain_frame, catalogues, observations, options


def _lazy() -> ComparisonReport:
    report = compare(_plain_frame())
    assert "comparisons" not in report.__dict__  # the bulk path's rows are not models yet
    return report


def test_the_report_is_whole_to_every_reader() -> None:
    eager = compare(_plain_frame(), per_row=True)
    reference = eager.model_dump_json()
    assert _lazy().model_dump_json() == reference
    dumped = _lazy().model_dump()
    assert list(dumped) == list(ComparisonReport.model_fields)  # the fields in their order
    assert len(dumped["comparisons"]) == len(eager.comparisons) == 5
    assert _lazy() == eager and eager == _lazy()
    assert copy.deepcopy(_lazy()).model_dump_json() == reference
    assert copy.copy(_lazy()).model_dump_json() == reference
    assert pickle.loads(pickle.dumps(_lazy())).model_dump_json() == reference
    assert "'Calls'" in repr(_lazy())
    assert len(dict(_lazy())["comparisons"]) == 5  # a model iterated: its fields and values
    assert (
        _lazy().model_copy(update={"notes": []}).model_dump_json()
        == eager.model_copy(update={"notes": []}).model_dump_json()
    )
    assert build_document(_lazy()).comparison.model_dump_json() == reference
    # dumped from outside: a TypeAdapter's, a model holding the report (pydantic's own serializer)
    assert TypeAdapter(ComparisonReport).dump_json(_lazy()).decode() == eager.model_dump_json()

    class Holder(BaseModel):
        report: ComparisonReport

    assert Holder(report=_lazy()).model_dump_json() == Holder(report=eager).model_dump_json()
    assert len(Holder(report=_lazy()).model_dump()["report"]["comparisons"]) == 5
    report = _lazy()
    assert [c.measure for c in report.comparisons] == [c.measure for c in eager.comparisons]
    assert all(type(c) is Comparison for c in report.comparisons)


def test_the_columns_are_the_models_fields() -> None:
    report = _lazy()
    columns = report.rows()
    models = Rows.of_models(compare(_plain_frame(), per_row=True).comparisons)
    for name in ("measure", "baseline_value", "current_value", "change", "direction", "notes", "history"):
        assert getattr(columns, name) == getattr(models, name), name
    assert [columns.quarters(i) for i in range(len(columns))] == [models.quarters(i) for i in range(len(models))]
    assert [list(q) for q in columns.quarter_values] == [list(q) for q in models.quarter_values]
    assert [list(q) for q in columns.current_quarters] == [list(q) for q in models.current_quarters]
    assert [sorted(b) for b in columns.baseline_labels] == [sorted(b) for b in models.baseline_labels]


def test_a_note_added_to_the_columns_is_the_models_before_and_after_they_are_made() -> None:
    report = _lazy()
    rows = report.rows()
    rows.notes[0].append("Added before.")
    rows.set_small_numbers(1, True)
    made = report.comparisons
    assert made[0].notes[-1] == "Added before." and made[1].small_numbers
    again = report.rows()  # the models' own now
    again.notes[0].append("Added after.")
    again.set_small_numbers(1, False)
    assert made[0].notes[-2:] == ["Added before.", "Added after."] and not made[1].small_numbers
    assert SMALL_NUMBERS not in made[0].notes


def _table(report: ComparisonReport, width: int, terminal: bool) -> str:
    out = io.StringIO()
    render_table(report, Console(file=out, width=width, force_terminal=terminal, color_system=None))
    return out.getvalue()


def _tables(obs: Observations, cat: Catalogue | None, opts: CompareOptions, per_row: bool) -> list[str]:
    try:
        report = compare(obs, cat, opts, per_row=per_row)
    except UsageError as exc:
        return [str(exc)]
    drawn = [_table(report, 80, False), _table(report, 100, True), report.model_dump_json()]
    assert "comparisons" in report.__dict__  # the models made: the same table from them
    return [*drawn, _table(report, 80, False) == drawn[0]]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(observations(), catalogues(), options())
def test_the_table_drawn_from_the_columns_is_the_table_of_the_models(
    obs: Observations, cat: Catalogue | None, opts: CompareOptions
) -> None:
    """Drawn before any row is a model (and the JSON after), as the per-row path's models draw it."""
    assert _tables(obs, cat, opts, per_row=False) == _tables(obs, cat, opts, per_row=True)


def test_an_empty_report_of_rows_has_no_rows_to_every_reader() -> None:
    empty = ComparisonReport.of_rows(Rows.of([]), baseline="2022/23", current="2023/24", tolerance=5.0, quarters=[])
    assert empty.comparisons == [] and empty.model_dump()["comparisons"] == []


def test_the_part_year_heading_follows_the_rows_the_report_holds_now() -> None:
    """A renderer's answer about a report is kept while the same rows are held: rows added, it is asked again."""
    from kpitool.render.values import value_heading

    report = compare(_plain_frame())
    report.comparisons = [c for c in report.comparisons if c.measure == "Satisfied %"]  # Q1–Q3 only
    assert value_heading(report) == "2023/24 Q1–Q3"
    report.comparisons = [*report.comparisons, *compare(_plain_frame()).comparisons[:1]]  # a whole year too
    assert value_heading(report) == "2023/24 value"
