"""Turning what a person typed into a cell into the ledger's canonical text, by field type.

Canonical forms: dates ``YYYY-MM-DD``; whole numbers ``42``; decimals ``1.5``; choices and yes/no
their stable code; text as typed, trimmed. Anything that cannot be converted yields a finding
code and is *not* applied, so a bad cell never overwrites a good value; the original file is
archived, so the typed text is never lost.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from toolkit.contract import DATE_MAX, DATE_MIN, Contract, FieldSpec, FieldType
from toolkit.text import LANGUAGES, normalise, tr

_EXCEL_EPOCH = dt.date(1899, 12, 30)
_ISO = re.compile(r"^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?:[ T].*)?$")
_GROUPED = re.compile(r"-?\d{1,3}(?:([ ,.])\d{3})(?:\1\d{3})*")
_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2,4})$")


@dataclass(frozen=True)
class Converted:
    """The canonical text of a cell, or the finding code (and facts) that explain why not."""

    value: str | None
    code: str = ""
    facts: dict[str, Any] | None = None

    @property
    def ok(self) -> bool:
        return self.value is not None


class ChoiceIndex:
    """Normalised labels (every language) and codes of each choice list → code."""

    def __init__(self, contract: Contract) -> None:
        self.contract = contract
        self._index: dict[str, dict[str, str]] = {}
        for name, choice_list in contract.choice_lists.items():
            lookup: dict[str, str] = {}
            for choice in choice_list.items:
                lookup[normalise(choice.code)] = choice.code
                for lang in LANGUAGES:
                    if lang in choice.label:
                        lookup[normalise(choice.label[lang])] = choice.code
            self._index[name] = lookup

    def code(self, list_name: str, typed: str) -> str | None:
        """The code a typed label or code stands for, or None."""
        return self._index[list_name].get(normalise(typed))

    def allowed(self, list_name: str, lang: str) -> str:
        """The list's labels in one language, for a message."""
        return ", ".join(tr(c.label, lang) for c in self.contract.choices(list_name))


def convert(
    spec: FieldSpec,
    raw: Any,
    choices: ChoiceIndex,
    lang: str,
    date_order: str = "dmy",
    country: str = "",
) -> Converted:
    """Convert one cell's raw value (as python-calamine returns it) for a field.

    ``date_order`` (``dmy`` or ``mdy``, from the pair's ``country``) decides a date typed as
    text that could be read both ways, such as 03/04/2026; such a date is flagged (VAL015).
    """
    if raw is None or (isinstance(raw, str) and raw.strip() == ""):
        return Converted("")
    if spec.type in (FieldType.TEXT, FieldType.LONG_TEXT):
        return _text(spec, raw)
    if spec.type is FieldType.DATE:
        return _date(raw, date_order, country)
    if spec.type in (FieldType.INTEGER, FieldType.DECIMAL):
        return _number(spec, raw)
    assert spec.list_name is not None
    typed = _plain_text(raw)
    code = choices.code(spec.list_name, typed)
    if code is None:
        return Converted(None, "VAL001", {"allowed": choices.allowed(spec.list_name, lang)})
    return Converted(code)


def _plain_text(raw: Any) -> str:
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, dt.datetime):
        return raw.isoformat(sep=" ")
    return str(raw).strip()


def _text(spec: FieldSpec, raw: Any) -> Converted:
    text = _plain_text(raw)
    limit = spec.text_limit or 0
    if limit and len(text) > limit:
        # Kept in full: the finding only warns that it is longer than the form expects.
        return Converted(text, "VAL006", {"detail": len(text), "allowed": limit})
    return Converted(text)


def _date(raw: Any, order: str = "dmy", country: str = "") -> Converted:
    value: dt.date | None = None
    ambiguous = False
    if isinstance(raw, dt.datetime):
        value = raw.date()
    elif isinstance(raw, dt.date):
        value = raw
    elif isinstance(raw, (int, float)) and not isinstance(raw, bool):
        if 20000 < raw < 80000:  # an Excel serial day number that lost its date format
            value = _EXCEL_EPOCH + dt.timedelta(days=int(raw))
    else:
        value, ambiguous = read_date_text(str(raw).strip(), order)
    if value is None:
        return Converted(None, "VAL002")
    if not DATE_MIN <= value <= DATE_MAX:
        allowed = f"{DATE_MIN.isoformat()} to {DATE_MAX.isoformat()}"
        return Converted(None, "VAL005", {"allowed": allowed})
    if ambiguous:
        # ISO year-month-day: unambiguous, and the same in every language of a receipt.
        shown = value.isoformat()
        return Converted(value.isoformat(), "VAL015", {"detail": shown, "country": country or "?"})
    return Converted(value.isoformat())


def parse_date_text(text: str, order: str = "dmy") -> dt.date | None:
    """A date typed as text: ISO ``2026-03-15`` (also ``/`` or ``.``), or ``15/03/2026`` /
    ``03/15/2026`` (also ``.``/``-``), read in ``order`` when both readings are dates."""
    return read_date_text(text, order)[0]


def read_date_text(text: str, order: str = "dmy") -> tuple[dt.date | None, bool]:
    """Like :func:`parse_date_text`, and whether the text could be read both ways (then it is
    read in ``order``: ``mdy`` month first, anything else day first)."""
    m = _ISO.match(text)
    if m:
        return _safe_date(int(m[1]), int(m[3]), int(m[4])), False
    m = _DMY.match(text)
    if not m:
        return None, False
    first, second, year = int(m[1]), int(m[2]), int(m[3])
    year += 2000 if year < 100 else 0
    day_first = _safe_date(year, second, first)
    month_first = _safe_date(year, first, second)
    if day_first and month_first and day_first != month_first:
        return (month_first if order == "mdy" else day_first), True
    return day_first or month_first, False


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _number(spec: FieldSpec, raw: Any) -> Converted:
    if isinstance(raw, bool):
        return Converted(None, "VAL003")
    if isinstance(raw, (int, float)):
        number = float(raw)
    else:
        text = str(raw).strip().replace("\u00a0", " ").replace("\u202f", " ")
        if _GROUPED.fullmatch(text) and (spec.type is FieldType.INTEGER or "," not in text):
            text = re.sub(r"[ ,.]", "", text)  # thousands separators: 1,000 / 1 000 / 1.000
        elif _GROUPED.fullmatch(text):
            return Converted(None, "VAL003")  # 1,500 in a decimal field: 1.5 or 1500?
        text = text.replace(" ", "")
        if re.fullmatch(r"-?\d+,\d+", text):
            text = text.replace(",", ".")  # a decimal comma
        try:
            number = float(text)
        except ValueError:
            return Converted(None, "VAL003")
    if spec.type is FieldType.INTEGER and not number.is_integer():
        return Converted(None, "VAL004")
    low = spec.min if spec.min is not None else float("-inf")
    high = spec.max if spec.max is not None else float("inf")
    if not low <= number <= high:
        allowed = f"{_fmt(spec.min)} to {_fmt(spec.max)}"
        return Converted(None, "VAL005", {"allowed": allowed})
    if spec.type is FieldType.INTEGER:
        return Converted(str(int(number)))
    return Converted(_fmt(number))


def _fmt(number: float | None) -> str:
    if number is None:
        return "any"
    return str(int(number)) if float(number).is_integer() else repr(float(number))
