"""The ``export`` section of ``programme.yaml``: how indicators map onto a DHIS2 instance.

``mentorkit export DIR --format dhis2`` writes a DHIS2 data value set. DHIS2 knows nothing of
mentorkit's indicator codes or countries, so the programme says which DHIS2 data element
receives each indicator's numerator, denominator or value, which organisation unit stands for
each country (or office), and, optionally, which category option combination stands for each
group of one disaggregation (sex, level, ...). Every identifier is a DHIS2 UID: 11 characters, a
letter first, then letters or digits.

These models only check the shape of what was typed (pydantic, so a mistake is reported with
its key and line as ``CFG002``). Whether an indicator code exists, and whether every country
with data has an org unit, depends on the framework and the data: :mod:`toolkit.dhis2` checks
that when it exports.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

DEFAULT_COMBO = "HllvX50cXC0"
"""DHIS2's built-in 'default' category option combination (the same UID on every instance)."""

_UID = re.compile(r"^[A-Za-z][A-Za-z0-9]{10}$")

OrgUnitDimension = Literal["country", "office"]
DisaggregationDimension = Literal["country", "office", "sex", "level", "sector", "role"]
PeriodType = Literal["quarterly", "monthly"]
ROLES: tuple[str, ...] = ("numerator", "denominator", "value")
"""What a data element can receive from an indicator, in the order rows are written."""


def _check_uid(value: str) -> str:
    if not _UID.match(value):
        raise ValueError(
            "not a DHIS2 UID: 11 characters, a letter first, then letters or digits "
            "(copy it from DHIS2's Maintenance app, or from /api/... in a browser)"
        )
    return value


Uid = Annotated[str, AfterValidator(_check_uid)]
"""A DHIS2 identifier such as ``ImspTQPwCqd``."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DataElements(_Model):
    """Which DHIS2 data elements receive one indicator; give at least one."""

    numerator: Uid | None = Field(
        default=None,
        description="Data element for the numerator (DHIS2 practice for a percentage: send "
        "numerator and denominator, and let a DHIS2 indicator divide them).",
    )
    denominator: Uid | None = Field(default=None, description="Data element for the denominator.")
    value: Uid | None = Field(
        default=None, description="Data element for the computed value (a ready figure)."
    )
    period: PeriodType | None = Field(
        default=None,
        description="quarterly (YYYYQn) or monthly (YYYYMM). Default: monthly for an "
        "indicator computed by month (SES), else quarterly.",
    )

    @model_validator(mode="after")
    def _one_at_least(self) -> DataElements:
        if not any(getattr(self, role) for role in ROLES):
            raise ValueError("give at least one of numerator, denominator or value")
        return self

    def mapped(self) -> list[tuple[str, str]]:
        """(role, data element UID) for each role given, in :data:`ROLES` order."""
        return [(role, getattr(self, role)) for role in ROLES if getattr(self, role)]


class Disaggregation(_Model):
    """One disaggregation sent as DHIS2 category option combinations."""

    dimension: DisaggregationDimension = Field(
        description="The roster attribute: sex, level, sector, role, country or office."
    )
    category_option_combos: dict[str, Uid] = Field(
        min_length=1,
        description="The category option combination of each group, e.g. {female: ..., "
        "male: ...}; a group with data and no entry stops the export with its name.",
    )


class Dhis2Mapping(_Model):
    """How indicator values become DHIS2 data values."""

    org_unit_by: OrgUnitDimension = Field(
        default="country",
        description="Which roster attribute selects the organisation unit: country or office.",
    )
    org_units: dict[str, Uid] = Field(
        default_factory=dict,
        description="The organisation unit of each country (ISO code) or office (its name "
        "as in the roster).",
    )
    attribute_option_combo: Uid = Field(
        default=DEFAULT_COMBO,
        description="Attribute option combination of every value (DHIS2's default unless "
        "the data set has an attribute category, e.g. a funding partner).",
    )
    category_option_combo: Uid = Field(
        default=DEFAULT_COMBO,
        description="Category option combination of values without a disaggregation.",
    )
    disaggregation: Disaggregation | None = Field(
        default=None, description="Optional: one dimension sent as category option combos."
    )
    data_elements: dict[str, DataElements] = Field(
        min_length=1,
        description="By indicator code (AGR30, SES, COMP, COMP-<domain>, ...): the data "
        "elements that receive its numerator, denominator or value.",
    )

    @model_validator(mode="after")
    def _consistent(self) -> Dhis2Mapping:
        if self.disaggregation and self.disaggregation.dimension == self.org_unit_by:
            raise ValueError(
                f"disaggregation.dimension is {self.org_unit_by!r}, which already selects the "
                "org unit; choose another dimension (sex, level, sector or role)"
            )
        seen: dict[str, str] = {}
        for code, elements in self.data_elements.items():
            for role, uid in elements.mapped():
                where = f"{code}.{role}"
                if uid in seen:
                    raise ValueError(
                        f"data element {uid} is given for both {seen[uid]} and {where}; each "
                        "figure needs its own data element, or DHIS2 keeps only the last"
                    )
                seen[uid] = where
        return self


class ExportSettings(_Model):
    """``mentorkit export``: where exported figures go."""

    dhis2: Dhis2Mapping | None = Field(
        default=None, description="The DHIS2 mapping used by 'mentorkit export --format dhis2'."
    )
