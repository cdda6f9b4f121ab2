"""``mentorkit demo``: a whole year of the coordinator's cycle on an example cohort,
deterministically.

It creates a programme folder, writes a roster of 14 pairs in Kenya, Senegal and the DR Congo
(English and French speakers), builds the pair workbooks, and then plays four return rounds,
one after each quarter, the way people would: each pair fills *its own copy* with openpyxl
(sessions with what was discussed and the actions agreed, ratings with evidence, the
mentee's and the mentor's reflections, in the pair's language) and emails it back (a file in
``inbox/``). Each round is synced into the ledger as it arrives, with receipts, and the
master workbook is regenerated at the end.

Along the way one file is sent twice, one arrives damaged, one has a value typed past a
dropdown and a duration typed as words (corrected the next round), one pair sends a stale
copy, two pairs use LibreOffice (one saving as .ods), and one pair never returns anything.
For the indicators and the follow-up list, the year also holds: an agreement never signed, a
mentee dissatisfied in one quarter, a mentee asking for support, a pair that stops logging
sessions after month 7, a quarter 3 return 27 days late, a missed quarter 4 return, sessions
postponed or with a partner absent, and the mentors' answers on the sprint deliverables
(mostly yes). These situations are planted by pair code (the constants below); everything
else is drawn from the seed, so the same seed gives the same ledger.
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

from builders.anonymous import write_anonymous
from builders.master import MasterResult, write_master
from builders.programme import BuildResult, build_programme, create_programme
from builders.receipt import ReceiptWriter
from builders.review import write_review
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
    # (return date, months of sessions filled, quarters of ratings and reflections filled):
    # after each quarter, within programme.yaml's return deadline (14 days by default)
    (dt.date(2026, 4, 10), 3, 1),
    (dt.date(2026, 7, 10), 6, 2),
    (dt.date(2026, 10, 9), 9, 3),
    (dt.date(2027, 1, 11), 12, 4),
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
# What the follow-up list and the indicators should find in the simulated year:
UNSIGNED_PAIR = "P011"  # never signs its agreement
LOW_SATISFACTION = ("P005", "Q2")  # the mentee rates the quarter 2 (dissatisfied)
SUPPORT_REQUEST = ("P008", "Q3")  # the mentee asks the coordinator for support
LAPSED_PAIR, LAST_SESSION_MONTH = "P009", 7  # no session logged after July
LATE_PAIR, LATE_ON = "P012", dt.date(2026, 10, 27)  # its quarter 3 return, 27 days late
MISSING_Q4_PAIR = "P014"  # returns quarters 1 to 3, never the last one
ATTENDANCE = {  # sessions that did not happen as planned (others are drawn from the seed)
    ("P004", 5): "postponed", ("P007", 4): "mentee_absent", ("P002", 8): "mentor_absent",
    ("P012", 10): "postponed",
}  # fmt: skip
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
           "Discussed a difficult meeting with partners; practised presenting findings.",
           "Recounted last quarter's ANC visits from the registers; found a 12% over-report.",
           "Tested the new Kobo form on a phone; fixed two skip rules that hid questions.",
           "Went through the draft quarterly report; cut it to four key findings."],
    "fr": ["Revue du cadre logique ensemble ; deux indicateurs à reformuler.",
           "Parcours du script de nettoyage ; le mentoré documentera les changements.",
           "Échange sur une réunion difficile avec les partenaires ; présentation répétée.",
           "Recomptage des visites du trimestre dans les registres : 12 % de surdéclaration.",
           "Test du formulaire Kobo sur téléphone ; deux règles de saut corrigées.",
           "Relecture du projet de rapport trimestriel, ramené à quatre constats clés."],
}  # fmt: skip
ACTIONS = {
    "en": ["Send the revised indicator sheets to the mentor by Friday.",
           "Share the cleaning log with the project team before the next session.",
           "Draft one chart per finding and bring them to the next session.",
           "Agree the verification factor with the health facility in-charge."],
    "fr": ["Envoyer les fiches d'indicateurs révisées au mentor d'ici vendredi.",
           "Partager le journal de nettoyage avec l'équipe avant la prochaine séance.",
           "Préparer un graphique par constat pour la prochaine séance.",
           "Valider le facteur de vérification avec le responsable du centre de santé."],
}  # fmt: skip
MEETING_TIMES = {  # the agreement's usual day and time, and the day of the month it falls on
    "en": [("Second Tuesday of the month, 14:00 Nairobi time", 10),
           ("Third Thursday of the month, 10:00", 17),
           ("The first Monday after the 10th, 15:00", 12)],
    "fr": [("Le deuxième mardi du mois, 14 h heure de Dakar", 10),
           ("Le troisième jeudi du mois, 10 h", 17),
           ("Le premier lundi après le 10, 15 h", 12)],
}  # fmt: skip
MISSED = {  # what the session log says when a session did not happen as planned
    "postponed": {"en": "Postponed: the mentee was on a field mission; moved to next week.",
                  "fr": "Reportée : le mentoré était en mission terrain ; décalée d'une semaine."},
    "mentee_absent": {"en": "The mentee could not join (network down in the sub-office).",
                      "fr": "Le mentoré n'a pas pu se connecter (réseau coupé au sous-bureau)."},
    "mentor_absent": {"en": "The mentor was called to an emergency response meeting.",
                      "fr": "Le mentor a été appelé à une réunion de réponse d'urgence."},
}  # fmt: skip
PROGRESS = {
    "en": ["Two of my indicators now have baselines and targets agreed with the manager.",
           "I led the data quality check at two sites and shared the findings.",
           "My quarterly report was accepted without changes for the first time.",
           "I am behind on my second goal: the field work took most of the quarter."],
    "fr": ["Deux de mes indicateurs ont maintenant une valeur de référence et une cible validées.",
           "J'ai conduit la vérification de la qualité des données sur deux sites.",
           "Mon rapport trimestriel a été accepté sans modification pour la première fois.",
           "Je suis en retard sur mon deuxième objectif : le terrain a pris tout le trimestre."],
}  # fmt: skip
OBSERVATIONS = {
    "en": ["Clear progress on indicator design; next quarter, focus on data use with managers.",
           "Confident with the data tools now; still needs to write findings more briefly.",
           "Good preparation for every session; let us practise presenting to donors next."],
    "fr": ["Net progrès sur la conception des indicateurs ; prochain trimestre : l'usage des données.",
           "À l'aise avec les outils de données ; doit encore rédiger des constats plus courts.",
           "Séances bien préparées ; travaillons maintenant la présentation aux bailleurs."],
}  # fmt: skip
STRUGGLES = {  # the mentor's observations in a quarter that went badly
    "en": ["Two sessions were postponed and the workload left no time to practise; we agreed a "
           "smaller goal."],
    "fr": ["Deux séances reportées et la charge de travail n'a laissé aucun temps pour "
           "pratiquer ; nous avons fixé un objectif plus modeste."],
}  # fmt: skip
EVIDENCE = {  # a milestone rated 3 or 4: what shows it
    "en": ["Indicator reference sheets for the nutrition project, approved by the manager.",
           "DQA report for two health facilities, with the recount and verification factor.",
           "Quarterly M&E report, pages 3-5: charts and findings written by the mentee.",
           "Kobo form deployed in three districts; the mentee trained six enumerators.",
           "Email from the programme manager thanking the mentee for the learning brief."],
    "fr": ["Fiches de référence des indicateurs du projet nutrition, validées par le chef de projet.",
           "Rapport d'évaluation de la qualité des données de deux centres de santé.",
           "Rapport trimestriel de S&E, pages 3 à 5 : graphiques et constats du mentoré.",
           "Formulaire Kobo déployé dans trois zones ; le mentoré a formé six enquêteurs.",
           "Courriel du chef de programme remerciant le mentoré pour la note d'apprentissage."],
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
            late: Path | None = None
            for pid in sorted(copies):
                if pid == SILENT_PAIR or (n == len(ROUNDS) and pid == MISSING_Q4_PAIR):
                    continue
                lang = languages[pid]
                filler = PairWorkbookFiller(copies[pid], contract, lang)
                behaviour[pid].fill(filler, lang, months, quarters, pid)
                if n == 1 and pid == "P004":
                    filler.type_raw("sessions", "minutes", "one and a half hours", "2")
                    filler.type_raw("sessions", "mode", "WhatsApp", "3")
                elif n == 2 and pid == "P004":  # as its round 1 receipt asked
                    filler.set("sessions", "minutes", 90, "2")
                    filler.set("sessions", "mode", "phone", "3")
                saved = dt.datetime.combine(returned_on, dt.time(8, 0), tzinfo=dt.timezone.utc)
                if n == 3 and pid == LATE_PAIR:
                    saved = dt.datetime.combine(LATE_ON, dt.time(8, 0), tzinfo=dt.timezone.utc)
                    filler.save(copies[pid], saved_at=saved)
                    late = copies[pid]
                    continue
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
            if n == len(ROUNDS):
                notes.append(f"   {MISSING_Q4_PAIR} sent no quarter 4 return.")
            result.returned_files += sent
            synced = _sync(root, returned_on, result)
            say(
                f"{n + 2}. Round {n} ({returned_on.isoformat()}): {sent} files returned; "
                f"{_counts(synced)}"
            )
            for note in notes:
                say(note)
            if late is not None:
                name = _mail_name(LATE_PAIR, languages[LATE_PAIR], n)
                shutil.copy(late, folder.inbox / name)
                result.returned_files += 1
                synced = _sync(root, LATE_ON, result)
                say(f"   {name} arrived late, on {LATE_ON.isoformat()}: {_counts(synced)}")
    programme = load_programme(folder.config)
    last = ROUNDS[-1][0]
    moment = dt.datetime.combine(last, dt.time(17, 5), tzinfo=dt.timezone.utc)
    with Ledger(folder.ledger) as ledger:
        result.master = write_master(
            folder, ledger, programme, load_framework(), as_of=last, now=moment
        )
        write_anonymous(folder, ledger, programme, load_framework(), as_of=last, now=moment)
    review = write_review(root, as_of=last, now=moment)
    say(
        f"{len(ROUNDS) + 3}. Regenerated master.xlsx from the ledger, with figures as of "
        f"{last.isoformat()}, and wrote master-anonymous.xlsx and {review.path.name}."
    )
    return result


def where_to_look(root: Path) -> str:
    """The demo's last words: where each part of the result is, and what the year holds."""
    q, late = LOW_SATISFACTION[1], LATE_ON.isoformat()
    return (
        "\nWhere to look:\n"
        f"  {root / 'outbox'}      the pair workbooks as issued (open one in a spreadsheet)\n"
        f"  {root / 'archive'}     every accepted return, byte for byte\n"
        f"  {root / 'quarantine'}  the damaged return and its .reason.txt\n"
        f"  {root / 'outbox' / 'receipts'}  a receipt for every file, to email back\n"
        f"  {root / 'master.xlsx'}  Dashboard (charts), Tracking table, Disaggregation,\n"
        "      Follow-up, Pairs, Submissions, Data quality, Conflicts, and the framework:\n"
        "      Overview, Competency milestones, Session plan & sprints, Matching guidelines,\n"
        "      Governance, Indicator reference sheets\n"
        f"  {root / 'master-anonymous.xlsx'}  the same figures for managers and donors: no\n"
        "      names, no free text, figures about fewer than 3 people suppressed\n"
        f"  {root / 'review-2026.xlsx'}  the annual review for the steering group: indicators\n"
        "      against targets, what worked and what did not, recommendations to decide\n"
        "  each pair workbook's Guide sheet: the session plan, sprints, escalation and exit\n"
        "What the simulated year holds for the indicators and the follow-up list:\n"
        f"  {UNSIGNED_PAIR} never signs its agreement; {LOW_SATISFACTION[0]}'s mentee rates "
        f"{q} 2 (dissatisfied);\n"
        f"  {SUPPORT_REQUEST[0]}'s mentee asks for support in {SUPPORT_REQUEST[1]}; "
        f"{LAPSED_PAIR} logs no session after month {LAST_SESSION_MONTH};\n"
        f"  {LATE_PAIR} returns its Q3 workbook late ({late}); {MISSING_Q4_PAIR} misses the Q4 "
        "return;\n"
        f"  {SILENT_PAIR} never returns anything; some sessions are postponed or have a partner "
        "absent;\n"
        "  the mentors say whether each sprint deliverable was done; evidence is typed for some\n"
        "  milestones rated 3 or 4.\n"
        f"Try: mentorkit sync {root}   (nothing new: the ledger does not change)\n"
        f"     mentorkit report {root} --as-of {ROUNDS[-1][0].isoformat()}   (the figures "
        "as of the demo's last return; without --as-of, as of today)"
    )


def _sync(root: Path, day: dt.date, result: DemoResult) -> SyncResult:
    """Sync the inbox at 17:00 on ``day``, writing the receipts."""
    moment = dt.datetime.combine(day, dt.time(17, 0), tzinfo=dt.timezone.utc)
    synced = sync_programme(root, now=moment, receipts=ReceiptWriter(root))
    result.rounds.append(synced)
    return synced


def _counts(synced: SyncResult) -> str:
    return (
        f"{synced.count('accepted')} accepted, {synced.count('duplicate')} duplicate, "
        f"{synced.count('quarantined')} quarantined; {synced.values_new} new values, "
        f"{synced.values_changed} changed; {len(synced.findings)} findings."
    )


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
    """How one pair fills its workbook: engagement, ratings, satisfaction; fixed per seed.

    The situations listed at the top of this module (unsigned agreement, low satisfaction, a
    support request, sessions that stop, sessions that did not happen) are planted by pair
    code, so every seed shows them; everything else is drawn from the seed."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.engagement = rng.choice([0.85, 0.9, 1.0, 1.0, 1.0])
        self.mode = rng.choice(["video", "video", "in_person", "phone"])
        self.usual = rng.randrange(len(MEETING_TIMES["en"]))  # their usual day of the month
        self.baseline: dict[str, int] = {}
        self.evidenced: set[str] = set()
        self.filled_months = 0
        self.filled_quarters = 0

    def fill(
        self, f: PairWorkbookFiller, lang: str, months: int, quarters: int, pair_id: str
    ) -> None:
        """Type what the pair has done up to ``months`` months and ``quarters`` quarters."""
        f.set("start", "returned_by", "mentee")
        if self.filled_months == 0:
            self._agreement(f, lang, pair_id)
        for month in range(self.filled_months + 1, months + 1):
            self._session(f, lang, month, pair_id)
        self.filled_months = months
        for q in range(self.filled_quarters + 1, quarters + 1):
            self._ratings(f, lang, q)
            self._reflection(f, lang, f"Q{q}", pair_id)
        self.filled_quarters = quarters

    def _agreement(self, f: PairWorkbookFiller, lang: str, pair_id: str) -> None:
        rng = self.rng
        goals = GOALS[lang]
        f.set("agreement", "goal_1", goals[rng.randrange(3)])
        f.set("agreement", "goal_2", goals[rng.randrange(3)])
        f.set("agreement", "meeting_mode", self.mode)
        f.set("agreement", "meeting_time", MEETING_TIMES[lang][self.usual][0])
        f.set("agreement", "confidentiality", "yes")
        f.set("agreement", "no_fault_exit", "yes")
        signed = START + dt.timedelta(days=rng.randrange(8, 30))
        if pair_id != UNSIGNED_PAIR:
            f.set("agreement", "mentor_signature", "Mentor " + pair_id)
            f.set("agreement", "mentor_signed_on", signed)
            f.set("agreement", "mentee_signature", "Mentee " + pair_id)
            f.set("agreement", "mentee_signed_on", signed)

    def _session(self, f: PairWorkbookFiller, lang: str, month: int, pair_id: str) -> None:
        rng = self.rng
        skipped = month > 1 and rng.random() > self.engagement
        usual_day = MEETING_TIMES["en"][self.usual][1]
        day = dt.date(START.year, START.month + month - 1, usual_day + rng.randrange(-3, 4))
        draw = rng.random()
        if skipped or (pair_id == LAPSED_PAIR and month > LAST_SESSION_MONTH):
            return
        attendance = ATTENDANCE.get((pair_id, month)) or (
            "postponed" if draw < 0.03 else "mentee_absent" if draw < 0.05 else "both"
        )
        key = str(month)
        f.set("sessions", "session_date", day, key)
        f.set("sessions", "mode", self.mode, key)
        f.set("sessions", "attendance", attendance, key)
        if attendance != "both":
            f.set("sessions", "discussed", MISSED[attendance][lang], key)
            return
        f.set("sessions", "minutes", rng.choice([60, 75, 90, 90, 90, 100]), key)
        f.set("sessions", "discussed", rng.choice(NOTES[lang]), key)
        f.set("sessions", "actions", rng.choice(ACTIONS[lang]), key)

    def _ratings(self, f: PairWorkbookFiller, lang: str, q: int) -> None:
        rng = self.rng
        for code in f.row_keys("competencies"):
            if q == 1:
                self.baseline[code] = rng.choice([1, 1, 2, 2, 3])
                f.set("competencies", "baseline", str(self.baseline[code]), code)
            gain = sum(rng.random() < 0.45 for _ in range(q))
            rating = min(4, self.baseline[code] + gain)
            f.set("competencies", f"q{q}", str(rating), code)
            if rating >= 3 and code not in self.evidenced and rng.random() < 0.2:
                f.set("competencies", "evidence", rng.choice(EVIDENCE[lang]), code)
                self.evidenced.add(code)

    def _reflection(self, f: PairWorkbookFiller, lang: str, quarter: str, pair_id: str) -> None:
        rng = self.rng
        unhappy = (pair_id, quarter) == LOW_SATISFACTION
        status = "behind" if unhappy else rng.choice(["on_track", "on_track", "behind"])
        # What the mentee writes matches how the quarter went (the last text is a struggle).
        progress = PROGRESS[lang][-1] if status == "behind" else rng.choice(PROGRESS[lang][:-1])
        f.set("reflection", "mentee_progress", progress, quarter)
        f.set("reflection", "goals_status", status, quarter)
        satisfaction = 2 if unhappy else rng.choice([3, 4, 4, 5, 5])
        f.set("reflection", "mentee_satisfaction", str(satisfaction), quarter)
        asks = (pair_id, quarter) == SUPPORT_REQUEST
        f.set("reflection", "support_needed", "yes" if asks else "no", quarter)
        if rng.random() < 0.85:  # the mentor's part: sometimes left for later
            seen = STRUGGLES if unhappy or status == "behind" else OBSERVATIONS
            f.set("reflection", "mentor_observations", rng.choice(seen[lang]), quarter)
            done = "yes" if rng.random() < 0.85 else "no"
            f.set("reflection", "sprint_deliverable", done, quarter)
            f.set("reflection", "mentor_satisfaction", str(rng.choice([3, 4, 5])), quarter)
