"""The workbook contract: every sheet of a pair workbook, declared once, as data.

``toolkit/data/contract.yaml`` declares the tools (Start here, Agreement, Competencies, Session
log, Reflection): their fields, types, choice lists, bounds, help and layout kind. This module
validates that declaration, resolves what comes from the framework (the rating scale, the
milestones, the months), and defines the one layout both sides use: the builders write cells
where :func:`table_columns` and the ``*_ROW`` constants say, and sync finds them again by header
text in any language. Nothing else in the code base names a sheet title, a header or a cell.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from enum import Enum
from importlib import resources
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from toolkit import yamlio
from toolkit.framework import Framework, load_framework
from toolkit.text import LANGUAGES, Text, normalise, tr

META_SHEET = "_mentorkit"
"""Title of the very hidden sheet that carries a pair workbook's signed identity."""

LISTS_SHEET = "_lists"
"""Title of the hidden sheet whose columns feed every dropdown."""

TITLE_ROW = 0
"""0-based row of a sheet's title (Excel row 1)."""
DESCRIPTION_ROW = 1
"""0-based row of a sheet's description (Excel row 2)."""
FIRST_ROW = 3
"""0-based row where a form's first label, or a table's header, stands (Excel row 4)."""

DATE_MIN = dt.date(2000, 1, 1)
DATE_MAX = dt.date(2100, 12, 31)
"""Dates a date field accepts: the workbook's validation and sync's check use the same bounds."""

TEXT_MAX = 255
LONG_TEXT_MAX = 4000


class FieldType(str, Enum):
    """The type of an input field."""

    TEXT = "text"
    LONG_TEXT = "long_text"
    DATE = "date"
    INTEGER = "integer"
    DECIMAL = "decimal"
    CHOICE = "choice"
    YES_NO = "yes_no"


class LayoutKind(str, Enum):
    """How a tool is laid out on its sheet."""

    FORM = "form"
    TABLE = "table"
    MATRIX = "matrix"


class RowSource(str, Enum):
    """Where the fixed rows of a table or matrix come from."""

    MILESTONES = "milestones"
    MONTHS = "months"
    QUARTERS = "quarters"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Choice(_Model):
    """One choice of a dropdown: a stable code and its label per language."""

    code: str = Field(description="Stable code stored in the ledger.")
    label: Text = Field(description="Label shown in the dropdown, per language.")


class ChoiceList(_Model):
    """A dropdown's choices, given inline or taken from the framework."""

    items: list[Choice] = Field(default_factory=list, description="The choices, in order.")
    from_framework: str | None = Field(
        default=None, description="Name of a framework list the choices come from."
    )


class FieldSpec(_Model):
    """One input field: a form row, or a table column."""

    code: str = Field(description="Stable field code, used in the ledger and JSON.")
    type: FieldType = Field(description="Value type.")
    label: Text = Field(description="Row label (form) or column header (table), per language.")
    help: Text = Field(description="Input message shown when the cell is selected.")
    required: bool = Field(default=False, description="Whether the field must be filled.")
    choices: str | None = Field(default=None, description="Choice list name, for choice fields.")
    min: float | None = Field(default=None, description="Smallest allowed number.")
    max: float | None = Field(default=None, description="Largest allowed number.")
    max_length: int | None = Field(default=None, description="Longest allowed text.")
    since: str | None = Field(
        default=None,
        description="The contract version that added this field: a workbook issued with an "
        "earlier version has no cell for it, and sync does not ask for one.",
    )

    @model_validator(mode="after")
    def _choice_needs_list(self) -> FieldSpec:
        if self.type is FieldType.CHOICE and not self.choices:
            raise ValueError(f"field {self.code!r}: a choice field needs 'choices'")
        if self.type is not FieldType.CHOICE and self.choices:
            raise ValueError(f"field {self.code!r}: only choice fields take 'choices'")
        return self

    @property
    def list_name(self) -> str | None:
        """The choice list feeding this field's dropdown (yes/no fields use ``yes_no``)."""
        return "yes_no" if self.type is FieldType.YES_NO else self.choices

    def in_version(self, version: str) -> bool:
        """Whether a workbook issued with contract ``version`` has this field ("" or an
        unreadable version: assume it does)."""
        return not self.since or _version_key(version) >= _version_key(self.since)

    @property
    def text_limit(self) -> int | None:
        """Maximum text length, for text fields."""
        if self.type is FieldType.TEXT:
            return self.max_length or TEXT_MAX
        if self.type is FieldType.LONG_TEXT:
            return self.max_length or LONG_TEXT_MAX
        return None


class Column(_Model):
    """A read-only column of a table: its key or a prefilled display column."""

    code: str = Field(description="Stable column code.")
    label: Text = Field(description="Column header, per language.")
    width: int = Field(default=10, description="Column width in characters.")


class InfoItem(_Model):
    """A read-only line of the Start here sheet (programme, pair code, ...)."""

    code: str = Field(description="Stable code of the item.")
    label: Text = Field(description="Label, per language.")
    text: Text | None = Field(default=None, description="Fixed text, when it is not pair data.")


class ToolSpec(_Model):
    """One sheet of the pair workbook."""

    code: str = Field(description="Stable tool code.")
    kind: LayoutKind = Field(description="Layout kind: form, table or matrix.")
    title: Text = Field(description="Sheet title, per language (at most 31 characters).")
    description: Text = Field(description="Explanation shown under the title.")
    fields: list[FieldSpec] = Field(description="Input fields.")
    rows: RowSource | None = Field(default=None, description="Where a table's rows come from.")
    key: Column | None = Field(default=None, description="The row key column of a table.")
    display: list[Column] = Field(default_factory=list, description="Prefilled read-only columns.")
    info: list[InfoItem] = Field(default_factory=list, description="Read-only lines of a form.")

    @model_validator(mode="after")
    def _shape(self) -> ToolSpec:
        tabular = self.kind in (LayoutKind.TABLE, LayoutKind.MATRIX)
        if tabular and (self.rows is None or self.key is None):
            raise ValueError(f"tool {self.code!r}: a {self.kind.value} needs 'rows' and 'key'")
        if not tabular and (self.rows or self.key or self.display):
            raise ValueError(f"tool {self.code!r}: a form takes no rows, key or display")
        for lang, title in self.title.items():
            if len(title) > 31:
                raise ValueError(f"tool {self.code!r}: title[{lang}] is over 31 characters")
        codes = [f.code for f in self.fields]
        if len(codes) != len(set(codes)):
            raise ValueError(f"tool {self.code!r}: duplicate field codes")
        return self

    def field(self, code: str) -> FieldSpec:
        """The field with this code."""
        return next(f for f in self.fields if f.code == code)


class Contract(_Model):
    """The whole workbook contract."""

    version: str = Field(description="Contract version, carried in every pair workbook.")
    choice_lists: dict[str, ChoiceList] = Field(description="Dropdown lists by name.")
    tools: list[ToolSpec] = Field(description="The sheets of a pair workbook, in order.")
    ui: dict[str, Text] = Field(description="Workbook texts outside any one field.")

    @model_validator(mode="after")
    def _lists_exist(self) -> Contract:
        for tool in self.tools:
            for f in tool.fields:
                if f.list_name and f.list_name not in self.choice_lists:
                    raise ValueError(f"{tool.code}.{f.code}: unknown choice list {f.list_name!r}")
        return self

    def tool(self, code: str) -> ToolSpec:
        """The tool with this code."""
        return next(t for t in self.tools if t.code == code)

    def choices(self, name: str) -> list[Choice]:
        """The resolved choices of a list (framework lists must be resolved first)."""
        return self.choice_lists[name].items

    @property
    def fingerprint(self) -> str:
        """A short hash of the contract's content: changes whenever any field or label does."""
        canonical = json.dumps(self.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class RowSpec:
    """One fixed row of a table: its key and its prefilled display values (already translated)."""

    key: str
    display: dict[str, str]
    label: Text | None = None
    """What the key cell says, by language, when it is not the key itself: a quarter row's
    key is 'Q1' in every language, its label 'Q1' in English and 'T1' in French, Spanish and
    Portuguese (the quarter labels of the competency ratings)."""

    def shown(self, lang: str) -> str:
        """The key cell's text in ``lang``."""
        return tr(self.label, lang) if self.label else self.key


def row_key_index(rows: list[RowSpec]) -> dict[str, str]:
    """Normalised text a returned key cell may hold → the row's key: the key itself (older
    workbooks wrote 'Q1' in every language) and its label in every language ('T1', 't1 ')."""
    index = {normalise(r.key): r.key for r in rows}
    for r in rows:
        for text in (r.label or {}).values():
            index.setdefault(normalise(text), r.key)
    return index


_CACHE: dict[int, tuple[Framework, Contract]] = {}


def _version_key(version: str) -> tuple[int, ...]:
    """'1.10' after '1.9'; an unreadable version sorts after every real one."""
    parts = version.split(".")
    return tuple(int(p) for p in parts) if all(p.isdigit() for p in parts) else (1 << 30,)


def load_contract(framework: Framework | None = None) -> Contract:
    """The packaged contract, with framework-fed choice lists resolved (cached per framework)."""
    framework = framework or load_framework()
    hit = _CACHE.get(id(framework))
    if hit is None or hit[0] is not framework:
        hit = (framework, _resolved(framework))
        _CACHE[id(framework)] = hit
    return hit[1]


def _resolved(framework: Framework) -> Contract:
    text = resources.files("toolkit").joinpath("data/contract.yaml").read_text(encoding="utf-8")
    # The session length has one source, the framework's session template.
    text = text.replace("{session_minutes}", str(framework.session_minutes))
    raw: dict[str, Any] = yamlio.safe_load(text)
    for name, decl in raw["choice_lists"].items():
        if isinstance(decl, list):
            raw["choice_lists"][name] = {"items": decl}
        elif decl.get("from_framework") == "rating_scale":
            decl["items"] = [
                {"code": r.code, "label": dict(r.label)} for r in framework.rating_scale
            ]
    return Contract.model_validate(raw)


def form_first_field_row(tool: ToolSpec) -> int:
    """0-based row of a form's first input field: after its info lines and one blank row."""
    return FIRST_ROW + len(tool.info) + (1 if tool.info else 0)


def table_columns(tool: ToolSpec) -> list[Column | FieldSpec]:
    """The columns of a table or matrix, left to right: key, display columns, input fields."""
    assert tool.key is not None
    return [tool.key, *tool.display, *tool.fields]


def rows_for(
    tool: ToolSpec, framework: Framework, *, level: str, months: int, lang: str
) -> list[RowSpec]:
    """The fixed rows of a table or matrix for one pair, display values in ``lang``."""
    if tool.rows is RowSource.MILESTONES:
        return [
            RowSpec(
                m.code,
                {
                    "domain": tr(framework.domain(m.domain).label, lang),
                    "milestone_text": tr(m.text, lang),
                    "example_evidence": tr(m.evidence, lang),
                },
            )
            for m in framework.milestones_for(level)
        ]
    if tool.rows is RowSource.MONTHS:
        rows = []
        for month in range(1, months + 1):
            topic = framework.topic(month)
            rows.append(RowSpec(str(month), {"planned_topic": tr(topic, lang) if topic else ""}))
        return rows
    if tool.rows is RowSource.QUARTERS:
        first = _first_quarter_label()
        return [
            RowSpec(f"Q{q}", {}, {lang: text.replace("1", str(q)) for lang, text in first.items()})
            for q in range(1, (months + 2) // 3 + 1)
        ]
    raise ValueError(f"tool {tool.code!r} has no rows")


def _first_quarter_label() -> Text:
    """The label the contract gives the first quarter's competency rating ('Q1', 'T1', ...);
    other quarters change its digit."""
    return next(
        f.label
        for tool in load_contract().tools
        if tool.kind is LayoutKind.MATRIX
        for f in tool.fields
        if f.code == "q1"
    )


def title_index(contract: Contract) -> dict[str, str]:
    """Normalised sheet title in any language → tool code, for finding sheets in returns."""
    index: dict[str, str] = {}
    for tool in contract.tools:
        for lang in LANGUAGES:
            if lang in tool.title:
                index[normalise(tool.title[lang])] = tool.code
    return index


def schema(contract: Contract, framework: Framework) -> dict[str, Any]:
    """The contract as a JSON-ready document, with each tool's layout spelled out for readers
    such as Power Query or R (sheet, header row, column letters)."""
    from xlsxwriter.utility import xl_col_to_name  # pure helper; writes nothing

    doc: dict[str, Any] = {
        "contract_version": contract.version,
        "fingerprint": contract.fingerprint,
        "framework_version": framework.version,
        "languages": list(LANGUAGES),
        "metadata_sheet": META_SHEET,
        "lists_sheet": LISTS_SHEET,
        "choice_lists": {
            name: [c.model_dump(mode="json") for c in cl.items]
            for name, cl in contract.choice_lists.items()
        },
        "tools": [],
    }
    for tool in contract.tools:
        entry = tool.model_dump(mode="json", exclude_none=True)
        if tool.kind is LayoutKind.FORM:
            entry["layout"] = {
                "label_column": "A",
                "value_column": "B",
                "first_excel_row": form_first_field_row(tool) + 1,
            }
        else:
            entry["layout"] = {
                "header_excel_row": FIRST_ROW + 1,
                "first_data_excel_row": FIRST_ROW + 2,
                "columns": {
                    col.code: xl_col_to_name(i) for i, col in enumerate(table_columns(tool))
                },
            }
        doc["tools"].append(entry)
    return doc
