"""The ``Follow-up`` sheet: the follow-up list of :mod:`toolkit.followup`, one row per item.

Laid out like the master's listing sheets (title, subtitle, a note, a filtered header row that
is frozen and repeated on every printed page, A4 landscape one page wide), with every text in
the language asked. Each row is coloured by how far up the escalation ladder its item is:
yellow at level 1, orange once escalated, red at the last level, bold red once past the last
level's time. Dates are real dates; nothing a pair typed and no name is written, so the sheet
can go into the anonymous report as it is.

The master workbook adds it with one line::

    add_followup_sheet(book, follow_up_items(ledger, programme, framework, as_of, lang=lang),
                       lang, title, subtitle)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from builders.printable import BOLD_FACTOR, text_height, write_header_row
from builders.xlsx import DATE_FORMAT, Book, finish_table
from toolkit.followup import FollowUpItem
from toolkit.report_text import report_text

COLUMNS = (
    "col_pair", "col_code", "col_rule", "col_facts", "col_since", "col_days_open", "col_level",
    "col_owner", "col_action", "col_due_by",
)  # fmt: skip
"""The report-text keys of the sheet's column headers, in order."""
WIDTHS = (7, 21, 26, 42, 11, 7, 6, 16, 44, 12)
HEADER_ROW = 4
BANDS: dict[str, dict[str, object]] = {
    "level1": {"bg_color": "#FFF2CC"},
    "escalated": {"bg_color": "#FCE4D6"},
    "last": {"bg_color": "#F4B6B6"},
    "overdue": {"bg_color": "#F4B6B6", "bold": True, "font_color": "#9C0006"},
}
"""Row fills by how overdue an item is (see :func:`band`)."""
_CELL = {"text_wrap": True, "valign": "top", "border": 1, "border_color": "#BFBFBF"}


def add_followup_sheet(
    book: Book, items: Sequence[FollowUpItem], lang: str, title: str, subtitle: str
) -> Worksheet:
    """Add the follow-up sheet (named in ``lang``: Follow-up, Suivi, ...) to ``book``."""
    ws = book.wb.add_worksheet(_t("sheet", lang))
    ws.write_string(0, 0, f"{title}: {_t('sheet', lang)}", book.fmt["title"])
    ws.write_string(1, 0, subtitle)
    headers = [_t(key, lang) for key in COLUMNS]
    widths = write_header_row(ws, HEADER_ROW, headers, WIDTHS, book.fmt["header"])
    note = _t("note", lang)
    ws.merge_range(2, 0, 2, len(COLUMNS) - 1, note, book.fmt["help"])
    ws.set_row(2, text_height([note], [sum(widths)]))
    formats = _band_formats(book)
    for r, item in enumerate(items, start=HEADER_ROW + 1):
        name = band(item)
        text, date, number = formats[name]
        cells: list[object] = [
            item.pair_id, item.rule, item.wording, item.facts, item.since, item.days_open,
            item.level, item.owner, item.action, item.due_by,
        ]  # fmt: skip
        for c, value in enumerate(cells):
            if isinstance(value, dt.date):
                ws.write_datetime(r, c, dt.datetime.combine(value, dt.time()), date)
            elif isinstance(value, int):
                ws.write_number(r, c, value, number)
            else:
                ws.write_string(r, c, str(value), text)
        # Bold text takes about a tenth more room: estimate its rows in narrower columns.
        room = [w * BOLD_FACTOR for w in widths] if BANDS[name].get("bold") else widths
        ws.set_row(r, text_height([_shown(v) for v in cells], room))
    finish_table(ws, HEADER_ROW, len(items), len(COLUMNS), _t("empty", lang))
    return ws


def band(item: FollowUpItem) -> str:
    """How overdue an item is: ``level1``, ``escalated`` (a middle level), ``last`` (the
    ladder's last level) or ``overdue`` (past the last level's time)."""
    if item.overdue:
        return "overdue"
    if item.last_level:
        return "last"
    return "level1" if item.level == 1 else "escalated"


def _t(key: str, lang: str, **facts: object) -> str:
    return report_text("followup", key, lang, **facts)


def _shown(value: object) -> str:
    """About as many characters as a cell shows for ``value`` ("28 Mar 2026" for a date)."""
    return "00 Mmm 0000" if isinstance(value, dt.date) else str(value)


def _band_formats(book: Book) -> dict[str, tuple[Format, Format, Format]]:
    """(text, date, number) formats of each band, added to the workbook once."""
    return {
        name: (
            book.wb.add_format({**_CELL, **colour}),
            book.wb.add_format({**_CELL, **colour, "num_format": DATE_FORMAT, "align": "left"}),
            book.wb.add_format({**_CELL, **colour, "align": "center"}),
        )
        for name, colour in BANDS.items()
    }
