"""The exception family the library raises and the exit codes the CLI turns them into."""

from __future__ import annotations

from enum import IntEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kpitool.models import Finding, ValidationReport


class ExitCode(IntEnum):
    OK = 0
    INVALID = 1  # the data (or the reported figures) are not sound
    USAGE = 2  # bad arguments, unreadable input, broken configuration
    INTERNAL = 3  # a bug in kpitool (reported as one line; --debug shows the traceback)


class KpiError(Exception):
    """Base of every error kpitool reports as one line on stderr."""

    exit_code: ExitCode = ExitCode.USAGE


class UsageError(KpiError):
    """The command line asks for something that cannot be done."""


class InputError(KpiError):
    """A file cannot be read at all (missing, not text, unknown encoding)."""


class ConfigError(KpiError):
    """kpitool.toml is missing, unreadable or invalid."""


class OutputError(KpiError):
    """An output file cannot be written (or would overwrite without --force)."""


class InvalidDataError(KpiError):
    """compare/export refuse: some input rows have errors (the report says which)."""

    exit_code = ExitCode.INVALID

    def __init__(self, report: ValidationReport, blocking: list[Finding]) -> None:
        files = sorted({f.file or "" for f in blocking if whole_file(f)})
        rows = [f for f in blocking if not whole_file(f)]
        said = []
        if files:
            said.append(f"{len(files)} {'file cannot' if len(files) == 1 else 'files cannot'} be read as it stands")
        if rows:
            said.append(f"{len(rows)} input {'row has an error' if len(rows) == 1 else 'rows have errors'}")
        super().__init__(f"{' and '.join(said)}; nothing was compared")
        self.report = report
        self.blocking = blocking
        self.unread_files = files  # --skip-invalid leaves out rows, not these


# errors about a file as a whole (its header, its encoding): no row of it can be read
WHOLE_FILE = frozenset({"unreadable-file", "mixed-encoding", "empty-file", "no-data", "missing-column", "no-periods"})


def whole_file(f: Finding) -> bool:
    return f.row is None or f.code in WHOLE_FILE


class PeriodError(ValueError):
    """Text that is not a period; the message says why."""
