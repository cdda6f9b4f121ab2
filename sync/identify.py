"""Identifying a returned workbook: its signed metadata sheet, checked against the ledger."""

from __future__ import annotations

from dataclasses import dataclass

from sync.reader import Sheet
from toolkit.contract import META_SHEET
from toolkit.identity import SIGNATURE_KEY, PairIdentity
from toolkit.ledger import Ledger, ProgrammeRecord
from toolkit.messages import Finding, finding
from toolkit.text import normalise


@dataclass(frozen=True)
class Identification:
    """The verified identity of a file, or the finding that says why it has none."""

    identity: PairIdentity | None
    problem: Finding | None


def identify(
    sheets: list[Sheet], ledger: Ledger, programme: ProgrammeRecord, file: str
) -> Identification:
    """Find, verify and check the identity a workbook carries."""
    meta = next((s for s in sheets if normalise(s.title) == normalise(META_SHEET)), None)
    if meta is None:
        return Identification(None, finding("IDN001", file=file))
    data = {str(row[0]).strip(): row[1] for row in meta.rows if len(row) >= 2 and row[0] != ""}
    identity = PairIdentity.from_mapping({k: _text(v) for k, v in data.items()})
    signature = _text(data.get(SIGNATURE_KEY, ""))
    if identity is None or not signature:
        return Identification(None, finding("IDN001", file=file))
    if (identity.programme_id, identity.cohort_id) != (programme.programme_id, programme.cohort_id):
        theirs = f"{identity.programme_id} / {identity.cohort_id}"
        ours = f"{programme.programme_id} / {programme.cohort_id}"
        return Identification(None, finding("IDN003", file=file, value=theirs, expected=ours))
    if not identity.verify(programme.secret, signature):
        return Identification(None, finding("IDN002", file=file))
    if ledger.pair(identity.pair_id) is None:
        return Identification(None, finding("IDN004", file=file, value=identity.pair_id))
    if not ledger.revision_exists(identity.pair_id, identity.revision):
        problem = finding("IDN005", file=file, value=identity.revision, pair=identity.pair_id)
        return Identification(None, problem)
    return Identification(identity, None)


def _text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
