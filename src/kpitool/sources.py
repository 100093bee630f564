"""``[[source]]`` in ``kpitool.toml``: how a supplier's files look, stated once.

A table source gives the column roles of files of summary figures (the same keys as the command
line's ``--measure-col`` and friends). A record source (``shape = "records"``) says which column
dates each record and which name its area; the measures that count its records, or add up one of
their columns, refer to it by name and say which records with ``where``: declarative, never SQL.
"""

from __future__ import annotations

import glob
import re
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Scalar = str | int | float


def natural_key(path: Path) -> tuple[object, ...]:
    """File names in natural order without their extension: q4 before q4-revised, q9 before q10."""
    parts = re.split(r"(\d+)", path.stem.lower())
    return (*[int(p) if p.isdigit() else p for p in parts], path.suffix.lower())


def _a_list(value: Any) -> Any:
    """``"Force"`` and ``["Region", "Force"]`` both name columns: one is a list of one."""
    return [value] if isinstance(value, str) else value


class Condition(BaseModel):
    """A test of one column: ``{ ge = 18 }``, ``{ ne = ["x", "y"] }``, ``{ gt = 0, le = 100 }``.

    Numbers compare as numbers (a cell that is not one fails the test); text compares as text,
    exactly, after trimming spaces.
    """

    model_config = ConfigDict(extra="forbid")

    eq: Scalar | list[Scalar] | None = None  # any of
    ne: Scalar | list[Scalar] | None = None  # none of
    lt: Scalar | None = None
    le: Scalar | None = None
    gt: Scalar | None = None
    ge: Scalar | None = None

    @model_validator(mode="after")
    def _not_empty(self) -> Condition:
        if all(getattr(self, k) is None for k in type(self).model_fields):
            raise ValueError("a condition needs one of eq, ne, lt, le, gt, ge")
        for key in ("eq", "ne"):
            value = getattr(self, key)
            if isinstance(value, list) and not value:
                raise ValueError(f"{key} = [] matches nothing; give at least one value")
        return self

    def tests(self) -> list[tuple[str, Scalar | list[Scalar]]]:
        """(operator, value) pairs, in a fixed order."""
        return [(k, v) for k in ("eq", "ne", "lt", "le", "gt", "ge") if (v := getattr(self, k)) is not None]

    def text(self) -> str:
        signs = {"eq": "=", "ne": "≠", "lt": "<", "le": "≤", "gt": ">", "ge": "≥"}
        return " and ".join(f"{signs[k]} {_shown(v)}" for k, v in self.tests())


def _shown(value: Scalar | list[Scalar]) -> str:
    if isinstance(value, list):
        return "one of " + ", ".join(_shown(v) for v in value)
    return repr(value) if isinstance(value, str) else f"{value:g}"


# a measure's filter: column -> a value, a list (any of) or a condition
Where = dict[str, Scalar | list[Scalar] | Condition]


def conditions(where: Where) -> list[tuple[str, Condition]]:
    """Every filter as (column, condition): a bare value or list is ``eq``."""
    out = []
    for column, test in where.items():
        if isinstance(test, Condition):
            out.append((column, test))
        else:
            out.append((column, Condition(eq=test)))
    return out


def where_text(where: Where) -> str:
    return "; ".join(f"{column} {c.text()}" for column, c in conditions(where))


class Source(BaseModel):
    """One supplier's files: where they are and how to read them."""

    model_config = ConfigDict(extra="forbid")

    name: str = ""
    files: list[str] = Field(min_length=1)
    shape: Literal["table", "records"] = "table"
    # a table's column roles (as --measure-col, --period-col, --value-col, --area-col, --period, --sheet)
    measure_col: str | None = None
    period_col: str | None = None
    value_col: list[str] = Field(default_factory=list)
    area_col: list[str] = Field(default_factory=list)  # records too: the columns that name a record's area
    period: str | None = None
    sheet: list[str] = Field(default_factory=list)
    # records
    date: str | None = None  # the column that dates each record: a month, a date or a timestamp
    area: str | None = None  # every record's area, for files of one area without an area column
    root: Path | None = Field(default=None, exclude=True)  # the folder the patterns are relative to

    @field_validator("files", "value_col", "area_col", "sheet", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return _a_list(value)

    @field_validator("files")
    @classmethod
    def _patterns_are_not_blank(cls, value: list[str]) -> list[str]:
        if any(not p.strip() for p in value):
            raise ValueError("a files pattern is blank; give a file or a glob such as data/*.csv")
        return value

    @model_validator(mode="after")
    def _keys_fit_the_shape(self) -> Source:
        if self.shape == "records":
            if not self.date:
                raise ValueError('a records source needs date = the column that dates each record (date = "Month")')
            if not self.name.strip():
                raise ValueError('a records source needs a name, for its measures to refer to (name = "crimes")')
            table_only = ("measure_col", "period_col", "value_col", "period", "sheet")
            given = [k for k in table_only if getattr(self, k)]
            if given:
                raise ValueError(f"{', '.join(given)}: only for a table source; records are dated by date = …")
            if self.area and self.area_col:
                raise ValueError("give area (one area for every record) or area_col (a column of areas), not both")
        else:
            given = [k for k in ("date", "area") if getattr(self, k)]
            if given:
                raise ValueError(f'{", ".join(given)}: only for shape = "records"')
        return self

    @property
    def records(self) -> bool:
        return self.shape == "records"

    def paths(self) -> list[Path]:
        """The files the patterns match, in natural name order (each pattern in turn)."""
        root = self.root or Path.cwd()
        found: list[Path] = []
        for pattern in self.files:
            expanded = Path(pattern).expanduser()
            full = expanded if expanded.is_absolute() else root / expanded
            matches = sorted((Path(m) for m in glob.glob(str(full), recursive=True)), key=natural_key)
            found.extend(m for m in matches if m.is_file() and m not in found)
        return found

    @cached_property
    def _resolved(self) -> frozenset[Path]:
        return frozenset(p.resolve() for p in self.paths())

    def holds(self, path: Path) -> bool:
        """Is ``path`` one of this source's files?"""
        return path.resolve() in self._resolved

    def described(self) -> str:
        return self.name or ", ".join(self.files)
