"""What the demo's simulated pairs type, in the four workbook languages
(``toolkit/data/demo_texts.yaml``)."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml


@cache
def texts() -> dict[str, Any]:
    """The demo's text banks: each bank maps a language to its list of texts (same length and
    order in every language), except ``meeting_times`` (a list of {day, en, fr, es, pt}),
    ``missed`` (attendance code → language → text) and ``evidence`` (a milestone's domain, the
    prefix of its code → language → texts)."""
    source = resources.files("toolkit") / "data" / "demo_texts.yaml"
    return yaml.safe_load(source.read_text(encoding="utf-8"))


def bank(name: str, lang: str) -> list[str]:
    """One bank's texts in ``lang``."""
    return list(texts()[name][lang])


def evidence(milestone: str, lang: str) -> list[str]:
    """What a mentee might show for ``milestone`` (a code such as ``TEC-J1``), in ``lang``:
    evidence of the milestone's domain."""
    return list(texts()["evidence"][milestone.split("-")[0]][lang])
