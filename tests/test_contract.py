"""The workbook contract and the starter framework: complete, translated, consistent."""

from __future__ import annotations

import io
import json

import pytest
from python_calamine import CalamineWorkbook

from builders.guide import guide_title
from builders.pair import PairContext, render_pair_workbook
from toolkit.contract import (
    LISTS_SHEET,
    META_SHEET,
    Contract,
    FieldType,
    LayoutKind,
    load_contract,
    schema,
)
from toolkit.framework import load_framework
from toolkit.identity import PairIdentity
from toolkit.text import LANGUAGES, missing_languages


def _texts(contract: Contract):
    for tool in contract.tools:
        yield f"{tool.code}.title", tool.title
        yield f"{tool.code}.description", tool.description
        for item in (*tool.info, *tool.display, *([tool.key] if tool.key else [])):
            yield f"{tool.code}.{item.code}.label", item.label
        for info in tool.info:
            if info.text:
                yield f"{tool.code}.{info.code}.text", info.text
        for f in tool.fields:
            yield f"{tool.code}.{f.code}.label", f.label
            yield f"{tool.code}.{f.code}.help", f.help
    for name, cl in contract.choice_lists.items():
        for c in cl.items:
            yield f"choice {name}.{c.code}", c.label
    for key, text in contract.ui.items():
        yield f"ui.{key}", text


def test_every_contract_text_exists_in_all_four_languages(contract: Contract) -> None:
    missing = {k: missing_languages(t) for k, t in _texts(contract) if missing_languages(t)}
    assert missing == {}


def test_every_framework_text_exists_in_all_four_languages() -> None:
    fw = load_framework()
    texts = [d.label for d in fw.domains] + [lv.label for lv in fw.levels]
    texts += [m.text for m in fw.milestones] + [m.evidence for m in fw.milestones]
    texts += [t.topic for t in fw.session_plan] + [r.label for r in fw.rating_scale]
    assert [t for t in texts if missing_languages(t)] == []


def test_the_four_tools_and_their_kinds(contract: Contract) -> None:
    assert [(t.code, t.kind) for t in contract.tools] == [
        ("start", LayoutKind.FORM),
        ("agreement", LayoutKind.FORM),
        ("competencies", LayoutKind.MATRIX),
        ("sessions", LayoutKind.TABLE),
        ("reflection", LayoutKind.TABLE),
    ]
    types = {f.type for t in contract.tools for f in t.fields}
    assert types >= {FieldType.TEXT, FieldType.LONG_TEXT, FieldType.DATE, FieldType.INTEGER,
                     FieldType.CHOICE, FieldType.YES_NO}  # fmt: skip
    assert [c.code for c in contract.choices("rating")] == ["1", "2", "3", "4"]


def test_schema_is_json_and_names_every_sheet(contract: Contract) -> None:
    doc = json.loads(json.dumps(schema(contract, load_framework())))
    assert [t["code"] for t in doc["tools"]] == [t.code for t in contract.tools]
    sessions = next(t for t in doc["tools"] if t["code"] == "sessions")
    assert sessions["layout"]["columns"]["month"] == "A"
    assert sessions["layout"]["header_excel_row"] == 4
    assert doc["fingerprint"] == contract.fingerprint


def test_fingerprint_changes_with_the_contract(contract: Contract) -> None:
    changed = contract.model_copy(update={"version": "9.9"})
    assert changed.fingerprint != contract.fingerprint


@pytest.mark.parametrize("lang", LANGUAGES)
def test_pair_workbook_in_each_language(contract: Contract, lang: str) -> None:
    """Rendered sheets carry the language's titles; lists stay under 255 characters inline
    (they are ranges on a hidden sheet); the identity sheet is very hidden."""
    framework = load_framework()
    identity = PairIdentity("p", "c", "P001", "M", "E", 1, "2026-01-05T09:00:00+00:00",
                            contract.version, contract.fingerprint, "0.1.0", lang)  # fmt: skip
    ctx = PairContext(identity, "Programme", "Mentor", "Mentee", "c@example.org", "mid", 12)
    data = render_pair_workbook(ctx, contract, framework, "s")
    wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
    titles = [t.title[lang] for t in contract.tools]
    assert wb.sheet_names == [*titles, guide_title(lang), LISTS_SHEET, META_SHEET]
    visibility = {m.name: str(m.visible).rsplit(".", 1)[-1] for m in wb.sheets_metadata}
    assert visibility[META_SHEET] == "VeryHidden" and visibility[LISTS_SHEET] == "Hidden"
    assert len(data) <= 25 * 1024  # with the Guide sheet; they travel over slow links


def test_same_input_gives_byte_identical_workbook(contract: Contract) -> None:
    framework = load_framework()
    identity = PairIdentity("p", "c", "P001", "M", "E", 1, "2026-01-05T09:00:00+00:00",
                            contract.version, contract.fingerprint, "0.1.0", "en")  # fmt: skip
    ctx = PairContext(identity, "Programme", "Mentor", "Mentee", "c@example.org", "mid", 12)
    assert render_pair_workbook(ctx, contract, framework, "s") == render_pair_workbook(
        ctx, contract, framework, "s"
    )


def test_schema_form_rows_match_the_built_workbook(built) -> None:
    """A reader following `mentorkit schema` finds each form's first field where it says."""
    import openpyxl

    contract = load_contract(load_framework())
    doc = schema(contract, load_framework())
    wb = openpyxl.load_workbook(built.workbooks[0].path)
    for tool, entry in zip(contract.tools, doc["tools"], strict=True):
        if tool.kind is LayoutKind.FORM:
            label = wb[tool.title["en"]].cell(row=entry["layout"]["first_excel_row"], column=1)
            assert label.value.rstrip(" *") == tool.fields[0].label["en"], tool.code


def test_quarter_rows_have_translated_labels_and_any_of_them_reads_back(contract) -> None:
    """A quarter row's key stays 'Q1' (the ledger's row key); its label is the contract's
    quarter label in the pair's language, and a returned key cell saying the label in any
    language, or the bare key as older workbooks wrote it, maps back to the key."""
    from toolkit.contract import RowSource, row_key_index, rows_for
    from toolkit.text import normalise

    framework = load_framework()
    [tool] = [t for t in contract.tools if t.rows is RowSource.QUARTERS]
    rows = rows_for(tool, framework, level="junior", months=18, lang="fr")
    assert [r.key for r in rows] == ["Q1", "Q2", "Q3", "Q4", "Q5", "Q6"]
    assert [r.shown("fr") for r in rows][:2] == ["T1", "T2"]
    assert [r.shown(lang) for r in rows[3:4] for lang in LANGUAGES] == ["Q4", "T4", "T4", "T4"]
    index = row_key_index(rows)
    assert [index.get(normalise(text)) for text in ("Q1", "T1", " t2 ", "q6", "T7")] == [
        "Q1", "Q1", "Q2", "Q6", None,
    ]  # fmt: skip
