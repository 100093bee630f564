"""How long work says how far it has gone: a callback the command line may pass in.

The library never draws anything: it calls ``progress(stage, done, total)`` now and then, and
the command line decides whether and how to show it (on a terminal's stderr, after a second).
"""

from __future__ import annotations

from collections.abc import Callable

Progress = Callable[[str, int, int], None]


def silent(stage: str, done: int, total: int) -> None:
    """No display: the default everywhere."""
