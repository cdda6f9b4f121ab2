"""A lock file so that two syncs never run on one programme folder at once.

The lock is a small text file (``mentorkit.lock`` beside the ledger) created atomically with
``O_EXCL``; it names the process that holds it and when it started. A second sync finds it and
stops with a :class:`~toolkit.errors.StoreError` (exit code 2) naming that process. A lock left
by a process that no longer runs (killed, or the machine lost power) is taken over, with a note.
"""

from __future__ import annotations

import contextlib
import os
import socket
import time
from pathlib import Path

from toolkit.errors import StoreError
from toolkit.ledger import now_iso
from toolkit.messages import Finding, finding

LOCK_NAME = "mentorkit.lock"


class SyncLock:
    """Hold the programme folder's sync lock for the duration of a ``with`` block.

    ``note`` is set when a stale lock was taken over.
    """

    def __init__(self, root: Path) -> None:
        self.path = root / LOCK_NAME
        self.note: Finding | None = None
        self._held = False

    def __enter__(self) -> SyncLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()

    def acquire(self) -> None:
        """Take the lock, or raise :class:`StoreError` when a running process holds it."""
        for _ in range(3):
            try:
                fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                pid, host, started = self._holder()
                if _alive(pid, host) or (pid is None and _just_made(self.path)):
                    problem = finding(
                        "SYN001", value=pid or "unknown", detail=started or "at an unknown time",
                        file=str(self.path),
                    )  # fmt: skip
                    raise StoreError(problem.render(), [problem]) from None
                self.note = finding("SYN002", value=pid or "unknown", detail=started or "?")
                with contextlib.suppress(FileNotFoundError):
                    self.path.unlink()
                continue
            except OSError as exc:  # a read-only folder, a full disk
                raise StoreError(
                    f"Could not create the sync lock {self.path}: {exc}. Please check that the "
                    "programme folder can be written to, and run sync again."
                ) from None
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(f"{os.getpid()}\n{socket.gethostname()}\n{now_iso()}\n")
            self._held = True
            return
        raise StoreError(f"Could not take the sync lock {self.path}; please run sync again.")

    def release(self) -> None:
        """Give the lock back (only if this process holds it)."""
        if self._held:
            with contextlib.suppress(FileNotFoundError):
                self.path.unlink()
            self._held = False

    def _holder(self) -> tuple[int | None, str, str]:
        try:
            lines = self.path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            return None, "", ""
        lines += ["", "", ""]
        pid = int(lines[0]) if lines[0].strip().isdigit() else None
        return pid, lines[1].strip(), lines[2].strip()


def _just_made(path: Path) -> bool:
    """An empty lock a few seconds old: another sync is still writing its name into it."""
    try:
        return time.time() - path.stat().st_mtime < 5
    except OSError:
        return False


def _alive(pid: int | None, host: str) -> bool:
    """Whether the lock's process still runs. A lock written on another computer (a shared
    folder) cannot be checked from here, so it counts as held."""
    if pid is None:
        return False  # an empty or garbled lock: a crash while it was being written
    if host and host != socket.gethostname():
        return True
    if os.name == "nt":  # os.kill(pid, 0) would end the process there; assume it runs
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # it runs, under another user
    return _not_a_zombie(pid)


def _not_a_zombie(pid: int) -> bool:
    """A killed child not yet reaped by its parent still answers ``kill(pid, 0)``."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as fh:
            return fh.read().rsplit(")", 1)[-1].split()[0] != "Z"
    except OSError:
        return True
