"""One catalogue of every user-facing message, each with a stable code.

A :class:`Finding` says *where* (file, sheet, Excel cell, column header, value), *what* is wrong
and *what to do*. Code that detects a problem calls :func:`finding` with a code from
:data:`CATALOGUE` and the facts; the wording lives only here. Tests assert on codes and
locations, never on copied sentences.

Codes are grouped by prefix: ``CFG`` configuration, ``ROS`` roster, ``FIL`` a returned file as a
whole, ``IDN`` identity of a returned file, ``VAL`` one value in a returned file,
``MAT`` matching (proposals, the coordinator's decisions, pair endings), ``SYN`` a sync run as a
whole (its lock, conflicts between copies), ``PIC`` pictures of workbooks and ``SMP`` the samples
folder (``mentorkit samples``).

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

from toolkit import yamlio


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
    pair_todo: str = ""
    """What the pair should do, where ``todo`` speaks to the coordinator (a receipt goes to
    the pair); '' when ``todo`` suits both."""


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
    # --- framework (FWK) ----------------------------------------------------------------------
    "FWK001": MessageSpec(
        Severity.ERROR,
        "line {line} is not valid YAML: {detail}",
        "Please fix that line in a text editor (indentation uses spaces; quote text that "
        "contains a colon or a '#', or starts with a special character) and save it as UTF-8.",
    ),
    "FWK002": MessageSpec(
        Severity.ERROR,
        "{location}: {detail} (found {value!r})",
        "Please correct this entry; 'mentorkit framework export' writes a complete, valid copy "
        "of the defaults to compare with.",
    ),
    "FWK003": MessageSpec(
        Severity.ERROR,
        "key '{location}' is already given in {other}",
        "Please keep each top-level key in one file only, and delete the other copy.",
    ),
    "FWK004": MessageSpec(
        Severity.ERROR,
        "the framework folder {location} does not exist or holds no .yaml files",
        "Please run 'mentorkit framework export DIR' to write an editable copy, or correct "
        "'framework' in programme.yaml.",
    ),
    "FWK005": MessageSpec(
        Severity.ERROR,
        "{location} already exists; nothing was written",
        "Please choose another programme folder, or rename the existing framework folder first.",
    ),
    "FWK006": MessageSpec(
        Severity.ERROR,
        "{location}: the text in '{language}' is missing or empty (English: {value!r})",
        "Please add the translation under that key (e.g. '{language}: ...'): workbooks in that "
        "language would otherwise show the English text.",
    ),
    "FWK008": MessageSpec(
        Severity.WARNING,
        "key cycle.session_minutes is {value} but the framework's session template lasts "
        "{minutes} minutes; workbooks and the Guide plan {minutes}-minute sessions",
        "Please set 'session_minutes: {minutes}' in programme.yaml, or change the session "
        "template's segments in the programme's framework ('mentorkit framework export DIR').",
    ),
    "FWK009": MessageSpec(
        Severity.WARNING,
        "key cycle.months is {value} but the framework's session plan has {months} monthly "
        "topics; {consequence}",
        "Please set 'months: {months}' in programme.yaml, or give the session plan of the "
        "programme's framework one topic per month ('mentorkit framework export DIR').",
    ),
    "FWK007": MessageSpec(
        Severity.ERROR,
        "{location}: the text has {length} characters (at most {limit} fit in a cell: {value!r})",
        "Please shorten it to {limit} characters or fewer; a longer text is cut off on screen "
        "and in print.",
    ),
    "FWK010": MessageSpec(
        Severity.ERROR,
        "key '{location}' is given twice: on line {line} ({value!r}) and on line {second} "
        "({other!r}); only the last would be used",
        "Please keep one of the two lines (with what is under it) and delete the other.",
    ),
    # --- export (EXP): mentorkit export, the DHIS2 mapping (issue 6) ----------------------------
    "EXP001": MessageSpec(
        Severity.ERROR,
        "there is no 'export: dhis2:' mapping, so no DHIS2 data value set was written",
        "Please add to programme.yaml an 'export:' section with 'dhis2:' under it, holding "
        "'org_units' (the DHIS2 org unit UID of each country with data: {countries}) and "
        "'data_elements' (for each indicator to send, e.g. AGR30, the UID of the data element "
        "for its numerator, denominator or value); the commented example at the end of the "
        "programme.yaml that 'mentorkit init' writes shows every key.",
    ),
    "EXP002": MessageSpec(
        Severity.ERROR,
        "key {location}: {value!r} is not an indicator code of the programme's framework",
        "Please use one of {allowed}, or delete this entry.",
    ),
    "EXP003": MessageSpec(
        Severity.ERROR,
        "key {location}: {dimension} {value!r} has data ({indicators}) but no DHIS2 org unit; "
        "no DHIS2 file was written",
        "Please add the line '{value}: <UID of its org unit in DHIS2>' under org_units "
        "(11 characters, from DHIS2's Maintenance app), then run the export again.",
    ),
    "EXP004": MessageSpec(
        Severity.ERROR,
        "key {location}: {dimension} {value!r} has data ({indicators}) but no category option "
        "combination; no DHIS2 file was written",
        "Please add the line '{value}: <UID of its category option combo in DHIS2>' under "
        "category_option_combos, or remove 'disaggregation' to send totals only.",
    ),
    "EXP005": MessageSpec(
        Severity.WARNING,
        "key {location}: cycle quarter {period} runs from {start} to {end}, which is not a "
        "calendar quarter, so DHIS2 has no period for it; its values of {value} were not "
        "exported",
        "Please either start the next cycle on 1 January, April, July or October, or send "
        "indicators computed by month (SES) with 'period: monthly' under their data elements.",
    ),
    "EXP006": MessageSpec(
        Severity.WARNING,
        "key {location}: cycle month {period} runs from {start} to {end}, which is not a "
        "calendar month, so DHIS2 has no period for it; its values of {value} were not exported",
        "Please start the next cycle on the first day of a month; DHIS2 periods are calendar "
        "months and quarters.",
    ),
    "EXP007": MessageSpec(
        Severity.ERROR,
        "key {location}: {value} is not computed by month, so it has no monthly values",
        "Please write 'period: quarterly' or delete the 'period' line (only SES is monthly).",
    ),
    "EXP008": MessageSpec(
        Severity.ERROR,
        "the file could not be written: {detail}",
        "Please close the file if it is open in Excel or LibreOffice, check that the folder "
        "can be written to, and run the export again.",
    ),
    "EXP009": MessageSpec(
        Severity.INFO,
        "no period to send to DHIS2 is final by {as_of} ({periods}: their quarter's workbooks "
        "are still due); the DHIS2 file has no values",
        "Please run the export again after {ends}, the first quarter's return deadline.",
    ),
    "EXP010": MessageSpec(
        Severity.ERROR,
        "the reference date {value} is before the cycle starts ({start}): there is nothing to "
        "export",
        "Please give a date on or after {start} with --as-of (YYYY-MM-DD), or leave --as-of out "
        "to use today's date.",
    ),
    "EXP011": MessageSpec(
        Severity.INFO,
        "{count} of the {total} DHIS2 values rest on fewer than 3 people",
        "DHIS2 is usually open to many staff: if that is a concern, map coarser org units "
        "(countries rather than offices) or leave the disaggregation out; outside the "
        "programme, share master-anonymous.xlsx ('mentorkit report DIR --anonymous').",
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
    "ROS013": MessageSpec(
        Severity.ERROR,
        "'{column}' has {value!r}, which is not an ISO country code",
        "Please use the two-letter ISO 3166 code of the duty station's country, e.g. GB for the "
        "United Kingdom, CD for the DR Congo.",
    ),
    "ROS014": MessageSpec(
        Severity.ERROR,
        "'{column}' names {value!r}, whose role is {actual}, not mentor",
        "Please list only the person_ids of mentors, the most preferred first.",
    ),
    "ROS015": MessageSpec(
        Severity.ERROR,
        "'{column}' lists {count} mentors; at most three are allowed",
        "Please keep the three mentors the mentee prefers most, the most preferred first.",
    ),
    "ROS016": MessageSpec(
        Severity.ERROR,
        "'{column}' has {value!r}, which is not a whole number of mentees (0 or more)",
        "Please type how many mentees this mentor can take at most, e.g. 2, or leave it empty "
        "for the programme's default.",
    ),
    "ROS017": MessageSpec(
        Severity.ERROR,
        "'{column}' {value!r} closes a loop in the reporting chain ({detail})",
        "Please correct the line managers so that nobody is above themselves.",
    ),
    "ROS018": MessageSpec(
        Severity.ERROR,
        "'{column}' is for {expected}s only, but this person is a {actual}",
        "Please clear the cell, or check the person's role.",
    ),
    "ROS019": MessageSpec(
        Severity.ERROR,
        "'{column}' is yes, but 'sex' is {detail}, so the preference cannot be honoured",
        "Please fill 'sex' (female, male or other), or clear the preference.",
    ),
    "ROS020": MessageSpec(
        Severity.ERROR,
        "'{column}' has {value!r}, which lists {detail} more than once",
        "Please list each mentor once, the most preferred first (at most three).",
    ),
    "ROS021": MessageSpec(
        Severity.ERROR,
        "The roster {location} is missing from the programme folder",
        "Please put it back from your backup. To start a blank one, run 'mentorkit init' into a "
        "new folder, copy the roster.xlsx it writes into this programme folder, and delete the "
        "new folder.",
    ),
    "ROS022": MessageSpec(
        Severity.ERROR,
        "'{column}' names {value!r}, but that person_id is on more than one People row "
        "(rows {rows}), so who is meant is unclear",
        "Please give every person a different person_id on the People sheet, then name the "
        "right one here.",
    ),
    "ROS023": MessageSpec(
        Severity.WARNING,
        "Mentor {value!r} and the mentee share no language (mentor: {mentor_languages}; "
        "mentee: {mentee_languages})",
        "Please check that they can work together in one language; if so, add it to the "
        "'languages' of both on the People sheet, or pair the mentee with another mentor.",
    ),
    "ROS024": MessageSpec(
        Severity.WARNING,
        "Mentor {value!r} is at level {mentor_level}, not above the mentee's level "
        "({mentee_level})",
        "Please check that this mentor suits the mentee (matching proposes only mentors above "
        "the mentee's level), or pair the mentee with a more senior mentor.",
    ),
    # --- annual review (REV, mentorkit review) -------------------------------------------------
    "REV001": MessageSpec(
        Severity.ERROR,
        "There is nothing to review yet: {detail}",
        "Please run 'mentorkit build {folder}' to issue the pair workbooks and 'mentorkit sync "
        "{folder}' to take their returns in, then run 'mentorkit review {folder}' again.",
    ),
    "REV002": MessageSpec(
        Severity.ERROR,
        "The year {value} is outside the programme's cycle, which runs from {start} to {end}",
        "Please give a year the cycle covers with --year, or leave --year out to review the "
        "cycle to date.",
    ),
    "REV003": MessageSpec(
        Severity.ERROR,
        "The reference date {value} is before the cycle starts on {start}",
        "Please give a date on or after {start} with --as-of (YYYY-MM-DD), or leave --as-of "
        "out to use today's date.",
    ),
    "REV005": MessageSpec(
        Severity.ERROR,
        "The reference date {value} is before the year under review, {year}, begins",
        "Please give a date in {year} or later with --as-of, or leave --as-of out; a year that "
        "has not begun yet cannot be reviewed.",
    ),
    "REV004": MessageSpec(
        Severity.WARNING,
        "No reflection comment has been returned yet for {quarters}; the sheet of what worked "
        "and what did not is empty",
        "Please ask the pairs to fill the Reflection sheet at the end of each quarter and send "
        "their workbooks back, sync them, and run 'mentorkit review' again.",
    ),
    # --- pictures (PIC): drawing workbook pages for the README (issue 7, mentorkit samples) ----
    "PIC001": MessageSpec(
        Severity.ERROR,
        "LibreOffice (soffice) is not installed, so no picture of a workbook was drawn",
        "Please install LibreOffice (on Debian or Ubuntu: 'sudo apt-get install "
        "libreoffice-calc-nogui'; elsewhere from libreoffice.org), make sure 'soffice' is on "
        "the PATH, and run the command again.",
    ),
    "PIC002": MessageSpec(
        Severity.ERROR,
        "pdftoppm (poppler) is not installed, so no picture of a workbook was drawn",
        "Please install poppler (on Debian or Ubuntu: 'sudo apt-get install poppler-utils'), "
        "make sure 'pdftoppm' is on the PATH, and run the command again.",
    ),
    "PIC003": MessageSpec(
        Severity.ERROR,
        "LibreOffice could not print {file} to PDF: {detail}",
        "Please close any LibreOffice window that is waiting for an answer, check that the file "
        "opens in LibreOffice, and run the command again.",
    ),
    "PIC004": MessageSpec(
        Severity.ERROR,
        "pdftoppm could not draw the first page of sheet '{sheet}' of {file}: {detail}",
        "Please check that poppler-utils is completely installed ('pdftoppm -v' answers) and "
        "run the command again.",
    ),
    "PIC005": MessageSpec(
        Severity.ERROR,
        "{file} has no visible sheet '{sheet}' to draw",
        "Please ask for one of its visible sheets: {detail}.",
    ),
    # --- samples (SMP, mentorkit samples) ---------------------------------------------------
    "SMP001": MessageSpec(
        Severity.ERROR,
        "{file} holds a programme ({detail}), so no sample was written there",
        "Please give 'mentorkit samples' a new or empty folder, or the sample_workbooks folder "
        "of the repository.",
    ),
    "SMP002": MessageSpec(
        Severity.ERROR,
        "{file} is not a folder of samples: it holds other files ({detail}), so nothing was "
        "written there",
        "Please give 'mentorkit samples' a new or empty folder, or a folder it wrote before "
        "(its README.md lists the samples).",
    ),
    # --- matching (MAT) ------------------------------------------------------------------------
    "MAT001": MessageSpec(
        Severity.WARNING,
        "Mentee {value!r} is unmatched: the roster lists no mentor",
        "Please add mentors to the People sheet of roster.xlsx and run 'mentorkit match' again.",
    ),
    "MAT002": MessageSpec(
        Severity.WARNING,
        "Mentee {value!r} is unmatched: no mentor shares a language with them ({detail})",
        "Please check the mentee's languages, or recruit a mentor who speaks one of them.",
    ),
    "MAT003": MessageSpec(
        Severity.WARNING,
        "Mentee {value!r} is unmatched: no mentor who shares a language is above their level "
        "({detail})",
        "Please check the levels in roster.xlsx, or recruit a more senior mentor who speaks the "
        "mentee's language.",
    ),
    "MAT004": MessageSpec(
        Severity.WARNING,
        "Mentee {value!r} is unmatched: every mentor who could take them is in their reporting "
        "chain ({detail})",
        "Please recruit a mentor from outside the mentee's line management, or check "
        "'line_manager_id' in roster.xlsx.",
    ),
    "MAT005": MessageSpec(
        Severity.WARNING,
        "Mentee {value!r} is unmatched: they asked for a mentor of the same sex ({detail}) and "
        "none of the mentors who could take them is",
        "Please recruit such a mentor, or ask the mentee whether the preference can be relaxed.",
    ),
    "MAT006": MessageSpec(
        Severity.WARNING,
        "Mentee {value!r} is unmatched: cross_country is required, and every mentor who could "
        "take them works in the same country ({detail})",
        "Please recruit a mentor from another country, or set matching: cross_country: preferred "
        "in programme.yaml.",
    ),
    "MAT007": MessageSpec(
        Severity.WARNING,
        "Mentee {value!r} is unmatched: cross_sector is required, and every mentor who could "
        "take them works in the same sector ({detail})",
        "Please recruit a mentor from another sector, or set matching: cross_sector: preferred "
        "in programme.yaml.",
    ),
    "MAT008": MessageSpec(
        Severity.WARNING,
        "Mentee {value!r} is unmatched: every mentor who could take them was their mentor "
        "before ({detail})",
        "Please recruit another mentor; an earlier pair is never proposed again.",
    ),
    "MAT009": MessageSpec(
        Severity.WARNING,
        "Mentee {value!r} is unmatched: every mentor who could take them is forbidden for them "
        "in matches.xlsx ({detail})",
        "Please clear one of these 'forbid' cells in matches.xlsx, or recruit another mentor.",
    ),
    "MAT010": MessageSpec(
        Severity.WARNING,
        "Mentee {value!r} is unmatched: every mentor who could take them has no free place "
        "({detail})",
        "Please raise 'capacity' for one of these mentors in roster.xlsx, or recruit a mentor.",
    ),
    "MAT011": MessageSpec(
        Severity.WARNING,
        "Mentee {value!r} is unmatched: the places of every mentor who could take them "
        "({detail}) went to other mentees in this proposal",
        "Please raise 'capacity' for one of these mentors, lock this mentee with one of them "
        "in matches.xlsx, or recruit a mentor.",
    ),
    "MAT012": MessageSpec(
        Severity.WARNING,
        "The lock on mentor {mentor!r} with mentee {mentee!r} was not kept: {detail}",
        "Please clear the 'lock' cell, or change the roster so the pair is possible.",
    ),
    "MAT013": MessageSpec(
        Severity.WARNING,
        "Mentor {mentor!r} with mentee {mentee!r} is both locked and forbidden; it was treated "
        "as forbidden",
        "Please clear either the 'lock' or the 'forbid' cell.",
    ),
    "MAT014": MessageSpec(
        Severity.WARNING,
        "'{column}' names {value!r}, who is not a {expected} in the roster",
        "Please use a person_id from the People sheet of roster.xlsx; matches.xlsx is not "
        "replaced until this is fixed.",
    ),
    "MAT015": MessageSpec(
        Severity.WARNING,
        "'{column}' has {value!r}, which is read neither as yes ({yes}) nor as no ({no}, or "
        "an empty cell)",
        "Please pick 'yes' from the cell's dropdown list, or clear it; matches.xlsx is not "
        "replaced until this is fixed.",
    ),
    "MAT016": MessageSpec(
        Severity.ERROR,
        "matches.xlsx cannot be read ({detail}); it was not replaced, so your decisions in it "
        "are safe",
        "Please close it in Excel or LibreOffice, or save it again as .xlsx, and run the command "
        "again.",
    ),
    "MAT017": MessageSpec(
        Severity.WARNING,
        "Mentor {mentor!r} with mentee {mentee!r} is proposed now but was not in the reviewed "
        "matches.xlsx, so it was not confirmed",
        "Please review the new matches.xlsx and run 'mentorkit match {folder} --confirm' again.",
    ),
    "MAT018": MessageSpec(
        Severity.ERROR,
        "There is no matches.xlsx to confirm",
        "Please run 'mentorkit match {folder}' first, review matches.xlsx, then confirm.",
    ),
    "MAT019": MessageSpec(
        Severity.ERROR,
        "Pair {value!r} is not in the ledger",
        "Please use a pair code from the Pairs sheet of master.xlsx, e.g. P001.",
    ),
    "MAT020": MessageSpec(
        Severity.INFO,
        "Pair {value!r} already ended on {detail}; nothing was changed",
        "Nothing to do; an ending is recorded once.",
    ),
    "MAT021": MessageSpec(
        Severity.ERROR,
        "The end date {value!r} of pair {pair} is {detail}",
        "Please give the date the pair actually ended, as YYYY-MM-DD.",
    ),
    "MAT022": MessageSpec(
        Severity.WARNING,
        "The confirmed match of mentor {mentor!r} with mentee {mentee!r} names someone no longer "
        "in the roster; no workbook was issued for it",
        "Please put the person back in roster.xlsx, or run 'mentorkit match --rematch'.",
    ),
    "MAT023": MessageSpec(
        Severity.WARNING,
        "Mentee {mentee!r} is locked with more than one mentor; only the lock on {mentor!r} was "
        "kept",
        "Please keep one 'lock' per mentee.",
    ),
    "MAT024": MessageSpec(
        Severity.INFO,
        "Mentor {value!r} is left out of matching: pair {pair} ended because the mentor left "
        "(mentor-left)",
        "Nothing to do; they are never proposed again. To take them back in, add them to "
        "roster.xlsx under a new person_id.",
    ),
    "MAT025": MessageSpec(
        Severity.INFO,
        "Mentee {value!r} is left out of re-matching: pair {pair} ended because the mentee left "
        "(mentee-left)",
        "Nothing to do; 'match --rematch' does not propose a mentor for them. To take them back "
        "in, add them to roster.xlsx under a new person_id.",
    ),
    "MAT026": MessageSpec(
        Severity.INFO,
        "matches.xlsx was made without --rematch, so it was confirmed as made: it proposes no "
        "mentor for mentees whose pair ended",
        "To re-match them, run 'mentorkit match {folder} --rematch', review matches.xlsx, and "
        "run 'mentorkit match {folder} --confirm'.",
    ),
    "MAT027": MessageSpec(
        Severity.WARNING,
        "Mentor {mentor!r} with mentee {mentee!r} was reviewed but not confirmed: {detail}",
        "Please review the new matches.xlsx (lock the pair there to keep it, if it is still "
        "possible) and run 'mentorkit match {folder} --confirm' again.",
    ),
    # --- a returned file as a whole --------------------------------------------------------------
    "FIL001": MessageSpec(
        Severity.ERROR,
        "The file is not a workbook this toolkit can read ({detail})",
        "Please ask the sender to attach the workbook itself, saved as .xlsx.",
        pair_todo="Please send your coordinator the workbook itself, saved as .xlsx (File > Save "
        "As, type .xlsx).",
    ),
    "FIL002": MessageSpec(
        Severity.ERROR,
        "The file is damaged and cannot be opened ({detail})",
        "Please ask the sender to save the workbook again and resend it; "
        "their data is still in their copy.",
        pair_todo="Please save the workbook again as .xlsx and send it back to your coordinator; "
        "your data is still in your copy.",
    ),
    "FIL003": MessageSpec(
        Severity.ERROR,
        "The file is too large: {detail}",
        "Please ask the sender to delete pasted images or extra sheets and resend it.",
        pair_todo="Please delete any pictures you pasted and any sheets you added, save the "
        "workbook and send it again to your coordinator.",
    ),
    "FIL004": MessageSpec(
        Severity.ERROR,
        "The file is protected with a password and cannot be opened",
        "Please ask the sender to remove the password (File > Info > Protect Workbook) "
        "and resend it.",
        pair_todo="Please remove the password from the workbook (in Excel: File > Info > Protect "
        "Workbook), save it and send it again to your coordinator.",
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
        pair_todo="Please delete the stray content far down or to the right in sheet '{sheet}' "
        "(Ctrl+End shows where it is), save the workbook and send it again to your coordinator.",
    ),
    # --- identity of a returned file --------------------------------------------------------------
    "IDN001": MessageSpec(
        Severity.ERROR,
        "The file carries no pair identity (its hidden identity sheet is missing)",
        "Please check the file is a pair workbook made by 'mentorkit build'; if it is, "
        "ask the sender to fill the copy they were sent rather than a new file.",
        pair_todo="Please fill in and send back the workbook your coordinator sent you, not a new "
        "file or a copy of another workbook.",
    ),
    "IDN002": MessageSpec(
        Severity.ERROR,
        "The file's identity does not match its signature (it was edited or copied "
        "from another programme)",
        "Please ask the sender to fill the workbook they were sent, not a modified copy.",
        pair_todo="Please fill in and send back the workbook your coordinator sent you, not a "
        "modified copy or one from another programme.",
    ),
    "IDN003": MessageSpec(
        Severity.ERROR,
        "The file belongs to programme {value!r}, not to this one ({expected})",
        "Please move it to the inbox of the right programme folder.",
        pair_todo="This workbook belongs to another programme: please send it to that programme's "
        "coordinator, or ask your coordinator which workbook to fill in.",
    ),
    "IDN004": MessageSpec(
        Severity.ERROR,
        "The file names pair {value!r}, which this programme's ledger does not know",
        "Please check the file came from this programme; run 'mentorkit build' if the pair "
        "was added after the last build.",
        pair_todo="Please check that this is the workbook your coordinator sent you for this "
        "programme; your coordinator will contact you if anything more is needed.",
    ),
    "IDN005": MessageSpec(
        Severity.ERROR,
        "The file names revision {value!r} of pair {pair}, which was never issued",
        "Please ask the sender to use the workbook they were sent.",
        pair_todo="Please fill in and send back the workbook your coordinator sent you.",
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
        pair_todo="Nothing was lost; next time, please keep this field shorter.",
    ),
    "VAL007": MessageSpec(
        Severity.WARNING,
        "Sheet '{sheet}' is missing; its data could not be read",
        "Please ask the sender not to delete sheets of the pair workbook.",
        pair_todo="Please do not delete sheets of the workbook; if you deleted '{sheet}' by "
        "mistake, your coordinator can send you a new copy.",
    ),
    "VAL008": MessageSpec(
        Severity.WARNING,
        "Sheet '{sheet}' has no header '{column}'; that column could not be read",
        "Please ask the sender not to rename or delete column headers.",
        pair_todo="Please put the header '{column}' back in sheet '{sheet}' exactly as it was, "
        "then save and send the workbook again; column headers must not be renamed or deleted.",
    ),
    "VAL009": MessageSpec(
        Severity.WARNING,
        "Row key {value!r} in '{column}' is not a row of this table; the row was not read",
        "Please ask the sender to type in the rows provided rather than adding new ones.",
        pair_todo="Please type in the rows the table already has rather than adding new ones; "
        "move what you typed in that row into one of them and send the workbook again.",
    ),
    "VAL010": MessageSpec(
        Severity.WARNING,
        "'{column}' has {value!r} in a row that was added below the table; it was not read",
        "Please ask the sender to type in the rows provided.",
        pair_todo="Please type in the table's own rows, not below the table; move what you typed "
        "there into the table and send the workbook again.",
    ),
    "VAL011": MessageSpec(
        Severity.WARNING,
        "{value!r} in '{column}' was not applied: a copy saved later ({detail}) had already "
        "set it to {current!r}",
        "Please check with the pair which value is right; if it is this one, ask them to type "
        "it again in their latest copy.",
        pair_todo="If {value!r} is the right value, please type it again in your latest copy of "
        "the workbook and send that copy.",
    ),
    "VAL012": MessageSpec(
        Severity.WARNING,
        "'{column}' is empty in this copy but holds {current!r} from another copy; it was kept",
        "If it should be empty, please ask the pair to clear it in the copy that filled it.",
        pair_todo="If it should be empty, please tell the coordinator; nothing was lost.",
    ),
    "VAL014": MessageSpec(
        Severity.WARNING,
        "{value!r} in '{column}' was not applied: this file looks like an older copy (the "
        "value is from an earlier return), and the current value is {current!r}",
        "If {value!r} is the right value, please ask the pair to type it again in their "
        "latest copy.",
        pair_todo="If {value!r} is the right value, please type it again in your latest copy of "
        "the workbook and send that copy.",
    ),
    "VAL013": MessageSpec(
        Severity.INFO,
        "'Who is sending this copy?' was not answered, so this copy could not be told apart from "
        "the partner's; only values never seen before in this workbook were applied",
        "Please ask the pair to answer it on the Start here sheet before sending.",
        pair_todo="Please answer 'Who is sending this copy?' on the Start here sheet before you "
        "send the workbook.",
    ),
    "FIL007": MessageSpec(
        Severity.ERROR,
        "The file could not be read ({detail})",
        "Please ask the sender to save the workbook again as .xlsx and resend it; the original "
        "is kept here.",
        pair_todo="Please save the workbook again as .xlsx and send it back to your coordinator; "
        "the file you sent is kept.",
    ),
    # --- sync: formats, containers, identity fallback, dates, sheets (issue 5) -----------------
    "FIL008": MessageSpec(
        Severity.ERROR,
        "The attachment {value!r} is an archive or email that cannot be opened safely ({detail})",
        "Please ask the sender to attach the workbook itself (.xlsx), not inside a .zip or a "
        "forwarded email.",
        pair_todo="Please attach the workbook itself (.xlsx) to your email, not inside a .zip "
        "file or a forwarded email.",
    ),
    "FIL009": MessageSpec(
        Severity.ERROR,
        "The archive or email holds no workbook ({detail})",
        "Please ask the sender to attach the pair workbook itself, saved as .xlsx.",
        pair_todo="Please attach the workbook you received, saved as .xlsx, directly to your "
        "email and send it again to your coordinator.",
    ),
    "FIL010": MessageSpec(
        Severity.WARNING,
        "{value!r} inside this archive or email was not read ({detail})",
        "If it is a pair workbook, please ask the sender to attach it directly.",
        pair_todo="If {value!r} is the workbook you received, please attach it directly to your "
        "email and send it again.",
    ),
    "FIL011": MessageSpec(
        Severity.INFO,
        "This file is an older copy: it holds exactly what an earlier return of the same copy "
        "held, so nothing in it was applied and no newer value was changed",
        "Nothing to do; if the sender meant to send something new, please ask for their "
        "latest copy.",
        pair_todo="Nothing was lost. If you meant to send something new, please send your latest "
        "copy of the workbook.",
    ),
    "IDN006": MessageSpec(
        Severity.WARNING,
        "The hidden identity sheet is missing; by its Start here sheet, which anyone can type, "
        "the file appears to be revision {detail} of pair {value!r}; it is held until the "
        "coordinator confirms it",
        "Please check with pair {value}'s mentor or mentee that they sent it and that its "
        'values are theirs, then run: mentorkit accept DIR "{file}" (the next sync merges '
        "it); if it is not theirs, leave it in quarantine.",
        pair_todo="Nothing to do now: the coordinator will check with you that you sent it, "
        "then take it in.",
    ),
    "IDN007": MessageSpec(
        Severity.ERROR,
        "The hidden identity sheet is missing and the Start here sheet cannot identify the file "
        "with certainty ({detail})",
        "Please check which pair sent it, and ask them to fill the workbook they were sent and "
        "return that file.",
        pair_todo="Please fill in and send back the workbook your coordinator sent you, not a new "
        "file or a copy of another workbook.",
    ),
    "VAL015": MessageSpec(
        Severity.WARNING,
        "{value!r} in '{column}' could be day/month or month/day; it was read as {detail}, "
        "the usual order in {country}",
        "Please check the date with the pair; picking dates from the cell avoids the doubt.",
        pair_todo="Please check that {detail} is the date you meant; if not, correct it in your "
        "latest copy and send it again.",
    ),
    "VAL016": MessageSpec(
        Severity.WARNING,
        "Sheet '{sheet}' was renamed; it was recognised as '{expected}' by its headers and read",
        "Please ask the sender not to rename sheets.",
        pair_todo="Nothing was lost; next time, please keep the sheet names as they are.",
    ),
    "VAL017": MessageSpec(
        Severity.WARNING,
        "Sheet '{sheet}' is not part of the pair workbook; what it holds was not read",
        "If it holds session notes or ratings, please ask the pair to type them into the "
        "workbook's own sheets.",
        pair_todo="If sheet '{sheet}' holds session notes or ratings, please type them into the "
        "workbook's own sheets and send it again.",
    ),
    "VAL018": MessageSpec(
        Severity.WARNING,
        "Row {value!r} ('{column}') was deleted from sheet '{sheet}'; nothing stored for it was "
        "changed",
        "If the pair typed something in that row, please ask them to type it again in a copy "
        "where the row is still there.",
        pair_todo="Please do not delete rows. If you typed something in row {value!r}, please "
        "type it again in a copy where that row is still there (your coordinator can send you "
        "one) and send it.",
    ),
    # --- sync: encrypted returns, review fixes (issue 5) ----------------------------------------
    "FIL012": MessageSpec(
        Severity.ERROR,
        "The file is protected with a password whose key takes {value} rounds to derive, more "
        "than any workbook Excel, LibreOffice or this toolkit saves uses ({detail}); no password "
        "was tried, so that it cannot hold up the sync",
        "Please ask the sender to open the workbook they were sent, save it again with the "
        "password they were given, and resend it.",
        pair_todo="Please open the workbook you were sent, save it again with the password you "
        "were given, and send it back to your coordinator.",
    ),
    "FIL013": MessageSpec(
        Severity.ERROR,
        "The file is protected with a password; none of the {value} passwords tried opened it, "
        "and {detail} other pairs' passwords were not tried (one file may only take a few "
        "seconds of the sync)",
        "If you know which pair sent it, rename the file so that its name holds the pair code "
        "(for example P007_{file}) and run sync again: that pair's password is tried first.",
        pair_todo="Please save the workbook with the password you were given and send it again to "
        "your coordinator, keeping the file name it had when you received it.",
    ),
    "FIL014": MessageSpec(
        Severity.ERROR,
        "The file is protected with a password that is not the one its pair was given",
        "Please ask the sender to save it with the password they were given (File > Save As > "
        "Tools > General Options in Excel) or to resend the workbook they received, and resend "
        "it.",
        pair_todo="Please save the workbook again with the password you were given (in Excel: "
        "File > Save As > Tools > General Options) and send it back to your coordinator.",
    ),
    "FIL015": MessageSpec(
        Severity.INFO,
        "Pair {value}'s workbook was sent with a password and came back without one",
        "Nothing to do for this file; the programme's confidentiality policy asks the pair to "
        "keep the password on the workbook when they save it.",
        pair_todo="Nothing to do for this file; next time, please keep the password on the "
        "workbook when you save it, as the programme's confidentiality policy asks.",
    ),
    "IDN008": MessageSpec(
        Severity.INFO,
        "The hidden identity sheet is missing; the coordinator confirmed on {detail} that the "
        "file is pair {value!r}'s",
        "Nothing to do; please ask the pair to keep filling the workbook they were sent rather "
        "than a copy.",
        pair_todo="Nothing to do for this file; next time, please fill in the workbook you were "
        "sent rather than a copy.",
    ),
    "SYN004": MessageSpec(
        Severity.ERROR,
        "{value!r} is not a file held for confirmation: {detail}",
        "Please give a file of quarantine/ whose reason is IDN006 (its name there, or its "
        "original name), as the sync listed it.",
    ),
    "VAL019": MessageSpec(
        Severity.WARNING,
        "The date {value} in '{column}' is far outside the cycle ({detail}); it was kept as typed",
        "Please check the date with the pair (a slip such as 2062 for 2026).",
        pair_todo="If the date is wrong, please correct it in your latest copy and send it again.",
    ),
    "FIL016": MessageSpec(
        Severity.INFO,
        "The file gives the time it was saved, {value}, without a time zone; it was read as the "
        "local time of the mentee's country {country} ({detail})",
        "Nothing to do.",
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
        pair_todo="Please tell the coordinator which value is right; both are kept.",
    ),
}


_PLACE_WORDS: dict[str, tuple[str, str, str]] = {
    "en": ("sheet", "cell", "row"),
    "fr": ("feuille", "cellule", "ligne"),
    "es": ("hoja", "celda", "fila"),
    "pt": ("folha", "célula", "linha"),
}
"""How a location is named in each language: sheet, cell, row."""


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

    def where(self, lang: str = "en") -> str:
        """The location as one short phrase, e.g. ``roster.xlsx, sheet 'People', cell C7``."""
        words = _PLACE_WORDS.get(lang, _PLACE_WORDS["en"])
        parts = [self.file] if self.file else []
        if self.sheet:
            parts.append(f"{words[0]} '{self.sheet}'")
        if self.cell:
            parts.append(f"{words[1]} {self.cell}")
        elif self.row is not None:
            parts.append(f"{words[2]} {self.row}")
        return ", ".join(parts)

    def text_in(self, lang: str) -> str:
        """What is wrong, in ``lang`` (English when that translation is missing)."""
        template = _translated(self.code, lang, "text")
        if template is None or _unfillable(template, self.facts):
            return self.message
        return template.format_map(_Defaulting(self.facts))

    def todo_in(self, lang: str) -> str:
        """What to do, in ``lang`` (English when that translation is missing)."""
        todo = _translated(self.code, lang, "todo")
        if todo is None or _unfillable(todo, self.facts):
            return self.todo
        return todo.format_map(_Defaulting(self.facts))

    def pair_todo_in(self, lang: str) -> str:
        """What the pair should do, in ``lang``: for receipts, which go to the pair."""
        spec = CATALOGUE.get(self.code)
        if spec is not None and spec.pair_todo:
            for template in (_translated(self.code, lang, "pair_todo"), spec.pair_todo):
                if template and not _unfillable(template, self.facts):
                    return template.format_map(_Defaulting(self.facts))
        return self.todo_in(lang)

    def render(self, lang: str = "en") -> str:
        """The full message: where, what, what to do; in ``lang`` where translated."""
        where = self.where(lang)
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
        todo=spec.todo.format_map(_Defaulting(values)),
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
        for code, langs in (yamlio.safe_load(entry.read_text(encoding="utf-8")) or {}).items():
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


def _unfillable(template: str, facts: tuple[tuple[str, Any], ...]) -> bool:
    """Whether a translation needs facts a finding no longer has (one read back from the
    ledger keeps only its English texts, which are then shown instead)."""
    return not facts and "{" in template


class _Defaulting(dict):
    """A format mapping that leaves unknown placeholders visible instead of raising."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"
