"""Text from data files and file names, made safe to show on a terminal.

A supplier's file must not be able to rewrite what the analyst sees: escape sequences (which set
the terminal's title, plant hyperlinks, clear the screen) and other control characters are shown
as ``\\x1b`` and so on, never sent to the terminal raw.
"""

from __future__ import annotations

import re

_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def visible(text: str) -> str:
    """Control characters (all but line feed and tab) written out as ``\\xNN``."""
    if not _CONTROL_RE.search(text):
        return text
    return _CONTROL_RE.sub(lambda m: f"\\x{ord(m.group(0)):02x}", text)


def visible_line(text: str) -> str:
    """As ``visible``, and tabs and line feeds too: for one cell or one line of a message."""
    return visible(text).replace("\t", "\\t").replace("\n", "\\n")


_LINE_BREAKING_RE = re.compile(r"[\x00-\x1f\x7f-\x9f]")  # controls, tabs and line feeds


def visible_cells(cells: list[str]) -> list[str]:
    """``visible_line`` of each cell (one search of them all finds most have nothing to show)."""
    if not _LINE_BREAKING_RE.search("".join(cells)):
        return cells
    return [visible_line(c) for c in cells]
