"""The annual review (mentorkit review): themes, the worked / did-not split, recommendations,
the workbook read back, printed through LibreOffice, and free of roster names."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from python_calamine import CalamineWorkbook

from builders.review import DECISIONS, render_review
from tests.conftest import PEOPLE, START
from toolkit.cli import cli
from toolkit.errors import ConfigError
from toolkit.framework import load_framework
from toolkit.indicators import TIDY_COLUMNS, IndicatorReport, Period, TrackingRow
from toolkit.indicators.periods import quarters
from toolkit.indicators.units import return_window
from toolkit.programme import load_programme
from toolkit.report_text import report_text
from toolkit.review import (
    BLANKED,
    Comment,
    collect_comments,
    keyword_pattern,
    load_lexicon,
    name_blanker,
    outcome_counts,
    outcome_of,
    review_content,
    review_period,
    summarise_themes,
)

FRAMEWORK = load_framework()
AS_OF = dt.date(2026, 7, 15)


# --- a hand-made indicator report: the engine's classes, figures chosen here ------------------


# Cumulative value and status of some framework indicators; the others have no data.
FIGURES = {
    "AGR30": (66.7, "red"),
    "SES": (80.0, "amber"),
    "FREQ": (95.0, "green"),
    "SATE": (4.2, "green"),
    "GOAL": (60.0, "amber"),
    "END": (12.5, "red"),
}


@pytest.fixture
def report() -> IndicatorReport:
    return make_report()


def make_report() -> IndicatorReport:
    """Three begun quarters of a 2026 cycle; the indicators of FIGURES, the others no data."""
    periods = [
        Period("Q1", dt.date(2026, 1, 1), dt.date(2026, 3, 31), True),
        Period("Q2", dt.date(2026, 4, 1), dt.date(2026, 6, 30), True),
        Period("Q3", dt.date(2026, 7, 1), dt.date(2026, 9, 30), False),
    ]
    rows = []
    for ind in FRAMEWORK.indicators:
        value, status = FIGURES.get(ind.code, (None, "no_data"))
        rows.append(
            TrackingRow(
                code=ind.code, name=ind.name, kind=ind.kind, unit=ind.unit,
                baseline=ind.baseline, baseline_note=ind.baseline_note, target=ind.target,
                direction=ind.direction,
                by_quarter={"Q1": value, "Q2": value, "Q3": None},
                cumulative=value, numerator=0.0 if value is None else 8.0,
                denominator=0.0 if value is None else 12.0, people=0 if value is None else 12,
                pct_of_target=None if value is None else round(100 * value / ind.target, 1),
                status=status, responsible=ind.responsible,
            )
        )  # fmt: skip
    empty = pd.DataFrame(columns=TIDY_COLUMNS)
    return IndicatorReport(
        tidy=empty, units=pd.DataFrame(), periods=periods, as_of=AS_OF, cycle_start=START,
        tracking=rows,
    )  # fmt: skip


def reflection(quarter: str, **answers: str) -> dict[tuple[str, str, str], str]:
    return {("reflection", quarter, k): v for k, v in answers.items()}


# Three pairs, their reflections in English, French and Spanish; P001 names its mentor.
VALUES = {
    "P001": {
        **reflection("Q1", mentee_progress="Grace helped me redraft the logframe indicators.",
                     mentee_satisfaction="5", goals_status="on_track", mentor_satisfaction="4",
                     mentor_observations="Confident now; we still lack time for data cleaning."),
        **reflection("Q2", mentee_progress="The internet kept failing during our calls.",
                     mentee_satisfaction="2", goals_status="behind"),
    },
    "P002": {
        **reflection("Q1", mentee_progress="Le réseau coupe souvent ; séance reportée deux fois.",
                     mentee_satisfaction="1", goals_status="not_started",
                     mentor_satisfaction="2"),
        **reflection("Q2", mentee_progress="Bonne présentation du rapport trimestriel.",
                     mentee_satisfaction="4", goals_status="achieved"),
    },
    "P003": {
        **reflection("Q1", mentee_progress="Nos reunimos poco.", mentee_satisfaction="3"),
        **reflection("Q3", mentee_progress="Not yet in the review: a quarter not begun."),
    },
}  # fmt: skip
LANGUAGES = {"P001": "en", "P002": "fr", "P003": "es"}
ROSTER = {p[0]: {"name": p[1], "email": p[2]} for p in PEOPLE}


# --- themes ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "text", "themes"),
    [
        ("en", "Reviewed the logframe together; agreed to redraft two indicators.",
         ("indicators",)),
        ("en", "The internet connection dropped, so we rescheduled.",
         ("scheduling_time", "connectivity")),
        ("fr", "Parcours du script de nettoyage des données.", ("data_quality", "analysis_tools")),
        ("fr", "J'ai plus confiance en moi pour présenter les résultats.",
         ("reporting", "confidence")),
        ("es", "Revisamos la línea de base y la calidad de los datos de la encuesta.",
         ("indicators", "data_quality", "evaluation_methods")),
        ("es", "Mi jefe no me da tiempo para las sesiones.",
         ("scheduling_time", "workplace_support")),
        ("pt", "Preparámos o relatório e os gráficos para a chefia.",
         ("reporting", "workplace_support")),
        ("pt", "A relação de confiança mútua com a mentora ajudou muito.", ("relationship",)),
        ("pt", "Correu bem.", ()),
    ],
)  # fmt: skip
def test_themes_are_found_in_every_language(lang: str, text: str, themes: tuple) -> None:
    assert load_lexicon().match(text, lang) == themes


def test_a_keyword_matches_whole_words_unless_it_ends_with_a_star() -> None:
    import re

    assert re.search(keyword_pattern("meta"), "la meta anual")
    assert not re.search(keyword_pattern("meta"), "metadata")
    assert re.search(keyword_pattern("indicator*"), "two indicators")
    assert re.search(keyword_pattern("focus group*"), "two focus  groups")
    # Another language's keywords are not tried: Spanish "red" (network) is an English colour.
    assert load_lexicon().match("The red status worried us", "en") == ()
    assert load_lexicon().match("La red falla", "es") == ("connectivity",)


@pytest.mark.parametrize(
    ("answers", "outcome"),
    [
        ({"mentee_satisfaction": "5"}, "worked"),
        ({"goals_status": "achieved"}, "worked"),
        ({"mentee_satisfaction": "2"}, "did_not_work"),
        ({"goals_status": "not_started", "mentor_satisfaction": "3"}, "did_not_work"),
        ({"mentee_satisfaction": "4", "goals_status": "behind"}, "mixed"),
        ({"mentee_satisfaction": "4", "goals_status": "behind", "mentor_satisfaction": "5"},
         "worked"),
        ({"mentee_satisfaction": "3"}, "mixed"),
        ({}, "mixed"),
    ],
)  # fmt: skip
def test_a_quarter_counts_as_worked_or_not_by_its_ratings(answers: dict, outcome: str) -> None:
    assert outcome_of(answers) == outcome


def test_comments_split_into_what_worked_and_what_did_not() -> None:
    lexicon = load_lexicon()
    comments = collect_comments(VALUES, LANGUAGES, ["Q1", "Q2"], lexicon)
    assert [(c.pair_id, c.quarter, c.field, c.outcome) for c in comments] == [
        ("P001", "Q1", "mentee_progress", "worked"),
        ("P001", "Q1", "mentor_observations", "worked"),
        ("P001", "Q2", "mentee_progress", "did_not_work"),
        ("P002", "Q1", "mentee_progress", "did_not_work"),
        ("P002", "Q2", "mentee_progress", "worked"),
        ("P003", "Q1", "mentee_progress", "mixed"),
    ]
    assert outcome_counts(comments) == {"worked": 3, "did_not_work": 2, "mixed": 1}
    themes = {t.code: t for t in summarise_themes(comments, lexicon, name_blanker(ROSTER))}
    assert themes["connectivity"].mentions == {"worked": 0, "did_not_work": 2, "mixed": 0}
    assert themes["connectivity"].mostly_did_not_work
    assert themes["indicators"].mentions == {"worked": 1, "did_not_work": 0, "mixed": 0}
    assert not themes["indicators"].mostly_did_not_work
    assert themes["scheduling_time"].mentions == {"worked": 1, "did_not_work": 1, "mixed": 0}
    assert themes["connectivity"].share("did_not_work", outcome_counts(comments)) == 1.0
    # "Nos reunimos poco." mentions no theme: it is counted, not hidden.
    assert [c.text for c in comments if not c.themes] == ["Nos reunimos poco."]
    # Quotes carry the pair code, the sentence that mentions the theme, and no name.
    quote = themes["indicators"].quotes[0]
    assert (quote.pair_id, quote.quarter, quote.outcome) == ("P001", "Q1", "worked")
    assert quote.text == f"{BLANKED} helped me redraft the logframe indicators."
    # Only the sentence that mentions the theme is quoted.
    assert [q.text for q in themes["data_quality"].quotes] == [
        "we still lack time for data cleaning."
    ]


def test_names_and_emails_of_the_roster_are_blanked() -> None:
    blank = name_blanker(ROSTER)
    assert blank("Merci à AMINATA (aminata@example.org) et à Awa.") == (
        f"Merci à {BLANKED} ({BLANKED}) et à {BLANKED}."
    )
    assert blank("Lucy's notes on the survey") == f"{BLANKED}'s notes on the survey"


# --- recommendations and the whole content -----------------------------------------------------


def test_recommendations_follow_exactly_the_red_and_amber_indicators(
    report: IndicatorReport,
) -> None:
    content = review_content(report, VALUES, LANGUAGES, ROSTER, FRAMEWORK, "en")
    indicator_recs = [r for r in content.recommendations if r.source == "indicator"]
    red_amber = [r.code for r in report.tracking if r.status in ("red", "amber")]
    assert [r.code for r in indicator_recs] == red_amber == ["AGR30", "SES", "END", "GOAL"]
    agr = indicator_recs[0]
    assert agr.owner == "coordinator"
    assert agr.finding.startswith("Agreements signed within 30 days of matching: 66.7% against")
    assert "(74.1% of target), Off track; n = 12 (12 people)" in agr.finding
    assert "(Programme coordinator)" in agr.recommendation
    end = next(r for r in indicator_recs if r.code == "END")
    assert "is above its target" in end.recommendation  # END is better when lower
    # Themes: connectivity came up only in what did not work.
    assert [(r.source, r.code, r.owner) for r in content.recommendations[4:]] == [
        ("theme", "connectivity", "focal_point")
    ]
    # Only the quarters the report covers are read (Q3 of P003 has begun: it is read too).
    assert len(content.comments) == 7
    assert content.findings == []


def test_recommendations_are_written_in_the_review_language(report: IndicatorReport) -> None:
    content = review_content(report, VALUES, LANGUAGES, ROSTER, FRAMEWORK, "fr")
    first = content.recommendations[0]
    assert first.finding.startswith("Accords signés dans les 30 jours suivant l'appariement : 66,7")
    assert "(Coordinateur du programme)" in first.recommendation


def test_no_comment_yet_is_a_warning(report: IndicatorReport) -> None:
    content = review_content(report, {}, {}, ROSTER, FRAMEWORK, "en")
    assert [f.code for f in content.findings] == ["REV004"]
    assert [r.source for r in content.recommendations] == ["indicator"] * 4


# --- the period under review -------------------------------------------------------------------


def test_the_reference_date_follows_the_year_and_the_cycle(programme: Path) -> None:
    prog = load_programme(programme / "programme.yaml")  # cycle 2026-01-01 .. 2026-12-31
    today = dt.date(2027, 3, 1)
    # After the cycle: as of the day after the return deadline that follows its last day, the
    # first day the Q4 returns count (RET counts a quarter once its deadline has passed).
    year, as_of = review_period(prog, None, None, today)
    assert (year, as_of) == (2026, dt.date(2027, 1, 15))
    q4 = quarters(prog.cycle.start_date, prog.cycle.months, as_of)[-1]
    assert q4.code == "Q4"
    assert return_window(q4, prog.monitoring.return_deadline_days)[1] < as_of
    assert review_period(prog, 2026, dt.date(2027, 1, 15), today) == (2026, dt.date(2027, 1, 15))
    assert review_period(prog, None, None, dt.date(2026, 5, 2)) == (2026, dt.date(2026, 5, 2))
    assert review_period(prog, 2026, dt.date(2026, 6, 30), today) == (2026, dt.date(2026, 6, 30))
    with pytest.raises(ConfigError) as year:
        review_period(prog, 2025, None, today)
    assert [f.code for f in year.value.findings] == ["REV002"]
    with pytest.raises(ConfigError) as early:
        review_period(prog, None, dt.date(2025, 12, 31), today)
    assert [f.code for f in early.value.findings] == ["REV003"]
    prog = prog.model_copy(update={"cycle": prog.cycle.model_copy(
        update={"start_date": dt.date(2026, 7, 1)})})  # a cycle over two years  # fmt: skip
    with pytest.raises(ConfigError) as not_begun:
        review_period(prog, 2027, dt.date(2026, 12, 15), today)
    assert [f.code for f in not_begun.value.findings] == ["REV005"]


def test_review_says_which_option_to_change(programme: Path, built) -> None:
    result = CliRunner().invoke(cli, ["review", str(programme), "--year", "2031"])
    assert result.exit_code == 2
    assert "[REV002]" in result.output and "2026-01-01 to 2026-12-31" in result.output


def test_review_before_any_reflection_warns_and_still_writes(programme: Path, built) -> None:
    result = CliRunner().invoke(cli, ["review", str(programme), "--as-of", "2026-02-10"])
    assert result.exit_code == 1
    assert "[REV004]" in result.output and "Q1" in result.output
    assert "15 indicators" in result.output and "0 reflection comments" in result.output
    sheets = _sheets((programme / "review-2026.xlsx").read_bytes(), programme)
    assert sheets["What worked, what did not"][-1][:5] == ["All comments read", 0, 0, 0, 0]


def test_review_refuses_a_programme_without_pairs(programme: Path) -> None:
    result = CliRunner().invoke(cli, ["review", str(programme), "--as-of", "2026-06-30"])
    assert result.exit_code == 2
    assert "REV001" in result.output and "holds no pair" in result.output


# --- the workbook ------------------------------------------------------------------------------


def _workbook(report: IndicatorReport, programme: Path, lang: str = "en") -> bytes:
    prog = load_programme(programme / "programme.yaml")
    prog.default_language = lang
    content = review_content(report, VALUES, LANGUAGES, ROSTER, FRAMEWORK, lang)
    return render_review(content, prog, FRAMEWORK, dt.datetime(2026, 7, 15, 12, 0))


def _sheets(data: bytes, tmp_path: Path) -> dict[str, list[list[object]]]:
    path = tmp_path / "review.xlsx"
    path.write_bytes(data)
    wb = CalamineWorkbook.from_path(str(path))
    return {name: wb.get_sheet_by_name(name).to_python() for name in wb.sheet_names}


def test_the_workbook_reads_back_with_its_four_sheets(
    report: IndicatorReport, programme: Path, tmp_path: Path
) -> None:
    data = _workbook(report, programme)
    assert data == _workbook(report, programme)  # deterministic
    sheets = _sheets(data, tmp_path)
    assert list(sheets) == ["Lists", "Review cycle", "Indicators against targets",
                            "What worked, what did not", "Recommendations"]  # fmt: skip
    assert [row[0] for row in sheets["Lists"]] == ["Accept", "Modify", "Reject"]

    cycle = sheets["Review cycle"]
    assert cycle[3][:2] == ["Step", "What"]
    assert [row[0] for row in cycle[4:14]] == list(range(1, 11))
    assert cycle[5][5].startswith("7 reflection comments from 3 pairs")
    assert cycle[8][5] == ("Each indicator against its target with its status: 2 green, "
                           "2 amber, 2 red, 9 without data.")  # fmt: skip

    ind = sheets["Indicators against targets"]
    header = ind[3]
    assert header[:5] == ["Code", "Indicator", "Unit", "Baseline", "Target"]
    assert header[5:9] == ["Q1", "Q2", "Q3", "Q4"]
    by_code = {row[0]: dict(zip(header, row, strict=True)) for row in ind[4:]}
    assert list(by_code) == [i.code for i in FRAMEWORK.indicators]
    agr = by_code["AGR30"]
    assert (agr["Target"], agr["Q1"], agr["Q3"], agr["Cumulative"]) == (90.0, 66.7, "", 66.7)
    assert agr["% of target"] == pytest.approx(0.741)
    assert (agr["Status"], agr["n"], agr["People"]) == ("Off track", 12.0, 12.0)
    assert agr["Baseline"].startswith("Set at the first annual review")
    assert by_code["MIL"]["Status"] == "No data yet"

    themes = sheets["What worked, what did not"]
    assert themes[2][0].startswith("Internal to the steering group")
    rows = {row[0]: row for row in themes[4:]}
    assert rows["Connectivity and equipment"][1:5] == [0.0, 2.0, 0.0, 2.0]
    assert rows["Connectivity and equipment"][7] == "did not work"
    assert "(P002, Q1, did not work)" in rows["Connectivity and equipment"][8]
    assert rows["Not classified (no theme's keyword)"][1:5] == [0.0, 0.0, 2.0, 2.0]
    assert rows["All comments read"][1:5] == [3.0, 2.0, 2.0, 7.0]

    recs = sheets["Recommendations"]
    assert recs[3] == ["#", "From", "Finding", "Suggested recommendation", "Owner", "Decision",
                       "Due date", "Notes"]  # fmt: skip
    assert [row[1] for row in recs[4:9]] == [
        "Indicator AGR30",
        "Indicator SES",
        "Indicator END",
        "Indicator GOAL",
        "Theme",
    ]
    assert recs[8][4] == "Country focal point"


def test_the_workbook_has_its_dropdowns_and_date_checks(
    report: IndicatorReport, programme: Path, tmp_path: Path
) -> None:
    import openpyxl

    path = tmp_path / "review.xlsx"
    path.write_bytes(_workbook(report, programme, "es"))
    wb = openpyxl.load_workbook(path)
    ws = wb["Recomendaciones"]
    kinds = {(dv.type, str(dv.sqref), dv.formula1) for dv in ws.data_validations.dataValidation}
    assert ("list", "F5:F19", "Lists!$A$1:$A$3") in kinds
    assert any(kind == "date" and ref == "G5:G19" for kind, ref, _ in kinds)
    assert [wb["Lists"].cell(row=r, column=1).value for r in (1, 2, 3)] == [
        report_text("review", key, "es") for key in DECISIONS
    ]
    assert ws.cell(row=4, column=6).value == "Decisión"
    assert wb["Lists"].sheet_state == "hidden"
    assert ws.print_title_rows == "$1:$4"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9


def test_no_name_or_email_from_the_roster_is_in_the_workbook(
    report: IndicatorReport, programme: Path, tmp_path: Path
) -> None:
    text = "\n".join(
        str(cell)
        for rows in _sheets(_workbook(report, programme), tmp_path).values()
        for row in rows
        for cell in row
    )
    assert "helped me redraft the logframe" in text
    for _, name, email, *_ in PEOPLE:
        assert email not in text
        for part in name.split():
            assert part not in text, part


@pytest.mark.libreoffice
def test_libreoffice_prints_the_review(
    report: IndicatorReport, programme: Path, tmp_path: Path, soffice: str
) -> None:
    source = tmp_path / "review-2026.xlsx"
    source.write_bytes(_workbook(report, programme, "fr"))
    subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to",
         "pdf", "--outdir", str(tmp_path), str(source)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    pdf = tmp_path / "review-2026.pdf"
    assert pdf.is_file() and pdf.stat().st_size > 10_000
    pdftotext = shutil.which("pdftotext")
    if pdftotext:
        text = subprocess.run(
            [pdftotext, "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
        ).stdout
        assert "Cycle de revue" in text and "Recommandations" in text
        assert "Accords signés dans les 30 jours" in text
        assert "Grace" not in text and "Wanjiru" not in text


def test_every_comment_is_counted_once_per_theme() -> None:
    lexicon = load_lexicon()
    comments = [
        Comment("P009", "Q1", "mentee_progress", "indicators indicators indicators", "worked",
                lexicon.match("indicators indicators indicators", "en"))
    ]  # fmt: skip
    themes = {t.code: t for t in summarise_themes(comments, lexicon)}
    assert themes["indicators"].total == 1


# --- end to end: build, fill, sync, review -----------------------------------------------------


def test_review_of_a_synced_programme(programme: Path, fill, built) -> None:
    from sync.run import sync_programme

    english = fill("P001")
    english.set("sessions", "session_date", dt.date(2026, 1, 21), "1")
    english.set("sessions", "attendance", "both", "1")
    english.set("reflection", "mentee_progress", "Grace showed me how to check indicators.", "Q1")
    english.set("reflection", "mentee_satisfaction", "5", "Q1")
    english.set("reflection", "goals_status", "on_track", "Q1")
    english.save(programme / "inbox" / "p1.xlsx")
    french = fill("P002")
    french.set("reflection", "mentee_progress", "La connexion internet coupe sans cesse.", "Q1")
    french.set("reflection", "mentee_satisfaction", "2", "Q1")
    french.set("reflection", "goals_status", "behind", "Q1")
    french.save(programme / "inbox" / "p2.xlsx")
    sync_programme(programme, now=dt.datetime(2026, 4, 10, 17, 0, tzinfo=dt.timezone.utc))

    result = CliRunner().invoke(cli, ["review", str(programme), "--as-of", "2026-04-15"])
    assert result.exit_code == 0, result.output
    path = programme / "review-2026.xlsx"
    assert f"Wrote {path} (figures as of 2026-04-15)" in result.output
    sheets = _sheets(path.read_bytes(), programme)
    ind = sheets["Indicators against targets"]
    assert ind[2][0].endswith(
        "Behind the figures: 2 of 3 active pairs have returned a workbook; the latest return "
        "arrived on 2026-04-10."
    )
    assert [row[0] for row in ind[4:]] == [i.code for i in FRAMEWORK.indicators]
    assert all(isinstance(row[4], float) for row in ind[4:])  # targets are numbers
    themes = {row[0]: row for row in sheets["What worked, what did not"][4:]}
    assert themes["Indicators and results frameworks"][1:3] == [1.0, 0.0]
    assert themes["Connectivity and equipment"][1:3] == [0.0, 1.0]
    assert "(P001, Q1, worked)" in themes["Indicators and results frameworks"][8]
    recs = sheets["Recommendations"]
    assert "Theme" in [row[1] for row in recs[4:]]
    text = "\n".join(str(cell) for rows in sheets.values() for row in rows for cell in row)
    for _, name, email, *_ in PEOPLE:
        assert email not in text and name.split()[0] not in text


def test_the_same_sentence_is_quoted_once() -> None:
    lexicon = load_lexicon()
    text = "Reviewed the logframe together."
    comments = [
        Comment(pair, "Q1", "mentee_progress", text, "worked", lexicon.match(text, "en"))
        for pair in ("P001", "P002", "P003")
    ]
    other = "Two indicators redrafted; more to do."
    comments.append(
        Comment("P004", "Q2", "mentee_progress", other, "worked", lexicon.match(other, "en"))
    )
    quotes = {t.code: t for t in summarise_themes(comments, lexicon)}["indicators"].quotes
    assert [(q.pair_id, q.text) for q in quotes] == [
        ("P001", "Reviewed the logframe together."),
        ("P004", "Two indicators redrafted"),
    ]
