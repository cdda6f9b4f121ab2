"""Countries the programme works in: ISO code, name, time zone offset and date-writing order.

The defaults live in ``toolkit/data/countries.yaml`` (every ISO 3166-1 alpha-2 code). Matching
uses the UTC offset for time-zone overlap; sync uses the date order to read an ambiguous date
typed as text (``03/04/2026``) the way people in that country write it.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from toolkit import yamlio

DateOrder = Literal["dmy", "mdy", "ymd"]


class Country(BaseModel):
    """One country's facts the toolkit relies on."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1, description="English name of the country.")
    utc_offset: float = Field(ge=-12, le=14, description="Standard-time UTC offset, in hours.")
    date_order: DateOrder = Field(default="dmy", description="How dates are written as text.")


@lru_cache(maxsize=1)
def default_countries() -> dict[str, Country]:
    """Every ISO 3166-1 alpha-2 country, keyed by upper-case code."""
    text = resources.files("toolkit").joinpath("data/countries.yaml").read_text(encoding="utf-8")
    raw = yamlio.safe_load(text)["countries"]
    return {code: Country.model_validate(facts) for code, facts in raw.items()}


def is_country_code(code: str) -> bool:
    """Whether ``code`` (any case) is a known ISO 3166-1 alpha-2 code."""
    return code.upper() in default_countries()
