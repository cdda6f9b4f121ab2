"""programme.yaml and roster.xlsx: every problem reported with its location."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from builders.programme import build_programme, create_programme
from builders.roster import render_roster_template
from tests.conftest import NOW, PAIRS, PEOPLE
from toolkit.errors import ConfigError, ProgrammeFolderError
from toolkit.framework import load_framework
from toolkit.programme import load_programme, programme_template
from toolkit.roster import read_roster


def _config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "programme.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def template() -> str:
    return programme_template(
        programme_id="x", name="X", cohort="2026-A", start_date=dt.date(2026, 1, 1)
    )


def test_the_commented_template_loads(tmp_path: Path, template: str) -> None:
    programme = load_programme(_config(tmp_path, template))
    assert (programme.cycle.months, programme.delivery_mode.value) == (12, "hybrid")
    assert programme.languages == ["en", "fr"]


def test_invalid_yaml_is_reported(tmp_path: Path, template: str) -> None:
    with pytest.raises(ConfigError) as err:
        load_programme(_config(tmp_path, template.replace("  months: 12", "months:\t[12")))
    assert [f.code for f in err.value.findings] == ["CFG001"]


def test_every_bad_value_is_reported_with_key_path_and_line(tmp_path, template) -> None:
    broken = (
        template.replace("months: 12", "months: twelve")
        .replace("delivery_mode: hybrid", "delivery_mode: online")
        .replace("languages: [en, fr]", "languages: [en, de]")
        .replace("email: mentoring@example.org", "emial: mentoring@example.org")
    )
    with pytest.raises(ConfigError) as err:
        load_programme(_config(tmp_path, broken))
    lines = template.splitlines()
    line_of = {k: next(i for i, t in enumerate(lines, 1) if t.strip().startswith(k)) for k in
               ("months:", "delivery_mode:", "languages:", "email:", "coordinator:")}  # fmt: skip
    got = sorted((f.code, f.message.split(":")[0], f.value) for f in err.value.findings)
    assert got == [
        # A missing key is located at its section.
        ("CFG002", f"key coordinator.email (line {line_of['coordinator:']})", "nothing"),
        ("CFG002", f"key coordinator.emial (line {line_of['email:']})", "mentoring@example.org"),
        ("CFG002", f"key cycle.months (line {line_of['months:']})", "twelve"),
        ("CFG002", f"key delivery_mode (line {line_of['delivery_mode:']})", "online"),
        ("CFG002", f"key languages (line {line_of['languages:']})", "['en', 'de']"),
    ]


def test_missing_programme_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as err:
        load_programme(tmp_path / "nope.yaml")
    assert [f.code for f in err.value.findings] == ["CFG003"]


def test_init_refuses_to_overwrite(programme: Path) -> None:
    before = (programme / "programme.yaml").read_bytes()
    with pytest.raises(ProgrammeFolderError):
        create_programme(programme)
    assert (programme / "programme.yaml").read_bytes() == before


def test_changing_the_programme_id_after_init_is_refused(programme: Path) -> None:
    config = programme / "programme.yaml"
    config.write_text(config.read_text().replace('id: "test"', 'id: "renamed"'), encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        build_programme(programme, now=NOW)
    assert [f.code for f in err.value.findings] == ["CFG002"]


def _roster(tmp_path: Path, people=PEOPLE, pairs=PAIRS) -> Path:
    path = tmp_path / "roster.xlsx"
    path.write_bytes(render_roster_template(NOW, people=people, pairs=pairs))
    return path


def _swap(index: int, column: int, value: str) -> list[tuple[str, ...]]:
    people = [list(p) for p in PEOPLE]
    people[index][column] = value
    return [tuple(p) for p in people]


ROSTER_CASES = [
    # (people, pairs, expected (code, sheet, Excel row, column, value))
    (_swap(0, 1, ""), PAIRS, [("ROS003", "People", 2, "name", "")]),
    (_swap(0, 3, "coach"), PAIRS, [("ROS004", "People", 2, "role", "coach")]),
    (_swap(1, 4, "Senegal"), PAIRS, [("ROS004", "People", 3, "country", "Senegal")]),
    (_swap(2, 8, "en, de"), PAIRS, [("ROS004", "People", 4, "languages", "de")]),
    (_swap(3, 11, "cooking"), PAIRS, [("ROS004", "People", 5, "domains", "cooking")]),
    (_swap(1, 2, "aminata.example.org"), PAIRS,
     [("ROS009", "People", 3, "email", "aminata.example.org")]),
    (_swap(4, 0, "E1"), PAIRS, [("ROS005", "People", 6, "person_id", "E1"),
                                ("ROS022", "Pairs", 2, "mentee_id", "E1"),
                                ("ROS006", "Pairs", 3, "mentee_id", "E2")]),
    (_swap(4, 10, "BOSS"), PAIRS, [("ROS006", "People", 6, "line_manager_id", "BOSS")]),
    (PEOPLE, [("M1", "E1"), ("M9", "E2")], [("ROS006", "Pairs", 3, "mentor_id", "M9")]),
    (PEOPLE, [("E1", "M1")], [("ROS007", "Pairs", 2, "mentor_id", "E1"),
                              ("ROS007", "Pairs", 2, "mentee_id", "M1")]),
    (PEOPLE, [("M1", "E1"), ("M2", "E1")], [("ROS008", "Pairs", 3, "mentee_id", "E1")]),
    # An unknown mentor does not hide that the mentee is paired twice.
    (PEOPLE, [("M1", "E1"), ("M9", "E1")], [("ROS006", "Pairs", 3, "mentor_id", "M9"),
                                            ("ROS008", "Pairs", 3, "mentee_id", "E1")]),
    (PEOPLE, [("M3", "E1")], [("ROS011", "Pairs", 2, "mentor_id", "M3")]),
    (PEOPLE, [("M1", "")], [("ROS003", "Pairs", 2, "mentee_id", "")]),
]  # fmt: skip


@pytest.mark.parametrize(("people", "pairs", "expected"), ROSTER_CASES)
def test_roster_problems_are_located(tmp_path: Path, people, pairs, expected) -> None:
    with pytest.raises(ConfigError) as err:
        read_roster(_roster(tmp_path, people, pairs), load_framework())
    got = [(f.code, f.sheet, f.row, f.column, f.value) for f in err.value.findings]
    assert got == expected


def test_references_to_a_person_id_used_twice_are_ambiguous(tmp_path: Path) -> None:
    # M3's row says M2: M2 is on rows 3 and 4. E2 prefers M2, and a pair names M2.
    rows = [[*p, ""] for p in _swap(2, 0, "M2")]
    rows[3][10] = ""  # E1's line manager was M3
    rows[4][12] = "M2"
    with pytest.raises(ConfigError) as err:
        read_roster(_roster(tmp_path, [tuple(r) for r in rows], [("M2", "E2")]), load_framework())
    got = [(f.code, f.sheet, f.row, f.column, f.value) for f in err.value.findings]
    assert got == [
        ("ROS005", "People", 4, "person_id", "M2"),
        ("ROS022", "People", 6, "preferred_mentors", "M2"),
        ("ROS022", "Pairs", 2, "mentor_id", "M2"),
    ]
    assert "rows 3 and 4" in err.value.findings[1].message


def test_typed_pairs_matching_would_refuse_are_warnings(tmp_path: Path) -> None:
    # M3 (mid, English) with E2 (junior, French): no shared language. M2 (senior) with E1
    # made senior: the mentor is not above the mentee. Both pairs are kept.
    rows = [list(p) for p in _swap(3, 7, "senior")]
    rows[3][8] = "en, fr"  # so E1 and M2 share French
    rows[3][10] = ""  # E1's line manager was M3
    roster = read_roster(
        _roster(tmp_path, [tuple(r) for r in rows], [("M2", "E1"), ("M3", "E2")]),
        load_framework(),
    )
    got = [(f.code, f.severity.value, f.sheet, f.row, f.column, f.value) for f in roster.warnings]
    assert got == [
        ("ROS024", "warning", "Pairs", 2, "mentor_id", "M2"),
        ("ROS023", "warning", "Pairs", 3, "mentor_id", "M3"),
    ]
    assert [(p.mentor_id, p.mentee_id) for p in roster.pairs] == [("M2", "E1"), ("M3", "E2")]


def test_roster_forgives_case_and_language_names(tmp_path: Path) -> None:
    people = _swap(1, 8, "Français")
    people = [tuple(p) for p in people]
    roster = read_roster(_roster(tmp_path, people), load_framework())
    assert roster.people["M2"].languages == ("fr",)
    assert roster.people["E1"].domains == ("technical",)


def test_roster_missing_sheet_and_column(tmp_path: Path) -> None:
    import openpyxl

    path = _roster(tmp_path)
    wb = openpyxl.load_workbook(path)
    del wb["Pairs"]
    wb["People"]["A1"] = "identifier"
    wb.save(path)
    with pytest.raises(ConfigError) as err:
        read_roster(path, load_framework())
    got = sorted((f.code, f.sheet, f.column) for f in err.value.findings)
    assert got[:2] == [("ROS001", "Pairs", ""), ("ROS002", "People", "person_id")]


def test_unreadable_roster(tmp_path: Path) -> None:
    import zipfile

    damaged = tmp_path / "damaged.xlsx"
    damaged.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    garbled = tmp_path / "roster.xlsx"
    with zipfile.ZipFile(garbled, "w") as zf:
        zf.writestr("xl/workbook.xml", "this is not XML <<<")
    codes = []
    for path in (damaged, garbled):
        with pytest.raises(ConfigError) as err:
            read_roster(path, load_framework())
        codes.append([f.code for f in err.value.findings])
    assert codes == [["FIL002"], ["ROS010"]]


def test_unsupported_roster_language_falls_back_with_a_warning(tmp_path: Path) -> None:
    people = [tuple(p) for p in _swap(4, 8, "pt")]
    root = tmp_path / "p"
    create_programme(root, programme_id="t", people=people, pairs=PAIRS, now=NOW)
    result = build_programme(root, now=NOW)
    # E2 now speaks only Portuguese, their mentor M2 only French: a warning for the typed
    # pair too.
    assert [(f.code, f.row, f.value) for f in result.findings] == [
        ("ROS023", 3, "M2"),
        ("ROS012", 6, "pt"),
    ]
    assert {w.pair_id: w.language for w in result.workbooks}["P002"] == "en"


def test_workbook_language_is_one_the_mentor_also_speaks(tmp_path: Path) -> None:
    # E3 lists French first, but their mentor M3 speaks only English: the workbook is in
    # English. E1 lists French first and M1 speaks it: French.
    rows = [list(p) for p in _swap(5, 8, "fr, en")]
    rows[3][8] = "fr, en"
    root = tmp_path / "p"
    create_programme(root, programme_id="t", people=[tuple(r) for r in rows], pairs=PAIRS, now=NOW)
    result = build_programme(root, now=NOW)
    assert result.findings == []
    assert {w.pair_id: w.language for w in result.workbooks} == {
        "P001": "fr", "P002": "fr", "P003": "en",
    }  # fmt: skip


def test_impossible_date_and_non_utf8_file_are_config_errors(tmp_path: Path, template) -> None:
    codes = []
    for data in (
        template.replace("start_date: 2026-01-01", "start_date: 2026-02-30").encode(),
        template.replace('name: "X"', 'name: "Programme régional"').encode("cp1252"),
    ):
        path = tmp_path / "programme.yaml"
        path.write_bytes(data)
        with pytest.raises(ConfigError) as err:
            load_programme(path)
        codes.append([f.code for f in err.value.findings])
    assert codes == [["CFG001"], ["CFG001"]]


def test_a_cycle_starts_on_a_day_every_month_has(tmp_path: Path, template) -> None:
    path = tmp_path / "programme.yaml"
    path.write_text(template.replace("start_date: 2026-01-01", "start_date: 2026-01-31"))
    with pytest.raises(ConfigError) as err:
        load_programme(path)
    (problem,) = err.value.findings
    assert problem.code == "CFG002" and "a day from 1 to 28" in problem.render()
    assert "cycle.start_date" in problem.render()


def test_init_checks_id_and_cohort_before_writing_anything(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as err:
        create_programme(tmp_path / "p", cohort="2026 A")
    assert [f.code for f in err.value.findings] == ["CFG002"]
    assert not (tmp_path / "p").exists()


def test_names_with_colons_and_numeric_ids_survive_the_template(tmp_path: Path) -> None:
    create_programme(tmp_path / "p", programme_id="2026", name="M&E: West Africa", now=NOW)
    programme = load_programme(tmp_path / "p" / "programme.yaml")
    assert (programme.programme.id, programme.programme.name) == ("2026", "M&E: West Africa")
