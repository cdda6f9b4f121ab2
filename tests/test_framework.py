"""The M&E framework: complete, consistent, translated, customisable, and in the workbooks."""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from python_calamine import CalamineWorkbook

from builders.guide import guide_title
from builders.programme import build_programme
from sync.run import sync_programme
from tests.test_contract import _texts
from tests.test_roundtrip import EXPECTED, _typical
from toolkit import messages
from toolkit.cli import cli
from toolkit.contract import load_contract
from toolkit.errors import ProgrammeFolderError
from toolkit.framework import (
    CELL_TEXT_LIMIT,
    ROLE_CODES,
    FrameworkError,
    check_framework,
    export_framework,
    labels,
    load_framework,
    missing_translations,
    status,
    texts,
)
from toolkit.text import LANGUAGES, missing_languages, normalise

RETURNED = dt.datetime(2026, 4, 10, 17, 0, tzinfo=dt.timezone.utc)
REQUIRED_INDICATORS = {
    "process": {"AGR30", "SES", "FREQ", "REF", "RET", "SPR", "REM", "END"},
    "outcome": {"COMP", "MIL", "ADV3", "SATE", "SATR", "GOAL"},
}
PIRS_FIELDS = ["code", "kind", "name", "definition", "numerator", "denominator", "unit",
               "disaggregation", "frequency", "data_source", "collection_method", "responsible",
               "target", "direction", "thresholds"]  # fmt: skip


def edit(folder: Path, file: str, change: Callable[[Any], None]) -> None:
    """Load one YAML file of a framework folder, let ``change`` edit it, save it back."""
    path = folder / file
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(doc)
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")


# --- the default content ------------------------------------------------------------------------


def test_every_domain_and_level_has_at_least_three_milestones() -> None:
    fw = load_framework()
    assert len(fw.domains) == 6 and [lv.code for lv in fw.levels] == ["junior", "mid", "senior"]
    for d in fw.domains:
        for lv in fw.levels:
            cell = [m for m in fw.milestones if m.domain == d.code and m.level == lv.code]
            assert len(cell) >= 3, (d.code, lv.code)
            assert all(m.evidence["en"].strip() for m in cell)


def test_session_template_sums_to_90_minutes_and_the_plan_is_complete() -> None:
    fw = load_framework()
    assert sum(s.minutes for s in fw.session_template) == 90 == fw.session_minutes
    assert [m.month for m in fw.session_plan] == list(range(1, 13))
    assert [s.quarter for s in fw.sprints] == [1, 2, 3, 4]
    for m in fw.session_plan:
        assert all(x["en"].strip() for x in (m.objective, m.preparation, m.resource))


def test_every_indicator_has_a_complete_reference_sheet() -> None:
    fw = load_framework()
    assert len(fw.indicators) >= 14
    for kind, codes in REQUIRED_INDICATORS.items():
        assert codes <= {i.code for i in fw.indicators if i.kind == kind}, kind
    for ind in fw.indicators:
        sheet = ind.model_dump()
        for name in PIRS_FIELDS:
            value = sheet[name]
            assert value not in (None, "", [], {}), (ind.code, name)
            if isinstance(value, dict) and "en" in value:
                assert value["en"].strip(), (ind.code, name)
        assert "baseline" in sheet  # a number, or null when there is no baseline yet
        assert ind.responsible in ROLE_CODES
    assert {i.direction for i in fw.indicators if i.code in ("REM", "END")} == {"decrease"}


def test_content_agrees_with_the_workbook_and_the_sprints(contract) -> None:
    """Objective 5 uses the workbook's satisfaction scale and the indicators' 4.0 target;
    objective 3 names the four sprint deliverables; each sprint scales for every level;
    every indicator without a baseline says how and when it is set."""
    fw = load_framework()
    scale = [c.code for c in contract.choices("satisfaction")]
    top = len(scale)
    satisfaction = fw.overview.objectives[4]
    assert f"1–{top} scale" in satisfaction["en"] and "4 or more" in satisfaction["en"]
    assert all(f"1 à {top}" in satisfaction["fr"] or f"1 a {top}" in satisfaction[lang]
               for lang in ("es", "pt"))  # fmt: skip
    assert {fw.indicator(c).target for c in ("SATE", "SATR")} == {4.0}
    deliverables = fw.overview.objectives[2]["en"]
    for words in ("indicator reference sheets", "data quality check", "learning brief",
                  "teaching a skill"):  # fmt: skip
        assert words.split()[0] in deliverables
    for sprint in fw.sprints:
        assert set(sprint.level_adaptation) == {lv.code for lv in fw.levels}
    for ind in fw.indicators:
        assert ind.baseline is not None or ind.baseline_note is not None, ind.code
    assert not any("adopted by" in m.evidence["en"] for m in fw.milestones if m.level == "senior")


def test_a_null_baseline_needs_its_note(tmp_path: Path) -> None:
    folder = export_framework(tmp_path).folder
    edit(folder, "evaluation.yaml", lambda doc: doc["indicators"][0].pop("baseline_note"))
    [f] = check_framework(folder).findings
    assert (f.file, dict(f.facts)["location"]) == ("evaluation.yaml", "indicators[0] (AGR30)")
    assert "baseline_note" in f.message


def test_governance_and_matching_are_complete() -> None:
    fw = load_framework()
    assert sorted(r.code for r in fw.governance.roles) == sorted(ROLE_CODES)
    weights = {c.code: c.weight for c in fw.matching.criteria}
    assert weights == {"domain_fit": 30, "preference": 20, "level_gap": 15, "timezone": 15,
                       "sector": 10, "country_diversity": 10}  # fmt: skip
    for row in fw.governance.raci:
        assert sum(1 for v in row.assignments.values() if v.startswith("A")) == 1, row.code
    days = [e.time_limit_days for e in fw.governance.escalation]
    assert len(days) >= 3 and all(d > 0 for d in days)
    assert {g.code for g in fw.matching.guidelines} == {"cross_country", "cross_sector"}
    assert fw.matching.rematching and fw.data_collection_methods and fw.review_cycle


def test_every_text_exists_in_all_four_languages(contract) -> None:
    """Framework, sheet labels, workbook contract and message catalogue: nothing missing."""
    fw = load_framework()
    missing = missing_translations(fw)
    missing += [f"label {k}:{lang}" for k, t in labels().items() for lang in missing_languages(t)]
    missing += [f"contract {k}:{lang}" for k, t in _texts(contract)
                for lang in missing_languages(t)]  # fmt: skip
    missing += [f"message {m}" for m in messages.missing_translations()]
    assert missing == []


def test_cycle_that_disagrees_with_the_framework_is_reported(programme: Path, contract) -> None:
    """programme.yaml's cycle.session_minutes and cycle.months against the framework: a
    warning from check and build; the Session log plans the template's minutes."""
    config = programme / "programme.yaml"
    text = config.read_text(encoding="utf-8")
    text = text.replace("session_minutes: 90", "session_minutes: 60")
    config.write_text(text.replace("months: 12", "months: 10"), encoding="utf-8")
    runner = CliRunner()
    checked = runner.invoke(cli, ["check", str(programme)])
    assert checked.exit_code == 0
    assert "[FWK008] programme.yaml" in checked.output and "cycle.session_minutes" in checked.output
    assert "[FWK009] programme.yaml" in checked.output and "months 11 to 12" in checked.output
    built = build_programme(programme)
    assert sorted(f.code for f in built.findings) == ["FWK008", "FWK009"]
    minutes = load_framework().session_minutes
    sessions = contract.tool("sessions")
    assert f"{minutes} minutes" in sessions.description["en"]
    assert all(f"planned: {minutes}" in f.help["en"] for f in sessions.fields if
               f.code == "minutes")  # fmt: skip


def test_spanish_uses_one_word_for_mentee(contract) -> None:
    """'mentorado' (as in the workbook's own labels, 'Mentorado/a', which sync matches in
    returned workbooks and so stay unchanged): never 'mentoreado' or 'persona mentorada'."""
    spanish = [t.get("es", "") for _, t in texts(load_framework())]
    spanish += [t.get("es", "") for t in labels().values()]
    spanish += [t.get("es", "") for _, t in _texts(contract)]
    spanish += [w.get("es", {}).get(part, "") for w in messages.translations().values()
                for part in ("text", "todo")]  # fmt: skip
    others = [s for s in spanish if "mentoread" in s.lower() or "persona mentorada" in s.lower()]
    assert others == []
    assert any("mentorado" in s for s in spanish) and any("Mentorado/a" in s for s in spanish)


def test_framework_texts_fit_in_a_cell() -> None:
    too_long = [(path, lang) for path, text in texts(load_framework())
                for lang, value in text.items() if len(value) >= CELL_TEXT_LIMIT]  # fmt: skip
    assert too_long == []


def test_time_commitment_is_computed_from_the_plan(tmp_path: Path) -> None:
    fw = load_framework()
    sessions = len(fw.session_plan) * fw.session_minutes
    sprints = sum(s.weeks * s.checkin_minutes for s in fw.sprints)
    inputs = fw.overview.commitment
    for role in ("mentor", "mentee"):
        c = fw.commitment[role]
        total = (sessions + sprints + 12 * getattr(inputs.preparation_per_session, role)
                 + 4 * getattr(inputs.reflection_per_quarter, role))  # fmt: skip
        assert c.hours_per_cycle == round(total / 60, 1)
        assert c.hours_per_month == round(total / 60 / 12, 1)
    # Longer sprints mean more hours: the figure is not typed in anywhere.
    export_framework(tmp_path)
    edit(tmp_path / "framework", "sessions.yaml",
         lambda doc: [s.update(weeks=s["weeks"] + 2) for s in doc["sprints"]])  # fmt: skip
    edited = load_framework(tmp_path / "framework")
    assert edited.commitment["mentee"].hours_per_cycle > fw.commitment["mentee"].hours_per_cycle


@pytest.mark.parametrize(
    ("direction", "value", "expected"),
    [("increase", 95, "green"), ("increase", 80, "amber"), ("increase", 10, "red"),
     ("decrease", 5, "green"), ("decrease", 15, "amber"), ("decrease", 50, "red")],
)  # fmt: skip
def test_red_amber_green_follows_the_direction(direction: str, value: float, expected: str):
    fw = load_framework()
    ind = next(i for i in fw.indicators if i.direction == direction)
    ind = ind.model_copy(
        update={"thresholds": ind.thresholds.model_copy(
            update={"green": 90 if direction == "increase" else 10,
                    "amber": 70 if direction == "increase" else 20})}
    )  # fmt: skip
    assert status(ind, value) == expected


# --- an edited framework ------------------------------------------------------------------------


def test_exported_framework_loads_the_same_as_the_defaults(tmp_path: Path) -> None:
    result = export_framework(tmp_path)
    assert result.folder == tmp_path / "framework"
    assert load_framework(result.folder) == load_framework()
    with pytest.raises(ProgrammeFolderError) as refused:
        export_framework(tmp_path)
    assert [f.code for f in refused.value.findings] == ["FWK005"]


def _broken(tmp_path: Path) -> Path:
    folder = export_framework(tmp_path).folder
    edit(folder, "sessions.yaml", lambda doc: doc["session_template"][2].update(minutes="ten"))
    edit(folder, "sessions.yaml", lambda doc: doc["sprints"].pop())
    edit(folder, "matching.yaml", lambda doc: doc["matching"]["criteria"][0].update(weight=35))
    edit(folder, "evaluation.yaml",
         lambda doc: doc["indicators"][0].update(responsible="director"))  # fmt: skip
    return folder


def test_every_problem_of_an_edited_framework_is_located(tmp_path: Path) -> None:
    folder = _broken(tmp_path)
    result = check_framework(folder)
    assert not result.ok
    located = sorted((f.code, f.file, f.message.split(":")[0]) for f in result.findings)
    assert located == [
        ("FWK002", "evaluation.yaml", "indicators[0] (AGR30).responsible"),
        ("FWK002", "matching.yaml", "matching.criteria"),
        ("FWK002", "sessions.yaml", "session_template[2] (topic).minutes"),
        ("FWK002", "sessions.yaml", "sprints"),
    ]
    rendered = "\n".join(f.render() for f in result.findings)
    assert "sessions.yaml: session_template[2] (topic).minutes:" in rendered
    assert "weights summing to 100" in rendered and "35 + 20 + 15 + 15 + 10 + 10 = 105" in rendered
    assert "four sprints" in rendered
    with pytest.raises(FrameworkError) as raised:
        load_framework(folder)
    assert len(raised.value.findings) == 4


def test_yaml_errors_missing_keys_and_duplicates_are_located(tmp_path: Path) -> None:
    folder = export_framework(tmp_path).folder
    (folder / "sessions.yaml").write_text(
        "session_template:\n  - code: checkin\n    minutes: 10\n    title: {en: a: b}\n",
        encoding="utf-8",
    )
    edit(folder, "overview.yaml", lambda doc: doc.update(sprints=[]))
    edit(folder, "governance.yaml", lambda doc: doc["governance"].pop("escalation"))
    found = {(f.code, f.file, dict(f.facts).get("line") or dict(f.facts).get("location"))
             for f in check_framework(folder).findings}  # fmt: skip
    assert found == {
        ("FWK001", "sessions.yaml", 4),
        ("FWK002", "governance.yaml", "governance.escalation"),
        ("FWK002", "overview.yaml", "sprints"),
    }
    assert [f.code for f in check_framework(tmp_path / "nowhere").findings] == ["FWK004"]


def test_missing_or_empty_translations_and_long_texts_are_problems(tmp_path: Path) -> None:
    folder = export_framework(tmp_path).folder

    def damage(doc: Any) -> None:
        title = doc["session_template"][0]["title"]
        del title["fr"]
        title["pt"] = ""
        doc["sprints"][1]["focus"]["es"] = "x" * 900

    edit(folder, "sessions.yaml", damage)
    found = sorted((f.code, f.file, dict(f.facts)["location"], dict(f.facts).get("language"))
                   for f in check_framework(folder).findings)  # fmt: skip
    assert found == [
        ("FWK006", "sessions.yaml", "session_template[0] (checkin).title", "fr"),
        ("FWK006", "sessions.yaml", "session_template[0] (checkin).title", "pt"),
        ("FWK007", "sessions.yaml", "sprints[1] (S2).focus.es", None),
    ]
    # A programme is held to its own workbook languages; loading for a build refuses too.
    assert [f.code for f in check_framework(folder, ("en", "es")).findings] == ["FWK007"]
    # The Spanish text too long for a cell does not matter to an en/fr programme (FWK007 has
    # the same language scope as FWK006): only the missing French is refused.
    with pytest.raises(FrameworkError) as raised:
        load_framework(folder, ("en", "fr"))
    assert [(f.code, dict(f.facts)["language"]) for f in raised.value.findings] == [
        ("FWK006", "fr")
    ]


def test_a_broken_item_does_not_hide_its_other_problems(tmp_path: Path) -> None:
    """Wrong role and missing baseline (structure) and inverted thresholds (consistency) of
    one indicator, and a RACI row with two A's beside a wrong role code: all reported."""
    folder = export_framework(tmp_path).folder

    def indicator(doc: Any) -> None:
        ind = doc["indicators"][0]
        ind.update(responsible="boss", thresholds={"green": 10, "amber": 90})
        del ind["baseline"]

    def raci(doc: Any) -> None:
        doc["governance"]["roles"][0]["code"] = "chief"
        row = doc["governance"]["raci"][0]["assignments"]
        for role in list(row)[:2]:
            row[role] = "A"

    edit(folder, "evaluation.yaml", indicator)
    edit(folder, "governance.yaml", raci)
    found = {(f.file, dict(f.facts)["location"]) for f in check_framework(folder).findings}
    assert {
        ("evaluation.yaml", "indicators[0] (AGR30).responsible"),
        ("evaluation.yaml", "indicators[0] (AGR30).baseline"),
        ("evaluation.yaml", "indicators[0] (AGR30).thresholds"),
        ("governance.yaml", "governance.roles[0] (chief).code"),
    } <= found
    assert any(loc.startswith("governance.raci[0]") and loc.endswith(".assignments")
               for _, loc in found)  # fmt: skip


def test_a_missing_file_and_a_yaml_error_are_named_exactly(tmp_path: Path) -> None:
    folder = export_framework(tmp_path).folder
    (folder / "sessions.yaml").unlink()
    lines = (folder / "core.yaml").read_text(encoding="utf-8").splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("version:"))
    lines[at] = lines[at].replace("version:", "version")  # the colon forgotten
    (folder / "core.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    lines = (folder / "governance.yaml").read_text(encoding="utf-8").splitlines()
    text_at = next(i for i, line in enumerate(lines) if line.strip().startswith("en: "))
    lines[text_at] = lines[text_at].replace("en: ", "en ", 1)  # YAML notices on the next line
    (folder / "governance.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    findings = check_framework(folder).findings
    yaml_errors = sorted((f.file, dict(f.facts)["line"]) for f in findings if f.code == "FWK001")
    assert yaml_errors == [("core.yaml", at + 1), ("governance.yaml", text_at + 1)]
    missing = [f for f in findings if f.file == "sessions.yaml"]
    assert {dict(f.facts)["location"] for f in missing} == {
        "session_template", "session_plan", "sprints"}  # fmt: skip
    assert all("sessions.yaml, but that file is not in the folder" in f.message for f in missing)


def test_a_programme_needs_its_own_languages_only(programme: Path) -> None:
    """A programme in English and French may leave out Spanish; not French."""
    folder = export_framework(programme).folder
    edit(folder, "sessions.yaml", lambda doc: doc["session_plan"][0]["topic"].pop("es"))
    config = programme / "programme.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "framework: framework\n", "utf-8")
    runner = CliRunner()
    for args in (["framework", "check"], ["framework", "show"], ["check"]):
        assert runner.invoke(cli, [*args, str(programme)]).exit_code == 0, args
    edit(folder, "sessions.yaml", lambda doc: doc["session_plan"][0]["topic"].pop("fr"))
    refused = runner.invoke(cli, ["build", str(programme)])
    assert refused.exit_code == 2 and "[FWK006] sessions.yaml: session_plan[0].topic" in (
        refused.output)  # fmt: skip


def test_check_of_a_programme_names_an_unused_exported_copy(programme: Path) -> None:
    export_framework(programme)
    out = CliRunner().invoke(cli, ["framework", "check", str(programme)])
    assert out.exit_code == 0
    assert "does not use it" in out.output and "framework: framework" in out.output


def test_duplicate_top_level_key_names_both_files(tmp_path: Path) -> None:
    folder = export_framework(tmp_path).folder
    (folder / "extra.yaml").write_text("version: '9'\n", encoding="utf-8")
    [f] = check_framework(folder).findings
    assert (f.code, f.file, "core.yaml" in f.message) == ("FWK003", "extra.yaml", True)


def test_key_given_twice_in_a_file_names_both_lines(tmp_path: Path) -> None:
    folder = export_framework(tmp_path).folder
    core = folder / "core.yaml"
    lines = core.read_text(encoding="utf-8").splitlines()
    at = lines.index('      fr: "1 - Pas encore"')
    lines.insert(at + 1, '      fr: "1 - Pas du tout"')  # the same label's French, twice
    lines.append("achieved_threshold: 4")  # a top-level key again, at the end of the file
    core.write_text("\n".join(lines) + "\n", encoding="utf-8")
    facts = [(f, dict(f.facts)) for f in check_framework(folder).findings]
    found = [(f.code, f.file, x["location"], x["line"], x["second"], f.value) for f, x in facts]
    threshold = next(i for i, line in enumerate(lines) if line.startswith("achieved_threshold"))
    assert found == [
        ("FWK010", "core.yaml", "rating_scale.0.label.fr", at + 1, at + 2, "1 - Pas encore"),
        ("FWK010", "core.yaml", "achieved_threshold", threshold + 1, len(lines), "3"),
    ]
    out = CliRunner().invoke(cli, ["framework", "check", str(folder)])
    assert out.exit_code == 1 and "FWK010" in out.output and f"line {at + 1}" in out.output


# --- the command line ---------------------------------------------------------------------------


def test_cli_export_check_show(tmp_path: Path) -> None:
    runner = CliRunner()
    out = runner.invoke(cli, ["framework", "export", str(tmp_path)])
    assert out.exit_code == 0 and "framework: framework" in out.output
    again = runner.invoke(cli, ["framework", "export", str(tmp_path)])
    assert again.exit_code == 2 and "FWK005" in again.output
    ok = runner.invoke(cli, ["framework", "check", str(tmp_path / "framework")])
    assert ok.exit_code == 0 and "OK" in ok.output
    _broken(tmp_path / "other")
    bad = runner.invoke(cli, ["framework", "check", str(tmp_path / "other" / "framework")])
    assert bad.exit_code == 1
    assert "[FWK002] sessions.yaml: session_template[2] (topic).minutes:" in bad.output
    assert bad.output.count("[FWK002]") == 4

    shown = runner.invoke(cli, ["framework", "show", "--json"])
    assert shown.exit_code == 0
    doc = json.loads(shown.output)
    cells = {(m["domain"], m["level"]) for m in doc["milestones"]}
    assert len(cells) == 18 and len(doc["milestones"]) >= 54
    assert len(doc["session_plan"]) == 12 and len(doc["sprints"]) == 4
    assert doc["session_minutes"] == 90 and len(doc["indicators"]) >= 12
    assert doc["commitment"]["mentee"]["hours_per_month"] > 0
    text = runner.invoke(cli, ["framework", "show"])
    assert "h per month" in text.output


def test_programme_uses_its_edited_framework(programme: Path) -> None:
    """programme.yaml 'framework: framework' makes build (and check, sync, report) use it."""
    folder = export_framework(programme).folder
    edit(folder, "sessions.yaml",
         lambda doc: doc["session_plan"][0]["topic"].update(en="Our own first topic"))  # fmt: skip
    config = programme / "programme.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "framework: framework\n", "utf-8")
    runner = CliRunner()
    assert runner.invoke(cli, ["check", str(programme)]).exit_code == 0
    result = build_programme(programme)
    wb = CalamineWorkbook.from_path(str(result.workbooks[0].path))
    log = wb.get_sheet_by_name("Session log").to_python()
    assert any("Our own first topic" in str(cell) for row in log for cell in row)
    shown = runner.invoke(cli, ["framework", "show", str(programme), "--json"])
    assert json.loads(shown.output)["session_plan"][0]["topic"]["en"] == "Our own first topic"

    edit(folder, "sessions.yaml", lambda doc: doc["session_template"][0].update(minutes=50))
    broken = runner.invoke(cli, ["build", str(programme)])
    assert broken.exit_code == 2
    assert "sessions.yaml: session_template: expected segments whose minutes sum to 90" in (
        broken.output
    )
    assert runner.invoke(cli, ["framework", "check", str(programme)]).exit_code == 1


# --- in the workbooks ---------------------------------------------------------------------------


def _sheets(path: Path) -> dict[str, list[list[object]]]:
    wb = CalamineWorkbook.from_path(str(path))
    return {name: wb.get_sheet_by_name(name).to_python() for name in wb.sheet_names}


def _flat(rows: list[list[object]]) -> str:
    return "\n".join(str(c) for row in rows for c in row)


@pytest.mark.parametrize("pair_id", ["P001", "P002"])
def test_guide_and_competencies_carry_the_framework(built, pair_id: str) -> None:
    fw = load_framework()
    path = next(w.path for w in built.workbooks if w.pair_id == pair_id)
    lang = next(w.language for w in built.workbooks if w.pair_id == pair_id)
    sheets = _sheets(path)
    guide = _flat(sheets[guide_title(lang)])
    for segment in fw.session_template:
        assert segment.title[lang] in guide and segment.purpose[lang] in guide
    for sprint in fw.sprints:
        for text in (sprint.focus, sprint.weekly_checkins, sprint.deliverable,
                     sprint.progress_judged_by):  # fmt: skip
            assert text[lang] in guide
    for month in fw.session_plan:
        for text in (month.topic, month.objective, month.preparation, month.resource):
            assert text[lang] in guide
    for step in fw.governance.escalation:
        assert step.trigger[lang] in guide
    assert "mentoring@example.org" in guide  # the coordinator's address, from programme.yaml
    for step in fw.matching.rematching:
        assert step.action[lang] in guide
    # The mentee's level (junior here): its way of scaling each sprint, not the others'.
    for sprint in fw.sprints:
        assert sprint.level_adaptation["junior"][lang] in guide
        assert sprint.level_adaptation["senior"][lang] not in guide
    assert labels()["who_pair"][lang] in guide  # step 1 and the last: either or both
    mentor_hours = fw.commitment["mentor"].hours_per_month
    shown = f"{mentor_hours:g}" if lang == "en" else f"{mentor_hours:g}".replace(".", ",")
    assert f" {shown} h" in guide
    competencies = sheets[load_contract(fw).tool("competencies").title[lang]]
    keys = {row[0] for row in competencies}
    assert {m.code for m in fw.milestones_for("junior")} <= keys
    assert len(fw.milestones_for("junior")) == 18
    assert path.stat().st_size <= 25 * 1024


def test_every_sheet_of_every_workbook_prints_on_a4(built, programme: Path) -> None:
    import re
    import zipfile

    from builders.roster import render_roster_template

    paths = [w.path for w in built.workbooks] + [programme / "master.xlsx"]
    blobs = [p.read_bytes() for p in paths] + [
        render_roster_template(RETURNED.replace(tzinfo=None))
    ]
    for blob in blobs:
        with zipfile.ZipFile(io.BytesIO(blob)) as z:
            sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
            papers = [re.findall(rb'paperSize="(\d+)"', z.read(n)) for n in sheets]
        assert papers and all(p == [b"9"] for p in papers), papers


def test_start_here_lists_the_guide_and_the_master_shows_labels(built, programme: Path) -> None:
    fw = load_framework()
    path = next(w.path for w in built.workbooks if w.pair_id == "P002")
    start = _flat(_sheets(path)["Commencer ici"])
    assert guide_title("fr") in start and labels()["guide_description"]["fr"] in start
    governance = _sheets(programme / "master.xlsx")[tr_label("sheet_governance")]
    cells = {str(c) for row in governance for c in row}
    assert not {i.code for i in fw.governance.mentor_selection} & cells
    assert {i.text["en"] for i in fw.governance.mentor_selection} <= cells


def test_sync_ignores_the_guide(programme: Path, fill, ledger_values) -> None:
    f = fill("P001")
    _typical(f)
    ws = f.wb[guide_title("en")]
    ws.protection.sheet = False
    ws["B8"] = "a note someone typed into the guide"
    f.save(programme / "inbox" / "with guide note.xlsx")
    result = sync_programme(programme, now=RETURNED)
    assert [(o.status, [x.code for x in o.findings]) for o in result.files] == [("accepted", [])]
    assert ledger_values("P001") == EXPECTED


def test_competencies_show_the_rating_legend_and_examples_of_evidence(built) -> None:
    """The pair sees what each rating means and an example of evidence for each milestone,
    in the mentee's language; the row is tall enough for the longest text."""
    fw = load_framework()
    path = next(w.path for w in built.workbooks if w.pair_id == "P002")  # French
    rows = _sheets(path)["Compétences"]
    legend = str(rows[2][0])
    assert "atteint à partir de 3" in legend
    assert all(f"{r.label['fr']}: {r.description['fr']}" in legend for r in fw.rating_scale)
    header = [str(c) for c in rows[3]]
    assert "Exemple de preuve" in header
    column = header.index("Exemple de preuve")
    shown = {str(row[0]): str(row[column]) for row in rows[4:] if row[0]}
    level = next(m.level for m in fw.milestones if m.code in shown)
    assert shown == {m.code: m.evidence["fr"] for m in fw.milestones_for(level)}
    import openpyxl

    ws = openpyxl.load_workbook(path)["Compétences"]
    for r in range(5, 5 + len(shown)):
        texts = [str(ws.cell(r, c).value or "") for c in (2, 3, 4)]
        widths = [ws.column_dimensions[letter].width for letter in "BCD"]
        need = max(-(-len(t) // int(w * 1.1)) for t, w in zip(texts, widths, strict=True))
        assert ws.row_dimensions[r].height >= need * 15, (r, texts)


def test_a_workbook_without_the_example_column_still_syncs(
    programme: Path, fill, ledger_values
) -> None:
    """Workbooks issued before the 'Example of evidence' column: columns are found by their
    header, and a display column that is not there is not a problem."""
    f = fill("P001")
    _typical(f)
    ws = f.wb["Competencies"]
    header = [c.value for c in ws[4]]
    ws.delete_cols(header.index("Example of evidence") + 1)
    f.save(programme / "inbox" / "old layout.xlsx")
    result = sync_programme(programme, now=RETURNED)
    assert [(o.status, [x.code for x in o.findings]) for o in result.files] == [("accepted", [])]
    assert ledger_values("P001") == EXPECTED


def test_french_and_english_workbooks_with_the_same_answers_give_the_same_ledger(
    programme: Path, fill, ledger_values
) -> None:
    english, french = fill("P001"), fill("P002")
    for f in (english, french):
        _typical(f)
        f.set("agreement", "no_fault_exit", "yes")
        f.set("sessions", "attendance", "mentee_absent", "2")
        f.set("reflection", "goals_status", "on_track", "Q1")
        f.set("competencies", "q2", "4", "DAT-J3")
    english.save(programme / "inbox" / "en.xlsx")
    french.save(programme / "inbox" / "fr.xlsx")
    result = sync_programme(programme, now=RETURNED)
    assert [o.status for o in result.files] == ["accepted", "accepted"]
    assert ledger_values("P001") == ledger_values("P002")
    assert ledger_values("P002")[("competencies", "DAT-J3", "q2")] == "4"
    assert len(ledger_values("P002")) == len(EXPECTED) + 4


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("Appel téléphonique", "phone"), ("llamada telefonica", "phone"), ("phone", "phone"),
     ("PHONE", "phone"), ("Visioconférence", "video"), ("Videollamada", "video"),
     ("Videochamada", "video"), ("Chamada telefónica", "phone")],
)  # fmt: skip
def test_a_choice_in_any_language_or_its_code_is_stored_as_the_code(
    programme: Path, fill, ledger_values, contract, typed: str, stored: str
) -> None:
    known = {normalise(x) for c in contract.choices("session_mode") if c.code == stored
             for x in (*c.label.values(), c.code)}  # fmt: skip
    assert normalise(typed) in known, "the test's label is not one of the choice's labels"
    f = fill("P001")
    f.type_raw("agreement", "meeting_mode", typed)
    f.save(programme / "inbox" / "typed.xlsx")
    sync_programme(programme, now=RETURNED)
    assert ledger_values("P001")[("agreement", "", "meeting_mode")] == stored


def test_master_workbook_has_the_framework_sheets(built, programme: Path) -> None:
    sheets = _sheets(programme / "master.xlsx")
    names = [tr_label(key) for key in ("sheet_overview", "sheet_milestones", "sheet_sessions",
                                       "sheet_matching", "sheet_governance",
                                       "sheet_indicators")]  # fmt: skip
    assert set(names) <= set(sheets)
    fw = load_framework()
    pirs = _flat(sheets[tr_label("sheet_indicators")])
    for ind in fw.indicators:
        assert f"{ind.code}: {ind.name['en']}" in pirs and ind.numerator["en"] in pirs
        assert ind.baseline_note is None or ind.baseline_note["en"] in pirs
    raci = _flat(sheets[tr_label("sheet_governance")])
    assert all(row.activity["en"] in raci for row in fw.governance.raci)
    milestones = _flat(sheets[tr_label("sheet_milestones")])
    assert all(m.code in milestones for m in fw.milestones)
    overview = _flat(sheets[tr_label("sheet_overview")])
    assert str(fw.commitment["mentor"].hours_per_month) in overview


def tr_label(key: str, lang: str = "en") -> str:
    return labels()[key][lang]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_guide_title_is_a_sheet_name_sync_does_not_read(contract, lang: str) -> None:
    titles = {t.title[x] for t in contract.tools for x in LANGUAGES}
    assert guide_title(lang) not in titles and len(guide_title(lang)) <= 31


@pytest.mark.libreoffice
def test_libreoffice_prints_the_guide_and_the_framework_sheets(
    soffice, programme, built, tmp_path
) -> None:
    from tests.test_libreoffice import convert

    sources = [built.workbooks[0].path, built.workbooks[1].path, programme / "master.xlsx"]
    pdfs = convert(soffice, sources, "pdf", tmp_path / "pdf", tmp_path / "profile")
    for pdf in pdfs:
        assert pdf.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed; the PDFs were written")
    fw = load_framework()
    english, french, master = (
        subprocess.run(["pdftotext", "-layout", str(p), "-"], capture_output=True, text=True,
                       check=True).stdout
        for p in pdfs
    )  # fmt: skip
    assert labels()["guide_title"]["en"] in english and labels()["guide_title"]["fr"] in french
    assert " ".join(fw.sprints[3].deliverable["fr"].split()[:3]) in " ".join(french.split())
    assert labels()["sheet_indicators"]["en"] in master and "AGR30" in master


def test_schema_and_master_follow_the_programme(programme: Path) -> None:
    """`mentorkit schema DIR` reads the programme's framework; the master's framework sheets
    are in the programme's default language."""
    folder = export_framework(programme).folder
    edit(folder, "sessions.yaml", lambda doc: doc["session_template"][0].update(minutes=5))
    config = programme / "programme.yaml"
    text = config.read_text(encoding="utf-8").replace(
        "default_language: en", "default_language: fr"
    )
    config.write_text(text + "framework: framework\n", encoding="utf-8")
    runner = CliRunner()
    broken = runner.invoke(cli, ["schema", str(programme)])
    assert broken.exit_code == 2 and "[FWK002] sessions.yaml: session_template:" in broken.output
    edit(folder, "sessions.yaml", lambda doc: doc["session_template"][0].update(minutes=10))
    assert json.loads(runner.invoke(cli, ["schema", str(programme)]).output)["tools"]
    build_programme(programme)
    sheets = _sheets(programme / "master.xlsx")
    # The indicator sheets and the framework's follow the programme's language.
    assert tr_label("sheet_indicators", "fr") in sheets and "Tableau de suivi" in sheets
    governance = _flat(sheets[tr_label("sheet_governance", "fr")])
    assert "Comité de pilotage" in governance


@pytest.mark.parametrize("lang", LANGUAGES)
def test_guide_keeps_each_heading_on_the_page_of_its_table(contract, lang: str) -> None:
    """Page breaks are explicit and never fall between a heading and its table."""
    import openpyxl

    from builders.pair import PairContext, render_pair_workbook
    from toolkit.identity import PairIdentity

    identity = PairIdentity("p", "c", "P001", "M", "E", 1, "2026-01-05T09:00:00+00:00",
                            contract.version, contract.fingerprint, "0.1.0", lang)  # fmt: skip
    ctx = PairContext(identity, "Programme", "Mentor", "Mentee", "c@example.org", "senior", 12)
    data = render_pair_workbook(ctx, contract, load_framework(), "s")
    ws = openpyxl.load_workbook(io.BytesIO(data))[guide_title(lang)]
    starts = {b.id + 1 for b in ws.row_breaks.brk}  # 1-based rows that begin a page
    assert len(starts) >= 2
    numbered = {"1.", "2.", "3.", "4.", "5."}
    headings = {r for r in range(1, ws.max_row + 1) if str(ws.cell(r, 1).value)[:2] in numbered}
    assert len(headings) == 5
    assert not {h + 1 for h in headings} & starts and not {h + 2 for h in headings} & starts


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_table_continued_on_a_new_page_starts_with_its_header(
    built, programme: Path, contract, lang: str
) -> None:
    """Every page that begins inside a table begins with that table's header row (Guide and
    the master's framework sheets); each indicator reference sheet starts a page."""
    import openpyxl

    from builders.pair import PairContext, render_pair_workbook
    from toolkit.identity import PairIdentity

    identity = PairIdentity("p", "c", "P001", "M", "E", 1, "2026-01-05T09:00:00+00:00",
                            contract.version, contract.fingerprint, "0.1.0", lang)  # fmt: skip
    ctx = PairContext(identity, "Programme", "Mentor", "Mentee", "c@example.org", "senior", 12)
    guide = openpyxl.load_workbook(io.BytesIO(render_pair_workbook(
        ctx, contract, load_framework(), "s")))[guide_title(lang)]  # fmt: skip
    master = openpyxl.load_workbook(programme / "master.xlsx")
    sheets = [guide] + [master[tr_label(key)] for key in ("sheet_milestones", "sheet_sessions",
                                                          "sheet_governance")]  # fmt: skip
    header_fill = "FF1F3864"
    continued = 0
    for ws in sheets:
        for brk in ws.row_breaks.brk:
            first = brk.id + 1  # the 1-based row that begins the page
            before = ws.cell(first - 1, 1)
            table_row = before.value not in (None, "") and before.fill.fgColor.rgb != header_fill
            if table_row and ws.cell(first, 1).value not in (None, ""):
                continued += 1  # a table row above the break: this page continues the table
                assert ws.cell(first, 1).fill.fgColor.rgb == header_fill, (ws.title, first)
    assert continued >= 3
    pirs = master[tr_label("sheet_indicators")]
    starts = {b.id + 1 for b in pirs.row_breaks.brk}
    fw = load_framework()
    headings = [
        r
        for r in range(1, pirs.max_row + 1)
        if any(str(pirs.cell(r, 1).value).startswith(f"{i.code}: ") for i in fw.indicators)
    ]
    assert len(headings) == len(fw.indicators)
    assert set(headings[1:]) <= starts


LONG_MENTOR = "Ana-Maria Fernanda Gonçalves Albuquerque"
LONG_MENTEE = "Jean-Baptiste Nkurunziza Habimana Kouamé"
LONG_PROGRAMME = "Regional Monitoring, Evaluation and Learning Mentoring Programme for East Africa"
LONG_EMAIL = "mel.coordination.regional-office@organisations.org"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_pair_workbooks_stay_small_and_complete(contract, lang: str) -> None:
    """Under 25,000 bytes at every level (the longest milestone texts are the senior ones);
    every part the package declares is in it (the optional app.xml part is left out whole)."""
    import re
    import zipfile

    from builders.pair import PairContext, render_pair_workbook
    from toolkit.identity import PairIdentity

    identity = PairIdentity("me-regional-2026", "2026-A", "P0417", "KE-NBO-0142",
                            "SN-DKR-0387", 12, "2026-01-05T09:00:00+00:00", contract.version,
                            contract.fingerprint, "0.1.0", lang)  # fmt: skip
    # Worst realistic strings: names of 40 characters (accented), an 80-character programme
    # name and a 50-character coordinator address, varied so they compress like real text.
    assert (len(LONG_MENTOR), len(LONG_MENTEE), len(LONG_PROGRAMME), len(LONG_EMAIL)) == (
        40, 40, 80, 50,
    )  # fmt: skip
    for level in ("junior", "mid", "senior"):
        ctx = PairContext(identity, LONG_PROGRAMME, LONG_MENTOR, LONG_MENTEE, LONG_EMAIL, level,
                          12)  # fmt: skip
        data = render_pair_workbook(ctx, contract, load_framework(), "a-long-programme-secret")
        assert len(data) <= 25_000, (level, len(data))
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = set(z.namelist())
        declared = re.findall(rb'PartName="/([^"]+)"', z.read("[Content_Types].xml"))
        targets = re.findall(rb'Target="([^"]+)"', z.read("_rels/.rels"))
    assert {d.decode() for d in declared} | {t.decode() for t in targets} <= names
    assert "xl/theme/theme1.xml" in names and "docProps/app.xml" not in names


@pytest.mark.parametrize("lang", LANGUAGES)
def test_table_headers_are_never_cut(contract, lang: str) -> None:
    """Every table sheet's header row is tall enough for its longest header, wrapped word by
    word in its column, and no word is wider than its column (counted independently of the
    builder's estimate: one bold character per unit of column width, 15 points a line)."""
    import math

    import openpyxl

    from builders.pair import PairContext, render_pair_workbook
    from toolkit.contract import FIRST_ROW, LayoutKind
    from toolkit.identity import PairIdentity
    from toolkit.text import tr

    def lines(text: str, per_line: int) -> int:
        count, used = 1, 0
        for word in text.split():
            assert len(word) <= per_line, (lang, word, per_line)
            if used and used + 1 + len(word) > per_line:
                count, used = count + 1, len(word)
            else:
                used += len(word) + (1 if used else 0)
        return count

    identity = PairIdentity("p", "c", "P001", "M", "E", 1, "2026-01-05T09:00:00+00:00",
                            contract.version, contract.fingerprint, "0.1.0", lang)  # fmt: skip
    ctx = PairContext(identity, "Programme", "Mentor", "Mentee", "c@example.org", "senior", 12)
    data = render_pair_workbook(ctx, contract, load_framework(), "s")
    book = openpyxl.load_workbook(io.BytesIO(data))
    tables = [t for t in contract.tools if t.kind is not LayoutKind.FORM]
    assert len(tables) >= 3
    for tool in tables:
        ws = book[tr(tool.title, lang)]
        height = ws.row_dimensions[FIRST_ROW + 1].height
        for cell in ws[FIRST_ROW + 1]:
            width = ws.column_dimensions[cell.column_letter].width
            need = lines(str(cell.value), math.floor(width)) * 15
            assert height >= need, (lang, ws.title, cell.value, width, height)
