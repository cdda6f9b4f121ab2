"""A corpus of odd returns, each generated here: containers, encryption, lost identity sheets,
dates typed as text, renamed and extra sheets, and the clients people really use (LibreOffice
re-saves as .xlsx, .ods and .xls, made in one batched soffice call per format).

Every case is either merged (the test asserts the ledger's values for the pair) or quarantined
with the expected reason code (the original kept byte for byte). The broken and hostile files
of ``test_hostile_returns.py`` complete the corpus.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import subprocess
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path

import pytest

from builders.programme import build_programme, create_programme
from sync.run import sync_programme
from tests.conftest import NOW, PAIR_LANG, PAIRS, PEOPLE, START, soffice_path
from tests.test_roundtrip import EXPECTED, _typical
from toolkit.contract import META_SHEET, load_contract
from toolkit.demo.fill import PairWorkbookFiller
from toolkit.encryption import encrypt
from toolkit.ledger import Ledger

RETURNED = dt.datetime(2026, 4, 10, 17, 0, tzinfo=dt.timezone.utc)
SESSION_1 = {("sessions", "1", "minutes"): "90"}


@dataclass
class Case:
    """One return: the files dropped into inbox/ and what must come of them."""

    files: Callable[[Context], dict[str, bytes]]
    status: str = "accepted"
    code: str = ""
    """The reason code of a quarantine, or a finding code an accepted file must carry."""
    values: dict[str, dict] = field(default_factory=dict)
    """Pair id → the pair's complete current values afterwards."""


@dataclass
class Context:
    programme: Path
    fill: Callable[..., PairWorkbookFiller]
    tmp: Path

    def filled(self, pair_id: str = "P001", change: Callable | None = None, **kw) -> bytes:
        f = self.fill(pair_id, **kw)
        _typical(f)
        if change:
            change(f)
        path = self.tmp / f"{pair_id}-{id(f)}.xlsx"
        f.save(path)
        return path.read_bytes()


def _zip(entries: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return buf.getvalue()


def _eml(attachments: dict[str, bytes], subject: str = "Re: my workbook") -> bytes:
    msg = EmailMessage()
    msg["From"] = "awa@example.org"
    msg["To"] = "mentoring@example.org"
    msg["Subject"] = subject
    msg["Date"] = "Fri, 10 Apr 2026 09:00:00 +0000"
    msg.set_content("Please find my workbook attached.\n")
    for name, data in attachments.items():
        maintype, subtype = ("application", "octet-stream")
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return msg.as_bytes()


def _without_meta(f: PairWorkbookFiller) -> None:
    del f.wb[META_SHEET]


def _delete_month_12(f: PairWorkbookFiller) -> None:
    ws = f.wb["Session log"]
    ws.protection.sheet = False
    row = next(c.row for c in ws["A"] if str(c.value) == "12")
    ws.delete_rows(row)


def _rename_sheet(f: PairWorkbookFiller) -> None:
    f.wb["Session log"].title = "My sessions"


def _extra_sheet(f: PairWorkbookFiller) -> None:
    f.wb.create_sheet("Notes").cell(row=1, column=1, value="Session 2 was about the DQA")


def _date_text(text: str) -> Callable[[PairWorkbookFiller], None]:
    def change(f: PairWorkbookFiller) -> None:
        f.type_raw("sessions", "session_date", text, "2")

    return change


def _mdy_country(programme: Path) -> None:
    config = programme / "programme.yaml"
    config.write_text(
        config.read_text(encoding="utf-8") + "\ncountries:\n  KE: {date_order: mdy}\n",
        encoding="utf-8",
    )


def _encrypted_build(ctx: Context, name: str, wrong: bool = False) -> dict[str, bytes]:
    """Issue revision 2 encrypted, fill it (decrypted, as Excel would show it), save it
    encrypted with the same password, as Excel does (with ``wrong``, with another one)."""
    import msoffcrypto

    result = build_programme(ctx.programme, refresh=True, encrypt=True, now=NOW)
    issued = next(w.path for w in result.workbooks if w.pair_id == "P001")
    with Ledger(ctx.programme / "mentorkit.db") as ledger:
        password = ledger.workbook_password("P001")
    assert password and issued.read_bytes()[:4] == b"\xd0\xcf\x11\xe0"
    office = msoffcrypto.OfficeFile(io.BytesIO(issued.read_bytes()))
    office.load_key(password=password)
    plain = ctx.tmp / "plain.xlsx"
    with plain.open("wb") as fh:
        office.decrypt(fh)
    f = PairWorkbookFiller(plain, load_contract(), "en")
    f.set("start", "returned_by", "mentee")
    _typical(f)
    f.save(plain)
    return {name: encrypt(plain.read_bytes(), "not-the-one" if wrong else password)}


def _costly(data: bytes) -> bytes:
    """An encrypted workbook whose key derivation asks for 999,999 rounds instead of 100,000
    (msoffcrypto would spend about 2 s a password on it; 10,000,000 rounds, 19 s)."""
    assert data.count(b'spinCount="100000"') == 1
    return data.replace(b'spinCount="100000"', b'spinCount="999999"')


CASES: dict[str, Case] = {
    "odd file name": Case(
        lambda c: {"WhatsApp Document 2026-04-09 at 10.14.xlsx": c.filled()},
        values={"P001": EXPECTED},
    ),
    "zip holding two workbooks": Case(
        lambda c: {
            "returns.zip": _zip({"P001.xlsx": c.filled(), "sub/P003.xlsx": c.filled("P003")})
        },
        values={"P001": EXPECTED, "P003": EXPECTED},
    ),
    "zip stored without compression, with mac junk": Case(
        lambda c: {
            "a.zip": _zip(
                {"__MACOSX/._P001.xlsx": b"junk", "P001.xlsx": c.filled()}, zipfile.ZIP_STORED
            )
        },
        values={"P001": EXPECTED},
    ),
    "saved email with the workbook attached": Case(
        lambda c: {"Re my workbook.eml": _eml({"P002 classeur.xlsx": c.filled("P002")})},
        values={"P002": EXPECTED},
    ),
    "email with a zip attached holding the workbook": Case(
        lambda c: {"mail.eml": _eml({"w.zip": _zip({"P001.xlsx": c.filled()})})},
        values={"P001": EXPECTED},
    ),
    "email with a signature image and the workbook": Case(
        lambda c: {"mail.eml": _eml({"logo.png": b"\x89PNG....", "P001.xlsx": c.filled()})},
        values={"P001": EXPECTED},
    ),
    "email with a letter and the workbook under an odd name": Case(
        lambda c: {
            "mail.eml": _eml(
                {
                    "letter.docx": _zip(
                        {"[Content_Types].xml": b"<Types/>", "word/d.xml": b"<d/>"}
                    ),
                    "ATT00001.bin": c.filled(),
                }
            )
        },
        values={"P001": EXPECTED},
    ),
    "hidden identity sheet lost in a copy: held for the coordinator": Case(
        lambda c: {"copy.xlsx": c.filled(change=_without_meta)},
        status="quarantined",
        code="IDN006",
    ),
    "deleted row": Case(
        lambda c: {"row gone.xlsx": c.filled(change=_delete_month_12)},
        code="VAL018",
        values={"P001": EXPECTED},
    ),
    "renamed sheet": Case(
        lambda c: {"renamed.xlsx": c.filled(change=_rename_sheet)},
        code="VAL016",
        values={"P001": EXPECTED},
    ),
    "extra sheet with notes": Case(
        lambda c: {"extra.xlsx": c.filled(change=_extra_sheet)},
        code="VAL017",
        values={"P001": EXPECTED},
    ),
    "ambiguous date, day first in Kenya": Case(
        lambda c: {"d.xlsx": c.filled(change=_date_text("03/04/2026"))},
        code="VAL015",
        values={"P001": EXPECTED | {("sessions", "2", "session_date"): "2026-04-03"}},
    ),
    "unambiguous month-first date": Case(
        lambda c: {"d.xlsx": c.filled(change=_date_text("03/25/2026"))},
        values={"P001": EXPECTED | {("sessions", "2", "session_date"): "2026-03-25"}},
    ),
    "date typed far after the cycle (2062 for 2026): kept, with a warning": Case(
        lambda c: {"d.xlsx": c.filled(change=_date_text("2062-02-17"))},
        code="VAL019",
        values={"P001": EXPECTED | {("sessions", "2", "session_date"): "2062-02-17"}},
    ),
    "date typed before the cycle started: kept, with a warning": Case(
        lambda c: {"d.xlsx": c.filled(change=_date_text("2025-06-02"))},
        code="VAL019",
        values={"P001": EXPECTED | {("sessions", "2", "session_date"): "2025-06-02"}},
    ),
    "date typed year first with slashes": Case(
        lambda c: {"d.xlsx": c.filled(change=_date_text("2026/02/17"))},
        values={"P001": EXPECTED | {("sessions", "2", "session_date"): "2026-02-17"}},
    ),
    "number typed as text": Case(
        lambda c: {
            "n.xlsx": c.filled(change=lambda f: f.type_raw("sessions", "minutes", " 75 ", "2"))
        },
        values={"P001": EXPECTED | {("sessions", "2", "minutes"): "75"}},
    ),
    "choice typed as its code and in another language": Case(
        lambda c: {
            "c.xlsx": c.filled(
                change=lambda f: (
                    f.type_raw("sessions", "attendance", "both", "2"),
                    f.type_raw("agreement", "meeting_mode", "Visioconférence"),
                )
            )
        },
        values={"P001": EXPECTED | {("sessions", "2", "attendance"): "both"}},
    ),
    "value pasted past a dropdown": Case(
        lambda c: {
            "p.xlsx": c.filled(change=lambda f: f.type_raw("agreement", "meeting_mode", "Zoom"))
        },
        code="VAL001",
        values={"P001": {k: v for k, v in EXPECTED.items() if k[2] != "meeting_mode"}},
    ),
    "encrypted with the pair's password": Case(
        lambda c: _encrypted_build(c, "test_P001_r2.xlsx"), values={"P001": EXPECTED}
    ),
    "encrypted and renamed by the mail client": Case(
        lambda c: _encrypted_build(c, "attachment (3).xlsx"), values={"P001": EXPECTED}
    ),
    # --- quarantined ---------------------------------------------------------------------------
    "zip bomb": Case(
        lambda c: {"bomb.zip": _zip({"P001.xlsx": b"\0" * 30_000_000})},
        status="quarantined",
        code="FIL008",
    ),
    "zip with too many entries": Case(
        lambda c: {"many.zip": _zip({f"{i}.xlsx": b"x" for i in range(150)})},
        status="quarantined",
        code="FIL008",
    ),
    "zip entry climbing out of its folder": Case(
        lambda c: {"evil.zip": _zip({"../../P001.xlsx": c.filled()})},
        status="quarantined",
        code="FIL008",
    ),
    "zip with no workbook": Case(
        lambda c: {"photos.zip": _zip({"a.jpg": b"\xff\xd8\xff", "b.txt": b"hello"})},
        status="quarantined",
        code="FIL009",
    ),
    "zips nested three deep": Case(
        lambda c: {"deep.zip": _zip({"1.zip": _zip({"2.zip": _zip({"P001.xlsx": c.filled()})})})},
        status="quarantined",
        code="FIL009",
    ),
    "email without a workbook": Case(
        lambda c: {"thanks.eml": _eml({})}, status="quarantined", code="FIL009"
    ),
    "encrypted with a crafted, very slow key derivation": Case(
        lambda c: {"slow.xlsx": _costly(encrypt(c.filled(), "guess-me"))},
        status="quarantined",
        code="FIL012",
    ),
    "encrypted with another password than the pair was given": Case(
        lambda c: _encrypted_build(c, "test_P001_r2.xlsx", wrong=True),
        status="quarantined",
        code="FIL014",
    ),
    "encrypted with a password this programme never issued": Case(
        lambda c: {"locked.xlsx": encrypt(c.filled(), "guess-me")},
        status="quarantined",
        code="FIL004",
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_corpus_case(name: str, programme: Path, fill, ledger_values, tmp_path: Path) -> None:
    case = CASES[name]
    ctx = Context(programme, fill, tmp_path)
    files = case.files(ctx)
    for file_name, data in files.items():
        (programme / "inbox" / file_name).write_bytes(data)

    result = sync_programme(programme, now=RETURNED)

    if case.status == "quarantined":
        [outcome] = result.files
        assert (outcome.status, outcome.reason.code) == ("quarantined", case.code)
        [(file_name, data)] = files.items()
        assert (programme / outcome.stored_as).read_bytes() == data  # the container as it came
        assert result.exit_code == 1
        with Ledger(programme / "mentorkit.db") as ledger:
            assert ledger.value_count() == 0
        return
    assert [o.status for o in result.files] == ["accepted"] * len(case.values), [
        (o.name, o.findings) for o in result.files
    ]
    if case.code:
        assert case.code in {x.code for o in result.files for x in o.findings}
    for pair_id, expected in case.values.items():
        assert ledger_values(pair_id) == expected
    assert not list((programme / "inbox").iterdir())


def test_a_container_is_named_in_every_finding_and_kept_as_it_came(programme: Path, fill):
    bad = fill("P001")
    bad.type_raw("sessions", "minutes", "ninety", "1")
    bad.save(programme / "w.xlsx")
    too_deep = _zip({"older.zip": _zip({"P003.xlsx": b"PK"})})
    data = _zip({"March/P001.xlsx": (programme / "w.xlsx").read_bytes(), "old.zip": too_deep})
    (programme / "inbox" / "returns.zip").write_bytes(data)
    [outcome] = sync_programme(programme, now=RETURNED).files
    assert outcome.container == "returns.zip"
    assert sorted((x.code, x.file, x.value) for x in outcome.findings) == [
        ("FIL010", "returns.zip", "returns.zip/old.zip/older.zip"),  # noted, not dropped
        ("VAL003", "returns.zip/March/P001.xlsx", "ninety"),
    ]
    kept = list((programme / "archive" / "containers").iterdir())
    assert [p.read_bytes() for p in kept] == [data]
    with Ledger(programme / "mentorkit.db") as ledger:
        assert sorted(f["code"] for f in ledger.findings()) == ["FIL010", "VAL003"]


def test_the_date_order_of_the_pair_s_country_can_be_set(programme: Path, fill, ledger_values):
    _mdy_country(programme)
    f = fill("P001")  # the mentee E1 works in Kenya
    f.type_raw("sessions", "session_date", "03/04/2026", "2")
    f.save(programme / "inbox" / "us style.xlsx")
    [outcome] = sync_programme(programme, now=RETURNED).files
    assert [(x.code, x.cell, x.value) for x in outcome.findings] == [("VAL015", "C6", "03/04/2026")]
    assert ledger_values("P001") == {("sessions", "2", "session_date"): "2026-03-04"}


# --- LibreOffice: filled, then re-saved as .xlsx, .ods and .xls (one soffice call each) --------


@pytest.fixture(scope="module")
def libreoffice_returns(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Filled returns of a programme identical to the ``programme`` fixture's, re-saved by
    LibreOffice; keyed by ``<pair>.<format>``."""
    soffice = soffice_path()
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed; CI installs it and runs this test")
    base = tmp_path_factory.mktemp("lo")
    root = base / "prog"
    create_programme(
        root, programme_id="test", name="Test Programme", cohort="2026-A", start_date=START,
        people=PEOPLE, pairs=PAIRS, secret="test-secret", now=NOW,
    )  # fmt: skip
    built = build_programme(root, now=NOW, as_of=START)
    contract = load_contract()
    filled = []
    for w in built.workbooks:
        f = PairWorkbookFiller(w.path, contract, PAIR_LANG[w.pair_id])
        _typical(f)
        # A formula typed by the pair: LibreOffice computes it when it saves.
        f.type_raw("sessions", "minutes", "=45*2", "2")
        path = base / "filled" / f"{w.pair_id}.xlsx"
        f.save(path)
        filled.append(path)
    out: dict[str, Path] = {}
    for fmt in ("xlsx", "ods", "xls"):
        outdir = base / fmt
        subprocess.run(
            [soffice, f"-env:UserInstallation={(base / 'profile').as_uri()}", "--headless",
             "--norestore", "--convert-to", fmt, "--outdir", str(outdir), *map(str, filled)],
            check=True, capture_output=True, timeout=300,
        )  # fmt: skip
        for path in filled:
            converted = outdir / f"{path.stem}.{fmt}"
            assert converted.is_file(), f"LibreOffice did not write {converted.name}"
            out[f"{path.stem}.{fmt}"] = converted
    return out


LO_EXPECTED = EXPECTED | {("sessions", "2", "minutes"): "90"}


@pytest.mark.libreoffice
@pytest.mark.parametrize(
    ("pair_id", "fmt"),
    [("P001", "xlsx"), ("P002", "ods"), ("P003", "xls"), ("P002", "xls"), ("P003", "ods")],
)
def test_libreoffice_resave_merges(
    libreoffice_returns, pair_id: str, fmt: str, programme: Path, built, ledger_values
) -> None:
    source = libreoffice_returns[f"{pair_id}.{fmt}"]
    (programme / "inbox" / f"Re {pair_id}.{fmt}").write_bytes(source.read_bytes())
    [outcome] = sync_programme(programme, now=RETURNED).files
    # An .ods gives its saved-at time without a time zone: read in the mentee's ("FIL016").
    codes = [x.code for x in outcome.findings]
    assert (outcome.status, outcome.pair_id, codes) == (
        "accepted", pair_id, ["FIL016"] if fmt == "ods" else []
    )  # fmt: skip
    assert ledger_values(pair_id) == LO_EXPECTED
    if fmt == "xls":  # .xls keeps its saved-at time in its summary information
        from sync.reader import file_saved_at

        assert (file_saved_at(source) or "")[:4] >= "2026"


@pytest.mark.libreoffice
def test_libreoffice_xls_renamed_xlsx_in_a_zip(
    libreoffice_returns, programme, built, ledger_values
):
    data = libreoffice_returns["P001.xls"].read_bytes()
    (programme / "inbox" / "all.zip").write_bytes(_zip({"P001.xlsx": data}))
    [outcome] = sync_programme(programme, now=RETURNED).files
    assert outcome.status == "accepted"
    assert ledger_values("P001") == LO_EXPECTED


def test_the_corpus_is_large_enough() -> None:
    from tests.test_hostile_returns import CASES as HOSTILE

    assert len(CASES) + len(HOSTILE) + 5 >= 30


def test_an_encrypted_file_gets_a_bounded_number_of_tries(
    programme: Path, fill, tmp_path: Path, monkeypatch
) -> None:
    import toolkit.encryption

    files = _encrypted_build(Context(programme, fill, tmp_path), "attachment.xlsx", wrong=True)
    (programme / "inbox" / "attachment.xlsx").write_bytes(files["attachment.xlsx"])
    monkeypatch.setattr(toolkit.encryption, "MAX_TRIES", 2)  # three pairs' passwords are kept

    [outcome] = sync_programme(programme, now=RETURNED).files

    assert (outcome.status, outcome.reason.code) == ("quarantined", "FIL013")
    assert outcome.reason.value == "2" and "P007_attachment.xlsx" in outcome.reason.todo


def test_a_return_without_its_password_is_noted(programme: Path, fill) -> None:
    config = programme / "programme.yaml"
    config.write_text(
        config.read_text(encoding="utf-8") + "\nconfidentiality:\n  encrypt_workbooks: true\n",
        encoding="utf-8",
    )
    build_programme(programme, refresh=True, now=NOW)
    f = fill("P001")  # revision 1, as issued before the policy: filled and saved plainly
    f.save(programme / "inbox" / "P001.xlsx")

    [outcome] = sync_programme(programme, now=RETURNED).files

    assert outcome.status == "accepted"
    assert ("FIL015", "P001") in {(x.code, x.value) for x in outcome.findings}


def _posing_as(pair_id: str, mentor: str, mentee: str) -> Callable[[PairWorkbookFiller], None]:
    """The identity sheet deleted and another pair's code and names typed on Start here."""

    def change(f: PairWorkbookFiller) -> None:
        _without_meta(f)
        ws = f.wb["Start here"]
        for row in ws.iter_rows():
            label = str(row[0].value or "")
            if label in ("Pair code", "Mentor", "Mentee"):
                row[1].value = {"Pair code": pair_id, "Mentor": mentor, "Mentee": mentee}[label]

    return change


def test_a_file_identified_only_from_start_here_waits_for_the_coordinator(
    programme: Path, fill, ledger_values, tmp_path: Path
) -> None:
    from click.testing import CliRunner

    from builders.receipt import receipt_name
    from toolkit.cli import cli

    ctx = Context(programme, fill, tmp_path)
    before = ledger_values("P002")
    people = {p[0]: p[1] for p in PEOPLE}
    mentor, mentee = PAIRS[1]  # P002
    data = ctx.filled("P001", change=_posing_as("P002", people[mentor], people[mentee]))
    (programme / "inbox" / "from P001.xlsx").write_bytes(data)

    sync = CliRunner().invoke(cli, ["sync", str(programme)])

    assert sync.exit_code == 1, sync.output
    assert "IDN006" in sync.output and "mentorkit accept" in sync.output
    assert ledger_values("P002") == before  # P002's values are not overwritten
    sha = hashlib.sha256(data).hexdigest()
    receipt = programme / "outbox" / "receipts" / receipt_name(sha, "from P001.xlsx")
    assert "en attente de la confirmation" in str(_receipt_cells(receipt))  # P002 speaks French

    wrong = CliRunner().invoke(cli, ["accept", str(programme), "nothing.xlsx"])
    assert wrong.exit_code == 2 and "SYN004" in wrong.output

    confirmed = CliRunner().invoke(cli, ["accept", str(programme), "from P001.xlsx"])
    assert confirmed.exit_code == 0, confirmed.output
    assert (programme / "inbox" / "from P001.xlsx").read_bytes() == data
    [outcome] = sync_programme(programme, now=RETURNED).files
    assert outcome.status == "accepted" and outcome.pair_id == "P002"
    assert "IDN008" in {x.code for x in outcome.findings}


def _receipt_cells(path: Path) -> list[list[object]]:
    from python_calamine import CalamineWorkbook

    wb = CalamineWorkbook.from_path(str(path))
    return wb.get_sheet_by_name(wb.sheet_names[0]).to_python()


def test_a_conflict_speaks_the_pair_s_language_at_its_cell_and_names_the_other_file(
    programme: Path, fill
) -> None:
    from builders.receipt import ReceiptWriter, receipt_name

    mentor, mentee = fill("P002", sender="mentor"), fill("P002", sender="mentee")
    mentor.set("agreement", "goal_1", "But du mentor")
    mentor.save(programme / "inbox" / "mentor.xlsx", saved_at=dt.datetime(2026, 3, 2, 9, 0))
    mentee.set("agreement", "goal_1", "But du mentoré")
    mentee.save(programme / "inbox" / "mentee.xlsx", saved_at=dt.datetime(2026, 3, 9, 9, 0))

    result = sync_programme(programme, now=RETURNED, receipts=ReceiptWriter(programme))

    [conflict] = [x for o in result.files for x in o.findings if x.code == "SYN003"]
    assert conflict.sheet == "Accord" and conflict.cell.startswith("B")  # French, located
    assert conflict.column.startswith("Objectif")
    assert "'mentor.xlsx'" in conflict.message
    mentee_file = next(o for o in result.files if o.name == "mentee.xlsx")
    cells = str(_receipt_cells(
        programme / "outbox" / "receipts" / receipt_name(mentee_file.sha256, "mentee.xlsx")
    ))  # fmt: skip
    assert "indiquer au coordinateur" in cells and "master.xlsx" not in cells


def _saved_without_zone(data: bytes, stamp: str) -> bytes:
    """The workbook with its saved-at time given without a time zone (as an .ods gives it)."""
    import re

    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            body = source.read(item)
            if item.filename == "docProps/core.xml":
                body = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*(<)", rb"\g<1>" + stamp.encode() + rb"\2", body
                )
            target.writestr(item, body)
    return out.getvalue()


def test_a_saved_at_without_time_zone_is_the_mentee_s_local_time(
    programme: Path, tmp_path: Path, fill
) -> None:
    data = Context(programme, fill, tmp_path).filled()
    (programme / "inbox" / "local.xlsx").write_bytes(
        _saved_without_zone(data, "2026-03-01T09:00:00")
    )

    [outcome] = sync_programme(programme, now=RETURNED).files

    assert outcome.saved_at == "2026-03-01T06:00:00+00:00"  # Kenya is UTC+3
    assert ("FIL016", "2026-03-01 09:00:00") in {(x.code, x.value) for x in outcome.findings}


def test_a_saved_at_before_the_revision_was_issued_is_taken_as_the_issue_time(
    programme: Path, fill
) -> None:
    f = fill("P001")
    f.set("agreement", "goal_1", "Typed on a computer whose clock runs a year behind")
    f.save(programme / "inbox" / "behind.xlsx", saved_at=dt.datetime(2025, 1, 5, 9, 0))

    [outcome] = sync_programme(programme, now=RETURNED).files

    assert outcome.saved_at == NOW.isoformat()


def test_an_older_save_cannot_bring_back_what_the_newer_save_of_its_copy_emptied(
    programme: Path, fill, ledger_values
) -> None:
    old, new = fill("P001"), fill("P001")
    old.set("agreement", "goal_1", "Goal one")
    old.set("agreement", "goal_3", "Goal three")
    old.save(programme / "v1.xlsx", saved_at=dt.datetime(2026, 3, 1, 9, 0))
    new.set("agreement", "goal_1", "Goal one")
    new.save(programme / "inbox" / "v2.xlsx", saved_at=dt.datetime(2026, 3, 1, 11, 0))
    sync_programme(programme, now=RETURNED)
    (programme / "v1.xlsx").rename(programme / "inbox" / "v1.xlsx")  # the older one, late

    [outcome] = sync_programme(programme, now=RETURNED).files

    assert outcome.status == "accepted"
    assert ("VAL011", "Goal three") in {(x.code, x.value) for x in outcome.findings}
    values = ledger_values("P001")
    assert ("agreement", "", "goal_3") not in values
    assert values[("agreement", "", "goal_1")] == "Goal one"


def test_an_agreement_signed_after_the_match_but_before_the_cycle_is_plausible(
    tmp_path: Path,
) -> None:
    # Pairs matched and issued in December for a January cycle sign in December: no "VAL019".
    # A date before the pair even existed is still a slip, and still warned.
    root = tmp_path / "prog"
    issued = dt.datetime(2025, 12, 10, 9, 0, tzinfo=dt.timezone.utc)
    create_programme(
        root, programme_id="test", name="Test Programme", cohort="2026-A", start_date=START,
        people=PEOPLE, pairs=PAIRS, secret="test-secret", now=issued,
    )  # fmt: skip
    built = build_programme(root, now=issued, as_of=issued.date())
    contract = load_contract()
    for w, signed in zip(built.workbooks[:2], ("2025-12-20", "2025-11-20"), strict=True):
        f = PairWorkbookFiller(w.path, contract, PAIR_LANG[w.pair_id])
        f.set("start", "returned_by", "mentee")
        f.set("agreement", "mentee_signed_on", dt.date.fromisoformat(signed))
        f.save(root / "inbox" / f"{w.pair_id}.xlsx")
    outcomes = {o.pair_id: o for o in sync_programme(root, now=RETURNED).files}
    december, november = (outcomes[w.pair_id] for w in built.workbooks[:2])
    assert [x.code for x in december.findings] == []
    assert [(x.code, x.value) for x in november.findings] == [("VAL019", "2025-11-20")]
