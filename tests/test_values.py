"""What people type, converted to the ledger's canonical text (or a finding code)."""

from __future__ import annotations

import datetime as dt

import pytest

from sync.values import ChoiceIndex, convert
from toolkit.contract import load_contract

CONTRACT = load_contract()
CHOICES = ChoiceIndex(CONTRACT)
MINUTES = CONTRACT.tool("sessions").field("minutes")
DATE = CONTRACT.tool("sessions").field("session_date")
MODE = CONTRACT.tool("sessions").field("mode")
YES_NO = CONTRACT.tool("agreement").field("confidentiality")
GOAL = CONTRACT.tool("agreement").field("goal_1")


@pytest.mark.parametrize(
    ("spec", "typed", "expected"),
    [
        (MINUTES, 90.0, "90"),
        (MINUTES, "90", "90"),
        (MINUTES, " 90 ", "90"),
        (MINUTES, "ninety", "VAL003"),
        (MINUTES, 12.5, "VAL004"),
        (MINUTES, "12,5", "VAL004"),
        (MINUTES, "1,000", "VAL005"),  # read as a thousand, then out of range
        (MINUTES, -5, "VAL005"),
        (MINUTES, True, "VAL003"),
        (DATE, dt.datetime(2026, 3, 15, 0, 0), "2026-03-15"),
        (DATE, dt.date(2026, 3, 15), "2026-03-15"),
        (DATE, "2026-03-15", "2026-03-15"),
        (DATE, "15/03/2026", "2026-03-15"),
        (DATE, "15.03.26", "2026-03-15"),
        (DATE, 46096.0, "2026-03-15"),  # an Excel serial that lost its date format
        (DATE, "31/02/2026", "VAL002"),
        (DATE, "next Tuesday", "VAL002"),
        (DATE, "1899-12-31", "VAL005"),
        (MODE, "Video call", "video"),
        (MODE, "visioconférence", "video"),  # French label, any case
        (MODE, "VISIOCONFERENCE", "video"),  # accents forgotten
        (MODE, "video", "video"),  # the code itself
        (MODE, "Videollamada", "video"),  # Spanish
        (MODE, "WhatsApp", "VAL001"),
        (YES_NO, "Oui", "yes"),
        (YES_NO, "Sim", "yes"),
        (GOAL, "  Learn DHIS2  ", "Learn DHIS2"),
        (GOAL, 2026.0, "2026"),
        (GOAL, "", ""),
        (GOAL, None, ""),
    ],
)
def test_convert(spec, typed, expected) -> None:
    result = convert(spec, typed, CHOICES, "en")
    assert (result.value if result.ok and not result.code else result.code) == expected
