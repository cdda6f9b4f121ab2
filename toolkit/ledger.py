"""The ledger: everything the programme knows, in one SQLite file.

Append-only where it matters: every value a pair returned is stored with the submission that
brought it and never updated or deleted; the *current* value of a field is the latest row for
it (the ``current_values`` view). What was issued in each workbook revision is kept too, so a
returned snapshot can be compared with its base (a three-way merge: only fields the sender
changed are applied, so a stale copy cannot erase newer data).

The SQL is kept portable (no SQLite-only functions in queries) so a PostgreSQL backend can
follow behind the same methods.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from toolkit.errors import StoreError
from toolkit.messages import Finding, Severity
from toolkit.roster import Person

SCHEMA_VERSION = "1"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS programme (
    programme_id TEXT PRIMARY KEY,
    cohort_id TEXT NOT NULL,
    secret TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS people (
    person_id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    role TEXT NOT NULL,
    country TEXT NOT NULL,
    office TEXT NOT NULL,
    sector TEXT NOT NULL,
    level TEXT NOT NULL,
    languages TEXT NOT NULL,
    sex TEXT NOT NULL,
    line_manager_id TEXT NOT NULL,
    domains TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS pairs (
    pair_id TEXT PRIMARY KEY,
    mentor_id TEXT NOT NULL,
    mentee_id TEXT NOT NULL,
    language TEXT NOT NULL,
    level TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (mentor_id, mentee_id)
);
CREATE TABLE IF NOT EXISTS revisions (
    pair_id TEXT NOT NULL REFERENCES pairs (pair_id),
    revision INTEGER NOT NULL,
    issued_at TEXT NOT NULL,
    file_name TEXT NOT NULL,
    language TEXT NOT NULL,
    contract_fingerprint TEXT NOT NULL,
    PRIMARY KEY (pair_id, revision)
);
CREATE TABLE IF NOT EXISTS revision_values (
    pair_id TEXT NOT NULL,
    revision INTEGER NOT NULL,
    tool TEXT NOT NULL,
    row_key TEXT NOT NULL,
    field TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (pair_id, revision, tool, row_key, field)
);
CREATE TABLE IF NOT EXISTS submissions (
    submission_id INTEGER PRIMARY KEY,
    received_at TEXT NOT NULL,
    saved_at TEXT NOT NULL,
    file_name TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    size_bytes INTEGER NOT NULL,
    pair_id TEXT,
    revision INTEGER,
    returned_by TEXT NOT NULL,
    status TEXT NOT NULL,
    reason_code TEXT NOT NULL,
    reason TEXT NOT NULL,
    stored_as TEXT NOT NULL,
    values_new INTEGER NOT NULL,
    values_changed INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS submissions_sha ON submissions (sha256);
CREATE INDEX IF NOT EXISTS submissions_pair ON submissions (pair_id, revision, returned_by);
CREATE TABLE IF NOT EXISTS snapshots (
    submission_id INTEGER NOT NULL REFERENCES submissions (submission_id),
    tool TEXT NOT NULL,
    row_key TEXT NOT NULL,
    field TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (submission_id, tool, row_key, field)
);
CREATE TABLE IF NOT EXISTS field_values (
    value_id INTEGER PRIMARY KEY,
    submission_id INTEGER NOT NULL REFERENCES submissions (submission_id),
    pair_id TEXT NOT NULL,
    tool TEXT NOT NULL,
    row_key TEXT NOT NULL,
    field TEXT NOT NULL,
    value TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS field_values_key ON field_values (pair_id, tool, row_key, field);
CREATE TABLE IF NOT EXISTS findings (
    finding_id INTEGER PRIMARY KEY,
    submission_id INTEGER NOT NULL REFERENCES submissions (submission_id),
    code TEXT NOT NULL,
    severity TEXT NOT NULL,
    sheet TEXT NOT NULL,
    cell TEXT NOT NULL,
    column_header TEXT NOT NULL,
    value TEXT NOT NULL,
    message TEXT NOT NULL,
    todo TEXT NOT NULL
);
CREATE VIEW IF NOT EXISTS current_values AS
    SELECT v.pair_id, v.tool, v.row_key, v.field, v.value, v.submission_id
    FROM field_values v
    WHERE v.value_id = (
        SELECT MAX(w.value_id) FROM field_values w
        WHERE w.pair_id = v.pair_id AND w.tool = v.tool
          AND w.row_key = v.row_key AND w.field = v.field
    );
-- matching (issue 4): pairs the coordinator confirmed from matches.xlsx, and pair endings.
CREATE TABLE IF NOT EXISTS match_confirmations (
    confirmation_id INTEGER PRIMARY KEY,
    mentor_id TEXT NOT NULL,
    mentee_id TEXT NOT NULL,
    total_score REAL NOT NULL,
    breakdown TEXT NOT NULL,
    comment TEXT NOT NULL,
    rematch INTEGER NOT NULL,
    confirmed_at TEXT NOT NULL,
    UNIQUE (mentor_id, mentee_id)
);
CREATE TABLE IF NOT EXISTS pair_endings (
    pair_id TEXT PRIMARY KEY REFERENCES pairs (pair_id),
    reason TEXT NOT NULL,
    ended_on TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
-- sync (issue 5): conflicts between copies, and the passwords of encrypted workbooks.
CREATE TABLE IF NOT EXISTS conflicts (
    conflict_id INTEGER PRIMARY KEY,
    submission_id INTEGER NOT NULL REFERENCES submissions (submission_id),
    other_submission_id INTEGER NOT NULL REFERENCES submissions (submission_id),
    pair_id TEXT NOT NULL,
    tool TEXT NOT NULL,
    row_key TEXT NOT NULL,
    field TEXT NOT NULL,
    value TEXT NOT NULL,
    other_value TEXT NOT NULL,
    current_value TEXT NOT NULL
);
CREATE VIEW IF NOT EXISTS conflict_list AS
    SELECT c.conflict_id, c.pair_id, c.tool, c.row_key, c.field,
           c.value, s.file_name, s.saved_at, s.returned_by,
           c.other_value, o.file_name AS other_file_name, o.saved_at AS other_saved_at,
           o.returned_by AS other_returned_by, c.current_value, s.received_at
    FROM conflicts c
    JOIN submissions s ON s.submission_id = c.submission_id
    JOIN submissions o ON o.submission_id = c.other_submission_id;
CREATE TABLE IF NOT EXISTS workbook_passwords (
    pair_id TEXT PRIMARY KEY,
    password TEXT NOT NULL,
    created_at TEXT NOT NULL
);
-- sync review (issue 5): files identified only from their Start here sheet, held until the
-- coordinator confirms which pair sent them (``mentorkit accept``), by their SHA-256.
CREATE TABLE IF NOT EXISTS identity_confirmations (
    sha256 TEXT PRIMARY KEY,
    pair_id TEXT NOT NULL,
    confirmed_at TEXT NOT NULL
);
"""

ValueKey = tuple[str, str, str]
"""(tool, row_key, field): the address of one value of a pair, independent of any cell."""


@dataclass(frozen=True)
class ProgrammeRecord:
    """The programme row: identity and the signing secret."""

    programme_id: str
    cohort_id: str
    secret: str


@dataclass(frozen=True)
class PairRecord:
    """A pair as the ledger knows it."""

    pair_id: str
    mentor_id: str
    mentee_id: str
    language: str
    level: str
    status: str
    created_at: str


@dataclass(frozen=True)
class SubmissionRecord:
    """One received file and what became of it."""

    submission_id: int
    received_at: str
    saved_at: str
    file_name: str
    sha256: str
    size_bytes: int
    pair_id: str | None
    revision: int | None
    returned_by: str
    status: str
    reason_code: str
    reason: str
    stored_as: str
    values_new: int
    values_changed: int


@dataclass(frozen=True)
class Conflict:
    """Both copies of a pair changed one field to different values."""

    pair_id: str
    key: ValueKey
    value: str
    other_value: str
    other_submission_id: int
    current_value: str


class Ledger:
    """A connection to the programme ledger. Use as a context manager, or call :meth:`close`."""

    def __init__(self, path: Path, *, create: bool = False) -> None:
        if not create and not path.is_file():
            raise StoreError(
                f"No ledger at {path}: the programme's records are missing. If it was moved or "
                "deleted, please put it back from your backup; for a new programme, run "
                "'mentorkit init NEWDIR' into a new folder."
            )
        self.path = path
        try:
            # Wait a while for another mentorkit command to finish before giving up.
            self.conn = sqlite3.connect(str(path), isolation_level=None, timeout=15)
            self.conn.execute("PRAGMA foreign_keys = ON")
            self.conn.executescript(_SCHEMA)
            self._check_version()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"The ledger {path} cannot be opened: {exc}") from None

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One atomic unit of work: committed as a whole, or not at all. Inside another
        transaction (a dry run's) it is a savepoint of it."""
        if self.conn.in_transaction:
            self.conn.execute("SAVEPOINT unit")
            try:
                yield
            except BaseException:
                self.conn.execute("ROLLBACK TO unit")
                self.conn.execute("RELEASE unit")
                raise
            self.conn.execute("RELEASE unit")
            return
        self._begin()
        try:
            yield
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    @contextmanager
    def rolled_back(self) -> Iterator[None]:
        """Everything done inside is undone at the end: how a dry run does the real work."""
        self._begin()
        try:
            yield
        finally:
            self.conn.execute("ROLLBACK")

    def _begin(self) -> None:
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise StoreError(
                f"The ledger {self.path} is busy ({exc}): another mentorkit command is using "
                "it. Please wait for it to finish and run this command again."
            ) from None

    def _check_version(self) -> None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        if row is None:
            self.conn.execute(
                "INSERT INTO meta (key, value) VALUES ('schema_version', ?)", (SCHEMA_VERSION,)
            )
        elif row[0] != SCHEMA_VERSION:
            raise StoreError(
                f"The ledger {self.path} has schema version {row[0]}; this mentorkit "
                f"reads version {SCHEMA_VERSION}. Please use the mentorkit that created it."
            )

    # --- programme --------------------------------------------------------------------------

    def init_programme(self, programme_id: str, cohort_id: str, secret: str, now: str) -> None:
        """Record the programme and its signing secret (once)."""
        self.conn.execute(
            "INSERT INTO programme (programme_id, cohort_id, secret, created_at) "
            "VALUES (?, ?, ?, ?)",
            (programme_id, cohort_id, secret, now),
        )

    def programme(self) -> ProgrammeRecord:
        """The programme row."""
        row = self.conn.execute("SELECT programme_id, cohort_id, secret FROM programme").fetchone()
        if row is None:
            raise StoreError(f"The ledger {self.path} holds no programme; run 'mentorkit init'.")
        return ProgrammeRecord(*row)

    # --- people and pairs -------------------------------------------------------------------

    def save_people(self, people: Iterable[Person], now: str) -> None:
        """Insert or refresh people from the roster (the roster is their source of truth)."""
        self.conn.executemany(
            "INSERT INTO people (person_id, name, email, role, country, office, sector, level, "
            "languages, sex, line_manager_id, domains, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (person_id) DO UPDATE SET name = excluded.name, email = excluded.email, "
            "role = excluded.role, country = excluded.country, office = excluded.office, "
            "sector = excluded.sector, level = excluded.level, languages = excluded.languages, "
            "sex = excluded.sex, line_manager_id = excluded.line_manager_id, "
            "domains = excluded.domains, updated_at = excluded.updated_at",
            [
                (
                    p.person_id, p.name, p.email, p.role, p.country, p.office, p.sector, p.level,
                    ",".join(p.languages), p.sex, p.line_manager_id, ",".join(p.domains), now,
                )
                for p in people
            ],
        )  # fmt: skip

    def people(self) -> dict[str, dict[str, str]]:
        """Every person, as plain dicts keyed by person_id."""
        cur = self.conn.execute("SELECT * FROM people ORDER BY person_id")
        names = [d[0] for d in cur.description]
        return {row[0]: dict(zip(names, row, strict=True)) for row in cur}

    def ensure_pair(
        self, mentor_id: str, mentee_id: str, language: str, level: str, now: str
    ) -> tuple[PairRecord, bool]:
        """The pair of this mentor and mentee, created with the next pair id if new."""
        row = self.conn.execute(
            "SELECT * FROM pairs WHERE mentor_id = ? AND mentee_id = ?", (mentor_id, mentee_id)
        ).fetchone()
        if row is not None:
            return PairRecord(*row), False
        count = self.conn.execute("SELECT COUNT(*) FROM pairs").fetchone()[0]
        pair_id = f"P{count + 1:03d}"
        self.conn.execute(
            "INSERT INTO pairs (pair_id, mentor_id, mentee_id, language, level, status, "
            "created_at) VALUES (?, ?, ?, ?, ?, 'active', ?)",
            (pair_id, mentor_id, mentee_id, language, level, now),
        )
        return PairRecord(pair_id, mentor_id, mentee_id, language, level, "active", now), True

    def pairs(self) -> list[PairRecord]:
        """Every pair, in pair id order."""
        return [PairRecord(*r) for r in self.conn.execute("SELECT * FROM pairs ORDER BY pair_id")]

    def pair(self, pair_id: str) -> PairRecord | None:
        """One pair, or None."""
        row = self.conn.execute("SELECT * FROM pairs WHERE pair_id = ?", (pair_id,)).fetchone()
        return PairRecord(*row) if row else None

    # --- issued revisions -------------------------------------------------------------------

    def latest_revision(self, pair_id: str) -> int:
        """The highest revision issued for a pair, 0 when none."""
        row = self.conn.execute(
            "SELECT MAX(revision) FROM revisions WHERE pair_id = ?", (pair_id,)
        ).fetchone()
        return int(row[0] or 0)

    def record_revision(
        self,
        pair_id: str,
        revision: int,
        issued_at: str,
        file_name: str,
        language: str,
        fingerprint: str,
        values: dict[ValueKey, str],
    ) -> None:
        """Remember an issued workbook revision and the values it was issued with."""
        self.conn.execute(
            "INSERT INTO revisions (pair_id, revision, issued_at, file_name, language, "
            "contract_fingerprint) VALUES (?, ?, ?, ?, ?, ?)",
            (pair_id, revision, issued_at, file_name, language, fingerprint),
        )
        self.conn.executemany(
            "INSERT INTO revision_values (pair_id, revision, tool, row_key, field, value) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [(pair_id, revision, t, r, f, v) for (t, r, f), v in sorted(values.items())],
        )

    def revision_exists(self, pair_id: str, revision: int) -> bool:
        """Whether this revision of the pair was issued."""
        row = self.conn.execute(
            "SELECT 1 FROM revisions WHERE pair_id = ? AND revision = ?", (pair_id, revision)
        ).fetchone()
        return row is not None

    def revision_values(self, pair_id: str, revision: int) -> dict[ValueKey, str]:
        """The values a revision was issued with (its merge base)."""
        rows = self.conn.execute(
            "SELECT tool, row_key, field, value FROM revision_values "
            "WHERE pair_id = ? AND revision = ?",
            (pair_id, revision),
        )
        return {(t, r, f): v for t, r, f, v in rows}

    def revisions(self) -> list[tuple[str, int, str, str]]:
        """(pair_id, revision, issued_at, file_name) of every issued workbook."""
        return list(
            self.conn.execute(
                "SELECT pair_id, revision, issued_at, file_name FROM revisions "
                "ORDER BY pair_id, revision"
            )
        )

    # --- submissions and values -------------------------------------------------------------

    def submission_by_sha(self, sha256: str) -> SubmissionRecord | None:
        """The first *accepted* submission with these exact bytes, or None (a file quarantined
        earlier is read again: the reason may have been fixed since)."""
        row = self.conn.execute(
            "SELECT * FROM submissions WHERE sha256 = ? AND status = 'accepted' "
            "ORDER BY submission_id",
            (sha256,),
        ).fetchone()
        return SubmissionRecord(*row) if row else None

    def add_submission(self, record: SubmissionRecord) -> int:
        """Store a submission; its ``submission_id`` is assigned here and returned."""
        cur = self.conn.execute(
            "INSERT INTO submissions (received_at, saved_at, file_name, sha256, size_bytes, "
            "pair_id, revision, returned_by, status, reason_code, reason, stored_as, values_new, "
            "values_changed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                record.received_at, record.saved_at, record.file_name, record.sha256,
                record.size_bytes,
                record.pair_id, record.revision, record.returned_by, record.status,
                record.reason_code, record.reason, record.stored_as, record.values_new,
                record.values_changed,
            ),
        )  # fmt: skip
        return int(cur.lastrowid or 0)

    def submissions(self) -> list[SubmissionRecord]:
        """Every submission, oldest first."""
        rows = self.conn.execute("SELECT * FROM submissions ORDER BY submission_id")
        return [SubmissionRecord(*r) for r in rows]

    def add_values(self, submission_id: int, pair_id: str, values: dict[ValueKey, str]) -> None:
        """Append accepted values brought by a submission."""
        self.conn.executemany(
            "INSERT INTO field_values (submission_id, pair_id, tool, row_key, field, value) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [(submission_id, pair_id, t, r, f, v) for (t, r, f), v in sorted(values.items())],
        )

    def add_snapshot(self, submission_id: int, values: dict[ValueKey, str]) -> None:
        """Keep everything an accepted file held, as the base for the next copy in its line."""
        self.conn.executemany(
            "INSERT INTO snapshots (submission_id, tool, row_key, field, value) "
            "VALUES (?, ?, ?, ?, ?)",
            [(submission_id, t, r, f, v) for (t, r, f), v in sorted(values.items())],
        )

    def copy_snapshots(
        self, pair_id: str, revision: int, returned_by: str, saved_at: str
    ) -> list[dict[ValueKey, str]]:
        """The snapshots of the earlier accepted returns of one copy (pair, revision and
        sender) saved no later than ``saved_at``, oldest first."""
        ids = self.conn.execute(
            "SELECT submission_id FROM submissions WHERE pair_id = ? AND revision = ? "
            "AND returned_by = ? AND status = 'accepted' AND saved_at <= ? "
            "ORDER BY saved_at, submission_id",
            (pair_id, revision, returned_by, saved_at),
        ).fetchall()
        return [self._snapshot(submission_id) for (submission_id,) in ids]

    def _snapshot(self, submission_id: int) -> dict[ValueKey, str]:
        """What one accepted file held (its non-empty fields)."""
        rows = self.conn.execute(
            "SELECT tool, row_key, field, value FROM snapshots WHERE submission_id = ?",
            (submission_id,),
        )
        return {(t, r, f): v for t, r, f, v in rows}

    def values_typed(self, submission_id: int) -> Counter[str]:
        """How many non-empty values one accepted file held, by tool code."""
        rows = self.conn.execute(
            "SELECT tool, COUNT(*) FROM snapshots WHERE submission_id = ? AND value <> '' "
            "GROUP BY tool",
            (submission_id,),
        )
        return Counter({tool: count for tool, count in rows})

    def newer_copy_snapshot(
        self, pair_id: str, revision: int, returned_by: str, saved_at: str
    ) -> tuple[dict[ValueKey, str], int, str] | None:
        """The snapshot of the same copy saved next after ``saved_at`` (with its submission id
        and saved-at time), or None: a stale file must not bring back what it no longer held."""
        row = self.conn.execute(
            "SELECT submission_id, saved_at FROM submissions WHERE pair_id = ? AND revision = ? "
            "AND returned_by = ? AND status = 'accepted' AND saved_at > ? "
            "ORDER BY saved_at, submission_id LIMIT 1",
            (pair_id, revision, returned_by, saved_at),
        ).fetchone()
        if row is None:
            return None
        return self._snapshot(row[0]), row[0], row[1]

    def current_sources(
        self, pair_id: str, received_before: str | None = None
    ) -> dict[ValueKey, tuple[str, str, str, int]]:
        """Current value of each field of a pair, with the saved-at time, the sender's copy
        ("Who is sending this copy?") and the submission id of the file it came from.

        With ``received_before`` (an ISO timestamp), the value each field had from the files
        received before then (for a report as of a past date)."""
        if received_before is None:
            rows = self.conn.execute(
                "SELECT c.tool, c.row_key, c.field, c.value, s.saved_at, s.returned_by, "
                "c.submission_id FROM current_values c "
                "JOIN submissions s ON s.submission_id = c.submission_id WHERE c.pair_id = ?",
                (pair_id,),
            )
            return {(t, r, f): (v, saved, by, sid) for t, r, f, v, saved, by, sid in rows}
        rows = self.conn.execute(
            "SELECT f.tool, f.row_key, f.field, f.value, s.saved_at, s.returned_by, "
            "f.submission_id FROM field_values f "
            "JOIN submissions s ON s.submission_id = f.submission_id "
            "WHERE f.pair_id = ? AND f.value_id = ("
            " SELECT MAX(w.value_id) FROM field_values w "
            " JOIN submissions t ON t.submission_id = w.submission_id "
            " WHERE w.pair_id = f.pair_id AND w.tool = f.tool AND w.row_key = f.row_key "
            " AND w.field = f.field AND t.received_at < ?)",
            (pair_id, received_before),
        )
        return {(t, r, f): (v, saved, by, sid) for t, r, f, v, saved, by, sid in rows}

    def known_values(self, pair_id: str, revision: int) -> dict[ValueKey, set[str]]:
        """Every value each field has had in this revision: as issued and in every accepted
        return of any copy. A value among them carries no news from an unnamed copy."""
        known: dict[ValueKey, set[str]] = {}
        for key, value in self.revision_values(pair_id, revision).items():
            known.setdefault(key, set()).add(value)
        rows = self.conn.execute(
            "SELECT n.tool, n.row_key, n.field, n.value FROM snapshots n "
            "JOIN submissions s ON s.submission_id = n.submission_id "
            "WHERE s.pair_id = ? AND s.revision = ? AND s.status = 'accepted'",
            (pair_id, revision),
        )
        for t, r, f, v in rows:
            known.setdefault((t, r, f), set()).add(v)
        return known

    def add_findings(self, submission_id: int, findings: Iterable[Finding]) -> None:
        """Store the findings of a submission."""
        self.conn.executemany(
            "INSERT INTO findings (submission_id, code, severity, sheet, cell, column_header, "
            "value, message, todo) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (submission_id, f.code, f.severity.value, f.sheet, f.cell, f.column, f.value,
                 f.message, f.todo)
                for f in findings
            ],
        )  # fmt: skip

    def findings(self) -> list[dict[str, object]]:
        """Every finding with the file it came from, oldest first."""
        cur = self.conn.execute(
            "SELECT s.submission_id, s.received_at, s.file_name, s.pair_id, f.code, f.severity, "
            "f.sheet, f.cell, f.column_header, f.value, f.message, f.todo "
            "FROM findings f JOIN submissions s ON s.submission_id = f.submission_id "
            "ORDER BY f.finding_id"
        )
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur]

    # --- conflicts between copies (issue 5) ---------------------------------------------------

    def add_conflicts(self, submission_id: int, conflicts: Iterable[Conflict]) -> None:
        """Record the conflicts a submission brought (both copies changed one field)."""
        self.conn.executemany(
            "INSERT INTO conflicts (submission_id, other_submission_id, pair_id, tool, row_key, "
            "field, value, other_value, current_value) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (submission_id, c.other_submission_id, c.pair_id, *c.key, c.value,
                 c.other_value, c.current_value)
                for c in conflicts
            ],
        )  # fmt: skip

    def conflicts(self) -> list[dict[str, object]]:
        """Every recorded conflict with both files, oldest first."""
        cur = self.conn.execute("SELECT * FROM conflict_list ORDER BY conflict_id")
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur]

    def revision_record(self, pair_id: str, revision: int) -> tuple[str, str, str] | None:
        """(issued_at, language, contract_fingerprint) of an issued revision, or None."""
        row = self.conn.execute(
            "SELECT issued_at, language, contract_fingerprint FROM revisions "
            "WHERE pair_id = ? AND revision = ?",
            (pair_id, revision),
        ).fetchone()
        return (str(row[0]), str(row[1]), str(row[2])) if row else None

    def resumed_submission(self, sha256: str, file_name: str) -> SubmissionRecord | None:
        """A submission of these exact bytes under this exact name: what an interrupted sync
        recorded before it could remove the file from the inbox."""
        row = self.conn.execute(
            "SELECT * FROM submissions WHERE sha256 = ? AND file_name = ? "
            "AND status != 'duplicate' ORDER BY submission_id DESC",
            (sha256, file_name),
        ).fetchone()
        return SubmissionRecord(*row) if row else None

    def submission_findings(self, submission_id: int, file: str) -> list[Finding]:
        """The findings recorded with one submission (their texts as stored, in English)."""
        rows = self.conn.execute(
            "SELECT code, severity, sheet, cell, column_header, value, message, todo "
            "FROM findings WHERE submission_id = ? ORDER BY finding_id",
            (submission_id,),
        )
        return [
            Finding(code, Severity(sev), message, todo, file=file, sheet=sheet, cell=cell,
                    column=column, value=value)
            for code, sev, sheet, cell, column, value, message, todo in rows
        ]  # fmt: skip

    def held_submission(self, sha256: str) -> SubmissionRecord | None:
        """The latest record of a file held because only its Start here sheet identified it
        (quarantined with IDN006), or None."""
        row = self.conn.execute(
            "SELECT * FROM submissions WHERE sha256 = ? AND status = 'quarantined' "
            "AND reason_code = 'IDN006' ORDER BY submission_id DESC",
            (sha256,),
        ).fetchone()
        return SubmissionRecord(*row) if row else None

    def submission_file_name(self, submission_id: int) -> str:
        """The name a submission's file arrived under ('' if there is no such submission)."""
        row = self.conn.execute(
            "SELECT file_name FROM submissions WHERE submission_id = ?", (submission_id,)
        ).fetchone()
        return row[0] if row else ""

    def held_files(self, file_name: str) -> list[str]:
        """Where files that arrived as ``file_name`` and were held (IDN006) are kept, newest
        first (paths relative to the programme folder)."""
        rows = self.conn.execute(
            "SELECT stored_as FROM submissions WHERE file_name = ? AND status = 'quarantined' "
            "AND reason_code = 'IDN006' ORDER BY submission_id DESC",
            (file_name,),
        )
        return [stored for (stored,) in rows]

    def confirm_identity(self, sha256: str, pair_id: str, now: str) -> None:
        """Record the coordinator's word that the file with these bytes is ``pair_id``'s."""
        with self.transaction():
            self.conn.execute(
                "INSERT OR REPLACE INTO identity_confirmations VALUES (?, ?, ?)",
                (sha256, pair_id, now),
            )

    def identity_confirmation(self, sha256: str) -> tuple[str, str] | None:
        """(pair id, confirmed at) the coordinator recorded for a file's bytes, or None."""
        row = self.conn.execute(
            "SELECT pair_id, confirmed_at FROM identity_confirmations WHERE sha256 = ?",
            (sha256,),
        ).fetchone()
        return (row[0], row[1]) if row else None

    def newer_revision_returned(self, pair_id: str, revision: int, returned_by: str) -> bool:
        """Whether the same copy of a pair already returned a later revision than this one."""
        row = self.conn.execute(
            "SELECT 1 FROM submissions WHERE pair_id = ? AND returned_by = ? AND revision > ? "
            "AND status = 'accepted' LIMIT 1",
            (pair_id, returned_by, revision),
        ).fetchone()
        return row is not None

    def accepted_sha256s(self) -> set[str]:
        """The SHA-256 of every accepted file: a file among them is a duplicate."""
        rows = self.conn.execute("SELECT sha256 FROM submissions WHERE status = 'accepted'")
        return {sha for (sha,) in rows}

    def checkpoint(self) -> None:
        """Copy the write-ahead log into the ledger file and flush it to disk (a no-op for a
        ledger not in WAL mode beyond the flush SQLite already did)."""
        self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    # --- passwords of encrypted workbooks (issue 5) -----------------------------------------

    def workbook_password(self, pair_id: str) -> str | None:
        """The password of a pair's workbooks (``*`` for the programme's one), or None."""
        row = self.conn.execute(
            "SELECT password FROM workbook_passwords WHERE pair_id = ?", (pair_id,)
        ).fetchone()
        return str(row[0]) if row else None

    def set_workbook_password(self, pair_id: str, password: str, now: str) -> None:
        """Keep the password a pair's workbooks (or, as ``*``, all) are encrypted with."""
        self.conn.execute(
            "INSERT INTO workbook_passwords (pair_id, password, created_at) VALUES (?, ?, ?) "
            "ON CONFLICT (pair_id) DO NOTHING",
            (pair_id, password, now),
        )

    def workbook_passwords(self) -> dict[str, str]:
        """Every kept password, by pair id (``*``: the programme's), in pair order."""
        rows = self.conn.execute(
            "SELECT pair_id, password FROM workbook_passwords ORDER BY pair_id"
        )
        return {pid: pw for pid, pw in rows}

    def current_values(self, pair_id: str | None = None) -> dict[str, dict[ValueKey, str]]:
        """The current value of every field, by pair (empty strings are cleared fields)."""
        sql = "SELECT pair_id, tool, row_key, field, value FROM current_values"
        params: tuple[str, ...] = ()
        if pair_id is not None:
            sql += " WHERE pair_id = ?"
            params = (pair_id,)
        out: dict[str, dict[ValueKey, str]] = {}
        for pid, tool, row_key, field, value in self.conn.execute(sql, params):
            out.setdefault(pid, {})[(tool, row_key, field)] = value
        return out

    def values_received_by(self, day: str) -> dict[str, dict[ValueKey, str]]:
        """Each field's value as it stood at the end of ``day`` (YYYY-MM-DD): the latest value
        from a file received by then (figures for a past date)."""
        sql = (
            "SELECT v.pair_id, v.tool, v.row_key, v.field, v.value FROM field_values v "
            "JOIN (SELECT MAX(f.value_id) AS id FROM field_values f "
            "JOIN submissions s ON s.submission_id = f.submission_id "
            "WHERE substr(s.received_at, 1, 10) <= ? "
            "GROUP BY f.pair_id, f.tool, f.row_key, f.field) m ON m.id = v.value_id"
        )
        out: dict[str, dict[ValueKey, str]] = {}
        for pid, tool, row_key, field, value in self.conn.execute(sql, (day,)):
            out.setdefault(pid, {})[(tool, row_key, field)] = value
        return out

    def value_count(self) -> int:
        """How many value rows the ledger holds (history included)."""
        return int(self.conn.execute("SELECT COUNT(*) FROM field_values").fetchone()[0])


@dataclass(frozen=True)
class Confirmation:
    """A pair confirmed from matches.xlsx (``mentorkit match --confirm``); ``build`` issues it."""

    mentor_id: str
    mentee_id: str
    total_score: float
    breakdown: str
    comment: str
    rematch: bool
    confirmed_at: str


@dataclass(frozen=True)
class PairEnding:
    """The recorded end of a pair (``mentorkit pair end``)."""

    pair_id: str
    reason: str
    ended_on: str
    recorded_at: str


class MatchingStore:
    """The matching tables of the ledger: confirmed matches and pair endings."""

    def __init__(self, ledger: Ledger) -> None:
        self.conn = ledger.conn

    def add_confirmations(self, confirmations: Iterable[Confirmation]) -> None:
        """Record confirmed pairs (a pair confirmed twice is recorded once)."""
        self.conn.executemany(
            "INSERT INTO match_confirmations (mentor_id, mentee_id, total_score, breakdown, "
            "comment, rematch, confirmed_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (mentor_id, mentee_id) DO NOTHING",
            [
                (c.mentor_id, c.mentee_id, c.total_score, c.breakdown, c.comment,
                 int(c.rematch), c.confirmed_at)
                for c in confirmations
            ],
        )  # fmt: skip

    def confirmations(self) -> list[Confirmation]:
        """Every confirmed pair, oldest first."""
        rows = self.conn.execute(
            "SELECT mentor_id, mentee_id, total_score, breakdown, comment, rematch, confirmed_at "
            "FROM match_confirmations ORDER BY confirmation_id"
        )
        return [Confirmation(m, e, t, b, c, bool(r), at) for m, e, t, b, c, r, at in rows]

    def end_pair(self, pair_id: str, reason: str, ended_on: str, now: str) -> None:
        """Record that a pair ended; the pair keeps its row, with status 'ended'."""
        self.conn.execute(
            "INSERT INTO pair_endings (pair_id, reason, ended_on, recorded_at) VALUES (?, ?, ?, ?)",
            (pair_id, reason, ended_on, now),
        )
        self.conn.execute("UPDATE pairs SET status = 'ended' WHERE pair_id = ?", (pair_id,))

    def endings(self) -> list[PairEnding]:
        """Every recorded ending, in pair id order."""
        rows = self.conn.execute(
            "SELECT pair_id, reason, ended_on, recorded_at FROM pair_endings ORDER BY pair_id"
        )
        return [PairEnding(*r) for r in rows]


def now_iso(now: dt.datetime | None = None) -> str:
    """A timestamp as stored in the ledger: ISO 8601, UTC, seconds precision."""
    moment = now or dt.datetime.now(dt.timezone.utc)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return moment.astimezone(dt.timezone.utc).replace(microsecond=0).isoformat()
