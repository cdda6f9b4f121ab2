"""The roster workbook: who is in the programme, what matching needs to know about them, and
the pairs typed by hand (programmes that pair people themselves).

The roster's columns are declared once in :data:`PEOPLE_COLUMNS` and :data:`PAIR_COLUMNS`; the
roster template builder renders them and :func:`read_roster` reads them, reporting every problem
with its sheet, Excel row, column header and value.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol

from xlsxwriter.utility import xl_rowcol_to_cell

from toolkit.countries import is_country_code
from toolkit.errors import ConfigError
from toolkit.filesafety import inspect_workbook, read_isolated
from toolkit.framework import Framework
from toolkit.messages import Finding, finding
from toolkit.programme import EMAIL_PATTERN
from toolkit.text import LANGUAGE_NAMES, LANGUAGES, and_list, normalise

PEOPLE_SHEET = "People"
PAIRS_SHEET = "Pairs"
HEADER_ROW = 1
"""Excel row of the column headers on both sheets; data start on the next row."""

ROLES = ("mentor", "mentee")
LEVELS = ("junior", "mid", "senior")
SEXES = ("female", "male", "other", "undisclosed")
YES_NO = ("yes", "no")
MAX_PREFERENCES = 3


@dataclass(frozen=True)
class RosterColumn:
    """One roster column: header, whether required, fixed choices, and help for the template."""

    name: str
    help: str
    required: bool = False
    choices: tuple[str, ...] = ()
    width: int = 14


PEOPLE_COLUMNS: tuple[RosterColumn, ...] = (
    RosterColumn("person_id", "A short unique id, e.g. KE-014. Never reuse one.", True),
    RosterColumn("name", "Full name as it should appear in the workbooks.", True, width=24),
    RosterColumn("email", "Work email address.", True, width=28),
    RosterColumn("role", "mentor or mentee.", True, ROLES),
    RosterColumn("country", "Two-letter ISO country code of the duty station, e.g. KE, SN.", True),
    RosterColumn("office", "Country or regional office.", width=16),
    RosterColumn("sector", "Sector or programme area, e.g. Health, WASH, Education.", width=16),
    RosterColumn("level", "junior, mid or senior.", True, LEVELS),
    RosterColumn(
        "languages",
        "Working languages as codes, preferred first, separated by commas: en, fr, es, pt.",
        True,
    ),
    RosterColumn("sex", "female, male, other or undisclosed.", False, SEXES),
    RosterColumn("line_manager_id", "person_id of the line manager, if in the roster."),
    RosterColumn(
        "domains",
        "Mentors: domains of strength. Mentees: domains to grow. Codes separated by commas: "
        "technical, evaluation, data, communication, strategy, leadership.",
        width=30,
    ),
    RosterColumn(
        "preferred_mentors",
        "Mentees only: up to three person_ids of mentors they would like, the most preferred "
        "first, separated by commas. Optional.",
        width=22,
    ),
    RosterColumn(
        "capacity",
        "Mentors only: how many mentees they can take at most (a whole number). Empty: the "
        "programme's default (matching: default_capacity in programme.yaml).",
        width=10,
    ),
    RosterColumn(
        "same_sex_preference",
        "Mentees only: yes if they want a mentor of their own sex; no or empty otherwise.",
        False,
        YES_NO,
        width=12,
    ),
)

PAIR_COLUMNS: tuple[RosterColumn, ...] = (
    RosterColumn("mentor_id", "person_id of the mentor (role mentor).", True),
    RosterColumn("mentee_id", "person_id of the mentee (role mentee).", True),
)


@dataclass(frozen=True)
class Person:
    """One person of the roster."""

    person_id: str
    name: str
    email: str
    role: str
    country: str
    office: str
    sector: str
    level: str
    languages: tuple[str, ...]
    sex: str
    line_manager_id: str
    domains: tuple[str, ...]
    row: int = 0
    preferred_mentors: tuple[str, ...] = ()
    """Mentees: mentor ids they would like, most preferred first (at most three)."""
    capacity: int | None = None
    """Mentors: how many mentees at most; None means the programme's default."""
    same_sex_preference: bool = False
    """Mentees: True when they asked for a mentor of their own sex."""

    @property
    def language(self) -> str:
        """The preferred workbook language (first listed)."""
        return self.languages[0]


@dataclass(frozen=True)
class PairRow:
    """A pair typed in the Pairs sheet."""

    mentor_id: str
    mentee_id: str
    row: int


@dataclass(frozen=True)
class Listed:
    """What a People row says about who is who, kept even when the row has other problems, so
    that references to and from it are checked in the same run."""

    person_id: str
    role: str
    """The role when it is one of :data:`ROLES`, else ''."""
    row: int
    line_manager_id: str = ""
    preferred_mentors: tuple[str, ...] = ()


@dataclass
class Roster:
    """The people and typed pairs of a roster, in file order."""

    people: dict[str, Person] = field(default_factory=dict)
    pairs: list[PairRow] = field(default_factory=list)
    warnings: list[Finding] = field(default_factory=list)
    """What the coordinator may know better, e.g. a typed pair with no shared language."""


_LANGUAGE_ALIASES = (
    {normalise(code): code for code in LANGUAGES}
    | {normalise(name): code for code, name in LANGUAGE_NAMES.items()}
    | {"french": "fr", "spanish": "es", "portuguese": "pt", "anglais": "en", "ingles": "en"}
)
_SPLIT = re.compile(r"[,;/]+")


def read_roster(path: Path, framework: Framework) -> Roster:
    """Read and validate the roster; raise :class:`ConfigError` listing every problem."""
    sheets, findings = _read_sheets(path)
    roster = Roster()
    positions: dict[str, dict[str, int]] = {}
    if sheets is not None:
        people_rows = _sheet_rows(sheets, PEOPLE_SHEET, PEOPLE_COLUMNS, path.name, findings,
                                  positions)  # fmt: skip
        pair_rows = _sheet_rows(sheets, PAIRS_SHEET, PAIR_COLUMNS, path.name, findings, positions)
        listed, ambiguous = _people(people_rows, roster, framework, path.name, findings)
        _pairs(pair_rows, roster, listed, ambiguous, path.name, findings)
    findings = [_with_cell(f, positions) for f in findings]
    roster.warnings = [_with_cell(f, positions) for f in roster.warnings]
    if findings:
        lines = "\n".join(f.render() for f in findings)
        raise ConfigError(f"{path} has {len(findings)} problem(s):\n{lines}", findings)
    return roster


def _read_sheets(path: Path) -> tuple[dict[str, list[list[Any]]] | None, list[Finding]]:
    if not path.is_file():
        return None, [finding("ROS021", file=path.name, location=str(path))]
    inspection = inspect_workbook(path)
    if not inspection.safe:
        return None, inspection.findings
    try:
        sheets = {title: rows for title, _, rows in read_isolated(path)}
    except Exception as exc:  # calamine raises several unrelated types for unreadable files
        return None, [finding("ROS010", file=path.name, detail=f"{type(exc).__name__}: {exc}")]
    return sheets, []


def _sheet_rows(
    sheets: dict[str, list[list[Any]]],
    title: str,
    columns: tuple[RosterColumn, ...],
    file: str,
    findings: list[Finding],
    positions_by_sheet: dict[str, dict[str, int]],
) -> list[tuple[int, dict[str, str]]]:
    """(Excel row, {column: text}) for each non-empty data row of a sheet; the 0-based column
    of each header found is recorded in ``positions_by_sheet``."""
    by_norm = {normalise(name): name for name in sheets}
    actual = by_norm.get(normalise(title))
    if actual is None:
        findings.append(finding("ROS001", file=file, sheet=title))
        return []
    grid = sheets[actual]
    header = [normalise(h).replace(" ", "_") for h in (grid[0] if grid else [])]
    positions = positions_by_sheet.setdefault(title, {})
    for col in columns:
        if col.name in header:
            positions[col.name] = header.index(col.name)
        elif col.required:
            findings.append(
                finding("ROS002", file=file, sheet=title, column=col.name, row=HEADER_ROW)
            )
    rows = []
    for offset, raw in enumerate(grid[1:], start=HEADER_ROW + 1):
        values = {name: cell_text(raw[i]) if i < len(raw) else "" for name, i in positions.items()}
        if any(values.values()):
            rows.append((offset, values))
    return rows


def _with_cell(f: Finding, positions: dict[str, dict[str, int]]) -> Finding:
    """The finding with its A1 cell, when its sheet, row and column are known."""
    col = positions.get(f.sheet, {}).get(f.column)
    if f.cell or col is None or f.row is None:
        return f
    return replace(f, cell=xl_rowcol_to_cell(f.row - 1, col))


def cell_text(value: Any) -> str:
    """A cell as the text a person typed: 12 rather than 12.0, surrounding spaces removed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _people(
    rows: list[tuple[int, dict[str, str]]],
    roster: Roster,
    framework: Framework,
    file: str,
    findings: list[Finding],
) -> tuple[dict[str, Listed], dict[str, list[int]]]:
    """Check the People rows and add the valid people to ``roster``; returns what every row
    says about who is who (its first row per person_id), valid or not, so that references
    are checked for every row and pairs naming someone with their own problems are not
    reported twice; and the person_ids given on more than one row, with their rows (a
    reference to one of them is ambiguous)."""
    domain_codes = {normalise(d.code): d.code for d in framework.domains}
    for d in framework.domains:
        for label in d.label.values():
            domain_codes[normalise(label)] = d.code
    first_row: dict[str, int] = {}
    listed: list[Listed] = []
    for row, v in rows:
        loc = {"file": file, "sheet": PEOPLE_SHEET, "row": row}
        ok = True
        for col in PEOPLE_COLUMNS:
            value = v.get(col.name, "")
            if col.required and not value:
                findings.append(finding("ROS003", column=col.name, **loc))
                ok = False
            elif value and col.choices and value.lower() not in col.choices:
                allowed = ", ".join(col.choices)
                findings.append(
                    finding("ROS004", column=col.name, value=value, allowed=allowed, **loc)
                )
                ok = False
        email = v.get("email", "")
        if email and not re.match(EMAIL_PATTERN, email):
            findings.append(finding("ROS009", column="email", value=email, **loc))
            ok = False
        country = v.get("country", "")
        if country and not re.fullmatch(r"[A-Za-z]{2}", country):
            allowed = "a two-letter ISO code such as KE"
            findings.append(
                finding("ROS004", column="country", value=country, allowed=allowed, **loc)
            )
            ok = False
        elif country and not is_country_code(country):
            findings.append(finding("ROS013", column="country", value=country, **loc))
            ok = False
        languages = _codes(v.get("languages", ""), _LANGUAGE_ALIASES, "languages", loc, findings)
        if languages == [] and v.get("languages", ""):  # only separators, e.g. ","
            findings.append(finding("ROS003", column="languages", **loc))
            languages = None
        domains = _codes(v.get("domains", ""), domain_codes, "domains", loc, findings)
        matching = _matching_columns(v, loc, findings)
        if languages is None or domains is None or matching is None:
            ok = False
        pid = v.get("person_id", "")
        role = v.get("role", "").lower()
        listed.append(
            Listed(pid, role if role in ROLES else "", row, v.get("line_manager_id", ""),
                   tuple(dict.fromkeys(_listed_ids(v.get("preferred_mentors", "")))))
        )  # fmt: skip
        if pid in first_row:
            findings.append(
                finding("ROS005", column="person_id", value=pid, other_row=first_row[pid], **loc)
            )
            continue
        if pid:
            first_row[pid] = row
        if not ok or matching is None:
            continue
        roster.people[pid] = Person(
            person_id=pid,
            name=v.get("name", ""),
            email=email,
            role=v["role"].lower(),
            country=country.upper(),
            office=v.get("office", ""),
            sector=v.get("sector", ""),
            level=v["level"].lower(),
            languages=tuple(languages or ()),
            sex=v.get("sex", "").lower(),
            line_manager_id=v.get("line_manager_id", ""),
            domains=tuple(domains or ()),
            row=row,
            preferred_mentors=matching[0],
            capacity=matching[1],
            same_sex_preference=matching[2],
        )
    first = {p.person_id: p for p in reversed(listed) if p.person_id}
    rows_of: dict[str, list[int]] = {}
    for p in listed:
        if p.person_id:
            rows_of.setdefault(p.person_id, []).append(p.row)
    ambiguous = {pid: rows for pid, rows in rows_of.items() if len(rows) > 1}
    _references(listed, first, ambiguous, file, findings)
    return first, ambiguous


def _matching_columns(
    v: dict[str, str], loc: dict[str, Any], findings: list[Finding]
) -> tuple[tuple[str, ...], int | None, bool] | None:
    """The matching columns of one row (preferred mentors, capacity, same-sex preference);
    None (and findings) when any is wrong. Cross-references are checked in
    :func:`_references`, once every row is read."""
    role = v.get("role", "").lower()
    ok = True

    def only_for(column: str, expected: str) -> None:
        nonlocal ok
        if role in ROLES and role != expected:
            findings.append(
                finding("ROS018", column=column, value=v[column], expected=expected, actual=role,
                        **loc)
            )  # fmt: skip
            ok = False

    parts = _listed_ids(v.get("preferred_mentors", ""))
    preferred = tuple(dict.fromkeys(parts))
    if preferred:
        only_for("preferred_mentors", "mentee")
    repeated = [pid for pid, n in Counter(parts).items() if n > 1]
    if repeated:
        findings.append(
            finding("ROS020", column="preferred_mentors", value=v["preferred_mentors"],
                    detail=", ".join(repeated), **loc)
        )  # fmt: skip
        ok = False
    if len(preferred) > MAX_PREFERENCES:
        findings.append(
            finding("ROS015", column="preferred_mentors", value=v["preferred_mentors"],
                    count=len(preferred), **loc)
        )  # fmt: skip
        ok = False
    capacity: int | None = None
    text = v.get("capacity", "")
    if text:
        only_for("capacity", "mentor")
        try:
            number = float(text)
        except ValueError:
            number = -1.0
        if number < 0 or not number.is_integer():
            findings.append(finding("ROS016", column="capacity", value=text, **loc))
            ok = False
        else:
            capacity = int(number)
    same_sex = v.get("same_sex_preference", "").lower() == "yes"
    if same_sex:
        only_for("same_sex_preference", "mentee")
        sex = v.get("sex", "").lower()
        if sex not in ("female", "male", "other"):
            detail = repr(sex) if sex else "empty"
            findings.append(
                finding("ROS019", column="same_sex_preference", value="yes", detail=detail, **loc)
            )
            ok = False
    return (tuple(preferred), capacity, same_sex) if ok else None


def _listed_ids(text: str) -> list[str]:
    """The person_ids of a cell such as preferred_mentors, in order (repeats included)."""
    return [part.strip() for part in _SPLIT.split(text) if part.strip()]


def _references(
    listed: list[Listed],
    first: dict[str, Listed],
    ambiguous: dict[str, list[int]],
    file: str,
    findings: list[Finding],
) -> None:
    """Check what people say about each other, on every row (also rows with other problems):
    line managers and preferred mentors exist and are not a person_id given on two rows,
    preferred mentors are mentors, and no reporting chain loops back on itself."""
    for person in listed:
        loc = {"file": file, "sheet": PEOPLE_SHEET, "row": person.row}
        manager = person.line_manager_id
        if manager and manager not in first:
            findings.append(finding("ROS006", column="line_manager_id", value=manager, **loc))
        elif manager in ambiguous:
            findings.append(_ambiguous("line_manager_id", manager, ambiguous, loc))
        for pid in person.preferred_mentors:
            other = first.get(pid)
            if other is None:
                findings.append(finding("ROS006", column="preferred_mentors", value=pid, **loc))
            elif pid in ambiguous:
                findings.append(_ambiguous("preferred_mentors", pid, ambiguous, loc))
            elif other.role not in ("", "mentor"):
                findings.append(
                    finding("ROS014", column="preferred_mentors", value=pid, actual=other.role,
                            **loc)
                )  # fmt: skip
    reported: set[str] = set()
    for person in sorted(first.values(), key=lambda p: p.row):
        chain = reporting_chain(person.person_id, first)
        if person.person_id in chain and person.person_id not in reported:
            loop = chain[: chain.index(person.person_id) + 1]
            reported.update(loop)
            findings.append(
                finding(
                    "ROS017", file=file, sheet=PEOPLE_SHEET, row=person.row,
                    column="line_manager_id", value=person.line_manager_id,
                    detail=" → ".join([person.person_id, *loop]),
                )
            )  # fmt: skip


def _ambiguous(
    column: str, pid: str, ambiguous: dict[str, list[int]], loc: dict[str, Any]
) -> Finding:
    shown = and_list([str(r) for r in ambiguous[pid]])
    return finding("ROS022", column=column, value=pid, rows=shown, **loc)


class Managed(Protocol):
    """Anyone with a line manager (a :class:`Person`, or a :class:`Listed` row)."""

    @property
    def line_manager_id(self) -> str: ...


def reporting_chain(person_id: str, people: Mapping[str, Managed]) -> list[str]:
    """The person's line manager, that manager's manager, and so on up (stopping at someone
    outside the roster or where the chain loops back: a loop ends at its first repeat)."""
    chain: list[str] = []
    current = people.get(person_id)
    while current is not None and current.line_manager_id:
        manager = current.line_manager_id
        if manager in chain:
            break
        chain.append(manager)
        if manager == person_id:
            break
        current = people.get(manager)
    return chain


def _codes(
    text: str,
    aliases: dict[str, str],
    column: str,
    loc: dict[str, Any],
    findings: list[Finding],
) -> list[str] | None:
    """Split a comma-separated cell into known codes; None (and findings) if any is unknown."""
    codes: list[str] = []
    bad = False
    for part in _SPLIT.split(text):
        key = normalise(part)
        if not key:
            continue
        code = aliases.get(key)
        if code is None:
            allowed = ", ".join(sorted(set(aliases.values())))
            findings.append(
                finding("ROS004", column=column, value=part.strip(), allowed=allowed, **loc)
            )
            bad = True
        elif code not in codes:
            codes.append(code)
    return None if bad else codes


def _pairs(
    rows: list[tuple[int, dict[str, str]]],
    roster: Roster,
    listed: dict[str, Listed],
    ambiguous: dict[str, list[int]],
    file: str,
    findings: list[Finding],
) -> None:
    """Check the typed pairs against every People row (a person whose own row has problems is
    not reported again for those, but a wrong role or a line manager is). A mentee named on
    two rows is reported whatever else is wrong on either row. A typed pair whose two share
    no language, or whose mentor's level is not above the mentee's, gets a warning: matching
    never proposes such a pair, but the coordinator may know better."""
    mentee_row: dict[str, int] = {}
    for row, v in rows:
        loc = {"file": file, "sheet": PAIRS_SHEET, "row": row}
        ok = True
        for column, role in (("mentor_id", "mentor"), ("mentee_id", "mentee")):
            pid = v.get(column, "")
            person = listed.get(pid)
            if not pid:
                findings.append(finding("ROS003", column=column, **loc))
                ok = False
            elif person is None:
                findings.append(finding("ROS006", column=column, value=pid, **loc))
                ok = False
            elif pid in ambiguous:
                findings.append(_ambiguous(column, pid, ambiguous, loc))
                ok = False
            elif person.role and person.role != role:
                findings.append(
                    finding(
                        "ROS007", column=column, value=pid, actual=person.role, expected=role, **loc
                    )
                )
                ok = False
        mentee_id = v.get("mentee_id", "")
        if mentee_id in listed:
            if mentee_id in mentee_row:
                findings.append(
                    finding("ROS008", column="mentee_id", value=mentee_id,
                            other_row=mentee_row[mentee_id], **loc)
                )  # fmt: skip
                continue
            mentee_row[mentee_id] = row
        if not ok:
            continue
        mentee = listed[mentee_id]
        if mentee.line_manager_id and mentee.line_manager_id == v["mentor_id"]:
            findings.append(finding("ROS011", column="mentor_id", value=v["mentor_id"], **loc))
            continue
        mentor_person = roster.people.get(v["mentor_id"])
        mentee_person = roster.people.get(mentee_id)
        if mentor_person and mentee_person:
            roster.warnings += _pair_warnings(mentor_person, mentee_person, loc)
            roster.pairs.append(PairRow(v["mentor_id"], mentee_id, row))


def _pair_warnings(mentor: Person, mentee: Person, loc: dict[str, Any]) -> list[Finding]:
    """What matching's hard constraints would have refused in a pair typed by hand."""
    out = []
    if not set(mentor.languages) & set(mentee.languages):
        out.append(
            finding("ROS023", column="mentor_id", value=mentor.person_id,
                    mentor_languages=", ".join(mentor.languages),
                    mentee_languages=", ".join(mentee.languages), **loc)
        )  # fmt: skip
    if LEVELS.index(mentor.level) <= LEVELS.index(mentee.level):
        out.append(
            finding("ROS024", column="mentor_id", value=mentor.person_id,
                    mentor_level=mentor.level, mentee_level=mentee.level, **loc)
        )  # fmt: skip
    return out
