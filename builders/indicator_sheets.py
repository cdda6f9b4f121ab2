"""The Indicator Tracking Table and Disaggregation sheets of the master workbooks.

Both are written from an :class:`~toolkit.indicators.IndicatorReport` as values (never
formulas), in the programme's language. With ``anonymous``, a figure about fewer than three
people is left out (:mod:`toolkit.privacy`) and the sheet says so.
"""

from __future__ import annotations

from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from builders.printable import write_header_row
from builders.xlsx import Book, finish_table, write_value
from toolkit.framework import Framework
from toolkit.framework_model import status as rag
from toolkit.indicators import (
    CUMULATIVE,
    DIMENSIONS,
    TOTAL,
    IndicatorReport,
    TrackingRow,
)
from toolkit.indicators.report import number, tracking_row
from toolkit.privacy import suppression
from toolkit.report_text import report_text
from toolkit.text import tr

STATUS_COLOURS = {
    "green": ("#C6EFCE", "#006100"),
    "amber": ("#FFEB9C", "#9C5700"),
    "red": ("#FFC7CE", "#9C0006"),
    "no_data": ("#EDEDED", "#595959"),
    "small": ("#EDEDED", "#595959"),
    "protect": ("#EDEDED", "#595959"),
}
"""Fill and font colour of each status, as spreadsheets colour good / neutral / bad cells."""


def formats(book: Book) -> dict[str, Format]:
    """The indicator sheets' formats, added to the book once."""
    if "status_green" not in book.fmt:
        for status, (fill, font) in STATUS_COLOURS.items():
            book.fmt[f"status_{status}"] = book.wb.add_format(
                {
                    "bg_color": fill,
                    "font_color": font,
                    "bold": True,
                    "border": 1,
                    "border_color": "#BFBFBF",
                    "valign": "top",
                }
            )
        book.fmt["figure"] = book.wb.add_format({"num_format": "0.0", "valign": "top"})
        book.fmt["count"] = book.wb.add_format({"num_format": "0", "valign": "top"})
        book.fmt["plain"] = book.wb.add_format({"valign": "top"})
        book.fmt["figure_bold"] = book.wb.add_format(
            {"num_format": "0.0", "valign": "top", "bold": True}
        )
        book.fmt["note"] = book.wb.add_format(
            {"italic": True, "text_wrap": True, "valign": "top", "font_color": "#404040"}
        )
    return book.fmt


def t(key: str, lang: str, **facts: object) -> str:
    """A text of the indicator sheets in ``lang``."""
    return report_text("indicators", key, lang, **facts)


def status_label(status: str, lang: str) -> str:
    """``green`` → "On track" and so on, in ``lang``."""
    return t(f"status_{status}", lang)


def unit_label(unit: str, lang: str) -> str:
    """The indicator's unit as a reader says it."""
    return t(f"unit_{unit}", lang)


def quarter_header(code: str, lang: str) -> str:
    """``Q1`` in English, ``T1`` in French, Spanish and Portuguese."""
    return t("quarter_label", lang, n=code[1:])


def write_tracking_table(
    book: Book,
    report: IndicatorReport,
    framework: Framework,
    lang: str,
    title: str,
    subtitle: str,
    *,
    anonymous: bool = False,
) -> Worksheet:
    """The Indicator Tracking Table: baseline, target, each quarter, cycle to date, % of
    target and status for every indicator, and COMP for each competency domain."""
    fmt = formats(book)
    name = t("tracking_sheet", lang)
    ws = book.wb.add_worksheet(name)
    ws.write_string(0, 0, f"{title}: {t('tracking_title', lang)}", fmt["title"])
    ws.write_string(1, 0, subtitle)
    quarters = [f"Q{q}" for q in range(1, (report.cycle_months + 2) // 3 + 1)]
    headers = [t(k, lang) for k in ("col_code", "col_indicator", "col_kind", "col_unit",
                                     "col_baseline", "col_target")]  # fmt: skip
    headers += [quarter_header(q, lang) for q in quarters]
    headers += [t(k, lang) for k in ("col_cumulative", "col_numerator", "col_denominator",
                                     "col_people", "col_pct_target", "col_status",
                                     "col_responsible")]  # fmt: skip
    widths = [16, 46, 10, 11, 12, 8] + [7] * len(quarters) + [10, 11, 12, 9, 9, 13, 20]
    header = 3
    write_header_row(ws, header, headers, widths, fmt["header"])
    hide = hidden_figures(report) if anonymous else {}
    r = header + 1
    for row in _rows(report, framework):
        _tracking_row(ws, fmt, r, row, framework, lang, quarters, hide)
        r += 1
    ws.merge_range(r + 1, 0, r + 1, len(headers) - 1, t("tracking_notes", lang), fmt["note"])
    ws.set_row(r + 1, 66)
    if anonymous:
        ws.merge_range(r + 2, 0, r + 2, len(headers) - 1, t("suppression_note", lang),
                       fmt["note"])  # fmt: skip
        ws.set_row(r + 2, 30)
    finish_table(ws, header, r - header - 1, len(headers), "")
    return ws


def _rows(report: IndicatorReport, framework: Framework) -> list[TrackingRow]:
    """The tracking rows, each competency domain's COMP after COMP (under COMP's target)."""
    out = []
    for row in report.tracking:
        out.append(row)
        indicator = framework.indicator(row.code)
        if row.code == "COMP" and indicator is not None:
            out += [tracking_row(report, indicator, f"COMP-{d.code}") for d in framework.domains]
    return out


Key = tuple[str, str, str, str]
"""(code, period, dimension, group) of one figure."""


def hidden_figures(report: IndicatorReport) -> dict[Key, str]:
    """Every figure the anonymous report leaves out, with why (``small`` or ``protect``)."""
    tidy = report.tidy
    reason = suppression(tidy)
    rows = tidy[reason != ""]
    keys = zip(rows.code, rows.period, rows.dimension, rows.group, strict=True)
    return dict(zip(keys, reason[reason != ""], strict=True))


def _tracking_row(ws: Worksheet, fmt: dict[str, Format], r: int, row: TrackingRow,
                  framework: Framework, lang: str, quarters: list[str],
                  hide: dict[Key, str]) -> None:  # fmt: skip
    domain = row.code.startswith("COMP-")
    if domain:
        label = t("domain_row", lang, domain=tr(framework.domain(row.code[5:]).label, lang))
    else:
        label = tr(row.name, lang)
    ws.write_string(r, 0, row.code)
    ws.write_string(r, 1, label, fmt["wrap"])
    ws.write_string(r, 2, t(f"kind_{row.kind}", lang))
    ws.write_string(r, 3, unit_label(row.unit, lang))
    if row.baseline is None:
        ws.write_string(r, 4, t("baseline_not_set", lang))
        if row.baseline_note and not domain:
            ws.write_comment(r, 4, tr(row.baseline_note, lang), {"x_scale": 2, "y_scale": 2})
    else:
        ws.write_number(r, 4, row.baseline, fmt["figure"])
    ws.write_number(r, 5, row.target, fmt["figure"])
    col = 6
    for q in quarters:
        value = row.by_quarter.get(q)
        if (row.code, q, TOTAL, "all") in hide:
            value = None
        write_value(ws, r, col, value, fmt["figure"])
        col += 1
    hidden = (row.code, CUMULATIVE, TOTAL, "all") in hide
    status = hide.get((row.code, CUMULATIVE, TOTAL, "all"), row.status)
    figures = [None] * 5 if hidden else [row.cumulative, row.numerator, row.denominator,
                                         row.people, row.pct_of_target]  # fmt: skip
    for value, style in zip(figures, ("figure_bold", "plain", "plain", "count", "figure"),
                            strict=True):  # fmt: skip
        write_value(ws, r, col, value, fmt[style])
        col += 1
    ws.write_string(r, col, status_label(status, lang), fmt[f"status_{status}"])
    ws.write_string(r, col + 1, tr(framework.role(row.responsible).name, lang))
    ws.set_row(r, 30 if len(label) > 50 else None)


def write_disaggregation(
    book: Book,
    report: IndicatorReport,
    framework: Framework,
    lang: str,
    title: str,
    subtitle: str,
    *,
    anonymous: bool = False,
) -> Worksheet:
    """Every indicator's cycle-to-date figure in total and by each breakdown, whose groups
    add up to the total."""
    fmt = formats(book)
    ws = book.wb.add_worksheet(t("disaggregation_sheet", lang))
    ws.write_string(0, 0, f"{title}: {t('disaggregation_title', lang)}", fmt["title"])
    ws.write_string(1, 0, subtitle)
    headers = [t(k, lang) for k in ("col_code", "col_indicator", "col_breakdown", "col_group",
                                     "col_numerator", "col_denominator", "col_value",
                                     "col_people", "col_status")]  # fmt: skip
    widths = [8, 40, 12, 22, 11, 12, 9, 9, 16]
    header = 3
    write_header_row(ws, header, headers, widths, fmt["header"])
    tidy = report.tidy
    tidy = tidy.assign(hidden=suppression(tidy) if anonymous else "")
    part = tidy[tidy.period == CUMULATIVE]
    order = {row.code: i for i, row in enumerate(report.tracking)}
    dims = {d: i for i, d in enumerate((TOTAL, *DIMENSIONS))}
    part = part[part.code.isin(order)]
    part = part.assign(_c=part.code.map(order), _d=part.dimension.map(dims))
    part = part.sort_values(["_c", "_d", "group"], kind="stable")
    r = header + 1
    for rec in part.itertuples(index=False):
        indicator = framework.indicator(rec.code)
        total = rec.dimension == TOTAL
        ws.write_string(r, 0, rec.code, fmt["bold"] if total else None)
        ws.write_string(r, 1, tr(indicator.name, lang) if indicator else rec.code)
        ws.write_string(r, 2, t(f"dim_{rec.dimension}", lang))
        ws.write_string(r, 3, t("dim_total", lang) if total else str(rec.group))
        if rec.hidden:
            for c in range(4, 8):
                ws.write_blank(r, c, None)
            status = rec.hidden
        else:
            for c, (value, style) in enumerate(
                ((rec.numerator, "plain"), (rec.denominator, "plain"),
                 (number(rec.value), "figure_bold"), (rec.people, "count")), start=4,
            ):  # fmt: skip
                write_value(ws, r, c, value, fmt[style])
            status = (rag(indicator, number(rec.value)) if indicator else "") or "no_data"
        ws.write_string(r, 8, status_label(status, lang), fmt[f"status_{status}"])
        r += 1
    notes = t("disaggregation_notes", lang)
    if anonymous:
        notes += " " + t("suppression_note", lang)
    ws.merge_range(r + 1, 0, r + 1, len(headers) - 1, notes, fmt["note"])
    ws.set_row(r + 1, 45)
    finish_table(ws, header, r - header - 1, len(headers), "")
    return ws
