"""A progress display for long work: on a terminal's stderr, only once the work has taken a second.

The library reports stages through a ``kpitool.progress.Progress`` callback; this draws them
with rich, on a timer so that one long step (a large file's read) still shows the display,
and transient, so that nothing is left on the screen when the work is done.
"""

from __future__ import annotations

import threading
from types import TracebackType

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

DELAY = 1.0  # seconds of work before anything is drawn


class LiveProgress:
    """Call it as the library's progress callback; use it as a context manager around the work."""

    def __init__(self, enabled: bool, console: Console | None = None, delay: float = DELAY) -> None:
        self.enabled = enabled
        self.console = console
        self.delay = delay
        self._stage: tuple[str, int, int] = ("Working", 0, 0)
        self._bar: Progress | None = None
        self._task: TaskID | None = None
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None

    def __enter__(self) -> LiveProgress:
        if self.enabled:
            self._timer = threading.Timer(self.delay, self._show)
            self._timer.daemon = True
            self._timer.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
            if self._bar is not None:
                self._bar.stop()
            self._bar, self.enabled = None, False

    def __call__(self, stage: str, done: int, total: int) -> None:
        with self._lock:
            self._stage = (stage, done, total)
            if self._bar is not None and self._task is not None:
                self._bar.update(self._task, description=stage, completed=done, total=total or None)

    def _show(self) -> None:
        with self._lock:
            if not self.enabled:
                return
            stage, done, total = self._stage
            self._bar = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=self.console or Console(stderr=True),
                transient=True,
            )
            self._task = self._bar.add_task(stage, total=total or None, completed=done)
            self._bar.start()
