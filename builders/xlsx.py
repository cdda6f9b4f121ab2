"""Shared XlsxWriter plumbing: deterministic workbooks, warnings as errors, one format table,
and atomic file replacement.

XlsxWriter *warns and carries on* when it has to leave something out (a validation list over 255
characters, an input title over 32): the file saves without it. Here every such warning is an
error, so a workbook is either complete or not written at all.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import tempfile
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from builders.package import Member, pack, unpack
from builders.theme import THEME_XML
from toolkit import __version__
from toolkit.errors import WorkbookWriteError

DATE_FORMAT = "d mmm yyyy"
"""Dates are shown with the month's name, so 03/04 is never ambiguous between countries."""

PAPER_A4 = 9
"""XlsxWriter's paper code for A4, the paper of most offices of an international organisation."""

# One table of cell formats; builders refer to them by name.
FORMATS: dict[str, dict[str, Any]] = {
    "title": {"bold": True, "font_size": 15, "font_color": "#1F3864"},
    "description": {"italic": True, "text_wrap": True, "valign": "top", "font_color": "#404040"},
    "label": {"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#EDEDED",
              "border": 1, "border_color": "#BFBFBF"},
    "value": {"text_wrap": True, "valign": "top", "border": 1, "border_color": "#BFBFBF"},
    "help": {"font_size": 9, "font_color": "#595959", "text_wrap": True, "valign": "top"},
    "header": {"bold": True, "text_wrap": True, "valign": "vcenter", "bg_color": "#1F3864",
               "font_color": "#FFFFFF", "border": 1},
    "key": {"bold": True, "valign": "top", "align": "center", "bg_color": "#EDEDED",
            "border": 1, "border_color": "#BFBFBF"},
    "display": {"text_wrap": True, "valign": "top", "bg_color": "#F7F7F7", "border": 1,
                "border_color": "#BFBFBF"},
    "input": {"locked": False, "text_wrap": True, "valign": "top", "bg_color": "#FFF9E5",
              "border": 1, "border_color": "#BF9000"},
    "input_date": {"locked": False, "valign": "top", "bg_color": "#FFF9E5", "border": 1,
                   "border_color": "#BF9000", "num_format": DATE_FORMAT, "align": "left"},
    "input_number": {"locked": False, "valign": "top", "bg_color": "#FFF9E5", "border": 1,
                     "border_color": "#BF9000", "align": "left"},
    "date": {"num_format": DATE_FORMAT, "align": "left", "valign": "top"},
    "datetime": {"num_format": "yyyy-mm-dd hh:mm", "align": "left", "valign": "top"},
    "percent": {"num_format": "0.0%"},
    "decimal": {"num_format": "0.00"},
    "wrap": {"text_wrap": True, "valign": "top"},
    "bold": {"bold": True},
    "status_accepted": {"bg_color": "#E2EFDA"},
    "status_quarantined": {"bg_color": "#FCE4D6"},
    "status_duplicate": {"bg_color": "#EDEDED"},
}  # fmt: skip


class Formats(dict[str, Format]):
    """A book's formats by name: those of :data:`FORMATS` are added to the workbook when first
    asked for (adding one costs XlsxWriter about 50 µs, and a receipt uses 5 of 22); a
    builder may add its own. XlsxWriter numbers formats in the order cells use them, not in
    the order they were added, so the file is the same."""

    def __init__(self, wb: Workbook) -> None:
        super().__init__()
        self._wb = wb

    def __missing__(self, name: str) -> Format:
        fmt = self[name] = self._wb.add_format(FORMATS[name])
        return fmt

    def __contains__(self, name: object) -> bool:
        return super().__contains__(name) or name in FORMATS

    def get(self, name: str, default: Format | None = None) -> Format | None:  # type: ignore[override]
        """The format called ``name``, or ``default`` when there is none."""
        return self[name] if name in self else default  # noqa: SIM401 (this is get itself)


class Book:
    """An XlsxWriter workbook in memory with the shared formats, closed into bytes."""

    def __init__(self, created: dt.datetime, title: str = "") -> None:
        self._buffer = io.BytesIO()
        self.wb: Workbook = xlsxwriter.Workbook(
            self._buffer, {"in_memory": True, "strings_to_numbers": False}
        )
        # A fixed creation date makes the same input give byte-identical output.
        self.wb.set_properties(
            {"title": title, "created": created.replace(tzinfo=None), "author": "mentorkit",
             "comments": f"Made by mentorkit {__version__}"}
        )  # fmt: skip
        self.wb.use_custom_theme(io.StringIO(THEME_XML))  # see builders/theme.py: 1 KB less
        self.fmt: dict[str, Format] = Formats(self.wb)

    def close(self, *, attachment: bool = False) -> bytes:
        """Finish the workbook and return its bytes. Every sheet prints on A4 (XlsxWriter
        otherwise leaves the paper to the program, which is Letter in many installations).
        An ``attachment``, a workbook that travels by email, is packed tighter: see
        :func:`slim`."""
        charts = False
        for ws in self.wb.worksheets():
            ws.set_paper(PAPER_A4)
            charts = charts or bool(ws.charts)
        self.wb.close()
        if charts and not attachment:  # nothing to take out: keep XlsxWriter's package as is
            return self._buffer.getvalue()
        return slim(self._buffer.getvalue(), keep_app=charts, attachment=attachment)


APP_PART = "docProps/app.xml"
_APP_OVERRIDE = re.compile(rb'<Override PartName="/docProps/app\.xml"[^>]*/>')
_APP_RELATION = re.compile(rb'<Relationship Id="rId\d+" Type="[^"]*/extended-properties" '
                           rb'Target="docProps/app\.xml"/>')  # fmt: skip
_SPANS = re.compile(rb' spans="\d+:\d+"')


def slim(data: bytes, *, keep_app: bool = False, attachment: bool = False) -> bytes:
    """The package without its optional extended properties part (``docProps/app.xml``: the
    application name and a list of sheet titles, which neither Excel nor LibreOffice needs to
    open a file) and compressed at the highest level: about 800 bytes less per workbook.
    Entry order and dates are kept, so the output stays deterministic.

    ``keep_app`` keeps that part, for workbooks with charts: LibreOffice reads a chart's
    omitted settings by the Office version app.xml names, and without it shows every data
    label with its category and series name and drops automatic chart titles (measured
    here).

    An ``attachment`` (a pair workbook, which travels by email) loses about 80 bytes more, and
    nothing any reader uses: its rows drop the optional ``spans`` attribute (a hint of the
    row's first and last column, which Excel and LibreOffice work out themselves). Zopfli
    would save 650 bytes more but costs about 28 ms a workbook, twice XlsxWriter's own time:
    not worth it for 1,000 pairs."""
    members: list[Member] = []
    for name, date_time, body in unpack(data):
        if name == APP_PART and not keep_app:
            continue
        if name == "[Content_Types].xml" and not keep_app:
            body = _APP_OVERRIDE.sub(b"", body)
        elif name == "_rels/.rels" and not keep_app:
            body = _APP_RELATION.sub(b"", body)
        elif attachment and name.startswith("xl/worksheets/"):
            body = _SPANS.sub(b"", body)
        members.append((name, date_time, body))
    return pack(members)


def strict(render: Callable[[], bytes], what: str) -> bytes:
    """Run a rendering function with every XlsxWriter warning turned into an error."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            return render()
        except (Warning, xlsxwriter.exceptions.XlsxWriterException) as exc:
            raise WorkbookWriteError(f"Could not write {what}: {exc}") from exc


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_UMASK = _current_umask()


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename, so a reader never
    sees half a file; raise :class:`WorkbookWriteError` when the target is locked."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp makes the file private; give it normal rights
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise WorkbookWriteError(
            f"Could not write {path}: {exc}. If it is open in Excel or LibreOffice, "
            "please close it and run the command again."
        ) from exc


def write_value(
    ws: Worksheet, row: int, col: int, value: object, fmt: Format | None = None
) -> None:
    """Write a Python value as what it is: blank, number or text."""
    if value is None or value == "":
        ws.write_blank(row, col, None, fmt)
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        ws.write_number(row, col, value, fmt)
    else:
        ws.write_string(row, col, str(value), fmt)


def finish_table(ws: Worksheet, header: int, rows: int, columns: int, empty: str) -> None:
    """The common end of a listing sheet: a filter on the header row, frozen header, landscape
    printing one page wide with the header repeated, and ``empty`` written when it has no row."""
    ws.autofilter(header, 0, header + max(rows, 1), columns - 1)
    ws.freeze_panes(header + 1, 0)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(header)
    if not rows:
        ws.write_string(header + 1, 0, empty)


def write_with_backup(path: Path, data: bytes) -> Path | None:
    """:func:`write_atomic`, keeping the previous file as ``<stem>.bak<suffix>`` (for example
    ``master.bak.xlsx``) first; returns the backup's path, None when there was no file yet."""
    if not path.is_file():
        write_atomic(path, data)
        return None
    backup = path.with_name(f"{path.stem}.bak{path.suffix}")
    try:
        write_atomic(backup, path.read_bytes())
    except OSError as exc:  # unreadable while another program holds it: keep going
        raise WorkbookWriteError(
            f"Could not read {path} to back it up: {exc}. If it is open in Excel or "
            "LibreOffice, please close it and run the command again."
        ) from exc
    write_atomic(path, data)
    return backup


def clip(text: str, limit: int) -> str:
    """Text cut to ``limit`` characters (with an ellipsis), for XlsxWriter's hard limits."""
    return text if len(text) <= limit else text[: limit - 1] + "…"
