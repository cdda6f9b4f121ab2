"""Broken, foreign and hostile returns: each is quarantined with the expected reason code,
its original kept byte for byte, and nothing reaches the ledger. Files are made by the tests."""

from __future__ import annotations

import datetime as dt
import io
import os
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
import xlsxwriter

from builders.pair import PairContext, render_pair_workbook
from builders.programme import build_programme, create_programme
from sync.run import sync_programme
from tests.conftest import NOW, PAIRS, PEOPLE, START
from toolkit.contract import META_SHEET, load_contract
from toolkit.demo.fill import PairWorkbookFiller
from toolkit.identity import PairIdentity
from toolkit.ledger import Ledger

RETURNED = dt.datetime(2026, 4, 10, 17, 0, tzinfo=dt.timezone.utc)


def _issued(built) -> bytes:
    return next(w.path for w in built.workbooks if w.pair_id == "P001").read_bytes()


def random_bytes(built, tmp: Path) -> bytes:
    return bytes(range(256)) * 40


def empty(built, tmp: Path) -> bytes:
    return b""


def truncated(built, tmp: Path) -> bytes:
    data = _issued(built)
    return data[: len(data) // 2]


def docx_renamed(built, tmp: Path) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<document/>")
    return buf.getvalue()


def far_corner_cell(built, tmp: Path) -> bytes:
    # One stray keystroke after Ctrl+End: python-calamine would abort the whole process.
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = wb.add_worksheet("Session log")
    ws.write(0, 0, "Month")
    ws.write(1048575, 16383, "x")
    wb.close()
    return buf.getvalue()


def decompression_bomb(built, tmp: Path) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "<workbook/>")
        zf.writestr("xl/sharedStrings.xml", "<sst>" + "A" * 30_000_000 + "</sst>")
    return buf.getvalue()


def billion_laughs(built, tmp: Path) -> bytes:
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
        for i in range(1, 10)
    )
    bomb = f'<?xml version="1.0"?><!DOCTYPE sst [{entities}]><sst><si><t>&lol9;</t></si></sst>'
    src = zipfile.ZipFile(io.BytesIO(_issued(built)))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for info in src.infolist():
            data = src.read(info)
            zf.writestr(info, bomb if info.filename == "xl/sharedStrings.xml" else data)
    return buf.getvalue()


def password_protected(built, tmp: Path) -> bytes:
    msoffcrypto = pytest.importorskip("msoffcrypto", reason="msoffcrypto-tool is a test extra")
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    OOXMLFile(io.BytesIO(_issued(built))).encrypt("secret", out)
    assert msoffcrypto
    return out.getvalue()


def without_identity_sheet(built, change_start: Callable[[object], None] | None = None) -> bytes:
    """The issued workbook without its hidden identity sheet (lost by a copy-paste into a new
    file), its Start here sheet changed by ``change_start``."""
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(_issued(built)))
    del wb[META_SHEET]
    if change_start:
        change_start(wb["Start here"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _set_info(label: str, value: str) -> Callable[[object], None]:
    def change(ws) -> None:
        for row in ws.iter_rows():
            if row[0].value == label:
                row[1].value = value

    return change


def no_identity_sheet(built, tmp: Path) -> bytes:
    # No signed identity, and the pair code on Start here was deleted: nothing identifies it.
    return without_identity_sheet(built, _set_info("Pair code", None))


def no_identity_sheet_other_mentee(built, tmp: Path) -> bytes:
    # The Start here sheet names a mentee the ledger does not have for this pair.
    return without_identity_sheet(built, _set_info("Mentee", "Someone Else"))


def tampered_identity(built, tmp: Path) -> bytes:
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(_issued(built)))
    ws = wb[META_SHEET]
    for row in ws.iter_rows():
        if row[0].value == "pair_id":
            row[1].value = "P002"  # someone unhid the sheet and "fixed" it
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def other_programme(built, tmp: Path) -> bytes:
    other = tmp / "other"
    create_programme(
        other, programme_id="other", cohort="2026-A", people=PEOPLE, pairs=PAIRS,
        start_date=START, now=NOW,
    )  # fmt: skip
    result = build_programme(other, now=NOW)
    return result.workbooks[0].path.read_bytes()


def _signed(pair_id: str, revision: int) -> bytes:
    from toolkit.contract import load_contract
    from toolkit.framework import load_framework

    framework = load_framework()
    contract = load_contract(framework)
    identity = PairIdentity(
        "test", "2026-A", pair_id, "M1", "E1", revision, NOW.isoformat(), contract.version,
        contract.fingerprint, "0.1.0", "en",
    )  # fmt: skip
    ctx = PairContext(identity, "Test", "A", "B", "c@example.org", "junior", 12)
    return render_pair_workbook(ctx, contract, framework, "test-secret")


def unknown_pair(built, tmp: Path) -> bytes:
    return _signed("P099", 1)


def unknown_revision(built, tmp: Path) -> bytes:
    return _signed("P001", 5)


def _rezip(data: bytes, change: Callable[[str, bytes], tuple[str, bytes] | None]) -> bytes:
    """A copy of a zip with each member passed through ``change`` (None drops it)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for info in src.infolist():
            changed = change(info.filename, src.read(info))
            if changed:
                zf.writestr(changed[0], changed[1])
    return buf.getvalue()


def _with_far_cell(xml: bytes, cell: bytes) -> bytes:
    return xml.replace(b"</sheetData>", b"<row r='1048576'>" + cell + b"</row></sheetData>")


def _sheet2_with(built, cell: bytes) -> bytes:
    return _rezip(
        _issued(built),
        lambda n, d: (n, _with_far_cell(d, cell)) if n == "xl/worksheets/sheet2.xml" else (n, d),
    )


def far_cell_in_single_quotes(built, tmp: Path) -> bytes:
    return _sheet2_with(built, b"<c r='XFD1048576' t='n'><v>1</v></c>")


def far_cell_with_spaces(built, tmp: Path) -> bytes:
    return _sheet2_with(built, b'<c r = "XFD1048576"><v>1</v></c>')


def sheet_stored_elsewhere(built, tmp: Path) -> bytes:
    def change(name: str, data: bytes) -> tuple[str, bytes]:
        if name == "xl/worksheets/sheet2.xml":
            return "xl/elsewhere/s.xml", _with_far_cell(data, b'<c r="XFD1048576"><v>1</v></c>')
        if name == "xl/_rels/workbook.xml.rels":
            return name, data.replace(b"worksheets/sheet2.xml", b"elsewhere/s.xml")
        return name, data

    return _rezip(_issued(built), change)


def unclosed_cell_tags(built, tmp: Path) -> bytes:
    # Once took a regular expression minutes to scan; a streaming parser refuses it at once.
    return _rezip(
        _issued(built),
        lambda n, d: (n, d.replace(b"</sheetData>", b"<c" * 100_000 + b"</sheetData>"))
        if n == "xl/worksheets/sheet2.xml" else (n, d),
    )  # fmt: skip


def corrupt_compressed_stream(built, tmp: Path) -> bytes:
    data = bytearray(_issued(built))
    zf = zipfile.ZipFile(io.BytesIO(bytes(data)))
    info = zf.getinfo("xl/worksheets/sheet2.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    for i in range(start + 10, start + 40):
        data[i] ^= 0x5A
    return bytes(data)


def ods_cell_bomb(built, tmp: Path) -> bytes:
    # A 1 KB spreadsheet that unfolds into 24 million cells: only a child process with a
    # memory limit is hurt by reading it.
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        '<office:body><office:spreadsheet><table:table table:name="S">'
        '<table:table-row table:number-rows-repeated="6000"><table:table-cell '
        'table:number-columns-repeated="4096" office:value-type="string"><text:p>x</text:p>'
        "</table:table-cell></table:table-row></table:table></office:spreadsheet></office:body>"
        "</office:document-content>"
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("content.xml", content)
        zf.writestr(
            "META-INF/manifest.xml",
            '<?xml version="1.0"?><manifest:manifest xmlns:manifest='
            '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry '
            'manifest:full-path="/" manifest:media-type='
            '"application/vnd.oasis.opendocument.spreadsheet"/></manifest:manifest>',
        )
    return buf.getvalue()


def password_protected_ods(built, tmp: Path) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("content.xml", b"\x8f\x12 encrypted bytes")
        zf.writestr(
            "META-INF/manifest.xml",
            '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:'
            'manifest:1.0">'
            '<manifest:file-entry manifest:full-path="content.xml"><manifest:encryption-data/>'
            "</manifest:file-entry></manifest:manifest>",
        )
    return buf.getvalue()


CASES: list[tuple[Callable[..., bytes], str]] = [
    (random_bytes, "FIL001"),
    (empty, "FIL001"),
    (docx_renamed, "FIL001"),
    (truncated, "FIL002"),
    (billion_laughs, "FIL002"),
    (decompression_bomb, "FIL003"),
    (password_protected, "FIL004"),
    (password_protected_ods, "FIL004"),
    (far_corner_cell, "FIL006"),
    (far_cell_in_single_quotes, "FIL006"),
    (far_cell_with_spaces, "FIL006"),
    (sheet_stored_elsewhere, "FIL006"),
    (unclosed_cell_tags, "FIL002"),
    (corrupt_compressed_stream, "FIL002"),
    (ods_cell_bomb, "FIL003"),
    (no_identity_sheet, "IDN001"),
    (no_identity_sheet_other_mentee, "IDN007"),
    (tampered_identity, "IDN002"),
    (other_programme, "IDN003"),
    (unknown_pair, "IDN004"),
    (unknown_revision, "IDN005"),
]


@pytest.mark.parametrize(("make", "code"), CASES, ids=[c[0].__name__ for c in CASES])
def test_quarantined_with_reason(
    make: Callable[..., bytes], code: str, programme: Path, built, tmp_path: Path
) -> None:
    data = make(built, tmp_path)
    (programme / "inbox" / "attachment.xlsx").write_bytes(data)

    result = sync_programme(programme, now=RETURNED)

    [outcome] = result.files
    assert (outcome.status, outcome.reason.code if outcome.reason else None) == (
        "quarantined",
        code,
    )
    assert result.exit_code == 1
    kept = programme / outcome.stored_as
    assert kept.read_bytes() == data
    reason = kept.with_name(kept.name + ".reason.txt").read_text(encoding="utf-8")
    assert code in reason
    with Ledger(programme / "mentorkit.db") as ledger:
        assert ledger.value_count() == 0
        assert [(s.status, s.reason_code) for s in ledger.submissions()] == [("quarantined", code)]


def test_too_large_file_is_refused_before_reading(programme: Path, built) -> None:
    big = programme / "inbox" / "huge.xlsx"
    with big.open("wb") as fh:
        fh.write(b"PK\x03\x04")
        fh.truncate(21 * 1024 * 1024)
    result = sync_programme(programme, now=RETURNED)
    assert [(o.status, o.reason.code) for o in result.files] == [("quarantined", "FIL003")]
    assert not big.exists() and (programme / result.files[0].stored_as).stat().st_size > 20e6


def test_lock_and_system_files_are_skipped_and_subfolders_are_read(programme: Path, built) -> None:
    inbox = programme / "inbox"
    (inbox / "~$workbook.xlsx").write_bytes(b"lock")
    (inbox / ".~lock.workbook.xlsx#").write_bytes(b"lock")
    (inbox / "Thumbs.db").write_bytes(b"x")
    (inbox / "March").mkdir()
    (inbox / "March" / "P001.xlsx").write_bytes(_issued(built))

    result = sync_programme(programme, now=RETURNED)

    assert [(o.name, o.status) for o in result.files] == [("March/P001.xlsx", "accepted")]
    assert sorted(p.name for p in inbox.iterdir()) == [
        ".~lock.workbook.xlsx#", "March", "Thumbs.db", "~$workbook.xlsx"
    ]  # fmt: skip


def test_dry_run_predicts_the_real_run_and_writes_nothing(programme: Path, built) -> None:
    (programme / "inbox" / "P001.xlsx").write_bytes(_issued(built))
    (programme / "inbox" / "P001 again.xlsx").write_bytes(_issued(built))
    (programme / "inbox" / "junk.xlsx").write_bytes(b"junk")
    before = (programme / "mentorkit.db").read_bytes()

    dry = sync_programme(programme, dry_run=True, now=RETURNED)

    assert (programme / "mentorkit.db").read_bytes() == before
    assert len(list((programme / "inbox").iterdir())) == 3
    assert not os.listdir(programme / "quarantine")
    real = sync_programme(programme, now=RETURNED)
    summary = [sorted((o.name, o.status) for o in r.files) for r in (dry, real)]
    assert summary[0] == summary[1]
    assert [s for _, s in summary[0]].count("duplicate") == 1


def test_hostile_files_among_many_get_the_same_reasons_with_worker_processes(
    programme: Path, built, tmp_path: Path
) -> None:
    """With enough files the sync examines them in worker processes; a file that kills a
    worker (or that only the full checks refuse) is examined again with every check."""
    import sync.pool

    hostile = {
        "bomb.ods": (ods_cell_bomb(built, tmp_path), "FIL003"),
        "far.xlsx": (far_cell_with_spaces(built, tmp_path), "FIL006"),
        "far2.xlsx": (far_corner_cell(built, tmp_path), "FIL006"),
    }
    for name, (data, _) in hostile.items():
        (programme / "inbox" / name).write_bytes(data)
    for i in range(sync.pool.MIN_FILES):
        w = built.workbooks[i % 3]
        f = PairWorkbookFiller(w.path, load_contract(), w.language)
        f.set("start", "returned_by", "mentor")
        f.type_raw("agreement", "goal_1", f"Goal {i}")
        f.save(programme / "inbox" / f"good {i}.xlsx")

    result = sync_programme(programme, now=RETURNED)

    reasons = {o.name: o.reason.code for o in result.files if o.status == "quarantined"}
    assert reasons == {name: code for name, (_, code) in hostile.items()}
    assert result.count("accepted") == sync.pool.MIN_FILES


def test_openpyxl_reads_through_defusedxml(built, tmp_path: Path) -> None:
    """The only openpyxl reads (the demo's filler, the tests) refuse entity declarations."""
    import openpyxl
    from defusedxml import EntitiesForbidden
    from openpyxl.xml import DEFUSEDXML

    assert DEFUSEDXML
    with pytest.raises(ValueError, match="invalid XML") as raised:
        openpyxl.load_workbook(io.BytesIO(billion_laughs(built, tmp_path)))
    assert isinstance(raised.value.__cause__ or raised.value.__context__, EntitiesForbidden)
