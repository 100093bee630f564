"""A report's rows as columns: what the KPI table, its notes and the report's summaries read.

Rows made one by one are ``Comparison`` models from the start; the plain rows of a large table
(``kpitool.bulk``) are columns, and become models only when something reads them as models (the
JSON, Word, Excel, the commentary: ``ComparisonReport.comparisons``). ``Rows`` holds both, in the
table's order, with every figure the table shows a column, so that the table is drawn and its
notes are added without a model a figure (62,500 rows: ~700,000 models).

A row's ``notes`` list is its model's own: a note added here is the model's, made before or after.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import chain
from operator import itemgetter
from typing import Any

from kpitool.heap import gc_paused
from kpitool.models import Assessment, Comparison, Direction, Method, Unit

# a quarter the row shows: its label, its value (None: a marker alone) and its marker
Quarter = tuple[str, float | None, str | None]

# the fields of a row every reader of the table uses, a column each (in this order in a row's tuple)
FIELDS = (
    "measure",
    "section",
    "area",
    "unit",
    "baseline_period",
    "baseline_basis",
    "baseline_value",
    "current_value",
    "change",
    "change_pct",
    "change_unit",
    "direction",
    "assessment",
    "method",
    "inferred",
    "complete",
    "projected",
    "current_quarters",
    "small_numbers",
    "notes",
)
# and what the table shows of its quarters and trend
SHOWN = ("quarter_labels", "quarter_values", "quarter_markers", "baseline_labels", "history")
_FIELDS_OF = itemgetter(*FIELDS)
COLUMNS = (*FIELDS, *SHOWN)


def row_of(c: Comparison) -> tuple[object, ...]:
    """A model's row: its fields' values in ``COLUMNS``' order (``notes``: its own list)."""
    return (
        *_FIELDS_OF(c.__dict__),
        tuple(q.period for q in c.quarters),
        [q.value for q in c.quarters],
        [q.marker for q in c.quarters] if any(q.marker is not None for q in c.quarters) else None,
        tuple(q.period for q in c.baseline_quarters),
        [p.value for p in c.history],
    )


def transposed(rows: Sequence[tuple[object, ...]]) -> dict[str, list[Any]]:
    """Row tuples (``COLUMNS``' order) as columns."""
    cols = [list(c) for c in zip(*rows, strict=True)] or [[] for _ in COLUMNS]
    return dict(zip(COLUMNS, cols, strict=True))


@dataclass
class Block:
    """Rows made together: their places in the table (its rows' order), their columns
    (``COLUMNS``), and the model of the ``j``-th of them, made when asked (``model(j, rows, k)``:
    it is row ``k`` of ``rows``, whose notes list its model shares)."""

    places: list[int]
    columns: dict[str, list[Any]]
    model: Callable[[int, Rows, int], Comparison]
    models: list[Comparison] | None = None  # the rows are these models already

    @classmethod
    def of_models(cls, places: list[int], models: list[Comparison]) -> Block:
        return cls(places, transposed([row_of(c) for c in models]), lambda j, rows, k: models[j], models)


def merged(blocks: Sequence[Block]) -> Rows:
    """The blocks' rows as one table, in the order of their places; the rows of a block of models
    are those models."""
    places = list(chain.from_iterable(b.places for b in blocks))
    columns = {name: list(chain.from_iterable(b.columns[name] for b in blocks)) for name in COLUMNS}
    starts = [0]
    for b in blocks:
        starts.append(starts[-1] + len(b.places))
    order = sorted(range(len(places)), key=places.__getitem__)
    if order != list(range(len(places))):
        columns = {name: [column[i] for i in order] for name, column in columns.items()}

    def make(k: int) -> Comparison:
        at = order[k]
        n = bisect_right(starts, at) - 1
        return blocks[n].model(at - starts[n], rows, k)

    rows = Rows(**columns, make=make)  # type: ignore[arg-type]
    position = {at: k for k, at in enumerate(order)} if any(b.models for b in blocks) else {}
    for b, start in zip(blocks, starts, strict=False):
        for j, model in enumerate(b.models or ()):
            rows.made[position[start + j]] = model  # a mark set on the row is its model's at once
    return rows


@dataclass
class Rows:
    """Each row's fields as a column (``rows.measure[i]``), the rows in the table's order.

    ``made``: the rows that are models already, by place; ``make``: the model of any other row,
    made when first asked (``None``: every row is in ``made``)."""

    measure: list[str]
    section: list[str]
    area: list[str]
    unit: list[Unit]
    baseline_period: list[str | None]
    baseline_basis: list[str]
    baseline_value: list[float | None]
    current_value: list[float | None]
    change: list[float | None]
    change_pct: list[float | None]
    change_unit: list[str]
    direction: list[Direction | None]
    assessment: list[Assessment]
    method: list[Method]
    inferred: list[bool]
    complete: list[bool]
    projected: list[bool]
    current_quarters: list[Sequence[str]]
    small_numbers: list[bool]
    notes: list[list[str]]
    # the quarters of the current year the row shows: their labels (rows made together share one
    # tuple), values (None: a marker alone) and markers (None: no quarter has one)
    quarter_labels: list[tuple[str, ...]]
    quarter_values: list[Sequence[float | None]]
    quarter_markers: list[Sequence[str | None] | None]
    baseline_labels: list[Sequence[str]]  # the baseline year's quarters it has
    history: list[list[float | None]]  # its trend's values
    made: dict[int, Comparison] = field(default_factory=dict)
    make: Callable[[int], Comparison] | None = None

    @classmethod
    def of(
        cls,
        rows: Iterable[tuple[object, ...]],
        made: dict[int, Comparison] | None = None,
        make: Callable[[int], Comparison] | None = None,
    ) -> Rows:
        """Rows from their tuples (``COLUMNS``' order)."""
        cols = [list(c) for c in zip(*rows, strict=True)] or [[] for _ in COLUMNS]
        return cls(**dict(zip(COLUMNS, cols, strict=True)), made=made or {}, make=make)

    @classmethod
    def of_models(cls, comparisons: Sequence[Comparison]) -> Rows:
        return cls.of(map(row_of, comparisons), made=dict(enumerate(comparisons)))

    def __len__(self) -> int:
        return len(self.measure)

    def model(self, i: int) -> Comparison:
        """Row ``i`` as a model: made once, then the same model."""
        found = self.made.get(i)
        if found is None:
            assert self.make is not None, f"row {i} has no model and nothing to make it"
            found = self.made[i] = self.make(i)
        return found

    def models(self) -> list[Comparison]:
        """Every row as a model (the cycle collector paused: 62,500 rows make ~700,000 objects,
        and its passes over a heap growing by them cost more than making them)."""
        with gc_paused():
            return [self.model(i) for i in range(len(self))]

    def quarters(self, i: int) -> list[Quarter]:
        """Row ``i``'s quarters: each one's label, value and marker."""
        markers = self.quarter_markers[i] or [None] * len(self.quarter_labels[i])
        return list(zip(self.quarter_labels[i], self.quarter_values[i], markers, strict=True))

    def set_small_numbers(self, i: int, value: bool) -> None:
        self.small_numbers[i] = value
        if i in self.made:
            self.made[i].small_numbers = value

    def take(self, at: Sequence[int]) -> Rows:
        """Some of the rows, in the order given, to read (their models are the whole table's; their
        notes lists are its rows' own, but ``set_small_numbers`` on them is not the table's)."""
        first = at[0] if at else 0
        if list(at) == list(range(first, first + len(at))):  # most often: a run of rows, sliced
            columns = {n: getattr(self, n)[first : first + len(at)] for n in COLUMNS}
            return Rows(**columns, make=lambda k: self.model(first + k))
        columns = {name: [column[i] for i in at] for name, column in ((n, getattr(self, n)) for n in COLUMNS)}
        return Rows(**columns, make=lambda k: self.model(at[k]))

    def sections(self) -> dict[str, list[int]]:
        """The rows by table (``ComparisonReport.sections``): each section, each area's apart."""
        out: dict[str, list[int]] = {}
        for i, (area, section) in enumerate(zip(self.area, self.section, strict=True)):
            title = f"{area} — {section}" if area and section else area or section
            out.setdefault(title, []).append(i)
        return out
