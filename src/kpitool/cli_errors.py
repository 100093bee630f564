"""Library errors to one line on stderr and an exit code: here, and only here."""

from __future__ import annotations

from typing import Any

import typer
from rich.console import Console
from typer.core import TyperGroup

from kpitool.errors import InvalidDataError, KpiError
from kpitool.render.safe import visible_line


class Commands(TyperGroup):
    """Every library error becomes one line on stderr and an exit code, here and only here."""

    def invoke(self, ctx: Any) -> Any:  # click's Context, which typer 0.29 keeps private
        try:
            return super().invoke(ctx)
        except typer.BadParameter as exc:  # typer 0.29 checks values with pydantic, and says so
            exc.message = _in_our_words(exc.message)
            raise
        except InvalidDataError as exc:
            if ctx.params.get("debug"):
                raise
            _refuse(exc)
            raise typer.Exit(exc.exit_code) from None
        except KpiError as exc:
            if ctx.params.get("debug"):
                raise
            typer.echo(f"kpitool: error: {visible_line(str(exc))}", err=True)
            raise typer.Exit(exc.exit_code) from None


REFUSAL_SHOWN = 5


def _in_our_words(message: str) -> str:
    """A bad option value in kpitool's words: no ``Value error, `` or ``Input should be`` from pydantic."""
    message = message.removeprefix("Value error, ")
    if message.startswith("Input should be "):
        message = "it should be " + message.removeprefix("Input should be ")
    return message


def _refuse(exc: InvalidDataError) -> None:
    """compare/export on rows with errors: what validate says, briefly, and the two ways on."""
    from kpitool.render.findings import finding_line, summary

    err = Console(stderr=True, highlight=False, soft_wrap=True, no_color=True)
    err.out(f"kpitool: error: {visible_line(str(exc))}", highlight=False)
    err.out(summary(exc.report), highlight=False)
    for f in exc.blocking[:REFUSAL_SHOWN]:
        err.out(finding_line(f), highlight=False)
    if len(exc.blocking) > REFUSAL_SHOWN:
        err.out(f"… and {len(exc.blocking) - REFUSAL_SHOWN} more", highlight=False)
    if exc.unread_files and len(exc.unread_files) == len({f.file for f in exc.blocking}):
        # --skip-invalid leaves out rows, and no row of these files can be read: it would compare nothing
        err.out(
            "See every finding with `kpitool validate` on the same files; fix the header as the line above says"
            " (--skip-invalid leaves out rows with errors, not a file that cannot be read).",
            highlight=False,
        )
        return
    err.out(
        "See every finding with `kpitool validate` on the same files; or compare without these rows with"
        " --skip-invalid (they are then named in the output).",
        highlight=False,
    )
