"""Files kpitool writes: atomically, so that a reader never sees half a file and nothing is lost.

Without ``force`` a file is created only where nothing is (checked at the moment it appears, so a
file made meanwhile is never overwritten); with ``force`` only a regular file is replaced, its
permissions kept. A new file gets the permissions the umask gives, as any program's would.
"""

from __future__ import annotations

import os
import signal
import stat
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kpitool.errors import OutputError


def check_writable(path: Path, force: bool) -> None:
    """Refuse early what ``write_atomic`` would refuse: an existing path without ``force``, a non-file with it."""
    if not os.path.lexists(path):
        return
    mode = path.lstat().st_mode
    if stat.S_ISDIR(mode):  # with or without --force: a folder is never a file to write
        raise OutputError(f"{path} is a folder, not a file; give -o the name of a file in it")
    if not force:
        raise OutputError(f"{path} exists; use --force to overwrite it")
    if not stat.S_ISREG(mode):
        kind = "a symbolic link" if stat.S_ISLNK(mode) else "not a regular file"
        raise OutputError(f"{path} is {kind}; kpitool replaces only regular files, even with --force")


def write_atomic(path: Path, text: str | bytes, *, force: bool = False) -> None:
    """Write ``text`` (or bytes: a .docx, an .xlsx) to a temporary file beside ``path``, then put it
    in place in one step.

    A termination signal (SIGTERM, SIGHUP) meanwhile ends kpitool as an exit, so the temporary
    file is removed, as it is after an interruption (Ctrl-C) or an error.
    """
    check_writable(path, force)
    folder = path.parent if str(path.parent) else Path(".")
    with _signals_as_exit():
        try:
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=folder)
        except OSError as exc:
            raise OutputError(f"{path}: cannot write ({exc.strerror})") from None
        try:
            if isinstance(text, bytes):
                with os.fdopen(fd, "wb") as binary:
                    binary.write(text)
            else:
                with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
                    handle.write(text)
            os.chmod(tmp, _mode_for(path))
            if force:
                check_writable(path, force)  # still a regular file (or nothing) at the moment of the swap
                os.replace(tmp, path)
            else:
                _create_exclusive(Path(tmp), path)
        except OSError as exc:
            raise OutputError(f"{path}: cannot write ({exc.strerror})") from None
        finally:
            Path(tmp).unlink(missing_ok=True)


@contextmanager
def _signals_as_exit() -> Iterator[None]:
    """SIGTERM and SIGHUP raise SystemExit (status 128 + the signal) while the block runs."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    names = [n for n in ("SIGTERM", "SIGHUP") if hasattr(signal, n)]

    def leave(number: int, _frame: object) -> None:
        raise SystemExit(128 + number)

    before = {n: signal.signal(getattr(signal, n), leave) for n in names}
    try:
        yield
    finally:
        for n, handler in before.items():
            signal.signal(getattr(signal, n), handler)


def _create_exclusive(tmp: Path, path: Path) -> None:
    """Put ``tmp`` at ``path`` only if nothing is there, checked in the same step."""
    try:
        os.link(tmp, path)  # fails if anything appeared at the path meanwhile: never overwrites
        return
    except FileExistsError:
        raise OutputError(f"{path} exists; use --force to overwrite it") from None
    except OSError:
        pass  # a file system without hard links: reserve the name exclusively, then fill it
    try:
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except FileExistsError:
        raise OutputError(f"{path} exists; use --force to overwrite it") from None
    os.replace(tmp, path)


def _mode_for(path: Path) -> int:
    """An existing file's permissions; else what the umask allows of rw-rw-rw-."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
