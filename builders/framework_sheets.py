"""The master workbook's framework sheets: the programme's framework, laid out to print.

Six sheets, one per part a manager or steering group reads: Overview (vision, objectives, the
model and why, mentoring and coaching side by side, the computed time commitment), Competency
milestones (the rating scale and every milestone by domain and level), Session plan & sprints,
Matching guidelines, Governance (roles, RACI, selection, training, orientation, escalation,
recognition) and Indicator reference sheets (one reference sheet per indicator, then the data
collection methods and the annual review cycle). All texts are in one language.
"""

from __future__ import annotations

from builders.guide import at_level, role_name
from builders.printable import PrintSheet
from builders.xlsx import Book
from toolkit.framework import ROLE_CODES, Framework, Indicator, labels
from toolkit.text import tr


def write_framework_sheets(book: Book, framework: Framework, lang: str = "en") -> None:
    """Add the six framework sheets to a master workbook being built."""
    _Sheets(book, framework, lang).write()


class _Sheets:
    def __init__(self, book: Book, framework: Framework, lang: str) -> None:
        self.book = book
        self.fw = framework
        self.lang = lang
        self.label = labels()

    def t(self, key: str, **facts: object) -> str:
        return tr(self.label[key], self.lang).format(**facts)

    def x(self, text: dict[str, str]) -> str:
        return tr(text, self.lang)

    def sheet(self, key: str, widths: tuple[int, ...]) -> PrintSheet:
        name = self.t(key)
        return PrintSheet(self.book, name, widths, name, self.t("master_note"))

    def role(self, code: str) -> str:
        return role_name(self.fw, code, self.lang)

    def write(self) -> None:
        self._overview()
        self._milestones()
        self._sessions()
        self._matching()
        self._governance()
        self._indicators()

    # --- one method per sheet --------------------------------------------------------------------

    def _overview(self) -> None:
        ov = self.fw.overview
        s = self.sheet("sheet_overview", (22, 16, 16, 16, 16, 16, 16))
        s.section(self.t("sec_vision"))
        s.paragraph(self.x(ov.vision))
        s.section(self.t("sec_objectives"))
        for i, objective in enumerate(ov.objectives, start=1):
            s.paragraph(f"{i}. {self.x(objective)}")
        s.section(f"{self.t('sec_model')}: {self.x(ov.model.name)}")
        s.paragraph(self.x(ov.model.description))
        s.section(self.t("sec_why"))
        for reason in ov.model.justification:
            s.paragraph(f"• {self.x(reason)}")
        s.section(self.t("sec_versus"))
        s.table(
            [self.t("col_aspect"), self.t("col_mentoring"), self.t("col_coaching")],
            [[self.x(c.aspect), self.x(c.mentoring), self.x(c.coaching)]
             for c in ov.mentoring_vs_coaching],
            spans=[1, 3, 3],
        )  # fmt: skip
        s.section(self.t("sec_commitment"))
        s.table(
            [self.t("col_role"), self.t("col_sessions_h"), self.t("col_prep_h"),
             self.t("col_sprint_h"), self.t("col_reflection_h"), self.t("col_cycle_h"),
             self.t("col_month_h")],
            [[self.role(role), _hours(c.sessions_minutes), _hours(c.preparation_minutes),
              _hours(c.sprint_minutes), _hours(c.reflection_minutes), c.hours_per_cycle,
              c.hours_per_month] for role, c in self.fw.commitment.items()],
        )  # fmt: skip
        s.paragraph(self.x(ov.commitment.note))

    def _milestones(self) -> None:
        fw = self.fw
        s = self.sheet("sheet_milestones", (22, 12, 10, 60, 46))
        s.section(self.t("sec_scale", threshold=fw.achieved_threshold))
        s.table(
            [self.t("col_rating"), self.t("col_description")],
            [[self.x(r.label), self.x(r.description)] for r in fw.rating_scale],
            spans=[2, 3],
        )
        s.section(self.t("sec_milestones"))
        order = {lv.code: i for i, lv in enumerate(fw.levels)}
        rows = []
        for d in fw.domains:
            for m in sorted((m for m in fw.milestones if m.domain == d.code),
                            key=lambda m: order[m.level]):  # fmt: skip
                rows.append([self.x(d.label), self.x(fw.level(m.level).label), m.code,
                             self.x(m.text), self.x(m.evidence)])  # fmt: skip
        s.table(
            [self.t("col_domain"), self.t("col_level"), self.t("col_code"),
             self.t("col_milestone"), self.t("col_evidence")],
            rows,
        )  # fmt: skip

    def _sessions(self) -> None:
        fw = self.fw
        s = self.sheet("sheet_sessions", (10, 28, 34, 34, 34))
        s.section(self.t("sec_template", minutes=fw.session_minutes))
        s.table(
            [self.t("col_minutes"), self.t("col_segment"), self.t("col_purpose")],
            [[g.minutes, self.x(g.title), self.x(g.purpose)] for g in fw.session_template],
            spans=[1, 1, 3],
        )
        s.section(self.t("sec_plan"))
        s.table(
            [self.t("col_month"), self.t("col_topic"), self.t("col_objective"),
             self.t("col_preparation"), self.t("col_resource")],
            [[m.month, self.x(m.topic), self.x(m.objective), self.x(m.preparation),
              self.x(m.resource)] for m in fw.session_plan],
        )  # fmt: skip
        s.section(self.t("sec_sprints"))
        s.table(
            [self.t("col_sprint"), self.t("col_focus"), self.t("col_checkins"),
             self.t("col_deliverable"), self.t("col_judged")],
            [[p.code,
              self.t("sprint_when", quarter=p.quarter, weeks=p.weeks, minutes=p.checkin_minutes)
              + "\n" + self.x(p.focus) + "\n" + self.x(p.skill_goal),
              self.x(p.weekly_checkins),
              "\n".join([self.x(p.deliverable)] + [
                  at_level(fw, p.level_adaptation, lv.code, self.lang) for lv in fw.levels]),
              self.x(p.progress_judged_by)]
             for p in fw.sprints],
        )  # fmt: skip

    def _matching(self) -> None:
        m = self.fw.matching
        s = self.sheet("sheet_matching", (24, 10, 48, 48))
        s.section(self.t("sec_criteria"))
        s.table(
            [self.t("col_criterion"), self.t("col_weight"), self.t("col_rule"),
             self.t("col_rationale")],
            [[self.x(c.name), c.weight, self.x(c.rule), self.x(c.rationale)] for c in m.criteria],
        )  # fmt: skip
        s.section(self.t("sec_process"))
        for step in m.process:
            s.paragraph(self.x(step))
        for guideline in m.guidelines:
            s.section(self.x(guideline.title))
            for point in guideline.points:
                s.paragraph(f"• {self.x(point)}")
        s.section(self.t("sec_rematch"))
        s.paragraph(self.t("exit_intro"))
        s.table(
            [self.t("col_step"), self.t("col_who"), self.t("col_within"), self.t("col_action")],
            [[p.step, self.role(p.who), p.within_days, self.x(p.action)] for p in m.rematching],
        )

    def _governance(self) -> None:
        gov = self.fw.governance
        widths = (34, *([11] * len(ROLE_CODES)))
        s = self.sheet("sheet_governance", widths)
        s.section(self.t("sec_roles"))
        s.table(
            [self.t("col_role"), self.t("col_description")],
            [[self.x(r.name), self.x(r.description)] for r in gov.roles],
            spans=[1, len(ROLE_CODES)],
        )
        s.section(self.t("sec_raci"))
        s.table(
            [self.t("col_activity"), *(self.role(code) for code in ROLE_CODES)],
            [[self.x(r.activity), *(r.assignments.get(code, "") for code in ROLE_CODES)]
             for r in gov.raci],
        )  # fmt: skip
        # The items' codes (experience, strength_domains, ...) are for files, not readers.
        wide = [1, len(ROLE_CODES)]
        for key, items in (("sec_selection", gov.mentor_selection),
                           ("sec_orientation", gov.mentee_orientation),
                           ("sec_recognition", gov.recognition)):  # fmt: skip
            s.section(self.t(key))
            s.table(
                [self.t("col_item"), self.t("col_how")],
                [[self.x(i.text), self.x(i.detail)] for i in items],
                spans=wide,
            )
        s.section(self.t("sec_training"))
        s.table(
            [self.t("col_module"), self.t("col_minutes"), self.t("col_content")],
            [[self.x(m.title), m.minutes, self.x(m.content)] for m in gov.mentor_training],
            spans=[1, 1, len(ROLE_CODES) - 1],
        )
        s.section(self.t("sec_escalation"))
        s.table(
            [self.t("col_level"), self.t("col_trigger"), self.t("col_who"), self.t("col_action"),
             self.t("col_days")],
            [[e.level, self.x(e.trigger), self.role(e.who), self.x(e.action), e.time_limit_days]
             for e in gov.escalation],
            spans=[1, 3, 1, 2, 1],
        )  # fmt: skip

    def _indicators(self) -> None:
        fw = self.fw
        s = self.sheet("sheet_indicators", (26, 90))
        s.section(self.t("sec_pirs"))
        for ind in fw.indicators:
            s.section(f"{ind.code}: {self.x(ind.name)}")
            s.table(None, self._pirs(ind), keep_together=True)  # one indicator, one page
        s.section(self.t("sec_methods"))
        s.table(
            [self.t("col_method"), self.t("col_description")],
            [[self.x(m.name), f"{self.x(m.description)}\n({self.x(m.frequency)})"]
             for m in fw.data_collection_methods],
        )  # fmt: skip
        s.section(self.t("sec_review"))
        for step in fw.review_cycle:
            s.paragraph(
                f"{step.step}. {self.x(step.name)} ({self.x(step.timing)}; "
                f"{self.role(step.owner)}): {self.x(step.output)}"
            )

    def _pirs(self, ind: Indicator) -> list[list[object]]:
        t, x = self.t, self.x
        baseline = f"{ind.baseline:g}" if ind.baseline is not None else t("no_baseline")
        if ind.baseline_note is not None:
            baseline += f"\n{x(ind.baseline_note)}"
        return [
            [t("f_kind"), t(f"v_{ind.kind}")],
            [t("f_definition"), x(ind.definition)],
            [t("f_numerator"), x(ind.numerator)],
            [t("f_denominator"), x(ind.denominator)],
            [t("f_unit"), t(f"u_{ind.unit}")],
            [t("f_disaggregation"), ", ".join(t(f"d_{d}") for d in ind.disaggregation)],
            [t("f_frequency"), t(f"q_{ind.frequency}")],
            [t("f_data_source"), x(ind.data_source)],
            [t("f_collection_method"), x(ind.collection_method)],
            [t("f_responsible"), self.role(ind.responsible)],
            [t("f_baseline"), baseline],
            [t("f_target"), f"{ind.target:g}"],
            [t("f_direction"), t(f"v_{ind.direction}")],
            [t("f_thresholds"), f"{ind.thresholds.green:g} / {ind.thresholds.amber:g}"],
        ]


def _hours(minutes: int) -> float:
    return round(minutes / 60, 1)
