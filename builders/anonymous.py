"""``master-anonymous.xlsx``: the master workbook for managers and donors.

The same Dashboard, Tracking table and Disaggregation as the coordinator's master, with no
names, no free text, and every figure about fewer than three people suppressed
(:mod:`toolkit.privacy`); then the framework's sheets (Indicator reference sheets and the rest),
which hold no personal data. The Follow-up list stays out: each of its rows is about one pair
(a low satisfaction, a support request), and pair codes travel in the workbooks' file names.
Nothing from the Pairs, Submissions, Data quality, Conflicts or passwords sheets goes in.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from builders.framework_sheets import write_framework_sheets
from builders.indicator_sheets import t
from builders.master import write_indicator_sheets
from builders.xlsx import Book, strict, write_with_backup
from toolkit.framework import Framework
from toolkit.indicators import IndicatorReport, compute_report, inputs_from_ledger
from toolkit.ledger import Ledger
from toolkit.programme import Programme, ProgrammeFolder

ANONYMOUS_FILE = "master-anonymous.xlsx"


@dataclass(frozen=True)
class AnonymousResult:
    """Where the anonymous report was written and what it holds."""

    path: Path
    size_bytes: int
    report: IndicatorReport


def write_anonymous(
    folder: ProgrammeFolder,
    ledger: Ledger,
    programme: Programme,
    framework: Framework,
    *,
    as_of: dt.date | None = None,
    now: dt.datetime | None = None,
) -> AnonymousResult:
    """Write ``master-anonymous.xlsx`` from the ledger, keeping the previous one as a backup."""
    moment = now or dt.datetime.now(dt.timezone.utc)
    as_of = as_of or moment.date()
    report = compute_report(inputs_from_ledger(ledger, programme, framework, as_of))
    lang = programme.default_language
    name = programme.programme.name
    title = f"{name} — {t('anonymous_title', lang)}"
    subtitle = t("suppression_note", lang)

    def render() -> bytes:
        book = Book(moment, title=title)
        write_indicator_sheets(book, report, None, framework, lang, title, subtitle, name,
                               anonymous=True)  # fmt: skip
        write_framework_sheets(book, framework, lang)
        return book.close()

    data = strict(render, "the anonymous master workbook")
    path = folder.root / ANONYMOUS_FILE
    write_with_backup(path, data)
    return AnonymousResult(path, len(data), report)
