"""Proposing a mentor for each mentee: hard constraints, weighted criteria, one cohort optimum.

:func:`plan_cohort` works out *who* is to be matched from the roster and the ledger (mentees
without a pair, mentors' free places, earlier pairs, the coordinator's decisions);
:func:`propose` then matches the whole cohort at once and explains every result.

**Hard constraints** (a pair breaking one is never proposed), in this order::

    language   mentor and mentee share at least one working language
    level      the mentor's level is above the mentee's
    chain      the mentor is not the mentee's line manager nor anyone above them
    same_sex   when the mentee asked for it, the mentor is of the mentee's sex
    country    cross_country: required → different countries
    sector     cross_sector: required → different sectors (a blank sector is never the same)
    history    the two were never paired before
    forbid     the coordinator did not forbid the pair in matches.xlsx
    capacity   the mentor has a free place

The order also gives an unmatched mentee's reason: the first constraint at which no mentor is
left for them (so "no mentor shares a language" rather than a vaguer later one), or, when
mentors were left but their places went to other mentees, that.

**Soft criteria**: each scores a fit in [0, 1] and counts ``weight x fit`` points; a pair's
score is the sum of its points, so the per-criterion columns add up to the total. A criterion
that does not apply is *excluded* (it scores 0 points for every pair, and says so): time zone
when delivery is in person, country diversity when ``cross_country`` is ``any``. Missing data
never earns points: a criterion whose data is blank on either side scores 0 for that pair.

**Who takes part**: a mentor whose pair ended with ``mentor-left`` is out of matching; a
mentee whose pair ended with ``mentee-left`` is out of re-matching. A coordinator's lock on a
pair that exists (active or ended) was carried out and is dropped.

**Alternatives** of a mentee: every other mentor the hard constraints allow who had a free
place before this proposal, best first, with the places left once the proposal is taken up.

**Optimisation**: as many mentees as possible are matched, and among those solutions the total
score is the highest. It is one assignment problem (scipy's ``linear_sum_assignment``) over a
mentee x mentor-place matrix, each mentor's column repeated once per free place, impossible cells
masked, and one "unmatched" column per mentee. Inputs are sorted by id so that the same roster
always gives the same proposal. Locked pairs are fixed before the solver runs.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import linear_sum_assignment

from toolkit.countries import default_countries
from toolkit.framework import Framework
from toolkit.ledger import Confirmation, PairEnding, PairRecord
from toolkit.messages import Finding, finding
from toolkit.programme import CRITERIA, DeliveryMode, Programme
from toolkit.roster import LEVELS, PairRow, Person, Roster, reporting_chain

PairKey = tuple[str, str]
"""(mentor_id, mentee_id)."""

CONSTRAINTS = ("language", "level", "chain", "same_sex", "country", "sector", "history", "forbid")
"""The pair constraints, in the order they are checked (capacity is the mentor's, checked last)."""

UNMATCHED_CODES = {
    "language": "MAT002", "level": "MAT003", "chain": "MAT004", "same_sex": "MAT005",
    "country": "MAT006", "sector": "MAT007", "history": "MAT008", "forbid": "MAT009",
    "capacity": "MAT010", "taken": "MAT011",
}  # fmt: skip
WORKING_HOURS = 8.0
"""Length of a working day, for the time-zone overlap (9:00 to 17:00 local time)."""
LEVEL_RANK = {level: rank for rank, level in enumerate(LEVELS)}
ROSTER_FILE = "roster.xlsx"
MATCHES_FILE = "matches.xlsx"


# --- inputs ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Settings:
    """The matching settings of ``programme.yaml`` as the engine uses them."""

    weights: dict[str, float]
    cross_country: str = "preferred"
    cross_sector: str = "any"
    default_capacity: int = 2
    alternatives: int = 3
    virtual: bool = True
    """Sessions are virtual or hybrid, so working hours across time zones matter."""

    @classmethod
    def from_programme(cls, programme: Programme, framework: Framework) -> Settings:
        """The settings of ``programme.yaml``; weights left out come from the framework."""
        m = programme.matching
        return cls(
            weights=m.weights.effective(framework.matching_weights()),
            cross_country=m.cross_country,
            cross_sector=m.cross_sector,
            default_capacity=m.default_capacity,
            alternatives=m.alternatives,
            virtual=programme.delivery_mode != DeliveryMode.IN_PERSON,
        )

    def not_applied(self) -> dict[str, str]:
        """The criteria excluded by these settings, with why."""
        out = {}
        if not self.virtual:
            out["timezone"] = "in-person delivery"
        if self.cross_country == "any":
            out["country_diversity"] = "cross_country is any"
        return out

    def weight(self, criterion: str) -> float:
        """The criterion's weight, 0 when it is excluded."""
        return 0.0 if criterion in self.not_applied() else float(self.weights[criterion])


@dataclass(frozen=True)
class Decision:
    """A coordinator's decision on one pair, as typed in matches.xlsx (merged over its rows)."""

    mentor_id: str
    mentee_id: str
    lock: bool = False
    forbid: bool = False
    comment: str = ""
    sheet: str = ""
    row: int | None = None
    cell: str = ""
    """Where the lock was typed, for findings about it."""

    @property
    def key(self) -> PairKey:
        return (self.mentor_id, self.mentee_id)


@dataclass(frozen=True)
class Cohort:
    """Who is to be matched: the mentee pool, mentors' free places, and what rules out pairs."""

    people: dict[str, Person]
    mentees: tuple[str, ...]
    mentors: tuple[str, ...]
    free: dict[str, int]
    history: frozenset[PairKey] = frozenset()
    forbidden: frozenset[PairKey] = frozenset()
    locks: tuple[Decision, ...] = ()
    waiting_rematch: tuple[str, ...] = ()
    """Mentees whose pair ended and who are not in this pool (``--rematch`` adds them)."""
    capacity: dict[str, int] = field(default_factory=dict)
    """Each mentor's capacity (the roster's, or the programme's default)."""
    load: dict[str, int] = field(default_factory=dict)
    """Each mentor's active (or pending) pairs."""
    departed: tuple[ExistingPair, ...] = ()
    """Ended pairs whose mentor left (that mentor is out of matching) or whose mentee left
    (that mentee is out of re-matching)."""
    fulfilled_locks: frozenset[PairKey] = frozenset()
    """Locked pairs that exist now (active or ended): carried out, so no longer applied."""
    rematch: bool = False
    """Mentees whose pair ended are in the pool (``match --rematch``)."""


@dataclass(frozen=True)
class ExistingPair:
    """A pair that already exists or is about to (ledger, roster Pairs sheet, confirmation)."""

    mentor_id: str
    mentee_id: str
    active: bool
    pair_id: str = ""
    """The ledger's pair code ('' for a pair not yet built)."""
    ended_reason: str = ""
    """Why the pair ended (``mentorkit pair end --reason``); '' while it is active."""


MENTOR_LEFT = "mentor-left"
MENTEE_LEFT = "mentee-left"


def existing_pairs(
    roster: Roster,
    pairs: Iterable[PairRecord],
    confirmations: Iterable[Confirmation],
    endings: Iterable[PairEnding] = (),
) -> list[ExistingPair]:
    """Every pair there is or is about to be: the ledger's (active or ended, with the reason
    it ended), and, not yet in it, the roster's Pairs sheet rows and the confirmed matches
    (both pending a build)."""
    reasons = {e.pair_id: e.reason for e in endings}
    known = {
        (p.mentor_id, p.mentee_id): ExistingPair(
            p.mentor_id, p.mentee_id, p.status == "active", p.pair_id, reasons.get(p.pair_id, "")
        )
        for p in pairs
    }
    pending = [(t.mentor_id, t.mentee_id) for t in roster.pairs]
    pending += [(c.mentor_id, c.mentee_id) for c in confirmations]
    for m, e in pending:
        known.setdefault((m, e), ExistingPair(m, e, True))
    return list(known.values())


def confirmed_pairs(
    confirmations: Iterable[Confirmation], roster: Roster
) -> tuple[list[PairRow], list[Finding]]:
    """The confirmed matches ``build`` issues workbooks for (as Pairs sheet rows), and a
    finding for each that names someone no longer in the roster."""
    rows, findings = [], []
    for c in confirmations:
        if c.mentor_id in roster.people and c.mentee_id in roster.people:
            rows.append(PairRow(c.mentor_id, c.mentee_id, 0))
        else:
            findings.append(
                finding("MAT022", file="mentorkit.db", mentor=c.mentor_id, mentee=c.mentee_id)
            )
    return rows, findings


def plan_cohort(
    roster: Roster,
    existing: Iterable[ExistingPair],
    settings: Settings,
    decisions: Iterable[Decision] = (),
    *,
    rematch: bool = False,
) -> Cohort:
    """The cohort to match now.

    Mentees with an active (or pending) pair are not matched. Without ``rematch`` only mentees
    never paired are; with it, also those whose every pair ended, except a mentee whose pair
    ended because they left (``mentee-left``). A mentor whose pair ended because they left
    (``mentor-left``) is out of matching. Mentors' places are their capacity less their active
    pairs. Every earlier pair is ruled out. A lock on a pair that exists (active or ended) was
    carried out, and is dropped.
    """
    existing = list(existing)
    people = roster.people
    active = {(p.mentor_id, p.mentee_id) for p in existing if p.active}
    history = frozenset((p.mentor_id, p.mentee_id) for p in existing)
    taken = {mentee for _, mentee in active}
    ever = {p.mentee_id for p in existing}
    gone_mentors = {p.mentor_id for p in existing if p.ended_reason == MENTOR_LEFT}
    gone_mentees = {p.mentee_id for p in existing if p.ended_reason == MENTEE_LEFT} - taken
    departed = _departures(existing, gone_mentors | gone_mentees, people)
    load = Counter(mentor for mentor, _ in active)
    mentee_ids = sorted(
        pid for pid, p in people.items() if p.role == "mentee" and pid not in gone_mentees
    )
    pool = [m for m in mentee_ids if m not in taken and (rematch or m not in ever)]
    waiting = [m for m in mentee_ids if m not in taken and m in ever and m not in pool]
    mentors = sorted(
        pid for pid, p in people.items() if p.role == "mentor" and pid not in gone_mentors
    )
    capacity = {}
    for m in mentors:
        given = people[m].capacity
        capacity[m] = settings.default_capacity if given is None else given
    decisions = list(decisions)
    return Cohort(
        people=people,
        mentees=tuple(pool),
        mentors=tuple(mentors),
        free={m: max(0, capacity[m] - load[m]) for m in mentors},
        history=history,
        forbidden=frozenset(d.key for d in decisions if d.forbid),
        locks=tuple(d for d in decisions if d.lock and d.key not in history),
        waiting_rematch=tuple(waiting),
        capacity=capacity,
        load={m: load[m] for m in mentors},
        departed=departed,
        fulfilled_locks=frozenset(d.key for d in decisions if d.lock and d.key in history),
        rematch=rematch,
    )


def _departures(
    existing: list[ExistingPair], gone: set[str], people: dict[str, Person]
) -> tuple[ExistingPair, ...]:
    """The ending that took each person out, one per person still in the roster."""
    seen: dict[str, ExistingPair] = {}
    for p in sorted(existing, key=lambda p: (p.pair_id, p.mentor_id, p.mentee_id)):
        pid = p.mentor_id if p.ended_reason == MENTOR_LEFT else p.mentee_id
        if p.ended_reason in (MENTOR_LEFT, MENTEE_LEFT) and pid in gone and pid in people:
            seen.setdefault(pid, p)
    return tuple(seen.values())


# --- results -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Score:
    """How well one mentor fits one mentee: points per criterion, adding up to ``total``."""

    mentor_id: str
    mentee_id: str
    points: dict[str, float]
    total: float

    @property
    def key(self) -> PairKey:
        return (self.mentor_id, self.mentee_id)


@dataclass(frozen=True)
class ProposedPair:
    """One proposed pair, with its score breakdown; ``locked`` when the coordinator fixed it."""

    score: Score
    locked: bool = False

    @property
    def mentor_id(self) -> str:
        return self.score.mentor_id

    @property
    def mentee_id(self) -> str:
        return self.score.mentee_id


@dataclass(frozen=True)
class Unmatched:
    """A mentee left without a proposal, and the constraint that blocked them."""

    mentee_id: str
    constraint: str
    reason: Finding


@dataclass(frozen=True)
class FairnessRow:
    """Match rate of one group of mentees (by country, sex or level)."""

    dimension: str
    group: str
    mentees: int
    matched: int
    mean_score: float | None

    @property
    def rate(self) -> float | None:
        """Share of the group's mentees matched, in %."""
        return round(100.0 * self.matched / self.mentees, 1) if self.mentees else None


@dataclass
class MatchResult:
    """A whole proposal: pairs, alternatives, unmatched mentees with reasons, fairness."""

    settings: Settings
    pairs: list[ProposedPair] = field(default_factory=list)
    alternatives: dict[str, list[Score]] = field(default_factory=dict)
    unmatched: list[Unmatched] = field(default_factory=list)
    fairness: list[FairnessRow] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    mentees: tuple[str, ...] = ()
    waiting_rematch: tuple[str, ...] = ()
    places_left: dict[str, int] = field(default_factory=dict)
    """Each mentor's free places once this proposal (locked pairs included) is taken up."""
    fulfilled_locks: frozenset[PairKey] = frozenset()
    """Locks on pairs that exist now: carried out, no longer applied (nor written back)."""
    departed: tuple[ExistingPair, ...] = ()
    """Ended pairs that took their mentor out of matching or their mentee out of re-matching."""
    rematch: bool = False
    """The proposal includes mentees whose pair ended (``match --rematch``)."""

    @property
    def total_score(self) -> float:
        """Sum of the proposed pairs' scores."""
        return round(sum(p.score.total for p in self.pairs), 6)


# --- the engine --------------------------------------------------------------------------------


def propose(cohort: Cohort, settings: Settings) -> MatchResult:
    """Match the cohort: locks first, then the optimum for everyone else.

    A mentee's alternatives are every other mentor the hard constraints allow who had a free
    place before this proposal; whether that place is taken in the proposal (by a locked pair
    or the solver's) does not matter, and ``places_left`` says what remains.
    """
    rules = Rules(cohort, settings)
    result = MatchResult(
        settings, mentees=cohort.mentees, waiting_rematch=cohort.waiting_rematch,
        fulfilled_locks=cohort.fulfilled_locks, departed=cohort.departed, rematch=cohort.rematch,
    )  # fmt: skip
    result.findings = departures(cohort)
    free = dict(cohort.free)
    locked = _apply_locks(cohort, rules, free, result)
    pool = [m for m in cohort.mentees if m not in locked]
    possible = {
        mentee: [m for m in cohort.mentors if cohort.free[m] > 0 and rules.blocking(m, mentee)
                 is None]
        for mentee in pool
    }  # fmt: skip
    scores = {
        mentee: {m: rules.score(m, mentee) for m in mentors} for mentee, mentors in possible.items()
    }
    feasible = {mentee: [m for m in mentors if free[m] > 0] for mentee, mentors in possible.items()}
    assigned = _solve(pool, feasible, scores, free)
    result.pairs = sorted(
        [ProposedPair(rules.score(m, e), locked=True) for e, m in locked.items()]
        + [ProposedPair(scores[e][m]) for e, m in assigned.items()],
        key=lambda p: (p.mentee_id, p.mentor_id),
    )
    for mentee in pool:
        others = [s for m, s in scores[mentee].items() if m != assigned.get(mentee)]
        others.sort(key=lambda s: (-s.total, s.mentor_id))
        result.alternatives[mentee] = others[: settings.alternatives]
        if mentee not in assigned:
            result.unmatched.append(rules.unmatched(mentee, cohort.free, feasible[mentee]))
    result.fairness = fairness(cohort, result)
    used = Counter(assigned.values())
    result.places_left = {m: free[m] - used[m] for m in cohort.mentors}
    return result


def departures(cohort: Cohort) -> list[Finding]:
    """One finding for each person in the roster whom an ending took out of matching."""
    findings = []
    for p in cohort.departed:
        mentor = p.ended_reason == MENTOR_LEFT
        person = cohort.people[p.mentor_id if mentor else p.mentee_id]
        findings.append(
            finding("MAT024" if mentor else "MAT025", file=ROSTER_FILE, sheet="People",
                    row=person.row, column="person_id", value=person.person_id, pair=p.pair_id)
        )  # fmt: skip
    return findings


def _apply_locks(
    cohort: Cohort, rules: Rules, free: dict[str, int], result: MatchResult
) -> dict[str, str]:
    """Fix the coordinator's locked pairs (mentee → mentor) that can be kept; a finding for
    each that cannot."""
    locked: dict[str, str] = {}
    for d in cohort.locks:
        where = {"file": MATCHES_FILE, "sheet": d.sheet, "row": d.row, "cell": d.cell,
                 "column": "lock", "mentor": d.mentor_id, "mentee": d.mentee_id}  # fmt: skip
        if d.forbid:
            result.findings.append(finding("MAT013", **where))
            continue
        if d.mentee_id in locked:
            mentor = locked[d.mentee_id]
            result.findings.append(finding("MAT023", **(where | {"mentor": mentor})))
            continue
        problem = _pair_problem(d.mentor_id, d.mentee_id, cohort, rules, free)
        if problem:
            result.findings.append(finding("MAT012", detail=problem, **where))
            continue
        locked[d.mentee_id] = d.mentor_id
        free[d.mentor_id] -= 1
    return locked


def not_proposed(
    keys: Iterable[PairKey], cohort: Cohort, settings: Settings, result: MatchResult
) -> dict[PairKey, str]:
    """Why each of these pairs is not in the proposal ``result`` of ``cohort`` (pairs that are
    in it are left out of the answer): a rule, the mentor's places, or the optimum."""
    rules = Rules(cohort, settings)
    proposed = {p.mentee_id: p.mentor_id for p in result.pairs}
    why = {}
    for mentor, mentee in keys:
        if proposed.get(mentee) == mentor:
            continue
        problem = _pair_problem(mentor, mentee, cohort, rules, cohort.free)
        if not problem and mentee in proposed:
            problem = f"the mentee is now proposed with mentor {proposed[mentee]!r}"
        why[(mentor, mentee)] = problem or "the mentor's places went to other mentees"
    return why


def _pair_problem(
    mentor: str, mentee: str, cohort: Cohort, rules: Rules, free: dict[str, int]
) -> str:
    """Why this pair cannot be made now ("" when it can), ``free`` being the places left."""
    left = {p.mentor_id if p.ended_reason == MENTOR_LEFT else p.mentee_id: p
            for p in cohort.departed}  # fmt: skip
    for pid in (mentor, mentee):
        if pid in left:
            ending = left[pid]
            return f"{pid!r} left the programme (pair {ending.pair_id}: {ending.ended_reason})"
    if mentor not in free:
        return f"{mentor!r} is not a mentor in the roster"
    person = cohort.people.get(mentee)
    if person is None or person.role != "mentee":
        return f"{mentee!r} is not a mentee in the roster"
    if mentee not in cohort.mentees:
        return "the mentee already has a pair, or is waiting for 'match --rematch'"
    blocking = rules.blocking(mentor, mentee)
    if blocking is not None:
        return f"it breaks the '{blocking}' constraint ({CONSTRAINT_TEXT[blocking]})"
    if free[mentor] <= 0:
        rest = ", the rest taken by other locks" if cohort.free[mentor] > 0 else ""
        load = _count(cohort.load[mentor], "active pair")
        return f"the mentor has no free place (capacity {cohort.capacity[mentor]}, {load}{rest})"
    return ""


CONSTRAINT_TEXT = {
    "language": "they share no language",
    "level": "the mentor is not above the mentee's level",
    "chain": "the mentor is in the mentee's reporting chain",
    "same_sex": "the mentee asked for a mentor of their own sex",
    "country": "cross_country is required and both work in the same country",
    "sector": "cross_sector is required and both work in the same sector",
    "history": "they were paired before",
    "forbid": "the pair is forbidden in matches.xlsx",
}


def _solve(
    pool: list[str],
    feasible: dict[str, list[str]],
    scores: dict[str, dict[str, Score]],
    free: dict[str, int],
) -> dict[str, str]:
    """The optimum (most mentees matched, then highest total score): mentee → mentor."""
    wanted = Counter(m for mentee in pool for m in feasible[mentee])
    # A mentor needs no more places in the matrix than mentees who could take one.
    slots = [m for m in sorted(wanted) for _ in range(min(free[m], wanted[m]))]
    if not pool or not slots:
        return {}
    column = {}
    for j, m in enumerate(slots):
        column.setdefault(m, []).append(j)
    best = max((s.total for row in scores.values() for s in row.values()), default=0.0)
    # Matching one more mentee outweighs any difference in total score.
    bonus = (best + 1.0) * (len(pool) + 1)
    cost = np.full((len(pool), len(slots) + len(pool)), 2.0 * bonus)
    cost[:, len(slots) :] = 0.0  # one "unmatched" column per mentee
    for i, mentee in enumerate(pool):
        for m in feasible[mentee]:
            cost[i, column[m]] = -(bonus + scores[mentee][m].total)
    rows, cols = linear_sum_assignment(cost)
    return {pool[i]: slots[j] for i, j in zip(rows, cols, strict=True) if j < len(slots)}


class Rules:
    """The hard constraints and soft criteria for one cohort, with what they need precomputed."""

    def __init__(self, cohort: Cohort, settings: Settings) -> None:
        self.cohort = cohort
        self.settings = settings
        self.people = cohort.people
        self.chains = {m: set(reporting_chain(m, cohort.people)) for m in cohort.mentees}
        countries = default_countries()
        self.offset: dict[str, float | None] = {
            pid: countries[p.country].utc_offset if p.country in countries else None
            for pid, p in cohort.people.items()
        }
        self.weights = {c: settings.weight(c) for c in CRITERIA}

    def blocking(self, mentor_id: str, mentee_id: str) -> str | None:
        """The first pair constraint this pair breaks, or None when it is possible."""
        for name in CONSTRAINTS:
            if not self.allows(name, mentor_id, mentee_id):
                return name
        return None

    def allows(self, name: str, mentor_id: str, mentee_id: str) -> bool:
        """Whether one pair constraint allows this pair."""
        mentor, mentee = self.people[mentor_id], self.people[mentee_id]
        if name == "language":
            return not set(mentor.languages).isdisjoint(mentee.languages)
        if name == "level":
            return LEVEL_RANK[mentor.level] > LEVEL_RANK[mentee.level]
        if name == "chain":
            return mentor_id not in self.chains.get(mentee_id, ())
        if name == "same_sex":
            return not mentee.same_sex_preference or mentor.sex == mentee.sex
        if name == "country":
            return self.settings.cross_country != "required" or mentor.country != mentee.country
        if name == "sector":
            return self.settings.cross_sector != "required" or not _same_sector(mentor, mentee)
        if name == "history":
            return (mentor_id, mentee_id) not in self.cohort.history
        return (mentor_id, mentee_id) not in self.cohort.forbidden

    def score(self, mentor_id: str, mentee_id: str) -> Score:
        """The pair's points on every criterion, and their sum."""
        mentor, mentee = self.offset[mentor_id], self.offset[mentee_id]
        hours_apart = None if mentor is None or mentee is None else mentor - mentee
        fits = criterion_fits(self.people[mentor_id], self.people[mentee_id], self.settings,
                              hours_apart)  # fmt: skip
        points = {c: round(self.weights[c] * fits[c], 4) for c in CRITERIA}
        return Score(mentor_id, mentee_id, points, round(sum(points.values()), 4))

    def unmatched(self, mentee_id: str, free: dict[str, int], feasible: list[str]) -> Unmatched:
        """Why a mentee got no proposal: the first constraint that leaves no mentor."""
        mentee = self.people[mentee_id]
        facts = {"file": ROSTER_FILE, "sheet": "People", "row": mentee.row,
                 "column": "person_id", "value": mentee_id}  # fmt: skip
        left = list(self.cohort.mentors)
        if not left:
            return Unmatched(mentee_id, "mentors", finding("MAT001", **facts))
        for name in (*CONSTRAINTS, "capacity"):
            if name == "capacity":
                survivors = [m for m in left if free[m] > 0]
            else:
                survivors = [m for m in left if self.allows(name, m, mentee_id)]
            if not survivors:
                detail = self._detail(name, mentee, left)
                code = UNMATCHED_CODES[name]
                return Unmatched(mentee_id, name, finding(code, detail=detail, **facts))
            left = survivors
        detail = _ids(feasible or left)
        return Unmatched(mentee_id, "taken", finding("MAT011", detail=detail, **facts))

    def _detail(self, name: str, mentee: Person, left: list[str]) -> str:
        if name == "language":
            return "speaks " + ", ".join(mentee.languages)
        if name == "level":
            return f"the mentee is {mentee.level}"
        if name == "same_sex":
            return mentee.sex
        if name == "country":
            return mentee.country
        if name == "sector":
            return mentee.sector or "no sector given"
        if name == "capacity":
            load, capacity = self.cohort.load, self.cohort.capacity
            return _ids([f"{m}: capacity {capacity[m]}, {_count(load[m], 'active pair')}"
                         for m in left], sep="; ")  # fmt: skip
        return _ids(left)


def criterion_fits(
    mentor: Person, mentee: Person, settings: Settings, hours_apart: float | None
) -> dict[str, float]:
    """Each criterion's fit in [0, 1] for a pair (before weights; excluded criteria are 0).

    Missing data never earns points: a criterion scores 0 when what it compares is blank on
    either side (no domains, no sector, no country, or a country whose time zone is unknown,
    ``hours_apart`` None).
    """
    goals = set(mentee.domains)
    domain_fit = len(goals & set(mentor.domains)) / len(goals) if goals else 0.0
    rank = mentee.preferred_mentors.index(mentor.person_id) if (
        mentor.person_id in mentee.preferred_mentors) else None  # fmt: skip
    preference = 0.0 if rank is None else (3 - rank) / 3
    gap = LEVEL_RANK[mentor.level] - LEVEL_RANK[mentee.level]
    level_gap = 1.0 / gap if gap >= 1 else 0.0
    timezone = (
        0.0 if hours_apart is None
        else max(0.0, WORKING_HOURS - abs(hours_apart)) / WORKING_HOURS
    )  # fmt: skip
    same = _same_sector(mentor, mentee)
    sector = float(not same) if settings.cross_sector != "any" else float(same)
    if not (mentor.sector.strip() and mentee.sector.strip()):
        sector = 0.0
    diverse = float(bool(mentor.country and mentee.country) and mentor.country != mentee.country)
    fits = {
        "domain_fit": domain_fit, "preference": preference, "level_gap": level_gap,
        "timezone": timezone, "sector": sector, "country_diversity": diverse,
    }  # fmt: skip
    for excluded in settings.not_applied():
        fits[excluded] = 0.0
    return fits


def fairness(cohort: Cohort, result: MatchResult) -> list[FairnessRow]:
    """Match rate of the pool by country, sex and level (groups sorted by name)."""
    score_of = {p.mentee_id: p.score.total for p in result.pairs}
    rows = []
    for dimension in ("country", "sex", "level"):
        groups: dict[str, list[str]] = {}
        for mentee in cohort.mentees:
            value = getattr(cohort.people[mentee], dimension) or "(not given)"
            groups.setdefault(value, []).append(mentee)
        for group in sorted(groups):
            members = groups[group]
            matched = [score_of[m] for m in members if m in score_of]
            mean = round(sum(matched) / len(matched), 2) if matched else None
            rows.append(FairnessRow(dimension, group, len(members), len(matched), mean))
    return rows


def _same_sector(mentor: Person, mentee: Person) -> bool:
    return bool(mentor.sector) and mentor.sector.casefold() == mentee.sector.casefold()


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _ids(ids: list[str], limit: int = 6, sep: str = ", ") -> str:
    shown = sep.join(ids[:limit])
    return shown + (f" and {len(ids) - limit} more" if len(ids) > limit else "")
