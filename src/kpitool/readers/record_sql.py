"""The SQL that reads record files: sources, dates, numbers and filters, built from declarations.

Never SQL text from a file: column names are quoted identifiers and every value is a bound
parameter (the caller passes ``params`` and the placeholders stand in the order they are added).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kpitool.sources import Condition, Scalar, Where, conditions

# the spellings of a record's date: a month, a date (UK day first) or a timestamp; tried in order
DATE_FORMATS = (
    "%Y-%m",
    "%Y-%m-%d",
    "%d/%m/%Y",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%Y/%m/%d",
)
DATE_SPELLINGS = "2022-01, 2022-01-31, 31/01/2022 or a timestamp such as 2022-01-31 14:05:00"
FORMATS_SQL = "[" + ", ".join(f"'{f}'" for f in DATE_FORMATS) + "]"


@dataclass(frozen=True)
class FileGroup:
    """Files read by one scan: one kind (csv/parquet) and, for text, one delimiter and encoding."""

    kind: str
    delimiter: str = ","
    encoding: str = "utf-8"
    header: tuple[str, ...] = ()  # files with one header are read together, column by position


def quote(name: str) -> str:
    """A column name as a DuckDB identifier, whatever it holds."""
    return '"' + name.replace('"', '""') + '"'


def literal(text: str) -> str:
    return text.replace("'", "''")


def unique(header: tuple[str, ...]) -> list[str]:
    """Column names as DuckDB makes them unique (``X``, ``X_1``), so each can be named."""
    seen: dict[str, int] = {}
    out = []
    for name in header:
        name = name or "column"
        if name in seen:
            seen[name] += 1
            name = f"{name}_{seen[name] - 1}"
        else:
            seen[name] = 1
        out.append(name)
    return out


def as_text(expr: str) -> str:
    return f"CAST({expr} AS VARCHAR)"


def date_sql(column: str) -> str:
    """A record's date column read as a timestamp (NULL when it is none of ``DATE_FORMATS``)."""
    return f"try_strptime(trim({as_text(column)}), {FORMATS_SQL})"


def number_sql(column: str) -> str:
    """A cell as a finite number, else NULL: ``12``, `` 3.5 ``, ``-1e3``; never ``nan``, ``inf`` or ``1_000``.

    DuckDB's cast reads ``nan``, ``inf`` and digits grouped by ``_``; kpitool calls those not a
    number, in records as in tables (a NaN would also compare above every number in a filter).
    """
    text = f"trim({as_text(column)})"
    value = f"TRY_CAST({text} AS DOUBLE)"
    return f"(CASE WHEN isfinite({value}) AND NOT contains({text}, '_') THEN {value} END)"


def blank_sql(column: str) -> str:
    text = as_text(column)
    return f"({text} IS NULL OR trim({text}) = '')"


def condition_sql(column: str, condition: Condition, params: list[Any]) -> str:
    """A condition as SQL over a text column: numbers compare as numbers, text as trimmed text."""
    parts = []
    signs = {"lt": "<", "le": "<=", "gt": ">", "ge": ">="}

    def operand(value: Scalar) -> str:
        params.append(value)
        return number_sql(column) if isinstance(value, int | float) else f"trim({as_text(column)})"

    for op, value in condition.tests():
        values = value if isinstance(value, list) else [value]
        if op in ("eq", "ne"):
            each = [f"{operand(v)} = ?" for v in values]
            any_of = "(" + " OR ".join(each) + ")"
            parts.append(f"coalesce({any_of}, false)" if op == "eq" else f"NOT coalesce({any_of}, false)")
        else:
            assert not isinstance(value, list)
            parts.append(f"coalesce({operand(value)} {signs[op]} ?, false)")
    return " AND ".join(parts)


def where_sql(where: Where, names: dict[str, str], params: list[Any]) -> str:
    """A measure's filter (every column must hold), over the file's own column names."""
    clauses = [condition_sql(quote(names[c]), cond, params) for c, cond in conditions(where)]
    return " AND ".join(clauses) if clauses else "true"


def source_sql(group: FileGroup, files: list[Path], params: list[Any], *, rejects: bool = False) -> str:
    """The files as a table function; ``rejects`` names each row that breaks a CSV's dialect."""
    params.append([str(f) for f in files])
    if group.kind == "parquet":
        return "read_parquet(?, union_by_name = true, filename = true)"
    params.extend([group.delimiter, group.encoding])
    # the columns are known from the header: every one text, no sniffing; a file that breaks the
    # dialect is read again with DuckDB's reject tables, which name each broken row
    columns = "{" + ", ".join(f"'{literal(n)}': 'VARCHAR'" for n in unique(group.header)) + "}"
    return (
        f"read_csv(?, auto_detect = false, delim = ?, encoding = ?, header = true, quote = '\"', escape = '\"', columns = {columns},"
        f" filename = true, null_padding = false{', store_rejects = true' if rejects else ''})"
    )
