"""The pair workbook's ``Guide`` sheet: what a pair needs from the framework, in its language.

It shows the standard session, the month-by-month topics (objective, preparation, resource),
the quarterly coaching sprints, the escalation ladder with the coordinator's contact, and the
no-fault exit; and, at the top, the time commitment computed from the plan. The sheet is for
reading and printing only: sync does not read it (it is not one of the contract's tools), and
it is protected like the other sheets.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from builders.printable import PrintSheet
from builders.xlsx import Book
from toolkit.framework import Framework, labels
from toolkit.text import tr

if TYPE_CHECKING:
    from builders.pair import PairContext

WIDTHS = (8, 31, 32, 32, 32)
"""Columns of the Guide: narrow key column, then four text columns (about 135 characters,
which prints at a legible scale on a landscape A4 page)."""


def guide_title(lang: str) -> str:
    """The Guide sheet's title in ``lang``."""
    return tr(labels()["sheet_guide"], lang)


def guide_note(ctx: PairContext, framework: Framework) -> str:
    """The paragraph under the Guide's title: who the pair is and the time they commit."""
    lang = ctx.language
    label = labels()
    mentor, mentee = framework.commitment["mentor"], framework.commitment["mentee"]
    return (
        tr(label["guide_pair"], lang).format(
            pair=ctx.identity.pair_id, mentor=ctx.mentor_name, mentee=ctx.mentee_name
        )
        + "\n"
        + tr(label["commitment_line"], lang).format(
            mentor_month=decimal(mentor.hours_per_month, lang),
            mentor_cycle=decimal(mentor.hours_per_cycle, lang),
            mentee_month=decimal(mentee.hours_per_month, lang),
            mentee_cycle=decimal(mentee.hours_per_cycle, lang),
        )
    )


def write_guide(book: Book, ctx: PairContext, framework: Framework) -> None:
    """Add the Guide sheet to a pair workbook being built."""
    lang = ctx.language
    label = labels()

    def t(key: str, **facts: object) -> str:
        return tr(label[key], lang).format(**facts)

    sheet = PrintSheet(
        book, guide_title(lang), WIDTHS, f"{t('guide_title')} · {ctx.programme_name}",
        guide_note(ctx, framework),
    )  # fmt: skip

    sheet.section(t("sec_template", minutes=framework.session_minutes))
    sheet.table(
        [t("col_minutes"), t("col_segment"), t("col_purpose")],
        [[s.minutes, tr(s.title, lang), tr(s.purpose, lang)] for s in framework.session_template],
        spans=[1, 1, 3],
    )

    sheet.section(t("sec_plan"))
    sheet.table(
        [t("col_month"), t("col_topic"), t("col_objective"), t("col_preparation"),
         t("col_resource")],
        [[m.month, tr(m.topic, lang), tr(m.objective, lang), tr(m.preparation, lang),
          tr(m.resource, lang)] for m in framework.session_plan],
    )  # fmt: skip

    sheet.section(t("sec_sprints"))
    sheet.table(
        [t("col_sprint"), t("col_focus"), t("col_checkins"), t("col_deliverable"),
         t("col_judged")],
        [[s.code,
          t("sprint_when", quarter=s.quarter, weeks=s.weeks, minutes=s.checkin_minutes)
          + "\n" + tr(s.focus, lang) + "\n" + tr(s.skill_goal, lang),
          tr(s.weekly_checkins, lang),
          tr(s.deliverable, lang) + "\n"
          + at_level(framework, s.level_adaptation, ctx.level, lang),
          tr(s.progress_judged_by, lang)]
         for s in framework.sprints],
    )  # fmt: skip

    sheet.section(t("sec_escalation"))
    sheet.table(
        [t("col_level"), t("col_trigger"), t("col_who_when"), t("col_action")],
        [[e.level, tr(e.trigger, lang),
          _contact(framework, e.who, ctx, lang) + "\n" + _within(e.time_limit_days, lang),
          tr(e.action, lang)] for e in framework.governance.escalation],
        spans=[1, 1, 1, 2],
    )  # fmt: skip

    sheet.section(t("sec_exit"))
    sheet.paragraph(t("exit_intro"))
    sheet.table(
        [t("col_step"), t("col_who_when"), t("col_action")],
        [[s.step,
          _contact(framework, s.who, ctx, lang) + "\n" + _within(s.within_days, lang),
          tr(s.action, lang)] for s in framework.matching.rematching],
        spans=[1, 1, 3],
    )  # fmt: skip
    sheet.ws.protect("", {"format_columns": True, "format_rows": True})


def decimal(value: float, lang: str) -> str:
    """A number as people write it in ``lang``: 2.8 in English, 2,8 in French, Spanish and
    Portuguese."""
    text = f"{value:g}"
    return text if lang == "en" else text.replace(".", ",")


def role_name(framework: Framework, role: str, lang: str) -> str:
    """A governance role's name; 'pair' (either or both of mentor and mentee) has its own."""
    if role == "pair":
        return tr(labels()["who_pair"], lang)
    return tr(framework.role(role).name, lang)


def at_level(framework: Framework, texts: dict[str, dict[str, str]], level: str, lang: str) -> str:
    """How the mentee's level scales a sprint's deliverable ('' for an unknown level)."""
    if level not in texts:
        return ""
    name = tr(framework.level(level).label, lang)
    return tr(labels()["sprint_level"], lang).format(level=name, text=tr(texts[level], lang))


def _contact(framework: Framework, role: str, ctx: PairContext, lang: str) -> str:
    """A role's name, with the coordinator's name and address from programme.yaml."""
    name = role_name(framework, role, lang)
    if role != "coordinator":
        return name
    return tr(labels()["role_contact"], lang).format(role=name, contact=ctx.coordinator)


def _within(days: int, lang: str) -> str:
    """'within 7 days', or 'at any time' for a step with no delay."""
    key = "within_days" if days else "any_time"
    return tr(labels()[key], lang).format(days=days)
