"""Reading a returned workbook's values by the workbook contract.

Sheets are found by title in any of the four languages; form fields by their label (column A
or wherever it moved) and table columns by their header text, all compared after
:func:`toolkit.text.normalise`. Rows of a table are identified by the key in their key column,
not by position, so inserted rows and moved columns are read correctly.

The result is a *snapshot*: every field that could be read, with ``""`` for an empty cell, and
findings for what could not. A field that could not be read is absent, never ``""``, so a lost
sheet or a bad cell can never clear a stored value.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from xlsxwriter.utility import xl_rowcol_to_cell

from sync.reader import Sheet
from sync.values import ChoiceIndex, convert
from toolkit.contract import (
    LISTS_SHEET,
    META_SHEET,
    Column,
    Contract,
    FieldSpec,
    InfoItem,
    LayoutKind,
    ToolSpec,
    table_columns,
    title_index,
)
from toolkit.framework import labels
from toolkit.ledger import ValueKey
from toolkit.messages import Finding, finding
from toolkit.text import LANGUAGES, normalise, tr

_FORM_LABEL_COLUMNS = 4
RETURNED_BY: ValueKey = (
    "start",
    "",
    "returned_by",
)  # a label may have moved right by a few inserted columns


@dataclass
class Snapshot:
    """What a returned workbook holds, by (tool, row key, field)."""

    values: dict[ValueKey, str] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    returned_by: str = ""
    """Who sent this copy (Start here): it names the copy, so it is kept with the submission
    rather than merged as a value."""
    cells: dict[ValueKey, tuple[str, str]] = field(default_factory=dict)
    """Where each value was read: (sheet title as in the file, cell such as C7)."""


def parse_workbook(
    sheets: list[Sheet],
    contract: Contract,
    lang: str,
    file: str,
    row_keys: dict[str, dict[str, str]] | None = None,
    choices: ChoiceIndex | None = None,
    date_order: str = "dmy",
    country: str = "",
    version: str = "",
) -> Snapshot:
    """Read every tool of the contract from the sheets of a returned workbook.

    ``row_keys`` gives, per table tool, the row keys the workbook was issued with; a row with
    another key is reported rather than read. ``choices`` may be passed in to reuse one index
    across many files. ``date_order`` and ``country`` decide ambiguous dates typed as text.
    A renamed sheet is recognised by its headers (VAL016); a sheet added by the sender that
    holds anything is reported (VAL017), since what is typed there is not read. ``version`` is
    the contract version the workbook was issued with: a field added later (its ``since``) is
    not looked for in it.
    """
    snapshot = Snapshot()
    titles = title_index(contract)
    by_tool: dict[str, Sheet] = {}
    spare: list[Sheet] = []
    for sheet in sheets:
        code = titles.get(normalise(sheet.title))
        if code and code not in by_tool:
            by_tool[code] = sheet
        elif normalise(sheet.title) not in _OWN_SHEETS:
            spare.append(sheet)
    for tool in contract.tools:
        if tool.code in by_tool:
            continue
        match = next((s for s in spare if _looks_like(s, tool)), None)
        if match is not None:
            spare.remove(match)
            by_tool[tool.code] = match
            snapshot.findings.append(
                finding("VAL016", file=file, sheet=match.title, expected=tr(tool.title, lang))
            )
    for sheet in spare:
        if any(v not in ("", None) for row in sheet.rows for v in row):
            snapshot.findings.append(finding("VAL017", file=file, sheet=sheet.title))
    choices = choices or ChoiceIndex(contract)
    for tool in contract.tools:
        sheet = by_tool.get(tool.code)
        if sheet is None:
            snapshot.findings.append(finding("VAL007", file=file, sheet=tr(tool.title, lang)))
            continue
        expected = (row_keys or {}).get(tool.code)
        reader = _Reader(sheet, tool, choices, lang, file, snapshot, expected)
        reader.date_order, reader.country, reader.version = date_order, country, version
        if tool.kind is LayoutKind.FORM:
            reader.form()
        else:
            reader.table()
    snapshot.returned_by = snapshot.values.pop(RETURNED_BY, "")
    return snapshot


_OWN_SHEETS = {
    normalise(META_SHEET),
    normalise(LISTS_SHEET),
    *(normalise(title) for title in labels()["sheet_guide"].values()),
}
"""Sheets the toolkit writes that are not tools: nothing typed there is read or reported."""


def _looks_like(sheet: Sheet, tool: ToolSpec) -> bool:
    """Whether a sheet under an unknown title holds a tool: a table's key header and one of
    its field headers in one row, or two of a form's labels (one for a one-field form)."""
    cells = [
        (r, normalise(v)) for r, row in enumerate(sheet.rows[:60]) for v in row[:40]
        if isinstance(v, str) and v
    ]  # fmt: skip
    if tool.kind is LayoutKind.FORM:
        labels = set().union(*(_labels(f) for f in tool.fields), *(_labels(i) for i in tool.info))
        hits = {text for _, text in cells if text in labels}
        return len(hits) >= min(2, len(tool.fields) + len(tool.info))
    assert tool.key is not None
    keys, fields = _labels(tool.key), set().union(*(_labels(f) for f in tool.fields))
    key_rows = {r for r, text in cells if text in keys}
    return any(r in key_rows for r, text in cells if text in fields)


def _labels(item: Column | FieldSpec | InfoItem) -> set[str]:
    return {normalise(item.label[lang]) for lang in LANGUAGES if lang in item.label}


class _Reader:
    def __init__(
        self,
        sheet: Sheet,
        tool: ToolSpec,
        choices: ChoiceIndex,
        lang: str,
        file: str,
        snapshot: Snapshot,
        expected: dict[str, str] | None = None,
    ) -> None:
        self.expected = expected
        self.sheet = sheet
        self.tool = tool
        self.choices = choices
        self.lang = lang
        self.file = file
        self.snapshot = snapshot
        self.date_order = "dmy"
        self.country = ""
        self.version = ""

    def form(self) -> None:
        wanted = {label: spec for spec in self.tool.fields for label in _labels(spec)}
        found: set[str] = set()
        for r, row in enumerate(self.sheet.rows):
            for c, text in enumerate(row[:_FORM_LABEL_COLUMNS]):
                if not isinstance(text, str) or not text:
                    continue
                spec = wanted.get(normalise(text))
                if spec is None or spec.code in found:
                    continue
                found.add(spec.code)
                self._take(spec, "", r, c + 1)
                break
        for spec in self.tool.fields:
            if spec.code not in found:
                self._missing_header(spec)

    def table(self) -> None:
        assert self.tool.key is not None
        key_labels = _labels(self.tool.key)
        header_row = next(
            (
                r for r, row in enumerate(self.sheet.rows)
                if any(isinstance(v, str) and normalise(v) in key_labels for v in row)
            ),
            None,
        )  # fmt: skip
        if header_row is None:
            self._missing_header(self.tool.key)
            return
        header = self.sheet.rows[header_row]
        positions: dict[str, int] = {}
        for col in table_columns(self.tool):
            labels = _labels(col)
            for c, text in enumerate(header):
                if isinstance(text, str) and normalise(text) in labels:
                    positions[col.code] = c
                    break
            else:
                if isinstance(col, FieldSpec) or col is self.tool.key:
                    self._missing_header(col)
        key_col = positions[self.tool.key.code]
        inputs = [(f, positions[f.code]) for f in self.tool.fields if f.code in positions]
        seen: set[str] = set()
        for r in range(header_row + 1, len(self.sheet.rows)):
            key = _key_text(self.sheet.cell(r, key_col))
            if self.expected is not None:
                key = self.expected.get(normalise(key), key)
            seen.add(key)
            if not key:
                for spec, c in inputs:
                    raw = self.sheet.cell(r, c)
                    if raw not in ("", None):
                        self._note("VAL010", r, c, spec, raw)
                continue
            if self.expected is not None and key not in self.expected.values():
                if any(self.sheet.cell(r, c) not in ("", None) for _, c in inputs):
                    self._note("VAL009", r, key_col, self.tool.key, key)
                continue
            for spec, c in inputs:
                self._take(spec, key, r, c)
        # A deleted row cannot erase anything (its fields are simply not read), but the sender
        # may have typed there before deleting it: worth a word.
        issued = set((self.expected or {}).values())
        for key in sorted(issued - seen, key=lambda k: (len(k), k)):
            self.snapshot.findings.append(
                finding("VAL018", file=self.file, sheet=self.sheet.title, value=key,
                        column=tr(self.tool.key.label, self.lang))
            )  # fmt: skip

    def _take(self, spec: FieldSpec, row_key: str, r: int, c: int) -> None:
        raw = self.sheet.cell(r, c)
        result = convert(spec, raw, self.choices, self.lang, self.date_order, self.country)
        if result.code:
            self._note(result.code, r, c, spec, raw, **(result.facts or {}))
        if result.ok:
            key = (self.tool.code, row_key, spec.code)
            self.snapshot.values[key] = result.value or ""
            self.snapshot.cells[key] = (self.sheet.title, xl_rowcol_to_cell(r, c))

    def _note(
        self, code: str, r: int, c: int, spec: FieldSpec | Column, raw: object, **facts: object
    ) -> None:
        self.snapshot.findings.append(
            finding(
                code, file=self.file, sheet=self.sheet.title, cell=xl_rowcol_to_cell(r, c),
                row=r + 1, column=tr(spec.label, self.lang), value=raw, **facts,
            )
        )  # fmt: skip

    def _missing_header(self, item: Column | FieldSpec) -> None:
        if isinstance(item, FieldSpec) and not item.in_version(self.version):
            return  # the workbook was issued before this field existed
        self.snapshot.findings.append(
            finding(
                "VAL008", file=self.file, sheet=self.sheet.title, column=tr(item.label, self.lang)
            )
        )


def _key_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip() if value is not None else ""
