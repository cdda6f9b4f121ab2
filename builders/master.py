"""The coordinator's master workbook, regenerated from the ledger every time.

Sheets: ``Dashboard`` (headline figures and charts), ``Tracking table`` (every indicator by
quarter against its target), ``Disaggregation`` (each indicator by country, office, sex, level,
sector and role), ``Pairs`` (status, last return, sessions logged), ``Submissions`` (every file
received and what became of it), ``Data quality`` (every finding, located), the framework's
sheets and the coordinator-only sheets. Indicator sheets are in the programme's language.
Every figure is written as a value.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from xlsxwriter.worksheet import Worksheet

from builders.coordinator import CoordinatorData, add_coordinator_sheets, coordinator_data
from builders.dashboard import write_dashboard
from builders.followup_sheet import add_followup_sheet
from builders.framework_sheets import write_framework_sheets
from builders.indicator_sheets import write_disaggregation, write_tracking_table
from builders.printable import write_header_row
from builders.xlsx import Book, finish_table, strict, write_value, write_with_backup
from toolkit.contract import load_contract
from toolkit.followup import FollowUpItem, follow_up_items
from toolkit.framework import Framework
from toolkit.indicators import IndicatorReport, compute_report, inputs_from_ledger
from toolkit.ledger import Ledger, SubmissionRecord, now_iso
from toolkit.programme import Programme, ProgrammeFolder


@dataclass(frozen=True)
class MasterResult:
    """Where the master workbook was written and what it holds."""

    path: Path
    size_bytes: int
    pairs: int
    submissions: int
    findings: int
    report: IndicatorReport


def write_master(
    folder: ProgrammeFolder,
    ledger: Ledger,
    programme: Programme,
    framework: Framework,
    *,
    as_of: dt.date | None = None,
    now: dt.datetime | None = None,
) -> MasterResult:
    """Regenerate ``master.xlsx`` from the ledger, replacing the old one atomically."""
    moment = now or dt.datetime.now(dt.timezone.utc)
    as_of = as_of or moment.date()
    inputs = inputs_from_ledger(ledger, programme, framework, as_of)
    pairs, values, submissions = inputs.pairs, inputs.values, inputs.submissions
    findings = ledger.findings()
    people = inputs.people
    report = compute_report(inputs)
    follow_ups = follow_up_items(ledger, programme, framework, as_of,
                                 lang=programme.default_language)  # fmt: skip
    latest = {pid: rev for pid, rev, _, _ in ledger.revisions()}
    pair_rows = []
    for p in pairs:
        mine = [s for s in submissions if s.pair_id == p.pair_id and s.status == "accepted"]
        pv = values.get(p.pair_id, {})
        sessions = sum(
            1 for (tool, _, field), v in pv.items()
            if tool == "sessions" and field == "session_date" and v
        )  # fmt: skip
        signed = all(
            pv.get(("agreement", "", f))
            for f in (
                "mentor_signature",
                "mentor_signed_on",
                "mentee_signature",
                "mentee_signed_on",
            )
        )
        mentor, mentee = people.get(p.mentor_id, {}), people.get(p.mentee_id, {})
        pair_rows.append(
            [
                p.pair_id, p.status, mentor.get("name", p.mentor_id), p.mentor_id,
                mentee.get("name", p.mentee_id), p.mentee_id, mentee.get("country", ""),
                p.language, latest.get(p.pair_id, 0), len(mine),
                mine[-1].received_at if mine else "", sessions, "yes" if signed else "no",
            ]
        )  # fmt: skip
    title = f"{programme.programme.name} — master workbook"
    subtitle = (
        f"Programme {programme.programme.id}, cohort {programme.programme.cohort}. "
        f"Figures as of {as_of.isoformat()}; regenerated {now_iso(moment)} from the ledger."
    )
    extra = coordinator_data(ledger, load_contract(framework))
    data = strict(
        lambda: _render(
            title,
            subtitle,
            moment,
            pair_rows,
            submissions,
            findings,
            report,
            follow_ups,
            framework,
            programme.default_language,
            extra,
            programme.programme.name,
        ),
        "the master workbook",
    )
    write_with_backup(folder.master, data)
    return MasterResult(
        folder.master, len(data), len(pairs), len(submissions), len(findings), report
    )


def _render(
    title: str,
    subtitle: str,
    moment: dt.datetime,
    pair_rows: list[list[object]],
    submissions: Sequence[SubmissionRecord],
    findings: list[dict[str, object]],
    report: IndicatorReport,
    follow_ups: list[FollowUpItem],
    framework: Framework,
    lang: str,
    extra: CoordinatorData,
    programme_name: str,
) -> bytes:
    book = Book(moment, title=title)
    write_indicator_sheets(
        book, report, follow_ups, framework, lang, title, subtitle, programme_name
    )
    _table(
        book, "Pairs", title, subtitle,
        ["Pair", "Status", "Mentor", "Mentor id", "Mentee", "Mentee id", "Country", "Language",
         "Revision issued", "Returns accepted", "Last return", "Sessions logged",
         "Agreement signed"],
        pair_rows,
        [8, 10, 22, 11, 22, 11, 9, 10, 10, 10, 22, 10, 10],
    )  # fmt: skip
    _table(
        book, "Submissions", title, subtitle,
        ["#", "Received", "Saved by sender", "File", "SHA-256", "Bytes", "Pair", "Revision",
         "Sent by", "Result", "Reason code", "Reason", "Values new", "Values changed", "Kept as"],
        [
            [s.submission_id, s.received_at, s.saved_at, s.file_name, s.sha256[:16], s.size_bytes,
             s.pair_id or "", s.revision or "", s.returned_by, s.status, s.reason_code,
             s.reason, s.values_new, s.values_changed, s.stored_as]
            for s in submissions
        ],
        [5, 22, 22, 30, 18, 9, 7, 9, 9, 12, 11, 50, 10, 10, 40],
        status_col=9,
    )  # fmt: skip
    _table(
        book, "Data quality", title, subtitle,
        ["Received", "File", "Pair", "Code", "Severity", "Sheet", "Cell", "Column", "Value",
         "Problem", "What to do"],
        [
            [f["received_at"], f["file_name"], f["pair_id"] or "", f["code"], f["severity"],
             f["sheet"], f["cell"], f["column_header"], f["value"], f["message"], f["todo"]]
            for f in findings
        ],
        [22, 30, 7, 8, 9, 16, 7, 22, 20, 50, 50],
    )  # fmt: skip
    write_framework_sheets(book, framework, lang)
    add_coordinator_sheets(book, _table, title, subtitle, extra)
    return book.close()


def write_indicator_sheets(
    book: Book,
    report: IndicatorReport,
    follow_ups: list[FollowUpItem] | None,
    framework: Framework,
    lang: str,
    title: str,
    subtitle: str,
    programme_name: str,
    *,
    anonymous: bool = False,
) -> None:
    """The sheets managers read first: Dashboard, Tracking table, Disaggregation and, given
    ``follow_ups``, Follow-up (pair codes and facts only, never names or typed text)."""
    count = None if follow_ups is None else len(follow_ups)
    write_dashboard(book, report, framework, lang, title, programme_name, follow_ups=count,
                    anonymous=anonymous)  # fmt: skip
    write_tracking_table(book, report, framework, lang, title, subtitle, anonymous=anonymous)
    write_disaggregation(book, report, framework, lang, title, subtitle, anonymous=anonymous)
    if follow_ups is not None:
        add_followup_sheet(book, follow_ups, lang, title, subtitle)


def _table(
    book: Book,
    name: str,
    title: str,
    subtitle: str,
    headers: list[str],
    rows: list[list[object]],
    widths: list[int],
    status_col: int | None = None,
) -> Worksheet:
    ws = book.wb.add_worksheet(name)
    ws.write_string(0, 0, f"{title}: {name}", book.fmt["title"])
    ws.write_string(1, 0, subtitle)
    header = 3
    write_header_row(ws, header, headers, widths, book.fmt["header"])
    for r, row in enumerate(rows, start=header + 1):
        fmt = None
        if status_col is not None:
            fmt = book.fmt.get(f"status_{row[status_col]}")
        for c, value in enumerate(row):
            write_value(ws, r, c, value, fmt)
    finish_table(ws, header, len(rows), len(headers), "(none yet)")
    return ws
