"""The demo's year: a coordinator runs a 12-month cycle for 48 pairs, with the commands a
coordinator would run, on the dates they would run them, and the pairs return their workbooks
the way people do.

The timeline (the cycle runs from January to December 2025, so every date is in the past):

* December 2024: ``init`` with the roster of :mod:`toolkit.demo.cohort`; ``match`` proposes a
  mentor for every mentee; the coordinator forbids one proposal (the two already work
  together) and locks two, runs ``match`` again and confirms (``match --confirm``); ``build``
  issues the first revision of every pair's workbook.
* After each quarter, the pairs return their workbooks over the next two weeks (a few late,
  a few not at all, then with the next quarter's); the coordinator syncs once a week and on
  each day a late one arrives, with receipts; once the return deadline has passed (rounds 1
  to 3), ``build --refresh`` issues the next revision, which the pairs that are up to date
  continue in (the others keep their own copy, which sync still accepts).
* In May, one pair ends without fault (``pair end --reason no-fault``); its mentee is
  re-matched (``match --rematch`` then ``--confirm``) and the new pair gets its workbook.
* Along the way: a mentor and a mentee who each send their own copy (and once type different
  durations for the same session: a conflict), a file forwarded twice, one damaged in transit,
  one protected with the pair's own password, a stale copy sent again, typing mistakes
  corrected the next round, and, where LibreOffice is installed, a return re-saved by it as
  .xlsx and one as .ods.
* January 2026: master.xlsx, master-anonymous.xlsx and review-2025.xlsx as of the last return.

The situations the indicators and the follow-up list must find are planted on named mentees
(:data:`PLANTED`); everything else (when each pair returns, how often it meets, what it types)
is drawn from the seed, so the same seed gives the same ledger (:mod:`toolkit.demo.digest`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import shutil
import tempfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl

from builders.anonymous import write_anonymous
from builders.master import MasterResult, write_master
from builders.matches import match_programme
from builders.programme import BuildResult, build_programme, create_programme
from builders.receipt import ReceiptWriter
from builders.review import write_review
from sync.run import SyncResult, sync_programme
from toolkit.contract import Contract, load_contract
from toolkit.demo.behaviour import ALL_PARTS, MENTEE_PARTS, MENTOR_PARTS, Behaviour, Plan
from toolkit.demo.clients import (
    damaged_in_transit,
    protect_with_password,
    resave_with_libreoffice,
)
from toolkit.demo.cohort import COUNTRIES, people
from toolkit.demo.digest import ledger_digest
from toolkit.demo.fill import PairWorkbookFiller
from toolkit.endings import end_pair
from toolkit.framework import load_framework
from toolkit.indicators.periods import add_months
from toolkit.ledger import Ledger, PairRecord
from toolkit.libreoffice import find_soffice
from toolkit.programme import ProgrammeFolder, load_programme

Echo = Callable[[str], None]
UTC = dt.timezone.utc

START = dt.date(2025, 1, 1)
INIT_AT = dt.datetime(2024, 12, 9, 9, 0, tzinfo=UTC)
MATCHED_AT = dt.datetime(2024, 12, 9, 10, 0, tzinfo=UTC)
CONFIRMED_AT = dt.datetime(2024, 12, 12, 9, 0, tzinfo=UTC)
BUILT_AT = dt.datetime(2024, 12, 12, 10, 0, tzinfo=UTC)
QUARTER_ENDS = (dt.date(2025, 3, 31), dt.date(2025, 6, 30), dt.date(2025, 9, 30),
                dt.date(2025, 12, 31))  # fmt: skip
SYNC_AFTER = (7, 14)
"""The coordinator syncs 7 and 14 days after each quarter's end (the return deadline), and on
each later day a late return arrives."""
MID_YEAR = dt.date(2025, 7, 20)
"""A date to look at the figures at mid-year: after the second quarter's returns are in (the
follow-up list reads sessions from returned workbooks, so between rounds it counts every
session not yet returned as a gap)."""
REFRESH_AFTER = 15
"""Days after a quarter's end on which ``build --refresh`` issues the next revision."""
CONFIRMED_COPY = "archive/matching/matches-confirmed.xlsx"
"""Where the demo keeps the matches.xlsx the coordinator reviewed and confirmed (``match
--confirm`` then rewrites matches.xlsx for whoever is still without a mentor: nobody)."""

# The situations planted on named mentees (their pairs' codes come from the matching).
UNSIGNED = "NG-E05"  # never signs the agreement
LOW_SATISFACTION = ("MZ-E02", "Q2")  # the mentee rates the quarter 2 (dissatisfied)
SUPPORT_REQUEST = ("CO-E04", "Q3")  # the mentee asks the coordinator for support
LAPSED = ("KE-E06", 7)  # no session logged after July
LATE = ("SN-E03", 3, 27)  # the quarter 3 return arrives 27 days after the quarter's end
MISSES_Q4 = "CD-E07"  # no quarter 4 return
SILENT = "NG-E08"  # never returns anything
ENDED = ("CD-E04", dt.date(2025, 5, 16))  # ends without fault; its mentee is re-matched
REMATCHED_AT = dt.datetime(2025, 5, 19, 9, 0, tzinfo=UTC)
TWO_COPIES = "KE-E02"  # mentor and mentee each send a copy; in round 2 both log a session
PROTECTED = "MZ-E05"  # round 1: protected with the pair's own password, then sent again
DAMAGED = "SN-E06"  # round 1: cut off in transit, then sent again
FORWARDED = "KE-E01"  # round 1: the same attachment forwarded twice
STALE = "CO-E06"  # round 2: also sends its round 1 copy again, after the new one
LIBREOFFICE = {"CO-E02": "xlsx", "MZ-E03": "ods"}  # round 2: re-saved by LibreOffice
TYPO = "KE-E03"  # round 1: words in a number cell and a value past a dropdown; fixed round 2
ATTENDANCE = {  # sessions planted as not held as planned (others are drawn from the seed)
    ("KE-E04", 5): "postponed", ("SN-E02", 4): "mentee_absent",
    ("NG-E03", 8): "mentor_absent", ("CO-E05", 10): "postponed",
}  # fmt: skip
FORBIDDEN = "SN-E01"  # the coordinator forbids this mentee's first proposal
LOCKED = ("KE-E01", "MZ-E01")  # and locks these mentees' proposals
PLANTED = {UNSIGNED, LOW_SATISFACTION[0], SUPPORT_REQUEST[0], LAPSED[0], LATE[0], MISSES_Q4,
           SILENT, ENDED[0], TWO_COPIES, PROTECTED, DAMAGED, FORWARDED, STALE, *LIBREOFFICE,
           TYPO}  # fmt: skip
"""Mentees whose returns follow their plan, never drawn late or missed by the seed."""
MISS_RATE, LATE_RATE = 0.04, 0.06
"""Chances that a pair misses a round (rounds 1-3) or returns late, drawn from the seed."""
WORDS = {"en": "workbook", "fr": "classeur", "es": "libro", "pt": "livro"}
QUARTER = {"en": "Q", "fr": "T", "es": "T", "pt": "T"}
"""How a pair names a quarter in its email's subject (trimestre in French, Spanish and
Portuguese)."""


@dataclass
class SimPair:
    """One pair as the demo plays it: who, its habits, and its working copies."""

    pair_id: str
    mentor_id: str
    mentee_id: str
    lang: str
    behaviour: Behaviour
    copies: dict[str, Path] = field(default_factory=dict)
    """Who keeps a copy (mentee; for a two-copy pair also mentor) → the file they work in."""
    up_to_date: bool = False
    """Everything the pair typed was synced before the latest refresh."""
    ended: bool = False


@dataclass
class Arrival:
    """One file that reaches the inbox on a day."""

    day: dt.date
    pair: SimPair
    kind: str = "return"
    """return, forwarded, damaged, protected, stale, resent."""
    who: str = "mentee"


@dataclass
class DemoResult:
    """What the demo did, for the CLI to report and the tests to check."""

    root: Path
    builds: list[BuildResult] = field(default_factory=list)
    """Every build: the first, the refreshes and the re-matched pair's."""
    rounds: list[SyncResult] = field(default_factory=list)
    """Every sync, in order."""
    master: MasterResult | None = None
    returned_files: int = 0
    pair_of: dict[str, str] = field(default_factory=dict)
    """Mentee id → the code of their first pair."""
    rematched: str = ""
    """The code of the pair made by the re-match."""
    varying: list[str] = field(default_factory=list)
    """SHA-256 of the files whose bytes differ from run to run (the LibreOffice .ods)."""
    libreoffice: bool = False
    digest: str = ""
    """The ledger's digest (:func:`toolkit.demo.digest.ledger_digest`)."""
    last_day: dt.date = QUARTER_ENDS[-1]
    progress: list[str] = field(default_factory=list)
    """Every progress line the demo said, in order (each was also passed to ``echo``)."""


def run_demo(
    root: Path, *, seed: int = 7, echo: Echo | None = None, libreoffice: bool = True
) -> DemoResult:
    """Play the year in ``root`` (which must not hold a programme yet)."""
    with tempfile.TemporaryDirectory(prefix="mentorkit-demo-") as work:
        return _Year(root, seed, echo or (lambda _m: None), libreoffice, Path(work)).play()


class _Year:
    def __init__(self, root: Path, seed: int, say: Echo, libreoffice: bool, work: Path) -> None:
        self.root = root
        self.tmp = work  # the pairs' own copies, and LibreOffice's work
        self.folder = ProgrammeFolder(root)
        self.rng = random.Random(seed)
        self.seed = seed
        self.lines: list[str] = []

        def say_and_keep(line: str) -> None:
            self.lines.append(line)
            say(line)

        self.say = say_and_keep
        self.soffice = find_soffice() if libreoffice else None
        self.want_libreoffice = libreoffice
        self.contract: Contract = load_contract(load_framework())
        self.pairs: dict[str, SimPair] = {}  # pair code → pair
        self.names = {row[0]: row[1] for row in people()}
        self.kept: dict[str, Path] = {}  # (for the stale copy) the round 1 file as sent
        self.result = DemoResult(root, libreoffice=self.soffice is not None, progress=self.lines)

    # -- the year ------------------------------------------------------------------------

    def play(self) -> DemoResult:
        self._create()
        self.result.builds.append(self._match_and_build())
        for p in self.pairs.values():
            self._receive_revision(p, p.copies["mentee"], who=("mentee",))
        for q, end in enumerate(QUARTER_ENDS, start=1):
            self._round(q, end)
            if q == 1:
                self._end_and_rematch()
        self._final_outputs()
        self.result.digest = ledger_digest(self.folder.ledger, self.result.varying)
        return self.result

    def _create(self) -> None:
        rows = people()
        create_programme(
            self.root, programme_id="demo", name="Regional M&E Mentoring Programme",
            cohort="2025-A", start_date=START, people=rows, pairs=[],
            secret=f"demo-secret-{self.seed}", now=INIT_AT,
        )  # fmt: skip
        config = self.folder.config.read_text(encoding="utf-8")
        config = config.replace(
            "name: Example Organisation", "name: Example Relief and Development"
        )
        config = config.replace("languages: [en, fr] ", "languages: [en, fr, es, pt]")
        self.folder.config.write_text(config, encoding="utf-8")
        mentors = sum(r[3] == "mentor" for r in rows)
        countries = ", ".join(c[0] for c in COUNTRIES)
        self.say(
            f"1. Created the programme folder {self.root}: {mentors} mentors and "
            f"{len(rows) - mentors} mentees in {len(COUNTRIES)} countries ({countries}), "
            f"cycle {START:%B %Y} to {QUARTER_ENDS[-1]:%B %Y}."
        )

    def _match_and_build(self) -> BuildResult:
        first = match_programme(self.root, now=MATCHED_AT)
        self._review_matches()
        second = match_programme(self.root, now=MATCHED_AT + dt.timedelta(hours=2))
        reviewed = self.folder.root / "matches.xlsx"
        kept = self.folder.root / CONFIRMED_COPY
        kept.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(reviewed, kept)
        confirmed = match_programme(self.root, confirm=True, now=CONFIRMED_AT)
        before, after = (
            next(p.mentor_id for p in run.result.pairs if p.mentee_id == FORBIDDEN)
            for run in (first, second)
        )
        self.say(
            f"2. mentorkit match proposed {len(first.result.pairs)} pairs (total score "
            f"{first.result.total_score:g}); the coordinator forbade one proposal "
            f"({self.names[before]} for {self.names[FORBIDDEN]}) and locked two, matched again "
            f"({self.names[after]} for {self.names[FORBIDDEN]}; total score "
            f"{second.result.total_score:g}) and confirmed {len(confirmed.confirmed)} pairs. The "
            f"demo keeps a copy of matches.xlsx as confirmed in {CONFIRMED_COPY}."
        )
        build = build_programme(self.root, now=BUILT_AT, as_of=BUILT_AT.date())
        with Ledger(self.folder.ledger) as ledger:
            records = {p.pair_id: p for p in ledger.pairs()}
        for w in build.workbooks:
            self._add_pair(records[w.pair_id], w.language, w.path, first_month=1)
        sizes = sorted(w.size_bytes for w in build.workbooks)
        languages = Counter(w.language for w in build.workbooks)
        spread = ", ".join(f"{n} in {lang}" for lang, n in sorted(languages.items()))
        self.say(
            f"3. mentorkit build issued {len(build.workbooks)} pair workbooks ({spread}; "
            f"{sizes[0]:,}-{sizes[-1]:,} bytes each) into outbox/, and master.xlsx."
        )
        return build

    def _review_matches(self) -> None:
        """The coordinator's review in matches.xlsx: forbid one proposal, lock two."""
        path = self.folder.root / "matches.xlsx"
        wb = openpyxl.load_workbook(path)
        ws = wb["Proposed pairs"]
        header = next(r for r in range(1, 12) if ws.cell(r, 1).value == "mentor_id")
        columns = {ws.cell(header, c).value: c for c in range(1, ws.max_column + 1)}
        for row in range(header + 1, ws.max_row + 1):
            mentee = ws.cell(row, columns["mentee_id"]).value
            if mentee == FORBIDDEN:
                ws.cell(row, columns["forbid"]).value = "yes"
                ws.cell(row, columns["comment"]).value = "They already work in the same team."
            elif mentee in LOCKED:
                ws.cell(row, columns["lock"]).value = "yes"
                ws.cell(row, columns["comment"]).value = "Agreed with both line managers."
        wb.save(path)

    def _add_pair(self, record: PairRecord, lang: str, issued: Path, first_month: int) -> SimPair:
        mentee = record.mentee_id
        plan = Plan(
            unsigned=mentee == UNSIGNED,
            unhappy_in=LOW_SATISFACTION[1] if mentee == LOW_SATISFACTION[0] else "",
            support_in=SUPPORT_REQUEST[1] if mentee == SUPPORT_REQUEST[0] else "",
            last_session_month=LAPSED[1] if mentee == LAPSED[0] else 99,
            attendance={m: a for (who, m), a in ATTENDANCE.items() if who == mentee},
        )
        issued_on = dt.date.fromisoformat(record.created_at[:10])
        behaviour = Behaviour(self.rng, lang, START, first_month, plan, issued_on)
        pair = SimPair(record.pair_id, record.mentor_id, mentee, lang, behaviour)
        pair.copies["mentee"] = issued
        self.pairs[record.pair_id] = pair
        return pair

    def _receive_revision(self, pair: SimPair, issued: Path, who: tuple[str, ...]) -> None:
        """The pair saves the workbook they were emailed and works in it from now on."""
        for person in who:
            copy = self.tmp / "copies" / f"{pair.pair_id}-{person}.xlsx"
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(issued, copy)
            pair.copies[person] = copy

    # -- a round of returns ----------------------------------------------------------------

    def _round(self, q: int, end: dt.date) -> None:
        arrivals = self._arrivals(q, end)
        deadline = end + dt.timedelta(days=SYNC_AFTER[-1])
        sync_days = sorted({end + dt.timedelta(days=d) for d in SYNC_AFTER}
                           | {a.day for a in arrivals if a.day > deadline})  # fmt: skip
        self.say(
            f"{q + 3}. Quarter {q} ({add_months(START, 3 * q - 3):%b}-{end:%b %Y}): "
            f"{len({a.pair.pair_id for a in arrivals})} pairs return their workbook between "
            f"{min(a.day for a in arrivals)} and {max(a.day for a in arrivals)}; return "
            f"deadline {deadline}."
        )
        refreshed = False
        for day in sync_days:
            if q < len(QUARTER_ENDS) and not refreshed and day > deadline:
                self._refresh(q, end)
                refreshed = True
            due = [a for a in arrivals if a.day <= day]
            arrivals = [a for a in arrivals if a.day > day]
            sent = [self._deliver(a, q) for a in due]
            synced = self._sync(day)
            files = f"{sum(sent)} file" + ("s" if sum(sent) != 1 else "")
            self.say(f"   {day} sync: {files}; {_counts(synced)}")
            for a in due:
                note = self._note(a, q)
                if note:
                    self.say(f"      {note}")
        if q < len(QUARTER_ENDS) and not refreshed:
            self._refresh(q, end)

    def _arrivals(self, q: int, end: dt.date) -> list[Arrival]:
        """When each pair's files reach the inbox this round (drawn from the seed)."""
        out: list[Arrival] = []
        for pair in self.pairs.values():
            if (
                pair.ended
                or pair.mentee_id == SILENT
                or (q == len(QUARTER_ENDS) and pair.mentee_id == MISSES_Q4)
            ):
                continue
            if pair.behaviour.first_month > 3 * q:
                continue
            draw, offset = self.rng.random(), self.rng.randint(1, 12)
            if pair.mentee_id in PLANTED:
                if (pair.mentee_id, q) == LATE[:2]:
                    offset = LATE[2]
            elif draw < MISS_RATE and q < len(QUARTER_ENDS):
                continue  # sends it with the next quarter's
            elif draw < MISS_RATE + LATE_RATE:
                offset = self.rng.randint(16, 30)
            day = end + dt.timedelta(days=offset)
            mentee = pair.mentee_id
            if q == 1 and mentee in (PROTECTED, DAMAGED):
                # Before the first sync; sent again two days after its receipt said why.
                day = end + dt.timedelta(days=1 + offset % SYNC_AFTER[0])
                again = end + dt.timedelta(days=SYNC_AFTER[0] + 2)
                kind = "protected" if mentee == PROTECTED else "damaged"
                out += [Arrival(day, pair, kind), Arrival(again, pair, "resent")]
            else:
                out.append(Arrival(day, pair))
            if q == 1 and mentee == FORWARDED:
                out.append(Arrival(day, pair, "forwarded"))
            if q == 2 and mentee == STALE:
                out.append(Arrival(day + dt.timedelta(1), pair, "stale"))
            if q >= 2 and mentee == TWO_COPIES:
                out.append(Arrival(day + dt.timedelta(2), pair, who="mentor"))
        follows = {"forwarded", "stale", "resent"}  # after the file they copy or replace
        return sorted(out, key=lambda a: (a.day, a.pair.pair_id, a.who, a.kind in follows))

    def _deliver(self, a: Arrival, q: int) -> int:
        """Fill and send one file into the inbox (or a copy of one); the number of files."""
        pair, inbox = a.pair, self.folder.inbox
        name = f"Re_ {WORDS[pair.lang]} {pair.pair_id} ({QUARTER[pair.lang]}{q}).xlsx"
        saved_at = dt.datetime.combine(a.day, dt.time(8, 0), tzinfo=UTC)
        if a.kind == "forwarded":
            shutil.copyfile(inbox / name, inbox / f"FW_ {name}")
            return 1
        if a.kind == "stale":
            old = PairWorkbookFiller(self.kept[pair.pair_id], self.contract, pair.lang)
            old.save(inbox / f"Fwd_ old {WORDS[pair.lang]} {pair.pair_id}.xlsx", saved_at=saved_at)
            return 1
        if a.kind == "resent":
            shutil.copyfile(pair.copies["mentee"], inbox / f"Re_ {name}")
            return 1
        copy = pair.copies[a.who]
        filler = PairWorkbookFiller(copy, self.contract, pair.lang)
        self._fill(filler, pair, q, a.who)
        filler.save(copy, saved_at=saved_at - dt.timedelta(hours=2))
        if a.who == "mentor":
            name = name.replace(".xlsx", " mentor.xlsx")
        if a.kind == "protected":
            data, repeatable = protect_with_password(
                copy.read_bytes(), "Maputo2025", self.rng, saved_at
            )
            (inbox / name).write_bytes(data)
            if not repeatable:
                self.result.varying.append(hashlib.sha256(data).hexdigest())
            return 1
        if a.kind == "damaged":
            (inbox / name).write_bytes(damaged_in_transit(copy.read_bytes()))
            return 1
        fmt = LIBREOFFICE.get(pair.mentee_id) if q == 2 else None
        if fmt and self.soffice:
            target = inbox / name.replace(".xlsx", f".{fmt}")
            resave_with_libreoffice(
                self.soffice, fmt, [(copy, target)], self.tmp / f"lo-{fmt}", saved_at
            )
            if fmt == "ods":
                self.result.varying.append(hashlib.sha256(target.read_bytes()).hexdigest())
            return 1
        shutil.copyfile(copy, inbox / name)
        if q == 1 and pair.mentee_id == STALE:
            self.kept[pair.pair_id] = self.tmp / f"kept-{pair.pair_id}.xlsx"
            shutil.copyfile(copy, self.kept[pair.pair_id])
        return 1

    def _fill(self, f: PairWorkbookFiller, pair: SimPair, q: int, who: str) -> None:
        b, mentee = pair.behaviour, pair.mentee_id
        signatures = (self.names[pair.mentor_id], self.names[mentee])
        parts = ALL_PARTS
        if mentee == TWO_COPIES and q >= 2:
            parts = MENTOR_PARTS if who == "mentor" else MENTEE_PARTS
        b.fill(f, 3 * q, q, returned_by=who, parts=parts, signatures=signatures)
        if mentee == TWO_COPIES and q == 2 and who == "mentor":
            # The mentor also logs the quarter's last session held, with another duration: a
            # conflict for the coordinator.
            month = max(m for m in b.held if 4 <= m <= 6)
            f.set("sessions", "minutes", b.held[month][1] + 30, str(month))
        if mentee == TYPO and q == 1:
            f.type_raw("sessions", "minutes", "one and a half hours", "2")
            f.type_raw("sessions", "mode", "WhatsApp", "3")
        elif mentee == TYPO and q == 2:  # as the round 1 receipt asked
            f.set("sessions", "minutes", 90, "2")
            f.set("sessions", "mode", "phone", "3")

    def _note(self, a: Arrival, q: int) -> str:
        """A line about a file that is not an ordinary return."""
        pid, mentee = a.pair.pair_id, a.pair.mentee_id
        notes = {
            "forwarded": f"{pid}: the same attachment arrives twice, once forwarded: one "
            "copy is accepted, the other is a duplicate.",
            "damaged": f"{pid}: the attachment arrived cut off (quarantined, with a receipt).",
            "protected": f"{pid}: protected with the pair's own password (quarantined; the "
            "receipt asks them to remove it).",
            "resent": f"{pid}: sent again, "
            + ("without the password." if mentee == PROTECTED else "whole."),
            "stale": f"{pid}: its quarter 1 copy, opened and saved again, sent after the new one "
            "(a stale copy).",
        }
        if a.kind in notes:
            return notes[a.kind]
        if a.who == "mentor":
            return f"{pid}: the mentor sends their own copy too."
        if q == 2 and mentee in LIBREOFFICE and self.soffice:
            return f"{pid}: re-saved by LibreOffice as .{LIBREOFFICE[mentee]}."
        if q == 2 and mentee in LIBREOFFICE and self.want_libreoffice:
            return (
                f"{pid}: would be re-saved by LibreOffice, which is not installed here (soffice "
                "not found): an Excel file is sent instead."
            )
        if a.day > QUARTER_ENDS[q - 1] + dt.timedelta(days=SYNC_AFTER[-1]):
            return f"{pid}: late, {(a.day - QUARTER_ENDS[q - 1]).days} days after the quarter."
        return ""

    def _sync(self, day: dt.date) -> SyncResult:
        """Sync the inbox at 17:00 on ``day``, writing the receipts."""
        moment = dt.datetime.combine(day, dt.time(17, 0), tzinfo=UTC)
        synced = sync_programme(self.root, now=moment, receipts=ReceiptWriter(self.root))
        self.result.rounds.append(synced)
        self.result.returned_files += sum(1 for o in synced.files if o.recorded)
        synced_pairs = {o.pair_id for o in synced.files if o.status == "accepted"}
        for pid in synced_pairs:
            if pid in self.pairs:
                self.pairs[pid].up_to_date = True
        return synced

    def _refresh(self, q: int, end: dt.date) -> None:
        """``build --refresh`` after the deadline; pairs up to date continue in it."""
        moment = dt.datetime.combine(end + dt.timedelta(days=REFRESH_AFTER), dt.time(9, 0),
                                     tzinfo=UTC)  # fmt: skip
        built = build_programme(self.root, refresh=True, now=moment, as_of=moment.date())
        self.result.builds.append(built)
        switched = 0
        for w in built.workbooks:
            pair = self.pairs[w.pair_id]
            if pair.up_to_date:
                who = ("mentee", "mentor") if pair.mentee_id == TWO_COPIES else ("mentee",)
                if "mentor" in who and "mentor" not in pair.copies:
                    pair.behaviour.done["mentor"] = pair.behaviour.done.get("mentee", (0, 0))
                self._receive_revision(pair, w.path, who)
                switched += 1
            pair.up_to_date = False
        revisions = sorted({w.revision for w in built.workbooks})
        which = (f"revision {revisions[0]}" if len(revisions) == 1
                 else f"revisions {revisions[0]}-{revisions[-1]}")  # fmt: skip
        self.say(
            f"   {moment.date()} mentorkit build --refresh: a new revision of "
            f"{len(built.workbooks)} workbooks ({which}); {switched} pairs continue in it, the "
            "others in their own copy (sync accepts both)."
        )

    def _end_and_rematch(self) -> None:
        mentee, on = ENDED
        pair = next(p for p in self.pairs.values() if p.mentee_id == mentee)
        end_pair(self.root, pair.pair_id, "no-fault", on,
                 now=dt.datetime.combine(on, dt.time(10, 0), tzinfo=UTC))  # fmt: skip
        pair.ended = True
        match_programme(self.root, rematch=True, now=REMATCHED_AT)
        match_programme(self.root, confirm=True, now=REMATCHED_AT + dt.timedelta(hours=1))
        moment = REMATCHED_AT + dt.timedelta(hours=2)
        built = build_programme(self.root, now=moment, as_of=moment.date())
        self.result.builds.append(built)
        with Ledger(self.folder.ledger) as ledger:
            records = {p.pair_id: p for p in ledger.pairs()}
        (w,) = built.workbooks
        new = self._add_pair(records[w.pair_id], w.language, w.path, first_month=6)
        self._receive_revision(new, w.path, ("mentee",))
        self.result.rematched = new.pair_id
        self.say(
            f"   {on} pair {pair.pair_id} ended without fault (mentorkit pair end --reason "
            f"no-fault); on {REMATCHED_AT.date()} mentorkit match --rematch proposed "
            f"{self.names[new.mentor_id]} for {self.names[mentee]}: pair {new.pair_id}, its "
            "workbook issued, sessions from June."
        )

    def _final_outputs(self) -> None:
        last = self._last_sync_day()
        self.result.last_day = last
        moment = dt.datetime.combine(last, dt.time(17, 5), tzinfo=UTC)
        programme, framework = load_programme(self.folder.config), load_framework()
        with Ledger(self.folder.ledger) as ledger:
            self.result.master = write_master(
                self.folder, ledger, programme, framework, as_of=last, now=moment
            )
            write_anonymous(self.folder, ledger, programme, framework, as_of=last, now=moment)
            self.result.pair_of = {}
            for p in sorted(ledger.pairs(), key=lambda p: p.pair_id):
                self.result.pair_of.setdefault(p.mentee_id, p.pair_id)
        review = write_review(self.root, as_of=last, now=moment)
        self.say(
            f"{len(QUARTER_ENDS) + 4}. Regenerated master.xlsx with the figures as of {last}, "
            f"and wrote master-anonymous.xlsx and {review.path.name}."
        )

    def _last_sync_day(self) -> dt.date:
        with Ledger(self.folder.ledger) as ledger:
            return max(dt.date.fromisoformat(s.received_at[:10]) for s in ledger.submissions())


def _counts(synced: SyncResult) -> str:
    parts = [f"{synced.count('accepted')} accepted"]
    for status in ("duplicate", "quarantined"):
        if synced.count(status):
            parts.append(f"{synced.count(status)} {status}")
    return (
        f"{', '.join(parts)}; {synced.values_new} new values, {synced.values_changed} changed; "
        f"{len(synced.findings)} finding{'s' if len(synced.findings) != 1 else ''}."
    )
