"""``mentorkit sync``: take every file in ``inbox/`` into the ledger.

For each file: recognise exact duplicates by SHA-256, read it safely, identify it by its signed
metadata, parse it by the contract, and merge it three-way. The original is copied, byte for
byte, to ``archive/`` (accepted or duplicate) or to ``quarantine/`` with a reason file beside
it; then one transaction records the file, its snapshot, the values it changed and its
findings; only then is the inbox copy removed. A crash at any point leaves either nothing
recorded (the file is simply read again) or everything recorded (the file is then recognised
as a duplicate). Nothing is ever deleted.

The merge. A pair workbook travels as *copies*: the mentor's and the mentee's copy of each
issued revision, told apart by the Start here field "Who is sending this copy?". A returned
file is compared with the previous return of the same copy (or, for its first return, with
the revision as issued): only the fields its sender changed since then are applied, so
untouched or stale fields never erase newer data, and a cleared cell is a change like any
other. A change is not applied over a value that came from a file saved later than this one
(by the files' own saved-at times); it becomes a finding instead, so nothing typed is lost.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import re
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
    saved_at: str = ""

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
        outcome = FileOutcome(name=name, status=ACCEPTED, sha256=hashlib.sha256(data).hexdigest())
        outcome.saved_at = self.stamp
        try:
            snapshot = self._examine(path, outcome)
        except Exception as exc:  # a file that defeats the readers must not stop the sync
            outcome.status = QUARANTINED
            detail = f"{type(exc).__name__}: {str(exc)[:200]}"
            outcome.findings = [finding("FIL007", file=name, detail=detail)]
            snapshot = None
        applied = self._merge(outcome, snapshot) if snapshot is not None else {}
        return self._finish(path, outcome, data, applied, snapshot)

    def _examine(self, path: Path, outcome: FileOutcome) -> Snapshot | None:
        """Identify and parse a file; None (with findings) when it is not accepted."""
        name = outcome.name
        earlier = self.ledger.submission_by_sha(outcome.sha256)
        if earlier is not None:
            outcome.status = DUPLICATE
            outcome.pair_id, outcome.revision = earlier.pair_id, earlier.revision
            outcome.findings.append(finding("FIL005", file=name, value=earlier.file_name))
            return None
        read = read_workbook(path, display_name=name)
        if not read.ok:
            outcome.status = QUARANTINED
            outcome.findings.extend(read.findings)
            return None
        found = identify(read.sheets, self.ledger, self.record, name)
        if found.identity is None:
            assert found.problem is not None
            outcome.status = QUARANTINED
            outcome.findings.append(found.problem)
            return None
        ident = found.identity
        pair = self.ledger.pair(ident.pair_id)
        assert pair is not None
        outcome.pair_id, outcome.revision = ident.pair_id, ident.revision
        # A file cannot have been saved after it arrived: a clock running ahead must not win.
        outcome.saved_at = min(read.saved_at or self.stamp, self.stamp)
        snapshot = parse_workbook(
            read.sheets, self.contract, ident.language, name,
            self._row_keys(pair, ident.language), self.choices,
        )  # fmt: skip
        outcome.findings.extend(snapshot.findings)
        return snapshot

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
        """Three-way merge: apply what the sender changed since their copy was last seen."""
        assert outcome.pair_id is not None and outcome.revision is not None
        base = self.ledger.previous_snapshot(
            outcome.pair_id, outcome.revision, snapshot.returned_by, outcome.saved_at
        )
        if base is None:
            base = self.ledger.revision_values(outcome.pair_id, outcome.revision)
        current = self.ledger.current_sources(outcome.pair_id)
        applied: dict[ValueKey, str] = {}
        for key, value in snapshot.values.items():
            now, source_saved = current.get(key, ("", ""))
            if value == base.get(key, "") or value == now:
                continue  # the sender did not change it, or it already is the current value
            if source_saved > outcome.saved_at:
                outcome.findings.append(self._stale(outcome, key, value, now, source_saved))
                continue
            applied[key] = value
            if now:
                outcome.values_changed += 1
            else:
                outcome.values_new += 1
        return applied

    def _stale(
        self, outcome: FileOutcome, key: ValueKey, value: str, now: str, saved: str
    ) -> Finding:
        tool = self.contract.tool(key[0])
        spec = tool.field(key[2])
        row = f" ({key[1]})" if key[1] else ""
        return finding(
            "VAL011", file=outcome.name, sheet=tool.title["en"], value=value, current=now,
            column=spec.label["en"] + row, detail=f"on {saved[:16].replace('T', ' ')} UTC",
        )  # fmt: skip

    def _finish(
        self,
        path: Path,
        outcome: FileOutcome,
        data: bytes,
        applied: dict[ValueKey, str],
        snapshot: Snapshot | None,
    ) -> FileOutcome:
        target = self._target(outcome)
        outcome.stored_as = target.relative_to(self.folder.root).as_posix()
        if self.dry_run:
            return outcome
        # 1. Keep the original first: if anything fails later, it is safe in two places.
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        if outcome.status == QUARANTINED:
            lines = [f"{outcome.name} was not accepted.", ""]
            lines += [f.render() for f in outcome.findings]
            target.with_name(target.name + ".reason.txt").write_text(
                "\n".join(lines) + "\n", encoding="utf-8"
            )
        # 2. Record it, all or nothing.
        reason = outcome.reason
        record = SubmissionRecord(
            submission_id=0,
            received_at=self.stamp,
            saved_at=outcome.saved_at,
            file_name=outcome.name,
            sha256=outcome.sha256,
            size_bytes=len(data),
            pair_id=outcome.pair_id,
            revision=outcome.revision,
            returned_by=snapshot.returned_by if snapshot else "",
            status=outcome.status,
            reason_code=reason.code if reason else "",
            reason=reason.message if reason else "",
            stored_as=outcome.stored_as,
            values_new=outcome.values_new,
            values_changed=outcome.values_changed,
        )
        with self.ledger.transaction():
            submission_id = self.ledger.add_submission(record)
            if snapshot is not None and outcome.pair_id:
                self.ledger.add_snapshot(submission_id, snapshot.values)
                self.ledger.add_values(submission_id, outcome.pair_id, applied)
            self.ledger.add_findings(submission_id, outcome.findings)
        # 3. Only now leave the inbox; if this fails, the next sync sees a duplicate.
        with contextlib.suppress(OSError):
            path.unlink()
        return outcome

    def _target(self, outcome: FileOutcome) -> Path:
        stored = f"{outcome.sha256[:12]}_{_safe_name(outcome.name)}"
        if outcome.status == QUARANTINED:
            return self.folder.quarantine / stored
        if outcome.status == DUPLICATE:
            return self.folder.archive / "duplicates" / stored
        return self.folder.archive / stored


_UNSAFE = re.compile(r'[\x00-\x1f<>:"/\\|?*]+')


def _safe_name(name: str, limit: int = 80) -> str:
    """A file name safe on every system: no separators or reserved characters, and short enough
    for Windows paths (the extension is kept)."""
    clean = _UNSAFE.sub("_", name).strip(" .") or "file"
    if len(clean) <= limit:
        return clean
    stem, dot, ext = clean.rpartition(".")
    if not dot or len(ext) > 8:
        return clean[:limit]
    return stem[: limit - len(ext) - 1] + "." + ext
