"""Receipts go to the mentor/mentee pair: every code they can show tells the pair what to do."""

from __future__ import annotations

import re
from string import Formatter

import pytest

from toolkit.messages import CATALOGUE, finding, translations

RECEIPT_PREFIXES = ("FIL", "IDN", "VAL", "SYN")
"""Codes a sync attaches to one returned file, and so to that file's receipt."""

RUN_LEVEL = {"SYN001", "SYN002", "SYN004"}
"""SYN codes about the whole run (its lock) or the coordinator's 'accept' command: no receipt."""

PAIR_FACING_TODO = {"FIL005", "FIL016", "VAL001", "VAL002", "VAL003", "VAL004", "VAL005"}
"""Codes whose ``todo`` already speaks to the person who typed the value ("Nothing to do",
"Please pick one of the choices..."), so a receipt shows it as it is."""

COORDINATOR_WORDS = re.compile(
    r"\bthe sender\b|\bthe pair\b|\bask (them|the)\b|\bmentorkit\b|\bquarantine\b|master\.xlsx",
    re.IGNORECASE,
)
"""Wording that addresses the coordinator at the terminal, never the pair."""

TRANSLATED_COORDINATOR_WORDS = re.compile(
    r"expéditeur|binôme|remitente|la pareja|remetente|\bao par\b|\bo par\b", re.IGNORECASE
)

RECEIPT_CODES = sorted(
    c for c in CATALOGUE if c.startswith(RECEIPT_PREFIXES) and c not in RUN_LEVEL
)
PAIR_TODO_CODES = sorted(c for c in CATALOGUE if CATALOGUE[c].pair_todo)


def _fields(template: str) -> set[tuple[str, str | None]]:
    return {(name, conv) for _, name, _, conv in Formatter().parse(template) if name is not None}


def test_the_lists_name_real_codes() -> None:
    assert set(CATALOGUE) >= RUN_LEVEL | PAIR_FACING_TODO
    assert not PAIR_FACING_TODO & RUN_LEVEL


@pytest.mark.parametrize("code", RECEIPT_CODES)
def test_every_receipt_code_tells_the_pair_what_to_do(code: str) -> None:
    spec = CATALOGUE[code]
    if code in PAIR_FACING_TODO:
        assert not spec.pair_todo, f"{code} has a pair_todo: take it off PAIR_FACING_TODO"
        assert not COORDINATOR_WORDS.search(spec.todo), f"{code}'s todo speaks to the coordinator"
    else:
        assert spec.pair_todo, f"{code}'s todo speaks to the coordinator; write a pair_todo"


@pytest.mark.parametrize("code", PAIR_TODO_CODES)
def test_every_pair_todo_is_translated_with_the_same_placeholders(code: str) -> None:
    spec = CATALOGUE[code]
    english = _fields(spec.pair_todo)
    assert not COORDINATOR_WORDS.search(spec.pair_todo)
    # A placeholder the finding's facts cannot fill would show as '{name}' on the receipt.
    assert english <= _fields(spec.text) | _fields(spec.todo)
    for lang in ("fr", "es", "pt"):
        wording = translations().get(code, {}).get(lang, {}).get("pair_todo")
        assert wording, f"{code}:{lang}:pair_todo is missing"
        assert _fields(wording) == english, f"{code}:{lang}:pair_todo"
        assert not TRANSLATED_COORDINATOR_WORDS.search(wording), f"{code}:{lang}:pair_todo"


def test_a_receipt_shows_the_pair_wording_in_the_pair_language() -> None:
    f = finding("FIL002", file="P001.xlsx", detail="bad zip")
    assert f.pair_todo_in("en") == CATALOGUE["FIL002"].pair_todo
    assert f.pair_todo_in("fr") == translations()["FIL002"]["fr"]["pair_todo"]
    assert f.todo_in("en") == CATALOGUE["FIL002"].todo
    # A finding read back from the ledger keeps no facts; wording without placeholders is shown.
    bare = finding("FIL002")
    assert bare.pair_todo_in("es") == translations()["FIL002"]["es"]["pair_todo"]


def test_every_report_text_is_translated_with_the_same_placeholders() -> None:
    from toolkit.report_text import report_areas, report_labels
    from toolkit.text import LANGUAGES

    for area in report_areas():
        for key, text in report_labels(area).items():
            assert set(text) == set(LANGUAGES), (area, key, sorted(set(LANGUAGES) - set(text)))
            for lang in LANGUAGES[1:]:
                assert _fields(text[lang]) == _fields(text["en"]), (area, key, lang)
