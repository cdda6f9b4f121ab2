"""The demo plays a realistic year, read back from the ledger it leaves (not taken from the
demo's own constants alone): 48 pairs in six countries and four languages matched by the
engine, quarterly returns with late and missing ones, refreshes, an ending and a re-match, two
copies of one workbook, every kind of odd file, and what the indicators and follow-up list
look for."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
from collections import Counter
from pathlib import Path

from python_calamine import CalamineWorkbook

from toolkit.demo import year
from toolkit.demo.digest import ledger_digest
from toolkit.demo.texts import bank, evidence, texts
from toolkit.followup import follow_up_items
from toolkit.framework import framework_for
from toolkit.ledger import Ledger, MatchingStore
from toolkit.programme import load_programme


def _ledger(result):
    with Ledger(result.root / "mentorkit.db") as ledger:
        return (ledger.pairs(), ledger.submissions(), ledger.current_values(),
                MatchingStore(ledger).confirmations(), MatchingStore(ledger).endings(),
                ledger.conflicts(), ledger.people())  # fmt: skip


def _days(submissions, pair_id: str, status: str = "accepted") -> list[dt.date]:
    return sorted(dt.date.fromisoformat(s.received_at[:10]) for s in submissions
                  if s.pair_id == pair_id and s.status == status)  # fmt: skip


def test_a_cohort_of_48_pairs_in_six_countries_and_four_languages_matched_by_the_engine(
    demo_year,
) -> None:
    pairs, _, _, confirmations, _, _, people = _ledger(demo_year)
    assert len(pairs) >= 40
    assert len({people[p.mentee_id]["country"] for p in pairs}) == 6
    assert {p.language for p in pairs} == {"en", "fr", "es", "pt"}
    confirmed = {(c.mentor_id, c.mentee_id) for c in confirmations}
    assert {(p.mentor_id, p.mentee_id) for p in pairs} == confirmed  # every pair from matching
    # The coordinator's review was honoured: the forbidden proposal is not a pair.
    reviewed = demo_year.root / year.CONFIRMED_COPY
    assert reviewed.is_file()
    forbidden = [c for c in confirmations if c.mentee_id == year.FORBIDDEN]
    assert forbidden and all(c.comment == "" for c in forbidden)
    rows = CalamineWorkbook.from_path(str(reviewed)).get_sheet_by_name("Decisions").to_python()
    header = next(i for i, row in enumerate(rows) if row[:1] == ["mentor_id"])
    decisions = [dict(zip(rows[header], row, strict=True)) for row in rows[header + 1 :]]
    (decision,) = [d for d in decisions if d["forbid"] == "yes"]
    assert decision["mentee_id"] == year.FORBIDDEN
    assert decision["mentor_id"] not in {c.mentor_id for c in forbidden}
    locked = [c for c in confirmations if c.mentee_id in year.LOCKED]
    assert [c.comment for c in locked] == ["Agreed with both line managers."] * 2


def test_returns_after_each_quarter_some_late_some_missing(demo_year) -> None:
    pairs, submissions, *_ = _ledger(demo_year)
    deadline = load_programme(demo_year.root / "programme.yaml").monitoring.return_deadline_days
    late = missing = 0
    for end in year.QUARTER_ENDS:
        window = [
            s
            for s in submissions
            if s.status == "accepted"
            and end < dt.date.fromisoformat(s.received_at[:10]) <= end + dt.timedelta(45)
        ]
        days = [(dt.date.fromisoformat(s.received_at[:10]) - end).days for s in window]
        assert sum(d <= deadline for d in days) >= 40, end  # most on time
        late += sum(d > deadline for d in days)
        missing += len({p.pair_id for p in pairs} - {s.pair_id for s in window})
    assert late >= 6 and missing >= 4
    p = demo_year.pair_of
    assert _days(submissions, p[year.SILENT]) == []
    assert _days(submissions, p[year.MISSES_Q4])[-1] < year.QUARTER_ENDS[-1]
    q3_end = year.QUARTER_ENDS[2]
    assert q3_end + dt.timedelta(27) in _days(submissions, p[year.LATE[0]])


def test_quarterly_refreshes_and_returns_of_older_revisions(demo_year) -> None:
    _, submissions, *_ = _ledger(demo_year)
    assert len(demo_year.builds) == 5  # the first, three refreshes and the re-matched pair's
    revisions = Counter(s.revision for s in submissions if s.status == "accepted")
    assert set(revisions) == {1, 2, 3, 4}
    # A pair that missed a round or was late keeps its own copy: an older revision arrives
    # after a newer one was issued, and is accepted.
    refreshed = {n + 2: end + dt.timedelta(year.REFRESH_AFTER)
                 for n, end in enumerate(year.QUARTER_ENDS[:3])}  # fmt: skip
    older = [s for s in submissions if s.status == "accepted" and s.revision
             and any(s.revision < r and dt.date.fromisoformat(s.received_at[:10]) > day
                     for r, day in refreshed.items())]  # fmt: skip
    assert len(older) >= 5


def test_a_no_fault_ending_and_a_re_match(demo_year) -> None:
    pairs, submissions, _, confirmations, endings, *_ = _ledger(demo_year)
    ended = demo_year.pair_of[year.ENDED[0]]
    assert [(e.pair_id, e.reason, e.ended_on) for e in endings] == [
        (ended, "no-fault", year.ENDED[1].isoformat())
    ]
    by_id = {p.pair_id: p for p in pairs}
    new = by_id[demo_year.rematched]
    assert new.mentee_id == by_id[ended].mentee_id and new.mentor_id != by_id[ended].mentor_id
    assert any(c.rematch and c.mentee_id == new.mentee_id for c in confirmations)
    assert _days(submissions, ended)[-1] < year.ENDED[1]
    assert len(_days(submissions, new.pair_id)) >= 3  # it returns from quarter 2 on


def test_a_mentor_copy_and_a_mentee_copy_of_one_workbook(demo_year) -> None:
    _, submissions, _, _, _, conflicts, _ = _ledger(demo_year)
    pid = demo_year.pair_of[year.TWO_COPIES]
    senders = Counter(s.returned_by for s in submissions if s.pair_id == pid)
    assert senders["mentor"] >= 3 and senders["mentee"] >= 4
    assert [(c["pair_id"], c["tool"], c["field"]) for c in conflicts] == [
        (pid, "sessions", "minutes")
    ]


def test_every_kind_of_odd_file(demo_year) -> None:
    _, submissions, *_ = _ledger(demo_year)
    p = demo_year.pair_of
    by_reason = Counter((s.pair_id, s.status, s.reason_code) for s in submissions)
    assert by_reason[(p[year.FORWARDED], "duplicate", "FIL005")] == 1
    assert by_reason[(None, "quarantined", "FIL002")] == 1  # damaged: no pair can be read
    assert by_reason[(None, "quarantined", "FIL004")] == 1  # the pair's own password
    with Ledger(demo_year.root / "mentorkit.db") as ledger:
        codes = Counter(f["code"] for f in ledger.findings())
    assert codes["FIL011"] >= 1  # the stale copy
    assert codes["VAL001"] + codes["VAL003"] >= 2  # the typing mistakes
    # The damaged and the protected files were sent again, and accepted within days.
    for mentee in (year.DAMAGED, year.PROTECTED):
        assert len(_days(submissions, p[mentee])) == 4
    quarantine = demo_year.root / "quarantine"
    assert len(list(quarantine.glob("*.reason.txt"))) == 2
    # Without LibreOffice, the demo says so, and those pairs send Excel files.
    assert any("LibreOffice, which is not installed here" in line for line in demo_year.progress)
    assert not any(s.file_name.endswith(".ods") for s in submissions)
    receipts = list((demo_year.root / "outbox" / "receipts").glob("receipt_*.xlsx"))
    assert len(receipts) == len(submissions)


def test_the_year_holds_what_the_follow_up_list_looks_for(demo_year) -> None:
    _, _, values, *_ = _ledger(demo_year)
    p = demo_year.pair_of

    def answers(name: str, test) -> set[tuple[str, str]]:
        return {(pid, r) for pid in values for (_, r, f), v in values[pid].items()
                if f == name and v and test(v)}  # fmt: skip

    signed = {pid for pid in values if values[pid].get(("agreement", "", "mentee_signed_on"))}
    assert set(values) - signed == {p[year.UNSIGNED]}
    assert answers("mentee_satisfaction", lambda v: int(v) <= 2) == {
        (p[year.LOW_SATISFACTION[0]], year.LOW_SATISFACTION[1])
    }
    assert answers("support_needed", lambda v: v == "yes") == {
        (p[year.SUPPORT_REQUEST[0]], year.SUPPORT_REQUEST[1])
    }
    lapsed = values[p[year.LAPSED[0]]]
    months = sorted(int(r) for (t, r, f), v in lapsed.items() if f == "session_date" and v)
    assert months[-1] <= year.LAPSED[1] and len(months) >= 4


def test_the_follow_up_list_finds_the_planted_cases_just_after_a_round(demo_year) -> None:
    """Read just after a round's returns are in, the list holds each planted case and few
    others (between rounds, sessions not yet returned would all count as gaps)."""
    root, p = demo_year.root, demo_year.pair_of
    programme = load_programme(root / "programme.yaml")

    def listed(day: dt.date) -> tuple[set[tuple[str, str]], Counter[str]]:
        with Ledger(root / "mentorkit.db") as ledger:
            items = follow_up_items(ledger, programme, framework_for(root, programme), day)
        return {(i.pair_id, i.rule) for i in items}, Counter(i.rule for i in items)

    mid, rules = listed(year.MID_YEAR)
    assert {
        (p[year.LOW_SATISFACTION[0]], "LOW-SATISFACTION"), (p[year.TWO_COPIES], "OPEN-CONFLICT"),
        (p[year.UNSIGNED], "AGREEMENT-UNSIGNED"), (p[year.SILENT], "NOT-RETURNED"),
    } <= mid  # fmt: skip
    assert rules.total() <= 48 // 2, rules
    autumn, rules = listed(year.QUARTER_ENDS[2] + dt.timedelta(days=20))
    assert {
        (p[year.SUPPORT_REQUEST[0]], "SUPPORT-REQUESTED"), (p[year.LAPSED[0]], "SESSION-GAP"),
        (p[year.LATE[0]], "NOT-RETURNED"),
    } <= autumn  # fmt: skip
    assert rules.total() <= 48 // 2, rules
    end, _ = listed(demo_year.last_day)
    assert (p[year.MISSES_Q4], "NOT-RETURNED") in end
    assert (p[year.SILENT], "NOT-RETURNED") in end


def test_sessions_texts_and_ratings_are_varied_and_in_the_pair_s_language(demo_year) -> None:
    pairs, _, values, *_ = _ledger(demo_year)
    language = {p.pair_id: p.language for p in pairs}
    attendance = Counter(v for pid in values for (t, r, f), v in values[pid].items()
                         if f == "attendance")  # fmt: skip
    assert {"both", "postponed", "mentee_absent", "mentor_absent"} <= set(attendance)
    assert attendance["both"] > 8 * (attendance.total() - attendance["both"])
    sprints = Counter(v for pid in values for (t, r, f), v in values[pid].items()
                      if f == "sprint_deliverable")  # fmt: skip
    assert set(sprints) == {"yes", "no"} and sprints["yes"] > 2 * sprints["no"]
    banks = {"discussed": "notes", "actions": "actions", "mentee_progress": "progress",
             "goal_1": "goals", "goal_2": "goals"}  # fmt: skip
    seen_languages, seen_evidence = set(), 0
    for pid, vals in values.items():
        lang = language[pid]
        missed = [m[lang] for m in texts()["missed"].values()]
        for (_, key, name), text in vals.items():
            if name in banks and text:
                assert text in bank(banks[name], lang) + missed, (pid, name, text)
                seen_languages.add(lang)
            if name == "evidence" and text:  # evidence of the milestone's own domain
                assert text in evidence(key, lang), (pid, key, text)
                seen_evidence += 1
            if name == "mentor_observations" and text:
                assert text in bank("observations", lang) + bank("struggles", lang)
        rows = {r for (t, r, f) in vals if t == "competencies"}
        for row in rows:  # ratings never go down from quarter to quarter
            ratings = [vals.get(("competencies", row, k), "")
                       for k in ("baseline", "q1", "q2", "q3", "q4")]  # fmt: skip
            given = [int(x) for x in ratings if x]
            assert given == sorted(given), (pid, row, ratings)
    assert seen_languages == {"en", "fr", "es", "pt"}
    assert seen_evidence >= 48
    for vals in values.values():  # a piece of evidence is shown for one milestone only
        shown = [v for (t, r, f), v in vals.items() if f == "evidence" and v]
        assert len(shown) == len(set(shown))
    goals = [(vals[("agreement", "", "goal_1")], vals[("agreement", "", "goal_2")])
             for vals in values.values() if ("agreement", "", "goal_1") in vals]  # fmt: skip
    assert goals and all(first != second for first, second in goals)


def test_the_last_words_say_where_to_look_and_what_the_year_holds(demo_year) -> None:
    from toolkit.demo import where_to_look

    said = where_to_look(demo_year)
    p = demo_year.pair_of
    assert "master.xlsx" in said and f"{p[year.UNSIGNED]} never signs" in said
    assert f"Ledger digest: {demo_year.digest}" in said
    assert f"Try: mentorkit sync {demo_year.root}" in said
    progress = "\n".join(demo_year.progress)
    for step in ("1. Created", "2. mentorkit match", "3. mentorkit build", "mentorkit build "
                 "--refresh", "8. Regenerated master.xlsx"):  # fmt: skip
        assert step in progress


def test_the_ledger_digest_covers_every_table_and_masks_only_what_it_is_told(
    demo_year, tmp_path: Path
) -> None:
    copy = tmp_path / "ledger.db"
    shutil.copyfile(demo_year.root / "mentorkit.db", copy)
    assert ledger_digest(copy) == demo_year.digest
    with sqlite3.connect(copy) as db:
        sha = db.execute("SELECT sha256 FROM submissions ORDER BY submission_id").fetchone()[0]
        db.execute("UPDATE submissions SET sha256 = 'x', size_bytes = 1 WHERE sha256 = ?", (sha,))
    assert ledger_digest(copy) != demo_year.digest
    masked = ledger_digest(copy, ["x"])
    # Differences only in the masked fields of a varying file leave the digest as it was.
    assert masked == ledger_digest(demo_year.root / "mentorkit.db", [sha])
    with sqlite3.connect(copy) as db:
        db.execute("UPDATE field_values SET value = value || '.' WHERE value_id = 1")
    assert ledger_digest(copy, ["x"]) != masked


def test_a_pair_s_password_protection_is_repeatable_and_says_when_it_cannot_be(
    demo_year, monkeypatch
) -> None:
    import random

    from msoffcrypto.method.container import ecma376_encrypted

    from toolkit.demo.clients import protect_with_password
    from toolkit.encryption import decrypt

    plain = (demo_year.root / "master.xlsx").read_bytes()
    at = dt.datetime(2025, 4, 3, 8, tzinfo=dt.timezone.utc)
    first, pinned = protect_with_password(plain, "Maputo2025", random.Random(1), at)
    again, _ = protect_with_password(plain, "Maputo2025", random.Random(1), at)
    assert pinned and first == again
    assert decrypt(first, [("pair", "Maputo2025")]).data == plain

    # A msoffcrypto-tool whose clock is no longer the name the demo replaces: still
    # encrypted, said not to be repeatable.
    class OtherClock(dt.datetime):
        pass

    monkeypatch.setattr(ecma376_encrypted, "datetime", OtherClock)
    data, pinned = protect_with_password(plain, "Maputo2025", random.Random(1), at)
    assert not pinned and data != first
    assert decrypt(data, [("pair", "Maputo2025")]).data == plain
