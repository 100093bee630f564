"""Comparison reports as rich tables, grouped by section like the published report."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator

from rich import box
from rich.cells import cell_len, set_cell_size
from rich.console import Console
from rich.table import Table
from rich.text import Text

from kpitool.models import ARROWS, Assessment, ComparisonReport
from kpitool.render.markdown import headers, row_columns
from kpitool.render.safe import visible, visible_cells, visible_line
from kpitool.render.values import SPARKS, rows_left_out, sparklines
from kpitool.rows import Rows

COLOUR = {"improving": "green", "worsening": "red", "stable": "yellow", "not assessed": ""}


MIN_NAME = 12  # the measure column is never narrower than this


def render_table(report: ComparisonReport, console: Console) -> None:
    """Each section's table, fitted to the console: numbers are never wrapped or cut.

    Below the width the full table needs, long measure names are shortened with …, then columns
    are left out in a stated order — the trend, the quarters (oldest first), the absolute change —
    keeping baseline, year value, % and direction; a line under the tables says what was left out.
    """
    boxed = console.is_terminal and not console.no_color
    heads = [*headers(report), "Trend"]
    everything = report.rows()  # the rows as columns: the table's figures without a model each
    for section, assessments, grid in _section_cells(everything, report):
        widths, narrow = _natural(heads, grid)
        width = console.width if console.is_terminal else 10**6
        keep, name_width, table_width = _fit(heads, widths, width, gap=3 if boxed else 2)
        names = shortened(grid[0], min(max(widths[0], MIN_NAME), max(name_width, MIN_NAME)), narrow=narrow[0])
        if names is not grid[0]:
            grid[0], narrow[0] = names, _narrow(names)
        console.print(Text(visible_line(section or "Measures"), style="bold"))
        if not boxed:  # no colour, no box: plain lines, as rich would lay them out, at a fraction of the cost
            _write(console, _plain(heads, grid, widths, keep, name_width, narrow))
        else:
            console.print(_rich(heads, assessments, grid, keep, name_width), width=table_width)
        left_out = [heads[i] for i in range(len(heads)) if i not in keep]
        if left_out:
            what = ", ".join(left_out)
            line = f"Left out to fit {console.width} columns: {what} (a wider terminal, or --format md, shows them)."
            console.print(Text(line, style="dim"))
    for n in [*report.notes, *grouped_notes(everything)]:
        console.print(Text(visible(n), style="dim"))
    if report.skipped:
        console.print(Text(rows_left_out(report.rows_skipped), style="bold"))
        for s in report.skipped:
            console.print(Text(visible(s.sentence), style="yellow"))


CHUNK = 4096  # rows whose cells are made together: a few sections' at a time, never all the table's


def _section_cells(rows: Rows, report: ComparisonReport) -> Iterator[tuple[str, list[Assessment], list[list[str]]]]:
    """Each section's title, its rows' assessments and its cells (a column at a time), the cells
    of consecutive sections made together, up to ``CHUNK`` rows (a column's figures formatted in one
    pass: a table of 200 small sections costs little more than one of its size)."""
    chunk: list[tuple[str, list[int]]] = []
    size = 0
    sections = list(rows.sections().items())
    for n, (title, at) in enumerate(sections):
        chunk.append((title, at))
        size += len(at)
        if size < CHUNK and n + 1 < len(sections):
            continue
        part = rows.take([i for _, some in chunk for i in some])
        columns = row_columns(part, report)
        # names, labels and markers from the data made visible; the changes and arrows are kpitool's own
        cells = [*map(visible_cells, columns[:-3]), *columns[-3:], sparklines(part.history)]
        start = 0
        for name, some in chunk:
            end = start + len(some)
            yield name, part.assessment[start:end], [column[start:end] for column in cells]
            start = end
        chunk, size = [], 0


def _rich(
    heads: list[str], assessments: list[Assessment], grid: list[list[str]], keep: list[int], name_width: int
) -> Table:
    """A section's table for a colour terminal: a rule under the headings, arrows coloured
    (``grid``: the cells, a column at a time)."""
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    for i in keep:
        # two-line headings ("Q1" over "2023/24") so that columns are as wide as their figures
        table.add_column(
            "\n".join(head_lines(heads[i])),
            justify="left" if i in (0, len(heads) - 2) else "right",
            no_wrap=True,
            overflow="ellipsis" if i == 0 else "fold",
            max_width=max(name_width, MIN_NAME) if i == 0 else None,
            min_width=MIN_NAME if i == 0 else None,
        )
    for assessment, cells in zip(assessments, zip(*grid, strict=True), strict=True):
        texts = [Text(cells[i]) for i in keep]
        if len(heads) - 2 in keep:
            texts[keep.index(len(heads) - 2)].stylize(COLOUR[assessment])
        table.add_row(*texts)
    return table


def _write(console: Console, lines: list[str]) -> None:
    """Lines as they are: straight to the file in a pipe (rich's rendering costs ~50 µs a line),
    through the console where it records or draws (tests, terminals)."""
    if console.record or console.is_terminal:
        console.out("\n".join(lines), highlight=False)
    else:
        console.file.write("".join(line + "\n" for line in lines))


def head_lines(head: str) -> list[str]:
    """A heading on two lines, as wide as its figures: ``Q1`` over ``2023/24``; a period of several
    words kept whole over ``value`` (``12m to 2018-12`` over ``value``, not ``12m`` over the rest)."""
    period, _, last = head.rpartition(" ")
    if last == "value" and " " in period:
        return [period, last]
    return head.split(" ", 1)


def _width(text: str) -> int:
    return len(text) if text.isascii() else cell_len(text)


def _natural(heads: list[str], grid: list[list[str]]) -> tuple[list[int], list[bool]]:
    """Each column's width with nothing shortened, its widest cell or heading line (``grid``: the
    cells, a column at a time), and whether its cells' characters each take one column."""
    widths, narrow = [], []
    for head, cells in zip(heads, grid, strict=True):
        one = _narrow(cells)
        widest = max(map(len if one else cell_len, cells), default=0)  # else a wide character, another script
        widths.append(max([widest, *(_width(h) for h in head_lines(head))]))
        narrow.append(one)
    return widths, narrow


def _narrow(cells: list[str]) -> bool:
    """Whether each character of the cells takes one column (ASCII, arrows, sparklines): a
    cell's width is its length."""
    text = "".join(cells)
    return text.isascii() or not _OTHER_RE.search(text) or all(cell_len(ch) == 1 for ch in set(text))


# a character other than ASCII and those the table draws (arrows, sparklines, …, £), each one column wide
_OTHER_RE = re.compile(f"[^\\x00-\\x7f{re.escape(''.join(ARROWS.values()) + SPARKS + '…£')}]")


def _plain(
    heads: list[str], grid: list[list[str]], natural: list[int], keep: list[int], name_width: int, narrow: list[bool]
) -> list[str]:
    """A section's table (``grid``: its cells, a column at a time) as lines of text, laid out as rich lays out a table without a box: two
    spaces between columns, headings on two lines aligned to the bottom, the measure column
    between 12 characters and ``name_width`` (a longer name ends in …), nothing wrapped."""
    left = {0, len(heads) - 2}
    parts = [head_lines(heads[i]) for i in keep]
    height = max(len(p) for p in parts)
    widths = [min(max(natural[i], MIN_NAME), max(name_width, MIN_NAME)) if i == 0 else natural[i] for i in keep]

    def cell(text: str, j: int) -> str:
        width, size = widths[j], _width(text)
        if size > width:
            return set_cell_size(text, width - 1) + "…"
        pad = " " * (width - size)
        return text + pad if keep[j] in left else pad + text

    lines = []
    for k in range(height):
        lines.append(
            "  ".join(cell(p[k - height + len(p)] if k >= height - len(p) else "", j) for j, p in enumerate(parts))
        )
    fits = [narrow[i] and (i or max(map(len, grid[i]), default=0) <= widths[j]) for j, i in enumerate(keep)]
    if all(fits):  # one-column characters that fit (a figure is never wider than its column): a line a format
        line = "  ".join(f"%{'-' if i in left else ''}{widths[j]}s" for j, i in enumerate(keep))
        lines.extend(line % cells for cells in zip(*(grid[i] for i in keep), strict=True))
        return lines
    columns = []
    for j, i in enumerate(keep):  # a column at a time: str's own padding where it can
        texts, width = grid[i], widths[j]
        if fits[j]:
            columns.append([t.ljust(width) for t in texts] if i in left else [t.rjust(width) for t in texts])
        else:
            columns.append([cell(t, j) for t in texts])
    lines.extend("  ".join(cells) for cells in zip(*columns, strict=True))
    return lines


SHORT_NAME = 28  # long names are shortened to this before any column is left out


def _fit(heads: list[str], widths: list[int], width: int, gap: int = 2) -> tuple[list[int], int, int]:
    """The columns to show, the measure column's width and the table's width, fitted to ``width``
    (``widths``: the columns' natural widths; ``gap``: the characters between two columns, 3 where
    a box draws a divider between them).

    Long names are shortened first (to 28 characters); then the trend, the quarters (oldest
    first) and the absolute change are left out, the room they leave going back to the names; then
    names shorten to 12. If the rest still does
    not fit, the table is wider than the terminal: the terminal folds lines, but no figure is cut.
    """
    keep = list(range(len(heads)))

    def total(name: int) -> int:
        return max(name, MIN_NAME) + sum(widths[i] for i in keep[1:]) + gap * (len(keep) - 1)

    name = widths[0] if total(widths[0]) <= width else min(widths[0], SHORT_NAME)
    trend, change, quarters = len(heads) - 1, len(heads) - 4, list(range(2, len(heads) - 5))
    for drop in [trend, *quarters, change]:
        if total(name) <= width:
            break
        keep.remove(drop)
    # what the columns left out leave is the names' again, up to their own width
    name = max(MIN_NAME, min(widths[0], width - total(0) + MIN_NAME))
    return keep, name, max(width, total(max(name, MIN_NAME)))


def shortened(names: list[str], width: int, *, narrow: bool = False) -> list[str]:
    """Names of at most ``width`` columns, a longer one ending in …; where two different names
    would read the same, each keeps its end from where they differ (``Number of…10 seconds``).
    ``narrow``: each character of the names is known to take one column. Names that all fit: the
    same list."""
    if max(map(len if narrow else _width, names), default=0) <= width:
        return names
    cut = [n if _width(n) <= width else set_cell_size(n, width - 1) + "…" for n in names]
    alike: dict[str, set[str]] = {}
    for name, short in zip(names, cut, strict=True):
        alike.setdefault(short, set()).add(name)
    out = []
    for name, short in zip(names, cut, strict=True):
        group = alike[short]
        if len(group) > 1:
            tail = len(os.path.commonprefix([n[::-1] for n in group])) + 1
            while tail < len(name) and name[-tail - 1].isalnum():  # from the start of the word where they part
                tail += 1
            if tail <= width - 2:  # they part near the end: keep it
                short = set_cell_size(name, width - 1 - tail) + "…" + _last_cells(name, tail)
            else:  # they part in the middle: the start, then from where they part
                head = max(1, min(len(os.path.commonprefix(list(group))), (width - 1) // 3))
                rest = name[len(os.path.commonprefix(list(group))) :]
                short = set_cell_size(name, head) + "…" + _first_cells(rest, width - 1 - head).rstrip()
        out.append(short)
    return out


def _first_cells(text: str, width: int) -> str:
    """The start of ``text`` that fills at most ``width`` columns."""
    out = ""
    for ch in text:
        if cell_len(out + ch) > width:
            break
        out += ch
    return out


def _last_cells(text: str, width: int) -> str:
    """The end of ``text`` that fills at most ``width`` columns."""
    out = ""
    for ch in reversed(text):
        if cell_len(ch + out) > width:
            break
        out = ch + out
    return out


def grouped_notes(rows: Rows, names_shown: int = 6) -> list[str]:
    """Each distinct note once, with the measures it is about (the first ``names_shown``, and how many more)."""
    about: dict[str, list[str]] = {}
    count: dict[str, int] = {}
    sections_of: dict[str, set[str]] = {}
    for measure, section in zip(rows.measure, rows.section, strict=True):
        sections_of.setdefault(measure, set()).add(section)
    for measure, section, area, notes in zip(rows.measure, rows.section, rows.area, rows.notes, strict=True):
        for n in notes:
            names = about.get(n)
            if names is None:
                names = about[n] = []
            count[n] = count.get(n, 0) + 1
            if len(names) < names_shown:
                # a measure in several areas (or, without a catalogue, several sections) is named with its place
                place = area or (section if len(sections_of[measure]) > 1 else "")
                names.append(f"{measure} ({place})" if place else measure)
    out = []
    for note, names in about.items():
        listed = ", ".join(names)
        if count[note] > names_shown:
            listed += f" and {count[note] - names_shown} more"
        out.append(f"{note.rstrip('.')}: {listed}.")
    return out
