"""Real clients: LibreOffice (headless) opens what we write, and what it re-saves syncs.

These tests need ``soffice``; CI installs LibreOffice, and there a missing ``soffice`` fails the
suite instead of skipping (see ``conftest.soffice_path``).
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from pathlib import Path

from sync.run import sync_programme
from tests.test_roundtrip import EXPECTED, _typical

RETURNED = dt.datetime(2026, 4, 10, 17, 0, tzinfo=dt.timezone.utc)


def convert(soffice: str, files: list[Path], fmt: str, outdir: Path, profile: Path) -> list[Path]:
    """Convert with LibreOffice; check every output exists (it can skip files silently)."""
    outdir.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
         "--convert-to", fmt, "--outdir", str(outdir), *map(str, files)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    outputs = [outdir / f"{f.stem}.{fmt.split(':')[0]}" for f in files]
    missing = [p.name for p in outputs if not p.is_file()]
    assert not missing, f"LibreOffice did not write {missing}"
    return outputs


def test_libreoffice_converts_pair_and_master_workbooks(soffice, programme, built, tmp_path):
    sources = [built.workbooks[0].path, built.workbooks[1].path, programme / "master.xlsx"]
    pdfs = convert(soffice, sources, "pdf", tmp_path / "pdf", tmp_path / "profile")
    for pdf in pdfs:
        data = pdf.read_bytes()
        pages = re.findall(rb"/Type\s*/Page\b(?!s)", data)
        assert data.startswith(b"%PDF") and len(pages) >= 1, pdf.name


def test_filled_then_resaved_by_libreoffice_syncs_the_same(
    soffice, programme, fill, ledger_values, tmp_path
) -> None:
    filled = {}
    for pair_id in ("P001", "P003"):
        f = fill(pair_id)
        _typical(f)
        filled[pair_id] = tmp_path / "filled" / f"{pair_id}.xlsx"
        f.save(filled[pair_id])
    profile = tmp_path / "profile"
    [as_xlsx] = convert(soffice, [filled["P001"]], "xlsx", tmp_path / "lo-xlsx", profile)
    [as_ods] = convert(soffice, [filled["P003"]], "ods", tmp_path / "lo-ods", profile)
    (programme / "inbox" / "P001 from LibreOffice.xlsx").write_bytes(as_xlsx.read_bytes())
    (programme / "inbox" / "P003 from LibreOffice.ods").write_bytes(as_ods.read_bytes())

    result = sync_programme(programme, now=RETURNED)

    # The .ods gives its saved-at time without a zone: read in Kenya's time, and noted.
    assert sorted((o.pair_id, o.status, [x.code for x in o.findings]) for o in result.files) == [
        ("P001", "accepted", []), ("P003", "accepted", ["FIL016"])
    ]  # fmt: skip
    assert ledger_values("P001") == EXPECTED
    assert ledger_values("P003") == EXPECTED


def test_an_ods_renamed_xlsx_by_a_mail_client_is_read(soffice, programme, fill, ledger_values,
                                                       tmp_path) -> None:  # fmt: skip
    f = fill("P001")
    _typical(f)
    f.save(tmp_path / "P001.xlsx")
    [as_ods] = convert(soffice, [tmp_path / "P001.xlsx"], "ods", tmp_path / "ods", tmp_path / "p")
    (programme / "inbox" / "P001 (renamed).xlsx").write_bytes(as_ods.read_bytes())
    [outcome] = sync_programme(programme, now=RETURNED).files
    assert outcome.status == "accepted"
    assert ledger_values("P001") == EXPECTED
