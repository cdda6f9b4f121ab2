"""A digest of a ledger's contents, to show that the same seed gives the same ledger.

Every row of every table goes in, in a fixed order. The only thing left out is what depends on
bytes no program controls: for the files listed in ``varying`` (the .ods LibreOffice re-saves,
see :mod:`toolkit.demo.clients`), their SHA-256, size and stored name are replaced by a fixed
word. Two ledgers with the same digest hold the same people, pairs, revisions, submissions,
values, findings, conflicts, endings and confirmations.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterable
from contextlib import closing
from pathlib import Path

VARYING = "(bytes written by LibreOffice)"


def ledger_digest(path: Path, varying: Iterable[str] = ()) -> str:
    """The SHA-256 of the ledger at ``path``, with the byte-dependent fields of the
    submissions whose SHA-256 is in ``varying`` masked."""
    masked = set(varying)
    digest = hashlib.sha256()
    with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as db:
        tables = [r[0] for r in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
        )]  # fmt: skip
        for table in tables:
            cursor = db.execute(f'SELECT * FROM "{table}"')  # table names from the schema
            columns = [d[0] for d in cursor.description]
            rows = [_masked(dict(zip(columns, row, strict=True)), masked) for row in cursor]
            digest.update(f"{table}:{columns}\n".encode())
            for row in sorted(repr(r) for r in rows):
                digest.update(row.encode() + b"\n")
    return digest.hexdigest()


def _masked(row: dict[str, object], masked: set[str]) -> list[object]:
    sha = row.get("sha256")
    if isinstance(sha, str) and sha in masked:
        for name in ("sha256", "size_bytes", "stored_as"):
            if name in row:
                row[name] = VARYING
    return list(row.values())
