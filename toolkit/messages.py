"""One catalogue of every user-facing message, each with a stable code.

A :class:`Finding` says *where* (file, sheet, Excel cell, column header, value), *what* is wrong
and *what to do*. Code that detects a problem calls :func:`finding` with a code from
:data:`CATALOGUE` and the facts; the wording lives only here. Tests assert on codes and
locations, never on copied sentences.

Codes are grouped by prefix: ``CFG`` configuration, ``ROS`` roster, ``FIL`` a returned file as a
whole, ``IDN`` identity of a returned file, ``VAL`` one value in a returned file, ``SYN`` a sync
run as a whole (its lock, conflicts between copies).

The English wording is here; French, Spanish and Portuguese wordings live in
``toolkit/data/messages/*.yaml`` (``CODE: {fr: {text: ..., todo: ...}, es: ..., pt: ...}``, one
file per area) so a receipt or a workbook can speak the pair's language
(:meth:`Finding.render` with ``lang``). A missing translation falls back to English.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml


class Severity(str, Enum):
    """How serious a finding is. ``error`` means the value or file was not accepted."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True)
class MessageSpec:
    """A catalogue entry: severity, what is wrong, and what the user should do."""

    severity: Severity
    text: str
    todo: str


CATALOGUE: dict[str, MessageSpec] = {
    # --- configuration (programme.yaml) --------------------------------------------------------
    "CFG001": MessageSpec(
        Severity.ERROR,
        "programme.yaml is not valid YAML: {detail}",
        "Please open programme.yaml in a text editor and fix the line named above "
        "(indentation uses spaces, text with a colon needs quotes, dates are real dates as "
        "YYYY-MM-DD), and save it as UTF-8.",
    ),
    "CFG002": MessageSpec(
        Severity.ERROR,
        "key {location}: {detail} (found {value!r})",
        "Please correct this entry; the comments in programme.yaml show what is expected.",
    ),
    "CFG003": MessageSpec(
        Severity.ERROR,
        "{location} does not exist",
        "Please run 'mentorkit init DIR' to create a programme folder, or check the path.",
    ),
    # --- roster (roster.xlsx) --------------------------------------------------------------------
    "ROS001": MessageSpec(
        Severity.ERROR,
        "Sheet '{sheet}' is missing from the roster",
        "Please keep the sheets of the roster template; copy them from a new "
        "'mentorkit init' if they were deleted.",
    ),
    "ROS002": MessageSpec(
        Severity.ERROR,
        "Column '{column}' is missing from sheet '{sheet}' (header row {row})",
        "Please restore the column header exactly as in the template.",
    ),
    "ROS003": MessageSpec(
        Severity.ERROR,
        "'{column}' is required but empty",
        "Please fill it in, or delete the whole row if the person is not in the programme.",
    ),
    "ROS004": MessageSpec(
        Severity.ERROR,
        "'{column}' has {value!r}, which is not one of: {allowed}",
        "Please use one of these values (clicking the column's cells shows its help).",
    ),
    "ROS005": MessageSpec(
        Severity.ERROR,
        "person_id {value!r} appears more than once (also row {other_row})",
        "Please give every person a different person_id.",
    ),
    "ROS006": MessageSpec(
        Severity.ERROR,
        "'{column}' names {value!r}, who is not in the People sheet",
        "Please use a person_id from the People sheet, or leave the cell empty.",
    ),
    "ROS007": MessageSpec(
        Severity.ERROR,
        "'{column}' names {value!r}, whose role is {actual}, not {expected}",
        "Please put the mentor in mentor_id and the mentee in mentee_id.",
    ),
    "ROS008": MessageSpec(
        Severity.ERROR,
        "Mentee {value!r} is paired more than once (also row {other_row})",
        "Please keep one pair per mentee; end a pair before giving the mentee a new mentor.",
    ),
    "ROS009": MessageSpec(
        Severity.ERROR,
        "'{column}' has {value!r}, which does not look like an email address",
        "Please type an address such as name@example.org.",
    ),
    "ROS010": MessageSpec(
        Severity.ERROR,
        "The roster cannot be read: {detail}",
        "Please save it again as an Excel workbook (.xlsx) from the template.",
    ),
    "ROS011": MessageSpec(
        Severity.ERROR,
        "Mentor {value!r} is the mentee's line manager",
        "Please pair the mentee with someone outside their line management chain.",
    ),
    "ROS012": MessageSpec(
        Severity.WARNING,
        "'{column}' has language {value!r}, which the programme does not list; the workbook "
        "will be in {fallback}",
        "Please add the language to 'languages' in programme.yaml or correct the roster.",
    ),
    # --- a returned file as a whole --------------------------------------------------------------
    "FIL001": MessageSpec(
        Severity.ERROR,
        "The file is not a workbook this toolkit can read ({detail})",
        "Please ask the sender to attach the workbook itself, saved as .xlsx.",
    ),
    "FIL002": MessageSpec(
        Severity.ERROR,
        "The file is damaged and cannot be opened ({detail})",
        "Please ask the sender to save the workbook again and resend it; "
        "their data is still in their copy.",
    ),
    "FIL003": MessageSpec(
        Severity.ERROR,
        "The file is too large: {detail}",
        "Please ask the sender to delete pasted images or extra sheets and resend it.",
    ),
    "FIL004": MessageSpec(
        Severity.ERROR,
        "The file is protected with a password and cannot be opened",
        "Please ask the sender to remove the password (File > Info > Protect Workbook) "
        "and resend it.",
    ),
    "FIL005": MessageSpec(
        Severity.INFO,
        "The same file (identical bytes) was already received as {value!r}; nothing changed",
        "Nothing to do.",
    ),
    "FIL006": MessageSpec(
        Severity.ERROR,
        "Sheet '{sheet}' reaches cell {cell}, far outside the workbook's area ({detail})",
        "Please ask the sender to delete the stray content far down or right in that sheet "
        "(Ctrl+End shows it) and resend it.",
    ),
    # --- identity of a returned file --------------------------------------------------------------
    "IDN001": MessageSpec(
        Severity.ERROR,
        "The file carries no pair identity (its hidden identity sheet is missing)",
        "Please check the file is a pair workbook made by 'mentorkit build'; if it is, "
        "ask the sender to fill the copy they were sent rather than a new file.",
    ),
    "IDN002": MessageSpec(
        Severity.ERROR,
        "The file's identity does not match its signature (it was edited or copied "
        "from another programme)",
        "Please ask the sender to fill the workbook they were sent, not a modified copy.",
    ),
    "IDN003": MessageSpec(
        Severity.ERROR,
        "The file belongs to programme {value!r}, not to this one ({expected})",
        "Please move it to the inbox of the right programme folder.",
    ),
    "IDN004": MessageSpec(
        Severity.ERROR,
        "The file names pair {value!r}, which this programme's ledger does not know",
        "Please check the file came from this programme; run 'mentorkit build' if the pair "
        "was added after the last build.",
    ),
    "IDN005": MessageSpec(
        Severity.ERROR,
        "The file names revision {value!r} of pair {pair}, which was never issued",
        "Please ask the sender to use the workbook they were sent.",
    ),
    # --- one value in a returned file ----------------------------------------------------------
    "VAL001": MessageSpec(
        Severity.ERROR,
        "{value!r} is not one of the choices for '{column}' ({allowed})",
        "Please pick one of the choices from the cell's dropdown list.",
    ),
    "VAL002": MessageSpec(
        Severity.ERROR,
        "{value!r} in '{column}' is not a date",
        "Please type the date as day/month/year, e.g. 15/03/2026, or pick it again.",
    ),
    "VAL003": MessageSpec(
        Severity.ERROR,
        "{value!r} in '{column}' is not a number",
        "Please type a number only, without units or words.",
    ),
    "VAL004": MessageSpec(
        Severity.ERROR,
        "{value!r} in '{column}' is not a whole number",
        "Please type a whole number, without decimals.",
    ),
    "VAL005": MessageSpec(
        Severity.ERROR,
        "{value!r} in '{column}' is outside the allowed range {allowed}",
        "Please check the value; the cell's input message gives the range.",
    ),
    "VAL006": MessageSpec(
        Severity.ERROR,
        "'{column}' has {detail} characters, more than the {allowed} this field expects; "
        "all of it was kept",
        "Please ask the sender to keep this field shorter next time.",
    ),
    "VAL007": MessageSpec(
        Severity.WARNING,
        "Sheet '{sheet}' is missing; its data could not be read",
        "Please ask the sender not to delete sheets of the pair workbook.",
    ),
    "VAL008": MessageSpec(
        Severity.WARNING,
        "Sheet '{sheet}' has no header '{column}'; that column could not be read",
        "Please ask the sender not to rename or delete column headers.",
    ),
    "VAL009": MessageSpec(
        Severity.WARNING,
        "Row key {value!r} in '{column}' is not a row of this table; the row was not read",
        "Please ask the sender to type in the rows provided rather than adding new ones.",
    ),
    "VAL010": MessageSpec(
        Severity.WARNING,
        "'{column}' has {value!r} in a row that was added below the table; it was not read",
        "Please ask the sender to type in the rows provided.",
    ),
    "VAL011": MessageSpec(
        Severity.WARNING,
        "{value!r} in '{column}' was not applied: a copy saved later ({detail}) had already "
        "set it to {current!r}",
        "Please check with the pair which value is right; if it is this one, ask them to type "
        "it again in their latest copy.",
    ),
    "VAL012": MessageSpec(
        Severity.WARNING,
        "'{column}' is empty in this copy but holds {current!r} from another copy; it was kept",
        "If it should be empty, please ask the pair to clear it in the copy that filled it.",
    ),
    "VAL014": MessageSpec(
        Severity.WARNING,
        "{value!r} in '{column}' was not applied: this file looks like an older copy (the "
        "value is from an earlier return), and the current value is {current!r}",
        "If {value!r} is the right value, please ask the pair to type it again in their "
        "latest copy.",
    ),
    "VAL013": MessageSpec(
        Severity.INFO,
        "'Who is sending this copy?' was not answered, so this copy could not be told apart from "
        "the partner's; only values never seen before in this workbook were applied",
        "Please ask the pair to answer it on the Start here sheet before sending.",
    ),
    "FIL007": MessageSpec(
        Severity.ERROR,
        "The file could not be read ({detail})",
        "Please ask the sender to save the workbook again as .xlsx and resend it; the original "
        "is kept here.",
    ),
    # --- sync: formats, containers, identity fallback, dates, sheets (issue 5) -----------------
    "FIL008": MessageSpec(
        Severity.ERROR,
        "The attachment {value!r} is an archive or email that cannot be opened safely ({detail})",
        "Please ask the sender to attach the workbook itself (.xlsx), not inside a .zip or a "
        "forwarded email.",
    ),
    "FIL009": MessageSpec(
        Severity.ERROR,
        "The archive or email holds no workbook ({detail})",
        "Please ask the sender to attach the pair workbook itself, saved as .xlsx.",
    ),
    "FIL010": MessageSpec(
        Severity.WARNING,
        "{value!r} inside this archive or email was not read ({detail})",
        "If it is a pair workbook, please ask the sender to attach it directly.",
    ),
    "FIL011": MessageSpec(
        Severity.INFO,
        "This file is an older copy: it holds exactly what an earlier return of the same copy "
        "held, so nothing in it was applied and no newer value was changed",
        "Nothing to do; if the sender meant to send something new, please ask for their "
        "latest copy.",
    ),
    "IDN006": MessageSpec(
        Severity.WARNING,
        "The hidden identity sheet is missing; the file was identified as pair {value!r}, "
        "revision {detail}, from its Start here sheet and its layout",
        "Nothing to do now; please ask the pair to keep filling the workbook they were sent "
        "rather than a copy.",
    ),
    "IDN007": MessageSpec(
        Severity.ERROR,
        "The hidden identity sheet is missing and the Start here sheet cannot identify the file "
        "with certainty ({detail})",
        "Please check which pair sent it, and ask them to fill the workbook they were sent and "
        "return that file.",
    ),
    "VAL015": MessageSpec(
        Severity.WARNING,
        "{value!r} in '{column}' could be day/month or month/day; it was read as {detail}, "
        "the usual order in {country}",
        "Please check the date with the pair; picking dates from the cell avoids the doubt.",
    ),
    "VAL016": MessageSpec(
        Severity.WARNING,
        "Sheet '{sheet}' was renamed; it was recognised as '{expected}' by its headers and read",
        "Please ask the sender not to rename sheets.",
    ),
    "VAL017": MessageSpec(
        Severity.WARNING,
        "Sheet '{sheet}' is not part of the pair workbook; what it holds was not read",
        "If it holds session notes or ratings, please ask the pair to type them into the "
        "workbook's own sheets.",
    ),
    "VAL018": MessageSpec(
        Severity.WARNING,
        "Row {value!r} ('{column}') was deleted from sheet '{sheet}'; nothing stored for it was "
        "changed",
        "If the pair typed something in that row, please ask them to type it again in a copy "
        "where the row is still there.",
    ),
    # --- sync (SYN) ----------------------------------------------------------------------------
    "SYN001": MessageSpec(
        Severity.ERROR,
        "Another sync is running on this programme folder (process {value}, started {detail}); "
        "nothing was done",
        "Please wait for it to finish and run this command again. If no sync is running, "
        "delete the file {file}.",
    ),
    "SYN002": MessageSpec(
        Severity.INFO,
        "A sync that was interrupted (process {value}, started {detail}) left its lock; "
        "this sync took it over",
        "Nothing to do: files the interrupted sync had not finished are read again.",
    ),
    "SYN003": MessageSpec(
        Severity.WARNING,
        "'{column}' was changed in both copies: {value!r} in this file and {current!r} in "
        "{other}; the one saved last, {winner!r}, is current and both are kept",
        "Please check with the pair which value is right; the Conflicts sheet of master.xlsx "
        "lists every such case.",
    ),
}


@dataclass(frozen=True)
class Finding:
    """One problem, located as a spreadsheet user would see it.

    ``row`` is the row number Excel shows (1-based) and ``cell`` an A1 reference; ``column`` is
    the column's header text as shown to the user. Every location field is optional because a
    finding about a whole file has none.
    """

    code: str
    severity: Severity
    message: str
    todo: str
    file: str = ""
    sheet: str = ""
    cell: str = ""
    row: int | None = None
    column: str = ""
    value: str = ""
    facts: tuple[tuple[str, Any], ...] = field(default=(), compare=False, repr=False)

    def where(self) -> str:
        """The location as one short phrase, e.g. ``roster.xlsx, sheet 'People', cell C7``."""
        parts = [p for p in (self.file, f"sheet '{self.sheet}'" if self.sheet else "") if p]
        if self.cell:
            parts.append(f"cell {self.cell}")
        elif self.row is not None:
            parts.append(f"row {self.row}")
        return ", ".join(parts)

    def text_in(self, lang: str) -> str:
        """What is wrong, in ``lang`` (English when that translation is missing)."""
        template = _translated(self.code, lang, "text")
        return self.message if template is None else template.format_map(_Defaulting(self.facts))

    def todo_in(self, lang: str) -> str:
        """What to do, in ``lang`` (English when that translation is missing)."""
        todo = _translated(self.code, lang, "todo")
        return self.todo if todo is None else todo

    def render(self, lang: str = "en") -> str:
        """The full message: where, what, what to do; in ``lang`` where translated."""
        where = self.where()
        head = f"{where}: " if where else ""
        return f"[{self.code}] {head}{self.text_in(lang)}. {self.todo_in(lang)}"


def finding(code: str, **facts: Any) -> Finding:
    """Make a :class:`Finding` from a catalogue code and the facts its template names.

    Location keywords (``file``, ``sheet``, ``cell``, ``row``, ``column``, ``value``) are both
    used in the template and stored on the finding; other keywords only fill the template.
    """
    spec = CATALOGUE[code]
    if "value" in facts:
        facts["value"] = _as_typed(facts["value"])
    values = {k: ("" if v is None else v) for k, v in facts.items()}
    message = spec.text.format_map(_Defaulting(values))
    raw_value = facts.get("value")
    return Finding(
        code=code,
        severity=spec.severity,
        message=message,
        todo=spec.todo,
        file=str(facts.get("file") or ""),
        sheet=str(facts.get("sheet") or ""),
        cell=str(facts.get("cell") or ""),
        row=facts.get("row"),
        column=str(facts.get("column") or ""),
        value="" if raw_value is None else str(raw_value),
        facts=tuple(sorted(values.items())),
    )


@lru_cache(maxsize=1)
def translations() -> dict[str, dict[str, dict[str, str]]]:
    """Every translated wording: ``{code: {lang: {"text": ..., "todo": ...}}}``.

    Read from all ``toolkit/data/messages/*.yaml`` files; a code translated in two files, or one
    not in :data:`CATALOGUE`, is an error in the package itself.
    """
    merged: dict[str, dict[str, dict[str, str]]] = {}
    folder = resources.files("toolkit").joinpath("data/messages")
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".yaml"):
            continue
        for code, langs in (yaml.safe_load(entry.read_text(encoding="utf-8")) or {}).items():
            if code in merged or code not in CATALOGUE:
                raise ValueError(f"{entry.name}: {code} is translated twice or is not a code")
            merged[code] = langs
    return merged


def missing_translations(languages: tuple[str, ...] = ("fr", "es", "pt")) -> list[str]:
    """``CODE:lang:part`` for every catalogue wording not yet translated (tests use this)."""
    table = translations()
    return [
        f"{code}:{lang}:{part}"
        for code in CATALOGUE
        for lang in languages
        for part in ("text", "todo")
        if not table.get(code, {}).get(lang, {}).get(part)
    ]


def _translated(code: str, lang: str, part: str) -> str | None:
    if lang == "en":
        return None
    return translations().get(code, {}).get(lang, {}).get(part)


def _as_typed(value: Any) -> Any:
    """A cell value the way the person saw it: 900 rather than 900.0, dates as ISO text."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


class _Defaulting(dict):
    """A format mapping that leaves unknown placeholders visible instead of raising."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"
