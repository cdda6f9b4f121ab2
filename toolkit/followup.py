"""The follow-up list: which pairs need action, who owns it, and by when.

:func:`follow_up_items` reads the ledger and applies six rules to every *active* pair (a pair
with a recorded ending is never listed). Each rule has a stable code:

=====================  ==================================================================
``SESSION-GAP``        no session held for more than ``monitoring.session_gap_days`` days.
                       A session is held when it has a date (on or before the reference
                       date) and its attendance is not postponed, mentee absent or mentor
                       absent. Counted from the last held session, or from the pair's
                       creation when it has held none.
``NOT-RETURNED``       the latest cycle quarter whose return deadline (quarter end +
                       ``monitoring.return_deadline_days``) has passed, for which no
                       accepted return of the pair has been received since the quarter
                       began. A late return settles it: the list is for action, and the
                       lateness stays visible in the on-time return indicator. Only quarters
                       that ended after the pair was created count.
``LOW-SATISFACTION``   the mentee's or the mentor's satisfaction is 2 or less in the latest
                       quarter in which that partner gave one.
``SUPPORT-REQUESTED``  the mentee answered yes to "I need support from the coordinator" in
                       the latest quarter with an answer (a later "no" closes it).
``AGREEMENT-UNSIGNED`` 30 days after the pair was created, the agreement still lacks one of
                       the two signatures or the two dates.
``OPEN-CONFLICT``      both copies of the workbook changed a value differently (``sync``
                       recorded a conflict), and the pair has not settled it yet. It is
                       settled by an accepted return of the pair, arrived after both
                       conflicting files, that holds the value now current and either brought
                       that value itself (the pair typed the right value again, as the
                       coordinator asks) or is another copy than the one that brought it (the
                       other side took it over, or a refreshed revision carried it to both).
                       The copy that brought the current value sending it again settles
                       nothing: the other side may still hold its own.
=====================  ==================================================================

One item per pair and rule. Its *since* is the day the rule's threshold was reached: the day
the session gap reached its limit, the return deadline, the day the value arrived (satisfaction,
support), the pair's creation + 30 days, the arrival of the later conflicting file. So every
item is one day open on the first day it is listed (or 0 days, for what arrives with a file).

The escalation ladder (``framework.governance.escalation``) gives each level a number of days
to resolve or escalate, counted one level after the other: with limits of 7, 10, 15 and 20
days, an item is at level 1 while open for 7 days or less, at level 2 from day 8 to day 17, at
level 3 to day 32, and at level 4 after. Its *due by* date is the end of its current level's
time (since + the limits up to and including that level); past the last level's, it stays at
the last level and is *overdue*.

Facts hold numbers, dates and the workbook's own labels only, never anything a pair typed and
never a name, so the same list can go into the anonymous report with pair codes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from toolkit.contract import Contract, load_contract
from toolkit.framework import Framework
from toolkit.framework_parts import EscalationLevel
from toolkit.indicators.inputs import parse_date
from toolkit.indicators.periods import Period, cycle_end, quarter_bounds
from toolkit.indicators.units import AGREEMENT_DAYS, NOT_HELD, return_window
from toolkit.ledger import Ledger, MatchingStore, PairRecord, SubmissionRecord, ValueKey
from toolkit.programme import Programme
from toolkit.report_text import report_text
from toolkit.text import tr

SESSION_GAP = "SESSION-GAP"
NOT_RETURNED = "NOT-RETURNED"
LOW_SATISFACTION = "LOW-SATISFACTION"
SUPPORT_REQUESTED = "SUPPORT-REQUESTED"
AGREEMENT_UNSIGNED = "AGREEMENT-UNSIGNED"
OPEN_CONFLICT = "OPEN-CONFLICT"
RULES: tuple[str, ...] = (
    SESSION_GAP, NOT_RETURNED, LOW_SATISFACTION, SUPPORT_REQUESTED, AGREEMENT_UNSIGNED,
    OPEN_CONFLICT,
)  # fmt: skip
"""Every rule code, in the order the list and its counts use."""

LOW_SATISFACTION_LIMIT = 2
"""A satisfaction of this or less (on the 1 to 5 scale) is followed up."""
SIGNATURE_FIELDS = ("mentor_signature", "mentor_signed_on", "mentee_signature", "mentee_signed_on")
PARTNERS = ("mentee", "mentor")
_AREA = "followup"

Source = tuple[str, str, str, int]
"""A current value with its saved-at time, sender and submission id (``current_sources``)."""
Sources = dict[ValueKey, Source]


@dataclass(frozen=True)
class FollowUpItem:
    """One pair that needs action under one rule, placed on the escalation ladder.

    ``wording``, ``facts``, ``owner`` and ``action`` are in the language asked; ``facts``
    holds numbers, dates and workbook labels only. ``days_open`` counts from ``since`` to the
    reference date; ``level`` and ``owner_role`` are the ladder's level and its role code;
    ``due_by`` ends the level's time; ``overdue`` is past the last level's time.
    """

    pair_id: str
    rule: str
    wording: str
    facts: str
    since: dt.date
    days_open: int
    level: int
    owner_role: str
    owner: str
    action: str
    due_by: dt.date
    overdue: bool
    last_level: bool


@dataclass(frozen=True)
class _Found:
    """What a rule found for one pair, before the ladder places it."""

    pair_id: str
    rule: str
    facts: str
    since: dt.date


def follow_up_items(
    ledger: Ledger,
    programme: Programme,
    framework: Framework,
    as_of: dt.date,
    *,
    lang: str = "en",
) -> list[FollowUpItem]:
    """Every follow-up item as of ``as_of``, texts in ``lang``, most overdue first (then by
    pair and rule). Nothing dated after ``as_of`` is counted (sessions, returns, values)."""
    reader = _Reader(ledger, programme, framework, as_of, lang)
    found: list[_Found] = []
    for pair in reader.active_pairs():
        found += reader.pair_items(pair)
    found += reader.conflict_items()
    found = [f for f in found if f.since <= as_of]
    items = [_place(f, framework, programme, as_of, lang) for f in found]
    return sorted(items, key=lambda i: (-i.days_open, i.pair_id, RULES.index(i.rule)))


def count_by_rule(items: Iterable[FollowUpItem]) -> dict[str, int]:
    """How many items each rule has (every rule present, 0 included), in :data:`RULES` order."""
    counts = dict.fromkeys(RULES, 0)
    for item in items:
        counts[item.rule] += 1
    return counts


def rule_wording(rule: str, programme: Programme, lang: str) -> str:
    """A rule as a sentence in ``lang``, with the programme's thresholds."""
    days = {
        SESSION_GAP: programme.monitoring.session_gap_days,
        NOT_RETURNED: programme.monitoring.return_deadline_days,
        AGREEMENT_UNSIGNED: AGREEMENT_DAYS,
    }
    key = "rule_" + rule.lower().replace("-", "_")
    return _t(key, lang, days=days.get(rule, 0), limit=LOW_SATISFACTION_LIMIT)


COORDINATOR_FIRST = frozenset({SUPPORT_REQUESTED, OPEN_CONFLICT})
"""Rules that start at the coordinator's rung of the ladder: the mentee asked the coordinator
for support (confidentially), or two copies disagree (the coordinator's data to settle)."""


def ladder_position(
    ladder: list[EscalationLevel], days_open: int, start: str | None = None
) -> tuple[EscalationLevel, int, bool]:
    """The level an item open ``days_open`` days is at, the days from its since date to the
    end of that level's time, and whether it is past the last level's time (overdue).

    With ``start`` (a role code), the item starts at the first rung that role handles."""
    steps = sorted(ladder, key=lambda e: e.level)
    if start is not None:
        first = next((i for i, e in enumerate(steps) if e.who == start), 0)
        steps = steps[first:]
    end = 0
    for step in steps:
        end += step.time_limit_days
        if days_open <= end:
            return step, end, False
    return steps[-1], end, True


# --- private ---------------------------------------------------------------------------------


def _t(key: str, lang: str, **facts: object) -> str:
    return report_text(_AREA, key, lang, **facts)


def _place(
    found: _Found, framework: Framework, programme: Programme, as_of: dt.date, lang: str
) -> FollowUpItem:
    days_open = (as_of - found.since).days
    ladder = framework.governance.escalation
    start = "coordinator" if found.rule in COORDINATOR_FIRST else None
    step, end, overdue = ladder_position(ladder, days_open, start)
    return FollowUpItem(
        pair_id=found.pair_id,
        rule=found.rule,
        wording=rule_wording(found.rule, programme, lang),
        facts=found.facts,
        since=found.since,
        days_open=days_open,
        level=step.level,
        owner_role=step.who,
        owner=tr(framework.role(step.who).name, lang),
        action=tr(step.action, lang),
        due_by=found.since + dt.timedelta(days=end),
        overdue=overdue,
        last_level=step.level == max(e.level for e in ladder),
    )


def _quarter_number(row_key: str) -> int | None:
    return int(row_key[1:]) if row_key[:1] == "Q" and row_key[1:].isdigit() else None


class _Reader:
    """The ledger as the rules need it, read once."""

    def __init__(
        self,
        ledger: Ledger,
        programme: Programme,
        framework: Framework,
        as_of: dt.date,
        lang: str,
    ) -> None:
        self.ledger = ledger
        self.programme = programme
        self.framework = framework
        self.as_of = as_of
        self.lang = lang
        self._sources: dict[str, Sources] = {}
        self._active: list[PairRecord] | None = None
        self.submissions = {s.submission_id: s for s in ledger.submissions()}
        self.received: dict[str, list[str]] = {}  # when each pair's accepted returns came
        for s in self.submissions.values():
            if s.pair_id and s.status == "accepted":
                self.received.setdefault(s.pair_id, []).append(s.received_at)
        # Timestamps are ISO 8601 in UTC: anything before the next day is "by as_of".
        self.until = (as_of + dt.timedelta(days=1)).isoformat()
        # When each ended pair ended: a pair that ended after the reference date was active.
        self.ended_on = {e.pair_id: e.ended_on[:10] for e in MatchingStore(ledger).endings()}

    def active_pairs(self) -> list[PairRecord]:
        """Pairs not ended, created by the reference date (read once)."""
        if self._active is None:
            self._active = [
                p
                for p in self.ledger.pairs()
                if (
                    self.ended_on[p.pair_id] > self.as_of.isoformat()
                    if p.pair_id in self.ended_on
                    else p.status == "active"
                )
                and (parse_date(p.created_at) or self.as_of) <= self.as_of
            ]
        return self._active

    def pair_items(self, pair: PairRecord) -> list[_Found]:
        """What the five per-pair rules find for one pair."""
        sources = self.sources(pair.pair_id)
        values = {key: source[0] for key, source in sources.items()}
        created = parse_date(pair.created_at) or self.as_of
        found = [
            self._session_gap(pair.pair_id, values, created),
            self._not_returned(pair.pair_id, created),
            self._low_satisfaction(pair.pair_id, values, sources),
            self._support_requested(pair.pair_id, values, sources),
            self._agreement_unsigned(pair.pair_id, values, created),
        ]
        return [f for f in found if f is not None]

    # --- one method per rule -------------------------------------------------------------

    def _session_gap(
        self, pair_id: str, values: dict[ValueKey, str], created: dt.date
    ) -> _Found | None:
        gap_days = self.programme.monitoring.session_gap_days
        cycle = self.programme.cycle
        if self.as_of > cycle_end(cycle.start_date, cycle.months):
            return None  # the cycle is over: no more monthly sessions are due
        rows: dict[str, dict[str, str]] = {}
        for (tool, row_key, field), value in values.items():
            if tool == "sessions":
                rows.setdefault(row_key, {})[field] = value
        held = [
            day
            for row in rows.values()
            if row.get("attendance", "") not in NOT_HELD
            and (day := parse_date(row.get("session_date", ""))) is not None
            and day <= self.as_of
        ]
        last = max(held, default=None)
        reference = last or created
        gap = (self.as_of - reference).days
        if gap <= gap_days:
            return None
        key = "fact_session_gap" if last else "fact_no_session"
        facts = _t(key, self.lang, days=gap, date=reference.isoformat())
        return _Found(pair_id, SESSION_GAP, facts, reference + dt.timedelta(days=gap_days))

    def _not_returned(self, pair_id: str, created: dt.date) -> _Found | None:
        cycle = self.programme.cycle
        deadline_days = self.programme.monitoring.return_deadline_days
        latest = None
        for q in range(1, (cycle.months + 2) // 3 + 1):
            start, last = quarter_bounds(cycle.start_date, cycle.months, q)
            # The same window as the RET indicator: the quarter's last month to its deadline
            # (a return after the deadline still closes the item).
            first, deadline = return_window(Period(f"Q{q}", start, last, True), deadline_days)
            if last >= created and deadline < self.as_of:
                latest = (q, first, deadline)
        if latest is None:
            return None
        q, first, deadline = latest
        since = first.isoformat()
        if any(since <= at < self.until for at in self.received.get(pair_id, [])):
            return None
        received = [at for at in self.received.get(pair_id, []) if at < self.until]
        facts = _t(
            "fact_not_returned" if received else "fact_never_returned", self.lang,
            quarter=self._quarter(q), date=deadline.isoformat(),
            start=(first if received else created).isoformat(),
        )  # fmt: skip
        return _Found(pair_id, NOT_RETURNED, facts, deadline)

    def _low_satisfaction(
        self, pair_id: str, values: dict[ValueKey, str], sources: Sources
    ) -> _Found | None:
        facts, since = [], []
        for partner in PARTNERS:
            latest = self._latest_answer(values, f"{partner}_satisfaction")
            if latest is None:
                continue
            q, key, value = latest
            if not value.isdigit() or int(value) > LOW_SATISFACTION_LIMIT:
                continue
            arrived = self._arrival(sources, key)
            if arrived is None:
                continue
            since.append(arrived)
            facts.append(
                _t(
                    "fact_satisfaction", self.lang,
                    role=tr(self.framework.role(partner).name, self.lang),
                    value=int(value), quarter=self._quarter(q), date=arrived.isoformat(),
                )
            )  # fmt: skip
        if not facts:
            return None
        return _Found(pair_id, LOW_SATISFACTION, "; ".join(facts), min(since))

    def _support_requested(
        self, pair_id: str, values: dict[ValueKey, str], sources: Sources
    ) -> _Found | None:
        latest = self._latest_answer(values, "support_needed")
        if latest is None or latest[2] != "yes":
            return None
        q, key, _ = latest
        arrived = self._arrival(sources, key)
        if arrived is None:
            return None
        facts = _t("fact_support", self.lang, quarter=self._quarter(q), date=arrived.isoformat())
        return _Found(pair_id, SUPPORT_REQUESTED, facts, arrived)

    def _agreement_unsigned(
        self, pair_id: str, values: dict[ValueKey, str], created: dt.date
    ) -> _Found | None:
        missing = [f for f in SIGNATURE_FIELDS if not values.get(("agreement", "", f), "").strip()]
        days = (self.as_of - created).days
        if not missing or days <= AGREEMENT_DAYS:
            return None
        facts = _t(
            "fact_unsigned", self.lang, days=days, date=created.isoformat(),
            missing=", ".join(_t(f"missing_{f}", self.lang) for f in missing),
        )  # fmt: skip
        return _Found(pair_id, AGREEMENT_UNSIGNED, facts, created + dt.timedelta(AGREEMENT_DAYS))

    def conflict_items(self) -> list[_Found]:
        """One item per active pair with conflicts not yet settled (see the module's rules)."""
        active = {p.pair_id for p in self.active_pairs()}
        open_by_pair: dict[str, list[tuple[str, str, str, str]]] = {}
        for pair_id, tool, row_key, field, received_at in self._open_conflicts():
            if pair_id in active:
                open_by_pair.setdefault(pair_id, []).append((tool, row_key, field, received_at))
        contract = load_contract(self.framework)
        out = []
        for pair_id, rows in sorted(open_by_pair.items()):
            first = min(parse_date(r[3]) or self.as_of for r in rows)
            fields = sorted({(t, r, f) for t, r, f, _ in rows})
            facts = _t(
                "fact_conflict", self.lang, count=len(fields), date=first.isoformat(),
                fields="; ".join(_field_place(contract, key, self.lang) for key in fields),
            )  # fmt: skip
            out.append(_Found(pair_id, OPEN_CONFLICT, facts, first))
        return out

    # --- helpers -------------------------------------------------------------------------

    def _open_conflicts(self) -> list[tuple[str, str, str, str, str]]:
        """(pair, tool, row, field, received at) of every conflict recorded by the reference
        date that the pair has not settled (see the module's rules)."""
        rows = self.ledger.conn.execute(
            "SELECT c.pair_id, c.tool, c.row_key, c.field, s.received_at, "
            "c.submission_id, c.other_submission_id "
            "FROM conflicts c JOIN submissions s ON s.submission_id = c.submission_id "
            "WHERE s.received_at < ? ORDER BY c.conflict_id",
            (self.until,),
        ).fetchall()
        out = []
        for pair_id, tool, row_key, field, received_at, one, other in rows:
            after = max(one, other)
            key = (tool, row_key, field)
            current = self.sources(pair_id).get(key)
            if current is None or not self._settled(pair_id, key, after, current):
                out.append((pair_id, tool, row_key, field, received_at))
        return out

    def _settled(self, pair_id: str, key: ValueKey, after: int, current: Source) -> bool:
        """Whether a return of the pair accepted after submission ``after`` settles a conflict
        on ``key``: it holds the current value, and either brought it itself (the pair typed
        it again) or is another copy than the one that brought it (the other side took it)."""
        value, _, _, source_id = current
        source = self.submissions.get(source_id)
        later = self.ledger.conn.execute(
            "SELECT l.submission_id, l.returned_by, l.revision FROM submissions l "
            "JOIN snapshots n ON n.submission_id = l.submission_id "
            "WHERE l.pair_id = ? AND l.status = 'accepted' AND l.submission_id > ? "
            "AND l.received_at < ? AND n.tool = ? AND n.row_key = ? AND n.field = ? "
            "AND n.value = ?",
            (pair_id, after, self.until, *key, value),
        )
        for submission_id, returned_by, revision in later:
            if source is None or submission_id == source.submission_id:
                return True
            if (returned_by, revision) != (source.returned_by, source.revision):
                return True
        return False

    def sources(self, pair_id: str) -> Sources:
        """The pair's current values with the submission each came in (read once)."""
        if pair_id not in self._sources:
            self._sources[pair_id] = self.ledger.current_sources(pair_id, self.until)
        return self._sources[pair_id]

    def _latest_answer(
        self, values: dict[ValueKey, str], field: str
    ) -> tuple[int, ValueKey, str] | None:
        """(quarter, key, value) of the latest quarter whose reflection answers ``field``."""
        answers = [
            (q, key, value.strip())
            for key, value in values.items()
            if key[0] == "reflection" and key[2] == field and value.strip()
            and (q := _quarter_number(key[1])) is not None
        ]  # fmt: skip
        return max(answers, default=None)

    def _arrival(self, sources: Sources, key: ValueKey) -> dt.date | None:
        """The day the current value of ``key`` arrived (its submission's received_at)."""
        source = sources.get(key)
        submission: SubmissionRecord | None = self.submissions.get(source[3]) if source else None
        return parse_date(submission.received_at) if submission else None

    def _quarter(self, q: int) -> str:
        return _t("quarter", self.lang, n=q)


def _field_place(contract: Contract, key: ValueKey, lang: str) -> str:
    """Where a value is in the workbook, in the workbook's own labels (never its value)."""
    tool_code, row_key, field_code = key
    try:
        tool = contract.tool(tool_code)
        sheet, column = tr(tool.title, lang), tr(tool.field(field_code).label, lang)
    except StopIteration:  # a tool or field of an older contract: its codes
        sheet, column = tool_code, field_code
    if not row_key:
        return _t("conflict_field_form", lang, sheet=sheet, column=column)
    return _t("conflict_field", lang, sheet=sheet, row=row_key, column=column)
