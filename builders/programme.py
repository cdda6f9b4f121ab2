"""Creating a programme folder and issuing pair workbooks into its outbox.

:func:`create_programme` is ``mentorkit init``; :func:`build_programme` is ``mentorkit build``:
it reads programme.yaml and the roster, records people and pairs in the ledger, renders one
workbook per pair that has none yet (or a new revision of every active pair with ``refresh``,
carrying everything merged so far), and regenerates the master workbook.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from builders.master import MasterResult, write_master
from builders.pair import PairContext
from builders.pair_shapes import PairRenderer
from builders.roster import EXAMPLE_PAIRS, EXAMPLE_PEOPLE, render_roster_template
from builders.xlsx import write_atomic
from toolkit import __version__
from toolkit.contract import load_contract
from toolkit.encryption import encrypt_for_pair
from toolkit.errors import ConfigError, ProgrammeFolderError
from toolkit.framework import cycle_findings, framework_for
from toolkit.identity import PairIdentity
from toolkit.ledger import Ledger, MatchingStore, PairRecord, now_iso
from toolkit.matching import confirmed_pairs
from toolkit.messages import Finding, finding
from toolkit.programme import (
    Programme,
    ProgrammeFolder,
    check_identity,
    load_programme,
    programme_template,
)
from toolkit.roster import Person, read_roster

Progress = Callable[[int, int, str], None]
CELL_TEXT_MAX = 32_767
"""A progress callback: (done, total, what)."""


@dataclass(frozen=True)
class InitResult:
    """What ``mentorkit init`` created."""

    folder: Path
    created: list[Path]


@dataclass(frozen=True)
class BuiltWorkbook:
    """One pair workbook written to the outbox."""

    pair_id: str
    revision: int
    language: str
    path: Path
    size_bytes: int


@dataclass
class BuildResult:
    """What ``mentorkit build`` did."""

    workbooks: list[BuiltWorkbook] = field(default_factory=list)
    new_pairs: int = 0
    unchanged_pairs: int = 0
    findings: list[Finding] = field(default_factory=list)
    master: MasterResult | None = None


def create_programme(
    root: Path,
    *,
    programme_id: str = "mentoring",
    name: str = "M&E Mentoring Programme",
    cohort: str = "2026-A",
    start_date: dt.date | None = None,
    people: Sequence[Sequence[str]] = EXAMPLE_PEOPLE,
    pairs: Sequence[Sequence[str]] = EXAMPLE_PAIRS,
    secret: str | None = None,
    now: dt.datetime | None = None,
) -> InitResult:
    """Create a programme folder; refuse to touch one that already holds a programme."""
    check_identity(programme_id, name, cohort)
    folder = ProgrammeFolder(root)
    existing = [p for p in (folder.config, folder.roster, folder.ledger) if p.exists()]
    if existing:
        raise ProgrammeFolderError(
            f"{root} already holds a programme ({', '.join(p.name for p in existing)}); "
            "nothing was changed. Please choose a new folder name."
        )
    moment = now or dt.datetime.now(dt.timezone.utc)
    start = start_date or dt.date(moment.year, moment.month, 1)
    root.mkdir(parents=True, exist_ok=True)
    for sub in folder.folders():
        sub.mkdir(exist_ok=True)
    folder.config.write_text(
        programme_template(programme_id=programme_id, name=name, cohort=cohort, start_date=start),
        encoding="utf-8",
    )
    write_atomic(folder.roster, render_roster_template(moment, people=people, pairs=pairs))
    with Ledger(folder.ledger, create=True) as ledger:
        ledger.init_programme(
            programme_id, cohort, secret or secrets.token_hex(32), now_iso(moment)
        )
    return InitResult(root, [folder.config, folder.roster, folder.ledger, *folder.folders()])


def build_programme(
    root: Path,
    *,
    refresh: bool = False,
    encrypt: bool | None = None,
    now: dt.datetime | None = None,
    as_of: dt.date | None = None,
    progress: Progress | None = None,
) -> BuildResult:
    """Issue pair workbooks into the outbox and regenerate the master workbook.

    With ``encrypt`` (default: programme.yaml's ``confidentiality.encrypt_workbooks``), each
    workbook is encrypted with its pair's password, kept in the ledger (toolkit.encryption).
    """
    folder = ProgrammeFolder(root)
    folder.require()
    programme = load_programme(folder.config)
    framework = framework_for(root, programme)
    contract = load_contract(framework)
    roster = read_roster(folder.roster, framework)
    moment = now or dt.datetime.now(dt.timezone.utc)
    stamp = now_iso(moment)
    result = BuildResult(findings=cycle_findings(programme, framework) + roster.warnings)
    folder.outbox.mkdir(exist_ok=True)
    with Ledger(folder.ledger) as ledger:
        record = ledger.programme()
        _check_same_programme(programme, record.programme_id, record.cohort_id)
        with ledger.transaction():
            ledger.save_people(roster.people.values(), stamp)
            todo: list[PairRecord] = []
            # Pairs typed in the roster, then those confirmed from matches.xlsx.
            confirmed, problems = confirmed_pairs(MatchingStore(ledger).confirmations(), roster)
            result.findings += problems
            for typed in [*roster.pairs, *confirmed]:
                mentee = roster.people[typed.mentee_id]
                mentor = roster.people[typed.mentor_id]
                language, problem = _workbook_language(mentee, mentor, programme)
                if problem:
                    result.findings.append(problem)
                pair, created = ledger.ensure_pair(
                    typed.mentor_id, typed.mentee_id, language, mentee.level, stamp
                )
                result.new_pairs += created
                if pair.status == "active" and (
                    refresh or ledger.latest_revision(pair.pair_id) == 0
                ):
                    todo.append(pair)
                else:
                    result.unchanged_pairs += 1
            current = ledger.current_values() if refresh else {}
            fingerprint = contract.fingerprint  # a hash of the whole contract: once
            contexts = [
                PairContext(
                    identity=PairIdentity(
                        programme_id=record.programme_id,
                        cohort_id=record.cohort_id,
                        pair_id=pair.pair_id,
                        mentor_id=pair.mentor_id,
                        mentee_id=pair.mentee_id,
                        revision=ledger.latest_revision(pair.pair_id) + 1,
                        issued_at=stamp,
                        contract_version=contract.version,
                        contract_fingerprint=fingerprint,
                        toolkit_version=__version__,
                        language=pair.language,
                    ),
                    programme_name=programme.programme.name,
                    mentor_name=roster.people[pair.mentor_id].name,
                    mentee_name=roster.people[pair.mentee_id].name,
                    coordinator=f"{programme.coordinator.name} <{programme.coordinator.email}>",
                    level=pair.level,
                    months=programme.cycle.months,
                    # A cell holds at most 32,767 characters; what the workbook shows is what
                    # its revision records, so an untouched return changes nothing.
                    values={
                        k: v[:CELL_TEXT_MAX]
                        for k, v in current.get(pair.pair_id, {}).items()
                        if v != ""
                    },
                )
                for pair in todo
            ]
            with PairRenderer(contract, framework, record.secret) as renderer:
                rendered = renderer.render_all(contexts)
                for i, (ctx, data) in enumerate(zip(contexts, rendered, strict=True), start=1):
                    pair_id, revision = ctx.identity.pair_id, ctx.identity.revision
                    if programme.confidentiality.encrypt_workbooks if encrypt is None else encrypt:
                        data = encrypt_for_pair(ledger, pair_id, programme, data, stamp)
                    path = folder.outbox / pair_file_name(record.programme_id, pair_id, revision)
                    write_atomic(path, data)
                    ledger.record_revision(
                        pair_id, revision, stamp, path.name, ctx.language, fingerprint,
                        ctx.values,
                    )  # fmt: skip
                    result.workbooks.append(
                        BuiltWorkbook(pair_id, revision, ctx.language, path, len(data))
                    )
                    if progress:
                        progress(i, len(todo), pair_id)
        result.master = write_master(folder, ledger, programme, framework, as_of=as_of, now=moment)
    return result


def pair_file_name(programme_id: str, pair_id: str, revision: int) -> str:
    """The outbox file name: programme, pair code and revision, e.g. ``acme_P007_r2.xlsx``."""
    return f"{programme_id}_{pair_id}_r{revision}.xlsx"


def _workbook_language(
    mentee: Person, mentor: Person, programme: Programme
) -> tuple[str, Finding | None]:
    """The pair's workbook language: the first of the mentee's languages (in their order)
    that the mentor also speaks and the programme lists; else the mentee's first the
    programme lists; else ``default_language``, with a warning (ROS012)."""
    listed = [lang for lang in mentee.languages if lang in programme.languages]
    shared = [lang for lang in listed if lang in mentor.languages]
    if shared or listed:
        return (shared or listed)[0], None
    fallback = programme.default_language
    problem = finding(
        "ROS012", file="roster.xlsx", sheet="People", row=mentee.row, column="languages",
        value=", ".join(mentee.languages), fallback=fallback,
    )  # fmt: skip
    return fallback, problem


def _check_same_programme(programme: Programme, programme_id: str, cohort_id: str) -> None:
    if (programme.programme.id, programme.programme.cohort) != (programme_id, cohort_id):
        f = finding(
            "CFG002", file="programme.yaml", location="programme.id / programme.cohort",
            detail=f"the ledger was created for {programme_id} / {cohort_id}; the id and cohort "
            "are fixed by 'mentorkit init' (they are signed into every workbook)",
            value=f"{programme.programme.id} / {programme.programme.cohort}",
        )  # fmt: skip
        raise ConfigError(f.render(), [f])
