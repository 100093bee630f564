"""The pydantic models every layer speaks: catalogue, observations, findings, comparisons."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    ValidationError,
    ValidationInfo,
    WithJsonSchema,
    computed_field,
    field_validator,
    model_validator,
)

from kpitool.arithmetic import DEFAULT_AGGREGATE, scale_of
from kpitool.codes import REGISTRY, SEVERITIES, Code, Severity
from kpitool.errors import ExitCode
from kpitool.periods import Period, YearStart, parse_period
from kpitool.sources import Condition, Source, Where, where_text

if TYPE_CHECKING:
    from kpitool.readers.base import ReadOptions

Unit = Literal["count", "percent", "seconds", "currency", "number"]
Aggregate = Literal["sum", "last", "mean", "ratio"]
Polarity = Literal["up", "down", "neutral"]
Direction = Literal["up", "down", "level"]
Assessment = Literal["improving", "worsening", "stable", "not assessed"]
Method = Literal["band", "significance", "spc"]  # what draws the arrow
Variation = Literal["special cause improvement", "special cause concern", "special cause", "common cause"]
Assurance = Literal["consistently passing", "consistently failing", "may pass or fail"]

ARROWS: dict[str, str] = {"up": "↑", "down": "↓", "level": "↔"}


def _period_from_text(value: Any, info: ValidationInfo) -> Any:
    """A period as the catalogue spells it, read with the project's year start (the validation context)."""
    if isinstance(value, str):
        year_start = (info.context or {}).get("year_start", "april")
        return parse_period(value, year_start if year_start in ("april", "january") else "april")
    return value


# A period in kpitool.toml: text there ("2022/23", "2024 Q2"), a Period inside, its label in JSON.
PeriodText = Annotated[
    Period,
    BeforeValidator(_period_from_text),
    PlainSerializer(lambda p: p.label, return_type=str),
    WithJsonSchema({"type": "string", "examples": ["2022/23", "2023/24 Q2", "2010"]}),
]


def _a_year(value: Period | None) -> Period | None:
    """A baseline is a year, never a quarter."""
    if value is not None and value.is_quarter:
        raise ValueError(f"a baseline is a year such as 2022/23, not a quarter ({value})")
    return value


def _periods_of(value: Any, year_start: YearStart) -> Any:
    """A period (or a list of them) spelled as text, read with the catalogue's year start."""
    if isinstance(value, list):
        return [_periods_of(v, year_start) for v in value]
    return parse_period(value, year_start) if isinstance(value, str) else value


def column_letter(column: int) -> str:
    """1 -> A, 27 -> AA, as a spreadsheet heads its columns."""
    letters = ""
    while column > 0:
        column, rem = divmod(column - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


class Observation(BaseModel):
    """One value of one measure for one period; ``value`` None is missing, never zero."""

    measure: str
    period: Period
    value: float | None
    section: str = ""
    marker: str | None = None
    file: str | None = None
    row: int | None = None


def _mean_terms(name: str, column: str) -> tuple[str, str]:
    return f"{name}: total of {column}", f"{name}: records with {column}"


class Measure(BaseModel):
    """A catalogue entry: what a measure is and how its quarters make a year."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1)
    section: str = ""
    unit: Unit = "count"
    aggregate: Aggregate = "sum"
    polarity: Polarity = "neutral"
    tolerance: float | None = Field(default=None, ge=0)
    # the places its published figures are rounded to, whatever a cell shows (FTE shown whole: 0);
    # each such figure then stands for ±half a unit of that place in totals, parts and changes
    decimals: int | None = Field(default=None, ge=0, le=10)
    parts: list[str] = Field(default_factory=list)
    numerator: str | None = None
    denominator: str | None = None
    baseline: PeriodText | None = None
    since: PeriodText | None = None
    aliases: list[str] = Field(default_factory=list)
    description: str = ""
    method: Method | None = None  # what draws this measure's arrow, if not the project's method
    target: float | None = Field(default=None, allow_inf_nan=False, strict=True)  # met on the polarity's better side
    rebase: list[PeriodText] = Field(default_factory=list)  # SPC: the process changed at these periods
    # a measure made from records: the records source it counts, the column it adds up instead
    # (``sum``) or averages (``mean``), and which records (``where``); month by month, so a quarter
    # is its months' sum, and a mean is the ratio of two such sums (see ``mean_terms``)
    source: list[str] = Field(default_factory=list)  # one records source, or several (a file per force)
    sum: str | None = None
    mean: str | None = None
    where: Where = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _a_mean_is_a_ratio(cls, data: Any) -> Any:
        """``mean = "Cost"``: the records' total of Cost over the number of records with a Cost.

        A mean of monthly means would weigh a quiet month as much as a busy one; the ratio of the
        two totals is the mean of the records in every month, quarter and year.
        """
        if not isinstance(data, dict) or data.get("mean") is None:
            return data
        given = [k for k in ("numerator", "denominator", "sum") if data.get(k) is not None]
        if given:
            raise ValueError(
                f"mean = {data['mean']!r} makes its own numerator and denominator; leave out {', '.join(given)}"
            )
        if data.get("aggregate", "mean") not in ("mean", "ratio"):
            raise ValueError(
                f"mean = {data['mean']!r} is the ratio of the records' total to their number; leave out"
                f" aggregate = {data['aggregate']!r}"
            )
        numerator, denominator = _mean_terms(str(data.get("name", "")), str(data["mean"]))
        return {**data, "aggregate": "ratio", "numerator": numerator, "denominator": denominator}

    @model_validator(mode="before")
    @classmethod
    def _aggregate_follows_unit(cls, data: Any) -> Any:
        """Without an ``aggregate``, counts and money sum; percentages and times take the mean."""
        unit = data.get("unit") if isinstance(data, dict) else None
        if isinstance(data, dict) and "aggregate" not in data and isinstance(unit, str) and unit in DEFAULT_AGGREGATE:
            return {**data, "aggregate": DEFAULT_AGGREGATE[data["unit"]]}
        return data

    @field_validator("baseline")
    @classmethod
    def _baseline_is_a_year(cls, value: Period | None) -> Period | None:
        return _a_year(value)

    @model_validator(mode="after")
    def _ratio_needs_terms(self) -> Measure:
        if self.aggregate == "ratio" and not (self.numerator and self.denominator):
            raise ValueError("aggregate = 'ratio' needs both numerator and denominator")
        if (self.numerator or self.denominator) and self.aggregate != "ratio":
            raise ValueError("numerator/denominator are only for aggregate = 'ratio'")
        if self.target is not None and self.polarity == "neutral":
            raise ValueError("a target needs polarity = 'up' or 'down', to say which side of it is met")
        if any(p.kind == "rolling" for p in self.rebase):
            raise ValueError("rebase: a process changes at a month, quarter or year, not a rolling year")
        if (self.sum or self.mean or self.where) and not self.source:
            raise ValueError(
                "sum, mean and where are for a measure made from records: give source = the records source"
            )
        if self.source and not self.mean and self.aggregate != "sum":
            raise ValueError(
                "a measure made from records is counted (or added up) month by month, so its aggregate is 'sum';"
                ' for a mean of a column, write mean = "Column"'
            )
        return self

    @property
    def mean_terms(self) -> tuple[str, str]:
        """A records mean's numerator and denominator: the column's total, the records with a number in it."""
        assert self.mean is not None
        return _mean_terms(self.name, self.mean)

    def terms(self) -> list[Measure]:
        """The measures a records mean is the ratio of (none for any other measure)."""
        if self.mean is None:
            return []
        total, count = self.mean_terms
        made = {"section": self.section, "aggregate": "sum", "source": self.source, "where": self.where}
        unit: Unit = "number" if self.unit == "percent" else self.unit
        return [
            Measure.model_validate({**made, "name": total, "unit": unit, "sum": self.mean}),
            Measure.model_validate({**made, "name": count, "unit": "count"}),
        ]

    @property
    def ratio_scale(self) -> float:
        """A ratio's numerator / denominator × this: per hundred for a percent rate, per one otherwise
        (a mean over records is stated in its column's own unit, a percent column's mean too)."""
        return 1.0 if self.mean else scale_of(self.unit)

    @field_validator("source", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value

    @field_validator("where", mode="before")
    @classmethod
    def _conditions(cls, value: Any) -> Any:
        """``{ ge = 18 }`` is a condition, said in our words when it is wrong."""
        if not isinstance(value, dict):
            return value
        out = {}
        for column, test in value.items():
            if isinstance(test, Condition):  # already read (a records mean's terms take its filter)
                out[column] = test
                continue
            if isinstance(test, dict):
                try:
                    test = Condition.model_validate(test)
                except ValidationError as exc:
                    err = exc.errors()[0]
                    known = ", ".join(Condition.model_fields)
                    if err["type"] == "extra_forbidden":
                        raise ValueError(
                            f"where {column!r}: unknown test {err['loc'][-1]!r} (known: {known})"
                        ) from None
                    raise ValueError(f"where {column!r}: {err['msg'].removeprefix('Value error, ')}") from None
            elif isinstance(test, bool) or not isinstance(test, str | int | float | list):
                raise ValueError(
                    f"where {column!r}: give text, a number, a list (any of) or a test such as {{ ge = 18 }}"
                )
            out[column] = test
        return out

    @property
    def filter_text(self) -> str:
        return where_text(self.where)

    @property
    def key(self) -> tuple[str, str]:
        return (self.section, self.name)


class Catalogue(BaseModel):
    """``kpitool.toml``: the project's defaults and its measures."""

    model_config = ConfigDict(extra="forbid")

    name: str = ""
    title: str = ""  # the report's title under the name (kpitool report)
    source: str = ""  # where the data come from, as the report's source line says it
    year_start: YearStart = "april"  # before the fields whose periods it decides
    baseline: PeriodText | None = None
    tolerance: float = Field(default=5.0, ge=0)
    method: Method = "band"
    confidence: float = Field(default=95.0, gt=50, lt=100)  # % level of the significance method's intervals
    data: list[str] = Field(default_factory=list)
    missing: list[str] = Field(default_factory=list)  # more cell texts that mean "no value" (as published)
    measures: list[Measure] = Field(default_factory=list)
    sections: dict[str, str] = Field(default_factory=dict)  # report table title -> catalogue section
    # a section's (or report table title's) published places, for every figure of it that has no
    # measure's own ``decimals``: FTE tables published whole stand for ±0.5 throughout
    decimals: dict[str, Annotated[int, Field(ge=0, le=10)]] = Field(default_factory=dict)
    sources: list[Source] = Field(default_factory=list)  # [[source]]: how each supplier's files look
    path: Path | None = Field(default=None, exclude=True)

    @field_validator("baseline")
    @classmethod
    def _baseline_is_a_year(cls, value: Period | None) -> Period | None:
        return _a_year(value)

    @field_validator("data")
    @classmethod
    def _patterns_are_not_blank(cls, value: list[str]) -> list[str]:
        if any(not p.strip() for p in value):
            raise ValueError("a data pattern is blank; give a file or a glob such as data/*.csv")
        return value

    @field_validator("measures", mode="before")
    @classmethod
    def _measure_periods(cls, value: Any, info: ValidationInfo) -> Any:
        """Built in code (no context), the measures' periods are read with this catalogue's year start."""
        if info.context is not None or not isinstance(value, list):
            return value
        year_start = info.data.get("year_start", "april")
        out = []
        for m in value:
            if isinstance(m, dict):
                m = {k: _periods_of(v, year_start) if k in ("baseline", "since", "rebase") else v for k, v in m.items()}
            out.append(m)
        return out

    @model_validator(mode="after")
    def _periods_fit_the_year(self) -> Catalogue:
        calendar = self.year_start == "january"
        for m in self.measures:
            for what, p in (("baseline", m.baseline), ("since", m.since)):
                if p is not None and (p.is_quarter or not p.calendar) and p.calendar != calendar:
                    kind = "calendar" if calendar else "fiscal"
                    raise ValueError(f"measure {m.name!r}: {what} {p} is not a period of this project's {kind} years")
        return self

    @model_validator(mode="after")
    def _sources_resolve(self) -> Catalogue:
        names = [s.name.strip().lower() for s in self.sources if s.name.strip()]
        if len(names) != len(set(names)):
            twice = next(n for n in names if names.count(n) > 1)
            raise ValueError(f"source {twice!r} is declared twice")
        records = {s.name.strip().lower() for s in self.sources if s.records}
        for m in self.measures:
            for name in m.source:
                if name.strip().lower() not in records:
                    known = ", ".join(sorted(repr(s.name) for s in self.sources if s.records)) or "none"
                    raise ValueError(
                        f"measure {m.name!r}: source = {name!r} is not a records source of this catalogue"
                        f" (records sources: {known})"
                    )
        for s in self.sources:
            s.root = self.root
            if s.records and not self.measures_of(s):
                raise ValueError(
                    f"records source {s.name!r} has no measure: add a [[measure]] with source = {s.name!r}"
                    " (it counts the records; where = {…} says which)"
                )
        return self

    def record_sources(self) -> list[Source]:
        return [s for s in self.sources if s.records]

    def measures_of(self, source: Source) -> list[Measure]:
        """The measures made from a records source's records."""
        name = source.name.strip().lower()
        return [m for m in self.measures if name in (n.strip().lower() for n in m.source)]

    def source_of(self, path: Path) -> Source | None:
        """The first [[source]] whose files include ``path``."""
        return next((s for s in self.sources if s.holds(path)), None)

    @model_validator(mode="after")
    def _references_resolve(self) -> Catalogue:
        seen: set[tuple[str, str]] = set()
        for m in [*self.measures, *self.terms]:
            if m.key in seen:
                where = f" in section {m.section!r}" if m.section else ""
                raise ValueError(f"measure {m.name!r} is declared twice{where}")
            seen.add(m.key)
        for m in self.measures:
            for ref in [*m.parts, m.numerator, m.denominator]:
                if ref is not None and self.resolve(ref, m.section) is None:
                    raise ValueError(f"measure {m.name!r} refers to {ref!r}, which is not in the catalogue")
        return self

    @cached_property
    def terms(self) -> list[Measure]:
        """The measures behind each records mean (its total and its records), found by name as any other."""
        return [t for m in self.measures for t in m.terms()]

    @cached_property
    def _names(self) -> dict[str, list[Measure]]:
        """Measures by lower-case name and alias (the catalogue is not changed once loaded)."""
        index: dict[str, list[Measure]] = {}
        for m in [*self.measures, *self.terms]:
            for name in dict.fromkeys(n.strip().lower() for n in (m.name, *m.aliases)):
                index.setdefault(name, []).append(m)
        return index

    @cached_property
    def _titles(self) -> dict[str, str]:
        return {k.strip().lower(): v.strip().lower() for k, v in self.sections.items()}

    def resolve(self, name: str, section: str = "") -> Measure | None:
        """The measure called ``name`` (or by one of its aliases), preferring ``section``."""
        matches = self._names.get(name.strip().lower(), [])
        low_section = section.strip().lower()
        low_section = self._titles.get(low_section, low_section)
        same = [m for m in matches if m.section.lower() == low_section]
        if len(same) == 1:
            return same[0]
        return matches[0] if len(matches) == 1 else None

    def section_decimals(self, section: str) -> int | None:
        """The places ``[decimals]`` gives a section, by its name or a report title that stands for it."""
        low = section.strip().lower()
        places = {k.strip().lower(): v for k, v in self.decimals.items()}
        if low in places:
            return places[low]
        return places.get(self._titles.get(low, ""))

    def read_options(self) -> ReadOptions:
        """How this project's files are read."""
        from kpitool.readers.base import ReadOptions

        return ReadOptions(year_start=self.year_start, missing=frozenset(m.strip().lower() for m in self.missing))

    def is_own_section(self, section: str, measure: Measure) -> bool:
        """Is a data row's section the measure's own (or blank, or a report title for it)? Else it is an area."""
        low = section.strip().lower()
        return not low or self._titles.get(low, low) == measure.section.strip().lower()

    @property
    def root(self) -> Path:
        return self.path.parent if self.path else Path.cwd()


MAX_FOUND = 200  # characters of a cell's text a finding repeats


class Finding(BaseModel):
    """One problem found in a file, located as a spreadsheet shows it (header = row 1).

    ``severity`` defaults to the code's own (see ``kpitool.codes``).
    """

    model_config = ConfigDict(json_schema_serialization_defaults_required=True)

    severity: Severity = "error"  # replaced by the code's own default when not given
    code: Code
    message: str
    file: str | None = None
    row: int | None = None
    column: int | None = None
    column_name: str | None = None
    measure: str | None = None
    period: str | None = None
    expected: str | None = None
    actual: str | None = None
    section: str | None = None  # the row's section or area, where the file gives one
    # a problem met on many rows: past the first 1,000 of a kind in a file, one finding stands for
    # the rest, and lists their rows here (counts stay exact; --skip-invalid leaves every one out)
    more_rows: list[int] = Field(default_factory=list)

    @property
    def count(self) -> int:
        """How many cells this finding stands for."""
        return 1 + len(self.more_rows)

    @field_validator("actual", "expected")
    @classmethod
    def _bounded(cls, text: str | None) -> str | None:
        """A cell's text as found, cut to a readable length (a 5 MB field is not repeated whole)."""
        if text is not None and len(text) > MAX_FOUND:
            return text[: MAX_FOUND - 1] + "…"
        return text

    @model_validator(mode="before")
    @classmethod
    def _default_severity(cls, data: Any) -> Any:
        if isinstance(data, dict) and "severity" not in data and "code" in data:
            return {**data, "severity": REGISTRY[Code(data["code"])].severity}
        return data

    @property
    def blocks_comparison(self) -> bool:
        """An error about the data (not about a figure a table reports): an input row compare cannot use."""
        return self.severity == "error" and not REGISTRY[self.code].audit

    @computed_field  # type: ignore[prop-decorator]
    @property
    def cell(self) -> str | None:
        if self.row is None:
            return None
        return f"{column_letter(self.column)}{self.row}" if self.column else f"row {self.row}"


class ValidationReport(BaseModel):
    """Every finding for a set of files, errors first, in file and row order."""

    files: list[str]
    rows: int = 0
    findings: list[Finding] = Field(default_factory=list)
    strict: bool = False

    @computed_field  # type: ignore[prop-decorator]
    @property
    def counts(self) -> dict[str, int]:
        out: dict[str, int] = dict.fromkeys(SEVERITIES, 0)
        for f in self.findings:
            out[f.severity] += f.count
        return out

    @computed_field  # type: ignore[prop-decorator]
    @property
    def codes(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for f in self.findings:
            out[f.code] = out.get(f.code, 0) + f.count
        return dict(sorted(out.items()))

    @computed_field  # type: ignore[prop-decorator]
    @property
    def valid(self) -> bool:
        counts = self.counts
        return counts["error"] == 0 and not (self.strict and counts["warning"] > 0)

    @property
    def exit_code(self) -> ExitCode:
        """2 when a file or the catalogue could not be read at all, else 1 when invalid, else 0."""
        if any(f.severity == "error" and REGISTRY[f.code].exit_code == ExitCode.USAGE for f in self.findings):
            return ExitCode.USAGE
        return ExitCode.OK if self.valid else ExitCode.INVALID


class ReportedFigure(BaseModel):
    """A figure a report table shows (a total, a % change, an arrow): checked, never an input."""

    kind: Literal["total", "change", "direction", "target", "status"]
    measure: str
    section: str = ""
    file: str | None = None
    row: int
    column: int
    column_name: str
    raw: str
    value: float | None = None
    decimals: int = 0
    percent: bool = False
    period: str | None = None  # the year (or year-to-date) a total is for
    basis_from: str | None = None  # "baseline" or a period label
    basis_to: str | None = None


# the comparison's models live in their own module (imported last: it builds on the models above);
# they are kpitool.models' as much as these
from kpitool.models.comparison import (  # noqa: E402
    CompareOptions,
    Comparison,
    ComparisonReport,
    ControlChart,
    Delta,
    HistoryGrain,
    PeriodValue,
    Signal,
    Significance,
    SkippedRow,
)

__all__ = [
    "CompareOptions",
    "Comparison",
    "ComparisonReport",
    "ControlChart",
    "Delta",
    "HistoryGrain",
    "PeriodValue",
    "Signal",
    "Significance",
    "SkippedRow",
]
