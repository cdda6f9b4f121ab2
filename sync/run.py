"""``mentorkit sync``: take every file in ``inbox/`` into the ledger.

For each file, in one transaction: recognise exact duplicates by SHA-256, read it safely,
identify it by its signed metadata, parse it by the contract, and merge it three-way (only the
fields the sender changed since the revision they were issued are applied, so a stale copy
cannot erase newer data). Then the original moves, byte for byte, to ``archive/`` (accepted or
duplicate) or to ``quarantine/`` with a reason file beside it. Nothing is ever deleted.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sync.discover import discover
from sync.identify import identify
from sync.parse import Snapshot, parse_workbook
from sync.reader import read_workbook
from sync.values import ChoiceIndex
from toolkit.contract import Contract, LayoutKind, load_contract, rows_for
from toolkit.framework import Framework, load_framework
from toolkit.ledger import Ledger, PairRecord, SubmissionRecord, ValueKey, now_iso
from toolkit.messages import Finding, Severity, finding
from toolkit.programme import Programme, ProgrammeFolder, load_programme

Progress = Callable[[int, int, str], None]

ACCEPTED = "accepted"
QUARANTINED = "quarantined"
DUPLICATE = "duplicate"


@dataclass
class FileOutcome:
    """What became of one file."""

    name: str
    status: str
    sha256: str
    pair_id: str | None = None
    revision: int | None = None
    values_new: int = 0
    values_changed: int = 0
    findings: list[Finding] = field(default_factory=list)
    stored_as: str = ""

    @property
    def reason(self) -> Finding | None:
        """The finding that decided a quarantine or a duplicate."""
        return self.findings[0] if self.status != ACCEPTED and self.findings else None


@dataclass
class SyncResult:
    """Everything one sync did (or, with ``dry_run``, would do)."""

    files: list[FileOutcome] = field(default_factory=list)
    dry_run: bool = False

    def count(self, status: str) -> int:
        return sum(1 for f in self.files if f.status == status)

    @property
    def values_new(self) -> int:
        return sum(f.values_new for f in self.files)

    @property
    def values_changed(self) -> int:
        return sum(f.values_changed for f in self.files)

    @property
    def findings(self) -> list[Finding]:
        return [x for f in self.files for x in f.findings if x.severity is not Severity.INFO]

    @property
    def exit_code(self) -> int:
        """0 when every file was accepted without findings, 1 otherwise."""
        return 1 if self.count(QUARANTINED) or self.findings else 0


def sync_programme(
    root: Path,
    *,
    dry_run: bool = False,
    now: dt.datetime | None = None,
    progress: Progress | None = None,
) -> SyncResult:
    """Take every file of the programme's inbox into its ledger."""
    folder = ProgrammeFolder(root)
    folder.require()
    programme = load_programme(folder.config)
    framework = load_framework()
    contract = load_contract(framework)
    files = discover(folder.inbox)
    result = SyncResult(dry_run=dry_run)
    stamp = now_iso(now)
    with Ledger(folder.ledger) as ledger:
        ingest = _Ingest(folder, ledger, programme, framework, contract, stamp, dry_run)
        for i, path in enumerate(files, start=1):
            result.files.append(ingest.one(path))
            if progress:
                progress(i, len(files), path.name)
    return result


class _Ingest:
    def __init__(
        self,
        folder: ProgrammeFolder,
        ledger: Ledger,
        programme: Programme,
        framework: Framework,
        contract: Contract,
        stamp: str,
        dry_run: bool,
    ) -> None:
        self.folder = folder
        self.ledger = ledger
        self.record = ledger.programme()
        self.programme = programme
        self.framework = framework
        self.contract = contract
        self.stamp = stamp
        self.dry_run = dry_run
        self.choices = ChoiceIndex(contract)

    def one(self, path: Path) -> FileOutcome:
        name = path.relative_to(self.folder.inbox).as_posix()
        data = path.read_bytes()
        sha = hashlib.sha256(data).hexdigest()
        outcome = FileOutcome(name=name, status=ACCEPTED, sha256=sha)
        earlier = self.ledger.submission_by_sha(sha)
        if earlier is not None:
            outcome.status = DUPLICATE
            outcome.pair_id, outcome.revision = earlier.pair_id, earlier.revision
            outcome.findings.append(finding("FIL005", file=name, value=earlier.file_name))
            return self._finish(path, outcome, len(data), {}, "")
        read = read_workbook(path, display_name=name)
        if not read.ok:
            outcome.status = QUARANTINED
            outcome.findings.extend(read.findings)
            return self._finish(path, outcome, len(data), {}, "")
        found = identify(read.sheets, self.ledger, self.record, name)
        if found.identity is None:
            assert found.problem is not None
            outcome.status = QUARANTINED
            outcome.findings.append(found.problem)
            return self._finish(path, outcome, len(data), {}, "")
        ident = found.identity
        pair = self.ledger.pair(ident.pair_id)
        assert pair is not None
        outcome.pair_id, outcome.revision = ident.pair_id, ident.revision
        snapshot = parse_workbook(
            read.sheets, self.contract, ident.language, name,
            self._row_keys(pair, ident.language), self.choices,
        )  # fmt: skip
        outcome.findings.extend(snapshot.findings)
        applied = self._merge(outcome, snapshot)
        return self._finish(path, outcome, len(data), applied, snapshot.returned_by)

    def _row_keys(self, pair: PairRecord, lang: str) -> dict[str, set[str]]:
        months = self.programme.cycle.months
        return {
            tool.code: {
                r.key
                for r in rows_for(tool, self.framework, level=pair.level, months=months, lang=lang)
            }
            for tool in self.contract.tools
            if tool.kind is not LayoutKind.FORM
        }

    def _merge(self, outcome: FileOutcome, snapshot: Snapshot) -> dict[ValueKey, str]:
        """Three-way merge: apply what the sender changed relative to the issued revision."""
        assert outcome.pair_id is not None and outcome.revision is not None
        base = self.ledger.revision_values(outcome.pair_id, outcome.revision)
        current = self.ledger.current_values(outcome.pair_id).get(outcome.pair_id, {})
        merged = self.ledger.merged_since(outcome.pair_id, outcome.revision)
        applied: dict[ValueKey, str] = {}
        for key, value in snapshot.values.items():
            if value == base.get(key, "") or value == current.get(key, ""):
                continue  # the sender did not change it, or it is already the current value
            if (*key, value) in merged:
                continue  # this change was merged before and has since been superseded
            applied[key] = value
            if current.get(key, ""):
                outcome.values_changed += 1
            else:
                outcome.values_new += 1
        return applied

    def _finish(
        self,
        path: Path,
        outcome: FileOutcome,
        size: int,
        applied: dict[ValueKey, str],
        returned_by: str,
    ) -> FileOutcome:
        target = self._target(outcome)
        outcome.stored_as = target.relative_to(self.folder.root).as_posix()
        if self.dry_run:
            return outcome
        reason = outcome.reason
        record = SubmissionRecord(
            submission_id=0,
            received_at=self.stamp,
            file_name=outcome.name,
            sha256=outcome.sha256,
            size_bytes=size,
            pair_id=outcome.pair_id,
            revision=outcome.revision,
            returned_by=returned_by,
            status=outcome.status,
            reason_code=reason.code if reason else "",
            reason=reason.message if reason else "",
            stored_as=outcome.stored_as,
            values_new=outcome.values_new,
            values_changed=outcome.values_changed,
        )
        with self.ledger.transaction():
            submission_id = self.ledger.add_submission(record)
            if applied and outcome.pair_id:
                self.ledger.add_values(submission_id, outcome.pair_id, applied)
            self.ledger.add_findings(submission_id, outcome.findings)
        # Moved only after the commit: a crash in between leaves the file in the inbox, and the
        # next sync recognises its bytes as a duplicate.
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(path), target)
        if outcome.status == QUARANTINED:
            lines = [f"{outcome.name} was not accepted.", ""]
            lines += [f.render() for f in outcome.findings]
            target.with_name(target.name + ".reason.txt").write_text(
                "\n".join(lines) + "\n", encoding="utf-8"
            )
        return outcome

    def _target(self, outcome: FileOutcome) -> Path:
        base = outcome.name.replace("/", "_")
        stored = f"{outcome.sha256[:12]}_{base}"
        if outcome.status == QUARANTINED:
            return self.folder.quarantine / stored
        if outcome.status == DUPLICATE:
            return self.folder.archive / "duplicates" / stored
        return self.folder.archive / stored
