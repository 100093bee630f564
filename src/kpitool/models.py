"""The pydantic models every layer speaks: catalogue, observations, findings, comparisons."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, computed_field, field_validator, model_validator

from kpitool.codes import REGISTRY, SEVERITIES, Code, Severity
from kpitool.errors import ExitCode
from kpitool.periods import Period, YearStart, parse_period

Unit = Literal["count", "percent", "seconds", "currency", "number"]
Aggregate = Literal["sum", "last", "mean", "ratio"]
Polarity = Literal["up", "down", "neutral"]
Direction = Literal["up", "down", "level"]
Assessment = Literal["improving", "worsening", "stable", "not assessed"]

ARROWS: dict[str, str] = {"up": "↑", "down": "↓", "level": "↔"}


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


class Measure(BaseModel):
    """A catalogue entry: what a measure is and how its quarters make a year."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1)
    section: str = ""
    unit: Unit = "count"
    aggregate: Aggregate = "sum"
    polarity: Polarity = "neutral"
    tolerance: float | None = Field(default=None, ge=0)
    parts: list[str] = Field(default_factory=list)
    numerator: str | None = None
    denominator: str | None = None
    baseline: str | None = None
    since: str | None = None
    aliases: list[str] = Field(default_factory=list)
    description: str = ""

    @model_validator(mode="after")
    def _ratio_needs_terms(self) -> Measure:
        if self.aggregate == "ratio" and not (self.numerator and self.denominator):
            raise ValueError("aggregate = 'ratio' needs both numerator and denominator")
        if (self.numerator or self.denominator) and self.aggregate != "ratio":
            raise ValueError("numerator/denominator are only for aggregate = 'ratio'")
        return self

    @field_validator("baseline", "since")
    @classmethod
    def _baseline_is_period(cls, value: str | None) -> str | None:
        if value is not None:
            parse_period(value)
        return value

    @property
    def key(self) -> tuple[str, str]:
        return (self.section, self.name)


class Catalogue(BaseModel):
    """``kpitool.toml``: the project's defaults and its measures."""

    model_config = ConfigDict(extra="forbid")

    name: str = ""
    baseline: str | None = None
    tolerance: float = Field(default=5.0, ge=0)
    year_start: YearStart = "april"
    data: list[str] = Field(default_factory=list)
    measures: list[Measure] = Field(default_factory=list)
    sections: dict[str, str] = Field(default_factory=dict)  # report table title -> catalogue section
    path: Path | None = Field(default=None, exclude=True)

    @field_validator("baseline")
    @classmethod
    def _baseline_is_period(cls, value: str | None) -> str | None:
        if value is not None:
            parse_period(value)
        return value

    @model_validator(mode="after")
    def _references_resolve(self) -> Catalogue:
        seen: set[tuple[str, str]] = set()
        for m in self.measures:
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
    def _names(self) -> dict[str, list[Measure]]:
        """Measures by lower-case name and alias (the catalogue is not changed once loaded)."""
        index: dict[str, list[Measure]] = {}
        for m in self.measures:
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

    @property
    def root(self) -> Path:
        return self.path.parent if self.path else Path.cwd()


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

    @model_validator(mode="before")
    @classmethod
    def _default_severity(cls, data: Any) -> Any:
        if isinstance(data, dict) and "severity" not in data and "code" in data:
            return {**data, "severity": REGISTRY[Code(data["code"])].severity}
        return data

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
            out[f.severity] += 1
        return out

    @computed_field  # type: ignore[prop-decorator]
    @property
    def codes(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for f in self.findings:
            out[f.code] = out.get(f.code, 0) + 1
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

    kind: Literal["total", "change", "direction"]
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


class Delta(BaseModel):
    """One value against another: absolute change and relative change in %."""

    from_period: str
    to_period: str
    from_value: float | None
    to_value: float | None
    absolute: float | None
    relative: float | None


class QuarterValue(BaseModel):
    period: str
    value: float | None
    marker: str | None = None


class Comparison(BaseModel):
    """One measure's row of the KPI table."""

    measure: str
    section: str
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
    quarters: list[QuarterValue]
    current_value: float | None
    change: float | None
    change_pct: float | None
    change_unit: Literal["%", "pp"]
    direction: Direction | None
    assessment: Assessment
    quarter_on_quarter: Delta | None = None
    year_on_year: Delta | None = None
    history: list[float | None] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)

    @property
    def arrow(self) -> str:
        return ARROWS[self.direction] if self.direction else "n/a"

    @property
    def headline_change(self) -> float | None:
        """The change the band applies to: percentage points for percent measures, else %."""
        return self.change if self.change_unit == "pp" else self.change_pct


class ComparisonReport(BaseModel):
    """The KPI tables: every compared measure, with the method stated."""

    baseline: str | None
    current: str
    tolerance: float
    quarters: list[str]
    comparisons: list[Comparison]
    notes: list[str] = Field(default_factory=list)
    files: list[str] = Field(default_factory=list)

    def sections(self) -> dict[str, list[Comparison]]:
        out: dict[str, list[Comparison]] = {}
        for c in self.comparisons:
            out.setdefault(c.section, []).append(c)
        return out
