"""Receipts filled into their shape's template are the very files a full drawing gives, and
those whose text could change the file are drawn in full."""

from __future__ import annotations

from pathlib import Path

import pytest

from builders import receipt
from builders.receipt import ReceiptWriter
from sync.run import FileOutcome
from toolkit.messages import finding

READ = {"agreement": 4, "competencies": 22, "sessions": 9}
TAKEN = {"agreement": 4, "competencies": 20, "sessions": 9}


def _outcome(name: str, pair: str | None = "P001", **changes: object) -> FileOutcome:
    facts: dict[str, object] = {
        "status": "accepted", "sha256": "ab" * 32, "pair_id": pair, "revision": 1,
        "saved_at": "2026-04-10T09:00:00+00:00", "language": "en",
        "read_by_sheet": dict(READ), "applied_by_sheet": dict(TAKEN),
    }  # fmt: skip
    return FileOutcome(name=name, **(facts | changes))  # type: ignore[arg-type]


FILLED = [
    _outcome("P001.xlsx"),
    _outcome("Maria & João <copy>.xlsx", "P002", language="pt"),
    _outcome("P003.xlsx", "P003", read_by_sheet={"sessions": 3}, applied_by_sheet={}),
    _outcome("P004.xlsx", "P004", saved_at="", revision=2),
    _outcome("again P001.xlsx", status="duplicate", applied_by_sheet={}),
    _outcome("P005 late.xlsx", "P005", read_by_sheet={"competencies": 1_234_567}),
    _outcome(
        "again P002.xlsx",
        "P002",
        status="duplicate",
        read_by_sheet={},
        applied_by_sheet={},
        findings=[finding("FIL005", file="again P002.xlsx", value="P002.xlsx")],
    ),
    _outcome(
        "P006.xlsx",
        "P006",
        findings=[
            finding("VAL001", sheet="Reflexión", cell="B9", column="Goal 1", value="abc & <d>"),
            finding("VAL001", sheet="Reflexión", cell="C7", column="Minutes", value="ninety"),
        ],
    ),
    _outcome(
        "unknown.xlsx",
        None,
        revision=None,
        status="quarantined",
        read_by_sheet={},
        applied_by_sheet={},
    ),
]
"""Receipts filled in: accents and XML escapes, other sheets, counts, results, no date,
findings (two of one code share their wording and sheet, as a full drawing shares them)."""

DRAWN = [
    _outcome(" spaced.xlsx"),  # white space kept with an XML attribute
    _outcome("File"),  # a label of the receipt itself
    _outcome("P001 (r1)"),  # the same text as the pair cell
    _outcome("bell\x07.xlsx"),  # a control character, written as _x0007_
    _outcome("P007.xlsx", "P007", findings=[finding("VAL001", sheet="X", cell="P007.xlsx")]),
    _outcome("P008.xlsx", "P008", findings=[finding("VAL001", sheet="Agreement", cell="B9")]),
    _outcome("P009.xlsx", "P009", findings=[finding("VAL001", value="{{mentorkit:text1}}")]),
    _outcome("1999-09-09T09:09:09Z.xlsx"),  # the template's own date
]
"""Receipts drawn in full: a finding's text equal to the file's name, or to a sheet listed
above it, or a text with what the template's placeholders look like."""


@pytest.mark.parametrize("outcome", FILLED + DRAWN, ids=lambda o: o.name)
def test_a_filled_receipt_is_the_drawn_one(programme: Path, outcome: FileOutcome) -> None:
    """The first receipt of a shape makes its template; the next is filled into it."""
    writer = ReceiptWriter(programme)
    lang = outcome.language or "en"
    writer._receipt(_outcome("P999.xlsx", "P999", status=outcome.status), lang)
    rows = receipt._finding_rows(outcome, lang)
    assert writer._receipt(outcome, lang) == writer._draw(outcome, lang, rows)
    key, texts = receipt._shape(outcome, lang, writer.order, rows)
    assert writer._shapes[key].fits(outcome, texts) == (outcome in FILLED)


def test_receipts_of_one_shape_are_drawn_once(programme: Path) -> None:
    writer = ReceiptWriter(programme)
    for i in range(5):
        writer._receipt(_outcome(f"P{i:03d}.xlsx", f"P{i:03d}"), "en")
    writer._receipt(_outcome("P001.xlsx", language="fr"), "fr")
    assert len(writer._shapes) == 2
