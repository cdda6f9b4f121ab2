"""Running LibreOffice (and other helper programs) headless: finding it, and a run that stops
the whole process tree on a timeout.

``soffice`` starts ``soffice.bin``, which keeps running, and keeps the output pipes open, when
only ``soffice`` is killed: a plain ``subprocess.run(..., timeout=...)`` then waits forever.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess


def find_soffice() -> str | None:
    """The LibreOffice command (``soffice`` or ``libreoffice``), or None when not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def run_stoppable(command: list[str], timeout: float) -> subprocess.CompletedProcess[bytes]:
    """Run ``command``; on timeout stop it *and its children*, then re-raise
    :class:`subprocess.TimeoutExpired`."""
    posix = os.name == "posix"
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=posix
    ) as process:
        try:
            out, err = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            try:
                if posix:
                    os.killpg(process.pid, signal.SIGKILL)
                else:
                    process.kill()
            except ProcessLookupError:  # it ended between the timeout and the kill
                pass
            process.communicate()
            raise
    return subprocess.CompletedProcess(command, process.returncode, out, err)
