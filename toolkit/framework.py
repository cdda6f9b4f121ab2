"""The M&E mentoring framework: the seven parts of the programme design, as validated data.

The defaults live in ``toolkit/data/framework/*.yaml``, one file per part; a programme may use
an edited copy (``framework: framework`` in programme.yaml, see :func:`framework_for`). The
files' top-level keys are merged (a key may appear in one file only) and validated by the
pydantic models below:

=====================  ===========================================================  =========
part                   top-level keys                                               file
=====================  ===========================================================  =========
core                   version, rating_scale, achieved_threshold, levels, domains   core
overview               overview (vision, objectives, model, mentoring vs coaching,  overview
                       commitment inputs)
competency milestones  milestones                                                   competen.
session structure      session_template, session_plan, sprints                      sessions
matching               matching (criteria and weights, guidelines, re-matching)     matching
governance             governance (roles, RACI, selection, training, orientation,   governan.
                       escalation ladder, recognition)
evaluation             indicators, data_collection_methods, review_cycle            evaluat.
=====================  ===========================================================  =========

The progress tracking tools (the seventh part) are the pair workbook's sheets themselves,
declared in ``toolkit/data/contract.yaml``.

Structure (types, required keys, ranges) is checked by pydantic; consistency across parts (the
template sums to 90 minutes, months 1 to 12, four sprints, three milestones per domain and
level, known role codes, weights summing to 100, thresholds that agree with the indicator's
direction) by :meth:`Framework.problems`. :func:`check_framework` reports *every* problem as a
:class:`~toolkit.messages.Finding` naming the file, the key path (``sessions.yaml:
session_template[2].minutes``) and what was expected; :func:`load_framework` raises
:class:`FrameworkError` with them. The time commitment of mentor and mentee is computed
(:attr:`Framework.commitment`), never typed in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    computed_field,
    field_validator,
    model_validator,
)

from toolkit.errors import ConfigError
from toolkit.messages import Finding, finding
from toolkit.text import LANGUAGES, Text, missing_languages

if TYPE_CHECKING:
    from toolkit.programme import Programme

ROLE_CODES: tuple[str, ...] = (
    "sponsor",
    "steering_group",
    "coordinator",
    "focal_point",
    "mentor",
    "mentee",
    "line_manager",
)
"""Governance role codes; indicators, review steps and the escalation ladder name them."""

MATCHING_CRITERIA: tuple[str, ...] = (
    "domain_fit",
    "preference",
    "level_gap",
    "timezone",
    "sector",
    "country_diversity",
)
"""Matching criterion codes; the matching code scores each of them."""

TEMPLATE_MINUTES = 90
PLAN_MONTHS = 12
SPRINTS = 4
MIN_MILESTONES = 3
CELL_TEXT_LIMIT = 250
"""Framework texts go into spreadsheet cells; they stay under this many characters."""

PART_FILES: dict[str, str] = {
    "version": "core.yaml",
    "rating_scale": "core.yaml",
    "achieved_threshold": "core.yaml",
    "levels": "core.yaml",
    "domains": "core.yaml",
    "overview": "overview.yaml",
    "milestones": "competencies.yaml",
    "session_template": "sessions.yaml",
    "session_plan": "sessions.yaml",
    "sprints": "sessions.yaml",
    "matching": "matching.yaml",
    "governance": "governance.yaml",
    "indicators": "evaluation.yaml",
    "data_collection_methods": "evaluation.yaml",
    "review_cycle": "evaluation.yaml",
}
"""The file each top-level key lives in by default (used to place a missing key)."""

Role = Literal[
    "sponsor", "steering_group", "coordinator", "focal_point", "mentor", "mentee", "line_manager"
]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# --- core ---------------------------------------------------------------------------------------


class Coded(_Model):
    """A stable code with a translated label."""

    code: str = Field(pattern=r"^[A-Za-z0-9_-]+$", description="Stable code; never translated.")
    label: Text = Field(description="What people see, per language.")


class RatingLevel(Coded):
    """One step of the competency rating scale."""

    description: Text = Field(description="What this rating means in practice.")


class Milestone(_Model):
    """An observable competency milestone for one domain at one level."""

    code: str = Field(
        pattern=r"^[A-Z]{3}-[A-Z][0-9]+$", description="Stable milestone code, e.g. TEC-J1."
    )
    domain: str = Field(description="Code of the competency domain.")
    level: str = Field(description="Code of the career level (junior, mid, senior).")
    text: Text = Field(description="The observable behaviour.")
    evidence: Text = Field(description="An example of evidence that it was reached.")


# --- overview -----------------------------------------------------------------------------------


class MentoringModel(_Model):
    """The mentoring model chosen, and why."""

    name: Text = Field(description="Name of the model.")
    description: Text = Field(description="How the model works, in practice.")
    justification: list[Text] = Field(min_length=1, description="Why this model, one reason each.")


class Comparison(_Model):
    """One aspect of mentoring and coaching, side by side."""

    aspect: Text = Field(description="What is compared.")
    mentoring: Text = Field(description="How mentoring does it.")
    coaching: Text = Field(description="How coaching (the quarterly sprints) does it.")


class RoleMinutes(_Model):
    """Minutes for the mentor and for the mentee."""

    mentor: int = Field(ge=0, le=600, description="Minutes for the mentor.")
    mentee: int = Field(ge=0, le=600, description="Minutes for the mentee.")


class CommitmentInputs(_Model):
    """What the computed time commitment adds to the sessions and sprint check-ins."""

    preparation_per_session: RoleMinutes = Field(
        description="Preparation and workbook update per monthly session, in minutes."
    )
    reflection_per_quarter: RoleMinutes = Field(
        description="Filling in the quarterly reflection form, in minutes."
    )
    note: Text = Field(description="What the computed figures include and leave out.")


class Overview(_Model):
    """Part 1: vision, objectives, the model and the distinction mentoring / coaching."""

    vision: Text = Field(description="The programme's vision in one or two sentences.")
    objectives: list[Text] = Field(min_length=1, description="Measurable programme objectives.")
    model: MentoringModel = Field(description="The mentoring model chosen.")
    mentoring_vs_coaching: list[Comparison] = Field(
        min_length=1, description="Mentoring and coaching side by side."
    )
    commitment: CommitmentInputs = Field(description="Inputs of the computed time commitment.")


# --- session structure --------------------------------------------------------------------------


class Segment(_Model):
    """One segment of the standard 90-minute session."""

    code: str = Field(pattern=r"^[a-z0-9_]+$", description="Stable segment code.")
    minutes: int = Field(ge=1, le=TEMPLATE_MINUTES, description="Length of the segment.")
    title: Text = Field(description="Segment title.")
    purpose: Text = Field(description="What happens in this segment, concretely.")


class MonthTopic(_Model):
    """The plan of one monthly session."""

    month: int = Field(ge=1, le=PLAN_MONTHS, description="Month of the cycle, 1 to 12.")
    topic: Text = Field(description="The session's topic.")
    objective: Text = Field(description="What the mentee can do after the session.")
    preparation: Text = Field(description="What mentor and mentee prepare beforehand.")
    resource: Text = Field(description="A real, citable suggested resource.")


class Sprint(_Model):
    """One quarterly coaching sprint."""

    code: str = Field(pattern=r"^[A-Za-z0-9_-]+$", description="Stable sprint code, e.g. S1.")
    quarter: int = Field(ge=1, le=4, description="Quarter of the cycle, 1 to 4.")
    focus: Text = Field(description="What the sprint focuses on.")
    skill_goal: Text = Field(description="The skill goal of the sprint.")
    weeks: int = Field(ge=1, le=13, description="Length of the sprint in weeks.")
    checkin_minutes: int = Field(ge=5, le=90, description="Length of one weekly check-in.")
    weekly_checkins: Text = Field(description="What a weekly check-in covers and how.")
    deliverable: Text = Field(description="The concrete product at the end.")
    progress_judged_by: Text = Field(description="How progress is judged (observable criteria).")


# --- matching -----------------------------------------------------------------------------------


class Criterion(_Model):
    """One matching criterion with its weight."""

    code: Literal[
        "domain_fit", "preference", "level_gap", "timezone", "sector", "country_diversity"
    ] = Field(description="Stable criterion code.")
    weight: int = Field(ge=0, le=100, description="Points of 100 this criterion is worth.")
    name: Text = Field(description="Criterion name.")
    rule: Text = Field(description="How a candidate pair is scored on it.")
    rationale: Text = Field(description="Why it matters, and its weight.")


class Guideline(_Model):
    """A set of guidelines for one kind of pairing."""

    code: str = Field(pattern=r"^[a-z0-9_]+$", description="Stable code.")
    title: Text = Field(description="What kind of pair it is for.")
    points: list[Text] = Field(min_length=1, description="The guidelines, one per line.")


class ProtocolStep(_Model):
    """One step of the no-fault re-matching protocol."""

    step: int = Field(ge=1, description="Step number, from 1.")
    who: Role = Field(description="Governance role that acts.")
    within_days: int = Field(ge=0, le=90, description="Days allowed from the previous step.")
    action: Text = Field(description="What is done.")


class Matching(_Model):
    """Part 3: how pairs are matched, and re-matched without blame."""

    criteria: list[Criterion] = Field(description="The six weighted criteria.")
    process: list[Text] = Field(min_length=1, description="The matching process, step by step.")
    guidelines: list[Guideline] = Field(description="Cross-country and cross-sector pairs.")
    rematching: list[ProtocolStep] = Field(min_length=1, description="No-fault re-matching.")


# --- governance ---------------------------------------------------------------------------------


class RoleSpec(_Model):
    """A governance role and its responsibilities."""

    code: Role = Field(description="Stable role code.")
    name: Text = Field(description="Role name.")
    description: Text = Field(description="Responsibilities, concretely.")


class RaciRow(_Model):
    """Who is Responsible, Accountable, Consulted and Informed for one activity."""

    code: str = Field(pattern=r"^[a-z0-9_]+$", description="Stable activity code.")
    activity: Text = Field(description="The programme activity.")
    assignments: dict[Role, Literal["R", "A", "C", "I", "A/R"]] = Field(
        description="Role code → R, A, C, I (or A/R when one role is both)."
    )


class Item(_Model):
    """A coded line of a list (selection criterion, checklist item, incentive)."""

    code: str = Field(pattern=r"^[a-z0-9_]+$", description="Stable code.")
    text: Text = Field(description="The item.")
    detail: Text = Field(description="How it is checked, done or given.")


class TrainingModule(_Model):
    """One module of the mentor training curriculum."""

    code: str = Field(pattern=r"^[a-z0-9_]+$", description="Stable code.")
    title: Text = Field(description="Module title.")
    minutes: int = Field(ge=15, le=480, description="Length of the module.")
    content: Text = Field(description="What is covered and practised.")


class EscalationLevel(_Model):
    """One rung of the escalation ladder."""

    level: int = Field(ge=1, description="Level, from 1.")
    trigger: Text = Field(description="When to go to this level.")
    who: Role = Field(description="Who handles it.")
    action: Text = Field(description="What they do.")
    time_limit_days: int = Field(ge=1, le=90, description="Days to resolve or escalate.")


class Governance(_Model):
    """Part 6: roles, RACI, selection, training, orientation, escalation, recognition."""

    roles: list[RoleSpec] = Field(description="The seven roles.")
    raci: list[RaciRow] = Field(min_length=1, description="RACI over programme activities.")
    mentor_selection: list[Item] = Field(min_length=1, description="Mentor selection criteria.")
    mentor_training: list[TrainingModule] = Field(min_length=1, description="Training modules.")
    mentee_orientation: list[Item] = Field(min_length=1, description="Orientation checklist.")
    escalation: list[EscalationLevel] = Field(min_length=1, description="Escalation ladder.")
    recognition: list[Item] = Field(min_length=1, description="Recognition and incentives.")


# --- evaluation ---------------------------------------------------------------------------------


class Thresholds(_Model):
    """Red/amber/green cut-offs, in the indicator's unit."""

    green: float = Field(description="At or beyond this value the status is green.")
    amber: float = Field(description="At or beyond this value (short of green) it is amber.")


class Indicator(_Model):
    """A Performance Indicator Reference Sheet."""

    code: str = Field(pattern=r"^[A-Z][A-Z0-9-]*$", description="Stable indicator code.")
    kind: Literal["process", "outcome"] = Field(description="Process or outcome indicator.")
    name: Text = Field(description="Indicator name.")
    definition: Text = Field(description="Precise definition.")
    numerator: Text = Field(description="What is counted above the line.")
    denominator: Text = Field(description="What is counted below the line.")
    unit: Literal["percent", "number", "mean_rating", "count"] = Field(description="Unit.")
    disaggregation: list[Literal["country", "office", "sex", "level", "sector", "role"]] = Field(
        description="Breakdowns reported."
    )
    frequency: Literal["monthly", "quarterly", "annual"] = Field(description="How often.")
    data_source: Text = Field(description="Where the data come from.")
    collection_method: Text = Field(description="How they are collected.")
    responsible: Role = Field(description="Governance role responsible.")
    baseline: float | None = Field(description="Baseline value, or null when none yet.")
    target: float = Field(description="Target, in the indicator's unit.")
    direction: Literal["increase", "decrease"] = Field(description="Which way is better.")
    thresholds: Thresholds = Field(description="Red/amber/green cut-offs.")


class CollectionMethod(_Model):
    """A data collection method of the evaluation."""

    code: str = Field(pattern=r"^[a-z0-9_]+$", description="Stable code.")
    name: Text = Field(description="Method name.")
    description: Text = Field(description="What is collected and how.")
    frequency: Text = Field(description="When or how often.")


class ReviewStep(_Model):
    """One step of the annual review and improvement cycle."""

    step: int = Field(ge=1, description="Step number, from 1.")
    name: Text = Field(description="Step name.")
    timing: Text = Field(description="When, e.g. 'Month 11, weeks 1-2'.")
    owner: Role = Field(description="Governance role that owns the step.")
    output: Text = Field(description="What the step produces.")


# --- the whole framework ------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """A consistency problem: where (key path as a tuple), what was expected, what was found."""

    loc: tuple[str | int, ...]
    expected: str
    found: Any = None


class Commitment(_Model):
    """The computed time commitment of one role."""

    sessions_minutes: int = Field(description="Monthly sessions over the cycle, in minutes.")
    preparation_minutes: int = Field(description="Preparation over the cycle, in minutes.")
    sprint_minutes: int = Field(description="Sprint check-ins over the cycle, in minutes.")
    reflection_minutes: int = Field(description="Quarterly reflections, in minutes.")
    hours_per_cycle: float = Field(description="Total hours over the cycle.")
    hours_per_month: float = Field(description="Average hours per month.")


# --- consistency checks, one function per part -----------------------------------------------


def _rating_problems(scale: list[RatingLevel]) -> list[Problem]:
    codes = [r.code for r in scale]
    out = _duplicates("rating_scale", codes)
    if codes != [str(n) for n in range(1, len(codes) + 1)]:
        out.append(Problem(("rating_scale",), "codes '1', '2', ... in order", codes))
    return out


def _template_problems(template: list[Segment]) -> list[Problem]:
    out = _duplicates("session_template", [s.code for s in template])
    total = sum(s.minutes for s in template)
    if total != TEMPLATE_MINUTES:
        found = " + ".join(str(s.minutes) for s in template) + f" = {total}"
        out.append(Problem(("session_template",),
                           f"segments whose minutes sum to {TEMPLATE_MINUTES}", found))  # fmt: skip
    return out


def _plan_problems(plan: list[MonthTopic]) -> list[Problem]:
    months = [t.month for t in plan]
    if months != list(range(1, PLAN_MONTHS + 1)):
        return [Problem(("session_plan",), "months 1, 2, ..., 12, each once, in order", months)]
    return []


def _sprint_problems(sprints: list[Sprint]) -> list[Problem]:
    out = _duplicates("sprints", [s.code for s in sprints])
    quarters = [s.quarter for s in sprints]
    if quarters != list(range(1, SPRINTS + 1)):
        out.append(Problem(("sprints",), "four sprints, for quarters 1, 2, 3 and 4", quarters))
    return out


def _matching_problems(matching: Matching) -> list[Problem]:
    criteria = matching.criteria
    out = _duplicates("matching.criteria", [c.code for c in criteria])
    missing = [c for c in MATCHING_CRITERIA if c not in {x.code for x in criteria}]
    if missing:
        out.append(Problem(("matching", "criteria"), f"all six criteria {list(MATCHING_CRITERIA)}",
                           f"missing {missing}"))  # fmt: skip
    total = sum(c.weight for c in criteria)
    if total != 100:
        out.append(Problem(("matching", "criteria"), "weights summing to 100",
                           " + ".join(str(c.weight) for c in criteria) + f" = {total}"))  # fmt: skip
    out += _steps("matching.rematching", [s.step for s in matching.rematching])
    return out


def _governance_problems(gov: Governance) -> list[Problem]:
    out: list[Problem] = []
    roles = [r.code for r in gov.roles]
    if sorted(roles) != sorted(ROLE_CODES):
        out.append(Problem(("governance", "roles"), f"each of the roles {list(ROLE_CODES)} once",
                           roles))  # fmt: skip
    out += _duplicates("governance.raci", [r.code for r in gov.raci])
    for i, row in enumerate(gov.raci):
        letters = list(row.assignments.values())
        loc = ("governance", "raci", i, "assignments")
        if sum(1 for v in letters if v.startswith("A")) != 1:
            out.append(Problem(loc, "exactly one role marked A (or A/R)", row.assignments))
        if not any(v in ("R", "A/R") for v in letters):
            out.append(Problem(loc, "at least one role marked R (or A/R)", row.assignments))
    out += _steps("governance.escalation", [e.level for e in gov.escalation])
    for name in ("mentor_selection", "mentor_training", "mentee_orientation", "recognition"):
        out += _duplicates(f"governance.{name}", [x.code for x in getattr(gov, name)])
    return out


def _indicator_problems(indicators: list[Indicator]) -> list[Problem]:
    out = _duplicates("indicators", [i.code for i in indicators])
    for i, ind in enumerate(indicators):
        t = ind.thresholds
        better = ">=" if ind.direction == "increase" else "<="
        if (t.green < t.amber) if ind.direction == "increase" else (t.green > t.amber):
            out.append(Problem(("indicators", i, "thresholds"),
                               f"green {better} amber, since this indicator should "
                               f"{ind.direction}", t.model_dump()))  # fmt: skip
        if (ind.target < t.amber) if ind.direction == "increase" else (ind.target > t.amber):
            out.append(Problem(("indicators", i, "target"),
                               f"a target {better} the amber threshold {t.amber:g}",
                               ind.target))  # fmt: skip
        if ind.unit == "percent":
            for name, value in (("target", ind.target), ("baseline", ind.baseline),
                                ("thresholds.green", t.green), ("thresholds.amber", t.amber)):  # fmt: skip
                if value is not None and not 0 <= value <= 100:
                    out.append(Problem(("indicators", i, *name.split(".")),
                                       "a percentage from 0 to 100", value))  # fmt: skip
    return out


def _code_problems(path: str) -> Callable[[list[Any]], list[Problem]]:
    def check(items: list[Any]) -> list[Problem]:
        return _duplicates(path, [x.code for x in items])

    return check


def _review_problems(steps: list[ReviewStep]) -> list[Problem]:
    return _steps("review_cycle", [s.step for s in steps])


def _cross_problems(fw: Framework) -> list[Problem]:
    """Checks that need two parts: milestones against domains and levels, the threshold
    against the scale, mean ratings against the scale."""
    domains = {d.code for d in fw.domains}
    levels = {lv.code for lv in fw.levels}
    out = _duplicates("milestones", [m.code for m in fw.milestones])
    for i, m in enumerate(fw.milestones):
        if m.domain not in domains:
            out.append(Problem(("milestones", i, "domain"), f"one of {sorted(domains)}", m.domain))
        if m.level not in levels:
            out.append(Problem(("milestones", i, "level"), f"one of {sorted(levels)}", m.level))
    for d in fw.domains:
        for lv in fw.levels:
            n = sum(1 for m in fw.milestones if m.domain == d.code and m.level == lv.code)
            if n < MIN_MILESTONES:
                out.append(Problem(("milestones",), f"at least {MIN_MILESTONES} milestones for "
                                   f"domain {d.code!r} at level {lv.code!r}",
                                   f"{n} milestone(s)"))  # fmt: skip
    scale = [r.code for r in fw.rating_scale]
    if str(fw.achieved_threshold) not in scale:
        out.append(Problem(("achieved_threshold",), f"one of the rating codes {scale}",
                           fw.achieved_threshold))  # fmt: skip
    top = len(scale)
    for i, ind in enumerate(fw.indicators):
        if ind.unit != "mean_rating":
            continue
        t = ind.thresholds
        for name, value in (("target", ind.target), ("baseline", ind.baseline),
                            ("thresholds.green", t.green), ("thresholds.amber", t.amber)):  # fmt: skip
            if value is not None and not 0 <= value <= top:
                out.append(Problem(("indicators", i, *name.split(".")),
                                   f"a rating from 0 to {top}", value))  # fmt: skip
    return out


def _steps(path: str, numbers: list[int]) -> list[Problem]:
    if numbers != list(range(1, len(numbers) + 1)):
        return [Problem(tuple(path.split(".")), "steps numbered 1, 2, 3, ... in order", numbers)]
    return []


def _duplicates(path: str, codes: list[str]) -> list[Problem]:
    loc = tuple(path.split("."))
    seen: set[str] = set()
    out = []
    for i, code in enumerate(codes):
        if code in seen:
            out.append(Problem((*loc, i, "code"), "a code not used before in this list", code))
        seen.add(code)
    return out


_PART_CHECKS: dict[str, Callable[[Any], list[Problem]]] = {
    "rating_scale": _rating_problems,
    "levels": _code_problems("levels"),
    "domains": _code_problems("domains"),
    "session_template": _template_problems,
    "session_plan": _plan_problems,
    "sprints": _sprint_problems,
    "matching": _matching_problems,
    "governance": _governance_problems,
    "indicators": _indicator_problems,
    "data_collection_methods": _code_problems("data_collection_methods"),
    "review_cycle": _review_problems,
}
"""The check of each top-level part that needs no other part."""


class Framework(_Model):
    """The whole M&E mentoring and coaching framework."""

    version: str = Field(description="Version of the framework content.")
    rating_scale: list[RatingLevel] = Field(description="Competency rating scale, lowest first.")
    achieved_threshold: int = Field(description="Rating at or above which a milestone is achieved.")
    levels: list[Coded] = Field(description="Career levels, most junior first.")
    domains: list[Coded] = Field(description="The six competency domains.")
    overview: Overview = Field(description="Vision, objectives, model, mentoring vs coaching.")
    milestones: list[Milestone] = Field(description="Milestones by domain and level.")
    session_template: list[Segment] = Field(description="The standard 90-minute session.")
    session_plan: list[MonthTopic] = Field(description="The plan of each month, 1 to 12.")
    sprints: list[Sprint] = Field(description="The four quarterly coaching sprints.")
    matching: Matching = Field(description="Matching criteria, guidelines and re-matching.")
    governance: Governance = Field(description="Roles, RACI, selection, training, escalation.")
    indicators: list[Indicator] = Field(description="Indicator reference sheets.")
    data_collection_methods: list[CollectionMethod] = Field(
        min_length=1, description="Data collection methods."
    )
    review_cycle: list[ReviewStep] = Field(
        min_length=1, description="The annual review and improvement cycle."
    )

    # Each part is checked on its own as soon as its structure is valid, so that one broken
    # part does not hide the problems of another; checks across parts run on the whole.
    @field_validator(*_PART_CHECKS)
    @classmethod
    def _part(cls, value: Any, info: ValidationInfo) -> Any:
        return _report(_PART_CHECKS[str(info.field_name)](value), value, info)

    @model_validator(mode="after")
    def _across_parts(self, info: ValidationInfo) -> Framework:
        return _report(_cross_problems(self), self, info)

    # --- computed -------------------------------------------------------------------------------

    @computed_field(description="Minutes of the standard session (sum of its segments).")
    @property
    def session_minutes(self) -> int:
        return sum(s.minutes for s in self.session_template)

    @computed_field(description="Computed time commitment of mentor and mentee.")
    @property
    def commitment(self) -> dict[str, Commitment]:
        sessions = len(self.session_plan)
        quarters = len(self.sprints)
        sprint = sum(s.weeks * s.checkin_minutes for s in self.sprints)
        inputs = self.overview.commitment
        out: dict[str, Commitment] = {}
        for role in ("mentor", "mentee"):
            prep = getattr(inputs.preparation_per_session, role) * sessions
            reflect = getattr(inputs.reflection_per_quarter, role) * quarters
            total = sessions * self.session_minutes + prep + sprint + reflect
            out[role] = Commitment(
                sessions_minutes=sessions * self.session_minutes,
                preparation_minutes=prep,
                sprint_minutes=sprint,
                reflection_minutes=reflect,
                hours_per_cycle=round(total / 60, 1),
                hours_per_month=round(total / 60 / max(sessions, 1), 1),
            )
        return out

    # --- look-ups ------------------------------------------------------------------------------

    def milestones_for(self, level: str) -> list[Milestone]:
        """Milestones of one level, in domain order then file order."""
        order = {d.code: i for i, d in enumerate(self.domains)}
        chosen = [m for m in self.milestones if m.level == level]
        return sorted(chosen, key=lambda m: order[m.domain])

    def domain(self, code: str) -> Coded:
        """The domain with this code."""
        return next(d for d in self.domains if d.code == code)

    def level(self, code: str) -> Coded:
        """The career level with this code."""
        return next(lv for lv in self.levels if lv.code == code)

    def role(self, code: str) -> RoleSpec:
        """The governance role with this code."""
        return next(r for r in self.governance.roles if r.code == code)

    def topic(self, month: int) -> Text | None:
        """The planned topic of a month, or None beyond the plan."""
        for t in self.session_plan:
            if t.month == month:
                return t.topic
        return None

    def indicator(self, code: str) -> Indicator | None:
        """The reference sheet of an indicator, or None."""
        return next((i for i in self.indicators if i.code == code), None)

    def problems(self) -> list[Problem]:
        """Every consistency problem (empty when the framework is sound)."""
        out = [p for name, check in _PART_CHECKS.items() for p in check(getattr(self, name))]
        return out + _cross_problems(self)


def _report(problems: list[Problem], value: Any, info: ValidationInfo) -> Any:
    """Hand problems to the loader (``context={"problems": [...]}``), or raise them."""
    collect = (info.context or {}).get("problems")
    if collect is not None:
        collect.extend(problems)
    elif problems:
        raise ValueError("; ".join(f"{key_path(p.loc)}: expected {p.expected}" for p in problems))
    return value


def key_path(loc: Iterable[str | int]) -> str:
    """``("session_template", 2, "minutes")`` → ``session_template[2].minutes``."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def status(indicator: Indicator, value: float | None) -> str:
    """``green``, ``amber`` or ``red`` for a value of the indicator ('' when there is none)."""
    if value is None:
        return ""
    t = indicator.thresholds
    if indicator.direction == "increase":
        return "green" if value >= t.green else "amber" if value >= t.amber else "red"
    return "green" if value <= t.green else "amber" if value <= t.amber else "red"


# --- translations -------------------------------------------------------------------------------


def texts(node: Any, path: str = "") -> Iterator[tuple[str, dict[str, str]]]:
    """Every translated text inside a model or its dump, with its key path."""
    if isinstance(node, BaseModel):
        node = node.model_dump(exclude_computed_fields=True)
    if isinstance(node, dict):
        if node and "en" in node and set(node) <= set(LANGUAGES):
            yield path, node
            return
        for key, value in node.items():
            yield from texts(value, f"{path}.{key}" if path else str(key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from texts(value, f"{path}[{i}]")


def missing_translations(framework: Framework) -> list[str]:
    """``path:lang`` for every framework text not given in all four languages."""
    return [f"{p}:{lang}" for p, t in texts(framework) for lang in missing_languages(t)]


# --- loading ------------------------------------------------------------------------------------


class FrameworkError(ConfigError):
    """A framework folder has problems; ``findings`` lists every one (file, key path)."""


@dataclass
class FrameworkCheck:
    """The result of checking a framework folder: the framework, or every problem found."""

    folder: Path
    framework: Framework | None = None
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.framework is not None and not self.findings


def check_framework(folder: Path) -> FrameworkCheck:
    """Read and validate a framework folder; collect every problem instead of stopping."""
    result = FrameworkCheck(folder)
    files = sorted(folder.glob("*.yaml")) if folder.is_dir() else []
    if not files:
        result.findings.append(finding("FWK004", file=str(folder), location=str(folder)))
        return result
    named = []
    for path in files:
        try:
            named.append((path.name, path.read_text(encoding="utf-8-sig")))
        except UnicodeDecodeError as exc:
            detail = f"it is not saved as UTF-8 text ({exc.reason} at byte {exc.start})"
            result.findings.append(finding("FWK001", file=path.name, line=1, detail=detail))
    data, origin, problems = _merge(named)
    result.findings.extend(problems)
    framework, findings = _validate(data, origin)
    # Keys of a file that could not be read are not "missing": its own finding says why.
    unread = {f.file for f in result.findings if f.code == "FWK001"}
    result.findings += [f for f in findings if not (f.value == "nothing" and f.file in unread)]
    result.framework = framework if not result.findings else None
    return result


def load_framework(path: Path | None = None) -> Framework:
    """The framework of a folder of ``*.yaml`` files; the packaged defaults when ``path`` is
    None (cached). Raises :class:`FrameworkError` listing every problem."""
    if path is None:
        return _default_framework()
    checked = check_framework(path)
    if checked.framework is None:
        summary = "\n".join(f.render() for f in checked.findings)
        raise FrameworkError(
            f"The framework in {path} has {len(checked.findings)} problem(s):\n{summary}",
            checked.findings,
        )
    return checked.framework


def framework_folder(root: Path, programme: Programme) -> Path | None:
    """The edited framework folder a programme points at, or None for the defaults."""
    return (root / programme.framework) if programme.framework else None


def framework_for(root: Path, programme: Programme | None = None) -> Framework:
    """The effective framework of a programme folder: its edited copy when programme.yaml
    names one (``framework: framework``), else the packaged defaults."""
    if programme is None:
        from toolkit.programme import PROGRAMME_FILE, load_programme

        programme = load_programme(root / PROGRAMME_FILE)
    return load_framework(framework_folder(root, programme))


@dataclass(frozen=True)
class ExportResult:
    """Where ``mentorkit framework export`` wrote the editable copy."""

    folder: Path
    files: list[Path]


def export_framework(root: Path, name: str = "framework") -> ExportResult:
    """Write the packaged framework files into ``root/name/`` for editing; refuse to
    overwrite an existing folder."""
    from toolkit.errors import ProgrammeFolderError

    target = root / name
    if target.exists():
        f = finding("FWK005", file=str(target), location=str(target))
        raise ProgrammeFolderError(f.render(), [f])
    target.mkdir(parents=True)
    written = []
    for file, text in default_files():
        (target / file).write_text(text, encoding="utf-8")
        written.append(target / file)
    return ExportResult(target, written)


def resolve_folder(path: Path | None) -> Path | None:
    """The framework folder a command means by ``path``: a programme folder's edited copy
    (None when its programme.yaml names none, i.e. the defaults), or a framework folder."""
    if path is None:
        return None
    from toolkit.programme import PROGRAMME_FILE, load_programme

    if (path / PROGRAMME_FILE).is_file():
        return framework_folder(path, load_programme(path / PROGRAMME_FILE))
    return path


def default_files() -> list[tuple[str, str]]:
    """``(file name, text)`` of every packaged framework file, in name order."""
    folder = resources.files("toolkit").joinpath("data/framework")
    entries = sorted((e for e in folder.iterdir() if e.name.endswith(".yaml")), key=_name)
    return [(e.name, e.read_text(encoding="utf-8")) for e in entries]


def _merge(
    named_texts: Iterable[tuple[str, str]],
) -> tuple[dict[str, Any], dict[str, str], list[Finding]]:
    """Merge the top-level keys of several YAML documents, noting which file gave each key."""
    merged: dict[str, Any] = {}
    origin: dict[str, str] = {}
    problems: list[Finding] = []
    for name, text in named_texts:
        try:
            doc = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = mark.line + 1 if mark is not None else 1
            detail = " ".join(str(getattr(exc, "problem", "") or exc).split())
            problems.append(finding("FWK001", file=name, line=line, detail=detail))
            continue
        if doc is None:
            continue
        if not isinstance(doc, dict):
            problems.append(
                finding("FWK002", file=name, location="(top)", value=type(doc).__name__,
                        detail="expected top-level keys such as 'session_plan:'")
            )  # fmt: skip
            continue
        for key, value in doc.items():
            if key in merged:
                problems.append(
                    finding("FWK003", file=name, location=str(key), other=origin[key])
                )
                continue
            merged[key], origin[key] = value, name
    return merged, origin, problems


def _validate(data: dict[str, Any], origin: dict[str, str]) -> tuple[Framework | None, list[Finding]]:
    collected: list[Problem] = []
    try:
        framework = Framework.model_validate(data, context={"problems": collected})
    except ValidationError as exc:
        # Parts whose structure was valid were checked all the same: report both.
        found = [_pydantic_finding(err, origin) for err in exc.errors()]
        return None, found + [_problem_finding(p, origin) for p in collected]
    return framework, [_problem_finding(p, origin) for p in collected]


def _file_of(loc: tuple[Any, ...], origin: dict[str, str]) -> str:
    top = str(loc[0]) if loc else ""
    return origin.get(top) or PART_FILES.get(top, "(framework)")


def _pydantic_finding(err: Any, origin: dict[str, str]) -> Finding:
    loc = tuple(err["loc"])
    if err["type"] == "missing":
        detail, value = "expected this key; it is missing", "nothing"
    elif err["type"] == "extra_forbidden":
        detail, value = "unknown key (check its spelling and indentation)", loc[-1] if loc else ""
    else:
        msg = err["msg"].removeprefix("Value error, ")
        detail, value = msg[:1].lower() + msg[1:], err.get("input")
    return finding(
        "FWK002", file=_file_of(loc, origin), location=key_path(loc) or "(top)",
        detail=detail, value=_short(value),
    )  # fmt: skip


def _problem_finding(p: Problem, origin: dict[str, str]) -> Finding:
    return finding(
        "FWK002", file=_file_of(p.loc, origin), location=key_path(p.loc),
        detail=f"expected {p.expected}", value=_short(p.found),
    )  # fmt: skip


def _short(value: Any, limit: int = 120) -> Any:
    """A long list or mapping cut down for a message; short ones stay as they are."""
    text = str(value)
    if len(text) <= limit:
        return value
    return text[: limit - 1] + "…"


@lru_cache(maxsize=1)
def _default_framework() -> Framework:
    data, origin, problems = _merge(default_files())
    framework, findings = _validate(data, origin) if not problems else (None, problems)
    if framework is None or findings:
        summary = "\n".join(f.render() for f in findings)
        raise FrameworkError(f"The packaged framework has problems:\n{summary}", findings)
    return framework


def _name(entry: Any) -> str:
    return str(entry.name)
