"""The programme configuration (``programme.yaml``) and the programme folder around it.

:func:`load_programme` reads and validates ``programme.yaml`` and raises :class:`ConfigError`
listing *every* problem with its key path and line. :class:`ProgrammeFolder` names the files and
folders of a programme (see ARCHITECTURE.md) so no other module builds those paths itself.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from enum import Enum
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from toolkit import yamlio
from toolkit.countries import DateOrder, default_countries
from toolkit.errors import ConfigError, ProgrammeFolderError
from toolkit.export_settings import ExportSettings
from toolkit.framework_parts import MATCHING_CRITERIA
from toolkit.messages import Finding, finding
from toolkit.text import LANGUAGES

PROGRAMME_FILE = "programme.yaml"
ROSTER_FILE = "roster.xlsx"
LEDGER_FILE = "mentorkit.db"
MASTER_FILE = "master.xlsx"
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DeliveryMode(str, Enum):
    """How sessions are held."""

    IN_PERSON = "in_person"
    VIRTUAL = "virtual"
    HYBRID = "hybrid"


class ProgrammeId(_Model):
    """Identity of the programme and its cohort."""

    id: str = Field(
        pattern=r"^[A-Za-z0-9][A-Za-z0-9-]{0,31}$",
        description="Short code used in file names: letters, digits and dashes, at most 32.",
    )
    name: str = Field(min_length=1, description="Full name of the programme.")
    cohort: str = Field(
        pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$", description="This cycle's cohort code."
    )


class Organisation(_Model):
    """The organisation running the programme and its M&E staffing."""

    name: str = Field(min_length=1, description="Name of the organisation.")
    staff: int | None = Field(default=None, ge=0, description="People in the organisation.")
    me_staff: int | None = Field(default=None, ge=0, description="People working in M&E.")
    me_staffing: str = Field(default="", description="How M&E is staffed, in one sentence.")


class Cycle(_Model):
    """The mentoring cycle."""

    start_date: dt.date = Field(description="First month of the cycle.")
    months: int = Field(default=12, ge=1, le=24, description="Length of the cycle in months.")
    session_minutes: int = Field(default=90, ge=15, le=480, description="Planned session length.")

    @field_validator("start_date")
    @classmethod
    def _day_every_month_has(cls, value: dt.date) -> dt.date:
        if value.day > 28:
            raise ValueError(
                "a day from 1 to 28, e.g. the 1st of the month: each cycle month starts on "
                "this day, and February has no 29th to 31st"
            )
        return value


class Resources(_Model):
    """Budget and staff available."""

    budget: float | None = Field(default=None, ge=0, description="Total budget for the cycle.")
    currency: str = Field(default="USD", description="Currency of the budget.")
    coordinator_days_per_month: float | None = Field(
        default=None, ge=0, description="Coordinator time available, in days per month."
    )
    notes: str = Field(default="", description="Other resources, in one sentence.")


class Coordinator(_Model):
    """Who pairs send their workbooks to."""

    name: str = Field(min_length=1, description="Coordinator's name.")
    email: str = Field(
        pattern=EMAIL_PATTERN, description="Address pairs email their workbooks back to."
    )
    phone: str = Field(default="", description="Phone number, optional.")


CRITERIA: tuple[str, ...] = MATCHING_CRITERIA
"""Matching criterion codes, in the order the matches workbook shows them. Their default
weights are the framework's (``matching.criteria`` in ``toolkit/data/framework/matching.yaml``,
or the programme's edited framework)."""

Policy = Literal["required", "preferred", "any"]


def _weight(description: str) -> Any:
    return Field(default=None, ge=0, description=f"{description} Default: the framework's weight.")


class MatchingWeights(_Model):
    """How much each soft criterion counts; a pair's score is the sum of weight x fit.

    A weight left out takes the framework's matching guidelines' weight for that criterion.
    """

    domain_fit: float | None = _weight("Mentor's strengths against the mentee's growth goals.")
    preference: float | None = _weight("The mentor's rank in the mentee's preferred_mentors.")
    level_gap: float | None = _weight("A mentor one level above the mentee fits best.")
    timezone: float | None = _weight("Overlap of working hours (virtual and hybrid only).")
    sector: float | None = _weight("Same sector, or another sector when cross_sector is preferred.")
    country_diversity: float | None = _weight("Mentor and mentee in different countries.")

    def effective(self, framework_weights: dict[str, float]) -> dict[str, float]:
        """Every criterion's weight: the one set here, else the framework's."""
        chosen = self.model_dump()
        return {
            c: float(framework_weights[c] if chosen[c] is None else chosen[c]) for c in CRITERIA
        }


class Matching(_Model):
    """How ``mentorkit match`` proposes pairs."""

    weights: MatchingWeights = Field(default_factory=MatchingWeights)
    cross_country: Policy = Field(
        default="preferred",
        description="required: mentor and mentee always in different countries; preferred: a "
        "bonus (country_diversity); any: country plays no part.",
    )
    cross_sector: Policy = Field(
        default="any",
        description="required: always different sectors; preferred: a bonus for different "
        "sectors (sector criterion); any: the sector criterion rewards the same sector.",
    )
    default_capacity: int = Field(
        default=2, ge=0, le=50, description="Mentees per mentor when 'capacity' is empty."
    )
    alternatives: int = Field(
        default=3, ge=0, le=10, description="How many alternative mentors to list per mentee."
    )


class Confidentiality(_Model):
    """How pair workbooks are protected in transit (issue 5)."""

    encrypt_workbooks: bool = Field(
        default=False,
        description="Encrypt every pair workbook with a password ('build' then acts as "
        "'build --encrypt'); the passwords are listed only in master.xlsx.",
    )
    password_scope: Literal["pair", "programme"] = Field(
        default="pair", description="One password per pair, or one for the whole programme."
    )


class CountrySetting(_Model):
    """Per-country overrides of the built-in country facts (issue 5)."""

    date_order: DateOrder = Field(
        description="How people there write dates as text: dmy (15/03/2026), mdy (03/15/2026) "
        "or ymd; used to read an ambiguous date such as 03/04/2026."
    )


class Monitoring(_Model):
    """When a pair is late: the return deadline and the session gap (issue 6)."""

    return_deadline_days: int = Field(
        default=14,
        ge=0,
        le=92,
        description="Days after each quarter's end by which the pair's workbook is due back; "
        "used by the RET indicator and the follow-up list.",
    )
    session_gap_days: int = Field(
        default=42,
        ge=7,
        le=120,
        description="Days without a held session after which a pair goes on the follow-up "
        "list (42 = six weeks, as the FREQ indicator).",
    )


class Programme(_Model):
    """Everything in ``programme.yaml``."""

    programme: ProgrammeId
    organisation: Organisation
    purpose: str = Field(min_length=1, description="The primary objective of the programme.")
    cycle: Cycle
    planned_pairs: int = Field(ge=1, description="Planned cohort size in pairs.")
    delivery_mode: DeliveryMode = Field(description="in_person, virtual or hybrid.")
    resources: Resources = Field(default_factory=Resources)
    languages: list[str] = Field(min_length=1, description="Workbook languages used.")
    default_language: str = Field(default="en", description="Fallback workbook language.")
    coordinator: Coordinator
    framework: str | None = Field(
        default=None,
        description="Folder of an edited framework (written by 'mentorkit framework export'), "
        "relative to the programme folder; the packaged defaults when absent.",
    )
    matching: Matching = Field(
        default_factory=Matching, description="How 'mentorkit match' proposes pairs."
    )
    confidentiality: Confidentiality = Field(default_factory=Confidentiality)
    monitoring: Monitoring = Field(
        default_factory=Monitoring, description="Return deadline and session gap."
    )
    countries: dict[str, CountrySetting] = Field(
        default_factory=dict,
        description="Overrides by ISO country code, e.g. {US: {date_order: mdy}}.",
    )
    export: ExportSettings = Field(
        default_factory=ExportSettings,
        description="'mentorkit export': the DHIS2 mapping (toolkit/export_settings.py).",
    )

    @field_validator("framework")
    @classmethod
    def _relative_folder(cls, value: str | None) -> str | None:
        if value is not None and (Path(value).is_absolute() or ".." in Path(value).parts):
            raise ValueError("a folder inside the programme folder, e.g. 'framework'")
        return value

    def date_order(self, country: str) -> DateOrder:
        """How dates typed as text are ordered in ``country`` (programme.yaml, then built-in)."""
        code = country.upper()
        override = {k.upper(): v for k, v in self.countries.items()}.get(code)
        if override:
            return override.date_order
        known = default_countries().get(code)
        return known.date_order if known else "dmy"

    @field_validator("languages")
    @classmethod
    def _known_languages(cls, value: list[str]) -> list[str]:
        unknown = [v for v in value if v not in LANGUAGES]
        if unknown:
            raise ValueError(f"unknown language(s) {unknown}; use some of {list(LANGUAGES)}")
        return value

    @field_validator("default_language")
    @classmethod
    def _known_default(cls, value: str) -> str:
        if value not in LANGUAGES:
            raise ValueError(f"unknown language {value!r}; use one of {list(LANGUAGES)}")
        return value


@dataclass(frozen=True)
class ProgrammeFolder:
    """The paths of one programme folder."""

    root: Path

    @property
    def config(self) -> Path:
        return self.root / PROGRAMME_FILE

    @property
    def roster(self) -> Path:
        return self.root / ROSTER_FILE

    @property
    def ledger(self) -> Path:
        return self.root / LEDGER_FILE

    @property
    def master(self) -> Path:
        return self.root / MASTER_FILE

    @property
    def outbox(self) -> Path:
        return self.root / "outbox"

    @property
    def inbox(self) -> Path:
        return self.root / "inbox"

    @property
    def archive(self) -> Path:
        return self.root / "archive"

    @property
    def quarantine(self) -> Path:
        return self.root / "quarantine"

    def folders(self) -> list[Path]:
        """The sub-folders every programme has."""
        return [self.outbox, self.inbox, self.archive, self.quarantine]

    def require(self) -> None:
        """Raise :class:`ProgrammeFolderError` unless this looks like a programme folder."""
        if not self.config.is_file():
            raise ProgrammeFolderError(
                f"{self.root} is not a programme folder (no {PROGRAMME_FILE}). "
                f"Please run 'mentorkit init {self.root}' first, or check the path.",
                [finding("CFG003", file=str(self.config), location=str(self.config))],
            )


def programme_template(*, programme_id: str, name: str, cohort: str, start_date: dt.date) -> str:
    """The commented ``programme.yaml`` that ``mentorkit init`` writes."""
    template = resources.files("toolkit").joinpath("data/programme.template.yaml")
    # Quoted as JSON strings (valid YAML), so a name with a colon or an id of digits stays text.
    return template.read_text(encoding="utf-8").format(
        programme_id=json.dumps(programme_id),
        programme_name=json.dumps(name, ensure_ascii=False),
        cohort=json.dumps(cohort),
        start_date=start_date.isoformat(),
    )


def check_identity(programme_id: str, name: str, cohort: str) -> None:
    """Raise :class:`ConfigError` unless these can be a programme's id, name and cohort.

    Checked before ``mentorkit init`` writes anything, since id and cohort can never change.
    """
    try:
        ProgrammeId(id=programme_id, name=name, cohort=cohort)
    except ValidationError as exc:
        findings = [
            finding(
                "CFG002", file="mentorkit init", location=f"programme.{e['loc'][0]}",
                detail=e["msg"], value=e.get("input"),
            )
            for e in exc.errors()
        ]  # fmt: skip
        raise ConfigError("\n".join(f.render() for f in findings), findings) from None


def load_programme(path: Path) -> Programme:
    """Read and validate ``programme.yaml``; raise :class:`ConfigError` with every problem."""
    if not path.is_file():
        raise ConfigError(
            f"{path} does not exist", [finding("CFG003", file=str(path), location=str(path))]
        )
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        detail = f"it is not saved as UTF-8 text ({exc.reason} at byte {exc.start})"
        f = finding("CFG001", file=path.name, detail=detail)
        raise ConfigError(f.render(), [f]) from None
    try:
        data = yamlio.safe_load(text)
    except (yaml.YAMLError, ValueError) as exc:  # ValueError: a date such as 2026-02-30
        f = finding("CFG001", file=path.name, detail=str(exc).replace("\n", " "))
        raise ConfigError(f.render(), [f]) from None
    if not isinstance(data, dict):
        f = finding("CFG002", file=path.name, location="(top)", detail="expected keys", value=data)
        raise ConfigError(f.render(), [f])
    findings = _duplicate_keys(text, path.name)
    try:
        programme = Programme.model_validate(data)
    except ValidationError as exc:
        findings += _findings_from(exc, text, path.name)
    if findings:
        summary = "\n".join(f.render() for f in findings)
        raise ConfigError(f"{path} has {len(findings)} problem(s):\n{summary}", findings) from None
    return programme


def config_key_lines(path: Path) -> dict[str, int]:
    """Each dotted key path of a YAML file (``export.dhis2.org_units.KE``) and its line."""
    return _key_lines(path.read_text(encoding="utf-8-sig"))


def _findings_from(exc: ValidationError, text: str, file: str) -> list[Finding]:
    lines = _key_lines(text)
    out = []
    for err in exc.errors():
        key_path = ".".join(str(p) for p in err["loc"])
        line = lines.get(key_path) or lines.get(key_path.rsplit(".", 1)[0])
        location = f"{key_path} (line {line})" if line else key_path
        value = err.get("input") if err["type"] != "missing" else "nothing"
        detail = err["msg"]
        if err["type"] == "extra_forbidden":
            detail = "unknown key (check its spelling and indentation)"
        out.append(finding("CFG002", file=file, location=location, detail=detail, value=value))
    return out


def _duplicate_keys(text: str, file: str) -> list[Finding]:
    """A finding for each key given twice in the same section of valid YAML (the loader would
    silently keep the last), with both line numbers."""
    return [
        finding("CFG002", file=file, location=f"{d.path} ({d.lines})",
                detail="given twice; please keep one",
                value=f"{d.first_value}, then {d.second_value}")
        for d in yamlio.duplicate_keys(text)
    ]  # fmt: skip


def _key_lines(text: str) -> dict[str, int]:
    """Map each dotted key path of a YAML mapping to its 1-based line number."""
    lines: dict[str, int] = {}
    try:
        root = yaml.compose(text)
    except yaml.YAMLError:
        return lines

    def walk(node: Any, prefix: str) -> None:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                path = f"{prefix}.{key.value}" if prefix else str(key.value)
                lines[path] = key.start_mark.line + 1
                walk(value, path)
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                lines[f"{prefix}.{i}"] = item.start_mark.line + 1
                walk(item, f"{prefix}.{i}")

    walk(root, "")
    return lines


_ID_CLEAN = re.compile(r"[^A-Za-z0-9-]+")


def slug(text: str) -> str:
    """A file-name-safe programme id made from free text."""
    return _ID_CLEAN.sub("-", text).strip("-")[:32] or "programme"
