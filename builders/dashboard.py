"""The Dashboard sheet: what a manager reads in one minute.

Headline figures with their status colours, a line on how complete the data are, and four
native charts (competency change by domain, sessions held against plan by month, workbooks
returned on time by country, satisfaction by quarter). The figures behind the charts are
written as values in a small table under them, and each chart refers to those cells, so every
viewer shows the same numbers, recalculated or not.
"""

from __future__ import annotations

from dataclasses import dataclass

from xlsxwriter.worksheet import Worksheet

from builders.indicator_sheets import (
    STATUS_COLOURS,
    Key,
    formats,
    hidden_figures,
    quarter_header,
    status_label,
    t,
    unit_label,
)
from builders.xlsx import Book
from toolkit.framework import Framework
from toolkit.indicators import CUMULATIVE, IndicatorReport
from toolkit.indicators.periods import add_months
from toolkit.text import tr

HEADLINES = ("AGR30", "SES", "RET", "COMP", "SATE", "END")
"""The indicators shown as headline tiles, left to right."""
TILE_COLUMNS = 2
COLUMN_WIDTH = 12
CHART_ROWS = 18
DATA_ROW = 47
"""First row of the figures behind the charts (after the printed first page)."""
BAR, ACCENT = "#2F5597", "#A5A5A5"


@dataclass(frozen=True)
class ChartRange:
    """Where a chart's series reads its categories and values on the sheet (0-based)."""

    chart: str
    series: str
    first_row: int
    last_row: int
    category_col: int
    value_col: int


def write_dashboard(
    book: Book,
    report: IndicatorReport,
    framework: Framework,
    lang: str,
    title: str,
    programme: str,
    *,
    follow_ups: int | None = None,
    anonymous: bool = False,
) -> list[ChartRange]:
    """Write the Dashboard sheet first in ``book``; returns where each chart reads its data."""
    fmt = formats(book)
    name = t("dashboard_sheet", lang)
    ws = book.wb.add_worksheet(name)
    ws.set_column(0, 13, COLUMN_WIDTH)
    ws.hide_gridlines(2)
    big = book.wb.add_format({"bold": True, "font_size": 16, "font_color": "#1F3864"})
    ws.write_string(0, 0, f"{title}: {t('dashboard_title', lang)}", big)
    c = report.completeness
    month = min(report.cycle_months, _months_begun(report))
    ws.write_string(1, 0, t("as_of", lang, programme=programme, date=report.as_of.isoformat(),
                            month=month, months=report.cycle_months, pairs=c.active,
                            countries=c.countries))  # fmt: skip
    if c.latest is None:
        line = t("completeness_none", lang, active=c.active)
    else:
        share = f"{c.share:.0f}%" if c.share is not None else "-"
        # The anonymous version gives the share only: a count of 1 or 2 silent pairs is a
        # figure about fewer than 3 people.
        key = "completeness_anonymous" if anonymous else "completeness"
        line = t(key, lang, returned=c.returned, active=c.active, share=share,
                 silent=c.silent, latest=c.latest.isoformat())  # fmt: skip
    if report.as_of < report.cycle_start:
        line = t("before_cycle", lang, start=report.cycle_start.isoformat()) + " " + line
    if follow_ups is not None:
        line += " " + t("follow_up_line", lang, count=follow_ups)
    ws.merge_range(2, 0, 2, 11, line, fmt["note"])
    ws.set_row(2, 30)
    hidden = hidden_figures(report) if anonymous else {}
    _tiles(book, ws, report, framework, lang, hidden)
    ranges = _charts(book, ws, report, framework, lang, hidden)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.set_h_pagebreaks([DATA_ROW - 1])
    ws.set_footer("&L&A&R&P / &N")
    ws.activate()
    ws.set_first_sheet()
    return ranges


def _months_begun(report: IndicatorReport) -> int:
    months = 0
    while months < report.cycle_months and add_months(report.cycle_start, months) <= report.as_of:
        months += 1
    return months


def _tiles(book: Book, ws: Worksheet, report: IndicatorReport, framework: Framework,
           lang: str, hidden: dict[Key, str]) -> None:  # fmt: skip
    """One tile per headline indicator: name, figure, status, target and n."""
    rows = {row.code: row for row in report.tracking}
    ws.set_row(4, 30)
    ws.set_row(5, 34)
    for i, code in enumerate(c for c in HEADLINES if c in rows):
        row = rows[code]
        left, right = i * TILE_COLUMNS, i * TILE_COLUMNS + TILE_COLUMNS - 1
        status = hidden.get((code, CUMULATIVE, "total", "all"), row.status)
        shown = status not in ("small", "protect")
        fill, font = STATUS_COLOURS.get(status, STATUS_COLOURS["no_data"])
        colours = {"bg_color": fill, "font_color": font}
        name = book.wb.add_format({"bold": True, "font_size": 9, "text_wrap": True,
                                   "valign": "top", **colours})  # fmt: skip
        figure = book.wb.add_format({"bold": True, "font_size": 20, "align": "center",
                                     "bg_color": fill, "font_color": font,
                                     "num_format": "0.0"})  # fmt: skip
        small = book.wb.add_format({"font_size": 8, "align": "center", "bg_color": fill,
                                    "font_color": font, "text_wrap": True})  # fmt: skip
        ws.merge_range(4, left, 4, right, f"{code} · {tr(row.name, lang)}", name)
        value = row.cumulative if shown else None
        if value is None:
            ws.merge_range(5, left, 5, right, "-", figure)
        else:
            ws.merge_range(5, left, 5, right, value, figure)
        ws.merge_range(6, left, 6, right,
                       f"{unit_label(row.unit, lang)} · {status_label(status, lang)}",
                       small)  # fmt: skip
        n = f"{row.denominator:g}" if shown else "-"
        target = t("headline_target", lang, target=f"{row.target:g}", n=n)
        ws.merge_range(7, left, 7, right, target, small)


def _charts(book: Book, ws: Worksheet, report: IndicatorReport, framework: Framework,
            lang: str, hidden: dict[Key, str]) -> list[ChartRange]:  # fmt: skip
    """The figures behind the charts, as a table from :data:`DATA_ROW`, and the charts."""
    fmt = formats(book)
    sheet = ws.get_name()
    ws.write_string(DATA_ROW, 0, t("chart_data", lang), fmt["bold"])
    top = DATA_ROW + 1

    def figure(code: str, period: str = CUMULATIVE, dim: str = "total", group: str = "all"):
        if (code, period, dim, group) in hidden:
            return None, None
        row = report.row(code, period, dim, group)
        if row is None:
            return None, None
        return row["value"], row

    def put(r: int, c: int, value: float | None) -> None:
        """A chart's figure; no data leaves the cell empty, unformatted, so that a chart's
        stored values hold a gap and not a 0."""
        if value is not None:
            ws.write_number(r, c, value, fmt["figure"])

    # 1. Competency change by domain.
    domains = framework.domains
    ws.merge_range(top, 0, top, 1, t("col_domain", lang), fmt["header"])
    ws.write_string(top, 2, t("series_change", lang), fmt["header"])
    for i, d in enumerate(domains, start=top + 1):
        ws.merge_range(i, 0, i, 1, tr(d.label, lang))
        put(i, 2, figure(f"COMP-{d.code}")[0])
    comp = ChartRange("competency", "change", top + 1, top + len(domains), 0, 2)
    # 2. Sessions held against plan by month.
    ws.write_row(top, 4, [t("col_month", lang), t("series_held", lang),
                          t("series_planned", lang)], fmt["header"])  # fmt: skip
    for m in range(1, report.cycle_months + 1):
        r = top + m
        ws.write_string(r, 4, add_months(report.cycle_start, m - 1).strftime("%Y-%m"))
        _value, row = figure("SES", f"M{m}")
        if row is not None and row["denominator"]:
            ws.write_number(r, 5, row["numerator"], fmt["count"])
            ws.write_number(r, 6, row["denominator"], fmt["count"])
    last_month = top + report.cycle_months
    held = ChartRange("sessions", "held", top + 1, last_month, 4, 5)
    planned = ChartRange("sessions", "planned", top + 1, last_month, 4, 6)
    # 3. Returned on time by country.
    ws.write_row(top, 8, [t("col_country", lang), t("series_on_time", lang)], fmt["header"])
    tidy = report.tidy
    countries = sorted(set(tidy[(tidy.code == "RET") & (tidy.period == CUMULATIVE)
                                & (tidy.dimension == "country")].group))  # fmt: skip
    for i, country in enumerate(countries or ["-"], start=top + 1):
        ws.write_string(i, 8, country)
        put(i, 9, figure("RET", CUMULATIVE, "country", country)[0])
    returns = ChartRange("returns", "on_time", top + 1, top + max(1, len(countries)), 8, 9)
    # 4. Satisfaction by quarter.
    ws.write_row(top, 11, [t("col_quarter", lang), t("series_mentees", lang),
                           t("series_mentors", lang)], fmt["header"])  # fmt: skip
    quarters = (report.cycle_months + 2) // 3
    for q in range(1, quarters + 1):
        r = top + q
        ws.write_string(r, 11, quarter_header(f"Q{q}", lang))
        put(r, 12, figure("SATE", f"Q{q}")[0])
        put(r, 13, figure("SATR", f"Q{q}")[0])
    mentees = ChartRange("satisfaction", "mentees", top + 1, top + quarters, 11, 12)
    mentors = ChartRange("satisfaction", "mentors", top + 1, top + quarters, 11, 13)

    def series(chart, rng: ChartRange, name: str, colour: str, labels: bool = True,
               inside: bool = False) -> None:  # fmt: skip
        options = {
            "name": name,
            "categories": [sheet, rng.first_row, rng.category_col, rng.last_row,
                           rng.category_col],
            "values": [sheet, rng.first_row, rng.value_col, rng.last_row, rng.value_col],
            "fill": {"color": colour}, "line": {"color": colour, "width": 2.25},
            "marker": {"type": "circle", "size": 6, "fill": {"color": colour},
                       "border": {"color": colour}},
            "smooth": False,
        }  # fmt: skip
        if labels:
            options["data_labels"] = {"value": True, "num_format": "0.0", "font": {"size": 8}}
            if inside:  # a bar reaching 100 leaves no room for its label outside
                options["data_labels"] |= {"position": "inside_end",
                                           "font": {"size": 8, "color": "#FFFFFF"}}  # fmt: skip
        chart.add_series(options)

    def chart(kind: str, title: str, legend: bool, **axis: object):
        c = book.wb.add_chart({"type": kind})
        c.set_title({"name": title, "name_font": {"size": 10, "bold": True}})
        c.set_legend({"position": "bottom"} if legend else {"none": True})
        c.set_chartarea({"border": {"none": True}})
        c.show_blanks_as("gap")
        if kind == "bar":  # value axis horizontal; categories top to bottom as in the table
            c.set_x_axis(axis)
            c.set_y_axis({"reverse": True})
        elif axis:
            c.set_y_axis(axis)
        return c

    size = {"x_scale": 6 * COLUMN_WIDTH * 7.5 / 480, "y_scale": CHART_ROWS * 20 / 288}
    c1 = chart("bar", t("chart_competency", lang), False, min=0)
    series(c1, comp, t("series_change", lang), BAR)
    c2 = chart("column", t("chart_sessions", lang), True, min=0)
    series(c2, held, t("series_held", lang), BAR, labels=False)
    series(c2, planned, t("series_planned", lang), ACCENT, labels=False)
    c3 = chart("bar", t("chart_returns", lang), False, min=0, max=100)
    series(c3, returns, t("series_on_time", lang), BAR, inside=True)
    c4 = chart("line", t("chart_satisfaction", lang), True, min=1, max=5, major_unit=1)
    series(c4, mentees, t("series_mentees", lang), BAR)
    series(c4, mentors, t("series_mentors", lang), "#C55A11")
    ws.insert_chart(9, 0, c1, size)
    ws.insert_chart(9, 6, c2, size)
    ws.insert_chart(9 + CHART_ROWS + 1, 0, c3, size)
    ws.insert_chart(9 + CHART_ROWS + 1, 6, c4, size)
    return [comp, held, planned, returns, mentees, mentors]
