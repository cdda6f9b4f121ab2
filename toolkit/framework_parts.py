"""The parts of the M&E framework as pydantic models: core, overview, session structure,
matching, governance and evaluation (see :mod:`toolkit.framework` for the whole and its files).

Every user-facing text is a :data:`~toolkit.text.Text` in four languages; every code is stable.
Each field carries its description, so ``mentorkit framework show --json`` documents itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from toolkit.text import Text

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
    level_adaptation: dict[str, Text] = Field(
        description="Career level code → how a mentee at that level scales the deliverable "
        "(the sprint is the same for every level)."
    )


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
    who: Role | Literal["pair"] = Field(
        description="Governance role that acts, or 'pair' when either or both of mentor and "
        "mentee do."
    )
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
    baseline_note: Text | None = Field(
        default=None,
        description="How and when the baseline is set; required when baseline is null.",
    )
    target: float = Field(description="Target, in the indicator's unit.")
    direction: Literal["increase", "decrease"] = Field(description="Which way is better.")
    thresholds: Thresholds = Field(description="Red/amber/green cut-offs.")

    @model_validator(mode="after")
    def _baseline_explained(self) -> Indicator:
        if self.baseline is None and self.baseline_note is None:
            raise ValueError(
                "baseline_note (how and when the baseline is set) is required when baseline is null"
            )
        return self


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
