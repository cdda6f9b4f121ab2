"""Filling a pair workbook the way a person would, with openpyxl: for the demo and the tests.

A person sees labels, not codes: choice values given here as codes are typed as their label
in the workbook's language (:meth:`PairWorkbookFiller.set`); :meth:`PairWorkbookFiller.type_raw`
types exactly what it is given, to imitate a value pasted past a dropdown.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path
from typing import Any

import openpyxl

from toolkit.contract import (
    FIRST_ROW,
    Contract,
    FieldType,
    LayoutKind,
    RowSpec,
    row_key_index,
    rows_for,
    table_columns,
)
from toolkit.framework import load_framework
from toolkit.text import normalise, tr

_MODIFIED = re.compile(rb"(<dcterms:(?:modified|created)[^>]*>)[^<]*(</dcterms:)")


class PairWorkbookFiller:
    """Open a pair workbook, type values into it, save it under any name."""

    def __init__(self, path: Path, contract: Contract, lang: str) -> None:
        self.wb = openpyxl.load_workbook(path)
        self.contract = contract
        self.lang = lang
        self._row_specs: dict[str, list[RowSpec]] = {}

    def set(self, tool: str, field: str, value: Any, row_key: str = "") -> None:
        """Type a value; a choice's code is typed as its label, a date as a real date."""
        spec = self.contract.tool(tool).field(field)
        if spec.list_name and isinstance(value, str):
            for choice in self.contract.choices(spec.list_name):
                if choice.code == value:
                    value = tr(choice.label, self.lang)
                    break
        if spec.type is FieldType.DATE and isinstance(value, dt.date):
            value = dt.datetime.combine(value, dt.time())
        self.type_raw(tool, field, value, row_key)

    def type_raw(self, tool: str, field: str, value: Any, row_key: str = "") -> None:
        """Type exactly ``value`` into the field's cell."""
        ws, row, col = self._locate(tool, field, row_key)
        ws.cell(row=row, column=col).value = value  # cell(value=None) would not clear it

    def row_keys(self, tool_code: str) -> list[str]:
        """The row keys of a table tool, read from its key column (where a quarter row says
        'T1' in French, its key is still 'Q1')."""
        tool = self.contract.tool(tool_code)
        ws = self.wb[tr(tool.title, self.lang)]
        index = row_key_index(self._rows(tool_code))
        keys = (ws.cell(row=r, column=1).value for r in range(FIRST_ROW + 2, ws.max_row + 1))
        return [index.get(normalise(k), str(k)) for k in keys if k not in (None, "")]

    def _rows(self, tool_code: str) -> list[RowSpec]:
        # Quarter and month rows do not depend on the level; milestone rows are keyed by code.
        # Worked out once per tool: every set() on a table looks its row up here.
        if tool_code not in self._row_specs:
            tool = self.contract.tool(tool_code)
            self._row_specs[tool_code] = rows_for(
                tool, load_framework(), level="junior", months=24, lang=self.lang
            )
        return self._row_specs[tool_code]

    def save(self, path: Path, saved_at: dt.datetime | None = None) -> None:
        """Save to ``path`` (creating its folder).

        openpyxl stamps the file with the current time; with ``saved_at`` the stamp (and the zip
        entries' times) are fixed instead, so a simulated return is byte for byte repeatable.
        """
        path.parent.mkdir(parents=True, exist_ok=True)
        if saved_at is None:
            self.wb.save(path)
            return
        buffer = io.BytesIO()
        self.wb.save(buffer)
        stamp = saved_at.strftime("%Y-%m-%dT%H:%M:%SZ")
        out = io.BytesIO()
        with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
            for info in src.infolist():
                data = src.read(info)
                if info.filename == "docProps/core.xml":
                    data = _MODIFIED.sub(lambda m: m.group(1) + stamp.encode() + m.group(2), data)
                dst.writestr(zipfile.ZipInfo(info.filename, (1980, 1, 1, 0, 0, 0)), data,
                             zipfile.ZIP_DEFLATED)  # fmt: skip
        path.write_bytes(out.getvalue())

    def _locate(self, tool_code: str, field: str, row_key: str) -> tuple[Any, int, int]:
        tool = self.contract.tool(tool_code)
        ws = self.wb[tr(tool.title, self.lang)]
        spec = tool.field(field)
        if tool.kind is LayoutKind.FORM:
            wanted = normalise(tr(spec.label, self.lang))
            for row in range(1, ws.max_row + 1):
                if normalise(ws.cell(row=row, column=1).value or "") == wanted:
                    return ws, row, 2
            raise KeyError(f"{tool_code}.{field} not found")
        col = [c.code for c in table_columns(tool)].index(field) + 1
        header = FIRST_ROW + 1
        shown = {r.key: r.shown(self.lang) for r in self._rows(tool_code)}.get(row_key, row_key)
        for row in range(header + 1, ws.max_row + 1):
            if str(ws.cell(row=row, column=1).value) == shown:
                return ws, row, col
        raise KeyError(f"{tool_code}[{row_key}].{field} not found")
