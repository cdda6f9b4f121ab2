"""``mentorkit match``: propose pairs into ``matches.xlsx``, honour the coordinator's review of
it, and (``--confirm``) record the reviewed pairs in the ledger for ``build`` to issue.

The workbook has the sheets Proposed pairs, Alternatives, Unmatched, Fairness and Decisions,
and a hidden sheet About that records whether it was made with ``--rematch`` (``--confirm``
follows it).
The coordinator columns ``lock``, ``forbid`` and ``comment`` (pale yellow, with a yes
dropdown) are read back by :func:`toolkit.match_review.read_review` on the next run; every
decision and comment is written again, on the row of its pair or, when the pair is no longer
shown, on the Decisions sheet, so nothing the coordinator typed is lost.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from xlsxwriter.utility import quote_sheetname
from xlsxwriter.worksheet import Worksheet

from builders.printable import write_header_row
from builders.xlsx import Book, finish_table, strict, write_atomic, write_value
from toolkit.errors import ConfigError
from toolkit.framework import framework_for
from toolkit.ledger import Confirmation, Ledger, MatchingStore, now_iso
from toolkit.match_review import (
    ABOUT_SHEET,
    ALTERNATIVES_SHEET,
    DECISIONS_SHEET,
    FAIRNESS_SHEET,
    PROPOSED_SHEET,
    UNMATCHED_SHEET,
    Review,
    read_review,
)
from toolkit.matching import (
    MATCHES_FILE,
    MENTOR_LEFT,
    Cohort,
    MatchResult,
    PairKey,
    Score,
    Settings,
    existing_pairs,
    not_proposed,
    plan_cohort,
    propose,
)
from toolkit.messages import Finding, finding
from toolkit.programme import CRITERIA, ProgrammeFolder, load_programme
from toolkit.roster import Person, Roster, read_roster

HEADER_ROW = 3
"""0-based row of the column headers on every sheet (title, subtitle, note above)."""
SCORES = {"total", "mean_score", *CRITERIA}
"""Columns shown with two decimals (the cells keep the full value)."""
EXTRA_INPUT_ROWS = 50
"""Rows below each table that keep the dropdowns, for pairs the coordinator types in."""


@dataclass
class MatchRun:
    """What ``mentorkit match`` did."""

    path: Path
    result: MatchResult
    confirmed: list[Confirmation] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    """The review's findings, lock problems, and pairs not confirmed (unmatched mentees are in
    ``result.unmatched``)."""
    written: bool = True
    """False when cells of the review could not be understood: matches.xlsx is then left as
    it is (and nothing is confirmed) until they are fixed."""
    rematch: bool = False
    """Whether mentees whose pair ended were matched (with ``confirm``: as the reviewed
    matches.xlsx was made)."""


def match_programme(
    root: Path,
    *,
    rematch: bool = False,
    confirm: bool = False,
    now: dt.datetime | None = None,
) -> MatchRun:
    """Propose pairs for the programme in ``root`` and write ``matches.xlsx``.

    The coordinator's lock, forbid and comment in an existing matches.xlsx are honoured; when
    some of those cells cannot be understood, nothing is written or confirmed. With
    ``confirm``, the proposed pairs the coordinator reviewed (those on its Proposed pairs sheet,
    not forbidden) are recorded in the ledger, and matches.xlsx is written again for whoever is
    still without a mentor. Confirming follows how the reviewed file was made (with or without
    ``rematch``); each reviewed pair that is not confirmed gets a finding saying why.
    """
    folder = ProgrammeFolder(root)
    folder.require()
    shown = _shell_path(root)
    programme = load_programme(folder.config)
    framework = framework_for(folder.root, programme)
    roster = read_roster(folder.roster, framework)
    settings = Settings.from_programme(programme, framework)
    path = folder.root / MATCHES_FILE
    review = read_review(path, roster.people)
    if confirm and not review.exists:
        f = finding("MAT018", file=MATCHES_FILE, folder=shown)
        raise ConfigError(f.render(), [f])
    mode: list[Finding] = []
    if confirm and review.rematch is not None:
        if rematch and not review.rematch:
            mode.append(finding("MAT026", file=MATCHES_FILE, folder=shown))
        rematch = review.rematch
    moment = now or dt.datetime.now(dt.timezone.utc)
    with Ledger(folder.ledger) as ledger:
        store = MatchingStore(ledger)
        cohort, result = _propose(roster, ledger, store, settings, review, rematch)
        run = MatchRun(path, result, findings=[*mode, *review.findings, *result.findings])
        run.rematch = rematch
        if review.findings:
            # Replacing the file would lose what the coordinator typed in those cells.
            run.written = False
            return run
        name = programme.programme.name
        if not confirm:
            write_atomic(path, render_matches(result, roster.people, review, moment, name))
            return run
        run.confirmed, not_reviewed = _confirmations(result, review, ledger, now_iso(moment), shown)
        run.findings += not_reviewed + _not_confirmed(review, cohort, settings, result, shown)
        # One unit: if matches.xlsx cannot be replaced (open in Excel), nothing is confirmed.
        with ledger.transaction():
            store.add_confirmations(run.confirmed)
            _, run.result = _propose(roster, ledger, store, settings, review, rematch)
            write_atomic(path, render_matches(run.result, roster.people, review, moment, name))
    return run


def _shell_path(path: Path) -> str:
    """The folder as typed in a command that a message suggests: in double quotes when it
    holds a space or a character a shell would read (works in cmd, PowerShell and sh)."""
    text = str(path)
    return f'"{text}"' if any(c in text for c in " &()[]{};'$`!,") else text


def _propose(
    roster: Roster,
    ledger: Ledger,
    store: MatchingStore,
    settings: Settings,
    review: Review,
    rematch: bool,
) -> tuple[Cohort, MatchResult]:
    existing = existing_pairs(roster, ledger.pairs(), store.confirmations(), store.endings())
    cohort = plan_cohort(roster, existing, settings, review.decisions.values(), rematch=rematch)
    return cohort, propose(cohort, settings)


def _not_confirmed(
    review: Review, cohort: Cohort, settings: Settings, result: MatchResult, folder: str
) -> list[Finding]:
    """A finding, at its row of Proposed pairs, for each reviewed pair that the proposal made
    now leaves out, with why."""
    why = not_proposed(review.proposed, cohort, settings, result)
    return [
        finding("MAT027", file=MATCHES_FILE, sheet=PROPOSED_SHEET, row=review.proposed[key],
                mentor=key[0], mentee=key[1], detail=detail, folder=folder)
        for key, detail in why.items()
    ]  # fmt: skip


def _confirmations(
    result: MatchResult, review: Review, ledger: Ledger, stamp: str, folder: str
) -> tuple[list[Confirmation], list[Finding]]:
    reviewed = set(review.proposed)
    comments = review.comments()
    earlier = {p.mentee_id for p in ledger.pairs()}
    confirmed, findings = [], []
    for p in result.pairs:
        key = (p.mentor_id, p.mentee_id)
        if key not in reviewed:
            findings.append(
                finding("MAT017", file=MATCHES_FILE, mentor=key[0], mentee=key[1], folder=folder)
            )
            continue
        confirmed.append(
            Confirmation(
                p.mentor_id, p.mentee_id, p.score.total, json.dumps(p.score.points),
                comments.get(key, ""), p.mentee_id in earlier, stamp,
            )
        )  # fmt: skip
    return confirmed, findings


# --- rendering ---------------------------------------------------------------------------------


def render_matches(
    result: MatchResult,
    people: dict[str, Person],
    review: Review,
    created: dt.datetime,
    programme_name: str = "",
) -> bytes:
    """The matches workbook as .xlsx bytes."""
    return strict(
        lambda: _Renderer(result, people, review, created, programme_name).render(),
        "the matches workbook",
    )


class _Renderer:
    def __init__(
        self,
        result: MatchResult,
        people: dict[str, Person],
        review: Review,
        created: dt.datetime,
        programme_name: str,
    ) -> None:
        self.result = result
        self.people = people
        self.decisions = review.decisions
        self.book = Book(created, title="Proposed mentor-mentee pairs")
        self.title = f"{programme_name} — matching" if programme_name else "Matching"
        s = result.settings
        weights = ", ".join(f"{c} {s.weight(c):g}" for c in CRITERIA)
        command = "mentorkit match --rematch" if result.rematch else "mentorkit match"
        self.subtitle = (
            f"Made {now_iso(created)} by '{command}'. Weights: {weights}. cross_country "
            f"{s.cross_country}, cross_sector {s.cross_sector}. Type yes under lock (keep) or "
            "forbid (never), add a comment, save, and run mentorkit match again; --confirm "
            "records the pairs (as this file was made, with or without --rematch)."
        )
        excluded = s.not_applied()
        self.note = (
            "Not applied (0 points for every pair): "
            + "; ".join(f"{c} ({why})" for c, why in excluded.items())
            if excluded
            else "Every criterion applies."
        ) + " A criterion whose data is blank for either person scores 0."
        left = _left_out(result)
        if left:
            self.note += f" Left out (their pair ended because they left): {left}."
        self.shown: set[PairKey] = set()

    def render(self) -> bytes:
        wb = self.book.wb
        lists = wb.add_worksheet("Lists")
        lists.write_string(0, 0, "yes")
        self.yes = f"={quote_sheetname('Lists')}!$A$1:$A$1"
        self._proposed()
        self._alternatives()
        self._unmatched()
        self._fairness()
        self._decisions()
        self._about()
        lists.hide()
        wb.worksheets()[1].activate()
        return self.book.close()

    def _name(self, pid: str) -> str:
        person = self.people.get(pid)
        return person.name if person else ""

    def _coordinator(self, key: PairKey, locked: bool = False) -> list[object]:
        d = self.decisions.get(key)
        self.shown.add(key)
        lock = locked or (d is not None and d.lock)
        forbid = d is not None and d.forbid
        return ["yes" if lock else "", "yes" if forbid else "", d.comment if d else ""]

    def _score_cells(self, s: Score) -> list[object]:
        return [s.total, *(s.points[c] for c in CRITERIA)]

    def _proposed(self) -> None:
        rows = []
        for p in self.result.pairs:
            mentor, mentee = self.people[p.mentor_id], self.people[p.mentee_id]
            shared = [lang for lang in mentee.languages if lang in mentor.languages]
            rows.append(
                [p.mentor_id, mentor.name, mentor.country, p.mentee_id, mentee.name,
                 mentee.country, ", ".join(shared), *self._score_cells(p.score),
                 *self._coordinator((p.mentor_id, p.mentee_id), p.locked)]
            )  # fmt: skip
        headers = ["mentor_id", "mentor", "mentor_country", "mentee_id", "mentee",
                   "mentee_country", "shared_languages", "total", *CRITERIA,
                   "lock", "forbid", "comment"]  # fmt: skip
        widths = [11, 22, 9, 11, 22, 9, 10, 8, *[10] * len(CRITERIA), 7, 7, 40]
        self._table(PROPOSED_SHEET, headers, rows, widths, coordinator=True)

    def _alternatives(self) -> None:
        rows = []
        for mentee_id in sorted(self.result.alternatives):
            for rank, s in enumerate(self.result.alternatives[mentee_id], start=1):
                mentor = self.people[s.mentor_id]
                rows.append(
                    [s.mentor_id, mentor.name, mentor.country,
                     self.result.places_left.get(s.mentor_id, 0), mentee_id,
                     self._name(mentee_id), rank, *self._score_cells(s), *self._coordinator(s.key)]
                )  # fmt: skip
        headers = ["mentor_id", "mentor", "mentor_country", "mentor_places_left", "mentee_id",
                   "mentee", "rank", "total", *CRITERIA, "lock", "forbid", "comment"]  # fmt: skip
        widths = [11, 22, 9, 9, 11, 22, 6, 8, *[10] * len(CRITERIA), 7, 7, 40]
        note = (
            "Listed: every mentor who meets every rule for the mentee and had a free place "
            "before this proposal. mentor_places_left counts the places left once the proposal, "
            "locked pairs included, is taken up: 0 means that taking this mentor moves one of "
            "their proposed pairs."
        )
        self._table(ALTERNATIVES_SHEET, headers, rows, widths, coordinator=True, note=note)

    def _unmatched(self) -> None:
        rows = []
        for u in self.result.unmatched:
            m = self.people[u.mentee_id]
            rows.append(
                [u.mentee_id, m.name, m.country, m.level, ", ".join(m.languages), u.constraint,
                 u.reason.code, u.reason.message, u.reason.todo]
            )  # fmt: skip
        headers = ["mentee_id", "mentee", "country", "level", "languages", "blocked_by", "code",
                   "reason", "what_to_do"]  # fmt: skip
        self._table(UNMATCHED_SHEET, headers, rows, [11, 22, 8, 8, 10, 12, 8, 70, 60])

    def _fairness(self) -> None:
        rows = [
            [f.dimension, f.group, f.mentees, f.matched, f.rate, f.mean_score]
            for f in self.result.fairness
        ]
        headers = ["by", "group", "mentees", "matched", "match_rate_%", "mean_score"]
        self._table(FAIRNESS_SHEET, headers, rows, [10, 16, 9, 9, 12, 11])

    def _decisions(self) -> None:
        """Every decision on a pair not shown on the other sheets, so that it is not lost."""
        rows = []
        for key, d in sorted(self.decisions.items()):
            # A lock on a pair that now exists was carried out: it is cleared, not kept.
            lock = d.lock and key not in self.result.fulfilled_locks
            if key in self.shown or not (lock or d.forbid or d.comment):
                continue
            rows.append(
                [d.mentor_id, self._name(d.mentor_id), d.mentee_id, self._name(d.mentee_id),
                 "yes" if lock else "", "yes" if d.forbid else "", d.comment]
            )  # fmt: skip
        headers = ["mentor_id", "mentor", "mentee_id", "mentee", "lock", "forbid", "comment"]
        self._table(DECISIONS_SHEET, headers, rows, [11, 22, 11, 22, 7, 7, 40], coordinator=True)

    def _about(self) -> None:
        """How the file was made, read back by ``--confirm`` (hidden)."""
        ws = self.book.wb.add_worksheet(ABOUT_SHEET)
        ws.write_row(0, 0, ["made_by", "mentorkit match"])
        ws.write_row(1, 0, ["rematch", "yes" if self.result.rematch else "no"])
        ws.hide()

    def _table(
        self,
        name: str,
        headers: Sequence[str],
        rows: list[list[object]],
        widths: Sequence[int],
        *,
        coordinator: bool = False,
        note: str = "",
    ) -> Worksheet:
        book = self.book
        ws = book.wb.add_worksheet(name)
        ws.write_string(0, 0, f"{self.title}: {name}", book.fmt["title"])
        ws.write_string(1, 0, self.subtitle)
        ws.write_string(2, 0, f"{note} {self.note}" if note else self.note, book.fmt["help"])
        inputs = {i for i, h in enumerate(headers) if h in ("lock", "forbid", "comment")}
        formats = [
            book.fmt["input"] if c in inputs else book.fmt["decimal"] if h in SCORES else None
            for c, h in enumerate(headers)
        ]
        write_header_row(ws, HEADER_ROW, headers, widths, book.fmt["header"])
        for r, row in enumerate(rows, start=HEADER_ROW + 1):
            for c, value in enumerate(row):
                write_value(ws, r, c, value, formats[c])
        last = HEADER_ROW + len(rows) + (EXTRA_INPUT_ROWS if coordinator else 0)
        for c in sorted(inputs):
            options: dict[str, object] = {"validate": "any", "input_title": headers[c],
                                          "input_message": _HELP[headers[c]]}  # fmt: skip
            if headers[c] != "comment":
                options |= {"validate": "list", "source": self.yes}
            ws.data_validation(HEADER_ROW + 1, c, last, c, options)
        finish_table(ws, HEADER_ROW, len(rows), len(headers), "(none)")
        return ws


def _left_out(result: MatchResult) -> str:
    """Who an ending took out of matching, e.g. ``mentor M1 (P003), mentee E4 (P005)``."""
    return ", ".join(
        f"mentor {p.mentor_id} ({p.pair_id})"
        if p.ended_reason == MENTOR_LEFT
        else f"mentee {p.mentee_id} ({p.pair_id})"
        for p in result.departed
    )


_HELP = {
    "lock": "yes: keep this pair when matching runs again.",
    "forbid": "yes: never propose this pair.",
    "comment": "Your note on this pair; it is kept when matching runs again.",
}
