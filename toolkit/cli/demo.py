"""``mentorkit demo``: the whole coordinator cycle on an example cohort, deterministically.

It creates a programme folder, writes a roster of 14 pairs in Kenya, Senegal and the DR Congo
(English and French speakers), builds the pair workbooks, and then plays two return rounds the
way people would: each pair fills *its own copy* with openpyxl and emails it back (a file in
``inbox/``) at the end of quarter 1 and again at the end of quarter 2. Along the way one file is
sent twice, one arrives damaged, one has a value typed past a dropdown and a duration typed as
words, one pair sends a stale copy, two pairs use LibreOffice (one saving as .ods), and one
pair never returns anything. Each round is synced into the ledger, and the master
workbook is regenerated.
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from builders.master import MasterResult, write_master
from builders.programme import BuildResult, build_programme, create_programme
from builders.receipt import ReceiptWriter
from sync.run import SyncResult, sync_programme
from toolkit.cli.fill import PairWorkbookFiller
from toolkit.contract import load_contract
from toolkit.errors import ToolkitError
from toolkit.framework import load_framework
from toolkit.ledger import Ledger
from toolkit.programme import ProgrammeFolder, load_programme

Echo = Callable[[str], None]

START = dt.date(2026, 1, 1)
BUILT_AT = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.timezone.utc)
ROUNDS = (
    # (return date, months of sessions filled, quarters of ratings and reflections filled)
    (dt.date(2026, 4, 10), 3, 1),
    (dt.date(2026, 7, 15), 6, 2),
)

# (id, name, sex, country, office, languages, level, sector, domains)
MENTORS = [
    ("KE-M01", "Grace Wanjiru", "female", "KE", "Nairobi", "en", "senior", "Health", "evaluation, data"),
    ("KE-M02", "Peter Kamau", "male", "KE", "Kisumu", "en, fr", "senior", "WASH", "technical, strategy"),
    ("KE-M03", "Mercy Achieng", "female", "KE", "Nairobi", "en", "mid", "Education", "communication, data"),
    ("KE-M04", "Daniel Mutua", "male", "KE", "Mombasa", "en", "senior", "Livelihoods", "leadership, strategy"),
    ("KE-M05", "Faith Njeri", "female", "KE", "Nairobi", "en, fr", "senior", "Nutrition", "evaluation, technical"),
    ("SN-M01", "Aminata Ndiaye", "female", "SN", "Dakar", "fr, en", "senior", "Health", "evaluation, leadership"),
    ("SN-M02", "Ousmane Sarr", "male", "SN", "Thiès", "fr", "senior", "Education", "data, technical"),
    ("SN-M03", "Fatou Diallo", "female", "SN", "Dakar", "fr", "mid", "WASH", "communication, strategy"),
    ("SN-M04", "Ibrahima Fall", "male", "SN", "Saint-Louis", "fr, en", "senior", "Livelihoods", "technical, data"),
    ("CD-M01", "Jeanne Mbuyi", "female", "CD", "Kinshasa", "fr", "senior", "Protection", "evaluation, communication"),
    ("CD-M02", "Patrick Kabila", "male", "CD", "Goma", "fr, en", "senior", "Health", "leadership, data"),
    ("CD-M03", "Chantal Ilunga", "female", "CD", "Lubumbashi", "fr", "mid", "Education", "technical, communication"),
    ("CD-M04", "Didier Tshibanda", "male", "CD", "Kinshasa", "fr", "senior", "Nutrition", "strategy, evaluation"),
    ("CD-M05", "Esther Kapinga", "female", "CD", "Bukavu", "fr", "senior", "WASH", "data, leadership"),
]  # fmt: skip
MENTEES = [
    ("KE-E01", "Brian Otieno", "male", "KE", "Kisumu", "en", "junior", "Health", "technical, data"),
    ("KE-E02", "Lucy Wambui", "female", "KE", "Nairobi", "en", "junior", "Education", "evaluation"),
    ("KE-E03", "Kevin Omondi", "male", "KE", "Garissa", "en", "junior", "WASH", "communication"),
    ("KE-E04", "Janet Chebet", "female", "KE", "Eldoret", "en", "mid", "Nutrition", "strategy, leadership"),
    ("KE-E05", "Samuel Kiprop", "male", "KE", "Nairobi", "en, fr", "junior", "Livelihoods", "data"),
    ("SN-E01", "Awa Sow", "female", "SN", "Kaolack", "fr", "junior", "Health", "technical, communication"),
    ("SN-E02", "Mamadou Ba", "male", "SN", "Dakar", "fr", "junior", "Education", "data, evaluation"),
    ("SN-E03", "Khady Faye", "female", "SN", "Ziguinchor", "fr", "mid", "WASH", "leadership"),
    ("SN-E04", "Cheikh Gueye", "male", "SN", "Touba", "fr, en", "junior", "Livelihoods", "technical"),
    ("CD-E01", "Grâce Mukendi", "female", "CD", "Kananga", "fr", "junior", "Protection", "evaluation, data"),
    ("CD-E02", "Jonathan Kasongo", "male", "CD", "Goma", "fr", "junior", "Health", "technical"),
    ("CD-E03", "Nadine Lukusa", "female", "CD", "Kinshasa", "fr", "junior", "Education", "communication, data"),
    ("CD-E04", "Trésor Mwamba", "male", "CD", "Mbandaka", "fr", "mid", "Nutrition", "strategy"),
    ("CD-E05", "Sarah Kalala", "female", "CD", "Bukavu", "fr", "junior", "WASH", "technical, evaluation"),
]  # fmt: skip
# Mentor for each mentee, in MENTEES order: cross-country where a language is shared.
PAIRINGS = [
    ("SN-M01", "KE-E01"), ("KE-M01", "KE-E02"), ("KE-M03", "KE-E03"), ("KE-M04", "KE-E04"),
    ("KE-M02", "KE-E05"), ("CD-M02", "SN-E01"), ("KE-M05", "SN-E02"), ("CD-M04", "SN-E03"),
    ("SN-M04", "SN-E04"), ("SN-M02", "CD-E01"), ("SN-M03", "CD-E02"), ("CD-M01", "CD-E03"),
    ("CD-M05", "CD-E04"), ("CD-M03", "CD-E05"),
]  # fmt: skip
SILENT_PAIR = "P013"  # never returns anything
STALE_PAIR = "P010"  # also sends its first-round copy again, after the second-round one
LIBREOFFICE_PAIRS = {"P003": "xlsx", "P006": "ods"}  # second-round returns re-saved by LibreOffice
GOALS = {
    "en": ["Design a results framework with SMART indicators for my project",
           "Run a data quality assessment and follow up its findings",
           "Write a clear quarterly M&E report with charts for managers"],
    "fr": ["Concevoir un cadre de résultats avec des indicateurs SMART pour mon projet",
           "Conduire une évaluation de la qualité des données et en suivre les résultats",
           "Rédiger un rapport trimestriel de S&E clair, avec graphiques, pour la direction"],
}  # fmt: skip
NOTES = {
    "en": ["Reviewed the logframe together; agreed to redraft two indicators.",
           "Walked through the data cleaning script; mentee will document changes.",
           "Discussed a difficult meeting with partners; practised presenting findings."],
    "fr": ["Revue du cadre logique ensemble ; deux indicateurs à reformuler.",
           "Parcours du script de nettoyage ; le mentoré documentera les changements.",
           "Échange sur une réunion difficile avec les partenaires ; présentation répétée."],
}  # fmt: skip


@dataclass
class DemoResult:
    """What the demo did, for the CLI to report."""

    root: Path
    build: BuildResult
    rounds: list[SyncResult] = field(default_factory=list)
    master: MasterResult | None = None
    returned_files: int = 0


def run_demo(
    root: Path, *, seed: int = 7, echo: Echo | None = None, libreoffice: bool = True
) -> DemoResult:
    """Run the whole cycle in ``root`` (which must not hold a programme yet).

    With ``libreoffice`` (and LibreOffice installed), two second-round returns are re-saved by
    LibreOffice, one as .xlsx and one as .ods, as pairs using it would send them. Their bytes
    (and so their SHA-256 on the master) differ from run to run; the ledger's values do not.
    """
    say = echo or (lambda _msg: None)
    rng = random.Random(seed)
    people = [_person(p, "mentor") for p in MENTORS] + [_person(p, "mentee") for p in MENTEES]
    create_programme(
        root,
        programme_id="demo",
        name="Regional M&E Mentoring Programme",
        cohort="2026-A",
        start_date=START,
        people=people,
        pairs=PAIRINGS,
        secret=f"demo-secret-{seed}",
        now=BUILT_AT,
    )
    folder = ProgrammeFolder(root)
    config = folder.config.read_text(encoding="utf-8")
    folder.config.write_text(
        config.replace("name: Example Organisation", "name: Example Relief and Development"),
        encoding="utf-8",
    )
    say(f"1. Created the programme folder {root} with a roster of {len(PAIRINGS)} pairs.")
    build = build_programme(root, now=BUILT_AT, as_of=START)
    sizes = sorted(w.size_bytes for w in build.workbooks)
    say(
        f"2. Built {len(build.workbooks)} pair workbooks in outbox/ "
        f"({sizes[0]:,}-{sizes[-1]:,} bytes each) and master.xlsx."
    )
    result = DemoResult(root, build)
    contract = load_contract(load_framework())
    with tempfile.TemporaryDirectory(prefix="mentorkit-demo-") as tmp:
        copies = {w.pair_id: Path(tmp) / w.path.name for w in build.workbooks}
        languages = {w.pair_id: w.language for w in build.workbooks}
        for w in build.workbooks:
            shutil.copy(w.path, copies[w.pair_id])  # what each pair receives by email
        behaviour = {pid: _Behaviour(rng) for pid in sorted(copies)}
        soffice = shutil.which("soffice") or shutil.which("libreoffice") if libreoffice else None
        if libreoffice and soffice is None:
            say(
                "   LibreOffice (soffice) is not installed: the returns re-saved by LibreOffice "
                "(.xlsx and .ods) are left out of this demo; those pairs send Excel files."
            )
        stale = Path(tmp) / "stale.xlsx"
        for n, (returned_on, months, quarters) in enumerate(ROUNDS, start=1):
            sent = 0
            resave: dict[str, list[tuple[str, Path]]] = {}
            for pid in sorted(copies):
                if pid == SILENT_PAIR:
                    continue
                lang = languages[pid]
                filler = PairWorkbookFiller(copies[pid], contract, lang)
                behaviour[pid].fill(filler, lang, months, quarters, pid)
                if n == 1 and pid == "P004":
                    filler.type_raw("sessions", "minutes", "one and a half hours", "2")
                    filler.type_raw("sessions", "mode", "WhatsApp", "3")
                saved = dt.datetime.combine(returned_on, dt.time(8, 0), tzinfo=dt.timezone.utc)
                filler.save(copies[pid], saved_at=saved - dt.timedelta(days=int(pid[1:]) % 5))
                sent += 1
                fmt = LIBREOFFICE_PAIRS.get(pid) if n == 2 and soffice else None
                if fmt:
                    resave.setdefault(fmt, []).append((_mail_name(pid, lang, n, fmt), copies[pid]))
                    continue
                shutil.copy(copies[pid], folder.inbox / _mail_name(pid, lang, n))
                if n == 1 and pid == STALE_PAIR:
                    shutil.copy(copies[pid], stale)
            if n == 1:
                # The same attachment forwarded twice, and one attachment damaged in transit.
                shutil.copy(
                    folder.inbox / _mail_name("P002", "en", 1), folder.inbox / "FW_ P002.xlsx"
                )
                damaged = (folder.inbox / _mail_name("P007", "fr", 1)).read_bytes()
                (folder.inbox / "P007 renvoi.xlsx").write_bytes(damaged[: len(damaged) // 2])
                sent += 2
            if n == 2:
                # The mentee finds the first-round attachment in their mailbox, opens it,
                # saves it and sends it again after the new one: a stale copy.
                old_copy = PairWorkbookFiller(stale, contract, languages[STALE_PAIR])
                moment = dt.datetime.combine(returned_on, dt.time(12, 0), tzinfo=dt.timezone.utc)
                old_copy.save(
                    folder.inbox / f"Fwd_ old workbook {STALE_PAIR}.xlsx", saved_at=moment
                )
                sent += 1
            notes = []
            for fmt, jobs in sorted(resave.items()):
                _libreoffice(soffice or "", fmt, jobs, folder.inbox, Path(tmp) / fmt)
                notes.append(f"   {', '.join(n for n, _ in jobs)}: re-saved by LibreOffice.")
            if n == 2:
                notes.append(f"   Fwd_ old workbook {STALE_PAIR}.xlsx: a stale copy sent again.")
            result.returned_files += sent
            moment = dt.datetime.combine(returned_on, dt.time(17, 0), tzinfo=dt.timezone.utc)
            synced = sync_programme(root, now=moment, receipts=ReceiptWriter(root))
            result.rounds.append(synced)
            say(
                f"{n + 2}. Round {n} ({returned_on.isoformat()}): {sent} files returned; "
                f"{synced.count('accepted')} accepted, {synced.count('duplicate')} duplicate, "
                f"{synced.count('quarantined')} quarantined; {synced.values_new} new values, "
                f"{synced.values_changed} changed; {len(synced.findings)} findings."
            )
            for note in notes:
                say(note)
    programme = load_programme(folder.config)
    with Ledger(folder.ledger) as ledger:
        moment = dt.datetime.combine(ROUNDS[-1][0], dt.time(17, 5), tzinfo=dt.timezone.utc)
        result.master = write_master(
            folder, ledger, programme, load_framework(), as_of=ROUNDS[-1][0], now=moment
        )
    say(f"{len(ROUNDS) + 3}. Regenerated master.xlsx from the ledger.")
    return result


def _person(row: tuple[str, ...], role: str) -> tuple[str, ...]:
    pid, name, sex, country, office, languages, level, sector, domains = row
    email = name.lower().replace(" ", ".").replace("â", "a").replace("é", "e") + "@example.org"
    return (pid, name, email, role, country, office, sector, level, languages, sex, "", domains)


def _mail_name(pair_id: str, lang: str, round_no: int, ext: str = "xlsx") -> str:
    word = "classeur" if lang == "fr" else "workbook"
    return f"Re_ {word} {pair_id} ({round_no}).{ext}"


def _libreoffice(
    soffice: str, fmt: str, jobs: list[tuple[str, Path]], inbox: Path, work: Path
) -> None:
    """Re-save files with LibreOffice (one call for all, as CI does) into ``inbox``."""
    work.mkdir(parents=True, exist_ok=True)
    sources = []
    for name, path in jobs:
        source = work / f"in-{len(sources)}.xlsx"
        shutil.copy(path, source)
        sources.append((name, source))
    profile = (work / "profile").resolve().as_uri()
    subprocess.run(
        [soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore",
         "--convert-to", fmt, "--outdir", str(work / "out"), *(str(s) for _, s in sources)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    for name, source in sources:
        converted = work / "out" / f"{source.stem}.{fmt}"
        if not converted.is_file():  # LibreOffice can skip a file without a word
            raise ToolkitError(f"LibreOffice did not convert {name}; please run the demo again.")
        shutil.copy(converted, inbox / name)


class _Behaviour:
    """How one pair fills its workbook: engagement, ratings, satisfaction; fixed per seed."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.engagement = rng.choice([0.6, 0.8, 0.9, 1.0, 1.0])
        self.signs = rng.random() < 0.85
        self.mode = rng.choice(["video", "video", "in_person", "phone"])
        self.baseline = {}
        self.filled_months = 0
        self.filled_quarters = 0

    def fill(
        self, f: PairWorkbookFiller, lang: str, months: int, quarters: int, pair_id: str
    ) -> None:
        rng = self.rng
        f.set("start", "returned_by", "mentee")
        if self.filled_months == 0:
            goals = GOALS[lang]
            f.set("agreement", "goal_1", goals[rng.randrange(3)])
            f.set("agreement", "goal_2", goals[rng.randrange(3)])
            f.set("agreement", "meeting_mode", self.mode)
            f.set("agreement", "confidentiality", "yes")
            f.set("agreement", "no_fault_exit", "yes")
            if self.signs:
                signed = START + dt.timedelta(days=rng.randrange(8, 30))
                f.set("agreement", "mentor_signature", "Mentor " + pair_id)
                f.set("agreement", "mentor_signed_on", signed)
                f.set("agreement", "mentee_signature", "Mentee " + pair_id)
                f.set("agreement", "mentee_signed_on", signed)
        for month in range(self.filled_months + 1, months + 1):
            if month > 1 and rng.random() > self.engagement:
                continue
            day = dt.date(START.year, START.month + month - 1, rng.randrange(5, 26))
            key = str(month)
            f.set("sessions", "session_date", day, key)
            f.set("sessions", "minutes", rng.choice([60, 75, 90, 90, 90, 100]), key)
            f.set("sessions", "mode", self.mode, key)
            f.set("sessions", "attendance", "both", key)
            f.set("sessions", "discussed", NOTES[lang][rng.randrange(3)], key)
        self.filled_months = months
        milestones = f.row_keys("competencies")
        for q in range(self.filled_quarters + 1, quarters + 1):
            for code in milestones:
                if q == 1:
                    self.baseline[code] = rng.choice([1, 1, 2, 2, 3])
                    f.set("competencies", "baseline", str(self.baseline[code]), code)
                gain = sum(rng.random() < 0.45 for _ in range(q))
                rating = min(4, self.baseline[code] + gain)
                f.set("competencies", f"q{q}", str(rating), code)
            quarter = f"Q{q}"
            f.set("reflection", "mentee_progress", NOTES[lang][rng.randrange(3)], quarter)
            f.set(
                "reflection",
                "goals_status",
                rng.choice(["on_track", "on_track", "behind"]),
                quarter,
            )
            f.set("reflection", "mentee_satisfaction", str(rng.choice([3, 4, 4, 5, 5])), quarter)
            f.set("reflection", "support_needed", "no", quarter)
            if rng.random() < 0.8:
                f.set("reflection", "mentor_observations", NOTES[lang][rng.randrange(3)], quarter)
                f.set("reflection", "mentor_satisfaction", str(rng.choice([3, 4, 5])), quarter)
        self.filled_quarters = quarters
