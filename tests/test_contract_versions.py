"""Workbooks issued with an earlier contract version still sync; a field added later (its
``since``) is read by its code whatever language its label was typed in."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import builders.programme
from builders.programme import build_programme
from sync.run import sync_programme
from tests.conftest import NOW, START
from tests.test_roundtrip import EXPECTED, RETURNED, _typical
from toolkit.contract import Contract, load_contract
from toolkit.demo.fill import PairWorkbookFiller
from toolkit.framework import load_framework

ADDED = ("reflection", "sprint_deliverable")


def _contract_before(contract: Contract, tool: str, field: str) -> Contract:
    """The contract as it was before ``field`` was added: without it, at the version before."""
    spec = contract.tool(tool).field(field)
    assert spec.since and spec.since != "1.0" and contract.version == spec.since
    raw = contract.model_dump(mode="json", exclude_none=True)
    raw["version"] = "1.0"
    for t in raw["tools"]:
        if t["code"] == tool:
            t["fields"] = [f for f in t["fields"] if f["code"] != field]
    return Contract.model_validate(raw)


def test_the_sprint_deliverable_field_is_new_in_version_1_1(contract: Contract) -> None:
    spec = contract.tool("reflection").field("sprint_deliverable")
    assert (contract.version, spec.since) == ("1.1", "1.1")
    assert not spec.in_version("1.0") and spec.in_version("1.1") and spec.in_version("1.10")
    assert spec.in_version("")  # a workbook that does not say: looked for, as before
    assert contract.tool("reflection").field("mentor_satisfaction").in_version("1.0")


def test_a_workbook_issued_before_the_sprint_deliverable_field_still_syncs(
    programme: Path, ledger_values, monkeypatch
) -> None:
    """A workbook really built with contract 1.0 (no column, version 1.0 in its signed
    identity), filled after it, is accepted with no finding at all; the columns after the
    missing one are read by their headers."""
    current = load_contract(load_framework())
    old = _contract_before(current, *ADDED)
    with monkeypatch.context() as patch:
        patch.setattr(builders.programme, "load_contract", lambda _framework=None: old)
        built = build_programme(programme, now=NOW, as_of=START)
    path = next(w.path for w in built.workbooks if w.pair_id == "P001")
    f = PairWorkbookFiller(path, old, "en")
    header = [c.value for c in f.wb["Reflection"][4]]
    assert "Mentor: sprint deliverable done" not in header
    assert "Mentor: satisfaction" in header
    _typical(f)
    f.set("reflection", "mentor_observations", "Good progress on indicators.", "Q1")
    f.set("reflection", "mentor_satisfaction", "5", "Q1")
    f.save(programme / "inbox" / "old workbook.xlsx")

    result = sync_programme(programme, now=RETURNED)

    assert [(o.status, [x.code for x in o.findings]) for o in result.files] == [("accepted", [])]
    assert result.exit_code == 0
    assert ledger_values("P001") == EXPECTED | {
        ("reflection", "Q1", "mentor_observations"): "Good progress on indicators.",
        ("reflection", "Q1", "mentor_satisfaction"): "5",
    }


def test_a_current_workbook_missing_the_column_is_still_reported(programme: Path, fill) -> None:
    """The allowance is for workbooks issued before the field: a 1.1 workbook whose column is
    gone gets "VAL008", naming the column."""
    f = fill("P001")
    _typical(f)
    ws = f.wb["Reflection"]
    header = [c.value for c in ws[4]]
    ws.delete_cols(header.index("Mentor: sprint deliverable done") + 1)
    f.save(programme / "inbox" / "cut.xlsx")

    result = sync_programme(programme, now=RETURNED)

    [outcome] = result.files
    assert outcome.status == "accepted"
    assert [(x.code, x.sheet, x.column) for x in outcome.findings] == [
        ("VAL008", "Reflection", "Mentor: sprint deliverable done")
    ]


@pytest.mark.parametrize(
    ("pair_id", "typed", "code"),
    [
        ("P001", "Yes", "yes"), ("P001", "No", "no"), ("P001", "Oui", "yes"),
        ("P002", "Oui", "yes"), ("P002", "Non", "no"), ("P002", "Yes", "yes"),
        ("P002", "Sí", "yes"), ("P001", "Não", "no"), ("P001", "sim", "yes"),
    ],
)  # fmt: skip
def test_the_sprint_deliverable_answer_is_stored_as_its_code(
    programme: Path, fill, ledger_values, pair_id: str, typed: str, code: str
) -> None:
    """Whatever language the mentor typed the answer in (the dropdown's label, another
    language's, any case), the ledger holds the code."""
    f = fill(pair_id)
    f.type_raw("reflection", "sprint_deliverable", typed, "Q2")
    f.set("reflection", "mentor_satisfaction", "4", "Q2")
    f.save(programme / "inbox" / f"{pair_id}.xlsx")

    result = sync_programme(programme, now=RETURNED + dt.timedelta(days=90))

    assert [(o.status, o.findings) for o in result.files] == [("accepted", [])]
    values = ledger_values(pair_id)
    assert values[("reflection", "Q2", "sprint_deliverable")] == code
    assert values[("reflection", "Q2", "mentor_satisfaction")] == "4"


def test_a_pair_workbook_is_packed_tighter_but_holds_the_same_parts(built) -> None:
    """An attachment's parts are the XlsxWriter parts less app.xml and the rows' optional
    ``spans`` hints; packing it again changes nothing (deterministic)."""
    import io
    import zipfile

    from builders.xlsx import slim

    data = built.workbooks[0].path.read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert z.testzip() is None
        parts = {i.filename: z.read(i) for i in z.infolist()}
    assert not any(b" spans=" in body for body in parts.values())
    assert any(b"<row " in body for body in parts.values())
    plain = slim(data)
    with zipfile.ZipFile(io.BytesIO(plain)) as z:
        assert {i.filename: z.read(i) for i in z.infolist()} == parts
    assert slim(data, attachment=True) == data  # deterministic, and nothing left to take out
