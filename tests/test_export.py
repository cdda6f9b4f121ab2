"""``mentorkit export``: the tidy CSV and the DHIS2 data value set, from a known report.

The report is made by hand here: an :class:`~toolkit.indicators.IndicatorReport` whose units
(one per mentee and period) are typed in the test and summed into the tidy table the way the
engine sums them (every group's numerator and denominator add up to the total). The files are
read back with Python's csv module and compared with that table. The last tests run the
command end to end on a programme whose returns went through sync.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest
import yaml

from toolkit.dhis2 import DHIS2_COLUMNS, dhis2_number, iso_period
from toolkit.errors import ConfigError
from toolkit.export import (
    TIDY_CSV_COLUMNS,
    ExportError,
    export_report,
)
from toolkit.export_settings import Dhis2Mapping
from toolkit.indicators import IndicatorReport
from toolkit.indicators.periods import month_bounds, quarters
from toolkit.programme import Programme, config_key_lines, load_programme

DIMENSIONS = ("country", "office", "sex", "level", "sector", "role")
PEOPLE = {  # person: country, office, sex, level, sector, role
    "E1": ("KE", "Nairobi", "female", "junior", "Health", "mentee"),
    "E2": ("KE", "Kisumu", "male", "junior", "WASH", "mentee"),
    "E3": ("SN", "Dakar", "female", "mid", "Health", "mentee"),
    "E4": ("SN", "", "", "junior", "Health", "mentee"),
}
UNITS = {  # code -> unit
    "AGR30": "percent",
    "SES": "percent",
    "SATE": "mean_rating",
    "COMP": "number",
    "COMP-data": "number",
}
NAMES = {"AGR30": "Agreements signed within 30 days", "SES": "Sessions held against plan",
         "SATE": "Mentee satisfaction", "COMP": "Competency change"}  # fmt: skip


def _units(rows: list[tuple[str, str, str, float, float]]) -> pd.DataFrame:
    """The engine's units from (code, period, mentee, numerator, denominator), with the
    mentee's attributes ('not recorded' when empty)."""
    frame = pd.DataFrame(rows, columns=["code", "period", "subject_id", "numerator",
                                        "denominator"])  # fmt: skip
    frame.insert(2, "pair_id", "P" + frame["subject_id"])
    attributes = pd.DataFrame(
        [(p, *(v or "not recorded" for v in a)) for p, a in PEOPLE.items()],
        columns=["subject_id", *DIMENSIONS],
    )
    return frame.merge(attributes, on="subject_id", how="left")


def _value(unit: str, num: float, den: float) -> float | None:
    if not den:
        return None
    return round(100 * num / den if unit == "percent" else num / den, 1)


def _tidy(units: pd.DataFrame) -> pd.DataFrame:
    """The tidy table of the engine: total and every single dimension, groups summing up."""
    records = []
    for (code, period), part in units.groupby(["code", "period"], sort=True):
        groupings = [("total", pd.Series("all", index=part.index))]
        groupings += [(d, part[d]) for d in DIMENSIONS]
        for dimension, keys in groupings:
            for group, cell in part.groupby(keys, sort=True):
                num, den = float(cell["numerator"].sum()), float(cell["denominator"].sum())
                people = int(cell.loc[cell["denominator"] > 0, "subject_id"].nunique())
                unit = UNITS[code]
                records.append((code, period, dimension, group, num, den,
                                _value(unit, num, den), people, unit))  # fmt: skip
    columns = ["code", "period", "dimension", "group", "numerator", "denominator", "value",
               "people", "unit"]  # fmt: skip
    return pd.DataFrame(records, columns=columns)


def make_report(
    start: dt.date = dt.date(2026, 1, 1),
    as_of: dt.date = dt.date(2026, 8, 15),
) -> IndicatorReport:
    """A cohort of four mentees: Q1 and Q2 ended, Q3 begun; SES also by month (M1..M8)."""
    rows: list[tuple[str, str, str, float, float]] = []
    for q, signed in (("Q1", {"E1", "E3"}), ("Q2", {"E1", "E2", "E3"}), ("Q3", {"E1"})):
        for person in PEOPLE:
            rows.append(("AGR30", q, person, float(person in signed), 1.0))
    for m in range(1, 9):
        for person in PEOPLE:
            held = float(person != "E4" and (m % 2 == 1 or person == "E1"))
            rows.append(("SES", f"M{m}", person, held, 1.0))
    for q, months in (("Q1", (1, 2, 3)), ("Q2", (4, 5, 6)), ("Q3", (7, 8))):
        for person in PEOPLE:
            held = sum(r[3] for r in rows if r[0] == "SES" and r[2] == person
                       and r[1] in {f"M{m}" for m in months})  # fmt: skip
            rows.append(("SES", q, person, held, float(len(months))))
    for q, ratings in (("Q1", {"E1": 4, "E2": 5, "E3": 3}), ("Q2", {"E1": 5, "E3": 4})):
        for person in PEOPLE:
            rating = ratings.get(person)
            rows.append(("SATE", q, person, float(rating or 0), float(rating is not None)))
    rows.append(("SATE", "Q3", "E1", 0.0, 0.0))  # nobody rated Q3 yet: denominator 0
    for q in ("Q1", "Q2"):
        for person, change in (("E1", 1.5), ("E3", 0.25)):
            rows.append(("COMP", q, person, change, 1.0))
            rows.append(("COMP-data", q, person, change, 1.0))
    rows.append(("AGR30", "cumulative", "E1", 1.0, 1.0))
    periods = quarters(start, 12, as_of)
    begun = {p.code for p in periods} | {"cumulative"}
    begun |= {f"M{m}" for m in range(1, 13) if month_bounds(start, m)[0] <= as_of}
    units = _units([r for r in rows if r[1] in begun])
    tidy = _tidy(units).sample(frac=1.0, random_state=3)  # any order: the export sorts it
    tracking = [SimpleNamespace(code=c, name={"en": n}) for c, n in NAMES.items()]
    return IndicatorReport(
        tidy=tidy.reset_index(drop=True), units=units, periods=periods, as_of=as_of,
        cycle_start=start, tracking=tracking,  # type: ignore[arg-type]
    )  # fmt: skip


MAPPING_YAML = """\
export:
  dhis2:
    org_unit_by: country
    org_units:
      ke: ImspTQPwCqd
      SN: O6uvpzGd5pu
    data_elements:
      AGR30: {numerator: fbfJHSPpUQD, denominator: cYeuwXTCPkU}
      SES: {numerator: Jtf34kNZhzP, denominator: hfdmMSPBgLG}
      SATE: {value: s46m5MS0hxu}
"""


def _programme(tmp_path: Path, extra: str = MAPPING_YAML, start: str = "2026-01-01") -> Path:
    from toolkit.programme import programme_template

    text = programme_template(
        programme_id="t", name="T", cohort="2026-A", start_date=dt.date.fromisoformat(start)
    )
    tmp_path.mkdir(parents=True, exist_ok=True)
    path = tmp_path / "programme.yaml"
    path.write_text(text + "\n" + extra, encoding="utf-8")
    return path


def _export(tmp_path: Path, report: IndicatorReport, formats=("csv", "dhis2"), extra=MAPPING_YAML):
    path = _programme(tmp_path, extra, report.cycle_start.isoformat())
    programme = load_programme(path)
    result = export_report(
        report, programme, formats, output=tmp_path / "export", names=NAMES,
        key_lines=config_key_lines(path),
    )  # fmt: skip
    return result, path


def _read(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    raw = path.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")  # UTF-8 without a byte order mark
    text = raw.decode("utf-8")
    assert text.count("\r\n") == text.count("\n")  # RFC 4180: CRLF line ends
    reader = csv.DictReader(io.StringIO(text, newline=""))
    rows = list(reader)
    return list(reader.fieldnames or []), rows


# --- indicators.csv ---------------------------------------------------------------------------


def test_tidy_csv_has_exactly_the_declared_columns_and_the_tables_values(tmp_path: Path) -> None:
    report = make_report()
    result, _ = _export(tmp_path, report, formats=("csv",))
    assert result.exit_code == 0 and result.findings == []
    header, rows = _read(tmp_path / "export" / "indicators.csv")
    assert header == TIDY_CSV_COLUMNS
    assert all(len(r) == len(TIDY_CSV_COLUMNS) and None not in r for r in rows)
    assert len(rows) == len(report.tidy) == result.files[0].rows
    table = {(r.code, r.period, r.dimension, r.group): r for r in report.tidy.itertuples()}
    for row in rows:
        want = table[(row["indicator"], row["period"], row["dimension"], row["group"])]
        assert float(row["numerator"]) == want.numerator
        assert float(row["denominator"]) == want.denominator
        assert int(row["people"]) == want.people and row["unit"] == want.unit
        if want.denominator:
            assert float(row["value"]) == want.value
        else:
            assert row["value"] == ""  # never a value over a zero denominator
    sate_q3 = next(r for r in rows if r["indicator"] == "SATE" and r["period"] == "Q3")
    assert (sate_q3["value"], sate_q3["denominator"]) == ("", "0")


def test_tidy_csv_periods_names_numbers_and_order(tmp_path: Path) -> None:
    report = make_report()
    _export(tmp_path, report, formats=("csv",))
    _, rows = _read(tmp_path / "export" / "indicators.csv")
    first = rows[0]
    assert (first["indicator"], first["period"], first["dimension"], first["group"]) == (
        "AGR30", "Q1", "total", "all",
    )  # fmt: skip
    assert (first["period_start"], first["period_end"]) == ("2026-01-01", "2026-03-31")
    assert first["indicator_name"] == "Agreements signed within 30 days"
    assert (first["numerator"], first["denominator"], first["value"]) == ("2", "4", "50")
    m2 = next(r for r in rows if r["indicator"] == "SES" and r["period"] == "M2")
    assert (m2["period_start"], m2["period_end"]) == ("2026-02-01", "2026-02-28")
    cumulative = next(r for r in rows if r["period"] == "cumulative")
    assert (cumulative["period_start"], cumulative["period_end"]) == ("2026-01-01", "2026-08-15")
    comp = next(r for r in rows if r["indicator"] == "COMP" and r["dimension"] == "total")
    assert (comp["numerator"], comp["value"]) == ("1.75", "0.9")  # a dot, no exponent
    # Framework order (tracking), COMP-<domain> right after COMP; Q before M before cumulative.
    codes = list(dict.fromkeys(r["indicator"] for r in rows))
    assert codes == ["AGR30", "SES", "SATE", "COMP", "COMP-data"]
    ses_periods = list(dict.fromkeys(r["period"] for r in rows if r["indicator"] == "SES"))
    assert ses_periods == ["Q1", "Q2", "Q3", *[f"M{m}" for m in range(1, 9)]]
    office = [r["group"] for r in rows if r["indicator"] == "AGR30" and r["period"] == "Q1"
              and r["dimension"] == "office"]  # fmt: skip
    assert office == ["Dakar", "Kisumu", "Nairobi", "not recorded"]


def test_tidy_csv_is_the_same_bytes_whatever_the_tables_order(tmp_path: Path) -> None:
    report = make_report()
    _export(tmp_path / "a", report, formats=("csv",))
    reversed_table = report.tidy.iloc[::-1].reset_index(drop=True)
    _export(tmp_path / "b", dataclasses.replace(report, tidy=reversed_table), formats=("csv",))
    a = (tmp_path / "a" / "export" / "indicators.csv").read_bytes()
    assert a == (tmp_path / "b" / "export" / "indicators.csv").read_bytes()


# --- dhis2-datavalues.csv ---------------------------------------------------------------------


def _dhis2(tmp_path: Path) -> list[dict[str, str]]:
    header, rows = _read(tmp_path / "export" / "dhis2-datavalues.csv")
    assert header == DHIS2_COLUMNS
    return rows


def test_dhis2_values_are_the_tables_by_country_for_mapped_indicators_only(tmp_path) -> None:
    report = make_report()
    result, _ = _export(tmp_path, report)
    assert result.exit_code == 0, [f.render() for f in result.findings]
    rows = _dhis2(tmp_path)
    assert len(rows) == result.files[-1].rows
    by_element = {"fbfJHSPpUQD": ("AGR30", "numerator"), "cYeuwXTCPkU": ("AGR30", "denominator"),
                  "Jtf34kNZhzP": ("SES", "numerator"), "hfdmMSPBgLG": ("SES", "denominator"),
                  "s46m5MS0hxu": ("SATE", "value")}  # fmt: skip
    assert {r["dataElement"] for r in rows} == set(by_element)  # COMP is not mapped
    org = {"ImspTQPwCqd": "KE", "O6uvpzGd5pu": "SN"}
    periods = {"2026Q1": "Q1", "2026Q2": "Q2", **{f"20260{m}": f"M{m}" for m in range(1, 8)}}
    tidy = report.tidy.set_index(["code", "period", "dimension", "group"])
    for r in rows:
        code, role = by_element[r["dataElement"]]
        want = tidy.loc[(code, periods[r["period"]], "country", org[r["orgUnit"]])]
        assert float(r["value"]) == want[role]
        assert r["comment"] == f"{code} {role}; n={want['people']}"
        assert r["categoryOptionCombo"] == r["attributeOptionCombo"] == "HllvX50cXC0"
        assert r["storedBy"] == "mentorkit" and r["lastUpdated"] == ""
    # AGR30 and SATE quarterly (Q3 has not ended by 15 August); SES monthly by default: only
    # the months of quarters whose return deadline (14 days after) has passed are final, so
    # July and August wait for Q3's workbooks.
    assert sorted({r["period"] for r in rows if r["dataElement"] == "fbfJHSPpUQD"}) == [
        "2026Q1", "2026Q2",
    ]  # fmt: skip
    ses = sorted({r["period"] for r in rows if r["dataElement"] == "Jtf34kNZhzP"})
    assert ses == [f"20260{m}" for m in range(1, 7)]
    assert result.dhis2 is not None and result.dhis2.not_ended == ["Q3", "M7", "M8"]
    # Counts as integers; SATE Q1 in KE: (4 + 5) / 2 = 4.5; SN Q2: E3 rated 4, E4 did not.
    agr = [r["value"] for r in rows if r["dataElement"] == "cYeuwXTCPkU"]
    assert set(agr) == {"2"}
    sate = {(r["period"], org[r["orgUnit"]]): r["value"] for r in rows
            if r["dataElement"] == "s46m5MS0hxu"}  # fmt: skip
    assert sate == {("2026Q1", "KE"): "4.5", ("2026Q1", "SN"): "3",
                    ("2026Q2", "KE"): "5", ("2026Q2", "SN"): "4"}  # fmt: skip


def test_a_zero_denominator_sends_nothing(tmp_path: Path) -> None:
    report = make_report(as_of=dt.date(2026, 10, 20))  # Q3 is final: SATE Q3 has no rating
    result, _ = _export(tmp_path, report)
    rows = _dhis2(tmp_path)
    sate_q3 = [r for r in rows if r["dataElement"] == "s46m5MS0hxu" and r["period"] == "2026Q3"]
    assert sate_q3 == []
    assert result.dhis2 is not None and result.dhis2.empty_cells == 1
    assert any(r["period"] == "2026Q3" for r in rows)  # AGR30 Q3 is there


def test_without_a_mapping_dhis2_says_what_to_add(tmp_path: Path) -> None:
    result, _ = _export(tmp_path, make_report(), extra="")
    assert [f.code for f in result.findings] == ["EXP001"]
    assert result.exit_code == 1
    message = result.findings[0].render()
    assert "export:" in message and "org_units" in message and "KE, SN" in message
    assert [f.format for f in result.files] == ["csv"]  # the CSV is still written
    assert not (tmp_path / "export" / "dhis2-datavalues.csv").exists()


def _line(path: Path, text: str) -> int:
    """The line of programme.yaml holding ``text``, past the template's commented example."""
    lines = path.read_text().splitlines()
    return next(i for i, line in enumerate(lines, 1) if text in line.split("#")[0])


def test_a_country_with_data_but_no_org_unit_stops_the_dhis2_file(tmp_path: Path) -> None:
    _export(tmp_path, make_report())  # an earlier, complete export
    extra = MAPPING_YAML.replace("      SN: O6uvpzGd5pu\n", "")
    result, path = _export(tmp_path, make_report(), extra=extra)
    assert [(f.code, f.value) for f in result.findings] == [("EXP003", "SN")]
    f = result.findings[0]
    assert f.file == "programme.yaml"
    assert f"export.dhis2.org_units (line {_line(path, 'org_units:')})" in f.message
    assert "SN: <UID" in f.todo and "AGR30, SATE, SES" in f.message
    assert result.exit_code == 1
    # The earlier file is gone, so nobody imports it believing it is this export.
    assert result.removed == [tmp_path / "export" / "dhis2-datavalues.csv"]
    assert not (tmp_path / "export" / "dhis2-datavalues.csv").exists()


def test_unknown_codes_and_impossible_monthly_periods_are_located(tmp_path: Path) -> None:
    extra = MAPPING_YAML + "      AGR: {numerator: aaaaaaaaaa1}\n"
    extra += "      COMP: {value: bbbbbbbbbb2, period: monthly}\n"
    result, path = _export(tmp_path, make_report(), extra=extra)
    assert [(f.code, f.value) for f in result.findings] == [("EXP002", "AGR"), ("EXP007", "COMP")]
    unknown, monthly = result.findings
    assert f"export.dhis2.data_elements.AGR (line {_line(path, 'AGR: ')})" in unknown.message
    assert "AGR30" in unknown.todo
    assert f"data_elements.COMP.period (line {_line(path, 'COMP: ')})" in monthly.message


def test_a_cycle_off_the_calendar_quarters_sends_months_and_says_why(tmp_path: Path) -> None:
    report = make_report(start=dt.date(2026, 2, 1), as_of=dt.date(2026, 11, 10))
    result, path = _export(tmp_path, report)
    codes = [(f.code, dict(f.facts)["period"]) for f in result.findings if f.code != "EXP011"]
    assert codes == [("EXP005", "Q1"), ("EXP005", "Q2")]  # Feb-Apr, May-Jul: no DHIS2 period
    q1 = result.findings[0]
    assert f"cycle.start_date (line {_line(path, 'start_date:')})" in q1.message
    assert "2026-02-01 to 2026-04-30" in q1.message and q1.value == "AGR30, SATE"
    assert result.exit_code == 1
    rows = _dhis2(tmp_path)  # written: the monthly SES values are calendar months
    # Months of the cycle's first two quarters (Feb-Jul), final by 10 November (Q3's return
    # deadline is 14 November).
    assert sorted({r["period"] for r in rows}) == [f"2026{m:02d}" for m in range(2, 8)]
    assert {r["dataElement"] for r in rows} == {"Jtf34kNZhzP", "hfdmMSPBgLG"}


def test_a_cycle_starting_mid_month_has_no_dhis2_months(tmp_path: Path) -> None:
    report = make_report(start=dt.date(2026, 1, 15), as_of=dt.date(2026, 5, 20))
    result, _ = _export(tmp_path, report)
    # Q1 (15 January to 14 April) is final: neither it nor its months are calendar periods.
    assert {f.code for f in result.findings} == {"EXP005", "EXP006"}
    first = next(f for f in result.findings if f.code == "EXP006")
    assert dict(first.facts)["period"] == "M1" and "2026-01-15 to 2026-02-14" in first.message
    assert _dhis2(tmp_path) == []


def test_nothing_ended_yet_is_said(tmp_path: Path) -> None:
    report = make_report(as_of=dt.date(2026, 1, 20))
    result, _ = _export(tmp_path, report)
    assert [f.code for f in result.findings] == ["EXP009"]
    assert "2026-04-14" in result.findings[0].todo  # the first quarter's return deadline
    assert result.exit_code == 0  # information only
    assert _dhis2(tmp_path) == []


# --- disaggregation: org unit x category option combo ---------------------------------------

SEX = """\
    disaggregation:
      dimension: sex
      category_option_combos: {female: Prlt0C1RF0s, male: V6L425pT3A0, not recorded: GuJESuyOCMW}
"""


def test_disaggregated_values_add_up_to_each_countrys_total(tmp_path: Path) -> None:
    report = make_report()
    extra = MAPPING_YAML.replace("    data_elements:\n", SEX + "    data_elements:\n")
    result, _ = _export(tmp_path, report, extra=extra)
    assert result.exit_code == 0, [f.render() for f in result.findings]
    rows = _dhis2(tmp_path)
    combos = {"Prlt0C1RF0s", "V6L425pT3A0", "GuJESuyOCMW"}
    assert {r["categoryOptionCombo"] for r in rows} == combos
    org = {"ImspTQPwCqd": "KE", "O6uvpzGd5pu": "SN"}
    tidy = report.tidy.set_index(["code", "period", "dimension", "group"])
    sums: dict[tuple[str, str, str], float] = {}
    for r in rows:
        if r["dataElement"] in ("fbfJHSPpUQD", "cYeuwXTCPkU"):
            key = (r["dataElement"], r["period"], org[r["orgUnit"]])
            sums[key] = sums.get(key, 0) + float(r["value"])
    for (element, period, country), total in sums.items():
        role = "numerator" if element == "fbfJHSPpUQD" else "denominator"
        assert total == tidy.loc[("AGR30", period[-2:], "country", country), role]
    # SN in Q1: E3 (female) signed, E4 (sex not recorded) did not.
    sn = {(r["categoryOptionCombo"], r["dataElement"]): r["value"] for r in rows
          if r["orgUnit"] == "O6uvpzGd5pu" and r["period"] == "2026Q1"
          and r["dataElement"] in ("fbfJHSPpUQD", "cYeuwXTCPkU")}  # fmt: skip
    female, unknown = "Prlt0C1RF0s", "GuJESuyOCMW"
    assert sn == {(female, "fbfJHSPpUQD"): "1", (female, "cYeuwXTCPkU"): "1",
                  (unknown, "fbfJHSPpUQD"): "0", (unknown, "cYeuwXTCPkU"): "1"}  # fmt: skip
    sate = [r for r in rows if r["dataElement"] == "s46m5MS0hxu" and r["orgUnit"] == "ImspTQPwCqd"
            and r["period"] == "2026Q1"]  # fmt: skip
    assert sorted((r["categoryOptionCombo"], r["value"]) for r in sate) == [
        ("Prlt0C1RF0s", "4"), ("V6L425pT3A0", "5"),
    ]  # fmt: skip


def test_a_group_with_data_but_no_combo_is_located(tmp_path: Path) -> None:
    sex = SEX.replace(", not recorded: GuJESuyOCMW", "")
    extra = MAPPING_YAML.replace("    data_elements:\n", sex + "    data_elements:\n")
    result, path = _export(tmp_path, make_report(), extra=extra)
    assert [(f.code, f.value) for f in result.findings] == [("EXP004", "not recorded")]
    line = _line(path, "category_option_combos:")
    assert f"disaggregation.category_option_combos (line {line})" in result.findings[0].message
    assert not (tmp_path / "export" / "dhis2-datavalues.csv").exists()


def test_offices_match_whatever_the_case_and_accents(tmp_path: Path) -> None:
    extra = MAPPING_YAML.replace("org_unit_by: country", "org_unit_by: office").replace(
        "      ke: ImspTQPwCqd\n      SN: O6uvpzGd5pu\n",
        "      NAIROBI: ImspTQPwCqd\n      kisumu: O6uvpzGd5pu\n      Dákar: fdc6uOvgoji\n",
    )
    result, _ = _export(tmp_path, make_report(), extra=extra)
    # E4 has no office: 'not recorded' has data and no org unit.
    assert [(f.code, f.value) for f in result.findings] == [("EXP003", "not recorded")]
    assert "office" in result.findings[0].message


# --- programme.yaml: the mapping's shape ------------------------------------------------------


@pytest.mark.parametrize(
    ("replace", "by", "key", "words"),
    [
        ("ke: ImspTQPwCqd", "ke: ImspTQPwCq", "export.dhis2.org_units.ke", "not a DHIS2 UID"),
        ("SN: O6uvpzGd5pu", "SN: 6uvpzGd5puO", "export.dhis2.org_units.SN", "a letter first"),
        ("denominator: cYeuwXTCPkU}", "denominator: fbfJHSPpUQD}", "export.dhis2",
         "given for both AGR30.numerator and AGR30.denominator"),
        ("SATE: {value: s46m5MS0hxu}", "SATE: {}", "export.dhis2.data_elements.SATE",
         "at least one of numerator"),
        ("org_unit_by: country", "org_unit_by: region", "export.dhis2.org_unit_by", "country"),
        ("org_unit_by: country", "org_unit_by: country\n    disaggregation: {dimension: country,"
         " category_option_combos: {KE: ImspTQPwCqd}}", "export.dhis2", "already selects"),
    ],
)  # fmt: skip
def test_mapping_mistakes_name_the_key_and_line(tmp_path, replace, by, key, words) -> None:
    path = _programme(tmp_path, MAPPING_YAML.replace(replace, by))
    with pytest.raises(ConfigError) as caught:
        load_programme(path)
    (f,) = caught.value.findings
    assert f.code == "CFG002" and words in f.message
    token = key.rsplit(".", 1)[-1]
    assert f"{key} (line {_line(path, token + ':')})" in f.message


def test_the_templates_commented_example_is_a_valid_mapping() -> None:
    from toolkit.programme import programme_template

    text = programme_template(programme_id="t", name="T", cohort="c", start_date=dt.date.today())
    block = text.split("# export:\n", 1)[1]
    lines = [line[2:] for line in block.splitlines() if line.startswith("#   ")]
    data = yaml.safe_load("export:\n" + "\n".join(lines))
    mapping = Dhis2Mapping.model_validate(data["export"]["dhis2"])
    assert mapping.disaggregation is not None and mapping.data_elements["SES"].period == "monthly"
    assert Programme.model_validate(yaml.safe_load(text)).export.dhis2 is None


# --- small parts ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "monthly", "expected"),
    [
        ("2026-01-01", "2026-03-31", False, "2026Q1"),
        ("2026-10-01", "2026-12-31", False, "2026Q4"),
        ("2026-02-01", "2026-04-30", False, None),
        ("2026-10-01", "2026-10-31", False, None),  # the one-month last quarter of a 10-month cycle
        ("2026-02-01", "2026-02-28", True, "202602"),
        ("2026-11-01", "2026-11-30", True, "202611"),
        ("2026-01-15", "2026-02-14", True, None),
        ("2026-01-01", "2026-03-31", True, None),
    ],
)
def test_iso_periods(start: str, end: str, monthly: bool, expected: str | None) -> None:
    first, last = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
    assert iso_period(first, last, monthly=monthly) == expected


@pytest.mark.parametrize(
    ("value", "text"),
    [(12.0, "12"), (66.66666, "66.67"), (4.5, "4.5"), (0.1, "0.1"), (1e-9, "0"), (None, "")],
)
def test_dhis2_numbers(value: float | None, text: str) -> None:
    assert dhis2_number(value) == text


def test_an_unwritable_output_is_an_error_with_a_code(tmp_path: Path) -> None:
    blocker = tmp_path / "export"
    blocker.write_text("a file where the folder should be")
    path = _programme(tmp_path)
    with pytest.raises(ExportError) as caught:
        export_report(make_report(), load_programme(path), ("csv",), output=blocker, names={})
    assert [f.code for f in caught.value.findings] == ["EXP008"]


# --- the command ------------------------------------------------------------------------------


RETURNED = dt.datetime(2026, 4, 10, 17, 0, tzinfo=dt.timezone.utc)


@pytest.fixture
def synced(programme: Path, fill) -> Path:
    """The conftest programme after one return from P001 (Kenya) and one from P002 (Senegal)."""
    from sync.run import sync_programme

    kenya, senegal = fill("P001"), fill("P002")
    for f, rating in ((kenya, "4"), (senegal, "5")):
        f.set("agreement", "mentor_signature", "Mentor")
        f.set("agreement", "mentor_signed_on", dt.date(2026, 1, 12))
        f.set("sessions", "session_date", dt.date(2026, 1, 21), "1")
        f.set("sessions", "attendance", "both", "1")
        f.set("reflection", "mentee_satisfaction", rating, "Q1")
    kenya.set("agreement", "mentee_signature", "Mentee")
    kenya.set("agreement", "mentee_signed_on", dt.date(2026, 1, 14))
    kenya.set("sessions", "session_date", dt.date(2026, 2, 18), "2")
    kenya.save(programme / "inbox" / "kenya.xlsx")
    senegal.save(programme / "inbox" / "senegal.xlsx")
    assert sync_programme(programme, now=RETURNED).count("accepted") == 2
    return programme


def _computed(folder: Path, as_of: dt.date) -> IndicatorReport:
    from toolkit.framework import framework_for
    from toolkit.indicators import compute_report, inputs_from_ledger
    from toolkit.ledger import Ledger

    programme = load_programme(folder / "programme.yaml")
    with Ledger(folder / "mentorkit.db") as ledger:
        inputs = inputs_from_ledger(ledger, programme, framework_for(folder, programme), as_of)
    return compute_report(inputs)


def test_export_end_to_end_from_returned_workbooks(synced: Path) -> None:
    from click.testing import CliRunner

    from toolkit.cli import cli

    config = synced / "programme.yaml"
    config.write_text(config.read_text(encoding="utf-8") + MAPPING_YAML, encoding="utf-8")
    args = ["export", str(synced), "--format", "csv", "--format", "dhis2",
            "--as-of", "2026-04-15"]  # fmt: skip
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    report = _computed(synced, dt.date(2026, 4, 15))
    folder = synced / "export"
    assert f"Wrote {folder / 'indicators.csv'} ({len(report.tidy)} rows" in result.output
    assert "DHIS2 periods: 202601, 202602, 202603, 2026Q1." in result.output
    assert (
        "Not sent yet (not final by 2026-04-15: their quarter's workbooks are still due): Q2."
        in (result.output)
    )
    # One pair per country: every value rests on fewer than 3 people, and the output says so.
    assert "[EXP011]" in result.output
    assert "EXP011" in {f.code for f in _export_again(synced)}

    header, tidy_rows = _read(folder / "indicators.csv")
    assert header == TIDY_CSV_COLUMNS and len(tidy_rows) == len(report.tidy)
    agr = next(r for r in tidy_rows if r["indicator"] == "AGR30" and r["period"] == "Q1"
               and r["dimension"] == "country" and r["group"] == "KE")  # fmt: skip
    want = report.row("AGR30", "Q1", "country", "KE")
    assert want is not None and float(agr["denominator"]) == want["denominator"]
    assert agr["indicator_name"].startswith("Agreements signed")

    rows = _dhis2(synced)
    org = {"ImspTQPwCqd": "KE", "O6uvpzGd5pu": "SN"}
    elements = {"fbfJHSPpUQD": ("AGR30", "numerator"), "cYeuwXTCPkU": ("AGR30", "denominator"),
                "Jtf34kNZhzP": ("SES", "numerator"), "hfdmMSPBgLG": ("SES", "denominator"),
                "s46m5MS0hxu": ("SATE", "value")}  # fmt: skip
    periods = {"2026Q1": "Q1", "202601": "M1", "202602": "M2", "202603": "M3"}
    for r in rows:
        code, role = elements[r["dataElement"]]
        want = report.row(code, periods[r["period"]], "country", org[r["orgUnit"]])
        assert want is not None and float(r["value"]) == want[role], r
    sate = {org[r["orgUnit"]]: r["value"] for r in rows if r["dataElement"] == "s46m5MS0hxu"}
    assert sate == {"KE": "4", "SN": "5"}  # as typed on each Reflection sheet
    ses_m2 = {org[r["orgUnit"]]: r["value"] for r in rows
              if r["dataElement"] == "Jtf34kNZhzP" and r["period"] == "202602"}  # fmt: skip
    assert ses_m2["KE"] == "1"


def _export_again(folder: Path) -> list:
    from toolkit.export import export_programme

    return export_programme(folder, ["dhis2"], as_of=dt.date(2026, 4, 15)).findings


def test_a_date_before_the_cycle_has_nothing_to_export(synced: Path) -> None:
    from click.testing import CliRunner

    from toolkit.cli import cli

    result = CliRunner().invoke(cli, ["export", str(synced), "--as-of", "2025-06-01"])
    assert result.exit_code == 2
    code = "EXP010"
    assert f"[{code}]" in result.output and "before the cycle starts (2026-01-01)" in result.output


def test_the_command_without_a_mapping_exits_1_saying_what_to_add(synced: Path) -> None:
    from click.testing import CliRunner

    from toolkit.cli import cli

    result = CliRunner().invoke(cli, ["export", str(synced), "--format", "dhis2"])
    assert result.exit_code == 1
    assert "[EXP001] programme.yaml:" in result.output and "KE, SN" in result.output
    assert not (synced / "export" / "dhis2-datavalues.csv").exists()


def test_the_readmes_mapping_example_is_valid() -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Exporting indicators (CSV and DHIS2)", 1)[1]
    block = section.split("```\nexport:\n", 1)[1].split("```", 1)[0]
    mapping = Dhis2Mapping.model_validate(yaml.safe_load("export:\n" + block)["export"]["dhis2"])
    assert set(mapping.data_elements) == {"AGR30", "SES", "SATE"}
    assert mapping.org_units == {"KE": "ImspTQPwCqd", "SN": "O6uvpzGd5pu"}
