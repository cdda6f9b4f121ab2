"""A small, complete framework folder for tests: the packaged files, with stand-in parts.

The tests of the framework models must not depend on every packaged part being finished, so
:func:`write_fixture_framework` copies the packaged framework files and, for any part that is
missing or still a starter set, writes minimal stand-in content (English only, one word per
text) that has exactly the agreed shape. Tests then edit single values to provoke errors.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from toolkit.framework import default_files

LEVELS = {"junior": "J", "mid": "M", "senior": "S"}
DOMAINS = {"technical": "TEC", "evaluation": "EVA", "data": "DAT", "communication": "COM",
           "strategy": "STR", "leadership": "LEA"}  # fmt: skip
INDICATORS = {
    "AGR30": ("process", "increase"), "SES": ("process", "increase"),
    "FREQ": ("process", "increase"), "REF": ("process", "increase"),
    "RET": ("process", "increase"), "SPR": ("process", "increase"),
    "REM": ("process", "decrease"), "END": ("process", "decrease"),
    "COMP": ("outcome", "increase"), "MIL": ("outcome", "increase"),
    "ADV3": ("outcome", "increase"), "SATE": ("outcome", "increase"),
    "SATR": ("outcome", "increase"), "GOAL": ("outcome", "increase"),
}  # fmt: skip


def t(word: str) -> dict[str, str]:
    return {"en": word}


def _milestones() -> list[dict[str, Any]]:
    return [
        {"code": f"{prefix}-{lv}{n}", "domain": domain, "level": level, "text": t("Does"),
         "evidence": t("Shows")}
        for domain, prefix in DOMAINS.items()
        for level, lv in LEVELS.items()
        for n in (1, 2, 3)
    ]  # fmt: skip


def _sessions() -> dict[str, Any]:
    return {
        "session_template": [
            {"code": c, "minutes": m, "title": t(c), "purpose": t("Do")}
            for c, m in (("checkin", 10), ("review", 15), ("topic", 40), ("practice", 15),
                         ("actions", 10))
        ],  # fmt: skip
        "session_plan": [
            {"month": m, "topic": t(f"Topic {m}"), "objective": t("Can"),
             "preparation": t("Read"), "resource": t("A book")}
            for m in range(1, 13)
        ],  # fmt: skip
        "sprints": [
            {"code": f"S{q}", "quarter": q, "focus": t("Focus"), "skill_goal": t("Goal"),
             "weeks": 6, "checkin_minutes": 20, "weekly_checkins": t("Call"),
             "deliverable": t("Product"), "progress_judged_by": t("Criteria")}
            for q in range(1, 5)
        ],  # fmt: skip
    }


def _evaluation() -> dict[str, Any]:
    indicators = []
    for code, (kind, direction) in INDICATORS.items():
        up = direction == "increase"
        indicators.append(
            {"code": code, "kind": kind, "name": t(code), "definition": t("Def"),
             "numerator": t("Num"), "denominator": t("Den"), "unit": "percent",
             "disaggregation": ["country", "sex"], "frequency": "quarterly",
             "data_source": t("Ledger"), "collection_method": t("Workbook"),
             "responsible": "coordinator", "baseline": None, "target": 90 if up else 10,
             "direction": direction,
             "thresholds": {"green": 90, "amber": 70} if up else {"green": 10, "amber": 20}}
        )  # fmt: skip
    return {
        "indicators": indicators,
        "data_collection_methods": [
            {"code": "workbook", "name": t("Workbook"), "description": t("Returned"),
             "frequency": t("Monthly")}
        ],  # fmt: skip
        "review_cycle": [
            {"step": 1, "name": t("Review"), "timing": t("Month 11"), "owner": "steering_group",
             "output": t("Plan")}
        ],  # fmt: skip
    }


def write_fixture_framework(folder: Path) -> Path:
    """Write a valid framework folder into ``folder`` and return it."""
    folder.mkdir(parents=True, exist_ok=True)
    packaged = {name: yaml.safe_load(text) for name, text in default_files()}
    keys = {key for doc in packaged.values() for key in doc}
    stand_ins: dict[str, dict[str, Any]] = {}
    cell_counts = [
        sum(1 for m in packaged.get("competencies.yaml", {}).get("milestones", [])
            if m["domain"] == d and m["level"] == lv)
        for d in DOMAINS for lv in LEVELS
    ]  # fmt: skip
    if min(cell_counts) < 3:
        stand_ins["competencies.yaml"] = {"milestones": _milestones()}
    if "session_template" not in keys or "sprints" not in keys:
        stand_ins["sessions.yaml"] = _sessions()
    if "indicators" not in keys:
        stand_ins["evaluation.yaml"] = _evaluation()
    for name, doc in {**packaged, **stand_ins}.items():
        (folder / name).write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False),
                                   encoding="utf-8")  # fmt: skip
    return folder


def edit(folder: Path, file: str, change: Any) -> None:
    """Load ``file`` from ``folder``, let ``change(doc)`` edit it, and save it back."""
    path = folder / file
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(doc)
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
