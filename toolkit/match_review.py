"""Reading the coordinator's review back from ``matches.xlsx``: lock, forbid and comment.

The coordinator opens matches.xlsx, types ``yes`` under ``lock`` (keep this pair) or
``forbid`` (never this pair) and notes under ``comment``, on the sheets Proposed pairs,
Alternatives and Decisions, and saves it, perhaps from LibreOffice. :func:`read_review` reads
those columns wherever their headers are (python-calamine, behind the same safety checks as a
returned workbook), merges the rows of each pair into one :class:`~toolkit.matching.Decision`,
and reports every cell it cannot understand with its sheet and cell; it also reads, from the
hidden About sheet, whether the file was made with ``--rematch``. An unreadable file is an
error: it is then never overwritten, so the decisions in it are not lost.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from xlsxwriter.utility import xl_rowcol_to_cell

from toolkit.errors import ConfigError
from toolkit.filesafety import inspect_workbook, read_isolated
from toolkit.matching import MATCHES_FILE, Decision, PairKey
from toolkit.messages import Finding, finding
from toolkit.roster import Person, cell_text
from toolkit.text import normalise

PROPOSED_SHEET = "Proposed pairs"
ALTERNATIVES_SHEET = "Alternatives"
UNMATCHED_SHEET = "Unmatched"
FAIRNESS_SHEET = "Fairness"
DECISIONS_SHEET = "Decisions"
ABOUT_SHEET = "About"
"""A hidden sheet recording how matches.xlsx was made (``rematch: yes`` or ``no``)."""
DECISION_SHEETS = (PROPOSED_SHEET, ALTERNATIVES_SHEET, DECISIONS_SHEET)
"""The sheets that carry the coordinator columns."""
COORDINATOR_COLUMNS = ("lock", "forbid", "comment")
YES_WORDS = ("yes", "oui", "sí", "sim", "y", "x", "1", "true")
"""What a lock or forbid cell may say for yes (in any case), as shown to the user."""
NO_WORDS = ("no", "non", "não", "n", "0", "false")
"""What it may say for no; an empty cell is no too."""
YES = {normalise(w) for w in YES_WORDS}
NO = {"", *(normalise(w) for w in NO_WORDS)}


@dataclass
class Review:
    """What the coordinator decided in matches.xlsx."""

    decisions: dict[PairKey, Decision] = field(default_factory=dict)
    proposed: dict[PairKey, int] = field(default_factory=dict)
    """The pairs listed on Proposed pairs and not forbidden, with their Excel row: what
    ``--confirm`` may record."""
    findings: list[Finding] = field(default_factory=list)
    exists: bool = False
    rematch: bool | None = None
    """Whether the file was made by ``match --rematch`` (None: not recorded, an older file)."""

    def comments(self) -> dict[PairKey, str]:
        """Every pair's comment."""
        return {k: d.comment for k, d in self.decisions.items() if d.comment}


def read_review(path: Path, people: dict[str, Person]) -> Review:
    """The decisions in matches.xlsx (an empty review when there is no such file)."""
    review = Review()
    if not path.is_file():
        return review
    review.exists = True
    inspection = inspect_workbook(path)
    if not inspection.safe:
        detail = "; ".join(f.message for f in inspection.findings)
        _unreadable(detail)
    try:
        sheets = {normalise(title): rows for title, _, rows in read_isolated(path)}
    except Exception as exc:  # calamine raises several unrelated types for unreadable files
        _unreadable(f"{type(exc).__name__}: {exc}")
    for title in DECISION_SHEETS:
        for row in _rows(sheets.get(normalise(title), []), title, people, review.findings):
            _merge(review, row)
            if title == PROPOSED_SHEET and row.row is not None:
                review.proposed.setdefault(row.key, row.row)
    review.proposed = {k: r for k, r in review.proposed.items() if not _forbidden(review, k)}
    review.rematch = _made_with_rematch(sheets.get(normalise(ABOUT_SHEET), []))
    return review


def _made_with_rematch(grid: list[list[Any]]) -> bool | None:
    for raw in grid:
        if len(raw) > 1 and normalise(cell_text(raw[0])) == "rematch":
            text = normalise(cell_text(raw[1]))
            return True if text in YES else False if text in NO else None
    return None


def _unreadable(detail: str) -> None:
    f = finding("MAT016", file=MATCHES_FILE, detail=detail)
    raise ConfigError(f.render(), [f])


def _forbidden(review: Review, key: PairKey) -> bool:
    decision = review.decisions.get(key)
    return decision is not None and decision.forbid


def _merge(review: Review, row: Decision) -> None:
    """Fold one row into the pair's decision: any lock, any forbid, every distinct comment;
    the location of the first lock is kept for findings."""
    old = review.decisions.get(row.key)
    if old is None:
        review.decisions[row.key] = row
        return
    comments = [c for c in (old.comment, row.comment) if c]
    where = old if old.lock or not row.lock else row
    review.decisions[row.key] = Decision(
        row.mentor_id, row.mentee_id, lock=old.lock or row.lock, forbid=old.forbid or row.forbid,
        comment=" | ".join(dict.fromkeys(comments)), sheet=where.sheet, row=where.row,
        cell=where.cell,
    )  # fmt: skip


def _rows(
    grid: list[list[Any]], sheet: str, people: dict[str, Person], findings: list[Finding]
) -> list[Decision]:
    """One Decision per data row of a sheet that names a mentor and a mentee."""
    header_at = next(
        (i for i, r in enumerate(grid[:12]) if {"mentor_id", "mentee_id"} <= _headers(r)), None
    )
    if header_at is None:
        return []
    header = [normalise(cell_text(h)).replace(" ", "_") for h in grid[header_at]]
    col = {name: header.index(name) for name in ("mentor_id", "mentee_id", *COORDINATOR_COLUMNS)
           if name in header}  # fmt: skip
    out = []
    for r, raw in enumerate(grid[header_at + 1 :], start=header_at + 2):
        value = {n: cell_text(raw[i]) if i < len(raw) else "" for n, i in col.items()}
        if not (value.get("mentor_id") and value.get("mentee_id")):
            continue
        flags = {}
        for name in ("lock", "forbid"):
            text = normalise(value.get(name, ""))
            cell = xl_rowcol_to_cell(r - 1, col[name]) if name in col else ""
            loc = {"file": MATCHES_FILE, "sheet": sheet, "row": r, "cell": cell, "column": name}
            if text not in YES | NO:
                findings.append(finding("MAT015", value=value[name], yes=", ".join(YES_WORDS),
                                        no=", ".join(NO_WORDS), **loc))  # fmt: skip
            flags[name] = (text in YES, cell)
        decided = flags["lock"][0] or flags["forbid"][0]
        if decided and not _names_roles(value, people, sheet, r, col, findings):
            continue
        out.append(
            Decision(
                value["mentor_id"], value["mentee_id"], lock=flags["lock"][0],
                forbid=flags["forbid"][0], comment=value.get("comment", ""), sheet=sheet, row=r,
                cell=flags["lock"][1],
            )
        )  # fmt: skip
    return out


def _names_roles(
    value: dict[str, str],
    people: dict[str, Person],
    sheet: str,
    row: int,
    col: dict[str, int],
    findings: list[Finding],
) -> bool:
    ok = True
    for column, role in (("mentor_id", "mentor"), ("mentee_id", "mentee")):
        person = people.get(value[column])
        if person is None or person.role != role:
            cell = xl_rowcol_to_cell(row - 1, col[column])
            findings.append(
                finding("MAT014", file=MATCHES_FILE, sheet=sheet, row=row, cell=cell,
                        column=column, value=value[column], expected=role)
            )  # fmt: skip
            ok = False
    return ok


def _headers(row: list[Any]) -> set[str]:
    return {normalise(cell_text(h)).replace(" ", "_") for h in row}
