"""``mentorkit review``: the annual programme review workbook, ``review-<year>.xlsx``.

Four sheets for the steering group, in the programme's ``default_language``, printable on A4
landscape (fit to the page width, header rows repeated):

- **Review cycle**: the framework's review steps, what this workbook gives for each, and
  columns to mark each step done (date) with notes.
- **Indicators against targets**: the tracking table (baseline, target, each quarter,
  cumulative, % of target, coloured status, n and people), with a comment column.
- **What worked, what did not**: the themes of the reflections (``toolkit.review``), with
  counts, shares and anonymous quotes, and the comments no theme matched.
- **Recommendations**: one row per red or amber indicator and per theme that came up mostly in
  what did not work, with a Decision dropdown, a due date and notes.

Every figure is written as a value. The logic lives in :mod:`toolkit.review`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn

from xlsxwriter.format import Format
from xlsxwriter.utility import quote_sheetname
from xlsxwriter.worksheet import Worksheet

from builders.indicator_sheets import STATUS_COLOURS
from builders.printable import MARGINS, text_height, write_header_row
from builders.xlsx import Book, clip, finish_table, strict, write_value, write_with_backup
from toolkit.errors import StoreError
from toolkit.framework import Framework, framework_for
from toolkit.indicators import compute_report, inputs_from_ledger
from toolkit.ledger import Ledger
from toolkit.messages import Finding, finding
from toolkit.programme import Programme, ProgrammeFolder, load_programme
from toolkit.report_text import report_text
from toolkit.review import (
    OUTCOMES,
    ReviewContent,
    cycle_end,
    review_content,
    review_period,
)
from toolkit.text import tr

HEADER_ROW = 3
"""0-based row of every sheet's column headers (title, subtitle and note above)."""
STATUSES = ("green", "amber", "red", "no_data")
DECISIONS = ("decision_accept", "decision_modify", "decision_reject")
LISTS_SHEET = "Lists"
INPUT_ROWS_BELOW = 10
"""Empty input rows left under the recommendations, for the steering group's own."""


@dataclass
class ReviewResult:
    """What ``mentorkit review`` wrote."""

    path: Path
    year: int
    as_of: dt.date
    size_bytes: int
    indicators: int
    statuses: dict[str, int]
    comments: int
    classified: int
    recommendations: int
    backup: Path | None = None
    findings: list[Finding] = field(default_factory=list)


def write_review(
    root: Path,
    *,
    year: int | None = None,
    as_of: dt.date | None = None,
    now: dt.datetime | None = None,
) -> ReviewResult:
    """Compute the review of the programme in ``root`` and write ``review-<year>.xlsx``
    (the previous one kept as ``review-<year>.bak.xlsx``)."""
    folder = ProgrammeFolder(root)
    folder.require()
    programme = load_programme(folder.config)
    framework = framework_for(folder.root, programme)
    moment = now or dt.datetime.now(dt.timezone.utc)
    year, as_of = review_period(programme, year, as_of, moment.date())
    if not folder.ledger.is_file():
        _nothing_to_review(root, f"{folder.ledger.name} does not exist")
    with Ledger(folder.ledger) as ledger:
        pairs = ledger.pairs()
        if not pairs:
            _nothing_to_review(root, f"{folder.ledger.name} holds no pair")
        inputs = inputs_from_ledger(ledger, programme, framework, as_of=as_of)
    report = compute_report(inputs)
    lang = programme.default_language
    languages = {p.pair_id: p.language for p in pairs}
    content = review_content(report, inputs.values, languages, inputs.people, framework, lang)
    data = strict(
        lambda: render_review(content, programme, framework, moment, year), "the review workbook"
    )
    path = folder.root / f"review-{year}.xlsx"
    backup = write_with_backup(path, data)
    statuses = {s: 0 for s in STATUSES}
    for row in report.tracking:
        statuses[row.status] = statuses.get(row.status, 0) + 1
    return ReviewResult(
        path, year, as_of, len(data), len(report.tracking), statuses, len(content.comments),
        sum(1 for c in content.comments if c.themes), len(content.recommendations), backup,
        content.findings,
    )  # fmt: skip


def _nothing_to_review(root: Path, detail: str) -> NoReturn:
    f = finding("REV001", detail=detail, folder=str(root))
    raise StoreError(f.render(), [f])


def render_review(
    content: ReviewContent,
    programme: Programme,
    framework: Framework,
    created: dt.datetime,
    year: int | None = None,
) -> bytes:
    """The review workbook of ``year`` (the reference date's by default) as .xlsx bytes,
    the same for the same ``created``."""
    year = year if year is not None else content.report.as_of.year
    return _Renderer(content, programme, framework, created, year).render()


class _Renderer:
    def __init__(
        self,
        content: ReviewContent,
        programme: Programme,
        framework: Framework,
        created: dt.datetime,
        year: int,
    ) -> None:
        self.c = content
        self.programme = programme
        self.framework = framework
        self.lang = content.lang
        report = content.report
        self.title = self.t("workbook_title", programme=programme.programme.name, year=year)
        self.book = Book(created, title=self.title)
        self.subtitle = self.t(
            "subtitle",
            programme_id=programme.programme.id,
            cohort=programme.programme.cohort,
            as_of=report.as_of.isoformat(),
            start=programme.cycle.start_date.isoformat(),
            end=cycle_end(programme).isoformat(),
            made=created.strftime("%Y-%m-%d %H:%M UTC"),
        )
        wb = self.book.wb
        self.status_fmt = {
            s: wb.add_format({"bg_color": colour, "border": 1, "border_color": "#BFBFBF",
                              "valign": "top", "bold": True, "text_wrap": True})
            for s, (colour, _) in STATUS_COLOURS.items()
        }  # fmt: skip
        cell = {"valign": "top", "border": 1, "border_color": "#BFBFBF"}
        self.number = wb.add_format({**cell, "num_format": "0.0"})
        self.whole = wb.add_format({**cell, "num_format": "0"})
        self.share = wb.add_format({**cell, "num_format": "0%"})
        self.text = self.book.fmt["value"]
        self.total = wb.add_format({**cell, "bold": True, "bg_color": "#EDEDED", "text_wrap": True})
        self.names = {key: self.t(f"sheet_{key}")
                      for key in ("cycle", "indicators", "themes", "recommendations")}  # fmt: skip

    def t(self, key: str, **facts: object) -> str:
        return report_text("review", key, self.lang, **facts)

    def render(self) -> bytes:
        self._lists()
        self._cycle()
        self._indicators()
        self._themes()
        self._recommendations()
        self.book.wb.worksheets()[1].activate()
        return self.book.close()

    # --- sheets ------------------------------------------------------------------------------

    def _lists(self) -> None:
        """The Decision choices, on a hidden sheet (an inline list would be lower-cased by
        LibreOffice on re-save)."""
        ws = self.book.wb.add_worksheet(LISTS_SHEET)
        for r, key in enumerate(DECISIONS):
            ws.write_string(r, 0, self.t(key))
        ws.hide()
        self.decisions = f"={quote_sheetname(LISTS_SHEET)}!$A$1:$A${len(DECISIONS)}"

    def _cycle(self) -> None:
        c, report = self.c, self.c.report
        counts = {s: sum(1 for r in report.tracking if r.status == s) for s in STATUSES}
        facts: dict[int, dict[str, object]] = {
            2: {"comments": len(c.comments), "pairs": c.pairs_commenting,
                "sheet": self.names["themes"]},
            3: {"as_of": report.as_of.isoformat(), "sheet": self.names["indicators"]},
            4: {"sheet": self.names["indicators"]},
            5: counts,
            6: {"sheet": self.names["themes"]},
            7: {"recommendations": len(c.recommendations),
                "sheet": self.names["recommendations"]},
            8: {"sheet": self.names["recommendations"]},
            9: {"sheet": self.names["themes"]},
            10: {"sheet": self.names["recommendations"]},
        }  # fmt: skip
        rows = []
        for step in self.framework.review_cycle:
            known = step.step in facts or step.step == 1
            gives = self.t(f"gives_{step.step}", **facts.get(step.step, {})) if known else ""
            rows.append(
                [step.step, tr(step.name, self.lang), tr(step.timing, self.lang),
                 self._role(step.owner), tr(step.output, self.lang), gives]
            )  # fmt: skip
        headers = [self.t(k) for k in ("h_step", "h_step_name", "h_timing", "h_owner",
                                       "h_output", "h_gives", "h_done", "h_notes")]  # fmt: skip
        widths = [6, 22, 16, 16, 40, 40, 12, 24]
        ws = self._sheet("cycle", headers, widths, self.t("cycle_note"))
        for r, row in enumerate(rows, start=HEADER_ROW + 1):
            self._row(ws, r, row, widths, [self.whole] + [self.text] * 5)
            ws.write_blank(r, 6, None, self.book.fmt["input_date"])
            ws.write_blank(r, 7, None, self.book.fmt["input"])
        last = HEADER_ROW + len(rows)
        self._date_input(ws, 6, last, "h_done", "done_help")
        self._notes_input(ws, 7, last)
        self._finish(ws, len(rows), len(headers))

    def _indicators(self) -> None:
        report = self.c.report
        quarters = (self.programme.cycle.months + 2) // 3
        headers = [
            self.t("h_code"), self.t("h_indicator"), self.t("h_unit"), self.t("h_baseline"),
            self.t("h_target"), *(self.t("h_quarter", n=q) for q in range(1, quarters + 1)),
            self.t("h_cumulative"), self.t("h_pct"), self.t("h_status"), self.t("h_n"),
            self.t("h_people"), self.t("h_comment"),
        ]  # fmt: skip
        widths = [7, 30, 9, 34, 8, *[7] * quarters, 10, 9, 15, 7, 8, 28]
        done = report.completeness
        note = self.t("indicators_note", as_of=report.as_of.isoformat())
        if done.latest is not None:
            note += " " + self.t(
                "completeness", returned=done.returned, active=done.active,
                latest=done.latest.isoformat(),
            )  # fmt: skip
        ws = self._sheet("indicators", headers, widths, note)
        comment_col = len(headers) - 1
        for r, row in enumerate(report.tracking, start=HEADER_ROW + 1):
            baseline: object = row.baseline
            if baseline is None:
                baseline = tr(row.baseline_note, self.lang) if row.baseline_note else ""
            values = [
                row.code, tr(row.name, self.lang), self.t(f"unit_{row.unit}"), baseline,
                row.target,
                *(row.by_quarter.get(f"Q{q}") for q in range(1, quarters + 1)),
                row.cumulative,
                None if row.pct_of_target is None else row.pct_of_target / 100,
                report_text("indicators", f"status_{row.status}", self.lang), row.denominator,
                row.people, None,
            ]  # fmt: skip
            formats = [
                self.text, self.text, self.text,
                self.number if row.baseline is not None else self.text, self.number,
                *[self.number] * quarters, self.number, self.share,
                self.status_fmt.get(row.status, self.text), self.whole, self.whole,
                self.book.fmt["input"],
            ]  # fmt: skip
            self._row(ws, r, values, widths, formats)
        last = HEADER_ROW + len(report.tracking)
        self._notes_input(ws, comment_col, last)
        self._finish(ws, len(report.tracking), len(headers))

    def _themes(self) -> None:
        c = self.c
        quarters = ", ".join(p.code for p in c.report.periods) or "—"
        note = f"{self.t('themes_note')} {self.t('themes_rule', comments=len(c.comments), quarters=quarters)}"  # noqa: E501
        headers = [self.t(k) for k in ("h_theme", "h_worked", "h_did_not", "h_mixed", "h_total",
                                       "h_share_worked", "h_share_did_not", "h_mostly",
                                       "h_quotes")]  # fmt: skip
        widths = [24, 10, 11, 10, 8, 11, 11, 14, 60]
        ws = self._sheet("themes", headers, widths, note)
        counts_fmt = [self.text, self.whole, self.whole, self.whole, self.whole, self.share,
                      self.share, self.text, self.text]  # fmt: skip
        r = HEADER_ROW + 1
        for t in c.themes:
            quotes = "\n".join(
                self.t("quote", text=q.text, pair=q.pair_id, quarter=q.quarter,
                       outcome=self.t(f"outcome_{q.outcome}"))
                for q in t.quotes
            )  # fmt: skip
            values = [
                tr(t.name, self.lang), *(t.mentions[o] for o in OUTCOMES), t.total,
                t.share("worked", c.counts), t.share("did_not_work", c.counts),
                self._mostly(t.mentions), quotes,
            ]  # fmt: skip
            self._row(ws, r, values, widths, counts_fmt)
            r += 1
        for key, counts in (("row_not_classified", c.unclassified), ("row_all_comments", c.counts)):
            values = [self.t(key), *(counts[o] for o in OUTCOMES), sum(counts.values()),
                      None, None, "", ""]  # fmt: skip
            self._row(ws, r, values, widths, [self.total] * len(values))
            r += 1
        self._finish(ws, r - HEADER_ROW - 1, len(headers))

    def _recommendations(self) -> None:
        headers = [self.t(k) for k in ("h_number", "h_source", "h_finding", "h_recommendation",
                                       "h_owner", "h_decision", "h_due", "h_notes")]  # fmt: skip
        widths = [5, 14, 44, 50, 16, 12, 12, 26]
        ws = self._sheet("recommendations", headers, widths, self.t("recommendations_note"))
        recs = self.c.recommendations
        for i, rec in enumerate(recs, start=1):
            source = (self.t("source_indicator", code=rec.code) if rec.source == "indicator"
                      else self.t("source_theme"))  # fmt: skip
            values = [i, source, rec.finding, rec.recommendation, self._role(rec.owner)]
            self._row(ws, HEADER_ROW + i, values, widths[:5], [self.whole] + [self.text] * 4)
        first, last = HEADER_ROW + 1, HEADER_ROW + max(len(recs), 1) + INPUT_ROWS_BELOW
        for r in range(first, last + 1):
            ws.write_blank(r, 5, None, self.book.fmt["input"])
            ws.write_blank(r, 6, None, self.book.fmt["input_date"])
            ws.write_blank(r, 7, None, self.book.fmt["input"])
        ws.data_validation(first, 5, last, 5, {
            "validate": "list", "source": self.decisions,
            "input_title": clip(self.t("h_decision"), 32),
            "input_message": clip(self.t("decision_help"), 255),
        })  # fmt: skip
        self._date_input(ws, 6, last, "h_due", "due_help")
        self._notes_input(ws, 7, last)
        self._finish(ws, len(recs), len(headers), self.t("no_recommendation"))

    # --- helpers -----------------------------------------------------------------------------

    def _sheet(self, key: str, headers: list[str], widths: list[int], note: str) -> Worksheet:
        ws = self.book.wb.add_worksheet(self.names[key])
        fmt = self.book.fmt
        ws.write_string(0, 0, f"{self.title}: {self.names[key]}", fmt["title"])
        ws.write_string(1, 0, self.subtitle)
        span = len(headers) - 1
        ws.merge_range(2, 0, 2, span, note, fmt["description"])
        ws.set_row(2, text_height([note], [sum(widths)]))
        widths[:] = write_header_row(ws, HEADER_ROW, headers, widths, fmt["header"])
        return ws

    def _row(
        self,
        ws: Worksheet,
        r: int,
        values: Sequence[object],
        widths: Sequence[float],
        formats: Sequence[Format],
    ) -> None:
        """One table row, every value as what it is, the row as tall as its wrapped text."""
        for col, (value, fmt) in enumerate(zip(values, formats, strict=True)):
            write_value(ws, r, col, value, fmt)
        texts = ["" if v is None else str(v) for v in values]
        ws.set_row(r, text_height(texts, list(widths[: len(texts)])))

    def _date_input(self, ws: Worksheet, col: int, last: int, title: str, help_key: str) -> None:
        ws.data_validation(HEADER_ROW + 1, col, last, col, {
            "validate": "date", "criteria": "between",
            "minimum": dt.date(2000, 1, 1), "maximum": dt.date(2100, 12, 31),
            "input_title": clip(self.t(title), 32),
            "input_message": clip(self.t(help_key), 255),
            "error_title": clip(self.t(title), 32),
            "error_message": clip(self.t("date_error"), 255),
        })  # fmt: skip

    def _notes_input(self, ws: Worksheet, col: int, last: int) -> None:
        for r in range(HEADER_ROW + 1, last + 1):
            ws.write_blank(r, col, None, self.book.fmt["input"])

    def _finish(self, ws: Worksheet, rows: int, columns: int, empty: str = "") -> None:
        finish_table(ws, HEADER_ROW, rows, columns, empty)
        ws.repeat_rows(0, HEADER_ROW)
        ws.set_margins(**MARGINS)
        ws.set_footer("&L&A&R&P / &N")

    def _role(self, code: str) -> str:
        return tr(self.framework.role(code).name, self.lang)

    def _mostly(self, mentions: dict[str, int]) -> str:
        worked, not_worked = mentions["worked"], mentions["did_not_work"]
        if worked == not_worked:
            return self.t("not_mentioned") if not worked else self.t("mostly_even")
        return self.t("outcome_did_not_work" if not_worked > worked else "outcome_worked")
