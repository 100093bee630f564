"""The comparison's models: each row of the KPI table, how its arrow was drawn, and the report."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from pydantic import (
    BaseModel,
    Field,
    GetJsonSchemaHandler,
    PrivateAttr,
    SerializerFunctionWrapHandler,
    model_serializer,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema

from kpitool.codes import Code
from kpitool.models import (
    ARROWS,
    Aggregate,
    Assessment,
    Assurance,
    Direction,
    Finding,
    Method,
    Polarity,
    Unit,
    Variation,
)
from kpitool.periods import Period

if TYPE_CHECKING:
    from kpitool.rows import Rows


class Delta(BaseModel):
    """One value against another: absolute change and relative change in %."""

    from_period: str
    to_period: str
    from_value: float | None
    to_value: float | None
    absolute: float | None
    relative: float | None


HistoryGrain = Literal["month", "quarter", "rolling year", "year"]


class PeriodValue(BaseModel):
    """One period's value: a quarter of the table, or a point of a row's history."""

    period: str
    value: float | None
    marker: str | None = None


class Significance(BaseModel):
    """Is the change more than chance? The test, its p-value and the interval of its estimate."""

    test: Literal["exact Poisson", "Newcombe score", "not tested"]
    confidence: float  # % level of the interval
    estimate: Literal["rate ratio", "difference (pp)"] | None = None
    value: float | None = None  # the estimate: current rate / baseline rate, or current % − baseline %
    low: float | None = None
    high: float | None = None
    p_value: float | None = None
    significant: bool | None = None
    reason: str | None = None  # why the change was not tested


class Signal(BaseModel):
    """One SPC rule that fired, on which side of the mean, at which points."""

    rule: Literal["beyond a limit", "run", "trend", "two of three beyond 2σ"]
    side: Literal["high", "low"]
    periods: list[str]


class ControlChart(BaseModel):
    """An XmR chart of a measure's own series and what its latest point shows."""

    periods: list[str] = Field(default_factory=list)
    values: list[float] = Field(default_factory=list)
    since: str | None = None  # the first period of the limits (after the latest rebase)
    mean: float | None = None
    upper: float | None = None  # the process limits: mean ± 2.66 × the mean moving range
    lower: float | None = None
    moving_range: float | None = None  # the mean moving range, after screening
    ranges_left_out: int = 0  # moving ranges ≥ 3.267 × the mean, left out of the limits
    gaps: list[str] = Field(default_factory=list)  # periods inside the series without a value: not points
    signals: list[Signal] = Field(default_factory=list)
    latest: str | None = None
    variation: Variation | None = None
    rule: str | None = None  # the rule that decided the latest point's variation
    assurance: Assurance | None = None  # against the measure's target
    reason: str | None = None  # why there is no chart (too few points, say)


class Comparison(BaseModel):
    """One measure's row of the KPI table, in one area (``""``: the measure's own section)."""

    measure: str
    section: str
    area: str = ""
    unit: Unit
    aggregate: Aggregate
    polarity: Polarity
    tolerance: float
    inferred: bool = False
    baseline_period: str | None
    baseline_basis: str
    baseline_value: float | None
    current_period: str
    current_basis: str
    quarters: list[PeriodValue]
    baseline_quarters: list[PeriodValue] = Field(default_factory=list)  # the baseline year's, where the data have them
    current_value: float | None
    change: float | None = Field(description="current_value - baseline_value, in the measure's unit")
    change_pct: float | None = Field(
        description="the change relative to the baseline, in % of it (None for a zero baseline); for a percent"
        " measure too, where the table's headline is `change` in percentage points, as change_unit says"
    )
    change_unit: Literal["%", "pp"] = Field(
        description="what the table's % change column shows: change_pct (%), or change in percentage points (pp)"
    )
    direction: Direction | None
    assessment: Assessment
    quarter_on_quarter: Delta | None = None
    year_on_year: Delta | None = None
    history: list[PeriodValue] = Field(default_factory=list)  # the trend to the current period, on the data's grain
    history_grain: HistoryGrain = "quarter"  # what each point of the history is: a rolling year is a quarter apart
    notes: list[str] = Field(default_factory=list)
    current_quarters: list[str] = Field(default_factory=list)  # the quarters the current value is made of
    complete: bool = True  # every quarter of the current year has a value (or it is a year figure)
    projected: bool = False  # the current value is a part year projected to the year (--pro-rata)
    not_compared: str | None = None  # why there is no change or arrow, when a part year is not comparable
    method: Method = "band"  # what drew this row's arrow
    significance: Significance | None = None
    spc: ControlChart | None = None
    target: float | None = None
    target_met: bool | None = None
    small_numbers: bool = False  # a count below 10, or a rate resting on fewer than 10 events

    @property
    def history_values(self) -> list[float | None]:
        return [p.value for p in self.history]

    @property
    def arrow(self) -> str:
        return ARROWS[self.direction] if self.direction else "n/a"


class CompareOptions(BaseModel):
    """What to compare: the years (None: from the catalogue or the data), the band, the filters."""

    baseline: Period | None = None
    current: Period | None = None
    tolerance: float | None = Field(default=None, ge=0)
    sections: list[str] = Field(default_factory=list)
    measures: list[str] = Field(default_factory=list)
    pro_rata: bool = False  # project a part-year flow to the year (labelled a projection)
    method: Method | None = None  # None: the catalogue's, else the band
    confidence: float | None = Field(default=None, gt=50, lt=100)


class SkippedRow(BaseModel):
    """An input row that was not used (``--skip-invalid``), and why."""

    file: str | None
    row: int | None
    cell: str | None
    measure: str | None
    period: str | None
    code: Code
    message: str
    section: str | None = None
    more_rows: list[int] = Field(default_factory=list)  # further rows of the same kind, not listed one by one

    def concerns(self, measure: str, section: str, area: str) -> bool:
        """Is this skipped row one of a compared row's, of that measure, in that section or area?"""
        if not self.measure or self.measure.strip().lower() != measure.strip().lower():
            return False
        where = (self.section or "").strip().lower()
        return not where or where in (section.strip().lower(), area.strip().lower())

    @classmethod
    def of(cls, f: Finding) -> SkippedRow:
        return cls(
            file=f.file,
            row=f.row,
            cell=f.cell,
            measure=f.measure,
            period=f.period,
            code=f.code,
            message=f.message,
            section=f.section,
            more_rows=f.more_rows,
        )

    @property
    def sentence(self) -> str:
        where = f"{self.file}:{self.cell}" if self.cell else (self.file or "")
        about = " ".join(x for x in (self.measure, self.period) if x)
        return f"Not read ({self.code}): {where}" + (f" ({about})" if about else "") + f": {self.message}."


class ComparisonReport(BaseModel):
    """The KPI tables: every compared measure, with the method stated."""

    baseline: str | None
    current: str
    tolerance: float
    method: Method = "band"
    confidence: float = 95.0
    quarters: list[str]
    baseline_quarters: list[str] = Field(default_factory=list)  # the baseline year's quarters some row has
    comparisons: list[Comparison]
    notes: list[str] = Field(default_factory=list)
    files: list[str] = Field(default_factory=list)
    skipped: list[SkippedRow] = Field(default_factory=list)  # rows left out by --skip-invalid
    # the rows as columns, where some are not models yet (kpitool.bulk's): ``comparisons`` is made
    # from them when first read, and before any dump, copy or comparison of the report
    _rows: Any = PrivateAttr(default=None)

    @classmethod
    def of_rows(cls, rows: Rows, **fields: Any) -> ComparisonReport:
        """The report of ``rows``, whose models are made only when ``comparisons`` is read."""
        report = cls(comparisons=[], **fields)
        del report.__dict__["comparisons"]
        report._rows = rows
        return report

    def rows(self) -> Rows:
        """The rows as columns, without making a model of any row that is not one yet (a report whose
        rows are models: columns made from them, each call)."""
        from kpitool.rows import Rows

        if "comparisons" not in self.__dict__:
            rows: Rows = self._rows
            return rows
        return Rows.of_models(self.comparisons)

    def held(self) -> tuple[int, int]:
        """What holds the rows now (its identity) and how many: a renderer's cached answer about a
        report holds while these do."""
        held = self.__dict__.get("comparisons", self._rows)
        return id(held), len(held)

    def _made(self) -> ComparisonReport:
        d = self.__dict__
        if "comparisons" not in d:
            d["comparisons"] = self._rows.models()
            self._rows = None
            ordered = {name: d[name] for name in type(self).model_fields}  # a dump's order is the dict's
            d.clear()
            d.update(ordered)
        return self

    if not TYPE_CHECKING:  # to mypy, ``comparisons`` is the field it is

        def __getattr__(self, name: str) -> Any:
            if name == "comparisons" and (self.__pydantic_private__ or {}).get("_rows") is not None:
                return self._made().__dict__["comparisons"]
            return super().__getattr__(name)

    @model_serializer(mode="wrap")
    def _whole(self, handler: SerializerFunctionWrapHandler) -> Any:
        """Every row a model before any dump (``model_dump``, a TypeAdapter's, a model holding the report)."""
        return handler(self._made())

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        # the schema of the fields, as without the serializer above (which changes no field)
        plain = {k: v for k, v in core_schema.items() if k != "serialization"}
        return handler(plain)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, ComparisonReport):
            other._made()
        return super(ComparisonReport, self._made()).__eq__(other)

    __hash__ = None  # type: ignore[assignment]

    def __copy__(self) -> ComparisonReport:
        return super(ComparisonReport, self._made()).__copy__()

    def __deepcopy__(self, memo: dict[int, Any] | None = None) -> ComparisonReport:
        return super(ComparisonReport, self._made()).__deepcopy__(memo)

    def __getstate__(self) -> dict[Any, Any]:
        return super(ComparisonReport, self._made()).__getstate__()

    def __repr_args__(self) -> Any:
        return super(ComparisonReport, self._made()).__repr_args__()

    def __iter__(self) -> Any:
        return super(ComparisonReport, self._made()).__iter__()

    @property
    def rows_skipped(self) -> int:
        """How many input rows --skip-invalid left out (a skipped finding can stand for many)."""
        return sum(1 + len(s.more_rows) for s in self.skipped)

    def sections(self) -> dict[str, list[Comparison]]:
        """The rows by table: each section, and each area's section apart (``Durham — Call data``)."""
        out: dict[str, list[Comparison]] = {}
        for c in self.comparisons:
            title = " — ".join(x for x in (c.area, c.section) if x)
            out.setdefault(title, []).append(c)
        return out
