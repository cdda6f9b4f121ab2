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
file is compared with the previous return of the same copy: only the fields its sender changed
since then are applied, so untouched or stale fields never erase newer data, and a cleared cell
or a return to an earlier value is a change like any other. A copy's first return, or a copy
whose sender left the question unanswered, can only bring values the workbook has never held
(as issued or in any copy so far). A change is not applied over a value that came from a file
saved later (by the files' own saved-at times), and a cell emptied in one copy does not clear
what the other copy filled: both become findings instead, so nothing typed is lost. Files are
taken in by saved-at time, oldest first.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sync.discover import discover
from sync.identify import identify
from sync.parse import Snapshot, parse_workbook
from sync.reader import file_saved_at, read_workbook
from sync.values import ChoiceIndex
from toolkit.contract import Contract, LayoutKind, load_contract, rows_for
from toolkit.filesafety import MAX_FILE_BYTES, IsolatedReader
from toolkit.framework import Framework, framework_for
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
    framework = framework_for(root, programme)
    contract = load_contract(framework)
    # Oldest save first, so that within one sync a newer copy is taken in after an older one.
    # Each file's own saved-at time is read once, here, and travels with it.
    dated = [(file_saved_at(p), p) for p in discover(folder.inbox)]
    files = sorted(dated, key=lambda item: (item[0] or "~", item[1].name))
    result = SyncResult(dry_run=dry_run)
    stamp = now_iso(now)
    with Ledger(folder.ledger) as ledger, IsolatedReader() as reader:
        ingest = _Ingest(folder, ledger, programme, framework, contract, stamp, dry_run, reader)
        # A dry run does all the real work in the ledger, then undoes it.
        with ledger.rolled_back() if dry_run else contextlib.nullcontext():
            for i, (saved_at, path) in enumerate(files, start=1):
                try:
                    result.files.append(ingest.one(path, saved_at))
                except FileNotFoundError:
                    continue  # removed from the inbox while the sync ran
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
        reader: IsolatedReader,
    ) -> None:
        self.reader = reader
        self.folder = folder
        self.ledger = ledger
        self.record = ledger.programme()
        self.programme = programme
        self.framework = framework
        self.contract = contract
        self.stamp = stamp
        self.dry_run = dry_run
        self.choices = ChoiceIndex(contract)

    def one(self, path: Path, saved_at: str | None) -> FileOutcome:
        # A name that is not valid UTF-8 (possible on Linux) is stored with replacement marks.
        raw_name = path.relative_to(self.folder.inbox).as_posix()
        name = raw_name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
        size = path.stat().st_size
        data = path.read_bytes() if size <= MAX_FILE_BYTES else None
        outcome = FileOutcome(name=name, status=ACCEPTED, sha256=_sha256(path, data))
        outcome.saved_at = self.stamp
        try:
            if data is None:  # too large to read: refused before any reader sees it
                detail = f"{size:,} bytes, the limit is {MAX_FILE_BYTES:,}"
                raise _Refused(finding("FIL003", file=name, detail=detail))
            snapshot = self._examine(path, outcome, saved_at)
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
        return self._finish(path, outcome, data, applied, snapshot)

    def _examine(self, path: Path, outcome: FileOutcome, saved_at: str | None) -> Snapshot | None:
        """Identify and parse a file; None (with findings) when it is not accepted."""
        name = outcome.name
        earlier = self.ledger.submission_by_sha(outcome.sha256)
        if earlier is not None:
            outcome.status = DUPLICATE
            outcome.pair_id, outcome.revision = earlier.pair_id, earlier.revision
            outcome.findings.append(finding("FIL005", file=name, value=earlier.file_name))
            return None
        read = read_workbook(path, display_name=name, reader=self.reader)
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
        outcome.saved_at = min(saved_at or self.stamp, self.stamp)
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
        else:
            # A copy's first return can only bring values this workbook has never held (as
            # issued, or in any copy so far): it cannot know what other copies changed.
            known = self.ledger.known_values(pair_id, revision)
            bases = ()
        current = self.ledger.current_sources(pair_id)
        applied: dict[ValueKey, str] = {}
        for key, value in snapshot.values.items():
            now, source_saved, source_copy = current.get(key, ("", "", ""))
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
            if source_saved > outcome.saved_at:
                if not own:  # the sender's own newer file already replaced it: nothing to say
                    outcome.findings.append(self._stale(outcome, key, value, now, source_saved))
                continue
            if value == "" and now and not own:
                outcome.findings.append(self._note(outcome, "VAL012", key, value, now))
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
        detail = f"on {saved[:16].replace('T', ' ')} UTC"
        return self._note(outcome, "VAL011", key, value, now, detail=detail)

    def _note(
        self, outcome: FileOutcome, code: str, key: ValueKey, value: str, now: str, **facts: str
    ) -> Finding:
        tool = self.contract.tool(key[0])
        row = f" ({key[1]})" if key[1] else ""
        return finding(
            code, file=outcome.name, sheet=tool.title["en"], value=value, current=now,
            column=tool.field(key[2]).label["en"] + row, **facts,
        )  # fmt: skip

    def _finish(
        self,
        path: Path,
        outcome: FileOutcome,
        data: bytes | None,
        applied: dict[ValueKey, str],
        snapshot: Snapshot | None,
    ) -> FileOutcome:
        target = self._target(outcome)
        outcome.stored_as = target.relative_to(self.folder.root).as_posix()
        size = len(data) if data is not None else path.stat().st_size
        if not self.dry_run:
            self._keep(path, target, outcome, data)
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
                self.ledger.add_snapshot(submission_id, snapshot.values)
                self.ledger.add_values(submission_id, outcome.pair_id, applied)
            self.ledger.add_findings(submission_id, outcome.findings)
        # 3. Only now leave the inbox; if this fails, the next sync sees a duplicate.
        if not self.dry_run:
            with contextlib.suppress(OSError):
                path.unlink()
        return outcome

    def _keep(self, path: Path, target: Path, outcome: FileOutcome, data: bytes | None) -> None:
        """1. Keep the original before recording anything: if a later step fails, it is safe in
        two places (a file too large to read is moved instead of copied)."""
        target.parent.mkdir(parents=True, exist_ok=True)
        if data is None:
            shutil.move(str(path), target)
        else:
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
