"""Identifying a returned workbook: its signed metadata sheet, checked against the ledger."""

from __future__ import annotations

from dataclasses import dataclass

from sync.reader import Sheet
from toolkit.contract import META_SHEET, Contract, title_index
from toolkit.identity import SIGNATURE_KEY, PairIdentity
from toolkit.ledger import Ledger, ProgrammeRecord
from toolkit.messages import Finding, finding
from toolkit.text import normalise


@dataclass(frozen=True)
class Identification:
    """The verified identity of a file, or the finding that says why it has none."""

    identity: PairIdentity | None
    problem: Finding | None
    note: Finding | None = None
    """Set when the identity comes from the Start here sheet (the fallback), not the signature."""


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


def identify_from_start(
    sheets: list[Sheet],
    ledger: Ledger,
    programme: ProgrammeRecord,
    file: str,
    contract: Contract,
    programme_name: str,
) -> Identification:
    """The fallback for a file whose hidden identity sheet did not survive a re-save.

    The Start here sheet shows the programme, the pair code, the mentor, the mentee and the
    revision. All must agree with the ledger, and the revision must have been issued with the
    contract this toolkit reads (its fingerprint); the caller then also requires the file's
    layout to match that contract. Anything less is quarantined (IDN001 or IDN007).
    """
    titles = title_index(contract)
    start_tool = contract.tools[0]
    start = next((s for s in sheets if titles.get(normalise(s.title)) == start_tool.code), None)
    if start is None:
        return Identification(None, finding("IDN001", file=file))
    labels = {
        normalise(text): item.code for item in start_tool.info for text in item.label.values()
    }
    shown: dict[str, str] = {}
    for row in start.rows[:40]:
        for c, text in enumerate(row[:4]):
            code = labels.get(normalise(text)) if isinstance(text, str) and text else None
            if code and code not in shown:
                shown[code] = _text(row[c + 1]) if c + 1 < len(row) else ""
                break
    pair_id, revision_text = shown.get("pair_code", ""), shown.get("revision", "")
    if not pair_id:
        return Identification(None, finding("IDN001", file=file))

    def doubt(detail: str) -> Identification:
        return Identification(None, finding("IDN007", file=file, detail=detail))

    if normalise(shown.get("programme", "")) != normalise(programme_name):
        return doubt(f"it names programme {shown.get('programme', '')!r}, not {programme_name!r}")
    pair = ledger.pair(pair_id)
    if pair is None:
        return doubt(f"it names pair {pair_id!r}, which this programme does not know")
    revision = int(revision_text) if revision_text.isdigit() else 0
    issued = ledger.revision_record(pair_id, revision)
    if issued is None:
        return doubt(f"it names revision {revision_text!r} of pair {pair_id}, never issued")
    people = ledger.people()
    for role, person_id in (("mentor", pair.mentor_id), ("mentee", pair.mentee_id)):
        name = people.get(person_id, {}).get("name", "")
        if normalise(shown.get(role, "")) != normalise(name):
            return doubt(f"its {role} is {shown.get(role, '')!r}, the ledger's is {name!r}")
    issued_at, language, fingerprint = issued
    if fingerprint != contract.fingerprint:
        return doubt(f"revision {revision} was issued with another workbook layout")
    identity = PairIdentity(
        programme_id=programme.programme_id, cohort_id=programme.cohort_id, pair_id=pair_id,
        mentor_id=pair.mentor_id, mentee_id=pair.mentee_id, revision=revision,
        issued_at=issued_at, contract_version=contract.version, contract_fingerprint=fingerprint,
        toolkit_version="", language=language,
    )  # fmt: skip
    note = finding("IDN006", file=file, value=pair_id, detail=revision)
    return Identification(identity, None, note)
