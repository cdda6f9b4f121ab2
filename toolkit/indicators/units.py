"""Each indicator's units: what is counted, for whom, in which period.

A unit is one pair's (or, for SATR, one mentor's) contribution to one indicator in one period:
a numerator and a denominator. Every figure of the reports is a sum of units, so a figure by
country, sex or level is the same sum over fewer units, and the parts add up to the total.
Competency units are summed per pair before they leave this module (a pair's milestones all
belong to the same mentee), which keeps the table small for large cohorts.

The rules follow the framework's indicator reference sheets (``mentorkit framework show``);
periods are the cycle quarters begun by the reference date (``Q1``..), the cycle months for SES
(``M1``..), and ``cumulative`` (cycle start to the reference date).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from collections.abc import Iterable, Iterator

from toolkit.indicators.inputs import IndicatorInputs, parse_date
from toolkit.indicators.periods import (
    Period,
    add_months,
    cycle_end,
    months_elapsed,
    quarter_of,
    quarters,
)
from toolkit.ledger import PairRecord, ValueKey

CUMULATIVE = "cumulative"
NOT_HELD = frozenset({"postponed", "mentee_absent", "mentor_absent"})
"""Attendance codes of a session that did not take place as a mentoring session."""
GOAL_MET = frozenset({"on_track", "achieved"})
AGREEMENT_DAYS = 30
"""AGR30: days from the match within which both partners sign."""
FREQ_GAP_DAYS = 42
"""FREQ: the longest gap between held sessions a pair may have (6 weeks)."""
ADV3_RISE, ADV3_DOMAINS = 0.5, 3
"""ADV3: a rise of 0.5 point in a domain's mean rating, in at least three domains."""
UNIT_COLUMNS = ["code", "period", "pair_id", "subject_id", "role", "numerator", "denominator"]

Key = tuple[str, str, str, str, str]
"""(code, period, pair_id, subject_id, role)."""


class _Units:
    """Numerators and denominators by unit, summed as they are added."""

    def __init__(self) -> None:
        self.sums: dict[Key, list[float]] = {}

    def add(self, code: str, periods: Iterable[str], pair: PairRecord, num: float, den: float,
            *, mentor: bool = False) -> None:  # fmt: skip
        subject, role = (pair.mentor_id, "mentor") if mentor else (pair.mentee_id, "mentee")
        sums = self.sums
        for period in periods:
            key = (code, period, pair.pair_id, subject, role)
            cell = sums.get(key)
            if cell is None:
                sums[key] = [num, den]
            else:
                cell[0] += num
                cell[1] += den

    def rows(self) -> list[tuple[str, str, str, str, str, float, float]]:
        """The units in the order they were first added (deterministic: pairs are sorted)."""
        return [(*key, num, den) for key, (num, den) in self.sums.items()]


class Cohort:
    """The snapshot arranged for counting: each pair's values by tool, and its time span."""

    def __init__(self, inputs: IndicatorInputs) -> None:
        self.inputs = inputs
        self.start = inputs.cycle_start
        self.periods: list[Period] = quarters(self.start, inputs.cycle_months, inputs.as_of)
        self.begun = len(self.periods)
        self.end = min(inputs.as_of, cycle_end(self.start, inputs.cycle_months))
        """The last day figures look at: the reference date, or the cycle's end."""
        self.pairs = sorted(inputs.pairs, key=lambda p: p.pair_id)
        self.tools: dict[str, dict[str, dict[str, dict[str, str]]]] = {}
        for pid, values in inputs.values.items():
            self.tools[pid] = _by_tool(values)
        self.spans = self._spans()

    def rows(self, pair: PairRecord, tool: str) -> dict[str, dict[str, str]]:
        """The pair's rows of one tool: row key → field → value (non-empty values only)."""
        return self.tools.get(pair.pair_id, {}).get(tool, {})

    def _spans(self) -> dict[str, tuple[int, int]]:
        """For each pair that plans sessions, the cycle months it covers: (first, until).

        ``first`` is the number of cycle months completed when the pair was matched, so the
        month it was matched counts; ``until`` the number completed by the end of the reference
        date or, for an ended pair, before its end. An ended pair with no recorded end is left
        out.
        """
        i, out = self.inputs, {}
        after = i.as_of + dt.timedelta(days=1)
        for p in self.pairs:
            if p.status == "ended" and p.pair_id not in i.ended_on:
                continue
            until = min(after, i.ended_on.get(p.pair_id, after))
            out[p.pair_id] = (
                months_elapsed(self.start, i.matched_on(p), i.cycle_months),
                months_elapsed(self.start, until, i.cycle_months),
            )
        return out

    def due_quarters(self, pair: PairRecord) -> Iterator[Period]:
        """Ended quarters the pair was active through: it existed before the quarter ended
        and had not ended by then."""
        span = self.spans.get(pair.pair_id)
        if span is None:
            return
        first, until = span
        for period in self.periods:
            months = min(3 * period.number, self.inputs.cycle_months)
            if period.complete and first < months <= until:
                yield period

    def active_at(self, pair: PairRecord, day: dt.date) -> bool:
        """Matched by ``day`` and not ended by then."""
        ended = self.inputs.ended_on.get(pair.pair_id)
        if pair.status == "ended" and ended is None:
            return False
        return self.inputs.matched_on(pair) <= day and (ended is None or ended > day)

    def period_end(self, period: Period | None) -> dt.date:
        """The last day a period's figures look at: its end, or the reference date (never
        after the cycle's end)."""
        if period is None or not period.complete:
            return self.end
        return min(period.end, self.end)


def compute_units(inputs: IndicatorInputs) -> list[tuple[str, str, str, str, str, float, float]]:
    """Every unit of every indicator, as rows of :data:`UNIT_COLUMNS`, in a fixed order."""
    cohort, units = Cohort(inputs), _Units()
    for count in (_agreements, _sessions, _frequency, _reflections, _returns, _endings,
                  _competencies, _ratings):  # fmt: skip
        count(cohort, units)
    return units.rows()


def _held(row: dict[str, str]) -> bool:
    return bool(row.get("session_date")) and row.get("attendance", "") not in NOT_HELD


def _agreements(c: Cohort, units: _Units) -> None:
    """AGR30: pairs whose 30 days from the match ended in the period; signed in time."""
    for p in c.pairs:
        deadline = c.inputs.matched_on(p) + dt.timedelta(days=AGREEMENT_DAYS)
        if deadline > c.inputs.as_of:
            continue
        form = c.rows(p, "agreement").get("", {})
        dates = [parse_date(form.get(f)) for f in ("mentor_signed_on", "mentee_signed_on")]
        signed = (
            bool(form.get("mentor_signature"))
            and bool(form.get("mentee_signature"))
            and None not in dates
            and max(d for d in dates if d is not None) <= deadline
        )
        quarter = f"Q{max(1, quarter_of(c.start, deadline))}"
        periods = [CUMULATIVE] + ([quarter] if int(quarter[1:]) <= c.begun else [])
        units.add("AGR30", periods, p, float(signed), 1.0)


def _sessions(c: Cohort, units: _Units) -> None:
    """SES: one session planned for each cycle month completed while the pair was active."""
    for p in c.pairs:
        if p.pair_id not in c.spans:
            continue
        first, until = c.spans[p.pair_id]
        log = c.rows(p, "sessions")
        for month in range(first + 1, until + 1):
            held = _held(log.get(str(month), {}))
            periods = (f"M{month}", f"Q{(month - 1) // 3 + 1}", CUMULATIVE)
            units.add("SES", periods, p, float(held), 1.0)


def _frequency(c: Cohort, units: _Units) -> None:
    """FREQ: pairs active at the period's end whose longest gap between held sessions is at
    most 42 days. The gaps run from the cycle start (or the match) through each held session
    to the period's end; a quarter judges the gaps that end within it, so a pair that once
    went quiet is not held against in every later quarter."""
    held = {
        p.pair_id: sorted(
            d
            for row in c.rows(p, "sessions").values()
            if _held(row) and (d := parse_date(row["session_date"]))
        )
        for p in c.pairs
    }
    for period in [*c.periods, None]:
        end = c.period_end(period)
        code = period.code if period else CUMULATIVE
        for p in c.pairs:
            if not c.active_at(p, end):
                continue
            begin = max(c.start, c.inputs.matched_on(p))
            if end < begin:  # before the cycle (or the match): no gap to judge yet
                continue
            points = [begin, *(d for d in held[p.pair_id] if begin <= d <= end), end]
            since = period.start if period else begin
            gap = max((b - a).days for a, b in itertools.pairwise(points) if b >= since)
            units.add("FREQ", [code], p, float(gap <= FREQ_GAP_DAYS), 1.0)


def _reflections(c: Cohort, units: _Units) -> None:
    """REF and SPR: each ended quarter the pair was active through."""
    for p in c.pairs:
        rows = c.rows(p, "reflection")
        for period in c.due_quarters(p):
            row = rows.get(period.code, {})
            mentee = bool(row.get("mentee_progress") or row.get("mentee_satisfaction"))
            mentor = bool(row.get("mentor_observations") or row.get("mentor_satisfaction"))
            periods = (period.code, CUMULATIVE)
            units.add("REF", periods, p, float(mentee and mentor), 1.0)
            units.add("SPR", periods, p, float(row.get("sprint_deliverable") == "yes"), 1.0)


def sent_on(saved_at: str, received_at: str) -> dt.date | None:
    """The day a return was sent: the earlier of the day its sender saved it and the day it
    was synced (a coordinator who syncs late does not make a pair late)."""
    days = [d for d in (parse_date(saved_at), parse_date(received_at)) if d is not None]
    return min(days) if days else None


def return_window(period: Period, deadline_days: int) -> tuple[dt.date, dt.date]:
    """When a quarter's workbook counts as returned on time: from the first day of the
    quarter's last month (when its reflection is filled) to the deadline. Windows of
    successive quarters never overlap, so one return counts for one quarter at most."""
    first = max(period.start, add_months(period.end + dt.timedelta(days=1), -1))
    return first, period.end + dt.timedelta(days=deadline_days)


def _returns(c: Cohort, units: _Units) -> None:
    """RET: pair-quarters whose return deadline has passed; an accepted workbook sent inside
    the quarter's return window."""
    sent: dict[str, list[dt.date]] = defaultdict(list)
    for s in c.inputs.submissions:
        day = sent_on(s.saved_at, s.received_at)
        if s.status == "accepted" and s.pair_id and day:
            sent[s.pair_id].append(day)
    for p in c.pairs:
        for period in c.due_quarters(p):
            first, deadline = return_window(period, c.inputs.return_deadline_days)
            if deadline >= c.inputs.as_of:
                continue
            on_time = any(first <= d <= deadline for d in sent[p.pair_id])
            units.add("RET", (period.code, CUMULATIVE), p, float(on_time), 1.0)


def _endings(c: Cohort, units: _Units) -> None:
    """REM and END over the cycle's original pairs (a mentee's first pair).

    REM: original pairs ended whose mentee has a later pair. END: original pairs ended before
    the cycle end with no later pair (a ``mentee-left`` ending is such a departure). A quarter
    counts the endings in it, against the original pairs matched by its end.
    """
    i = c.inputs
    made = sorted(i.pairs, key=lambda p: (p.created_at, len(p.pair_id), p.pair_id))
    first: dict[str, PairRecord] = {}
    for p in made:
        first.setdefault(p.mentee_id, p)
    replaced = {p.mentee_id for p in made if first[p.mentee_id] is not p}
    for p in sorted(first.values(), key=lambda p: p.pair_id):
        ended = p.status == "ended"
        end = i.ended_on.get(p.pair_id)
        rematched = ended and p.mentee_id in replaced
        early = (
            ended
            and p.mentee_id not in replaced
            and (end is None or months_elapsed(c.start, end, i.cycle_months) < i.cycle_months)
        )
        for period in [*c.periods, None]:
            if i.matched_on(p) > c.period_end(period):
                continue
            inside = period is None or (end is not None and period.start <= end <= period.end)
            code = period.code if period else CUMULATIVE
            units.add("REM", [code], p, float(rematched and inside), 1.0)
            units.add("END", [code], p, float(early and inside), 1.0)


def rating(text: str | None) -> int | None:
    """A rating typed as a code ('3', '3.0'); None when it is not a number."""
    try:
        return int(float(str(text)))
    except (TypeError, ValueError):
        return None


def _competencies(c: Cohort, units: _Units) -> None:
    """COMP (and COMP by domain), MIL, EVID and ADV3 from the active pairs' Competencies.

    For a quarter, a milestone's latest rating is the last one given up to that quarter, and
    only pairs that gave a rating in that quarter count (a quarter nobody rated stays empty
    instead of repeating the previous one); for the cumulative figure, the last rating given
    in a quarter begun by the reference date.
    """
    fw = c.inputs.framework
    domain_of = {m.code: m.domain for m in fw.milestones}
    achieved = fw.achieved_threshold
    periods = [(p.code, p.number) for p in c.periods] + [(CUMULATIVE, c.begun)]
    for p in c.pairs:
        if p.status != "active":
            continue
        # Each milestone once: its domain, baseline, evidence and latest rating by quarter.
        milestones = []
        rows = c.rows(p, "competencies")
        for milestone, row in rows.items():
            domain = domain_of.get(milestone)
            if domain is None:
                continue
            by_quarter: list[int | None] = [None]
            for q in range(1, c.begun + 1):
                given = rating(row.get(f"q{q}"))
                by_quarter.append(given if given is not None else by_quarter[-1])
            baseline = rating(row.get("baseline"))
            milestones.append((domain, baseline, bool(row.get("evidence")), by_quarter))
        if not milestones:
            continue
        rated = {q for q in range(1, c.begun + 1) if any(f"q{q}" in r for r in rows.values())}
        for code, last_q in periods:
            if code != CUMULATIVE and last_q not in rated:
                continue  # no rating this quarter: nothing new to report for the pair
            by_domain: dict[str, list[float]] = {}  # domain → [milestones, baseline, latest]
            mil = [0.0, 0.0]
            evid = [0.0, 0.0]
            for domain, baseline, evidence, by_quarter in milestones:
                latest = by_quarter[last_q]
                if latest is None:
                    continue
                mil[1] += 1
                if latest >= achieved:
                    mil[0] += 1
                    evid[1] += 1
                    evid[0] += evidence
                if baseline is not None:
                    sums = by_domain.setdefault(domain, [0.0, 0.0, 0.0])
                    sums[0] += 1
                    sums[1] += baseline
                    sums[2] += latest
            points = count = risen = 0.0
            for domain in sorted(by_domain):
                n, before, after = by_domain[domain]
                units.add(f"COMP-{domain}", [code], p, after - before, n)
                points, count = points + after - before, count + n
                risen += (after - before) / n >= ADV3_RISE
            if by_domain:
                units.add("COMP", [code], p, points, count)
            units.add("MIL", [code], p, mil[0], mil[1])
            units.add("EVID", [code], p, evid[0], evid[1])
            if len(by_domain) >= ADV3_DOMAINS:
                units.add("ADV3", [code], p, float(risen >= ADV3_DOMAINS), 1.0)


def _ratings(c: Cohort, units: _Units) -> None:
    """SATE, SATR (by the mentor) and GOAL from each begun quarter's Reflection row."""
    for p in c.pairs:
        rows = c.rows(p, "reflection")
        for period in c.periods:
            row = rows.get(period.code, {})
            periods = (period.code, CUMULATIVE)
            for code, field, mentor in (("SATE", "mentee_satisfaction", False),
                                        ("SATR", "mentor_satisfaction", True)):  # fmt: skip
                score = rating(row.get(field))
                if score is not None and 1 <= score <= 5:
                    units.add(code, periods, p, float(score), 1.0, mentor=mentor)
            if row.get("goals_status"):
                units.add("GOAL", periods, p, float(row["goals_status"] in GOAL_MET), 1.0)


def _by_tool(values: dict[ValueKey, str]) -> dict[str, dict[str, dict[str, str]]]:
    out: dict[str, dict[str, dict[str, str]]] = {}
    for (tool, row_key, field), value in values.items():
        if value != "":
            out.setdefault(tool, {}).setdefault(row_key, {})[field] = value
    return out
