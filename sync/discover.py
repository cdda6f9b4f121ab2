"""Finding the files to take in from ``inbox/`` (sub-folders included)."""

from __future__ import annotations

from pathlib import Path

_SYSTEM_NAMES = {"thumbs.db", "desktop.ini", ".ds_store"}


def is_ignorable(name: str) -> bool:
    """Spreadsheet lock files, hidden and system files (and folders): skipped silently."""
    lowered = name.lower()
    return (
        name.startswith("~$")
        or name.startswith(".~lock.")
        or name.startswith(".")
        or lowered in _SYSTEM_NAMES
        or lowered.endswith(".tmp")
    )


def discover(inbox: Path) -> list[Path]:
    """Every file to process under ``inbox``, in a stable order (by relative path)."""
    if not inbox.is_dir():
        return []
    found = [
        p
        for p in inbox.rglob("*")
        if p.is_file() and not any(is_ignorable(part) for part in p.relative_to(inbox).parts)
    ]
    return sorted(found, key=lambda p: p.relative_to(inbox).as_posix())
