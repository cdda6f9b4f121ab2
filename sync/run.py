"""``mentorkit sync``: take every file in ``inbox/`` into the ledger.

One sync runs at a time (:mod:`sync.lock`). For each file: recognise exact duplicates by
SHA-256; open a .zip or .eml and take each workbook inside as a file of its own
(:mod:`sync.containers`); decrypt, check, read, identify and parse it (:mod:`sync.examine`,
ahead of time in worker processes when there are many, :mod:`sync.pool`); and merge it
three-way. The original is copied, byte for byte, to ``archive/`` (accepted or duplicate) or to
``quarantine/`` with a reason file beside it; then one transaction records the file, its
snapshot, the values it changed, its conflicts and its findings. Files leave the inbox only
when every file is recorded and the ledger is flushed to disk: a sync killed at any point and
run again takes over its stale lock and recognises the files already recorded, so the ledger
ends as if nothing had happened. Nothing is ever deleted.

The merge. A pair workbook travels as *copies*: the mentor's and the mentee's copy of each
issued revision, told apart by the Start here field "Who is sending this copy?". A returned
file is compared with the previous return of the same copy: only the fields its sender changed
since then are applied, so untouched or stale fields never erase newer data, and a cleared cell
or a return to an earlier value is a change like any other. A copy's first return, or a copy
whose sender left the question unanswered, can only bring values the workbook has never held
(as issued or in any copy so far). When both copies changed one field to different values,
that is a *conflict*: both values are kept, the one from the file saved last is current, and
the conflict is recorded for the coordinator (SYN003). Otherwise a change is not applied over a
value that came from a file saved later (by the files' own saved-at times), and a cell emptied
in one copy does not clear what the other copy filled: both become findings instead, so
nothing typed is lost. Files are taken in by saved-at time, oldest first.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import re
import shutil
import sqlite3
import tempfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sync.containers import container_kind, expand
from sync.discover import discover
from sync.examine import ExamineContext, Examined, examine
from sync.lock import SyncLock
from sync.parse import Snapshot
from sync.pool import Prefetch
from sync.reader import file_saved_at
from sync.values import ChoiceIndex
from toolkit.contract import load_contract
from toolkit.filesafety import MAX_FILE_BYTES, IsolatedReader
from toolkit.framework import framework_for
from toolkit.ledger import Conflict, Ledger, SubmissionRecord, ValueKey, now_iso
from toolkit.messages import Finding, Severity, finding
from toolkit.programme import Programme, ProgrammeFolder, load_programme
from toolkit.text import tr

Progress = Callable[[int, int, str], None]
Receipts = Callable[["FileOutcome", bool], object]
"""Writes one file's receipt (``builders.receipt.ReceiptWriter``); the flag asks to keep a
receipt that already exists."""

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
    language: str = ""
    """The pair's workbook language ('' when the pair is unknown): receipts speak it."""
    container: str = ""
    """The .zip or .eml this file came in, '' when it was a file of its own."""
    read_by_sheet: dict[str, int] = field(default_factory=dict)
    """How many fields were read from each tool's sheet (by tool code)."""
    applied_by_sheet: dict[str, int] = field(default_factory=dict)
    """How many values of each tool's sheet were new or changed, and so applied."""
    conflicts: list[Conflict] = field(default_factory=list)
    recorded: bool = True
    """False for the inbox copy of a file an interrupted sync had already recorded."""
    resumed: bool = False
    """True for a file an interrupted sync took in (and recorded) but could not remove from
    the inbox: its status and findings are what that sync found."""

    @property
    def reason(self) -> Finding | None:
        """The finding that decided a quarantine or a duplicate."""
        return self.findings[0] if self.status != ACCEPTED and self.findings else None


@dataclass
class SyncResult:
    """Everything one sync did (or, with ``dry_run``, would do)."""

    files: list[FileOutcome] = field(default_factory=list)
    dry_run: bool = False
    notes: list[Finding] = field(default_factory=list)
    """About the run as a whole (a stale lock taken over)."""

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
    def conflicts(self) -> list[tuple[FileOutcome, Conflict]]:
        """Every conflict between copies this run recorded, with its file."""
        return [(f, c) for f in self.files for c in f.conflicts]

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
    receipts: Receipts | None = None,
) -> SyncResult:
    """Take every file of the programme's inbox into its ledger.

    ``receipts`` writes each file's receipt as it is taken in, before it is recorded and
    leaves the inbox (not in a dry run): a receipt written before a crash is written again,
    under the same name, when the next sync takes the file in, and a file an interrupted sync
    recorded gets its receipt now if it has none yet. So every file gets exactly one."""
    folder = ProgrammeFolder(root)
    folder.require()
    programme = load_programme(folder.config)
    framework = framework_for(root, programme)
    contract = load_contract(framework)
    result = SyncResult(dry_run=dry_run)
    stamp = now_iso(now)
    with SyncLock(folder.root) as lock:
        if lock.note:
            result.notes.append(lock.note)
        # Oldest save first, so that within one sync a newer copy is taken in after an older
        # one. Each file's own saved-at time is read once, here, and travels with it.
        dated = [(file_saved_at(p), p) for p in discover(folder.inbox)]
        files = sorted(dated, key=lambda item: (item[0] or "~", item[1].name))
        with (
            Ledger(folder.ledger) as ledger,
            IsolatedReader() as reader,
            tempfile.TemporaryDirectory(prefix="mentorkit-sync-") as tmp,
        ):
            if not dry_run:
                _fast_commits(ledger)
            context = ExamineContext(
                ledger, programme, framework, contract, ChoiceIndex(contract), Path(tmp)
            )
            ingest = _Ingest(folder, ledger, programme, context, stamp, dry_run, reader)
            ingest.receipts = None if dry_run else receipts
            ingest.resuming = lock.note is not None
            # Workers examine every file ahead of the merge, except known duplicates.
            known = ledger.accepted_sha256s()
            jobs = [
                None if _known(p, known) else (p, _display_name(folder.inbox, p), s)
                for s, p in files
            ]
            # A dry run does all the real work in the ledger, then undoes it.
            try:
                with (
                    ledger.rolled_back() if dry_run else contextlib.nullcontext(),
                    Prefetch(jobs, context) as prefetch,
                ):
                    for i, (saved_at, path) in enumerate(files, start=1):
                        try:
                            result.files.extend(ingest.one(path, saved_at, prefetch.get(i - 1)))
                        except FileNotFoundError:
                            continue  # removed from the inbox while the sync ran
                        if progress:
                            progress(i, len(files), path.name)
            finally:
                ingest.leave_inbox()
                if not dry_run:
                    _at_rest(ledger)
    return result


class _Ingest:
    def __init__(
        self,
        folder: ProgrammeFolder,
        ledger: Ledger,
        programme: Programme,
        context: ExamineContext,
        stamp: str,
        dry_run: bool,
        reader: IsolatedReader,
    ) -> None:
        self.reader = reader
        self.folder = folder
        self.ledger = ledger
        self.programme = programme
        self.context = context
        self.contract = context.contract
        self.stamp = stamp
        self.dry_run = dry_run
        self.tmp = context.scratch
        self.resuming = False
        """True after an interrupted sync (its stale lock was taken over)."""
        self.receipts: Receipts | None = None
        self._done: list[Path] = []
        self._cells: dict[ValueKey, tuple[str, str]] = {}
        """Where the file being merged holds each value (sheet, cell)."""
        self._names: dict[int, str] = {}

    def one(
        self, path: Path, saved_at: str | None, prepared: Examined | None = None
    ) -> list[FileOutcome]:
        """Take in one file of the inbox: a workbook, or a .zip or .eml holding workbooks;
        ``prepared`` is what a worker process found examining it, if it did."""
        name = _display_name(self.folder.inbox, path)
        size = path.stat().st_size
        data = path.read_bytes() if size <= MAX_FILE_BYTES else None
        # A worker examined it only if it is not a container: no need to look again.
        if prepared is None and data is not None and container_kind(data, name):
            return self._container(path, name, data)
        outcome = self._blob(name, data, size, path, saved_at, prepared)
        self._done.append(path)
        return [outcome]

    def leave_inbox(self) -> None:
        """Remove every processed file from the inbox, once all are recorded and on disk:
        after a crash before this, the next sync resumes them (see ``resuming``)."""
        if self.dry_run:
            return
        self.ledger.checkpoint()
        for path in self._done:
            with contextlib.suppress(OSError):
                path.unlink()
        self._done = []

    def _container(self, path: Path, name: str, data: bytes) -> list[FileOutcome]:
        """Every workbook of a .zip or .eml, each taken in as a return of its own (named
        ``container/inner``); the container is kept as it came, in archive/containers/ or,
        when it cannot be opened or holds no workbook, in quarantine/ with its reason."""
        expansion = expand(data, name)
        if expansion.problem is not None:
            outcome = FileOutcome(name=name, status=QUARANTINED, sha256=_sha256(path, data))
            outcome.saved_at = self.stamp
            outcome.findings = [expansion.problem, *expansion.notes]
            outcome = self._finish(None, outcome, data, {}, None)
            self._done.append(path)
            return [outcome]
        outcomes = []
        dated = [(file_saved_at(tmp), tmp, inner) for inner in expansion.workbooks
                 for tmp in [self._scratch(inner.data)]]  # fmt: skip
        notes = expansion.notes  # recorded with the first workbook taken from the container
        for saved_at, tmp, inner in sorted(dated, key=lambda d: (d[0] or "~", d[2].name)):
            outcome = self._blob(
                inner.name, inner.data, len(inner.data), tmp, saved_at, container=name, notes=notes
            )
            notes = []
            outcomes.append(outcome)
        if not self.dry_run:
            sha = _sha256(path, data)
            target = self.folder.archive / "containers" / f"{sha[:12]}_{_safe_name(name)}"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        self._done.append(path)
        return outcomes

    def _scratch(self, data: bytes) -> Path:
        """A temporary copy of bytes that did not come as a file of their own, for the reader."""
        tmp = self.tmp / f"{hashlib.sha256(data).hexdigest()[:16]}.bin"
        tmp.write_bytes(data)
        return tmp

    def _blob(
        self, name: str, data: bytes | None, size: int, path: Path, saved_at: str | None,
        prepared: Examined | None = None, container: str = "", notes: list[Finding] | None = None,
    ) -> FileOutcome:  # fmt: skip
        outcome = FileOutcome(name=name, status=ACCEPTED, sha256=_sha256(path, data))
        outcome.container = container
        outcome.saved_at = self.stamp
        resumed = self.ledger.resumed_submission(outcome.sha256, name) if self.resuming else None
        if resumed is not None and (self.folder.root / resumed.stored_as).is_file():
            # An interrupted sync recorded this very file but could not remove it from the
            # inbox: it is done, and recording it again would list it twice. It is reported as
            # that sync found it, and gets its receipt if that sync could not write it.
            return self._resumed(outcome, resumed)
        try:
            if data is None:  # too large to read: refused before any reader sees it
                detail = f"{size:,} bytes, the limit is {MAX_FILE_BYTES:,}"
                raise _Refused(finding("FIL003", file=name, detail=detail))
            snapshot = self._examine(path, data, outcome, saved_at, prepared)
            applied = self._merge(outcome, snapshot) if snapshot is not None else {}
        except _Refused as refused:
            outcome.status = QUARANTINED
            outcome.findings = [refused.finding]
            snapshot, applied = None, {}
        except Exception as exc:  # a file that defeats the readers must not stop the sync
            outcome.status = QUARANTINED
            detail = f"{type(exc).__name__}: {str(exc)[:200]}"
            outcome.findings = [finding("FIL007", file=name, detail=detail)]
            snapshot, applied = None, {}
        outcome.findings.extend(notes or [])
        return self._finish(path, outcome, data, applied, snapshot)

    def _resumed(self, outcome: FileOutcome, record: SubmissionRecord) -> FileOutcome:
        """A file an interrupted sync recorded, as that sync took it in."""
        outcome.status, outcome.recorded, outcome.resumed = record.status, False, True
        outcome.pair_id, outcome.revision = record.pair_id, record.revision
        outcome.stored_as, outcome.saved_at = record.stored_as, record.saved_at
        outcome.values_new, outcome.values_changed = record.values_new, record.values_changed
        pair = self.ledger.pair(record.pair_id) if record.pair_id else None
        outcome.language = pair.language if pair else ""
        outcome.findings = self.ledger.submission_findings(record.submission_id, outcome.name)
        if self.receipts is not None:
            self.receipts(outcome, True)
        return outcome

    def _examine(
        self, path: Path, data: bytes, outcome: FileOutcome, saved_at: str | None,
        prepared: Examined | None = None,
    ) -> Snapshot | None:  # fmt: skip
        """Identify and parse a file (or take what a worker found); None (with findings) when
        it is not accepted."""
        name = outcome.name
        earlier = self.ledger.submission_by_sha(outcome.sha256)
        if earlier is not None:
            outcome.status = DUPLICATE
            outcome.pair_id, outcome.revision = earlier.pair_id, earlier.revision
            pair = self.ledger.pair(earlier.pair_id) if earlier.pair_id else None
            outcome.language = pair.language if pair else ""
            outcome.findings.append(finding("FIL005", file=name, value=earlier.file_name))
            return None
        found = prepared or examine(path, data, name, saved_at, self.context, self.reader)
        if found.identity is None or found.snapshot is None:
            outcome.status = QUARANTINED
            outcome.findings.extend(found.findings)
            if found.identity is not None:  # held: the pair it appears to be, for the receipt
                outcome.pair_id, outcome.revision = found.identity.pair_id, None
                outcome.language = found.language
            return None
        outcome.pair_id, outcome.revision = found.identity.pair_id, found.identity.revision
        outcome.language = found.language
        # A file cannot have been saved after it arrived: a clock running ahead must not win.
        outcome.saved_at = min(found.saved_at or self.stamp, self.stamp)
        outcome.findings.extend(found.findings)
        outcome.findings.extend(found.snapshot.findings)
        outcome.read_by_sheet = found.read_by_sheet
        return found.snapshot

    def _merge(self, outcome: FileOutcome, snapshot: Snapshot) -> dict[ValueKey, str]:
        """Three-way merge: apply what the sender changed since their copy was last seen."""
        pair_id, revision = outcome.pair_id, outcome.revision
        assert pair_id is not None and revision is not None
        copy = snapshot.returned_by
        if not copy:
            outcome.findings.append(finding("VAL013", file=outcome.name))
        earlier = self.ledger.copy_snapshots(pair_id, revision, copy, outcome.saved_at)
        issued = self.ledger.revision_values(pair_id, revision)
        if earlier:
            # The copy's last return, and the state this file most likely descends from: a
            # copy typed into an old attachment resembles the older state, not the last return.
            last = earlier[-1]
            closest = min(
                reversed([issued, *earlier]), key=lambda base: _distance(base, snapshot.values)
            )
            bases = (last, closest)
            if _distance(closest, snapshot.values) == 0 and (
                closest is not last or self.ledger.newer_revision_returned(pair_id, revision, copy)
            ):
                # Exactly an earlier state of this copy (of this revision, or of an older
                # revision after the copy sent a newer one): an old attachment sent again.
                outcome.findings.append(finding("FIL011", file=outcome.name))
        else:
            # A copy's first return can only bring values this workbook has never held (as
            # issued, or in any copy so far): it cannot know what other copies changed.
            known = self.ledger.known_values(pair_id, revision)
            bases = ()
        current = self.ledger.current_sources(pair_id)
        self._cells = snapshot.cells
        # The same copy saved later already arrived: what it no longer holds stays out.
        newer = self.ledger.newer_copy_snapshot(pair_id, revision, copy, outcome.saved_at)
        newer = newer if copy else None
        # The state this copy started from: its last return, or the workbook as issued.
        start = bases[0] if bases else issued
        applied: dict[ValueKey, str] = {}
        for key, value in snapshot.values.items():
            now, source_saved, source_copy, source_id = current.get(key, ("", "", "", 0))
            if value == now:
                continue
            if bases:
                if any(value == base.get(key, "") for base in bases):
                    if value and value != bases[0].get(key, ""):
                        outcome.findings.append(self._note(outcome, "VAL014", key, value, now))
                    continue  # unchanged since the state this copy came from
            elif value in known.get(key, set()) | {""}:
                continue
            own = bool(copy) and source_copy == copy
            if value and now and not own and now != start.get(key, ""):
                # Both copies changed this field, to different values: a conflict. Both stay
                # in the ledger; the one saved last (then the one that arrived last) is current.
                wins = outcome.saved_at >= source_saved
                outcome.conflicts.append(
                    Conflict(pair_id, key, value, now, source_id, value if wins else now)
                )
                other = f"{self._file_of(source_id)!r} ({_when(source_saved)} UTC)"
                outcome.findings.append(self._note(
                    outcome, "SYN003", key, value, now, other=other,
                    winner=value if wins else now,
                ))  # fmt: skip
                if wins:
                    applied[key] = value
                    outcome.values_changed += 1
                continue
            if newer is not None and value and not newer[0].get(key):
                # This copy, saved later, was emptied here: an older save cannot bring it back.
                outcome.findings.append(self._stale(outcome, key, value, now, newer[2], newer[1]))
                continue
            if source_saved > outcome.saved_at:
                if not own:  # the sender's own newer file already replaced it: nothing to say
                    outcome.findings.append(
                        self._stale(outcome, key, value, now, source_saved, source_id)
                    )
                continue
            if value == "" and now and not own:
                outcome.findings.append(self._note(outcome, "VAL012", key, value, now))
                continue
            applied[key] = value
            if now:
                outcome.values_changed += 1
            else:
                outcome.values_new += 1
        outcome.applied_by_sheet = dict(sorted(Counter(k[0] for k in applied).items()))
        return applied

    def _stale(
        self, outcome: FileOutcome, key: ValueKey, value: str, now: str, saved: str, source: int
    ) -> Finding:
        detail = f"{self._file_of(source)!r}, {_when(saved)} UTC"
        return self._note(outcome, "VAL011", key, value, now, detail=detail)

    def _file_of(self, submission_id: int) -> str:
        """The name of the file a submission came in (cached for the run)."""
        if submission_id not in self._names:
            self._names[submission_id] = self.ledger.submission_file_name(submission_id)
        return self._names[submission_id]

    def _note(
        self, outcome: FileOutcome, code: str, key: ValueKey, value: str, now: str, **facts: str
    ) -> Finding:
        """A finding about one field of the merge, in the pair's language, at the cell of
        this file it was read from (none for a field the file does not hold)."""
        lang = outcome.language or self.programme.default_language
        tool = self.contract.tool(key[0])
        row = f" ({key[1]})" if key[1] else ""
        sheet, cell = self._cells.get(key, (tr(tool.title, lang), ""))
        return finding(
            code, file=outcome.name, sheet=sheet, cell=cell, value=value, current=now,
            column=tr(tool.field(key[2]).label, lang) + row, **facts,
        )  # fmt: skip

    def _finish(
        self,
        path: Path | None,
        outcome: FileOutcome,
        data: bytes | None,
        applied: dict[ValueKey, str],
        snapshot: Snapshot | None,
    ) -> FileOutcome:
        target = self._target(outcome)
        outcome.stored_as = target.relative_to(self.folder.root).as_posix()
        size = len(data) if data is not None else path.stat().st_size if path else 0
        if not self.dry_run:
            self._keep(path, target, outcome, data)
        if self.receipts is not None:
            # Before it is recorded: a crash after this writes the same receipt again.
            self.receipts(outcome, False)
        # 2. Record it, all or nothing (in a dry run, inside the run's undone transaction).
        reason = outcome.reason
        record = SubmissionRecord(
            submission_id=0,
            received_at=self.stamp,
            saved_at=outcome.saved_at,
            file_name=outcome.name,
            sha256=outcome.sha256,
            size_bytes=size,
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
                # Empty fields are left out: for the merge, empty and absent are the same.
                held = {key: value for key, value in snapshot.values.items() if value}
                self.ledger.add_snapshot(submission_id, held)
                self.ledger.add_values(submission_id, outcome.pair_id, applied)
                self.ledger.add_conflicts(submission_id, outcome.conflicts)
            self.ledger.add_findings(submission_id, outcome.findings)
        # 3. Only then does the caller remove it from the inbox (see _leave_inbox).
        return outcome

    def _keep(
        self, path: Path | None, target: Path, outcome: FileOutcome, data: bytes | None
    ) -> None:
        """1. Keep the original before recording anything: if a later step fails, it is safe in
        two places (a file too large to read is moved instead of copied)."""
        target.parent.mkdir(parents=True, exist_ok=True)
        if data is None:
            assert path is not None
            shutil.move(str(path), target)
        elif not _linked(path, target):
            target.write_bytes(data)
        if outcome.status == QUARANTINED:
            lines = [f"{outcome.name} was not accepted.", ""]
            lines += [f.render() for f in outcome.findings]
            target.with_name(target.name + ".reason.txt").write_text(
                "\n".join(lines) + "\n", encoding="utf-8"
            )

    def _target(self, outcome: FileOutcome) -> Path:
        stored = f"{outcome.sha256[:12]}_{_safe_name(outcome.name)}"
        if outcome.status == QUARANTINED:
            return self.folder.quarantine / stored
        if outcome.status == DUPLICATE:
            return self.folder.archive / "duplicates" / stored
        return self.folder.archive / stored


def _when(stamp: str) -> str:
    """An ISO time as people read it: ``2026-03-01 09:00``."""
    return stamp[:16].replace("T", " ")


def _display_name(inbox: Path, path: Path) -> str:
    """A file's name relative to the inbox; a name that is not valid UTF-8 (possible on
    Linux) is shown with replacement marks."""
    raw = path.relative_to(inbox).as_posix()
    return raw.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _known(path: Path, shas: set[str]) -> bool:
    """Whether a file (of a readable size) has exactly the bytes of an accepted one."""
    try:
        small = path.stat().st_size <= MAX_FILE_BYTES
        return small and hashlib.sha256(path.read_bytes()).hexdigest() in shas
    except OSError:
        return False


def _fast_commits(ledger: Ledger) -> None:
    """Write-ahead logging without a disk flush at every commit: each file's transaction
    stays atomic and survives a killed process; :meth:`_Ingest.leave_inbox` flushes (a
    checkpoint) before any file leaves the inbox, so a power cut cannot lose a file either."""
    ledger.conn.execute("PRAGMA journal_mode = WAL")
    ledger.conn.execute("PRAGMA synchronous = NORMAL")


def _at_rest(ledger: Ledger) -> None:
    """Back to a plain rollback journal once the sync is done, so the ledger at rest is one
    file (no ``-wal``/``-shm`` beside it) that can be copied, backed up or kept on a shared
    drive like any other. While another program still reads the ledger this cannot be done;
    it stays as it is, safely, and the next sync tries again."""
    with contextlib.suppress(sqlite3.OperationalError):
        ledger.conn.execute("PRAGMA journal_mode = DELETE")


def _linked(path: Path | None, target: Path) -> bool:
    """Keep ``path`` also as ``target`` by a hard link (the same bytes, written at once) where
    the file system allows it; False when it does not, or ``target`` already exists."""
    if path is None:
        return False
    try:
        os.link(path, target)
    except OSError:
        return False
    return True


def _distance(base: dict[ValueKey, str], values: dict[ValueKey, str]) -> int:
    """How many of a file's fields differ from a base state."""
    return sum(1 for key, value in values.items() if base.get(key, "") != value)


class _Refused(Exception):
    """A file refused before reading, with the finding that says why."""

    def __init__(self, reason: Finding) -> None:
        super().__init__(reason.message)
        self.finding = reason


def _sha256(path: Path, data: bytes | None) -> str:
    """SHA-256 of the file, from memory or, for a file too large to read at once, in chunks."""
    if data is not None:
        return hashlib.sha256(data).hexdigest()
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


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
