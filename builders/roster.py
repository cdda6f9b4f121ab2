"""The roster template that ``mentorkit init`` writes: People and Pairs sheets, with dropdowns
where the values are a fixed list and a help message on every column. Columns come from
:data:`toolkit.roster.PEOPLE_COLUMNS` and :data:`toolkit.roster.PAIR_COLUMNS`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from xlsxwriter.utility import quote_sheetname, xl_rowcol_to_cell

from builders.printable import write_header_row
from builders.xlsx import Book, clip, strict
from toolkit.roster import (
    HEADER_ROW,
    PAIR_COLUMNS,
    PAIRS_SHEET,
    PEOPLE_COLUMNS,
    PEOPLE_SHEET,
    RosterColumn,
)

TEMPLATE_ROWS = 500
"""How many rows of the template carry the dropdowns."""

EXAMPLE_PEOPLE: tuple[tuple[str, ...], ...] = (
    ("KE-001", "Amina Otieno", "amina.otieno@example.org", "mentor", "KE", "Nairobi", "Health",
     "senior", "en, fr", "female", "", "evaluation, data"),
    ("SN-004", "Moussa Diop", "moussa.diop@example.org", "mentee", "SN", "Dakar", "Education",
     "junior", "fr", "male", "", "technical, communication"),
)  # fmt: skip
EXAMPLE_PAIRS: tuple[tuple[str, ...], ...] = (("KE-001", "SN-004"),)


def render_roster_template(
    created: dt.datetime,
    *,
    people: Sequence[Sequence[str]] = EXAMPLE_PEOPLE,
    pairs: Sequence[Sequence[str]] = EXAMPLE_PAIRS,
) -> bytes:
    """The roster workbook as .xlsx bytes, holding ``people`` and ``pairs`` rows (by default
    two example people and one pair, to be replaced)."""
    return strict(lambda: _render(created, people, pairs), "the roster template")


def _render(
    created: dt.datetime, people: Sequence[Sequence[str]], pairs: Sequence[Sequence[str]]
) -> bytes:
    book = Book(created, title="Programme roster")
    lists = book.wb.add_worksheet("Lists")
    refs: dict[str, str] = {}
    for c, col in enumerate(col for col in PEOPLE_COLUMNS if col.choices):
        lists.write_string(0, c, col.name)
        for r, choice in enumerate(col.choices, start=1):
            lists.write_string(r, c, choice)
        top = xl_rowcol_to_cell(1, c, row_abs=True, col_abs=True)
        bottom = xl_rowcol_to_cell(len(col.choices), c, row_abs=True, col_abs=True)
        refs[col.name] = f"={quote_sheetname('Lists')}!{top}:{bottom}"
    _sheet(book, PEOPLE_SHEET, PEOPLE_COLUMNS, people, refs)
    _sheet(book, PAIRS_SHEET, PAIR_COLUMNS, pairs, refs)
    lists.hide()
    book.wb.worksheets()[1].activate()
    return book.close()


def _sheet(
    book: Book,
    title: str,
    columns: tuple[RosterColumn, ...],
    rows: Sequence[Sequence[str]],
    refs: dict[str, str],
) -> None:
    ws = book.wb.add_worksheet(title)
    header = HEADER_ROW - 1
    write_header_row(ws, header, [c.name for c in columns], [c.width for c in columns],
                     book.fmt["header"])  # fmt: skip
    for c, col in enumerate(columns):
        options: dict[str, object] = {
            "input_title": clip(col.name, 32),
            "input_message": clip(col.help + (" Required." if col.required else ""), 255),
        }
        if col.choices:
            options |= {"validate": "list", "source": refs[col.name]}
        else:
            options |= {"validate": "any"}
        ws.data_validation(header + 1, c, header + TEMPLATE_ROWS, c, options)
    for r, values in enumerate(rows, start=header + 1):
        for c, value in enumerate(values):
            if value:
                ws.write_string(r, c, value)
    ws.freeze_panes(header + 1, 0)
    ws.autofilter(header, 0, header + max(len(rows), 1), len(columns) - 1)
