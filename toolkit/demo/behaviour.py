"""How one simulated pair fills its workbook over the year: engagement, meeting day, ratings,
satisfaction; what it types is drawn from the seed, in the pair's language.

A pair normally keeps one copy, filled by the mentee. A pair that keeps two copies (the
mentor's and the mentee's) splits the work: the mentee logs the sessions and writes their part
of the reflections; the mentor rates the milestones and writes theirs (:data:`MENTOR_PARTS`).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from toolkit.demo.fill import PairWorkbookFiller
from toolkit.demo.texts import bank, evidence, texts
from toolkit.indicators.periods import add_months

ALL_PARTS = frozenset(
    {"agreement", "sessions", "ratings", "mentee_reflection", "mentor_reflection"}
)
MENTOR_PARTS = frozenset({"ratings", "mentor_reflection"})
MENTEE_PARTS = ALL_PARTS - MENTOR_PARTS


@dataclass
class Plan:
    """What the demo plants in this pair's year (the rest is drawn from the seed)."""

    unsigned: bool = False
    """Never signs the agreement."""
    unhappy_in: str = ""
    """The quarter (Q1..Q4) in which the mentee is dissatisfied (rates 2)."""
    support_in: str = ""
    """The quarter in which the mentee asks the coordinator for support."""
    last_session_month: int = 99
    """No session is logged after this cycle month (the pair lapses)."""
    attendance: dict[int, str] = field(default_factory=dict)
    """Cycle month → attendance code, for sessions planted as not held as planned."""


class Behaviour:
    """One pair's habits, fixed by the seed when the pair is created."""

    def __init__(
        self,
        rng: random.Random,
        lang: str,
        start: dt.date,
        first_month: int,
        plan: Plan,
        issued_on: dt.date,
    ) -> None:
        self.rng = rng
        self.lang = lang
        self.start = start
        self.first_month = first_month
        """The first cycle month of this pair (after 1 for a pair made by a re-match)."""
        self.plan = plan
        self.issued_on = issued_on
        """The day the pair received its first workbook."""
        self.engagement = rng.choice([0.8, 0.9, 0.95, 1.0, 1.0, 1.0])
        self.mode = rng.choice(["video", "video", "in_person", "phone"])
        self.usual = rng.randrange(len(texts()["meeting_times"]))  # their usual meeting day
        self.rating: dict[str, int] = {}
        """Milestone → its latest rating (ratings never go down)."""
        self.evidenced: set[str] = set()
        self.shown: set[str] = set()  # the evidence texts already typed
        self.held: dict[int, tuple[dt.date, int]] = {}
        """Month → (date, minutes) of the sessions held."""
        self.quarters: dict[str, tuple[str, int]] = {}
        """Quarter → (goals status, mentee satisfaction): drawn once, whichever copy writes."""
        self.done: dict[str, tuple[int, int]] = {}
        """Copy (mentee, mentor) → (months, quarters) it has typed so far."""

    def fill(
        self,
        f: PairWorkbookFiller,
        months: int,
        quarters: int,
        *,
        returned_by: str = "mentee",
        parts: frozenset[str] = ALL_PARTS,
        signatures: tuple[str, str] = ("", ""),
    ) -> None:
        """Type what the pair has done up to cycle month ``months`` and quarter ``quarters``
        (the parts of the work this copy holds), on top of what the copy already has."""
        f.set("start", "returned_by", returned_by)
        start_q = (self.first_month - 1) // 3
        done_months, done_quarters = self.done.get(returned_by, (self.first_month - 1, start_q))
        if "agreement" in parts and done_months == self.first_month - 1:
            self._agreement(f, signatures)
        if "sessions" in parts:
            for month in range(done_months + 1, months + 1):
                self._session(f, month)
        for q in range(done_quarters + 1, quarters + 1):
            if "ratings" in parts:
                self._ratings(f, q)
            self._reflection(f, f"Q{q}", parts)
        self.done[returned_by] = (max(done_months, months), max(done_quarters, quarters))

    def _agreement(self, f: PairWorkbookFiller, signatures: tuple[str, str]) -> None:
        rng, goals = self.rng, bank("goals", self.lang)
        first, second = rng.sample(goals, 2)  # two different goals
        f.set("agreement", "goal_1", first)
        f.set("agreement", "goal_2", second)
        f.set("agreement", "meeting_mode", self.mode)
        f.set("agreement", "meeting_time", texts()["meeting_times"][self.usual][self.lang])
        f.set("agreement", "confidentiality", "yes")
        f.set("agreement", "no_fault_exit", "yes")
        # Most pairs sign within the 30 days the framework gives them, a few later.
        signed = self.issued_on + dt.timedelta(days=rng.randrange(5, 36))
        if not self.plan.unsigned:
            f.set("agreement", "mentor_signature", signatures[0])
            f.set("agreement", "mentor_signed_on", signed)
            f.set("agreement", "mentee_signature", signatures[1])
            f.set("agreement", "mentee_signed_on", signed + dt.timedelta(days=rng.randrange(3)))

    def _session(self, f: PairWorkbookFiller, month: int) -> None:
        rng = self.rng
        # A session is missed now and then (more often by a less engaged pair), and more in
        # the holiday months (August and December).
        holiday = add_months(self.start, month - 1).month in (8, 12)
        skipped = month > self.first_month and rng.random() > self.engagement - 0.15 * holiday
        usual_day = texts()["meeting_times"][self.usual]["day"]
        day = add_months(self.start, month - 1) + dt.timedelta(
            days=usual_day - 1 + rng.randrange(-3, 4)
        )
        draw = rng.random()
        if month in self.plan.attendance:  # planted: it was planned and did not happen
            skipped = False
        if skipped or month > self.plan.last_session_month:
            return
        attendance = self.plan.attendance.get(month) or (
            "postponed" if draw < 0.03 else "mentee_absent" if draw < 0.05 else "both"
        )
        key = str(month)
        f.set("sessions", "session_date", day, key)
        f.set("sessions", "mode", self.mode, key)
        f.set("sessions", "attendance", attendance, key)
        if attendance != "both":
            f.set("sessions", "discussed", texts()["missed"][attendance][self.lang], key)
            return
        minutes = rng.choice([60, 75, 90, 90, 90, 100])
        self.held[month] = (day, minutes)
        f.set("sessions", "minutes", minutes, key)
        f.set("sessions", "discussed", rng.choice(bank("notes", self.lang)), key)
        f.set("sessions", "actions", rng.choice(bank("actions", self.lang)), key)

    def _ratings(self, f: PairWorkbookFiller, q: int) -> None:
        rng = self.rng
        for code in f.row_keys("competencies"):
            if code not in self.rating:  # the baseline, at the pair's first rating
                self.rating[code] = rng.choice([1, 1, 2, 2, 3])
                f.set("competencies", "baseline", str(self.rating[code]), code)
            if rng.random() < 0.4:
                self.rating[code] = min(4, self.rating[code] + 1)
            rating = self.rating[code]
            f.set("competencies", f"q{q}", str(rating), code)
            if rating >= 3 and code not in self.evidenced and rng.random() < 0.2:
                # Evidence of the milestone's domain, each piece shown for one milestone only.
                fresh = [t for t in evidence(code, self.lang) if t not in self.shown]
                if fresh:
                    shown = rng.choice(fresh)
                    f.set("competencies", "evidence", shown, code)
                    self.shown.add(shown)
                self.evidenced.add(code)

    def _reflection(self, f: PairWorkbookFiller, quarter: str, parts: frozenset[str]) -> None:
        rng, lang = self.rng, self.lang
        if quarter not in self.quarters:
            unhappy = quarter == self.plan.unhappy_in
            self.quarters[quarter] = (
                "behind" if unhappy else rng.choice(["on_track", "on_track", "on_track", "behind"]),
                2 if unhappy else rng.choice([3, 4, 4, 5, 5]),
            )
        status, satisfaction = self.quarters[quarter]
        progress = bank("progress", lang)
        if "mentee_reflection" in parts:
            # What the mentee writes matches how the quarter went (the last text is a struggle).
            said = progress[-1] if status == "behind" else rng.choice(progress[:-1])
            f.set("reflection", "mentee_progress", said, quarter)
            f.set("reflection", "goals_status", status, quarter)
            f.set("reflection", "mentee_satisfaction", str(satisfaction), quarter)
            asks = quarter == self.plan.support_in
            f.set("reflection", "support_needed", "yes" if asks else "no", quarter)
        if "mentor_reflection" in parts and rng.random() < 0.85:  # sometimes left for later
            seen = bank("struggles" if status == "behind" else "observations", lang)
            f.set("reflection", "mentor_observations", rng.choice(seen), quarter)
            f.set("reflection", "sprint_deliverable", "yes" if rng.random() < 0.85 else "no",
                  quarter)  # fmt: skip
            f.set("reflection", "mentor_satisfaction", str(rng.choice([3, 4, 5])), quarter)
