"""Examining one returned workbook: decrypt, check, read, identify and parse it.

:func:`examine` is everything sync does to a file *before* the merge, and it only reads the
ledger, so it can run in a worker process (:mod:`sync.pool`) as well as in the sync itself.
Its result, :class:`Examined`, is a plain picklable value: the verified identity and the
snapshot, or the finding that keeps the file out.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sync.identify import identify, identify_from_start
from sync.parse import Snapshot, parse_workbook
from sync.reader import file_saved_at, in_utc, read_workbook
from sync.values import ChoiceIndex
from toolkit.contract import Contract, FieldType, LayoutKind, row_key_index, rows_for
from toolkit.countries import default_countries
from toolkit.encryption import (
    MAX_SPIN_COUNT,
    Decryption,
    candidate_passwords,
    decrypt,
    is_encrypted,
)
from toolkit.framework import Framework
from toolkit.identity import PairIdentity
from toolkit.ledger import Ledger, PairRecord
from toolkit.messages import Finding, finding
from toolkit.programme import Programme
from toolkit.text import tr


@dataclass
class Examined:
    """What examining a file gave: an identity and a snapshot, or why it is refused."""

    identity: PairIdentity | None = None
    snapshot: Snapshot | None = None
    findings: list[Finding] = field(default_factory=list)
    """The reason for a refusal, or the notes about an accepted file (IDN008). A file held
    for the coordinator (IDN006) has the identity it appears to have, but no snapshot."""
    saved_at: str | None = None
    language: str = ""
    read_by_sheet: dict[str, int] = field(default_factory=dict)


@dataclass
class ExamineContext:
    """What examining needs besides the file: the programme and a (read-only) ledger."""

    ledger: Ledger
    programme: Programme
    framework: Framework
    contract: Contract
    choices: ChoiceIndex
    scratch: Path
    """A folder for decrypted copies, which the readers need as files."""
    _cache: dict[str, Any] = field(default_factory=dict)

    def people(self) -> dict[str, dict[str, str]]:
        if "people" not in self._cache:
            self._cache["people"] = self.ledger.people()
        return self._cache["people"]

    def passwords(self) -> dict[str, str]:
        if "passwords" not in self._cache:
            self._cache["passwords"] = self.ledger.workbook_passwords()
        return self._cache["passwords"]

    def record(self) -> Any:
        if "record" not in self._cache:
            self._cache["record"] = self.ledger.programme()
        return self._cache["record"]

    def row_keys(self, pair: PairRecord, lang: str) -> dict[str, dict[str, str]]:
        """Per table tool, what a returned key cell may say (normalised) → the row key."""
        key = f"rows:{pair.level}:{lang}"
        if key not in self._cache:
            months = self.programme.cycle.months
            self._cache[key] = {
                tool.code: row_key_index(
                    rows_for(tool, self.framework, level=pair.level, months=months, lang=lang)
                )
                for tool in self.contract.tools
                if tool.kind is not LayoutKind.FORM
            }
        return self._cache[key]


def examine(
    path: Path,
    data: bytes,
    name: str,
    saved_at: str | None,
    ctx: ExamineContext,
    reader: Any,
    extents: bool = True,
) -> Examined:
    """Examine a file (its bytes ``data``, also at ``path`` for the readers); ``extents``
    as in :func:`toolkit.filesafety.inspect_workbook`."""
    encrypted = is_encrypted(data)
    if encrypted:
        opened = decrypt(data, candidate_passwords(name, ctx.passwords()))
        if opened.data is None:
            return Examined(findings=[_locked(name, opened, bool(ctx.passwords()))])
        path = ctx.scratch / f"{hashlib.sha256(data).hexdigest()[:16]}.xlsx"
        path.write_bytes(opened.data)
        saved_at = saved_at or file_saved_at(path)
    read = read_workbook(path, display_name=name, reader=reader, extents=extents)
    if not read.ok:
        return Examined(findings=read.findings)
    record = ctx.record()
    found = identify(read.sheets, ctx.ledger, record, name)
    if found.identity is None and found.problem is not None and found.problem.code == "IDN001":
        found = identify_from_start(
            read.sheets, ctx.ledger, record, name, ctx.contract, ctx.programme.programme.name
        )
    if found.identity is None:
        assert found.problem is not None
        return Examined(findings=[found.problem])
    ident = found.identity
    pair = ctx.ledger.pair(ident.pair_id)
    assert pair is not None
    country = ctx.people().get(pair.mentee_id, {}).get("country", "")
    snapshot = parse_workbook(
        read.sheets, ctx.contract, ident.language, name, ctx.row_keys(pair, ident.language),
        ctx.choices, date_order=ctx.programme.date_order(country), country=country,
        version=ident.contract_version,
    )  # fmt: skip
    notes = []
    if found.note is not None:
        # Without the signature, only a workbook laid out exactly as issued is trusted.
        if any(f.code in ("VAL007", "VAL008", "VAL016") for f in snapshot.findings):
            detail = "its sheets or headers differ from the workbook as issued"
            return Examined(findings=[finding("IDN007", file=name, detail=detail)])
        confirmed = ctx.ledger.identity_confirmation(hashlib.sha256(data).hexdigest())
        if confirmed is None:
            # Anyone can type a pair's code and names on Start here: held for the coordinator.
            return Examined(ident, None, [found.note], saved_at, pair.language)
        if confirmed[0] != ident.pair_id:
            detail = f"the coordinator confirmed pair {confirmed[0]}, it names {ident.pair_id}"
            return Examined(findings=[finding("IDN007", file=name, detail=detail)])
        when = confirmed[1][:16].replace("T", " ")
        notes.append(finding("IDN008", file=name, value=ident.pair_id, detail=when))
    if not encrypted and _issued_encrypted(ctx, ident.pair_id):
        notes.append(finding("FIL015", file=name, value=ident.pair_id))
    created = dt.date.fromisoformat(pair.created_at[:10]) if pair else None
    notes += _implausible_dates(snapshot, ctx, name, ident.language, created)
    saved_at = _saved_in_utc(saved_at, ident, country, name, notes)
    # Values read: the cells that hold something (an empty cell is read, but holds nothing).
    counts = dict(sorted(Counter(k[0] for k, v in snapshot.values.items() if v).items()))
    return Examined(ident, snapshot, notes, saved_at, pair.language, counts)


def _locked(name: str, opened: Decryption, issued_encrypted: bool) -> Finding:
    """Why an encrypted file stays closed, and what the coordinator can do about it."""
    if opened.too_costly:
        spin, limit = f"{opened.spin_count:,}", f"{MAX_SPIN_COUNT:,}"
        return finding("FIL012", file=name, value=spin, detail=limit)
    if opened.left:
        return finding("FIL013", file=name, value=opened.tried, detail=opened.left)
    if issued_encrypted and not opened.damaged:
        return finding("FIL014", file=name)
    return finding("FIL004", file=name)


def _issued_encrypted(ctx: ExamineContext, pair_id: str) -> bool:
    """Whether this programme encrypts its workbooks and issued this pair's with a password."""
    kept = ctx.passwords()
    return ctx.programme.confidentiality.encrypt_workbooks and (pair_id in kept or "*" in kept)


def _saved_in_utc(
    saved_at: str | None, ident: PairIdentity, country: str, name: str, notes: list[Finding]
) -> str | None:
    """The file's saved-at time in UTC: a time without a zone is read in the mentee's
    country's time (noted), and one before the revision was issued (a clock running behind)
    is taken as the issue time, so that the copy is not judged older than it is."""
    if not saved_at:
        return saved_at
    if dt.datetime.fromisoformat(saved_at).tzinfo is None:
        offset = default_countries().get(country)
        hours = offset.utc_offset if offset else 0.0
        notes.append(finding("FIL016", file=name, value=saved_at.replace("T", " "),
                             detail=f"UTC{hours:+g}", country=country or "?"))  # fmt: skip
        saved_at = in_utc(saved_at, hours)
    if not ident.issued_at:
        return saved_at
    issued = dt.datetime.fromisoformat(ident.issued_at)
    if issued.tzinfo is None:
        issued = issued.replace(tzinfo=dt.timezone.utc)
    if dt.datetime.fromisoformat(saved_at) < issued:
        return issued.astimezone(dt.timezone.utc).isoformat()
    return saved_at


DATE_MARGIN = dt.timedelta(days=92)
"""How far after the cycle's end a typed date is still plausible (late sessions, reviews)."""


def _implausible_dates(
    snapshot: Snapshot,
    ctx: ExamineContext,
    name: str,
    lang: str,
    created: dt.date | None = None,
) -> list[Finding]:
    """A warning for each date before the cycle started (or before the pair was created, when
    that was earlier: a pair matched in December may sign its agreement before a January
    start) or well after the cycle ended: a typing slip such as 2062 for 2026 (the value is
    kept)."""
    cycle = ctx.programme.cycle
    first = cycle.start_date.replace(day=1)
    months = first.month - 1 + cycle.months
    end = dt.date(first.year + months // 12, months % 12 + 1, 1) + DATE_MARGIN
    start = min(first, created) if created else first
    notes = []
    for key, value in snapshot.values.items():
        spec = ctx.contract.tool(key[0]).field(key[2])
        if spec.type is not FieldType.DATE or not value:
            continue
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            continue
        if start <= day < end:
            continue
        sheet, cell = snapshot.cells.get(key, ("", ""))
        row = f" ({key[1]})" if key[1] else ""
        column = tr(spec.label, lang) + row
        span = f"{start.isoformat()} to {(end - DATE_MARGIN - dt.timedelta(days=1)).isoformat()}"
        notes.append(finding(
            "VAL019", file=name, sheet=sheet, cell=cell, column=column, value=value, detail=span
        ))  # fmt: skip
    return notes
