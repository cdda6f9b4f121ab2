"""``mentorkit export``: the programme's indicators as files other tools read.

Two formats, written into ``DIR/export/`` (or another folder):

- ``csv``: ``indicators.csv``, the indicator engine's tidy table: one row per indicator,
  period and disaggregation group, with the columns of :data:`TIDY_CSV_COLUMNS`. UTF-8 without
  a byte order mark, comma-separated, CRLF line ends and quotes where needed (RFC 4180),
  numbers with a dot, dates as YYYY-MM-DD, the value empty when the denominator is 0.
- ``dhis2``: ``dhis2-datavalues.csv``, a DHIS2 data value set through the mapping in
  ``programme.yaml`` (:mod:`toolkit.dhis2`).

:func:`export_programme` computes the indicators from the ledger as of a date and writes the
formats asked for; :func:`export_report` does the same from an already computed report. Both
return an :class:`ExportResult` and never print.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from toolkit.dhis2 import (
    DHIS2_COLUMNS,
    Dhis2Export,
    dhis2_values,
    period_bounds,
    period_rank,
)
from toolkit.errors import ConfigError, ToolkitError
from toolkit.framework import Framework, framework_for
from toolkit.indicators import IndicatorReport, compute_report, inputs_from_ledger
from toolkit.ledger import Ledger
from toolkit.messages import Finding, Severity, finding
from toolkit.programme import (
    PROGRAMME_FILE,
    Programme,
    ProgrammeFolder,
    config_key_lines,
    load_programme,
)
from toolkit.text import tr

FORMATS: tuple[str, ...] = ("csv", "dhis2")
TIDY_FILE = "indicators.csv"
DHIS2_FILE = "dhis2-datavalues.csv"
TIDY_CSV_COLUMNS = [
    "indicator", "indicator_name", "period", "period_start", "period_end", "dimension",
    "group", "value", "numerator", "denominator", "people", "unit",
]  # fmt: skip
_DIMENSION_ORDER = ("total", "country", "office", "sex", "level", "sector", "role")


class ExportError(ToolkitError):
    """An export file could not be written (the folder is read-only, the file is open)."""


@dataclass(frozen=True)
class ExportedFile:
    """One file written: its format, path and number of data rows (header not counted)."""

    format: str
    path: Path
    rows: int


@dataclass
class ExportResult:
    """What ``mentorkit export`` did."""

    as_of: dt.date
    files: list[ExportedFile] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    dhis2: Dhis2Export | None = None
    removed: list[Path] = field(default_factory=list)
    """Files of an earlier export removed because this one could not replace them (a DHIS2
    file left from before a mapping problem would otherwise be imported by mistake)."""

    @property
    def exit_code(self) -> int:
        """0 when everything asked for was written with nothing to check, else 1."""
        serious = (Severity.ERROR, Severity.WARNING)
        return 1 if any(f.severity in serious for f in self.findings) else 0


def export_programme(
    folder: Path,
    formats: Sequence[str] = ("csv",),
    *,
    as_of: dt.date | None = None,
    output: Path | None = None,
) -> ExportResult:
    """Compute the indicators of the programme in ``folder`` as of ``as_of`` (default today)
    and write ``formats`` into ``output`` (default ``folder/export``)."""
    pf = ProgrammeFolder(folder)
    pf.require()
    programme = load_programme(pf.config)
    framework = framework_for(folder, programme)
    as_of = as_of or dt.date.today()
    start = programme.cycle.start_date
    if as_of < start:
        f = finding("EXP010", file=PROGRAMME_FILE, value=as_of.isoformat(),
                    start=start.isoformat())  # fmt: skip
        raise ConfigError(f.render(), [f])
    with Ledger(pf.ledger) as ledger:
        inputs = inputs_from_ledger(ledger, programme, framework, as_of=as_of)
    report = compute_report(inputs)
    names = indicator_names(report, framework, programme.default_language)
    return export_report(
        report, programme, formats, output=output or folder / "export", names=names,
        key_lines=config_key_lines(pf.config),
    )  # fmt: skip


def export_report(
    report: IndicatorReport,
    programme: Programme,
    formats: Sequence[str],
    *,
    output: Path,
    names: dict[str, str],
    key_lines: dict[str, int] | None = None,
) -> ExportResult:
    """Write ``formats`` of an :class:`~toolkit.indicators.IndicatorReport` into ``output``."""
    result = ExportResult(as_of=report.as_of)
    if "csv" in formats:
        rows = tidy_rows(report, names)
        result.files.append(_write(output / TIDY_FILE, "csv", TIDY_CSV_COLUMNS, rows))
    if "dhis2" not in formats:
        return result
    path, mapping = output / DHIS2_FILE, programme.export.dhis2
    if mapping is None:
        countries = _example_groups(report)
        result.findings.append(finding("EXP001", file=PROGRAMME_FILE, countries=countries))
    else:
        result.dhis2 = dhis2_values(report, mapping, key_lines or {}, PROGRAMME_FILE,
                                    programme.monitoring.return_deadline_days)  # fmt: skip
        result.findings += result.dhis2.findings
        if not result.dhis2.blocked:
            result.files.append(_write(path, "dhis2", DHIS2_COLUMNS, result.dhis2.rows))
            small, total = result.dhis2.small_rows, len(result.dhis2.rows)
            if small:
                result.findings.append(finding("EXP011", file=str(path), count=small, total=total))
            return result
    if path.is_file():
        path.unlink()  # derived from the ledger: 'mentorkit export --as-of' writes it again
        result.removed.append(path)
    return result


def indicator_names(report: IndicatorReport, framework: Framework, lang: str) -> dict[str, str]:
    """Each indicator code's name in ``lang``; ``COMP-<domain>`` adds the domain's label."""
    names = {t.code: tr(t.name, lang) for t in report.tracking}
    comp = names.get("COMP")
    for domain in framework.domains:
        label = tr(domain.label, lang)
        names[f"COMP-{domain.code}"] = f"{comp}: {label}" if comp else label
    return names


def tidy_rows(report: IndicatorReport, names: dict[str, str]) -> list[list[str]]:
    """The tidy table as text cells in :data:`TIDY_CSV_COLUMNS` order, in a fixed order:
    indicators as the framework lists them, then period, dimension and group."""
    tidy: pd.DataFrame = report.tidy
    rank = {t.code: i for i, t in enumerate(report.tracking)}
    bounds = {p: period_bounds(report, p) for p in tidy["period"].unique()}
    records = sorted(
        tidy.itertuples(index=False),
        key=lambda r: (
            _code_rank(r.code, rank), r.code, period_rank(r.period),
            _DIMENSION_ORDER.index(r.dimension) if r.dimension in _DIMENSION_ORDER else 99,
            r.group == "not recorded", str(r.group),
        ),
    )  # fmt: skip
    out = []
    for r in records:
        start, end = bounds[r.period]
        empty = not r.denominator or r.value is None or pd.isna(r.value)
        out.append([
            r.code, names.get(r.code, ""), r.period, start.isoformat(), end.isoformat(),
            r.dimension, str(r.group), "" if empty else plain_number(r.value),
            plain_number(r.numerator), plain_number(r.denominator), plain_number(r.people),
            str(r.unit),
        ])  # fmt: skip
    return out


def plain_number(value: Any) -> str:
    """A number with a dot and no exponent: ``12``, ``66.7``, ``0.125``; '' for none."""
    if value is None or pd.isna(value):
        return ""
    number = float(value)
    if number.is_integer():
        return str(int(number))
    return f"{number:.6f}".rstrip("0").rstrip(".")


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[str]]) -> int:
    """Write an RFC 4180 CSV (UTF-8, CRLF) atomically; return the number of data rows.

    The file is written beside the target and then renamed, so a reader never sees half a file.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    count = 0
    with temporary.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow(row)
            count += 1
    os.replace(temporary, path)
    return count


# --- private ---------------------------------------------------------------------------------


def _write(
    path: Path, fmt: str, header: Sequence[str], rows: Sequence[Sequence[str]]
) -> ExportedFile:
    try:
        return ExportedFile(fmt, path, write_csv(path, header, rows))
    except OSError as exc:
        f = finding("EXP008", file=str(path), detail=exc.strerror or str(exc))
        raise ExportError(f.render(), [f]) from None


def _code_rank(code: str, rank: dict[str, int]) -> float:
    if code in rank:
        return rank[code]
    base = code.split("-", 1)[0]
    return rank[base] + 0.5 if base in rank else len(rank)


def _example_groups(report: IndicatorReport) -> str:
    """The countries with data, for the message that says what to add (e.g. 'KE, SN')."""
    tidy: pd.DataFrame = report.tidy
    groups = tidy.loc[(tidy["dimension"] == "country") & (tidy["denominator"] > 0), "group"]
    return ", ".join(sorted(set(map(str, groups)))) or "none yet"
