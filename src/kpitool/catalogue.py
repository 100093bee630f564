"""Find and read ``kpitool.toml``; a broken file yields findings that name the key and line."""

from __future__ import annotations

import difflib
import re
import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from kpitool.arithmetic import AVERAGE_NAME_RE
from kpitool.codes import Code
from kpitool.errors import ConfigError
from kpitool.models import Catalogue, Finding, Measure
from kpitool.periods import YearStart
from kpitool.sources import Condition, Source

CONFIG_NAME = "kpitool.toml"


def find_config(start: Path | None = None) -> Path | None:
    """``kpitool.toml`` in ``start`` (the working directory) or the nearest parent."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / CONFIG_NAME
        if candidate.is_file():
            return candidate
    return None


def read_catalogue(path: Path, year_start: YearStart | None = None) -> tuple[Catalogue | None, list[Finding]]:
    """The catalogue, or None with findings saying what is wrong and where.

    ``year_start`` (asked for on the command line) applies when the file sets none; one that
    contradicts the file's is a finding.
    """
    name = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, [Finding(code=Code.UNREADABLE_FILE, file=name, message=f"cannot read: {exc.strerror}")]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None, [Finding(code=Code.CONFIG_SYNTAX, file=name, message="kpitool.toml is not UTF-8 text")]
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = _line_from_toml_error(str(exc))
        return None, [Finding(code=Code.CONFIG_SYNTAX, file=name, row=line, message=f"kpitool.toml: {exc}")]
    except RecursionError:
        message = "kpitool.toml: arrays or tables nested too deeply to read"
        return None, [Finding(code=Code.CONFIG_SYNTAX, file=name, message=message)]
    findings: list[Finding] = []
    fields: dict[str, Any] = {}
    for key, value in doc.items():
        if key == "project" and isinstance(value, dict):
            fields.update(value)
        elif key == "measure" and isinstance(value, list):
            fields["measures"] = value
        elif key == "sections" and isinstance(value, dict):
            fields["sections"] = value
        elif key == "decimals" and isinstance(value, dict):
            fields["decimals"] = value
        elif key == "source" and isinstance(value, list):
            fields["sources"] = value
        else:
            findings.append(
                Finding(
                    code=Code.CONFIG_INVALID,
                    file=name,
                    row=_locate(text, (key,)),
                    column_name=key,
                    message=f"kpitool.toml: unknown top-level key {key!r} (expected [project], [sections], [decimals], [[measure]] and [[source]] tables)",
                )
            )
    if year_start is not None:
        if fields.get("year_start", year_start) != year_start:
            findings.append(
                Finding(
                    code=Code.CONFIG_INVALID,
                    file=name,
                    row=_locate(text, ("year_start",)),
                    column_name="year_start",
                    message=f"kpitool.toml: year_start = {fields['year_start']!r} here, but {year_start!r} was asked for",
                )
            )
        fields.setdefault("year_start", year_start)
    if findings:
        return None, findings
    try:
        # the catalogue's periods are read with its own year start
        catalogue = Catalogue.model_validate({**fields, "path": path}, context={"year_start": fields.get("year_start")})
    except ValidationError as exc:
        for err in exc.errors():
            loc = tuple(err["loc"])
            key = _toml_key(loc)
            findings.append(
                Finding(
                    code=Code.CONFIG_INVALID,
                    file=name,
                    row=_locate(text, loc),
                    column_name=key or None,
                    message=f"kpitool.toml: {key + ': ' if key else ''}{_in_our_words(err)}",
                )
            )
        return None, findings
    return catalogue, implausible_aggregates(catalogue, text, name)


def implausible_aggregates(catalogue: Catalogue, text: str, name: str) -> list[Finding]:
    """Measures whose quarters are added up though their unit or name says they are a rate or an average."""
    findings = []
    for index, m in enumerate(catalogue.measures):
        if m.aggregate != "sum":
            continue
        if m.unit in ("percent", "seconds"):
            why = f"unit = {m.unit!r} is summed: 70%, 75%, 80%, 85% would make a year of 310%"
        elif AVERAGE_NAME_RE.search(m.name):
            why = "its name says it is an average or a rate, but aggregate = 'sum' adds its quarters up"
        else:
            continue
        findings.append(
            Finding(
                code=Code.IMPLAUSIBLE_AGGREGATE,
                file=name,
                row=_locate(text, ("measures", index, "aggregate")),
                column_name=f"measure[{index + 1}].aggregate",
                measure=m.name,
                message=f"kpitool.toml: measure {m.name!r}: {why} (use 'mean', or a 'ratio' of two counts)",
            )
        )
    return findings


def load_catalogue(path: Path, year_start: YearStart | None = None) -> Catalogue:
    """The catalogue, or ConfigError with the first problem as one line."""
    catalogue, findings = read_catalogue(path, year_start)
    if catalogue is None:
        first = findings[0]
        where = f", line {first.row}" if first.row else ""
        raise ConfigError(f"{path}{where}: {first.message}")
    return catalogue


def _in_our_words(err: Any) -> str:
    """A validation error said in kpitool's terms, with the nearest valid key or value."""
    kind, loc, given = err["type"], tuple(err["loc"]), err.get("input")
    if kind == "extra_forbidden":
        fields: dict[str, Any] = Catalogue.model_fields
        if "measures" in loc:
            fields = Condition.model_fields if "where" in loc else Measure.model_fields
        elif "sources" in loc:
            fields = Source.model_fields
        known = [f for f in fields if f not in ("path", "measures", "sections", "decimals", "sources", "root")]
        return "unknown key" + _did_you_mean(str(loc[-1]), known) + f" (known: {', '.join(known)})"
    if kind == "literal_error":
        expected = re.findall(r"'([^']*)'", str(err.get("ctx", {}).get("expected", "")))
        return f"{given!r} is not one of {', '.join(expected)}" + _did_you_mean(str(given), expected)
    if kind == "missing":
        return "is required"
    if kind == "finite_number":
        return f"{given!r} is not a finite number"
    if kind in ("float_parsing", "float_type", "int_parsing", "int_type"):
        return f"{given!r} is not a number"
    if kind in ("string_type", "list_type", "dict_type", "bool_type", "bool_parsing"):
        want = {"string_type": "text in quotes", "list_type": "a list [ … ]", "dict_type": "a table"}.get(
            kind, "true or false"
        )
        return f"{given!r} should be {want}"
    ctx = err.get("ctx", {})
    if kind == "greater_than_equal":
        return f"{given!r} must be at least {ctx.get('ge', 0):g}"
    if kind == "greater_than":
        return f"{given!r} must be more than {ctx.get('gt', 0):g}"
    if kind in ("less_than", "less_than_equal"):
        return f"{given!r} must be {'below' if kind == 'less_than' else 'at most'} {ctx.get('lt', ctx.get('le', 0)):g}"
    if kind in ("model_type", "model_attributes_type", "is_instance_of") and "rebase" in loc:
        return f'{given!r} is not a period: write it in quotes, as "2020-04" or "2020/21 Q1"'
    return str(err["msg"]).removeprefix("Value error, ")


def _did_you_mean(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word.lower(), choices, n=1, cutoff=0.6)
    return f"; did you mean {close[0]}?" if close else ""


def _toml_key(loc: tuple[Any, ...]) -> str:
    parts: list[str] = []
    for item in loc:
        if item in ("measures", "sources"):
            parts.append(item[:-1])
        elif isinstance(item, int):
            parts[-1] = f"{parts[-1]}[{item + 1}]" if parts else f"[{item + 1}]"
        else:
            parts.append(str(item))
    return ".".join(parts)


def _line_from_toml_error(message: str) -> int | None:
    m = re.search(r"line (\d+)", message)
    return int(m.group(1)) if m else None


@lru_cache(maxsize=8)
def _layout(text: str, table: str = "measure") -> tuple[list[str], list[int], list[int], list[int]]:
    """The TOML's lines, its [[measure]] (or [[source]]) heads, its [project] heads and every table head."""
    lines = text.splitlines()
    table_re = re.compile(rf"^\s*\[\[\s*{table}\s*\]\]")
    project_re = re.compile(r"^\s*\[\s*project\s*\]")
    measures = [i for i, line in enumerate(lines) if table_re.match(line)]
    projects = [i for i, line in enumerate(lines) if project_re.match(line)]
    tables = [i for i, line in enumerate(lines) if line.lstrip().startswith("[")]
    return lines, measures, projects, tables


def _locate(text: str, loc: tuple[Any, ...]) -> int | None:
    """The line of ``loc`` (``("measures", 2, "unit")`` or ``("tolerance",)``) in the TOML text."""
    table = "source" if loc and loc[0] == "sources" else "measure"
    lines, measure_heads, project_heads, table_heads = _layout(text, table)
    start, end = 0, len(lines)
    rest = list(loc)
    if rest and rest[0] in ("measures", "sources"):
        rest.pop(0)
        heads = measure_heads
        if rest and isinstance(rest[0], int) and rest[0] < len(heads):
            index: int = rest.pop(0)
            start = heads[index]
            end = heads[index + 1] if index + 1 < len(heads) else len(lines)
            if not rest or not isinstance(rest[0], str):
                return start + 1
        elif heads:
            return heads[0] + 1
    elif project_heads:
        start = project_heads[0]
        end = next((i for i in table_heads if i > start), len(lines))
    if rest and isinstance(rest[0], str):
        key_re = re.compile(rf"^\s*{re.escape(rest[0])}\s*=")
        for i in range(start, end):
            if key_re.match(lines[i]):
                return i + 1
    return start + 1 if start or loc else None
