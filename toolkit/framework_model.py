"""The whole M&E framework (:class:`Framework`), its consistency checks and the computed time
commitment.

Structure is checked by pydantic; consistency by one check per part (run as soon as that part's
structure is valid, so one broken part does not hide another's problems) and by the checks
across parts. With ``context={"problems": [...]}`` the problems are collected, with their key
paths, instead of raised (:func:`toolkit.framework.check_framework` does this).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from pydantic import (
    BaseModel,
    Field,
    ValidationInfo,
    computed_field,
    field_validator,
    model_validator,
)

from toolkit.framework_parts import (
    MATCHING_CRITERIA,
    MIN_MILESTONES,
    PLAN_MONTHS,
    ROLE_CODES,
    SPRINTS,
    TEMPLATE_MINUTES,
    Coded,
    CollectionMethod,
    Commitment,
    Governance,
    Indicator,
    Matching,
    Milestone,
    MonthTopic,
    Overview,
    Problem,
    RatingLevel,
    ReviewStep,
    RoleSpec,
    Segment,
    Sprint,
    _Model,
)
from toolkit.text import LANGUAGES, Text, missing_languages

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
        found = " + ".join(str(c.weight) for c in criteria) + f" = {total}"
        out.append(Problem(("matching", "criteria"), "weights summing to 100", found))
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
        out += _raci_row(i, row)
    out += _steps("governance.escalation", [e.level for e in gov.escalation])
    for name in ("mentor_selection", "mentor_training", "mentee_orientation", "recognition"):
        out += _duplicates(f"governance.{name}", [x.code for x in getattr(gov, name)])
    return out


def _raci_row(i: int, row: Any) -> list[Problem]:
    out = []
    letters = [str(v) for v in row.assignments.values()]
    loc = ("governance", "raci", i, "assignments")
    if sum(1 for v in letters if v.startswith("A")) != 1:
        out.append(Problem(loc, "exactly one role marked A (or A/R)", dict(row.assignments)))
    if not any(v in ("R", "A/R") for v in letters):
        out.append(Problem(loc, "at least one role marked R (or A/R)", dict(row.assignments)))
    return out


def _indicator_problems(indicators: list[Indicator]) -> list[Problem]:
    out = _duplicates("indicators", [i.code for i in indicators])
    for i, ind in enumerate(indicators):
        for check in _INDICATOR_CHECKS:
            out += check(i, ind)
    return out


def _threshold_order(i: int, ind: Indicator) -> list[Problem]:
    t = ind.thresholds
    if (t.green < t.amber) if ind.direction == "increase" else (t.green > t.amber):
        better = ">=" if ind.direction == "increase" else "<="
        return [Problem(("indicators", i, "thresholds"),
                        f"green {better} amber, since this indicator should {ind.direction}",
                        {"green": t.green, "amber": t.amber})]  # fmt: skip
    return []


def _target_side(i: int, ind: Indicator) -> list[Problem]:
    t = ind.thresholds
    if (ind.target < t.amber) if ind.direction == "increase" else (ind.target > t.amber):
        better = ">=" if ind.direction == "increase" else "<="
        expected = f"a target {better} the amber threshold {t.amber:g}"
        return [Problem(("indicators", i, "target"), expected, ind.target)]
    return []


def _percent_bounds(i: int, ind: Indicator) -> list[Problem]:
    if ind.unit == "percent":
        return _out_of_bounds(i, ind, 0, 100, "a percentage from 0 to 100")
    return []


_INDICATOR_CHECKS = (_threshold_order, _target_side, _percent_bounds)


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
    for i, sprint in enumerate(fw.sprints):
        if sorted(sprint.level_adaptation) != sorted(levels):
            out.append(Problem(("sprints", i, "level_adaptation"),
                               f"one text for each level {sorted(levels)}",
                               sorted(sprint.level_adaptation)))  # fmt: skip
    scale = [r.code for r in fw.rating_scale]
    if str(fw.achieved_threshold) not in scale:
        out.append(Problem(("achieved_threshold",), f"one of the rating codes {scale}",
                           fw.achieved_threshold))  # fmt: skip
    top = len(scale)
    for i, ind in enumerate(fw.indicators):
        if ind.unit != "mean_rating":
            continue
        out += _out_of_bounds(i, ind, 0, top, f"a rating from 0 to {top}")
    return out


def _out_of_bounds(i: int, ind: Indicator, low: float, high: float, expected: str) -> list[Problem]:
    """Target, baseline and thresholds of indicator ``i`` outside [low, high]."""
    t = ind.thresholds
    values = {("target",): ind.target, ("baseline",): ind.baseline,
              ("thresholds", "green"): t.green, ("thresholds", "amber"): t.amber}  # fmt: skip
    return [
        Problem(("indicators", i, *key), expected, value)
        for key, value in values.items()
        if value is not None and not low <= value <= high
    ]


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

_ITEM_CHECKS: dict[str, tuple[tuple[str, ...], tuple[Callable[[int, Any], list[Problem]], ...]]] = {
    "indicators": ((), _INDICATOR_CHECKS),
    "governance": (("raci",), (_raci_row,)),
}
"""Checks of one list item, by part (and the key of the list inside the part), that still
run on the raw items when the part's structure is broken."""


class _Loose(dict):  # type: ignore[type-arg]
    """Raw YAML data read like a model: ``x.key`` is ``x["key"]``, None when absent."""

    def __getattr__(self, name: str) -> Any:
        return self.get(name)


def _loose(node: Any) -> Any:
    if isinstance(node, dict):
        return _Loose({k: _loose(v) for k, v in node.items()})
    if isinstance(node, list):
        return [_loose(v) for v in node]
    return node


_RAW_ERRORS = (TypeError, AttributeError, ValueError, KeyError)


def raw_problems(data: dict[str, Any], parts: Iterable[str]) -> list[Problem]:
    """The consistency checks of ``parts`` (whose structure is broken) run on the raw data:
    the part's own check when the data allow it, else the check of each list item that can
    be read, so that a wrong type in one item does not hide a problem in another."""
    out: list[Problem] = []
    for name in sorted(set(parts) & set(_PART_CHECKS)):
        value = _loose(data.get(name))
        try:
            out += _PART_CHECKS[name](value)
            continue
        except _RAW_ERRORS:
            pass
        where, checks = _ITEM_CHECKS.get(name, ((), ()))
        items = value
        for key in where:
            items = items.get(key) if isinstance(items, dict) else None
        for i, item in enumerate(items if isinstance(items, list) and checks else []):
            for check in checks:
                try:
                    out += check(i, item)
                except _RAW_ERRORS:
                    continue
    return out


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

    def matching_weights(self) -> dict[str, float]:
        """The weight of each matching criterion, by code (the defaults ``match`` uses)."""
        return {c.code: float(c.weight) for c in self.matching.criteria}

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


def raw_texts(
    node: Any, loc: tuple[str | int, ...] = ()
) -> Iterator[tuple[tuple[str | int, ...], dict[str, Any]]]:
    """Every translated text in raw YAML data, with its location as a tuple of keys."""
    if isinstance(node, dict):
        if "en" in node and set(node) <= set(LANGUAGES):
            yield loc, node
            return
        for key, value in node.items():
            yield from raw_texts(value, (*loc, str(key)))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from raw_texts(value, (*loc, i))


def missing_translations(framework: Framework) -> list[str]:
    """``path:lang`` for every framework text not given in all four languages."""
    return [f"{p}:{lang}" for p, t in texts(framework) for lang in missing_languages(t)]
