"""The progress display: drawn on a terminal once work takes a second, never in pipes or for JSON."""

from __future__ import annotations

import io
import time

from rich.console import Console

from kpitool.cli import _progress
from kpitool.render.progress import LiveProgress


def _console() -> tuple[Console, io.StringIO]:
    out = io.StringIO()
    return Console(file=out, force_terminal=True, width=80), out


def test_drawn_once_the_work_takes_longer_than_the_delay() -> None:
    console, out = _console()
    with LiveProgress(True, console, delay=0.05) as progress:
        progress("Reading big.csv", 0, 1)
        time.sleep(0.3)
        progress("Comparing", 500, 1000)
        time.sleep(0.3)
    assert "Comparing" in out.getvalue()


def test_quick_work_draws_nothing() -> None:
    console, out = _console()
    with LiveProgress(True, console, delay=5) as progress:
        progress("Comparing", 1, 2)
    assert out.getvalue() == ""


def test_disabled_draws_nothing() -> None:
    console, out = _console()
    with LiveProgress(False, console, delay=0) as progress:
        progress("Comparing", 1, 2)
        time.sleep(0.1)
    assert out.getvalue() == ""


def test_never_for_json_nor_without_a_terminal() -> None:
    assert _progress("CompareFormat.json").enabled is False
    assert _progress("json").enabled is False
    assert _progress("table").enabled is False  # pytest's stderr is not a terminal


def test_library_reports_its_stages(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from kpitool.models import CompareOptions
    from kpitool.project import run_comparison

    path = tmp_path / "d.csv"
    path.write_text("measure,period,value\nA,2022/23,1\nA,2023/24,2\n", encoding="utf-8")
    stages: list[tuple[str, int, int]] = []
    run_comparison([path], None, CompareOptions(), progress=lambda *s: stages.append(s))
    assert [s[0] for s in stages] == ["Reading d.csv", "Checking d.csv", "Comparing"]
