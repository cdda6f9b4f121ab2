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
BOLD_FACTOR = 0.9
"""Bold text takes about a tenth more width than regular text."""


PAGE_POINTS = (842.0, 595.0)
"""A4 landscape, width and height in points."""
MARGINS = {"left": 0.4, "right": 0.4, "top": 0.5, "bottom": 0.6}
"""Page margins in inches."""
PIXELS_PER_WIDTH = 9.5
"""Pixels one unit of column width takes when LibreOffice fits a sheet to the page width
(measured: a 135-unit Guide prints at 80 %). Excel prints the same sheet larger (it counts
about 7 pixels), so its pages end earlier than those computed here."""
DEFAULT_ROW = 15.0
TITLE_ROW = 22.0


class PrintSheet:
    """One printable sheet: a title, then sections of tables and paragraphs, top to bottom.

    It knows every row's height (it sets them all), so it can tell where pages will end and
    keep a section's heading on the same page as the start of its table: a spreadsheet has no
    "keep with next", so a page break goes before a heading that would be left alone at the
    foot of a page.
    """

    def __init__(
        self, book: Book, name: str, widths: Sequence[int], title: str, note: str = ""
    ) -> None:
        self.ws: Worksheet = book.wb.add_worksheet(name)
        self.widths = list(widths)
        self.fmt = _formats(book)
        for c, width in enumerate(self.widths):
            self.ws.set_column(c, c, width)
        self.ws.write_string(0, 0, title, self.fmt["p_title"])
        self.ws.set_row(0, TITLE_ROW)
        self.row = 1
        self.heights: dict[int, float] = {0: TITLE_ROW}
        self.breaks: list[int] = []
        self.heading: int | None = None
        self.page = self._page_height()
        self.used = 0.0
        self.placed = 0
        if note:
            self.paragraph(note, style="p_note")
        self._print_setup()

    # --- public API ------------------------------------------------------------------------------

    def section(self, heading: str) -> None:
        """A section heading, after one blank row; kept with what follows it."""
        self.row += 1
        # Not merged: a heading runs over the empty cells to its right (a smaller file).
        self.ws.write_string(self.row, 0, heading, self.fmt["p_section"])
        self._set_height(20)
        self.heading = self.row
        self.row += 1

    def paragraph(self, text: str, style: str = "p_text") -> None:
        """A paragraph of text across the whole width."""
        last = len(self.widths) - 1
        if last:
            self.ws.merge_range(self.row, 0, self.row, last, text, self.fmt[style])
        else:
            self.ws.write_string(self.row, 0, text, self.fmt[style])
        self._set_height(text_height([text], [sum(self.widths)]))
        self.row += 1

    def table(
        self,
        headers: Sequence[str] | None,
        rows: Sequence[Sequence[object]],
        spans: Sequence[int] | None = None,
        keep_together: bool = False,
    ) -> None:
        """A table: a header row (none when ``headers`` is None), then one row per item;
        ``spans`` merges a column over several sheet columns (they add up to the sheet's
        column count). A table that continues on a new page starts that page with its header
        row again; with ``keep_together``, a table (and its section heading) that would not
        fit on the rest of the page starts on a new one."""
        spans = list(spans or [1] * len(headers or rows[0]))
        assert sum(spans) == len(self.widths), (spans, self.widths)
        if keep_together and self.heading is not None:
            need = sum(self._row_height(values, spans) for values in rows)
            need += self._row_height(headers, spans, header=True) if headers else 0.0
            if not self._fits(need):
                self._break_before(self.heading)
        if headers is not None:
            self._row(headers, spans, header=True)
        for values in rows:
            # The spreadsheet repeats only the title row on each page; the page breaks are
            # ours, so a table's header row is written again after a break inside the table.
            if (headers is not None and self.heading is None
                    and not self._fits(self._row_height(values, spans))):  # fmt: skip
                self._break_before(self.row)
                self._row(headers, spans, header=True)
            self._row(values, spans, header=False)

    # --- private ---------------------------------------------------------------------------------

    def _row(self, values: Sequence[object], spans: list[int], header: bool) -> None:
        col = 0
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
            col = last + 1
        self._set_height(self._row_height(values, spans, header))
        self.row += 1

    def _row_height(
        self, values: Sequence[object], spans: Sequence[int], header: bool = False
    ) -> float:
        widths, col = [], 0
        for span in spans:
            widths.append(sum(self.widths[col : col + span]))
            col += span
        texts = [str(v) for v in values]
        return header_height(texts, widths) if header else text_height(texts, widths)

    def _fits(self, height: float) -> bool:
        """Whether a row of ``height`` written next still fits on the current page."""
        blanks = DEFAULT_ROW * max(self.row - self.placed - 1, 0)
        return self.used == 0 or self.used + blanks + height <= self.page

    def _break_before(self, row: int) -> None:
        """A page break before ``row`` (the next row, or the heading of the current section)."""
        for blank in range(self.placed + 1, self.row):
            self._place(blank, DEFAULT_ROW)
        self.placed = max(self.placed, self.row - 1)
        if row <= (self.breaks[-1] if self.breaks else 1):
            return  # it already starts a page
        self.breaks.append(row)
        self.ws.set_h_pagebreaks(self.breaks)
        self.used = sum(self.heights.get(r, DEFAULT_ROW) for r in range(row, self.row))

    def _set_height(self, height: float) -> None:
        """Set the current row's height and place it on a printed page."""
        self.ws.set_row(self.row, height)
        for blank in range(self.placed + 1, self.row):
            self._place(blank, DEFAULT_ROW)
        self._place(self.row, height)
        self.placed = self.row

    def _place(self, row: int, height: float) -> None:
        """Paginate as the rows come: every page break is explicit, so the spreadsheet's own
        pagination (which differs between programs) never has to break a page itself."""
        if self.used + height <= self.page or self.used == 0:
            self.used += height
        else:
            start = row
            if self.heading is not None and self.heading < row <= self.heading + 2:
                start = self.heading  # keep a heading with its table's header and first row
            self.breaks.append(start)
            self.ws.set_h_pagebreaks(self.breaks)
            self.used = sum(self.heights.get(r, DEFAULT_ROW) for r in range(start, row)) + height
        self.heights[row] = height
        if self.heading is not None and row >= self.heading + 2:
            self.heading = None

    def _page_height(self) -> float:
        """Room for rows on one printed page below the repeated title, in row points (a little
        less than LibreOffice gives, so that it never needs a page break of its own)."""
        pixels = sum(w * PIXELS_PER_WIDTH + 5 for w in self.widths)
        width = PAGE_POINTS[0] - 72 * (MARGINS["left"] + MARGINS["right"])
        scale = min(1.0, width / (pixels * 0.75))
        height = PAGE_POINTS[1] - 72 * (MARGINS["top"] + MARGINS["bottom"])
        return 0.96 * height / scale - TITLE_ROW

    def _print_setup(self) -> None:
        ws = self.ws
        ws.set_landscape()
        ws.fit_to_pages(1, 0)
        ws.set_margins(**MARGINS)
        ws.repeat_rows(0)
        ws.set_footer("&L&A&R&P / &N")
        ws.hide_gridlines(2)


def text_height(texts: Sequence[str], widths: Sequence[float]) -> float:
    """The height in points of a row whose cells hold ``texts`` wrapped in columns of
    ``widths`` (spreadsheets do not grow a row for wrapped text written by a program)."""
    lines = 1
    for text, width in zip(texts, widths, strict=True):
        per_line = max(int(width * CHARS_PER_WIDTH), 1)
        need = sum(max(1, math.ceil(len(part) / per_line)) for part in text.split("\n"))
        lines = max(lines, need)
    return lines * LINE_POINTS + 3


def header_height(texts: Sequence[str], widths: Sequence[float], least: float = 0.0) -> float:
    """The height in points of a table's header row: its bold ``texts`` wrapped word by word
    in columns of ``widths``, and at least ``least`` (a header is never cut, whatever the
    language: "Mentorado/a: necesito apoyo del coordinador" needs more lines than "Mentee:
    I need the coordinator's support")."""
    lines = 1
    for text, width in zip(texts, widths, strict=True):
        # Bold text is about a tenth wider; a word longer than the column is broken.
        per_line = max(int(width * CHARS_PER_WIDTH * BOLD_FACTOR), 1)
        lines = max(lines, sum(_wrapped_lines(part, per_line) for part in text.split("\n")))
    return max(least, lines * LINE_POINTS + 3)


def write_header_row(
    ws: Worksheet,
    row: int,
    texts: Sequence[str],
    widths: Sequence[float],
    fmt: Format,
    least: float = 0.0,
) -> list[float]:
    """A table's header row, never cut in any language: each column widened so that no
    header word is broken, the row as tall as its longest header. Returns the widths set."""
    wide = [header_width(t, w) for t, w in zip(texts, widths, strict=True)]
    ws.set_row(row, header_height(texts, wide, least=least))
    for c, (text, width) in enumerate(zip(texts, wide, strict=True)):
        ws.write_string(row, c, text, fmt)
        ws.set_column(c, c, width)
    return wide


def header_width(text: str, width: float) -> float:
    """``width``, widened so that the longest word of a bold header fits on one line."""
    longest = max((len(word) for word in text.split()), default=0)
    return max(width, math.ceil(longest / (CHARS_PER_WIDTH * BOLD_FACTOR)))


def _wrapped_lines(text: str, per_line: int) -> int:
    """Lines ``text`` takes when wrapped at spaces (as spreadsheets wrap) in ``per_line``."""
    lines, used = 1, 0
    for word in text.split():
        size = len(word)
        if used and used + 1 + size <= per_line:
            used += 1 + size
            continue
        if used:
            lines += 1
        lines += (size - 1) // per_line
        used = size - (size - 1) // per_line * per_line
    return lines


def _formats(book: Book) -> dict[str, Format]:
    """The print roles, mapped onto the book's shared formats."""
    return {role: book.fmt[name] for role, name in _ROLES.items()}
