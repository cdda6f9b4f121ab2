"""The matching engine: hard constraints never broken, the optimum found, same input same
output, scores that add up, and a reason for every unmatched mentee."""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.matching_data import generate_people, violations
from toolkit.countries import default_countries
from toolkit.endings import REASONS
from toolkit.framework import load_framework
from toolkit.matching import (
    Decision,
    ExistingPair,
    Settings,
    criterion_fits,
    plan_cohort,
    propose,
)
from toolkit.programme import CRITERIA
from toolkit.roster import Person, Roster

WEIGHTS = load_framework().matching_weights()


def person(pid: str, role: str, **kw: object) -> Person:
    base = dict(
        person_id=pid, name=pid, email=f"{pid}@x.org", role=role, country="KE", office="",
        sector="Health", level="senior" if role == "mentor" else "junior", languages=("en",),
        sex="female", line_manager_id="", domains=("data",),
    )  # fmt: skip
    return Person(**(base | kw))  # type: ignore[arg-type]


def run(people: list[Person], existing=(), decisions=(), rematch=False, **setting):
    config = Settings(weights=WEIGHTS, **setting)
    roster = Roster(people={p.person_id: p for p in people})
    cohort = plan_cohort(roster, existing, config, decisions, rematch=rematch)
    return propose(cohort, config)


# --- why a mentee is unmatched: the first constraint that leaves no mentor ---------------------

E = "E1"
UNMATCHED_CASES = [
    ("MAT001", [person(E, "mentee")], {}),
    ("MAT002", [person("M1", "mentor", languages=("fr",)), person(E, "mentee")], {}),
    ("MAT003", [person("M1", "mentor", level="junior"), person(E, "mentee")], {}),
    ("MAT004", [person("M1", "mentor"), person(E, "mentee", line_manager_id="M1")], {}),
    ("MAT005", [person("M1", "mentor", sex="male"),
                person(E, "mentee", same_sex_preference=True)], {}),
    ("MAT006", [person("M1", "mentor"), person(E, "mentee")], {"cross_country": "required"}),
    ("MAT007", [person("M1", "mentor"), person(E, "mentee")], {"cross_sector": "required"}),
    ("MAT010", [person("M1", "mentor", capacity=0), person(E, "mentee")], {}),
]  # fmt: skip


@pytest.mark.parametrize(("code", "people", "setting"), UNMATCHED_CASES)
def test_each_unmatched_mentee_gets_the_blocking_constraint(code, people, setting) -> None:
    result = run(people, **setting)
    assert result.pairs == []
    assert [(u.mentee_id, u.reason.code) for u in result.unmatched] == [(E, code)]
    assert result.unmatched[0].reason.row == 0 and result.unmatched[0].reason.value == E


def test_reporting_chain_goes_all_the_way_up() -> None:
    people = [person("M1", "mentor"), person("M2", "mentor", line_manager_id="M1"),
              person("X", "mentor", level="mid", line_manager_id="M2"),
              person(E, "mentee", line_manager_id="X")]  # fmt: skip
    result = run(people)
    assert [u.reason.code for u in result.unmatched] == ["MAT004"]


def test_earlier_pair_forbid_and_competition_reasons() -> None:
    people = [person("M1", "mentor", capacity=1), person(E, "mentee"), person("E2", "mentee")]
    earlier = [ExistingPair("M1", E, active=False)]
    result = run(people, earlier, rematch=True)
    assert [(u.mentee_id, u.reason.code) for u in result.unmatched] == [(E, "MAT008")]
    forbid = [Decision("M1", E, forbid=True)]
    result = run(people, (), forbid)
    assert [(u.mentee_id, u.reason.code) for u in result.unmatched] == [(E, "MAT009")]
    result = run([*people, person("E3", "mentee")])
    assert [u.reason.code for u in result.unmatched] == ["MAT011", "MAT011"]


def test_most_mentees_matched_before_highest_score() -> None:
    # E1 can only take M1; E2 fits M1 far better than M2. Matching both beats E2-M1 alone.
    people = [
        person("M1", "mentor", capacity=1, domains=("data", "strategy")),
        person("M2", "mentor", capacity=1, languages=("en", "fr"), domains=("leadership",)),
        person("E1", "mentee", languages=("en",)),
        person("E2", "mentee", languages=("fr", "en"), domains=("data", "strategy"),
               preferred_mentors=("M1",)),
    ]  # fmt: skip
    people[1] = replace(people[1], sector="WASH")
    people[2] = replace(people[2], line_manager_id="M2")
    result = run(people)
    assert [(p.mentor_id, p.mentee_id) for p in result.pairs] == [("M1", "E1"), ("M2", "E2")]


def test_locks_come_first_and_bad_locks_are_reported() -> None:
    people = [person("M1", "mentor", capacity=1), person("M2", "mentor", capacity=1,
              domains=("leadership",)), person(E, "mentee"), person("E2", "mentee")]  # fmt: skip
    locks = [
        Decision("M2", E, lock=True, sheet="Alternatives", row=9, cell="N9"),
        Decision("M1", E, lock=True, sheet="Proposed pairs", row=5, cell="O5"),
        Decision("M1", "E2", lock=True, forbid=True, sheet="Proposed pairs", row=6),
    ]
    result = run(people, (), locks)
    assert [(p.mentor_id, p.mentee_id, p.locked) for p in result.pairs] == [("M2", E, True)]
    assert [(u.mentee_id, u.reason.code) for u in result.unmatched] == [("E2", "MAT011")]
    assert [(f.code, f.sheet, f.cell) for f in result.findings] == [
        ("MAT023", "Proposed pairs", "O5"), ("MAT013", "Proposed pairs", "")]  # fmt: skip
    lang = [Decision("M1", E, lock=True, sheet="Proposed pairs", row=5)]
    people[0] = replace(people[0], languages=("pt",))
    result = run(people, (), lang)
    assert [f.code for f in result.findings] == ["MAT012"]
    assert "language" in result.findings[0].message


def test_excluded_criteria_score_nothing() -> None:
    people = [person("M1", "mentor", country="SN"), person(E, "mentee")]
    virtual = run(people)
    in_person = run(people, virtual=False, cross_country="any")
    assert virtual.pairs[0].score.points["timezone"] > 0
    assert virtual.pairs[0].score.points["country_diversity"] == 10
    assert in_person.pairs[0].score.points["timezone"] == 0
    assert in_person.pairs[0].score.points["country_diversity"] == 0
    assert in_person.settings.not_applied() == {
        "timezone": "in-person delivery", "country_diversity": "cross_country is any"}  # fmt: skip


def test_generated_cohort_is_deterministic_and_its_scores_add_up() -> None:
    people = list(generate_people(60, 25, seed=5).values())
    first, second = run(people), run(list(reversed(people)))
    assert first.pairs == second.pairs and first.unmatched == second.unmatched
    assert first.alternatives == second.alternatives
    for p in first.pairs:
        assert sum(p.score.points.values()) == pytest.approx(p.score.total, abs=1e-9)
        assert set(p.score.points) == set(CRITERIA)
    assert {u.mentee_id for u in first.unmatched} | {p.mentee_id for p in first.pairs} == {
        p.person_id for p in people if p.role == "mentee"}  # fmt: skip


# --- properties over random rosters -------------------------------------------------------------

# Biased towards pairs that are possible (hypothesis favours the first of a sampled_from), so
# that most examples propose something; the empty roster is a case of its own above.
LANGS = ("en", "en", "fr", "pt")
LEVELS = {"mentor": ("senior", "senior", "mid", "junior"), "mentee": ("junior", "junior", "mid",
                                                                     "senior")}  # fmt: skip


@st.composite
def cohorts(draw: st.DrawFn):
    n_mentors = draw(st.integers(1, 5))
    n_mentees = draw(st.integers(1, 7))
    mentor_ids = [f"M{i}" for i in range(n_mentors)]
    mentee_ids = [f"E{i}" for i in range(n_mentees)]
    everyone = mentor_ids + mentee_ids
    people = []
    for pid in everyone:
        role = "mentor" if pid.startswith("M") else "mentee"
        sex = draw(st.sampled_from(("female", "male", "undisclosed")))
        people.append(
            person(
                pid, role, country=draw(st.sampled_from(("KE", "SN", "MZ"))),
                sector=draw(st.sampled_from(("Health", "WASH", ""))),
                level=draw(st.sampled_from(LEVELS[role])),
                languages=tuple(draw(st.lists(st.sampled_from(LANGS), min_size=1, max_size=2,
                                              unique=True))),
                sex=sex,
                line_manager_id=draw(st.sampled_from(["", "", "", *mentor_ids])),
                domains=tuple(draw(st.lists(st.sampled_from(("data", "strategy", "technical")),
                                            max_size=2, unique=True))),
                capacity=draw(st.sampled_from((None, None, 0, 1, 2))) if role == "mentor"
                else None,
                preferred_mentors=tuple(draw(st.lists(st.sampled_from(mentor_ids), max_size=3,
                                                      unique=True))) if mentor_ids and
                role == "mentee" else (),
                same_sex_preference=role == "mentee" and sex != "undisclosed" and draw(
                    st.integers(0, 3)) == 0,
            )
        )  # fmt: skip
    pairs = [(m, e) for m in mentor_ids for e in mentee_ids]
    existing = [
        ExistingPair(m, e, active, f"P{i}", "" if active else draw(st.sampled_from(REASONS)))
        for i, (m, e) in enumerate(draw(st.lists(st.sampled_from(pairs), max_size=3, unique=True)))
        for active in [draw(st.booleans())]
    ] if pairs else []  # fmt: skip
    decisions = [
        Decision(m, e, lock=draw(st.booleans()), forbid=draw(st.booleans()), sheet="S", row=i)
        for i, (m, e) in enumerate(
            draw(st.lists(st.sampled_from(pairs), max_size=3, unique=True)) if pairs else [])
    ]  # fmt: skip
    setting = {
        "cross_country": draw(st.sampled_from(("any", "preferred", "required"))),
        "cross_sector": draw(st.sampled_from(("any", "preferred", "required"))),
        "default_capacity": draw(st.sampled_from((2, 1, 0))),
        "virtual": draw(st.booleans()),
    }
    return people, existing, decisions, draw(st.booleans()), setting


@settings(max_examples=200, derandomize=True, deadline=None,
          suppress_health_check=[HealthCheck.too_slow])  # fmt: skip
@given(cohorts())
def test_no_hard_constraint_is_ever_broken(case) -> None:
    people, existing, decisions, rematch, setting = case
    result = run(people, existing, decisions, rematch, **setting)
    by_id = {p.person_id: p for p in people}
    # Free places, worked out here from the roster and the existing pairs.
    active = [(x.mentor_id, x.mentee_id) for x in existing if x.active]
    capacity = {
        p.person_id: (setting["default_capacity"] if p.capacity is None else p.capacity)
        - sum(1 for m, _ in active if m == p.person_id)
        for p in people if p.role == "mentor"
    }  # fmt: skip
    proposed = [(p.mentor_id, p.mentee_id) for p in result.pairs]
    assert violations(
        proposed, by_id, capacity=capacity,
        earlier=[(x.mentor_id, x.mentee_id) for x in existing],
        forbidden=[d.key for d in decisions if d.forbid],
        cross_country=setting["cross_country"], cross_sector=setting["cross_sector"],
    ) == []  # fmt: skip
    # Every lock is either carried out (its pair exists), kept (proposed, marked locked) or
    # reported at its row.
    reported = {f.row for f in result.findings}
    locks = {d.key for d in decisions if d.lock and d.row not in reported}
    earlier = {(x.mentor_id, x.mentee_id) for x in existing}
    assert locks - earlier <= {(p.mentor_id, p.mentee_id) for p in result.pairs if p.locked}
    # Whoever left (their pair ended with mentor-left or mentee-left) is out.
    gone = {x.mentor_id for x in existing if x.ended_reason == "mentor-left"}
    gone |= {x.mentee_id for x in existing if x.ended_reason == "mentee-left"}
    offered = proposed + [s.key for scores in result.alternatives.values() for s in scores]
    assert not gone & ({m for m, _ in offered} | set(result.mentees))
    used = Counter(m for m, _ in proposed)
    assert result.places_left == {
        m: max(0, c) - used[m] for m, c in capacity.items() if m not in gone}  # fmt: skip
    busy = {e for _, e in active}
    ever = {x.mentee_id for x in existing}
    assert not busy & {e for _, e in proposed}
    if not rematch:
        assert not ever & {e for _, e in proposed}
    # Every mentee of the pool is either proposed or has a reason, never both.
    reasons = {u.mentee_id for u in result.unmatched}
    assert reasons | {e for _, e in proposed} == set(result.mentees)
    assert not reasons & {e for _, e in proposed}
    for p in result.pairs:
        assert sum(p.score.points.values()) == pytest.approx(p.score.total, abs=1e-9)
    # Each alternative is a possible pair on its own (free places aside).
    for alternative in (s for scores in result.alternatives.values() for s in scores):
        assert violations(
            [alternative.key], by_id, capacity={m: 99 for m in capacity},
            earlier=[(x.mentor_id, x.mentee_id) for x in existing],
            forbidden=[d.key for d in decisions if d.forbid],
            cross_country=setting["cross_country"], cross_sector=setting["cross_sector"],
        ) == []  # fmt: skip
    again = run(list(reversed(people)), existing, decisions, rematch, **setting)
    assert (again.pairs, again.unmatched, again.findings) == (
        result.pairs, result.unmatched, result.findings)  # fmt: skip


def _brute_force(people: list[Person], setting: dict) -> tuple[int, float]:
    """The best (pairs matched, total score) over every possible assignment."""
    config = Settings(weights=WEIGHTS, **setting)
    by_id = {p.person_id: p for p in people}
    mentors = [p for p in people if p.role == "mentor"]
    mentees = [p for p in people if p.role == "mentee"]
    capacity = {m.person_id: config.default_capacity if m.capacity is None else m.capacity
                for m in mentors}  # fmt: skip
    offsets = {c: v.utc_offset for c, v in default_countries().items()}
    best = (0, 0.0)
    for choice in itertools.product([None, *mentors], repeat=len(mentees)):
        pairs = [(m.person_id, e.person_id) for m, e in zip(choice, mentees, strict=True) if m]
        if violations(pairs, by_id, capacity=capacity, cross_country=config.cross_country,
                      cross_sector=config.cross_sector):  # fmt: skip
            continue
        total = 0.0
        for m, e in pairs:
            hours = offsets[by_id[m].country] - offsets[by_id[e].country]
            fits = criterion_fits(by_id[m], by_id[e], config, hours)
            total += sum(config.weight(c) * fits[c] for c in CRITERIA)
        best = max(best, (len(pairs), round(total, 3)))
    return best


@settings(max_examples=60, derandomize=True, deadline=None)
@given(cohorts())
def test_the_solver_finds_the_brute_force_optimum(case) -> None:
    people, _, _, _, setting = case
    mentees = [p for p in people if p.role == "mentee"][:5]
    people = [p for p in people if p.role == "mentor"][:4] + mentees
    result = run(people, **setting)
    count, total = _brute_force(people, setting)
    assert len(result.pairs) == count
    assert result.total_score == pytest.approx(total, abs=1e-2)


# --- endings and old decisions ------------------------------------------------------------------


def test_whoever_left_is_out_of_matching() -> None:
    people = [person("M1", "mentor", capacity=3), person("M2", "mentor", domains=("leadership",)),
              person(E, "mentee"), person("E2", "mentee"), person("E3", "mentee")]  # fmt: skip
    ended = [ExistingPair("M1", E, False, "P001", "mentor-left"),
             ExistingPair("M2", "E2", False, "P002", "mentee-left")]  # fmt: skip
    result = run(people, ended, rematch=True)
    offered = [p.mentor_id for p in result.pairs]
    offered += [s.mentor_id for scores in result.alternatives.values() for s in scores]
    assert "M1" not in offered and offered
    assert result.mentees == (E, "E3")
    assert "E2" not in {u.mentee_id for u in result.unmatched}
    assert [(f.code, f.value, f.row) for f in result.findings] == [
        ("MAT024", "M1", 0), ("MAT025", "E2", 0)]  # fmt: skip
    assert "P001" in result.findings[0].message and "P002" in result.findings[1].message
    waiting = run(people, ended)
    assert (waiting.mentees, waiting.waiting_rematch) == (("E3",), (E,))
    no_fault = [replace(x, ended_reason="no-fault") for x in ended]
    assert run(people, no_fault, rematch=True).mentees == (E, "E2", "E3")
    locked = run(people, ended, [Decision("M1", "E3", lock=True, row=7)], rematch=True)
    assert [f.code for f in locked.findings] == ["MAT024", "MAT025", "MAT012"]
    assert "'M1' left the programme (pair P001: mentor-left)" in locked.findings[2].message


def test_a_lock_on_a_pair_that_exists_was_carried_out() -> None:
    # E1 was locked with M1, confirmed, built and ended; then locked with M2 and re-matched.
    people = [person("M1", "mentor"), person("M2", "mentor"), person(E, "mentee")]
    old = Decision("M1", E, lock=True, sheet="Decisions", row=5, cell="E5")
    new = Decision("M2", E, lock=True, sheet="Proposed pairs", row=5, cell="O5")
    ended = [ExistingPair("M1", E, False, "P001", "no-fault")]
    result = run(people, ended, [old, new], rematch=True)
    assert result.findings == []
    assert [(p.mentor_id, p.mentee_id, p.locked) for p in result.pairs] == [("M2", E, True)]
    assert result.fulfilled_locks == {("M1", E)}
    both = [*ended, ExistingPair("M2", E, True, "P002")]
    again = run(people, both, [old, new], rematch=True)
    assert (again.findings, again.pairs, again.unmatched) == ([], [], [])
    assert again.fulfilled_locks == {("M1", E), ("M2", E)}


@pytest.mark.parametrize("cross_sector", ["any", "preferred"])
def test_missing_data_earns_no_points(cross_sector: str) -> None:
    config = Settings(weights=WEIGHTS, cross_sector=cross_sector)
    mentor, mentee = person("M1", "mentor", country="SN"), person(E, "mentee")
    for m, e in ((replace(mentor, sector=""), mentee), (mentor, replace(mentee, sector=" ")),
                 (replace(mentor, sector=""), replace(mentee, sector=""))):  # fmt: skip
        assert criterion_fits(m, e, config, 0.0)["sector"] == 0.0
    if cross_sector == "preferred":  # a real difference still earns the bonus
        assert criterion_fits(mentor, replace(mentee, sector="WASH"), config, 0)["sector"] == 1
    fits = criterion_fits(replace(mentor, country=""), mentee, config, None)
    assert (fits["country_diversity"], fits["timezone"]) == (0.0, 0.0)
    assert criterion_fits(mentor, replace(mentee, domains=()), config, 0)["domain_fit"] == 0
    # Through the engine: a country without a known time zone earns no time-zone points.
    result = run([replace(mentor, country="ZZ"), mentee], cross_sector=cross_sector)
    assert result.pairs[0].score.points["timezone"] == 0
    assert run([mentor, mentee]).pairs[0].score.points["timezone"] > 0


def test_alternatives_treat_every_full_mentor_alike() -> None:
    # M1 is filled by a lock, M2 by the solver: both stay alternatives, with 0 places left.
    people = [person("M1", "mentor", capacity=1), person("M2", "mentor", capacity=1),
              person(E, "mentee"), person("E2", "mentee"), person("E3", "mentee")]  # fmt: skip
    result = run(people, decisions=[Decision("M1", E, lock=True, sheet="S", row=5)])
    assigned = {p.mentee_id: p.mentor_id for p in result.pairs}
    assert assigned[E] == "M1" and list(assigned.values()).count("M2") == 1
    assert result.places_left == {"M1": 0, "M2": 0}
    for mentee in ("E2", "E3"):
        listed = [s.mentor_id for s in result.alternatives[mentee]]
        assert listed == sorted({"M1", "M2"} - {assigned.get(mentee)})


def test_no_free_place_names_each_mentors_capacity_and_pairs() -> None:
    people = [person("M1", "mentor", capacity=0), person("M2", "mentor", capacity=1),
              person(E, "mentee"), person("E2", "mentee")]  # fmt: skip
    result = run(people, [ExistingPair("M2", "E2", True, "P001")])
    [reason] = [u.reason for u in result.unmatched]
    assert reason.code == "MAT010" and "has no free place" in reason.message
    assert "M1: capacity 0, 0 active pairs; M2: capacity 1, 1 active pair)" in reason.message


def test_why_a_reviewed_pair_is_not_proposed() -> None:
    from toolkit.matching import not_proposed

    people = [person("M1", "mentor", capacity=1), person("M2", "mentor", languages=("fr",)),
              person("M3", "mentor", capacity=1), person(E, "mentee", preferred_mentors=("M3",)),
              person("E2", "mentee")]  # fmt: skip
    config = Settings(weights=WEIGHTS)
    cohort = plan_cohort(Roster(people={p.person_id: p for p in people}), [], config)
    result = propose(cohort, config)
    assert {(p.mentor_id, p.mentee_id) for p in result.pairs} == {("M3", E), ("M1", "E2")}
    keys = [("M3", E), ("M1", E), ("M2", "E2"), ("M4", "E2"), ("M1", "X1")]
    assert not_proposed(keys, cohort, config, result) == {
        ("M1", E): "the mentee is now proposed with mentor 'M3'",
        ("M2", "E2"): "it breaks the 'language' constraint (they share no language)",
        ("M4", "E2"): "'M4' is not a mentor in the roster",
        ("M1", "X1"): "'X1' is not a mentee in the roster",
    }
