"""Property: whatever a person types into valid cells comes back from the ledger unchanged
(in canonical form), through build → fill → save → sync."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builders.programme import build_programme, create_programme
from sync.run import sync_programme
from tests.conftest import NOW, PAIRS, PEOPLE, START
from toolkit.contract import load_contract
from toolkit.demo.fill import PairWorkbookFiller
from toolkit.ledger import Ledger

CONTRACT = load_contract()

text = st.text(
    alphabet=st.characters(
        categories=["L", "N", "P", "Zs", "Sm", "Sc"], exclude_characters="\u00a0"
    ),
    min_size=1,
    max_size=80,
).filter(lambda s: s == s.strip() and not s.startswith(("=", "+", "-", "@")))
dates = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 12, 31))
choice = {
    name: st.sampled_from([c.code for c in cl.items]) for name, cl in CONTRACT.choice_lists.items()
}

months = st.sampled_from([str(m) for m in range(1, 13)])
session_rows = st.dictionaries(
    months,
    st.fixed_dictionaries(
        {
            "session_date": dates,
            "minutes": st.integers(0, 480),
            "mode": choice["session_mode"],
            "attendance": choice["attendance"],
            "discussed": text,
        }
    ),
    max_size=4,
)
agreement = st.fixed_dictionaries(
    {
        "goal_1": text,
        "meeting_mode": choice["session_mode"],
        "confidentiality": choice["yes_no"],
        "mentee_signed_on": dates,
    }
)


def _canonical(value: object) -> str:
    return value.isoformat() if isinstance(value, dt.date) else str(value)


# Derandomised so CI is reproducible; set derandomize=False locally to explore further.
@settings(
    max_examples=20,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(agreement=agreement, sessions=session_rows, lang=st.sampled_from(["en", "fr"]))
def test_typed_values_come_back_unchanged(agreement, sessions, lang) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "p"
        people = [p[:8] + ((lang,) if p[0] == "E1" else (p[8],)) + p[9:] for p in PEOPLE]
        create_programme(root, programme_id="t", people=people, pairs=PAIRS, start_date=START,
                         secret="s", now=NOW)  # fmt: skip
        built = build_programme(root, now=NOW)
        issued = next(w for w in built.workbooks if w.pair_id == "P001")
        assert issued.language == lang
        f = PairWorkbookFiller(issued.path, CONTRACT, lang)
        f.set("start", "returned_by", "mentor")
        expected = {}
        for field, value in agreement.items():
            f.set("agreement", field, value)
            expected[("agreement", "", field)] = _canonical(value)
        for month, row in sessions.items():
            for field, value in row.items():
                f.set("sessions", field, value, month)
                expected[("sessions", month, field)] = _canonical(value)
        f.save(root / "inbox" / "back.xlsx")

        result = sync_programme(root, now=NOW)

        # Dates outside the cycle are kept as typed, with a plausibility warning ("VAL019").
        findings = [x for o in result.files for x in o.findings if x.code != "VAL019"]
        assert ([o.status for o in result.files], findings) == (["accepted"], [])
        with Ledger(root / "mentorkit.db") as ledger:
            assert ledger.current_values("P001").get("P001", {}) == expected
