"""Texts of the reports managers read (tracking table, dashboard, follow-up, review, exports).

Each report area keeps its labels in its own file, ``toolkit/data/reports/<area>.yaml``: a
mapping from a stable key to a :data:`~toolkit.text.Text` in English, French, Spanish and
Portuguese. :func:`report_text` picks one in a language and fills its ``{placeholders}``.
``tests/test_messages.py`` checks that every text exists in all four languages.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from pydantic import TypeAdapter

from toolkit import yamlio
from toolkit.text import Text, tr


def report_areas() -> list[str]:
    """The report areas that have a label file, sorted."""
    folder = resources.files("toolkit").joinpath("data/reports")
    return sorted(p.name[: -len(".yaml")] for p in folder.iterdir() if p.name.endswith(".yaml"))


@cache
def report_labels(area: str) -> dict[str, dict[str, str]]:
    """Every label of one report area, by key, each a Text in the four languages."""
    path = resources.files("toolkit").joinpath(f"data/reports/{area}.yaml")
    return TypeAdapter(dict[str, Text]).validate_python(yamlio.safe_load(path.read_text("utf-8")))


def report_text(area: str, key: str, lang: str, **facts: object) -> str:
    """The label ``key`` of ``area`` in ``lang`` (English when missing), placeholders filled."""
    text = tr(report_labels(area)[key], lang)
    return text.format(**facts) if facts else text
