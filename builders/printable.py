"""A worksheet laid out to be printed: sections of wrapped tables on landscape pages.

The Guide sheet of a pair workbook and the master workbook's framework sheets are read on paper
as often as on screen. :class:`PrintSheet` gives them one layout: landscape A4, fit to the page
width, the title row repeated on every page, page numbers in the footer, wrapped text in
bordered cells, and row heights estimated from the text (spreadsheets do not grow a row for
wrapped text written by a program).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from builders.xlsx import Book

# The shared format table of builders/xlsx.py, by role: no format of its own, so a Guide adds
# nothing to the workbook's styles (pair workbooks travel over slow links).
_ROLES = {
    "p_title": "title", "p_note": "help", "p_section": "bold", "p_header": "header",
    "p_cell": "value", "p_key": "label", "p_text": "wrap",
}  # fmt: skip
LINE_POINTS = 15.0
"""Height of one line of 11-point text, in points."""
CHARS_PER_WIDTH = 1.1
"""Characters of 11-point text that fit in one unit of column width (a little fewer than
measured, so that an estimated row is never too short)."""


class PrintSheet:
    """One printable sheet: a title, then sections of tables and paragraphs, top to bottom."""

    def __init__(
        self, book: Book, name: str, widths: Sequence[int], title: str, note: str = ""
    ) -> None:
        self.ws: Worksheet = book.wb.add_worksheet(name)
        self.widths = list(widths)
        self.fmt = _formats(book)
        for c, width in enumerate(self.widths):
            self.ws.set_column(c, c, width)
        self.ws.write_string(0, 0, title, self.fmt["p_title"])
        self.ws.set_row(0, 22)
        self.row = 1
        self.breaks: list[int] = []
        if note:
            self.paragraph(note, style="p_note")
        self._print_setup()

    # --- public API ------------------------------------------------------------------------------

    def section(self, heading: str, new_page: bool = False) -> None:
        """A section heading, after one blank row; on a new printed page with ``new_page``
        (a spreadsheet cannot keep a heading with the table under it)."""
        self.row += 1
        if new_page:
            self.breaks.append(self.row)
            self.ws.set_h_pagebreaks(self.breaks)
        # Not merged: a heading runs over the empty cells to its right (a smaller file).
        self.ws.write_string(self.row, 0, heading, self.fmt["p_section"])
        self.ws.set_row(self.row, 20)
        self.row += 1

    def paragraph(self, text: str, style: str = "p_text") -> None:
        """A paragraph of text across the whole width."""
        last = len(self.widths) - 1
        if last:
            self.ws.merge_range(self.row, 0, self.row, last, text, self.fmt[style])
        else:
            self.ws.write_string(self.row, 0, text, self.fmt[style])
        self.ws.set_row(self.row, self._height([text], [sum(self.widths)]))
        self.row += 1

    def table(
        self,
        headers: Sequence[str] | None,
        rows: Sequence[Sequence[object]],
        spans: Sequence[int] | None = None,
    ) -> None:
        """A table: a header row (none when ``headers`` is None), then one row per item;
        ``spans`` merges a column over several sheet columns (they add up to the sheet's
        column count)."""
        spans = list(spans or [1] * len(headers or rows[0]))
        assert sum(spans) == len(self.widths), (spans, self.widths)
        if headers is not None:
            self._row(headers, spans, header=True)
        for values in rows:
            self._row(values, spans, header=False)

    # --- private ---------------------------------------------------------------------------------

    def _row(self, values: Sequence[object], spans: list[int], header: bool) -> None:
        col = 0
        widths = []
        texts = []
        for i, (value, span) in enumerate(zip(values, spans, strict=True)):
            style = "p_header" if header else ("p_key" if i == 0 else "p_cell")
            fmt = self.fmt[style]
            last = col + span - 1
            if span > 1:
                self.ws.merge_range(self.row, col, self.row, last, "", fmt)
            if i > 0 and isinstance(value, (int, float)) and not isinstance(value, bool):
                self.ws.write_number(self.row, col, value, fmt)
            else:
                self.ws.write_string(self.row, col, "" if value is None else str(value), fmt)
            widths.append(sum(self.widths[col : last + 1]))
            texts.append(str(value))
            col = last + 1
        self.ws.set_row(self.row, self._height(texts, widths))
        self.row += 1

    @staticmethod
    def _height(texts: Sequence[str], widths: Sequence[int]) -> float:
        lines = 1
        for text, width in zip(texts, widths, strict=True):
            per_line = max(int(width * CHARS_PER_WIDTH), 1)
            need = sum(max(1, math.ceil(len(part) / per_line)) for part in text.split("\n"))
            lines = max(lines, need)
        return lines * LINE_POINTS + 3

    def _print_setup(self) -> None:
        ws = self.ws
        ws.set_landscape()
        ws.set_paper(9)  # A4; Letter users' printers scale it
        ws.fit_to_pages(1, 0)
        ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.6)
        ws.repeat_rows(0)
        ws.set_footer("&L&A&R&P / &N")
        ws.hide_gridlines(2)


def _formats(book: Book) -> dict[str, Format]:
    """The print roles, mapped onto the book's shared formats."""
    return {role: book.fmt[name] for role, name in _ROLES.items()}
