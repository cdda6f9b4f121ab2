"""The toolkit's exceptions: one small tree, so callers catch one base class.

::

    ToolkitError                 base of everything the toolkit raises on purpose
    ├── ConfigError              programme.yaml or the roster cannot be used (exit code 2)
    ├── ProgrammeFolderError     the folder is missing, incomplete, or would be overwritten
    ├── StoreError               the ledger cannot be opened, is locked, or is from another version
    └── WorkbookWriteError       a workbook could not be written (XlsxWriter warning, locked file)

Problems *inside* returned data are not exceptions: they are :class:`toolkit.messages.Finding`
objects collected into results, so one bad cell never stops the rest of a file from being read.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from toolkit.messages import Finding


class ToolkitError(Exception):
    """Base class of every error the toolkit raises deliberately."""

    def __init__(self, message: str, findings: list[Finding] | None = None) -> None:
        super().__init__(message)
        self.findings: list[Finding] = list(findings or [])


class ConfigError(ToolkitError):
    """The programme configuration or roster has problems; ``findings`` lists every one."""


class ProgrammeFolderError(ToolkitError):
    """The programme folder is missing, incomplete, or an operation would overwrite it."""


class StoreError(ToolkitError):
    """The ledger cannot be used (missing, locked by another sync, unknown schema)."""


class WorkbookWriteError(ToolkitError):
    """A workbook could not be written completely."""
