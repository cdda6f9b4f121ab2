"""Coordinator-only sheets of the master workbook: ``Conflicts`` and, when workbooks are
encrypted, ``Passwords (coordinator only)``.

``Conflicts`` lists every field that both copies of a pair changed to different values: both
values, the files they came in, when each was saved, and which one is current (the one saved
last). The passwords sheet lists the password of each pair's workbooks, to be sent to the pair
by another channel than the workbook; it exists only in the master, never in a pair workbook.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from toolkit.contract import Contract
from toolkit.encryption import PROGRAMME_SCOPE
from toolkit.ledger import Ledger

CONFLICTS_SHEET = "Conflicts"
PASSWORDS_SHEET = "Passwords (coordinator only)"

Table = Callable[..., Any]
"""``builders.master._table``: (book, name, title, subtitle, headers, rows, widths)."""


@dataclass(frozen=True)
class CoordinatorData:
    """What the coordinator-only sheets show, read from the ledger."""

    conflicts: list[list[object]]
    passwords: list[list[object]]


def coordinator_data(ledger: Ledger, contract: Contract) -> CoordinatorData:
    """Read the conflicts and the workbook passwords from the ledger, as sheet rows."""
    conflicts = []
    for c in ledger.conflicts():
        tool = contract.tool(str(c["tool"]))
        column = tool.field(str(c["field"])).label["en"]
        conflicts.append(
            [
                c["pair_id"], tool.title["en"], c["row_key"], column,
                c["value"], c["file_name"], c["saved_at"], c["returned_by"],
                c["other_value"], c["other_file_name"], c["other_saved_at"],
                c["other_returned_by"], c["current_value"],
            ]
        )  # fmt: skip
    people = ledger.people()
    passwords: list[list[object]] = []
    kept = ledger.workbook_passwords()
    for pair in ledger.pairs():
        password = kept.get(pair.pair_id) or kept.get(PROGRAMME_SCOPE)
        if password:
            mentor, mentee = people.get(pair.mentor_id, {}), people.get(pair.mentee_id, {})
            passwords.append(
                [pair.pair_id, mentor.get("name", ""), mentor.get("email", ""),
                 mentee.get("name", ""), mentee.get("email", ""), password]
            )  # fmt: skip
    return CoordinatorData(conflicts, passwords)


def add_coordinator_sheets(
    book: Any, table: Table, title: str, subtitle: str, data: CoordinatorData
) -> None:
    """Add ``Conflicts`` (always) and the passwords sheet (when there are passwords)."""
    table(
        book, CONFLICTS_SHEET, title, subtitle,
        ["Pair", "Sheet", "Row", "Column", "Value in this file", "File", "Saved", "Sent by",
         "Value in the other copy", "Other file", "Other saved", "Other sent by", "Current value"],
        data.conflicts,
        [7, 16, 8, 22, 22, 30, 22, 9, 22, 30, 22, 9, 22],
    )  # fmt: skip
    if data.passwords:
        ws = table(
            book, PASSWORDS_SHEET, title,
            "Send each password to its pair by another channel than the workbook (phone, SMS).",
            ["Pair", "Mentor", "Mentor email", "Mentee", "Mentee email", "Password"],
            data.passwords,
            [7, 22, 26, 22, 26, 22],
        )  # fmt: skip
        ws.set_tab_color("#C00000")
