"""The demo's last words: where each part of its result is, what each planted pair's year
holds, the ledger digest, and what to try next."""

from __future__ import annotations

import datetime as dt

from toolkit.demo.year import (
    CONFIRMED_COPY,
    DAMAGED,
    ENDED,
    FORWARDED,
    LAPSED,
    LATE,
    LIBREOFFICE,
    LOW_SATISFACTION,
    MID_YEAR,
    MISSES_Q4,
    PROTECTED,
    QUARTER_ENDS,
    SILENT,
    STALE,
    SUPPORT_REQUEST,
    TWO_COPIES,
    TYPO,
    UNSIGNED,
    DemoResult,
)


def where_to_look(result: DemoResult) -> str:
    """The demo's last words: where each part of the result is, and what the year holds."""
    root, p = result.root, result.pair_of
    late_day = QUARTER_ENDS[LATE[1] - 1] + dt.timedelta(days=LATE[2])
    lines = [
        "",
        "Where to look:",
        f"  {root / 'outbox'}      every revision of every pair workbook as issued (open one)",
        f"  {root / 'outbox' / 'receipts'}  a receipt for every file, to email back",
        f"  {root / 'archive'}     every accepted return, byte for byte",
        f"  {root / 'quarantine'}  the damaged and the password-protected returns, each with "
        "its .reason.txt",
        f"  {root / CONFIRMED_COPY}  the matching as the coordinator confirmed it (a copy "
        "the demo keeps)",
        f"  {root / 'master.xlsx'}  Dashboard (charts), Tracking table, Disaggregation,",
        "      Follow-up, Pairs, Submissions, Data quality, Conflicts, and the framework",
        f"  {root / 'master-anonymous.xlsx'}  the same figures for managers and donors: no names,",
        "      no free text, figures about fewer than 3 people suppressed",
        f"  {root / 'review-2025.xlsx'}  the annual review for the steering group",
        "What the year holds, by pair:",
        f"  {p[UNSIGNED]} never signs its agreement; {p[LOW_SATISFACTION[0]]}'s mentee rates "
        f"{LOW_SATISFACTION[1]} 2 (dissatisfied); {p[SUPPORT_REQUEST[0]]}'s mentee asks for "
        f"support in {SUPPORT_REQUEST[1]};",
        f"  {p[LAPSED[0]]} logs no session after month {LAPSED[1]}; {p[LATE[0]]} returns its "
        f"Q{LATE[1]} workbook late ({late_day}); {p[MISSES_Q4]} misses the Q4 return; "
        f"{p[SILENT]} never returns anything;",
        f"  {p[ENDED[0]]} ends without fault on {ENDED[1]} and its mentee continues in "
        f"{result.rematched}; {p[TWO_COPIES]}'s mentor and mentee each send a copy "
        "(one conflict);",
        f"  {p[FORWARDED]} is forwarded twice, {p[DAMAGED]} arrives damaged, {p[PROTECTED]} "
        f"with a password, {p[STALE]} sends a stale copy, {p[TYPO]} mistypes two cells;",
    ]
    if result.libreoffice:
        xlsx, ods = (m for fmt in ("xlsx", "ods") for m, f in LIBREOFFICE.items() if f == fmt)
        lines.append(f"  {p[xlsx]} and {p[ods]} re-save with LibreOffice (.xlsx and .ods);")
    lines += [
        "  other pairs miss a round or return late as the seed draws.",
        f"Ledger digest: {result.digest}",
        "  (run the demo again with the same --seed into another folder: the same digest"
        + (f"; {len(result.varying)} file(s) differ in their bytes each time, like the .ods "
           "LibreOffice writes, so their hash is left out)" if result.varying else ")"),
        f"Try: mentorkit sync {root}   (nothing new: the ledger does not change; master.xlsx "
        "is written again, with the figures as of today)",
        f"     mentorkit report {root} --as-of {MID_YEAR}   (the figures and the follow-up list "
        "just after the mid-year returns)",
        f"     mentorkit report {root} --as-of {result.last_day}   (master.xlsx as the demo left "
        "it)",
    ]  # fmt: skip
    return "\n".join(lines)
