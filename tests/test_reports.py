"""The master workbook's indicator sheets and the anonymous version, read back from the files.

On the demo's simulated cohort: the Dashboard, Tracking table and Disaggregation hold the
engine's figures as values (python-calamine, which never recalculates, reads them); each chart
refers to the cells that hold its data; the anonymous version holds no name, email or free
text from the roster or the workbooks, and no figure about fewer than 3 people.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from python_calamine import CalamineWorkbook

from builders.anonymous import ANONYMOUS_FILE
from toolkit.cli import cli
from toolkit.framework import load_framework
from toolkit.ledger import Ledger
from toolkit.privacy import MIN_PEOPLE
from toolkit.programme import ProgrammeFolder

AS_OF = "2025-07-15"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory, demo_year) -> Path:
    root = tmp_path_factory.mktemp("reports") / "demo"
    shutil.copytree(demo_year.root, root)  # the shared demo year stays as the demo left it
    runner = CliRunner()
    for args in (["report", str(root), "--as-of", AS_OF],
                 ["report", str(root), "--as-of", AS_OF, "--anonymous"]):  # fmt: skip
        result = runner.invoke(cli, args)
        assert result.exit_code == 0, result.output
    return root


def _sheet(path: Path, name: str) -> list[list[object]]:
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(name).to_python()


def _report(root: Path):
    from toolkit.indicators import compute_report, inputs_from_ledger
    from toolkit.programme import load_programme

    folder = ProgrammeFolder(root)
    programme = load_programme(folder.config)
    with Ledger(folder.ledger) as ledger:
        inputs = inputs_from_ledger(
            ledger, programme, load_framework(), dt.date.fromisoformat(AS_OF)
        )
        return compute_report(inputs)


def test_master_opens_on_the_dashboard_then_the_tracking_table(demo: Path) -> None:
    first = ["Dashboard", "Tracking table", "Disaggregation", "Follow-up"]
    assert CalamineWorkbook.from_path(str(demo / "master.xlsx")).sheet_names[:4] == first
    # The follow-up list is about single pairs: never in the anonymous version.
    anonymous = CalamineWorkbook.from_path(str(demo / ANONYMOUS_FILE)).sheet_names
    assert anonymous[:3] == first[:3] and "Follow-up" not in anonymous


def test_tracking_table_holds_the_computed_figures_as_values(demo: Path) -> None:
    report = _report(demo)
    rows = _sheet(demo / "master.xlsx", "Tracking table")
    header = rows[3]
    assert header[:6] == ["Code", "Indicator", "Type", "Unit", "Baseline", "Target"]
    col = {h: i for i, h in enumerate(header)}
    by_code = {r[0]: r for r in rows[4:] if r and r[0]}
    for tracked in report.tracking:
        row = by_code[tracked.code]
        assert row[col["Target"]] == tracked.target
        expected = "" if tracked.cumulative is None else tracked.cumulative
        assert row[col["Cycle to date"]] == expected, tracked.code
        assert row[col["Denominator"]] == tracked.denominator
        for q, value in tracked.by_quarter.items():
            assert row[col[q]] == ("" if value is None else value), (tracked.code, q)
        label = {"green": "On track", "amber": "Needs attention", "red": "Off track",
                 "no_data": "No data yet"}[tracked.status]  # fmt: skip
        assert row[col["Status"]] == label
    assert set(by_code) >= {f"COMP-{d.code}" for d in load_framework().domains}
    # A figure the demo's year really produced: sessions held against plan, by hand from the
    # ledger's session log below, and not 0 (what an unrecalculated formula shows).
    ses = by_code["SES"][col["Cycle to date"]]
    assert isinstance(ses, float) and 0 < ses <= 100


def test_disaggregated_rows_add_up_to_the_total_in_the_sheet(demo: Path) -> None:
    rows = _sheet(demo / "master.xlsx", "Disaggregation")[4:]
    totals: dict[str, tuple[float, float]] = {}
    sums: dict[tuple[str, str], list[float]] = {}
    for row in rows:
        if not row or not row[0] or row[4] == "":
            continue
        code, dim, num, den = row[0], row[2], row[4], row[5]
        if dim == "Total":
            totals[code] = (num, den)
        else:
            acc = sums.setdefault((code, dim), [0.0, 0.0])
            acc[0] += num
            acc[1] += den
    assert len(sums) >= 15 * 6 - 6  # every indicator with data, by six breakdowns
    for (code, dim), (num, den) in sums.items():
        assert (num, den) == pytest.approx(totals[code]), (code, dim)


def _chart_refs(path: Path) -> list[tuple[str, list[str]]]:
    """Each chart's title and the ranges its series read, from the chart XML itself."""
    out = []
    with zipfile.ZipFile(path) as z:
        for name in sorted(n for n in z.namelist() if re.match(r"xl/charts/chart\d+\.xml", n)):
            xml = z.read(name).decode()
            title = "".join(re.findall(r"<a:t>([^<]*)</a:t>", xml.split("</c:title>")[0]))
            out.append((title, re.findall(r"<c:f>([^<]+)</c:f>", xml)))
    return out


def _cached_points(path: Path, title: str) -> list[list[int]]:
    """The point indexes each series of a chart stores values for (what a viewer that does
    not recalculate draws)."""
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            xml = z.read(name).decode()
            if name.startswith("xl/charts/chart") and title in xml:
                caches = re.findall(r"<c:numCache>(.*?)</c:numCache>", xml)
                return [[int(i) for i in re.findall(r'<c:pt idx="(\d+)"', c)] for c in caches]
    raise AssertionError(title)


def _cells(ws, ref: str) -> list[object]:
    _, cells = ref.rsplit("!", 1)
    first, last = cells.replace("$", "").split(":")
    return [c.value for row in ws[first:last] for c in row]


def test_dashboard_charts_read_the_cells_that_hold_their_data(demo: Path) -> None:
    report = _report(demo)
    path = demo / "master.xlsx"
    ws = openpyxl.load_workbook(path)["Dashboard"]
    charts = {title: refs for title, refs in _chart_refs(path)}
    assert len(charts) == 4
    fw = load_framework()
    comp = charts["Competency change by domain (rating points, baseline to latest)"]
    assert all(r.startswith("Dashboard!") for refs in charts.values() for r in refs)
    assert _cells(ws, comp[0]) == [d.label["en"] for d in fw.domains]
    assert _cells(ws, comp[1]) == [report.row(f"COMP-{d.code}")["value"] for d in fw.domains]
    sessions = charts["Sessions held against plan, by month"]
    held, planned = _cells(ws, sessions[1]), _cells(ws, sessions[3])
    # Each range sits under the header that names it, in the table printed under the charts.
    for ref, header in ((sessions[0], "Month"), (sessions[1], "Held"), (sessions[3], "Planned"),
                        (comp[0], "Domain"), (comp[1], "Mean change")):  # fmt: skip
        first = ref.rsplit("!", 1)[1].replace("$", "").split(":")[0]
        column, row = re.match(r"([A-Z]+)(\d+)", first).groups()
        assert ws[f"{column}{int(row) - 1}"].value == header, (ref, header)
    assert len(held) == 12
    for m in range(1, 7):
        row = report.row("SES", f"M{m}")
        assert (held[m - 1], planned[m - 1]) == (row["numerator"], row["denominator"])
    assert held[6:] == [None] * 6  # months not yet over
    returns = charts["Workbooks returned on time, by country (%)"]
    countries = _cells(ws, returns[0])
    assert countries == ["CD", "CO", "KE", "MZ", "NG", "SN"]
    assert _cells(ws, returns[1]) == [
        report.row("RET", "cumulative", "country", c)["value"] for c in countries
    ]
    satisfaction = charts["Satisfaction by quarter (1-5)"]
    # Quarters without data are gaps in the chart's stored values, not zeros.
    assert _cached_points(path, "Satisfaction by quarter") == [[0, 1], [0, 1]]
    assert _cells(ws, satisfaction[1])[:2] == [report.row("SATE", q)["value"] for q in ("Q1", "Q2")]
    assert _cells(ws, satisfaction[3])[:2] == [report.row("SATR", q)["value"] for q in ("Q1", "Q2")]


def _strings(path: Path) -> str:
    """Every text in every part of the package, as one string (shared strings, inline
    strings, comments, chart caches, document properties)."""
    with zipfile.ZipFile(path) as z:
        return "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())


def test_anonymous_report_has_no_name_email_or_free_text(demo: Path) -> None:
    folder = ProgrammeFolder(demo)
    text = _strings(demo / ANONYMOUS_FILE)
    with Ledger(folder.ledger) as ledger:
        people = ledger.people()
        values = ledger.current_values()
    secrets = set()
    for person in people.values():
        secrets |= {person["name"], person["email"], *person["name"].split()}
    from toolkit.contract import load_contract

    contract = load_contract(load_framework())
    free = {(tool.code, f.code) for tool in contract.tools for f in tool.fields
            if f.type in ("text", "long_text")}  # fmt: skip
    for pair_values in values.values():
        secrets |= {v for (tool, _, field), v in pair_values.items() if (tool, field) in free}
    secrets = {s for s in secrets if len(s) >= 4}
    assert len(secrets) > 40
    leaked = sorted(s for s in secrets if s in text)
    assert leaked == []
    # The coordinator's own master does carry them (the scan would find a leak).
    master = _strings(demo / "master.xlsx")
    assert sum(p["name"] in master for p in people.values()) > 20


def test_anonymous_report_suppresses_figures_about_fewer_than_three_people(demo: Path) -> None:
    report = _report(demo)
    tidy = report.tidy
    small = tidy[(tidy.period == "cumulative") & (tidy.people > 0) & (tidy.people < MIN_PEOPLE)
                 & (tidy.code == "SES")]  # fmt: skip
    assert len(small) >= 5  # offices with one or two mentees
    rows = _sheet(demo / ANONYMOUS_FILE, "Disaggregation")[4:]
    shown = {(r[0], r[2], r[3]): r for r in rows if r and r[0]}
    for rec in small.itertuples():
        row = shown[(rec.code, rec.dimension.capitalize(), rec.group)]
        assert row[4:8] == ["", "", "", ""] and row[8] == "Fewer than 3 people", row
    for row in rows:
        if row and row[0] and row[7] != "":  # every figure shown is about 3 people or more
            assert row[7] >= MIN_PEOPLE, row
    names = CalamineWorkbook.from_path(str(demo / ANONYMOUS_FILE)).sheet_names
    assert not {"Pairs", "Submissions", "Data quality", "Conflicts"} & set(names)


def test_libreoffice_prints_the_master_with_its_dashboard(
    demo: Path, soffice: str, tmp_path
) -> None:
    profile = (tmp_path / "profile").resolve().as_uri()
    subprocess.run(
        [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(demo / "master.xlsx"), str(demo / ANONYMOUS_FILE)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    for name in ("master.pdf", "master-anonymous.pdf"):
        pdf = tmp_path / name
        assert pdf.is_file() and pdf.stat().st_size > 20_000, name
        text = subprocess.run(["pdftotext", "-l", "3", str(pdf), "-"], capture_output=True,
                              text=True, check=True).stdout  # fmt: skip
        assert "Programme dashboard" in text and "Sessions held against plan" in text
        assert "Indicator tracking table" in text


def test_coordinator_and_manager_sheets_never_go_into_a_pair_workbook(demo: Path) -> None:
    from toolkit.report_text import report_text
    from toolkit.text import LANGUAGES

    master_only = {"Pairs", "Submissions", "Data quality", "Conflicts",
                   "Passwords (coordinator only)"}  # fmt: skip
    for lang in LANGUAGES:
        master_only |= {report_text("indicators", f"{key}_sheet", lang)
                        for key in ("tracking", "disaggregation", "dashboard")}  # fmt: skip
        master_only.add(report_text("followup", "sheet", lang))
    workbooks = sorted((demo / "outbox").glob("*.xlsx"))
    assert len(workbooks) >= 14
    for path in workbooks:
        names = set(CalamineWorkbook.from_path(str(path)).sheet_names)
        assert not names & master_only, (path.name, names & master_only)
