"""The M&E mentoring framework content the workbooks carry: levels, domains, milestones,
the rating scale and the month-by-month session plan.

The defaults live in ``toolkit/data/framework/*.yaml``, one file per part of the framework;
:func:`load_framework` merges their top-level keys and validates them with pydantic. This is
the starter set the walking skeleton needs; the full framework (session template, sprints,
governance, indicator reference sheets) extends these models.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

from toolkit.text import Text


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Coded(_Model):
    """A stable code with a translated label."""

    code: str = Field(description="Stable code stored in the ledger; never translated.")
    label: Text = Field(description="What people see, per language.")


class RatingLevel(Coded):
    """One step of the competency rating scale."""

    description: Text = Field(description="What this rating means in practice.")


class Milestone(_Model):
    """An observable competency milestone for one domain at one level."""

    code: str = Field(description="Stable milestone code, e.g. TEC-J1.")
    domain: str = Field(description="Code of the competency domain.")
    level: str = Field(description="Code of the career level (junior, mid, senior).")
    text: Text = Field(description="The observable behaviour.")
    evidence: Text = Field(description="An example of evidence that it was reached.")


class MonthTopic(_Model):
    """The planned topic of one monthly session."""

    month: int = Field(ge=1, le=24, description="Month of the cycle, from 1.")
    topic: Text = Field(description="The session's planned topic.")


class Framework(_Model):
    """The framework content that pair workbooks and indicators draw on."""

    version: str = Field(description="Version of the framework content.")
    rating_scale: list[RatingLevel] = Field(description="Competency rating scale, lowest first.")
    achieved_threshold: int = Field(
        description="Rating at or above which a milestone counts as achieved."
    )
    levels: list[Coded] = Field(description="Career levels, most junior first.")
    domains: list[Coded] = Field(description="The six competency domains.")
    milestones: list[Milestone] = Field(description="Milestones by domain and level.")
    session_plan: list[MonthTopic] = Field(description="Planned topic for each month of the cycle.")

    @model_validator(mode="after")
    def _cross_references(self) -> Framework:
        domains = {d.code for d in self.domains}
        levels = {lv.code for lv in self.levels}
        seen: set[str] = set()
        for i, m in enumerate(self.milestones):
            if m.domain not in domains:
                raise ValueError(f"milestones[{i}] ({m.code}): unknown domain {m.domain!r}")
            if m.level not in levels:
                raise ValueError(f"milestones[{i}] ({m.code}): unknown level {m.level!r}")
            if m.code in seen:
                raise ValueError(f"milestones[{i}]: duplicate code {m.code!r}")
            seen.add(m.code)
        months = [t.month for t in self.session_plan]
        if months != list(range(1, len(months) + 1)):
            raise ValueError("session_plan: months must run 1, 2, 3, ... without gaps")
        scale = [int(r.code) for r in self.rating_scale]
        if self.achieved_threshold not in scale:
            raise ValueError("achieved_threshold must be one of the rating_scale codes")
        return self

    def milestones_for(self, level: str) -> list[Milestone]:
        """Milestones of one level, in domain order then file order."""
        order = {d.code: i for i, d in enumerate(self.domains)}
        chosen = [m for m in self.milestones if m.level == level]
        return sorted(chosen, key=lambda m: order[m.domain])

    def domain(self, code: str) -> Coded:
        """The domain with this code."""
        return next(d for d in self.domains if d.code == code)

    def topic(self, month: int) -> Text | None:
        """The planned topic of a month, or None beyond the plan."""
        for t in self.session_plan:
            if t.month == month:
                return t.topic
        return None


def load_framework(path: Path | None = None) -> Framework:
    """Load and validate framework content; the packaged defaults when ``path`` is None.

    ``path`` is a folder of ``*.yaml`` files (as the packaged defaults are) or a single file.
    """
    if path is None:
        return _default_framework()
    files = sorted(path.glob("*.yaml")) if path.is_dir() else [path]
    return Framework.model_validate(_merge((f.name, f.read_text(encoding="utf-8")) for f in files))


def _merge(named_texts: Iterable[tuple[str, str]]) -> dict[str, Any]:
    """Merge the top-level keys of several YAML documents; a key in two files is an error."""
    merged: dict[str, Any] = {}
    origin: dict[str, str] = {}
    for name, text in named_texts:
        for key, value in (yaml.safe_load(text) or {}).items():
            if key in merged:
                raise ValueError(f"{name}: key {key!r} is already given in {origin[key]}")
            merged[key], origin[key] = value, name
    return merged


@lru_cache(maxsize=1)
def _default_framework() -> Framework:
    folder = resources.files("toolkit").joinpath("data/framework")
    entries = sorted((e for e in folder.iterdir() if e.name.endswith(".yaml")), key=_name)
    texts = ((e.name, e.read_text(encoding="utf-8")) for e in entries)
    return Framework.model_validate(_merge(texts))


def _name(entry: Any) -> str:
    return str(entry.name)
