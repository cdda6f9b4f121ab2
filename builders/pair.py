"""The pair workbook, rendered from the workbook contract.

One function does the work, :func:`render_pair_workbook`: it walks the contract's tools in order
and draws each by its layout kind (form, table, matrix), then adds the hidden lists sheet that
feeds every dropdown and the very hidden, signed identity sheet. Cell positions come from
``toolkit.contract`` only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from xlsxwriter.utility import quote_sheetname, xl_rowcol_to_cell
from xlsxwriter.worksheet import Worksheet

from builders.guide import guide_title, write_guide
from builders.printable import text_height, write_header_row
from builders.xlsx import Book, clip, strict
from toolkit.contract import (
    DATE_MAX,
    DATE_MIN,
    DESCRIPTION_ROW,
    FIRST_ROW,
    LISTS_SHEET,
    META_SHEET,
    TITLE_ROW,
    Column,
    Contract,
    FieldSpec,
    FieldType,
    LayoutKind,
    RowSpec,
    ToolSpec,
    form_first_field_row,
    rows_for,
    table_columns,
)
from toolkit.framework import Framework, labels
from toolkit.identity import SIGNATURE_KEY, PairIdentity
from toolkit.ledger import ValueKey
from toolkit.text import tr

LEGEND_ROW = DESCRIPTION_ROW + 1
"""The rating legend of a matrix sheet: the row between its description and its table."""
assert LEGEND_ROW < FIRST_ROW
HEADER_LEAST = 36.0
"""A table's header row is at least two lines high, taller when a label needs it."""


@dataclass(frozen=True)
class PairContext:
    """Everything a pair workbook shows beyond the contract itself."""

    identity: PairIdentity
    programme_name: str
    mentor_name: str
    mentee_name: str
    coordinator: str
    level: str
    months: int
    values: dict[ValueKey, str] = field(default_factory=dict)

    @property
    def language(self) -> str:
        return self.identity.language


def render_pair_workbook(
    ctx: PairContext, contract: Contract, framework: Framework, secret: str
) -> bytes:
    """The pair workbook as .xlsx bytes; raises WorkbookWriteError if anything is left out."""
    return strict(
        lambda: _PairWorkbook(ctx, contract, framework, secret).render(),
        f"the workbook of pair {ctx.identity.pair_id}",
    )


def cell_value(spec: FieldSpec, text: str, contract: Contract, lang: str) -> object:
    """A ledger value (canonical text) as the cell value a person should see."""
    if text == "":
        return None
    if spec.type is FieldType.DATE:
        return dt.date.fromisoformat(text)
    if spec.type is FieldType.INTEGER:
        return int(text)
    if spec.type is FieldType.DECIMAL:
        return float(text)
    if spec.list_name:
        for choice in contract.choices(spec.list_name):
            if choice.code == text:
                return tr(choice.label, lang)
    return text


class _PairWorkbook:
    def __init__(
        self, ctx: PairContext, contract: Contract, framework: Framework, secret: str
    ) -> None:
        self.ctx = ctx
        self.contract = contract
        self.framework = framework
        self.secret = secret
        self.lang = ctx.language
        issued = dt.datetime.fromisoformat(ctx.identity.issued_at)
        title = f"{ctx.programme_name} · {ctx.identity.pair_id}"
        self.book = Book(issued, title=title)
        self.fmt = self.book.fmt
        self.list_refs: dict[str, str] = {}

    def t(self, key: str) -> str:
        return tr(self.contract.ui[key], self.lang)

    # --- public entry ------------------------------------------------------------------------

    def render(self) -> bytes:
        sheets = {
            tool.code: self.book.wb.add_worksheet(tr(tool.title, self.lang))
            for tool in self.contract.tools
        }
        write_guide(self.book, self.ctx, self.framework)
        self._lists_sheet()
        for tool in self.contract.tools:
            ws = sheets[tool.code]
            self._heading(ws, tool)
            if tool.kind is LayoutKind.FORM:
                self._form(ws, tool)
            else:
                self._table(ws, tool)
            ws.protect("", {"format_columns": True, "format_rows": True})
            ws.set_landscape()
            ws.fit_to_pages(1, 0)
            ws.hide_gridlines(2)
        sheets[self.contract.tools[0].code].activate()
        self._meta_sheet()
        return self.book.close(attachment=True)

    # --- private: the parts of each sheet ------------------------------------------------------

    def _heading(self, ws: Worksheet, tool: ToolSpec) -> None:
        ws.write_string(TITLE_ROW, 0, tr(tool.title, self.lang), self.fmt["title"])
        ws.set_row(TITLE_ROW, 24)
        last_col = 2 if tool.kind is LayoutKind.FORM else len(table_columns(tool)) - 1
        ws.merge_range(
            DESCRIPTION_ROW, 0, DESCRIPTION_ROW, max(last_col, 2),
            tr(tool.description, self.lang), self.fmt["description"],
        )  # fmt: skip
        ws.set_row(DESCRIPTION_ROW, 48)

    def _form(self, ws: Worksheet, tool: ToolSpec) -> None:
        ws.set_column(0, 0, 34)
        ws.set_column(1, 1, 52)
        ws.set_column(2, 2, 48)
        row = FIRST_ROW
        for item in tool.info:
            value = (item.text and tr(item.text, self.lang)) or self._info_value(item.code)
            ws.write_string(row, 0, tr(item.label, self.lang), self.fmt["label"])
            ws.write_string(row, 1, value, self.fmt["value"])
            if len(value) > 60:
                ws.set_row(row, 15 * (len(value) // 55 + 1))
            row += 1
        row = form_first_field_row(tool)
        for spec in tool.fields:
            label = tr(spec.label, self.lang) + (" *" if spec.required else "")
            ws.write_string(row, 0, label, self.fmt["label"])
            self._input_cell(ws, row, 1, tool, spec)
            ws.write_string(row, 2, tr(spec.help, self.lang), self.fmt["help"])
            self._validate(ws, row, 1, row, 1, spec)
            ws.set_row(row, 48 if spec.type is FieldType.LONG_TEXT else 30)
            row += 1
        if any(s.required for s in tool.fields):
            ws.write_string(row, 0, self.t("required"), self.fmt["help"])
            row += 1
        if tool.code == self.contract.tools[0].code:
            self._sheet_list(ws, row + 1)

    def _sheet_list(self, ws: Worksheet, row: int) -> None:
        ws.write_string(row, 0, self.t("sheets_heading"), self.fmt["bold"])
        sheets = [(tr(t.title, self.lang), tr(t.description, self.lang))
                  for t in self.contract.tools[1:]]  # fmt: skip
        sheets.append((guide_title(self.lang), tr(labels()["guide_description"], self.lang)))
        for title, description in sheets:
            row += 1
            ws.write_string(row, 0, title, self.fmt["label"])
            ws.merge_range(row, 1, row, 2, description, self.fmt["wrap"])
            ws.set_row(row, 45)

    def _info_value(self, code: str) -> str:
        ident = self.ctx.identity
        return {
            "programme": self.ctx.programme_name,
            "pair_code": ident.pair_id,
            "mentor": self.ctx.mentor_name,
            "mentee": self.ctx.mentee_name,
            "revision": str(ident.revision),
            "coordinator": self.ctx.coordinator,
        }[code]

    def _table(self, ws: Worksheet, tool: ToolSpec) -> None:
        columns = table_columns(tool)
        rows = rows_for(
            tool, self.framework, level=self.ctx.level, months=self.ctx.months, lang=self.lang
        )
        header = FIRST_ROW
        first, last = header + 1, header + len(rows)
        widths = write_header_row(
            ws, header, [tr(col.label, self.lang) for col in columns],
            [_column_width(col) for col in columns], self.fmt["header"], least=HEADER_LEAST,
        )  # fmt: skip
        for r, spec_row in enumerate(rows, start=first):
            ws.write_string(r, 0, spec_row.shown(self.lang), self.fmt["key"])
            for c, col in enumerate(columns[1:], start=1):
                if isinstance(col, Column):
                    ws.write_string(r, c, spec_row.display.get(col.code, ""), self.fmt["display"])
                else:
                    self._input_cell(ws, r, c, tool, col, row_key=spec_row.key)
            ws.set_row(r, self._row_height(tool, spec_row))
        for c, col in enumerate(columns):
            if isinstance(col, FieldSpec) and rows:
                self._validate(ws, first, c, last, c, col)
        ws.freeze_panes(first, 1 + len(tool.display))
        ws.repeat_rows(header)
        if tool.kind is LayoutKind.MATRIX:
            self._rating_legend(ws, sum(widths), len(columns) - 1)

    def _row_height(self, tool: ToolSpec, row: RowSpec) -> float:
        """Tall enough for the longest prefilled text, and room to type in a long-text cell."""
        texts = [row.display.get(col.code, "") for col in tool.display]
        height = text_height(texts, [col.width for col in tool.display]) if texts else 0.0
        typed = any(f.type is FieldType.LONG_TEXT for f in tool.fields)
        return max(height, 45.0 if typed else 20.0)

    def _rating_legend(self, ws: Worksheet, width: float, last_col: int) -> None:
        """The rating scale with what each rating means, above the table, in the pair's
        language (sync reads only the table below, by its header)."""
        fw = self.framework
        text = "\n".join(
            [tr(labels()["rating_legend"], self.lang).format(threshold=fw.achieved_threshold)]
            + [f"{tr(r.label, self.lang)}: {tr(r.description, self.lang)}" for r in fw.rating_scale]
        )
        ws.merge_range(LEGEND_ROW, 0, LEGEND_ROW, last_col, text, self.fmt["description"])
        ws.set_row(LEGEND_ROW, text_height([text], [width]))

    def _input_cell(
        self, ws: Worksheet, row: int, col: int, tool: ToolSpec, spec: FieldSpec,
        row_key: str = "",
    ) -> None:  # fmt: skip
        text = self.ctx.values.get((tool.code, row_key, spec.code), "")
        value = cell_value(spec, text, self.contract, self.lang)
        if spec.type is FieldType.DATE:
            fmt = self.fmt["input_date"]
        elif spec.type in (FieldType.INTEGER, FieldType.DECIMAL):
            fmt = self.fmt["input_number"]
        else:
            fmt = self.fmt["input"]
        if value is None:
            ws.write_blank(row, col, None, fmt)
        elif isinstance(value, dt.date):
            ws.write_datetime(row, col, dt.datetime.combine(value, dt.time()), fmt)
        elif isinstance(value, (int, float)):
            ws.write_number(row, col, value, fmt)
        else:
            ws.write_string(row, col, str(value), fmt)

    def _validate(self, ws: Worksheet, r1: int, c1: int, r2: int, c2: int, spec: FieldSpec) -> None:
        options: dict[str, object] = {
            "input_title": clip(tr(spec.label, self.lang), 32),
            "input_message": clip(tr(spec.help, self.lang), 255),
            "error_title": clip(self.t("error_title"), 32),
        }
        if spec.list_name:
            options |= {
                "validate": "list",
                "source": self.list_refs[spec.list_name],
                "error_message": self.t("error_list"),
            }
        elif spec.type is FieldType.DATE:
            options |= {
                "validate": "date", "criteria": "between",
                "minimum": dt.datetime.combine(DATE_MIN, dt.time()),
                "maximum": dt.datetime.combine(DATE_MAX, dt.time()),
                "error_message": self.t("error_date"), "error_type": "warning",
            }  # fmt: skip
        elif spec.type in (FieldType.INTEGER, FieldType.DECIMAL):
            options |= {
                "validate": "integer" if spec.type is FieldType.INTEGER else "decimal",
                "criteria": "between",
                "minimum": spec.min if spec.min is not None else -1e9,
                "maximum": spec.max if spec.max is not None else 1e9,
                "error_message": self.t("error_number"),
            }
        else:
            options |= {
                "validate": "length", "criteria": "<=", "value": spec.text_limit,
                "error_message": self.t("error_length"), "error_type": "warning",
            }  # fmt: skip
        ws.data_validation(r1, c1, r2, c2, options)

    def _lists_sheet(self) -> None:
        ws = self.book.wb.add_worksheet(LISTS_SHEET)
        for c, (name, choice_list) in enumerate(sorted(self.contract.choice_lists.items())):
            ws.write_string(0, c, name)
            for r, choice in enumerate(choice_list.items, start=1):
                ws.write_string(r, c, tr(choice.label, self.lang))
            top = xl_rowcol_to_cell(1, c, row_abs=True, col_abs=True)
            bottom = xl_rowcol_to_cell(len(choice_list.items), c, row_abs=True, col_abs=True)
            ref = f"={quote_sheetname(LISTS_SHEET)}!{top}:{bottom}"
            self.book.wb.define_name(f"list_{name}", ref)
            self.list_refs[name] = f"=list_{name}"
        ws.hide()
        ws.protect("")

    def _meta_sheet(self) -> None:
        ws = self.book.wb.add_worksheet(META_SHEET)
        ident = self.ctx.identity
        rows = [*ident.rows(), (SIGNATURE_KEY, ident.signature(self.secret))]
        for r, (key, value) in enumerate(rows):
            ws.write_string(r, 0, key)
            ws.write_string(r, 1, value)
        ws.very_hidden()
        ws.protect("")


def _column_width(col: Column | FieldSpec) -> int:
    return col.width if isinstance(col, Column) else _width(col)


def _width(spec: FieldSpec) -> int:
    return {
        FieldType.LONG_TEXT: 40,
        FieldType.TEXT: 24,
        FieldType.DATE: 13,
        FieldType.INTEGER: 10,
        FieldType.DECIMAL: 10,
        FieldType.CHOICE: 18,
        FieldType.YES_NO: 10,
    }[spec.type]
