"""Regenerating ``sample_workbooks/``: what the demo produces, for people who cannot install
anything, with pictures of two pair workbook sheets and the dashboard for the README.

The demo runs in a temporary folder with a fixed seed and clock (and without LibreOffice, whose
re-saves differ from run to run). The samples are then *chosen from what it did*, never by a
pair code: the blank workbooks are the first revision-1 workbook of each language the ledger's
pairs use (the earliest issued, then the lowest pair code), the returned one is an accepted
return of the last day returns arrived (in the programme's default language where there is
one; the one with the fewest findings, then the most values typed), its receipt is the one
sync wrote for it, and ``matches.xlsx`` is the demo's own when it writes one (else the demo's
people matched from scratch). ``README.md`` is generated too, one line per file, from the same
choices, so it cannot fall behind them.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import NoReturn

from python_calamine import CalamineWorkbook

from builders.pictures import Picture, PictureError, PictureRequest, render_pictures
from builders.receipt import RECEIPTS_FOLDER, receipt_name
from toolkit.contract import load_contract
from toolkit.countries import default_countries
from toolkit.demo import run_demo
from toolkit.demo.year import CONFIRMED_COPY
from toolkit.errors import ToolkitError
from toolkit.framework import load_framework
from toolkit.ledger import Ledger, PairRecord, SubmissionRecord
from toolkit.messages import Finding, finding
from toolkit.programme import Programme, ProgrammeFolder, load_programme
from toolkit.report_text import report_text
from toolkit.roster import read_roster
from toolkit.text import LANGUAGES, and_list

SEED = 7
ROUND_DAYS = 31
"""How far back from the last return the last round of returns is looked for."""
PICTURES_FOLDER = "pictures"
README = "README.md"
LANGUAGE_IN_ENGLISH = {"en": "English", "fr": "French", "es": "Spanish", "pt": "Portuguese"}
PROGRAMME_FILES = ("programme.yaml", "mentorkit.db")
"""Files that mark a programme folder, which samples are never written into."""
README_TITLE = "# Sample workbooks"
LISTED = re.compile(r"^\| `([^`]+)` \|", flags=re.MULTILINE)
"""A file's line in the samples README's table."""


@dataclass(frozen=True)
class Sample:
    """One sample file: its name in ``sample_workbooks/``, where it comes from, what it is."""

    name: str
    source: Path
    description: str


@dataclass(frozen=True)
class PictureSample:
    """One picture for the README: which sample's sheet it shows, and a sentence about it."""

    name: str
    sample: str
    sheet: str
    description: str

    @property
    def path(self) -> str:
        """Its path inside ``sample_workbooks/``."""
        return f"{PICTURES_FOLDER}/{self.name}"


@dataclass
class SamplesResult:
    """What :func:`write_samples` wrote."""

    target: Path
    files: list[Path] = field(default_factory=list)
    pictures: list[Picture] = field(default_factory=list)
    pictures_skipped: Finding | None = None
    """Why the pictures were left as they were (LibreOffice or pdftoppm missing); None when
    they were drawn, or not asked for."""
    removed: list[Path] = field(default_factory=list)


class SamplesError(ToolkitError):
    """The samples cannot be written into the folder asked for (SMP001, SMP002)."""


@dataclass(frozen=True)
class SampleSet:
    """The demo's chosen files and pictures, and the README that lists them."""

    samples: list[Sample]
    pictures: list[PictureSample]
    readme: str


def write_samples(target: Path, *, pictures: bool = True) -> SamplesResult:
    """Run the demo in a temporary folder and copy its showcase files into ``target``, with a
    README listing them; with ``pictures``, draw the README's pictures (when LibreOffice and
    pdftoppm are installed; otherwise :attr:`SamplesResult.pictures_skipped` says why).

    ``target`` must be new, empty, or a folder this function wrote before (its README says
    so): anything else is refused (SMP001, SMP002) before the demo runs. A file the previous
    README listed that is no longer a sample is removed; no other file is touched."""
    previous = _previous_samples(target)
    target.mkdir(parents=True, exist_ok=True)
    result = SamplesResult(target)
    with tempfile.TemporaryDirectory(prefix="mentorkit-samples-") as tmp:
        root = Path(tmp) / "demo"
        run_demo(root, seed=SEED, libreoffice=False)  # LibreOffice's re-saves vary
        chosen = choose_samples(root)
        for sample in chosen.samples:
            shutil.copyfile(sample.source, target / sample.name)
            result.files.append(target / sample.name)
    (target / README).write_text(chosen.readme, encoding="utf-8")
    result.files.append(target / README)
    for name in sorted(previous - set(LISTED.findall(chosen.readme))):
        old = target / name
        if old.is_file():
            old.unlink()
            result.removed.append(old)
    if pictures:
        try:
            result.pictures = draw_pictures(target, chosen.pictures)
        except PictureError as exc:
            if not exc.findings or exc.findings[0].code not in ("PIC001", "PIC002"):
                raise
            result.pictures_skipped = exc.findings[0]
    return result


def _previous_samples(target: Path) -> set[str]:
    """The files the samples README in ``target`` lists (relative paths); an empty set for a
    new or empty folder. Raises :class:`SamplesError` for a programme folder (SMP001) or a
    folder holding other files and no samples README (SMP002)."""
    if not target.exists():
        return set()
    if not target.is_dir():
        _refuse("SMP002", target, "it is a file")
    marks = [name for name in PROGRAMME_FILES if (target / name).exists()]
    if marks:
        _refuse("SMP001", target, " and ".join(marks))
    readme = target / README
    text = readme.read_text(encoding="utf-8", errors="replace") if readme.is_file() else ""
    if text.startswith(README_TITLE) and "mentorkit samples" in text:
        return {name for name in LISTED.findall(text) if _sample_path(name)}
    others = sorted(p.name for p in target.iterdir())
    if others:
        shown = ", ".join(others[:3]) + (f" and {len(others) - 3} more" if len(others) > 3 else "")
        _refuse("SMP002", target, shown)
    return set()


def _refuse(code: str, target: Path, detail: str) -> NoReturn:
    """Raise :class:`SamplesError` with the catalogue's ``code`` about ``target``."""
    found = finding(code, file=str(target), detail=detail)
    raise SamplesError(found.render(), [found])


def _sample_path(name: str) -> bool:
    """Whether a README line names a file a samples run writes: ``NAME`` or ``pictures/NAME``
    (never a path that leaves the folder)."""
    parts = PurePosixPath(name).parts
    inside = len(parts) == 1 or (len(parts) == 2 and parts[0] == PICTURES_FOLDER)
    return inside and ".." not in parts and "\\" not in name


def choose_samples(root: Path) -> SampleSet:
    """Choose the sample files from the demo folder ``root``, by what its ledger holds."""
    folder = ProgrammeFolder(root)
    programme = load_programme(folder.config)
    contract = load_contract(load_framework())
    samples: list[Sample] = []
    with Ledger(folder.ledger) as ledger:
        pairs = {p.pair_id: p for p in ledger.pairs()}
        people = ledger.people()
        languages = [lang for lang in LANGUAGES if any(p.language == lang for p in pairs.values())]
        first_issue: dict[str, tuple[str, str, int, str]] = {}
        for pair_id, revision, issued_at, file_name in ledger.revisions():
            lang = pairs[pair_id].language
            issue = (issued_at, pair_id, revision, file_name)
            if revision == 1 and (folder.outbox / file_name).is_file():
                first_issue[lang] = min(first_issue.get(lang, issue), issue)
        for lang in languages:
            _, pair_id, revision, file_name = first_issue[lang]
            titles = ", ".join(tool.title[lang] for tool in contract.tools)
            samples.append(Sample(
                f"pair-workbook-blank-{lang}.xlsx", folder.outbox / file_name,
                f"A pair workbook as issued, in {LANGUAGE_IN_ENGLISH[lang]} (pair {pair_id}, "
                f"revision {revision}): {titles}, and the pair's printable Guide. Only the "
                "pale yellow cells can be typed in.",
            ))  # fmt: skip
        returned, lang, filled = _returned(root, ledger, pairs, programme.default_language)
        tool_titles = {tool.code: tool.title["en"] for tool in contract.tools}
        typed = ", ".join(
            f"{filled[code]} in {tool_titles.get(code, code)}"
            for code in tool_titles
            if filled[code]
        )
        received = returned.received_at[:10]
        last_return = max(s.received_at[:10] for s in ledger.submissions())
        samples.append(Sample(
            f"pair-workbook-returned-{lang}.xlsx", root / returned.stored_as,
            f"Pair {returned.pair_id}'s workbook as the {returned.returned_by} returned it, in "
            f"{LANGUAGE_IN_ENGLISH[lang]}, on {received} (the last round of returns). The values "
            f"read from it: {typed}.",
        ))  # fmt: skip
        samples.append(Sample(
            f"receipt-{lang}.xlsx",
            folder.outbox / RECEIPTS_FOLDER / receipt_name(returned.sha256, returned.file_name),
            f"The receipt sync wrote for that return, in {LANGUAGE_IN_ENGLISH[lang]}, for the "
            "coordinator to email back: what became of the file, the values read and taken from "
            "each sheet, and anything to check.",
        ))  # fmt: skip
        roles = Counter(person["role"] for person in people.values())
    roster = read_roster(folder.roster, load_framework())
    samples.append(Sample(
        "roster.xlsx", folder.roster,
        f"The demo roster: {roles['mentor']} mentors and {roles['mentee']} mentees on the People "
        "sheet, " + (f"{len(roster.pairs)} pairs on the Pairs sheet." if roster.pairs else
                     "and an empty Pairs sheet (the pairs come from matching)."),
    ))  # fmt: skip
    samples.append(_matches(root))
    samples.append(Sample(
        "master.xlsx", root / "master.xlsx",
        "The coordinator's master workbook after the demo's year (its last returns arrived on "
        f"{last_return}). "
        f"Sheets: {_sheets(root / 'master.xlsx')}.",
    ))  # fmt: skip
    samples.append(Sample(
        "master-anonymous.xlsx", root / "master-anonymous.xlsx",
        "The same figures for managers and donors (`mentorkit report --anonymous`): no names, no "
        "free text, every figure about fewer than 3 people suppressed. Sheets: "
        f"{_sheets(root / 'master-anonymous.xlsx')}.",
    ))  # fmt: skip
    review = max(root.glob("review-*.xlsx"))
    samples.append(Sample(
        review.name, review,
        f"What `mentorkit review --as-of {last_return}` writes for the steering group after "
        "the demo's year: "
        f"{_sheets(review)}, with a Decision column for each recommendation.",
    ))  # fmt: skip
    pictures = picture_samples(lang, programme.default_language)
    return SampleSet(samples, pictures, _readme(root, programme, pairs, people, samples, pictures))


def picture_samples(lang: str, master_language: str) -> list[PictureSample]:
    """The README's pictures: two sheets of the returned pair workbook in ``lang``, and the
    Dashboard of the master workbook (whose sheets are in ``master_language``)."""
    contract = load_contract(load_framework())
    competencies = contract.tool("competencies").title[lang]
    sessions = contract.tool("sessions").title[lang]
    returned = f"pair-workbook-returned-{lang}.xlsx"
    dashboard = report_text("indicators", "dashboard_sheet", master_language)
    return [
        PictureSample(
            "pair-workbook-competencies.png", returned, competencies,
            f"A returned pair workbook's {competencies} sheet: each milestone of the mentee's "
            "level rated at the start and after every quarter (dropdowns), with the evidence.",
        ),
        PictureSample(
            "pair-workbook-session-log.png", returned, sessions,
            f"The same workbook's {sessions}: one row per monthly session, the planned topic "
            "beside what the pair discussed and the actions they agreed.",
        ),
        PictureSample(
            "master-dashboard.png", "master.xlsx", dashboard,
            "The master workbook's Dashboard: the headline indicators against their targets "
            "(red, amber, green) and four charts, as of the demo's last return.",
        ),
    ]  # fmt: skip


def draw_pictures(target: Path, pictures: list[PictureSample]) -> list[Picture]:
    """Draw ``pictures`` from the samples in ``target`` into ``target/pictures``."""
    requests = [PictureRequest(target / p.sample, p.sheet, p.name) for p in pictures]
    return render_pictures(requests, target / PICTURES_FOLDER)


# --- private helpers ----------------------------------------------------------------------------


def _returned(
    root: Path, ledger: Ledger, pairs: dict[str, PairRecord], default_language: str
) -> tuple[SubmissionRecord, str, Counter[str]]:
    """The returned workbook to show: an accepted return of the last round (the
    :data:`ROUND_DAYS` days before the last return arrived), in ``default_language`` when one
    is; the fewest findings, then the most values typed. Only a
    plain .xlsx (not encrypted) with its receipt in ``outbox/receipts/`` can be shown."""
    receipts = ProgrammeFolder(root).outbox / RECEIPTS_FOLDER
    accepted = [
        s
        for s in ledger.submissions()
        if s.status == "accepted"
        and s.pair_id
        and _plain_xlsx(root / s.stored_as)
        and (receipts / receipt_name(s.sha256, s.file_name)).is_file()
    ]
    # The last round of returns: the month before the last return arrived.
    last_day = dt.date.fromisoformat(max(s.received_at[:10] for s in accepted))
    since = (last_day - dt.timedelta(days=ROUND_DAYS)).isoformat()
    candidates = [s for s in accepted if s.received_at[:10] > since]
    language = {s.submission_id: pairs[s.pair_id or ""].language for s in candidates}
    wanted = next(
        lang
        for lang in (default_language, *LANGUAGES)
        if any(language[s.submission_id] == lang for s in candidates)
    )
    findings = Counter(f["submission_id"] for f in ledger.findings())
    filled = {s.submission_id: ledger.values_typed(s.submission_id) for s in candidates}
    best = min(
        (s for s in candidates if language[s.submission_id] == wanted),
        key=lambda s: (
            findings[s.submission_id], -sum(filled[s.submission_id].values()), s.pair_id,
            s.submission_id,
        ),
    )  # fmt: skip
    return best, wanted, filled[best.submission_id]


def _matches(root: Path) -> Sample:
    """The matches.xlsx the demo's coordinator reviewed and confirmed (kept in the archive:
    ``match --confirm`` then rewrites matches.xlsx for whoever is still without a mentor)."""
    path = root / CONFIRMED_COPY
    return Sample(
        "matches.xlsx", path,
        "The pairs the matching engine proposed for the demo's cohort (`mentorkit match`), as "
        "the coordinator reviewed them (one proposal forbidden, two locked, with comments) and "
        f"confirmed them. Sheets: {_sheets(path)}.",
    )  # fmt: skip


def _plain_xlsx(path: Path) -> bool:
    """Whether ``path`` is an .xlsx anyone can open: a zip, not an encrypted (OLE2) file."""
    if path.suffix.lower() != ".xlsx" or not path.is_file():
        return False
    with path.open("rb") as file:
        return file.read(4) == b"PK\x03\x04"


def _sheets(path: Path) -> str:
    """The visible sheets of a workbook, in order, for the README."""
    book = CalamineWorkbook.from_path(str(path))
    names = [s.name for s in book.sheets_metadata if str(s.visible).endswith("Visible")]
    return ", ".join(names)


def _readme(
    root: Path,
    programme: Programme,
    pairs: dict[str, PairRecord],
    people: dict[str, dict[str, str]],
    samples: list[Sample],
    pictures: list[PictureSample],
) -> str:
    """``sample_workbooks/README.md``: one line for each file, from the demo's facts."""
    countries = default_countries()
    codes = sorted({person["country"] for person in people.values()})
    names = [countries[c].name if c in countries else c for c in codes]
    langs = [LANGUAGE_IN_ENGLISH[lang] for lang in LANGUAGES
             if any(p.language == lang for p in pairs.values())]  # fmt: skip
    cycle = programme.cycle
    start: dt.date = cycle.start_date
    rows = [f"| `{s.name}` | {s.description} |" for s in samples]
    rows += [f"| `{p.path}` | {p.description} |" for p in pictures]
    return "\n".join([
        "# Sample workbooks",
        "",
        "These are examples you can open in Excel or LibreOffice without installing mentorkit. "
        f"They come from `mentorkit demo --seed {SEED} --no-libreoffice` (the files "
        "LibreOffice re-saves differ from run to run, so they are left out): "
        f"{_pair_count(pairs)} in {and_list(names)}, in {and_list(langs)}, over a "
        f"{cycle.months}-month cycle starting in {start:%B %Y}.",
        "",
        "| file | what it is |",
        "| --- | --- |",
        *rows,
        "",
        "The pair workbooks' sheets are protected without a password; only the pale yellow cells "
        "can be edited. Each pair workbook also carries a hidden, signed sheet that identifies "
        "the pair and the revision. The pictures are the first printed page of a sheet, drawn "
        "by LibreOffice.",
        "",
        "Do not edit these files by hand. To regenerate them (and this README), run this from "
        "the repository folder:",
        "",
        "```",
        "mentorkit samples",
        "```",
        "",
        "`tests/test_samples.py` checks that they are up to date with the code, comparing "
        "every sheet's values.",
        "",
    ])  # fmt: skip


def _pair_count(pairs: dict[str, PairRecord]) -> str:
    """'48 pairs', or '48 mentees in 49 pairs' when a mentee was re-matched."""
    mentees = len({p.mentee_id for p in pairs.values()})
    return f"{len(pairs)} pairs" if mentees == len(pairs) else (
        f"{mentees} mentees in {len(pairs)} pairs (a mentee whose pair ended was re-matched)"
    )  # fmt: skip
